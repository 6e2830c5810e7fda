// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * perf_event_open() counters, system-wide (pid -1) on each online CPU.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>

#include "base/clock.h"
#include "measure/perfcount.h"

static const struct {
	uint32_t type;
	uint64_t config;
} events[PC_NCOUNTERS] = {
	[PC_MIGRATIONS] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	[PC_PAGE_FAULTS] = { PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	[PC_CYCLES] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	[PC_INSTRUCTIONS] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	[PC_CACHE_MISSES] = { PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
};

static int open_counter(int cpu, enum perf_counter c)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = events[c].type;
	attr.config = events[c].config;
	attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
			   PERF_FORMAT_TOTAL_TIME_RUNNING;
	return (int)syscall(SYS_perf_event_open, &attr, -1, cpu, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

int perfcount_open(struct perfcount *p)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);
	size_t cpu, c;

	memset(p, 0, sizeof(*p));
	p->ncpus = n > 0 ? (size_t)n : 1;
	if (p->ncpus > PERF_MAX_CPUS)
		p->ncpus = PERF_MAX_CPUS;
	p->fds = malloc(p->ncpus * PC_NCOUNTERS * sizeof(*p->fds));
	if (!p->fds)
		return -ENOMEM;
	for (c = 0; c < PC_NCOUNTERS; c++) {
		bool any = false, all = true;
		int err = 0;

		for (cpu = 0; cpu < p->ncpus; cpu++) {
			int fd = open_counter((int)cpu, c);

			p->fds[cpu * PC_NCOUNTERS + c] = fd;
			/* An offline CPU (ENODEV) counts nothing: fine. */
			if (fd >= 0)
				any = true;
			else if (errno != ENODEV)
				all = false, err = errno;
		}
		p->have[c] = any && all;
		if (!p->have[c] && events[c].type == PERF_TYPE_SOFTWARE &&
		    !p->why_not[0])
			snprintf(p->why_not, sizeof(p->why_not),
				 "perf_event_open: %s", strerror(err));
	}
	return 0;
}

void perfcount_read(const struct perfcount *p, struct perf_snapshot *s)
{
	size_t cpu, c;

	memset(s, 0, sizeof(*s));
	s->time_ns = monotonic_ns();
	for (c = 0; c < PC_NCOUNTERS; c++) {
		if (!p->have[c])
			continue;
		for (cpu = 0; cpu < p->ncpus; cpu++) {
			uint64_t v[3];
			int fd = p->fds[cpu * PC_NCOUNTERS + c];

			if (fd < 0 || read(fd, v, sizeof(v)) != sizeof(v))
				continue;
			/* value * enabled / running: multiplexing's estimate */
			s->value[c] += v[2] ? (double)v[0] * v[1] / v[2] : 0;
		}
	}
}

int perfcount_metrics(const struct perfcount *p, const struct perf_snapshot *a,
		      const struct perf_snapshot *b, struct metrics *m)
{
	static const struct { const char *name; const char *unit; } out[] = {
		[PC_MIGRATIONS] = { "migrations_per_s", "1/s" },
		[PC_PAGE_FAULTS] = { "page_faults_per_s", "1/s" },
		[PC_CYCLES] = { "cycles_per_s", "1/s" },
		[PC_INSTRUCTIONS] = { "instructions_per_s", "1/s" },
		[PC_CACHE_MISSES] = { "cache_misses_per_s", "1/s" },
	};
	double secs = (b->time_ns - a->time_ns) / 1e9;
	size_t c;

	if (secs <= 0)
		return 0;
	for (c = 0; c < PC_NCOUNTERS; c++)
		if (p->have[c] && metrics_set(m, out[c].name,
					      (b->value[c] - a->value[c]) / secs,
					      out[c].unit))
			return -ENOMEM;
	if (p->have[PC_CYCLES] && p->have[PC_INSTRUCTIONS] &&
	    b->value[PC_CYCLES] > a->value[PC_CYCLES])
		return metrics_set(m, "ipc",
				   (b->value[PC_INSTRUCTIONS] - a->value[PC_INSTRUCTIONS]) /
				   (b->value[PC_CYCLES] - a->value[PC_CYCLES]),
				   "instructions/cycle");
	return 0;
}

void perfcount_close(struct perfcount *p)
{
	size_t i;

	if (!p->fds)
		return;
	for (i = 0; i < p->ncpus * PC_NCOUNTERS; i++)
		if (p->fds[i] >= 0)
			close(p->fds[i]);
	free(p->fds);
	p->fds = NULL;
}
