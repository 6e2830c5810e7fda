// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the session's watchdog lease (session.c) and the reasons every
 * restore gives (event.c).
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
	KUNIT_EXPECT_STREQ(test, ostune_reason_name(OSTUNE_REASON_RETRY),
			   "retry");
	KUNIT_EXPECT_STREQ(test, ostune_reason_name(OSTUNE_REASON_GONE + 1),
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

kunit_test_suite(watchdog_suite);
