// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bo tuner's local model: the nearest observations and a GP fitted to
 * them alone.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/local_model.h"
#include "search/ucube.h"

/* Evaluations per fit: a few dozen points fit fast and settle early. */
#define LOCAL_FIT_EVALS 150

/*
 * Moves the k nearest of m (by d2) to the front of order: a partial
 * selection sort, O(k m), since k is a few dozen and m a few hundred.
 */
static void nearest(const double *d2, size_t m, size_t k, size_t *order)
{
	size_t i, j, tmp;

	for (i = 0; i < m; i++)
		order[i] = i;
	for (i = 0; i < k; i++)
		for (j = i + 1; j < m; j++)
			if (d2[order[j]] < d2[order[i]]) {
				tmp = order[i];
				order[i] = order[j];
				order[j] = tmp;
			}
}

int local_model_fit(struct gp *gp, const struct space *s, const double *u,
		    const double *y, const double *noise, size_t m,
		    const double *center, size_t k, struct rng *rng,
		    unsigned int restarts, double *radius, size_t *taken)
{
	size_t n = s->n, i, *order;
	double *d2, *lu, *ly, *ln;
	int ret = -ENOMEM;

	if (!m || !k)
		return -EINVAL;
	if (k > m)
		k = m;
	order = malloc(m * sizeof(*order));
	d2 = malloc(m * sizeof(*d2));
	lu = malloc((k * n + 1) * sizeof(*lu));
	ly = malloc(k * sizeof(*ly));
	ln = malloc(k * sizeof(*ln));
	if (!order || !d2 || !lu || !ly || !ln)
		goto out;
	for (i = 0; i < m; i++)
		d2[i] = ucube_dist2(s, u + i * n, center);
	nearest(d2, m, k, order);
	for (i = 0; i < k; i++) {
		memcpy(lu + i * n, u + order[i] * n, n * sizeof(*lu));
		ly[i] = y[order[i]];
		ln[i] = noise ? noise[order[i]] : 0;
		if (taken)
			taken[i] = order[i];
	}
	*radius = sqrt(d2[order[k - 1]] / (n ? n : 1));
	ret = gp_set_data(gp, lu, ly, noise ? ln : NULL, k, 0);
	if (!ret)
		ret = gp_fit(gp, rng, restarts, LOCAL_FIT_EVALS);
	if (!ret)
		ret = (int)k;
out:
	free(order);
	free(d2);
	free(lu);
	free(ly);
	free(ln);
	return ret;
}
