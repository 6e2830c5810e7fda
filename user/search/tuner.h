/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tuner interface: what the measurement loop gives a tuner and what it
 * gets back. Every tuner, the simple ones here (fixed, random) and the
 * model-based ones (Gaussian-process Bayesian optimisation, grid,
 * coordinate descent, trust region), fits behind these few calls.
 *
 * In: a problem, fixed for the run (the search space, the objectives and
 * their goals, the constraints, the seed, the budget, the tuner's own
 * options from the config), and on every call the whole history: one
 * observation per configuration measured so far, the baseline first,
 * failed ones included, in the order they were measured.
 *
 * Out: one or a batch of suggestions, each a point of the space and a
 * short "why" for people ("latin hypercube 3 of 8", "expected improvement
 * 0.041 at the incumbent's neighbourhood") that the history keeps.
 *
 * Rules every tuner keeps:
 *  - Determinism: a suggestion depends only on the problem (seed
 *    included) and the history passed in. No clocks, no global state,
 *    no hidden counters: a run resumed from its history.jsonl, which
 *    rebuilds the same history, goes on with the same suggestions.
 *    Internal state (a fitted model) is a cache of the history.
 *  - Suggestions are inside the space: the loop checks them
 *    (space_check()) and a tuner that breaks this is a bug, reported as
 *    such, not a failed window.
 *  - The loop may ask for fewer suggestions than a batch would allow and
 *    may measure a batch's points in any order; each comes back as one
 *    observation.
 *
 * Scores: lower is better. objective_score() turns a measured objective
 * into a score (negated when maximised); tuner_obs_score() does it for an
 * observation and gives +inf to failed and infeasible ones, which is what
 * a tuner that ignores constraints wants.
 */
#ifndef OSTUNE_TUNER_H
#define OSTUNE_TUNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/child.h"
#include "measure/objective.h"
#include "search/space.h"

/* Two objectives at most (e.g. p99 latency and energy): "objectives" */
#define TUNER_MAX_OBJECTIVES	2
#define TUNER_WHY_MAX		160

/*
 * What a tuner that asks something outside the process (llm) needs of the
 * run; the loop gives it, --plan and the tests of the pure tuners do not.
 */
struct tuner_context {
	const char *dir;		/* the run directory */
	bool resume;			/* it holds a run being continued */
	/* waits on the outside beat the session and end on a stop signal */
	struct waiter *waiter;
	const char *sysroot;		/* where knob discovery reads */
	const json_t *baseline_knobs;	/* {"knob": "host's value"} */
	const json_t *target;		/* the config's target */
};

struct tuner_problem {
	const struct space *space;
	const struct objective *objectives;	/* nobjectives of them */
	size_t nobjectives;
	const struct constraint *constraints;
	size_t nconstraints;
	uint64_t seed;
	/* configurations the loop will ask for at most, baseline excluded */
	unsigned int budget;
	/*
	 * The host's values when the run began, as a point; NaN where a
	 * value is not in the space (a categorical value not listed).
	 */
	const double *baseline;
	/* the config's "tuner" object: the tuner's own options, or NULL */
	const json_t *options;
	const struct tuner_context *context;	/* or NULL */
};

/* One configuration and what its windows measured. */
struct tuner_observation {
	const double *x;		/* space->n values */
	/*
	 * Medians over the configuration's trusted windows; NaN when
	 * failed or a metric was missing.
	 */
	double objectives[TUNER_MAX_OBJECTIVES];
	/* relative spread of the objective's windows (stats_spread()) */
	double spread;
	const double *constraint_values;	/* nconstraints medians */
	unsigned int windows;			/* measured, warm-up excluded */
	bool baseline;		/* the host's own values, measured first */
	bool failed;		/* apply failed, or no window succeeded */
	bool noisy;		/* spread stayed above the limit after re-measuring */
	bool feasible;		/* every constraint holds (false when failed) */
	const char *error;	/* why it failed, or NULL */
};

struct tuner_history {
	const struct tuner_observation *obs;
	size_t n;
};

struct tuner_suggestion {
	double *x;			/* space->n values, the caller's memory */
	char why[TUNER_WHY_MAX];
};

struct tuner;

struct tuner_ops {
	const char *name;
	const char *summary;		/* one line for help and errors */
	/*
	 * The keys its options object may have besides "name", NULL-ended;
	 * tuner_create() refuses any other before init() runs.
	 */
	const char *const *options;
	/*
	 * It takes two objectives: it searches them both (bo) or does not
	 * look at scores at all (random, grid, fixed).
	 */
	bool objectives2;
	/* Checks options and sets up priv. -EINVAL with why, or -ENOMEM. */
	int (*init)(struct tuner *t, char *why, size_t len);
	/*
	 * Fills out[0..n): returns how many it filled (1..n; fewer when the
	 * tuner has no more to say, 0 when it is done), or -errno.
	 */
	int (*suggest)(struct tuner *t, const struct tuner_history *h,
		       struct tuner_suggestion *out, size_t n);
	/*
	 * Optional: fills idx[0..k) with the observations this tuner would
	 * recommend, best first (indices into h->obs; distinct points; the
	 * baseline, failed and infeasible ones left out); returns how many,
	 * or -errno. A model-based tuner ranks by what its model believes,
	 * not by the luckiest measurement. Without it, tuner_rank() ranks by
	 * observed score.
	 */
	int (*rank)(struct tuner *t, const struct tuner_history *h,
		    size_t *idx, size_t k);
	/*
	 * Optional: what summary.json should say of the tuner's own costs
	 * (the llm tuner's calls and tokens); a new reference, or NULL.
	 */
	json_t *(*stats)(struct tuner *t);
	void (*fini)(struct tuner *t);
};

struct tuner {
	const struct tuner_ops *ops;
	const struct tuner_problem *problem;
	void *priv;
};

/* The tuners ostune has, by name; NULL when unknown. */
const struct tuner_ops *tuner_find(const char *name);
/* "fixed, random, ...": for error messages. */
const char *tuner_names(void);

/*
 * -ENOENT (unknown name), -EINVAL (an option the tuner does not take) or
 * init's errors, with why filled.
 */
int tuner_create(struct tuner *t, const char *name,
		 const struct tuner_problem *problem, char *why, size_t len);
/*
 * ops->suggest(), then every point checked against the space: -EPROTO with
 * why filled when the tuner broke that rule.
 */
int tuner_suggest(struct tuner *t, const struct tuner_history *h,
		  struct tuner_suggestion *out, size_t n, char *why,
		  size_t len);
/*
 * The configurations worth recommending, best first: ops->rank(), or the
 * observed scores when the tuner has none (tuner_rank_observed()).
 */
int tuner_rank(struct tuner *t, const struct tuner_history *h, size_t *idx,
	       size_t k);
int tuner_rank_observed(const struct tuner_problem *p,
			const struct tuner_history *h, size_t *idx, size_t k);
/*
 * Ranks by key[i] per observation, lowest first; +inf (failed,
 * infeasible) is never ranked, nor the baseline; a point measured several
 * times takes one slot, at its first-ranked observation.
 */
int tuner_rank_by(const struct tuner_problem *p, const struct tuner_history *h,
		  const double *key, size_t *idx, size_t k);
/* ops->stats(), or NULL. */
json_t *tuner_stats(struct tuner *t);
void tuner_destroy(struct tuner *t);

/* Objective k's score, +inf when failed, infeasible or missing. */
double tuner_obs_score(const struct tuner_problem *p,
		       const struct tuner_observation *o, size_t k);
/* How many observations were suggested by a tuner (not the baseline). */
size_t tuner_history_suggested(const struct tuner_history *h);

/* The tuners; tuner.c lists them. */
extern const struct tuner_ops tuner_fixed_ops;
extern const struct tuner_ops tuner_random_ops;
extern const struct tuner_ops tuner_grid_ops;
extern const struct tuner_ops tuner_coordinate_ops;
extern const struct tuner_ops tuner_bo_ops;
extern const struct tuner_ops tuner_llm_ops;
extern const struct tuner_ops tuner_llm_bo_ops;

#endif /* OSTUNE_TUNER_H */
