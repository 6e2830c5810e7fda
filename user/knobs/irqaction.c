// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IRQ action names. Discovery keeps an IRQ's handlers in its "irq-name"
 * detail, comma-separated (a shared IRQ has several).
 */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include <linux/ostune.h>

#include "knobs/irqaction.h"

bool irq_action_matches(const char *name, const struct knob *k)
{
	char glob[OSTUNE_NAME_MAX], one[OSTUNE_VALUE_MAX];
	const char *actions = knob_detail(k, "irq-name");

	if (k->cls != KNOB_CLASS_IRQ || !actions ||
	    knob_irq_action_glob(name, glob, sizeof(glob)) <= 0)
		return false;
	while (*actions) {
		size_t n = strcspn(actions, ",");

		snprintf(one, sizeof(one), "%.*s", (int)n, actions);
		if (!fnmatch(glob, one, 0))
			return true;
		actions += n + (actions[n] == ',');
	}
	return false;
}

bool irq_action_name_of(const struct knob_list *known, const char *name,
			char *out, size_t len)
{
	const struct knob *k = knob_list_find(known, name);
	const char *handler = k ? knob_detail(k, "irq-name") : NULL;
	size_t i;

	if (!handler || k->cls != KNOB_CLASS_IRQ ||
	    strpbrk(handler, ",*?[]\\") ||
	    (size_t)snprintf(out, len, IRQ_ACTION_PREFIX "%s" IRQ_ACTION_SUFFIX,
			     handler) >= len ||
	    strlen(out) >= OSTUNE_NAME_MAX || knob_irq_action_check(out, NULL, 0))
		return false;
	for (i = 0; i < known->n; i++)
		if (&known->items[i] != k && irq_action_matches(out, &known->items[i]))
			return false;
	return true;
}
