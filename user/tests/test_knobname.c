// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Knob name validation and the sysctl allowlist, as the kernel has them.
 */
#include <errno.h>

#include "knobs/knobinfo.h"
#include "knobs/knobname.h"
#include "unit.h"

static int check(const char *name)
{
	char why[256];

	return knob_name_check(name, NULL, why, sizeof(why));
}

static void sched_names_accepted(struct test_ctx *t)
{
	enum knob_class cls = KNOB_CLASS_SYSCTL;
	char why[256];

	CHECK_INT(t, knob_name_check("sched.min_granularity_ns", &cls, why,
				     sizeof(why)), 0);
	CHECK_INT(t, cls, KNOB_CLASS_SCHED);
	CHECK_INT(t, check("sched.numa_balancing.scan_delay_ms"), 0);
	CHECK_INT(t, check("sched.base_slice_ns"), 0);
}

static void sched_names_refused(struct test_ctx *t)
{
	/* deeper than dir.file, '-', uppercase, empty parts */
	CHECK_INT(t, check("sched.domains.cpu0.busy_factor"), -EINVAL);
	CHECK_INT(t, check("sched.nr-migrate"), -EINVAL);
	CHECK_INT(t, check("sched.Latency_ns"), -EINVAL);
	CHECK_INT(t, check("sched..latency_ns"), -EINVAL);
	CHECK_INT(t, check("sched.numa_balancing."), -EINVAL);
	CHECK_INT(t, check("sched."), -EINVAL);
}

static void sysctl_names_accepted(struct test_ctx *t)
{
	enum knob_class cls = KNOB_CLASS_SCHED;
	char why[256];

	CHECK_INT(t, knob_name_check("sysctl.vm.swappiness", &cls, why,
				     sizeof(why)), 0);
	CHECK_INT(t, cls, KNOB_CLASS_SYSCTL);
	CHECK_INT(t, check("sysctl.net.ipv4.tcp_rmem"), 0);
	CHECK_INT(t, check("sysctl.net.ipv4.neigh.default.gc_thresh3"), 0);
	CHECK_INT(t, check("sysctl.net.core.somaxconn"), 0);
}

static void sysctl_bad_forms_refused(struct test_ctx *t)
{
	CHECK_INT(t, check("sysctl.vm..swappiness"), -EINVAL);
	CHECK_INT(t, check("sysctl.vm.swappiness."), -EINVAL);
	CHECK_INT(t, check("sysctl..vm.swappiness"), -EINVAL);
	CHECK_INT(t, check("sysctl.vm/swappiness"), -EINVAL);
	CHECK_INT(t, check("sysctl.vm.Swappiness"), -EINVAL);
	CHECK_INT(t, check("sysctl.vm.swap piness"), -EINVAL);
	CHECK_INT(t, check("sysctl.vm.*"), -EINVAL);
}

static void names_without_class_refused(struct test_ctx *t)
{
	char why[256];

	CHECK_INT(t, knob_name_check("swappiness", NULL, why, sizeof(why)),
		  -EINVAL);
	CHECK_CONTAINS(t, why, "CLASS.NAME");
	CHECK_INT(t, check(""), -EINVAL);
	CHECK_INT(t, check("sysctl"), -EINVAL);
	CHECK_INT(t, check("sysctl."), -EINVAL);
}

static void unknown_class_refused(struct test_ctx *t)
{
	char why[256];

	CHECK_INT(t, knob_name_check("gpu.card0.clock", NULL, why,
				     sizeof(why)), -ENOENT);
	CHECK_CONTAINS(t, why, "unknown knob class 'gpu'");
	CHECK_CONTAINS(t, why, "known: sched, sysctl, idle, pmqos, freq, irq, mm, wq");
	CHECK_INT(t, check("Sysctl.vm.swappiness"), -ENOENT);
	CHECK_INT(t, check("cpuidle.cpu0.state1.disable"), -ENOENT);
}

static void overlong_name_refused(struct test_ctx *t)
{
	char name[200] = "sysctl.vm.";

	memset(name + 10, 'a', 150);
	name[160] = '\0';
	CHECK_INT(t, check(name), -EINVAL);
	name[127] = '\0';	/* 127 bytes: the longest the kernel takes */
	CHECK_INT(t, check(name), -ENOENT);	/* well formed, but no knob */
}

static void tuning_sysctls_accepted(struct test_ctx *t)
{
	CHECK_INT(t, check("sysctl.vm.dirty_bytes"), 0);
	CHECK_INT(t, check("sysctl.kernel.sched_autogroup_enabled"), 0);
	CHECK_INT(t, check("sysctl.kernel.numa_balancing"), 0);
	CHECK_INT(t, check("sysctl.kernel.timer_migration"), 0);
}

static void allowlist_refuses_dangerous(struct test_ctx *t)
{
	char why[256];

	CHECK_INT(t, knob_name_check("sysctl.kernel.modprobe", NULL, why,
				     sizeof(why)), -EACCES);
	CHECK_CONTAINS(t, why, "refused: a security boundary");
	CHECK_INT(t, check("sysctl.kernel.core_pattern"), -EACCES);
	CHECK_INT(t, check("sysctl.kernel.usermodehelper.bset"), -EACCES);
	CHECK_INT(t, check("sysctl.kernel.sched_rt_runtime_us"), -EACCES);
	CHECK_INT(t, check("sysctl.vm.mmap_min_addr"), -EACCES);
	CHECK_INT(t, check("sysctl.net.core.bpf_jit_harden"), -EACCES);
	CHECK_INT(t, check("sysctl.net.ipv4.ip_forward"), -EACCES);
	CHECK_INT(t, check("sysctl.net.ipv6.conf.all.forwarding"), -EACCES);
	CHECK_INT(t, check("sysctl.net.ipv4.conf.br-0a1b.rp_filter"), -EACCES);
	CHECK_INT(t, knob_name_check("sysctl.net.ipv4.tcp_fastopen_key", NULL,
				     why, sizeof(why)), -EACCES);
	CHECK_CONTAINS(t, why, "refused: a secret");
	/* not refused, just not a knob */
	CHECK_INT(t, knob_name_check("sysctl.fs.file-max", NULL, why,
				     sizeof(why)), -ENOENT);
	CHECK_CONTAINS(t, why, "not a tuning sysctl ostune knows");
	CHECK_INT(t, check("sysctl.net.unix.max_dgram_qlen"), -ENOENT);
}

static void allowlist_exact_names_are_exact(struct test_ctx *t)
{
	/* numa_balancing and timer_migration are names, not prefixes */
	CHECK_INT(t, check("sysctl.kernel.numa_balancing_scan_delay_ms"),
		  -ENOENT);
	CHECK_INT(t, check("sysctl.kernel.timer_migration2"), -ENOENT);
	CHECK_INT(t, check("sysctl.vmx.foo"), -ENOENT);
	CHECK_INT(t, check("sysctl.net.core"), -ENOENT);
}

static void idle_names(struct test_ctx *t)
{
	enum knob_class cls = KNOB_CLASS_SCHED;
	char why[256];

	CHECK_INT(t, knob_name_check("idle.cpu0.state1.disable", &cls, why,
				     sizeof(why)), 0);
	CHECK_INT(t, cls, KNOB_CLASS_IDLE);
	CHECK_INT(t, check("idle.cpu127.state10.disable"), 0);
	CHECK_INT(t, check("idle.cpu4294967295.state0.disable"), 0);
	/* indexes are canonical decimals, as the kernel parses them */
	CHECK_INT(t, knob_name_check("idle.cpu01.state1.disable", NULL, why,
				     sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "want idle.cpuN.stateK.disable");
	CHECK_INT(t, check("idle.cpu0.state01.disable"), -EINVAL);
	CHECK_INT(t, check("idle.cpu+1.state1.disable"), -EINVAL);
	CHECK_INT(t, check("idle.cpu4294967296.state0.disable"), -EINVAL);
	CHECK_INT(t, check("idle.cpu.state1.disable"), -EINVAL);
	/* the parts in their places, and nothing more */
	CHECK_INT(t, check("idle.cpu0.state1"), -EINVAL);
	CHECK_INT(t, check("idle.cpu0.state1.disable.x"), -EINVAL);
	CHECK_INT(t, check("idle.cpu0.state1.enable"), -EINVAL);
	CHECK_INT(t, check("idle.cpu0x.state1.disable"), -EINVAL);
	CHECK_INT(t, check("idle.state1.cpu0.disable"), -EINVAL);
	CHECK_INT(t, check("idle.cpu0.disable"), -EINVAL);
}

static void pmqos_names(struct test_ctx *t)
{
	enum knob_class cls = KNOB_CLASS_SCHED;
	char why[256];

	CHECK_INT(t, knob_name_check("pmqos.cpu_latency_us", &cls, why,
				     sizeof(why)), 0);
	CHECK_INT(t, cls, KNOB_CLASS_PMQOS);
	CHECK_INT(t, check("pmqos.cpu0.resume_latency_us"), 0);
	CHECK_INT(t, check("pmqos.cpu2147483647.resume_latency_us"), 0);
	/* the kernel keeps the CPU in an int */
	CHECK_INT(t, check("pmqos.cpu2147483648.resume_latency_us"), -EINVAL);
	CHECK_INT(t, check("pmqos.cpu00.resume_latency_us"), -EINVAL);
	CHECK_INT(t, check("pmqos.cpu0.cpu_latency_us"), -EINVAL);
	CHECK_INT(t, check("pmqos.cpu_latency"), -EINVAL);
	CHECK_INT(t, knob_name_check("pmqos.resume_latency_us", NULL, why,
				     sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "pmqos.cpuN.resume_latency_us");
}

static void freq_names(struct test_ctx *t)
{
	enum knob_class cls = KNOB_CLASS_SCHED;
	char why[256];

	CHECK_INT(t, knob_name_check("freq.policy0.min_khz", &cls, why,
				     sizeof(why)), 0);
	CHECK_INT(t, cls, KNOB_CLASS_FREQ);
	CHECK_INT(t, check("freq.policy12.max_khz"), 0);
	CHECK_INT(t, knob_name_check("freq.policy0.cur_khz", NULL, why,
				     sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "freq.policyN.min_khz, max_khz, governor or epp");
	CHECK_INT(t, check("freq.policy0.max_mhz"), -EINVAL);
	CHECK_INT(t, check("freq.policy012.max_khz"), -EINVAL);
	CHECK_INT(t, check("freq.cpu0.max_khz"), -EINVAL);
	CHECK_INT(t, check("freq.policy0"), -EINVAL);
	CHECK_INT(t, check("freq.policy.max_khz"), -EINVAL);
	CHECK_INT(t, check("freq.policy3.governor"), 0);
	CHECK_INT(t, check("freq.policy0.epp"), 0);
	CHECK_INT(t, check("freq.boost"), 0);
	CHECK_INT(t, check("freq.pstate.no_turbo"), 0);
	CHECK_INT(t, check("freq.pstate.min_perf_pct"), 0);
	CHECK_INT(t, check("freq.pstate.max_perf_pct"), 0);
	CHECK_INT(t, check("freq.policy01.governor"), -EINVAL);
	CHECK_INT(t, check("freq.policy0.boost"), -EINVAL);
	CHECK_INT(t, check("freq.governor"), -EINVAL);
	CHECK_INT(t, check("freq.pstate.turbo"), -EINVAL);
	CHECK_INT(t, check("freq.boost.x"), -EINVAL);
	CHECK_INT(t, check("freq.no_turbo"), -EINVAL);
}

static void irq_names(struct test_ctx *t)
{
	enum knob_class cls = KNOB_CLASS_SCHED;
	char why[256];

	CHECK_INT(t, knob_name_check("irq.0.affinity", &cls, why,
				     sizeof(why)), 0);
	CHECK_INT(t, cls, KNOB_CLASS_IRQ);
	CHECK_INT(t, check("irq.127.affinity"), 0);
	CHECK_INT(t, knob_name_check("irq.x.affinity", NULL, why,
				     sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "want irq.N.affinity");
	CHECK_INT(t, check("irq.08.affinity"), -EINVAL);
	CHECK_INT(t, check("irq.-1.affinity"), -EINVAL);
	CHECK_INT(t, check("irq.8"), -EINVAL);
	CHECK_INT(t, check("irq.8.smp_affinity"), -EINVAL);
	CHECK_INT(t, check("irq..affinity"), -EINVAL);
}

static void nic_names(struct test_ctx *t)
{
	enum knob_class cls = KNOB_CLASS_SCHED;
	struct knob_nic_name n;
	char why[256];

	CHECK_INT(t, knob_name_check("nic.eth0.rx0.rps_cpus", &cls, why,
				     sizeof(why)), 0);
	CHECK_INT(t, cls, KNOB_CLASS_NIC);
	CHECK_INT(t, check("nic.eth0.rx15.rps_flow_cnt"), 0);
	CHECK_INT(t, check("nic.eth0.tx3.xps_cpus"), 0);
	/* read from the right: the VLAN's dots belong to the interface */
	CHECK_INT(t, knob_nic_parse("eth0.100.rx2.rps_cpus", &n), 0);
	CHECK_STR(t, n.ifname, "eth0.100");
	CHECK_INT(t, n.queue, 2);
	CHECK(t, !n.tx);
	CHECK_STR(t, n.param, "rps_cpus");
	CHECK_INT(t, knob_nic_parse("a.rx0.tx1.xps_cpus", &n), 0);
	CHECK_STR(t, n.ifname, "a.rx0");
	CHECK(t, n.tx);
	CHECK_INT(t, check("nic.012345678901234.rx0.rps_cpus"), 0);
	CHECK_INT(t, knob_name_check("nic.eth0.rx0.rps", NULL, why,
				     sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "want nic.IFNAME.rxQ.rps_cpus");
	CHECK_INT(t, check("nic.0123456789012345.rx0.rps_cpus"), -EINVAL);
	CHECK_INT(t, check("nic.eth0.tx0.rps_cpus"), -EINVAL);
	CHECK_INT(t, check("nic.eth0.rx0.xps_cpus"), -EINVAL);
	CHECK_INT(t, check("nic.eth0.rx00.rps_cpus"), -EINVAL);
	CHECK_INT(t, check("nic.eth0.rx.rps_cpus"), -EINVAL);
	CHECK_INT(t, check("nic.rx0.rps_cpus"), -EINVAL);
	CHECK_INT(t, check("nic..rx0.rps_cpus"), -EINVAL);
	CHECK_INT(t, check("nic...rx0.rps_cpus"), -EINVAL);
	CHECK_INT(t, check("nic.a/b.rx0.rps_cpus"), -EINVAL);
	CHECK_INT(t, check("nic.a:1.rx0.rps_cpus"), -EINVAL);
	CHECK_INT(t, check("nic.a b.rx0.rps_cpus"), -EINVAL);
	CHECK_INT(t, check("nic.eth0"), -EINVAL);
}

/* The coalescing and ring knobs share "nic.": read from the right too. */
static void nic_coalescing_names(struct test_ctx *t)
{
	const struct knob_nic_coal_param *param;
	enum knob_class cls = KNOB_CLASS_SCHED;
	char ifname[KNOB_IFNAMSIZ], why[256];

	CHECK_INT(t, knob_name_check("nic.eth0.rx_usecs", &cls, why,
				     sizeof(why)), 0);
	CHECK_INT(t, cls, KNOB_CLASS_NIC);
	CHECK_INT(t, knob_nic_coal_parse("eth0.100.rx_ring", ifname, &param), 0);
	CHECK_STR(t, ifname, "eth0.100");
	CHECK_STR(t, param->ethtool_opt, "-G");
	CHECK_STR(t, param->ethtool_word, "rx");
	CHECK_INT(t, knob_nic_coal_parse("rx0.adaptive_tx", ifname, &param), 0);
	CHECK_STR(t, ifname, "rx0");
	CHECK_STR(t, param->ethtool_word, "adaptive-tx");
	CHECK_INT(t, check("nic.012345678901234.tx_frames"), 0);
	CHECK_INT(t, check("nic.0123456789012345.tx_frames"), -EINVAL);
	CHECK_INT(t, check("nic.rx_usecs"), -EINVAL);
	CHECK_INT(t, check("nic..rx_usecs"), -EINVAL);
	CHECK_INT(t, check("nic.a/b.rx_usecs"), -EINVAL);
	CHECK_INT(t, knob_name_check("nic.eth0.rx_usec", NULL, why,
				     sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "nic.IFNAME.rx_usecs");
}

static void index_parsing(struct test_ctx *t)
{
	unsigned int n = 99;

	CHECK_STR(t, knob_parse_index("cpu12.state3", "cpu", &n), "state3");
	CHECK_INT(t, n, 12);
	CHECK_STR(t, knob_parse_index("cpu0", "cpu", &n), "");
	CHECK_INT(t, n, 0);
	CHECK_STR(t, knob_parse_index("7.affinity", "", &n), "affinity");
	CHECK_INT(t, n, 7);
	CHECK(t, !knob_parse_index("cpu012", "cpu", &n));
	CHECK(t, !knob_parse_index("cpu", "cpu", &n));
	CHECK(t, !knob_parse_index("cpu1x", "cpu", &n));
	CHECK(t, !knob_parse_index("cpu-1", "cpu", &n));
	CHECK(t, !knob_parse_index("cpu4294967296", "cpu", &n));
	CHECK(t, !knob_parse_index("policy1", "cpu", &n));
}

static void qos_knobs(struct test_ctx *t)
{
	CHECK(t, knob_is_qos("pmqos.cpu_latency_us"));
	CHECK(t, knob_is_qos("pmqos.cpu1.resume_latency_us"));
	CHECK(t, knob_is_qos("freq.policy0.min_khz"));
	CHECK(t, knob_is_qos("freq.policy12.max_khz"));
	CHECK(t, !knob_is_qos("freq.policy0.governor"));
	CHECK(t, !knob_is_qos("freq.policy0.epp"));
	CHECK(t, !knob_is_qos("freq.boost"));
	CHECK(t, !knob_is_qos("freq.pstate.max_perf_pct"));
	CHECK(t, !knob_is_qos("idle.cpu0.state1.disable"));
	CHECK(t, !knob_is_qos("irq.5.affinity"));
	CHECK(t, !knob_is_qos("sysctl.vm.swappiness"));
	CHECK_STR(t, knob_class_name(KNOB_CLASS_IRQ), "irq");
}

/* The llm tuner's prompt says what a coalescing knob is, read from the right. */
static void nic_coalescing_meanings(struct test_ctx *t)
{
	CHECK_CONTAINS(t, knob_class_meaning("nic.eth0.100.rx_usecs"),
		       "NIC interrupt coalescing (ethtool -C)");
	CHECK_CONTAINS(t, knob_class_meaning("nic.eth0.tx_ring"),
		       "NIC ring size (ethtool -G)");
	CHECK_CONTAINS(t, knob_class_meaning("nic.eth0.adaptive_rx"),
		       "0 or 1");
	/* a queue knob is not one */
	CHECK_STR(t, knob_class_meaning("nic.eth0.rx0.rps_cpus"),
		  "a kernel tunable");
}

SUITE(knobname_suite, "knob names",
	CASE(nic_coalescing_meanings),
	CASE(sched_names_accepted),
	CASE(sched_names_refused),
	CASE(sysctl_names_accepted),
	CASE(sysctl_bad_forms_refused),
	CASE(names_without_class_refused),
	CASE(unknown_class_refused),
	CASE(overlong_name_refused),
	CASE(tuning_sysctls_accepted),
	CASE(allowlist_refuses_dangerous),
	CASE(allowlist_exact_names_are_exact),
	CASE(idle_names),
	CASE(pmqos_names),
	CASE(freq_names),
	CASE(irq_names),
	CASE(nic_names),
	CASE(nic_coalescing_names),
	CASE(index_parsing),
	CASE(qos_knobs),
);
