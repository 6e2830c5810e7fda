/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The search space of a tuning run: one dimension per knob, integer, real
 * (linear or log scale) or categorical (a list of values as text).
 *
 * A point of the space is an array of doubles, one per dimension: the
 * integer or real value itself, or the index of a categorical value. Model
 * tuners work in the unit cube instead; space_from_unit()/space_to_unit()
 * map between the two, log scales and rounding included.
 */
#ifndef OSTUNE_SPACE_H
#define OSTUNE_SPACE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

enum dim_type {
	DIM_INT,
	DIM_REAL,
	DIM_CATEGORICAL,
};

enum dim_scale {
	SCALE_LINEAR,
	SCALE_LOG,	/* min > 0; equal ratios are equal steps */
};

struct dim {
	char *name;		/* the knob */
	enum dim_type type;
	enum dim_scale scale;
	double min, max;	/* DIM_INT, DIM_REAL: inclusive bounds */
	char **values;		/* DIM_CATEGORICAL */
	size_t nvalues;
};

struct space {
	struct dim *dims;
	size_t n;
};

/*
 * From the config's "space" object, {"KNOB": SPEC, ...} in that order.
 * SPEC is {"min": A, "max": B[, "scale": "linear"|"log"][, "type":
 * "int"|"real"]} (int when both bounds are integers and no type is given),
 * or {"values": [V, ...]} or just [V, ...] for a categorical knob.
 * -EINVAL with why filled, or -ENOMEM.
 */
int space_from_json(const json_t *spec, struct space *out, char *why,
		    size_t len);
/*
 * A value as a knob takes it: strings as they are, numbers as written;
 * malloc'd, NULL for an empty string or another JSON type (or ENOMEM).
 */
char *space_value_text(const json_t *v);
/* The same form back, with every default spelled out. */
json_t *space_to_json(const struct space *s);
void space_free(struct space *s);

/* One dimension's value for u in [0, 1] (clamped), rounded for integers. */
double dim_from_unit(const struct dim *d, double u);
/* Where a value lies in [0, 1]; values outside the bounds are clamped. */
double dim_to_unit(const struct dim *d, double v);
void space_from_unit(const struct space *s, const double *u, double *x);
void space_to_unit(const struct space *s, const double *x, double *u);

/* The knob value text for v, as the kernel is sent it. */
void dim_format(const struct dim *d, double v, char *buf, size_t len);
/*
 * Reads a knob's current text as a value of d; -EINVAL when it is not one
 * (not a number, or not among a categorical knob's values). A number
 * outside the bounds is returned as it is: the host may be outside the
 * space, and the baseline records it so.
 */
int dim_parse(const struct dim *d, const char *text, double *v);

/* Is x a point the space admits? -EINVAL with why naming the knob. */
int space_check(const struct space *s, const double *x, char *why,
		size_t len);

#endif /* OSTUNE_SPACE_H */
