// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The verdict on a two-objective pick (verify.h): the one-objective
 * sequential test on each objective, for "better" and for "worse by at
 * most max_loss", and a constrained pick's bound.
 */
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/stats.h"
#include "tune/verify.h"

/*
 * Objective k's sequential test (plan, min_effect) at the rounds so far,
 * into cand and *d. A look before this one that crossed into "better"
 * stands: the design already paid for it, and a pair goes on after it
 * while the other objective is undecided.
 */
static int decide_one(const struct verify_pair_input *in, size_t k,
		      const struct verify_plan *plan, double min_effect,
		      struct verify_candidate *cand, enum verify_decision *d)
{
	struct verify_candidate earlier;
	struct verify_input one = {
		.plan = plan, .ncand = 1, .out_of_time = in->out_of_time,
		.baseline = in->baseline[k], .candidates = in->candidate[k],
		.goal = in->goal[k], .min_effect = min_effect,
		.no_futility = true,
	};
	struct verify_result res = { .cand = &earlier };
	bool crossed = false;
	size_t i;
	int ret = 0;

	for (i = 0; i < plan->nlooks && plan->looks[i] < in->rounds && !ret; i++) {
		one.rounds = plan->looks[i];
		ret = verify_decide(&one, &res);
		crossed = crossed || res.decision == VERIFY_BETTER;
	}
	one.rounds = in->rounds;
	one.last = in->last;
	res.cand = cand;
	ret = ret ?: verify_decide(&one, &res);
	*d = crossed ? VERIFY_BETTER : res.decision;
	return ret;
}

/*
 * The bound on the first `rounds` values of objective subject_of: its
 * mean's one-sided confidence bounds at nominal level `level` (none at
 * level 0: infinite), or their median when too few values for one. A
 * metric always positive is bounded on its logs, as the verdict compares
 * such metrics by log ratios (noise scales with the value, so skews the
 * values to the right): the mean is exp(mu + sigma^2 / 2) of the logs'
 * mean mu and variance sigma^2, its bound Cox's (Land's approximation,
 * with t). A t bound on the values themselves undercovers a right-skewed
 * mean from above: 0.069 false "met" at alpha 0.05 with 20% lognormal
 * noise, Cox's 0.057 (bench/verify -c). Else the t bound on the values.
 */
static enum verify_bound bound_at(const struct verify_pair_input *in,
				  size_t rounds, double level, double *lo,
				  double *hi, bool *by_median)
{
	const double *c = in->candidate[in->subject_of];
	double v[rounds ? rounds : 1], mean = 0, var = 0, t, se;
	size_t n = 0, i;
	bool low, high, logs = true;

	for (i = 0; i < rounds; i++)
		if (isfinite(c[i]))
			v[n++] = c[i];
	*by_median = n < VERIFY_FIRST_LOOK;
	if (*by_median) {
		*lo = *hi = stats_median(v, n);
		return constraint_holds(in->subject_to, *lo) ?
		       VERIFY_BOUND_MET : VERIFY_BOUND_BROKEN;
	}
	for (i = 0; i < n; i++)
		logs = logs && v[i] > 0;
	for (i = 0; i < n && logs; i++)
		v[i] = log(v[i]);
	for (i = 0; i < n; i++)
		mean += v[i] / (double)n;
	for (i = 0; i < n; i++)
		var += (v[i] - mean) * (v[i] - mean) / (double)(n - 1);
	t = level > 0 ? gsl_cdf_tdist_Qinv(level, (double)(n - 1)) : INFINITY;
	se = sqrt(var / (double)n);
	if (logs) {
		mean += var / 2;
		se = sqrt(var / (double)n + var * var / (2.0 * (double)(n - 1)));
	}
	/* every value the same: the mean is known (0 x inf would be NaN) */
	*lo = se > 0 ? mean - t * se : mean;
	*hi = se > 0 ? mean + t * se : mean;
	if (logs) {
		*lo = exp(*lo);
		*hi = exp(*hi);
	}
	low = constraint_holds(in->subject_to, *lo);
	high = constraint_holds(in->subject_to, *hi);
	/* the whole interval on one side of the bound */
	if (low && high)
		return VERIFY_BOUND_MET;
	return !low && !high ? VERIFY_BOUND_BROKEN : VERIFY_BOUND_UNDECIDED;
}

/*
 * A constrained pick's bound on its other objective, tested as the
 * "better" and "not worse" tests are: at the looks of the worse plan's
 * sequential design (alpha), each look's bound at that look's nominal
 * level (verify_look_level(): Lan-DeMets spending with T_MARGIN), so that
 * "met" when the true mean breaks the bound is at most alpha however many
 * looks the rounds took, for independent windows (bench/verify -c; a
 * drift of the host it cannot take out: it is not paired). A bound
 * recomputed at alpha every round, as it was, took a new chance at each:
 * 0.17 to 0.22 false "met" at 5 to 20% noise over 20 rounds. A look
 * before this one that met the bound stands (the design paid for it), and
 * its bounds are the ones shown; between looks the bound decides nothing.
 * Too few values for a bound: their median (only when the rounds ran out
 * that early).
 */
static int judge_bound(const struct verify_pair_input *in,
		       struct verify_pair_result *out)
{
	const struct verify_plan *p = in->worse_plan;
	bool last = in->last || in->rounds >= p->max_rounds;
	bool look = last || verify_is_look(in->rounds, p->max_rounds);
	enum verify_bound b;
	double level;
	size_t i;
	int ret;

	for (i = 0; i < p->nlooks && p->looks[i] < in->rounds; i++)
		if (bound_at(in, p->looks[i], p->level[i], &out->bound_low,
			     &out->bound_high, &out->bound_by_median) ==
		    VERIFY_BOUND_MET && !out->bound_by_median) {
			out->bound = VERIFY_BOUND_MET;
			return 0;
		}
	ret = verify_look_level(p, in->rounds, 1,
				last && !verify_is_look(in->rounds, p->max_rounds),
				&level);
	if (ret)
		return ret;
	b = bound_at(in, in->rounds, level, &out->bound_low, &out->bound_high,
		     &out->bound_by_median);
	out->bound = look || b == VERIFY_BOUND_BROKEN ? b : VERIFY_BOUND_UNDECIDED;
	return 0;
}

static void ratio_text(const struct verify_plan *plan,
		       const struct verify_candidate *c, char *buf, size_t len)
{
	verify_format_ratio(c->ratio, c->low, c->high,
			    100 * (1 - 2 * plan->alpha), buf, len);
}

void verify_format_bound(const char *constraint, bool upper, bool by_median,
			 double value, double conf, char *buf, size_t len)
{
	if (by_median)
		snprintf(buf, len, "%s (by its median measured again, %.4g: too few windows for a confidence bound)",
			 constraint, value);
	else
		snprintf(buf, len, "%s (its mean's ≥%.0f%% %s bound: %.4g)",
			 constraint, conf, upper ? "upper" : "lower", value);
}

const char *verify_bound_name(enum verify_bound b)
{
	return b == VERIFY_BOUND_MET ? "met" :
	       b == VERIFY_BOUND_BROKEN ? "broken" : "not shown";
}

void verify_format_not_worse(double low, double high, double conf,
			     enum goal goal, double max_loss, char *buf,
			     size_t len)
{
	bool min = goal == GOAL_MINIMIZE;
	double allowed = min ? 1 + max_loss : 1 / (1 + max_loss);

	if (!isfinite(low) || !isfinite(high))
		snprintf(buf, len, "no bound (unbounded ≥%.0f%% CI), at %s %.3gx allowed",
			 conf, min ? "most" : "least", allowed);
	else
		snprintf(buf, len, "bound %.3gx, at %s %.3gx allowed (≥%.0f%% CI %.3gx-%.3gx)",
			 min ? high : low, min ? "most" : "least", allowed, conf,
			 low, high);
}

const char *verify_not_worse_name(enum verify_decision d)
{
	return d == VERIFY_BETTER ? "shown" :
	       d == VERIFY_NOT_BETTER ? "worse by more" : "not shown";
}

/* Objective k's "not worse": "1.02x, bound 1.04x, at most 1.05x allowed (...)" */
static void not_worse_text(const struct verify_pair_input *in,
			   const struct verify_pair_result *out, size_t k,
			   char *buf, size_t len)
{
	const struct verify_candidate *c = &out->not_worse[k];
	char b[128];

	verify_format_not_worse(c->low, c->high, 100 * (1 - 2 * in->worse_plan->alpha),
				in->goal[k], in->max_loss, b, sizeof(b));
	if (isfinite(c->ratio))
		snprintf(buf, len, "%.3gx, %s", c->ratio, b);
	else
		snprintf(buf, len, "no ratio, %s", b);
}

/* "energy <= 70 (its mean's ≥95% upper bound: 68.1)", or by the median */
static void bound_text(const struct verify_pair_input *in,
		       const struct verify_pair_result *out, char *buf,
		       size_t len)
{
	bool upper = in->subject_to->op == CMP_LE || in->subject_to->op == CMP_LT;
	char c[64];

	constraint_format(in->subject_to, c, sizeof(c));
	verify_format_bound(c, upper, out->bound_by_median,
			    upper ? out->bound_high : out->bound_low,
			    100 * (1 - in->worse_plan->alpha), buf, len);
}

/* "worse by at most 5%" or, with no loss allowed, "not worse" */
static void loss_text(const struct verify_pair_input *in, const char *at_most,
		      const char *none, char *buf, size_t len)
{
	if (in->max_loss > 0)
		snprintf(buf, len, "%s %.3g%%", at_most, 100 * in->max_loss);
	else
		snprintf(buf, len, "%s", none);
}

static int decide_constrained(const struct verify_pair_input *in,
			      struct verify_pair_result *out,
			      const enum verify_decision *b, bool fails)
{
	size_t o = !in->subject_of;
	enum verify_bound bound;
	int ret = judge_bound(in, out);
	bool look = in->last || in->rounds >= in->better_plan->max_rounds ||
		    (verify_is_look(in->rounds, in->better_plan->max_rounds) &&
		     in->rounds >= VERIFY_FIRST_DECISION);
	char r[64], bt[160];

	if (ret)
		return ret;
	bound = out->bound;
	ratio_text(in->better_plan, &out->better[o], r, sizeof(r));
	bound_text(in, out, bt, sizeof(bt));
	if (fails)
		out->decision = VERIFY_NOT_BETTER;
	else if (b[o] == VERIFY_BETTER && bound == VERIFY_BOUND_MET)
		out->decision = VERIFY_BETTER;
	else if ((bound == VERIFY_BOUND_BROKEN && look) || b[o] == VERIFY_NOT_BETTER)
		out->decision = VERIFY_NOT_BETTER;
	else if (in->last || in->rounds >= in->better_plan->max_rounds)
		out->decision = VERIFY_INCONCLUSIVE;
	else
		out->decision = VERIFY_CONTINUE;
	if (fails)
		return 0;
	if (out->decision == VERIFY_BETTER)
		snprintf(out->why, sizeof(out->why),
			 "the pick is better than the baseline on %s: %s, and meets %s (%zu rounds)",
			 in->metric[o], r, bt, in->rounds);
	else if (out->decision == VERIFY_NOT_BETTER && bound == VERIFY_BOUND_BROKEN && look)
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: the pick breaks %s when measured again (%zu rounds)",
			 bt, in->rounds);
	else if (out->decision == VERIFY_NOT_BETTER)
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: the pick is not better than the baseline on %s: %s (%zu rounds)",
			 in->metric[o], r, in->rounds);
	else if (out->decision == VERIFY_INCONCLUSIVE)
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: inconclusive after %zu rounds: %s %s; %s %s",
			 in->rounds, in->metric[o], r, bt,
			 bound == VERIFY_BOUND_MET ? "met" : "not shown");
	else
		snprintf(out->why, sizeof(out->why), "undecided after %zu rounds",
			 in->rounds);
	return 0;
}

static int decide_knee(const struct verify_pair_input *in,
		       struct verify_pair_result *out,
		       const enum verify_decision *b, bool fails)
{
	/* "worse by at most max_loss" is "better by -max_loss / (1 + max_loss)" */
	double m = -in->max_loss / (1 + in->max_loss);
	enum verify_decision nw[2];
	int won = -1, lost = -1, ret = 0;
	bool open = false;
	char rb[64], rw[160], loss[48];
	size_t k;

	for (k = 0; k < 2 && !ret; k++) {
		ret = decide_one(in, k, in->worse_plan, m, &out->not_worse[k], &nw[k]);
		out->not_worse_decision[k] = nw[k];
	}
	if (ret)
		return ret;
	for (k = 0; k < 2; k++) {
		bool may_win = b[k] == VERIFY_BETTER || b[k] == VERIFY_CONTINUE;

		if (b[k] == VERIFY_BETTER && nw[!k] == VERIFY_BETTER && won < 0)
			won = (int)k;
		if (may_win && nw[!k] == VERIFY_NOT_BETTER && lost < 0)
			lost = (int)!k;
		open = open || (may_win && (nw[!k] == VERIFY_BETTER ||
					    nw[!k] == VERIFY_CONTINUE));
	}
	if (fails)
		out->decision = VERIFY_NOT_BETTER;
	else if (won >= 0)
		out->decision = VERIFY_BETTER;
	else if (open)
		out->decision = VERIFY_CONTINUE;
	else if (lost >= 0 || (b[0] == VERIFY_NOT_BETTER && b[1] == VERIFY_NOT_BETTER))
		out->decision = VERIFY_NOT_BETTER;
	else
		out->decision = VERIFY_INCONCLUSIVE;
	if (fails)
		return 0;
	k = won >= 0 ? (size_t)won : b[1] == VERIFY_BETTER;
	ratio_text(in->better_plan, &out->better[k], rb, sizeof(rb));
	if (out->decision == VERIFY_BETTER) {
		not_worse_text(in, out, !k, rw, sizeof(rw));
		loss_text(in, "worse by at most", "not worse", loss, sizeof(loss));
		snprintf(out->why, sizeof(out->why),
			 "the pick is better than the baseline on %s: %s, and %s on %s: %s (%zu rounds)",
			 in->metric[k], rb, loss, in->metric[!k], rw, in->rounds);
	} else if (out->decision == VERIFY_CONTINUE) {
		snprintf(out->why, sizeof(out->why), "undecided after %zu rounds",
			 in->rounds);
	} else if (lost >= 0) {
		not_worse_text(in, out, (size_t)lost, rw, sizeof(rw));
		loss_text(in, "by more than", "", loss, sizeof(loss));
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: the pick is worse than the baseline%s%s on %s: %s (%zu rounds)",
			 in->max_loss > 0 ? " " : "", loss, in->metric[lost], rw,
			 in->rounds);
	} else if (b[k] == VERIFY_BETTER) {
		not_worse_text(in, out, !k, rw, sizeof(rw));
		loss_text(in, "worse by at most", "not worse", loss, sizeof(loss));
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: inconclusive after %zu rounds: better on %s: %s, but not shown %s on %s: %s",
			 in->rounds, in->metric[k], rb, loss, in->metric[!k], rw);
	} else {
		ratio_text(in->better_plan, &out->better[!k], rw, sizeof(rw));
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: %s after %zu rounds: %s %s, %s %s",
			 out->decision == VERIFY_NOT_BETTER ?
			 "the pick is not better than the baseline on either objective" :
			 "inconclusive", in->rounds, in->metric[k], rb,
			 in->metric[!k], rw);
	}
	return 0;
}

int verify_decide_pair(const struct verify_pair_input *in,
		       struct verify_pair_result *out)
{
	enum verify_decision b[2];
	bool fails;
	int ret = 0;
	size_t k;

	if (!in->better_plan || !in->worse_plan || in->subject_of > 1 ||
	    !(in->max_loss >= 0))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	for (k = 0; k < 2 && !ret; k++) {
		ret = decide_one(in, k, in->better_plan, in->min_effect,
				 &out->better[k], &b[k]);
		out->better_decision[k] = b[k];
	}
	if (ret)
		return ret;
	/* a failed window fails both objectives: either count tells */
	k = out->better[1].failed - out->better[1].base_failed >
	    out->better[0].failed - out->better[0].base_failed;
	fails = out->better[k].failed > out->better[k].base_failed;
	ret = in->subject_to ? decide_constrained(in, out, b, fails) :
			       decide_knee(in, out, b, fails);
	if (!ret && fails)
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: the pick failed %zu windows, the baseline %zu (%zu rounds)",
			 out->better[k].failed, out->better[k].base_failed, in->rounds);
	return ret;
}
