// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The model tuners' coordinates: transforms, projection, trust region and
 * the Latin hypercube.
 */
#include <math.h>

#include "search/ucube.h"
#include "unit.h"

#define NEAR(a, b, tol) (fabs((a) - (b)) <= (tol))

static struct dim dims[3] = {
	{ .name = "r", .type = DIM_REAL, .min = 10, .max = 1000,
	  .scale = SCALE_LOG },
	{ .name = "i", .type = DIM_INT, .min = 0, .max = 4 },
	{ .name = "c", .type = DIM_CATEGORICAL, .nvalues = 4 },
};
static const struct space sp = { dims, 3 };

static void transforms_round_trip(struct test_ctx *t)
{
	double x[3] = { 100, 3, 2 }, u[3], back[3];

	ucube_from_point(&sp, x, u);
	/* a log scale: 100 is halfway between 10 and 1000 */
	CHECK(t, NEAR(u[0], 0.5, 1e-12));
	CHECK(t, NEAR(u[1], 0.75, 1e-12));
	/* categorical: the index itself */
	CHECK(t, u[2] == 2);
	ucube_to_point(&sp, u, back);
	CHECK(t, NEAR(back[0], 100, 1e-9));
	CHECK(t, back[1] == 3 && back[2] == 2);
}

static void projection_rounds(struct test_ctx *t)
{
	double u[3] = { 1.7, 0.3, 2.6 }, x[3];

	ucube_project(&sp, u);
	CHECK(t, u[0] == 1);
	/* 0.3 of 0..4 is 1.2: rounds to 1, at 0.25 */
	CHECK(t, NEAR(u[1], 0.25, 1e-12));
	CHECK(t, u[2] == 3);
	ucube_to_point(&sp, u, x);
	CHECK_INT(t, space_check(&sp, x, (char[64]){ 0 }, 64), 0);
	/* categorical distance is a mismatch count */
	CHECK(t, NEAR(ucube_dist2(&sp, (double[3]){ 0, 0, 1 },
				  (double[3]){ 0.5, 0, 2 }), 1.25, 1e-12));
}

static void clip_keeps_steps_small(struct test_ctx *t)
{
	double center[3] = { 0.5, 0.5, 0 }, u[3];
	struct rng rng;
	int k;

	rng_seed(&rng, 1);
	for (k = 0; k < 200; k++) {
		ucube_random_near(&sp, center, 0.1, &rng, u);
		CHECK(t, fabs(u[0] - center[0]) <= 0.1 + 1e-12);
		/* integer steps are 0.25: within 0.1 only its own value */
		CHECK(t, u[1] == 0.5);
	}
	/* two categorical changes: only the first stays */
	{
		struct dim two[2] = {
			{ .name = "p", .type = DIM_CATEGORICAL, .nvalues = 3 },
			{ .name = "q", .type = DIM_CATEGORICAL, .nvalues = 3 },
		};
		const struct space s2 = { two, 2 };
		double c2[2] = { 0, 0 }, v[2] = { 2, 1 };

		ucube_clip(&s2, c2, 0.1, v);
		CHECK(t, v[0] == 2 && v[1] == 0);
	}
}

static void latin_hypercube_strata(struct test_ctx *t)
{
	struct dim d2[2] = {
		{ .name = "a", .type = DIM_REAL, .min = 0, .max = 1 },
		{ .name = "b", .type = DIM_REAL, .min = -5, .max = 5 },
	};
	const struct space s2 = { d2, 2 };
	double pts[10 * 2], pc[8 * 3];
	int seen[10] = { 0 }, cats[4] = { 0 }, i;
	struct rng rng;

	rng_seed(&rng, 42);
	CHECK_INT(t, ucube_lhs(&s2, 10, 20, &rng, pts), 0);
	/* each tenth of each axis exactly once */
	for (i = 0; i < 10; i++)
		seen[(int)(pts[2 * i] * 10)]++;
	for (i = 0; i < 10; i++)
		CHECK_INT(t, seen[i], 1);
	/* categorical values cycle: 8 points, 4 values, twice each */
	CHECK_INT(t, ucube_lhs(&sp, 8, 5, &rng, pc), 0);
	for (i = 0; i < 8; i++)
		cats[(int)pc[3 * i + 2]]++;
	for (i = 0; i < 4; i++)
		CHECK_INT(t, cats[i], 2);
}

SUITE(ucube_suite, "ucube",
      CASE(transforms_round_trip),
      CASE(projection_rounds),
      CASE(clip_keeps_steps_small),
      CASE(latin_hypercube_strata));
