// SPDX-License-Identifier: GPL-2.0
/*
 * ostune_fuzz: a seeded netlink fuzzer of the ostune family, for the VM.
 *
 * Several processes at once send random and mutated requests: every
 * command and unknown ones, random, nested and malformed attributes,
 * truncated and oversized messages, bad lengths. Among them run valid
 * sessions that apply and restore real knobs and check, each time, that
 * the session's end put back what it found. Names in requests that can
 * succeed come from a pool of knobs whose every accepted value is harmless
 * to the VM, so the fuzzer cannot wreck the machine it tests.
 *
 * Names also come from the machine itself: at the start every entry, files
 * and directories, under /sys/kernel/debug/sched, /proc/sys (bounded),
 * the cpuidle states of sysfs and /proc/irq becomes a name (sched.a.b,
 * sysctl.a.b.c, idle.cpuN.stateK.attr, irq.N.entry), and so does a
 * mutation of each (cut short, extra dots, a directory with a file's
 * suffix). A name the module could accept is only ever sent with its
 * current value or with text no parser takes; the others get anything.
 *
 * Three kinds of caller, each its own processes: root (one of them in a
 * private mount namespace whose /proc/sys/vm and /sys/kernel/debug are a
 * tmpfs of FIFOs, symlinks to /dev/zero, a device node and decoy files,
 * which the module must never see), nobody with no capabilities, and root
 * of a user namespace of nobody's with the same hostile mounts. Every
 * answer is checked against what that caller may get: the unprivileged
 * ones EPERM for every change and for GET_KNOBS, a GET_STATUS without any
 * held knob's value, EPERM for the events group; root a clean errno of a
 * known set, and no request may hang (a process silent for HANG_MS is a
 * hang, and its kernel stack is printed).
 *
 * Afterwards every knob must be at its value before the run, nothing held,
 * and the module must unload cleanly (it is loaded again for whoever runs
 * next). Prints TAP, and per kind of caller: messages, distinct names
 * (directories, sched entries that are no u32 tunable), answers by errno.
 *
 *	ostune_fuzz [-s SEED] [-n MESSAGES] [-p FUZZERS] [-t SECONDS]
 *
 * SEED defaults to $OSTUNE_FUZZ_SEED, else the time; it is printed, so a
 * run can be repeated (up to the scheduling of the processes). MESSAGES
 * (100000) are shared by the FUZZERS root processes (3) and the two
 * unprivileged ones. SECONDS (0: none) bounds the run: when the time is
 * up before the messages, the run ends there and says so.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#define OSTUNE_SYSCTL_LISTS
#include "util.h"

#define MSG_MAX		(72 * 1024)
#define MAX_FUZZERS	8
/* Root fuzzers, nobody, the user namespace's root, the sessions. */
#define MAX_PROCS	(MAX_FUZZERS + 3)
/* A process that shows no sign of life for this long hangs. */
#define HANG_MS		60000
/* A fuzzing socket is replaced after this many messages at most. */
#define RECYCLE		256

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1DULL;
}

static unsigned int below(struct rng *r, unsigned int n)
{
	return n ? (unsigned int)(rnd(r) % n) : 0;
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

/*
 * Knobs requests may really change. vary: any value the kernel accepts is
 * harmless, so mutated values may go to it; otherwise only the listed
 * ones. Absent knobs (fixtures not loaded, other kernel) are only refused.
 */
struct pool_knob {
	const char *name;
	bool vary;
	const char *v[4];
};

static const struct pool_knob pool[] = {
	{ "sysctl.vm.swappiness", true, { "10", "60", "100", "0" } },
	{ "sysctl.vm.dirty_ratio", false, { "20", "30", "40" } },
	{ "sysctl.net.core.somaxconn", true, { "128", "1024", "4096" } },
	{ "sysctl.net.ipv4.tcp_rmem", true,
	  { "4096 131072 6291456", "4096 87380 4194304", "8192 65536 2097152" } },
	/*
	 * Only its default: a change flips a static key, and QEMU's TCG does
	 * not survive the kernel patching its text while other vCPUs run it
	 * (an int3 oops in hrtimer_start_range_ns() on 6.12, a wedged 6.1).
	 */
	{ "sysctl.kernel.timer_migration", false, { "1" } },
	{ "sysctl.kernel.sched_child_runs_first", true, { "0", "1" } },
	{ "sched.migration_cost_ns", false, { "250000", "500000", "400000" } },
	{ "sched.nr_migrate", false, { "8", "16", "32" } },
	{ "sched.wakeup_granularity_ns", false, { "1000000", "3000000" } },
	{ "idle.cpu0.state1.disable", false, { "0", "1" } },
	{ "idle.cpu1.state3.disable", false, { "1", "0" } },
	{ "pmqos.cpu_latency_us", true, { "none", "100", "0", "2000000000" } },
	{ "pmqos.cpu1.resume_latency_us", true, { "none", "50", "0" } },
	{ "freq.policy0.max_khz", false, { "1600000", "2400000", "none" } },
	{ "freq.policy1.min_khz", false, { "800000", "1200000", "none" } },
	/* the VM's one network device; powers of two read back as written */
	{ "nic.lo.rx0.rps_cpus", false, { "none", "0", "0-1" } },
	{ "nic.lo.rx0.rps_flow_cnt", false, { "0", "64", "256" } },
};

/* Names that must be refused, whatever comes with them. */
static const char *const refused[] = {
	"sysctl.kernel.modprobe", "sysctl.kernel.core_pattern",
	"sysctl.kernel.usermodehelper.bset", "sysctl.vm.drop_caches",
	"sysctl.vm/../kernel/modprobe", "sysctl..vm", "sched.features",
	"sched.debug", "sched.preempt", "nosuch.knob", "sysctl", "",
	"idle.cpu01.state1.disable", "irq.0.affinity", "freq.policy0.cur_khz",
	"sched.", "sysctl.fs.file-max", "pmqos.cpu9999.resume_latency_us",
	"nic.lo.tx0.xps_cpus", "nic.lo.rx1.rps_cpus", "nic.lo/..rx0.rps_cpus",
	"nic.lo.rx00.rps_cpus",
};

/* What the sessions of the session process change and check. */
static const char *const session_knobs[] = {
	"sysctl.vm.swappiness", "sysctl.vm.dirty_ratio",
	"sysctl.net.core.somaxconn", "sysctl.net.ipv4.tcp_rmem",
	"sched.migration_cost_ns", "sched.nr_migrate",
};

#define BAD_KEPT	8

/* ---- the name pool ---------------------------------------------------- */

/*
 * Names built from the machine's own entries at the start, and a mutation
 * of each. flags: N_DIR a directory, N_NONU32 a sched entry that is no
 * writable u32 (a directory or any other file), N_MUTANT not a real entry,
 * N_ACCEPTS a name the module may take a value for (only cur or text no
 * parser takes goes with it), N_CUR cur is its value at the start and
 * writing it back changes nothing.
 */
#define POOL_MAX	16384
#define SYSCTL_WALK_MAX	4000
#define SCHED_WALK_MAX	1024
#define HW_WALK_MAX	2048
enum { N_DIR = 1, N_NONU32 = 2, N_MUTANT = 4, N_ACCEPTS = 8, N_CUR = 16 };

struct name_ent {
	char name[OSTUNE_NAME_MAX];
	char cur[64];
	uint8_t flags;
};

static struct name_ent *names;
static unsigned int nnames;

/* ---- callers ---------------------------------------------------------- */

enum kind { K_ROOT, K_NOBODY, K_USERNS, NKINDS };
static const char *const kind_name[NKINDS] = {
	"root", "nobody", "userns-root",
};

#define ERRNO_SLOTS	136

/* What the processes of one kind of caller did and got; shared. */
struct kind_stats {
	unsigned long sent, answers, replies, unexpected, leaks;
	/* answers by errno: [e] for -e (0 success), the last slot others */
	unsigned long err[ERRNO_SLOTS];
	unsigned long pool_names, random_names;
	unsigned long clean, events_tried, events_eperm, decoys;
	/* GET_STATUS summaries, and those while the module held knobs */
	unsigned long summaries, summaries_held;
	/* kept applies of a sysctl with a number too many, refused EINVAL */
	unsigned long extra_tried, extra_einval;
	int procs, hung, nbad;
	char setup[2][400];
	char bad[BAD_KEPT / 2][200];
	unsigned char tried[POOL_MAX / 8];
};

/*
 * Shared between the processes. pause asks the fuzzers to stop between
 * two messages (paused counts those that did, done those that finished),
 * so that the session process can end a session and read the knobs with
 * nobody changing them in between. beat is when each process last showed
 * it is alive; end_ms ends the run early when the time budget is up.
 */
struct shared {
	volatile int stop, pause, paused, done;
	volatile int budget_hit;
	uint64_t end_ms;
	volatile uint64_t beat[MAX_PROCS];
	/* a fuzzer counted itself in done */
	volatile int fin[MAX_PROCS];
	unsigned long sent[MAX_PROCS];
	unsigned long unexpected[MAX_PROCS];
	unsigned long sessions, session_bad, session_busy;
	int nbad;
	char bad[BAD_KEPT][256];
	struct kind_stats kind[NKINDS];
};

static struct shared *sh;
static uint16_t family;
static uint32_t events_group;
static int nfuzz = 3;
/* Every fuzzing process: the root ones and the two unprivileged ones. */
static int nfuzzers;

#define ADD(x)	__sync_fetch_and_add(&(x), 1)

/* Keeps the first few problems for the report. */
static void bad(const char *fmt, ...)
{
	int i = __sync_fetch_and_add(&sh->nbad, 1);
	va_list ap;

	if (i >= BAD_KEPT)
		return;
	va_start(ap, fmt);
	vsnprintf(sh->bad[i], sizeof(sh->bad[i]), fmt, ap);
	va_end(ap);
}

static void pause_point(int idx)
{
	sh->beat[idx] = now_ms();
	if (!sh->pause)
		return;
	__sync_fetch_and_add(&sh->paused, 1);
	while (sh->pause) {
		sh->beat[idx] = now_ms();
		usleep(1000);
	}
	__sync_fetch_and_sub(&sh->paused, 1);
}

/* Returns once every fuzzer has paused or finished. */
static void pause_fuzzers(int idx)
{
	sh->pause = 1;
	while (sh->paused + sh->done < nfuzzers) {
		sh->beat[idx] = now_ms();
		usleep(1000);
	}
}

/* ---- building messages ---------------------------------------------- */

struct msg {
	unsigned char buf[MSG_MAX] __attribute__((aligned(4)));
	size_t len;
};

static void *put(struct msg *m, size_t n)
{
	void *p = m->buf + m->len;

	m->len += NLA_ALIGN(n);
	return p;
}

/* An attribute of type with len bytes of data; returns its header. */
static struct nlattr *put_attr(struct msg *m, uint16_t type, const void *data,
			       size_t len)
{
	struct nlattr *a;

	if (m->len + NLA_HDRLEN + NLA_ALIGN(len) > MSG_MAX - 64)
		return NULL;
	a = put(m, NLA_HDRLEN);
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(put(m, len), data, len);
	return a;
}

static struct nlattr *nest_start(struct msg *m, uint16_t type)
{
	return put_attr(m, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct msg *m, struct nlattr *a)
{
	if (a)
		a->nla_len = m->buf + m->len - (unsigned char *)a;
}

static void put_str(struct msg *m, uint16_t type, const char *s)
{
	put_attr(m, type, s, strlen(s) + 1);
}

static void msg_start(struct msg *m, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	m->len = 0;
	nlh = put(m, NLMSG_HDRLEN);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = put(m, GENL_HDRLEN);
	g->cmd = cmd;
	g->version = OSTUNE_FAMILY_VERSION;
}

static void msg_end(struct msg *m)
{
	((struct nlmsghdr *)m->buf)->nlmsg_len = m->len;
}

/* ---- random content --------------------------------------------------- */

static void rand_bytes(struct rng *r, void *p, size_t n)
{
	unsigned char *b = p;

	while (n--)
		*b++ = rnd(r);
}

/* ---- names from the machine ------------------------------------------- */

/* '*' matches any run of characters, everything else itself. */
static bool pattern_match(const char *pattern, const char *name)
{
	if (*pattern == '*') {
		do {
			if (pattern_match(pattern + 1, name))
				return true;
		} while (*name++);
		return false;
	}
	if (*pattern != *name)
		return false;
	return !*name || pattern_match(pattern + 1, name + 1);
}

/* A sysctl (without "sysctl.") the module tunes, as it decides it. */
static bool sysctl_tunable(const char *sub)
{
	size_t i;

	for (i = 0; i < sizeof(ostune_sysctl_refused) /
			sizeof(ostune_sysctl_refused[0]); i++)
		if (pattern_match(ostune_sysctl_refused[i].pattern, sub))
			return false;
	for (i = 0; i < sizeof(ostune_sysctl_tunables) /
			sizeof(ostune_sysctl_tunables[0]); i++)
		if (pattern_match(ostune_sysctl_tunables[i], sub))
			return true;
	return false;
}

/*
 * Tunables whose write, even of the value they have, changes another
 * (dirty_*_bytes zero the ratios) or rebuilds something: never written.
 */
static const char *const never_write[] = {
	"sysctl.vm.dirty_bytes", "sysctl.vm.dirty_background_bytes",
	"sysctl.vm.dirty_ratio", "sysctl.vm.dirty_background_ratio",
	"sysctl.vm.min_free_kbytes", "sysctl.vm.watermark_scale_factor",
	"sysctl.vm.percpu_pagelist_high_fraction",
	"sysctl.kernel.sched_energy_aware", "sysctl.kernel.numa_balancing",
};

/*
 * Could the module take a value for this name? Errs on the side of yes:
 * such a name only ever gets its own value or text no parser takes.
 */
static bool may_accept(const char *name)
{
	unsigned int a, b;
	char canon[OSTUNE_NAME_MAX], path[512];
	struct stat sb;

	if (!strncmp(name, "sysctl.", 7))
		return sysctl_tunable(name + 7);
	if (!strncmp(name, "sched.", 6)) {
		/* as the module checks names: [a-z0-9_], one dot at most */
		const char *p = name + 6;

		if (!*p || *p == '.' || strchr(strchr(p, '.') ? strchr(p, '.') + 1 : p, '.') ||
		    strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789_.") != strlen(p))
			return false;
		return !knob_path(name, path, sizeof(path)) &&
		       !stat(path, &sb) && S_ISREG(sb.st_mode);
	}
	if (sscanf(name, "idle.cpu%u.state%u.disable", &a, &b) == 2) {
		snprintf(canon, sizeof(canon), "idle.cpu%u.state%u.disable", a, b);
		return !strcmp(canon, name);
	}
	if (sscanf(name, "irq.%u.affinity", &a) == 1) {
		snprintf(canon, sizeof(canon), "irq.%u.affinity", a);
		return !strcmp(canon, name);
	}
	/* the VM has lo, with one queue of each kind, and no XPS for it */
	if (!strncmp(name, "nic.", 4))
		return !strcmp(name, "nic.lo.rx0.rps_cpus") ||
		       !strcmp(name, "nic.lo.rx0.rps_flow_cnt");
	/* pmqos, freq and anything else: the fixed pool covers them */
	return strncmp(name, "pmqos.", 6) == 0 || strncmp(name, "freq.", 5) == 0;
}

/* Open addressing over the pool, so that no name is in it twice. */
#define HASH_SIZE	(POOL_MAX * 2)
static int *name_hash;

static uint32_t name_hash_of(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* Adds name unless it is there; its index, or -1. */
static int pool_add(const char *name, uint8_t flags, const char *cur)
{
	uint32_t h = name_hash_of(name) % HASH_SIZE;
	struct name_ent *e;
	size_t i;

	if (!*name || strlen(name) >= OSTUNE_NAME_MAX || nnames >= POOL_MAX)
		return -1;
	while (name_hash[h] >= 0) {
		if (!strcmp(names[name_hash[h]].name, name))
			return -1;
		h = (h + 1) % HASH_SIZE;
	}
	e = &names[nnames];
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->flags = flags;
	if (may_accept(name))
		e->flags |= N_ACCEPTS;
	else
		e->flags &= ~N_CUR;
	for (i = 0; i < sizeof(never_write) / sizeof(never_write[0]); i++)
		if (!strcmp(name, never_write[i]))
			e->flags &= ~N_CUR;
	if (cur && (e->flags & N_CUR)) {
		snprintf(e->cur, sizeof(e->cur), "%s", cur);
		/* sysctl vectors print with tabs; the module wants text */
		for (i = 0; e->cur[i]; i++)
			if (e->cur[i] == '\t')
				e->cur[i] = ' ';
	}
	name_hash[h] = nnames;
	return nnames++;
}

/* The pool's entry of that name, or NULL. */
static const struct name_ent *name_lookup(const char *name)
{
	uint32_t h;

	if (!name_hash)
		return NULL;
	for (h = name_hash_of(name) % HASH_SIZE; name_hash[h] >= 0;
	     h = (h + 1) % HASH_SIZE)
		if (!strcmp(names[name_hash[h]].name, name))
			return &names[name_hash[h]];
	return NULL;
}

/* Is text an unsigned decimal? */
static bool decimal(const char *text)
{
	if (!*text)
		return false;
	for (; *text; text++)
		if (!isdigit((unsigned char)*text))
			return false;
	return true;
}

enum walk_class { W_SCHED, W_SYSCTL, W_HW };

/* One real entry: a directory, or a file and what it holds. */
static void add_real(const char *name, const char *path, const struct stat *sb,
		     enum walk_class cls)
{
	char cur[VALBUF];
	uint8_t flags = 0;

	if (S_ISDIR(sb->st_mode)) {
		pool_add(name, N_DIR | (cls == W_SCHED ? N_NONU32 : 0), NULL);
		return;
	}
	cur[0] = '\0';
	/* readable text that fits; nothing is read from a FIFO or device */
	if (S_ISREG(sb->st_mode) && (sb->st_mode & 0444) &&
	    file_read(path, cur, sizeof(cur)) == 0 && strlen(cur) < 64 &&
	    !strchr(cur, '\n') && (sb->st_mode & 0200))
		flags |= N_CUR;
	else
		cur[0] = '\0';
	if (cls == W_SCHED && (!(flags & N_CUR) || !decimal(cur)))
		flags |= N_NONU32;
	/* of the hardware files, only those the names stand for */
	if (cls == W_HW && !strstr(name, ".disable") && !strstr(name, ".affinity"))
		flags &= ~N_CUR;
	pool_add(name, flags, cur);
}

/* Every entry below path, as prefix.entry, depth first, at most *left. */
static void walk(const char *path, const char *prefix, int depth,
		 unsigned int *left, enum walk_class cls)
{
	struct dirent *de;
	DIR *d = opendir(path);

	if (!d)
		return;
	while (*left && (de = readdir(d))) {
		char p[PATH_MAX], n[OSTUNE_NAME_MAX + 8];
		struct stat sb;

		if (de->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", path, de->d_name) >= sizeof(p) ||
		    (size_t)snprintf(n, sizeof(n), "%s.%s", prefix, de->d_name) >= OSTUNE_NAME_MAX ||
		    lstat(p, &sb))
			continue;
		(*left)--;
		add_real(n, p, &sb, cls);
		if (S_ISDIR(sb.st_mode) && depth < 8)
			walk(p, n, depth + 1, left, cls);
	}
	closedir(d);
}

/* The cpuidle states of every CPU: idle.cpuN, idle.cpuN.stateK, .attr. */
static void walk_idle(unsigned int *left)
{
	struct dirent *de;
	DIR *d = opendir(CPU_DIR);

	if (!d)
		return;
	while (*left && (de = readdir(d))) {
		char p[PATH_MAX], n[OSTUNE_NAME_MAX];
		unsigned int cpu;
		struct stat sb;

		if (sscanf(de->d_name, "cpu%u", &cpu) != 1)
			continue;
		snprintf(n, sizeof(n), "idle.cpu%u", cpu);
		pool_add(n, N_DIR, NULL);
		snprintf(p, sizeof(p), CPU_DIR "/cpu%u/cpuidle", cpu);
		if (stat(p, &sb))
			continue;
		walk(p, n, 1, left, W_HW);
	}
	closedir(d);
}

/* /proc/irq/N and what is in it: irq.N, irq.N.entry, irq.N.affinity. */
static void walk_irq(unsigned int *left)
{
	struct dirent *de;
	DIR *d = opendir(IRQ_DIR);

	if (!d)
		return;
	while (*left && (de = readdir(d))) {
		char p[PATH_MAX], n[OSTUNE_NAME_MAX], cur[VALBUF];
		unsigned int irq;

		if (!decimal(de->d_name))
			continue;
		irq = strtoul(de->d_name, NULL, 10);
		snprintf(n, sizeof(n), "irq.%u", irq);
		pool_add(n, N_DIR, NULL);
		snprintf(p, sizeof(p), IRQ_DIR "/%u", irq);
		walk(p, n, 1, left, W_HW);
		snprintf(n, sizeof(n), "irq.%u.affinity", irq);
		snprintf(p, sizeof(p), IRQ_DIR "/%u/smp_affinity_list", irq);
		if (!file_read(p, cur, sizeof(cur)))
			pool_add(n, N_CUR, cur);
	}
	closedir(d);
}

/*
 * A mutation of a real name: cut short, an extra dot, a directory with a
 * file's suffix (or a file with an entry below it), a slash, a capital,
 * a number with a leading zero or out of range.
 */
static void mutate(struct rng *r, const struct name_ent *e, char *out, size_t size)
{
	static const char *const suffixes[] = {
		".disable", ".value", "_ns", ".affinity", ".scan_delay_ms",
		".name", ".0", ".", "..x",
	};
	const char *dot = strchr(e->name, '.');
	size_t len = strlen(e->name), pre = dot ? (size_t)(dot - e->name) + 1 : 0;
	char *p;

	snprintf(out, size, "%s", e->name);
	switch ((e->flags & N_DIR) && chance(r, 60) ? 2 : below(r, 6)) {
	case 0:
		out[pre + below(r, len - pre + 1)] = '\0';
		return;
	case 1:
		/* a dot doubled, or one at either end */
		p = strrchr(out, '.');
		if (p && chance(r, 60) && strlen(out) + 1 < size) {
			memmove(p + 1, p, strlen(p) + 1);
			return;
		}
		if (chance(r, 50))
			snprintf(out, size, "%s.", e->name);
		else
			snprintf(out, size, "%.*s.%s", (int)pre, e->name, e->name + pre);
		return;
	case 2:
		snprintf(out, size, "%s%s", e->name,
			 suffixes[below(r, sizeof(suffixes) / sizeof(suffixes[0]))]);
		return;
	case 3:
		p = strrchr(out, '.');
		if (p && p > out + pre)
			*p = '/';
		else
			snprintf(out, size, "%s/x", e->name);
		return;
	case 4:
		for (p = out + pre; *p; p++)
			if (islower((unsigned char)*p) && chance(r, 30))
				*p = toupper((unsigned char)*p);
		if (!strcmp(out, e->name) && len > pre)
			out[pre] = toupper((unsigned char)out[pre]);
		return;
	default:
		/* a number in it with a leading zero, or a huge one */
		for (p = out + pre; *p && !isdigit((unsigned char)*p); p++)
			;
		if (*p && strlen(out) + 1 < size) {
			if (chance(r, 50)) {
				memmove(p + 1, p, strlen(p) + 1);
				*p = '0';
			} else {
				size_t off = p - out;
				const char *rest = e->name + off;

				snprintf(out, size, "%.*s4294967296%s", (int)off,
					 e->name, rest + strspn(rest, "0123456789"));
			}
			return;
		}
		snprintf(out, size, "%s_", e->name);
	}
}

/* The whole pool, real entries first; how many of each kind it has. */
static void build_names(uint64_t seed)
{
	unsigned int left, i, real, counts[3] = { 0 };
	struct rng r = { seed ^ 0xA5A5A5A5DEADBEEFULL };

	names = calloc(POOL_MAX, sizeof(*names));
	name_hash = malloc(HASH_SIZE * sizeof(*name_hash));
	if (!names || !name_hash) {
		nnames = 0;
		return;
	}
	memset(name_hash, 0xff, HASH_SIZE * sizeof(*name_hash));
	pool_add("sched", N_DIR | N_NONU32, NULL);
	left = SCHED_WALK_MAX;
	walk(SCHED_DIR, "sched", 0, &left, W_SCHED);
	counts[0] = nnames;
	left = SYSCTL_WALK_MAX;
	pool_add("sysctl", N_DIR, NULL);
	walk(SYSCTL_DIR, "sysctl", 0, &left, W_SYSCTL);
	counts[1] = nnames - counts[0];
	left = HW_WALK_MAX;
	walk_idle(&left);
	walk_irq(&left);
	counts[2] = nnames - counts[0] - counts[1];
	real = nnames;
	for (i = 0; i < real && nnames < POOL_MAX; i++) {
		char m[OSTUNE_NAME_MAX * 2];
		int tries;

		/* directories get two: one with a file's suffix */
		for (tries = (names[i].flags & N_DIR) ? 2 : 1; tries; tries--) {
			mutate(&r, &names[i], m, sizeof(m));
			pool_add(m, N_MUTANT | (names[i].flags & N_NONU32), NULL);
		}
	}
	printf("# names: %u real entries (sched %u, sysctl %u, idle and irq %u), %u mutations\n",
	       real, counts[0], counts[1], counts[2], nnames - real);
}

/* Which kind of caller this process is. */
static enum kind my_kind = K_ROOT;
/*
 * The message being built names a knob the module may take a value for:
 * no bit of it may flip but in the headers, or its value could become one
 * some parser takes.
 */
static bool msg_accepting;

/* Where a name came from: the fixed pool, the machine's, or nowhere. */
struct pick {
	const struct pool_knob *k;
	const struct name_ent *e;
};

/* Text no knob's parser takes: all a name the module may accept gets. */
static const char *const unparseable[] = {
	"x", "\x01", "none", "-", "q1", "\x7f", "", "zz 1", "\x01\x02\x03",
};

/* A value: listed, mutated, random text or random bytes. */
static void rand_value(struct rng *r, const struct pick *pk, char *out,
		       size_t size)
{
	static const char *const odd[] = {
		"", " ", "-1", "4294967296", "99999999999999999999", "0x10",
		"1 2 3 4 5 6 7 8", "none ", "NONE", "1\n", "\t", "0-", "-",
	};
	const struct pool_knob *k = pk ? pk->k : NULL;
	const struct name_ent *e = pk ? pk->e : NULL;
	size_t n, i;

	if (e && (e->flags & N_ACCEPTS)) {
		if ((e->flags & N_CUR) && chance(r, 60))
			snprintf(out, size, "%s", e->cur);
		else if (!strncmp(e->name, "sched.", 6) && chance(r, 40))
			/* refused by the u32 parse before anything is written */
			snprintf(out, size, "%s", odd[below(r, 6)]);
		else
			snprintf(out, size, "%s", unparseable[below(r,
				 sizeof(unparseable) / sizeof(unparseable[0]))]);
		return;
	}
	if (e && chance(r, 30)) {
		/* plausible: a number, or what the file held */
		if (e->cur[0] && chance(r, 50))
			snprintf(out, size, "%s", e->cur);
		else
			snprintf(out, size, "%u", below(r, 1000));
		return;
	}
	switch (k && !k->vary ? 0 : below(r, 6)) {
	case 0:
	case 1:
	case 2:
		if (k) {
			n = 0;
			while (n < 4 && k->v[n])
				n++;
			snprintf(out, size, "%s", k->v[below(r, n)]);
			if (!k->vary || chance(r, 50))
				return;
			/* mutate one character of it */
			n = strlen(out);
			if (n)
				out[below(r, n)] = "0123456789 -x\t"[below(r, 14)];
			return;
		}
		/* fall through */
	case 3:
		snprintf(out, size, "%s", odd[below(r, sizeof(odd) / sizeof(odd[0]))]);
		return;
	case 4:
		snprintf(out, size, "%u", (unsigned int)rnd(r));
		return;
	default:
		n = below(r, size - 1);
		for (i = 0; i < n; i++)
			out[i] = 1 + below(r, 255);
		out[n] = '\0';
	}
}

/* One of the machine's names, noted as tried by this kind of caller. */
static const struct name_ent *pool_pick(struct rng *r)
{
	unsigned int i;

	if (!nnames)
		return NULL;
	i = below(r, nnames);
	__sync_fetch_and_or(&sh->kind[my_kind].tried[i / 8],
			    (unsigned char)(1U << (i % 8)));
	ADD(sh->kind[my_kind].pool_names);
	return &names[i];
}

/*
 * A name: a fixed pool knob (with its entry), one of the machine's, a
 * refused one, or garbage.
 */
static void rand_name(struct rng *r, char *out, size_t size, struct pick *pk)
{
	const struct pool_knob *k;
	const struct name_ent *e;
	size_t n;

	pk->k = NULL;
	pk->e = NULL;
	switch (below(r, 9)) {
	case 0:
	case 1:
		k = &pool[below(r, sizeof(pool) / sizeof(pool[0]))];
		snprintf(out, size, "%s", k->name);
		pk->k = k;
		return;
	case 2:
		snprintf(out, size, "%s",
			 refused[below(r, sizeof(refused) / sizeof(refused[0]))]);
		return;
	case 3:
		/* a pool name made unknown: nothing may match it */
		k = &pool[below(r, sizeof(pool) / sizeof(pool[0]))];
		snprintf(out, size, "%s%c%u", k->name, "_xQ./"[below(r, 5)],
			 below(r, 1000));
		return;
	case 4:
		ADD(sh->kind[my_kind].random_names);
		n = below(r, size - 1);
		rand_bytes(r, out, n);
		out[n] = '\0';
		return;
	default:
		e = pool_pick(r);
		if (!e) {
			snprintf(out, size, "sched.");
			return;
		}
		snprintf(out, size, "%s", e->name);
		pk->e = e;
	}
}

static void put_rand_knob(struct rng *r, struct msg *m, int depth);

/* One attribute of any kind, at the top level or inside a nest. */
static void put_rand_attr(struct rng *r, struct msg *m, int depth)
{
	unsigned char data[512];
	uint16_t type = below(r, OSTUNE_A_MAX + 3);
	size_t n;

	if (chance(r, 5))
		type = rnd(r);	/* flags and huge types too */
	switch (below(r, 6)) {
	case 0:
		put_rand_knob(r, m, depth);
		return;
	case 1: {
		uint32_t v = chance(r, 50) ? below(r, 5000) : (uint32_t)rnd(r);

		put_attr(m, type, &v, sizeof(v));
		return;
	}
	case 2:
		n = below(r, 9);
		rand_bytes(r, data, n);
		put_attr(m, type, data, n);
		return;
	case 3:
		n = below(r, sizeof(data));
		rand_bytes(r, data, n);
		put_attr(m, type, data, n);
		return;
	case 4:
		if (depth < 4) {
			struct nlattr *a = nest_start(m, type);
			int i, k = below(r, 4);

			for (i = 0; i < k; i++)
				put_rand_attr(r, m, depth + 1);
			nest_end(m, a);
			return;
		}
		/* fall through */
	default: {
		struct pick pk;

		rand_name(r, (char *)data, sizeof(data), &pk);
		put_str(m, type, (char *)data);
	}
	}
}

/* A KNOB nest: mostly NAME and VALUE, sometimes missing, odd or extra. */
static void put_rand_knob(struct rng *r, struct msg *m, int depth)
{
	char name[OSTUNE_NAME_MAX + 64], value[OSTUNE_VALUE_MAX + 64];
	struct nlattr *a;
	struct pick pk;

	a = chance(r, 90) ? nest_start(m, OSTUNE_A_KNOB) :
			    put_attr(m, OSTUNE_A_KNOB, NULL, 0);
	rand_name(r, name, sizeof(name), &pk);
	rand_value(r, &pk, value, sizeof(value));
	if (pk.e && (pk.e->flags & N_ACCEPTS))
		msg_accepting = true;
	if (chance(r, 3))	/* longer than the policy allows */
		memset(name, 'a', sizeof(name) - 1), name[sizeof(name) - 1] = 0;
	/* too long for the policy: refused before any name is looked at */
	if (chance(r, 3))
		memset(value, '1', sizeof(value) - 1), value[sizeof(value) - 1] = 0;
	if (!chance(r, 5))
		put_str(m, OSTUNE_A_KNOB_NAME, name);
	if (!chance(r, 5))
		put_str(m, OSTUNE_A_KNOB_VALUE, value);
	if (chance(r, 10))	/* without its NUL */
		put_attr(m, OSTUNE_A_KNOB_NAME, name, strlen(name));
	if (chance(r, 10))
		put_rand_attr(r, m, depth + 1);
	nest_end(m, a);
}

/* A request as the CLI would send it, with pool names. */
static void build_plausible(struct rng *r, struct msg *m, uint8_t cmd)
{
	int i, n;

	msg_start(m, cmd, NLM_F_ACK);
	switch (cmd) {
	case OSTUNE_CMD_SESSION_OPEN:
	case OSTUNE_CMD_HEARTBEAT:
		if (chance(r, 70)) {
			/* short leases: expiries race with the rest */
			uint32_t ms = chance(r, 80) ? 100 + below(r, 2000) :
						      (uint32_t)rnd(r);

			put_attr(m, OSTUNE_A_WATCHDOG_MS, &ms, sizeof(ms));
		}
		break;
	case OSTUNE_CMD_APPLY:
	case OSTUNE_CMD_RESTORE:
	case OSTUNE_CMD_GET_KNOBS:
		n = 1 + below(r, 4);
		for (i = 0; i < n; i++)
			put_rand_knob(r, m, 1);
		break;
	case OSTUNE_CMD_GET_STATUS:
		((struct nlmsghdr *)m->buf)->nlmsg_flags |= NLM_F_DUMP;
		break;
	}
	msg_end(m);
}

/*
 * One fuzz message in m; returns how many bytes to send, which may differ
 * from the header's nlmsg_len.
 */
static size_t build_fuzz(struct rng *r, struct msg *m)
{
	uint8_t cmd = below(r, OSTUNE_CMD_MAX + 3);
	struct nlmsghdr *nlh;
	size_t send_len;
	int i, n;

	if (chance(r, 3))
		cmd = rnd(r);
	msg_accepting = false;
	switch (below(r, 10)) {
	case 0:
	case 1:
	case 2: {
		size_t span;

		/* plausible, then mutated */
		build_plausible(r, m, cmd);
		span = msg_accepting ? NLMSG_HDRLEN + GENL_HDRLEN : m->len;
		n = 1 + below(r, 4);
		for (i = 0; i < n && span > NLMSG_HDRLEN; i++)
			m->buf[NLMSG_HDRLEN + below(r, span - NLMSG_HDRLEN)] ^=
				1 << below(r, 8);
		break;
	}
	case 3:
		/* more entries than allowed (a change to refuse whole) */
		msg_start(m, chance(r, 50) ? OSTUNE_CMD_APPLY : cmd, NLM_F_ACK);
		n = OSTUNE_TXN_MAX_ENTRIES - 2 + below(r, 40);
		for (i = 0; i < n; i++) {
			struct nlattr *a = nest_start(m, OSTUNE_A_KNOB);

			put_str(m, OSTUNE_A_KNOB_NAME, pool[0].name);
			put_str(m, OSTUNE_A_KNOB_VALUE, pool[0].v[0]);
			nest_end(m, a);
		}
		msg_end(m);
		break;
	case 4:
		/* random bytes after a valid header */
		msg_start(m, cmd, chance(r, 50) ? NLM_F_ACK : 0);
		n = below(r, 2048);
		rand_bytes(r, put(m, n), n);
		msg_end(m);
		break;
	default:
		msg_start(m, cmd, NLM_F_ACK);
		n = below(r, 8);
		for (i = 0; i < n; i++)
			put_rand_attr(r, m, 0);
		msg_end(m);
	}

	nlh = (struct nlmsghdr *)m->buf;
	if (chance(r, 10))
		nlh->nlmsg_flags |= NLM_F_DUMP;
	if (chance(r, 5))
		nlh->nlmsg_flags ^= rnd(r) & 0xffff;
	if (chance(r, 5))
		((struct genlmsghdr *)NLMSG_DATA(nlh))->version = rnd(r);
	send_len = m->len;
	switch (below(r, 12)) {
	case 0:
		/* truncated: the header claims more than is sent */
		send_len = below(r, m->len + 1);
		break;
	case 1:
		/* the header claims less: a cut attribute */
		nlh->nlmsg_len = below(r, m->len + 1);
		break;
	case 2:
		/* a bad attribute length somewhere */
		if (m->len > NLMSG_HDRLEN + GENL_HDRLEN + 4) {
			struct nlattr *a = (struct nlattr *)(m->buf + NLMSG_HDRLEN +
							      GENL_HDRLEN);

			a->nla_len = chance(r, 50) ? below(r, 4) : rnd(r);
		}
		break;
	case 3:
		/* oversized: more claimed than any buffer */
		nlh->nlmsg_len = m->len + 1 + below(r, 100000);
		break;
	}
	return send_len;
}

/* ---- talking to the kernel -------------------------------------------- */

static int raw_open(struct rng *r)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	if (chance(r, 70))
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (chance(r, 50))
		setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* What the kernel is sent, to judge its answers by. */
struct expect {
	uint32_t seq;
	uint16_t flags;
	uint8_t cmd;
	/* genetlink refuses the header before the command is looked up */
	bool hdr_bad;
	/* a whole request of the family, as the kernel sees it */
	bool whole;
	/* a clean request: its answer is known exactly */
	bool clean;
};

/* Commands an unprivileged caller must get EPERM for. */
static bool admin_cmd(uint8_t cmd)
{
	return cmd == OSTUNE_CMD_GET_KNOBS || cmd == OSTUNE_CMD_SESSION_OPEN ||
	       cmd == OSTUNE_CMD_SESSION_CLOSE || cmd == OSTUNE_CMD_HEARTBEAT ||
	       cmd == OSTUNE_CMD_APPLY || cmd == OSTUNE_CMD_RESTORE;
}

/*
 * Answers root may get: the module's refusals, the kernel's for bad
 * messages (EOPNOTSUPP: unknown command or a dump of a command without
 * one; EMSGSIZE: a reply that does not fit; ERANGE from a policy), and
 * what a sysctl's own handler says about a value (EINVAL, ERANGE, ...).
 */
static bool root_errno_ok(int e)
{
	switch (e) {
	case 0: case EINVAL: case ENOENT: case EACCES: case EBUSY: case E2BIG:
	case ERANGE: case EOPNOTSUPP: case EMSGSIZE: case ENODEV:
	case ETIMEDOUT: case ENOSPC: case EOVERFLOW: case ESTALE: case ENOTDIR:
	case EISDIR:
		return true;
	}
	return false;
}

/* What any caller may get for a message the module never sees whole. */
static bool unpriv_errno_ok(int e)
{
	switch (e) {
	case 0: case EPERM: case EOPNOTSUPP: case EINVAL: case ERANGE:
	case E2BIG: case EMSGSIZE:
		return true;
	}
	return false;
}

static const char *cmd_name(uint8_t cmd)
{
	static const char *const n[] = {
		[OSTUNE_CMD_GET_STATUS] = "GET_STATUS",
		[OSTUNE_CMD_GET_KNOBS] = "GET_KNOBS",
		[OSTUNE_CMD_SESSION_OPEN] = "SESSION_OPEN",
		[OSTUNE_CMD_SESSION_CLOSE] = "SESSION_CLOSE",
		[OSTUNE_CMD_HEARTBEAT] = "HEARTBEAT",
		[OSTUNE_CMD_APPLY] = "APPLY",
		[OSTUNE_CMD_RESTORE] = "RESTORE",
		[OSTUNE_CMD_EVENT] = "EVENT",
	};

	return cmd < sizeof(n) / sizeof(n[0]) && n[cmd] ? n[cmd] : "?";
}

/* An answer this kind of caller may not get: kept with its kind's. */
static void unexpected(int idx, const char *fmt, ...)
{
	struct kind_stats *ks = &sh->kind[my_kind];
	int i = __sync_fetch_and_add(&ks->nbad, 1);
	va_list ap;

	sh->unexpected[idx]++;
	ADD(ks->unexpected);
	if (i >= BAD_KEPT / 2)
		return;
	va_start(ap, fmt);
	vsnprintf(ks->bad[i], sizeof(ks->bad[i]), fmt, ap);
	va_end(ap);
}

/* The extack message of an ack, or "". */
static const char *ack_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const struct nlattr *a;
	int len;
	size_t off;

	if (nlh->nlmsg_type != NLMSG_ERROR || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e))
		return "";
	off = NLMSG_HDRLEN + sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	if (off >= nlh->nlmsg_len)
		return "";
	a = (const struct nlattr *)((const char *)nlh + off);
	for (len = nlh->nlmsg_len - off;
	     len >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len)))
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG &&
		    a->nla_len > sizeof(*a))
			return (const char *)(a + 1);
	return "";
}

/* An ack or a dump's end: counted, and judged for an unprivileged caller. */
static void judge_answer(int idx, const struct expect *x, int err, bool mine,
			 bool done, const struct nlmsghdr *ack)
{
	struct kind_stats *ks = &sh->kind[my_kind];
	int e = -err;

	ADD(ks->answers);
	ADD(ks->err[e >= 0 && e < ERRNO_SLOTS - 1 ? e : ERRNO_SLOTS - 1]);
	if (my_kind == K_ROOT) {
		if (!root_errno_ok(e))
			unexpected(idx, "%s answered %d (%s): %.80s",
				   cmd_name(x->cmd), err, strerror(e),
				   ack_msg(ack));
		return;
	}
	if (mine && x->whole && admin_cmd(x->cmd)) {
		/*
		 * A header with reserved bits set is refused before anything
		 * (genl_header_check()), and a dump of a command without one
		 * may be refused before the permission is checked.
		 */
		if (x->hdr_bad ? e == EINVAL :
		    e == EPERM || (e == EOPNOTSUPP &&
				   (x->flags & NLM_F_DUMP) == NLM_F_DUMP))
			return;
		unexpected(idx, "%s%s answered %d, not EPERM (flags %#x, %s%s): %.80s",
			   cmd_name(x->cmd), x->flags & NLM_F_DUMP ? " (dump)" : "",
			   err, x->flags, x->clean ? "clean" : "fuzz",
			   x->hdr_bad ? ", bad header" : "", ack_msg(ack));
		return;
	}
	if (mine && x->clean && x->cmd == OSTUNE_CMD_GET_STATUS) {
		if (!done || err)
			unexpected(idx, "GET_STATUS ended with %d", err);
		return;
	}
	/*
	 * An answer to what the kernel made of the bytes after a header
	 * that claimed less: ENOENT when they name no family.
	 */
	if (!unpriv_errno_ok(e) && (mine || e != ENOENT))
		unexpected(idx, "%s answered %d (%s): %.80s", cmd_name(x->cmd),
			   err, strerror(e), ack_msg(ack));
}

/*
 * A reply carrying data. To an unprivileged caller only a GET_STATUS
 * summary may come, with no knob in it: anything else shows what it may
 * not see. Returns whether it was a summary.
 */
static bool judge_reply(int idx, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	const struct nlattr *a;
	bool held = false;
	int len;

	ADD(sh->kind[my_kind].replies);
	if (my_kind == K_ROOT)
		return false;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return false;
	if (g->cmd != OSTUNE_CMD_GET_STATUS) {
		ADD(sh->kind[my_kind].leaks);
		unexpected(idx, "a %s reply", cmd_name(g->cmd));
		return false;
	}
	a = (const struct nlattr *)((const char *)g + GENL_HDRLEN);
	len = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	for (; len >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
	       a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len))) {
		if ((a->nla_type & NLA_TYPE_MASK) == OSTUNE_A_KNOB) {
			ADD(sh->kind[my_kind].leaks);
			unexpected(idx, "GET_STATUS showed a held knob");
			return false;
		}
		if ((a->nla_type & NLA_TYPE_MASK) == OSTUNE_A_HELD_COUNT &&
		    a->nla_len >= NLA_HDRLEN + sizeof(uint32_t) &&
		    *(const uint32_t *)((const char *)a + NLA_HDRLEN))
			held = true;
	}
	ADD(sh->kind[my_kind].summaries);
	if (held)
		ADD(sh->kind[my_kind].summaries_held);
	return true;
}

/*
 * Reads whatever the kernel answered, dumps included, and judges it;
 * 0 or -errno. *got says whether the answer to x came.
 */
static int drain(int fd, int idx, const struct expect *x, bool *got)
{
	static unsigned char rbuf[128 * 1024] __attribute__((aligned(4)));
	bool summary = false;
	ssize_t n;
	int i;

	*got = false;
	for (i = 0; i < 10000; i++) {
		const struct nlmsghdr *nlh;
		int left;

		n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			/* an ack or dump part dropped: the socket goes on */
			if (errno == ENOBUFS || errno == EINTR)
				continue;
			return -errno;
		}
		left = n;
		for (nlh = (const struct nlmsghdr *)rbuf; NLMSG_OK(nlh, left);
		     nlh = NLMSG_NEXT(nlh, left)) {
			bool mine = nlh->nlmsg_seq == x->seq;

			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
					err = *(const int *)NLMSG_DATA(nlh);
				judge_answer(idx, x, err, mine,
					     nlh->nlmsg_type == NLMSG_DONE, nlh);
				if (mine)
					*got = true;
			} else if (nlh->nlmsg_type == family) {
				if (judge_reply(idx, nlh) && mine)
					summary = true;
			}
		}
	}
	if (i == 10000)
		return -ELOOP;
	if (x->clean && my_kind != K_ROOT && x->cmd == OSTUNE_CMD_GET_STATUS &&
	    !summary)
		unexpected(idx, "GET_STATUS without its summary");
	return 0;
}

/* ---- who is asking ---------------------------------------------------- */

static int write_text(const char *path, const char *text)
{
	return file_write(path, text);
}

/*
 * The decoys: what a caller can put where the knobs' files are in its
 * own mount namespace. The module works through its own mounts, so none
 * of this may change an answer: no read of a FIFO (a hang), of
 * /dev/zero, of a device, and no decoy value in a reply.
 */
#define DECOY_VALUE	"123456789"

struct decoy {
	const char *name;	/* the knob it stands in for */
	char type;		/* f FIFO, l symlink to /dev/zero, c /dev/zero's node, r decoy file, d directory */
	bool exists;		/* the real knob, outside */
};

static struct decoy decoys[] = {
	{ "sysctl.vm.swappiness", 'f', false },
	{ "sysctl.vm.dirty_ratio", 'l', false },
	{ "sysctl.vm.dirty_background_ratio", 'r', false },
	{ "sysctl.vm.vfs_cache_pressure", 'c', false },
	{ "sysctl.vm.dirty_expire_centisecs", 'd', false },
	{ "sysctl.vm.stat_interval", 'r', false },
	{ "sched.migration_cost_ns", 'f', false },
	{ "sched.nr_migrate", 'l', false },
	{ "sched.base_slice_ns", 'r', false },
	{ "sched.wakeup_granularity_ns", 'r', false },
	{ "sched.latency_ns", 'c', false },
	{ "sched.min_granularity_ns", 'f', false },
	{ "sched.numa_balancing", 'f', false },
	{ "sched.numa_balancing.scan_delay_ms", 'f', false },
	{ "sched.features", 'd', false },
};

/* Where a decoy goes inside the tmpfs mounted at mnt over base. */
static int decoy_path(const struct decoy *d, char *path, size_t len)
{
	char real[256];

	if (knob_path(d->name, real, sizeof(real)))
		return -EINVAL;
	snprintf(path, len, "%s", real);
	return 0;
}

/*
 * Makes the mounts of this process's namespace private and puts a tmpfs
 * of decoys over /proc/sys/vm and /sys/kernel/debug. Says what it did.
 */
static int hostile_mounts(char *what, size_t len)
{
	bool nodes = true;
	size_t i;
	int ret;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		snprintf(what, len, "private mounts: %s", strerror(errno));
		return -errno;
	}
	if (mount("ostune-fuzz", SYSCTL_DIR "/vm", "tmpfs", 0, "mode=0755") ||
	    mount("ostune-fuzz", "/sys/kernel/debug", "tmpfs", 0, "mode=0755")) {
		ret = -errno;
		snprintf(what, len, "tmpfs over the knobs: %s", strerror(errno));
		return ret;
	}
	mkdir(SCHED_DIR, 0755);
	mkdir(SCHED_DIR "/numa_balancing", 0755);
	for (i = 0; i < sizeof(decoys) / sizeof(decoys[0]); i++) {
		const struct decoy *d = &decoys[i];
		char path[256];

		if (decoy_path(d, path, sizeof(path)))
			continue;
		if (!strcmp(d->name, "sched.numa_balancing")) {
			/* a FIFO where the directory is: below it, not it */
			continue;
		}
		switch (d->type) {
		case 'f':
			mkfifo(path, 0666);
			break;
		case 'l':
			symlink("/dev/zero", path);
			break;
		case 'c':
			if (mknod(path, S_IFCHR | 0666, makedev(1, 5))) {
				nodes = false;
				symlink("/dev/zero", path);
			}
			break;
		case 'r': {
			int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);

			if (fd >= 0) {
				if (write(fd, DECOY_VALUE, strlen(DECOY_VALUE)) < 0)
					mkfifo(path, 0666);
				close(fd);
			}
			break;
		}
		case 'd':
			mkdir(path, 0755);
			break;
		}
	}
	/* the module's own reference u32, as a FIFO */
	mkdir("/sys/kernel/debug/ostune", 0755);
	mkfifo("/sys/kernel/debug/ostune/default_watchdog_ms", 0666);
	snprintf(what, len, "tmpfs of FIFOs, symlinks to /dev/zero, %s and decoy files over %s/vm and /sys/kernel/debug",
		 nodes ? "device nodes" : "no device node (mknod refused)",
		 SYSCTL_DIR);
	return 0;
}

/*
 * In a root caller among decoys: GET_KNOBS of a decoyed knob answers
 * with the real knob (or ENOENT when there is none), never the decoy's.
 */
static void decoy_check(struct rng *r, int idx)
{
	const struct decoy *d = &decoys[below(r, sizeof(decoys) / sizeof(decoys[0]))];
	struct ostune_knob_value out;
	struct ostune_client c;
	int ret;

	if (ostune_client_open(&c))
		return;
	memset(&out, 0, sizeof(out));
	alarm(HANG_MS / 1000);
	ret = ostune_get_knobs(&c, &d->name, 1, &out);
	alarm(0);
	sh->sent[idx]++;
	ADD(sh->kind[my_kind].sent);
	ADD(sh->kind[my_kind].decoys);
	if (!d->exists) {
		/* no knob outside either: refused, whatever is inside */
		if (!ret)
			unexpected(idx, "GET_KNOBS %s among decoys read '%s'",
				   d->name, out.value);
		else if (!root_errno_ok(-ret))
			unexpected(idx, "GET_KNOBS %s among decoys: %d (%s)",
				   d->name, ret, c.err_msg);
	} else if (ret) {
		unexpected(idx, "GET_KNOBS %s among decoys: %d (%s)", d->name,
			   ret, c.err_msg);
	} else if (!strcmp(out.value, DECOY_VALUE) || !decimal(out.value)) {
		unexpected(idx, "GET_KNOBS %s among decoys read '%s'", d->name,
			   out.value);
	}
	ostune_client_close(&c);
}

/*
 * Nobody, in the user namespace it makes, mapped to root there, with the
 * decoys mounted. Without user namespaces (or when they are refused to
 * nobody), root makes the decoy mounts in a private mount namespace and
 * then becomes nobody. Called as root; 0 or -errno, what says how.
 */
static int become_userns_root(char *what, size_t len)
{
	char map[64], mounts[160];
	int ret, e;

	ret = drop_to_nobody();
	if (ret) {
		snprintf(what, len, "drop_to_nobody() returned %d", ret);
		return ret;
	}
	/* the drop made the process undumpable: its uid_map is root's */
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS)) {
		e = errno;
		snprintf(what, len, "unshare(CLONE_NEWUSER|CLONE_NEWNS) as nobody: %s",
			 strerror(e));
		return -e;
	}
	snprintf(map, sizeof(map), "0 %u 1", 65534);
	if (write_text("/proc/self/setgroups", "deny") ||
	    write_text("/proc/self/uid_map", map) ||
	    write_text("/proc/self/gid_map", map)) {
		e = errno;
		snprintf(what, len, "user namespace maps: %s", strerror(e));
		return -EPERM;
	}
	if (setresuid(0, 0, 0) || setresgid(0, 0, 0)) {
		snprintf(what, len, "root in the user namespace: %s", strerror(errno));
		return -EPERM;
	}
	ret = hostile_mounts(mounts, sizeof(mounts));
	snprintf(what, len, "nobody's user namespace, root in it (uid %u), %s",
		 getuid(), mounts);
	return ret;
}

static int become_nobody_in_mount_ns(char *what, size_t len)
{
	char mounts[160];
	int ret;

	if (unshare(CLONE_NEWNS)) {
		snprintf(what, len, "unshare(CLONE_NEWNS): %s", strerror(errno));
		return -errno;
	}
	ret = hostile_mounts(mounts, sizeof(mounts));
	if (ret) {
		snprintf(what, len, "%s", mounts);
		return ret;
	}
	ret = drop_to_nobody();
	if (ret) {
		snprintf(what, len, "drop_to_nobody() returned %d", ret);
		return ret;
	}
	snprintf(what, len, "FALLBACK, no user namespace for nobody: nobody in a private mount namespace made by root, %s",
		 mounts);
	return 0;
}

/*
 * Makes this process the caller it is to be; 0, or -errno and the kind's
 * setup line says why. slot: which of the kind's two setup lines.
 */
static int become(int slot, bool decoyed)
{
	char *what = sh->kind[my_kind].setup[slot];
	size_t len = sizeof(sh->kind[my_kind].setup[slot]);
	int ret = 0;

	switch (my_kind) {
	case K_ROOT:
		if (!decoyed) {
			snprintf(what, len, "root, the initial namespaces");
			break;
		}
		if (unshare(CLONE_NEWNS)) {
			ret = -errno;
			snprintf(what, len, "unshare(CLONE_NEWNS): %s", strerror(errno));
			break;
		}
		{
			char mounts[160];

			ret = hostile_mounts(mounts, sizeof(mounts));
			snprintf(what, len, "root in a private mount namespace, %s",
				 mounts);
		}
		break;
	case K_NOBODY:
		ret = drop_to_nobody();
		if (ret)
			snprintf(what, len, "drop_to_nobody() returned %d, not 0", ret);
		else
			snprintf(what, len, "uid/gid 65534, no capabilities (drop_to_nobody() returned 0)");
		break;
	case K_USERNS: {
		char *tried = sh->kind[my_kind].setup[1];
		size_t tlen = sizeof(sh->kind[my_kind].setup[1]);
		pid_t pid;
		int status;

		/*
		 * Tried in a child first: a failed attempt leaves the process
		 * nobody, and the fallback needs root to mount.
		 */
		fflush(stdout);
		pid = fork();
		if (pid == 0)
			_exit(become_userns_root(tried, tlen) ? 1 : 0);
		if (pid > 0 && waitpid(pid, &status, 0) == pid &&
		    WIFEXITED(status) && !WEXITSTATUS(status)) {
			tried[0] = '\0';
			ret = become_userns_root(what, len);
		} else {
			ret = become_nobody_in_mount_ns(what, len);
		}
		break;
	}
	default:
		break;
	}
	return ret;
}

/* ---- valid requests among the fuzz ------------------------------------ */

/*
 * A kept change and its restore by name, as `ostune set` then `restore`.
 * Now and then a sysctl gets one number more than it holds: its handler
 * stores what it holds and stops short of the rest, and the value is
 * refused whole (EINVAL), nothing kept.
 */
static void kept_round(struct rng *r, int idx)
{
	const struct pool_knob *k = &pool[below(r, 9)];
	bool extra = !strncmp(k->name, "sysctl.", 7) && chance(r, 20);
	char value[OSTUNE_VALUE_MAX];
	struct ostune_client c;
	struct ostune_kv kv;
	int ret;

	if (ostune_client_open(&c))
		return;
	snprintf(value, sizeof(value), "%s%s", k->v[0], extra ? " 0" : "");
	kv.name = k->name;
	kv.value = value;
	ret = ostune_apply(&c, &kv, 1, NULL);
	sh->sent[idx]++;
	ADD(sh->kind[my_kind].sent);
	if (extra) {
		ADD(sh->kind[my_kind].extra_tried);
		/* EBUSY: a session holds it; ENOENT: not in this kernel */
		if (ret == -EINVAL)
			ADD(sh->kind[my_kind].extra_einval);
		else if (ret != -EBUSY && ret != -ENOENT)
			unexpected(idx, "kept apply %s='%s', a number too many: %d (%s), not EINVAL",
				   k->name, value, ret, c.err_msg);
		/* taken after all: the next restore of everything puts it back */
		ostune_client_close(&c);
		return;
	}
	if (!ret) {
		ret = ostune_restore(&c, &kv.name, 1);
		sh->sent[idx]++;
		ADD(sh->kind[my_kind].sent);
		/* ENOENT: a concurrent restore of everything got there first */
		if (ret && ret != -EBUSY && ret != -ENOENT && ret != -ETIMEDOUT)
			unexpected(idx, "restore of %s: %d (%s)", k->name, ret,
				   c.err_msg);
	} else if (ret != -EBUSY && ret != -ETIMEDOUT && ret != -ENOENT) {
		/* ENOENT: a knob this kernel does not have */
		unexpected(idx, "kept apply %s=%s: %d (%s)", k->name, value, ret,
			   c.err_msg);
	}
	ostune_client_close(&c);
}

/*
 * An unprivileged caller asks to join the events group: EPERM. The
 * request is made on a socket of its own, as the CLI's monitor does.
 */
static void events_check(int idx)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, ret;

	if (!events_group)
		return;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	ret = setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			 &events_group, sizeof(events_group)) ? -errno : 0;
	ADD(sh->kind[my_kind].events_tried);
	if (ret == -EPERM)
		ADD(sh->kind[my_kind].events_eperm);
	else
		unexpected(idx, "joining the events group: %d, not EPERM", ret);
	close(fd);
}

static void fuzzer(int idx, uint64_t seed, unsigned long quota)
{
	static struct msg m;
	struct rng r = { seed };
	unsigned long until_recycle = 0;
	bool decoyed = my_kind == K_ROOT && idx == 1;
	struct kind_stats *ks = &sh->kind[my_kind];
	uint32_t seq = (uint32_t)idx << 24;
	int fd = -1, ret;
	size_t len;

	ADD(ks->procs);
	if (become(decoyed, decoyed)) {
		unexpected(idx, "cannot become the caller: %s",
			   ks->setup[decoyed]);
		sh->fin[idx] = 1;
		__sync_fetch_and_add(&sh->done, 1);
		return;
	}
	while (sh->sent[idx] < quota) {
		struct nlmsghdr *nlh;
		struct expect x;
		bool got;

		pause_point(idx);
		if (sh->end_ms && now_ms() > sh->end_ms) {
			sh->budget_hit = 1;
			break;
		}
		if (!until_recycle--) {
			/* closing ends any session a fuzz message opened */
			if (fd >= 0)
				close(fd);
			fd = raw_open(&r);
			if (fd < 0) {
				unexpected(idx, "socket: %d", fd);
				break;
			}
			until_recycle = 1 + below(&r, RECYCLE);
			if (my_kind != K_ROOT)
				events_check(idx);
		}
		if (my_kind == K_ROOT && chance(&r, 2)) {
			kept_round(&r, idx);
			continue;
		}
		if (decoyed && chance(&r, 1)) {
			decoy_check(&r, idx);
			continue;
		}
		memset(&x, 0, sizeof(x));
		if (my_kind != K_ROOT && chance(&r, 25)) {
			/* a clean request: EPERM, or a summary of the status */
			static const uint8_t cmds[] = {
				OSTUNE_CMD_GET_STATUS, OSTUNE_CMD_GET_KNOBS,
				OSTUNE_CMD_SESSION_OPEN, OSTUNE_CMD_SESSION_CLOSE,
				OSTUNE_CMD_HEARTBEAT, OSTUNE_CMD_APPLY,
				OSTUNE_CMD_RESTORE,
			};

			build_plausible(&r, &m, cmds[below(&r, sizeof(cmds))]);
			len = m.len;
			x.clean = true;
			ADD(ks->clean);
		} else {
			len = build_fuzz(&r, &m);
		}
		nlh = (struct nlmsghdr *)m.buf;
		nlh->nlmsg_seq = ++seq;
		x.seq = seq;
		x.flags = nlh->nlmsg_flags;
		x.cmd = ((struct genlmsghdr *)NLMSG_DATA(nlh))->cmd;
		{
			uint16_t f = x.flags;

			if ((f & NLM_F_DUMP) == NLM_F_DUMP)
				f &= ~NLM_F_DUMP;
			x.hdr_bad = ((struct genlmsghdr *)NLMSG_DATA(nlh))->reserved ||
				    (f & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO));
		}
		x.whole = (x.flags & NLM_F_REQUEST) && nlh->nlmsg_type == family &&
			  nlh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN &&
			  nlh->nlmsg_len <= len;
		alarm(HANG_MS / 1000);
		/* ENODATA: an empty message */
		if (send(fd, m.buf, len, 0) < 0 && errno != ENOBUFS &&
		    errno != EINVAL && errno != EMSGSIZE && errno != ENODATA)
			unexpected(idx, "send: %s", strerror(errno));
		sh->sent[idx]++;
		ADD(ks->sent);
		ret = drain(fd, idx, &x, &got);
		alarm(0);
		if (ret)
			unexpected(idx, "recv: %s", strerror(-ret));
		if (x.clean && !got)
			unexpected(idx, "no answer to a clean %s", cmd_name(x.cmd));
	}
	if (fd >= 0)
		close(fd);
	sh->fin[idx] = 1;
	__sync_fetch_and_add(&sh->done, 1);
}

/* How a session of the session process ends. */
enum end { END_CLOSE, END_SOCKET, END_OWNER_RESTORE, END_WATCHDOG };

static int read_all(const char *const *names, size_t n,
		    char (*vals)[VALBUF])
{
	size_t i;

	for (i = 0; i < n; i++)
		if (knob_read(names[i], vals[i], VALBUF))
			vals[i][0] = '\0';
	return 0;
}

/* Waits until the session of c is gone; 0, or -ETIME after 10 s. */
static int wait_expired(struct ostune_client *c, int idx)
{
	uint64_t end = now_ms() + 10000;
	struct ostune_status st;
	bool ours;
	int ret;

	while (now_ms() < end) {
		memset(&st, 0, sizeof(st));
		ret = ostune_get_status(c, &st);
		sh->sent[idx]++;
		if (ret)
			return ret;
		ours = st.has_session && st.session_portid == c->portid;
		ostune_status_free(&st);
		if (!ours)
			return 0;
		sh->beat[idx] = now_ms();
		sleep_ms(10);
	}
	return -ETIME;
}

/*
 * One session: note what the knobs are, change some, check the change is
 * there, end the session one of four ways and check the knobs are back:
 * at the session's start values, or the originals after an owner's
 * RESTORE.
 */
static void session_round(struct rng *r, int idx, const struct snap *orig)
{
	size_t nk = sizeof(session_knobs) / sizeof(session_knobs[0]);
	char start[8][VALBUF], now[8][VALBUF];
	const char *want_vals[8];
	struct ostune_kv kv[8];
	enum end how = below(r, 4);
	struct ostune_client c;
	size_t i, n = 0;
	int ret;

	if (ostune_client_open(&c))
		return;
	ret = ostune_session_open(&c, how == END_WATCHDOG ?
				  OSTUNE_WATCHDOG_MIN_MS : 30000);
	sh->sent[idx]++;
	if (ret == -EBUSY) {
		/* a fuzz socket holds one: it goes when that socket does */
		sh->session_busy++;
		ostune_client_close(&c);
		sleep_ms(5);
		return;
	}
	if (ret) {
		sh->session_bad++;
		bad("session open: %d (%s)", ret, c.err_msg);
		ostune_client_close(&c);
		return;
	}
	/*
	 * Nobody else can change them through the module now, but a request
	 * that passed its writer check before the session opened may still
	 * be writing: the start values are read with every fuzzer paused
	 * between two requests. A short lease may run out before this round
	 * checks the knobs, and from then on the fuzzers could change them
	 * again: then they stay paused throughout.
	 */
	pause_fuzzers(idx);
	read_all(session_knobs, nk, start);
	if (how != END_WATCHDOG)
		sh->pause = 0;
	for (i = 0; i < nk; i++) {
		const char *v;
		size_t j;

		if (!start[i][0] || chance(r, 40))
			continue;
		v = NULL;
		for (j = 0; j < sizeof(pool) / sizeof(pool[0]); j++)
			if (!strcmp(pool[j].name, session_knobs[i]))
				v = pool[j].v[below(r, 2)];
		if (!v)
			continue;
		kv[n].name = session_knobs[i];
		kv[n].value = v;
		want_vals[n] = v;
		n++;
	}
	/* A short lease may run out under the apply: nothing to check. */
	if (n && how == END_WATCHDOG) {
		ret = ostune_apply(&c, kv, n, NULL);
		sh->sent[idx]++;
	} else if (n) {
		ret = ostune_apply(&c, kv, n, NULL);
		sh->sent[idx]++;
		if (ret) {
			sh->session_bad++;
			bad("session apply: %d (%s)", ret, c.err_msg);
		}
		for (i = 0; !ret && i < n; i++) {
			char cur[VALBUF];

			if (!knob_read(kv[i].name, cur, sizeof(cur)) &&
			    !val_eq(cur, want_vals[i])) {
				sh->session_bad++;
				bad("%s is '%s' after applying '%s'", kv[i].name,
				    cur, want_vals[i]);
			}
		}
	}
	if (chance(r, 50)) {
		ret = ostune_heartbeat(&c);
		sh->sent[idx]++;
		if (ret && how != END_WATCHDOG) {
			sh->session_bad++;
			bad("heartbeat: %d (%s)", ret, c.err_msg);
		}
	}
	pause_fuzzers(idx);
	switch (how) {
	case END_CLOSE:
		ret = ostune_session_close(&c);
		sh->sent[idx]++;
		break;
	case END_OWNER_RESTORE:
		ret = ostune_restore(&c, NULL, 0);
		sh->sent[idx]++;
		if (!ret) {
			ret = ostune_session_close(&c);
			sh->sent[idx]++;
		}
		break;
	case END_WATCHDOG:
		/* No heartbeat: wait for the watchdog, then be fenced. */
		ret = wait_expired(&c, idx);
		if (!ret) {
			ret = ostune_heartbeat(&c);
			sh->sent[idx]++;
			ret = ret == -ETIMEDOUT ? 0 : ret ? ret : -EALREADY;
		}
		break;
	case END_SOCKET:
		ret = 0;
		break;
	}
	if (ret) {
		sh->session_bad++;
		bad("ending the session (%d): %d (%s)", how, ret, c.err_msg);
	}
	/* The release notifier has undone the session when close returns. */
	ostune_client_close(&c);

	read_all(session_knobs, nk, now);
	for (i = 0; i < nk; i++) {
		const char *want = start[i];

		if (how == END_OWNER_RESTORE && snap_get(orig, session_knobs[i]))
			want = snap_get(orig, session_knobs[i]);
		if (!val_eq(now[i], want)) {
			sh->session_bad++;
			bad("session ended (%d): %s is '%s', expected '%s'", how,
			    session_knobs[i], now[i], want);
		}
	}
	sh->pause = 0;
	sh->sessions++;
}

static void sessions(int idx, uint64_t seed, const struct snap *orig)
{
	struct rng r = { seed };

	while (!sh->stop) {
		sh->beat[idx] = now_ms();
		session_round(&r, idx, orig);
	}
}

/* ---- the run ---------------------------------------------------------- */

static int tap_n;
static int tap_failed;

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

/* Extra knobs the fuzz may change that the snapshot does not cover. */
static void extra_values(char (*vals)[VALBUF])
{
	size_t i;

	for (i = 0; i < sizeof(pool) / sizeof(pool[0]); i++) {
		const char *name = pool[i].name;
		char path[256];

		vals[i][0] = '\0';
		if (!strncmp(name, "idle.cpu", 8)) {
			unsigned int cpu, state;

			if (sscanf(name, "idle.cpu%u.state%u", &cpu, &state) == 2) {
				snprintf(path, sizeof(path),
					 "/sys/devices/system/cpu/cpu%u/cpuidle/state%u/disable",
					 cpu, state);
				file_read(path, vals[i], VALBUF);
			}
		} else if (!strncmp(name, "freq.policy", 11)) {
			unsigned int cpu;

			if (sscanf(name, "freq.policy%u", &cpu) == 1) {
				snprintf(path, sizeof(path),
					 "/sys/devices/system/cpu/cpufreq/policy%u/%s",
					 cpu, strstr(name, "min") ? "scaling_min_freq" :
					 "scaling_max_freq");
				file_read(path, vals[i], VALBUF);
			}
		} else if (!strncmp(name, "pmqos.cpu1.", 11)) {
			file_read("/sys/devices/system/cpu/cpu1/power/pm_qos_resume_latency_us",
				  vals[i], VALBUF);
		} else if (!strncmp(name, "nic.lo.rx0.", 11)) {
			snprintf(path, sizeof(path), "/sys/class/net/lo/queues/rx-0/%s",
				 name + 11);
			file_read(path, vals[i], VALBUF);
		}
	}
}

/*
 * The values, read directly, of every machine name the module may have
 * changed (those with a value of their own at the start); NULL entries
 * for the others.
 */
static char **machine_values(void)
{
	char **v = calloc(nnames ? nnames : 1, sizeof(*v));
	unsigned int i;

	for (i = 0; v && i < nnames; i++) {
		char path[512], buf[VALBUF];
		const char *name = names[i].name;

		if (!(names[i].flags & N_CUR))
			continue;
		if (!strncmp(name, "irq.", 4)) {
			unsigned int irq;

			if (sscanf(name, "irq.%u.", &irq) != 1)
				continue;
			snprintf(path, sizeof(path), IRQ_DIR "/%u/smp_affinity_list", irq);
		} else if (knob_path(name, path, sizeof(path))) {
			continue;
		}
		if (!file_read(path, buf, sizeof(buf)))
			v[i] = strdup(buf);
	}
	return v;
}

static const char *errno_name(int e)
{
	static const struct { int e; const char *n; } t[] = {
		{ 0, "ok" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" },
		{ EINVAL, "EINVAL" }, { EACCES, "EACCES" }, { EBUSY, "EBUSY" },
		{ E2BIG, "E2BIG" }, { ERANGE, "ERANGE" },
		{ EOPNOTSUPP, "EOPNOTSUPP" }, { EMSGSIZE, "EMSGSIZE" },
		{ ENODEV, "ENODEV" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ ENOSPC, "ENOSPC" }, { EOVERFLOW, "EOVERFLOW" },
		{ ESTALE, "ESTALE" }, { ENOTDIR, "ENOTDIR" }, { EISDIR, "EISDIR" },
		{ ENOMEM, "ENOMEM" }, { EIO, "EIO" }, { EFAULT, "EFAULT" },
		{ ELOOP, "ELOOP" }, { ENXIO, "ENXIO" }, { EAGAIN, "EAGAIN" },
	};
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == e)
			return t[i].n;
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/* Per kind of caller: what was sent, the names tried, the answers. */
static void report_kind(enum kind k)
{
	const struct kind_stats *ks = &sh->kind[k];
	unsigned int i, tried = 0, dirs = 0, nonu32 = 0, mutants = 0;
	char line[1024];
	size_t o = 0;
	int e;

	for (i = 0; i < nnames; i++) {
		if (!(ks->tried[i / 8] & (1U << (i % 8))))
			continue;
		tried++;
		dirs += !!(names[i].flags & N_DIR);
		nonu32 += !!(names[i].flags & N_NONU32);
		mutants += !!(names[i].flags & N_MUTANT);
	}
	printf("# %s: %d process%s; %s%s%s\n", kind_name[k], ks->procs,
	       ks->procs == 1 ? "" : "es", ks->setup[0],
	       ks->setup[1][0] ? "; " : "", ks->setup[1]);
	printf("# %s: %lu messages sent (%lu clean requests of a known answer, %lu decoy reads), %lu answers, %lu replies with data\n",
	       kind_name[k], ks->sent, ks->clean, ks->decoys, ks->answers,
	       ks->replies);
	printf("# %s: %u distinct machine names tried of %u (%u directories, %u sched entries that are no u32 tunable, %u mutations), %lu uses, %lu random names\n",
	       kind_name[k], tried, nnames, dirs, nonu32, mutants,
	       ks->pool_names, ks->random_names);
	for (e = 0; e < ERRNO_SLOTS; e++) {
		if (!ks->err[e])
			continue;
		o += snprintf(line + o, sizeof(line) - o, "%s%s %lu",
			      o ? ", " : "",
			      e == ERRNO_SLOTS - 1 ? "other" : errno_name(e),
			      ks->err[e]);
		if (o >= sizeof(line))
			break;
	}
	printf("# %s: answers by errno: %s\n", kind_name[k], o ? line : "none");
	if (k == K_ROOT)
		printf("# %s: kept applies of a sysctl with a number too many: %lu, %lu refused with EINVAL\n",
		       kind_name[k], ks->extra_tried, ks->extra_einval);
	if (k != K_ROOT)
		printf("# %s: events group: %lu tries, %lu EPERM; GET_STATUS: %lu summaries, %lu while knobs were held; %lu values shown\n",
		       kind_name[k], ks->events_tried, ks->events_eperm,
		       ks->summaries, ks->summaries_held, ks->leaks);
	printf("# %s: %lu unexpected answers%s\n", kind_name[k], ks->unexpected,
	       ks->hung ? ", a process HUNG" : "");
	for (e = 0; e < ks->nbad && e < BAD_KEPT / 2; e++)
		printf("# %s: problem: %s\n", kind_name[k], ks->bad[e]);
}

/* A process that no longer shows signs of life: its kernel stack. */
static void report_hang(pid_t pid, int idx, const char *who)
{
	char path[64], buf[4096];

	printf("# HANG: %s (process %d, pid %d) silent for %d s\n", who, idx,
	       (int)pid, HANG_MS / 1000);
	snprintf(path, sizeof(path), "/proc/%d/wchan", (int)pid);
	if (!file_read(path, buf, sizeof(buf)))
		printf("# HANG: wchan %s\n", buf);
	snprintf(path, sizeof(path), "/proc/%d/stack", (int)pid);
	if (!file_read(path, buf, sizeof(buf))) {
		char *l, *save = NULL;

		for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			printf("# HANG:   %s\n", l);
	}
	fflush(stdout);
}

int main(int argc, char **argv)
{
	unsigned long total = 100000, sent = 0, unexpected_n = 0;
	char before_x[32][VALBUF], after_x[32][VALBUF];
	struct snap before, after;
	int opt, i, status, kfd, nprocs, left, hangs = 0;
	const char *env = getenv("OSTUNE_FUZZ_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL);
	unsigned int seconds = 0, machine_diff = 0;
	struct ostune_status st;
	struct ostune_client c;
	pid_t pids[MAX_PROCS];
	bool running[MAX_PROCS], killed[MAX_PROCS] = { false };
	uint64_t killed_at[MAX_PROCS] = { 0 };
	char detail[512], line[512];
	char **mv_before, **mv_after;
	uint64_t t0;
	bool ok;
	int k;

	while ((opt = getopt(argc, argv, "s:n:p:t:")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			total = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			nfuzz = atoi(optarg);
			break;
		case 't':
			seconds = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-n MESSAGES] [-p FUZZERS] [-t SECONDS]\n",
				argv[0]);
			return 2;
		}
	}
	if (nfuzz < 1 || nfuzz > MAX_FUZZERS)
		nfuzz = 3;
	if (!seed)
		seed = 1;
	nfuzzers = nfuzz + 2;
	nprocs = nfuzzers + 1;

	printf("TAP version 13\n1..8\n");
	printf("# seed %llu, %d root fuzzing processes, one as nobody, one as root of a user namespace, one of sessions; %lu messages%s",
	       (unsigned long long)seed, nfuzz, total,
	       seconds ? "" : "\n");
	if (seconds)
		printf(" or %u s, whichever comes first\n", seconds);
	fflush(stdout);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || mod_ensure_loaded() || ostune_client_open(&c)) {
		printf("Bail out! no module or no shared memory\n");
		return 1;
	}
	family = c.family_id;
	events_group = c.events_group;
	ostune_restore(&c, NULL, 0);
	ostune_client_close(&c);
	build_names(seed);
	for (i = 0; i < (int)(sizeof(decoys) / sizeof(decoys[0])); i++) {
		const struct name_ent *e = name_lookup(decoys[i].name);

		/* a knob outside: a tunable file, a sched one a u32 */
		decoys[i].exists = e && (e->flags & N_ACCEPTS) &&
				   !(e->flags & (N_DIR | N_NONU32));
	}
	kfd = kmsg_open_end();
	snap_take(&before);
	extra_values(before_x);
	mv_before = machine_values();

	t0 = now_ms();
	if (seconds)
		sh->end_ms = t0 + seconds * 1000ULL;
	for (i = 0; i < nprocs; i++) {
		fflush(stdout);
		sh->beat[i] = now_ms();
		pids[i] = fork();
		if (pids[i] < 0) {
			printf("Bail out! fork: %s\n", strerror(errno));
			return 1;
		}
		if (!pids[i]) {
			uint64_t s = seed ^ (0x9E3779B97F4A7C15ULL * (i + 1));
			unsigned long quota = total / nfuzzers +
					      (i < (int)(total % nfuzzers));

			if (i < nfuzzers) {
				my_kind = i < nfuzz ? K_ROOT :
					  i == nfuzz ? K_NOBODY : K_USERNS;
				fuzzer(i, s, quota);
			} else {
				sessions(i, s, &before);
			}
			_exit(0);
		}
		running[i] = true;
	}

	/*
	 * Wait for the fuzzers, then stop the sessions; whoever shows no
	 * sign of life for HANG_MS hangs: its kernel stack is printed and
	 * it is killed (if it can be).
	 */
	left = nprocs;
	while (left) {
		for (i = 0; i < nprocs; i++) {
			const char *who = i < nfuzz ? "root" : i == nfuzz ? "nobody" :
					  i == nfuzz + 1 ? "userns-root" : "sessions";
			bool gone = false;

			if (!running[i])
				continue;
			if (waitpid(pids[i], &status, WNOHANG) == pids[i]) {
				gone = true;
				if (WIFSIGNALED(status) && !killed[i]) {
					printf("# %s (process %d) died of signal %d%s\n",
					       who, i, WTERMSIG(status),
					       WTERMSIG(status) == SIGALRM ?
					       ": a request took too long" : "");
					hangs++;
					if (i < nfuzzers)
						sh->kind[i < nfuzz ? K_ROOT : i == nfuzz ?
							 K_NOBODY : K_USERNS].hung++;
				}
			} else if (killed[i] &&
				   (int64_t)(now_ms() - killed_at[i]) > 10000) {
				/* stuck in the kernel for good: go on without it */
				printf("# %s (process %d, pid %d) cannot be killed: left behind\n",
				       who, i, (int)pids[i]);
				gone = true;
			} else if (!killed[i] &&
				   (int64_t)(now_ms() - sh->beat[i]) > HANG_MS) {
				report_hang(pids[i], i, who);
				hangs++;
				if (i < nfuzzers)
					sh->kind[i < nfuzz ? K_ROOT : i == nfuzz ?
						 K_NOBODY : K_USERNS].hung++;
				kill(pids[i], SIGKILL);
				killed[i] = true;
				killed_at[i] = now_ms();
			}
			if (gone) {
				running[i] = false;
				left--;
				/* the sessions must not wait for it to pause */
				if (i < nfuzzers && !sh->fin[i]) {
					sh->fin[i] = 1;
					__sync_fetch_and_add(&sh->done, 1);
				}
			}
		}
		if (!sh->stop) {
			bool fuzzers_left = false;

			for (i = 0; i < nfuzzers; i++)
				fuzzers_left |= running[i];
			if (!fuzzers_left)
				sh->stop = 1;
		}
		if (left)
			usleep(20000);
	}
	for (i = 0; i < nprocs; i++) {
		sent += sh->sent[i];
		unexpected_n += sh->unexpected[i];
	}
	printf("# %lu messages in %llu ms%s; %lu sessions (%lu found one open)\n",
	       sent, (unsigned long long)(now_ms() - t0),
	       sh->budget_hit ? " (the time budget ended the run)" : "",
	       sh->sessions, sh->session_busy);
	for (k = 0; k < NKINDS; k++)
		report_kind(k);
	for (i = 0; i < sh->nbad && i < BAD_KEPT; i++)
		printf("# problem: %s\n", sh->bad[i]);
	if (sh->nbad > BAD_KEPT)
		printf("# ... %d problems in all\n", sh->nbad);
	tap((sent >= total || sh->budget_hit) &&
	    !sh->kind[K_ROOT].unexpected && !hangs,
	    "fuzz: %lu messages from %d processes (%lu from root's %d), none answered root unexpectedly",
	    sent, nprocs, sh->kind[K_ROOT].sent, nfuzz);
	for (k = K_NOBODY; k < NKINDS; k++) {
		const struct kind_stats *ks = &sh->kind[k];

		tap(ks->procs == 1 && ks->sent > 0 && !ks->unexpected &&
		    !ks->leaks && ks->events_tried && ks->events_tried == ks->events_eperm,
		    "fuzz: %s: %lu messages, every change and GET_KNOBS refused with EPERM, no held value in GET_STATUS, events refused with EPERM%s",
		    kind_name[k], ks->sent, k == K_USERNS && ks->setup[1][0] ?
		    " (no user namespace here: nobody among decoys instead)" : "");
	}
	tap(!hangs && sh->kind[K_ROOT].decoys > 0,
	    "fuzz: no request hung; %lu reads of decoyed knobs from root among FIFOs, symlinks and device nodes got the real values",
	    sh->kind[K_ROOT].decoys);
	tap(sh->sessions > 0 && !sh->session_bad,
	    "fuzz: %lu valid sessions each left the knobs as they found them",
	    sh->sessions);

	/* Kept changes made by the fuzz are still held: restore them. */
	ok = !wait_no_session(5000) && !ostune_client_open(&c);
	if (ok) {
		ok = !ostune_restore(&c, NULL, 0);
		memset(&st, 0, sizeof(st));
		if (ok && !ostune_get_status(&c, &st)) {
			if (st.nheld)
				printf("# %zu knobs still held after restore, first %s\n",
				       st.nheld, st.held[0].name);
			ok = !st.nheld;
			ostune_status_free(&st);
		}
		ostune_client_close(&c);
	}
	snap_take(&after);
	extra_values(after_x);
	if (snap_diff(&before, &after, detail, sizeof(detail))) {
		printf("# %s\n", detail);
		ok = false;
	}
	for (i = 0; i < (int)(sizeof(pool) / sizeof(pool[0])); i++) {
		if (strcmp(before_x[i], after_x[i])) {
			printf("# %s: '%s' became '%s'\n", pool[i].name,
			       before_x[i], after_x[i]);
			ok = false;
		}
	}
	mv_after = machine_values();
	for (i = 0; mv_before && mv_after && i < (int)nnames; i++) {
		if (!mv_before[i] || !mv_after[i])
			continue;
		if (strcmp(mv_before[i], mv_after[i])) {
			if (machine_diff++ < 4)
				printf("# %s: '%s' became '%s'\n", names[i].name,
				       mv_before[i], mv_after[i]);
			ok = false;
		}
	}
	tap(ok, "fuzz: every knob is back at its value before the run (%u machine names compared too)",
	    ({ unsigned int n = 0; for (i = 0; mv_before && i < (int)nnames; i++) n += !!mv_before[i]; n; }));

	ok = !mod_unload() && !mod_loaded();
	snap_take(&after);
	if (snap_diff(&before, &after, detail, sizeof(detail))) {
		printf("# after unload: %s\n", detail);
		ok = false;
	}
	tap(ok && !mod_load(), "fuzz: the module unloads cleanly and loads again");

	ok = true;
	if (kfd >= 0) {
		static const char *const splats[] = {
			"BUG:", "WARNING:", "KASAN", "Oops", "Call Trace",
			"possible recursive locking", "circular locking",
			"sleeping function called from invalid context",
			"refcount_t:", "list_add corruption", "list_del corruption",
			"blocked for more than",
		};
		size_t s;

		for (s = 0; s < sizeof(splats) / sizeof(splats[0]); s++) {
			if (kmsg_find(kfd, splats[s], line, sizeof(line), 0)) {
				printf("# kernel: %s\n", line);
				ok = false;
			}
		}
		close(kfd);
	}
	tap(ok, "fuzz: the kernel log has no splat");
	return tap_failed ? 1 : 0;
}
