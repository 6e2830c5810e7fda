// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Restore reasons by name. Apart from client.c so that the tests' double
 * of the client can link it.
 */
#include "client.h"

static const char *const reason_names[] = {
	[OSTUNE_REASON_APPLY]		= "apply",
	[OSTUNE_REASON_REQUEST]		= "request",
	[OSTUNE_REASON_SESSION_CLOSE]	= "session-close",
	[OSTUNE_REASON_SOCKET_CLOSE]	= "socket-close",
	[OSTUNE_REASON_WATCHDOG]	= "watchdog",
	[OSTUNE_REASON_UNLOAD]		= "unload",
	[OSTUNE_REASON_RETRY]		= "retry",
	[OSTUNE_REASON_GONE]		= "gone",
};

const char *ostune_reason_name(uint32_t reason)
{
	if (reason < sizeof(reason_names) / sizeof(reason_names[0]) &&
	    reason_names[reason])
		return reason_names[reason];
	return "unknown";
}
