// SPDX-License-Identifier: GPL-2.0
/*
 * nvme_aio - O_DIRECT writes then reads of a block device with Linux AIO
 * (io_setup/io_submit/io_getevents called directly) at a chosen block size
 * and queue depth, every byte verified.
 *
 *   nvme_aio DEV OFFSET_MIB REGION_MIB TOTAL_MIB BS_KIB QD [TAG]
 *
 * TOTAL_MIB are written into [OFFSET_MIB, +REGION_MIB) in laps (TOTAL a
 * multiple of REGION), lap L with its own seed, then TOTAL_MIB are read back
 * in laps and checked against the last lap's pattern: every 512-byte sector
 * carries its byte offset and the seed, the rest is derived from both, so
 * lost, stale or misplaced data is caught. Prints KTAP and
 * "LAB-METRIC nvme_io TAG write_mbs=... read_mbs=..." lines.
 * Without arguments it does nothing and exits with the kselftest skip code
 * (the lab's generic "selftests" step runs every program without arguments).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/aio_abi.h>
#include <sys/syscall.h>

#include "ktap.h"

#define MIB (1024ULL * 1024)
#define MAX_QD 64

static uint64_t mix(uint64_t x)
{
	x ^= x >> 31;
	x *= 0x7fb5d329728ea185ULL;
	x ^= x >> 27;
	x *= 0x81dadef4bc2dd44dULL;
	return x ^ (x >> 33);
}

/* Fill or check one buffer of @len bytes that belongs at device offset @off. */
static long pattern(uint64_t *p, size_t len, uint64_t off, uint64_t seed, int check)
{
	size_t i, n = len / 8;

	for (i = 0; i < n; i++) {
		uint64_t pos = off + i * 8, v;

		if (i % 64 == 0)
			v = pos;
		else if (i % 64 == 1)
			v = seed;
		else
			v = mix(pos ^ (seed << 40));
		if (!check)
			p[i] = v;
		else if (p[i] != v)
			return (long)(i * 8);
	}
	return -1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct job {
	int fd;
	aio_context_t ctx;
	uint64_t base, region, total, bs;
	unsigned int qd;
	void *buf[MAX_QD];
	struct iocb cb[MAX_QD];
	uint64_t at[MAX_QD];
	uint64_t errors, mismatches, first_bad;
};

/* One phase: @total bytes in laps over the region; @write or read+verify. */
static int phase(struct job *j, int write, uint64_t seed0, double *secs)
{
	uint64_t laps = j->total / j->region, next = 0, done = 0, n = j->total / j->bs;
	struct io_event ev[MAX_QD];
	struct iocb *cbp;
	unsigned int i, inflight = 0;
	double t0 = now();
	long r;

	while (done < n) {
		while (inflight < j->qd && next < n) {
			uint64_t lap = next / (j->region / j->bs);
			uint64_t off = j->base + (next % (j->region / j->bs)) * j->bs;
			uint64_t seed = write ? seed0 + lap : seed0 + laps - 1;

			for (i = 0; i < j->qd && j->at[i] != UINT64_MAX; i++)
				;
			if (write)
				pattern(j->buf[i], j->bs, off, seed, 0);
			memset(&j->cb[i], 0, sizeof(j->cb[i]));
			j->cb[i].aio_data = i;
			j->cb[i].aio_lio_opcode = write ? IOCB_CMD_PWRITE : IOCB_CMD_PREAD;
			j->cb[i].aio_fildes = j->fd;
			j->cb[i].aio_buf = (uintptr_t)j->buf[i];
			j->cb[i].aio_nbytes = j->bs;
			j->cb[i].aio_offset = off;
			cbp = &j->cb[i];
			if (syscall(SYS_io_submit, j->ctx, 1, &cbp) != 1) {
				ktap_diag("io_submit: %s", strerror(errno));
				return -1;
			}
			j->at[i] = off;
			next++;
			inflight++;
		}
		r = syscall(SYS_io_getevents, j->ctx, 1, MAX_QD, ev, NULL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ktap_diag("io_getevents: %s", strerror(errno));
			return -1;
		}
		for (i = 0; i < (unsigned int)r; i++) {
			unsigned int k = ev[i].data;
			long bad;

			if (ev[i].res != (int64_t)j->bs) {
				if (!j->errors++)
					ktap_diag("%s at %llu: result %lld",
						  write ? "write" : "read",
						  (unsigned long long)j->at[k],
						  (long long)ev[i].res);
			} else if (!write) {
				bad = pattern(j->buf[k], j->bs, j->at[k], seed0 + laps - 1, 1);
				if (bad >= 0 && !j->mismatches++) {
					j->first_bad = j->at[k] + bad;
					ktap_diag("first mismatch at byte %llu",
						  (unsigned long long)j->first_bad);
				}
			}
			j->at[k] = UINT64_MAX;
			inflight--;
			done++;
		}
	}
	*secs = now() - t0;
	return 0;
}

int main(int argc, char **argv)
{
	struct job j = { .fd = -1 };
	double tw = 0, tr = 0;
	const char *tag;
	unsigned int i;
	uint64_t seed;
	int ok_w, ok_r;

	ktap_header();
	if (argc < 7) {
		printf("1..0 # SKIP usage: %s DEV OFFSET_MIB REGION_MIB TOTAL_MIB BS_KIB QD TAG\n",
		       argv[0]);
		return KSFT_SKIP;
	}
	j.base = strtoull(argv[2], NULL, 0) * MIB;
	j.region = strtoull(argv[3], NULL, 0) * MIB;
	j.total = strtoull(argv[4], NULL, 0) * MIB;
	j.bs = strtoull(argv[5], NULL, 0) * 1024;
	j.qd = strtoul(argv[6], NULL, 0);
	tag = argc > 7 ? argv[7] : "run";
	if (!j.region || !j.bs || j.region % j.bs || !j.total || j.total % j.region ||
	    !j.qd || j.qd > MAX_QD) {
		ktap_result(0, "%s: arguments (region a multiple of bs, total of region, qd 1..%d)",
			    tag, MAX_QD);
		return ktap_finish();
	}
	j.fd = open(argv[1], O_RDWR | O_DIRECT);
	if (j.fd < 0 || syscall(SYS_io_setup, MAX_QD, &j.ctx)) {
		ktap_result(0, "%s: open %s O_DIRECT and io_setup (%s)", tag, argv[1],
			    strerror(errno));
		return ktap_finish();
	}
	for (i = 0; i < j.qd; i++) {
		if (posix_memalign(&j.buf[i], 4096, j.bs)) {
			ktap_result(0, "%s: buffers", tag);
			return ktap_finish();
		}
		j.at[i] = UINT64_MAX;
	}
	seed = (uint64_t)time(NULL) << 8;
	ok_w = !phase(&j, 1, seed, &tw) && !j.errors && !fsync(j.fd);
	ktap_result(ok_w, "%s: O_DIRECT write %llu MiB, bs %llu KiB, qd %u (%llu errors)", tag,
		    (unsigned long long)(j.total / MIB), (unsigned long long)(j.bs / 1024), j.qd,
		    (unsigned long long)j.errors);
	j.errors = 0;
	ok_r = !phase(&j, 0, seed, &tr) && !j.errors && !j.mismatches;
	ktap_result(ok_r, "%s: O_DIRECT read %llu MiB, every byte verified (%llu errors, %llu bad)",
		    tag, (unsigned long long)(j.total / MIB), (unsigned long long)j.errors,
		    (unsigned long long)j.mismatches);
	if (ok_w && ok_r && tw > 0 && tr > 0)
		printf("LAB-METRIC nvme_io %s write_mbs=%.1f read_mbs=%.1f\n", tag,
		       j.total / 1e6 / tw, j.total / 1e6 / tr);
	syscall(SYS_io_destroy, j.ctx);
	close(j.fd);
	return ktap_finish();
}
