// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune doctor: its checks on fixture trees with and without cpuidle and
 * cpufreq drivers, the module's verdicts, and the command's output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "knobs/discover.h"
#include "knobs/doctor.h"
#include "knobs/ethtool_nl.h"
#include "unit.h"

/* CapEff of a root shell, and of one without CAP_SYS_ADMIN (bit 21). */
#define CAPS_ROOT	"000001ffffffffff"
#define CAPS_NO_SYSADMIN "000001ffffdfffff"

static void proc_status(struct test_ctx *t, const char *caps)
{
	char text[256];

	snprintf(text, sizeof(text),
		 "Name:\tostune\nUid:\t0\t0\t0\t0\nCapInh:\t0000000000000000\n"
		 "CapPrm:\t%s\nCapEff:\t%s\nCapBnd:\t%s\n", caps, caps, caps);
	fixture_file(t, "proc/self/status", text, 0444);
}

/* Everything a well-equipped host has. */
static void full_host(struct test_ctx *t)
{
	fixture_hw_tree(t);
	fixture_nic_tree(t);
	fixture_file(t, "sys/kernel/debug/sched/migration_cost_ns",
		     "500000\n", 0644);
	fixture_file(t, "proc/sys/vm/swappiness", "60\n", 0644);
	fixture_dir(t, "sys/bus/event_source/devices/cpu");
	fixture_dir(t, "sys/class/powercap/intel-rapl:0");
	fixture_mm_tree(t);
	proc_status(t, CAPS_ROOT);
}

/* A guest: no cpuidle driver ("none"), no cpufreq, no PMU, no RAPL. */
static void bare_guest(struct test_ctx *t)
{
	fixture_file(t, "sys/devices/system/cpu/cpuidle/current_driver",
		     "none\n", 0444);
	fixture_dir(t, "sys/devices/system/cpu/cpu0");
	fixture_dir(t, "sys/devices/system/cpu/cpufreq");
	fixture_file(t, "dev/cpu_dma_latency", "2000000000\n", 0600);
	fixture_irq_tree(t);
	fixture_file(t, "proc/sys/vm/swappiness", "60\n", 0644);
	fixture_file(t, "sys/kernel/debug/sched/migration_cost_ns",
		     "500000\n", 0644);
	fixture_dir(t, "sys/bus/event_source/devices/software");
	fixture_mm_tree(t);
	proc_status(t, CAPS_ROOT);
}

static const struct doctor_check *check_named(const struct doctor_report *r,
					      const char *name)
{
	size_t i;

	for (i = 0; i < r->nchecks; i++)
		if (!strcmp(r->checks[i].name, name))
			return &r->checks[i];
	return NULL;
}

/* The message of the check named name, never NULL. */
static const char *message_of(const struct doctor_report *r, const char *name)
{
	const struct doctor_check *c = check_named(r, name);

	return c ? c->message : "(no such check)";
}

static const struct doctor_module not_checked = {
	.state = DOCTOR_MODULE_NOT_CHECKED,
};

static void full_host_all_ok(struct test_ctx *t)
{
	struct doctor_report r;
	size_t i;

	full_host(t);
	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &not_checked, NULL, &r), 0);
	CHECK_INT(t, r.nchecks, 14);
	CHECK_STR(t, r.checks[0].name, "module");
	CHECK_INT(t, r.checks[0].status, DOCTOR_SKIP);
	/* a tree elsewhere: the kernel's ethtool answers are not its own */
	CHECK_INT(t, check_named(&r, "niccoal")->status, DOCTOR_SKIP);
	CHECK_STR(t, message_of(&r, "niccoal"),
		  "not checked: --sysroot is not / (the kernel answers for this host's devices)");
	for (i = 1; i < r.nchecks; i++) {
		if (!strcmp(r.checks[i].name, "niccoal"))
			continue;
		if (r.checks[i].status != DOCTOR_OK)
			test_fail(t, __FILE__, __LINE__, "%s: %s",
				  r.checks[i].name, r.checks[i].message);
		CHECK(t, r.checks[i].status == DOCTOR_OK);
	}
	for (i = 0; i < KNOB_NUM_CLASSES; i++)
		CHECK(t, !r.unavailable[i]);
	CHECK(t, r.ok);
	CHECK_STR(t, message_of(&r, "cpuidle"),
		  "cpuidle driver fake_cpuidle, 6 idle state knobs");
	CHECK_STR(t, message_of(&r, "cpufreq"),
		  "cpufreq driver fake_cpufreq, 2 policies");
	CHECK_STR(t, message_of(&r, "irq"),
		  "5 movable IRQs, 1 fixed");
	CHECK_STR(t, message_of(&r, "mm"), "THP, KSM, 3 huge page pools");
	CHECK_STR(t, message_of(&r, "wq"), "unbound workqueue CPU mask");
	CHECK_STR(t, message_of(&r, "nic"),
		  "10 nic queue knobs (RPS, RFS flow counts, XPS)");
	CHECK_STR(t, message_of(&r, "pmu"),
		  "hardware counters (PMU cpu)");
	CHECK_STR(t, message_of(&r, "debugfs"),
		  "1 sched tunables in /sys/kernel/debug/sched");
}

/* The policy counts stay policies with the governor knobs around. */
static void cpufreq_extras_named(struct test_ctx *t)
{
	struct doctor_report r;

	full_host(t);
	fixture_freqpolicy_tree(t);
	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &not_checked, NULL, &r), 0);
	CHECK_STR(t, message_of(&r, "cpufreq"),
		  "cpufreq driver fake_cpufreq, 2 policies, EPP, boost, intel_pstate globals");
}

static void guest_without_idle_and_freq(struct test_ctx *t)
{
	const struct doctor_check *c;
	struct doctor_report r;

	bare_guest(t);
	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &not_checked, NULL, &r), 0);
	c = check_named(&r, "cpuidle");
	CHECK_INT(t, c->status, DOCTOR_WARN);
	CHECK_STR(t, c->message, "no cpuidle driver");
	CHECK(t, c->hint);
	CHECK_STR(t, r.unavailable[KNOB_CLASS_IDLE], "no cpuidle driver");
	c = check_named(&r, "cpufreq");
	CHECK_INT(t, c->status, DOCTOR_WARN);
	CHECK_STR(t, r.unavailable[KNOB_CLASS_FREQ], "no cpufreq driver");
	CHECK_INT(t, check_named(&r, "pmu")->status, DOCTOR_WARN);
	CHECK_CONTAINS(t, message_of(&r, "pmu"),
		       "software events only");
	CHECK_INT(t, check_named(&r, "rapl")->status, DOCTOR_WARN);
	CHECK(t, !r.unavailable[KNOB_CLASS_SCHED]);
	CHECK(t, !r.unavailable[KNOB_CLASS_SYSCTL]);
	CHECK(t, !r.unavailable[KNOB_CLASS_PMQOS]);
	CHECK(t, !r.unavailable[KNOB_CLASS_IRQ]);
	CHECK(t, r.ok);
}

static void missing_cpuidle_file_is_no_driver(struct test_ctx *t)
{
	struct doctor_report r;

	fixture_file(t, "proc/sys/vm/swappiness", "60\n", 0644);
	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &not_checked, NULL, &r), 0);
	CHECK_STR(t, r.unavailable[KNOB_CLASS_IDLE], "no cpuidle driver");
	CHECK_STR(t, r.unavailable[KNOB_CLASS_SCHED], "debugfs not mounted");
	CHECK_STR(t, check_named(&r, "debugfs")->hint,
		  "mount -t debugfs none /sys/kernel/debug");
	CHECK_STR(t, r.unavailable[KNOB_CLASS_PMQOS],
		  "no /dev/cpu_dma_latency");
	CHECK_STR(t, r.unavailable[KNOB_CLASS_IRQ], "no movable IRQ");
	CHECK(t, !r.unavailable[KNOB_CLASS_SYSCTL]);
	CHECK(t, r.ok);
}

static void nothing_at_all_is_not_ok(struct test_ctx *t)
{
	struct doctor_report r;
	size_t i;

	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &not_checked, NULL, &r), 0);
	for (i = 0; i < KNOB_NUM_CLASSES; i++)
		CHECK(t, r.unavailable[i]);
	CHECK_STR(t, r.unavailable[KNOB_CLASS_MM], "no THP, KSM or huge pages");
	CHECK_STR(t, r.unavailable[KNOB_CLASS_WQ], "no workqueue cpumask");
	CHECK_STR(t, check_named(&r, "mm")->hint,
		  "a kernel with CONFIG_TRANSPARENT_HUGEPAGE, CONFIG_KSM or CONFIG_HUGETLBFS");
	CHECK(t, !r.ok);
	CHECK_INT(t, check_named(&r, "capabilities")->status, DOCTOR_WARN);
}

static void all_irqs_fixed(struct test_ctx *t)
{
	struct doctor_report r;

	fixture_file(t, "proc/interrupts",
		     "   CPU0\n 36:   1   PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0\n",
		     0444);
	fixture_file(t, "proc/irq/36/smp_affinity_list", "0\n", 0444);
	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &not_checked, NULL, &r), 0);
	CHECK_STR(t, message_of(&r, "irq"),
		  "no movable IRQ: all 1 are fixed");
	CHECK_STR(t, r.unavailable[KNOB_CLASS_IRQ], "no movable IRQ");
}

/* 6.1: the file is writable, the module says fixed; the caller's list counts. */
static void irq_fixed_by_the_module(struct test_ctx *t)
{
	struct doctor_report r;
	struct knob_list known;

	fixture_file(t, "proc/interrupts",
		     "   CPU0\n  0:   9   IO-APIC   2-edge      timer\n"
		     " 36:   1   PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0\n",
		     0444);
	fixture_file(t, "proc/irq/0/smp_affinity_list", "0\n", 0644);
	fixture_file(t, "proc/irq/36/smp_affinity_list", "0\n", 0644);
	CHECK_INT(t, discover_knobs(t->tmpdir, &known), 0);
	CHECK_INT(t, known.n, 2);
	CHECK_STR(t, known.items[0].name, "irq.0.affinity");
	CHECK(t, !known.items[0].fixed);
	CHECK_INT(t, knob_mark_fixed(&known.items[0]), 0);
	CHECK(t, known.items[0].fixed);
	CHECK_STR(t, knob_domain(&known.items[0]), "fixed");
	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &not_checked, &known, &r), 0);
	CHECK_STR(t, message_of(&r, "irq"), "1 movable IRQs, 1 fixed");
	knob_list_free(&known);
}

static void module_verdicts(struct test_ctx *t)
{
	struct doctor_module m = { .state = DOCTOR_MODULE_ABSENT };
	const struct doctor_check *c;
	struct doctor_report r;

	full_host(t);
	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &m, NULL, &r), 0);
	c = check_named(&r, "module");
	CHECK_INT(t, c->status, DOCTOR_FAIL);
	CHECK_STR(t, c->message, "ostune.ko is not loaded");
	CHECK_CONTAINS(t, c->hint, "modprobe ostune");
	CHECK(t, !r.ok);

	m.state = DOCTOR_MODULE_LOADED;
	m.family_version = 1;
	strcpy(m.version, "0.1.0");
	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &m, NULL, &r), 0);
	c = check_named(&r, "module");
	CHECK_INT(t, c->status, DOCTOR_OK);
	CHECK_STR(t, c->message, "ostune.ko 0.1.0 loaded, same as the CLI");
	CHECK(t, r.ok);

	CHECK_INT(t, doctor_run(t->tmpdir, "0.2.0", &m, NULL, &r), 0);
	c = check_named(&r, "module");
	CHECK_INT(t, c->status, DOCTOR_WARN);
	CHECK_STR(t, c->message, "ostune.ko 0.1.0, but the CLI is 0.2.0");
	CHECK(t, r.ok);

	m.family_version = 2;
	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &m, NULL, &r), 0);
	CHECK_INT(t, check_named(&r, "module")->status, DOCTOR_FAIL);
	CHECK(t, !r.ok);

	m.state = DOCTOR_MODULE_ERROR;
	m.error = -EPERM;
	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &m, NULL, &r), 0);
	CHECK_CONTAINS(t, message_of(&r, "module"),
		       "does not answer: Operation not permitted");
	CHECK(t, !r.ok);
}

static void capabilities_from_cap_eff(struct test_ctx *t)
{
	const struct doctor_check *c;
	struct doctor_report r;

	proc_status(t, CAPS_NO_SYSADMIN);
	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &not_checked, NULL, &r), 0);
	c = check_named(&r, "capabilities");
	CHECK_INT(t, c->status, DOCTOR_WARN);
	CHECK_STR(t, c->message, "missing CAP_SYS_ADMIN");
	proc_status(t, "0000000000000000");
	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &not_checked, NULL, &r), 0);
	CHECK_STR(t, message_of(&r, "capabilities"),
		  "missing CAP_SYS_ADMIN and CAP_NET_ADMIN");
	proc_status(t, CAPS_ROOT);
	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &not_checked, NULL, &r), 0);
	CHECK_INT(t, check_named(&r, "capabilities")->status, DOCTOR_OK);
}

static void hybrid_cpu_pmu(struct test_ctx *t)
{
	struct doctor_report r;

	fixture_dir(t, "sys/bus/event_source/devices/cpu_core");
	CHECK_INT(t, doctor_run(t->tmpdir, "0.1.0", &not_checked, NULL, &r), 0);
	CHECK_STR(t, message_of(&r, "pmu"),
		  "hardware counters (PMU cpu_core)");
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static void command_text(struct test_ctx *t)
{
	struct cli_run r;

	bare_guest(t);
	run_ostune(t, &r, "--sysroot", t->tmpdir, "doctor", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out,
		       "skip  module        not checked: --sysroot is not /\n");
	CHECK_CONTAINS(t, r.out,
		       "ok    debugfs       1 sched tunables in /sys/kernel/debug/sched\n");
	CHECK_CONTAINS(t, r.out,
		       "warn  cpuidle       no cpuidle driver; idle knobs need one: intel_idle, acpi_idle, or haltpoll in a guest\n");
	CHECK_CONTAINS(t, r.out, "warn  cpufreq       no cpufreq driver; ");
	CHECK_CONTAINS(t, r.out, "ok    irq           5 movable IRQs, 1 fixed\n");
	/* the summary is the last line */
	CHECK_CONTAINS(t, r.out, "warn  nic           no network device queue with RPS or XPS in /sys/class/net; ");
	CHECK(t, ends_with(r.out, "\nclasses: sched sysctl pmqos irq mm wq; unavailable: idle (no cpuidle driver), freq (no cpufreq driver), nic (no device queues)\n"));
}

static void command_json(struct test_ctx *t)
{
	json_t *doc, *first, *missing;
	json_error_t error;
	struct cli_run r;

	bare_guest(t);
	run_ostune(t, &r, "--sysroot", t->tmpdir, "doctor", "--json", NULL);
	CHECK_INT(t, r.status, 0);
	doc = json_loads(r.out, 0, &error);
	CHECK(t, doc);
	CHECK(t, json_is_true(json_object_get(doc, "ok")));
	first = json_array_get(json_object_get(doc, "checks"), 0);
	CHECK_STR(t, json_string_value(json_object_get(first, "name")),
		  "module");
	CHECK_STR(t, json_string_value(json_object_get(first, "status")),
		  "skip");
	CHECK(t, json_is_null(json_object_get(first, "hint")));
	CHECK_INT(t, json_array_size(json_object_get(doc, "classes")), 6);
	CHECK_STR(t, json_string_value(json_array_get(
			json_object_get(doc, "classes"), 0)), "sched");
	missing = json_object_get(doc, "unavailable");
	CHECK_STR(t, json_string_value(json_object_get(missing, "idle")),
		  "no cpuidle driver");
	CHECK_STR(t, json_string_value(json_object_get(missing, "freq")),
		  "no cpufreq driver");
	json_decref(doc);
}

static void command_exit_1_without_classes(struct test_ctx *t)
{
	struct cli_run r;

	run_ostune(t, &r, "--sysroot", t->tmpdir, "doctor", NULL);
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.out, "\nclasses: none; unavailable: sched (");
	run_ostune(t, &r, "doctor", "extra", NULL);
	CHECK_INT(t, r.status, 2);
}

static void command_module_line(struct test_ctx *t)
{
	struct cli_run r;

	/* the module is the host's: checked with the sysroot "/" only */
	run_fake(t, &r, "doctor", NULL);
	CHECK_CONTAINS(t, r.out,
		       "ok    module        ostune.ko 0.1.0 loaded, same as the CLI\n");
	CHECK_CONTAINS(t, r.log, "status\n");
	setenv("OSTUNE_FAKE_ABSENT", "1", 1);
	run_fake(t, &r, "--sysroot", "/", "doctor", NULL);
	unsetenv("OSTUNE_FAKE_ABSENT");
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.out,
		       "fail  module        ostune.ko is not loaded; run 'insmod kmod/ostune.ko' or 'modprobe ostune'\n");
	full_host(t);
	unlink(fixture_path(t, ".fake.log"));
	run_fake(t, &r, "--sysroot", t->tmpdir, "doctor", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK(t, !strstr(r.log, "status"));
}

/* Two e1000e devices and a virtio_net one, as ethtool netlink answers. */
static int three_nics(void *ctx, const char *ifname, struct nic_coal_answer *a)
{
	(void)ctx;
	if (!strcmp(ifname, "lo"))
		return -EOPNOTSUPP;
	nic_coal_answer_set(a, "rx_usecs", 3, 0);
	nic_coal_answer_set(a, "rx_ring", 256, 4096);
	return 0;
}

static void niccoal_counts_devices_and_drivers(struct test_ctx *t)
{
	static const char *const nics[][2] = {
		{ "eth0", "e1000e" }, { "eth1", "e1000e" }, { "eth2", "virtio_net" },
	};
	struct nic_coal_source src = { three_nics, NULL };
	char path[512];
	struct doctor_report r;
	struct knob_list list;
	size_t i;

	fixture_dir(t, "sys/class/net/lo");
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "sys/class/net/%s/device", nics[i][0]);
		fixture_dir(t, path);
		snprintf(path, sizeof(path), "%s/sys/class/net/%s/device/driver",
			 t->tmpdir, nics[i][0]);
		CHECK_INT(t, symlink(nics[i][1], path), 0);
	}
	CHECK_INT(t, discover_knobs_from(t->tmpdir, &src, &list), 0);
	/* the host's own other checks do not matter here, only the count */
	CHECK_INT(t, doctor_run("/", "0.1.0", &not_checked, &list, &r), 0);
	CHECK_INT(t, check_named(&r, "niccoal")->status, DOCTOR_OK);
	CHECK_STR(t, message_of(&r, "niccoal"),
		  "6 nic coalescing and ring knobs on 3 devices (e1000e,virtio_net)");
	knob_list_free(&list);
	/* none found on a live host is a warning with what would help */
	list.n = 0;
	CHECK_INT(t, doctor_run("/", "0.1.0", &not_checked, &list, &r), 0);
	CHECK_INT(t, check_named(&r, "niccoal")->status, DOCTOR_WARN);
	CHECK_STR(t, message_of(&r, "niccoal"),
		  "no network device answers ethtool's coalescing or ring query");
}

SUITE(doctor_suite, "doctor",
	CASE(full_host_all_ok),
	CASE(niccoal_counts_devices_and_drivers),
	CASE(cpufreq_extras_named),
	CASE(guest_without_idle_and_freq),
	CASE(missing_cpuidle_file_is_no_driver),
	CASE(nothing_at_all_is_not_ok),
	CASE(all_irqs_fixed),
	CASE(irq_fixed_by_the_module),
	CASE(module_verdicts),
	CASE(capabilities_from_cap_eff),
	CASE(hybrid_cpu_pmu),
	CASE(command_text),
	CASE(command_json),
	CASE(command_exit_1_without_classes),
	CASE(command_module_line),
);
