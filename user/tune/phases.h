/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Load phases (the config's "phases"): every configuration is measured
 * at each load level in turn, one window per phase making a round, and a
 * round is scored by how each phase did against the baseline at the same
 * phase: value / the baseline's, a ratio (1: as the baseline), combined
 * by "score": the mean of the ratios, or the worst of them (the largest
 * when minimizing, the smallest when maximizing). The baseline's phase
 * values are the medians of its first block, measured before anything
 * else; its later anchors correct for drift as without phases.
 */
#ifndef OSTUNE_PHASES_H
#define OSTUNE_PHASES_H

#include <stddef.h>

#include "measure/objective.h"

/* phases a config may have at most */
#define TUNE_PHASES_MAX 8

enum phase_score {
	PHASE_SCORE_MEAN,
	PHASE_SCORE_WORST,
};

/* "mean" or "worst"; -EINVAL for anything else. */
int phase_score_parse(const char *text, enum phase_score *out);
const char *phase_score_name(enum phase_score score);

/*
 * The score of one round: the n phases' values against the baseline's
 * (ref), combined as how says for goal. NaN when a value or reference is
 * missing (a failed window) or a reference is not positive.
 */
double phases_score(const double *values, const double *ref, size_t n,
		    enum phase_score how, enum goal goal);

/*
 * The value of a constraint's metric a round reports: the phase that
 * comes closest to breaking it (for <= and <, the largest). NaN when all
 * are missing.
 */
double phases_worst(const struct constraint *c, const double *values,
		    size_t n);

#endif /* OSTUNE_PHASES_H */
