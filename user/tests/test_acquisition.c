// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Expected improvement and probability of feasibility against their
 * closed forms, and the acquisition search's promises.
 */
#include <math.h>

#include "search/acquisition.h"
#include "search/ucube.h"
#include "unit.h"

#define NEAR(a, b, tol) (fabs((a) - (b)) <= (tol))

static void ei_closed_form(struct test_ctx *t)
{
	/* z = 0: EI = sigma phi(0) */
	CHECK(t, NEAR(acq_ei(0, 1, 0), 0.398942280401433, 1e-12));
	/* mu 1, sigma 2, best 0: z = -0.5 */
	CHECK(t, NEAR(acq_ei(1, 2, 0),
		      -1 * 0.308537538725987 + 2 * 0.352065326764300, 1e-12));
	/* far below the best: EI is the gap itself */
	CHECK(t, NEAR(acq_ei(-10, 0.1, 0), 10, 1e-9));
}

static void log_ei_matches_and_survives_the_tail(struct test_ctx *t)
{
	double mus[] = { -1, 0, 0.5, 2, 5 }, v, dm, ds, v1, v2;
	const double h = 1e-6;
	size_t i;

	for (i = 0; i < sizeof(mus) / sizeof(mus[0]); i++) {
		v = acq_log_ei(mus[i], 0.7, 0.2, &dm, &ds);
		CHECK(t, NEAR(v, log(acq_ei(mus[i], 0.7, 0.2)), 1e-9));
		v1 = acq_log_ei(mus[i] + h, 0.7, 0.2, NULL, NULL);
		v2 = acq_log_ei(mus[i] - h, 0.7, 0.2, NULL, NULL);
		CHECK(t, NEAR(dm, (v1 - v2) / (2 * h), 1e-5));
		v1 = acq_log_ei(mus[i], 0.7 + h, 0.2, NULL, NULL);
		v2 = acq_log_ei(mus[i], 0.7 - h, 0.2, NULL, NULL);
		CHECK(t, NEAR(ds, (v1 - v2) / (2 * h), 1e-5));
	}
	/*
	 * z = -40: EI underflows, its log does not. Asymptotically
	 * h(z) = phi(z) / z^2 (1 - 3/z^2 + 15/z^4 - ...).
	 */
	v = acq_log_ei(40, 1, 0, &dm, &ds);
	CHECK(t, isfinite(v) && isfinite(dm) && dm < 0);
	CHECK(t, NEAR(v, -800 - 0.5 * log(2 * M_PI) - 2 * log(40) +
		      log(1 - 3.0 / 1600 + 15.0 / 1600 / 1600), 1e-6));
}

static void pof_closed_form(struct test_ctx *t)
{
	double dm, ds, v1, v2;
	const double h = 1e-6;

	CHECK(t, NEAR(acq_log_pof(0, 1, 0, NULL, NULL), log(0.5), 1e-12));
	/* P(N(1, 2^2) <= 2) = Phi(0.5) */
	CHECK(t, NEAR(acq_log_pof(1, 2, 2, &dm, &ds), log(0.691462461274013),
		      1e-12));
	v1 = acq_log_pof(1 + h, 2, 2, NULL, NULL);
	v2 = acq_log_pof(1 - h, 2, 2, NULL, NULL);
	CHECK(t, NEAR(dm, (v1 - v2) / (2 * h), 1e-6));
	v1 = acq_log_pof(1, 2 + h, 2, NULL, NULL);
	v2 = acq_log_pof(1, 2 - h, 2, NULL, NULL);
	CHECK(t, NEAR(ds, (v1 - v2) / (2 * h), 1e-6));
	/* hopeless: still finite */
	CHECK(t, isfinite(acq_log_pof(50, 1, 0, NULL, NULL)));
}

/* A mixed space: real, integer on a log scale, categorical. */
static struct dim mixed_dims[3] = {
	{ .name = "a", .type = DIM_REAL, .min = -1, .max = 1 },
	{ .name = "b", .type = DIM_INT, .scale = SCALE_LOG, .min = 1,
	  .max = 1000 },
	{ .name = "c", .type = DIM_CATEGORICAL, .nvalues = 3 },
};
static const struct space mixed = { mixed_dims, 3 };

/*
 * A GP with a clear dip near a = 0.2, b = 30, c = 1; or, feasibility,
 * 0 for c = 1 and 1 elsewhere.
 */
static struct gp *mixed_gp(bool feasibility)
{
	bool cat[3] = { false, false, true };
	struct gp *gp = gp_new(3, cat);
	double pts[8][3], u[24], y[8], ls[3] = { 0.2, 0.3, 1 };
	struct rng rng;
	int i;

	if (!gp)
		return NULL;
	rng_seed(&rng, 3);
	for (i = 0; i < 8; i++) {
		pts[i][0] = 2 * rng_uniform(&rng) - 1;
		pts[i][1] = floor(exp(rng_uniform(&rng) * log(1000)));
		pts[i][2] = i % 3;
		ucube_from_point(&mixed, pts[i], u + 3 * i);
		y[i] = (i % 3 != 1) + (feasibility ? 0 :
		       pow(pts[i][0] - 0.2, 2) +
		       pow(log(pts[i][1] / 30), 2) / 10);
	}
	if (gp_set_data(gp, u, y, NULL, 8, 0) || gp_set_hyper(gp, ls, 1, 1e-6)) {
		gp_free(gp);
		return NULL;
	}
	return gp;
}

static void search_finds_valid_maximum(struct test_ctx *t)
{
	struct gp *gp = mixed_gp(false);
	struct acq a = { .space = &mixed, .best = 0.5 };
	double u[3], r[3], x[3], best, v;
	struct rng rng;
	int i;

	CHECK(t, gp);
	a.obj = gp;
	rng_seed(&rng, 11);
	best = acq_maximise(&a, &rng, NULL, 0, 200, 3, u);
	CHECK(t, NEAR(best, acq_eval(&a, u, NULL), 1e-12));
	ucube_to_point(&mixed, u, x);
	CHECK_INT(t, space_check(&mixed, x, (char[64]){ 0 }, 64), 0);
	/* no random point does better */
	for (i = 0; i < 500; i++) {
		ucube_random(&mixed, &rng, r);
		v = acq_eval(&a, r, NULL);
		CHECK(t, v <= best + 1e-9);
	}
	gp_free(gp);
}

static void search_stays_in_trust_region(struct test_ctx *t)
{
	struct gp *gp = mixed_gp(false);
	double center[3] = { 0.9, 0.9, 2 }, u[3];
	struct acq a = { .space = &mixed, .best = 0.5, .center = center,
			 .radius = 0.1 };
	struct rng rng;
	int i;

	CHECK(t, gp);
	a.obj = gp;
	rng_seed(&rng, 5);
	for (i = 0; i < 5; i++) {
		acq_maximise(&a, &rng, center, 1, 100, 2, u);
		CHECK(t, fabs(u[0] - center[0]) <= 0.1 + 1e-12);
		CHECK(t, fabs(u[1] - center[1]) <= 0.1 + 1e-12);
	}
	gp_free(gp);
}

static void constraints_steer_the_search(struct test_ctx *t)
{
	struct gp *cons = mixed_gp(true);
	double bound = 0.5, u[3], mu, var;
	struct acq a = { .space = &mixed, .cons = &cons, .bound = &bound,
			 .ncons = 1 };
	struct rng rng;

	CHECK(t, cons);
	/* no feasible point yet (no objective): feasibility alone */
	rng_seed(&rng, 9);
	acq_maximise(&a, &rng, NULL, 0, 200, 3, u);
	gp_predict(cons, u, &mu, &var, NULL, NULL);
	CHECK(t, u[2] == 1);
	CHECK(t, mu < bound);
	gp_free(cons);
}

SUITE(acquisition_suite, "acquisition",
      CASE(ei_closed_form),
      CASE(log_ei_matches_and_survives_the_tail),
      CASE(pof_closed_form),
      CASE(search_finds_valid_maximum),
      CASE(search_stays_in_trust_region),
      CASE(constraints_steer_the_search));
