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
 */
#ifndef OSTUNE_ANCHORS_H
#define OSTUNE_ANCHORS_H

#include <stdbool.h>
#include <stddef.h>

struct anchor {
	double position;	/* mean sequence number of its windows */
	double value;		/* median of its completed windows */
	double spread;		/* stats_spread() of them */
	unsigned int windows;	/* completed windows */
	unsigned int configurations;	/* measured before it, baseline included */
};

struct anchors {
	struct anchor *a;	/* in the order measured */
	size_t n, cap;
};

/* Adds a copy of a (its value must be finite). -ENOMEM, -EINVAL. */
int anchors_add(struct anchors *s, const struct anchor *a);
void anchors_free(struct anchors *s);

/*
 * The baseline at position: linear between the anchors on either side,
 * the nearest one's value beyond them; NaN without anchors.
 */
double anchors_baseline_at(const struct anchors *s, double position);

/* value, measured at position, in the terms of the first anchor. */
double anchors_correct(const struct anchors *s, double value, double position);

/*
 * The drift, relative to the first anchor: of the last one (*last) and
 * the largest departure of any (*largest, signed). false with fewer
 * than two anchors.
 */
bool anchors_drift(const struct anchors *s, double *last, double *largest);

#endif /* OSTUNE_ANCHORS_H */
