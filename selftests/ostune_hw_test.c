// SPDX-License-Identifier: GPL-2.0
/*
 * ostune VM-tier selftests of the hardware knob classes: idle, pmqos, freq
 * and irq (docs/safety-model.md, "Knob classes" and "CPU hotplug").
 *
 * Runs as root in the test VM (QEMU TCG, two CPUs) with ostune.ko loaded.
 * QEMU has no cpuidle nor cpufreq driver, so the fixture setup loads the
 * fixture modules fake_cpuidle.ko and fake_cpufreq.ko from
 * $OSTUNE_FIXTURES (default /ostune/fixtures) once and leaves them loaded;
 * a test whose fixtures cannot be loaded fails. $OSTUNE_KO is the module,
 * for the unload tests.
 *
 * Every test checks what the kernel really does, never only what the
 * module says:
 *
 *   idle   /sys/devices/system/cpu/cpuN/cpuidle/stateK/{disable,usage}
 *   pmqos  /dev/cpu_dma_latency (read() gives the effective CPU latency
 *          target); a CPU's resume latency has no file with its effective
 *          value (power/pm_qos_resume_latency_us shows only the request
 *          user space made through it), so its effect is checked where it
 *          acts: the cpuidle governor keeps that CPU out of the states whose
 *          exit latency is longer
 *   freq   /sys/devices/system/cpu/cpufreq/policyN/scaling_{min,max,cur}_freq
 *   irq    /proc/irq/N/smp_affinity_list
 *
 * and leaves everything as it found it: a full RESTORE, then a direct write
 * of anything still different from the values the program started with
 * (CPUs online, idle flags, user-space QoS requests, IRQ masks, sched and
 * sysctl knobs).
 *
 * Options: -t SUBSTRING (repeatable) runs only matching tests, -l lists
 * them; $OSTUNE_TEST_FILTER is a comma-separated list of substrings.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "harness_checks.h"
#include "harness_filter.h"
#include "util.h"

#define NSTATES		4		/* fake_cpuidle: POLL, FAKE-C1..C3 */
#define MAX_CPUS	8
#define FREQ_MIN	800000		/* fake_cpufreq's table, kHz */
#define FREQ_MAX	2400000
#define DMA_PATH	"/dev/cpu_dma_latency"
#define CPUFREQ_DIR	CPU_DIR "/cpufreq"
#define MAX_IRQS	64

#define K_SWAP		"sysctl.vm.swappiness"
#define K_MIG		"sched.migration_cost_ns"
#define K_LAT		"pmqos.cpu_latency_us"
#define K_RES1		"pmqos.cpu1.resume_latency_us"
#define K_RES0		"pmqos.cpu0.resume_latency_us"
#define K_P0MIN		"freq.policy0.min_khz"
#define K_P0MAX		"freq.policy0.max_khz"
#define K_P1MIN		"freq.policy1.min_khz"
#define K_P1MAX		"freq.policy1.max_khz"

static const char *const fixture_mods[] = { "fake_cpuidle", "fake_cpufreq" };

/* What main() found before the tests ran. */
static struct {
	int ncpus;		/* possible CPUs, cpu0..ncpus-1 */
	int irq;		/* a quiet movable IRQ, -1 if none */
	int irq_busy;		/* the IRQ of ttyS0 if movable, -1 if none */
	int irq_fixed;		/* an IRQ user space cannot move, -1 if none */
	int movable[MAX_IRQS];	/* every movable IRQ of /proc/interrupts */
	int nmovable;
	char irq_orig[64];	/* g.irq's mask at start */
} g = { .irq = -1, .irq_busy = -1, .irq_fixed = -1 };


/* ================================================================== */
/* Snapshots of every effective value the hardware tests may touch     */
/* ================================================================== */

#define HW_MAX 96
struct hwsnap {
	size_t n;
	struct {
		char name[64];
		char path[96];	/* the file to write it back to, or "" */
		char val[48];
	} e[HW_MAX];
};

static struct snap baseline;
static struct hwsnap hwbaseline;

static void hw_add(struct hwsnap *s, const char *name, const char *path,
		   const char *val)
{
	if (s->n >= HW_MAX)
		return;
	snprintf(s->e[s->n].name, sizeof(s->e[0].name), "%s", name);
	snprintf(s->e[s->n].path, sizeof(s->e[0].path), "%s", path ? path : "");
	snprintf(s->e[s->n].val, sizeof(s->e[0].val), "%s", val);
	s->n++;
}

/* A file's value, or "<ERRNO>" when it cannot be read. */
static void read_or_err(const char *path, char *buf, size_t len)
{
	int r = file_read(path, buf, len);

	if (r)
		snprintf(buf, len, "<%s>", errname(r));
}

static void hw_add_file(struct hwsnap *s, const char *name, const char *path,
			bool writable)
{
	char val[VALBUF];

	read_or_err(path, val, sizeof(val));
	hw_add(s, name, writable ? path : NULL, val);
}

/* The effective CPU latency target: 0 or -errno. */
static int dma_read(int32_t *v)
{
	int fd = open(DMA_PATH, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = read(fd, v, sizeof(*v));
	close(fd);
	if (r < 0)
		return -errno;
	return r == sizeof(*v) ? 0 : -EIO;
}

/* A knob's value as the module reads it (GET_KNOBS): 0 or -errno. */
static void policy_path(char *buf, size_t len, int cpu, const char *file)
{
	snprintf(buf, len, CPUFREQ_DIR "/policy%d/%s", cpu, file);
}

static void hwsnap_take(struct hwsnap *s)
{
	char name[64], path[128], val[VALBUF];
	struct ostune_client c;
	bool have_c;
	int cpu, k, i;
	int32_t dma;

	memset(&c, 0, sizeof(c));
	have_c = !ostune_client_open(&c);
	s->n = 0;
	/* first: forced back first */
	for (cpu = 1; cpu < g.ncpus; cpu++) {
		snprintf(name, sizeof(name), "cpu%d/online", cpu);
		snprintf(path, sizeof(path), CPU_DIR "/cpu%d/online", cpu);
		hw_add_file(s, name, path, true);
	}
	for (cpu = 0; cpu < g.ncpus; cpu++) {
		for (k = 0; k < NSTATES; k++) {
			snprintf(name, sizeof(name), "idle.cpu%d.state%d.disable",
				 cpu, k);
			knob_path(name, path, sizeof(path));
			hw_add_file(s, name, path, true);
		}
		snprintf(name, sizeof(name), "cpu%d/power/pm_qos_resume_latency_us",
			 cpu);
		snprintf(path, sizeof(path), CPU_DIR "/%s", name);
		hw_add_file(s, name, path, true);
		snprintf(name, sizeof(name), "policy%d/scaling_max_freq", cpu);
		policy_path(path, sizeof(path), cpu, "scaling_max_freq");
		hw_add_file(s, name, path, true);
		snprintf(name, sizeof(name), "policy%d/scaling_min_freq", cpu);
		policy_path(path, sizeof(path), cpu, "scaling_min_freq");
		hw_add_file(s, name, path, true);
	}
	i = dma_read(&dma);
	if (i)
		snprintf(val, sizeof(val), "<%s>", errname(i));
	else
		snprintf(val, sizeof(val), "%d", dma);
	hw_add(s, "cpu_dma_latency", NULL, val);
	for (i = 0; i < g.nmovable; i++) {
		snprintf(name, sizeof(name), "irq.%d.affinity", g.movable[i]);
		knob_path(name, path, sizeof(path));
		hw_add_file(s, name, path, true);
	}
	/* The module's own QoS requests: none may be left behind. */
	for (i = -1; i < g.ncpus; i++) {
		const char *fmts[] = {
			"pmqos.cpu%d.resume_latency_us", "freq.policy%d.min_khz",
			"freq.policy%d.max_khz",
		};

		for (k = 0; k < 3; k++) {
			int r;

			if (i < 0 && k)
				break;
			if (i < 0)
				snprintf(name, sizeof(name), K_LAT);
			else
				snprintf(name, sizeof(name), fmts[k], i);
			r = have_c ? getk(&c, name, val, sizeof(val)) : -ENOTCONN;
			if (r)
				snprintf(val, sizeof(val), "<%s>", errname(r));
			hw_add(s, name, NULL, val);
		}
	}
	if (have_c)
		ostune_client_close(&c);
}

static const char *hwsnap_get(const struct hwsnap *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->e[i].name, name))
			return s->e[i].val;
	return NULL;
}

/* The differences, "name: 'a' -> 'b'; ...", empty when none. */
static bool hwsnap_diff(const struct hwsnap *a, const struct hwsnap *b,
			char *detail, size_t len)
{
	size_t i, off = 0;
	bool differ = false;

	if (len)
		detail[0] = '\0';
	for (i = 0; i < a->n; i++) {
		const char *bv = hwsnap_get(b, a->e[i].name);

		if (bv && !strcmp(bv, a->e[i].val))
			continue;
		differ = true;
		if (off < len)
			off += snprintf(detail + off, len - off, "%s: '%s' -> '%s'; ",
					a->e[i].name, a->e[i].val, bv ? bv : "(absent)");
	}
	if (a->n != b->n) {
		differ = true;
		if (off < len)
			snprintf(detail + off, len - off, "%zu vs %zu values",
				 a->n, b->n);
	}
	return differ;
}

/* Writes back every file whose value differs from want's; returns count. */
static int hwsnap_force(const struct hwsnap *want)
{
	char cur[VALBUF];
	int fixed = 0;
	size_t i;

	for (i = 0; i < want->n; i++) {
		if (!want->e[i].path[0] || want->e[i].val[0] == '<')
			continue;
		if (file_read(want->e[i].path, cur, sizeof(cur)) == 0 &&
		    !strcmp(cur, want->e[i].val))
			continue;
		file_write(want->e[i].path, want->e[i].val);
		fixed++;
	}
	return fixed;
}

/* Polls until a file reads want; 0, or -ETIMEDOUT with its last value. */
static int wait_file(const char *path, const char *want, unsigned int ms,
		     char *last, size_t len)
{
	uint64_t end = now_ms() + ms;

	for (;;) {
		read_or_err(path, last, len);
		if (!strcmp(last, want))
			return 0;
		if (now_ms() >= end)
			return -ETIMEDOUT;
		sleep_ms(20);
	}
}

/* Polls until a snapshot equals want; 0, or -ETIMEDOUT and the diff. */
static int hw_settled(const struct hwsnap *want, unsigned int ms,
		      char *detail, size_t len)
{
	uint64_t end = now_ms() + ms;
	struct hwsnap now;

	for (;;) {
		hwsnap_take(&now);
		if (!hwsnap_diff(want, &now, detail, len))
			return 0;
		if (now_ms() >= end)
			return -ETIMEDOUT;
		sleep_ms(20);
	}
}

/* ================================================================== */
/* Discovery                                                           */
/* ================================================================== */

static int count_cpus(void)
{
	char path[64];
	int n;

	for (n = 0; n < MAX_CPUS; n++) {
		snprintf(path, sizeof(path), CPU_DIR "/cpu%d", n);
		if (access(path, F_OK))
			break;
	}
	return n;
}

/*
 * Sorts the numeric IRQs of /proc/interrupts: movable ones (a write of
 * their own mask to smp_affinity_list works) and fixed ones (it fails).
 * g.irq is the movable one with the fewest interrupts, not a serial port:
 * on x86 without interrupt remapping an IO-APIC interrupt moves only when
 * it next fires, and the tests should not depend on when that is.
 * g.irq_busy is the console's serial port, which fires when written to.
 */
static void find_irqs(void)
{
	unsigned long long best = ULLONG_MAX;
	char line[1024];
	FILE *f;

	f = fopen("/proc/interrupts", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char path[64], mask[64], *p = line, *end;
		unsigned long long total = 0;
		long irq;
		int cpu;

		irq = strtol(p, &end, 10);
		if (end == p || *end != ':')
			continue;
		p = end + 1;
		for (cpu = 0; cpu < g.ncpus; cpu++) {
			total += strtoull(p, &end, 10);
			p = end;
		}
		snprintf(path, sizeof(path), IRQ_DIR "/%ld/smp_affinity_list", irq);
		if (file_read(path, mask, sizeof(mask)))
			continue;
		if (file_write(path, mask)) {
			if (g.irq_fixed < 0)
				g.irq_fixed = irq;
			continue;
		}
		if (g.nmovable < MAX_IRQS)
			g.movable[g.nmovable++] = irq;
		if (strstr(p, "ttyS0")) {
			g.irq_busy = irq;
			continue;
		}
		if (strstr(p, "ttyS"))
			continue;
		if (total < best) {
			best = total;
			g.irq = irq;
			snprintf(g.irq_orig, sizeof(g.irq_orig), "%s", mask);
		}
	}
	fclose(f);
}

/* ================================================================== */
/* Helpers                                                             */
/* ================================================================== */

static int count_reason(const struct ostune_event *ev, int n, uint32_t reason)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		k += ev[i].reason == reason;
	return k;
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

static unsigned long long idle_usage(int cpu, int state)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), CPU_DIR "/cpu%d/cpuidle/state%d/usage",
		 cpu, state);
	if (file_read(path, buf, sizeof(buf)))
		return ULLONG_MAX;
	return strtoull(buf, NULL, 10);
}

/* How often each state of each CPU was entered during ms. */
static void usage_delta(unsigned long long d[MAX_CPUS][NSTATES], unsigned int ms)
{
	unsigned long long a[MAX_CPUS][NSTATES];
	int cpu, k;

	for (cpu = 0; cpu < g.ncpus; cpu++)
		for (k = 0; k < NSTATES; k++)
			a[cpu][k] = idle_usage(cpu, k);
	sleep_ms(ms);
	for (cpu = 0; cpu < g.ncpus; cpu++)
		for (k = 0; k < NSTATES; k++)
			d[cpu][k] = idle_usage(cpu, k) - a[cpu][k];
}

/* Sum of the deltas of states lo..hi of cpu. */
static unsigned long long dsum(unsigned long long d[MAX_CPUS][NSTATES],
			       int cpu, int lo, int hi)
{
	unsigned long long s = 0;
	int k;

	for (k = lo; k <= hi; k++)
		s += d[cpu][k];
	return s;
}

/*
 * A process on cpu that sleeps 20 ms at a time, so the CPU goes idle and
 * wakes up often: its idle states' usage counters move, and a CPU that
 * sat in a state since before a change leaves it soon.
 */
static pid_t ticker_start(int cpu)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid)
		return pid;
	{
		cpu_set_t set;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
		for (;;)
			sleep_ms(20);
	}
}

static int write_s32(int fd, int32_t v)
{
	return write(fd, &v, sizeof(v)) == sizeof(v) ? 0 : -errno;
}

/* Puts everything back the way main() found it; quiet. */
static void hw_reset(void)
{
	struct ostune_client c;
	struct ostune_status st;
	size_t i;
	int cpu;

	for (i = 0; i < ARRAY_SIZE(fixture_mods); i++)
		if (!module_present(fixture_mods[i]))
			fixture_load(fixture_mods[i], NULL);
	for (cpu = 1; cpu < g.ncpus; cpu++)
		cpu_online_set(cpu, true);
	wait_no_session(3000);
	cleanup_restore_all();
	/* A knob whose restore keeps failing: unloading forgets it. */
	memset(&c, 0, sizeof(c));
	memset(&st, 0, sizeof(st));
	if (!ostune_client_open(&c)) {
		if (!ostune_get_status(&c, &st) && st.nheld) {
			ostune_client_close(&c);
			mod_unload();
			mod_load();
		}
		ostune_status_free(&st);
		ostune_client_close(&c);
	}
	snap_force(&baseline);
	hwsnap_force(&hwbaseline);
}

/* ================================================================== */
/* Assertions (macros, so that failures name the test's line)          */
/* ================================================================== */


/* errno, a non-empty extack message, and (when given) text in it */

/* A file holds want (exactly, trailing newline aside). */
#define ASSERT_FILE(path, want) do {					\
	char __v[VALBUF];						\
	int __r = file_read(path, __v, sizeof(__v));			\
	ASSERT_EQ(0, __r) TH_LOG("cannot read %s: %s", path, errname(__r)); \
	ASSERT_STREQ(want, __v) TH_LOG("%s", path);			\
} while (0)

#define EXPECT_FILE(path, want) do {					\
	char __v[VALBUF];						\
	int __r = file_read(path, __v, sizeof(__v));			\
	EXPECT_EQ(0, __r) TH_LOG("cannot read %s: %s", path, errname(__r)); \
	EXPECT_STREQ(want, __v) TH_LOG("%s", path);			\
} while (0)

/* A file-backed knob (idle, irq) as its file shows it. */
#define ASSERT_KNOB(name, want) do {					\
	char __p[128];							\
	ASSERT_EQ(0, knob_path(name, __p, sizeof(__p)));		\
	ASSERT_FILE(__p, want);						\
} while (0)

#define EXPECT_KNOB(name, want) do {					\
	char __p[128];							\
	ASSERT_EQ(0, knob_path(name, __p, sizeof(__p)));		\
	EXPECT_FILE(__p, want);						\
} while (0)

/*
 * scaling_{min,max}_freq of policy cpu. cpufreq applies a freq QoS change
 * from a work item (policy->update), so the file follows a little later:
 * it has POLICY_SETTLE_MS to get there.
 */
#define POLICY_SETTLE_MS 2000
#define ASSERT_POLICY(cpu, file, want) do {				\
	char __p[128], __w[32], __v[VALBUF];				\
	policy_path(__p, sizeof(__p), cpu, file);			\
	snprintf(__w, sizeof(__w), "%d", want);				\
	ASSERT_EQ(0, wait_file(__p, __w, POLICY_SETTLE_MS, __v, sizeof(__v))) \
		TH_LOG("%s is '%s', expected '%s'", __p, __v, __w);	\
} while (0)

#define EXPECT_POLICY(cpu, file, want) do {				\
	char __p[128], __w[32], __v[VALBUF];				\
	policy_path(__p, sizeof(__p), cpu, file);			\
	snprintf(__w, sizeof(__w), "%d", want);				\
	EXPECT_EQ(0, wait_file(__p, __w, POLICY_SETTLE_MS, __v, sizeof(__v))) \
		TH_LOG("%s is '%s', expected '%s'", __p, __v, __w);	\
} while (0)

#define ASSERT_DMA(want) do {						\
	int32_t __v = 0;						\
	int __r = dma_read(&__v);					\
	ASSERT_EQ(0, __r) TH_LOG("read %s: %s", DMA_PATH, errname(__r)); \
	ASSERT_EQ((int32_t)(want), __v) TH_LOG("effective CPU latency target"); \
} while (0)

/* The module reads the knob as want (GET_KNOBS). */
#define ASSERT_MOD(c, name, want) do {					\
	char __v[VALBUF];						\
	int __r = getk(c, name, __v, sizeof(__v));			\
	ASSERT_EQ(0, __r) TH_LOG("GET_KNOBS %s: %s, extack '%s'", name,	\
				 errname(__r), (c)->err_msg);		\
	ASSERT_STREQ(want, __v) TH_LOG("GET_KNOBS %s", name);		\
} while (0)

#define EXPECT_MOD(c, name, want) do {					\
	char __v[VALBUF] = "";						\
	int __r = getk(c, name, __v, sizeof(__v));			\
	EXPECT_EQ(0, __r) TH_LOG("GET_KNOBS %s: %s, extack '%s'", name,	\
				 errname(__r), (c)->err_msg);		\
	EXPECT_STREQ(want, __v) TH_LOG("GET_KNOBS %s", name);		\
} while (0)

/*
 * Every effective value (and every sched/sysctl knob) as at the start.
 * The module's own requests are in the snapshot and read synchronously;
 * the cpufreq files may take POLICY_SETTLE_MS to follow them. Here,
 * unlike harness_checks.h's, unchanged takes in the hardware state.
 */
#undef ASSERT_UNCHANGED
#define ASSERT_UNCHANGED() do {						\
	struct snap __now;						\
	char __d[1500];							\
	snap_take(&__now);						\
	ASSERT_TRUE(snap_diff(&self->before, &__now, __d, sizeof(__d)) == NULL) \
		TH_LOG("a knob changed: %s", __d);			\
	ASSERT_EQ(0, hw_settled(&self->hwbefore, POLICY_SETTLE_MS, __d,	\
				sizeof(__d)))				\
		TH_LOG("changed: %s", __d);				\
} while (0)

/* The module holds nothing and has no session. */

#define NEED_IRQ() do {							\
	ASSERT_LE(0, g.irq) TH_LOG("no movable IRQ in /proc/interrupts"); \
} while (0)

/* ================================================================== */
/* The fixture                                                         */
/* ================================================================== */

FIXTURE(hw) {
	struct ostune_client c;		/* open in every test */
	struct ostune_client c2;	/* a second socket, when c2_open */
	struct ostune_client ev;	/* subscribed to events, when ev_open */
	bool c2_open, ev_open;
	struct owner own;		/* a session owner in a child */
	pid_t child;			/* any other child to kill at the end */
	pid_t tick[MAX_CPUS];		/* tickers, 0 when not running */
	int holder;			/* an fd on /dev/cpu_dma_latency */
	int kmsg;
	pid_t pid;
	char comm[OSTUNE_COMM_MAX];
	char irqk[32];			/* "irq.<g.irq>.affinity" */
	struct snap before;
	struct hwsnap hwbefore;
};

FIXTURE_SETUP(hw)
{
	char d[1500];
	size_t i;
	int ret;

	self->own.pid = -1;
	self->child = -1;
	self->holder = -1;
	self->kmsg = -1;
	ret = mod_ensure_loaded();
	ASSERT_EQ(0, ret) TH_LOG("ostune is not loaded and $OSTUNE_KO does not load: %s",
				 errname(ret));
	for (i = 0; i < ARRAY_SIZE(fixture_mods); i++) {
		ret = module_present(fixture_mods[i]) ? 0 :
		      fixture_load(fixture_mods[i], NULL);
		ASSERT_EQ(0, ret)
			TH_LOG("cannot load the fixture module %s.ko from $OSTUNE_FIXTURES (%s): %s",
			       fixture_mods[i], getenv("OSTUNE_FIXTURES") ?: "unset",
			       errname(ret));
	}
	ASSERT_LE(2, g.ncpus) TH_LOG("the VM must have two CPUs, it has %d", g.ncpus);
	ASSERT_EQ(0, access(CPU_DIR "/cpu1/online", W_OK))
		TH_LOG("cpu1 cannot be taken offline");
	hw_reset();
	ret = ostune_client_open(&self->c);
	ASSERT_EQ(0, ret) TH_LOG("ostune_client_open: %s", errname(ret));
	snap_take(&self->before);
	/* an earlier test's leftovers would make every check here meaningless */
	ASSERT_EQ(0, hw_settled(&hwbaseline, POLICY_SETTLE_MS, d, sizeof(d)))
		TH_LOG("setup: not back at the start values: %s", d);
	hwsnap_take(&self->hwbefore);
	self->pid = getpid();
	self_comm(self->comm, sizeof(self->comm));
	snprintf(self->irqk, sizeof(self->irqk), "irq.%d.affinity", g.irq);
}

static void tickers_stop(FIXTURE_DATA(hw) *self)
{
	int cpu;

	for (cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (self->tick[cpu] <= 0)
			continue;
		kill(self->tick[cpu], SIGKILL);
		waitpid(self->tick[cpu], NULL, 0);
		self->tick[cpu] = 0;
	}
}

/* One ticker per online CPU, and time for every CPU to wake up. */
static void tickers_start(FIXTURE_DATA(hw) *self)
{
	int cpu;

	tickers_stop(self);
	for (cpu = 0; cpu < g.ncpus; cpu++)
		if (cpu_online_get(cpu) == 1)
			self->tick[cpu] = ticker_start(cpu);
	sleep_ms(150);
}

FIXTURE_TEARDOWN(hw)
{
	tickers_stop(self);
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
	owner_kill(&self->own);
	if (self->holder >= 0)
		close(self->holder);
	if (self->ev_open)
		ostune_client_close(&self->ev);
	if (self->c2_open)
		ostune_client_close(&self->c2);
	ostune_client_close(&self->c);
	if (self->kmsg >= 0)
		close(self->kmsg);
	if (mod_ensure_loaded())
		TH_LOG("teardown: cannot load the module again");
	hw_reset();
	/* only irq_number_reused_while_held loads it; gone after a failure too */
	if (module_present("fake_irq"))
		fixture_unload("fake_irq");
}




#define OFFLINE(cpu) do {						\
	int __r = cpu_online_set(cpu, false);				\
	ASSERT_EQ(0, __r) TH_LOG("cpu%d offline: %s", cpu, errname(__r)); \
	ASSERT_EQ(0, cpu_online_get(cpu));				\
} while (0)

#define ONLINE(cpu) do {						\
	int __r = cpu_online_set(cpu, true);				\
	ASSERT_EQ(0, __r) TH_LOG("cpu%d online: %s", cpu, errname(__r)); \
	ASSERT_EQ(1, cpu_online_get(cpu));				\
} while (0)

/* ================================================================== */
/* A change of every hardware class, and its checks                    */
/* ================================================================== */

/*
 * Seven knobs of the four classes, on both CPUs:
 *   idle.cpu1.state3.disable=1, idle.cpu0.state2.disable=1,
 *   pmqos.cpu_latency_us=20, pmqos.cpu1.resume_latency_us=10,
 *   freq.policy1.max_khz=1600000, freq.policy0.min_khz=1200000,
 *   irq.<g.irq>.affinity=1 (0 if it is 1 already)
 */
#define NHW 7
static size_t hw_kvs(FIXTURE_DATA(hw) *self, struct ostune_kv *kv)
{
	kv[0] = (struct ostune_kv){ "idle.cpu1.state3.disable", "1" };
	kv[1] = (struct ostune_kv){ "idle.cpu0.state2.disable", "1" };
	kv[2] = (struct ostune_kv){ K_LAT, "20" };
	kv[3] = (struct ostune_kv){ K_RES1, "10" };
	kv[4] = (struct ostune_kv){ K_P1MAX, "1600000" };
	kv[5] = (struct ostune_kv){ K_P0MIN, "1200000" };
	kv[6] = (struct ostune_kv){ self->irqk, strcmp(g.irq_orig, "1") ? "1" : "0" };
	return NHW;
}

/* The effective values hw_kvs() asks for, and nothing else changed. */
static void hw_check_applied(struct __test_metadata *_metadata,
			     FIXTURE_DATA(hw) *self, struct ostune_client *c,
			     const struct ostune_kv *kv)
{
	ASSERT_KNOB("idle.cpu1.state3.disable", "1");
	ASSERT_KNOB("idle.cpu0.state2.disable", "1");
	EXPECT_KNOB("idle.cpu0.state3.disable", "0");
	EXPECT_KNOB("idle.cpu1.state2.disable", "0");
	ASSERT_DMA(20);
	ASSERT_MOD(c, K_RES1, "10");
	EXPECT_MOD(c, K_RES0, "none");
	ASSERT_POLICY(1, "scaling_max_freq", 1600000);
	ASSERT_POLICY(0, "scaling_min_freq", 1200000);
	EXPECT_POLICY(0, "scaling_max_freq", FREQ_MAX);
	EXPECT_POLICY(1, "scaling_min_freq", FREQ_MIN);
	ASSERT_KNOB(self->irqk, kv[6].value);
}

/* Status lists exactly the knobs of kv, with the flags given. */
static void check_held(struct __test_metadata *_metadata,
		       struct ostune_client *c, const struct ostune_kv *kv,
		       size_t n, uint32_t flags)
{
	struct ostune_status st;
	size_t i;

	OK(c, ostune_get_status(c, &st));
	EXPECT_EQ(n, st.nheld);
	for (i = 0; i < n; i++) {
		const struct ostune_held_knob *h = status_find(&st, kv[i].name);

		EXPECT_TRUE(h != NULL) TH_LOG("%s is not held", kv[i].name);
		if (!h)
			continue;
		EXPECT_EQ(flags, h->flags) TH_LOG("%s: flags %#x (current '%s', last written '%s')",
						  h->name, h->flags, h->current,
						  h->last_written);
		EXPECT_STREQ(h->last_written, h->current)
			TH_LOG("%s", h->name);
		/* QoS knobs are the module's own request: none before it */
		if (!strncmp(h->name, "pmqos.", 6) || !strncmp(h->name, "freq.", 5)) {
			EXPECT_STREQ("none", h->original) TH_LOG("%s", h->name);
		}
	}
	ostune_status_free(&st);
}

/* ================================================================== */
/* Restore by every path, all four classes at once                     */
/* ================================================================== */

TEST_F(hw, path_restore_request)
{
	struct ostune_kv kv[NHW];
	struct ostune_event ev[2 * NHW + 4];
	size_t n = hw_kvs(self, kv), i;
	uint32_t txn = 0;
	int got;

	NEED_IRQ();
	SUBSCRIBE();
	OK(&self->c, ostune_apply(&self->c, kv, n, &txn));
	EXPECT_NE(0U, txn);
	hw_check_applied(_metadata, self, &self->c, kv);
	check_held(_metadata, &self->c, kv, n, 0);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 2 * n, 3000);
	EXPECT_EQ((int)n, count_reason(ev, got, OSTUNE_REASON_APPLY));
	EXPECT_EQ((int)n, count_reason(ev, got, OSTUNE_REASON_REQUEST));
	for (i = 0; i < n; i++) {
		const struct ostune_event *e;

		e = event_find(ev, got, kv[i].name, OSTUNE_REASON_REQUEST);
		EXPECT_TRUE(e != NULL) TH_LOG("no restore event for %s", kv[i].name);
		if (e) {
			EXPECT_EQ(0U, e->flags & OSTUNE_KNOB_F_EXTERNAL)
				TH_LOG("%s restored as external", kv[i].name);
		}
	}
}

TEST_F(hw, path_session_close)
{
	struct ostune_kv kv[NHW];
	struct ostune_event ev[2 * NHW + 4];
	size_t n = hw_kvs(self, kv);
	int got;

	NEED_IRQ();
	SUBSCRIBE();
	OK(&self->c, ostune_session_open(&self->c, 10000));
	OK(&self->c, ostune_apply(&self->c, kv, n, NULL));
	hw_check_applied(_metadata, self, &self->c, kv);
	check_held(_metadata, &self->c, kv, n, OSTUNE_KNOB_F_SESSION);
	OK(&self->c, ostune_session_close(&self->c));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 2 * n, 3000);
	EXPECT_EQ((int)n, count_reason(ev, got, OSTUNE_REASON_SESSION_CLOSE));
}

/* kill -9 of the owner: by the time waitpid() returns, all is undone. */
TEST_F(hw, path_owner_kill9)
{
	struct ostune_kv kv[NHW];
	struct ostune_event ev[2 * NHW + 4];
	size_t n = hw_kvs(self, kv);
	int ret, got;

	NEED_IRQ();
	SUBSCRIBE();
	ret = owner_start(&self->own, 10000, kv, n, true);
	ASSERT_EQ(0, ret) TH_LOG("owner child: %s", errname(ret));
	hw_check_applied(_metadata, self, &self->c, kv);
	owner_kill(&self->own);		/* SIGKILL + waitpid */
	/* no waiting: the release notifier waited for the undo */
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 2 * n, 3000);
	EXPECT_EQ((int)n, count_reason(ev, got, OSTUNE_REASON_SOCKET_CLOSE));
}

/*
 * A stalled owner (SIGSTOP) with a 300 ms lease: the watchdog restores
 * while it is still stopped; after SIGCONT its requests fail ETIMEDOUT.
 */
TEST_F_TIMEOUT(hw, path_watchdog_stopped_owner, 60)
{
	struct ostune_kv kv[NHW];
	struct ostune_event ev[2 * NHW + 4];
	size_t n = hw_kvs(self, kv);
	int pfd[2], status, got;
	char res = 1, d[1500];
	pid_t pid;

	NEED_IRQ();
	SUBSCRIBE();
	ASSERT_EQ(0, pipe(pfd));
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct ostune_client c;
		int bad = 0;

		close(pfd[0]);
		res = ostune_client_open(&c) ||
		      ostune_session_open(&c, 300) ||
		      ostune_apply(&c, kv, n, NULL);
		if (write(pfd[1], &res, 1) != 1 || res)
			_exit(100);
		raise(SIGSTOP);
		if (ostune_apply(&c, kv, n, NULL) != -ETIMEDOUT)
			bad |= 1;
		if (ostune_restore(&c, NULL, 0) != -ETIMEDOUT)
			bad |= 2;
		_exit(bad);
	}
	self->child = pid;
	close(pfd[1]);
	ASSERT_EQ(1, read(pfd[0], &res, 1));
	close(pfd[0]);
	ASSERT_EQ(0, res) TH_LOG("child could not open a session and apply");
	ASSERT_EQ(pid, waitpid(pid, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));

	/* the lease is 300 ms; the undo must come well within 5 s */
	ASSERT_EQ(0, hw_settled(&self->hwbefore, 5000, d, sizeof(d)))
		TH_LOG("not restored 5 s after a 300 ms lease: %s", d);
	EXPECT_TRUE(proc_stopped(pid)) TH_LOG("the owner is not stopped any more");
	ASSERT_UNCHANGED();
	EXPECT_EQ(0, wait_no_session(2000));
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 2 * n, 3000);
	EXPECT_EQ((int)n, count_reason(ev, got, OSTUNE_REASON_WATCHDOG));

	kill(pid, SIGCONT);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	self->child = -1;
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("child after SIGCONT: bits %#x (1 apply, 2 restore not ETIMEDOUT)",
		       WEXITSTATUS(status));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* Reloads the module and reopens self->c, so teardown finds it. */

/*
 * rmmod with some knobs kept and the others held by an open session: all
 * go back, and no QoS request outlives the module.
 */
TEST_F_TIMEOUT(hw, path_rmmod, 60)
{
	struct ostune_kv kv[NHW];
	char want[256], line[512];
	int r;

	NEED_IRQ();
	hw_kvs(self, kv);
	ASSERT_TRUE(getenv("OSTUNE_KO") != NULL)
		TH_LOG("OSTUNE_KO is not set: could not load the module again");
	/* kept: idle cpu1, cpu latency, policy1 max, irq */
	{
		struct ostune_kv kept[4] = { kv[0], kv[2], kv[4], kv[6] };
		struct ostune_kv held[3] = { kv[1], kv[3], kv[5] };

		OK(&self->c, ostune_apply(&self->c, kept, 4, NULL));
		OPEN_C2();
		OK(&self->c2, ostune_session_open(&self->c2, 10000));
		OK(&self->c2, ostune_apply(&self->c2, held, 3, NULL));
	}
	hw_check_applied(_metadata, self, &self->c, kv);
	KMSG();
	r = mod_unload();
	ASSERT_EQ(0, r) TH_LOG("rmmod ostune: %s", errname(r));
	ASSERT_FALSE(mod_loaded());
	/* no module, no client: its knobs read <ENOTCONN>; the files must be back */
	{
		struct hwsnap want = self->hwbefore;
		char d[1500];
		size_t i;

		for (i = 0; i < want.n; i++)
			if (!strncmp(want.e[i].name, "pmqos.", 6) ||
			    !strncmp(want.e[i].name, "freq.", 5))
				snprintf(want.e[i].val, sizeof(want.e[i].val),
					 "<ENOTCONN>");
		EXPECT_EQ(0, hw_settled(&want, POLICY_SETTLE_MS, d, sizeof(d)))
			TH_LOG("after rmmod: %s", d);
	}
	snprintf(want, sizeof(want), "idle.cpu1.state3.disable: 1 -> 0 (pid %d %s, restore: unload)",
		 self->pid, self->comm);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 1000))
		TH_LOG("no kernel log line '%s'", want);
	snprintf(want, sizeof(want), "%s: 1600000 -> none (pid %d %s, restore: unload)",
		 K_P1MAX, self->pid, self->comm);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 1000))
		TH_LOG("no kernel log line '%s'", want);
	RELOAD();
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
	/* and it works again */
	OK(&self->c, apply1(&self->c, K_P1MAX, "1200000"));
	ASSERT_POLICY(1, "scaling_max_freq", 1200000);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
}

/* A held session undoes to the kept values it found, RESTORE to originals. */
TEST_F(hw, session_returns_to_kept_values)
{
	struct ostune_kv kept[3] = {
		{ K_P0MAX, "2000000" }, { K_LAT, "100" },
		{ "idle.cpu0.state3.disable", "1" },
	};
	struct ostune_kv held[3] = {
		{ K_P0MAX, "1200000" }, { K_LAT, "30" },
		{ "idle.cpu0.state3.disable", "0" },
	};

	OK(&self->c, ostune_apply(&self->c, kept, 3, NULL));
	OPEN_C2();
	OK(&self->c2, ostune_session_open(&self->c2, 10000));
	OK(&self->c2, ostune_apply(&self->c2, held, 3, NULL));
	ASSERT_POLICY(0, "scaling_max_freq", 1200000);
	ASSERT_DMA(30);
	ASSERT_KNOB("idle.cpu0.state3.disable", "0");
	OK(&self->c2, ostune_session_close(&self->c2));
	ASSERT_POLICY(0, "scaling_max_freq", 2000000);
	ASSERT_MOD(&self->c, K_P0MAX, "2000000");
	ASSERT_DMA(100);
	ASSERT_MOD(&self->c, K_LAT, "100");
	ASSERT_KNOB("idle.cpu0.state3.disable", "1");
	check_held(_metadata, &self->c, kept, 3, 0);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ================================================================== */
/* idle                                                                */
/* ================================================================== */

/* Disabling a state: sysfs says so, and the CPU stops entering it. */
TEST_F_TIMEOUT(hw, idle_disable_stops_usage, 60)
{
	unsigned long long d[MAX_CPUS][NSTATES];
	const char *k = "idle.cpu1.state3.disable";
	char want[256], line[512];
	struct ostune_status st;
	uint32_t txn = 0;

	KMSG();
	tickers_start(self);
	OK(&self->c, ostune_apply(&self->c, &(struct ostune_kv){ k, "1" }, 1, &txn));
	ASSERT_KNOB(k, "1");
	ASSERT_MOD(&self->c, k, "1");
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1U, st.nheld);
	EXPECT_STREQ(k, st.held[0].name);
	EXPECT_STREQ("0", st.held[0].original);
	EXPECT_STREQ("1", st.held[0].last_written);
	EXPECT_EQ(0U, st.held[0].flags);
	ostune_status_free(&st);
	snprintf(want, sizeof(want), "%s: 0 -> 1 (pid %d %s, txn %u)", k,
		 self->pid, self->comm, txn);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 1000))
		TH_LOG("no kernel log line '%s'", want);

	sleep_ms(100);
	usage_delta(d, 800);
	EXPECT_EQ(0ULL, d[1][3]) TH_LOG("cpu1 entered the disabled state3 %llu times",
					d[1][3]);
	EXPECT_LT(0ULL, dsum(d, 1, 0, 2)) TH_LOG("cpu1 did not idle at all");
	EXPECT_LT(0ULL, d[0][3]) TH_LOG("cpu0 did not enter its (enabled) state3");

	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_KNOB(k, "0");
	sleep_ms(100);
	usage_delta(d, 800);
	EXPECT_LT(0ULL, d[1][3]) TH_LOG("cpu1 does not enter state3 again after the restore");
	tickers_stop(self);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* Many states of both CPUs in one transaction, like a pattern expands. */
TEST_F(hw, idle_many_states_both_cpus)
{
	struct ostune_kv kv[6];
	char names[6][64];
	int cpu, k, n = 0;

	for (k = 1; k < NSTATES; k++) {
		for (cpu = 0; cpu < 2; cpu++) {
			snprintf(names[n], sizeof(names[n]),
				 "idle.cpu%d.state%d.disable", cpu, k);
			kv[n].name = names[n];
			kv[n].value = "1";
			n++;
		}
	}
	OK(&self->c, ostune_apply(&self->c, kv, n, NULL));
	for (k = 0; k < n; k++)
		EXPECT_KNOB(kv[k].name, "1");
	EXPECT_KNOB("idle.cpu0.state0.disable", "0");
	EXPECT_KNOB("idle.cpu1.state0.disable", "0");
	check_held(_metadata, &self->c, kv, n, 0);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* The original is what the file had, 1 included; restore writes it back. */
TEST_F(hw, idle_enable_restores_admin_disable)
{
	const char *k = "idle.cpu0.state1.disable";

	ASSERT_EQ(0, knob_write(k, "1"));
	hwsnap_take(&self->hwbefore);
	OK(&self->c, apply1(&self->c, k, "0"));
	ASSERT_KNOB(k, "0");
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_KNOB(k, "1");
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(hw, idle_value_not_0_or_1_einval)
{
	static const char *const bad[] = { "2", "-1", "01", "yes", " 1", "" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct ostune_kv kv[2] = {
			{ "idle.cpu0.state1.disable", "1" },
			{ "idle.cpu1.state1.disable", bad[i] },
		};

		CHECK_ERR(&self->c, ostune_apply(&self->c, kv, 2, NULL), EINVAL,
			  "entry 2 (idle.cpu1.state1.disable)");
	}
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(hw, idle_unknown_state_or_cpu_enoent)
{
	static const char *const bad[] = {
		"idle.cpu0.state9.disable", "idle.cpu1.state4.disable",
		"idle.cpu7.state1.disable", "idle.cpu4096.state1.disable",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK_ERR(&self->c, apply1(&self->c, bad[i], "1"), ENOENT, bad[i]);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* Indexes are canonical decimals; the rest of the name must match. */
TEST_F(hw, noncanonical_names_einval)
{
	static const char *const bad[][2] = {
		{ "idle.cpu01.state1.disable", "1" },
		{ "idle.cpu0.state01.disable", "1" },
		{ "idle.cpu+1.state1.disable", "1" },
		{ "idle.cpu1.state1", "1" },
		{ "idle.cpu1.state1.disable.x", "1" },
		{ "idle.cpu1.disable", "1" },
		{ "pmqos.cpu01.resume_latency_us", "10" },
		{ "pmqos.cpu1.latency_us", "10" },
		{ "freq.policy01.max_khz", "1600000" },
		{ "freq.policy0.max", "1600000" },
		{ "irq.01.affinity", "0" },
		{ "irq.1.mask", "0" },
	};
	char one[64], sub[96];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *name = bad[i][0];

		/* irq.01: make it name the quiet IRQ, so only the 0 is wrong */
		if (!strcmp(name, "irq.01.affinity") && g.irq >= 0) {
			snprintf(one, sizeof(one), "irq.0%d.affinity", g.irq);
			name = one;
		}
		snprintf(sub, sizeof(sub), "entry 1 (%s)", name);
		CHECK_ERR(&self->c, apply1(&self->c, name, bad[i][1]), EINVAL, sub);
	}
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ================================================================== */
/* pmqos                                                               */
/* ================================================================== */

TEST_F(hw, pmqos_cpu_latency_apply_none_restore)
{
	int32_t dflt = 0;

	ASSERT_EQ(0, dma_read(&dflt));
	ASSERT_MOD(&self->c, K_LAT, "none");
	OK(&self->c, apply1(&self->c, K_LAT, "20"));
	ASSERT_DMA(20);
	ASSERT_MOD(&self->c, K_LAT, "20");
	OK(&self->c, apply1(&self->c, K_LAT, "50"));
	ASSERT_DMA(50);
	check_held(_metadata, &self->c, &(struct ostune_kv){ K_LAT, "50" }, 1, 0);
	/* "none" drops the request, the knob stays held */
	OK(&self->c, apply1(&self->c, K_LAT, "none"));
	ASSERT_DMA(dflt);
	ASSERT_MOD(&self->c, K_LAT, "none");
	OK(&self->c, apply1(&self->c, K_LAT, "0"));
	ASSERT_DMA(0);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_DMA(dflt);
	ASSERT_MOD(&self->c, K_LAT, "none");
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* Another holder of /dev/cpu_dma_latency keeps its say after our restore. */
TEST_F(hw, pmqos_cpu_latency_other_holder)
{
	int32_t dflt = 0;

	ASSERT_EQ(0, dma_read(&dflt));
	self->holder = open(DMA_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->holder) TH_LOG("open %s: %s", DMA_PATH, strerror(errno));
	ASSERT_EQ(0, write_s32(self->holder, 100));
	ASSERT_DMA(100);
	OK(&self->c, apply1(&self->c, K_LAT, "20"));
	ASSERT_DMA(20);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_DMA(100);
	/* a looser request of ours does not loosen the holder's */
	OK(&self->c, apply1(&self->c, K_LAT, "500"));
	ASSERT_DMA(100);
	ASSERT_MOD(&self->c, K_LAT, "500");
	/* the holder lets go while ours is in force: ours is what is left */
	close(self->holder);
	self->holder = -1;
	ASSERT_DMA(500);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_DMA(dflt);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/*
 * A resume latency of 10 us on cpu1: the governor keeps cpu1 out of
 * FAKE-C2 (50 us) and FAKE-C3 (200 us), cpu0 is not affected. The sysfs
 * file shows only user space's own request, not ours.
 */
TEST_F_TIMEOUT(hw, pmqos_resume_latency_cpu1, 60)
{
	unsigned long long d[MAX_CPUS][NSTATES];
	const char *sysfs1 = CPU_DIR "/cpu1/power/pm_qos_resume_latency_us";
	char before[32];

	ASSERT_EQ(0, file_read(sysfs1, before, sizeof(before)));
	tickers_start(self);
	OK(&self->c, apply1(&self->c, K_RES1, "10"));
	ASSERT_MOD(&self->c, K_RES1, "10");
	EXPECT_MOD(&self->c, K_RES0, "none");
	/* the file is user space's request; ours is aggregated elsewhere */
	EXPECT_FILE(sysfs1, before);
	sleep_ms(100);
	usage_delta(d, 800);
	EXPECT_EQ(0ULL, dsum(d, 1, 2, 3))
		TH_LOG("cpu1 entered FAKE-C2/C3 (%llu, %llu times) despite a 10 us resume latency",
		       d[1][2], d[1][3]);
	EXPECT_LT(0ULL, dsum(d, 1, 0, 1)) TH_LOG("cpu1 did not idle at all");
	EXPECT_LT(0ULL, dsum(d, 0, 2, 3)) TH_LOG("cpu0 did not enter FAKE-C2/C3");

	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_MOD(&self->c, K_RES1, "none");
	sleep_ms(100);
	usage_delta(d, 800);
	EXPECT_LT(0ULL, dsum(d, 1, 2, 3))
		TH_LOG("cpu1 does not enter FAKE-C2/C3 again after the restore");
	tickers_stop(self);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* User space's own resume latency request (sysfs) outlives our restore. */
TEST_F_TIMEOUT(hw, pmqos_resume_latency_user_request_kept, 60)
{
	unsigned long long d[MAX_CPUS][NSTATES];
	const char *sysfs1 = CPU_DIR "/cpu1/power/pm_qos_resume_latency_us";

	/* 100 us: FAKE-C3 (200 us) is out, FAKE-C2 (50 us) is in */
	ASSERT_EQ(0, file_write(sysfs1, "100"));
	OK(&self->c, apply1(&self->c, K_RES1, "10"));
	ASSERT_FILE(sysfs1, "100");
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_MOD(&self->c, K_RES1, "none");
	ASSERT_FILE(sysfs1, "100");
	tickers_start(self);
	usage_delta(d, 800);
	EXPECT_EQ(0ULL, d[1][3]) TH_LOG("cpu1 entered FAKE-C3 %llu times: user's 100 us lost",
					d[1][3]);
	EXPECT_LT(0ULL, d[1][2]) TH_LOG("cpu1 does not enter FAKE-C2: our 10 us still in force?");
	tickers_stop(self);
	ASSERT_EQ(0, file_write(sysfs1, "0"));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(hw, pmqos_bad_values)
{
	static const char *const bad[][3] = {
		/* name, value, errno as a string */
		{ K_LAT, "-1", "ERANGE" },
		{ K_LAT, "2000000001", "ERANGE" },
		{ K_LAT, "abc", "EINVAL" },
		{ K_LAT, "", "EINVAL" },
		{ K_LAT, "NONE", "EINVAL" },
		{ K_RES1, "2147483647", "ERANGE" },
		{ K_RES1, "-5", "ERANGE" },
		{ K_RES1, "10us", "EINVAL" },
		{ "pmqos.cpu7.resume_latency_us", "10", "ENOENT" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int want = !strcmp(bad[i][2], "ERANGE") ? ERANGE :
			   !strcmp(bad[i][2], "ENOENT") ? ENOENT : EINVAL;
		struct ostune_kv kv[2] = {
			{ K_P0MAX, "1600000" }, { bad[i][0], bad[i][1] },
		};
		char sub[96];

		snprintf(sub, sizeof(sub), "entry 2 (%s)", bad[i][0]);
		CHECK_ERR(&self->c, ostune_apply(&self->c, kv, 2, NULL), want, sub);
	}
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ================================================================== */
/* freq                                                                */
/* ================================================================== */

/* Waits up to ms for policy cpu's scaling_cur_freq to be within lo..hi. */
static int cur_within(int cpu, int lo, int hi, unsigned int ms, int *cur)
{
	uint64_t end = now_ms() + ms;
	char path[128], buf[32];

	policy_path(path, sizeof(path), cpu, "scaling_cur_freq");
	for (;;) {
		*cur = file_read(path, buf, sizeof(buf)) ? -1 : atoi(buf);
		if (*cur >= lo && *cur <= hi)
			return 0;
		if (now_ms() >= end)
			return -ETIMEDOUT;
		sleep_ms(20);
	}
}

/*
 * A window moved across the current one in both directions, each move
 * one transaction: raising both min and max above the current max, then
 * lowering both below the current min. Request order is min then max the
 * first time and max then min the second, so that only the class's own
 * ordering can get it right.
 */
TEST_F(hw, freq_window_both_directions)
{
	struct ostune_kv low[4] = {
		{ K_P0MIN, "800000" }, { K_P0MAX, "1200000" },
		{ K_P1MIN, "800000" }, { K_P1MAX, "1200000" },
	};
	struct ostune_kv up[4] = {
		{ K_P0MIN, "2000000" }, { K_P0MAX, "2400000" },
		{ K_P1MIN, "2000000" }, { K_P1MAX, "2400000" },
	};
	struct ostune_kv down[4] = {
		{ K_P0MAX, "1200000" }, { K_P0MIN, "800000" },
		{ K_P1MAX, "1200000" }, { K_P1MIN, "800000" },
	};
	int cpu, cur;

	OK(&self->c, ostune_apply(&self->c, low, 4, NULL));
	for (cpu = 0; cpu < 2; cpu++) {
		ASSERT_POLICY(cpu, "scaling_min_freq", 800000);
		ASSERT_POLICY(cpu, "scaling_max_freq", 1200000);
	}
	OK(&self->c, ostune_apply(&self->c, up, 4, NULL));
	for (cpu = 0; cpu < 2; cpu++) {
		ASSERT_POLICY(cpu, "scaling_min_freq", 2000000);
		ASSERT_POLICY(cpu, "scaling_max_freq", 2400000);
		EXPECT_EQ(0, cur_within(cpu, 2000000, 2400000, 2000, &cur))
			TH_LOG("policy%d scaling_cur_freq %d", cpu, cur);
	}
	ASSERT_MOD(&self->c, K_P0MIN, "2000000");
	ASSERT_MOD(&self->c, K_P1MAX, "2400000");
	OK(&self->c, ostune_apply(&self->c, down, 4, NULL));
	for (cpu = 0; cpu < 2; cpu++) {
		ASSERT_POLICY(cpu, "scaling_min_freq", 800000);
		ASSERT_POLICY(cpu, "scaling_max_freq", 1200000);
		EXPECT_EQ(0, cur_within(cpu, 800000, 1200000, 2000, &cur))
			TH_LOG("policy%d scaling_cur_freq %d", cpu, cur);
	}
	check_held(_metadata, &self->c, low, 4, 0);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* scaling_cur_freq follows the window the module sets. */
TEST_F(hw, freq_cur_within_window)
{
	struct ostune_kv pin[2] = { { K_P0MIN, "1600000" }, { K_P0MAX, "1600000" } };
	struct ostune_kv win[2] = { { K_P0MIN, "800000" }, { K_P0MAX, "1200000" } };
	int cur;

	OK(&self->c, ostune_apply(&self->c, pin, 2, NULL));
	ASSERT_POLICY(0, "scaling_min_freq", 1600000);
	ASSERT_POLICY(0, "scaling_max_freq", 1600000);
	EXPECT_EQ(0, cur_within(0, 1600000, 1600000, 2000, &cur))
		TH_LOG("scaling_cur_freq %d, pinned at 1600000", cur);
	OK(&self->c, ostune_apply(&self->c, win, 2, NULL));
	EXPECT_EQ(0, cur_within(0, 800000, 1200000, 2000, &cur))
		TH_LOG("scaling_cur_freq %d, window 800000..1200000", cur);
	/* policy1 was never part of it */
	EXPECT_POLICY(1, "scaling_min_freq", FREQ_MIN);
	EXPECT_POLICY(1, "scaling_max_freq", FREQ_MAX);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(hw, freq_out_of_range_erange)
{
	static const char *const bad[][2] = {
		{ K_P0MAX, "3000000" }, { K_P0MAX, "2400001" },
		{ K_P1MIN, "799999" }, { K_P1MIN, "0" },
		{ K_P0MIN, "-5" }, { K_P0MAX, "2147483647" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct ostune_kv kv[2] = {
			{ "idle.cpu0.state2.disable", "1" }, { bad[i][0], bad[i][1] },
		};
		char sub[96];

		snprintf(sub, sizeof(sub), "entry 2 (%s)", bad[i][0]);
		CHECK_ERR(&self->c, ostune_apply(&self->c, kv, 2, NULL), ERANGE, sub);
	}
	CHECK_ERR(&self->c, apply1(&self->c, K_P0MAX, "fast"), EINVAL, "entry 1");
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* A policy this host does not have: ENOENT, like an unknown CPU or state. */
TEST_F(hw, freq_unknown_policy_enoent)
{
	static const char *const bad[] = {
		"freq.policy2.max_khz", "freq.policy7.min_khz",
		"freq.policy4096.max_khz",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK_ERR(&self->c, apply1(&self->c, bad[i], "1600000"), ENOENT,
			  bad[i]);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/*
 * One policy for both CPUs (fake_cpufreq shared=1): it is policy0, after
 * its first CPU; policy1 does not exist, and policy0's limits are cpu1's.
 */
TEST_F_TIMEOUT(hw, freq_shared_policy_named_after_first_cpu, 60)
{
	char p[128];
	int r;

	r = fixture_unload("fake_cpufreq");
	ASSERT_EQ(0, r) TH_LOG("rmmod fake_cpufreq: %s", errname(r));
	r = fixture_load("fake_cpufreq", "shared=1");
	ASSERT_EQ(0, r) TH_LOG("insmod fake_cpufreq shared=1: %s", errname(r));
	policy_path(p, sizeof(p), 0, "related_cpus");
	ASSERT_FILE(p, "0 1");
	ASSERT_NE(0, access(CPUFREQ_DIR "/policy1", F_OK));
	OK(&self->c, apply1(&self->c, K_P0MAX, "1200000"));
	ASSERT_POLICY(0, "scaling_max_freq", 1200000);
	{
		char v[VALBUF];

		/* cpu1's view of its policy: the same */
		EXPECT_EQ(0, wait_file(CPU_DIR "/cpu1/cpufreq/scaling_max_freq",
				       "1200000", POLICY_SETTLE_MS, v, sizeof(v)))
			TH_LOG("cpu1/cpufreq/scaling_max_freq is '%s'", v);
	}
	CHECK_ERR(&self->c, apply1(&self->c, K_P1MAX, "1600000"), ENOENT,
		  "entry 1 (freq.policy1.max_khz)");
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_POLICY(0, "scaling_max_freq", FREQ_MAX);
	ASSERT_IDLE(&self->c);
	r = fixture_unload("fake_cpufreq");
	ASSERT_EQ(0, r) TH_LOG("rmmod fake_cpufreq: %s", errname(r));
	r = fixture_load("fake_cpufreq", NULL);
	ASSERT_EQ(0, r) TH_LOG("insmod fake_cpufreq: %s", errname(r));
	ASSERT_UNCHANGED();
}

/*
 * cpu1 offline: policy1 is inactive. A knob the module holds no request
 * for reads "none" there too, as every QoS knob without one does.
 */
TEST_F_TIMEOUT(hw, freq_inactive_policy_reads_none, 60)
{
	OFFLINE(1);
	EXPECT_MOD(&self->c, K_P1MAX, "none");
	EXPECT_MOD(&self->c, K_P1MIN, "none");
	EXPECT_MOD(&self->c, K_RES1, "none");
	ONLINE(1);
	ASSERT_UNCHANGED();
}

/*
 * The user's own scaling_{min,max}_freq writes are QoS requests of their
 * own: both are in force with ours, and are what remains after restore.
 */
TEST_F(hw, freq_user_limits_respected)
{
	char p[128];

	policy_path(p, sizeof(p), 1, "scaling_max_freq");
	ASSERT_EQ(0, file_write(p, "2000000"));
	policy_path(p, sizeof(p), 1, "scaling_min_freq");
	ASSERT_EQ(0, file_write(p, "1200000"));
	ASSERT_POLICY(1, "scaling_max_freq", 2000000);
	ASSERT_POLICY(1, "scaling_min_freq", 1200000);
	hwsnap_take(&self->hwbefore);

	/* tighter than the user's: ours wins */
	OK(&self->c, apply1(&self->c, K_P1MAX, "1600000"));
	ASSERT_POLICY(1, "scaling_max_freq", 1600000);
	/* looser than the user's: the user's wins */
	OK(&self->c, apply1(&self->c, K_P1MIN, "800000"));
	ASSERT_POLICY(1, "scaling_min_freq", 1200000);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_POLICY(1, "scaling_max_freq", 2000000);
	ASSERT_POLICY(1, "scaling_min_freq", 1200000);
	/* and the other way round: ours looser on max, tighter on min */
	OK(&self->c, apply1(&self->c, K_P1MAX, "2400000"));
	ASSERT_POLICY(1, "scaling_max_freq", 2000000);
	OK(&self->c, apply1(&self->c, K_P1MIN, "1600000"));
	ASSERT_POLICY(1, "scaling_min_freq", 1600000);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/*
 * The driver goes away while the module holds requests on its policies:
 * no crash, the knobs read "none", their restore reports them as changed
 * externally; loaded again, the policies have no request of ours.
 */
TEST_F_TIMEOUT(hw, freq_driver_unload_while_held, 60)
{
	struct ostune_kv kv[2] = { { K_P1MAX, "1600000" }, { K_P0MIN, "1200000" } };
	struct ostune_event ev[8];
	struct ostune_status st;
	const struct ostune_event *e;
	size_t i;
	int r, got;

	OK(&self->c, ostune_apply(&self->c, kv, 2, NULL));
	ASSERT_POLICY(1, "scaling_max_freq", 1600000);
	SUBSCRIBE();
	r = fixture_unload("fake_cpufreq");
	ASSERT_EQ(0, r) TH_LOG("rmmod fake_cpufreq: %s", errname(r));
	ASSERT_NE(0, access(CPUFREQ_DIR "/policy1", F_OK));
	for (i = 0; i < 2; i++)
		EXPECT_MOD(&self->c, kv[i].name, "none");
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(2U, st.nheld);
	for (i = 0; i < st.nheld; i++) {
		EXPECT_TRUE(st.held[i].flags & OSTUNE_KNOB_F_DRIFT)
			TH_LOG("%s: no drift shown (current '%s', last written '%s')",
			       st.held[i].name, st.held[i].current,
			       st.held[i].last_written);
	}
	ostune_status_free(&st);
	r = ostune_restore(&self->c, NULL, 0);
	EXPECT_EQ(0, r) TH_LOG("restore without the driver: %s, extack '%s'",
			       errname(r), self->c.err_msg);
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 2, 2000);
	for (i = 0; i < 2; i++) {
		e = event_find(ev, got, kv[i].name, OSTUNE_REASON_REQUEST);
		EXPECT_TRUE(e && (e->flags & OSTUNE_KNOB_F_EXTERNAL))
			TH_LOG("%s: no restore event flagged external", kv[i].name);
	}
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(0U, st.nheld) TH_LOG("%zu knobs still held without the driver",
				       st.nheld);
	ostune_status_free(&st);

	r = fixture_load("fake_cpufreq", NULL);
	ASSERT_EQ(0, r) TH_LOG("insmod fake_cpufreq: %s", errname(r));
	/* new policies: none of our requests may be on them */
	EXPECT_POLICY(1, "scaling_max_freq", FREQ_MAX);
	EXPECT_POLICY(0, "scaling_min_freq", FREQ_MIN);
	/* what the restore above left held is external now */
	r = ostune_restore(&self->c, NULL, 0);
	EXPECT_EQ(0, r) TH_LOG("restore after reload: %s, extack '%s'",
			       errname(r), self->c.err_msg);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ================================================================== */
/* irq                                                                 */
/* ================================================================== */

TEST_F(hw, irq_apply_restore_exact_mask)
{
	const char *k = self->irqk;
	struct ostune_status st;
	char orig[64];

	NEED_IRQ();
	ASSERT_EQ(0, knob_read(k, orig, sizeof(orig)));
	OK(&self->c, apply1(&self->c, k, "1"));
	ASSERT_KNOB(k, "1");
	OK(&self->c, apply1(&self->c, k, "0"));
	ASSERT_KNOB(k, "0");
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1U, st.nheld);
	EXPECT_STREQ(orig, st.held[0].original);
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_KNOB(k, orig);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/*
 * What the module reads as the knob's value is what /proc/irq/N shows:
 * the mask last asked for. On x86 without interrupt remapping the move
 * itself waits for the interrupt's next arrival.
 */
TEST_F(hw, irq_knob_reads_requested_mask)
{
	const char *k = self->irqk;
	struct ostune_status st;

	NEED_IRQ();
	OK(&self->c, apply1(&self->c, k, "1"));
	ASSERT_KNOB(k, "1");
	EXPECT_MOD(&self->c, k, "1");
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1U, st.nheld);
	EXPECT_STREQ("1", st.held[0].last_written);
	EXPECT_STREQ("1", st.held[0].current);
	EXPECT_EQ(0U, st.held[0].flags & OSTUNE_KNOB_F_DRIFT);
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* Makes ttyS0's interrupt fire: a byte out of the console port. */
static void kick_ttyS0(void)
{
	int fd = open("/dev/ttyS0", O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return;
	r = write(fd, "\r\n", 2);
	(void)r;	/* a failure shows as an interrupt that never moves */
	close(fd);
}

/*
 * An interrupt that fires: the move lands (effective_affinity_list follows)
 * before the restore. The restore must still see its own value and put
 * the original mask back, not report a change nobody made.
 */
TEST_F(hw, irq_restore_after_move_lands)
{
	char k[32], eff[64], orig[64], effp[96];
	struct ostune_event ev[4];
	uint64_t end;
	int got;

	if (g.irq_busy < 0)
		SKIP(return, "no movable ttyS0 interrupt in /proc/interrupts");
	snprintf(k, sizeof(k), "irq.%d.affinity", g.irq_busy);
	snprintf(effp, sizeof(effp), IRQ_DIR "/%d/effective_affinity_list",
		 g.irq_busy);
	ASSERT_EQ(0, knob_read(k, orig, sizeof(orig)));
	SUBSCRIBE();
	OK(&self->c, apply1(&self->c, k, "1"));
	ASSERT_KNOB(k, "1");
	end = now_ms() + 3000;
	for (;;) {
		kick_ttyS0();
		if (!file_read(effp, eff, sizeof(eff)) && !strcmp(eff, "1"))
			break;
		ASSERT_LT(now_ms(), end) TH_LOG("irq %d never moved to cpu1 (effective %s)",
						g.irq_busy, eff);
		sleep_ms(50);
	}
	EXPECT_MOD(&self->c, k, "1");
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	EXPECT_KNOB(k, orig);
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 2, 2000);
	{
		const struct ostune_event *e = event_find(ev, got, k, OSTUNE_REASON_REQUEST);

		EXPECT_TRUE(e != NULL) TH_LOG("no restore event");
		if (e) {
			EXPECT_EQ(0U, e->flags & OSTUNE_KNOB_F_EXTERNAL)
				TH_LOG("restore left it as changed externally: '%s' (ostune wrote '%s')",
				       e->value, e->old);
		}
	}
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(hw, irq_bad_cpu_lists_einval)
{
	/* "0,,1" and " 0" are fine: bitmap_parselist() skips blanks and commas */
	static const char *const bad[] = {
		"", ",", "x-y", "1-0", "0-7", "2", "4096", "-1", "0-1 x", "0:1",
	};
	char sub[64];
	size_t i;

	NEED_IRQ();
	snprintf(sub, sizeof(sub), "entry 2 (%s)", self->irqk);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct ostune_kv kv[2] = {
			{ K_LAT, "20" }, { self->irqk, bad[i] },
		};
		int r = ostune_apply(&self->c, kv, 2, NULL);

		EXPECT_EQ(-EINVAL, r) TH_LOG("CPU list '%s': %s, extack '%s'",
					     bad[i], errname(r), self->c.err_msg);
		EXPECT_TRUE(has(self->c.err_msg, sub))
			TH_LOG("CPU list '%s': extack '%s'", bad[i], self->c.err_msg);
		if (!r)
			ostune_restore(&self->c, NULL, 0);
	}
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(hw, irq_unknown_enoent)
{
	CHECK_ERR(&self->c, apply1(&self->c, "irq.100000.affinity", "0"), ENOENT,
		  "entry 1 (irq.100000.affinity)");
	CHECK_ERR(&self->c, apply1(&self->c, "irq.4294967295.affinity", "0"),
		  ENOENT, "entry 1");
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* An IRQ /proc/irq refuses to move (the timer's): the module refuses too. */
TEST_F(hw, irq_not_movable_refused)
{
	char k[32], cur[64], p[96];

	if (g.irq_fixed < 0)
		SKIP(return, "every IRQ in /proc/interrupts is movable here");
	snprintf(k, sizeof(k), "irq.%d.affinity", g.irq_fixed);
	ASSERT_EQ(0, knob_read(k, cur, sizeof(cur)));
	knob_path(k, p, sizeof(p));
	ASSERT_NE(0, file_write(p, cur)) TH_LOG("irq %d is movable after all", g.irq_fixed);
	CHECK_ERR(&self->c, apply1(&self->c, k, "0"), EINVAL, "cannot be moved");
	EXPECT_TRUE(has(self->c.err_msg, "entry 1") && has(self->c.err_msg, k))
		TH_LOG("extack '%s' does not name entry 1 (%s)", self->c.err_msg, k);
	CHECK_ERR(&self->c, apply1(&self->c, k, cur), EINVAL, k);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/*
 * GET_KNOBS flags the IRQ as fixed, whatever its file mode says (6.1's
 * is writable), and a movable one not.
 */
TEST_F(hw, irq_fixed_flagged)
{
	struct ostune_knob_value v[2];
	char fixed[32], movable[32];
	const char *names[2] = { fixed, movable };

	NEED_IRQ();
	if (g.irq_fixed < 0)
		SKIP(return, "every IRQ in /proc/interrupts is movable here");
	snprintf(fixed, sizeof(fixed), "irq.%d.affinity", g.irq_fixed);
	snprintf(movable, sizeof(movable), "irq.%d.affinity", g.irq);
	OK(&self->c, ostune_get_knobs(&self->c, names, 2, v));
	EXPECT_NE(0U, v[0].flags & OSTUNE_KNOB_F_FIXED) TH_LOG("%s not flagged fixed", fixed);
	EXPECT_EQ(0U, v[1].flags & OSTUNE_KNOB_F_FIXED) TH_LOG("%s flagged fixed", movable);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/*
 * The CLI asks the module: a pattern with a value leaves the fixed IRQ
 * out of its plan and its transaction, and `ostune knobs` shows it fixed,
 * on 6.1 too.
 */
TEST_F(hw, cli_irq_pattern_skips_fixed)
{
	char fixed[40], movable[40], out[16384], err[4096];
	char *line;

	NEED_CLI();
	NEED_IRQ();
	if (g.irq_fixed < 0)
		SKIP(return, "every IRQ in /proc/interrupts is movable here");
	snprintf(fixed, sizeof(fixed), "irq.%d.affinity:", g.irq_fixed);
	snprintf(movable, sizeof(movable), "irq.%d.affinity:", g.irq);
	ASSERT_EQ(0, CLI("set", "--plan", "irq.*.affinity=0")) TH_LOG("stderr: %s", err);
	EXPECT_TRUE(has(out, movable)) TH_LOG("plan without %s: %s", movable, out);
	EXPECT_FALSE(has(out, fixed)) TH_LOG("plan with %s: %s", fixed, out);
	ASSERT_EQ(0, CLI("knobs", "irq.*.affinity")) TH_LOG("stderr: %s", err);
	fixed[strlen(fixed) - 1] = '\0';
	line = strstr(out, fixed);
	ASSERT_NE(NULL, line) TH_LOG("knobs does not list %s: %s", fixed, out);
	line[strcspn(line, "\n")] = '\0';
	EXPECT_TRUE(has(line, "fixed")) TH_LOG("not shown fixed: %s", line);
	/* and the transaction the module would refuse with it goes through */
	ASSERT_EQ(0, CLI("set", "irq.*.affinity=0")) TH_LOG("stderr: %s", err);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/*
 * fake_irq.ko's interrupt: its number, and the knob that names it. The
 * fixture frees it and maps another interrupt on a write of 1 to "remap",
 * which usually gets the same number.
 */
#define FAKE_IRQ_PARAMS "/sys/module/fake_irq/parameters/"

static int fake_irq_number(void)
{
	char v[32];
	int r = file_read(FAKE_IRQ_PARAMS "irq", v, sizeof(v));

	return r ? r : atoi(v);
}

/*
 * An interrupt number is only a name. A kept irq.N.affinity whose
 * interrupt is freed and whose number goes to another interrupt with,
 * by chance, the very mask ostune last wrote: the module must not take
 * the new one for the old. A new APPLY to the name is refused while the
 * stale knob is held (-ESTALE, the entry named), nothing is written to
 * the new interrupt, and RESTORE lets the knob go (flagged GONE, logged)
 * and leaves the new interrupt's mask alone instead of writing the old
 * one's original onto it.
 */
TEST_F(hw, irq_number_reused_while_held)
{
	char k[40], dir[40], sub[96], orig[VALBUF], line[256];
	const char *one, *other;
	struct ostune_event ev[4];
	const struct ostune_event *e;
	struct ostune_status st;
	int irq, irq2, r, got;

	r = fixture_load("fake_irq", NULL);
	ASSERT_EQ(0, r) TH_LOG("cannot load fake_irq.ko from $OSTUNE_FIXTURES: %s",
			       errname(r));
	irq = fake_irq_number();
	ASSERT_LT(0, irq) TH_LOG("fake_irq has no interrupt: %s", errname(irq));
	snprintf(k, sizeof(k), "irq.%d.affinity", irq);
	snprintf(dir, sizeof(dir), IRQ_DIR "/%d", irq);
	ASSERT_EQ(0, knob_read(k, orig, sizeof(orig)))
		TH_LOG("no %s/smp_affinity_list", dir);
	one = strcmp(orig, "1") ? "1" : "0";
	other = strcmp(one, "1") ? "1" : "0";

	/* kept, as `ostune set` does */
	OK(&self->c, apply1(&self->c, k, one));
	ASSERT_KNOB(k, one);

	/* the interrupt goes; another takes its number, with the same mask */
	ASSERT_EQ(0, file_write(FAKE_IRQ_PARAMS "remap_affinity", one));
	ASSERT_EQ(0, file_write(FAKE_IRQ_PARAMS "remap", "1"));
	irq2 = fake_irq_number();
	ASSERT_LT(0, irq2) TH_LOG("fake_irq has no interrupt after the remap");
	if (irq2 != irq) {
		OK(&self->c, ostune_restore(&self->c, NULL, 0));
		fixture_unload("fake_irq");
		SKIP(return, "the kernel gave the new interrupt number %d, not %d: no reuse to test",
		     irq2, irq);
	}
	ASSERT_KNOB(k, one);
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(1U, st.nheld);
	EXPECT_TRUE(status_find(&st, k) != NULL) TH_LOG("%s is not held", k);
	ostune_status_free(&st);

	/* a new change to the name is refused while the old one is held */
	snprintf(sub, sizeof(sub), "entry 1 (%s)", k);
	CHECK_ERR(&self->c, apply1(&self->c, k, other), ESTALE, sub);
	EXPECT_TRUE(has(self->c.err_msg, "names another object"))
		TH_LOG("extack '%s'", self->c.err_msg);
	EXPECT_KNOB(k, one);

	/* restore: let go, the new interrupt's mask left as it is */
	SUBSCRIBE();
	KMSG();
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_KNOB(k, one);
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 1, 2000);
	e = event_find(ev, got, k, OSTUNE_REASON_REQUEST);
	ASSERT_TRUE(e != NULL) TH_LOG("no restore event for %s", k);
	EXPECT_TRUE(e->flags & OSTUNE_KNOB_F_GONE)
		TH_LOG("restore event flags %#x, value '%s': not let go as gone",
		       e->flags, e->value);
	snprintf(sub, sizeof(sub), "%s: names another object now", k);
	EXPECT_EQ(1, kmsg_find(self->kmsg, sub, line, sizeof(line), 2000))
		TH_LOG("no '%s' in the kernel log", sub);
	ASSERT_IDLE(&self->c);

	/* the name is free again: the new interrupt is an ordinary knob */
	OK(&self->c, apply1(&self->c, k, other));
	ASSERT_KNOB(k, other);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_KNOB(k, one);
	ASSERT_IDLE(&self->c);

	r = fixture_unload("fake_irq");
	ASSERT_EQ(0, r) TH_LOG("rmmod fake_irq: %s", errname(r));
	EXPECT_NE(0, access(dir, F_OK)) TH_LOG("%s is still there", dir);
	ASSERT_UNCHANGED();
}

/* ================================================================== */
/* Admin changes win                                                   */
/* ================================================================== */

TEST_F(hw, drift_idle_left_alone)
{
	const char *k = "idle.cpu1.state2.disable";
	struct ostune_event ev[4];
	const struct ostune_event *e;
	struct ostune_status st;
	char want[256], line[512];
	int got;

	OK(&self->c, apply1(&self->c, k, "1"));
	ASSERT_EQ(0, knob_write(k, "0"));
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1U, st.nheld);
	EXPECT_TRUE(st.held[0].flags & OSTUNE_KNOB_F_DRIFT);
	EXPECT_STREQ("0", st.held[0].current);
	ostune_status_free(&st);
	SUBSCRIBE();
	KMSG();
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_KNOB(k, "0");
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 1, 2000);
	e = event_find(ev, got, k, OSTUNE_REASON_REQUEST);
	ASSERT_TRUE(e != NULL) TH_LOG("no restore event");
	EXPECT_TRUE(e->flags & OSTUNE_KNOB_F_EXTERNAL);
	EXPECT_STREQ("0", e->value);
	snprintf(want, sizeof(want), "%s: left at 0, changed externally (ostune wrote 1; restore: request)",
		 k);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 1000))
		TH_LOG("no kernel log line '%s'", want);
	ASSERT_IDLE(&self->c);

	/*
	 * An admin who writes back the very value ostune wrote changed
	 * nothing: the session's end restores both knobs.
	 */
	ASSERT_EQ(0, knob_write(k, "0"));
	OK(&self->c, ostune_session_open(&self->c, 10000));
	OK(&self->c, apply1(&self->c, "idle.cpu0.state2.disable", "1"));
	OK(&self->c, apply1(&self->c, k, "1"));
	ASSERT_EQ(0, knob_write("idle.cpu0.state2.disable", "0"));
	ASSERT_EQ(0, knob_write("idle.cpu0.state2.disable", "1"));
	ASSERT_EQ(0, knob_write(k, "0"));
	ASSERT_EQ(0, knob_write(k, "1"));
	OK(&self->c, ostune_session_close(&self->c));
	ASSERT_KNOB(k, "0");
	ASSERT_KNOB("idle.cpu0.state2.disable", "0");
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(hw, drift_irq_left_alone)
{
	const char *k = self->irqk;
	struct ostune_event ev[4];
	const struct ostune_event *e;
	struct ostune_status st;
	int got;

	NEED_IRQ();
	ASSERT_STRNE("0", g.irq_orig);
	OK(&self->c, apply1(&self->c, k, "1"));
	ASSERT_EQ(0, knob_write(k, "0"));
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1U, st.nheld);
	EXPECT_TRUE(st.held[0].flags & OSTUNE_KNOB_F_DRIFT)
		TH_LOG("no drift: current '%s', last written '%s'",
		       st.held[0].current, st.held[0].last_written);
	ostune_status_free(&st);
	SUBSCRIBE();
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	EXPECT_KNOB(k, "0");
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 1, 2000);
	e = event_find(ev, got, k, OSTUNE_REASON_REQUEST);
	ASSERT_TRUE(e != NULL) TH_LOG("no restore event");
	EXPECT_TRUE(e->flags & OSTUNE_KNOB_F_EXTERNAL)
		TH_LOG("restored to '%s' over the admin's 0", e->value);
	ASSERT_IDLE(&self->c);
	ASSERT_EQ(0, knob_write(k, g.irq_orig));
	ASSERT_UNCHANGED();
}

/* ================================================================== */
/* Atomicity across all six classes                                    */
/* ================================================================== */

/* sched, sysctl, idle, pmqos, freq, irq: one valid change of each. */
static void six_kvs(FIXTURE_DATA(hw) *self, struct ostune_kv *kv,
		    char vals[2][32])
{
	char cur[VALBUF];

	knob_read(K_MIG, cur, sizeof(cur));
	snprintf(vals[0], 32, "%s", strcmp(cur, "250000") ? "250000" : "300000");
	knob_read(K_SWAP, cur, sizeof(cur));
	snprintf(vals[1], 32, "%s", strcmp(cur, "10") ? "10" : "20");
	kv[0] = (struct ostune_kv){ K_MIG, vals[0] };
	kv[1] = (struct ostune_kv){ K_SWAP, vals[1] };
	kv[2] = (struct ostune_kv){ "idle.cpu1.state2.disable", "1" };
	kv[3] = (struct ostune_kv){ K_LAT, "30" };
	kv[4] = (struct ostune_kv){ K_P0MAX, "2000000" };
	kv[5] = (struct ostune_kv){ self->irqk, strcmp(g.irq_orig, "1") ? "1" : "0" };
}

TEST_F(hw, atomic_six_classes_apply_restore)
{
	struct ostune_kv kv[6];
	char vals[2][32], cur[VALBUF];

	NEED_IRQ();
	six_kvs(self, kv, vals);
	OK(&self->c, ostune_apply(&self->c, kv, 6, NULL));
	ASSERT_EQ(0, knob_read(K_MIG, cur, sizeof(cur)));
	EXPECT_STREQ(kv[0].value, cur);
	ASSERT_EQ(0, knob_read(K_SWAP, cur, sizeof(cur)));
	EXPECT_STREQ(kv[1].value, cur);
	ASSERT_KNOB(kv[2].name, "1");
	ASSERT_DMA(30);
	ASSERT_POLICY(0, "scaling_max_freq", 2000000);
	ASSERT_KNOB(kv[5].name, kv[5].value);
	check_held(_metadata, &self->c, kv, 6, 0);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* Entry pos (1-based) of the six is invalid: nothing is written at all. */
static void six_bad_at(struct __test_metadata *_metadata,
		       FIXTURE_DATA(hw) *self, int pos)
{
	static const struct { const char *name, *value; int err; } bad[6] = {
		{ "sched.ostune_no_such_tunable", "1", ENOENT },
		{ "sysctl.vm.ostune_no_such_knob", "1", ENOENT },
		{ "idle.cpu1.state2.disable", "2", EINVAL },
		{ K_LAT, "2000000001", ERANGE },
		{ K_P0MAX, "2600000", ERANGE },
		{ NULL, "0-7", EINVAL },	/* the IRQ: CPUs that do not exist */
	};
	struct ostune_kv kv[6];
	char vals[2][32], sub[96];

	NEED_IRQ();
	six_kvs(self, kv, vals);
	kv[pos - 1].name = bad[pos - 1].name ?: self->irqk;
	kv[pos - 1].value = bad[pos - 1].value;
	snprintf(sub, sizeof(sub), "entry %d (%s)", pos, kv[pos - 1].name);
	CHECK_ERR(&self->c, ostune_apply(&self->c, kv, 6, NULL),
		  bad[pos - 1].err, sub);
	EXPECT_TRUE(self->c.err_attr_type == OSTUNE_A_KNOB ||
		    self->c.err_attr_type == OSTUNE_A_KNOB_NAME ||
		    self->c.err_attr_type == OSTUNE_A_KNOB_VALUE)
		TH_LOG("bad attribute type %u", self->c.err_attr_type);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(hw, atomic_bad_entry_1_sched) { six_bad_at(_metadata, self, 1); }
TEST_F(hw, atomic_bad_entry_2_sysctl) { six_bad_at(_metadata, self, 2); }
TEST_F(hw, atomic_bad_entry_3_idle) { six_bad_at(_metadata, self, 3); }
TEST_F(hw, atomic_bad_entry_4_pmqos) { six_bad_at(_metadata, self, 4); }
TEST_F(hw, atomic_bad_entry_5_freq) { six_bad_at(_metadata, self, 5); }
TEST_F(hw, atomic_bad_entry_6_irq) { six_bad_at(_metadata, self, 6); }

/*
 * swappiness=1000 passes validation and only the sysctl's handler refuses
 * it, at write time; placed at pos, the pos-1 entries before it have been
 * written and must be rolled back. freq.policy0.max_khz is raised from a
 * kept 1600000, so it is written in request order too (not "late").
 */
static void six_write_fails_at(struct __test_metadata *_metadata,
			       FIXTURE_DATA(hw) *self, int pos)
{
	struct ostune_kv valid[6], kv[6];
	struct ostune_event ev[16];
	char vals[2][32], sub[96], want[160], line[512];
	struct ostune_status st;
	int i, j, got;

	NEED_IRQ();
	OK(&self->c, apply1(&self->c, K_P0MAX, "1600000"));
	ASSERT_POLICY(0, "scaling_max_freq", 1600000);
	/* the state every failure must leave */
	snap_take(&self->before);
	hwsnap_take(&self->hwbefore);

	six_kvs(self, valid, vals);
	valid[4].value = "2000000";
	/* the five others, in class order, with the failing one at pos */
	for (i = 0, j = 0; i < 6; i++) {
		if (i == pos - 1) {
			kv[i] = (struct ostune_kv){ K_SWAP, "1000" };
			continue;
		}
		if (j == 1)	/* skip the valid sysctl entry */
			j++;
		kv[i] = valid[j++];
	}
	SUBSCRIBE();
	KMSG();
	snprintf(sub, sizeof(sub), "entry %d (%s)", pos, K_SWAP);
	CHECK_ERR(&self->c, ostune_apply(&self->c, kv, 6, NULL), EINVAL, sub);
	snprintf(want, sizeof(want), "transaction aborted at entry %d (%s), %d write(s) rolled back",
		 pos, K_SWAP, pos - 1);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 1000))
		TH_LOG("no kernel log line '%s'", want);
	ASSERT_UNCHANGED();
	ASSERT_MOD(&self->c, K_P0MAX, "1600000");
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(1U, st.nheld);
	if (st.nheld >= 1) {
		EXPECT_STREQ(K_P0MAX, st.held[0].name);
		EXPECT_STREQ("1600000", st.held[0].last_written);
		EXPECT_EQ(0U, st.held[0].flags);
	}
	ostune_status_free(&st);
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 0, 300);
	EXPECT_EQ(0, count_reason(ev, got, OSTUNE_REASON_APPLY));
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_IDLE(&self->c);
}

TEST_F(hw, atomic_write_fails_at_1) { six_write_fails_at(_metadata, self, 1); }
TEST_F(hw, atomic_write_fails_at_2) { six_write_fails_at(_metadata, self, 2); }
TEST_F(hw, atomic_write_fails_at_3) { six_write_fails_at(_metadata, self, 3); }
TEST_F(hw, atomic_write_fails_at_4) { six_write_fails_at(_metadata, self, 4); }
TEST_F(hw, atomic_write_fails_at_5) { six_write_fails_at(_metadata, self, 5); }
TEST_F(hw, atomic_write_fails_at_6) { six_write_fails_at(_metadata, self, 6); }

/* ================================================================== */
/* Readers                                                             */
/* ================================================================== */

TEST_F(hw, get_knobs_match_files)
{
	char name[64], file[VALBUF];
	int cpu, k;

	for (cpu = 0; cpu < 2; cpu++) {
		for (k = 0; k < NSTATES; k++) {
			snprintf(name, sizeof(name), "idle.cpu%d.state%d.disable",
				 cpu, k);
			ASSERT_EQ(0, knob_read(name, file, sizeof(file)));
			EXPECT_MOD(&self->c, name, file);
		}
		snprintf(name, sizeof(name), "pmqos.cpu%d.resume_latency_us", cpu);
		EXPECT_MOD(&self->c, name, "none");
		snprintf(name, sizeof(name), "freq.policy%d.min_khz", cpu);
		EXPECT_MOD(&self->c, name, "none");
		snprintf(name, sizeof(name), "freq.policy%d.max_khz", cpu);
		EXPECT_MOD(&self->c, name, "none");
	}
	EXPECT_MOD(&self->c, K_LAT, "none");
	if (g.irq >= 0) {
		ASSERT_EQ(0, knob_read(self->irqk, file, sizeof(file)));
		EXPECT_MOD(&self->c, self->irqk, file);
	}
}

/* ================================================================== */
/* CPU hotplug                                                         */
/* ================================================================== */

/*
 * cpu1 offline: its idle states and resume latency cannot be given new
 * values, nor can its (now inactive) cpufreq policy, nor an IRQ mask that
 * names it; cpu0's knobs still work.
 */
TEST_F_TIMEOUT(hw, offline_cpu1_refused, 60)
{
	struct {
		const char *name, *value, *sub;
		int err, err2;
	} bad[] = {
		{ "idle.cpu1.state1.disable", "1", "offline", EINVAL, EINVAL },
		{ "idle.cpu1.state3.disable", "0", "offline", EINVAL, EINVAL },
		{ K_RES1, "10", "offline", EINVAL, EINVAL },
		{ K_P1MAX, "1600000", "policy1", EINVAL, ENOENT },
		{ K_P1MIN, "1200000", "policy1", EINVAL, ENOENT },
		{ NULL, "1", "offline", EINVAL, EINVAL },
		{ NULL, "0-1", "offline", EINVAL, EINVAL },
	};
	size_t i;

	NEED_IRQ();
	OFFLINE(1);
	/* what the kernel keeps of an offline CPU */
	EXPECT_EQ(0, access(CPU_DIR "/cpu1/cpuidle/state3/disable", F_OK))
		TH_LOG("cpu1/cpuidle went away with cpu1");
	EXPECT_EQ(0, access(CPUFREQ_DIR "/policy1", F_OK))
		TH_LOG("policy1 went away with cpu1");
	/* cpufreq's sign of an inactive policy: its attributes say EBUSY */
	{
		char p[128], v[VALBUF];

		policy_path(p, sizeof(p), 1, "scaling_max_freq");
		EXPECT_EQ(-EBUSY, file_read(p, v, sizeof(v)))
			TH_LOG("policy1 with cpu1 offline: scaling_max_freq reads '%s'", v);
	}
	EXPECT_EQ(0, access(CPU_DIR "/cpu1/power/pm_qos_resume_latency_us", F_OK));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		const char *name = bad[i].name ?: self->irqk;
		int r;

		r = apply1(&self->c, name, bad[i].value);
		EXPECT_TRUE(r == -bad[i].err || r == -bad[i].err2)
			TH_LOG("%s=%s with cpu1 offline: %s, extack '%s'", name,
			       bad[i].value, errname(r), self->c.err_msg);
		EXPECT_TRUE(has(self->c.err_msg, "entry 1") &&
			    has(self->c.err_msg, name) &&
			    has(self->c.err_msg, bad[i].sub))
			TH_LOG("%s: extack '%s'", name, self->c.err_msg);
	}
	/* a bad entry among good ones: nothing happens to cpu0 either */
	{
		struct ostune_kv kv[3] = {
			{ "idle.cpu0.state1.disable", "1" }, { K_RES0, "10" },
			{ "idle.cpu1.state1.disable", "1" },
		};

		CHECK_ERR(&self->c, ostune_apply(&self->c, kv, 3, NULL), EINVAL,
			  "entry 3");
		ASSERT_KNOB("idle.cpu0.state1.disable", "0");
		ASSERT_MOD(&self->c, K_RES0, "none");
	}
	ASSERT_IDLE(&self->c);
	/* cpu0 still works */
	OK(&self->c, apply1(&self->c, "idle.cpu0.state1.disable", "1"));
	ASSERT_KNOB("idle.cpu0.state1.disable", "1");
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_KNOB("idle.cpu0.state1.disable", "0");
	ONLINE(1);
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* The cpu1 knobs of hw_kvs(), which belong to cpu1's number. */
static const struct ostune_kv cpu1_kvs[3] = {
	{ "idle.cpu1.state3.disable", "1" },
	{ K_RES1, "10" },
	{ K_P1MAX, "1600000" },
};

/* cpu0 kept nothing of cpu1's: its files and our requests on it. */
#define ASSERT_CPU0_UNTOUCHED() do {					\
	int __k;							\
	char __n[64];							\
	for (__k = 0; __k < NSTATES; __k++) {				\
		snprintf(__n, sizeof(__n), "idle.cpu0.state%d.disable", __k); \
		EXPECT_KNOB(__n, hwsnap_get(&self->hwbefore, __n));	\
	}								\
	EXPECT_MOD(&self->c, K_RES0, "none");				\
	EXPECT_MOD(&self->c, K_P0MAX, "none");				\
	EXPECT_MOD(&self->c, K_P0MIN, "none");				\
	EXPECT_POLICY(0, "scaling_max_freq", FREQ_MAX);			\
	EXPECT_POLICY(0, "scaling_min_freq", FREQ_MIN);			\
} while (0)

/*
 * A session holds cpu1's knobs; cpu1 goes offline and comes back: the
 * values are in force again (the resume latency too: the governor keeps
 * cpu1 out of the deep states), and the session's end restores them on
 * cpu1, never on cpu0.
 */
TEST_F_TIMEOUT(hw, hotplug_during_session, 60)
{
	unsigned long long d[MAX_CPUS][NSTATES];
	struct ostune_event ev[12];
	int got;

	SUBSCRIBE();
	OK(&self->c, ostune_session_open(&self->c, 20000));
	OK(&self->c, ostune_apply(&self->c, cpu1_kvs, 3, NULL));
	ASSERT_KNOB("idle.cpu1.state3.disable", "1");
	ASSERT_POLICY(1, "scaling_max_freq", 1600000);

	OFFLINE(1);
	EXPECT_KNOB("idle.cpu1.state3.disable", "1");
	EXPECT_MOD(&self->c, K_RES1, "10");
	EXPECT_MOD(&self->c, K_P1MAX, "1600000");
	ASSERT_CPU0_UNTOUCHED();
	ONLINE(1);

	ASSERT_KNOB("idle.cpu1.state3.disable", "1");
	EXPECT_MOD(&self->c, K_RES1, "10");
	ASSERT_MOD(&self->c, K_P1MAX, "1600000");
	ASSERT_POLICY(1, "scaling_max_freq", 1600000);
	ASSERT_CPU0_UNTOUCHED();
	check_held(_metadata, &self->c, cpu1_kvs, 3, OSTUNE_KNOB_F_SESSION);
	tickers_start(self);
	usage_delta(d, 800);
	EXPECT_EQ(0ULL, dsum(d, 1, 2, 3))
		TH_LOG("cpu1 back online entered FAKE-C2/C3 (%llu, %llu) despite 10 us",
		       d[1][2], d[1][3]);
	EXPECT_LT(0ULL, dsum(d, 0, 2, 3)) TH_LOG("cpu0 did not enter FAKE-C2/C3");
	tickers_stop(self);

	OK(&self->c, ostune_session_close(&self->c));
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 6, 3000);
	EXPECT_EQ(3, count_reason(ev, got, OSTUNE_REASON_SESSION_CLOSE));
	{
		int i;

		for (i = 0; i < got; i++) {
			EXPECT_EQ(0U, ev[i].flags & OSTUNE_KNOB_F_EXTERNAL)
				TH_LOG("%s reported as changed externally", ev[i].name);
		}
	}
}

/* RESTORE of cpu1's knobs while cpu1 is offline; then cpu1 comes back. */
TEST_F_TIMEOUT(hw, offline_restore_request, 60)
{
	const char *one[1] = { K_RES1 };

	OK(&self->c, ostune_apply(&self->c, cpu1_kvs, 3, NULL));
	OFFLINE(1);
	/* one by name first, then the rest */
	OK(&self->c, ostune_restore(&self->c, one, 1));
	EXPECT_MOD(&self->c, K_RES1, "none");
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	EXPECT_KNOB("idle.cpu1.state3.disable", "0");
	/* policy1 is inactive: what it holds shows once cpu1 is back */
	ASSERT_IDLE(&self->c);
	ASSERT_CPU0_UNTOUCHED();
	ONLINE(1);
	ASSERT_KNOB("idle.cpu1.state3.disable", "0");
	ASSERT_POLICY(1, "scaling_max_freq", FREQ_MAX);
	ASSERT_MOD(&self->c, K_P1MAX, "none");
	ASSERT_UNCHANGED();
}

/* The session ends (SESSION_CLOSE) while cpu1 is offline. */
TEST_F_TIMEOUT(hw, offline_session_close, 60)
{
	struct ostune_event ev[12];
	int got;

	SUBSCRIBE();
	OK(&self->c, ostune_session_open(&self->c, 20000));
	OK(&self->c, ostune_apply(&self->c, cpu1_kvs, 3, NULL));
	OFFLINE(1);
	OK(&self->c, ostune_session_close(&self->c));
	EXPECT_KNOB("idle.cpu1.state3.disable", "0");
	EXPECT_MOD(&self->c, K_RES1, "none");
	ASSERT_IDLE(&self->c);
	ASSERT_CPU0_UNTOUCHED();
	ONLINE(1);
	ASSERT_KNOB("idle.cpu1.state3.disable", "0");
	ASSERT_POLICY(1, "scaling_max_freq", FREQ_MAX);
	ASSERT_MOD(&self->c, K_P1MAX, "none");
	ASSERT_UNCHANGED();
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 6, 3000);
	EXPECT_EQ(3, count_reason(ev, got, OSTUNE_REASON_SESSION_CLOSE));
}

/*
 * An IRQ on cpu1 only, cpu1 goes offline: the kernel moves the IRQ and may
 * rewrite its mask; a restore leaves the kernel's choice alone (reported
 * as external) or, when the mask was not rewritten, puts the original
 * back. A mask restored while cpu1 is offline is set as it was.
 */
TEST_F_TIMEOUT(hw, hotplug_irq_affinity, 60)
{
	const char *k = self->irqk;
	struct ostune_event ev[4];
	const struct ostune_event *e;
	char off[64];
	int got;

	NEED_IRQ();
	ASSERT_STREQ("0-1", g.irq_orig) TH_LOG("the IRQ's mask at start");
	SUBSCRIBE();
	OK(&self->c, apply1(&self->c, k, "1"));
	OFFLINE(1);
	ASSERT_EQ(0, knob_read(k, off, sizeof(off)));
	TH_LOG("irq %d on cpu1 only, cpu1 offline: the mask reads '%s'", g.irq, off);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 1, 2000);
	e = event_find(ev, got, k, OSTUNE_REASON_REQUEST);
	ASSERT_TRUE(e != NULL) TH_LOG("no restore event");
	if (strcmp(off, "1")) {
		EXPECT_TRUE(e->flags & OSTUNE_KNOB_F_EXTERNAL)
			TH_LOG("kernel rewrote the mask to '%s', ostune restored '%s' over it",
			       off, e->value);
		EXPECT_KNOB(k, off);
	} else {
		EXPECT_EQ(0U, e->flags & OSTUNE_KNOB_F_EXTERNAL);
		EXPECT_KNOB(k, g.irq_orig);
	}
	ASSERT_IDLE(&self->c);
	ASSERT_EQ(0, knob_write(k, g.irq_orig));

	/* a mask naming an offline CPU, restored as it was */
	ONLINE(1);
	OK(&self->c, apply1(&self->c, k, "0"));
	OFFLINE(1);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	EXPECT_KNOB(k, g.irq_orig);
	ONLINE(1);
	EXPECT_KNOB(k, g.irq_orig);
	ASSERT_IDLE(&self->c);
	ASSERT_UNCHANGED();
}

/*
 * The same with an interrupt whose move to cpu1 has landed (ttyS0's,
 * made to fire): going offline, the kernel has to move it and rewrites
 * its mask; the restore leaves the kernel's choice alone.
 */
TEST_F_TIMEOUT(hw, hotplug_irq_affinity_moved, 60)
{
	char k[32], eff[64], effp[96], off[64], orig[64];
	struct ostune_event ev[4];
	const struct ostune_event *e;
	uint64_t end;
	int got;

	if (g.irq_busy < 0)
		SKIP(return, "no movable ttyS0 interrupt in /proc/interrupts");
	snprintf(k, sizeof(k), "irq.%d.affinity", g.irq_busy);
	snprintf(effp, sizeof(effp), IRQ_DIR "/%d/effective_affinity_list",
		 g.irq_busy);
	ASSERT_EQ(0, knob_read(k, orig, sizeof(orig)));
	SUBSCRIBE();
	OK(&self->c, apply1(&self->c, k, "1"));
	end = now_ms() + 3000;
	for (;;) {
		kick_ttyS0();
		if (!file_read(effp, eff, sizeof(eff)) && !strcmp(eff, "1"))
			break;
		ASSERT_LT(now_ms(), end) TH_LOG("irq %d never moved to cpu1 (effective %s)",
						g.irq_busy, eff);
		sleep_ms(50);
	}
	OFFLINE(1);
	ASSERT_EQ(0, knob_read(k, off, sizeof(off)));
	file_read(effp, eff, sizeof(eff));
	TH_LOG("irq %d moved to cpu1, cpu1 offline: mask '%s', effective '%s'",
	       g.irq_busy, off, eff);
	EXPECT_STRNE("1", off) TH_LOG("the kernel kept a mask of offline CPUs only");
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 1, 2000);
	e = event_find(ev, got, k, OSTUNE_REASON_REQUEST);
	ASSERT_TRUE(e != NULL) TH_LOG("no restore event");
	EXPECT_TRUE(e->flags & OSTUNE_KNOB_F_EXTERNAL)
		TH_LOG("kernel rewrote the mask to '%s', the restore event says '%s' -> '%s'",
		       off, e->old, e->value);
	EXPECT_KNOB(k, off);
	ONLINE(1);
	ASSERT_IDLE(&self->c);
	ASSERT_EQ(0, knob_write(k, orig));
	ASSERT_UNCHANGED();
}

/* ================================================================== */

int main(int argc, char **argv)
{
	struct harness_filter filter;
	int ret;
	size_t i;
	int opt;

	ret = harness_filter_setup(&filter, argc, argv);
	if (ret >= 0)
		return ret;
	/*
	 * The fixtures first (a failure here fails every test in its setup,
	 * with the reason), then what the tests will put back.
	 */
	g.ncpus = count_cpus();
	for (i = 0; i < ARRAY_SIZE(fixture_mods); i++)
		if (!module_present(fixture_mods[i]))
			fixture_load(fixture_mods[i], NULL);
	for (opt = 1; opt < g.ncpus; opt++)
		cpu_online_set(opt, true);
	mod_ensure_loaded();
	wait_no_session(3000);
	cleanup_restore_all();
	find_irqs();
	printf("# %d CPUs; quiet movable IRQ %d (%s), ttyS0 IRQ %d, unmovable IRQ %d\n",
	       g.ncpus, g.irq, g.irq_orig, g.irq_busy, g.irq_fixed);
	fflush(stdout);
	snap_take(&baseline);
	hwsnap_take(&hwbaseline);
	return test_harness_run(argc, argv);
}

HARNESS_CONSTRUCTOR_ORDER()
