/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading the model's answer: the chat-completions response, the JSON
 * object in its text (bare, fenced, or amid prose), and the proposal in
 * it turned into a point of the space. Only knobs of the space and values
 * inside their domains get through: another knob is refused, a number out
 * of range projected onto it, and a missing knob keeps the host's value
 * (takes the middle of its range when that is outside); each is noted. Anything that is not a proposal is refused whole.
 */
#ifndef OSTUNE_LLM_ANSWER_H
#define OSTUNE_LLM_ANSWER_H

#include <stddef.h>

#include <jansson.h>

#include "search/space.h"

struct llm_usage {
	long long prompt_tokens, completion_tokens;
};

/*
 * The first choice's message text of a chat-completions response body,
 * borrowed from *doc (json_decref() it), and its token usage (0 when not
 * given). -EINVAL with why when body is no such response.
 */
int llm_response_text(const char *body, json_t **doc, const char **text,
		      struct llm_usage *usage, char *why, size_t len);

/*
 * The JSON object in text: all of it, or the first ```-fenced block, or
 * from its first '{' to its last '}'. New reference, or NULL with why.
 */
json_t *llm_answer_object(const char *text, char *why, size_t len);

/*
 * The proposal {"knobs": {...}, "reason": "..."} as a point x of s;
 * baseline (NaN where unknown) fills missing knobs where it is inside
 * the space. notes gets what was
 * refused, projected or filled ("" when nothing), reason the model's
 * reason. 0, or -EINVAL with why when nothing usable was proposed.
 */
int llm_answer_point(const struct space *s, const double *baseline,
		     const json_t *answer, double *x, char *notes,
		     size_t notes_len, char *reason, size_t reason_len,
		     char *why, size_t len);

/*
 * The dual loop's ranges {"KNOB": {"min": LOW, "max": HIGH}} as a narrower
 * copy of s: narrow->dims is malloc'd (free it alone; names and values
 * are s's). A range is clamped into the knob's domain; one that is not
 * two numbers with LOW < HIGH (after clamping, rounding integers) leaves
 * the knob's range whole, noted. -ENOMEM.
 */
int llm_answer_ranges(const struct space *s, const json_t *ranges,
		      struct space *narrow, char *notes, size_t notes_len);

#endif /* OSTUNE_LLM_ANSWER_H */
