// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Branin (2-D) and Hartmann 6-D, as defined by Dixon and Szego (1978) and
 * listed in Surjanovic and Bingham's "Virtual Library of Simulation
 * Experiments"; their global minima are 0.397887 and -3.32237.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "functions.h"

static double branin(const double *x)
{
	const double a = 1, b = 5.1 / (4 * M_PI * M_PI), c = 5 / M_PI;
	const double r = 6, s = 10, t = 1 / (8 * M_PI);
	double q = x[1] - b * x[0] * x[0] + c * x[0] - r;

	return a * q * q + s * (1 - t) * cos(x[0]) + s;
}

static double hartmann6(const double *x)
{
	static const double alpha[4] = { 1.0, 1.2, 3.0, 3.2 };
	static const double A[4][6] = {
		{ 10, 3, 17, 3.5, 1.7, 8 },
		{ 0.05, 10, 17, 0.1, 8, 14 },
		{ 3, 3.5, 1.7, 10, 17, 8 },
		{ 17, 8, 0.05, 10, 0.1, 14 },
	};
	static const double P[4][6] = {
		{ 0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886 },
		{ 0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991 },
		{ 0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650 },
		{ 0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381 },
	};
	double sum = 0, inner, d;
	int i, j;

	for (i = 0; i < 4; i++) {
		inner = 0;
		for (j = 0; j < 6; j++) {
			d = x[j] - P[i][j];
			inner += A[i][j] * d * d;
		}
		sum += alpha[i] * exp(-inner);
	}
	return -sum;
}

const struct bench_fn bench_branin = {
	"branin", 2, { -5, 0 }, { 10, 15 }, 0.397887357729738, branin,
};

const struct bench_fn bench_hartmann6 = {
	"hartmann6", 6, { 0, 0, 0, 0, 0, 0 }, { 1, 1, 1, 1, 1, 1 },
	-3.32236801141551, hartmann6,
};

/* splitmix64, the same steps as in optuna_tpe.py */
static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

double bench_gauss(uint64_t seed, uint64_t k)
{
	uint64_t st = seed * 1000003ULL + k;
	double u1 = ((splitmix(&st) >> 11) + 1) * 0x1.0p-53;
	double u2 = (splitmix(&st) >> 11) * 0x1.0p-53;

	return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

size_t bench_pick(uint64_t seed, uint64_t k, size_t n)
{
	uint64_t st = seed * 1000003ULL + k + 0x5bd1e995ULL;

	return (size_t)(splitmix(&st) % n);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static size_t find_or_add(struct landscape *l, double a, double b)
{
	size_t i;

	for (i = 0; i < l->npts; i++)
		if (l->x[i][0] == a && l->x[i][1] == b)
			return i;
	if (l->npts == LAND_MAXPTS)
		return LAND_MAXPTS;
	l->x[l->npts][0] = a;
	l->x[l->npts][1] = b;
	return l->npts++;
}

int landscape_load(const char *path, struct landscape *l)
{
	FILE *f = fopen(path, "r");
	char line[256];
	double a, b, v, w[LAND_MAXWIN];
	size_t i, j;

	if (!f)
		return -errno;
	memset(l, 0, sizeof(*l));
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || sscanf(line, "%lf %lf %lf", &a, &b, &v) != 3)
			continue;
		i = find_or_add(l, a, b);
		if (i < LAND_MAXPTS && l->nwin[i] < LAND_MAXWIN)
			l->win[i][l->nwin[i]++] = v;
	}
	fclose(f);
	if (!l->npts)
		return -ENODATA;
	l->fmin = INFINITY;
	for (j = 0; j < 2; j++) {
		l->lo[j] = l->hi[j] = l->x[0][j];
		for (i = 0; i < l->npts; i++) {
			l->lo[j] = fmin(l->lo[j], l->x[i][j]);
			l->hi[j] = fmax(l->hi[j], l->x[i][j]);
		}
	}
	for (i = 0; i < l->npts; i++) {
		size_t n = l->nwin[i];

		memcpy(w, l->win[i], n * sizeof(*w));
		qsort(w, n, sizeof(*w), cmp_double);
		l->median[i] = n % 2 ? w[n / 2] : (w[n / 2 - 1] + w[n / 2]) / 2;
		l->fmin = fmin(l->fmin, l->median[i]);
	}
	return 0;
}

static double log_unit(const struct landscape *l, size_t j, double v)
{
	return log(v / l->lo[j]) / log(l->hi[j] / l->lo[j]);
}

size_t landscape_point(const struct landscape *l, const double *x)
{
	double best = INFINITY, d, e;
	size_t i, j, at = 0;

	for (i = 0; i < l->npts; i++) {
		for (d = 0, j = 0; j < 2; j++) {
			e = log_unit(l, j, x[j]) - log_unit(l, j, l->x[i][j]);
			d += e * e;
		}
		if (d < best) {
			best = d;
			at = i;
		}
	}
	return at;
}
