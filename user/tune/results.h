/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The results of a tuning run: one entry per configuration measured (the
 * baseline first), the loop's own cost, and what is made of them at the
 * end: the best configuration, best.json (a profile `ostune apply`
 * takes), summary.json and the text report.
 */
#ifndef OSTUNE_RESULTS_H
#define OSTUNE_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "search/tuner.h"
#include "tune/anchors.h"
#include "tune/pool.h"
#include "tune/stop.h"
#include "tune/tune_config.h"
#include "tune/verify.h"

struct tune_obs {
	struct tuner_observation o;	/* x and constraint_values point below */
	double *x;
	double *constraint_values;
	json_t *knobs;			/* {"name": "value text"} as applied */
	char why[TUNER_WHY_MAX];
	unsigned int iteration;
	unsigned int failed_windows;	/* timed-out ones included */
	unsigned int timed_out;		/* counted windows past the timeout */
	unsigned int batches;		/* times its windows were measured */
	bool refused;			/* the kernel refused to apply it */
	struct pool pool;		/* every counted window (pool.h) */
	/*
	 * with load phases, each phase's windows (results->nphases pools,
	 * in step with pool: its round i is window i of each), as measured
	 */
	struct pool *phase_pool;
	double overhead_ms;		/* loop time outside windows and settling */
	char error[512];		/* why it failed */
};

struct tune_results {
	struct tune_obs *obs;
	size_t n, cap;
	/* ostune's CPU time during each window, as a share of it */
	double *cpu_share;
	size_t ncpu, cap_cpu;
	unsigned int failed_windows;
	unsigned int timed_out_windows;
	unsigned int windows;		/* every window's sequence number so far */
	/* the baseline's measurements over the run (anchors.h) */
	struct anchors anchors;
	/* two objectives: the same of the second (its windows' medians) */
	struct anchors anchors2;
	/*
	 * anchors whose values the kernel refused to apply again: left out,
	 * the baseline and the other anchors stand
	 */
	unsigned int anchors_failed;
	/*
	 * A configuration replaces the best only with at least as many
	 * counted windows as it, or this many (window.max_windows).
	 */
	unsigned int crown_windows;
	/*
	 * Load phases (phases.h): how many (0: none), and the baseline's
	 * median in each, from its first block, once measured (phase_ref_set)
	 */
	size_t nphases;
	double phase_ref[TUNE_PHASES_MAX];
	bool phase_ref_set;
};

/* A new zeroed entry with room for dims and constraints; NULL on ENOMEM. */
struct tune_obs *results_add(struct tune_results *r, size_t dims,
			     size_t nconstraints);
/* Drops the last entry (a configuration stopped half way). */
void results_drop_last(struct tune_results *r);
int results_add_cpu_share(struct tune_results *r, double share);
void results_free(struct tune_results *r);

/* The observations as the tuner interface wants them; malloc'd. */
struct tuner_observation *results_history(const struct tune_results *r);

const struct tune_obs *results_baseline(const struct tune_results *r);
/* Measured, feasible, not noisy: a configuration that may be the best. */
bool results_trusted(const struct tune_obs *o);
/*
 * The best trusted entry, or NULL: the best score among those with as
 * many counted windows as any trusted configuration has (or
 * crown_windows): never one measured once against one measured ten
 * times (racing brings a close challenger up to that). The baseline,
 * whose windows pile up with its anchors, neither needs them nor sets
 * the number (verification checks a candidate against the baseline).
 */
const struct tune_obs *results_best(const struct tune_results *r,
				    const struct objective *o);
/* The same without entry skip; its index, or -1. */
long results_best_index(const struct tune_results *r,
			const struct objective *o, size_t skip);
/*
 * The counted windows a configuration other than the baseline needs to
 * be crowned, by the rule above (entry skip left out).
 */
unsigned int results_crown_need(const struct tune_results *r, size_t skip);

/*
 * Every entry's result from its pooled windows, corrected for the drift
 * the anchors show (pool.h): objective, spread, counted windows, failed,
 * noisy, feasible. -ENOMEM.
 */
int results_judge(struct tune_results *r, const struct tune_config *cfg);
/*
 * Entry idx's windows from its pool's index from on were measured
 * together: a block of the baseline's is an anchor. With load phases,
 * each round of the block is scored from its phases' windows first (the
 * baseline's first block sets the phases' references). Then judges all.
 * -ENOMEM.
 */
int results_close_block(struct tune_results *r, size_t idx, size_t from,
			const struct tune_config *cfg);

/* The best's improvement over the baseline, percent (positive is better)
 * with its spread; false when either is missing. */
bool results_improvement(const struct tune_results *r,
			 const struct objective *o, double *pct,
			 double *spread);

/* The verification after the search (verify.h), as it came out. */
struct verify_summary {
	size_t ncand;
	const struct tune_obs **cand;	/* the candidates measured again */
	const struct verify_candidate *stats;	/* and their statistics */
	int chosen;			/* index into cand; -1: defaults stand */
	enum verify_decision decision;
	size_t rounds;			/* the rounds measured */
	/*
	 * Two objectives: the pick's verdict on each of them (better[0] is
	 * stats[0]), and the test that weighed the other side (a knee's "not
	 * worse by max_loss", a constrained pick's bound), else NULL.
	 */
	const struct verify_pair_result *pair;
	char why[VERIFY_WHY_MAX];
};

struct run_info {
	const struct tune_config *cfg;
	const char *dir;
	const char *started;		/* ISO 8601 */
	const char *finished;
	enum stop_reason stopped;
	double elapsed_s;
	/*
	 * NULL when not verified: "verify": false, or the run stopped before
	 * it could verify (then no best.json is written)
	 */
	const struct verify_summary *verify;
	/* {"PATTERN": ["knob", ...]} of the space, or NULL */
	const json_t *pattern_knobs;
	/* {"knob": "value"}: cfg->fixed's knobs before the run, or NULL */
	const json_t *fixed_was;
	/* pinned (cfg->cpus): the CPUs ostune kept to, else NULL or "" */
	const char *ostune_cpus;
	/* the tuner's own costs (tuner_stats()), or NULL */
	json_t *tuner_stats;
	/* two objectives: the front and its pick (pareto.json), else NULL */
	const struct front *front;
};

/*
 * Writes best.json, summary.json and report.txt into info->dir. best.json
 * is the verified recommendation; when the defaults stand there is none
 * (an old one is removed). Unverified, it is the search's best, if any.
 * 0 or -errno.
 */
int results_write(const struct tune_results *r, const struct run_info *info);
/*
 * Two objectives: the pick against the baseline on each, {METRIC:
 * {"ratio", "low", "high", "interval", "pairs", "confidence", and
 * "not_worse" (knee) or on the bounded objective "subject_to"
 * (constrained)}} as summary.json and pareto.json have it.
 */
json_t *results_pair_json(const struct verify_pair_result *p,
			  const struct tune_config *cfg);
/* The text report (also report.txt). */
void results_report(const struct tune_results *r,
		    const struct run_info *info, FILE *out);

#endif /* OSTUNE_RESULTS_H */
