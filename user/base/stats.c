// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Median and spread. The spread is the median absolute deviation, scaled
 * to match a standard deviation for normal noise, relative to the median:
 * like the median it ignores an outlier window (a background job's burst)
 * that a range or a standard deviation would let mark the whole
 * configuration noisy.
 */
#include <math.h>
#include <stdlib.h>

#include "base/stats.h"

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Moves the finite values to the front, sorted; returns how many. */
static size_t finite_sorted(double *v, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (isfinite(v[i]))
			v[k++] = v[i];
	qsort(v, k, sizeof(*v), by_value);
	return k;
}

double stats_median(double *v, size_t n)
{
	size_t k = finite_sorted(v, n);

	if (!k)
		return NAN;
	return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
}

/* MAD * 1.4826 estimates sigma for normally distributed values. */
#define MAD_TO_SIGMA	1.4826

double stats_spread(double *v, size_t n)
{
	double median = stats_median(v, n);
	size_t k = finite_sorted(v, n), i;
	double mad;

	if (!k)
		return NAN;
	for (i = 0; i < k; i++)
		v[i] = fabs(v[i] - median);
	mad = stats_median(v, k);
	if (mad == 0)
		return 0;
	if (median == 0)
		return INFINITY;
	return MAD_TO_SIGMA * mad / fabs(median);
}
