// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fixed knobs of a tuning config against this host's (fixed.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "knobs/changeset.h"
#include "tune/fixed.h"

static int check_pattern(const char *pattern, const char *value,
			 const struct knob_list *known, char *why, size_t len)
{
	const struct knob **match = calloc(known->n + 1, sizeof(*match));
	size_t i, n;
	int ret = match ? 0 : -ENOMEM;

	n = match ? changeset_match(known, pattern, true, match, NULL) : 0;
	if (match && !n) {
		snprintf(why, len, "fixed: %s matches no knob on this host that takes a value now (see 'ostune knobs %s')",
			 pattern, pattern);
		ret = -EINVAL;
	}
	for (i = 0; !ret && i < n; i++)
		if (knob_value_check(match[i], value, why, len)) {
			char reason[512];

			snprintf(reason, sizeof(reason), "%s", why);
			snprintf(why, len, "fixed: %s: %s", pattern, reason);
			ret = -EINVAL;
		}
	free(match);
	return ret;
}

int fixed_check(const json_t *fixed, const struct knob_list *known, char *why,
		size_t len)
{
	const struct knob *k;
	const char *name;
	char reason[512];
	json_t *v;
	int ret = 0;

	json_object_foreach((json_t *)fixed, name, v) {
		const char *value = json_string_value(v);

		if (knob_is_pattern(name)) {
			ret = check_pattern(name, value, known, why, len);
			if (ret)
				return ret;
			continue;
		}
		k = knob_list_find(known, name);
		if (!k) {
			snprintf(why, len, "fixed: %s: no such knob on this host (see 'ostune knobs')",
				 name);
			return -EINVAL;
		}
		if (knob_value_check(k, value, reason, sizeof(reason))) {
			snprintf(why, len, "fixed: %s", reason);
			return -EINVAL;
		}
	}
	return 0;
}
