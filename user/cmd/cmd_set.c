// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune set KNOB=VALUE... [--plan] and ostune apply FILE|DIR... [--plan]
 * [--wait SECONDS] [--missing-ok]: one kept transaction (it outlives this
 * process; 'ostune restore' or rmmod put the originals back). --plan only
 * shows what would change.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "cmd/cli.h"
#include "knobs/profile.h"

/* How often --wait tries again. */
#define WAIT_STEP_MS 500

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

/* Every name and pattern well formed: what no waiting can mend. */
static int check_names(const struct changeset *requested)
{
	char why[512];
	size_t i;

	for (i = 0; i < requested->n; i++) {
		const char *name = requested->items[i].name;

		if (knob_is_pattern(name) ? knob_pattern_check(name, why, sizeof(why)) :
		    knob_name_check(name, NULL, why, sizeof(why)))
			return cli_input_error("%s", why);
	}
	return CLI_OK;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/*
 * One try of an apply that may wait for devices: 0 when applied; -EAGAIN
 * when a knob is not there yet (a pattern or IRQ handler name matches
 * nothing, the kernel says ENOENT or ENODEV), why filled and *exit how to
 * end if it stays so; another error has been reported, *exit says how
 * to end.
 */
static int try_apply(const struct cli *cli, const struct changeset *requested,
		     char *why, size_t len, int *exit)
{
	struct knob_list known = { 0 };
	struct ostune_client c;
	struct changeset cs;
	uint32_t txn_id;
	int ret = 0;

	if (changeset_has_patterns(requested)) {
		ret = module_discover(cli->sysroot, &known);
		if (ret) {
			knob_list_free(&known);
			*exit = module_op_failed(NULL, "discover", ret);
			return ret;
		}
	}
	ret = changeset_resolve(requested, &known, &cs, why, len);
	knob_list_free(&known);
	if (ret == -ENOENT) {
		*exit = CLI_USAGE;
		return -EAGAIN;
	}
	if (ret) {
		*exit = ret == -ENOMEM ? module_op_failed(NULL, "apply", ret) :
			cli_input_error("%s", why);
		return ret;
	}
	if (module_connect(&c)) {
		changeset_free(&cs);
		*exit = CLI_FAILED;
		return -ENOTCONN;
	}
	ret = module_apply(&c, &cs, &txn_id);
	if (!ret) {
		printf("applied %zu knob%s (txn %u)\n", cs.n,
		       cs.n == 1 ? "" : "s", txn_id);
	} else if (ret == -ENOENT || ret == -ENODEV) {
		snprintf(why, len, "apply: %s%s%s", strerror(-ret),
			 c.err_msg[0] ? ": " : "", c.err_msg);
		*exit = CLI_FAILED;
		ret = -EAGAIN;
	} else {
		*exit = module_op_failed(ret == -ENOMEM ? NULL : &c, "apply", ret);
	}
	ostune_client_close(&c);
	changeset_free(&cs);
	return ret;
}

/*
 * Applies, trying again while a knob it names is not there yet, for up
 * to wait_ms: at boot, drivers register IRQs and network devices when
 * they probe or when their interface comes up, which may be after this
 * starts. Nothing is applied until every name and pattern matches: each
 * try is all or nothing. A pattern counts once it matches one knob, so
 * exact names (what export writes) are what to wait for; a pattern takes
 * what is there when the rest is.
 */
static int apply_waiting(const struct cli *cli,
			 const struct changeset *requested, int64_t wait_ms)
{
	int64_t deadline = monotonic_ms() + wait_ms;
	bool said = false;
	char why[512];
	int ret, exit = CLI_OK;

	ret = check_names(requested);
	if (ret)
		return ret;
	while ((ret = try_apply(cli, requested, why, sizeof(why), &exit)) == -EAGAIN &&
	       monotonic_ms() < deadline) {
		if (!said)
			fprintf(stderr, "ostune: waiting up to %lld s for the knobs to appear: %s\n",
				(long long)(wait_ms + 999) / 1000, why);
		said = true;
		sleep_ms(WAIT_STEP_MS);
	}
	if (ret == -EAGAIN)
		fprintf(stderr, "ostune: %s%s\n", why, said ? " (gave up waiting)" : "");
	return ret ? exit : CLI_OK;
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
	static const struct option options[] = {
		{ "plan", no_argument, NULL, 'p' },
		{ "wait", required_argument, NULL, 'w' },
		{ "missing-ok", no_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct changeset requested = { 0 };
	bool plan = false, missing_ok = false;
	double wait_s = -1;
	char why[512], *end;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, ":pw:h", options, NULL)) != -1) {
		switch (opt) {
		case 'p':
			plan = true;
			break;
		case 'w':
			wait_s = strtod(optarg, &end);
			if (end == optarg || *end || !(wait_s >= 0 && wait_s <= 3600))
				return cli_usage_error(cli, "--wait: '%s' is not a number of seconds from 0 to 3600",
						       optarg);
			break;
		case 'm':
			missing_ok = true;
			break;
		case 'h':
			return cli_command_help(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (optind == argc)
		return cli_usage_error(cli, "give a profile FILE or a DIR of them");
	if (plan && wait_s >= 0)
		return cli_usage_error(cli, "--plan changes nothing: it does not wait");
	ret = profile_load_all(argv + optind, argc - optind, missing_ok,
			       &requested, why, sizeof(why));
	if (ret == -ENOMEM)
		ret = module_op_failed(NULL, "apply", ret);
	else if (ret)
		ret = cli_input_error("%s", why);
	else if (wait_s >= 0)
		ret = apply_waiting(cli, &requested, (int64_t)(wait_s * 1000));
	else
		ret = run_changes(cli, &requested, plan);
	changeset_free(&requested);
	return ret;
}
