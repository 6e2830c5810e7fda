// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Coordinates for the model-based tuners, projections onto valid points,
 * and space-filling designs.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "search/ucube.h"

void ucube_from_point(const struct space *s, const double *x, double *u)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		u[i] = ucube_is_cat(s, i) ? x[i] :
		       dim_to_unit(&s->dims[i], x[i]);
}

static double cat_index(const struct dim *d, double u)
{
	double v = round(u);

	return v < 0 ? 0 : v > d->nvalues - 1 ? d->nvalues - 1 : v;
}

void ucube_to_point(const struct space *s, const double *u, double *x)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		x[i] = ucube_is_cat(s, i) ? cat_index(&s->dims[i], u[i]) :
		       dim_from_unit(&s->dims[i], u[i]);
}

static double project1(const struct space *s, size_t i, double u)
{
	const struct dim *d = &s->dims[i];

	if (ucube_is_cat(s, i))
		return cat_index(d, u);
	if (d->min == d->max)
		return 0.5;	/* where space.h puts a fixed knob */
	return dim_to_unit(d, dim_from_unit(d, u));
}

void ucube_project(const struct space *s, double *u)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		u[i] = project1(s, i, u[i]);
}

double ucube_dist2(const struct space *s, const double *a, const double *b)
{
	double sum = 0, d;
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (ucube_is_cat(s, i)) {
			sum += a[i] != b[i];
			continue;
		}
		d = a[i] - b[i];
		sum += d * d;
	}
	return sum;
}

double ucube_gaussian(struct rng *r)
{
	double u1 = 1 - rng_uniform(r), u2 = rng_uniform(r);

	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

static double random_coord(const struct space *s, size_t i, struct rng *r)
{
	if (ucube_is_cat(s, i))
		return (double)rng_below(r, s->dims[i].nvalues);
	return rng_uniform(r);
}

void ucube_random(const struct space *s, struct rng *r, double *u)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		u[i] = random_coord(s, i, r);
	ucube_project(s, u);
}

void ucube_random_near(const struct space *s, const double *center,
		       double radius, struct rng *r, double *u)
{
	size_t i, ncat = 0, pick;

	for (i = 0; i < s->n; i++) {
		if (ucube_is_cat(s, i)) {
			u[i] = center[i];
			ncat++;
			continue;
		}
		u[i] = center[i] + radius * (2 * rng_uniform(r) - 1);
	}
	if (ncat && rng_uniform(r) < 0.5) {
		pick = rng_below(r, ncat);
		for (i = 0; i < s->n; i++)
			if (ucube_is_cat(s, i) && !pick--)
				u[i] = random_coord(s, i, r);
	}
	ucube_clip(s, center, radius, u);
}

/* Steps an integer knob one unit toward center's value until inside. */
static double int_inside(const struct dim *d, double c, double radius,
			 double u)
{
	double v = dim_from_unit(d, u), cv = dim_from_unit(d, c);

	while (fabs(dim_to_unit(d, v) - c) > radius + 1e-12 && v != cv)
		v += v < cv ? 1 : -1;
	return dim_to_unit(d, v);
}

void ucube_clip(const struct space *s, const double *center, double radius,
		double *u)
{
	bool cat_changed = false;
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (ucube_is_cat(s, i)) {
			u[i] = project1(s, i, u[i]);
			if (u[i] != center[i]) {
				if (cat_changed)
					u[i] = center[i];
				cat_changed = true;
			}
			continue;
		}
		u[i] = fmin(fmax(u[i], center[i] - radius), center[i] + radius);
		u[i] = project1(s, i, u[i]);
		if (s->dims[i].type == DIM_INT)
			u[i] = int_inside(&s->dims[i], center[i], radius, u[i]);
	}
}

static double min_dist2(const struct space *s, size_t npts, const double *pts)
{
	double best = INFINITY, d;
	size_t a, b;

	for (a = 0; a < npts; a++)
		for (b = a + 1; b < npts; b++) {
			d = ucube_dist2(s, pts + a * s->n, pts + b * s->n);
			if (d < best)
				best = d;
		}
	return best;
}

static void shuffle(size_t *perm, size_t n, struct rng *r)
{
	size_t i, j, tmp;

	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n; i > 1; i--) {
		j = rng_below(r, i);
		tmp = perm[i - 1];
		perm[i - 1] = perm[j];
		perm[j] = tmp;
	}
}

static void lhs_once(const struct space *s, size_t npts, struct rng *r,
		     size_t *perm, double *out)
{
	size_t i, p;

	for (i = 0; i < s->n; i++) {
		shuffle(perm, npts, r);
		for (p = 0; p < npts; p++) {
			double *u = &out[p * s->n + i];

			if (ucube_is_cat(s, i))
				*u = perm[p] % s->dims[i].nvalues;
			else
				*u = (perm[p] + rng_uniform(r)) / npts;
		}
	}
	for (p = 0; p < npts; p++)
		ucube_project(s, out + p * s->n);
}

int ucube_lhs(const struct space *s, size_t npts, unsigned int tries,
	      struct rng *r, double *out)
{
	size_t *perm = calloc(npts + 1, sizeof(*perm));
	double *cand = calloc(npts * s->n + 1, sizeof(*cand));
	double best = -1, d;
	unsigned int t;
	int ret = -ENOMEM;

	if (!perm || !cand)
		goto out;
	for (t = 0; t < (tries ? tries : 1); t++) {
		lhs_once(s, npts, r, perm, cand);
		d = min_dist2(s, npts, cand);
		if (d > best) {
			best = d;
			memcpy(out, cand, npts * s->n * sizeof(*out));
		}
	}
	ret = 0;
out:
	free(perm);
	free(cand);
	return ret;
}
