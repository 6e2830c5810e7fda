/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The state of one `ostune tune` run, shared by the loop (tune.c), the
 * measurement of one configuration (tune_measure.c) and resuming
 * (tune_resume.c). Private to them.
 */
#ifndef OSTUNE_TUNE_RUN_H
#define OSTUNE_TUNE_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "base/child.h"
#include "lib/client.h"
#include "measure/perfcount.h"
#include "measure/sysstat.h"
#include "measure/target.h"
#include "search/tuner.h"
#include "tune/history.h"
#include "tune/progress.h"
#include "tune/results.h"
#include "tune/tune.h"
#include "tune/tune_config.h"

struct tune_run {
	const struct tune_options *opts;
	struct tune_config cfg;
	char dir[512];
	char workdir[600];
	struct ostune_client client;
	bool connected;
	/* set by the heartbeat: the session is gone, nothing more to do */
	int session_error;
	char session_msg[512];
	struct waiter waiter;
	bool have_waiter;
	char started[40];		/* when this process began the run */
	struct target_env env;
	struct target target;
	bool have_target;
	/* with load phases, the target of each (target_phase_spec()) */
	struct target phase_targets[TUNE_PHASES_MAX];
	size_t nphase_targets;		/* created so far */
	struct sysstat sys;
	struct perfcount perf;
	struct history_file history;
	struct tune_results results;
	struct progress progress;
	double *baseline_x;		/* the host's values as a point */
	json_t *baseline_knobs;		/* and as text */
	/*
	 * The knobs discovered when the run starts, when the space has
	 * patterns: every configuration expands against them.
	 */
	struct knob_list known;
	/*
	 * {"PATTERN": ["knob", ...]}: the knobs each pattern of the space
	 * sets (resolve_patterns()), for the baseline and summary.json.
	 */
	json_t *pattern_knobs;
	/* {"knob": "value"} of cfg.fixed's knobs when the run started */
	json_t *fixed_was;
	/* target.cpus as a set, for the waiter's children, and ostune's own */
	cpu_set_t target_cpus;
	char ostune_cpus[256];
	json_t *tuner_stats;		/* tuner_stats() at the loop's end */
	unsigned int next_iteration;
	/* something was applied: measuring the baseline applies it again */
	bool applied;
	/* configurations measured since the baseline was last measured */
	unsigned int since_anchor;
	int64_t start_ms;
	/* of the results, those an earlier process measured (--resume) */
	size_t resumed_configs, resumed_windows;
	/* the verification's outcome, when it ran to the end */
	bool verified;
	struct verify_summary verify;
	const struct tune_obs *verify_cand[TUNE_VERIFY_CANDIDATES_MAX];
	struct verify_candidate verify_stats[TUNE_VERIFY_CANDIDATES_MAX];
	/* two objectives: the front, and the pick's verdict on both */
	struct front front;
	bool have_pair;
	struct verify_pair_result pair;
};

/* What the tuner proposed (or the baseline: x NULL). */
struct config_request {
	unsigned int iteration;
	const double *x;
	json_t *knobs;			/* {"name": "text"} */
	const char *why;
	bool baseline;
	bool verify;			/* a verification window (verify.h) */
	const char *phase;		/* of the counted windows; NULL: "measure" */
};

/*
 * Applies (unless baseline), settles and measures a configuration's
 * windows; appends its result and writes its history lines. 0, or
 * -EINTR/-ECANCELED when stopped (nothing recorded), -ENOMEM, -EIO
 * (history not writable).
 */
int tune_measure_config(struct tune_run *run, const struct config_request *req);

/*
 * count more windows of the configuration run->results.obs[idx], pooled
 * with its others (phase "race", "anchor"), after applying it again (the
 * baseline too, once anything was applied); why goes to the history.
 * Errors as tune_measure_config().
 */
int tune_measure_again(struct tune_run *run, size_t idx, unsigned int count,
		       const char *phase, const char *why);

/*
 * Whether the search may go on measuring within budget.seconds: the time
 * the next step, the closing anchor and verification need is kept back.
 */
bool tune_search_time_left(const struct tune_run *run);

/*
 * Racing: after configuration idx was measured, while it is not clearly
 * worse than the best (not the baseline), it is measured until it has as
 * many windows as the best, and when still undecided both get more,
 * doubling, up to window.max_windows. Errors as tune_measure_config().
 */
int tune_race(struct tune_run *run, size_t idx);

/*
 * One verification window of a configuration (the baseline's values too
 * are applied): apply, settle, measure once; objective (NaN when failed)
 * and constraint values into the out parameters. Its history lines are
 * marked "verify" and carry no "result", so run->results is untouched
 * and --resume drops them (verification is done again). 0, -EINTR or
 * -ECANCELED when stopped, -ENOMEM, -EIO.
 */
int tune_verify_window(struct tune_run *run, const struct config_request *req,
		       double *objective, double *constraints);

/*
 * One verification window of candidate o, or of the baseline (o NULL),
 * as tune_verify_window().
 */
int tune_verify_config(struct tune_run *run, const struct tune_obs *o,
		       double *objective, double *constraints);

/* Does another verification round of cost_ms fit in the time budget? */
bool tune_round_fits(const struct tune_run *run, double cost_ms);

/*
 * Two objectives: the pick from the front verified against the baseline
 * on both (verify.h); run->verify and run->pair say how it came out.
 * Errors as tune_verify_window().
 */
int tune_verify_pick(struct tune_run *run);

/*
 * Two objectives: run->front built from the results as they are now
 * (the pick by the config's rule). -ENOMEM.
 */
int tune_build_front(struct tune_run *run);

/* pareto.json, with the pick's verdict when there is one. 0 or -errno. */
int tune_write_front(struct tune_run *run);

/* The name of load phase p of the config. */
const char *tune_phase_name(const struct tune_run *run, size_t p);

/*
 * Rebuilds run->results from DIR/history.jsonl, dropping the lines of an
 * interrupted configuration from the file. -EINVAL with why, -errno.
 */
int tune_resume_history(struct tune_run *run, char *why, size_t len);

#endif /* OSTUNE_TUNE_RUN_H */
