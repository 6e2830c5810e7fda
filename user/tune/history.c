// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Reading and writing history.jsonl.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tune/history.h"

int history_open(struct history_file *h, const char *dir)
{
	snprintf(h->path, sizeof(h->path), "%s/history.jsonl", dir);
	h->f = fopen(h->path, "ae");
	return h->f ? 0 : -errno;
}

int history_append(struct history_file *h, const json_t *line)
{
	char *text = json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(10));
	int ret = 0;

	if (!text)
		return -ENOMEM;
	if (fprintf(h->f, "%s\n", text) < 0 || fflush(h->f))
		ret = -errno;
	free(text);
	return ret;
}

void history_close(struct history_file *h)
{
	if (h->f)
		fclose(h->f);
	h->f = NULL;
}

void history_lines_free(struct history_lines *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		json_decref(h->lines[i]);
	free(h->lines);
	h->lines = NULL;
	h->n = 0;
}

static int add_line(struct history_lines *h, json_t *line, size_t *cap)
{
	if (h->n == *cap) {
		size_t grown_cap = *cap ? 2 * *cap : 64;
		json_t **grown = realloc(h->lines, grown_cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		h->lines = grown;
		*cap = grown_cap;
	}
	h->lines[h->n++] = line;
	return 0;
}

int history_load(const char *path, struct history_lines *out, int *torn,
		 char *why, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t cap = 0, size = 0;
	char *line = NULL;
	unsigned int lineno = 0;
	ssize_t n;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	*torn = 0;
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	while ((n = getline(&line, &size, f)) > 0) {
		json_error_t error;
		bool complete = line[n - 1] == '\n';
		json_t *v;

		lineno++;
		v = json_loads(line, 0, &error);
		if (!json_is_object(v)) {
			json_decref(v);
			/* Only the last line can be torn by a crash. */
			if (!complete || fgetc(f) == EOF) {
				*torn = 1;
				break;
			}
			snprintf(why, len, "%s:%u: %s", path, lineno,
				 v ? "not a JSON object" : error.text);
			ret = -EINVAL;
			break;
		}
		ret = add_line(out, v, &cap);
		if (ret) {
			json_decref(v);
			break;
		}
	}
	free(line);
	fclose(f);
	if (ret)
		history_lines_free(out);
	return ret;
}

int history_rewrite(const char *path, const struct history_lines *h,
		    size_t n)
{
	char tmp[700];
	FILE *f;
	size_t i;
	int ret = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	for (i = 0; i < n && !ret; i++)
		if (json_dumpf(h->lines[i], f, JSON_COMPACT | JSON_REAL_PRECISION(10)) || fputc('\n', f) == EOF)
			ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}
