/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inline SVG charts for the HTML report: a plot area with linear or log
 * axes, ticks and grid, and marks placed in data coordinates. Marks carry
 * CSS classes; the page's stylesheet colours them.
 */
#ifndef OSTUNE_REPORT_SVG_H
#define OSTUNE_REPORT_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct svg_axis {
	double lo, hi;
	bool log;
	const char *label;
	/* categorical: n labels at 0..n-1 instead of numeric ticks (on
	 * the y axis, 0 at the top) */
	const char *const *categories;
	size_t ncategories;
};

struct svg_chart {
	FILE *out;
	double width, height;
	double left, top, right, bottom;	/* the plot area */
	struct svg_axis x, y;
};

/*
 * Widens [*lo, *hi], the range of the data, so marks do not sit on the
 * frame (and an empty or one-value range gets a span).
 */
void svg_pad_range(double *lo, double *hi, bool log);

/* <svg ...> with the frame, grid, ticks and axis labels. */
void svg_begin(struct svg_chart *c, FILE *out, double width, double height,
	       const char *title, const struct svg_axis *x,
	       const struct svg_axis *y);
void svg_end(struct svg_chart *c);

/* A circle at (x, y) with a tooltip; nothing for a non-finite value. */
void svg_point(struct svg_chart *c, double x, double y, double r,
	       const char *cls, const char *tip);
/* A line through the points, skipping non-finite ones; step: hold each
 * y until the next x. */
void svg_line(struct svg_chart *c, const double *x, const double *y,
	      size_t n, bool step, const char *cls);
/* A horizontal band from y0 to y1 across the plot, a line at y, and a
 * vertical line at x. */
void svg_band(struct svg_chart *c, double y0, double y1, const char *cls);
void svg_hline(struct svg_chart *c, double y, const char *cls);
void svg_vline(struct svg_chart *c, double x, const char *cls);

/* Text, escaped for HTML and SVG. */
void html_text(FILE *out, const char *s);
/* A number as a tick label: 4 significant digits, k/M/G for large ones. */
void svg_number(char *buf, size_t len, double v);

#endif /* OSTUNE_REPORT_SVG_H */
