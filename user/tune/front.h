/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A run with two objectives ends with a front, not a best: the trusted
 * configurations no other one beats on both (pareto.h), written to
 * pareto.json with the baseline. The user's pick rule chooses the one
 * configuration of the front that is verified against the baseline and,
 * if it holds up, written to best.json:
 *
 *  - "knee": both objectives' scores normalised over the front to [0, 1]
 *    (the front's best on an objective 0, its worst 1); the knee is the
 *    point farthest from the line joining the front's two extremes, the
 *    largest bulge towards the ideal corner. A front of one or two
 *    points (or a straight one) has no bulge: then the point nearest the
 *    ideal corner (0, 0), the first one (best on the first objective) on
 *    a tie.
 *  - "constrained": of the points on the front whose value of the other
 *    objective meets subject_to, the best on optimize.
 *
 * A pick that is the baseline itself leaves nothing to change.
 */
#ifndef OSTUNE_FRONT_H
#define OSTUNE_FRONT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "measure/objective.h"

enum pick_kind {
	PICK_KNEE,
	PICK_CONSTRAINED,
};

struct pick_rule {
	enum pick_kind kind;
	size_t optimize;		/* constrained: 0 or 1, the objective */
	struct constraint subject_to;	/* on the other objective's metric */
};

/*
 * {"rule": "knee"} or {"rule": "constrained", "optimize": METRIC,
 * "subject_to": "METRIC OP NUMBER"}, against the two objectives.
 * -EINVAL with why, or -ENOMEM.
 */
int pick_rule_from_json(const json_t *spec, const struct objective *first,
			const struct objective *second, struct pick_rule *out,
			char *why, size_t len);
void pick_rule_free(struct pick_rule *p);
/* "the knee", "the best latency_p99_us with energy_j <= 40" */
void pick_rule_text(const struct pick_rule *p, const struct objective *first,
		    const struct objective *second, char *buf, size_t len);

struct tune_results;
struct tune_config;

struct front {
	size_t *idx;		/* into results->obs, best first objective first */
	size_t n;
	long pick;		/* into results->obs, -1: none */
	char why[256];		/* how the pick was made, or why there is none */
};

/*
 * The front of the results (trusted configurations, the baseline
 * included, with both objectives measured) and the pick by cfg's rule.
 * -ENOMEM.
 */
int front_build(const struct tune_results *r, const struct tune_config *cfg,
		struct front *out);
void front_free(struct front *f);

/* The second objective's median of entry i (NaN when it has none). */
double front_second(const struct tune_results *r,
		    const struct tune_config *cfg, size_t i);

/*
 * pareto.json into dir: the objectives, the pick rule, the baseline, the
 * front's points (knobs, each objective's median, spread and windows)
 * and the pick; verdict is the verification's object, or NULL. 0 or
 * -EIO/-ENOMEM.
 */
int front_write(const struct tune_results *r, const struct tune_config *cfg,
		const struct front *f, json_t *verdict, const char *dir);

#endif /* OSTUNE_FRONT_H */
