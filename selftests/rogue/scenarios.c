// SPDX-License-Identifier: GPL-2.0
/*
 * The scenarios: each is a table entry with an op policy, a topology, or
 * a run function of its own (rogue --list). "sane" is the well-behaved
 * backend, the baseline and the recovery check after every other one.
 *
 * The checks here are what a backend can see of the frontend (its xenbus
 * state, the ops it sends, the flags it clears); what only the guest sees
 * (its console) is matched by the lab's runner against each entry's log.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rogue.h"

#define MSIX_ENABLES(r)	((r)->opk[XEN_PCI_OP_enable_msix])
#define MSI_ENABLES(r)	((r)->opk[XEN_PCI_OP_enable_msi])

/* ------------------------------------------------------------------ common runs */

/*
 * Come to rest (Connected or Closed): a frontend whose backend misbehaves
 * may lose one op timeout and must then fail fast, so it gets three op
 * timeouts and 10 s more after the scenario's duration, no endless wait.
 */
static void check_settled(struct rogue *r)
{
	if (!rogue_fe_settled(r))
		rogue_serve(r, r->o.op_timeout_ms * 3 + 10000, rogue_fe_settled);
	rogue_check(r, rogue_fe_settled(r),
		    "frontend came to rest (Connected or Closed) within the run (state %d)",
		    r->fe_state);
}

/* attach, misbehave for --duration, check the frontend came to rest */
int rogue_run_default(struct rogue *r)
{
	int rc = rogue_attach(r);

	if (rc)
		return rc < 0 ? rc : 0;
	rogue_serve(r, r->o.duration_ms, NULL);
	check_settled(r);
	return 0;
}

/* A scenario about the MSI path says so when the guest never asked. */
static void check_msi_seen(struct rogue *r, bool msix)
{
	uint64_t n = msix ? MSIX_ENABLES(r) : MSI_ENABLES(r);

	if (!n)
		rogue_say(r, "note: no enable_%s op came: is the guest's rogue_msi driver loaded?",
			  msix ? "msix" : "msi");
}

/* After a refused enable the frontend must turn the type off (disable op). */
static int run_msi_reject(struct rogue *r, bool msix)
{
	int rc = rogue_run_default(r);
	uint64_t en = msix ? MSIX_ENABLES(r) : MSI_ENABLES(r);
	uint64_t dis = r->opk[msix ? XEN_PCI_OP_disable_msix : XEN_PCI_OP_disable_msi];

	if (rc)
		return rc;
	check_msi_seen(r, msix);
	if (en)
		rogue_check(r, dis >= en,
			    "frontend sent a disable_%s for each bad enable answer (%llu enables, %llu disables)",
			    msix ? "msix" : "msi", (unsigned long long)en,
			    (unsigned long long)dis);
	return 0;
}

static int run_msi(struct rogue *r)
{
	return run_msi_reject(r, false);
}

static int run_msix(struct rogue *r)
{
	return run_msi_reject(r, true);
}

/* ------------------------------------------------------------------ sane */

static int run_sane(struct rogue *r)
{
	int rc = rogue_attach(r);
	bool ok;

	if (rc)
		return rc < 0 ? rc : 0;
	ok = rogue_wait_fe(r, r->o.duration_ms, XenbusStateConnected) ||
	     r->fe_state == XenbusStateConnected;
	rogue_check(r, ok, "frontend Connected (state %d)", r->fe_state);
	rogue_serve(r, r->o.duration_ms, NULL);
	rogue_check(r, r->ops > 0 && r->answered == r->ops,
		    "frontend sent ops and every one was answered (%llu ops)",
		    (unsigned long long)r->ops);
	rogue_check(r, r->fe_state == XenbusStateConnected, "frontend still Connected at the end");
	return 0;
}

static int run_sane_adopt(struct rogue *r)
{
	r->adopt = true;
	return run_sane(r);
}

/* two devices; the second is detached and attached again through Reconfiguring */
static void topo_two(struct rogue *r)
{
	rogue_publish_dev(r, 0, 0, 0, 0);
	rogue_publish_dev(r, 1, 0, 0, 1 << 3);
	rogue_write(r, "num_devs", "2");
	rogue_publish_roots(r);
}

static int run_sane_hotplug(struct rogue *r)
{
	int rc = rogue_attach(r), i;

	if (rc)
		return rc < 0 ? rc : 0;
	if (!rogue_wait_fe(r, r->o.duration_ms, XenbusStateConnected) &&
	    r->fe_state != XenbusStateConnected) {
		rogue_check(r, false, "frontend Connected (state %d)", r->fe_state);
		return 0;
	}
	for (i = 0; i < 3; i++) {
		rogue_write(r, "state-1", "%d", XenbusStateClosing);
		rogue_check(r, !rogue_reconfigure(r, 30000), "detach round %d completed", i);
		rogue_write(r, "state-1", "%d", XenbusStateInitialised);
		rogue_check(r, !rogue_reconfigure(r, 30000), "attach round %d completed", i);
		rogue_serve(r, 1000, NULL);
	}
	rogue_check(r, r->answered == r->ops, "every op answered (%llu)",
		    (unsigned long long)r->ops);
	return 0;
}

/* ------------------------------------------------------------------ the op channel */

static enum rogue_act pol_drop(struct rogue *r, const struct rogue_op *op, struct rogue_reply *rep)
{
	return ACT_DROP;
}

static int run_never_answer(struct rogue *r)
{
	int rc = rogue_run_default(r);

	if (rc)
		return rc;
	rogue_check(r, r->fe_cleared == 0,
		    "frontend never took the page back while an op was in flight (cleared %llu times)",
		    (unsigned long long)r->fe_cleared);
	rogue_check(r, r->ops <= 1 + r->fe_cleared,
		    "no op was posted over one in flight (%llu ops)", (unsigned long long)r->ops);
	return 0;
}

/* the first op answered after 1.5 timeouts, then everything at once */
static enum rogue_act pol_late(struct rogue *r, const struct rogue_op *op, struct rogue_reply *rep)
{
	if (r->ops > 1)
		return ACT_ANSWER;
	r->hold_ms = r->o.op_timeout_ms * 3 / 2;
	return ACT_LATER;
}

static int run_late(struct rogue *r)
{
	int rc = rogue_run_default(r);

	if (rc)
		return rc;
	rogue_check(r, r->answered >= 1 && !r->held, "the late answer was delivered");
	rogue_check(r, r->ops > 1,
		    "frontend sent ops again after the late answer (%llu ops; needs guest traffic)",
		    (unsigned long long)r->ops);
	return 0;
}

static enum rogue_act pol_slowloris(struct rogue *r, const struct rogue_op *op,
				    struct rogue_reply *rep)
{
	r->hold_ms = r->o.op_timeout_ms * 99 / 100;
	return ACT_LATER;
}

/* Connecting takes an op timeout per op here: no settled check, only progress. */
static int run_slowloris(struct rogue *r)
{
	int rc = rogue_attach(r);

	if (rc)
		return rc < 0 ? rc : 0;
	rogue_serve(r, r->o.duration_ms, NULL);
	rogue_check(r, r->fe_cleared == 0, "frontend waited for every slow answer");
	rogue_check(r, r->answered + r->held == r->ops && r->ops >= 2,
		    "frontend kept going at the backend's pace (%llu ops answered)",
		    (unsigned long long)r->answered);
	return 0;
}

static enum rogue_act pol_clear_only(struct rogue *r, const struct rogue_op *op,
				     struct rogue_reply *rep)
{
	return ACT_CLEAR_ONLY;
}

static enum rogue_act pol_store_noclear(struct rogue *r, const struct rogue_op *op,
					struct rogue_reply *rep)
{
	return ACT_STORE_NOCLEAR;
}

static enum rogue_act pol_notify_only(struct rogue *r, const struct rogue_op *op,
				      struct rogue_reply *rep)
{
	return ACT_NOTIFY_ONLY;
}

static int run_storm(struct rogue *r)
{
	int rc = rogue_attach(r);

	if (rc)
		return rc < 0 ? rc : 0;
	r->storm = true;
	rogue_serve(r, r->o.duration_ms, NULL);
	r->storm = false;
	rogue_say(r, "storm over: %llu notifications", (unsigned long long)r->notifies);
	check_settled(r);
	rogue_check(r, r->ops > 0 && r->answered == r->ops,
		    "ops kept flowing through the storm (%llu)", (unsigned long long)r->ops);
	return 0;
}

static enum rogue_act pol_garbage(struct rogue *r, const struct rogue_op *op,
				  struct rogue_reply *rep)
{
	static const int32_t errs[] = {
		0, 1, -1, -2, -3, -4, -5, -6, -22, -114, 0x7fffffff, (int32_t)0x80000000, 12345,
	};
	unsigned int i;

	rep->err = rogue_rand(r) & 1 ? errs[rogue_rand(r) % (ARRAY_SIZE(errs))]
				     : (int32_t)rogue_rand(r);
	rep->value = rogue_rand(r);
	if (op->cmd == XEN_PCI_OP_enable_msix) {
		rep->nvec = op->nvec;
		for (i = 0; i < op->nvec; i++) {
			rep->ent[i].vector = rogue_rand(r);
			rep->ent[i].entry = rogue_rand(r);
		}
	}
	return ACT_ANSWER;
}

/*
 * serve a number of ops after our own handshake, then exit with one in flight (a crash,
 * as the frontend sees it)
 */
static enum rogue_act pol_die(struct rogue *r, const struct rogue_op *op, struct rogue_reply *rep)
{
	return r->seen_since > 20 ? ACT_DIE : ACT_ANSWER;
}

/* ------------------------------------------------------------------ MSI / MSI-X */

static enum rogue_act pol_msi_zero(struct rogue *r, const struct rogue_op *op,
				   struct rogue_reply *rep)
{
	if (op->cmd == XEN_PCI_OP_enable_msi && !rep->err)
		rep->value = 0;
	return ACT_ANSWER;
}

static enum rogue_act pol_msi_huge(struct rogue *r, const struct rogue_op *op,
				   struct rogue_reply *rep)
{
	if (op->cmd == XEN_PCI_OP_enable_msi && !rep->err)
		rep->value = r->sc_n[0]++ & 1 ? 0xffffffffu : 0x10000u;
	return ACT_ANSWER;
}

static enum rogue_act pol_msix_dup(struct rogue *r, const struct rogue_op *op,
				   struct rogue_reply *rep)
{
	uint32_t i;

	if (op->cmd == XEN_PCI_OP_enable_msix && !rep->err)
		for (i = 1; i < rep->nvec; i++)
			rep->ent[i].vector = rep->ent[0].vector;
	return ACT_ANSWER;
}

static enum rogue_act pol_msix_zero(struct rogue *r, const struct rogue_op *op,
				    struct rogue_reply *rep)
{
	if (op->cmd == XEN_PCI_OP_enable_msix && !rep->err && rep->nvec)
		rep->ent[rep->nvec - 1].vector = 0;
	return ACT_ANSWER;
}

/* distinct within the answer, but the legacy line's PIRQ and the previous MSI's */
static enum rogue_act pol_msix_collide(struct rogue *r, const struct rogue_op *op,
				       struct rogue_reply *rep)
{
	uint32_t i;

	if (op->cmd == XEN_PCI_OP_enable_msi && !rep->err)
		rep->value = ROGUE_LEGACY_PIRQ;
	if (op->cmd == XEN_PCI_OP_enable_msix && !rep->err)
		for (i = 0; i < rep->nvec; i++)
			rep->ent[i].vector = ROGUE_LEGACY_PIRQ + i;
	return ACT_ANSWER;
}

static enum rogue_act pol_msix_range(struct rogue *r, const struct rogue_op *op,
				     struct rogue_reply *rep)
{
	uint32_t i;

	if (op->cmd == XEN_PCI_OP_enable_msix && !rep->err)
		for (i = 0; i < rep->nvec; i++)
			rep->ent[i].vector = 0xffff - i;
	return ACT_ANSWER;
}

static enum rogue_act pol_msix_unechoed(struct rogue *r, const struct rogue_op *op,
					struct rogue_reply *rep)
{
	if (op->cmd == XEN_PCI_OP_enable_msix && !rep->err && rep->nvec)
		rep->ent[0].entry ^= 0x7;
	return ACT_ANSWER;
}

static enum rogue_act pol_msix_value(struct rogue *r, const struct rogue_op *op,
				     struct rogue_reply *rep)
{
	if (op->cmd == XEN_PCI_OP_enable_msix && !rep->err)
		rep->value = rep->nvec;
	return ACT_ANSWER;
}

/*
 * -EALREADY to every enable, forever. A chain is the enables of one type
 * with only disables between them (sc_n[2]: its type, sc_n[0]: its
 * length); one longer than enable, disable, enable means the frontend
 * retried more than once (sc_n[1] counts those extra tries).
 */
static enum rogue_act pol_ealready(struct rogue *r, const struct rogue_op *op,
				   struct rogue_reply *rep)
{
	if (op->cmd == XEN_PCI_OP_enable_msi || op->cmd == XEN_PCI_OP_enable_msix) {
		memset(rep, 0, sizeof(*rep));
		rep->err = -EALREADY;
		if (r->sc_n[2] != op->cmd) {
			r->sc_n[2] = op->cmd;
			r->sc_n[0] = 0;
		}
		if (++r->sc_n[0] > 2)
			r->sc_n[1]++;
	} else if (op->cmd == XEN_PCI_OP_conf_read || op->cmd == XEN_PCI_OP_conf_write) {
		r->sc_n[2] = 0;
	}
	return ACT_ANSWER;
}

static int run_ealready(struct rogue *r)
{
	int rc = rogue_run_default(r);

	if (rc)
		return rc;
	check_msi_seen(r, false);
	check_msi_seen(r, true);
	rogue_check(r, r->sc_n[1] == 0,
		    "frontend retried a refused enable at most once (%llu extra tries)",
		    (unsigned long long)r->sc_n[1]);
	return 0;
}

/* ------------------------------------------------------------------ config space */

static void topo_flap(struct rogue *r, unsigned int what)
{
	rogue_topo_default(r);
	r->model.dev[0].flap = what;
}

static void topo_flap_irq(struct rogue *r)
{
	topo_flap(r, ROGUE_FLAP_IRQLINE);
}

static void topo_flap_cap(struct rogue *r)
{
	topo_flap(r, ROGUE_FLAP_CAPPTR);
}

static void topo_flap_bar(struct rogue *r)
{
	topo_flap(r, ROGUE_FLAP_BAR);
}

/* ------------------------------------------------------------------ xenstore topology */

static void topo_root_huge(struct rogue *r)
{
	rogue_topo_default(r);
	rogue_write(r, "root_num", "99999999999999999999");
}

static void topo_root_malformed(struct rogue *r)
{
	static const char *const bad[] = {
		"zz:yy", "0000:100", "0000", "", "00000:00", "0000:00:00", "-1:0", " 0000:00",
	};
	unsigned int i;
	char key[16];

	rogue_publish_dev(r, 0, 0, 0, 0);
	rogue_write(r, "num_devs", "1");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(key, sizeof(key), "root-%u", i);
		rogue_write(r, key, "%s", bad[i]);
	}
	/* the last one is good: the device must still come */
	snprintf(key, sizeof(key), "root-%u", i);
	rogue_write(r, key, "0000:00");
	rogue_write(r, "root_num", "%u", i + 1);
}

static void topo_roots64(struct rogue *r)
{
	unsigned int i;

	for (i = 0; i < 64; i++)
		rogue_publish_dev(r, i, 0, i, 0);
	rogue_write(r, "num_devs", "64");
	rogue_publish_roots(r);
}

static void topo_devs256(struct rogue *r)
{
	unsigned int i;

	for (i = 0; i < 256; i++)
		rogue_publish_dev(r, i, 0, 0, i);
	/* function 0 of every slot says it has more */
	for (i = 0; i < 256; i += 8)
		r->model.dev[i].cfg[0x0e] = 0x80;
	rogue_write(r, "num_devs", "256");
	rogue_publish_roots(r);
}

static int run_big(struct rogue *r)
{
	int rc = rogue_attach(r);
	uint64_t ms = r->o.duration_ms > 300000 ? r->o.duration_ms : 300000;
	bool ok;

	if (rc)
		return rc < 0 ? rc : 0;
	/*
	 * Many devices take long under emulation: wait for Connected at least 5 min, and
	 * 2.5 s a device (256 functions took ~1.4 s each under TCG on a fast day).
	 */
	if (ms < (uint64_t)r->num_devs * 2500)
		ms = (uint64_t)r->num_devs * 2500;
	ok = rogue_wait_fe(r, ms, XenbusStateConnected) || r->fe_state == XenbusStateConnected;
	rogue_check(r, ok, "frontend Connected with all %u devices listed (state %d, %llu ops)",
		    r->num_devs, r->fe_state, (unsigned long long)r->ops);
	rogue_serve(r, r->o.duration_ms, NULL);
	return 0;
}

static void topo_vdev_dup(struct rogue *r)
{
	rogue_publish_dev(r, 0, 0, 0, 0);
	rogue_publish_dev(r, 1, 0, 0, 0);
	rogue_write(r, "num_devs", "2");
	rogue_publish_roots(r);
}

static void topo_no_root(struct rogue *r)
{
	rogue_publish_dev(r, 0, 0, 0, 0);
	rogue_publish_roots(r);
	/* on bus 05, which gets no root-N */
	rogue_publish_dev(r, 1, 0, 5, 0);
	rogue_write(r, "num_devs", "2");
}

/* num_devs changes under the frontend's feet during one Reconfiguring round */
static int run_numdevs_flip(struct rogue *r)
{
	static const char *const vals[] = { "1", "256", "0", "2", "65536", "1" };
	uint64_t end;
	unsigned int i = 0;
	int rc = rogue_attach(r);

	if (rc)
		return rc < 0 ? rc : 0;
	if (!rogue_wait_fe(r, r->o.duration_ms, XenbusStateConnected) &&
	    r->fe_state != XenbusStateConnected) {
		rogue_check(r, false, "frontend Connected before the round (state %d)",
			    r->fe_state);
		return 0;
	}
	/* a second device, Initialised, for the round to find (or not) */
	rogue_publish_dev(r, 1, 0, 0, 1 << 3);
	r->follow_fe = false;
	rogue_set_state(r, XenbusStateReconfiguring);
	end = rogue_now() + 20000ull * 1000000;
	while (r->fe_state != XenbusStateReconfiguring && rogue_now() < end && rogue_left(r)) {
		rogue_write(r, "num_devs", "%s", vals[i++ % 6]);
		rogue_serve(r, 2, NULL);
	}
	rogue_check(r, r->fe_state == XenbusStateReconfiguring,
		    "frontend took the Reconfiguring round");
	rogue_set_state(r, XenbusStateReconfigured);
	end = rogue_now() + 20000ull * 1000000;
	while (r->fe_state != XenbusStateConnected && rogue_now() < end && rogue_left(r)) {
		rogue_write(r, "num_devs", "%s", vals[i++ % 6]);
		rogue_serve(r, 2, NULL);
	}
	rogue_say(r, "num_devs changed %u times", i);
	rogue_write(r, "num_devs", "2");
	r->follow_fe = true;
	rogue_check(r, r->fe_state == XenbusStateConnected,
		    "frontend back to Connected after the round");
	if (r->fe_state == XenbusStateConnected)
		rogue_set_state(r, XenbusStateConnected);
	rogue_serve(r, r->o.duration_ms, NULL);
	return 0;
}

static void garbage(struct rogue *r, const char *key, unsigned int len)
{
	static char buf[4096];
	unsigned int i;

	for (i = 0; i < len && i < sizeof(buf); i++)
		buf[i] = 1 + rogue_rand(r) % 255;
	rogue_write_raw(r, key, buf, len);
}

/* Values as big as xenstore takes: 4 KiB per message, less the path. */
#define GARBAGE_LEN	(4096 - 200)

static void topo_garbage(struct rogue *r)
{
	static const char *const keys[] = {
		"num_devs", "root_num", "root-0", "vdev-0", "state-0", "dev-0",
	};
	unsigned int i;

	rogue_topo_default(r);
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		garbage(r, keys[i], GARBAGE_LEN);
}

static int run_garbage4k(struct rogue *r)
{
	int rc = rogue_attach(r);

	if (rc)
		return rc < 0 ? rc : 0;
	check_settled(r);
	/* and once more through a Reconfiguring round, with garbage state-N too */
	if (r->fe_state == XenbusStateConnected) {
		garbage(r, "state-1", GARBAGE_LEN);
		garbage(r, "vdev-1", GARBAGE_LEN);
		rogue_check(r, !rogue_reconfigure(r, 30000),
			    "a Reconfiguring round over garbage completed");
	}
	rogue_serve(r, r->o.duration_ms, NULL);
	return 0;
}

/* Closing <-> InitWait every 2 ms, the first page kept mapped throughout. */
static int run_state_flip(struct rogue *r)
{
	uint64_t end;
	unsigned int n = 0, seen = 0;
	int last;
	int rc = rogue_attach(r);
	bool ok;

	if (rc)
		return rc < 0 ? rc : 0;
	rogue_wait_fe(r, r->o.duration_ms, XenbusStateConnected);
	r->follow_fe = false;
	last = r->fe_state;
	end = rogue_now() + r->o.duration_ms * 1000000;
	while (rogue_now() < end && rogue_left(r)) {
		rogue_set_state(r, n++ & 1 ? XenbusStateInitWait : XenbusStateClosing);
		rogue_serve(r, 2, NULL);
		if (r->fe_state != last) {
			seen++;
			last = r->fe_state;
		}
	}
	rogue_say(r, "flipped %u times; the frontend changed state %u times, now %d", n, seen,
		  r->fe_state);
	/* stop at InitWait: a frontend at Closed starts over, one at Initialised waits */
	rogue_set_state(r, XenbusStateInitWait);
	r->follow_fe = true;
	rogue_serve(r, 5000, NULL);
	ok = r->fe_state == XenbusStateInitialised || r->fe_state == XenbusStateClosed ||
	     r->fe_state == XenbusStateConnected;
	rogue_check(r, ok, "frontend in a state a new backend can take over (%d)", r->fe_state);
	return 0;
}

/* ------------------------------------------------------------------ AER */

static bool ers_valid(int32_t v)
{
	return v >= ROGUE_ERS_NONE && v <= ROGUE_ERS_NO_AER_DRIVER;
}

/* Post one request and wait for the answer; -1 on timeout. */
static int32_t aer_once(struct rogue *r, uint32_t cmd, int32_t st, uint32_t dom, uint32_t bus,
			uint32_t devfn, uint64_t ms)
{
	int32_t res = -1;
	int err = rogue_aer_post(r, cmd, st, dom, bus, devfn);

	if (err) {
		rogue_say(r, "cannot post AER %s: %s", rogue_op_name(cmd), strerror(-err));
		return -1;
	}
	if (rogue_aer_wait(r, ms, &res)) {
		rogue_say(r, "AER %s for %04x:%02x:%02x.%u not answered within %llu ms",
			  rogue_op_name(cmd), dom, bus, devfn >> 3, devfn & 7,
			  (unsigned long long)ms);
		return -1;
	}
	rogue_say(r, "AER %s for %04x:%02x:%02x.%u answered %d", rogue_op_name(cmd), dom, bus,
		  devfn >> 3, devfn & 7, res);
	return res;
}

static int aer_connect(struct rogue *r)
{
	int rc = rogue_attach(r);

	if (rc)
		return rc;
	if (!rogue_wait_fe(r, r->o.duration_ms, XenbusStateConnected) &&
	    r->fe_state != XenbusStateConnected) {
		rogue_check(r, false, "frontend Connected (state %d)", r->fe_state);
		return 1;
	}
	if (!(__atomic_load_n(&r->sh->flags, __ATOMIC_SEQ_CST) & (1u << _XEN_PCIB_AERHANDLER)))
		rogue_say(r, "note: the frontend does not advertise AER handling (flags %#x)",
			  r->sh->flags);
	return 0;
}

static int run_aer_sane(struct rogue *r)
{
	static const uint32_t steps[] = {
		XEN_PCI_OP_aer_detected, XEN_PCI_OP_aer_mmio, XEN_PCI_OP_aer_slotreset,
		XEN_PCI_OP_aer_resume,
	};
	unsigned int i;
	int rc = aer_connect(r);
	int32_t res;

	if (rc)
		return rc < 0 ? rc : 0;
	for (i = 0; i < 4; i++) {
		res = aer_once(r, steps[i], ROGUE_CH_NORMAL, 0, 0, 0, 30000);
		rogue_check(r, ers_valid(res), "AER %s answered with a pci_ers_result (%d)",
			    rogue_op_name(steps[i]), res);
	}
	rogue_serve(r, r->o.duration_ms, NULL);
	return 0;
}

static int run_aer_foreign(struct rogue *r)
{
	static const uint32_t bdf[][3] = {
		{ 0, 5, 0 }, { 0, 0, 0xff }, { 1, 0, 0 }, { 0xffff, 0xff, 0x08 },
	};
	unsigned int i;
	int rc = aer_connect(r);
	int32_t res;

	if (rc)
		return rc < 0 ? rc : 0;
	for (i = 0; i < 4; i++) {
		res = aer_once(r, XEN_PCI_OP_aer_detected, ROGUE_CH_FROZEN, bdf[i][0], bdf[i][1],
			       bdf[i][2], 30000);
		rogue_check(r, res == ROGUE_ERS_NONE,
			    "AER for foreign %04x:%02x:%02x.%u refused (%d)", bdf[i][0], bdf[i][1],
			    bdf[i][2] >> 3, bdf[i][2] & 7, res);
	}
	rogue_serve(r, r->o.duration_ms, NULL);
	return 0;
}

static int run_aer_bogus(struct rogue *r)
{
	static const struct {
		uint32_t cmd;
		int32_t st;
		uint32_t dom, bus, devfn;
	} req[] = {
		{ 42, 1, 0, 0, 0 },
		{ XEN_PCI_OP_conf_read, 1, 0, 0, 0 },
		{ XEN_PCI_OP_aer_detected, 0, 0, 0, 0 },
		{ XEN_PCI_OP_aer_detected, 99, 0, 0, 0 },
		{ XEN_PCI_OP_aer_detected, -1, 0, 0, 0 },
		{ XEN_PCI_OP_aer_mmio, 1, 0x10000, 0, 0 },
		{ XEN_PCI_OP_aer_slotreset, 1, 0, 0x100, 0 },
		{ XEN_PCI_OP_aer_resume, 1, 0, 0, 0x100 },
	};
	unsigned int i;
	int rc = aer_connect(r);
	int32_t res;

	if (rc)
		return rc < 0 ? rc : 0;
	for (i = 0; i < ARRAY_SIZE(req); i++) {
		res = aer_once(r, req[i].cmd, req[i].st, req[i].dom, req[i].bus, req[i].devfn,
			       30000);
		rogue_check(r, res == ROGUE_ERS_NONE, "bogus AER request %u (cmd %u) refused (%d)",
			    i, req[i].cmd, res);
	}
	rogue_serve(r, r->o.duration_ms, NULL);
	return 0;
}

static int run_aer_flood(struct rogue *r)
{
	uint64_t end;
	unsigned int n = 0, bad = 0;
	int rc = aer_connect(r);
	int32_t res;

	if (rc)
		return rc < 0 ? rc : 0;
	end = rogue_now() + r->o.duration_ms * 1000000;
	while (n < 2000 && rogue_now() < end && rogue_left(r)) {
		res = aer_once(r, n & 1 ? XEN_PCI_OP_aer_resume : XEN_PCI_OP_aer_detected,
			       ROGUE_CH_NORMAL, 0, 0, 0, 30000);
		if (res < 0)
			break;
		bad += !ers_valid(res);
		n++;
		/* and a burst of events for nothing in between */
		for (rc = 0; rc < 100; rc++)
			rogue_notify(r);
	}
	rogue_check(r, n > 0 && r->aer_answered == r->aer_posted,
		    "every flooded AER request answered (%u posted, %llu answered)", n,
		    (unsigned long long)r->aer_answered);
	rogue_check(r, !bad, "every answer a pci_ers_result (%u were not)", bad);
	rogue_serve(r, r->o.duration_ms, NULL);
	return 0;
}

/* AER for the device, and at once the toolstack detaches it */
static int run_aer_detach(struct rogue *r)
{
	int rc = aer_connect(r);
	int32_t res = -1;

	if (rc)
		return rc < 0 ? rc : 0;
	if (rogue_aer_post(r, XEN_PCI_OP_aer_detected, ROGUE_CH_FROZEN, 0, 0, 0))
		return 0;
	rogue_write(r, "state-0", "%d", XenbusStateClosing);
	rc = rogue_reconfigure(r, 30000);
	rogue_check(r, !rc, "detach round completed with an AER request in flight");
	rc = rogue_aer_wait(r, 30000, &res);
	rogue_check(r, !rc, "the AER request was answered (%d), not left hanging", res);
	rogue_serve(r, r->o.duration_ms, NULL);
	return 0;
}

/* AER for the device, and at once the backend closes */
static int run_aer_close(struct rogue *r)
{
	int rc = aer_connect(r);

	if (rc)
		return rc < 0 ? rc : 0;
	if (rogue_aer_post(r, XEN_PCI_OP_aer_detected, ROGUE_CH_FROZEN, 0, 0, 0))
		return 0;
	r->follow_fe = false;
	rogue_set_state(r, XenbusStateClosing);
	rogue_wait_fe(r, 30000, XenbusStateClosed);
	rogue_check(r, r->fe_state == XenbusStateClosed,
		    "frontend closed with an AER request in flight");
	rogue_check(r, !r->aer_pending, "the AER request was answered or withdrawn before Closed");
	r->follow_fe = true;
	rogue_disconnect(r);
	rogue_set_state(r, XenbusStateClosed);
	return 0;
}

/* ------------------------------------------------------------------ the table */

#define NO_ANSWER_LOG	"did not answer op"
#define MSIX_LOG	"invalid MSI-X PIRQs"

const struct scenario rogue_scenarios[] = {
	{ "sane", "a well-behaved pciback: handshake, model answers, follows the frontend",
	  "Connected, every op answered; after a misbehaving backend the same node recovers",
	  NULL, NULL, NULL, run_sane },
	{ "sane-adopt", "takes over a Connected frontend's page and port, answers its op in flight",
	  "a dead channel revives (\"backend answered again\") without a new handshake",
	  NULL, NULL, NULL, run_sane_adopt },
	{ "sane-hotplug", "two devices; the second detached and attached again three times",
	  "each Reconfiguring round completes; the device goes and comes back",
	  NULL, topo_two, NULL, run_sane_hotplug },
	{ "never-answer", "never answers, clears or notifies: the first op stays in flight",
	  "bounded wait (op_timeout_ms), clear dev_err, channel dead; page never reused",
	  NO_ANSWER_LOG, NULL, pol_drop, run_never_answer },
	{ "late", "answers the first op at 1.5x the frontend's op timeout, then normally",
	  "times out, fails fast while the op is held, resumes once the late answer comes",
	  "backend answered again", NULL, pol_late, run_late },
	{ "slow-loris", "answers every op at 0.99x the frontend's op timeout, forever",
	  "waits each one out, no timeout, no soft lockup or RCU stall in the guest",
	  NULL, NULL, pol_slowloris, run_slowloris },
	{ "clear-no-answer", "clears the active flag and notifies without writing an answer",
	  "takes err 0 / value 0 (what it reset): no device found, no oops",
	  NULL, NULL, pol_clear_only, NULL },
	{ "never-clear", "writes the answer and notifies, never clears the active flag",
	  "bounded wait, dev_err, channel dead (the answer is not taken)",
	  NO_ANSWER_LOG, NULL, pol_store_noclear, NULL },
	{ "notify-no-clear", "notifies every millisecond about an op it never answers",
	  "spurious events do not end the wait early: timeout, dev_err, no storm damage",
	  NO_ANSWER_LOG, NULL, pol_notify_only, NULL },
	{ "event-storm", "answers normally and notifies in a tight loop in between",
	  "events are throttled (lateeoi), ops keep working, no lockup or RCU stall",
	  NULL, NULL, NULL, run_storm },
	{ "garbage-reply", "random err and value (and MSI-X vectors) in every answer",
	  "every value checked: errors mapped, nothing trusted, no oops",
	  NULL, NULL, pol_garbage, NULL },
	{ "die-mid-op", "answers 20 ops, then exits with the 21st in flight",
	  "bounded wait, channel dead; a sane backend on the same node recovers it",
	  NO_ANSWER_LOG, NULL, pol_die, NULL },
	{ "msi-zero-pirq", "enable_msi succeeds with PIRQ 0",
	  "refuses the PIRQ, disables MSI in the backend, driver sees an error",
	  "invalid MSI PIRQ", NULL, pol_msi_zero, run_msi },
	{ "msi-huge-pirq", "enable_msi succeeds with PIRQ 0x10000 / 0xffffffff",
	  "refuses the PIRQ, disables MSI in the backend",
	  "invalid MSI PIRQ", NULL, pol_msi_huge, run_msi },
	{ "msix-dup-pirq", "enable_msix gives every vector the same PIRQ",
	  "refuses the answer, disables MSI-X in the backend",
	  MSIX_LOG, NULL, pol_msix_dup, run_msix },
	{ "msix-zero-pirq", "enable_msix gives the last vector PIRQ 0",
	  "refuses the answer, disables MSI-X in the backend",
	  MSIX_LOG, NULL, pol_msix_zero, run_msix },
	{ "msix-collide-pirq", "MSI gets the legacy line's PIRQ, MSI-X vectors start at it",
	  "no oops; binding failures reported, not fatal",
	  NULL, NULL, pol_msix_collide, NULL },
	{ "msix-range-pirq", "enable_msix gives PIRQs 0xffff downwards",
	  "no oops; binding failures reported, not fatal",
	  NULL, NULL, pol_msix_range, NULL },
	{ "msix-unechoed", "enable_msix answers with a table index that was not asked for",
	  "refuses the answer, disables MSI-X in the backend",
	  MSIX_LOG, NULL, pol_msix_unechoed, run_msix },
	{ "msix-bad-value", "enable_msix succeeds but value is not 0",
	  "refuses the answer, disables MSI-X in the backend",
	  MSIX_LOG, NULL, pol_msix_value, run_msix },
	{ "ealready", "-EALREADY to every enable_msi/enable_msix, forever",
	  "one disable-and-retry per enable, then a clear error; no loop",
	  "refused to enable MSI", NULL, pol_ealready, run_ealready },
	{ "cfg-flap-irqline", "PCI_INTERRUPT_LINE changes on every read",
	  "no oops; a GSI binding that follows one read, released when the device goes",
	  NULL, topo_flap_irq, NULL, NULL },
	{ "cfg-flap-cap", "capability pointer and next links change per read (loops, past the end)",
	  "capability walks end (TTL), no oops",
	  NULL, topo_flap_cap, NULL, NULL },
	{ "cfg-flap-bar", "BAR0 base, type and sizing answer change per read",
	  "resource sizing copes, a claim failure is reported, no oops",
	  NULL, topo_flap_bar, NULL, NULL },
	{ "root-num-huge", "root_num is 99999999999999999999",
	  "rejected with a dev_err; no roots, no allocation storm",
	  "malformed root_num", topo_root_huge, NULL, NULL },
	{ "root-malformed", "eight malformed root-N, then a good one",
	  "each bad one skipped with a warning; the device on the good root appears",
	  "malformed root-N", topo_root_malformed, NULL, NULL },
	{ "roots-64", "64 roots, one device on each (buses 00..3f)",
	  "all 64 root buses made, Connected, torn down cleanly later",
	  "creating PCI root bus 0000:3f", topo_roots64, NULL, run_big },
	{ "devs-256", "256 devices: every devfn of root 0000:00",
	  "all listed devices probed, Connected within the wait, no stall",
	  NULL, topo_devs256, NULL, run_big },
	{ "vdev-dup", "two list entries with the same vdev",
	  "one device, no double add, no oops",
	  NULL, topo_vdev_dup, NULL, NULL },
	{ "dev-no-root", "a device on bus 05, for which no root-N is published",
	  "that device skipped with a warning, the other one works",
	  "is on no published root", topo_no_root, NULL, NULL },
	{ "numdevs-flip", "num_devs changes every 2 ms during one Reconfiguring round",
	  "the round completes, the device list read stays consistent, no oops",
	  NULL, NULL, NULL, run_numdevs_flip },
	{ "garbage-4k", "num_devs, root_num, root-0, vdev-0, state-0, dev-0: ~4 KiB random bytes",
	  "every value rejected by the strict parsers, messages truncated, no oops",
	  "malformed", topo_garbage, NULL, run_garbage4k },
	{ "state-flip", "backend state Closing <-> InitWait every 2 ms, the first page kept mapped",
	  "each close and new handshake completes or is superseded; no leak, oops or WARN",
	  NULL, NULL, NULL, run_state_flip },
	{ "aer-sane", "detected, mmio, slot_reset, resume for the guest's device",
	  "each answered with a pci_ers_result",
	  NULL, NULL, NULL, run_aer_sane },
	{ "aer-foreign", "AER requests for devices that are not the guest's",
	  "each refused (PCI_ERS_RESULT_NONE) with a dev_err",
	  "not one of its devices", NULL, NULL, run_aer_foreign },
	{ "aer-bogus", "AER requests with unknown commands, states and coordinates",
	  "each refused (PCI_ERS_RESULT_NONE) with a dev_err",
	  "malformed AER request", NULL, NULL, run_aer_bogus },
	{ "aer-flood", "up to 2000 AER requests back to back, 100 events between each",
	  "every one answered, ops keep working, no lockup",
	  NULL, NULL, NULL, run_aer_flood },
	{ "aer-detach-race", "AER request for the device, then at once its detach",
	  "the request is answered (or refused), the detach completes, no use-after-free",
	  NULL, NULL, NULL, run_aer_detach },
	{ "aer-close-race", "AER request for the device, then at once backend Closing",
	  "the request is answered or withdrawn before the frontend is Closed",
	  NULL, NULL, NULL, run_aer_close },
};

const unsigned int rogue_nscenarios = ARRAY_SIZE(rogue_scenarios);

