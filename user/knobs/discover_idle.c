// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * idle: idle.cpu<N>.state<K>.disable for every cpuidle state in
 * SYSROOT/sys/devices/system/cpu/cpu<N>/cpuidle/state<K>/, with what the
 * state is and costs. An offline CPU keeps its cpuidle directory, and so
 * its knobs, which the module restores but takes no new values for.
 */
#include <stdio.h>
#include <stdlib.h>

#include <linux/ostune.h>

#include "knobs/discover_class.h"

/* The facts of one state worth seeing next to its flag. */
static const struct {
	const char *file, *key, *unit;
} state_details[] = {
	{ "name", "name", NULL },
	{ "latency", "latency", "us" },		/* exit latency */
	{ "residency", "residency", "us" },	/* target residency */
	{ "desc", "desc", NULL },
};

static void add_state(struct discovery *d, unsigned int cpu,
		      unsigned int state)
{
	char dir[128], path[160], value[OSTUNE_VALUE_MAX];
	char name[OSTUNE_NAME_MAX];
	struct knob *k;
	size_t i;

	snprintf(dir, sizeof(dir), CPU_DIR "/cpu%u/cpuidle/state%u", cpu,
		 state);
	snprintf(path, sizeof(path), "%s/disable", dir);
	if (!read_text_at(d->rootfd, path, value, sizeof(value)))
		return;
	snprintf(name, sizeof(name), "idle.cpu%u.state%u.disable", cpu, state);
	k = discovery_add(d, name, KNOB_CLASS_IDLE, value, "0|1");
	for (i = 0; i < sizeof(state_details) / sizeof(state_details[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir,
			 state_details[i].file);
		if (read_text_at(d->rootfd, path, value, sizeof(value)))
			discovery_detail(d, k, state_details[i].key,
					 state_details[i].unit, value);
	}
	if (discovery_cpu_offline(d, cpu))
		discovery_fix(d, k, "offline");
}

void discover_idle(struct discovery *d)
{
	unsigned int *cpus, *states;
	size_t ncpus, nstates, i, j;
	char path[128];
	int ret;

	ret = list_indexes_at(d->rootfd, CPU_DIR, "cpu", &cpus, &ncpus);
	if (ret) {
		discovery_fail(d, ret);
		return;
	}
	for (i = 0; i < ncpus && !d->error; i++) {
		snprintf(path, sizeof(path), CPU_DIR "/cpu%u/cpuidle", cpus[i]);
		ret = list_indexes_at(d->rootfd, path, "state", &states,
				      &nstates);
		if (ret) {
			discovery_fail(d, ret);
			break;
		}
		for (j = 0; j < nstates; j++)
			add_state(d, cpus[i], states[j]);
		free(states);
	}
	free(cpus);
}
