// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --resume DIR: the results so far, rebuilt from history.jsonl. A
 * configuration is complete when its last line carries "result"; lines
 * after the last complete one belong to a configuration that was cut
 * short, and are dropped from the file, since that configuration is
 * measured again (the tuner, being deterministic, suggests it again).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tune/tune_run.h"

static double num(const json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static int rebuild_obs(struct tune_run *run, const json_t *line)
{
	const struct tune_config *cfg = &run->cfg;
	const json_t *result = json_object_get(line, "result");
	const json_t *knobs = json_object_get(line, "knobs");
	const json_t *cons = json_object_get(result, "constraints");
	struct tune_obs *o = results_add(&run->results, cfg->space.n,
					 cfg->nconstraints);
	const char *error = json_string_value(json_object_get(line, "error"));
	size_t i;

	if (!o)
		return -ENOMEM;
	o->iteration = (unsigned int)json_integer_value(json_object_get(line, "iteration"));
	o->o.baseline = json_is_true(json_object_get(line, "baseline"));
	snprintf(o->why, sizeof(o->why), "%s",
		 json_string_value(json_object_get(line, "why")) ?: "");
	if (json_is_object(knobs))
		json_object_update(o->knobs, (json_t *)knobs);
	for (i = 0; i < cfg->space.n; i++) {
		const char *text = json_string_value(json_object_get(knobs,
						cfg->space.dims[i].name));

		if (!text || dim_parse(&cfg->space.dims[i], text, &o->x[i]))
			o->x[i] = NAN;
	}
	o->o.objectives[0] = num(json_object_get(result, "objective"));
	o->o.spread = num(json_object_get(result, "spread"));
	o->o.windows = (unsigned int)json_integer_value(json_object_get(result, "windows"));
	o->failed_windows = (unsigned int)json_integer_value(json_object_get(result, "failed_windows"));
	o->o.feasible = json_is_true(json_object_get(result, "feasible"));
	o->o.noisy = json_is_true(json_object_get(result, "noisy"));
	o->o.failed = json_is_true(json_object_get(result, "failed"));
	o->overhead_ms = num(json_object_get(result, "loop_overhead_ms"));
	if (o->o.failed && error)
		snprintf(o->error, sizeof(o->error), "%s", error);
	for (i = 0; i < cfg->nconstraints; i++)
		o->constraint_values[i] = num(json_object_get(cons,
						cfg->constraints[i].metric));
	return 0;
}

/* Window counts and ostune's CPU share, as the run had them. */
static void count_window(struct tune_run *run, const json_t *line)
{
	double cpu = num(json_object_get(line, "ostune_cpu_s"));
	double secs = num(json_object_get(line, "seconds"));
	const char *phase = json_string_value(json_object_get(line, "phase"));

	if (phase && !strcmp(phase, "apply"))
		return;
	run->results.windows++;
	if (!json_is_true(json_object_get(line, "ok")))
		run->results.failed_windows++;
	if (secs > 0 && isfinite(cpu))
		results_add_cpu_share(&run->results, cpu / secs);
}

int tune_resume_history(struct tune_run *run, char *why, size_t len)
{
	struct history_lines h;
	char path[700];
	size_t i, complete = 0;
	int torn, ret;

	snprintf(path, sizeof(path), "%s/history.jsonl", run->dir);
	ret = history_load(path, &h, &torn, why, len);
	if (ret)
		return ret;
	for (i = 0; i < h.n; i++)
		if (json_object_get(h.lines[i], "result"))
			complete = i + 1;
	for (i = 0; i < complete && !ret; i++) {
		unsigned int it = (unsigned int)json_integer_value(
			json_object_get(h.lines[i], "iteration"));

		count_window(run, h.lines[i]);
		if (it >= run->next_iteration)
			run->next_iteration = it + 1;
		if (json_object_get(h.lines[i], "result"))
			ret = rebuild_obs(run, h.lines[i]);
	}
	if (!ret && run->results.n && !run->results.obs[0].o.baseline) {
		snprintf(why, len, "%s: the first configuration is not the baseline", path);
		ret = -EINVAL;
	}
	if (!ret && (complete < h.n || torn))
		ret = history_rewrite(path, &h, complete);
	history_lines_free(&h);
	return ret;
}
