/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the ostune commands share: the invocation, exit codes, error
 * reporting, connecting to the module, JSON output.
 */
#ifndef OSTUNE_CLI_H
#define OSTUNE_CLI_H

#include <stdbool.h>

#include <jansson.h>

#include "changeset.h"
#include "client.h"

enum cli_exit {
	CLI_OK = 0,
	CLI_FAILED = 1,		/* the operation failed */
	CLI_USAGE = 2,		/* bad usage or invalid input */
};

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

/* Prints "ostune: MSG" and a pointer to the command's help; CLI_USAGE. */
__attribute__((format(printf, 2, 3)))
int cli_usage_error(const struct cli *cli, const char *fmt, ...);
/* For getopt's '?' and ':' results; CLI_USAGE. */
int cli_option_error(const struct cli *cli, int opt, char **argv);
/* Invalid input (a bad name, an unreadable profile): CLI_USAGE. */
__attribute__((format(printf, 1, 2)))
int cli_input_error(const char *fmt, ...);
/* "ostune: OP: STRERROR: EXTACK"; CLI_FAILED. */
int cli_op_failed(const struct ostune_client *c, const char *op, int err);
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

/*
 * Opens the client; on failure says why (the module not being loaded
 * included) and returns -errno.
 */
int cli_connect(struct ostune_client *c);

/*
 * Resolves names and patterns (discovering knobs under the sysroot only
 * when there are patterns). Reports errors; returns an enum cli_exit.
 */
int cli_resolve(const struct cli *cli, const struct changeset *requested,
		struct changeset *out);

/*
 * Current values of cs's knobs from the module, in chunks the kernel
 * accepts. *out is malloc'd, cs->n long. 0 or -errno.
 */
int cli_current_values(struct ostune_client *c, const struct changeset *cs,
		       struct ostune_knob_value **out);

/*
 * Marks fixed the discovered IRQs the module says the kernel cannot move:
 * 6.1 shows them as writable in /proc/irq (6.12 does not). Discovery
 * stands without the module or with a sysroot other than "/". 0 or
 * -ENOMEM.
 */
int cli_module_fixed(const char *sysroot, struct knob_list *known);

/* One compact JSON document and a newline on stdout; drops doc. */
void cli_print_json(json_t *doc);

#endif /* OSTUNE_CLI_H */
