// SPDX-License-Identifier: GPL-2.0
/*
 * idle.cpu<N>.state<K>.disable: the cpuidle "disabled by user" flag of
 * state K on CPU N, through its sysfs attribute under the module's own
 * sysfs mount, whose store sets and clears CPUIDLE_STATE_DISABLED_BY_USER
 * under the cpuidle core's rules.
 * The knob belongs to the CPU number: a restore after hotplug goes to the
 * same CPU, never to another.
 */
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ostune.h"

/* cpu<N>.state<K>.disable */
static int idle_parse(const char *sub, unsigned int *cpu, unsigned int *state)
{
	const char *rest;

	rest = ostune_parse_index(sub, "cpu", cpu);
	if (rest)
		rest = ostune_parse_index(rest, "state", state);
	if (!rest || strcmp(rest, "disable"))
		return -EINVAL;
	return 0;
}

static int idle_open(struct ostune_knob_file *kf, bool write, char *why,
		     size_t len)
{
	unsigned int cpu, state;
	char *path;
	int ret;

	if (idle_parse(kf->knob->sub, &cpu, &state)) {
		snprintf(why, len, "bad idle name (want idle.cpuN.stateK.disable)");
		return -EINVAL;
	}
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
		snprintf(why, len, "no cpu%u on this host", cpu);
		return -ENOENT;
	}
	path = kasprintf(GFP_KERNEL,
			 "devices/system/cpu/cpu%u/cpuidle/state%u/disable",
			 cpu, state);
	if (!path)
		return -ENOMEM;
	ret = ostune_text_open(kf, OSTUNE_FS_SYSFS, path, write);
	kfree(path);
	if (ret == -ENOENT)
		snprintf(why, len, "no idle state%u on cpu%u (cpuidle driver?)",
			 state, cpu);
	else if (ret)
		snprintf(why, len, "cannot open: error %d", ret);
	return ret;
}

static int idle_check_value(const struct ostune_knob *knob, const char *value,
			    char *why, size_t len)
{
	unsigned int cpu, state;

	if (strcmp(value, "0") && strcmp(value, "1")) {
		snprintf(why, len, "'%.16s' is not 0 or 1", value);
		return -EINVAL;
	}
	if (!idle_parse(knob->sub, &cpu, &state) && !cpu_online(cpu)) {
		snprintf(why, len, "cpu%u is offline", cpu);
		return -EINVAL;
	}
	return 0;
}

const struct ostune_class ostune_idle_class = {
	.prefix		= "idle",
	.open		= idle_open,
	.close		= ostune_text_close,
	.check_value	= idle_check_value,
	.read		= ostune_text_read,
	.write		= ostune_text_write,
};
