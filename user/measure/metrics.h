/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A window's metrics: names with a value and a unit. Direct metrics come
 * from the target's output (throughput, latency percentiles, errors),
 * proxy metrics from the loop's own counters (CPU time, context switches,
 * pressure, interrupts, energy).
 *
 * Names are lower_snake_case and end in their unit where one applies
 * (latency_p99_us, cpu_busy_pct, ctx_switches_per_s); the unit is also
 * kept beside the value, so history says it explicitly.
 */
#ifndef OSTUNE_METRICS_H
#define OSTUNE_METRICS_H

#include <stddef.h>

#include <jansson.h>

#define METRIC_NAME_MAX	64
#define METRIC_UNIT_MAX	16

struct metric {
	char name[METRIC_NAME_MAX];
	char unit[METRIC_UNIT_MAX];
	double value;
};

struct metrics {
	struct metric *items;
	size_t n;
	size_t cap;
};

/* Sets (or replaces) name. 0 or -ENOMEM. */
int metrics_set(struct metrics *m, const char *name, double value,
		const char *unit);
/* The value, or NaN when the metric is absent. */
double metrics_value(const struct metrics *m, const char *name);
const struct metric *metrics_find(const struct metrics *m, const char *name);
void metrics_clear(struct metrics *m);
void metrics_free(struct metrics *m);

/* {"name": {"value": V, "unit": U}, ...} in insertion order. */
json_t *metrics_to_json(const struct metrics *m);

#endif /* OSTUNE_METRICS_H */
