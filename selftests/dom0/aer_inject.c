// SPDX-License-Identifier: GPL-2.0
/*
 * aer_inject - ask dom0's aer_inject module to report a PCIe error for one device.
 *
 *   aer_inject DDDD:BB:DD.F [UNCOR [COR]]
 *
 * UNCOR and COR are the bits to set in the device's uncorrectable and correctable
 * AER status registers (hexadecimal or decimal); without them a Completer Abort
 * (PCI_ERR_UNC_COMP_ABORT, non-fatal by default severity) is reported. The kernel
 * fakes the device's and its root port's AER registers and runs its AER handling as
 * if the root port had signalled the error. Runs in the lab's dom0, not in a domU.
 * Exit status: 0 the kernel took the request, 1 it refused or the device is unknown,
 * 2 bad arguments.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/pci_regs.h>

/*
 * The request the misc device takes (the layout of Linux's struct aer_error_inj,
 * which is not in the uapi headers): the kernel accepts a write from the start up
 * to the domain field or the whole structure.
 */
struct inj_req {
	uint8_t bus;
	uint8_t dev;
	uint8_t fn;
	uint32_t uncor_status;
	uint32_t cor_status;
	uint32_t header_log[4];
	uint32_t domain;
};

_Static_assert(offsetof(struct inj_req, uncor_status) == 4, "layout");
_Static_assert(offsetof(struct inj_req, domain) == 28, "layout");
_Static_assert(sizeof(struct inj_req) == 32, "layout");

static int parse_u32(const char *s, uint32_t *val)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > UINT32_MAX)
		return -1;
	*val = v;
	return 0;
}

static int parse_bdf(const char *s, struct inj_req *req)
{
	unsigned int dom, bus, dev, fn;
	char tail;

	if (sscanf(s, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &tail) != 4)
		return -1;
	if (bus > 0xff || dev > 0x1f || fn > 7)
		return -1;
	req->domain = dom;
	req->bus = bus;
	req->dev = dev;
	req->fn = fn;
	return 0;
}

int main(int argc, char **argv)
{
	struct inj_req req;
	ssize_t n;
	int fd;

	memset(&req, 0, sizeof(req));
	req.uncor_status = PCI_ERR_UNC_COMP_ABORT;
	if (argc < 2 || argc > 4 || parse_bdf(argv[1], &req) ||
	    (argc > 2 && parse_u32(argv[2], &req.uncor_status)) ||
	    (argc > 3 && parse_u32(argv[3], &req.cor_status))) {
		fprintf(stderr, "usage: %s DDDD:BB:DD.F [UNCOR [COR]]\n", argv[0]);
		return 2;
	}
	fd = open("/dev/aer_inject", O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "aer_inject: /dev/aer_inject: %s (modprobe aer_inject)\n",
			strerror(errno));
		return 1;
	}
	n = write(fd, &req, sizeof(req));
	if (n != (ssize_t)sizeof(req)) {
		fprintf(stderr, "aer_inject: %s: the kernel refused uncor %#x cor %#x: %s\n",
			argv[1], req.uncor_status, req.cor_status,
			n < 0 ? strerror(errno) : "short write");
		close(fd);
		return 1;
	}
	close(fd);
	printf("aer_inject: %s: uncor %#x cor %#x reported\n", argv[1], req.uncor_status,
	       req.cor_status);
	return 0;
}
