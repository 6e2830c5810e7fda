// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * status against a module of another netlink family version: a warning on
 * stderr, the status itself as usual (exit 0, --json still one document).
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "lib/client.h"
#include "unit.h"

static void same_version_no_warning(struct test_ctx *t)
{
	struct cli_run r;

	run_fake(t, &r, "status", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK(t, !strstr(r.err, "warning"));
}

static void other_version_warns(struct test_ctx *t)
{
	char want[160];
	struct cli_run r;

	setenv("OSTUNE_FAKE_FAMILY_VERSION", "7", 1);
	run_fake(t, &r, "status", NULL);
	unsetenv("OSTUNE_FAKE_FAMILY_VERSION");
	CHECK_INT(t, r.status, 0);
	snprintf(want, sizeof(want),
		 "ostune: warning: ostune.ko speaks netlink family version 7, this ostune version %d;",
		 OSTUNE_FAMILY_VERSION);
	CHECK_CONTAINS(t, r.err, want);
	CHECK_CONTAINS(t, r.out, "netlink family version 7\n");
}

static void other_version_json_stays_json(struct test_ctx *t)
{
	struct cli_run r;
	json_t *doc;

	setenv("OSTUNE_FAKE_FAMILY_VERSION", "2", 1);
	run_fake(t, &r, "status", "--json", NULL);
	unsetenv("OSTUNE_FAKE_FAMILY_VERSION");
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.err, "netlink family version 2");
	doc = json_loads(r.out, 0, NULL);
	CHECK(t, doc);
	CHECK_INT(t, json_integer_value(json_object_get(doc, "version")), 2);
	json_decref(doc);
}

SUITE(status_version_suite, "status: netlink family version",
      CASE(same_version_no_warning),
      CASE(other_version_warns),
      CASE(other_version_json_stays_json));
