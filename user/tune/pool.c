// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A configuration's pooled windows and their statistics (pool.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/stats.h"
#include "tune/pool.h"

static int grow(struct pool *p, size_t ncons)
{
	size_t cap = p->cap ? 2 * p->cap : 16;
	double *value = realloc(p->value, cap * sizeof(*value));
	bool *censored = value ? realloc(p->censored, cap * sizeof(*censored)) : NULL;
	double *position = censored ? realloc(p->position, cap * sizeof(*position)) : NULL;
	double *cons = position ? realloc(p->cons, (cap * ncons + 1) * sizeof(*cons)) : NULL;

	/* What moved is kept, so that pool_free() frees it. */
	p->value = value ? value : p->value;
	p->censored = censored ? censored : p->censored;
	p->position = position ? position : p->position;
	p->cons = cons ? cons : p->cons;
	if (!cons)
		return -ENOMEM;
	p->cap = cap;
	return 0;
}

int pool_add(struct pool *p, size_t ncons, double value, bool censored,
	     double position, const double *cons)
{
	size_t k;

	if (p->n && p->ncons != ncons)
		return -EINVAL;
	if (p->n == p->cap && grow(p, ncons))
		return -ENOMEM;
	p->ncons = ncons;
	p->value[p->n] = censored ? NAN : value;
	p->censored[p->n] = censored;
	p->position[p->n] = position;
	for (k = 0; k < ncons; k++)
		p->cons[p->n * ncons + k] = cons ? cons[k] : NAN;
	p->n++;
	return 0;
}

void pool_free(struct pool *p)
{
	free(p->value);
	free(p->censored);
	free(p->position);
	free(p->cons);
	memset(p, 0, sizeof(*p));
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * The median of m completed scores (sorted, lower is better) and k
 * censored ones, which rank below all of them; NaN when the middle is
 * censored.
 */
static double censored_median(const double *score, size_t m, size_t k)
{
	size_t n = m + k;

	if (!n || n / 2 >= m)
		return NAN;
	return n % 2 ? score[n / 2] : (score[n / 2 - 1] + score[n / 2]) / 2;
}

/*
 * Constraint metric k's median over the completed windows from from on,
 * each corrected by a (NULL: none); v has room for them.
 */
static double column_median(const struct pool *p, size_t from, size_t k,
			    const struct anchors *a, double *v)
{
	size_t i, m = 0;
	double x;

	for (i = from; i < p->n; i++) {
		if (p->censored[i] || !isfinite(p->value[i]))
			continue;
		x = p->cons[i * p->ncons + k];
		v[m++] = a ? anchors_correct(a, x, p->position[i]) : x;
	}
	return stats_median(v, m);
}

int pool_cons_median(const struct pool *p, size_t from, size_t k,
		     const struct anchors *a, double *out)
{
	double *v = calloc(p->n + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	*out = k < p->ncons ? column_median(p, from, k, a, v) : NAN;
	free(v);
	return 0;
}

int pool_stats(const struct pool *p, size_t from, const struct anchors *a,
	       enum goal goal, struct pool_stats *out, double *cons)
{
	size_t n = p->n > from ? p->n - from : 0, i, k, m = 0;
	double sign = goal == GOAL_MAXIMIZE ? -1 : 1;
	double *v = calloc(n + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	for (i = from; i < p->n; i++) {
		if (p->censored[i]) {
			out->censored++;
		} else if (isfinite(p->value[i])) {
			v[m++] = sign * (a ? anchors_correct(a, p->value[i], p->position[i]) :
					 p->value[i]);
		} else {
			out->failed++;
		}
	}
	out->completed = m;
	qsort(v, m, sizeof(*v), by_value);
	out->median = sign * censored_median(v, m, out->censored);
	out->censored_median = out->completed + out->censored > 0 &&
			       isnan(out->median);
	out->spread = stats_spread(v, m);
	for (k = 0; cons && k < p->ncons; k++)
		cons[k] = column_median(p, from, k, NULL, v);
	free(v);
	return 0;
}
