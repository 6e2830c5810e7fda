// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune get KNOB... [--json]: current values, as the module reads them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cli.h"

static void print_json(const struct ostune_knob_value *values, size_t n)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}",
						      "name", values[i].name,
						      "value", values[i].value));
	cli_print_json(json_pack("{s:o}", "knobs", list));
}

int cmd_get(const struct cli *cli, int argc, char **argv)
{
	struct changeset requested = { 0 }, names = { 0 };
	struct ostune_knob_value *values;
	struct ostune_client c;
	bool json = false;
	int opt, ret;
	size_t i;

	opt = cli_json_options(cli, argc, argv, &json);
	if (opt >= 0)
		return opt;
	if (optind == argc)
		return cli_usage_error(cli, "name at least one KNOB");
	for (i = optind; i < (size_t)argc; i++)
		if (changeset_set(&requested, argv[i], NULL)) {
			changeset_free(&requested);
			return module_op_failed(NULL, "get", -ENOMEM);
		}
	ret = cli_resolve(cli, &requested, &names);
	changeset_free(&requested);
	if (ret)
		return ret;

	if (module_connect(&c)) {
		changeset_free(&names);
		return CLI_FAILED;
	}
	ret = module_current_values(&c, &names, &values);
	if (ret) {
		ret = module_op_failed(&c, "get", ret);
	} else {
		if (json)
			print_json(values, names.n);
		else
			for (i = 0; i < names.n; i++)
				printf("%s = %s\n", values[i].name,
				       values[i].value);
		free(values);
	}
	ostune_client_close(&c);
	changeset_free(&names);
	return ret;
}
