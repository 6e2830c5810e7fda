/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Targets: the workload a tuning run measures. A target prepares once
 * (finds its programs, starts a server, calibrates its size to the
 * window), measures one bounded window at a time into metrics, and
 * cleans up every process it started.
 *
 * Types (the config's "target" object, "type" key):
 *	command     a program run per window, or observed while it runs
 *	service     a server started once and driven per window by a load
 *	            target (another target object)
 *	hackbench, cyclictest, stress-ng, fio, sysbench, redis-benchmark,
 *	wrk, sockperf, memcaslap, redis, memcached
 *	            built-in adapters: argument building and parsing for
 *	            the workloads Debian packages (see workloads.c)
 *
 * Errors say what to install or check: a missing program names its
 * Debian package, a parse failure shows the start of the output.
 */
#ifndef OSTUNE_TARGET_H
#define OSTUNE_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/child.h"
#include "measure/metrics.h"
#include "measure/objective.h"

struct target_window {
	double seconds;		/* how long the window should measure */
	int64_t deadline_ms;	/* monotonic: stop the workload after this */
};

/* What the loop lends its target. */
struct target_env {
	struct waiter *waiter;	/* for every wait: heartbeats, Ctrl-C */
	const char *workdir;	/* scratch files (outputs of the last window) */
	double window_s;	/* the configured window, for calibration */
};

struct target;

struct target_ops {
	const char *type;
	/*
	 * Checks the spec and writes its defaults into it, so the resolved
	 * config shows them. -EINVAL with why, -ENOMEM.
	 */
	int (*init)(struct target *t, char *why, size_t len);
	/* Once before the first window. -errno with why. */
	int (*prepare)(struct target *t, char *why, size_t len);
	/*
	 * One window: direct metrics into m. -ETIMEDOUT (the deadline
	 * passed), -EIO (the workload failed), -EINVAL (its output had no
	 * metrics), all with why filled; -EINTR or -ECANCELED when the
	 * waiter stopped (stop request, lost session).
	 */
	int (*measure)(struct target *t, const struct target_window *w,
		       struct metrics *m, char *why, size_t len);
	/* Stops what prepare started. Safe after a failed prepare. */
	void (*cleanup)(struct target *t);
	void (*fini)(struct target *t);
};

struct target {
	const struct target_ops *ops;
	json_t *spec;			/* the config's target object, owned */
	const struct target_env *env;
	void *priv;
};

/*
 * Creates the target spec describes (a reference is taken). -EINVAL
 * with why filled for an unknown type or bad options, -ENOMEM.
 */
int target_create(struct target *t, json_t *spec,
		  const struct target_env *env, char *why, size_t len);
void target_destroy(struct target *t);
/* The objective a target type suggests when the config gives none. */
int target_default_objective(const json_t *spec, struct objective *out);

/*
 * Load phases: the keys of spec a phase may set ("groups, fds, ...,
 * args"; a command's: "args") into buf; -ENOENT with why filled for a
 * target that takes no phases (a service, an observed command).
 */
int target_phase_keys(const json_t *spec, char *buf, size_t len, char *why,
		      size_t why_len);
/*
 * The target of one phase: spec with the phase's keys set ("name" left
 * out), a command's "args" appended to its argv. NULL on ENOMEM.
 */
json_t *target_phase_spec(const json_t *spec, const json_t *phase);

/* ---- for the target types ---- */

struct argv {
	char **v;		/* NULL-terminated */
	size_t n, cap;
	/*
	 * The first error, sticky: once set, adding does nothing, so an
	 * argument list is built in plain statements and checked once.
	 */
	int err;
};

/* 0, or a->err: -ENOMEM now or earlier. */
__attribute__((format(printf, 2, 3)))
int argv_add(struct argv *a, const char *fmt, ...);
/* The strings of a JSON array; -EINVAL if an element is not a string. */
int argv_add_json(struct argv *a, const json_t *array);
void argv_free(struct argv *a);

/*
 * Runs argv for one window: waits until it exits or the deadline, and
 * reads its stdout into *out (malloc'd, NUL-terminated). 0 when it exited
 * 0; -ETIMEDOUT, -EIO (non-zero exit: why has the status and stderr's
 * last line), -EINTR/-ECANCELED as the waiter said. The process is gone
 * when this returns.
 */
int target_run(const struct target *t, char *const argv[],
	       const struct target_window *w, char **out, char *why,
	       size_t len);
/* A file's content, malloc'd and NUL-terminated; NULL if unreadable. */
char *read_text_file(const char *path, size_t max);
/* "PROGRAM not found: install PACKAGE (apt-get install PACKAGE)" */
int require_program(const char *program, const char *package, char *why,
		    size_t len);
/* Starts of the output, quoted and shortened, for error messages. */
void quote_output(const char *text, char *buf, size_t len);

extern const struct target_ops target_command_ops;
extern const struct target_ops target_service_ops;
/* redis-server on loopback, driven by redis-benchmark (a service preset) */
extern const struct target_ops target_redis_ops;
/* memcached, maybe behind a wrapper (nsenter), driven by memcaslap */
extern const struct target_ops target_memcached_ops;
/* The built-in adapter for type, or NULL. */
const struct target_ops *workload_find(const char *type);
/* A built-in adapter's phase keys (target_phase_keys()); -ENOENT. */
int workload_phase_keys(const char *type, char *buf, size_t len);
/* The objective an adapter suggests; -ENOENT for other types. */
int workload_objective(const char *type, const char **metric,
		       enum goal *goal);
/* "hackbench, cyclictest, ..." */
const char *workload_names(void);

#endif /* OSTUNE_TARGET_H */
