// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Discovery of the mm and wq knobs on a fixture tree (tests/mmtree.c):
 * the THP mode words, KSM, the huge page pools of every node and size,
 * the workqueue mask as a CPU list; their names and patterns.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "knobs/discover.h"
#include "knobs/sysread.h"
#include "unit.h"

static void thp_value_is_the_bracketed_word(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;

	fixture_mm_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	k = knob_list_find(&list, "mm.thp.enabled");
	CHECK(t, k);
	CHECK_INT(t, k->cls, KNOB_CLASS_MM);
	CHECK_STR(t, k->value, "madvise");
	CHECK_STR(t, knob_domain(k), "always|madvise|never");
	k = knob_list_find(&list, "mm.thp.defrag");
	CHECK(t, k);
	CHECK_STR(t, k->value, "madvise");
	CHECK_STR(t, knob_domain(k), "always|defer|defer+madvise|madvise|never");
	k = knob_list_find(&list, "mm.thp.khugepaged_defrag");
	CHECK(t, k);
	CHECK_STR(t, k->value, "1");
	CHECK_STR(t, knob_domain(k), "0|1");
	knob_list_free(&list);
}

/* A file with no bracketed word is no mode knob. */
static void thp_without_selection_skipped(struct test_ctx *t)
{
	struct knob_list list;

	fixture_mm_tree(t);
	fixture_file(t, "sys/kernel/mm/transparent_hugepage/enabled",
		     "always madvise never\n", 0644);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK(t, !knob_list_find(&list, "mm.thp.enabled"));
	CHECK(t, knob_list_find(&list, "mm.thp.defrag"));
	knob_list_free(&list);
}

static void ksm_run_and_scan(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;

	fixture_mm_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	k = knob_list_find(&list, "mm.ksm.run");
	CHECK(t, k);
	CHECK_STR(t, k->value, "0");
	/* 2 (unmerge) is an action the module refuses */
	CHECK_STR(t, knob_domain(k), "0|1");
	CHECK_STR(t, knob_detail(k, "pages-sharing"), "0");
	k = knob_list_find(&list, "mm.ksm.pages_to_scan");
	CHECK(t, k);
	CHECK_STR(t, k->value, "100");
	CHECK_STR(t, knob_domain(k), "0..4294967295");
	knob_list_free(&list);
}

static void hugepage_pools_per_node_and_size(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;
	const struct knob **m;

	fixture_mm_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	k = knob_list_find(&list, "mm.node0.hugepages_2048kB");
	CHECK(t, k);
	CHECK_STR(t, k->value, "16");
	CHECK_STR(t, knob_domain(k), "0..4294967295");
	CHECK_STR(t, knob_detail(k, "page-size"), "2048");
	CHECK_STR(t, k->details[0].unit, "kB");
	CHECK_STR(t, knob_detail(k, "free"), "12");
	CHECK_STR(t, knob_detail(k, "surplus"), "2");
	CHECK(t, knob_list_find(&list, "mm.node0.hugepages_1048576kB"));
	CHECK(t, knob_list_find(&list, "mm.node1.hugepages_2048kB"));
	CHECK(t, !knob_list_find(&list, "mm.node1.hugepages_02048kB"));
	m = calloc(list.n, sizeof(*m));
	CHECK(t, m);
	if (m) {
		CHECK_INT(t, knob_list_match(&list, "mm.node*.hugepages_2048kB", m), 2);
		CHECK_STR(t, m[0]->name, "mm.node0.hugepages_2048kB");
		CHECK_STR(t, m[1]->name, "mm.node1.hugepages_2048kB");
		/* '*' is one part of a name */
		CHECK_INT(t, knob_list_match(&list, "mm.*", m), 0);
		CHECK_INT(t, knob_list_match(&list, "mm.*.*", m), 8);
		CHECK_INT(t, knob_list_match(&list, "mm.thp.*", m), 3);
		CHECK_INT(t, knob_list_match(&list, "mm.node0-1.*", m), 3);
	}
	free(m);
	knob_list_free(&list);
}

static void wq_mask_as_cpu_list(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;

	fixture_mm_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	k = knob_list_find(&list, "wq.cpumask");
	CHECK(t, k);
	CHECK_INT(t, k->cls, KNOB_CLASS_WQ);
	CHECK_STR(t, k->value, "0-7");
	CHECK_STR(t, knob_domain(k), "CPU list in 0-7");
	CHECK_STR(t, knob_detail(k, "requested"), "0-7");
	CHECK_STR(t, knob_detail(k, "isolated"), "none");
	knob_list_free(&list);
}

/* A 6.1 kernel: no requested or isolated mask; a tree without mm: no knobs. */
static void wq_without_extras_and_no_mm(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;
	size_t i;

	fixture_file(t, "sys/devices/virtual/workqueue/cpumask", "5\n", 0644);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	k = knob_list_find(&list, "wq.cpumask");
	CHECK(t, k);
	CHECK_STR(t, k->value, "0,2");
	CHECK_STR(t, knob_domain(k), "CPU list");
	CHECK(t, !knob_detail(k, "requested"));
	for (i = 0; i < list.n; i++)
		CHECK(t, list.items[i].cls != KNOB_CLASS_MM);
	knob_list_free(&list);
}

static void hex_masks(struct test_ctx *t)
{
	char s[64];

	strcpy(s, "f");
	CHECK(t, hexmask_to_cpulist(s, sizeof(s)));
	CHECK_STR(t, s, "0-3");
	strcpy(s, "ff,00000001");
	CHECK(t, hexmask_to_cpulist(s, sizeof(s)));
	CHECK_STR(t, s, "0,32-39");
	strcpy(s, "A");
	CHECK(t, hexmask_to_cpulist(s, sizeof(s)));
	CHECK_STR(t, s, "1,3");
	strcpy(s, "0");
	CHECK(t, hexmask_to_cpulist(s, sizeof(s)));
	CHECK_STR(t, s, "");
	strcpy(s, "0-3");
	CHECK(t, !hexmask_to_cpulist(s, sizeof(s)));
	CHECK_STR(t, s, "0-3");
	s[0] = '\0';
	CHECK(t, !hexmask_to_cpulist(s, sizeof(s)));
}

static void cpulist_hex_round_trip(struct test_ctx *t)
{
	char hex[64];

	CHECK(t, cpulist_to_hexmask("0-3", hex, sizeof(hex)));
	CHECK_STR(t, hex, "f");
	CHECK(t, cpulist_to_hexmask("31", hex, sizeof(hex)));
	CHECK_STR(t, hex, "80000000");
	CHECK(t, cpulist_to_hexmask("32", hex, sizeof(hex)));
	CHECK_STR(t, hex, "1,00000000");
	CHECK(t, hexmask_to_cpulist(hex, sizeof(hex)));
	CHECK_STR(t, hex, "32");
	CHECK(t, !cpulist_to_hexmask("", hex, sizeof(hex)));
	CHECK(t, !cpulist_to_hexmask("3-1", hex, sizeof(hex)));
	CHECK(t, !cpulist_to_hexmask("0-4096", hex, sizeof(hex)));
	CHECK(t, !cpulist_to_hexmask("0-63", hex, 4));
}

static int check(const char *name, char *why, size_t len)
{
	return knob_name_check(name, NULL, why, len);
}

static void mm_and_wq_names(struct test_ctx *t)
{
	char why[512];

	CHECK_INT(t, check("mm.thp.enabled", why, sizeof(why)), 0);
	CHECK_INT(t, check("mm.thp.khugepaged_defrag", why, sizeof(why)), 0);
	CHECK_INT(t, check("mm.ksm.pages_to_scan", why, sizeof(why)), 0);
	CHECK_INT(t, check("mm.node12.hugepages_1048576kB", why, sizeof(why)), 0);
	CHECK_INT(t, check("wq.cpumask", why, sizeof(why)), 0);
	CHECK_INT(t, check("mm.thp.enable", why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "mm.nodeN.hugepages_SIZEkB");
	CHECK_INT(t, check("mm.node01.hugepages_2048kB", why, sizeof(why)), -EINVAL);
	CHECK_INT(t, check("mm.node0.hugepages_02048kB", why, sizeof(why)), -EINVAL);
	CHECK_INT(t, check("mm.node0.hugepages_2048kb", why, sizeof(why)), -EINVAL);
	CHECK_INT(t, check("mm.node0.hugepages_kB", why, sizeof(why)), -EINVAL);
	CHECK_INT(t, check("mm.node0.hugepages_2048.kB", why, sizeof(why)), -EINVAL);
	CHECK_INT(t, check("mm.ksm.run.x", why, sizeof(why)), -EINVAL);
	CHECK_INT(t, check("wq.cpumask_requested", why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "want wq.cpumask");
	CHECK_INT(t, knob_pattern_check("mm.node*.hugepages_2048kB", why,
					sizeof(why)), 0);
	CHECK_INT(t, knob_pattern_check("mm.node*.huge pages", why, sizeof(why)),
		  -EINVAL);
	CHECK_CONTAINS(t, why, "bad character ' '");
}

SUITE(mmdiscover_suite, "discovery of mm and wq knobs",
	CASE(thp_value_is_the_bracketed_word),
	CASE(thp_without_selection_skipped),
	CASE(ksm_run_and_scan),
	CASE(hugepage_pools_per_node_and_size),
	CASE(wq_mask_as_cpu_list),
	CASE(wq_without_extras_and_no_mm),
	CASE(hex_masks),
	CASE(cpulist_hex_round_trip),
	CASE(mm_and_wq_names),
);
