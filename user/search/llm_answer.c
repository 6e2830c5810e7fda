// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The model's answer, read defensively (llm_answer.h): small models wrap
 * JSON in fences or prose, quote numbers, and name knobs they were not
 * offered; none of that may reach the module.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/llm_answer.h"

int llm_response_text(const char *body, json_t **doc, const char **text,
		      struct llm_usage *usage, char *why, size_t len)
{
	json_t *message, *content, *u;

	*usage = (struct llm_usage){ 0 };
	*doc = json_loads(body ? body : "", 0, NULL);
	message = json_object_get(json_array_get(json_object_get(*doc, "choices"), 0),
				  "message");
	content = json_object_get(message, "content");
	if (!json_is_string(content)) {
		snprintf(why, len, "the response has no choices[0].message.content");
		json_decref(*doc);
		*doc = NULL;
		return -EINVAL;
	}
	u = json_object_get(*doc, "usage");
	usage->prompt_tokens = json_integer_value(json_object_get(u, "prompt_tokens"));
	usage->completion_tokens = json_integer_value(json_object_get(u, "completion_tokens"));
	*text = json_string_value(content);
	return 0;
}

static json_t *object_in(const char *start, const char *end)
{
	json_t *v;

	if (!start || !end || end < start)
		return NULL;
	v = json_loadb(start, (size_t)(end - start), 0, NULL);
	if (v && !json_is_object(v)) {
		json_decref(v);
		v = NULL;
	}
	return v;
}

json_t *llm_answer_object(const char *text, char *why, size_t len)
{
	const char *fence = strstr(text, "```"), *body, *close;
	json_t *v = object_in(text, text + strlen(text));

	if (!v && fence) {
		body = strchr(fence, '\n');
		close = body ? strstr(body, "```") : NULL;
		v = object_in(body, close);
	}
	if (!v)
		v = object_in(strchr(text, '{'), strrchr(text, '}') ?
			      strrchr(text, '}') + 1 : NULL);
	if (!v)
		snprintf(why, len, "the answer holds no JSON object: \"%.80s%s\"",
			 text, strlen(text) > 80 ? "..." : "");
	return v;
}

static void note(char *notes, size_t len, const char *fmt, ...)
{
	size_t used = strlen(notes);
	va_list ap;

	if (used + 2 >= len)
		return;
	if (used)
		used += (size_t)snprintf(notes + used, len - used, "; ");
	va_start(ap, fmt);
	vsnprintf(notes + used, len - used, fmt, ap);
	va_end(ap);
}

/* A number given as a number or as its text. */
static bool number_of(const json_t *v, double *out)
{
	char *end;

	if (json_is_number(v)) {
		*out = json_number_value(v);
		return isfinite(*out);
	}
	if (!json_is_string(v))
		return false;
	*out = strtod(json_string_value(v), &end);
	return end != json_string_value(v) && !*end && isfinite(*out);
}

/* One knob's value into *x: 0, or -EINVAL with why. */
static int value_of(const struct dim *d, const json_t *v, double *x,
		    char *notes, size_t notes_len, char *why, size_t len)
{
	double num, clamped;
	char given[32];

	if (d->type == DIM_CATEGORICAL) {
		/* [0, 1] is offered as "0", "1"; a model may answer 1 all the same */
		char *text = space_value_text(v);
		int bad = !text || dim_parse(d, text, x);

		free(text);
		if (!bad)
			return 0;
		snprintf(why, len, "%s: not one of its values", d->name);
		return -EINVAL;
	}
	if (!number_of(v, &num)) {
		snprintf(why, len, "%s: not a number", d->name);
		return -EINVAL;
	}
	clamped = fmin(fmax(num, d->min), d->max);
	if (d->type == DIM_INT)
		clamped = round(clamped);
	if (clamped != num && !(d->type == DIM_INT && round(num) == clamped)) {
		snprintf(given, sizeof(given), "%g", num);
		note(notes, notes_len, "%s %s projected to %g", d->name, given,
		     clamped);
	}
	*x = clamped;
	return 0;
}

static const struct dim *dim_named(const struct space *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->dims[i].name, name))
			return &s->dims[i];
	return NULL;
}

/* Is v (NaN: unknown) a value of d's domain? */
static bool inside(const struct dim *d, double v)
{
	if (isnan(v))
		return false;
	return d->type == DIM_CATEGORICAL || (v >= d->min && v <= d->max);
}

int llm_answer_point(const struct space *s, const double *baseline,
		     const json_t *answer, double *x, char *notes,
		     size_t notes_len, char *reason, size_t reason_len,
		     char *why, size_t len)
{
	const json_t *knobs = json_object_get(answer, "knobs"), *v;
	const json_t *r = json_object_get(answer, "reason");
	const struct dim *d;
	const char *name;
	size_t i, given = 0;
	int ret;

	notes[0] = '\0';
	snprintf(reason, reason_len, "%s", json_is_string(r) ? json_string_value(r) : "");
	if (!json_is_object(knobs)) {
		snprintf(why, len, "the answer has no \"knobs\" object");
		return -EINVAL;
	}
	for (i = 0; i < s->n; i++)
		x[i] = NAN;
	json_object_foreach((json_t *)knobs, name, v) {
		d = dim_named(s, name);
		if (!d) {
			note(notes, notes_len, "refused %s: not in the space", name);
			continue;
		}
		ret = value_of(d, v, &x[d - s->dims], notes, notes_len, why, len);
		if (ret)
			return ret;
		given++;
	}
	if (!given) {
		snprintf(why, len, "the answer sets no knob of the space");
		return -EINVAL;
	}
	for (i = 0; i < s->n; i++) {
		bool host;

		if (!isnan(x[i]))
			continue;
		/* a host value outside the space is not a point of it */
		host = baseline && inside(&s->dims[i], baseline[i]);
		x[i] = host ? baseline[i] : dim_from_unit(&s->dims[i], 0.5);
		note(notes, notes_len, "%s not given: %s", s->dims[i].name,
		     host ? "kept the host's value" : "took the middle of its range");
	}
	return space_check(s, x, why, len) ? -EINVAL : 0;
}

int llm_answer_ranges(const struct space *s, const json_t *ranges,
		      struct space *narrow, char *notes, size_t notes_len)
{
	const json_t *r;
	struct dim *d;
	double lo, hi;
	size_t i;

	narrow->n = s->n;
	narrow->dims = calloc(s->n ? s->n : 1, sizeof(*narrow->dims));
	if (!narrow->dims)
		return -ENOMEM;
	for (i = 0; i < s->n; i++) {
		d = &narrow->dims[i];
		*d = s->dims[i];
		r = json_object_get(ranges, d->name);
		if (!r || d->type == DIM_CATEGORICAL)
			continue;
		if (!number_of(json_object_get(r, "min"), &lo) ||
		    !number_of(json_object_get(r, "max"), &hi)) {
			note(notes, notes_len, "range of %s: not two numbers", d->name);
			continue;
		}
		lo = fmin(fmax(lo, d->min), d->max);
		hi = fmin(fmax(hi, d->min), d->max);
		if (d->type == DIM_INT) {
			lo = ceil(lo);
			hi = floor(hi);
		}
		if (!(lo < hi)) {
			note(notes, notes_len, "range of %s: empty once inside its domain", d->name);
			continue;
		}
		d->min = lo;
		d->max = hi;
	}
	return 0;
}
