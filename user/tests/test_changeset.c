// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * KNOB=VALUE arguments and resolving a changeset into real knob names.
 */
#include <errno.h>
#include <stdlib.h>

#include "knobs/changeset.h"
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

/* Resolves one NAME=VALUE (value NULL for a name only) against the hw tree. */
static int resolve_one(struct test_ctx *t, const char *name,
		       const char *value, struct changeset *out, char *why,
		       size_t len)
{
	struct changeset requested = { 0 };
	struct knob_list known;
	int ret;

	fixture_hw_tree(t);
	if (discover_knobs(t->tmpdir, &known))
		return -ENOMEM;
	changeset_set(&requested, name, value);
	ret = changeset_resolve(&requested, &known, out, why, len);
	changeset_free(&requested);
	knob_list_free(&known);
	return ret;
}

static void pattern_assignment_skips_fixed_irqs(struct test_ctx *t)
{
	struct changeset out;
	char why[256];
	size_t i;

	CHECK_INT(t, resolve_one(t, "irq.*.affinity", "0-1", &out, why,
				 sizeof(why)), 0);
	CHECK_INT(t, out.n, 5);
	for (i = 0; i < out.n; i++) {
		CHECK(t, strcmp(out.items[i].name, "irq.36.affinity"));
		CHECK_STR(t, out.items[i].value, "0-1");
	}
	changeset_free(&out);
	/* reading takes them all */
	CHECK_INT(t, resolve_one(t, "irq.*.affinity", NULL, &out, why,
				 sizeof(why)), 0);
	CHECK_INT(t, out.n, 6);
	changeset_free(&out);
	/* named plainly, it goes to the kernel, which says why not */
	CHECK_INT(t, resolve_one(t, "irq.36.affinity", "0", &out, why,
				 sizeof(why)), 0);
	CHECK_INT(t, out.n, 1);
	changeset_free(&out);
}

static void pattern_of_fixed_irqs_only_refused(struct test_ctx *t)
{
	struct changeset out;
	char why[256];

	CHECK_INT(t, resolve_one(t, "irq.30-39.affinity", "0", &out, why,
				 sizeof(why)), -ENOENT);
	CHECK_CONTAINS(t, why, "only knobs that take no value");
}

static void hardware_assignments_expand(struct test_ctx *t)
{
	struct changeset out;
	char why[256];

	CHECK_INT(t, resolve_one(t, "idle.cpu0-3.state2-9.disable", "1", &out,
				 why, sizeof(why)), 0);
	CHECK_INT(t, out.n, 2);
	CHECK_STR(t, out.items[0].name, "idle.cpu0.state2.disable");
	CHECK_STR(t, out.items[1].name, "idle.cpu1.state2.disable");
	changeset_free(&out);
	CHECK_INT(t, resolve_one(t, "freq.policy*.max_khz", "1600000", &out,
				 why, sizeof(why)), 0);
	CHECK_INT(t, out.n, 2);
	changeset_free(&out);
	/* no value for offline CPUs (cpu10) */
	CHECK_INT(t, resolve_one(t, "pmqos.cpu*.resume_latency_us", "5", &out,
				 why, sizeof(why)), 0);
	CHECK_INT(t, out.n, 2);
	changeset_free(&out);
	CHECK_INT(t, resolve_one(t, "pmqos.cpu10-11.resume_latency_us", "5",
				 &out, why, sizeof(why)), -ENOENT);
	CHECK_CONTAINS(t, why, "offline CPUs");
	CHECK_INT(t, resolve_one(t, "idle.cpu01.state*.disable", "1", &out,
				 why, sizeof(why)), -ENOENT);
	CHECK_INT(t, resolve_one(t, "idle.cpu01.state1.disable", "1", &out,
				 why, sizeof(why)), -EINVAL);
}

SUITE(changeset_suite, "KNOB=VALUE and changesets",
	CASE(assignment_parsed),
	CASE(value_keeps_later_equals_and_spaces),
	CASE(malformed_assignments_refused),
	CASE(later_assignment_wins_in_place),
	CASE(pattern_then_override),
	CASE(pattern_matching_nothing_refused),
	CASE(literal_names_checked_not_discovered),
	CASE(pattern_assignment_skips_fixed_irqs),
	CASE(pattern_of_fixed_irqs_only_refused),
	CASE(hardware_assignments_expand),
);
