// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fixed tuner: the same configuration every time. Without options
 * that is the baseline (the host's own values), which measures how much
 * the workload varies by itself; with "knobs" {"NAME": VALUE} or
 * "profile" FILE (as `ostune apply` takes) it is that profile, with the
 * baseline's values for the knobs it does not name: an A/B test.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/textnum.h"
#include "knobs/profile.h"
#include "search/tuner.h"

struct fixed {
	double *x;
	char why[TUNER_WHY_MAX];
};

/* Sets the dimension named name from text; -EINVAL with why. */
static int set_knob(const struct space *s, double *x, const char *name,
		    const char *text, char *why, size_t len)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (strcmp(s->dims[i].name, name))
			continue;
		if (dim_parse(&s->dims[i], text, &x[i]) ||
		    space_check(&(struct space){ &s->dims[i], 1 }, &x[i],
				why, len)) {
			snprintf(why, len, "tuner fixed: %s=%s is not in the space",
				 name, text);
			return -EINVAL;
		}
		return 0;
	}
	snprintf(why, len, "tuner fixed: %s is not a knob of the space", name);
	return -EINVAL;
}

static int load_knobs(const struct space *s, const json_t *options,
		      double *x, char *why, size_t len)
{
	const json_t *knobs = json_object_get(options, "knobs");
	const char *path = json_string_value(json_object_get(options, "profile"));
	struct changeset cs = { 0 };
	const char *name;
	json_t *v;
	size_t i;
	int ret = 0;

	if (path) {
		ret = profile_load(path, &cs, why, len);
		for (i = 0; i < cs.n && !ret; i++)
			ret = set_knob(s, x, cs.items[i].name,
				       cs.items[i].value, why, len);
		changeset_free(&cs);
		return ret;
	}
	json_object_foreach((json_t *)knobs, name, v) {
		char text[64];

		if (json_is_string(v))
			snprintf(text, sizeof(text), "%s", json_string_value(v));
		else if (json_is_number(v))
			format_number(json_number_value(v), text, sizeof(text));
		else
			text[0] = '\0';
		ret = set_knob(s, x, name, text, why, len);
		if (ret)
			return ret;
	}
	return 0;
}

static int fixed_init(struct tuner *t, char *why, size_t len)
{
	const struct tuner_problem *p = t->problem;
	const json_t *options = p->options;
	struct fixed *f = calloc(1, sizeof(*f));
	size_t i;
	int ret;

	if (!f)
		return -ENOMEM;
	f->x = calloc(p->space->n, sizeof(*f->x));
	if (!f->x) {
		free(f);
		return -ENOMEM;
	}
	t->priv = f;
	for (i = 0; i < p->space->n; i++)
		f->x[i] = p->baseline ? p->baseline[i] : NAN;
	ret = load_knobs(p->space, options, f->x, why, len);
	if (ret)
		return ret;
	for (i = 0; i < p->space->n; i++) {
		if (isnan(f->x[i])) {
			snprintf(why, len,
				 "tuner fixed: the host's value of %s is not in the space; give it in \"knobs\"",
				 p->space->dims[i].name);
			return -EINVAL;
		}
	}
	if (json_object_get(options, "profile"))
		snprintf(f->why, sizeof(f->why), "fixed: profile %s",
			 json_string_value(json_object_get(options, "profile")));
	else if (json_object_size(json_object_get(options, "knobs")))
		snprintf(f->why, sizeof(f->why), "fixed: the configured knobs");
	else
		snprintf(f->why, sizeof(f->why), "fixed: the baseline values");
	return 0;
}

static int fixed_suggest(struct tuner *t, const struct tuner_history *h,
			 struct tuner_suggestion *out, size_t n)
{
	const struct fixed *f = t->priv;
	size_t i;

	(void)h;
	for (i = 0; i < n; i++) {
		memcpy(out[i].x, f->x, t->problem->space->n * sizeof(*f->x));
		snprintf(out[i].why, sizeof(out[i].why), "%s", f->why);
	}
	return (int)n;
}

static void fixed_fini(struct tuner *t)
{
	struct fixed *f = t->priv;

	if (f)
		free(f->x);
	free(f);
	t->priv = NULL;
}

static const char *const fixed_options[] = { "knobs", "profile", NULL };

const struct tuner_ops tuner_fixed_ops = {
	.objectives2 = true,
	.name = "fixed",
	.options = fixed_options,
	.summary = "the baseline, or a given profile, every time",
	.init = fixed_init,
	.suggest = fixed_suggest,
	.fini = fixed_fini,
};
