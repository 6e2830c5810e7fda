// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Workload output parsers. Text formats are read line by line with
 * sscanf patterns taken from the programs' own printf formats; the JSON
 * ones with jansson. Units are converted to the metric's unit here, once.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/textnum.h"
#include "measure/parsers.h"

#define LINE_MAX_LEN	512

/* Calls fn for each line of text (newline removed, truncated if long). */
static int for_each_line(const char *text,
			 int (*fn)(const char *line, void *arg), void *arg)
{
	char line[LINE_MAX_LEN];
	const char *p = text;
	int ret;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		ret = fn(line, arg);
		if (ret)
			return ret;
		p += n + (nl ? 1 : 0);
	}
	return 0;
}

/* "Set-Get" -> "set_get": a workload's word as a metric name part. */
static void metric_word(const char *in, char *out, size_t len)
{
	size_t i;

	for (i = 0; *in && i + 1 < len; in++) {
		if (isalnum((unsigned char)*in))
			out[i++] = tolower((unsigned char)*in);
		else if (i && out[i - 1] != '_')
			out[i++] = '_';
	}
	while (i && out[i - 1] == '_')
		i--;
	out[i] = '\0';
}

/* ---- hackbench ---- */

struct hackbench {
	struct metrics *m;
	double groups, fds, loops, time_s;
};

static int hackbench_line(const char *line, void *arg)
{
	struct hackbench *h = arg;
	unsigned int groups, fds, loops;
	double t;

	if (sscanf(line, "Running in %*s mode with %u groups using %u file descriptors",
		   &groups, &fds) == 2) {
		h->groups = groups;
		h->fds = fds;
	} else if (sscanf(line, "Each sender will pass %u messages", &loops) == 1) {
		h->loops = loops;
	} else if (sscanf(line, "Time: %lf", &t) == 1) {
		h->time_s = t;
	}
	return 0;
}

static int parse_hackbench(const char *text, struct metrics *m, char *why,
			   size_t len)
{
	struct hackbench h = { .m = m, .time_s = NAN };
	double msgs;

	for_each_line(text, hackbench_line, &h);
	if (isnan(h.time_s)) {
		snprintf(why, len, "no 'Time:' line in hackbench's output");
		return -EINVAL;
	}
	if (metrics_set(m, "time_s", h.time_s, "s"))
		return -ENOMEM;
	/*
	 * Each of a group's fds/2 senders sends every message to each of
	 * its fds/2 receivers.
	 */
	msgs = h.groups * (h.fds / 2) * (h.fds / 2) * h.loops;
	if (msgs > 0 && h.time_s > 0 &&
	    (metrics_set(m, "msgs_per_s", msgs / h.time_s, "msgs/s") ||
	     metrics_set(m, "throughput", msgs / h.time_s, "msgs/s")))
		return -ENOMEM;
	return 0;
}

/* ---- cyclictest --json ---- */

/* Value at quantile q of a histogram with overflow above it. */
static double hist_quantile(const double *hist, size_t nbuckets,
			    double total, double q, double max_seen)
{
	double want = ceil(q * total), seen = 0;
	size_t i;

	for (i = 0; i < nbuckets; i++) {
		seen += hist[i];
		if (seen >= want)
			return (double)i;
	}
	/* In the overflow: the maximum is the honest bound we know. */
	return max_seen;
}

#define CYCLICTEST_MAX_BUCKETS	1000000

static int cyclictest_histogram(const json_t *threads, struct metrics *m,
				double cycles, double max_us)
{
	static const struct { const char *name; double q; } quantiles[] = {
		{ "latency_p50_us", 0.50 }, { "latency_p95_us", 0.95 },
		{ "latency_p99_us", 0.99 }, { "latency_p999_us", 0.999 },
	};
	size_t nbuckets = 0, i;
	const char *key, *bucket;
	json_t *thread, *count;
	double *hist, in_hist = 0;

	json_object_foreach((json_t *)threads, key, thread)
		json_object_foreach(json_object_get(thread, "histogram"), bucket, count) {
			unsigned long b = strtoul(bucket, NULL, 10);

			if (b < CYCLICTEST_MAX_BUCKETS && b + 1 > nbuckets)
				nbuckets = b + 1;
		}
	if (!nbuckets)
		return 0;
	hist = calloc(nbuckets, sizeof(*hist));
	if (!hist)
		return -ENOMEM;
	json_object_foreach((json_t *)threads, key, thread)
		json_object_foreach(json_object_get(thread, "histogram"), bucket, count) {
			unsigned long b = strtoul(bucket, NULL, 10);

			if (b < nbuckets && json_is_number(count)) {
				hist[b] += json_number_value(count);
				in_hist += json_number_value(count);
			}
		}
	for (i = 0; i < sizeof(quantiles) / sizeof(quantiles[0]); i++)
		if (metrics_set(m, quantiles[i].name,
				hist_quantile(hist, nbuckets, fmax(cycles, in_hist),
					      quantiles[i].q, max_us), "us")) {
			free(hist);
			return -ENOMEM;
		}
	free(hist);
	return metrics_set(m, "overflows", fmax(cycles - in_hist, 0), "count");
}

static int parse_cyclictest(const char *text, struct metrics *m, char *why,
			    size_t len)
{
	double cycles = 0, sum = 0, min_us = INFINITY, max_us = -INFINITY;
	json_t *root = json_loads(text, 0, NULL);
	json_t *threads = json_object_get(root, "thread"), *thread;
	const char *key;
	int ret = 0;

	if (!json_is_object(threads) || !json_object_size(threads)) {
		snprintf(why, len, "no \"thread\" results in cyclictest's JSON");
		json_decref(root);
		return -EINVAL;
	}
	json_object_foreach(threads, key, thread) {
		double c = json_number_value(json_object_get(thread, "cycles"));
		json_t *min = json_object_get(thread, "min");
		json_t *max = json_object_get(thread, "max");

		cycles += c;
		sum += c * json_number_value(json_object_get(thread, "avg"));
		if (json_is_number(min))
			min_us = fmin(min_us, json_number_value(min));
		if (json_is_number(max))
			max_us = fmax(max_us, json_number_value(max));
	}
	if (cycles > 0)
		ret = metrics_set(m, "latency_avg_us", sum / cycles, "us") ?:
		      metrics_set(m, "cycles", cycles, "count");
	if (!ret && isfinite(min_us))
		ret = metrics_set(m, "latency_min_us", min_us, "us");
	if (!ret && isfinite(max_us))
		ret = metrics_set(m, "latency_max_us", max_us, "us");
	if (!ret && json_is_integer(json_object_get(root, "return_code")))
		ret = metrics_set(m, "errors",
				  json_integer_value(json_object_get(root, "return_code")) != 0,
				  "count");
	if (!ret)
		ret = cyclictest_histogram(threads, m, cycles, max_us);
	json_decref(root);
	if (!ret && !m->n) {
		snprintf(why, len, "cyclictest's threads report no cycles");
		return -EINVAL;
	}
	return ret;
}

/* ---- stress-ng --yaml ---- */

struct stressng {
	struct metrics *m;
	bool in_metrics;
	char stressor[48];
	double total;
	int found;
	int error;
};

static int stressng_line(const char *line, void *arg)
{
	struct stressng *s = arg;
	char key[64], name[96], word[48];
	double v;

	if (!isspace((unsigned char)line[0]) && line[0]) {
		s->in_metrics = !strncmp(line, "metrics:", 8);
		return 0;
	}
	if (!s->in_metrics)
		return 0;
	if (sscanf(line, " - stressor: %47s", s->stressor) == 1)
		return 0;
	if (!s->stressor[0] || sscanf(line, " %63[^:]: %lf", key, &v) != 2)
		return 0;
	metric_word(s->stressor, word, sizeof(word));
	if (!strcmp(key, "bogo-ops-per-second-real-time")) {
		snprintf(name, sizeof(name), "%s_bogo_ops_per_s", word);
		s->total += v;
		s->found++;
		if (metrics_set(s->m, name, v, "bogo-ops/s"))
			return -ENOMEM;
	} else if (!strcmp(key, "bogo-ops")) {
		snprintf(name, sizeof(name), "%s_bogo_ops", word);
		if (metrics_set(s->m, name, v, "bogo-ops"))
			return -ENOMEM;
	}
	return 0;
}

static int parse_stressng(const char *text, struct metrics *m, char *why,
			  size_t len)
{
	struct stressng s = { .m = m };
	int ret = for_each_line(text, stressng_line, &s);

	if (ret)
		return ret;
	if (!s.found) {
		snprintf(why, len,
			 "no stressor with bogo-ops-per-second-real-time under \"metrics:\" in stress-ng's YAML");
		return -EINVAL;
	}
	return metrics_set(m, "bogo_ops_per_s", s.total, "bogo-ops/s") ?:
	       metrics_set(m, "throughput", s.total, "bogo-ops/s");
}

/* ---- fio --output-format=json ---- */

struct fio_dir {
	double ios, iops, bw_bytes, lat_sum, lat_max;
	double p50, p95, p99;
};

static void fio_direction(const json_t *d, struct fio_dir *acc)
{
	const json_t *pct = json_object_get(json_object_get(d, "clat_ns"),
					    "percentile");
	const json_t *lat = json_object_get(d, "lat_ns");
	double ios = json_number_value(json_object_get(d, "total_ios"));

	if (!json_is_object(d))
		return;
	acc->ios += ios;
	acc->iops += json_number_value(json_object_get(d, "iops"));
	acc->bw_bytes += json_number_value(json_object_get(d, "bw_bytes"));
	acc->lat_sum += ios * json_number_value(json_object_get(lat, "mean"));
	acc->lat_max = fmax(acc->lat_max,
			    json_number_value(json_object_get(lat, "max")));
	/* Across jobs the worst job's percentile: a bound, not a merge. */
	acc->p50 = fmax(acc->p50, json_number_value(json_object_get(pct, "50.000000")));
	acc->p95 = fmax(acc->p95, json_number_value(json_object_get(pct, "95.000000")));
	acc->p99 = fmax(acc->p99, json_number_value(json_object_get(pct, "99.000000")));
}

static int fio_latency(struct metrics *m, const struct fio_dir *d)
{
	int ret = 0;

	if (d->ios <= 0)
		return 0;
	ret = metrics_set(m, "latency_avg_us", d->lat_sum / d->ios / 1000, "us");
	if (!ret && d->lat_max > 0)
		ret = metrics_set(m, "latency_max_us", d->lat_max / 1000, "us");
	if (!ret && d->p50 > 0)
		ret = metrics_set(m, "latency_p50_us", d->p50 / 1000, "us") ?:
		      metrics_set(m, "latency_p95_us", d->p95 / 1000, "us") ?:
		      metrics_set(m, "latency_p99_us", d->p99 / 1000, "us");
	return ret;
}

static int parse_fio(const char *text, struct metrics *m, char *why,
		     size_t len)
{
	/* fio may print warnings before its JSON. */
	const char *start = *text == '{' ? text : strstr(text, "\n{");
	struct fio_dir rd = { 0 }, wr = { 0 };
	json_t *root = start ? json_loads(start, JSON_DISABLE_EOF_CHECK, NULL) : NULL;
	json_t *jobs = json_object_get(root, "jobs"), *job;
	double errors = 0;
	size_t i;
	int ret;

	if (!json_is_array(jobs) || !json_array_size(jobs)) {
		snprintf(why, len, "no \"jobs\" in fio's JSON output");
		json_decref(root);
		return -EINVAL;
	}
	json_array_foreach(jobs, i, job) {
		fio_direction(json_object_get(job, "read"), &rd);
		fio_direction(json_object_get(job, "write"), &wr);
		errors += json_number_value(json_object_get(job, "error")) != 0;
	}
	json_decref(root);
	ret = metrics_set(m, "iops", rd.iops + wr.iops, "IO/s") ?:
	      metrics_set(m, "throughput", rd.iops + wr.iops, "IO/s") ?:
	      metrics_set(m, "read_iops", rd.iops, "IO/s") ?:
	      metrics_set(m, "write_iops", wr.iops, "IO/s") ?:
	      metrics_set(m, "bw_mib_s", (rd.bw_bytes + wr.bw_bytes) / 1048576, "MiB/s") ?:
	      metrics_set(m, "errors", errors, "count");
	/* Latency of the direction that did most of the I/O. */
	return ret ?: fio_latency(m, rd.ios >= wr.ios ? &rd : &wr);
}

/* ---- sysbench ---- */

static int sysbench_line(const char *line, void *arg)
{
	struct metrics *m = arg;
	char label[64];
	double v, rate;
	unsigned int pct;

	if (sscanf(line, " events per second: %lf", &v) == 1)
		return metrics_set(m, "events_per_s", v, "events/s");
	if (sscanf(line, " transactions: %*f (%lf per sec.)", &rate) == 1)
		return metrics_set(m, "tps", rate, "transactions/s");
	if (sscanf(line, " queries: %*f (%lf per sec.)", &rate) == 1)
		return metrics_set(m, "qps", rate, "queries/s");
	if (sscanf(line, " ignored errors: %lf", &v) == 1 ||
	    sscanf(line, " errors: %lf", &v) == 1)
		return metrics_set(m, "errors", v, "count");
	if (sscanf(line, " total time: %lfs", &v) == 1)
		return metrics_set(m, "total_time_s", v, "s");
	if (sscanf(line, " total number of events: %lf", &v) == 1)
		return metrics_set(m, "events", v, "count");
	if (sscanf(line, " %uth percentile: %lf", &pct, &v) == 2) {
		snprintf(label, sizeof(label), "latency_p%u_us", pct);
		return metrics_set(m, label, v * 1000, "us");
	}
	if (sscanf(line, " %15[a-z]: %lf", label, &v) == 2 &&
	    (!strcmp(label, "min") || !strcmp(label, "avg") ||
	     !strcmp(label, "max"))) {
		char name[96];

		snprintf(name, sizeof(name), "latency_%s_us", label);
		return metrics_set(m, name, v * 1000, "us");
	}
	return 0;
}

static int parse_sysbench(const char *text, struct metrics *m, char *why,
			  size_t len)
{
	double events, total;
	int ret = for_each_line(text, sysbench_line, m);

	if (ret)
		return ret;
	events = metrics_value(m, "events");
	total = metrics_value(m, "total_time_s");
	if (isnan(metrics_value(m, "events_per_s")) && events > 0 && total > 0)
		ret = metrics_set(m, "events_per_s", events / total, "events/s");
	if (ret)
		return ret;
	if (!isnan(metrics_value(m, "tps")))
		ret = metrics_set(m, "throughput", metrics_value(m, "tps"),
				  "transactions/s");
	else if (!isnan(metrics_value(m, "events_per_s")))
		ret = metrics_set(m, "throughput",
				  metrics_value(m, "events_per_s"), "events/s");
	if (!ret && !m->n) {
		snprintf(why, len, "no 'General statistics' in sysbench's output");
		return -EINVAL;
	}
	return ret;
}

/* ---- redis-benchmark --csv ---- */

#define REDIS_MAX_COLUMNS	16

/* Splits a CSV line of quoted fields; returns the number of fields. */
static size_t csv_fields(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (*p && n < max) {
		char *end;

		if (*p == '"') {
			end = strchr(++p, '"');
			if (!end)
				break;
			*end = '\0';
			fields[n++] = p;
			p = end + 1;
		} else {
			fields[n++] = p;
			p += strcspn(p, ",");
			if (*p == ',')
				*p++ = '\0';
			continue;
		}
		if (*p == ',')
			p++;
	}
	return n;
}

struct redis {
	struct metrics *m;
	char header[REDIS_MAX_COLUMNS][32];
	size_t ncols;
	double rps_sum;
	unsigned int tests;
};

/* "p99_latency_ms" -> "latency_p99_us"; "avg_latency_ms" -> "latency_avg_us" */
static bool redis_latency_name(const char *col, char *out, size_t len)
{
	char what[16];

	if (sscanf(col, "%15[a-z0-9]_latency_ms", what) != 1)
		return false;
	snprintf(out, len, "latency_%s_us", what);
	return true;
}

static int redis_row(struct redis *r, char **fields, size_t n)
{
	char test[32], name[96], lat[32];
	double v;
	size_t i;
	int ret;

	metric_word(fields[0], test, sizeof(test));
	for (i = 1; i < n && i < r->ncols; i++) {
		if (parse_count(fields[i], &v))
			continue;
		if (!strcmp(r->header[i], "rps")) {
			snprintf(name, sizeof(name), "%s_rps", test);
			r->rps_sum += v;
			r->tests++;
			ret = metrics_set(r->m, name, v, "requests/s");
		} else if (redis_latency_name(r->header[i], lat, sizeof(lat))) {
			double worst = metrics_value(r->m, lat);

			snprintf(name, sizeof(name), "%s_%s", test, lat);
			/* Across tests, the worst: what a constraint wants. */
			ret = metrics_set(r->m, name, v * 1000, "us") ?:
			      metrics_set(r->m, lat, isnan(worst) ? v * 1000 :
					  fmax(worst, v * 1000), "us");
		} else {
			ret = 0;
		}
		if (ret)
			return ret;
	}
	return 0;
}

static int redis_line(const char *line, void *arg)
{
	struct redis *r = arg;
	char copy[LINE_MAX_LEN], *fields[REDIS_MAX_COLUMNS];
	size_t n, i;

	snprintf(copy, sizeof(copy), "%s", line);
	n = csv_fields(copy, fields, REDIS_MAX_COLUMNS);
	if (n < 2)
		return 0;
	if (!strcmp(fields[0], "test")) {
		for (i = 0; i < n; i++)
			snprintf(r->header[i], sizeof(r->header[i]), "%s",
				 fields[i]);
		r->ncols = n;
		return 0;
	}
	if (!r->ncols) {
		/* Before 7.0 there was no header: "TEST","RPS". */
		snprintf(r->header[1], sizeof(r->header[1]), "rps");
		r->ncols = 2;
	}
	return redis_row(r, fields, n);
}

static int parse_redis(const char *text, struct metrics *m, char *why,
		       size_t len)
{
	struct redis r = { .m = m };
	int ret = for_each_line(text, redis_line, &r);

	if (ret)
		return ret;
	if (!r.tests) {
		snprintf(why, len, "no test rows in redis-benchmark's CSV");
		return -EINVAL;
	}
	return metrics_set(m, "rps", r.rps_sum / r.tests, "requests/s") ?:
	       metrics_set(m, "throughput", r.rps_sum / r.tests, "requests/s");
}

/* ---- wrk --latency ---- */

struct wrk {
	struct metrics *m;
	double errors;
};

static int wrk_line(const char *line, void *arg)
{
	struct wrk *w = arg;
	char a[32], b[32], c[32];
	unsigned int pct, e1, e2, e3, e4;
	double v, x;

	if (sscanf(line, " Latency %31s %31s %31s", a, b, c) == 3 &&
	    !parse_time_us(a, &v)) {
		int ret = metrics_set(w->m, "latency_avg_us", v, "us");

		if (!ret && !parse_time_us(b, &x))
			ret = metrics_set(w->m, "latency_stdev_us", x, "us");
		if (!ret && !parse_time_us(c, &x))
			ret = metrics_set(w->m, "latency_max_us", x, "us");
		return ret;
	}
	if (sscanf(line, " %u%% %31s", &pct, a) == 2 && !parse_time_us(a, &v)) {
		snprintf(b, sizeof(b), "latency_p%u_us", pct);
		return metrics_set(w->m, b, v, "us");
	}
	if (sscanf(line, "Requests/sec: %lf", &v) == 1)
		return metrics_set(w->m, "requests_per_s", v, "requests/s") ?:
		       metrics_set(w->m, "throughput", v, "requests/s");
	if (sscanf(line, "Transfer/sec: %31s", a) == 1 && !parse_size_mib(a, &v))
		return metrics_set(w->m, "transfer_mib_s", v, "MiB/s");
	if (sscanf(line, " %lf requests in", &v) == 1)
		return metrics_set(w->m, "requests", v, "count");
	if (sscanf(line, " Socket errors: connect %u, read %u, write %u, timeout %u",
		   &e1, &e2, &e3, &e4) == 4) {
		w->errors += e1 + e2 + e3 + e4;
	} else if (sscanf(line, " Non-2xx or 3xx responses: %u", &e1) == 1) {
		w->errors += e1;
	}
	return 0;
}

static int parse_wrk(const char *text, struct metrics *m, char *why,
		     size_t len)
{
	struct wrk w = { .m = m };
	int ret = for_each_line(text, wrk_line, &w);

	if (ret)
		return ret;
	if (!m->n) {
		snprintf(why, len, "no 'Requests/sec' or 'Latency' in wrk's output");
		return -EINVAL;
	}
	/* wrk prints error lines only when there were errors. */
	return metrics_set(m, "errors", w.errors, "count");
}

/* ---- sockperf ping-pong / under-load ---- */

struct sockperf {
	struct metrics *m;
	bool have_percentile;
};

/* "99.900" -> "latency_p999_us", "50.000" -> "latency_p50_us" */
static void sockperf_percentile_name(const char *pct, char *out, size_t len)
{
	char digits[16];
	size_t i = 0;

	for (; *pct && i + 1 < sizeof(digits); pct++)
		if (isdigit((unsigned char)*pct))
			digits[i++] = *pct;
	digits[i] = '\0';
	/* the decimals' trailing zeros, but never the integer part's */
	while (i > 2 && digits[i - 1] == '0')
		digits[--i] = '\0';
	snprintf(out, len, "latency_p%s_us", digits);
}

/* Its lines carry ANSI colours ("\e[2;35m====> avg-latency=..."). */
static int sockperf_line(const char *line, void *arg)
{
	struct sockperf *sp = arg;
	const char *p;
	char pct[16], name[40];
	double v, x, secs;

	if ((p = strstr(line, "---> percentile ")) &&
	    sscanf(p, "---> percentile %15s = %lf", pct, &v) == 2) {
		sockperf_percentile_name(pct, name, sizeof(name));
		sp->have_percentile = true;
		return metrics_set(sp->m, name, v, "us");
	}
	if ((p = strstr(line, "---> <MAX> observation =")) &&
	    sscanf(p, "---> <MAX> observation = %lf", &v) == 1)
		return metrics_set(sp->m, "latency_max_us", v, "us");
	if ((p = strstr(line, "---> <MIN> observation =")) &&
	    sscanf(p, "---> <MIN> observation = %lf", &v) == 1)
		return metrics_set(sp->m, "latency_min_us", v, "us");
	if ((p = strstr(line, "avg-latency=")) &&
	    sscanf(p, "avg-latency=%lf (std-dev=%lf)", &v, &x) == 2)
		return metrics_set(sp->m, "latency_avg_us", v, "us") ?:
		       metrics_set(sp->m, "latency_stdev_us", x, "us");
	if ((p = strstr(line, "# dropped messages =")) &&
	    sscanf(p, "# dropped messages = %lf", &v) == 1)
		return metrics_set(sp->m, "dropped", v, "count");
	/* the warm-up excluded: what the percentiles are of */
	if ((p = strstr(line, "[Valid Duration] RunTime=")) &&
	    sscanf(p, "[Valid Duration] RunTime=%lf sec; SentMessages=%lf; ReceivedMessages=%lf",
		   &secs, &x, &v) == 3 && secs > 0)
		return metrics_set(sp->m, "throughput", v / secs, "messages/s");
	return 0;
}

static int parse_sockperf(const char *text, struct metrics *m, char *why,
			  size_t len)
{
	struct sockperf sp = { .m = m };
	int ret = for_each_line(text, sockperf_line, &sp);

	if (ret)
		return ret;
	if (!sp.have_percentile) {
		snprintf(why, len, "no '---> percentile' lines in sockperf's output");
		return -EINVAL;
	}
	return 0;
}

/* ---- memcaslap (memaslap) with -S ---- */

struct memcaslap {
	struct metrics *m;
	bool in_total;		/* after the "Total Statistics" table's title */
	bool have_total;
};

static int memcaslap_line(const char *line, void *arg)
{
	struct memcaslap *ms = arg;
	double secs, ops, tps, net, misses, min, max, avg, sd, geo;

	/* "Total Statistics (N events)" is the histogram's title, not it */
	if (!strncmp(line, "Total Statistics", 16)) {
		ms->in_total = !line[16];
		return 0;
	}
	if (ms->in_total &&
	    sscanf(line, "Global %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf",
		   &secs, &ops, &tps, &net, &misses, &min, &max, &avg, &sd,
		   &geo) == 10) {
		ms->in_total = false;
		ms->have_total = true;
		return metrics_set(ms->m, "latency_avg_us", avg, "us") ?:
		       metrics_set(ms->m, "latency_min_us", min, "us") ?:
		       metrics_set(ms->m, "latency_max_us", max, "us") ?:
		       metrics_set(ms->m, "latency_stdev_us", sd, "us") ?:
		       metrics_set(ms->m, "get_misses", misses, "count");
	}
	if (sscanf(line, "Run time: %lfs Ops: %lf TPS: %lf", &secs, &ops,
		   &tps) == 3)
		return metrics_set(ms->m, "ops", ops, "count") ?:
		       metrics_set(ms->m, "throughput", tps, "ops/s");
	return 0;
}

static int parse_memcaslap(const char *text, struct metrics *m, char *why,
			   size_t len)
{
	struct memcaslap ms = { .m = m };
	int ret = for_each_line(text, memcaslap_line, &ms);

	if (ret)
		return ret;
	if (!metrics_find(m, "throughput")) {
		snprintf(why, len, "no 'Run time: ... TPS:' line in memcaslap's output");
		return -EINVAL;
	}
	if (!ms.have_total) {
		snprintf(why, len, "no 'Total Statistics' table in memcaslap's output (run it with -S)");
		return -EINVAL;
	}
	return 0;
}

static const struct parser parsers[] = {
	{ "hackbench", "hackbench's 'Time:' line", parse_hackbench },
	{ "cyclictest", "cyclictest --json output", parse_cyclictest },
	{ "stress-ng", "stress-ng --yaml output", parse_stressng },
	{ "fio", "fio --output-format=json output", parse_fio },
	{ "sysbench", "sysbench's statistics", parse_sysbench },
	{ "redis-benchmark", "redis-benchmark --csv output", parse_redis },
	{ "wrk", "wrk --latency output", parse_wrk },
	{ "sockperf", "sockperf ping-pong or under-load output", parse_sockperf },
	{ "memcaslap", "memcaslap -S output", parse_memcaslap },
};

const struct parser *parser_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(parsers) / sizeof(parsers[0]); i++)
		if (!strcmp(parsers[i].name, name))
			return &parsers[i];
	return NULL;
}
