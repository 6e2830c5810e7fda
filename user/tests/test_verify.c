// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pareto fronts, and the verification of results: the interleaving, the
 * paired statistics and the recommend-or-not decision.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "search/pareto.h"
#include "tune/front.h"
#include "tune/results.h"
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

/*
 * The chance that a normal statistic crosses either of two looks' levels,
 * the looks' statistics correlated by rho: the first's upper tail, and
 * below it (Simpson's rule over z) the second's conditional upper tail.
 */
static double two_look_crossing(const double *level, double rho2)
{
	double c1 = gsl_cdf_ugaussian_Qinv(level[0]);
	double c2 = gsl_cdf_ugaussian_Qinv(level[1]);
	double rho = sqrt(rho2), h = (c1 + 12) / 4000, s = 0, z;
	int i;

	for (i = 0; i <= 4000; i++) {
		z = -12 + i * h;
		s += (i == 0 || i == 4000 ? 1 : i % 2 ? 4 : 2) *
		     gsl_ran_ugaussian_pdf(z) *
		     gsl_cdf_ugaussian_Q((c2 - rho * z) / sqrt(1 - rho2));
	}
	return level[0] + s * h / 3;
}

static void levels_spend_alpha(struct test_ctx *t)
{
	size_t one[1] = { 20 }, two[2] = { 3, 20 };
	double level[2];

	/* one look: the whole alpha */
	CHECK_INT(t, verify_levels(one, 1, 20, false, 0.05, level), 0);
	CHECK(t, NEAR(level[0], 0.05, 1e-4));
	/*
	 * the first look spends f(3/20) = a (e^0.3 - 1) / (e^2 - 1) of a =
	 * 0.8 x 0.05 (the margin for t statistics)
	 */
	CHECK_INT(t, verify_levels(two, 2, 20, false, 0.05, level), 0);
	CHECK(t, NEAR(level[0], 0.8 * 0.0027380, 1e-6));
	/* correlated looks: the last may test at more than what is left */
	CHECK(t, level[1] > 0.8 * (0.05 - 0.0027380) && level[1] < 0.8 * 0.05);
	/* and together, for normal statistics, they spend 0.8 x 0.05 */
	CHECK(t, NEAR(two_look_crossing(level, 3.0 / 20), 0.04, 1e-4));
	/* out of rounds at 3 of 20: the first look spends it all */
	CHECK_INT(t, verify_levels(two, 1, 20, true, 0.05, level), 0);
	CHECK(t, NEAR(level[0], 0.05, 1e-4));
	CHECK_INT(t, verify_levels(two, 0, 20, false, 0.05, level), -EINVAL);
	CHECK_INT(t, verify_levels(two, 2, 20, false, 1.5, level), -EINVAL);
	/* from 5 every other round, then about every 15%: ... 19, 21, 24 */
	CHECK(t, verify_is_look(5, 20) && verify_is_look(7, 20) &&
		 !verify_is_look(6, 20) && verify_is_look(20, 20) &&
		 !verify_is_look(3, 20));
	CHECK(t, verify_is_look(21, 100) && !verify_is_look(23, 100) &&
		 verify_is_look(24, 100));
}

/*
 * The "better" test's design: a look at 3 rounds for futility only, then
 * the plain design's looks. Knowing that the paths below the futility
 * boundaries stop, each look tests at a higher level than the plain
 * design would with the same margin (most at the last: above the plain
 * design's own), Holm's second step (alpha / 2) at a lower one; a candidate is given up when its p-value is above the look's
 * futility p-value, which falls as the rounds add up, and the last look
 * gives nothing up. The same futility p-values given back reproduce the
 * levels.
 */
static void futility_design(struct test_ctx *t)
{
	struct verify_plan p;
	bool efficacy[16];
	double level[16], futility[16];
	size_t i, n = 3;

	CHECK_INT(t, verify_plan_init(&p, 20, 2, 0.05), 0);
	CHECK_INT(t, p.nbetter, p.nlooks + 1);
	CHECK(t, p.nbetter <= 16);
	CHECK_INT(t, p.better_looks[0], 3);
	CHECK(t, p.better_level[0] == 0 && p.better_level[p.nbetter] == 0);
	CHECK(t, p.futility[0] > 0.5 && p.futility[0] < 1);
	for (i = 1; i < p.nbetter; i++) {
		CHECK_INT(t, p.better_looks[i], p.looks[i - 1]);
		/* as high, but for the margin (0.75, not 0.8) and the integration's error */
		CHECK(t, p.better_level[i] > 0.98 * 0.75 / 0.8 * p.level[i - 1]);
		CHECK(t, p.better_level[p.nbetter + i] < p.better_level[i]);
		CHECK(t, i + 1 == p.nbetter || p.futility[i] < p.futility[i - 1]);
	}
	CHECK(t, p.better_level[p.nbetter - 1] > 1.2 * p.level[p.nlooks - 1]);
	CHECK(t, p.futility[p.nbetter - 1] == 1);
	for (i = 0; i < p.nbetter; i++)
		efficacy[i] = i > 0;
	CHECK_INT(t, verify_better_levels(p.better_looks, efficacy, p.nbetter,
					  20, false, 0.05, p.futility, level,
					  futility), 0);
	for (i = 0; i < p.nbetter; i++)
		CHECK(t, NEAR(level[i], p.better_level[i], 1e-6));
	CHECK_INT(t, verify_better_levels(p.better_looks, efficacy, 0, 20,
					  false, 0.05, NULL, level, futility),
		  -EINVAL);
	CHECK_INT(t, verify_better_levels(&n, efficacy, 1, 20, false, 0,
					  NULL, level, futility), -EINVAL);
	verify_plan_free(&p);
}

/* A verdict's plan, input and result, alpha 0.05. */
struct verdict {
	struct verify_plan plan;
	struct verify_candidate vc[3];
	struct verify_result res;
	struct verify_input in;
};

static bool setup(struct verdict *v, size_t max, size_t rounds, size_t ncand,
		  const double *base, const double *cand, enum goal goal)
{
	memset(v, 0, sizeof(*v));
	v->res.cand = v->vc;
	v->in = (struct verify_input){
		.plan = &v->plan, .rounds = rounds, .ncand = ncand,
		.baseline = base, .candidates = cand, .goal = goal,
	};
	return verify_plan_init(&v->plan, max, ncand, 0.05) == 0;
}

static void clear_gain_stops_early(struct test_ctx *t)
{
	double base[20], cand[20];
	struct verdict v;

	CHECK(t, setup(&v, 20, 0, 1, base, cand, GOAL_MINIMIZE));
	measure(base, cand, 20, 0.10, 1);
	/* 10% better, 1% noise: decided at the first look of 20 rounds */
	v.res.decision = VERIFY_CONTINUE;
	for (v.in.rounds = 1; v.res.decision == VERIFY_CONTINUE && v.in.rounds <= 20; v.in.rounds++)
		CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK_INT(t, v.in.rounds - 1, 5);
	CHECK_INT(t, v.res.decision, VERIFY_BETTER);
	CHECK_INT(t, v.res.chosen, 0);
	CHECK(t, v.vc[0].pairs == 5 && v.vc[0].better && v.vc[0].feasible);
	CHECK(t, NEAR(v.vc[0].ratio, 0.90, 0.01));
	CHECK(t, v.vc[0].low < v.vc[0].ratio && v.vc[0].high < 1);
	CHECK_CONTAINS(t, v.res.why, "candidate 1 is better than the baseline: 0.9");
	CHECK_CONTAINS(t, v.res.why, ", ≥90% CI");
	CHECK_CONTAINS(t, v.res.why, "(5 rounds)");
	verify_plan_free(&v.plan);
}

static void unclear_gain_goes_on(struct test_ctx *t)
{
	double base[20], cand[20];
	struct verdict v;

	CHECK(t, setup(&v, 20, 6, 1, base, cand, GOAL_MINIMIZE));
	/* 1% better on average, 5% noise */
	measure(base, cand, 20, 0.01, 5);
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK_INT(t, v.res.decision, VERIFY_CONTINUE);
	CHECK_INT(t, v.res.chosen, -1);
	CHECK(t, v.vc[0].low < 1 && v.vc[0].high > 1 && !v.vc[0].better);
	/* out of time after 6 rounds: inconclusive, the defaults stand */
	v.in.last = true;
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK_INT(t, v.res.decision, VERIFY_INCONCLUSIVE);
	CHECK_CONTAINS(t, v.res.why, "defaults stand: inconclusive after 6 rounds");
	CHECK_CONTAINS(t, v.res.why, "inconclusive (≥90% CI");
	verify_plan_free(&v.plan);
}

/*
 * A candidate whose first 3 rounds point the wrong way is given up at the
 * futility look, and stays given up however good the rounds after it
 * look: the levels were computed for that stop. The plain design (a
 * two-objective verdict's tests) has no such stop.
 */
static void futility_gives_up_for_good(struct test_ctx *t)
{
	double base[20], cand[20];
	struct verdict v;
	size_t r;

	CHECK(t, setup(&v, 20, 3, 1, base, cand, GOAL_MINIMIZE));
	measure(base, cand, 20, 0.10, 1);
	for (r = 0; r < 3; r++)
		cand[r] = base[r] * (1.02 + 0.005 * r);
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK_INT(t, v.res.decision, VERIFY_NOT_BETTER);
	CHECK(t, v.vc[0].given_up && v.vc[0].futile && !v.vc[0].better);
	CHECK(t, v.vc[0].ratio > 1.02 && v.vc[0].low > 1);
	CHECK_CONTAINS(t, v.res.why, "defaults stand: no candidate is better than the baseline; the best, candidate 1: 1.0");
	CHECK_CONTAINS(t, v.res.why, "(given up after 3 rounds: a gain the planned 20 rounds could show is unlikely)");
	/* 17 rounds 10% better after it: still given up, judged on its 3 */
	v.in.rounds = 20;
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK_INT(t, v.res.decision, VERIFY_NOT_BETTER);
	CHECK_INT(t, v.res.chosen, -1);
	CHECK(t, v.vc[0].given_up == 3 && !v.vc[0].better);
	CHECK(t, v.vc[0].pairs == 3 && v.vc[0].ratio > 1.02);
	CHECK_CONTAINS(t, v.res.why, "(given up after 3 rounds: ");
	v.in.rounds = 3;
	v.in.no_futility = true;
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK_INT(t, v.res.decision, VERIFY_CONTINUE);
	CHECK(t, !v.vc[0].given_up);
	v.in.rounds = 20;
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK_INT(t, v.res.decision, VERIFY_BETTER);
	verify_plan_free(&v.plan);
}

/*
 * Of two candidates, the one given up at the futility look steps last in
 * Holm's order and cannot be recommended, whatever its later p-value;
 * the other is tested as before. Out of time after 4 rounds (off the
 * plan's looks), the last look spends what is left, the futility stop
 * at 3 standing.
 */
static void futility_with_two_and_out_of_time(struct test_ctx *t)
{
	double base[20], cand[40];
	struct verdict v;
	size_t r;

	CHECK(t, setup(&v, 20, 5, 2, base, cand, GOAL_MINIMIZE));
	measure(base, cand, 20, 0.20, 1);
	measure(base, cand + 20, 20, 0.05, 1);
	for (r = 0; r < 3; r++)
		cand[r] = base[r] * 1.05;
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK_INT(t, v.res.decision, VERIFY_BETTER);
	CHECK_INT(t, v.res.chosen, 1);
	CHECK(t, v.vc[0].given_up == 3 && !v.vc[0].better && v.vc[0].pairs == 3);
	/* its own p-value, as the look that gave it up saw it */
	CHECK(t, v.vc[0].p_value > 0.99);
	CHECK(t, v.vc[1].better && !v.vc[1].given_up);
	v.in.rounds = 4;
	v.in.last = true;
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK_INT(t, v.res.decision, VERIFY_BETTER);
	CHECK_INT(t, v.res.chosen, 1);
	CHECK_CONTAINS(t, v.res.why, "candidate 2 is better than the baseline: 0.95");
	CHECK_CONTAINS(t, v.res.why, "(4 rounds)");
	verify_plan_free(&v.plan);
}

/*
 * Out of time after 3 rounds, the futility-only look: the last round
 * spends the whole level, so a clear gain is recommended there.
 */
static void futility_look_as_the_last_round(struct test_ctx *t)
{
	double base[20], cand[20];
	struct verdict v;

	CHECK(t, setup(&v, 20, 3, 1, base, cand, GOAL_MINIMIZE));
	measure(base, cand, 20, 0.10, 1);
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK_INT(t, v.res.decision, VERIFY_CONTINUE);
	v.in.last = true;
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK_INT(t, v.res.decision, VERIFY_BETTER);
	CHECK_CONTAINS(t, v.res.why, "candidate 1 is better than the baseline: 0.9");
	CHECK_CONTAINS(t, v.res.why, "(3 rounds)");
	verify_plan_free(&v.plan);
}

static void worse_is_never_recommended_maximising(struct test_ctx *t)
{
	/* throughput: the candidate is lower, so worse */
	double base[5] = { 1000, 1010, 990, 1005, 995 };
	double cand[5] = { 900, 905, 895, 910, 890 };
	struct verdict v;

	CHECK(t, setup(&v, 5, 5, 1, base, cand, GOAL_MAXIMIZE));
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK_INT(t, v.res.chosen, -1);
	CHECK_INT(t, v.res.decision, VERIFY_NOT_BETTER);
	CHECK(t, v.vc[0].ratio < 0.92 && v.vc[0].high < 1 && v.vc[0].futile);
	CHECK_CONTAINS(t, v.res.why, "defaults stand: no candidate is better");
	verify_plan_free(&v.plan);
}

/*
 * Three rounds of three: one look, so Holm's steps test at alpha / 3,
 * alpha / 2 and alpha. Candidate 2's t is 4.6 (p 0.0221 with 2 degrees of
 * freedom): above alpha / 3, below alpha / 2, so only the step-down finds
 * it (Bonferroni would not); candidate 1's t is 20 (p 0.0012).
 */
static void holm_steps_down(struct test_ctx *t)
{
	double base[3] = { 100, 100, 100 }, cand[9], m, s = 0.01;
	struct verdict v;
	size_t r;

	CHECK(t, setup(&v, 3, 3, 3, base, cand, GOAL_MAXIMIZE));
	for (r = 0; r < 3; r++) {
		/* log ratios m - s, m, m + s: t = m sqrt(3) / s */
		m = 20 * s / sqrt(3);
		cand[r] = 100 * exp(m + ((double)r - 1) * s);
		m = 4.6 * s / sqrt(3);
		cand[3 + r] = 100 * exp(m + ((double)r - 1) * s);
		cand[6 + r] = 100 * exp(((double)r - 1) * s);
	}
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK(t, NEAR(v.vc[0].p_value, 0.001245, 1e-5));
	CHECK(t, NEAR(v.vc[1].p_value, 0.022076, 1e-5));
	CHECK(t, v.vc[0].better && v.vc[1].better && !v.vc[2].better);
	/* the better of the two is recommended */
	CHECK_INT(t, v.res.chosen, 0);
	/* the order of the candidates does not matter */
	for (r = 0; r < 3; r++) {
		m = cand[r];
		cand[r] = cand[6 + r];
		cand[6 + r] = m;
	}
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK(t, !v.vc[0].better && v.vc[1].better && v.vc[2].better);
	CHECK_INT(t, v.res.chosen, 2);
	verify_plan_free(&v.plan);
}

static void ratio_interval_by_hand(struct test_ctx *t)
{
	/* log ratios -0.10, -0.12, -0.08: mean -0.1, sd 0.02, t(0.05, 2) 2.919986 */
	double base[3] = { 100, 100, 100 };
	double cand[3] = { 100 * exp(-0.10), 100 * exp(-0.12), 100 * exp(-0.08) };
	struct verdict v;
	char text[128];

	CHECK(t, setup(&v, 3, 3, 1, base, cand, GOAL_MINIMIZE));
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK(t, !v.vc[0].fieller);
	/* exp(-0.1), exp(-0.1 -+ 2.919986 x 0.02 / sqrt(3)) */
	CHECK(t, NEAR(v.vc[0].ratio, 0.904837, 1e-5));
	CHECK(t, NEAR(v.vc[0].low, 0.874838, 1e-4));
	CHECK(t, NEAR(v.vc[0].high, 0.935866, 1e-4));
	verify_format_ratio(v.vc[0].ratio, v.vc[0].low, v.vc[0].high, 90, text, sizeof(text));
	CHECK_STR(t, text, "0.905x, ≥90% CI 0.875x-0.936x");
	verify_format_ratio(1.02, 0.95, 1.1, 90, text, sizeof(text));
	CHECK_STR(t, text, "1.02x, inconclusive (≥90% CI 0.95x-1.1x)");
	verify_format_ratio(1.02, NAN, NAN, 95, text, sizeof(text));
	CHECK_STR(t, text, "1.02x, inconclusive (unbounded ≥95% CI)");
	verify_plan_free(&v.plan);
}

/*
 * Five rounds whose log ratios are -0.03 + (0, -0.02, 0.02, -0.04, 0.04):
 * mean -0.03, variance 0.001. Alone: t = 0.03 / sqrt(0.001 / 5) = 2.121
 * on 4 degrees of freedom, p = 0.0506 (mpmath), not below 0.05.
 */
static void five_rounds(double *base, double *cand)
{
	static const double dev[5] = { 0, -0.02, 0.02, -0.04, 0.04 };
	size_t r;

	for (r = 0; r < 5; r++) {
		base[r] = 100;
		cand[r] = 100 * exp(-0.03 + dev[r]);
	}
}

/*
 * The rounds' own spread alone decides, however quiet the search was: the
 * search's noise need not be the candidate's in the rounds.
 */
static void own_spread_decides(struct test_ctx *t)
{
	double base[5], cand[5];
	struct verdict v;

	five_rounds(base, cand);
	CHECK(t, setup(&v, 5, 5, 1, base, cand, GOAL_MINIMIZE));
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK(t, NEAR(v.vc[0].p_value, 0.0505958, 1e-6));
	CHECK_INT(t, v.res.decision, VERIFY_INCONCLUSIVE);
	verify_plan_free(&v.plan);
}

static void fieller_interval_by_hand(struct test_ctx *t)
{
	/* a metric that reaches 0: the ratio of means, Fieller's interval */
	double base[3] = { 10, 12, 8 }, cand[3] = { 5, 8, 0 };
	struct verdict v;

	CHECK(t, setup(&v, 3, 3, 1, base, cand, GOAL_MINIMIZE));
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK(t, v.vc[0].fieller);
	/*
	 * mean b 10, mean c 13/3, s_bb 4, s_cc 16.333, s_bc 8, q = t^2 / 3:
	 * the roots of (10^2 - q 4) R^2 - 2 (43.333 - q 8) R + (18.778 - q 16.333)
	 */
	CHECK(t, NEAR(v.vc[0].ratio, 0.433333, 1e-5));
	CHECK(t, NEAR(v.vc[0].low, -0.372507, 1e-4));
	CHECK(t, NEAR(v.vc[0].high, 0.837273, 1e-4));
	/* paired differences 5, 4, 8: t 4.715, p 0.021079 */
	CHECK(t, NEAR(v.vc[0].p_value, 0.021079, 1e-5));
	CHECK_INT(t, v.res.decision, VERIFY_BETTER);
	/* a baseline around 0 bounds no ratio */
	base[0] = -10;
	base[1] = 12;
	base[2] = -1;
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK(t, v.vc[0].fieller && isnan(v.vc[0].low) && isnan(v.vc[0].high));
	verify_plan_free(&v.plan);
}

/*
 * Maximised, below zero: -2 beats -5 though its ratio to the baseline's
 * -10 is the smaller (0.2x against 0.5x).
 */
static void negative_baseline_picks_the_higher(struct test_ctx *t)
{
	double base[5] = { -10, -10.5, -9.5, -10.2, -9.8 };
	double cand[10] = { -5, -5.2, -4.8, -5.1, -4.9,
			    -2, -2.1, -1.9, -2.05, -1.95 };
	struct verdict v;

	CHECK(t, setup(&v, 5, 5, 2, base, cand, GOAL_MAXIMIZE));
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK(t, v.vc[0].fieller && v.vc[1].fieller);
	CHECK(t, v.vc[0].better && v.vc[1].better);
	CHECK_INT(t, v.res.chosen, 1);
	verify_plan_free(&v.plan);
}

static void failed_windows_count_against(struct test_ctx *t)
{
	double base[6], cand[12];
	struct verdict v;

	CHECK(t, setup(&v, 6, 6, 2, base, cand, GOAL_MINIMIZE));
	measure(base, cand, 6, 0.2, 1);
	measure(base, cand + 6, 6, 0.2, 1);
	/* one window of the first failed, the baseline's did not */
	cand[2] = NAN;
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	/* counted, at its worst round, not dropped */
	CHECK_INT(t, v.vc[0].pairs, 6);
	CHECK_INT(t, v.vc[0].failed, 1);
	CHECK_INT(t, v.vc[0].base_failed, 0);
	CHECK_INT(t, v.res.chosen, 1);
	/* both failed once: neither is recommended */
	cand[6 + 4] = NAN;
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK_INT(t, v.res.chosen, -1);
	CHECK_INT(t, v.res.decision, VERIFY_NOT_BETTER);
	CHECK_CONTAINS(t, v.res.why, "failed 1 windows, the baseline 0");
	/* when the baseline failed as often, the pair is lost, not held against */
	base[5] = NAN;
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK_INT(t, v.vc[0].base_failed, 1);
	CHECK_INT(t, v.vc[0].pairs, 5);
	CHECK_INT(t, v.res.decision, VERIFY_BETTER);
	verify_plan_free(&v.plan);
}

static void constraint_on_the_median(struct test_ctx *t)
{
	double base[5], cand[10], cons[10] = {
		/* candidate 1: median 150, mean 250 */
		150, 400, 150, 400, 150,
		/* candidate 2: median 250, mean 190 */
		250, 100, 250, 100, 250,
	};
	struct constraint p99 = { "p99_us", CMP_LE, 200 };
	struct verdict v;

	CHECK(t, setup(&v, 5, 5, 2, base, cand, GOAL_MINIMIZE));
	v.in.constraints = &p99;
	v.in.nconstraints = 1;
	v.in.constraint_values = cons;
	measure(base, cand, 5, 0.1, 1);
	measure(base, cand + 5, 5, 0.2, 1);
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	CHECK(t, v.vc[0].feasible && !v.vc[1].feasible);
	CHECK_CONTAINS(t, v.vc[1].violated, "p99_us <= 200");
	/* the smaller, feasible gain wins */
	CHECK_INT(t, v.res.chosen, 0);
	verify_plan_free(&v.plan);
}

static void bad_input_is_refused(struct test_ctx *t)
{
	double x[3] = { 1, 2, 3 };
	struct verify_plan plan;
	struct verdict v;

	CHECK_INT(t, verify_plan_init(&plan, 2, 1, 0.05), -EINVAL);
	CHECK_INT(t, verify_plan_init(&plan, 5, 1, 0), -EINVAL);
	CHECK(t, setup(&v, 3, 3, 1, x, x, GOAL_MINIMIZE));
	/* more candidates than planned for */
	v.in.ncand = 2;
	CHECK_INT(t, verify_decide(&v.in, &v.res), -EINVAL);
	/* more rounds than planned */
	v.in.ncand = 1;
	v.in.rounds = 4;
	CHECK_INT(t, verify_decide(&v.in, &v.res), -EINVAL);
	v.in.rounds = 3;
	CHECK_INT(t, verify_decide(&v.in, &v.res), 0);
	v.in.plan = NULL;
	CHECK_INT(t, verify_decide(&v.in, &v.res), -EINVAL);
	verify_plan_free(&v.plan);
}

static bool exists(struct test_ctx *t, const char *name)
{
	return access(fixture_path(t, name), F_OK) == 0;
}

/* A run that stopped before verifying: no best.json, and it says so. */
static void unverified_run_writes_no_profile(struct test_ctx *t)
{
	struct tune_config cfg = {
		.objective = { "value", GOAL_MINIMIZE }, .verify_rounds = 20,
		.verify_alpha = 0.05,
	};
	struct tune_results r = { 0 };
	struct run_info info = {
		.cfg = &cfg, .dir = t->tmpdir, .started = "s", .finished = "f",
		.stopped = STOP_INTERRUPTED,
	};
	struct tune_obs *o;
	json_t *summary, *v;
	char report[4096] = "";
	FILE *f;

	o = results_add(&r, 0, 0);
	o->o.baseline = o->o.feasible = true;
	o->o.objectives[0] = 2;
	o->o.spread = 0.01;
	o = results_add(&r, 0, 0);
	o->iteration = 1;
	o->o.feasible = true;
	o->o.objectives[0] = 1;
	o->o.spread = 0.01;
	/* a profile from an earlier run must not stay behind */
	fixture_file(t, "best.json", "{\"knobs\": {}}\n", 0644);
	CHECK_INT(t, results_write(&r, &info), 0);
	CHECK(t, !exists(t, "best.json"));
	summary = json_load_file(fixture_path(t, "summary.json"), 0, NULL);
	v = json_object_get(summary, "verification");
	CHECK_STR(t, json_string_value(json_object_get(v, "decision")), "not_verified");
	CHECK(t, json_is_false(json_object_get(v, "recommended")));
	CHECK(t, json_is_null(json_object_get(summary, "recommended")));
	json_decref(summary);
	f = fopen(fixture_path(t, "report.txt"), "re");
	if (f) {
		CHECK(t, fread(report, 1, sizeof(report) - 1, f) > 0);
		fclose(f);
	}
	CHECK_CONTAINS(t, report, "verified:  not verified: the run stopped (interrupted) before verification could decide");
	CHECK_CONTAINS(t, report, "no best.json: keep the host's settings");
	/* with verification off, the search's best is the profile */
	cfg.verify_rounds = 0;
	CHECK_INT(t, results_write(&r, &info), 0);
	CHECK(t, exists(t, "best.json"));
	results_free(&r);
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

/*
 * Results of (latency, throughput) per entry for the front's tests: the
 * second objective is the last constraint column (tune_config.h).
 */
static void add_pair(struct tune_results *r, unsigned int iteration,
		     double latency, double tput, bool noisy)
{
	struct tune_obs *o = results_add(r, 0, 1);

	o->iteration = iteration;
	o->o.baseline = iteration == 0;
	o->o.feasible = true;
	o->o.noisy = noisy;
	o->o.spread = 0.01;
	o->o.objectives[0] = latency;
	o->o.objectives[1] = o->constraint_values[0] = tput;
}

/* Latency minimised, throughput maximised; the first entry the baseline. */
static void pair_results(struct tune_results *r)
{
	memset(r, 0, sizeof(*r));
	add_pair(r, 0, 90, 800, false);
	add_pair(r, 1, 10, 900, false);		/* A: an end */
	add_pair(r, 2, 20, 960, false);		/* B: the knee */
	add_pair(r, 3, 40, 975, false);		/* C */
	add_pair(r, 4, 80, 980, false);		/* D: the other end */
	add_pair(r, 5, 50, 950, false);		/* beaten by C */
	add_pair(r, 6, 15, 970, true);		/* would beat B, but noisy */
}

static void front_pick_by_rule(struct test_ctx *t)
{
	struct tune_config cfg = {
		.objective = { "lat", GOAL_MINIMIZE },
		.objective2 = { "tput", GOAL_MAXIMIZE },
		.nobjectives = 2, .nconstraints = 1,
	};
	json_t *rule = json_pack("{s:s,s:s,s:s}", "rule", "constrained",
				 "optimize", "lat", "subject_to", "tput >= 970");
	struct tune_results r;
	struct front f;
	char why[200];

	pair_results(&r);
	CHECK_INT(t, front_build(&r, &cfg, &f), 0);
	/* A, B, C, D by latency; not the baseline, 5 or the noisy 6 */
	CHECK_INT(t, f.n, 4);
	CHECK(t, f.n == 4 && f.idx[0] == 1 && f.idx[1] == 2 && f.idx[2] == 3 && f.idx[3] == 4);
	/*
	 * normalised, B (0.14, 0.25) is 0.61 / sqrt 2 from the line joining
	 * A (0, 1) and D (1, 0), C (0.43, 0.06) 0.51 / sqrt 2
	 */
	CHECK_INT(t, f.pick, 2);
	CHECK_STR(t, f.why, "the knee of the front: iteration 2");
	front_free(&f);
	/* the best latency with throughput >= 970: C */
	CHECK_INT(t, pick_rule_from_json(rule, &cfg.objective, &cfg.objective2, &cfg.pick,
					 why, sizeof(why)), 0);
	CHECK_INT(t, front_build(&r, &cfg, &f), 0);
	CHECK_INT(t, f.pick, 3);
	CHECK_STR(t, f.why, "the lowest lat with tput >= 970 of the front: iteration 3");
	front_free(&f);
	pick_rule_free(&cfg.pick);
	/* a bound nothing on the front meets */
	json_object_set_new(rule, "subject_to", json_string("tput >= 990"));
	CHECK_INT(t, pick_rule_from_json(rule, &cfg.objective, &cfg.objective2, &cfg.pick,
					 why, sizeof(why)), 0);
	CHECK_INT(t, front_build(&r, &cfg, &f), 0);
	CHECK_INT(t, f.pick, -1);
	CHECK_STR(t, f.why, "no configuration on the front has tput >= 990");
	front_free(&f);
	pick_rule_free(&cfg.pick);
	results_free(&r);
	/* two ends, no bulge: the nearer the ideal corner, the first on a tie */
	memset(&r, 0, sizeof(r));
	add_pair(&r, 0, 90, 800, false);
	add_pair(&r, 1, 10, 900, false);
	add_pair(&r, 2, 80, 980, false);
	CHECK_INT(t, front_build(&r, &cfg, &f), 0);
	CHECK_INT(t, f.n, 2);
	CHECK_INT(t, f.pick, 1);
	front_free(&f);
	results_free(&r);
	/* the knee is the host's own values: nothing to verify */
	pair_results(&r);
	r.obs[0].o.objectives[0] = 12;
	r.obs[0].o.objectives[1] = r.obs[0].constraint_values[0] = 965;
	CHECK_INT(t, front_build(&r, &cfg, &f), 0);
	CHECK_INT(t, f.pick, -1);
	CHECK_STR(t, f.why, "the knee of the front is the baseline: nothing to change");
	front_free(&f);
	results_free(&r);
	json_decref(rule);
}

/*
 * The front takes configurations as results_best() crowns one: measured
 * as often as the best measured, steady on both objectives; and the
 * baseline, noisy or not, beats what it beats.
 */
static void front_crown_rule_and_baseline(struct test_ctx *t)
{
	struct tune_config cfg = {
		.objective = { "lat", GOAL_MINIMIZE },
		.objective2 = { "tput", GOAL_MAXIMIZE },
		.nobjectives = 2, .nconstraints = 1, .max_spread = 0.1,
	};
	double wide[5] = { 600, 900, 975, 1100, 1300 };
	struct tune_results r;
	struct front f;
	size_t i;

	pair_results(&r);
	r.crown_windows = 4;
	for (i = 0; i < r.n; i++)
		r.obs[i].o.windows = 4;
	/* B measured once: not crowned against those measured four times */
	r.obs[2].o.windows = 1;
	CHECK_INT(t, front_build(&r, &cfg, &f), 0);
	CHECK_INT(t, f.n, 3);
	for (i = 0; i < f.n; i++)
		CHECK(t, f.idx[i] != 2);
	front_free(&f);
	/* C steady on latency, not on throughput: left out */
	r.obs[2].o.windows = 4;
	r.obs[3].o.windows = 5;
	for (i = 0; i < 5; i++)
		CHECK_INT(t, pool_add(&r.obs[3].pool, 1, 40, false, (unsigned int)i, &wide[i]), 0);
	CHECK_INT(t, front_build(&r, &cfg, &f), 0);
	CHECK_INT(t, f.n, 3);
	for (i = 0; i < f.n; i++)
		CHECK(t, f.idx[i] != 3);
	front_free(&f);
	/* a noisy baseline that beats B, C and D still beats them */
	r.obs[0].o.noisy = true;
	r.obs[0].o.objectives[0] = 12;
	r.obs[0].o.objectives[1] = r.obs[0].constraint_values[0] = 990;
	CHECK_INT(t, front_build(&r, &cfg, &f), 0);
	CHECK_INT(t, f.n, 2);
	CHECK(t, f.n == 2 && f.idx[0] == 1 && f.idx[1] == 0);
	front_free(&f);
	results_free(&r);
}

/*
 * The pair's verdict after `rounds` of planned max, rows base/cand per
 * objective (latency, energy), the pick allowed to lose max_loss on one.
 */
static int decide_pair_at(struct verify_pair_result *res, size_t rounds,
			  size_t max, bool last, const double *b0,
			  const double *c0, const double *b1, const double *c1,
			  const struct constraint *bound, double max_loss)
{
	struct verify_plan better, worse;
	struct verify_pair_input in = {
		.better_plan = &better, .worse_plan = &worse, .rounds = rounds,
		.last = last, .baseline = { b0, b1 }, .candidate = { c0, c1 },
		.goal = { GOAL_MINIMIZE, GOAL_MINIMIZE },
		.metric = { "latency", "energy" }, .subject_to = bound,
		.subject_of = 1, .max_loss = max_loss,
	};
	int ret = verify_plan_init(&better, max, 1, 0.025) ?:
		  verify_plan_init(&worse, max, 1, 0.05) ?:
		  verify_decide_pair(&in, res);

	verify_plan_free(&better);
	verify_plan_free(&worse);
	return ret;
}

/* The same, 5 rounds of 5. */
static int decide_pair(struct verify_pair_result *res, const double *b0,
		       const double *c0, const double *b1, const double *c1,
		       const struct constraint *bound, double max_loss)
{
	return decide_pair_at(res, 5, 5, false, b0, c0, b1, c1, bound, max_loss);
}

/* 5 rounds: the baseline, 20% faster, the same, 30% hungrier */
static const double p_base[5] = { 100, 101, 99, 100, 102 };
static const double p_faster[5] = { 80, 81, 79, 80, 82 };
static const double p_same[5] = { 100, 100, 100, 101, 100 };
static const double p_hungrier[5] = { 130, 131, 129, 130, 133 };

static void pair_verdict_on_both(struct test_ctx *t)
{
	struct constraint bound = { "energy", CMP_LE, 90 };
	struct constraint loose = { "energy", CMP_LE, 140 };
	struct verify_pair_result res;

	/* better on latency, within 5% on energy: recommended */
	CHECK_INT(t, decide_pair(&res, p_base, p_faster, p_base, p_same, NULL, 0.05), 0);
	CHECK_INT(t, res.decision, VERIFY_BETTER);
	CHECK_CONTAINS(t, res.why, "the pick is better than the baseline on latency: 0.8");
	CHECK_CONTAINS(t, res.why, ", and worse by at most 5% on energy: 0.99");
	/* no loss allowed: the same energy is not shown "not worse" */
	CHECK_INT(t, decide_pair(&res, p_base, p_faster, p_base, p_same, NULL, 0), 0);
	CHECK_INT(t, res.decision, VERIFY_INCONCLUSIVE);
	CHECK_CONTAINS(t, res.why, "defaults stand: inconclusive after 5 rounds: better on latency: 0.8");
	CHECK_CONTAINS(t, res.why, ", but not shown not worse on energy: ");
	/* better on latency, worse on energy by more than allowed: refused */
	CHECK_INT(t, decide_pair(&res, p_base, p_faster, p_base, p_hungrier, NULL, 0.05), 0);
	CHECK_INT(t, res.decision, VERIFY_NOT_BETTER);
	CHECK_CONTAINS(t, res.why, "defaults stand: the pick is worse than the baseline by more than 5% on energy: 1.3");
	/* better on neither */
	CHECK_INT(t, decide_pair(&res, p_base, p_same, p_base, p_same, NULL, 0), 0);
	CHECK_INT(t, res.decision, VERIFY_INCONCLUSIVE);
	CHECK_CONTAINS(t, res.why, "defaults stand: inconclusive after 5 rounds: latency 0.998x, inconclusive (≥95% CI");
	/* constrained: better on latency, its energy breaks the bound measured again */
	CHECK_INT(t, decide_pair(&res, p_base, p_faster, p_base, p_same, &bound, 0), 0);
	CHECK_INT(t, res.decision, VERIFY_NOT_BETTER);
	CHECK_CONTAINS(t, res.why, "defaults stand: the pick breaks energy <= 90 (its mean's ≥95% upper bound: 100.");
	/*
	 * constrained: 30% hungrier than the baseline but within the user's
	 * bound: the trade the user asked for, recommended
	 */
	CHECK_INT(t, decide_pair(&res, p_base, p_faster, p_base, p_hungrier, &loose, 0), 0);
	CHECK_INT(t, res.decision, VERIFY_BETTER);
	CHECK_CONTAINS(t, res.why, "the pick is better than the baseline on latency: 0.8");
	CHECK_CONTAINS(t, res.why, ", and meets energy <= 140 (its mean's ≥95% upper bound: 13");
}

/*
 * A knee pick 10% worse on energy, measured with noise: not shown worse
 * than the baseline in 5 rounds, nor within 5% of it: not recommended.
 */
static void pair_noisy_loss_is_not_recommended(struct test_ctx *t)
{
	double base[5] = { 100, 101, 99, 100, 102 };
	double faster[5] = { 80, 81, 79, 80, 82 };
	double energy[5] = { 100, 92, 108, 95, 105 };
	double hungrier[5] = { 125, 90, 110, 100, 125 };
	struct verify_pair_result res;

	CHECK_INT(t, decide_pair(&res, base, faster, energy, hungrier, NULL, 0.05), 0);
	CHECK_INT(t, res.decision, VERIFY_INCONCLUSIVE);
	CHECK(t, res.not_worse[1].ratio > 1.08 && res.not_worse[1].ratio < 1.1);
	CHECK_CONTAINS(t, res.why, "but not shown worse by at most 5% on energy: 1.09");
}

/* A pick whose windows fail fails both objectives: refused, and why. */
static void pair_failed_windows_refuse(struct test_ctx *t)
{
	double base[5] = { 100, 101, 99, 100, 102 };
	double faster[5] = { 80, NAN, 79, NAN, 82 };
	double same[5] = { 100, NAN, 100, NAN, 100 };
	struct constraint loose = { "energy", CMP_LE, 140 };
	struct verify_pair_result res;

	CHECK_INT(t, decide_pair(&res, base, faster, base, same, NULL, 0.05), 0);
	CHECK_INT(t, res.decision, VERIFY_NOT_BETTER);
	CHECK_STR(t, res.why, "defaults stand: the pick failed 2 windows, the baseline 0 (5 rounds)");
	CHECK_INT(t, decide_pair(&res, base, faster, base, same, &loose, 0), 0);
	CHECK_INT(t, res.decision, VERIFY_NOT_BETTER);
	CHECK_STR(t, res.why, "defaults stand: the pick failed 2 windows, the baseline 0 (5 rounds)");
	/* a bad max_loss is refused */
	CHECK_INT(t, decide_pair(&res, base, faster, base, same, NULL, NAN), -EINVAL);
}

/*
 * What weighed each side of a pair's verdict is kept for the report: each
 * objective's "better" and "not worse" decisions, a constrained pick's
 * bound, and their text, each interval labelled by its own test's level
 * (better at alpha / 2: at least 95%; not worse at alpha: at least 90%).
 */
static void pair_result_keeps_both_tests(struct test_ctx *t)
{
	struct constraint bound = { "energy", CMP_LE, 90 };
	struct verify_pair_result res;
	char text[256];

	CHECK_INT(t, decide_pair(&res, p_base, p_faster, p_base, p_same, NULL, 0.05), 0);
	CHECK_INT(t, res.better_decision[0], VERIFY_BETTER);
	CHECK_INT(t, res.not_worse_decision[1], VERIFY_BETTER);
	/* the verdict's sentence: 95% for "better", 90% for "not worse" */
	CHECK_CONTAINS(t, res.why, "on latency: 0.801x, ≥95% CI 0.798x-0.804x, ");
	CHECK_CONTAINS(t, res.why, "on energy: 0.998x, bound 1.01x, at most 1.05x allowed (≥90% CI 0.986x-1.01x) (5 rounds)");
	CHECK_STR(t, verify_not_worse_name(res.not_worse_decision[1]), "shown");
	CHECK_INT(t, decide_pair(&res, p_base, p_faster, p_base, p_hungrier, NULL, 0.05), 0);
	CHECK_INT(t, res.not_worse_decision[1], VERIFY_NOT_BETTER);
	CHECK_STR(t, verify_not_worse_name(res.not_worse_decision[1]), "worse by more");
	CHECK_CONTAINS(t, res.why, "by more than 5% on energy: 1.3x, bound 1.3x, at most 1.05x allowed (≥90% CI 1.3x-1.3x) (5 rounds)");
	/* maximising: the bound is the low end, the factor allowed 1 / 1.05 */
	verify_format_not_worse(0.97, 1.02, 90, GOAL_MAXIMIZE, 0.05, text, sizeof(text));
	CHECK_STR(t, text, "bound 0.97x, at least 0.952x allowed (≥90% CI 0.97x-1.02x)");
	verify_format_not_worse(NAN, NAN, 90, GOAL_MINIMIZE, 0, text, sizeof(text));
	CHECK_STR(t, text, "no bound (unbounded ≥90% CI), at most 1x allowed");
	/* constrained: the bound on energy, broken */
	CHECK_INT(t, decide_pair(&res, p_base, p_faster, p_base, p_same, &bound, 0), 0);
	CHECK_INT(t, res.bound, VERIFY_BOUND_BROKEN);
	CHECK_STR(t, verify_bound_name(res.bound), "broken");
	verify_format_bound("energy <= 90", true, true, 88, 95, text, sizeof(text));
	CHECK_STR(t, text, "energy <= 90 (by its median measured again, 88: too few windows for a confidence bound)");
}

/*
 * A constrained pick over up to 20 rounds (looks at 5, 7, 9, ... rounds):
 * latency 20% better every round, energy as given, "energy <= 100".
 */
static int decide_bounded(struct verify_pair_result *res, const double *energy,
			  size_t rounds, bool last)
{
	static const double base[7] = { 100, 101, 99, 100, 102, 100, 101 };
	static const double faster[7] = { 80, 81, 79, 80, 82, 80, 81 };
	static const struct constraint bound = { "energy", CMP_LE, 100 };

	return decide_pair_at(res, rounds, 20, last, base, faster, base, energy,
			      &bound, 0);
}

/*
 * The bound is a sequential test like the others: at the looks only, each
 * at its look's nominal level, not at alpha every round (which took a new
 * chance at each: bench/verify -c). Energy 94, 95, 97, 99, 100: mean 97
 * (Cox's, on the logs: 97.007, standard error 0.0118 of its log); its 95%
 * upper bound 99.5 (t 2.13) would say "met" at 5 rounds of 20, but the
 * first look's level is 0.0041 (t 4.89: the design spends little early):
 * upper bound 102.7, not shown yet.
 */
static void pair_bound_is_sequential(struct test_ctx *t)
{
	static const double near[7] = { 94, 95, 97, 99, 100, 96, 97 };
	static const double clear[7] = { 80, 81, 79, 80, 82, 80, 81 };
	static const double over[7] = { 104, 105, 103, 106, 104, 105, 104 };
	struct verify_pair_result res;
	double level;

	CHECK_INT(t, decide_bounded(&res, near, 5, false), 0);
	CHECK_INT(t, res.better_decision[0], VERIFY_BETTER);
	CHECK_INT(t, res.bound, VERIFY_BOUND_UNDECIDED);
	CHECK_INT(t, res.decision, VERIFY_CONTINUE);
	CHECK(t, res.bound_high > 102.7 && res.bound_high < 102.8);
	/* between looks (6 rounds) the bound decides nothing, met or not */
	CHECK_INT(t, decide_bounded(&res, near, 6, false), 0);
	CHECK_INT(t, res.bound, VERIFY_BOUND_UNDECIDED);
	CHECK_INT(t, res.decision, VERIFY_CONTINUE);
	/*
	 * the rounds run out at 6: the last look spends what is left, and
	 * the bound is labelled by the family level it is at least
	 */
	CHECK_INT(t, decide_bounded(&res, near, 6, true), 0);
	CHECK(t, res.decision == VERIFY_BETTER || res.decision == VERIFY_INCONCLUSIVE);
	CHECK_CONTAINS(t, res.why, "energy <= 100 (its mean's ≥95% upper bound: ");
	/* clearly within: met at the first look */
	CHECK_INT(t, decide_bounded(&res, clear, 5, false), 0);
	CHECK_INT(t, res.bound, VERIFY_BOUND_MET);
	CHECK_INT(t, res.decision, VERIFY_BETTER);
	CHECK_CONTAINS(t, res.why, "and meets energy <= 100 (its mean's ≥95% upper bound: 8");
	/* a look that met it stands at the rounds after, with its bounds */
	CHECK_INT(t, decide_bounded(&res, clear, 6, false), 0);
	CHECK_INT(t, res.bound, VERIFY_BOUND_MET);
	CHECK_INT(t, res.decision, VERIFY_BETTER);
	/* clearly broken: refused at the first look */
	CHECK_INT(t, decide_bounded(&res, over, 5, false), 0);
	CHECK_INT(t, res.bound, VERIFY_BOUND_BROKEN);
	CHECK_INT(t, res.decision, VERIFY_NOT_BETTER);
	CHECK_CONTAINS(t, res.why, "defaults stand: the pick breaks energy <= 100");
	/* the level it used: the plan's first look, below alpha */
	{
		struct verify_plan worse;

		CHECK_INT(t, verify_plan_init(&worse, 20, 1, 0.05), 0);
		CHECK_INT(t, verify_look_level(&worse, 5, 1, false, &level), 0);
		CHECK(t, level == worse.level[0] && level > 0.004 && level < 0.0042);
		CHECK_INT(t, verify_look_level(&worse, 5, 2, false, &level), -EINVAL);
		verify_plan_free(&worse);
	}
}

/*
 * Two objectives and "verify": false: best.json is the pick, unverified;
 * verification on but not reached: no best.json; and pareto.json lists
 * the front with both medians.
 */
static void front_profile_without_verification(struct test_ctx *t)
{
	struct tune_config cfg = {
		.objective = { "lat", GOAL_MINIMIZE },
		.objective2 = { "tput", GOAL_MAXIMIZE },
		.nobjectives = 2, .nconstraints = 1, .verify_alpha = 0.05,
	};
	struct run_info info = {
		.cfg = &cfg, .dir = t->tmpdir, .started = "s", .finished = "f",
		.stopped = STOP_BUDGET,
	};
	struct tune_results r;
	json_t *best, *pareto;
	struct front f;

	pair_results(&r);
	json_object_set_new(r.obs[2].knobs, "sysctl.vm.swappiness", json_string("20"));
	CHECK_INT(t, front_build(&r, &cfg, &f), 0);
	info.front = &f;
	CHECK_INT(t, results_write(&r, &info), 0);
	best = json_load_file(fixture_path(t, "best.json"), 0, NULL);
	CHECK_INT(t, json_integer_value(json_object_get(best, "iteration")), 2);
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(best, "knobs"),
							"sysctl.vm.swappiness")), "20");
	CHECK(t, json_is_null(json_object_get(best, "verified")));
	json_decref(best);
	cfg.verify_rounds = 20;
	CHECK_INT(t, results_write(&r, &info), 0);
	CHECK(t, !exists(t, "best.json"));
	cfg.doc = json_pack("{s:{s:s}}", "pick", "rule", "knee");
	CHECK_INT(t, front_write(&r, &cfg, &f, NULL, t->tmpdir), 0);
	pareto = json_load_file(fixture_path(t, "pareto.json"), 0, NULL);
	CHECK_INT(t, json_array_size(json_object_get(pareto, "front")), 4);
	CHECK(t, json_number_value(json_object_get(json_object_get(json_object_get(
		json_object_get(pareto, "pick"), "objectives"), "tput"), "median")) == 960);
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(pareto, "pick_rule"),
							"rule")), "knee");
	CHECK(t, json_is_null(json_object_get(pareto, "verification")));
	json_decref(pareto);
	json_decref(cfg.doc);
	front_free(&f);
	results_free(&r);
}

SUITE(verify_suite, "pareto and verify",
      CASE(front_and_hypervolume),
      CASE(front_of_a_history),
      CASE(rounds_alternate),
      CASE(levels_spend_alpha),
      CASE(futility_design),
      CASE(clear_gain_stops_early),
      CASE(futility_gives_up_for_good),
      CASE(futility_with_two_and_out_of_time),
      CASE(futility_look_as_the_last_round),
      CASE(unclear_gain_goes_on),
      CASE(worse_is_never_recommended_maximising),
      CASE(holm_steps_down),
      CASE(ratio_interval_by_hand),
      CASE(own_spread_decides),
      CASE(fieller_interval_by_hand),
      CASE(negative_baseline_picks_the_higher),
      CASE(failed_windows_count_against),
      CASE(constraint_on_the_median),
      CASE(bad_input_is_refused),
      CASE(unverified_run_writes_no_profile),
      CASE(picks_distinct_best),
      CASE(front_pick_by_rule),
      CASE(front_crown_rule_and_baseline),
      CASE(pair_verdict_on_both),
      CASE(pair_noisy_loss_is_not_recommended),
      CASE(pair_failed_windows_refuse),
      CASE(pair_result_keeps_both_tests),
      CASE(pair_bound_is_sequential),
      CASE(front_profile_without_verification));
