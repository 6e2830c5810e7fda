// SPDX-License-Identifier: GPL-2.0
/*
 * ostune_race: races between the module's ways of ending a change, run on
 * the debug kernel (tests/vm/run/races.sh), where lockdep and KASAN watch.
 *
 *   - the owner killed (SIGKILL) at random points of large transactions;
 *   - the watchdog expiring while the owner keeps applying on short leases;
 *   - rmmod while a session applies and heartbeats and readers read;
 *   - many readers (status dumps, get) while writers apply and restore;
 *   - CPU hotplug (cpu1 off and on) under a session holding cpu1's knobs;
 *   - rmmod of ostune and of the cpufreq driver at once, with freq knobs
 *     held on the driver's policy.
 *
 * Each ends with every knob at its value before the test and nothing
 * held; the kernel log is checked by the tier.
 *
 * Options: -t SUBSTRING (repeatable) runs only matching tests, -l lists
 * them; $OSTUNE_TEST_FILTER is a comma-separated list of substrings.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "harness_filter.h"
#include "util.h"

#define CPU1	"/sys/devices/system/cpu/cpu1/online"
#define BIG	96

/* The knobs the races change, and two values of each. */
static const struct ostune_kv pair_a[] = {
	{ "sysctl.vm.swappiness", "10" },
	{ "sysctl.vm.dirty_ratio", "30" },
	{ "sysctl.net.core.somaxconn", "1024" },
	{ "sched.migration_cost_ns", "400000" },
	{ "sched.nr_migrate", "16" },
};

static const struct ostune_kv pair_b[] = {
	{ "sysctl.vm.swappiness", "20" },
	{ "sysctl.vm.dirty_ratio", "35" },
	{ "sysctl.net.core.somaxconn", "2048" },
	{ "sched.migration_cost_ns", "300000" },
	{ "sched.nr_migrate", "8" },
};

#define NPAIR	(sizeof(pair_a) / sizeof(pair_a[0]))

static unsigned int seed;

static unsigned int rnd(unsigned int n)
{
	return n ? (unsigned int)rand_r(&seed) % n : 0;
}

static size_t held_count(void)
{
	struct ostune_client c;
	struct ostune_status st = {};
	size_t n = (size_t)-1;

	if (ostune_client_open(&c))
		return n;
	if (!ostune_get_status(&c, &st)) {
		n = st.nheld;
		ostune_status_free(&st);
	}
	ostune_client_close(&c);
	return n;
}

/*
 * A big transaction: the pair's knobs with new values plus sysctls that
 * take their own value back, so that writing them changes nothing, found
 * once by trying each.
 */
static struct ostune_kv big[BIG + NPAIR];
static char big_names[BIG][OSTUNE_NAME_MAX];
static char big_vals[BIG][VALBUF];
static size_t nbig;

static void build_big(void)
{
	struct ostune_client c;
	size_t i, n, k;

	if (nbig || ostune_client_open(&c))
		return;
	for (i = 0; i < NPAIR; i++)
		big[nbig++] = pair_a[i];
	n = collect_sysctl_names(big_names, BIG);
	for (i = 0; i < n && nbig < BIG + NPAIR; i++) {
		struct ostune_kv kv;
		bool dup = false;

		for (k = 0; k < NPAIR; k++)
			dup |= !strcmp(pair_a[k].name, big_names[i]);
		if (dup || knob_read(big_names[i], big_vals[i], VALBUF))
			continue;
		kv.name = big_names[i];
		kv.value = big_vals[i];
		if (ostune_apply(&c, &kv, 1, NULL))
			continue;
		ostune_restore(&c, &kv.name, 1);
		big[nbig++] = kv;
	}
	ostune_client_close(&c);
}

FIXTURE(race) {
	struct snap before;
	pid_t kids[8];
	int nkids;
};

FIXTURE_SETUP(race)
{
	ASSERT_EQ(0, mod_ensure_loaded());
	wait_no_session(3000);
	cleanup_restore_all();
	snap_take(&self->before);
	seed = getpid() ^ (unsigned int)now_ms();
	TH_LOG("seed %u", seed);
	self->nkids = 0;
}

FIXTURE_TEARDOWN(race)
{
	int i;

	for (i = 0; i < self->nkids; i++) {
		kill(self->kids[i], SIGKILL);
		waitpid(self->kids[i], NULL, 0);
	}
	file_write(CPU1, "1");
	mod_ensure_loaded();
	wait_no_session(3000);
	cleanup_restore_all();
	snap_force(&self->before);
}

/* Every knob as before, nothing held, no session. */
#define EXPECT_ALL_RESTORED() do {					\
	struct snap __now;						\
	char __d[512];							\
									\
	ASSERT_EQ(0, wait_no_session(5000));				\
	snap_take(&__now);						\
	EXPECT_EQ(NULL, snap_diff(&self->before, &__now, __d, sizeof(__d))) \
		TH_LOG("%s", __d);					\
	EXPECT_EQ(0, held_count());					\
} while (0)

static pid_t spawn(FIXTURE_DATA(race) *self, void (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (!pid) {
		seed ^= getpid();
		fn(arg);
		_exit(0);
	}
	if (pid > 0)
		self->kids[self->nkids++] = pid;
	return pid;
}

static void reap(FIXTURE_DATA(race) *self)
{
	int i;

	for (i = 0; i < self->nkids; i++)
		waitpid(self->kids[i], NULL, 0);
	self->nkids = 0;
}

/* ---- the owner killed in the middle of a transaction ------------------- */

static void big_owner(void *session)
{
	struct ostune_client c;

	if (ostune_client_open(&c))
		_exit(1);
	if (session && ostune_session_open(&c, 60000))
		_exit(1);
	for (;;) {
		ostune_apply(&c, big, nbig, NULL);
		if (!session)
			ostune_restore(&c, NULL, 0);
	}
}

/*
 * SIGKILL lands while the owner sends, or while the module works on, a
 * transaction of ~100 knobs; when waitpid() returns, the socket-close
 * undo has run.
 */
TEST_F_TIMEOUT(race, kill9_mid_transaction, 600)
{
	int round;

	build_big();
	TH_LOG("transactions of %zu knobs", nbig);
	ASSERT_LT(20, nbig);
	for (round = 0; round < 30; round++) {
		pid_t pid = spawn(self, big_owner, (void *)1);

		ASSERT_LT(0, pid);
		sleep_ms(50 + rnd(400));
		kill(pid, SIGKILL);
		reap(self);
		EXPECT_ALL_RESTORED();
		if (_metadata->passed == 0)
			break;
	}
}

/*
 * The same for kept changes: a transaction the kill interrupts either
 * committed whole (then it is held and a restore puts it back) or not at
 * all.
 */
TEST_F_TIMEOUT(race, kill9_mid_kept_transaction, 600)
{
	char cur[VALBUF];
	int round;
	size_t i;

	build_big();
	ASSERT_LT(20, nbig);
	for (round = 0; round < 20; round++) {
		pid_t pid = spawn(self, big_owner, NULL);
		size_t changed = 0, held;

		ASSERT_LT(0, pid);
		sleep_ms(50 + rnd(400));
		kill(pid, SIGKILL);
		reap(self);
		for (i = 0; i < NPAIR; i++)
			changed += !knob_read(pair_a[i].name, cur, sizeof(cur)) &&
				   val_eq(cur, pair_a[i].value);
		held = held_count();
		EXPECT_TRUE(changed == 0 || changed == NPAIR)
			TH_LOG("round %d: %zu of %zu changed", round, changed, NPAIR);
		EXPECT_TRUE(held == 0 || held == nbig)
			TH_LOG("round %d: %zu of %zu held", round, held, nbig);
		cleanup_restore_all();
		EXPECT_ALL_RESTORED();
		if (_metadata->passed == 0)
			break;
	}
}

/* ---- watchdog expiry racing an apply ------------------------------------ */

/*
 * The owner applies again and again on a 100 ms lease, never renewing
 * it, sleeping around the lease's length between applies. Each apply
 * succeeds while the session lives; once the watchdog has ended it, every
 * apply is refused (ETIMEDOUT) and nothing it tried may stay.
 */
TEST_F_TIMEOUT(race, watchdog_expiry_vs_apply, 300)
{
	int round, fenced_rounds = 0;

	for (round = 0; round < 20; round++) {
		struct ostune_client c;
		bool fenced = false;
		int i, ret;

		ASSERT_EQ(0, ostune_client_open(&c));
		ASSERT_EQ(0, ostune_session_open(&c, 100));
		for (i = 0; i < 40; i++) {
			ret = ostune_apply(&c, i & 1 ? pair_a : pair_b, NPAIR, NULL);
			if (fenced) {
				EXPECT_EQ(-ETIMEDOUT, ret) TH_LOG("apply after the fence: %d", ret);
			} else if (ret == -ETIMEDOUT) {
				fenced = true;
			} else {
				EXPECT_EQ(0, ret) TH_LOG("apply: %d (%s)", ret, c.err_msg);
			}
			if (fenced && i > 2)
				break;
			usleep(rnd(150000));
		}
		fenced_rounds += fenced;
		if (!fenced) {
			/* still alive after 40 tries: a slow machine; wait */
			sleep_ms(500);
		}
		EXPECT_ALL_RESTORED();
		ostune_client_close(&c);
		if (_metadata->passed == 0)
			break;
	}
	TH_LOG("%d of 20 sessions were fenced while applying", fenced_rounds);
	EXPECT_LT(0, fenced_rounds);
}

/* ---- rmmod racing an active session ------------------------------------- */

static void applier(void *arg)
{
	struct ostune_client c;
	int i;

	(void)arg;
	for (;;) {
		if (ostune_client_open(&c)) {
			sleep_ms(10);
			continue;
		}
		if (!ostune_session_open(&c, 2000)) {
			for (i = 0; i < 20; i++) {
				if (ostune_apply(&c, i & 1 ? pair_a : pair_b,
						 NPAIR, NULL) ||
				    ostune_heartbeat(&c))
					break;
			}
		}
		ostune_client_close(&c);
	}
}

static void reader(void *arg)
{
	const char *names[NPAIR];
	struct ostune_knob_value v[NPAIR];
	struct ostune_status st;
	struct ostune_client c;
	size_t i;

	(void)arg;
	for (i = 0; i < NPAIR; i++)
		names[i] = pair_a[i].name;
	for (;;) {
		if (ostune_client_open(&c)) {
			sleep_ms(10);
			continue;
		}
		for (i = 0; i < 50; i++) {
			memset(&st, 0, sizeof(st));
			if (!ostune_get_status(&c, &st))
				ostune_status_free(&st);
			ostune_get_knobs(&c, names, NPAIR, v);
		}
		ostune_client_close(&c);
	}
}

/*
 * rmmod while a session applies and heartbeats and readers read: the
 * module either goes, with everything restored, or refuses (busy); no
 * crash, no leak (kmemleak looks at the end of the run).
 */
TEST_F_TIMEOUT(race, rmmod_vs_session, 600)
{
	int round, unloaded = 0, busy = 0;

	for (round = 0; round < 12; round++) {
		int ret;

		ASSERT_EQ(0, mod_ensure_loaded());
		ASSERT_LT(0, spawn(self, applier, NULL));
		ASSERT_LT(0, spawn(self, reader, NULL));
		sleep_ms(100 + rnd(600));
		ret = syscall(SYS_delete_module, "ostune", O_NONBLOCK) ? -errno : 0;
		if (!ret) {
			struct snap now;
			char d[512];

			unloaded++;
			/* Gone: everything it held is back. */
			snap_take(&now);
			EXPECT_EQ(NULL, snap_diff(&self->before, &now, d, sizeof(d)))
				TH_LOG("after rmmod: %s", d);
		} else {
			busy++;
			EXPECT_TRUE(ret == -EBUSY || ret == -EAGAIN || ret == -EWOULDBLOCK)
				TH_LOG("rmmod: %d", ret);
		}
		for (ret = 0; ret < self->nkids; ret++)
			kill(self->kids[ret], SIGKILL);
		reap(self);
		ASSERT_EQ(0, mod_ensure_loaded());
		EXPECT_ALL_RESTORED();
		if (_metadata->passed == 0)
			break;
	}
	TH_LOG("rmmod: %d unloaded, %d busy", unloaded, busy);
	EXPECT_LT(0, unloaded);
}

/* ---- readers during writes ----------------------------------------------- */

struct seen {
	volatile int stop;
	unsigned long reads, bad;
	char first[256];
};

static struct seen *seen;

/* Only values someone applies, or the original, may be read. */
static void checking_reader(void *arg)
{
	const struct snap *before = arg;
	struct ostune_knob_value v[NPAIR];
	const char *names[NPAIR];
	struct ostune_status st;
	struct ostune_client c;
	size_t i;
	int ret;

	for (i = 0; i < NPAIR; i++)
		names[i] = pair_a[i].name;
	if (ostune_client_open(&c))
		_exit(1);
	while (!seen->stop) {
		memset(&st, 0, sizeof(st));
		ret = ostune_get_status(&c, &st);
		if (!ret) {
			if (st.nheld > NPAIR)
				ret = -E2BIG;
			ostune_status_free(&st);
		}
		if (!ret)
			ret = ostune_get_knobs(&c, names, NPAIR, v);
		for (i = 0; !ret && i < NPAIR; i++) {
			const char *o = snap_get(before, names[i]);

			if (!val_eq(v[i].value, pair_a[i].value) &&
			    !val_eq(v[i].value, pair_b[i].value) &&
			    !(o && val_eq(v[i].value, o))) {
				ret = -EPROTO;
				if (!seen->first[0])
					snprintf(seen->first, sizeof(seen->first),
						 "%s read '%.100s'", names[i], v[i].value);
			}
		}
		__sync_fetch_and_add(&seen->reads, 1);
		if (ret) {
			__sync_fetch_and_add(&seen->bad, 1);
			if (!seen->first[0])
				snprintf(seen->first, sizeof(seen->first),
					 "reader: %d (%.200s)", ret, c.err_msg);
		}
	}
	ostune_client_close(&c);
}

static void writer(void *arg)
{
	struct ostune_client c;
	int i = 0;

	(void)arg;
	while (!seen->stop) {
		if (ostune_client_open(&c))
			continue;
		if (rnd(2) && !ostune_session_open(&c, 10000)) {
			ostune_apply(&c, pair_a, NPAIR, NULL);
			ostune_apply(&c, pair_b, NPAIR, NULL);
			if (rnd(2))
				ostune_session_close(&c);
		} else {
			ostune_apply(&c, i++ & 1 ? pair_a : pair_b, NPAIR, NULL);
			ostune_restore(&c, NULL, 0);
		}
		ostune_client_close(&c);
	}
}

TEST_F_TIMEOUT(race, readers_during_writes, 300)
{
	int i;

	seen = mmap(NULL, sizeof(*seen), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, seen);
	for (i = 0; i < 4; i++)
		ASSERT_LT(0, spawn(self, checking_reader, &self->before));
	for (i = 0; i < 2; i++)
		ASSERT_LT(0, spawn(self, writer, NULL));
	sleep_ms(20000);
	seen->stop = 1;
	reap(self);
	TH_LOG("%lu reads", seen->reads);
	EXPECT_LT(100, seen->reads);
	EXPECT_EQ(0, seen->bad) TH_LOG("%s", seen->first);
	cleanup_restore_all();
	EXPECT_ALL_RESTORED();
	munmap(seen, sizeof(*seen));
}

/* ---- CPU hotplug during a session holding per-CPU knobs -------------------- */

static void toggler(void *arg)
{
	(void)arg;
	for (;;) {
		file_write(CPU1, "0");
		usleep(rnd(100000));
		file_write(CPU1, "1");
		usleep(rnd(100000));
	}
}

/* The per-CPU knobs of cpu1 this VM has (the fixtures make them). */
static size_t cpu1_knobs(struct ostune_kv *kv, char (*orig)[VALBUF])
{
	static const struct ostune_kv cands[] = {
		{ "idle.cpu1.state1.disable", "1" },
		{ "pmqos.cpu1.resume_latency_us", "50" },
		{ "freq.policy1.max_khz", "1600000" },
	};
	const char *paths[] = {
		"/sys/devices/system/cpu/cpu1/cpuidle/state1/disable",
		"/sys/devices/system/cpu/cpu1/power/pm_qos_resume_latency_us",
		"/sys/devices/system/cpu/cpufreq/policy1/scaling_max_freq",
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
		if (file_read(paths[i], orig[n], VALBUF))
			continue;
		kv[n++] = cands[i];
	}
	return n;
}

/*
 * cpu1 goes off and on line again and again while a session holds, sets
 * and restores cpu1's idle, resume-latency and frequency knobs. Requests
 * may be refused while cpu1 is offline; at the end, with cpu1 online,
 * every file is back at its value before the test.
 */
TEST_F_TIMEOUT(race, cpu_hotplug_during_session, 300)
{
	const char *paths[] = {
		"/sys/devices/system/cpu/cpu1/cpuidle/state1/disable",
		"/sys/devices/system/cpu/cpu1/power/pm_qos_resume_latency_us",
		"/sys/devices/system/cpu/cpufreq/policy1/scaling_max_freq",
	};
	char orig[3][VALBUF], now[VALBUF];
	struct ostune_kv kv[3];
	uint64_t end;
	size_t n, i;
	int rounds = 0, applied = 0;

	if (access(CPU1, W_OK))
		SKIP(return, "cpu1 cannot go offline");
	n = cpu1_knobs(kv, orig);
	if (n < 3)
		SKIP(return, "cpu1 has no cpuidle or cpufreq (fixtures not loaded)");
	ASSERT_LT(0, spawn(self, toggler, NULL));
	end = now_ms() + 20000;
	while (now_ms() < end) {
		struct ostune_client c;

		ASSERT_EQ(0, ostune_client_open(&c));
		if (!ostune_session_open(&c, 5000)) {
			applied += !ostune_apply(&c, kv, n, NULL);
			usleep(rnd(50000));
			switch (rnd(3)) {
			case 0:
				ostune_session_close(&c);
				break;
			case 1:
				ostune_restore(&c, NULL, 0);
				break;
			}
		}
		/* otherwise the socket's close undoes it */
		ostune_client_close(&c);
		rounds++;
	}
	kill(self->kids[0], SIGKILL);
	reap(self);
	ASSERT_EQ(0, file_write(CPU1, "1"));
	TH_LOG("%d sessions, %d applied", rounds, applied);
	EXPECT_LT(0, applied);
	ASSERT_EQ(0, wait_no_session(5000));
	cleanup_restore_all();
	for (i = 0; i < n; i++) {
		EXPECT_EQ(0, file_read(paths[i], now, sizeof(now)));
		EXPECT_STREQ(orig[i], now) TH_LOG("%s", paths[i]);
	}
	EXPECT_EQ(0, held_count());
}

/* ---- the cpufreq driver unloaded while ostune is unloaded ---------------- */

#define POLICY0		"/sys/devices/system/cpu/cpufreq/policy0/"
#define UNLOAD_ROUNDS	20

/*
 * delete_module(name) in a child, started together with the other one
 * and delay_us later.
 */
struct unloader {
	const char *name;
	int go;		/* read end of the start pipe */
	unsigned int delay_us;
};

static void unloader(void *arg)
{
	const struct unloader *u = arg;
	char c;

	if (read(u->go, &c, 1) != 1)
		_exit(100);
	if (u->delay_us)
		usleep(u->delay_us);
	_exit(fixture_unload(u->name) ? 1 : 0);
}

/* Waits until a policy file reads want; 0 when it does. */
static int wait_policy(const char *file, const char *want, char *got,
		       size_t len)
{
	char path[128];
	uint64_t end = now_ms() + 2000;

	snprintf(path, sizeof(path), POLICY0 "%s", file);
	for (;;) {
		if (!file_read(path, got, len) && !strcmp(got, want))
			return 0;
		if (now_ms() >= end)
			return -ETIMEDOUT;
		sleep_ms(20);
	}
}

/*
 * Kernel log lines of a splat among those of the round just run; 1 when
 * one was seen (line holds it).
 */
static int kmsg_splat(int fd, char *line, size_t len)
{
	static const char *const splat[] = {
		"WARNING:", "BUG:", "KASAN", "Oops", "general protection",
		"Call Trace", "list_del corruption", "list_add corruption",
		"refcount_t:", "lockdep", "possible circular locking",
		"unknown object",
	};
	size_t i;

	for (i = 0; i < sizeof(splat) / sizeof(splat[0]); i++)
		if (kmsg_find(fd, splat[i], line, len, 0))
			return 1;
	return 0;
}

/*
 * freq.policy0.min_khz and max_khz held (kept) on fake_cpufreq's policy,
 * then `rmmod ostune` and `rmmod fake_cpufreq` at the same moment, round
 * after round: ostune drops its freq QoS requests on unload while the
 * driver's policies are being torn down, which remove them too. Both
 * unloads succeed, no splat, and with both loaded again the new policy
 * has no request of ours: its limits are the hardware's.
 */
TEST_F_TIMEOUT(race, rmmod_vs_cpufreq_driver_unload, 600)
{
	static const struct ostune_kv kv[] = {
		{ "freq.policy0.min_khz", "1200000" },
		{ "freq.policy0.max_khz", "1600000" },
	};
	char hwmin[32], hwmax[32], got[32], line[512];
	int round, kmsg, r;

	r = module_present("fake_cpufreq") ? 0 : fixture_load("fake_cpufreq", NULL);
	if (r == -ENOENT)
		SKIP(return, "no fake_cpufreq.ko in $OSTUNE_FIXTURES");
	ASSERT_EQ(0, r) TH_LOG("insmod fake_cpufreq: %d", r);
	ASSERT_EQ(0, file_read(POLICY0 "cpuinfo_min_freq", hwmin, sizeof(hwmin)))
		TH_LOG("no cpufreq policy0 with fake_cpufreq loaded");
	ASSERT_EQ(0, file_read(POLICY0 "cpuinfo_max_freq", hwmax, sizeof(hwmax)));
	kmsg = kmsg_open_end();
	ASSERT_LE(0, kmsg) TH_LOG("/dev/kmsg: %d", kmsg);

	for (round = 0; round < UNLOAD_ROUNDS; round++) {
		struct unloader u[2] = { { "ostune", -1, 0 }, { "fake_cpufreq", -1, 0 } };
		struct ostune_client c;
		int go[2], i, status;
		pid_t pid[2];

		ASSERT_EQ(0, mod_ensure_loaded());
		ASSERT_EQ(0, fixture_load("fake_cpufreq", NULL));
		ASSERT_EQ(0, ostune_client_open(&c));
		r = ostune_apply(&c, kv, 2, NULL);
		ASSERT_EQ(0, r) TH_LOG("round %d: apply: %d, extack '%s'", round,
				       r, c.err_msg);
		ostune_client_close(&c);
		ASSERT_EQ(0, wait_policy("scaling_max_freq", kv[1].value, got,
					 sizeof(got)))
			TH_LOG("round %d: scaling_max_freq %s, not %s", round,
			       got, kv[1].value);

		/*
		 * Unloading ostune (restores, then drops what is left) and
		 * the driver (policies torn down) each take some tens of ms:
		 * one of them starts up to 80 ms later, or neither, so that
		 * each part of one meets each part of the other.
		 */
		i = rnd(3);
		if (i < 2)
			u[i].delay_us = rnd(80000);
		ASSERT_EQ(0, pipe(go));
		for (i = 0; i < 2; i++) {
			u[i].go = go[0];
			pid[i] = spawn(self, unloader, &u[i]);
			ASSERT_LT(0, pid[i]);
		}
		close(go[0]);
		/* both children start at once: one byte each */
		ASSERT_EQ(2, write(go[1], "gg", 2));
		close(go[1]);
		for (i = 0; i < 2; i++) {
			ASSERT_EQ(pid[i], waitpid(pid[i], &status, 0));
			EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
				TH_LOG("round %d: rmmod %s failed (status %#x)",
				       round, u[i].name, status);
		}
		self->nkids = 0;
		EXPECT_FALSE(mod_loaded()) TH_LOG("round %d: ostune still loaded", round);
		EXPECT_FALSE(module_present("fake_cpufreq"))
			TH_LOG("round %d: fake_cpufreq still loaded", round);
		EXPECT_EQ(0, kmsg_splat(kmsg, line, sizeof(line)))
			TH_LOG("round %d: %s", round, line);

		/* a new policy: none of our requests is on it */
		ASSERT_EQ(0, fixture_load("fake_cpufreq", NULL));
		ASSERT_EQ(0, mod_ensure_loaded());
		EXPECT_EQ(0, wait_policy("scaling_max_freq", hwmax, got, sizeof(got)))
			TH_LOG("round %d: scaling_max_freq %s after reload, not %s",
			       round, got, hwmax);
		EXPECT_EQ(0, wait_policy("scaling_min_freq", hwmin, got, sizeof(got)))
			TH_LOG("round %d: scaling_min_freq %s after reload, not %s",
			       round, got, hwmin);
		EXPECT_EQ(0, held_count());
		if (_metadata->passed == 0)
			break;
	}
	TH_LOG("%d rounds", round);
	/* ostune's messages of the whole test, once more */
	EXPECT_EQ(0, kmsg_splat(kmsg, line, sizeof(line))) TH_LOG("%s", line);
	close(kmsg);
	EXPECT_ALL_RESTORED();
}

int main(int argc, char **argv)
{
	struct harness_filter filter;
	int ret = harness_filter_setup(&filter, argc, argv);

	if (ret >= 0)
		return ret;
	return test_harness_run(argc, argv);
}

HARNESS_CONSTRUCTOR_ORDER()
