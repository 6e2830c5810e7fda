/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Baseline anchors: the host's own values measured again every few
 * configurations (and when a run resumes), so that a host that drifts
 * over a long run (thermal state, a background job that came or went)
 * does not pass its drift off as a configuration's effect. A window
 * measured between two anchors is compared with the baseline
 * interpolated between them, and its value restated in the terms of the
 * first anchor: scaled by first / baseline-then (or shifted by the
 * difference when either is not positive).
 *
 * Positions are window sequence numbers (a window's place among the
 * run's windows, warm-ups included), which a resumed run rebuilds from
 * its history, so the correction comes out the same.
 *
 * A correction is only as good as the anchors: each is a few windows of
 * a noisy metric, and restating every configuration by the difference
 * of two anchors adds their noise to all of them (anchors of one window
 * each made a noisy p99 worse, not better). So the drift is corrected
 * only when the anchors show more drift than their own noise explains:
 * with at least ANCHORS_MIN_WINDOWS windows among them, a noise estimate,
 * and the largest departure from the first anchor beyond what the noise
 * lets the largest of n - 1 departures reach (anchors_noise()), or the
 * line through the anchors beyond what it lets a line's change reach,
 * each test at half ANCHORS_ALPHA. Otherwise
 * windows are scored as measured, and the report says why (why).
 */
#ifndef OSTUNE_ANCHORS_H
#define OSTUNE_ANCHORS_H

#include <stdbool.h>
#include <stddef.h>

struct anchor {
	double position;	/* mean sequence number of its windows */
	double value;		/* median of its completed windows */
	double spread;		/* relative SD of them (results.c: anchor_spread()) */
	unsigned int windows;	/* completed windows */
	unsigned int configurations;	/* measured before it, baseline included */
};

/* Fewer windows among the anchors than this: no correction. */
#define ANCHORS_MIN_WINDOWS 3
/* The chance that a steady host's drift is corrected (about; two-sided). */
#define ANCHORS_ALPHA 0.05
/* Anchors without a spread of their own: their values' noise from this many. */
#define ANCHORS_MIN_SUCCESSIVE 4

/* Why the drift is (not) corrected; anchors_why_name() for summary.json. */
enum anchors_why {
	ANCHORS_CORRECTED,
	ANCHORS_FEW_WINDOWS,	/* fewer than ANCHORS_MIN_WINDOWS windows */
	ANCHORS_FEW_ANCHORS,	/* no noise estimate: see anchors_noise() */
	ANCHORS_NOISE,		/* the largest departure within the noise */
};

struct anchors {
	struct anchor *a;	/* in the order measured */
	size_t n, cap;
	/*
	 * Decided by anchors_add() from all of them: is the drift corrected?
	 * noise: anchors_noise(), relative to the first anchor (NaN when
	 * there is no estimate);
	 * drift: the largest departure, relative (0 with one anchor).
	 */
	bool corrected;
	enum anchors_why why;
	double noise, drift;
	unsigned int windows;	/* theirs, all together */
};

/*
 * Adds a copy of a (its value must be finite) and decides again whether
 * the drift is corrected. -ENOMEM, -EINVAL.
 */
int anchors_add(struct anchors *s, const struct anchor *a);
void anchors_free(struct anchors *s);

/*
 * The baseline at position: linear between the anchors on either side,
 * the nearest one's value beyond them; NaN without anchors.
 */
double anchors_baseline_at(const struct anchors *s, double position);

/*
 * value, measured at position, in the terms of the first anchor; value
 * itself when the drift is not corrected (s->corrected).
 */
double anchors_correct(const struct anchors *s, double value, double position);

/*
 * How far the largest departure from the first anchor (relative to the
 * first) may go by noise alone: t(1 - a / 2 / (n - 1), df) standard
 * errors of a departure, Bonferroni over the n - 1 departures, Student's
 * t for an error estimated with df degrees of freedom. a is
 * ANCHORS_ALPHA, halved from 3 anchors on, when the drift is also
 * corrected if the least-squares line through the anchors changes over
 * their span by more than t(1 - a / 2, df) of its standard errors (a
 * slow drift moves each anchor a little, which the line weighs all
 * together): so a steady host is corrected in ANCHORS_ALPHA of runs at
 * most, about. The standard error: from the anchors' own windows (their
 * pooled relative spread, each anchor a median of its windows; df their
 * windows less one each) when some have two or more and they are not
 * all alike; from the anchors' values (half the mean squared successive
 * difference, which a slow drift hardly raises; df n - 1) with at least
 * ANCHORS_MIN_SUCCESSIVE anchors; the larger of the two when both (df
 * both's). NaN without an estimate.
 */
double anchors_noise(const struct anchors *s);

/* "corrected", "windows", "anchors", "noise" (summary.json's word). */
const char *anchors_why_name(enum anchors_why why);

/*
 * An anchor's spread: the SD of the finite values of v (n - 1 in the
 * variance, unbiased however few) relative to |center|. Not the MAD
 * (stats_spread()): from the three windows an anchor usually has, it
 * is biased low, 0 whenever two agree, and the pooled variance of the
 * anchors' windows is what the drift is weighed against. NaN with fewer
 * than two; infinite when center is 0.
 */
double anchors_spread(const double *v, size_t n, double center);

/*
 * The drift, relative to the first anchor: of the last one (*last) and
 * the largest departure of any (*largest, signed). false with fewer
 * than two anchors.
 */
bool anchors_drift(const struct anchors *s, double *last, double *largest);

#endif /* OSTUNE_ANCHORS_H */
