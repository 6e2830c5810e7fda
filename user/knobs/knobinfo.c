// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Knob meanings (knobinfo.h), condensed from docs/knobs.md and the
 * kernel's own documentation of each file.
 */
#include <string.h>

#include "knobs/knobinfo.h"
#include "knobs/knobname.h"

struct meaning {
	const char *prefix;	/* a name, or a prefix ending in '.' */
	const char *text;
};

static const struct meaning classes[] = {
	{ "sched.", "scheduler tunable (u32 in /sys/kernel/debug/sched/), unit as its name says (_ns, _ms) or a count" },
	{ "sysctl.", "sysctl (/proc/sys), written through the sysctl's own handler; value as the sysctl prints it" },
	{ "idle.", "cpuidle state's 'disabled by user' flag: 1 keeps the governor from entering that idle state (lower wake-up latency, more power), 0 allows it" },
	{ "pmqos.cpu_latency_us", "system-wide CPU-latency PM QoS request, microseconds or 'none': idle states with a longer exit latency are not entered (lower latency, more power)" },
	{ "pmqos.", "per-CPU resume-latency PM QoS request, microseconds or 'none': that CPU avoids idle states slower to leave" },
	{ "freq.", "cpufreq policy frequency limit (freq_qos request), kHz within the hardware range, or 'none'" },
	{ "irq.", "IRQ affinity: the CPU list (e.g. 0-3,8) that services the interrupt" },
};

static const struct meaning knobs[] = {
	{ "sched.latency_ns", "CFS targeted preemption latency: the period in which every runnable task runs once; larger favours throughput, smaller latency" },
	{ "sched.min_granularity_ns", "CFS minimum slice a task runs before it can be preempted; larger means fewer context switches" },
	{ "sched.idle_min_granularity_ns", "minimum slice of SCHED_IDLE tasks" },
	{ "sched.wakeup_granularity_ns", "CFS: how much less vruntime a waking task needs to preempt the running one; larger means fewer wake-up preemptions (throughput), smaller quicker wake-ups (latency)" },
	{ "sched.base_slice_ns", "EEVDF base time slice; larger fewer switches (throughput), smaller lower scheduling latency" },
	{ "sched.migration_cost_ns", "a task that ran within this long is cache-hot and not migrated by load balancing; larger means fewer migrations" },
	{ "sched.nr_migrate", "tasks moved at most per load-balancing pass" },
	{ "sched.numa_balancing.", "automatic NUMA balancing scan parameter" },
	{ "sysctl.vm.swappiness", "0-200: how readily anonymous memory is swapped relative to dropping page cache" },
	{ "sysctl.vm.dirty_ratio", "percent of memory that may be dirty before writers are throttled into writeback" },
	{ "sysctl.vm.dirty_background_ratio", "percent of memory dirty at which background writeback starts" },
	{ "sysctl.vm.dirty_expire_centisecs", "age at which dirty data is written back, 1/100 s" },
	{ "sysctl.vm.dirty_writeback_centisecs", "interval of the writeback threads' wake-ups, 1/100 s" },
	{ "sysctl.vm.vfs_cache_pressure", "how readily dentry and inode caches are reclaimed relative to page cache (100 = fair)" },
	{ "sysctl.vm.min_free_kbytes", "memory kept free for atomic allocations; higher wakes kswapd earlier" },
	{ "sysctl.vm.watermark_scale_factor", "distance between the zone watermarks in 1/10000 of memory: how early kswapd starts and how much it frees" },
	{ "sysctl.vm.stat_interval", "seconds between VM statistics updates (per-CPU drift against overhead)" },
	{ "sysctl.kernel.sched_autogroup_enabled", "1 groups tasks by session so that one session's many threads do not starve another's" },
	{ "sysctl.kernel.sched_cfs_bandwidth_slice_us", "run time a CPU takes from a cgroup's quota at once" },
	{ "sysctl.kernel.numa_balancing", "automatic NUMA balancing on (1) or off (0)" },
	{ "sysctl.kernel.timer_migration", "1 lets timers move to busy CPUs so that idle ones stay idle" },
	{ "sysctl.net.core.somaxconn", "maximum listen() backlog" },
	{ "sysctl.net.core.netdev_max_backlog", "packets queued per CPU when the interface receives faster than the kernel processes" },
	{ "sysctl.net.core.netdev_budget", "packets one NET_RX softirq round processes at most" },
	{ "sysctl.net.core.busy_poll", "microseconds poll/select busy-poll the device queue before sleeping (lower latency, more CPU)" },
	{ "sysctl.net.core.busy_read", "microseconds a socket read busy-polls the device queue" },
	{ "sysctl.net.ipv4.tcp_rmem", "TCP receive buffer min, default and max bytes (autotuning range)" },
	{ "sysctl.net.ipv4.tcp_wmem", "TCP send buffer min, default and max bytes" },
	{ "sysctl.net.ipv4.tcp_congestion_control", "congestion control algorithm" },
	{ "sysctl.net.ipv4.tcp_slow_start_after_idle", "1 resets the congestion window after an idle period" },
	{ "sysctl.net.ipv4.tcp_autocorking", "1 lets TCP coalesce small writes while earlier packets are queued" },
	{ "sysctl.net.ipv4.tcp_notsent_lowat", "unsent bytes at which a socket stops being writable" },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The longest entry that is the name or, ending in '.', a prefix of it. */
static const char *lookup(const struct meaning *m, size_t n, const char *name)
{
	const char *best = NULL;
	size_t i, len, best_len = 0;

	for (i = 0; i < n; i++) {
		len = strlen(m[i].prefix);
		if (m[i].prefix[len - 1] == '.' ? strncmp(name, m[i].prefix, len) :
		    strcmp(name, m[i].prefix))
			continue;
		if (len > best_len) {
			best = m[i].text;
			best_len = len;
		}
	}
	return best;
}

/* nic.IFNAME.PARAM is read from the right: no prefix names the class. */
static const char *nic_coal_meaning(const char *name)
{
	const struct knob_nic_coal_param *param;
	char ifname[KNOB_IFNAMSIZ];

	if (strncmp(name, "nic.", 4) ||
	    knob_nic_coal_parse(name + 4, ifname, &param))
		return NULL;
	if (!strcmp(param->ethtool_opt, "-G"))
		return "NIC ring size (ethtool -G), descriptors up to the driver's maximum: larger absorbs bursts without drops, at more memory and cache footprint; most drivers reset the link to change it";
	if (!strncmp(param->name, "adaptive_", 9))
		return "NIC adaptive interrupt coalescing (ethtool -C), 0 or 1: the driver picks the delay from the traffic itself";
	return "NIC interrupt coalescing (ethtool -C): microseconds or frames the device waits before raising an interrupt; higher means fewer interrupts and less CPU, lower means less latency";
}

const char *knob_class_meaning(const char *name)
{
	const char *text = nic_coal_meaning(name);

	if (!text)
		text = lookup(classes, N(classes), name);

	return text ? text : "a kernel tunable";
}

const char *knob_meaning(const char *name)
{
	return lookup(knobs, N(knobs), name);
}
