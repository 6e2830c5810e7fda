// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A run with two objectives: its front, the pick's verification on both
 * objectives against the baseline, and pareto.json (front.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tune/tune_run.h"

int tune_build_front(struct tune_run *run)
{
	front_free(&run->front);
	return front_build(&run->results, &run->cfg, &run->front);
}

/* No pick to verify: the front's reason is the verdict. */
static void nothing_to_verify(struct tune_run *run)
{
	run->verify = (struct verify_summary){
		.cand = run->verify_cand, .stats = run->verify_stats,
		.chosen = -1, .decision = VERIFY_NOT_BETTER,
	};
	snprintf(run->verify.why, sizeof(run->verify.why), "defaults stand: %s",
		 run->front.why);
	run->verified = true;
	progress_note(&run->progress, "%s", run->verify.why);
}

/* Rounds of the baseline and the pick until verify_decide_pair() decides. */
static int measure_rounds(struct tune_run *run, const struct tune_obs *pick,
			  struct verify_pair_input *in, double *values,
			  double *cons)
{
	size_t max = run->cfg.verify_rounds, nc = run->cfg.nconstraints, r, j;
	int order[2], ret = 0;
	double round_ms;

	run->pair.decision = VERIFY_CONTINUE;
	for (r = 0; r < max && !ret && run->pair.decision == VERIFY_CONTINUE; r++) {
		round_ms = monotonic_ms();
		verify_round_order(1, r, order);
		for (j = 0; j < 2 && !ret; j++) {
			/* rows: the baseline's objectives, then the pick's */
			size_t row = order[j] < 0 ? 0 : 2;

			ret = tune_verify_config(run, order[j] < 0 ? NULL : pick,
						 &values[row * max + r], cons);
			values[(row + 1) * max + r] = cons[nc - 1];
		}
		round_ms = monotonic_ms() - round_ms;
		in->rounds = r + 1;
		in->last = !tune_round_fits(run, round_ms);
		in->out_of_time = in->last && r + 1 < max;
		ret = ret ?: verify_decide_pair(in, &run->pair);
	}
	return ret;
}

int tune_verify_pick(struct tune_run *run)
{
	const struct tune_config *cfg = &run->cfg;
	size_t max = cfg->verify_rounds;
	struct verify_plan better = { 0 }, worse = { 0 };
	double *values = calloc(4 * max, sizeof(*values));
	double *cons = calloc(cfg->nconstraints, sizeof(*cons));
	const struct tune_obs *pick;
	struct verify_pair_input in;
	int ret = values && cons ? tune_build_front(run) : -ENOMEM;

	if (!ret && run->front.pick < 0) {
		nothing_to_verify(run);
		goto out;
	}
	ret = ret ?: verify_plan_init(&better, max, 1, cfg->verify_alpha / 2);
	ret = ret ?: verify_plan_init(&worse, max, 1, cfg->verify_alpha);
	if (ret)
		goto out;
	pick = &run->results.obs[run->front.pick];
	in = (struct verify_pair_input){
		.better_plan = &better, .worse_plan = &worse,
		.baseline = { values, values + max },
		.candidate = { values + 2 * max, values + 3 * max },
		.goal = { cfg->objective.goal, cfg->objective2.goal },
		.metric = { cfg->objective.metric, cfg->objective2.metric },
		.min_effect = cfg->verify_min_effect,
		.max_loss = cfg->verify_max_loss,
		.subject_to = cfg->pick.kind == PICK_CONSTRAINED ?
			      &cfg->pick.subject_to : NULL,
		.subject_of = !cfg->pick.optimize,
	};
	progress_note(&run->progress,
		      "verifying the pick (iteration %u) against the baseline on both objectives, up to %zu rounds",
		      pick->iteration, max);
	ret = measure_rounds(run, pick, &in, values, cons);
	if (!ret) {
		run->verify_cand[0] = pick;
		run->verify_stats[0] = run->pair.better[0];
		run->verify = (struct verify_summary){
			.ncand = 1, .cand = run->verify_cand,
			.stats = run->verify_stats,
			.chosen = run->pair.decision == VERIFY_BETTER ? 0 : -1,
			.decision = run->pair.decision, .rounds = in.rounds,
			.pair = &run->pair,
		};
		snprintf(run->verify.why, sizeof(run->verify.why), "%s", run->pair.why);
		run->verified = true;
		run->have_pair = true;
		progress_note(&run->progress, "%s", run->pair.why);
	}
out:
	verify_plan_free(&better);
	verify_plan_free(&worse);
	free(values);
	free(cons);
	return ret;
}

static json_t *verdict_json(const struct tune_run *run)
{
	json_t *v;

	if (!run->verified)
		return json_pack("{s:s,s:b,s:s}", "decision", "not_verified",
				 "recommended", 0, "why", run->cfg.verify_rounds ?
				 "the run stopped before verification could decide" :
				 "verification is off (\"verify\": false)");
	v = json_pack("{s:b,s:s,s:i}", "recommended", run->verify.chosen >= 0,
		      "why", run->verify.why, "rounds", (int)run->verify.rounds);
	/* the same per objective as summary.json's "objectives" */
	if (v && run->have_pair)
		json_object_update_new(v, results_pair_json(&run->pair, &run->cfg));
	return v;
}

int tune_write_front(struct tune_run *run)
{
	int ret = run->front.idx ? 0 : tune_build_front(run);

	return ret ?: front_write(&run->results, &run->cfg, &run->front,
				  verdict_json(run), run->dir);
}
