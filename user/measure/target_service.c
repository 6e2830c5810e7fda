// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The service target: a server started once and driven per window by a
 * load generator.
 *
 *	{"type": "service", "start": ["redis-server", "--port", "16379"],
 *	 "ready": {"port": 16379, "timeout_s": 10},   (or {"delay_s": 1})
 *	          ("host": an IPv4 address to probe instead of 127.0.0.1)
 *	 "load": {"type": "redis-benchmark", "port": 16379}}
 *
 * "load" is any other target. The server must keep running: its exit is
 * a failed window. It is stopped (SIGTERM, then SIGKILL) at the end.
 *
 * The redis type is this with the parts filled in: redis-server on
 * loopback without persistence, redis-benchmark --csv as the load. The
 * memcached type likewise: memcached on "host" (TCP only), behind
 * "wrapper" if given (["nsenter", "-t", PID, "-n"] runs it in another
 * network namespace, so the load crosses a link), memcaslap as the load.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "measure/target.h"

struct service {
	struct proc server;
	struct target load;
	bool have_load;
};

static int service_init(struct target *t, char *why, size_t len)
{
	const json_t *start = json_object_get(t->spec, "start");
	json_t *load = json_object_get(t->spec, "load");
	const json_t *ready = json_object_get(t->spec, "ready");
	struct service *s;
	int ret;

	if (!json_is_array(start) || !json_array_size(start) ||
	    !json_is_string(json_array_get(start, 0))) {
		snprintf(why, len, "target service: give \"start\", the server's command line");
		return -EINVAL;
	}
	const char *host = json_string_value(json_object_get(ready, "host"));
	struct in_addr addr;

	if (ready && !json_is_object(ready)) {
		snprintf(why, len, "target service: \"ready\" is {\"port\": N} or {\"delay_s\": S}");
		return -EINVAL;
	}
	if (json_object_get(ready, "host") &&
	    (!host || inet_pton(AF_INET, host, &addr) != 1)) {
		snprintf(why, len, "target service: ready \"host\" is an IPv4 address such as \"10.0.0.2\"");
		return -EINVAL;
	}
	if (!json_is_object(load)) {
		snprintf(why, len, "target service: give \"load\", the target that drives it");
		return -EINVAL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	t->priv = s;
	ret = target_create(&s->load, load, t->env, why, len);
	s->have_load = !ret;
	return ret;
}

static bool port_open(const struct in_addr *host, int port)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET,
		.sin_port = htons((uint16_t)port),
		.sin_addr = *host,
	};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	ok = !connect(fd, (struct sockaddr *)&addr, sizeof(addr));
	close(fd);
	return ok;
}

static int server_died(struct target *t, struct service *s, char *why,
		       size_t len)
{
	char status[64];

	proc_describe(s->server.status, status, sizeof(status));
	snprintf(why, len, "the service %s %s (see %s/service.out)",
		 json_string_value(json_array_get(json_object_get(t->spec, "start"), 0)),
		 status, t->env->workdir);
	return -EIO;
}

/* Until the port answers, the delay passed, or the server died. */
static int wait_ready(struct target *t, struct service *s, char *why,
		      size_t len)
{
	const json_t *ready = json_object_get(t->spec, "ready");
	int port = (int)json_integer_value(json_object_get(ready, "port"));
	double timeout = json_number_value(json_object_get(ready, "timeout_s"));
	double delay = json_number_value(json_object_get(ready, "delay_s"));
	const char *host = json_string_value(json_object_get(ready, "host"));
	struct in_addr addr = { .s_addr = htonl(INADDR_LOOPBACK) };
	int64_t until = monotonic_ms() + (int64_t)((timeout > 0 ? timeout : 10) * 1000);
	int ret;

	if (!port)
		return waiter_sleep_until(t->env->waiter,
					  monotonic_ms() + (int64_t)(delay * 1000));
	if (host)
		inet_pton(AF_INET, host, &addr);
	while (!port_open(&addr, port)) {
		if (proc_ended(&s->server))
			return server_died(t, s, why, len);
		if (monotonic_ms() >= until) {
			snprintf(why, len, "the service did not open port %d on %s within %g s (see %s/service.out)",
				 port, host ?: "127.0.0.1",
				 timeout > 0 ? timeout : 10, t->env->workdir);
			return -ETIMEDOUT;
		}
		ret = waiter_sleep_until(t->env->waiter, monotonic_ms() + 50);
		if (ret)
			return ret;
	}
	return 0;
}

static int service_prepare(struct target *t, char *why, size_t len)
{
	struct service *s = t->priv;
	const json_t *start = json_object_get(t->spec, "start");
	const char *program = json_string_value(json_array_get(start, 0));
	const char *package = json_string_value(json_object_get(t->spec, "package"));
	struct argv a = { 0 };
	char out_path[600];
	int ret = require_program(program, package, why, len);

	if (ret)
		return ret;
	snprintf(out_path, sizeof(out_path), "%s/service.out", t->env->workdir);
	if (argv_add_json(&a, start)) {
		snprintf(why, len, "target service: \"start\" is an array of strings");
		argv_free(&a);
		return -EINVAL;
	}
	ret = proc_spawn(&s->server, a.v, out_path, out_path, t->env->waiter,
			 why, len);
	argv_free(&a);
	if (ret)
		return ret;
	ret = wait_ready(t, s, why, len);
	if (!ret && proc_ended(&s->server))
		ret = server_died(t, s, why, len);
	return ret ?: s->load.ops->prepare(&s->load, why, len);
}

static int service_measure(struct target *t, const struct target_window *w,
			   struct metrics *m, char *why, size_t len)
{
	struct service *s = t->priv;
	int ret;

	if (proc_ended(&s->server))
		return server_died(t, s, why, len);
	ret = s->load.ops->measure(&s->load, w, m, why, len);
	/* A load failing because the server died: say the cause. */
	if (ret && ret != -EINTR && ret != -ECANCELED && proc_ended(&s->server))
		return server_died(t, s, why, len);
	return ret;
}

static void service_cleanup(struct target *t)
{
	struct service *s = t->priv;

	if (!s)
		return;
	if (s->have_load && s->load.ops->cleanup)
		s->load.ops->cleanup(&s->load);
	proc_stop(&s->server, 3000);
}

static void service_fini(struct target *t)
{
	struct service *s = t->priv;

	if (s && s->have_load)
		target_destroy(&s->load);
	free(s);
	t->priv = NULL;
}

const struct target_ops target_service_ops = {
	.type = "service",
	.init = service_init,
	.prepare = service_prepare,
	.measure = service_measure,
	.cleanup = service_cleanup,
	.fini = service_fini,
};

/* ---- redis: the preset ---- */

static int redis_init(struct target *t, char *why, size_t len)
{
	json_t *spec = t->spec, *load;
	int port;

	if (!json_object_get(spec, "port"))
		json_object_set_new(spec, "port", json_integer(16379));
	port = (int)json_integer_value(json_object_get(spec, "port"));
	if (port <= 0 || port > 65535) {
		snprintf(why, len, "target redis: \"port\" is a TCP port number");
		return -EINVAL;
	}
	/* Loopback only, nothing written to disk: a benchmark, not a store. */
	json_object_set_new(spec, "start",
			    json_pack("[sssssssss]", "redis-server", "--port",
				      "", "--bind", "127.0.0.1", "--save", "",
				      "--appendonly", "no"));
	json_array_set_new(json_object_get(spec, "start"), 2,
			   json_sprintf("%d", port));
	json_object_set_new(spec, "package", json_string("redis-server"));
	json_object_set_new(spec, "ready", json_pack("{s:i}", "port", port));
	load = json_object_get(spec, "load");
	if (!load) {
		load = json_pack("{s:s}", "type", "redis-benchmark");
		json_object_set_new(spec, "load", load);
	}
	json_object_set_new(load, "port", json_integer(port));
	return service_init(t, why, len);
}

const struct target_ops target_redis_ops = {
	.type = "redis",
	.init = redis_init,
	.prepare = service_prepare,
	.measure = service_measure,
	.cleanup = service_cleanup,
	.fini = service_fini,
};

/* ---- memcached: the preset ---- */

static int memcached_init(struct target *t, char *why, size_t len)
{
	json_t *spec = t->spec, *start, *server, *load;
	const json_t *wrapper = json_object_get(spec, "wrapper");
	const char *host;
	const json_t *word;
	struct in_addr addr;
	int port, threads;
	size_t i;

	if (!json_object_get(spec, "host"))
		json_object_set_new(spec, "host", json_string("127.0.0.1"));
	if (!json_object_get(spec, "port"))
		json_object_set_new(spec, "port", json_integer(11211));
	if (!json_object_get(spec, "threads"))
		json_object_set_new(spec, "threads", json_integer(2));
	if (!json_object_get(spec, "user"))
		json_object_set_new(spec, "user", json_string("nobody"));
	host = json_string_value(json_object_get(spec, "host"));
	port = (int)json_integer_value(json_object_get(spec, "port"));
	threads = (int)json_integer_value(json_object_get(spec, "threads"));
	if (!host || inet_pton(AF_INET, host, &addr) != 1) {
		snprintf(why, len, "target memcached: \"host\" is an IPv4 address such as \"10.0.0.2\"");
		return -EINVAL;
	}
	if (port <= 0 || port > 65535) {
		snprintf(why, len, "target memcached: \"port\" is a TCP port number");
		return -EINVAL;
	}
	if (threads < 1 || threads > 64) {
		snprintf(why, len, "target memcached: \"threads\" is 1 to 64");
		return -EINVAL;
	}
	if (!json_is_string(json_object_get(spec, "user"))) {
		snprintf(why, len, "target memcached: \"user\" is the user it runs as, when started as root");
		return -EINVAL;
	}
	json_array_foreach(wrapper, i, word)
		if (!json_is_string(word))
			wrapper = json_null();
	if (wrapper && (!json_is_array(wrapper) || !json_array_size(wrapper))) {
		snprintf(why, len, "target memcached: \"wrapper\" is a command line to run memcached with, e.g. [\"nsenter\", \"-t\", \"PID\", \"-n\"]");
		return -EINVAL;
	}
	/* service_init checks the strings; -U 0: no UDP port, TCP is measured */
	start = wrapper ? json_deep_copy(wrapper) : json_array();
	server = json_pack("[ssssosossss]", "memcached", "-l", host, "-p",
			   json_sprintf("%d", port), "-t",
			   json_sprintf("%d", threads), "-u",
			   json_string_value(json_object_get(spec, "user")),
			   "-U", "0");
	if (!start || !server || json_array_extend(start, server)) {
		json_decref(start);
		json_decref(server);
		return -ENOMEM;
	}
	json_decref(server);
	json_object_set_new(spec, "start", start);
	json_object_set_new(spec, "package", json_string("memcached"));
	json_object_set_new(spec, "ready",
			    json_pack("{s:s, s:i}", "host", host, "port", port));
	load = json_object_get(spec, "load");
	if (!load) {
		load = json_object();
		json_object_set_new(spec, "load", load);
	}
	if (!json_is_object(load)) {
		snprintf(why, len, "target memcached: \"load\" is a memcaslap target's options, e.g. {\"concurrency\": 8}");
		return -EINVAL;
	}
	if (!json_object_get(load, "type"))
		json_object_set_new(load, "type", json_string("memcaslap"));
	json_object_set_new(load, "servers",
			    json_sprintf("%s:%d", host, port));
	return service_init(t, why, len);
}

const struct target_ops target_memcached_ops = {
	.type = "memcached",
	.init = memcached_init,
	.prepare = service_prepare,
	.measure = service_measure,
	.cleanup = service_cleanup,
	.fini = service_fini,
};
