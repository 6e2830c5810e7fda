// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stop reasons (stop.h). The names are part of summary.json's format.
 */
#include "tune/stop.h"

static const struct {
	const char *name;
	bool resumable, failed;
} reasons[] = {
	[STOP_BUDGET] = { "budget", false, false },
	[STOP_TIME] = { "time", false, false },
	[STOP_TUNER_DONE] = { "tuner done", false, false },
	[STOP_INTERRUPTED] = { "interrupted", true, false },
	[STOP_SESSION_LOST] = { "session lost", true, true },
	[STOP_TUNER] = { "tuner", true, true },
	[STOP_ERROR] = { "error", true, true },
	[STOP_BASELINE_FAILED] = { "baseline failed", false, true },
	[STOP_ALL_FAILED] = { "every configuration failed", false, true },
};

const char *stop_reason_name(enum stop_reason r)
{
	return reasons[r].name;
}

bool stop_reason_resumable(enum stop_reason r)
{
	return reasons[r].resumable;
}

bool stop_reason_failed(enum stop_reason r)
{
	return reasons[r].failed;
}
