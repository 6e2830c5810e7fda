// SPDX-License-Identifier: GPL-2.0
/*
 * ostune VM-tier selftests of the nic class's queue knobs
 * (nic.<ifname>.rx<Q>.rps_cpus, .rx<Q>.rps_flow_cnt, .tx<Q>.xps_cpus).
 *
 * The VM has no NIC and lo has one queue of each kind, so the fixture
 * creates dummy devices (the kernel image's dummy.ko from
 * $OSTUNE_FIXTURES) over rtnetlink with two queues each: "otq0", and
 * "otq.1" for a dotted name, as a VLAN would have. Every check reads the
 * queue's own sysfs attribute, never only what the module says, and every
 * test deletes what it created.
 *
 * Options: -t SUBSTRING (repeatable) runs only matching tests, -l lists
 * them; $OSTUNE_TEST_FILTER is a comma-separated list of substrings.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "kselftest_harness.h"
#include "harness_checks.h"
#include "harness_filter.h"
#include "util.h"

#define DEV		"otq0"
#define DOTDEV		"otq.1"
#define NQUEUES		2
#define K_RPS		"nic." DEV ".rx1.rps_cpus"
#define K_FLOW		"nic." DEV ".rx0.rps_flow_cnt"
#define K_XPS		"nic." DEV ".tx1.xps_cpus"
#define K_DOT		"nic." DOTDEV ".rx0.rps_cpus"
#define K_SWAP		"sysctl.vm.swappiness"

/* ---- rtnetlink ------------------------------------------------------ */

static int rtnl_do(struct nlmsghdr *nlh)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	int ret;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	ret = mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID);
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 1;
	if (!ret && mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		ret = -1;
	if (!ret) {
		ret = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (ret >= 0)
			ret = mnl_cb_run(buf, ret, 1, mnl_socket_get_portid(nl),
					 NULL, NULL);
	}
	ret = ret < 0 ? -errno : 0;
	mnl_socket_close(nl);
	return ret;
}

static struct nlmsghdr *link_msg(char *buf, uint16_t type, uint16_t flags,
				 int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	return nlh;
}

/* A dummy device with queues rx and tx queues each. */
static int link_add(const char *name, unsigned int queues)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *info;

	nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, queues);
	mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, queues);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "dummy");
	mnl_attr_nest_end(nlh, info);
	return rtnl_do(nlh);
}

/* VLAN id on top of device link, named name. */
static int vlan_add(const char *name, const char *link, uint16_t id)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int ifindex = if_nametoindex(link);
	struct nlattr *info, *data;
	struct nlmsghdr *nlh;

	if (!ifindex)
		return -ENODEV;
	nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_LINK, ifindex);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vlan");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u16(nlh, IFLA_VLAN_ID, id);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return rtnl_do(nlh);
}

static int link_del(const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int ifindex = if_nametoindex(name);

	if (!ifindex)
		return -ENODEV;
	return rtnl_do(link_msg(buf, RTM_DELLINK, 0, ifindex));
}

/* One attribute of device name changed. */
static int link_set(const char *name, uint16_t type, const void *data,
		    size_t len)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int ifindex = if_nametoindex(name);
	struct nlmsghdr *nlh;

	if (!ifindex)
		return -ENODEV;
	nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	mnl_attr_put(nlh, type, len, data);
	return rtnl_do(nlh);
}

static int link_rename(const char *name, const char *to)
{
	return link_set(name, IFLA_IFNAME, to, strlen(to) + 1);
}

/* Into the network namespace of process pid. */
static int link_to_netns(const char *name, pid_t pid)
{
	uint32_t v = pid;

	return link_set(name, IFLA_NET_NS_PID, &v, sizeof(v));
}

/*
 * A child in a network namespace of its own, with a dummy device named
 * name there when name is not NULL; waits to be killed. Its pid, or
 * -errno.
 */
static pid_t netns_child(const char *name)
{
	int pfd[2];
	char res;
	pid_t pid;

	if (pipe(pfd))
		return -errno;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		close(pfd[0]);
		res = unshare(CLONE_NEWNET) ? errno :
		      name ? -link_add(name, NQUEUES) : 0;
		if (write(pfd[1], &res, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	if (read(pfd[0], &res, 1) != 1)
		res = EIO;
	close(pfd[0]);
	if (res) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -res;
	}
	return pid;
}

/* ---- the queues' sysfs attributes ---------------------------------- */

static void attr_path(char *p, size_t len, const char *dev, const char *q,
		      const char *attr)
{
	snprintf(p, len, "/sys/class/net/%s/queues/%s/%s", dev, q, attr);
}

/* A mask ("00000000,00000003") or count as a number; -1 if unreadable. */
static long attr_get(const char *dev, const char *q, const char *attr)
{
	char p[128], v[VALBUF], digits[VALBUF];
	size_t i, n = 0;
	bool hex = strcmp(attr, "rps_flow_cnt");

	attr_path(p, sizeof(p), dev, q, attr);
	if (file_read(p, v, sizeof(v)))
		return -1;
	for (i = 0; v[i] && n + 1 < sizeof(digits); i++)
		if (v[i] != ',')
			digits[n++] = v[i];
	digits[n] = '\0';
	return strtol(digits, NULL, hex ? 16 : 10);
}

static int attr_set(const char *dev, const char *q, const char *attr,
		    const char *val)
{
	char p[128];

	attr_path(p, sizeof(p), dev, q, attr);
	return file_write(p, val);
}

/* Every RPS/XPS attribute of dev, for "nothing changed". */
static void dev_state(const char *dev, char *buf, size_t len)
{
	static const char *const attrs[][2] = {
		{ "rx-0", "rps_cpus" }, { "rx-1", "rps_cpus" },
		{ "rx-0", "rps_flow_cnt" }, { "rx-1", "rps_flow_cnt" },
		{ "tx-0", "xps_cpus" }, { "tx-1", "xps_cpus" },
	};
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(attrs) && off < len; i++)
		off += snprintf(buf + off, len - off, "%s/%s=%ld ", attrs[i][0],
				attrs[i][1], attr_get(dev, attrs[i][0], attrs[i][1]));
}

/* Polls until dev's attribute reads want; 0 when it does. */
static int wait_attr(const char *dev, const char *q, const char *attr,
		     long want, unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	while (attr_get(dev, q, attr) != want) {
		if (now_ms() > end)
			return -ETIMEDOUT;
		sleep_ms(20);
	}
	return 0;
}

/* ---- fixture -------------------------------------------------------- */

FIXTURE(nic) {
	struct ostune_client c;
	struct ostune_client ev;
	bool ev_open;
	struct owner own;
	pid_t child;
	int kmsg;
	pid_t pid;
	char comm[OSTUNE_COMM_MAX];
	struct snap before;
	char dev0[512], dev1[512];	/* dev_state() of DEV and DOTDEV */
};

#define ASSERT_DEVS_UNCHANGED() do {					\
	char __s[512];							\
	dev_state(DEV, __s, sizeof(__s));				\
	ASSERT_STREQ(self->dev0, __s);					\
	dev_state(DOTDEV, __s, sizeof(__s));				\
	ASSERT_STREQ(self->dev1, __s);					\
	ASSERT_UNCHANGED();						\
} while (0)

#define ASSERT_ATTR(dev, q, attr, want)					\
	ASSERT_EQ((long)(want), attr_get(dev, q, attr))			\
		TH_LOG("%s %s/%s", dev, q, attr)

#define ASSERT_MOD(k, want) do {					\
	char __v[VALBUF];						\
	OK(&self->c, getk(&self->c, k, __v, sizeof(__v)));		\
	ASSERT_STREQ(want, __v);					\
} while (0)

#define SUBSCRIBE_EV() do {						\
	ASSERT_EQ(0, ostune_client_open(&self->ev));			\
	self->ev_open = true;						\
	ASSERT_EQ(0, ostune_subscribe_events(&self->ev));		\
} while (0)

static void devs_remove(void)
{
	static const char *const names[] = { DEV ".100", DEV, DOTDEV, "otq9", "otqns" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (if_nametoindex(names[i]))
			link_del(names[i]);
}

FIXTURE_SETUP(nic)
{
	int ret;

	self->own.pid = -1;
	self->child = -1;
	self->kmsg = -1;
	ret = mod_ensure_loaded();
	ASSERT_EQ(0, ret) TH_LOG("ostune is not loaded: %s", errname(ret));
	ret = module_present("dummy") ? 0 : fixture_load("dummy", NULL);
	ASSERT_EQ(0, ret) TH_LOG("cannot load dummy.ko from $OSTUNE_FIXTURES: %s",
				 errname(ret));
	devs_remove();
	ret = link_add(DEV, NQUEUES);
	ASSERT_EQ(0, ret) TH_LOG("creating %s: %s", DEV, errname(ret));
	ret = link_add(DOTDEV, NQUEUES);
	ASSERT_EQ(0, ret) TH_LOG("creating %s: %s", DOTDEV, errname(ret));
	ret = ostune_client_open(&self->c);
	ASSERT_EQ(0, ret) TH_LOG("ostune_client_open: %s", errname(ret));
	snap_take(&self->before);
	dev_state(DEV, self->dev0, sizeof(self->dev0));
	dev_state(DOTDEV, self->dev1, sizeof(self->dev1));
	self->pid = getpid();
	self_comm(self->comm, sizeof(self->comm));
}

FIXTURE_TEARDOWN(nic)
{
	if (self->child > 0) {
		kill(self->child, SIGKILL);
		waitpid(self->child, NULL, 0);
	}
	owner_kill(&self->own);
	if (self->ev_open)
		ostune_client_close(&self->ev);
	ostune_client_close(&self->c);
	if (self->kmsg >= 0)
		close(self->kmsg);
	if (mod_ensure_loaded())
		TH_LOG("teardown: cannot load the module again");
	cleanup_restore_all();
	devs_remove();
}

/* ---- apply and read back -------------------------------------------- */

TEST_F(nic, rps_cpus_apply_read_restore)
{
	struct ostune_status st;

	ASSERT_ATTR(DEV, "rx-1", "rps_cpus", 0);
	ASSERT_MOD(K_RPS, "none");
	OK(&self->c, apply1(&self->c, K_RPS, "1"));
	ASSERT_ATTR(DEV, "rx-1", "rps_cpus", 2);
	ASSERT_ATTR(DEV, "rx-0", "rps_cpus", 0);
	ASSERT_MOD(K_RPS, "1");
	OK(&self->c, apply1(&self->c, K_RPS, "0-1"));
	ASSERT_ATTR(DEV, "rx-1", "rps_cpus", 3);
	ASSERT_MOD(K_RPS, "0-1");
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1U, st.nheld);
	EXPECT_STREQ(K_RPS, st.held[0].name);
	EXPECT_STREQ("none", st.held[0].original);
	EXPECT_STREQ("0-1", st.held[0].last_written);
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_DEVS_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* An admin's mask is the original, and "none" takes RPS away. */
TEST_F(nic, rps_cpus_none_and_back_to_admin_mask)
{
	ASSERT_EQ(0, attr_set(DEV, "rx-0", "rps_cpus", "1"));
	ASSERT_MOD("nic." DEV ".rx0.rps_cpus", "0");
	OK(&self->c, apply1(&self->c, "nic." DEV ".rx0.rps_cpus", "none"));
	ASSERT_ATTR(DEV, "rx-0", "rps_cpus", 0);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_ATTR(DEV, "rx-0", "rps_cpus", 1);
	ASSERT_EQ(0, attr_set(DEV, "rx-0", "rps_cpus", "0"));
	ASSERT_DEVS_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* The kernel rounds a flow count up to a power of two: that is read back. */
TEST_F(nic, rps_flow_cnt_rounded_read_back)
{
	struct ostune_status st;

	OK(&self->c, apply1(&self->c, K_FLOW, "100"));
	ASSERT_ATTR(DEV, "rx-0", "rps_flow_cnt", 128);
	ASSERT_MOD(K_FLOW, "128");
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1U, st.nheld);
	EXPECT_STREQ("0", st.held[0].original);
	EXPECT_STREQ("128", st.held[0].current);
	EXPECT_EQ(0U, st.held[0].flags & OSTUNE_KNOB_F_DRIFT)
		TH_LOG("the rounded value counts as drift");
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_DEVS_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(nic, xps_cpus_apply_restore)
{
	OK(&self->c, apply1(&self->c, K_XPS, "0-1"));
	ASSERT_ATTR(DEV, "tx-1", "xps_cpus", 3);
	ASSERT_MOD(K_XPS, "0-1");
	OK(&self->c, apply1(&self->c, K_XPS, "1"));
	ASSERT_ATTR(DEV, "tx-1", "xps_cpus", 2);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_DEVS_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* "otq.1": the name is read from the right. */
TEST_F(nic, dotted_interface_name)
{
	struct ostune_kv kv[] = {
		{ K_DOT, "0" },
		{ "nic." DOTDEV ".tx0.xps_cpus", "1" },
		{ "nic." DOTDEV ".rx1.rps_flow_cnt", "64" },
	};

	OK(&self->c, ostune_apply(&self->c, kv, ARRAY_SIZE(kv), NULL));
	ASSERT_ATTR(DOTDEV, "rx-0", "rps_cpus", 1);
	ASSERT_ATTR(DOTDEV, "tx-0", "xps_cpus", 2);
	ASSERT_ATTR(DOTDEV, "rx-1", "rps_flow_cnt", 64);
	ASSERT_MOD(K_DOT, "0");
	{
		char s[512];

		dev_state(DEV, s, sizeof(s));
		ASSERT_STREQ(self->dev0, s);
	}
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_DEVS_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/*
 * The module unloads without a warning: its exit WARNs when a device
 * record is left (a knob's file never closed), which kmemleak alone
 * would see otherwise.
 */
static void unloads_clean(struct __test_metadata *_metadata,
			  FIXTURE_DATA(nic) *self)
{
	char line[512];
	int r = mod_unload();

	ASSERT_EQ(0, r) TH_LOG("rmmod ostune: %s", errname(r));
	EXPECT_EQ(0, kmsg_find(self->kmsg, "WARNING", line, sizeof(line), 500))
		TH_LOG("kernel log: %s", line);
	RELOAD();
}

/* K_RPS takes a value and gives it back, as before whatever happened. */
static void still_a_knob(struct __test_metadata *_metadata,
			 FIXTURE_DATA(nic) *self)
{
	OK(&self->c, apply1(&self->c, K_RPS, "0"));
	ASSERT_ATTR(DEV, "rx-1", "rps_cpus", 1);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_DEVS_UNCHANGED();
}

/* The modules a VLAN needs, in the order they depend on each other. */
static int vlan_modules(void)
{
	static const char *const mods[] = { "llc", "stp", "garp", "mrp", "8021q" };
	size_t i;
	int r = 0;

	for (i = 0; i < ARRAY_SIZE(mods) && !r; i++)
		r = module_present(mods[i]) ? 0 : fixture_load(mods[i], NULL);
	return r;
}

/*
 * A real VLAN, "otq0.100" on otq0: its dotted name, and its knobs let go
 * when deleting otq0 takes the VLAN with it.
 */
TEST_F(nic, vlan_dotted_name)
{
	const char *k = "nic." DEV ".100.rx0.rps_cpus";
	int r = vlan_modules();

	if (r)
		SKIP(return, "no 8021q.ko in $OSTUNE_FIXTURES: %s", errname(r));
	r = vlan_add(DEV ".100", DEV, 100);
	ASSERT_EQ(0, r) TH_LOG("creating the VLAN: %s", errname(r));
	OK(&self->c, apply1(&self->c, k, "1"));
	ASSERT_ATTR(DEV ".100", "rx-0", "rps_cpus", 2);
	ASSERT_ATTR(DEV, "rx-0", "rps_cpus", 0);
	ASSERT_MOD(k, "1");
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_ATTR(DEV ".100", "rx-0", "rps_cpus", 0);
	ASSERT_IDLE(&self->c);

	OK(&self->c, apply1(&self->c, k, "0-1"));
	SUBSCRIBE_EV();
	ASSERT_EQ(0, link_del(DEV));
	ASSERT_EQ(0U, if_nametoindex(DEV ".100"));
	{
		struct ostune_event ev[4];
		int got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 1, 3000);

		EXPECT_TRUE(event_find(ev, got, k, OSTUNE_REASON_GONE) != NULL)
			TH_LOG("no 'gone' event for %s", k);
	}
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_IDLE(&self->c);
	ASSERT_EQ(0, link_add(DEV, NQUEUES));
	ASSERT_DEVS_UNCHANGED();
}

/* ---- every restore path ---------------------------------------------- */

static const struct ostune_kv three[] = {
	{ K_RPS, "1" }, { K_FLOW, "256" }, { K_XPS, "0" },
};

static void check_three(struct __test_metadata *_metadata)
{
	ASSERT_ATTR(DEV, "rx-1", "rps_cpus", 2);
	ASSERT_ATTR(DEV, "rx-0", "rps_flow_cnt", 256);
	ASSERT_ATTR(DEV, "tx-1", "xps_cpus", 1);
}

static void count_events(struct __test_metadata *_metadata,
			 struct ostune_client *ev, uint32_t reason)
{
	struct ostune_event e[8];
	int got, i;

	got = events_collect(ev, e, ARRAY_SIZE(e), 6, 3000);
	for (i = 0; i < 3; i++)
		EXPECT_TRUE(event_find(e, got, three[i].name, reason) != NULL)
			TH_LOG("no %s event for %s", ostune_reason_name(reason),
			       three[i].name);
}

TEST_F(nic, path_restore_request)
{
	SUBSCRIBE_EV();
	OK(&self->c, ostune_apply(&self->c, three, 3, NULL));
	check_three(_metadata);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_DEVS_UNCHANGED();
	count_events(_metadata, &self->ev, OSTUNE_REASON_REQUEST);
	ASSERT_IDLE(&self->c);
}

TEST_F(nic, path_session_close)
{
	SUBSCRIBE_EV();
	OK(&self->c, ostune_session_open(&self->c, 10000));
	OK(&self->c, ostune_apply(&self->c, three, 3, NULL));
	check_three(_metadata);
	OK(&self->c, ostune_session_close(&self->c));
	ASSERT_DEVS_UNCHANGED();
	count_events(_metadata, &self->ev, OSTUNE_REASON_SESSION_CLOSE);
	ASSERT_IDLE(&self->c);
}

TEST_F(nic, path_owner_kill9)
{
	int ret;

	SUBSCRIBE_EV();
	ret = owner_start(&self->own, 10000, three, 3, true);
	ASSERT_EQ(0, ret) TH_LOG("owner child: %s", errname(ret));
	check_three(_metadata);
	owner_kill(&self->own);
	ASSERT_DEVS_UNCHANGED();
	count_events(_metadata, &self->ev, OSTUNE_REASON_SOCKET_CLOSE);
	ASSERT_IDLE(&self->c);
}

/* The owner never sends a heartbeat: its 300 ms lease runs out. */
TEST_F_TIMEOUT(nic, path_watchdog, 60)
{
	int ret;

	SUBSCRIBE_EV();
	ret = owner_start(&self->own, 300, three, 3, true);
	ASSERT_EQ(0, ret) TH_LOG("owner child: %s", errname(ret));
	ASSERT_EQ(0, wait_attr(DEV, "rx-1", "rps_cpus", 0, 5000))
		TH_LOG("not restored 5 s after a 300 ms lease");
	ASSERT_EQ(0, wait_no_session(3000));
	ASSERT_DEVS_UNCHANGED();
	count_events(_metadata, &self->ev, OSTUNE_REASON_WATCHDOG);
	ASSERT_IDLE(&self->c);
}

TEST_F_TIMEOUT(nic, path_rmmod, 60)
{
	char want[256], line[512];
	int r;

	ASSERT_TRUE(getenv("OSTUNE_KO") != NULL) TH_LOG("OSTUNE_KO is not set");
	OK(&self->c, ostune_apply(&self->c, three, 3, NULL));
	check_three(_metadata);
	KMSG();
	r = mod_unload();
	ASSERT_EQ(0, r) TH_LOG("rmmod ostune: %s", errname(r));
	ASSERT_DEVS_UNCHANGED();
	snprintf(want, sizeof(want), "%s: 1 -> none (pid %d %s, restore: unload)",
		 K_RPS, self->pid, self->comm);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 1000))
		TH_LOG("no kernel log line '%s'", want);
	RELOAD();
	ASSERT_IDLE(&self->c);
	still_a_knob(_metadata, self);
}

/* ---- refusals: errno, extack, nothing changed ------------------------- */

TEST_F(nic, bad_values_change_nothing)
{
	static const struct { const char *name, *value, *why; int err; } bad[] = {
		{ K_RPS, "2", "absent", EINVAL },
		{ K_RPS, "0-7", "absent", EINVAL },
		{ K_RPS, "4096", "", EINVAL },
		{ K_RPS, "x", "not a CPU list", EINVAL },
		{ K_RPS, "", "", EINVAL },
		{ K_RPS, "1-0", "not a CPU list", EINVAL },
		{ K_RPS, "ff", "not a CPU list", EINVAL },
		{ K_XPS, "2", "absent", EINVAL },
		{ K_XPS, "none ", "", EINVAL },
		{ K_FLOW, "-1", "not a decimal count", EINVAL },
		{ K_FLOW, "010", "not a decimal count", EINVAL },
		{ K_FLOW, "0x10", "not a decimal count", EINVAL },
		{ K_FLOW, "12k", "not a decimal count", EINVAL },
		{ K_FLOW, "+8", "not a decimal count", EINVAL },
		{ K_FLOW, "8 ", "not a decimal count", EINVAL },
		{ K_FLOW, "1048577", "outside 0..1048576", ERANGE },
		{ K_FLOW, "99999999999", "outside 0..1048576", ERANGE },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct ostune_kv kv[2] = { { K_SWAP, "33" },
					   { bad[i].name, bad[i].value } };
		int r = ostune_apply(&self->c, kv, 2, NULL);

		EXPECT_EQ(-bad[i].err, r) TH_LOG("%s='%s': %s, extack '%s'",
						 bad[i].name, bad[i].value,
						 errname(r), self->c.err_msg);
		EXPECT_TRUE(has(self->c.err_msg, "entry 2") &&
			    has(self->c.err_msg, bad[i].name) &&
			    has(self->c.err_msg, bad[i].why))
			TH_LOG("%s='%s': extack '%s'", bad[i].name, bad[i].value,
			       self->c.err_msg);
		if (!r)
			ostune_restore(&self->c, NULL, 0);
		ASSERT_DEVS_UNCHANGED();
	}
	ASSERT_IDLE(&self->c);
}

TEST_F(nic, bad_names_einval)
{
	static const char *const bad[] = {
		"nic." DEV ".rx0.rps_cpu", "nic." DEV ".tx0.rps_cpus",
		"nic." DEV ".rx0.xps_cpus", "nic." DEV ".rx01.rps_cpus",
		"nic." DEV ".rx.rps_cpus", "nic." DEV ".rps_cpus",
		"nic.rx0.rps_cpus", "nic..rx0.rps_cpus",
		"nic.0123456789abcdef.rx0.rps_cpus", "nic.a/b.rx0.rps_cpus",
		"nic.a b.rx0.rps_cpus", "nic." DEV,
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		CHECK_ERR(&self->c, apply1(&self->c, bad[i], "0"), EINVAL,
			  "bad nic name");
	ASSERT_DEVS_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(nic, unknown_queue_or_device_enoent)
{
	char sub[96];
	pid_t pid;

	CHECK_ERR(&self->c, apply1(&self->c, "nic." DEV ".rx2.rps_cpus", "0"),
		  ENOENT, "otq0 has no rx queue 2 (it has 2)");
	CHECK_ERR(&self->c, apply1(&self->c, "nic." DEV ".tx7.xps_cpus", "0"),
		  ENOENT, "no tx queue 7");
	CHECK_ERR(&self->c, apply1(&self->c, "nic.otqX.rx0.rps_cpus", "0"),
		  ENOENT, "no network device otqX");
	/* lo has one tx queue: the kernel shows no XPS map for it */
	CHECK_ERR(&self->c, apply1(&self->c, "nic.lo.tx0.xps_cpus", "0"),
		  ENOENT, "one tx queue");
	/* a device of another network namespace is not there for the module */
	pid = netns_child("otqns");
	ASSERT_LT(0, pid) TH_LOG("netns child: %s", errname(pid));
	self->child = pid;
	snprintf(sub, sizeof(sub), "no network device otqns");
	CHECK_ERR(&self->c, apply1(&self->c, "nic.otqns.rx0.rps_cpus", "0"),
		  ENOENT, sub);
	ASSERT_DEVS_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* The same name in another namespace: the module writes init_net's. */
TEST_F(nic, same_name_in_other_netns_untouched)
{
	pid_t pid = netns_child(DEV);

	ASSERT_LT(0, pid) TH_LOG("netns child: %s", errname(pid));
	self->child = pid;
	OK(&self->c, apply1(&self->c, K_RPS, "1"));
	ASSERT_ATTR(DEV, "rx-1", "rps_cpus", 2);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_DEVS_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ---- admin changes win ------------------------------------------------ */

TEST_F(nic, drift_left_alone)
{
	struct ostune_event ev[4];
	const struct ostune_event *e;
	struct ostune_status st;
	int got;

	OK(&self->c, apply1(&self->c, K_RPS, "1"));
	ASSERT_EQ(0, attr_set(DEV, "rx-1", "rps_cpus", "3"));
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1U, st.nheld);
	EXPECT_STREQ("0-1", st.held[0].current);
	EXPECT_TRUE(st.held[0].flags & OSTUNE_KNOB_F_DRIFT);
	ostune_status_free(&st);
	SUBSCRIBE_EV();
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_ATTR(DEV, "rx-1", "rps_cpus", 3);
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 1, 2000);
	e = event_find(ev, got, K_RPS, OSTUNE_REASON_REQUEST);
	ASSERT_TRUE(e != NULL);
	EXPECT_TRUE(e->flags & OSTUNE_KNOB_F_EXTERNAL);
	EXPECT_STREQ("0-1", e->value);
	ASSERT_IDLE(&self->c);
	ASSERT_EQ(0, attr_set(DEV, "rx-1", "rps_cpus", "0"));
	ASSERT_DEVS_UNCHANGED();
}

/* ---- the device goes away while held ----------------------------------- */

/*
 * The held knobs of a device that went away are let go at once, with a
 * log line and a "gone" event each, and nothing is written anywhere.
 */
static void check_gone(struct __test_metadata *_metadata,
		       FIXTURE_DATA(nic) *self, const char *what)
{
	struct ostune_event ev[4];
	const struct ostune_event *e;
	char want[128], line[512];
	uint64_t end = now_ms() + 3000;
	struct ostune_status st;
	int got;

	snprintf(want, sizeof(want), "nic: %s %s", DEV, what);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 2000))
		TH_LOG("no kernel log line '%s'", want);
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 2, 3000);
	e = event_find(ev, got, K_RPS, OSTUNE_REASON_GONE);
	ASSERT_TRUE(e != NULL) TH_LOG("no 'gone' event for %s (%d events)", K_RPS,
				      got);
	EXPECT_TRUE(e->flags & OSTUNE_KNOB_F_GONE);
	EXPECT_TRUE(event_find(ev, got, K_XPS, OSTUNE_REASON_GONE) != NULL);
	for (;;) {
		OK(&self->c, ostune_get_status(&self->c, &st));
		got = st.nheld;
		ostune_status_free(&st);
		if (!got || now_ms() > end)
			break;
		sleep_ms(20);
	}
	EXPECT_EQ(0, got) TH_LOG("still held after the device went");
}

TEST_F(nic, device_deleted_while_held)
{
	struct ostune_kv kv[] = { { K_RPS, "1" }, { K_XPS, "1" } };

	OK(&self->c, ostune_apply(&self->c, kv, 2, NULL));
	SUBSCRIBE_EV();
	KMSG();
	ASSERT_EQ(0, link_del(DEV));
	check_gone(_metadata, self, "was unregistered");
	/* a new device takes the name: the restore leaves it alone */
	ASSERT_EQ(0, link_add(DEV, NQUEUES));
	ASSERT_EQ(0, attr_set(DEV, "rx-1", "rps_cpus", "1"));
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_ATTR(DEV, "rx-1", "rps_cpus", 1);
	ASSERT_ATTR(DEV, "tx-1", "xps_cpus", 0);
	ASSERT_EQ(0, attr_set(DEV, "rx-1", "rps_cpus", "0"));
	ASSERT_DEVS_UNCHANGED();
	ASSERT_IDLE(&self->c);
	unloads_clean(_metadata, self);
	/* and is an ordinary knob */
	still_a_knob(_metadata, self);
}

TEST_F(nic, device_renamed_while_held)
{
	struct ostune_kv kv[] = { { K_RPS, "1" }, { K_XPS, "1" } };

	OK(&self->c, ostune_apply(&self->c, kv, 2, NULL));
	SUBSCRIBE_EV();
	KMSG();
	ASSERT_EQ(0, link_rename(DEV, "otq9"));
	check_gone(_metadata, self, "was renamed (now otq9)");
	ASSERT_EQ(0, link_add(DEV, NQUEUES));
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	/* neither the renamed device nor the new one is written */
	ASSERT_ATTR("otq9", "rx-1", "rps_cpus", 2);
	ASSERT_ATTR("otq9", "tx-1", "xps_cpus", 2);
	ASSERT_ATTR(DEV, "rx-1", "rps_cpus", 0);
	ASSERT_DEVS_UNCHANGED();
	ASSERT_IDLE(&self->c);
	/* the name back on the old device: another record, still nothing held */
	ASSERT_EQ(0, link_del(DEV));
	ASSERT_EQ(0, link_rename("otq9", DEV));
	ASSERT_IDLE(&self->c);
	unloads_clean(_metadata, self);
}

TEST_F(nic, device_moved_to_netns_while_held)
{
	struct ostune_kv kv[] = { { K_RPS, "1" }, { K_XPS, "1" } };
	pid_t pid;

	pid = netns_child(NULL);
	ASSERT_LT(0, pid) TH_LOG("netns child: %s", errname(pid));
	self->child = pid;
	OK(&self->c, ostune_apply(&self->c, kv, 2, NULL));
	SUBSCRIBE_EV();
	KMSG();
	ASSERT_EQ(0, link_to_netns(DEV, pid));
	ASSERT_EQ(0U, if_nametoindex(DEV));
	check_gone(_metadata, self, "was unregistered or left");
	ASSERT_EQ(0, link_add(DEV, NQUEUES));
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_DEVS_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ---- the CLI ------------------------------------------------------------ */

/* Discovery on the live host, a pattern over the queues, and a set by it. */
TEST_F(nic, cli_knobs_and_pattern)
{
	char out[16384], err[4096], *line;

	NEED_CLI();
	ASSERT_EQ(0, CLI("knobs", "nic." DEV ".rx*.rps_cpus")) TH_LOG("stderr: %s", err);
	line = strstr(out, "nic." DEV ".rx1.rps_cpus");
	ASSERT_NE(NULL, line) TH_LOG("knobs: %s", out);
	line[strcspn(line, "\n")] = '\0';
	EXPECT_TRUE(has(line, "none") && has(line, "rx 0-1, tx 0-1"))
		TH_LOG("line: %s", line);
	EXPECT_TRUE(has(out, "nic." DEV ".rx0.rps_cpus")) TH_LOG("knobs: %s", out);
	EXPECT_FALSE(has(out, "rps_flow_cnt")) TH_LOG("knobs: %s", out);
	ASSERT_EQ(0, CLI("knobs", "nic." DOTDEV ".tx*.xps_cpus")) TH_LOG("stderr: %s", err);
	EXPECT_TRUE(has(out, "nic." DOTDEV ".tx1.xps_cpus")) TH_LOG("knobs: %s", out);
	/* lo has one tx queue: no XPS knob to list */
	ASSERT_EQ(0, CLI("knobs", "nic.lo.*.*")) TH_LOG("stderr: %s", err);
	EXPECT_TRUE(has(out, "nic.lo.rx0.rps_cpus")) TH_LOG("knobs: %s", out);
	EXPECT_FALSE(has(out, "xps_cpus")) TH_LOG("knobs: %s", out);

	ASSERT_EQ(0, CLI("set", "nic." DEV ".rx*.rps_cpus=1")) TH_LOG("stderr: %s", err);
	ASSERT_ATTR(DEV, "rx-0", "rps_cpus", 2);
	ASSERT_ATTR(DEV, "rx-1", "rps_cpus", 2);
	ASSERT_EQ(0, CLI("restore")) TH_LOG("stderr: %s", err);
	ASSERT_DEVS_UNCHANGED();
	/* refused by the module: its message, nothing changed */
	EXPECT_NE(0, CLI("set", "nic." DEV ".rx0.rps_cpus=7"));
	EXPECT_TRUE(has(err, "absent")) TH_LOG("stderr: %s", err);
	ASSERT_DEVS_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ---- with the older classes ----------------------------------------- */

TEST_F(nic, mixed_transaction_all_or_nothing)
{
	char swap[VALBUF];
	struct ostune_kv kv[] = {
		{ K_SWAP, "" }, { K_RPS, "1" }, { "sched.nr_migrate", "7" },
		{ K_DOT, "0-1" },
	};
	struct ostune_kv badnic[] = { kv[0], kv[1], { K_FLOW, "x" } };
	struct ostune_kv badsys[] = { kv[1], kv[3], { K_SWAP, "x" } };

	ASSERT_EQ(0, knob_read(K_SWAP, swap, sizeof(swap)));
	kv[0].value = strcmp(swap, "17") ? "17" : "18";
	badnic[0] = kv[0];
	if (!knob_exists("sched.nr_migrate"))
		kv[2] = (struct ostune_kv){ "sched.migration_cost_ns", "600000" };

	CHECK_ERR(&self->c, ostune_apply(&self->c, badnic, 3, NULL), EINVAL,
		  "entry 3 (" K_FLOW ")");
	ASSERT_DEVS_UNCHANGED();
	CHECK_ERR(&self->c, ostune_apply(&self->c, badsys, 3, NULL), EINVAL,
		  "entry 3 (" K_SWAP ")");
	ASSERT_DEVS_UNCHANGED();
	ASSERT_IDLE(&self->c);

	OK(&self->c, ostune_apply(&self->c, kv, ARRAY_SIZE(kv), NULL));
	ASSERT_ATTR(DEV, "rx-1", "rps_cpus", 2);
	ASSERT_ATTR(DOTDEV, "rx-0", "rps_cpus", 3);
	{
		char v[VALBUF];

		ASSERT_EQ(0, knob_read(K_SWAP, v, sizeof(v)));
		ASSERT_STREQ(kv[0].value, v);
	}
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_DEVS_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

int main(int argc, char **argv)
{
	struct harness_filter filter;
	int ret;

	ret = harness_filter_setup(&filter, argc, argv);
	if (ret >= 0)
		return ret;
	/* the debug tier's kernel has no dummy driver: nothing to test on */
	ret = module_present("dummy") ? 0 : fixture_load("dummy", NULL);
	if (ret && (ret = link_add(DEV, NQUEUES)) == 0)
		link_del(DEV);
	if (ret) {
		printf("TAP version 13\n1..1\nok 1 # SKIP no dummy network device in this kernel (dummy.ko: %s)\n",
		       strerror(-ret));
		return 0;
	}
	mod_ensure_loaded();
	wait_no_session(3000);
	cleanup_restore_all();
	return test_harness_run(argc, argv);
}

HARNESS_CONSTRUCTOR_ORDER()
