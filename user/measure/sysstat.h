/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Host-wide counters from procfs and sysfs, read at the start and end of
 * a window: CPU time by kind (/proc/stat), context switches, interrupts,
 * softirqs and forks (/proc/stat), pressure stall time (/proc/pressure),
 * and energy from powercap/RAPL zones. Everything under a sysroot, so the
 * tests run on fixture trees.
 */
#ifndef OSTUNE_SYSSTAT_H
#define OSTUNE_SYSSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "measure/metrics.h"

#define SYSSTAT_MAX_ZONES	16

enum cpu_time {
	CPU_USER, CPU_NICE, CPU_SYSTEM, CPU_IDLE, CPU_IOWAIT, CPU_IRQ,
	CPU_SOFTIRQ, CPU_STEAL, CPU_NTIMES
};

enum psi_kind {
	PSI_CPU_SOME, PSI_MEM_SOME, PSI_MEM_FULL, PSI_IO_SOME, PSI_IO_FULL,
	PSI_NKINDS
};

struct rapl_zone {
	char energy_path[512];
	uint64_t max_range_uj;		/* where energy_uj wraps */
};

/* What is there to read on this host; found once. */
struct sysstat {
	char stat_path[512];
	char psi_dir[512];
	struct rapl_zone zones[SYSSTAT_MAX_ZONES];
	size_t nzones;
};

struct sys_snapshot {
	int64_t time_ns;		/* CLOCK_MONOTONIC */
	bool have_stat;
	uint64_t cpu[CPU_NTIMES];	/* USER_HZ ticks, all CPUs */
	uint64_t ctxt, intr, softirq, forks;
	bool have_psi[PSI_NKINDS];
	uint64_t psi_us[PSI_NKINDS];	/* total stall time */
	uint64_t energy_uj[SYSSTAT_MAX_ZONES];
	bool have_energy;
};

/* Finds the files under sysroot ("/" normally); never fails. */
void sysstat_init(struct sysstat *s, const char *sysroot);
void sysstat_read(const struct sysstat *s, struct sys_snapshot *snap);
/*
 * Rates and fractions over [a, b]: cpu_busy_pct, cpu_user_pct,
 * cpu_system_pct, cpu_iowait_pct, cpu_irq_pct, cpu_steal_pct,
 * ctx_switches_per_s, interrupts_per_s, softirqs_per_s, forks_per_s,
 * psi_*_pct (share of the window stalled), energy_j and power_w.
 * 0 or -ENOMEM.
 */
int sysstat_metrics(const struct sysstat *s, const struct sys_snapshot *a,
		    const struct sys_snapshot *b, struct metrics *m);

#endif /* OSTUNE_SYSSTAT_H */
