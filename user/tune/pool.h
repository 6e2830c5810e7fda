/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Every counted window of one configuration, pooled: a configuration is
 * one observation however often it was measured (its first batch, the
 * batches measured again because it was noisy, the windows racing adds),
 * and its value is the median of all of them.
 *
 * A window that ran past the timeout is censored, not missing: it says
 * the configuration took at least that long, so it enters the median as
 * worse than every completed window (right-censored at the timeout).
 * When the middle of the pool falls on such a window, the median is
 * unknown but worse than anything measured: the configuration is slow,
 * and is judged failed. Windows that failed otherwise (an error, no
 * metric) say nothing about speed and are left out.
 */
#ifndef OSTUNE_POOL_H
#define OSTUNE_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "measure/objective.h"
#include "tune/anchors.h"

/* A spread of fewer windows than this is too rough to call noisy. */
#define POOL_NOISY_MIN_WINDOWS 5

struct pool {
	double *value;		/* the objective as measured; NaN when failed */
	bool *censored;		/* ran past the timeout */
	double *position;	/* its window sequence number (anchors.h) */
	double *cons;		/* ncons constraint metrics per window */
	size_t n, cap, ncons;
};

/* Appends a window (cons: ncons values, or NULL for NaN). -ENOMEM. */
int pool_add(struct pool *p, size_t ncons, double value, bool censored,
	     double position, const double *cons);
void pool_free(struct pool *p);

struct pool_stats {
	double median;		/* drift-corrected; NaN when censored_median */
	double spread;		/* of the completed windows, stats_spread() */
	unsigned int completed, censored, failed;
	bool censored_median;	/* the middle window ran past the timeout */
};

/*
 * Windows [from, p->n) of the pool, each corrected for drift by a (NULL:
 * none), summarised for goal; the constraint metrics' medians over the
 * completed windows, uncorrected, into cons (p->ncons, NULL: not
 * wanted). -ENOMEM.
 */
int pool_stats(const struct pool *p, size_t from, const struct anchors *a,
	       enum goal goal, struct pool_stats *out, double *cons);

/*
 * The median of constraint metric k over the completed windows of
 * [from, p->n), each corrected for drift by a (NULL: none), into *out
 * (NaN without one): a second objective, which drifts with the host as
 * the first does. -ENOMEM.
 */
int pool_cons_median(const struct pool *p, size_t from, size_t k,
		     const struct anchors *a, double *out);

#endif /* OSTUNE_POOL_H */
