/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Parsers of the output of the workloads Debian packages: hackbench and
 * cyclictest (rt-tests), stress-ng --yaml, fio --output-format=json,
 * sysbench, redis-benchmark --csv, wrk --latency, sockperf ping-pong and
 * under-load (percentiles as latency_p50_us, latency_p999_us, ...) and
 * memcaslap -S (libmemcached-tools' memaslap: averages, no percentiles).
 *
 * Each sets what it finds, with common names where the meaning is common
 * (throughput, latency_avg_us, latency_p50_us, latency_p95_us,
 * latency_p99_us, latency_max_us, errors) next to the workload's own
 * (msgs_per_s, iops, requests_per_s). Output missing some parts gives the
 * metrics of the parts that are there; the objective's absence is the
 * loop's to report.
 */
#ifndef OSTUNE_PARSERS_H
#define OSTUNE_PARSERS_H

#include <stddef.h>

#include "measure/metrics.h"

struct parser {
	const char *name;
	/* what the output looks like, for error messages */
	const char *expects;
	/*
	 * 0 when at least one metric was found; -EINVAL with why filled
	 * when the text has nothing recognisable; -ENOMEM.
	 */
	int (*parse)(const char *text, struct metrics *m, char *why,
		     size_t len);
};

/* By name ("hackbench", "cyclictest", "stress-ng", "fio", "sysbench",
 * "redis-benchmark", "wrk", "sockperf", "memcaslap"); NULL when unknown. */
const struct parser *parser_find(const char *name);

#endif /* OSTUNE_PARSERS_H */
