// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Discovery on fixture trees shaped like a 6.1 host's debugfs and
 * /proc/sys.
 */
#include <stdio.h>

#include "knobs/discover.h"
#include "knobs/sysread.h"
#include "unit.h"

#define SCHED "sys/kernel/debug/sched/"
#define SYS "proc/sys/"

static void sched_tree(struct test_ctx *t)
{
	fixture_file(t, SCHED "min_granularity_ns", "3000000\n", 0644);
	fixture_file(t, SCHED "nr_migrate", "32\n", 0644);
	fixture_file(t, SCHED "numa_balancing/scan_delay_ms", "1000\n", 0644);
	fixture_file(t, SCHED "numa_balancing/scan_size_mb", "256\n", 0644);
	fixture_file(t, SCHED "features", "GENTLE_FAIR_SLEEPERS NO_HRTICK\n",
		     0644);
	fixture_file(t, SCHED "preempt", "none (voluntary) full\n", 0644);
	fixture_file(t, SCHED "verbose", "N\n", 0600);
	fixture_file(t, SCHED "tunable_scaling", "1\n", 0644);
	fixture_file(t, SCHED "read_only_ns", "5\n", 0444);
	fixture_file(t, SCHED "too_big", "4294967296\n", 0644);
	fixture_file(t, SCHED "negative", "-1\n", 0644);
	fixture_file(t, SCHED "domains/cpu0/domain0/busy_factor", "16\n",
		     0644);
}

static void sysctl_tree(struct test_ctx *t)
{
	char big[400];

	fixture_file(t, SYS "vm/swappiness", "60\n", 0644);
	fixture_file(t, SYS "vm/drop_caches", "0\n", 0200);
	/* tuning sysctls, but not both readable and writable, or too long */
	fixture_file(t, SYS "vm/dirty_bytes", "0\n", 0200);
	fixture_file(t, SYS "vm/dirty_background_bytes", "0\n", 0444);
	memset(big, '7', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	fixture_file(t, SYS "vm/min_free_kbytes", big, 0644);
	fixture_file(t, SYS "vm/deep/inner", "1\n", 0644);
	fixture_file(t, SYS "net/core/somaxconn", "4096\n", 0644);
	fixture_file(t, SYS "net/core/deep/inner", "1\n", 0644);
	fixture_file(t, SYS "net/ipv4/tcp_rmem", "4096\t131072  6291456\n",
		     0644);
	fixture_file(t, SYS "net/ipv4/tcp_fastopen_key", "0-0-0-0\n", 0600);
	fixture_file(t, SYS "net/ipv4/ip_forward", "0\n", 0644);
	fixture_file(t, SYS "net/ipv4/conf/all/rp_filter", "2\n", 0644);
	fixture_file(t, SYS "net/ipv4/neigh/default/gc_thresh1", "128\n", 0644);
	fixture_file(t, SYS "net/ipv4/neigh/default/gc_thresh3", "1024\n", 0644);
	fixture_file(t, SYS "net/ipv4/neigh/eth2/mcast_solicit", "3\n", 0644);
	fixture_file(t, SYS "net/ipv4/route/flush", "", 0200);
	fixture_file(t, SYS "net/ipv6/conf/default/hop_limit", "64\n", 0644);
	fixture_file(t, SYS "net/unix/max_dgram_qlen", "512\n", 0644);
	fixture_file(t, SYS "kernel/sched_rt_runtime_us", "950000\n", 0644);
	fixture_file(t, SYS "kernel/numa_balancing", "1\n", 0644);
	fixture_file(t, SYS "kernel/numa_balancing_scan_delay_ms", "1000\n",
		     0644);
	fixture_file(t, SYS "kernel/timer_migration", "1\n", 0644);
	fixture_file(t, SYS "kernel/modprobe", "/sbin/modprobe\n", 0644);
	fixture_file(t, SYS "kernel/core_pattern", "core\n", 0644);
	fixture_file(t, SYS "fs/file-max", "9223372036854775807\n", 0644);
}

static size_t count_class(const struct knob_list *list, enum knob_class cls)
{
	size_t i, n = 0;

	for (i = 0; i < list->n; i++)
		n += list->items[i].cls == cls;
	return n;
}

static void sched_found_with_numa_balancing(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;

	sched_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	k = knob_list_find(&list, "sched.min_granularity_ns");
	CHECK(t, k);
	CHECK_STR(t, k->value, "3000000");
	CHECK_INT(t, k->cls, KNOB_CLASS_SCHED);
	CHECK_STR(t, knob_domain(k), "0..4294967295");
	k = knob_list_find(&list, "sched.numa_balancing.scan_delay_ms");
	CHECK(t, k);
	CHECK_STR(t, k->value, "1000");
	CHECK(t, knob_list_find(&list, "sched.numa_balancing.scan_size_mb"));
	CHECK(t, knob_list_find(&list, "sched.nr_migrate"));
	CHECK_INT(t, list.n, 4);
	knob_list_free(&list);
}

static void sched_non_integers_skipped(struct test_ctx *t)
{
	struct knob_list list;

	sched_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK(t, !knob_list_find(&list, "sched.features"));
	CHECK(t, !knob_list_find(&list, "sched.preempt"));
	CHECK(t, !knob_list_find(&list, "sched.verbose"));
	CHECK(t, !knob_list_find(&list, "sched.too_big"));
	CHECK(t, !knob_list_find(&list, "sched.negative"));
	/* an integer, but not a u32 attribute: the module refuses it */
	CHECK(t, !knob_list_find(&list, "sched.tunable_scaling"));
	knob_list_free(&list);
}

static void sched_read_only_skipped(struct test_ctx *t)
{
	struct knob_list list;

	sched_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK(t, !knob_list_find(&list, "sched.read_only_ns"));
	/* only sched/ and sched/numa_balancing/ are looked at */
	CHECK(t, !knob_list_find(&list, "sched.domains.cpu0.domain0.busy_factor"));
	knob_list_free(&list);
}

/* The named tuning sysctls the tree has, and nothing else. */
static void sysctl_tuning_sysctls_only(struct test_ctx *t)
{
	static const char *const absent[] = {
		"sysctl.vm.drop_caches", "sysctl.vm.deep.inner",
		"sysctl.net.core.deep.inner", "sysctl.net.ipv4.tcp_fastopen_key",
		"sysctl.net.ipv4.ip_forward", "sysctl.net.ipv4.conf.all.rp_filter",
		"sysctl.net.ipv4.neigh.eth2.mcast_solicit",
		"sysctl.net.ipv4.route.flush",
		"sysctl.net.ipv6.conf.default.hop_limit",
		"sysctl.net.unix.max_dgram_qlen",
		"sysctl.kernel.sched_rt_runtime_us",
		"sysctl.kernel.numa_balancing_scan_delay_ms",
		"sysctl.kernel.modprobe", "sysctl.kernel.core_pattern",
		"sysctl.fs.file-max",
	};
	struct knob_list list;
	size_t i;

	sysctl_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK(t, knob_list_find(&list, "sysctl.vm.swappiness"));
	CHECK(t, knob_list_find(&list, "sysctl.net.core.somaxconn"));
	CHECK(t, knob_list_find(&list, "sysctl.net.ipv4.neigh.default.gc_thresh1"));
	CHECK(t, knob_list_find(&list, "sysctl.net.ipv4.neigh.default.gc_thresh3"));
	CHECK(t, knob_list_find(&list, "sysctl.kernel.numa_balancing"));
	CHECK(t, knob_list_find(&list, "sysctl.kernel.timer_migration"));
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		CHECK(t, !knob_list_find(&list, absent[i]));
	knob_list_free(&list);
}

static void sysctl_unusable_files_skipped(struct test_ctx *t)
{
	struct knob_list list;

	sysctl_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK(t, !knob_list_find(&list, "sysctl.vm.dirty_bytes"));	/* write-only */
	CHECK(t, !knob_list_find(&list, "sysctl.vm.dirty_background_bytes"));	/* read-only */
	CHECK(t, !knob_list_find(&list, "sysctl.vm.min_free_kbytes"));	/* too long to hold */
	CHECK_INT(t, count_class(&list, KNOB_CLASS_SYSCTL), 7);
	knob_list_free(&list);
}

static void sysctl_whitespace_folded(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;

	sysctl_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	k = knob_list_find(&list, "sysctl.net.ipv4.tcp_rmem");
	CHECK(t, k);
	CHECK_STR(t, k->value, "4096 131072 6291456");
	CHECK(t, !knob_domain(k));
	CHECK_STR(t, knob_list_find(&list, "sysctl.vm.swappiness")->value, "60");
	knob_list_free(&list);
}

static void sorted_with_numbers_in_order(struct test_ctx *t)
{
	struct knob_list list;
	size_t i;

	sysctl_tree(t);
	sched_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	for (i = 1; i < list.n; i++)
		CHECK(t, strverscmp(list.items[i - 1].name,
				    list.items[i].name) < 0);
	CHECK_STR(t, list.items[0].name, "sched.min_granularity_ns");
	knob_list_free(&list);
}

static void missing_trees_give_nothing(struct test_ctx *t)
{
	struct knob_list list;

	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK_INT(t, list.n, 0);
	CHECK_INT(t, discover_knobs(fixture_path(t, "nonexistent"), &list), 0);
	CHECK_INT(t, list.n, 0);
}

static void folding_rules(struct test_ctx *t)
{
	char s[] = "  4096\t\t87380 \n 6291456\n";
	char empty[] = " \n";

	fold_whitespace(s);
	CHECK_STR(t, s, "4096 87380 6291456");
	fold_whitespace(empty);
	CHECK_STR(t, empty, "");
}

SUITE(discover_suite, "discovery",
	CASE(sched_found_with_numa_balancing),
	CASE(sched_non_integers_skipped),
	CASE(sched_read_only_skipped),
	CASE(sysctl_tuning_sysctls_only),
	CASE(sysctl_unusable_files_skipped),
	CASE(sysctl_whitespace_folded),
	CASE(sorted_with_numbers_in_order),
	CASE(missing_trees_give_nothing),
	CASE(folding_rules),
);
