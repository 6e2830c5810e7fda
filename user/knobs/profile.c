// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Profile loading with jansson. Duplicate keys are refused: in a profile
 * they are always a mistake.
 */
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "base/textnum.h"
#include "knobs/profile.h"

static const char *json_type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	case JSON_NULL:
		return "null";
	default:
		return "a scalar";
	}
}

/*
 * The value as text: the string itself, or the number printed into buf.
 * NULL, with why filled, for a value of any other type.
 */
static const char *value_text(const char *path, const char *name,
			      const json_t *v, char *buf, size_t size,
			      char *why, size_t len)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (json_string_length(v))
			return json_string_value(v);
		snprintf(why, len, "%s: knob %s: empty value", path, name);
		return NULL;
	case JSON_INTEGER:
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return buf;
	case JSON_REAL:
		format_number(json_real_value(v), buf, size);
		return buf;
	default:
		snprintf(why, len,
			 "%s: knob %s: value must be a string or a number, not %s",
			 path, name, json_type_name(v));
		return NULL;
	}
}

int profile_load(const char *path, struct changeset *out, char *why,
		 size_t len)
{
	json_error_t error;
	const char *name;
	json_t *root, *knobs, *v;
	int ret = -EINVAL;

	root = json_load_file(path, JSON_REJECT_DUPLICATES, &error);
	if (!root) {
		if (error.line > 0)
			snprintf(why, len, "%s:%d:%d: %s", path, error.line,
				 error.column, error.text);
		else
			snprintf(why, len, "%s", error.text);
		return -EINVAL;
	}
	knobs = json_object_get(root, "knobs");
	if (!json_is_object(root) || !json_is_object(knobs)) {
		snprintf(why, len,
			 "%s: a profile is a JSON object with a \"knobs\" object: {\"knobs\": {\"NAME\": VALUE}}",
			 path);
		goto out;
	}
	if (!json_object_size(knobs)) {
		snprintf(why, len, "%s: \"knobs\" is empty", path);
		goto out;
	}
	json_object_foreach(knobs, name, v) {
		char number[64];
		const char *value = value_text(path, name, v, number,
					       sizeof(number), why, len);

		if (!value) {
			ret = -EINVAL;
			goto out;
		}
		ret = changeset_set(out, name, value);
		if (ret)
			goto out;
	}
out:
	json_decref(root);
	return ret;
}

int profile_write(const struct changeset *cs, const char *const *notes,
		  FILE *out)
{
	json_t *knobs = json_object(), *doc = json_object();
	int ret = knobs && doc ? 0 : -ENOMEM;
	size_t i;

	for (i = 0; !ret && i < cs->n; i++)
		if (json_object_set_new(knobs, cs->items[i].name,
					json_string(cs->items[i].value)))
			ret = -ENOMEM;
	if (!ret && json_object_set(doc, "knobs", knobs))
		ret = -ENOMEM;
	for (; !ret && notes && notes[0]; notes += 2)
		if (json_object_set_new(doc, notes[0], json_string(notes[1])))
			ret = -ENOMEM;
	if (!ret && (json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) ||
		     fputc('\n', out) == EOF))
		ret = -EIO;
	json_decref(knobs);
	json_decref(doc);
	return ret;
}

/* Byte order, whatever the locale: the order the files were named for. */
static int by_bytes(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_profile_entry(const struct dirent *e)
{
	return e->d_name[0] != '.' && !fnmatch("*.json", e->d_name, 0);
}

/* The *.json profiles of dir, in name order; *loaded counts them. */
static int load_dir(const char *dir, struct changeset *out, size_t *loaded,
		    char *why, size_t len)
{
	struct dirent **entries;
	char path[4096];
	int i, n, ret = 0;

	n = scandir(dir, &entries, is_profile_entry, by_bytes);
	if (n < 0) {
		snprintf(why, len, "%s: %s", dir, strerror(errno));
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (!ret && (size_t)snprintf(path, sizeof(path), "%s/%s", dir,
					     entries[i]->d_name) >= sizeof(path)) {
			snprintf(why, len, "%s: path too long", dir);
			ret = -EINVAL;
		}
		if (!ret)
			ret = profile_load(path, out, why, len);
		if (!ret)
			(*loaded)++;
		free(entries[i]);
	}
	free(entries);
	return ret;
}

int profile_load_all(char *const *paths, size_t n, bool missing_ok,
		     struct changeset *out, char *why, size_t len)
{
	size_t i, loaded = 0;
	struct stat st;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		if (stat(paths[i], &st)) {
			if (errno == ENOENT && missing_ok)
				continue;
			snprintf(why, len, "%s: %s", paths[i], strerror(errno));
			return -EINVAL;
		}
		if (S_ISDIR(st.st_mode)) {
			ret = load_dir(paths[i], out, &loaded, why, len);
		} else {
			ret = profile_load(paths[i], out, why, len);
			loaded += !ret;
		}
	}
	if (!ret && !loaded) {
		snprintf(why, len, "no profile to apply: %s%s", paths[0],
			 n > 1 ? " and the other paths hold none" : " holds none");
		ret = -ENOENT;
	}
	return ret;
}
