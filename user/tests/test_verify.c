// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pareto fronts, and the verification of results: the interleaving, the
 * paired statistics and the recommend-or-not decision.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "search/pareto.h"
#include "tune/verify.h"
#include "unit.h"

#define NEAR(a, b, tol) (fabs((a) - (b)) <= (tol))

static void front_and_hypervolume(struct test_ctx *t)
{
	/* (1,5) (2,3) (3,4)x (4,1) (2,3)dup (5,5)x (nan,0)x */
	double f[] = { 1, 5, 2, 3, 3, 4, 4, 1, 2, 3, 5, 5, NAN, 0 };
	double ref[2] = { 6, 6 };
	size_t idx[7];

	CHECK_INT(t, pareto_front(f, 7, idx), 3);
	CHECK(t, idx[0] == 0 && idx[1] == 1 && idx[2] == 3);
	/* 5x1 + 4x2 + 2x2 */
	CHECK(t, NEAR(pareto_hypervolume(f, idx, 3, ref), 17, 1e-12));
}

static void front_of_a_history(struct test_ctx *t)
{
	struct dim d = { .name = "x", .type = DIM_REAL, .min = 0, .max = 1 };
	struct space sp = { &d, 1 };
	struct objective o[2] = { { "lat", GOAL_MINIMIZE },
				  { "tput", GOAL_MAXIMIZE } };
	struct tuner_problem p = { .space = &sp, .objectives = o,
				   .nobjectives = 2 };
	double x[4] = { 0.1, 0.2, 0.3, 0.4 };
	struct tuner_observation obs[4] = {
		{ .x = &x[0], .objectives = { 10, 100 }, .feasible = true },
		{ .x = &x[1], .objectives = { 12, 150 }, .feasible = true },
		/* would dominate, but infeasible */
		{ .x = &x[2], .objectives = { 5, 500 }, .feasible = false },
		{ .x = &x[3], .objectives = { 11, 90 }, .feasible = true },
	};
	size_t idx[4];

	CHECK_INT(t, pareto_history(&p, &(struct tuner_history){ obs, 4 },
				    idx), 2);
	CHECK(t, idx[0] == 0 && idx[1] == 1);
	p.nobjectives = 1;
	CHECK_INT(t, pareto_history(&p, &(struct tuner_history){ obs, 4 },
				    idx), -EINVAL);
}

static void rounds_alternate(struct test_ctx *t)
{
	int order[3];

	verify_round_order(2, 0, order);
	CHECK(t, order[0] == -1 && order[1] == 0 && order[2] == 1);
	verify_round_order(2, 1, order);
	CHECK(t, order[0] == 1 && order[1] == 0 && order[2] == -1);
}

/* Baseline 100 with noise; candidate 0 better by `gain`, minimising. */
static void measure(double *base, double *cand, size_t rounds, double gain,
		    double noise)
{
	size_t r;

	for (r = 0; r < rounds; r++) {
		/* a fixed zig-zag of +-noise, and a slow drift both share */
		double z = (r % 2 ? 1 : -1) * noise * ((r % 3) + 1) / 2;

		base[r] = 100 + r + z;
		cand[r] = (100 + r) * (1 - gain) - z / 2;
	}
}

static void clear_gain_is_recommended(struct test_ctx *t)
{
	double base[8], cand[8];
	struct verify_candidate vc[1];
	struct verify_result res = { .cand = vc };
	struct verify_input in = {
		.rounds = 8, .ncand = 1, .baseline = base, .candidates = cand,
		.goal = GOAL_MINIMIZE, .alpha = 0.05,
	};

	measure(base, cand, 8, 0.10, 1);
	CHECK_INT(t, verify_decide(&in, &res), 0);
	CHECK_INT(t, res.chosen, 0);
	CHECK(t, vc[0].pairs == 8 && vc[0].significant && vc[0].feasible);
	CHECK(t, vc[0].low < 0.10 && vc[0].high > 0.10 - 0.02);
	CHECK(t, NEAR(vc[0].improvement, 0.10, 0.01));
	CHECK(t, vc[0].p_value < 0.001);
	CHECK_CONTAINS(t, res.why, "candidate 1 is 10.");
	CHECK_CONTAINS(t, res.why, "95% CI");
}

static void noise_alone_lets_defaults_stand(struct test_ctx *t)
{
	double base[6], cand[6];
	struct verify_candidate vc[1];
	struct verify_result res = { .cand = vc };
	struct verify_input in = {
		.rounds = 6, .ncand = 1, .baseline = base, .candidates = cand,
		.goal = GOAL_MINIMIZE, .alpha = 0.05,
	};

	/* 1% better on average, 5% noise */
	measure(base, cand, 6, 0.01, 5);
	CHECK_INT(t, verify_decide(&in, &res), 0);
	CHECK_INT(t, res.chosen, -1);
	CHECK(t, vc[0].low < 0 && vc[0].high > 0);
	CHECK_CONTAINS(t, res.why, "defaults stand");
}

static void worse_is_never_recommended_maximising(struct test_ctx *t)
{
	/* throughput: the candidate is lower, so worse */
	double base[5] = { 1000, 1010, 990, 1005, 995 };
	double cand[5] = { 900, 905, 895, 910, 890 };
	struct verify_candidate vc[1];
	struct verify_result res = { .cand = vc };
	struct verify_input in = {
		.rounds = 5, .ncand = 1, .baseline = base, .candidates = cand,
		.goal = GOAL_MAXIMIZE, .alpha = 0.05,
	};

	CHECK_INT(t, verify_decide(&in, &res), 0);
	CHECK_INT(t, res.chosen, -1);
	CHECK(t, vc[0].improvement < -0.08 && vc[0].high < 0);
}

static void broken_constraint_or_failed_windows(struct test_ctx *t)
{
	double base[6], cand[12], cons[12];
	struct constraint p99 = { "p99_us", CMP_LE, 200 };
	struct verify_candidate vc[2];
	struct verify_result res = { .cand = vc };
	struct verify_input in = {
		.rounds = 6, .ncand = 2, .baseline = base, .candidates = cand,
		.goal = GOAL_MINIMIZE, .alpha = 0.05, .constraints = &p99,
		.nconstraints = 1, .constraint_values = cons,
	};
	size_t r;

	measure(base, cand, 6, 0.2, 1);
	measure(base, cand + 6, 6, 0.1, 1);
	for (r = 0; r < 6; r++) {
		cons[r] = 230 + r;	/* candidate 1 breaks the SLA */
		cons[6 + r] = 150 + r;
	}
	CHECK_INT(t, verify_decide(&in, &res), 0);
	CHECK(t, !vc[0].feasible && vc[1].feasible);
	CHECK_CONTAINS(t, vc[0].violated, "p99_us <= 200");
	/* the smaller, feasible gain wins */
	CHECK_INT(t, res.chosen, 1);

	/* the winner's windows failed but two: too few pairs to tell */
	for (r = 2; r < 6; r++)
		cand[6 + r] = NAN;
	CHECK_INT(t, verify_decide(&in, &res), 0);
	CHECK_INT(t, res.chosen, -1);
	CHECK_INT(t, vc[1].pairs, 2);
}

static void picks_distinct_best(struct test_ctx *t)
{
	struct dim d = { .name = "x", .type = DIM_REAL, .min = 0, .max = 1 };
	struct space sp = { &d, 1 };
	struct objective o = { "lat", GOAL_MINIMIZE };
	struct tuner_problem p = { .space = &sp, .objectives = &o,
				   .nobjectives = 1 };
	double x[5] = { 0.5, 0.2, 0.2, 0.7, 0.9 };
	struct tuner_observation obs[5] = {
		{ .x = &x[0], .objectives = { 1 }, .feasible = true,
		  .baseline = true },
		{ .x = &x[1], .objectives = { 5 }, .feasible = true },
		{ .x = &x[2], .objectives = { 4 }, .feasible = true },
		{ .x = &x[3], .objectives = { 3 }, .feasible = true },
		{ .x = &x[4], .objectives = { 2 }, .failed = true },
	};
	size_t idx[3];

	CHECK_INT(t, tuner_rank_observed(&p, &(struct tuner_history){ obs, 5 },
					 idx, 3), 2);
	CHECK(t, idx[0] == 3 && idx[1] == 2);
}

SUITE(verify_suite, "pareto and verify",
      CASE(front_and_hypervolume),
      CASE(front_of_a_history),
      CASE(rounds_alternate),
      CASE(clear_gain_is_recommended),
      CASE(noise_alone_lets_defaults_stand),
      CASE(worse_is_never_recommended_maximising),
      CASE(broken_constraint_or_failed_windows),
      CASE(picks_distinct_best));
