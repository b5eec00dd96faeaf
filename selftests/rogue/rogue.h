/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rogue pciif backend for the lab's dom0: what the backend core
 * offers the scenarios.
 */
#ifndef ROGUE_H
#define ROGUE_H

#include <stdbool.h>
#include <stdint.h>
#include <xenstore.h>
#include <xengnttab.h>
#include <xenevtchn.h>
#include "model.h"

/**
 * struct rogue_opts - the command line
 * @domid: the PV domU whose "pci" device we play the backend of
 * @type: backend directory type under /local/domain/0/backend/ ("pci")
 * @timeout_ms: hard deadline of the whole run; every wait ends by then
 * @duration_ms: how long a scenario misbehaves once connected
 * @op_timeout_ms: the frontend's op_timeout_ms module parameter
 * @vendor: PCI vendor ID of the modelled devices
 * @device: PCI device ID of the modelled devices
 * @cleanup: at the end, close the device and remove both directories
 * @force: run even though xen-pciback would also probe the node
 * @seed: for the garbage scenarios
 * @verbose: print every op
 */
struct rogue_opts {
	unsigned int domid;
	const char *type;
	uint64_t timeout_ms;
	uint64_t duration_ms;
	uint64_t op_timeout_ms;
	uint16_t vendor;
	uint16_t device;
	bool cleanup;
	bool force;
	unsigned int seed;
	bool verbose;
};

/* What to do with one op (a policy's verdict). */
enum rogue_act {
	ACT_ANSWER,		/* store the reply, clear the flag, notify */
	ACT_DROP,		/* nothing, ever: the op stays in flight */
	ACT_LATER,		/* answer after hold_ms (set by the policy) */
	ACT_CLEAR_ONLY,		/* clear the flag and notify, write no reply */
	ACT_STORE_NOCLEAR,	/* store the reply and notify, never clear */
	ACT_NOTIFY_ONLY,	/* notify now and every millisecond, nothing else */
	ACT_DIE,		/* exit at once, the op left in flight */
};

struct rogue;

/**
 * struct scenario - one way to misbehave
 * @name: command-line name
 * @does: what the backend does
 * @expect: what the frontend must do
 * @log: an extended regex the guest's console must match during the run
 *       (for the lab's runner), or NULL
 * @topo: publishes the devices (NULL: one device at 0000:00:00.0)
 * @policy: decides each op, from the model's answer in @rep (NULL: answer)
 * @run: the whole scenario (NULL: attach, serve for --duration, finish)
 */
struct scenario {
	const char *name;
	const char *does;
	const char *expect;
	const char *log;
	void (*topo)(struct rogue *r);
	enum rogue_act (*policy)(struct rogue *r, const struct rogue_op *op,
				 struct rogue_reply *rep);
	int (*run)(struct rogue *r);
};

/**
 * struct rogue - one run of the backend
 * The fields are documented where backend.c sets them.
 */
struct rogue {
	struct rogue_opts o;
	const struct scenario *sc;
	struct xs_handle *xs;
	xengnttab_handle *xgt;
	xenevtchn_handle *xce;
	char be[128];
	char fe[128];
	char fe_state_path[144];
	uint64_t t0;
	uint64_t deadline;

	/* the connection */
	struct xen_pci_sharedinfo *sh;
	uint32_t gref;
	uint32_t rport;
	int lport;
	bool adopt;		/* take over a connected frontend's page */
	int fe_state;		/* last seen, -1: no node */
	int be_state;		/* last written */
	bool follow_fe;		/* react to the frontend as pciback does */

	/* the devices */
	struct rogue_model model;
	unsigned int num_devs;	/* published num_devs */

	/* op handling */
	bool held;		/* an op we have not finished */
	enum rogue_act hact;
	struct rogue_op hop;
	struct rogue_reply hrep;
	uint64_t hdue;		/* when to answer (ACT_LATER) */
	uint64_t hold_ms;	/* set by a policy for ACT_LATER */
	uint64_t next_notify;	/* ACT_NOTIFY_ONLY */
	bool storm;		/* notify in a tight loop between ops */
	uint64_t seen_since;	/* ops seen since our own handshake */
	/* closing an earlier backend's connection: the model answers, not the policy */
	bool handover;

	/* AER */
	bool aer_pending;
	uint64_t aer_sent;

	/* counters for the summary */
	uint64_t ops;
	uint64_t opk[12];
	uint64_t answered;
	uint64_t dropped;
	uint64_t notifies;
	uint64_t events;
	uint64_t fe_cleared;	/* the frontend cleared an op's flag itself */
	uint64_t aer_posted;
	uint64_t aer_answered;
	unsigned int checks;
	unsigned int checks_failed;
	unsigned int rand;
	uint64_t sc_n[8];	/* the scenario's own counters */
};

/* time */
uint64_t rogue_now(void);
uint64_t rogue_left(struct rogue *r);
void rogue_sleep_ms(uint64_t ms);

/* output: every line "ROGUE: ..." */
void rogue_say(struct rogue *r, const char *fmt, ...);
void rogue_check(struct rogue *r, bool ok, const char *fmt, ...);
unsigned int rogue_rand(struct rogue *r);
void rogue_summary(struct rogue *r, const char *result);

/* setup and xenstore */
int rogue_open(struct rogue *r);
void rogue_close(struct rogue *r);
int rogue_write(struct rogue *r, const char *key, const char *fmt, ...);
int rogue_write_raw(struct rogue *r, const char *key, const void *val, unsigned int len);
void rogue_rm(struct rogue *r, const char *key);
int rogue_read_fe_state(struct rogue *r);
int rogue_set_state(struct rogue *r, int state);
void rogue_publish_dev(struct rogue *r, unsigned int i, uint16_t domain, uint8_t bus,
		       uint8_t devfn);
void rogue_publish_roots(struct rogue *r);
void rogue_topo_default(struct rogue *r);

/* the handshake and its end */
int rogue_attach(struct rogue *r);
void rogue_disconnect(struct rogue *r);
void rogue_finish(struct rogue *r);

/* serving */
void rogue_notify(struct rogue *r);
bool rogue_serve(struct rogue *r, uint64_t ms, bool (*done)(struct rogue *r));
bool rogue_wait_fe(struct rogue *r, uint64_t ms, int state);
bool rogue_fe_settled(struct rogue *r);
int rogue_reconfigure(struct rogue *r, uint64_t ms);

/* AER */
int rogue_aer_post(struct rogue *r, uint32_t cmd, int32_t state, uint32_t domain,
		   uint32_t bus, uint32_t devfn);
int rogue_aer_wait(struct rogue *r, uint64_t ms, int32_t *result);

/* the scenarios */
int rogue_run_default(struct rogue *r);
extern const struct scenario rogue_scenarios[];
extern const unsigned int rogue_nscenarios;

#endif /* ROGUE_H */
