// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: knob names, the forms every class accepts, value checks and
 * folding (knob.c and the classes' parsers). Whether a well-formed name
 * exists on this host is the VM selftests' business: the classes' files
 * are only reachable once the module's mounts exist, after these run.
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

static void parse_index_test(struct kunit *test)
{
	unsigned int v = 12345;

	KUNIT_EXPECT_STREQ(test, ostune_parse_index("cpu12.state3", "cpu", &v),
			   "state3");
	KUNIT_EXPECT_EQ(test, v, 12U);
	KUNIT_EXPECT_STREQ(test, ostune_parse_index("cpu0", "cpu", &v), "");
	KUNIT_EXPECT_EQ(test, v, 0U);
	KUNIT_EXPECT_STREQ(test, ostune_parse_index("4294967295.x", "", &v),
			   "x");
	KUNIT_EXPECT_EQ(test, v, 4294967295U);
	/* Not canonical decimals: leading zero, sign, none, overflow. */
	KUNIT_EXPECT_NULL(test, ostune_parse_index("cpu01.x", "cpu", &v));
	KUNIT_EXPECT_NULL(test, ostune_parse_index("cpu00", "cpu", &v));
	KUNIT_EXPECT_NULL(test, ostune_parse_index("cpu+1", "cpu", &v));
	KUNIT_EXPECT_NULL(test, ostune_parse_index("cpu-1", "cpu", &v));
	KUNIT_EXPECT_NULL(test, ostune_parse_index("cpu", "cpu", &v));
	KUNIT_EXPECT_NULL(test, ostune_parse_index("cpu.x", "cpu", &v));
	KUNIT_EXPECT_NULL(test, ostune_parse_index("4294967296", "", &v));
	KUNIT_EXPECT_NULL(test, ostune_parse_index("99999999999999999999", "",
						   &v));
	/* Only '.' or the end may follow the number. */
	KUNIT_EXPECT_NULL(test, ostune_parse_index("cpu1x", "cpu", &v));
	KUNIT_EXPECT_NULL(test, ostune_parse_index("cpu1 ", "cpu", &v));
	KUNIT_EXPECT_NULL(test, ostune_parse_index("cpx1", "cpu", &v));
	KUNIT_EXPECT_NULL(test, ostune_parse_index("CPU1", "cpu", &v));
}

static void parse_qos_value_test(struct kunit *test)
{
	char why[OSTUNE_MSG_MAX];
	s32 v;

	KUNIT_EXPECT_EQ(test, ostune_parse_qos_value("none", 100, &v, why,
						     sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, v, -1);
	KUNIT_EXPECT_EQ(test, ostune_parse_qos_value("0", 100, &v, why,
						     sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, v, 0);
	KUNIT_EXPECT_EQ(test, ostune_parse_qos_value("100", 100, &v, why,
						     sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, v, 100);
	KUNIT_EXPECT_EQ(test, ostune_parse_qos_value("2147483647", S32_MAX, &v,
						     why, sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, v, S32_MAX);

	KUNIT_EXPECT_EQ(test, ostune_parse_qos_value("101", 100, &v, why,
						     sizeof(why)), -ERANGE);
	KUNIT_EXPECT_STREQ(test, why, "'101' is outside 0..100");
	KUNIT_EXPECT_EQ(test, ostune_parse_qos_value("-1", 100, &v, why,
						     sizeof(why)), -ERANGE);
	KUNIT_EXPECT_EQ(test, ostune_parse_qos_value("2147483648", S32_MAX, &v,
						     why, sizeof(why)), -ERANGE);
	KUNIT_EXPECT_EQ(test, ostune_parse_qos_value("None", 100, &v, why,
						     sizeof(why)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "'None' is neither a number nor 'none'");
	KUNIT_EXPECT_EQ(test, ostune_parse_qos_value("", 100, &v, why,
						     sizeof(why)), -EINVAL);
	KUNIT_EXPECT_EQ(test, ostune_parse_qos_value("1x", 100, &v, why,
						     sizeof(why)), -EINVAL);
	KUNIT_EXPECT_EQ(test, ostune_parse_qos_value(" 1", 100, &v, why,
						     sizeof(why)), -EINVAL);
}

static void knob_parse_test(struct kunit *test)
{
	char long_name[OSTUNE_NAME_MAX + 8];
	char why[OSTUNE_MSG_MAX];
	struct ostune_knob knob;

	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "sysctl.vm.swappiness",
						why, sizeof(why)), 0);
	KUNIT_EXPECT_PTR_EQ(test, knob.class, &ostune_sysctl_class);
	KUNIT_EXPECT_STREQ(test, knob.sub, "vm.swappiness");
	KUNIT_EXPECT_PTR_EQ(test, knob.sub, knob.name + strlen("sysctl."));

	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "sched.nr_migrate", why,
						sizeof(why)), 0);
	KUNIT_EXPECT_PTR_EQ(test, knob.class, &ostune_sched_class);
	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob,
						"idle.cpu0.state1.disable",
						why, sizeof(why)), 0);
	KUNIT_EXPECT_PTR_EQ(test, knob.class, &ostune_idle_class);
	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "pmqos.cpu_latency_us",
						why, sizeof(why)), 0);
	KUNIT_EXPECT_PTR_EQ(test, knob.class, &ostune_pmqos_class);
	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "freq.policy0.max_khz",
						why, sizeof(why)), 0);
	KUNIT_EXPECT_PTR_EQ(test, knob.class, &ostune_freq_class);
	/* one prefix, two classes: the policy attributes are the other's */
	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "freq.policy0.governor",
						why, sizeof(why)), 0);
	KUNIT_EXPECT_PTR_EQ(test, knob.class, &ostune_freqpolicy_class);
	KUNIT_EXPECT_STREQ(test, knob.sub, "policy0.governor");
	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "freq.boost", why,
						sizeof(why)), 0);
	KUNIT_EXPECT_PTR_EQ(test, knob.class, &ostune_freqpolicy_class);
	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "freq.policy0.gov", why,
						sizeof(why)), 0);
	KUNIT_EXPECT_PTR_EQ(test, knob.class, &ostune_freq_class);
	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "irq.9.affinity", why,
						sizeof(why)), 0);
	KUNIT_EXPECT_PTR_EQ(test, knob.class, &ostune_irq_class);

	KUNIT_EXPECT_EQ(test, ostune_knob_parse(&knob, "sysctl", why,
						sizeof(why)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "not a knob name (want CLASS.NAME)");
	KUNIT_EXPECT_EQ(test, ostune_knob_parse(&knob, "sysctl.", why,
						sizeof(why)), -EINVAL);
	KUNIT_EXPECT_EQ(test, ostune_knob_parse(&knob, "", why, sizeof(why)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ostune_knob_parse(&knob, "bogus.x", why,
						sizeof(why)), -ENOENT);
	KUNIT_EXPECT_STREQ(test, why, "unknown knob class 'bogus'");
	/* A prefix of a class name is not that class. */
	KUNIT_EXPECT_EQ(test, ostune_knob_parse(&knob, "sys.vm.x", why,
						sizeof(why)), -ENOENT);
	KUNIT_EXPECT_EQ(test, ostune_knob_parse(&knob, "sysctlx.vm.x", why,
						sizeof(why)), -ENOENT);
	KUNIT_EXPECT_EQ(test, ostune_knob_parse(&knob, ".vm", why,
						sizeof(why)), -ENOENT);

	memset(long_name, 'a', sizeof(long_name));
	memcpy(long_name, "sysctl.", strlen("sysctl."));
	long_name[OSTUNE_NAME_MAX - 1] = '\0';
	KUNIT_EXPECT_EQ(test, ostune_knob_parse(&knob, long_name, why,
						sizeof(why)), 0);
	long_name[OSTUNE_NAME_MAX - 1] = 'a';
	long_name[OSTUNE_NAME_MAX] = '\0';
	KUNIT_EXPECT_EQ(test, ostune_knob_parse(&knob, long_name, why,
						sizeof(why)), -EINVAL);
	KUNIT_EXPECT_STREQ(test, why, "name longer than 127 bytes");
}

struct name_case {
	const char *name;
	bool write;
	int ret;
};

/*
 * What a class's open says about a name: -EINVAL for a malformed one;
 * for a well-formed one, whatever this host has (checked by errno only
 * where the answer does not depend on the host).
 */
static const struct name_case name_cases[] = {
	/* sched: [a-z0-9_], at most one dot, no empty part */
	{ "sched..x", false, -EINVAL },
	{ "sched.a.b.c", false, -EINVAL },
	{ "sched.a.", false, -EINVAL },
	{ "sched.Latency_ns", false, -EINVAL },
	{ "sched.a/b", false, -EINVAL },
	{ "sched.a-b", false, -EINVAL },
	/* sysctl */
	{ "sysctl.vm/swappiness", false, -EINVAL },
	{ "sysctl.vm..swappiness", false, -EINVAL },
	{ "sysctl.vm.", false, -EINVAL },
	{ "sysctl..vm", false, -EINVAL },
	{ "sysctl.VM.swappiness", false, -EINVAL },
	{ "sysctl.kernel.modprobe", false, -EACCES },
	{ "sysctl.kernel.core_pattern", true, -EACCES },
	/* idle: cpu<N>.state<K>.disable, canonical indexes */
	{ "idle.cpu0.state1", false, -EINVAL },
	{ "idle.cpu0.state1.disabled", false, -EINVAL },
	{ "idle.cpu01.state1.disable", false, -EINVAL },
	{ "idle.cpu0.state01.disable", false, -EINVAL },
	{ "idle.cpu.state1.disable", false, -EINVAL },
	{ "idle.cpu0.state1.disable.x", false, -EINVAL },
	{ "idle.cpu4000000.state1.disable", false, -ENOENT },
	/* pmqos */
	{ "pmqos.cpu_latency", false, -EINVAL },
	{ "pmqos.cpu0.resume_latency", false, -EINVAL },
	{ "pmqos.cpu00.resume_latency_us", false, -EINVAL },
	{ "pmqos.cpu4000000.resume_latency_us", false, -ENOENT },
	{ "pmqos.cpu_latency_us", false, 0 },
	{ "pmqos.cpu0.resume_latency_us", false, 0 },
	/* freq */
	{ "freq.policy0.min", false, -EINVAL },
	{ "freq.policy0.cur_khz", false, -EINVAL },
	{ "freq.policy00.governor", false, -EINVAL },
	{ "freq.policy0.epp.x", false, -EINVAL },
	{ "freq.pstate", false, -EINVAL },
	{ "freq.policy4000000.governor", false, -ENOENT },
	{ "freq.policy00.min_khz", false, -EINVAL },
	{ "freq.policy4000000.max_khz", false, -ENOENT },
	/* irq */
	{ "irq.01.affinity", false, -EINVAL },
	{ "irq.1.affinity_list", false, -EINVAL },
	{ "irq.x.affinity", false, -EINVAL },
	{ "irq.4000000.affinity", false, -ENOENT },
};

static void name_case_desc(const struct name_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s%s", c->name,
		 c->write ? " (write)" : "");
}

KUNIT_ARRAY_PARAM(name_forms, name_cases, name_case_desc);

static void class_name_forms_test(struct kunit *test)
{
	const struct name_case *c = test->param_value;
	struct ostune_knob_file kf;
	char why[OSTUNE_MSG_MAX];
	struct ostune_knob knob;
	int ret;

	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, c->name, why,
						sizeof(why)), 0);
	why[0] = '\0';
	ret = ostune_knob_open(&kf, &knob, c->write, why, sizeof(why));
	KUNIT_EXPECT_EQ_MSG(test, ret, c->ret, "why: %s", why);
	if (ret) {
		/* Every refusal says why, and holds nothing open. */
		KUNIT_EXPECT_NE(test, why[0], '\0');
		KUNIT_EXPECT_NULL(test, kf.knob);
	}
	ostune_knob_close(&kf);
}

static void value_check_test(struct kunit *test)
{
	char why[OSTUNE_MSG_MAX];
	struct ostune_knob knob;

	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "sched.nr_migrate", why,
						sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, knob.class->check_value(&knob, "4294967295", why,
						      sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, knob.class->check_value(&knob, "4294967296", why,
						      sizeof(why)), -ERANGE);
	KUNIT_EXPECT_EQ(test, knob.class->check_value(&knob, "-1", why,
						      sizeof(why)), -EINVAL);
	KUNIT_EXPECT_EQ(test, knob.class->check_value(&knob, "", why,
						      sizeof(why)), -EINVAL);

	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "sysctl.vm.swappiness",
						why, sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, knob.class->check_value(&knob, "4096\t87380", why,
						      sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, knob.class->check_value(&knob, "", why,
						      sizeof(why)), -EINVAL);
	KUNIT_EXPECT_EQ(test, knob.class->check_value(&knob, "1\n2", why,
						      sizeof(why)), -EINVAL);

	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "pmqos.cpu_latency_us",
						why, sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, knob.class->check_value(&knob, "none", why,
						      sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, knob.class->check_value(&knob, "2000000000", why,
						      sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, knob.class->check_value(&knob, "2000000001", why,
						      sizeof(why)), -ERANGE);

	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "irq.1.affinity", why,
						sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, knob.class->check_value(&knob, "0", why,
						      sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, knob.class->check_value(&knob, "", why,
						      sizeof(why)), -EINVAL);
	KUNIT_EXPECT_EQ(test, knob.class->check_value(&knob, "0-", why,
						      sizeof(why)), -EINVAL);
	KUNIT_EXPECT_EQ(test, knob.class->check_value(&knob, "4000", why,
						      sizeof(why)), -EINVAL);
}

static void value_fold_test(struct kunit *test)
{
	static const char *const cases[][2] = {
		{ "4096\t87380\t6291456\n", "4096 87380 6291456" },
		{ "  10\n", "10" },
		{ "a \t\n b", "a b" },
		{ "\n", "" },
		{ "", "" },
		{ "x", "x" },
	};
	char buf[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		strscpy(buf, cases[i][0], sizeof(buf));
		value_fold(buf);
		KUNIT_EXPECT_STREQ(test, buf, cases[i][1]);
	}
	KUNIT_EXPECT_TRUE(test, ostune_value_printable("4096\t87380"));
	KUNIT_EXPECT_FALSE(test, ostune_value_printable(""));
	KUNIT_EXPECT_FALSE(test, ostune_value_printable("a\nb"));
	KUNIT_EXPECT_FALSE(test, ostune_value_printable("\x7f"));
}

static struct kunit_case names_cases[] = {
	KUNIT_CASE(parse_index_test),
	KUNIT_CASE(parse_qos_value_test),
	KUNIT_CASE(knob_parse_test),
	KUNIT_CASE_PARAM(class_name_forms_test, name_forms_gen_params),
	KUNIT_CASE(value_check_test),
	KUNIT_CASE(value_fold_test),
	{}
};

static struct kunit_suite names_suite = {
	.name = "ostune_names",
	.test_cases = names_cases,
};

kunit_test_suite(names_suite);
