// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune watch: the rules as pure functions (each fires on its condition,
 * stays under its ceiling, waits out its hysteresis and rate limit),
 * the counters read from a fixture /proc, and the daemon run end to end
 * on tests/ostune-fake against a fixture tree whose counters the test
 * moves on.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <fcntl.h>

#include <jansson.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>

#include "unit.h"
#include "watch/rules.h"

#define GIB	(1024ull * 1024 * 1024)

struct rule_case {
	/* what the daemon last wrote to tcp_congestion_control */
	char written_cc[16];
	struct watch_obs prev, now;
	struct watch_values cur;
	struct watch_limits lim;
	struct rule_proposal p;
};

/* A 1 GiB, 2-CPU host with the kernel's defaults. */
static void rule_case_init(struct rule_case *rc)
{
	struct watch_host host = { .mem_bytes = GIB, .ncpus = 2 };

	memset(rc, 0, sizeof(*rc));
	watch_limits_for(&host, &rc->lim);
	strcpy(rc->cur.v[WK_TCP_RMEM], "4096 131072 6291456");
	strcpy(rc->cur.v[WK_TCP_WMEM], "4096 16384 4194304");
	strcpy(rc->cur.v[WK_CONGESTION], "cubic");
	strcpy(rc->cur.v[WK_GC_THRESH1], "128");
	strcpy(rc->cur.v[WK_GC_THRESH2], "512");
	strcpy(rc->cur.v[WK_GC_THRESH3], "1024");
	strcpy(rc->cur.v[WK_IPFRAG_HIGH], "4194304");
	strcpy(rc->cur.v[WK_IPFRAG_LOW], "3145728");
	strcpy(rc->cur.v[WK_NETDEV_MAX_BACKLOG], "1000");
	strcpy(rc->cur.v[WK_NETDEV_BUDGET], "300");
	strcpy(rc->cur.v[WK_NETDEV_BUDGET_USECS], "2000");
	strcpy(rc->cur.v[WK_SOMAXCONN], "4096");
	strcpy(rc->cur.available_cc, "reno cubic bbr");
}

static void evaluate(struct rule_case *rc, const char *rule)
{
	struct rule_input in = { &rc->prev, &rc->now, &rc->cur, &rc->lim,
				 "cubic", rc->written_cc };

	memset(&rc->p, 0, sizeof(rc->p));
	watch_rule_find(rule)->evaluate(&in, &rc->p);
}

static void limits_follow_memory(struct test_ctx *t)
{
	struct watch_host small = { .mem_bytes = GIB, .ncpus = 2 };
	struct watch_host big = { .mem_bytes = 64 * GIB, .ncpus = 2 };
	struct watch_limits a, b;

	watch_limits_for(&small, &a);
	watch_limits_for(&big, &b);
	CHECK_INT(t, a.tcp_buf_max, 32 * 1024 * 1024);
	CHECK_INT(t, a.gc_thresh3_max, 16384);
	CHECK_INT(t, a.ipfrag_high_max, 16 * 1024 * 1024);
	CHECK_INT(t, a.backlog_max, 4096);
	CHECK_INT(t, a.somaxconn_max, 65535);
	/* 2 GiB is past an int: the ceiling is the kernel's */
	CHECK_INT(t, b.tcp_buf_max, 2147483647);
	CHECK_INT(t, b.gc_thresh3_max, 1048576);
	CHECK_INT(t, b.budget_max, 3000);
}

static void tcp_buffers_grow_a_quarter_to_the_ceiling(struct test_ctx *t)
{
	struct rule_case rc;

	rule_case_init(&rc);
	evaluate(&rc, "tcp_buffers");
	CHECK(t, !rc.p.scenario);

	rc.now.rcv_limited = 2;
	evaluate(&rc, "tcp_buffers");
	CHECK_CONTAINS(t, rc.p.scenario, "increase max buffer size");
	CHECK_INT(t, rc.p.hold, 3);
	CHECK_INT(t, rc.p.n, 1);
	CHECK_INT(t, rc.p.knob[0], WK_TCP_RMEM);
	CHECK_STR(t, rc.p.value[0], "4096 131072 7864320");

	rc.now.snd_limited = 1;
	evaluate(&rc, "tcp_buffers");
	CHECK_INT(t, rc.p.n, 2);
	CHECK_STR(t, rc.p.value[1], "4096 16384 5242880");

	/* 30 MiB grows to the 32 MiB ceiling, not to 37.5 MiB */
	strcpy(rc.cur.v[WK_TCP_RMEM], "4096 131072 31457280");
	rc.now.snd_limited = 0;
	evaluate(&rc, "tcp_buffers");
	CHECK_STR(t, rc.p.value[0], "4096 131072 33554432");
	strcpy(rc.cur.v[WK_TCP_RMEM], "4096 131072 33554432");
	evaluate(&rc, "tcp_buffers");
	CHECK_INT(t, rc.p.n, 0);
	CHECK(t, rc.p.at_limit);
	CHECK_INT(t, rc.p.limited, WK_TCP_RMEM);
	CHECK_STR(t, rc.p.limit, "33554432");
}

static void congestion_switches_only_to_available(struct test_ctx *t)
{
	struct rule_case rc;

	rule_case_init(&rc);
	/* 2% of 10000 segments retransmitted */
	rc.now.out_segs = 10000;
	rc.now.retrans_segs = 200;
	evaluate(&rc, "congestion");
	CHECK_CONTAINS(t, rc.p.scenario, "sustained loss");
	CHECK_CONTAINS(t, rc.p.detail, "2.00% of 10000 segments");
	CHECK_INT(t, rc.p.hold, 5);
	CHECK_INT(t, rc.p.n, 1);
	CHECK_STR(t, rc.p.value[0], "bbr");

	/* bbr not loaded: said, never written */
	strcpy(rc.cur.available_cc, "reno cubic");
	evaluate(&rc, "congestion");
	CHECK_INT(t, rc.p.n, 0);
	CHECK(t, rc.p.at_limit);
	CHECK_STR(t, rc.p.limit,
		  "bbr not in tcp_available_congestion_control");
	/* a name that only contains bbr is not bbr */
	strcpy(rc.cur.available_cc, "reno bbr2x cubic");
	evaluate(&rc, "congestion");
	CHECK_INT(t, rc.p.n, 0);

	/* too few segments to judge */
	strcpy(rc.cur.available_cc, "reno cubic bbr");
	rc.now.out_segs = 400;
	rc.now.retrans_segs = 200;
	evaluate(&rc, "congestion");
	CHECK(t, !rc.p.scenario);

	/* on bbr with the loss gone, but bbr is the administrator's */
	strcpy(rc.cur.v[WK_CONGESTION], "bbr");
	rc.now.out_segs = 100000;
	rc.now.retrans_segs = 5;
	evaluate(&rc, "congestion");
	CHECK(t, !rc.p.scenario);
	CHECK_INT(t, rc.p.n, 0);
	/* this run's bbr: back to what the host had */
	strcpy(rc.written_cc, "bbr");
	evaluate(&rc, "congestion");
	CHECK_CONTAINS(t, rc.p.scenario, "loss subsided");
	CHECK_INT(t, rc.p.hold, 30);
	CHECK_STR(t, rc.p.value[0], "cubic");
	/* still lossy on bbr: nothing to do */
	rc.now.retrans_segs = 5000;
	evaluate(&rc, "congestion");
	CHECK(t, !rc.p.scenario);
}

static void neigh_grows_on_overflow_or_near_full(struct test_ctx *t)
{
	struct rule_case rc;

	rule_case_init(&rc);
	rc.now.arp_entries = 900;
	evaluate(&rc, "neigh");
	CHECK(t, !rc.p.scenario);

	rc.now.arp_entries = 922;
	evaluate(&rc, "neigh");
	CHECK_CONTAINS(t, rc.p.scenario, "approaching gc_thresh3");
	CHECK_INT(t, rc.p.hold, 3);
	CHECK_INT(t, rc.p.n, 2);
	CHECK_INT(t, rc.p.knob[0], WK_GC_THRESH3);
	CHECK_STR(t, rc.p.value[0], "2048");
	CHECK_INT(t, rc.p.knob[1], WK_GC_THRESH2);
	CHECK_STR(t, rc.p.value[1], "1024");

	rc.now.arp_entries = 10;
	rc.prev.arp_table_fulls = 7;
	rc.now.arp_table_fulls = 9;
	evaluate(&rc, "neigh");
	CHECK_CONTAINS(t, rc.p.scenario, "overflowed");
	CHECK_INT(t, rc.p.hold, 1);
	CHECK_CONTAINS(t, rc.p.detail, "2 table_fulls");
	/* an administrator's gc_thresh2 above gc_thresh3 is never lowered */
	strcpy(rc.cur.v[WK_GC_THRESH2], "4096");
	evaluate(&rc, "neigh");
	CHECK_INT(t, rc.p.n, 1);
	CHECK_INT(t, rc.p.knob[0], WK_GC_THRESH3);
	CHECK_STR(t, rc.p.value[0], "2048");
	strcpy(rc.cur.v[WK_GC_THRESH2], "512");

	/* 1 GiB: 16384 entries at most */
	strcpy(rc.cur.v[WK_GC_THRESH3], "12000");
	evaluate(&rc, "neigh");
	CHECK_STR(t, rc.p.value[0], "16384");
	strcpy(rc.cur.v[WK_GC_THRESH3], "16384");
	evaluate(&rc, "neigh");
	CHECK_INT(t, rc.p.n, 0);
	CHECK(t, rc.p.at_limit);
	CHECK_STR(t, rc.p.limit, "16384");
}

static void ipfrag_raises_high_and_keeps_low_below(struct test_ctx *t)
{
	struct rule_case rc;

	rule_case_init(&rc);
	/* failures that are all timeouts: memory would not help */
	rc.now.reasm_fails = 5;
	rc.now.reasm_timeout = 5;
	evaluate(&rc, "ipfrag");
	CHECK(t, !rc.p.scenario);

	rc.now.reasm_fails = 50;
	evaluate(&rc, "ipfrag");
	CHECK_CONTAINS(t, rc.p.scenario, "reassembly failing");
	CHECK_INT(t, rc.p.n, 2);
	CHECK_INT(t, rc.p.knob[0], WK_IPFRAG_HIGH);
	CHECK_STR(t, rc.p.value[0], "8388608");
	CHECK_INT(t, rc.p.knob[1], WK_IPFRAG_LOW);
	CHECK_STR(t, rc.p.value[1], "6291456");

	/* memory near the high threshold is the condition too */
	rc.now.reasm_fails = 5;
	rc.now.frag_memory = 4000000;
	evaluate(&rc, "ipfrag");
	CHECK(t, rc.p.scenario);

	strcpy(rc.cur.v[WK_IPFRAG_HIGH], "16777216");
	rc.now.reasm_fails = 50;
	evaluate(&rc, "ipfrag");
	CHECK(t, rc.p.at_limit);
	CHECK_INT(t, rc.p.n, 0);
}

static void netdev_backlog_on_drops_budget_on_squeezes(struct test_ctx *t)
{
	struct rule_case rc;

	rule_case_init(&rc);
	rc.prev.softnet_dropped = 10;
	rc.now.softnet_dropped = 30;
	evaluate(&rc, "netdev_backlog");
	CHECK_CONTAINS(t, rc.p.scenario, "backlog is full");
	CHECK_INT(t, rc.p.n, 1);
	CHECK_INT(t, rc.p.knob[0], WK_NETDEV_MAX_BACKLOG);
	CHECK_STR(t, rc.p.value[0], "2000");

	rc.now.softnet_dropped = 10;
	rc.now.softnet_squeezed = 3;
	evaluate(&rc, "netdev_backlog");
	CHECK_CONTAINS(t, rc.p.scenario, "out of budget");
	CHECK_INT(t, rc.p.n, 2);
	CHECK_STR(t, rc.p.value[0], "375");
	CHECK_STR(t, rc.p.value[1], "2500");

	/* the backlog at its ceiling, the budget not: the budget still grows */
	strcpy(rc.cur.v[WK_NETDEV_MAX_BACKLOG], "4096");
	rc.now.softnet_dropped = 20;
	evaluate(&rc, "netdev_backlog");
	CHECK_INT(t, rc.p.n, 2);
	CHECK(t, !rc.p.at_limit);
}

static void somaxconn_doubles_on_overflows(struct test_ctx *t)
{
	struct rule_case rc;

	rule_case_init(&rc);
	rc.prev.listen_overflows = 3;
	rc.now.listen_overflows = 3;
	evaluate(&rc, "somaxconn");
	CHECK(t, !rc.p.scenario);
	rc.now.listen_overflows = 40;
	evaluate(&rc, "somaxconn");
	CHECK_CONTAINS(t, rc.p.detail, "37 overflows");
	CHECK_STR(t, rc.p.value[0], "8192");
	strcpy(rc.cur.v[WK_SOMAXCONN], "40000");
	evaluate(&rc, "somaxconn");
	CHECK_STR(t, rc.p.value[0], "65535");
	/* a counter that went back (reset) is no overflow */
	rc.prev.listen_overflows = 100;
	evaluate(&rc, "somaxconn");
	CHECK(t, !rc.p.scenario);
}

static void hysteresis_and_rate_limit(struct test_ctx *t)
{
	struct rule_proposal p = { .scenario = "s", .hold = 3, .n = 1 };
	struct rule_proposal none = { 0 };
	struct rule_track tr;

	rule_track_init(&tr);
	CHECK_INT(t, rule_step(&tr, &p, 1000, 10000), RV_WAIT);
	CHECK_INT(t, rule_step(&tr, &p, 2000, 10000), RV_WAIT);
	/* broken streak: counts from the start again */
	CHECK_INT(t, rule_step(&tr, &none, 3000, 10000), RV_IDLE);
	CHECK_INT(t, rule_step(&tr, &p, 4000, 10000), RV_WAIT);
	CHECK_INT(t, rule_step(&tr, &p, 5000, 10000), RV_WAIT);
	CHECK_INT(t, rule_step(&tr, &p, 6000, 10000), RV_CHANGE);
	/* held again for 3, but 10 s have not passed */
	CHECK_INT(t, rule_step(&tr, &p, 7000, 10000), RV_WAIT);
	CHECK_INT(t, rule_step(&tr, &p, 8000, 10000), RV_WAIT);
	CHECK_INT(t, rule_step(&tr, &p, 9000, 10000), RV_RATE_LIMITED);
	CHECK_INT(t, rule_step(&tr, &p, 15999, 10000), RV_RATE_LIMITED);
	CHECK_INT(t, rule_step(&tr, &p, 16000, 10000), RV_CHANGE);
}

static void at_limit_said_once_per_episode(struct test_ctx *t)
{
	struct rule_proposal p = { .scenario = "s", .hold = 1,
				   .at_limit = true };
	struct rule_proposal none = { 0 };
	struct rule_track tr;

	rule_track_init(&tr);
	CHECK_INT(t, rule_step(&tr, &p, 0, 0), RV_AT_LIMIT);
	CHECK_INT(t, rule_step(&tr, &p, 1, 0), RV_AT_LIMIT_SAID);
	CHECK_INT(t, rule_step(&tr, &p, 2, 0), RV_AT_LIMIT_SAID);
	CHECK_INT(t, rule_step(&tr, &none, 3, 0), RV_IDLE);
	CHECK_INT(t, rule_step(&tr, &p, 4, 0), RV_AT_LIMIT);
}

static const char netstat_fmt[] =
	"TcpExt: SyncookiesSent ListenOverflows ListenDrops\n"
	"TcpExt: 0 %u %u\n"
	"IpExt: InNoRoutes\n"
	"IpExt: 0\n";

static const char snmp_text[] =
	"Ip: Forwarding DefaultTTL InReceives ReasmTimeout ReasmReqds ReasmOKs ReasmFails\n"
	"Ip: 1 64 100 2 30 20 9\n"
	"Tcp: RtoAlgorithm ActiveOpens InSegs OutSegs RetransSegs InErrs\n"
	"Tcp: 1 4 2345 12345 67 0\n";

static void counters_tree(struct test_ctx *t, unsigned int overflows)
{
	char text[512], tmp[512];

	/* renamed into place: the daemon never reads it half-written */
	snprintf(text, sizeof(text), netstat_fmt, overflows, overflows);
	fixture_file(t, "proc/net/netstat.tmp", text, 0644);
	snprintf(tmp, sizeof(tmp), "%s", fixture_path(t, "proc/net/netstat.tmp"));
	rename(tmp, fixture_path(t, "proc/net/netstat"));
}

/* A 1 GiB host with two CPUs, its counters and the rules' sysctls. */
static void watch_tree(struct test_ctx *t)
{
	fixture_file(t, "proc/meminfo",
		     "MemTotal:        1048576 kB\nMemFree:  1000 kB\n", 0644);
	counters_tree(t, 0);
	fixture_file(t, "proc/net/snmp", snmp_text, 0644);
	fixture_file(t, "proc/net/sockstat",
		     "sockets: used 5\nTCP: inuse 1 orphan 0 tw 0 alloc 1 mem 0\n"
		     "FRAG: inuse 1 memory 4096\n", 0644);
	fixture_file(t, "proc/net/softnet_stat",
		     "00001ae3 00000002 00000010 00000000\n"
		     "00007bcc 00000003 00000001 00000000\n", 0644);
	fixture_file(t, "proc/net/stat/arp_cache",
		     "entries  allocs table_fulls\n"
		     "00000005 00000001 00000002\n"
		     "00000005 00000001 0000000a\n", 0644);
	fixture_file(t, "proc/sys/net/core/somaxconn", "4096\n", 0644);
	fixture_file(t, "proc/sys/net/ipv4/tcp_rmem", "4096\t131072\t6291456\n",
		     0644);
	fixture_file(t, "proc/sys/net/ipv4/tcp_congestion_control", "cubic\n",
		     0644);
	fixture_file(t, "proc/sys/net/ipv4/tcp_available_congestion_control",
		     "reno cubic\n", 0644);
}

/*
 * An inet_diag message with a meminfo attribute of nmem fields and, when
 * info_len is not 0, a tcp_info of that many bytes whose data last came
 * in last_recv_ms ago.
 */
static struct nlmsghdr *diag_msg(char *buf, const uint32_t *f, size_t nmem)
{
	uint32_t mem[SK_MEMINFO_VARS] = { 0 };
	struct tcp_info ti = { .tcpi_last_data_recv = f[6] };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct inet_diag_msg));
	mem[SK_MEMINFO_RCVBUF] = f[0];
	mem[SK_MEMINFO_RMEM_ALLOC] = f[1];
	mem[SK_MEMINFO_SNDBUF] = f[2];
	mem[SK_MEMINFO_WMEM_QUEUED] = f[3];
	if (f[5])
		mnl_attr_put(nlh, INET_DIAG_INFO, f[5], &ti);
	mnl_attr_put(nlh, INET_DIAG_SKMEMINFO, nmem * sizeof(uint32_t), mem);
	return nlh;
}

static void sockdiag_messages_classified(struct test_ctx *t)
{
	struct watch_limited lc = { .rmem_max = 6291456,
				    .wmem_max = 4194304, .recent_ms = 1000 };
	char buf[1024] __attribute__((aligned(4)));
	const uint32_t info = sizeof(struct tcp_info);
	const uint32_t too_short = offsetof(struct tcp_info,
					    tcpi_last_data_recv);
	struct nlmsghdr *nlh;

	/*
	 * rcvbuf, rmem_alloc, sndbuf, wmem_queued, meminfo fields, tcp_info
	 * bytes, ms since data last came in; the counts after
	 */
	static const uint32_t steps[][9] = {
		/* at the receive maximum with data queued */
		{ 6291456, 1, 16384, 0, SK_MEMINFO_VARS, 0, 0, 1, 0 },
		/* at it, nothing queued, no tcp_info: not limited */
		{ 6291456, 0, 16384, 0, SK_MEMINFO_VARS, 0, 0, 1, 0 },
		/* send buffer at its maximum and half full, then not quite */
		{ 4096, 0, 4194304, 2097152, SK_MEMINFO_VARS, 0, 0, 1, 1 },
		{ 4096, 0, 4194304, 2097151, SK_MEMINFO_VARS, 0, 0, 1, 1 },
		/* an attribute without the WMEM_QUEUED field counts nothing */
		{ 6291456, 1, 4194304, 4194304, SK_MEMINFO_WMEM_QUEUED, 0, 0,
		  1, 1 },
	};
	/* nothing queued: data that came in this interval shows the use */
	static const uint32_t lately[][9] = {
		{ 6291456, 0, 16384, 0, SK_MEMINFO_VARS, 0, 999, 1, 0 },
		{ 6291456, 0, 16384, 0, SK_MEMINFO_VARS, 0, 1000, 0, 0 },
		{ 6291455, 0, 16384, 0, SK_MEMINFO_VARS, 0, 0, 0, 0 },
		{ 6291456, 0, 16384, 0, SK_MEMINFO_VARS, 0, 0, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		watch_limited_classify(diag_msg(buf, steps[i], steps[i][4]),
				       &lc);
		CHECK_INT(t, lc.rcv, steps[i][7]);
		CHECK_INT(t, lc.snd, steps[i][8]);
	}
	for (i = 0; i < sizeof(lately) / sizeof(lately[0]); i++) {
		uint32_t f[9];

		memcpy(f, lately[i], sizeof(f));
		/* the last one's tcp_info ends before tcpi_last_data_recv */
		f[5] = i == 3 ? too_short : info;
		lc.rcv = 0;
		watch_limited_classify(diag_msg(buf, f, f[4]), &lc);
		CHECK_INT(t, lc.rcv, f[7]);
	}
	lc.rcv = 1;
	/* a message cut inside its inet_diag_msg counts nothing */
	nlh = diag_msg(buf, steps[4], SK_MEMINFO_VARS);
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(struct inet_diag_msg) - 8);
	watch_limited_classify(nlh, &lc);
	/* and one whose attribute runs past its end */
	nlh = diag_msg(buf, steps[4], SK_MEMINFO_VARS);
	nlh->nlmsg_len -= 8;
	watch_limited_classify(nlh, &lc);
	CHECK_INT(t, lc.rcv, 1);
	CHECK_INT(t, lc.snd, 1);
}

/* A row per CPU: 600 CPUs make softnet_stat some 70 kB. */
static void many_cpus_all_counted(struct test_ctx *t)
{
	static const char row[] = "0000a000 00000001 00000002 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n";
	struct watch_host host;
	struct watch_obs obs = { 0 };
	size_t i, len = sizeof(row) - 1;
	char *text = malloc(600 * len + 1);
	int fd;

	CHECK(t, text);
	for (i = 0; i < 600; i++)
		memcpy(text + i * len, row, len);
	text[600 * len] = '\0';
	watch_tree(t);
	fixture_file(t, "proc/net/softnet_stat", text, 0444);
	free(text);
	fd = open(t->tmpdir, O_RDONLY | O_DIRECTORY);
	CHECK(t, fd >= 0);
	CHECK_INT(t, watch_observe(fd, &obs), 0);
	CHECK_INT(t, watch_read_host(fd, &host), 0);
	close(fd);
	CHECK_INT(t, host.ncpus, 600);
	CHECK_INT(t, obs.softnet_dropped, 600);
	CHECK_INT(t, obs.softnet_squeezed, 1200);
}

static void counters_from_fixture(struct test_ctx *t)
{
	struct watch_values vals;
	struct watch_host host;
	struct watch_obs obs = { 0 };
	int fd;

	watch_tree(t);
	counters_tree(t, 17);
	fd = open(t->tmpdir, O_RDONLY | O_DIRECTORY);
	CHECK(t, fd >= 0);
	CHECK_INT(t, watch_observe(fd, &obs), 0);
	CHECK_INT(t, watch_read_host(fd, &host), 0);
	watch_read_values(fd, &vals);
	close(fd);
	CHECK_INT(t, obs.listen_overflows, 17);
	CHECK_INT(t, obs.reasm_fails, 9);
	CHECK_INT(t, obs.reasm_timeout, 2);
	CHECK_INT(t, obs.in_segs, 2345);
	CHECK_INT(t, obs.out_segs, 12345);
	CHECK_INT(t, obs.retrans_segs, 67);
	CHECK_INT(t, obs.frag_memory, 4096);
	CHECK_INT(t, obs.softnet_dropped, 5);
	CHECK_INT(t, obs.softnet_squeezed, 17);
	CHECK_INT(t, obs.arp_entries, 5);
	CHECK_INT(t, obs.arp_table_fulls, 12);
	CHECK_INT(t, host.mem_bytes, GIB);
	CHECK_INT(t, host.ncpus, 2);
	CHECK_STR(t, vals.v[WK_TCP_RMEM], "4096 131072 6291456");
	CHECK_STR(t, vals.v[WK_SOMAXCONN], "4096");
	CHECK_STR(t, vals.v[WK_GC_THRESH3], "");
	CHECK_STR(t, vals.available_cc, "reno cubic");

	/* netstat unreadable once: ListenOverflows stays where it was */
	unlink(fixture_path(t, "proc/net/netstat"));
	obs.listen_overflows = 15;
	obs.reasm_fails = 0;
	fd = open(t->tmpdir, O_RDONLY | O_DIRECTORY);
	CHECK(t, fd >= 0);
	CHECK_INT(t, watch_observe(fd, &obs), 0);
	close(fd);
	CHECK_INT(t, obs.listen_overflows, 15);
	CHECK_INT(t, obs.reasm_fails, 9);
}

static bool file_has(const char *path, const char *needle)
{
	char text[8192];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;

	if (f)
		fclose(f);
	text[n] = '\0';
	return f && strstr(text, needle);
}

/* The state file is written after the line is logged: waits up to 5 s. */
static bool state_has(const char *path, const char *needle)
{
	struct timespec tick = { 0, 10 * 1000000 };
	int i;

	for (i = 0; i < 500 && !file_has(path, needle); i++)
		nanosleep(&tick, NULL);
	return file_has(path, needle);
}

/*
 * Moves ListenOverflows on every 40 ms until the daemon's stderr has
 * needle (at most 5 s).
 */
static bool overflow_until(struct test_ctx *t, unsigned int *count,
			   const char *needle)
{
	struct timespec tick = { 0, 40 * 1000000 };
	char err[512];
	int i;

	snprintf(err, sizeof(err), "%s/.stderr", t->tmpdir);
	for (i = 0; i < 125; i++) {
		*count += 10;
		counters_tree(t, *count);
		if (file_has(err, needle))
			return true;
		nanosleep(&tick, NULL);
	}
	return false;
}

/*
 * Makes the fixture tree and starts watch on tests/ostune-fake against it,
 * every 100 ms, with up to four more arguments (a NULL ends them); the
 * double writes what it applies into the tree. The state file is the
 * default one, under the tree: its path in state.
 */
static pid_t start_watch(struct test_ctx *t, char *state, size_t len,
			 const char *a, const char *b, const char *c,
			 const char *d)
{
	pid_t pid;

	watch_tree(t);
	snprintf(state, len, "%s/run/ostune/watch.json", t->tmpdir);
	setenv("OSTUNE_FAKE_SYSROOT", t->tmpdir, 1);
	pid = start_fake(t, "--sysroot", t->tmpdir, "watch", "--interval",
			 "100", a, b, c, d, NULL);
	unsetenv("OSTUNE_FAKE_SYSROOT");
	return pid;
}

/* Stops it with sig and collects what it printed and asked. */
static void stop_watch(struct test_ctx *t, struct cli_run *r, pid_t pid,
		       int sig)
{
	kill(pid, sig);
	finish_cli(t, r, pid);
}

static void daemon_raises_somaxconn_and_undoes_on_term(struct test_ctx *t)
{
	struct timespec tick = { 0, 100 * 1000000 };
	struct stat st;
	int i;
	char state[512];
	struct cli_run r;
	unsigned int count = 0;
	pid_t pid;

	pid = start_watch(t, state, sizeof(state), "--rules", "somaxconn",
			  "--lease", "3000");
	CHECK(t, overflow_until(t, &count, "change sysctl.net.core.somaxconn"));
	CHECK(t, file_has(fixture_path(t, "proc/sys/net/core/somaxconn"),
			  "8192"));
	CHECK(t, state_has(state, "\"name\":\"somaxconn\",\"state\":\"active\",\"changes\":1"));
	/* overflowing on for 8 intervals: past the hold, within the rate limit */
	for (i = 0; i < 8; i++) {
		count += 10;
		counters_tree(t, count);
		nanosleep(&tick, NULL);
	}
	/* it holds the original value: readable by root only */
	CHECK_INT(t, stat(state, &st), 0);
	CHECK_INT(t, st.st_mode & 0777, 0600);
	stop_watch(t, &r, pid, SIGTERM);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.err,
		       "ostune watch: started (rules somaxconn, interval 100 ms, lease 3000 ms, held)\n");
	CHECK_CONTAINS(t, r.err,
		       "ostune watch: somaxconn: listen queues overflowed: connections were dropped (");
	CHECK_CONTAINS(t, r.err,
		       "overflows): change sysctl.net.core.somaxconn from (4096) -> (8192)\n");
	CHECK_CONTAINS(t, r.err,
		       "ostune watch: summary: somaxconn: 1 change; sysctl.net.core.somaxconn 4096 -> 8192\n");
	CHECK_CONTAINS(t, r.err, "ostune watch: held changes undone\n");
	CHECK_CONTAINS(t, r.log, "open\nsession_open 3000\n");
	CHECK_CONTAINS(t, r.log, "apply sysctl.net.core.somaxconn=8192\n");
	/* the rate limit (10 s) held back a second change */
	CHECK(t, !strstr(r.log, "somaxconn=16384"));
	CHECK_CONTAINS(t, r.log, "session_close\nclose\n");
	CHECK(t, access(state, F_OK) != 0);
}

static void daemon_disables_a_rule_on_drift(struct test_ctx *t)
{
	char state[512];
	struct cli_run r;
	unsigned int count = 0;
	pid_t pid;

	pid = start_watch(t, state, sizeof(state), "--rules", "somaxconn",
			  NULL, NULL);
	CHECK(t, overflow_until(t, &count, "change sysctl.net.core.somaxconn"));
	/* the administrator's sysctl -w */
	fixture_file(t, "proc/sys/net/core/somaxconn", "5000\n", 0644);
	CHECK(t, overflow_until(t, &count, "rule disabled"));
	CHECK(t, state_has(state, "\"state\":\"disabled\""));
	stop_watch(t, &r, pid, SIGINT);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.err,
		       "ostune watch: somaxconn: sysctl.net.core.somaxconn changed by someone else (8192 -> 5000): rule disabled\n");
	CHECK_CONTAINS(t, r.err, "summary: somaxconn: 1 change, disabled;");
	/* the administrator's value stands */
	CHECK(t, file_has(fixture_path(t, "proc/sys/net/core/somaxconn"),
			  "5000"));
}

static void daemon_plan_changes_nothing(struct test_ctx *t)
{
	char state[512];
	struct cli_run r;
	unsigned int count = 0;
	pid_t pid;

	char own[512];

	snprintf(own, sizeof(own), "%s/plan.json", t->tmpdir);
	pid = start_watch(t, state, sizeof(state), "--plan", "--state", own,
			  NULL);
	CHECK(t, overflow_until(t, &count,
				"would change sysctl.net.core.somaxconn"));
	CHECK(t, state_has(own, "\"mode\":\"plan\""));
	/* the service's state file is not a dry run's to write */
	CHECK(t, access(state, F_OK) != 0);
	stop_watch(t, &r, pid, SIGTERM);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.err,
		       "would change sysctl.net.core.somaxconn from (4096) -> (8192)\n");
	CHECK_CONTAINS(t, r.err, "summary: somaxconn: 0 changes\n");
	/* the module never asked */
	CHECK_STR(t, r.log, "");
	CHECK(t, file_has(fixture_path(t, "proc/sys/net/core/somaxconn"),
			  "4096"));
}

static void daemon_kept_opens_no_session(struct test_ctx *t)
{
	char state[512];
	struct cli_run r;
	unsigned int count = 0;
	pid_t pid;

	pid = start_watch(t, state, sizeof(state), "--kept", "--rules",
			  "somaxconn,neigh", NULL);
	CHECK(t, overflow_until(t, &count, "change sysctl.net.core.somaxconn"));
	stop_watch(t, &r, pid, SIGTERM);
	CHECK_INT(t, r.status, 0);
	/* table order, whatever the order asked */
	CHECK_CONTAINS(t, r.err, "(rules neigh,somaxconn, interval 100 ms");
	CHECK_CONTAINS(t, r.err, "ostune watch: changes kept");
	CHECK_CONTAINS(t, r.log, "open\napply sysctl.net.core.somaxconn=8192\n");
	CHECK(t, !strstr(r.log, "session_"));
	CHECK(t, file_has(fixture_path(t, "proc/sys/net/core/somaxconn"),
			  "8192"));
}

static void bad_options_exit_2_and_touch_nothing(struct test_ctx *t)
{
	static const char *const bad[][3] = {
		{ "--rules", "tcp_buffers,nope", "no rule 'nope'" },
		{ "--rules", ",", "--rules names no rule" },
		{ "--interval", "99", "--interval wants milliseconds from 100 to 3600000, not '99'" },
		{ "--interval", "1s", "not '1s'" },
		{ "--lease", "50", "--lease wants milliseconds from 100 to 3600000, not '50'" },
		{ "--log", "file", "--log is stderr or syslog, not 'file'" },
		{ "--state", "", "--state wants a file name" },
		{ "--kept", "--plan", "--plan changes nothing, so --kept has nothing to keep" },
		{ "--plan", "extra", "unexpected argument 'extra'" },
	};
	struct cli_run r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run_fake(t, &r, "watch", bad[i][0], bad[i][1], NULL);
		CHECK_INT(t, r.status, 2);
		CHECK_CONTAINS(t, r.err, bad[i][2]);
		CHECK_CONTAINS(t, r.err, "Try 'ostune help watch'.");
		CHECK_STR(t, r.log, "");
	}
}

static void module_absent_is_exit_1(struct test_ctx *t)
{
	struct cli_run r;

	watch_tree(t);
	setenv("OSTUNE_FAKE_ABSENT", "1", 1);
	run_fake(t, &r, "--sysroot", t->tmpdir, "watch", "--state",
		 fixture_path(t, "w.json"), NULL);
	unsetenv("OSTUNE_FAKE_ABSENT");
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "ostune.ko is not loaded");
	CHECK(t, access(fixture_path(t, "w.json"), F_OK) != 0);
}

static void status_shows_the_daemon_and_its_rules(struct test_ctx *t)
{
	char text[512];
	struct cli_run r;
	json_t *doc, *watch;

	snprintf(text, sizeof(text),
		 "{\"pid\": %d, \"mode\": \"kept\", \"interval_ms\": 1000, "
		 "\"lease_ms\": 10000, \"started\": 1, \"rules\": ["
		 "{\"name\": \"tcp_buffers\", \"state\": \"active\", \"changes\": 2, \"knobs\": {}},"
		 "{\"name\": \"somaxconn\", \"state\": \"disabled\", \"changes\": 1, \"knobs\": {}}]}",
		 (int)getpid());
	fixture_file(t, "run/ostune/watch.json", text, 0644);
	run_fake(t, &r, "--sysroot", t->tmpdir, "status", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "held:    2 knobs\n");
	CHECK_CONTAINS(t, r.out, "watch:   pid ");
	CHECK_CONTAINS(t, r.out, ", kept, running\n"
		       "RULE         STATE     CHANGES\n"
		       "tcp_buffers  active    2\n"
		       "somaxconn    disabled  1\n");

	run_fake(t, &r, "--sysroot", t->tmpdir, "status", "--json", NULL);
	CHECK_INT(t, r.status, 0);
	doc = json_loads(r.out, 0, NULL);
	CHECK(t, doc);
	watch = json_object_get(doc, "watch");
	CHECK(t, json_is_true(json_object_get(watch, "live")));
	CHECK_INT(t, json_array_size(json_object_get(watch, "rules")), 2);
	json_decref(doc);

	/* a caller the module shows no values to sees none here either */
	snprintf(text, sizeof(text),
		 "{\"pid\": %d, \"mode\": \"kept\", \"rules\": ["
		 "{\"name\": \"somaxconn\", \"state\": \"active\", \"changes\": 1, "
		 "\"knobs\": {\"sysctl.net.core.somaxconn\": {\"first\": \"4096\", \"last\": \"8192\"}}}]}",
		 (int)getpid());
	fixture_file(t, "run/ostune/watch.json", text, 0600);
	run_fake(t, &r, "--sysroot", t->tmpdir, "status", "--json", NULL);
	CHECK_CONTAINS(t, r.out, "\"first\":\"4096\"");
	setenv("OSTUNE_FAKE_WITHHELD", "1", 1);
	run_fake(t, &r, "--sysroot", t->tmpdir, "status", "--json", NULL);
	unsetenv("OSTUNE_FAKE_WITHHELD");
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "\"values_withheld\":true");
	CHECK_CONTAINS(t, r.out, "\"name\":\"somaxconn\",\"state\":\"active\"");
	CHECK(t, !strstr(r.out, "4096") && !strstr(r.out, "8192"));

	/* a rule without a name or state: no watch section, no crash */
	snprintf(text, sizeof(text),
		 "{\"pid\": %d, \"mode\": \"kept\", \"rules\": [{\"changes\": 1}]}",
		 (int)getpid());
	fixture_file(t, "run/ostune/watch.json", text, 0600);
	run_fake(t, &r, "--sysroot", t->tmpdir, "status", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK(t, !strstr(r.out, "watch:"));

	/* held, but the module's session is pid 812's: not this daemon */
	snprintf(text, sizeof(text),
		 "{\"pid\": %d, \"mode\": \"held\", \"rules\": []}",
		 (int)getpid());
	fixture_file(t, "run/ostune/watch.json", text, 0644);
	run_fake(t, &r, "--sysroot", t->tmpdir, "status", NULL);
	CHECK_CONTAINS(t, r.out, ", held, not running (its state file is left from a daemon that died)\n");

	/* no state file: no watch line, null in JSON */
	unlink(fixture_path(t, "run/ostune/watch.json"));
	run_fake(t, &r, "--sysroot", t->tmpdir, "status", "--json", NULL);
	CHECK_CONTAINS(t, r.out, "\"watch\":null");
}

/* A state file whose lock another daemon holds is not shared. */
static void second_daemon_on_a_state_file_refused(struct test_ctx *t)
{
	struct cli_run r;
	char lock[512];
	int fd;

	watch_tree(t);
	fixture_dir(t, "run/ostune");
	snprintf(lock, sizeof(lock), "%s/run/ostune/watch.json.lock",
		 t->tmpdir);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	CHECK(t, fd >= 0);
	CHECK_INT(t, flock(fd, LOCK_EX | LOCK_NB), 0);
	setenv("OSTUNE_FAKE_SYSROOT", t->tmpdir, 1);
	run_fake(t, &r, "--sysroot", t->tmpdir, "watch", "--rules",
		 "somaxconn", NULL);
	unsetenv("OSTUNE_FAKE_SYSROOT");
	close(fd);
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "ostune: watch: another ostune watch uses the state file ");
	CHECK_CONTAINS(t, r.err, "/run/ostune/watch.json (");
	CHECK_STR(t, r.log, "");
	CHECK(t, access(fixture_path(t, "run/ostune/watch.json"), F_OK) != 0);
}

/* The real client writes the host's knobs, whatever tree was read. */
static void sysroot_without_plan_refused(struct test_ctx *t)
{
	struct cli_run r;

	watch_tree(t);
	run_ostune(t, &r, "--sysroot", t->tmpdir, "watch", "--rules",
		   "somaxconn", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "is read, but changes would go to this host's knobs: use --plan with it\n");
	CHECK(t, access(fixture_path(t, "run/ostune/watch.json"), F_OK) != 0);
}

SUITE(watch_suite, "watch",
      CASE(limits_follow_memory),
      CASE(tcp_buffers_grow_a_quarter_to_the_ceiling),
      CASE(congestion_switches_only_to_available),
      CASE(neigh_grows_on_overflow_or_near_full),
      CASE(ipfrag_raises_high_and_keeps_low_below),
      CASE(netdev_backlog_on_drops_budget_on_squeezes),
      CASE(somaxconn_doubles_on_overflows),
      CASE(hysteresis_and_rate_limit),
      CASE(at_limit_said_once_per_episode),
      CASE(counters_from_fixture),
      CASE(many_cpus_all_counted),
      CASE(sockdiag_messages_classified),
      CASE(daemon_raises_somaxconn_and_undoes_on_term),
      CASE(daemon_disables_a_rule_on_drift),
      CASE(daemon_plan_changes_nothing),
      CASE(daemon_kept_opens_no_session),
      CASE(bad_options_exit_2_and_touch_nothing),
      CASE(sysroot_without_plan_refused),
      CASE(second_daemon_on_a_state_file_refused),
      CASE(module_absent_is_exit_1),
      CASE(status_shows_the_daemon_and_its_rules));
