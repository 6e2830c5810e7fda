// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Yeo-Johnson output warping (Yeo and Johnson, Biometrika 2000).
 */
#include <math.h>

#include "search/warp.h"

/* Exponents searched: wider ones overfit a handful of points. */
#define LAMBDA_MIN -2.0
#define LAMBDA_MAX 2.0

double yeo_johnson(double lambda, double y)
{
	if (y >= 0)
		return fabs(lambda) < 1e-9 ? log1p(y) :
		       (pow(y + 1, lambda) - 1) / lambda;
	return fabs(lambda - 2) < 1e-9 ? -log1p(-y) :
	       -(pow(1 - y, 2 - lambda) - 1) / (2 - lambda);
}

double yeo_johnson_inverse(double lambda, double z)
{
	double base;

	if (z >= 0) {
		if (fabs(lambda) < 1e-9)
			return expm1(z);
		/* past the transform's range (lambda < 0): unbounded */
		base = z * lambda + 1;
		return base > 0 ? pow(base, 1 / lambda) - 1 : INFINITY;
	}
	if (fabs(lambda - 2) < 1e-9)
		return -expm1(-z);
	base = 1 - (2 - lambda) * z;
	return base > 0 ? 1 - pow(base, 1 / (2 - lambda)) : -INFINITY;
}

/*
 * Profile log-likelihood of lambda for standardised z: the transformed
 * values taken as normal with their own mean and variance, plus the log
 * Jacobian (lambda - 1) sum sign(z) log(|z| + 1).
 */
static double loglik(double lambda, const double *z, size_t n,
		     const struct warp *w)
{
	double s = 0, ss = 0, jac = 0, t, m;
	size_t i;

	for (i = 0; i < n; i++) {
		double zi = (z[i] - w->mean) / w->sd;

		t = yeo_johnson(lambda, zi);
		if (!isfinite(t))
			return -INFINITY;
		s += t;
		ss += t * t;
		jac += copysign(log1p(fabs(zi)), zi);
	}
	m = s / n;
	t = ss / n - m * m;
	if (!(t > 0))
		return -INFINITY;
	return -0.5 * n * log(t) + (lambda - 1) * jac;
}

void warp_fit(struct warp *w, const double *y, size_t n)
{
	/* golden-section search; the likelihood is unimodal in practice */
	const double g = (sqrt(5) - 1) / 2;
	double a = LAMBDA_MIN, b = LAMBDA_MAX, c, d, fc, fd, s = 0, ss = 0;
	size_t i;
	int it;

	w->mean = 0;
	w->sd = 1;
	w->lambda = 1;
	if (n < 3)
		return;
	for (i = 0; i < n; i++)
		s += y[i];
	w->mean = s / n;
	for (i = 0; i < n; i++)
		ss += (y[i] - w->mean) * (y[i] - w->mean);
	if (!(ss > 0))
		return;
	w->sd = sqrt(ss / n);
	c = b - g * (b - a);
	d = a + g * (b - a);
	fc = loglik(c, y, n, w);
	fd = loglik(d, y, n, w);
	for (it = 0; it < 40; it++) {
		if (fc >= fd) {
			b = d;
			d = c;
			fd = fc;
			c = b - g * (b - a);
			fc = loglik(c, y, n, w);
		} else {
			a = c;
			c = d;
			fc = fd;
			d = a + g * (b - a);
			fd = loglik(d, y, n, w);
		}
	}
	w->lambda = (a + b) / 2;
}

double warp_apply(const struct warp *w, double y)
{
	return yeo_johnson(w->lambda, (y - w->mean) / w->sd);
}

double warp_inverse(const struct warp *w, double z)
{
	return w->mean + w->sd * yeo_johnson_inverse(w->lambda, z);
}

double warp_slope(const struct warp *w, double y)
{
	double z = (y - w->mean) / w->sd;

	return (z >= 0 ? pow(z + 1, w->lambda - 1) :
			 pow(1 - z, 1 - w->lambda)) / w->sd;
}
