// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The llm tuner: a language model behind an OpenAI-compatible
 * chat-completions endpoint (llama-server, Ollama, vLLM, a hosted API)
 * proposes each configuration from what the knobs mean and what the
 * history shows (llm_prompt.h).
 *
 * The model is not trusted: its answer becomes a point only through
 * llm_answer_point() (knobs of the space, values inside their domains),
 * and the loop checks the point again, the module's validation after
 * that. When the endpoint errors, times out, rate-limits, or answers with
 * something that is no proposal (or one already measured), bo makes that
 * suggestion and its "why" says so.
 *
 * Waiting for the model beats the session's heartbeat (base/http.h); a
 * stop signal ends the wait and the run.
 *
 * Determinism: the answers are the tuner's only input besides the
 * history, and llm.jsonl keeps them (llm_log.h); a resumed run replays
 * them, so it makes the same suggestions. The key is read at start, sent
 * only in the Authorization header, and written nowhere.
 *
 * The dual loop, llm+bo: every reask_every suggestions the model is asked
 * for up to "points" configurations and a narrower range per numeric
 * knob; its points are measured first, then bo searches inside the
 * ranges (a bo made afresh on the narrowed space for each suggestion, so
 * that it too depends on the history and the recorded answer alone).
 *
 * Options: endpoint (the base URL, ".../v1"), model, api_key_env or
 * api_key_file, timeout_s, max_calls, temperature, structured_output
 * (send the answer's JSON schema as response_format; false for endpoints
 * that refuse it); llm+bo also reask_every and points.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/http.h"
#include "knobs/discover.h"
#include "search/llm_answer.h"
#include "search/llm_log.h"
#include "search/llm_prompt.h"
#include "search/tuner.h"

#define DEFAULT_ENDPOINT "http://127.0.0.1:8080/v1"
#define DEFAULT_TIMEOUT_S 60
#define NOTES_MAX 1024
/*
 * After this many answers in a row that were no proposal, the endpoint
 * is left alone for BACKOFF suggestions (bo makes them) before it is
 * asked again: a dead endpoint costs a timeout per try, not per step.
 */
#define FAIL_STREAK 3
#define BACKOFF 4
#define KEY_MAX 4096

struct llm_tuner {
	char url[600];
	const char *model;
	char *key;			/* or NULL */
	long timeout_ms;
	long long max_calls;
	double temperature;
	bool structured;
	/* llm+bo: ask every reask_every suggestions for up to points points */
	bool dual;
	unsigned int reask_every, points;
	/* bo makes the suggestions the model cannot */
	struct tuner_problem bo_problem;
	struct tuner bo;
	bool have_bo;
	struct llm_log log;
	bool have_log;
	struct knob_list known;
	bool discovered;
};

/* What one suggestion came to: the record's fields. */
struct llm_turn {
	unsigned int k;
	json_t *request;		/* the body sent, or NULL */
	long status;
	char *response;			/* the body received, or NULL */
	char error[512];		/* why there is no proposal, or "" */
	char notes[NOTES_MAX];
	char reason[TUNER_WHY_MAX];
	struct llm_usage usage;
	bool called;
};

static int fail(char *why, size_t len, const char *msg)
{
	snprintf(why, len, "tuner llm: %s", msg);
	return -EINVAL;
}

static int read_key_file(struct llm_tuner *l, const char *path, char *why,
			 size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) {
		snprintf(why, len, "tuner llm: api_key_file %s: %s", path, strerror(errno));
		return -EINVAL;
	}
	l->key = calloc(1, KEY_MAX);
	n = l->key ? fread(l->key, 1, KEY_MAX - 1, f) : 0;
	fclose(f);
	if (!l->key)
		return -ENOMEM;
	/* its first line: what follows (a comment, a second key) is not sent */
	n = strcspn(l->key, "\n");
	l->key[n] = '\0';
	while (n && (l->key[n - 1] == '\r' || l->key[n - 1] == ' '))
		l->key[--n] = '\0';
	return n ? 0 : fail(why, len, "api_key_file is empty");
}

/*
 * The key goes into a header line as it is: a line break or another
 * control character in it would end that header and start another.
 */
static int check_key(const char *key, const char *from, char *why, size_t len)
{
	const unsigned char *c;

	for (c = (const unsigned char *)key; *c; c++)
		if (*c < 0x20 || *c == 0x7f) {
			snprintf(why, len, "tuner llm: %s holds more than a key (a line break or another control character)",
				 from);
			return -EINVAL;
		}
	return 0;
}

static int read_key(struct llm_tuner *l, const json_t *o, char *why, size_t len)
{
	const json_t *env = json_object_get(o, "api_key_env");
	const json_t *file = json_object_get(o, "api_key_file");
	const char *value;

	if (env && file)
		return fail(why, len, "give api_key_env or api_key_file, not both");
	if ((env && !json_is_string(env)) || (file && !json_is_string(file)))
		return fail(why, len, "api_key_env names a variable and api_key_file a file");
	if (file)
		return read_key_file(l, json_string_value(file), why, len) ?:
		       check_key(l->key, "api_key_file", why, len);
	if (!env)
		return 0;
	value = getenv(json_string_value(env));
	if (!value || !*value) {
		snprintf(why, len, "tuner llm: api_key_env: %s is not set",
			 json_string_value(env));
		return -EINVAL;
	}
	if (check_key(value, "api_key_env", why, len))
		return -EINVAL;
	l->key = strdup(value);
	return l->key ? 0 : -ENOMEM;
}

/* An integer option from lo to hi, def when not given: 0 or -EINVAL. */
static int count_option(const json_t *o, const char *key, unsigned int def,
			unsigned int lo, unsigned int hi, unsigned int *out,
			char *why, size_t len)
{
	const json_t *v = json_object_get(o, key);

	*out = def;
	if (!v)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi) {
		snprintf(why, len, "tuner llm+bo: %s is a count, %u to %u", key, lo, hi);
		return -EINVAL;
	}
	*out = (unsigned int)json_integer_value(v);
	return 0;
}

static int read_dual_options(struct llm_tuner *l, const json_t *o, char *why,
			     size_t len)
{
	return count_option(o, "reask_every", 5, 1, 1000, &l->reask_every, why, len) ?:
	       count_option(o, "points", 3, 1, 20, &l->points, why, len);
}

static int read_options(struct llm_tuner *l, const json_t *o, char *why,
			size_t len)
{
	const json_t *endpoint = json_object_get(o, "endpoint");
	const json_t *model = json_object_get(o, "model");
	const json_t *timeout = json_object_get(o, "timeout_s");
	const json_t *calls = json_object_get(o, "max_calls");
	const json_t *temp = json_object_get(o, "temperature");
	const json_t *structured = json_object_get(o, "structured_output");
	const char *url = endpoint ? json_string_value(endpoint) : DEFAULT_ENDPOINT;
	size_t n;

	if (!url || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)))
		return fail(why, len, "endpoint is the API's base URL, http:// or https:// (e.g. " DEFAULT_ENDPOINT ")");
	n = strlen(url);
	while (n && url[n - 1] == '/')
		n--;
	if (n + sizeof("/chat/completions") > sizeof(l->url))
		return fail(why, len, "endpoint is too long");
	snprintf(l->url, sizeof(l->url), "%.*s/chat/completions", (int)n, url);
	if (model && (!json_is_string(model) || !*json_string_value(model)))
		return fail(why, len, "model is the endpoint's model name");
	l->model = model ? json_string_value(model) : "default";
	if (timeout && (!json_is_number(timeout) || json_number_value(timeout) <= 0 ||
			json_number_value(timeout) > 3600))
		return fail(why, len, "timeout_s is seconds, above 0 and at most 3600");
	l->timeout_ms = (long)llround(1000 * (timeout ? json_number_value(timeout) :
					      DEFAULT_TIMEOUT_S));
	if (calls && (!json_is_integer(calls) || json_integer_value(calls) < 0))
		return fail(why, len, "max_calls is a count, 0 or more");
	l->max_calls = calls ? json_integer_value(calls) : -1;
	if (temp && (!json_is_number(temp) || json_number_value(temp) < 0 ||
		     json_number_value(temp) > 2))
		return fail(why, len, "temperature is 0 to 2");
	l->temperature = temp ? json_number_value(temp) : 0.2;
	if (structured && !json_is_boolean(structured))
		return fail(why, len, "structured_output is true or false");
	l->structured = !structured || json_is_true(structured);
	if (l->dual && read_dual_options(l, o, why, len))
		return -EINVAL;
	return read_key(l, o, why, len);
}

static void llm_fini(struct tuner *t)
{
	struct llm_tuner *l = t->priv;

	if (!l)
		return;
	if (l->have_bo)
		tuner_destroy(&l->bo);
	if (l->have_log)
		llm_log_close(&l->log);
	if (l->discovered)
		knob_list_free(&l->known);
	if (l->key) {
		memset(l->key, 0, strlen(l->key));
		free(l->key);
	}
	free(l);
	t->priv = NULL;
}

static int init(struct tuner *t, bool dual, char *why, size_t len)
{
	struct llm_tuner *l = calloc(1, sizeof(*l));
	int ret;

	if (!l)
		return -ENOMEM;
	t->priv = l;
	l->dual = dual;
	ret = read_options(l, t->problem->options, why, len);
	if (!ret) {
		l->bo_problem = *t->problem;
		l->bo_problem.options = NULL;
		ret = tuner_create(&l->bo, "bo", &l->bo_problem, why, len);
		l->have_bo = !ret;
	}
	if (ret)
		llm_fini(t);
	return ret;
}

static int llm_init(struct tuner *t, char *why, size_t len)
{
	return init(t, false, why, len);
}

static int llm_bo_init(struct tuner *t, char *why, size_t len)
{
	return init(t, true, why, len);
}

/* The log and the knobs' details, once the run has a directory. */
static int start_run(struct llm_tuner *l, const struct tuner_context *c)
{
	int ret;

	if (l->have_log || !c)
		return 0;
	ret = llm_log_open(&l->log, c->dir, c->resume, l->key);
	if (ret) {
		llm_log_close(&l->log);
		return ret;
	}
	l->have_log = true;
	/* without the details the prompt is poorer, not wrong */
	l->discovered = !discover_knobs(c->sysroot, &l->known);
	return 0;
}

static json_t *request_body(const struct llm_tuner *l, const struct tuner *t,
			    const struct tuner_history *h)
{
	const struct tuner_context *c = t->problem->context;
	struct knob_list none = { 0 };
	json_t *proxies = c ? llm_proxies_read(c->dir) : NULL, *body = NULL;
	struct llm_facts facts = {
		.problem = t->problem, .history = h,
		.known = l->discovered ? &l->known : &none, .proxies = proxies,
		.points = l->dual ? l->points : 0,
	};
	char *user = llm_prompt_user(&facts);

	if (user)
		body = json_pack("{s:s,s:f,s:b,s:[{s:s,s:s},{s:s,s:s}]}",
				 "model", l->model, "temperature", l->temperature,
				 "stream", 0, "messages",
				 "role", "system", "content", llm_prompt_system(facts.points),
				 "role", "user", "content", user);
	if (body && l->structured)
		json_object_set_new(body, "response_format",
				    /*
				     * not strict: hosted APIs' strict mode refuses the
				     * bounds that llama.cpp's grammars use
				     */
				    json_pack("{s:s,s:{s:s,s:b,s:o}}", "type", "json_schema",
					      "json_schema", "name", "ostune_proposal",
					      "strict", 0, "schema",
					      llm_answer_schema(t->problem->space, facts.points)));
	free(user);
	json_decref(proxies);
	return body;
}

/* How many suggestions before k asked the endpoint. */
static long long calls_before(const struct llm_tuner *l, unsigned int k)
{
	const json_t *rec;
	long long n = 0;
	size_t i;

	if (!l->have_log)
		return 0;
	json_array_foreach(l->log.records, i, rec)
		n += json_integer_value(json_object_get(rec, "suggestion")) < k &&
		     json_is_true(json_object_get(rec, "called"));
	return n;
}

/*
 * Whether to leave the endpoint alone at suggestion k: its last
 * FAIL_STREAK answers failed and fewer than BACKOFF suggestions were
 * made without it since. From the records, so a resumed run agrees.
 */
static bool backing_off(const struct llm_tuner *l, unsigned int k)
{
	unsigned int streak = 0, skipped = 0;
	const json_t *rec;
	size_t i;

	if (!l->have_log)
		return false;
	json_array_foreach(l->log.records, i, rec) {
		if (json_integer_value(json_object_get(rec, "suggestion")) >= k)
			break;
		if (!json_is_true(json_object_get(rec, "called"))) {
			skipped++;
			continue;
		}
		streak = json_is_true(json_object_get(rec, "fallback")) ? streak + 1 : 0;
		skipped = 0;
	}
	return streak >= FAIL_STREAK && skipped < BACKOFF;
}

/* Asks the endpoint: 0 with turn->status/response, or -EINTR/-ECANCELED. */
static int ask(struct llm_tuner *l, const struct tuner *t,
	       const struct tuner_history *h, struct llm_turn *turn)
{
	const struct tuner_context *c = t->problem->context;
	struct http_response res;
	struct http_request req = {
		.url = l->url, .bearer = l->key, .timeout_ms = l->timeout_ms,
		.waiter = c ? c->waiter : NULL,
	};
	char *body;
	int ret;

	turn->request = request_body(l, t, h);
	body = turn->request ? json_dumps(turn->request, JSON_COMPACT) : NULL;
	if (!body)
		return -ENOMEM;
	req.body = body;
	turn->called = true;
	ret = http_post_json(&req, &res, turn->error, sizeof(turn->error));
	free(body);
	if (ret == -EINTR || ret == -ECANCELED || ret == -ENOMEM) {
		http_response_free(&res);
		return ret;
	}
	if (ret == -ETIMEDOUT)
		snprintf(turn->error, sizeof(turn->error), "no answer within %g s",
			 l->timeout_ms / 1000.0);
	else if (ret && !turn->error[0])
		snprintf(turn->error, sizeof(turn->error), "%s", strerror(-ret));
	turn->status = res.status;
	turn->response = res.body;
	return 0;
}

/* Has this point been measured (or suggested) already: its index, or -1. */
static long measured(const struct space *s, const struct tuner_history *h,
		     const double *x)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (!memcmp(h->obs[i].x, x, s->n * sizeof(*x)))
			return (long)i;
	return -1;
}

/*
 * The JSON object the turn's answer holds (new reference), or NULL with
 * turn->error. The key is scrubbed from the text before anything quotes
 * it: a quote cut short (the refusal's, a long reason's) would keep a
 * piece of the key that no later scrubbing recognizes.
 */
static json_t *answer_of(const struct llm_tuner *l, struct llm_turn *turn)
{
	char *why = turn->error, *clean;
	size_t len = sizeof(turn->error);
	json_t *doc, *answer;
	const char *text;

	if (turn->error[0])
		return NULL;
	if (turn->status != 200) {
		snprintf(why, len, "HTTP %ld%s", turn->status,
			 turn->status == 429 ? " (rate-limited)" : "");
		return NULL;
	}
	if (llm_response_text(turn->response, &doc, &text, &turn->usage, why, len))
		return NULL;
	clean = llm_redact(text, l->key);
	json_decref(doc);
	if (!clean) {
		snprintf(why, len, "%s", strerror(ENOMEM));
		return NULL;
	}
	answer = llm_answer_object(clean, why, len);
	free(clean);
	return answer;
}

/*
 * The turn's answer as a point: 0, or -EINVAL with turn->error saying
 * why there is none.
 */
static int read_answer(const struct llm_tuner *l, const struct tuner *t,
		       const struct tuner_history *h, struct llm_turn *turn,
		       double *x)
{
	const struct space *s = t->problem->space;
	json_t *answer = answer_of(l, turn);
	long again;
	int ret;

	if (!answer)
		return -EINVAL;
	ret = llm_answer_point(s, t->problem->baseline, answer, x, turn->notes,
			       sizeof(turn->notes), turn->reason,
			       sizeof(turn->reason), turn->error,
			       sizeof(turn->error));
	if (!ret && (again = measured(s, h, x)) >= 0) {
		snprintf(turn->error, sizeof(turn->error),
			 "it proposed iteration %ld's configuration again", again);
		ret = -EINVAL;
	}
	json_decref(answer);
	return ret;
}

/*
 * The dual loop's plan: its ranges as narrow, and point j of its points
 * into x (*have_point) when it is one of the space not measured yet.
 * 0, or -EINVAL with turn->error when the answer is no plan, -ENOMEM.
 */
static int read_plan(const struct llm_tuner *l, const struct tuner *t,
		     const struct tuner_history *h, struct llm_turn *turn,
		     size_t j, double *x, struct space *narrow,
		     bool *have_point, size_t *npoints)
{
	const struct space *s = t->problem->space;
	json_t *answer = answer_of(l, turn), *points, *ranges, *one;
	char why[256], reason[TUNER_WHY_MAX], point_notes[NOTES_MAX];
	const json_t *r;
	int ret = 0;

	*have_point = false;
	if (!answer)
		return -EINVAL;
	points = json_object_get(answer, "points");
	ranges = json_object_get(answer, "ranges");
	r = json_object_get(answer, "reason");
	snprintf(turn->reason, sizeof(turn->reason), "%s", json_string_value(r) ?: "");
	/* up to the points asked for: more would take bo's turns */
	*npoints = json_array_size(points);
	if (*npoints > l->points)
		*npoints = l->points;
	if (!json_is_array(points) && !json_is_object(ranges)) {
		snprintf(turn->error, sizeof(turn->error), "the answer has neither \"points\" nor \"ranges\"");
		ret = -EINVAL;
	}
	ret = ret ?: llm_answer_ranges(s, ranges, narrow, turn->notes, sizeof(turn->notes));
	if (!ret && j < *npoints) {
		one = json_pack("{s:O}", "knobs", json_array_get(points, j));
		point_notes[0] = '\0';
		if (one && !llm_answer_point(s, t->problem->baseline, one, x, point_notes,
					     sizeof(point_notes), reason, sizeof(reason),
					     why, sizeof(why)))
			*have_point = measured(s, h, x) < 0;
		else
			snprintf(point_notes, sizeof(point_notes), "point %zu refused: %s",
				 j + 1, why);
		if (point_notes[0])
			snprintf(turn->notes + strlen(turn->notes),
				 sizeof(turn->notes) - strlen(turn->notes), "%s%s",
				 turn->notes[0] ? "; " : "", point_notes);
		json_decref(one);
	}
	json_decref(answer);
	return ret;
}

/* The turn from its record (a resumed run) or from the endpoint. */
static int take_turn(struct llm_tuner *l, const struct tuner *t,
		     const struct tuner_history *h, struct llm_turn *turn,
		     bool *replayed)
{
	const json_t *rec = l->have_log ? llm_log_find(&l->log, turn->k) : NULL;
	const char *text;

	*replayed = rec != NULL;
	if (rec) {
		turn->called = json_is_true(json_object_get(rec, "called"));
		turn->status = (long)json_integer_value(json_object_get(rec, "status"));
		text = json_string_value(json_object_get(rec, "response"));
		turn->response = text ? strdup(text) : NULL;
		text = json_string_value(json_object_get(rec, "transport_error"));
		snprintf(turn->error, sizeof(turn->error), "%s", text ? text : "");
		return 0;
	}
	if (l->max_calls >= 0 && calls_before(l, turn->k) >= l->max_calls) {
		snprintf(turn->error, sizeof(turn->error), "max_calls (%lld) reached",
			 l->max_calls);
		return 0;
	}
	if (backing_off(l, turn->k)) {
		snprintf(turn->error, sizeof(turn->error),
			 "%d answers in a row were no proposal; asked again after %d without it",
			 FAIL_STREAK, BACKOFF);
		return 0;
	}
	return ask(l, t, h, turn);
}

static int record(struct llm_tuner *l, const struct tuner *t,
		  const struct llm_turn *turn, const char *transport_error,
		  const double *x, const char *why, bool fallback)
{
	const struct space *s = t->problem->space;
	json_t *rec, *knobs = json_object();
	char text[64];
	size_t i;

	for (i = 0; knobs && i < s->n; i++) {
		dim_format(&s->dims[i], x[i], text, sizeof(text));
		json_object_set_new(knobs, s->dims[i].name, json_string(text));
	}
	rec = json_pack("{s:i,s:b,s:s,s:s,s:O*,s:i,s:s?,s:s?,s:b,s:s?,s:s?,s:o,s:s,s:{s:I,s:I}}",
			"suggestion", turn->k, "called", turn->called,
			"endpoint", l->url, "model", l->model,
			"request", turn->request, "status", (int)turn->status,
			"response", turn->response,
			"transport_error", transport_error[0] ? transport_error : NULL,
			"fallback", fallback,
			"refused", fallback && turn->error[0] ? turn->error : NULL,
			"notes", turn->notes[0] ? turn->notes : NULL,
			"knobs", knobs, "why", why, "tokens",
			"prompt", (json_int_t)turn->usage.prompt_tokens,
			"completion", (json_int_t)turn->usage.completion_tokens);
	return rec ? llm_log_append(&l->log, rec) : -ENOMEM;
}

/* bo searching inside the plan's ranges; its point and why into out. */
static int bo_inside(const struct tuner *t, const struct tuner_history *h,
		     const struct space *narrow, size_t npoints,
		     struct tuner_suggestion *out, char *why, size_t len)
{
	struct tuner_problem p = *t->problem;
	json_t *options = json_pack("{s:i}", "initial", npoints ? (int)npoints : 1);
	struct tuner bo;
	int ret;

	p.space = narrow;
	p.options = options;
	ret = options ? tuner_create(&bo, "bo", &p, why, len) : -ENOMEM;
	if (!ret) {
		ret = bo.ops->suggest(&bo, h, out, 1);
		tuner_destroy(&bo);
	}
	json_decref(options);
	return ret;
}

/*
 * Point x (the caller's out) and its whole why (full) for suggestion
 * turn->k + j: the single loop's proposal, or the dual loop's point j or
 * bo inside its ranges; bo on the whole space when the model failed.
 * *fallback says whether it did. 1, or -errno.
 */
static int suggestion_of(struct llm_tuner *l, const struct tuner *t,
			 const struct tuner_history *h, struct llm_turn *turn,
			 size_t j, struct tuner_suggestion *out, char *full,
			 size_t len, bool *fallback)
{
	struct space narrow = { 0 };
	bool have_point = false;
	size_t npoints = 0;
	int ret;

	ret = l->dual ? read_plan(l, t, h, turn, j, out[0].x, &narrow, &have_point,
				  &npoints) :
	      read_answer(l, t, h, turn, out[0].x);
	*fallback = ret != 0;
	if (ret == -ENOMEM)
		return ret;
	if (*fallback) {
		ret = l->bo.ops->suggest(&l->bo, h, out, 1);
		snprintf(full, len, "bo, as the model failed (%s): %s", turn->error,
			 out[0].why);
	} else if (!l->dual) {
		snprintf(full, len, "llm: %s", turn->reason[0] ? turn->reason :
			 "no reason given");
		ret = 1;
	} else if (have_point) {
		snprintf(full, len, "llm: point %zu of %zu: %s", j + 1, npoints,
			 turn->reason);
		ret = 1;
	} else {
		ret = bo_inside(t, h, &narrow, npoints, out, full, len);
		if (ret > 0)
			snprintf(full, len, "bo inside the model's ranges: %s", out[0].why);
	}
	/* what was refused, projected or filled, after the reason */
	if (ret > 0 && !*fallback && turn->notes[0])
		snprintf(full + strlen(full), len - strlen(full), " [%s]", turn->notes);
	free(narrow.dims);
	return ret;
}

static int llm_suggest(struct tuner *t, const struct tuner_history *h,
		       struct tuner_suggestion *out, size_t n)
{
	struct llm_tuner *l = t->priv;
	unsigned int k = (unsigned int)tuner_history_suggested(h);
	/* the dual loop's plan was asked for at its first suggestion */
	struct llm_turn turn = { .k = l->dual ? k - k % l->reask_every : k };
	char transport[sizeof(turn.error)], full[2048] = "", *clean;
	bool replayed, fallback;
	int ret;

	(void)n;
	ret = start_run(l, t->problem->context);
	ret = ret ?: take_turn(l, t, h, &turn, &replayed);
	if (ret)
		goto out;
	snprintf(transport, sizeof(transport), "%s", turn.error);
	ret = suggestion_of(l, t, h, &turn, k - turn.k, out, full, sizeof(full),
			    &fallback);
	if (ret < 0)
		goto out;
	/* an endpoint that echoes the key into its answer does not get it into the history */
	clean = llm_redact(full, l->key);
	if (!clean) {
		ret = -ENOMEM;
		goto out;
	}
	/* the whole text is in llm.jsonl */
	snprintf(out[0].why, sizeof(out[0].why), "%.*s",
		 (int)sizeof(out[0].why) - 1, clean);
	free(clean);
	ret = 1;
	if (!replayed && l->have_log && record(l, t, &turn, transport, out[0].x,
					       full, fallback))
		ret = -EIO;
out:
	json_decref(turn.request);
	free(turn.response);
	return ret;
}

static json_t *llm_stats(struct tuner *t)
{
	struct llm_tuner *l = t->priv;
	struct llm_totals tot;

	if (!l->have_log)
		return NULL;
	llm_log_totals(&l->log, &tot);
	return json_pack("{s:s,s:s,s:I,s:I,s:I,s:I}", "endpoint", l->url,
			 "model", l->model, "calls", (json_int_t)tot.calls,
			 "fallbacks", (json_int_t)tot.fallbacks,
			 "prompt_tokens", (json_int_t)tot.prompt_tokens,
			 "completion_tokens", (json_int_t)tot.completion_tokens);
}

/* what both loops take: the endpoint and how to use it */
#define ENDPOINT_OPTIONS "endpoint", "model", "api_key_env", "api_key_file", \
	"timeout_s", "max_calls", "temperature", "structured_output"

static const char *const llm_options[] = { ENDPOINT_OPTIONS, NULL };

static const char *const llm_bo_options[] = {
	ENDPOINT_OPTIONS, "reask_every", "points", NULL,
};

const struct tuner_ops tuner_llm_bo_ops = {
	.name = "llm+bo",
	.options = llm_bo_options,
	.summary = "a language model proposes points and narrows the ranges, bo searches inside them",
	.init = llm_bo_init,
	.suggest = llm_suggest,
	.stats = llm_stats,
	.fini = llm_fini,
};

const struct tuner_ops tuner_llm_ops = {
	.name = "llm",
	.options = llm_options,
	.summary = "a language model proposes each configuration; bo when it cannot",
	.init = llm_init,
	.suggest = llm_suggest,
	.stats = llm_stats,
	.fini = llm_fini,
};
