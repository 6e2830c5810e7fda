// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Profile loading with jansson. Duplicate keys are refused: in a profile
 * they are always a mistake.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
