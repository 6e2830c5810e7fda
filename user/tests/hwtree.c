// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A host's hardware knobs as files, shaped like what the VM tier's fake
 * cpuidle and cpufreq drivers (selftests/fixtures/) make the kernel show.
 */
#include <stdio.h>

#include "unit.h"

#define CPU "sys/devices/system/cpu/"

static void idle_state(struct test_ctx *t, int cpu, int state,
		       const char *name, const char *desc, const char *latency,
		       const char *residency, const char *disable)
{
	char dir[128], path[160];

	snprintf(dir, sizeof(dir), CPU "cpu%d/cpuidle/state%d/", cpu, state);
	snprintf(path, sizeof(path), "%sname", dir);
	fixture_file(t, path, name, 0444);
	snprintf(path, sizeof(path), "%sdesc", dir);
	fixture_file(t, path, desc, 0444);
	snprintf(path, sizeof(path), "%slatency", dir);
	fixture_file(t, path, latency, 0444);
	snprintf(path, sizeof(path), "%sresidency", dir);
	fixture_file(t, path, residency, 0444);
	snprintf(path, sizeof(path), "%sdisable", dir);
	fixture_file(t, path, disable, 0644);
	snprintf(path, sizeof(path), "%susage", dir);
	fixture_file(t, path, "12345\n", 0444);
}

void fixture_idle_tree(struct test_ctx *t)
{
	int cpu;

	fixture_file(t, CPU "cpuidle/current_driver", "fake_cpuidle\n", 0444);
	for (cpu = 0; cpu < 2; cpu++) {
		idle_state(t, cpu, 0, "POLL\n", "CPUIDLE CORE POLL IDLE\n",
			   "0\n", "0\n", "0\n");
		idle_state(t, cpu, 1, "FAKE-C1\n", "fake C1\n", "2\n",
			   "10\n", "0\n");
		idle_state(t, cpu, 2, "FAKE-C2\n", "fake C2\n", "50\n",
			   "150\n", cpu ? "1\n" : "0\n");
	}
	/* not canonical names of a CPU or a state: no knobs */
	fixture_file(t, CPU "cpu01/cpuidle/state0/disable", "0\n", 0644);
	fixture_file(t, CPU "cpu0/cpuidle/state01/disable", "0\n", 0644);
}

static void policy_file(struct test_ctx *t, int policy, const char *file,
			const char *content)
{
	char path[160];

	snprintf(path, sizeof(path), CPU "cpufreq/policy%d/%s", policy, file);
	fixture_file(t, path, content, 0444);
}

void fixture_freq_tree(struct test_ctx *t)
{
	policy_file(t, 0, "cpuinfo_min_freq", "800000\n");
	policy_file(t, 0, "cpuinfo_max_freq", "2400000\n");
	policy_file(t, 0, "scaling_min_freq", "1600000\n");
	policy_file(t, 0, "scaling_max_freq", "2400000\n");
	policy_file(t, 0, "scaling_available_frequencies",
		    "800000 1200000 1600000 2000000 2400000 \n");
	policy_file(t, 0, "scaling_driver", "fake_cpufreq\n");
	policy_file(t, 0, "related_cpus", "0 1 2 3\n");

	policy_file(t, 4, "cpuinfo_min_freq", "1000000\n");
	policy_file(t, 4, "cpuinfo_max_freq", "3000000\n");
	policy_file(t, 4, "scaling_min_freq", "1000000\n");
	policy_file(t, 4, "scaling_max_freq", "2000000\n");
	policy_file(t, 4, "scaling_driver", "fake_cpufreq\n");
	policy_file(t, 4, "related_cpus", "4 5 7\n");
}

/*
 * On top of fixture_freq_tree(): governors, EPP on policy0 only (as on a
 * host whose driver has it for some policies), boost and intel_pstate.
 */
void fixture_freqpolicy_tree(struct test_ctx *t)
{
	policy_file(t, 0, "scaling_governor", "schedutil\n");
	policy_file(t, 0, "scaling_available_governors",
		    "performance schedutil \n");
	policy_file(t, 0, "energy_performance_preference",
		    "balance_performance\n");
	policy_file(t, 0, "energy_performance_available_preferences",
		    "default performance balance_performance balance_power power \n");
	policy_file(t, 4, "scaling_governor", "performance\n");
	policy_file(t, 4, "scaling_available_governors",
		    "performance powersave\n");
	fixture_file(t, CPU "cpufreq/boost", "1\n", 0644);
	fixture_file(t, CPU "intel_pstate/no_turbo", "0\n", 0644);
	fixture_file(t, CPU "intel_pstate/min_perf_pct", "8\n", 0644);
	fixture_file(t, CPU "intel_pstate/max_perf_pct", "100\n", 0644);
}

void fixture_pmqos_tree(struct test_ctx *t)
{
	fixture_file(t, "dev/cpu_dma_latency", "20\n", 0600);
	fixture_file(t, CPU "cpu0/power/pm_qos_resume_latency_us", "0\n",
		     0644);
	fixture_file(t, CPU "cpu1/power/pm_qos_resume_latency_us", "n/a\n",
		     0644);
	fixture_file(t, CPU "cpu10/power/pm_qos_resume_latency_us", "100\n",
		     0644);
	fixture_file(t, CPU "cpu2/power/autosuspend_delay_ms", "0\n", 0644);
}

static void irq_dir(struct test_ctx *t, int irq, const char *affinity,
		    const char *effective, unsigned int mode)
{
	char path[96];

	snprintf(path, sizeof(path), "proc/irq/%d/smp_affinity_list", irq);
	fixture_file(t, path, affinity, mode);
	snprintf(path, sizeof(path), "proc/irq/%d/effective_affinity_list",
		 irq);
	fixture_file(t, path, effective, 0444);
}

void fixture_irq_tree(struct test_ctx *t)
{
	fixture_file(t, "proc/interrupts",
		"           CPU0       CPU1       CPU2       CPU3       \n"
		"  0:         44          0          0          0   IO-APIC   2-edge      timer\n"
		"  8:          0          0          1          0   IO-APIC   8-edge      rtc0\n"
		" 26:          0         13          0          0   IO-APIC   4-edge      ttyS0\n"
		" 36:       4071          0          0          0 PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0\n"
		" 40:          7          0          0          0   IO-APIC  16-fasteoi   ehci_hcd:usb1, uhci_hcd:usb2\n"
		" 41:          0          0          0          0   IO-APIC  17-fasteoi\n"
		" 99:          0          0          0          0   IO-APIC  18-fasteoi   gone\n"
		"NMI:          0          0          0          0   Non-maskable interrupts\n"
		"LOC:      12345      12345      12345      12345   Local timer interrupts\n"
		"ERR:          0\n"
		"MIS:          0\n", 0444);
	irq_dir(t, 0, "0\n", "0\n", 0644);
	irq_dir(t, 8, "0-3\n", "2\n", 0644);
	irq_dir(t, 26, "0-3\n", "1\n", 0644);
	/* kernel-managed: newer kernels make its affinity read-only */
	irq_dir(t, 36, "0-1\n", "0\n", 0444);
	irq_dir(t, 40, "2-3\n", "2\n", 0644);
	irq_dir(t, 41, "0-3\n", "0\n", 0644);
	/* 99 has no /proc/irq/99: the row is skipped */
	fixture_file(t, CPU "online", "0-7\n", 0444);
}

static void queue_file(struct test_ctx *t, const char *dev, const char *queue,
		       const char *attr, const char *content)
{
	char path[160];

	snprintf(path, sizeof(path), "sys/class/net/%s/queues/%s/%s", dev,
		 queue, attr);
	fixture_file(t, path, content, 0644);
}

/*
 * eth0 with two queues of each kind (RPS on rx-1, a flow table, an XPS
 * map per tx queue), its VLAN eth0.100 and lo with one queue each: no
 * XPS to read there, as the kernel shows none for one tx queue.
 */
void fixture_nic_tree(struct test_ctx *t)
{
	queue_file(t, "eth0", "rx-0", "rps_cpus", "00000000,00000000\n");
	queue_file(t, "eth0", "rx-0", "rps_flow_cnt", "0\n");
	queue_file(t, "eth0", "rx-1", "rps_cpus", "00000000,0000000d\n");
	queue_file(t, "eth0", "rx-1", "rps_flow_cnt", "4096\n");
	queue_file(t, "eth0", "tx-0", "xps_cpus", "00000000,00000001\n");
	queue_file(t, "eth0", "tx-1", "xps_cpus", "00000000,00000002\n");
	queue_file(t, "eth0", "tx-1", "tx_maxrate", "0\n");
	/* not a canonical queue: no knob */
	queue_file(t, "eth0", "rx-01", "rps_cpus", "0\n");
	queue_file(t, "eth0.100", "rx-0", "rps_cpus", "f\n");
	queue_file(t, "eth0.100", "rx-0", "rps_flow_cnt", "0\n");
	queue_file(t, "eth0.100", "tx-0", "tx_maxrate", "0\n");
	queue_file(t, "lo", "rx-0", "rps_cpus", "0\n");
	queue_file(t, "lo", "rx-0", "rps_flow_cnt", "0\n");
	queue_file(t, "lo", "tx-0", "tx_maxrate", "0\n");
	fixture_file(t, "sys/class/net/bonding_masters", "\n", 0644);
}

void fixture_hw_tree(struct test_ctx *t)
{
	fixture_idle_tree(t);
	fixture_freq_tree(t);
	fixture_pmqos_tree(t);
	fixture_irq_tree(t);
}
