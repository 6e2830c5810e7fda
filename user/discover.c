// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Knob discovery on a sysroot. Works without the module and without root
 * (then sched, in root-only debugfs, adds nothing).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <linux/ostune.h>

#include "discover.h"

#define SCHED_DIR	"sys/kernel/debug/sched"
#define PROC_SYS	"proc/sys"

/*
 * Integer files in the sched directory that are not u32 attributes, which
 * the module refuses (see kmod/class_sched.c).
 */
static const char *const sched_not_knobs[] = { "tunable_scaling" };

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

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct discovery {
	struct knob_list *list;
	size_t cap;
	int error;
};

void fold_whitespace(char *s)
{
	char *out = s;
	const char *in;
	bool space = false;

	for (in = s; *in; in++) {
		if (isspace((unsigned char)*in)) {
			space = out != s;
			continue;
		}
		if (space)
			*out++ = ' ';
		space = false;
		*out++ = *in;
	}
	*out = '\0';
}

/*
 * Reads a knob's value like the module does: a whole read into a buffer
 * of OSTUNE_VALUE_MAX; what does not fit cannot be held, so it is no knob.
 */
static bool read_value(int dirfd, const char *file, char *buf)
{
	int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, OSTUNE_VALUE_MAX);
	close(fd);
	if (n < 0 || n >= OSTUNE_VALUE_MAX)
		return false;
	buf[n] = '\0';
	fold_whitespace(buf);
	return true;
}

static bool is_u32_decimal(const char *s)
{
	unsigned long long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		v = v * 10 + (*s - '0');
		if (v > 0xffffffffULL)
			return false;
	}
	return true;
}

static bool owner_rw_file(int dirfd, const char *file)
{
	struct stat st;

	return !fstatat(dirfd, file, &st, AT_SYMLINK_NOFOLLOW) &&
	       S_ISREG(st.st_mode) && (st.st_mode & S_IRUSR) &&
	       (st.st_mode & S_IWUSR);
}

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

static void add_knob(struct discovery *d, const char *name,
		     enum knob_class cls, const char *value)
{
	struct knob_list *list = d->list;
	struct knob *k;

	if (d->error)
		return;
	if (list->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 64;
		struct knob *grown = realloc(list->items, cap * sizeof(*grown));

		if (!grown) {
			d->error = -ENOMEM;
			return;
		}
		list->items = grown;
		d->cap = cap;
	}
	k = &list->items[list->n];
	k->name = strdup(name);
	k->value = strdup(value);
	k->cls = cls;
	if (!k->name || !k->value) {
		free(k->name);
		free(k->value);
		d->error = -ENOMEM;
		return;
	}
	list->n++;
}

static int open_dir_at(int dirfd, const char *path)
{
	return openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* Calls visit for every entry of the directory open at fd; closes fd. */
static void for_each_entry(int fd, void (*visit)(struct discovery *d,
						 int dirfd, const char *entry,
						 const char *prefix, void *arg),
			   struct discovery *d, const char *prefix, void *arg)
{
	DIR *dir = fdopendir(fd);
	struct dirent *de;

	if (!dir) {
		close(fd);
		return;
	}
	while ((de = readdir(dir)) && !d->error) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		visit(d, dirfd(dir), de->d_name, prefix, arg);
	}
	closedir(dir);
}

/* ---- sched ---- */

static bool sched_excluded(const char *file)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sched_not_knobs); i++)
		if (!strcmp(file, sched_not_knobs[i]))
			return true;
	return false;
}

static void visit_sched(struct discovery *d, int dirfd, const char *entry,
			const char *prefix, void *arg)
{
	char value[OSTUNE_VALUE_MAX];
	char name[OSTUNE_NAME_MAX];

	(void)arg;
	if (sched_excluded(entry) || !owner_rw_file(dirfd, entry) ||
	    !read_value(dirfd, entry, value) || !is_u32_decimal(value))
		return;
	if (snprintf(name, sizeof(name), "%s.%s", prefix, entry) >=
	    (int)sizeof(name) || knob_name_check(name, NULL, NULL, 0))
		return;
	add_knob(d, name, KNOB_CLASS_SCHED, value);
}

static void discover_sched(struct discovery *d, int rootfd)
{
	int fd = open_dir_at(rootfd, SCHED_DIR);
	int numa_fd;

	if (fd < 0)
		return;
	numa_fd = open_dir_at(fd, "numa_balancing");
	if (numa_fd >= 0)
		for_each_entry(numa_fd, visit_sched, d, "sched.numa_balancing",
			       NULL);
	for_each_entry(fd, visit_sched, d, "sched", NULL);
}

/* ---- sysctl ---- */

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
		fd = open_dir_at(dirfd, entry);
		if (fd >= 0)
			for_each_entry(fd, visit_sysctl, d, name, arg);
		return;
	}
	if ((tree->files && fnmatch(tree->files, entry, 0)) ||
	    !owner_rw_file(dirfd, entry) || !read_value(dirfd, entry, value) ||
	    knob_name_check(name, NULL, NULL, 0))
		return;
	add_knob(d, name, KNOB_CLASS_SYSCTL, value);
}

static void discover_sysctl(struct discovery *d, int rootfd)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sysctl_subtrees); i++) {
		const struct sysctl_subtree *tree = &sysctl_subtrees[i];
		char path[64], prefix[64], *p;
		int fd;

		snprintf(path, sizeof(path), PROC_SYS "/%s", tree->dir);
		snprintf(prefix, sizeof(prefix), "sysctl.%s", tree->dir);
		for (p = prefix; *p; p++)
			if (*p == '/')
				*p = '.';
		fd = open_dir_at(rootfd, path);
		if (fd >= 0)
			for_each_entry(fd, visit_sysctl, d, prefix,
				       (void *)tree);
	}
}

static int by_name(const void *a, const void *b)
{
	const struct knob *ka = a, *kb = b;

	return strverscmp(ka->name, kb->name);
}

int discover_knobs(const char *sysroot, struct knob_list *out)
{
	struct discovery d = { .list = out };
	int rootfd;

	out->items = NULL;
	out->n = 0;
	rootfd = open(sysroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return 0;
	discover_sched(&d, rootfd);
	discover_sysctl(&d, rootfd);
	close(rootfd);
	if (d.error) {
		knob_list_free(out);
		return d.error;
	}
	if (out->n)
		qsort(out->items, out->n, sizeof(*out->items), by_name);
	return 0;
}

void knob_list_free(struct knob_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++) {
		free(list->items[i].name);
		free(list->items[i].value);
	}
	free(list->items);
	list->items = NULL;
	list->n = 0;
}

const char *knob_domain(const struct knob *knob)
{
	return knob->cls == KNOB_CLASS_SCHED ? "0..4294967295" : NULL;
}

size_t knob_list_match(const struct knob_list *list, const char *pattern,
		       const struct knob **out)
{
	size_t i, n = 0;

	for (i = 0; i < list->n; i++)
		if (knob_pattern_match(pattern, list->items[i].name))
			out[n++] = &list->items[i];
	return n;
}
