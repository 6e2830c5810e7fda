/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The state file ostune watch keeps for `ostune status`: which rules run
 * and where each stands. Written by watch/daemon.c.
 */
#ifndef OSTUNE_WATCH_STATE_H
#define OSTUNE_WATCH_STATE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* Where the state file is by default: WATCH_DEFAULT_STATE under sysroot. */
void watch_state_path(const char *sysroot, char *buf, size_t len);

/*
 * The state file under sysroot (WATCH_DEFAULT_STATE), with "live" added:
 * its process runs and, in held mode, owns the module's session
 * (session_pid, 0 when none is open). NULL when there is no state file
 * or it is not one.
 */
json_t *watch_state_load(const char *sysroot, uint32_t session_pid);

#endif /* OSTUNE_WATCH_STATE_H */
