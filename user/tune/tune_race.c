// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Racing (intensification): windows go where they decide something. A
 * configuration that comes out close to the best, or better, is measured
 * again until it has as many windows as the best (a configuration
 * measured once never wins against one measured ten times: its luck has
 * not been tested), and while the two stay within each other's noise
 * both get more, doubling, up to window.max_windows. One that is clearly
 * worse is left at its first windows. The baseline is not raced: its
 * anchors measure it again anyway, and verification compares the
 * candidates with it, paired.
 *
 * "Clearly" is two standard errors of the difference of the medians:
 * with the spread s (a relative standard deviation) of n windows, a
 * median's standard error is about 1.25 s / sqrt(n).
 */
#include <math.h>
#include <stdio.h>

#include "tune/tune_run.h"

enum race_verdict { RACE_WORSE, RACE_UNDECIDED, RACE_BETTER };

/* Each race measures each side a few times at most, whatever happens. */
#define RACE_ROUNDS_MAX 16

static enum race_verdict compare(const struct objective *obj,
				 const struct tune_obs *c,
				 const struct tune_obs *best)
{
	double sc = objective_score(obj, c->o.objectives[0]);
	double sb = objective_score(obj, best->o.objectives[0]);
	double d = (sc - sb) / (sb ? fabs(sb) : 1);
	double se = 2 * 1.2533 * hypot(c->o.spread / sqrt(c->o.windows),
				       best->o.spread / sqrt(best->o.windows));

	/* A tie of steady values is no reason to measure on. */
	if (d >= se)
		return RACE_WORSE;
	return d < -se ? RACE_BETTER : RACE_UNDECIDED;
}

/* Racing spends the search's time, never verification's. */
static bool time_left(struct tune_run *run)
{
	return !waiter_stopped(&run->waiter) && tune_search_time_left(run);
}

static int again(struct tune_run *run, size_t idx, unsigned int count,
		 const struct tune_obs *rival)
{
	char why[TUNER_WHY_MAX];

	snprintf(why, sizeof(why), "race: %u more windows against iteration %u",
		 count, rival->iteration);
	return tune_measure_again(run, idx, count, "race", why);
}

int tune_race(struct tune_run *run, size_t idx)
{
	const struct objective *obj = &run->cfg.objective;
	unsigned int cap = run->cfg.max_windows, nc, nb, k, round;
	const struct tune_obs *c, *best;
	enum race_verdict v;
	long b;
	int ret = 0;

	for (round = 0; !ret && round < RACE_ROUNDS_MAX && time_left(run); round++) {
		b = results_best_index(&run->results, obj, idx);
		c = &run->results.obs[idx];
		if (b < 0 || !results_trusted(c) || run->results.obs[b].o.baseline)
			break;
		best = &run->results.obs[b];
		v = compare(obj, c, best);
		nc = c->o.windows;
		nb = best->o.windows;
		if (v == RACE_WORSE)
			break;
		if (nc < nb && nc < cap) {
			k = (nb < cap ? nb : cap) - nc;
			ret = again(run, idx, k, best);
			continue;
		}
		if (v == RACE_BETTER || nb >= cap)
			break;
		k = nb < cap - nb ? nb : cap - nb;
		ret = again(run, (size_t)b, k, c);
		ret = ret ?: again(run, idx, k, &run->results.obs[b]);
	}
	return ret;
}
