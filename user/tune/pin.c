// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Target pinning (pin.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "knobs/discover.h"
#include "knobs/sysread.h"
#include "tune/pin.h"

int pin_check(const char *cpus, const char *sysroot, char *why, size_t len)
{
	bool want[CPU_SETSIZE], online[CPU_SETSIZE], rest[CPU_SETSIZE];
	char list[4096], left[4096];
	unsigned long bad;
	size_t cpu;

	if (cpulist_parse(cpus, want, CPU_SETSIZE, &bad)) {
		snprintf(why, len, "target.cpus: '%s' is not a CPU list", cpus);
		return -EINVAL;
	}
	if (!discover_online_cpus(sysroot, list, sizeof(list)) ||
	    cpulist_parse(list, online, CPU_SETSIZE, &bad)) {
		snprintf(why, len, "target.cpus: this host does not say which CPUs are online (%s/sys/devices/system/cpu/online)",
			 sysroot);
		return -EINVAL;
	}
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (want[cpu] && !online[cpu]) {
			snprintf(why, len, "target.cpus: CPU %zu is not online (online: %s)",
				 cpu, list);
			return -EINVAL;
		}
		rest[cpu] = online[cpu] && !want[cpu];
	}
	cpulist_format(rest, CPU_SETSIZE, left, sizeof(left));
	if (!left[0]) {
		snprintf(why, len, "target.cpus: %s is every online CPU: leave at least one for ostune",
			 cpus);
		return -EINVAL;
	}
	return 0;
}

int pin_apply(const char *cpus, cpu_set_t *target, char *why, size_t len)
{
	bool want[CPU_SETSIZE];
	cpu_set_t own;
	unsigned long bad;
	size_t cpu;

	CPU_ZERO(target);
	if (cpulist_parse(cpus, want, CPU_SETSIZE, &bad)) {
		snprintf(why, len, "target.cpus: '%s' is not a CPU list", cpus);
		return -EINVAL;
	}
	if (sched_getaffinity(0, sizeof(own), &own)) {
		snprintf(why, len, "target.cpus: %s", strerror(errno));
		return -errno;
	}
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (!want[cpu])
			continue;
		CPU_SET(cpu, target);
		CPU_CLR(cpu, &own);
	}
	if (!CPU_COUNT(&own)) {
		snprintf(why, len, "target.cpus: %s leaves no CPU ostune may run on", cpus);
		return -EINVAL;
	}
	if (sched_setaffinity(0, sizeof(own), &own)) {
		snprintf(why, len, "target.cpus: cannot move ostune off %s: %s", cpus,
			 strerror(errno));
		return -errno;
	}
	return 0;
}
