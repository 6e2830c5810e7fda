// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune restore [KNOB...]: put originals back now, of the knobs named
 * (patterns match the held knobs, IRQ handler names the held IRQs with
 * such a handler on this host) or of every held knob.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"

/*
 * The handlers discovery finds on the held IRQ knobs, for names like
 * irq.action:eth0-rx.affinity. 0 or -ENOMEM.
 */
static int add_irq_handlers(const struct cli *cli, struct knob_list *held)
{
	struct knob_list host = { 0 };
	size_t i;
	int ret = discover_knobs(cli->sysroot, &host);

	for (i = 0; !ret && i < held->n; i++) {
		struct knob *k = &held->items[i];
		const struct knob *found = knob_list_find(&host, k->name);
		const char *handlers = found ? knob_detail(found, "irq-name") : NULL;

		if (!handlers || found->cls != KNOB_CLASS_IRQ)
			continue;
		k->cls = KNOB_CLASS_IRQ;
		k->details[0] = (struct knob_detail){ "irq-name", NULL,
						      strdup(handlers) };
		k->ndetails = 1;
		if (!k->details[0].value)
			ret = -ENOMEM;
	}
	knob_list_free(&host);
	return ret;
}

static bool has_irq_action(const struct changeset *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (knob_is_irq_action(cs->items[i].name))
			return true;
	return false;
}

/* Patterns expand against what the module holds, not the whole host. */
static int held_knobs(struct ostune_client *c, struct knob_list *held)
{
	struct ostune_status st;
	size_t i;
	int ret = ostune_get_status(c, &st);

	memset(held, 0, sizeof(*held));
	if (ret)
		return ret;
	held->items = calloc(st.nheld ? st.nheld : 1, sizeof(*held->items));
	if (!held->items)
		ret = -ENOMEM;
	for (i = 0; !ret && i < st.nheld; i++) {
		struct knob *k = &held->items[i];

		k->name = strdup(st.held[i].name);
		k->value = strdup(st.held[i].current);
		held->n++;
		if (!k->name || !k->value)
			ret = -ENOMEM;
	}
	ostune_status_free(&st);
	if (ret)
		knob_list_free(held);
	return ret;
}

static int restore_named(const struct cli *cli, struct ostune_client *c,
			 const struct changeset *requested)
{
	struct knob_list held = { 0 };
	struct changeset names;
	const char **list;
	char why[256];
	size_t i;
	int ret;

	if (changeset_has_patterns(requested)) {
		ret = held_knobs(c, &held);
		if (ret)
			return module_op_failed(c, "status", ret);
		ret = has_irq_action(requested) ? add_irq_handlers(cli, &held) : 0;
		if (ret) {
			knob_list_free(&held);
			return module_op_failed(NULL, "discover", ret);
		}
	}
	ret = changeset_resolve(requested, &held, &names, why, sizeof(why));
	knob_list_free(&held);
	if (ret == -ENOMEM)
		return module_op_failed(NULL, "restore", ret);
	if (ret)
		return cli_input_error("%s", why);

	list = calloc(names.n, sizeof(*list));
	if (!list) {
		changeset_free(&names);
		return module_op_failed(NULL, "restore", -ENOMEM);
	}
	for (i = 0; i < names.n; i++)
		list[i] = names.items[i].name;
	ret = ostune_restore(c, list, names.n);
	if (ret)
		ret = module_op_failed(c, "restore", ret);
	else
		printf("restored %zu knob%s\n", names.n,
		       names.n == 1 ? "" : "s");
	free(list);
	changeset_free(&names);
	return ret;
}

int cmd_restore(const struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct changeset requested = { 0 };
	struct ostune_client c;
	char why[256];
	int opt, ret, i;

	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		if (opt == 'h')
			return cli_command_help(cli);
		return cli_option_error(cli, opt, argv);
	}
	for (i = optind; i < argc; i++) {
		if (knob_is_pattern(argv[i]))
			ret = knob_pattern_check(argv[i], why, sizeof(why));
		else
			ret = knob_name_check(argv[i], NULL, why, sizeof(why));
		if (!ret)
			ret = changeset_set(&requested, argv[i], NULL);
		if (ret) {
			changeset_free(&requested);
			if (ret == -ENOMEM)
				return module_op_failed(NULL, "restore", ret);
			return cli_input_error("%s", why);
		}
	}

	if (module_connect(&c)) {
		changeset_free(&requested);
		return CLI_FAILED;
	}
	if (requested.n) {
		ret = restore_named(cli, &c, &requested);
	} else {
		ret = ostune_restore(&c, NULL, 0);
		if (ret)
			ret = module_op_failed(&c, "restore", ret);
		else
			printf("restored all held knobs\n");
	}
	ostune_client_close(&c);
	changeset_free(&requested);
	return ret;
}
