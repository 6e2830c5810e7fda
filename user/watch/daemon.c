// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ostune watch loop. Held mode opens one session with a watchdog
 * lease and applies every change in it, so the kernel undoes them all if
 * the daemon dies or stalls; a clean stop closes the session, which undoes
 * them too. Kept mode opens no session: its changes are kept changes (the
 * module keeps their originals for `ostune restore` and rmmod), which is
 * what a session exists to prevent, and nothing would be left for a
 * watchdog to undo.
 *
 * Waiting is base/child.c's waiter: the stop signals are blocked and
 * taken in sigtimedwait(), and the heartbeat is beaten on the way.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "base/child.h"
#include "base/clock.h"
#include "knobs/module.h"
#include "watch/daemon.h"

/* Segments in and out in an interval below which no window is limited. */
#define WATCH_SOCKDIAG_MIN_SEGS	100

struct rule_run {
	const struct watch_rule *rule;
	struct rule_track track;
	bool disabled;		/* someone else wrote one of its knobs */
	bool at_limit;
	unsigned int changes;
	/* per knob of the rule: before its first change, and last written */
	char first[RULE_MAX_KNOBS][OSTUNE_VALUE_MAX];
	char last[RULE_MAX_KNOBS][OSTUNE_VALUE_MAX];
};

struct watch {
	const struct watch_options *opt;
	int rootfd;
	struct ostune_client client;
	bool connected;
	bool in_session;
	struct waiter waiter;
	struct watch_limits lim;
	struct watch_obs prev, now;
	struct watch_values vals;
	char home_cc[OSTUNE_VALUE_MAX];
	struct rule_run runs[WATCH_MAX_RULES];
	size_t nruns;
	/* sock_diag: only for tcp_buffers, and only on the host's own /proc */
	bool count_sockets;
	bool sockdiag_failed;	/* said once, until a dump works again */
	bool state_written;	/* ours to remove at the end */
	int lockfd;		/* the state file's lock, -1 without one */
	bool state_failed;	/* the state file could not be written: said once */
	time_t started;
};

__attribute__((format(printf, 2, 3)))
static void say(const struct watch *w, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* syslog's ident is "ostune" already */
	if (w->opt->syslog)
		syslog(LOG_NOTICE, "watch: %s", line);
	else
		fprintf(stderr, "ostune watch: %s\n", line);
}

static const char *mode_name(const struct watch_options *opt)
{
	return opt->plan ? "plan" : opt->kept ? "kept" : "held";
}

/* The slot of knob k among the rule's knobs. */
static int knob_slot(const struct watch_rule *rule, enum watch_knob k)
{
	size_t i;

	for (i = 0; i < rule->nknobs; i++)
		if (rule->knobs[i] == k)
			return (int)i;
	return -1;
}

static json_t *state_json(const struct watch *w)
{
	json_t *rules = json_array();
	size_t i, j;

	for (i = 0; i < w->nruns; i++) {
		const struct rule_run *r = &w->runs[i];
		json_t *knobs = json_object();

		for (j = 0; j < r->rule->nknobs; j++)
			if (r->last[j][0])
				json_object_set_new(knobs,
					watch_knob_name(r->rule->knobs[j]),
					json_pack("{s:s, s:s}", "first",
						  r->first[j], "last",
						  r->last[j]));
		json_array_append_new(rules, json_pack("{s:s, s:s, s:i, s:o}",
			"name", r->rule->name,
			"state", r->disabled ? "disabled" :
				 r->at_limit ? "at_limit" : "active",
			"changes", (int)r->changes, "knobs", knobs));
	}
	return json_pack("{s:i, s:s, s:I, s:I, s:I, s:o}",
			 "pid", (int)getpid(), "mode", mode_name(w->opt),
			 "interval_ms", (json_int_t)w->opt->interval_ms,
			 "lease_ms", (json_int_t)w->opt->lease_ms,
			 "started", (json_int_t)w->started, "rules", rules);
}

/*
 * FILE.lock, held while it runs: a second daemon on the same state file
 * (a --plan --state, a second service) would overwrite and remove it.
 */
static int lock_state(struct watch *w)
{
	const char *path = w->opt->state_path;
	char lock[4096], dir[4096], *slash;

	if (!path)
		return CLI_OK;
	/* its folders, as /run/ostune is not there after a boot */
	snprintf(dir, sizeof(dir), "%s", path);
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(dir, 0755);
		*slash = '/';
	}
	snprintf(lock, sizeof(lock), "%s.lock", path);
	w->lockfd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (w->lockfd < 0) {
		fprintf(stderr, "ostune: watch: %s: %s\n", lock, strerror(errno));
		return CLI_FAILED;
	}
	if (flock(w->lockfd, LOCK_EX | LOCK_NB)) {
		fprintf(stderr, errno == EWOULDBLOCK ?
			"ostune: watch: another ostune watch uses the state file %s (%s is locked)\n" :
			"ostune: watch: %s: cannot lock %s\n", path, lock);
		return CLI_FAILED;
	}
	return CLI_OK;
}

/* Written whole to a temporary name and renamed: never read half-written. */
static void write_state(struct watch *w)
{
	const char *path = w->opt->state_path;
	char tmp[4096];
	json_t *doc;
	int ret, fd;

	if (!path)
		return;
	doc = state_json(w);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	/* 0600: it holds knob values, shown only to the privileged */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	/* a tmp left from a crash keeps its mode through O_TRUNC */
	if (fd >= 0 && fchmod(fd, 0600)) {
		close(fd);
		fd = -1;
	}
	ret = doc && fd >= 0 ? json_dumpfd(doc, fd, JSON_COMPACT) : -1;
	json_decref(doc);
	if (fd >= 0 && close(fd))
		ret = -1;
	if (!ret && rename(tmp, path))
		ret = -1;
	if (ret && !w->state_failed) {
		say(w, "cannot write the state file %s: %s", path,
		    strerror(errno));
		w->state_failed = true;
	}
	if (ret)
		unlink(tmp);
	else
		w->state_written = true;
}

static int beat(void *arg)
{
	struct watch *w = arg;

	/* not before the session is open, nor after it was lost */
	return w->in_session ? ostune_heartbeat(&w->client) : 0;
}

/*
 * The counters, and for tcp_buffers the sockets at their maxima. The
 * sock_diag dump walks the whole TCP hash table (about 3 ms of kernel
 * time a dump on a 24 GiB host, bench/watch), so it is skipped in an
 * interval that moved too few segments for any window to be limited.
 */
static void observe(struct watch *w, const struct watch_obs *prev,
		    struct watch_obs *obs)
{
	uint64_t rmem[3] = { 0 }, wmem[3] = { 0 };
	int ret;

	/* what a file that fails to read this time is taken to say */
	if (prev)
		*obs = *prev;
	obs->rcv_limited = obs->snd_limited = 0;
	watch_observe(w->rootfd, obs);
	if (!w->count_sockets || !prev ||
	    obs->in_segs + obs->out_segs <
	    prev->in_segs + prev->out_segs + WATCH_SOCKDIAG_MIN_SEGS)
		return;
	/* an unreadable maximum stays 0: that side is not looked for */
	if (!watch_parse_triple(w->vals.v[WK_TCP_RMEM], rmem))
		rmem[2] = 0;
	if (!watch_parse_triple(w->vals.v[WK_TCP_WMEM], wmem))
		wmem[2] = 0;
	ret = watch_count_limited(rmem[2], wmem[2],
				  (uint32_t)w->opt->interval_ms,
				  &obs->rcv_limited, &obs->snd_limited);
	/* e.g. inet_diag and tcp_diag not loadable: the rule is blind */
	if (ret && !w->sockdiag_failed)
		say(w, "tcp_buffers: cannot count the sockets at their buffer maxima: sock_diag: %s",
		    strerror(-ret));
	w->sockdiag_failed = ret != 0;
}

/* A knob the rule wrote reads otherwise: the administrator's now. */
static bool drifted(struct watch *w, struct rule_run *r)
{
	size_t j;

	for (j = 0; j < r->rule->nknobs; j++) {
		enum watch_knob k = r->rule->knobs[j];

		/* unreadable this once is not someone else's value */
		if (!r->last[j][0] || !w->vals.v[k][0] ||
		    !strcmp(r->last[j], w->vals.v[k]))
			continue;
		say(w, "%s: %s changed by someone else (%s -> %s): rule disabled",
		    r->rule->name, watch_knob_name(k), r->last[j],
		    w->vals.v[k]);
		r->disabled = true;
		return true;
	}
	return false;
}

static int apply(struct watch *w, const struct rule_proposal *p)
{
	struct ostune_kv kv[RULE_MAX_KNOBS];
	size_t i;

	for (i = 0; i < p->n; i++) {
		kv[i].name = watch_knob_name(p->knob[i]);
		kv[i].value = p->value[i];
	}
	return ostune_apply(&w->client, kv, p->n, NULL);
}

static void change(struct watch *w, struct rule_run *r,
		   const struct rule_proposal *p)
{
	size_t i;
	int ret;

	if (!w->opt->plan) {
		ret = apply(w, p);
		if (ret) {
			say(w, "%s: %s: apply failed: %s%s%s", r->rule->name,
			    p->scenario, strerror(-ret),
			    w->client.err_msg[0] ? ": " : "",
			    w->client.err_msg);
			return;
		}
	}
	for (i = 0; i < p->n; i++) {
		int slot = knob_slot(r->rule, p->knob[i]);

		say(w, "%s: %s (%s): %s %s from (%s) -> (%s)", r->rule->name,
		    p->scenario, p->detail,
		    w->opt->plan ? "would change" : "change",
		    watch_knob_name(p->knob[i]), w->vals.v[p->knob[i]],
		    p->value[i]);
		if (w->opt->plan)
			continue;
		/* the same size: values are OSTUNE_VALUE_MAX everywhere */
		if (!r->last[slot][0])
			memcpy(r->first[slot], w->vals.v[p->knob[i]],
			       sizeof(r->first[slot]));
		memcpy(r->last[slot], p->value[i], sizeof(r->last[slot]));
	}
	if (!w->opt->plan)
		r->changes++;
	r->at_limit = false;
}

static const char *written_cc(const struct watch *w)
{
	size_t i;
	int slot;

	for (i = 0; i < w->nruns; i++) {
		slot = knob_slot(w->runs[i].rule, WK_CONGESTION);
		if (slot >= 0)
			return w->runs[i].last[slot];
	}
	return "";
}

/* One interval: returns whether anything the state file shows changed. */
static bool step(struct watch *w)
{
	struct rule_input in = { &w->prev, &w->now, &w->vals, &w->lim,
				 w->home_cc, written_cc(w) };
	bool dirty = false;
	size_t i;

	watch_read_values(w->rootfd, &w->vals);
	observe(w, &w->prev, &w->now);
	for (i = 0; i < w->nruns; i++) {
		struct rule_run *r = &w->runs[i];
		struct rule_proposal p = { 0 };
		bool was_at_limit = r->at_limit;

		if (r->disabled)
			continue;
		if (drifted(w, r)) {
			dirty = true;
			continue;
		}
		r->rule->evaluate(&in, &p);
		switch (rule_step(&r->track, &p, monotonic_ms(),
				  r->rule->min_gap_ms)) {
		case RV_CHANGE:
			change(w, r, &p);
			dirty = true;
			break;
		case RV_AT_LIMIT:
			say(w, "%s: %s (%s): %s at its limit (%s): not raised",
			    r->rule->name, p.scenario, p.detail,
			    watch_knob_name(p.limited), p.limit);
			r->at_limit = true;
			break;
		case RV_IDLE:
			r->at_limit = false;
			break;
		default:
			break;
		}
		dirty |= was_at_limit != r->at_limit;
	}
	w->prev = w->now;
	return dirty;
}

static void summary(const struct watch *w)
{
	size_t i, j;

	for (i = 0; i < w->nruns; i++) {
		const struct rule_run *r = &w->runs[i];
		char line[2048];
		size_t len;

		len = (size_t)snprintf(line, sizeof(line), "%u change%s%s%s",
				       r->changes, r->changes == 1 ? "" : "s",
				       r->disabled ? ", disabled" : "",
				       r->at_limit ? ", at limit" : "");
		for (j = 0; j < r->rule->nknobs && len < sizeof(line); j++)
			if (r->last[j][0])
				len += (size_t)snprintf(line + len,
					sizeof(line) - len, "; %s %s -> %s",
					watch_knob_name(r->rule->knobs[j]),
					r->first[j], r->last[j]);
		say(w, "summary: %s: %s", r->rule->name, line);
	}
}

static int start(struct watch *w)
{
	struct watch_host host;
	int ret;

	w->rootfd = open(w->opt->sysroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->rootfd < 0) {
		fprintf(stderr, "ostune: watch: %s: %s\n", w->opt->sysroot,
			strerror(errno));
		return CLI_FAILED;
	}
	ret = watch_read_host(w->rootfd, &host);
	if (ret) {
		fprintf(stderr, "ostune: watch: cannot read the memory size from %s/proc/meminfo: %s\n",
			strcmp(w->opt->sysroot, "/") ? w->opt->sysroot : "",
			strerror(-ret));
		return CLI_FAILED;
	}
	watch_limits_for(&host, &w->lim);
	watch_read_values(w->rootfd, &w->vals);
	snprintf(w->home_cc, sizeof(w->home_cc), "%s",
		 w->vals.v[WK_CONGESTION]);
	observe(w, NULL, &w->prev);
	if (w->opt->plan)
		return CLI_OK;
	if (module_connect(&w->client))
		return CLI_FAILED;
	w->connected = true;
	if (w->opt->kept)
		return CLI_OK;
	ret = ostune_session_open(&w->client, w->opt->lease_ms);
	if (ret)
		return module_op_failed(&w->client, "session open", ret);
	w->in_session = true;
	return CLI_OK;
}

static void stop(struct watch *w)
{
	int ret;

	summary(w);
	if (w->in_session) {
		ret = ostune_session_close(&w->client);
		if (ret)
			module_op_failed(&w->client, "session close", ret);
		else
			say(w, "held changes undone");
	} else if (w->opt->kept) {
		say(w, "changes kept (ostune restore puts the originals back)");
	}
}

static void rule_names(const struct watch_options *opt, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < opt->nrules && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? "," : "", opt->rules[i]->name);
}

int watch_run(const struct watch_options *opt)
{
	struct watch *w = calloc(1, sizeof(*w));
	char names[256];
	int64_t next;
	int ret;
	size_t i;

	if (!w)
		return module_op_failed(NULL, "watch", -ENOMEM);
	w->opt = opt;
	w->rootfd = -1;
	w->lockfd = -1;
	w->started = time(NULL);
	for (i = 0; i < opt->nrules; i++) {
		w->count_sockets |= !strcmp(opt->rules[i]->name, "tcp_buffers") &&
				    !strcmp(opt->sysroot, "/");
		w->runs[i].rule = opt->rules[i];
		rule_track_init(&w->runs[i].track);
	}
	w->nruns = opt->nrules;
	if (opt->syslog)
		openlog("ostune", LOG_PID, LOG_DAEMON);
	/* From here a stop signal waits until the session is closed. */
	if (opt->plan || opt->kept)
		waiter_init(&w->waiter, 0, NULL, NULL);	/* no session to beat */
	else
		waiter_init(&w->waiter, opt->lease_ms / 3, beat, w);
	ret = lock_state(w);
	if (!ret)
		ret = start(w);
	if (ret)
		goto out;
	rule_names(opt, names, sizeof(names));
	say(w, "started (rules %s, interval %lld ms, lease %u ms, %s)", names,
	    (long long)opt->interval_ms, opt->lease_ms, mode_name(opt));
	write_state(w);
	next = monotonic_ms() + opt->interval_ms;
	for (;;) {
		ret = waiter_sleep_until(&w->waiter, next);
		if (ret == -EINTR) {
			ret = CLI_OK;
			break;
		}
		if (ret) {
			/* the lease ran out: the kernel undid the held changes */
			module_op_failed(&w->client, "heartbeat", ret);
			w->in_session = false;
			summary(w);
			ret = CLI_FAILED;
			goto out;
		}
		next += opt->interval_ms;
		/* after a stall, one interval from now rather than a burst */
		if (next < monotonic_ms())
			next = monotonic_ms() + opt->interval_ms;
		if (step(w))
			write_state(w);
	}
	stop(w);
out:
	if (w->connected)
		ostune_client_close(&w->client);
	if (w->rootfd >= 0)
		close(w->rootfd);
	if (w->state_written)
		unlink(opt->state_path);
	/* the lock file stays: removing it would let two daemons lock two files */
	if (w->lockfd >= 0)
		close(w->lockfd);
	waiter_release(&w->waiter);
	if (opt->syslog)
		closelog();
	free(w);
	return ret;
}
