// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Discovery of the idle, pmqos, freq and irq knobs on fixture trees
 * (tests/hwtree.c), with their domains and details.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "knobs/discover.h"
#include "knobs/ethtool_nl.h"
#include "knobs/knobname.h"
#include "knobs/sysread.h"
#include "unit.h"

static size_t count_class(const struct knob_list *list, enum knob_class cls)
{
	size_t i, n = 0;

	for (i = 0; i < list->n; i++)
		n += list->items[i].cls == cls;
	return n;
}

static void idle_states_on_two_cpus(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;

	fixture_idle_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK_INT(t, count_class(&list, KNOB_CLASS_IDLE), 6);
	k = knob_list_find(&list, "idle.cpu0.state2.disable");
	CHECK(t, k);
	CHECK_INT(t, k->cls, KNOB_CLASS_IDLE);
	CHECK_STR(t, k->value, "0");
	CHECK_STR(t, knob_domain(k), "0|1");
	CHECK_STR(t, knob_detail(k, "name"), "FAKE-C2");
	CHECK_STR(t, knob_detail(k, "latency"), "50");
	CHECK_STR(t, knob_detail(k, "residency"), "150");
	CHECK_STR(t, knob_detail(k, "desc"), "fake C2");
	CHECK_STR(t, k->details[1].unit, "us");
	CHECK_STR(t, knob_list_find(&list, "idle.cpu1.state2.disable")->value, "1");
	CHECK_STR(t, knob_detail(knob_list_find(&list, "idle.cpu1.state0.disable"),
				 "desc"), "CPUIDLE CORE POLL IDLE");
	knob_list_free(&list);
}

static void idle_of_offline_cpu_is_fixed(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;

	fixture_idle_tree(t);
	fixture_file(t, "sys/devices/system/cpu/online", "0\n", 0444);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	k = knob_list_find(&list, "idle.cpu1.state2.disable");
	CHECK(t, k);
	CHECK(t, k->fixed);
	CHECK_STR(t, knob_detail(k, "state"), "offline");
	CHECK_STR(t, knob_detail(k, "name"), "FAKE-C2");
	CHECK_STR(t, knob_domain(k), "0|1");
	CHECK(t, !knob_list_find(&list, "idle.cpu0.state2.disable")->fixed);
	knob_list_free(&list);
	/* without an online list, every CPU counts as online */
	unlink(fixture_path(t, "sys/devices/system/cpu/online"));
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK(t, !knob_list_find(&list, "idle.cpu1.state2.disable")->fixed);
	knob_list_free(&list);
}

static void idle_skips_noncanonical_entries(struct test_ctx *t)
{
	struct knob_list list;
	size_t i;

	fixture_idle_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	for (i = 0; i < list.n; i++) {
		CHECK(t, !strstr(list.items[i].name, "cpu01"));
		CHECK(t, !strstr(list.items[i].name, "state01"));
	}
	knob_list_free(&list);
}

static void pmqos_requests_and_what_others_ask(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;

	fixture_pmqos_tree(t);
	fixture_file(t, "sys/devices/system/cpu/online", "0-7\n", 0444);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK_INT(t, count_class(&list, KNOB_CLASS_PMQOS), 4);
	k = knob_list_find(&list, "pmqos.cpu_latency_us");
	CHECK(t, k);
	CHECK_STR(t, k->value, "none");
	CHECK_STR(t, knob_domain(k), "none|0..2000000000");
	CHECK_STR(t, knob_detail(k, "effective"), "20");
	k = knob_list_find(&list, "pmqos.cpu0.resume_latency_us");
	CHECK(t, k);
	CHECK_STR(t, k->value, "none");
	CHECK_STR(t, knob_domain(k), "none|0..2147483646");
	/* sysfs "0" is no constraint, "n/a" a limit of 0 us */
	CHECK_STR(t, knob_detail(k, "sysfs-request"), "none");
	k = knob_list_find(&list, "pmqos.cpu1.resume_latency_us");
	CHECK_STR(t, knob_detail(k, "sysfs-request"), "0");
	CHECK(t, !k->fixed);
	k = knob_list_find(&list, "pmqos.cpu10.resume_latency_us");
	CHECK_STR(t, knob_detail(k, "sysfs-request"), "100");
	/* not online: the module takes no value for it now */
	CHECK(t, k->fixed);
	CHECK_STR(t, knob_detail(k, "state"), "offline");
	CHECK_STR(t, knob_domain(k), "none|0..2147483646");
	/* cpu2 has a power/ directory but no resume latency */
	CHECK(t, !knob_list_find(&list, "pmqos.cpu2.resume_latency_us"));
	knob_list_free(&list);
}

static void pmqos_cpu_latency_needs_device_or_cpus(struct test_ctx *t)
{
	struct knob_list list;

	fixture_dir(t, "proc");
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK(t, !knob_list_find(&list, "pmqos.cpu_latency_us"));
	knob_list_free(&list);

	/* CPUs but no readable device: the knob, without a detail */
	fixture_dir(t, "sys/devices/system/cpu/cpu0");
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK(t, knob_list_find(&list, "pmqos.cpu_latency_us"));
	CHECK_INT(t, knob_list_find(&list, "pmqos.cpu_latency_us")->ndetails, 0);
	knob_list_free(&list);

	/* nobody asking: the kernel's default, no limit */
	fixture_file(t, "dev/cpu_dma_latency", "2000000000\n", 0600);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK_STR(t, knob_detail(knob_list_find(&list, "pmqos.cpu_latency_us"),
				 "effective"), "none");
	knob_list_free(&list);
}

static void freq_policies_with_ranges(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;

	fixture_freq_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK_INT(t, count_class(&list, KNOB_CLASS_FREQ), 4);
	k = knob_list_find(&list, "freq.policy0.min_khz");
	CHECK(t, k);
	CHECK_STR(t, k->value, "none");
	CHECK_STR(t, knob_domain(k), "none|800000..2400000");
	CHECK_STR(t, knob_detail(k, "effective"), "1600000..2400000");
	CHECK_STR(t, knob_detail(k, "available"),
		  "800000,1200000,1600000,2000000,2400000");
	CHECK_STR(t, knob_detail(k, "driver"), "fake_cpufreq");
	CHECK_STR(t, knob_detail(k, "cpus"), "0-3");
	k = knob_list_find(&list, "freq.policy4.max_khz");
	CHECK(t, k);
	CHECK_STR(t, knob_domain(k), "none|1000000..3000000");
	CHECK_STR(t, knob_detail(k, "effective"), "1000000..2000000");
	CHECK(t, !knob_detail(k, "available"));
	CHECK_STR(t, knob_detail(k, "cpus"), "4-5,7");
	CHECK(t, knob_list_find(&list, "freq.policy4.min_khz"));
	knob_list_free(&list);
}

static void freq_policy_attributes_as_they_are(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;

	fixture_freq_tree(t);
	fixture_freqpolicy_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	/* min, max and governor of both, EPP of policy0, boost, 3 pstate */
	CHECK_INT(t, count_class(&list, KNOB_CLASS_FREQ), 11);
	k = knob_list_find(&list, "freq.policy0.governor");
	CHECK(t, k);
	CHECK_STR(t, k->value, "schedutil");
	CHECK_STR(t, knob_domain(k), "performance|schedutil");
	CHECK_STR(t, knob_detail(k, "driver"), "fake_cpufreq");
	CHECK_STR(t, knob_detail(k, "cpus"), "0-3");
	k = knob_list_find(&list, "freq.policy4.governor");
	CHECK(t, k);
	CHECK_STR(t, k->value, "performance");
	CHECK_STR(t, knob_domain(k), "performance|powersave");
	k = knob_list_find(&list, "freq.policy0.epp");
	CHECK(t, k);
	CHECK_STR(t, k->value, "balance_performance");
	CHECK_STR(t, knob_domain(k),
		  "default|performance|balance_performance|balance_power|power");
	CHECK(t, !knob_list_find(&list, "freq.policy4.epp"));
	k = knob_list_find(&list, "freq.boost");
	CHECK(t, k);
	CHECK_STR(t, k->value, "1");
	CHECK_STR(t, knob_domain(k), "0|1");
	k = knob_list_find(&list, "freq.pstate.min_perf_pct");
	CHECK(t, k);
	CHECK_STR(t, k->value, "8");
	CHECK_STR(t, knob_domain(k), "0..100");
	CHECK(t, knob_list_find(&list, "freq.pstate.no_turbo"));
	CHECK(t, knob_list_find(&list, "freq.pstate.max_perf_pct"));
	knob_list_free(&list);
}

/* Without boost or intel_pstate, and a policy with no governor file. */
static void freq_policy_attributes_absent(struct test_ctx *t)
{
	struct knob_list list;

	fixture_freq_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK_INT(t, count_class(&list, KNOB_CLASS_FREQ), 4);
	CHECK(t, !knob_list_find(&list, "freq.policy0.governor"));
	CHECK(t, !knob_list_find(&list, "freq.boost"));
	CHECK(t, !knob_list_find(&list, "freq.pstate.no_turbo"));
	knob_list_free(&list);
}

static void freq_inactive_policy_takes_only_none(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;

	/* all its CPUs offline: the attributes do not read */
	fixture_file(t, "sys/devices/system/cpu/cpufreq/policy2/related_cpus",
		     "2\n", 0444);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	k = knob_list_find(&list, "freq.policy2.max_khz");
	CHECK(t, k);
	CHECK_STR(t, knob_domain(k), "none");
	CHECK_STR(t, knob_detail(k, "state"), "inactive");
	CHECK(t, k->fixed);
	CHECK(t, !knob_detail(k, "effective"));
	knob_list_free(&list);
}

static void irq_numbered_rows_only(struct test_ctx *t)
{
	struct knob_list list;
	size_t i;

	fixture_irq_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK_INT(t, count_class(&list, KNOB_CLASS_IRQ), 6);
	CHECK(t, knob_list_find(&list, "irq.0.affinity"));
	CHECK(t, knob_list_find(&list, "irq.41.affinity"));
	/* no /proc/irq/99: nothing to read or write */
	CHECK(t, !knob_list_find(&list, "irq.99.affinity"));
	for (i = 0; i < list.n; i++) {
		CHECK(t, !strstr(list.items[i].name, "NMI"));
		CHECK(t, !strstr(list.items[i].name, "LOC"));
	}
	/* numeric order: 8 before 26 before 36 */
	CHECK_STR(t, list.items[0].name, "irq.0.affinity");
	CHECK_STR(t, list.items[1].name, "irq.8.affinity");
	CHECK_STR(t, list.items[2].name, "irq.26.affinity");
	knob_list_free(&list);
}

static void irq_names_values_and_domain(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;

	fixture_irq_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	k = knob_list_find(&list, "irq.26.affinity");
	CHECK(t, k);
	CHECK_INT(t, k->cls, KNOB_CLASS_IRQ);
	CHECK_STR(t, k->value, "0-3");
	CHECK_STR(t, knob_domain(k), "CPU list in 0-7");
	CHECK(t, !k->fixed);
	CHECK_STR(t, knob_detail(k, "irq-name"), "ttyS0");
	CHECK_STR(t, knob_detail(k, "chip"), "IO-APIC");
	CHECK_STR(t, knob_detail(k, "effective"), "1");
	/* a shared line: every handler, one word */
	CHECK_STR(t, knob_detail(knob_list_find(&list, "irq.40.affinity"), "irq-name"),
		  "ehci_hcd:usb1,uhci_hcd:usb2");
	k = knob_list_find(&list, "irq.36.affinity");
	CHECK_STR(t, knob_detail(k, "chip"), "PCI-MSIX-0000:00:02.0");
	CHECK_STR(t, knob_detail(k, "irq-name"), "virtio1-req.0");
	/* no handler installed: no name, not the trigger mistaken for one */
	k = knob_list_find(&list, "irq.41.affinity");
	CHECK(t, !knob_detail(k, "irq-name"));
	CHECK_STR(t, knob_detail(k, "chip"), "IO-APIC");
	knob_list_free(&list);
}

static void irq_read_only_affinity_is_fixed(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;

	fixture_irq_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	k = knob_list_find(&list, "irq.36.affinity");
	CHECK(t, k);
	CHECK(t, k->fixed);
	CHECK_STR(t, k->value, "0-1");
	CHECK_STR(t, knob_domain(k), "fixed");
	knob_list_free(&list);
}

static void irq_domain_without_online_file(struct test_ctx *t)
{
	struct knob_list list;

	fixture_file(t, "proc/interrupts",
		     "           CPU0\n  4:  1   IO-APIC   4-edge      ttyS0\n",
		     0444);
	fixture_file(t, "proc/irq/4/smp_affinity_list", "0\n", 0644);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK_INT(t, list.n, 1);
	CHECK_STR(t, knob_domain(&list.items[0]), "CPU list");
	CHECK(t, !knob_detail(&list.items[0], "effective"));
	knob_list_free(&list);
}

static void nic_queues_values_and_domains(struct test_ctx *t)
{
	struct knob_list list;
	const struct knob *k;

	fixture_nic_tree(t);
	fixture_file(t, "sys/devices/system/cpu/online", "0-3\n", 0444);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	/* eth0: 2 rx x 2 + 2 tx; eth0.100 and lo: 2 rx knobs each */
	CHECK_INT(t, count_class(&list, KNOB_CLASS_NIC), 6 + 2 + 2);
	k = knob_list_find(&list, "nic.eth0.rx1.rps_cpus");
	CHECK(t, k);
	CHECK_INT(t, k->cls, KNOB_CLASS_NIC);
	CHECK_STR(t, k->value, "0,2-3");
	CHECK_STR(t, knob_domain(k), "CPU list in 0-3, or none");
	CHECK_STR(t, knob_detail(k, "queues"), "rx 0-1, tx 0-1");
	CHECK_STR(t, knob_list_find(&list, "nic.eth0.rx0.rps_cpus")->value, "none");
	k = knob_list_find(&list, "nic.eth0.rx1.rps_flow_cnt");
	CHECK(t, k);
	CHECK_STR(t, k->value, "4096");
	CHECK_STR(t, knob_domain(k), "0..1048576 (rounded up to a power of two)");
	CHECK_STR(t, knob_list_find(&list, "nic.eth0.tx1.xps_cpus")->value, "1");
	/* a dotted name, read whole; one tx queue: no XPS */
	k = knob_list_find(&list, "nic.eth0.100.rx0.rps_cpus");
	CHECK(t, k);
	CHECK_STR(t, k->value, "0-3");
	CHECK_STR(t, knob_detail(k, "queues"), "rx 0, tx 0");
	CHECK(t, !knob_list_find(&list, "nic.eth0.100.tx0.xps_cpus"));
	CHECK(t, !knob_list_find(&list, "nic.lo.tx0.xps_cpus"));
	CHECK(t, knob_list_find(&list, "nic.lo.rx0.rps_flow_cnt"));
	CHECK(t, !knob_list_find(&list, "nic.eth0.rx01.rps_cpus"));
	knob_list_free(&list);
}

static void nic_pattern_of_queues(struct test_ctx *t)
{
	struct knob_list list;
	size_t i, n = 0;

	fixture_nic_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	for (i = 0; i < list.n; i++)
		n += knob_pattern_match("nic.eth0.rx*.rps_cpus", list.items[i].name);
	CHECK_INT(t, n, 2);
	n = 0;
	/* '*' stays within a component: eth0.100 has one more */
	for (i = 0; i < list.n; i++)
		n += knob_pattern_match("nic.*.rx0.rps_cpus", list.items[i].name);
	CHECK_INT(t, n, 2);
	n = 0;
	for (i = 0; i < list.n; i++)
		n += knob_pattern_match("nic.eth0.100.rx0.*", list.items[i].name);
	CHECK_INT(t, n, 2);
	knob_list_free(&list);
}

/*
 * What ethtool netlink would answer on a host with an e1000e eth0 (its
 * rx-usecs and both rings), a VLAN eth0.100 whose driver has tx-usecs
 * and adaptive tx, lo (no coalescing) and eth2, whose query fails.
 */
static int fixture_coal_query(void *ctx, const char *ifname,
			      struct nic_coal_answer *a)
{
	int *asked = ctx;

	(*asked)++;
	if (!strcmp(ifname, "eth0")) {
		nic_coal_answer_set(a, "rx_usecs", 3, 0);
		nic_coal_answer_set(a, "rx_ring", 256, 4096);
		nic_coal_answer_set(a, "tx_ring", 248, 4096);
		return 0;
	}
	if (!strcmp(ifname, "eth0.100")) {
		nic_coal_answer_set(a, "tx_usecs", 16, 0);
		nic_coal_answer_set(a, "adaptive_tx", 1, 0);
		return 0;
	}
	return strcmp(ifname, "eth2") ? -EOPNOTSUPP : -EIO;
}

static size_t count_coal(const struct knob_list *list)
{
	const struct knob_nic_coal_param *param;
	char ifname[KNOB_IFNAMSIZ];
	size_t i, n = 0;

	for (i = 0; i < list->n; i++)
		n += !strncmp(list->items[i].name, "nic.", 4) &&
		     !knob_nic_coal_parse(list->items[i].name + 4, ifname, &param);
	return n;
}

static void coal_tree(struct test_ctx *t)
{
	char link[512];

	fixture_nic_tree(t);
	fixture_dir(t, "sys/class/net/eth2");
	fixture_dir(t, "sys/class/net/eth0/device");
	snprintf(link, sizeof(link), "%s/sys/class/net/eth0/device/driver",
		 t->tmpdir);
	CHECK_INT(t, symlink("../../../../bus/pci/drivers/e1000e", link), 0);
}

static void niccoal_supported_values_and_domains(struct test_ctx *t)
{
	int asked = 0;
	struct nic_coal_source src = { fixture_coal_query, &asked };
	struct knob_list list;
	const struct knob *k;

	coal_tree(t);
	CHECK_INT(t, discover_knobs_from(t->tmpdir, &src, &list), 0);
	/* every device was asked (not the bonding_masters file); lo and eth2
	 * answered nothing */
	CHECK_INT(t, asked, 4);
	CHECK_INT(t, count_coal(&list), 5);
	k = knob_list_find(&list, "nic.eth0.rx_usecs");
	CHECK(t, k);
	CHECK_INT(t, k->cls, KNOB_CLASS_NIC);
	CHECK_STR(t, k->value, "3");
	CHECK_STR(t, knob_domain(k), "0..4294967295");
	CHECK_STR(t, knob_detail(k, "driver"), "e1000e");
	CHECK_STR(t, knob_detail(k, "supported"), "rx_usecs,rx_ring,tx_ring");
	CHECK(t, !knob_detail(k, "max"));
	/* what the driver does not answer for is not a knob */
	CHECK(t, !knob_list_find(&list, "nic.eth0.tx_usecs"));
	CHECK(t, !knob_list_find(&list, "nic.eth0.adaptive_rx"));
	k = knob_list_find(&list, "nic.eth0.tx_ring");
	CHECK(t, k);
	CHECK_STR(t, k->value, "248");
	CHECK_STR(t, knob_domain(k), "1..4096");
	CHECK_STR(t, knob_detail(k, "max"), "4096");
	/* a dotted name; a virtual device has no driver link */
	k = knob_list_find(&list, "nic.eth0.100.adaptive_tx");
	CHECK(t, k);
	CHECK_STR(t, k->value, "1");
	CHECK_STR(t, knob_domain(k), "0|1");
	CHECK(t, !knob_detail(k, "driver"));
	CHECK_STR(t, knob_detail(k, "supported"), "tx_usecs,adaptive_tx");
	CHECK(t, knob_list_find(&list, "nic.eth0.100.tx_usecs"));
	/* the queue knobs are there as before */
	CHECK_INT(t, count_class(&list, KNOB_CLASS_NIC), 6 + 2 + 2 + 5);
	knob_list_free(&list);
}

static void niccoal_patterns_and_domains(struct test_ctx *t)
{
	int asked = 0;
	struct nic_coal_source src = { fixture_coal_query, &asked };
	const struct knob **m;
	struct knob_list list;
	char why[128];

	coal_tree(t);
	CHECK_INT(t, discover_knobs_from(t->tmpdir, &src, &list), 0);
	m = calloc(list.n, sizeof(*m));
	CHECK(t, m);
	/* '*' is one component: eth0.100 has no rx_usecs, and is two */
	CHECK_INT(t, knob_list_match(&list, "nic.*.rx_usecs", m), 1);
	CHECK_STR(t, m[0]->name, "nic.eth0.rx_usecs");
	CHECK_INT(t, knob_list_match(&list, "nic.*.tx_usecs", m), 0);
	CHECK_INT(t, knob_list_match(&list, "nic.eth0.100.tx_usecs", m), 1);
	CHECK_INT(t, knob_list_match(&list, "nic.eth0.*_ring", m), 2);
	/* its queue knobs (rx0.rps_cpus) are two components more */
	CHECK_INT(t, knob_list_match(&list, "nic.eth0.100.*", m), 2);
	CHECK_INT(t, knob_value_check(m[0], "0", why, sizeof(why)), 0);
	CHECK_INT(t, knob_value_check(knob_list_find(&list, "nic.eth0.rx_ring"),
				      "5000", why, sizeof(why)), -EINVAL);
	CHECK_STR(t, why, "nic.eth0.rx_ring takes 1..4096, not '5000'");
	CHECK_INT(t, knob_value_check(knob_list_find(&list, "nic.eth0.rx_ring"),
				      "0", why, sizeof(why)), -EINVAL);
	CHECK_INT(t, knob_value_check(knob_list_find(&list, "nic.eth0.100.adaptive_tx"),
				      "2", why, sizeof(why)), -EINVAL);
	CHECK_STR(t, why, "nic.eth0.100.adaptive_tx takes 0|1, not '2'");
	free(m);
	knob_list_free(&list);
}

/* A fixture tree gets none: the kernel would answer for this host. */
static void niccoal_not_on_a_sysroot(struct test_ctx *t)
{
	struct knob_list list;

	coal_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK_INT(t, count_coal(&list), 0);
	CHECK_INT(t, count_class(&list, KNOB_CLASS_NIC), 6 + 2 + 2);
	knob_list_free(&list);
}

/*
 * The kernel's own answers: lo has no coalescing, a missing device is
 * none, and the kernel says so in its extack message.
 */
static void niccoal_ethtool_netlink_errors(struct test_ctx *t)
{
	struct nic_coal_answer a = { 0 };
	struct ethtool_nl *e = NULL;
	size_t i, present = 0;

	CHECK_INT(t, ethtool_nl_open(&e), 0);
	if (!e)
		return;
	CHECK_INT(t, ethtool_nl_query(e, "lo", &a), -EOPNOTSUPP);
	for (i = 0; i < KNOB_NIC_COAL_NPARAMS; i++)
		present += a.params[i].present;
	CHECK_INT(t, present, 0);
	CHECK_INT(t, ethtool_nl_query(e, "ostune-none0", &a), -ENODEV);
	CHECK_STR(t, ethtool_nl_message(e), "no device matches name");
	ethtool_nl_close(e);
	CHECK(t, !nic_coal_answer_set(&a, "rx_usec", 1, 0));
}

static void whole_tree_sorted(struct test_ctx *t)
{
	struct knob_list list;
	size_t i, cpu1 = 0, cpu10 = 0;

	fixture_hw_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &list), 0);
	CHECK_INT(t, list.n, 6 + 4 + 4 + 6);
	for (i = 1; i < list.n; i++)
		CHECK(t, strverscmp(list.items[i - 1].name,
				    list.items[i].name) < 0);
	for (i = 0; i < list.n; i++) {
		if (!strcmp(list.items[i].name, "pmqos.cpu1.resume_latency_us"))
			cpu1 = i;
		if (!strcmp(list.items[i].name,
			    "pmqos.cpu10.resume_latency_us"))
			cpu10 = i;
	}
	CHECK(t, cpu1 < cpu10);
	knob_list_free(&list);
}

static void cpu_lists(struct test_ctx *t)
{
	char a[] = "0 1 2 3 8", b[] = "4 5 7", c[] = "0,1,3,4,5", d[] = "",
	     e[] = "2", f[] = "0 x";

	CHECK(t, words_to_cpulist(a));
	CHECK_STR(t, a, "0-3,8");
	CHECK(t, words_to_cpulist(b));
	CHECK_STR(t, b, "4-5,7");
	CHECK(t, words_to_cpulist(c));
	CHECK_STR(t, c, "0-1,3-5");
	CHECK(t, words_to_cpulist(d));
	CHECK_STR(t, d, "");
	CHECK(t, words_to_cpulist(e));
	CHECK_STR(t, e, "2");
	CHECK(t, !words_to_cpulist(f));
	CHECK_STR(t, f, "0 x");
}

static void cpu_list_membership(struct test_ctx *t)
{
	CHECK(t, cpulist_has("0-3,8", 0));
	CHECK(t, cpulist_has("0-3,8", 3));
	CHECK(t, cpulist_has("0-3,8", 8));
	CHECK(t, !cpulist_has("0-3,8", 4));
	CHECK(t, !cpulist_has("0-3,8", 9));
	CHECK(t, cpulist_has("12", 12));
	CHECK(t, !cpulist_has("", 0));
	CHECK(t, !cpulist_has("x", 0));
	CHECK(t, !cpulist_has("0-", 0));
}

static void index_lists(struct test_ctx *t)
{
	unsigned int *idx;
	size_t n;
	int fd;

	fixture_dir(t, "d/cpu10");
	fixture_dir(t, "d/cpu2");
	fixture_dir(t, "d/cpu0");
	fixture_dir(t, "d/cpu01");
	fixture_dir(t, "d/cpufreq");
	fixture_dir(t, "d/cpu");
	fixture_file(t, "d/cpu3.x", "", 0644);
	fd = open(t->tmpdir, O_RDONLY | O_DIRECTORY);
	CHECK(t, fd >= 0);
	CHECK_INT(t, list_indexes_at(fd, "d", "cpu", &idx, &n), 0);
	CHECK_INT(t, n, 3);
	CHECK_INT(t, idx[0], 0);
	CHECK_INT(t, idx[1], 2);
	CHECK_INT(t, idx[2], 10);
	free(idx);
	CHECK_INT(t, list_indexes_at(fd, "missing", "cpu", &idx, &n), 0);
	CHECK_INT(t, n, 0);
	close(fd);
}

SUITE(hwdiscover_suite, "discovery of hardware knobs",
	CASE(idle_states_on_two_cpus),
	CASE(idle_of_offline_cpu_is_fixed),
	CASE(idle_skips_noncanonical_entries),
	CASE(pmqos_requests_and_what_others_ask),
	CASE(pmqos_cpu_latency_needs_device_or_cpus),
	CASE(freq_policies_with_ranges),
	CASE(freq_policy_attributes_as_they_are),
	CASE(freq_policy_attributes_absent),
	CASE(freq_inactive_policy_takes_only_none),
	CASE(irq_numbered_rows_only),
	CASE(irq_names_values_and_domain),
	CASE(nic_queues_values_and_domains),
	CASE(nic_pattern_of_queues),
	CASE(niccoal_supported_values_and_domains),
	CASE(niccoal_patterns_and_domains),
	CASE(niccoal_not_on_a_sysroot),
	CASE(niccoal_ethtool_netlink_errors),
	CASE(irq_read_only_affinity_is_fixed),
	CASE(irq_domain_without_online_file),
	CASE(whole_tree_sorted),
	CASE(cpu_lists),
	CASE(cpu_list_membership),
	CASE(index_lists),
);
