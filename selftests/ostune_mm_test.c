// SPDX-License-Identifier: GPL-2.0
/*
 * ostune VM-tier selftests of the mm and wq classes: transparent huge
 * pages, KSM, the per-node huge page pools and the unbound workqueue CPU
 * mask, against the kernel's own files (QEMU has them all):
 *
 *   mm.thp.enabled, mm.thp.defrag  /sys/kernel/mm/transparent_hugepage/
 *                                  {enabled,defrag}: "always [madvise] never"
 *   mm.thp.khugepaged_defrag       .../transparent_hugepage/khugepaged/defrag
 *   mm.ksm.run, pages_to_scan      /sys/kernel/mm/ksm/{run,pages_to_scan}
 *   mm.node0.hugepages_2048kB      /sys/devices/system/node/node0/hugepages/
 *                                  hugepages-2048kB/nr_hugepages
 *   wq.cpumask                     /sys/devices/virtual/workqueue/cpumask (hex)
 *
 * Every check reads those files directly, converted to the knob's form
 * (the bracketed word, the hex mask as a CPU list), never only through
 * the module. Each test leaves every file as it found it.
 *
 * Options: -t SUBSTRING (repeatable) runs only matching tests, -l lists
 * them; $OSTUNE_TEST_FILTER is a comma-separated list of substrings.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "harness_checks.h"
#include "harness_filter.h"
#include "util.h"

#define THP_DIR		"/sys/kernel/mm/transparent_hugepage"
#define KSM_DIR		"/sys/kernel/mm/ksm"
#define HP_FILE		"/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages"
#define WQ_FILE		"/sys/devices/virtual/workqueue/cpumask"

#define K_THP		"mm.thp.enabled"
#define K_DEFRAG	"mm.thp.defrag"
#define K_KHUGE		"mm.thp.khugepaged_defrag"
#define K_KSMRUN	"mm.ksm.run"
#define K_KSMSCAN	"mm.ksm.pages_to_scan"
#define K_HP		"mm.node0.hugepages_2048kB"
#define K_WQ		"wq.cpumask"
#define K_SWAP		"sysctl.vm.swappiness"

static const struct {
	const char *name;
	const char *path;
} mm_files[] = {
	{ K_THP, THP_DIR "/enabled" },
	{ K_DEFRAG, THP_DIR "/defrag" },
	{ K_KHUGE, THP_DIR "/khugepaged/defrag" },
	{ K_KSMRUN, KSM_DIR "/run" },
	{ K_KSMSCAN, KSM_DIR "/pages_to_scan" },
	{ K_HP, HP_FILE },
	{ K_WQ, WQ_FILE },
};

#define NMM ARRAY_SIZE(mm_files)

static const char *mm_path(const char *name)
{
	size_t i;

	for (i = 0; i < NMM; i++)
		if (!strcmp(mm_files[i].name, name))
			return mm_files[i].path;
	return NULL;
}

/* "3" or "ff,00000001" as a CPU list, for masks of up to 64 CPUs. */
static void hex_to_list(const char *hex, char *out, size_t len)
{
	unsigned long long bits = 0;
	size_t off = 0;
	const char *p;
	int cpu, start = -1;

	for (p = hex; *p; p++) {
		if (*p == ',')
			continue;
		bits = bits << 4 | (*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
	}
	out[0] = '\0';
	for (cpu = 0; cpu <= 64; cpu++) {
		bool on = cpu < 64 && (bits >> cpu & 1);

		if (on && start < 0)
			start = cpu;
		if (on || start < 0)
			continue;
		off += snprintf(out + off, len - off, "%s%d", off ? "," : "", start);
		if (cpu - 1 > start)
			off += snprintf(out + off, len - off, "-%d", cpu - 1);
		start = -1;
	}
}

/* A knob's value as its file shows it, in the knob's form. */
static int mm_read(const char *name, char *buf, size_t len)
{
	const char *path = mm_path(name);
	char raw[VALBUF], *open, *close;
	int r;

	if (!path)
		return knob_read(name, buf, len);
	r = file_read(path, raw, sizeof(raw));
	if (r)
		return r;
	if (!strncmp(name, "mm.thp.", 7) && (open = strchr(raw, '[')) &&
	    (close = strchr(open, ']'))) {
		*close = '\0';
		snprintf(buf, len, "%s", open + 1);
	} else if (!strcmp(name, K_WQ)) {
		hex_to_list(raw, buf, len);
	} else {
		snprintf(buf, len, "%s", raw);
	}
	return 0;
}

/* Another mode word the file offers, not the selected one. */
static void other_word(const char *path, char *out, size_t len)
{
	char raw[VALBUF], *w, *save = NULL;

	out[0] = '\0';
	if (file_read(path, raw, sizeof(raw)))
		return;
	for (w = strtok_r(raw, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (w[0] == '[')
			continue;
		snprintf(out, len, "%s", w);
		/* madvise or never: what a tuner would set */
		if (strcmp(w, "always"))
			return;
	}
}

/* A value for each knob different from its current one. */
struct mm_vals {
	char v[NMM][VALBUF];
};

static void mm_new_values(struct mm_vals *nv)
{
	char cur[VALBUF];
	size_t i;

	for (i = 0; i < NMM; i++) {
		const char *n = mm_files[i].name;

		cur[0] = '\0';
		mm_read(n, cur, sizeof(cur));
		if (!strncmp(n, "mm.thp.", 7) && strcmp(n, K_KHUGE))
			other_word(mm_files[i].path, nv->v[i], VALBUF);
		else if (!strcmp(n, K_KHUGE))
			snprintf(nv->v[i], VALBUF, "%s", strcmp(cur, "1") ? "1" : "0");
		else if (!strcmp(n, K_KSMRUN))
			snprintf(nv->v[i], VALBUF, "%s", strcmp(cur, "1") ? "1" : "0");
		else if (!strcmp(n, K_KSMSCAN))
			snprintf(nv->v[i], VALBUF, "%d", atoi(cur) + 17);
		else if (!strcmp(n, K_HP))
			snprintf(nv->v[i], VALBUF, "%s", strcmp(cur, "4") ? "4" : "2");
		else
			snprintf(nv->v[i], VALBUF, "%s", strcmp(cur, "0") ? "0" : "1");
	}
}

struct mm_snap {
	char v[NMM + 1][VALBUF];
};

static void mm_snap_take(struct mm_snap *s)
{
	size_t i;

	for (i = 0; i < NMM; i++)
		if (mm_read(mm_files[i].name, s->v[i], VALBUF))
			snprintf(s->v[i], VALBUF, "<unreadable>");
	if (knob_read(K_SWAP, s->v[NMM], VALBUF))
		snprintf(s->v[NMM], VALBUF, "<unreadable>");
}

/* The first knob that differs, with both values; NULL when none does. */
static const char *mm_snap_diff(const struct mm_snap *a,
				const struct mm_snap *b, char *d, size_t len)
{
	size_t i;

	for (i = 0; i <= NMM; i++) {
		const char *n = i < NMM ? mm_files[i].name : K_SWAP;

		if (strcmp(a->v[i], b->v[i])) {
			snprintf(d, len, "%s: '%s' -> '%s'", n, a->v[i], b->v[i]);
			return n;
		}
	}
	return NULL;
}

/* Puts every file back to s, directly; wq last, in hex. */
static void mm_snap_force(const struct mm_snap *s)
{
	char cur[VALBUF];
	size_t i;

	for (i = 0; i < NMM; i++) {
		if (mm_read(mm_files[i].name, cur, sizeof(cur)) ||
		    !strcmp(cur, s->v[i]) || s->v[i][0] == '<')
			continue;
		if (!strcmp(mm_files[i].name, K_WQ))
			continue;
		file_write(mm_files[i].path, s->v[i]);
	}
	if (strcmp(s->v[NMM], "<unreadable>"))
		knob_write(K_SWAP, s->v[NMM]);
}

static struct mm_snap start;
static char wq_start_hex[VALBUF];

static int count_reason(const struct ostune_event *ev, int n, uint32_t reason)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		k += ev[i].reason == reason;
	return k;
}

FIXTURE(mm) {
	struct ostune_client c;
	struct ostune_client c2;
	struct ostune_client ev;
	bool c2_open, ev_open;
	struct owner own;
	pid_t child;
	int kmsg;
	struct mm_snap before;
	char wq_hex[VALBUF];		/* the mask's file before the test */
	struct mm_vals nv;
	struct ostune_kv kv[NMM];
};

FIXTURE_SETUP(mm)
{
	size_t i;
	int ret;

	self->own.pid = -1;
	self->child = -1;
	self->kmsg = -1;
	ret = mod_ensure_loaded();
	ASSERT_EQ(0, ret) TH_LOG("ostune is not loaded and $OSTUNE_KO does not load: %s",
				 errname(ret));
	for (i = 0; i < NMM; i++)
		ASSERT_EQ(0, access(mm_files[i].path, W_OK))
			TH_LOG("%s: %s", mm_files[i].path, strerror(errno));
	ret = ostune_client_open(&self->c);
	ASSERT_EQ(0, ret) TH_LOG("ostune_client_open: %s", errname(ret));
	mm_snap_take(&self->before);
	ASSERT_EQ(0, file_read(WQ_FILE, self->wq_hex, sizeof(self->wq_hex)));
	mm_new_values(&self->nv);
	for (i = 0; i < NMM; i++) {
		ASSERT_NE(0, self->nv.v[i][0]) TH_LOG("no new value for %s",
						    mm_files[i].name);
		self->kv[i] = (struct ostune_kv){ mm_files[i].name, self->nv.v[i] };
	}
}

FIXTURE_TEARDOWN(mm)
{
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
	owner_kill(&self->own);
	if (self->ev_open)
		ostune_client_close(&self->ev);
	if (self->c2_open)
		ostune_client_close(&self->c2);
	ostune_client_close(&self->c);
	if (self->kmsg >= 0)
		close(self->kmsg);
	if (mod_ensure_loaded())
		TH_LOG("teardown: cannot load the module again");
	cleanup_restore_all();
	mm_snap_force(&start);
	file_write(WQ_FILE, wq_start_hex);
	cpu_online_set(1, true);
}

#define MM_UNCHANGED() do {						\
	struct mm_snap __now;						\
	char __d[700];							\
	mm_snap_take(&__now);						\
	ASSERT_TRUE(mm_snap_diff(&self->before, &__now, __d, sizeof(__d)) == NULL) \
		TH_LOG("changed: %s", __d);				\
} while (0)

#define MM_FILE(name, want) do {					\
	char __v[VALBUF];						\
	int __r = mm_read(name, __v, sizeof(__v));			\
	ASSERT_EQ(0, __r) TH_LOG("read %s: %s", name, errname(__r));	\
	ASSERT_STREQ(want, __v) TH_LOG("%s as its file shows it", name); \
} while (0)

#define MM_MOD(c, name, want) do {					\
	char __v[VALBUF] = "";						\
	int __r = getk(c, name, __v, sizeof(__v));			\
	ASSERT_EQ(0, __r) TH_LOG("GET_KNOBS %s: %s, extack '%s'", name,	\
				 errname(__r), (c)->err_msg);		\
	ASSERT_STREQ(want, __v) TH_LOG("GET_KNOBS %s", name);		\
} while (0)

/* Every knob of kv in its file and as the module reads it. */
static void mm_check_applied(struct __test_metadata *_metadata,
			     FIXTURE_DATA(mm) *self)
{
	size_t i;

	for (i = 0; i < NMM; i++) {
		MM_FILE(self->kv[i].name, self->kv[i].value);
		MM_MOD(&self->c, self->kv[i].name, self->kv[i].value);
	}
}

/* ---- apply and restore on every path ------------------------------- */

TEST_F(mm, path_restore_request)
{
	struct ostune_status st;
	size_t i;

	OK(&self->c, ostune_apply(&self->c, self->kv, NMM, NULL));
	mm_check_applied(_metadata, self);
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(NMM, st.nheld);
	for (i = 0; i < NMM; i++) {
		const struct ostune_held_knob *h = status_find(&st, mm_files[i].name);

		ASSERT_TRUE(h != NULL) TH_LOG("%s not held", mm_files[i].name);
		EXPECT_STREQ(self->before.v[i], h->original) TH_LOG("%s", h->name);
		EXPECT_STREQ(self->kv[i].value, h->current) TH_LOG("%s", h->name);
	}
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	MM_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(mm, path_session_close)
{
	OK(&self->c, ostune_session_open(&self->c, 10000));
	OK(&self->c, ostune_apply(&self->c, self->kv, NMM, NULL));
	mm_check_applied(_metadata, self);
	OK(&self->c, ostune_session_close(&self->c));
	MM_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(mm, path_owner_kill9)
{
	struct ostune_event ev[2 * NMM + 4];
	int ret, got;

	SUBSCRIBE();
	ret = owner_start(&self->own, 10000, self->kv, NMM, true);
	ASSERT_EQ(0, ret) TH_LOG("owner child: %s", errname(ret));
	mm_check_applied(_metadata, self);
	owner_kill(&self->own);
	MM_UNCHANGED();
	ASSERT_IDLE(&self->c);
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 2 * NMM, 3000);
	EXPECT_EQ((int)NMM, count_reason(ev, got, OSTUNE_REASON_SOCKET_CLOSE));
}

/* A stopped owner with a 300 ms lease: the watchdog restores. */
TEST_F_TIMEOUT(mm, path_watchdog_stopped_owner, 60)
{
	struct ostune_event ev[2 * NMM + 4];
	struct mm_snap now;
	char d[700];
	uint64_t t0;
	int ret, got;

	SUBSCRIBE();
	ret = owner_start(&self->own, 300, self->kv, NMM, true);
	ASSERT_EQ(0, ret) TH_LOG("owner child: %s", errname(ret));
	ASSERT_EQ(0, kill(self->own.pid, SIGSTOP));
	t0 = now_ms();
	do {
		sleep_ms(100);
		mm_snap_take(&now);
	} while (mm_snap_diff(&self->before, &now, d, sizeof(d)) &&
		 now_ms() - t0 < 10000);
	MM_UNCHANGED();
	EXPECT_EQ(0, wait_no_session(2000));
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 2 * NMM, 3000);
	EXPECT_EQ((int)NMM, count_reason(ev, got, OSTUNE_REASON_WATCHDOG));
	kill(self->own.pid, SIGCONT);
	owner_kill(&self->own);
	ASSERT_IDLE(&self->c);
}

/* rmmod with some knobs kept and the others in an open session. */
TEST_F_TIMEOUT(mm, path_rmmod, 60)
{
	char want[2 * VALBUF + 64], line[512];
	int r;

	ASSERT_TRUE(getenv("OSTUNE_KO") != NULL) TH_LOG("OSTUNE_KO is not set");
	OK(&self->c, ostune_apply(&self->c, self->kv, 4, NULL));
	OPEN_C2();
	OK(&self->c2, ostune_session_open(&self->c2, 10000));
	OK(&self->c2, ostune_apply(&self->c2, self->kv + 4, NMM - 4, NULL));
	mm_check_applied(_metadata, self);
	KMSG();
	r = mod_unload();
	ASSERT_EQ(0, r) TH_LOG("rmmod ostune: %s", errname(r));
	MM_UNCHANGED();
	snprintf(want, sizeof(want), "%s: %s -> %s (pid %d", K_THP,
		 self->kv[0].value, self->before.v[0], getpid());
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 1000))
		TH_LOG("no kernel log line '%s'", want);
	RELOAD();
	MM_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ---- bad values: errno, extack, nothing changed -------------------- */

static const struct {
	const char *name;
	const char *value;
	int err;
	const char *msg;
} bad[] = {
	{ K_THP, "[always]", EINVAL, "'[always]' is not a mode word" },
	{ K_THP, "sometimes", EINVAL, "'sometimes' is not a mode this kernel offers" },
	{ K_THP, "defer", EINVAL, "'defer' is not a mode this kernel offers" },
	{ K_THP, "always never", EINVAL, "is not a mode word" },
	{ K_DEFRAG, "Madvise", EINVAL, "is not a mode word" },
	{ K_DEFRAG, "defer+", EINVAL, "not a mode this kernel offers" },
	{ K_KHUGE, "2", ERANGE, "'2' is not 0 or 1" },
	{ K_KHUGE, "yes", EINVAL, "'yes' is not 0 or 1" },
	{ K_KSMRUN, "01", EINVAL, "'01' is not 0 (stop) or 1 (run)" },
	{ K_KSMRUN, "2", EINVAL, "2 (unmerge all) is an action, not a setting" },
	{ K_KSMRUN, "3", ERANGE, "'3' is not 0 (stop) or 1 (run)" },
	{ K_KSMSCAN, "-1", EINVAL, "'-1' is not a decimal 0..4294967295" },
	{ K_KSMSCAN, "4294967296", EINVAL, "is not a decimal" },
	{ K_KSMSCAN, "0100", EINVAL, "is not a decimal" },
	{ K_HP, "1e3", EINVAL, "is not a decimal" },
	{ K_HP, "5.", EINVAL, "'5.' is not a decimal" },
	{ K_HP, "4294967295", ERANGE, "'4294967295': node0 holds at most " },
	{ K_KSMRUN, "1.", EINVAL, "'1.' is not 0 (stop) or 1 (run)" },
	{ "mm.node0.hugepages_2048.kB", "1", EINVAL, "unknown mm knob" },
	{ K_WQ, "0-", EINVAL, "'0-' is not a CPU list" },
	{ K_WQ, "0;1", EINVAL, "is not a CPU list" },
	{ K_WQ, "4095", EINVAL, "names CPUs absent from this host" },
	{ K_WQ, "0-4095", EINVAL, "names CPUs absent from this host" },
	{ "mm.node9.hugepages_2048kB", "1", ENOENT, "no node9 on this host" },
	{ "mm.node0.hugepages_1000kB", "1", ENOENT, "no 1000 kB huge pages on node0" },
	{ "mm.node0.hugepages_02048kB", "1", EINVAL, "unknown mm knob" },
	{ "mm.thp.enable", "never", EINVAL, "unknown mm knob" },
	{ "mm.ksm", "1", EINVAL, "unknown mm knob" },
	{ "wq.cpumask_requested", "0", EINVAL, "want wq.cpumask" },
};

/*
 * Each bad entry second, after a good sysctl one: refused with its errno
 * and the knob named, nothing changed, nothing held.
 */
TEST_F(mm, bad_values_change_nothing)
{
	char entry[OSTUNE_NAME_MAX + 16];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct ostune_kv kv[2] = {
			{ K_SWAP, strcmp(self->before.v[NMM], "33") ? "33" : "34" },
			{ bad[i].name, bad[i].value },
		};

		snprintf(entry, sizeof(entry), "entry 2 (%s): ", bad[i].name);
		CHECK_ERR(&self->c, ostune_apply(&self->c, kv, 2, NULL),
			  bad[i].err, bad[i].msg);
		EXPECT_TRUE(has(self->c.err_msg, entry))
			TH_LOG("extack '%s' does not begin with '%s'",
			       self->c.err_msg, entry);
		MM_UNCHANGED();
	}
	ASSERT_IDLE(&self->c);
}

/* An empty mask, refused by the class like any other bad list. */
TEST_F(mm, wq_empty_mask_refused)
{
	struct ostune_kv kv = { K_WQ, "" };

	CHECK_ERR(&self->c, ostune_apply(&self->c, &kv, 1, NULL), EINVAL,
		  "entry 1 (wq.cpumask): empty CPU list");
	MM_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* cpu1 offline: a mask of only cpu1 is refused, one with cpu0 taken. */
TEST_F_TIMEOUT(mm, wq_offline_only_refused, 60)
{
	struct ostune_kv kv = { K_WQ, "1" };
	int r;

	r = cpu_online_set(1, false);
	ASSERT_EQ(0, r) TH_LOG("cpu1 offline: %s", errname(r));
	CHECK_ERR(&self->c, ostune_apply(&self->c, &kv, 1, NULL), EINVAL,
		  "entry 1 (wq.cpumask): '1' names only offline CPUs");
	MM_UNCHANGED();
	kv.value = "0-1";
	if (!strcmp(self->before.v[NMM - 1], "0-1"))
		kv.value = "0";
	OK(&self->c, ostune_apply(&self->c, &kv, 1, NULL));
	MM_FILE(K_WQ, kv.value);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_EQ(0, cpu_online_set(1, true));
	MM_UNCHANGED();
}

/* ---- mixed transactions with an older class ------------------------ */

TEST_F(mm, mixed_sysctl_thp_wq_apply_restore)
{
	struct ostune_kv kv[3] = {
		{ K_SWAP, strcmp(self->before.v[NMM], "33") ? "33" : "34" },
		self->kv[0],
		self->kv[NMM - 1],
	};
	char v[VALBUF];

	OK(&self->c, ostune_apply(&self->c, kv, 3, NULL));
	ASSERT_EQ(0, knob_read(K_SWAP, v, sizeof(v)));
	ASSERT_STREQ(kv[0].value, v);
	MM_FILE(K_THP, kv[1].value);
	MM_FILE(K_WQ, kv[2].value);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	MM_UNCHANGED();
}

/* The last entry refused: the sysctl and the THP mode stay as they were. */
TEST_F(mm, mixed_bad_last_changes_nothing)
{
	struct ostune_kv kv[4] = {
		{ K_SWAP, strcmp(self->before.v[NMM], "33") ? "33" : "34" },
		self->kv[0],
		self->kv[3],
		{ K_DEFRAG, "[madvise]" },
	};

	CHECK_ERR(&self->c, ostune_apply(&self->c, kv, 4, NULL), EINVAL,
		  "entry 4 (mm.thp.defrag): '[madvise]' is not a mode word");
	MM_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ---- drift: someone writes the file after ostune ------------------- */

/*
 * Someone else sets each knob after ostune (back to what it was before,
 * the simplest value the kernel surely takes): a restore leaves it
 * alone, and the status and the restore's events say it changed
 * externally.
 */
TEST_F(mm, drift_left_alone)
{
	struct ostune_event ev[4 * NMM];
	char want[2 * VALBUF + 128], line[512];
	struct ostune_status st;
	int got, ext = 0, i;
	size_t k;

	OK(&self->c, ostune_apply(&self->c, self->kv, NMM, NULL));
	for (k = 0; k < NMM; k++) {
		const char *theirs = self->before.v[k];

		if (!strcmp(mm_files[k].name, K_WQ))
			theirs = self->wq_hex;
		ASSERT_EQ(0, file_write(mm_files[k].path, theirs))
			TH_LOG("%s", mm_files[k].path);
	}
	OK(&self->c, ostune_get_status(&self->c, &st));
	for (k = 0; k < NMM; k++) {
		const struct ostune_held_knob *h = status_find(&st, mm_files[k].name);

		ASSERT_TRUE(h != NULL);
		EXPECT_NE(0U, h->flags & OSTUNE_KNOB_F_DRIFT)
			TH_LOG("%s: current '%s', last written '%s'", h->name,
			       h->current, h->last_written);
		EXPECT_STREQ(self->before.v[k], h->current) TH_LOG("%s", h->name);
	}
	ostune_status_free(&st);
	SUBSCRIBE();
	KMSG();
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	MM_UNCHANGED();
	snprintf(want, sizeof(want), "%s: left at %s, changed externally (ostune wrote %s; restore: request)",
		 K_WQ, self->before.v[NMM - 1], self->kv[NMM - 1].value);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 1000))
		TH_LOG("no kernel log line '%s'", want);
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), NMM, 3000);
	for (i = 0; i < got; i++)
		ext += !!(ev[i].flags & OSTUNE_KNOB_F_EXTERNAL);
	EXPECT_EQ((int)NMM, ext);
	ASSERT_IDLE(&self->c);
}

/* A third THP mode set by someone else stays after the restore. */
TEST_F(mm, drift_thp_third_word_kept)
{
	struct ostune_kv kv = { K_THP, "never" };
	const char *theirs = "madvise";

	if (!strcmp(self->before.v[0], "never")) {
		kv.value = "madvise";
		theirs = "always";
	} else if (!strcmp(self->before.v[0], "madvise")) {
		theirs = "always";
	}
	OK(&self->c, ostune_apply(&self->c, &kv, 1, NULL));
	ASSERT_EQ(0, file_write(THP_DIR "/enabled", theirs));
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	MM_FILE(K_THP, theirs);
	ASSERT_IDLE(&self->c);
	ASSERT_EQ(0, file_write(THP_DIR "/enabled", self->before.v[0]));
}

/* ---- knob-specific --------------------------------------------------- */

/* The selected word only; writing the selected word is a no-op. */
TEST_F(mm, thp_reads_selected_word)
{
	char raw[VALBUF], want[VALBUF + 2];

	ASSERT_EQ(0, file_read(THP_DIR "/enabled", raw, sizeof(raw)));
	ASSERT_NE(NULL, strchr(raw, '['));
	MM_MOD(&self->c, K_THP, self->before.v[0]);
	ASSERT_EQ(NULL, strchr(self->before.v[0], ' '));
	snprintf(want, sizeof(want), "[%s]", self->before.v[0]);
	ASSERT_NE(NULL, strstr(raw, want));
}

/* Node 0's memory in 2 MB pages, 0 when its meminfo does not say. */
static unsigned long node0_2mb_pages(void)
{
	FILE *f = fopen("/sys/devices/system/node/node0/meminfo", "r");
	unsigned long kb = 0;
	char line[256];

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Node 0 MemTotal: %lu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb / 2048;
}

/*
 * The pool grown by a few pages through node0's file, the global count
 * following; as many pages as node0 has memory for (what the module still
 * takes, not what the kernel can give with itself in that memory) is
 * refused after the kernel allocated what it could, which the rollback
 * frees.
 */
TEST_F_TIMEOUT(mm, hugepages_grow_and_short_allocation, 60)
{
	struct ostune_kv kv = { K_HP, "8" };
	char total[VALBUF], line[512], all[24], want[128];

	if (!strcmp(self->before.v[5], "8"))
		kv.value = "6";
	OK(&self->c, ostune_apply(&self->c, &kv, 1, NULL));
	MM_FILE(K_HP, kv.value);
	ASSERT_EQ(0, file_read("/proc/sys/vm/nr_hugepages", total, sizeof(total)));
	EXPECT_STREQ(kv.value, total) TH_LOG("one node: the global count is node0's");
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	MM_UNCHANGED();

	KMSG();
	snprintf(all, sizeof(all), "%lu", node0_2mb_pages());
	ASSERT_STRNE("0", all) TH_LOG("no MemTotal in node0's meminfo");
	kv.value = all;
	CHECK_ERR(&self->c, ostune_apply(&self->c, &kv, 1, NULL), ENOMEM,
		  "entry 1 (mm.node0.hugepages_2048kB): kernel is short of memory (error -12)");
	snprintf(want, sizeof(want),
		 "mm.node0.hugepages_2048kB: asked for %s huge pages, the kernel allocated",
		 all);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 1000));
	MM_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/*
 * Surplus pages (overcommitted, in use) while ostune holds the pool: the
 * knob reads the persistent pages, so they are not someone else's change,
 * and the restore puts the original back while they are still mapped.
 */
TEST_F_TIMEOUT(mm, hugepages_surplus_is_not_drift, 60)
{
	struct ostune_kv kv = { K_HP, "2" };
	char over[VALBUF], raw[VALBUF], want[VALBUF];
	size_t len;
	void *p;

	if (!strcmp(self->before.v[5], "2"))
		kv.value = "3";
	ASSERT_EQ(0, file_read("/proc/sys/vm/nr_overcommit_hugepages", over,
			       sizeof(over)));
	OK(&self->c, ostune_apply(&self->c, &kv, 1, NULL));
	ASSERT_EQ(0, file_write("/proc/sys/vm/nr_overcommit_hugepages", "2"));
	len = (strtoul(kv.value, NULL, 10) + 2) << 21;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE, -1, 0);
	EXPECT_NE(MAP_FAILED, p) TH_LOG("mmap of %zu bytes of huge pages: %s",
					len, strerror(errno));
	if (p != MAP_FAILED) {
		snprintf(want, sizeof(want), "%lu", len >> 21);
		EXPECT_EQ(0, file_read(HP_FILE, raw, sizeof(raw)));
		EXPECT_STREQ(want, raw) TH_LOG("the file counts the surplus");
		EXPECT_EQ(0, getk(&self->c, K_HP, raw, sizeof(raw)));
		EXPECT_STREQ(kv.value, raw) TH_LOG("the knob is the persistent pages");
		EXPECT_EQ(0, ostune_restore(&self->c, NULL, 0))
			TH_LOG("extack '%s'", self->c.err_msg);
		munmap(p, len);
	}
	ASSERT_EQ(0, file_write("/proc/sys/vm/nr_overcommit_hugepages", over));
	MM_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ksm.run: 1 starts ksmd, 0 stops it; a 2 found is put back on restore. */
TEST_F(mm, ksm_run_restores_unmerge_found)
{
	struct ostune_kv kv = { K_KSMRUN, "1" };

	ASSERT_EQ(0, file_write(KSM_DIR "/run", "2"));
	MM_FILE(K_KSMRUN, "2");
	OK(&self->c, ostune_apply(&self->c, &kv, 1, NULL));
	MM_FILE(K_KSMRUN, "1");
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	MM_FILE(K_KSMRUN, "2");
	ASSERT_EQ(0, file_write(KSM_DIR "/run", self->before.v[3]));
}

/* ---- the CLI ---------------------------------------------------------- */

/*
 * ostune knobs shows the modes the files offer and the pools; set and
 * restore go through the module; a refused value shows the kernel's
 * reason and changes nothing.
 */
TEST_F_TIMEOUT(mm, cli_knobs_set_restore, 60)
{
	char out[16384], err[4096], set_thp[64], set_wq[64];

	NEED_CLI();
	ASSERT_EQ(0, CLI("knobs", "mm.thp.*")) TH_LOG("stderr: %s", err);
	EXPECT_TRUE(has(out, "mm.thp.enabled")) TH_LOG("%s", out);
	EXPECT_TRUE(has(out, "always|madvise|never")) TH_LOG("%s", out);
	EXPECT_TRUE(has(out, "defer+madvise")) TH_LOG("%s", out);
	ASSERT_EQ(0, CLI("knobs", "mm.node*.*")) TH_LOG("stderr: %s", err);
	EXPECT_TRUE(has(out, "mm.node0.hugepages_2048kB")) TH_LOG("%s", out);
	EXPECT_TRUE(has(out, "page-size=2048kB")) TH_LOG("%s", out);
	ASSERT_EQ(0, CLI("knobs", "wq.*")) TH_LOG("stderr: %s", err);
	EXPECT_TRUE(has(out, self->before.v[NMM - 1])) TH_LOG("%s", out);
	EXPECT_EQ(2, CLI("knobs", "mm.*"));
	EXPECT_TRUE(has(err, "mm knobs have three parts")) TH_LOG("%s", err);

	snprintf(set_thp, sizeof(set_thp), "%s=%s", K_THP, self->kv[0].value);
	snprintf(set_wq, sizeof(set_wq), "%s=%s", K_WQ, self->kv[NMM - 1].value);
	ASSERT_EQ(0, CLI("set", set_thp, set_wq)) TH_LOG("stderr: %s", err);
	MM_FILE(K_THP, self->kv[0].value);
	MM_FILE(K_WQ, self->kv[NMM - 1].value);
	ASSERT_EQ(0, CLI("restore")) TH_LOG("stderr: %s", err);
	MM_UNCHANGED();

	EXPECT_EQ(1, CLI("set", set_thp, "mm.ksm.run=2"));
	EXPECT_TRUE(has(err, "2 (unmerge all) is an action, not a setting"))
		TH_LOG("stderr: %s", err);
	MM_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

int main(int argc, char **argv)
{
	struct harness_filter filter;
	size_t i;
	int ret;

	ret = harness_filter_setup(&filter, argc, argv);
	if (ret >= 0)
		return ret;
	/*
	 * The debug tier's kernel is built without THP, KSM and hugetlbfs:
	 * nothing to test on.
	 */
	for (i = 0; i < NMM; i++) {
		if (access(mm_files[i].path, W_OK)) {
			printf("TAP version 13\n1..1\nok 1 # SKIP no %s in this kernel: %s\n",
			       mm_files[i].path, strerror(errno));
			return 0;
		}
	}
	mod_ensure_loaded();
	wait_no_session(3000);
	cleanup_restore_all();
	mm_snap_take(&start);
	file_read(WQ_FILE, wq_start_hex, sizeof(wq_start_hex));
	printf("# start: %s=%s %s=%s %s=%s %s=%s\n", K_THP, start.v[0], K_DEFRAG,
	       start.v[1], K_KSMRUN, start.v[3], K_WQ, start.v[NMM - 1]);
	fflush(stdout);
	return test_harness_run(argc, argv);
}

HARNESS_CONSTRUCTOR_ORDER()
