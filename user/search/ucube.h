/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The coordinates the model-based tuners (bo, coordinate) work in. A real
 * or integer knob is its space_to_unit() coordinate in [0, 1] (log scales
 * and rounding as space.h does them); a categorical knob keeps its value's
 * index 0..n-1, which the GP kernel compares for equality only, so that no
 * order between the values is invented. A point of these coordinates is
 * always "projected": it names values the knobs can take.
 */
#ifndef OSTUNE_UCUBE_H
#define OSTUNE_UCUBE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/rng.h"
#include "search/space.h"

static inline bool ucube_is_cat(const struct space *s, size_t i)
{
	return s->dims[i].type == DIM_CATEGORICAL;
}

/* A point of the space (native values) to coordinates, and back. */
void ucube_from_point(const struct space *s, const double *x, double *u);
void ucube_to_point(const struct space *s, const double *u, double *x);

/* Moves u onto the nearest coordinates of a point of the space. */
void ucube_project(const struct space *s, double *u);

/* Squared distance, categorical coordinates counting 1 when they differ. */
double ucube_dist2(const struct space *s, const double *a, const double *b);

/* Standard normal deviate (Box-Muller; one of the pair is dropped). */
double ucube_gaussian(struct rng *r);

/* A uniformly random point. */
void ucube_random(const struct space *s, struct rng *r, double *u);

/*
 * The trust region: numeric coordinates within radius of center's, and
 * at most one categorical knob changed, so that one step moves the host
 * only a little. ucube_random_near() draws from it uniformly (a
 * categorical change with probability 1/2); ucube_clip() pulls u into it:
 * numeric coordinates clamped and projected (an integer that rounding
 * pushed out steps back toward center's value), and of the changed
 * categorical knobs only the first keeps its change.
 */
void ucube_random_near(const struct space *s, const double *center,
		       double radius, struct rng *r, double *u);
void ucube_clip(const struct space *s, const double *center, double radius,
		double *u);

/*
 * A maximin Latin hypercube of npts points (row-major, npts x s->n): the
 * best, by smallest pairwise distance, of `tries` random ones. Categorical
 * coordinates cycle through their values in a random order.
 * -ENOMEM, or 0.
 */
int ucube_lhs(const struct space *s, size_t npts, unsigned int tries,
	      struct rng *r, double *out);

#endif /* OSTUNE_UCUBE_H */
