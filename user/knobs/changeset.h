/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A changeset: knob names (or patterns) with the values wanted for them,
 * from KNOB=VALUE arguments, a profile or a tuning run's configuration,
 * and the resolved list of real knob names that goes to the kernel as one
 * transaction (module_apply()).
 */
#ifndef OSTUNE_CHANGESET_H
#define OSTUNE_CHANGESET_H

#include <stdbool.h>
#include <stddef.h>

#include "knobs/discover.h"

struct change {
	char *name;
	char *value;	/* NULL when only names matter (get, restore) */
};

struct changeset {
	struct change *items;
	size_t n;
	size_t cap;
};

void changeset_free(struct changeset *cs);

/*
 * Adds name=value; a name already present keeps its place and takes the
 * new value, so later assignments win. 0 or -ENOMEM.
 */
int changeset_set(struct changeset *cs, const char *name, const char *value);

/* Adds "KNOB=VALUE"; -EINVAL with why filled if arg is not of that form. */
int changeset_add_assignment(struct changeset *cs, const char *arg, char *why,
			     size_t len);

bool changeset_has_patterns(const struct changeset *cs);

/*
 * Checks every name the way the kernel will, and replaces each pattern by
 * the knobs of known it matches (known may be NULL when there are none);
 * a pattern given a value skips fixed knobs. Errors, with why filled:
 * -EINVAL/-ENOENT/-EACCES for a bad name (see knob_name_check()), -ENOENT
 * for a pattern matching nothing (or, with a value, only fixed knobs),
 * -ENOMEM.
 */
int changeset_resolve(const struct changeset *requested,
		      const struct knob_list *known, struct changeset *out,
		      char *why, size_t len);

/*
 * The one rule of what a pattern stands for: fills matches (room for
 * known->n) with the knobs of known it matches, in discovery order, and
 * returns how many; with settable, only those that can take a value now.
 * Assigning through a pattern ("irq.*.affinity=0-3") means those: one
 * IRQ the kernel will not move, or one offline CPU, must not fail the
 * whole transaction. *matched (unless NULL) is how many matched at all.
 */
size_t changeset_match(const struct knob_list *known, const char *pattern,
		       bool settable, const struct knob **matches,
		       size_t *matched);

#endif /* OSTUNE_CHANGESET_H */
