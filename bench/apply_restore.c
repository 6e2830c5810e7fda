// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Time to apply and to restore a transaction of N knobs through ostune.ko,
 * side by side with the two ways a userspace tuner does it without the
 * module:
 *
 *	raw       open, write and close each /proc/sys file in turn, then
 *	          write the saved originals back: the floor;
 *	sysctl-w  one `sysctl -w NAME=VALUE` process per knob, each way, as
 *	          tuners that drive the sysctl tool do (SemaTune).
 *
 * and the time from `kill -9` of a session's owner until every knob it held
 * reads back its original value, the path that makes a held session safe.
 *
 * Runs as root where the module is loaded (inside the VM). The knobs are
 * integer performance sysctls under vm/, net/core/ and net/ipv4/ (tcp_*,
 * udp_*) found at run time; every way applies the same change, each knob
 * one off its original, and restores the original.
 *
 * The module and raw writes take turns within each round, so the noise of
 * a shared machine falls on both alike: compare the ratios of one run, not
 * the microseconds of two. The sysctl-w rounds come after them: under
 * QEMU's emulation a storm of fork and exec leaves the next few hundred
 * microseconds of anything several times slower, which would bill the
 * module and raw writes for the processes' cost.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/client.h"

#define MAX_KNOBS	64
#define ROUNDS		25
/* Far longer than a round: the kill, not the watchdog, ends the session. */
#define LEASE_MS	60000
/* A restore that takes this long has failed, not slowed down. */
#define RESTORE_LIMIT_US	10e6

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static const size_t sizes[] = { 1, 8, MAX_KNOBS };
#define NSIZES		ARRAY_SIZE(sizes)

struct bench_knob {
	char path[256];
	char name[OSTUNE_NAME_MAX];		/* sysctl.<dotted name> */
	char original[OSTUNE_VALUE_MAX];	/* its value when found */
	char changed[OSTUNE_VALUE_MAX];		/* one off it */
};

/* The name as the sysctl tool and the lists below spell it. */
static const char *dotted(const struct bench_knob *k)
{
	return k->name + strlen("sysctl.");
}

/*
 * Security boundaries and failure policy, which ostune.ko refuses (or is
 * about to): a benchmark of tuning should not depend on them. Shell
 * patterns on the dotted name; '*' also matches dots.
 */
static const char *const refused[] = {
	"*forward*", "*.panic_*", "*.mmap_*", "*bpf_*", "*.oom_*",
	"*.overcommit_*", "*.ip_unprivileged_port_start", "*.ping_group_range",
	"*.tcp_fastopen_key", "*.tcp_syncookies", "net.ipv4.conf.*",
	"net.ipv6.conf.*", "*.route.*", "vm.drop_caches", "vm.compact_memory",
	"vm.stat_refresh",
	/* The same kind, by the same reasoning. */
	"vm.unprivileged_userfaultfd", "vm.hugetlb_shm_group",
	"vm.legacy_va_layout", "vm.memfd_noexec", "vm.admin_reserve_kbytes",
	"vm.user_reserve_kbytes", "net.core.devconf_inherit_init_net",
	"net.core.fb_tunnels_only_for_init_net", "net.core.xfrm_*",
	"*.tcp_challenge_ack_limit", "*.tcp_rfc1337", "*_l3mdev_accept",
	"*.tcp_fwmark_accept",
	NULL,
};

/*
 * Writing these does work beyond a store (reserving memory, recomputing
 * watermarks, patching static keys, allocating tables, waking kernel
 * threads), which would swamp what is measured here.
 */
static const char *const costly[] = {
	"vm.nr_hugepages", "vm.nr_hugepages_mempolicy",
	"vm.nr_overcommit_hugepages", "vm.min_free_kbytes",
	"vm.watermark_scale_factor", "vm.lowmem_reserve_ratio",
	"vm.percpu_pagelist_high_fraction", "vm.compaction_proactiveness",
	"vm.numa_stat", "net.core.high_order_alloc_disable",
	"net.core.rps_sock_flow_entries",
	NULL,
};

static int listed(const char *name, const char *const *patterns)
{
	const char *const *p;

	for (p = patterns; *p; p++)
		if (!fnmatch(*p, name, 0))
			return 1;
	return 0;
}

static int read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int write_text(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : -EIO;
}

/* path now reads back value exactly: the kernel took it as given. */
static int reads_as(const char *path, const char *value)
{
	char cur[OSTUNE_VALUE_MAX];

	return !read_text(path, cur, sizeof(cur)) && !strcmp(cur, value);
}

static int single_integer(const char *s)
{
	char *end;

	if (!*s)
		return 0;
	strtol(s, &end, 10);
	return *end == '\0';
}

/*
 * A value one off the original that the kernel stores as written (a range,
 * a rounding or a unit conversion can refuse or change it), with the
 * original written back. Some knobs have none, and some refuse their own
 * value: 0 of *_bytes.
 */
static int find_changed(struct bench_knob *k)
{
	static const long steps[] = { 1, -1 };
	long v = strtol(k->original, NULL, 10);
	size_t i;
	int ok;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		snprintf(k->changed, sizeof(k->changed), "%ld", v + steps[i]);
		ok = !write_text(k->path, k->changed) && reads_as(k->path, k->changed);
		if (write_text(k->path, k->original) || !reads_as(k->path, k->original))
			return 0;
		if (ok)
			return 1;
	}
	return 0;
}

/*
 * Whether the module takes the knob: a kept change and back. A refusal is
 * printed and the knob left out, so the benchmark keeps running while the
 * module's list of refused sysctls grows.
 */
static int module_takes(struct ostune_client *c, const struct bench_knob *k)
{
	struct ostune_kv kv = { .name = k->name, .value = k->changed };
	int ret;

	ret = ostune_apply(c, &kv, 1, NULL);
	if (ret) {
		printf("bench: skipped %s, refused by the module: %s\n",
		       k->name, c->err_msg[0] ? c->err_msg : strerror(-ret));
		return 0;
	}
	ret = ostune_restore(c, NULL, 0);
	if (ret) {
		fprintf(stderr, "bench: %s: restore: %s: %s\n", k->name,
			strerror(-ret), c->err_msg);
		exit(1);
	}
	return 1;
}

/*
 * Appends to knobs the integer sysctls of dir whose file names match
 * files, up to MAX_KNOBS, and returns how many there are now.
 */
static size_t find_knobs(struct ostune_client *c, const char *dir,
			 const char *prefix, const char *files,
			 struct bench_knob *knobs, size_t have)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return have;
	while (have < MAX_KNOBS && (de = readdir(d))) {
		struct bench_knob *k = &knobs[have];
		struct stat st;

		if (de->d_name[0] == '.' || fnmatch(files, de->d_name, 0))
			continue;
		if (snprintf(k->path, sizeof(k->path), "%s/%s", dir,
			     de->d_name) >= (int)sizeof(k->path) ||
		    snprintf(k->name, sizeof(k->name), "%s%s", prefix,
			     de->d_name) >= (int)sizeof(k->name))
			continue;
		if (listed(dotted(k), refused) || listed(dotted(k), costly))
			continue;
		if (stat(k->path, &st) || !S_ISREG(st.st_mode) ||
		    (st.st_mode & 0600) != 0600)
			continue;
		if (read_text(k->path, k->original, sizeof(k->original)) ||
		    !single_integer(k->original) || !find_changed(k) ||
		    !module_takes(c, k))
			continue;
		have++;
	}
	closedir(d);
	return have;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), compare_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct timing {
	double apply[ROUNDS];
	double restore[ROUNDS];
};

static int round_module(struct ostune_client *c, const struct bench_knob *knobs,
			size_t n, struct timing *t, int r)
{
	struct ostune_kv kv[MAX_KNOBS];
	double t0;
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		kv[i].name = knobs[i].name;
		kv[i].value = knobs[i].changed;
	}
	t0 = now_us();
	ret = ostune_apply(c, kv, n, NULL);
	if (ret)
		return ret;
	t->apply[r] = now_us() - t0;
	t0 = now_us();
	ret = ostune_restore(c, NULL, 0);
	if (ret)
		return ret;
	t->restore[r] = now_us() - t0;
	return 0;
}

/* Save each original, write, later write the originals back. */
static int round_raw(const struct bench_knob *knobs, size_t n,
		     struct timing *t, int r)
{
	char saved[MAX_KNOBS][OSTUNE_VALUE_MAX];
	double t0 = now_us();
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = read_text(knobs[i].path, saved[i], sizeof(saved[i]));
		if (!ret)
			ret = write_text(knobs[i].path, knobs[i].changed);
		if (ret)
			return ret;
	}
	t->apply[r] = now_us() - t0;
	t0 = now_us();
	for (i = n; i-- > 0;) {
		ret = write_text(knobs[i].path, saved[i]);
		if (ret)
			return ret;
	}
	t->restore[r] = now_us() - t0;
	return 0;
}

/*
 * One `sysctl -w NAME=VALUE` and its wait. Its "NAME = VALUE" line goes to
 * /dev/null, cheaper than the pipe a tuner reading it would need.
 */
static int sysctl_w(const char *name, const char *value, int devnull)
{
	char arg[OSTUNE_NAME_MAX + OSTUNE_VALUE_MAX];
	int status;
	pid_t pid;

	snprintf(arg, sizeof(arg), "%s=%s", name, value);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		dup2(devnull, STDOUT_FILENO);
		execlp("sysctl", "sysctl", "-w", arg, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

/*
 * The originals are saved by reading the files, as the raw way does: the
 * difference between the two is the process per knob.
 */
static int round_sysctl_w(const struct bench_knob *knobs, size_t n,
			  int devnull, struct timing *t, int r)
{
	char saved[MAX_KNOBS][OSTUNE_VALUE_MAX];
	double t0 = now_us();
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = read_text(knobs[i].path, saved[i], sizeof(saved[i]));
		if (!ret)
			ret = sysctl_w(dotted(&knobs[i]), knobs[i].changed,
				       devnull);
		if (ret)
			return ret;
	}
	t->apply[r] = now_us() - t0;
	t0 = now_us();
	for (i = n; i-- > 0;) {
		ret = sysctl_w(dotted(&knobs[i]), saved[i], devnull);
		if (ret)
			return ret;
	}
	t->restore[r] = now_us() - t0;
	return 0;
}

/*
 * The session owner: opens a session, holds every knob at its changed value,
 * says so on ready and waits for its SIGKILL. On a failure it exits and
 * ready closes without a word.
 */
static _Noreturn void
hold_until_killed(const struct bench_knob *knobs, size_t n, int ready)
{
	struct ostune_kv kv[MAX_KNOBS];
	struct ostune_client c;
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		kv[i].name = knobs[i].name;
		kv[i].value = knobs[i].changed;
	}
	ret = ostune_client_open(&c);
	if (!ret)
		ret = ostune_session_open(&c, LEASE_MS);
	if (!ret)
		ret = ostune_apply(&c, kv, n, NULL);
	if (ret) {
		fprintf(stderr, "bench: session owner: %s: %s\n",
			strerror(-ret), c.err_msg);
		_exit(1);
	}
	if (write(ready, "+", 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

/*
 * From the owner's SIGKILL until every knob reads its original again: the
 * module undoes the session when the owner's socket is released, and is
 * done before the owner is reaped. So the parent waits for the reap, not
 * spinning on a guest CPU that would take a host core from the module's
 * worker (two cores run both here), then reads every knob back, polling
 * any not back yet. The figure overstates by the end of the exit after the
 * socket's release, a tenth of a millisecond here.
 */
static int round_kill(const struct bench_knob *knobs, size_t n, double *us)
{
	double t0, waited;
	int pipefd[2];
	size_t i;
	pid_t pid;
	char c;
	int ret = 0;

	if (pipe(pipefd))
		return -errno;
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		goto out;
	}
	if (!pid) {
		close(pipefd[0]);
		hold_until_killed(knobs, n, pipefd[1]);
	}
	close(pipefd[1]);
	pipefd[1] = -1;
	if (read(pipefd[0], &c, 1) != 1) {
		ret = -EIO;
		goto reap;
	}
	for (i = 0; i < n; i++) {
		if (!reads_as(knobs[i].path, knobs[i].changed)) {
			fprintf(stderr, "bench: %s not applied\n", knobs[i].name);
			ret = -EIO;
			goto reap;
		}
	}
	t0 = now_us();
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	pid = -1;
	for (i = 0; i < n; i++) {
		while (!reads_as(knobs[i].path, knobs[i].original)) {
			waited = now_us() - t0;
			if (waited > RESTORE_LIMIT_US) {
				fprintf(stderr, "bench: %s not restored after %.0f s\n",
					knobs[i].name, waited / 1e6);
				ret = -ETIMEDOUT;
				goto reap;
			}
			sched_yield();
		}
	}
	*us = now_us() - t0;
reap:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
out:
	close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	return ret;
}

static void print_row(size_t n, double *mod, double *raw, double *sysw)
{
	double m = median(mod, ROUNDS), r = median(raw, ROUNDS);
	double s = median(sysw, ROUNDS);

	printf("%6zu %10.1f %10.1f %10.1f %11.2f %16.1f\n", n, m, r, s,
	       m / r, s / m);
}

static void print_header(const char *what)
{
	printf("bench: %s\n%6s %10s %10s %10s %11s %16s\n", what, "knobs",
	       "module", "raw", "sysctl-w", "module/raw", "sysctl-w/module");
}

int main(void)
{
	static struct timing mod[NSIZES], raw[NSIZES], sysw[NSIZES];
	struct bench_knob knobs[MAX_KNOBS];
	struct ostune_client client;
	size_t vm, core, found, s;
	double kill_us[ROUNDS];
	cpu_set_t cpu;
	int devnull, r, ret;

	ret = ostune_client_open(&client);
	if (ret) {
		fprintf(stderr, "bench: cannot reach ostune.ko: %s\n", strerror(-ret));
		return 1;
	}
	vm = find_knobs(&client, "/proc/sys/vm", "sysctl.vm.", "*", knobs, 0);
	core = find_knobs(&client, "/proc/sys/net/core", "sysctl.net.core.",
			  "*", knobs, vm);
	found = find_knobs(&client, "/proc/sys/net/ipv4", "sysctl.net.ipv4.",
			   "tcp_*", knobs, core);
	found = find_knobs(&client, "/proc/sys/net/ipv4", "sysctl.net.ipv4.",
			   "udp_*", knobs, found);
	if (found < MAX_KNOBS) {
		fprintf(stderr, "bench: found only %zu integer sysctls, need %d\n",
			found, MAX_KNOBS);
		return 1;
	}
	printf("bench: %d integer sysctls: vm %zu, net.core %zu, net.ipv4 tcp_/udp_ %zu\n",
	       MAX_KNOBS, vm, core - vm, found - core);
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (devnull < 0) {
		perror("bench: /dev/null");
		return 1;
	}

	for (s = 0; s < NSIZES; s++) {
		for (r = 0; r < ROUNDS; r++) {
			ret = round_module(&client, knobs, sizes[s], &mod[s], r);
			if (ret) {
				fprintf(stderr, "bench: module: %s: %s\n",
					strerror(-ret), client.err_msg);
				return 1;
			}
			ret = round_raw(knobs, sizes[s], &raw[s], r);
			if (ret) {
				fprintf(stderr, "bench: raw: %s\n", strerror(-ret));
				return 1;
			}
		}
	}
	for (s = 0; s < NSIZES; s++) {
		for (r = 0; r < ROUNDS; r++) {
			ret = round_sysctl_w(knobs, sizes[s], devnull, &sysw[s], r);
			if (ret) {
				fprintf(stderr, "bench: sysctl -w: %s\n",
					strerror(-ret));
				return 1;
			}
		}
	}
	/*
	 * The owner and this process on one CPU: the owner then dies on a CPU
	 * that is awake, as this process sleeps in waitpid(). On another,
	 * idle, CPU its death would wait for that CPU to wake, which under
	 * QEMU on a busy host takes milliseconds the host's scheduler decides.
	 */
	CPU_ZERO(&cpu);
	CPU_SET(sched_getcpu(), &cpu);
	if (sched_setaffinity(0, sizeof(cpu), &cpu)) {
		perror("bench: sched_setaffinity");
		return 1;
	}
	for (r = 0; r < ROUNDS; r++) {
		ret = round_kill(knobs, MAX_KNOBS, &kill_us[r]);
		if (ret) {
			fprintf(stderr, "bench: kill -9: %s\n", strerror(-ret));
			return 1;
		}
	}

	printf("bench: median of %d rounds, microseconds; sysctl-w is one `sysctl -w` process per knob\n",
	       ROUNDS);
	print_header("apply");
	for (s = 0; s < NSIZES; s++)
		print_row(sizes[s], mod[s].apply, raw[s].apply, sysw[s].apply);
	print_header("restore");
	for (s = 0; s < NSIZES; s++)
		print_row(sizes[s], mod[s].restore, raw[s].restore,
			  sysw[s].restore);
	printf("bench: kill -9 of the session owner until all %d knobs read their originals: %.1f us (%.2fx the module's restore of %d)\n",
	       MAX_KNOBS, median(kill_us, ROUNDS),
	       median(kill_us, ROUNDS) / median(mod[NSIZES - 1].restore, ROUNDS),
	       MAX_KNOBS);
	close(devnull);
	ostune_client_close(&client);
	return 0;
}
