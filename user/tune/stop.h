/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Why a tuning run stopped: one value the loop decides once, and the
 * words summary.json, report.txt and the command's messages use for it.
 */
#ifndef OSTUNE_STOP_H
#define OSTUNE_STOP_H

#include <stdbool.h>

enum stop_reason {
	STOP_BUDGET,		/* every configuration of the budget measured */
	STOP_TIME,		/* the time budget ran out */
	STOP_TUNER_DONE,	/* the tuner has nothing more to suggest */
	STOP_INTERRUPTED,	/* Ctrl-C, SIGTERM or SIGHUP */
	STOP_SESSION_LOST,	/* the kernel ended the session and restored */
	STOP_TUNER,		/* the tuner failed */
	STOP_ERROR,		/* anything else (history not written, ...) */
	STOP_BASELINE_FAILED,	/* the host's own values could not be measured */
	STOP_ALL_FAILED,	/* the search ended with no configuration measured */
};

/* "budget", "time", "tuner done", "interrupted", "session lost", ... */
const char *stop_reason_name(enum stop_reason r);

/* Would --resume go on from here (rather than: fix the target first)? */
bool stop_reason_resumable(enum stop_reason r);
/* Does ostune tune exit 1 for it? */
bool stop_reason_failed(enum stop_reason r);

#endif /* OSTUNE_STOP_H */
