/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Two objectives (say energy and p99 latency) have no single best
 * configuration: the result is the Pareto front, the configurations no
 * other one beats on both. Scores are "lower is better" (tuner.h).
 */
#ifndef OSTUNE_PARETO_H
#define OSTUNE_PARETO_H

#include <stddef.h>

#include "search/tuner.h"

/*
 * Indices of the non-dominated rows of f (n rows of 2 scores) into idx,
 * sorted by the first score; rows with a non-finite score are never on
 * it, and of identical rows only the first is. Returns how many; -ENOMEM.
 */
int pareto_front(const double *f, size_t n, size_t *idx);

/*
 * The area the front dominates within the reference point ref (worse
 * than every point of interest on both scores): larger is better.
 */
double pareto_hypervolume(const double *f, const size_t *front, size_t nfront,
			  const double ref[2]);

/*
 * The front of a run's history: feasible, successful observations scored
 * on the problem's two objectives. Indices into h->obs; -ENOMEM, or
 * -EINVAL when the problem has not two objectives.
 */
int pareto_history(const struct tuner_problem *p,
		   const struct tuner_history *h, size_t *idx);

#endif /* OSTUNE_PARETO_H */
