// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Knob name validation and the sysctl allowlist, as the kernel has them.
 */
#include <errno.h>

#include "knobname.h"
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
	CHECK_INT(t, check("sysctl.net.ipv4.conf.br-0a1b.rp_filter"), 0);
	CHECK_INT(t, check("sysctl.net.ipv6.conf.all.forwarding"), 0);
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

	CHECK_INT(t, knob_name_check("idle.cpu0.state1.disable", NULL, why,
				     sizeof(why)), -ENOENT);
	CHECK_CONTAINS(t, why, "unknown knob class 'idle'");
	CHECK_INT(t, check("Sysctl.vm.swappiness"), -ENOENT);
}

static void overlong_name_refused(struct test_ctx *t)
{
	char name[200] = "sysctl.vm.";

	memset(name + 10, 'a', 150);
	name[160] = '\0';
	CHECK_INT(t, check(name), -EINVAL);
	name[127] = '\0';	/* 127 bytes: the longest the kernel takes */
	CHECK_INT(t, check(name), 0);
}

static void allowlist_admits_subtrees(struct test_ctx *t)
{
	CHECK_INT(t, check("sysctl.kernel.sched_rt_runtime_us"), 0);
	CHECK_INT(t, check("sysctl.kernel.sched_autogroup_enabled"), 0);
	CHECK_INT(t, check("sysctl.kernel.numa_balancing"), 0);
	CHECK_INT(t, check("sysctl.kernel.timer_migration"), 0);
}

static void allowlist_refuses_dangerous(struct test_ctx *t)
{
	char why[256];

	CHECK_INT(t, knob_name_check("sysctl.kernel.modprobe", NULL, why,
				     sizeof(why)), -EACCES);
	CHECK_CONTAINS(t, why, "allowlist");
	CHECK_INT(t, check("sysctl.kernel.core_pattern"), -EACCES);
	CHECK_INT(t, check("sysctl.kernel.usermodehelper.bset"), -EACCES);
	CHECK_INT(t, check("sysctl.fs.file-max"), -EACCES);
	CHECK_INT(t, check("sysctl.net.unix.max_dgram_qlen"), -EACCES);
}

static void allowlist_exact_names_are_exact(struct test_ctx *t)
{
	/* numa_balancing and timer_migration are names, not prefixes */
	CHECK_INT(t, check("sysctl.kernel.numa_balancing_scan_delay_ms"),
		  -EACCES);
	CHECK_INT(t, check("sysctl.kernel.timer_migration2"), -EACCES);
	/* "vm." is a subtree: the bare component is not in it */
	CHECK_INT(t, check("sysctl.vmx.foo"), -EACCES);
	CHECK_INT(t, check("sysctl.net.core"), -EACCES);
}

SUITE(knobname_suite, "knob names",
	CASE(sched_names_accepted),
	CASE(sched_names_refused),
	CASE(sysctl_names_accepted),
	CASE(sysctl_bad_forms_refused),
	CASE(names_without_class_refused),
	CASE(unknown_class_refused),
	CASE(overlong_name_refused),
	CASE(allowlist_admits_subtrees),
	CASE(allowlist_refuses_dangerous),
	CASE(allowlist_exact_names_are_exact),
);
