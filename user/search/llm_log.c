// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * llm.jsonl (llm_log.h): written a whole line at a time and flushed, so
 * an interrupted run loses at most the answer it was waiting for.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/llm_log.h"

char *llm_redact(const char *text, const char *secret)
{
	size_t n = strlen(secret ? secret : ""), count = 0, rlen = strlen(LLM_REDACTED);
	const char *p, *hit;
	char *out, *o;

	if (!n)
		return strdup(text);
	for (p = text; (hit = strstr(p, secret)); p = hit + n)
		count++;
	out = malloc(strlen(text) + count * rlen + 1);
	if (!out)
		return NULL;
	for (p = text, o = out; (hit = strstr(p, secret)); p = hit + n) {
		memcpy(o, p, (size_t)(hit - p));
		o += hit - p;
		memcpy(o, LLM_REDACTED, rlen);
		o += rlen;
	}
	strcpy(o, p);
	return out;
}

static void load(struct llm_log *l, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	json_t *rec;

	while (getline(&line, &cap, f) > 0) {
		rec = json_loads(line, 0, NULL);
		if (!json_is_object(rec)) {
			json_decref(rec);
			break;
		}
		json_array_append_new(l->records, rec);
	}
	free(line);
}

int llm_log_open(struct llm_log *l, const char *dir, bool resume,
		 const char *secret)
{
	FILE *f;

	snprintf(l->path, sizeof(l->path), "%s/llm.jsonl", dir);
	l->secret = secret;
	l->records = json_array();
	if (!l->records)
		return -ENOMEM;
	f = fopen(l->path, resume ? "r" : "w");
	if (!f)
		return resume && errno == ENOENT ? 0 : -errno;
	if (resume)
		load(l, f);
	fclose(f);
	/* what a torn line ended is asked again; the file holds no more */
	if (resume) {
		size_t i;
		json_t *rec;

		f = fopen(l->path, "w");
		if (!f)
			return -errno;
		json_array_foreach(l->records, i, rec) {
			json_dumpf(rec, f, JSON_COMPACT);
			fputc('\n', f);
		}
		if (fclose(f))
			return -EIO;
	}
	return 0;
}

const json_t *llm_log_find(const struct llm_log *l, unsigned int k)
{
	const json_t *rec;
	size_t i;

	json_array_foreach(l->records, i, rec)
		if (json_integer_value(json_object_get(rec, "suggestion")) == k)
			return rec;
	return NULL;
}

int llm_log_append(struct llm_log *l, json_t *record)
{
	char *text = json_dumps(record, JSON_COMPACT), *clean;
	json_t *back;
	FILE *f;
	int ret = 0;

	clean = text ? llm_redact(text, l->secret) : NULL;
	free(text);
	json_decref(record);
	back = clean ? json_loads(clean, 0, NULL) : NULL;
	if (!back) {
		free(clean);
		return -ENOMEM;
	}
	json_array_append_new(l->records, back);
	f = fopen(l->path, "a");
	if (!f || fprintf(f, "%s\n", clean) < 0)
		ret = -EIO;
	if (f && fclose(f))
		ret = -EIO;
	free(clean);
	return ret;
}

void llm_log_totals(const struct llm_log *l, struct llm_totals *t)
{
	const json_t *rec, *tokens;
	size_t i;

	*t = (struct llm_totals){ 0 };
	json_array_foreach(l->records, i, rec) {
		t->calls += json_is_true(json_object_get(rec, "called"));
		t->fallbacks += json_is_true(json_object_get(rec, "fallback"));
		tokens = json_object_get(rec, "tokens");
		t->prompt_tokens += json_integer_value(json_object_get(tokens, "prompt"));
		t->completion_tokens += json_integer_value(json_object_get(tokens, "completion"));
	}
}

void llm_log_close(struct llm_log *l)
{
	json_decref(l->records);
	l->records = NULL;
}
