// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The verdict's error rates, simulated: runs of verification on windows
 * with multiplicative lognormal noise and a slow drift of the host, for
 * ostune's sequential verdict (tune/verify.c) and, side by side, the fixed
 * 5-round test it replaced (kept here only as the comparator), also given
 * the sequential verdict's average number of rounds. Prints one TSV line
 * per cell: what was simulated, the share of runs that recommended a
 * candidate (false recommendations when no candidate is better, power
 * when one is), and the rounds used on average.
 *
 * Usage: verify-bench [-n RUNS] [-r MAX_ROUNDS] [-a ALPHA] [-s | -w | -c]
 *   -s: the sizing table instead (the rounds a 5% effect needs for 80%
 *       power, per noise level)
 *   -w: the power at +5% and 10% noise per verify.rounds, against the old
 *       test given the same rounds on average
 *   -c: a two-objective pick's false recommendations (tune/verify_pair.c)
 *       when its second objective breaks what the rule asks (at the
 *       limit, 1% and 2% past it): a constrained pick's false "met", a
 *       knee pick's false "not worse by more than max_loss"
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "tune/verify.h"

#define KMAX 3
#define ROUNDS_MAX 1000
/* the drift: a random walk of the host's speed, per window */
#define DRIFT_STEP 0.002
struct world {
	gsl_rng *rng;
	double noise, drift;
	size_t k;
	double effect[KMAX];	/* true ratio - 1 of each candidate */
};

/* One window of configuration j (-1: the baseline); throughput, maximised. */
static double window(struct world *w, int j)
{
	double truth = 100 * (j < 0 ? 1 : 1 + w->effect[j]);

	w->drift += gsl_ran_gaussian(w->rng, DRIFT_STEP);
	return truth * exp(w->drift + gsl_ran_gaussian(w->rng, w->noise));
}

static void round_of(struct world *w, size_t r, size_t stride, double *base,
		     double *cand)
{
	int order[KMAX + 1];
	size_t i;

	verify_round_order(w->k, r, order);
	for (i = 0; i <= w->k; i++) {
		if (order[i] < 0)
			base[r] = window(w, -1);
		else
			cand[order[i] * stride + r] = window(w, order[i]);
	}
}

/* The sequential verdict: recommended?, and the rounds it took. */
static bool sequential(struct world *w, const struct verify_plan *plan,
		       size_t *rounds)
{
	double base[ROUNDS_MAX], cand[KMAX * ROUNDS_MAX];
	struct verify_candidate vc[KMAX];
	struct verify_result res = { .cand = vc };
	struct verify_input in = {
		.plan = plan, .ncand = w->k, .baseline = base,
		.candidates = cand, .goal = GOAL_MAXIMIZE,
	};
	size_t r;

	w->drift = 0;
	res.decision = VERIFY_CONTINUE;
	for (r = 0; r < plan->max_rounds && res.decision == VERIFY_CONTINUE; r++) {
		round_of(w, r, plan->max_rounds, base, cand);
		in.rounds = r + 1;
		if (verify_decide(&in, &res))
			exit(1);
	}
	*rounds = in.rounds;
	return res.decision == VERIFY_BETTER;
}

/*
 * The test ostune had before: a fixed number of rounds, each candidate's
 * mean log ratio with a two-sided Student t interval at alpha / 2 / K
 * (Bonferroni), recommended when the interval's low end is above 0: level
 * alpha / 2. With level alpha, the best a fixed-rounds test can do (the
 * one-sided t test), for reference.
 */
static bool fixed_test(struct world *w, size_t rounds, double level)
{
	double base[ROUNDS_MAX], cand[KMAX * ROUNDS_MAX], d[ROUNDS_MAX];
	double mean, ss, se, t;
	size_t r, j;
	bool any = false;

	w->drift = 0;
	for (r = 0; r < rounds; r++)
		round_of(w, r, rounds, base, cand);
	for (j = 0; j < w->k; j++) {
		mean = ss = 0;
		for (r = 0; r < rounds; r++) {
			d[r] = log(cand[j * rounds + r] / base[r]);
			mean += d[r] / rounds;
		}
		for (r = 0; r < rounds; r++)
			ss += (d[r] - mean) * (d[r] - mean);
		se = sqrt(ss / (rounds - 1) / rounds);
		t = gsl_cdf_tdist_Qinv(level / w->k, (double)(rounds - 1));
		any = any || (se > 0 ? mean - t * se > 0 : mean > 0);
	}
	return any;
}

struct cell {
	const char *what;
	size_t k;
	double effect[KMAX];
};

static const struct cell cells[] = {
	{ "null", 1, { 0 } },
	{ "null", 3, { 0, 0, 0 } },
	{ "worse", 1, { -0.01 } },
	{ "worse", 3, { -0.01, -0.01, -0.01 } },
	{ "power", 1, { 0.02 } },
	{ "power", 1, { 0.05 } },
	{ "power", 1, { 0.10 } },
	{ "power", 3, { 0.05, 0, 0 } },
};

static const double noises[] = { 0, 0.05, 0.10, 0.20 };

/* The verdict's rate and average rounds in w's world. */
static double rate_of(struct world *w, const struct verify_plan *plan,
		      size_t runs, double *avg_rounds)
{
	size_t i, rounds, total = 0;
	double hits = 0;

	for (i = 0; i < runs; i++) {
		hits += sequential(w, plan, &rounds);
		total += rounds;
	}
	*avg_rounds = (double)total / runs;
	return hits / runs;
}

/* The fixed test's rate at the rounds nearest avg (at least 3). */
static double fixed_rate(struct world *w, double avg, size_t runs,
			 double level, size_t *rounds)
{
	size_t i;
	double hits = 0;

	*rounds = avg < 3 ? 3 : (size_t)(avg + 0.5);
	for (i = 0; i < runs; i++)
		hits += fixed_test(w, *rounds, level);
	return hits / runs;
}

/*
 * Every cell: the verdict, and the old test at 5 rounds
 * and at the verdict's average rounds, the ratio of the powers at the
 * same rounds (verdict / old test), and the one-sided t test at them.
 */
static int table(gsl_rng *rng, size_t runs, size_t max, double alpha)
{
	struct verify_plan plans[KMAX];
	size_t c, n, i, k, matched;
	double seq, seq_rounds, old5, oldm, best;
	struct world w = { .rng = rng };

	for (k = 1; k <= KMAX; k++)
		if (verify_plan_init(&plans[k - 1], max, k, alpha))
			return 1;
	printf("cell\tk\teffect\tnoise\tseq_rate\tseq_rounds\told5_rate\tmatched_rounds\told_matched_rate\tratio_matched\tonesided_matched_rate\n");
	for (c = 0; c < sizeof(cells) / sizeof(cells[0]); c++) {
		for (n = 0; n < sizeof(noises) / sizeof(noises[0]); n++) {
			w.k = cells[c].k;
			w.noise = noises[n];
			memcpy(w.effect, cells[c].effect, sizeof(w.effect));
			seq = rate_of(&w, &plans[w.k - 1], runs, &seq_rounds);
			old5 = 0;
			for (i = 0; i < runs; i++)
				old5 += fixed_test(&w, 5, alpha / 2);
			oldm = fixed_rate(&w, seq_rounds, runs, alpha / 2, &matched);
			best = fixed_rate(&w, seq_rounds, runs, alpha, &matched);
			/* a ratio of powers; of false rates it would mean nothing */
			printf("%s\t%zu\t%+.0f%%\t%.0f%%\t%.4f\t%.2f\t%.4f\t%zu\t%.4f\t%.2f\t%.4f\n",
			       cells[c].what, cells[c].k, 100 * cells[c].effect[0],
			       100 * noises[n], seq, seq_rounds,
			       old5 / runs, matched, oldm,
			       oldm > 0 && cells[c].effect[0] > 0 ? seq / oldm : NAN,
			       best);
			fflush(stdout);
		}
	}
	for (k = 1; k <= KMAX; k++)
		verify_plan_free(&plans[k - 1]);
	return 0;
}

/*
 * The acceptance's comparison, at +5% and 10% noise, one candidate: per
 * verify.rounds, the verdict's power and average rounds, the old test's
 * power at those rounds (rounded) and the ratio; the old test at 5
 * rounds is the row whose verdict averages 5 rounds or fewer.
 */
static int windows(gsl_rng *rng, size_t runs, double alpha)
{
	static const size_t maxes[] = { 5, 6, 7, 8, 10, 20, 40 };
	struct world w = { .rng = rng, .k = 1, .noise = 0.10, .effect = { 0.05 } };
	struct verify_plan plan;
	double seq, seq_rounds, oldm;
	size_t m, matched;

	printf("max_rounds\tseq_rate\tseq_rounds\tmatched_rounds\told_matched_rate\tratio\n");
	for (m = 0; m < sizeof(maxes) / sizeof(maxes[0]); m++) {
		if (verify_plan_init(&plan, maxes[m], 1, alpha))
			return 1;
		seq = rate_of(&w, &plan, runs, &seq_rounds);
		verify_plan_free(&plan);
		oldm = fixed_rate(&w, seq_rounds, runs, alpha / 2, &matched);
		printf("%zu\t%.4f\t%.2f\t%zu\t%.4f\t%.2f\n", maxes[m], seq,
		       seq_rounds, matched, oldm, oldm > 0 ? seq / oldm : NAN);
		fflush(stdout);
	}
	return 0;
}

/*
 * A two-objective pick whose second objective (energy, minimised) breaks
 * what the verdict must show, by `past` (0: exactly at the limit), its
 * first clearly better (+10%, 1% noise: "better" crosses at the first
 * look, and the rounds go on while the other test is open: the most looks
 * it can get). Constrained: "energy < 100" (strict: a true mean of exactly
 * 100 breaks it, so every "met" here is false, at 0% noise too), the true
 * mean 100 (1 + past). Knee (max_loss 5%): the pick's energy 1.05 (1 +
 * past) times the baseline's. Windows: noise of mean 1, lognormal (as
 * in the table: skewed to the right) or normal, with the host's drift or
 * without (the bound assumes independent windows; an unpaired bound
 * cannot take a drift out, a paired ratio can).
 */
static double noise_of(struct world *w, bool normal)
{
	double s = w->noise;

	return normal ? 1 + gsl_ran_gaussian(w->rng, s) :
			exp(gsl_ran_gaussian(w->rng, s) - s * s / 2);
}

static bool pair_run(struct world *w, const struct verify_plan *better,
		     const struct verify_plan *worse, double past, bool drift,
		     bool knee, bool normal)
{
	static const struct constraint bound = { "energy", CMP_LT, 100 };
	double b0[ROUNDS_MAX], c0[ROUNDS_MAX], b1[ROUNDS_MAX], c1[ROUNDS_MAX];
	struct verify_pair_result res = { .decision = VERIFY_CONTINUE };
	struct verify_pair_input in = {
		.better_plan = better, .worse_plan = worse,
		.baseline = { b0, b1 }, .candidate = { c0, c1 },
		.goal = { GOAL_MAXIMIZE, GOAL_MINIMIZE },
		.metric = { "tput", "energy" },
		.subject_to = knee ? NULL : &bound, .subject_of = 1,
		.max_loss = knee ? 0.05 : 0,
	};
	double d, truth = 100 * (knee ? 1.05 : 1) * (1 + past);
	size_t r;

	w->drift = 0;
	for (r = 0; r < better->max_rounds && res.decision == VERIFY_CONTINUE; r++) {
		w->drift += drift ? gsl_ran_gaussian(w->rng, DRIFT_STEP) : 0;
		d = w->drift;
		b0[r] = 100 * exp(d + gsl_ran_gaussian(w->rng, 0.01));
		b1[r] = 100 * exp(d) * noise_of(w, normal);
		w->drift += drift ? gsl_ran_gaussian(w->rng, DRIFT_STEP) : 0;
		d = w->drift;
		c0[r] = 110 * exp(d + gsl_ran_gaussian(w->rng, 0.01));
		c1[r] = truth * exp(d) * noise_of(w, normal);
		in.rounds = r + 1;
		in.last = r + 1 == better->max_rounds;
		if (verify_decide_pair(&in, &res))
			exit(1);
	}
	return res.decision == VERIFY_BETTER;
}

/*
 * Per rule, noise shape, drift, true mean and noise: the share of runs
 * recommended.
 */
static int pairs(gsl_rng *rng, size_t runs, size_t max, double alpha)
{
	static const double pasts[] = { 0, 0.01, 0.02 };
	struct world w = { .rng = rng };
	struct verify_plan better, worse;
	size_t p, n, i, drift, knee, normal;
	double hits;

	if (verify_plan_init(&better, max, 1, alpha / 2) ||
	    verify_plan_init(&worse, max, 1, alpha))
		return 1;
	printf("rule\tshape\tdrift\tpast_limit\tnoise\tfalse_rate\n");
	for (knee = 0; knee < 2; knee++)
	for (normal = 0; normal < 2; normal++)
	for (drift = 0; drift < 2; drift++)
	for (p = 0; p < sizeof(pasts) / sizeof(pasts[0]); p++)
	for (n = 0; n < sizeof(noises) / sizeof(noises[0]); n++) {
		w.noise = noises[n];
		hits = 0;
		for (i = 0; i < runs; i++)
			hits += pair_run(&w, &better, &worse, pasts[p], drift,
					 knee, normal);
		printf("%s\t%s\t%s\t%+.0f%%\t%.0f%%\t%.4f\n",
		       knee ? "knee" : "constrained",
		       normal ? "normal" : "lognormal", drift ? "yes" : "no",
		       100 * pasts[p], 100 * noises[n], hits / runs);
		fflush(stdout);
	}
	verify_plan_free(&better);
	verify_plan_free(&worse);
	return 0;
}

/* Per noise level: the smallest planned rounds with 80% power at +5%. */
static int sizing(gsl_rng *rng, size_t runs, double alpha)
{
	static const size_t maxes[] = { 5, 10, 20, 40, 80, 160, 320 };
	struct world w = { .rng = rng, .k = 1, .effect = { 0.05 } };
	struct verify_plan plan;
	double power, rounds;
	size_t n, m;

	printf("noise\tmax_rounds\tpower\tavg_rounds\n");
	for (n = 0; n < sizeof(noises) / sizeof(noises[0]); n++) {
		w.noise = noises[n];
		for (m = 0; m < sizeof(maxes) / sizeof(maxes[0]); m++) {
			if (verify_plan_init(&plan, maxes[m], 1, alpha))
				return 1;
			power = rate_of(&w, &plan, runs, &rounds);
			verify_plan_free(&plan);
			printf("%.0f%%\t%zu\t%.4f\t%.2f\n", 100 * noises[n],
			       maxes[m], power, rounds);
			fflush(stdout);
			if (power >= 0.8)
				break;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	size_t runs = 2000, max = 20;
	double alpha = 0.05;
	bool size = false, win = false, cons = false;
	gsl_rng *rng;
	int opt, ret;

	while ((opt = getopt(argc, argv, "n:r:a:swc")) != -1) {
		switch (opt) {
		case 'n':
			runs = strtoul(optarg, NULL, 10);
			break;
		case 'r':
			max = strtoul(optarg, NULL, 10);
			break;
		case 'a':
			alpha = strtod(optarg, NULL);
			break;
		case 's':
			size = true;
			break;
		case 'w':
			win = true;
			break;
		case 'c':
			cons = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-n RUNS] [-r MAX_ROUNDS] [-a ALPHA] [-s | -w | -c]\n",
				argv[0]);
			return 2;
		}
	}
	if (!runs || max < 3 || max > ROUNDS_MAX) {
		fprintf(stderr, "verify-bench: -n must be positive, -r from 3 to %d\n",
			ROUNDS_MAX);
		return 2;
	}
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, 13);
	ret = size ? sizing(rng, runs, alpha) :
	      win ? windows(rng, runs, alpha) :
	      cons ? pairs(rng, runs, max, alpha) :
	      table(rng, runs, max, alpha);
	gsl_rng_free(rng);
	return ret;
}
