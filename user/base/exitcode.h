/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The exit statuses of every command (docs/design: 0, 1, 2). Below the
 * command line because the layers that do a command's work (the tune
 * loop, the module layer) decide which one it ends with.
 */
#ifndef OSTUNE_EXITCODE_H
#define OSTUNE_EXITCODE_H

enum cli_exit {
	CLI_OK = 0,
	CLI_FAILED = 1,		/* the operation failed */
	CLI_USAGE = 2,		/* bad usage or invalid input */
};

#endif /* OSTUNE_EXITCODE_H */
