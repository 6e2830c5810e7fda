// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Runs ostune's tuners on Branin and Hartmann6, exact and with noise, for
 * a number of seeds, through the same tuner interface the measurement
 * loop uses. One line per run, tab-separated:
 *
 *   tuner function variant seed evals_1pct evals_5pct t50_ms t200_ms
 *   tmax_ms best
 *
 * evals_* is the first evaluation whose true value is within 1% (5%) of
 * the optimum (|f - fmin| <= p |fmin|), -1 when never; t50_ms and t200_ms
 * the CPU time of the suggestion made with 50 and 200 observations in the
 * history (-1 when the run is shorter); tmax_ms the slowest suggestion of
 * the run (hyperparameter refits included); best the best true value.
 * With noise the tuner sees the noisy values; progress is scored on the
 * true values of the points it chose.
 *
 * With -l, also "hackbench", a landscape recorded in the VM and replayed
 * (functions.h), variant "recorded", budget 50; there progress is scored
 * on the point with the best mean of its windows so far (identified()),
 * "best" is that point's true value, not the best visited.
 *
 * Usage: tuners-bench [-t TUNER[,TUNER]] [-f FUNCTION[,FUNCTION]]
 *                     [-v exact|noisy|both] [-s SEEDS] [-b BUDGET]
 *                     [-l LANDSCAPE.tsv]
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "functions.h"
#include "tuner.h"

struct run {
	const struct bench_fn *fn;	/* or, with fn NULL: */
	const struct landscape *land;	/* a replayed landscape */
	const char *tuner;
	bool noisy;
	uint64_t seed;
	unsigned int budget;
};

/*
 * CPU time, not wall time: the figure is the tuner's own cost, and stays
 * comparable on a machine busy with other work.
 */
static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One evaluation: what the tuner is told; *truth, what is scored. */
static double evaluate(const struct run *r, const double *x, unsigned int k,
		       double *truth)
{
	size_t i;

	if (r->land) {
		i = landscape_point(r->land, x);
		*truth = r->land->median[i];
		return r->land->win[i][bench_pick(r->seed, k, r->land->nwin[i])];
	}
	*truth = r->fn->f(x);
	return r->noisy ? *truth * (1 + bench_noise(r->seed, k)) : *truth;
}

/*
 * On a recorded landscape the noise is as large as the differences, so
 * visiting the best point proves nothing: what is scored is the point a
 * user would pick, the one with the best mean of its measured windows so
 * far. Returns that point's true value.
 */
static double identified(const struct landscape *l, double *sum, double *cnt,
			 const double *x, double y)
{
	size_t i = landscape_point(l, x), at = i;

	sum[i] += y;
	cnt[i]++;
	for (i = 0; i < l->npts; i++)
		if (cnt[i] && sum[i] / cnt[i] < sum[at] / cnt[at])
			at = i;
	return l->median[at];
}

/* The search space: the function's box, or the landscape's two knobs. */
static void make_space(const struct run *r, struct dim *dims, size_t *n)
{
	static char *names[6] = { "x0", "x1", "x2", "x3", "x4", "x5" };
	size_t i;

	*n = r->land ? 2 : r->fn->dim;
	for (i = 0; i < *n; i++) {
		if (r->land)
			dims[i] = (struct dim){
				.name = names[i], .type = DIM_INT,
				.scale = SCALE_LOG, .min = r->land->lo[i],
				.max = r->land->hi[i] };
		else
			dims[i] = (struct dim){
				.name = names[i], .type = DIM_REAL,
				.min = r->fn->lo[i], .max = r->fn->hi[i] };
	}
}

static int run_one(const struct run *r)
{
	struct dim dims[6];
	struct space space = { dims, 0 };
	struct objective obj = { "f", GOAL_MINIMIZE };
	struct tuner_problem p = {
		.space = &space, .objectives = &obj, .nobjectives = 1,
		.seed = r->seed, .budget = r->budget,
	};
	struct tuner_observation *obs = calloc(r->budget, sizeof(*obs));
	double *xs = calloc((size_t)r->budget * 6, sizeof(*xs));
	double sum[LAND_MAXPTS] = { 0 }, cnt[LAND_MAXPTS] = { 0 };
	double best = INFINITY, t50 = -1, t200 = -1, tmax = 0, t0, dt, f, y;
	double fmin = r->land ? r->land->fmin : r->fn->fmin;
	int at1 = -1, at5 = -1, ret = 0;
	char why[256];
	struct tuner t;
	unsigned int k;

	if (!obs || !xs)
		return -ENOMEM;
	make_space(r, dims, &space.n);
	ret = tuner_create(&t, r->tuner, &p, why, sizeof(why));
	if (ret) {
		fprintf(stderr, "%s\n", why);
		goto out;
	}
	for (k = 0; k < r->budget; k++) {
		struct tuner_history h = { obs, k };
		struct tuner_suggestion s = { .x = xs + k * space.n };

		t0 = now_ms();
		ret = tuner_suggest(&t, &h, &s, 1, why, sizeof(why));
		dt = now_ms() - t0;
		tmax = dt > tmax ? dt : tmax;
		if (k == 50)
			t50 = dt;
		if (k == 200)
			t200 = dt;
		/* a tuner that is done (grid, coordinate) ends its run */
		if (ret == 0)
			break;
		if (ret != 1) {
			fprintf(stderr, "%s: suggest: %d %s\n", r->tuner, ret, why);
			ret = -EPROTO;
			break;
		}
		ret = 0;
		y = evaluate(r, s.x, k, &f);
		obs[k] = (struct tuner_observation){
			.x = s.x, .windows = 1, .feasible = true,
			.objectives = { y },
		};
		if (r->land)
			f = identified(r->land, sum, cnt, s.x, y);
		if (r->land || f < best)
			best = f;
		if (at1 < 0 && best - fmin <= 0.01 * fabs(fmin))
			at1 = (int)k + 1;
		if (at5 < 0 && best - fmin <= 0.05 * fabs(fmin))
			at5 = (int)k + 1;
	}
	tuner_destroy(&t);
	printf("%s\t%s\t%s\t%llu\t%d\t%d\t%.2f\t%.2f\t%.2f\t%.6f\n",
	       r->tuner, r->land ? "hackbench" : r->fn->name,
	       r->land ? "recorded" : r->noisy ? "noisy" : "exact",
	       (unsigned long long)r->seed, at1, at5, t50, t200, tmax, best);
	fflush(stdout);
out:
	free(obs);
	free(xs);
	return ret;
}

static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ',') && (!p[n] || p[n] == ','))
			return true;
		p += n;
	}
	return false;
}

static int run_tuners(struct run *r, const char *tuners, unsigned int seeds)
{
	static const char *const names[] = { "bo", "random", "grid",
					     "coordinate" };
	unsigned int s;
	size_t tu;
	int failed = 0;

	for (tu = 0; tu < 4; tu++) {
		if (!listed(tuners, names[tu]))
			continue;
		r->tuner = names[tu];
		for (s = 1; s <= seeds; s++) {
			r->seed = s;
			failed |= run_one(r) != 0;
		}
	}
	return failed;
}

int main(int argc, char **argv)
{
	const char *tuners = "bo,random", *fns = "branin,hartmann6,hackbench";
	const char *variant = "both", *land_path = NULL;
	const struct bench_fn *all[] = { &bench_branin, &bench_hartmann6 };
	static struct landscape land;
	unsigned int seeds = 20, budget = 0;
	size_t f, v;
	int opt, failed = 0;

	while ((opt = getopt(argc, argv, "t:f:v:s:b:l:")) != -1) {
		switch (opt) {
		case 't': tuners = optarg; break;
		case 'f': fns = optarg; break;
		case 'v': variant = optarg; break;
		case 's': seeds = (unsigned int)atoi(optarg); break;
		case 'b': budget = (unsigned int)atoi(optarg); break;
		case 'l': land_path = optarg; break;
		default:
			fprintf(stderr, "usage: %s [-t TUNERS] [-f FUNCTIONS] [-v exact|noisy|both] [-s SEEDS] [-b BUDGET] [-l LANDSCAPE.tsv]\n",
				argv[0]);
			return 2;
		}
	}
	for (f = 0; f < 2; f++) {
		if (!listed(fns, all[f]->name))
			continue;
		for (v = 0; v < 2; v++) {
			struct run r = {
				.fn = all[f], .noisy = v == 1,
				.budget = budget ? budget : f ? 201 : 100,
			};

			if (strcmp(variant, "both") &&
			    strcmp(variant, v ? "noisy" : "exact"))
				continue;
			failed |= run_tuners(&r, tuners, seeds);
		}
	}
	if (land_path && listed(fns, "hackbench")) {
		struct run r = { .land = &land, .budget = budget ? budget : 50 };

		if (landscape_load(land_path, &land)) {
			fprintf(stderr, "%s: cannot read %s\n", argv[0], land_path);
			return 1;
		}
		failed |= run_tuners(&r, tuners, seeds);
	}
	return failed;
}
