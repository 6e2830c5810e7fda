// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The commands end to end on a double of the client library (see
 * tests/fake/fake_client.c for what it answers): output formats, what is
 * asked of the module, and exec's heartbeats, signals and exit status.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "unit.h"

static size_t count_lines(const char *text, const char *line)
{
	size_t n = 0, len = strlen(line);
	const char *p;

	for (p = text; (p = strstr(p, line)); p += len)
		if ((p == text || p[-1] == '\n') && p[len] == '\n')
			n++;
	return n;
}

/* Waits up to 5 s for a file to exist and contain needle. */
static bool wait_for(const char *path, const char *needle)
{
	struct timespec tick = { 0, 10 * 1000000 };
	char text[4096];
	int i;

	for (i = 0; i < 500; i++) {
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;

		if (f)
			fclose(f);
		text[n] = '\0';
		if (f && strstr(text, needle))
			return true;
		nanosleep(&tick, NULL);
	}
	return false;
}

static void status_text(struct test_ctx *t)
{
	struct cli_run r;

	run_fake(t, &r, "status", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out,
		       "module:  ostune.ko 0.1.0, netlink family version 1\n");
	CHECK_CONTAINS(t, r.out,
		       "session: 3 owned by pid 812 (ostune), port 4242, watchdog 10000 ms, 4200 ms left\n");
	CHECK_CONTAINS(t, r.out, "held:    2 knobs\n");
	CHECK_CONTAINS(t, r.out,
		       "KNOB                   ORIGINAL  WRITTEN  CURRENT  STATE\n"
		       "sysctl.vm.swappiness   60        10       10       session\n"
		       "sysctl.vm.dirty_ratio  20        5        7        kept,drift\n");
}

static void status_json(struct test_ctx *t)
{
	struct cli_run r;
	json_error_t error;
	json_t *doc, *held;

	run_fake(t, &r, "status", "--json", NULL);
	CHECK_INT(t, r.status, 0);
	doc = json_loads(r.out, 0, &error);
	CHECK(t, doc);
	CHECK(t, json_is_true(json_object_get(doc, "loaded")));
	CHECK_STR(t, json_string_value(json_object_get(doc, "module_version")),
		  "0.1.0");
	CHECK_INT(t, json_integer_value(json_object_get(
			json_object_get(doc, "session"), "remaining_ms")), 4200);
	held = json_array_get(json_object_get(doc, "held"), 1);
	CHECK_STR(t, json_string_value(json_object_get(held, "last_written")),
		  "5");
	CHECK(t, json_is_true(json_object_get(held, "drift")));
	CHECK(t, json_is_false(json_object_get(held, "session")));
	json_decref(doc);
}

static void module_absent_exits_1(struct test_ctx *t)
{
	struct cli_run r;

	setenv("OSTUNE_FAKE_ABSENT", "1", 1);
	run_fake(t, &r, "set", "sysctl.vm.swappiness=10", NULL);
	unsetenv("OSTUNE_FAKE_ABSENT");
	CHECK_INT(t, r.status, 1);
	CHECK_STR(t, r.err, "ostune: ostune.ko is not loaded: run 'insmod kmod/ostune.ko' or 'modprobe ostune'\n");
}

static void get_text_and_json(struct test_ctx *t)
{
	struct cli_run r;

	run_fake(t, &r, "get", "sysctl.vm.swappiness", "sched.nr_migrate",
		 NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_STR(t, r.out, "sysctl.vm.swappiness = 60\nsched.nr_migrate = 60\n");
	run_fake(t, &r, "get", "--json", "sysctl.vm.swappiness", NULL);
	CHECK_STR(t, r.out, "{\"knobs\":[{\"name\":\"sysctl.vm.swappiness\",\"value\":\"60\"}]}\n");
}

static void set_applies_one_transaction(struct test_ctx *t)
{
	struct cli_run r;

	fixture_file(t, "proc/sys/net/ipv4/tcp_rmem", "1 2 3\n", 0644);
	fixture_file(t, "proc/sys/net/ipv4/tcp_wmem", "1 2 3\n", 0644);
	run_fake(t, &r, "--sysroot", t->tmpdir, "set",
		 "sysctl.net.ipv4.tcp_*=4096 87380 6291456",
		 "sysctl.vm.swappiness=10", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_STR(t, r.out, "applied 3 knobs (txn 5)\n");
	CHECK_CONTAINS(t, r.log,
		       "apply sysctl.net.ipv4.tcp_rmem=4096 87380 6291456\n"
		       "apply sysctl.net.ipv4.tcp_wmem=4096 87380 6291456\n"
		       "apply sysctl.vm.swappiness=10\n");
}

static void plan_changes_nothing(struct test_ctx *t)
{
	struct cli_run r;

	fixture_file(t, "p.json", "{\"knobs\": {\"sysctl.vm.swappiness\": 10, "
		     "\"sched.nr_migrate\": 8}}", 0644);
	run_fake(t, &r, "apply", fixture_path(t, "p.json"), "--plan", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_STR(t, r.out, "sysctl.vm.swappiness: 60 -> 10\nsched.nr_migrate: 60 -> 8\n");
	CHECK(t, !strstr(r.log, "apply"));
}

static void kernel_error_shows_extack(struct test_ctx *t)
{
	struct cli_run r;

	setenv("OSTUNE_FAKE_FAIL_APPLY", "1", 1);
	run_fake(t, &r, "set", "sysctl.vm.swappiness=abc", NULL);
	unsetenv("OSTUNE_FAKE_FAIL_APPLY");
	CHECK_INT(t, r.status, 1);
	CHECK_STR(t, r.err, "ostune: apply: Invalid argument: entry 0 (sysctl.vm.swappiness): bad value\n");
	CHECK_STR(t, r.out, "");
}

static void restore_all_and_by_pattern(struct test_ctx *t)
{
	struct cli_run r;

	run_fake(t, &r, "restore", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_STR(t, r.out, "restored all held knobs\n");
	CHECK_CONTAINS(t, r.log, "restore all\n");
	/* patterns match the knobs the module holds */
	run_fake(t, &r, "restore", "sysctl.vm.dirty_*", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.log, "restore sysctl.vm.dirty_ratio\n");
	CHECK(t, !strstr(r.log, "restore sysctl.vm.swappiness"));
	run_fake(t, &r, "restore", "sysctl.net.*", NULL);
	CHECK_INT(t, r.status, 2);
}

static void monitor_counts_events(struct test_ctx *t)
{
	struct cli_run r;

	run_fake(t, &r, "monitor", "--count", "2", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, " sysctl.vm.swappiness: 60 -> 10 (pid 812 ostune, txn 5)\n");
	CHECK_CONTAINS(t, r.out, " sysctl.vm.swappiness: 10 -> 60 (pid 812 ostune, restore: socket-close)\n");
	run_fake(t, &r, "monitor", "--json", "--count", "1", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "\"reason\":\"apply\",\"txn_id\":5,");
	/* exactly one line */
	CHECK(t, strchr(r.out, '\n') == r.out + strlen(r.out) - 1);
}

static void monitor_stops_on_sigint(struct test_ctx *t)
{
	struct cli_run r;
	pid_t pid = start_fake(t, "monitor", NULL);

	/* its signals are blocked before it prints */
	CHECK(t, wait_for(fixture_path(t, ".stdout"), "socket-close"));
	kill(pid, SIGINT);
	finish_cli(t, &r, pid);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "restore: socket-close");
}

static void exec_heartbeats_and_exit_status(struct test_ctx *t)
{
	struct cli_run r;

	run_fake(t, &r, "exec", "--watchdog", "0.3", "-s",
		 "sysctl.vm.swappiness=10", "--", "sh", "-c",
		 "sleep 0.5; exit 3", NULL);
	CHECK_INT(t, r.status, 3);
	CHECK_CONTAINS(t, r.log, "open\nsession_open 300\n"
		       "apply sysctl.vm.swappiness=10\nheartbeat\n");
	/* every 100 ms for at least 500 ms; slack for a loaded machine */
	CHECK(t, count_lines(r.log, "heartbeat") >= 3);
	CHECK(t, count_lines(r.log, "heartbeat") <= 12);
	CHECK_CONTAINS(t, r.log, "heartbeat\nsession_close\nclose\n");
}

static void exec_default_lease(struct test_ctx *t)
{
	struct cli_run r;

	run_fake(t, &r, "exec", "-s", "sysctl.vm.swappiness=10", "--", "true",
		 NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.log, "session_open 10000\n");
	CHECK_INT(t, count_lines(r.log, "heartbeat"), 0);
}

static void exec_child_killed_gives_128_plus_signal(struct test_ctx *t)
{
	struct cli_run r;

	run_fake(t, &r, "exec", "-s", "sysctl.vm.swappiness=10", "--", "sh",
		 "-c", "kill -KILL $$", NULL);
	CHECK_INT(t, r.status, 128 + SIGKILL);
	CHECK_CONTAINS(t, r.log, "session_close\n");
}

static void exec_forwards_sigterm(struct test_ctx *t)
{
	struct cli_run r;
	pid_t pid;

	pid = start_fake(t, "exec", "-s", "sysctl.vm.swappiness=10", "--",
			 "sh", "-c",
			 "trap 'echo got-term; exit 7' TERM; echo ready; "
			 "while :; do sleep 0.05; done", NULL);
	CHECK(t, wait_for(fixture_path(t, ".stdout"), "ready"));
	kill(pid, SIGTERM);
	finish_cli(t, &r, pid);
	CHECK_INT(t, r.status, 7);
	CHECK_CONTAINS(t, r.out, "got-term");
	CHECK_CONTAINS(t, r.log, "session_close\n");
}

static void exec_failed_apply_runs_nothing(struct test_ctx *t)
{
	struct cli_run r;

	setenv("OSTUNE_FAKE_FAIL_APPLY", "1", 1);
	run_fake(t, &r, "exec", "-s", "sysctl.vm.swappiness=abc", "--",
		 "touch", fixture_path(t, "ran"), NULL);
	unsetenv("OSTUNE_FAKE_FAIL_APPLY");
	CHECK_INT(t, r.status, 1);
	CHECK_CONTAINS(t, r.err, "ostune: apply: Invalid argument: entry 0");
	CHECK(t, access(fixture_path(t, "ran"), F_OK) != 0);
	CHECK_CONTAINS(t, r.log, "session_close\n");
}

static void exec_missing_command_127(struct test_ctx *t)
{
	struct cli_run r;

	run_fake(t, &r, "exec", "-s", "sysctl.vm.swappiness=10", "--",
		 "/nonexistent/cmd", NULL);
	CHECK_INT(t, r.status, 127);
	CHECK_CONTAINS(t, r.err, "/nonexistent/cmd");
}

static void exec_reports_lost_session_once(struct test_ctx *t)
{
	struct cli_run r;

	setenv("OSTUNE_FAKE_FAIL_HEARTBEAT", "1", 1);
	run_fake(t, &r, "exec", "--watchdog", "0.15", "-s",
		 "sysctl.vm.swappiness=10", "--", "sleep", "0.4", NULL);
	unsetenv("OSTUNE_FAKE_FAIL_HEARTBEAT");
	CHECK_INT(t, r.status, 0);
	CHECK(t, count_lines(r.log, "heartbeat") >= 2);
	CHECK_STR(t, r.err, "ostune: heartbeat: Connection timed out: session expired: the watchdog lease ran out\n");
}

static void knobs_show_the_modules_requests(struct test_ctx *t)
{
	struct cli_run r;

	fixture_pmqos_tree(t);
	setenv("OSTUNE_FAKE_HOLD", "pmqos.cpu_latency_us", 1);
	run_fake(t, &r, "--sysroot", t->tmpdir, "knobs", "pmqos.*", NULL);
	unsetenv("OSTUNE_FAKE_HOLD");
	CHECK_INT(t, r.status, 0);
	CHECK_STR(t, r.out,
		  "NAME                  CLASS  VALUE  DOMAIN              DETAIL\n"
		  "pmqos.cpu_latency_us  pmqos  60     none|0..2000000000  effective=20\n");
	/* only the held knob is asked for */
	CHECK_CONTAINS(t, r.log, "open\nstatus\nget 1\nclose\n");
	run_fake(t, &r, "--sysroot", t->tmpdir, "knobs",
		 "pmqos.cpu0.resume_latency_us", NULL);
	CHECK_CONTAINS(t, r.out, "pmqos.cpu0.resume_latency_us  pmqos  none ");
}

static void knobs_without_module_show_none(struct test_ctx *t)
{
	struct cli_run r;

	fixture_pmqos_tree(t);
	fixture_freq_tree(t);
	setenv("OSTUNE_FAKE_ABSENT", "1", 1);
	run_fake(t, &r, "--sysroot", t->tmpdir, "knobs", "--json", NULL);
	unsetenv("OSTUNE_FAKE_ABSENT");
	CHECK_INT(t, r.status, 0);
	CHECK_STR(t, r.err, "");
	CHECK_CONTAINS(t, r.out, "{\"name\":\"pmqos.cpu_latency_us\",\"class\":\"pmqos\",\"value\":\"none\",");
	CHECK_CONTAINS(t, r.out, "{\"name\":\"freq.policy0.max_khz\",\"class\":\"freq\",\"value\":\"none\",");
}

static void knobs_ask_the_module_only_for_qos(struct test_ctx *t)
{
	struct cli_run r;

	fixture_idle_tree(t);
	fixture_pmqos_tree(t);
	run_fake(t, &r, "--sysroot", t->tmpdir, "knobs", "idle.*.*.*", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_STR(t, r.log, "");
}

/* A governor is read from its file: the module is not asked. */
static void knobs_freq_policy_shows_what_is_offered(struct test_ctx *t)
{
	struct cli_run r;

	fixture_freq_tree(t);
	fixture_freqpolicy_tree(t);
	run_fake(t, &r, "--sysroot", t->tmpdir, "knobs", "freq.policy*.governor",
		 NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_STR(t, r.log, "");
	CHECK_CONTAINS(t, r.out, "performance|powersave");
	run_fake(t, &r, "--sysroot", t->tmpdir, "knobs", "freq.policy0.*",
		 "--json", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.out, "{\"name\":\"freq.policy0.governor\",\"class\":\"freq\",\"value\":\"schedutil\",\"domain\":\"performance|schedutil\",");
	CHECK_CONTAINS(t, r.out, "{\"name\":\"freq.policy0.epp\",\"class\":\"freq\",\"value\":\"balance_performance\",\"domain\":\"default|performance|balance_performance|balance_power|power\",");
}

static void set_expands_hardware_patterns(struct test_ctx *t)
{
	struct cli_run r;

	fixture_hw_tree(t);
	run_fake(t, &r, "--sysroot", t->tmpdir, "set",
		 "idle.cpu0-3.state2.disable=1", "freq.policy*.max_khz=1600000",
		 "irq.*.affinity=0-1", "freq.policy4.max_khz=2000000", NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_STR(t, r.out, "applied 9 knobs (txn 5)\n");
	/* the fixed IRQ 36 is left out of the pattern */
	CHECK_CONTAINS(t, r.log,
		       "apply idle.cpu0.state2.disable=1\n"
		       "apply idle.cpu1.state2.disable=1\n"
		       "apply freq.policy0.max_khz=1600000\n"
		       "apply freq.policy4.max_khz=2000000\n"
		       "apply irq.0.affinity=0-1\n"
		       "apply irq.8.affinity=0-1\n"
		       "apply irq.26.affinity=0-1\n"
		       "apply irq.40.affinity=0-1\n"
		       "apply irq.41.affinity=0-1\n");
}

static void exec_and_apply_expand_hardware_patterns(struct test_ctx *t)
{
	struct cli_run r;

	fixture_hw_tree(t);
	run_fake(t, &r, "--sysroot", t->tmpdir, "exec", "-s",
		 "pmqos.cpu*.resume_latency_us=10", "--", "true", NULL);
	CHECK_INT(t, r.status, 0);
	/* cpu10 is offline */
	CHECK_CONTAINS(t, r.log,
		       "apply pmqos.cpu0.resume_latency_us=10\n"
		       "apply pmqos.cpu1.resume_latency_us=10\n"
		       "session_close\n");
	fixture_file(t, "p.json",
		     "{\"knobs\": {\"idle.cpu*.state1-2.disable\": 1, "
		     "\"idle.cpu1.state2.disable\": 0, "
		     "\"pmqos.cpu_latency_us\": \"none\"}}", 0644);
	run_fake(t, &r, "--sysroot", t->tmpdir, "apply",
		 fixture_path(t, "p.json"), NULL);
	CHECK_INT(t, r.status, 0);
	CHECK_CONTAINS(t, r.log,
		       "apply idle.cpu0.state1.disable=1\n"
		       "apply idle.cpu0.state2.disable=1\n"
		       "apply idle.cpu1.state1.disable=1\n"
		       "apply idle.cpu1.state2.disable=0\n"
		       "apply pmqos.cpu_latency_us=none\n");
}

SUITE(commands_suite, "commands on a client double",
	CASE(status_text),
	CASE(status_json),
	CASE(module_absent_exits_1),
	CASE(get_text_and_json),
	CASE(set_applies_one_transaction),
	CASE(plan_changes_nothing),
	CASE(kernel_error_shows_extack),
	CASE(restore_all_and_by_pattern),
	CASE(monitor_counts_events),
	CASE(monitor_stops_on_sigint),
	CASE(exec_heartbeats_and_exit_status),
	CASE(exec_default_lease),
	CASE(exec_child_killed_gives_128_plus_signal),
	CASE(exec_forwards_sigterm),
	CASE(exec_failed_apply_runs_nothing),
	CASE(exec_missing_command_127),
	CASE(exec_reports_lost_session_once),
	CASE(knobs_show_the_modules_requests),
	CASE(knobs_without_module_show_none),
	CASE(knobs_ask_the_module_only_for_qos),
	CASE(knobs_freq_policy_shows_what_is_offered),
	CASE(set_expands_hardware_patterns),
	CASE(exec_and_apply_expand_hardware_patterns),
);
