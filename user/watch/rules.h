/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rules of ostune watch as pure functions: an observation (two
 * readings of the counters), the knobs' current values and the limits in,
 * a proposal out; and the hysteresis and rate limit every rule shares.
 * Nothing here reads a file or talks to the module.
 */
#ifndef OSTUNE_WATCH_RULES_H
#define OSTUNE_WATCH_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "watch/observe.h"

/* Ceilings, derived from the host's memory (rules.c says how). */
struct watch_limits {
	uint64_t tcp_buf_max;		/* tcp_rmem[2], tcp_wmem[2] */
	uint64_t gc_thresh3_max;
	uint64_t ipfrag_high_max;
	uint64_t backlog_max;		/* netdev_max_backlog */
	uint64_t budget_max;		/* netdev_budget */
	uint64_t budget_usecs_max;
	uint64_t somaxconn_max;
};

void watch_limits_for(const struct watch_host *host, struct watch_limits *lim);

/* "MIN DEFAULT MAX" as tcp_rmem prints it; false on anything else. */
bool watch_parse_triple(const char *s, uint64_t v[3]);

struct rule_input {
	const struct watch_obs *prev;	/* the reading an interval ago */
	const struct watch_obs *now;
	const struct watch_values *cur;
	const struct watch_limits *lim;
	/* the congestion control the host had when watch started */
	const char *home_cc;
	/* the one this run last wrote, "" before its first switch */
	const char *written_cc;
};

#define RULE_MAX_KNOBS	3

struct rule_proposal {
	const char *scenario;	/* NULL: the rule's condition does not hold */
	char detail[96];	/* figures for the log line ("1.8% retransmitted") */
	unsigned int hold;	/* intervals the condition must hold first */
	size_t n;		/* knobs to change, in the order to apply them */
	enum watch_knob knob[RULE_MAX_KNOBS];
	char value[RULE_MAX_KNOBS][OSTUNE_VALUE_MAX];
	/* the condition holds, but what it would raise is at its ceiling */
	bool at_limit;
	enum watch_knob limited;
	char limit[48];
};

struct watch_rule {
	const char *name;
	/* the knobs it may change: a write by anyone else disables it */
	size_t nknobs;
	enum watch_knob knobs[RULE_MAX_KNOBS];
	int64_t min_gap_ms;	/* between two of its changes */
	void (*evaluate)(const struct rule_input *in, struct rule_proposal *p);
};

/* Every rule, in the order they are evaluated and reported. */
const struct watch_rule *watch_rules(size_t *n);
const struct watch_rule *watch_rule_find(const char *name);

/* Where one rule stands between intervals. */
struct rule_track {
	const char *scenario;	/* the condition seen last interval */
	unsigned int streak;	/* intervals in a row it held */
	int64_t last_change_ms;	/* INT64_MIN before the first change */
	bool limit_said;	/* "at its limit" logged this episode */
};

enum rule_verdict {
	RV_IDLE,		/* the condition does not hold */
	RV_WAIT,		/* holds, not yet for long enough */
	RV_RATE_LIMITED,	/* would change, but changed too recently */
	RV_CHANGE,		/* change the proposal's knobs now */
	RV_AT_LIMIT,		/* at the ceiling: say so (once an episode) */
	RV_AT_LIMIT_SAID,	/* at the ceiling, already said */
};

void rule_track_init(struct rule_track *tr);
/*
 * The hysteresis and the rate limit: what to do with this interval's
 * proposal (p->scenario NULL when the condition does not hold). After
 * RV_CHANGE the condition must hold for p->hold intervals again.
 */
enum rule_verdict rule_step(struct rule_track *tr,
			    const struct rule_proposal *p, int64_t now_ms,
			    int64_t min_gap_ms);

#endif /* OSTUNE_WATCH_RULES_H */
