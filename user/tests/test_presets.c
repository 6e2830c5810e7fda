// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The network-server targets' options: what the memcached preset starts
 * and drives, and each bad option refused with its message before
 * anything runs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "measure/target.h"
#include "unit.h"

static const struct target_env env = { .workdir = "/nonexistent", .window_s = 1 };

/* target_create() of the JSON spec; its result, why filled. */
static int create(const char *spec_json, struct target *tg, char *why,
		  size_t len)
{
	json_t *spec = json_loads(spec_json, 0, NULL);
	int ret = spec ? target_create(tg, spec, &env, why, len) : -ENOMEM;

	json_decref(spec);
	return ret;
}

static void memcached_behind_a_wrapper(struct test_ctx *t)
{
	struct target tg;
	char why[256] = "", *start;
	int ret = create("{\"type\": \"memcached\", \"host\": \"10.77.0.2\", \"port\": 11311,"
			 " \"wrapper\": [\"nsenter\", \"-t\", \"42\", \"-n\"], \"load\": {\"concurrency\": 8}}",
			 &tg, why, sizeof(why));

	CHECK_INT(t, ret, 0);
	start = json_dumps(json_object_get(tg.spec, "start"), JSON_COMPACT);
	CHECK_STR(t, start, "[\"nsenter\",\"-t\",\"42\",\"-n\",\"memcached\",\"-l\",\"10.77.0.2\","
		  "\"-p\",\"11311\",\"-t\",\"2\",\"-u\",\"nobody\",\"-U\",\"0\"]");
	free(start);
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(tg.spec, "load"), "servers")),
		  "10.77.0.2:11311");
	/* the load's options kept, its type filled in */
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(tg.spec, "load"), "type")),
		  "memcaslap");
	CHECK_INT(t, json_integer_value(json_object_get(json_object_get(tg.spec, "load"), "concurrency")), 8);
	CHECK_STR(t, json_string_value(json_object_get(json_object_get(tg.spec, "ready"), "host")),
		  "10.77.0.2");
	target_destroy(&tg);
}

static void bad_options_refused(struct test_ctx *t)
{
	static const struct {
		const char *spec, *error;
	} bad[] = {
		{ "{\"type\": \"sockperf\", \"mode\": \"throughput\"}",
		  "target sockperf: \"mode\" is \"ping-pong\" or \"under-load\"" },
		{ "{\"type\": \"memcached\", \"host\": \"localhost\"}",
		  "target memcached: \"host\" is an IPv4 address such as \"10.0.0.2\"" },
		{ "{\"type\": \"memcached\", \"port\": 70000}",
		  "target memcached: \"port\" is a TCP port number" },
		{ "{\"type\": \"memcached\", \"threads\": 0}",
		  "target memcached: \"threads\" is 1 to 64" },
		{ "{\"type\": \"memcached\", \"user\": 0}",
		  "target memcached: \"user\" is the user it runs as, when started as root" },
		{ "{\"type\": \"memcached\", \"wrapper\": \"nsenter -t 1 -n\"}",
		  "target memcached: \"wrapper\" is a command line to run memcached with" },
		{ "{\"type\": \"memcached\", \"wrapper\": [\"nsenter\", 1]}",
		  "target memcached: \"wrapper\" is a command line to run memcached with" },
		{ "{\"type\": \"memcached\", \"load\": [\"memcaslap\"]}",
		  "target memcached: \"load\" is a memcaslap target's options" },
		{ "{\"type\": \"memcached\", \"wrapper\": []}",
		  "target memcached: \"wrapper\" is a command line to run memcached with" },
		{ "{\"type\": \"service\", \"start\": [\"sockperf\", \"server\"],"
		  " \"ready\": {\"host\": \"10.0.0\", \"port\": 11111}, \"load\": {\"type\": \"sockperf\"}}",
		  "target service: ready \"host\" is an IPv4 address such as \"10.0.0.2\"" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct target tg;
		char why[256] = "";

		CHECK_INT(t, create(bad[i].spec, &tg, why, sizeof(why)), -EINVAL);
		CHECK_CONTAINS(t, why, bad[i].error);
	}
}

SUITE(presets_suite, "presets",
	CASE(memcached_behind_a_wrapper),
	CASE(bad_options_refused),
);
