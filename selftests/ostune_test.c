// SPDX-License-Identifier: GPL-2.0
/*
 * ostune VM-tier selftests.
 *
 * Run as root in a VM that has the ostune module loaded (the module file is
 * in $OSTUNE_KO, so the unload tests can load it again). Every test checks
 * what the kernel really did by reading /sys/kernel/debug/sched/ and
 * /proc/sys/ directly, never only through the module, and leaves every
 * knob as it found it (a full RESTORE, then a direct write of anything
 * still different from the values the suite started with).
 *
 * Options: -t SUBSTRING (repeatable) runs only matching tests, -l lists
 * them; $OSTUNE_TEST_FILTER is a comma-separated list of substrings.
 * $OSTUNE_CLI is the CLI binary (default /ostune/bin/ostune).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#include "kselftest_harness.h"
#include "harness_checks.h"
#include "harness_filter.h"
#include "util.h"

#define K_SWAP		"sysctl.vm.swappiness"
#define K_DIRTY		"sysctl.vm.dirty_ratio"
#define K_DIRTYBG	"sysctl.vm.dirty_background_ratio"
#define K_SOMAX		"sysctl.net.core.somaxconn"
#define K_RMEM		"sysctl.net.ipv4.tcp_rmem"
#define K_TIMERMIG	"sysctl.kernel.timer_migration"
#define K_MIG		"sched.migration_cost_ns"
#define K_NRM		"sched.nr_migrate"

/* The values every knob had when the suite started. */
static struct snap baseline;
static char msgbuf[MSGBUF_SIZE] __attribute__((aligned(NLMSG_ALIGNTO)));

/* Values to change knobs to; the first one different from the current. */
static const struct {
	const char *name;
	const char *v[6];
} cands[] = {
	{ K_SWAP,	{ "10", "20", "30", "40" } },
	{ K_DIRTY,	{ "30", "35", "40", "45" } },
	{ K_DIRTYBG,	{ "5", "7", "8", "9" } },
	{ K_SOMAX,	{ "1024", "2048", "512", "256" } },
	{ K_RMEM,	{ "4096 87380 4194304", "8192 131072 6291456",
			  "4096 65536 2097152" } },
	{ "sysctl.net.ipv4.tcp_wmem", { "4096 16384 4194304", "8192 65536 2097152" } },
	{ "sysctl.kernel.sched_autogroup_enabled", { "0", "1" } },
	{ "sysctl.kernel.sched_child_runs_first", { "1", "0" } },
	{ "sysctl.kernel.sched_cfs_bandwidth_slice_us", { "6000", "7000", "4000" } },
	{ K_MIG,	{ "250000", "400000", "300000", "350000" } },
	{ K_NRM,	{ "16", "8", "24", "12" } },
	{ "sched.latency_ns", { "9000000", "10000000", "11000000" } },
	{ "sched.min_granularity_ns", { "1000000", "1250000", "2000000" } },
	{ "sched.wakeup_granularity_ns", { "1500000", "2500000", "3000000" } },
	{ "sched.base_slice_ns", { "1000000", "2000000", "1500000" } },
	{ "sched.numa_balancing.scan_delay_ms", { "2000", "3000", "1500" } },
};

/* A new value for name: not its current value, and not excl. */
static const char *new_value(const char *name, const char *excl)
{
	char cur[VALBUF];
	size_t i, j;

	if (knob_read(name, cur, sizeof(cur)))
		return NULL;
	for (i = 0; i < ARRAY_SIZE(cands); i++) {
		if (strcmp(cands[i].name, name))
			continue;
		for (j = 0; cands[i].v[j]; j++) {
			if (val_eq(cur, cands[i].v[j]))
				continue;
			if (excl && val_eq(excl, cands[i].v[j]))
				continue;
			return cands[i].v[j];
		}
	}
	return NULL;
}

static bool is_one_of(int ret, int a, int b, int c)
{
	return ret == -a || ret == -b || ret == -c;
}

/* ---- assertion helpers (macros, so failures name the test's line) ---- */

#define NEWV(name) ({							\
	const char *__v = new_value(name, NULL);			\
	ASSERT_TRUE(__v != NULL) TH_LOG("no test value for %s", name);	\
	__v; })

#define NEWV2(name, excl) ({						\
	const char *__v = new_value(name, excl);			\
	ASSERT_TRUE(__v != NULL) TH_LOG("no 2nd test value for %s", name); \
	__v; })

#define READ(name, buf) do {						\
	int __r = knob_read(name, buf, sizeof(buf));			\
	ASSERT_EQ(0, __r) TH_LOG("cannot read %s: %s", name, errname(__r)); \
} while (0)

/* A knob's value when the test started. */
#define ORIG(name) ({							\
	const char *__o = snap_get(&self->before, name);		\
	ASSERT_TRUE(__o != NULL) TH_LOG("%s not in the snapshot", name); \
	__o; })

#define ASSERT_KNOB(name, want) do {					\
	char __v[VALBUF];						\
	READ(name, __v);						\
	ASSERT_TRUE(val_eq(__v, want))					\
		TH_LOG("%s is '%s', expected '%s'", name, __v, want);	\
} while (0)

#define EXPECT_KNOB(name, want) do {					\
	char __v[VALBUF];						\
	READ(name, __v);						\
	EXPECT_TRUE(val_eq(__v, want))					\
		TH_LOG("%s is '%s', expected '%s'", name, __v, want);	\
} while (0)


/* The module holds nothing and has no session. */

static int find_event(const struct ostune_event *ev, int n, const char *name,
		      uint32_t reason)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(ev[i].name, name) && ev[i].reason == reason)
			return i;
	return -1;
}

static int count_reason(const struct ostune_event *ev, int n, uint32_t reason)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		k += ev[i].reason == reason;
	return k;
}

static struct nlmsghdr *msg_start(struct ostune_client *c, uint8_t cmd)
{
	memset(msgbuf, 0, sizeof(msgbuf));
	return ostune_msg_start(c, msgbuf, cmd);
}

/* ---- the fixture ---------------------------------------------------- */

FIXTURE(ost) {
	struct ostune_client c;		/* open in every test */
	struct ostune_client c2;	/* a second socket, when c2_open */
	struct ostune_client ev;	/* subscribed to events, when ev_open */
	bool c2_open, ev_open;
	struct owner own;		/* a session owner in a child */
	pid_t child;			/* any other child to kill at the end */
	int kmsg;
	pid_t pid;
	char comm[OSTUNE_COMM_MAX];
	struct snap before;
};

FIXTURE_SETUP(ost)
{
	int ret;

	self->own.pid = -1;
	self->child = -1;
	self->kmsg = -1;
	ret = mod_ensure_loaded();
	ASSERT_EQ(0, ret) TH_LOG("ostune is not loaded and $OSTUNE_KO does not load: %s",
				 errname(ret));
	wait_no_session(3000);
	cleanup_restore_all();
	if (snap_force(&baseline))
		TH_LOG("setup: put back knobs an earlier test left changed");
	ret = ostune_client_open(&self->c);
	ASSERT_EQ(0, ret) TH_LOG("ostune_client_open: %s", errname(ret));
	snap_take(&self->before);
	self->pid = getpid();
	self_comm(self->comm, sizeof(self->comm));
}

FIXTURE_TEARDOWN(ost)
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
	wait_no_session(3000);
	cleanup_restore_all();
	snap_force(&baseline);
}




/* ================================================================== */
/* Status and reading                                                  */
/* ================================================================== */

TEST_F(ost, status_idle)
{
	struct ostune_status st;

	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ((uint32_t)OSTUNE_FAMILY_VERSION, st.version);
	EXPECT_NE(0, st.module_version[0]);
	EXPECT_EQ(0, st.has_session);
	EXPECT_EQ(0U, st.nheld);
	ostune_status_free(&st);
}

TEST_F(ost, get_knobs_match_files)
{
	static const char *const want[] = {
		K_MIG, K_NRM, "sched.latency_ns", "sched.min_granularity_ns",
		"sched.wakeup_granularity_ns", "sched.base_slice_ns",
		K_SWAP, K_DIRTY, K_DIRTYBG, K_SOMAX, K_RMEM, K_TIMERMIG,
	};
	struct ostune_knob_value out[ARRAY_SIZE(want)];
	const char *names[ARRAY_SIZE(want)];
	char file[VALBUF];
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(want); i++)
		if (knob_exists(want[i]))
			names[n++] = want[i];
	ASSERT_LE(8U, n);
	OK(&self->c, ostune_get_knobs(&self->c, names, n, out));
	for (i = 0; i < n; i++) {
		READ(names[i], file);
		EXPECT_STREQ(names[i], out[i].name);
		EXPECT_TRUE(val_eq(file, out[i].value))
			TH_LOG("%s: module says '%s', file says '%s'",
			       names[i], out[i].value, file);
	}
}

TEST_F(ost, get_knobs_unknown_enoent)
{
	const char *names[] = { K_SWAP, "sysctl.vm.ostune_no_such_knob" };
	struct ostune_knob_value out[2];

	CHECK_ERR(&self->c, ostune_get_knobs(&self->c, names, 2, out), ENOENT,
		  "entry 2");
}

TEST_F(ost, get_knobs_disallowed_eacces)
{
	const char *names[] = { "sysctl.kernel.core_pattern" };
	struct ostune_knob_value out[1];

	CHECK_ERR(&self->c, ostune_get_knobs(&self->c, names, 1, out), EACCES,
		  "entry 1");
}

/* ================================================================== */
/* Apply and restore, per class                                        */
/* ================================================================== */

/*
 * Applies every knob in names (present ones) as one kept transaction,
 * checks files and status, restores all and checks the originals.
 */
static void apply_restore_knobs(struct __test_metadata *_metadata,
				struct ostune_client *c,
				const char *const *names, size_t n)
{
	char orig[8][VALBUF], cur[VALBUF];
	struct ostune_kv kv[8];
	struct ostune_status st;
	uint32_t txn = 0;
	size_t i;

	ASSERT_GE(8U, n);
	for (i = 0; i < n; i++) {
		READ(names[i], orig[i]);
		kv[i].name = names[i];
		kv[i].value = NEWV(names[i]);
	}
	OK(c, ostune_apply(c, kv, n, &txn));
	EXPECT_NE(0U, txn);
	for (i = 0; i < n; i++)
		EXPECT_KNOB(names[i], kv[i].value);

	OK(c, ostune_get_status(c, &st));
	EXPECT_EQ(0, st.has_session);
	ASSERT_EQ(n, st.nheld);
	for (i = 0; i < n; i++) {
		const struct ostune_held_knob *h = &st.held[i];

		/* held in order of first change: request order here */
		EXPECT_STREQ(names[i], h->name);
		EXPECT_TRUE(val_eq(orig[i], h->original))
			TH_LOG("%s original '%s', file had '%s'", h->name,
			       h->original, orig[i]);
		READ(names[i], cur);
		EXPECT_TRUE(val_eq(cur, h->last_written))
			TH_LOG("%s last written '%s', file '%s'", h->name,
			       h->last_written, cur);
		EXPECT_TRUE(val_eq(cur, h->current));
		EXPECT_EQ(0U, h->flags & (OSTUNE_KNOB_F_SESSION | OSTUNE_KNOB_F_DRIFT));
	}
	ostune_status_free(&st);

	OK(c, ostune_restore(c, NULL, 0));
	for (i = 0; i < n; i++) {
		READ(names[i], cur);
		/* byte for byte, as the kernel prints it */
		EXPECT_STREQ(orig[i], cur);
	}
	OK(c, ostune_get_status(c, &st));
	EXPECT_EQ(0U, st.nheld);
	ostune_status_free(&st);
}

TEST_F(ost, apply_restore_sched)
{
	const char *names[] = { K_MIG, K_NRM };

	apply_restore_knobs(_metadata, &self->c, names, 2);
	ASSERT_UNCHANGED();
}

TEST_F(ost, apply_restore_sched_cfs)
{
	static const char *const all[] = {
		"sched.latency_ns", "sched.min_granularity_ns",
		"sched.wakeup_granularity_ns",
	};
	const char *names[3];
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(all); i++)
		if (knob_exists(all[i]))
			names[n++] = all[i];
	if (!n)
		SKIP(return, "no CFS latency_ns/min_granularity_ns/wakeup_granularity_ns (EEVDF kernel)");
	apply_restore_knobs(_metadata, &self->c, names, n);
	ASSERT_UNCHANGED();
}

TEST_F(ost, apply_restore_sched_eevdf)
{
	const char *names[] = { "sched.base_slice_ns" };

	if (!knob_exists(names[0]))
		SKIP(return, "no sched/base_slice_ns (CFS kernel)");
	apply_restore_knobs(_metadata, &self->c, names, 1);
	ASSERT_UNCHANGED();
}

TEST_F(ost, apply_restore_sched_subdir)
{
	const char *names[] = { "sched.numa_balancing.scan_delay_ms" };

	if (!knob_exists(names[0]))
		SKIP(return, "no sched/numa_balancing/scan_delay_ms");
	apply_restore_knobs(_metadata, &self->c, names, 1);
	ASSERT_UNCHANGED();
}

TEST_F(ost, apply_restore_sysctl_scalars)
{
	const char *names[] = { K_SWAP, K_DIRTY, K_DIRTYBG, K_SOMAX };

	apply_restore_knobs(_metadata, &self->c, names, 4);
	ASSERT_UNCHANGED();
}

TEST_F(ost, apply_restore_sysctl_vector)
{
	const char *names[] = { K_RMEM, "sysctl.net.ipv4.tcp_wmem" };

	apply_restore_knobs(_metadata, &self->c, names, 2);
	ASSERT_UNCHANGED();
}

/*
 * Not kernel.timer_migration nor kernel.sched_schedstats, which flip
 * static keys: under TCG the kernel patching its own text while the other
 * vCPU runs it can oops (6.12: an int3 in sched_balance_rq, twice in CI),
 * as tests/vm/run/tune.sh says too.
 */
TEST_F(ost, apply_restore_kernel_sysctls)
{
	static const char *const all[] = {
		"sysctl.kernel.sched_autogroup_enabled",
		"sysctl.kernel.sched_child_runs_first",
		"sysctl.kernel.sched_cfs_bandwidth_slice_us",
	};
	const char *names[ARRAY_SIZE(all)];
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(all); i++)
		if (knob_exists(all[i]))
			names[n++] = all[i];
	if (!n)
		SKIP(return, "no kernel.sched_* sysctls");
	apply_restore_knobs(_metadata, &self->c, names, n);
	ASSERT_UNCHANGED();
}

/* "012" reads back as "10": that is what ostune wrote, not drift. */
TEST_F(ost, canonical_readback_is_not_drift)
{
	char orig[VALBUF], written[16];
	const char *v = NEWV(K_SWAP);
	struct ostune_status st;

	READ(K_SWAP, orig);
	/* sysctls parse numbers with base 0: octal 012 is 10 */
	snprintf(written, sizeof(written), "0%o", atoi(v));
	OK(&self->c, apply1(&self->c, K_SWAP, written));
	ASSERT_KNOB(K_SWAP, v);
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1U, st.nheld);
	EXPECT_STREQ(v, st.held[0].last_written);
	EXPECT_EQ(0U, st.held[0].flags & OSTUNE_KNOB_F_DRIFT);
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_KNOB(K_SWAP, orig);
	ASSERT_UNCHANGED();
}

/* A vector written with odd whitespace reads back tab-separated. */
TEST_F(ost, vector_whitespace_is_not_drift)
{
	const char *odd = "4096   87380\t 4194304";
	struct ostune_status st;
	char orig[VALBUF];

	READ(K_RMEM, orig);
	if (val_eq(orig, odd))
		odd = "8192  131072   6291456";
	OK(&self->c, apply1(&self->c, K_RMEM, odd));
	ASSERT_KNOB(K_RMEM, odd);
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1U, st.nheld);
	EXPECT_EQ(0U, st.held[0].flags & OSTUNE_KNOB_F_DRIFT)
		TH_LOG("last written '%s', current '%s'", st.held[0].last_written,
		       st.held[0].current);
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
}

TEST_F(ost, txn_ids_increase)
{
	uint32_t t1 = 0, t2 = 0;
	struct ostune_kv kv1 = { K_SWAP, NEWV(K_SWAP) };
	struct ostune_kv kv2 = { K_NRM, NEWV(K_NRM) };

	OK(&self->c, ostune_apply(&self->c, &kv1, 1, &t1));
	OK(&self->c, ostune_apply(&self->c, &kv2, 1, &t2));
	EXPECT_NE(0U, t1);
	EXPECT_LT(t1, t2);
}

/* The original is taken at the first change only. */
TEST_F(ost, original_survives_reapply)
{
	char orig[VALBUF];
	const char *v1 = NEWV(K_SWAP), *v2 = NEWV2(K_SWAP, v1);
	struct ostune_status st;

	READ(K_SWAP, orig);
	OK(&self->c, apply1(&self->c, K_SWAP, v1));
	OK(&self->c, apply1(&self->c, K_SWAP, v2));
	ASSERT_KNOB(K_SWAP, v2);
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1U, st.nheld);
	EXPECT_TRUE(val_eq(orig, st.held[0].original));
	EXPECT_TRUE(val_eq(v2, st.held[0].last_written));
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_KNOB(K_SWAP, orig);
}

static void kept_child(struct cres *r, void *arg)
{
	const struct ostune_kv *kv = arg;
	struct ostune_client c;

	r->ret[0] = ostune_client_open(&c);
	if (!r->ret[0])
		r->ret[1] = ostune_apply(&c, kv, 2, NULL);
	snprintf(r->msg[1], sizeof(r->msg[1]), "%s", c.err_msg);
	/* exit without closing: the socket goes with the process */
}

TEST_F(ost, kept_survives_client_exit)
{
	struct ostune_kv kv[2] = {
		{ K_SWAP, NEWV(K_SWAP) }, { K_MIG, NEWV(K_MIG) },
	};
	struct cres *r = cres_new();
	struct ostune_status st;
	char o1[VALBUF], o2[VALBUF];
	size_t i;

	ASSERT_TRUE(r != NULL);
	READ(K_SWAP, o1);
	READ(K_MIG, o2);
	ASSERT_EQ(0, exit_code(run_in_child(kept_child, kv, r)));
	ASSERT_EQ(0, r->ret[0]);
	ASSERT_EQ(0, r->ret[1]) TH_LOG("apply in child: %s '%s'",
				       errname(r->ret[1]), r->msg[1]);
	/* the client is gone, its kept change is not */
	ASSERT_KNOB(K_SWAP, kv[0].value);
	ASSERT_KNOB(K_MIG, kv[1].value);
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(0, st.has_session);
	ASSERT_EQ(2U, st.nheld);
	for (i = 0; i < 2; i++)
		EXPECT_EQ(0U, st.held[i].flags & OSTUNE_KNOB_F_SESSION);
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_KNOB(K_SWAP, o1);
	ASSERT_KNOB(K_MIG, o2);
	ASSERT_IDLE(&self->c);
	cres_free(r);
}

TEST_F(ost, kept_survives_kill9)
{
	struct ostune_kv kv = { K_DIRTY, NEWV(K_DIRTY) };
	struct ostune_status st;

	ASSERT_EQ(0, owner_start(&self->own, 0, &kv, 1, false));
	ASSERT_KNOB(K_DIRTY, kv.value);
	owner_kill(&self->own);
	ASSERT_KNOB(K_DIRTY, kv.value);
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(0, st.has_session);
	EXPECT_EQ(1U, st.nheld);
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
}

TEST_F(ost, restore_named_only)
{
	struct ostune_kv kv[3] = {
		{ K_SWAP, NEWV(K_SWAP) }, { K_DIRTY, NEWV(K_DIRTY) },
		{ K_MIG, NEWV(K_MIG) },
	};
	const char *names[] = { K_DIRTY };
	struct ostune_status st;
	char orig[VALBUF];

	READ(K_DIRTY, orig);
	OK(&self->c, ostune_apply(&self->c, kv, 3, NULL));
	OK(&self->c, ostune_restore(&self->c, names, 1));
	ASSERT_KNOB(K_DIRTY, orig);
	ASSERT_KNOB(K_SWAP, kv[0].value);
	ASSERT_KNOB(K_MIG, kv[2].value);
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(2U, st.nheld);
	EXPECT_TRUE(status_find(&st, K_DIRTY) == NULL);
	EXPECT_TRUE(status_find(&st, K_SWAP) != NULL);
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
}

TEST_F(ost, restore_named_not_held_enoent)
{
	const char *v = NEWV(K_SWAP);
	const char *n1[] = { K_SOMAX };
	const char *n2[] = { K_SWAP, K_SOMAX };

	OK(&self->c, apply1(&self->c, K_SWAP, v));
	CHECK_ERR(&self->c, ostune_restore(&self->c, n1, 1), ENOENT, "entry 1");
	/* all or nothing: the held knob named first is not restored either */
	CHECK_ERR(&self->c, ostune_restore(&self->c, n2, 2), ENOENT, "entry 2");
	ASSERT_KNOB(K_SWAP, v);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
}

/* Restore walks the knobs in reverse order of their first change. */
TEST_F(ost, restore_order_is_reverse_of_first_change)
{
	struct ostune_kv t1[2] = { { K_SWAP, NEWV(K_SWAP) }, { K_MIG, NEWV(K_MIG) } };
	struct ostune_kv t2[2] = { { K_DIRTY, NEWV(K_DIRTY) }, { K_MIG, NULL } };
	struct ostune_event ev[8];
	int n;

	t2[1].value = NEWV2(K_MIG, t1[1].value);
	OK(&self->c, ostune_apply(&self->c, t1, 2, NULL));
	OK(&self->c, ostune_apply(&self->c, t2, 2, NULL));
	SUBSCRIBE();
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	n = events_collect(&self->ev, ev, 8, 3, 3000);
	ASSERT_EQ(3, n);
	/* first changes: swappiness, migration_cost_ns, dirty_ratio */
	EXPECT_STREQ(K_DIRTY, ev[0].name);
	EXPECT_STREQ(K_MIG, ev[1].name);
	EXPECT_STREQ(K_SWAP, ev[2].name);
	ASSERT_UNCHANGED();
}

/* Named restores walk the same order, whatever order the names come in. */
TEST_F(ost, restore_named_order_is_reverse)
{
	struct ostune_kv kv[3] = {
		{ K_SWAP, NEWV(K_SWAP) }, { K_MIG, NEWV(K_MIG) },
		{ K_DIRTY, NEWV(K_DIRTY) },
	};
	const char *names[] = { K_SWAP, K_DIRTY };
	struct ostune_event ev[8];
	int n;

	OK(&self->c, ostune_apply(&self->c, kv, 3, NULL));
	SUBSCRIBE();
	OK(&self->c, ostune_restore(&self->c, names, 2));
	n = events_collect(&self->ev, ev, 8, 2, 3000);
	ASSERT_EQ(2, n);
	EXPECT_STREQ(K_DIRTY, ev[0].name);
	EXPECT_STREQ(K_SWAP, ev[1].name);
	ASSERT_KNOB(K_MIG, kv[1].value);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
}

/* ================================================================== */
/* Held sessions                                                       */
/* ================================================================== */

TEST_F(ost, session_close_restores)
{
	struct ostune_kv kv[2] = { { K_SWAP, NEWV(K_SWAP) }, { K_MIG, NEWV(K_MIG) } };
	struct ostune_event ev[8];
	struct ostune_status st;
	size_t i;
	int n;

	SUBSCRIBE();
	OK(&self->c, ostune_session_open(&self->c, 10000));
	OK(&self->c, ostune_apply(&self->c, kv, 2, NULL));
	ASSERT_KNOB(K_SWAP, kv[0].value);
	ASSERT_KNOB(K_MIG, kv[1].value);
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(2U, st.nheld);
	for (i = 0; i < 2; i++)
		EXPECT_NE(0U, st.held[i].flags & OSTUNE_KNOB_F_SESSION);
	ostune_status_free(&st);
	OK(&self->c, ostune_session_close(&self->c));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
	n = events_collect(&self->ev, ev, 8, 4, 3000);
	EXPECT_EQ(4, n);
	EXPECT_LE(0, find_event(ev, n, K_SWAP, OSTUNE_REASON_SESSION_CLOSE));
	EXPECT_LE(0, find_event(ev, n, K_MIG, OSTUNE_REASON_SESSION_CLOSE));
}

/*
 * A session undoes its changes to the values they had when it began: a
 * kept value made before the session stays; RESTORE then goes all the way
 * back to the original.
 */
TEST_F(ost, session_undo_returns_to_session_start)
{
	const char *k1 = NEWV(K_SWAP), *s2 = NEWV2(K_SWAP, k1), *s3;
	const char *d = NEWV(K_DIRTY);
	const struct ostune_held_knob *h;
	char orig_swap[VALBUF], orig_dirty[VALBUF];
	struct ostune_status st;

	READ(K_SWAP, orig_swap);
	READ(K_DIRTY, orig_dirty);
	OK(&self->c, apply1(&self->c, K_SWAP, k1));	/* kept */
	OK(&self->c, ostune_session_open(&self->c, 10000));
	OK(&self->c, apply1(&self->c, K_SWAP, s2));
	s3 = NEWV2(K_SWAP, k1);
	OK(&self->c, apply1(&self->c, K_SWAP, s3));
	OK(&self->c, apply1(&self->c, K_DIRTY, d));
	ASSERT_KNOB(K_SWAP, s3);
	ASSERT_KNOB(K_DIRTY, d);
	OK(&self->c, ostune_session_close(&self->c));
	/* back to the session's start: the kept value and the original */
	ASSERT_KNOB(K_SWAP, k1);
	ASSERT_KNOB(K_DIRTY, orig_dirty);

	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(0, st.has_session);
	ASSERT_EQ(1U, st.nheld);
	h = status_find(&st, K_SWAP);
	ASSERT_TRUE(h != NULL);
	EXPECT_TRUE(val_eq(orig_swap, h->original));
	EXPECT_TRUE(val_eq(k1, h->last_written));
	EXPECT_EQ(0U, h->flags & (OSTUNE_KNOB_F_SESSION | OSTUNE_KNOB_F_DRIFT));
	ostune_status_free(&st);

	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_KNOB(K_SWAP, orig_swap);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* close() of the owner's socket undoes the session before it returns. */
TEST_F(ost, session_socket_close_restores)
{
	struct ostune_kv kv[3] = {
		{ K_SWAP, NEWV(K_SWAP) }, { K_NRM, NEWV(K_NRM) },
		{ K_RMEM, NEWV(K_RMEM) },
	};
	struct ostune_event ev[8];
	int n;

	SUBSCRIBE();
	OPEN_C2();
	OK(&self->c2, ostune_session_open(&self->c2, 10000));
	OK(&self->c2, ostune_apply(&self->c2, kv, 3, NULL));
	ASSERT_KNOB(K_NRM, kv[1].value);
	ostune_client_close(&self->c2);
	self->c2_open = false;
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
	n = events_collect(&self->ev, ev, 8, 6, 3000);
	EXPECT_EQ(3, count_reason(ev, n, OSTUNE_REASON_SOCKET_CLOSE));
}

/* RESTORE from the owner goes back to originals; the session forgets them. */
TEST_F(ost, session_owner_restore_goes_to_originals)
{
	const char *k1 = NEWV(K_SWAP), *s2 = NEWV2(K_SWAP, k1);
	const char *m = NEWV(K_MIG);
	struct ostune_status st;

	OK(&self->c, apply1(&self->c, K_SWAP, k1));	/* kept */
	OK(&self->c, ostune_session_open(&self->c, 10000));
	OK(&self->c, apply1(&self->c, K_SWAP, s2));
	OK(&self->c, apply1(&self->c, K_MIG, m));
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(1, st.has_session);
	EXPECT_EQ(0U, st.nheld);
	ostune_status_free(&st);
	/* nothing left for the session to undo */
	OK(&self->c, ostune_session_close(&self->c));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(ost, session_status_fields)
{
	const char *d = NEWV(K_DIRTY), *v = NEWV(K_SWAP);
	const struct ostune_held_knob *h;
	char orig_swap[VALBUF];
	struct ostune_status st;

	READ(K_SWAP, orig_swap);
	OK(&self->c, apply1(&self->c, K_DIRTY, d));	/* kept, first */
	OK(&self->c, ostune_session_open(&self->c, 5000));
	OK(&self->c, apply1(&self->c, K_SWAP, v));	/* held, second */
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1, st.has_session);
	EXPECT_NE(0U, st.session_id);
	EXPECT_EQ((uint32_t)self->pid, st.session_pid);
	EXPECT_STREQ(self->comm, st.session_comm);
	EXPECT_EQ(self->c.portid, st.session_portid);
	EXPECT_EQ(5000U, st.watchdog_ms);
	EXPECT_GE(5000U, st.remaining_ms);
	EXPECT_LT(0U, st.remaining_ms);
	ASSERT_EQ(2U, st.nheld);
	EXPECT_STREQ(K_DIRTY, st.held[0].name);
	EXPECT_STREQ(K_SWAP, st.held[1].name);
	EXPECT_EQ(0U, st.held[0].flags & OSTUNE_KNOB_F_SESSION);
	h = &st.held[1];
	EXPECT_NE(0U, h->flags & OSTUNE_KNOB_F_SESSION);
	EXPECT_EQ(0U, h->flags & OSTUNE_KNOB_F_DRIFT);
	EXPECT_TRUE(val_eq(orig_swap, h->original));
	EXPECT_TRUE(val_eq(v, h->last_written));
	EXPECT_TRUE(val_eq(v, h->current));
	ostune_status_free(&st);
}

TEST_F(ost, session_default_watchdog)
{
	struct ostune_status st;

	OK(&self->c, ostune_session_open(&self->c, 0));
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1, st.has_session);
	EXPECT_EQ(mod_default_watchdog_ms(), st.watchdog_ms);
	ostune_status_free(&st);
	OK(&self->c, ostune_session_close(&self->c));
}

TEST_F(ost, session_open_twice_keeps_session)
{
	struct ostune_status a, b;

	OK(&self->c, ostune_session_open(&self->c, 5000));
	OK(&self->c, ostune_get_status(&self->c, &a));
	EXPECT_GT(0, ostune_session_open(&self->c, 5000));
	EXPECT_NE(0, self->c.err_msg[0]);
	OK(&self->c, ostune_get_status(&self->c, &b));
	ASSERT_EQ(1, b.has_session);
	EXPECT_EQ(a.session_id, b.session_id);
	ostune_status_free(&a);
	ostune_status_free(&b);
}

TEST_F_TIMEOUT(ost, heartbeat_keeps_session_alive, 60)
{
	const char *v = NEWV(K_SWAP);
	struct ostune_status st;
	int i;

	OK(&self->c, ostune_session_open(&self->c, 300));
	OK(&self->c, apply1(&self->c, K_SWAP, v));
	for (i = 0; i < 10; i++) {
		sleep_ms(100);
		OK(&self->c, ostune_heartbeat(&self->c));
	}
	ASSERT_KNOB(K_SWAP, v);
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(1, st.has_session);
	EXPECT_EQ(300U, st.watchdog_ms);
	ostune_status_free(&st);
	OK(&self->c, ostune_session_close(&self->c));
	ASSERT_UNCHANGED();
}

TEST_F(ost, heartbeat_sets_new_lease)
{
	struct ostune_status st;
	struct nlmsghdr *nlh;

	OK(&self->c, ostune_session_open(&self->c, 1000));
	nlh = msg_start(&self->c, OSTUNE_CMD_HEARTBEAT);
	mnl_attr_put_u32(nlh, OSTUNE_A_WATCHDOG_MS, 7000);
	OK(&self->c, ostune_transact(&self->c, nlh, NULL, NULL));
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1, st.has_session);
	EXPECT_EQ(7000U, st.watchdog_ms);
	EXPECT_LT(1000U, st.remaining_ms);
	ostune_status_free(&st);
}

/*
 * No heartbeat: the lease runs out, the module restores, and the socket is
 * fenced: every write request from it fails with ETIMEDOUT.
 */
TEST_F_TIMEOUT(ost, watchdog_expiry_restores_and_fences, 60)
{
	struct ostune_kv kv[2] = { { K_SWAP, NEWV(K_SWAP) }, { K_MIG, NEWV(K_MIG) } };
	struct ostune_event ev[8];
	struct ostune_status st;
	char orig_swap[VALBUF], orig_mig[VALBUF];
	int n;

	READ(K_SWAP, orig_swap);
	READ(K_MIG, orig_mig);
	SUBSCRIBE();
	OK(&self->c, ostune_session_open(&self->c, 300));
	OK(&self->c, ostune_apply(&self->c, kv, 2, NULL));
	EXPECT_EQ(0, wait_knob(K_SWAP, orig_swap, 5000));
	EXPECT_EQ(0, wait_knob(K_MIG, orig_mig, 5000));
	ASSERT_UNCHANGED();
	EXPECT_EQ(0, wait_no_session(2000));

	n = events_collect(&self->ev, ev, 8, 4, 3000);
	EXPECT_LE(0, find_event(ev, n, K_SWAP, OSTUNE_REASON_WATCHDOG));
	EXPECT_LE(0, find_event(ev, n, K_MIG, OSTUNE_REASON_WATCHDOG));

	CHECK_ERR(&self->c, ostune_apply(&self->c, kv, 2, NULL), ETIMEDOUT, "expired");
	CHECK_ERR(&self->c, ostune_heartbeat(&self->c), ETIMEDOUT, NULL);
	CHECK_ERR(&self->c, ostune_session_open(&self->c, 1000), ETIMEDOUT, NULL);
	CHECK_ERR(&self->c, ostune_restore(&self->c, NULL, 0), ETIMEDOUT, NULL);
	CHECK_ERR(&self->c, ostune_session_close(&self->c), ETIMEDOUT, NULL);
	ASSERT_UNCHANGED();
	/* readers still work on a fenced socket */
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(0, st.has_session);
	ostune_status_free(&st);
	/* the fence is the socket's: another one may open a session */
	OPEN_C2();
	OK(&self->c2, ostune_session_open(&self->c2, 5000));
	OK(&self->c2, ostune_session_close(&self->c2));
}

/* Closing a fenced socket lifts the fence (its port id may be reused). */
TEST_F_TIMEOUT(ost, fence_lifts_when_socket_closes, 60)
{
	const char *v = NEWV(K_SWAP);
	char orig[VALBUF];
	uint32_t old_port = self->c.portid;

	READ(K_SWAP, orig);
	OK(&self->c, ostune_session_open(&self->c, 300));
	OK(&self->c, apply1(&self->c, K_SWAP, v));
	ASSERT_EQ(0, wait_knob(K_SWAP, orig, 5000));
	ASSERT_EQ(0, wait_no_session(2000));
	CHECK_ERR(&self->c, apply1(&self->c, K_SWAP, v), ETIMEDOUT, NULL);
	ostune_client_close(&self->c);
	ASSERT_EQ(0, ostune_client_open(&self->c));
	TH_LOG("fenced port %u, new port %u", old_port, self->c.portid);
	OK(&self->c, ostune_session_open(&self->c, 5000));
	OK(&self->c, apply1(&self->c, K_SWAP, v));
	ASSERT_KNOB(K_SWAP, v);
	OK(&self->c, ostune_session_close(&self->c));
	ASSERT_UNCHANGED();
}

/*
 * A socket stays fenced until it closes, even when a later session of
 * another socket expires too.
 */
TEST_F_TIMEOUT(ost, fence_survives_another_expiry, 60)
{
	const char *v = NEWV(K_SWAP), *d = NEWV(K_DIRTY);
	char orig_swap[VALBUF], orig_dirty[VALBUF];

	READ(K_SWAP, orig_swap);
	READ(K_DIRTY, orig_dirty);
	OK(&self->c, ostune_session_open(&self->c, 300));
	OK(&self->c, apply1(&self->c, K_SWAP, v));
	ASSERT_EQ(0, wait_knob(K_SWAP, orig_swap, 5000));
	ASSERT_EQ(0, wait_no_session(2000));

	OPEN_C2();
	OK(&self->c2, ostune_session_open(&self->c2, 300));
	OK(&self->c2, apply1(&self->c2, K_DIRTY, d));
	ASSERT_EQ(0, wait_knob(K_DIRTY, orig_dirty, 5000));
	ASSERT_EQ(0, wait_no_session(2000));

	CHECK_ERR(&self->c, apply1(&self->c, K_SWAP, v), ETIMEDOUT, "expired");
	CHECK_ERR(&self->c2, apply1(&self->c2, K_DIRTY, d), ETIMEDOUT, "expired");
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* In a session, a failed transaction leaves the earlier ones alone. */
TEST_F(ost, session_failed_txn_keeps_earlier_changes)
{
	const char *v = NEWV(K_SWAP);
	struct ostune_kv bad[3] = {
		{ K_DIRTY, NEWV(K_DIRTY) }, { K_SOMAX, NEWV(K_SOMAX) },
		{ K_SWAP, "1000" },
	};
	char orig_swap[VALBUF];
	struct ostune_status st;

	READ(K_SWAP, orig_swap);
	OK(&self->c, ostune_session_open(&self->c, 10000));
	OK(&self->c, apply1(&self->c, K_SWAP, v));
	CHECK_ERR(&self->c, ostune_apply(&self->c, bad, 3, NULL), EINVAL, "entry 3");
	ASSERT_KNOB(K_SWAP, v);
	ASSERT_KNOB(K_DIRTY, ORIG(K_DIRTY));
	ASSERT_KNOB(K_SOMAX, ORIG(K_SOMAX));
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(1U, st.nheld);
	EXPECT_TRUE(status_find(&st, K_SWAP) != NULL);
	ostune_status_free(&st);
	OK(&self->c, ostune_session_close(&self->c));
	ASSERT_KNOB(K_SWAP, orig_swap);
	ASSERT_UNCHANGED();
}

/* ================================================================== */
/* Owners that die or stall                                            */
/* ================================================================== */

/* kill -9 of the owner: by the time waitpid() returns, all is undone. */
TEST_F(ost, kill9_owner_restores)
{
	struct ostune_kv kv[3] = {
		{ K_SWAP, NEWV(K_SWAP) }, { K_MIG, NEWV(K_MIG) },
		{ K_RMEM, NEWV(K_RMEM) },
	};
	struct ostune_event ev[8];
	struct ostune_status st;
	pid_t owner;
	int n, i;

	SUBSCRIBE();
	ASSERT_EQ(0, owner_start(&self->own, 10000, kv, 3, true));
	owner = self->own.pid;
	for (i = 0; i < 3; i++)
		ASSERT_KNOB(kv[i].name, kv[i].value);
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1, st.has_session);
	EXPECT_EQ((uint32_t)owner, st.session_pid);
	ostune_status_free(&st);

	owner_kill(&self->own);		/* SIGKILL + waitpid */
	/* no polling: the undo has finished before the owner is reaped */
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);

	n = events_collect(&self->ev, ev, 8, 6, 3000);
	EXPECT_EQ(3, count_reason(ev, n, OSTUNE_REASON_APPLY));
	EXPECT_EQ(3, count_reason(ev, n, OSTUNE_REASON_SOCKET_CLOSE));
	i = find_event(ev, n, K_SWAP, OSTUNE_REASON_SOCKET_CLOSE);
	ASSERT_LE(0, i);
	EXPECT_EQ((uint32_t)owner, ev[i].pid);
	EXPECT_TRUE(val_eq(kv[0].value, ev[i].old));
	EXPECT_TRUE(val_eq(ORIG(K_SWAP), ev[i].value));
}

/* The owner changed a kept knob: its death goes back to the kept value. */
TEST_F(ost, kill9_owner_returns_to_kept_value)
{
	const char *k1 = NEWV(K_SWAP);
	struct ostune_kv kv = { K_SWAP, NEWV2(K_SWAP, k1) };
	const struct ostune_held_knob *h;
	struct ostune_status st;

	OK(&self->c, apply1(&self->c, K_SWAP, k1));	/* kept */
	ASSERT_EQ(0, owner_start(&self->own, 10000, &kv, 1, true));
	ASSERT_KNOB(K_SWAP, kv.value);
	owner_kill(&self->own);
	ASSERT_KNOB(K_SWAP, k1);
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(0, st.has_session);
	ASSERT_EQ(1U, st.nheld);
	h = &st.held[0];
	EXPECT_TRUE(val_eq(ORIG(K_SWAP), h->original));
	EXPECT_TRUE(val_eq(k1, h->last_written));
	EXPECT_EQ(0U, h->flags & OSTUNE_KNOB_F_SESSION);
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
}

TEST_F(ost, owner_exit_restores)
{
	struct ostune_kv kv[2] = { { K_DIRTYBG, NEWV(K_DIRTYBG) }, { K_NRM, NEWV(K_NRM) } };
	int status;

	ASSERT_EQ(0, owner_start(&self->own, 10000, kv, 2, true));
	ASSERT_KNOB(K_NRM, kv[1].value);
	ASSERT_EQ(0, owner_cmd(&self->own, 'x'));
	ASSERT_EQ(self->own.pid, waitpid(self->own.pid, &status, 0));
	close(self->own.cmd_fd);
	close(self->own.res_fd);
	self->own.pid = -1;
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

static bool proc_stopped(pid_t pid)
{
	char path[64], buf[512], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (file_read(path, buf, sizeof(buf)))
		return false;
	p = strrchr(buf, ')');
	return p && (p[2] == 'T' || p[2] == 't');
}

/*
 * A stalled owner (SIGSTOP) with a 300 ms lease: the watchdog restores while
 * it is still stopped; after SIGCONT its requests fail with ETIMEDOUT.
 * The child reports through its exit code, one bit per failed check.
 */
TEST_F_TIMEOUT(ost, sigstop_owner_watchdog_restores, 60)
{
	struct ostune_kv kv[2] = { { K_SWAP, NEWV(K_SWAP) }, { K_MIG, NEWV(K_MIG) } };
	struct ostune_event ev[8];
	int pfd[2], status, n;
	char res = 1;
	pid_t pid;

	SUBSCRIBE();
	ASSERT_EQ(0, pipe(pfd));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct ostune_client c;
		struct ostune_status st;
		int bad = 0;

		close(pfd[0]);
		res = ostune_client_open(&c) ||
		      ostune_session_open(&c, 300) ||
		      ostune_apply(&c, kv, 2, NULL);
		if (write(pfd[1], &res, 1) != 1 || res)
			_exit(100);
		raise(SIGSTOP);
		/* resumed, long after the lease ran out */
		if (ostune_apply(&c, kv, 2, NULL) != -ETIMEDOUT)
			bad |= 1;
		if (!strstr(c.err_msg, "expired"))
			bad |= 2;
		if (ostune_heartbeat(&c) != -ETIMEDOUT)
			bad |= 4;
		if (ostune_session_open(&c, 1000) != -ETIMEDOUT)
			bad |= 8;
		if (ostune_restore(&c, NULL, 0) != -ETIMEDOUT)
			bad |= 16;
		if (ostune_get_status(&c, &st))
			bad |= 32;
		_exit(bad);
	}
	self->child = pid;
	close(pfd[1]);
	ASSERT_EQ(1, read(pfd[0], &res, 1));
	close(pfd[0]);
	ASSERT_EQ(0, res) TH_LOG("child could not open a session and apply");
	ASSERT_EQ(pid, waitpid(pid, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));

	EXPECT_EQ(0, wait_knob(K_SWAP, ORIG(K_SWAP), 5000));
	EXPECT_EQ(0, wait_knob(K_MIG, ORIG(K_MIG), 5000));
	EXPECT_TRUE(proc_stopped(pid)) TH_LOG("the owner is not stopped any more");
	ASSERT_UNCHANGED();
	EXPECT_EQ(0, wait_no_session(2000));
	n = events_collect(&self->ev, ev, 8, 4, 3000);
	EXPECT_EQ(2, count_reason(ev, n, OSTUNE_REASON_APPLY));
	EXPECT_EQ(2, count_reason(ev, n, OSTUNE_REASON_WATCHDOG));

	kill(pid, SIGCONT);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	self->child = -1;
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child after SIGCONT: bits %#x (1 apply, 2 message, 4 heartbeat, 8 open, 16 restore, 32 status)",
		       WEXITSTATUS(status));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ================================================================== */
/* Module unload                                                       */
/* ================================================================== */

/* Reloads the module and reopens self->c, so teardown finds it. */

TEST_F_TIMEOUT(ost, rmmod_restores_held_and_kept, 90)
{
	struct ostune_kv kept[2] = { { K_SWAP, NEWV(K_SWAP) }, { K_MIG, NEWV(K_MIG) } };
	struct ostune_kv held[2] = { { K_DIRTY, NEWV(K_DIRTY) }, { K_NRM, NEWV(K_NRM) } };
	char want[512], line[512];
	int r, i;

	if (!getenv("OSTUNE_KO"))
		SKIP(return, "OSTUNE_KO is not set: could not load the module again");
	OK(&self->c, ostune_apply(&self->c, kept, 2, NULL));
	OPEN_C2();
	OK(&self->c2, ostune_session_open(&self->c2, 10000));
	OK(&self->c2, ostune_apply(&self->c2, held, 2, NULL));
	for (i = 0; i < 2; i++) {
		ASSERT_KNOB(kept[i].name, kept[i].value);
		ASSERT_KNOB(held[i].name, held[i].value);
	}
	KMSG();
	r = mod_unload();
	ASSERT_EQ(0, r) TH_LOG("rmmod ostune: %s", errname(r));
	ASSERT_FALSE(mod_loaded());
	/* everything back to the originals, kept changes included */
	ASSERT_UNCHANGED();
	for (i = 0; i < 2; i++) {
		snprintf(want, sizeof(want), "%s: %s -> %s (pid %d %s, restore: unload)",
			 kept[i].name, kept[i].value, ORIG(kept[i].name),
			 self->pid, self->comm);
		EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 1000))
			TH_LOG("no kernel log line '%s'", want);
	}
	RELOAD();
	ASSERT_IDLE(&self->c);
	/* and it works again */
	OK(&self->c, ostune_apply(&self->c, kept, 1, NULL));
	ASSERT_KNOB(kept[0].name, kept[0].value);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
}

TEST_F_TIMEOUT(ost, rmmod_leaves_external_change, 90)
{
	const char *v = NEWV(K_SWAP), *ext = NEWV2(K_SWAP, v);
	const char *m = NEWV(K_MIG);
	int r;

	if (!getenv("OSTUNE_KO"))
		SKIP(return, "OSTUNE_KO is not set: could not load the module again");
	OK(&self->c, apply1(&self->c, K_SWAP, v));
	OK(&self->c, apply1(&self->c, K_MIG, m));
	ASSERT_EQ(0, knob_write(K_SWAP, ext));
	r = mod_unload();
	ASSERT_EQ(0, r) TH_LOG("rmmod ostune: %s", errname(r));
	ASSERT_KNOB(K_SWAP, ext);
	ASSERT_KNOB(K_MIG, ORIG(K_MIG));
	RELOAD();
	ASSERT_IDLE(&self->c);
}

/* ================================================================== */
/* A second writer                                                     */
/* ================================================================== */

/* A session owned by a child process, holding swappiness. */
#define START_OWNER(kv) do {						\
	int __r = owner_start(&self->own, 10000, kv, 1, true);		\
	ASSERT_EQ(0, __r) TH_LOG("owner child: %s", errname(__r));	\
	snprintf(owner_pid, sizeof(owner_pid), "pid %d", self->own.pid); \
} while (0)

TEST_F(ost, second_writer_session_open_ebusy)
{
	struct ostune_kv kv = { K_SWAP, NEWV(K_SWAP) };
	struct ostune_status st;
	char owner_pid[32];

	START_OWNER(&kv);
	CHECK_ERR(&self->c, ostune_session_open(&self->c, 5000), EBUSY, owner_pid);
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1, st.has_session);
	EXPECT_EQ((uint32_t)self->own.pid, st.session_pid);
	ostune_status_free(&st);
	ASSERT_KNOB(K_SWAP, kv.value);
}

TEST_F(ost, second_writer_apply_ebusy)
{
	struct ostune_kv kv = { K_SWAP, NEWV(K_SWAP) };
	struct ostune_kv mine[2] = { { K_DIRTY, NEWV(K_DIRTY) }, { K_NRM, NEWV(K_NRM) } };
	char owner_pid[32];

	START_OWNER(&kv);
	CHECK_ERR(&self->c, ostune_apply(&self->c, mine, 2, NULL), EBUSY, owner_pid);
	ASSERT_KNOB(K_DIRTY, ORIG(K_DIRTY));
	ASSERT_KNOB(K_NRM, ORIG(K_NRM));
	ASSERT_KNOB(K_SWAP, kv.value);
	owner_kill(&self->own);
	ASSERT_UNCHANGED();
}

TEST_F(ost, second_writer_restore_ebusy)
{
	const char *m = NEWV(K_MIG);
	struct ostune_kv kv = { K_SWAP, NEWV(K_SWAP) };
	const char *names[] = { K_MIG };
	char owner_pid[32];

	OK(&self->c, apply1(&self->c, K_MIG, m));	/* kept, before the session */
	START_OWNER(&kv);
	CHECK_ERR(&self->c, ostune_restore(&self->c, NULL, 0), EBUSY, owner_pid);
	CHECK_ERR(&self->c, ostune_restore(&self->c, names, 1), EBUSY, owner_pid);
	ASSERT_KNOB(K_MIG, m);
	ASSERT_KNOB(K_SWAP, kv.value);
	owner_kill(&self->own);
	/* the owner's held change is undone, the kept one is not */
	ASSERT_KNOB(K_SWAP, ORIG(K_SWAP));
	ASSERT_KNOB(K_MIG, m);
}

TEST_F(ost, second_writer_heartbeat_close_ebusy)
{
	struct ostune_kv kv = { K_SWAP, NEWV(K_SWAP) };
	struct ostune_status st;
	char owner_pid[32];

	START_OWNER(&kv);
	CHECK_ERR(&self->c, ostune_heartbeat(&self->c), EBUSY, owner_pid);
	CHECK_ERR(&self->c, ostune_session_close(&self->c), EBUSY, owner_pid);
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(1, st.has_session);
	ostune_status_free(&st);
	ASSERT_KNOB(K_SWAP, kv.value);
	/* the owner itself can still heartbeat and close */
	EXPECT_EQ(0, owner_cmd(&self->own, 'h'));
	EXPECT_EQ(0, owner_cmd(&self->own, 'c'));
	ASSERT_UNCHANGED();
}

TEST_F(ost, second_writer_readers_work)
{
	struct ostune_kv kv = { K_SWAP, NEWV(K_SWAP) };
	const char *names[] = { K_SWAP, K_MIG };
	struct ostune_knob_value out[2];
	struct ostune_status st;
	char owner_pid[32];

	START_OWNER(&kv);
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1, st.has_session);
	EXPECT_EQ((uint32_t)self->own.pid, st.session_pid);
	EXPECT_STREQ(self->comm, st.session_comm);
	ASSERT_EQ(1U, st.nheld);
	EXPECT_NE(0U, st.held[0].flags & OSTUNE_KNOB_F_SESSION);
	ostune_status_free(&st);
	OK(&self->c, ostune_get_knobs(&self->c, names, 2, out));
	EXPECT_TRUE(val_eq(kv.value, out[0].value));
	EXPECT_TRUE(val_eq(ORIG(K_MIG), out[1].value));
}

/* Ownership is the socket's, not the process's. */
TEST_F(ost, second_socket_same_process_ebusy)
{
	char owner_pid[32];

	snprintf(owner_pid, sizeof(owner_pid), "pid %d", self->pid);
	OK(&self->c, ostune_session_open(&self->c, 10000));
	OPEN_C2();
	CHECK_ERR(&self->c2, apply1(&self->c2, K_SWAP, NEWV(K_SWAP)), EBUSY, owner_pid);
	CHECK_ERR(&self->c2, ostune_session_open(&self->c2, 1000), EBUSY, owner_pid);
	ASSERT_UNCHANGED();
}

/* ================================================================== */
/* Unprivileged callers                                                */
/* ================================================================== */

enum { OP_APPLY, OP_SESSION, OP_RESTORE, OP_READ, OP_EVENTS };

struct unpriv_arg {
	int op;
	bool keep_sys_admin_drop_only;	/* uid 0 without CAP_SYS_ADMIN */
	bool open_before_drop;
	const char *value;
};

static void record(struct cres *r, int i, int ret, const struct ostune_client *c)
{
	r->ret[i] = ret;
	snprintf(r->msg[i], sizeof(r->msg[i]), "%s", c->err_msg);
}

static void unpriv_child(struct cres *r, void *p)
{
	const struct unpriv_arg *a = p;
	struct ostune_kv kv = { K_SWAP, a->value };
	const char *names[] = { K_SWAP, K_MIG };
	struct ostune_knob_value out[2];
	struct ostune_client c;
	struct ostune_status st;
	struct ostune_event ev;
	int ret;

	/* setup failures go to ret[7] */
	memset(&c, 0, sizeof(c));
	ret = a->open_before_drop ? ostune_client_open(&c) : 0;
	if (!ret)
		ret = a->keep_sys_admin_drop_only ? drop_cap_sys_admin() :
						    drop_to_nobody();
	if (!ret && !a->open_before_drop)
		ret = ostune_client_open(&c);
	if (ret) {
		r->ret[7] = ret;
		return;
	}
	switch (a->op) {
	case OP_APPLY:
		record(r, 0, ostune_apply(&c, &kv, 1, NULL), &c);
		break;
	case OP_SESSION:
		record(r, 0, ostune_session_open(&c, 5000), &c);
		record(r, 1, ostune_heartbeat(&c), &c);
		record(r, 2, ostune_session_close(&c), &c);
		break;
	case OP_RESTORE:
		record(r, 0, ostune_restore(&c, NULL, 0), &c);
		record(r, 1, ostune_restore(&c, names, 1), &c);
		break;
	case OP_READ:
		ret = ostune_get_status(&c, &st);
		record(r, 0, ret, &c);
		if (!ret) {
			snprintf(r->val[0], sizeof(r->val[0]), "%u %zu",
				 st.held_count, st.nheld);
			ostune_status_free(&st);
		}
		ret = ostune_get_knobs(&c, names, 1, out);
		record(r, 1, ret, &c);
		if (!ret)
			snprintf(r->val[1], sizeof(r->val[1]), "%s", out[0].value);
		ret = ostune_get_knobs(&c, names + 1, 1, out + 1);
		record(r, 2, ret, &c);
		if (!ret)
			snprintf(r->val[2], sizeof(r->val[2]), "%s", out[1].value);
		break;
	case OP_EVENTS:
		ret = ostune_subscribe_events(&c);
		record(r, 0, ret, &c);
		r->ready = 1;
		if (!ret) {
			ret = ostune_next_event(&c, &ev, 5000);
			r->ret[1] = ret;
			if (ret == 1)
				snprintf(r->val[1], sizeof(r->val[1]), "%s=%s",
					 ev.name, ev.value);
		}
		break;
	}
	ostune_client_close(&c);
}

#define RUN_UNPRIV(arg) ({						\
	struct cres *__r = cres_new();					\
	ASSERT_TRUE(__r != NULL);					\
	ASSERT_EQ(0, exit_code(run_in_child(unpriv_child, arg, __r)));	\
	ASSERT_EQ(0, __r->ret[7]) TH_LOG("dropping privileges: %s",	\
					 errname(__r->ret[7]));		\
	__r; })

TEST_F(ost, unpriv_apply_eperm)
{
	struct unpriv_arg a = { .op = OP_APPLY, .value = NEWV(K_SWAP) };
	struct cres *r = RUN_UNPRIV(&a);

	EXPECT_EQ(-EPERM, r->ret[0]) TH_LOG("apply as nobody: %s '%s'",
					    errname(r->ret[0]), r->msg[0]);
	/* genetlink's GENL_ADMIN_PERM check answers before ostune can */
	if (!r->msg[0][0])
		TH_LOG("note: EPERM without an extack message");
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(ost, unpriv_session_eperm)
{
	struct unpriv_arg a = { .op = OP_SESSION };
	struct cres *r = RUN_UNPRIV(&a);
	int i;

	for (i = 0; i < 3; i++)
		EXPECT_EQ(-EPERM, r->ret[i]) TH_LOG("op %d as nobody: %s '%s'",
						    i, errname(r->ret[i]), r->msg[i]);
	ASSERT_IDLE(&self->c);
}

TEST_F(ost, unpriv_restore_eperm)
{
	struct unpriv_arg a = { .op = OP_RESTORE };
	const char *v = NEWV(K_SWAP);
	struct cres *r;

	OK(&self->c, apply1(&self->c, K_SWAP, v));	/* kept */
	r = RUN_UNPRIV(&a);
	EXPECT_EQ(-EPERM, r->ret[0]) TH_LOG("restore all: %s", errname(r->ret[0]));
	EXPECT_EQ(-EPERM, r->ret[1]) TH_LOG("restore named: %s", errname(r->ret[1]));
	ASSERT_KNOB(K_SWAP, v);
}

/*
 * Values need the privilege that changing them needs: an unprivileged
 * caller learns how many knobs are held, not their values, and reads no
 * knob through the module.
 */
TEST_F(ost, unpriv_readers_see_no_values)
{
	struct unpriv_arg a = { .op = OP_READ };
	const char *v = NEWV(K_SWAP), *m = NEWV(K_MIG);
	struct cres *r;

	OK(&self->c, apply1(&self->c, K_SWAP, v));
	OK(&self->c, apply1(&self->c, K_MIG, m));
	r = RUN_UNPRIV(&a);
	EXPECT_EQ(0, r->ret[0]) TH_LOG("status as nobody: %s '%s'",
				       errname(r->ret[0]), r->msg[0]);
	/* two held, none of them sent */
	EXPECT_STREQ("2 0", r->val[0]);
	EXPECT_EQ(-EPERM, r->ret[1]) TH_LOG("get sysctl as nobody: %s '%s'",
					    errname(r->ret[1]), r->val[1]);
	EXPECT_EQ(-EPERM, r->ret[2]) TH_LOG("get sched knob as nobody: %s '%s'",
					    errname(r->ret[2]), r->val[2]);
	EXPECT_STREQ("", r->val[1]);
	EXPECT_STREQ("", r->val[2]);
}

/* uid 0 with CAP_NET_ADMIN but without CAP_SYS_ADMIN: the module refuses. */
TEST_F(ost, no_cap_sys_admin_eperm)
{
	struct unpriv_arg a = {
		.op = OP_APPLY, .keep_sys_admin_drop_only = true,
		.value = NEWV(K_SWAP),
	};
	struct unpriv_arg s = { .op = OP_SESSION, .keep_sys_admin_drop_only = true };
	struct cres *r = RUN_UNPRIV(&a);

	EXPECT_EQ(-EPERM, r->ret[0]) TH_LOG("apply: %s", errname(r->ret[0]));
	EXPECT_TRUE(strstr(r->msg[0], "CAP_SYS_ADMIN") != NULL)
		TH_LOG("extack '%s'", r->msg[0]);
	r = RUN_UNPRIV(&s);
	EXPECT_EQ(-EPERM, r->ret[0]) TH_LOG("session open: %s", errname(r->ret[0]));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* A socket opened by root and used after dropping privileges. */
TEST_F(ost, unpriv_inherited_socket_eperm)
{
	struct unpriv_arg a = {
		.op = OP_APPLY, .open_before_drop = true, .value = NEWV(K_SWAP),
	};
	struct cres *r = RUN_UNPRIV(&a);

	EXPECT_EQ(-EPERM, r->ret[0]) TH_LOG("apply: %s", errname(r->ret[0]));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* Events carry values: the group is for CAP_SYS_ADMIN only. */
TEST_F(ost, unpriv_events_subscriber_eperm)
{
	struct unpriv_arg a = { .op = OP_EVENTS };
	struct cres *r = RUN_UNPRIV(&a);

	EXPECT_EQ(-EPERM, r->ret[0]) TH_LOG("subscribe as nobody: %s",
					    errname(r->ret[0]));
	EXPECT_EQ(0, r->ret[1]) TH_LOG("an event reached nobody");
	cres_free(r);
}

/* ================================================================== */
/* Admin changes win                                                   */
/* ================================================================== */

TEST_F(ost, drift_kept_restore_leaves_external)
{
	const char *v = NEWV(K_SWAP), *ext = NEWV2(K_SWAP, v), *m = NEWV(K_MIG);
	const struct ostune_held_knob *h;
	struct ostune_event ev[8];
	struct ostune_status st;
	char want[512], line[512];
	int n, i;

	OK(&self->c, apply1(&self->c, K_SWAP, v));
	OK(&self->c, apply1(&self->c, K_MIG, m));
	ASSERT_EQ(0, knob_write(K_SWAP, ext));	/* the admin */

	OK(&self->c, ostune_get_status(&self->c, &st));
	h = status_find(&st, K_SWAP);
	ASSERT_TRUE(h != NULL);
	EXPECT_NE(0U, h->flags & OSTUNE_KNOB_F_DRIFT);
	EXPECT_TRUE(val_eq(ext, h->current));
	EXPECT_TRUE(val_eq(v, h->last_written));
	h = status_find(&st, K_MIG);
	ASSERT_TRUE(h != NULL);
	EXPECT_EQ(0U, h->flags & OSTUNE_KNOB_F_DRIFT);
	ostune_status_free(&st);

	SUBSCRIBE();
	KMSG();
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_KNOB(K_SWAP, ext);		/* the admin's value survives */
	ASSERT_KNOB(K_MIG, ORIG(K_MIG));
	ASSERT_IDLE(&self->c);

	n = events_collect(&self->ev, ev, 8, 2, 3000);
	i = find_event(ev, n, K_SWAP, OSTUNE_REASON_REQUEST);
	ASSERT_LE(0, i);
	EXPECT_NE(0U, ev[i].flags & OSTUNE_KNOB_F_EXTERNAL);
	i = find_event(ev, n, K_MIG, OSTUNE_REASON_REQUEST);
	ASSERT_LE(0, i);
	EXPECT_EQ(0U, ev[i].flags & OSTUNE_KNOB_F_EXTERNAL);

	/* the "ostune: " prefix is kmsg_apply_line's business */
	snprintf(want, sizeof(want), "%s: left at %s, changed externally (ostune wrote %s",
		 K_SWAP, ext, v);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 1000))
		TH_LOG("no kernel log line '%s'", want);
}

TEST_F(ost, drift_session_close_leaves_external)
{
	const char *v = NEWV(K_DIRTY), *ext = NEWV2(K_DIRTY, v), *m = NEWV(K_NRM);
	struct ostune_kv kv[2] = { { K_DIRTY, v }, { K_NRM, m } };
	struct ostune_event ev[8];
	int n, i;

	SUBSCRIBE();
	OK(&self->c, ostune_session_open(&self->c, 10000));
	OK(&self->c, ostune_apply(&self->c, kv, 2, NULL));
	ASSERT_EQ(0, knob_write(K_DIRTY, ext));
	OK(&self->c, ostune_session_close(&self->c));
	ASSERT_KNOB(K_DIRTY, ext);
	ASSERT_KNOB(K_NRM, ORIG(K_NRM));
	ASSERT_IDLE(&self->c);
	n = events_collect(&self->ev, ev, 8, 4, 3000);
	i = find_event(ev, n, K_DIRTY, OSTUNE_REASON_SESSION_CLOSE);
	ASSERT_LE(0, i);
	EXPECT_NE(0U, ev[i].flags & OSTUNE_KNOB_F_EXTERNAL);
}

TEST_F(ost, drift_sched_knob)
{
	const char *v = NEWV(K_NRM), *ext = NEWV2(K_NRM, v);
	const char *names[] = { K_NRM };
	struct ostune_status st;

	OK(&self->c, apply1(&self->c, K_NRM, v));
	ASSERT_EQ(0, knob_write(K_NRM, ext));
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1U, st.nheld);
	EXPECT_NE(0U, st.held[0].flags & OSTUNE_KNOB_F_DRIFT);
	EXPECT_TRUE(val_eq(ext, st.held[0].current));
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, names, 1));
	ASSERT_KNOB(K_NRM, ext);
	ASSERT_IDLE(&self->c);
}

/* An admin who put the original back is not overridden either. */
TEST_F(ost, drift_back_to_original_is_left)
{
	const char *v = NEWV(K_SOMAX);
	struct ostune_event ev[4];
	int n;

	OK(&self->c, apply1(&self->c, K_SOMAX, v));
	ASSERT_EQ(0, knob_write(K_SOMAX, ORIG(K_SOMAX)));
	SUBSCRIBE();
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_KNOB(K_SOMAX, ORIG(K_SOMAX));
	ASSERT_IDLE(&self->c);
	n = events_collect(&self->ev, ev, 4, 1, 3000);
	ASSERT_EQ(1, n);
	EXPECT_NE(0U, ev[0].flags & OSTUNE_KNOB_F_EXTERNAL);
}

/* ================================================================== */
/* Atomic transactions                                                 */
/* ================================================================== */

/*
 * Builds APPLY with three entries, the third (name3, value3); sends it
 * through the client and again on a raw socket to check that the bad
 * attribute offset lies inside the third nest.
 */
static void apply_third_fails(struct __test_metadata *_metadata,
			      FIXTURE_DATA(ost) *self, const char *name3,
			      const char *value3, int want_errno)
{
	struct ostune_kv kv[2] = {
		{ K_MIG, NEWV(K_MIG) }, { K_DIRTY, NEWV(K_DIRTY) },
	};
	struct nlmsghdr *nlh;
	struct nlattr *n3;
	uint32_t lo, hi;
	struct xack ack;
	int ret;

	nlh = msg_start(&self->c, OSTUNE_CMD_APPLY);
	put_knob(nlh, kv[0].name, kv[0].value);
	put_knob(nlh, kv[1].name, kv[1].value);
	n3 = mnl_attr_nest_start(nlh, OSTUNE_A_KNOB);
	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_NAME, name3);
	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_VALUE, value3);
	mnl_attr_nest_end(nlh, n3);
	lo = (char *)n3 - (char *)nlh;
	hi = lo + n3->nla_len;

	CHECK_ERR(&self->c, ostune_transact(&self->c, nlh, NULL, NULL),
		  want_errno, "entry 3");
	EXPECT_TRUE(self->c.err_attr_type == OSTUNE_A_KNOB ||
		    self->c.err_attr_type == OSTUNE_A_KNOB_NAME ||
		    self->c.err_attr_type == OSTUNE_A_KNOB_VALUE)
		TH_LOG("bad attribute type %u", self->c.err_attr_type);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);

	ret = xt_transact(self->c.family_id, nlh, &ack);
	EXPECT_EQ(-want_errno, ret);
	EXPECT_TRUE(ack.has_offs) TH_LOG("no bad-attribute offset");
	EXPECT_TRUE(ack.offs >= lo && ack.offs < hi)
		TH_LOG("bad attribute at %u, entry 3 spans [%u, %u)", ack.offs, lo, hi);
	ASSERT_UNCHANGED();
}

TEST_F(ost, atomic_unknown_knob_third)
{
	apply_third_fails(_metadata, self, "sysctl.vm.ostune_no_such_knob", "1", ENOENT);
}

TEST_F(ost, atomic_bad_number_third)
{
	apply_third_fails(_metadata, self, K_NRM, "abc", EINVAL);
}

/* Only the sysctl's own handler refuses 1000: the failure is at write time. */
TEST_F(ost, atomic_write_failure_third_rolls_back)
{
	struct ostune_event ev[4];
	int n;

	SUBSCRIBE();
	apply_third_fails(_metadata, self, K_SWAP, "1000", EINVAL);
	/* nothing was committed, so nothing was announced */
	n = events_collect(&self->ev, ev, 4, 0, 300);
	EXPECT_EQ(0, count_reason(ev, n, OSTUNE_REASON_APPLY));
}

/* A rolled-back knob that was already kept goes back to its kept value. */
TEST_F(ost, atomic_write_failure_keeps_kept_value)
{
	const char *k1 = NEWV(K_SWAP);
	struct ostune_kv kv[3] = {
		{ K_SWAP, NULL }, { K_DIRTYBG, NEWV(K_DIRTYBG) },
		{ K_SOMAX, "-5" },
	};
	const struct ostune_held_knob *h;
	struct ostune_status st;

	kv[0].value = NEWV2(K_SWAP, k1);
	OK(&self->c, apply1(&self->c, K_SWAP, k1));
	CHECK_ERR(&self->c, ostune_apply(&self->c, kv, 3, NULL), EINVAL, "entry 3");
	ASSERT_KNOB(K_SWAP, k1);
	ASSERT_KNOB(K_DIRTYBG, ORIG(K_DIRTYBG));
	ASSERT_KNOB(K_SOMAX, ORIG(K_SOMAX));
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1U, st.nheld);
	h = status_find(&st, K_SWAP);
	ASSERT_TRUE(h != NULL);
	EXPECT_TRUE(val_eq(k1, h->last_written));
	EXPECT_EQ(0U, h->flags & OSTUNE_KNOB_F_DRIFT);
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
}

TEST_F(ost, atomic_vector_write_failure)
{
	struct ostune_kv kv[2] = {
		{ K_SOMAX, NEWV(K_SOMAX) }, { K_RMEM, "abc def ghi" },
	};

	CHECK_ERR(&self->c, ostune_apply(&self->c, kv, 2, NULL), EINVAL, "entry 2");
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/*
 * A value the sysctl's handler takes only part of: it stores the numbers
 * its vector holds and stops, so the write returns short. The value was
 * refused as given (EINVAL, as for any value the handler refuses, not
 * EIO), and what the handler stored is rolled back with the rest.
 */
TEST_F(ost, atomic_partial_write_third_einval)
{
	apply_third_fails(_metadata, self, K_SWAP, "1 0", EINVAL);
}

TEST_F(ost, atomic_partial_vector_write_third_einval)
{
	apply_third_fails(_metadata, self, K_RMEM, "8192 65536 2097152 1",
			  EINVAL);
}

/* ================================================================== */
/* Malformed and refused requests: errno, extack, nothing changed      */
/* ================================================================== */

#define REJECTS(nlh, want, sub) do {					\
	CHECK_ERR(&self->c, ostune_transact(&self->c, nlh, NULL, NULL),	\
		  want, sub);						\
	ASSERT_UNCHANGED();						\
	ASSERT_IDLE(&self->c);						\
} while (0)

/* One KNOB entry through the client, refused with want. */
#define APPLY_REJECTS(name, value, want, sub) do {			\
	CHECK_ERR(&self->c, apply1(&self->c, name, value), want, sub);	\
	ASSERT_UNCHANGED();						\
	ASSERT_IDLE(&self->c);						\
} while (0)

TEST_F(ost, apply_without_knob_einval)
{
	REJECTS(msg_start(&self->c, OSTUNE_CMD_APPLY), EINVAL, NULL);
}

TEST_F(ost, knob_without_name_einval)
{
	struct nlmsghdr *nlh = msg_start(&self->c, OSTUNE_CMD_APPLY);

	put_knob(nlh, NULL, "10");
	REJECTS(nlh, EINVAL, "entry 1");
}

TEST_F(ost, knob_without_value_einval)
{
	struct nlmsghdr *nlh = msg_start(&self->c, OSTUNE_CMD_APPLY);

	put_knob(nlh, K_SWAP, NEWV(K_SWAP));
	put_knob(nlh, K_DIRTY, NULL);
	REJECTS(nlh, EINVAL, "entry 2");
}

TEST_F(ost, knob_not_nested_einval)
{
	struct nlmsghdr *nlh = msg_start(&self->c, OSTUNE_CMD_APPLY);

	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB, K_SWAP);
	REJECTS(nlh, EINVAL, NULL);
}

TEST_F(ost, unknown_top_level_attr_einval)
{
	struct nlmsghdr *nlh = msg_start(&self->c, OSTUNE_CMD_APPLY);

	put_knob(nlh, K_SWAP, NEWV(K_SWAP));
	mnl_attr_put_u32(nlh, OSTUNE_A_MAX + 10, 1);
	REJECTS(nlh, EINVAL, NULL);
}

/* An attribute the family knows but APPLY does not take. */
TEST_F(ost, foreign_top_level_attr_einval)
{
	struct nlmsghdr *nlh = msg_start(&self->c, OSTUNE_CMD_APPLY);

	put_knob(nlh, K_SWAP, NEWV(K_SWAP));
	mnl_attr_put_u32(nlh, OSTUNE_A_TXN_ID, 1);
	REJECTS(nlh, EINVAL, NULL);
}

TEST_F(ost, unknown_nested_attr_einval)
{
	struct nlmsghdr *nlh = msg_start(&self->c, OSTUNE_CMD_APPLY);
	struct nlattr *nest = mnl_attr_nest_start(nlh, OSTUNE_A_KNOB);

	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_NAME, K_SWAP);
	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_VALUE, NEWV(K_SWAP));
	mnl_attr_put_u32(nlh, OSTUNE_A_KNOB_MAX + 10, 1);
	mnl_attr_nest_end(nlh, nest);
	REJECTS(nlh, EINVAL, NULL);
}

TEST_F(ost, name_as_u32_einval)
{
	struct nlmsghdr *nlh = msg_start(&self->c, OSTUNE_CMD_APPLY);
	struct nlattr *nest = mnl_attr_nest_start(nlh, OSTUNE_A_KNOB);

	mnl_attr_put_u32(nlh, OSTUNE_A_KNOB_NAME, 0x61616161);
	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_VALUE, "10");
	mnl_attr_nest_end(nlh, nest);
	REJECTS(nlh, EINVAL, NULL);
}

TEST_F(ost, name_not_nul_terminated_einval)
{
	struct nlmsghdr *nlh = msg_start(&self->c, OSTUNE_CMD_APPLY);
	struct nlattr *nest = mnl_attr_nest_start(nlh, OSTUNE_A_KNOB);

	mnl_attr_put(nlh, OSTUNE_A_KNOB_NAME, strlen(K_SWAP), K_SWAP);
	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_VALUE, NEWV(K_SWAP));
	mnl_attr_nest_end(nlh, nest);
	REJECTS(nlh, EINVAL, NULL);
}

TEST_F(ost, value_not_nul_terminated_einval)
{
	struct nlmsghdr *nlh = msg_start(&self->c, OSTUNE_CMD_APPLY);
	struct nlattr *nest = mnl_attr_nest_start(nlh, OSTUNE_A_KNOB);
	const char *v = NEWV(K_SWAP);

	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_NAME, K_SWAP);
	mnl_attr_put(nlh, OSTUNE_A_KNOB_VALUE, strlen(v), v);
	mnl_attr_nest_end(nlh, nest);
	REJECTS(nlh, EINVAL, NULL);
}

TEST_F(ost, watchdog_wrong_length_einval)
{
	struct nlmsghdr *nlh = msg_start(&self->c, OSTUNE_CMD_SESSION_OPEN);

	mnl_attr_put_u16(nlh, OSTUNE_A_WATCHDOG_MS, 1000);
	REJECTS(nlh, EINVAL, NULL);
}

TEST_F(ost, name_too_long_einval)
{
	char name[OSTUNE_NAME_MAX + 1];

	/* OSTUNE_NAME_MAX characters: no room for the NUL */
	memset(name, 'a', sizeof(name));
	memcpy(name, "sysctl.vm.", 10);
	name[OSTUNE_NAME_MAX] = '\0';
	APPLY_REJECTS(name, "1", EINVAL, NULL);
}

/* OSTUNE_NAME_MAX - 1 characters fit: a well formed, unknown knob. */
TEST_F(ost, name_longest_is_unknown_enoent)
{
	char name[OSTUNE_NAME_MAX];

	memset(name, 'a', sizeof(name));
	memcpy(name, "sysctl.vm.", 10);
	name[OSTUNE_NAME_MAX - 1] = '\0';
	APPLY_REJECTS(name, "1", ENOENT, "entry 1");
}

TEST_F(ost, value_too_long_einval)
{
	char value[OSTUNE_VALUE_MAX + 1];

	memset(value, '1', sizeof(value));
	value[OSTUNE_VALUE_MAX] = '\0';
	APPLY_REJECTS(K_SWAP, value, EINVAL, NULL);
}

TEST_F(ost, unknown_knob_enoent)
{
	APPLY_REJECTS("sysctl.vm.ostune_no_such_knob", "1", ENOENT, "entry 1");
	APPLY_REJECTS("sched.ostune_no_such_knob", "1", ENOENT, "entry 1");
}

TEST_F(ost, unknown_class_enoent)
{
	APPLY_REJECTS("nosuchclass.vm.swappiness", "10", ENOENT, "entry 1");
}

TEST_F(ost, bad_syntax_slash_einval)
{
	APPLY_REJECTS("sysctl.vm/../x", "1", EINVAL, "entry 1");
	APPLY_REJECTS("sysctl.vm/swappiness", "10", EINVAL, "entry 1");
}

TEST_F(ost, bad_syntax_empty_component_einval)
{
	APPLY_REJECTS("sysctl..vm", "1", EINVAL, "entry 1");
	APPLY_REJECTS("sysctl.vm..swappiness", "10", EINVAL, "entry 1");
	APPLY_REJECTS("sysctl.vm.swappiness.", "10", EINVAL, "entry 1");
	APPLY_REJECTS("sysctl.", "10", EINVAL, "entry 1");
}

TEST_F(ost, bad_syntax_upper_case_einval)
{
	APPLY_REJECTS("sysctl.VM.swappiness", "10", EINVAL, "entry 1");
	APPLY_REJECTS("sched.Nr_migrate", "10", EINVAL, "entry 1");
}

TEST_F(ost, bad_syntax_no_class_einval)
{
	APPLY_REJECTS("swappiness", "10", EINVAL, "entry 1");
	APPLY_REJECTS("", "10", EINVAL, "entry 1");
}

TEST_F(ost, disallowed_sysctl_eacces)
{
	APPLY_REJECTS("sysctl.kernel.modprobe", "/bin/true", EACCES, "entry 1");
	APPLY_REJECTS("sysctl.kernel.core_pattern", "core", EACCES, "entry 1");
	APPLY_REJECTS("sysctl.kernel.usermodehelper.bset", "0 0", EACCES, "entry 1");
	APPLY_REJECTS("sysctl.fs.file-max", "100000", ENOENT, "not a tuning sysctl");
	APPLY_REJECTS("sysctl.kernel.sysrq", "1", EACCES, "entry 1");
}

TEST_F(ost, write_only_sysctl_refused)
{
	int ret = apply1(&self->c, "sysctl.vm.drop_caches", "3");

	EXPECT_TRUE(is_one_of(ret, EACCES, EINVAL, EPERM))
		TH_LOG("vm.drop_caches: %s '%s'", errname(ret), self->c.err_msg);
	EXPECT_NE(0, self->c.err_msg[0]);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(ost, read_only_sysctl_refused)
{
	const char *k = "sysctl.net.ipv4.tcp_available_congestion_control";
	int ret;

	if (!knob_exists(k))
		SKIP(return, "no %s", k);
	/* not a tuning sysctl (ENOENT), and could not be held anyway */
	ret = apply1(&self->c, k, "reno");
	EXPECT_TRUE(is_one_of(ret, ENOENT, EACCES, EINVAL))
		TH_LOG("%s: %s '%s'", k, errname(ret), self->c.err_msg);
	EXPECT_NE(0, self->c.err_msg[0]);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(ost, sched_bad_numbers)
{
	APPLY_REJECTS(K_NRM, "abc", EINVAL, "entry 1");
	APPLY_REJECTS(K_NRM, "-1", EINVAL, "entry 1");
	APPLY_REJECTS(K_NRM, "", EINVAL, "entry 1");
	APPLY_REJECTS(K_NRM, "1.5", EINVAL, "entry 1");
	APPLY_REJECTS(K_MIG, "99999999999", ERANGE, "entry 1");
	APPLY_REJECTS(K_MIG, "4294967296", ERANGE, "entry 1");
}

/* Only u32 attributes are knobs. */
TEST_F(ost, sched_non_u32_files_refused)
{
	static const char *const files[] = {
		"sched.features", "sched.verbose", "sched.tunable_scaling",
		"sched.preempt", "sched.debug",
	};
	size_t i, tried = 0;
	int ret;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		if (!knob_exists(files[i]))
			continue;
		tried++;
		ret = apply1(&self->c, files[i], "1");
		EXPECT_TRUE(is_one_of(ret, ENOENT, EACCES, EINVAL))
			TH_LOG("%s: %s '%s'", files[i], errname(ret), self->c.err_msg);
		EXPECT_NE(0, self->c.err_msg[0]);
	}
	if (!tried)
		SKIP(return, "no non-u32 files in sched debugfs");
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(ost, sysctl_empty_value_einval)
{
	APPLY_REJECTS(K_SWAP, "", EINVAL, "entry 1");
}

TEST_F(ost, duplicate_knob_einval)
{
	struct ostune_kv kv[3] = {
		{ K_SWAP, NEWV(K_SWAP) }, { K_MIG, NEWV(K_MIG) }, { K_SWAP, NULL },
	};

	kv[2].value = NEWV2(K_SWAP, kv[0].value);
	CHECK_ERR(&self->c, ostune_apply(&self->c, kv, 3, NULL), EINVAL, "entry 3");
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* OSTUNE_TXN_MAX_ENTRIES + 1 distinct, valid knobs set to their values. */
/* The count is checked before any entry is looked at: repeats will do. */
TEST_F(ost, too_many_entries_e2big)
{
	enum { N = OSTUNE_TXN_MAX_ENTRIES + 1 };
	static struct ostune_kv kv[N];
	static const char *nm[N];
	static struct ostune_knob_value out[N];
	char value[VALBUF];
	int i;

	READ(K_SWAP, value);
	for (i = 0; i < N; i++) {
		kv[i].name = K_SWAP;
		kv[i].value = value;
		nm[i] = K_SWAP;
	}
	CHECK_ERR(&self->c, ostune_apply(&self->c, kv, N, NULL), E2BIG, NULL);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
	CHECK_ERR(&self->c, ostune_get_knobs(&self->c, nm, N, out), E2BIG, NULL);
}

/*
 * OSTUNE_TXN_MAX_ENTRIES entries in one request: a read of the tuning
 * sysctls over and over, each as its file has it.
 */
TEST_F(ost, max_entries_read)
{
	enum { N = OSTUNE_TXN_MAX_ENTRIES };
	static char names[N][OSTUNE_NAME_MAX];
	static struct ostune_knob_value out[N];
	static const char *nm[N];
	char cur[VALBUF];
	int i, n;

	n = collect_sysctl_names(names, N);
	ASSERT_LT(0, n);
	for (i = 0; i < N; i++)
		nm[i] = names[i % n];
	OK(&self->c, ostune_get_knobs(&self->c, nm, N, out));
	for (i = 0; i < N; i++) {
		READ(nm[i], cur);
		EXPECT_TRUE(val_eq(out[i].value, cur))
			TH_LOG("%s: module read '%s', the file has '%s'", nm[i],
			       out[i].value, cur);
	}
}

/*
 * Every tuning sysctl this kernel has that takes its own value back (a
 * hundred and more), each set to the value it has: one transaction, all
 * held, listed by status (a dump of several parts), all restored.
 */
TEST_F_TIMEOUT(ost, largest_transaction_accepted, 90)
{
	enum { N = OSTUNE_TXN_MAX_ENTRIES, MIN = 100 };
	static char names[N][OSTUNE_NAME_MAX];
	static char values[N][VALBUF];
	static struct ostune_kv kv[N];
	struct ostune_status st;
	char cur[VALBUF];
	int i, n, pool;
	size_t k;

	pool = collect_sysctl_names(names, N);
	for (i = 0, n = 0; i < pool; i++) {
		if (knob_read(names[i], values[i], sizeof(values[i])) ||
		    knob_write(names[i], values[i]))
			continue;
		kv[n].name = names[i];
		kv[n].value = values[i];
		n++;
	}
	ASSERT_LE(MIN, n) TH_LOG("only %d tuning sysctls take their own value back", n);
	OK(&self->c, ostune_apply(&self->c, kv, n, NULL));
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ((size_t)n, st.nheld);
	for (k = 0; k < st.nheld && k < (size_t)n; k++)
		EXPECT_STREQ(kv[k].name, st.held[k].name);
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_IDLE(&self->c);
	for (i = 0; i < n; i++) {
		READ(kv[i].name, cur);
		EXPECT_TRUE(val_eq(kv[i].value, cur))
			TH_LOG("%s: '%s' became '%s'", kv[i].name, kv[i].value, cur);
	}
	ASSERT_UNCHANGED();
}

TEST_F(ost, get_knobs_without_knob_einval)
{
	REJECTS(msg_start(&self->c, OSTUNE_CMD_GET_KNOBS), EINVAL, NULL);
}

TEST_F(ost, restore_knob_without_name_einval)
{
	const char *v = NEWV(K_SWAP);
	struct nlmsghdr *nlh;

	OK(&self->c, apply1(&self->c, K_SWAP, v));
	nlh = msg_start(&self->c, OSTUNE_CMD_RESTORE);
	put_knob(nlh, NULL, NULL);
	CHECK_ERR(&self->c, ostune_transact(&self->c, nlh, NULL, NULL), EINVAL,
		  "entry 1");
	ASSERT_KNOB(K_SWAP, v);		/* nothing restored */
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
}

TEST_F(ost, unknown_command_eopnotsupp)
{
	static const uint8_t cmds[] = { 0, OSTUNE_CMD_EVENT, OSTUNE_CMD_MAX + 1, 200 };
	struct nlmsghdr *nlh;
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		nlh = msg_start(&self->c, cmds[i]);
		put_knob(nlh, K_SWAP, NEWV(K_SWAP));
		ret = ostune_transact(&self->c, nlh, NULL, NULL);
		EXPECT_EQ(-EOPNOTSUPP, ret) TH_LOG("cmd %u: %s '%s'", cmds[i],
						   errname(ret), self->c.err_msg);
		/* genetlink refuses these before ostune sees them: no extack */
		if (self->c.err_msg[0])
			TH_LOG("cmd %u: extack '%s'", cmds[i], self->c.err_msg);
	}
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(ost, heartbeat_without_session_enoent)
{
	CHECK_ERR(&self->c, ostune_heartbeat(&self->c), ENOENT, "no session");
	ASSERT_IDLE(&self->c);
}

TEST_F(ost, session_close_without_session_enoent)
{
	CHECK_ERR(&self->c, ostune_session_close(&self->c), ENOENT, "no session");
	ASSERT_IDLE(&self->c);
}

static void watchdog_rejected(struct __test_metadata *_metadata,
			      FIXTURE_DATA(ost) *self, uint8_t cmd, uint32_t ms)
{
	struct nlmsghdr *nlh = msg_start(&self->c, cmd);
	int ret;

	mnl_attr_put_u32(nlh, OSTUNE_A_WATCHDOG_MS, ms);
	ret = ostune_transact(&self->c, nlh, NULL, NULL);
	EXPECT_TRUE(ret == -ERANGE || ret == -EINVAL)
		TH_LOG("watchdog %u ms: %s '%s'", ms, errname(ret), self->c.err_msg);
	EXPECT_NE(0, self->c.err_msg[0]);
}

TEST_F(ost, watchdog_below_min_rejected)
{
	watchdog_rejected(_metadata, self, OSTUNE_CMD_SESSION_OPEN,
			  OSTUNE_WATCHDOG_MIN_MS - 1);
	watchdog_rejected(_metadata, self, OSTUNE_CMD_SESSION_OPEN, 0);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(ost, watchdog_above_max_rejected)
{
	struct ostune_status st;

	watchdog_rejected(_metadata, self, OSTUNE_CMD_SESSION_OPEN,
			  OSTUNE_WATCHDOG_MAX_MS + 1);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
	/* and in a heartbeat, which then leaves the lease alone */
	OK(&self->c, ostune_session_open(&self->c, 5000));
	watchdog_rejected(_metadata, self, OSTUNE_CMD_HEARTBEAT,
			  OSTUNE_WATCHDOG_MAX_MS + 1);
	watchdog_rejected(_metadata, self, OSTUNE_CMD_HEARTBEAT,
			  OSTUNE_WATCHDOG_MIN_MS - 1);
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(5000U, st.watchdog_ms);
	ostune_status_free(&st);
}

TEST_F(ost, watchdog_bounds_accepted)
{
	struct ostune_status st;

	OK(&self->c, ostune_session_open(&self->c, OSTUNE_WATCHDOG_MAX_MS));
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ((uint32_t)OSTUNE_WATCHDOG_MAX_MS, st.watchdog_ms);
	ostune_status_free(&st);
	OK(&self->c, ostune_session_close(&self->c));
	OK(&self->c, ostune_session_open(&self->c, OSTUNE_WATCHDOG_MIN_MS));
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ((uint32_t)OSTUNE_WATCHDOG_MIN_MS, st.watchdog_ms);
	ostune_status_free(&st);
	/* may already have expired on a slow machine */
	ostune_session_close(&self->c);
}

/* ================================================================== */
/* Events and the kernel log                                           */
/* ================================================================== */

TEST_F(ost, events_apply)
{
	struct ostune_kv kv[2] = { { K_SWAP, NEWV(K_SWAP) }, { K_MIG, NEWV(K_MIG) } };
	struct ostune_event ev[8];
	uint32_t txn = 0;
	int n, i;

	SUBSCRIBE();
	OK(&self->c, ostune_apply(&self->c, kv, 2, &txn));
	n = events_collect(&self->ev, ev, 8, 2, 3000);
	ASSERT_EQ(2, n);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ((uint32_t)OSTUNE_REASON_APPLY, ev[i].reason);
		EXPECT_EQ(txn, ev[i].txn_id);
		EXPECT_EQ((uint32_t)self->pid, ev[i].pid);
		EXPECT_STREQ(self->comm, ev[i].comm);
		/* request order */
		EXPECT_STREQ(kv[i].name, ev[i].name);
		EXPECT_TRUE(val_eq(ORIG(kv[i].name), ev[i].old))
			TH_LOG("%s old '%s'", ev[i].name, ev[i].old);
		EXPECT_TRUE(val_eq(kv[i].value, ev[i].value));
		EXPECT_EQ(0U, ev[i].flags & OSTUNE_KNOB_F_EXTERNAL);
	}
}

TEST_F(ost, events_restore_request)
{
	struct ostune_kv kv[2] = { { K_SWAP, NEWV(K_SWAP) }, { K_MIG, NEWV(K_MIG) } };
	struct ostune_event ev[8];
	int n, i;

	OK(&self->c, ostune_apply(&self->c, kv, 2, NULL));
	SUBSCRIBE();
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	n = events_collect(&self->ev, ev, 8, 2, 3000);
	ASSERT_EQ(2, n);
	for (i = 0; i < 2; i++) {
		const struct ostune_kv *k = &kv[1 - i];	/* reverse order */

		EXPECT_EQ((uint32_t)OSTUNE_REASON_REQUEST, ev[i].reason);
		EXPECT_EQ(0U, ev[i].txn_id);
		EXPECT_EQ((uint32_t)self->pid, ev[i].pid);
		EXPECT_STREQ(self->comm, ev[i].comm);
		EXPECT_STREQ(k->name, ev[i].name);
		EXPECT_TRUE(val_eq(k->value, ev[i].old));
		EXPECT_TRUE(val_eq(ORIG(k->name), ev[i].value));
		EXPECT_EQ(0U, ev[i].flags & OSTUNE_KNOB_F_EXTERNAL);
	}
	ASSERT_UNCHANGED();
}

TEST_F(ost, kmsg_apply_line)
{
	struct ostune_kv kv[2] = { { K_SWAP, NEWV(K_SWAP) }, { K_MIG, NEWV(K_MIG) } };
	char want[512], line[512];
	uint32_t txn = 0;
	int i;

	KMSG();
	OK(&self->c, ostune_apply(&self->c, kv, 2, &txn));
	for (i = 0; i < 2; i++) {
		snprintf(want, sizeof(want), "ostune: %s: %s -> %s (pid %d %s, txn %u)",
			 kv[i].name, ORIG(kv[i].name), kv[i].value, self->pid,
			 self->comm, txn);
		EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 2000)) {
			TH_LOG("no kernel log line '%s'", want);
			if (kmsg_find(self->kmsg, want + 8, line, sizeof(line), 0))
				TH_LOG("but there is '%s'", line);
		}
	}
}

TEST_F(ost, kmsg_restore_lines)
{
	const char *v = NEWV(K_SWAP), *d = NEWV(K_DIRTY);
	char want[512], line[512];

	OK(&self->c, apply1(&self->c, K_SWAP, v));
	KMSG();
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	/* the format, "ostune: " prefix included, is kmsg_apply_line's */
	snprintf(want, sizeof(want), "%s: %s -> %s (pid %d %s, restore: ",
		 K_SWAP, v, ORIG(K_SWAP), self->pid, self->comm);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 2000))
		TH_LOG("no kernel log line '%s'", want);

	OK(&self->c, ostune_session_open(&self->c, 10000));
	OK(&self->c, apply1(&self->c, K_DIRTY, d));
	OK(&self->c, ostune_session_close(&self->c));
	snprintf(want, sizeof(want), "%s: %s -> %s (pid %d %s, restore: session-close)",
		 K_DIRTY, d, ORIG(K_DIRTY), self->pid, self->comm);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 2000))
		TH_LOG("no kernel log line '%s'", want);
}

TEST_F(ost, kmsg_socket_close_line)
{
	struct ostune_kv kv = { K_SOMAX, NEWV(K_SOMAX) };
	char want[512], line[512];
	pid_t owner;

	KMSG();
	ASSERT_EQ(0, owner_start(&self->own, 10000, &kv, 1, true));
	owner = self->own.pid;
	owner_kill(&self->own);
	snprintf(want, sizeof(want), "%s: %s -> %s (pid %d %s, restore: socket-close)",
		 K_SOMAX, kv.value, ORIG(K_SOMAX), owner, self->comm);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 2000))
		TH_LOG("no kernel log line '%s'", want);
	ASSERT_UNCHANGED();
}

/* ================================================================== */
/* The CLI, end to end                                                 */
/* ================================================================== */

TEST_F(ost, cli_set_then_get)
{
	const char *v = NEWV(K_SWAP);
	char arg[128], want[128], out[4096], err[4096];

	NEED_CLI();
	snprintf(arg, sizeof(arg), "%s=%s", K_SWAP, v);
	ASSERT_EQ(0, CLI("set", arg)) TH_LOG("stderr: %s", err);
	ASSERT_KNOB(K_SWAP, v);
	ASSERT_EQ(0, CLI("get", K_SWAP)) TH_LOG("stderr: %s", err);
	snprintf(want, sizeof(want), "%s = %s", K_SWAP, v);
	EXPECT_TRUE(strstr(out, want) != NULL) TH_LOG("stdout: %s", out);
	/* kept after the CLI exited */
	ASSERT_KNOB(K_SWAP, v);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
}

TEST_F(ost, cli_set_plan_changes_nothing)
{
	const char *v = NEWV(K_SWAP);
	char arg[128], want[128], out[4096], err[4096];

	NEED_CLI();
	snprintf(arg, sizeof(arg), "%s=%s", K_SWAP, v);
	ASSERT_EQ(0, CLI("set", "--plan", arg)) TH_LOG("stderr: %s", err);
	snprintf(want, sizeof(want), "%s: %s -> %s", K_SWAP, ORIG(K_SWAP), v);
	EXPECT_TRUE(strstr(out, want) != NULL) TH_LOG("stdout: %s", out);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(ost, cli_restore)
{
	struct ostune_kv kv[2] = { { K_SWAP, NEWV(K_SWAP) }, { K_NRM, NEWV(K_NRM) } };
	char out[4096], err[4096];

	NEED_CLI();
	OK(&self->c, ostune_apply(&self->c, kv, 2, NULL));
	ASSERT_EQ(0, CLI("restore", K_NRM)) TH_LOG("stderr: %s", err);
	ASSERT_KNOB(K_NRM, ORIG(K_NRM));
	ASSERT_KNOB(K_SWAP, kv[0].value);
	ASSERT_EQ(0, CLI("restore")) TH_LOG("stderr: %s", err);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(ost, cli_exec_sees_value_during_command)
{
	const char *v = NEWV(K_SWAP);
	char arg[128], out[4096], err[4096];

	NEED_CLI();
	snprintf(arg, sizeof(arg), "%s=%s", K_SWAP, v);
	ASSERT_EQ(0, CLI("exec", "-s", arg, "--", "sh", "-c",
			 "cat /proc/sys/vm/swappiness"))
		TH_LOG("stderr: %s", err);
	EXPECT_TRUE(val_eq(out, v)) TH_LOG("the command saw '%s', want '%s'", out, v);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(ost, cli_exec_passes_exit_status)
{
	const char *v = NEWV(K_NRM);
	char arg[128], out[4096], err[4096];

	NEED_CLI();
	snprintf(arg, sizeof(arg), "%s=%s", K_NRM, v);
	EXPECT_EQ(3, CLI("exec", "-s", arg, "--", "sh", "-c", "exit 3"))
		TH_LOG("stderr: %s", err);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(ost, cli_bad_usage_exits_2)
{
	char out[4096], err[4096];

	NEED_CLI();
	EXPECT_EQ(2, CLI("no-such-command")) TH_LOG("stderr: %s", err);
	EXPECT_EQ(2, CLI("set")) TH_LOG("stderr: %s", err);
	EXPECT_EQ(2, CLI("set", "sysctl.vm.swappiness")) TH_LOG("stderr: %s", err);
	EXPECT_EQ(2, CLI("exec", "-s", "sysctl.vm.swappiness=10"))
		TH_LOG("stderr: %s", err);
	EXPECT_EQ(2, CLI("set", "--no-such-option", "sysctl.vm.swappiness=10"))
		TH_LOG("stderr: %s", err);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(ost, cli_kernel_error_exits_1)
{
	struct ostune_kv kv = { K_DIRTY, NEWV(K_DIRTY) };
	char arg[128], out[4096], err[4096], owner_pid[32];

	NEED_CLI();
	/* only the kernel's handler refuses this value */
	snprintf(arg, sizeof(arg), "%s=1000", K_SWAP);
	EXPECT_EQ(1, CLI("set", arg)) TH_LOG("stderr: %s", err);
	EXPECT_TRUE(strstr(err, "entry 1") != NULL) TH_LOG("stderr: %s", err);
	ASSERT_UNCHANGED();

	/* a session held by someone else */
	START_OWNER(&kv);
	snprintf(arg, sizeof(arg), "%s=%s", K_SWAP, NEWV(K_SWAP));
	EXPECT_EQ(1, CLI("set", arg)) TH_LOG("stderr: %s", err);
	EXPECT_TRUE(strstr(err, owner_pid) != NULL) TH_LOG("stderr: %s", err);
	ASSERT_KNOB(K_SWAP, ORIG(K_SWAP));
}

/* ================================================================== */

int main(int argc, char **argv)
{
	struct harness_filter filter;
	int ret;

	ret = harness_filter_setup(&filter, argc, argv);
	if (ret >= 0)
		return ret;
	/* the values every test puts back, whatever happened */
	snap_take(&baseline);
	return test_harness_run(argc, argv);
}

HARNESS_CONSTRUCTOR_ORDER()
