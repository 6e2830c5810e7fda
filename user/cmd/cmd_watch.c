// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune watch [--plan] [--kept] [--rules R,R|all] [--interval MS]
 *              [--lease MS] [--log stderr|syslog] [--state FILE]
 *
 * The options; the daemon is watch/daemon.c. Every option is checked
 * before anything is opened.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "lib/client.h"
#include "watch/daemon.h"
#include "watch/state.h"

#define DEFAULT_INTERVAL_MS	1000
#define DEFAULT_LEASE_MS	10000
#define MIN_INTERVAL_MS		100
#define MAX_INTERVAL_MS		3600000

static bool parse_ms(const char *arg, long long lo, long long hi,
		     long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(arg, &end, 10);
	return !errno && end != arg && !*end && *out >= lo && *out <= hi;
}

/* "all" or names from watch_rules(), each once; kept in table order. */
static int parse_rules(const struct cli *cli, const char *arg,
		       struct watch_options *opt)
{
	bool wanted[WATCH_MAX_RULES] = { false };
	const struct watch_rule *all;
	char *copy, *name, *save;
	size_t n, i;
	int ret = -1;

	all = watch_rules(&n);
	if (!strcmp(arg, "all")) {
		for (i = 0; i < n; i++)
			wanted[i] = true;
	} else {
		copy = strdup(arg);
		if (!copy)
			return module_op_failed(NULL, "watch", -ENOMEM);
		for (name = strtok_r(copy, ",", &save); name;
		     name = strtok_r(NULL, ",", &save)) {
			const struct watch_rule *r = watch_rule_find(name);

			if (!r) {
				ret = cli_usage_error(cli,
					"no rule '%s' (rules: tcp_buffers, congestion, neigh, ipfrag, netdev_backlog, somaxconn, or all)",
					name);
				break;
			}
			wanted[r - all] = true;
		}
		free(copy);
		if (ret >= 0)
			return ret;
	}
	opt->nrules = 0;
	for (i = 0; i < n; i++)
		if (wanted[i])
			opt->rules[opt->nrules++] = &all[i];
	if (!opt->nrules)
		return cli_usage_error(cli, "--rules names no rule");
	return -1;
}

int cmd_watch(const struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "plan", no_argument, NULL, 'p' },
		{ "kept", no_argument, NULL, 'k' },
		{ "rules", required_argument, NULL, 'r' },
		{ "interval", required_argument, NULL, 'i' },
		{ "lease", required_argument, NULL, 'l' },
		{ "log", required_argument, NULL, 'L' },
		{ "state", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct watch_options opt = {
		.sysroot = cli->sysroot,
		.interval_ms = DEFAULT_INTERVAL_MS,
		.lease_ms = DEFAULT_LEASE_MS,
	};
	char state_path[4096];
	long long ms;
	int opt_c, ret;

	/* under the sysroot, where 'ostune --sysroot DIR status' looks */
	watch_state_path(cli->sysroot, state_path, sizeof(state_path));
	ret = parse_rules(cli, "all", &opt);
	if (ret >= 0)
		return ret;
	while ((opt_c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt_c) {
		case 'p':
			opt.plan = true;
			break;
		case 'k':
			opt.kept = true;
			break;
		case 'r':
			ret = parse_rules(cli, optarg, &opt);
			if (ret >= 0)
				return ret;
			break;
		case 'i':
			if (!parse_ms(optarg, MIN_INTERVAL_MS, MAX_INTERVAL_MS,
				      &ms))
				return cli_usage_error(cli,
					"--interval wants milliseconds from %d to %d, not '%s'",
					MIN_INTERVAL_MS, MAX_INTERVAL_MS, optarg);
			opt.interval_ms = ms;
			break;
		case 'l':
			if (!parse_ms(optarg, OSTUNE_WATCHDOG_MIN_MS,
				      OSTUNE_WATCHDOG_MAX_MS, &ms))
				return cli_usage_error(cli,
					"--lease wants milliseconds from %d to %d, not '%s'",
					OSTUNE_WATCHDOG_MIN_MS,
					OSTUNE_WATCHDOG_MAX_MS, optarg);
			opt.lease_ms = (uint32_t)ms;
			break;
		case 'L':
			if (strcmp(optarg, "stderr") && strcmp(optarg, "syslog"))
				return cli_usage_error(cli,
					"--log is stderr or syslog, not '%s'",
					optarg);
			opt.syslog = !strcmp(optarg, "syslog");
			break;
		case 's':
			if (!optarg[0])
				return cli_usage_error(cli,
					"--state wants a file name");
			opt.state_path = optarg;
			break;
		case 'h':
			return cli_command_help(cli);
		default:
			return cli_option_error(cli, opt_c, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, "unexpected argument '%s'",
				       argv[optind]);
	if (opt.plan && opt.kept)
		return cli_usage_error(cli,
			"--plan changes nothing, so --kept has nothing to keep");
	/* a dry run leaves the service's state file alone */
	if (!opt.state_path && !opt.plan)
		opt.state_path = state_path;
	if (strcmp(cli->sysroot, "/") && !opt.plan &&
	    !ostune_client_writes_sysroot)
		return cli_usage_error(cli,
			"--sysroot %s is read, but changes would go to this host's knobs: use --plan with it",
			cli->sysroot);
	return watch_run(&opt);
}
