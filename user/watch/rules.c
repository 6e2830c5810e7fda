// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The six rules (docs/watch.md has a section on each): when each one's
 * condition holds, what it proposes, and the ceilings it never passes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "watch/rules.h"

/* Growth per change: buffers and budgets by a quarter, as bpftune does;
 * tables and queues that already overflow are doubled. */
#define GROW_GENTLY(v)	((v) + (v) / 4)
#define GROW_FAST(v)	((v) * 2)

/* Congestion: at least this many segments sent in an interval to judge. */
#define CC_MIN_SEGS		500
/* Retransmitted per 10000 segments sent. */
#define CC_LOSS_HIGH		100	/* 1%: switch to bbr */
#define CC_LOSS_LOW		10	/* 0.1%: switch back */
#define CC_LOSSY		"bbr"

static uint64_t delta(uint64_t now, uint64_t prev)
{
	/* a counter that went back (a namespace or module reset) says nothing */
	return now > prev ? now - prev : 0;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

void watch_limits_for(const struct watch_host *host, struct watch_limits *lim)
{
	uint64_t mem = host->mem_bytes;
	unsigned int ncpus = host->ncpus ? host->ncpus : 1;

	/* one connection's buffer at most 1/32 of memory (an int at most) */
	lim->tcp_buf_max = min_u64(mem / 32, INT32_MAX);
	/* an entry costs about 512 bytes: the table at most 1/128 of memory */
	lim->gc_thresh3_max = max_u64(mem / 65536, 1024);
	/* fragments waiting for reassembly at most 1/64 of memory */
	lim->ipfrag_high_max = min_u64(mem / 64, INT32_MAX);
	/* every CPU's backlog full of 2 KiB packets at most 1/64 of memory */
	lim->backlog_max = max_u64(mem / 64 / 2048 / ncpus, 1000);
	/*
	 * Not memory but CPU time: one softirq round of at most 8 ms (two
	 * ticks at 250 Hz) and ten times the default packet budget.
	 */
	lim->budget_max = 3000;
	lim->budget_usecs_max = 8000;
	/* a waiting connection costs about 16 KiB with its buffers; u16 backlog */
	lim->somaxconn_max = min_u64(max_u64(mem / 16384, 128), 65535);
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char end;

	return sscanf(s, "%" SCNu64 "%c", v, &end) == 1;
}

bool watch_parse_triple(const char *s, uint64_t v[3])
{
	char end;

	return sscanf(s, "%" SCNu64 " %" SCNu64 " %" SCNu64 "%c",
		      &v[0], &v[1], &v[2], &end) == 3;
}

static void propose_text(struct rule_proposal *p, enum watch_knob k,
			 const char *value)
{
	snprintf(p->value[p->n], sizeof(p->value[p->n]), "%s", value);
	p->knob[p->n++] = k;
}

static void propose(struct rule_proposal *p, enum watch_knob k, uint64_t v)
{
	char text[24];

	snprintf(text, sizeof(text), "%" PRIu64, v);
	propose_text(p, k, text);
}

/* The first knob found at its ceiling is the one the log names. */
static void limited_text(struct rule_proposal *p, enum watch_knob k,
			 const char *limit)
{
	if (p->at_limit)
		return;
	p->at_limit = true;
	p->limited = k;
	snprintf(p->limit, sizeof(p->limit), "%s", limit);
}

static void limited(struct rule_proposal *p, enum watch_knob k, uint64_t limit)
{
	char text[24];

	snprintf(text, sizeof(text), "%" PRIu64, limit);
	limited_text(p, k, text);
}

/*
 * Grows the third field of a tcp_rmem/tcp_wmem triple, or says it is at
 * the ceiling; nothing when the value cannot be read.
 */
static void grow_buffer_max(const struct rule_input *in, enum watch_knob k,
			    struct rule_proposal *p)
{
	uint64_t v[3], next;
	char text[OSTUNE_VALUE_MAX];

	if (!watch_parse_triple(in->cur->v[k], v))
		return;
	next = min_u64(GROW_GENTLY(v[2]), in->lim->tcp_buf_max);
	if (next <= v[2]) {
		limited(p, k, in->lim->tcp_buf_max);
		return;
	}
	snprintf(text, sizeof(text), "%" PRIu64 " %" PRIu64 " %" PRIu64,
		 v[0], v[1], next);
	propose_text(p, k, text);
}

static void tcp_buffers(const struct rule_input *in, struct rule_proposal *p)
{
	const struct watch_obs *o = in->now;

	if (!o->rcv_limited && !o->snd_limited)
		return;
	p->scenario = "need to increase max buffer size to maximize throughput";
	p->hold = 3;
	snprintf(p->detail, sizeof(p->detail),
		 "%u receiving and %u sending sockets at the maximum",
		 o->rcv_limited, o->snd_limited);
	if (o->rcv_limited)
		grow_buffer_max(in, WK_TCP_RMEM, p);
	if (o->snd_limited)
		grow_buffer_max(in, WK_TCP_WMEM, p);
	/* at the limit only when nothing could be raised */
	if (p->n)
		p->at_limit = false;
}

/* Is name one of the blank-separated words of list? */
static bool word_in(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ' ') && (p[len] == ' ' || !p[len]))
			return true;
		p += len;
	}
	return false;
}

static void congestion(const struct rule_input *in, struct rule_proposal *p)
{
	uint64_t out = delta(in->now->out_segs, in->prev->out_segs);
	uint64_t retrans = delta(in->now->retrans_segs, in->prev->retrans_segs);
	const char *cur = in->cur->v[WK_CONGESTION];
	uint64_t per10k = out >= CC_MIN_SEGS ? retrans * 10000 / out : 0;

	snprintf(p->detail, sizeof(p->detail),
		 "%" PRIu64 ".%02" PRIu64 "%% of %" PRIu64
		 " segments retransmitted", per10k / 100, per10k % 100, out);
	if (per10k >= CC_LOSS_HIGH && strcmp(cur, CC_LOSSY)) {
		p->scenario = "sustained loss: a loss-tolerant congestion control";
		p->hold = 5;
		if (!word_in(in->cur->available_cc, CC_LOSSY))
			limited_text(p, WK_CONGESTION, CC_LOSSY
				     " not in tcp_available_congestion_control");
		else
			propose_text(p, WK_CONGESTION, CC_LOSSY);
	} else if (per10k < CC_LOSS_LOW && !strcmp(cur, CC_LOSSY) &&
		   /* an administrator's bbr is not ours to undo */
		   !strcmp(in->written_cc, cur) && in->home_cc[0] && strcmp(in->home_cc, CC_LOSSY) &&
		   word_in(in->cur->available_cc, in->home_cc)) {
		/* idle counts as subsided: bbr has nothing to win then */
		p->scenario = "loss subsided: back to the host's congestion control";
		p->hold = 30;
		propose_text(p, WK_CONGESTION, in->home_cc);
	}
}

static void neigh(const struct rule_input *in, struct rule_proposal *p)
{
	uint64_t fulls = delta(in->now->arp_table_fulls,
			       in->prev->arp_table_fulls);
	uint64_t entries = in->now->arp_entries;
	uint64_t t2, t3, n3, n2;

	if (!parse_u64(in->cur->v[WK_GC_THRESH2], &t2) ||
	    !parse_u64(in->cur->v[WK_GC_THRESH3], &t3) || !t3)
		return;
	if (fulls) {
		p->scenario = "neighbour table overflowed: entries were dropped";
		p->hold = 1;
	} else if (entries * 10 >= t3 * 9) {
		p->scenario = "neighbour table approaching gc_thresh3";
		p->hold = 3;
	} else {
		return;
	}
	snprintf(p->detail, sizeof(p->detail),
		 "%" PRIu64 " entries of %" PRIu64 ", %" PRIu64 " table_fulls",
		 entries, t3, fulls);
	n3 = min_u64(GROW_FAST(t3), in->lim->gc_thresh3_max);
	if (n3 <= t3) {
		limited(p, WK_GC_THRESH3, in->lim->gc_thresh3_max);
		return;
	}
	/* gc_thresh2, where forced collection starts, keeps its share */
	n2 = min_u64(max_u64(t2, t2 * n3 / t3), n3);
	/* thresh3 first: the kernel takes any order, the log reads better */
	propose(p, WK_GC_THRESH3, n3);
	/* never lowered: a thresh2 above thresh3 is the administrator's */
	if (n2 > t2)
		propose(p, WK_GC_THRESH2, n2);
}

static void ipfrag(const struct rule_input *in, struct rule_proposal *p)
{
	/* a fragment that timed out would not have been saved by memory */
	uint64_t fails = delta(in->now->reasm_fails, in->prev->reasm_fails);
	uint64_t timeouts = delta(in->now->reasm_timeout,
				  in->prev->reasm_timeout);
	uint64_t high, next;

	if (!parse_u64(in->cur->v[WK_IPFRAG_HIGH], &high) || !high)
		return;
	if (fails <= timeouts && in->now->frag_memory * 10 < high * 9)
		return;
	p->scenario = "fragment reassembly failing for lack of memory";
	p->hold = 2;
	snprintf(p->detail, sizeof(p->detail),
		 "%" PRIu64 " reassemblies failed, %" PRIu64 " of %" PRIu64
		 " bytes in use", fails - min_u64(fails, timeouts),
		 in->now->frag_memory, high);
	next = min_u64(GROW_FAST(high), in->lim->ipfrag_high_max);
	if (next <= high) {
		limited(p, WK_IPFRAG_HIGH, in->lim->ipfrag_high_max);
		return;
	}
	/*
	 * high first, then low at the kernel's default ratio (3 MiB of
	 * 4 MiB): each is bounded by the other, so this order always fits.
	 */
	propose(p, WK_IPFRAG_HIGH, next);
	propose(p, WK_IPFRAG_LOW, next / 4 * 3);
}

static void grow_one(const struct rule_input *in, enum watch_knob k,
		     uint64_t limit, bool fast, struct rule_proposal *p)
{
	uint64_t v, next;

	if (!parse_u64(in->cur->v[k], &v))
		return;
	next = min_u64(fast ? GROW_FAST(v) : GROW_GENTLY(v), limit);
	if (next <= v)
		limited(p, k, limit);
	else
		propose(p, k, next);
}

static void netdev_backlog(const struct rule_input *in, struct rule_proposal *p)
{
	uint64_t dropped = delta(in->now->softnet_dropped,
				 in->prev->softnet_dropped);
	uint64_t squeezed = delta(in->now->softnet_squeezed,
				  in->prev->softnet_squeezed);

	if (!dropped && !squeezed)
		return;
	p->scenario = dropped ? "packets dropped: the input backlog is full"
			      : "packet processing ran out of budget";
	p->hold = 3;
	snprintf(p->detail, sizeof(p->detail),
		 "%" PRIu64 " dropped, %" PRIu64 " time squeezes", dropped,
		 squeezed);
	if (dropped)
		grow_one(in, WK_NETDEV_MAX_BACKLOG, in->lim->backlog_max, true,
			 p);
	if (squeezed) {
		grow_one(in, WK_NETDEV_BUDGET, in->lim->budget_max, false, p);
		grow_one(in, WK_NETDEV_BUDGET_USECS, in->lim->budget_usecs_max,
			 false, p);
	}
	if (p->n)
		p->at_limit = false;
}

static void somaxconn(const struct rule_input *in, struct rule_proposal *p)
{
	uint64_t overflows = delta(in->now->listen_overflows,
				   in->prev->listen_overflows);

	if (!overflows)
		return;
	p->scenario = "listen queues overflowed: connections were dropped";
	p->hold = 2;
	snprintf(p->detail, sizeof(p->detail), "%" PRIu64 " overflows",
		 overflows);
	grow_one(in, WK_SOMAXCONN, in->lim->somaxconn_max, true, p);
}

static const struct watch_rule rules[] = {
	{ "tcp_buffers", 2, { WK_TCP_RMEM, WK_TCP_WMEM }, 10000, tcp_buffers },
	{ "congestion", 1, { WK_CONGESTION }, 60000, congestion },
	{ "neigh", 2, { WK_GC_THRESH3, WK_GC_THRESH2 }, 10000, neigh },
	{ "ipfrag", 2, { WK_IPFRAG_HIGH, WK_IPFRAG_LOW }, 10000, ipfrag },
	{ "netdev_backlog", 3,
	  { WK_NETDEV_MAX_BACKLOG, WK_NETDEV_BUDGET, WK_NETDEV_BUDGET_USECS },
	  10000, netdev_backlog },
	{ "somaxconn", 1, { WK_SOMAXCONN }, 10000, somaxconn },
};

const struct watch_rule *watch_rules(size_t *n)
{
	*n = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

const struct watch_rule *watch_rule_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].name, name))
			return &rules[i];
	return NULL;
}

void rule_track_init(struct rule_track *tr)
{
	memset(tr, 0, sizeof(*tr));
	tr->last_change_ms = INT64_MIN;
}

enum rule_verdict rule_step(struct rule_track *tr,
			    const struct rule_proposal *p, int64_t now_ms,
			    int64_t min_gap_ms)
{
	if (!p->scenario) {
		tr->scenario = NULL;
		tr->streak = 0;
		tr->limit_said = false;
		return RV_IDLE;
	}
	/* a different condition starts its own count */
	tr->streak = tr->scenario == p->scenario ? tr->streak + 1 : 1;
	tr->scenario = p->scenario;
	if (tr->streak < p->hold)
		return RV_WAIT;
	if (!p->n) {
		if (!p->at_limit)
			return RV_WAIT;
		if (tr->limit_said)
			return RV_AT_LIMIT_SAID;
		tr->limit_said = true;
		return RV_AT_LIMIT;
	}
	if (tr->last_change_ms != INT64_MIN &&
	    now_ms - tr->last_change_ms < min_gap_ms)
		return RV_RATE_LIMITED;
	tr->last_change_ms = now_ms;
	tr->streak = 0;
	return RV_CHANGE;
}
