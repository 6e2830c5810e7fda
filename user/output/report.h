/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `ostune report`: one self-contained HTML page about a tuning run, its
 * charts inline SVG. report_data.c turns the run's files into series,
 * report_svg.c draws charts, report_html.c lays out the page.
 */
#ifndef OSTUNE_REPORT_H
#define OSTUNE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "measure/objective.h"
#include "output/rundir.h"

/* One measured window of the history, in order. */
struct report_window {
	unsigned int iteration;
	bool baseline, warmup, ok;
	double value[2];	/* the objectives' values, NAN when missing */
};

/* One configuration: its windows' summary, from its "result". */
struct report_config {
	unsigned int iteration;
	bool baseline, failed, noisy, feasible;
	double objective, spread;	/* NAN when it failed */
	double second;		/* the second objective: its median over the
				 * counted windows, NAN with one objective */
	size_t last_window;	/* index of its last window + 1 */
	const json_t *knobs;	/* {"NAME": "VALUE"}, borrowed */
	const char *why;
};

struct report_objective {
	const char *metric;
	enum goal goal;
};

struct report_data {
	struct report_objective objectives[2];	/* borrowed strings */
	size_t nobjectives;
	const char *unit;		/* of the first objective, or "" */
	const char *unit2;		/* of the second, or "" */
	char ylabel[96];		/* "time_s (s)" */
	struct report_window *windows;
	size_t nwindows;
	struct report_config *configs;
	size_t nconfigs;
	const struct report_config *baseline;	/* NULL when not measured */
	const struct report_config *best;	/* NULL when none qualifies */
	const json_t *space;		/* config.json's, borrowed */
};

/* 0, or -EINVAL (why filled) or -ENOMEM. */
int report_data_build(const struct run_dir *rd, struct report_data *d,
		      char *why, size_t len);
void report_data_free(struct report_data *d);
/* Trusted: measured, feasible and steady; only such a one can be best. */
bool report_config_trusted(const struct report_config *c);
/* Is a better than b on objective k? */
bool report_better(const struct report_data *d, size_t k, double a, double b);

/* The whole page on out; 0 or -EIO. */
int report_write(const struct run_dir *rd, const struct report_data *d,
		 FILE *out);
/*
 * The report of the run in dir into the file path ("-": stdout). 0;
 * -EINVAL or -ENOENT for a directory that is not a run, -EIO when the
 * file cannot be written, -ENOMEM; why filled.
 */
int report_file(const char *dir, const char *path, char *why, size_t len);

#endif /* OSTUNE_REPORT_H */
