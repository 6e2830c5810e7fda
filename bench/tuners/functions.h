/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The benchmark's test functions and their noise, written the same way in
 * optuna_tpe.py so that both sides see the same landscape and the same
 * noise draws for a given seed.
 */
#ifndef OSTUNE_BENCH_FUNCTIONS_H
#define OSTUNE_BENCH_FUNCTIONS_H

#include <stddef.h>
#include <stdint.h>

struct bench_fn {
	const char *name;
	size_t dim;
	double lo[6], hi[6];
	double fmin;		/* the global minimum */
	double (*f)(const double *x);
};

extern const struct bench_fn bench_branin, bench_hartmann6;

/*
 * A standard normal drawn from (seed, k): window w of evaluation j is
 * k = 3 j + w. Measured performance has relative noise: a window measures
 * the value times (1 + cv e) for the noise level cv.
 */
double bench_gauss(uint64_t seed, uint64_t k);

/*
 * A replayed landscape: windows measured on a grid of two knobs (native
 * values, searched on a log scale). A point is snapped to the nearest
 * grid point in log coordinates; each of its windows is one of that
 * point's recorded windows, picked from (seed, window index); its true
 * value is the median of all its recorded windows.
 */
#define LAND_MAXPTS 64
#define LAND_MAXWIN 16

struct landscape {
	size_t npts;
	double lo[2], hi[2];
	double x[LAND_MAXPTS][2];
	double win[LAND_MAXPTS][LAND_MAXWIN];
	size_t nwin[LAND_MAXPTS];
	double median[LAND_MAXPTS];
	double fmin;
};

/* Reads bench/tuners/landscape-*.tsv; -errno. */
int landscape_load(const char *path, struct landscape *l);
/* The nearest grid point's index. */
size_t landscape_point(const struct landscape *l, const double *x);
/* Window pick k of n for (seed, k), as optuna_tpe.py picks it. */
size_t bench_pick(uint64_t seed, uint64_t k, size_t n);

#endif /* OSTUNE_BENCH_FUNCTIONS_H */
