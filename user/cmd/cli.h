/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the ostune commands share: the invocation, usage and input
 * errors, options, JSON output. Exit codes and the module layer (errors
 * from the kernel, connecting) are below, for the tune loop's use too.
 */
#ifndef OSTUNE_CLI_H
#define OSTUNE_CLI_H

#include <stdbool.h>

#include <jansson.h>

#include "base/exitcode.h"
#include "knobs/changeset.h"
#include "knobs/module.h"

struct cli_command;

struct cli {
	const char *sysroot;		/* where discovery looks, "/" */
	const struct cli_command *cmd;	/* the command being run */
};

struct cli_command {
	const char *name;
	const char *synopsis;		/* arguments after the name */
	const char *summary;
	/* argv[0] is the command name; returns an enum cli_exit */
	int (*run)(const struct cli *cli, int argc, char **argv);
};

int cmd_status(const struct cli *cli, int argc, char **argv);
int cmd_knobs(const struct cli *cli, int argc, char **argv);
int cmd_get(const struct cli *cli, int argc, char **argv);
int cmd_set(const struct cli *cli, int argc, char **argv);
int cmd_apply(const struct cli *cli, int argc, char **argv);
int cmd_restore(const struct cli *cli, int argc, char **argv);
int cmd_exec(const struct cli *cli, int argc, char **argv);
int cmd_monitor(const struct cli *cli, int argc, char **argv);
int cmd_doctor(const struct cli *cli, int argc, char **argv);
int cmd_tune(const struct cli *cli, int argc, char **argv);
int cmd_report(const struct cli *cli, int argc, char **argv);
int cmd_export(const struct cli *cli, int argc, char **argv);
int cmd_watch(const struct cli *cli, int argc, char **argv);

/* Prints "ostune: MSG" and a pointer to the command's help; CLI_USAGE. */
__attribute__((format(printf, 2, 3)))
int cli_usage_error(const struct cli *cli, const char *fmt, ...);
/* For getopt's '?' and ':' results; CLI_USAGE. */
int cli_option_error(const struct cli *cli, int opt, char **argv);
/* Invalid input (a bad name, an unreadable profile): CLI_USAGE. */
__attribute__((format(printf, 1, 2)))
int cli_input_error(const char *fmt, ...);
/* The command's synopsis and summary on stdout; CLI_OK. */
int cli_command_help(const struct cli *cli);
/*
 * For commands whose only options are --NAME (-LETTER too, unless LETTER
 * is 0) and --help: -1 to go on, with *set true when given and optind at
 * the first operand, or the exit status to end with.
 */
int cli_flag_option(const struct cli *cli, int argc, char **argv,
		    const char *name, char letter, bool *set);
/* cli_flag_option() for --json and -j. */
int cli_json_options(const struct cli *cli, int argc, char **argv, bool *json);
/* cli_json_options() for a command that takes no operand (doctor, status). */
int cli_json_only(const struct cli *cli, int argc, char **argv, bool *json);

/*
 * After the options of report and export: the one operand, a run's
 * directory, in *dir. -1 to go on, or the exit status to end with.
 */
int cli_run_dir_operand(const struct cli *cli, int argc, char **argv,
			const char **dir);

/*
 * Resolves names and patterns (discovering knobs under the sysroot only
 * when there are patterns). Reports errors; returns an enum cli_exit.
 */
int cli_resolve(const struct cli *cli, const struct changeset *requested,
		struct changeset *out);

/* One compact JSON document and a newline on stdout; drops doc. */
void cli_print_json(json_t *doc);

#endif /* OSTUNE_CLI_H */
