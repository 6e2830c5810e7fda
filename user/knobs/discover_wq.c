// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wq: wq.cpumask, the unbound workqueue CPU mask of
 * SYSROOT/sys/devices/virtual/workqueue/cpumask, which the file shows in
 * hex and the knob as a CPU list. Kernels from 6.6 also show the mask
 * asked for and the isolated CPUs left out of it.
 */
#include <stdio.h>

#include <linux/ostune.h>

#include "knobs/discover_class.h"

#define WQ_DIR "sys/devices/virtual/workqueue"

/* The file's hex mask as a CPU list, or false. */
static bool read_mask(struct discovery *d, const char *path, char *buf,
		      size_t size)
{
	return read_text_at(d->rootfd, path, buf, size) &&
	       hexmask_to_cpulist(buf, size);
}

void discover_wq(struct discovery *d)
{
	char value[OSTUNE_VALUE_MAX], possible[OSTUNE_VALUE_MAX];
	char domain[OSTUNE_VALUE_MAX + 16];
	struct knob *k;

	if (!read_mask(d, WQ_DIR "/cpumask", value, sizeof(value)))
		return;
	/* offline CPUs too: the kernel's own default is every possible CPU */
	if (read_text_at(d->rootfd, CPU_DIR "/possible", possible,
			 sizeof(possible)))
		snprintf(domain, sizeof(domain), "CPU list in %s", possible);
	else
		snprintf(domain, sizeof(domain), "CPU list");
	k = discovery_add(d, "wq.cpumask", KNOB_CLASS_WQ, value, domain);
	if (k && read_mask(d, WQ_DIR "/cpumask_requested", value, sizeof(value)))
		discovery_detail(d, k, "requested", NULL, value);
	if (k && read_mask(d, WQ_DIR "/cpumask_isolated", value, sizeof(value)))
		discovery_detail(d, k, "isolated", NULL, *value ? value : "none");
}
