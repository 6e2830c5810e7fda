// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysctl: the named tuning sysctls the module accepts
 * (ostune_sysctl_tunables in the UAPI header) that SYSROOT/proc/sys has,
 * readable and writable by their owner.
 */
#include <stdio.h>
#include <string.h>

#define OSTUNE_SYSCTL_LISTS
#include <linux/ostune.h>

#include "knobs/discover_class.h"
#include "knobs/knobname.h"

void discover_sysctl(struct discovery *d)
{
	char value[OSTUNE_VALUE_MAX], name[OSTUNE_NAME_MAX];
	char path[OSTUNE_NAME_MAX + 16];
	size_t i;

	for (i = 0; i < sizeof(ostune_sysctl_tunables) /
			sizeof(ostune_sysctl_tunables[0]); i++) {
		const char *sub = ostune_sysctl_tunables[i];

		/* A pattern names no one file to look at. */
		if (strchr(sub, '*'))
			continue;
		snprintf(name, sizeof(name), "sysctl.%s", sub);
		sysctl_proc_path(sub, path, sizeof(path));
		if (!owner_rw_file_at(d->rootfd, path) ||
		    !read_text_at(d->rootfd, path, value, sizeof(value)) ||
		    knob_name_check(name, NULL, NULL, 0))
			continue;
		discovery_add(d, name, KNOB_CLASS_SYSCTL, value, NULL);
	}
}
