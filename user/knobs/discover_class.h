/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What discover.c gives the per-class discoverers (discover_<class>.c),
 * one per kernel knob class as in kmod/class_<class>.c.
 */
#ifndef OSTUNE_DISCOVER_CLASS_H
#define OSTUNE_DISCOVER_CLASS_H

#include <linux/ostune.h>

#include "knobs/discover.h"
#include "knobs/ethtool_nl.h"
#include "knobs/sysread.h"

#define CPU_DIR "sys/devices/system/cpu"

struct discovery {
	int rootfd;		/* the sysroot */
	/* CPU_DIR/online ("0-3"), empty when it cannot be read */
	char online[OSTUNE_VALUE_MAX];
	struct knob_list *list;
	size_t cap;
	int error;		/* the first error; later calls do nothing */
	/* who answers for the devices' coalescing and rings, or NULL */
	const struct nic_coal_source *coal;
};

/*
 * Adds a knob (copying the strings; domain may be NULL). Returns it, good
 * until the next discovery_add(), or NULL once an error happened.
 */
struct knob *discovery_add(struct discovery *d, const char *name,
			   enum knob_class cls, const char *value,
			   const char *domain);
/* Adds a detail to k (NULL is ignored, as are details beyond the max). */
void discovery_detail(struct discovery *d, struct knob *k, const char *key,
		      const char *unit, const char *value);
/*
 * Is the CPU known to be offline? The kernel refuses new values for its
 * idle states and resume latency (not knowing is taken as online).
 */
bool discovery_cpu_offline(const struct discovery *d, unsigned int cpu);

/*
 * Marks k fixed (see struct knob) with the detail state=why; k may be
 * NULL.
 */
void discovery_fix(struct discovery *d, struct knob *k, const char *why);

/* Records -ENOMEM (or another error) for discover_knobs() to return. */
void discovery_fail(struct discovery *d, int error);

/*
 * Calls visit for every entry of the directory open at fd but "." and
 * "..", until an error; closes fd.
 */
void discovery_for_each_entry(struct discovery *d, int fd,
			      void (*visit)(struct discovery *d, int dirfd,
					    const char *entry,
					    const char *prefix, void *arg),
			      const char *prefix, void *arg);

void discover_sched(struct discovery *d);
void discover_sysctl(struct discovery *d);
void discover_idle(struct discovery *d);
void discover_pmqos(struct discovery *d);
void discover_freq(struct discovery *d);
void discover_irq(struct discovery *d);
void discover_mm(struct discovery *d);
void discover_wq(struct discovery *d);
void discover_nic(struct discovery *d);
void discover_niccoal(struct discovery *d);

#endif /* OSTUNE_DISCOVER_CLASS_H */
