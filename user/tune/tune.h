/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The measurement loop behind `ostune tune`: discover, suggest, validate,
 * apply (one transaction), settle, measure windows, record, heartbeat,
 * until the budget is spent; then restore and save the results (the
 * command makes the HTML report of them).
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

/* What a run leaves behind, for the command to report on. */
struct tune_outcome {
	char dir[512];			/* its output directory, or "" */
	bool results;			/* it measured something and saved it */
};

/*
 * Returns the exit status: 0, 1 (failed), 2 (bad input), 128+N (signal);
 * *out says what is there to report on, whatever the status.
 */
int tune_main(const struct tune_options *o, struct tune_outcome *out);

#endif /* OSTUNE_TUNE_H */
