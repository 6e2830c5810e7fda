// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites of the module's internals, built into ostune.ko only when
 * the kernel has KUnit (see Kbuild). They run when the module is loaded,
 * before its init function: no netlink family, workqueue or class init
 * exists yet, so nothing here may need them.
 *
 * Transactions, restores and drift are tested on the "kunit" class below:
 * stand-in knobs that live in memory, log every write and fail on
 * request, so rollback is tested without touching a real tunable. The
 * class refuses every name unless a test of this file is running.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/string.h>

#include "compat.h"
#include "ostune.h"

/* ------------------------------------------------------------ names */

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
	{ "sched.no_such_tunable_kunit", false, -ENOENT },
	/* sysctl */
	{ "sysctl.vm/swappiness", false, -EINVAL },
	{ "sysctl.vm..swappiness", false, -EINVAL },
	{ "sysctl.vm.", false, -EINVAL },
	{ "sysctl..vm", false, -EINVAL },
	{ "sysctl.VM.swappiness", false, -EINVAL },
	{ "sysctl.vm.no_such_sysctl_kunit", false, -ENOENT },
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

/* ------------------------------------------------------------ sysctl allowlist */

static void sysctl_allowlist_test(struct kunit *test)
{
	static const char *const allowed[] = {
		"vm.swappiness", "vm.dirty_ratio", "net.core.somaxconn",
		"net.ipv4.tcp_rmem", "net.ipv4.conf.all.rp_filter",
		"net.ipv6.conf.default.hop_limit", "kernel.sched_autogroup_enabled",
		"kernel.sched_rt_runtime_us", "kernel.numa_balancing",
		"kernel.timer_migration",
	};
	static const char *const refused[] = {
		"kernel.modprobe", "kernel.core_pattern",
		"kernel.usermodehelper.bset", "kernel.usermodehelper.inheritable",
		"kernel.sysrq", "kernel.panic", "fs.file-max", "dev.cdrom.lock",
		"kernel.numa_balancing_x", "kernel.timer_migrationx",
		"kernel.sched", "vm", "net.core", "net.ipv4x.tcp_rmem",
		"net.unix.max_dgram_qlen", "user.max_user_namespaces",
		"kernel.kptr_restrict", "kernel.yama.ptrace_scope",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(allowed); i++)
		KUNIT_EXPECT_TRUE_MSG(test, sysctl_name_allowed(allowed[i]),
				      "%s", allowed[i]);
	for (i = 0; i < ARRAY_SIZE(refused); i++)
		KUNIT_EXPECT_FALSE_MSG(test, sysctl_name_allowed(refused[i]),
				       "%s", refused[i]);
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
	KUNIT_EXPECT_STREQ(test, why, "sysctl not in ostune's allowlist");
	KUNIT_ASSERT_EQ(test, ostune_knob_parse(&knob, "sysctl.vm.../../x",
						why, sizeof(why)), 0);
	KUNIT_EXPECT_EQ(test, ostune_knob_open(&kf, &knob, false, why,
					       sizeof(why)), -EINVAL);
}

static struct kunit_case sysctl_cases[] = {
	KUNIT_CASE(sysctl_allowlist_test),
	KUNIT_CASE(sysctl_name_syntax_test),
	KUNIT_CASE(sysctl_refusals_test),
	{}
};

static struct kunit_suite sysctl_suite = {
	.name = "ostune_sysctl_allowlist",
	.test_cases = sysctl_cases,
};

/* ------------------------------------------------------------ the kunit class */

#define FAKE_KNOBS	4
#define FAKE_LOG	512

struct fake_knob {
	char value[OSTUNE_VALUE_MAX];
	/* written after the others of its transaction */
	bool late;
	/* fail the read or write that brings this down to 0 */
	int reads_left;
	int writes_left;
};

/* Knobs kunit.a .. kunit.d, and every write made to them in order. */
struct fake_state {
	struct fake_knob knobs[FAKE_KNOBS];
	char log[FAKE_LOG];
};

/* Only set while a test of the txn suite runs. */
static struct fake_state *fake;

static int fake_open(struct ostune_knob_file *kf, bool write, char *why,
		     size_t len)
{
	const char *sub = kf->knob->sub;

	if (!fake || sub[0] < 'a' || sub[0] >= 'a' + FAKE_KNOBS || sub[1]) {
		snprintf(why, len, "no such kunit knob");
		return -ENOENT;
	}
	kf->data = &fake->knobs[sub[0] - 'a'];
	return 0;
}

static int fake_check_value(const struct ostune_knob *knob, const char *value,
			    char *why, size_t len)
{
	if (!strcmp(value, "bad")) {
		snprintf(why, len, "bad value");
		return -EINVAL;
	}
	return 0;
}

static bool fake_fails(int *left)
{
	return *left > 0 && --*left == 0;
}

static int fake_read(struct ostune_knob_file *kf, char *buf, size_t size)
{
	struct fake_knob *k = kf->data;

	if (fake_fails(&k->reads_left))
		return -EIO;
	strscpy(buf, k->value, size);
	return 0;
}

/* Canonicalises as many kernel handlers do: leading blanks go. */
static int fake_write(struct ostune_knob_file *kf, const char *value)
{
	struct fake_knob *k = kf->data;
	size_t n = strlen(fake->log);

	snprintf(fake->log + n, FAKE_LOG - n, "%s%s=%s", n ? " " : "",
		 kf->knob->sub, value);
	if (fake_fails(&k->writes_left))
		return -EIO;
	strscpy(k->value, skip_spaces(value), sizeof(k->value));
	return 0;
}

static int fake_apply_late(struct ostune_knob_file *kf, const char *value)
{
	return ((struct fake_knob *)kf->data)->late;
}

const struct ostune_class ostune_kunit_class = {
	.prefix		= "kunit",
	.open		= fake_open,
	.check_value	= fake_check_value,
	.read		= fake_read,
	.write		= fake_write,
	.apply_late	= fake_apply_late,
};

static int txn_test_init(struct kunit *test)
{
	unsigned int i;

	fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	if (!fake)
		return -ENOMEM;
	for (i = 0; i < FAKE_KNOBS; i++)
		snprintf(fake->knobs[i].value, OSTUNE_VALUE_MAX, "%u", i + 1);
	return 0;
}

static void txn_test_exit(struct kunit *test)
{
	/* A failed test may leave knobs held: they are not real ones. */
	mutex_lock(&ostune_lock);
	ostune_forget_all();
	mutex_unlock(&ostune_lock);
	fake = NULL;
}

static struct fake_knob *knob_of(char c)
{
	return &fake->knobs[c - 'a'];
}

static const char *value_of(char c)
{
	return knob_of(c)->value;
}

/* "kunit.b=7 kunit.a=x": entries of one transaction, nests from nests[]. */
struct txn {
	struct ostune_apply_entry e[FAKE_KNOBS + 1];
	char names[FAKE_KNOBS + 1][OSTUNE_NAME_MAX];
	char values[FAKE_KNOBS + 1][OSTUNE_VALUE_MAX];
	struct nlattr nests[FAKE_KNOBS + 1];
	unsigned int n;
	struct ostune_err err;
	u32 txn_id;
};

static void txn_add(struct txn *t, const char *name, const char *value)
{
	strscpy(t->names[t->n], name, OSTUNE_NAME_MAX);
	strscpy(t->values[t->n], value, OSTUNE_VALUE_MAX);
	t->e[t->n].nest = &t->nests[t->n];
	t->e[t->n].name = t->names[t->n];
	t->e[t->n].value = t->values[t->n];
	t->n++;
}

/*
 * The lock is taken per call, not per test: a failed assertion ends the
 * test's thread, and a mutex must not die with its owner.
 */
static int txn_run(struct txn *t, bool in_session)
{
	int ret;

	memset(&t->err, 0, sizeof(t->err));
	fake->log[0] = '\0';
	mutex_lock(&ostune_lock);
	ret = ostune_txn_apply(t->e, t->n, in_session, &t->txn_id, &t->err);
	mutex_unlock(&ostune_lock);
	return ret;
}

static struct ostune_held *held_nth(unsigned int n)
{
	struct ostune_held *h;

	list_for_each_entry(h, &ostune_held_list, node)
		if (!n--)
			return h;
	return NULL;
}

static const char *held_name(unsigned int n)
{
	struct ostune_held *h = held_nth(n);

	return h ? h->knob.name : "(not held)";
}

static struct ostune_held *held_named(const char *name)
{
	struct ostune_held *h;

	list_for_each_entry(h, &ostune_held_list, node)
		if (!strcmp(h->knob.name, name))
			return h;
	return NULL;
}

static const struct ostune_actor restorer = {
	.pid = 1,
	.comm = "kunit",
	.reason = OSTUNE_REASON_REQUEST,
};

static int restore_all(void)
{
	int ret;

	fake->log[0] = '\0';
	mutex_lock(&ostune_lock);
	ret = ostune_restore_all(&restorer);
	mutex_unlock(&ostune_lock);
	return ret;
}

static int restore_named(const struct nlattr *const *nests,
			 const char *const *names, unsigned int count,
			 struct ostune_err *err)
{
	int ret;

	fake->log[0] = '\0';
	mutex_lock(&ostune_lock);
	ret = ostune_restore_named(nests, names, count, &restorer, err);
	mutex_unlock(&ostune_lock);
	return ret;
}

static void undo_session(void)
{
	fake->log[0] = '\0';
	mutex_lock(&ostune_lock);
	ostune_undo_session(&restorer);
	mutex_unlock(&ostune_lock);
}

/* Late entries go after the others, each group in request order. */
static void txn_order_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	knob_of('a')->late = true;
	knob_of('c')->late = true;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	txn_add(t, "kunit.c", "30");
	txn_add(t, "kunit.d", "40");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "b=20 d=40 a=10 c=30");
	KUNIT_EXPECT_NE(test, t->txn_id, 0U);

	/* Held in order of first change; restore walks it backwards. */
	KUNIT_ASSERT_EQ(test, ostune_held_count, 4U);
	KUNIT_EXPECT_STREQ(test, held_name(0), "kunit.b");
	KUNIT_EXPECT_STREQ(test, held_name(1), "kunit.d");
	KUNIT_EXPECT_STREQ(test, held_name(2), "kunit.a");
	KUNIT_EXPECT_STREQ(test, held_name(3), "kunit.c");
	KUNIT_EXPECT_EQ(test, restore_all(), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "c=3 a=1 d=4 b=2");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
	KUNIT_EXPECT_TRUE(test, list_empty(&ostune_held_list));
}

static void txn_ids_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	u32 first;

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	first = t->txn_id;
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	KUNIT_EXPECT_EQ(test, t->txn_id, first + 1);
}

/*
 * A write fails at entry fail_at of the write order: everything this
 * transaction wrote before goes back, newest first, and nothing is held.
 */
static void txn_rollback_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	knob_of('c')->writes_left = 1;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	txn_add(t, "kunit.c", "30");
	txn_add(t, "kunit.d", "40");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -EIO);
	KUNIT_EXPECT_STREQ(test, fake->log, "a=10 b=20 c=30 b=2 a=1");
	KUNIT_EXPECT_STREQ(test, t->err.msg,
			   "entry 3 (kunit.c): kernel refused the value (error -5)");
	KUNIT_EXPECT_PTR_EQ(test, t->err.attr, &t->nests[2]);
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_STREQ(test, value_of('b'), "2");
	KUNIT_EXPECT_STREQ(test, value_of('c'), "3");
	KUNIT_EXPECT_STREQ(test, value_of('d'), "4");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/* A late entry fails: the early ones written before it are undone too. */
static void txn_rollback_late_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	knob_of('a')->late = true;
	knob_of('a')->writes_left = 1;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	txn_add(t, "kunit.c", "30");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -EIO);
	KUNIT_EXPECT_STREQ(test, fake->log, "b=20 c=30 a=10 c=3 b=2");
	KUNIT_EXPECT_PTR_EQ(test, t->err.attr, &t->nests[0]);
	KUNIT_EXPECT_STREQ(test, value_of('b'), "2");
	KUNIT_EXPECT_STREQ(test, value_of('c'), "3");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/* Reading the old value fails: nothing of the failing entry was written. */
static void txn_read_failure_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	knob_of('b')->reads_left = 1;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -EIO);
	KUNIT_EXPECT_STREQ(test, fake->log, "a=10 a=1");
	KUNIT_EXPECT_STREQ(test, t->err.msg,
			   "entry 2 (kunit.b): cannot read current value (error -5)");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/* The value was written but cannot be read back: it is undone as well. */
static void txn_readback_failure_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	/* The first read is of the old value, the second the read-back. */
	knob_of('b')->reads_left = 2;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -EIO);
	KUNIT_EXPECT_STREQ(test, fake->log, "a=10 b=20 b=2 a=1");
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_STREQ(test, value_of('b'), "2");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/* A failed transaction leaves the knobs an earlier one holds as they were. */
static void txn_rollback_keeps_held_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct ostune_held *h;

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	t->n = 0;
	txn_add(t, "kunit.a", "11");
	txn_add(t, "kunit.b", "20");
	knob_of('b')->writes_left = 1;
	KUNIT_EXPECT_EQ(test, txn_run(t, true), -EIO);
	KUNIT_EXPECT_STREQ(test, value_of('a'), "10");
	KUNIT_ASSERT_EQ(test, ostune_held_count, 1U);
	h = held_nth(0);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_STREQ(test, h->original, "1");
	KUNIT_EXPECT_STREQ(test, h->last_written, "10");
	KUNIT_EXPECT_FALSE(test, h->in_session);
}

/* Validation refuses before anything is written. */
static void txn_validation_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	txn_add(t, "kunit.a", "30");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -EINVAL);
	KUNIT_EXPECT_STREQ(test, t->err.msg, "entry 3 (kunit.a): also entry 1");
	KUNIT_EXPECT_PTR_EQ(test, t->err.attr, &t->nests[2]);

	t->n = 0;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "bad");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -EINVAL);
	KUNIT_EXPECT_STREQ(test, t->err.msg, "entry 2 (kunit.b): bad value");

	t->n = 0;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.z", "1");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -ENOENT);
	KUNIT_EXPECT_STREQ(test, t->err.msg,
			   "entry 2 (kunit.z): no such kunit knob");

	t->n = 0;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "nosuchclass.x", "1");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -ENOENT);
	KUNIT_EXPECT_PTR_EQ(test, t->err.attr, &t->nests[1]);

	KUNIT_EXPECT_STREQ(test, fake->log, "");
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/* No more than OSTUNE_MAX_HELD originals, counting the new ones only. */
static void txn_held_limit_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int saved;

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	/* As if OSTUNE_MAX_HELD - 1 other knobs were held too. */
	saved = ostune_held_count;
	ostune_held_count = OSTUNE_MAX_HELD;
	t->n = 0;
	txn_add(t, "kunit.a", "11");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), 0);
	txn_add(t, "kunit.b", "20");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -ENOSPC);
	ostune_held_count = saved;
	KUNIT_EXPECT_STREQ(test, value_of('a'), "11");
	KUNIT_EXPECT_STREQ(test, value_of('b'), "2");
}

/*
 * The original is the value before the first change, whatever came
 * after; last written is what the knob read back (canonicalised).
 */
static void originals_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct ostune_held *h;

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "  10");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	h = held_named("kunit.a");
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_STREQ(test, h->original, "1");
	KUNIT_EXPECT_STREQ(test, h->last_written, "10");
	KUNIT_EXPECT_STREQ(test, h->knob.sub, "a");
	KUNIT_EXPECT_PTR_EQ(test, h->knob.sub, h->knob.name + strlen("kunit."));

	t->n = 0;
	txn_add(t, "kunit.a", "20");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	KUNIT_EXPECT_PTR_EQ(test, held_named("kunit.a"), h);
	KUNIT_EXPECT_STREQ(test, h->original, "1");
	KUNIT_EXPECT_STREQ(test, h->last_written, "20");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 1U);

	/* Restored to the original, the knob is let go. */
	KUNIT_EXPECT_EQ(test, restore_all(), 0);
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/*
 * A session's changes go back to what the session found (a kept value),
 * and the kept change stays held; restore goes to the originals.
 */
static void session_undo_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct ostune_held *h;

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	t->n = 0;
	txn_add(t, "kunit.a", "11");
	txn_add(t, "kunit.b", "20");
	KUNIT_ASSERT_EQ(test, txn_run(t, true), 0);
	t->n = 0;
	txn_add(t, "kunit.a", "12");
	KUNIT_ASSERT_EQ(test, txn_run(t, true), 0);
	h = held_named("kunit.a");
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_TRUE(test, h->in_session);
	KUNIT_EXPECT_STREQ(test, h->session_prev, "10");

	undo_session();
	KUNIT_EXPECT_STREQ(test, fake->log, "b=2 a=10");
	KUNIT_EXPECT_STREQ(test, value_of('a'), "10");
	KUNIT_EXPECT_STREQ(test, value_of('b'), "2");
	/* b went back to its original and is let go; a is still kept. */
	KUNIT_ASSERT_EQ(test, ostune_held_count, 1U);
	KUNIT_EXPECT_FALSE(test, h->in_session);
	KUNIT_EXPECT_STREQ(test, h->original, "1");
	KUNIT_EXPECT_STREQ(test, h->last_written, "10");

	KUNIT_EXPECT_EQ(test, restore_all(), 0);
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/*
 * Someone else changed the knob after ostune's last write: restore
 * leaves it alone and lets it go; so does a session undo.
 */
static void drift_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	strscpy(knob_of('a')->value, "99", OSTUNE_VALUE_MAX);
	KUNIT_EXPECT_EQ(test, restore_all(), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "b=2");
	KUNIT_EXPECT_STREQ(test, value_of('a'), "99");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);

	t->n = 0;
	txn_add(t, "kunit.c", "30");
	KUNIT_ASSERT_EQ(test, txn_run(t, true), 0);
	strscpy(knob_of('c')->value, "3", OSTUNE_VALUE_MAX);
	undo_session();
	KUNIT_EXPECT_STREQ(test, fake->log, "");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/* A restore that cannot write keeps the original for a later one. */
static void restore_failure_keeps_original_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct ostune_held *h;

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	knob_of('a')->writes_left = 1;
	KUNIT_EXPECT_EQ(test, restore_all(), -EIO);
	KUNIT_EXPECT_STREQ(test, value_of('b'), "2");
	KUNIT_ASSERT_EQ(test, ostune_held_count, 1U);
	h = held_nth(0);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_STREQ(test, h->knob.name, "kunit.a");
	KUNIT_EXPECT_STREQ(test, h->original, "1");
	KUNIT_EXPECT_STREQ(test, h->last_written, "10");

	knob_of('a')->reads_left = 1;
	KUNIT_EXPECT_EQ(test, restore_all(), -EIO);
	KUNIT_EXPECT_EQ(test, ostune_held_count, 1U);

	KUNIT_EXPECT_EQ(test, restore_all(), 0);
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

static void restore_named_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	static const char *const names[] = { "kunit.a", "kunit.c" };
	static const char *const held_and_not[] = { "kunit.b", "kunit.c" };
	const struct nlattr *nests[2];
	struct ostune_err err = {};

	KUNIT_ASSERT_NOT_NULL(test, t);
	nests[0] = &t->nests[0];
	nests[1] = &t->nests[1];
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	txn_add(t, "kunit.c", "30");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);

	KUNIT_EXPECT_EQ(test, restore_named(nests, names, 2, &err), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "c=3 a=1");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 1U);
	KUNIT_EXPECT_STREQ(test, held_name(0), "kunit.b");

	/* Not held: refused whole, nothing restored. */
	KUNIT_EXPECT_EQ(test, restore_named(nests, held_and_not, 2, &err),
			-ENOENT);
	KUNIT_EXPECT_STREQ(test, err.msg, "entry 2 (kunit.c): not held by ostune");
	KUNIT_EXPECT_PTR_EQ(test, err.attr, nests[1]);
	KUNIT_EXPECT_STREQ(test, fake->log, "");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 1U);
}

static struct kunit_case txn_cases[] = {
	KUNIT_CASE(txn_order_test),
	KUNIT_CASE(txn_ids_test),
	KUNIT_CASE(txn_rollback_test),
	KUNIT_CASE(txn_rollback_late_test),
	KUNIT_CASE(txn_read_failure_test),
	KUNIT_CASE(txn_readback_failure_test),
	KUNIT_CASE(txn_rollback_keeps_held_test),
	KUNIT_CASE(txn_validation_test),
	KUNIT_CASE(txn_held_limit_test),
	{}
};

static struct kunit_suite txn_suite = {
	.name = "ostune_txn",
	.init = txn_test_init,
	.exit = txn_test_exit,
	.test_cases = txn_cases,
};

static struct kunit_case originals_cases[] = {
	KUNIT_CASE(originals_test),
	KUNIT_CASE(session_undo_test),
	KUNIT_CASE(drift_test),
	KUNIT_CASE(restore_failure_keeps_original_test),
	KUNIT_CASE(restore_named_test),
	{}
};

static struct kunit_suite originals_suite = {
	.name = "ostune_originals",
	.init = txn_test_init,
	.exit = txn_test_exit,
	.test_cases = originals_cases,
};

/* ------------------------------------------------------------ watchdog */

static void lease_test(struct kunit *test)
{
	unsigned int saved = ostune_default_watchdog_ms;

	KUNIT_EXPECT_EQ(test, lease_or_default(OSTUNE_WATCHDOG_MIN_MS),
			(u32)OSTUNE_WATCHDOG_MIN_MS);
	KUNIT_EXPECT_EQ(test, lease_or_default(OSTUNE_WATCHDOG_MAX_MS),
			(u32)OSTUNE_WATCHDOG_MAX_MS);
	KUNIT_EXPECT_EQ(test, lease_or_default(2500), 2500U);
	KUNIT_EXPECT_EQ(test, lease_or_default(1), (u32)OSTUNE_WATCHDOG_MIN_MS);
	KUNIT_EXPECT_EQ(test, lease_or_default(OSTUNE_WATCHDOG_MAX_MS + 1),
			(u32)OSTUNE_WATCHDOG_MAX_MS);
	KUNIT_EXPECT_EQ(test, lease_or_default(U32_MAX),
			(u32)OSTUNE_WATCHDOG_MAX_MS);

	/* 0 asks for the module parameter, which is clamped as well. */
	ostune_default_watchdog_ms = 10000;
	KUNIT_EXPECT_EQ(test, lease_or_default(0), 10000U);
	ostune_default_watchdog_ms = 0;
	KUNIT_EXPECT_EQ(test, lease_or_default(0), (u32)OSTUNE_WATCHDOG_MIN_MS);
	ostune_default_watchdog_ms = 50;
	KUNIT_EXPECT_EQ(test, lease_or_default(0), (u32)OSTUNE_WATCHDOG_MIN_MS);
	ostune_default_watchdog_ms = UINT_MAX;
	KUNIT_EXPECT_EQ(test, lease_or_default(0), (u32)OSTUNE_WATCHDOG_MAX_MS);
	ostune_default_watchdog_ms = saved;
}

static void reason_names_test(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, ostune_reason_name(OSTUNE_REASON_APPLY), "apply");
	KUNIT_EXPECT_STREQ(test, ostune_reason_name(OSTUNE_REASON_WATCHDOG),
			   "watchdog");
	KUNIT_EXPECT_STREQ(test, ostune_reason_name(OSTUNE_REASON_UNLOAD),
			   "unload");
	KUNIT_EXPECT_STREQ(test, ostune_reason_name(OSTUNE_REASON_UNLOAD + 1),
			   "unknown");
}

static struct kunit_case watchdog_cases[] = {
	KUNIT_CASE(lease_test),
	KUNIT_CASE(reason_names_test),
	{}
};

static struct kunit_suite watchdog_suite = {
	.name = "ostune_watchdog",
	.test_cases = watchdog_cases,
};

kunit_test_suites(&names_suite, &sysctl_suite, &txn_suite, &originals_suite,
		  &watchdog_suite);
