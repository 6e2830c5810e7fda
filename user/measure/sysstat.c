// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/stat, /proc/pressure and powercap, as deltas over a window.
 */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "measure/sysstat.h"

static const char *const psi_names[PSI_NKINDS] = {
	[PSI_CPU_SOME] = "psi_cpu_some_pct",
	[PSI_MEM_SOME] = "psi_memory_some_pct",
	[PSI_MEM_FULL] = "psi_memory_full_pct",
	[PSI_IO_SOME] = "psi_io_some_pct",
	[PSI_IO_FULL] = "psi_io_full_pct",
};

static bool read_u64_file(const char *path, uint64_t *v)
{
	FILE *f = fopen(path, "re");
	bool ok;

	if (!f)
		return false;
	ok = fscanf(f, "%" SCNu64, v) == 1;
	fclose(f);
	return ok;
}

static bool join(char *out, size_t len, const char *a, const char *b)
{
	return snprintf(out, len, "%s/%s", a, b) < (int)len;
}

/* Top-level RAPL zones only ("intel-rapl:0", not "intel-rapl:0:1"):
 * subzones are parts of their package and would be counted twice. */
static void find_zones(struct sysstat *s, const char *sysroot)
{
	char dir[512];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/sys/class/powercap", sysroot);
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)) && s->nzones < SYSSTAT_MAX_ZONES) {
		const char *colon = strchr(de->d_name, ':');
		struct rapl_zone *z = &s->zones[s->nzones];
		char zone[512], path[512];
		uint64_t v;

		if (!colon || strchr(colon + 1, ':') ||
		    !strstr(de->d_name, "rapl") ||
		    !join(zone, sizeof(zone), dir, de->d_name) ||
		    !join(z->energy_path, sizeof(z->energy_path), zone,
			  "energy_uj") ||
		    !join(path, sizeof(path), zone, "max_energy_range_uj") ||
		    !read_u64_file(z->energy_path, &v))
			continue;
		if (!read_u64_file(path, &z->max_range_uj))
			z->max_range_uj = 0;
		s->nzones++;
	}
	closedir(d);
}

void sysstat_init(struct sysstat *s, const char *sysroot)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->stat_path, sizeof(s->stat_path), "%s/proc/stat", sysroot);
	snprintf(s->psi_dir, sizeof(s->psi_dir), "%s/proc/pressure", sysroot);
	find_zones(s, sysroot);
}

static void read_stat(const struct sysstat *s, struct sys_snapshot *snap)
{
	FILE *f = fopen(s->stat_path, "re");
	char line[256];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		uint64_t *c = snap->cpu;

		if (!strncmp(line, "cpu ", 4)) {
			snap->have_stat = sscanf(line + 4,
				"%" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64
				" %" SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64,
				&c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6],
				&c[7]) >= 4;
		} else if (sscanf(line, "ctxt %" SCNu64, &snap->ctxt) == 1 ||
			   sscanf(line, "intr %" SCNu64, &snap->intr) == 1 ||
			   sscanf(line, "softirq %" SCNu64, &snap->softirq) == 1 ||
			   sscanf(line, "processes %" SCNu64, &snap->forks) == 1) {
			continue;
		}
		/* The intr line is long: skip the rest of it. */
		while (!strchr(line, '\n') && fgets(line, sizeof(line), f))
			;
	}
	fclose(f);
}

/* "some avg10=0.00 avg60=0.00 avg300=0.00 total=12345" */
static void read_psi(const struct sysstat *s, const char *file,
		     enum psi_kind some, int full, struct sys_snapshot *snap)
{
	char path[600], line[256], kind[8];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", s->psi_dir, file);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		uint64_t total;
		const char *t = strstr(line, "total=");

		if (!t || sscanf(line, "%7s", kind) != 1 ||
		    sscanf(t, "total=%" SCNu64, &total) != 1)
			continue;
		if (!strcmp(kind, "some")) {
			snap->psi_us[some] = total;
			snap->have_psi[some] = true;
		} else if (!strcmp(kind, "full") && full >= 0) {
			snap->psi_us[full] = total;
			snap->have_psi[full] = true;
		}
	}
	fclose(f);
}

void sysstat_read(const struct sysstat *s, struct sys_snapshot *snap)
{
	size_t i;

	memset(snap, 0, sizeof(*snap));
	snap->time_ns = monotonic_ns();
	read_stat(s, snap);
	/* cpu has a "full" line since 5.13, always zero: not a metric. */
	read_psi(s, "cpu", PSI_CPU_SOME, -1, snap);
	read_psi(s, "memory", PSI_MEM_SOME, PSI_MEM_FULL, snap);
	read_psi(s, "io", PSI_IO_SOME, PSI_IO_FULL, snap);
	snap->have_energy = s->nzones > 0;
	for (i = 0; i < s->nzones; i++)
		if (!read_u64_file(s->zones[i].energy_path, &snap->energy_uj[i]))
			snap->have_energy = false;
}

static int cpu_metrics(const struct sys_snapshot *a,
		       const struct sys_snapshot *b, struct metrics *m)
{
	static const struct { const char *name; int kind; } kinds[] = {
		{ "cpu_user_pct", CPU_USER }, { "cpu_system_pct", CPU_SYSTEM },
		{ "cpu_iowait_pct", CPU_IOWAIT }, { "cpu_steal_pct", CPU_STEAL },
	};
	double d[CPU_NTIMES], total = 0;
	size_t i;
	int ret = 0;

	for (i = 0; i < CPU_NTIMES; i++) {
		d[i] = (double)(b->cpu[i] - a->cpu[i]);
		total += d[i];
	}
	if (total <= 0)
		return 0;
	ret = metrics_set(m, "cpu_busy_pct",
			  100 * (total - d[CPU_IDLE] - d[CPU_IOWAIT]) / total, "%");
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]) && !ret; i++)
		ret = metrics_set(m, kinds[i].name, 100 * d[kinds[i].kind] / total,
				  "%");
	if (!ret)
		ret = metrics_set(m, "cpu_irq_pct",
				  100 * (d[CPU_IRQ] + d[CPU_SOFTIRQ]) / total, "%");
	return ret;
}

static double wrapped(uint64_t a, uint64_t b, uint64_t range)
{
	if (b >= a)
		return (double)(b - a);
	/* The counter wrapped at max_energy_range_uj. */
	return range ? (double)(range - a + b) : 0;
}

int sysstat_metrics(const struct sysstat *s, const struct sys_snapshot *a,
		    const struct sys_snapshot *b, struct metrics *m)
{
	double secs = (b->time_ns - a->time_ns) / 1e9;
	double energy = 0;
	size_t i;
	int ret = 0;

	if (secs <= 0)
		return 0;
	if (a->have_stat && b->have_stat) {
		ret = cpu_metrics(a, b, m) ?:
		      metrics_set(m, "ctx_switches_per_s", (b->ctxt - a->ctxt) / secs, "1/s") ?:
		      metrics_set(m, "interrupts_per_s", (b->intr - a->intr) / secs, "1/s") ?:
		      metrics_set(m, "softirqs_per_s", (b->softirq - a->softirq) / secs, "1/s") ?:
		      metrics_set(m, "forks_per_s", (b->forks - a->forks) / secs, "1/s");
	}
	for (i = 0; i < PSI_NKINDS && !ret; i++)
		if (a->have_psi[i] && b->have_psi[i])
			ret = metrics_set(m, psi_names[i],
					  100 * (b->psi_us[i] - a->psi_us[i]) /
					  (secs * 1e6), "%");
	if (ret || !a->have_energy || !b->have_energy)
		return ret;
	for (i = 0; i < s->nzones; i++)
		energy += wrapped(a->energy_uj[i], b->energy_uj[i],
				  s->zones[i].max_range_uj);
	return metrics_set(m, "energy_j", energy / 1e6, "J") ?:
	       metrics_set(m, "power_w", energy / 1e6 / secs, "W");
}
