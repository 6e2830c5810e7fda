// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Scoring load phases (phases.h).
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "tune/phases.h"

int phase_score_parse(const char *text, enum phase_score *out)
{
	if (!strcmp(text, "mean"))
		*out = PHASE_SCORE_MEAN;
	else if (!strcmp(text, "worst"))
		*out = PHASE_SCORE_WORST;
	else
		return -EINVAL;
	return 0;
}

const char *phase_score_name(enum phase_score score)
{
	return score == PHASE_SCORE_WORST ? "worst" : "mean";
}

double phases_score(const double *values, const double *ref, size_t n,
		    enum phase_score how, enum goal goal)
{
	double sum = 0, worst = NAN, r;
	size_t p;

	for (p = 0; p < n; p++) {
		if (!isfinite(values[p]) || !(ref[p] > 0))
			return NAN;
		r = values[p] / ref[p];
		sum += r;
		if (isnan(worst) || (goal == GOAL_MAXIMIZE ? r < worst : r > worst))
			worst = r;
	}
	if (!n)
		return NAN;
	return how == PHASE_SCORE_WORST ? worst : sum / n;
}

double phases_worst(const struct constraint *c, const double *values,
		    size_t n)
{
	bool upper = c->op == CMP_LE || c->op == CMP_LT;
	double worst = NAN;
	size_t p;

	for (p = 0; p < n; p++)
		if (isfinite(values[p]) &&
		    (isnan(worst) || (upper ? values[p] > worst : values[p] < worst)))
			worst = values[p];
	return worst;
}
