// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Built-in adapters for the workloads Debian packages: how to run each
 * for one window, where its results are, which parser reads them, and the
 * objective it suggests.
 *
 * Time-bounded programs (cyclictest, stress-ng, fio, sysbench, wrk,
 * sockperf, memcaslap) are
 * given the window's length. Work-bounded ones (hackbench, redis-benchmark)
 * are calibrated once: a probe run is timed and the amount of work scaled
 * so that a run lasts about a window. The amount found goes into the
 * resolved config, so a resumed run measures the same work.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "measure/parsers.h"
#include "measure/target.h"

struct workload {
	const char *type;
	const char *program;
	const char *package;
	const char *parser;
	const char *metric;		/* the objective it suggests */
	enum goal goal;
	/* where the program writes its results, in workdir; NULL: stdout */
	const char *result_file;
	/* work-bounded: the option calibrated to the window, and its probe */
	const char *size_option;
	double probe_size;
	/*
	 * The options a spec may leave out, with their values, as JSON;
	 * null stands for the number of online CPUs.
	 */
	const char *defaults;
	/* The arguments of one window (a->err says if that failed). */
	void (*args)(const json_t *spec, double seconds, const char *result,
		     struct argv *a);
};

struct builtin {
	struct target_ops ops;
	const struct workload *wl;
};

static long online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? n : 1;
}

/* The workload's defaults into spec, for the keys it leaves out. */
static int set_defaults(json_t *spec, const char *defaults)
{
	json_t *all = json_loads(defaults, 0, NULL), *v;
	const char *key;
	int ret = all ? 0 : -ENOMEM;

	json_object_foreach(all, key, v) {
		if (ret || json_object_get(spec, key))
			continue;
		if (json_is_null(v))
			ret = json_object_set_new(spec, key, json_integer(online_cpus()));
		else
			ret = json_object_set(spec, key, v);
		ret = ret ? -ENOMEM : 0;
	}
	json_decref(all);
	return ret;
}

static long long opt_int(const json_t *spec, const char *key)
{
	return (long long)json_number_value(json_object_get(spec, key));
}

static const char *opt_str(const json_t *spec, const char *key)
{
	return json_string_value(json_object_get(spec, key));
}

/* Whole seconds, at least one: what -D, -t and --time take. */
static long long whole_seconds(double seconds)
{
	long long s = llround(ceil(seconds));

	return s > 0 ? s : 1;
}

/* ---- the adapters ---- */

static void hackbench_args(const json_t *spec, double seconds,
			   const char *result, struct argv *a)
{
	(void)seconds;
	(void)result;
	argv_add(a, "hackbench");
	argv_add(a, "-g");
	argv_add(a, "%lld", opt_int(spec, "groups"));
	argv_add(a, "-f");
	argv_add(a, "%lld", opt_int(spec, "fds"));
	argv_add(a, "-l");
	argv_add(a, "%lld", opt_int(spec, "loops"));
	if (json_is_true(json_object_get(spec, "threads")))
		argv_add(a, "-T");
	if (json_is_true(json_object_get(spec, "pipe")))
		argv_add(a, "-p");
}

/*
 * --default-system: otherwise cyclictest holds /dev/cpu_dma_latency at 0
 * for its whole run, which overrides every PM QoS and idle-state setting
 * being tuned.
 */
static void cyclictest_args(const json_t *spec, double seconds,
			    const char *result, struct argv *a)
{
	argv_add(a, "cyclictest");
	argv_add(a, "--quiet");
	argv_add(a, "--default-system");
	argv_add(a, "--duration=%lld", whole_seconds(seconds));
	argv_add(a, "--threads=%lld", opt_int(spec, "threads"));
	argv_add(a, "--interval=%lld", opt_int(spec, "interval_us"));
	argv_add(a, "--priority=%lld", opt_int(spec, "priority"));
	argv_add(a, "--histogram=%lld", opt_int(spec, "histogram_us"));
	argv_add(a, "--json=%s", result);
}

static void stressng_args(const json_t *spec, double seconds,
			  const char *result, struct argv *a)
{
	const char *name;
	json_t *count;

	argv_add(a, "stress-ng");
	json_object_foreach(json_object_get(spec, "stressors"), name, count) {
		argv_add(a, "--%s", name);
		argv_add(a, "%lld", (long long)json_number_value(count));
	}
	argv_add(a, "--timeout");
	argv_add(a, "%llds", whole_seconds(seconds));
	argv_add(a, "--metrics");
	argv_add(a, "--yaml");
	argv_add(a, "%s", result);
}

static void fio_args(const json_t *spec, double seconds, const char *result,
		     struct argv *a)
{
	const json_t *job = json_object_get(spec, "job"), *v;
	bool has_file = false;
	size_t i;

	json_array_foreach((json_t *)job, i, v)
		if (json_is_string(v) &&
		    (!strncmp(json_string_value(v), "--filename", 10) ||
		     !strncmp(json_string_value(v), "--directory", 11)))
			has_file = true;
	argv_add(a, "fio");
	argv_add(a, "--output-format=json");
	argv_add(a, "--time_based");
	argv_add(a, "--runtime=%lld", whole_seconds(seconds));
	argv_add_json(a, job);
	/* the scratch directory next to the results, not the cwd */
	if (!has_file)
		argv_add(a, "--filename=%s.data", result);
}

static void sysbench_args(const json_t *spec, double seconds,
			  const char *result, struct argv *a)
{
	(void)result;
	argv_add(a, "sysbench");
	argv_add(a, "%s", opt_str(spec, "test"));
	argv_add(a, "--time=%lld", whole_seconds(seconds));
	argv_add(a, "--threads=%lld", opt_int(spec, "threads"));
	argv_add_json(a, json_object_get(spec, "args"));
	argv_add(a, "run");
}

static void redis_benchmark_args(const json_t *spec, double seconds,
				 const char *result, struct argv *a)
{
	(void)seconds;
	(void)result;
	argv_add(a, "redis-benchmark");
	argv_add(a, "--csv");
	argv_add(a, "-h");
	argv_add(a, "%s", opt_str(spec, "host"));
	argv_add(a, "-p");
	argv_add(a, "%lld", opt_int(spec, "port"));
	argv_add(a, "-c");
	argv_add(a, "%lld", opt_int(spec, "clients"));
	argv_add(a, "-n");
	argv_add(a, "%lld", opt_int(spec, "requests"));
	argv_add(a, "-t");
	argv_add(a, "%s", opt_str(spec, "tests"));
}

static void wrk_args(const json_t *spec, double seconds, const char *result,
		     struct argv *a)
{
	(void)result;
	argv_add(a, "wrk");
	argv_add(a, "--latency");
	argv_add(a, "-t%lld", opt_int(spec, "threads"));
	argv_add(a, "-c%lld", opt_int(spec, "connections"));
	argv_add(a, "-d%llds", whole_seconds(seconds));
	argv_add(a, "%s", opt_str(spec, "url"));
}

/*
 * The client of a sockperf server (the service target starts it, e.g. in
 * another network namespace). Its latencies are half the round trip
 * unless full_rtt; ping-pong sends as fast as answers come back,
 * under-load at "mps" messages a second and times some of them.
 */
static void sockperf_args(const json_t *spec, double seconds,
			  const char *result, struct argv *a)
{
	const json_t *mps = json_object_get(spec, "mps");

	(void)result;
	argv_add(a, "sockperf");
	argv_add(a, "%s", opt_str(spec, "mode"));
	argv_add(a, "-i");
	argv_add(a, "%s", opt_str(spec, "host"));
	argv_add(a, "-p");
	argv_add(a, "%lld", opt_int(spec, "port"));
	argv_add(a, "-t");
	argv_add(a, "%lld", whole_seconds(seconds));
	argv_add(a, "-m");
	argv_add(a, "%lld", opt_int(spec, "msg_size"));
	if (mps) {
		argv_add(a, "--mps");
		argv_add(a, "%lld", opt_int(spec, "mps"));
	}
	if (json_is_true(json_object_get(spec, "tcp")))
		argv_add(a, "--tcp");
	if (json_is_true(json_object_get(spec, "full_rtt")))
		argv_add(a, "--full-rtt");
}

/* -S as long as the run: the statistics tables once, at the end. */
static void memcaslap_args(const json_t *spec, double seconds,
			   const char *result, struct argv *a)
{
	(void)result;
	argv_add(a, "memcaslap");
	argv_add(a, "-s");
	argv_add(a, "%s", opt_str(spec, "servers"));
	argv_add(a, "-t");
	argv_add(a, "%llds", whole_seconds(seconds));
	argv_add(a, "-S");
	argv_add(a, "%llds", whole_seconds(seconds));
	argv_add(a, "-T");
	argv_add(a, "%lld", opt_int(spec, "threads"));
	argv_add(a, "-c");
	argv_add(a, "%lld", opt_int(spec, "concurrency"));
}

static const struct workload workloads[] = {
	{ "hackbench", "hackbench", "rt-tests", "hackbench", "time_s",
	  GOAL_MINIMIZE, NULL, "loops", 100,
	  "{\"groups\": 4, \"fds\": 20, \"threads\": false, \"pipe\": false}",
	  hackbench_args },
	{ "cyclictest", "cyclictest", "rt-tests", "cyclictest",
	  "latency_p99_us", GOAL_MINIMIZE, "cyclictest.json", NULL, 0,
	  "{\"threads\": null, \"interval_us\": 1000, \"priority\": 80, \"histogram_us\": 2000}",
	  cyclictest_args },
	{ "stress-ng", "stress-ng", "stress-ng", "stress-ng", "throughput",
	  GOAL_MAXIMIZE, "stress-ng.yaml", NULL, 0,
	  "{\"stressors\": {\"switch\": 0}}", stressng_args },
	{ "fio", "fio", "fio", "fio", "throughput", GOAL_MAXIMIZE, NULL, NULL, 0,
	  "{\"job\": [\"--name=ostune\", \"--rw=randread\", \"--bs=4k\", \"--size=64m\", \"--ioengine=psync\"]}",
	  fio_args },
	{ "sysbench", "sysbench", "sysbench", "sysbench", "throughput",
	  GOAL_MAXIMIZE, NULL, NULL, 0,
	  "{\"test\": \"cpu\", \"threads\": null}", sysbench_args },
	{ "redis-benchmark", "redis-benchmark", "redis-tools",
	  "redis-benchmark", "throughput", GOAL_MAXIMIZE, NULL, "requests",
	  10000,
	  "{\"host\": \"127.0.0.1\", \"port\": 6379, \"clients\": 50, \"tests\": \"set,get\"}",
	  redis_benchmark_args },
	{ "wrk", "wrk", "wrk", "wrk", "throughput", GOAL_MAXIMIZE, NULL, NULL, 0,
	  "{\"threads\": 2, \"connections\": 10}", wrk_args },
	{ "sockperf", "sockperf", "sockperf", "sockperf", "latency_p99_us",
	  GOAL_MINIMIZE, NULL, NULL, 0,
	  "{\"host\": \"127.0.0.1\", \"port\": 11111, \"mode\": \"ping-pong\", \"msg_size\": 64, \"tcp\": false, \"full_rtt\": false}",
	  sockperf_args },
	{ "memcaslap", "memcaslap", "libmemcached-tools", "memcaslap",
	  "throughput", GOAL_MAXIMIZE, NULL, NULL, 0,
	  "{\"servers\": \"127.0.0.1:11211\", \"threads\": 1, \"concurrency\": 16}",
	  memcaslap_args },
};

#define NUM_WORKLOADS (sizeof(workloads) / sizeof(workloads[0]))

static const struct workload *workload_of(const struct target *t)
{
	return ((const struct builtin *)t->ops)->wl;
}

static int builtin_init(struct target *t, char *why, size_t len)
{
	const struct workload *wl = workload_of(t);
	const json_t *size = wl->size_option ?
			     json_object_get(t->spec, wl->size_option) : NULL;

	if (set_defaults(t->spec, wl->defaults))
		return -ENOMEM;
	if (size && (!json_is_integer(size) || json_integer_value(size) < 1)) {
		snprintf(why, len, "target %s: \"%s\" is a positive integer (leave it out to calibrate it)",
			 wl->type, wl->size_option);
		return -EINVAL;
	}
	if (!strcmp(wl->type, "wrk") && !opt_str(t->spec, "url")) {
		snprintf(why, len, "target wrk: give the \"url\" to load (a server on this host)");
		return -EINVAL;
	}
	if (!strcmp(wl->type, "sockperf") &&
	    (!opt_str(t->spec, "mode") ||
	     (strcmp(opt_str(t->spec, "mode"), "ping-pong") &&
	      strcmp(opt_str(t->spec, "mode"), "under-load")))) {
		snprintf(why, len, "target sockperf: \"mode\" is \"ping-pong\" or \"under-load\"");
		return -EINVAL;
	}
	return 0;
}

static void result_path(const struct target *t, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", t->env->workdir,
		 workload_of(t)->result_file ? workload_of(t)->result_file :
					       "result");
}

/* One run: arguments, the program, its results parsed into m. */
static int run_once(struct target *t, const struct target_window *w,
		    struct metrics *m, char *why, size_t len)
{
	const struct workload *wl = workload_of(t);
	const struct parser *parser = parser_find(wl->parser);
	char result[600], quoted[160], reason[256];
	struct argv a = { 0 };
	char *out = NULL, *text;
	int ret;

	result_path(t, result, sizeof(result));
	if (wl->result_file)
		unlink(result);
	wl->args(t->spec, w->seconds, result, &a);
	if (argv_add_json(&a, json_object_get(t->spec, "args"))) {
		argv_free(&a);
		snprintf(why, len, "out of memory, or a non-string in \"args\"");
		return -EINVAL;
	}
	ret = target_run(t, a.v, w, &out, why, len);
	argv_free(&a);
	if (ret)
		return ret;
	text = wl->result_file ? read_text_file(result, 8 << 20) : out;
	if (!text) {
		snprintf(why, len, "%s wrote no %s", wl->program, result);
		free(out);
		return -EINVAL;
	}
	ret = parser->parse(text, m, reason, sizeof(reason));
	if (ret == -EINVAL) {
		quote_output(text, quoted, sizeof(quoted));
		snprintf(why, len, "%s: %s; output: '%s'", wl->program, reason,
			 quoted);
	}
	if (text != out)
		free(text);
	free(out);
	return ret;
}

/*
 * Times probe-sized runs, growing the probe until one takes long enough to
 * time, and sizes the work to the window.
 */
static int calibrate(struct target *t, char *why, size_t len)
{
	const struct workload *wl = workload_of(t);
	double size = wl->probe_size, elapsed = 0;
	struct metrics m = { 0 };
	int attempt, ret = 0;

	for (attempt = 0; attempt < 4; attempt++) {
		struct target_window w = {
			.seconds = t->env->window_s,
			.deadline_ms = monotonic_ms() + 120000,
		};
		int64_t start = monotonic_ms();

		json_object_set_new(t->spec, wl->size_option,
				    json_integer((json_int_t)size));
		ret = run_once(t, &w, &m, why, len);
		metrics_clear(&m);
		if (ret)
			break;
		elapsed = (monotonic_ms() - start) / 1000.0;
		if (elapsed >= 0.2)
			break;
		size *= 10;
	}
	metrics_free(&m);
	if (ret) {
		json_object_del(t->spec, wl->size_option);
		return ret;
	}
	size = fmax(1, round(size * t->env->window_s / fmax(elapsed, 0.001)));
	json_object_set_new(t->spec, wl->size_option,
			    json_integer((json_int_t)size));
	return 0;
}

static int builtin_prepare(struct target *t, char *why, size_t len)
{
	const struct workload *wl = workload_of(t);
	int ret = require_program(wl->program, wl->package, why, len);

	if (ret)
		return ret;
	if (wl->size_option && !json_object_get(t->spec, wl->size_option))
		return calibrate(t, why, len);
	return 0;
}

static int builtin_measure(struct target *t, const struct target_window *w,
			   struct metrics *m, char *why, size_t len)
{
	return run_once(t, w, m, why, len);
}

#define BUILTIN(i, type) { { type, builtin_init, builtin_prepare, \
			     builtin_measure, NULL, NULL }, &workloads[i] }

static const struct builtin builtins[NUM_WORKLOADS] = {
	BUILTIN(0, "hackbench"), BUILTIN(1, "cyclictest"),
	BUILTIN(2, "stress-ng"), BUILTIN(3, "fio"), BUILTIN(4, "sysbench"),
	BUILTIN(5, "redis-benchmark"), BUILTIN(6, "wrk"),
	BUILTIN(7, "sockperf"), BUILTIN(8, "memcaslap"),
};

const struct target_ops *workload_find(const char *type)
{
	size_t i;

	for (i = 0; i < NUM_WORKLOADS; i++)
		if (!strcmp(builtins[i].ops.type, type))
			return &builtins[i].ops;
	if (!strcmp(type, "redis"))
		return &target_redis_ops;
	if (!strcmp(type, "memcached"))
		return &target_memcached_ops;
	return NULL;
}

int workload_objective(const char *type, const char **metric,
		       enum goal *goal)
{
	size_t i;

	if (!strcmp(type, "redis"))
		type = "redis-benchmark";
	if (!strcmp(type, "memcached"))
		type = "memcaslap";
	for (i = 0; i < NUM_WORKLOADS; i++) {
		if (!strcmp(workloads[i].type, type)) {
			*metric = workloads[i].metric;
			*goal = workloads[i].goal;
			return 0;
		}
	}
	return -ENOENT;
}

int workload_phase_keys(const char *type, char *buf, size_t len)
{
	const struct workload *wl = NULL;
	json_t *defaults;
	const char *key;
	size_t i, used = 0;
	json_t *v;

	for (i = 0; i < NUM_WORKLOADS; i++)
		if (!strcmp(workloads[i].type, type))
			wl = &workloads[i];
	if (!wl)
		return -ENOENT;
	defaults = json_loads(wl->defaults, 0, NULL);
	if (!defaults)
		return -ENOMEM;
	buf[0] = '\0';
	json_object_foreach(defaults, key, v)
		used += snprintf(buf + used, used < len ? len - used : 0, "%s, ", key);
	if (wl->size_option)
		used += snprintf(buf + used, used < len ? len - used : 0, "%s, ",
				 wl->size_option);
	snprintf(buf + used, used < len ? len - used : 0, "args");
	json_decref(defaults);
	return 0;
}

const char *workload_names(void)
{
	return "hackbench, cyclictest, stress-ng, fio, sysbench, redis-benchmark, wrk, sockperf, memcaslap, redis, memcached";
}
