// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The command target:
 *
 *	{"type": "command", "argv": ["prog", "arg", ...]  (or "shell": "..."),
 *	 "parser": "hackbench",           a built-in parser, and/or
 *	 "metrics": {...},                 extraction rules (extract.h)
 *	 "observe": false, "probe": [...]}
 *
 * Per window the command runs once; it should last about a window (it is
 * told the length in $OSTUNE_WINDOW_S, and "{window}" in an argument is
 * replaced by it) and is killed at the window's deadline. Its exit status
 * must be 0. elapsed_s, its wall time, is always a metric.
 *
 * With "observe": true the command is started once and left running (a
 * long-running workload); each window then measures the proxy metrics
 * while it runs, and runs "probe" (if given) afterwards for direct
 * metrics. The observed command ending is a failed window.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/textnum.h"
#include "measure/extract.h"
#include "measure/parsers.h"
#include "measure/target.h"

struct command {
	struct proc observed;
};

static const json_t *command_argv(const json_t *spec)
{
	return json_object_get(spec, "argv");
}

static bool is_string_array(const json_t *a)
{
	const json_t *v;
	size_t i;

	if (!json_is_array(a) || !json_array_size(a))
		return false;
	json_array_foreach((json_t *)a, i, v)
		if (!json_is_string(v) || !json_string_length(v))
			return false;
	return true;
}

static int command_init(struct target *t, char *why, size_t len)
{
	const char *shell = json_string_value(json_object_get(t->spec, "shell"));
	const char *parser = json_string_value(json_object_get(t->spec, "parser"));
	const json_t *metrics = json_object_get(t->spec, "metrics");
	const json_t *probe = json_object_get(t->spec, "probe");

	if (shell && !command_argv(t->spec) &&
	    json_object_set_new(t->spec, "argv",
				json_pack("[sss]", "sh", "-c", shell)))
		return -ENOMEM;
	if (!is_string_array(command_argv(t->spec))) {
		snprintf(why, len, "target command: give \"argv\" (a non-empty array of strings) or \"shell\"");
		return -EINVAL;
	}
	if (probe && !is_string_array(probe)) {
		snprintf(why, len, "target command: \"probe\" is an array of strings");
		return -EINVAL;
	}
	if (parser && !parser_find(parser)) {
		snprintf(why, len, "target command: unknown parser '%s' (there are: hackbench, cyclictest, stress-ng, fio, sysbench, redis-benchmark, wrk, sockperf, memcaslap)",
			 parser);
		return -EINVAL;
	}
	if (metrics && extract_check(metrics, why, len))
		return -EINVAL;
	t->priv = calloc(1, sizeof(struct command));
	return t->priv ? 0 : -ENOMEM;
}

/* argv with "{window}" replaced by the window's seconds. */
static int build_argv(const json_t *array, double seconds, struct argv *a)
{
	char secs[32];
	const json_t *v;
	size_t i;

	format_number(seconds, secs, sizeof(secs));
	json_array_foreach((json_t *)array, i, v) {
		const char *s = json_string_value(v);
		const char *at = strstr(s, "{window}");
		int ret = at ? argv_add(a, "%.*s%s%s", (int)(at - s), s, secs,
					at + strlen("{window}")) :
			       argv_add(a, "%s", s);

		if (ret)
			return ret;
	}
	return 0;
}

static int command_prepare(struct target *t, char *why, size_t len)
{
	struct command *c = t->priv;
	const char *program = json_string_value(json_array_get(command_argv(t->spec), 0));
	const json_t *probe = json_object_get(t->spec, "probe");
	char out_path[600];
	struct argv a = { 0 };
	int ret = require_program(program, NULL, why, len);

	if (!ret && probe)
		ret = require_program(json_string_value(json_array_get(probe, 0)),
				      NULL, why, len);
	if (ret || !json_is_true(json_object_get(t->spec, "observe")))
		return ret;
	snprintf(out_path, sizeof(out_path), "%s/observed.out", t->env->workdir);
	ret = build_argv(command_argv(t->spec), t->env->window_s, &a);
	if (!ret)
		ret = proc_spawn(&c->observed, a.v, out_path, out_path,
				 t->env->waiter, why, len);
	argv_free(&a);
	return ret;
}

/* Direct metrics from a program's output: its parser, then the rules. */
static int parse_output(const struct target *t, const char *text,
			struct metrics *m, char *why, size_t len)
{
	const char *parser = json_string_value(json_object_get(t->spec, "parser"));
	const json_t *rules = json_object_get(t->spec, "metrics");
	char missing[256] = "", reason[256] = "", quoted[160];
	size_t before = m->n;
	int ret;

	if (parser) {
		ret = parser_find(parser)->parse(text, m, reason, sizeof(reason));
		if (ret == -ENOMEM)
			return ret;
	}
	if (rules && extract_metrics(rules, text, m, missing, sizeof(missing)))
		return -ENOMEM;
	if (m->n > before || (!parser && !rules))
		return 0;
	quote_output(text, quoted, sizeof(quoted));
	snprintf(why, len, "no metrics in the output%s%s%s%s; output: '%s'",
		 reason[0] ? ": " : "", reason,
		 missing[0] ? "; missing: " : "", missing, quoted);
	return -EINVAL;
}

static int run_probe(struct target *t, const struct target_window *w,
		     struct metrics *m, char *why, size_t len)
{
	const json_t *probe = json_object_get(t->spec, "probe");
	struct argv a = { 0 };
	char *out;
	int ret;

	if (!probe)
		return 0;
	ret = build_argv(probe, w->seconds, &a);
	if (!ret)
		ret = target_run(t, a.v, w, &out, why, len);
	argv_free(&a);
	if (ret)
		return ret;
	ret = parse_output(t, out, m, why, len);
	free(out);
	return ret;
}

static int observe_window(struct target *t, const struct target_window *w,
			  struct metrics *m, char *why, size_t len)
{
	struct command *c = t->priv;
	int64_t until = monotonic_ms() + (int64_t)(w->seconds * 1000);
	char status[64];
	int ret;

	ret = waiter_sleep_until(t->env->waiter,
				 until < w->deadline_ms ? until : w->deadline_ms);
	if (ret)
		return ret;
	if (proc_ended(&c->observed)) {
		proc_describe(c->observed.status, status, sizeof(status));
		snprintf(why, len, "the observed command %s (see %s/observed.out)",
			 status, t->env->workdir);
		return -EIO;
	}
	return run_probe(t, w, m, why, len);
}

static int command_measure(struct target *t, const struct target_window *w,
			   struct metrics *m, char *why, size_t len)
{
	struct argv a = { 0 };
	char secs[32], *out;
	int64_t start;
	int ret;

	if (json_is_true(json_object_get(t->spec, "observe")))
		return observe_window(t, w, m, why, len);
	format_number(w->seconds, secs, sizeof(secs));
	setenv("OSTUNE_WINDOW_S", secs, 1);
	ret = build_argv(command_argv(t->spec), w->seconds, &a);
	if (ret)
		return ret;
	start = monotonic_ms();
	ret = target_run(t, a.v, w, &out, why, len);
	argv_free(&a);
	if (ret)
		return ret;
	ret = metrics_set(m, "elapsed_s", (monotonic_ms() - start) / 1000.0, "s") ?:
	      parse_output(t, out, m, why, len);
	free(out);
	return ret;
}

static void command_cleanup(struct target *t)
{
	struct command *c = t->priv;

	if (c)
		proc_stop(&c->observed, 2000);
}

static void command_fini(struct target *t)
{
	free(t->priv);
	t->priv = NULL;
}

const struct target_ops target_command_ops = {
	.type = "command",
	.init = command_init,
	.prepare = command_prepare,
	.measure = command_measure,
	.cleanup = command_cleanup,
	.fini = command_fini,
};
