// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune export and ostune report on the output directories of real
 * `ostune tune` runs (make demo: hackbench in the VM, six knobs, nine
 * configurations): tests/data/tune-run/, not verified, and
 * tests/data/tune-run-verified/, whose verification found no candidate
 * better than the baseline (the defaults stand); and on variants of them:
 * interrupted, with two objectives, with a verified recommendation. The
 * rendering of the page in a browser and the loading of the exports by
 * TuneD, sysctl and ostune are tests/tier-package.sh's and
 * tests/vm/run/export.sh's.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <jansson.h>

#include "knobs/discover.h"
#include "knobs/profile.h"
#include "output/export.h"
#include "output/report_svg.h"
#include "unit.h"

#define RUN "tests/data/tune-run"
#define VERIFIED "tests/data/tune-run-verified"

/* The file's content, malloc'd ("" when unreadable). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;

	if (f) {
		FILE *m = open_memstream(&buf, &len);
		int c;

		while ((c = fgetc(f)) != EOF)
			fputc(c, m);
		fclose(m);
		fclose(f);
	}
	return buf ? buf : strdup("");
}

static size_t count(const char *text, const char *needle)
{
	size_t n = 0;

	for (; (text = strstr(text, needle)); text += strlen(needle))
		n++;
	return n;
}

/*
 * Copies the run into tmpdir/run, the JSON file named through edit when
 * given.
 */
static void copy_run_edited(struct test_ctx *t, const char *edited,
			    void (*edit)(json_t *doc))
{
	static const char *const files[] = {
		"config.json", "history.jsonl", "summary.json", "best.json", NULL
	};
	char path[512], dest[64];
	size_t i;

	for (i = 0; files[i]; i++) {
		char *text;

		snprintf(path, sizeof(path), RUN "/%s", files[i]);
		snprintf(dest, sizeof(dest), "run/%s", files[i]);
		text = slurp(path);
		if (edit && !strcmp(files[i], edited)) {
			json_t *doc = json_loads(text, 0, NULL);

			edit(doc);
			free(text);
			text = json_dumps(doc, JSON_INDENT(1));
			json_decref(doc);
		}
		fixture_file(t, dest, text, 0644);
		free(text);
	}
}

static void copy_run(struct test_ctx *t, void (*edit)(json_t *config))
{
	copy_run_edited(t, "config.json", edit);
}

/* ---- export ---- */

static void export_profile_round_trip(struct test_ctx *t)
{
	char out[600], why[256];
	struct changeset best = { 0 }, got = { 0 };
	struct cli_run r;
	size_t i;

	snprintf(out, sizeof(out), "%s", fixture_path(t, "p.json"));
	run_ostune(t, &r, "export", RUN, "--format", "profile", "--output", out, NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "p.json\n");
	CHECK_INT(t, profile_load(RUN "/best.json", &best, why, sizeof(why)), 0);
	CHECK_INT(t, profile_load(out, &got, why, sizeof(why)), 0);
	CHECK_INT(t, got.n, 6);
	for (i = 0; i < got.n; i++) {
		CHECK_STR(t, got.items[i].name, best.items[i].name);
		CHECK_STR(t, got.items[i].value, best.items[i].value);
	}
	changeset_free(&best);
	changeset_free(&got);
}

static void add_irq_knobs(json_t *best)
{
	json_t *knobs = json_object_get(best, "knobs");

	json_object_set_new(knobs, "irq.26.affinity", json_string("1"));
	json_object_set_new(knobs, "irq.40.affinity", json_string("2-3"));
}

/*
 * IRQs by handler where the handler names one IRQ (26 is ttyS0; 40 is
 * shared by two handlers), and `ostune apply` of the export sets the
 * same IRQs again.
 */
static void export_profile_names_irqs_by_handler(struct test_ctx *t)
{
	char out[600], run[600], *profile;
	struct cli_run r;

	copy_run_edited(t, "best.json", add_irq_knobs);
	fixture_irq_tree(t);
	snprintf(run, sizeof(run), "%s", fixture_path(t, "run"));
	snprintf(out, sizeof(out), "%s", fixture_path(t, "p.json"));
	run_ostune(t, &r, "--sysroot", t->tmpdir, "export", run, "--format",
		   "profile", "--output", out, NULL);
	CHECK_INT(t, r.status, 0);
	profile = slurp(out);
	CHECK_CONTAINS(t, profile, "    \"sysctl.net.core.wmem_default\": \"130192\",\n"
		       "    \"irq.action:ttyS0.affinity\": \"1\",\n"
		       "    \"irq.40.affinity\": \"2-3\"\n  },\n");
	free(profile);
	run_fake(t, &r, "--sysroot", t->tmpdir, "apply", out, NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.log, "apply sysctl.net.core.wmem_default=130192\n"
		       "apply irq.26.affinity=1\napply irq.40.affinity=2-3\n");
}

/* ---- export --format cmdline ---- */

/* What GRUB's scripts make of the file: sh sources it. */
static void cmdline_of(struct test_ctx *t, const char *cfg, char *out,
		       size_t len)
{
	char cmd[1200];
	FILE *p;

	(void)t;
	snprintf(cmd, sizeof(cmd),
		 "GRUB_CMDLINE_LINUX_DEFAULT=quiet; . '%s' && printf %%s \"$GRUB_CMDLINE_LINUX_DEFAULT\"",
		 cfg);
	p = popen(cmd, "r");
	out[0] = '\0';
	if (p) {
		if (!fgets(out, len, p))
			out[0] = '\0';
		pclose(p);
	}
}

static void export_cmdline_isolates_cpus(struct test_ctx *t)
{
	char cfg[600], line[700];
	struct cli_run r;

	copy_run(t, NULL);
	fixture_hw_tree(t);
	snprintf(cfg, sizeof(cfg), "%s", fixture_path(t, "ostune.cfg"));
	run_ostune(t, &r, "--sysroot", t->tmpdir, "export", fixture_path(t, "run"),
		   "--format", "cmdline", "--isolate", "2-3,6", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "# /etc/default/grub.d/ostune.cfg: kernel command-line settings.\n");
	CHECK_CONTAINS(t, r.out, "#   cp THIS-FILE /etc/default/grub.d/ostune.cfg && update-grub && reboot\n");
	CHECK_CONTAINS(t, r.out, "#   rm /etc/default/grub.d/ostune.cfg && update-grub && reboot\n");
	CHECK_CONTAINS(t, r.out, "# The run's 6 other knobs change at run time");
	CHECK_CONTAINS(t, r.out,
		"\n# isolcpus=2-3,6: no load balancing onto CPUs 2-3,6: only tasks pinned there run there (--isolate).\n"
		"GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT isolcpus=2-3,6\"\n"
		"\n# nohz_full=2-3,6: no scheduling-clock tick on CPUs 2-3,6 while each runs one task (--isolate).\n"
		"GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT nohz_full=2-3,6\"\n"
		"\n# rcu_nocbs=2-3,6: the RCU callbacks of CPUs 2-3,6 run on the others (--isolate).\n"
		"GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT rcu_nocbs=2-3,6\"\n"
		"\n# irqaffinity=0-1,4-5,7: every IRQ starts on CPUs 0-1,4-5,7, the ones not isolated (--isolate).\n"
		"GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT irqaffinity=0-1,4-5,7\"\n");
	/* to a file, which sh (GRUB's scripts) reads as one command line */
	run_ostune(t, &r, "--sysroot", t->tmpdir, "export", fixture_path(t, "run"),
		   "--format", "cmdline", "--isolate", "1-7", "-o", cfg, NULL);
	CHECK_INT(t, r.status, 0);
	snprintf(line, sizeof(line), "%s\n", cfg);
	CHECK_STR(t, r.out, line);
	cmdline_of(t, cfg, line, sizeof(line));
	CHECK_STR(t, line, "quiet isolcpus=1-7 nohz_full=1-7 rcu_nocbs=1-7 irqaffinity=0");
}

static void export_cmdline_refuses_nonsense(struct test_ctx *t)
{
	char cfg[600], run[600];
	struct cli_run r;

	copy_run(t, NULL);
	fixture_hw_tree(t);
	snprintf(cfg, sizeof(cfg), "%s", fixture_path(t, "ostune.cfg"));
	snprintf(run, sizeof(run), "%s", fixture_path(t, "run"));
	run_ostune(t, &r, "--sysroot", t->tmpdir, "export", run, "--format",
		   "cmdline", "--isolate", "6-9", "-o", cfg, NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_STR(t, r.err, "ostune: --isolate 6-9: CPU 8 is not one of this host's CPUs (0-7)\n");
	CHECK_INT(t, access(cfg, F_OK), -1);
	run_ostune(t, &r, "--sysroot", t->tmpdir, "export", run, "--format",
		   "cmdline", "--isolate", "0-3", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "CPU 0 keeps time for the others");
	run_ostune(t, &r, "--sysroot", t->tmpdir, "export", run, "--format",
		   "cmdline", "--isolate", "3-1", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_STR(t, r.err, "ostune: --isolate '3-1' is not a CPU list (want e.g. 2-3,6)\n");
	CHECK_STR(t, r.out, "");
	run_ostune(t, &r, "--sysroot", t->tmpdir, "export", run, "--format",
		   "profile", "--isolate", "1", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "--isolate is for --format cmdline");
	/* nothing the run sets maps to the command line: said, exit 1 */
	run_ostune(t, &r, "--sysroot", t->tmpdir, "export", run, "--format",
		   "cmdline", NULL);
	CHECK_INT(t, r.status, 1);
	CHECK_STR(t, r.err, "ostune: nothing for the kernel command line: the run sets neither one mask for all its IRQs nor one idle limit for all CPUs; --isolate CPUS isolates CPUs\n");
	CHECK_STR(t, r.out, "");
	/* no CPU list of this host to check against */
	unlink(fixture_path(t, "sys/devices/system/cpu/online"));
	run_ostune(t, &r, "--sysroot", t->tmpdir, "export", run, "--format",
		   "cmdline", "--isolate", "1", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "cannot tell this host's CPUs");
}

static const char *best_knobs;	/* for set_best_knobs(): a JSON object */

static void set_best_knobs(json_t *best)
{
	json_object_set_new(best, "knobs", json_loads(best_knobs, 0, NULL));
}

/* The cmdline export of a run whose best is knobs, on the fixture tree. */
static void cmdline_export(struct test_ctx *t, const char *knobs,
			   struct cli_run *r)
{
	best_knobs = knobs;
	copy_run_edited(t, "best.json", set_best_knobs);
	run_ostune(t, r, "--sysroot", t->tmpdir, "export", fixture_path(t, "run"),
		   "--format", "cmdline", NULL);
}

static void export_cmdline_from_the_run(struct test_ctx *t)
{
	struct cli_run r;

	fixture_hw_tree(t);
	/* one list for all the IRQs of the run */
	cmdline_export(t, "{\"irq.26.affinity\": \"0-1\", \"irq.40.affinity\": \"0-1\", \"sysctl.vm.swappiness\": \"10\"}", &r);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "# The run's 1 other knob changes at run time");
	CHECK_CONTAINS(t, r.out, "\n# irqaffinity=0-1: every IRQ starts on CPUs 0-1, the list the run gave the 2 IRQs it tuned.\n"
		       "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT irqaffinity=0-1\"\n");
	cmdline_export(t, "{\"irq.26.affinity\": \"0-1\", \"irq.40.affinity\": \"2\"}", &r);
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "(irqaffinity: the run gives its IRQs different CPU lists; irqaffinity= is one for all");
	/* with --isolate, a run's list naming isolated CPUs gives way */
	cmdline_export(t, "{\"irq.26.affinity\": \"2\", \"irq.40.affinity\": \"2\"}", &r);
	CHECK_INT(t, r.status, 0);
	run_ostune(t, &r, "--sysroot", t->tmpdir, "export", fixture_path(t, "run"),
		   "--format", "cmdline", "--isolate", "1-7", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "# Left out: irqaffinity: the run's list for its IRQs, 2, has isolated CPUs; the CPUs not isolated stand instead.\n");
	CHECK_CONTAINS(t, r.out, "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT irqaffinity=0\"\n");
	cmdline_export(t, "{\"irq.26.affinity\": \"0\"}", &r);
	run_ostune(t, &r, "--sysroot", t->tmpdir, "export", fixture_path(t, "run"),
		   "--format", "cmdline", "--isolate", "1-7", NULL);
	CHECK_CONTAINS(t, r.out, "irqaffinity=0: every IRQ starts on CPUs 0, the list the run gave the 1 IRQ it tuned.\n");
	CHECK(t, !strstr(r.out, "the ones not isolated"));
	cmdline_export(t, "{\"irq.26.affinity\": \"0-15\"}", &r);
	CHECK_INT(t, r.status, 2);
	CHECK_STR(t, r.err, "ostune: the run's IRQ mask 0-15: CPU 8 is not one of this host's CPUs (0-7)\n");
	/* cpu1's state2 is disabled already: with cpu0's, states 2 and up */
	cmdline_export(t, "{\"idle.cpu0.state2.disable\": \"1\"}", &r);
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "(idle states 0-1: the cpuidle driver, fake_cpuidle, takes no C-state limit (intel_idle and acpi_idle do))");
	fixture_file(t, "sys/devices/system/cpu/cpuidle/current_driver", "intel_idle\n", 0444);
	cmdline_export(t, "{\"idle.cpu0.state2.disable\": \"1\"}", &r);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "\n# intel_idle.max_cstate=1: the intel_idle driver registers states up to 1 (FAKE-C1), as the run disables states 2 and deeper on every CPU.\n"
		       "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT intel_idle.max_cstate=1\"\n");
	fixture_file(t, "sys/devices/system/cpu/cpuidle/current_driver", "acpi_idle\n", 0444);
	cmdline_export(t, "{\"idle.cpu0.state2.disable\": \"1\"}", &r);
	CHECK_CONTAINS(t, r.out, "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT processor.max_cstate=1\"\n");
	/* states 1 and up on both CPUs: polling only */
	cmdline_export(t, "{\"idle.cpu*.state1-2.disable\": \"1\"}", &r);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT idle=poll\"\n");
	/* a shallow state off under a deep one on, or one CPU only: no limit */
	cmdline_export(t, "{\"idle.cpu0.state1.disable\": \"1\"}", &r);
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "(idle states: the run leaves different states enabled on different CPUs, or not all from one state down; a command-line limit is one for all CPUs");
}

static void export_sysctl_keeps_sysctls_only(struct test_ctx *t)
{
	struct cli_run r;
	char *text;

	run_ostune(t, &r, "export", RUN, "--format", "sysctl", "-o",
		   fixture_path(t, "s.conf"), NULL);
	CHECK_INT(t, r.status, 0);
	text = slurp(fixture_path(t, "s.conf"));
	CHECK_CONTAINS(t, text, "\nkernel.sched_autogroup_enabled = 1\n"
			  "kernel.timer_migration = 0\nnet.core.wmem_default = 130192\n");
	CHECK_CONTAINS(t, text, "# Left out, 3 knobs that are not sysctls");
	CHECK_CONTAINS(t, text, "#   sched.nr_migrate = 44\n");
	CHECK(t, !strstr(text, "\nsched."));
	CHECK_CONTAINS(t, text, "iteration 6): time_s 1.094, 26.7% ± 6.9% better than the baseline");
	free(text);
}

static void export_tuned_profile_dir(struct test_ctx *t)
{
	struct cli_run r;
	char *text;

	run_ostune(t, &r, "export", RUN, "--format", "tuned", "-o",
		   fixture_path(t, "tuned/ostune"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "tuned/ostune/tuned.conf\n");
	text = slurp(fixture_path(t, "tuned/ostune/tuned.conf"));
	CHECK_CONTAINS(t, text, "\n[main]\nsummary=ostune: tuned in " RUN "\n");
	CHECK_CONTAINS(t, text, "\n[sysctl]\nkernel.sched_autogroup_enabled=1\n");
	CHECK_CONTAINS(t, text, "\n[scheduler]\nsched_migration_cost_ns=1286481\nsched_nr_migrate=44\n");
	CHECK_CONTAINS(t, text, "\n[sysfs]\n/sys/kernel/debug/sched/base_slice_ns=370207\n");
	CHECK(t, !strstr(text, "Left out"));
	free(text);
}

static void export_shell_script(struct test_ctx *t)
{
	struct cli_run r;
	struct stat st;
	char *text;

	run_ostune(t, &r, "export", RUN, "--format", "shell", "-o",
		   fixture_path(t, "a.sh"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_INT(t, stat(fixture_path(t, "a.sh"), &st), 0);
	CHECK_INT(t, st.st_mode & 0777, 0755);
	text = slurp(fixture_path(t, "a.sh"));
	CHECK(t, !strncmp(text, "#!/bin/sh\n", 10));
	CHECK_CONTAINS(t, text, "\nset_file /sys/kernel/debug/sched/base_slice_ns '370207'\n");
	CHECK_CONTAINS(t, text, "\nset_file /proc/sys/net/core/wmem_default '130192'\n");
	free(text);
}

static void export_default_paths_in_the_run(struct test_ctx *t)
{
	char want[600];
	struct cli_run r;

	copy_run(t, NULL);
	run_ostune(t, &r, "export", fixture_path(t, "run"), "--format", "sysctl", NULL);
	CHECK_INT(t, r.status, 0);
	snprintf(want, sizeof(want), "%s/99-ostune.conf\n", fixture_path(t, "run"));
	CHECK_STR(t, r.out, want);
	run_ostune(t, &r, "export", fixture_path(t, "run"), "--format", "tuned", NULL);
	CHECK_INT(t, r.status, 0);
	snprintf(want, sizeof(want), "%s/tuned/ostune/tuned.conf\n", fixture_path(t, "run"));
	CHECK_STR(t, r.out, want);
	run_ostune(t, &r, "export", fixture_path(t, "run"), "--format", "profile", "-o", "-", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK(t, !strncmp(r.out, "{\n  \"knobs\": {\n", 15));
}

/* export_write() of format f into *text, malloc'd (NULL on failure). */
static void export_text(struct test_ctx *t, enum export_format f,
			const struct export_source *src, char **text)
{
	char why[128];
	size_t len;
	FILE *out = open_memstream(text, &len);

	CHECK(t, out);
	CHECK_INT(t, export_write(f, src, out, why, sizeof(why)), 0);
	fclose(out);
}

/* Every class, through export_write directly. */
static void export_every_class(struct test_ctx *t)
{
	static const char *const knobs[][2] = {
		{ "sysctl.net.ipv4.tcp_rmem", "4096 131072 6291456" },
		{ "sched.latency_ns", "3000000" },
		{ "sched.numa_balancing.scan_delay_ms", "500" },
		{ "idle.cpu1.state2.disable", "1" },
		{ "pmqos.cpu_latency_us", "20" },
		{ "pmqos.cpu0.resume_latency_us", "0" },
		{ "pmqos.cpu1.resume_latency_us", "none" },
		{ "freq.policy0.max_khz", "1600000" },
		{ "freq.policy2.min_khz", "none" },
		{ "irq.26.affinity", "0-1" },
	};
	struct changeset cs = { 0 };
	struct export_source src = { .dir = "run", .about = "a test", .knobs = &cs };
	char *tuned = NULL, *shell = NULL, *sysctl = NULL;
	size_t i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		CHECK_INT(t, changeset_set(&cs, knobs[i][0], knobs[i][1]), 0);
	export_text(t, EXPORT_TUNED, &src, &tuned);
	export_text(t, EXPORT_SHELL, &src, &shell);
	export_text(t, EXPORT_SYSCTL, &src, &sysctl);

	CHECK_CONTAINS(t, tuned, "[sysctl]\nnet.ipv4.tcp_rmem=4096 131072 6291456\n");
	CHECK_CONTAINS(t, tuned, "[scheduler]\nsched_latency_ns=3000000\nnuma_balancing_scan_delay_ms=500\n");
	CHECK_CONTAINS(t, tuned, "[cpu]\nforce_latency=20\n");
	CHECK_CONTAINS(t, tuned, "[sysfs]\n/sys/devices/system/cpu/cpu1/cpuidle/state2/disable=1\n"
			  "/sys/devices/system/cpu/cpu0/power/pm_qos_resume_latency_us=n/a\n"
			  "/sys/devices/system/cpu/cpu1/power/pm_qos_resume_latency_us=0\n"
			  "/sys/devices/system/cpu/cpufreq/policy0/scaling_max_freq=1600000\n");
	CHECK_CONTAINS(t, tuned, "#   freq.policy2.min_khz = none: ");
	CHECK_CONTAINS(t, tuned, "#   irq.26.affinity = 0-1: ");

	CHECK_CONTAINS(t, shell, "#   pmqos.cpu_latency_us = 20: a CPU latency request lasts only while");
	CHECK_CONTAINS(t, shell, "\nset_file /sys/kernel/debug/sched/numa_balancing/scan_delay_ms '500'\n");
	CHECK_CONTAINS(t, shell, "\nset_file /proc/irq/26/smp_affinity_list '0-1'\n");
	CHECK_CONTAINS(t, shell, "\nset_file /proc/sys/net/ipv4/tcp_rmem '4096 131072 6291456'\n");

	CHECK_CONTAINS(t, sysctl, "\nnet.ipv4.tcp_rmem = 4096 131072 6291456\n");
	CHECK_CONTAINS(t, sysctl, "# Left out, 9 knobs that are not sysctls");
	free(tuned);
	free(shell);
	free(sysctl);
	changeset_free(&cs);
}

/* THP modes in TuneD's [vm]; the rest of mm and the wq mask (hex) in [sysfs]. */
static void export_mm_and_wq(struct test_ctx *t)
{
	static const char *const knobs[][2] = {
		{ "mm.thp.enabled", "madvise" },
		{ "mm.thp.defrag", "defer+madvise" },
		{ "mm.thp.khugepaged_defrag", "0" },
		{ "mm.ksm.run", "1" },
		{ "mm.ksm.pages_to_scan", "400" },
		{ "mm.node1.hugepages_2048kB", "64" },
		{ "wq.cpumask", "0,32-39" },
	};
	struct changeset cs = { 0 };
	struct export_source src = { .dir = "run", .about = "a test", .knobs = &cs };
	char *tuned = NULL, *shell = NULL;
	size_t i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		CHECK_INT(t, changeset_set(&cs, knobs[i][0], knobs[i][1]), 0);
	export_text(t, EXPORT_TUNED, &src, &tuned);
	export_text(t, EXPORT_SHELL, &src, &shell);

	CHECK_CONTAINS(t, tuned, "\n[vm]\ntransparent_hugepages=madvise\n"
			  "transparent_hugepage.defrag=defer+madvise\n");
	CHECK_CONTAINS(t, tuned, "\n[sysfs]\n/sys/kernel/mm/transparent_hugepage/khugepaged/defrag=0\n"
			  "/sys/kernel/mm/ksm/run=1\n"
			  "/sys/kernel/mm/ksm/pages_to_scan=400\n"
			  "/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages=64\n"
			  "/sys/devices/virtual/workqueue/cpumask=ff,00000001\n");
	CHECK(t, !strstr(tuned, "Left out"));
	CHECK_CONTAINS(t, shell, "\nset_file /sys/kernel/mm/transparent_hugepage/enabled 'madvise'\n");
	CHECK_CONTAINS(t, shell, "\nset_file /sys/devices/virtual/workqueue/cpumask 'ff,00000001'\n");
	free(tuned);
	free(shell);
	changeset_free(&cs);
}

/* The TuneD profile or shell script of knobs on the fixture freq tree. */
static void export_freq(struct test_ctx *t, enum export_format fmt,
			const char *const (*knobs)[2], size_t n, char **out)
{
	struct changeset cs = { 0 };
	struct knob_list known;
	struct export_source src = { .dir = "run", .about = "a test",
				     .knobs = &cs, .known = &known };
	char *text, why[128];
	size_t i, len;
	FILE *f;

	*out = NULL;
	CHECK_INT(t, discover_knobs(t->tmpdir, &known), 0);
	for (i = 0; i < n; i++)
		CHECK_INT(t, changeset_set(&cs, knobs[i][0], knobs[i][1]), 0);
	f = open_memstream(&text, &len);
	CHECK_INT(t, export_write(fmt, &src, f, why, sizeof(why)), 0);
	fclose(f);
	changeset_free(&cs);
	knob_list_free(&known);
	*out = text;
}

static void export_freq_policy_knobs(struct test_ctx *t)
{
	/* every policy the same governor, the one EPP policy: [cpu] */
	static const char *const uniform[][2] = {
		{ "freq.policy0.governor", "performance" },
		{ "freq.policy4.governor", "performance" },
		{ "freq.policy0.epp", "power" },
		{ "freq.boost", "0" },
		{ "freq.pstate.no_turbo", "1" },
		{ "freq.pstate.max_perf_pct", "80" },
	};
	/* one policy only, or different ones: per policy, in [sysfs] */
	static const char *const mixed[][2] = {
		{ "freq.policy0.governor", "schedutil" },
		{ "freq.policy4.governor", "powersave" },
	};
	static const char *const one[][2] = {
		{ "freq.policy4.governor", "powersave" },
	};
	char *text;

	fixture_freq_tree(t);
	fixture_freqpolicy_tree(t);
	export_freq(t, EXPORT_TUNED, uniform, 6, &text);
	CHECK(t, text);
	CHECK_CONTAINS(t, text, "[cpu]\ngovernor=performance\n"
			  "energy_performance_preference=power\n"
			  "no_turbo=1\nmax_perf_pct=80\n\n[sysfs]\n"
			  "/sys/devices/system/cpu/cpufreq/boost=0\n");
	CHECK(t, !strstr(text, "policy0/scaling_governor"));
	free(text);
	export_freq(t, EXPORT_TUNED, mixed, 2, &text);
	CHECK(t, text);
	CHECK_CONTAINS(t, text, "[sysfs]\n"
			  "/sys/devices/system/cpu/cpufreq/policy0/scaling_governor=schedutil\n"
			  "/sys/devices/system/cpu/cpufreq/policy4/scaling_governor=powersave\n");
	CHECK(t, !strstr(text, "[cpu]"));
	free(text);
	export_freq(t, EXPORT_TUNED, one, 1, &text);
	CHECK(t, text);
	CHECK_CONTAINS(t, text, "[sysfs]\n"
			  "/sys/devices/system/cpu/cpufreq/policy4/scaling_governor=powersave\n");
	free(text);
	export_freq(t, EXPORT_SHELL, uniform, 6, &text);
	CHECK(t, text);
	CHECK_CONTAINS(t, text, "\nset_file /sys/devices/system/cpu/cpufreq/policy0/scaling_governor 'performance'\n");
	CHECK_CONTAINS(t, text, "\nset_file /sys/devices/system/cpu/cpufreq/policy0/energy_performance_preference 'power'\n");
	CHECK_CONTAINS(t, text, "\nset_file /sys/devices/system/cpu/cpufreq/boost '0'\n");
	CHECK_CONTAINS(t, text, "\nset_file /sys/devices/system/cpu/intel_pstate/no_turbo '1'\n");
	CHECK_CONTAINS(t, text, "\nset_file /sys/devices/system/cpu/intel_pstate/max_perf_pct '80'\n");
	CHECK(t, !strstr(text, "Left out"));
	free(text);
}

static void export_quotes_shell_values(struct test_ctx *t)
{
	struct changeset cs = { 0 };
	struct export_source src = { .dir = "run", .about = "a test", .knobs = &cs };
	char *shell, why[128];
	size_t len;
	FILE *f;

	CHECK_INT(t, changeset_set(&cs, "sysctl.net.core.default_qdisc", "it's"), 0);
	f = open_memstream(&shell, &len);
	CHECK_INT(t, export_write(EXPORT_SHELL, &src, f, why, sizeof(why)), 0);
	fclose(f);
	CHECK_CONTAINS(t, shell, "set_file /proc/sys/net/core/default_qdisc 'it'\\''s'\n");
	free(shell);
	changeset_free(&cs);
}

/*
 * The queue attribute takes a hex mask; an interface name may need
 * quoting. TuneD writes them through [sysfs]: its net plugin has no RPS.
 */
static void export_nic_queues(struct test_ctx *t)
{
	static const char *const knobs[][2] = {
		{ "nic.eth0.rx0.rps_cpus", "0-3,8" },
		{ "nic.eth0.rx1.rps_flow_cnt", "4096" },
		{ "nic.eth0.100.tx1.xps_cpus", "none" },
		{ "nic.e'x.rx0.rps_cpus", "1" },
		{ "nic.eth0.rx_usecs", "50" },
		{ "nic.eth0.100.rx_ring", "512" },
	};
	struct changeset cs = { 0 };
	struct export_source src = { .dir = "run", .about = "a test", .knobs = &cs };
	char *tuned, *shell, why[128];
	size_t i, len;
	FILE *f;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		CHECK_INT(t, changeset_set(&cs, knobs[i][0], knobs[i][1]), 0);
	f = open_memstream(&shell, &len);
	CHECK_INT(t, export_write(EXPORT_SHELL, &src, f, why, sizeof(why)), 0);
	fclose(f);
	f = open_memstream(&tuned, &len);
	CHECK_INT(t, export_write(EXPORT_TUNED, &src, f, why, sizeof(why)), 0);
	fclose(f);
	CHECK_CONTAINS(t, shell, "\nset_file /sys/class/net/eth0/queues/rx-0/rps_cpus '10f'\n");
	CHECK_CONTAINS(t, shell, "\nset_file /sys/class/net/eth0/queues/rx-1/rps_flow_cnt '4096'\n");
	CHECK_CONTAINS(t, shell, "\nset_file /sys/class/net/eth0.100/queues/tx-1/xps_cpus '0'\n");
	CHECK_CONTAINS(t, shell, "\nset_file '/sys/class/net/e'\\''x/queues/rx-0/rps_cpus' '2'\n");
	CHECK_CONTAINS(t, shell, "\nset_ethtool -C 'eth0' rx-usecs '50'\n");
	CHECK_CONTAINS(t, shell, "\nset_ethtool -G 'eth0.100' rx '512'\n");
	CHECK_CONTAINS(t, shell, "\nset_ethtool()\n");
	CHECK(t, !strstr(shell, "Left out"));
	CHECK_CONTAINS(t, tuned, "[sysfs]\n");
	CHECK_CONTAINS(t, tuned, "\n/sys/class/net/eth0/queues/rx-0/rps_cpus=10f\n");
	CHECK_CONTAINS(t, tuned, "\n/sys/class/net/eth0.100/queues/tx-1/xps_cpus=0\n");
	free(shell);
	free(tuned);
	changeset_free(&cs);
}

/*
 * Coalescing and rings: a [net_IF] unit per device for TuneD, ethtool
 * -C/-G lines for the shell, adaptive as ethtool's on/off; a name TuneD
 * would read as a pattern is left out of the profile, not of the script.
 */
static void export_nic_coalescing(struct test_ctx *t)
{
	static const char *const knobs[][2] = {
		{ "sysctl.vm.swappiness", "10" },
		{ "nic.eth1.rx_usecs", "50" },
		{ "nic.eth1.tx_ring", "256" },
		{ "nic.eth0.100.tx_usecs", "16" },
		{ "nic.eth1.adaptive_rx", "1" },
		{ "nic.eth1.rx_ring", "512" },
		{ "nic.eth0.100.adaptive_tx", "0" },
		{ "nic.e,x.rx_usecs", "3" },
	};
	struct changeset cs = { 0 };
	struct export_source src = { .dir = "run", .about = "a test", .knobs = &cs };
	char *tuned, *shell, *sysctl, *tail;
	size_t i;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		CHECK_INT(t, changeset_set(&cs, knobs[i][0], knobs[i][1]), 0);
	export_text(t, EXPORT_TUNED, &src, &tuned);
	export_text(t, EXPORT_SHELL, &src, &shell);
	export_text(t, EXPORT_SYSCTL, &src, &sysctl);
	CHECK(t, tuned && shell && sysctl);
	if (!tuned || !shell || !sysctl)
		goto out;
	tail = strstr(tuned, "\n[sysctl]\n");
	CHECK(t, tail);
	CHECK_STR(t, tail ? tail : "",
		  "\n[sysctl]\nvm.swappiness=10\n"
		  "\n[net_eth1]\ntype=net\ndevices=eth1\n"
		  "coalesce=rx-usecs 50 adaptive-rx on\nring=tx 256 rx 512\n"
		  "\n[net_eth0.100]\ntype=net\ndevices=eth0.100\n"
		  "coalesce=tx-usecs 16 adaptive-tx off\n");
	CHECK_CONTAINS(t, tuned, "\n#   nic.e,x.rx_usecs = 3: TuneD's devices= would read the interface name as a pattern or a list\n");
	CHECK_CONTAINS(t, shell, "\nset_ethtool -C 'eth1' rx-usecs '50'\n"
		       "set_ethtool -G 'eth1' tx '256'\n"
		       "set_ethtool -C 'eth0.100' tx-usecs '16'\n"
		       "set_ethtool -C 'eth1' adaptive-rx 'on'\n"
		       "set_ethtool -G 'eth1' rx '512'\n"
		       "set_ethtool -C 'eth0.100' adaptive-tx 'off'\n"
		       "set_ethtool -C 'e,x' rx-usecs '3'\n");
	CHECK(t, !strstr(shell, "Left out"));
	CHECK_CONTAINS(t, sysctl, "\n#   nic.eth1.rx_usecs = 50\n");
	CHECK_CONTAINS(t, sysctl, "\n\nvm.swappiness = 10\n");
out:
	free(tuned);
	free(shell);
	free(sysctl);
	changeset_free(&cs);
}

static void export_refuses_what_is_not_a_knob(struct test_ctx *t)
{
	struct changeset cs = { 0 };
	struct export_source src = { .dir = "run", .about = "a test", .knobs = &cs };
	char why[128];
	FILE *f = fopen("/dev/null", "w");

	CHECK_INT(t, changeset_set(&cs, "sysctl.kernel.core_pattern", "|/bin/sh"), 0);
	CHECK_INT(t, export_write(EXPORT_SHELL, &src, f, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "sysctl.kernel.core_pattern: ");
	changeset_free(&cs);
	CHECK_INT(t, changeset_set(&cs, "idle.cpu*.state2.disable", "1"), 0);
	CHECK_INT(t, export_write(EXPORT_TUNED, &src, f, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "a pattern");
	changeset_free(&cs);
	fclose(f);
}

static void export_usage_and_errors(struct test_ctx *t)
{
	struct cli_run r;

	run_ostune(t, &r, "export", RUN, NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "--format");
	run_ostune(t, &r, "export", RUN, "--format", "yaml", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "unknown format 'yaml'");
	run_ostune(t, &r, "export", t->tmpdir, "--format", "sysctl", NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "no config.json");
	copy_run(t, NULL);
	CHECK_INT(t, unlink(fixture_path(t, "run/best.json")), 0);
	run_ostune(t, &r, "export", fixture_path(t, "run"), "--format", "sysctl", NULL);
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "nothing to export");
	run_ostune(t, &r, "export", RUN, "--format", "sysctl", "-o",
		   "/nonexistent/dir/x.conf", NULL);
	CHECK_INT(t, r.status, 1);
}

/* The verification found nothing better: no best.json, and export says why. */
static void export_when_the_defaults_stand(struct test_ctx *t)
{
	struct cli_run r;

	run_ostune(t, &r, "export", VERIFIED, "--format", "sysctl", "-o",
		   fixture_path(t, "s.conf"), NULL);
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "ostune: nothing to export: " VERIFIED
		       ": no best.json: defaults stand: inconclusive after 5 rounds; the best, candidate 2: 1.15x");
	CHECK_CONTAINS(t, r.err, "(--unverified exports the search's best)");
	CHECK(t, access(fixture_path(t, "s.conf"), F_OK));
}

/* --unverified: the search's best, which the verification did not confirm. */
static void export_unverified(struct test_ctx *t)
{
	struct cli_run r;
	char *text;

	run_ostune(t, &r, "export", VERIFIED, "--format", "sysctl", "--unverified",
		   "-o", fixture_path(t, "s.conf"), NULL);
	CHECK_INT(t, r.status, 0);
	text = slurp(fixture_path(t, "s.conf"));
	CHECK_CONTAINS(t, text, "# the search's best, unverified (iteration 7: time_s 1.399); measured again: defaults stand: ");
	CHECK_CONTAINS(t, text, "\nkernel.sched_autogroup_enabled = ");
	free(text);
}

SUITE(export_suite, "export",
      CASE(export_profile_round_trip),
      CASE(export_profile_names_irqs_by_handler),
      CASE(export_cmdline_isolates_cpus),
      CASE(export_cmdline_refuses_nonsense),
      CASE(export_cmdline_from_the_run),
      CASE(export_sysctl_keeps_sysctls_only),
      CASE(export_tuned_profile_dir),
      CASE(export_shell_script),
      CASE(export_mm_and_wq),
      CASE(export_default_paths_in_the_run),
      CASE(export_every_class),
      CASE(export_freq_policy_knobs),
      CASE(export_quotes_shell_values),
      CASE(export_nic_queues),
      CASE(export_nic_coalescing),
      CASE(export_refuses_what_is_not_a_knob),
      CASE(export_usage_and_errors),
      CASE(export_when_the_defaults_stand),
      CASE(export_unverified));

/* ---- report ---- */

/* dir may be fixture_path()'s buffer, which the next call reuses. */
static char *report_of(struct test_ctx *t, const char *dir, struct cli_run *r)
{
	char out[600], run[600];

	snprintf(run, sizeof(run), "%s", dir);
	snprintf(out, sizeof(out), "%s", fixture_path(t, "report.html"));
	run_ostune(t, r, "report", run, "--output", out, NULL);
	return slurp(out);
}

static void report_of_a_run(struct test_ctx *t)
{
	struct cli_run r;
	char *html = report_of(t, RUN, &r);

	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "report.html\n");
	CHECK(t, !strncmp(html, "<!DOCTYPE html>\n", 16));
	CHECK_CONTAINS(t, html, "</html>\n");
	/* self-contained: no script, nothing fetched */
	CHECK(t, !strstr(html, "<script"));
	CHECK(t, !strstr(html, "src="));
	CHECK(t, !strstr(html, "href="));
	CHECK_INT(t, count(html, "http://"), count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
	/* one chart of the windows, one per knob */
	CHECK_INT(t, count(html, "<svg "), 7);
	CHECK_INT(t, count(html, "</svg>"), 7);
	CHECK_CONTAINS(t, html, "aria-label=\"objective per window\"");
	CHECK_CONTAINS(t, html, "aria-label=\"sysctl.net.core.wmem_default\"");
	CHECK_CONTAINS(t, html, "Recommended: iteration 6 (latin hypercube point 6 of 8). time_s 1.094 s against the baseline&#39;s 1.493 s: 26.7% ± 6.9% better.");
	/* every window a point with a tooltip, the baseline band, best so far */
	CHECK_CONTAINS(t, html, "<title>window 84, iteration 8: ");
	CHECK_CONTAINS(t, html, "<rect class=\"band\"");
	CHECK_CONTAINS(t, html, "<path class=\"bestline\" d=\"M");
	CHECK_INT(t, count(html, "class=\"best\""), 6);
	/* the table: nine configurations, the best and the baseline marked */
	CHECK_INT(t, count(html, "<tr><td class=\"n\">"), 9);
	CHECK_CONTAINS(t, html, "<td>baseline</td>");
	CHECK_CONTAINS(t, html, "<td>best</td>");
	CHECK(t, !strstr(html, "Pareto"));
	free(html);
}

static void report_of_a_verified_run(struct test_ctx *t)
{
	struct cli_run r;
	char *html = report_of(t, VERIFIED, &r);

	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, html, "No recommendation: measured again against the baseline, defaults stand: inconclusive after 5 rounds; the best, candidate 2: 1.15x, inconclusive (90% CI 0.913x-1.45x).");
	CHECK_CONTAINS(t, html, "<h2 id=\"verification\">Verification</h2>");
	/* nothing given up, nothing said of it */
	CHECK(t, !strstr(html, "was given up"));
	CHECK_CONTAINS(t, html, "the baseline and the 3 best candidates were measured again, interleaved, in 5 rounds of at most 5");
	CHECK_CONTAINS(t, html, "Intervals cover at least 90%: each end a one-sided bound at the level of the look that decided, so with repeated looks the coverage is 90% or more, not exactly.");
	CHECK_CONTAINS(t, html, "aria-label=\"verification of the candidates\"");
	CHECK_INT(t, count(html, "<path class=\"ci\""), 3);
	CHECK(t, !strstr(html, "class=\"cichosen\""));
	CHECK_CONTAINS(t, html, "<tr><td>iteration 8</td><td class=\"n\">1.19x, inconclusive (≥90% CI 0.883x-1.59x)</td><td class=\"n\">5</td>");
	/* the verification's windows are not the search's */
	CHECK_CONTAINS(t, html, "<title>window 74, iteration 8: ");
	CHECK(t, !strstr(html, "<title>window 75,"));
	CHECK_INT(t, count(html, "<svg "), 8);
	free(html);
}

/* As tune/results.c writes it when a candidate passes. */
static void verified_iteration_6(json_t *summary)
{
	json_object_set(summary, "recommended", json_object_get(summary, "best"));
	json_object_set_new(summary, "verification", json_pack(
		"{s:s,s:i,s:i,s:f,s:f,s:f,s:b,s:s,s:f,s:f,s:f,s:i,s:[{s:i,s:f,s:f,s:f,s:i,s:f,s:b},"
		"{s:i,s:f,s:f,s:f,s:i,s:f,s:b,s:b}]}",
		"decision", "better", "rounds", 7, "max_rounds", 20, "alpha", 0.05,
		"confidence", 0.9, "min_effect", 0.02, "recommended", 1,
		"why", "candidate 1 is better than the baseline: 0.757x, 90% CI 0.649x-0.88x (7 rounds)",
		"ratio", 0.757, "low", 0.649, "high", 0.88, "pairs", 7,
		"candidates",
		"iteration", 6, "ratio", 0.757, "low", 0.649, "high", 0.88,
		"pairs", 7, "p_value", 0.002, "feasible", 1,
		"iteration", 7, "ratio", 1.04, "low", 0.9, "high", 1.2,
		"pairs", 3, "p_value", 0.9, "feasible", 1, "given_up", 1));
}

static void report_of_a_verified_recommendation(struct test_ctx *t)
{
	struct cli_run r;
	char *html;

	copy_run_edited(t, "summary.json", verified_iteration_6);
	html = report_of(t, fixture_path(t, "run"), &r);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, html, "Recommended: iteration 6 (latin hypercube point 6 of 8), measured again against the baseline: candidate 1 is better than the baseline: 0.757x, 90% CI 0.649x-0.88x (7 rounds)");
	CHECK_CONTAINS(t, html, "in 7 rounds of at most 20");
	CHECK_CONTAINS(t, html, "better than the baseline by a factor of 1.02 with 95% confidence");
	/* a candidate given up at the futility look, as the verdict saw it then */
	CHECK_CONTAINS(t, html, "<td class=\"n\">1.04x, inconclusive (≥90% CI 0.9x-1.2x)</td><td class=\"n\">3</td>");
	CHECK_CONTAINS(t, html, "<td>hold</td><td>given up</td></tr>");
	CHECK_CONTAINS(t, html, "until the sequential test could decide (a candidate whose first rounds made a gain the planned rounds could show unlikely was given up, and not measured again).");
	CHECK_INT(t, count(html, "<path class=\"cichosen\""), 1);
	CHECK_INT(t, count(html, "<path class=\"ci\""), 1);
	CHECK_CONTAINS(t, html, "<tr class=\"changed\"><td>iteration 6</td>");
	free(html);
}

static void report_default_path(struct test_ctx *t)
{
	char want[600];
	struct cli_run r;
	struct stat st;

	copy_run(t, NULL);
	run_ostune(t, &r, "report", fixture_path(t, "run"), NULL);
	CHECK_INT(t, r.status, 0);
	snprintf(want, sizeof(want), "%s/report.html\n", fixture_path(t, "run"));
	CHECK_STR(t, r.out, want);
	CHECK_INT(t, stat(fixture_path(t, "run/report.html"), &st), 0);
}

static void two_objectives(json_t *config)
{
	json_object_set_new(config, "objectives",
			    json_pack("[{s:s,s:s},{s:s,s:s}]", "metric", "time_s",
				      "goal", "minimize", "metric", "ctx_switches_per_s",
				      "goal", "maximize"));
}

/* The report of the run with its config edited, and the command's exit status. */
static char *report_of_edited(struct test_ctx *t, void (*edit)(json_t *config),
			      int *status)
{
	struct cli_run r;
	char *html;

	copy_run(t, edit);
	html = report_of(t, fixture_path(t, "run"), &r);
	*status = r.status;
	return html;
}

static void report_pareto_of_two_objectives(struct test_ctx *t)
{
	int status;
	char *html = report_of_edited(t, two_objectives, &status);

	CHECK_INT(t, status, 0);
	CHECK_CONTAINS(t, html, "<h2 id=\"pareto\">Pareto front of the two objectives</h2>");
	CHECK_CONTAINS(t, html, "aria-label=\"Pareto front\"");
	CHECK_CONTAINS(t, html, "<path class=\"front\" d=\"M");
	CHECK_CONTAINS(t, html, " of 9 configurations are on the front");
	CHECK(t, count(html, "class=\"onfront\"") >= 1);
	CHECK_INT(t, count(html, "<svg "), 8);
	free(html);
}

/*
 * Two objectives verified, as tune/results.c writes it: each objective's
 * ratio labelled by its own "better" test's level (alpha / 2: at least
 * 95%; a run from before the per-objective "confidence" gets the same),
 * and beside it the test that weighed the other side (a knee's "not
 * worse", maximised here: its bound is the low end). The anchors' drift
 * was not corrected, and one anchor was refused.
 */
static void pair_verified(json_t *summary)
{
	json_object_set_new(summary, "verification", json_pack(
		"{s:s,s:i,s:i,s:f,s:f,s:f,s:b,s:s,s:[{s:i,s:f,s:f,s:f,s:i,s:f,s:b,s:b,s:f}],"
		"s:{s:{s:f,s:f,s:f,s:i},"
		"s:{s:f,s:f,s:f,s:i,s:f,s:s,s:{s:f,s:f,s:f,s:f,s:f,s:f,s:s}}}}",
		"decision", "not_better", "rounds", 6, "max_rounds", 20, "alpha", 0.05,
		/* as written before the fix: the candidate's own level must win */
		"confidence", 0.9, "min_effect", 0.0, "recommended", 0,
		"why", "defaults stand: the pick is worse than the baseline by more than 5% on ctx_switches_per_s",
		"candidates", "iteration", 3, "ratio", 0.8, "low", 0.75, "high", 0.85,
		"pairs", 6, "p_value", 0.01, "feasible", 1, "better", 0, "confidence", 0.95,
		"objectives",
		"time_s", "ratio", 0.8, "low", 0.75, "high", 0.85, "pairs", 6,
		"ctx_switches_per_s", "ratio", 0.9, "low", 0.85, "high", 0.95, "pairs", 6,
		"confidence", 0.95, "better", "not_better",
		"not_worse", "ratio", 0.9, "low", 0.86, "high", 0.94, "confidence", 0.9,
		"max_loss", 0.05, "allowed", 1 / 1.05, "decision", "refuted"));
	json_object_set_new(summary, "anchors", json_pack("[{s:f,s:f},{s:f,s:f},{s:f,s:f}]",
		"window", 2.0, "objective", 1.4, "window", 30.0, "objective", 1.7,
		"window", 60.0, "objective", 1.4));
	json_object_set_new(summary, "drift_pct", json_real(0));
	json_object_set_new(summary, "drift_largest_pct", json_real(21.4));
	json_object_set_new(summary, "drift_corrected", json_false());
	json_object_set_new(summary, "drift_noise_pct", json_real(30.3));
	json_object_set_new(summary, "drift_not_corrected", json_string("noise"));
	json_object_set_new(summary, "drift_anchor_windows", json_integer(9));
	/* the second objective's: too few windows */
	json_object_set_new(summary, "drift2_pct", json_real(3.0));
	json_object_set_new(summary, "drift2_largest_pct", json_real(4.0));
	json_object_set_new(summary, "drift2_corrected", json_false());
	json_object_set_new(summary, "drift2_noise_pct", json_null());
	json_object_set_new(summary, "drift2_not_corrected", json_string("windows"));
	json_object_set_new(summary, "drift2_anchor_windows", json_integer(2));
	json_object_set_new(summary, "anchors_failed", json_integer(1));
}

static void report_of_a_verified_pair(struct test_ctx *t)
{
	struct cli_run r;
	json_t *config;
	char *html;

	copy_run_edited(t, "summary.json", pair_verified);
	config = json_load_file(fixture_path(t, "run/config.json"), 0, NULL);
	two_objectives(config);
	json_dump_file(config, fixture_path(t, "run/config.json"), 0);
	json_decref(config);
	html = report_of(t, fixture_path(t, "run"), &r);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, html, "<th>the pick's ratio to the baseline</th><th>the other side's test</th><th>pairs</th>");
	CHECK_CONTAINS(t, html, "<tr><td>time_s</td><td class=\"n\">0.8x, ≥95% CI 0.75x-0.85x</td><td>-</td><td class=\"n\">6</td></tr>");
	CHECK_CONTAINS(t, html, "<tr><td>ctx_switches_per_s</td><td class=\"n\">0.9x, ≥95% CI 0.85x-0.95x</td>"
		       "<td>not worse by more than 5%: bound 0.86x, at least 0.952x allowed (≥90% CI 0.86x-0.94x): worse by more</td>");
	/* the candidate is the "better" test of time_s, at alpha / 2 */
	CHECK_CONTAINS(t, html, "<tr><td>iteration 3</td><td class=\"n\">0.8x, ≥95% CI 0.75x-0.85x</td>");
	CHECK_CONTAINS(t, html, "iteration 3: 0.8x, ≥95% CI 0.75x-0.85x, 6 pairs");
	CHECK(t, !strstr(html, "≥90% CI 0.75x"));
	CHECK_CONTAINS(t, html, "Baseline drift not corrected: the anchors' noise (±30.3%) exceeds the drift they show (largest +21.4% over 3 anchors); configurations are scored as measured.");
	CHECK_CONTAINS(t, html, "Second objective's baseline drift not corrected: 2 anchor windows, 3 needed (+3.0% over 3 anchors, largest +4.0%); configurations are scored as measured.");
	CHECK_CONTAINS(t, html, "Baseline anchors refused by the kernel (the baseline's values applied again): 1, left out of the drift correction.");
	CHECK(t, !strstr(html, "each configuration is scored against the baseline interpolated"));
	free(html);
}

/*
 * Two anchors of one window each: too few windows, though their noise is
 * also larger than the drift; the report says what the run decided
 * (drift_not_corrected), as the text report does, not the noise.
 */
static void two_single_window_anchors(json_t *summary)
{
	json_object_set_new(summary, "anchors", json_pack("[{s:f,s:f},{s:f,s:f}]",
		"window", 2.0, "objective", 1.4, "window", 30.0, "objective", 1.5));
	json_object_set_new(summary, "drift_pct", json_real(7.1));
	json_object_set_new(summary, "drift_largest_pct", json_real(7.1));
	json_object_set_new(summary, "drift_corrected", json_false());
	json_object_set_new(summary, "drift_noise_pct", json_real(40.0));
	json_object_set_new(summary, "drift_not_corrected", json_string("windows"));
	json_object_set_new(summary, "drift_anchor_windows", json_integer(2));
}

static void report_says_why_the_drift_was_not_corrected(struct test_ctx *t)
{
	struct cli_run r;
	char *html;

	copy_run_edited(t, "summary.json", two_single_window_anchors);
	html = report_of(t, fixture_path(t, "run"), &r);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, html, "Baseline drift not corrected: 2 anchor windows, 3 needed (+7.1% over 2 anchors, largest +7.1%); configurations are scored as measured.");
	CHECK(t, !strstr(html, "the anchors' noise"));
	CHECK(t, !strstr(html, "Second objective's baseline drift"));
	free(html);
}

static void report_of_an_interrupted_run(struct test_ctx *t)
{
	struct cli_run r;
	char *html;

	copy_run(t, NULL);
	CHECK_INT(t, unlink(fixture_path(t, "run/summary.json")), 0);
	html = report_of(t, fixture_path(t, "run"), &r);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, html, "no summary.json: the run did not finish; 9 configurations, 84 windows so far");
	/* the best trusted one, found without the summary */
	CHECK_CONTAINS(t, html, "Best so far: iteration 6");
	free(html);
}

/* A tuner's reason with markup in it. */
static void report_escapes_text(struct test_ctx *t)
{
	static const char why[] = "latin hypercube point 3 of 8";
	char *text = slurp(RUN "/history.jsonl"), *line, *p, *html;
	struct cli_run r;
	FILE *f;

	copy_run(t, NULL);
	f = fopen(fixture_path(t, "run/history.jsonl"), "w");
	CHECK(t, f);
	for (line = text; (p = strstr(line, why)); line = p + strlen(why)) {
		fwrite(line, 1, p - line, f);
		fputs("<b>\\\"3\\\" & co</b>", f);
	}
	fputs(line, f);
	fclose(f);
	free(text);
	html = report_of(t, fixture_path(t, "run"), &r);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, html, "&lt;b&gt;&quot;3&quot; &amp; co&lt;/b&gt;");
	CHECK(t, !strstr(html, "<b>"));
	free(html);
}

/* Forty fixed knobs, more than a line of a kilobyte holds. */
static void many_fixed(json_t *config)
{
	json_t *fixed = json_object();
	char name[64];
	int i;

	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "sysctl.vm.held_knob_%02d", i);
		json_object_set_new(fixed, name, json_string("123456"));
	}
	json_object_set_new(config, "fixed", fixed);
}

/* Every fixed knob is named with its whole value, however many there are. */
static void report_names_every_fixed_knob(struct test_ctx *t)
{
	int status;
	char *html = report_of_edited(t, many_fixed, &status);

	CHECK_INT(t, status, 0);
	CHECK_CONTAINS(t, html, "fixed for the baseline and every configuration: sysctl.vm.held_knob_00 = 123456;");
	CHECK_CONTAINS(t, html, " sysctl.vm.held_knob_39 = 123456;</p>");
	free(html);
}

static void report_errors(struct test_ctx *t)
{
	struct cli_run r;

	run_ostune(t, &r, "report", NULL);
	CHECK_INT(t, r.status, 2);
	run_ostune(t, &r, "report", t->tmpdir, NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "no config.json");
	run_ostune(t, &r, "report", RUN, "--output", "/nonexistent/dir/r.html", NULL);
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "/nonexistent/dir/r.html: No such file or directory");
}

static void svg_numbers_and_ranges(struct test_ctx *t)
{
	double lo = 5, hi = 5;
	char buf[32];

	svg_number(buf, sizeof(buf), 1286481);
	CHECK_STR(t, buf, "1.286M");
	svg_number(buf, sizeof(buf), 130192);
	CHECK_STR(t, buf, "130.2k");
	svg_number(buf, sizeof(buf), 0.25);
	CHECK_STR(t, buf, "0.25");
	svg_pad_range(&lo, &hi, false);
	CHECK(t, lo < 5 && hi > 5);
	lo = 100;
	hi = 1000;
	svg_pad_range(&lo, &hi, true);
	CHECK(t, lo > 0 && lo < 100 && hi > 1000);
	lo = NAN;
	svg_pad_range(&lo, &hi, false);
	CHECK(t, lo == 0 && hi == 1);
}

SUITE(report_suite, "report",
      CASE(report_of_a_run),
      CASE(report_of_a_verified_run),
      CASE(report_of_a_verified_recommendation),
      CASE(report_default_path),
      CASE(report_pareto_of_two_objectives),
      CASE(report_of_a_verified_pair),
      CASE(report_says_why_the_drift_was_not_corrected),
      CASE(report_of_an_interrupted_run),
      CASE(report_escapes_text),
      CASE(report_names_every_fixed_knob),
      CASE(report_errors),
      CASE(svg_numbers_and_ranges));
