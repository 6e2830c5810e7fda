// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune: the command line. Global options, then a command from the table.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"

#ifndef OSTUNE_VERSION
#error "OSTUNE_VERSION must be defined by the build"
#endif

static int cmd_help(const struct cli *cli, int argc, char **argv);

static const struct cli_command commands[] = {
	{ "status", "[--json]",
	  "Show whether ostune.ko is loaded, its version, the writer session\n"
	  "(owner, watchdog lease) and the knobs it holds with their original,\n"
	  "last written and current values; STATE says kept or session and\n"
	  "marks drift (changed by someone else since ostune wrote it).",
	  cmd_status },
	{ "knobs", "[PATTERN] [--json]",
	  "List the knobs this host has (found by reading the filesystem; no\n"
	  "module needed) with class, current value, domain when known, and\n"
	  "details: an idle state's name and latencies, a cpufreq policy's\n"
	  "limits (its governors and EPP words are their knobs' domain), an\n"
	  "IRQ's device. QoS knobs (pmqos, freq min/max_khz) show the module's\n"
	  "own request, 'none' without one. '*' matches within one dotted\n"
	  "component, PREFIXa-b a numeric range:\n"
	  "  ostune knobs 'sysctl.net.ipv4.tcp_*'\n"
	  "  ostune knobs 'idle.cpu0-3.state*.disable'",
	  cmd_knobs },
	{ "get", "KNOB... [--json]",
	  "Print current values as the module reads them ('NAME = VALUE').\n"
	  "KNOB may be a pattern.",
	  cmd_get },
	{ "set", "KNOB=VALUE... [--plan]",
	  "Apply the values as one transaction, kept after ostune exits\n"
	  "('ostune restore' or unloading the module puts the originals back).\n"
	  "KNOB may be a pattern; later assignments win. --plan prints\n"
	  "'NAME: CURRENT -> NEW' for each knob and changes nothing.",
	  cmd_set },
	{ "apply", "FILE|DIR... [--plan] [--wait SECONDS] [--missing-ok]",
	  "Apply profiles, {\"knobs\": {\"NAME\": VALUE, ...}}, as one kept\n"
	  "transaction. Values are strings or numbers; names may be patterns or\n"
	  "IRQ handler names (irq.action:HANDLER.affinity). A DIR stands for its\n"
	  "*.json files in name order; a later profile's value wins. --wait:\n"
	  "while a knob is not there yet (a device still probing), try again\n"
	  "for up to SECONDS; nothing is applied until all are. --missing-ok:\n"
	  "skip paths that do not exist (at least one profile must remain).",
	  cmd_apply },
	{ "restore", "[KNOB...]",
	  "Put the originals back now: of the knobs named (patterns and IRQ\n"
	  "handler names match the held knobs), or of every knob the module\n"
	  "holds.",
	  cmd_restore },
	{ "exec", "[--watchdog SECONDS] -s KNOB=VALUE [-s ...] -- CMD [ARGS...]",
	  "Open a session with a watchdog lease (default 10 s), apply the values,\n"
	  "run CMD, and restore when it ends. ostune heartbeats while waiting;\n"
	  "if it is killed or stalls, the kernel restores. SIGINT, SIGTERM and\n"
	  "SIGHUP go to CMD. Exits with CMD's status (128+N if killed by N).",
	  cmd_exec },
	{ "monitor", "[--json] [--count N]",
	  "Print every knob change as it happens, until SIGINT or N events.",
	  cmd_monitor },
	{ "doctor", "[--json]",
	  "Check the prerequisites, one line each (ok, warn, fail, and what to\n"
	  "do): the module and its version, debugfs, /proc/sys, the cpuidle and\n"
	  "cpufreq drivers, PM QoS, movable IRQs, capabilities, PMU and RAPL;\n"
	  "then which knob classes this host supports. Exits 0 when the module\n"
	  "is loaded and a class works (with --sysroot, the module is not\n"
	  "checked).",
	  cmd_doctor },
	{ "tune", "[CONFIG] [--output DIR] [--iterations N] [--plan] | --resume DIR",
	  "Tune: measure the host's current values (the baseline), then the\n"
	  "configurations a tuner suggests, each applied as one transaction\n"
	  "and measured in windows, and report the best. Without CONFIG, the\n"
	  "embedded default: a random search over the sched knobs this kernel\n"
	  "has and a few sysctls, on hackbench. Results go to DIR (history.jsonl,\n"
	  "best.json for 'ostune apply', summary.json); the knobs are restored\n"
	  "at the end, on Ctrl-C (which saves) and by the kernel if ostune dies.\n"
	  "--resume continues an interrupted run; --plan prints the resolved\n"
	  "config and runs nothing.",
	  cmd_tune },
	{ "report", "DIR [--output FILE]",
	  "Write the HTML report of a tuning run (DIR, from 'ostune tune'): one\n"
	  "self-contained file with inline SVG charts: the objective of every\n"
	  "window with the best so far and the baseline's band, each knob\n"
	  "against the objective, the Pareto front of a run with two\n"
	  "objectives, the recommendation and its verification, and every\n"
	  "configuration. Default FILE: DIR/report.html ('-' is standard\n"
	  "output). Prints its path.",
	  cmd_report },
	{ "export", "DIR --format tuned|sysctl|profile|shell|cmdline [--output PATH] [--unverified] [--isolate CPUS]",
	  "Write the configuration a tuning run (DIR, from 'ostune tune')\n"
	  "recommends, its best.json, for other tools: a TuneD profile\n"
	  "directory, a sysctl.d file (its sysctl knobs; a comment lists the\n"
	  "others), a profile for 'ostune apply' (IRQs named by their handler\n"
	  "where it is unique), a shell script writing /proc and /sys, or the\n"
	  "kernel command-line settings of a GRUB drop-in (cmdline: isolcpus,\n"
	  "nohz_full, rcu_nocbs and irqaffinity for --isolate CPUS; irqaffinity\n"
	  "and the C-state limit the run's IRQ masks and idle states amount to).\n"
	  "Knobs a format cannot express are listed in a comment.\n"
	  "Default PATH, in DIR: tuned/ostune/, 99-ostune.conf, profile.json,\n"
	  "ostune-apply.sh; cmdline: standard output ('-'). Prints the file\n"
	  "written.\n"
	  "--unverified: the search's best (summary.json), also when the\n"
	  "verification found it no better than the baseline.",
	  cmd_export },
	{ "watch", "[--plan] [--kept] [--rules R,R...|all] [--interval MS] [--lease MS] [--log stderr|syslog] [--state FILE]",
	  "Watch the kernel's network counters every interval (default 1000 ms)\n"
	  "and adjust the knobs of each rule whose condition holds, within\n"
	  "ceilings derived from memory, at most once per rate-limit interval and\n"
	  "only after the condition held for its hysteresis count. Rules:\n"
	  "tcp_buffers, congestion, neigh, ipfrag, netdev_backlog, somaxconn.\n"
	  "One log line per change (stderr or syslog). Changes are held in one\n"
	  "session with a watchdog lease (default 10000 ms): undone when watch\n"
	  "stops, and by the kernel if it dies or stalls; --kept leaves them in\n"
	  "place (ostune restore still undoes them). A knob someone else writes\n"
	  "disables its rule. --plan logs what would change and changes nothing.\n"
	  "Runs until SIGTERM, SIGINT or SIGHUP, then prints a summary.\n"
	  "'ostune status'\n"
	  "reads its state file (default /run/ostune/watch.json). docs/watch.md.",
	  cmd_watch },
	{ "help", "[COMMAND]", "Show help for ostune or for COMMAND.",
	  cmd_help },
};

#define NUM_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct cli_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NUM_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void print_overview(FILE *out)
{
	size_t i;

	fprintf(out, "usage: ostune [--sysroot DIR] COMMAND [ARGS]\n"
	       "       ostune --version\n\n"
	       "Tunes scheduler, idle state, PM QoS, CPU frequency, IRQ affinity,\n"
	       "memory-management (THP, KSM, huge pages), workqueue mask and sysctl\n"
	       "knobs through ostune.ko, which keeps the original values and puts\n"
	       "them back.\n\ncommands:\n");
	for (i = 0; i < NUM_COMMANDS; i++)
		fprintf(out, "  %-8s %s\n", commands[i].name,
			commands[i].synopsis);
	fprintf(out, "\noptions:\n"
	       "  --sysroot DIR  discover knobs (and doctor) under DIR instead of /\n\n"
	       "Exit status: 0 success, 1 the operation failed, 2 bad usage or\n"
	       "invalid input. 'ostune help COMMAND' tells more.\n");
}

static int cmd_help(const struct cli *cli, int argc, char **argv)
{
	struct cli topic = *cli;

	if (argc > 2)
		return cli_usage_error(cli, "one COMMAND at most");
	if (argc < 2) {
		print_overview(stdout);
		return CLI_OK;
	}
	topic.cmd = find_command(argv[1]);
	if (!topic.cmd)
		return cli_usage_error(cli, "unknown command '%s'", argv[1]);
	return cli_command_help(&topic);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "sysroot", required_argument, NULL, 'r' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct cli cli = { .sysroot = "/" };
	int opt;

	opterr = 0;
	/* '+': stop at the command, whose options are its own. */
	while ((opt = getopt_long(argc, argv, "+:h", options, NULL)) != -1) {
		switch (opt) {
		case 'r':
			cli.sysroot = optarg;
			break;
		case 'V':
			printf("ostune %s\n", OSTUNE_VERSION);
			return CLI_OK;
		case 'h':
			print_overview(stdout);
			return CLI_OK;
		default:
			return cli_option_error(&cli, opt, argv);
		}
	}
	if (optind == argc) {
		print_overview(stderr);
		return CLI_USAGE;
	}
	cli.cmd = find_command(argv[optind]);
	if (!cli.cmd)
		return cli_usage_error(&cli, "unknown command '%s'",
				       argv[optind]);
	argc -= optind;
	argv += optind;
	/* 0 makes GNU getopt start over for the command's own options. */
	optind = 0;
	return cli.cmd->run(&cli, argc, argv);
}
