// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune report DIR [--output FILE]: the HTML report of a tuning run.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"
#include "output/report.h"

int cmd_report(const struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *output = NULL, *dir;
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
	ret = cli_run_dir_operand(cli, argc, argv, &dir);
	if (ret >= 0)
		return ret;
	if ((size_t)snprintf(path, sizeof(path), "%s/report.html", dir) >= sizeof(path))
		return cli_input_error("%s: path too long", dir);
	if (!output)
		output = path;
	ret = report_file(dir, output, why, sizeof(why));
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
