// SPDX-License-Identifier: GPL-2.0
/*
 * config_space - config space of every passed-through device, read and written through
 * sysfs, so every access goes frontend -> shared page -> xen-pciback -> device.
 *
 * Checks, per device:
 *  - the 256-byte header reads, and its IDs match what the PCI core cached at scan time;
 *  - byte, word and dword reads of the same bytes agree (the op codec and the
 *    backend's size handling);
 *  - the vendor/device IDs are read-only: a write either fails or is dropped by the
 *    backend, and the IDs read back unchanged;
 *  - the command register is virtualized: writing back its value is accepted and
 *    reads back the same;
 *  - BAR0 sizing is emulated by the backend: all-ones written, the size mask read
 *    back matches the size of the resource, the original value restored.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ktap.h"

#define SYSFS_PCI "/sys/bus/pci/devices"

static int cfg_read(int fd, unsigned int off, void *buf, size_t len)
{
	return pread(fd, buf, len, off) == (ssize_t)len ? 0 : -1;
}

static int cfg_write(int fd, unsigned int off, const void *buf, size_t len)
{
	return pwrite(fd, buf, len, off) == (ssize_t)len ? 0 : -1;
}

static unsigned long read_hex_file(const char *dir, const char *name)
{
	char path[600], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return ~0UL;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	return strtoul(buf, NULL, 0);
}

/* size and flags of BAR0 from the "resource" file; 0 when it is unused */
static uint64_t bar0_size(const char *dir, uint64_t *flags)
{
	unsigned long long start, end, fl;
	char path[600];
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "%s/resource", dir);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fscanf(f, "%llx %llx %llx", &start, &end, &fl);
	fclose(f);
	if (n != 3 || !end)
		return 0;
	*flags = fl;
	return end - start + 1;
}

static void check_device(const char *name)
{
	uint8_t hdr[256], b0, b1;
	uint16_t w0, cmd, cmd2, ids[2], junk[2];
	uint32_t d0, bar, mask, allones = 0xffffffff;
	uint64_t size, flags = 0;
	char dir[512], path[600];
	int fd;

	snprintf(dir, sizeof(dir), SYSFS_PCI "/%s", name);
	snprintf(path, sizeof(path), "%s/config", dir);
	fd = open(path, O_RDWR);
	if (fd < 0) {
		ktap_result(0, "%s: open config: %s", name, strerror(errno));
		return;
	}

	ktap_result(cfg_read(fd, 0, hdr, sizeof(hdr)) == 0, "%s: 256-byte header reads", name);
	ktap_result((unsigned long)(hdr[0] | hdr[1] << 8) == read_hex_file(dir, "vendor") &&
		    (unsigned long)(hdr[2] | hdr[3] << 8) == read_hex_file(dir, "device"),
		    "%s: IDs %02x%02x:%02x%02x match the scan",
		    name, hdr[1], hdr[0], hdr[3], hdr[2]);

	if (cfg_read(fd, 0, &d0, 4) || cfg_read(fd, 0, &w0, 2) ||
	    cfg_read(fd, 0, &b0, 1) || cfg_read(fd, 1, &b1, 1))
		ktap_result(0, "%s: byte/word/dword reads", name);
	else
		ktap_result((d0 & 0xffff) == w0 && (w0 & 0xff) == b0 && (w0 >> 8) == b1,
			    "%s: byte/word/dword reads agree (%08x %04x %02x %02x)",
			    name, d0, w0, b0, b1);

	/* read-only IDs: the write may fail or be dropped, the IDs must not change */
	junk[0] = ~(hdr[0] | hdr[1] << 8);
	junk[1] = ~(hdr[2] | hdr[3] << 8);
	cfg_write(fd, 0, junk, 4);
	ktap_result(cfg_read(fd, 0, ids, 4) == 0 && !memcmp(ids, hdr, 4),
		    "%s: vendor/device IDs are read-only", name);

	if (cfg_read(fd, 4, &cmd, 2) || cfg_write(fd, 4, &cmd, 2) || cfg_read(fd, 4, &cmd2, 2))
		ktap_result(0, "%s: command register rewrite: %s", name, strerror(errno));
	else
		ktap_result(cmd == cmd2, "%s: command register rewrite reads back %04x (was %04x)",
			    name, cmd2, cmd);

	size = bar0_size(dir, &flags);
	if (!size || (flags & 0x100 /* IORESOURCE_IO */)) {
		ktap_result(1, "%s: BAR0 sizing # SKIP no memory BAR0", name);
	} else if (cfg_read(fd, 0x10, &bar, 4) || cfg_write(fd, 0x10, &allones, 4) ||
		   cfg_read(fd, 0x10, &mask, 4) || cfg_write(fd, 0x10, &bar, 4)) {
		ktap_result(0, "%s: BAR0 sizing: %s", name, strerror(errno));
	} else {
		uint32_t got = ~(mask & ~0xfU) + 1;
		uint32_t now = 0;

		cfg_read(fd, 0x10, &now, 4);
		ktap_result(size > 0xffffffffULL || got == (uint32_t)size,
			    "%s: BAR0 sizing reports %#x bytes, resource is %#llx", name, got,
			    (unsigned long long)size);
		ktap_result(now == bar, "%s: BAR0 restored to %08x (reads %08x)", name, bar, now);
	}
	close(fd);
}

int main(void)
{
	struct dirent *de;
	DIR *d;

	ktap_header();
	d = opendir(SYSFS_PCI);
	if (!d) {
		ktap_diag("no %s", SYSFS_PCI);
		return KSFT_SKIP;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			check_device(de->d_name);
	closedir(d);
	return ktap_finish();
}
