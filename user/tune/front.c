// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The front of a two-objective run, the pick from it, and pareto.json.
 */
#include <errno.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/stats.h"
#include "search/pareto.h"
#include "tune/front.h"
#include "tune/results.h"
#include "tune/tune_config.h"

/* What the user gave for key: the string, or its JSON text, or "(none)". */
static void given(const json_t *spec, const char *key, char *buf, size_t len)
{
	const json_t *v = json_object_get(spec, key);
	char *text = v && !json_is_string(v) ?
		     json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;

	snprintf(buf, len, "%s", json_is_string(v) ? json_string_value(v) :
		 text ? text : "(none)");
	free(text);
}

int pick_rule_from_json(const json_t *spec, const struct objective *first,
			const struct objective *second, struct pick_rule *out,
			char *why, size_t len)
{
	const char *rule = json_string_value(json_object_get(spec, "rule"));
	const char *optimize = json_string_value(json_object_get(spec, "optimize"));
	const char *subject = json_string_value(json_object_get(spec, "subject_to"));
	const struct objective *other;
	char reason[200], shown[64];
	int ret;

	memset(out, 0, sizeof(*out));
	if (rule && !strcmp(rule, "knee"))
		return 0;
	if (!rule || strcmp(rule, "constrained")) {
		given(spec, "rule", shown, sizeof(shown));
		snprintf(why, len, "config: pick.rule is \"knee\" or \"constrained\", not '%s'",
			 shown);
		return -EINVAL;
	}
	out->kind = PICK_CONSTRAINED;
	if (!optimize || (strcmp(optimize, first->metric) && strcmp(optimize, second->metric))) {
		given(spec, "optimize", shown, sizeof(shown));
		snprintf(why, len, "config: pick.optimize is one of the objectives (%s, %s), not '%s'",
			 first->metric, second->metric, shown);
		return -EINVAL;
	}
	out->optimize = strcmp(optimize, first->metric) ? 1 : 0;
	other = out->optimize ? first : second;
	if (!subject) {
		snprintf(why, len, "config: pick.subject_to is a string \"%s OP NUMBER\", OP one of <= < >= >",
			 other->metric);
		return -EINVAL;
	}
	ret = constraint_parse(subject, &out->subject_to, reason, sizeof(reason));
	if (ret) {
		snprintf(why, len, "config: pick.subject_to: %s", reason);
		return ret;
	}
	if (strcmp(out->subject_to.metric, other->metric)) {
		snprintf(why, len, "config: pick.subject_to bounds the other objective, %s, not '%s'",
			 other->metric, out->subject_to.metric);
		pick_rule_free(out);
		return -EINVAL;
	}
	return 0;
}

void pick_rule_free(struct pick_rule *p)
{
	constraint_free(&p->subject_to);
	memset(p, 0, sizeof(*p));
}

void pick_rule_text(const struct pick_rule *p, const struct objective *first,
		    const struct objective *second, char *buf, size_t len)
{
	const struct objective *o = p->optimize ? second : first;
	char bound[128];

	if (p->kind == PICK_KNEE) {
		snprintf(buf, len, "the knee");
		return;
	}
	constraint_format(&p->subject_to, bound, sizeof(bound));
	snprintf(buf, len, "the %s %s with %s",
		 o->goal == GOAL_MAXIMIZE ? "highest" : "lowest", o->metric, bound);
}

/* The finite values of column k of entry o's completed windows, into v. */
static size_t second_values(const struct tune_obs *o, size_t k, double *v)
{
	const struct pool *p = &o->pool;
	size_t i, n = 0;

	for (i = 0; i < p->n; i++)
		if (!p->censored[i] && isfinite(p->value[i]) &&
		    isfinite(p->cons[i * p->ncons + k]))
			v[n++] = p->cons[i * p->ncons + k];
	return n;
}

double front_second(const struct tune_results *r,
		    const struct tune_config *cfg, size_t i)
{
	const struct tune_obs *o = &r->obs[i];

	if (cfg->nobjectives < 2 || o->o.failed)
		return NAN;
	return o->constraint_values[cfg->nconstraints - 1];
}

/* Relative spread of the second objective's windows of entry i. */
static double second_spread(const struct tune_results *r,
			    const struct tune_config *cfg, size_t i)
{
	const struct tune_obs *o = &r->obs[i];
	double *v = calloc(o->pool.n + 1, sizeof(*v));
	double spread = NAN;
	size_t n;

	if (!v)
		return NAN;
	n = second_values(o, cfg->nconstraints - 1, v);
	if (n)
		spread = stats_spread(v, n);
	free(v);
	return spread;
}

/*
 * May entry i be on the front? As results_best(): trusted, steady on
 * both objectives, and measured as often as the best measured (a
 * configuration measured once does not beat one measured ten times).
 * The baseline, whatever its spread, stays in: what it beats is no gain.
 */
static bool on_the_front(const struct tune_results *r,
			 const struct tune_config *cfg, size_t i,
			 unsigned int need)
{
	const struct tune_obs *o = &r->obs[i];
	double spread = second_spread(r, cfg, i);

	if (o->o.baseline)
		return !o->o.failed && o->o.feasible &&
		       isfinite(o->o.objectives[0]);
	return results_trusted(o) && o->o.windows >= need &&
	       !(o->o.windows >= POOL_NOISY_MIN_WINDOWS && spread > cfg->max_spread);
}

/* Front point i's normalised scores (0: the front's best, 1: its worst). */
static void normalised(const double *f, const struct front *fr, size_t i,
		       double out[2])
{
	size_t k, j;

	for (k = 0; k < 2; k++) {
		double lo = INFINITY, hi = -INFINITY, v = f[2 * fr->idx[i] + k];

		for (j = 0; j < fr->n; j++) {
			lo = fmin(lo, f[2 * fr->idx[j] + k]);
			hi = fmax(hi, f[2 * fr->idx[j] + k]);
		}
		out[k] = hi > lo ? (v - lo) / (hi - lo) : 0;
	}
}

/* The knee (front.h); the front is sorted by the first score. */
static size_t knee(const double *f, const struct front *fr)
{
	double a[2], b[2], p[2], dx, dy, norm, best_d = -1, best_u = INFINITY;
	size_t i, at = 0;

	normalised(f, fr, 0, a);
	normalised(f, fr, fr->n - 1, b);
	dx = b[0] - a[0];
	dy = b[1] - a[1];
	norm = hypot(dx, dy);
	for (i = 0; i < fr->n; i++) {
		double d, u;

		normalised(f, fr, i, p);
		/* distance from the line a-b, on the ideal corner's side */
		d = norm > 0 ? -(dx * (p[1] - a[1]) - dy * (p[0] - a[0])) / norm : 0;
		d = d < 1e-12 ? 0 : d;
		u = hypot(p[0], p[1]);
		if (d > best_d || (d == best_d && u < best_u - 1e-12)) {
			best_d = d;
			best_u = u;
			at = i;
		}
	}
	return at;
}

/* By the constrained rule: -1 when no point of the front meets it. */
static long constrained(const struct tune_results *r,
			const struct tune_config *cfg, const double *f,
			const struct front *fr)
{
	const struct pick_rule *p = &cfg->pick;
	long at = -1;
	size_t i;

	for (i = 0; i < fr->n; i++) {
		size_t e = fr->idx[i];
		double other = p->optimize ? r->obs[e].o.objectives[0] :
				front_second(r, cfg, e);

		if (!constraint_holds(&p->subject_to, other))
			continue;
		if (at < 0 || f[2 * e + p->optimize] < f[2 * fr->idx[at] + p->optimize])
			at = (long)i;
	}
	return at;
}

int front_build(const struct tune_results *r, const struct tune_config *cfg,
		struct front *out)
{
	double *f = malloc((2 * r->n + 1) * sizeof(*f));
	char rule[200];
	unsigned int need;
	long at = -1;
	size_t i;
	int n;

	memset(out, 0, sizeof(*out));
	out->pick = -1;
	out->idx = calloc(r->n + 1, sizeof(*out->idx));
	if (!f || !out->idx) {
		free(f);
		return -ENOMEM;
	}
	need = results_crown_need(r, SIZE_MAX);
	for (i = 0; i < r->n; i++) {
		bool ok = on_the_front(r, cfg, i, need);

		f[2 * i] = ok ? objective_score(&cfg->objective, r->obs[i].o.objectives[0]) : NAN;
		f[2 * i + 1] = ok ? objective_score(&cfg->objective2,
						    front_second(r, cfg, i)) : NAN;
	}
	n = pareto_front(f, r->n, out->idx);
	if (n < 0) {
		free(f);
		return n;
	}
	out->n = (size_t)n;
	pick_rule_text(&cfg->pick, &cfg->objective, &cfg->objective2, rule, sizeof(rule));
	if (out->n)
		at = cfg->pick.kind == PICK_KNEE ? (long)knee(f, out) :
		     constrained(r, cfg, f, out);
	free(f);
	if (!out->n)
		snprintf(out->why, sizeof(out->why), "no configuration measured both objectives reliably");
	else if (at < 0) {
		constraint_format(&cfg->pick.subject_to, rule, sizeof(rule));
		snprintf(out->why, sizeof(out->why), "no configuration on the front has %s",
			 rule);
	}
	else if (r->obs[out->idx[at]].o.baseline)
		snprintf(out->why, sizeof(out->why), "%s of the front is the baseline: nothing to change",
			 rule);
	else
		snprintf(out->why, sizeof(out->why), "%s of the front: iteration %u",
			 rule, r->obs[out->idx[at]].iteration);
	if (at >= 0 && !r->obs[out->idx[at]].o.baseline)
		out->pick = (long)out->idx[at];
	return 0;
}

void front_free(struct front *f)
{
	free(f->idx);
	f->idx = NULL;
}

static json_t *number_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

/* {"iteration", "knobs", "windows", "objectives": {M: {median, spread}}} */
static json_t *point_json(const struct tune_results *r,
			  const struct tune_config *cfg, size_t i)
{
	const struct tune_obs *o = &r->obs[i];

	return json_pack("{s:i,s:b,s:O,s:i,s:{s:{s:o,s:o},s:{s:o,s:o}}}",
			 "iteration", o->iteration, "baseline", o->o.baseline,
			 "knobs", o->knobs, "windows", o->o.windows,
			 "objectives",
			 cfg->objective.metric,
			 "median", number_or_null(o->o.objectives[0]),
			 "spread", number_or_null(o->o.spread),
			 cfg->objective2.metric,
			 "median", number_or_null(front_second(r, cfg, i)),
			 "spread", number_or_null(second_spread(r, cfg, i)));
}

static json_t *objective_json(const struct objective *o)
{
	return json_pack("{s:s,s:s}", "metric", o->metric, "goal",
			 o->goal == GOAL_MAXIMIZE ? "maximize" : "minimize");
}

int front_write(const struct tune_results *r, const struct tune_config *cfg,
		const struct front *f, json_t *verdict, const char *dir)
{
	const struct tune_obs *base = results_baseline(r);
	json_t *points = json_array(), *doc;
	char path[700], tmp[720];
	size_t i;
	int ret = 0;

	for (i = 0; points && i < f->n; i++)
		json_array_append_new(points, point_json(r, cfg, f->idx[i]));
	doc = json_pack("{s:[o,o],s:O,s:s,s:o,s:i,s:o,s:o,s:s,s:o}",
			"objectives", objective_json(&cfg->objective),
			objective_json(&cfg->objective2),
			"pick_rule", json_object_get(cfg->doc, "pick"),
			"statistic", "median",
			"baseline", base ? point_json(r, cfg, 0) : json_null(),
			"configurations", (int)r->n,
			"front", points ? points : json_null(),
			"pick", f->pick >= 0 ? point_json(r, cfg, (size_t)f->pick) : json_null(),
			"why", f->why,
			"verification", verdict ? verdict : json_null());
	if (!doc)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/pareto.json", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (json_dump_file(doc, tmp, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) || rename(tmp, path))
		ret = -EIO;
	json_decref(doc);
	return ret;
}
