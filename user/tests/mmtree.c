// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A host's mm and wq knobs as files, shaped like what 6.12 shows: THP
 * with its mode words, KSM, two NUMA nodes with 2 MB and 1 GB pools, the
 * unbound workqueue mask in hex.
 */
#include <stdio.h>

#include "unit.h"

#define THP "sys/kernel/mm/transparent_hugepage/"
#define KSM "sys/kernel/mm/ksm/"
#define NODE "sys/devices/system/node/"
#define WQ "sys/devices/virtual/workqueue/"

static void pool(struct test_ctx *t, int node, const char *size,
		 const char *nr, const char *free, const char *surplus)
{
	char path[160];

	snprintf(path, sizeof(path), NODE "node%d/hugepages/hugepages-%skB/nr_hugepages",
		 node, size);
	fixture_file(t, path, nr, 0644);
	snprintf(path, sizeof(path), NODE "node%d/hugepages/hugepages-%skB/free_hugepages",
		 node, size);
	fixture_file(t, path, free, 0444);
	snprintf(path, sizeof(path), NODE "node%d/hugepages/hugepages-%skB/surplus_hugepages",
		 node, size);
	fixture_file(t, path, surplus, 0444);
}

void fixture_mm_tree(struct test_ctx *t)
{
	fixture_file(t, THP "enabled", "always [madvise] never\n", 0644);
	fixture_file(t, THP "defrag",
		     "always defer defer+madvise [madvise] never\n", 0644);
	fixture_file(t, THP "khugepaged/defrag", "1\n", 0644);
	fixture_file(t, KSM "run", "0\n", 0644);
	fixture_file(t, KSM "pages_to_scan", "100\n", 0644);
	fixture_file(t, KSM "pages_sharing", "0\n", 0444);
	/* two surplus pages, overcommitted: the pool is 16 */
	pool(t, 0, "2048", "18\n", "12\n", "2\n");
	pool(t, 0, "1048576", "0\n", "0\n", "0\n");
	pool(t, 1, "2048", "0\n", "0\n", "0\n");
	/* not a page size the module can name: no knob */
	pool(t, 1, "02048", "0\n", "0\n", "0\n");
	fixture_file(t, "sys/devices/system/cpu/possible", "0-7\n", 0444);
	fixture_file(t, WQ "cpumask", "ff\n", 0644);
	fixture_file(t, WQ "cpumask_requested", "ff\n", 0444);
	fixture_file(t, WQ "cpumask_isolated", "0\n", 0444);
}
