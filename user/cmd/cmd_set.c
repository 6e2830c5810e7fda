// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune set KNOB=VALUE... [--plan] and ostune apply FILE [--plan]: one
 * kept transaction (it outlives this process; 'ostune restore' or rmmod
 * put the originals back). --plan only shows what would change.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cli.h"
#include "knobs/profile.h"

static int print_plan(struct ostune_client *c, const struct changeset *cs)
{
	struct ostune_knob_value *current;
	size_t i;
	int ret = module_current_values(c, cs, &current);

	if (ret)
		return module_op_failed(c, "plan", ret);
	for (i = 0; i < cs->n; i++)
		printf("%s: %s -> %s\n", cs->items[i].name, current[i].value,
		       cs->items[i].value);
	free(current);
	return CLI_OK;
}

static int apply(struct ostune_client *c, const struct changeset *cs)
{
	uint32_t txn_id;
	int ret = module_apply(c, cs, &txn_id);

	if (ret == -ENOMEM)
		return module_op_failed(NULL, "apply", ret);
	if (ret)
		return module_op_failed(c, "apply", ret);
	printf("applied %zu knob%s (txn %u)\n", cs->n, cs->n == 1 ? "" : "s",
	       txn_id);
	return CLI_OK;
}

static int run_changes(const struct cli *cli, const struct changeset *requested,
		       bool plan)
{
	struct changeset cs;
	struct ostune_client c;
	int ret = cli_resolve(cli, requested, &cs);

	if (ret)
		return ret;
	if (module_connect(&c)) {
		changeset_free(&cs);
		return CLI_FAILED;
	}
	ret = plan ? print_plan(&c, &cs) : apply(&c, &cs);
	ostune_client_close(&c);
	changeset_free(&cs);
	return ret;
}

int cmd_set(const struct cli *cli, int argc, char **argv)
{
	struct changeset requested = { 0 };
	bool plan = false;
	char why[256];
	int i, ret;

	ret = cli_flag_option(cli, argc, argv, "plan", 0, &plan);
	if (ret >= 0)
		return ret;
	if (optind == argc)
		return cli_usage_error(cli, "give at least one KNOB=VALUE");
	for (i = optind; i < argc; i++) {
		ret = changeset_add_assignment(&requested, argv[i], why,
					       sizeof(why));
		if (ret) {
			changeset_free(&requested);
			if (ret == -ENOMEM)
				return module_op_failed(NULL, "set", ret);
			return cli_input_error("%s", why);
		}
	}
	ret = run_changes(cli, &requested, plan);
	changeset_free(&requested);
	return ret;
}

int cmd_apply(const struct cli *cli, int argc, char **argv)
{
	struct changeset requested = { 0 };
	bool plan = false;
	char why[512];
	int ret;

	ret = cli_flag_option(cli, argc, argv, "plan", 0, &plan);
	if (ret >= 0)
		return ret;
	if (argc - optind != 1)
		return cli_usage_error(cli, "give exactly one profile FILE");
	ret = profile_load(argv[optind], &requested, why, sizeof(why));
	if (ret == -ENOMEM)
		ret = module_op_failed(NULL, "apply", ret);
	else if (ret)
		ret = cli_input_error("%s", why);
	else
		ret = run_changes(cli, &requested, plan);
	changeset_free(&requested);
	return ret;
}
