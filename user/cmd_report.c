// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune report DIR [--output FILE]: the HTML report of a tuning run.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "report.h"

int cmd_report(const struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *output = NULL;
	char why[1024], path[4096];
	int opt, ret;

	while ((opt = getopt_long(argc, argv, ":o:h", options, NULL)) != -1) {
		switch (opt) {
		case 'o':
			output = optarg;
			break;
		case 'h':
			return cli_command_help(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "give one DIR, the output directory of 'ostune tune'");
	if ((size_t)snprintf(path, sizeof(path), "%s/report.html", argv[optind]) >= sizeof(path))
		return cli_input_error("%s: path too long", argv[optind]);
	if (!output)
		output = path;
	ret = report_file(argv[optind], output, why, sizeof(why));
	if (ret == -EINVAL || ret == -ENOENT)
		return cli_input_error("%s", why);
	if (ret) {
		fprintf(stderr, "ostune: report: %s\n", ret == -ENOMEM ? strerror(ENOMEM) : why);
		return CLI_FAILED;
	}
	if (strcmp(output, "-"))
		printf("%s\n", output);
	return CLI_OK;
}
