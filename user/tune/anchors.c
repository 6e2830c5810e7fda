// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Baseline anchors and the drift correction (anchors.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tune/anchors.h"

/* The relative variance of a median of w windows of relative variance v. */
static double median_var(double v, unsigned int w)
{
	return w <= 2 ? v / (w ? w : 1) : v * M_PI / 2 / w;
}

double anchors_noise(const struct anchors *s)
{
	double scale, pooled = 0, sum = 0, d;
	unsigned int df = 0;
	size_t i;

	if (s->n < 2)
		return NAN;
	scale = s->a[0].value ? fabs(s->a[0].value) : 1;
	for (i = 0; i < s->n; i++) {
		if (s->a[i].windows < 2 || !isfinite(s->a[i].spread))
			continue;
		pooled += s->a[i].spread * s->a[i].spread * (s->a[i].windows - 1);
		df += s->a[i].windows - 1;
	}
	if (df) {
		/* the windows' pooled variance, as each anchor's median carries it */
		pooled /= df;
		for (i = 0; i < s->n; i++)
			sum += median_var(pooled, s->a[i].windows);
		return 2 * sqrt(2 * sum / (double)s->n);
	}
	for (i = 1; i < s->n; i++) {
		d = (s->a[i].value - s->a[i - 1].value) / scale;
		sum += d * d;
	}
	/* E (a_i - a_(i-1))^2 = 2 var: the variance of a departure itself */
	return 2 * sqrt(sum / (double)(s->n - 1));
}

/* The drift is corrected when the anchors show more than their noise. */
static void decide(struct anchors *s)
{
	double last;

	s->drift = 0;
	if (s->n >= 2)
		anchors_drift(s, &last, &s->drift);
	s->drift = fabs(s->drift);
	s->noise = anchors_noise(s);
	s->corrected = s->windows >= ANCHORS_MIN_WINDOWS &&
		       !(s->noise > s->drift);
}

int anchors_add(struct anchors *s, const struct anchor *a)
{
	if (!isfinite(a->value) || !isfinite(a->position))
		return -EINVAL;
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 8;
		struct anchor *grown = realloc(s->a, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		s->a = grown;
		s->cap = cap;
	}
	s->a[s->n++] = *a;
	s->windows += a->windows;
	decide(s);
	return 0;
}

void anchors_free(struct anchors *s)
{
	free(s->a);
	memset(s, 0, sizeof(*s));
}

double anchors_baseline_at(const struct anchors *s, double position)
{
	const struct anchor *lo, *hi;
	size_t i;

	if (!s->n)
		return NAN;
	if (position <= s->a[0].position)
		return s->a[0].value;
	for (i = 1; i < s->n; i++) {
		lo = &s->a[i - 1];
		hi = &s->a[i];
		if (position <= hi->position)
			return hi->position == lo->position ? hi->value :
			       lo->value + (hi->value - lo->value) *
			       (position - lo->position) /
			       (hi->position - lo->position);
	}
	return s->a[s->n - 1].value;
}

double anchors_correct(const struct anchors *s, double value, double position)
{
	double now = anchors_baseline_at(s, position);
	double first = s->n ? s->a[0].value : NAN;

	if (!s->corrected || !isfinite(now) || !isfinite(value))
		return value;
	/* Performance metrics drift in proportion; only a metric that is
	 * not positive (a temperature offset, a score) is shifted instead. */
	if (first > 0 && now > 0)
		return value * first / now;
	return value + first - now;
}

bool anchors_drift(const struct anchors *s, double *last, double *largest)
{
	double first, d;
	size_t i;

	if (s->n < 2)
		return false;
	first = s->a[0].value;
	*largest = 0;
	for (i = 1; i < s->n; i++) {
		d = first ? (s->a[i].value - first) / fabs(first) :
		    s->a[i].value - first;
		if (fabs(d) > fabs(*largest))
			*largest = d;
	}
	*last = first ? (s->a[s->n - 1].value - first) / fabs(first) :
		s->a[s->n - 1].value - first;
	return true;
}
