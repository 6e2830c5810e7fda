// SPDX-License-Identifier: GPL-2.0
/*
 * ostune selftests of the threat model (docs/safety-model.md): what a
 * caller can make the module touch, see and leave behind.
 *
 * - No caller's world reaches a knob: a root caller whose mount namespace
 *   has FIFOs, symlinks and device nodes where /proc/sys and debugfs
 *   were, or who moved to another network namespace or a chroot after
 *   opening its socket, still reads and changes init's real knobs, and
 *   never makes the module block.
 * - Every debugfs entry under sched/ that is not a writable u32 is
 *   refused cleanly, as root; unprivileged callers read nothing at all.
 * - A flood of unprivileged requests does not delay a session's
 *   heartbeat past a 100 ms lease.
 * - A write the kernel half-applies (a vector sysctl failing on a later
 *   element) leaves nothing changed.
 * - Security boundaries and failure policy are refused, saying why.
 *
 * Run as root in the VM with ostune.ko loaded; every knob is read
 * directly from /proc/sys and debugfs, never only through the module.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include <linux/genetlink.h>
#include <libmnl/libmnl.h>

#include "kselftest_harness.h"
#include "harness_checks.h"
#include "harness_filter.h"
#include "util.h"

#define K_SWAP		"sysctl.vm.swappiness"
#define K_DIRTY		"sysctl.vm.dirty_ratio"
#define K_DIRTYBG	"sysctl.vm.dirty_background_ratio"
#define K_RMEM		"sysctl.net.ipv4.tcp_rmem"
#define K_MIG		"sched.migration_cost_ns"

/* The values every test puts back, whatever happened. */
static struct snap baseline;

FIXTURE(sec) {
	struct ostune_client c;
	struct snap before;
};

FIXTURE_SETUP(sec)
{
	int ret = mod_ensure_loaded();

	ASSERT_EQ(0, ret) TH_LOG("ostune is not loaded: %s", errname(ret));
	wait_no_session(3000);
	cleanup_restore_all();
	snap_force(&baseline);
	ret = ostune_client_open(&self->c);
	ASSERT_EQ(0, ret) TH_LOG("ostune_client_open: %s", errname(ret));
	snap_take(&self->before);
}

FIXTURE_TEARDOWN(sec)
{
	ostune_client_close(&self->c);
	wait_no_session(3000);
	cleanup_restore_all();
	snap_force(&baseline);
}


#define ASSERT_KNOB_IS(name, want) do {				\
	char __v[VALBUF];						\
	ASSERT_EQ(0, knob_read(name, __v, sizeof(__v)));		\
	ASSERT_TRUE(val_eq(__v, want))					\
		TH_LOG("%s is '%s', expected '%s'", name, __v, want);	\
} while (0)


/* A value for a sysctl of one integer: its current one plus delta. */
static void int_plus(const char *name, int delta, char *out, size_t len)
{
	char cur[VALBUF];

	if (knob_read(name, cur, sizeof(cur)))
		snprintf(out, len, "%d", delta);
	else
		snprintf(out, len, "%d", atoi(cur) + delta);
}

static int get1(struct ostune_client *c, const char *name, char *out,
		size_t len)
{
	struct ostune_knob_value v;
	int ret = ostune_get_knobs(c, &name, 1, &v);

	if (!ret)
		snprintf(out, len, "%s", v.value);
	return ret;
}

/* ---- debugfs sched/: directories and files that are no knob ----- */

struct sched_entry {
	char name[OSTUNE_NAME_MAX];
	bool dir;
	/* what the file shows, for a regular file */
	char value[VALBUF];
};

/* Every entry of sched/ and of its subdirectories, as sched.* names. */
static int sched_entries(struct sched_entry *e, int max)
{
	static const char *const dirs[] = { "", "numa_balancing/", NULL };
	const char *const *d;
	int n = 0;

	for (d = dirs; *d; d++) {
		char dir[256];
		struct dirent *de;
		DIR *dp;

		snprintf(dir, sizeof(dir), SCHED_DIR "/%s", *d);
		dp = opendir(dir);
		if (!dp)
			continue;
		while ((de = readdir(dp)) && n < max) {
			char path[512], *p;
			struct stat st;

			if (de->d_name[0] == '.' || strlen(de->d_name) > 64)
				continue;
			snprintf(path, sizeof(path), "%s%s", dir, de->d_name);
			if (lstat(path, &st))
				continue;
			snprintf(e[n].name, sizeof(e[n].name), "sched.%s%.64s",
				 *d, de->d_name);
			for (p = e[n].name + 6; *p; p++)
				if (*p == '/')
					*p = '.';
			e[n].dir = S_ISDIR(st.st_mode);
			if (!e[n].dir)
				file_read(path, e[n].value, sizeof(e[n].value));
			n++;
		}
		closedir(dp);
	}
	return n;
}

struct names_arg {
	const struct sched_entry *e;
	int n;
};

/* As nobody: every name is refused for lack of privilege. */
static void get_all_as_nobody(struct cres *r, void *p)
{
	const struct names_arg *a = p;
	struct ostune_client c;
	char val[VALBUF];
	int i, ret;

	r->ret[7] = drop_to_nobody();
	if (r->ret[7])
		return;
	r->ret[7] = ostune_client_open(&c);
	if (r->ret[7])
		return;
	for (i = 0; i < a->n; i++) {
		ret = get1(&c, a->e[i].name, val, sizeof(val));
		if (ret != -EPERM) {
			r->ret[0] = ret ? ret : 1;
			snprintf(r->msg[0], sizeof(r->msg[0]), "%s", a->e[i].name);
			break;
		}
	}
	ostune_client_close(&c);
}

/*
 * Reading sched.numa_balancing (a directory) oopsed the kernel; every
 * entry that is not a writable u32 must be refused, and each u32 read as
 * the file shows it.
 */
TEST_F(sec, sched_entries_that_are_no_knob)
{
	struct sched_entry *e = calloc(128, sizeof(*e));
	struct names_arg arg = { .e = e };
	struct cres *r = cres_new();
	char val[VALBUF];
	int i, ret, dirs = 0, refused = 0, read_ok = 0;

	ASSERT_TRUE(e && r);
	arg.n = sched_entries(e, 128);
	if (!arg.n)
		SKIP(goto out, "no %s (debugfs not mounted?)", SCHED_DIR);
	for (i = 0; i < arg.n; i++) {
		val[0] = '\0';
		ret = get1(&self->c, e[i].name, val, sizeof(val));
		dirs += e[i].dir;
		if (ret) {
			refused++;
			EXPECT_EQ(-ENOENT, ret) TH_LOG("%s: %s '%s'", e[i].name,
						       errname(ret),
						       self->c.err_msg);
			EXPECT_TRUE(has(self->c.err_msg, "u32") ||
				    has(self->c.err_msg, "no such"))
				TH_LOG("%s: extack '%s'", e[i].name,
				       self->c.err_msg);
		} else {
			read_ok++;
			EXPECT_FALSE(e[i].dir) TH_LOG("%s: a directory, read as '%s'",
						      e[i].name, val);
			EXPECT_TRUE(val_eq(val, e[i].value))
				TH_LOG("%s: module read '%s', file has '%s'",
				       e[i].name, val, e[i].value);
		}
	}
	EXPECT_LT(0, dirs) TH_LOG("no directory under %s to try", SCHED_DIR);
	EXPECT_LT(0, refused);
	EXPECT_LT(0, read_ok) TH_LOG("not one u32 tunable read");
	ASSERT_EQ(0, exit_code(run_in_child(get_all_as_nobody, &arg, r)));
	ASSERT_EQ(0, r->ret[7]) TH_LOG("dropping privileges: %s",
				       errname(r->ret[7]));
	EXPECT_EQ(0, r->ret[0]) TH_LOG("as nobody, %s answered %s", r->msg[0],
				       errname(r->ret[0]));
	ASSERT_UNCHANGED();
out:
	cres_free(r);
	free(e);
}

/* ---- the caller's mount namespace, network namespace and root ---- */

/*
 * In a private mount namespace of its own, a root child covers /proc/sys/vm
 * and /sys/kernel/debug with a tmpfs holding a FIFO, a symlink to
 * /dev/zero and a device node where knobs were.
 */
static int cover_knob_dirs(void)
{
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("tmpfs", SYSCTL_DIR "/vm", "tmpfs", 0, NULL) ||
	    mkfifo(SYSCTL_DIR "/vm/swappiness", 0644) ||
	    symlink("/dev/zero", SYSCTL_DIR "/vm/dirty_ratio") ||
	    mknod(SYSCTL_DIR "/vm/dirty_background_ratio", S_IFCHR | 0644,
		  makedev(1, 5)) ||
	    mount("tmpfs", "/sys/kernel/debug", "tmpfs", 0, NULL) ||
	    mkdir(SCHED_DIR, 0755) ||
	    mkfifo(SCHED_DIR "/migration_cost_ns", 0644))
		return -errno;
	return 0;
}

struct world_arg {
	const char *names[4];
	const char *apply_name;
	const char *apply_value;
};

/* ret[i] and val[i]: the module's answer for names[i]; ret[4]: the apply. */
static void read_in_covered_world(struct cres *r, void *p)
{
	const struct world_arg *a = p;
	struct ostune_client c;
	int i;

	r->ret[7] = cover_knob_dirs();
	if (r->ret[7])
		return;
	/* A module that opened the FIFO would block here: fail, not hang. */
	alarm(20);
	r->ret[7] = ostune_client_open(&c);
	if (r->ret[7])
		return;
	for (i = 0; i < 4 && a->names[i]; i++)
		r->ret[i] = get1(&c, a->names[i], r->val[i], sizeof(r->val[i]));
	r->ret[4] = apply1(&c, a->apply_name, a->apply_value);
	ostune_client_close(&c);
}

TEST_F(sec, caller_mount_namespace_is_not_looked_at)
{
	struct world_arg a = {
		.names = { K_SWAP, K_DIRTY, K_DIRTYBG, K_MIG },
		.apply_name = K_SWAP,
	};
	struct cres *r = cres_new();
	char want[4][VALBUF], v[16];
	int i;

	ASSERT_TRUE(r != NULL);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, knob_read(a.names[i], want[i], sizeof(want[i])));
	int_plus(K_SWAP, 7, v, sizeof(v));
	a.apply_value = v;
	ASSERT_EQ(0, exit_code(run_in_child(read_in_covered_world, &a, r)))
		TH_LOG("the child did not finish (killed by its alarm?)");
	ASSERT_EQ(0, r->ret[7]) TH_LOG("covering the knob directories: %s",
				       errname(r->ret[7]));
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(0, r->ret[i]) TH_LOG("%s: %s", a.names[i],
					       errname(r->ret[i]));
		EXPECT_TRUE(val_eq(want[i], r->val[i]))
			TH_LOG("%s: module read '%s' in the child's world, the knob is '%s'",
			       a.names[i], r->val[i], want[i]);
	}
	EXPECT_EQ(0, r->ret[4]) TH_LOG("apply: %s", errname(r->ret[4]));
	/* the real knob changed, seen from here */
	ASSERT_KNOB_IS(K_SWAP, v);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_UNCHANGED();
	cres_free(r);
}

/* mkdir -p */
static int mkdir_p(const char *path)
{
	char buf[256], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

static int create_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* After opening its socket: another network namespace, another root. */
static void apply_from_elsewhere(struct cres *r, void *p)
{
	const struct world_arg *a = p;
	struct ostune_client c;
	char fake[] = "/tmp/ostune-fake-root-XXXXXX";
	char path[256];

	r->ret[7] = ostune_client_open(&c);
	if (r->ret[7])
		return;
	/* ret[6]: 1 with a network namespace of its own (kernels may lack them) */
	r->ret[6] = !unshare(CLONE_NEWNET);
	if ((!r->ret[6] && errno != EINVAL) || unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		r->ret[7] = -errno;
		return;
	}
	/* this namespace's own tcp_rmem, as /proc/sys shows it to us */
	file_read(SYSCTL_DIR "/net/ipv4/tcp_rmem", r->val[5], sizeof(r->val[5]));
	r->ret[0] = apply1(&c, a->apply_name, a->apply_value);
	file_read(SYSCTL_DIR "/net/ipv4/tcp_rmem", r->val[6], sizeof(r->val[6]));

	/* a root whose proc/sys/vm/swappiness is a plain file saying 77 */
	if (!mkdtemp(fake)) {
		r->ret[7] = -errno;
		return;
	}
	snprintf(path, sizeof(path), "%s/proc/sys/vm", fake);
	if (mkdir_p(path) || create_file(strcat(path, "/swappiness"), "77") ||
	    chroot(fake) || chdir("/")) {
		r->ret[7] = -errno;
		return;
	}
	r->ret[1] = get1(&c, K_SWAP, r->val[1], sizeof(r->val[1]));
	ostune_client_close(&c);
}

TEST_F(sec, caller_netns_and_chroot_are_not_looked_at)
{
	struct world_arg a = { .apply_name = K_RMEM };
	struct cres *r = cres_new();
	char orig[VALBUF], swap[VALBUF];
	const char *v;

	ASSERT_TRUE(r != NULL);
	ASSERT_EQ(0, knob_read(K_RMEM, orig, sizeof(orig)));
	ASSERT_EQ(0, knob_read(K_SWAP, swap, sizeof(swap)));
	v = val_eq(orig, "4096 65536 3145728") ? "4096 98304 3145728" :
						 "4096 65536 3145728";
	a.apply_value = v;
	ASSERT_EQ(0, exit_code(run_in_child(apply_from_elsewhere, &a, r)));
	ASSERT_EQ(0, r->ret[7]) TH_LOG("setting up the child's world: %s",
				       errname(r->ret[7]));
	EXPECT_EQ(0, r->ret[0]) TH_LOG("apply: %s", errname(r->ret[0]));
	/* init's tcp_rmem took the value; the child's namespace kept its own */
	ASSERT_KNOB_IS(K_RMEM, v);
	if (r->ret[6]) {
		EXPECT_TRUE(val_eq(r->val[5], r->val[6]))
			TH_LOG("the child's own tcp_rmem went from '%s' to '%s'",
			       r->val[5], r->val[6]);
	} else {
		TH_LOG("no network namespaces in this kernel: the chroot and mount namespace only");
	}
	EXPECT_EQ(0, r->ret[1]) TH_LOG("get from the chroot: %s",
				       errname(r->ret[1]));
	EXPECT_TRUE(val_eq(swap, r->val[1]))
		TH_LOG("from a chroot the module read '%s', the knob is '%s'",
		       r->val[1], swap);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_KNOB_IS(K_RMEM, orig);
	ASSERT_UNCHANGED();
	cres_free(r);
}

/* ---- a flood of unprivileged requests and a 100 ms lease ---------- */

/*
 * Fewer flooders than CPUs, at the lowest priority: what is measured is
 * the module's locking, not whether the scheduler runs the owner.
 */
#define FLOODERS	2
#define FLOOD_MS	3000
#define LEASE_MS	100
/*
 * On the debug kernel (lockdep, KASAN) under emulation, beside the other
 * tier's VMs on two cores, a flooded guest stalls for more than 100 ms
 * whatever the module does: there the flood runs against a 1 s lease, for
 * lockdep to see its paths; the release kernels judge the 100 ms one.
 */
#define DEBUG_LEASE_MS	1000

static unsigned int flood_lease_ms(void)
{
	return access("/proc/lockdep", F_OK) ? LEASE_MS : DEBUG_LEASE_MS;
}

static void flood_as_nobody(void)
{
	const char *names[OSTUNE_TXN_MAX_ENTRIES];
	struct ostune_knob_value *out;
	struct ostune_client c;
	struct ostune_status st;
	uint64_t end;
	int i;

	if (setpriority(PRIO_PROCESS, 0, 19) || drop_to_nobody() ||
	    ostune_client_open(&c))
		_exit(2);
	out = calloc(OSTUNE_TXN_MAX_ENTRIES, sizeof(*out));
	if (!out)
		_exit(2);
	for (i = 0; i < OSTUNE_TXN_MAX_ENTRIES; i++)
		names[i] = i % 2 ? K_MIG : K_RMEM;
	for (end = now_ms() + FLOOD_MS; now_ms() < end;) {
		if (ostune_get_knobs(&c, names, OSTUNE_TXN_MAX_ENTRIES, out) !=
		    -EPERM)
			_exit(3);
		if (!ostune_get_status(&c, &st))
			ostune_status_free(&st);
	}
	_exit(0);
}

struct flood_round {
	uint64_t worst, late;	/* ms: slowest heartbeat; a lapse of ours */
	int fails, first_err, flooder_status[FLOODERS];
	char err_msg[256];
};

/*
 * One round: a session with a lease_ms lease holding value v of K_SWAP,
 * heartbeating every 20 ms for FLOOD_MS while FLOODERS flood as nobody.
 * Stops early when a heartbeat fails after a lapse of this process.
 */
static void flood_round(struct ostune_client *c, const char *v,
			unsigned int lease_ms, struct flood_round *fr)
{
	uint64_t end, t, prev, gap;
	pid_t pids[FLOODERS];
	int i, ret;

	memset(fr, 0, sizeof(*fr));
	if (ostune_session_open(c, lease_ms) || apply1(c, K_SWAP, v)) {
		fr->fails = 1;
		fr->first_err = -EPROTO;
		snprintf(fr->err_msg, sizeof(fr->err_msg), "%s", c->err_msg);
		return;
	}
	fflush(stdout);
	for (i = 0; i < FLOODERS; i++) {
		pids[i] = fork();
		if (!pids[i])
			flood_as_nobody();
	}
	prev = now_ms();
	for (end = prev + FLOOD_MS; now_ms() < end && !fr->late;) {
		t = now_ms();
		gap = t - prev;
		ret = ostune_heartbeat(c);
		prev = now_ms();
		fr->worst = prev - t > fr->worst ? prev - t : fr->worst;
		/*
		 * A heartbeat sent a lease after the last one was this
		 * process's own delay (an emulated CPU starved by its host),
		 * not the module's: the lease did run out.
		 */
		if (ret && gap >= lease_ms) {
			fr->late = gap;
		} else if (ret && !fr->fails++) {
			fr->first_err = ret;
			snprintf(fr->err_msg, sizeof(fr->err_msg), "%s", c->err_msg);
		}
		sleep_ms(20);
	}
	for (i = 0; i < FLOODERS; i++) {
		fr->flooder_status[i] = -1;
		if (pids[i] > 0 && waitpid(pids[i], &ret, 0) == pids[i])
			fr->flooder_status[i] = exit_code(ret);
	}
}

/*
 * Up to three rounds: a module whose locking makes the owner's heartbeat
 * wait loses the lease in every round; a host that stops the emulated
 * CPUs for longer than a lease (beside the other tier's VMs on two cores)
 * does so now and then, not three times running.
 */
TEST_F(sec, unprivileged_flood_does_not_expire_a_lease)
{
	struct flood_round fr;
	struct ostune_status st;
	unsigned int lease = flood_lease_ms();
	char v[16];
	int i, round;

	int_plus(K_SWAP, 3, v, sizeof(v));
	/*
	 * Without a flood, a heartbeat must take a small part of the lease
	 * for the lease to say anything about the module's locking.
	 */
	OK(&self->c, ostune_session_open(&self->c, 1000));
	fr.worst = 0;
	for (i = 0; i < 20; i++) {
		uint64_t t = now_ms();

		OK(&self->c, ostune_heartbeat(&self->c));
		if (now_ms() - t > fr.worst)
			fr.worst = now_ms() - t;
	}
	OK(&self->c, ostune_session_close(&self->c));
	if (fr.worst > lease / 10)
		SKIP(return, "a heartbeat takes %llu ms here without any flood, more than a tenth of the %u ms lease: this kernel is too slow to judge it",
		     (unsigned long long)fr.worst, lease);
	for (round = 1; round <= 3; round++) {
		flood_round(&self->c, v, lease, &fr);
		for (i = 0; i < FLOODERS && !fr.flooder_status[i]; i++)
			;
		ASSERT_EQ(FLOODERS, i)
			TH_LOG("flooder %d: exit %d (2: setup, 3: a read was not refused)",
			       i, fr.flooder_status[i < FLOODERS ? i : 0]);
		TH_LOG("round %d: slowest heartbeat under the flood: %llu ms, %d failed",
		       round, (unsigned long long)fr.worst, fr.fails);
		if (!fr.fails)
			break;
		/* the lease ran out: the module put the value back */
		ASSERT_UNCHANGED();
	}
	EXPECT_EQ(0, fr.fails) TH_LOG("in 3 rounds, heartbeats sent within the lease failed; in the last, %d, the first with %s '%s'",
				      fr.fails, errname(fr.first_err), fr.err_msg);
	if (fr.fails)
		return;
	if (fr.late)
		SKIP(return, "this process was not run for %llu ms, more than the %u ms lease: the host is too loaded to judge",
		     (unsigned long long)fr.late, lease);
	OK(&self->c, ostune_get_status(&self->c, &st));
	EXPECT_EQ(1, st.has_session);
	EXPECT_EQ((uint32_t)getpid(), st.session_pid);
	ostune_status_free(&st);
	ASSERT_KNOB_IS(K_SWAP, v);
	OK(&self->c, ostune_session_close(&self->c));
	ASSERT_UNCHANGED();
}

/* ---- a status dump nobody reads ------------------------------------ */

/*
 * As nobody: asks for the status dump and never reads the answer, then
 * waits to be killed. A dump still running would hold the module.
 */
static void unread_dump_as_nobody(int ready_fd)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct ostune_client c;
	struct nlmsghdr *nlh;
	char ok = 0;

	if (!drop_to_nobody() && !ostune_client_open(&c)) {
		nlh = mnl_nlmsg_put_header(buf);
		nlh->nlmsg_type = c.family_id;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		nlh->nlmsg_seq = ++c.seq;
		mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
		((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd =
			OSTUNE_CMD_GET_STATUS;
		((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->version =
			OSTUNE_FAMILY_VERSION;
		ok = mnl_socket_sendto(c.sock, nlh, nlh->nlmsg_len) ==
		     (ssize_t)nlh->nlmsg_len;
	}
	if (write(ready_fd, &ok, 1) != 1)
		_exit(2);
	pause();
	_exit(0);
}

TEST_F(sec, an_unread_unprivileged_dump_pins_nothing)
{
	char v[16], ok = 0;
	int fds[2], ret;
	pid_t pid;

	/* something held, so a dump with values would have more to send */
	int_plus(K_SWAP, 2, v, sizeof(v));
	OK(&self->c, apply1(&self->c, K_SWAP, v));
	ASSERT_EQ(0, pipe(fds));
	fflush(stdout);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(fds[0]);
		unread_dump_as_nobody(fds[1]);
	}
	close(fds[1]);
	ASSERT_EQ(1, read(fds[0], &ok, 1));
	close(fds[0]);
	ASSERT_EQ(1, ok) TH_LOG("the child could not send its dump request");
	ostune_client_close(&self->c);
	ret = mod_unload();
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT_EQ(0, ret) TH_LOG("rmmod with an unread dump open: %s",
				 errname(ret));
	/* the unload restored the kept change */
	ASSERT_UNCHANGED();
	ASSERT_EQ(0, mod_ensure_loaded());
	ASSERT_EQ(0, ostune_client_open(&self->c));
}

/* ---- half-applied writes ------------------------------------------ */

/*
 * tcp_rmem's handler stores element by element and refuses the 0 of the
 * second: the first element must not stay changed, nor must anything
 * else of the transaction.
 */
TEST_F(sec, half_failed_vector_write_changes_nothing)
{
	static const char *const bad[] = {
		"8192 0 6291456",		/* refused at element 2 */
		"4096 87380 6291456 1",		/* one element too many */
	};
	char swap[16];
	size_t i;

	int_plus(K_SWAP, 5, swap, sizeof(swap));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ostune_kv kv[2] = { { K_SWAP, swap }, { K_RMEM, bad[i] } };
		int ret = ostune_apply(&self->c, kv, 2, NULL);

		EXPECT_TRUE(ret == -EINVAL || ret == -EIO)
			TH_LOG("'%s': %s '%s'", bad[i], errname(ret),
			       self->c.err_msg);
		EXPECT_TRUE(has(self->c.err_msg, "entry 2"))
			TH_LOG("extack '%s'", self->c.err_msg);
		ASSERT_UNCHANGED();
		ASSERT_IDLE(&self->c);
	}
}

/* ---- what is not tuning -------------------------------------------- */

TEST_F(sec, security_boundaries_are_refused_with_a_reason)
{
	static const struct {
		const char *name;
		const char *why;
	} refused[] = {
		{ "sysctl.vm.mmap_min_addr", "security boundary" },
		{ "sysctl.vm.mmap_rnd_bits", "security boundary" },
		{ "sysctl.vm.unprivileged_userfaultfd", "unprivileged" },
		{ "sysctl.vm.panic_on_oom", "failure policy" },
		{ "sysctl.net.core.bpf_jit_harden", "security boundary" },
		{ "sysctl.net.core.bpf_jit_kallsyms", "security boundary" },
		{ "sysctl.net.ipv4.ip_unprivileged_port_start", "unprivileged" },
		{ "sysctl.net.ipv4.ping_group_range", "unprivileged" },
		{ "sysctl.net.ipv4.tcp_fastopen_key", "secret" },
		{ "sysctl.net.ipv4.ip_forward", "routing" },
		{ "sysctl.net.ipv4.conf.all.forwarding", "routing" },
		{ "sysctl.net.ipv4.conf.lo.route_localnet", "routing" },
		{ "sysctl.kernel.panic", "failure policy" },
		{ "sysctl.kernel.modprobe", "security boundary" },
	};
	char val[VALBUF];
	size_t i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		CHECK_ERR(&self->c, apply1(&self->c, refused[i].name, "1"),
			  EACCES, refused[i].why);
		CHECK_ERR(&self->c, get1(&self->c, refused[i].name, val,
					 sizeof(val)), EACCES, "refused");
	}
	ASSERT_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

int main(int argc, char **argv)
{
	struct harness_filter filter;
	int ret;

	ret = harness_filter_setup(&filter, argc, argv);
	if (ret >= 0)
		return ret;
	snap_take(&baseline);
	return test_harness_run(argc, argv);
}

HARNESS_CONSTRUCTOR_ORDER()
