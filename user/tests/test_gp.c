// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The Gaussian process against closed forms, and the output warping.
 */
#include <errno.h>
#include <math.h>

#include "search/gp.h"
#include "search/local_model.h"
#include "search/ucube.h"
#include "search/warp.h"
#include "unit.h"

#define NEAR(a, b, tol) (fabs((a) - (b)) <= (tol))

/* Matern 5/2 at distance r (unit variance). */
static double m52(double r)
{
	double s = sqrt(5) * r;

	return (1 + s + s * s / 3) * exp(-s);
}

static void one_point_posterior(struct test_ctx *t)
{
	struct gp *gp = gp_new(1, NULL);
	double x = 0.5, y = 2, ls = 0.2, mu, var, q = 0.7, k;

	CHECK(t, gp);
	CHECK_INT(t, gp_set_data(gp, &x, &y, NULL, 1, 0), 0);
	CHECK_INT(t, gp_set_hyper(gp, &ls, 1, 1e-6), 0);
	gp_predict(gp, &q, &mu, &var, NULL, NULL);
	/* one target: it is the prior mean, so the mean is flat */
	CHECK(t, NEAR(mu, 2, 1e-12));
	k = m52(0.2 / ls);
	CHECK(t, NEAR(var, 1 - k * k / (1 + 1e-6), 1e-9));
	gp_free(gp);
}

/* Two points, targets -1 and 1 (already standard): R&W eq. 2.25-2.26. */
static void two_points_closed_form(struct test_ctx *t)
{
	struct gp *gp = gp_new(1, NULL);
	double x[2] = { 0.2, 0.6 }, y[2] = { -1, 1 }, ls = 0.3, sn2 = 0.01;
	double q = 0.3, mu, var, a, b, k1, k2, det, w1, w2;

	CHECK(t, gp);
	CHECK_INT(t, gp_set_data(gp, x, y, NULL, 2, 0), 0);
	CHECK_INT(t, gp_set_hyper(gp, &ls, 1, sn2), 0);
	gp_predict(gp, &q, &mu, &var, NULL, NULL);
	a = 1 + sn2;
	b = m52(0.4 / ls);
	k1 = m52(0.1 / ls);
	k2 = m52(0.3 / ls);
	det = a * a - b * b;
	/* K^-1 = [a -b; -b a] / det */
	w1 = (a * k1 - b * k2) / det;
	w2 = (a * k2 - b * k1) / det;
	CHECK(t, NEAR(mu, -w1 + w2, 1e-12));
	CHECK(t, NEAR(var, 1 - (k1 * w1 + k2 * w2), 1e-12));
	CHECK(t, NEAR(gp_noise_var(gp), sn2, 1e-15));
	gp_free(gp);
}

static void noise_free_interpolation(struct test_ctx *t)
{
	struct gp *gp = gp_new(1, NULL);
	double x[6], y[6], ls = 0.3, mu, var;
	int i;

	CHECK(t, gp);
	for (i = 0; i < 6; i++) {
		x[i] = i / 5.0;
		y[i] = sin(6 * x[i]) * 3 + 10;
	}
	CHECK_INT(t, gp_set_data(gp, x, y, NULL, 6, 0), 0);
	CHECK_INT(t, gp_set_hyper(gp, &ls, 1, 1e-9), 0);
	for (i = 0; i < 6; i++) {
		gp_predict(gp, &x[i], &mu, &var, NULL, NULL);
		CHECK(t, NEAR(mu, y[i], 1e-5));
		CHECK(t, var < 1e-6);
	}
	gp_free(gp);
}

static void gradients_match_differences(struct test_ctx *t)
{
	bool cat[3] = { false, false, true };
	struct gp *gp = gp_new(3, cat);
	double x[15] = { 0.1, 0.2, 0, 0.8, 0.3, 1, 0.5, 0.9, 0, 0.3, 0.6, 1,
			 0.7, 0.7, 0 };
	double y[5] = { 1, 3, 2, 0.5, 4 }, ls[3] = { 0.4, 0.3, 1 };
	double q[3] = { 0.45, 0.55, 1 }, dm[3], dv[3], mu, var, m1, v1, m2, v2;
	const double h = 1e-6;
	int d;

	CHECK(t, gp);
	CHECK_INT(t, gp_set_data(gp, x, y, NULL, 5, 0), 0);
	CHECK_INT(t, gp_set_hyper(gp, ls, 1.3, 0.01), 0);
	gp_predict(gp, q, &mu, &var, dm, dv);
	for (d = 0; d < 2; d++) {
		q[d] += h;
		gp_predict(gp, q, &m1, &v1, NULL, NULL);
		q[d] -= 2 * h;
		gp_predict(gp, q, &m2, &v2, NULL, NULL);
		q[d] += h;
		CHECK(t, NEAR(dm[d], (m1 - m2) / (2 * h), 1e-5));
		CHECK(t, NEAR(dv[d], (v1 - v2) / (2 * h), 1e-5));
	}
	CHECK(t, dm[2] == 0 && dv[2] == 0);
	gp_free(gp);
}

static void categorical_distance(struct test_ctx *t)
{
	bool cat = true;
	struct gp *gp = gp_new(1, &cat);
	double x[2] = { 0, 2 }, y[2] = { -1, 1 }, ls = 0.7, q = 1, mu, var;
	double k;

	CHECK(t, gp);
	CHECK_INT(t, gp_set_data(gp, x, y, NULL, 2, 0), 0);
	CHECK_INT(t, gp_set_hyper(gp, &ls, 1, 1e-6), 0);
	/* a third category is equally far from both: mean 0 by symmetry */
	gp_predict(gp, &q, &mu, &var, NULL, NULL);
	CHECK(t, NEAR(mu, 0, 1e-12));
	k = m52(1 / ls);
	CHECK(t, NEAR(var, 1 - 2 * k * k / (1 + 1e-6 + k), 1e-9));
	gp_free(gp);
}

/*
 * The kriging believer's cheap update against a fresh factorisation. The
 * posterior mean depends on the targets' mean, not on the scale they were
 * standardised with: targets whose mean the added point keeps must agree.
 */
static void added_point_matches_full_data(struct test_ctx *t)
{
	struct gp *a = gp_new(2, NULL), *b = gp_new(2, NULL);
	double x[8] = { 0.1, 0.1, 0.9, 0.2, 0.4, 0.8, 0.6, 0.5 };
	double y[4] = { -1, 1, 0, 0 }, ls[2] = { 0.3, 0.5 };
	double q[2] = { 0.3, 0.4 }, ma, va, mb, vb;

	CHECK(t, a && b);
	CHECK_INT(t, gp_set_data(a, x, y, NULL, 3, 1), 0);
	CHECK_INT(t, gp_set_hyper(a, ls, 1, 1e-4), 0);
	CHECK_INT(t, gp_add_point(a, x + 6, y[3]), 0);
	CHECK_INT(t, gp_count(a), 4);
	CHECK_INT(t, gp_add_point(a, x, 0), -ENOSPC);
	CHECK_INT(t, gp_set_data(b, x, y, NULL, 4, 0), 0);
	CHECK_INT(t, gp_set_hyper(b, ls, 1, 1e-4), 0);
	gp_predict(a, q, &ma, &va, NULL, NULL);
	gp_predict(b, q, &mb, &vb, NULL, NULL);
	CHECK(t, NEAR(ma, mb, 1e-10));
	gp_free(a);
	gp_free(b);
}

static void fit_raises_likelihood(struct test_ctx *t)
{
	struct gp *gp = gp_new(2, NULL);
	double x[40], y[20], ls[2], sf2, sn2, before;
	struct rng rng;
	int i;

	CHECK(t, gp);
	rng_seed(&rng, 7);
	for (i = 0; i < 20; i++) {
		x[2 * i] = rng_uniform(&rng);
		x[2 * i + 1] = rng_uniform(&rng);
		/* depends on the first coordinate only, plus noise */
		y[i] = sin(5 * x[2 * i]) + 0.1 * (rng_uniform(&rng) - 0.5);
	}
	CHECK_INT(t, gp_set_data(gp, x, y, NULL, 20, 0), 0);
	before = gp_lml(gp);
	CHECK_INT(t, gp_fit(gp, &rng, 2, 200), 0);
	CHECK(t, gp_lml(gp) > before);
	gp_get_hyper(gp, ls, &sf2, &sn2);
	/* the irrelevant coordinate gets the longer length scale */
	CHECK(t, ls[1] > 2 * ls[0]);
	/* and the noise is found, above the floor */
	CHECK(t, sn2 > 1e-4 && sn2 < 0.1);
	gp_free(gp);
}

static void loo_r2_tells_signal_from_noise(struct test_ctx *t)
{
	struct gp *gp = gp_new(1, NULL);
	double x[20], y[20], ls = 0.3;
	struct rng rng;
	int i;

	CHECK(t, gp);
	rng_seed(&rng, 3);
	for (i = 0; i < 20; i++) {
		x[i] = i / 19.0;
		y[i] = sin(4 * x[i]);
	}
	CHECK_INT(t, gp_set_data(gp, x, y, NULL, 20, 0), 0);
	CHECK_INT(t, gp_set_hyper(gp, &ls, 1, 1e-6), 0);
	CHECK(t, gp_loo_r2(gp) > 0.95);
	/* white noise: no point predicts another */
	for (i = 0; i < 20; i++)
		y[i] = rng_uniform(&rng);
	CHECK_INT(t, gp_set_data(gp, x, y, NULL, 20, 0), 0);
	CHECK_INT(t, gp_set_hyper(gp, &ls, 0.1, 1), 0);
	CHECK(t, gp_loo_r2(gp) < 0.2);
	gp_free(gp);
}

/*
 * 6-D, noise 70% of the targets' variance, each point measured three
 * times, no known noise: the learned noise takes it (the true 0.1 in the
 * targets' units), not short length scales.
 */
static void fit_finds_noise_from_replicates_in_6d(struct test_ctx *t)
{
	struct gp *gp = gp_new(6, NULL);
	double x[60 * 6], y[60], ls[6], sf2, sn2, minls = INFINITY;
	struct rng rng;
	int i, d;

	CHECK(t, gp);
	rng_seed(&rng, 11);
	for (i = 0; i < 60; i++) {
		double f = 0;

		for (d = 0; d < 6; d++) {
			x[i * 6 + d] = i % 3 ? x[(i - 1) * 6 + d] :
				       rng_uniform(&rng);
			f += sin(3 * x[i * 6 + d]) / 3;
		}
		/* signal variance ~0.04, noise 0.1 */
		y[i] = f + sqrt(0.1) * ucube_gaussian(&rng);
	}
	CHECK_INT(t, gp_set_data(gp, x, y, NULL, 60, 0), 0);
	CHECK_INT(t, gp_fit(gp, &rng, 2, 200), 0);
	gp_get_hyper(gp, ls, &sf2, &sn2);
	for (d = 0; d < 6; d++)
		minls = fmin(minls, ls[d]);
	CHECK(t, gp_noise_var(gp) > 0.05 && gp_noise_var(gp) < 0.2);
	CHECK(t, minls > 0.05);
	gp_free(gp);
}

/*
 * The same 6-D data without replicates: alone, the likelihood prefers
 * short length scales that interpolate the noise (docs/tuners.md); told
 * each point's noise (as the windows tell it), the fit keeps the length
 * scales longer and the posterior mean smooths the measurements instead
 * of passing through them.
 */
static void known_noise_keeps_6d_fit_smooth(struct test_ctx *t)
{
	struct gp *gp = gp_new(6, NULL);
	double x[60 * 6], y[60], noise[60], ls[6], sf2, sn2, minls = INFINITY;
	double mu, var, res = 0;
	struct rng rng;
	int i, d;

	CHECK(t, gp);
	rng_seed(&rng, 11);
	for (i = 0; i < 60; i++) {
		double f = 0;

		for (d = 0; d < 6; d++) {
			x[i * 6 + d] = rng_uniform(&rng);
			f += sin(3 * x[i * 6 + d]) / 3;
		}
		y[i] = f + sqrt(0.1) * ucube_gaussian(&rng);
		noise[i] = 0.1;
	}
	CHECK_INT(t, gp_set_data(gp, x, y, noise, 60, 0), 0);
	CHECK_INT(t, gp_fit(gp, &rng, 2, 200), 0);
	gp_get_hyper(gp, ls, &sf2, &sn2);
	for (d = 0; d < 6; d++)
		minls = fmin(minls, ls[d]);
	for (i = 0; i < 60; i++) {
		gp_predict(gp, x + i * 6, &mu, &var, NULL, NULL);
		res += (y[i] - mu) * (y[i] - mu) / 60;
	}
	/* without the known noise: 0.14, and residuals of 3e-9 */
	CHECK(t, minls > 0.25);
	/* residuals of the order of the noise (0.1), not interpolated away */
	CHECK(t, res > 0.03);
	gp_free(gp);
}

/*
 * Known noise per observation: A measured five times, closely, at its
 * true 0; B, truly 1, once with a lucky -0.5 and a noise sd of 1. The
 * posterior mean puts A first.
 */
static void known_noise_ranks_the_well_measured_first(struct test_ctx *t)
{
	double x[9] = { 0.2, 0.2, 0.2, 0.2, 0.2, 0.8, 0.0, 0.5, 1.0 };
	double y[9] = { 0.02, -0.02, 0.01, -0.01, 0, -0.5, 1, 1, 1 };
	double noise[9] = { 1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 1, 1e-3, 1e-3, 1e-3 };
	double bad[9] = { 1e-3, 1e-3, -1, 1e-3, 1e-3, 1, 1e-3, 1e-3, 1e-3 };
	struct gp *gp = gp_new(1, NULL);
	double ls = 0.2, ma, mb, v, s = 0, ss = 0;
	int i;

	CHECK(t, gp);
	CHECK_INT(t, gp_set_data(gp, x, y, noise, 9, 0), 0);
	CHECK_INT(t, gp_set_hyper(gp, &ls, 1, 1e-4), 0);
	gp_predict(gp, &x[0], &ma, &v, NULL, NULL);
	gp_predict(gp, &x[5], &mb, &v, NULL, NULL);
	CHECK(t, ma < mb);
	CHECK(t, fabs(ma) < 0.05);
	/* a new measurement's: the learned noise plus the median known one */
	for (i = 0; i < 9; i++)
		s += y[i];
	for (i = 0; i < 9; i++)
		ss += (y[i] - s / 9) * (y[i] - s / 9);
	CHECK(t, NEAR(gp_noise_var(gp), 1e-4 * ss / 9 + 1e-3, 1e-12));
	/* without it, the lucky single measurement wins */
	CHECK_INT(t, gp_set_data(gp, x, y, NULL, 9, 0), 0);
	gp_predict(gp, &x[0], &ma, &v, NULL, NULL);
	gp_predict(gp, &x[5], &mb, &v, NULL, NULL);
	CHECK(t, mb < ma);
	CHECK_INT(t, gp_set_data(gp, x, y, bad, 9, 0), -EINVAL);
	gp_free(gp);
}

static void yeo_johnson_round_trip(struct test_ctx *t)
{
	double lambdas[] = { -1.5, 0, 0.5, 1, 2, 2.5 };
	double ys[] = { -3, -0.5, 0, 0.7, 4 };
	size_t i, j;

	for (i = 0; i < sizeof(lambdas) / sizeof(lambdas[0]); i++)
		for (j = 0; j < sizeof(ys) / sizeof(ys[0]); j++)
			CHECK(t, NEAR(yeo_johnson_inverse(lambdas[i],
					yeo_johnson(lambdas[i], ys[j])), ys[j],
				      1e-9));
	/* lambda 1 is the identity */
	CHECK(t, NEAR(yeo_johnson(1, -2.5), -2.5, 1e-12));
	CHECK(t, NEAR(yeo_johnson(1, 3), 3, 1e-12));
}

static void warp_tames_skew(struct test_ctx *t)
{
	double y[30];
	struct warp w;
	int i;

	/* log-normal-like: a long tail of large values */
	for (i = 0; i < 30; i++)
		y[i] = exp(i / 6.0);
	warp_fit(&w, y, 30);
	CHECK(t, w.lambda < 0.6);
	for (i = 1; i < 30; i++)
		CHECK(t, warp_apply(&w, y[i]) > warp_apply(&w, y[i - 1]));
	CHECK(t, NEAR(warp_inverse(&w, warp_apply(&w, y[17])), y[17], 1e-6));
	/* too few points to fit: the identity after standardisation */
	warp_fit(&w, y, 2);
	CHECK(t, w.lambda == 1);
}

static struct dim unit_dims[2] = {
	{ .name = "a", .type = DIM_REAL, .min = 0, .max = 1 },
	{ .name = "b", .type = DIM_REAL, .min = 0, .max = 1 },
};
static const struct space unit_square = { unit_dims, 2 };

/*
 * A bowl of 9 points around (0.5, 0.5) among 30 far ones on a plateau:
 * the local model takes the bowl alone, says how far it reaches, and
 * sees its floor.
 */
static void local_model_takes_the_nearest(struct test_ctx *t)
{
	double u[39 * 2], y[39], c[2] = { 0.5, 0.5 }, radius = -1, mu, var;
	double dx, dy, far;
	size_t taken[9], i;
	struct gp *gp = gp_new(2, NULL);
	bool seen[9] = { false };
	struct rng rng;

	CHECK(t, gp);
	for (i = 0; i < 9; i++) {
		dx = 0.15 * ((int)(i % 3) - 1);
		dy = 0.15 * ((int)(i / 3) - 1);
		u[2 * i] = 0.5 + dx;
		u[2 * i + 1] = 0.5 + dy;
		y[i] = (dx * dx + dy * dy) / 0.0225;
	}
	for (i = 9; i < 39; i++) {
		far = 0.5 + 0.15 * (i % 2);
		u[2 * i] = 0.5 + far * cos(i);
		u[2 * i + 1] = 0.5 + far * sin(i);
		y[i] = 5;
	}
	rng_seed(&rng, 7);
	CHECK_INT(t, local_model_fit(gp, &unit_square, u, y, NULL, 39, c, 9,
				     &rng, 2, &radius, taken), 9);
	CHECK_INT(t, gp_count(gp), 9);
	for (i = 0; i < 9; i++) {
		CHECK(t, taken[i] < 9);
		seen[taken[i]] = true;
	}
	for (i = 0; i < 9; i++)
		CHECK(t, seen[i]);
	/* the corners: 0.15 in each coordinate */
	CHECK(t, NEAR(radius, 0.15, 1e-12));
	gp_predict(gp, c, &mu, &var, NULL, NULL);
	CHECK(t, mu < 0.5);
	/* more asked than there are: all of them */
	CHECK_INT(t, local_model_fit(gp, &unit_square, u, y, NULL, 39, c, 50,
				     &rng, 0, &radius, NULL), 39);
	CHECK_INT(t, gp_count(gp), 39);
	gp_free(gp);
}

static void local_model_needs_points(struct test_ctx *t)
{
	double u[2] = { 0.5, 0.5 }, y = 1, radius = -1;
	struct gp *gp = gp_new(2, NULL);
	struct rng rng;

	CHECK(t, gp);
	rng_seed(&rng, 1);
	CHECK_INT(t, local_model_fit(gp, &unit_square, u, &y, NULL, 0, u, 5,
				     &rng, 0, &radius, NULL), -EINVAL);
	CHECK_INT(t, local_model_fit(gp, &unit_square, u, &y, NULL, 1, u, 0,
				     &rng, 0, &radius, NULL), -EINVAL);
	/* nothing set: no data, no radius */
	CHECK_INT(t, gp_count(gp), 0);
	CHECK(t, radius == -1);
	gp_free(gp);
}

SUITE(gp_suite, "gp",
      CASE(one_point_posterior),
      CASE(two_points_closed_form),
      CASE(noise_free_interpolation),
      CASE(gradients_match_differences),
      CASE(categorical_distance),
      CASE(added_point_matches_full_data),
      CASE(fit_raises_likelihood),
      CASE(loo_r2_tells_signal_from_noise),
      CASE(fit_finds_noise_from_replicates_in_6d),
      CASE(known_noise_ranks_the_well_measured_first),
      CASE(known_noise_keeps_6d_fit_smooth),
      CASE(yeo_johnson_round_trip),
      CASE(warp_tames_skew),
      CASE(local_model_takes_the_nearest),
      CASE(local_model_needs_points));
