// SPDX-License-Identifier: GPL-2.0
/*
 * The rogue backend's core: the xenstore nodes a toolstack and xen-pciback
 * write, the handshake, the mapped page and event channel, and one serve
 * loop that answers ops (through the scenario's policy), follows the
 * frontend's state as pciback does, and posts AER requests. Every wait is
 * a serve loop with an end no later than the run's deadline.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "rogue.h"

#define NS_PER_MS	1000000ull
#define FLAG(b)		(1u << (b))
#define ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define SET(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

uint64_t rogue_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

uint64_t rogue_left(struct rogue *r)
{
	uint64_t now = rogue_now();

	return now < r->deadline ? (r->deadline - now) / NS_PER_MS : 0;
}

void rogue_sleep_ms(uint64_t ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * NS_PER_MS };

	nanosleep(&ts, NULL);
}

static uint64_t elapsed_ms(struct rogue *r)
{
	return (rogue_now() - r->t0) / NS_PER_MS;
}

void rogue_say(struct rogue *r, const char *fmt, ...)
{
	va_list ap;

	printf("ROGUE: [%6llu ms] ", (unsigned long long)elapsed_ms(r));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void rogue_check(struct rogue *r, bool ok, const char *fmt, ...)
{
	va_list ap;

	r->checks++;
	if (!ok)
		r->checks_failed++;
	printf("ROGUE: [%6llu ms] check %s: ", (unsigned long long)elapsed_ms(r),
	       ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* The last line of every run; the lab's runner parses it. */
void rogue_summary(struct rogue *r, const char *result)
{
	static const char *const kind[] = {
		"conf_read", "conf_write", "enable_msi", "disable_msi",
		"enable_msix", "disable_msix",
	};
	unsigned int i;

	printf("ROGUE: summary scenario=%s result=%s checks=%u failed=%u",
	       r->sc ? r->sc->name : "-", result, r->checks, r->checks_failed);
	printf(" ops=%llu answered=%llu dropped=%llu", (unsigned long long)r->ops,
	       (unsigned long long)r->answered, (unsigned long long)r->dropped);
	for (i = 0; i < ARRAY_SIZE(kind); i++)
		printf(" %s=%llu", kind[i], (unsigned long long)r->opk[i]);
	printf(" notifies=%llu events=%llu fe_cleared=%llu", (unsigned long long)r->notifies,
	       (unsigned long long)r->events, (unsigned long long)r->fe_cleared);
	printf(" aer_posted=%llu aer_answered=%llu fe_state=%d elapsed_ms=%llu\n",
	       (unsigned long long)r->aer_posted, (unsigned long long)r->aer_answered,
	       r->fe_state, (unsigned long long)elapsed_ms(r));
	fflush(stdout);
}

unsigned int rogue_rand(struct rogue *r)
{
	/* xorshift32: reproducible with --seed */
	r->rand ^= r->rand << 13;
	r->rand ^= r->rand >> 17;
	r->rand ^= r->rand << 5;
	return r->rand;
}

/* ------------------------------------------------------------------ xenstore */

static const char *path_of(struct rogue *r, const char *key, char *buf, size_t len)
{
	if (key[0] == '/')
		return key;
	snprintf(buf, len, "%s/%s", r->be, key);
	return buf;
}

int rogue_write_raw(struct rogue *r, const char *key, const void *val, unsigned int len)
{
	char buf[256];

	if (!xs_write(r->xs, XBT_NULL, path_of(r, key, buf, sizeof(buf)), val, len)) {
		rogue_say(r, "xenstore write of %s failed: %s", buf, strerror(errno));
		return -errno;
	}
	return 0;
}

int rogue_write(struct rogue *r, const char *key, const char *fmt, ...)
{
	char val[4200];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(val))
		return -EINVAL;
	return rogue_write_raw(r, key, val, n);
}

void rogue_rm(struct rogue *r, const char *key)
{
	char buf[256];

	xs_rm(r->xs, XBT_NULL, path_of(r, key, buf, sizeof(buf)));
}

static char *read_str(struct rogue *r, const char *dir, const char *key)
{
	char path[256];
	unsigned int len;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_read(r->xs, XBT_NULL, path, &len);
}

static int read_uint(struct rogue *r, const char *dir, const char *key, uint32_t *out)
{
	char *s = read_str(r, dir, key), *end;
	unsigned long v;

	if (!s)
		return -ENOENT;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v > UINT32_MAX) {
		free(s);
		return -EINVAL;
	}
	free(s);
	*out = v;
	return 0;
}

int rogue_read_fe_state(struct rogue *r)
{
	uint32_t st;

	if (read_uint(r, r->fe, "state", &st))
		return -1;
	return st > 100 ? 100 : (int)st;
}

int rogue_set_state(struct rogue *r, int state)
{
	r->be_state = state;
	if (r->o.verbose)
		rogue_say(r, "backend state %d", state);
	return rogue_write(r, "state", "%d", state);
}

/*
 * What the toolstack writes when it adds a PCI device to a PV domain:
 * the backend directory (ours, readable by the domU) and the frontend
 * directory (the domU's own, readable by us).
 */
static int create_nodes(struct rogue *r)
{
	struct xs_permissions be_perms[2] = {
		{ .id = 0, .perms = XS_PERM_NONE },
		{ .id = r->o.domid, .perms = XS_PERM_READ },
	};
	struct xs_permissions fe_perms[2] = {
		{ .id = r->o.domid, .perms = XS_PERM_NONE },
		{ .id = 0, .perms = XS_PERM_READ },
	};
	char path[256], *name;
	int tries;

	snprintf(path, sizeof(path), "/local/domain/%u/name", r->o.domid);
	name = xs_read(r->xs, XBT_NULL, path, NULL);
	for (tries = 0; tries < 20; tries++) {
		xs_transaction_t t = xs_transaction_start(r->xs);
		bool ok;

		if (t == XBT_NULL)
			break;
#define W(dir, key, ...) do {							\
		char v_[256];							\
		int n_ = snprintf(v_, sizeof(v_), __VA_ARGS__);			\
		snprintf(path, sizeof(path), "%s/%s", dir, key);		\
		ok = ok && xs_write(r->xs, t, path, v_, n_);			\
	} while (0)
		ok = true;
		xs_rm(r->xs, t, r->be);
		ok = ok && xs_mkdir(r->xs, t, r->be) &&
		     xs_set_permissions(r->xs, t, r->be, be_perms, 2);
		W(r->be, "frontend", "%s", r->fe);
		W(r->be, "frontend-id", "%u", r->o.domid);
		W(r->be, "online", "1");
		W(r->be, "state", "%d", XenbusStateInitialising);
		W(r->be, "domain", "%s", name ? name : "rogue-guest");
		xs_rm(r->xs, t, r->fe);
		ok = ok && xs_mkdir(r->xs, t, r->fe) &&
		     xs_set_permissions(r->xs, t, r->fe, fe_perms, 2);
		W(r->fe, "backend", "%s", r->be);
		W(r->fe, "backend-id", "0");
		W(r->fe, "state", "%d", XenbusStateInitialising);
#undef W
		if (!ok) {
			xs_transaction_end(r->xs, t, true);
			break;
		}
		if (xs_transaction_end(r->xs, t, false)) {
			free(name);
			r->be_state = XenbusStateInitialising;
			rogue_say(r, "created %s and %s (frontend owned by dom%u)", r->be, r->fe,
				  r->o.domid);
			return 0;
		}
		if (errno != EAGAIN)
			break;
	}
	free(name);
	rogue_say(r, "cannot create the device's xenstore nodes: %s", strerror(errno));
	return -EIO;
}

static void remove_nodes(struct rogue *r)
{
	xs_rm(r->xs, XBT_NULL, r->fe);
	xs_rm(r->xs, XBT_NULL, r->be);
	rogue_say(r, "removed %s and %s", r->fe, r->be);
}

/*
 * One device as xen-pciback leaves it after exporting it: the toolstack's
 * dev-N (a machine address; ours are made up), key-N and opts-N, then
 * pciback's vdev-N (the guest's address, "%04x:%02x:%02x.%02x") and
 * state-N Initialised. The model gets the device.
 */
void rogue_publish_dev(struct rogue *r, unsigned int i, uint16_t domain, uint8_t bus,
		       uint8_t devfn)
{
	char key[32];

	snprintf(key, sizeof(key), "dev-%u", i);
	rogue_write(r, key, "0000:ff:%02x.%x", (i >> 3) & 0x1f, i & 7);
	snprintf(key, sizeof(key), "key-%u", i);
	rogue_write(r, key, "0000:ff:%02x.%x", (i >> 3) & 0x1f, i & 7);
	snprintf(key, sizeof(key), "opts-%u", i);
	rogue_write(r, key, "msitranslate=0,power_mgmt=0,permissive=0,rdm_policy=strict");
	snprintf(key, sizeof(key), "vdev-%u", i);
	rogue_write(r, key, "%04x:%02x:%02x.%02x", domain, bus, devfn >> 3, devfn & 7);
	snprintf(key, sizeof(key), "state-%u", i);
	rogue_write(r, key, "%d", XenbusStateInitialised);
	if (!rogue_model_find(&r->model, domain, bus, devfn) &&
	    !rogue_model_add(&r->model, r->o.vendor, r->o.device, domain, bus, devfn))
		rogue_say(r, "model full: device %u not modelled", i);
	if (i + 1 > r->num_devs)
		r->num_devs = i + 1;
}

/* root_num and root-N for every (domain, bus) the model has, as pciback publishes them. */
void rogue_publish_roots(struct rogue *r)
{
	unsigned int i, j, n = 0;
	char key[32];

	for (i = 0; i < r->model.ndevs; i++) {
		const struct rogue_dev *d = &r->model.dev[i];

		for (j = 0; j < i; j++)
			if (r->model.dev[j].domain == d->domain && r->model.dev[j].bus == d->bus)
				break;
		if (j < i)
			continue;
		snprintf(key, sizeof(key), "root-%u", n++);
		rogue_write(r, key, "%04x:%02x", d->domain, d->bus);
	}
	rogue_write(r, "root_num", "%u", n);
}

void rogue_topo_default(struct rogue *r)
{
	rogue_publish_dev(r, 0, 0, 0, 0);
	rogue_write(r, "num_devs", "1");
	rogue_publish_roots(r);
}

/* Drop what an earlier backend left in our directory besides the toolstack's keys. */
static void clear_topology(struct rogue *r)
{
	static const char *const keep[] = {
		"frontend", "frontend-id", "online", "state", "domain",
	};
	unsigned int n, i, k;
	char **ents = xs_directory(r->xs, XBT_NULL, r->be, &n);
	char path[256];

	for (i = 0; ents && i < n; i++) {
		for (k = 0; k < ARRAY_SIZE(keep); k++)
			if (!strcmp(ents[i], keep[k]))
				break;
		if (k < ARRAY_SIZE(keep))
			continue;
		snprintf(path, sizeof(path), "%s/%s", r->be, ents[i]);
		xs_rm(r->xs, XBT_NULL, path);
	}
	free(ents);
	rogue_model_init(&r->model);
	r->num_devs = 0;
}

static bool pciback_would_probe(struct rogue *r)
{
	char buf[8] = "";
	int fd;

	if (strcmp(r->o.type, "pci") || access("/sys/bus/xen-backend/drivers/pciback", F_OK))
		return false;
	fd = open("/sys/bus/xen-backend/drivers_autoprobe", O_RDONLY);
	if (fd < 0)
		return true;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = '1';
	close(fd);
	return buf[0] != '0';
}

int rogue_open(struct rogue *r)
{
	char path[96], *name;

	snprintf(r->be, sizeof(r->be), "/local/domain/0/backend/%s/%u/0", r->o.type, r->o.domid);
	snprintf(r->fe, sizeof(r->fe), "/local/domain/%u/device/pci/0", r->o.domid);
	snprintf(r->fe_state_path, sizeof(r->fe_state_path), "%s/state", r->fe);
	r->lport = -1;
	r->fe_state = -1;
	r->follow_fe = true;

	r->xs = xs_open(0);
	if (!r->xs) {
		fprintf(stderr, "rogue: cannot reach xenstore (%s): %s\n", strerror(errno),
			"run in dom0 as root with xenstored up");
		return -1;
	}
	snprintf(path, sizeof(path), "/local/domain/%u/name", r->o.domid);
	name = xs_read(r->xs, XBT_NULL, path, NULL);
	if (!name) {
		fprintf(stderr, "rogue: domain %u does not exist (no %s in xenstore)\n",
			r->o.domid, path);
		return -1;
	}
	rogue_say(r, "domain %u is \"%s\"", r->o.domid, name);
	free(name);
	if (pciback_would_probe(r) && !r->o.force) {
		fprintf(stderr,
			"rogue: xen-pciback is loaded and would probe %s as well; run\n"
			"  echo 0 > /sys/bus/xen-backend/drivers_autoprobe\n"
			"first (and 1 afterwards), use --type with another name, or --force\n",
			r->be);
		return -1;
	}
	r->xgt = xengnttab_open(NULL, 0);
	if (!r->xgt) {
		fprintf(stderr, "rogue: cannot open the grant device (%s): modprobe xen-gntdev\n",
			strerror(errno));
		return -1;
	}
	r->xce = xenevtchn_open(NULL, 0);
	if (!r->xce) {
		fprintf(stderr, "rogue: cannot open the event channel device (%s): %s\n",
			strerror(errno), "modprobe xen-evtchn");
		return -1;
	}
	if (!xs_watch(r->xs, r->fe_state_path, "fe")) {
		fprintf(stderr, "rogue: cannot watch %s: %s\n", r->fe_state_path, strerror(errno));
		return -1;
	}
	return 0;
}

void rogue_close(struct rogue *r)
{
	rogue_disconnect(r);
	if (r->xs) {
		xs_unwatch(r->xs, r->fe_state_path, "fe");
		xs_close(r->xs);
	}
	if (r->xce)
		xenevtchn_close(r->xce);
	if (r->xgt)
		xengnttab_close(r->xgt);
}

/* ------------------------------------------------------------------ page and port */

void rogue_notify(struct rogue *r)
{
	if (r->lport < 0)
		return;
	xenevtchn_notify(r->xce, r->lport);
	r->notifies++;
}

/* Map the page and bind the port the frontend published. */
static int map_frontend(struct rogue *r, bool quiet)
{
	uint32_t ref, port;
	xenevtchn_port_or_error_t lp;
	void *p;

	if (read_uint(r, r->fe, "pci-op-ref", &ref) ||
	    read_uint(r, r->fe, "event-channel", &port)) {
		if (!quiet)
			rogue_say(r, "frontend published no usable pci-op-ref/event-channel");
		return -EINVAL;
	}
	p = xengnttab_map_grant_ref(r->xgt, r->o.domid, ref, PROT_READ | PROT_WRITE);
	if (!p) {
		if (!quiet)
			rogue_say(r, "cannot map grant %u of dom%u: %s", ref, r->o.domid,
				  strerror(errno));
		return -errno;
	}
	lp = xenevtchn_bind_interdomain(r->xce, r->o.domid, port);
	if (lp < 0) {
		if (!quiet)
			rogue_say(r, "cannot bind event channel %u of dom%u: %s", port,
				  r->o.domid, strerror(errno));
		xengnttab_unmap(r->xgt, p, 1);
		return -errno;
	}
	r->sh = p;
	r->gref = ref;
	r->rport = port;
	r->lport = lp;
	r->held = false;
	r->aer_pending = false;
	rogue_say(r, "mapped grant %u, bound port %u (local %d); flags %#x", ref, port, lp,
		  ONCE(r->sh->flags));
	return 0;
}

void rogue_disconnect(struct rogue *r)
{
	if (r->lport >= 0) {
		xenevtchn_unbind(r->xce, r->lport);
		r->lport = -1;
	}
	if (r->sh) {
		xengnttab_unmap(r->xgt, r->sh, 1);
		r->sh = NULL;
		rogue_say(r, "unmapped the frontend's page");
	}
	r->held = false;
	r->aer_pending = false;
}

/* ------------------------------------------------------------------ serving */

static void complete(struct rogue *r, const struct rogue_reply *rep)
{
	rogue_reply_store(&r->sh->op, rep);
	/* The answer must be visible before the flag that hands it back. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_fetch_and(&r->sh->flags, ~FLAG(_XEN_PCIF_active), __ATOMIC_SEQ_CST);
	rogue_notify(r);
	r->answered++;
}

/* Say what happens to an op, but not ten thousand times. */
static bool worth_saying(struct rogue *r)
{
	return r->o.verbose || r->ops <= 5 || !(r->ops % 1000);
}

static const char *act_name(enum rogue_act a)
{
	static const char *const n[] = {
		"answered", "dropped (never answered)", "held for a late answer",
		"flag cleared without an answer", "answered but flag never cleared",
		"notified without an answer", "left in flight: exiting",
	};
	return n[a];
}

static void take_op(struct rogue *r)
{
	enum rogue_act act = ACT_ANSWER;
	struct rogue_reply rep;
	struct rogue_op op;

	/* The op must be read after the flag that posted it. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	rogue_op_fetch(&r->sh->op, &op);
	r->ops++;
	r->seen_since++;
	r->opk[op.cmd < 11 ? op.cmd : 11]++;
	rogue_model_answer(&r->model, &op, &rep);
	r->hold_ms = 0;
	if (r->sc->policy && !r->handover)
		act = r->sc->policy(r, &op, &rep);
	if (worth_saying(r))
		rogue_say(r, "op %llu: %s %04x:%02x:%02x.%u off %#x size %d val %#x -> %d %#x: %s",
			  (unsigned long long)r->ops, rogue_op_name(op.cmd), op.domain, op.bus,
			  op.devfn >> 3, op.devfn & 7, (unsigned int)op.offset, op.size, op.value,
			  rep.err, rep.value, act_name(act));
	switch (act) {
	case ACT_ANSWER:
		complete(r, &rep);
		return;
	case ACT_CLEAR_ONLY:
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		__atomic_fetch_and(&r->sh->flags, ~FLAG(_XEN_PCIF_active), __ATOMIC_SEQ_CST);
		rogue_notify(r);
		return;
	case ACT_DIE:
		rogue_summary(r, "died");
		_exit(0);
	case ACT_STORE_NOCLEAR:
		rogue_reply_store(&r->sh->op, &rep);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		rogue_notify(r);
		break;
	case ACT_NOTIFY_ONLY:
		rogue_notify(r);
		r->next_notify = rogue_now() + NS_PER_MS;
		break;
	case ACT_LATER:
		r->hdue = rogue_now() + r->hold_ms * NS_PER_MS;
		break;
	case ACT_DROP:
		r->dropped++;
		break;
	}
	r->held = true;
	r->hact = act;
	r->hop = op;
	r->hrep = rep;
}

static void handle_page(struct rogue *r)
{
	uint32_t flags = __atomic_load_n(&r->sh->flags, __ATOMIC_SEQ_CST);
	bool active = flags & FLAG(_XEN_PCIF_active);

	if (r->aer_pending && !(flags & FLAG(_XEN_PCIB_active))) {
		r->aer_pending = false;
		r->aer_answered++;
	}
	if (r->held) {
		if (!active) {
			/* The in-tree frontend gives up this way; ours never does. */
			r->fe_cleared++;
			r->held = false;
			if (r->fe_cleared <= 5)
				rogue_say(r, "the frontend cleared the flag of a held %s itself",
					  rogue_op_name(r->hop.cmd));
			return;
		}
		if (r->hact == ACT_LATER && rogue_now() >= r->hdue) {
			r->held = false;
			complete(r, &r->hrep);
		} else if (r->hact == ACT_NOTIFY_ONLY && rogue_now() >= r->next_notify) {
			rogue_notify(r);
			r->next_notify = rogue_now() + NS_PER_MS;
		}
		return;
	}
	if (active)
		take_op(r);
}

/* The backend's part of a Reconfiguring round, as pciback does it. */
static void pciback_reconfigure(struct rogue *r)
{
	unsigned int i;
	uint32_t st;
	char key[32];

	for (i = 0; i < r->num_devs; i++) {
		snprintf(key, sizeof(key), "state-%u", i);
		if (read_uint(r, r->be, key, &st))
			continue;
		if (st == XenbusStateClosing)
			rogue_say(r, "reconfigure: device %u detached", i);
	}
	rogue_set_state(r, XenbusStateReconfigured);
}

static void fe_changed(struct rogue *r, int st)
{
	if (r->o.verbose || st != r->fe_state)
		rogue_say(r, "frontend state %d (was %d)", st, r->fe_state);
	r->fe_state = st;
	if (!r->follow_fe)
		return;
	switch (st) {
	case XenbusStateReconfiguring:
		if (r->be_state == XenbusStateReconfiguring)
			pciback_reconfigure(r);
		break;
	case XenbusStateConnected:
		if (r->be_state == XenbusStateReconfigured)
			rogue_set_state(r, XenbusStateConnected);
		break;
	case XenbusStateClosing:
		rogue_disconnect(r);
		rogue_set_state(r, XenbusStateClosing);
		break;
	case XenbusStateClosed:
		rogue_disconnect(r);
		rogue_set_state(r, XenbusStateClosed);
		break;
	case -1:
		rogue_disconnect(r);
		break;
	default:
		break;
	}
}

static void handle_watch(struct rogue *r)
{
	char **w;
	int st;

	while ((w = xs_check_watch(r->xs)))
		free(w);
	st = rogue_read_fe_state(r);
	if (st != r->fe_state)
		fe_changed(r, st);
}

/*
 * Serve for up to @ms (never past the deadline), or until @done says so.
 * Returns true if @done was met (or, without @done, the time ran out).
 */
bool rogue_serve(struct rogue *r, uint64_t ms, bool (*done)(struct rogue *r))
{
	uint64_t now = rogue_now(), end = now + ms * NS_PER_MS;
	struct pollfd pfd[2];
	unsigned int i;

	if (end > r->deadline)
		end = r->deadline;
	pfd[0].fd = xs_fileno(r->xs);
	pfd[0].events = POLLIN;
	pfd[1].fd = xenevtchn_fd(r->xce);
	pfd[1].events = POLLIN;
	for (;;) {
		struct timespec ts;
		uint64_t wake;

		handle_watch(r);
		if (r->sh)
			handle_page(r);
		if (done && done(r))
			return true;
		now = rogue_now();
		if (now >= end)
			return !done;
		if (r->sh && r->storm) {
			for (i = 0; i < 256; i++)
				rogue_notify(r);
			wake = now;
		} else {
			/* short slices: held ops, repeated notifies and AER answers are polled */
			wake = now + 10 * NS_PER_MS;
			if (r->held && r->hact == ACT_LATER && r->hdue < wake)
				wake = r->hdue > now ? r->hdue : now;
			if (r->held && r->hact == ACT_NOTIFY_ONLY && r->next_notify < wake)
				wake = r->next_notify > now ? r->next_notify : now;
			if (wake > end)
				wake = end;
		}
		ts.tv_sec = (wake - now) / 1000000000ull;
		ts.tv_nsec = (wake - now) % 1000000000ull;
		if (ppoll(pfd, 2, &ts, NULL) < 0 && errno != EINTR) {
			rogue_say(r, "poll: %s", strerror(errno));
			rogue_sleep_ms(1);
		}
		if (pfd[1].revents & POLLIN) {
			xenevtchn_port_or_error_t p = xenevtchn_pending(r->xce);

			if (p >= 0) {
				xenevtchn_unmask(r->xce, p);
				r->events++;
			}
		}
	}
}

static int want_state;

static bool fe_is(struct rogue *r)
{
	return r->fe_state == want_state;
}

bool rogue_wait_fe(struct rogue *r, uint64_t ms, int state)
{
	want_state = state;
	return rogue_serve(r, ms, fe_is);
}

static bool settled(struct rogue *r)
{
	return r->fe_state == XenbusStateConnected || r->fe_state == XenbusStateClosed ||
	       r->fe_state < 0;
}

/* The frontend came to rest: Connected, Closed or gone. */
bool rogue_fe_settled(struct rogue *r)
{
	return settled(r);
}

static bool closed_or_gone(struct rogue *r)
{
	return r->fe_state == XenbusStateClosed || r->fe_state < 0;
}

/* ------------------------------------------------------------------ handshake */

/*
 * Bring the frontend to Connected with us, whatever an earlier backend
 * left: create the nodes if there are none; a frontend still connected
 * (or half-way) to an earlier backend is first closed through the
 * protocol, its page mapped so ops in flight are answered; one that does
 * not close in 30 s is removed and made again. Then the pciback
 * handshake: topology, InitWait, the frontend's Initialised with its page,
 * map, bind, Connected.
 *
 * Return: 0 connected; 1 the frontend did not do its part (a check
 * failed); negative: our own failure.
 */
int rogue_attach(struct rogue *r)
{
	int fe = rogue_read_fe_state(r);
	char *magic;

	r->fe_state = fe;
	if (fe >= 0 && fe != XenbusStateInitialising && fe != XenbusStateInitialised &&
	    fe != XenbusStateClosed) {
		rogue_say(r, "frontend is in state %d from an earlier backend", fe);
		/* what the frontend still asks the earlier backend is answered sanely */
		r->handover = true;
		if (!map_frontend(r, true))
			rogue_say(r, "mapped its page: whatever it has in flight gets answered");
		if (r->adopt && fe == XenbusStateConnected && r->sh) {
			clear_topology(r);
			(r->sc->topo ? r->sc->topo : rogue_topo_default)(r);
			r->handover = false;
			rogue_set_state(r, XenbusStateConnected);
			rogue_say(r, "took over the connected frontend");
			return 0;
		}
		rogue_set_state(r, XenbusStateClosing);
		if (!rogue_serve(r, 30000, closed_or_gone)) {
			rogue_say(r, "frontend did not close within 30 s; making the device again");
			rogue_disconnect(r);
			remove_nodes(r);
			rogue_serve(r, 3000, NULL);
			if (create_nodes(r))
				return -EIO;
		}
		rogue_disconnect(r);
		r->handover = false;
	} else if (fe < 0) {
		if (create_nodes(r))
			return -EIO;
	}
	clear_topology(r);
	(r->sc->topo ? r->sc->topo : rogue_topo_default)(r);
	rogue_set_state(r, XenbusStateInitWait);
	r->fe_state = rogue_read_fe_state(r);
	if (r->fe_state != XenbusStateInitialised &&
	    !rogue_wait_fe(r, rogue_left(r), XenbusStateInitialised)) {
		rogue_check(r, false, "frontend published its page (Initialised) (state %d)",
			    r->fe_state);
		return 1;
	}
	rogue_set_state(r, XenbusStateInitialised);
	magic = read_str(r, r->fe, "magic");
	if (!magic || strcmp(magic, XEN_PCI_MAGIC)) {
		rogue_check(r, false, "frontend's magic is \"%s\"", magic ? magic : "(none)");
		free(magic);
		return 1;
	}
	free(magic);
	if (map_frontend(r, false))
		return 1;
	r->seen_since = 0;
	rogue_set_state(r, XenbusStateConnected);
	return 0;
}

/* At the end: with --cleanup close and remove the device, else just let go. */
void rogue_finish(struct rogue *r)
{
	if (r->o.cleanup) {
		r->follow_fe = true;
		rogue_set_state(r, XenbusStateClosing);
		if (!rogue_serve(r, 20000, closed_or_gone))
			rogue_say(r, "frontend did not close within 20 s; removing the nodes");
		rogue_disconnect(r);
		remove_nodes(r);
	}
	rogue_disconnect(r);
}

/*
 * A Reconfiguring round driven by the backend (the toolstack's part of a
 * hot-plug): Reconfiguring, the frontend's Reconfiguring, Reconfigured
 * (from pciback_reconfigure()), the frontend's Connected, Connected.
 * Return: 0, or 1 if the frontend did not follow within @ms.
 */
int rogue_reconfigure(struct rogue *r, uint64_t ms)
{
	rogue_set_state(r, XenbusStateReconfiguring);
	if (!rogue_wait_fe(r, ms, XenbusStateReconfiguring))
		return 1;
	if (r->be_state != XenbusStateReconfigured)
		rogue_set_state(r, XenbusStateReconfigured);
	if (!rogue_wait_fe(r, ms, XenbusStateConnected))
		return 1;
	if (r->be_state != XenbusStateConnected)
		rogue_set_state(r, XenbusStateConnected);
	return 0;
}

/* ------------------------------------------------------------------ AER */

int rogue_aer_post(struct rogue *r, uint32_t cmd, int32_t state, uint32_t domain,
		   uint32_t bus, uint32_t devfn)
{
	uint32_t flags;

	if (!r->sh)
		return -ENOTCONN;
	flags = __atomic_load_n(&r->sh->flags, __ATOMIC_SEQ_CST);
	if (flags & FLAG(_XEN_PCIB_active))
		return -EBUSY;
	SET(r->sh->aer_op.cmd, cmd);
	SET(r->sh->aer_op.err, state);
	SET(r->sh->aer_op.domain, domain);
	SET(r->sh->aer_op.bus, bus);
	SET(r->sh->aer_op.devfn, devfn);
	/* The request must be visible before the flag that posts it. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_fetch_or(&r->sh->flags, FLAG(_XEN_PCIB_active), __ATOMIC_SEQ_CST);
	rogue_notify(r);
	r->aer_pending = true;
	r->aer_sent = rogue_now();
	r->aer_posted++;
	return 0;
}

static bool aer_done(struct rogue *r)
{
	return !r->aer_pending || !r->sh;
}

int rogue_aer_wait(struct rogue *r, uint64_t ms, int32_t *result)
{
	if (!rogue_serve(r, ms, aer_done))
		return -ETIMEDOUT;
	if (!r->sh)
		return -ENOTCONN;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	*result = ONCE(r->sh->aer_op.err);
	return 0;
}
