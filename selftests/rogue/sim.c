// SPDX-License-Identifier: GPL-2.0
/*
 * A stand-in for libxenstore, libxengnttab and libxenevtchn, with a
 * simulated PV guest frontend behind them, so the rogue backend's own
 * logic (handshake, serve loop, policies, state following, AER, every
 * deadline) runs on any Linux host: make sim-check.
 *
 * The store is in memory; "grants" are pages the simulated frontend
 * allocated; the event channel to the backend is a pipe. The frontend
 * follows the xenbus protocol the way the project's frontend does: it
 * publishes its page and goes Initialised, connects on the backend's
 * Connected (reading the device list and doing config reads per device),
 * takes part in Reconfiguring rounds, closes on Closing/Closed (answering
 * an AER request still pending first, as its teardown does) and starts
 * over on InitWait after a close, answers AER requests, and marks the
 * channel dead when an op is not answered within its timeout until the
 * backend clears the flag. While Connected it sends a config read every
 * 20 ms and an MSI/MSI-X enable/disable cycle every 250 ms, checking the
 * answers as the frontend does. What it saw is printed at exit, "SIM: ...".
 *
 * Nothing of this is Xen: it only checks the rogue against a model.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>
#include <xengnttab.h>
#include <xenevtchn.h>
#include "pciif.h"

#define SIM_DOMID	7
#define SIM_PORT	11	/* the frontend's port; ours is 5 */
#define MAX_NODES	8192
#define MAX_PAGES	4096

struct xs_handle { int unused; };
struct xengntdev_handle { int unused; };
struct xenevtchn_handle { int unused; };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct node {
	char *path;
	char *val;
	unsigned int len;
} nodes[MAX_NODES];
static unsigned int nnodes;
static struct { char *path; char *token; } watch;
static int watch_pipe[2] = { -1, -1 }, evt_pipe[2] = { -1, -1 };
static struct xs_handle the_xs;
static struct xengntdev_handle the_gnt;
static struct xenevtchn_handle the_evt;

/* ------------------------------------------------------------------ store */

static struct node *lookup(const char *path)
{
	unsigned int i;

	for (i = 0; i < nnodes; i++)
		if (!strcmp(nodes[i].path, path))
			return &nodes[i];
	return NULL;
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return !strncmp(path, dir, n) && (path[n] == '/' || !path[n]);
}

static void fire(const char *path)
{
	char c = 1;

	if (watch.path && (under(path, watch.path) || under(watch.path, path)))
		if (write(watch_pipe[1], &c, 1) < 0)
			return;	/* full: a wakeup is pending anyway */
}

static void store_write(const char *path, const void *val, unsigned int len)
{
	struct node *n;

	pthread_mutex_lock(&lock);
	n = lookup(path);
	if (!n && nnodes < MAX_NODES) {
		n = &nodes[nnodes++];
		n->path = strdup(path);
		n->val = NULL;
	}
	if (n) {
		free(n->val);
		n->val = malloc(len + 1);
		memcpy(n->val, val, len);
		n->val[len] = 0;
		n->len = len;
	}
	pthread_mutex_unlock(&lock);
	fire(path);
}

static char *store_read(const char *path, unsigned int *len)
{
	struct node *n;
	char *v = NULL;

	pthread_mutex_lock(&lock);
	n = lookup(path);
	if (n) {
		v = malloc(n->len + 1);
		memcpy(v, n->val, n->len + 1);
		if (len)
			*len = n->len;
	}
	pthread_mutex_unlock(&lock);
	return v;
}

static void store_rm(const char *path)
{
	unsigned int i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < nnodes;) {
		if (under(nodes[i].path, path)) {
			free(nodes[i].path);
			free(nodes[i].val);
			nodes[i] = nodes[--nnodes];
		} else {
			i++;
		}
	}
	pthread_mutex_unlock(&lock);
	fire(path);
}

static void store_printf(const char *path, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	store_write(path, buf, n);
}

/* ------------------------------------------------------------------ the frontend */

static struct {
	struct xen_pci_sharedinfo *page[MAX_PAGES];
	unsigned int npages;
	struct xen_pci_sharedinfo *sh;
	uint32_t gref;
	bool probed;
	bool dead;
	uint64_t op_ns;
	unsigned long ops, timeouts, fastfails, revived, bad_msi, bad_msix, ealready_retries;
	unsigned long connects, restarts, closes, reconfigs, aer, devices, events_in;
	unsigned long bad_values;
	int state;
} fe;

static char fe_dir[64];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int read_int(const char *dir, const char *key, long *out)
{
	char path[160], *s, *end;
	long v;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	s = store_read(path, NULL);
	if (!s)
		return -ENOENT;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || strlen(s) > 10) {
		free(s);
		fe.bad_values++;
		return -EINVAL;
	}
	free(s);
	*out = v;
	return 0;
}

static void set_state(int st)
{
	char path[96];

	fe.state = st;
	snprintf(path, sizeof(path), "%s/state", fe_dir);
	store_printf(path, "%d", st);
}

static void notify_backend(void)
{
	uint32_t port = 5;

	if (write(evt_pipe[1], &port, sizeof(port)) < 0)
		return;	/* full: the backend has events to read anyway */
}

static void new_page(void)
{
	char path[96];

	if (fe.npages >= MAX_PAGES)
		return;
	fe.sh = aligned_alloc(4096, 4096);
	memset(fe.sh, 0, 4096);
	fe.sh->flags = 1u << _XEN_PCIB_AERHANDLER;
	fe.gref = fe.npages + 8;
	fe.page[fe.npages++] = fe.sh;
	fe.dead = false;
	snprintf(path, sizeof(path), "%s/pci-op-ref", fe_dir);
	store_printf(path, "%u", fe.gref);
	snprintf(path, sizeof(path), "%s/event-channel", fe_dir);
	store_printf(path, "%u", SIM_PORT);
	snprintf(path, sizeof(path), "%s/magic", fe_dir);
	store_printf(path, "%s", XEN_PCI_MAGIC);
	set_state(XenbusStateInitialised);
}

static uint32_t flags(void)
{
	return __atomic_load_n(&fe.sh->flags, __ATOMIC_SEQ_CST);
}

/* One op, as the frontend's transport does it: bounded, dead until cleared. */
static int do_op(uint32_t cmd, uint32_t bus, uint32_t devfn, int32_t off, int32_t size,
		 uint32_t value, uint32_t nvec, int32_t *err, uint32_t *val)
{
	struct xen_pci_op *op = &fe.sh->op;
	uint64_t start;
	uint32_t i;

	if (fe.dead) {
		if (flags() & 1) {
			fe.fastfails++;
			return -ENODEV;
		}
		fe.dead = false;
		fe.revived++;
	}
	op->cmd = cmd;
	op->err = 0;
	op->domain = 0;
	op->bus = bus;
	op->devfn = devfn;
	op->offset = off;
	op->size = size;
	op->value = cmd == XEN_PCI_OP_enable_msix ? nvec : value;
	for (i = 0; i < nvec; i++) {
		op->msix_entries[i].entry = i;
		op->msix_entries[i].vector = 0;
	}
	__atomic_fetch_or(&fe.sh->flags, 1u, __ATOMIC_SEQ_CST);
	notify_backend();
	fe.ops++;
	start = now_ns();
	while (flags() & 1) {
		if (now_ns() - start > fe.op_ns) {
			fe.dead = true;
			fe.timeouts++;
			return -ETIMEDOUT;
		}
		usleep(50);
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*err = op->err;
	*val = op->value;
	return 0;
}

static uint32_t cfg_read(uint32_t bus, uint32_t devfn, int32_t off, int32_t size)
{
	int32_t err;
	uint32_t v;

	if (do_op(XEN_PCI_OP_conf_read, bus, devfn, off, size, 0, 0, &err, &v) || err)
		return ~0u;
	return v;
}

static void cfg_write(uint32_t bus, uint32_t devfn, int32_t off, uint32_t v)
{
	int32_t err;
	uint32_t x;

	do_op(XEN_PCI_OP_conf_write, bus, devfn, off, 4, v, 0, &err, &x);
}

static void probe_device(uint32_t bus, uint32_t devfn)
{
	uint32_t cap, hops, bar;

	if (cfg_read(bus, devfn, 0, 4) == ~0u)
		return;
	fe.devices++;
	cfg_read(bus, devfn, 0x08, 4);
	cfg_read(bus, devfn, 0x0c, 4);
	bar = cfg_read(bus, devfn, 0x10, 4);
	cfg_write(bus, devfn, 0x10, 0xffffffff);
	cfg_read(bus, devfn, 0x10, 4);
	cfg_write(bus, devfn, 0x10, bar);
	for (cap = cfg_read(bus, devfn, 0x34, 1) & 0xfc, hops = 0; cap && cap != 0xfc && hops < 48;
	     hops++)
		cap = (cfg_read(bus, devfn, cap, 2) >> 8) & 0xfc;
	cfg_read(bus, devfn, 0x3c, 2);
}

static void scan(void)
{
	char be[160], key[200], *s;
	unsigned int d, b, sl, f;
	long n, i;
	char *p;

	p = store_read(strcat(strcpy(be, fe_dir), "/backend"), NULL);
	if (!p)
		return;
	snprintf(be, sizeof(be), "%s", p);
	free(p);
	if (read_int(be, "num_devs", &n) || n < 0 || n > 256)
		n = 0;
	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%s/vdev-%ld", be, i);
		s = store_read(key, NULL);
		if (!s)
			continue;
		if (strlen(s) < 16 && sscanf(s, "%x:%x:%x.%x", &d, &b, &sl, &f) == 4 && b < 256 &&
		    sl < 32 && f < 8)
			probe_device(b, sl << 3 | f);
		else
			fe.bad_values++;
		free(s);
	}
}

static void msi_cycle(void)
{
	int32_t err, derr;
	uint32_t v, dv, i;
	struct xen_msix_entry *e = fe.sh->op.msix_entries;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		if (do_op(XEN_PCI_OP_enable_msi, 0, 0, 0, 0, 0, 0, &err, &v))
			return;
		if (err != -EALREADY || tries)
			break;
		fe.ealready_retries++;
		do_op(XEN_PCI_OP_disable_msi, 0, 0, 0, 0, 0, 0, &derr, &dv);
	}
	if (!err && (!v || v > 0xffff))
		fe.bad_msi++;
	do_op(XEN_PCI_OP_disable_msi, 0, 0, 0, 0, 0, 0, &err, &v);
	for (tries = 0; tries < 2; tries++) {
		if (do_op(XEN_PCI_OP_enable_msix, 0, 0, 0, 0, 0, 3, &err, &v))
			return;
		if (err != -EALREADY || tries)
			break;
		fe.ealready_retries++;
		do_op(XEN_PCI_OP_disable_msix, 0, 0, 0, 0, 0, 0, &derr, &dv);
	}
	if (!err) {
		bool bad = v != 0;

		for (i = 0; i < 3; i++)
			bad |= e[i].entry != i || !e[i].vector ||
			       (i && e[i].vector == e[i - 1].vector);
		fe.bad_msix += bad;
	}
	do_op(XEN_PCI_OP_disable_msix, 0, 0, 0, 0, 0, 0, &err, &v);
}

static void aer_answer(void)
{
	struct xen_pcie_aer_op *a = &fe.sh->aer_op;
	int32_t res = ROGUE_ERS_NONE;

	if (!(flags() & (1u << _XEN_PCIB_active)))
		return;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (a->cmd >= XEN_PCI_OP_aer_detected && a->cmd <= XEN_PCI_OP_aer_slotreset &&
	    !a->domain && !a->bus && !a->devfn &&
	    (a->cmd != XEN_PCI_OP_aer_detected || (a->err >= 1 && a->err <= 3)))
		res = a->cmd == XEN_PCI_OP_aer_detected ? ROGUE_ERS_NO_AER_DRIVER
							: ROGUE_ERS_RECOVERED;
	a->err = res;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_fetch_and(&fe.sh->flags, ~(1u << _XEN_PCIB_active), __ATOMIC_SEQ_CST);
	notify_backend();
	fe.aer++;
}

static void *frontend(void *unused)
{
	uint64_t next_read = 0, next_msi = 0;
	char be[160], *p;
	long st, bst;

	snprintf(fe_dir, sizeof(fe_dir), "/local/domain/%u/device/pci/0", SIM_DOMID);
	for (;;) {
		usleep(500);
		if (read_int(fe_dir, "state", &st)) {
			fe.probed = false;	/* the device is gone */
			continue;
		}
		p = store_read(strcat(strcpy(be, fe_dir), "/backend"), NULL);
		if (!p)
			continue;
		snprintf(be, sizeof(be), "%s", p);
		free(p);
		if (!fe.probed) {
			fe.probed = true;
			new_page();
			continue;
		}
		if (read_int(be, "state", &bst))
			bst = 0;
		fe.state = st;
		if (bst == XenbusStateConnected && st == XenbusStateInitialised) {
			fe.connects++;
			scan();
			set_state(XenbusStateConnected);
		} else if (bst == XenbusStateReconfiguring && st == XenbusStateConnected) {
			fe.reconfigs++;
			set_state(XenbusStateReconfiguring);
		} else if ((bst == XenbusStateReconfigured || bst == XenbusStateConnected) &&
			   st == XenbusStateReconfiguring) {
			scan();
			set_state(XenbusStateConnected);
		} else if ((bst == XenbusStateClosing || bst == XenbusStateClosed) &&
			   st != XenbusStateClosed) {
			/* As the driver's teardown: no request left unanswered. */
			aer_answer();
			fe.closes++;
			set_state(XenbusStateClosed);
		} else if ((bst == XenbusStateInitialising || bst == XenbusStateInitWait) &&
			   st == XenbusStateClosed) {
			fe.restarts++;
			new_page();
		}
		aer_answer();
		if (fe.state == XenbusStateConnected && now_ns() > next_read) {
			cfg_read(0, 0, 0, 4);
			next_read = now_ns() + 20000000ull;
		}
		if (fe.state == XenbusStateConnected && now_ns() > next_msi) {
			msi_cycle();
			next_msi = now_ns() + 250000000ull;
		}
	}
	return NULL;
}

static void report(void)
{
	fprintf(stderr, "SIM: frontend ops=%lu timeouts=%lu fastfails=%lu revived=%lu devices=%lu",
		fe.ops, fe.timeouts, fe.fastfails, fe.revived, fe.devices);
	fprintf(stderr, " connects=%lu restarts=%lu closes=%lu reconfigs=%lu aer=%lu", fe.connects,
		fe.restarts, fe.closes, fe.reconfigs, fe.aer);
	fprintf(stderr, " bad_msi=%lu bad_msix=%lu ealready_retries=%lu bad_values=%lu", fe.bad_msi,
		fe.bad_msix, fe.ealready_retries, fe.bad_values);
	fprintf(stderr, " pages=%u state=%d\n", fe.npages, fe.state);
}

static void start(void)
{
	static bool started;
	pthread_t t;
	char path[64];
	const char *ms = getenv("ROGUE_SIM_OP_MS");

	if (started)
		return;
	started = true;
	fe.op_ns = (ms ? strtoull(ms, NULL, 10) : 500) * 1000000ull;
	if (pipe(watch_pipe) || pipe(evt_pipe))
		abort();
	fcntl(watch_pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(watch_pipe[1], F_SETFL, O_NONBLOCK);
	fcntl(evt_pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(evt_pipe[1], F_SETFL, O_NONBLOCK);
	snprintf(path, sizeof(path), "/local/domain/%u/name", SIM_DOMID);
	store_printf(path, "simguest");
	/* the toolstack made the guest's device directory */
	snprintf(path, sizeof(path), "/local/domain/%u/device", SIM_DOMID);
	store_write(path, "", 0);
	atexit(report);
	if (pthread_create(&t, NULL, frontend, NULL))
		abort();
}

/* ------------------------------------------------------------------ libxenstore */

struct xs_handle *xs_open(unsigned long flags)
{
	start();
	return &the_xs;
}

void xs_close(struct xs_handle *h)
{
}

void *xs_read(struct xs_handle *h, xs_transaction_t t, const char *path, unsigned int *len)
{
	char *v = store_read(path, len);

	if (!v)
		errno = ENOENT;
	return v;
}

bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path, const void *data,
	      unsigned int len)
{
	if (strlen(path) + len > 4096) {
		errno = E2BIG;
		return false;
	}
	store_write(path, data, len);
	return true;
}

bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	char *v = store_read(path, NULL);

	if (v)
		free(v);
	else
		store_write(path, "", 0);
	return true;
}

bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	store_rm(path);
	return true;
}

char **xs_directory(struct xs_handle *h, xs_transaction_t t, const char *path, unsigned int *num)
{
	size_t plen = strlen(path);
	unsigned int i, n = 0;
	char **v;

	pthread_mutex_lock(&lock);
	v = calloc(nnodes + 1, sizeof(*v));
	for (i = 0; i < nnodes; i++) {
		const char *p = nodes[i].path;

		if (!strncmp(p, path, plen) && p[plen] == '/' && !strchr(p + plen + 1, '/'))
			v[n++] = (char *)p + plen + 1;
	}
	/* one block, as the library returns it: copy the names behind the vector */
	{
		size_t sz = (n + 1) * sizeof(char *), off;
		char **blk;

		for (i = 0; i < n; i++)
			sz += strlen(v[i]) + 1;
		blk = malloc(sz);
		off = (n + 1) * sizeof(char *);
		for (i = 0; i < n; i++) {
			blk[i] = (char *)blk + off;
			strcpy(blk[i], v[i]);
			off += strlen(v[i]) + 1;
		}
		blk[n] = NULL;
		free(v);
		v = blk;
	}
	pthread_mutex_unlock(&lock);
	*num = n;
	return v;
}

bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
			struct xs_permissions *perms, unsigned int num_perms)
{
	return num_perms > 0;
}

bool xs_watch(struct xs_handle *h, const char *path, const char *token)
{
	watch.path = strdup(path);
	watch.token = strdup(token);
	fire(path);
	return true;
}

bool xs_unwatch(struct xs_handle *h, const char *path, const char *token)
{
	return true;
}

int xs_fileno(struct xs_handle *h)
{
	return watch_pipe[0];
}

char **xs_check_watch(struct xs_handle *h)
{
	char c[64], **v;
	size_t a, b;

	if (read(watch_pipe[0], c, sizeof(c)) <= 0)
		return NULL;
	a = strlen(watch.path) + 1;
	b = strlen(watch.token) + 1;
	v = malloc(2 * sizeof(char *) + a + b);
	v[0] = (char *)(v + 2);
	v[1] = v[0] + a;
	memcpy(v[0], watch.path, a);
	memcpy(v[1], watch.token, b);
	return v;
}

xs_transaction_t xs_transaction_start(struct xs_handle *h)
{
	return 1;
}

bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
	return true;
}

/* ------------------------------------------------------------------ libxengnttab */

xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger, unsigned int open_flags)
{
	return &the_gnt;
}

int xengnttab_close(xengnttab_handle *xgt)
{
	return 0;
}

void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid, uint32_t ref, int prot)
{
	if (domid != SIM_DOMID || ref < 8 || ref - 8 >= fe.npages) {
		errno = EINVAL;
		return NULL;
	}
	return fe.page[ref - 8];
}

int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count)
{
	return 0;
}

/* ------------------------------------------------------------------ libxenevtchn */

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger, unsigned int flags)
{
	start();
	return &the_evt;
}

int xenevtchn_close(xenevtchn_handle *xce)
{
	return 0;
}

int xenevtchn_fd(xenevtchn_handle *xce)
{
	return evt_pipe[0];
}

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
	__atomic_fetch_add(&fe.events_in, 1, __ATOMIC_RELAXED);
	return 0;
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
						     evtchn_port_t remote_port)
{
	if (domid != SIM_DOMID || remote_port != SIM_PORT) {
		errno = EINVAL;
		return -1;
	}
	return 5;
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
	return 0;
}

xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
	uint32_t port;

	if (read(evt_pipe[0], &port, sizeof(port)) != sizeof(port)) {
		errno = EAGAIN;
		return -1;
	}
	return port;
}

int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
	return 0;
}
