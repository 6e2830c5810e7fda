// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Baseline anchors and the drift correction (anchors.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "tune/anchors.h"

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
	return 0;
}

void anchors_free(struct anchors *s)
{
	free(s->a);
	s->a = NULL;
	s->n = 0;
	s->cap = 0;
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

	if (!isfinite(now) || !isfinite(value))
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
