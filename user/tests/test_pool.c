// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The measurement loop's statistics: a configuration's pooled windows
 * (timed-out ones censored), baseline anchors and the drift correction,
 * the noisy flag, which configuration may be the best, stop reasons.
 */
#include <math.h>
#include <stdint.h>

#include <gsl/gsl_cdf.h>

#include "tune/anchors.h"
#include "tune/pool.h"
#include "tune/results.h"
#include "tune/stop.h"
#include "unit.h"

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

static void add_all(struct pool *p, const double *v, const bool *censored,
		    size_t n, double first_position)
{
	size_t i;

	for (i = 0; i < n; i++)
		pool_add(p, 0, v[i], censored && censored[i], first_position + i, NULL);
}

/* Every batch counts: three windows and two more make a median of five. */
static void pool_keeps_every_batch(struct test_ctx *t)
{
	static const double first[] = { 1.0, 1.2, 1.4 }, again[] = { 1.1, 1.3 };
	struct pool p = { 0 };
	struct pool_stats st;

	add_all(&p, first, NULL, 3, 0);
	add_all(&p, again, NULL, 2, 3);
	CHECK_INT(t, pool_stats(&p, 0, NULL, GOAL_MINIMIZE, &st, NULL), 0);
	CHECK_INT(t, st.completed, 5);
	CHECK(t, NEAR(st.median, 1.2));
	/* the second batch alone, as a block */
	CHECK_INT(t, pool_stats(&p, 3, NULL, GOAL_MINIMIZE, &st, NULL), 0);
	CHECK_INT(t, st.completed, 2);
	CHECK(t, NEAR(st.median, 1.2));
	pool_free(&p);
}

/*
 * A timed-out window is worse than any completed one: it moves the
 * median toward slow, and when it sits in the middle the median is
 * unknown (the configuration is slow). Failed windows do not count.
 */
static void pool_censors_timeouts(struct test_ctx *t)
{
	static const double v[] = { 1.0, 2.0, 3.0, 0, 0, NAN };
	static const bool timed_out[] = { false, false, false, true, true, false };
	struct pool p = { 0 };
	struct pool_stats st;

	add_all(&p, v, timed_out, 6, 0);
	CHECK_INT(t, pool_stats(&p, 0, NULL, GOAL_MINIMIZE, &st, NULL), 0);
	CHECK_INT(t, st.completed, 3);
	CHECK_INT(t, st.censored, 2);
	CHECK_INT(t, st.failed, 1);
	/* 1 2 3 T T: the middle is 3, not 2 as without the timeouts */
	CHECK(t, NEAR(st.median, 3.0));
	CHECK(t, !st.censored_median);
	/* maximized, the censored ones are the lowest: 1 is the middle */
	CHECK_INT(t, pool_stats(&p, 0, NULL, GOAL_MAXIMIZE, &st, NULL), 0);
	CHECK(t, NEAR(st.median, 1.0));
	/* a third timeout: 1 2 3 T T T, the middle is censored */
	pool_add(&p, 0, 0, true, 6, NULL);
	CHECK_INT(t, pool_stats(&p, 0, NULL, GOAL_MINIMIZE, &st, NULL), 0);
	CHECK(t, st.censored_median);
	CHECK(t, isnan(st.median));
	pool_free(&p);
}

static void anchors_interpolate_and_correct(struct test_ctx *t)
{
	struct anchors a = { 0 };
	/* three windows each, 1% apart: a drift of 20% is no noise */
	struct anchor one = { .position = 10, .value = 2.0, .windows = 3, .spread = 0.01 };
	struct anchor two = { .position = 30, .value = 2.4, .windows = 3, .spread = 0.01 };
	double last, largest;

	CHECK(t, isnan(anchors_baseline_at(&a, 5)));
	CHECK(t, NEAR(anchors_correct(&a, 7, 5), 7));
	CHECK_INT(t, anchors_add(&a, &one), 0);
	CHECK(t, !anchors_drift(&a, &last, &largest));
	CHECK_INT(t, anchors_add(&a, &two), 0);
	CHECK(t, NEAR(anchors_baseline_at(&a, 0), 2.0));
	CHECK(t, NEAR(anchors_baseline_at(&a, 20), 2.2));
	CHECK(t, NEAR(anchors_baseline_at(&a, 99), 2.4));
	/* at window 20 the host was 10% slower than at the first anchor */
	CHECK(t, NEAR(anchors_correct(&a, 2.2, 20), 2.0));
	CHECK(t, NEAR(anchors_correct(&a, 1.1, 20), 1.0));
	CHECK(t, anchors_drift(&a, &last, &largest));
	CHECK(t, NEAR(last, 0.2));
	CHECK(t, NEAR(largest, 0.2));
	/* not positive: shifted, not scaled */
	a.a[0].value = -1;
	a.a[1].value = 1;
	CHECK(t, NEAR(anchors_correct(&a, 3, 30), 1));
	/* a failed anchor has no value to add */
	CHECK(t, anchors_add(&a, &(struct anchor){ .position = 40, .value = NAN }) < 0);
	CHECK_INT(t, a.n, 2);
	anchors_free(&a);
}

/*
 * A host that slows down 20% over the run: a configuration measured late
 * is as good as the baseline once corrected, not 20% worse.
 */
static void pool_corrects_drift(struct test_ctx *t)
{
	static const double late[] = { 1.2, 1.2, 1.2 };
	struct anchors a = { 0 };
	struct pool p = { 0 };
	struct pool_stats st;

	anchors_add(&a, &(struct anchor){ .position = 1, .value = 1.0, .windows = 3,
					  .spread = 0.01 });
	anchors_add(&a, &(struct anchor){ .position = 101, .value = 1.2, .windows = 3,
					  .spread = 0.01 });
	add_all(&p, late, NULL, 3, 100);
	CHECK_INT(t, pool_stats(&p, 0, NULL, GOAL_MINIMIZE, &st, NULL), 0);
	CHECK(t, NEAR(st.median, 1.2));
	CHECK_INT(t, pool_stats(&p, 0, &a, GOAL_MINIMIZE, &st, NULL), 0);
	CHECK(t, fabs(st.median - 1.0) < 0.003);
	pool_free(&p);
	anchors_free(&a);
}

/* Anchors of w windows each (spread s) at values v, 10 windows apart. */
static void anchors_of(struct anchors *a, const double *v, size_t n,
		       unsigned int w, double s)
{
	size_t i;

	anchors_free(a);
	for (i = 0; i < n; i++)
		anchors_add(a, &(struct anchor){ .position = 10.0 * i, .value = v[i],
						 .windows = w, .spread = s });
}

/*
 * The largest of n - 1 departures' threshold in standard errors estimated
 * with df: Student's t at 0.05 two-sided, Bonferroni over the departures,
 * halved from 3 anchors on (the trend test has the other half).
 */
static double departure_t(size_t n, double df)
{
	return gsl_cdf_tdist_Qinv((n >= 3 ? 0.025 : 0.05) / 2 / (double)(n - 1), df);
}

/*
 * The drift is corrected only when the anchors show more of it than their
 * own noise: single-window anchors that scatter +-10% about a steady host
 * would restate every configuration by their noise; a steady drift, or a
 * step far beyond what the anchors' windows scatter, is corrected; and
 * too few anchor windows correct nothing.
 */
static void anchors_correct_only_what_exceeds_their_noise(struct test_ctx *t)
{
	static const double scatter[] = { 90, 110, 90, 110, 90 };
	static const double drift[] = { 100, 105, 110, 115, 120 };
	static const double step[] = { 100, 100, 120 };
	struct anchors a = { 0 };

	/* noise: t(1 - 0.025 / 2 / 4, 4) sqrt(mean (20/90)^2), the drift 22% */
	anchors_of(&a, scatter, 5, 1, 0);
	CHECK(t, !a.corrected);
	CHECK_INT(t, a.why, ANCHORS_NOISE);
	CHECK(t, fabs(a.noise - departure_t(5, 4) * 20.0 / 90) < 1e-9);
	CHECK(t, NEAR(a.drift, 20.0 / 90));
	CHECK(t, NEAR(anchors_correct(&a, 50, 15), 50));
	/*
	 * successive steps of 5%: a drift of 20%, within the largest
	 * departure's noise, but a line through all five changes by more
	 * than its own
	 */
	anchors_of(&a, drift, 5, 1, 0);
	CHECK(t, a.corrected);
	CHECK_INT(t, a.why, ANCHORS_CORRECTED);
	CHECK(t, NEAR(a.noise, departure_t(5, 4) * 0.05));
	CHECK(t, a.noise > a.drift);
	CHECK(t, NEAR(anchors_correct(&a, 120, 40), 100));
	/* a step of 20%, each anchor 3 windows of spread 1%: corrected */
	anchors_of(&a, step, 3, 3, 0.01);
	CHECK(t, a.corrected);
	CHECK(t, NEAR(a.noise, departure_t(3, 6) * sqrt(2 * 0.01 * 0.01 * M_PI / 6)));
	/* the same windows scattered by 20%: a 20% step is within their noise */
	anchors_of(&a, step, 3, 3, 0.2);
	CHECK(t, !a.corrected);
	CHECK(t, NEAR(anchors_correct(&a, 120, 20), 120));
	/* two anchors of one window each: 2 windows, 3 needed */
	anchors_of(&a, drift, 2, 1, 0);
	CHECK_INT(t, a.windows, 2);
	CHECK(t, !a.corrected);
	CHECK_INT(t, a.why, ANCHORS_FEW_WINDOWS);
	CHECK_STR(t, anchors_why_name(a.why), "windows");
	anchors_free(&a);
	CHECK(t, a.n == 0 && a.windows == 0 && !a.corrected);
}

/*
 * Three anchors of one window each: twice the successive-difference
 * noise is never below the largest departure (a linear drift sits at
 * equality), so no estimate from fewer than four; from four, a steady
 * drift is corrected. With windows too, the larger of the two estimates:
 * steady windows do not hide anchors that scatter between themselves.
 */
static void anchors_of_one_window_need_four(struct test_ctx *t)
{
	static const double linear[] = { 100, 110, 120, 130, 140, 150 };
	static const double scatter[] = { 90, 110, 90, 110, 90 };
	struct anchors a = { 0 };

	anchors_of(&a, linear, 3, 1, 0);
	CHECK(t, !a.corrected);
	CHECK_INT(t, a.why, ANCHORS_FEW_ANCHORS);
	CHECK_STR(t, anchors_why_name(a.why), "anchors");
	CHECK(t, isnan(a.noise));
	CHECK(t, NEAR(anchors_correct(&a, 110, 10), 110));
	anchors_of(&a, linear, 6, 1, 0);
	CHECK(t, a.corrected);
	CHECK(t, NEAR(a.noise, departure_t(6, 5) * 0.1 / 1.0));
	/* windows 0.1% apart, anchors 20% apart: the anchors' scatter counts */
	anchors_of(&a, scatter, 5, 3, 0.001);
	CHECK(t, !a.corrected);
	CHECK_INT(t, a.why, ANCHORS_NOISE);
	CHECK(t, NEAR(a.noise, departure_t(5, 4 + 10) * 20.0 / 90));
	anchors_free(&a);
}

/*
 * Calibration: the largest of n - 1 departures is weighed against
 * Bonferroni's t, not 2 standard errors (which pure noise exceeded in a
 * third of runs); and windows that all agree (a quantised
 * metric) are no estimate of noise, not a noise of 0.
 */
static void anchors_noise_is_calibrated(struct test_ctx *t)
{
	static const double step[] = { 100, 100, 111 };
	static const double flat[] = { 100, 100, 100, 100, 101 };
	static const double win3[] = { 1, 2, 3 }, same[] = { 5, 5, 5 };
	double se = sqrt(2 * 0.05 * 0.05 * M_PI / 6);
	struct anchors a = { 0 };

	/* 11% is beyond 2 SE (10.2%), not beyond the threshold */
	anchors_of(&a, step, 3, 3, 0.05);
	CHECK(t, 2 * se < 0.11 && departure_t(3, 6) * se > 0.11);
	CHECK(t, NEAR(a.noise, departure_t(3, 6) * se));
	CHECK(t, !a.corrected);
	CHECK_INT(t, a.why, ANCHORS_NOISE);
	/* three windows each, all alike: no estimate, however large the step */
	anchors_of(&a, step, 3, 3, 0);
	CHECK(t, !a.corrected);
	CHECK_INT(t, a.why, ANCHORS_FEW_ANCHORS);
	/* ... but from four anchors their values give one */
	anchors_of(&a, flat, 5, 3, 0);
	CHECK_INT(t, a.why, ANCHORS_NOISE);
	CHECK(t, NEAR(a.noise, departure_t(5, 4) * sqrt(0.01 * 0.01 / 4)));
	/* an anchor's spread: the unbiased SD of its windows, relative */
	CHECK(t, NEAR(anchors_spread(win3, 3, 2), 0.5));
	CHECK(t, anchors_spread(same, 3, 5) == 0);
	CHECK(t, isnan(anchors_spread(win3, 1, 1)));
	CHECK(t, isinf(anchors_spread(win3, 3, 0)));
	anchors_free(&a);
}

static struct tune_config test_config(void)
{
	return (struct tune_config){
		.objective = { .metric = "time_s", .goal = GOAL_MINIMIZE },
		.max_spread = 0.1, .timeout_s = 3, .repeats = 3, .max_windows = 12,
	};
}

/* A configuration in r with the values v (iteration it). */
static struct tune_obs *obs_with(struct tune_results *r, unsigned int it,
				 const double *v, size_t n)
{
	struct tune_obs *o = results_add(r, 1, 0);

	o->iteration = it;
	o->o.baseline = it == 0;
	add_all(&o->pool, v, NULL, n, r->windows);
	r->windows += n;
	return o;
}

/* A spread of three windows is not enough to call a configuration noisy. */
static void noisy_needs_five_windows(struct test_ctx *t)
{
	static const double wild[] = { 1.0, 1.5, 2.0, 1.0, 1.5 };
	struct tune_config cfg = test_config();
	struct tune_results r = { .crown_windows = 12 };

	obs_with(&r, 0, wild, 3);
	CHECK_INT(t, results_judge(&r, &cfg), 0);
	CHECK(t, r.obs[0].o.spread > cfg.max_spread);
	CHECK(t, !r.obs[0].o.noisy);
	CHECK_INT(t, r.obs[0].o.windows, 3);
	add_all(&r.obs[0].pool, wild + 3, NULL, 2, 3);
	CHECK_INT(t, results_judge(&r, &cfg), 0);
	CHECK_INT(t, r.obs[0].o.windows, 5);
	CHECK(t, r.obs[0].o.noisy);
	results_free(&r);
}

/* Most windows timed out: slow, so failed, and says so. */
static void timeouts_fail_a_slow_configuration(struct test_ctx *t)
{
	struct tune_config cfg = test_config();
	struct tune_results r = { .crown_windows = 12 };
	struct tune_obs *o = obs_with(&r, 1, (double[]){ 1.0 }, 1);

	pool_add(&o->pool, 0, 0, true, 1, NULL);
	pool_add(&o->pool, 0, 0, true, 2, NULL);
	CHECK_INT(t, results_judge(&r, &cfg), 0);
	CHECK(t, o->o.failed);
	CHECK_INT(t, o->timed_out, 2);
	CHECK_STR(t, o->error, "2 of 3 windows ran past the timeout (3 s)");
	results_free(&r);
}

/*
 * Never the best with fewer windows than the best so far (unless it has
 * max_windows): a lucky configuration measured twice does not win against
 * one measured ten times.
 */
static void best_needs_as_many_windows(struct test_ctx *t)
{
	static const double ten[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	static const double steady[] = { .9, .9, .9, .9, .9, .9, .9, .9, .9, .9 };
	static const double lucky[] = { 0.8, 0.8 };
	struct tune_config cfg = test_config();
	struct tune_results r = { .crown_windows = 12 };

	/* the baseline, however many its windows, yields to anything better */
	obs_with(&r, 0, ten, 10);
	obs_with(&r, 1, steady, 10);
	obs_with(&r, 2, lucky, 2);
	CHECK_INT(t, results_judge(&r, &cfg), 0);
	CHECK_INT(t, results_best_index(&r, &cfg.objective, 1), 2);
	CHECK_INT(t, results_best(&r, &cfg.objective)->iteration, 1);
	add_all(&r.obs[2].pool, ten, NULL, 8, r.windows);
	CHECK_INT(t, results_judge(&r, &cfg), 0);
	/* ten windows now, but two at 0.8 and eight at 1: no better */
	CHECK_INT(t, results_best(&r, &cfg.objective)->iteration, 1);
	r.obs[2].pool.n = 2;
	add_all(&r.obs[2].pool, lucky, NULL, 2, r.windows);
	add_all(&r.obs[2].pool, lucky, NULL, 2, r.windows);
	add_all(&r.obs[2].pool, lucky, NULL, 2, r.windows);
	add_all(&r.obs[2].pool, lucky, NULL, 2, r.windows);
	CHECK_INT(t, results_judge(&r, &cfg), 0);
	CHECK_INT(t, r.obs[2].o.windows, 10);
	CHECK_INT(t, results_best(&r, &cfg.objective)->iteration, 2);
	results_free(&r);
}

/* The baseline's blocks are anchors; the others are corrected by them. */
static void baseline_blocks_anchor_the_drift(struct test_ctx *t)
{
	/* the baseline's windows 1% apart: steady ones are no noise estimate */
	static const double start[] = { 0.99, 1.0, 1.01 }, later[] = { 1.1, 1.1, 1.1 };
	static const double later_base[] = { 1.089, 1.1, 1.111 };
	struct tune_config cfg = test_config();
	struct tune_results r = { .crown_windows = 12 };

	obs_with(&r, 0, start, 3);
	CHECK_INT(t, results_close_block(&r, 0, 0, &cfg), 0);
	obs_with(&r, 1, later, 3);
	CHECK_INT(t, results_close_block(&r, 1, 0, &cfg), 0);
	CHECK(t, NEAR(r.obs[1].o.objectives[0], 1.1));
	/* the baseline again, as slow as the configuration was */
	add_all(&r.obs[0].pool, later_base, NULL, 3, r.windows);
	r.windows += 3;
	CHECK_INT(t, results_close_block(&r, 0, 3, &cfg), 0);
	CHECK_INT(t, r.anchors.n, 2);
	CHECK(t, NEAR(r.anchors.a[0].spread, 0.01));
	CHECK(t, r.anchors.corrected);
	CHECK(t, NEAR(r.anchors.a[1].position, 7));
	CHECK(t, NEAR(r.anchors.a[1].value, 1.1));
	CHECK_INT(t, r.obs[0].batches, 2);
	/* the configuration sat between the anchors: about the baseline */
	CHECK(t, fabs(r.obs[1].o.objectives[0] - 1.0) < 0.06);
	CHECK(t, r.obs[1].o.objectives[0] < 1.1);
	results_free(&r);
}

/*
 * n windows of entry o, time v each and energy e -1%, e, e +1%, ..., from
 * window r->windows on
 */
static void add_pair(struct tune_results *r, struct tune_obs *o, double v,
		     double e, size_t n)
{
	double x;
	size_t i;

	for (i = 0; i < n; i++) {
		x = e * (1 + 0.01 * ((double)(i % 3) - 1));
		pool_add(&o->pool, 1, v, false, (double)r->windows++, &x);
	}
}

/*
 * Two objectives: the second drifts with the host as the first does. The
 * baseline's energy goes from 100 to 120 over the run; a configuration
 * measured half way at 110 is the baseline's equal once corrected, not
 * 10% worse, and the front and the tuner see it so.
 */
static void second_objective_is_drift_corrected(struct test_ctx *t)
{
	struct constraint second = { .metric = "energy_j", .op = CMP_LE,
				     .bound = INFINITY };
	struct tune_config cfg = test_config();
	struct tune_results r = { .crown_windows = 12 };

	cfg.nobjectives = 2;
	cfg.objective2 = (struct objective){ .metric = "energy_j", .goal = GOAL_MINIMIZE };
	cfg.constraints = &second;
	cfg.nconstraints = 1;
	results_add(&r, 1, 1)->o.baseline = true;
	add_pair(&r, &r.obs[0], 1.0, 100, 3);
	CHECK_INT(t, results_close_block(&r, 0, 0, &cfg), 0);
	results_add(&r, 1, 1)->iteration = 1;
	add_pair(&r, &r.obs[1], 1.0, 110, 3);
	CHECK_INT(t, results_close_block(&r, 1, 0, &cfg), 0);
	/* no second anchor yet: as measured */
	CHECK(t, NEAR(r.obs[1].o.objectives[1], 110));
	add_pair(&r, &r.obs[0], 1.0, 120, 3);
	CHECK_INT(t, results_close_block(&r, 0, 3, &cfg), 0);
	CHECK_INT(t, r.anchors2.n, 2);
	CHECK(t, NEAR(r.anchors2.a[0].value, 100) && NEAR(r.anchors2.a[1].value, 120));
	CHECK(t, NEAR(r.anchors2.a[1].position, 7));
	/* window 4 lies a half of the way from anchor 1 to 7: baseline 110 */
	CHECK(t, NEAR(r.obs[1].o.objectives[1], 100));
	CHECK(t, NEAR(r.obs[1].constraint_values[0], 100));
	/* the first objective did not drift: untouched */
	CHECK(t, NEAR(r.obs[1].o.objectives[0], 1.0));
	CHECK(t, NEAR(r.obs[0].o.objectives[1], 100));
	results_free(&r);
}

static void stop_reasons_say_what_follows(struct test_ctx *t)
{
	CHECK_STR(t, stop_reason_name(STOP_BASELINE_FAILED), "baseline failed");
	CHECK_STR(t, stop_reason_name(STOP_ALL_FAILED), "every configuration failed");
	CHECK(t, stop_reason_failed(STOP_BASELINE_FAILED));
	CHECK(t, !stop_reason_resumable(STOP_BASELINE_FAILED));
	CHECK(t, stop_reason_failed(STOP_ALL_FAILED));
	CHECK(t, !stop_reason_resumable(STOP_ALL_FAILED));
	CHECK(t, stop_reason_resumable(STOP_INTERRUPTED));
	CHECK(t, !stop_reason_failed(STOP_INTERRUPTED));
	CHECK(t, !stop_reason_failed(STOP_BUDGET));
	CHECK(t, stop_reason_failed(STOP_SESSION_LOST));
}

SUITE(pool_suite, "pool",
	CASE(pool_keeps_every_batch),
	CASE(pool_censors_timeouts),
	CASE(anchors_interpolate_and_correct),
	CASE(pool_corrects_drift),
	CASE(anchors_correct_only_what_exceeds_their_noise),
	CASE(anchors_of_one_window_need_four),
	CASE(anchors_noise_is_calibrated),
	CASE(noisy_needs_five_windows),
	CASE(timeouts_fail_a_slow_configuration),
	CASE(best_needs_as_many_windows),
	CASE(baseline_blocks_anchor_the_drift),
	CASE(second_objective_is_drift_corrected),
	CASE(stop_reasons_say_what_follows),
);
