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
 * baseline's window of the same round, and the log ratio of the two taken
 * (ratios suit performance metrics, whose noise scales with their value;
 * pairing cancels slow drift of the host). Their mean and Student-t
 * interval give the improvement as a ratio with a confidence interval,
 * Bonferroni-corrected over the candidates. Metrics that are not all
 * positive are compared by differences relative to the baseline's mean.
 *
 * How the loop uses it:
 *   1. tuner_rank() chooses up to k candidates from the history;
 *   2. for round r = 0..rounds-1, it measures one window of each
 *      configuration in the order verify_round_order() gives (the
 *      baseline first in even rounds, last in odd ones, so that a linear
 *      drift cancels out), recording the objective (NaN when a window
 *      failed) and the constraint metrics;
 *   3. verify_decide() says which candidate, if any, to recommend, and
 *      why; the best profile is written only for that candidate, and
 *      the summary reports its improvement and interval.
 */
#ifndef OSTUNE_VERIFY_H
#define OSTUNE_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "measure/objective.h"
#include "search/tuner.h"

#define VERIFY_WHY_MAX 240

/*
 * Measurement order of round r for ncand candidates, into order[0..ncand]:
 * -1 is the baseline, j >= 0 candidate j.
 */
void verify_round_order(size_t ncand, size_t round, int *order);

struct verify_input {
	size_t rounds, ncand;
	const double *baseline;		/* rounds objective values */
	const double *candidates;	/* ncand x rounds */
	enum goal goal;
	double alpha;		/* 0.05: 95% two-sided intervals */
	double min_effect;	/* improvement needed, 0.02 = 2% */
	const struct constraint *constraints;
	size_t nconstraints;
	/* ncand x rounds x nconstraints, or NULL without constraints */
	const double *constraint_values;
};

struct verify_candidate {
	size_t pairs;		/* rounds where both windows succeeded */
	/* relative improvement, 0.1 = 10% better, whatever the goal */
	double improvement, low, high;
	double p_value;		/* one-sided, of "no improvement" */
	bool feasible;		/* constraints held, with confidence */
	bool significant;	/* low > min_effect */
	char violated[64];	/* the first constraint that did not hold */
};

struct verify_result {
	int chosen;		/* the candidate recommended, -1: none */
	struct verify_candidate *cand;	/* ncand, the caller's memory */
	char why[VERIFY_WHY_MAX];
};

/* -EINVAL when the input is malformed, else 0 and out filled. */
int verify_decide(const struct verify_input *in, struct verify_result *out);

#endif /* OSTUNE_VERIFY_H */
