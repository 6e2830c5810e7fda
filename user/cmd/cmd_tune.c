// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune tune [CONFIG] [--output DIR] [--iterations N] [--plan]
 * ostune tune --resume DIR
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "output/report.h"
#include "tune/tune.h"

static int parse_iterations(const char *arg, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(arg, &end, 10);
	return errno || end == arg || *end || *out < 0 || *out > 1000000 ?
	       -EINVAL : 0;
}

/* DIR/report.html (ostune report), and its path as the last line. */
static void write_report(const char *dir)
{
	char path[600], why[1024];

	snprintf(path, sizeof(path), "%s/report.html", dir);
	if (report_file(dir, path, why, sizeof(why)))
		fprintf(stderr, "ostune: report: %s\n", why);
	else
		printf("report:    %s\n", path);
}

int cmd_tune(const struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "resume", required_argument, NULL, 'r' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "plan", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct tune_options o = {
		.sysroot = cli->sysroot, .iterations = -1,
		.tty = isatty(STDERR_FILENO),
	};
	struct tune_outcome outcome;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, ":o:r:n:h", options, NULL)) != -1) {
		switch (opt) {
		case 'o':
			o.output = optarg;
			break;
		case 'r':
			o.resume = optarg;
			break;
		case 'n':
			if (parse_iterations(optarg, &o.iterations))
				return cli_usage_error(cli, "--iterations wants a count, not '%s'",
						       optarg);
			break;
		case 'p':
			o.plan = true;
			break;
		case 'h':
			return cli_command_help(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error(cli, "one CONFIG at most");
	if (optind < argc)
		o.config_path = argv[optind];
	if (o.resume && (o.config_path || o.output))
		return cli_usage_error(cli, "--resume continues with the run's own config and directory");
	ret = tune_main(&o, &outcome);
	if (outcome.results)
		write_report(outcome.dir);
	return ret;
}
