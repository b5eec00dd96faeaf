// SPDX-License-Identifier: GPL-2.0
/*
 * cfg_latency - round-trip time of config space reads through the frontend, as a
 * user sees it: 4-byte preads of a device's sysfs config file (one op each, since
 * sysfs issues one dword access per aligned dword). Prints the median and 99th
 * percentile per device as "LAB-METRIC" lines for the lab's report; the test itself
 * only checks that every read succeeded.
 *
 * Usage: cfg_latency [reads per device, default 1000]
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"

#define SYSFS_PCI "/sys/bus/pci/devices"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void measure(const char *name, unsigned int n)
{
	char path[600];
	uint64_t *lat, t;
	unsigned int i, bad = 0;
	uint32_t v;
	int fd;

	snprintf(path, sizeof(path), SYSFS_PCI "/%s/config", name);
	fd = open(path, O_RDONLY);
	lat = calloc(n, sizeof(*lat));
	if (fd < 0 || !lat) {
		ktap_result(0, "%s: open config", name);
		free(lat);
		if (fd >= 0)
			close(fd);
		return;
	}
	for (i = 0; i < n; i++) {
		t = now_ns();
		/* walk the header so no single register is special */
		if (pread(fd, &v, 4, (i * 4) % 64) != 4)
			bad++;
		lat[i] = now_ns() - t;
	}
	close(fd);
	qsort(lat, n, sizeof(*lat), cmp_u64);
	printf("LAB-METRIC cfg_read_us %s p50=%.1f p99=%.1f n=%u\n", name,
	       lat[n / 2] / 1000.0, lat[(n * 99) / 100] / 1000.0, n);
	ktap_result(!bad, "%s: %u config reads, %u failed", name, n, bad);
	free(lat);
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000;
	struct dirent *de;
	DIR *d;

	if (n < 100)
		n = 100;
	ktap_header();
	d = opendir(SYSFS_PCI);
	if (!d)
		return KSFT_SKIP;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			measure(de->d_name, n);
	closedir(d);
	return ktap_finish();
}
