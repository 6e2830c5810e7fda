// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every target type shares: the registry, argument vectors, running
 * one window of a program, and error messages that say what to do.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/target.h"

/* What a window's output may be at most: more is a runaway workload. */
#define OUTPUT_MAX	(8 << 20)

static const struct target_ops *find_type(const char *type)
{
	if (!strcmp(type, "command"))
		return &target_command_ops;
	if (!strcmp(type, "service"))
		return &target_service_ops;
	return workload_find(type);
}

int target_create(struct target *t, json_t *spec,
		  const struct target_env *env, char *why, size_t len)
{
	const char *type = json_string_value(json_object_get(spec, "type"));
	int ret;

	memset(t, 0, sizeof(*t));
	if (!json_is_object(spec) || !type) {
		snprintf(why, len, "target: want an object with a \"type\": command, service, %s",
			 workload_names());
		return -EINVAL;
	}
	t->ops = find_type(type);
	if (!t->ops) {
		snprintf(why, len, "target: unknown type '%s' (there are: command, service, %s)",
			 type, workload_names());
		return -EINVAL;
	}
	t->spec = json_incref(spec);
	t->env = env;
	ret = t->ops->init ? t->ops->init(t, why, len) : 0;
	if (ret)
		target_destroy(t);
	return ret;
}

void target_destroy(struct target *t)
{
	if (t->ops && t->ops->fini)
		t->ops->fini(t);
	json_decref(t->spec);
	t->spec = NULL;
	t->ops = NULL;
}

int argv_add(struct argv *a, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (a->err)
		return a->err;
	if (a->n + 2 > a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		char **grown = realloc(a->v, cap * sizeof(*grown));

		if (!grown)
			return a->err = -ENOMEM;
		a->v = grown;
		a->cap = cap;
	}
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return a->err = -ENOMEM;
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
	return 0;
}

int argv_add_json(struct argv *a, const json_t *array)
{
	const json_t *v;
	size_t i;

	json_array_foreach((json_t *)array, i, v) {
		if (a->err)
			break;
		if (!json_is_string(v))
			a->err = -EINVAL;
		else
			argv_add(a, "%s", json_string_value(v));
	}
	return a->err;
}

void argv_free(struct argv *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

char *read_text_file(const char *path, size_t max)
{
	FILE *f = fopen(path, "re");
	size_t n = 0, cap = 4096;
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);

		n += got;
		if (got == 0 || n >= max)
			break;
		if (n + 1 == cap) {
			char *grown = realloc(buf, cap * 2);

			if (!grown) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = grown;
			cap *= 2;
		}
	}
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

/* The last non-empty line of text, into buf. */
static void last_line(const char *text, char *buf, size_t len)
{
	const char *end = text + strlen(text), *start;

	while (end > text && isspace((unsigned char)end[-1]))
		end--;
	start = end;
	while (start > text && start[-1] != '\n')
		start--;
	snprintf(buf, len, "%.*s", (int)(end - start), start);
}

void quote_output(const char *text, char *buf, size_t len)
{
	size_t i, o = 0;

	if (!text || !*text) {
		snprintf(buf, len, "(no output)");
		return;
	}
	for (i = 0; text[i] && o + 8 < len && i < 120; i++)
		buf[o++] = text[i] == '\n' ? '|' : (isprint((unsigned char)text[i]) ?
						   text[i] : '?');
	if (text[i] && o + 4 < len)
		buf[o++] = '.', buf[o++] = '.', buf[o++] = '.';
	buf[o] = '\0';
}

int target_run(const struct target *t, char *const argv[],
	       const struct target_window *w, char **out, char *why,
	       size_t len)
{
	char out_path[600], err_path[600], status[64], tail[200];
	struct proc p = { 0 };
	char *errors;
	int ret;

	*out = NULL;
	snprintf(out_path, sizeof(out_path), "%s/stdout", t->env->workdir);
	snprintf(err_path, sizeof(err_path), "%s/stderr", t->env->workdir);
	ret = proc_spawn(&p, argv, out_path, err_path, t->env->waiter, why, len);
	if (ret)
		return ret;
	ret = proc_wait(&p, t->env->waiter, w->deadline_ms);
	proc_stop(&p, 1000);
	if (ret == -ETIMEDOUT) {
		snprintf(why, len, "%s ran past the window's deadline: killed",
			 argv[0]);
		return ret;
	}
	if (ret)
		return ret;
	if (p.status) {
		errors = read_text_file(err_path, 64 << 10);
		last_line(errors ? errors : "", tail, sizeof(tail));
		free(errors);
		proc_describe(p.status, status, sizeof(status));
		snprintf(why, len, "%s %s%s%s", argv[0], status,
			 tail[0] ? ": " : "", tail);
		return -EIO;
	}
	*out = read_text_file(out_path, OUTPUT_MAX);
	if (!*out) {
		snprintf(why, len, "cannot read %s's output", argv[0]);
		return -EIO;
	}
	return 0;
}

int require_program(const char *program, const char *package, char *why,
		    size_t len)
{
	if (program_exists(program))
		return 0;
	if (package)
		snprintf(why, len, "%s not found: install %s (apt-get install %s)",
			 program, package, package);
	else
		snprintf(why, len, "%s not found in PATH", program);
	return -ENOENT;
}

int target_default_objective(const json_t *spec, struct objective *out)
{
	const char *type = json_string_value(json_object_get(spec, "type"));
	const char *metric;
	enum goal goal;

	memset(out, 0, sizeof(*out));
	if (!type)
		return -EINVAL;
	if (!strcmp(type, "service"))
		return target_default_objective(json_object_get(spec, "load"), out);
	/* A command read by a built-in parser: that workload's objective. */
	if (!strcmp(type, "command") && json_object_get(spec, "parser"))
		type = json_string_value(json_object_get(spec, "parser"));
	if (!type || workload_objective(type, &metric, &goal))
		return -ENOENT;
	out->metric = strdup(metric);
	out->goal = goal;
	return out->metric ? 0 : -ENOMEM;
}

int target_phase_keys(const json_t *spec, char *buf, size_t len, char *why,
		      size_t why_len)
{
	const char *type = json_string_value(json_object_get(spec, "type"));
	int ret;

	if (!type)
		type = "";
	if (!strcmp(type, "command") && !json_is_true(json_object_get(spec, "observe"))) {
		snprintf(buf, len, "args");
		return 0;
	}
	ret = workload_phase_keys(type, buf, len);
	if (ret == -ENOENT)
		snprintf(why, why_len, "a %s%s target takes no load phases (a command or a built-in workload does)",
			 !strcmp(type, "command") ? "observed " : "", type);
	return ret;
}

json_t *target_phase_spec(const json_t *spec, const json_t *phase)
{
	bool command = !strcmp(json_string_value(json_object_get(spec, "type")) ?: "",
			       "command");
	json_t *out = json_deep_copy(spec), *v;
	const char *key;

	if (!out)
		return NULL;
	json_object_foreach((json_t *)phase, key, v) {
		int ret;

		if (!strcmp(key, "name"))
			continue;
		if (command && !strcmp(key, "args"))
			ret = json_array_extend(json_object_get(out, "argv"), v);
		else
			ret = json_object_set(out, key, v);
		if (ret) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}
