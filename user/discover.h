/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Discovery: the knobs this host has, found by reading the filesystem
 * under a sysroot prefix ("/" normally, a fixture tree in tests).
 */
#ifndef OSTUNE_DISCOVER_H
#define OSTUNE_DISCOVER_H

#include <stddef.h>

#include "knobname.h"

struct knob {
	char *name;
	enum knob_class cls;
	/* as read, whitespace runs folded to one space, ends trimmed */
	char *value;
};

/* Sorted by name, numbers in names in numeric order (cpu2 < cpu10). */
struct knob_list {
	struct knob *items;
	size_t n;
};

/*
 * sched: u32 files under SYSROOT/sys/kernel/debug/sched/ and its
 * numa_balancing/; sysctl: the allowlisted subtrees of SYSROOT/proc/sys.
 * Only files the owner may read and write, whose value fits what the
 * module can hold. Missing or unreadable directories just add nothing.
 * 0 or -ENOMEM.
 */
int discover_knobs(const char *sysroot, struct knob_list *out);
void knob_list_free(struct knob_list *list);

/* The value range when known ("0..4294967295" for sched), else NULL. */
const char *knob_domain(const struct knob *knob);

/*
 * Fills out (room for list->n) with the knobs pattern matches, in list
 * order, and returns how many.
 */
size_t knob_list_match(const struct knob_list *list, const char *pattern,
		       const struct knob **out);

/* In place: whitespace runs to one space, leading/trailing dropped. */
void fold_whitespace(char *s);

#endif /* OSTUNE_DISCOVER_H */
