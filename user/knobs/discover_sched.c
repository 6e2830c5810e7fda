// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sched: the u32 attributes in SYSROOT/sys/kernel/debug/sched/ and its
 * numa_balancing/ (root only, and only with debugfs mounted).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include <linux/ostune.h>

#include "knobs/discover_class.h"

#define SCHED_DIR "sys/kernel/debug/sched"
#define U32_DOMAIN "0..4294967295"

/*
 * Integer files in the sched directory that are not u32 attributes, which
 * the module refuses (see kmod/class_sched.c).
 */
static const char *const sched_not_knobs[] = { "tunable_scaling" };

static bool sched_excluded(const char *file)
{
	size_t i;

	for (i = 0; i < sizeof(sched_not_knobs) / sizeof(sched_not_knobs[0]);
	     i++)
		if (!strcmp(file, sched_not_knobs[i]))
			return true;
	return false;
}

static bool is_u32_decimal(const char *s)
{
	unsigned long long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
		if (v > 0xffffffffULL)
			return false;
	}
	return true;
}

static void visit_sched(struct discovery *d, int dirfd, const char *entry,
			const char *prefix, void *arg)
{
	char value[OSTUNE_VALUE_MAX];
	char name[OSTUNE_NAME_MAX];

	(void)arg;
	if (sched_excluded(entry) || !owner_rw_file_at(dirfd, entry) ||
	    !read_text_at(dirfd, entry, value, sizeof(value)) ||
	    !is_u32_decimal(value))
		return;
	if (snprintf(name, sizeof(name), "%s.%s", prefix, entry) >=
	    (int)sizeof(name) || knob_name_check(name, NULL, NULL, 0))
		return;
	discovery_add(d, name, KNOB_CLASS_SCHED, value, U32_DOMAIN);
}

void discover_sched(struct discovery *d)
{
	int fd = openat(d->rootfd, SCHED_DIR,
			O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int numa_fd;

	if (fd < 0)
		return;
	numa_fd = openat(fd, "numa_balancing",
			 O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (numa_fd >= 0)
		discovery_for_each_entry(d, numa_fd, visit_sched,
					 "sched.numa_balancing", NULL);
	discovery_for_each_entry(d, fd, visit_sched, "sched", NULL);
}
