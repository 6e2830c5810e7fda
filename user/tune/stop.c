// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stop reasons (stop.h). The names are part of summary.json's format.
 */
#include "tune/stop.h"

static const struct {
	const char *name;
	bool completed;
} reasons[] = {
	[STOP_BUDGET] = { "budget", true },
	[STOP_TIME] = { "time", true },
	[STOP_TUNER_DONE] = { "tuner done", true },
	[STOP_INTERRUPTED] = { "interrupted", false },
	[STOP_SESSION_LOST] = { "session lost", false },
	[STOP_TUNER] = { "tuner", false },
	[STOP_ERROR] = { "error", false },
};

const char *stop_reason_name(enum stop_reason r)
{
	return reasons[r].name;
}

bool stop_reason_completed(enum stop_reason r)
{
	return reasons[r].completed;
}
