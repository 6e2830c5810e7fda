/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Output warping for the bo tuner's objective: measured performance is
 * skewed (a few terrible configurations, many near-equal good ones), and a
 * stationary GP fitted to raw values spends its flexibility on the bad
 * ones. Standardised targets go through the Yeo-Johnson power transform
 * with the exponent that makes them most Gaussian (maximum likelihood),
 * as HEBO does (Cowen-Rivers et al. 2022). The transform is monotone, so
 * the best point stays the best.
 */
#ifndef OSTUNE_WARP_H
#define OSTUNE_WARP_H

#include <stddef.h>

struct warp {
	double mean, sd;	/* standardisation before the transform */
	double lambda;		/* Yeo-Johnson exponent; 1 is the identity */
};

/* Fits the standardisation and the exponent to y[0..n). */
void warp_fit(struct warp *w, const double *y, size_t n);
double warp_apply(const struct warp *w, double y);
double warp_inverse(const struct warp *w, double z);
/* d warp_apply / dy at y: carries a variance over (delta method). */
double warp_slope(const struct warp *w, double y);

/* The Yeo-Johnson transform itself, and its inverse. */
double yeo_johnson(double lambda, double y);
double yeo_johnson_inverse(double lambda, double z);

#endif /* OSTUNE_WARP_H */
