/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Discovery: the knobs this host has, found by reading the filesystem
 * under a sysroot prefix ("/" normally, a fixture tree in tests).
 */
#ifndef OSTUNE_DISCOVER_H
#define OSTUNE_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "knobs/knobname.h"

#define KNOB_DETAILS_MAX 6

/*
 * A fact about a knob that is not its value: an idle state's name and
 * latency, a policy's effective limits, an IRQ's device.
 */
struct knob_detail {
	const char *key;	/* static: "name", "effective", ... */
	/*
	 * static or NULL: text shows it after the value ("latency=50us"),
	 * JSON after the key ("latency_us": "50")
	 */
	const char *unit;
	char *value;
};

struct knob {
	char *name;
	enum knob_class cls;
	/*
	 * As read, whitespace runs folded to one space, ends trimmed; "none"
	 * for QoS knobs, whose value is the module's own request.
	 */
	char *value;
	/* What values it takes ("0|1", "none|0..2147483646"), or NULL. */
	char *domain;
	/*
	 * The module refuses new values for it now: an IRQ that cannot be
	 * moved, a knob of an offline CPU, an inactive cpufreq policy.
	 */
	bool fixed;
	struct knob_detail details[KNOB_DETAILS_MAX];
	size_t ndetails;
};

/* Sorted by name, numbers in names in numeric order (cpu2 < cpu10). */
struct knob_list {
	struct knob *items;
	size_t n;
};

/*
 * Every class, each reading only what its kernel mechanism shows (see
 * the discover_*.c files): sched and sysctl files the owner may read and
 * write whose value fits what the module can hold; cpuidle states;
 * PM QoS; cpufreq policies; IRQs. Missing or unreadable directories just
 * add nothing. 0 or -ENOMEM.
 */
int discover_knobs(const char *sysroot, struct knob_list *out);

struct nic_coal_source;
/*
 * discover_knobs() with the nic coalescing and rings coming from coal
 * (NULL: none); discover_knobs() asks the kernel (knobs/ethtool_nl.c)
 * when sysroot is "/", and nothing otherwise: the kernel answers for this
 * host's devices, not for those of a tree elsewhere, and mixing the two
 * would show a fixture's device with this host's settings.
 */
int discover_knobs_from(const char *sysroot, const struct nic_coal_source *coal,
			struct knob_list *out);
void knob_list_free(struct knob_list *list);

/*
 * Marks k fixed, as discovery does when the kernel shows that it takes no
 * new value. 0 or -ENOMEM (k unchanged).
 */
int knob_mark_fixed(struct knob *k);

/*
 * 0 when the knob can take value as far as discovery knows: it is not
 * fixed (-EPERM), and the value is in its domain when that is a list of
 * words and integer ranges (-EINVAL); why filled on an error.
 */
int knob_value_check(const struct knob *k, const char *value, char *why,
		     size_t len);

/*
 * The sysroot's online CPUs as a CPU list ("0-3") into buf; false (buf
 * empty) when it does not say.
 */
bool discover_online_cpus(const char *sysroot, char *buf, size_t len);

/* The knob's domain, NULL when unknown. */
const char *knob_domain(const struct knob *knob);

/* The detail named key, or NULL. */
const char *knob_detail(const struct knob *knob, const char *key);

/* The knob named name, or NULL. */
const struct knob *knob_list_find(const struct knob_list *list,
				  const char *name);

/*
 * Fills out (room for list->n) with the knobs pattern matches, in list
 * order, and returns how many.
 */
size_t knob_list_match(const struct knob_list *list, const char *pattern,
		       const struct knob **out);

#endif /* OSTUNE_DISCOVER_H */
