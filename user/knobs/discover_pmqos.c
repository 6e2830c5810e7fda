// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmqos: the module's own PM QoS requests, so every knob reads "none"
 * here (cmd_knobs asks the module for the requests it holds). What others
 * ask for is shown as a detail:
 *
 *   pmqos.cpu_latency_us               effective = the CPU-latency limit
 *                                      all requests add up to, which
 *                                      /dev/cpu_dma_latency read()s as a
 *                                      binary s32 (root only)
 *   pmqos.cpu<N>.resume_latency_us     sysfs-request = what user space
 *                                      asked through CPU N's
 *                                      power/pm_qos_resume_latency_us; the
 *                                      kernel shows no aggregate of these
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <linux/ostune.h>

#include "knobs/discover_class.h"

#define CPU_DMA_LATENCY "dev/cpu_dma_latency"
/* PM_QOS_CPU_LATENCY_DEFAULT_VALUE: nobody asks for anything */
#define CPU_LATENCY_NO_LIMIT 2000000000
#define CPU_LATENCY_DOMAIN "none|0..2000000000"
/* up to PM_QOS_RESUME_LATENCY_NO_CONSTRAINT - 1 */
#define RESUME_LATENCY_DOMAIN "none|0..2147483646"

/*
 * The device is read as the kernel writes it; a regular file (a fixture
 * tree) holds the number as text. Opening the device adds a request of
 * the default value, which limits nothing, until it is closed.
 */
static bool read_cpu_latency(int rootfd, long long *out)
{
	int fd = openat(rootfd, CPU_DMA_LATENCY,
			O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	char text[32], *end;
	struct stat st;
	int32_t raw;
	ssize_t n;
	bool ok = false;

	if (fd < 0)
		return false;
	if (fstat(fd, &st)) {
		close(fd);
		return false;
	}
	if (S_ISCHR(st.st_mode)) {
		ok = read(fd, &raw, sizeof(raw)) == sizeof(raw);
		*out = raw;
	} else if (S_ISREG(st.st_mode)) {
		n = read(fd, text, sizeof(text) - 1);
		if (n > 0) {
			text[n] = '\0';
			*out = strtoll(text, &end, 10);
			ok = end != text && (*end == '\0' || *end == '\n');
		}
	}
	close(fd);
	return ok;
}

static void add_cpu_latency(struct discovery *d)
{
	struct knob *k;
	long long limit;
	char text[32];

	if (!exists_at(d->rootfd, CPU_DMA_LATENCY) &&
	    !is_dir_at(d->rootfd, CPU_DIR))
		return;
	k = discovery_add(d, "pmqos.cpu_latency_us", KNOB_CLASS_PMQOS, "none",
			  CPU_LATENCY_DOMAIN);
	if (!read_cpu_latency(d->rootfd, &limit))
		return;
	if (limit >= CPU_LATENCY_NO_LIMIT)
		snprintf(text, sizeof(text), "none");
	else
		snprintf(text, sizeof(text), "%lld", limit);
	discovery_detail(d, k, "effective", NULL, text);
}

/*
 * The sysfs file speaks its own language: "0" is no constraint and "n/a"
 * a limit of 0 us. Shown in the knob's: "none" or microseconds.
 */
static const char *resume_request_text(const char *sysfs)
{
	if (!strcmp(sysfs, "0"))
		return "none";
	if (!strcmp(sysfs, "n/a"))
		return "0";
	return sysfs;
}

static void add_resume_latency(struct discovery *d, unsigned int cpu)
{
	char path[128], name[OSTUNE_NAME_MAX], value[32];
	struct knob *k;

	snprintf(path, sizeof(path),
		 CPU_DIR "/cpu%u/power/pm_qos_resume_latency_us", cpu);
	if (!exists_at(d->rootfd, path))
		return;
	snprintf(name, sizeof(name), "pmqos.cpu%u.resume_latency_us", cpu);
	k = discovery_add(d, name, KNOB_CLASS_PMQOS, "none",
			  RESUME_LATENCY_DOMAIN);
	if (read_text_at(d->rootfd, path, value, sizeof(value)))
		discovery_detail(d, k, "sysfs-request", NULL,
				 resume_request_text(value));
	if (discovery_cpu_offline(d, cpu))
		discovery_fix(d, k, "offline");
}

void discover_pmqos(struct discovery *d)
{
	unsigned int *cpus;
	size_t ncpus, i;
	int ret;

	add_cpu_latency(d);
	ret = list_indexes_at(d->rootfd, CPU_DIR, "cpu", &cpus, &ncpus);
	if (ret) {
		discovery_fail(d, ret);
		return;
	}
	for (i = 0; i < ncpus; i++)
		add_resume_latency(d, cpus[i]);
	free(cpus);
}
