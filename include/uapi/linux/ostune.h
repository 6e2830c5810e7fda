/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ostune: transactional OS tuning with kernel-held originals.
 *
 * Generic netlink family "ostune", version 1. The family lives in the
 * initial network namespace only. Every command that changes state needs
 * CAP_SYS_ADMIN in the initial user namespace; readers need nothing.
 */
#ifndef _UAPI_LINUX_OSTUNE_H
#define _UAPI_LINUX_OSTUNE_H

#define OSTUNE_FAMILY_NAME	"ostune"
#define OSTUNE_FAMILY_VERSION	1
#define OSTUNE_MCGRP_EVENTS	"events"

/* Limits, including the terminating NUL. */
#define OSTUNE_NAME_MAX		128
#define OSTUNE_VALUE_MAX	256
#define OSTUNE_COMM_MAX		16
/* Entries in one APPLY, RESTORE or GET request. */
#define OSTUNE_TXN_MAX_ENTRIES	256
/* Knobs the module may hold originals for at once. */
#define OSTUNE_MAX_HELD		4096

#define OSTUNE_WATCHDOG_MIN_MS	100
#define OSTUNE_WATCHDOG_MAX_MS	3600000

enum ostune_cmd {
	OSTUNE_CMD_UNSPEC,
	/* Module version, session, held knobs. Reader. */
	OSTUNE_CMD_GET_STATUS,
	/* Current values of the KNOB nests given (NAME only). Reader. */
	OSTUNE_CMD_GET_KNOBS,
	/* Open the writer session owned by the calling socket. */
	OSTUNE_CMD_SESSION_OPEN,
	/* Undo the session's changes and end it. Owner only. */
	OSTUNE_CMD_SESSION_CLOSE,
	/* Renew the watchdog lease (optionally with a new WATCHDOG_MS). */
	OSTUNE_CMD_HEARTBEAT,
	/*
	 * One all-or-nothing transaction of KNOB nests (NAME, VALUE). From the
	 * session owner the change is held; with no session open it is kept.
	 */
	OSTUNE_CMD_APPLY,
	/* Put originals back: of the KNOB nests given (NAME), or of all. */
	OSTUNE_CMD_RESTORE,
	/* Multicast on "events": one per knob change. */
	OSTUNE_CMD_EVENT,

	__OSTUNE_CMD_MAX,
	OSTUNE_CMD_MAX = __OSTUNE_CMD_MAX - 1
};

enum ostune_attr {
	OSTUNE_A_UNSPEC,
	OSTUNE_A_VERSION,	/* u32: module's family version */
	OSTUNE_A_MODULE_VERSION,/* string: module release, e.g. "0.1.0" */
	OSTUNE_A_SESSION,	/* nest: OSTUNE_A_SESSION_* */
	OSTUNE_A_KNOB,		/* nest: OSTUNE_A_KNOB_*, may repeat */
	OSTUNE_A_WATCHDOG_MS,	/* u32 */
	OSTUNE_A_TXN_ID,	/* u32: transaction id (APPLY reply, events) */
	OSTUNE_A_REASON,	/* u32: enum ostune_reason (events) */
	OSTUNE_A_PID,		/* u32: who made the change (events) */
	OSTUNE_A_COMM,		/* string (events) */
	OSTUNE_A_HELD_COUNT,	/* u32: knobs with originals held */

	__OSTUNE_A_MAX,
	OSTUNE_A_MAX = __OSTUNE_A_MAX - 1
};

enum ostune_session_attr {
	OSTUNE_A_SESSION_UNSPEC,
	OSTUNE_A_SESSION_ID,		/* u32 */
	OSTUNE_A_SESSION_PID,		/* u32: owner's tgid */
	OSTUNE_A_SESSION_COMM,		/* string */
	OSTUNE_A_SESSION_PORTID,	/* u32: owner's netlink port */
	OSTUNE_A_SESSION_WATCHDOG_MS,	/* u32: lease */
	OSTUNE_A_SESSION_REMAINING_MS,	/* u32: time left on the lease */

	__OSTUNE_A_SESSION_MAX,
	OSTUNE_A_SESSION_MAX = __OSTUNE_A_SESSION_MAX - 1
};

enum ostune_knob_attr {
	OSTUNE_A_KNOB_UNSPEC,
	OSTUNE_A_KNOB_NAME,		/* string, e.g. "sysctl.vm.swappiness" */
	OSTUNE_A_KNOB_VALUE,		/* string: requested, current or new value */
	OSTUNE_A_KNOB_ORIGINAL,		/* string: value before ostune's first change */
	OSTUNE_A_KNOB_LAST_WRITTEN,	/* string: what ostune last wrote */
	OSTUNE_A_KNOB_OLD,		/* string: value before this change (events) */
	OSTUNE_A_KNOB_FLAGS,		/* u32: OSTUNE_KNOB_F_* */

	__OSTUNE_A_KNOB_MAX,
	OSTUNE_A_KNOB_MAX = __OSTUNE_A_KNOB_MAX - 1
};

/* OSTUNE_A_KNOB_FLAGS */
#define OSTUNE_KNOB_F_SESSION	(1U << 0) /* changed by the open session */
#define OSTUNE_KNOB_F_DRIFT	(1U << 1) /* current differs from last written */
#define OSTUNE_KNOB_F_EXTERNAL	(1U << 2) /* event: left alone, changed externally */
#define OSTUNE_KNOB_F_FIXED	(1U << 3) /* GET_KNOBS: takes no new value now */

enum ostune_reason {
	OSTUNE_REASON_APPLY,		/* a transaction committed */
	OSTUNE_REASON_REQUEST,		/* RESTORE request */
	OSTUNE_REASON_SESSION_CLOSE,	/* SESSION_CLOSE request */
	OSTUNE_REASON_SOCKET_CLOSE,	/* the owner's socket closed */
	OSTUNE_REASON_WATCHDOG,		/* the owner's lease expired */
	OSTUNE_REASON_UNLOAD,		/* module unload */
};

#endif /* _UAPI_LINUX_OSTUNE_H */
