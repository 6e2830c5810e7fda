/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ostune doctor's checks: what this host (a sysroot) offers ostune, one
 * verdict per prerequisite, and which knob classes can work here. The
 * module is asked by the caller, so that the checks need no netlink.
 */
#ifndef OSTUNE_DOCTOR_H
#define OSTUNE_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "knobs/discover.h"
#include "knobs/knobname.h"

enum doctor_status {
	DOCTOR_OK,
	DOCTOR_WARN,	/* something ostune could use is missing */
	DOCTOR_FAIL,	/* ostune cannot work as it is */
	DOCTOR_SKIP,	/* not checked */
};

/* "ok", "warn", "fail", "skip" */
const char *doctor_status_name(enum doctor_status status);

struct doctor_check {
	const char *name;		/* "module", "debugfs", ... */
	enum doctor_status status;
	char message[256];		/* what was found */
	const char *hint;		/* what to do; NULL when nothing */
};

enum doctor_module_state {
	DOCTOR_MODULE_NOT_CHECKED,	/* a sysroot other than / */
	DOCTOR_MODULE_ABSENT,
	DOCTOR_MODULE_ERROR,		/* loaded, but status failed */
	DOCTOR_MODULE_LOADED,
};

/* What the caller learned from ostune.ko. */
struct doctor_module {
	enum doctor_module_state state;
	int error;			/* -errno for DOCTOR_MODULE_ERROR */
	unsigned int family_version;	/* the rest for DOCTOR_MODULE_LOADED */
	char version[32];
};

#define DOCTOR_MAX_CHECKS 16

struct doctor_report {
	struct doctor_check checks[DOCTOR_MAX_CHECKS];
	size_t nchecks;
	/* Why a class cannot work here (static text), NULL when it can. */
	const char *unavailable[KNOB_NUM_CLASSES];
	/* No check failed and at least one class can work. */
	bool ok;
};

/*
 * Runs every check on sysroot, with the module as the caller found it,
 * cli_version the CLI's own release and known the knobs found there
 * (NULL: discovered here, without asking the module). 0 or -ENOMEM.
 */
int doctor_run(const char *sysroot, const char *cli_version,
	       const struct doctor_module *module,
	       const struct knob_list *known, struct doctor_report *out);

#endif /* OSTUNE_DOCTOR_H */
