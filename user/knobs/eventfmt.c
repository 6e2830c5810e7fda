// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Event formatting, apart from the monitor loop so that tests can check
 * it without a kernel.
 */
#include <stdio.h>

#include "knobs/eventfmt.h"

void event_format_text(const struct ostune_event *ev,
		       const struct timespec *when, char *buf, size_t len)
{
	const char *reason = ostune_reason_name(ev->reason);
	char clock[16];
	struct tm tm;

	localtime_r(&when->tv_sec, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	if (ev->flags & OSTUNE_KNOB_F_GONE)
		snprintf(buf, len,
			 "%s.%03ld %s: names another object now, original not restored (restore: %s)",
			 clock, when->tv_nsec / 1000000, ev->name, reason);
	else if (ev->flags & OSTUNE_KNOB_F_EXTERNAL)
		snprintf(buf, len,
			 "%s.%03ld %s: left at %s, changed externally (ostune wrote %s; restore: %s)",
			 clock, when->tv_nsec / 1000000, ev->name, ev->value,
			 ev->old, reason);
	else if (ev->reason == OSTUNE_REASON_APPLY)
		snprintf(buf, len, "%s.%03ld %s: %s -> %s (pid %u %s, txn %u)",
			 clock, when->tv_nsec / 1000000, ev->name, ev->old,
			 ev->value, ev->pid, ev->comm, ev->txn_id);
	else
		snprintf(buf, len,
			 "%s.%03ld %s: %s -> %s (pid %u %s, restore: %s)",
			 clock, when->tv_nsec / 1000000, ev->name, ev->old,
			 ev->value, ev->pid, ev->comm, reason);
}

json_t *event_to_json(const struct ostune_event *ev,
		      const struct timespec *when)
{
	char stamp[40], seconds[24];
	struct tm tm;

	gmtime_r(&when->tv_sec, &tm);
	strftime(seconds, sizeof(seconds), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(stamp, sizeof(stamp), "%s.%03ldZ", seconds,
		 when->tv_nsec / 1000000);
	return json_pack("{s:s, s:s, s:o, s:I, s:s, s:s, s:s, s:s, s:b, s:b}",
			 "time", stamp,
			 "reason", ostune_reason_name(ev->reason),
			 "txn_id", ev->reason == OSTUNE_REASON_APPLY ?
				   json_integer(ev->txn_id) : json_null(),
			 "pid", (json_int_t)ev->pid,
			 "comm", ev->comm,
			 "name", ev->name,
			 "old", ev->old,
			 "value", ev->value,
			 "external", !!(ev->flags & OSTUNE_KNOB_F_EXTERNAL),
			 "gone", !!(ev->flags & OSTUNE_KNOB_F_GONE));
}
