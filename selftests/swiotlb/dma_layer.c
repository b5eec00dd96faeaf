// SPDX-License-Identifier: GPL-2.0
/*
 * dma_layer - checks of the DMA bounce layer from inside the domU, through
 * /sys/kernel/debug/xen-pcifront/dma/:
 *  - the bounce pool exists and was made by XENMEM_exchange;
 *  - no mapping failed and no unknown address was unmapped so far;
 *  - the high-water mark resets when 0 is written;
 *  - the map+unmap benchmark runs on our ops and on the kernel's ops for every
 *    passed-through device with a driver bound (results printed as diagnostics).
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>

#include "ktap.h"

#define DMA_DIR "/sys/kernel/debug/xen-pcifront/dma"

static long stat_value(const char *name)
{
	char line[512], key[128];
	long val = -1, v;
	FILE *f = fopen(DMA_DIR "/stats", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%127s %ld", key, &v) == 2 && !strcmp(key, name))
			val = v;
	fclose(f);
	return val;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	int ret;

	if (fd < 0)
		return -errno;
	ret = write(fd, s, strlen(s)) < 0 ? -errno : 0;
	close(fd);
	return ret;
}

static int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

static void run_bench(const char *bdf, const char *ops)
{
	char cmd[160], res[300];
	unsigned long long count = 0, errors = 1;
	const char *p;
	int ret;

	snprintf(cmd, sizeof(cmd), "dev=%s ops=%s threads=1 granule=1 seconds=2 dir=bidi",
		 bdf, ops);
	ret = write_str(DMA_DIR "/bench", cmd);
	if (ret == -EOPNOTSUPP) {
		ktap_diag("%s: ops=%s not available", bdf, ops);
		return;
	}
	if (!ret)
		ret = read_str(DMA_DIR "/bench", res, sizeof(res));
	if (!ret) {
		p = strstr(res, "count=");
		if (p)
			count = strtoull(p + 6, NULL, 10);
		p = strstr(res, "errors=");
		if (p)
			errors = strtoull(p + 7, NULL, 10);
		ktap_diag("LAB-BENCH %s", res);
	}
	ktap_result(!ret && count > 0 && errors == 0, "map+unmap benchmark %s ops=%s ran",
		    bdf, ops);
}

int main(void)
{
	char path[300], res[64];
	long flavour;
	bool own;
	struct dirent *de;
	DIR *d;

	ktap_header();
	/* only our module has a DMA layer (the in-tree frontend has no "bounce" parameter) */
	if (access("/sys/module/xen_pcifront/parameters/bounce", F_OK)) {
		ktap_diag("the loaded frontend is not ours: no DMA layer to test");
		return KSFT_SKIP;
	}
	if (access(DMA_DIR, F_OK))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	if (access(DMA_DIR "/stats", R_OK)) {
		ktap_result(0, "dma debugfs present (%s)", strerror(errno));
		return ktap_finish();
	}
	ktap_result(1, "dma debugfs present");
	/* with bounce=kernel the devices stay on the kernel's xen-swiotlb: no pool of ours */
	own = read_str("/sys/module/xen_pcifront/parameters/bounce", res, sizeof(res)) ||
	      strncmp(res, "kernel", 6);
	if (own)
		ktap_result(stat_value("held_bytes") > 0 && stat_value("exchange_ok") > 0,
			    "bounce pool made by XENMEM_exchange (held %ld bytes, %ld exchanges)",
			    stat_value("held_bytes"), stat_value("exchange_ok"));
	else
		ktap_result(stat_value("bounce_maps") == 0,
			    "bounce=kernel: our pool maps nothing (%ld maps)",
			    stat_value("bounce_maps"));
	ktap_diag("bounce_maps %ld zero_copy_maps %ld bounce_bytes %ld coherent %ld",
		  stat_value("bounce_maps"), stat_value("zero_copy_maps"),
		  stat_value("bounce_bytes"), stat_value("coherent_buffers"));
	ktap_result(stat_value("map_failures") == 0 && stat_value("bad_unmaps") == 0,
		    "no failed mappings, no bad unmaps (%ld, %ld)",
		    stat_value("map_failures"), stat_value("bad_unmaps"));
	ktap_result(!write_str(DMA_DIR "/hiwater", "0") &&
		    !read_str(DMA_DIR "/hiwater", res, sizeof(res)) &&
		    write_str(DMA_DIR "/hiwater", "1") == -EINVAL,
		    "hiwater resets on 0, refuses other values");

	/*
	 * The benchmark is in the debug flavour only (make XPF_DEBUG=1, as
	 * make bench builds it); the production module says which it is.
	 */
	flavour = stat_value("debug_flavour");
	if (flavour == 0 && access(DMA_DIR "/bench", F_OK)) {
		ktap_result(1, "map+unmap benchmark # SKIP not in the production flavour");
		return ktap_finish();
	}
	ktap_result(flavour == 1, "the debug flavour has its benchmark (debug_flavour %ld)",
		    flavour);
	d = opendir("/sys/bus/pci/devices");
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", de->d_name);
		if (access(path, F_OK))
			continue;
		if (own)
			run_bench(de->d_name, "own");
		run_bench(de->d_name, "kernel");
	}
	if (d)
		closedir(d);
	return ktap_finish();
}
