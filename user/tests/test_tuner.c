// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tuner side: search spaces and their unit-cube mapping, objectives
 * and constraints, the statistics, and the fixed and random tuners
 * (determinism, Latin hypercube coverage, resuming).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/rng.h"
#include "base/stats.h"
#include "search/space.h"
#include "search/tuner.h"
#include "unit.h"

static json_t *parse(const char *text)
{
	return json_loads(text, 0, NULL);
}

static const char *const SPACE =
	"{\"sched.migration_cost_ns\": {\"min\": 100000, \"max\": 2000000, \"scale\": \"log\"},"
	" \"sysctl.vm.swappiness\": {\"min\": 0, \"max\": 100},"
	" \"sysctl.vm.dirty_ratio\": {\"min\": 0.5, \"max\": 2.5, \"type\": \"real\"},"
	" \"sysctl.kernel.timer_migration\": [0, 1]}";

static void space_parses_types(struct test_ctx *t)
{
	json_t *doc = parse(SPACE), *back;
	struct space s;
	char why[256];

	CHECK_INT(t, space_from_json(doc, &s, why, sizeof(why)), 0);
	CHECK_INT(t, s.n, 4);
	CHECK_STR(t, s.dims[0].name, "sched.migration_cost_ns");
	CHECK_INT(t, s.dims[0].type, DIM_INT);
	CHECK_INT(t, s.dims[0].scale, SCALE_LOG);
	CHECK_INT(t, s.dims[1].type, DIM_INT);
	CHECK_INT(t, s.dims[2].type, DIM_REAL);
	CHECK_INT(t, s.dims[3].type, DIM_CATEGORICAL);
	CHECK_STR(t, s.dims[3].values[1], "1");
	back = space_to_json(&s);
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(back,
		  "sched.migration_cost_ns"), "scale")), "log");
	json_decref(back);
	space_free(&s);
	json_decref(doc);
}

static void space_refuses(struct test_ctx *t)
{
	static const struct { const char *json, *error; } bad[] = {
		{ "{}", "non-empty" },
		{ "{\"sysctl.vm.swappiness\": {\"min\": 5, \"max\": 1}}", "min <= max" },
		{ "{\"sysctl.vm.swappiness\": {\"min\": 0, \"max\": 10, \"scale\": \"log\"}}", "min > 0" },
		{ "{\"sysctl.vm.swappiness\": {\"min\": 0.5, \"max\": 10, \"type\": \"int\"}}", "whole" },
		{ "{\"sysctl.vm.swappiness\": {\"max\": 10}}", "\"min\" and \"max\"" },
		{ "{\"sysctl.vm.swappiness\": []}", "non-empty array" },
		{ "{\"sysctl.vm.swappiness\": [1, 1]}", "listed twice" },
		{ "{\"sysctl.kernel.modprobe\": [1]}", "kernel.modprobe" },
		{ "{\"idle.cpu3-1.state2.disable\": [0, 1]}", "bad range" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *doc = parse(bad[i].json);
		struct space s;
		char why[256] = "";

		CHECK_INT(t, space_from_json(doc, &s, why, sizeof(why)), -EINVAL);
		CHECK_CONTAINS(t, why, bad[i].error);
		json_decref(doc);
	}
}

static void space_unit_mapping(struct test_ctx *t)
{
	json_t *doc = parse(SPACE);
	double u[4] = { 0, 0.5, 1, 0.75 }, x[4], back[4];
	struct space s;
	char why[256], text[64];

	CHECK_INT(t, space_from_json(doc, &s, why, sizeof(why)), 0);
	space_from_unit(&s, u, x);
	CHECK_INT(t, (long long)x[0], 100000);
	CHECK_INT(t, (long long)x[1], 50);
	CHECK(t, x[2] == 2.5);
	CHECK_INT(t, (long long)x[3], 1);
	/* log scale: the middle is the geometric mean */
	CHECK_INT(t, (long long)dim_from_unit(&s.dims[0], 0.5),
		  (long long)round(sqrt(100000.0 * 2000000.0)));
	space_to_unit(&s, x, back);
	CHECK(t, fabs(back[0]) < 1e-12 && fabs(back[1] - 0.5) < 1e-12);
	CHECK(t, fabs(back[3] - 0.75) < 1e-12);
	CHECK_INT(t, space_check(&s, x, why, sizeof(why)), 0);
	x[1] = 101;
	CHECK_INT(t, space_check(&s, x, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "sysctl.vm.swappiness");
	dim_format(&s.dims[2], 0.25 + 0.5, text, sizeof(text));
	CHECK_STR(t, text, "0.75");
	dim_format(&s.dims[3], 1, text, sizeof(text));
	CHECK_STR(t, text, "1");
	CHECK_INT(t, dim_parse(&s.dims[3], "2", &x[3]), -EINVAL);
	CHECK_INT(t, dim_parse(&s.dims[1], "150", &x[1]), 0);
	CHECK(t, x[1] == 150);
	space_free(&s);
	json_decref(doc);
}

static void objective_and_constraints(struct test_ctx *t)
{
	json_t *doc = parse("{\"metric\": \"throughput\", \"goal\": \"maximize\"}");
	struct objective o;
	struct constraint c;
	char why[256], text[64];

	CHECK_INT(t, objective_from_json(doc, &o, why, sizeof(why)), 0);
	CHECK(t, objective_score(&o, 5) < objective_score(&o, 3));
	objective_free(&o);
	json_decref(doc);
	doc = parse("{\"metric\": \"x\", \"goal\": \"sideways\"}");
	CHECK_INT(t, objective_from_json(doc, &o, why, sizeof(why)), -EINVAL);
	json_decref(doc);

	CHECK_INT(t, constraint_parse("latency_p99_us <= 200", &c, why, sizeof(why)), 0);
	CHECK_STR(t, c.metric, "latency_p99_us");
	CHECK(t, constraint_holds(&c, 200) && !constraint_holds(&c, 200.5));
	CHECK(t, !constraint_holds(&c, NAN));
	constraint_format(&c, text, sizeof(text));
	CHECK_STR(t, text, "latency_p99_us <= 200");
	constraint_free(&c);
	CHECK_INT(t, constraint_parse("rps>1e4", &c, why, sizeof(why)), 0);
	CHECK(t, c.op == CMP_GT && c.bound == 1e4);
	constraint_free(&c);
	CHECK_INT(t, constraint_parse("p99 == 3", &c, why, sizeof(why)), -EINVAL);
	CHECK_INT(t, constraint_parse("<= 3", &c, why, sizeof(why)), -EINVAL);
	CHECK_INT(t, constraint_parse("p99 <= fast", &c, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "METRIC OP NUMBER");
}

static void median_and_spread(struct test_ctx *t)
{
	double a[] = { 3, 1, 2 }, b[] = { 4, NAN, 2 }, c[] = { NAN }, d[] = { 0, 1 };
	double e[] = { -1, 1 }, f[] = { 7 };

	double g[] = { 10, 10.2, 9.8, 10.1, 30 };

	CHECK(t, stats_median(a, 3) == 2);
	/* deviations 1, 0, 1: MAD 1, over the median 2 */
	CHECK(t, fabs(stats_spread(a, 3) - 1.4826 / 2) < 1e-12);
	/* one outlier window does not make a steady workload noisy */
	CHECK(t, stats_spread(g, 5) < 0.02);
	CHECK(t, stats_median(b, 3) == 3);	/* NaN left out */
	CHECK(t, isnan(stats_median(c, 1)));
	CHECK(t, fabs(stats_spread(d, 2) - 1.4826) < 1e-12);
	CHECK(t, isinf(stats_spread(e, 2)));	/* around zero: unbounded */
	CHECK(t, stats_spread(f, 1) == 0);
}

static void rng_is_seeded(struct test_ctx *t)
{
	struct rng a, b, c;
	int i, same = 0;

	rng_seed(&a, 42);
	rng_seed(&b, 42);
	rng_seed(&c, 43);
	for (i = 0; i < 100; i++) {
		uint64_t x = rng_next(&a);

		CHECK(t, x == rng_next(&b));
		same += x == rng_next(&c);
	}
	CHECK_INT(t, same, 0);
	for (i = 0; i < 1000; i++) {
		double u = rng_uniform(&a);

		CHECK(t, u >= 0 && u < 1);
		CHECK(t, rng_below(&a, 7) < 7);
	}
}

/* A problem over SPACE; the caller frees *s. */
static void problem(struct test_ctx *t, struct space *s, struct tuner_problem *p,
		    uint64_t seed, unsigned int budget, const json_t *options)
{
	json_t *doc = parse(SPACE);
	char why[256];

	if (space_from_json(doc, s, why, sizeof(why)))
		test_fail(t, __FILE__, __LINE__, "%s", why);
	json_decref(doc);
	*p = (struct tuner_problem){
		.space = s, .seed = seed, .budget = budget, .options = options,
	};
}

/* n suggestions, one at a time, each fed back as an observation. */
static int run_tuner(struct tuner *tu, const struct tuner_problem *p, size_t n,
		     double *xs, char (*whys)[TUNER_WHY_MAX])
{
	struct tuner_observation *obs = calloc(n + 1, sizeof(*obs));
	size_t i;
	int ret = 0;

	for (i = 0; i < n && ret >= 0; i++) {
		struct tuner_history h = { obs, i };
		struct tuner_suggestion sug = { .x = &xs[i * p->space->n] };
		char why[256];

		ret = tuner_suggest(tu, &h, &sug, 1, why, sizeof(why));
		if (whys)
			snprintf(whys[i], TUNER_WHY_MAX, "%s", sug.why);
		obs[i].x = sug.x;
		obs[i].objectives[0] = i;
		obs[i].feasible = true;
	}
	free(obs);
	return ret < 0 ? ret : 0;
}

static void random_is_deterministic(struct test_ctx *t)
{
	struct space s;
	struct tuner_problem p;
	struct tuner a, b, c;
	double xa[40], xb[40], xc[40];
	char why[256];
	int differ = 0, i;

	problem(t, &s, &p, 5, 10, NULL);
	CHECK_INT(t, tuner_create(&a, "random", &p, why, sizeof(why)), 0);
	CHECK_INT(t, tuner_create(&b, "random", &p, why, sizeof(why)), 0);
	CHECK_INT(t, run_tuner(&a, &p, 10, xa, NULL), 0);
	CHECK_INT(t, run_tuner(&b, &p, 10, xb, NULL), 0);
	for (i = 0; i < 40; i++)
		CHECK(t, xa[i] == xb[i]);
	p.seed = 6;
	CHECK_INT(t, tuner_create(&c, "random", &p, why, sizeof(why)), 0);
	CHECK_INT(t, run_tuner(&c, &p, 10, xc, NULL), 0);
	for (i = 0; i < 40; i++)
		differ += xa[i] != xc[i];
	CHECK(t, differ > 20);
	tuner_destroy(&a);
	tuner_destroy(&b);
	tuner_destroy(&c);
	space_free(&s);
}

static void random_hypercube_covers_every_stratum(struct test_ctx *t)
{
	json_t *options = parse("{\"initial\": 8}");
	char whys[12][TUNER_WHY_MAX], why[256];
	struct tuner_problem p;
	struct space s;
	struct tuner tu;
	double x[12 * 4], u[4];
	int seen[4][8] = { { 0 } }, i, j;

	problem(t, &s, &p, 11, 12, options);
	CHECK_INT(t, tuner_create(&tu, "random", &p, why, sizeof(why)), 0);
	CHECK_INT(t, run_tuner(&tu, &p, 12, x, whys), 0);
	for (i = 0; i < 8; i++) {
		space_to_unit(&s, &x[i * 4], u);
		for (j = 0; j < 3; j++)
			seen[j][(int)fmin(7, floor(u[j] * 8))]++;
	}
	/* Each of the 8 strata of each continuous knob exactly once; rounding
	 * to integers can move a point by less than a stratum's width here. */
	for (j = 0; j < 3; j++)
		for (i = 0; i < 8; i++)
			CHECK_INT(t, seen[j][i], 1);
	CHECK_STR(t, whys[0], "latin hypercube point 1 of 8");
	CHECK_STR(t, whys[8], "uniform random point 1");
	tuner_destroy(&tu);
	space_free(&s);
	json_decref(options);
}

/* The k-th suggestion depends on the history's length only: a resumed run
 * asks with the history of the interrupted one and gets the same points. */
static void random_resumes_identically(struct test_ctx *t)
{
	struct tuner_observation obs[6] = { { 0 } };
	struct tuner_problem p;
	struct space s;
	struct tuner a, b;
	double x[10 * 4], y[4], base[4] = { 0 };
	char why[256];
	int i;

	problem(t, &s, &p, 9, 10, NULL);
	CHECK_INT(t, tuner_create(&a, "random", &p, why, sizeof(why)), 0);
	CHECK_INT(t, run_tuner(&a, &p, 10, x, NULL), 0);
	/* a fresh tuner: the baseline plus five suggested observations */
	obs[0].baseline = true;
	obs[0].x = base;
	for (i = 1; i < 6; i++)
		obs[i].x = &x[(i - 1) * 4];
	CHECK_INT(t, tuner_create(&b, "random", &p, why, sizeof(why)), 0);
	{
		struct tuner_history h = { obs, 6 };
		struct tuner_suggestion sug = { .x = y };

		CHECK_INT(t, tuner_suggest(&b, &h, &sug, 1, why, sizeof(why)), 1);
	}
	for (i = 0; i < 4; i++)
		CHECK(t, y[i] == x[5 * 4 + i]);
	tuner_destroy(&a);
	tuner_destroy(&b);
	space_free(&s);
}

static void random_batch(struct test_ctx *t)
{
	struct tuner_problem p;
	struct space s;
	struct tuner tu;
	struct tuner_suggestion sug[3];
	struct tuner_history h = { NULL, 0 };
	double x[3][4], one[10 * 4];
	char why[256];
	int i;

	problem(t, &s, &p, 2, 10, NULL);
	CHECK_INT(t, tuner_create(&tu, "random", &p, why, sizeof(why)), 0);
	for (i = 0; i < 3; i++)
		sug[i].x = x[i];
	CHECK_INT(t, tuner_suggest(&tu, &h, sug, 3, why, sizeof(why)), 3);
	CHECK_INT(t, run_tuner(&tu, &p, 3, one, NULL), 0);
	/* a batch of three is the next three, one by one */
	for (i = 0; i < 4; i++)
		CHECK(t, x[2][i] == one[2 * 4 + i]);
	tuner_destroy(&tu);
	space_free(&s);
}

static void fixed_baseline_and_profile(struct test_ctx *t)
{
	json_t *options = parse("{\"knobs\": {\"sysctl.vm.swappiness\": 10, \"sysctl.kernel.timer_migration\": \"0\"}}");
	json_t *bad = parse("{\"knobs\": {\"sysctl.vm.swappiness\": 1000}}");
	double base[4] = { 500000, 60, 1.5, 1 }, x[4];
	struct tuner_problem p;
	struct tuner_history h = { NULL, 0 };
	struct tuner_suggestion sug = { .x = x };
	struct space s;
	struct tuner tu;
	char why[256];

	problem(t, &s, &p, 1, 3, NULL);
	p.baseline = base;
	CHECK_INT(t, tuner_create(&tu, "fixed", &p, why, sizeof(why)), 0);
	CHECK_INT(t, tuner_suggest(&tu, &h, &sug, 1, why, sizeof(why)), 1);
	CHECK(t, x[0] == 500000 && x[1] == 60 && x[3] == 1);
	CHECK_STR(t, sug.why, "fixed: the baseline values");
	tuner_destroy(&tu);
	p.options = options;
	CHECK_INT(t, tuner_create(&tu, "fixed", &p, why, sizeof(why)), 0);
	CHECK_INT(t, tuner_suggest(&tu, &h, &sug, 1, why, sizeof(why)), 1);
	CHECK(t, x[0] == 500000 && x[1] == 10 && x[3] == 0);
	tuner_destroy(&tu);
	p.options = bad;
	CHECK_INT(t, tuner_create(&tu, "fixed", &p, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "sysctl.vm.swappiness=1000 is not in the space");
	tuner_destroy(&tu);
	CHECK_INT(t, tuner_create(&tu, "bayes", &p, why, sizeof(why)), -ENOENT);
	CHECK_CONTAINS(t, why, "there are: fixed, random");
	space_free(&s);
	json_decref(options);
	json_decref(bad);
}

static void scores_rank_failed_last(struct test_ctx *t)
{
	struct objective o = { "x", GOAL_MAXIMIZE };
	struct tuner_problem p = { .objectives = &o, .nobjectives = 1 };
	struct tuner_observation a = { .objectives = { 5 }, .feasible = true };
	struct tuner_observation b = { .objectives = { 7 }, .feasible = true };
	struct tuner_observation f = { .objectives = { 9 }, .failed = true };
	struct tuner_observation i = { .objectives = { 9 }, .feasible = false };

	CHECK(t, tuner_obs_score(&p, &b, 0) < tuner_obs_score(&p, &a, 0));
	CHECK(t, isinf(tuner_obs_score(&p, &f, 0)));
	CHECK(t, isinf(tuner_obs_score(&p, &i, 0)));
}

/* Every tuner: a misspelt option is refused by name, with what it takes. */
static void unknown_options_refused(struct test_ctx *t)
{
	static const char *const cases[][2] = {
		{ "bo", "tuner bo: unknown option 'bogus_option' (it takes: initial, max_step)" },
		{ "random", "tuner random: unknown option 'bogus_option' (it takes: initial)" },
		{ "grid", "tuner grid: unknown option 'bogus_option' (it takes: levels)" },
		{ "coordinate", "tuner coordinate: unknown option 'bogus_option' (it takes: min_step)" },
		{ "fixed", "tuner fixed: unknown option 'bogus_option' (it takes: knobs, profile)" },
	};
	json_t *bogus = parse("{\"name\": \"x\", \"bogus_option\": true}");
	json_t *named = parse("{\"name\": \"x\"}");
	double base[4] = { 500000, 60, 1.5, 1 };
	struct tuner_problem p;
	struct space s;
	struct tuner tu;
	char why[256];
	size_t i;

	problem(t, &s, &p, 1, 20, bogus);
	p.baseline = base;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p.options = bogus;
		CHECK_INT(t, tuner_create(&tu, cases[i][0], &p, why, sizeof(why)),
			  -EINVAL);
		CHECK_CONTAINS(t, why, cases[i][1]);
		CHECK(t, tu.ops == NULL && tu.priv == NULL);
		tuner_destroy(&tu);
		/* "name" is every tuner's */
		p.options = named;
		CHECK_INT(t, tuner_create(&tu, cases[i][0], &p, why, sizeof(why)), 0);
		tuner_destroy(&tu);
	}
	space_free(&s);
	json_decref(bogus);
	json_decref(named);
}

SUITE(tuner_suite, "tuner",
	CASE(space_parses_types),
	CASE(space_refuses),
	CASE(space_unit_mapping),
	CASE(objective_and_constraints),
	CASE(median_and_spread),
	CASE(rng_is_seeded),
	CASE(random_is_deterministic),
	CASE(random_hypercube_covers_every_stratum),
	CASE(random_resumes_identically),
	CASE(random_batch),
	CASE(fixed_baseline_and_profile),
	CASE(scores_rank_failed_last),
	CASE(unknown_options_refused),
);
