// SPDX-License-Identifier: GPL-2.0
/*
 * ostune VM-tier selftests of the nic class's coalescing and ring knobs
 * (nic.<ifname>.rx_usecs, rx_ring, tx_ring, ...), on the two e1000e NICs
 * that tests/vm/run.sh gives the boots running run/niccoal.sh, joined on
 * one QEMU hub. The first (A) stays in the initial namespace and is the
 * one tuned; the second (B) is moved into a network namespace of its own,
 * so traffic between the namespaces crosses both emulated NICs and their
 * interrupts. Every value is checked with Debian's ethtool, never only
 * with what the module says.
 *
 * Options: -t SUBSTRING (repeatable) runs only matching tests, -l lists
 * them; $OSTUNE_TEST_FILTER is a comma-separated list of substrings.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <pty.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "harness_checks.h"
#include "harness_filter.h"
#include "util.h"

#define ADDR_A		"10.99.0.1"
#define ADDR_B		"10.99.0.2"
#define UDP_PORT	9
#define K_SWAP		"sysctl.vm.swappiness"

/* The two NICs' names, and the namespace B lives in. */
static char nic_a[IF_NAMESIZE], nic_b[IF_NAMESIZE];
static pid_t netns_pid = -1;
static char k_usecs[64], k_rxring[64], k_txring[64];

/* ---- the lab ---------------------------------------------------------- */

/* sh -c cmd; 0 when it exits 0. */
static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) && !WEXITSTATUS(st) ? 0 : -1;
}

/* The PCI address of ifname's device ("0000:00:03.0"), or "". */
static void nic_pci(const char *ifname, char *buf, size_t len)
{
	char path[128], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/class/net/%s/device", ifname);
	n = readlink(path, link, sizeof(link) - 1);
	buf[0] = '\0';
	if (n > 0) {
		link[n] = '\0';
		snprintf(buf, len, "%s", strrchr(link, '/') + 1);
	}
}

static bool is_e1000e(const char *ifname)
{
	char path[128], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/class/net/%s/device/driver", ifname);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	return !strcmp(strrchr(link, '/') + 1, "e1000e");
}

/* The first two e1000e interfaces of this namespace, in name order. */
static int find_nics(void)
{
	struct dirent **ents;
	int i, n, found = 0;

	n = scandir("/sys/class/net", &ents, NULL, alphasort);
	for (i = 0; i < n; i++) {
		if (found < 2 && strlen(ents[i]->d_name) < IF_NAMESIZE &&
		    is_e1000e(ents[i]->d_name))
			strcpy(found++ ? nic_b : nic_a, ents[i]->d_name);
		free(ents[i]);
	}
	free(ents);
	return found == 2 ? 0 : -ENODEV;
}

/*
 * A child in a network namespace of its own, waiting to be killed, and
 * killed when this program ends: the harness ends it with exit() (a later
 * run in the same boot needs B back in the initial namespace).
 */
static pid_t netns_child(void)
{
	pid_t pid, parent = getpid();
	int pfd[2];
	char res;

	if (pipe(pfd))
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(1);
		res = unshare(CLONE_NEWNET) ? errno : 0;
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

/* A up with its address; the path to B works (after a ring reset too). */
static int lab_ready(unsigned int timeout_ms)
{
	uint64_t end = now_ms() + timeout_ms;

	sh("ip addr add " ADDR_A "/24 dev %s 2>/dev/null; ip link set %s up",
	   nic_a, nic_a);
	while (sh("ping -c 1 -W 1 " ADDR_B " >/dev/null 2>&1")) {
		if (now_ms() > end)
			return -ETIMEDOUT;
	}
	return 0;
}

/* Loads e1000e unless built in, moves B into a namespace, joins them. */
static int lab_setup(char *why, size_t len)
{
	int ret;

	if (!module_present("e1000e")) {
		ret = fixture_load("e1000e", NULL);
		if (ret) {
			snprintf(why, len, "no e1000e driver (e1000e.ko: %s)",
				 strerror(-ret));
			return ret;
		}
	}
	for (ret = 0; ret < 50 && find_nics(); ret++)
		sleep_ms(100);
	if (find_nics()) {
		snprintf(why, len, "no two e1000e NICs (boot with the niccoal run, tests/vm/run.sh)");
		return -ENODEV;
	}
	netns_pid = netns_child();
	if (netns_pid < 0) {
		snprintf(why, len, "no network namespace: %s", strerror(-netns_pid));
		return netns_pid;
	}
	if (sh("ip link set %s netns %d", nic_b, netns_pid) ||
	    sh("nsenter -t %d -n sh -c 'ip addr add " ADDR_B "/24 dev %s && ip link set %s up && ip link set lo up'",
	       netns_pid, nic_b, nic_b) || lab_ready(20000)) {
		snprintf(why, len, "cannot join %s and %s across namespaces",
			 nic_a, nic_b);
		return -EIO;
	}
	snprintf(k_usecs, sizeof(k_usecs), "nic.%s.rx_usecs", nic_a);
	snprintf(k_rxring, sizeof(k_rxring), "nic.%s.rx_ring", nic_a);
	snprintf(k_txring, sizeof(k_txring), "nic.%s.tx_ring", nic_a);
	return 0;
}

/* ---- what ethtool says ------------------------------------------------- */

/*
 * The value of "key:" in `ethtool OPT ifname` (in B's namespace with
 * in_ns), after the line "after" when it is not NULL; -1 when absent.
 */
static long ethtool_val(const char *opt, const char *ifname, bool in_ns,
			const char *after, const char *key)
{
	char cmd[160], line[256];
	bool past = !after;
	long v = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%sethtool %s %s 2>&1",
		 in_ns ? "nsenter -t $NETNS -n " : "", opt, ifname);
	if (in_ns) {
		char pid[16];

		snprintf(pid, sizeof(pid), "%d", netns_pid);
		setenv("NETNS", pid, 1);
	}
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!past) {
			past = !strncmp(line, after, strlen(after));
			continue;
		}
		if (v < 0 && !strncmp(line, key, strlen(key)) &&
		    line[strlen(key)] == ':')
			v = strtol(line + strlen(key) + 1, NULL, 10);
	}
	pclose(f);
	return v;
}

static long usecs_of(const char *ifname)
{
	return ethtool_val("-c", ifname, false, NULL, "rx-usecs");
}

static long ring_of(const char *ifname, const char *rxtx)
{
	return ethtool_val("-g", ifname, false, "Current hardware settings",
			   rxtx);
}

/* What the tests may change, as ethtool shows it. */
struct lab_state {
	long usecs, rx, tx, b_usecs;
};

static void lab_state(struct lab_state *s)
{
	s->usecs = usecs_of(nic_a);
	s->rx = ring_of(nic_a, "RX");
	s->tx = ring_of(nic_a, "TX");
	s->b_usecs = ethtool_val("-c", nic_b, true, NULL, "rx-usecs");
}

/* ---- fixture -------------------------------------------------------- */

FIXTURE(niccoal) {
	struct ostune_client c;
	struct ostune_client ev;
	bool ev_open;
	struct owner own;
	int kmsg;
	struct snap before;
	struct lab_state lab;
};

#define ASSERT_LAB_UNCHANGED() do {					\
	struct lab_state __s;						\
	lab_state(&__s);						\
	ASSERT_EQ(self->lab.usecs, __s.usecs) TH_LOG("rx-usecs");	\
	ASSERT_EQ(self->lab.rx, __s.rx) TH_LOG("RX ring");		\
	ASSERT_EQ(self->lab.tx, __s.tx) TH_LOG("TX ring");		\
	ASSERT_EQ(self->lab.b_usecs, __s.b_usecs) TH_LOG("%s rx-usecs", nic_b); \
	ASSERT_UNCHANGED();						\
} while (0)

#define ASSERT_MOD(k, want) do {					\
	char __v[VALBUF];						\
	OK(&self->c, getk(&self->c, k, __v, sizeof(__v)));		\
	ASSERT_STREQ(want, __v);					\
} while (0)

FIXTURE_SETUP(niccoal)
{
	int ret;

	self->own.pid = -1;
	self->kmsg = -1;
	ret = mod_ensure_loaded();
	ASSERT_EQ(0, ret) TH_LOG("ostune is not loaded: %s", errname(ret));
	ASSERT_EQ(0, lab_ready(20000)) TH_LOG("%s cannot reach %s", nic_a, ADDR_B);
	ret = ostune_client_open(&self->c);
	ASSERT_EQ(0, ret) TH_LOG("ostune_client_open: %s", errname(ret));
	snap_take(&self->before);
	lab_state(&self->lab);
	ASSERT_LE(0, self->lab.usecs) TH_LOG("ethtool -c %s says no rx-usecs", nic_a);
	ASSERT_LT(0, self->lab.rx) TH_LOG("ethtool -g %s says no RX ring", nic_a);
}

FIXTURE_TEARDOWN(niccoal)
{
	owner_kill(&self->own);
	if (self->ev_open)
		ostune_client_close(&self->ev);
	ostune_client_close(&self->c);
	if (self->kmsg >= 0)
		close(self->kmsg);
	if (mod_ensure_loaded())
		TH_LOG("teardown: cannot load the module again");
	cleanup_restore_all();
}

/* ---- apply, read back, restore ----------------------------------------- */

TEST_F(niccoal, each_supported_knob_applies_and_restores)
{
	struct ostune_kv kv[] = {
		{ k_usecs, "100" }, { k_rxring, "256" }, { k_txring, "512" },
	};
	struct ostune_status st;
	char orig[16];

	OK(&self->c, ostune_apply(&self->c, kv, ARRAY_SIZE(kv), NULL));
	EXPECT_EQ(100, usecs_of(nic_a));
	EXPECT_EQ(256, ring_of(nic_a, "RX"));
	EXPECT_EQ(512, ring_of(nic_a, "TX"));
	ASSERT_MOD(k_usecs, "100");
	ASSERT_MOD(k_rxring, "256");
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(3U, st.nheld);
	snprintf(orig, sizeof(orig), "%ld", self->lab.usecs);
	EXPECT_STREQ(orig, status_find(&st, k_usecs)->original);
	snprintf(orig, sizeof(orig), "%ld", self->lab.rx);
	EXPECT_STREQ(orig, status_find(&st, k_rxring)->original);
	ostune_status_free(&st);
	/* the driver's own rounding (a multiple of 8) is what is read back */
	OK(&self->c, apply1(&self->c, k_rxring, "300"));
	EXPECT_EQ(304, ring_of(nic_a, "RX"));
	ASSERT_MOD(k_rxring, "304");
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_LAB_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/*
 * ethtool_notify(): `ethtool --monitor` sees the change as ethtool's own.
 * On a terminal, whose output is line-buffered: killed at the end, it
 * would lose a pipe's buffer.
 */
TEST_F(niccoal, ethtool_monitor_sees_changes)
{
	struct ostune_kv kv[] = { { k_usecs, "200" }, { k_txring, "256" } };
	char out[8192] = "";
	ssize_t n, got = 0;
	uint64_t end;
	int pty;
	pid_t pid;

	/* the VM's /init mounts no devpts */
	mkdir("/dev/pts", 0755);
	mount("devpts", "/dev/pts", "devpts", 0, "ptmxmode=0666");
	fflush(NULL);
	pid = forkpty(&pty, NULL, NULL, NULL);
	if (pid < 0 && (errno == ENOENT || errno == ENODEV))
		SKIP(return, "no pseudo-terminal in this kernel: %s",
		     strerror(errno));
	ASSERT_LE(0, pid) TH_LOG("forkpty: %s", strerror(errno));
	if (!pid) {
		execlp("ethtool", "ethtool", "--monitor", NULL);
		_exit(127);
	}
	sleep_ms(1000);
	OK(&self->c, ostune_apply(&self->c, kv, 2, NULL));
	fcntl(pty, F_SETFL, O_NONBLOCK);
	end = now_ms() + 3000;
	while (now_ms() < end && !has(out, "Ring parameters for")) {
		n = read(pty, out + got, sizeof(out) - 1 - got);
		if (n > 0) {
			got += n;
			out[got] = '\0';
		} else {
			sleep_ms(50);
		}
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(pty);
	EXPECT_TRUE(has(out, "Coalesce parameters for") && has(out, nic_a))
		TH_LOG("ethtool --monitor: %s", out);
	EXPECT_TRUE(has(out, "Ring parameters for")) TH_LOG("ethtool --monitor: %s", out);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_LAB_UNCHANGED();
}

/* ---- every restore path ------------------------------------------------ */

static void count_events(struct __test_metadata *_metadata,
			 struct ostune_client *ev, uint32_t reason)
{
	struct ostune_event e[4];
	int got = events_collect(ev, e, ARRAY_SIZE(e), 2, 5000);

	EXPECT_TRUE(event_find(e, got, k_usecs, reason) != NULL)
		TH_LOG("no %s event for %s", ostune_reason_name(reason), k_usecs);
	EXPECT_TRUE(event_find(e, got, k_txring, reason) != NULL)
		TH_LOG("no %s event for %s", ostune_reason_name(reason), k_txring);
}

/* Two knobs, the ring one taking the driver's reset path. */
static struct ostune_kv two[2];

static void check_two(struct __test_metadata *_metadata)
{
	ASSERT_EQ(250, usecs_of(nic_a));
	ASSERT_EQ(256, ring_of(nic_a, "TX"));
}

static void two_init(void)
{
	two[0] = (struct ostune_kv){ k_usecs, "250" };
	two[1] = (struct ostune_kv){ k_txring, "256" };
}

/* Polls until ethtool shows rx-usecs want on A; 0 when it does. */
static int wait_usecs(long want, unsigned int ms)
{
	uint64_t end = now_ms() + ms;

	while (usecs_of(nic_a) != want) {
		if (now_ms() > end)
			return -ETIMEDOUT;
		sleep_ms(50);
	}
	return 0;
}

TEST_F(niccoal, path_restore_request)
{
	SUBSCRIBE();
	two_init();
	OK(&self->c, ostune_apply(&self->c, two, 2, NULL));
	check_two(_metadata);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_LAB_UNCHANGED();
	count_events(_metadata, &self->ev, OSTUNE_REASON_REQUEST);
	ASSERT_IDLE(&self->c);
}

TEST_F(niccoal, path_session_close)
{
	SUBSCRIBE();
	two_init();
	OK(&self->c, ostune_session_open(&self->c, 10000));
	OK(&self->c, ostune_apply(&self->c, two, 2, NULL));
	check_two(_metadata);
	OK(&self->c, ostune_session_close(&self->c));
	ASSERT_LAB_UNCHANGED();
	count_events(_metadata, &self->ev, OSTUNE_REASON_SESSION_CLOSE);
	ASSERT_IDLE(&self->c);
}

TEST_F(niccoal, path_owner_kill9)
{
	int ret;

	SUBSCRIBE();
	two_init();
	ret = owner_start(&self->own, 10000, two, 2, true);
	ASSERT_EQ(0, ret) TH_LOG("owner child: %s", errname(ret));
	check_two(_metadata);
	owner_kill(&self->own);
	ASSERT_EQ(0, wait_usecs(self->lab.usecs, 5000));
	ASSERT_EQ(0, wait_no_session(3000));
	ASSERT_LAB_UNCHANGED();
	count_events(_metadata, &self->ev, OSTUNE_REASON_SOCKET_CLOSE);
	ASSERT_IDLE(&self->c);
}

TEST_F_TIMEOUT(niccoal, path_watchdog, 60)
{
	int ret;

	SUBSCRIBE();
	two_init();
	ret = owner_start(&self->own, 300, two, 2, true);
	ASSERT_EQ(0, ret) TH_LOG("owner child: %s", errname(ret));
	ASSERT_EQ(0, wait_usecs(self->lab.usecs, 8000))
		TH_LOG("not restored 8 s after a 300 ms lease");
	ASSERT_EQ(0, wait_no_session(5000));
	ASSERT_LAB_UNCHANGED();
	count_events(_metadata, &self->ev, OSTUNE_REASON_WATCHDOG);
	ASSERT_IDLE(&self->c);
}

TEST_F_TIMEOUT(niccoal, path_rmmod, 60)
{
	char want[128], line[512];
	int r;

	two_init();
	OK(&self->c, ostune_apply(&self->c, two, 2, NULL));
	check_two(_metadata);
	KMSG();
	r = mod_unload();
	ASSERT_EQ(0, r) TH_LOG("rmmod ostune: %s", errname(r));
	ASSERT_LAB_UNCHANGED();
	snprintf(want, sizeof(want), "%s: 250 -> %ld", k_usecs, self->lab.usecs);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 1000))
		TH_LOG("no kernel log line '%s'", want);
	EXPECT_EQ(0, kmsg_find(self->kmsg, "WARNING", line, sizeof(line), 200))
		TH_LOG("kernel log: %s", line);
	RELOAD();
	ASSERT_IDLE(&self->c);
}

/* ---- refusals: errno, extack, nothing changed --------------------------- */

/* e1000e offers rx-usecs only; lo has no ethtool coalescing at all. */
TEST_F(niccoal, unsupported_parameters_refused)
{
	static const char *const params[] = {
		"tx_usecs", "rx_frames", "tx_frames", "adaptive_rx",
		"adaptive_tx", "rx_usecs_irq", "sample_interval",
	};
	char name[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(params); i++) {
		struct ostune_kv kv[2] = { { K_SWAP, "33" }, { name, "1" } };

		snprintf(name, sizeof(name), "nic.%s.%s", nic_a, params[i]);
		CHECK_ERR(&self->c, ostune_apply(&self->c, kv, 2, NULL),
			  EOPNOTSUPP, "does not support");
		EXPECT_TRUE(has(self->c.err_msg, "entry 2") &&
			    has(self->c.err_msg, params[i]) &&
			    has(self->c.err_msg, "e1000e"))
			TH_LOG("extack '%s'", self->c.err_msg);
	}
	CHECK_ERR(&self->c, apply1(&self->c, "nic.lo.rx_usecs", "10"),
		  EOPNOTSUPP, "lo");
	CHECK_ERR(&self->c, apply1(&self->c, "nic.lo.rx_ring", "10"),
		  EOPNOTSUPP, "does not support rx_ring");
	ASSERT_LAB_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

TEST_F(niccoal, bad_values_change_nothing)
{
	static const struct { const char *param, *value, *why; int err; } bad[] = {
		{ "rx_usecs", "-1", "not a decimal", EINVAL },
		{ "rx_usecs", "x", "not a decimal", EINVAL },
		{ "rx_usecs", "010", "not a decimal", EINVAL },
		{ "rx_usecs", "+5", "not a decimal", EINVAL },
		{ "rx_usecs", "5 ", "not a decimal", EINVAL },
		{ "rx_usecs", "", "", EINVAL },
		{ "rx_usecs", "4294967296", "outside 0..4294967295", ERANGE },
		{ "rx_ring", "0", "outside 1..4096 (the ring's maximum)", ERANGE },
		{ "rx_ring", "4097", "outside 1..4096 (the ring's maximum)", ERANGE },
		{ "tx_ring", "99999", "outside 1..4096", ERANGE },
		{ "tx_ring", "-8", "not a decimal", EINVAL },
		/* e1000e's own refusal (2 and 5..9 are no ITR setting) */
		{ "rx_usecs", "2", "kernel refused the value (error -22)", EINVAL },
		{ "rx_usecs", "10001", "kernel refused the value", EINVAL },
	};
	char name[64];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct ostune_kv kv[2] = { { K_SWAP, "33" }, { name, bad[i].value } };
		int r;

		snprintf(name, sizeof(name), "nic.%s.%s", nic_a, bad[i].param);
		r = ostune_apply(&self->c, kv, 2, NULL);
		EXPECT_EQ(-bad[i].err, r) TH_LOG("%s='%s': %s, extack '%s'",
						 name, bad[i].value, errname(r),
						 self->c.err_msg);
		EXPECT_TRUE(has(self->c.err_msg, "entry 2") &&
			    has(self->c.err_msg, name) &&
			    has(self->c.err_msg, bad[i].why))
			TH_LOG("%s='%s': extack '%s'", name, bad[i].value,
			       self->c.err_msg);
		if (!r)
			ostune_restore(&self->c, NULL, 0);
		ASSERT_LAB_UNCHANGED();
	}
	ASSERT_IDLE(&self->c);
}

TEST_F(niccoal, bad_names)
{
	char bad[64];

	CHECK_ERR(&self->c, apply1(&self->c, "nic.rx_usecs", "1"), EINVAL,
		  "bad nic name");
	CHECK_ERR(&self->c, apply1(&self->c, "nic..rx_usecs", "1"), EINVAL,
		  "bad nic name");
	CHECK_ERR(&self->c, apply1(&self->c, "nic.a/b.rx_usecs", "1"), EINVAL,
		  "bad nic name");
	CHECK_ERR(&self->c, apply1(&self->c, "nic.0123456789abcdef.rx_usecs", "1"),
		  EINVAL, "bad nic name");
	CHECK_ERR(&self->c, apply1(&self->c, "nic.otq77.rx_usecs", "1"), ENOENT,
		  "no network device otq77");
	/* B is in another namespace: not found under its name here */
	snprintf(bad, sizeof(bad), "nic.%s.rx_usecs", nic_b);
	CHECK_ERR(&self->c, apply1(&self->c, bad, "100"), ENOENT,
		  "initial namespace");
	ASSERT_LAB_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ---- drift, mixed transactions ------------------------------------------ */

TEST_F(niccoal, drift_left_alone)
{
	struct ostune_status st;

	OK(&self->c, apply1(&self->c, k_usecs, "100"));
	ASSERT_EQ(0, sh("ethtool -C %s rx-usecs 200", nic_a));
	OK(&self->c, ostune_get_status(&self->c, &st));
	ASSERT_EQ(1U, st.nheld);
	EXPECT_STREQ("200", st.held[0].current);
	EXPECT_TRUE(st.held[0].flags & OSTUNE_KNOB_F_DRIFT);
	ostune_status_free(&st);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	EXPECT_EQ(200, usecs_of(nic_a)) TH_LOG("someone else's value overwritten");
	ASSERT_IDLE(&self->c);
	ASSERT_EQ(0, sh("ethtool -C %s rx-usecs %ld", nic_a, self->lab.usecs));
	ASSERT_LAB_UNCHANGED();
}

TEST_F(niccoal, mixed_transaction_all_or_nothing)
{
	char swap[VALBUF];
	struct ostune_kv kv[] = {
		{ K_SWAP, "" }, { k_usecs, "500" }, { k_rxring, "512" },
	};
	struct ostune_kv bad[] = { kv[1], kv[2], { K_SWAP, "x" } };
	struct ostune_kv refused[] = { kv[0], kv[2], { k_usecs, "7" } };

	ASSERT_EQ(0, knob_read(K_SWAP, swap, sizeof(swap)));
	kv[0].value = strcmp(swap, "17") ? "17" : "18";
	refused[0] = kv[0];
	CHECK_ERR(&self->c, ostune_apply(&self->c, bad, 3, NULL), EINVAL,
		  "entry 3 (" K_SWAP ")");
	ASSERT_LAB_UNCHANGED();
	/* the driver refuses the last: the ring and the sysctl roll back */
	CHECK_ERR(&self->c, ostune_apply(&self->c, refused, 3, NULL), EINVAL,
		  "kernel refused the value");
	ASSERT_LAB_UNCHANGED();
	ASSERT_IDLE(&self->c);
	OK(&self->c, ostune_apply(&self->c, kv, 3, NULL));
	EXPECT_EQ(500, usecs_of(nic_a));
	EXPECT_EQ(512, ring_of(nic_a, "RX"));
	ASSERT_EQ(0, knob_read(K_SWAP, swap, sizeof(swap)));
	ASSERT_STREQ(kv[0].value, swap);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_LAB_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ---- the CLI ------------------------------------------------------------ */

TEST_F(niccoal, cli_set_and_refusal)
{
	char out[8192], err[4096], arg[96];

	NEED_CLI();
	snprintf(arg, sizeof(arg), "%s=50", k_usecs);
	ASSERT_EQ(0, CLI("set", arg)) TH_LOG("stderr: %s", err);
	EXPECT_EQ(50, usecs_of(nic_a));
	ASSERT_EQ(0, CLI("restore")) TH_LOG("stderr: %s", err);
	ASSERT_LAB_UNCHANGED();
	snprintf(arg, sizeof(arg), "nic.%s.tx_usecs=5", nic_a);
	EXPECT_NE(0, CLI("set", arg));
	EXPECT_TRUE(has(err, "does not support tx_usecs")) TH_LOG("stderr: %s", err);
	ASSERT_LAB_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ---- the effect: interrupts per second under the same load ------------- */

/*
 * Interrupts so far on ifname's receive vectors (eth0-rx-0, with MSI-X),
 * or on all of its lines (eth0) when it has none of its own for receive.
 */
static long irq_count(const char *ifname)
{
	char line[1024], rx[IF_NAMESIZE + 8], *tok, *save, *last;
	size_t nl = strlen(ifname);
	long all = 0, rxs = 0, row;
	FILE *f = fopen("/proc/interrupts", "r");
	bool has_rx = false;

	if (!f)
		return -1;
	snprintf(rx, sizeof(rx), "%s-rx-", ifname);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		last = strrchr(line, ' ');
		if (!last || strncmp(last + 1, ifname, nl) ||
		    (last[1 + nl] && last[1 + nl] != '-'))
			continue;
		row = 0;
		tok = strtok_r(strchr(line, ':') + 1, " ", &save);
		for (; tok && tok[0] >= '0' && tok[0] <= '9';
		     tok = strtok_r(NULL, " ", &save))
			row += strtol(tok, NULL, 10);
		all += row;
		if (!strncmp(last + 1, rx, strlen(rx))) {
			has_rx = true;
			rxs += row;
		}
	}
	fclose(f);
	return has_rx ? rxs : all;
}

static long rx_packets(const char *ifname)
{
	char path[128], v[32];

	snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/rx_packets",
		 ifname);
	return file_read(path, v, sizeof(v)) ? -1 : strtol(v, NULL, 10);
}

/*
 * From B's namespace, UDP datagrams to A at rate a second for ms: a
 * child, so that only it enters the namespace.
 */
static pid_t udp_load(unsigned int rate, unsigned int ms)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(UDP_PORT) };
	struct timespec tick = { 0, 5000000 };
	char path[64], payload[64] = "ostune";
	uint64_t end;
	unsigned int i;
	pid_t pid;
	int fd, s;

	fflush(NULL);
	pid = fork();
	if (pid)
		return pid;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", netns_pid);
	fd = open(path, O_RDONLY);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		_exit(1);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	inet_pton(AF_INET, ADDR_A, &to.sin_addr);
	end = now_ms() + ms;
	while (now_ms() < end) {
		/* rate / 200 every 5 ms */
		for (i = 0; i < rate / 200; i++)
			sendto(s, payload, sizeof(payload), 0,
			       (struct sockaddr *)&to, sizeof(to));
		nanosleep(&tick, NULL);
	}
	_exit(0);
}

struct rate {
	double irqs, pkts;
};

/* Interrupts and packets a second on A under the load, at rx_usecs usecs. */
static int measure(struct ostune_client *c, const char *usecs,
		   struct rate *r)
{
	long i0, p0, i1, p1;
	uint64_t t0, t1;
	pid_t pid;
	int ret = apply1(c, k_usecs, usecs);

	if (ret)
		return ret;
	pid = udp_load(2000, 3000);
	if (pid < 0)
		return -errno;
	sleep_ms(500);
	i0 = irq_count(nic_a);
	p0 = rx_packets(nic_a);
	t0 = now_ms();
	sleep_ms(2000);
	i1 = irq_count(nic_a);
	p1 = rx_packets(nic_a);
	t1 = now_ms();
	waitpid(pid, NULL, 0);
	r->irqs = (i1 - i0) * 1000.0 / (t1 - t0);
	r->pkts = (p1 - p0) * 1000.0 / (t1 - t0);
	return 0;
}

TEST_F_TIMEOUT(niccoal, interrupt_rate_falls_as_rx_usecs_rises, 90)
{
	struct rate low, high;
	int fd;

	/* a socket there to take them: no ICMP errors back */
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	{
		struct sockaddr_in a = { .sin_family = AF_INET,
					 .sin_port = htons(UDP_PORT) };

		inet_pton(AF_INET, ADDR_A, &a.sin_addr);
		ASSERT_EQ(0, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	}
	ASSERT_LE(0, irq_count(nic_a));
	OK(&self->c, measure(&self->c, "0", &low));
	OK(&self->c, measure(&self->c, "10000", &high));
	close(fd);
	ksft_print_msg("%s under ~2000 datagrams/s: rx_usecs 0: %.0f irq/s %.0f pkt/s; rx_usecs 10000: %.0f irq/s %.0f pkt/s; irq ratio %.2f\n",
		       nic_a, low.irqs, low.pkts, high.irqs, high.pkts,
		       low.irqs > 0 ? high.irqs / low.irqs : -1);
	ASSERT_LT(100, low.pkts) TH_LOG("no load arrived");
	/* the same load both times */
	EXPECT_LT(0.5 * low.pkts, high.pkts);
	EXPECT_LT(high.irqs, 0.5 * low.irqs);
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_LAB_UNCHANGED();
	ASSERT_IDLE(&self->c);
}

/* ---- the device goes away while held (last: A comes back another) ------ */

TEST_F_TIMEOUT(niccoal, driver_unbound_while_held, 90)
{
	struct ostune_kv kv[] = { { k_usecs, "100" }, { k_txring, "256" } };
	struct ostune_event ev[4];
	const struct ostune_event *e;
	struct ostune_status st;
	char pci[32], want[128], line[512];
	uint64_t end;
	int got;

	nic_pci(nic_a, pci, sizeof(pci));
	ASSERT_NE(0, pci[0]) TH_LOG("no PCI device behind %s", nic_a);
	OK(&self->c, ostune_apply(&self->c, kv, 2, NULL));
	SUBSCRIBE();
	KMSG();
	ASSERT_EQ(0, file_write("/sys/bus/pci/drivers/e1000e/unbind", pci));
	ASSERT_EQ(0U, if_nametoindex(nic_a));
	snprintf(want, sizeof(want), "nic: %s was unregistered", nic_a);
	EXPECT_EQ(1, kmsg_find(self->kmsg, want, line, sizeof(line), 3000))
		TH_LOG("no kernel log line '%s'", want);
	got = events_collect(&self->ev, ev, ARRAY_SIZE(ev), 2, 3000);
	e = event_find(ev, got, k_usecs, OSTUNE_REASON_GONE);
	ASSERT_TRUE(e != NULL) TH_LOG("no 'gone' event for %s (%d events)",
				      k_usecs, got);
	EXPECT_TRUE(e->flags & OSTUNE_KNOB_F_GONE);
	EXPECT_TRUE(event_find(ev, got, k_txring, OSTUNE_REASON_GONE) != NULL);
	end = now_ms() + 3000;
	do {
		OK(&self->c, ostune_get_status(&self->c, &st));
		got = st.nheld;
		ostune_status_free(&st);
	} while (got && now_ms() < end && (sleep_ms(20), 1));
	EXPECT_EQ(0, got) TH_LOG("still held after the driver let go");
	/* B, the other e1000e, was not written */
	EXPECT_EQ(self->lab.b_usecs, ethtool_val("-c", nic_b, true, NULL, "rx-usecs"));
	OK(&self->c, ostune_restore(&self->c, NULL, 0));

	/* bound again: the driver's defaults, nothing restored onto it */
	ASSERT_EQ(0, file_write("/sys/bus/pci/drivers/e1000e/bind", pci));
	end = now_ms() + 5000;
	while (!if_nametoindex(nic_a) && now_ms() < end)
		sleep_ms(50);
	ASSERT_NE(0U, if_nametoindex(nic_a)) TH_LOG("%s not back after bind", nic_a);
	EXPECT_EQ(self->lab.usecs, usecs_of(nic_a));
	EXPECT_EQ(self->lab.tx, ring_of(nic_a, "TX"));
	ASSERT_IDLE(&self->c);
	/* an ordinary knob again */
	OK(&self->c, apply1(&self->c, k_usecs, "300"));
	EXPECT_EQ(300, usecs_of(nic_a));
	OK(&self->c, ostune_restore(&self->c, NULL, 0));
	ASSERT_EQ(0, lab_ready(20000));
	ASSERT_LAB_UNCHANGED();
	/* nothing left behind: the module unloads without a warning */
	ASSERT_EQ(0, mod_unload());
	EXPECT_EQ(0, kmsg_find(self->kmsg, "WARNING", line, sizeof(line), 300))
		TH_LOG("kernel log: %s", line);
	RELOAD();
}

int main(int argc, char **argv)
{
	struct harness_filter filter;
	char why[160];
	int ret;

	ret = harness_filter_setup(&filter, argc, argv);
	if (ret >= 0)
		return ret;
	mod_ensure_loaded();
	if (lab_setup(why, sizeof(why))) {
		printf("TAP version 13\n1..1\nok 1 # SKIP %s\n", why);
		if (netns_pid > 0)
			kill(netns_pid, SIGKILL);
		return 0;
	}
	wait_no_session(3000);
	cleanup_restore_all();
	/* exits, which takes the namespace's child with it */
	return test_harness_run(argc, argv);
}

HARNESS_CONSTRUCTOR_ORDER()
