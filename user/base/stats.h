/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The few statistics the loop needs over a configuration's windows.
 */
#ifndef OSTUNE_STATS_H
#define OSTUNE_STATS_H

#include <stddef.h>

/* Median of the finite values of v (reordered); NaN when there are none. */
double stats_median(double *v, size_t n);
/*
 * Relative spread of the finite values (reordered): 1.4826 * the median
 * absolute deviation / |median|, a robust relative standard deviation;
 * 0 for one value, NaN for none, +inf when the median is 0 and they differ.
 */
double stats_spread(double *v, size_t n);

#endif /* OSTUNE_STATS_H */
