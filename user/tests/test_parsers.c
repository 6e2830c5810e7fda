// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The workload parsers on outputs captured from Debian 12's packages
 * (tests/data/), whole, partial (a killed run, a truncated file, an option
 * left out) and useless (no metrics at all).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "measure/parsers.h"
#include "measure/target.h"
#include "unit.h"

/* Parses tests/data/FILE with PARSER into m; returns the parser's result. */
static int parse_file(struct test_ctx *t, const char *parser, const char *file,
		      struct metrics *m, char *why, size_t len)
{
	char path[256];
	char *text;
	int ret;

	snprintf(path, sizeof(path), "tests/data/%s", file);
	text = read_text_file(path, 1 << 20);
	if (!text) {
		test_fail(t, __FILE__, __LINE__, "cannot read %s", path);
		return -EIO;
	}
	why[0] = '\0';
	ret = parser_find(parser)->parse(text, m, why, len);
	free(text);
	return ret;
}

#define CHECK_NEAR(t, got, want)					\
	do {								\
		double g_ = (got), w_ = (want);				\
		if (!(fabs(g_ - w_) <= 1e-6 * fmax(1, fabs(w_)))) {	\
			test_fail(t, __FILE__, __LINE__,		\
				  "%s is %g, want %g", #got, g_, w_);	\
			return;						\
		}							\
	} while (0)

#define CHECK_UNIT(t, m, name, want)					\
	do {								\
		const struct metric *it_ = metrics_find(m, name);	\
		CHECK(t, it_ != NULL);					\
		CHECK_STR(t, it_->unit, want);				\
	} while (0)

static void hackbench_process_mode(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "hackbench", "hackbench.txt", &m, why, sizeof(why)), 0);
	CHECK_NEAR(t, metrics_value(&m, "time_s"), 0.186);
	CHECK_UNIT(t, &m, "time_s", "s");
	/* 2 groups x 20 senders x 20 receivers x 200 messages in 0.186 s */
	CHECK_NEAR(t, metrics_value(&m, "msgs_per_s"), 2 * 20 * 20 * 200 / 0.186);
	CHECK_NEAR(t, metrics_value(&m, "throughput"), 2 * 20 * 20 * 200 / 0.186);
	metrics_free(&m);
}

static void hackbench_threads_pipe(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "hackbench", "hackbench-threads-pipe.txt", &m, why, sizeof(why)), 0);
	CHECK_NEAR(t, metrics_value(&m, "time_s"), 0.027);
	CHECK_NEAR(t, metrics_value(&m, "msgs_per_s"), 1 * 20 * 20 * 100 / 0.027);
	metrics_free(&m);
}

static void hackbench_killed_has_no_time(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "hackbench", "hackbench-killed.txt", &m, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "no 'Time:' line");
	CHECK_INT(t, m.n, 0);
	metrics_free(&m);
}

static void cyclictest_with_histogram(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "cyclictest", "cyclictest.json", &m, why, sizeof(why)), 0);
	CHECK_NEAR(t, metrics_value(&m, "latency_min_us"), 20);
	CHECK_NEAR(t, metrics_value(&m, "latency_max_us"), 2832);
	CHECK_NEAR(t, metrics_value(&m, "cycles"), 1986 + 1990);
	CHECK_NEAR(t, metrics_value(&m, "latency_avg_us"),
		   (1986 * 90.77 + 1990 * 95.68) / (1986 + 1990));
	CHECK_UNIT(t, &m, "latency_p99_us", "us");
	/* the histogram has it between the minimum and the maximum */
	CHECK(t, metrics_value(&m, "latency_p50_us") >= 20);
	CHECK(t, metrics_value(&m, "latency_p50_us") <= metrics_value(&m, "latency_p99_us"));
	CHECK(t, metrics_value(&m, "latency_p99_us") <= 2832);
	CHECK_NEAR(t, metrics_value(&m, "overflows"), 20);
	CHECK_NEAR(t, metrics_value(&m, "errors"), 0);
	metrics_free(&m);
}

static void cyclictest_without_histogram(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "cyclictest", "cyclictest-no-histogram.json", &m, why, sizeof(why)), 0);
	CHECK_NEAR(t, metrics_value(&m, "latency_max_us"), 2048);
	/* no histogram, no percentiles: left out, not made up */
	CHECK(t, isnan(metrics_value(&m, "latency_p99_us")));
	metrics_free(&m);
}

static void cyclictest_garbage(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parser_find("cyclictest")->parse("not json", &m, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "no \"thread\" results");
	metrics_free(&m);
}

static void stressng_yaml(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "stress-ng", "stress-ng.yaml", &m, why, sizeof(why)), 0);
	CHECK_NEAR(t, metrics_value(&m, "cpu_bogo_ops_per_s"), 1197.184441);
	CHECK_NEAR(t, metrics_value(&m, "switch_bogo_ops_per_s"), 256307.274569);
	CHECK_NEAR(t, metrics_value(&m, "switch_bogo_ops"), 512721);
	CHECK_NEAR(t, metrics_value(&m, "throughput"), 1197.184441 + 256307.274569);
	CHECK_UNIT(t, &m, "throughput", "bogo-ops/s");
	metrics_free(&m);
}

static void stressng_without_metrics(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "stress-ng", "stress-ng-no-metrics.yaml", &m, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "bogo-ops-per-second-real-time");
	metrics_free(&m);
}

static void fio_json(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "fio", "fio.json", &m, why, sizeof(why)), 0);
	CHECK_NEAR(t, metrics_value(&m, "iops"), 15784.107946);
	CHECK_NEAR(t, metrics_value(&m, "read_iops"), 15784.107946);
	CHECK_NEAR(t, metrics_value(&m, "bw_mib_s"), 64651706 / 1048576.0);
	CHECK_NEAR(t, metrics_value(&m, "latency_p50_us"), 58.624);
	CHECK_NEAR(t, metrics_value(&m, "latency_p95_us"), 71.168);
	CHECK_NEAR(t, metrics_value(&m, "latency_p99_us"), 98.816);
	CHECK_NEAR(t, metrics_value(&m, "errors"), 0);
	CHECK_UNIT(t, &m, "iops", "IO/s");
	metrics_free(&m);
}

static void fio_truncated(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "fio", "fio-truncated.json", &m, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "no \"jobs\"");
	metrics_free(&m);
}

static void fio_after_warnings(struct test_ctx *t)
{
	const char *text = "fio: some warning\n{\"jobs\": [{\"error\": 5, \"read\": {\"iops\": 10, \"total_ios\": 20}}]}\n";
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parser_find("fio")->parse(text, &m, why, sizeof(why)), 0);
	CHECK_NEAR(t, metrics_value(&m, "iops"), 10);
	CHECK_NEAR(t, metrics_value(&m, "errors"), 1);
	metrics_free(&m);
}

static void sysbench_cpu(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "sysbench", "sysbench-cpu.txt", &m, why, sizeof(why)), 0);
	CHECK_NEAR(t, metrics_value(&m, "events_per_s"), 9976.29);
	CHECK_NEAR(t, metrics_value(&m, "throughput"), 9976.29);
	CHECK_NEAR(t, metrics_value(&m, "latency_avg_us"), 200);
	CHECK_NEAR(t, metrics_value(&m, "latency_max_us"), 2880);
	CHECK_NEAR(t, metrics_value(&m, "latency_p95_us"), 210);
	metrics_free(&m);
}

static void sysbench_threads_rate_from_totals(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "sysbench", "sysbench-threads.txt", &m, why, sizeof(why)), 0);
	/* no "events per second" line: total events over total time */
	CHECK_NEAR(t, metrics_value(&m, "events_per_s"), 3438 / 2.0018);
	CHECK_NEAR(t, metrics_value(&m, "latency_p95_us"), 2390);
	metrics_free(&m);
}

static void sysbench_nothing(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parser_find("sysbench")->parse("FATAL: unknown test\n", &m, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "General statistics");
	metrics_free(&m);
}

static void redis_csv(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "redis-benchmark", "redis-benchmark.csv", &m, why, sizeof(why)), 0);
	CHECK_NEAR(t, metrics_value(&m, "set_rps"), 74074.07);
	CHECK_NEAR(t, metrics_value(&m, "get_rps"), 72727.27);
	CHECK_NEAR(t, metrics_value(&m, "rps"), (74074.07 + 72727.27) / 2);
	CHECK_NEAR(t, metrics_value(&m, "set_latency_p99_us"), 279);
	/* across tests, the worst */
	CHECK_NEAR(t, metrics_value(&m, "latency_p99_us"), 439);
	CHECK_NEAR(t, metrics_value(&m, "latency_max_us"), 3279);
	CHECK_UNIT(t, &m, "latency_p50_us", "us");
	metrics_free(&m);
}

static void redis_csv_without_header(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "redis-benchmark", "redis-benchmark-6.csv", &m, why, sizeof(why)), 0);
	CHECK_NEAR(t, metrics_value(&m, "set_rps"), 81300.81);
	CHECK(t, isnan(metrics_value(&m, "latency_p99_us")));
	metrics_free(&m);
}

static void wrk_latency(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "wrk", "wrk.txt", &m, why, sizeof(why)), 0);
	CHECK_NEAR(t, metrics_value(&m, "requests_per_s"), 5877.88);
	CHECK_NEAR(t, metrics_value(&m, "latency_avg_us"), 1660);
	CHECK_NEAR(t, metrics_value(&m, "latency_max_us"), 11910);
	CHECK_NEAR(t, metrics_value(&m, "latency_p50_us"), 1500);
	CHECK_NEAR(t, metrics_value(&m, "latency_p99_us"), 5460);
	CHECK_NEAR(t, metrics_value(&m, "transfer_mib_s"), 1.19);
	CHECK_NEAR(t, metrics_value(&m, "requests"), 11800);
	CHECK_NEAR(t, metrics_value(&m, "errors"), 0);
	metrics_free(&m);
}

static void wrk_without_distribution(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "wrk", "wrk-no-latency.txt", &m, why, sizeof(why)), 0);
	CHECK_NEAR(t, metrics_value(&m, "requests_per_s"), 2469.62);
	CHECK_NEAR(t, metrics_value(&m, "transfer_mib_s"), 513.70 / 1024);
	CHECK(t, isnan(metrics_value(&m, "latency_p99_us")));
	metrics_free(&m);
}

static void wrk_errors(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "wrk", "wrk-errors.txt", &m, why, sizeof(why)), 0);
	/* socket read errors plus non-2xx responses */
	CHECK_NEAR(t, metrics_value(&m, "errors"), 1980 + 1980);
	CHECK_NEAR(t, metrics_value(&m, "latency_p90_us"), 5280);
	metrics_free(&m);
}

static void wrk_refused(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "wrk", "wrk-refused.txt", &m, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "Requests/sec");
	metrics_free(&m);
}

static void sockperf_ping_pong(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "sockperf", "sockperf-ping-pong.txt", &m, why, sizeof(why)), 0);
	CHECK_NEAR(t, metrics_value(&m, "latency_p50_us"), 8.811);
	CHECK_NEAR(t, metrics_value(&m, "latency_p99_us"), 25.653);
	CHECK_NEAR(t, metrics_value(&m, "latency_p999_us"), 1590.309);
	CHECK_NEAR(t, metrics_value(&m, "latency_p99999_us"), 2852.320);
	CHECK_NEAR(t, metrics_value(&m, "latency_p25_us"), 8.731);
	CHECK_UNIT(t, &m, "latency_p99_us", "us");
	/* through the colour codes around the line */
	CHECK_NEAR(t, metrics_value(&m, "latency_avg_us"), 13.278);
	CHECK_NEAR(t, metrics_value(&m, "latency_stdev_us"), 78.020);
	CHECK_NEAR(t, metrics_value(&m, "latency_max_us"), 3255.966);
	CHECK_NEAR(t, metrics_value(&m, "latency_min_us"), 8.220);
	CHECK_NEAR(t, metrics_value(&m, "dropped"), 0);
	/* of the valid duration, the warm-up left out */
	CHECK_NEAR(t, metrics_value(&m, "throughput"), 58287 / 1.550);
	metrics_free(&m);
}

static void sockperf_under_load(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "sockperf", "sockperf-under-load.txt", &m, why, sizeof(why)), 0);
	CHECK_NEAR(t, metrics_value(&m, "latency_p50_us"), 63.575);
	CHECK_NEAR(t, metrics_value(&m, "latency_p90_us"), 83.759);
	CHECK_NEAR(t, metrics_value(&m, "latency_p99_us"), 4063.863);
	/* under load only some messages are answered */
	CHECK_NEAR(t, metrics_value(&m, "throughput"), 29 / 1.400);
	metrics_free(&m);
}

static void sockperf_no_server(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "sockperf", "sockperf-no-server.txt", &m, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "no '---> percentile' lines in sockperf's output");
	metrics_free(&m);
}

static void memcaslap_statistics(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "memcaslap", "memcaslap.txt", &m, why, sizeof(why)), 0);
	/* the last line's, of the whole run */
	CHECK_NEAR(t, metrics_value(&m, "throughput"), 42211);
	CHECK_UNIT(t, &m, "throughput", "ops/s");
	CHECK_NEAR(t, metrics_value(&m, "ops"), 84437);
	/* the Total table's Global row, not the Get or Set one */
	CHECK_NEAR(t, metrics_value(&m, "latency_avg_us"), 188);
	CHECK_NEAR(t, metrics_value(&m, "latency_min_us"), 19);
	CHECK_NEAR(t, metrics_value(&m, "latency_max_us"), 48210);
	CHECK_NEAR(t, metrics_value(&m, "latency_stdev_us"), 661.58);
	CHECK_NEAR(t, metrics_value(&m, "get_misses"), 0);
	CHECK(t, isnan(metrics_value(&m, "latency_p99_us")));
	metrics_free(&m);
}

static void memcaslap_without_stats(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "memcaslap", "memcaslap-no-stats.txt", &m, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "no 'Total Statistics' table in memcaslap's output (run it with -S)");
	metrics_free(&m);
}

static void memcaslap_refused(struct test_ctx *t)
{
	struct metrics m = { 0 };
	char why[256];

	CHECK_INT(t, parse_file(t, "memcaslap", "memcaslap-refused.txt", &m, why, sizeof(why)), -EINVAL);
	CHECK_CONTAINS(t, why, "no 'Run time: ... TPS:' line in memcaslap's output");
	metrics_free(&m);
}

static void unknown_parser(struct test_ctx *t)
{
	CHECK(t, parser_find("nope") == NULL);
	CHECK(t, parser_find("wrk") != NULL);
}

SUITE(parsers_suite, "parsers",
	CASE(hackbench_process_mode),
	CASE(hackbench_threads_pipe),
	CASE(hackbench_killed_has_no_time),
	CASE(cyclictest_with_histogram),
	CASE(cyclictest_without_histogram),
	CASE(cyclictest_garbage),
	CASE(stressng_yaml),
	CASE(stressng_without_metrics),
	CASE(fio_json),
	CASE(fio_truncated),
	CASE(fio_after_warnings),
	CASE(sysbench_cpu),
	CASE(sysbench_threads_rate_from_totals),
	CASE(sysbench_nothing),
	CASE(redis_csv),
	CASE(redis_csv_without_header),
	CASE(wrk_latency),
	CASE(wrk_without_distribution),
	CASE(wrk_errors),
	CASE(wrk_refused),
	CASE(sockperf_ping_pong),
	CASE(sockperf_under_load),
	CASE(sockperf_no_server),
	CASE(memcaslap_statistics),
	CASE(memcaslap_without_stats),
	CASE(memcaslap_refused),
	CASE(unknown_parser),
);
