/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The config of a tuning run (JSON; user/README.md has the format), its
 * defaults, and the embedded default config `ostune tune` runs without
 * one. The resolved config, every default spelled out, is what the output
 * directory keeps and what --resume reads back.
 */
#ifndef OSTUNE_TUNE_CONFIG_H
#define OSTUNE_TUNE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "knobs/discover.h"
#include "measure/objective.h"
#include "search/space.h"
#include "tune/front.h"
#include "tune/phases.h"

/* "verify": {"candidates"} at most */
#define TUNE_VERIFY_CANDIDATES_MAX 20

struct tune_config {
	json_t *doc;			/* resolved; owns what is borrowed below */
	json_t *target;			/* doc's "target" */
	struct objective objective;
	/*
	 * "objectives": two of them, objective the first, objective2 the
	 * second (else nobjectives 1); pick chooses from their front
	 */
	size_t nobjectives;
	struct objective objective2;
	struct pick_rule pick;
	/*
	 * The config's constraints (nsearch_constraints of them), then with
	 * two objectives the second's metric as "METRIC <= inf": each window
	 * measures it with the constraints, its median is pooled and
	 * verified with theirs, and a configuration without it is infeasible.
	 */
	struct constraint *constraints;
	size_t nconstraints, nsearch_constraints;
	struct space space;
	const char *tuner;		/* the tuner's name */
	json_t *tuner_options;		/* doc's "tuner" object */
	uint64_t seed;
	double window_s;		/* one measured window */
	double settle_s;		/* after applying, before measuring */
	double timeout_s;		/* a window is killed after this */
	double max_spread;		/* noisier configurations are re-measured */
	unsigned int warmup, repeats, remeasure;
	/* racing gives a configuration this many counted windows at most */
	unsigned int max_windows;
	/* the baseline is measured again after this many configurations */
	unsigned int anchor_every;
	unsigned int iterations;	/* configurations after the baseline */
	double budget_s;		/* wall-clock limit, 0 for none */
	/* verification (verify.h); rounds 0 when "verify" is false */
	unsigned int verify_rounds, verify_candidates;
	double verify_alpha, verify_min_effect;
	double verify_max_loss;		/* two objectives: verify.h */
	double watchdog_s;		/* the session's lease */
	const char *output;		/* doc's "output", or NULL */
	/*
	 * doc's "fixed", {"knob": "text"}: set with every configuration and
	 * the baseline, never searched; NULL when the config has none
	 */
	json_t *fixed;
	/* target.cpus: the CPU list the workload runs on; NULL: not pinned */
	const char *cpus;
	/*
	 * doc's "phases", [{"name": NAME, load keys...}], each measured in
	 * every round, or NULL; "score" combines them (tune/phases.h)
	 */
	json_t *phases;
	size_t nphases;
	enum phase_score phase_score;
};

/*
 * Checks doc and fills in its defaults (a reference to doc is taken).
 * -EINVAL with why filled, or -ENOMEM.
 */
int tune_config_resolve(json_t *doc, struct tune_config *c, char *why,
			size_t len);
void tune_config_free(struct tune_config *c);

/*
 * The embedded default: hackbench, a random tuner over a safe space of
 * the sched knobs known (discovered on this host) and a few well-known
 * sysctls, a small budget. NULL with why filled when known has none of
 * them.
 */
json_t *tune_config_default(const struct knob_list *known, char *why,
			    size_t len);

#endif /* OSTUNE_TUNE_CONFIG_H */
