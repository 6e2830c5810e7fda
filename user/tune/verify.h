/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Verified results: after the search, the baseline (A) and the best
 * candidates are measured again, interleaved round by round, and a
 * candidate is recommended only when it is better than the baseline with
 * confidence; otherwise the host's defaults stand. A tuner's best score is
 * the best of many noisy measurements, so it flatters (the winner's
 * curse); fresh paired measurements do not.
 *
 * The statistics: per round, the candidate's window is paired with the
 * baseline's window of the same round (pairing cancels slow drift of the
 * host). A metric that is always positive is compared by the log of the
 * ratio of the two (performance noise scales with the value); the effect
 * is the geometric mean ratio candidate / baseline with a t interval. A
 * metric that can be zero or negative is compared by the ratio of the
 * means, with Fieller's paired interval.
 *
 * The test is sequential: rounds go on until the verdict is clear or the
 * rounds run out. Each candidate's null hypothesis "not better than the
 * baseline by min_effect" is tested one-sided at every look, at the
 * nominal levels of a group-sequential design (Lan-DeMets alpha spending
 * over the planned rounds; the boundaries are computed by numerical
 * integration for the looks actually taken, with a margin for t
 * statistics), with Holm's step-down over the candidates. So the chance
 * of recommending a candidate that is not better is at most alpha,
 * however many looks were taken and however many candidates were tried
 * (bench/verify measures it). A group-sequential design rather than an
 * always-valid confidence sequence: the horizon is known, and for tens of
 * rounds a confidence sequence needs several times the windows for the
 * same power. A candidate is given up (futility, binding: the levels
 * assume these stops, which makes them higher) when its p-value at a
 * look before the last is above the futility boundary's, beta spent
 * under the effect the planned rounds detect with power 0.8, from a look
 * at VERIFY_FIRST_LOOK rounds on; and clearly not better (non-binding)
 * when its bound on the better side falls short of min_effect.
 *
 * The spread is the rounds' own, not the search's window noise: the
 * candidate (the best found, often at extreme settings, in other
 * conditions) can be noisier in the rounds than the search's windows
 * were on average, and a few rounds cannot tell (borrowing it let 7-8%
 * of null single candidates through at alpha 0.05 when the rounds were
 * 1.3 to 2 times as noisy; docs/tuners.md).
 *
 * How the loop uses it:
 *   1. tuner_rank() chooses up to k candidates from the history;
 *   2. for round r = 0, 1, ..., it measures one window of each
 *      configuration (after warm-up, as in the search; a candidate given
 *      up is not measured again: it is judged on its first given_up
 *      rounds only, and its later values may be NaN) in the order
 *      verify_round_order() gives (the baseline first in even rounds,
 *      last in odd ones, so that a linear drift cancels out), recording
 *      the objective (NaN when a window failed) and the constraint
 *      metrics;
 *   3. after each round it asks verify_decide(); VERIFY_CONTINUE means
 *      measure another round (with last set when none can follow). The
 *      best profile is written only for VERIFY_BETTER's candidate.
 */
#ifndef OSTUNE_VERIFY_H
#define OSTUNE_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "measure/objective.h"
#include "search/tuner.h"

#define VERIFY_WHY_MAX 448
/* An interval needs a few pairs. */
#define VERIFY_FIRST_LOOK 3
/*
 * The first look that may decide (unless the rounds end sooner): with
 * fewer pairs the t statistic's own noise makes the repeated looks
 * exceed alpha (bench/verify).
 */
#define VERIFY_FIRST_DECISION 5

/*
 * Measurement order of round r for ncand candidates, into order[0..ncand]:
 * -1 is the baseline, j >= 0 candidate j.
 */
void verify_round_order(size_t ncand, size_t round, int *order);

/* Is a decision taken after round n of at most max (a look)? */
bool verify_is_look(size_t n, size_t max);

/*
 * The sequential design: the looks up to max_rounds and, for each family
 * level alpha / d (d = 1..ncand, Holm's steps), their nominal one-sided
 * levels. Computed once per verification (the integration is not cheap).
 */
struct verify_plan {
	size_t max_rounds, ncand, nlooks;
	double alpha;		/* chance of recommending one not better */
	size_t *looks;		/* nlooks round counts */
	double *level;		/* ncand x nlooks: [(d - 1) * nlooks + i] */
	/*
	 * The "better" test's own design (verify_decide()), with binding
	 * futility: its looks (those above, and one at VERIFY_FIRST_LOOK
	 * rounds for futility only), their nominal levels knowing that the
	 * paths below the futility boundaries stop (0 at the futility-only
	 * look), and per look the one-sided p-value above which a candidate
	 * is given up for good (1 at the last look: none). Levels that assume
	 * stops the rounds do not make are no use to another test, which
	 * takes `level`.
	 */
	size_t nbetter;
	size_t *better_looks;
	bool *better_tests;	/* nbetter: false at the futility-only look */
	double *better_level;	/* ncand x nbetter */
	double *futility;	/* nbetter */
};

/* 0, -EINVAL (bad numbers) or -ENOMEM. */
int verify_plan_init(struct verify_plan *p, size_t max_rounds, size_t ncand,
		     double alpha);
void verify_plan_free(struct verify_plan *p);

struct verify_input {
	const struct verify_plan *plan;
	size_t rounds, ncand;	/* rounds measured so far; ncand <= plan's */
	bool last;		/* no round follows: spend what is left */
	bool out_of_time;	/* and that is the time budget's doing */
	/* the objective's values; rows of the plan's max_rounds */
	const double *baseline;		/* rounds values */
	const double *candidates;	/* ncand rows of rounds values */
	enum goal goal;
	/* a factor 1 + min_effect is needed; negative (> -1): a loss allowed */
	double min_effect;
	/*
	 * The plan's plain design, without futility stops: a two-objective
	 * verdict's tests, where "not better" of a "not worse" test reads
	 * "worse by more", which giving up does not show.
	 */
	bool no_futility;
	const struct constraint *constraints;
	size_t nconstraints;
	/* ncand x max_rounds x nconstraints, or NULL without constraints */
	const double *constraint_values;
};

enum verify_decision {
	VERIFY_CONTINUE,	/* not clear yet: measure another round */
	VERIFY_BETTER,		/* chosen is better, with confidence */
	VERIFY_NOT_BETTER,	/* no candidate is better: defaults stand */
	VERIFY_INCONCLUSIVE,	/* out of rounds, not clear: defaults stand */
};

struct verify_candidate {
	size_t pairs;		/* rounds counted (failed ones included) */
	size_t failed;		/* its windows that failed, baseline's not */
	size_t base_failed;	/* the baseline's failed windows */
	/*
	 * The metric's ratio candidate / baseline and its interval (each end
	 * a one-sided bound at the level the decision used), whatever the
	 * goal: 0.87 is 13% lower. NaN ends: no bounded interval.
	 */
	double ratio, low, high;
	bool fieller;		/* ratio of means (metric not all positive) */
	double p_value;		/* one-sided, of "not better by min_effect" */
	bool feasible;		/* constraints hold on the median */
	bool better;		/* rejected by the sequential Holm test */
	bool futile;		/* clearly not better by min_effect */
	/*
	 * Given up for good at a look before the last: the rounds of that
	 * look (0: not), on which it is judged; later rounds are not needed
	 */
	size_t given_up;
	char violated[64];	/* the first constraint that did not hold */
};

struct verify_result {
	enum verify_decision decision;
	int chosen;		/* the candidate recommended, -1: none */
	struct verify_candidate *cand;	/* ncand, the caller's memory */
	char why[VERIFY_WHY_MAX];
};

/* -EINVAL when the input is malformed, else 0 and out filled. */
int verify_decide(const struct verify_input *in, struct verify_result *out);

/*
 * Two objectives: one candidate, the pick from the front (front.h), and
 * its verdict on both. Each round pairs the pick's window with the
 * baseline's on each objective. A window that failed counts against its
 * configuration on both objectives: a pick that failed more windows than
 * the baseline is refused.
 *
 * A "knee" pick (subject_to NULL) is recommended when, with confidence,
 * it is better than the baseline on one objective (the sequential test
 * above, at alpha / 2: either of two may decide) and not worse than the
 * baseline by more than a factor 1 + max_loss on the other (the same
 * sequential test, non-inferiority, at alpha). A "better" crossing does
 * not stop the rounds: they go on until the other objective's
 * non-inferiority is shown, refuted, or the rounds run out (then
 * inconclusive).
 *
 * A "constrained" pick is recommended when it is better than the
 * baseline on the optimised objective (at alpha / 2) and meets subject_to
 * on the other: with a one-sided confidence bound of its mean measured
 * again, a sequential test at alpha like "not worse" (the worse plan's
 * looks and levels: a false "met" at most alpha however many looks), or,
 * with fewer than VERIFY_FIRST_LOOK values, on their median (the message
 * says which). It is not compared with the baseline
 * on the bounded objective: the bound is what the user asked for.
 */
struct verify_pair_input {
	const struct verify_plan *better_plan;	/* alpha / 2, one candidate */
	const struct verify_plan *worse_plan;	/* alpha, one candidate */
	size_t rounds;
	bool last, out_of_time;
	/* each objective's values, rows of the plans' max_rounds */
	const double *baseline[2], *candidate[2];
	enum goal goal[2];
	const char *metric[2];
	double min_effect;
	double max_loss;	/* knee: a factor 1 + max_loss is tolerated */
	/* NULL, or a bound on objective subject_of's values */
	const struct constraint *subject_to;
	size_t subject_of;
};

/* A constrained pick's bound on its other objective, as measured again. */
enum verify_bound { VERIFY_BOUND_UNDECIDED, VERIFY_BOUND_MET, VERIFY_BOUND_BROKEN };

struct verify_pair_result {
	enum verify_decision decision;
	/*
	 * per objective: the test of "better" (at alpha / 2) and how it
	 * stands (a crossing at an earlier look stands: VERIFY_BETTER)
	 */
	struct verify_candidate better[2];
	enum verify_decision better_decision[2];
	/*
	 * knee: per objective, the test of "worse by at most max_loss" (at
	 * alpha): VERIFY_BETTER shown, VERIFY_NOT_BETTER worse by more
	 */
	struct verify_candidate not_worse[2];
	enum verify_decision not_worse_decision[2];
	/*
	 * constrained: subject_of's mean's one-sided bounds (at the look that
	 * met the bound, when one did), or its median
	 */
	double bound_low, bound_high;
	bool bound_by_median;
	enum verify_bound bound;
	char why[VERIFY_WHY_MAX];
};

/* -EINVAL when the input is malformed, else 0 and out filled. */
int verify_decide_pair(const struct verify_pair_input *in,
		       struct verify_pair_result *out);

/*
 * The nominal one-sided levels of the looks at n[0..k) rounds out of max
 * for family level alpha (the last look spends all that is left when
 * last), into level[0..k). 0 or -EINVAL/-ENOMEM.
 */
int verify_levels(const size_t *n, size_t k, size_t max, bool last,
		  double alpha, double *level);

/*
 * The nominal one-sided level of the look after `rounds` rounds for family
 * level plan alpha / d (d = 1..ncand): the plan's, or, forced (the rounds
 * ran out off the plan's looks), the level that spends what is left. The
 * same boundaries serve any one-sample t statistic tested at these looks
 * (a constrained pick's bound: verify_pair.c). 0 or -EINVAL/-ENOMEM.
 */
int verify_look_level(const struct verify_plan *p, size_t rounds, size_t d,
		      bool forced, double *level);

/*
 * The "better" test's design at looks n[0..k) out of max for family
 * level alpha, efficacy[i] false at a look for futility only: the
 * nominal levels into level[0..k) and the futility p-values into
 * futility[0..k) (1 at the last look). given NULL: the futility
 * boundaries spend beta under the effect these looks detect with power
 * 1 - beta; else given[0..k-1) are the futility p-values to use (another
 * Holm step's). The last look spends all that is left when last. 0 or
 * -EINVAL/-ENOMEM.
 */
int verify_better_levels(const size_t *n, const bool *efficacy, size_t k,
			 size_t max, bool last, double alpha,
			 const double *given, double *level, double *futility);

/*
 * "0.87x, ≥90% CI 0.80x-0.94x", or "0.87x, inconclusive (≥90% CI
 * 0.60x-1.20x)" when the interval spans 1 or is unbounded. conf in
 * percent: 1 - 2 x the family level of the test that made the interval.
 * "≥": each end is a one-sided bound at the nominal level of the look
 * that decided (verify_levels()), which is at most the family level: a
 * repeated confidence interval (Jennison and Turnbull), whose ends hold
 * at every look together with probability at least conf, so also at the
 * look the rounds stopped at; a fixed-size interval's exact conf it is not.
 */
void verify_format_ratio(double ratio, double low, double high, double conf,
			 char *buf, size_t len);

/*
 * A knee pick's test of "not worse than the baseline by more than a factor
 * 1 + max_loss" on one objective of goal, for the verdict and the
 * report's tables: "bound 1.03x, at most 1.05x allowed (≥90% CI
 * 0.98x-1.03x)". The bound is the interval's end on the worse side (high
 * when minimising), the factor allowed 1 + max_loss (its inverse when
 * maximising). conf as verify_format_ratio()'s.
 */
void verify_format_not_worse(double low, double high, double conf,
			     enum goal goal, double max_loss, char *buf,
			     size_t len);
/* not_worse_decision's: "shown", "worse by more", "not shown" */
const char *verify_not_worse_name(enum verify_decision d);

/*
 * A constrained pick's bound: "energy <= 70 (its mean's 95% upper bound:
 * 68.1)", or by the median when too few windows for a bound (conf then
 * unused); constraint is constraint_format()'s text.
 */
void verify_format_bound(const char *constraint, bool upper, bool by_median,
			 double value, double conf, char *buf, size_t len);

/* "met", "broken", "not shown" */
const char *verify_bound_name(enum verify_bound b);

#endif /* OSTUNE_VERIFY_H */
