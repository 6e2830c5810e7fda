// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The 2-D Pareto front by one sort and a sweep, and its hypervolume.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "search/pareto.h"

/* qsort_r has no portable form; a small insertion sort suffices here. */
static void sort_rows(const double *f, size_t *idx, size_t n)
{
	size_t i, j, v;

	for (i = 1; i < n; i++) {
		v = idx[i];
		for (j = i; j > 0; j--) {
			const double *a = f + 2 * idx[j - 1], *b = f + 2 * v;

			/* stable: equal rows keep their order */
			if (a[0] < b[0] || (a[0] == b[0] && a[1] <= b[1]))
				break;
			idx[j] = idx[j - 1];
		}
		idx[j] = v;
	}
}

int pareto_front(const double *f, size_t n, size_t *idx)
{
	size_t *order = malloc((n + 1) * sizeof(*order)), m = 0, i, k = 0;
	double best1 = INFINITY;

	if (!order)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (isfinite(f[2 * i]) && isfinite(f[2 * i + 1]))
			order[m++] = i;
	sort_rows(f, order, m);
	/* by increasing first score: on the front iff it lowers the second */
	for (i = 0; i < m; i++) {
		if (f[2 * order[i] + 1] < best1) {
			best1 = f[2 * order[i] + 1];
			idx[k++] = order[i];
		}
	}
	free(order);
	return (int)k;
}

double pareto_hypervolume(const double *f, const size_t *front, size_t nfront,
			  const double ref[2])
{
	double area = 0, top = ref[1];
	size_t i;

	/* front is sorted by the first score, so the second decreases */
	for (i = 0; i < nfront; i++) {
		const double *p = f + 2 * front[i];

		if (p[0] >= ref[0] || p[1] >= top)
			continue;
		area += (ref[0] - p[0]) * (top - p[1]);
		top = p[1];
	}
	return area;
}

int pareto_history(const struct tuner_problem *p,
		   const struct tuner_history *h, size_t *idx)
{
	double *f;
	size_t i;
	int n;

	if (p->nobjectives != 2)
		return -EINVAL;
	f = malloc((2 * h->n + 1) * sizeof(*f));
	if (!f)
		return -ENOMEM;
	for (i = 0; i < h->n; i++) {
		f[2 * i] = tuner_obs_score(p, &h->obs[i], 0);
		f[2 * i + 1] = tuner_obs_score(p, &h->obs[i], 1);
	}
	n = pareto_front(f, h->n, idx);
	free(f);
	return n;
}
