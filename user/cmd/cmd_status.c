// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune status [--json]: the module, its session and the knobs it holds.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>

#include "cmd/cli.h"
#include "cmd/table.h"
#include "watch/state.h"

static const char *held_state(const struct ostune_held_knob *k)
{
	static const char *const states[2][2][2] = {
		/* [session][drift][owed] */
		{ { "kept", "kept,owed" }, { "kept,drift", "kept,drift,owed" } },
		{ { "session", "session,owed" },
		  { "session,drift", "session,drift,owed" } },
	};

	return states[!!(k->flags & OSTUNE_KNOB_F_SESSION)]
		     [!!(k->flags & OSTUNE_KNOB_F_DRIFT)]
		     [!!(k->flags & OSTUNE_KNOB_F_OWED)];
}

/* The module sends held knobs' values to CAP_SYS_ADMIN only. */
static bool values_withheld(const struct ostune_status *st)
{
	return st->held_count > st->nheld;
}

/* On stderr, so that --json output stays one document. */
static void warn_family_version(const struct ostune_status *st)
{
	if (st->version != OSTUNE_FAMILY_VERSION)
		fprintf(stderr,
			"ostune: warning: ostune.ko speaks netlink family version %u, this ostune version %u; install an ostune and an ostune.ko of the same release\n",
			st->version, OSTUNE_FAMILY_VERSION);
}

static void print_text(const struct ostune_status *st)
{
	struct table t;
	size_t i;

	printf("module:  ostune.ko %s, netlink family version %u\n",
	       st->module_version, st->version);
	if (st->has_session)
		printf("session: %u owned by pid %u (%s), port %u, watchdog %u ms, %u ms left\n",
		       st->session_id, st->session_pid, st->session_comm,
		       st->session_portid, st->watchdog_ms, st->remaining_ms);
	else
		printf("session: none\n");
	if (values_withheld(st)) {
		printf("held:    %u knob%s (their values are shown to root only)\n",
		       st->held_count, st->held_count == 1 ? "" : "s");
		return;
	}
	if (!st->nheld) {
		printf("held:    none\n");
		return;
	}
	printf("held:    %zu knob%s\n", st->nheld, st->nheld == 1 ? "" : "s");
	table_init(&t, 5);
	table_add(&t, (const char *[]){ "KNOB", "ORIGINAL", "WRITTEN",
					"CURRENT", "STATE" });
	for (i = 0; i < st->nheld; i++) {
		const struct ostune_held_knob *k = &st->held[i];

		table_add(&t, (const char *[]){ k->name, k->original,
						k->last_written,
						k->current[0] ? k->current : "?",
						held_state(k) });
	}
	table_print(&t, stdout);
	table_free(&t);
}

/* ostune watch's line and its rules, from its state file. */
static void print_watch(const json_t *watch)
{
	const json_t *rule;
	struct table t;
	size_t i;

	if (!watch)
		return;
	printf("watch:   pid %lld, %s, %s\n",
	       (long long)json_integer_value(json_object_get(watch, "pid")),
	       json_string_value(json_object_get(watch, "mode")),
	       json_is_true(json_object_get(watch, "live"))
		       ? "running"
		       : "not running (its state file is left from a daemon that died)");
	table_init(&t, 3);
	table_add(&t, (const char *[]){ "RULE", "STATE", "CHANGES" });
	json_array_foreach(json_object_get(watch, "rules"), i, rule) {
		char changes[24];

		snprintf(changes, sizeof(changes), "%lld",
			 (long long)json_integer_value(
				 json_object_get(rule, "changes")));
		table_add(&t, (const char *[]){
			json_string_value(json_object_get(rule, "name")),
			json_string_value(json_object_get(rule, "state")),
			changes });
	}
	table_print(&t, stdout);
	table_free(&t);
}

static json_t *session_json(const struct ostune_status *st)
{
	if (!st->has_session)
		return json_null();
	return json_pack("{s:I, s:I, s:s, s:I, s:I, s:I}",
			 "id", (json_int_t)st->session_id,
			 "pid", (json_int_t)st->session_pid,
			 "comm", st->session_comm,
			 "portid", (json_int_t)st->session_portid,
			 "watchdog_ms", (json_int_t)st->watchdog_ms,
			 "remaining_ms", (json_int_t)st->remaining_ms);
}

/*
 * The daemon's originals and last writes are knob values: shown to those
 * the module shows values to, like the held knobs above.
 */
static void withhold_watch_values(json_t *watch)
{
	json_t *rule;
	size_t i;

	json_array_foreach(json_object_get(watch, "rules"), i, rule)
		json_object_del(rule, "knobs");
}

static void print_json(const struct ostune_status *st, json_t *watch)
{
	json_t *held = json_array();
	size_t i;

	if (values_withheld(st))
		withhold_watch_values(watch);
	for (i = 0; i < st->nheld; i++) {
		const struct ostune_held_knob *k = &st->held[i];

		json_array_append_new(held, json_pack(
			"{s:s, s:s, s:s, s:o, s:b, s:b, s:b}",
			"name", k->name,
			"original", k->original,
			"last_written", k->last_written,
			"current", k->current[0] ? json_string(k->current)
						 : json_null(),
			"session", !!(k->flags & OSTUNE_KNOB_F_SESSION),
			"drift", !!(k->flags & OSTUNE_KNOB_F_DRIFT),
			"owed", !!(k->flags & OSTUNE_KNOB_F_OWED)));
	}
	cli_print_json(json_pack("{s:b, s:I, s:s, s:o, s:I, s:b, s:o, s:o}",
				 "loaded", 1,
				 "version", (json_int_t)st->version,
				 "module_version", st->module_version,
				 "session", session_json(st),
				 "held_count", (json_int_t)st->held_count,
				 "values_withheld", values_withheld(st),
				 "held", held,
				 "watch", watch ? watch : json_null()));
}

int cmd_status(const struct cli *cli, int argc, char **argv)
{
	struct ostune_client c;
	struct ostune_status st;
	bool json = false;
	int opt, ret;

	opt = cli_json_only(cli, argc, argv, &json);
	if (opt >= 0)
		return opt;

	ret = module_connect(&c);
	if (ret) {
		if (json && ret == -ENOENT)
			cli_print_json(json_pack("{s:b}", "loaded", 0));
		return CLI_FAILED;
	}
	ret = ostune_get_status(&c, &st);
	if (ret) {
		ret = module_op_failed(&c, "status", ret);
	} else {
		json_t *watch = watch_state_load(cli->sysroot,
						 st.has_session ? st.session_pid : 0);

		warn_family_version(&st);
		if (json) {
			print_json(&st, watch);
		} else {
			print_text(&st);
			print_watch(watch);
			json_decref(watch);
		}
		ostune_status_free(&st);
	}
	ostune_client_close(&c);
	return ret;
}
