/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Target pinning (the config's target.cpus): the workload's processes
 * run on those CPUs, and ostune itself on the others, so that the loop's
 * own work (heartbeats, parsing, proxies) never takes the workload's CPU
 * time nor its caches.
 */
#ifndef OSTUNE_PIN_H
#define OSTUNE_PIN_H

#include <sched.h>
#include <stddef.h>

/*
 * cpus (a CPU list) against the online CPUs of sysroot: every one online,
 * and at least one online CPU left for ostune. 0, or -EINVAL with why.
 */
int pin_check(const char *cpus, const char *sysroot, char *why, size_t len);

/*
 * Moves ostune to the CPUs it may run on other than cpus and fills
 * target with cpus, for the children (waiter.child_cpus). 0, or -errno
 * with why (no CPU left, or the kernel refused).
 */
int pin_apply(const char *cpus, cpu_set_t *target, char *why, size_t len);

#endif /* OSTUNE_PIN_H */
