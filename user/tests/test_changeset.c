// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * KNOB=VALUE arguments and resolving a changeset into real knob names.
 */
#include <errno.h>
#include <stdlib.h>

#include "changeset.h"
#include "unit.h"

static void assignment_parsed(struct test_ctx *t)
{
	struct changeset cs = { 0 };
	char why[256];

	CHECK_INT(t, changeset_add_assignment(&cs, "sysctl.vm.swappiness=10",
					      why, sizeof(why)), 0);
	CHECK_INT(t, cs.n, 1);
	CHECK_STR(t, cs.items[0].name, "sysctl.vm.swappiness");
	CHECK_STR(t, cs.items[0].value, "10");
	changeset_free(&cs);
}

static void value_keeps_later_equals_and_spaces(struct test_ctx *t)
{
	struct changeset cs = { 0 };
	char why[256];

	CHECK_INT(t, changeset_add_assignment(&cs,
			"sysctl.net.ipv4.tcp_rmem=4096 87380 a=b", why,
			sizeof(why)), 0);
	CHECK_STR(t, cs.items[0].name, "sysctl.net.ipv4.tcp_rmem");
	CHECK_STR(t, cs.items[0].value, "4096 87380 a=b");
	changeset_free(&cs);
}

static void malformed_assignments_refused(struct test_ctx *t)
{
	struct changeset cs = { 0 };
	char why[256];

	CHECK_INT(t, changeset_add_assignment(&cs, "sysctl.vm.swappiness",
					      why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "KNOB=VALUE");
	CHECK_INT(t, changeset_add_assignment(&cs, "=10", why, sizeof(why)),
		  -EINVAL);
	CHECK_INT(t, changeset_add_assignment(&cs, "sysctl.vm.swappiness=",
					      why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "no value");
	CHECK_INT(t, cs.n, 0);
}

static void later_assignment_wins_in_place(struct test_ctx *t)
{
	struct changeset cs = { 0 };

	CHECK_INT(t, changeset_set(&cs, "a.x", "1"), 0);
	CHECK_INT(t, changeset_set(&cs, "a.y", "2"), 0);
	CHECK_INT(t, changeset_set(&cs, "a.x", "3"), 0);
	CHECK_INT(t, cs.n, 2);
	CHECK_STR(t, cs.items[0].name, "a.x");
	CHECK_STR(t, cs.items[0].value, "3");
	changeset_free(&cs);
}

static void make_known(struct knob_list *list)
{
	static const char *const names[] = {
		"sysctl.net.ipv4.tcp_rmem", "sysctl.net.ipv4.tcp_wmem",
		"sysctl.vm.dirty_ratio", "sysctl.vm.swappiness",
	};
	size_t i;

	list->n = 4;
	list->items = calloc(4, sizeof(*list->items));
	for (i = 0; i < 4; i++) {
		list->items[i].name = strdup(names[i]);
		list->items[i].value = strdup("0");
		list->items[i].cls = KNOB_CLASS_SYSCTL;
	}
}

static void pattern_then_override(struct test_ctx *t)
{
	struct changeset req = { 0 }, out;
	struct knob_list known;
	char why[256];

	make_known(&known);
	changeset_set(&req, "sysctl.vm.*", "5");
	changeset_set(&req, "sysctl.vm.swappiness", "10");
	CHECK_INT(t, changeset_resolve(&req, &known, &out, why, sizeof(why)),
		  0);
	CHECK_INT(t, out.n, 2);
	CHECK_STR(t, out.items[0].name, "sysctl.vm.dirty_ratio");
	CHECK_STR(t, out.items[0].value, "5");
	CHECK_STR(t, out.items[1].name, "sysctl.vm.swappiness");
	CHECK_STR(t, out.items[1].value, "10");
	changeset_free(&out);
	changeset_free(&req);
	knob_list_free(&known);
}

static void pattern_matching_nothing_refused(struct test_ctx *t)
{
	struct changeset req = { 0 }, out;
	struct knob_list known;
	char why[256];

	make_known(&known);
	changeset_set(&req, "sysctl.net.ipv6.*", "1");
	CHECK_INT(t, changeset_resolve(&req, &known, &out, why, sizeof(why)),
		  -ENOENT);
	CHECK_CONTAINS(t, why, "matches no knob");
	CHECK_INT(t, out.n, 0);
	changeset_free(&req);
	knob_list_free(&known);
}

static void literal_names_checked_not_discovered(struct test_ctx *t)
{
	struct changeset req = { 0 }, out;
	char why[256];

	/* a literal name goes to the kernel even if discovery lacks it */
	changeset_set(&req, "sched.base_slice_ns", "3000000");
	CHECK_INT(t, changeset_resolve(&req, NULL, &out, why, sizeof(why)), 0);
	CHECK_INT(t, out.n, 1);
	changeset_free(&out);
	changeset_set(&req, "sysctl.kernel.core_pattern", "x");
	CHECK_INT(t, changeset_resolve(&req, NULL, &out, why, sizeof(why)),
		  -EACCES);
	changeset_free(&req);
}

SUITE(changeset_suite, "KNOB=VALUE and changesets",
	CASE(assignment_parsed),
	CASE(value_keeps_later_equals_and_spaces),
	CASE(malformed_assignments_refused),
	CASE(later_assignment_wins_in_place),
	CASE(pattern_then_override),
	CASE(pattern_matching_nothing_refused),
	CASE(literal_names_checked_not_discovered),
);
