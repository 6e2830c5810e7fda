// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The drift correction's error rates, simulated: runs of n baseline
 * anchors of w windows each, spread evenly over a run, each window the
 * host's level times (1 + sigma N(0, 1)); the anchors are medians and
 * spreads as results.c makes them, and tune/anchors.c decides whether
 * the drift is corrected. Prints one TSV line per cell: anchors,
 * windows, the drift over the run, the share of runs corrected (with
 * no drift: corrected by noise alone, to keep at about 5% or less).
 *
 * Usage: drift-bench [-n RUNS] [-s SIGMA] [-d DRIFT]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "base/stats.h"
#include "tune/anchors.h"

#define WMAX 16

/* One run: is the drift corrected? */
static bool one_run(gsl_rng *rng, size_t n, unsigned int w, double sigma,
		    double drift)
{
	struct anchors a = { 0 };
	double v[WMAX], sorted[WMAX], level;
	struct anchor an;
	bool corrected;
	size_t i, j;

	for (i = 0; i < n; i++) {
		level = 1 + drift * (double)i / (double)(n - 1);
		for (j = 0; j < w; j++)
			v[j] = sorted[j] = level * (1 + gsl_ran_gaussian(rng, sigma));
		an = (struct anchor){ .position = 10.0 * (double)i, .windows = w };
		an.value = stats_median(sorted, w);
		an.spread = anchors_spread(v, w, an.value);
		anchors_add(&a, &an);
	}
	corrected = a.corrected;
	anchors_free(&a);
	return corrected;
}

int main(int argc, char **argv)
{
	static const size_t ns[] = { 3, 5, 10, 20 };
	static const unsigned int ws[] = { 1, 3 };
	double sigma = 0.05, drifts[2] = { 0, 0.10 };
	unsigned long runs = 10000, k, hits;
	gsl_rng *rng;
	size_t i, j, d;
	int opt;

	while ((opt = getopt(argc, argv, "n:s:d:")) != -1) {
		switch (opt) {
		case 'n':
			runs = strtoul(optarg, NULL, 10);
			break;
		case 's':
			sigma = strtod(optarg, NULL);
			break;
		case 'd':
			drifts[1] = strtod(optarg, NULL);
			break;
		default:
			fprintf(stderr, "usage: %s [-n RUNS] [-s SIGMA] [-d DRIFT]\n", argv[0]);
			return 2;
		}
	}
	if (!runs)
		return 2;
	gsl_rng_env_setup();
	rng = gsl_rng_alloc(gsl_rng_default);
	if (!rng)
		return 1;
	gsl_rng_set(rng, 1);
	printf("anchors\twindows\tsigma\tdrift\tcorrected\n");
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		for (j = 0; j < sizeof(ws) / sizeof(ws[0]); j++)
			for (d = 0; d < 2; d++) {
				for (k = hits = 0; k < runs; k++)
					hits += one_run(rng, ns[i], ws[j], sigma, drifts[d]);
				printf("%zu\t%u\t%.3g\t%.3g\t%.3f\n", ns[i], ws[j], sigma,
				       drifts[d], (double)hits / (double)runs);
			}
	gsl_rng_free(rng);
	return 0;
}
