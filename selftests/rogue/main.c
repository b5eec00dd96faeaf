// SPDX-License-Identifier: GPL-2.0
/*
 * rogue - a misbehaving pciif backend for a PV domU's "pci" device, run in
 * dom0 instead of xen-pciback. See README.md.
 *
 *   rogue --list                       the scenarios, one a line
 *   rogue --describe NAME              what it does and what the frontend must do
 *   rogue --log NAME                   the guest console regex for the lab's runner
 *   rogue NAME[,NAME...] --domid N [options]
 *                                      run scenarios one after the other on the
 *                                      same device node, each with its own
 *                                      --timeout and summary line
 *
 * Exit status: 0 the scenario ran (its checks are in the summary line),
 * 1 our own failure (no xenstore, no such domain, cannot create nodes),
 * 2 bad usage.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rogue.h"

static struct rogue rogue;

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: rogue --list | --describe NAME | --log NAME\n"
		"       rogue NAME[,NAME...] --domid N [--type T] [--timeout S] [--duration S]\n"
		"             [--op-timeout-ms MS] [--ids VVVV:DDDD] [--cleanup] [--force]\n"
		"             [--seed N] [--verbose]\n"
		"  --domid N          the PV domU (xl domid NAME)\n"
		"  --type T           backend directory type (default pci)\n"
		"  --timeout S        hard limit of the whole run in seconds (default 120)\n"
		"  --duration S       how long to misbehave once connected (default 20)\n"
		"  --op-timeout-ms MS the frontend's op_timeout_ms (default 10000)\n"
		"  --ids VVVV:DDDD    vendor:device of the modelled devices (default 524f:4755)\n"
		"  --cleanup          close the device and remove its nodes at the end\n"
		"  --force            run even though xen-pciback would probe the node too\n");
}

#define MAX_CHAIN	64
static const struct scenario *chain[MAX_CHAIN];
static unsigned int nchain;

static const struct scenario *find(const char *name)
{
	unsigned int i;

	for (i = 0; i < rogue_nscenarios; i++)
		if (!strcmp(rogue_scenarios[i].name, name))
			return &rogue_scenarios[i];
	return NULL;
}

static int parse_list(const char *arg)
{
	char buf[1024], *tok, *save;

	if (strlen(arg) >= sizeof(buf)) {
		fprintf(stderr, "rogue: scenario list too long\n");
		return -1;
	}
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (nchain >= MAX_CHAIN) {
			fprintf(stderr, "rogue: at most %d scenarios in one run\n", MAX_CHAIN);
			return -1;
		}
		chain[nchain] = find(tok);
		if (!chain[nchain]) {
			fprintf(stderr, "rogue: no scenario \"%s\" (rogue --list)\n", tok);
			return -1;
		}
		nchain++;
	}
	if (!nchain) {
		fprintf(stderr, "rogue: no scenario given\n");
		return -1;
	}
	return 0;
}

/* Everything but the handles, paths and options starts afresh for each scenario. */
static void reset(struct rogue *r, const struct scenario *sc)
{
	struct rogue_opts o = r->o;
	struct xs_handle *xs = r->xs;
	xengnttab_handle *xgt = r->xgt;
	xenevtchn_handle *xce = r->xce;
	char be[sizeof(r->be)], fe[sizeof(r->fe)], fsp[sizeof(r->fe_state_path)];

	memcpy(be, r->be, sizeof(be));
	memcpy(fe, r->fe, sizeof(fe));
	memcpy(fsp, r->fe_state_path, sizeof(fsp));
	memset(r, 0, sizeof(*r));
	r->o = o;
	r->xs = xs;
	r->xgt = xgt;
	r->xce = xce;
	memcpy(r->be, be, sizeof(be));
	memcpy(r->fe, fe, sizeof(fe));
	memcpy(r->fe_state_path, fsp, sizeof(fsp));
	r->lport = -1;
	r->fe_state = -1;
	r->follow_fe = true;
	r->rand = r->o.seed;
	r->sc = sc;
	r->t0 = rogue_now();
	r->deadline = r->t0 + r->o.timeout_ms * 1000000ull;
	rogue_model_init(&r->model);
}

static int num(const char *opt, const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	if (!s)
		goto bad;
	v = strtod(s, &end);
	if (end == s || *end || v < lo || v > hi)
		goto bad;
	*out = v;
	return 0;
bad:
	fprintf(stderr, "rogue: %s needs a number in %g..%g\n", opt, lo, hi);
	return -1;
}

/* The last resort behind the bounded loops: a blocked library call. */
static void on_alarm(int sig)
{
	static const char msg[] =
		"ROGUE: summary scenario=- result=error (hard timeout: a library call blocked)\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

static void on_term(int sig)
{
	static const char msg[] = "ROGUE: killed by a signal\n";

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

int main(int argc, char **argv)
{
	struct rogue *r = &rogue;
	const struct scenario *sc = NULL;
	double timeout = 120, duration = 20, opms = 10000, v;
	unsigned int vend = 0x524f, dev = 0x4755;
	bool have_domid = false;
	int i, rc;

	if (argc < 2) {
		print_usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--list")) {
		for (i = 0; i < (int)rogue_nscenarios; i++)
			printf("%-18s %s\n", rogue_scenarios[i].name, rogue_scenarios[i].does);
		return 0;
	}
	if (!strcmp(argv[1], "--describe") || !strcmp(argv[1], "--log")) {
		sc = argc == 3 ? find(argv[2]) : NULL;
		if (!sc) {
			fprintf(stderr, "rogue: no such scenario (rogue --list)\n");
			return 2;
		}
		if (!strcmp(argv[1], "--log"))
			printf("%s\n", sc->log ? sc->log : "");
		else
			printf("%s\n  does:   %s\n  expect: %s\n  log:    %s\n", sc->name, sc->does,
			       sc->expect, sc->log ? sc->log : "(none)");
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_usage(stdout);
		return 0;
	}
	if (parse_list(argv[1]))
		return 2;
	r->o.type = "pci";
	r->o.seed = 1;
	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--domid")) {
			if (num(a, next, 1, 32751, &v))
				return 2;
			r->o.domid = v;
			have_domid = true;
			i++;
		} else if (!strcmp(a, "--type")) {
			if (!next || !*next || strchr(next, '/')) {
				fprintf(stderr, "rogue: --type needs a name\n");
				return 2;
			}
			r->o.type = next;
			i++;
		} else if (!strcmp(a, "--timeout")) {
			if (num(a, next, 1, 86400, &timeout))
				return 2;
			i++;
		} else if (!strcmp(a, "--duration")) {
			if (num(a, next, 0, 86400, &duration))
				return 2;
			i++;
		} else if (!strcmp(a, "--op-timeout-ms")) {
			if (num(a, next, 100, 60000, &opms))
				return 2;
			i++;
		} else if (!strcmp(a, "--seed")) {
			if (num(a, next, 1, 4294967295.0, &v))
				return 2;
			r->o.seed = v;
			i++;
		} else if (!strcmp(a, "--ids")) {
			if (!next || sscanf(next, "%4x:%4x", &vend, &dev) != 2 || vend == 0xffff ||
			    !vend) {
				fprintf(stderr, "rogue: --ids needs VVVV:DDDD (hex)\n");
				return 2;
			}
			i++;
		} else if (!strcmp(a, "--cleanup")) {
			r->o.cleanup = true;
		} else if (!strcmp(a, "--force")) {
			r->o.force = true;
		} else if (!strcmp(a, "--verbose")) {
			r->o.verbose = true;
		} else {
			fprintf(stderr, "rogue: unknown option %s\n", a);
			print_usage(stderr);
			return 2;
		}
	}
	if (!have_domid) {
		fprintf(stderr, "rogue: --domid is needed\n");
		return 2;
	}
	if (duration > timeout)
		duration = timeout;
	r->o.timeout_ms = timeout * 1000;
	r->o.duration_ms = duration * 1000;
	r->o.op_timeout_ms = opms;
	r->o.vendor = vend;
	r->o.device = dev;
	reset(r, chain[0]);

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGALRM, on_alarm);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	signal(SIGPIPE, SIG_IGN);
	if (rogue_open(r)) {
		rogue_summary(r, "error");
		rogue_close(r);
		return 1;
	}
	for (i = 0; i < (int)nchain; i++) {
		sc = chain[i];
		reset(r, sc);
		alarm((unsigned int)timeout + 30);
		rogue_say(r, "scenario %s: %s", sc->name, sc->does);
		rogue_say(r, "the frontend must: %s", sc->expect);
		rogue_say(r, "backend %s, timeout %.0f s, duration %.0f s, op timeout %.0f ms",
			  r->be, timeout, duration, opms);
		rc = (sc->run ? sc->run : rogue_run_default)(r);
		if (rc < 0) {
			rogue_summary(r, "error");
			rogue_close(r);
			return 1;
		}
		/* --cleanup is for the end of the whole run */
		if (i + 1 < (int)nchain)
			rogue_disconnect(r);
		else
			rogue_finish(r);
		rogue_summary(r, r->checks_failed ? "fail" : "pass");
	}
	rogue_close(r);
	return 0;
}
