// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Paired, interleaved A/B statistics and the recommend-or-not decision.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "tune/verify.h"

void verify_round_order(size_t ncand, size_t round, int *order)
{
	size_t j;

	for (j = 0; j <= ncand; j++)
		order[j] = (int)j - 1;
	if (round % 2)
		for (j = 0; j <= ncand; j++)
			order[j] = (int)(ncand - j) - 1;
}

/* Mean, standard deviation (n - 1) of v[0..n). */
static void mean_sd(const double *v, size_t n, double *mean, double *sd)
{
	double s = 0, ss = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += v[i];
	*mean = n ? s / n : NAN;
	for (i = 0; i < n; i++)
		ss += (v[i] - *mean) * (v[i] - *mean);
	*sd = n > 1 ? sqrt(ss / (n - 1)) : NAN;
}

/* Does constraint c hold over the rounds, with one-sided confidence? */
static bool holds(const struct constraint *c, const double *v, size_t stride,
		  size_t rounds, double alpha)
{
	double x[rounds ? rounds : 1], mean, sd, t, edge;
	size_t n = 0, r;

	for (r = 0; r < rounds; r++)
		if (isfinite(v[r * stride]))
			x[n++] = v[r * stride];
	if (!n)
		return false;
	mean_sd(x, n, &mean, &sd);
	if (n < 2)
		return constraint_holds(c, mean);
	t = gsl_cdf_tdist_Qinv(alpha, (double)(n - 1));
	/* the side of the interval nearer the bound must meet it */
	edge = c->op == CMP_LE || c->op == CMP_LT ? mean + t * sd / sqrt(n) :
						    mean - t * sd / sqrt(n);
	return constraint_holds(c, edge);
}

/*
 * Paired effects of candidate j: log(cand / base) when every value is
 * positive, else (cand - base) / |mean base|; sign so that positive is
 * better. Returns how many pairs; *logs tells which form.
 */
static size_t effects(const struct verify_input *in, size_t j, double *d,
		      bool *logs)
{
	const double *c = in->candidates + j * in->rounds;
	double sign = in->goal == GOAL_MINIMIZE ? -1 : 1, base = 0;
	size_t r, n = 0, nb = 0;

	*logs = true;
	for (r = 0; r < in->rounds; r++) {
		if (!isfinite(in->baseline[r]) || !isfinite(c[r]))
			continue;
		*logs = *logs && in->baseline[r] > 0 && c[r] > 0;
		base += in->baseline[r];
		nb++;
	}
	base = nb ? fabs(base / nb) : 0;
	for (r = 0; r < in->rounds; r++) {
		if (!isfinite(in->baseline[r]) || !isfinite(c[r]))
			continue;
		if (*logs)
			d[n++] = sign * log(c[r] / in->baseline[r]);
		else
			d[n++] = sign * (c[r] - in->baseline[r]) /
				 (base > 0 ? base : 1);
	}
	return n;
}

/*
 * From the effect scale back to a relative improvement: a latency cut
 * from 100 to 90 is 10% (1 - ratio), a throughput raised from 100 to 110
 * too (ratio - 1). Increasing in e either way, so intervals map over.
 */
static double to_improvement(double e, bool logs, enum goal goal)
{
	if (!logs)
		return e;
	return goal == GOAL_MINIMIZE ? -expm1(-e) : expm1(e);
}

static void judge(const struct verify_input *in, size_t j,
		  struct verify_candidate *vc)
{
	double d[in->rounds ? in->rounds : 1], mean, sd, se, t;
	double level = in->alpha / 2 / (in->ncand ? in->ncand : 1);
	bool logs;
	size_t c;

	memset(vc, 0, sizeof(*vc));
	vc->pairs = effects(in, j, d, &logs);
	vc->feasible = true;
	for (c = 0; c < in->nconstraints; c++) {
		const double *v = in->constraint_values +
				  j * in->rounds * in->nconstraints + c;

		if (!holds(&in->constraints[c], v, in->nconstraints,
			   in->rounds, in->alpha)) {
			vc->feasible = false;
			constraint_format(&in->constraints[c], vc->violated,
					  sizeof(vc->violated));
			break;
		}
	}
	mean_sd(d, vc->pairs, &mean, &sd);
	vc->improvement = to_improvement(mean, logs, in->goal);
	vc->low = -INFINITY;
	vc->high = INFINITY;
	vc->p_value = 1;
	if (vc->pairs < 3)
		return;		/* too few pairs for an interval worth the name */
	se = sd / sqrt(vc->pairs);
	if (se > 0) {
		t = gsl_cdf_tdist_Qinv(level, (double)(vc->pairs - 1));
		vc->low = to_improvement(mean - t * se, logs, in->goal);
		vc->high = to_improvement(mean + t * se, logs, in->goal);
		vc->p_value = gsl_cdf_tdist_Q(mean / se,
					      (double)(vc->pairs - 1));
	} else {
		/* every pair agreed exactly */
		vc->low = vc->high = vc->improvement;
		vc->p_value = mean > 0 ? 0 : 1;
	}
	vc->significant = vc->low > in->min_effect;
}

int verify_decide(const struct verify_input *in, struct verify_result *out)
{
	double conf = 100 * (1 - in->alpha);
	int best = -1, shown = -1;
	size_t j;

	if (!in->baseline || !in->candidates || !out->cand ||
	    !(in->alpha > 0 && in->alpha < 1) ||
	    (in->nconstraints && !in->constraint_values))
		return -EINVAL;
	for (j = 0; j < in->ncand; j++) {
		judge(in, j, &out->cand[j]);
		if (out->cand[j].significant && out->cand[j].feasible &&
		    (best < 0 || out->cand[j].low > out->cand[best].low))
			best = (int)j;
		if (shown < 0 || out->cand[j].improvement >
				 out->cand[shown].improvement)
			shown = (int)j;
	}
	out->chosen = best;
	if (best >= 0) {
		const struct verify_candidate *c = &out->cand[best];

		snprintf(out->why, sizeof(out->why),
			 "candidate %d is %.1f%% better than the baseline (%.0f%% CI %.1f%% to %.1f%%, %zu paired rounds)",
			 best + 1, 100 * c->improvement, conf, 100 * c->low,
			 100 * c->high, c->pairs);
	} else if (shown < 0) {
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: no candidate to verify");
	} else {
		const struct verify_candidate *c = &out->cand[shown];

		if (c->significant && !c->feasible)
			snprintf(out->why, sizeof(out->why),
				 "defaults stand: the best candidate is %.1f%% better but breaks %s when measured again",
				 100 * c->improvement, c->violated);
		else if (c->pairs < 3)
			snprintf(out->why, sizeof(out->why),
				 "defaults stand: only %zu paired rounds succeeded, 3 needed",
				 c->pairs);
		else
			snprintf(out->why, sizeof(out->why),
				 "defaults stand: the best candidate's %.1f%% (%.0f%% CI %.1f%% to %.1f%%) is not clearly better than %.1f%%",
				 100 * c->improvement, conf, 100 * c->low,
				 100 * c->high, 100 * in->min_effect);
	}
	return 0;
}
