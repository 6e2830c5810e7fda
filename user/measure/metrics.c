// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Metric sets. A window has a few dozen metrics at most, so a flat array
 * searched linearly is the simplest thing that is fast enough.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/metrics.h"

const struct metric *metrics_find(const struct metrics *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->items[i].name, name))
			return &m->items[i];
	return NULL;
}

int metrics_set(struct metrics *m, const char *name, double value,
		const char *unit)
{
	struct metric *it = (struct metric *)metrics_find(m, name);

	if (!it) {
		if (m->n == m->cap) {
			size_t cap = m->cap ? 2 * m->cap : 32;
			struct metric *grown = realloc(m->items,
						       cap * sizeof(*grown));

			if (!grown)
				return -ENOMEM;
			m->items = grown;
			m->cap = cap;
		}
		it = &m->items[m->n++];
		snprintf(it->name, sizeof(it->name), "%s", name);
	}
	snprintf(it->unit, sizeof(it->unit), "%s", unit ? unit : "");
	it->value = value;
	return 0;
}

double metrics_value(const struct metrics *m, const char *name)
{
	const struct metric *it = metrics_find(m, name);

	return it ? it->value : NAN;
}

void metrics_clear(struct metrics *m)
{
	m->n = 0;
}

void metrics_free(struct metrics *m)
{
	free(m->items);
	memset(m, 0, sizeof(*m));
}

json_t *metrics_to_json(const struct metrics *m)
{
	json_t *obj = json_object();
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct metric *it = &m->items[i];

		/* JSON has no NaN or infinity; such a value is no value. */
		if (!isfinite(it->value))
			continue;
		json_object_set_new(obj, it->name,
				    json_pack("{s:f,s:s}", "value", it->value,
					      "unit", it->unit));
	}
	return obj;
}
