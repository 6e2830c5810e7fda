/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the llm tuner tells the model: the task, the objective and
 * constraints, the target, every knob of the space with its domain, the
 * host's value and what it is and does, the history so far as a compact
 * table, and the JSON object to answer with (and its schema, for
 * endpoints with structured output).
 */
#ifndef OSTUNE_LLM_PROMPT_H
#define OSTUNE_LLM_PROMPT_H

#include <jansson.h>

#include "knobs/discover.h"
#include "search/tuner.h"

struct llm_facts {
	const struct tuner_problem *problem;
	const struct tuner_history *history;
	/* this host's knobs, for discovery details; may be empty */
	const struct knob_list *known;
	/* {"ITERATION": {"metric": median}}: the proxy metrics, or NULL */
	const json_t *proxies;
	/*
	 * The dual loop (llm+bo): ask for up to this many points and a
	 * narrowed range per numeric knob; 0: one proposal.
	 */
	unsigned int points;
};

/* The proxy metrics the history table shows, NULL-ended. */
extern const char *const llm_proxy_metrics[];

/*
 * The proxy metrics of each configuration from DIR/history.jsonl: the
 * median of its counted windows' values, as llm_facts.proxies wants
 * them. Lines it cannot read are skipped; NULL on ENOMEM.
 */
json_t *llm_proxies_read(const char *dir);

/* The instructions that do not change over a run (points as in facts). */
const char *llm_prompt_system(unsigned int points);
/* The facts of this call; malloc'd, NULL on ENOMEM. */
char *llm_prompt_user(const struct llm_facts *f);
/*
 * The answer's JSON schema: {"knobs": {...}, "reason": "..."}, or with
 * points {"points": [{...}], "ranges": {"KNOB": {"min", "max"}},
 * "reason"}.
 */
json_t *llm_answer_schema(const struct space *s, unsigned int points);

#endif /* OSTUNE_LLM_PROMPT_H */
