// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The llm tuner's prompt (llm_prompt.h). Plain text a small local model
 * reads as easily as a large one: short sections, one line per knob, the
 * history as a pipe table.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/stats.h"
#include "base/textnum.h"
#include "knobs/changeset.h"
#include "knobs/knobinfo.h"
#include "knobs/knobname.h"
#include "search/llm_prompt.h"

/* Target descriptions are configs; past this they are cut. */
#define TARGET_TEXT_MAX 600

const char *const llm_proxy_metrics[] = {
	"cpu_busy_pct", "cpu_system_pct", "cpu_iowait_pct",
	"ctx_switches_per_s", "interrupts_per_s", "psi_cpu_some_pct",
	"psi_memory_some_pct", "psi_io_some_pct", "ipc", NULL,
};

/* {"ITERATION": {"metric": [values]}} from the counted windows' lines. */
static void collect_windows(FILE *f, json_t *values)
{
	const json_t *metrics, *phase;
	const char *const *m;
	char *line = NULL, key[24];
	size_t cap = 0;
	json_t *l, *it;

	while (getline(&line, &cap, f) > 0) {
		l = json_loads(line, 0, NULL);
		metrics = json_object_get(l, "metrics");
		phase = json_object_get(l, "phase");
		if (!metrics || !json_is_true(json_object_get(l, "ok")) ||
		    json_object_get(l, "verify") ||
		    !strcmp(json_string_value(phase) ?: "", "warmup")) {
			json_decref(l);
			continue;
		}
		snprintf(key, sizeof(key), "%lld",
			 (long long)json_integer_value(json_object_get(l, "iteration")));
		it = json_object_get(values, key);
		if (!it) {
			it = json_object();
			json_object_set_new(values, key, it);
		}
		for (m = llm_proxy_metrics; it && *m; m++) {
			json_t *v = json_object_get(json_object_get(metrics, *m), "value");

			if (!json_is_number(v))
				continue;
			if (!json_object_get(it, *m))
				json_object_set_new(it, *m, json_array());
			json_array_append(json_object_get(it, *m), v);
		}
		json_decref(l);
	}
	free(line);
}

json_t *llm_proxies_read(const char *dir)
{
	json_t *values = json_object(), *it, *arr;
	const char *iter, *metric;
	char path[700];
	double *v;
	size_t i;
	FILE *f;

	snprintf(path, sizeof(path), "%s/history.jsonl", dir);
	f = fopen(path, "r");
	if (f && values)
		collect_windows(f, values);
	if (f)
		fclose(f);
	json_object_foreach(values, iter, it) {
		json_object_foreach(it, metric, arr) {
			v = calloc(json_array_size(arr) + 1, sizeof(*v));
			for (i = 0; v && i < json_array_size(arr); i++)
				v[i] = json_number_value(json_array_get(arr, i));
			json_object_set_new(it, metric, json_real(v ?
				stats_median(v, json_array_size(arr)) : NAN));
			free(v);
		}
	}
	return values;
}

const char *llm_prompt_system(unsigned int points)
{
	if (points)
		return "You tune Linux kernel knobs for a workload together with a Bayesian "
		       "optimiser. Each turn you get the objective, the knobs with their "
		       "domains and meaning, and every configuration measured so far. Propose "
		       "a few promising configurations not measured yet, and for each numeric "
		       "knob the narrower range the optimiser should search next, using what "
		       "the knobs do and what the history shows. Use only the knobs listed, "
		       "with values inside their domains. Answer with one JSON object and "
		       "nothing else: {\"points\": [{\"KNOB\": VALUE, ...}, ...], "
		       "\"ranges\": {\"KNOB\": {\"min\": LOW, \"max\": HIGH}, ...}, "
		       "\"reason\": \"one short sentence\"}.";
	return "You tune Linux kernel knobs for a workload. Each turn you get the "
	       "objective, the knobs you may set with their domains and meaning, "
	       "and every configuration measured so far. Propose the one "
	       "configuration most likely to improve the objective that has not "
	       "been measured yet, using what the knobs do and what the history "
	       "shows. Use only the knobs listed, with values inside their domains. "
	       "Answer with one JSON object and nothing else: "
	       "{\"knobs\": {\"KNOB\": VALUE, ...}, \"reason\": \"one short sentence\"}.";
}

static void print_domain(FILE *f, const struct dim *d)
{
	char lo[32], hi[32];
	size_t i;

	if (d->type == DIM_CATEGORICAL) {
		fputs("one of", f);
		for (i = 0; i < d->nvalues; i++)
			fprintf(f, "%s \"%s\"", i ? "," : "", d->values[i]);
		return;
	}
	format_number(d->min, lo, sizeof(lo));
	format_number(d->max, hi, sizeof(hi));
	fprintf(f, "%s %s..%s%s", d->type == DIM_INT ? "integer" : "number", lo,
		hi, d->scale == SCALE_LOG ? " (log scale: try values by ratio)" : "");
}

static void print_details(FILE *f, const struct knob *k)
{
	size_t i;

	if (k->domain)
		fprintf(f, "; kernel domain %s", k->domain);
	for (i = 0; i < k->ndetails; i++)
		fprintf(f, "%s%s=%s%s", i ? ", " : "; details: ", k->details[i].key,
			k->details[i].value, k->details[i].unit ? k->details[i].unit : "");
}

static void print_knob(FILE *f, const struct llm_facts *f_, const struct dim *d)
{
	const struct tuner_context *c = f_->problem->context;
	const char *host = c ? json_string_value(json_object_get(c->baseline_knobs, d->name)) : NULL;
	const char *own = knob_meaning(d->name);
	const struct knob **match;
	size_t n, i;

	fprintf(f, "- %s: ", d->name);
	print_domain(f, d);
	fprintf(f, "; host value now: %s\n  what it is: %s%s%s", host ? host : "unknown",
		knob_class_meaning(d->name), own ? "; " : "", own ? own : "");
	if (knob_is_pattern(d->name)) {
		match = calloc(f_->known->n + 1, sizeof(*match));
		n = match ? changeset_match(f_->known, d->name, true, match, NULL) : 0;
		fprintf(f, "\n  a pattern: one value for all %zu knobs it matches here", n);
		for (i = 0; i < n && i < 4; i++)
			fprintf(f, "%s%s", i ? ", " : " (", match[i]->name);
		fputs(n > 4 ? ", ...)" : n ? ")" : "", f);
		free(match);
	} else if (knob_list_find(f_->known, d->name)) {
		print_details(f, knob_list_find(f_->known, d->name));
	}
	fputc('\n', f);
}

/* Compact: the model compares them, 4 or 6 digits tell it enough. */
static void print_value(FILE *f, double v, int digits, const char *suffix)
{
	if (!isfinite(v))
		fputs(" -", f);
	else if (fabs(v) >= pow(10, digits))	/* no exponents: 12000, not 1.2e+04 */
		fprintf(f, " %.0f%s", v, suffix);
	else
		fprintf(f, " %.*g%s", digits, v, suffix);
}

static void print_row(FILE *f, const struct llm_facts *f_, size_t i)
{
	const struct space *s = f_->problem->space;
	const struct tuner_observation *o = &f_->history->obs[i];
	char key[24], text[64];
	const json_t *prox;
	const char *const *m;
	size_t j;

	snprintf(key, sizeof(key), "%zu", i);
	prox = json_object_get(f_->proxies, key);
	fprintf(f, "| %zu%s |", i, o->baseline ? " (baseline)" : "");
	for (j = 0; j < s->n; j++) {
		if (isnan(o->x[j]))
			fputs(" ? |", f);
		else {
			dim_format(&s->dims[j], o->x[j], text, sizeof(text));
			fprintf(f, " %s |", text);
		}
	}
	print_value(f, o->objectives[0], 6, "");
	fputs(" |", f);
	print_value(f, 100 * o->spread, 2, "%");
	fprintf(f, " | %u |", o->windows);
	for (m = llm_proxy_metrics; *m; m++) {
		print_value(f, json_object_get(prox, *m) ?
			    json_number_value(json_object_get(prox, *m)) : NAN, 4, "");
		fputs(" |", f);
	}
	if (o->failed)
		fprintf(f, " failed: %.200s |\n", o->error ? o->error : "no window succeeded");
	else
		fprintf(f, " %s%s |\n", !o->feasible ? "infeasible" : "ok",
			o->noisy ? ", noisy" : "");
}

static void print_history(FILE *f, const struct llm_facts *f_)
{
	const struct space *s = f_->problem->space;
	const char *const *m;
	size_t i;

	fprintf(f, "\n## History (%zu configurations measured; objective: median over windows, spread: relative, proxy metrics: medians)\n|   # |",
		f_->history->n);
	for (i = 0; i < s->n; i++)
		fprintf(f, " %s |", s->dims[i].name);
	fprintf(f, " %s | spread | windows |", f_->problem->objectives[0].metric);
	for (m = llm_proxy_metrics; *m; m++)
		fprintf(f, " %s |", *m);
	fputs(" status |\n", f);
	for (i = 0; i < f_->history->n; i++)
		print_row(f, f_, i);
	if (!f_->history->n)
		fputs("(nothing measured yet)\n", f);
}

char *llm_prompt_user(const struct llm_facts *f_)
{
	const struct tuner_problem *p = f_->problem;
	const struct tuner_context *c = p->context;
	char *text = NULL, *target = NULL, bound[32];
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	fprintf(f, "## Objective\n%s the metric %s.\n",
		p->objectives[0].goal == GOAL_MAXIMIZE ? "Maximize" : "Minimize",
		p->objectives[0].metric);
	for (i = 0; i < p->nconstraints; i++) {
		format_number(p->constraints[i].bound, bound, sizeof(bound));
		fprintf(f, "%s %s %s %s\n", i ? "and" : "Constraint (a configuration that breaks it does not count):",
			p->constraints[i].metric,
			constraint_op_text(p->constraints[i].op), bound);
	}
	if (c && c->target)
		target = json_dumps(c->target, JSON_COMPACT | JSON_SORT_KEYS);
	if (target)
		fprintf(f, "\n## Target (the workload measured)\n%.*s%s\n", TARGET_TEXT_MAX,
			target, strlen(target) > TARGET_TEXT_MAX ? "..." : "");
	free(target);
	fprintf(f, "\n## Knobs you may set (%zu)\n", p->space->n);
	for (i = 0; i < p->space->n; i++)
		print_knob(f, f_, &p->space->dims[i]);
	print_history(f, f_);
	fprintf(f, "\n## Your answer\nOne JSON object: {\"%s\": %s{", f_->points ? "points" : "knobs",
		f_->points ? "[" : "");
	for (i = 0; i < p->space->n; i++)
		fprintf(f, "%s\"%s\": VALUE", i ? ", " : "", p->space->dims[i].name);
	if (f_->points)
		fprintf(f, "}, ...] (at most %u), \"ranges\": {\"KNOB\": {\"min\": LOW, \"max\": HIGH} for the numeric knobs},",
			f_->points);
	else
		fputs("},", f);
	fprintf(f, " \"reason\": \"why, in one sentence\"}. Give every knob above a value; no other keys.\n");
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

/* {"KNOB": {"min": LOW, "max": HIGH}} for the numeric knobs. */
static json_t *ranges_schema(const struct space *s)
{
	json_t *props = json_object(), *required = json_array();
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (s->dims[i].type == DIM_CATEGORICAL)
			continue;
		json_object_set_new(props, s->dims[i].name,
			json_pack("{s:s,s:{s:{s:s},s:{s:s}},s:[s,s],s:b}", "type", "object",
				  "properties", "min", "type", "number",
				  "max", "type", "number", "required", "min", "max",
				  "additionalProperties", 0));
		json_array_append_new(required, json_string(s->dims[i].name));
	}
	return json_pack("{s:s,s:o,s:o,s:b}", "type", "object", "properties", props,
			 "required", required, "additionalProperties", 0);
}

json_t *llm_answer_schema(const struct space *s, unsigned int points)
{
	json_t *props = json_object(), *required = json_array(), *value, *knobs;
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		const struct dim *d = &s->dims[i];

		if (d->type == DIM_CATEGORICAL) {
			value = json_pack("{s:[]}", "enum");
			for (j = 0; j < d->nvalues; j++)
				json_array_append_new(json_object_get(value, "enum"),
						      json_string(d->values[j]));
		} else {
			value = json_pack("{s:s,s:f,s:f}", "type",
					  d->type == DIM_INT ? "integer" : "number",
					  "minimum", d->min, "maximum", d->max);
		}
		json_object_set_new(props, d->name, value);
		json_array_append_new(required, json_string(d->name));
	}
	knobs = json_pack("{s:s,s:o,s:o,s:b}", "type", "object", "properties", props,
			  "required", required, "additionalProperties", 0);
	if (points)
		return json_pack("{s:s,s:{s:{s:s,s:o,s:i},s:o,s:{s:s}},s:[s,s,s],s:b}",
				 "type", "object", "properties",
				 "points", "type", "array", "items", knobs, "maxItems", points,
				 "ranges", ranges_schema(s), "reason", "type", "string",
				 "required", "points", "ranges", "reason",
				 "additionalProperties", 0);
	return json_pack("{s:s,s:{s:o,s:{s:s}},s:[s,s],s:b}",
			 "type", "object", "properties", "knobs", knobs,
			 "reason", "type", "string",
			 "required", "knobs", "reason", "additionalProperties", 0);
}
