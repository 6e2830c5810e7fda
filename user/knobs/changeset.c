// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Changesets: ordered, one entry per knob, later assignments winning, so
 * that a profile can set a pattern and then override single knobs of it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knobs/changeset.h"

void changeset_free(struct changeset *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		free(cs->items[i].name);
		free(cs->items[i].value);
	}
	free(cs->items);
	memset(cs, 0, sizeof(*cs));
}

static int dup_value(const char *value, char **out)
{
	*out = NULL;
	if (!value)
		return 0;
	*out = strdup(value);
	return *out ? 0 : -ENOMEM;
}

int changeset_set(struct changeset *cs, const char *name, const char *value)
{
	struct change *ch;
	size_t i;

	for (i = 0; i < cs->n; i++) {
		char *copy;

		if (strcmp(cs->items[i].name, name))
			continue;
		if (dup_value(value, &copy))
			return -ENOMEM;
		free(cs->items[i].value);
		cs->items[i].value = copy;
		return 0;
	}
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? 2 * cs->cap : 16;
		struct change *grown = realloc(cs->items, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		cs->items = grown;
		cs->cap = cap;
	}
	ch = &cs->items[cs->n];
	ch->name = strdup(name);
	if (!ch->name || dup_value(value, &ch->value)) {
		free(ch->name);
		return -ENOMEM;
	}
	cs->n++;
	return 0;
}

int changeset_add_assignment(struct changeset *cs, const char *arg, char *why,
			     size_t len)
{
	const char *eq = strchr(arg, '=');
	char *name;
	int ret;

	if (!eq) {
		snprintf(why, len, "'%s': want KNOB=VALUE", arg);
		return -EINVAL;
	}
	if (eq == arg) {
		snprintf(why, len, "'%s': no knob name before '='", arg);
		return -EINVAL;
	}
	if (!eq[1]) {
		snprintf(why, len, "'%s': no value after '='", arg);
		return -EINVAL;
	}
	name = strndup(arg, eq - arg);
	if (!name)
		return -ENOMEM;
	ret = changeset_set(cs, name, eq + 1);
	free(name);
	return ret;
}

bool changeset_has_patterns(const struct changeset *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		if (knob_is_pattern(cs->items[i].name))
			return true;
	return false;
}

static int expand_pattern(const struct change *ch,
			  const struct knob_list *known, struct changeset *out,
			  char *why, size_t len)
{
	const struct knob **matches;
	size_t i, n, matched;
	int ret;

	ret = knob_pattern_check(ch->name, why, len);
	if (ret)
		return ret;
	matches = calloc(known && known->n ? known->n : 1, sizeof(*matches));
	if (!matches)
		return -ENOMEM;
	/*
	 * With a value, only the knobs that take one now. A fixed knob named
	 * plainly still goes to the kernel, which says why it refuses.
	 */
	n = changeset_match(known, ch->name, ch->value, matches, &matched);
	if (!matched && knob_is_irq_action(ch->name)) {
		snprintf(why, len, "%s: no IRQ has a handler of that name ('ostune knobs irq.*' shows each IRQ's irq-name)",
			 ch->name);
		ret = -ENOENT;
	} else if (!matched) {
		snprintf(why, len, "%s: pattern matches no knob",
			 ch->name);
		ret = -ENOENT;
	}
	for (i = 0; i < n && !ret; i++)
		ret = changeset_set(out, matches[i]->name, ch->value);
	if (!ret && matched && !n) {
		snprintf(why, len,
			 "%s: pattern matches only knobs that take no value now (IRQs the kernel will not move, offline CPUs, inactive cpufreq policies)",
			 ch->name);
		ret = -ENOENT;
	}
	free(matches);
	return ret;
}

int changeset_resolve(const struct changeset *requested,
		      const struct knob_list *known, struct changeset *out,
		      char *why, size_t len)
{
	size_t i;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < requested->n && !ret; i++) {
		const struct change *ch = &requested->items[i];

		if (knob_is_pattern(ch->name))
			ret = expand_pattern(ch, known, out, why, len);
		else
			ret = knob_name_check(ch->name, NULL, why, len) ?:
			      changeset_set(out, ch->name, ch->value);
	}
	if (ret)
		changeset_free(out);
	return ret;
}

size_t changeset_match(const struct knob_list *known, const char *pattern,
		       bool settable, const struct knob **matches,
		       size_t *matched)
{
	size_t i, all = known ? knob_list_match(known, pattern, matches) : 0;
	size_t n = 0;

	for (i = 0; i < all; i++)
		if (!settable || !matches[i]->fixed)
			matches[n++] = matches[i];
	if (matched)
		*matched = all;
	return n;
}
