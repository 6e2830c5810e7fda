// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Runs ostune's tuners on Branin and Hartmann6 at several noise levels, for
 * a number of seeds, through the same tuner interface the measurement
 * loop uses, and as the loop feeds it: each evaluation is the loop's
 * default of 3 counted windows, each the true value times (1 + cv e), e
 * standard normal; the tuner is told their median and relative spread
 * (stats_median(), stats_spread(), as user/tune/ computes them) and
 * windows = 3. One line per run, tab-separated:
 *
 *   tuner function noise seed evals_1pct evals_2pct evals_5pct t50_ms
 *   tmax_ms final_gap
 *
 * What is scored is the configuration the tuner would recommend after
 * each evaluation, tuner_rank()'s first (what the loop verifies and
 * hands the user), not the best point visited. evals_P is the first
 * evaluation after which that point's true value is within P% of the
 * optimum (|f - fmin| <= P |fmin|), -1 when never; final_gap the
 * recommended point's |f - fmin| / |fmin| at the end; t50_ms the CPU time
 * of the suggestion made with 50 observations in the history (-1 when
 * the run is shorter), tmax_ms the slowest suggestion and ranking.
 *
 * With -l, also "hackbench", a landscape recorded in the VM and replayed
 * (functions.h), noise "recorded", budget 50: the windows are recorded
 * ones, the truth their median.
 *
 * Usage: tuners-bench [-t TUNER[,TUNER]] [-f FUNCTION[,FUNCTION]]
 *                     [-n CV[,CV]] [-s SEEDS] [-b BUDGET] [-l LANDSCAPE.tsv]
 *                     [-x]
 * (-x: every step on stderr: what the tuner was told, the truth, the
 * recommendation and where it is, and the tuner's why)
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/stats.h"
#include "functions.h"
#include "tuner.h"

/* the loop's default counted windows per configuration ("repeats") */
#define WINDOWS 3

struct run {
	const struct bench_fn *fn;	/* or, with fn NULL: */
	const struct landscape *land;	/* a replayed landscape */
	const char *tuner;
	double cv;			/* relative noise of one window */
	uint64_t seed;
	unsigned int budget;
	bool trace;			/* -x: each step on stderr */
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

/* Evaluation k of x as the loop reports it; *truth is what is scored. */
static void evaluate(const struct run *r, const double *x, unsigned int k,
		     struct tuner_observation *o, double *truth)
{
	size_t i = r->land ? landscape_point(r->land, x) : 0, j;
	double w[WINDOWS];

	*truth = r->land ? r->land->median[i] : r->fn->f(x);
	for (j = 0; j < WINDOWS; j++) {
		uint64_t at = (uint64_t)WINDOWS * k + j;

		w[j] = r->land ?
		       r->land->win[i][bench_pick(r->seed, at, r->land->nwin[i])] :
		       *truth * (1 + r->cv * bench_gauss(r->seed, at));
	}
	*o = (struct tuner_observation){
		.x = x, .windows = WINDOWS, .feasible = true,
	};
	o->objectives[0] = stats_median(w, WINDOWS);
	o->spread = stats_spread(w, WINDOWS);
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
	static const double levels[3] = { 0.01, 0.02, 0.05 };
	struct tuner_observation *obs = calloc(r->budget, sizeof(*obs));
	double *xs = calloc((size_t)r->budget * 6, sizeof(*xs));
	double *truth = calloc(r->budget, sizeof(*truth));
	double t50 = -1, tmax = 0, t0, dt, gap = INFINITY;
	double fmin = r->land ? r->land->fmin : r->fn->fmin;
	int at[3] = { -1, -1, -1 }, ret = 0, got;
	char why[256];
	struct tuner t;
	unsigned int k, j;
	size_t best;

	if (!obs || !xs || !truth) {
		ret = -ENOMEM;
		goto out;
	}
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
		/* a tuner that is done (grid, coordinate) ends its run */
		if (ret == 0)
			break;
		if (ret != 1) {
			fprintf(stderr, "%s: suggest: %d %s\n", r->tuner, ret, why);
			ret = -EPROTO;
			break;
		}
		evaluate(r, s.x, k, &obs[k], &truth[k]);
		h.n = k + 1;
		t0 = now_ms();
		got = tuner_rank(&t, &h, &best, 1);
		dt += now_ms() - t0;
		tmax = dt > tmax ? dt : tmax;
		if (k == 50)
			t50 = dt;
		if (got != 1) {
			fprintf(stderr, "%s: rank: %d\n", r->tuner, got);
			ret = -EPROTO;
			break;
		}
		ret = 0;
		gap = fabs(truth[best] - fmin) / fabs(fmin);
		if (r->trace) {
			fprintf(stderr, "%u\ttold %.4g\ttrue %.4g\trecommended %zu gap %.4f at",
				k + 1, obs[k].objectives[0], truth[k], best + 1,
				gap);
			for (j = 0; j < space.n; j++)
				fprintf(stderr, " %.3f", xs[best * space.n + j]);
			fprintf(stderr, "\t%s\n", s.why);
		}
		for (j = 0; j < 3; j++)
			if (at[j] < 0 && gap <= levels[j])
				at[j] = (int)k + 1;
	}
	tuner_destroy(&t);
	if (r->land)
		printf("%s\thackbench\trecorded", r->tuner);
	else
		printf("%s\t%s\t%g", r->tuner, r->fn->name, r->cv);
	printf("\t%llu\t%d\t%d\t%d\t%.2f\t%.2f\t%.6f\n",
	       (unsigned long long)r->seed, at[0], at[1], at[2], t50, tmax, gap);
	fflush(stdout);
out:
	free(obs);
	free(xs);
	free(truth);
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
	const char *noise = "0,0.05,0.1,0.2", *land_path = NULL, *c;
	const struct bench_fn *all[] = { &bench_branin, &bench_hartmann6 };
	static struct landscape land;
	unsigned int seeds = 20, budget = 0;
	size_t f;
	int opt, failed = 0;
	bool trace = false;

	while ((opt = getopt(argc, argv, "t:f:n:s:b:l:x")) != -1) {
		switch (opt) {
		case 't': tuners = optarg; break;
		case 'f': fns = optarg; break;
		case 'n': noise = optarg; break;
		case 's': seeds = (unsigned int)atoi(optarg); break;
		case 'b': budget = (unsigned int)atoi(optarg); break;
		case 'l': land_path = optarg; break;
		case 'x': trace = true; break;
		default:
			fprintf(stderr, "usage: %s [-t TUNERS] [-f FUNCTIONS] [-n CV[,CV]] [-s SEEDS] [-b BUDGET] [-l LANDSCAPE.tsv] [-x]\n",
				argv[0]);
			return 2;
		}
	}
	for (f = 0; f < 2; f++) {
		if (!listed(fns, all[f]->name))
			continue;
		for (c = noise; c; c = strchr(c, ',') ? strchr(c, ',') + 1 : NULL) {
			struct run r = {
				.fn = all[f], .cv = atof(c),
				.budget = budget ? budget : f ? 100 : 60,
				.trace = trace,
			};

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
