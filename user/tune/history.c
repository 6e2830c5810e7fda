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

/*
 * The shortest text that reads back as exactly V, a real in JSON's eyes
 * (a point or an exponent, so it is not read back as an integer).
 */
static size_t format_exact_real(double v, char *buf, size_t len)
{
	int precision, n = 0;

	for (precision = 15; precision <= 17; precision++) {
		n = snprintf(buf, len, "%.*g", precision, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (!strpbrk(buf, ".en"))
		n += snprintf(buf + n, len - n, ".0");
	return n;
}

/*
 * A history line, its reals exact: --resume rebuilds every configuration's
 * pool from these lines, and a value rounded on the way would make the
 * resumed run rank and decide differently from the one it continues.
 * jansson writes a fixed number of digits (17 is exact, but 0.05 reads
 * 0.050000000000000003), so each real of its 17-digit text is written
 * again as the shortest text that reads back the same.
 */
static char *history_dumps(const json_t *line)
{
	char *text = json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(17));
	char *out, *o;
	const char *p;
	bool in_string = false;

	if (!text)
		return NULL;
	/*
	 * The digits are never more than jansson's, but printf writes the
	 * exponent as e+20 or e-07 where jansson writes e20 or e-7: at most
	 * two bytes more for a number, which is at least one byte long.
	 */
	out = malloc(3 * strlen(text) + 1);
	if (!out) {
		free(text);
		return NULL;
	}
	for (p = text, o = out; *p;) {
		/* a number starts with a minus or a digit (true has an e too) */
		bool number_starts = !in_string && (*p == '-' || (*p >= '0' && *p <= '9'));
		size_t span = number_starts ? strspn(p, "-+0123456789.eE") : 0;
		char number[40];

		if (!span) {
			if (*p == '"')
				in_string = !in_string;
			else if (*p == '\\' && in_string)
				*o++ = *p++;
			*o++ = *p++;
			continue;
		}
		if (span < sizeof(number)) {
			size_t n = span;

			memcpy(number, p, span);
			number[span] = '\0';
			if (strpbrk(number, ".eE"))
				n = format_exact_real(strtod(number, NULL), number, sizeof(number));
			o = mempcpy(o, number, n);
		} else {
			o = mempcpy(o, p, span);
		}
		p += span;
	}
	*o = '\0';
	free(text);
	return out;
}

int history_open(struct history_file *h, const char *dir)
{
	snprintf(h->path, sizeof(h->path), "%s/history.jsonl", dir);
	h->f = fopen(h->path, "ae");
	return h->f ? 0 : -errno;
}

int history_append(struct history_file *h, const json_t *line)
{
	char *text = history_dumps(line);
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
	for (i = 0; i < n && !ret; i++) {
		char *text = history_dumps(h->lines[i]);

		if (!text)
			ret = -ENOMEM;
		else if (fprintf(f, "%s\n", text) < 0)
			ret = -EIO;
		free(text);
	}
	if (fclose(f) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}
