// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Small-file reads under a directory descriptor (the sysroot), with paths
 * relative to it. Sysfs and procfs hand out a whole small file in one
 * read(), which is also how the kernel module reads them.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "knobs/knobname.h"
#include "knobs/sysread.h"

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

bool read_text_at(int dirfd, const char *path, char *buf, size_t size)
{
	/* O_NONBLOCK: a FIFO planted in a fixture tree must not hang us. */
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, size);
	close(fd);
	if (n < 0 || (size_t)n >= size)
		return false;
	buf[n] = '\0';
	fold_whitespace(buf);
	return true;
}

static bool stat_at(int dirfd, const char *path, struct stat *st, int flags)
{
	return !fstatat(dirfd, path, st, flags);
}

bool owner_rw_file_at(int dirfd, const char *path)
{
	struct stat st;

	return stat_at(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) &&
	       S_ISREG(st.st_mode) && (st.st_mode & S_IRUSR) &&
	       (st.st_mode & S_IWUSR);
}

bool owner_writable_at(int dirfd, const char *path)
{
	struct stat st;

	return stat_at(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) &&
	       S_ISREG(st.st_mode) && (st.st_mode & S_IWUSR);
}

bool exists_at(int dirfd, const char *path)
{
	struct stat st;

	return stat_at(dirfd, path, &st, AT_SYMLINK_NOFOLLOW);
}

bool is_dir_at(int dirfd, const char *path)
{
	struct stat st;

	return stat_at(dirfd, path, &st, 0) && S_ISDIR(st.st_mode);
}

static int by_value(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return (x > y) - (x < y);
}

int list_indexes_at(int dirfd, const char *path, const char *prefix,
		    unsigned int **out, size_t *n)
{
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	unsigned int *items = NULL;
	size_t cap = 0;
	struct dirent *de;
	DIR *dir;

	*out = NULL;
	*n = 0;
	if (fd < 0)
		return 0;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return 0;
	}
	while ((de = readdir(dir))) {
		const char *rest;
		unsigned int index;

		rest = knob_parse_index(de->d_name, prefix, &index);
		if (!rest || *rest)
			continue;
		if (*n == cap) {
			unsigned int *grown;

			cap = cap ? 2 * cap : 16;
			grown = realloc(items, cap * sizeof(*grown));
			if (!grown) {
				free(items);
				closedir(dir);
				*n = 0;
				return -ENOMEM;
			}
			items = grown;
		}
		items[(*n)++] = index;
	}
	closedir(dir);
	if (*n)
		qsort(items, *n, sizeof(*items), by_value);
	*out = items;
	return 0;
}

/* Writes "a" or "a-b" at out, with a ',' before unless first. */
static char *put_run(char *out, bool first, unsigned long a, unsigned long b)
{
	if (!first)
		*out++ = ',';
	if (a == b)
		return out + sprintf(out, "%lu", a);
	return out + sprintf(out, "%lu-%lu", a, b);
}

bool words_to_cpulist(char *s)
{
	size_t max = strlen(s) / 2 + 1, n = 0, i;
	unsigned long *cpus = malloc(max * sizeof(*cpus));
	const char *p = s;
	char *out = s;

	if (!cpus)
		return false;
	while (*p) {
		char *end;

		if (*p == ' ' || *p == ',') {
			p++;
			continue;
		}
		if (!isdigit((unsigned char)*p) || n == max) {
			free(cpus);
			return false;
		}
		cpus[n++] = strtoul(p, &end, 10);
		p = end;
	}
	/*
	 * The list is never longer than the words were, so it can be
	 * written over them once they are all parsed.
	 */
	for (i = 0; i < n;) {
		size_t j = i;

		while (j + 1 < n && cpus[j + 1] == cpus[j] + 1)
			j++;
		out = put_run(out, i == 0, cpus[i], cpus[j]);
		i = j + 1;
	}
	*out = '\0';
	free(cpus);
	return true;
}

int cpulist_parse(const char *list, bool *set, size_t n, unsigned long *bad)
{
	const char *p = list;

	memset(set, 0, n * sizeof(*set));
	if (!*p)
		return -EINVAL;
	while (*p) {
		unsigned long lo, hi, cpu;
		char *end;

		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		errno = 0;
		lo = hi = strtoul(p, &end, 10);
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return -EINVAL;
			hi = strtoul(end + 1, &end, 10);
		}
		if (errno || lo > hi || (*end && (*end != ',' || !end[1])))
			return -EINVAL;
		if (hi >= n) {
			*bad = lo >= n ? lo : n;
			return -ERANGE;
		}
		for (cpu = lo; cpu <= hi; cpu++)
			set[cpu] = true;
		p = *end ? end + 1 : end;
	}
	return 0;
}

void cpulist_format(const bool *set, size_t n, char *buf, size_t len)
{
	size_t cpu = 0, used = 0;

	buf[0] = '\0';
	while (cpu < n && used < len) {
		size_t last;

		if (!set[cpu]) {
			cpu++;
			continue;
		}
		for (last = cpu; last + 1 < n && set[last + 1]; last++)
			;
		used += snprintf(buf + used, len - used, "%s%zu", used ? "," : "", cpu);
		if (last > cpu && used < len)
			used += snprintf(buf + used, len - used, "-%zu", last);
		cpu = last + 1;
	}
}

bool cpulist_has(const char *list, unsigned int cpu)
{
	const char *p = list;

	while (*p) {
		unsigned long lo, hi;
		char *end;

		if (!isdigit((unsigned char)*p))
			return false;
		lo = hi = strtoul(p, &end, 10);
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return false;
			hi = strtoul(end + 1, &end, 10);
		}
		if (cpu >= lo && cpu <= hi)
			return true;
		if (*end && *end != ',')
			return false;
		p = *end ? end + 1 : end;
	}
	return false;
}

/* Room for the CPUs of a mask: as many as a sysfs mask of a page shows. */
#define HEXMASK_CPUS 4096

bool hexmask_to_cpulist(char *s, size_t size)
{
	size_t len = strlen(s), cpu = 0;
	bool *set;
	bool ok = len > 0;

	set = calloc(HEXMASK_CPUS, sizeof(*set));
	if (!set)
		return false;
	/* the last digit holds CPUs 0-3; commas separate groups of 32 */
	while (ok && len--) {
		int bit, v;

		if (s[len] == ',')
			continue;
		if (!isxdigit((unsigned char)s[len]) || cpu + 4 > HEXMASK_CPUS) {
			ok = false;
			break;
		}
		v = isdigit((unsigned char)s[len]) ? s[len] - '0' :
		    tolower((unsigned char)s[len]) - 'a' + 10;
		for (bit = 0; bit < 4; bit++)
			set[cpu + bit] = v >> bit & 1;
		cpu += 4;
	}
	if (ok)
		cpulist_format(set, HEXMASK_CPUS, s, size);
	free(set);
	return ok;
}

bool cpulist_to_hexmask(const char *list, char *buf, size_t size)
{
	size_t used = 0, group, last = 0, cpu;
	unsigned long bad;
	bool *set, any = false;

	set = calloc(HEXMASK_CPUS, sizeof(*set));
	if (!set)
		return false;
	if (cpulist_parse(list, set, HEXMASK_CPUS, &bad)) {
		free(set);
		return false;
	}
	for (cpu = 0; cpu < HEXMASK_CPUS; cpu++)
		if (set[cpu]) {
			last = cpu;
			any = true;
		}
	/* groups of 32 CPUs, the highest first, only the first unpadded */
	for (group = last / 32 + 1; any && group-- > 0;) {
		unsigned long v = 0;
		int bit;

		for (bit = 31; bit >= 0; bit--)
			v = v << 1 | set[group * 32 + bit];
		used += snprintf(buf + used, used < size ? size - used : 0,
				 used ? ",%08lx" : "%lx", v);
	}
	free(set);
	return any && used < size;
}
