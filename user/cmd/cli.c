// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helpers every command uses, so that errors look the same everywhere.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"

#define WHY_MAX 512

static void vreport(const char *fmt, va_list ap)
{
	fputs("ostune: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int cli_usage_error(const struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	if (cli->cmd)
		fprintf(stderr, "Try 'ostune help %s'.\n", cli->cmd->name);
	else
		fputs("Try 'ostune help'.\n", stderr);
	return CLI_USAGE;
}

int cli_option_error(const struct cli *cli, int opt, char **argv)
{
	if (opt == ':')
		return cli_usage_error(cli, "option '%s' needs a value",
				       argv[optind - 1]);
	if (optopt)
		return cli_usage_error(cli, "unknown option '-%c'", optopt);
	return cli_usage_error(cli, "unknown option '%s'", argv[optind - 1]);
}

int cli_input_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

int cli_command_help(const struct cli *cli)
{
	printf("usage: ostune %s %s\n\n%s\n", cli->cmd->name,
	       cli->cmd->synopsis, cli->cmd->summary);
	return CLI_OK;
}

int cli_resolve(const struct cli *cli, const struct changeset *requested,
		struct changeset *out)
{
	struct knob_list known = { 0 };
	char why[WHY_MAX];
	int ret;

	if (changeset_has_patterns(requested)) {
		ret = module_discover(cli->sysroot, &known);
		if (ret) {
			knob_list_free(&known);
			return module_op_failed(NULL, "discover", ret);
		}
	}
	ret = changeset_resolve(requested, &known, out, why, sizeof(why));
	knob_list_free(&known);
	if (ret == -ENOMEM)
		return module_op_failed(NULL, cli->cmd->name, ret);
	if (ret)
		return cli_input_error("%s", why);
	return CLI_OK;
}

void cli_print_json(json_t *doc)
{
	json_dumpf(doc, stdout, JSON_COMPACT);
	fputc('\n', stdout);
	json_decref(doc);
}

int cli_flag_option(const struct cli *cli, int argc, char **argv,
		    const char *name, char letter, bool *set)
{
	/* without a letter, an option value no short option has */
	const int val = letter ? letter : 1;
	const struct option options[] = {
		{ name, no_argument, NULL, val },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char optstring[4] = ":h";
	int opt;

	if (letter)
		snprintf(optstring, sizeof(optstring), ":%ch", letter);
	while ((opt = getopt_long(argc, argv, optstring, options, NULL)) != -1) {
		if (opt == 'h')
			return cli_command_help(cli);
		if (opt != val)
			return cli_option_error(cli, opt, argv);
		*set = true;
	}
	return -1;
}

int cli_json_options(const struct cli *cli, int argc, char **argv, bool *json)
{
	return cli_flag_option(cli, argc, argv, "json", 'j', json);
}

int cli_json_only(const struct cli *cli, int argc, char **argv, bool *json)
{
	int ret = cli_json_options(cli, argc, argv, json);

	if (ret < 0 && optind < argc)
		return cli_usage_error(cli, "unexpected argument '%s'",
				       argv[optind]);
	return ret;
}

int cli_run_dir_operand(const struct cli *cli, int argc, char **argv,
			const char **dir)
{
	if (argc - optind != 1)
		return cli_usage_error(cli, "give one DIR, the output directory of 'ostune tune'");
	*dir = argv[optind];
	return -1;
}
