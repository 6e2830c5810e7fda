// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Objectives and constraints: parsing and evaluation.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/textnum.h"
#include "measure/objective.h"

static bool metric_name_ok(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '.' && s[i] != '-')
			return false;
	return true;
}

int objective_from_json(const json_t *spec, struct objective *out, char *why,
			size_t len)
{
	const char *metric = json_string_value(json_object_get(spec, "metric"));
	const char *goal = json_string_value(json_object_get(spec, "goal"));

	memset(out, 0, sizeof(*out));
	if (!json_is_object(spec) || !metric ||
	    !metric_name_ok(metric, strlen(metric))) {
		snprintf(why, len,
			 "objective: want {\"metric\": NAME, \"goal\": \"minimize\"|\"maximize\"}");
		return -EINVAL;
	}
	if (!goal || !strcmp(goal, "minimize")) {
		out->goal = GOAL_MINIMIZE;
	} else if (!strcmp(goal, "maximize")) {
		out->goal = GOAL_MAXIMIZE;
	} else {
		snprintf(why, len, "objective: goal is \"minimize\" or \"maximize\", not '%s'",
			 goal);
		return -EINVAL;
	}
	out->metric = strdup(metric);
	return out->metric ? 0 : -ENOMEM;
}

void objective_free(struct objective *o)
{
	free(o->metric);
	o->metric = NULL;
}

double objective_score(const struct objective *o, double v)
{
	return o->goal == GOAL_MAXIMIZE ? -v : v;
}

static const char *const cmp_text[] = {
	[CMP_LE] = "<=", [CMP_LT] = "<", [CMP_GE] = ">=", [CMP_GT] = ">",
};

const char *constraint_op_text(enum cmp op)
{
	return cmp_text[op];
}

int constraint_parse(const char *text, struct constraint *out, char *why,
		     size_t len)
{
	const char *p = text, *name, *num;
	size_t name_len;
	char *end;

	memset(out, 0, sizeof(*out));
	while (isspace((unsigned char)*p))
		p++;
	name = p;
	while (*p && !isspace((unsigned char)*p) && !strchr("<>", *p))
		p++;
	name_len = p - name;
	while (isspace((unsigned char)*p))
		p++;
	if (!strncmp(p, "<=", 2))
		out->op = CMP_LE, p += 2;
	else if (!strncmp(p, ">=", 2))
		out->op = CMP_GE, p += 2;
	else if (*p == '<')
		out->op = CMP_LT, p++;
	else if (*p == '>')
		out->op = CMP_GT, p++;
	else
		name_len = 0;
	num = p;
	errno = 0;
	out->bound = strtod(num, &end);
	while (isspace((unsigned char)*end))
		end++;
	if (!metric_name_ok(name, name_len) || errno || end == num || *end ||
	    !isfinite(out->bound)) {
		snprintf(why, len,
			 "constraint '%s': want \"METRIC OP NUMBER\" with OP one of <= < >= >",
			 text);
		return -EINVAL;
	}
	out->metric = strndup(name, name_len);
	return out->metric ? 0 : -ENOMEM;
}

void constraint_free(struct constraint *c)
{
	free(c->metric);
	c->metric = NULL;
}

bool constraint_holds(const struct constraint *c, double v)
{
	switch (c->op) {
	case CMP_LE:
		return v <= c->bound;
	case CMP_LT:
		return v < c->bound;
	case CMP_GE:
		return v >= c->bound;
	case CMP_GT:
		return v > c->bound;
	}
	return false;
}

void constraint_format(const struct constraint *c, char *buf, size_t len)
{
	char bound[64];

	format_number(c->bound, bound, sizeof(bound));
	snprintf(buf, len, "%s %s %s", c->metric, cmp_text[c->op], bound);
}
