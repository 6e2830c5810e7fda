// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune knobs [PATTERN] [--json]: the knobs this host has, by discovery;
 * works without the module.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "discover.h"
#include "table.h"

static void print_text(const struct knob *const *knobs, size_t n)
{
	struct table t;
	size_t i;

	table_init(&t, 4);
	table_add(&t, (const char *[]){ "NAME", "CLASS", "VALUE", "DOMAIN" });
	for (i = 0; i < n; i++)
		table_add(&t, (const char *[]){
			knobs[i]->name, knob_class_name(knobs[i]->cls),
			knobs[i]->value, knob_domain(knobs[i]) });
	table_print(&t, stdout);
	table_free(&t);
}

static void print_json(const struct knob *const *knobs, size_t n)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		const char *domain = knob_domain(knobs[i]);

		json_array_append_new(list, json_pack(
			"{s:s, s:s, s:s, s:o}",
			"name", knobs[i]->name,
			"class", knob_class_name(knobs[i]->cls),
			"value", knobs[i]->value,
			"domain", domain ? json_string(domain) : json_null()));
	}
	cli_print_json(json_pack("{s:o}", "knobs", list));
}

/* sched knobs are invisible to non-root users or without debugfs. */
static const char *no_match_hint(const struct knob_list *known,
				 const char *pattern)
{
	size_t i;

	if (strncmp(pattern, "sched.", 6))
		return "";
	for (i = 0; i < known->n; i++)
		if (known->items[i].cls == KNOB_CLASS_SCHED)
			return "";
	return " (sched knobs need root and debugfs mounted at /sys/kernel/debug)";
}

int cmd_knobs(const struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const struct knob **shown;
	struct knob_list known;
	const char *pattern = NULL;
	bool json = false;
	char why[256];
	size_t n;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, ":jh", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'h':
			return cli_command_help(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error(cli, "one PATTERN at most");
	if (optind < argc) {
		pattern = argv[optind];
		if (knob_pattern_check(pattern, why, sizeof(why)))
			return cli_input_error("%s", why);
	}

	ret = discover_knobs(cli->sysroot, &known);
	if (ret)
		return cli_op_failed(NULL, "discover", ret);
	shown = calloc(known.n ? known.n : 1, sizeof(*shown));
	if (!shown) {
		knob_list_free(&known);
		return cli_op_failed(NULL, "discover", -ENOMEM);
	}
	if (pattern) {
		n = knob_list_match(&known, pattern, shown);
	} else {
		for (n = 0; n < known.n; n++)
			shown[n] = &known.items[n];
	}
	if (pattern && !n) {
		ret = cli_input_error("%s: pattern matches no knob on this host%s",
				      pattern, no_match_hint(&known, pattern));
	} else {
		if (json)
			print_json(shown, n);
		else
			print_text(shown, n);
		ret = CLI_OK;
	}
	free(shown);
	knob_list_free(&known);
	return ret;
}
