// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bo, grid and coordinate tuners through the tuner interface: every
 * suggestion inside the space, the same suggestions for the same seed
 * and history, and each tuner's own promises.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "search/pareto.h"
#include "search/tuner.h"
#include "unit.h"

#define MAXSTEPS 40
#define NDIM 3

static char *cat_values[] = { "fifo", "rr", "other" };
static struct dim dims[NDIM] = {
	{ .name = "sched.latency_ns", .type = DIM_INT, .scale = SCALE_LOG,
	  .min = 100000, .max = 50000000 },
	{ .name = "sysctl.vm.swappiness", .type = DIM_REAL, .min = 0,
	  .max = 100 },
	{ .name = "sysctl.kernel.sched_policy", .type = DIM_CATEGORICAL,
	  .values = cat_values, .nvalues = 3 },
};
static const struct space space = { dims, NDIM };
static struct objective minimise = { "latency_us", GOAL_MINIMIZE };
static struct objective two[2] = {
	{ "latency_us", GOAL_MINIMIZE }, { "throughput", GOAL_MAXIMIZE },
};
static struct constraint power = { "power_w", CMP_LE, 12 };

/* Smooth, with its best at latency 2 ms, swappiness 30, policy rr. */
static double f_latency(const double *x)
{
	double a = log10(x[0] / 2e6), b = (x[1] - 30) / 50;

	return 100 + 40 * a * a + 30 * b * b + (x[2] == 1 ? 0 : 15);
}

static double f_throughput(const double *x)
{
	return 1000 - 5 * fabs(x[1] - 70);
}

static double f_power(const double *x)
{
	return 5 + x[1] / 10;
}

struct run {
	double x[MAXSTEPS][NDIM];
	double cons[MAXSTEPS];
	struct tuner_observation obs[MAXSTEPS];
	size_t n;		/* observations */
	int last;		/* the last suggest's return */
	char why[MAXSTEPS][TUNER_WHY_MAX];
};

/*
 * Runs tuner name for `steps` suggest calls of `batch` points each, all
 * measured; problem p. False when a suggestion broke a rule.
 */
static bool drive(const char *name, struct tuner_problem *p,
		  unsigned int steps, size_t batch, struct run *r)
{
	struct tuner_suggestion sug[4];
	char why[256];
	struct tuner t;
	unsigned int s;
	size_t i;
	int got;

	r->n = 0;
	if (tuner_create(&t, name, p, why, sizeof(why))) {
		fprintf(stderr, "%s\n", why);
		return false;
	}
	for (s = 0; s < steps && r->n + batch <= MAXSTEPS; s++) {
		struct tuner_history h = { r->obs, r->n };

		for (i = 0; i < batch; i++)
			sug[i].x = r->x[r->n + i];
		got = tuner_suggest(&t, &h, sug, batch, why, sizeof(why));
		r->last = got;
		if (got < 0) {
			fprintf(stderr, "%s\n", why);
			tuner_destroy(&t);
			return false;
		}
		if (!got)
			break;
		for (i = 0; i < (size_t)got; i++, r->n++) {
			struct tuner_observation *o = &r->obs[r->n];
			const double *x = r->x[r->n];

			snprintf(r->why[r->n], TUNER_WHY_MAX, "%s", sug[i].why);
			r->cons[r->n] = f_power(x);
			*o = (struct tuner_observation){
				.x = x, .windows = 1,
				.objectives = { f_latency(x), f_throughput(x) },
				.constraint_values = &r->cons[r->n],
				.feasible = !p->nconstraints ||
					    r->cons[r->n] <= power.bound,
			};
		}
	}
	tuner_destroy(&t);
	return true;
}

static struct tuner_problem problem(uint64_t seed, const json_t *options)
{
	return (struct tuner_problem){
		.space = &space, .objectives = &minimise, .nobjectives = 1,
		.seed = seed, .budget = 30, .options = options,
	};
}

static bool same_runs(const struct run *a, const struct run *b)
{
	return a->n == b->n && !memcmp(a->x, b->x, a->n * sizeof(a->x[0]));
}

/* Every tuner: inside the space (else drive fails), and seeded. */
static void check_tuner(struct test_ctx *t, const char *name,
			unsigned int steps)
{
	struct tuner_problem p1 = problem(1, NULL), p2 = problem(2, NULL);
	struct run *a = calloc(3, sizeof(*a));

	CHECK(t, a);
	CHECK(t, drive(name, &p1, steps, 1, &a[0]));
	CHECK(t, drive(name, &p1, steps, 1, &a[1]));
	CHECK(t, drive(name, &p2, steps, 1, &a[2]));
	CHECK(t, a[0].n > 0);
	CHECK(t, same_runs(&a[0], &a[1]));
	CHECK(t, !same_runs(&a[0], &a[2]));
	free(a);
}

static void bo_bounds_and_seed(struct test_ctx *t)
{
	check_tuner(t, "bo", 14);
}

static void grid_bounds_and_seed(struct test_ctx *t)
{
	check_tuner(t, "grid", 20);
}

static void coordinate_bounds_and_seed(struct test_ctx *t)
{
	struct tuner_problem p1 = problem(1, NULL), p2 = problem(2, NULL);
	struct run *a = calloc(2, sizeof(*a));

	/* deterministic; it draws nothing at random, so seeds agree */
	CHECK(t, a);
	CHECK(t, drive("coordinate", &p1, 20, 1, &a[0]));
	CHECK(t, drive("coordinate", &p2, 20, 1, &a[1]));
	CHECK(t, a[0].n == 20 && same_runs(&a[0], &a[1]));
	free(a);
}

/* A resumed run (a fresh tuner, the same history) goes on identically. */
static void bo_resumes_identically(struct test_ctx *t)
{
	struct tuner_problem p = problem(5, NULL);
	struct run *r = calloc(1, sizeof(*r));
	struct tuner_suggestion s;
	struct tuner_history h;
	double x[NDIM];
	struct tuner fresh;
	char why[256];

	CHECK(t, r);
	CHECK(t, drive("bo", &p, 16, 1, r));
	/* the 16th suggestion again, from a tuner that saw none before */
	h = (struct tuner_history){ r->obs, 15 };
	s.x = x;
	CHECK_INT(t, tuner_create(&fresh, "bo", &p, why, sizeof(why)), 0);
	CHECK_INT(t, tuner_suggest(&fresh, &h, &s, 1, why, sizeof(why)), 1);
	tuner_destroy(&fresh);
	CHECK(t, !memcmp(x, r->x[15], sizeof(x)));
	free(r);
}

static void bo_improves_on_its_design(struct test_ctx *t)
{
	struct tuner_problem p = problem(3, NULL);
	struct run *r = calloc(1, sizeof(*r));
	double design = INFINITY, model = INFINITY;
	size_t i;

	CHECK(t, r);
	CHECK(t, drive("bo", &p, 30, 1, r));
	CHECK_INT(t, r->n, 30);
	/* three knobs, one objective: steps mostly local, 3 x knobs */
	CHECK_CONTAINS(t, r->why[0], "latin hypercube point 1 of 9");
	CHECK_CONTAINS(t, r->why[29], "EI");
	/* two steps in three local, every third global */
	CHECK_CONTAINS(t, r->why[29], "chosen by the local model of the 20 points");
	CHECK_CONTAINS(t, r->why[28], "chosen by the local model");
	CHECK(t, !strstr(r->why[27], "local model"));
	for (i = 0; i < r->n; i++) {
		double *best = i < 9 ? &design : &model;

		*best = fmin(*best, r->obs[i].objectives[0]);
	}
	/* the optimum is 100; the design alone rarely gets near it */
	CHECK(t, model < design);
	CHECK(t, model < 103);
	free(r);
}

static void bo_batch_is_distinct(struct test_ctx *t)
{
	struct tuner_problem p = problem(4, NULL);
	struct run *r = calloc(1, sizeof(*r));
	size_t i, j;

	CHECK(t, r);
	/* design: 9 points in 3 calls of 4 (the design ends a batch) */
	CHECK(t, drive("bo", &p, 5, 4, r));
	CHECK_INT(t, r->n, 17);
	for (i = 9; i < r->n; i++)
		for (j = 9; j < i; j++)
			CHECK(t, memcmp(r->x[i], r->x[j], sizeof(r->x[i])));
	free(r);
}

static void bo_trust_region_limits_steps(struct test_ctx *t)
{
	json_t *opt = json_pack("{s:f}", "max_step", 0.1);
	struct tuner_problem p = problem(6, opt);
	struct run *r = calloc(1, sizeof(*r));
	double prev, cur;
	size_t i;

	CHECK(t, r && opt);
	CHECK(t, drive("bo", &p, 20, 1, r));
	for (i = 1; i < r->n; i++) {
		/* swappiness is linear over 0..100: 10 per step at most */
		CHECK(t, fabs(r->x[i][1] - r->x[i - 1][1]) <= 10 + 1e-9);
		prev = log(r->x[i - 1][0]);
		cur = log(r->x[i][0]);
		CHECK(t, fabs(cur - prev) <= 0.1 * log(500) + 1e-9);
	}
	json_decref(opt);
	free(r);
}

static void bo_rejects_bad_options(struct test_ctx *t)
{
	json_t *opt = json_pack("{s:f}", "max_step", 1.5);
	struct tuner_problem p = problem(1, opt);
	char why[256];
	struct tuner tu;

	CHECK(t, opt);
	CHECK_INT(t, tuner_create(&tu, "bo", &p, why, sizeof(why)), -EINVAL);
	tuner_destroy(&tu);
	CHECK_CONTAINS(t, why, "max_step");
	json_decref(opt);
}

static void bo_seeks_feasibility(struct test_ctx *t)
{
	struct tuner_problem p = problem(7, NULL);
	struct run *r = calloc(1, sizeof(*r));
	size_t i, feasible = 0;

	CHECK(t, r);
	p.constraints = &power;
	p.nconstraints = 1;
	CHECK(t, drive("bo", &p, 25, 1, r));
	CHECK_CONTAINS(t, r->why[24], "P(feasible)");
	/* swappiness <= 70 is feasible: the model phase keeps to it */
	for (i = 6; i < r->n; i++)
		feasible += r->obs[i].feasible;
	CHECK(t, feasible >= (r->n - 6) * 3 / 4);
	free(r);
}

static void bo_two_objectives_spread_the_front(struct test_ctx *t)
{
	struct tuner_problem p = problem(8, NULL);
	struct run *r = calloc(1, sizeof(*r));
	size_t idx[MAXSTEPS];
	int n;

	CHECK(t, r);
	p.objectives = two;
	p.nobjectives = 2;
	CHECK(t, drive("bo", &p, 24, 1, r));
	CHECK_CONTAINS(t, r->why[23], "ParEGO");
	n = pareto_history(&p, &(struct tuner_history){ r->obs, r->n }, idx);
	/* latency wants swappiness 30, throughput 70: a front between */
	CHECK(t, n >= 3);
	free(r);
}

/*
 * Pure noise: the model cannot predict left-out points, so it spreads out
 * rather than re-measure the luckiest.
 */
static void bo_explores_when_noise_dominates(struct test_ctx *t)
{
	struct tuner_problem p = problem(10, NULL);
	struct run *r = calloc(1, sizeof(*r));
	struct tuner_suggestion s;
	struct tuner tu;
	struct rng rng;
	char why[256];
	size_t k, spread = 0;

	CHECK(t, r);
	rng_seed(&rng, 1);
	CHECK_INT(t, tuner_create(&tu, "bo", &p, why, sizeof(why)), 0);
	for (k = 0; k < 30; k++) {
		struct tuner_history h = { r->obs, k };

		s.x = r->x[k];
		CHECK_INT(t, tuner_suggest(&tu, &h, &s, 1, why, sizeof(why)), 1);
		spread += strstr(s.why, "space-filling") != NULL;
		r->obs[k] = (struct tuner_observation){
			.x = r->x[k], .windows = 1, .feasible = true,
			.objectives = { 100 + 10 * rng_uniform(&rng) },
		};
	}
	tuner_destroy(&tu);
	CHECK(t, spread >= 4);
	free(r);
}

/*
 * rank(): a point measured once with a lucky, noisy median is not crowned
 * over one whose repeated measurements agree, though the observed order
 * would crown it.
 */
static void bo_rank_prefers_the_well_measured(struct test_ctx *t)
{
	/* 6 design points of the 12: the model has points of its own */
	json_t *opt = json_pack("{s:i}", "initial", 6);
	struct tuner_problem p = problem(3, opt);
	struct run *r = calloc(1, sizeof(*r));
	size_t n, k, best = 0, seen = 0, lucky, good;
	struct tuner tu;
	char why[256];
	int ret;

	CHECK(t, r && opt);
	CHECK(t, drive("bo", &p, 12, 1, r));
	/* all windows agree to 2%, the measured values are the truth */
	for (k = 0; k < r->n; k++) {
		r->obs[k].windows = 3;
		r->obs[k].spread = 0.02;
		if (r->obs[k].objectives[0] < r->obs[best].objectives[0])
			best = k;
	}
	/* the best point measured four more times, as well */
	good = best;
	for (n = r->n; n < r->n + 4; n++) {
		r->obs[n] = r->obs[good];
		r->obs[n].objectives[0] *= n % 2 ? 1.01 : 0.99;
	}
	/*
	 * a poor point, measured once with windows spread 40%: its median
	 * came out 10% better than the good point's
	 */
	lucky = best ? 0 : 1;
	memcpy(r->x[n], r->x[lucky], sizeof(r->x[n]));
	r->obs[n] = r->obs[lucky];
	r->obs[n].x = r->x[n];
	r->obs[n].spread = 0.4;
	r->obs[n].objectives[0] = 0.9 * r->obs[good].objectives[0];
	n++;
	{
		struct tuner_history h = { r->obs, n };
		size_t idx[3];

		CHECK_INT(t, tuner_rank_observed(&p, &h, idx, 1), 1);
		CHECK_INT(t, (int)idx[0], (int)n - 1);
		CHECK_INT(t, tuner_create(&tu, "bo", &p, why, sizeof(why)), 0);
		ret = tuner_rank(&tu, &h, idx, 3);
		CHECK_INT(t, ret, 3);
		CHECK(t, r->obs[idx[0]].x == r->obs[good].x);
		/* one slot per point: the repeats are not ranked again */
		for (k = 0; k < (size_t)ret; k++)
			seen += r->obs[idx[k]].x == r->obs[good].x;
		CHECK_INT(t, (int)seen, 1);
		tuner_destroy(&tu);
	}
	json_decref(opt);
	free(r);
}

static void grid_covers_and_ends(struct test_ctx *t)
{
	json_t *opt = json_pack("{s:i}", "levels", 3);
	struct tuner_problem p = problem(9, opt);
	struct run *r = calloc(1, sizeof(*r));
	size_t i, j;

	CHECK(t, r && opt);
	/* 3 x 3 x 3 = 27 points, then done */
	CHECK(t, drive("grid", &p, 30, 1, r));
	CHECK_INT(t, r->n, 27);
	CHECK_INT(t, r->last, 0);
	for (i = 0; i < r->n; i++)
		for (j = 0; j < i; j++)
			CHECK(t, memcmp(r->x[i], r->x[j], sizeof(r->x[i])));
	CHECK_CONTAINS(t, r->why[26], "grid point 27 of 27");
	json_decref(opt);
	free(r);
}

static void coordinate_descends(struct test_ctx *t)
{
	struct tuner_problem p = problem(1, NULL);
	struct run *r = calloc(1, sizeof(*r));
	double best = INFINITY;
	size_t i;

	CHECK(t, r);
	CHECK(t, drive("coordinate", &p, MAXSTEPS, 1, r));
	CHECK_CONTAINS(t, r->why[0], "starting point");
	for (i = 0; i < r->n; i++)
		best = fmin(best, r->obs[i].objectives[0]);
	CHECK(t, best < 101);
	free(r);
}

SUITE(model_tuners_suite, "model tuners",
      CASE(bo_bounds_and_seed),
      CASE(grid_bounds_and_seed),
      CASE(coordinate_bounds_and_seed),
      CASE(bo_resumes_identically),
      CASE(bo_improves_on_its_design),
      CASE(bo_batch_is_distinct),
      CASE(bo_trust_region_limits_steps),
      CASE(bo_rejects_bad_options),
      CASE(bo_seeks_feasibility),
      CASE(bo_two_objectives_spread_the_front),
      CASE(bo_explores_when_noise_dominates),
      CASE(bo_rank_prefers_the_well_measured),
      CASE(grid_covers_and_ends),
      CASE(coordinate_descends));
