// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Search spaces: parsing, the unit-cube mapping model tuners need, and the
 * text a knob is given.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/textnum.h"
#include "knobs/knobname.h"
#include "search/space.h"

void space_free(struct space *s)
{
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		free(s->dims[i].name);
		for (j = 0; j < s->dims[i].nvalues; j++)
			free(s->dims[i].values[j]);
		free(s->dims[i].values);
	}
	free(s->dims);
	s->dims = NULL;
	s->n = 0;
}

char *space_value_text(const json_t *v)
{
	char buf[64];

	if (json_is_string(v))
		return json_string_length(v) ? strdup(json_string_value(v)) :
					       NULL;
	if (json_is_integer(v))
		snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
	else if (json_is_real(v))
		format_number(json_real_value(v), buf, sizeof(buf));
	else
		return NULL;
	return strdup(buf);
}

static int parse_values(struct dim *d, const json_t *values, char *why,
			size_t len)
{
	size_t i, j;

	if (!json_is_array(values) || json_array_size(values) < 1) {
		snprintf(why, len, "space: %s: \"values\" must be a non-empty array",
			 d->name);
		return -EINVAL;
	}
	d->type = DIM_CATEGORICAL;
	d->values = calloc(json_array_size(values), sizeof(*d->values));
	if (!d->values)
		return -ENOMEM;
	for (i = 0; i < json_array_size(values); i++) {
		char *text = space_value_text(json_array_get(values, i));

		if (!text) {
			snprintf(why, len,
				 "space: %s: value %zu must be a non-empty string or a number",
				 d->name, i + 1);
			return -EINVAL;
		}
		for (j = 0; j < d->nvalues; j++) {
			if (!strcmp(d->values[j], text)) {
				snprintf(why, len, "space: %s: value '%s' is listed twice",
					 d->name, text);
				free(text);
				return -EINVAL;
			}
		}
		d->values[d->nvalues++] = text;
	}
	return 0;
}

static int parse_range(struct dim *d, const json_t *spec, char *why,
		       size_t len)
{
	const json_t *min = json_object_get(spec, "min");
	const json_t *max = json_object_get(spec, "max");
	const char *type = json_string_value(json_object_get(spec, "type"));
	const char *scale = json_string_value(json_object_get(spec, "scale"));

	if (!json_is_number(min) || !json_is_number(max)) {
		snprintf(why, len,
			 "space: %s: give \"min\" and \"max\" numbers, or \"values\"",
			 d->name);
		return -EINVAL;
	}
	d->min = json_number_value(min);
	d->max = json_number_value(max);
	if (!type)
		d->type = json_is_integer(min) && json_is_integer(max) ?
			  DIM_INT : DIM_REAL;
	else if (!strcmp(type, "int"))
		d->type = DIM_INT;
	else if (!strcmp(type, "real"))
		d->type = DIM_REAL;
	else {
		snprintf(why, len, "space: %s: \"type\" is \"int\" or \"real\", not '%s'",
			 d->name, type);
		return -EINVAL;
	}
	if (!scale || !strcmp(scale, "linear"))
		d->scale = SCALE_LINEAR;
	else if (!strcmp(scale, "log"))
		d->scale = SCALE_LOG;
	else {
		snprintf(why, len, "space: %s: \"scale\" is \"linear\" or \"log\", not '%s'",
			 d->name, scale);
		return -EINVAL;
	}
	if (d->type == DIM_INT && (d->min != trunc(d->min) ||
				   d->max != trunc(d->max))) {
		snprintf(why, len, "space: %s: integer bounds must be whole numbers",
			 d->name);
		return -EINVAL;
	}
	if (!isfinite(d->min) || !isfinite(d->max) || d->min > d->max) {
		snprintf(why, len, "space: %s: want min <= max", d->name);
		return -EINVAL;
	}
	if (d->scale == SCALE_LOG && d->min <= 0) {
		snprintf(why, len, "space: %s: a log scale needs min > 0",
			 d->name);
		return -EINVAL;
	}
	return 0;
}

static int parse_dim(struct dim *d, const json_t *spec, char *why, size_t len)
{
	/* A pattern is one dimension: every knob it matches takes its value. */
	if (knob_is_pattern(d->name) ?
	    knob_pattern_check(d->name, why, len) :
	    knob_name_check(d->name, NULL, why, len))
		return -EINVAL;
	if (json_is_array(spec))
		return parse_values(d, spec, why, len);
	if (!json_is_object(spec)) {
		snprintf(why, len, "space: %s: want {\"min\", \"max\"} or {\"values\"}",
			 d->name);
		return -EINVAL;
	}
	if (json_object_get(spec, "values"))
		return parse_values(d, json_object_get(spec, "values"), why,
				    len);
	return parse_range(d, spec, why, len);
}

int space_from_json(const json_t *spec, struct space *out, char *why,
		    size_t len)
{
	const char *name;
	json_t *v;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(spec) || !json_object_size(spec)) {
		snprintf(why, len, "space: want a non-empty object {\"KNOB\": SPEC, ...}");
		return -EINVAL;
	}
	out->dims = calloc(json_object_size(spec), sizeof(*out->dims));
	if (!out->dims)
		return -ENOMEM;
	json_object_foreach((json_t *)spec, name, v) {
		struct dim *d = &out->dims[out->n++];

		d->name = strdup(name);
		if (!d->name) {
			ret = -ENOMEM;
			break;
		}
		ret = parse_dim(d, v, why, len);
		if (ret)
			break;
	}
	if (ret)
		space_free(out);
	return ret;
}

static json_t *dim_to_json(const struct dim *d)
{
	json_t *values;
	size_t i;

	if (d->type == DIM_CATEGORICAL) {
		values = json_array();
		for (i = 0; i < d->nvalues; i++)
			json_array_append_new(values, json_string(d->values[i]));
		return json_pack("{s:o}", "values", values);
	}
	return json_pack("{s:s,s:o,s:o,s:s}",
			 "type", d->type == DIM_INT ? "int" : "real",
			 "min", d->type == DIM_INT ?
				json_integer((json_int_t)d->min) : json_real(d->min),
			 "max", d->type == DIM_INT ?
				json_integer((json_int_t)d->max) : json_real(d->max),
			 "scale", d->scale == SCALE_LOG ? "log" : "linear");
}

json_t *space_to_json(const struct space *s)
{
	json_t *obj = json_object();
	size_t i;

	for (i = 0; i < s->n; i++)
		json_object_set_new(obj, s->dims[i].name,
				    dim_to_json(&s->dims[i]));
	return obj;
}

static double clamp01(double u)
{
	if (!(u > 0))		/* NaN too */
		return 0;
	return u < 1 ? u : 1;
}

double dim_from_unit(const struct dim *d, double u)
{
	double v;

	u = clamp01(u);
	if (d->type == DIM_CATEGORICAL) {
		size_t i = (size_t)(u * d->nvalues);

		return i < d->nvalues ? i : d->nvalues - 1;
	}
	if (d->scale == SCALE_LOG)
		v = exp(log(d->min) + u * (log(d->max) - log(d->min)));
	else
		v = d->min + u * (d->max - d->min);
	if (d->type == DIM_INT)
		v = round(v);
	/* exp(log(x)) may land a hair outside; the bounds are promises. */
	return fmin(fmax(v, d->min), d->max);
}

double dim_to_unit(const struct dim *d, double v)
{
	if (d->type == DIM_CATEGORICAL)
		return d->nvalues ? (v + 0.5) / d->nvalues : 0;
	if (d->max == d->min)
		return 0.5;
	if (d->scale == SCALE_LOG)
		return clamp01((log(fmax(v, d->min)) - log(d->min)) /
			       (log(d->max) - log(d->min)));
	return clamp01((v - d->min) / (d->max - d->min));
}

void space_from_unit(const struct space *s, const double *u, double *x)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		x[i] = dim_from_unit(&s->dims[i], u[i]);
}

void space_to_unit(const struct space *s, const double *x, double *u)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		u[i] = dim_to_unit(&s->dims[i], x[i]);
}

void dim_format(const struct dim *d, double v, char *buf, size_t len)
{
	if (d->type == DIM_CATEGORICAL) {
		size_t i = v >= 0 && v < d->nvalues ? (size_t)v : 0;

		snprintf(buf, len, "%s", d->values[i]);
	} else if (d->type == DIM_INT) {
		snprintf(buf, len, "%.0f", v);
	} else {
		format_number(v, buf, len);
	}
}

int dim_parse(const struct dim *d, const char *text, double *v)
{
	char *end;
	size_t i;

	if (d->type == DIM_CATEGORICAL) {
		for (i = 0; i < d->nvalues; i++) {
			if (!strcmp(d->values[i], text)) {
				*v = i;
				return 0;
			}
		}
		return -EINVAL;
	}
	errno = 0;
	*v = strtod(text, &end);
	if (errno || end == text || *end || !isfinite(*v))
		return -EINVAL;
	return 0;
}

int space_check(const struct space *s, const double *x, char *why,
		size_t len)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct dim *d = &s->dims[i];
		bool ok;

		if (d->type == DIM_CATEGORICAL)
			ok = x[i] >= 0 && x[i] < d->nvalues &&
			     x[i] == trunc(x[i]);
		else
			ok = x[i] >= d->min && x[i] <= d->max &&
			     (d->type != DIM_INT || x[i] == trunc(x[i]));
		if (!ok) {
			snprintf(why, len, "%s: %g is outside the space", d->name,
				 x[i]);
			return -EINVAL;
		}
	}
	return 0;
}
