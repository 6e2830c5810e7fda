// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Metric extraction by JSON path, regular expression or key=value line.
 */
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measure/extract.h"

static int count_ways(const json_t *m)
{
	return !!json_object_get(m, "json") + !!json_object_get(m, "regex") +
	       !!json_object_get(m, "key");
}

int extract_check(const json_t *spec, char *why, size_t len)
{
	const char *name;
	json_t *m;

	if (!json_is_object(spec)) {
		snprintf(why, len, "target: \"metrics\" is an object {\"NAME\": {\"json\"|\"regex\"|\"key\": ...}}");
		return -EINVAL;
	}
	json_object_foreach((json_t *)spec, name, m) {
		const char *re = json_string_value(json_object_get(m, "regex"));
		regex_t compiled;

		if (count_ways(m) != 1) {
			snprintf(why, len, "target: metric %s: give exactly one of \"json\", \"regex\", \"key\"",
				 name);
			return -EINVAL;
		}
		if (re && regcomp(&compiled, re, REG_EXTENDED)) {
			snprintf(why, len, "target: metric %s: bad regular expression '%s'",
				 name, re);
			return -EINVAL;
		}
		if (re)
			regfree(&compiled);
	}
	return 0;
}

static const json_t *json_path(const json_t *doc, const char *path)
{
	char *copy = strdup(path), *part, *save = NULL;
	const json_t *v = doc;

	if (!copy)
		return NULL;
	for (part = strtok_r(copy, ".", &save); part && v;
	     part = strtok_r(NULL, ".", &save)) {
		char *end;
		unsigned long i = strtoul(part, &end, 10);

		if (json_is_array(v) && !*end && end != part)
			v = json_array_get(v, i);
		else
			v = json_object_get(v, part);
	}
	free(copy);
	return v;
}

static double number_of(const json_t *v)
{
	char *end;
	double d;

	if (json_is_number(v))
		return json_number_value(v);
	if (!json_is_string(v))
		return NAN;
	d = strtod(json_string_value(v), &end);
	return end == json_string_value(v) ? NAN : d;
}

static double by_regex(const char *re, const char *text)
{
	regmatch_t match[2];
	regex_t compiled;
	char buf[64];
	double v = NAN;

	if (regcomp(&compiled, re, REG_EXTENDED))
		return NAN;
	if (!regexec(&compiled, text, 2, match, 0)) {
		const regmatch_t *g = match[1].rm_so >= 0 ? &match[1] : &match[0];
		int n = g->rm_eo - g->rm_so;
		char *end;

		snprintf(buf, sizeof(buf), "%.*s", n, text + g->rm_so);
		v = strtod(buf, &end);
		if (end == buf)
			v = NAN;
	}
	regfree(&compiled);
	return v;
}

/* The last "key=value" line wins: programs print running totals. */
static double by_key(const char *key, const char *text)
{
	size_t klen = strlen(key);
	const char *p = text;
	double v = NAN;

	while (p && *p) {
		const char *q = p + strspn(p, " \t");

		if (!strncmp(q, key, klen)) {
			q += klen;
			q += strspn(q, " \t");
			if (*q == '=') {
				char *end;
				double d = strtod(q + 1, &end);

				if (end != q + 1)
					v = d;
			}
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return v;
}

static void note_missing(char *missing, size_t len, const char *name)
{
	size_t used = strlen(missing);

	if (used + 1 < len)
		snprintf(missing + used, len - used, "%s%s", used ? ", " : "",
			 name);
}

int extract_metrics(const json_t *spec, const char *text, struct metrics *m,
		    char *missing, size_t len)
{
	json_t *doc = NULL;
	bool parsed = false;
	const char *name;
	json_t *ms;

	missing[0] = '\0';
	json_object_foreach((json_t *)spec, name, ms) {
		const char *unit = json_string_value(json_object_get(ms, "unit"));
		const char *path = json_string_value(json_object_get(ms, "json"));
		const char *re = json_string_value(json_object_get(ms, "regex"));
		const char *key = json_string_value(json_object_get(ms, "key"));
		double v = NAN;

		if (path) {
			if (!parsed) {
				const char *start = strchr(text, '{');
				const char *arr = strchr(text, '[');

				if (arr && (!start || arr < start))
					start = arr;
				doc = start ? json_loads(start, JSON_DISABLE_EOF_CHECK |
							 JSON_DECODE_ANY, NULL) : NULL;
				parsed = true;
			}
			v = number_of(json_path(doc, path));
		} else if (re) {
			v = by_regex(re, text);
		} else if (key) {
			v = by_key(key, text);
		}
		if (isnan(v))
			note_missing(missing, len, name);
		else if (metrics_set(m, name, v, unit ? unit : "")) {
			json_decref(doc);
			return -ENOMEM;
		}
	}
	json_decref(doc);
	return 0;
}
