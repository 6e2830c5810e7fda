// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Patterns: '*' within one component, numeric ranges, expansion against
 * a discovered set.
 */
#include <errno.h>
#include <stdlib.h>

#include "knobs/discover.h"
#include "knobs/knobname.h"
#include "unit.h"

static void detects_patterns(struct test_ctx *t)
{
	CHECK(t, knob_is_pattern("sysctl.net.ipv4.tcp_*"));
	CHECK(t, knob_is_pattern("idle.cpu0-3.state1.disable"));
	CHECK(t, knob_is_pattern("irq.0-15.affinity"));
	CHECK(t, knob_is_pattern("freq.policy*.max_khz"));
	CHECK(t, knob_is_pattern("pmqos.cpu*.resume_latency_us"));
	CHECK(t, !knob_is_pattern("pmqos.cpu_latency_us"));
	CHECK(t, !knob_is_pattern("idle.cpu10.state2.disable"));
	CHECK(t, !knob_is_pattern("sysctl.vm.swappiness"));
	/* a dash without digits on both sides is no range */
	CHECK(t, !knob_is_pattern("sysctl.net.ipv4.conf.br-0a1b.rp_filter"));
	CHECK(t, !knob_is_pattern("sysctl.net.ipv4.conf.veth-x.rp_filter"));
}

static void star_stays_in_its_component(struct test_ctx *t)
{
	CHECK(t, knob_pattern_match("sysctl.vm.*", "sysctl.vm.swappiness"));
	CHECK(t, !knob_pattern_match("sysctl.vm.*", "sysctl.vm.a.b"));
	CHECK(t, !knob_pattern_match("sysctl.net.*", "sysctl.net.ipv4.x"));
	CHECK(t, knob_pattern_match("sysctl.net.ipv4.conf.*.rp_filter",
				    "sysctl.net.ipv4.conf.all.rp_filter"));
	CHECK(t, !knob_pattern_match("sysctl.net.ipv4.conf.*.rp_filter",
				     "sysctl.net.ipv4.conf.all.forwarding"));
}

static void star_inside_a_component(struct test_ctx *t)
{
	CHECK(t, knob_pattern_match("sysctl.net.ipv4.tcp_*mem",
				    "sysctl.net.ipv4.tcp_rmem"));
	CHECK(t, knob_pattern_match("sysctl.net.ipv4.tcp_*mem",
				    "sysctl.net.ipv4.tcp_mem"));
	CHECK(t, !knob_pattern_match("sysctl.net.ipv4.tcp_*mem",
				     "sysctl.net.ipv4.tcp_rmem_max"));
	CHECK(t, knob_pattern_match("*.vm.swap*", "sysctl.vm.swappiness"));
}

static void numeric_range(struct test_ctx *t)
{
	const char *p = "idle.cpu0-3.state*.disable";

	CHECK(t, knob_pattern_match(p, "idle.cpu0.state1.disable"));
	CHECK(t, knob_pattern_match(p, "idle.cpu3.state0.disable"));
	CHECK(t, !knob_pattern_match(p, "idle.cpu4.state1.disable"));
	CHECK(t, !knob_pattern_match(p, "idle.cpu10.state1.disable"));
	CHECK(t, !knob_pattern_match(p, "idle.cpu01.state1.disable"));
	CHECK(t, !knob_pattern_match(p, "idle.cpux.state1.disable"));
	CHECK(t, knob_pattern_match("irq.8-12.affinity", "irq.10.affinity"));
	CHECK(t, !knob_pattern_match("irq.8-12.affinity", "irq.7.affinity"));
}

static void range_component_also_literal(struct test_ctx *t)
{
	/* "veth1-2" may be an interface, not a range */
	CHECK(t, knob_pattern_match("sysctl.net.ipv4.conf.veth1-2.rp_filter",
				    "sysctl.net.ipv4.conf.veth1-2.rp_filter"));
	CHECK(t, knob_pattern_match("sysctl.net.ipv4.conf.veth1-2.rp_filter",
				    "sysctl.net.ipv4.conf.veth2.rp_filter"));
}

static void malformed_patterns_refused(struct test_ctx *t)
{
	char why[256];

	CHECK_INT(t, knob_pattern_check("idle.cpu3-0.state1.disable", why,
					sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "bad range");
	CHECK_INT(t, knob_pattern_check("sysctl.vm..*", why, sizeof(why)),
		  -EINVAL);
	CHECK_INT(t, knob_pattern_check("sysctl.vm.*/x", why, sizeof(why)),
		  -EINVAL);
	CHECK_INT(t, knob_pattern_check("sysctl.vm.?", why, sizeof(why)),
		  -EINVAL);
	CHECK_INT(t, knob_pattern_check("sysctl.vm.*", why, sizeof(why)), 0);
}

static void build_list(struct knob_list *list, const char *const *names,
		       size_t n)
{
	size_t i;

	list->items = calloc(n, sizeof(*list->items));
	list->n = n;
	for (i = 0; i < n; i++) {
		list->items[i].name = strdup(names[i]);
		list->items[i].value = strdup("1");
	}
}

static void expansion_against_discovered(struct test_ctx *t)
{
	static const char *const names[] = {
		"sysctl.net.ipv4.tcp_rmem", "sysctl.net.ipv4.tcp_wmem",
		"sysctl.net.ipv4.udp_mem", "sysctl.vm.swappiness",
	};
	const struct knob *out[4];
	struct knob_list list;
	size_t n;

	build_list(&list, names, 4);
	n = knob_list_match(&list, "sysctl.net.ipv4.tcp_*", out);
	CHECK_INT(t, n, 2);
	CHECK_STR(t, out[0]->name, "sysctl.net.ipv4.tcp_rmem");
	CHECK_STR(t, out[1]->name, "sysctl.net.ipv4.tcp_wmem");
	CHECK_INT(t, knob_list_match(&list, "sysctl.net.ipv6.*", out), 0);
	knob_list_free(&list);
}

/* The number of knobs of list (in scope) the pattern matches, into out. */
#define EXPAND(pattern) knob_list_match(&list, pattern, out)

static void hardware_patterns_expand(struct test_ctx *t)
{
	const struct knob *out[64];
	struct knob_list list;

	fixture_hw_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK(t, list.n <= 64);
	CHECK_INT(t, EXPAND("idle.cpu*.state2.disable"), 2);
	CHECK_STR(t, out[0]->name, "idle.cpu0.state2.disable");
	CHECK_STR(t, out[1]->name, "idle.cpu1.state2.disable");
	/* a range on an embedded prefix, with a star in the next part */
	CHECK_INT(t, EXPAND("idle.cpu0-3.state*.disable"), 6);
	CHECK_INT(t, EXPAND("idle.cpu1-3.state1-2.disable"), 2);
	CHECK_STR(t, out[0]->name, "idle.cpu1.state1.disable");
	CHECK_INT(t, EXPAND("idle.cpu*.state*.*"), 6);
	/* cpu_latency_us has a part fewer: the star does not reach it */
	CHECK_INT(t, EXPAND("pmqos.cpu*.resume_latency_us"), 3);
	CHECK_STR(t, out[2]->name, "pmqos.cpu10.resume_latency_us");
	CHECK_INT(t, EXPAND("pmqos.cpu0-9.resume_latency_us"), 2);
	CHECK_INT(t, EXPAND("pmqos.*"), 1);
	CHECK_INT(t, EXPAND("freq.policy*.max_khz"), 2);
	CHECK_STR(t, out[0]->name, "freq.policy0.max_khz");
	CHECK_STR(t, out[1]->name, "freq.policy4.max_khz");
	CHECK_INT(t, EXPAND("freq.policy0-3.*"), 2);
	CHECK_INT(t, EXPAND("freq.policy*.*_khz"), 4);
	CHECK_INT(t, EXPAND("irq.*.affinity"), 6);
	CHECK_INT(t, EXPAND("irq.0-30.affinity"), 3);
	CHECK_STR(t, out[2]->name, "irq.26.affinity");
	CHECK_INT(t, EXPAND("idle.cpu2-3.state*.disable"), 0);
	knob_list_free(&list);
}

SUITE(pattern_suite, "patterns",
	CASE(detects_patterns),
	CASE(star_stays_in_its_component),
	CASE(star_inside_a_component),
	CASE(numeric_range),
	CASE(range_component_also_literal),
	CASE(malformed_patterns_refused),
	CASE(expansion_against_discovered),
	CASE(hardware_patterns_expand),
);
