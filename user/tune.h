/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The measurement loop behind `ostune tune`: discover, suggest, validate,
 * apply (one transaction), settle, measure windows, record, heartbeat,
 * until the budget is spent; then restore and report.
 */
#ifndef OSTUNE_TUNE_H
#define OSTUNE_TUNE_H

#include <stdbool.h>

struct tune_options {
	const char *sysroot;		/* discovery for the default config */
	const char *config_path;	/* NULL: the embedded default */
	const char *output;		/* --output, overrides the config's */
	const char *resume;		/* --resume DIR */
	long iterations;		/* --iterations, -1 for the config's */
	bool plan;			/* print the resolved config only */
	bool tty;			/* progress as one redrawn line */
};

/* Returns the exit status: 0, 1 (failed), 2 (bad input), 128+N (signal). */
int tune_main(const struct tune_options *o);

#endif /* OSTUNE_TUNE_H */
