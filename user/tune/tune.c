// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `ostune tune`: the run from config to report.
 *
 * Safety comes from the module: the run holds a session whose watchdog it
 * beats in every wait, so if ostune is killed the socket closes and the
 * kernel restores, and if it stalls the lease runs out and the kernel
 * restores. On Ctrl-C (SIGINT, SIGTERM, SIGHUP) the window in progress is
 * abandoned, the target's processes stopped, the session closed (the
 * kernel restores) and the results so far saved; --resume goes on.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "knobs/module.h"
#include "knobs/sysread.h"
#include "base/clock.h"
#include "tune/fixed.h"
#include "tune/pin.h"
#include "tune/tune_run.h"

#define WHY_MAX 1024

static int beat(void *arg)
{
	struct tune_run *run = arg;
	int ret = ostune_heartbeat(&run->client);

	if (!ret)
		return 0;
	run->session_error = ret;
	snprintf(run->session_msg, sizeof(run->session_msg), "heartbeat: %s%s%s",
		 strerror(-ret), run->client.err_msg[0] ? ": " : "",
		 run->client.err_msg);
	return -ECANCELED;
}

static json_t *load_config(const struct tune_options *o, char *why, size_t len)
{
	struct knob_list known;
	json_error_t error;
	char path[600];
	json_t *doc;

	if (o->resume || o->config_path) {
		if (o->resume)
			snprintf(path, sizeof(path), "%s/config.json", o->resume);
		else
			snprintf(path, sizeof(path), "%s", o->config_path);
		doc = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
		if (!doc && error.line > 0)
			snprintf(why, len, "%s:%d:%d: %s", path, error.line,
				 error.column, error.text);
		else if (!doc)
			snprintf(why, len, "%s", error.text);
		return doc;
	}
	if (discover_knobs(o->sysroot, &known)) {
		snprintf(why, len, "discover: out of memory");
		return NULL;
	}
	doc = tune_config_default(&known, why, len);
	knob_list_free(&known);
	return doc;
}

/* The run's problem for the tuner; baseline: the host's values. */
static struct tuner_problem problem_of(const struct tune_config *cfg,
				       const double *baseline)
{
	return (struct tuner_problem){
		.space = &cfg->space, .objectives = &cfg->objective,
		.nobjectives = cfg->nobjectives, .constraints = cfg->constraints,
		.nconstraints = cfg->nsearch_constraints, .seed = cfg->seed,
		.budget = cfg->iterations, .baseline = baseline,
		.options = cfg->tuner_options,
	};
}

/*
 * The tuner made as the run will make it, so that options it refuses are
 * refused before anything runs (--plan included). The host's values are
 * not read yet: unknown to it.
 */
static int check_tuner(const struct tune_config *cfg, char *why, size_t len)
{
	double *unknown = malloc((cfg->space.n + 1) * sizeof(*unknown));
	struct tuner_problem problem = problem_of(cfg, unknown);
	struct tuner tuner;
	size_t i;
	int ret;

	if (!unknown)
		return -ENOMEM;
	for (i = 0; i < cfg->space.n; i++)
		unknown[i] = NAN;
	ret = tuner_create(&tuner, cfg->tuner, &problem, why, len);
	if (!ret)
		tuner_destroy(&tuner);
	free(unknown);
	return ret;
}

/*
 * What the config asks of this host, checked before anything runs
 * (--plan too): the fixed knobs exist and take their values, the pinned
 * CPUs are online with one left for ostune.
 */
static int check_host(const struct tune_config *cfg, const char *sysroot,
		      char *why, size_t len)
{
	struct knob_list known;
	int ret = 0;

	if (cfg->fixed) {
		ret = module_discover(sysroot, &known);
		if (ret)
			snprintf(why, len, "discover: %s", strerror(-ret));
		ret = ret ?: fixed_check(cfg->fixed, &known, why, len);
		knob_list_free(&known);
	}
	if (!ret && cfg->cpus)
		ret = pin_check(cfg->cpus, sysroot, why, len);
	return ret;
}

/* The config with the command line's overrides, resolved. CLI_* */
static int setup_config(struct tune_run *run, char *why, size_t len)
{
	const struct tune_options *o = run->opts;
	json_t *doc = load_config(o, why, len);
	int ret;

	if (!doc)
		return CLI_USAGE;
	if (o->iterations >= 0) {
		json_t *budget = json_object_get(doc, "budget");

		if (!json_is_object(budget)) {
			budget = json_object();
			json_object_set_new(doc, "budget", budget);
		}
		json_object_set_new(budget, "iterations", json_integer(o->iterations));
	}
	if (o->output && !o->resume)
		json_object_set_new(doc, "output", json_string(o->output));
	ret = tune_config_resolve(doc, &run->cfg, why, len);
	json_decref(doc);
	if (ret == -ENOMEM)
		return CLI_FAILED;
	if (!ret && run->cfg.space.n > OSTUNE_TXN_MAX_ENTRIES) {
		snprintf(why, len, "space: %zu knobs; one transaction takes %d at most",
			 run->cfg.space.n, OSTUNE_TXN_MAX_ENTRIES);
		ret = -EINVAL;
	}
	ret = ret ?: check_tuner(&run->cfg, why, len);
	ret = ret ?: check_host(&run->cfg, o->sysroot, why, len);
	if (ret == -ENOMEM)
		return CLI_FAILED;
	return ret ? CLI_USAGE : CLI_OK;
}

static int setup_dir(struct tune_run *run, char *why, size_t len)
{
	char stamp[32], history[700];
	struct tm tm;
	time_t now = time(NULL);

	if (run->opts->resume) {
		snprintf(run->dir, sizeof(run->dir), "%s", run->opts->resume);
	} else if (run->cfg.output) {
		snprintf(run->dir, sizeof(run->dir), "%s", run->cfg.output);
	} else {
		localtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
		snprintf(run->dir, sizeof(run->dir), "ostune-tune-%s", stamp);
	}
	snprintf(history, sizeof(history), "%s/history.jsonl", run->dir);
	if (!run->opts->resume && access(history, F_OK) == 0) {
		snprintf(why, len, "%s holds a run already: continue it with --resume, or choose another --output",
			 run->dir);
		return CLI_USAGE;
	}
	if ((mkdir(run->dir, 0755) && errno != EEXIST)) {
		snprintf(why, len, "%s: %s", run->dir, strerror(errno));
		return CLI_FAILED;
	}
	snprintf(run->workdir, sizeof(run->workdir), "%s/work", run->dir);
	if (mkdir(run->workdir, 0755) && errno != EEXIST) {
		snprintf(why, len, "%s: %s", run->workdir, strerror(errno));
		return CLI_FAILED;
	}
	return CLI_OK;
}

static int write_config(const struct tune_run *run)
{
	char path[700], tmp[720];

	snprintf(path, sizeof(path), "%s/config.json", run->dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (json_dump_file(run->cfg.doc, tmp, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) || rename(tmp, path))
		return -EIO;
	return 0;
}

/*
 * The knobs of each pattern of the space and of the fixed knobs, as
 * discovered now, less those that take no value now (an offline CPU's,
 * an IRQ that cannot move). No knob may be set twice, and all must fit
 * in one transaction.
 */
static int resolve_patterns(struct tune_run *run, char *why, size_t len)
{
	const struct space *s = &run->cfg.space;
	struct knob_list *known = &run->known;
	const struct knob **match = NULL;
	json_t *seen = json_object(), *names;
	size_t i, j, n, total = 0;
	bool any = false;
	const char *name;
	int ret = 0;

	size_t nfixed = json_object_size(run->cfg.fixed);
	const char **names_of = calloc(s->n + nfixed + 1, sizeof(*names_of));
	json_t *v;

	run->pattern_knobs = json_object();
	if (!seen || !run->pattern_knobs || !names_of)
		ret = -ENOMEM;
	/* the fixed knobs first: one transaction holds them and the space's */
	n = 0;
	json_object_foreach(run->cfg.fixed, name, v)
		if (names_of)
			names_of[n++] = name;
	for (i = 0; names_of && i < s->n; i++)
		names_of[n++] = s->dims[i].name;
	for (i = 0; names_of && i < s->n + nfixed; i++)
		any = any || knob_is_pattern(names_of[i]);
	if (!ret && any) {
		ret = module_discover(run->opts->sysroot, known);
		match = ret ? NULL : calloc(known->n + 1, sizeof(*match));
		ret = ret ?: match ? 0 : -ENOMEM;
	}
	for (i = 0; !ret && i < s->n + nfixed; i++) {
		name = names_of[i];
		if (!knob_is_pattern(name)) {
			if (json_object_set_new(seen, name, json_string(name)))
				ret = -ENOMEM;
			total++;
			continue;
		}
		names = json_array();
		n = changeset_match(known, name, true, match, NULL);
		for (j = 0; names && j < n; j++)
			json_array_append_new(names, json_string(match[j]->name));
		if (!names || json_object_set_new(run->pattern_knobs, name, names)) {
			ret = -ENOMEM;
		} else if (!json_array_size(names)) {
			snprintf(why, len, "%s: %s matches no knob on this host that takes a value now (see 'ostune knobs %s' and 'ostune doctor')",
				 i < nfixed ? "fixed" : "space", name, name);
			ret = -EINVAL;
		}
		total += json_array_size(names);
	}
	/* A knob named on its own and matched by a pattern, or by two. */
	json_object_foreach(run->pattern_knobs, name, names) {
		json_t *knob;

		json_array_foreach(names, j, knob) {
			const char *k = json_string_value(knob);
			json_t *other = json_object_get(seen, k);

			if (!ret && other) {
				snprintf(why, len, "space: %s is set by both %s and %s: keep one of them",
					 k, json_string_value(other), name);
				ret = -EINVAL;
			}
			if (!ret && json_object_set_new(seen, k, json_string(name)))
				ret = -ENOMEM;
		}
	}
	if (!ret && total > OSTUNE_TXN_MAX_ENTRIES) {
		snprintf(why, len, "space: %zu knobs once its patterns expand; one transaction takes %d at most",
			 total, OSTUNE_TXN_MAX_ENTRIES);
		ret = -EINVAL;
	}
	if (ret == -ENOMEM)
		snprintf(why, len, "space: out of memory");
	free(names_of);
	free(match);
	json_decref(seen);
	return ret;
}

/*
 * The host's values of the space's knobs, as text and as a point. The
 * knobs of a pattern must agree: the baseline gives it one value.
 */
static int read_baseline(struct tune_run *run, char *why, size_t len)
{
	const struct space *s = &run->cfg.space;
	struct changeset cs = { 0 };
	struct ostune_knob_value *values;
	size_t i, j, at, *first;
	json_t *names, *knob;
	int ret = 0;

	first = calloc(s->n + 1, sizeof(*first));
	if (!first) {
		snprintf(why, len, "reading the knobs: out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < s->n && !ret; i++) {
		first[i] = cs.n;
		names = json_object_get(run->pattern_knobs, s->dims[i].name);
		if (!names)
			ret = changeset_set(&cs, s->dims[i].name, NULL);
		json_array_foreach(names, j, knob)
			ret = ret ?: changeset_set(&cs, json_string_value(knob), NULL);
	}
	first[s->n] = cs.n;
	ret = ret ?: module_current_values(&run->client, &cs, &values);
	changeset_free(&cs);
	if (ret) {
		snprintf(why, len, "reading the knobs: %s%s%s", strerror(-ret),
			 run->client.err_msg[0] ? ": " : "", run->client.err_msg);
		free(first);
		return ret;
	}
	for (i = 0; i < s->n && !ret; i++)
		for (at = first[i] + 1; at < first[i + 1] && !ret; at++)
			if (strcmp(values[at].value, values[first[i]].value)) {
				snprintf(why, len, "space: %s: %s is %s but %s is %s: set them alike first, or name each knob",
					 s->dims[i].name, values[first[i]].name,
					 values[first[i]].value, values[at].name,
					 values[at].value);
				ret = -EINVAL;
			}
	run->baseline_x = calloc(s->n ? s->n : 1, sizeof(*run->baseline_x));
	run->baseline_knobs = json_object();
	for (i = 0; !ret && run->baseline_x && i < s->n; i++) {
		const char *v = values[first[i]].value;

		json_object_set_new(run->baseline_knobs, s->dims[i].name,
				    json_string(v));
		if (dim_parse(&s->dims[i], v, &run->baseline_x[i]))
			run->baseline_x[i] = NAN;
	}
	free(values);
	free(first);
	return ret ?: run->baseline_x ? 0 : -ENOMEM;
}

/*
 * The host's values of the fixed knobs before the run (a pattern's: its
 * first knob's), for the report: what holding them changed.
 */
static int read_fixed_was(struct tune_run *run, char *why, size_t len)
{
	struct changeset cs = { 0 };
	struct ostune_knob_value *values = NULL;
	const char *name;
	json_t *v, *names;
	size_t at = 0;
	int ret = 0;

	run->fixed_was = json_object();
	if (!run->fixed_was)
		return -ENOMEM;
	json_object_foreach(run->cfg.fixed, name, v) {
		names = json_object_get(run->pattern_knobs, name);
		ret = ret ?: changeset_set(&cs, names ?
					   json_string_value(json_array_get(names, 0)) :
					   name, NULL);
	}
	ret = ret ?: cs.n ? module_current_values(&run->client, &cs, &values) : 0;
	json_object_foreach(run->cfg.fixed, name, v)
		if (!ret && json_object_set_new(run->fixed_was, name,
						json_string(values[at++].value)))
			ret = -ENOMEM;
	changeset_free(&cs);
	free(values);
	if (ret)
		snprintf(why, len, "reading the fixed knobs: %s%s%s", strerror(-ret),
			 run->client.err_msg[0] ? ": " : "", run->client.err_msg);
	return ret;
}

/* After a resume the host should be back at the baseline. */
static void check_baseline(struct tune_run *run)
{
	const struct tune_obs *base = results_baseline(&run->results);
	const char *name;
	json_t *v;

	if (!base)
		return;
	json_object_foreach(run->baseline_knobs, name, v) {
		const char *was = json_string_value(json_object_get(base->knobs, name));

		if (was && strcmp(was, json_string_value(v)))
			progress_note(&run->progress,
				      "warning: %s is %s now but was %s at the baseline",
				      name, json_string_value(v), was);
	}
}

/*
 * The time the next search step, the closing anchor and then verification
 * will need at most, estimated from the search's pace: a step as long as
 * the average configuration, a round as long as the average window (the
 * anchors and races make windows, not configurations, the unit that
 * scales) times the load phases; the anchor is warmup + repeats windows, and each verification
 * round measures the baseline and every candidate once after its warm-up.
 * Half as much again for verification: the pace varies, and running out
 * of rounds costs the verdict where a shorter search costs little.
 */
static double time_needed_s(const struct tune_run *run)
{
	const struct tune_config *cfg = &run->cfg;
	double elapsed = (monotonic_ms() - run->start_ms) / 1000.0;
	size_t configs = run->results.n - run->resumed_configs;
	size_t windows = run->results.windows - run->resumed_windows;
	double per_config, per_window, anchor = 0;

	if (!windows)
		return 0;
	/* a round: with load phases, a window of each */
	per_window = elapsed / windows * (cfg->nphases ? cfg->nphases : 1);
	/* resumed, only the baseline measured again so far */
	per_config = configs ? elapsed / configs :
		     per_window * (cfg->warmup + cfg->repeats) + cfg->settle_s;
	if (cfg->anchor_every)
		anchor = per_window * (cfg->warmup + cfg->repeats) + cfg->settle_s;
	if (!cfg->verify_rounds)
		return per_config + anchor;
	/* two objectives: only the pick is verified */
	return per_config + anchor +
	       1.5 * cfg->verify_rounds *
	       ((cfg->nobjectives == 2 ? 1 : cfg->verify_candidates) + 1) *
	       (per_window * (cfg->warmup + 1) + cfg->settle_s);
}

bool tune_search_time_left(const struct tune_run *run)
{
	const struct tune_config *cfg = &run->cfg;

	return !cfg->budget_s ||
	       (monotonic_ms() - run->start_ms) / 1000.0 + time_needed_s(run) <=
	       cfg->budget_s;
}

static bool budget_left(const struct tune_run *run)
{
	const struct tune_config *cfg = &run->cfg;
	size_t suggested = run->results.n ? run->results.n - 1 : 0;

	if (suggested >= cfg->iterations)
		return false;
	return tune_search_time_left(run);
}

/* Ask the tuner for one configuration and measure it. */
static int tune_step(struct tune_run *run, struct tuner *tuner, char *why,
		     size_t len)
{
	const struct space *s = &run->cfg.space;
	struct tuner_observation *obs = results_history(&run->results);
	struct tuner_history h = { obs, run->results.n };
	struct tuner_suggestion sug;
	struct config_request req;
	double *x = calloc(s->n ? s->n : 1, sizeof(*x));
	json_t *knobs = json_object();
	char text[OSTUNE_VALUE_MAX];
	size_t i;
	int ret;

	sug.x = x;
	sug.why[0] = '\0';
	ret = !obs || !x || !knobs ? -ENOMEM :
	      tuner_suggest(tuner, &h, &sug, 1, why, len);
	free(obs);
	if (ret == 0)
		ret = -ENODATA;
	if (ret > 0) {
		for (i = 0; i < s->n; i++) {
			dim_format(&s->dims[i], x[i], text, sizeof(text));
			json_object_set_new(knobs, s->dims[i].name, json_string(text));
		}
		req = (struct config_request){
			.iteration = run->next_iteration, .x = x, .knobs = knobs,
			.why = sug.why,
		};
		ret = tune_measure_config(run, &req);
		if (!ret) {
			run->next_iteration++;
			run->since_anchor++;
			ret = tune_race(run, run->results.n - 1);
		}
	}
	json_decref(knobs);
	free(x);
	return ret;
}

static int measure_baseline(struct tune_run *run)
{
	struct config_request req = {
		.iteration = 0, .x = run->baseline_x,
		.knobs = run->baseline_knobs,
		.why = "baseline: the host's current values", .baseline = true,
	};
	int ret;

	run->since_anchor = 0;
	/* Resumed: the host may have changed meanwhile; anchor it anew. */
	if (results_baseline(&run->results))
		return tune_measure_again(run, 0, run->cfg.repeats, "anchor",
					  "baseline anchor: resumed");
	ret = tune_measure_config(run, &req);
	if (!ret)
		run->next_iteration = 1;
	return ret;
}

/* The baseline again, when anchor_every configurations were measured. */
static int anchor_if_due(struct tune_run *run, bool closing)
{
	unsigned int every = run->cfg.anchor_every;
	char why[64];

	if (!every || !run->since_anchor ||
	    (!closing && run->since_anchor < every))
		return 0;
	snprintf(why, sizeof(why), "baseline anchor: after iteration %u",
		 run->next_iteration - 1);
	run->since_anchor = 0;
	return tune_measure_again(run, 0, run->cfg.repeats, "anchor", why);
}

/* Stopped early: the baseline itself could not be measured. */
static bool baseline_failed(struct tune_run *run, char *why, size_t len)
{
	const struct tune_obs *base = results_baseline(&run->results);

	if (!base || !base->o.failed)
		return false;
	snprintf(why, len, "the baseline failed: %s; nothing was changed: fix the target, then run again",
		 base->error[0] ? base->error : "no window succeeded");
	return true;
}

/* After the search: nothing but the baseline gave a value. */
static bool all_failed(const struct tune_run *run, char *why, size_t len)
{
	const struct tune_results *r = &run->results;
	const char *last = "";
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (r->obs[i].o.baseline)
			continue;
		if (!r->obs[i].o.failed)
			return false;
		last = r->obs[i].error;
	}
	if (r->n < 2)
		return false;
	snprintf(why, len, "every configuration failed (%zu of %zu), the last: %s",
		 r->n - 1, r->n - 1, last[0] ? last : "no window succeeded");
	return true;
}

int tune_verify_config(struct tune_run *run, const struct tune_obs *o,
		       double *objective, double *constraints)
{
	char why[64];
	struct config_request req = {
		.iteration = o ? o->iteration : 0,
		.x = o ? o->x : run->baseline_x,
		.knobs = o ? o->knobs : run->baseline_knobs,
		.why = why, .baseline = !o, .verify = true,
	};

	if (o)
		snprintf(why, sizeof(why), "verification: iteration %u", o->iteration);
	else
		snprintf(why, sizeof(why), "verification: the baseline");
	return tune_verify_window(run, &req, objective, constraints);
}

bool tune_round_fits(const struct tune_run *run, double cost_ms)
{
	return !run->cfg.budget_s ||
	       monotonic_ms() - run->start_ms + cost_ms <= run->cfg.budget_s * 1000;
}

/*
 * After the search: the baseline and the best candidates measured again,
 * interleaved round by round, until the sequential test decides or the
 * rounds (or the time) run out, and a candidate recommended only when it
 * is better with confidence (verify.h); run->verify says which, and why.
 * 0, or what tune_verify_window() or the plan returned.
 */
static int verify_best(struct tune_run *run, struct tuner *tuner)
{
	const struct tune_config *cfg = &run->cfg;
	struct tuner_observation *obs = results_history(&run->results);
	struct tuner_history h = { obs, run->results.n };
	size_t idx[TUNE_VERIFY_CANDIDATES_MAX], nc = cfg->nconstraints;
	size_t max = cfg->verify_rounds, k, r, j;
	int order[TUNE_VERIFY_CANDIDATES_MAX + 1], n, ret = 0;
	struct verify_result res = { .cand = run->verify_stats };
	struct verify_plan plan = { 0 };
	struct verify_input in;
	double *base, *cand, *cons, *scratch, round_ms;

	if (cfg->nobjectives == 2) {
		free(obs);
		return tune_verify_pick(run);
	}
	n = obs ? tuner_rank(tuner, &h, idx, cfg->verify_candidates) : -ENOMEM;
	free(obs);
	if (n < 0)
		return n;
	k = (size_t)n;
	base = calloc(max, sizeof(*base));
	cand = calloc(k * max + 1, sizeof(*cand));
	cons = calloc(k * max * nc + 1, sizeof(*cons));
	scratch = calloc(nc + 1, sizeof(*scratch));
	ret = base && cand && cons && scratch ? 0 : -ENOMEM;
	ret = ret ?: verify_plan_init(&plan, max, k ? k : 1, cfg->verify_alpha);
	in = (struct verify_input){
		.plan = &plan, .ncand = k, .baseline = base,
		.candidates = cand, .goal = cfg->objective.goal,
		.min_effect = cfg->verify_min_effect,
		.constraints = cfg->constraints, .nconstraints = nc,
		.constraint_values = cons,
	};
	if (!ret && k)
		progress_note(&run->progress,
			      "verifying: the baseline and %zu candidates, up to %zu rounds",
			      k, max);
	res.decision = VERIFY_CONTINUE;
	for (r = 0; k && r < max && !ret && res.decision == VERIFY_CONTINUE; r++) {
		round_ms = monotonic_ms();
		verify_round_order(k, r, order);
		for (j = 0; j <= k && !ret; j++) {
			size_t c = order[j] < 0 ? 0 : (size_t)order[j];

			/* given up: judged on its rounds so far, for good */
			if (order[j] >= 0 && r && res.cand[c].given_up) {
				cand[c * max + r] = NAN;
				continue;
			}
			ret = order[j] < 0 ?
			      tune_verify_config(run, NULL, &base[r], scratch) :
			      tune_verify_config(run, &run->results.obs[idx[c]],
					    &cand[c * max + r],
					    &cons[(c * max + r) * nc]);
		}
		round_ms = monotonic_ms() - round_ms;
		in.rounds = r + 1;
		in.last = !tune_round_fits(run, round_ms);
		in.out_of_time = in.last && r + 1 < max;
		ret = ret ?: verify_decide(&in, &res);
	}
	if (!ret && !k)
		ret = verify_decide(&in, &res);
	if (!ret) {
		for (j = 0; j < k; j++)
			run->verify_cand[j] = &run->results.obs[idx[j]];
		run->verify = (struct verify_summary){
			.ncand = k, .cand = run->verify_cand,
			.stats = run->verify_stats, .chosen = res.chosen,
			.decision = res.decision, .rounds = in.rounds,
		};
		snprintf(run->verify.why, sizeof(run->verify.why), "%s", res.why);
		run->verified = true;
		progress_note(&run->progress, "%s", res.why);
	}
	verify_plan_free(&plan);
	free(base);
	free(cand);
	free(cons);
	free(scratch);
	return ret;
}

/*
 * Prepared and connected: the baseline, then the tuner's suggestions, the
 * baseline measured again every anchor_every of them and at the end.
 */
static enum stop_reason run_loop(struct tune_run *run, char *why, size_t len)
{
	struct tuner_problem problem = problem_of(&run->cfg, run->baseline_x);
	struct tuner_context context = {
		.dir = run->dir, .resume = run->opts->resume != NULL,
		.waiter = &run->waiter, .sysroot = run->opts->sysroot,
		.baseline_knobs = run->baseline_knobs, .target = run->cfg.target,
	};
	struct tuner tuner;
	int ret;

	problem.context = &context;
	ret = tuner_create(&tuner, run->cfg.tuner, &problem, why, len);
	if (ret)
		return STOP_TUNER;
	ret = budget_left(run) || !results_baseline(&run->results) ?
	      measure_baseline(run) : 0;
	if (!ret && baseline_failed(run, why, len)) {
		tuner_destroy(&tuner);
		return STOP_BASELINE_FAILED;
	}
	while (!ret && budget_left(run) && !waiter_stopped(&run->waiter)) {
		ret = anchor_if_due(run, false);
		ret = ret ?: tune_step(run, &tuner, why, len);
	}
	/*
	 * The search ended by itself, its iterations or the time left for
	 * the search (verification has its share reserved): its last
	 * configurations get an anchor, and the verdict is taken.
	 */
	if (ret == -ENODATA || (!ret && !waiter_stopped(&run->waiter)))
		ret = anchor_if_due(run, true) ?: ret;
	if (run->cfg.verify_rounds &&
	    (ret == -ENODATA || (!ret && !waiter_stopped(&run->waiter))))
		ret = verify_best(run, &tuner) ?: ret;
	run->tuner_stats = tuner_stats(&tuner);
	tuner_destroy(&tuner);
	if ((!ret || ret == -ENODATA) && !waiter_stopped(&run->waiter) &&
	    all_failed(run, why, len))
		return STOP_ALL_FAILED;
	if (ret == -ENODATA)
		return STOP_TUNER_DONE;
	if (ret == -EINTR || (!ret && waiter_stopped(&run->waiter)))
		return STOP_INTERRUPTED;
	if (ret == -ECANCELED)
		return STOP_SESSION_LOST;
	if (ret == -EPROTO)
		return STOP_TUNER;
	if (ret) {
		snprintf(why, len, "%s", ret == -EIO ? "cannot write history.jsonl" :
			 strerror(-ret));
		return STOP_ERROR;
	}
	return run->results.n > run->cfg.iterations ? STOP_BUDGET : STOP_TIME;
}

const char *tune_phase_name(const struct tune_run *run, size_t p)
{
	return json_string_value(json_object_get(json_array_get(run->cfg.phases, p),
						 "name"));
}

/*
 * What preparing phase p's target found (a calibrated work size) goes
 * into the phase in the resolved config, so that a resumed run measures
 * the same work.
 */
static int keep_calibration(struct tune_run *run, size_t p)
{
	json_t *phase = json_array_get(run->cfg.phases, p), *v;
	const json_t *spec = run->phase_targets[p].spec;
	char keys[512], probe[80], why[256];
	const char *key;
	int ret = target_phase_keys(run->cfg.target, keys, sizeof(keys), why,
				    sizeof(why));

	if (ret)
		return ret;
	json_object_foreach((json_t *)spec, key, v) {
		char list[600];

		snprintf(list, sizeof(list), ", %s, ", keys);
		snprintf(probe, sizeof(probe), ", %s, ", key);
		if (strstr(list, probe) && !json_object_get(phase, key) &&
		    !json_equal(v, json_object_get(run->cfg.target, key)) &&
		    json_object_set(phase, key, v))
			return -ENOMEM;
	}
	return 0;
}

/* Each load phase's target, made and prepared in order. -errno with why. */
static int prepare_phases(struct tune_run *run, char *why, size_t len)
{
	size_t p;
	int ret = 0;

	for (p = 0; !ret && p < run->cfg.nphases; p++) {
		json_t *spec = target_phase_spec(run->cfg.target,
						 json_array_get(run->cfg.phases, p));

		if (!spec)
			return -ENOMEM;
		ret = target_create(&run->phase_targets[p], spec, &run->env, why, len);
		json_decref(spec);
		if (ret)
			return ret;
		run->nphase_targets++;
		progress_note(&run->progress, "preparing load phase %s", tune_phase_name(run, p));
		ret = run->phase_targets[p].ops->prepare(&run->phase_targets[p], why, len);
		ret = ret ?: keep_calibration(run, p);
	}
	return ret;
}

/* Stops what the targets started. */
static void cleanup_targets(struct tune_run *run)
{
	size_t p;

	if (run->have_target && run->target.ops->cleanup)
		run->target.ops->cleanup(&run->target);
	for (p = 0; p < run->nphase_targets; p++)
		if (run->phase_targets[p].ops->cleanup)
			run->phase_targets[p].ops->cleanup(&run->phase_targets[p]);
}

static int prepare(struct tune_run *run, char *why, size_t len)
{
	int ret;

	run->env = (struct target_env){
		.waiter = &run->waiter, .workdir = run->workdir,
		.window_s = run->cfg.window_s,
	};
	ret = target_create(&run->target, run->cfg.target, &run->env, why, len);
	if (ret)
		return CLI_USAGE;
	run->have_target = true;
	progress_note(&run->progress, "preparing the target (%s)",
		      json_string_value(json_object_get(run->cfg.target, "type")));
	/* with phases, the target is what they vary: each is prepared instead */
	ret = run->cfg.nphases ? prepare_phases(run, why, len) :
	      run->target.ops->prepare(&run->target, why, len);
	if (ret == -ENOMEM)
		snprintf(why, len, "out of memory");
	if (ret == -EINTR || ret == -ECANCELED)
		snprintf(why, len, "%s", ret == -EINTR ? "interrupted" : run->session_msg);
	if (ret)
		return ret == -EINTR ? 128 + run->waiter.stop_signal : CLI_FAILED;
	if (write_config(run)) {
		snprintf(why, len, "cannot write %s/config.json", run->dir);
		return CLI_FAILED;
	}
	return CLI_OK;
}

/*
 * Pinned: ostune moves off the workload's CPUs now, and the waiter puts
 * every process the target starts on them.
 */
static int pin_target(struct tune_run *run, char *why, size_t len)
{
	bool own[CPU_SETSIZE];
	cpu_set_t set;
	size_t cpu;
	int ret;

	if (!run->cfg.cpus)
		return 0;
	ret = pin_apply(run->cfg.cpus, &run->target_cpus, why, len);
	if (ret)
		return ret;
	run->waiter.child_cpus = &run->target_cpus;
	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		own[cpu] = CPU_ISSET(cpu, &set);
	cpulist_format(own, CPU_SETSIZE, run->ostune_cpus, sizeof(run->ostune_cpus));
	progress_note(&run->progress, "pinned: the target on CPUs %s, ostune on %s",
		      run->cfg.cpus, run->ostune_cpus);
	return 0;
}

static int connect_session(struct tune_run *run)
{
	uint32_t lease = (uint32_t)llround(run->cfg.watchdog_s * 1000);
	int ret;

	if (module_connect(&run->client))
		return CLI_FAILED;
	run->connected = true;
	ret = ostune_session_open(&run->client, lease);
	if (ret)
		return module_op_failed(&run->client, "session open", ret);
	waiter_init(&run->waiter, lease / 3, beat, run);
	run->have_waiter = true;
	return CLI_OK;
}

static void finish(struct tune_run *run, enum stop_reason stopped)
{
	struct run_info info = {
		.cfg = &run->cfg, .dir = run->dir, .stopped = stopped,
		.elapsed_s = (monotonic_ms() - run->start_ms) / 1000.0,
		.verify = run->verified ? &run->verify : NULL,
		.pattern_knobs = run->pattern_knobs,
		.fixed_was = run->fixed_was,
		.ostune_cpus = run->ostune_cpus,
		.tuner_stats = run->tuner_stats,
	};
	char finished[40];
	int ret;

	progress_done(&run->progress);
	cleanup_targets(run);
	/* Closing the session restores; a lost one was restored already. */
	ret = ostune_session_close(&run->client);
	if (ret && !run->session_error)
		module_op_failed(&run->client, "session close", ret);
	iso_time(finished, sizeof(finished));
	info.started = run->started;
	info.finished = finished;
	if (run->results.n && run->cfg.nobjectives == 2) {
		if (tune_write_front(run))
			fprintf(stderr, "ostune: cannot write %s/pareto.json\n", run->dir);
		info.front = &run->front;
	}
	if (run->results.n) {
		if (results_write(&run->results, &info))
			fprintf(stderr, "ostune: cannot write the results into %s\n", run->dir);
		results_report(&run->results, &info, stdout);
	}
	if (stop_reason_resumable(stopped))
		fprintf(stderr, "ostune: tune stopped (%s); the knobs are restored; continue with: ostune tune --resume %s\n",
			stop_reason_name(stopped), run->dir);
}

static int run_tune(struct tune_run *run, char *why, size_t len)
{
	enum stop_reason stopped;
	int ret;

	iso_time(run->started, sizeof(run->started));
	ret = connect_session(run);
	if (ret)
		return ret;
	progress_init(&run->progress, stderr, run->opts->tty, run->cfg.iterations,
		      run->cfg.budget_s, run->cfg.objective.metric);
	ret = pin_target(run, why, len) ? CLI_FAILED : 0;
	ret = ret ?: prepare(run, why, len);
	if (!ret && resolve_patterns(run, why, len))
		ret = CLI_FAILED;
	if (!ret && (read_baseline(run, why, len) || read_fixed_was(run, why, len)))
		ret = CLI_FAILED;
	if (!ret && history_open(&run->history, run->dir)) {
		snprintf(why, len, "cannot open %s/history.jsonl", run->dir);
		ret = CLI_FAILED;
	}
	if (ret) {
		cleanup_targets(run);
		ostune_session_close(&run->client);
		return ret;
	}
	check_baseline(run);
	sysstat_init(&run->sys, "/");
	if (perfcount_open(&run->perf) == 0 && run->perf.why_not[0])
		progress_note(&run->progress, "no perf counters: %s", run->perf.why_not);
	stopped = run_loop(run, why, len);
	finish(run, stopped);
	history_close(&run->history);
	perfcount_close(&run->perf);
	switch (stopped) {
	case STOP_INTERRUPTED:
		return 128 + (run->waiter.stop_signal ? run->waiter.stop_signal : SIGINT);
	case STOP_SESSION_LOST:
		snprintf(why, len, "the session was lost (%s): the kernel restored the knobs",
			 run->session_msg);
		return CLI_FAILED;
	default:
		return stop_reason_failed(stopped) ? CLI_FAILED : CLI_OK;
	}
}

int tune_main(const struct tune_options *o, struct tune_outcome *out)
{
	struct tune_run run = { .opts = o };
	char why[WHY_MAX] = "";
	int ret;

	*out = (struct tune_outcome){ 0 };
	run.start_ms = monotonic_ms();
	ret = setup_config(&run, why, sizeof(why));
	run.results.crown_windows = run.cfg.max_windows;
	run.results.nphases = run.cfg.nphases;
	if (!ret && o->plan) {
		json_dumpf(run.cfg.doc, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		fputc('\n', stdout);
		tune_config_free(&run.cfg);
		return CLI_OK;
	}
	ret = ret ?: setup_dir(&run, why, sizeof(why));
	if (!ret && o->resume && tune_resume_history(&run, why, sizeof(why)))
		ret = CLI_USAGE;
	/* what this process measures is what tells its pace */
	run.resumed_configs = run.results.n;
	run.resumed_windows = run.results.windows;
	if (!ret)
		ret = run_tune(&run, why, sizeof(why));
	if (ret && why[0])
		fprintf(stderr, "ostune: tune: %s\n", why);
	if (run.have_waiter)
		waiter_release(&run.waiter);
	if (run.have_target)
		target_destroy(&run.target);
	while (run.nphase_targets)
		target_destroy(&run.phase_targets[--run.nphase_targets]);
	if (run.connected)
		ostune_client_close(&run.client);
	snprintf(out->dir, sizeof(out->dir), "%s", run.dir);
	out->results = run.results.n > 0;
	results_free(&run.results);
	free(run.baseline_x);
	json_decref(run.baseline_knobs);
	json_decref(run.pattern_knobs);
	json_decref(run.fixed_was);
	json_decref(run.tuner_stats);
	knob_list_free(&run.known);
	front_free(&run.front);
	tune_config_free(&run.cfg);
	return ret;
}
