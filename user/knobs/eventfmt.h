/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * How 'ostune monitor' shows an event: one text line in the words of the
 * kernel log, or one JSON object.
 */
#ifndef OSTUNE_EVENTFMT_H
#define OSTUNE_EVENTFMT_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "lib/client.h"

/*
 * "HH:MM:SS.mmm NAME: OLD -> NEW (pid PID COMM, txn ID)", local time;
 * restores end "(pid PID COMM, restore: REASON)"; a knob left alone because
 * an admin changed it reads "NAME: left at VALUE, changed externally
 * (ostune wrote OLD; restore: REASON)". No newline.
 */
void event_format_text(const struct ostune_event *ev,
		       const struct timespec *when, char *buf, size_t len);

/*
 * {"time": ISO 8601 UTC with ms, "reason", "txn_id" (null unless apply),
 *  "pid", "comm", "name", "old", "value", "external"}
 */
json_t *event_to_json(const struct ostune_event *ev,
		      const struct timespec *when);

#endif /* OSTUNE_EVENTFMT_H */
