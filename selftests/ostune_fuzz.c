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
 * Afterwards every knob must be at its value before the run, nothing held,
 * and the module must unload cleanly (it is loaded again for whoever runs
 * next). Prints TAP.
 *
 *	ostune_fuzz [-s SEED] [-n MESSAGES] [-p FUZZERS]
 *
 * SEED defaults to $OSTUNE_FUZZ_SEED, else the time; it is printed, so a
 * run can be repeated (up to the scheduling of the processes).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "util.h"

#define MSG_MAX		(72 * 1024)
#define MAX_FUZZERS	8
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
	{ "sysctl.kernel.timer_migration", true, { "0", "1" } },
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
};

/* Names that must be refused, whatever comes with them. */
static const char *const refused[] = {
	"sysctl.kernel.modprobe", "sysctl.kernel.core_pattern",
	"sysctl.kernel.usermodehelper.bset", "sysctl.vm.drop_caches",
	"sysctl.vm/../kernel/modprobe", "sysctl..vm", "sched.features",
	"sched.debug", "sched.preempt", "nosuch.knob", "sysctl", "",
	"idle.cpu01.state1.disable", "irq.0.affinity", "freq.policy0.cur_khz",
	"sched.", "sysctl.fs.file-max", "pmqos.cpu9999.resume_latency_us",
};

/* What the sessions of the session process change and check. */
static const char *const session_knobs[] = {
	"sysctl.vm.swappiness", "sysctl.vm.dirty_ratio",
	"sysctl.net.core.somaxconn", "sysctl.net.ipv4.tcp_rmem",
	"sched.migration_cost_ns", "sched.nr_migrate",
};

#define BAD_KEPT	4

/*
 * Shared between the processes. pause asks the fuzzers to stop between
 * two messages (paused counts those that did, done those that finished),
 * so that the session process can end a session and read the knobs with
 * nobody changing them in between.
 */
struct shared {
	volatile int stop, pause, paused, done;
	unsigned long sent[MAX_FUZZERS + 1];
	unsigned long unexpected[MAX_FUZZERS + 1];
	unsigned long sessions, session_bad, session_busy;
	int nbad;
	char bad[BAD_KEPT][256];
};

static struct shared *sh;
static uint16_t family;
static int nfuzz = 3;

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

static void pause_point(void)
{
	if (!sh->pause)
		return;
	__sync_fetch_and_add(&sh->paused, 1);
	while (sh->pause)
		usleep(1000);
	__sync_fetch_and_sub(&sh->paused, 1);
}

/* Returns once every fuzzer has paused or finished. */
static void pause_fuzzers(void)
{
	sh->pause = 1;
	while (sh->paused + sh->done < nfuzz)
		usleep(1000);
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

/* A value: listed, mutated, random text or random bytes. */
static void rand_value(struct rng *r, const struct pool_knob *k, char *out,
		       size_t size)
{
	static const char *const odd[] = {
		"", " ", "-1", "4294967296", "99999999999999999999", "0x10",
		"1 2 3 4 5 6 7 8", "none ", "NONE", "1\n", "\t", "0-", "-",
	};
	size_t n, i;

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

/* A name: a pool knob (with its entry), a refused one, or garbage. */
static const struct pool_knob *rand_name(struct rng *r, char *out, size_t size)
{
	const struct pool_knob *k;
	size_t n;

	switch (below(r, 5)) {
	case 0:
	case 1:
		k = &pool[below(r, sizeof(pool) / sizeof(pool[0]))];
		snprintf(out, size, "%s", k->name);
		return k;
	case 2:
		snprintf(out, size, "%s",
			 refused[below(r, sizeof(refused) / sizeof(refused[0]))]);
		return NULL;
	case 3:
		/* a pool name made unknown: nothing may match it */
		k = &pool[below(r, sizeof(pool) / sizeof(pool[0]))];
		snprintf(out, size, "%s%c%u", k->name, "_xQ./"[below(r, 5)],
			 below(r, 1000));
		return NULL;
	default:
		n = below(r, size - 1);
		rand_bytes(r, out, n);
		out[n] = '\0';
		return NULL;
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
	default:
		rand_name(r, (char *)data, sizeof(data));
		put_str(m, type, (char *)data);
	}
}

/* A KNOB nest: mostly NAME and VALUE, sometimes missing, odd or extra. */
static void put_rand_knob(struct rng *r, struct msg *m, int depth)
{
	char name[OSTUNE_NAME_MAX + 64], value[OSTUNE_VALUE_MAX + 64];
	const struct pool_knob *k;
	struct nlattr *a;

	a = chance(r, 90) ? nest_start(m, OSTUNE_A_KNOB) :
			    put_attr(m, OSTUNE_A_KNOB, NULL, 0);
	k = rand_name(r, name, sizeof(name));
	rand_value(r, k, value, sizeof(value));
	if (chance(r, 3))	/* longer than the policy allows */
		memset(name, 'a', sizeof(name) - 1), name[sizeof(name) - 1] = 0;
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
	switch (below(r, 10)) {
	case 0:
	case 1:
	case 2:
		/* plausible, then mutated */
		build_plausible(r, m, cmd);
		n = 1 + below(r, 4);
		for (i = 0; i < n && m->len > NLMSG_HDRLEN; i++)
			m->buf[NLMSG_HDRLEN + below(r, m->len - NLMSG_HDRLEN)] ^=
				1 << below(r, 8);
		break;
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

/* Reads whatever the kernel answered, dumps included; 0 or -errno. */
static int drain(int fd)
{
	static unsigned char rbuf[128 * 1024];
	ssize_t n;
	int i;

	for (i = 0; i < 10000; i++) {
		n = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT);
		if (n >= 0)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		/* an ack or dump part dropped: the socket goes on */
		if (errno == ENOBUFS || errno == EINTR)
			continue;
		return -errno;
	}
	return -ELOOP;
}

/* ---- valid requests among the fuzz ------------------------------------ */

/* A kept change and its restore by name, as `ostune set` then `restore`. */
static void kept_round(struct rng *r, int idx)
{
	const struct pool_knob *k = &pool[below(r, 9)];
	char value[OSTUNE_VALUE_MAX];
	struct ostune_client c;
	struct ostune_kv kv;
	int ret;

	if (ostune_client_open(&c))
		return;
	snprintf(value, sizeof(value), "%s", k->v[0]);
	kv.name = k->name;
	kv.value = value;
	ret = ostune_apply(&c, &kv, 1, NULL);
	sh->sent[idx]++;
	if (!ret) {
		ret = ostune_restore(&c, &kv.name, 1);
		sh->sent[idx]++;
		/* ENOENT: a concurrent restore of everything got there first */
		if (ret && ret != -EBUSY && ret != -ENOENT && ret != -ETIMEDOUT) {
			sh->unexpected[idx]++;
			bad("restore of %s: %d (%s)", k->name, ret, c.err_msg);
		}
	} else if (ret != -EBUSY && ret != -ETIMEDOUT && ret != -ENOENT) {
		/* ENOENT: a knob this kernel does not have */
		sh->unexpected[idx]++;
		bad("kept apply %s=%s: %d (%s)", k->name, value, ret, c.err_msg);
	}
	ostune_client_close(&c);
}

static void fuzzer(int idx, uint64_t seed, unsigned long quota)
{
	static struct msg m;
	struct rng r = { seed };
	unsigned long until_recycle = 0;
	int fd = -1, ret;
	size_t len;

	while (sh->sent[idx] < quota) {
		pause_point();
		if (!until_recycle--) {
			/* closing ends any session a fuzz message opened */
			if (fd >= 0)
				close(fd);
			fd = raw_open(&r);
			if (fd < 0) {
				sh->unexpected[idx]++;
				bad("socket: %d", fd);
				return;
			}
			until_recycle = 1 + below(&r, RECYCLE);
		}
		if (chance(&r, 2)) {
			kept_round(&r, idx);
			continue;
		}
		len = build_fuzz(&r, &m);
		/* ENODATA: an empty message */
		if (send(fd, m.buf, len, 0) < 0 && errno != ENOBUFS &&
		    errno != EINVAL && errno != EMSGSIZE && errno != ENODATA) {
			sh->unexpected[idx]++;
			bad("send: %s", strerror(errno));
		}
		sh->sent[idx]++;
		ret = drain(fd);
		if (ret) {
			sh->unexpected[idx]++;
			bad("recv: %s", strerror(-ret));
		}
	}
	if (fd >= 0)
		close(fd);
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
	 * Nobody else can change them through the module now. A short lease
	 * may run out before this round checks the knobs, and from then on
	 * the fuzzers could change them again: keep them paused throughout.
	 */
	if (how == END_WATCHDOG)
		pause_fuzzers();
	read_all(session_knobs, nk, start);
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
	pause_fuzzers();
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

	while (!sh->stop)
		session_round(&r, idx, orig);
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
		}
	}
}

int main(int argc, char **argv)
{
	unsigned long total = 100000, sent = 0, unexpected = 0;
	char before_x[32][VALBUF], after_x[32][VALBUF];
	struct snap before, after;
	int opt, i, status, kfd;
	const char *env = getenv("OSTUNE_FUZZ_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 0) : (uint64_t)time(NULL);
	struct ostune_status st;
	struct ostune_client c;
	pid_t pids[MAX_FUZZERS + 1];
	char detail[512], line[512];
	uint64_t t0;
	bool ok;

	while ((opt = getopt(argc, argv, "s:n:p:")) != -1) {
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
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-n MESSAGES] [-p FUZZERS]\n",
				argv[0]);
			return 2;
		}
	}
	if (nfuzz < 1 || nfuzz > MAX_FUZZERS)
		nfuzz = 3;
	if (!seed)
		seed = 1;

	printf("TAP version 13\n1..5\n");
	printf("# seed %llu, %d fuzzing processes and one of sessions, %lu messages\n",
	       (unsigned long long)seed, nfuzz, total);
	fflush(stdout);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || mod_ensure_loaded() || ostune_client_open(&c)) {
		printf("Bail out! no module or no shared memory\n");
		return 1;
	}
	family = c.family_id;
	ostune_restore(&c, NULL, 0);
	ostune_client_close(&c);
	kfd = kmsg_open_end();
	snap_take(&before);
	extra_values(before_x);

	t0 = now_ms();
	for (i = 0; i <= nfuzz; i++) {
		fflush(stdout);
		pids[i] = fork();
		if (pids[i] < 0) {
			printf("Bail out! fork: %s\n", strerror(errno));
			return 1;
		}
		if (!pids[i]) {
			uint64_t s = seed ^ (0x9E3779B97F4A7C15ULL * (i + 1));

			if (i < nfuzz)
				fuzzer(i, s, total / nfuzz + (i < (int)(total % nfuzz)));
			else
				sessions(i, s, &before);
			_exit(0);
		}
	}
	for (i = 0; i < nfuzz; i++)
		waitpid(pids[i], &status, 0);
	sh->stop = 1;
	waitpid(pids[nfuzz], &status, 0);
	for (i = 0; i <= nfuzz; i++) {
		sent += sh->sent[i];
		unexpected += sh->unexpected[i];
	}
	printf("# %lu messages in %llu ms; %lu sessions (%lu found one open)\n",
	       sent, (unsigned long long)(now_ms() - t0), sh->sessions,
	       sh->session_busy);
	for (i = 0; i < sh->nbad && i < BAD_KEPT; i++)
		printf("# problem: %s\n", sh->bad[i]);
	if (sh->nbad > BAD_KEPT)
		printf("# ... %d problems in all\n", sh->nbad);
	tap(sent >= total && !unexpected,
	    "fuzz: %lu messages from %d processes, none answered unexpectedly",
	    sent, nfuzz + 1);
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
	tap(ok, "fuzz: every knob is back at its value before the run");

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
