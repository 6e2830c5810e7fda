// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Profile files.
 */
#include <errno.h>
#include <stdio.h>

#include "knobs/profile.h"
#include "unit.h"

static int load(struct test_ctx *t, const char *json, struct changeset *cs,
		char *why, size_t len)
{
	fixture_file(t, "profile.json", json, 0644);
	return profile_load(fixture_path(t, "profile.json"), cs, why, len);
}

static void good_profile_in_file_order(struct test_ctx *t)
{
	struct changeset cs = { 0 };
	char why[512];

	CHECK_INT(t, load(t,
		"{\"name\": \"web\", \"knobs\": {\n"
		"  \"sysctl.vm.swappiness\": 10,\n"
		"  \"sysctl.net.ipv4.tcp_rmem\": \"4096 131072 6291456\",\n"
		"  \"sysctl.vm.dirty_ratio\": 0.5,\n"
		"  \"sched.nr_migrate\": 16.0,\n"
		"  \"sysctl.vm.a\": -3\n"
		"}}\n", &cs, why, sizeof(why)), 0);
	CHECK_INT(t, cs.n, 5);
	CHECK_STR(t, cs.items[0].name, "sysctl.vm.swappiness");
	CHECK_STR(t, cs.items[0].value, "10");
	CHECK_STR(t, cs.items[1].value, "4096 131072 6291456");
	CHECK_STR(t, cs.items[2].value, "0.5");
	CHECK_STR(t, cs.items[3].value, "16");
	CHECK_STR(t, cs.items[4].value, "-3");
	changeset_free(&cs);
}

static void reals_printed_naturally(struct test_ctx *t)
{
	struct changeset cs = { 0 };
	char why[512];

	CHECK_INT(t, load(t, "{\"knobs\": {\"a.b\": 0.1, \"a.c\": 2.25, "
			  "\"a.d\": 1e6}}", &cs, why, sizeof(why)), 0);
	CHECK_STR(t, cs.items[0].value, "0.1");
	CHECK_STR(t, cs.items[1].value, "2.25");
	CHECK_STR(t, cs.items[2].value, "1000000");
	changeset_free(&cs);
}

static void non_object_refused(struct test_ctx *t)
{
	struct changeset cs = { 0 };
	char why[512];

	CHECK_INT(t, load(t, "[1, 2]", &cs, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "\"knobs\" object");
	CHECK_INT(t, cs.n, 0);
}

static void missing_knobs_refused(struct test_ctx *t)
{
	struct changeset cs = { 0 };
	char why[512];

	CHECK_INT(t, load(t, "{\"knob\": {\"sysctl.vm.swappiness\": 1}}", &cs,
			  why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "\"knobs\"");
	CHECK_INT(t, load(t, "{\"knobs\": [\"sysctl.vm.swappiness\"]}", &cs,
			  why, sizeof(why)), -EINVAL);
	CHECK_INT(t, load(t, "{\"knobs\": {}}", &cs, why, sizeof(why)),
		  -EINVAL);
	CHECK_CONTAINS(t, why, "empty");
}

static void bad_value_types_refused(struct test_ctx *t)
{
	static const char *const bad[] = { "true", "null", "[1]", "{}", "\"\"" };
	struct changeset cs = { 0 };
	char json[128], why[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json),
			 "{\"knobs\": {\"sysctl.vm.swappiness\": %s}}", bad[i]);
		CHECK_INT(t, load(t, json, &cs, why, sizeof(why)), -EINVAL);
		CHECK_CONTAINS(t, why, "sysctl.vm.swappiness");
	}
	CHECK_CONTAINS(t, why, "empty value");
	changeset_free(&cs);
}

static void invalid_json_names_the_line(struct test_ctx *t)
{
	struct changeset cs = { 0 };
	char why[512];

	CHECK_INT(t, load(t, "{\"knobs\": {\n  \"sysctl.vm.swappiness\": 1,\n"
			  "  \"sysctl.vm.dirty_ratio\" 5\n}}\n", &cs, why,
			  sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "profile.json:3:");
}

static void duplicate_keys_refused(struct test_ctx *t)
{
	struct changeset cs = { 0 };
	char why[512];

	CHECK_INT(t, load(t, "{\"knobs\": {\"a.b\": 1, \"a.b\": 2}}", &cs, why,
			  sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "duplicate");
}

static void unreadable_file_refused(struct test_ctx *t)
{
	struct changeset cs = { 0 };
	char why[512];

	CHECK_INT(t, profile_load(fixture_path(t, "absent.json"), &cs, why,
				  sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "absent.json");
}

SUITE(profile_suite, "profiles",
	CASE(good_profile_in_file_order),
	CASE(reals_printed_naturally),
	CASE(non_object_refused),
	CASE(missing_knobs_refused),
	CASE(bad_value_types_refused),
	CASE(invalid_json_names_the_line),
	CASE(duplicate_keys_refused),
	CASE(unreadable_file_refused),
);
