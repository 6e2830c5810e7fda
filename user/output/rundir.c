// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading a tuning run's output directory back.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "knobs/profile.h"
#include "output/rundir.h"

/* DIR/name as JSON; NULL and *ret 0 when it does not exist. */
static json_t *load_json(const char *dir, const char *name, int *ret,
			 char *why, size_t len)
{
	json_error_t error;
	char path[4096];
	json_t *doc;

	*ret = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (access(path, F_OK))
		return NULL;
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
	if (!doc) {
		snprintf(why, len, "%s:%d:%d: %s", path, error.line,
			 error.column, error.text);
		*ret = -EINVAL;
	}
	return doc;
}

int run_dir_load(const char *path, struct run_dir *rd, char *why,
		 size_t len)
{
	char history[4096];
	int ret, torn;

	memset(rd, 0, sizeof(*rd));
	rd->path = path;
	rd->config = load_json(path, "config.json", &ret, why, len);
	if (!rd->config && !ret) {
		snprintf(why, len, "%s: no config.json: not the output directory of 'ostune tune'",
			 path);
		ret = -ENOENT;
	}
	if (!ret)
		rd->summary = load_json(path, "summary.json", &ret, why, len);
	if (!ret)
		rd->best = load_json(path, "best.json", &ret, why, len);
	if (!ret)
		rd->pareto = load_json(path, "pareto.json", &ret, why, len);
	if (!ret) {
		snprintf(history, sizeof(history), "%s/history.jsonl", path);
		ret = history_load(history, &rd->history, &torn, why, len);
	}
	if (ret)
		run_dir_free(rd);
	return ret;
}

void run_dir_free(struct run_dir *rd)
{
	json_decref(rd->config);
	json_decref(rd->summary);
	json_decref(rd->best);
	json_decref(rd->pareto);
	history_lines_free(&rd->history);
	rd->config = rd->summary = rd->best = rd->pareto = NULL;
}

/* "the pick of the front (best.json, iteration 4): latency 60, energy 66" */
static int describe_pick(const struct run_dir *rd, char *about, size_t len)
{
	const json_t *pick = json_object_get(rd->pareto, "pick");
	const json_t *objs = json_object_get(rd->pareto, "objectives");
	const char *m0 = json_string_value(json_object_get(json_array_get(objs, 0), "metric"));
	const char *m1 = json_string_value(json_object_get(json_array_get(objs, 1), "metric"));
	const json_t *medians = json_object_get(pick, "objectives");

	return snprintf(about, len, "the pick of the front (best.json, iteration %lld): %s %.4g, %s %.4g",
			json_integer_value(json_object_get(pick, "iteration")),
			m0 ? m0 : "objective",
			json_number_value(json_object_get(json_object_get(medians, m0 ? m0 : ""), "median")),
			m1 ? m1 : "second objective",
			json_number_value(json_object_get(json_object_get(medians, m1 ? m1 : ""), "median")));
}

/* "time_s 0.412, 8.3% ± 2.6% better than the baseline" */
static void describe(const struct run_dir *rd, char *about, size_t len)
{
	const json_t *best = rd->best;
	double pct = json_number_value(json_object_get(rd->summary, "improvement_pct"));
	double spread = json_number_value(json_object_get(rd->summary,
							   "improvement_spread_pct"));
	const char *metric = json_string_value(json_object_get(best, "metric"));
	int used;

	if (rd->pareto)
		used = describe_pick(rd, about, len);
	else
		used = snprintf(about, len, "the best configuration (best.json, iteration %lld): %s %.4g",
				json_integer_value(json_object_get(best, "iteration")),
				metric ? metric : "objective",
				json_number_value(json_object_get(best, "objective")));
	if (used < 0 || (size_t)used >= len)
		return;
	if (json_is_string(json_object_get(best, "verified"))) {
		snprintf(about + used, len - used, "; measured again: %s",
			 json_string_value(json_object_get(best, "verified")));
		return;
	}
	/* two objectives: one figure on one of them would mislead */
	if (rd->pareto || !json_is_number(json_object_get(rd->summary, "improvement_pct")))
		return;
	snprintf(about + used, len - used, ", %.1f%% ± %.1f%% %s than the baseline",
		 fabs(pct), isfinite(spread) ? spread : 0, pct >= 0 ? "better" : "worse");
}

/*
 * summary.json's "best", or with two objectives pareto.json's pick,
 * whatever its verification said.
 */
static int search_best(const struct run_dir *rd, const char *verified,
		       struct changeset *out, char *about, size_t about_len,
		       char *why, size_t len)
{
	const json_t *best = rd->pareto ? json_object_get(rd->pareto, "pick") :
			     json_object_get(rd->summary, "best"), *v;
	const char *name;

	if (!json_is_object(json_object_get(best, "knobs"))) {
		snprintf(about, about_len, "%s", rd->pareto ?
			 json_string_value(json_object_get(rd->pareto, "why")) ?: "no pick" :
			 "the search found no configuration measured, feasible and steady");
		snprintf(why, len, "%s: %s", rd->path, about);
		return -ENOENT;
	}
	if (rd->pareto)
		snprintf(about, about_len, "the pick of the front (pareto.json), unverified (iteration %lld)%s%s",
			 json_integer_value(json_object_get(best, "iteration")),
			 verified ? "; measured again: " : "", verified ?: "");
	else
		snprintf(about, about_len, "the search's best, unverified (iteration %lld: %s %.4g)%s%s",
			 json_integer_value(json_object_get(best, "iteration")),
			 json_string_value(json_object_get(json_object_get(rd->summary, "objective"),
							   "metric")) ?: "objective",
			 json_number_value(json_object_get(best, "objective")),
			 verified ? "; measured again: " : "", verified ?: "");
	/* the knobs held for the whole run first, as best.json has them */
	json_object_foreach((json_t *)json_object_get(rd->summary, "fixed"), name, v) {
		const char *value = json_string_value(json_object_get(v, "value"));

		if (!value) {
			snprintf(why, len, "%s/summary.json: fixed: %s has no value", rd->path, name);
			return -EINVAL;
		}
		if (changeset_set(out, name, value))
			return -ENOMEM;
	}
	json_object_foreach((json_t *)json_object_get(best, "knobs"), name, v) {
		if (!json_is_string(v)) {
			snprintf(why, len, "%s/%s: %s is not a string", rd->path,
				 rd->pareto ? "pareto.json: pick" : "summary.json: best", name);
			return -EINVAL;
		}
		if (changeset_set(out, name, json_string_value(v)))
			return -ENOMEM;
	}
	return 0;
}

int run_dir_choice(const struct run_dir *rd, bool unverified,
		   struct changeset *out, char *about, size_t about_len,
		   char *why, size_t len)
{
	char path[4096];
	const char *verified = json_string_value(json_object_get(
		json_object_get(rd->summary, "verification"), "why"));

	memset(out, 0, sizeof(*out));
	if (unverified)
		return search_best(rd, verified, out, about, about_len, why, len);
	if (!rd->best) {
		/* verified: "defaults stand: ..." */
		snprintf(about, about_len, "%s", verified ? verified :
			 "no configuration was measured, feasible and steady");
		snprintf(why, len, "%s: no best.json: %s", rd->path, about);
		return -ENOENT;
	}
	describe(rd, about, about_len);
	snprintf(path, sizeof(path), "%s/best.json", rd->path);
	return profile_load(path, out, why, len);
}
