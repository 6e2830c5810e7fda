/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * llm.jsonl, the llm tuner's record: one line per suggestion with the
 * request sent, the answer (or the transport's error) and what was made
 * of it. A resumed run replays the answers recorded instead of asking
 * again, so it makes the same suggestions. The API key is never in a
 * request body, and every line is scrubbed of it besides, in case an
 * endpoint echoes it.
 */
#ifndef OSTUNE_LLM_LOG_H
#define OSTUNE_LLM_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define LLM_REDACTED "[redacted]"

struct llm_log {
	char path[700];
	json_t *records;	/* every line, in order */
	const char *secret;	/* the key, or NULL */
};

struct llm_totals {
	long long calls, prompt_tokens, completion_tokens, fallbacks;
};

/*
 * DIR/llm.jsonl: read when resume (a torn or unreadable line ends what
 * is replayed), else started empty. -errno.
 */
int llm_log_open(struct llm_log *l, const char *dir, bool resume,
		 const char *secret);
/* The record of suggestion k ("suggestion": k), or NULL. */
const json_t *llm_log_find(const struct llm_log *l, unsigned int k);
/* Appends (steals) a record, scrubbed of the secret. -errno. */
int llm_log_append(struct llm_log *l, json_t *record);
/* The calls, tokens and fallbacks of every record. */
void llm_log_totals(const struct llm_log *l, struct llm_totals *t);
void llm_log_close(struct llm_log *l);

/* Every occurrence of secret in text (malloc'd) replaced; NULL: ENOMEM. */
char *llm_redact(const char *text, const char *secret);

#endif /* OSTUNE_LLM_LOG_H */
