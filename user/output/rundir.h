/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A tuning run's output directory read back (the files `ostune tune`
 * writes; user/README.md has their format), for `ostune report` and
 * `ostune export`. Works on finished and interrupted runs alike: only
 * config.json and history.jsonl are required.
 */
#ifndef OSTUNE_RUNDIR_H
#define OSTUNE_RUNDIR_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "knobs/changeset.h"
#include "tune/history.h"

struct run_dir {
	const char *path;
	json_t *config;		/* config.json */
	json_t *summary;	/* summary.json, or NULL */
	json_t *best;		/* best.json, or NULL */
	json_t *pareto;		/* pareto.json (two objectives), or NULL */
	struct history_lines history;
};

/* 0, or -errno with why filled ("DIR/config.json: ..."). */
int run_dir_load(const char *path, struct run_dir *rd, char *why,
		 size_t len);
void run_dir_free(struct run_dir *rd);

/*
 * The configuration the run recommends (best.json), or with unverified
 * the search's best (summary.json's "best") even when the verification
 * found it no better than the baseline, as a changeset (in the order of
 * the file), and in about a line saying which and how good it is. 0;
 * -ENOENT when the run has none (about then says why), -EINVAL for a
 * malformed one, -ENOMEM; why filled.
 */
int run_dir_choice(const struct run_dir *rd, bool unverified,
		   struct changeset *out, char *about, size_t about_len,
		   char *why, size_t len);

#endif /* OSTUNE_RUNDIR_H */
