/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ostune watch loop: reads the counters every interval, runs the
 * rules, changes knobs through ostune.ko, logs, keeps its state file.
 */
#ifndef OSTUNE_WATCH_DAEMON_H
#define OSTUNE_WATCH_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "watch/rules.h"

#define WATCH_MAX_RULES		8
#define WATCH_DEFAULT_STATE	"/run/ostune/watch.json"

struct watch_options {
	const char *sysroot;
	bool plan;		/* log what would change, change nothing */
	bool kept;		/* changes outlive the daemon */
	bool syslog;
	/* the rules to run, in watch_rules() order */
	const struct watch_rule *rules[WATCH_MAX_RULES];
	size_t nrules;
	int64_t interval_ms;
	uint32_t lease_ms;
	/* NULL: none (--plan without --state); FILE.lock keeps it ours */
	const char *state_path;
};

/* Runs until SIGTERM, SIGINT or SIGHUP; an enum cli_exit. */
int watch_run(const struct watch_options *opt);

#endif /* OSTUNE_WATCH_DAEMON_H */
