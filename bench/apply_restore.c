// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Time to apply and to restore a transaction of N knobs through ostune.ko,
 * side by side with what a userspace tuner does today: open, write and
 * close each /proc/sys file in turn, then write the saved originals back.
 *
 * Runs as root where the module is loaded (inside the VM). The knobs are
 * integer sysctls under vm/ and net/ipv4/ found at run time; each one is
 * set to its current value, so the host's tuning does not move while the
 * kernel still parses and stores every write.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/client.h"

#define MAX_KNOBS	64
#define ROUNDS		25

struct bench_knob {
	char path[256];
	char name[OSTUNE_NAME_MAX];
	char value[OSTUNE_VALUE_MAX];
};

/* Writing these, even their current value, does work beyond a store. */
static const char *const skipped[] = {
	"compact_memory", "drop_caches", "stat_refresh", "nr_hugepages",
	"nr_hugepages_mempolicy", "nr_overcommit_hugepages", "min_free_kbytes",
	"watermark_scale_factor", "lowmem_reserve_ratio", "percpu_pagelist_high_fraction",
	NULL,
};

static int is_skipped(const char *file)
{
	const char *const *s;

	for (s = skipped; *s; s++)
		if (!strcmp(*s, file))
			return 1;
	return 0;
}

static int read_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int write_text(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : -EIO;
}

static int single_integer(const char *s)
{
	char *end;

	if (!*s)
		return 0;
	strtol(s, &end, 10);
	return *end == '\0';
}

static size_t find_knobs(const char *dir, const char *prefix,
			 struct bench_knob *knobs, size_t have)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return have;
	while (have < MAX_KNOBS && (de = readdir(d))) {
		struct bench_knob *k = &knobs[have];
		struct stat st;

		if (de->d_name[0] == '.' || is_skipped(de->d_name))
			continue;
		if (snprintf(k->path, sizeof(k->path), "%s/%s", dir,
			     de->d_name) >= (int)sizeof(k->path) ||
		    snprintf(k->name, sizeof(k->name), "%s%s", prefix,
			     de->d_name) >= (int)sizeof(k->name))
			continue;
		if (stat(k->path, &st) || !S_ISREG(st.st_mode) ||
		    (st.st_mode & 0600) != 0600)
			continue;
		/* Some read back values they refuse, e.g. 0 of *_bytes. */
		if (read_text(k->path, k->value, sizeof(k->value)) ||
		    !single_integer(k->value) || write_text(k->path, k->value))
			continue;
		have++;
	}
	closedir(d);
	return have;
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), compare_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct timing {
	double apply[ROUNDS];
	double restore[ROUNDS];
};

static int time_module(struct ostune_client *c, const struct bench_knob *knobs,
		       size_t n, struct timing *t)
{
	struct ostune_kv kv[MAX_KNOBS];
	uint32_t txn;
	size_t i;
	int r, ret;

	for (i = 0; i < n; i++) {
		kv[i].name = knobs[i].name;
		kv[i].value = knobs[i].value;
	}
	for (r = 0; r < ROUNDS; r++) {
		double t0 = now_us();

		ret = ostune_apply(c, kv, n, &txn);
		if (ret)
			return ret;
		t->apply[r] = now_us() - t0;
		t0 = now_us();
		ret = ostune_restore(c, NULL, 0);
		if (ret)
			return ret;
		t->restore[r] = now_us() - t0;
	}
	return 0;
}

/* What a userspace tuner does: save each original, write, later write back. */
static int time_userspace(const struct bench_knob *knobs, size_t n,
			  struct timing *t)
{
	char saved[MAX_KNOBS][OSTUNE_VALUE_MAX];
	size_t i;
	int r, ret;

	for (r = 0; r < ROUNDS; r++) {
		double t0 = now_us();

		for (i = 0; i < n; i++) {
			ret = read_text(knobs[i].path, saved[i], sizeof(saved[i]));
			if (!ret)
				ret = write_text(knobs[i].path, knobs[i].value);
			if (ret)
				return ret;
		}
		t->apply[r] = now_us() - t0;
		t0 = now_us();
		for (i = n; i-- > 0;) {
			ret = write_text(knobs[i].path, saved[i]);
			if (ret)
				return ret;
		}
		t->restore[r] = now_us() - t0;
	}
	return 0;
}

int main(void)
{
	static const size_t sizes[] = { 1, 8, 64 };
	struct bench_knob knobs[MAX_KNOBS];
	struct ostune_client client;
	struct timing mod, user;
	size_t found, s;
	int ret;

	found = find_knobs("/proc/sys/vm", "sysctl.vm.", knobs, 0);
	found = find_knobs("/proc/sys/net/ipv4", "sysctl.net.ipv4.", knobs, found);
	if (found < MAX_KNOBS) {
		fprintf(stderr, "bench: found only %zu integer sysctls, need %d\n",
			found, MAX_KNOBS);
		return 1;
	}
	ret = ostune_client_open(&client);
	if (ret) {
		fprintf(stderr, "bench: cannot reach ostune.ko: %s\n", strerror(-ret));
		return 1;
	}
	printf("bench: apply/restore, median of %d rounds, microseconds\n", ROUNDS);
	printf("%6s %12s %12s %7s %12s %12s %7s\n", "knobs", "mod-apply",
	       "user-apply", "ratio", "mod-restore", "user-restore", "ratio");
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		double ma, ua, mr, ur;

		ret = time_module(&client, knobs, sizes[s], &mod);
		if (ret) {
			fprintf(stderr, "bench: module: %s: %s\n", strerror(-ret),
				client.err_msg);
			return 1;
		}
		ret = time_userspace(knobs, sizes[s], &user);
		if (ret) {
			fprintf(stderr, "bench: userspace: %s\n", strerror(-ret));
			return 1;
		}
		ma = median(mod.apply, ROUNDS);
		ua = median(user.apply, ROUNDS);
		mr = median(mod.restore, ROUNDS);
		ur = median(user.restore, ROUNDS);
		printf("%6zu %12.1f %12.1f %7.2f %12.1f %12.1f %7.2f\n",
		       sizes[s], ma, ua, ma / ua, mr, ur, mr / ur);
	}
	ostune_client_close(&client);
	return 0;
}
