/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a tuning run optimises: an objective (a metric and whether less or
 * more is better) and constraints on other metrics ("latency_p99_us <=
 * 200") that a configuration must meet to count.
 */
#ifndef OSTUNE_OBJECTIVE_H
#define OSTUNE_OBJECTIVE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

enum goal {
	GOAL_MINIMIZE,
	GOAL_MAXIMIZE,
};

struct objective {
	char *metric;
	enum goal goal;
};

enum cmp {
	CMP_LE,
	CMP_LT,
	CMP_GE,
	CMP_GT,
};

struct constraint {
	char *metric;
	enum cmp op;
	double bound;
};

/*
 * {"metric": NAME, "goal": "minimize"|"maximize"}. -EINVAL with why
 * filled, or -ENOMEM.
 */
int objective_from_json(const json_t *spec, struct objective *out, char *why,
			size_t len);
void objective_free(struct objective *o);
/* "<=", "<", ">=", ">". */
const char *constraint_op_text(enum cmp op);
/* Lower is better: v, or -v when maximizing; NaN stays NaN. */
double objective_score(const struct objective *o, double v);

/* "METRIC OP NUMBER", OP one of <= < >= >. */
int constraint_parse(const char *text, struct constraint *out, char *why,
		     size_t len);
void constraint_free(struct constraint *c);
/* Does v meet it? A missing value (NaN) does not. */
bool constraint_holds(const struct constraint *c, double v);
/* "latency_p99_us <= 200" */
void constraint_format(const struct constraint *c, char *buf, size_t len);

#endif /* OSTUNE_OBJECTIVE_H */
