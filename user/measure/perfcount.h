/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host-wide perf_event counters, one per online CPU and event: software
 * events (CPU migrations, page faults) always, hardware ones (cycles,
 * instructions, cache misses) when the CPU has a PMU the kernel drives.
 * Opened once per run and read at the edges of each window; counting costs
 * the workload nothing measurable, unlike sampling.
 */
#ifndef OSTUNE_PERFCOUNT_H
#define OSTUNE_PERFCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "measure/metrics.h"

#define PERF_MAX_CPUS	1024

enum perf_counter {
	PC_MIGRATIONS,
	PC_PAGE_FAULTS,
	PC_CYCLES,
	PC_INSTRUCTIONS,
	PC_CACHE_MISSES,
	PC_NCOUNTERS
};

struct perfcount {
	int *fds;			/* ncpus * PC_NCOUNTERS, -1 if not open */
	size_t ncpus;
	bool have[PC_NCOUNTERS];	/* open on every CPU */
	char why_not[128];		/* why software events are missing */
};

struct perf_snapshot {
	int64_t time_ns;
	/* sums over CPUs, scaled up when the PMU was multiplexed */
	double value[PC_NCOUNTERS];
};

/*
 * Opens what it can; a host without perf_event (or with paranoid settings
 * that forbid system-wide counting) just has none, said in why_not.
 * 0 or -ENOMEM.
 */
int perfcount_open(struct perfcount *p);
void perfcount_read(const struct perfcount *p, struct perf_snapshot *s);
/* migrations_per_s, page_faults_per_s, cycles_per_s, instructions_per_s,
 * ipc, cache_misses_per_s: those whose counters are open. */
int perfcount_metrics(const struct perfcount *p, const struct perf_snapshot *a,
		      const struct perf_snapshot *b, struct metrics *m);
void perfcount_close(struct perfcount *p);

#endif /* OSTUNE_PERFCOUNT_H */
