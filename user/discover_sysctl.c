// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysctl: the files of SYSROOT/proc/sys in the subtrees the module's
 * allowlist admits.
 */
#include <ctype.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <linux/ostune.h>

#include "discover_class.h"

#define PROC_SYS "proc/sys"

struct sysctl_subtree {
	const char *dir;	/* under proc/sys */
	const char *files;	/* fnmatch() filter, NULL for all */
	bool recursive;
};

/* What the kernel's allowlist admits, as directories. */
static const struct sysctl_subtree sysctl_subtrees[] = {
	{ "vm", NULL, false },
	{ "net/core", NULL, false },
	{ "net/ipv4", NULL, true },
	{ "net/ipv6", NULL, true },
	{ "kernel", "sched_*", false },
	{ "kernel", "numa_balancing", false },
	{ "kernel", "timer_migration", false },
};

/* A path component that maps back to the same file as a dotted name. */
static bool component_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) &&
		    !isdigit((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

static void visit_sysctl(struct discovery *d, int dirfd, const char *entry,
			 const char *prefix, void *arg)
{
	const struct sysctl_subtree *tree = arg;
	char value[OSTUNE_VALUE_MAX];
	char name[OSTUNE_NAME_MAX];
	struct stat st;

	if (!component_ok(entry) ||
	    fstatat(dirfd, entry, &st, AT_SYMLINK_NOFOLLOW) ||
	    snprintf(name, sizeof(name), "%s.%s", prefix, entry) >=
	    (int)sizeof(name))
		return;
	if (S_ISDIR(st.st_mode)) {
		int fd;

		if (!tree->recursive)
			return;
		fd = openat(dirfd, entry, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0)
			discovery_for_each_entry(d, fd, visit_sysctl, name,
						 arg);
		return;
	}
	if ((tree->files && fnmatch(tree->files, entry, 0)) ||
	    !owner_rw_file_at(dirfd, entry) ||
	    !read_text_at(dirfd, entry, value, sizeof(value)) ||
	    knob_name_check(name, NULL, NULL, 0))
		return;
	discovery_add(d, name, KNOB_CLASS_SYSCTL, value, NULL);
}

void discover_sysctl(struct discovery *d)
{
	size_t i;

	for (i = 0; i < sizeof(sysctl_subtrees) / sizeof(sysctl_subtrees[0]);
	     i++) {
		const struct sysctl_subtree *tree = &sysctl_subtrees[i];
		char path[64], prefix[64], *p;
		int fd;

		snprintf(path, sizeof(path), PROC_SYS "/%s", tree->dir);
		snprintf(prefix, sizeof(prefix), "sysctl.%s", tree->dir);
		for (p = prefix; *p; p++)
			if (*p == '/')
				*p = '.';
		fd = openat(d->rootfd, path,
			    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0)
			discovery_for_each_entry(d, fd, visit_sysctl, prefix,
						 (void *)tree);
	}
}
