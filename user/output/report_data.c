// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The series a report draws, from a run's history (one line per window,
 * a configuration's "result" on its last line) and its config.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/stats.h"
#include "output/report.h"

static double number_or_nan(const json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* {"metric", "goal"}, or a list of one or two of them ("objectives"). */
static int parse_objectives(const json_t *config, struct report_data *d,
			    char *why, size_t len)
{
	const json_t *o = json_object_get(config, "objectives"), *item;
	size_t i;

	if (!o)
		o = json_object_get(config, "objective");
	if (json_is_object(o)) {
		item = o;
		o = NULL;
	} else if (json_is_array(o) && json_array_size(o) >= 1 &&
		   json_array_size(o) <= 2) {
		item = json_array_get(o, 0);
	} else {
		snprintf(why, len, "config.json: no objective");
		return -EINVAL;
	}
	for (i = 0; item; i++) {
		const char *goal = json_string_value(json_object_get(item, "goal"));

		d->objectives[i].metric = json_string_value(json_object_get(item, "metric"));
		if (!d->objectives[i].metric) {
			snprintf(why, len, "config.json: an objective without a metric");
			return -EINVAL;
		}
		d->objectives[i].goal = goal && !strcmp(goal, "maximize") ?
					GOAL_MAXIMIZE : GOAL_MINIMIZE;
		item = o ? json_array_get(o, i + 1) : NULL;
	}
	d->nobjectives = i;
	return 0;
}

static double metric_value(const json_t *line, const char *metric)
{
	return number_or_nan(json_object_get(json_object_get(json_object_get(line,
				"metrics"), metric), "value"));
}

static const char *metric_unit(const json_t *line, const char *metric)
{
	return json_string_value(json_object_get(json_object_get(json_object_get(line,
				 "metrics"), metric), "unit"));
}

/* Median of the second objective over a configuration's counted
 * windows so far: all of them, pooled as the run pools them. */
static double second_median(const struct report_data *d, unsigned int iteration)
{
	const struct report_window *w = d->windows;
	double v[d->nwindows + 1];
	size_t i, n = 0;

	for (i = 0; i < d->nwindows; i++)
		if (w[i].iteration == iteration && !w[i].warmup &&
		    isfinite(w[i].value[1]))
			v[n++] = w[i].value[1];
	return n ? stats_median(v, n) : NAN;
}

/*
 * A configuration's result; one measured again (racing, a baseline
 * anchor) has a later one, for all its windows, which replaces it (its
 * reason stays the one it was first measured for).
 */
static void add_config(struct report_data *d, const json_t *line)
{
	const json_t *result = json_object_get(line, "result");
	unsigned int iteration = json_integer_value(json_object_get(line, "iteration"));
	struct report_config *c = NULL;
	size_t i;

	for (i = 0; i < d->nconfigs && !c; i++)
		if (d->configs[i].iteration == iteration)
			c = &d->configs[i];
	if (!c) {
		c = &d->configs[d->nconfigs++];
		c->iteration = iteration;
		c->baseline = json_is_true(json_object_get(line, "baseline"));
		c->knobs = json_object_get(line, "knobs");
		c->why = json_string_value(json_object_get(line, "why"));
		c->last_window = d->nwindows;
	}

	c->failed = json_is_true(json_object_get(result, "failed"));
	c->noisy = json_is_true(json_object_get(result, "noisy"));
	c->feasible = json_is_true(json_object_get(result, "feasible"));
	c->objective = number_or_nan(json_object_get(result, "objective"));
	c->spread = number_or_nan(json_object_get(result, "spread"));
	c->second = d->nobjectives == 2 ? second_median(d, iteration) : NAN;
}

bool report_config_trusted(const struct report_config *c)
{
	return !c->failed && c->feasible && !c->noisy && isfinite(c->objective);
}

bool report_better(const struct report_data *d, size_t k, double a, double b)
{
	return d->objectives[k].goal == GOAL_MAXIMIZE ? a > b : a < b;
}

/*
 * The best the run reported (summary.json: the verified recommendation
 * when it was verified), else the best trusted one.
 */
static void find_best(const struct run_dir *rd, struct report_data *d)
{
	const json_t *best = json_object_get(rd->summary,
		json_is_object(json_object_get(rd->summary, "verification")) ?
		"recommended" : "best");
	size_t i;

	for (i = 0; i < d->nconfigs; i++) {
		const struct report_config *c = &d->configs[i];

		if (c->baseline && !d->baseline)
			d->baseline = c;
		if (json_is_object(best)) {
			if (c->iteration == json_integer_value(json_object_get(best, "iteration")))
				d->best = c;
		} else if (!rd->summary && report_config_trusted(c) &&
			   (!d->best || report_better(d, 0, c->objective, d->best->objective))) {
			d->best = c;
		}
	}
}

int report_data_build(const struct run_dir *rd, struct report_data *d,
		      char *why, size_t len)
{
	size_t n = rd->history.n, i;
	int ret;

	memset(d, 0, sizeof(*d));
	ret = parse_objectives(rd->config, d, why, len);
	if (ret)
		return ret;
	d->space = json_object_get(rd->config, "space");
	d->windows = calloc(n + 1, sizeof(*d->windows));
	d->configs = calloc(n + 1, sizeof(*d->configs));
	if (!d->windows || !d->configs) {
		report_data_free(d);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		const json_t *line = rd->history.lines[i];
		const char *phase = json_string_value(json_object_get(line, "phase"));
		struct report_window *w = &d->windows[d->nwindows];
		size_t k;

		/* an "apply" line is a configuration the kernel refused;
		 * verification windows are in summary.json's "verification" */
		if ((!phase || strcmp(phase, "apply")) &&
		    !json_is_true(json_object_get(line, "verify"))) {
			w->iteration = json_integer_value(json_object_get(line, "iteration"));
			w->baseline = json_is_true(json_object_get(line, "baseline"));
			w->warmup = !strcmp(phase ? phase : "", "warmup");
			w->ok = json_is_true(json_object_get(line, "ok"));
			for (k = 0; k < 2; k++)
				w->value[k] = k < d->nobjectives && w->ok ?
					      metric_value(line, d->objectives[k].metric) : NAN;
			if (!d->unit)
				d->unit = metric_unit(line, d->objectives[0].metric);
			if (!d->unit2 && d->nobjectives == 2)
				d->unit2 = metric_unit(line, d->objectives[1].metric);
			d->nwindows++;
		}
		if (json_object_get(line, "result"))
			add_config(d, line);
	}
	if (!d->unit)
		d->unit = "";
	if (!d->unit2)
		d->unit2 = "";
	snprintf(d->ylabel, sizeof(d->ylabel), "%s%s%s%s", d->objectives[0].metric,
		 d->unit[0] ? " (" : "", d->unit, d->unit[0] ? ")" : "");
	find_best(rd, d);
	return 0;
}

void report_data_free(struct report_data *d)
{
	free(d->windows);
	free(d->configs);
	d->windows = NULL;
	d->configs = NULL;
}
