// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Results: storage, the best configuration, the improvement over the
 * baseline with its spread, and the files and report made of them.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/stats.h"
#include "base/textnum.h"
#include "tune/results.h"

struct tune_obs *results_add(struct tune_results *r, size_t dims,
			     size_t nconstraints)
{
	struct tune_obs *o;

	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 32;
		struct tune_obs *grown = realloc(r->obs, cap * sizeof(*grown));

		if (!grown)
			return NULL;
		r->obs = grown;
		r->cap = cap;
	}
	o = &r->obs[r->n];
	memset(o, 0, sizeof(*o));
	o->x = calloc(dims ? dims : 1, sizeof(*o->x));
	o->constraint_values = calloc(nconstraints ? nconstraints : 1,
				      sizeof(*o->constraint_values));
	o->knobs = json_object();
	o->phase_pool = r->nphases ? calloc(r->nphases, sizeof(*o->phase_pool)) : NULL;
	if (!o->x || !o->constraint_values || !o->knobs ||
	    (r->nphases && !o->phase_pool)) {
		free(o->x);
		free(o->constraint_values);
		json_decref(o->knobs);
		free(o->phase_pool);
		return NULL;
	}
	o->o.x = o->x;
	o->o.constraint_values = o->constraint_values;
	o->o.objectives[0] = NAN;
	o->o.objectives[1] = NAN;
	o->o.spread = NAN;
	o->overhead_ms = NAN;
	r->n++;
	return o;
}

int results_add_cpu_share(struct tune_results *r, double share)
{
	if (r->ncpu == r->cap_cpu) {
		size_t cap = r->cap_cpu ? 2 * r->cap_cpu : 64;
		double *grown = realloc(r->cpu_share, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		r->cpu_share = grown;
		r->cap_cpu = cap;
	}
	r->cpu_share[r->ncpu++] = share;
	return 0;
}

static void obs_free(struct tune_obs *o, size_t nphases)
{
	size_t p;

	free(o->x);
	free(o->constraint_values);
	json_decref(o->knobs);
	pool_free(&o->pool);
	for (p = 0; o->phase_pool && p < nphases; p++)
		pool_free(&o->phase_pool[p]);
	free(o->phase_pool);
}

void results_drop_last(struct tune_results *r)
{
	if (r->n)
		obs_free(&r->obs[--r->n], r->nphases);
}

void results_free(struct tune_results *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		obs_free(&r->obs[i], r->nphases);
	free(r->obs);
	free(r->cpu_share);
	anchors_free(&r->anchors);
	anchors_free(&r->anchors2);
	memset(r, 0, sizeof(*r));
}

struct tuner_observation *results_history(const struct tune_results *r)
{
	struct tuner_observation *h = calloc(r->n ? r->n : 1, sizeof(*h));
	size_t i;

	for (i = 0; h && i < r->n; i++) {
		h[i] = r->obs[i].o;
		h[i].error = r->obs[i].error[0] ? r->obs[i].error : NULL;
	}
	return h;
}

const struct tune_obs *results_baseline(const struct tune_results *r)
{
	return r->n && r->obs[0].o.baseline ? &r->obs[0] : NULL;
}

bool results_trusted(const struct tune_obs *o)
{
	return !o->o.failed && o->o.feasible && !o->o.noisy &&
	       isfinite(o->o.objectives[0]);
}

unsigned int results_crown_need(const struct tune_results *r, size_t skip)
{
	const struct tune_obs *o;
	unsigned int need = 0;
	size_t i;

	for (i = 0; i < r->n; i++) {
		o = &r->obs[i];
		if (i != skip && results_trusted(o) && !o->o.baseline &&
		    o->o.windows > need)
			need = o->o.windows;
	}
	return need > r->crown_windows ? r->crown_windows : need;
}

long results_best_index(const struct tune_results *r,
			const struct objective *obj, size_t skip)
{
	const struct tune_obs *best = NULL, *o;
	unsigned int need = results_crown_need(r, skip);
	long at = -1;
	size_t i;

	for (i = 0; i < r->n; i++) {
		o = &r->obs[i];
		if (i == skip || !results_trusted(o) ||
		    (!o->o.baseline && o->o.windows < need))
			continue;
		if (best && objective_score(obj, o->o.objectives[0]) >=
			    objective_score(obj, best->o.objectives[0]))
			continue;
		best = o;
		at = (long)i;
	}
	return at;
}

const struct tune_obs *results_best(const struct tune_results *r,
				    const struct objective *obj)
{
	long i = results_best_index(r, obj, SIZE_MAX);

	return i < 0 ? NULL : &r->obs[i];
}

static void judge(struct tune_obs *o, const struct pool_stats *st,
		  const struct tune_config *cfg)
{
	unsigned int counted = st->completed + st->censored;
	size_t k;

	o->o.windows = counted;
	o->timed_out = st->censored;
	o->o.spread = st->spread;
	o->o.failed = !counted || st->censored_median || counted * 2 < o->pool.n;
	o->o.objectives[0] = o->o.failed ? NAN : st->median;
	/* the second objective is tracked as the last constraint */
	o->o.objectives[1] = o->o.failed || cfg->nobjectives < 2 ? NAN :
			     o->constraint_values[cfg->nconstraints - 1];
	o->o.noisy = !o->o.failed && st->completed >= POOL_NOISY_MIN_WINDOWS &&
		     st->spread > cfg->max_spread;
	o->o.feasible = !o->o.failed;
	for (k = 0; k < cfg->nconstraints; k++)
		if (!constraint_holds(&cfg->constraints[k], o->constraint_values[k]))
			o->o.feasible = false;
	if (st->censored_median)
		snprintf(o->error, sizeof(o->error),
			 "%u of %u windows ran past the timeout (%g s)",
			 st->censored, counted, cfg->timeout_s);
}

int results_judge(struct tune_results *r, const struct tune_config *cfg)
{
	struct pool_stats st;
	size_t i;

	for (i = 0; i < r->n; i++) {
		struct tune_obs *o = &r->obs[i];

		if (o->refused)
			continue;
		if (pool_stats(&o->pool, 0, &r->anchors, cfg->objective.goal, &st,
			       o->constraint_values))
			return -ENOMEM;
		/* the second objective, tracked as the last constraint, drifts too */
		if (cfg->nobjectives == 2 &&
		    pool_cons_median(&o->pool, 0, cfg->nconstraints - 1, &r->anchors2,
				     &o->constraint_values[cfg->nconstraints - 1]))
			return -ENOMEM;
		judge(o, &st, cfg);
	}
	return 0;
}

/*
 * The baseline's median in each phase, from its first block: what every
 * round's phases are measured against.
 */
static int set_phase_refs(struct tune_results *r, const struct tune_obs *base,
			  const struct tune_config *cfg)
{
	struct pool_stats st;
	size_t p;

	for (p = 0; p < r->nphases; p++) {
		if (pool_stats(&base->phase_pool[p], 0, NULL, cfg->objective.goal,
			       &st, NULL))
			return -ENOMEM;
		r->phase_ref[p] = st.median;
	}
	r->phase_ref_set = true;
	return 0;
}

/*
 * anchors_spread() of the completed windows [from, p->n) of pool p:
 * their objective (k < 0) or constraint column k.
 */
static double anchor_spread(const struct pool *p, size_t from, long k,
			    double center)
{
	double *v = calloc(p->n + 1, sizeof(*v)), out;
	size_t i, m = 0;

	if (!v)
		return NAN;
	for (i = from; i < p->n; i++)
		if (!p->censored[i] && isfinite(p->value[i]))
			v[m++] = k < 0 ? p->value[i] : p->cons[i * p->ncons + (size_t)k];
	out = anchors_spread(v, m, center);
	free(v);
	return out;
}

/*
 * Each round of entry idx from index from on, scored from its phases'
 * windows (phases.h): a window past the timeout in any phase censors
 * the round, a failed one fails it; a constraint takes the phase that
 * comes closest to breaking it.
 */
static int score_rounds(struct tune_results *r, size_t idx, size_t from,
			const struct tune_config *cfg)
{
	struct tune_obs *o = &r->obs[idx];
	size_t nc = cfg->nconstraints, i, p, k;
	double v[TUNE_PHASES_MAX];
	int ret = 0;

	if (!r->phase_ref_set && o->o.baseline)
		ret = set_phase_refs(r, o, cfg);
	for (i = from; !ret && i < o->pool.n; i++) {
		bool censored = false;

		for (p = 0; p < r->nphases; p++) {
			v[p] = o->phase_pool[p].value[i];
			censored = censored || o->phase_pool[p].censored[i];
		}
		o->pool.censored[i] = censored;
		o->pool.value[i] = censored ? NAN :
				   phases_score(v, r->phase_ref, r->nphases,
						cfg->phase_score, cfg->objective.goal);
		for (k = 0; k < nc; k++) {
			for (p = 0; p < r->nphases; p++)
				v[p] = o->phase_pool[p].cons[i * nc + k];
			o->pool.cons[i * nc + k] = phases_worst(&cfg->constraints[k],
								v, r->nphases);
		}
	}
	return ret;
}

int results_close_block(struct tune_results *r, size_t idx, size_t from,
			const struct tune_config *cfg)
{
	const struct pool *p = &r->obs[idx].pool;
	struct anchor a = { .position = 0 };
	struct pool_stats st;
	size_t i;
	int ret;

	if (r->nphases && !r->obs[idx].refused) {
		ret = score_rounds(r, idx, from, cfg);
		if (ret)
			return ret;
	}
	r->obs[idx].batches++;
	if (!r->obs[idx].o.baseline)
		return results_judge(r, cfg);
	ret = pool_stats(p, from, NULL, cfg->objective.goal, &st, NULL);
	if (ret)
		return ret;
	for (i = from; i < p->n; i++)
		if (!p->censored[i] && isfinite(p->value[i]))
			a.position += p->position[i] / st.completed;
	a.value = st.median;
	a.spread = anchor_spread(p, from, -1, a.value);
	a.windows = st.completed;
	a.configurations = (unsigned int)r->n;
	/* A baseline that failed this time anchors nothing. */
	ret = isfinite(a.value) ? anchors_add(&r->anchors, &a) : 0;
	/* the second objective's anchor: its own median and spread */
	if (!ret && isfinite(a.value) && cfg->nobjectives == 2) {
		ret = pool_cons_median(p, from, cfg->nconstraints - 1, NULL, &a.value);
		a.spread = anchor_spread(p, from, (long)cfg->nconstraints - 1, a.value);
		if (!ret && isfinite(a.value))
			ret = anchors_add(&r->anchors2, &a);
	}
	return ret ?: results_judge(r, cfg);
}

/*
 * Improvement of best over the baseline in percent (positive is better),
 * and its spread: the two configurations' relative spreads combined as
 * independent errors.
 */
static bool improvement(const struct tune_obs *base, const struct tune_obs *best,
			const struct objective *obj, double *pct, double *spread)
{
	double b, v;

	/* A noisy baseline is still the reference; its spread says how much. */
	if (!base || !best || base->o.failed || !isfinite(base->o.objectives[0]))
		return false;
	b = base->o.objectives[0];
	v = best->o.objectives[0];
	if (b == 0)
		return false;
	*pct = 100 * (obj->goal == GOAL_MINIMIZE ? b - v : v - b) / fabs(b);
	/* d(v/b) / (v/b) = hypot(dv/v, db/b) */
	*spread = 100 * hypot(base->o.spread, best->o.spread) * fabs(v / b);
	return true;
}

bool results_improvement(const struct tune_results *r,
			 const struct objective *o, double *pct, double *spread)
{
	return improvement(results_baseline(r), results_best(r, o), o, pct,
			   spread);
}

static json_t *number_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *obs_json(const struct tune_obs *o)
{
	if (!o)
		return json_null();
	return json_pack("{s:i,s:O,s:o,s:o,s:i,s:i,s:s,s:b,s:b,s:b}",
			 "iteration", o->iteration, "knobs", o->knobs,
			 "objective", number_or_null(o->o.objectives[0]),
			 "spread", number_or_null(o->o.spread),
			 "windows", o->o.windows, "timed_out", o->timed_out,
			 "why", o->why, "feasible", o->o.feasible,
			 "noisy", o->o.noisy, "failed", o->o.failed);
}

/* Median and maximum of v (reordered), as {"median", "max"}. */
static json_t *figure(double *v, size_t n, double scale)
{
	double max = -INFINITY;
	size_t i;

	for (i = 0; i < n; i++)
		max = fmax(max, v[i]);
	if (!n)
		return json_null();
	return json_pack("{s:f,s:f}", "median", stats_median(v, n) * scale,
			 "max", max * scale);
}

static json_t *loop_cost(const struct tune_results *r)
{
	double *overhead = calloc(r->n ? r->n : 1, sizeof(*overhead));
	double *share = calloc(r->ncpu ? r->ncpu : 1, sizeof(*share));
	size_t i, n = 0;
	json_t *out;

	if (!overhead || !share) {
		free(overhead);
		free(share);
		return json_null();
	}
	for (i = 0; i < r->n; i++)
		if (isfinite(r->obs[i].overhead_ms))
			overhead[n++] = r->obs[i].overhead_ms;
	if (r->ncpu)
		memcpy(share, r->cpu_share, r->ncpu * sizeof(*share));
	out = json_pack("{s:o,s:o}",
			"overhead_ms_per_iteration", figure(overhead, n, 1),
			"ostune_cpu_pct_of_window", figure(share, r->ncpu, 100));
	free(overhead);
	free(share);
	return out;
}

/*
 * What best.json holds: the verified candidate; unverified, the best when
 * verification was off, nothing when the run could not verify.
 */
static const struct tune_obs *recommended(const struct tune_results *r,
					  const struct run_info *info)
{
	const struct verify_summary *v = info->verify;

	if (!v && info->front)
		return info->cfg->verify_rounds || info->front->pick < 0 ? NULL :
		       &r->obs[info->front->pick];
	if (!v)
		return info->cfg->verify_rounds ? NULL :
		       results_best(r, &info->cfg->objective);
	return v->chosen >= 0 ? v->cand[v->chosen] : NULL;
}

static const char *const decision_names[] = {
	[VERIFY_CONTINUE] = "inconclusive", [VERIFY_BETTER] = "better",
	[VERIFY_NOT_BETTER] = "not_better",
	[VERIFY_INCONCLUSIVE] = "inconclusive",
};

static json_t *ratio_json(const struct verify_candidate *c)
{
	return json_pack("{s:o,s:o,s:o,s:s}", "ratio", number_or_null(c->ratio),
			 "low", number_or_null(c->low),
			 "high", number_or_null(c->high),
			 "interval", c->fieller ? "fieller" : "log-ratio");
}

static const char *const pair_state_names[] = {
	[VERIFY_CONTINUE] = "undecided", [VERIFY_BETTER] = "shown",
	[VERIFY_NOT_BETTER] = "refuted", [VERIFY_INCONCLUSIVE] = "undecided",
};

/* A knee pick's "worse by at most max_loss" on objective k. */
static json_t *not_worse_json(const struct verify_pair_result *p, size_t k,
			      const struct objective *o,
			      const struct tune_config *cfg)
{
	const struct verify_candidate *c = &p->not_worse[k];
	bool min = o->goal == GOAL_MINIMIZE;
	json_t *out = ratio_json(c);

	json_object_update_new(out, json_pack("{s:f,s:f,s:f,s:o,s:s}",
		"confidence", 1 - 2 * cfg->verify_alpha,
		"max_loss", cfg->verify_max_loss,
		"allowed", min ? 1 + cfg->verify_max_loss :
			   1 / (1 + cfg->verify_max_loss),
		"worst", number_or_null(min ? c->high : c->low),
		"decision", pair_state_names[p->not_worse_decision[k]]));
	return out;
}

/* A constrained pick's bound on the other objective, measured again. */
static json_t *subject_to_json(const struct verify_pair_result *p,
			       const struct tune_config *cfg)
{
	const struct constraint *c = &cfg->pick.subject_to;
	bool upper = c->op == CMP_LE || c->op == CMP_LT;
	char text[64];

	constraint_format(c, text, sizeof(text));
	return json_pack("{s:s,s:s,s:s,s:o,s:o,s:s}", "constraint", text,
			 "statistic", p->bound_by_median ? "median" : "mean",
			 "side", upper ? "upper" : "lower",
			 "bound", number_or_null(upper ? p->bound_high : p->bound_low),
			 "confidence", p->bound_by_median ? json_null() :
				       json_real(1 - cfg->verify_alpha),
			 "state", verify_bound_name(p->bound));
}

json_t *results_pair_json(const struct verify_pair_result *p,
			  const struct tune_config *cfg)
{
	const struct objective *o[2] = { &cfg->objective, &cfg->objective2 };
	bool knee = cfg->pick.kind != PICK_CONSTRAINED;
	json_t *out = json_object(), *one;
	size_t k;

	for (k = 0; out && k < 2; k++) {
		one = ratio_json(&p->better[k]);
		/* "better" is tested at alpha / 2 on each: either may decide */
		json_object_update_new(one, json_pack("{s:i,s:f,s:s}",
			"pairs", (int)p->better[k].pairs,
			"confidence", 1 - cfg->verify_alpha,
			"better", decision_names[p->better_decision[k]]));
		if (knee)
			json_object_set_new(one, "not_worse",
					    not_worse_json(p, k, o[k], cfg));
		else if (k != cfg->pick.optimize)
			json_object_set_new(one, "subject_to",
					    subject_to_json(p, cfg));
		json_object_set_new(out, o[k]->metric, one);
	}
	return out;
}

/* Why a configured verification did not happen. */
static void not_verified(const struct run_info *info, char *buf, size_t len)
{
	snprintf(buf, len,
		 "not verified: the run stopped (%s) before verification could decide; keep the host's settings",
		 stop_reason_name(info->stopped));
}

static json_t *verify_json(const struct run_info *info)
{
	const struct verify_summary *v = info->verify;
	const struct verify_candidate *c;
	char why[VERIFY_WHY_MAX];
	json_t *cands, *out;
	double confidence;
	size_t j;

	if (!v && !info->cfg->verify_rounds)
		return json_null();
	if (!v) {
		not_verified(info, why, sizeof(why));
		return json_pack("{s:s,s:b,s:s,s:n,s:n,s:n}", "decision",
				 "not_verified", "recommended", 0, "why", why,
				 "ratio", "low", "high");
	}
	/*
	 * A pair's candidate is its "better" test of the first objective, at
	 * alpha / 2 on each side: each end a bound at 1 - alpha / 2, the
	 * interval >= 1 - alpha; one objective's, at alpha: >= 1 - 2 alpha.
	 */
	confidence = v->pair ? 1 - info->cfg->verify_alpha :
		     1 - 2 * info->cfg->verify_alpha;
	cands = json_array();
	for (j = 0; j < v->ncand; j++) {
		c = &v->stats[j];
		out = ratio_json(c);
		json_object_update_new(out, json_pack(
			"{s:i,s:i,s:i,s:f,s:b,s:b,s:b,s:f}",
			"iteration", v->cand[j]->iteration,
			"pairs", (int)c->pairs, "failed_windows", (int)c->failed,
			"p_value", c->p_value, "feasible", c->feasible,
			"better", c->better, "given_up", c->given_up > 0,
			"confidence", confidence));
		json_array_append_new(cands, out);
	}
	c = v->chosen >= 0 ? &v->stats[v->chosen] : NULL;
	out = c ? ratio_json(c) : json_pack("{s:n,s:n,s:n}", "ratio", "low", "high");
	json_object_update_new(out, json_pack(
		"{s:s,s:i,s:i,s:f,s:f,s:f,s:b,s:s,s:o,s:o}",
		"decision", decision_names[v->decision],
		"rounds", (int)v->rounds,
		"max_rounds", info->cfg->verify_rounds,
		"alpha", info->cfg->verify_alpha,
		"confidence", confidence,
		"min_effect", info->cfg->verify_min_effect,
		"recommended", c != NULL, "why", v->why,
		"pairs", c ? json_integer((json_int_t)c->pairs) : json_null(),
		"candidates", cands));
	if (v->pair)
		json_object_set_new(out, "objectives", results_pair_json(v->pair, info->cfg));
	return out;
}

/*
 * The drift anchors a show (anchors.h) as summary.json's drift_* fields,
 * or drift2_* (prefix) for the second objective's: whether it was
 * corrected and, when not, why ("windows", "anchors", "noise"), which the
 * reports say from these fields alone.
 */
static void drift_json(const struct anchors *a, const char *prefix, json_t *summary)
{
	double last, largest;
	bool have = anchors_drift(a, &last, &largest);
	char key[48];

#define SET(name, value) (snprintf(key, sizeof(key), "%s_%s", prefix, name), \
			  json_object_set_new(summary, key, value))
	SET("pct", have ? json_real(100 * last) : json_null());
	SET("largest_pct", have ? json_real(100 * largest) : json_null());
	SET("corrected", have ? json_boolean(a->corrected) : json_null());
	SET("noise_pct", have ? number_or_null(100 * a->noise) : json_null());
	SET("not_corrected", have && !a->corrected ?
	    json_string(anchors_why_name(a->why)) : json_null());
	SET("anchor_windows", json_integer(a->windows));
#undef SET
}

/* Each anchor, and the drift they show (anchors.h). */
static void anchors_json(const struct tune_results *r, const struct tune_config *cfg,
			 json_t *summary)
{
	const struct anchors *a = &r->anchors;
	json_t *list = json_array();
	size_t i;

	for (i = 0; list && i < a->n; i++)
		json_array_append_new(list, json_pack("{s:f,s:f,s:o,s:i,s:i}",
			"window", a->a[i].position + 1, "objective", a->a[i].value,
			"spread", number_or_null(a->a[i].spread),
			"windows", a->a[i].windows,
			"configurations", a->a[i].configurations));
	json_object_set_new(summary, "anchors", list ? list : json_null());
	drift_json(a, "drift", summary);
	if (cfg->nobjectives == 2)
		drift_json(&r->anchors2, "drift2", summary);
}

/* {"knob": {"value": "held", "was": "before the run"}} */
static json_t *fixed_json(const struct run_info *info)
{
	json_t *out = json_object(), *v, *was;
	const char *name;

	json_object_foreach(info->cfg->fixed, name, v) {
		was = json_object_get(info->fixed_was, name);
		json_object_set_new(out, name, json_pack("{s:O,s:O}", "value", v,
							 "was", was ? was : json_null()));
	}
	return out;
}

/* Entry o's median in load phase p, as measured (NaN when none). */
static double phase_median(const struct tune_obs *o, size_t p,
			   const struct tune_config *cfg)
{
	struct pool_stats st;

	if (!o || !o->phase_pool ||
	    pool_stats(&o->phase_pool[p], 0, NULL, cfg->objective.goal, &st, NULL))
		return NAN;
	return st.median;
}

static json_t *phase_entry_json(const struct tune_obs *o, size_t p,
				const struct tune_config *cfg)
{
	if (!o)
		return json_null();
	return json_pack("{s:i,s:o}", "iteration", o->iteration, "median",
			 number_or_null(phase_median(o, p, cfg)));
}

/*
 * Per load phase: the baseline's reference, and the baseline's, the
 * best's and the recommended configuration's medians there (as measured,
 * uncorrected), with the recommended one's (or without one the best's)
 * ratio to the baseline's.
 */
static json_t *phases_json(const struct tune_results *r,
			   const struct run_info *info)
{
	const struct tune_config *cfg = info->cfg;
	const struct tune_obs *base = results_baseline(r);
	const struct tune_obs *best = results_best(r, &cfg->objective);
	const struct tune_obs *rec = recommended(r, info);
	json_t *out = json_array();
	size_t p;

	if (!cfg->nphases) {
		json_decref(out);
		return json_null();
	}
	for (p = 0; p < cfg->nphases; p++)
		json_array_append_new(out, json_pack("{s:s,s:o,s:o,s:o,s:o,s:o}",
			"name", json_string_value(json_object_get(json_array_get(cfg->phases, p), "name")),
			"reference", number_or_null(r->phase_ref_set ? r->phase_ref[p] : NAN),
			"baseline", phase_entry_json(base, p, cfg),
			"best", phase_entry_json(best, p, cfg),
			"recommended", phase_entry_json(rec, p, cfg),
			"ratio", number_or_null(phase_median(rec ? rec : best, p, cfg) /
						phase_median(base, p, cfg))));
	return out;
}

static json_t *pinned_json(const struct run_info *info)
{
	if (!info->cfg->cpus)
		return json_null();
	return json_pack("{s:s,s:s}", "target", info->cfg->cpus, "ostune",
			 info->ostune_cpus ? info->ostune_cpus : "");
}

static json_t *results_summary(const struct tune_results *r,
			       const struct run_info *info)
{
	const struct tune_config *cfg = info->cfg;
	const struct tune_obs *base = results_baseline(r);
	const struct tune_obs *best = results_best(r, &cfg->objective);
	unsigned int noisy = 0, failed = 0;
	double pct = 0, spread = 0;
	bool have = improvement(base, best, &cfg->objective, &pct, &spread);
	size_t i;

	json_t *summary;

	for (i = 0; i < r->n; i++) {
		noisy += r->obs[i].o.noisy;
		failed += r->obs[i].o.failed;
	}
	summary = json_pack("{s:{s:s,s:s},s:s,s:s,s:s,s:f,s:i,s:i,s:i,s:i,s:i,"
			 "s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
			 "objective", "metric", cfg->objective.metric,
			 "goal", cfg->objective.goal == GOAL_MAXIMIZE ?
				 "maximize" : "minimize",
			 "started", info->started, "finished", info->finished,
			 "stopped", stop_reason_name(info->stopped), "elapsed_s", info->elapsed_s,
			 "configurations", (int)r->n, "windows", r->windows,
			 "failed_windows", r->failed_windows,
			 "failed_configurations", failed,
			 "noisy_configurations", noisy,
			 "baseline", obs_json(base), "best", obs_json(best),
			 "improvement_pct", have ? json_real(pct) : json_null(),
			 "improvement_spread_pct", have ? json_real(spread) : json_null(),
			 "loop", loop_cost(r),
			 "recommended", obs_json(recommended(r, info)),
			 "verification", verify_json(info),
			 "patterns", json_object_size(info->pattern_knobs) ?
				     json_deep_copy(info->pattern_knobs) : json_null());
	if (summary) {
		json_object_set_new(summary, "timed_out_windows",
				    json_integer(r->timed_out_windows));
		json_object_set_new(summary, "fixed", fixed_json(info));
		json_object_set_new(summary, "pinned", pinned_json(info));
		json_object_set_new(summary, "phases", phases_json(r, info));
		json_object_set_new(summary, "score", cfg->nphases ?
				    json_string(phase_score_name(cfg->phase_score)) :
				    json_null());
		anchors_json(r, cfg, summary);
		json_object_set_new(summary, "anchors_failed",
				    json_integer(r->anchors_failed));
		if (info->tuner_stats)
			json_object_set(summary, "tuner_stats", info->tuner_stats);
	}
	return summary;
}

static int write_json(const char *dir, const char *name, json_t *doc)
{
	char path[700], tmp[720];
	int ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (json_dump_file(doc, tmp, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) || rename(tmp, path))
		ret = -EIO;
	json_decref(doc);
	return ret;
}

/*
 * The profile's knobs: the fixed ones too, the state that was measured,
 * so that `ostune apply` reproduces it.
 */
static json_t *profile_knobs(const struct tune_obs *best,
			     const struct run_info *info)
{
	json_t *knobs = json_deep_copy(info->cfg->fixed);

	if (!knobs)
		knobs = json_object();
	json_object_update(knobs, best->knobs);
	return knobs;
}

int results_write(const struct tune_results *r, const struct run_info *info)
{
	const struct tune_obs *best = recommended(r, info);
	char path[700];
	FILE *f;
	int ret = 0;

	if (best)
		/* `ostune apply` reads "knobs" and ignores the rest. */
		ret = write_json(info->dir, "best.json",
				 json_pack("{s:o,s:s,s:f,s:f,s:i,s:s,s:o}",
					   "knobs", profile_knobs(best, info),
					   "metric", info->cfg->objective.metric,
					   "objective", best->o.objectives[0],
					   "spread", best->o.spread,
					   "iteration", best->iteration,
					   "why", best->why,
					   "verified", info->verify ?
					   json_string(info->verify->why) : json_null()));
	snprintf(path, sizeof(path), "%s/best.json", info->dir);
	/* Defaults stand, or not verified: nothing to apply, not even a stale profile. */
	if (!best && (info->verify || info->cfg->verify_rounds) &&
	    unlink(path) && errno != ENOENT)
		ret = -errno;
	ret = write_json(info->dir, "summary.json", results_summary(r, info)) ?: ret;
	snprintf(path, sizeof(path), "%s/report.txt", info->dir);
	f = fopen(path, "we");
	if (!f)
		return -errno;
	results_report(r, info, f);
	if (fclose(f))
		ret = -errno;
	return ret;
}

static void value_text(double v, const char *unit, char *buf, size_t len)
{
	char num[64];

	if (!isfinite(v)) {
		snprintf(buf, len, "-");
		return;
	}
	snprintf(num, sizeof(num), "%.5g", v);
	snprintf(buf, len, "%s%s%s", num, unit[0] ? " " : "", unit);
}

/*
 * The drift anchors a show, and whether and why not it was corrected
 * (label: "drift:" or the second objective's); tests/vm/run/tune.sh
 * reads the first line's forms.
 */
static void drift_text_line(const struct anchors *a, const char *label, FILE *out)
{
	double last, largest;

	if (!anchors_drift(a, &last, &largest)) {
		if (a->n)
			fprintf(out, "%-10s not measured (1 baseline anchor)\n", label);
		return;
	}
	switch (a->why) {
	case ANCHORS_CORRECTED:
		fprintf(out, "%-10s %+.1f%% over %zu baseline anchors (largest %+.1f%%); each configuration is scored against the baseline interpolated between its anchors\n",
			label, 100 * last, a->n, 100 * largest);
		break;
	case ANCHORS_FEW_WINDOWS:
		fprintf(out, "%-10s not corrected: %u anchor windows, %d needed (%+.1f%% over %zu baseline anchors, largest %+.1f%%); configurations are scored as measured\n",
			label, a->windows, ANCHORS_MIN_WINDOWS, 100 * last, a->n, 100 * largest);
		break;
	case ANCHORS_FEW_ANCHORS:
		fprintf(out, "%-10s not corrected: no noise estimate (anchors of one window, or their windows all alike), %d anchors needed (%+.1f%% over %zu baseline anchors, largest %+.1f%%); configurations are scored as measured\n",
			label, ANCHORS_MIN_SUCCESSIVE, 100 * last, a->n, 100 * largest);
		break;
	case ANCHORS_NOISE:
		fprintf(out, "%-10s not corrected: the anchors' noise (±%.1f%%) exceeds the drift they show (largest %+.1f%% over %zu baseline anchors); configurations are scored as measured\n",
			label, 100 * a->noise, 100 * largest, a->n);
		break;
	}
}

static void drift_line(const struct tune_results *r, const struct tune_config *cfg,
		       FILE *out)
{
	drift_text_line(&r->anchors, "drift:", out);
	if (cfg->nobjectives == 2)
		drift_text_line(&r->anchors2, "drift 2:", out);
	if (r->anchors_failed)
		fprintf(out, "anchors:   %u refused by the kernel (the baseline's values applied again): left out of the drift correction\n",
			r->anchors_failed);
}

/*
 * The baseline's medians per phase next to the recommended
 * configuration's, or when there is none the search's best.
 */
static void phase_table(const struct tune_results *r, const struct run_info *info,
			FILE *out)
{
	const struct tune_config *cfg = info->cfg;
	const struct tune_obs *base = results_baseline(r);
	const struct tune_obs *rec = recommended(r, info);
	char a[64], b[64];
	size_t p;

	if (!cfg->nphases || !base)
		return;
	fprintf(out, "  %-16s %14s %14s %8s\n", "phase", "baseline",
		rec && info->verify ? "recommended" : "best", "ratio");
	rec = rec ? rec : results_best(r, &cfg->objective);
	for (p = 0; p < cfg->nphases; p++) {
		double vb = phase_median(base, p, cfg), vr = phase_median(rec, p, cfg);

		value_text(vb, "", a, sizeof(a));
		value_text(vr, "", b, sizeof(b));
		fprintf(out, "  %-16s %14s %14s %7.3gx\n",
			json_string_value(json_object_get(json_array_get(cfg->phases, p), "name")),
			a, b, vr / vb);
	}
}

/* "fixed:     knob = value (was before), ..." */
static void fixed_line(const struct run_info *info, FILE *out)
{
	const char *name, *was;
	size_t n = 0;
	json_t *v;

	if (!json_object_size(info->cfg->fixed))
		return;
	fprintf(out, "fixed:    ");
	json_object_foreach(info->cfg->fixed, name, v) {
		was = json_string_value(json_object_get(info->fixed_was, name));
		fprintf(out, "%s %s = %s", n++ ? "," : "", name, json_string_value(v));
		if (was)
			fprintf(out, " (was %s)", was);
	}
	fprintf(out, "; held for the baseline and every configuration\n");
}

/* Two objectives: the front's pick by its two medians, what the run keeps. */
static void pick_line(const struct tune_results *r, const struct run_info *info,
		      FILE *out)
{
	const struct tune_config *cfg = info->cfg;
	const struct tune_obs *pick;
	char a[64], b[64];

	if (info->front->pick < 0) {
		fprintf(out, "pick:      none: %s\n", info->front->why);
		return;
	}
	pick = &r->obs[info->front->pick];
	value_text(pick->o.objectives[0], "", a, sizeof(a));
	value_text(front_second(r, cfg, (size_t)info->front->pick), "", b, sizeof(b));
	fprintf(out, "pick:      %s %s, %s %s (medians), iteration %u: %s\n",
		cfg->objective.metric, a, cfg->objective2.metric, b,
		pick->iteration, pick->why);
}

/*
 * Two objectives verified: per objective, the pick's ratio to the
 * baseline (its "better" test, at alpha / 2: a ≥(1 - alpha) interval)
 * and the test that weighed the other side: a knee's "worse by at most
 * max_loss" (at alpha: a ≥(1 - 2 alpha) interval, its bound on the
 * worse side), a constrained pick's bound on its other objective.
 *
 *   latency      0.427x, ≥95% CI 0.41x-0.44x; not worse by more than 5%: bound 0.44x, at most 1.05x allowed (≥90% CI 0.41x-0.44x): shown
 */
static void pair_lines(const struct verify_pair_result *p,
		       const struct tune_config *cfg, FILE *out)
{
	const struct objective *o[2] = { &cfg->objective, &cfg->objective2 };
	bool knee = cfg->pick.kind != PICK_CONSTRAINED;
	const struct constraint *c = &cfg->pick.subject_to;
	bool upper = c->op == CMP_LE || c->op == CMP_LT;
	char ratio[96], other[256], text[64];
	size_t k;

	for (k = 0; k < 2; k++) {
		const struct verify_candidate *b = &p->better[k], *w = &p->not_worse[k];

		verify_format_ratio(b->ratio, b->low, b->high,
				    100 * (1 - cfg->verify_alpha), ratio, sizeof(ratio));
		fprintf(out, "  %-12s %s", o[k]->metric, ratio);
		if (knee) {
			verify_format_not_worse(w->low, w->high,
						100 * (1 - 2 * cfg->verify_alpha),
						o[k]->goal, cfg->verify_max_loss,
						other, sizeof(other));
			fprintf(out, "; not worse by more than %.3g%%: %s: %s",
				100 * cfg->verify_max_loss, other,
				verify_not_worse_name(p->not_worse_decision[k]));
		} else if (k != cfg->pick.optimize) {
			constraint_format(c, text, sizeof(text));
			verify_format_bound(text, upper, p->bound_by_median,
					    upper ? p->bound_high : p->bound_low,
					    100 * (1 - cfg->verify_alpha), other,
					    sizeof(other));
			fprintf(out, "; %s: %s", other, verify_bound_name(p->bound));
		}
		fputc('\n', out);
	}
}

void results_report(const struct tune_results *r,
		    const struct run_info *info, FILE *out)
{
	const struct objective *obj = &info->cfg->objective;
	const struct tune_obs *base = results_baseline(r);
	const struct tune_obs *best = results_best(r, obj);
	double pct, spread;
	char a[64], b[64];
	const char *name;
	json_t *v;

	fprintf(out, "ostune tune: %zu configurations, %u windows (%u failed) in %.0f s; stopped: %s\n",
		r->n, r->windows, r->failed_windows, info->elapsed_s, stop_reason_name(info->stopped));
	fprintf(out, "objective: %s %s\n",
		obj->goal == GOAL_MAXIMIZE ? "maximize" : "minimize", obj->metric);
	if (info->front)
		fprintf(out, "objective: %s %s (the second)\nfront:     %zu configurations no other beats on both (pareto.json); pick: %s\n",
			info->cfg->objective2.goal == GOAL_MAXIMIZE ? "maximize" : "minimize",
			info->cfg->objective2.metric, info->front->n, info->front->why);
	if (info->cfg->nphases)
		fprintf(out, "phases:    %zu load phases; a configuration's value is the %s of its ratios to the baseline's (1: as the baseline), the medians below as measured\n",
			info->cfg->nphases, info->cfg->phase_score == PHASE_SCORE_WORST ?
			"worst" : "mean");
	if (base) {
		value_text(base->o.objectives[0], "", a, sizeof(a));
		fprintf(out, "baseline:  %s (spread ±%.1f%%)%s\n", a,
			100 * base->o.spread, base->o.failed ? " failed" :
			base->o.noisy ? " noisy" : "");
	}
	fixed_line(info, out);
	if (info->cfg->cpus)
		fprintf(out, "pinned:    the target on CPUs %s, ostune on %s\n",
			info->cfg->cpus, info->ostune_cpus && info->ostune_cpus[0] ?
			info->ostune_cpus : "the others");
	drift_line(r, info->cfg, out);
	phase_table(r, info, out);
	if (!best) {
		fprintf(out, "best:      none (no configuration was measured reliably)\n");
		fprintf(out, "output:    %s\n", info->dir);
		return;
	}
	if (info->front) {
		pick_line(r, info, out);
	} else {
		value_text(best->o.objectives[0], "", b, sizeof(b));
		fprintf(out, "best:      %s (spread ±%.1f%%), iteration %u: %s\n",
			b, 100 * best->o.spread, best->iteration, best->why);
	}
	/* two objectives: one figure on one of them would mislead */
	if (!info->front && improvement(base, best, obj, &pct, &spread))
		fprintf(out, "improvement over baseline: %+.1f%% ± %.1f%%%s\n", pct,
			spread, base->o.noisy ?
			" (the baseline stayed noisy: its spread is in the ±)" : "");
	best = recommended(r, info);
	if (info->verify && best)
		fprintf(out, "verified:  %s: iteration %u\n", info->verify->why,
			best->iteration);
	else if (info->verify)
		fprintf(out, "verified:  %s\n", info->verify->why);
	else if (info->cfg->verify_rounds) {
		char why[VERIFY_WHY_MAX];

		not_verified(info, why, sizeof(why));
		fprintf(out, "verified:  %s\n", why);
	}
	if (info->verify && info->verify->pair)
		pair_lines(info->verify->pair, info->cfg, out);
	if (!best) {
		fprintf(out, "output:    %s (no best.json: keep the host's settings)\n",
			info->dir);
		return;
	}
	fprintf(out, "%s settings%s:\n", info->verify ? "recommended" : "best",
		best == base ? " (the baseline: nothing to change)" : "");
	json_object_foreach(best->knobs, name, v) {
		const char *was = base ? json_string_value(json_object_get(base->knobs, name)) : NULL;

		fprintf(out, "  %s = %s%s%s%s\n", name, json_string_value(v),
			was ? " (was " : "", was ? was : "", was ? ")" : "");
	}
	fprintf(out, "output:    %s (apply the best with: ostune apply %s/best.json)\n",
		info->dir, info->dir);
}
