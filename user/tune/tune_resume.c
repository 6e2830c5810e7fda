// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --resume DIR: the results so far, rebuilt from history.jsonl. A block
 * of windows is complete when its last line carries "result"; lines
 * after the last complete block belong to one that was cut short, and
 * are dropped from the file, since that block is measured again (the
 * tuner, being deterministic, suggests it again). Every counted window
 * goes back into its configuration's pool and every block of the
 * baseline's is an anchor again, so the results are judged as the run
 * judged them (pool.h, anchors.h), not read from its "result" lines.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tune/tune_run.h"

static double num(const json_t *v)
{
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *text(const json_t *line, const char *key)
{
	return json_string_value(json_object_get(line, key));
}

/* The entry of iteration it, made from line when it is new; -1: ENOMEM. */
static long entry_of(struct tune_run *run, const json_t *line)
{
	const struct tune_config *cfg = &run->cfg;
	const json_t *knobs = json_object_get(line, "knobs");
	unsigned int it = (unsigned int)json_integer_value(json_object_get(line, "iteration"));
	struct tune_obs *o;
	size_t i;

	for (i = 0; i < run->results.n; i++)
		if (run->results.obs[i].iteration == it)
			return (long)i;
	o = results_add(&run->results, cfg->space.n, cfg->nconstraints);
	if (!o)
		return -1;
	o->iteration = it;
	o->o.baseline = json_is_true(json_object_get(line, "baseline"));
	snprintf(o->why, sizeof(o->why), "%s", text(line, "why") ?: "");
	if (json_is_object(knobs))
		json_object_update(o->knobs, (json_t *)knobs);
	for (i = 0; i < cfg->space.n; i++) {
		const char *v = json_string_value(json_object_get(knobs,
						cfg->space.dims[i].name));

		if (!v || dim_parse(&cfg->space.dims[i], v, &o->x[i]))
			o->x[i] = NAN;
	}
	return (long)(run->results.n - 1);
}

static double metric(const json_t *line, const char *name)
{
	return num(json_object_get(json_object_get(json_object_get(line, "metrics"),
						   name), "value"));
}

/*
 * A window of a load phase into the phase's pool; the last phase's ends
 * the round, scored when its block closes (results_close_block()).
 * -EINVAL for a phase the config does not have.
 */
static int replay_phase_window(struct tune_run *run, struct tune_obs *o,
			       const json_t *line, unsigned int seq,
			       const double *cons)
{
	const char *name = text(line, "load_phase");
	size_t nc = run->cfg.nconstraints, p;
	bool ok = json_is_true(json_object_get(line, "ok"));
	int ret;

	for (p = 0; p < run->results.nphases; p++)
		if (name && !strcmp(name, tune_phase_name(run, p)))
			break;
	if (p == run->results.nphases)
		return -EINVAL;
	ret = pool_add(&o->phase_pool[p], nc,
		       ok ? metric(line, run->cfg.objective.metric) : NAN,
		       json_is_true(json_object_get(line, "timed_out")), seq, cons);
	if (ret || p + 1 < run->results.nphases)
		return ret;
	return pool_add(&o->pool, nc, NAN, false, seq, NULL);
}

/* One window line back into its entry's pool, as run_window() had it. */
static int replay_window(struct tune_run *run, struct tune_obs *o,
			 const json_t *line, const char *phase, double *cons)
{
	const struct tune_config *cfg = &run->cfg;
	double cpu = num(json_object_get(line, "ostune_cpu_s"));
	double secs = num(json_object_get(line, "seconds"));
	bool ok = json_is_true(json_object_get(line, "ok"));
	bool timed_out = json_is_true(json_object_get(line, "timed_out"));
	unsigned int seq = run->results.windows++;
	size_t k;

	if (secs > 0 && isfinite(cpu) && results_add_cpu_share(&run->results, cpu / secs))
		return -ENOMEM;
	if (!ok) {
		run->results.failed_windows++;
		run->results.timed_out_windows += timed_out;
		o->failed_windows++;
		snprintf(o->error, sizeof(o->error), "%s", text(line, "error") ?: "");
	}
	if (!strcmp(phase, "warmup"))
		return 0;
	/* as run_window(): a failed window has no value on any objective */
	for (k = 0; k < cfg->nconstraints; k++)
		cons[k] = ok ? metric(line, cfg->constraints[k].metric) : NAN;
	if (run->results.nphases)
		return replay_phase_window(run, o, line, seq, cons);
	return pool_add(&o->pool, cfg->nconstraints,
			ok ? metric(line, cfg->objective.metric) : NAN,
			timed_out, seq, cons);
}

/* Lines [0, complete) into run->results, block by block. */
static int replay(struct tune_run *run, const struct history_lines *h,
		  size_t complete)
{
	double *cons = calloc(run->cfg.nconstraints + 1, sizeof(*cons));
	size_t i, from = 0;
	long idx, open = -1;
	int ret = cons ? 0 : -ENOMEM;

	for (i = 0; i < complete && !ret; i++) {
		const json_t *line = h->lines[i];
		const char *phase = text(line, "phase") ?: "";
		unsigned int it = (unsigned int)json_integer_value(
			json_object_get(line, "iteration"));
		struct tune_obs *o;

		if (it >= run->next_iteration)
			run->next_iteration = it + 1;
		idx = entry_of(run, line);
		if (idx < 0) {
			ret = -ENOMEM;
			break;
		}
		o = &run->results.obs[idx];
		if (open != idx) {
			open = idx;
			from = o->pool.n;
		}
		/* refused: a configuration, or only an anchor (tune_measure.c) */
		if (!strcmp(phase, "apply") && o->o.baseline && o->batches) {
			run->results.anchors_failed++;
		} else if (!strcmp(phase, "apply")) {
			o->refused = true;
			o->o.failed = true;
			snprintf(o->error, sizeof(o->error), "%s", text(line, "error") ?: "");
		} else {
			ret = replay_window(run, o, line, phase, cons);
		}
		if (!ret && json_object_get(line, "result") && isnan(o->overhead_ms))
			o->overhead_ms = num(json_object_get(json_object_get(line, "result"),
							     "loop_overhead_ms"));
		if (!ret && json_object_get(line, "result")) {
			ret = results_close_block(&run->results, (size_t)idx, from,
						  &run->cfg);
			open = -1;
		}
	}
	free(cons);
	return ret;
}

int tune_resume_history(struct tune_run *run, char *why, size_t len)
{
	const struct tune_obs *base;
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
	ret = replay(run, &h, complete);
	if (!ret && run->results.n && !run->results.obs[0].o.baseline) {
		snprintf(why, len, "%s: the first configuration is not the baseline", path);
		ret = -EINVAL;
	}
	/* A run whose baseline failed never started: start it again. */
	base = results_baseline(&run->results);
	if (!ret && base && base->o.failed && run->results.n == 1) {
		results_free(&run->results);
		run->results.crown_windows = run->cfg.max_windows;
		run->results.nphases = run->cfg.nphases;
		run->next_iteration = 0;
		complete = 0;
	}
	if (!ret && (complete < h.n || torn))
		ret = history_rewrite(path, &h, complete);
	history_lines_free(&h);
	if (ret == -ENOMEM)
		snprintf(why, len, "%s: out of memory", path);
	if (ret == -EINVAL && !why[0])
		snprintf(why, len, "%s: a window of a load phase config.json does not have",
			 path);
	return ret;
}
