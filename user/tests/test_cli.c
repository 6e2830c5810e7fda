// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The built ostune binary: usage errors exit 2 before anything is sent,
 * discovery output, --version. Nothing here needs the module.
 */
#include <errno.h>
#include <stdlib.h>

#include <jansson.h>

#include "lib/client.h"
#include "unit.h"

static void host_tree(struct test_ctx *t)
{
	fixture_file(t, "sys/kernel/debug/sched/nr_migrate", "32\n", 0644);
	fixture_file(t, "sys/kernel/debug/sched/numa_balancing/scan_size_mb",
		     "256\n", 0644);
	fixture_file(t, "proc/sys/vm/swappiness", "60\n", 0644);
	fixture_file(t, "proc/sys/net/ipv4/tcp_rmem", "4096\t87380\t6291456\n",
		     0644);
	fixture_file(t, "proc/sys/net/ipv4/tcp_wmem", "4096\t16384\t4194304\n",
		     0644);
}

static void version_printed(struct test_ctx *t)
{
	struct cli_run r;

	run_ostune(t, &r, "--version", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_STR(t, r.out, "ostune " OSTUNE_VERSION "\n");
}

static void help_lists_commands(struct test_ctx *t)
{
	struct cli_run r;

	run_ostune(t, &r, "help", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "exec");
	CHECK_CONTAINS(t, r.out, "monitor");
	CHECK_CONTAINS(t, r.out, "doctor");
	run_ostune(t, &r, "help", "exec", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "--watchdog");
	run_ostune(t, &r, "set", "--help", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "--plan");
}

static void no_command_is_usage_error(struct test_ctx *t)
{
	struct cli_run r;

	run_ostune(t, &r, NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "usage:");
}

static void unknown_command_and_options(struct test_ctx *t)
{
	struct cli_run r;

	run_ostune(t, &r, "frobnicate", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "unknown command 'frobnicate'");
	run_ostune(t, &r, "--frob", "status", NULL);
	CHECK_INT(t, r.status, 2);
	run_ostune(t, &r, "status", "--frob", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "unknown option '--frob'");
	run_ostune(t, &r, "knobs", "-x", NULL);
	CHECK_INT(t, r.status, 2);
	run_ostune(t, &r, "monitor", "--count", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "needs a value");
	run_ostune(t, &r, "monitor", "--count", "zero", NULL);
	CHECK_INT(t, r.status, 2);
}

static void set_usage_errors(struct test_ctx *t)
{
	struct cli_run r;

	run_ostune(t, &r, "set", NULL);
	CHECK_INT(t, r.status, 2);
	run_ostune(t, &r, "set", "sysctl.vm.swappiness", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "KNOB=VALUE");
	run_ostune(t, &r, "set", "sysctl.kernel.modprobe=/bin/evil", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "refused: a security boundary");
	run_ostune(t, &r, "set", "idle.cpu01.state1.disable=1", "--plan", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "without leading zeros");
	run_ostune(t, &r, "set", "freq.policy0.cur_khz=800000", NULL);
	CHECK_INT(t, r.status, 2);
	run_ostune(t, &r, "get", "irq.x.affinity", NULL);
	CHECK_INT(t, r.status, 2);
	run_ostune(t, &r, "exec", "-s", "idle.cpu0.state1=1", "--", "true",
		   NULL);
	CHECK_INT(t, r.status, 2);
	run_ostune(t, &r, "get", "sysctl.vm..x", NULL);
	CHECK_INT(t, r.status, 2);
	run_ostune(t, &r, "restore", "swappiness", NULL);
	CHECK_INT(t, r.status, 2);
}

static void pattern_matching_nothing_exits_2(struct test_ctx *t)
{
	struct cli_run r;

	host_tree(t);
	run_ostune(t, &r, "--sysroot", t->tmpdir, "set",
		   "sysctl.net.ipv6.*=1", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "matches no knob");
	run_ostune(t, &r, "--sysroot", t->tmpdir, "knobs", "sysctl.fs.*",
		   NULL);
	CHECK_INT(t, r.status, 2);
	/* a queue knob has more components than nic.* */
	fixture_nic_tree(t);
	run_ostune(t, &r, "--sysroot", t->tmpdir, "knobs", "nic.*", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "'nic.*.*.*' is every queue knob");
	run_ostune(t, &r, "--sysroot", t->tmpdir, "knobs", "nic.*.*.*", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "nic.eth0.rx1.rps_cpus");
	CHECK_CONTAINS(t, r.out, "queues=\"rx 0-1, tx 0-1\"");
	CHECK(t, !strstr(r.out, "nic.eth0.100."));
}

static void apply_bad_profiles_exit_2(struct test_ctx *t)
{
	struct cli_run r;

	run_ostune(t, &r, "apply", fixture_path(t, "absent.json"), NULL);
	CHECK_INT(t, r.status, 2);
	fixture_file(t, "bad.json", "{\"knobs\": {\n\"a.b\": }\n", 0644);
	run_ostune(t, &r, "apply", fixture_path(t, "bad.json"), NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "bad.json:2:");
	fixture_file(t, "evil.json",
		     "{\"knobs\": {\"sysctl.kernel.core_pattern\": \"|x\"}}",
		     0644);
	run_ostune(t, &r, "apply", fixture_path(t, "evil.json"), "--plan",
		   NULL);
	CHECK_INT(t, r.status, 2);
	run_ostune(t, &r, "apply", NULL);
	CHECK_INT(t, r.status, 2);
}

static void exec_usage_errors(struct test_ctx *t)
{
	struct cli_run r;

	run_ostune(t, &r, "exec", "-s", "sysctl.vm.swappiness=1", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "command");
	run_ostune(t, &r, "exec", "--", "true", NULL);
	CHECK_INT(t, r.status, 2);
	run_ostune(t, &r, "exec", "--watchdog", "0.01", "-s",
		   "sysctl.vm.swappiness=1", "--", "true", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "--watchdog");
	run_ostune(t, &r, "exec", "--watchdog", "ten", "-s",
		   "sysctl.vm.swappiness=1", "--", "true", NULL);
	CHECK_INT(t, r.status, 2);
	run_ostune(t, &r, "exec", "-s", "swappiness=1", "--", "true", NULL);
	CHECK_INT(t, r.status, 2);
}

static void knobs_text_from_sysroot(struct test_ctx *t)
{
	struct cli_run r;

	host_tree(t);
	run_ostune(t, &r, "--sysroot", t->tmpdir, "knobs", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "NAME");
	CHECK_CONTAINS(t, r.out, "sched.nr_migrate");
	CHECK_CONTAINS(t, r.out, "0..4294967295");
	CHECK_CONTAINS(t, r.out, "sched.numa_balancing.scan_size_mb");
	CHECK_CONTAINS(t, r.out, "4096 87380 6291456");
	run_ostune(t, &r, "--sysroot", t->tmpdir, "knobs",
		   "sysctl.net.ipv4.tcp_*", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "tcp_wmem");
	CHECK(t, !strstr(r.out, "swappiness"));
}

static void knobs_json_keys(struct test_ctx *t)
{
	struct cli_run r;
	json_error_t error;
	json_t *doc, *knobs, *first;

	host_tree(t);
	run_ostune(t, &r, "--sysroot", t->tmpdir, "knobs", "--json", NULL);
	CHECK_INT(t, r.status, 0);
	doc = json_loads(r.out, 0, &error);
	CHECK(t, doc);
	knobs = json_object_get(doc, "knobs");
	CHECK_INT(t, json_array_size(knobs), 5);
	first = json_array_get(knobs, 0);
	CHECK_STR(t, json_string_value(json_object_get(first, "name")),
		  "sched.nr_migrate");
	CHECK_STR(t, json_string_value(json_object_get(first, "class")),
		  "sched");
	CHECK_STR(t, json_string_value(json_object_get(first, "value")), "32");
	CHECK_STR(t, json_string_value(json_object_get(first, "domain")),
		  "0..4294967295");
	CHECK(t, json_is_null(json_object_get(json_array_get(knobs, 4),
					      "domain")));
	json_decref(doc);
}

static void knobs_detail_column(struct test_ctx *t)
{
	struct cli_run r;

	fixture_hw_tree(t);
	run_ostune(t, &r, "--sysroot", t->tmpdir, "knobs",
		   "idle.cpu*.state2.disable", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_STR(t, r.out,
		  "NAME                      CLASS  VALUE  DOMAIN  DETAIL\n"
		  "idle.cpu0.state2.disable  idle   0      0|1     name=FAKE-C2 latency=50us residency=150us desc=\"fake C2\"\n"
		  "idle.cpu1.state2.disable  idle   1      0|1     name=FAKE-C2 latency=50us residency=150us desc=\"fake C2\"\n");
	run_ostune(t, &r, "--sysroot", t->tmpdir, "knobs",
		   "freq.policy0.max_khz", NULL);
	CHECK_CONTAINS(t, r.out,
		       "freq.policy0.max_khz  freq   none   none|800000..2400000  effective=1600000..2400000 available=800000,1200000,1600000,2000000,2400000 driver=fake_cpufreq cpus=0-3\n");
	run_ostune(t, &r, "--sysroot", t->tmpdir, "knobs", "irq.*.affinity",
		   NULL);
	CHECK_CONTAINS(t, r.out,
		       "irq.26.affinity  irq    0-3    CPU list in 0-7  irq-name=ttyS0 chip=IO-APIC effective=1\n");
	CHECK_CONTAINS(t, r.out,
		       "irq.36.affinity  irq    0-1    fixed            irq-name=virtio1-req.0 chip=PCI-MSIX-0000:00:02.0 effective=0\n");
	run_ostune(t, &r, "--sysroot", t->tmpdir, "knobs", "pmqos.*", NULL);
	CHECK_CONTAINS(t, r.out, "  effective=20\n");
}

static void knobs_json_details(struct test_ctx *t)
{
	json_t *doc, *knob, *details;
	json_error_t error;
	struct cli_run r;

	fixture_hw_tree(t);
	run_ostune(t, &r, "--sysroot", t->tmpdir, "knobs", "--json",
		   "idle.cpu0.state2.disable", NULL);
	CHECK_INT(t, r.status, 0);
	doc = json_loads(r.out, 0, &error);
	CHECK(t, doc);
	knob = json_array_get(json_object_get(doc, "knobs"), 0);
	CHECK_STR(t, json_string_value(json_object_get(knob, "class")), "idle");
	CHECK_STR(t, json_string_value(json_object_get(knob, "domain")),
		  "0|1");
	details = json_object_get(knob, "details");
	CHECK_STR(t, json_string_value(json_object_get(details, "name")),
		  "FAKE-C2");
	/* the unit goes into the key, the value stays a plain number */
	CHECK_STR(t, json_string_value(json_object_get(details, "latency_us")),
		  "50");
	CHECK_STR(t, json_string_value(json_object_get(details,
						       "residency_us")),
		  "150");
	CHECK_STR(t, json_string_value(json_object_get(details, "desc")),
		  "fake C2");
	json_decref(doc);
	run_ostune(t, &r, "--sysroot", t->tmpdir, "knobs", "--json",
		   "irq.40.affinity", NULL);
	CHECK_CONTAINS(t, r.out,
		       "\"details\":{\"irq-name\":\"ehci_hcd:usb1,uhci_hcd:usb2\",\"chip\":\"IO-APIC\",\"effective\":\"2\"}");
}

static void knobs_hint_for_missing_drivers(struct test_ctx *t)
{
	struct cli_run r;

	host_tree(t);
	run_ostune(t, &r, "--sysroot", t->tmpdir, "knobs", "idle.*.*.*",
		   NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "need a cpuidle driver");
	run_ostune(t, &r, "--sysroot", t->tmpdir, "knobs",
		   "freq.policy*.max_khz", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "need a cpufreq driver");
}

/* Either way, status must say something true about the module. */
static void status_reports_module_state(struct test_ctx *t)
{
	struct ostune_client c;
	struct cli_run r;
	int loaded = ostune_client_open(&c);

	if (!loaded)
		ostune_client_close(&c);
	run_ostune(t, &r, "status", "--json", NULL);
	if (loaded == -ENOENT) {
		CHECK_INT(t, r.status, 1);
		CHECK_STR(t, r.out, "{\"loaded\":false}\n");
		CHECK_CONTAINS(t, r.err, "ostune.ko is not loaded");
		CHECK_CONTAINS(t, r.err, "modprobe ostune");
	} else {
		CHECK_INT(t, r.status, loaded ? 1 : 0);
	}
}

SUITE(cli_suite, "the ostune binary",
	CASE(version_printed),
	CASE(help_lists_commands),
	CASE(no_command_is_usage_error),
	CASE(unknown_command_and_options),
	CASE(set_usage_errors),
	CASE(pattern_matching_nothing_exits_2),
	CASE(apply_bad_profiles_exit_2),
	CASE(exec_usage_errors),
	CASE(knobs_text_from_sysroot),
	CASE(knobs_json_keys),
	CASE(knobs_detail_column),
	CASE(knobs_json_details),
	CASE(knobs_hint_for_missing_drivers),
	CASE(status_reports_module_state),
);
