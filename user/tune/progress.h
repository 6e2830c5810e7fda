/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a tuning run shows while it runs: on a terminal one line, redrawn
 * in place (iteration, best so far, improvement over the baseline, time
 * left); otherwise one plain log line per configuration and per failed
 * window, for logs and CI.
 */
#ifndef OSTUNE_PROGRESS_H
#define OSTUNE_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct progress {
	FILE *out;
	bool tty;
	bool drawn;		/* a status line is on the screen */
	unsigned int total;	/* configurations in the budget */
	double budget_s;	/* 0: none */
	int64_t start_ms;
	unsigned int done;	/* configurations measured (this process) */
	char metric[64];
	char best[96];		/* "0.412 s (-8.3%)", or "" */
};

void progress_init(struct progress *p, FILE *out, bool tty,
		   unsigned int total, double budget_s, const char *metric);
/* On a terminal: "[3/8] window 2/4 (measure) | best ... | 1m10s left". */
void progress_window(struct progress *p, unsigned int iteration,
		     unsigned int window, unsigned int windows,
		     const char *phase);
/* A configuration's result line (plain) or the status line (terminal). */
void progress_config(struct progress *p, unsigned int iteration,
		     const char *line, const char *best);
/* A message of its own line, e.g. a failed window. */
__attribute__((format(printf, 2, 3)))
void progress_note(struct progress *p, const char *fmt, ...);
/* Ends the status line. */
void progress_done(struct progress *p);

#endif /* OSTUNE_PROGRESS_H */
