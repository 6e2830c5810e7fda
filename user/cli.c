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

#include "cli.h"

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

int cli_op_failed(const struct ostune_client *c, const char *op, int err)
{
	if (c && c->err_msg[0])
		fprintf(stderr, "ostune: %s: %s: %s\n", op, strerror(-err),
			c->err_msg);
	else
		fprintf(stderr, "ostune: %s: %s\n", op, strerror(-err));
	return CLI_FAILED;
}

int cli_command_help(const struct cli *cli)
{
	printf("usage: ostune %s %s\n\n%s\n", cli->cmd->name,
	       cli->cmd->synopsis, cli->cmd->summary);
	return CLI_OK;
}

int cli_connect(struct ostune_client *c)
{
	int ret = ostune_client_open(c);

	if (ret == -ENOENT)
		fputs("ostune: ostune.ko is not loaded: run 'insmod kmod/ostune.ko' or 'modprobe ostune'\n",
		      stderr);
	else if (ret)
		cli_op_failed(NULL, "connect", ret);
	return ret;
}

int cli_resolve(const struct cli *cli, const struct changeset *requested,
		struct changeset *out)
{
	struct knob_list known = { 0 };
	char why[WHY_MAX];
	int ret;

	if (changeset_has_patterns(requested)) {
		ret = discover_knobs(cli->sysroot, &known);
		if (!ret)
			ret = cli_module_fixed(cli->sysroot, &known);
		if (ret) {
			knob_list_free(&known);
			return cli_op_failed(NULL, "discover", ret);
		}
	}
	ret = changeset_resolve(requested, &known, out, why, sizeof(why));
	knob_list_free(&known);
	if (ret == -ENOMEM)
		return cli_op_failed(NULL, cli->cmd->name, ret);
	if (ret)
		return cli_input_error("%s", why);
	return CLI_OK;
}

/* ostune_get_knobs() for any number of names. */
static int get_knobs_chunked(struct ostune_client *c, const char **names,
			     size_t n, struct ostune_knob_value *values)
{
	size_t done;
	int ret = 0;

	for (done = 0; done < n && !ret; done += OSTUNE_TXN_MAX_ENTRIES) {
		size_t chunk = n - done;

		if (chunk > OSTUNE_TXN_MAX_ENTRIES)
			chunk = OSTUNE_TXN_MAX_ENTRIES;
		ret = ostune_get_knobs(c, names + done, chunk, values + done);
	}
	return ret;
}

int cli_current_values(struct ostune_client *c, const struct changeset *cs,
		       struct ostune_knob_value **out)
{
	const char **names = calloc(cs->n ? cs->n : 1, sizeof(*names));
	struct ostune_knob_value *values;
	size_t i;
	int ret;

	values = calloc(cs->n ? cs->n : 1, sizeof(*values));
	if (!names || !values) {
		free(names);
		free(values);
		return -ENOMEM;
	}
	for (i = 0; i < cs->n; i++)
		names[i] = cs->items[i].name;
	ret = get_knobs_chunked(c, names, cs->n, values);
	free(names);
	if (ret) {
		free(values);
		return ret;
	}
	*out = values;
	return 0;
}

int cli_module_fixed(const char *sysroot, struct knob_list *known)
{
	struct ostune_knob_value *values = NULL;
	struct knob **asked = NULL;
	const char **names = NULL;
	struct ostune_client c;
	size_t i, n = 0;
	int ret;

	for (i = 0; i < known->n; i++)
		n += known->items[i].cls == KNOB_CLASS_IRQ &&
		     !known->items[i].fixed;
	if (!n || strcmp(sysroot, "/") || ostune_client_open(&c))
		return 0;
	names = calloc(n, sizeof(*names));
	asked = calloc(n, sizeof(*asked));
	values = calloc(n, sizeof(*values));
	ret = names && asked && values ? 0 : -ENOMEM;
	for (i = 0, n = 0; !ret && i < known->n; i++) {
		if (known->items[i].cls != KNOB_CLASS_IRQ ||
		    known->items[i].fixed)
			continue;
		asked[n] = &known->items[i];
		names[n++] = known->items[i].name;
	}
	if (!ret)
		ret = get_knobs_chunked(&c, names, n, values);
	for (i = 0; !ret && i < n; i++)
		if (values[i].flags & OSTUNE_KNOB_F_FIXED)
			ret = knob_mark_fixed(asked[i]);
	ostune_client_close(&c);
	free(values);
	free(asked);
	free(names);
	/* An IRQ gone since discovery, say: the module's refusal will tell. */
	return ret == -ENOMEM ? ret : 0;
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
