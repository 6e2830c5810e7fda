// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Baseline anchors and the drift correction (anchors.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "tune/anchors.h"

/* The relative variance of a median of w windows of relative variance v. */
static double median_var(double v, unsigned int w)
{
	return w <= 2 ? v / (w ? w : 1) : v * M_PI / 2 / w;
}

/*
 * The standard error of a departure from the anchors' own windows: their
 * pooled relative variance, each anchor a median of its windows. NaN when
 * no anchor has two windows, or when they all agree to the last digit (a
 * quantised metric): a spread of 0 is no evidence that the anchors are
 * exact, and would let any departure through.
 */
static double within_se(const struct anchors *s, double *df_out)
{
	double pooled = 0, sum = 0;
	unsigned int df = 0;
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (s->a[i].windows < 2 || !isfinite(s->a[i].spread))
			continue;
		pooled += s->a[i].spread * s->a[i].spread * (s->a[i].windows - 1);
		df += s->a[i].windows - 1;
	}
	if (!df || !(pooled > 0))
		return NAN;
	*df_out = df;
	pooled /= df;
	for (i = 0; i < s->n; i++)
		sum += median_var(pooled, s->a[i].windows);
	/* a departure is the difference of two anchors' medians */
	return sqrt(2 * sum / (double)s->n);
}

/*
 * The standard error of a departure from the anchors' values: the mean
 * squared successive difference is twice an anchor's variance, which a
 * slow drift hardly raises; a departure has twice that variance too.
 * Only from ANCHORS_MIN_SUCCESSIVE anchors: with three, the largest
 * departure can never exceed twice it (Cauchy-Schwarz).
 */
static double successive_se(const struct anchors *s, double *df)
{
	double scale, sum = 0, d;
	size_t i;

	if (s->n < ANCHORS_MIN_SUCCESSIVE)
		return NAN;
	scale = s->a[0].value ? fabs(s->a[0].value) : 1;
	for (i = 1; i < s->n; i++) {
		d = (s->a[i].value - s->a[i - 1].value) / scale;
		sum += d * d;
	}
	/* its degrees of freedom, about: fewer than n - 1, the differences
	 * overlap, but a drift's share in them makes up for it */
	*df = (double)(s->n - 1);
	return sqrt(sum / (double)(s->n - 1));
}

/*
 * The standard error of a departure (within_se(), successive_se()) and
 * the degrees of freedom of its estimate into *df.
 */
static double departure_se(const struct anchors *s, double *df)
{
	double w, m, dw = 0, dm = 0;

	if (s->n < 2)
		return NAN;
	w = within_se(s, &dw);
	m = successive_se(s, &dm);
	/*
	 * both: the larger, so that neither a drift between the anchors nor
	 * their windows' noise is taken for the other; the larger of two
	 * estimates of one variance errs less often low than either, so it
	 * counts the freedoms of both
	 */
	*df = isnan(w) ? dm : isnan(m) ? dw : dw + dm;
	return isnan(w) ? m : isnan(m) ? w : fmax(w, m);
}

/* The upper p quantile of a standard error estimated with df: Student's t. */
static double quantile(double p, double df)
{
	return gsl_cdf_tdist_Qinv(p, df);
}

/*
 * The two-sided level of each of the two tests (the largest departure,
 * the trend): they share ANCHORS_ALPHA from 3 anchors on, when there is
 * a trend to test apart from the one departure.
 */
static double test_alpha(const struct anchors *s)
{
	return s->n >= 3 ? ANCHORS_ALPHA / 2 : ANCHORS_ALPHA;
}

double anchors_noise(const struct anchors *s)
{
	double df, se = departure_se(s, &df);

	/* the largest of n - 1 departures is tested: Bonferroni over them */
	return isnan(se) ? NAN :
	       quantile(test_alpha(s) / 2 / (double)(s->n - 1), df) * se;
}

/*
 * The trend: the least-squares line through the anchors (relative to the
 * first), its change from the first anchor's position to the last's into
 * *change, and what noise alone lets that change reach into *noise. A
 * slow drift moves every anchor a little, which the largest departure
 * weighs alone; the line weighs them all. false with fewer than 3.
 */
static bool trend(const struct anchors *s, double *change, double *noise)
{
	double df, se = departure_se(s, &df);
	double scale, mx = 0, my = 0, sxx = 0, sxy = 0, span, dx;
	size_t i;

	if (s->n < 3 || isnan(se))
		return false;
	scale = s->a[0].value ? fabs(s->a[0].value) : 1;
	for (i = 0; i < s->n; i++) {
		mx += s->a[i].position / (double)s->n;
		my += s->a[i].value / scale / (double)s->n;
	}
	for (i = 0; i < s->n; i++) {
		dx = s->a[i].position - mx;
		sxx += dx * dx;
		sxy += dx * (s->a[i].value / scale - my);
	}
	span = s->a[s->n - 1].position - s->a[0].position;
	if (!(sxx > 0) || !(span > 0))
		return false;
	*change = sxy / sxx * span;
	/* an anchor's own SE is a departure's over sqrt(2) */
	*noise = quantile(test_alpha(s) / 2, df) * se / M_SQRT2 * span / sqrt(sxx);
	return true;
}

/* The drift is corrected when the anchors show more than their noise. */
static void decide(struct anchors *s)
{
	double last, change = 0, noise = NAN;
	bool sloped;

	s->drift = 0;
	if (s->n >= 2)
		anchors_drift(s, &last, &s->drift);
	s->drift = fabs(s->drift);
	s->noise = anchors_noise(s);
	sloped = trend(s, &change, &noise) && fabs(change) > noise;
	if (s->windows < ANCHORS_MIN_WINDOWS)
		s->why = ANCHORS_FEW_WINDOWS;
	else if (isnan(s->noise))
		s->why = ANCHORS_FEW_ANCHORS;
	else if (!(s->drift > s->noise) && !sloped)
		s->why = ANCHORS_NOISE;
	else
		s->why = ANCHORS_CORRECTED;
	s->corrected = s->why == ANCHORS_CORRECTED;
}

const char *anchors_why_name(enum anchors_why why)
{
	static const char *const names[] = {
		[ANCHORS_CORRECTED] = "corrected", [ANCHORS_FEW_WINDOWS] = "windows",
		[ANCHORS_FEW_ANCHORS] = "anchors", [ANCHORS_NOISE] = "noise",
	};

	return names[why];
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

double anchors_spread(const double *v, size_t n, double center)
{
	double mean = 0, ss = 0;
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		if (isfinite(v[i])) {
			mean += v[i];
			m++;
		}
	if (m < 2 || !center)
		return m < 2 ? NAN : INFINITY;
	mean /= (double)m;
	for (i = 0; i < n; i++)
		if (isfinite(v[i]))
			ss += (v[i] - mean) * (v[i] - mean);
	return sqrt(ss / (double)(m - 1)) / fabs(center);
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
