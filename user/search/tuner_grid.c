// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The grid tuner: every combination of a few values per knob. A real knob
 * takes "levels" values evenly spread over its (log) range, default as
 * many as let the whole grid fit the budget (at least 2, at most 10); an
 * integer knob the same, without repeats after rounding; a categorical
 * knob all its values. The grid is walked in a seeded pseudo-random order
 * (an affine permutation of the indices, no table), so that a budget
 * smaller than the grid still samples all of it evenly; the tuner is done
 * when the grid is.
 *
 * Stateless: point k is the permutation's k-th index, k counting the
 * history's suggested observations.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "search/tuner.h"

#define STREAM_ORDER	0x67726964ULL
#define MAX_LEVELS	10

struct grid {
	double **values;	/* per knob, its grid values (native) */
	size_t *count;
	uint64_t total;		/* the grid's size, saturated at 2^62 */
	uint64_t mul, add;	/* index k -> (mul k + add) mod total */
};

static void grid_fini(struct tuner *t)
{
	struct grid *g = t->priv;
	size_t i;

	if (!g)
		return;
	for (i = 0; g->values && i < t->problem->space->n; i++)
		free(g->values[i]);
	free(g->values);
	free(g->count);
	free(g);
	t->priv = NULL;
}

/* Levels per numeric knob so that the grid fits the budget. */
static unsigned int default_levels(const struct tuner_problem *p)
{
	double cats = 1, numeric = 0, l;
	size_t i;

	for (i = 0; i < p->space->n; i++) {
		if (p->space->dims[i].type == DIM_CATEGORICAL)
			cats *= p->space->dims[i].nvalues;
		else
			numeric++;
	}
	if (!numeric || !p->budget)
		return 5;
	l = floor(pow(p->budget / cats, 1 / numeric) + 1e-9);
	return l < 2 ? 2 : l > MAX_LEVELS ? MAX_LEVELS : (unsigned int)l;
}

/* The distinct values of knob d at `levels` even unit steps. */
static int knob_values(const struct dim *d, unsigned int levels,
		       double **out, size_t *n)
{
	size_t cap = d->type == DIM_CATEGORICAL ? d->nvalues : levels;
	double v, *vals = calloc(cap ? cap : 1, sizeof(*vals));
	unsigned int j;

	if (!vals)
		return -ENOMEM;
	*n = 0;
	for (j = 0; j < cap; j++) {
		if (d->type == DIM_CATEGORICAL)
			v = j;
		else
			v = dim_from_unit(d, levels > 1 ?
					  (double)j / (levels - 1) : 0.5);
		/* values come in increasing order: a repeat is the last one */
		if (*n && vals[*n - 1] == v)
			continue;
		vals[(*n)++] = v;
	}
	*out = vals;
	return 0;
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t r = a % b;

		a = b;
		b = r;
	}
	return a;
}

static int grid_init(struct tuner *t, char *why, size_t len)
{
	const struct tuner_problem *p = t->problem;
	const json_t *lv = json_object_get(p->options, "levels");
	unsigned int levels;
	struct rng rng;
	struct grid *g;
	size_t i;

	if (lv && (!json_is_integer(lv) || json_integer_value(lv) < 1 ||
		   json_integer_value(lv) > 1000)) {
		snprintf(why, len, "tuner grid: \"levels\" is the number of values per numeric knob, 1 to 1000");
		return -EINVAL;
	}
	levels = lv ? (unsigned int)json_integer_value(lv) : default_levels(p);
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	t->priv = g;
	g->values = calloc(p->space->n + 1, sizeof(*g->values));
	g->count = calloc(p->space->n + 1, sizeof(*g->count));
	if (!g->values || !g->count)
		return -ENOMEM;
	g->total = 1;
	for (i = 0; i < p->space->n; i++) {
		if (knob_values(&p->space->dims[i], levels, &g->values[i],
				&g->count[i]))
			return -ENOMEM;
		g->total = g->total > (1ULL << 62) / g->count[i] ?
			   1ULL << 62 : g->total * g->count[i];
	}
	/* an odd multiplier coprime with the size makes a permutation */
	rng_seed(&rng, rng_mix(p->seed ^ STREAM_ORDER, 0));
	do
		g->mul = rng_below(&rng, g->total) | 1;
	while (g->total > 1 && gcd(g->mul, g->total) != 1);
	g->add = rng_below(&rng, g->total);
	return 0;
}

static int grid_suggest(struct tuner *t, const struct tuner_history *h,
			struct tuner_suggestion *out, size_t n)
{
	const struct space *s = t->problem->space;
	const struct grid *g = t->priv;
	uint64_t k = tuner_history_suggested(h), idx;
	size_t i, j;

	for (i = 0; i < n && k < g->total; i++, k++) {
		/* mod total, without overflowing the product */
		idx = (uint64_t)(((unsigned __int128)g->mul * k + g->add) %
				 g->total);
		snprintf(out[i].why, sizeof(out[i].why),
			 "grid point %llu of %llu",
			 (unsigned long long)k + 1,
			 (unsigned long long)g->total);
		for (j = 0; j < s->n; j++) {
			out[i].x[j] = g->values[j][idx % g->count[j]];
			idx /= g->count[j];
		}
	}
	return (int)i;
}

static const char *const grid_options[] = { "levels", NULL };

const struct tuner_ops tuner_grid_ops = {
	.objectives2 = true,
	.name = "grid",
	.options = grid_options,
	.summary = "every combination of a few values per knob, in a seeded order",
	.init = grid_init,
	.suggest = grid_suggest,
	.fini = grid_fini,
};
