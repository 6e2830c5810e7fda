// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The measurement loop's parts on the host: proxy metrics on fixture
 * procfs/sysfs trees (RAPL included), metric extraction, history files,
 * configs and the embedded default; then `ostune tune` end to end on the
 * client double (tests/fake/): output files, a target that fails or
 * prints garbage, --resume, Ctrl-C, and a lost session.
 */
#include <math.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sched.h>
#include <unistd.h>
#include <sys/stat.h>

#include <jansson.h>

#include "knobs/discover.h"
#include "knobs/sysread.h"
#include "measure/extract.h"
#include "measure/perfcount.h"
#include "measure/sysstat.h"
#include "measure/target.h"
#include "tune/history.h"
#include "tune/phases.h"
#include "tune/tune_config.h"
#include "unit.h"

static void stat_tree(struct test_ctx *t, unsigned int user, unsigned int idle,
		      unsigned int ctxt, unsigned int psi_us, unsigned long energy)
{
	char text[512];

	snprintf(text, sizeof(text),
		 "cpu  %u 0 100 %u 0 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n"
		 "intr 5000 1 2 3\nctxt %u\nbtime 1\nprocesses 300\n"
		 "procs_running 1\nsoftirq 700 1 2\n", user, idle, ctxt);
	fixture_file(t, "root/proc/stat", text, 0644);
	snprintf(text, sizeof(text),
		 "some avg10=0.00 avg60=0.00 avg300=0.00 total=%u\n"
		 "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", psi_us);
	fixture_file(t, "root/proc/pressure/cpu", text, 0644);
	snprintf(text, sizeof(text), "%lu\n", energy);
	fixture_file(t, "root/sys/class/powercap/intel-rapl:0/energy_uj", text, 0600);
	fixture_file(t, "root/sys/class/powercap/intel-rapl:0/max_energy_range_uj",
		     "262143328850\n", 0600);
	/* a subzone: part of package 0, never counted twice */
	fixture_file(t, "root/sys/class/powercap/intel-rapl:0:0/energy_uj",
		     "999999\n", 0600);
}

static void proxy_metrics_from_fixture_tree(struct test_ctx *t)
{
	struct sys_snapshot a, b;
	struct metrics m = { 0 };
	struct sysstat s;

	stat_tree(t, 100, 700, 1000, 0, 262143000000UL);
	sysstat_init(&s, fixture_path(t, "root"));
	CHECK_INT(t, s.nzones, 1);
	sysstat_read(&s, &a);
	CHECK(t, a.have_stat && a.have_energy && a.have_psi[PSI_CPU_SOME]);
	/* one second later: 300 more ticks busy, 700 idle; the energy
	 * counter wrapped at max_energy_range_uj */
	stat_tree(t, 400, 1400, 3000, 250000, 1671150);
	sysstat_read(&s, &b);
	b.time_ns = a.time_ns + 1000000000;
	CHECK_INT(t, sysstat_metrics(&s, &a, &b, &m), 0);
	CHECK(t, fabs(metrics_value(&m, "cpu_busy_pct") - 30) < 1e-9);
	CHECK(t, fabs(metrics_value(&m, "cpu_user_pct") - 30) < 1e-9);
	CHECK(t, fabs(metrics_value(&m, "ctx_switches_per_s") - 2000) < 1e-9);
	CHECK(t, fabs(metrics_value(&m, "psi_cpu_some_pct") - 25) < 1e-9);
	CHECK(t, isnan(metrics_value(&m, "psi_io_some_pct")));
	/* 262143328850 - 262143000000 + 1671150 uJ = 2 J */
	CHECK(t, fabs(metrics_value(&m, "energy_j") - 2) < 1e-9);
	CHECK(t, fabs(metrics_value(&m, "power_w") - 2) < 1e-9);
	CHECK_STR(t, metrics_find(&m, "power_w")->unit, "W");
	CHECK_STR(t, metrics_find(&m, "ctx_switches_per_s")->unit, "1/s");
	metrics_free(&m);
}

static void proxy_metrics_without_files(struct test_ctx *t)
{
	struct sys_snapshot a, b;
	struct metrics m = { 0 };
	struct sysstat s;

	sysstat_init(&s, fixture_path(t, "empty"));
	sysstat_read(&s, &a);
	sysstat_read(&s, &b);
	CHECK_INT(t, sysstat_metrics(&s, &a, &b, &m), 0);
	CHECK_INT(t, m.n, 0);
	metrics_free(&m);
}

/* Software counters need perf_event; where there is none, they are
 * missing and said why, never an error. */
static void perf_counters_or_a_reason(struct test_ctx *t)
{
	struct perf_snapshot a, b;
	struct metrics m = { 0 };
	struct perfcount p;

	CHECK_INT(t, perfcount_open(&p), 0);
	perfcount_read(&p, &a);
	perfcount_read(&p, &b);
	b.time_ns = a.time_ns + 1000000;
	CHECK_INT(t, perfcount_metrics(&p, &a, &b, &m), 0);
	if (p.have[PC_MIGRATIONS])
		CHECK(t, metrics_find(&m, "migrations_per_s") != NULL);
	else
		CHECK_CONTAINS(t, p.why_not, "perf_event_open");
	perfcount_close(&p);
	metrics_free(&m);
}

static void extract_by_json_regex_and_key(struct test_ctx *t)
{
	json_t *spec = json_loads("{\"rate\": {\"json\": \"results.1.ops\", \"unit\": \"ops/s\"},"
				  " \"p99\": {\"regex\": \"p99=([0-9.]+)ms\"},"
				  " \"errors\": {\"key\": \"errors\"},"
				  " \"absent\": {\"key\": \"nope\"}}", 0, NULL);
	const char *out = "starting\nerrors=1\np99=4.5ms\nerrors = 3\n"
			  "{\"results\": [{\"ops\": 1}, {\"ops\": \"250.5\"}]}\n";
	struct metrics m = { 0 };
	char missing[64], why[128];

	CHECK_INT(t, extract_check(spec, why, sizeof(why)), 0);
	CHECK_INT(t, extract_metrics(spec, out, &m, missing, sizeof(missing)), 0);
	CHECK(t, metrics_value(&m, "rate") == 250.5);
	CHECK_STR(t, metrics_find(&m, "rate")->unit, "ops/s");
	CHECK(t, metrics_value(&m, "p99") == 4.5);
	CHECK(t, metrics_value(&m, "errors") == 3);	/* the last line wins */
	CHECK_STR(t, missing, "absent");
	metrics_free(&m);
	json_decref(spec);
	spec = json_loads("{\"x\": {\"regex\": \"(\"}}", 0, NULL);
	CHECK(t, extract_check(spec, why, sizeof(why)) < 0);
	CHECK_CONTAINS(t, why, "bad regular expression");
	json_decref(spec);
	spec = json_loads("{\"x\": {\"key\": \"a\", \"json\": \"b\"}}", 0, NULL);
	CHECK(t, extract_check(spec, why, sizeof(why)) < 0);
	CHECK_CONTAINS(t, why, "exactly one");
	json_decref(spec);
}

static void history_torn_last_line(struct test_ctx *t)
{
	struct history_lines h;
	char why[256];
	int torn;

	fixture_file(t, "history.jsonl", "{\"iteration\":0}\n{\"iteration\":1,\"resu", 0644);
	CHECK_INT(t, history_load(fixture_path(t, "history.jsonl"), &h, &torn, why, sizeof(why)), 0);
	CHECK_INT(t, h.n, 1);
	CHECK_INT(t, torn, 1);
	CHECK_INT(t, history_rewrite(fixture_path(t, "history.jsonl"), &h, 1), 0);
	history_lines_free(&h);
	CHECK_INT(t, history_load(fixture_path(t, "history.jsonl"), &h, &torn, why, sizeof(why)), 0);
	CHECK_INT(t, h.n, 1);
	CHECK_INT(t, torn, 0);
	history_lines_free(&h);
	fixture_file(t, "bad.jsonl", "{\"iteration\":0}\nnot json\n{\"iteration\":2}\n", 0644);
	CHECK(t, history_load(fixture_path(t, "bad.jsonl"), &h, &torn, why, sizeof(why)) < 0);
	CHECK_CONTAINS(t, why, "bad.jsonl:2:");
}

/* --resume rebuilds pools from these lines: every real must read back exact. */
static void history_reals_read_back_exact(struct test_ctx *t)
{
	const double values[] = { 0.05, 2.0 / 3.0, 1234.5678901234567, 1e-300, 3.0, -0.0,
				  123456789012345678.0 };
	struct history_file hf = { 0 };
	struct history_lines h;
	json_t *line = json_object(), *list = json_array();
	char why[256], text[512];
	size_t i;
	int torn;
	FILE *f;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		json_array_append_new(list, json_real(values[i]));
	json_object_set_new(line, "values", list);
	json_object_set_new(line, "note", json_string("1.25e3 \"0.1\" stays"));
	json_object_set_new(line, "iteration", json_integer(7));
	json_object_set_new(line, "ok", json_true());
	json_object_set_new(line, "failed", json_false());
	CHECK_INT(t, history_open(&hf, fixture_path(t, "")), 0);
	CHECK_INT(t, history_append(&hf, line), 0);
	json_decref(line);
	/* alone on a line: short in jansson's exponent form, longer in printf's */
	line = json_pack("{s:[f,f]}", "v", 9.5367431640625e-07, 1e20);
	CHECK_INT(t, history_append(&hf, line), 0);
	json_decref(line);
	history_close(&hf);
	CHECK_INT(t, history_load(fixture_path(t, "history.jsonl"), &h, &torn, why, sizeof(why)), 0);
	CHECK_INT(t, h.n, 2);
	list = json_object_get(h.lines[1], "v");
	CHECK(t, json_real_value(json_array_get(list, 0)) == 9.5367431640625e-07);
	CHECK(t, json_real_value(json_array_get(list, 1)) == 1e20);
	list = json_object_get(h.lines[0], "values");
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		CHECK(t, json_is_real(json_array_get(list, i)));
		CHECK(t, json_real_value(json_array_get(list, i)) == values[i]);
	}
	CHECK_STR(t, json_string_value(json_object_get(h.lines[0], "note")), "1.25e3 \"0.1\" stays");
	CHECK(t, json_is_integer(json_object_get(h.lines[0], "iteration")));
	/* and as a person would write them */
	f = fopen(fixture_path(t, "history.jsonl"), "re");
	CHECK(t, f && fgets(text, sizeof(text), f));
	if (f)
		fclose(f);
	CHECK_CONTAINS(t, text, "[0.05,0.6666666666666666,1234.5678901234567,1e-300,3.0,-0.0,");
	CHECK_CONTAINS(t, text, "\"iteration\":7");
	CHECK_CONTAINS(t, text, "\"ok\":true");
	CHECK_CONTAINS(t, text, "\"failed\":false");
	/* a rewrite (a torn line cut) keeps them exact too */
	CHECK_INT(t, history_rewrite(fixture_path(t, "history.jsonl"), &h, 1), 0);
	history_lines_free(&h);
	CHECK_INT(t, history_load(fixture_path(t, "history.jsonl"), &h, &torn, why, sizeof(why)), 0);
	CHECK(t, h.n == 1 && json_real_value(json_array_get(json_object_get(h.lines[0], "values"), 1)) ==
		  2.0 / 3.0);
	history_lines_free(&h);
}

static void config_defaults_are_written_back(struct test_ctx *t)
{
	json_t *doc = json_loads("{\"target\": {\"type\": \"cyclictest\"},"
				 " \"space\": {\"sysctl.vm.swappiness\": {\"min\": 0, \"max\": 100}},"
				 " \"constraints\": [\"latency_max_us < 500\"], \"seed\": 4}", 0, NULL);
	struct tune_config c;
	char why[256];

	CHECK_INT(t, tune_config_resolve(doc, &c, why, sizeof(why)), 0);
	/* the adapter's objective, the random tuner, the window defaults */
	CHECK_STR(t, c.objective.metric, "latency_p99_us");
	CHECK_INT(t, c.objective.goal, GOAL_MINIMIZE);
	CHECK_STR(t, c.tuner, "random");
	CHECK_INT(t, c.repeats, 3);
	CHECK_INT(t, c.nconstraints, 1);
	CHECK_INT(t, c.seed, 4);
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(doc, "objective"), "metric")),
		  "latency_p99_us");
	CHECK(t, json_is_number(json_object_get(json_object_get(doc, "window"), "timeout_s")));
	/* verification on, its defaults spelled out */
	CHECK_INT(t, c.verify_rounds, 20);
	CHECK_INT(t, c.verify_candidates, 3);
	CHECK(t, c.verify_alpha == 0.05);
	CHECK_INT(t, json_integer_value(json_object_get(json_object_get(doc, "verify"), "rounds")), 20);
	tune_config_free(&c);
	json_decref(doc);
}

static void config_errors_say_what(struct test_ctx *t)
{
	static const struct { const char *json, *error; } bad[] = {
		{ "[]", "JSON object" },
		{ "{\"space\": {\"sysctl.vm.swappiness\": [1]}}", "give a \"target\"" },
		{ "{\"target\": {\"type\": \"command\", \"argv\": [\"x\"]}, \"space\": {\"sysctl.vm.swappiness\": [1]}}",
		  "give an \"objective\"" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]}, \"tuner\": \"bayes\"}",
		  "unknown tuner" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]}, \"window\": {\"repeats\": 0}}",
		  "window.repeats" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]}, \"budget\": 3}",
		  "\"budget\" must be an object" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]}, \"bogus\": 1}",
		  "unknown key \"bogus\"" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]}, \"verify\": {\"rounds\": 2}}",
		  "verify.rounds must be a number from 3" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]}, \"verify\": {\"alpha\": 1}}",
		  "verify.alpha" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]}, \"verify\": {\"round\": 3}}",
		  "unknown key \"verify.round\"" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]}, \"verify\": 1}",
		  "\"verify\" must be an object" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]}, \"fixed\": [1]}",
		  "config: \"fixed\" is an object {\"knob\": value, ...}" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"idle.cpu*.state2.disable\": [0, 1]},"
		  " \"fixed\": {\"idle.cpu1.state2.disable\": 1}}",
		  "config: fixed: idle.cpu1.state2.disable: it is in the space too (as idle.cpu*.state2.disable): a knob is either fixed or searched" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]},"
		  " \"fixed\": {\"sysctl.vm.swappiness\": 10}}",
		  "config: fixed: sysctl.vm.swappiness: it is in the space too (as sysctl.vm.swappiness)" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]},"
		  " \"fixed\": {\"sysctl.kernel.modprobe\": \"/bin/true\"}}",
		  "config: fixed: sysctl.kernel.modprobe: " },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]},"
		  " \"fixed\": {\"sysctl.vm.dirty_ratio\": true}}",
		  "config: fixed: sysctl.vm.dirty_ratio: its value must be a non-empty string or a number" },
		{ "{\"target\": {\"type\": \"hackbench\", \"cpus\": \"3-1\"}, \"space\": {\"sysctl.vm.swappiness\": [1]}}",
		  "config: target.cpus is a CPU list such as \"2-3\" or \"1,3\"" },
		{ "{\"target\": {\"type\": \"hackbench\", \"cpus\": 2}, \"space\": {\"sysctl.vm.swappiness\": [1]}}",
		  "config: target.cpus is a CPU list" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]}, \"phases\": []}",
		  "config: \"phases\" is a non-empty array of {\"name\": NAME, load keys...}" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]},"
		  " \"phases\": [{\"name\": \"light\", \"groups\": 1}, {\"name\": \"heavy\", \"grups\": 8}]}",
		  "config: phases[1] (heavy): unknown key \"grups\" (a phase of this target sets: name, groups, fds, threads, pipe, loops, args)" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]},"
		  " \"phases\": [{\"name\": \"light\", \"groups\": 1}, {\"name\": \"light\", \"groups\": 8}]}",
		  "config: phases[0] and phases[1] are both named \"light\"" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]},"
		  " \"phases\": [{\"groups\": 1}]}",
		  "config: phases[0]: give a \"name\"" },
		{ "{\"target\": {\"type\": \"command\", \"argv\": [\"x\"]}, \"objective\": {\"metric\": \"v\", \"goal\": \"minimize\"},"
		  " \"space\": {\"sysctl.vm.swappiness\": [1]}, \"phases\": [{\"name\": \"a\", \"groups\": 1}]}",
		  "config: phases[0] (a): unknown key \"groups\" (a phase of this target sets: name, args)" },
		{ "{\"target\": {\"type\": \"command\", \"argv\": [\"x\"]}, \"objective\": {\"metric\": \"v\", \"goal\": \"minimize\"},"
		  " \"space\": {\"sysctl.vm.swappiness\": [1]}, \"phases\": [{\"name\": \"a\", \"args\": [\"-n\", 4]}]}",
		  "config: phases[0] (a): \"args\" is an array of strings" },
		{ "{\"target\": {\"type\": \"redis\"}, \"space\": {\"sysctl.vm.swappiness\": [1]},"
		  " \"phases\": [{\"name\": \"a\"}]}",
		  "config: phases: a redis target takes no load phases" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]},"
		  " \"phases\": [{\"name\": \"a\"}], \"score\": \"median\"}",
		  "config: \"score\" is \"mean\" (of the phases' ratios to the baseline) or \"worst\"" },
		{ "{\"target\": {\"type\": \"hackbench\"}, \"space\": {\"sysctl.vm.swappiness\": [1]}, \"score\": \"worst\"}",
		  "config: \"score\" combines load phases: give \"phases\" too" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *doc = json_loads(bad[i].json, 0, NULL);
		struct tune_config c;
		char why[256] = "";

		CHECK(t, tune_config_resolve(doc, &c, why, sizeof(why)) < 0);
		CHECK_CONTAINS(t, why, bad[i].error);
		tune_config_free(&c);
		json_decref(doc);
	}
}

static void default_config_spans_this_kernels_knobs(struct test_ctx *t)
{
	struct knob_list known;
	json_t *doc, *space;
	char why[256];

	fixture_file(t, "root/sys/kernel/debug/sched/base_slice_ns", "3000000\n", 0644);
	fixture_file(t, "root/sys/kernel/debug/sched/migration_cost_ns", "500000\n", 0644);
	fixture_file(t, "root/sys/kernel/debug/sched/nr_migrate", "32\n", 0644);
	fixture_file(t, "root/proc/sys/kernel/timer_migration", "1\n", 0644);
	fixture_file(t, "root/proc/sys/vm/swappiness", "60\n", 0644);
	CHECK_INT(t, discover_knobs(fixture_path(t, "root"), &known), 0);
	doc = tune_config_default(&known, why, sizeof(why));
	knob_list_free(&known);
	CHECK(t, doc != NULL);
	space = json_object_get(doc, "space");
	CHECK_INT(t, json_object_size(space), 4);
	CHECK_INT(t, json_integer_value(json_object_get(json_object_get(space,
		  "sched.base_slice_ns"), "min")), 750000);
	CHECK_INT(t, json_integer_value(json_object_get(json_object_get(space,
		  "sched.base_slice_ns"), "max")), 12000000);
	CHECK(t, json_object_get(space, "sysctl.kernel.timer_migration") != NULL);
	CHECK(t, json_object_get(space, "sysctl.vm.swappiness") == NULL);
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(doc, "target"), "type")),
		  "hackbench");
	json_decref(doc);
	known = (struct knob_list){ 0 };
	CHECK(t, tune_config_default(&known, why, sizeof(why)) == NULL);
	CHECK_CONTAINS(t, why, "debugfs");
}

/* ---- end to end on the client double ---- */

static void write_config(struct test_ctx *t, const char *name, const char *target,
			 unsigned int iterations)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "{\"target\": %s,"
		 " \"objective\": {\"metric\": \"value\", \"goal\": \"minimize\"},"
		 " \"space\": {\"sysctl.vm.swappiness\": {\"min\": 0, \"max\": 100},"
		 "            \"sched.nr_migrate\": {\"min\": 4, \"max\": 128, \"scale\": \"log\"}},"
		 " \"window\": {\"seconds\": 0.05, \"warmup\": 1, \"repeats\": 2, \"settle_s\": 0,"
		 "            \"max_spread\": 10},"
		 " \"budget\": {\"iterations\": %u}, \"seed\": 5, \"watchdog_s\": 3,"
		 " \"verify\": false,"
		 " \"output\": \"%s/out\"}", target, iterations, t->tmpdir);
	fixture_file(t, name, text, 0644);
}

static const char *const VALUE_TARGET =
	"{\"type\": \"command\", \"shell\": \"echo value=$OSTUNE_WINDOW_S\","
	" \"metrics\": {\"value\": {\"key\": \"value\", \"unit\": \"s\"}}}";

static json_t *load(struct test_ctx *t, const char *name)
{
	return json_load_file(fixture_path(t, name), 0, NULL);
}

static size_t count_lines(const char *path, const char *needle)
{
	FILE *f = fopen(path, "r");
	char line[16384];
	size_t n = 0;

	while (f && fgets(line, sizeof(line), f))
		n += !needle || strstr(line, needle);
	if (f)
		fclose(f);
	return n;
}

/*
 * Runs `ostune tune` on c.json and sends it sig once its history (path
 * in history, 512 bytes) has results configurations.
 */
static void run_until(struct test_ctx *t, size_t results, int sig,
		      struct cli_run *r, char *history)
{
	pid_t pid;
	int i;

	pid = start_fake(t, "tune", fixture_path(t, "c.json"), NULL);
	snprintf(history, 512, "%s/out/history.jsonl", t->tmpdir);
	for (i = 0; i < 500 && count_lines(history, "\"result\"") < results; i++)
		usleep(10000);
	kill(pid, sig);
	finish_cli(t, r, pid);
}

static void tune_writes_history_best_and_summary(struct test_ctx *t)
{
	struct cli_run r;
	char history[512];
	json_t *summary, *best, *config;

	write_config(t, "c.json", VALUE_TARGET, 3);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.err, "tune: [0/3] iteration 0: value 0.05 (median of 2");
	CHECK_CONTAINS(t, r.out, "best:      0.05");
	CHECK_CONTAINS(t, r.log, "session_open 3000");
	CHECK_CONTAINS(t, r.log, "apply sysctl.vm.swappiness=");
	CHECK_CONTAINS(t, r.log, "session_close");
	snprintf(history, sizeof(history), "%s/out/history.jsonl", t->tmpdir);
	/* 4 configurations and the baseline again at the end (an anchor),
	 * x (1 warm-up + 2) windows, 5 results */
	CHECK_INT(t, count_lines(history, NULL), 15);
	CHECK_INT(t, count_lines(history, "\"result\""), 5);
	CHECK_INT(t, count_lines(history, "\"phase\":\"anchor\""), 2);
	CHECK_INT(t, count_lines(history, "\"value\":{\"value\":0.05,\"unit\":\"s\"}"), 15);
	CHECK_INT(t, count_lines(history, "\"why\":\"latin hypercube point"), 9);
	summary = load(t, "out/summary.json");
	CHECK(t, summary != NULL);
	CHECK_INT(t, json_integer_value(json_object_get(summary, "configurations")), 4);
	CHECK_STR(t, json_string_value(json_object_get(summary, "stopped")), "budget");
	CHECK(t, json_is_object(json_object_get(summary, "loop")));
	/* the baseline pools its anchors' windows; no drift on a steady host */
	CHECK_INT(t, json_integer_value(json_object_get(json_object_get(summary, "baseline"),
							"windows")), 4);
	CHECK_INT(t, json_array_size(json_object_get(summary, "anchors")), 2);
	CHECK(t, json_number_value(json_object_get(summary, "drift_pct")) == 0);
	/* its windows all alike: no noise estimate, so nothing corrected */
	CHECK_STR(t, json_string_value(json_object_get(summary, "drift_not_corrected")), "anchors");
	CHECK_INT(t, json_integer_value(json_object_get(summary, "drift_anchor_windows")), 4);
	CHECK(t, !json_object_get(summary, "drift2_corrected"));
	CHECK_CONTAINS(t, r.out, "drift:     not corrected: no noise estimate (anchors of one window, or their windows all alike), 4 anchors needed (+0.0% over 2 baseline anchors, largest +0.0%); configurations are scored as measured\n");
	json_decref(summary);
	best = load(t, "out/best.json");
	CHECK(t, json_is_object(json_object_get(best, "knobs")));
	json_decref(best);
	config = load(t, "out/config.json");
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(config, "tuner"), "name")),
		  "random");
	json_decref(config);
	/* the profile is one `ostune apply` takes */
	run_fake(t, &r, "apply", "--plan", fixture_path(t, "out/best.json"), NULL);
	CHECK_INT(t, r.status, 0);
	/* and the directory is not overwritten by a second run */
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "holds a run already");
}

/* c.json: a short run of target over space with fixed (all JSON). */
static void write_space_config(struct test_ctx *t, const char *target,
			       const char *space, const char *fixed)
{
	char text[4096];

	snprintf(text, sizeof(text),
		 "{\"target\": %s,"
		 " \"objective\": {\"metric\": \"value\", \"goal\": \"minimize\"},"
		 " \"space\": %s, \"fixed\": %s,"
		 " \"window\": {\"seconds\": 0.05, \"warmup\": 0, \"repeats\": 1, \"settle_s\": 0},"
		 " \"budget\": {\"iterations\": 2}, \"seed\": 5, \"verify\": false,"
		 " \"output\": \"%s/out\"}", target, space, fixed, t->tmpdir);
	fixture_file(t, "c.json", text, 0644);
}

/* A run over space (JSON) with the knobs of fixture_hw_tree(). */
static void run_space(struct test_ctx *t, struct cli_run *r, const char *space)
{
	fixture_hw_tree(t);
	write_space_config(t, VALUE_TARGET, space, "{}");
	run_fake(t, r, "--sysroot", t->tmpdir, "tune", fixture_path(t, "c.json"), NULL);
}

/*
 * A pattern is one dimension: each configuration sets every knob it
 * matches to one value, and the history and profile name the pattern.
 */
static void tune_pattern_sets_every_match(struct test_ctx *t)
{
	struct cli_run r;
	char want[64], history[512];
	json_t *best, *summary, *matched;
	const char *at, *v;

	run_space(t, &r, "{\"idle.cpu*.state2.disable\": [0, 1]}");
	CHECK_INT(t, r.status, 0);
	at = strstr(r.log, "apply idle.cpu0.state2.disable=");
	CHECK(t, at != NULL);
	if (at) {
		v = at + strlen("apply idle.cpu0.state2.disable=");
		snprintf(want, sizeof(want), "apply idle.cpu1.state2.disable=%c\n", *v);
		CHECK_CONTAINS(t, at, want);
	}
	CHECK(t, !strstr(r.log, "apply idle.cpu*"));
	snprintf(history, sizeof(history), "%s/out/history.jsonl", t->tmpdir);
	/* the baseline, 2 configurations, the baseline again */
	CHECK_INT(t, count_lines(history, "\"idle.cpu*.state2.disable\":"), 4);
	best = load(t, "out/best.json");
	CHECK(t, json_object_get(json_object_get(best, "knobs"),
				 "idle.cpu*.state2.disable") != NULL);
	json_decref(best);
	/* the summary says which knobs the pattern stood for */
	summary = load(t, "out/summary.json");
	matched = json_object_get(json_object_get(summary, "patterns"),
				  "idle.cpu*.state2.disable");
	CHECK_INT(t, json_array_size(matched), 2);
	CHECK_STR(t, json_string_value(json_array_get(matched, 1)),
		  "idle.cpu1.state2.disable");
	json_decref(summary);
	/* an export names the knobs the pattern matches here */
	run_fake(t, &r, "--sysroot", t->tmpdir, "export", "--format", "shell",
		 "-o", "-", fixture_path(t, "out"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "cpu0/cpuidle/state2/disable");
	CHECK_CONTAINS(t, r.out, "cpu1/cpuidle/state2/disable");
}

static void tune_pattern_refusals(struct test_ctx *t)
{
	struct cli_run r;

	/* the knobs disagree at the start: no one baseline value */
	setenv("OSTUNE_FAKE_DIFFER", "cpu1.", 1);
	run_space(t, &r, "{\"idle.cpu*.state2.disable\": [0, 1]}");
	unsetenv("OSTUNE_FAKE_DIFFER");
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "space: idle.cpu*.state2.disable: idle.cpu0.state2.disable is 60 but idle.cpu1.state2.disable is 61: set them alike first, or name each knob");
	CHECK(t, !strstr(r.log, "apply "));

	run_space(t, &r, "{\"idle.cpu*.state9.disable\": [0, 1]}");
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "space: idle.cpu*.state9.disable matches no knob on this host that takes a value now (see 'ostune knobs idle.cpu*.state9.disable' and 'ostune doctor')");

	run_space(t, &r, "{\"idle.cpu*.state2.disable\": [0, 1], \"idle.cpu1.state2.disable\": [0, 1]}");
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "space: idle.cpu1.state2.disable is set by both idle.cpu1.state2.disable and idle.cpu*.state2.disable: keep one of them");
	CHECK(t, !strstr(r.log, "apply "));
}

static size_t count_in(const char *text, const char *needle)
{
	size_t n = 0;

	while ((text = strstr(text, needle))) {
		n++;
		text += strlen(needle);
	}
	return n;
}

/* A config of run_space()'s with "fixed" (JSON). */
static void write_held_config(struct test_ctx *t, const char *fixed,
			      const char *target)
{
	write_space_config(t, target, "{\"idle.cpu*.state2.disable\": [0, 1]}", fixed);
}

/*
 * Fixed knobs go with every transaction, the baseline's first, and the
 * history, summary, report and profile say so.
 */
static void tune_fixed_knobs_are_held_throughout(struct test_ctx *t)
{
	struct cli_run r;
	char history[512];
	json_t *doc, *held;

	fixture_hw_tree(t);
	write_held_config(t, "{\"idle.cpu0.state1.disable\": 1, \"idle.cpu*.state0.disable\": \"1\"}",
			  VALUE_TARGET);
	run_fake(t, &r, "--sysroot", t->tmpdir, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	/* the baseline, 2 configurations, the closing anchor: 4 transactions,
	 * each the fixed knobs (a pattern's expanded) and then the space's */
	CHECK_INT(t, count_in(r.log, "apply idle.cpu0.state1.disable=1\n"
			      "apply idle.cpu0.state0.disable=1\n"
			      "apply idle.cpu1.state0.disable=1\n"
			      "apply idle.cpu0.state2.disable="), 4);
	CHECK_INT(t, count_in(r.log, "apply "), 4 * 5);
	/* the first transaction comes before the baseline's first window:
	 * the baseline's values (the fake reads 60) with the fixed ones */
	CHECK_CONTAINS(t, r.log, "session_open 10000\n");
	CHECK_CONTAINS(t, r.log, "apply idle.cpu1.state0.disable=1\n"
		       "apply idle.cpu0.state2.disable=60\napply idle.cpu1.state2.disable=60\n");
	snprintf(history, sizeof(history), "%s/out/history.jsonl", t->tmpdir);
	CHECK_INT(t, count_lines(history, "\"fixed\":{\"idle.cpu0.state1.disable\":\"1\",\"idle.cpu*.state0.disable\":\"1\"}"),
		  count_lines(history, NULL));
	CHECK_INT(t, count_lines(history, NULL), 4);
	CHECK_CONTAINS(t, r.out, "fixed:     idle.cpu0.state1.disable = 1 (was 60), idle.cpu*.state0.disable = 1 (was 60); held for the baseline and every configuration");
	doc = load(t, "out/summary.json");
	held = json_object_get(json_object_get(doc, "fixed"), "idle.cpu0.state1.disable");
	CHECK_STR(t, json_string_value(json_object_get(held, "value")), "1");
	CHECK_STR(t, json_string_value(json_object_get(held, "was")), "60");
	CHECK_INT(t, json_array_size(json_object_get(json_object_get(doc, "patterns"),
						     "idle.cpu*.state0.disable")), 2);
	json_decref(doc);
	doc = load(t, "out/config.json");
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(doc, "fixed"),
						       "idle.cpu0.state1.disable")), "1");
	json_decref(doc);
	/* the profile reproduces the measured state: fixed knobs included */
	doc = load(t, "out/best.json");
	held = json_object_get(doc, "knobs");
	CHECK_STR(t, json_string_value(json_object_get(held, "idle.cpu0.state1.disable")), "1");
	CHECK_STR(t, json_string_value(json_object_get(held, "idle.cpu*.state0.disable")), "1");
	CHECK(t, json_object_get(held, "idle.cpu*.state2.disable") != NULL);
	json_decref(doc);
	run_fake(t, &r, "--sysroot", t->tmpdir, "apply", "--plan",
		 fixture_path(t, "out/best.json"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "idle.cpu0.state1.disable: 60 -> 1");
	CHECK_CONTAINS(t, r.out, "idle.cpu1.state0.disable: 60 -> 1");
	/* and so do exports, of best.json and of the search's best */
	run_fake(t, &r, "--sysroot", t->tmpdir, "export", "--format", "shell",
		 "-o", "-", fixture_path(t, "out"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "cpu0/cpuidle/state1/disable");
	CHECK_CONTAINS(t, r.out, "cpu1/cpuidle/state0/disable");
	run_fake(t, &r, "--sysroot", t->tmpdir, "export", "--unverified", "--format",
		 "shell", "-o", "-", fixture_path(t, "out"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "cpu0/cpuidle/state1/disable");
	CHECK_CONTAINS(t, r.out, "cpu1/cpuidle/state0/disable");
	/* the HTML report says what was held */
	run_fake(t, &r, "report", fixture_path(t, "out"), NULL);
	CHECK_INT(t, r.status, 0);
	doc = NULL;
	{
		char *html = read_text_file(fixture_path(t, "out/report.html"), 1 << 22);

		CHECK(t, html != NULL);
		if (html)
			CHECK_CONTAINS(t, html, "fixed for the baseline and every configuration: idle.cpu0.state1.disable = 1;");
		free(html);
	}
}

/* Each refused by --plan, and by a run before it changes anything. */
static void tune_fixed_and_pin_refusals(struct test_ctx *t)
{
	static const struct { const char *fixed, *target, *error; } bad[] = {
		{ "{\"idle.cpu9.state1.disable\": 1}", NULL,
		  "ostune: tune: fixed: idle.cpu9.state1.disable: no such knob on this host (see 'ostune knobs')" },
		{ "{\"idle.cpu0.state1.disable\": 2}", NULL,
		  "ostune: tune: fixed: idle.cpu0.state1.disable takes 0|1, not '2'" },
		{ "{\"idle.cpu*.state7.disable\": 1}", NULL,
		  "ostune: tune: fixed: idle.cpu*.state7.disable matches no knob on this host that takes a value now" },
		{ "{\"irq.36.affinity\": \"1\"}", NULL,
		  "ostune: tune: fixed: irq.36.affinity takes no value now" },
		{ "{}", "{\"type\": \"hackbench\", \"cpus\": \"9\"}",
		  "ostune: tune: target.cpus: CPU 9 is not online (online: 0-7)" },
		{ "{}", "{\"type\": \"hackbench\", \"cpus\": \"0-7\"}",
		  "ostune: tune: target.cpus: 0-7 is every online CPU: leave at least one for ostune" },
	};
	struct cli_run r;
	size_t i;

	fixture_hw_tree(t);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_held_config(t, bad[i].fixed, bad[i].target ? bad[i].target : VALUE_TARGET);
		run_fake(t, &r, "--sysroot", t->tmpdir, "tune", "--plan",
			 fixture_path(t, "c.json"), NULL);
		CHECK_INT(t, r.status, 2);
		CHECK_CONTAINS(t, r.err, bad[i].error);
		CHECK_INT(t, (int)strlen(r.out), 0);
		run_fake(t, &r, "--sysroot", t->tmpdir, "tune", fixture_path(t, "c.json"), NULL);
		CHECK_INT(t, r.status, 2);
		CHECK_CONTAINS(t, r.err, bad[i].error);
		CHECK(t, !strstr(r.log, "session_open"));
		CHECK(t, access(fixture_path(t, "out"), F_OK) != 0);
	}
}

/*
 * Pinned: the target's processes run on target.cpus (the last CPU this
 * test may use), and ostune, their parent, on the others. The command
 * prints both affinities; its output of the last window stays in work/.
 */
static void tune_pins_the_target_and_keeps_off_it(struct test_ctx *t)
{
	bool allowed[CPU_SETSIZE] = { false };
	char target[512], want[600], others[256], online[32];
	size_t cpu, last = 0, n = 0;
	struct cli_run r;
	cpu_set_t set;
	char *out;

	CHECK_INT(t, sched_getaffinity(0, sizeof(set), &set), 0);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &set)) {
			last = cpu;
			n++;
		}
	for (cpu = 0; cpu < last; cpu++)
		allowed[cpu] = CPU_ISSET(cpu, &set);
	cpulist_format(allowed, CPU_SETSIZE, others, sizeof(others));
	fixture_hw_tree(t);
	snprintf(online, sizeof(online), "0-%zu\n", last + 1);
	fixture_file(t, "sys/devices/system/cpu/online", online, 0444);
	snprintf(target, sizeof(target),
		 "{\"type\": \"command\", \"cpus\": \"%zu\","
		 " \"shell\": \"echo value=1; grep Cpus_allowed_list /proc/self/status;"
		 " grep Cpus_allowed_list /proc/$PPID/status\","
		 " \"metrics\": {\"value\": {\"key\": \"value\"}}}", last);
	write_held_config(t, "{}", target);
	run_fake(t, &r, "--sysroot", t->tmpdir, "tune", fixture_path(t, "c.json"), NULL);
	if (n < 2) {
		/* one CPU: nothing is left for ostune, and it says so */
		CHECK_INT(t, r.status, 1);
		CHECK_CONTAINS(t, r.err, "leaves no CPU ostune may run on");
		return;
	}
	CHECK_INT(t, r.status, 0);
	snprintf(want, sizeof(want), "pinned: the target on CPUs %zu, ostune on %s", last, others);
	CHECK_CONTAINS(t, r.err, want);
	CHECK_CONTAINS(t, r.out, "pinned:    the target on CPUs");
	out = read_text_file(fixture_path(t, "out/work/stdout"), 1 << 16);
	CHECK(t, out != NULL);
	snprintf(want, sizeof(want), "value=1\nCpus_allowed_list:\t%zu\nCpus_allowed_list:\t%s\n",
		 last, others);
	if (out)
		CHECK_STR(t, out, want);
	free(out);
	snprintf(want, sizeof(want), "\"target_cpus\":\"%zu\"", last);
	snprintf(target, sizeof(target), "%s/out/history.jsonl", t->tmpdir);
	CHECK_INT(t, count_lines(target, want), 4);
}

/* A round's score: each phase against the baseline's, mean or worst. */
static void phases_score_rounds(struct test_ctx *t)
{
	const double ref[2] = { 2, 8 }, v[2] = { 2.2, 7.2 };
	const double missing[2] = { 2.2, NAN };
	struct constraint c;
	char why[128];

	CHECK(t, fabs(phases_score(v, ref, 2, PHASE_SCORE_MEAN, GOAL_MINIMIZE) - 1.0) < 1e-12);
	CHECK(t, fabs(phases_score(v, ref, 2, PHASE_SCORE_WORST, GOAL_MINIMIZE) - 1.1) < 1e-12);
	CHECK(t, fabs(phases_score(v, ref, 2, PHASE_SCORE_WORST, GOAL_MAXIMIZE) - 0.9) < 1e-12);
	CHECK(t, isnan(phases_score(missing, ref, 2, PHASE_SCORE_MEAN, GOAL_MINIMIZE)));
	CHECK_INT(t, constraint_parse("p99 <= 100", &c, why, sizeof(why)), 0);
	CHECK(t, phases_worst(&c, v, 2) == 7.2);
	CHECK(t, phases_worst(&c, missing, 2) == 2.2);
	constraint_free(&c);
	CHECK_INT(t, constraint_parse("rate > 100", &c, why, sizeof(why)), 0);
	CHECK(t, phases_worst(&c, v, 2) == 2.2);
	constraint_free(&c);
}

/*
 * A command measured in two load phases: $OSTUNE_PHASE and the phase's
 * args reach it, each round has one window of each in order, and the
 * summary and report give each phase's medians; the value is the score,
 * 1 for the baseline (value is the phase's argument).
 */
static const char *const PHASE_TARGET =
	"{\"type\": \"command\", \"argv\": [\"sh\", \"-c\","
	" \"echo $OSTUNE_PHASE >> %s/phases.seen; echo value=$1\", \"sh\"],"
	" \"metrics\": {\"value\": {\"key\": \"value\"}}}";

static void write_phase_config(struct test_ctx *t, const char *score,
			       unsigned int iterations, const char *verify)
{
	char target[512], text[4096];

	snprintf(target, sizeof(target), PHASE_TARGET, t->tmpdir);
	snprintf(text, sizeof(text),
		 "{\"target\": %s,"
		 " \"objective\": {\"metric\": \"value\", \"goal\": \"minimize\"},"
		 " \"space\": {\"sysctl.vm.swappiness\": {\"min\": 0, \"max\": 100}},"
		 " \"phases\": [{\"name\": \"light\", \"args\": [\"2\"]},"
		 "              {\"name\": \"heavy\", \"args\": [\"8\"]}], \"score\": \"%s\","
		 " \"window\": {\"seconds\": 0.05, \"warmup\": 1, \"repeats\": 2, \"settle_s\": 0,"
		 "            \"max_spread\": 10},"
		 " \"budget\": {\"iterations\": %u}, \"seed\": 5,"
		 " \"verify\": %s, \"output\": \"%s/out\"}", target, score, iterations,
		 verify, t->tmpdir);
	fixture_file(t, "c.json", text, 0644);
}

static void tune_measures_every_phase(struct test_ctx *t)
{
	char history[512], seen[512];
	json_t *summary, *ph;
	struct cli_run r;

	write_phase_config(t, "worst", 2, "false");
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	snprintf(history, sizeof(history), "%s/out/history.jsonl", t->tmpdir);
	snprintf(seen, sizeof(seen), "%s/phases.seen", t->tmpdir);
	/* the baseline, 2 configurations, the closing anchor: each a warm-up
	 * round and 2 counted rounds of light then heavy */
	CHECK_INT(t, count_lines(history, NULL), 4 * 3 * 2);
	CHECK_INT(t, count_lines(history, "\"load_phase\":\"light\""), 12);
	CHECK_INT(t, count_lines(history, "\"load_phase\":\"heavy\""), 12);
	CHECK_INT(t, count_lines(history, "\"value\":{\"value\":8.0,"), 12);
	CHECK_INT(t, count_lines(seen, "light"), 12);
	{
		char *text = read_text_file(seen, 1 << 16);
		char want[256] = "";
		int i;

		for (i = 0; i < 12; i++)
			strcat(want, "light\nheavy\n");
		CHECK(t, text != NULL);
		if (text)
			CHECK_STR(t, text, want);
		free(text);
	}
	/* the baseline's score is 1 in every phase's terms */
	CHECK_CONTAINS(t, r.out, "phases:    2 load phases; a configuration's value is the worst of its ratios to the baseline's");
	CHECK_CONTAINS(t, r.out, "baseline:  1 (spread");
	CHECK_CONTAINS(t, r.out, "  light                         2              2       1x\n");
	CHECK_CONTAINS(t, r.out, "  heavy                         8              8       1x\n");
	summary = load(t, "out/summary.json");
	CHECK_STR(t, json_string_value(json_object_get(summary, "score")), "worst");
	ph = json_array_get(json_object_get(summary, "phases"), 1);
	CHECK_STR(t, json_string_value(json_object_get(ph, "name")), "heavy");
	CHECK(t, json_number_value(json_object_get(ph, "reference")) == 8);
	CHECK(t, json_number_value(json_object_get(json_object_get(ph, "baseline"), "median")) == 8);
	CHECK(t, json_number_value(json_object_get(ph, "ratio")) == 1);
	CHECK(t, json_number_value(json_object_get(json_object_get(summary, "baseline"),
						   "objective")) == 1);
	json_decref(summary);
	run_fake(t, &r, "report", fixture_path(t, "out"), NULL);
	CHECK_INT(t, r.status, 0);
	{
		char *html = read_text_file(fixture_path(t, "out/report.html"), 1 << 22);

		CHECK(t, html != NULL);
		if (html)
			CHECK_CONTAINS(t, html, "<h2 id=\"phases\">Load phases</h2>");
		/* the windows chart has the phases' values, not scores */
		if (html)
			CHECK_CONTAINS(t, html, "Each load phase's own values: the configurations' scores are in the tables.");
		CHECK(t, html && !strstr(html, "baseline anchor 1, around window"));
		if (html)
			CHECK_CONTAINS(t, html, "<tr><td>heavy</td><td class=\"n\">8</td><td class=\"n\">8</td><td class=\"n\">1</td></tr>");
		free(html);
	}
}

/* Verification measures and scores rounds as the search did. */
static void tune_phases_verify_in_rounds(struct test_ctx *t)
{
	char history[512];
	struct cli_run r;
	size_t base;

	write_phase_config(t, "mean", 2, "{\"rounds\": 3, \"candidates\": 1}");
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	snprintf(history, sizeof(history), "%s/out/history.jsonl", t->tmpdir);
	base = count_lines(history, "\"phase\":\"verify\",\"baseline\":true,\"knobs\"");
	/* a round of the baseline and the candidate each, 3 rounds at most,
	 * a window per phase */
	CHECK(t, base >= 2 && base <= 6 && base % 2 == 0);
	CHECK_INT(t, count_lines(history, "\"phase\":\"verify\""), 2 * base);
	CHECK_CONTAINS(t, r.out, "verified:  defaults stand: ");
	CHECK_CONTAINS(t, r.out, ": 1x, ");
}

/* Killed half way and resumed: the same rounds, scored as before. */
static void tune_phases_resume(struct test_ctx *t)
{
	char history[512];
	struct cli_run r;

	write_phase_config(t, "mean", 6, "false");
	run_until(t, 2, SIGKILL, &r, history);
	run_fake(t, &r, "tune", "--resume", fixture_path(t, "out"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "baseline:  1 (spread");
	CHECK_CONTAINS(t, r.out, "  heavy                         8              8       1x\n");
	CHECK_INT(t, count_lines(history, "\"why\":\"baseline anchor: resumed\""), 6);
	CHECK_INT(t, count_lines(history, "\"load_phase\":\"light\""),
		  count_lines(history, "\"load_phase\":\"heavy\""));
	/* 7 configurations' results, and anchors (on resuming, after 5, at the end) */
	CHECK_INT(t, count_lines(history, "\"result\"") -
		     count_lines(history, "\"why\":\"baseline anchor") / 6, 7);
}

/* A config of write_config() with window.key set to value. */
static void set_window(struct test_ctx *t, const char *key, json_t *value)
{
	json_t *doc = load(t, "c.json");

	json_object_set_new(json_object_get(doc, "window"), key, value);
	json_dump_file(doc, fixture_path(t, "c.json"), 0);
	json_decref(doc);
}

/*
 * The config of write_config() with verification: rounds, candidates, and
 * a time budget of seconds (0: none).
 */
static void verify_config(struct test_ctx *t, const char *target, unsigned int rounds,
			  unsigned int candidates, double seconds)
{
	json_t *doc;

	write_config(t, "c.json", target, 3);
	doc = load(t, "c.json");
	json_object_set_new(doc, "verify", json_pack("{s:i,s:i}", "rounds", rounds,
						     "candidates", candidates));
	if (seconds)
		json_object_set_new(doc, "budget", json_pack("{s:i,s:f}", "iterations",
							     10000, "seconds", seconds));
	json_dump_file(doc, fixture_path(t, "c.json"), 0);
	json_decref(doc);
}

/* value 2 at the host's values (every knob is 60 on the double), 1 elsewhere */
static const char *const BETTER_TARGET =
	"{\"type\": \"command\", \"shell\": \"s=$(grep -o 'swappiness=[0-9]*' \\\"$OSTUNE_FAKE_LOG\\\""
	" | tail -n 1 | cut -d= -f2); [ \\\"${s:-60}\\\" = 60 ] && echo value=2 || echo value=1\","
	" \"metrics\": {\"value\": {\"key\": \"value\"}}}";

static void tune_verified_candidate_is_recommended(struct test_ctx *t)
{
	char history[512];
	struct cli_run r;
	json_t *summary, *v, *best;

	verify_config(t, BETTER_TARGET, 4, 2, 0);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "verified:  candidate 1 is better than the baseline: 0.5x, ≥90% CI 0.5x-0.5x (4 rounds)");
	CHECK_INT(t, count_in(r.out, "verified:"), 1);
	CHECK_CONTAINS(t, r.out, "recommended settings:");
	CHECK_CONTAINS(t, r.out, "ostune apply");
	snprintf(history, sizeof(history), "%s/out/history.jsonl", t->tmpdir);
	/*
	 * 4 rounds x (the baseline + 2 candidates), each after its warm-up
	 * window (warmup 1) as in the search, marked, no results
	 */
	CHECK_INT(t, count_lines(history, "\"verify\":true"), 24);
	CHECK_INT(t, count_lines(history, "\"phase\":\"verify\""), 12);
	/*
	 * 1 warm-up before each of the 4 configurations searched, the
	 * closing anchor and the 12 verification windows
	 */
	CHECK_INT(t, count_lines(history, "\"phase\":\"warmup\""), 4 + 1 + 12);
	CHECK_INT(t, count_lines(history, "\"result\""), 5);
	/* the baseline is applied again in its rounds */
	CHECK_CONTAINS(t, r.log, "apply sysctl.vm.swappiness=60");
	summary = load(t, "out/summary.json");
	v = json_object_get(summary, "verification");
	CHECK(t, json_is_true(json_object_get(v, "recommended")));
	CHECK_STR(t, json_string_value(json_object_get(v, "decision")), "better");
	CHECK(t, fabs(json_number_value(json_object_get(v, "ratio")) - 0.5) < 1e-6);
	CHECK(t, fabs(json_number_value(json_object_get(v, "low")) - 0.5) < 1e-6);
	CHECK(t, fabs(json_number_value(json_object_get(v, "high")) - 0.5) < 1e-6);
	CHECK_INT(t, json_integer_value(json_object_get(v, "rounds")), 4);
	CHECK_INT(t, json_integer_value(json_object_get(v, "pairs")), 4);
	CHECK_INT(t, json_array_size(json_object_get(v, "candidates")), 2);
	CHECK(t, json_is_false(json_object_get(json_array_get(json_object_get(v, "candidates"), 0),
					       "given_up")));
	CHECK_CONTAINS(t, json_string_value(json_object_get(v, "why")), "candidate 1 is better than the baseline: 0.5x");
	CHECK(t, json_is_object(json_object_get(summary, "recommended")));
	best = load(t, "out/best.json");
	CHECK(t, json_is_object(json_object_get(best, "knobs")));
	CHECK_CONTAINS(t, json_string_value(json_object_get(best, "verified")), "better than the baseline: 0.5x");
	CHECK(t, json_integer_value(json_object_get(best, "iteration")) ==
		 json_integer_value(json_object_get(json_object_get(summary, "recommended"),
						    "iteration")));
	json_decref(best);
	json_decref(summary);
	CHECK(t, count_lines(fixture_path(t, "out/report.html"),
			     "measured again against the baseline: candidate 1 is better than the baseline: 0.5x") > 0);
	/* a resumed run drops the verification windows and verifies again */
	run_fake(t, &r, "tune", "--resume", fixture_path(t, "out"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_INT(t, count_lines(history, "\"verify\":true"), 24);
	CHECK_INT(t, count_lines(history, "\"result\""), 5);
}

/*
 * BETTER_TARGET with a window noise of -2, 0, +2% in turn: the verdict of
 * one candidate rests on its rounds' own spread alone (the search's noise
 * need not be the rounds'), and summary.json claims nothing else.
 */
static void tune_verdict_uses_the_rounds_spread(struct test_ctx *t)
{
	char target[2048], count[512];
	struct cli_run r;
	json_t *summary, *c;

	snprintf(count, sizeof(count), "%s/count", t->tmpdir);
	snprintf(target, sizeof(target),
		 "{\"type\": \"command\", \"shell\": \"c=$(cat %s 2>/dev/null || echo 0);"
		 " echo $((c + 1)) > %s;"
		 " s=$(grep -o 'swappiness=[0-9]*' \\\"$OSTUNE_FAKE_LOG\\\" | tail -n 1 | cut -d= -f2);"
		 " [ \\\"${s:-60}\\\" = 60 ] && b=2 || b=1;"
		 " echo value=$((b * (99 + c %% 3)))\","
		 " \"metrics\": {\"value\": {\"key\": \"value\"}}}", count, count);
	verify_config(t, target, 6, 1, 0);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	summary = load(t, "out/summary.json");
	c = json_array_get(json_object_get(json_object_get(summary, "verification"),
					   "candidates"), 0);
	CHECK(t, json_integer_value(json_object_get(c, "pairs")) >= 3);
	CHECK(t, !json_object_get(c, "search_noise") && !json_object_get(c, "df"));
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(summary, "verification"),
						       "decision")), "better");
	json_decref(summary);
}

/*
 * BETTER_TARGET on the fake clock: each window moves the clock in the file
 * clock on by the milliseconds the shell expression step says ($c: the
 * clock now), so a time budget is spent the same way however slow this
 * machine is. The caller raises window.timeout_s (clock_timeout()), or a
 * jump of the clock would be a window running past its deadline.
 */
static void clock_target(struct test_ctx *t, char *target, size_t len,
			 char *clock, size_t clock_len, const char *step)
{
	snprintf(clock, clock_len, "%s/clock", t->tmpdir);
	snprintf(target, len,
		 "{\"type\": \"command\", \"shell\": \"c=$(cat %s 2>/dev/null || echo 0);"
		 " echo $((c + %s)) > %s.new && mv %s.new %s;"
		 " s=$(grep -o 'swappiness=[0-9]*' \\\"$OSTUNE_FAKE_LOG\\\" | tail -n 1 | cut -d= -f2);"
		 " [ \\\"${s:-60}\\\" = 60 ] && echo value=2 || echo value=1\","
		 " \"metrics\": {\"value\": {\"key\": \"value\"}}}", clock, step, clock, clock, clock);
	setenv("OSTUNE_FAKE_CLOCK", clock, 1);
}

/*
 * A run on a time budget keeps time for verification: the search stops
 * early enough, and the verdict is taken (it used to be skipped, with the
 * search's best written unverified). Every window takes 10 s.
 */
static void clock_timeout(struct test_ctx *t)
{
	set_window(t, "timeout_s", json_integer(86400));
}

static void tune_time_budget_leaves_time_to_verify(struct test_ctx *t)
{
	char target[4096], clock[512];
	struct cli_run r;
	json_t *summary, *v;
	double elapsed;

	clock_target(t, target, sizeof(target), clock, sizeof(clock), "10000");
	verify_config(t, target, 3, 1, 400);
	clock_timeout(t);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	unsetenv("OSTUNE_FAKE_CLOCK");
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "stopped: time");
	CHECK_CONTAINS(t, r.out, "verified:  candidate ");
	summary = load(t, "out/summary.json");
	v = json_object_get(summary, "verification");
	CHECK_STR(t, json_string_value(json_object_get(v, "decision")), "better");
	CHECK_INT(t, json_integer_value(json_object_get(v, "rounds")), 3);
	/* the search went on while there was time, and the verdict fit */
	CHECK(t, json_integer_value(json_object_get(summary, "configurations")) > 2);
	elapsed = json_number_value(json_object_get(summary, "elapsed_s"));
	CHECK(t, elapsed > 200 && elapsed <= 400);
	json_decref(summary);
	CHECK(t, access(fixture_path(t, "out/best.json"), F_OK) == 0);
}

/*
 * Resumed with more iterations, the run paces itself by the windows this
 * process measured: it used to divide its own time by every window of the
 * history, think windows nearly free and leave verification no time.
 */
static void tune_resumed_budget_paces_by_its_own_windows(struct test_ctx *t)
{
	char target[4096], clock[512];
	struct cli_run r;
	json_t *doc, *summary, *v;

	clock_target(t, target, sizeof(target), clock, sizeof(clock), "10000");
	verify_config(t, target, 3, 1, 400);
	clock_timeout(t);
	doc = load(t, "c.json");
	json_object_set_new(json_object_get(doc, "budget"), "iterations", json_integer(4));
	json_dump_file(doc, fixture_path(t, "c.json"), 0);
	json_decref(doc);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "stopped: budget");
	doc = load(t, "out/config.json");
	json_object_set_new(json_object_get(doc, "budget"), "iterations", json_integer(10000));
	json_dump_file(doc, fixture_path(t, "out/config.json"), 0);
	json_decref(doc);
	run_fake(t, &r, "tune", "--resume", fixture_path(t, "out"), NULL);
	unsetenv("OSTUNE_FAKE_CLOCK");
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "stopped: time");
	summary = load(t, "out/summary.json");
	v = json_object_get(summary, "verification");
	CHECK_STR(t, json_string_value(json_object_get(v, "decision")), "better");
	CHECK_INT(t, json_integer_value(json_object_get(v, "rounds")), 3);
	json_decref(summary);
}

/*
 * Windows that grow slower than the search's pace (10 s, then 60 s each)
 * leave verification too little time: the verdict says so, not that
 * rounds failed, and no profile is written.
 */
static void tune_verdict_cut_by_time_says_so(struct test_ctx *t)
{
	char target[4096], clock[512];
	struct cli_run r;

	clock_target(t, target, sizeof(target), clock, sizeof(clock),
		     "($c < 120000 ? 10000 : 60000)");
	verify_config(t, target, 3, 1, 400);
	clock_timeout(t);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	unsetenv("OSTUNE_FAKE_CLOCK");
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "verified:  defaults stand: the time budget left room for 1 of the 3 paired rounds a verdict needs");
	CHECK(t, access(fixture_path(t, "out/best.json"), F_OK) != 0);
}

static void tune_equal_candidates_leave_the_defaults(struct test_ctx *t)
{
	struct cli_run r;
	json_t *summary, *v;

	verify_config(t, VALUE_TARGET, 3, 2, 0);
	/* an old profile from an unverified run must not stay behind */
	mkdir(fixture_path(t, "out"), 0755);
	fixture_file(t, "out/best.json", "{\"knobs\": {}}\n", 0644);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "verified:  defaults stand: no candidate is better than the baseline; the best, candidate 1: 1x, inconclusive (≥90% CI 1x-1x) (3 rounds)");
	CHECK_CONTAINS(t, r.out, "no best.json");
	CHECK(t, !strstr(r.out, "ostune apply"));
	CHECK(t, access(fixture_path(t, "out/best.json"), F_OK) != 0);
	summary = load(t, "out/summary.json");
	v = json_object_get(summary, "verification");
	CHECK(t, json_is_false(json_object_get(v, "recommended")));
	CHECK(t, json_is_null(json_object_get(v, "ratio")));
	CHECK_STR(t, json_string_value(json_object_get(v, "decision")), "not_better");
	CHECK_CONTAINS(t, json_string_value(json_object_get(v, "why")), "defaults stand: ");
	CHECK(t, json_is_null(json_object_get(summary, "recommended")));
	json_decref(summary);
	CHECK(t, count_lines(fixture_path(t, "out/report.html"),
			     "No recommendation: measured again against the baseline, defaults stand") > 0);
}

/*
 * A candidate no better than the baseline, of 20 planned rounds: given up
 * at the futility look after 3, the rest of the rounds not measured.
 */
static void tune_futile_candidate_is_given_up(struct test_ctx *t)
{
	char history[512];
	struct cli_run r;
	json_t *summary, *v, *c;

	verify_config(t, VALUE_TARGET, 20, 1, 0);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "verified:  defaults stand: no candidate is better than the baseline; the best, candidate 1: 1x, inconclusive (≥90% CI 1x-1x) (given up after 3 rounds: a gain the planned 20 rounds could show is unlikely)");
	CHECK(t, access(fixture_path(t, "out/best.json"), F_OK) != 0);
	snprintf(history, sizeof(history), "%s", fixture_path(t, "out/history.jsonl"));
	CHECK_INT(t, count_lines(history, "\"phase\":\"verify\""), 3 * 2);
	summary = load(t, "out/summary.json");
	v = json_object_get(summary, "verification");
	CHECK_STR(t, json_string_value(json_object_get(v, "decision")), "not_better");
	CHECK_INT(t, json_integer_value(json_object_get(v, "rounds")), 3);
	c = json_array_get(json_object_get(v, "candidates"), 0);
	CHECK(t, json_is_true(json_object_get(c, "given_up")));
	CHECK(t, json_is_false(json_object_get(c, "better")));
	json_decref(summary);
}

/* value 1 with swappiness below 34, else 2 (the host's 60 included) */
static const char *const THIRD_BETTER_TARGET =
	"{\"type\": \"command\", \"shell\": \"s=$(grep -o 'swappiness=[0-9]*' \\\"$OSTUNE_FAKE_LOG\\\""
	" | tail -n 1 | cut -d= -f2); [ \\\"${s:-60}\\\" -lt 34 ] && echo value=1 || echo value=2\","
	" \"metrics\": {\"value\": {\"key\": \"value\"}}}";

/*
 * Of two candidates, the one no better than the baseline is given up
 * after 3 rounds and not measured again; the better one goes on to the
 * first look that tests, and is recommended there.
 */
static void tune_given_up_candidate_is_not_measured_again(struct test_ctx *t)
{
	char history[512];
	struct cli_run r;
	json_t *summary, *cands;

	verify_config(t, THIRD_BETTER_TARGET, 20, 2, 0);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "verified:  candidate 1 is better than the baseline: 0.5x");
	CHECK_CONTAINS(t, r.out, "(5 rounds)");
	snprintf(history, sizeof(history), "%s", fixture_path(t, "out/history.jsonl"));
	/* the baseline and candidate 1 in 5 rounds, candidate 2 in 3 */
	CHECK_INT(t, count_lines(history, "\"phase\":\"verify\""), 5 + 5 + 3);
	summary = load(t, "out/summary.json");
	cands = json_object_get(json_object_get(summary, "verification"), "candidates");
	CHECK(t, json_is_false(json_object_get(json_array_get(cands, 0), "given_up")));
	CHECK(t, json_is_true(json_object_get(json_array_get(cands, 1), "given_up")));
	CHECK_INT(t, json_integer_value(json_object_get(json_array_get(cands, 1), "pairs")), 3);
	json_decref(summary);
}

/* A shell snippet: n is this window's number, counted in DIR/n (%s twice). */
#define COUNT_WINDOW "n=$(cat %s/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > %s/n;"

static void tune_records_failed_windows_and_goes_on(struct test_ctx *t)
{
	char target[1024], history[512];
	struct cli_run r;

	/* after the baseline's 3 windows, even windows print garbage and
	 * every third exits 3 */
	snprintf(target, sizeof(target),
		 "{\"type\": \"command\", \"shell\": \"" COUNT_WINDOW
		 " [ $n -le 3 ] && { echo value=2; exit 0; };"
		 " [ $((n %% 3)) = 0 ] && { echo oops >&2; exit 3; };"
		 " [ $((n %% 2)) = 0 ] && echo garbage || echo value=2\","
		 " \"metrics\": {\"value\": {\"key\": \"value\"}}}", t->tmpdir, t->tmpdir);
	write_config(t, "c.json", target, 2);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.err, "failed: no metrics in the output; missing: value; output: 'garbage|'");
	CHECK_CONTAINS(t, r.err, "failed: sh exited 3: oops");
	snprintf(history, sizeof(history), "%s/out/history.jsonl", t->tmpdir);
	CHECK_INT(t, count_lines(history, "\"result\""), 4);
	CHECK(t, count_lines(history, "\"ok\":false") >= 3);
	CHECK(t, count_lines(history, "\"error\":\"sh exited 3: oops\"") >= 1);
}

/* value=2 at the host's values (swappiness 60 on the double), else CMD */
#define AT_BASELINE_OR(cmd)							\
	"{\"type\": \"command\", \"shell\": \"s=$(grep -o 'swappiness=[0-9]*' \\\"$OSTUNE_FAKE_LOG\\\"" \
	" | tail -n 1 | cut -d= -f2); [ \\\"${s:-60}\\\" = 60 ] && echo value=2 || " cmd "\","	\
	" \"metrics\": {\"value\": {\"key\": \"value\"}}}"

/*
 * Windows past the timeout are killed and count as slow (censored), not
 * as missing: a configuration whose windows all time out is failed, and
 * when every configuration failed the run says so and exits 1.
 */
static void tune_timeouts_are_slow_not_missing(struct test_ctx *t)
{
	char history[512];
	struct cli_run r;
	json_t *summary;

	write_config(t, "c.json", AT_BASELINE_OR("sleep 30"), 2);
	/* long enough for the baseline's shell under valgrind on a busy host */
	set_window(t, "timeout_s", json_real(2));
	set_window(t, "warmup", json_integer(0));
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "sh ran past the window's deadline: killed");
	CHECK_CONTAINS(t, r.err, "iteration 1: failed (2 of 2 windows ran past the timeout (2 s))");
	CHECK_CONTAINS(t, r.err, "ostune: tune: every configuration failed (2 of 2), the last: 2 of 2 windows ran past the timeout");
	CHECK_CONTAINS(t, r.out, "best:      2 ");
	snprintf(history, sizeof(history), "%s/out/history.jsonl", t->tmpdir);
	CHECK_INT(t, count_lines(history, "\"timed_out\":true"), 4);
	summary = load(t, "out/summary.json");
	CHECK_STR(t, json_string_value(json_object_get(summary, "stopped")),
		  "every configuration failed");
	CHECK_INT(t, json_integer_value(json_object_get(summary, "timed_out_windows")), 4);
	CHECK_INT(t, json_integer_value(json_object_get(summary, "failed_configurations")), 2);
	json_decref(summary);
	CHECK_CONTAINS(t, r.log, "session_close");
}

/* A target that fails on the host's own values: nothing else is tried. */
static void tune_failed_baseline_stops_the_run(struct test_ctx *t)
{
	struct cli_run r;
	json_t *summary;

	write_config(t, "c.json", "{\"type\": \"command\", \"shell\": \"echo 'db: connection refused' >&2; exit 1\","
		     " \"metrics\": {\"value\": {\"key\": \"value\"}}}", 5);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "ostune: tune: the baseline failed: sh exited 1: db: connection refused; nothing was changed: fix the target, then run again");
	CHECK(t, !strstr(r.err, "--resume"));
	CHECK(t, !strstr(r.log, "apply "));
	CHECK_CONTAINS(t, r.log, "session_close");
	summary = load(t, "out/summary.json");
	CHECK_STR(t, json_string_value(json_object_get(summary, "stopped")), "baseline failed");
	CHECK_INT(t, json_integer_value(json_object_get(summary, "configurations")), 1);
	json_decref(summary);
	/* fixed, the same directory starts afresh */
	write_config(t, "c.json", VALUE_TARGET, 1);
	run_fake(t, &r, "tune", "--resume", fixture_path(t, "out"), NULL);
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "the baseline failed");
}

/*
 * Racing: two configurations within each other's noise are both measured
 * again, doubling, up to max_windows (4 x 2), and the best has them all.
 * The target: 2 at the host's values, 1 at the first configuration
 * (swappiness 58 with seed 5), 1.05 at the second, every other window
 * 0.2 more.
 */
static void tune_races_close_configurations(struct test_ctx *t)
{
	char target[1024], history[512];
	struct cli_run r;
	json_t *summary, *best;

	snprintf(target, sizeof(target),
		 "{\"type\": \"command\", \"shell\": \"s=$(grep -o 'swappiness=[0-9]*' \\\"$OSTUNE_FAKE_LOG\\\""
		 " | tail -n 1 | cut -d= -f2); " COUNT_WINDOW
		 " case ${s:-60} in 60) v=2;; 58) v=1;; *) v=1.05;; esac;"
		 " awk -v v=$v -v n=$n 'BEGIN { print \\\"value=\\\" v + n %% 2 * 0.2 }'\","
		 " \"metrics\": {\"value\": {\"key\": \"value\"}}}", t->tmpdir, t->tmpdir);
	write_config(t, "c.json", target, 2);
	set_window(t, "warmup", json_integer(0));
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	snprintf(history, sizeof(history), "%s/out/history.jsonl", t->tmpdir);
	/* each 2 more, then 4 more: 12 race windows */
	CHECK_INT(t, count_lines(history, "\"phase\":\"race\""), 12);
	CHECK_CONTAINS(t, r.err, "race: 2 more windows against iteration 2: iteration 1: value 1.1 (median of 4");
	CHECK_CONTAINS(t, r.err, "race: 4 more windows against iteration 1: iteration 2: value 1.15 (median of 8");
	summary = load(t, "out/summary.json");
	best = json_object_get(summary, "best");
	CHECK_INT(t, json_integer_value(json_object_get(best, "iteration")), 1);
	CHECK_INT(t, json_integer_value(json_object_get(best, "windows")), 8);
	/* the baseline is not raced: its 2 windows and the closing anchor's */
	CHECK_INT(t, json_integer_value(json_object_get(json_object_get(summary, "baseline"),
							"windows")), 4);
	json_decref(summary);
	/* the report has one row per configuration, with its pooled result */
	CHECK_INT(t, count_lines(fixture_path(t, "out/report.html"),
				 "<tr><td class=\"n\">1</td>"), 1);
	CHECK_INT(t, count_lines(fixture_path(t, "out/report.html"),
				 "<tr><td class=\"n\">0</td>"), 1);
	CHECK(t, count_lines(fixture_path(t, "out/report.html"),
			     "<tr><td class=\"n\">1</td><td>latin hypercube point 1 of 2</td><td class=\"n\">1.1</td>") == 1);
	/* resumed, the pools and anchors come back as they were */
	run_fake(t, &r, "tune", "--resume", fixture_path(t, "out"), NULL);
	CHECK_INT(t, r.status, 0);
	summary = load(t, "out/summary.json");
	CHECK_INT(t, json_integer_value(json_object_get(json_object_get(summary, "best"),
							"windows")), 8);
	CHECK(t, fabs(json_number_value(json_object_get(json_object_get(summary, "best"),
							 "objective")) - 1.1) < 1e-9);
	CHECK_INT(t, json_array_size(json_object_get(summary, "anchors")), 2);
	json_decref(summary);
}

/*
 * An anchor whose values (the baseline's, applied again) the kernel
 * refuses fails alone: the baseline stands, measured by its other
 * blocks, the anchors before and after it correct the drift, the history
 * and the log say which one was left out, and the run goes on to the
 * end; a resumed run rebuilds the same. The double refuses the second
 * apply of swappiness=60 (the first baseline is measured as found, not
 * applied): the anchor after iteration 2.
 */
static void tune_refused_anchor_fails_alone(struct test_ctx *t)
{
	char history[512];
	struct cli_run r;
	json_t *summary, *base;

	write_config(t, "c.json", VALUE_TARGET, 3);
	set_window(t, "anchor_every", json_integer(1));
	setenv("OSTUNE_FAKE_REFUSE_APPLY", "sysctl.vm.swappiness=60:2", 1);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	unsetenv("OSTUNE_FAKE_REFUSE_APPLY");
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.err, "baseline anchor: after iteration 2: refused (apply: Invalid argument: entry ");
	CHECK_CONTAINS(t, r.err, "value refused): this anchor is left out of the drift correction; the baseline and its 2 earlier anchors stand");
	CHECK(t, !strstr(r.err, "iteration 0: apply"));
	CHECK_CONTAINS(t, r.out, "baseline:  0.05 (spread ±0.0%)\n");
	CHECK_CONTAINS(t, r.out, "anchors:   1 refused by the kernel (the baseline's values applied again): left out of the drift correction\n");
	CHECK_CONTAINS(t, r.out, "drift:     not corrected: no noise estimate (anchors of one window, or their windows all alike), 4 anchors needed (+0.0% over 3 baseline anchors");
	CHECK_CONTAINS(t, r.out, "best:      0.05");
	snprintf(history, sizeof(history), "%s/out/history.jsonl", t->tmpdir);
	/* its apply line, and every configuration measured after it */
	CHECK_INT(t, count_lines(history, "\"phase\":\"apply\""), 1);
	CHECK_INT(t, count_lines(history, "\"why\":\"baseline anchor: after iteration 2\",\"tuner\":\"random\",\"start\":\"\""), 1);
	CHECK_INT(t, count_lines(history, "\"why\":\"latin hypercube point 3 of 3\""), 3);
	summary = load(t, "out/summary.json");
	base = json_object_get(summary, "baseline");
	CHECK(t, json_is_false(json_object_get(base, "failed")));
	CHECK(t, json_number_value(json_object_get(base, "objective")) == 0.05);
	/* the first block and the anchors after iterations 1 and 3: 6 windows */
	CHECK_INT(t, json_integer_value(json_object_get(base, "windows")), 6);
	CHECK_INT(t, json_array_size(json_object_get(summary, "anchors")), 3);
	CHECK_INT(t, json_integer_value(json_object_get(summary, "anchors_failed")), 1);
	CHECK_STR(t, json_string_value(json_object_get(summary, "stopped")), "budget");
	json_decref(summary);
	CHECK(t, access(fixture_path(t, "out/best.json"), F_OK) == 0);
	CHECK(t, count_lines(fixture_path(t, "out/report.html"),
			     "Baseline anchors refused by the kernel (the baseline's values applied again): 1, left out") == 1);
	/* resumed: the refused anchor is read back as one, not as the baseline refused */
	run_fake(t, &r, "tune", "--resume", fixture_path(t, "out"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "baseline:  0.05 (spread ±0.0%)\n");
	summary = load(t, "out/summary.json");
	CHECK(t, json_is_false(json_object_get(json_object_get(summary, "baseline"), "failed")));
	CHECK_INT(t, json_integer_value(json_object_get(summary, "anchors_failed")), 1);
	CHECK_INT(t, json_array_size(json_object_get(summary, "anchors")), 3);
	json_decref(summary);
}

/*
 * The drift is corrected only when the anchors show more of it than their
 * own noise. A host that slows down by one unit every window (value 100 +
 * the window's number, whatever the configuration) is corrected: every
 * configuration comes out as the first anchor (101.5). A host whose
 * baseline windows alternate 100 and 120 (anchors of one window each)
 * while every configuration measures 50 has anchors noisier than any
 * drift they show: not corrected, and each configuration is its 50.
 */
static void tune_drift_corrected_only_beyond_anchor_noise(struct test_ctx *t)
{
	char target[1024];
	struct cli_run r;
	json_t *summary;

	snprintf(target, sizeof(target),
		 "{\"type\": \"command\", \"shell\": \"" COUNT_WINDOW " echo value=$((100 + n))\","
		 " \"metrics\": {\"value\": {\"key\": \"value\"}}}", t->tmpdir, t->tmpdir);
	write_config(t, "c.json", target, 2);
	set_window(t, "warmup", json_integer(0));
	set_window(t, "anchor_every", json_integer(1));
	set_window(t, "max_windows", json_integer(2));
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "drift:     +7.9% over 3 baseline anchors (largest +7.9%); each configuration is scored against the baseline interpolated between its anchors");
	summary = load(t, "out/summary.json");
	CHECK(t, json_is_true(json_object_get(summary, "drift_corrected")));
	CHECK(t, json_is_null(json_object_get(summary, "drift_not_corrected")));
	CHECK(t, json_number_value(json_object_get(summary, "drift_noise_pct")) < 4);
	CHECK(t, fabs(json_number_value(json_object_get(json_object_get(summary, "best"),
							 "objective")) - 101.5) < 1e-9);
	json_decref(summary);
	/* the baseline's windows alternate; anchors of one window each */
	unlink(fixture_path(t, "n"));
	snprintf(target, sizeof(target),
		 "{\"type\": \"command\", \"shell\": \"s=$(grep -o 'swappiness=[0-9]*' \\\"$OSTUNE_FAKE_LOG\\\""
		 " | tail -n 1 | cut -d= -f2); [ \\\"${s:-60}\\\" != 60 ] && { echo value=50; exit 0; }; "
		 COUNT_WINDOW " echo value=$((100 + (n + 1) %% 2 * 20))\","
		 " \"metrics\": {\"value\": {\"key\": \"value\"}}}", t->tmpdir, t->tmpdir);
	write_config(t, "c.json", target, 4);
	set_window(t, "warmup", json_integer(0));
	set_window(t, "repeats", json_integer(1));
	set_window(t, "anchor_every", json_integer(1));
	summary = load(t, "c.json");
	json_object_set_new(summary, "output", json_sprintf("%s/noisy", t->tmpdir));
	json_dump_file(summary, fixture_path(t, "c.json"), 0);
	json_decref(summary);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "drift:     not corrected: the anchors' noise (±");
	CHECK_CONTAINS(t, r.out, ") exceeds the drift they show (largest +20.0% over 5 baseline anchors); configurations are scored as measured");
	summary = load(t, "noisy/summary.json");
	CHECK(t, json_is_false(json_object_get(summary, "drift_corrected")));
	CHECK_STR(t, json_string_value(json_object_get(summary, "drift_not_corrected")), "noise");
	CHECK(t, json_number_value(json_object_get(summary, "drift_noise_pct")) > 20);
	CHECK(t, json_number_value(json_object_get(json_object_get(summary, "best"),
						    "objective")) == 50);
	json_decref(summary);
	CHECK(t, count_lines(fixture_path(t, "noisy/report.html"),
			     "Baseline drift not corrected: the anchors' noise (±") == 1);
}

static void tune_missing_program_says_what_to_install(struct test_ctx *t)
{
	struct cli_run r;

	write_config(t, "c.json", "{\"type\": \"command\", \"argv\": [\"no-such-workload\"]}", 1);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "no-such-workload not found");
	CHECK_CONTAINS(t, r.log, "session_close");
}

/*
 * Runs `ostune tune` on a config of the given budget and sends it sig once
 * its history (path in history, 512 bytes) has results configurations.
 */
static void tune_until(struct test_ctx *t, int iterations, size_t results,
		       int sig, struct cli_run *r, char *history)
{
	write_config(t, "c.json", VALUE_TARGET, iterations);
	run_until(t, results, sig, r, history);
}

static void tune_resume_continues(struct test_ctx *t)
{
	char history[512];
	struct cli_run r;

	tune_until(t, 20, 3, SIGKILL, &r, history);
	CHECK(t, count_lines(history, "\"result\"") >= 3);
	/* a torn last line, as a crash mid-write leaves */
	{
		FILE *f = fopen(history, "a");

		fputs("{\"iteration\":99,\"win", f);
		fclose(f);
	}
	run_fake(t, &r, "tune", "--resume", fixture_path(t, "out"), NULL);
	CHECK_INT(t, r.status, 0);
	/* 21 configurations; the baseline again after every 5, on resuming
	 * and at the end */
	CHECK_INT(t, count_lines(history, "\"result\"") -
		     count_lines(history, "\"phase\":\"anchor\"") / 2, 21);
	CHECK_INT(t, count_lines(history, "\"why\":\"baseline anchor: resumed\""), 3);
	CHECK_INT(t, count_lines(history, "\"iteration\":99"), 0);
	run_fake(t, &r, "tune", "--resume", fixture_path(t, "out"), fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 2);
}

static void tune_ctrl_c_restores_and_saves(struct test_ctx *t)
{
	char history[512];
	struct cli_run r;

	tune_until(t, 1000, 2, SIGINT, &r, history);
	CHECK_INT(t, r.status, 128 + SIGINT);
	CHECK_CONTAINS(t, r.err, "tune stopped (interrupted); the knobs are restored; continue with: ostune tune --resume");
	CHECK_CONTAINS(t, r.log, "session_close");
	CHECK_CONTAINS(t, r.out, "stopped: interrupted");
	CHECK(t, access(fixture_path(t, "out/summary.json"), F_OK) == 0);
}

static void tune_lost_session_stops(struct test_ctx *t)
{
	struct cli_run r;

	write_config(t, "c.json", "{\"type\": \"command\", \"shell\": \"sleep 1.2; echo value=1\","
		     " \"metrics\": {\"value\": {\"key\": \"value\"}}}", 5);
	setenv("OSTUNE_FAKE_FAIL_HEARTBEAT", "1", 1);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	unsetenv("OSTUNE_FAKE_FAIL_HEARTBEAT");
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "the session was lost (heartbeat: Connection timed out");
}

static void set_tuner(struct test_ctx *t, json_t *tuner)
{
	json_t *doc = load(t, "c.json");

	json_object_set_new(doc, "tuner", tuner);
	json_dump_file(doc, fixture_path(t, "c.json"), 0);
	json_decref(doc);
}

static void tune_plan_prints_the_resolved_config(struct test_ctx *t)
{
	struct cli_run r;

	write_config(t, "c.json", VALUE_TARGET, 2);
	run_fake(t, &r, "tune", "--plan", "--iterations", "7", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "\"iterations\": 7");
	CHECK_CONTAINS(t, r.out, "\"timeout_s\":");
	CHECK(t, access(fixture_path(t, "out"), F_OK) != 0);
	run_fake(t, &r, "tune", "--iterations", "x", NULL);
	CHECK_INT(t, r.status, 2);
	/* the tuner is made: options it refuses are refused here */
	write_config(t, "c.json", VALUE_TARGET, 2);
	set_tuner(t, json_pack("{s:s,s:i}", "name", "bo", "initial", 0));
	run_fake(t, &r, "tune", "--plan", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "ostune: tune: tuner bo: \"initial\" is the size of the space-filling design");
	CHECK_INT(t, (int)strlen(r.out), 0);
	/* an option no tuner takes, named */
	set_tuner(t, json_pack("{s:s,s:b}", "name", "bo", "bogus_option", 1));
	run_fake(t, &r, "tune", "--plan", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "tuner bo: unknown option 'bogus_option' (it takes: ");
	CHECK_INT(t, (int)strlen(r.out), 0);
	/* and a run is refused before it starts */
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 2);
	CHECK(t, !strstr(r.log, "session_open"));
	set_window(t, "max_windows", json_integer(1));
	run_fake(t, &r, "tune", "--plan", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 2);
	CHECK_CONTAINS(t, r.err, "window.max_windows must be an integer from window.repeats (2)");
}

/* ---- two objectives ---- */

/*
 * A latency/energy trade-off over two knobs of the double (whose values
 * are the last ones applied, 60 at the host's): swappiness s trades
 * latency = s + 10 against energy = 4000 / (s + 10), and nr_migrate m
 * away from 32 costs both (m - 32)^2 / 64. The front is m = 32 at every
 * s; its knee (front.h) is s = 25; the host's values (82, 69) are
 * dominated by s = 50 (60, 66).
 */
static const char *const TRADE_OFF_TARGET =
	"{\"type\": \"command\", \"shell\": \"s=$(grep -o 'swappiness=[0-9]*' \\\"$OSTUNE_FAKE_LOG\\\""
	" | tail -n 1 | cut -d= -f2); m=$(grep -o 'nr_migrate=[0-9]*' \\\"$OSTUNE_FAKE_LOG\\\""
	" | tail -n 1 | cut -d= -f2); s=${s:-60}; m=${m:-60}; d=$(( (m - 32) * (m - 32) / 64 ));"
	" echo latency=$((s + 10 + d)); echo energy=$((4000 / (s + 10) + d))\","
	" \"metrics\": {\"latency\": {\"key\": \"latency\", \"unit\": \"us\"},"
	" \"energy\": {\"key\": \"energy\", \"unit\": \"J\"}}}";

/*
 * The double keeps no values: the trade-off target reads the last ones
 * applied from its log. What the module does when a session ends, or its
 * owner is killed (the host's values back), is written there by hand, so
 * that the next run's baseline measures the host's values, not the last
 * configuration's.
 */
static void host_values_back(struct test_ctx *t)
{
	FILE *f = fopen(fixture_path(t, ".fake.log"), "a");

	if (f) {
		fputs("the module restored swappiness=60 nr_migrate=60\n", f);
		fclose(f);
	}
}

/* c.json: the trade-off on a grid of 5 x 2, with pick (JSON) */
static void write_pair_config(struct test_ctx *t, const char *pick)
{
	char text[4096];

	snprintf(text, sizeof(text),
		 "{\"target\": %s,"
		 " \"objectives\": [{\"metric\": \"latency\", \"goal\": \"minimize\"},"
		 "                 {\"metric\": \"energy\", \"goal\": \"minimize\"}],"
		 " \"pick\": %s,"
		 " \"space\": {\"sysctl.vm.swappiness\": {\"values\": [0, 25, 50, 75, 100]},"
		 "            \"sched.nr_migrate\": {\"values\": [8, 32]}},"
		 " \"tuner\": \"grid\","
		 " \"window\": {\"seconds\": 0.05, \"warmup\": 0, \"repeats\": 1, \"settle_s\": 0},"
		 " \"budget\": {\"iterations\": 10}, \"seed\": 5, \"watchdog_s\": 3,"
		 " \"verify\": {\"rounds\": 5},"
		 " \"output\": \"%s/out\"}", TRADE_OFF_TARGET, pick, t->tmpdir);
	fixture_file(t, "c.json", text, 0644);
}

static double point_value(const json_t *point, const char *metric)
{
	return json_number_value(json_object_get(json_object_get(json_object_get(point,
				 "objectives"), metric), "median"));
}

/* Does a dominate b (both minimised)? */
static bool dominates(const json_t *a, const json_t *b)
{
	double la = point_value(a, "latency"), ea = point_value(a, "energy");
	double lb = point_value(b, "latency"), eb = point_value(b, "energy");

	return la <= lb && ea <= eb && (la < lb || ea < eb);
}

/*
 * Every configuration's medians from the history's results: the front
 * must hold the non-dominated ones, none other.
 */
static void check_front(struct test_ctx *t, const json_t *pareto)
{
	const json_t *front = json_object_get(pareto, "front"), *p, *q;
	struct history_lines h;
	size_t i, j, others = 0;
	char why[256];
	int torn;

	CHECK(t, json_array_size(front) >= 3);
	CHECK_INT(t, history_load(fixture_path(t, "out/history.jsonl"), &h, &torn, why,
				  sizeof(why)), 0);
	json_array_foreach(front, i, p) {
		CHECK(t, isfinite(point_value(p, "latency")) && isfinite(point_value(p, "energy")));
		CHECK(t, json_is_object(json_object_get(p, "knobs")));
		CHECK(t, json_integer_value(json_object_get(p, "windows")) >= 1);
		json_array_foreach(front, j, q)
			CHECK(t, !dominates(q, p));
	}
	for (i = 0; i < h.n; i++) {
		const json_t *r = json_object_get(h.lines[i], "result");
		json_t *mine = json_pack("{s:{s:{s:O},s:{s:O}}}", "objectives",
			"latency", "median", json_object_get(json_object_get(r, "objectives"), "latency"),
			"energy", "median", json_object_get(json_object_get(r, "objectives"), "energy"));
		bool beaten = false, listed = false;

		if (!r)
			continue;
		json_array_foreach(front, j, p) {
			beaten = beaten || dominates(p, mine);
			listed = listed || (point_value(p, "latency") == point_value(mine, "latency") &&
					    point_value(p, "energy") == point_value(mine, "energy"));
		}
		/* each configuration is on the front or beaten by a point of it */
		CHECK(t, beaten != listed);
		others += beaten;
		json_decref(mine);
	}
	CHECK(t, others > 0);
	history_lines_free(&h);
}

/* c.json with key set to value (NULL: removed), then --plan into r */
static void plan_with(struct test_ctx *t, struct cli_run *r, const char *key,
		      json_t *value)
{
	json_t *doc = load(t, "c.json");

	if (value)
		json_object_set_new(doc, key, value);
	else
		json_object_del(doc, key);
	json_dump_file(doc, fixture_path(t, "c.json"), 0);
	json_decref(doc);
	run_fake(t, r, "tune", "--plan", fixture_path(t, "c.json"), NULL);
}

static void tune_two_objectives_plan(struct test_ctx *t)
{
	static const struct { const char *from, *to, *error; } bad[] = {
		{ "\"pick\": {\"rule\": \"knee\"}", "\"pick\": {\"rule\": \"middle\"}",
		  "ostune: tune: config: pick.rule is \"knee\" or \"constrained\", not 'middle'\n" },
		{ "\"pick\": {\"rule\": \"knee\"}", "\"pick\": {\"rule\": 3}",
		  "ostune: tune: config: pick.rule is \"knee\" or \"constrained\", not '3'\n" },
		{ "\"pick\": {\"rule\": \"knee\"}", "\"pick\": {\"rule\": \"constrained\", \"optimize\": [1], \"subject_to\": \"energy <= 1\"}",
		  "ostune: tune: config: pick.optimize is one of the objectives (latency, energy), not '[1]'\n" },
		{ "\"pick\": {\"rule\": \"knee\"}", "\"pick\": {\"rule\": \"knee\", \"optimize\": \"energy\"}",
		  "ostune: tune: config: unknown key \"pick.optimize\"\n" },
		{ "\"pick\": {\"rule\": \"knee\"}", "\"pick\": {\"rule\": \"constrained\", \"optimize\": \"power\", \"subject_to\": \"energy <= 1\"}",
		  "ostune: tune: config: pick.optimize is one of the objectives (latency, energy), not 'power'\n" },
		{ "\"pick\": {\"rule\": \"knee\"}", "\"pick\": {\"rule\": \"constrained\", \"optimize\": \"latency\", \"subject_to\": \"latency <= 1\"}",
		  "ostune: tune: config: pick.subject_to bounds the other objective, energy, not 'latency'\n" },
		{ "\"pick\": {\"rule\": \"knee\"}", "\"pick\": {\"rule\": \"constrained\", \"optimize\": \"latency\"}",
		  "ostune: tune: config: pick.subject_to is a string \"energy OP NUMBER\", OP one of <= < >= >\n" },
		{ "\"pick\": {\"rule\": \"knee\"}", "\"pick\": \"knee\"",
		  "ostune: tune: config: \"pick\" is {\"rule\": \"knee\"} or {\"rule\": \"constrained\", \"optimize\": METRIC, \"subject_to\": \"METRIC OP NUMBER\"}\n" },
		{ "\"goal\": \"minimize\"}]", "\"goal\": \"min\"}]",
		  "ostune: tune: config: objectives[1]: goal is \"minimize\" or \"maximize\", not 'min'\n" },
		{ "{\"metric\": \"energy\", \"goal\": \"minimize\"}", "{\"metric\": \"latency\", \"goal\": \"maximize\"}",
		  "ostune: tune: config: objectives: latency is both objectives: give two different metrics\n" },
		{ "{\"metric\": \"energy\", \"goal\": \"minimize\"}", "{\"metric\": \"energy\", \"goal\": \"minimize\"}, {\"metric\": \"power\"}",
		  "ostune: tune: config: \"objectives\" is a list of one or two {\"metric\": NAME, \"goal\": \"minimize\"|\"maximize\"}\n" },
		{ "{\"metric\": \"energy\", \"goal\": \"minimize\"}", "{\"metric\": \"energy\", \"goal\": \"minimize\", \"unit\": \"J\"}",
		  "ostune: tune: config: unknown key \"objectives[1].unit\"\n" },
		{ "\"pick\": {\"rule\": \"knee\"},", "\"pick\": {\"rule\": \"knee\"}, \"objective\": {\"metric\": \"latency\"},",
		  "ostune: tune: config: give \"objective\" (one) or \"objectives\" (a list of one or two), not both\n" },
		{ "\"tuner\": \"grid\"", "\"tuner\": \"coordinate\"",
		  "ostune: tune: tuner coordinate optimises one objective; with two, use bo (ParEGO), random, grid or fixed\n" },
		{ "\"tuner\": \"grid\"", "\"tuner\": {\"name\": \"llm\", \"api_key_env\": \"HOME\"}",
		  "ostune: tune: tuner llm optimises one objective; with two, use bo (ParEGO), random, grid or fixed\n" },
	};
	struct cli_run r;
	json_t *doc;
	size_t i;

	write_pair_config(t, "{\"rule\": \"knee\"}");
	run_fake(t, &r, "tune", "--plan", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	doc = json_loads(r.out, 0, NULL);
	CHECK_STR(t, json_string_value(json_object_get(json_array_get(json_object_get(doc,
		  "objectives"), 1), "metric")), "energy");
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(doc, "pick"), "rule")), "knee");
	json_decref(doc);
	/* bo takes two objectives (ParEGO); without "pick" the knee */
	write_pair_config(t, "{\"rule\": \"knee\"}");
	plan_with(t, &r, "pick", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "\"rule\": \"knee\"");
	plan_with(t, &r, "tuner", json_string("bo"));
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "\"rule\": \"knee\"");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[4096], *at;
		FILE *f;

		write_pair_config(t, "{\"rule\": \"knee\"}");
		f = fopen(fixture_path(t, "c.json"), "r");
		text[fread(text, 1, sizeof(text) - 1, f)] = '\0';
		fclose(f);
		at = strstr(text, bad[i].from);
		CHECK(t, at != NULL);
		if (!at)
			continue;
		{
			char edited[4096];

			snprintf(edited, sizeof(edited), "%.*s%s%s", (int)(at - text), text,
				 bad[i].to, at + strlen(bad[i].from));
			fixture_file(t, "c.json", edited, 0644);
		}
		run_fake(t, &r, "tune", "--plan", fixture_path(t, "c.json"), NULL);
		CHECK_INT(t, r.status, 2);
		CHECK_STR(t, r.err, bad[i].error);
		CHECK_INT(t, (int)strlen(r.out), 0);
	}
	/* "pick" without two objectives, and two objectives with load phases */
	write_config(t, "c.json", VALUE_TARGET, 2);
	plan_with(t, &r, "pick", json_pack("{s:s}", "rule", "knee"));
	CHECK_INT(t, r.status, 2);
	CHECK_STR(t, r.err, "ostune: tune: config: \"pick\" chooses from the front of two objectives: give two \"objectives\"\n");
	write_pair_config(t, "{\"rule\": \"knee\"}");
	plan_with(t, &r, "phases", json_pack("[{s:s}]", "name", "a"));
	CHECK_INT(t, r.status, 2);
	CHECK_STR(t, r.err, "ostune: tune: config: two objectives with load \"phases\" are not supported: give one objective, or no phases\n");
	/* one objective in the list form is the single objective */
	write_config(t, "c.json", VALUE_TARGET, 2);
	plan_with(t, &r, "objective", NULL);
	plan_with(t, &r, "objectives", json_pack("[{s:s,s:s}]", "metric", "value",
						 "goal", "maximize"));
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "\"goal\": \"maximize\"");
	CHECK(t, !strstr(r.out, "\"pick\""));
}

/*
 * The knee of the trade-off is much faster and much hungrier than the
 * host's values: worse on energy with confidence, so it is not
 * recommended, and the front is still written and drawn.
 */
static void tune_two_objectives_knee_worse_on_one(struct test_ctx *t)
{
	struct cli_run r;
	json_t *pareto, *pick;

	write_pair_config(t, "{\"rule\": \"knee\"}");
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	pareto = load(t, "out/pareto.json");
	CHECK(t, pareto != NULL);
	check_front(t, pareto);
	/* the five of nr_migrate 32; the host's values are beaten */
	CHECK_INT(t, json_array_size(json_object_get(pareto, "front")), 5);
	CHECK(t, point_value(json_object_get(pareto, "baseline"), "latency") == 82);
	CHECK(t, point_value(json_object_get(pareto, "baseline"), "energy") == 69);
	pick = json_object_get(pareto, "pick");
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(pick, "knobs"),
							"sysctl.vm.swappiness")), "25");
	CHECK(t, point_value(pick, "latency") == 35 && point_value(pick, "energy") == 114);
	CHECK_CONTAINS(t, json_string_value(json_object_get(pareto, "why")),
		       "the knee of the front: iteration ");
	CHECK(t, json_is_false(json_object_get(json_object_get(pareto, "verification"),
					       "recommended")));
	CHECK_CONTAINS(t, json_string_value(json_object_get(json_object_get(pareto, "verification"), "why")),
		       "defaults stand: the pick is worse than the baseline on energy: 1.65x");
	CHECK_CONTAINS(t, r.out, "front:     5 configurations no other beats on both (pareto.json); pick: the knee of the front: iteration");
	CHECK_CONTAINS(t, r.out, "verified:  defaults stand: the pick is worse than the baseline on energy");
	/*
	 * per objective, the pick's ratio (its "better" test at alpha / 2: a
	 * ≥95% interval) and the "not worse" test that decided (at alpha)
	 */
	CHECK_CONTAINS(t, r.out, "\n  latency      0.427x, ≥95% CI 0.427x-0.427x; not worse by more than 0%: bound 0.427x, at most 1x allowed (≥90% CI 0.427x-0.427x): shown\n");
	CHECK_CONTAINS(t, r.out, "\n  energy       1.65x, ≥95% CI 1.65x-1.65x; not worse by more than 0%: bound 1.65x, at most 1x allowed (≥90% CI 1.65x-1.65x): worse by more\n");
	CHECK(t, count_lines(fixture_path(t, "out/report.html"),
			     "<td>energy</td><td class=\"n\">1.65x, ≥95% CI 1.65x-1.65x</td>"
			     "<td>not worse by more than 0%: bound 1.65x, at most 1x allowed (≥90% CI 1.65x-1.65x): worse by more</td>") == 1);
	{
		json_t *summary = load(t, "out/summary.json");
		const json_t *en = json_object_get(json_object_get(json_object_get(summary,
						   "verification"), "objectives"), "energy");
		const json_t *nw = json_object_get(en, "not_worse");

		const json_t *v = json_object_get(summary, "verification");

		CHECK(t, fabs(json_number_value(json_object_get(en, "confidence")) - 0.95) < 1e-9);
		/* the top-level ratio and the candidate are the "better" test's */
		CHECK(t, fabs(json_number_value(json_object_get(v, "confidence")) - 0.95) < 1e-9);
		CHECK(t, json_array_size(json_object_get(v, "candidates")) >= 1);
		CHECK(t, fabs(json_number_value(json_object_get(json_array_get(
			json_object_get(v, "candidates"), 0), "confidence")) - 0.95) < 1e-9);
		CHECK_STR(t, json_string_value(json_object_get(en, "better")), "not_better");
		CHECK(t, fabs(json_number_value(json_object_get(nw, "confidence")) - 0.9) < 1e-9);
		CHECK(t, json_number_value(json_object_get(nw, "allowed")) == 1);
		CHECK(t, fabs(json_number_value(json_object_get(nw, "worst")) - 114.0 / 69) < 1e-9);
		CHECK_STR(t, json_string_value(json_object_get(nw, "decision")), "refuted");
		json_decref(summary);
	}
	CHECK(t, access(fixture_path(t, "out/best.json"), F_OK) != 0);
	json_decref(pareto);
	/* the history keeps both medians, and no constraint the config has not */
	CHECK(t, count_lines(fixture_path(t, "out/history.jsonl"),
			     "\"objectives\":{\"latency\":35") > 0);
	CHECK(t, count_lines(fixture_path(t, "out/history.jsonl"), "\"constraints\":{}") > 0);
	CHECK(t, count_lines(fixture_path(t, "out/history.jsonl"), "\"constraints\":{\"energy\"") == 0);
	CHECK(t, count_lines(fixture_path(t, "out/report.html"), "<svg") > 0);
	CHECK(t, count_lines(fixture_path(t, "out/report.html"), "Pareto front of the two objectives") == 1);
	CHECK(t, count_lines(fixture_path(t, "out/report.html"), "class=\"pick\"") == 1);
	/* nothing to export but, asked for, the unverified pick */
	run_fake(t, &r, "export", fixture_path(t, "out"), "--format", "profile", NULL);
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "defaults stand: the pick is worse than the baseline on energy");
	run_fake(t, &r, "export", fixture_path(t, "out"), "--format", "profile",
		 "--unverified", "--output", "-", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "\"sysctl.vm.swappiness\": \"25\"");
	CHECK_CONTAINS(t, r.out, "the pick of the front (pareto.json), unverified (iteration ");
}

/*
 * The constrained pick: the lowest latency with energy <= 70 is s = 50,
 * better than the host's values on both: verified and recommended. A
 * run killed half way and resumed ends with the same front.
 */
static void tune_two_objectives_constrained_pick_verified(struct test_ctx *t)
{
	char history[512];
	struct cli_run r;
	json_t *pareto, *best, *again;

	write_pair_config(t, "{\"rule\": \"constrained\", \"optimize\": \"latency\","
			  " \"subject_to\": \"energy <= 70\"}");
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	pareto = load(t, "out/pareto.json");
	check_front(t, pareto);
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(json_object_get(pareto, "pick"),
		  "knobs"), "sysctl.vm.swappiness")), "50");
	CHECK_CONTAINS(t, json_string_value(json_object_get(pareto, "why")),
		       "the lowest latency with energy <= 70 of the front: iteration");
	CHECK(t, json_is_true(json_object_get(json_object_get(pareto, "verification"), "recommended")));
	CHECK_CONTAINS(t, r.out, "verified:  the pick is better than the baseline on latency: 0.732x, ≥95% CI 0.732x-0.732x, and meets energy <= 70 (its mean's ≥95% upper bound: 66) (5 rounds)");
	CHECK_CONTAINS(t, r.out, "\n  latency      0.732x, ≥95% CI 0.732x-0.732x\n"
		       "  energy       0.957x, ≥95% CI 0.957x-0.957x; energy <= 70 (its mean's ≥95% upper bound: 66): met\n");
	CHECK_INT(t, count_in(r.out, "verified:"), 1);
	/* summary.json's verification has both objectives' ratios, not only the first */
	{
		json_t *summary = load(t, "out/summary.json");
		const json_t *objs = json_object_get(json_object_get(summary, "verification"),
						     "objectives");
		const json_t *lat = json_object_get(objs, "latency");
		const json_t *en = json_object_get(objs, "energy");

		CHECK_INT(t, json_object_size(objs), 2);
		/* s = 50: latency 60 / 82, energy 66 / 69, every window alike */
		CHECK(t, fabs(json_number_value(json_object_get(lat, "ratio")) - 60.0 / 82) < 1e-9);
		CHECK(t, fabs(json_number_value(json_object_get(en, "ratio")) - 66.0 / 69) < 1e-9);
		CHECK(t, json_number_value(json_object_get(en, "low")) <=
			 json_number_value(json_object_get(en, "ratio")));
		CHECK(t, json_integer_value(json_object_get(en, "pairs")) >= 3);
		/* "better" at alpha / 2 on each: intervals of at least 95% */
		CHECK(t, fabs(json_number_value(json_object_get(lat, "confidence")) - 0.95) < 1e-9);
		CHECK_STR(t, json_string_value(json_object_get(lat, "better")), "better");
		CHECK(t, !json_object_get(lat, "subject_to") && !json_object_get(lat, "not_worse"));
		CHECK_STR(t, json_string_value(json_object_get(json_object_get(en, "subject_to"),
							       "constraint")), "energy <= 70");
		CHECK(t, json_number_value(json_object_get(json_object_get(en, "subject_to"),
							   "bound")) == 66);
		CHECK_STR(t, json_string_value(json_object_get(json_object_get(en, "subject_to"),
							       "state")), "met");
		CHECK(t, json_integer_value(json_object_get(en, "pairs")) ==
			 json_integer_value(json_object_get(lat, "pairs")));
		json_decref(summary);
	}
	CHECK(t, count_lines(fixture_path(t, "out/report.html"),
			     "<th>the pick's ratio to the baseline</th>") == 1);
	CHECK(t, count_lines(fixture_path(t, "out/report.html"),
			     "<td>energy</td><td class=\"n\">0.957x, ≥95% CI 0.957x-0.957x</td>"
			     "<td>energy &lt;= 70 (its mean&#39;s ≥95% upper bound: 66): met</td>") == 1);
	CHECK(t, count_lines(fixture_path(t, "out/report.html"),
			     "<td>latency</td><td class=\"n\">0.732x, ≥95% CI 0.732x-0.732x</td><td>-</td>") == 1);
	best = load(t, "out/best.json");
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(best, "knobs"),
							"sysctl.vm.swappiness")), "50");
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(best, "knobs"),
							"sched.nr_migrate")), "32");
	json_decref(best);
	/* the report, made again by `ostune report`, and an export */
	/* fixture_path() has one buffer */
	snprintf(history, sizeof(history), "%s", fixture_path(t, "r.html"));
	run_fake(t, &r, "report", fixture_path(t, "out"), "--output", history, NULL);
	CHECK_INT(t, r.status, 0);
	CHECK(t, count_lines(fixture_path(t, "r.html"), "class=\"pick\"") == 1);
	CHECK(t, count_lines(fixture_path(t, "r.html"), "latency (us, minimize)") > 0);
	/* the table of every configuration has the second objective's column */
	CHECK(t, count_lines(fixture_path(t, "r.html"), "<th>spread</th><th>energy</th>") == 1);
	CHECK(t, count_lines(fixture_path(t, "r.html"), "<td class=\"n\">66</td>") > 0);
	/* a hand-edited pareto.json listing more points than configurations */
	{
		json_t *edited = load(t, "out/pareto.json");
		json_t *front = json_object_get(edited, "front");
		size_t k, n = json_array_size(front);

		for (k = 0; k < 40; k++)
			json_array_append(front, json_array_get(front, k % n));
		json_dump_file(edited, fixture_path(t, "out/pareto.json"), 0);
		json_decref(edited);
		run_fake(t, &r, "report", fixture_path(t, "out"), "--output", history, NULL);
		CHECK_INT(t, r.status, 0);
		json_dump_file(pareto, fixture_path(t, "out/pareto.json"), 0);
	}
	run_fake(t, &r, "export", fixture_path(t, "out"), "--format", "shell", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "out/ostune-apply.sh");
	CHECK(t, count_lines(fixture_path(t, "out/ostune-apply.sh"), "swappiness") > 0);
	/* killed after 4 configurations, resumed: the same front and pick */
	snprintf(history, sizeof(history), "%s", fixture_path(t, "first"));
	CHECK_INT(t, rename(fixture_path(t, "out"), history), 0);
	host_values_back(t);
	run_until(t, 4, SIGKILL, &r, history);
	host_values_back(t);
	run_fake(t, &r, "tune", "--resume", fixture_path(t, "out"), NULL);
	CHECK_INT(t, r.status, 0);
	again = load(t, "out/pareto.json");
	CHECK_INT(t, json_array_size(json_object_get(again, "front")),
		  json_array_size(json_object_get(pareto, "front")));
	CHECK(t, count_lines(history, "\"why\":\"baseline anchor: resumed\"") > 0);
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(json_object_get(again, "pick"),
		  "knobs"), "sysctl.vm.swappiness")), "50");
	CHECK(t, access(fixture_path(t, "out/best.json"), F_OK) == 0);
	json_decref(again);
	json_decref(pareto);
}

/* c.json's second objective: metric, minimised; without verification */
static void second_objective(struct test_ctx *t, const char *metric)
{
	json_t *doc = load(t, "c.json");

	json_array_set_new(json_object_get(doc, "objectives"), 1,
			   json_pack("{s:s,s:s}", "metric", metric, "goal", "minimize"));
	json_object_set_new(doc, "verify", json_false());
	json_dump_file(doc, fixture_path(t, "c.json"), 0);
	json_decref(doc);
}

/*
 * A proxy metric ostune records itself (window_s, here) is a second
 * objective like the target's own; a metric nobody gives fails the
 * baseline's windows with its name. The pick is constrained, not the
 * knee: window_s is the host's timing, and under load the knee of a
 * front that timing shapes can be the baseline (nothing to write).
 */
static void tune_two_objectives_proxy_metric(struct test_ctx *t)
{
	char first[512];
	const json_t *p;
	struct cli_run r;
	json_t *pareto;
	size_t i;

	write_pair_config(t, "{\"rule\": \"constrained\", \"optimize\": \"latency\","
			  " \"subject_to\": \"window_s <= 1000\"}");
	second_objective(t, "window_s");
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	pareto = load(t, "out/pareto.json");
	CHECK(t, pareto != NULL);
	CHECK(t, json_array_size(json_object_get(pareto, "front")) >= 1);
	json_array_foreach(json_object_get(pareto, "front"), i, p)
		CHECK(t, point_value(p, "window_s") > 0);
	CHECK(t, json_is_object(json_object_get(pareto, "pick")));
	CHECK(t, point_value(json_object_get(pareto, "baseline"), "window_s") > 0);
	json_decref(pareto);
	CHECK(t, access(fixture_path(t, "out/best.json"), F_OK) == 0);
	/* unverified: the report and an export describe the pick, by both medians */
	CHECK_CONTAINS(t, r.out, "pick:      latency ");
	CHECK_CONTAINS(t, r.out, " (medians), iteration ");
	CHECK(t, !strstr(r.out, "improvement over baseline"));
	CHECK(t, !strstr(r.out, "best:      "));
	run_fake(t, &r, "export", fixture_path(t, "out"), "--format", "profile",
		 "--output", "-", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "the pick of the front (best.json, iteration ");
	CHECK_CONTAINS(t, r.out, ", window_s ");
	CHECK_CONTAINS(t, r.out, "\"sysctl.vm.swappiness\": \"0\"");

	write_pair_config(t, "{\"rule\": \"knee\"}");
	second_objective(t, "joules");
	snprintf(first, sizeof(first), "%s", fixture_path(t, "first"));
	CHECK_INT(t, rename(fixture_path(t, "out"), first), 0);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "the second objective's metric joules is missing (the target gave: elapsed_s, latency, energy)");
	CHECK(t, count_lines(fixture_path(t, "out/history.jsonl"),
			     "the second objective's metric joules is missing") > 0);
}

/*
 * The constrained pick (s = 50) succeeds once in the search, then every
 * window of it fails: verification fails it on both objectives, and it
 * is neither recommended nor written to best.json.
 */
static void tune_two_objectives_pick_failing_in_verification(struct test_ctx *t)
{
	struct cli_run r;
	json_t *doc, *pareto;
	char shell[2048];

	write_pair_config(t, "{\"rule\": \"constrained\", \"optimize\": \"latency\","
			  " \"subject_to\": \"energy <= 70\"}");
	doc = load(t, "c.json");
	snprintf(shell, sizeof(shell),
		 "s=$(grep -o 'swappiness=[0-9]*' \"$OSTUNE_FAKE_LOG\" | tail -n 1 | cut -d= -f2);"
		 " m=$(grep -o 'nr_migrate=[0-9]*' \"$OSTUNE_FAKE_LOG\" | tail -n 1 | cut -d= -f2);"
		 " f=\"$(dirname \"$OSTUNE_FAKE_LOG\")/runs-of-$s-$m\"; n=$(cat \"$f\" 2>/dev/null || echo 0);"
		 " echo $((n + 1)) > \"$f\"; if [ \"$s-$m\" = 50-32 ] && [ $n -ge 1 ]; then echo broken >&2; exit 1; fi; %s",
		 json_string_value(json_object_get(json_object_get(doc, "target"), "shell")));
	json_object_set_new(json_object_get(doc, "target"), "shell", json_string(shell));
	json_dump_file(doc, fixture_path(t, "c.json"), 0);
	json_decref(doc);
	run_fake(t, &r, "tune", fixture_path(t, "c.json"), NULL);
	CHECK_INT(t, r.status, 0);
	pareto = load(t, "out/pareto.json");
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(json_object_get(pareto, "pick"),
		  "knobs"), "sysctl.vm.swappiness")), "50");
	CHECK(t, json_is_false(json_object_get(json_object_get(pareto, "verification"), "recommended")));
	CHECK_CONTAINS(t, json_string_value(json_object_get(json_object_get(pareto, "verification"), "why")),
		       "defaults stand: the pick failed ");
	CHECK_CONTAINS(t, r.out, "verified:  defaults stand: the pick failed ");
	CHECK(t, access(fixture_path(t, "out/best.json"), F_OK) != 0);
	json_decref(pareto);
}

SUITE(tune_suite, "tune",
	CASE(proxy_metrics_from_fixture_tree),
	CASE(proxy_metrics_without_files),
	CASE(perf_counters_or_a_reason),
	CASE(extract_by_json_regex_and_key),
	CASE(history_torn_last_line),
	CASE(history_reals_read_back_exact),
	CASE(config_defaults_are_written_back),
	CASE(config_errors_say_what),
	CASE(default_config_spans_this_kernels_knobs),
	CASE(tune_writes_history_best_and_summary),
	CASE(tune_pattern_sets_every_match),
	CASE(tune_pattern_refusals),
	CASE(tune_fixed_knobs_are_held_throughout),
	CASE(tune_fixed_and_pin_refusals),
	CASE(tune_pins_the_target_and_keeps_off_it),
	CASE(phases_score_rounds),
	CASE(tune_measures_every_phase),
	CASE(tune_phases_verify_in_rounds),
	CASE(tune_phases_resume),
	CASE(tune_verified_candidate_is_recommended),
	CASE(tune_verdict_uses_the_rounds_spread),
	CASE(tune_time_budget_leaves_time_to_verify),
	CASE(tune_resumed_budget_paces_by_its_own_windows),
	CASE(tune_verdict_cut_by_time_says_so),
	CASE(tune_equal_candidates_leave_the_defaults),
	CASE(tune_futile_candidate_is_given_up),
	CASE(tune_given_up_candidate_is_not_measured_again),
	CASE(tune_records_failed_windows_and_goes_on),
	CASE(tune_timeouts_are_slow_not_missing),
	CASE(tune_failed_baseline_stops_the_run),
	CASE(tune_races_close_configurations),
	CASE(tune_refused_anchor_fails_alone),
	CASE(tune_drift_corrected_only_beyond_anchor_noise),
	CASE(tune_missing_program_says_what_to_install),
	CASE(tune_resume_continues),
	CASE(tune_ctrl_c_restores_and_saves),
	CASE(tune_lost_session_stops),
	CASE(tune_plan_prints_the_resolved_config),
	CASE(tune_two_objectives_plan),
	CASE(tune_two_objectives_knee_worse_on_one),
	CASE(tune_two_objectives_constrained_pick_verified),
	CASE(tune_two_objectives_proxy_metric),
	CASE(tune_two_objectives_pick_failing_in_verification),
);
