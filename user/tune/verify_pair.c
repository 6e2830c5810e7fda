// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The verdict on a two-objective pick (verify.h): the one-objective
 * sequential test, run on each objective in both directions.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tune/verify.h"

static enum goal reversed(enum goal g)
{
	return g == GOAL_MAXIMIZE ? GOAL_MINIMIZE : GOAL_MAXIMIZE;
}

/* Objective k's test: better (or worse, when worse) than the baseline. */
static int decide_one(const struct verify_pair_input *in, size_t k, bool worse,
		      struct verify_candidate *cand, enum verify_decision *d)
{
	bool bounded = !worse && in->subject_to;
	struct verify_input one = {
		.plan = worse ? in->worse_plan : in->better_plan,
		.rounds = in->rounds, .ncand = 1, .last = in->last,
		.out_of_time = in->out_of_time,
		.baseline = in->baseline[k], .candidates = in->candidate[k],
		.goal = worse ? reversed(in->goal[k]) : in->goal[k],
		.min_effect = worse ? 0 : in->min_effect,
		.constraints = bounded ? in->subject_to : NULL,
		.nconstraints = bounded,
		.constraint_values = bounded ? in->candidate[in->subject_of] : NULL,
	};
	struct verify_result res = { .cand = cand };
	int ret = verify_decide(&one, &res);

	*d = res.decision;
	return ret;
}

static void ratio_text(const struct verify_pair_input *in,
		       const struct verify_candidate *c, char *buf, size_t len)
{
	verify_format_ratio(c->ratio, c->low, c->high,
			    100 * (1 - 2 * in->better_plan->alpha), buf, len);
}

static void explain(const struct verify_pair_input *in,
		    struct verify_pair_result *out, int better, int worse)
{
	char r[2][64];
	size_t k;

	for (k = 0; k < 2; k++)
		ratio_text(in, &out->better[k], r[k], sizeof(r[k]));
	if (worse >= 0)
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: the pick is worse than the baseline on %s: %s (%zu rounds)",
			 in->metric[worse], r[worse], in->rounds);
	else if (better >= 0)
		snprintf(out->why, sizeof(out->why),
			 "the pick is better than the baseline on %s: %s, and not worse on %s: %s (%zu rounds)",
			 in->metric[better], r[better], in->metric[!better],
			 r[!better], in->rounds);
	else if (in->subject_to && !out->better[0].feasible)
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: the pick breaks %s when measured again (%zu rounds)",
			 out->better[0].violated, in->rounds);
	else if (out->decision == VERIFY_CONTINUE)
		snprintf(out->why, sizeof(out->why), "undecided after %zu rounds",
			 in->rounds);
	else
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: %s after %zu rounds: %s %s, %s %s",
			 out->decision == VERIFY_NOT_BETTER ?
			 "the pick is not better than the baseline on either objective" :
			 "inconclusive", in->rounds, in->metric[0], r[0],
			 in->metric[1], r[1]);
}

int verify_decide_pair(const struct verify_pair_input *in,
		       struct verify_pair_result *out)
{
	enum verify_decision b[2], w[2];
	int better = -1, worse = -1, ret = 0;
	size_t k;

	if (!in->better_plan || !in->worse_plan || in->subject_of > 1)
		return -EINVAL;
	for (k = 0; k < 2 && !ret; k++) {
		ret = decide_one(in, k, false, &out->better[k], &b[k]) ?:
		      decide_one(in, k, true, &out->worse[k], &w[k]);
		if (w[k] == VERIFY_BETTER && worse < 0)
			worse = (int)k;
		if (b[k] == VERIFY_BETTER && better < 0)
			better = (int)k;
	}
	if (ret)
		return ret;
	if (worse >= 0)
		out->decision = VERIFY_NOT_BETTER;
	else if (better >= 0)
		out->decision = VERIFY_BETTER;
	else if (b[0] == VERIFY_CONTINUE || b[1] == VERIFY_CONTINUE)
		out->decision = VERIFY_CONTINUE;
	else if (in->subject_to && !out->better[0].feasible)
		/* whatever the ratios, it broke its bound */
		out->decision = VERIFY_NOT_BETTER;
	else
		out->decision = b[0] == VERIFY_INCONCLUSIVE || b[1] == VERIFY_INCONCLUSIVE ?
				VERIFY_INCONCLUSIVE : VERIFY_NOT_BETTER;
	explain(in, out, better, worse);
	return 0;
}
