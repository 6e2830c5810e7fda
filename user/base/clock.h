/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one clock: monotonic time for deadlines, heartbeats and rates, and
 * the wall-clock timestamps that history and summaries show.
 */
#ifndef OSTUNE_CLOCK_H
#define OSTUNE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* CLOCK_MONOTONIC in milliseconds and in nanoseconds. */
int64_t monotonic_ms(void);
int64_t monotonic_ns(void);

/* Now as "2026-11-26T14:53:09.123Z" (UTC, milliseconds). */
void iso_time(char *buf, size_t len);

#endif /* OSTUNE_CLOCK_H */
