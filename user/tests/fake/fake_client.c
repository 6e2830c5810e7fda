// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A test double of lib/client.c for running the CLI without ostune.ko:
 * every call is appended as one line to $OSTUNE_FAKE_LOG, and the replies
 * are fixed:
 *   - status: session 3 of pid 812 (ostune), lease 10000 ms, 4200 ms left;
 *     held sysctl.vm.swappiness (60, wrote 10, now 10, session) and
 *     sysctl.vm.dirty_ratio (20, wrote 5, now 7, kept, drift)
 *   - every knob's current value is "60"
 *   - apply returns txn 5
 *   - two events, then none
 * $OSTUNE_FAKE_HOLD: a third held knob of that name (kept; original
 *   "none", wrote and now "60"), e.g. a QoS knob.
 * $OSTUNE_FAKE_ABSENT: open fails with -ENOENT (module not loaded).
 * $OSTUNE_FAKE_FAIL_APPLY: apply fails with EINVAL and an extack message.
 * $OSTUNE_FAKE_FAIL_HEARTBEAT: heartbeats fail with ETIMEDOUT.
 * $OSTUNE_FAKE_DIFFER: knobs whose name contains it read "61", not "60".
 * $OSTUNE_FAKE_ABSENT_UNTIL: apply fails with ENOENT, as for a device not
 *   probed yet, until the file it names exists.
 * $OSTUNE_FAKE_REFUSE_APPLY=KNOB=VALUE:N: the Nth apply (from 1) of this
 *   process that sets KNOB to VALUE fails with EINVAL and an extack
 *   message naming the entry; every other apply goes through.
 * $OSTUNE_FAKE_SYSROOT: apply writes each sysctl knob's value to its file
 *   under that tree's proc/sys, as the module would on a host, so that a
 *   command reading the values back (watch) sees its own writes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "knobs/knobname.h"
#include "lib/client.h"

static void note(const char *fmt, ...)
{
	const char *path = getenv("OSTUNE_FAKE_LOG");
	va_list ap;
	FILE *log;

	if (!path)
		return;
	log = fopen(path, "a");
	if (!log)
		return;
	va_start(ap, fmt);
	vfprintf(log, fmt, ap);
	va_end(ap);
	fputc('\n', log);
	fclose(log);
}

/* The client's portid holds the read end of a pipe nobody writes. */
/* its applies go to $OSTUNE_FAKE_SYSROOT */
const int ostune_client_writes_sysroot = 1;

int ostune_client_open(struct ostune_client *c)
{
	int fds[2];

	memset(c, 0, sizeof(*c));
	if (getenv("OSTUNE_FAKE_ABSENT"))
		return -ENOENT;
	if (pipe(fds))
		return -errno;
	c->portid = fds[0];
	c->seq = fds[1];
	note("open");
	return 0;
}

void ostune_client_close(struct ostune_client *c)
{
	close(c->portid);
	close(c->seq);
	note("close");
}

int ostune_client_fd(const struct ostune_client *c)
{
	return c->portid;
}

int ostune_get_status(struct ostune_client *c, struct ostune_status *st)
{
	const char *hold = getenv("OSTUNE_FAKE_HOLD");

	(void)c;
	memset(st, 0, sizeof(*st));
	st->version = 1;
	/* A module of another netlink family version (status warns). */
	if (getenv("OSTUNE_FAKE_FAMILY_VERSION"))
		st->version = (uint32_t)atoi(getenv("OSTUNE_FAKE_FAMILY_VERSION"));
	strcpy(st->module_version, "0.1.0");
	st->has_session = 1;
	st->session_id = 3;
	st->session_pid = 812;
	strcpy(st->session_comm, "ostune");
	st->session_portid = 4242;
	st->watchdog_ms = 10000;
	st->remaining_ms = 4200;
	st->nheld = hold ? 3 : 2;
	st->held = calloc(st->nheld, sizeof(*st->held));
	if (!st->held)
		return -ENOMEM;
	strcpy(st->held[0].name, "sysctl.vm.swappiness");
	strcpy(st->held[0].original, "60");
	strcpy(st->held[0].last_written, "10");
	strcpy(st->held[0].current, "10");
	st->held[0].flags = OSTUNE_KNOB_F_SESSION;
	strcpy(st->held[1].name, "sysctl.vm.dirty_ratio");
	strcpy(st->held[1].original, "20");
	strcpy(st->held[1].last_written, "5");
	strcpy(st->held[1].current, "7");
	st->held[1].flags = OSTUNE_KNOB_F_DRIFT;
	if (hold) {
		snprintf(st->held[2].name, sizeof(st->held[2].name), "%s",
			 hold);
		strcpy(st->held[2].original, "none");
		strcpy(st->held[2].last_written, "60");
		strcpy(st->held[2].current, "60");
	}
	st->held_count = st->nheld;
	/* a caller without CAP_SYS_ADMIN: the count, not the knobs */
	if (getenv("OSTUNE_FAKE_WITHHELD"))
		st->nheld = 0;
	note("status");
	return 0;
}

void ostune_status_free(struct ostune_status *st)
{
	free(st->held);
	st->held = NULL;
	st->nheld = 0;
}

int ostune_get_knobs(struct ostune_client *c, const char *const *names,
		     size_t n, struct ostune_knob_value *out)
{
	size_t i;

	(void)c;
	const char *differ = getenv("OSTUNE_FAKE_DIFFER");

	for (i = 0; i < n; i++) {
		snprintf(out[i].name, sizeof(out[i].name), "%s", names[i]);
		strcpy(out[i].value, differ && strstr(names[i], differ) ?
				     "61" : "60");
	}
	note("get %zu", n);
	return 0;
}

int ostune_session_open(struct ostune_client *c, uint32_t watchdog_ms)
{
	(void)c;
	note("session_open %u", watchdog_ms);
	return 0;
}

int ostune_session_close(struct ostune_client *c)
{
	(void)c;
	note("session_close");
	return 0;
}

int ostune_heartbeat(struct ostune_client *c)
{
	note("heartbeat");
	if (getenv("OSTUNE_FAKE_FAIL_HEARTBEAT")) {
		snprintf(c->err_msg, sizeof(c->err_msg),
			 "session expired: the watchdog lease ran out");
		return -ETIMEDOUT;
	}
	return 0;
}

/* sysctl.net.core.somaxconn -> SYSROOT/proc/sys/net/core/somaxconn */
static void write_sysctl(const char *sysroot, const struct ostune_kv *kv)
{
	char rel[256], path[512];
	FILE *f;

	if (strncmp(kv->name, "sysctl.", 7))
		return;
	sysctl_proc_path(kv->name + 7, rel, sizeof(rel));
	snprintf(path, sizeof(path), "%s/%s", sysroot, rel);
	f = fopen(path, "w");
	if (!f)
		return;
	fprintf(f, "%s\n", kv->value);
	fclose(f);
}

/*
 * Is this apply the one $OSTUNE_FAKE_REFUSE_APPLY names? Counts the
 * applies that set its knob to its value (this process's).
 */
static int refused_entry(const struct ostune_kv *entries, size_t n)
{
	static unsigned int seen;
	const char *spec = getenv("OSTUNE_FAKE_REFUSE_APPLY");
	const char *colon = spec ? strrchr(spec, ':') : NULL;
	char kv[256];
	size_t i;

	if (!colon)
		return -1;
	for (i = 0; i < n; i++) {
		snprintf(kv, sizeof(kv), "%s=%s", entries[i].name, entries[i].value);
		if (strlen(kv) == (size_t)(colon - spec) &&
		    !strncmp(kv, spec, (size_t)(colon - spec)))
			return ++seen == (unsigned int)atoi(colon + 1) ? (int)i : -1;
	}
	return -1;
}

int ostune_apply(struct ostune_client *c, const struct ostune_kv *entries,
		 size_t n, uint32_t *txn_id)
{
	size_t i;
	int bad;

	for (i = 0; i < n; i++)
		note("apply %s=%s", entries[i].name, entries[i].value);
	bad = refused_entry(entries, n);
	if (bad >= 0) {
		snprintf(c->err_msg, sizeof(c->err_msg),
			 "entry %d (%s): value refused", bad, entries[bad].name);
		return -EINVAL;
	}
	if (getenv("OSTUNE_FAKE_FAIL_APPLY")) {
		snprintf(c->err_msg, sizeof(c->err_msg),
			 "entry 0 (%s): bad value", entries[0].name);
		return -EINVAL;
	}
	if (getenv("OSTUNE_FAKE_ABSENT_UNTIL") &&
	    access(getenv("OSTUNE_FAKE_ABSENT_UNTIL"), F_OK)) {
		snprintf(c->err_msg, sizeof(c->err_msg),
			 "entry 0 (%s): no such knob", entries[0].name);
		return -ENOENT;
	}
	if (getenv("OSTUNE_FAKE_SYSROOT"))
		for (i = 0; i < n; i++)
			write_sysctl(getenv("OSTUNE_FAKE_SYSROOT"), &entries[i]);
	if (txn_id)
		*txn_id = 5;
	return 0;
}

int ostune_restore(struct ostune_client *c, const char *const *names, size_t n)
{
	size_t i;

	(void)c;
	if (!n)
		note("restore all");
	for (i = 0; i < n; i++)
		note("restore %s", names[i]);
	return 0;
}

int ostune_subscribe_events(struct ostune_client *c)
{
	(void)c;
	note("subscribe");
	return 0;
}

int ostune_next_event(struct ostune_client *c, struct ostune_event *ev,
		      int timeout_ms)
{
	static unsigned int sent;

	(void)c;
	(void)timeout_ms;
	if (sent == 2)
		return 0;
	memset(ev, 0, sizeof(*ev));
	ev->pid = 812;
	strcpy(ev->comm, "ostune");
	strcpy(ev->name, "sysctl.vm.swappiness");
	if (sent++ == 0) {
		ev->reason = OSTUNE_REASON_APPLY;
		ev->txn_id = 5;
		strcpy(ev->old, "60");
		strcpy(ev->value, "10");
	} else {
		ev->reason = OSTUNE_REASON_SOCKET_CLOSE;
		strcpy(ev->old, "10");
		strcpy(ev->value, "60");
	}
	return 1;
}
