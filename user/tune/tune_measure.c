// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One block of a configuration's windows: apply it as one transaction,
 * let it settle, measure warm-up windows (recorded, not counted), then
 * the counted ones, which join every earlier window of the configuration
 * in its pool (pool.h). A new configuration whose spread is above the
 * limit is measured again, pooled, up to the windows a spread needs to
 * mean something; one that stays noisy is never chosen as the best. A
 * failed window is recorded with its error and the run goes on; one that
 * ran past the timeout is evidence that the configuration is slow.
 *
 * A block's history lines are written together when it is done, the last
 * one carrying the configuration's pooled result, so history.jsonl never
 * holds half a block that a resumed run would have to guess about.
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

struct config_state {
	struct tune_run *run;
	const struct config_request *req;
	json_t *lines;
	unsigned int windows;	/* numbered from 1 */
	unsigned int failed;
	double window_ms;	/* time spent inside windows */
	unsigned int planned;	/* windows in the plan, for the display */
	char error[512];	/* the last failed window's */
};

static void list_metrics(const struct metrics *m, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < m->n && used + 1 < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
				 m->items[i].name);
}

/*
 * The window's objective into *out; with two objectives the second's
 * value ends cons (tune_config.h). -EINVAL and why filled when either is
 * missing from m; names: the metrics the target gave.
 */
static int missing_objective(const struct tune_config *cfg,
			     const struct metrics *m, const char *names,
			     char *why, size_t len, double *out, double *cons)
{
	const char *missing = NULL, *which = "";

	*out = metrics_value(m, cfg->objective.metric);
	if (isnan(*out)) {
		missing = cfg->objective.metric;
	} else if (cfg->nobjectives == 2 && isnan(cons[cfg->nconstraints - 1])) {
		missing = cfg->objective2.metric;
		which = " second";
	}
	if (!missing)
		return 0;
	snprintf(why, len, "the%s objective's metric %s is missing (the target gave: %s)",
		 which, missing, names[0] ? names : "none");
	return -EINVAL;
}

/* load_phase: the load phase's name, or NULL (phases.h) */
static int window_line(struct config_state *s, const char *phase,
		       const char *load_phase, const char *start,
		       const char *end, double seconds, bool ok,
		       bool timed_out, const char *error,
		       const struct metrics *m, double cpu)
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
	if (timed_out)
		json_object_set_new(line, "timed_out", json_true());
	if (req->verify)
		json_object_set_new(line, "verify", json_true());
	/* the applied set is knobs and fixed; pinned, where the target ran */
	if (s->run->cfg.fixed)
		json_object_set(line, "fixed", s->run->cfg.fixed);
	if (s->run->cfg.cpus)
		json_object_set_new(line, "target_cpus", json_string(s->run->cfg.cpus));
	if (load_phase)
		json_object_set_new(line, "load_phase", json_string(load_phase));
	return json_array_append_new(s->lines, line) ? -ENOMEM : 0;
}

/*
 * One window of target (of load_phase, or NULL); its objective and
 * constraint values go to out/cons, its sequence number to *seq;
 * *timed_out when it ran past the timeout.
 */
static int run_window(struct config_state *s, const char *phase,
		      struct target *target, const char *load_phase,
		      double *out, double *cons, bool *timed_out,
		      unsigned int *seq)
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
	ret = target->ops->measure(target, &w, &m, why, sizeof(why));
	*timed_out = ret == -ETIMEDOUT;
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
	/* what the target gave, before the proxies join it */
	list_metrics(&m, names, sizeof(names));
	/* the proxies first: an objective or a constraint may be one of them */
	ret = (metrics_set(&m, "window_s", secs, "s") ?:
	       sysstat_metrics(&run->sys, &a, &b, &m) ?:
	       perfcount_metrics(&run->perf, &pa, &pb, &m)) ?: ret;
	if (ret == -ENOMEM) {
		metrics_free(&m);
		return ret;
	}
	for (i = 0; i < cfg->nconstraints; i++)
		cons[i] = metrics_value(&m, cfg->constraints[i].metric);
	if (!ret)
		ret = missing_objective(cfg, &m, names, why, sizeof(why), out,
					cons);
	*seq = run->results.windows++;
	if (ret) {
		/* a failed window measured nothing, on any objective */
		for (i = 0; i < cfg->nconstraints; i++)
			cons[i] = NAN;
		s->failed++;
		run->results.failed_windows++;
		run->results.timed_out_windows += *timed_out;
		*out = NAN;
		progress_note(&run->progress, "iteration %u window %u failed: %s",
			      s->req->iteration, s->windows, why);
		snprintf(s->error, sizeof(s->error), "%s", why);
	}
	if (secs > 0)
		results_add_cpu_share(&run->results, cpu / secs);
	ret = window_line(s, phase, load_phase, start, end, secs, !ret,
			  *timed_out, why, &m, cpu);
	metrics_free(&m);
	return ret;
}

/* measure_round() into no pool: warm-up and verification rounds */
#define NO_POOL ((size_t)-1)

/*
 * One round: a window of the target, or with load phases a window of
 * each phase's in turn ($OSTUNE_PHASE names it), pooled into entry idx
 * (unless NO_POOL). *out is the window's objective, or the round's score
 * (phases.h; NaN until the baseline's phases are known, and then filled
 * in when the block closes); cons the constraint values.
 */
static int measure_round(struct config_state *s, const char *phase,
			 size_t idx, double *out, double *cons)
{
	struct tune_run *run = s->run;
	struct tune_results *r = &run->results;
	size_t nc = run->cfg.nconstraints, p, k;
	double v[TUNE_PHASES_MAX], *pc;
	bool timed_out, censored = false;
	unsigned int seq;
	int ret = 0;

	if (!r->nphases) {
		ret = run_window(s, phase, &run->target, NULL, out, cons,
				 &timed_out, &seq);
		return ret || idx == NO_POOL ? ret :
		       pool_add(&r->obs[idx].pool, nc, *out, timed_out, seq, cons);
	}
	pc = calloc(nc * r->nphases + 1, sizeof(*pc));
	if (!pc)
		return -ENOMEM;
	for (p = 0; !ret && p < r->nphases; p++) {
		const char *name = tune_phase_name(run, p);

		setenv("OSTUNE_PHASE", name, 1);
		ret = run_window(s, phase, &run->phase_targets[p], name, &v[p],
				 pc + p * nc, &timed_out, &seq);
		censored = censored || timed_out;
		if (!ret && idx != NO_POOL)
			ret = pool_add(&r->obs[idx].phase_pool[p], nc, v[p],
				       timed_out, seq, pc + p * nc);
	}
	unsetenv("OSTUNE_PHASE");
	*out = ret || censored || !r->phase_ref_set ? NAN :
	       phases_score(v, r->phase_ref, r->nphases, run->cfg.phase_score,
			    run->cfg.objective.goal);
	for (k = 0; !ret && k < nc; k++) {
		for (p = 0; p < r->nphases; p++)
			v[p] = pc[p * nc + k];
		cons[k] = phases_worst(&run->cfg.constraints[k], v, r->nphases);
	}
	if (!ret && idx != NO_POOL)
		ret = pool_add(&r->obs[idx].pool, nc, *out, censored, seq, cons);
	free(pc);
	return ret;
}

/* The windows of rounds rounds, for the display. */
static unsigned int round_windows(const struct tune_run *run, unsigned int rounds)
{
	return rounds * (run->results.nphases ? (unsigned int)run->results.nphases : 1);
}

/*
 * One transaction, as `ostune set` makes it: a pattern's value goes to
 * every knob of the run's discovery it stands for. The fixed knobs go
 * with every configuration: applied before the first, they are held
 * whatever was applied before.
 */
static int apply_config(struct tune_run *run, const json_t *knobs, char *why,
			size_t len)
{
	struct changeset requested = { 0 }, cs;
	const char *name;
	json_t *v;
	int ret = 0;

	json_object_foreach(run->cfg.fixed, name, v)
		ret = ret ?: changeset_set(&requested, name, json_string_value(v));
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

static json_t *result_json(const struct tune_run *run, const struct tune_obs *o)
{
	json_t *cons = json_object(), *line;
	size_t k;

	/* the config's own: the second objective has its place below */
	for (k = 0; k < run->cfg.nsearch_constraints; k++)
		if (isfinite(o->constraint_values[k]))
			json_object_set_new(cons, run->cfg.constraints[k].metric,
					    json_real(o->constraint_values[k]));
	line = json_pack("{s:o,s:o,s:i,s:i,s:i,s:i,s:b,s:b,s:b,s:o,s:o}",
			 "objective", isfinite(o->o.objectives[0]) ?
				 json_real(o->o.objectives[0]) : json_null(),
			 "spread", isfinite(o->o.spread) ? json_real(o->o.spread) :
				 json_null(),
			 "windows", o->o.windows, "failed_windows", o->failed_windows,
			 "timed_out", o->timed_out,
			 "batches", o->batches, "feasible", o->o.feasible,
			 "noisy", o->o.noisy, "failed", o->o.failed,
			 "constraints", cons, "loop_overhead_ms",
			 isfinite(o->overhead_ms) ? json_real(o->overhead_ms) : json_null());
	/* both objectives' medians, for the report and the reader */
	if (line && run->cfg.nobjectives == 2)
		json_object_set_new(line, "objectives", json_pack("{s:o,s:o}",
				    run->cfg.objective.metric, isfinite(o->o.objectives[0]) ?
				    json_real(o->o.objectives[0]) : json_null(),
				    run->cfg.objective2.metric, isfinite(o->o.objectives[1]) ?
				    json_real(o->o.objectives[1]) : json_null()));
	return line;
}

/* again: NULL for a new configuration, else what measured it again */
static void report_config(struct tune_run *run, const struct tune_obs *o,
			  const char *again)
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
	if (!again)
		progress_config(&run->progress, o->iteration, line, best_text);
	else
		progress_note(&run->progress, "%s: %s", again, line);
}

/* n counted windows of s->req's block into the pool of entry idx. */
static int pooled_windows(struct config_state *s, size_t idx, unsigned int n,
			  const char *phase, double *cons)
{
	unsigned int i;
	double v;
	int ret = 0;

	for (i = 0; i < n && !ret; i++)
		ret = measure_round(s, phase, idx, &v, cons);
	return ret;
}

/*
 * The warm-up and count counted windows; a new configuration (remeasure)
 * whose spread is above the limit gets another batch, pooled, up to
 * cfg->remeasure times, enough for its spread to count (pool.h).
 */
static int measure_windows(struct config_state *s, size_t idx,
			   unsigned int count, bool remeasure)
{
	const struct tune_config *cfg = &s->run->cfg;
	const struct pool *p = &s->run->results.obs[idx].pool;
	const char *phase = s->req->phase ? s->req->phase : "measure";
	double v, *cons = calloc(cfg->nconstraints + 1, sizeof(*cons));
	unsigned int i, round;
	struct pool_stats st;
	int ret = cons ? 0 : -ENOMEM;

	for (i = 0; i < cfg->warmup && !ret; i++)
		ret = measure_round(s, "warmup", NO_POOL, &v, cons);
	for (round = 0; !ret; round++) {
		ret = pooled_windows(s, idx, count, phase, cons);
		if (ret || !remeasure || round == cfg->remeasure)
			break;
		ret = pool_stats(p, 0, &s->run->results.anchors, cfg->objective.goal,
				 &st, NULL);
		if (ret || !st.completed || !(st.spread > cfg->max_spread))
			break;
		progress_note(&s->run->progress,
			      "iteration %u: spread ±%.1f%% is above ±%.1f%%: measuring again",
			      s->req->iteration, 100 * st.spread, 100 * cfg->max_spread);
		count = cfg->repeats;
		if (st.completed + count < POOL_NOISY_MIN_WINDOWS)
			count = POOL_NOISY_MIN_WINDOWS - st.completed;
		s->planned += round_windows(s->run, count);
		phase = "remeasure";
	}
	free(cons);
	return ret;
}

/*
 * The kernel refused the values of entry idx: a configuration fails. An
 * anchor (the baseline's values applied again after its first block)
 * fails alone: the baseline was measured, its earlier anchors stand and
 * correct the drift without this one, and the run goes on.
 */
static void refused(struct tune_run *run, size_t idx,
		    const struct config_request *req, bool fresh,
		    const char *error)
{
	struct tune_obs *o = &run->results.obs[idx];

	if (o->o.baseline && !fresh) {
		run->results.anchors_failed++;
		progress_note(&run->progress,
			      "%s: refused (%s): this anchor is left out of the drift correction; the baseline and its %zu earlier anchors stand",
			      req->why, error, run->results.anchors.n);
		return;
	}
	o->refused = true;
	o->o.failed = true;
	o->o.feasible = false;
	snprintf(o->error, sizeof(o->error), "%s", error);
	progress_note(&run->progress, "iteration %u: %s", req->iteration, error);
}

/*
 * Measures a block of entry idx as req asks: apply (not the baseline
 * while nothing was applied), settle, warm up, count windows. The kernel
 * refusing the values fails the entry, or only the block when it is an
 * anchor (refused()). Stopped half way, nothing of the block is kept.
 */
static int measure_block(struct tune_run *run, size_t idx,
			 const struct config_request *req, unsigned int count,
			 bool fresh)
{
	const struct tune_config *cfg = &run->cfg;
	struct config_state s = {
		.run = run, .req = req, .lines = json_array(),
		.planned = round_windows(run, cfg->warmup + count),
	};
	double start = precise_ms(), settle_ms = 0;
	size_t from = run->results.obs[idx].pool.n;
	struct tune_obs *o;
	char error[512] = "";
	json_t *last;
	int ret;

	if (!s.lines)
		return -ENOMEM;
	/* fixed knobs are set for the baseline too, in its transaction */
	ret = req->baseline && !run->applied && !run->cfg.fixed ? 0 :
	      apply_config(run, req->knobs, error, sizeof(error));
	if (!ret) {
		run->applied = run->applied || !req->baseline;
		settle_ms = cfg->settle_s * 1000;
		ret = waiter_sleep_until(&run->waiter,
					 monotonic_ms() + (int64_t)settle_ms) ?:
		      measure_windows(&s, idx, count, fresh);
	} else if (ret != -ECANCELED && ret != -ENOMEM) {
		refused(run, idx, req, fresh, error);
		ret = window_line(&s, "apply", NULL, "", "", 0, false, false,
				  error, &(struct metrics){ 0 }, 0);
	}
	o = &run->results.obs[idx];
	if (ret) {
		size_t p;

		/* the phases' pools are in step with it */
		for (p = 0; p < run->results.nphases; p++)
			o->phase_pool[p].n = from;
		o->pool.n = from;
		json_decref(s.lines);
		return ret;
	}
	o->failed_windows += s.failed;
	if (s.error[0] && !o->refused)
		snprintf(o->error, sizeof(o->error), "%s", s.error);
	if (fresh)
		o->overhead_ms = precise_ms() - start - s.window_ms - settle_ms;
	ret = results_close_block(&run->results, idx, from, cfg);
	last = json_array_get(s.lines, json_array_size(s.lines) - 1);
	if (!ret && json_object_set_new(last, "result", result_json(run, o)))
		ret = -ENOMEM;
	if (!ret && write_lines(run, s.lines))
		ret = -EIO;
	json_decref(s.lines);
	if (ret)
		return ret;
	report_config(run, o, fresh ? NULL : req->why);
	return 0;
}

int tune_measure_config(struct tune_run *run, const struct config_request *req)
{
	const struct tune_config *cfg = &run->cfg;
	struct tune_obs *o;
	size_t idx = run->results.n;
	int ret;

	o = results_add(&run->results, cfg->space.n, cfg->nconstraints);
	if (!o)
		return -ENOMEM;
	o->iteration = req->iteration;
	o->o.baseline = req->baseline;
	snprintf(o->why, sizeof(o->why), "%s", req->why);
	json_object_update(o->knobs, req->knobs);
	memcpy(o->x, req->x, cfg->space.n * sizeof(*o->x));
	ret = measure_block(run, idx, req, cfg->repeats, true);
	/* Stopped half way: nothing of it is kept. */
	if (ret && ret != -EIO)
		results_drop_last(&run->results);
	return ret ?: waiter_tick(&run->waiter);
}

int tune_measure_again(struct tune_run *run, size_t idx, unsigned int count,
		       const char *phase, const char *why)
{
	const struct tune_obs *o = &run->results.obs[idx];
	struct config_request req = {
		.iteration = o->iteration, .x = o->x, .knobs = o->knobs,
		.why = why, .baseline = o->o.baseline, .phase = phase,
	};

	return measure_block(run, idx, &req, count, false) ?:
	       waiter_tick(&run->waiter);
}

int tune_verify_window(struct tune_run *run, const struct config_request *req,
		       double *objective, double *constraints)
{
	struct config_state s = { .run = run, .req = req, .lines = json_array(),
				  .planned = round_windows(run, run->cfg.warmup + 1) };
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
			ret = measure_round(&s, "warmup", NO_POOL, &dummy, constraints);
		/* with phases, scored as the search scored its rounds */
		ret = ret ?: measure_round(&s, "verify", NO_POOL, objective,
					   constraints);
	} else if (ret != -ECANCELED && ret != -ENOMEM) {
		progress_note(&run->progress, "verification: %s", error);
		ret = window_line(&s, "apply", NULL, "", "", 0, false, false,
				  error, &(struct metrics){ 0 }, 0);
	}
	if (!ret && write_lines(run, s.lines))
		ret = -EIO;
	json_decref(s.lines);
	return ret ?: waiter_tick(&run->waiter);
}
