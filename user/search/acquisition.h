/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The bo tuner's acquisition: expected improvement (minimisation) on the
 * objective's GP, times the augmented-EI factor that discounts points whose
 * uncertainty is mostly measurement noise (Huang et al. 2006), times the
 * probability that every constraint GP is below its bound (Gardner et al.
 * 2014). Worked in logs so that far-away regions, where EI underflows,
 * still have a slope (Ament et al. 2023, "LogEI").
 */
#ifndef OSTUNE_ACQUISITION_H
#define OSTUNE_ACQUISITION_H

#include <stdbool.h>
#include <stddef.h>

#include "base/rng.h"
#include "search/gp.h"
#include "search/space.h"

/* EI of f ~ N(mu, sigma^2) below best: (best - mu) Phi(z) + sigma phi(z). */
double acq_ei(double mu, double sigma, double best);

/* log EI and its partial derivatives (either may be NULL). */
double acq_log_ei(double mu, double sigma, double best, double *d_mu,
		  double *d_sigma);

/* log P(c <= bound) for c ~ N(mu, sigma^2), with partial derivatives. */
double acq_log_pof(double mu, double sigma, double bound, double *d_mu,
		   double *d_sigma);

struct acq {
	const struct space *space;	/* coordinates as ucube.h has them */
	struct gp *obj;		/* NULL: feasibility alone is sought */
	double best;		/* the incumbent, in the objective's units */
	struct gp **cons;	/* ncons GPs of constraint metrics */
	const double *bound;	/* each must stay <= its bound */
	size_t ncons;
	const double *center;	/* trust region (radius > 0), see ucube.h */
	double radius;
};

/* log of the acquisition at x; grad (may be NULL) along numeric axes. */
double acq_eval(const struct acq *a, const double *x, double *grad);

/*
 * Maximises the acquisition from a pool of `pool` candidates: random ones
 * and perturbations of the nstarts rows of starts (good points so far).
 * The nlocal best are polished by L-BFGS on the numeric coordinates, then
 * by discrete moves (integer +-1, every other category). Every candidate
 * is projected (ucube.h) and inside the trust region.
 * Writes the winner to x and returns its log acquisition.
 */
double acq_maximise(const struct acq *a, struct rng *rng, const double *starts,
		    size_t nstarts, size_t pool, size_t nlocal, double *x);

#endif /* OSTUNE_ACQUISITION_H */
