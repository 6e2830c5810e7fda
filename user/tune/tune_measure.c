// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One configuration: apply it as one transaction, let it settle, measure
 * warm-up windows (recorded, not counted), then repeats; a batch whose
 * spread is above the limit is measured again, and a configuration that
 * stays noisy is recorded as such and never chosen as the best. A failed
 * window is recorded with its error and the run goes on.
 *
 * The configuration's history lines are written together when it is
 * done, the last one carrying the result, so history.jsonl never holds
 * half a configuration that a resumed run would have to guess about.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/time.h>

#include "base/stats.h"
#include "knobs/module.h"
#include "tune/tune_run.h"

/* Milliseconds with sub-millisecond resolution, for the loop's cost. */
static double precise_ms(void)
{
	return monotonic_ns() / 1e6;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* The measurements of one batch of windows. */
struct batch {
	double *objective;	/* per window, NaN when failed */
	double *constraints;	/* per window, nconstraints each */
	unsigned int n, ok;
};

struct config_state {
	struct tune_run *run;
	const struct config_request *req;
	json_t *lines;
	unsigned int windows;	/* numbered from 1 */
	unsigned int failed;
	double window_ms;	/* time spent inside windows */
	unsigned int planned;	/* windows in the plan, for the display */
};

static void list_metrics(const struct metrics *m, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < m->n && used + 1 < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
				 m->items[i].name);
}

static int window_line(struct config_state *s, const char *phase,
		       const char *start, const char *end, double seconds,
		       bool ok, const char *error, const struct metrics *m,
		       double cpu)
{
	const struct config_request *req = s->req;
	json_t *line = json_pack("{s:i,s:i,s:s,s:b,s:O,s:s,s:s,s:s,s:s,s:f,s:b,s:o,s:f}",
				 "iteration", req->iteration, "window", s->windows,
				 "phase", phase, "baseline", req->baseline,
				 "knobs", req->knobs, "why", req->why,
				 "tuner", s->run->cfg.tuner, "start", start,
				 "end", end, "seconds", seconds, "ok", ok,
				 "metrics", metrics_to_json(m), "ostune_cpu_s", cpu);

	if (!line)
		return -ENOMEM;
	if (!ok)
		json_object_set_new(line, "error", json_string(error));
	if (req->verify)
		json_object_set_new(line, "verify", json_true());
	return json_array_append_new(s->lines, line) ? -ENOMEM : 0;
}

/* One window; its objective and constraint values go to out/cons. */
static int run_window(struct config_state *s, const char *phase, double *out,
		      double *cons)
{
	struct tune_run *run = s->run;
	const struct tune_config *cfg = &run->cfg;
	struct sys_snapshot a, b;
	struct perf_snapshot pa, pb;
	struct metrics m = { 0 };
	struct target_window w;
	char start[40], end[40], why[1024] = "", names[256];
	double cpu0, cpu, secs, t0, t1;
	size_t i;
	int ret;

	s->windows++;
	progress_window(&run->progress, s->req->iteration, s->windows,
			s->planned, phase);
	cpu0 = cpu_seconds();
	iso_time(start, sizeof(start));
	sysstat_read(&run->sys, &a);
	perfcount_read(&run->perf, &pa);
	t0 = precise_ms();
	w.seconds = cfg->window_s;
	w.deadline_ms = monotonic_ms() + (int64_t)(cfg->timeout_s * 1000);
	ret = run->target.ops->measure(&run->target, &w, &m, why, sizeof(why));
	t1 = precise_ms();
	perfcount_read(&run->perf, &pb);
	sysstat_read(&run->sys, &b);
	iso_time(end, sizeof(end));
	cpu = cpu_seconds() - cpu0;
	if (ret == -EINTR || ret == -ECANCELED) {
		metrics_free(&m);
		return ret;
	}
	secs = (t1 - t0) / 1000.0;
	s->window_ms += t1 - t0;
	*out = NAN;
	if (!ret) {
		*out = metrics_value(&m, cfg->objective.metric);
		if (isnan(*out)) {
			list_metrics(&m, names, sizeof(names));
			snprintf(why, sizeof(why),
				 "the objective's metric %s is missing (the target gave: %s)",
				 cfg->objective.metric, names[0] ? names : "none");
			ret = -EINVAL;
		}
	}
	for (i = 0; i < cfg->nconstraints; i++)
		cons[i] = metrics_value(&m, cfg->constraints[i].metric);
	ret = (metrics_set(&m, "window_s", secs, "s") ?:
	       sysstat_metrics(&run->sys, &a, &b, &m) ?:
	       perfcount_metrics(&run->perf, &pa, &pb, &m)) ?: ret;
	if (ret == -ENOMEM) {
		metrics_free(&m);
		return ret;
	}
	run->results.windows++;
	if (ret) {
		s->failed++;
		run->results.failed_windows++;
		*out = NAN;
		progress_note(&run->progress, "iteration %u window %u failed: %s",
			      s->req->iteration, s->windows, why);
	}
	if (secs > 0)
		results_add_cpu_share(&run->results, cpu / secs);
	ret = window_line(s, phase, start, end, secs, !ret, why, &m, cpu);
	metrics_free(&m);
	return ret;
}

static int run_batch(struct config_state *s, const char *phase,
		     struct batch *b)
{
	size_t nc = s->run->cfg.nconstraints;
	unsigned int i;
	int ret;

	b->ok = 0;
	for (i = 0; i < b->n; i++) {
		ret = run_window(s, phase, &b->objective[i],
				 &b->constraints[i * nc]);
		if (ret)
			return ret;
		b->ok += !isnan(b->objective[i]);
	}
	return 0;
}

/* The configuration's result from its last batch. */
static void judge(struct tune_run *run, const struct batch *b,
		  struct tune_obs *o)
{
	const struct tune_config *cfg = &run->cfg;
	double *v = calloc(b->n ? b->n : 1, sizeof(*v));
	size_t i, k;

	if (!v)
		return;
	memcpy(v, b->objective, b->n * sizeof(*v));
	o->o.objectives[0] = stats_median(v, b->n);
	memcpy(v, b->objective, b->n * sizeof(*v));
	o->o.spread = stats_spread(v, b->n);
	o->o.windows = b->ok;
	o->o.failed = b->ok * 2 < b->n || !b->ok;
	o->o.feasible = !o->o.failed;
	for (k = 0; k < cfg->nconstraints; k++) {
		for (i = 0; i < b->n; i++)
			v[i] = isnan(b->objective[i]) ? NAN :
			       b->constraints[i * cfg->nconstraints + k];
		o->constraint_values[k] = stats_median(v, b->n);
		if (!constraint_holds(&cfg->constraints[k], o->constraint_values[k]))
			o->o.feasible = false;
	}
	free(v);
}

/*
 * One transaction, as `ostune set` makes it: a pattern's value goes to
 * every knob of the run's discovery it stands for.
 */
static int apply_config(struct tune_run *run, const json_t *knobs, char *why,
			size_t len)
{
	struct changeset requested = { 0 }, cs;
	const char *name;
	json_t *v;
	int ret = 0;

	json_object_foreach((json_t *)knobs, name, v)
		ret = ret ?: changeset_set(&requested, name, json_string_value(v));
	ret = ret ?: changeset_resolve(&requested, &run->known, &cs, why, len);
	changeset_free(&requested);
	if (ret == -ENOMEM)
		snprintf(why, len, "apply: %s", strerror(-ret));
	if (ret)
		return ret;
	ret = module_apply(&run->client, &cs, NULL);
	changeset_free(&cs);
	if (ret)
		snprintf(why, len, "apply: %s%s%s", strerror(-ret),
			 run->client.err_msg[0] ? ": " : "", run->client.err_msg);
	/* A fenced session: the kernel restored and will take nothing more. */
	if (ret == -ETIMEDOUT) {
		run->session_error = ret;
		snprintf(run->session_msg, sizeof(run->session_msg), "%s", why);
		return -ECANCELED;
	}
	return ret;
}

static int write_lines(struct tune_run *run, json_t *lines)
{
	json_t *line;
	size_t i;
	int ret = 0;

	json_array_foreach(lines, i, line) {
		ret = history_append(&run->history, line);
		if (ret)
			break;
	}
	return ret;
}

static json_t *result_json(const struct tune_run *run, const struct tune_obs *o,
			   unsigned int batches)
{
	json_t *cons = json_object();
	size_t k;

	for (k = 0; k < run->cfg.nconstraints; k++)
		if (isfinite(o->constraint_values[k]))
			json_object_set_new(cons, run->cfg.constraints[k].metric,
					    json_real(o->constraint_values[k]));
	return json_pack("{s:o,s:o,s:i,s:i,s:i,s:b,s:b,s:b,s:o,s:f}",
			 "objective", isfinite(o->o.objectives[0]) ?
				 json_real(o->o.objectives[0]) : json_null(),
			 "spread", isfinite(o->o.spread) ? json_real(o->o.spread) :
				 json_null(),
			 "windows", o->o.windows, "failed_windows", o->failed_windows,
			 "batches", batches, "feasible", o->o.feasible,
			 "noisy", o->o.noisy, "failed", o->o.failed,
			 "constraints", cons, "loop_overhead_ms", o->overhead_ms);
}

static void report_config(struct tune_run *run, const struct tune_obs *o)
{
	const struct objective *obj = &run->cfg.objective;
	const struct tune_obs *best = results_best(&run->results, obj);
	char line[1024], best_text[96] = "";
	double pct, spread;

	if (o->o.failed)
		snprintf(line, sizeof(line), "iteration %u: failed (%s) [%s]",
			 o->iteration, o->error[0] ? o->error : "no window succeeded",
			 o->why);
	else
		snprintf(line, sizeof(line), "iteration %u: %s %.5g (median of %u, ±%.1f%%)%s%s [%s]",
			 o->iteration, obj->metric, o->o.objectives[0], o->o.windows,
			 100 * o->o.spread, o->o.noisy ? " noisy" : "",
			 o->o.feasible ? "" : " infeasible", o->why);
	if (best && results_improvement(&run->results, obj, &pct, &spread))
		snprintf(best_text, sizeof(best_text), "%.5g (%+.1f%% ± %.1f%%)",
			 best->o.objectives[0], pct, spread);
	else if (best)
		snprintf(best_text, sizeof(best_text), "%.5g", best->o.objectives[0]);
	if (best_text[0]) {
		size_t used = strlen(line);

		snprintf(line + used, sizeof(line) - used, "; best %s", best_text);
	}
	progress_config(&run->progress, o->iteration, line, best_text);
}

/* Measures the warm-up and batches; fills o. */
static int measure_windows(struct config_state *s, struct tune_obs *o,
			   unsigned int *batches)
{
	const struct tune_config *cfg = &s->run->cfg;
	struct batch b = { .n = cfg->repeats };
	double dummy, *dummy_cons;
	unsigned int i, round;
	int ret = 0;

	b.objective = calloc(b.n, sizeof(*b.objective));
	b.constraints = calloc(b.n * cfg->nconstraints + 1, sizeof(*b.constraints));
	dummy_cons = calloc(cfg->nconstraints + 1, sizeof(*dummy_cons));
	if (!b.objective || !b.constraints || !dummy_cons) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < cfg->warmup && !ret; i++)
		ret = run_window(s, "warmup", &dummy, dummy_cons);
	for (round = 0; !ret; round++) {
		ret = run_batch(s, round ? "remeasure" : "measure", &b);
		if (ret)
			break;
		*batches = round + 1;
		judge(s->run, &b, o);
		if (o->o.failed || o->o.spread <= cfg->max_spread)
			break;
		if (round == cfg->remeasure) {
			o->o.noisy = true;
			break;
		}
		progress_note(&s->run->progress,
			      "iteration %u: spread ±%.1f%% is above ±%.1f%%: measuring again",
			      s->req->iteration, 100 * o->o.spread,
			      100 * cfg->max_spread);
		s->planned += b.n;
	}
out:
	free(b.objective);
	free(b.constraints);
	free(dummy_cons);
	return ret;
}

int tune_measure_config(struct tune_run *run, const struct config_request *req)
{
	const struct tune_config *cfg = &run->cfg;
	struct config_state s = {
		.run = run, .req = req, .lines = json_array(),
		.planned = cfg->warmup + cfg->repeats,
	};
	double start = precise_ms(), settle_ms = 0;
	struct tune_obs *o;
	unsigned int batches = 0;
	char error[512] = "";
	json_t *last;
	int ret;

	o = results_add(&run->results, cfg->space.n, cfg->nconstraints);
	if (!o || !s.lines) {
		json_decref(s.lines);
		return -ENOMEM;
	}
	o->iteration = req->iteration;
	o->o.baseline = req->baseline;
	snprintf(o->why, sizeof(o->why), "%s", req->why);
	json_object_update(o->knobs, req->knobs);
	memcpy(o->x, req->x, cfg->space.n * sizeof(*o->x));
	ret = req->baseline ? 0 : apply_config(run, req->knobs, error, sizeof(error));
	if (!ret) {
		settle_ms = cfg->settle_s * 1000;
		ret = req->baseline ? 0 :
		      waiter_sleep_until(&run->waiter,
					 monotonic_ms() + (int64_t)settle_ms);
		if (req->baseline)
			settle_ms = 0;
		ret = ret ?: measure_windows(&s, o, &batches);
	} else if (ret != -ECANCELED && ret != -ENOMEM) {
		o->o.failed = true;
		snprintf(o->error, sizeof(o->error), "%s", error);
		progress_note(&run->progress, "iteration %u: %s", req->iteration, error);
		ret = window_line(&s, "apply", "", "", 0, false, error,
				  &(struct metrics){ 0 }, 0);
	}
	if (ret) {
		/* Stopped half way: nothing of it is kept. */
		run->results.n--;
		free(o->x);
		free(o->constraint_values);
		json_decref(o->knobs);
		json_decref(s.lines);
		return ret;
	}
	o->failed_windows = s.failed;
	o->overhead_ms = precise_ms() - start - s.window_ms - settle_ms;
	last = json_array_get(s.lines, json_array_size(s.lines) - 1);
	json_object_set_new(last, "result", result_json(run, o, batches));
	ret = write_lines(run, s.lines);
	json_decref(s.lines);
	report_config(run, o);
	return ret ? -EIO : waiter_tick(&run->waiter);
}

int tune_verify_window(struct tune_run *run, const struct config_request *req,
		       double *objective, double *constraints)
{
	struct config_state s = { .run = run, .req = req, .lines = json_array(),
				  .planned = run->cfg.warmup + 1 };
	char error[512] = "";
	double dummy;
	size_t k;
	unsigned int i;
	int ret;

	if (!s.lines)
		return -ENOMEM;
	*objective = NAN;
	for (k = 0; k < run->cfg.nconstraints; k++)
		constraints[k] = NAN;
	ret = apply_config(run, req->knobs, error, sizeof(error));
	if (!ret) {
		ret = waiter_sleep_until(&run->waiter, monotonic_ms() +
					 (int64_t)(run->cfg.settle_s * 1000));
		/* warmed up as in the search: a cold first window is not the config's */
		for (i = 0; !ret && i < run->cfg.warmup; i++)
			ret = run_window(&s, "warmup", &dummy, constraints);
		ret = ret ?: run_window(&s, "verify", objective, constraints);
	} else if (ret != -ECANCELED && ret != -ENOMEM) {
		progress_note(&run->progress, "verification: %s", error);
		ret = window_line(&s, "apply", "", "", 0, false, error,
				  &(struct metrics){ 0 }, 0);
	}
	if (!ret && write_lines(run, s.lines))
		ret = -EIO;
	json_decref(s.lines);
	return ret ?: waiter_tick(&run->waiter);
}
