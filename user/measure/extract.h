/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Metrics out of any program's output, as a command target's config
 * names them:
 *
 *	"metrics": {
 *	  "rate":   {"json": "results.0.ops_per_sec", "unit": "ops/s"},
 *	  "p99_us": {"regex": "p99=([0-9.]+)", "unit": "us"},
 *	  "errors": {"key": "errors"}
 *	}
 *
 * json: a dotted path into the JSON document the output holds (numeric
 * components index arrays); regex: a POSIX extended regular expression,
 * its first group (or the whole match) read as a number; key: the value
 * of a "key=value" line.
 */
#ifndef OSTUNE_EXTRACT_H
#define OSTUNE_EXTRACT_H

#include <stddef.h>

#include <jansson.h>

#include "measure/metrics.h"

/* Checks the config's "metrics" object. -EINVAL with why filled. */
int extract_check(const json_t *spec, char *why, size_t len);
/*
 * Sets every metric of spec that text has. Metrics it lacks are left out
 * and named in missing (comma separated, truncated to len). 0 or -ENOMEM.
 */
int extract_metrics(const json_t *spec, const char *text, struct metrics *m,
		    char *missing, size_t len);

#endif /* OSTUNE_EXTRACT_H */
