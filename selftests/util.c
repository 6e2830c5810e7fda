// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for the ostune selftests. See util.h.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>

#define OSTUNE_SYSCTL_LISTS
#include "util.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Every knob a test may change, or must see unchanged; absent ones skipped. */
const char *const all_test_knobs[] = {
	"sched.migration_cost_ns",
	"sched.nr_migrate",
	"sched.latency_ns",
	"sched.min_granularity_ns",
	"sched.wakeup_granularity_ns",
	"sched.base_slice_ns",
	"sysctl.vm.swappiness",
	"sysctl.vm.dirty_ratio",
	"sysctl.vm.dirty_background_ratio",
	"sysctl.vm.dirty_bytes",
	"sysctl.vm.dirty_background_bytes",
	"sysctl.net.core.somaxconn",
	"sysctl.net.ipv4.tcp_rmem",
	"sysctl.net.ipv4.tcp_wmem",
	"sysctl.kernel.timer_migration",
	"sysctl.kernel.sched_autogroup_enabled",
	"sysctl.kernel.sched_schedstats",
	"sysctl.kernel.sched_child_runs_first",
	"sysctl.kernel.sched_rt_runtime_us",
	"sysctl.kernel.sched_cfs_bandwidth_slice_us",
	"sysctl.kernel.numa_balancing",
	"sched.numa_balancing.scan_delay_ms",
	"sysctl.kernel.modprobe",
	"sysctl.kernel.core_pattern",
	NULL,
};

/* ---- knob files ---------------------------------------------------- */

/* The hardware knobs backed by a file: idle and irq. */
static int hw_knob_path(const char *name, char *path, size_t len)
{
	unsigned int a, b;
	char canon[OSTUNE_NAME_MAX];
	int n;

	if (sscanf(name, "idle.cpu%u.state%u.disable", &a, &b) == 2) {
		snprintf(canon, sizeof(canon), "idle.cpu%u.state%u.disable", a, b);
		if (strcmp(canon, name))
			return -EINVAL;
		n = snprintf(path, len, CPU_DIR "/cpu%u/cpuidle/state%u/disable",
			     a, b);
	} else if (sscanf(name, "irq.%u.affinity", &a) == 1) {
		snprintf(canon, sizeof(canon), "irq.%u.affinity", a);
		if (strcmp(canon, name))
			return -EINVAL;
		n = snprintf(path, len, IRQ_DIR "/%u/smp_affinity_list", a);
	} else {
		return -EINVAL;
	}
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int knob_path(const char *name, char *path, size_t len)
{
	const char *rest, *base;
	size_t off, i;
	int n;

	if (!strncmp(name, "idle.", 5) || !strncmp(name, "irq.", 4))
		return hw_knob_path(name, path, len);
	if (!strncmp(name, "sched.", 6)) {
		base = SCHED_DIR;
		rest = name + 6;
	} else if (!strncmp(name, "sysctl.", 7)) {
		base = SYSCTL_DIR;
		rest = name + 7;
	} else {
		return -EINVAL;
	}
	if (!*rest || strstr(rest, "..") || strchr(rest, '/'))
		return -EINVAL;
	n = snprintf(path, len, "%s/", base);
	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	off = n;
	for (i = 0; rest[i]; i++) {
		if (off + 1 >= len)
			return -ENAMETOOLONG;
		path[off++] = rest[i] == '.' ? '/' : rest[i];
	}
	path[off] = '\0';
	return 0;
}

bool knob_exists(const char *name)
{
	char path[256];

	if (knob_path(name, path, sizeof(path)))
		return false;
	return access(path, F_OK) == 0;
}

int file_read(const char *path, char *buf, size_t len)
{
	ssize_t r;
	size_t got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got + 1 < len) {
		r = read(fd, buf + got, len - 1 - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			close(fd);
			return r;
		}
		if (!r)
			break;
		got += r;
	}
	close(fd);
	buf[got] = '\0';
	while (got && (buf[got - 1] == '\n'))
		buf[--got] = '\0';
	return 0;
}

int file_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t r;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = write(fd, val, len);
	if (r < 0)
		r = -errno;
	else if ((size_t)r != len)
		r = -EIO;
	else
		r = 0;
	close(fd);
	return r;
}

int knob_read(const char *name, char *buf, size_t len)
{
	char path[256];
	int ret;

	ret = knob_path(name, path, sizeof(path));
	if (ret)
		return ret;
	return file_read(path, buf, len);
}

int knob_write(const char *name, const char *val)
{
	char path[256];
	int ret;

	ret = knob_path(name, path, sizeof(path));
	if (ret)
		return ret;
	return file_write(path, val);
}

static void normalise(const char *in, char *out, size_t len)
{
	size_t o = 0;
	bool space = false;

	while (*in && isspace((unsigned char)*in))
		in++;
	for (; *in && o + 1 < len; in++) {
		if (isspace((unsigned char)*in)) {
			space = true;
			continue;
		}
		if (space && o + 2 < len)
			out[o++] = ' ';
		space = false;
		out[o++] = *in;
	}
	out[o] = '\0';
}

bool val_eq(const char *a, const char *b)
{
	char na[VALBUF], nb[VALBUF];

	normalise(a, na, sizeof(na));
	normalise(b, nb, sizeof(nb));
	return !strcmp(na, nb);
}

const char *pick_other(const char *name, const char *const *cands)
{
	char cur[VALBUF];

	if (knob_read(name, cur, sizeof(cur)))
		return NULL;
	for (; *cands; cands++)
		if (!val_eq(cur, *cands))
			return *cands;
	return NULL;
}

/* ---- snapshots ----------------------------------------------------- */

void snap_take(struct snap *s)
{
	const char *const *k;

	s->n = 0;
	for (k = all_test_knobs; *k && s->n < SNAP_MAX; k++) {
		if (knob_read(*k, s->val[s->n], sizeof(s->val[0])))
			continue;
		snprintf(s->name[s->n], sizeof(s->name[0]), "%s", *k);
		s->n++;
	}
}

const char *snap_diff(const struct snap *a, const struct snap *b,
		      char *detail, size_t len)
{
	size_t i;

	if (a->n != b->n) {
		snprintf(detail, len, "snapshot sizes differ: %zu vs %zu",
			 a->n, b->n);
		return "(count)";
	}
	for (i = 0; i < a->n; i++) {
		if (strcmp(a->name[i], b->name[i])) {
			snprintf(detail, len, "knob list differs at %s", a->name[i]);
			return a->name[i];
		}
		if (strcmp(a->val[i], b->val[i])) {
			snprintf(detail, len, "%s: '%s' became '%s'",
				 a->name[i], a->val[i], b->val[i]);
			return a->name[i];
		}
	}
	if (len)
		detail[0] = '\0';
	return NULL;
}

const char *snap_get(const struct snap *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return s->val[i];
	return NULL;
}

int snap_force(const struct snap *want)
{
	char cur[VALBUF];
	int fixed = 0;
	size_t i;

	for (i = 0; i < want->n; i++) {
		if (knob_read(want->name[i], cur, sizeof(cur)))
			continue;
		if (!strcmp(cur, want->val[i]))
			continue;
		knob_write(want->name[i], want->val[i]);
		fixed++;
	}
	return fixed;
}

/* ---- module -------------------------------------------------------- */

bool mod_loaded(void)
{
	char buf[64];

	if (access(OSTUNE_MOD_DIR, F_OK))
		return false;
	/* "live" once init has finished, "going" while unloading */
	if (!file_read(OSTUNE_MOD_DIR "/initstate", buf, sizeof(buf)))
		return !strcmp(buf, "live");
	return true;
}

int mod_unload(void)
{
	int i;

	for (i = 0; i < 50; i++) {
		if (!syscall(SYS_delete_module, "ostune", O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EBUSY && errno != EINTR)
			return -errno;
		sleep_ms(100);
	}
	return -EBUSY;
}

int mod_load(void)
{
	const char *ko = getenv("OSTUNE_KO");
	int fd, ret;

	if (!ko || !*ko)
		ko = "/ostune/ostune.ko";
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0);
	if (ret)
		ret = errno == EEXIST ? 0 : -errno;
	close(fd);
	return ret;
}

int mod_ensure_loaded(void)
{
	int i;

	/* A module being unloaded by someone else: wait for it to go. */
	for (i = 0; i < 50 && !mod_loaded() && !access(OSTUNE_MOD_DIR, F_OK); i++)
		sleep_ms(100);
	if (mod_loaded())
		return 0;
	return mod_load();
}

unsigned int mod_default_watchdog_ms(void)
{
	static const char *const paths[] = {
		OSTUNE_MOD_DIR "/parameters/default_watchdog_ms",
		"/sys/kernel/debug/ostune/default_watchdog_ms",
	};
	char buf[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(paths); i++)
		if (!file_read(paths[i], buf, sizeof(buf)) && buf[0])
			return strtoul(buf, NULL, 10);
	return 10000;
}

/* ---- fixture modules, CPUs ----------------------------------------- */

bool module_present(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return access(path, F_OK) == 0;
}

int fixture_load(const char *name, const char *params)
{
	const char *dir = getenv("OSTUNE_FIXTURES");
	char path[512];
	int fd, ret;

	if (!dir || !*dir)
		dir = "/ostune/fixtures";
	snprintf(path, sizeof(path), "%s/%s.ko", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params ? params : "", 0);
	if (ret)
		ret = errno == EEXIST ? 0 : -errno;
	close(fd);
	return ret;
}

int fixture_unload(const char *name)
{
	int i;

	for (i = 0; i < 50; i++) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EBUSY && errno != EINTR)
			return -errno;
		sleep_ms(100);
	}
	return -EBUSY;
}

int cpu_online_get(unsigned int cpu)
{
	char path[128], buf[16];
	int ret;

	snprintf(path, sizeof(path), CPU_DIR "/cpu%u/online", cpu);
	ret = file_read(path, buf, sizeof(buf));
	if (ret == -ENOENT) {
		/* cpu0 is often not hotpluggable: no file, always online */
		snprintf(path, sizeof(path), CPU_DIR "/cpu%u", cpu);
		return access(path, F_OK) ? -ENOENT : 1;
	}
	if (ret)
		return ret;
	return buf[0] == '1';
}

int cpu_online_set(unsigned int cpu, bool online)
{
	char path[128];
	int ret;

	ret = cpu_online_get(cpu);
	if (ret < 0)
		return ret;
	if (ret == online)
		return 0;
	snprintf(path, sizeof(path), CPU_DIR "/cpu%u/online", cpu);
	return file_write(path, online ? "1" : "0");
}

/* ---- time ---------------------------------------------------------- */

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

int wait_knob(const char *name, const char *want, unsigned int timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;
	char cur[VALBUF];

	for (;;) {
		if (!knob_read(name, cur, sizeof(cur)) && val_eq(cur, want))
			return 0;
		if (now_ms() >= end)
			return -ETIMEDOUT;
		sleep_ms(20);
	}
}

/* ---- kmsg ---------------------------------------------------------- */

int kmsg_open_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (lseek(fd, 0, SEEK_END) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

/*
 * Every record read so far, one per line: several lines may be looked for
 * in any order. Each test runs in its own process, so this is per test.
 */
static char *kmsg_seen;
static size_t kmsg_seen_len;

/* The start of the first recorded line containing needle, or NULL. */
static const char *kmsg_search(const char *needle)
{
	const char *p;

	if (!kmsg_seen)
		return NULL;
	p = strstr(kmsg_seen, needle);
	if (!p)
		return NULL;
	while (p > kmsg_seen && p[-1] != '\n')
		p--;
	return p;
}

int kmsg_find(int fd, const char *needle, char *line, size_t len,
	      unsigned int timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;
	const char *hit;
	char rec[2048];
	ssize_t r;

	for (;;) {
		hit = kmsg_search(needle);
		if (hit) {
			if (line) {
				size_t n = strcspn(hit, "\n");

				snprintf(line, len, "%.*s", (int)n, hit);
			}
			return 1;
		}
		r = read(fd, rec, sizeof(rec) - 1);
		if (r > 0) {
			char *text, *nl, *grown;
			size_t n;

			rec[r] = '\0';
			text = strchr(rec, ';');
			text = text ? text + 1 : rec;
			nl = strchr(text, '\n');
			if (nl)
				*nl = '\0';
			n = strlen(text);
			grown = realloc(kmsg_seen, kmsg_seen_len + n + 2);
			if (!grown)
				return 0;
			kmsg_seen = grown;
			memcpy(kmsg_seen + kmsg_seen_len, text, n);
			kmsg_seen_len += n;
			kmsg_seen[kmsg_seen_len++] = '\n';
			kmsg_seen[kmsg_seen_len] = '\0';
			continue;
		}
		if (r < 0 && errno == EPIPE)	/* overwritten: go on */
			continue;
		if (r < 0 && errno != EAGAIN && errno != EINTR)
			return 0;
		if (now_ms() >= end)
			return 0;
		{
			struct pollfd p = { .fd = fd, .events = POLLIN };

			poll(&p, 1, 50);
		}
	}
}

/* ---- events -------------------------------------------------------- */

int events_collect(struct ostune_client *c, struct ostune_event *ev,
		   int max, int want, unsigned int timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;
	int n = 0, r;

	while (n < max) {
		int64_t left = (int64_t)(end - now_ms());

		if (n >= want)
			left = 100;	/* a short look for extra events */
		if (left <= 0)
			break;
		memset(&ev[n], 0, sizeof(ev[n]));
		r = ostune_next_event(c, &ev[n], (int)left);
		if (r <= 0)
			break;
		n++;
	}
	return n;
}

/* ---- clients ------------------------------------------------------- */

const struct ostune_held_knob *status_find(const struct ostune_status *st,
					   const char *name)
{
	size_t i;

	for (i = 0; i < st->nheld; i++)
		if (!strcmp(st->held[i].name, name))
			return &st->held[i];
	return NULL;
}

void cleanup_restore_all(void)
{
	struct ostune_client c;

	memset(&c, 0, sizeof(c));
	if (ostune_client_open(&c))
		return;
	ostune_restore(&c, NULL, 0);
	ostune_client_close(&c);
}

int wait_no_session(unsigned int timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;
	struct ostune_client c;
	struct ostune_status st;
	int ret;

	memset(&c, 0, sizeof(c));
	ret = ostune_client_open(&c);
	if (ret)
		return ret;
	for (;;) {
		memset(&st, 0, sizeof(st));
		ret = ostune_get_status(&c, &st);
		if (!ret) {
			int has = st.has_session;

			ostune_status_free(&st);
			if (!has)
				break;
			ret = -EBUSY;
		}
		if (now_ms() >= end)
			break;
		sleep_ms(20);
	}
	ostune_client_close(&c);
	return ret;
}

void put_knob(struct nlmsghdr *nlh, const char *name, const char *value)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, OSTUNE_A_KNOB);

	if (name)
		mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_NAME, name);
	if (value)
		mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_VALUE, value);
	mnl_attr_nest_end(nlh, nest);
}

static int parse_ack_attrs(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type <= NLMSGERR_ATTR_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

int xt_transact(uint16_t family_id, struct nlmsghdr *nlh, struct xack *ack)
{
	static char rbuf[MSGBUF_SIZE];
	struct mnl_socket *nl;
	uint32_t seq = (uint32_t)now_ms() ^ (uint32_t)getpid();
	int one = 1, done = 0;
	ssize_t r;

	memset(ack, 0, sizeof(*ack));
	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0;

	nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl)
		return -errno;
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ack->err = -errno;
		goto out;
	}
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ack->err = -errno;
		goto out;
	}
	while (!done) {
		struct nlmsghdr *m;
		int left;

		r = mnl_socket_recvfrom(nl, rbuf, sizeof(rbuf));
		if (r < 0) {
			ack->err = -errno;
			goto out;
		}
		left = r;
		for (m = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(m, left);
		     m = mnl_nlmsg_next(m, &left)) {
			const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
			struct nlmsgerr *e;
			size_t hlen;

			if (m->nlmsg_seq != seq)
				continue;
			if (m->nlmsg_type != NLMSG_ERROR)
				continue;	/* a reply before the ack */
			e = mnl_nlmsg_get_payload(m);
			ack->err = e->error;
			done = 1;
			if (!(m->nlmsg_flags & NLM_F_ACK_TLVS))
				break;
			hlen = sizeof(*e);
			if (!(m->nlmsg_flags & NLM_F_CAPPED))
				hlen += e->msg.nlmsg_len - sizeof(e->msg);
			mnl_attr_parse(m, hlen, parse_ack_attrs, tb);
			if (tb[NLMSGERR_ATTR_MSG])
				snprintf(ack->msg, sizeof(ack->msg), "%s",
					 mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]));
			if (tb[NLMSGERR_ATTR_OFFS]) {
				ack->has_offs = true;
				ack->offs = mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]);
			} else if (tb[NLMSGERR_ATTR_MISS_NEST]) {
				ack->has_offs = true;
				ack->offs = mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_NEST]);
			}
			if (ack->has_offs &&
			    ack->offs + sizeof(struct nlattr) <= nlh->nlmsg_len) {
				struct nlattr *a = (struct nlattr *)
					((char *)nlh + ack->offs);

				ack->attr_type = a->nla_type & NLA_TYPE_MASK;
			}
			break;
		}
	}
out:
	mnl_socket_close(nl);
	return ack->err;
}

/* ---- children ------------------------------------------------------ */

static void owner_child(int cmd_fd, int res_fd, uint32_t watchdog_ms,
			const struct ostune_kv *kvs, size_t n, bool session)
{
	struct ostune_client c;
	unsigned char res = 0;
	char cmd;
	int ret;

	memset(&c, 0, sizeof(c));
	ret = ostune_client_open(&c);
	if (!ret && session)
		ret = ostune_session_open(&c, watchdog_ms);
	if (!ret && n)
		ret = ostune_apply(&c, kvs, n, NULL);
	res = ret < 0 ? (unsigned char)-ret : 0;
	if (write(res_fd, &res, 1) != 1 || ret)
		_exit(1);
	while (read(cmd_fd, &cmd, 1) == 1) {
		switch (cmd) {
		case 'h':
			ret = ostune_heartbeat(&c);
			break;
		case 'c':
			ret = ostune_session_close(&c);
			break;
		case 'x':
			_exit(0);
		default:
			ret = -EINVAL;
		}
		res = ret < 0 ? (unsigned char)-ret : 0;
		if (write(res_fd, &res, 1) != 1)
			_exit(1);
	}
	_exit(0);
}

int owner_start(struct owner *o, uint32_t watchdog_ms,
		const struct ostune_kv *kvs, size_t n, bool session)
{
	int cmdp[2], resp[2];
	unsigned char res;

	o->pid = -1;
	if (pipe2(cmdp, O_CLOEXEC) || pipe2(resp, O_CLOEXEC))
		return -errno;
	fflush(stdout);
	fflush(stderr);
	o->pid = fork();
	if (o->pid < 0)
		return -errno;
	if (!o->pid) {
		close(cmdp[1]);
		close(resp[0]);
		owner_child(cmdp[0], resp[1], watchdog_ms, kvs, n, session);
	}
	close(cmdp[0]);
	close(resp[1]);
	o->cmd_fd = cmdp[1];
	o->res_fd = resp[0];
	if (read(o->res_fd, &res, 1) != 1)
		res = EIO;
	if (res) {
		owner_kill(o);
		return -(int)res;
	}
	return 0;
}

int owner_cmd(struct owner *o, char cmd)
{
	unsigned char res;

	if (write(o->cmd_fd, &cmd, 1) != 1)
		return -EIO;
	if (cmd == 'x')
		return 0;
	if (read(o->res_fd, &res, 1) != 1)
		return -EIO;
	return -(int)res;
}

int owner_kill(struct owner *o)
{
	int status = 0;

	if (o->pid > 0) {
		kill(o->pid, SIGKILL);
		waitpid(o->pid, &status, 0);
		o->pid = -1;
		close(o->cmd_fd);
		close(o->res_fd);
	}
	return status;
}

int run_capture(char *const argv[], char *out, size_t outlen,
		char *err, size_t errlen, unsigned int timeout_ms)
{
	int op[2], ep[2], status = 0;
	size_t olen = 0, elen = 0;
	uint64_t end = now_ms() + timeout_ms;
	bool oopen = true, eopen = true;
	pid_t pid;

	if (pipe2(op, O_CLOEXEC) || pipe2(ep, O_CLOEXEC))
		return -errno;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		dup2(op[1], 1);
		dup2(ep[1], 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(op[1]);
	close(ep[1]);
	while (oopen || eopen) {
		struct pollfd p[2] = {
			{ .fd = oopen ? op[0] : -1, .events = POLLIN },
			{ .fd = eopen ? ep[0] : -1, .events = POLLIN },
		};
		int64_t left = (int64_t)(end - now_ms());
		char tmp[1024];
		ssize_t r;

		if (left <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		if (poll(p, 2, (int)left) <= 0)
			continue;
		if (oopen && p[0].revents) {
			r = read(op[0], tmp, sizeof(tmp));
			if (r <= 0) {
				oopen = false;
			} else if (out && olen + 1 < outlen) {
				size_t c = (size_t)r < outlen - 1 - olen ?
					   (size_t)r : outlen - 1 - olen;
				memcpy(out + olen, tmp, c);
				olen += c;
			}
		}
		if (eopen && p[1].revents) {
			r = read(ep[0], tmp, sizeof(tmp));
			if (r <= 0) {
				eopen = false;
			} else if (err && elen + 1 < errlen) {
				size_t c = (size_t)r < errlen - 1 - elen ?
					   (size_t)r : errlen - 1 - elen;
				memcpy(err + elen, tmp, c);
				elen += c;
			}
		}
	}
	if (out && outlen)
		out[olen] = '\0';
	if (err && errlen)
		err[elen] = '\0';
	close(op[0]);
	close(ep[0]);
	waitpid(pid, &status, 0);
	return status;
}

int exit_code(int status)
{
	if (status < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

const char *cli_path(void)
{
	const char *p = getenv("OSTUNE_CLI");

	return p && *p ? p : "/ostune/bin/ostune";
}

static int caps_clear(uint32_t keep_lo, uint32_t keep_hi, bool keep_given)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	if (keep_given) {
		d[0].effective &= keep_lo;
		d[0].permitted &= keep_lo;
		d[0].inheritable &= keep_lo;
		d[1].effective &= keep_hi;
		d[1].permitted &= keep_hi;
		d[1].inheritable &= keep_hi;
	} else {
		memset(d, 0, sizeof(d));
	}
	if (syscall(SYS_capset, &h, d))
		return -errno;
	return 0;
}

/*
 * Checks that the drop took: every uid and gid is nobody's, and no
 * capability is left in any set. -EPERM if anything of root remains.
 */
static int really_nobody(void)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct d[2];
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	int i;

	if (getresuid(&ru, &eu, &su) || getresgid(&rg, &eg, &sg) ||
	    syscall(SYS_capget, &h, d))
		return -errno;
	if (ru != 65534 || eu != 65534 || su != 65534 || rg != 65534 ||
	    eg != 65534 || sg != 65534 || getgroups(0, NULL) != 0)
		return -EPERM;
	for (i = 0; i < 2; i++)
		if (d[i].effective || d[i].permitted || d[i].inheritable)
			return -EPERM;
	return 0;
}

int drop_to_nobody(void)
{
	int ret;

	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (setgroups(0, NULL))
		return -errno;
	if (setresgid(65534, 65534, 65534))
		return -errno;
	if (setresuid(65534, 65534, 65534))
		return -errno;
	ret = caps_clear(0, 0, false);
	return ret ? ret : really_nobody();
}

int drop_cap_sys_admin(void)
{
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0);
	/* CAP_SYS_ADMIN is 21: in the low word */
	return caps_clear(~(1U << CAP_SYS_ADMIN), ~0U, true);
}

void self_comm(char *buf, size_t len)
{
	if (file_read("/proc/self/comm", buf, len))
		snprintf(buf, len, "?");
}

struct cres *cres_new(void)
{
	void *p = mmap(NULL, sizeof(struct cres), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, sizeof(struct cres));
	return p;
}

void cres_free(struct cres *r)
{
	if (r)
		munmap(r, sizeof(*r));
}

int run_in_child(void (*fn)(struct cres *r, void *arg), void *arg,
		 struct cres *r)
{
	int status = 0;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		fn(r, arg);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return status;
}

/*
 * The module's own list of tuning sysctls, in the order it gives them:
 * those this kernel has, readable and writable, with a value.
 */
int collect_sysctl_names(char (*names)[OSTUNE_NAME_MAX], int max)
{
	size_t i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(ostune_sysctl_tunables) && n < max; i++) {
		char name[OSTUNE_NAME_MAX], path[512], val[VALBUF];
		struct stat sb;

		snprintf(name, sizeof(name), "sysctl.%s",
			 ostune_sysctl_tunables[i]);
		if (knob_path(name, path, sizeof(path)) || stat(path, &sb) ||
		    !S_ISREG(sb.st_mode) || (sb.st_mode & 0600) != 0600 ||
		    file_read(path, val, sizeof(val)) || !val[0])
			continue;
		strcpy(names[n++], name);
	}
	return n;
}

const struct ostune_event *event_find(const struct ostune_event *ev, int n,
				      const char *name, uint32_t reason)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(ev[i].name, name) && ev[i].reason == reason)
			return &ev[i];
	return NULL;
}

int apply1(struct ostune_client *c, const char *name, const char *val)
{
	struct ostune_kv kv = { name, val };

	return ostune_apply(c, &kv, 1, NULL);
}

int getk(struct ostune_client *c, const char *name, char *buf, size_t len)
{
	const char *names[1] = { name };
	struct ostune_knob_value v;
	int r;

	r = ostune_get_knobs(c, names, 1, &v);
	if (!r)
		snprintf(buf, len, "%s", v.value);
	return r;
}
