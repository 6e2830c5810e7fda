// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the sysctl class's names, patterns and its list of tuning
 * sysctls (class_sysctl.c).
 *
 * Built into ostune.ko only when the kernel has KUnit (see Kbuild). The
 * suites run when the module is loaded, before its init function: no
 * netlink family, worker, mounts or class init exist yet, so nothing here
 * may need them.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/string.h>

#include "../compat.h"
#include "../ostune.h"

static void sysctl_tunables_test(struct kunit *test)
{
	static const char *const tunable[] = {
		"vm.swappiness", "vm.dirty_ratio", "vm.page-cluster",
		"net.core.somaxconn", "net.ipv4.tcp_rmem",
		"net.ipv4.neigh.default.gc_thresh3",
		"kernel.sched_autogroup_enabled", "kernel.numa_balancing",
		"kernel.timer_migration",
	};
	static const struct {
		const char *name;
		const char *why;
	} refused[] = {
		{ "vm.mmap_min_addr", "a security boundary" },
		{ "vm.mmap_rnd_bits", "a security boundary" },
		{ "vm.unprivileged_userfaultfd", "unprivileged access policy" },
		{ "vm.panic_on_oom", "failure policy" },
		{ "vm.overcommit_memory", "failure policy" },
		{ "vm.admin_reserve_kbytes", "failure policy" },
		{ "vm.drop_caches", "an action, not a setting" },
		{ "kernel.panic", "failure policy" },
		{ "kernel.panic_on_oops", "failure policy" },
		{ "kernel.sched_rt_runtime_us", "failure policy (RT throttling)" },
		{ "kernel.modprobe", "a security boundary" },
		{ "net.core.bpf_jit_harden", "a security boundary" },
		{ "net.core.bpf_jit_kallsyms", "a security boundary" },
		{ "net.ipv4.ip_unprivileged_port_start",
		  "unprivileged access policy" },
		{ "net.ipv4.ping_group_range", "unprivileged access policy" },
		{ "net.ipv4.tcp_fastopen_key", "a secret" },
		{ "net.ipv4.ip_forward", "routing policy" },
		{ "net.ipv4.conf.all.forwarding", "routing policy" },
		{ "net.ipv6.conf.eth0.forwarding", "routing policy" },
		{ "net.ipv4.conf.lo.route_localnet", "routing policy" },
		{ "net.ipv4.conf.all.rp_filter",
		  "per-interface routing and filtering policy" },
		{ "net.ipv4.tcp_syncookies", "a security defence" },
		{ "kernel.usermodehelper.bset", "a security boundary" },
		{ "kernel.sysrq", "a security boundary" },
		{ "fs.file-max", "not a tuning sysctl ostune knows" },
		{ "vm.swappinessx", "not a tuning sysctl ostune knows" },
		{ "net.unix.max_dgram_qlen", "not a tuning sysctl ostune knows" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tunable); i++)
		KUNIT_EXPECT_NULL_MSG(test, sysctl_refusal(tunable[i]), "%s",
				      tunable[i]);
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		const char *why = sysctl_refusal(refused[i].name);

		KUNIT_ASSERT_NOT_NULL_MSG(test, why, "%s", refused[i].name);
		KUNIT_EXPECT_STREQ_MSG(test, why, refused[i].why, "%s",
				       refused[i].name);
	}
}

static void sysctl_pattern_test(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, sysctl_pattern_match("vm.x", "vm.x"));
	KUNIT_EXPECT_FALSE(test, sysctl_pattern_match("vm.x", "vm.xy"));
	KUNIT_EXPECT_FALSE(test, sysctl_pattern_match("vm.xy", "vm.x"));
	KUNIT_EXPECT_TRUE(test, sysctl_pattern_match("vm.*", "vm."));
	KUNIT_EXPECT_TRUE(test, sysctl_pattern_match("vm.*", "vm.a.b"));
	KUNIT_EXPECT_TRUE(test, sysctl_pattern_match("*.f", "a.b.f"));
	KUNIT_EXPECT_FALSE(test, sysctl_pattern_match("*.f", "a.b.fx"));
	KUNIT_EXPECT_TRUE(test, sysctl_pattern_match("a.*_k", "a.x_y_k"));
	KUNIT_EXPECT_FALSE(test, sysctl_pattern_match("a.*_k", "a.k"));
	KUNIT_EXPECT_TRUE(test, sysctl_pattern_match("*", ""));
	KUNIT_EXPECT_FALSE(test, sysctl_pattern_match("", "a"));
}

static void sysctl_name_syntax_test(struct kunit *test)
{
	static const char *const good[] = {
		"vm.swappiness", "net.ipv4.conf.eth0-1.rp_filter", "a", "a.b_c",
		"net.ipv6.conf.lo.use_tempaddr",
	};
	static const char *const bad[] = {
		"", ".", ".vm", "vm.", "vm..x", "vm/x", "vm.x/../y", "..",
		"vm.X", "vm x", "vm.*", "vm.x\n", "vm.%s",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		KUNIT_EXPECT_TRUE_MSG(test, sysctl_name_valid(good[i]), "%s",
				      good[i]);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_FALSE_MSG(test, sysctl_name_valid(bad[i]),
				       "'%s'", bad[i]);
}

/* Refused before any file is opened: the errno and message say which. */
static void sysctl_refusals_test(struct kunit *test)
{
	struct ostune_knob_file kf;
	char why[OSTUNE_MSG_MAX];
	struct ostune_knob knob;

	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob,
						"sysctl.kernel.usermodehelper.bset",
						why, sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, ostune_knob_open(&kf, &knob, true, why,
					       sizeof(why)), -EACCES);
	KUNIT_EXPECT_STREQ(test, why, "refused: a security boundary");
	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "sysctl.fs.file-max",
						why, sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, ostune_knob_open(&kf, &knob, false, why,
					       sizeof(why)), -ENOENT);
	KUNIT_EXPECT_STREQ(test, why,
			   "not a tuning sysctl ostune knows (docs/knobs.md)");
	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "sysctl.vm.../../x",
						why, sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, ostune_knob_open(&kf, &knob, false, why,
					       sizeof(why)), -EINVAL);
}

static struct kunit_case sysctl_cases[] = {
	KUNIT_CASE(sysctl_tunables_test),
	KUNIT_CASE(sysctl_pattern_test),
	KUNIT_CASE(sysctl_name_syntax_test),
	KUNIT_CASE(sysctl_refusals_test),
	{}
};

static struct kunit_suite sysctl_suite = {
	.name = "ostune_sysctl_allowlist",
	.test_cases = sysctl_cases,
};

kunit_test_suite(sysctl_suite);
