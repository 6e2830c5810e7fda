// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What ostune-apply.service relies on: IRQs named by their handler
 * (irq.action:HANDLER.affinity) resolved against discovery, several
 * profiles and directories of them as one transaction, and apply --wait
 * for knobs whose devices appear later.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "knobs/irqaction.h"
#include "knobs/profile.h"
#include "knobs/sysread.h"
#include "unit.h"

static void irq_action_names_checked(struct test_ctx *t)
{
	char why[256];

	CHECK(t, knob_is_irq_action("irq.action:ttyS0.affinity"));
	CHECK(t, !knob_is_irq_action("irq.26.affinity"));
	CHECK(t, knob_is_pattern("irq.action:ttyS0.affinity"));
	CHECK_INT(t, knob_irq_action_check("irq.action:virtio1-req.0.affinity", why,
				      sizeof(why)), 0);
	CHECK_INT(t, knob_irq_action_check("irq.action:ahci[0000:00:1f.2].affinity",
				      why, sizeof(why)), 0);
	CHECK_INT(t, knob_pattern_check("irq.action:.affinity", why,
					sizeof(why)), -EINVAL);
	CHECK_STR(t, why, "irq.action:.affinity: no handler name");
	CHECK_INT(t, knob_pattern_check("irq.action:ttyS0", why, sizeof(why)),
		  -EINVAL);
	CHECK_CONTAINS(t, why, "want irq.action:HANDLER.affinity");
	CHECK_INT(t, knob_pattern_check("irq.action:a,b.affinity", why,
					sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "without ','");
	/* only discovery knows handlers: a name never matches by itself */
	CHECK(t, !knob_pattern_match("irq.action:ttyS0.affinity",
				     "irq.26.affinity"));
}

static void irq_action_resolves_by_discovery(struct test_ctx *t)
{
	const struct knob *m[16];
	struct knob_list known = { 0 };

	fixture_irq_tree(t);
	CHECK_INT(t, discover_knobs(t->tmpdir, &known), 0);
	CHECK_INT(t, knob_list_match(&known, "irq.action:ttyS0.affinity", m), 1);
	CHECK_STR(t, m[0]->name, "irq.26.affinity");
	/* a shared IRQ answers to each of its handlers */
	CHECK_INT(t, knob_list_match(&known, "irq.action:uhci_hcd:usb2.affinity", m), 1);
	CHECK_STR(t, m[0]->name, "irq.40.affinity");
	CHECK_INT(t, knob_list_match(&known, "irq.action:*hci_hcd:usb*.affinity", m), 1);
	CHECK_INT(t, knob_list_match(&known, "irq.action:[rt]*.affinity", m), 3);
	CHECK_STR(t, m[0]->name, "irq.0.affinity");
	CHECK_STR(t, m[1]->name, "irq.8.affinity");
	CHECK_STR(t, m[2]->name, "irq.26.affinity");
	CHECK_INT(t, knob_list_match(&known, "irq.action:eth0*.affinity", m), 0);
	knob_list_free(&known);
}

static void irq_action_name_when_unique(struct test_ctx *t)
{
	struct knob_list known = { 0 };
	char out[256];

	fixture_irq_tree(t);
	fixture_file(t, "proc/irq/50/smp_affinity_list", "0-3\n", 0644);
	fixture_file(t, "proc/interrupts",
		"           CPU0       CPU1\n"
		" 26:          0         13   IO-APIC   4-edge      ttyS0\n"
		" 36:          1          0 PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0\n"
		" 40:          7          0   IO-APIC  16-fasteoi   ehci_hcd:usb1, uhci_hcd:usb2\n"
		" 41:          0          0   IO-APIC  17-fasteoi\n"
		" 50:          0          0   IO-APIC  18-fasteoi   ttyS0\n", 0444);
	CHECK_INT(t, discover_knobs(t->tmpdir, &known), 0);
	CHECK(t, irq_action_name_of(&known, "irq.36.affinity", out, sizeof(out)));
	CHECK_STR(t, out, "irq.action:virtio1-req.0.affinity");
	/* two IRQs have a ttyS0 handler; 40 has two handlers; 41 none */
	CHECK(t, !irq_action_name_of(&known, "irq.26.affinity", out, sizeof(out)));
	CHECK(t, !irq_action_name_of(&known, "irq.40.affinity", out, sizeof(out)));
	CHECK(t, !irq_action_name_of(&known, "irq.41.affinity", out, sizeof(out)));
	CHECK(t, !irq_action_name_of(&known, "irq.77.affinity", out, sizeof(out)));
	CHECK(t, !irq_action_name_of(&known, "sysctl.vm.swappiness", out, sizeof(out)));
	knob_list_free(&known);
}

/* The client double's log starts anew: one run's calls only. */
static void fresh_log(struct test_ctx *t)
{
	unlink(fixture_path(t, ".fake.log"));
}

static void set_by_handler_name(struct test_ctx *t)
{
	struct cli_run r;

	fixture_irq_tree(t);
	run_fake(t, &r, "--sysroot", t->tmpdir, "set",
		 "irq.action:ttyS0.affinity=1", "irq.action:*usb2.affinity=2-3",
		 NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.log, "apply irq.26.affinity=1\napply irq.40.affinity=2-3\n");
	/* nothing of that name: a usage error, nothing sent */
	fresh_log(t);
	run_fake(t, &r, "--sysroot", t->tmpdir, "set",
		 "irq.action:eth0-TxRx-0.affinity=1", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_STR(t, r.err, "ostune: irq.action:eth0-TxRx-0.affinity: no IRQ has a handler of that name ('ostune knobs irq.*' shows each IRQ's irq-name)\n");
	CHECK_STR(t, r.log, "");
	/* the kernel will not move 36: said, not sent */
	run_fake(t, &r, "--sysroot", t->tmpdir, "set",
		 "irq.action:virtio1-req.0.affinity=1", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "matches only knobs that take no value now");
	CHECK_STR(t, r.log, "");
	run_fake(t, &r, "--sysroot", t->tmpdir, "knobs",
		 "irq.action:ttyS0.affinity", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "\nirq.26.affinity ");
}

/* The module holds IRQ 26, whose handler is ttyS0. */
static void restore_by_handler_name(struct test_ctx *t)
{
	struct cli_run r;

	fixture_irq_tree(t);
	setenv("OSTUNE_FAKE_HOLD", "irq.26.affinity", 1);
	run_fake(t, &r, "--sysroot", t->tmpdir, "restore",
		 "irq.action:tty*.affinity", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_STR(t, r.out, "restored 1 knob\n");
	CHECK_CONTAINS(t, r.log, "restore irq.26.affinity\n");
	/* a held IRQ only: 8 has the handler rtc0 but is not held */
	fresh_log(t);
	run_fake(t, &r, "--sysroot", t->tmpdir, "restore",
		 "irq.action:rtc0.affinity", NULL);
	unsetenv("OSTUNE_FAKE_HOLD");
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "irq.action:rtc0.affinity: no IRQ has a handler of that name");
	CHECK(t, !strstr(r.log, "restore irq"));
}

static void profiles_of_a_directory_in_order(struct test_ctx *t)
{
	struct changeset cs = { 0 };
	char *paths[2], why[512];

	fixture_file(t, "etc/profile.json",
		     "{\"knobs\": {\"sysctl.vm.swappiness\": 10, \"sysctl.vm.dirty_ratio\": 5}}", 0644);
	fixture_file(t, "etc/profiles.d/20-b.json",
		     "{\"knobs\": {\"sysctl.vm.swappiness\": 30}}", 0644);
	fixture_file(t, "etc/profiles.d/10-a.json",
		     "{\"knobs\": {\"sysctl.vm.swappiness\": 20, \"sched.nr_migrate\": 8}}", 0644);
	fixture_file(t, "etc/profiles.d/notes.txt", "not a profile", 0644);
	fixture_file(t, "etc/profiles.d/.hidden.json", "not JSON", 0644);
	paths[0] = strdup(fixture_path(t, "etc/profile.json"));
	paths[1] = strdup(fixture_path(t, "etc/profiles.d"));
	CHECK_INT(t, profile_load_all(paths, 2, false, &cs, why, sizeof(why)), 0);
	CHECK_INT(t, cs.n, 3);
	CHECK_STR(t, cs.items[0].name, "sysctl.vm.swappiness");
	CHECK_STR(t, cs.items[0].value, "30");
	CHECK_STR(t, cs.items[1].value, "5");
	CHECK_STR(t, cs.items[2].name, "sched.nr_migrate");
	changeset_free(&cs);
	/* a bad profile among them fails the whole */
	fixture_file(t, "etc/profiles.d/30-c.json", "{\"knobs\": {}}", 0644);
	CHECK_INT(t, profile_load_all(paths, 2, false, &cs, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "30-c.json: \"knobs\" is empty");
	changeset_free(&cs);
	free(paths[0]);
	free(paths[1]);
}

static void missing_profiles(struct test_ctx *t)
{
	struct changeset cs = { 0 };
	char *paths[2], why[512];

	fixture_dir(t, "etc/profiles.d");
	paths[0] = strdup(fixture_path(t, "etc/profile.json"));
	paths[1] = strdup(fixture_path(t, "etc/profiles.d"));
	CHECK_INT(t, profile_load_all(paths, 2, false, &cs, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "profile.json: No such file or directory");
	CHECK_INT(t, profile_load_all(paths, 2, true, &cs, why, sizeof(why)), -ENOENT);
	CHECK_CONTAINS(t, why, "no profile to apply: ");
	CHECK_CONTAINS(t, why, "/etc/profile.json and the other paths hold none");
	fixture_file(t, "etc/profiles.d/a.json", "{\"knobs\": {\"sysctl.vm.swappiness\": 1}}", 0644);
	CHECK_INT(t, profile_load_all(paths, 2, true, &cs, why, sizeof(why)), 0);
	CHECK_INT(t, cs.n, 1);
	changeset_free(&cs);
	free(paths[0]);
	free(paths[1]);
}

static void apply_several_as_one_transaction(struct test_ctx *t)
{
	char gone[512], a[512];
	struct cli_run r;

	fixture_file(t, "a.json", "{\"knobs\": {\"sysctl.vm.swappiness\": 10}}", 0644);
	fixture_file(t, "d/1.json", "{\"knobs\": {\"sysctl.vm.dirty_ratio\": 5}}", 0644);
	snprintf(gone, sizeof(gone), "%s", fixture_path(t, "gone.json"));
	snprintf(a, sizeof(a), "%s", fixture_path(t, "a.json"));
	run_fake(t, &r, "apply", "--missing-ok", gone, a, fixture_path(t, "d"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_STR(t, r.out, "applied 2 knobs (txn 5)\n");
	CHECK_STR(t, r.log, "open\napply sysctl.vm.swappiness=10\napply sysctl.vm.dirty_ratio=5\nclose\n");
	run_fake(t, &r, "apply", fixture_path(t, "gone.json"), NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "gone.json: No such file or directory\n");
	run_fake(t, &r, "apply", "--wait", "x", fixture_path(t, "a.json"), NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "--wait: 'x' is not a number of seconds");
	run_fake(t, &r, "apply", "--plan", "--wait", "3", fixture_path(t, "a.json"), NULL);
	CHECK_INT(t, r.status, 2);
}

/*
 * Until the running CLI's stderr says it waits (at most 8 s): what it
 * waits for may appear only then, however slowly it started (valgrind).
 */
static void until_it_waits(struct test_ctx *t)
{
	struct timespec tick = { 0, 10 * 1000000L };
	char err[4096];
	FILE *f;
	size_t n;
	int ms;

	for (ms = 0; ms < 8000; ms += 10) {
		f = fopen(fixture_path(t, ".stderr"), "r");
		n = f ? fread(err, 1, sizeof(err) - 1, f) : 0;
		if (f)
			fclose(f);
		err[n] = '\0';
		if (strstr(err, "waiting up to"))
			return;
		nanosleep(&tick, NULL);
	}
}

/* The handler appears in /proc/interrupts while apply --wait waits. */
static void apply_waits_for_a_handler(struct test_ctx *t)
{
	struct cli_run r;
	pid_t pid;

	fixture_irq_tree(t);
	fixture_file(t, "p.json", "{\"knobs\": {\"irq.action:eth0-rx.affinity\": \"1\", \"sysctl.vm.swappiness\": 7}}", 0644);
	pid = start_fake(t, "--sysroot", t->tmpdir, "apply", "--wait", "8",
			 fixture_path(t, "p.json"), NULL);
	until_it_waits(t);
	fixture_file(t, "proc/interrupts",
		"           CPU0       CPU1\n"
		" 41:          0          0   IO-APIC  17-fasteoi   eth0-rx\n", 0444);
	finish_cli(t, &r, pid);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.err, "ostune: waiting up to 8 s for the knobs to appear: irq.action:eth0-rx.affinity: no IRQ has a handler of that name");
	CHECK_STR(t, r.out, "applied 2 knobs (txn 5)\n");
	/* nothing went to the kernel before everything was there */
	CHECK_STR(t, r.log, "open\napply irq.41.affinity=1\napply sysctl.vm.swappiness=7\nclose\n");
}

/* The kernel says ENOENT (a device not there yet) until it is. */
static void apply_waits_for_the_kernel(struct test_ctx *t)
{
	char flag[512];
	struct cli_run r;
	pid_t pid;

	fixture_file(t, "p.json", "{\"knobs\": {\"sysctl.vm.swappiness\": 7}}", 0644);
	snprintf(flag, sizeof(flag), "%s", fixture_path(t, "probed"));
	setenv("OSTUNE_FAKE_ABSENT_UNTIL", flag, 1);
	pid = start_fake(t, "apply", "--wait", "8", fixture_path(t, "p.json"), NULL);
	until_it_waits(t);
	fixture_file(t, "probed", "", 0644);
	finish_cli(t, &r, pid);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.err, "waiting up to 8 s for the knobs to appear: apply: No such file or directory: entry 0 (sysctl.vm.swappiness): no such knob\n");
	CHECK_STR(t, r.out, "applied 1 knob (txn 5)\n");
	/* and gives up with the kernel's words, exit 1 */
	fixture_file(t, "p.json", "{\"knobs\": {\"sysctl.vm.dirty_ratio\": 7}}", 0644);
	snprintf(flag, sizeof(flag), "%s", fixture_path(t, "never"));
	setenv("OSTUNE_FAKE_ABSENT_UNTIL", flag, 1);
	run_fake(t, &r, "apply", "--wait", "0.6", fixture_path(t, "p.json"), NULL);
	unsetenv("OSTUNE_FAKE_ABSENT_UNTIL");
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "ostune: apply: No such file or directory: entry 0 (sysctl.vm.dirty_ratio): no such knob (gave up waiting)\n");
}

/* A bad value is no reason to wait: the kernel's message at once. */
static void apply_wait_fails_at_once_on_bad_input(struct test_ctx *t)
{
	struct cli_run r;

	fixture_file(t, "p.json", "{\"knobs\": {\"sysctl.vm.swappiness\": 7}}", 0644);
	setenv("OSTUNE_FAKE_FAIL_APPLY", "1", 1);
	run_fake(t, &r, "apply", "--wait", "30", fixture_path(t, "p.json"), NULL);
	unsetenv("OSTUNE_FAKE_FAIL_APPLY");
	CHECK_INT(t, r.status, 1);
	CHECK_STR(t, r.err, "ostune: apply: Invalid argument: entry 0 (sysctl.vm.swappiness): bad value\n");
	fixture_file(t, "p.json", "{\"knobs\": {\"sysctl.kernel.modprobe\": \"x\"}}", 0644);
	fresh_log(t);
	run_fake(t, &r, "apply", "--wait", "30", fixture_path(t, "p.json"), NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "sysctl.kernel.modprobe");
	CHECK_STR(t, r.log, "");
}

static void cpu_lists_parsed(struct test_ctx *t)
{
	unsigned long bad = 0;
	bool set[16];
	char text[64];

	CHECK_INT(t, cpulist_parse("0-2,5,9-10", set, 16, &bad), 0);
	CHECK(t, set[0] && set[2] && !set[3] && set[5] && set[10] && !set[11]);
	cpulist_format(set, 16, text, sizeof(text));
	CHECK_STR(t, text, "0-2,5,9-10");
	CHECK_INT(t, cpulist_parse("3-1", set, 16, &bad), -EINVAL);
	CHECK_INT(t, cpulist_parse("", set, 16, &bad), -EINVAL);
	CHECK_INT(t, cpulist_parse("1,", set, 16, &bad), -EINVAL);
	CHECK_INT(t, cpulist_parse("1-", set, 16, &bad), -EINVAL);
	CHECK_INT(t, cpulist_parse("a", set, 16, &bad), -EINVAL);
	CHECK_INT(t, cpulist_parse("2,14-20", set, 16, &bad), -ERANGE);
	CHECK_INT(t, bad, 16);
	CHECK_INT(t, cpulist_parse("99999999999999999999", set, 16, &bad), -EINVAL);
	memset(set, 0, sizeof(set));
	cpulist_format(set, 16, text, sizeof(text));
	CHECK_STR(t, text, "");
}

SUITE(boot_suite, "boot: IRQ handler names, profile directories, apply --wait",
	CASE(irq_action_names_checked),
	CASE(irq_action_resolves_by_discovery),
	CASE(irq_action_name_when_unique),
	CASE(set_by_handler_name),
	CASE(restore_by_handler_name),
	CASE(profiles_of_a_directory_in_order),
	CASE(missing_profiles),
	CASE(apply_several_as_one_transaction),
	CASE(apply_waits_for_a_handler),
	CASE(apply_waits_for_the_kernel),
	CASE(apply_wait_fails_at_once_on_bad_input),
	CASE(cpu_lists_parsed));
