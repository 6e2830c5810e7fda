// SPDX-License-Identifier: GPL-2.0
/*
 * ostune_fault: allocation failures injected into the module's requests,
 * on the debug kernel (CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS).
 *
 * The 6.1 stack-trace filter of failslab does not exist on x86_64, so the
 * failures are aimed with /proc/thread-self/fail-nth: the n-th slab
 * allocation of this thread fails, and a request runs in the thread that
 * sends it. For each scenario the request is repeated with n = 1, 2, ...
 * until it makes fewer than n allocations (fail-nth still armed after it):
 * every allocation it makes, the module's and the kernel's on its behalf,
 * has then failed once. After each failure:
 *
 *   - the request failed with an errno, or succeeded (an allocation with
 *     a fallback); a lost ack (ENOBUFS) may hide which;
 *   - an APPLY is all or nothing: every knob new and held, or every knob
 *     and the held list exactly as before;
 *   - no original is lost: every held knob's original is the value before
 *     the test, and a restore puts everything back.
 *
 * failslab's verbose stack dumps name the module's frame under each
 * failure: the distinct ones are the allocation sites covered. Runs of
 * the watchdog and socket-close undo happen on the module's workqueue,
 * which fail-nth cannot reach; they share restore_one() with the
 * SESSION_CLOSE scenario. Prints TAP.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "util.h"

#define FAILSLAB	"/sys/kernel/debug/failslab"
#define MAX_KNOBS	12
#define MAX_SITES	256
/* No request of these makes this many allocations. */
#define MAX_NTH		5000

struct knob {
	char name[OSTUNE_NAME_MAX];
	char orig[OSTUNE_VALUE_MAX];	/* as the module reads it */
	char value[OSTUNE_VALUE_MAX];	/* what the scenarios apply */
};

static struct knob knobs[MAX_KNOBS];
static size_t nknobs;
static int nth_fd = -1;
static int kmsg_fd = -1;

static char sites[MAX_SITES][128];
static size_t nsites;
static unsigned long dumps_without_ostune;
static char splat[512];

static int tap_n, tap_failed;

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		tap_failed++;
}

/* ---- the kernel log ---------------------------------------------------- */

static const char *const splats[] = {
	"BUG:", "WARNING:", "KASAN", "Oops", "possible recursive locking",
	"circular locking", "sleeping function called from invalid context",
	"refcount_t:", "list_add corruption", "list_del corruption",
	"general protection",
};

/*
 * Reads the kernel log since the last call: the first [ostune] frame of
 * every injected failure's stack is a site; anything that looks like a
 * splat outside such a stack is remembered.
 */
static void kmsg_scan(void)
{
	static bool in_dump, site_seen;
	char rec[2048], *text, *end;
	ssize_t r;
	size_t i;

	for (;;) {
		r = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (r < 0 && errno == EPIPE)
			continue;
		if (r <= 0)
			return;
		rec[r] = '\0';
		text = strchr(rec, ';');
		text = text ? text + 1 : rec;
		end = strchr(text, '\n');
		if (end)
			*end = '\0';
		if (strstr(text, "FAULT_INJECTION: forcing a failure")) {
			in_dump = true;
			site_seen = false;
			continue;
		}
		if (in_dump) {
			char site[128], *p;

			if (strstr(text, "</TASK>")) {
				in_dump = false;
				if (!site_seen)
					dumps_without_ostune++;
				continue;
			}
			if (site_seen || !strstr(text, "[ostune]"))
				continue;
			site_seen = true;
			p = text + strspn(text, " ?");
			snprintf(site, sizeof(site), "%.*s", (int)strcspn(p, " "), p);
			for (i = 0; i < nsites; i++)
				if (!strcmp(sites[i], site))
					break;
			if (i == nsites && nsites < MAX_SITES)
				snprintf(sites[nsites++], sizeof(sites[0]), "%s", site);
			continue;
		}
		for (i = 0; i < sizeof(splats) / sizeof(splats[0]); i++)
			if (!splat[0] && strstr(text, splats[i]))
				snprintf(splat, sizeof(splat), "%.500s", text);
	}
}

/* ---- fail-nth ---------------------------------------------------------- */

static int nth_set(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(nth_fd, buf, len, 0) == len ? 0 : -errno;
}

/* What is left of it: 0 when the n-th allocation happened (and failed). */
static unsigned int nth_left(void)
{
	char buf[16] = "";

	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) <= 0)
		return 0;
	return strtoul(buf, NULL, 10);
}

static int setup_failslab(void)
{
	static const char *const settings[][2] = {
		/* GFP_KERNEL allocations may fail too */
		{ FAILSLAB "/ignore-gfp-wait", "N" },
		/* only fail-nth fails anything */
		{ FAILSLAB "/probability", "0" },
		{ FAILSLAB "/times", "-1" },
		/* a stack dump per failure, which names the site */
		{ FAILSLAB "/verbose", "2" },
	};
	size_t i;
	int ret;

	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		ret = file_write(settings[i][0], settings[i][1]);
		if (ret)
			return ret;
	}
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	return nth_fd < 0 ? -errno : 0;
}

/* ---- knobs -------------------------------------------------------------- */

/* cl sends the requests under test; rd looks at the results. */
static struct ostune_client cl, rd;

static int client(void)
{
	ostune_client_close(&cl);
	return ostune_client_open(&cl);
}

static int get_values(char (*vals)[OSTUNE_VALUE_MAX])
{
	struct ostune_knob_value out[MAX_KNOBS];
	const char *names[MAX_KNOBS];
	size_t i;
	int ret;

	for (i = 0; i < nknobs; i++)
		names[i] = knobs[i].name;
	ret = ostune_get_knobs(&rd, names, nknobs, out);
	for (i = 0; !ret && i < nknobs; i++)
		snprintf(vals[i], OSTUNE_VALUE_MAX, "%s", out[i].value);
	return ret;
}

/* Adds name with value when the module accepts a change to it. */
static void add_knob(const char *name, const char *const *cands)
{
	struct knob *k = &knobs[nknobs];
	struct ostune_knob_value cur;
	struct ostune_kv kv;

	if (nknobs == MAX_KNOBS)
		return;
	snprintf(k->name, sizeof(k->name), "%s", name);
	kv.name = k->name;
	if (ostune_get_knobs(&cl, &kv.name, 1, &cur))
		return;
	for (; *cands; cands++) {
		if (val_eq(cur.value, *cands))
			continue;
		kv.value = *cands;
		if (ostune_apply(&cl, &kv, 1, NULL))
			return;
		ostune_restore(&cl, &kv.name, 1);
		snprintf(k->orig, sizeof(k->orig), "%s", cur.value);
		snprintf(k->value, sizeof(k->value), "%s", *cands);
		nknobs++;
		return;
	}
}

/* One of every class this VM has, with a value to change it to. */
static void pick_knobs(void)
{
	static const char *const swap[] = { "10", "20", NULL };
	static const char *const rmem[] = { "4096 131072 6291456",
					    "8192 65536 2097152", NULL };
	static const char *const mig[] = { "400000", "300000", NULL };
	static const char *const nrm[] = { "16", "8", NULL };
	static const char *const one[] = { "1", "0", NULL };
	static const char *const lat[] = { "100", "200", NULL };
	static const char *const fmax[] = { "1600000", "2000000", NULL };
	static const char *const fmin[] = { "1200000", "1000000", NULL };
	static const char *const cpus[] = { "0", "1", NULL };
	char name[OSTUNE_NAME_MAX];
	struct dirent *de;
	size_t before;
	DIR *d;

	add_knob("sysctl.vm.swappiness", swap);
	add_knob("sysctl.net.ipv4.tcp_rmem", rmem);
	add_knob("sched.migration_cost_ns", mig);
	add_knob("sched.nr_migrate", nrm);
	add_knob("idle.cpu0.state1.disable", one);
	add_knob("pmqos.cpu_latency_us", lat);
	add_knob("pmqos.cpu0.resume_latency_us", lat);
	/* max first: it is raised, so the min may follow in one transaction */
	add_knob("freq.policy0.max_khz", fmax);
	add_knob("freq.policy0.min_khz", fmin);
	d = opendir("/proc/irq");
	while (d && (de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(name, sizeof(name), "irq.%.16s.affinity", de->d_name);
		before = nknobs;
		add_knob(name, cpus);
		if (nknobs > before)
			break;
	}
	if (d)
		closedir(d);
}

/*
 * The requests under test go out on a socket of their own, req_fd, and
 * wait for their ack at most 30 s: an ack the kernel could not allocate
 * never comes, and the request's fate is then read from the knobs.
 */
static int req_fd = -1;
static uint32_t req_seq;

static int req_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_sec = 30 };
	int one = 1;

	if (req_fd >= 0)
		close(req_fd);
	req_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (req_fd < 0)
		return -errno;
	setsockopt(req_fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(req_fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(req_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return bind(req_fd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
}

/*
 * One request on req_fd with KNOB nests of knobs[from..to) (NAME, and
 * VALUE when values; in reverse order when reverse) and a WATCHDOG_MS
 * when watchdog. Returns the ack's errno, -ENOBUFS when the ack was lost,
 * -ETIME when none came.
 */
static int rq(uint8_t cmd, size_t from, size_t to, bool values, bool reverse,
	      uint32_t watchdog)
{
	static char buf[32768] __attribute__((aligned(4))), rbuf[32768] __attribute__((aligned(4)));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;
	size_t i;
	ssize_t r;

	nlh->nlmsg_type = cl.family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++req_seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = OSTUNE_FAMILY_VERSION;
	if (watchdog)
		mnl_attr_put_u32(nlh, OSTUNE_A_WATCHDOG_MS, watchdog);
	for (i = from; i < to; i++) {
		const struct knob *k = &knobs[reverse ? to - 1 - (i - from) : i];
		struct nlattr *nest = mnl_attr_nest_start(nlh, OSTUNE_A_KNOB);

		mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_NAME, k->name);
		if (values)
			mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_VALUE, k->value);
		mnl_attr_nest_end(nlh, nest);
	}
	if (send(req_fd, nlh, nlh->nlmsg_len, 0) < 0)
		return -errno;
	for (;;) {
		const struct nlmsghdr *m;
		int left;

		r = recv(req_fd, rbuf, sizeof(rbuf), 0);
		if (r < 0)
			return errno == EAGAIN ? -ETIME : -errno;
		left = r;
		for (m = (void *)rbuf; mnl_nlmsg_ok(m, left);
		     m = mnl_nlmsg_next(m, &left)) {
			if (m->nlmsg_seq == req_seq && m->nlmsg_type == NLMSG_ERROR)
				return ((struct nlmsgerr *)mnl_nlmsg_get_payload(m))->error;
		}
	}
}

/* Also ends a session req_fd holds: its socket closes. */
static void restore_all(void)
{
	req_open();
	client();
	ostune_restore(&cl, NULL, 0);
}

/* Every knob at its value before the test and nothing held. */
static bool all_original(char *why, size_t len)
{
	char vals[MAX_KNOBS][OSTUNE_VALUE_MAX];
	struct ostune_status st = {};
	size_t i;
	bool ok = true;

	if (get_values(vals)) {
		snprintf(why, len, "cannot read the knobs: %.100s", rd.err_msg);
		return false;
	}
	for (i = 0; i < nknobs; i++) {
		if (!val_eq(vals[i], knobs[i].orig)) {
			snprintf(why, len, "%.60s is '%.60s', its original '%.60s'",
				 knobs[i].name, vals[i], knobs[i].orig);
			ok = false;
		}
	}
	if (!ostune_get_status(&rd, &st)) {
		if (st.nheld) {
			snprintf(why, len, "%zu knobs still held", st.nheld);
			ok = false;
		}
		ostune_status_free(&st);
	}
	return ok;
}

/* Every held knob has its true original; none is held twice. */
static bool originals_kept(char *why, size_t len)
{
	struct ostune_status st = {};
	size_t i, j;
	bool ok = true;

	if (ostune_get_status(&rd, &st)) {
		snprintf(why, len, "no status: %.100s", rd.err_msg);
		return false;
	}
	for (i = 0; i < st.nheld; i++) {
		for (j = 0; j < nknobs; j++)
			if (!strcmp(st.held[i].name, knobs[j].name))
				break;
		if (j == nknobs || !val_eq(st.held[i].original, knobs[j].orig)) {
			snprintf(why, len, "%.60s held with original '%.60s', was '%.60s'",
				 st.held[i].name, st.held[i].original,
				 j < nknobs ? knobs[j].orig : "?");
			ok = false;
		}
	}
	ostune_status_free(&st);
	return ok;
}

/* ---- scenarios ---------------------------------------------------------- */

enum what { APPLY_KEPT, APPLY_SESSION, RESTORE_ALL, RESTORE_NAMED,
	    SESSION_CLOSE, SESSION_OPEN };

static const char *const what_names[] = {
	"APPLY of every class, none held",
	"APPLY in a session, half already held",
	"RESTORE of everything held",
	"RESTORE by name",
	"SESSION_CLOSE undoing a session",
	"SESSION_OPEN",
};

static int apply(size_t from, size_t to)
{
	return rq(OSTUNE_CMD_APPLY, from, to, true, false, 0);
}

static int prepare(enum what what)
{
	int ret = 0;

	restore_all();
	switch (what) {
	case APPLY_KEPT:
	case SESSION_OPEN:
		break;
	case APPLY_SESSION:
		ret = apply(0, nknobs / 2);
		if (!ret)
			ret = rq(OSTUNE_CMD_SESSION_OPEN, 0, 0, false, false, 60000);
		break;
	case RESTORE_ALL:
	case RESTORE_NAMED:
		ret = apply(0, nknobs);
		break;
	case SESSION_CLOSE:
		ret = rq(OSTUNE_CMD_SESSION_OPEN, 0, 0, false, false, 60000);
		if (!ret)
			ret = apply(0, nknobs);
		break;
	}
	return ret;
}

static int request(enum what what)
{
	switch (what) {
	case APPLY_KEPT:
	case APPLY_SESSION:
		return apply(0, nknobs);
	case RESTORE_ALL:
		return rq(OSTUNE_CMD_RESTORE, 0, 0, false, false, 0);
	case RESTORE_NAMED:
		return rq(OSTUNE_CMD_RESTORE, 0, nknobs, false, true, 0);
	case SESSION_CLOSE:
		return rq(OSTUNE_CMD_SESSION_CLOSE, 0, 0, false, false, 0);
	case SESSION_OPEN:
		return rq(OSTUNE_CMD_SESSION_OPEN, 0, 0, false, false, 60000);
	}
	return -EINVAL;
}

/*
 * After the request with an injected failure: the state the request may
 * leave. An APPLY either did all or nothing; the rest may stop half way,
 * per knob, but keeps every original.
 */
static bool state_ok(enum what what, int ret,
		     char (*before)[OSTUNE_VALUE_MAX], char *why, size_t len)
{
	char vals[MAX_KNOBS][OSTUNE_VALUE_MAX], differs[256] = "";
	bool all_new = true, unchanged = true;
	size_t i;

	if (get_values(vals)) {
		snprintf(why, len, "cannot read the knobs: %.100s", rd.err_msg);
		return false;
	}
	for (i = 0; i < nknobs; i++) {
		if (!val_eq(vals[i], knobs[i].value) && all_new) {
			all_new = false;
			snprintf(differs, sizeof(differs), "%.60s is '%.60s', not '%.60s'",
				 knobs[i].name, vals[i], knobs[i].value);
		}
		if (!val_eq(vals[i], before[i]))
			unchanged = false;
	}
	if (what == APPLY_KEPT || what == APPLY_SESSION) {
		if (!ret && !all_new) {
			snprintf(why, len, "succeeded, but %s", differs);
			return false;
		}
		if (ret && ret != -ENOBUFS && !unchanged) {
			snprintf(why, len, "failed (%d), but knobs changed", ret);
			return false;
		}
		if (!all_new && !unchanged) {
			snprintf(why, len, "half applied");
			return false;
		}
	}
	return originals_kept(why, len);
}

static void scenario(enum what what)
{
	char before[MAX_KNOBS][OSTUNE_VALUE_MAX], why[256] = "";
	unsigned long errnos[256] = { 0 }, injected = 0;
	size_t sites_before = nsites;
	unsigned int n;
	bool ok = true, done = false;
	int ret, i;

	for (n = 1; n <= MAX_NTH && ok && !done; n++) {
		ret = prepare(what);
		if (ret) {
			snprintf(why, sizeof(why), "cannot prepare: %d", ret);
			ok = false;
			break;
		}
		if (get_values(before)) {
			snprintf(why, sizeof(why), "cannot read: %.100s", rd.err_msg);
			ok = false;
			break;
		}
		kmsg_scan();
		nth_set(n);
		ret = request(what);
		done = nth_left() > 0;
		nth_set(0);
		kmsg_scan();
		if (done) {
			if (ret) {
				snprintf(why, sizeof(why),
					 "no failure injected, yet it failed: %d", ret);
				ok = false;
			}
			break;
		}
		injected++;
		errnos[-ret & 0xff]++;
		if (!state_ok(what, ret, before, why, sizeof(why))) {
			ok = false;
			printf("# allocation %u failed: %s\n", n, why);
		}
		/* And a restore still puts every original back. */
		restore_all();
		if (ok && !all_original(why, sizeof(why))) {
			ok = false;
			printf("# allocation %u failed, then restore: %s\n", n, why);
		}
	}
	if (!done && ok)
		snprintf(why, sizeof(why), "still allocating after %d", MAX_NTH);
	printf("# %s: %lu allocations failed in turn;", what_names[what], injected);
	for (i = 0; i < 256; i++)
		if (errnos[i])
			printf(" %s%s x%lu", i ? "-" : "", i ? strerrorname_np(i) : "ok",
			       errnos[i]);
	printf("; %zu new sites\n", nsites - sites_before);
	tap(ok && done && injected > 0, "fault: %s: each of its %lu allocations failed once, cleanly%s%s",
	    what_names[what], injected, why[0] ? ": " : "", why);
	restore_all();
}

int main(void)
{
	char why[256] = "";
	size_t i;
	int ret;

	printf("TAP version 13\n");
	ret = mod_ensure_loaded();
	if (!ret)
		ret = client();
	if (!ret)
		ret = ostune_client_open(&rd);
	if (ret) {
		printf("1..0 # SKIP module not loaded: %d\n", ret);
		return 0;
	}
	if (access(FAILSLAB, F_OK) || access("/proc/thread-self/fail-nth", F_OK)) {
		printf("1..0 # SKIP no failslab or fail-nth in this kernel\n");
		return 0;
	}
	restore_all();
	pick_knobs();
	printf("1..9\n# knobs:");
	for (i = 0; i < nknobs; i++)
		printf(" %s=%s", knobs[i].name, knobs[i].value);
	printf("\n");
	fflush(stdout);
	kmsg_fd = kmsg_open_end();
	ret = setup_failslab();
	if (ret || kmsg_fd < 0) {
		printf("Bail out! cannot set up failslab: %d\n", ret);
		return 1;
	}

	scenario(APPLY_KEPT);
	scenario(APPLY_SESSION);
	scenario(RESTORE_ALL);
	scenario(RESTORE_NAMED);
	scenario(SESSION_CLOSE);
	scenario(SESSION_OPEN);

	file_write(FAILSLAB "/verbose", "1");
	restore_all();
	tap(all_original(why, sizeof(why)),
	    "fault: afterwards every knob is at its original, nothing held%s%s",
	    why[0] ? ": " : "", why);
	printf("# %zu distinct call sites in ostune.ko under a failed allocation; %lu failures outside it:\n",
	       nsites, dumps_without_ostune);
	for (i = 0; i < nsites; i++)
		printf("#   %s\n", sites[i]);
	tap(nsites > 0, "fault: allocations made for the module's code failed (%zu sites)",
	    nsites);
	kmsg_scan();
	if (splat[0])
		printf("# kernel: %s\n", splat);
	tap(!splat[0], "fault: no splat in the kernel log outside the injected failures");
	return tap_failed ? 1 : 0;
}
