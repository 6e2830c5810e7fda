/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bo tuner's local model, after TuRBO (Eriksson et al., "Scalable
 * global optimization via local Bayesian optimization", NeurIPS 2019): a
 * GP fitted afresh to the k observations nearest a centre (the
 * incumbent), with its own length scales, signal and noise. One
 * stationary GP over the whole space sets its length scales by the
 * landscape's coarse shape and, with noisy measurements in several
 * dimensions, blurs the incumbent's basin: the search then settles on
 * points a few percent above the basin's floor (Hartmann6, 10% noise: in
 * 11 of 20 seeds no visited point came within 5% of the optimum). The
 * local model resolves the basin the global one cannot.
 */
#ifndef OSTUNE_LOCAL_MODEL_H
#define OSTUNE_LOCAL_MODEL_H

#include <stddef.h>

#include "base/rng.h"
#include "search/gp.h"
#include "search/space.h"

/*
 * Sets gp's data to the k of the m observations (coordinates u, m x
 * s->n; targets y; known noise variances noise, NULL: none) nearest
 * center by ucube_dist2(), all of them when m <= k, and fits its
 * hyperparameters from the prior's defaults (the gp as gp_new() made
 * it) with `restarts` more starts drawn from rng. *radius: the
 * neighbourhood's size per coordinate, sqrt(d2 / s->n) of the farthest
 * point taken, the half-width of a box around center that the model
 * knows; taken (NULL, or room for k) gets the indices of the points
 * taken. Returns how many were taken, or -EINVAL (m or k 0), -ENOMEM, or
 * gp_set_data()'s and gp_fit()'s errors.
 */
int local_model_fit(struct gp *gp, const struct space *s, const double *u,
		    const double *y, const double *noise, size_t m,
		    const double *center, size_t k, struct rng *rng,
		    unsigned int restarts, double *radius, size_t *taken);

#endif /* OSTUNE_LOCAL_MODEL_H */
