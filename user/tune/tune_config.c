// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tuning configs: validation, defaults, and the embedded default.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sched.h>

#include "knobs/knobname.h"
#include "knobs/sysread.h"
#include "measure/target.h"
#include "search/tuner.h"
#include "tune/tune_config.h"

static const char *const top_keys[] = {
	"target", "objective", "constraints", "space", "tuner", "seed",
	"window", "budget", "watchdog_s", "output", "verify", "fixed",
	"phases", "score", "objectives", "pick", NULL
};

static const char *const knee_keys[] = { "rule", NULL };
static const char *const constrained_keys[] = {
	"rule", "optimize", "subject_to", NULL
};

static const char *const verify_keys[] = {
	"rounds", "candidates", "alpha", "min_effect", "max_loss", NULL
};

void tune_config_free(struct tune_config *c)
{
	size_t i;

	objective_free(&c->objective);
	objective_free(&c->objective2);
	pick_rule_free(&c->pick);
	for (i = 0; i < c->nconstraints; i++)
		constraint_free(&c->constraints[i]);
	free(c->constraints);
	space_free(&c->space);
	json_decref(c->doc);
	memset(c, 0, sizeof(*c));
}

/* where: "" for the top level, else "SECTION." */
static int check_keys(const json_t *doc, const char *const *keys,
		      const char *where, char *why, size_t len)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)doc, key, v) {
		size_t i;

		for (i = 0; keys[i] && strcmp(keys[i], key); i++)
			;
		if (!keys[i]) {
			snprintf(why, len, "config: unknown key \"%s%s\"", where, key);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * One number of a config section, as an nla_policy describes an
 * attribute: its key, default, range, and the member of struct
 * tune_config it goes to. Absent, the default is written back so that
 * the resolved config shows it.
 */
struct number_field {
	const char *key;
	double def, lo, hi;
	/*
	 * Windows added to the default, and then the range starts at one
	 * window: a window's timeout is relative to its length.
	 */
	double def_windows;
	size_t offset;			/* into struct tune_config */
	bool count;			/* an unsigned int there, else a double */
};

#define DOUBLE(name)	.offset = offsetof(struct tune_config, name)
#define COUNT(name)	.offset = offsetof(struct tune_config, name), .count = true

static const struct number_field window_fields[] = {
	{ "seconds", 2, 0.01, 86400, DOUBLE(window_s) },
	{ "warmup", 1, 0, 100, COUNT(warmup) },
	{ "repeats", 3, 1, 1000, COUNT(repeats) },
	{ "settle_s", 0.5, 0, 3600, DOUBLE(settle_s) },
	{ "timeout_s", 10, 0, 86400, .def_windows = 5, DOUBLE(timeout_s) },
	{ "max_spread", 0.1, 0, 1000, DOUBLE(max_spread) },
	{ "remeasure", 1, 0, 100, COUNT(remeasure) },
	{ "anchor_every", 5, 0, 1000000, COUNT(anchor_every) },
	{ NULL }
};

/* Racing's limit: four times the repeats unless given, at least them. */
#define MAX_WINDOWS_PER_REPEAT 4
#define MAX_WINDOWS_MAX 10000

static const struct number_field budget_fields[] = {
	{ "iterations", 10, 0, 1000000, COUNT(iterations) },
	{ "seconds", 0, 0, 1e9, DOUBLE(budget_s) },
	{ NULL }
};

/* Fewer than 3 rounds give no interval: nothing could be recommended. */
static const struct number_field verify_fields[] = {
	{ "rounds", 20, 3, 1000, COUNT(verify_rounds) },
	{ "candidates", 3, 1, TUNE_VERIFY_CANDIDATES_MAX, COUNT(verify_candidates) },
	{ "alpha", 0.05, 0.0001, 0.5, DOUBLE(verify_alpha) },
	{ "min_effect", 0, 0, 10, DOUBLE(verify_min_effect) },
	{ "max_loss", 0, 0, 10, DOUBLE(verify_max_loss) },
	{ NULL }
};

static const struct number_field top_fields[] = {
	{ "watchdog_s", 10, 0.5, 3600, DOUBLE(watchdog_s) },
	{ NULL }
};

/*
 * The fields of section obj (named where in messages) into c, in order,
 * up to the first that is wrong. 0, or -EINVAL with why filled.
 */
static int resolve_numbers(json_t *obj, const char *where,
			   const struct number_field *f, struct tune_config *c,
			   char *why, size_t len)
{
	for (; f->key; f++) {
		json_t *v = json_object_get(obj, f->key);
		double def = f->def + f->def_windows * c->window_s;
		double lo = f->def_windows ? c->window_s : f->lo;
		void *to = (char *)c + f->offset;
		double x = def;

		if (!v)
			json_object_set_new(obj, f->key,
					    def == trunc(def) && fabs(def) < 1e15 ?
					    json_integer((json_int_t)def) :
					    json_real(def));
		else
			x = json_number_value(v);
		if (v && (!json_is_number(v) || !(x >= lo && x <= f->hi))) {
			snprintf(why, len, "config: %s.%s must be a number from %g to %g",
				 where, f->key, lo, f->hi);
			return -EINVAL;
		}
		if (f->count)
			*(unsigned int *)to = (unsigned int)x;
		else
			*(double *)to = x;
	}
	return 0;
}

/* The object obj[key], created empty when absent. */
static json_t *section(json_t *doc, const char *key, char *why, size_t len)
{
	json_t *v = json_object_get(doc, key);

	if (!v) {
		v = json_object();
		json_object_set_new(doc, key, v);
	}
	if (!json_is_object(v)) {
		snprintf(why, len, "config: \"%s\" must be an object", key);
		return NULL;
	}
	return v;
}

static int resolve_window(json_t *doc, struct tune_config *c, char *why,
			  size_t len)
{
	json_t *w = section(doc, "window", why, len), *v;
	int ret;

	if (!w)
		return -EINVAL;
	ret = resolve_numbers(w, "window", window_fields, c, why, len);
	if (ret)
		return ret;
	v = json_object_get(w, "max_windows");
	if (!v) {
		c->max_windows = MAX_WINDOWS_PER_REPEAT * c->repeats;
		return json_object_set_new(w, "max_windows",
					   json_integer(c->max_windows)) ? -ENOMEM : 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < c->repeats ||
	    json_integer_value(v) > MAX_WINDOWS_MAX) {
		snprintf(why, len, "config: window.max_windows must be an integer from window.repeats (%u) to %d",
			 c->repeats, MAX_WINDOWS_MAX);
		return -EINVAL;
	}
	c->max_windows = (unsigned int)json_integer_value(v);
	return 0;
}

static int resolve_budget(json_t *doc, struct tune_config *c, char *why,
			  size_t len)
{
	json_t *b = section(doc, "budget", why, len);

	if (!b)
		return -EINVAL;
	return resolve_numbers(b, "budget", budget_fields, c, why, len);
}

/*
 * The verification after the search (verify.h): "verify": false turns it
 * off, true or an object turns it on with the defaults filled in.
 */
static int resolve_verify(json_t *doc, struct tune_config *c, char *why,
			  size_t len)
{
	json_t *v = json_object_get(doc, "verify");
	int ret;

	if (json_is_false(v))
		return 0;
	if (json_is_true(v))
		json_object_del(doc, "verify");
	v = section(doc, "verify", why, len);
	if (!v)
		return -EINVAL;
	ret = check_keys(v, verify_keys, "verify.", why, len);
	if (ret)
		return ret;
	/* a pick may lose on one objective what it must gain on the other */
	if (!json_object_get(v, "max_loss") && json_object_get(v, "min_effect"))
		json_object_set(v, "max_loss", json_object_get(v, "min_effect"));
	return resolve_numbers(v, "verify", verify_fields, c, why, len);
}

static int resolve_watchdog(json_t *doc, struct tune_config *c, char *why,
			    size_t len)
{
	return resolve_numbers(doc, "config", top_fields, c, why, len);
}

static int resolve_tuner(json_t *doc, struct tune_config *c, char *why,
			 size_t len)
{
	json_t *t = json_object_get(doc, "tuner");
	const char *name;

	if (json_is_string(t)) {
		json_object_set_new(doc, "tuner",
				    json_pack("{s:s}", "name", json_string_value(t)));
		t = json_object_get(doc, "tuner");
	}
	t = t ? t : section(doc, "tuner", why, len);
	if (!json_is_object(t)) {
		snprintf(why, len, "config: \"tuner\" is a name or {\"name\": NAME, options...}");
		return -EINVAL;
	}
	if (!json_object_get(t, "name"))
		json_object_set_new(t, "name", json_string("random"));
	name = json_string_value(json_object_get(t, "name"));
	if (!name || !tuner_find(name)) {
		snprintf(why, len, "config: unknown tuner (there are: %s)",
			 tuner_names());
		return -EINVAL;
	}
	c->tuner = name;
	c->tuner_options = t;
	return 0;
}

/* "objectives": [{"metric", "goal"}, {"metric", "goal"}], two of them. */
static int resolve_objectives(json_t *list, struct tune_config *c, char *why,
			      size_t len)
{
	static const char *const objective_keys[] = { "metric", "goal", NULL };
	struct objective *to[] = { &c->objective, &c->objective2 };
	char where[32], reason[200];
	json_t *o;
	size_t i;
	int ret;

	if (!json_is_array(list) || json_array_size(list) < 1 ||
	    json_array_size(list) > 2) {
		snprintf(why, len, "config: \"objectives\" is a list of one or two {\"metric\": NAME, \"goal\": \"minimize\"|\"maximize\"}");
		return -EINVAL;
	}
	json_array_foreach(list, i, o) {
		snprintf(where, sizeof(where), "objectives[%zu].", i);
		ret = json_is_object(o) ? check_keys(o, objective_keys, where, why, len) : 0;
		if (ret)
			return ret;
		ret = objective_from_json(o, to[i], reason, sizeof(reason));
		if (ret) {
			/* "objective: goal is ..." said of which one */
			snprintf(why, len, "config: objectives[%zu]: %s", i,
				 strncmp(reason, "objective: ", 11) ? reason : reason + 11);
			return ret;
		}
		json_object_set_new(o, "goal", json_string(to[i]->goal == GOAL_MAXIMIZE ?
							   "maximize" : "minimize"));
	}
	c->nobjectives = json_array_size(list);
	if (c->nobjectives == 2 && !strcmp(c->objective.metric, c->objective2.metric)) {
		snprintf(why, len, "config: objectives: %s is both objectives: give two different metrics",
			 c->objective.metric);
		return -EINVAL;
	}
	return 0;
}

static int resolve_objective(json_t *doc, struct tune_config *c, char *why,
			     size_t len)
{
	json_t *o = json_object_get(doc, "objective");
	json_t *list = json_object_get(doc, "objectives");

	if (o && list) {
		snprintf(why, len, "config: give \"objective\" (one) or \"objectives\" (a list of one or two), not both");
		return -EINVAL;
	}
	if (list)
		return resolve_objectives(list, c, why, len);
	c->nobjectives = 1;
	if (o)
		return objective_from_json(o, &c->objective, why, len);
	if (target_default_objective(c->target, &c->objective)) {
		snprintf(why, len, "config: give an \"objective\": {\"metric\": NAME, \"goal\": \"minimize\"|\"maximize\"}");
		return -EINVAL;
	}
	json_object_set_new(doc, "objective",
			    json_pack("{s:s,s:s}", "metric", c->objective.metric,
				      "goal", c->objective.goal == GOAL_MAXIMIZE ?
				      "maximize" : "minimize"));
	return 0;
}

static int parse_constraints(json_t *doc, struct tune_config *c, char *why,
			     size_t len)
{
	json_t *list = json_object_get(doc, "constraints"), *v;
	size_t i;

	if (!list)
		return 0;
	if (!json_is_array(list)) {
		snprintf(why, len, "config: \"constraints\" is an array of \"METRIC OP NUMBER\" strings");
		return -EINVAL;
	}
	c->constraints = calloc(json_array_size(list) + 1, sizeof(*c->constraints));
	if (!c->constraints)
		return -ENOMEM;
	json_array_foreach(list, i, v) {
		int ret;

		if (!json_is_string(v)) {
			snprintf(why, len, "config: constraint %zu is not a string", i + 1);
			return -EINVAL;
		}
		ret = constraint_parse(json_string_value(v), &c->constraints[i],
				       why, len);
		if (ret)
			return ret;
		c->nconstraints++;
	}
	return 0;
}

/*
 * The second objective's metric is measured, pooled and verified as a
 * constraint's is, as one that every measured value meets: appended to
 * the constraints (tune_config.h).
 */
static int track_second_objective(struct tune_config *c)
{
	struct constraint *grown;

	c->nsearch_constraints = c->nconstraints;
	if (c->nobjectives < 2)
		return 0;
	grown = realloc(c->constraints, (c->nconstraints + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	c->constraints = grown;
	grown[c->nconstraints] = (struct constraint){
		.metric = strdup(c->objective2.metric), .op = CMP_LE,
		.bound = INFINITY,
	};
	if (!grown[c->nconstraints].metric)
		return -ENOMEM;
	c->nconstraints++;
	return 0;
}

static int resolve_constraints(json_t *doc, struct tune_config *c, char *why,
			       size_t len)
{
	int ret = parse_constraints(doc, c, why, len);

	return ret ?: track_second_objective(c);
}

/* "pick": how a two-objective run chooses the one it verifies (front.h). */
static int resolve_pick(json_t *doc, struct tune_config *c, char *why,
			size_t len)
{
	json_t *pick = json_object_get(doc, "pick");
	const char *rule;

	if (c->nobjectives < 2) {
		if (!pick)
			return 0;
		snprintf(why, len, "config: \"pick\" chooses from the front of two objectives: give two \"objectives\"");
		return -EINVAL;
	}
	if (c->nphases) {
		snprintf(why, len, "config: two objectives with load \"phases\" are not supported: give one objective, or no phases");
		return -EINVAL;
	}
	if (!pick) {
		pick = json_pack("{s:s}", "rule", "knee");
		if (!pick || json_object_set_new(doc, "pick", pick))
			return -ENOMEM;
	}
	if (!json_is_object(pick)) {
		snprintf(why, len, "config: \"pick\" is {\"rule\": \"knee\"} or {\"rule\": \"constrained\", \"optimize\": METRIC, \"subject_to\": \"METRIC OP NUMBER\"}");
		return -EINVAL;
	}
	rule = json_string_value(json_object_get(pick, "rule"));
	if (check_keys(pick, rule && !strcmp(rule, "constrained") ?
			     constrained_keys : knee_keys, "pick.", why, len))
		return -EINVAL;
	return pick_rule_from_json(pick, &c->objective, &c->objective2,
				   &c->pick, why, len);
}

/* Does knob or pattern a stand for a knob b stands for too? */
static bool knobs_overlap(const char *a, const char *b)
{
	return !strcmp(a, b) ||
	       (knob_is_pattern(a) && knob_pattern_match(a, b)) ||
	       (knob_is_pattern(b) && knob_pattern_match(b, a));
}

/*
 * "fixed": {"knob": value}: well-formed names, values as text, none of
 * them in the space (a knob is either held or searched). Whether this
 * host has them is for the run to check (it knows the sysroot).
 */
static int resolve_fixed(json_t *doc, struct tune_config *c, char *why,
			 size_t len)
{
	json_t *fixed = json_object_get(doc, "fixed"), *v, *text;
	const char *name;
	size_t i;

	if (!fixed)
		return 0;
	if (!json_is_object(fixed)) {
		snprintf(why, len, "config: \"fixed\" is an object {\"knob\": value, ...}");
		return -EINVAL;
	}
	text = json_object();
	if (!text)
		return -ENOMEM;
	json_object_foreach(fixed, name, v) {
		char *value = space_value_text(v), reason[256];
		int bad = knob_is_pattern(name) ?
			  knob_pattern_check(name, reason, sizeof(reason)) :
			  knob_name_check(name, NULL, reason, sizeof(reason));

		for (i = 0; !bad && i < c->space.n; i++)
			if (knobs_overlap(name, c->space.dims[i].name)) {
				snprintf(reason, sizeof(reason),
					 "it is in the space too (as %s): a knob is either fixed or searched",
					 c->space.dims[i].name);
				bad = -EINVAL;
			}
		if (!bad && !value)
			snprintf(reason, sizeof(reason), "its value must be a non-empty string or a number");
		if (!bad && value && json_object_set_new(text, name, json_string(value)))
			bad = -ENOMEM;
		free(value);
		if (bad || !value) {
			json_decref(text);
			snprintf(why, len, "config: fixed: %s: %s", name, reason);
			return bad == -ENOMEM ? bad : -EINVAL;
		}
	}
	/* spelled out as text: what the history and the profile will say */
	c->fixed = json_object_size(text) ? text : NULL;
	return json_object_set_new(doc, "fixed", text) ? -ENOMEM : 0;
}

/*
 * target.cpus: a CPU list the workload is pinned to. Its form here; that
 * the host has those CPUs online, and others for ostune, the run checks.
 */
static int resolve_cpus(json_t *doc, struct tune_config *c, char *why,
			size_t len)
{
	const json_t *cpus = json_object_get(c->target, "cpus");
	bool set[CPU_SETSIZE];
	unsigned long bad;
	int ret;

	(void)doc;
	if (!cpus)
		return 0;
	c->cpus = json_string_value(cpus);
	ret = c->cpus ? cpulist_parse(c->cpus, set, CPU_SETSIZE, &bad) : -EINVAL;
	if (ret == -ERANGE)
		snprintf(why, len, "config: target.cpus: CPU %lu is beyond what ostune can pin (%d CPUs)",
			 bad, CPU_SETSIZE);
	else if (ret)
		snprintf(why, len, "config: target.cpus is a CPU list such as \"2-3\" or \"1,3\"");
	return ret ? -EINVAL : 0;
}

/* Is name a usable phase name: [A-Za-z0-9_.-], not empty, short? */
static bool phase_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return n && n <= 32 &&
	       strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

/* One phase: a unique name and keys the target's type lets a phase set. */
static int check_phase(const json_t *phase, size_t i, const char *keys,
		       char *why, size_t len)
{
	const char *name = json_string_value(json_object_get(phase, "name"));
	char list[600];
	const char *key;
	json_t *v;

	if (!phase_name_ok(name)) {
		snprintf(why, len, "config: phases[%zu]: give a \"name\" of letters, digits, '_', '.' or '-' (32 at most)", i);
		return -EINVAL;
	}
	snprintf(list, sizeof(list), ", %s, ", keys);
	json_object_foreach((json_t *)phase, key, v) {
		bool strings = json_is_array(v);
		char probe[80];
		const json_t *arg;
		size_t k;

		snprintf(probe, sizeof(probe), ", %s, ", key);
		if (strcmp(key, "name") && !strstr(list, probe)) {
			snprintf(why, len, "config: phases[%zu] (%s): unknown key \"%s\" (a phase of this target sets: name, %s)",
				 i, name, key, keys);
			return -EINVAL;
		}
		json_array_foreach(v, k, arg)
			strings = strings && json_is_string(arg);
		if (!strcmp(key, "args") && !strings) {
			snprintf(why, len, "config: phases[%zu] (%s): \"args\" is an array of strings",
				 i, name);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * "phases": the load levels every configuration is measured at, and
 * "score", how their ratios to the baseline's combine (phases.h).
 */
static int resolve_phases(json_t *doc, struct tune_config *c, char *why,
			  size_t len)
{
	json_t *phases = json_object_get(doc, "phases"), *phase;
	const char *score = json_string_value(json_object_get(doc, "score"));
	char keys[512];
	size_t i, j;
	int ret;

	if (!phases) {
		if (json_object_get(doc, "score")) {
			snprintf(why, len, "config: \"score\" combines load phases: give \"phases\" too");
			return -EINVAL;
		}
		return 0;
	}
	if (!json_is_array(phases) || !json_array_size(phases)) {
		snprintf(why, len, "config: \"phases\" is a non-empty array of {\"name\": NAME, load keys...}");
		return -EINVAL;
	}
	if (json_array_size(phases) > TUNE_PHASES_MAX) {
		snprintf(why, len, "config: %zu phases; %d at most",
			 json_array_size(phases), TUNE_PHASES_MAX);
		return -EINVAL;
	}
	ret = target_phase_keys(c->target, keys, sizeof(keys), why, len);
	if (ret == -ENOENT) {
		char reason[256];

		snprintf(reason, sizeof(reason), "%s", why);
		snprintf(why, len, "config: phases: %s", reason);
	}
	if (ret)
		return ret == -ENOENT ? -EINVAL : ret;
	json_array_foreach(phases, i, phase) {
		if (!json_is_object(phase)) {
			snprintf(why, len, "config: phases[%zu] is not an object", i);
			return -EINVAL;
		}
		ret = check_phase(phase, i, keys, why, len);
		for (j = 0; !ret && j < i; j++)
			if (!strcmp(json_string_value(json_object_get(json_array_get(phases, j), "name")),
				    json_string_value(json_object_get(phase, "name")))) {
				snprintf(why, len, "config: phases[%zu] and phases[%zu] are both named \"%s\"",
					 j, i, json_string_value(json_object_get(phase, "name")));
				ret = -EINVAL;
			}
		if (ret)
			return ret;
	}
	if (!score)
		json_object_set_new(doc, "score", json_string("mean"));
	score = json_string_value(json_object_get(doc, "score"));
	if (!score || phase_score_parse(score, &c->phase_score)) {
		snprintf(why, len, "config: \"score\" is \"mean\" (of the phases' ratios to the baseline) or \"worst\"");
		return -EINVAL;
	}
	c->phases = phases;
	c->nphases = json_array_size(phases);
	return 0;
}

/* After the target, seed and space, in this order (config.json's). */
static int (*const sections[])(json_t *doc, struct tune_config *c,
			       char *why, size_t len) = {
	resolve_fixed, resolve_cpus, resolve_phases, resolve_objective, resolve_constraints,
	resolve_pick, resolve_tuner, resolve_window, resolve_budget, resolve_verify, resolve_watchdog,
};

int tune_config_resolve(json_t *doc, struct tune_config *c, char *why,
			size_t len)
{
	const json_t *seed;
	size_t i;
	int ret;

	memset(c, 0, sizeof(*c));
	if (!json_is_object(doc)) {
		snprintf(why, len, "config: want a JSON object");
		return -EINVAL;
	}
	c->doc = json_incref(doc);
	ret = check_keys(doc, top_keys, "", why, len);
	if (ret)
		return ret;
	c->target = json_object_get(doc, "target");
	if (!json_is_object(c->target)) {
		snprintf(why, len, "config: give a \"target\", e.g. {\"type\": \"hackbench\"}");
		return -EINVAL;
	}
	seed = json_object_get(doc, "seed");
	if (!seed) {
		/* Chosen once and written down: the run stays reproducible. */
		json_object_set_new(doc, "seed",
				    json_integer((json_int_t)(time(NULL) & 0x7fffffff)));
		seed = json_object_get(doc, "seed");
	}
	if (!json_is_integer(seed) || json_integer_value(seed) < 0) {
		snprintf(why, len, "config: \"seed\" is a non-negative integer");
		return -EINVAL;
	}
	c->seed = (uint64_t)json_integer_value(seed);
	c->output = json_string_value(json_object_get(doc, "output"));
	ret = space_from_json(json_object_get(doc, "space"), &c->space, why, len);
	if (ret)
		return ret;
	/* Spelled out: types and scales as resolved, values as text. */
	json_object_set_new(doc, "space", space_to_json(&c->space));
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		ret = sections[i](doc, c, why, len);
		if (ret)
			return ret;
	}
	return 0;
}

/* ---- the embedded default ---- */

/* Scheduler time slices and costs: a quarter to four times the host's. */
static const char *const sched_scaled[] = {
	"sched.latency_ns", "sched.min_granularity_ns",
	"sched.wakeup_granularity_ns", "sched.base_slice_ns",
	"sched.migration_cost_ns",
};

/* On/off sysctls that matter to a scheduler-bound workload. */
static const char *const sysctl_switches[] = {
	"sysctl.kernel.sched_autogroup_enabled",
	"sysctl.kernel.timer_migration",
};

static void add_scaled(json_t *space, const struct knob *k, double lo_limit,
		       double hi_limit, int factor)
{
	double v = strtod(k->value, NULL);
	double lo = fmax(floor(v / factor), lo_limit);
	double hi = fmin(v * factor, hi_limit);

	if (!(v > 0) || lo >= hi)
		return;
	json_object_set_new(space, k->name,
			    json_pack("{s:I,s:I,s:s}", "min", (json_int_t)lo,
				      "max", (json_int_t)hi, "scale", "log"));
}

json_t *tune_config_default(const struct knob_list *known, char *why,
			    size_t len)
{
	json_t *space = json_object();
	const struct knob *k;
	size_t i;

	for (i = 0; i < sizeof(sched_scaled) / sizeof(sched_scaled[0]); i++)
		if ((k = knob_list_find(known, sched_scaled[i])))
			add_scaled(space, k, 1000, 4294967295.0, 4);
	if ((k = knob_list_find(known, "sched.nr_migrate")))
		json_object_set_new(space, k->name,
				    json_pack("{s:i,s:i,s:s}", "min", 4, "max", 128,
					      "scale", "log"));
	for (i = 0; i < sizeof(sysctl_switches) / sizeof(sysctl_switches[0]); i++)
		if ((k = knob_list_find(known, sysctl_switches[i])))
			json_object_set_new(space, k->name,
					    json_pack("{s:[ss]}", "values", "0", "1"));
	/* hackbench talks over AF_UNIX sockets, whose send buffer this sizes. */
	if ((k = knob_list_find(known, "sysctl.net.core.wmem_default")))
		add_scaled(space, k, 4096, 16 << 20, 4);
	if (!json_object_size(space)) {
		json_decref(space);
		snprintf(why, len, "no sched knobs (is debugfs mounted at /sys/kernel/debug, and are you root?) and none of the default sysctls: give a config");
		return NULL;
	}
	return json_pack("{s:{s:s},s:{s:s,s:s},s:o,s:{s:s},s:i,"
			 "s:{s:f,s:i,s:i,s:f,s:f,s:i},s:{s:i}}",
			 "target", "type", "hackbench",
			 "objective", "metric", "time_s", "goal", "minimize",
			 "space", space,
			 "tuner", "name", "random",
			 "seed", 1,
			 "window", "seconds", 1.0, "warmup", 1, "repeats", 5,
			 "settle_s", 0.2, "max_spread", 0.1, "remeasure", 1,
			 "budget", "iterations", 8);
}
