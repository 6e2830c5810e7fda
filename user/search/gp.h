/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Gaussian-process regression for the bo tuner.
 *
 * Kernel: Matern 5/2 with one length scale per coordinate (ARD), a signal
 * variance, and noise in two parts: each point's known noise variance
 * (given with the data: what its own measurements say about how far its
 * value may be off) plus one learned variance common to all points (what
 * the known part misses, and all of it for points that carry none).
 * Numeric coordinates enter the distance as ((a - b) / l)^2; categorical
 * ones (see ucube.h) as [a != b] / l^2, so a knob's categories are all
 * equally far apart.
 * Targets are standardised internally; means and variances come back in
 * the caller's units. Hyperparameters are fitted by maximising the log
 * marginal likelihood plus weak log-normal priors (a MAP fit: with a
 * handful of points the pure likelihood happily picks absurd length
 * scales), by L-BFGS (NLopt) with analytic gradients from several starts.
 */
#ifndef OSTUNE_GP_H
#define OSTUNE_GP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/rng.h"

struct gp;

/* cat[i] marks categorical coordinates (NULL: none). */
struct gp *gp_new(size_t dim, const bool *cat);
void gp_free(struct gp *gp);

/*
 * Replaces the data: n points x (row-major, n x dim) with targets y, their
 * known noise variances (in y's units squared; NULL: none known), and
 * room for `extra` gp_add_point() calls. A point may appear several
 * times (measured again): each is one noisy observation of the same
 * value. Factorises with the current hyperparameters. 0, or -ENOMEM,
 * -EDOM (not positive definite even with jitter), -EINVAL (n == 0, or a
 * negative or NaN noise variance).
 */
int gp_set_data(struct gp *gp, const double *x, const double *y,
		const double *noise, size_t n, size_t extra);

/*
 * Fits the hyperparameters: from the current ones (a warm start) and from
 * `restarts` more draws from the prior, at most maxeval evaluations each;
 * keeps the best and refactorises.
 */
int gp_fit(struct gp *gp, struct rng *rng, unsigned int restarts,
	   unsigned int maxeval);

/*
 * Appends one point without refitting (kriging believer: y is usually the
 * posterior mean there), with no known noise. Keeps the standardisation
 * of gp_set_data().
 */
int gp_add_point(struct gp *gp, const double *x, double y);

/*
 * Posterior mean and variance of the latent function at x (the noise not
 * included). With dmean and dvar non-NULL, also their gradients along the
 * numeric coordinates (0 along categorical ones).
 */
void gp_predict(struct gp *gp, const double *x, double *mean, double *var,
		double *dmean, double *dvar);

/*
 * The noise variance a new measurement is expected to carry, in the
 * targets' units squared: the learned variance plus the median of the
 * points' known ones.
 */
double gp_noise_var(const struct gp *gp);

/*
 * Hyperparameters in natural units: dim length scales, then the signal
 * variance and the learned noise variance in standardised units.
 */
void gp_get_hyper(const struct gp *gp, double *ls, double *sf2, double *sn2);
int gp_set_hyper(struct gp *gp, const double *ls, double sf2, double sn2);

/*
 * Leave-one-out R^2 (R&W 5.4.2) of the signal: how much of the targets'
 * variance beyond their noise the model predicts for each point from all
 * the others (the noise variances subtracted from both the residuals and
 * the total); 1 is perfect, 0 no better than their mean, below 0 worse.
 * NaN when it cannot be had (noise as large as the whole variance).
 */
double gp_loo_r2(const struct gp *gp);

/* Log marginal likelihood of the standardised targets (no prior). */
double gp_lml(const struct gp *gp);

size_t gp_count(const struct gp *gp);

#endif /* OSTUNE_GP_H */
