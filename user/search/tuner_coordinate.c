// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The coordinate tuner: one knob at a time from the best configuration so
 * far (the baseline to begin with), a compass search with a step per knob.
 * A numeric knob is tried a step up, then a step down; a move that wins
 * doubles that knob's step (up to half the range), none halves it. A
 * categorical knob tries each of its other values. Then the next knob. A
 * move wins only when it beats the best by more than the measurements'
 * own spread, so a lucky window does not lead the search astray. The
 * tuner is done when every step is below "min_step" (default 1/64 of the
 * range) and a whole round found nothing better. Good for a few knobs.
 *
 * Steps are in ucube.h's coordinates: fractions of the (log) range.
 *
 * Stateless: the search is replayed over the history on every call (each
 * observation answers the probe that was pending), then goes on.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/tuner.h"
#include "search/ucube.h"

#define FIRST_STEP	0.25
#define MAX_STEP	0.5

struct search {
	size_t n;
	bool started;		/* there is an incumbent */
	double *best;		/* its coordinates */
	double score, spread;
	double *step;		/* per knob */
	double min_step;
	size_t knob;		/* the knob being tried */
	size_t move;		/* numeric: 0 up, 1 down; categorical: value */
	size_t idle;		/* knobs tried in a row without a win */
	double *probe;		/* pending probe */
};

static void coordinate_fini(struct tuner *t)
{
	struct search *s = t->priv;

	if (s) {
		free(s->best);
		free(s->step);
		free(s->probe);
	}
	free(s);
	t->priv = NULL;
}

static int coordinate_init(struct tuner *t, char *why, size_t len)
{
	const json_t *ms = json_object_get(t->problem->options, "min_step");
	size_t n = t->problem->space->n;
	struct search *s;

	if (ms && (!json_is_number(ms) || !(json_number_value(ms) > 0) ||
		   json_number_value(ms) > MAX_STEP)) {
		snprintf(why, len, "tuner coordinate: \"min_step\" is a fraction of a knob's range, above 0 and at most 0.5");
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	t->priv = s;
	s->n = n;
	s->min_step = ms ? json_number_value(ms) : 1.0 / 64;
	s->best = calloc(n + 1, sizeof(*s->best));
	s->step = calloc(n + 1, sizeof(*s->step));
	s->probe = calloc(n + 1, sizeof(*s->probe));
	return s->best && s->step && s->probe ? 0 : -ENOMEM;
}

static void restart(struct search *s)
{
	size_t i;

	s->started = false;
	s->knob = s->move = s->idle = 0;
	for (i = 0; i < s->n; i++)
		s->step[i] = FIRST_STEP;
}

static bool exhausted(const struct tuner *t, const struct search *s)
{
	size_t i;

	if (s->idle < s->n)
		return false;
	for (i = 0; i < s->n; i++)
		if (!ucube_is_cat(t->problem->space, i) &&
		    s->step[i] >= s->min_step)
			return false;
	return true;
}

/* Done with the current knob: on to the next. */
static void next_knob(struct search *s, bool won)
{
	s->idle = won ? 0 : s->idle + 1;
	s->knob = (s->knob + 1) % s->n;
	s->move = 0;
}

/*
 * The pending probe into s->probe: the current knob's current move,
 * skipping moves that would not change the point (at a bound, a rounded
 * integer, the incumbent's own category). False when the search is over.
 */
static bool pending(const struct tuner *t, struct search *s)
{
	const struct space *sp = t->problem->space;
	size_t guard;

	/* each knob has at most max(2, nvalues) moves; bound the walk */
	for (guard = 0; guard < 64 * (s->n + 1); guard++) {
		const struct dim *d = &sp->dims[s->knob];
		size_t k = s->knob;
		size_t nmoves = d->type == DIM_CATEGORICAL ? d->nvalues : 2;

		if (exhausted(t, s))
			return false;
		if (s->move >= nmoves) {
			if (d->type != DIM_CATEGORICAL)
				s->step[k] /= 2;
			next_knob(s, false);
			continue;
		}
		memcpy(s->probe, s->best, s->n * sizeof(*s->probe));
		if (d->type == DIM_CATEGORICAL)
			s->probe[k] = s->move;
		else
			s->probe[k] += s->move ? -s->step[k] : s->step[k];
		ucube_project(sp, s->probe);
		if (s->probe[k] != s->best[k])
			return true;
		s->move++;
	}
	return false;
}

/* The probe was measured: score (lower is better) and spread. */
static void answer(struct search *s, const double *u, double score,
		   double spread)
{
	double margin = fmax(spread, s->spread) * fabs(s->score);

	if (!s->started) {
		memcpy(s->best, u, s->n * sizeof(*u));
		s->score = score;
		s->spread = spread;
		s->started = true;
		return;
	}
	if (score < s->score - (isfinite(margin) ? margin : 0)) {
		memcpy(s->best, u, s->n * sizeof(*u));
		s->score = score;
		s->spread = spread;
		if (s->step[s->knob] * 2 <= MAX_STEP)
			s->step[s->knob] *= 2;
		next_knob(s, true);
		return;
	}
	s->move++;
}

/* The starting point when the history has none: the host's, or the middle. */
static void origin(const struct tuner *t, double *u)
{
	const struct tuner_problem *p = t->problem;
	size_t i;

	for (i = 0; i < p->space->n; i++)
		u[i] = ucube_is_cat(p->space, i) ? 0 : 0.5;
	if (p->baseline) {
		for (i = 0; i < p->space->n; i++)
			if (!isfinite(p->baseline[i]))
				break;
		if (i == p->space->n)
			ucube_from_point(p->space, p->baseline, u);
	}
	ucube_project(p->space, u);
}

static int coordinate_suggest(struct tuner *t, const struct tuner_history *h,
			      struct tuner_suggestion *out, size_t n)
{
	const struct space *sp = t->problem->space;
	struct search *s = t->priv;
	double u[sp->n ? sp->n : 1], spread;
	size_t i, j;
	bool ok;

	if (!n)
		return 0;
	restart(s);
	for (i = 0; i < h->n; i++) {
		const struct tuner_observation *o = &h->obs[i];

		for (ok = true, j = 0; j < sp->n; j++)
			ok = ok && isfinite(o->x[j]);
		/*
		 * The baseline starts the search, unless it lies outside the
		 * space; a repeated baseline answers no probe.
		 */
		if (!ok || (s->started && o->baseline))
			continue;
		if (s->started && !o->baseline && !pending(t, s))
			break;
		ucube_from_point(sp, o->x, u);
		spread = isfinite(o->spread) ? o->spread : 0;
		answer(s, u, tuner_obs_score(t->problem, o, 0), spread);
	}
	if (!s->started) {
		origin(t, u);
		ucube_to_point(sp, u, out[0].x);
		snprintf(out[0].why, sizeof(out[0].why),
			 "coordinate: the starting point");
		return 1;
	}
	if (!pending(t, s))
		return 0;
	ucube_to_point(sp, s->probe, out[0].x);
	if (ucube_is_cat(sp, s->knob))
		snprintf(out[0].why, sizeof(out[0].why),
			 "coordinate: %s, value %zu of %zu",
			 sp->dims[s->knob].name, s->move + 1,
			 sp->dims[s->knob].nvalues);
	else
		snprintf(out[0].why, sizeof(out[0].why),
			 "coordinate: %s %s by %.3g of its range",
			 sp->dims[s->knob].name, s->move ? "down" : "up",
			 s->step[s->knob]);
	return 1;
}

static const char *const coordinate_options[] = { "min_step", NULL };

const struct tuner_ops tuner_coordinate_ops = {
	.name = "coordinate",
	.options = coordinate_options,
	.summary = "one knob at a time from the best so far, adaptive steps",
	.init = coordinate_init,
	.suggest = coordinate_suggest,
	.fini = coordinate_fini,
};
