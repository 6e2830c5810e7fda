// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Inline SVG charts: axes with round ticks, marks in data coordinates.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output/report_svg.h"

#define MAX_TICKS 12

void html_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&#39;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

void svg_number(char *buf, size_t len, double v)
{
	static const struct {
		double from, divide;
		const char *suffix;
	} units[] = { { 1e9, 1e9, "G" }, { 1e6, 1e6, "M" }, { 1e4, 1e3, "k" } };
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (fabs(v) >= units[i].from) {
			snprintf(buf, len, "%.4g%s", v / units[i].divide, units[i].suffix);
			return;
		}
	}
	snprintf(buf, len, "%.4g", v);
}

void svg_pad_range(double *lo, double *hi, bool log)
{
	double span;

	if (!isfinite(*lo) || !isfinite(*hi)) {
		*lo = log ? 1 : 0;
		*hi = log ? 10 : 1;
		return;
	}
	if (log) {
		*lo = *lo > 0 ? *lo : 1e-9;
		*hi = *hi > *lo ? *hi : *lo * 10;
		span = log10(*hi / *lo);
		*lo /= pow(10, span * 0.05);
		*hi *= pow(10, span * 0.05);
		return;
	}
	span = *hi - *lo;
	if (span <= 0)
		span = fabs(*lo) > 0 ? fabs(*lo) * 0.2 : 1;
	*lo -= span * 0.05;
	*hi += span * 0.05;
}

/* Position 0..1 of v on the axis. */
static double axis_pos(const struct svg_axis *a, double v)
{
	if (a->log)
		return (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
	return (v - a->lo) / (a->hi - a->lo);
}

static double svg_px(const struct svg_chart *c, double x)
{
	return c->left + axis_pos(&c->x, x) * (c->right - c->left);
}

static double svg_py(const struct svg_chart *c, double y)
{
	if (c->y.categories)
		return c->top + axis_pos(&c->y, y) * (c->bottom - c->top);
	return c->bottom - axis_pos(&c->y, y) * (c->bottom - c->top);
}

/* 1, 2 or 5 times a power of ten, giving about 5 steps over span. */
static double nice_step(double span)
{
	double raw = span / 5, mag = pow(10, floor(log10(raw))), norm = raw / mag;

	return (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
}

/* Tick values of an axis into t; returns how many. */
static size_t ticks(const struct svg_axis *a, double *t)
{
	double step, v;
	size_t n = 0;

	if (a->categories) {
		for (n = 0; n < a->ncategories && n < MAX_TICKS; n++)
			t[n] = n;
		return n;
	}
	if (a->log && a->hi / a->lo >= 10) {
		/* decades; over less than two, 1, 2 and 5 times them */
		static const double mult[] = { 1, 2, 5 };
		size_t m, nm = a->hi / a->lo >= 100 ? 1 : 3;

		step = ceil(log10(a->hi / a->lo) / 6);
		for (v = floor(log10(a->lo)); v <= log10(a->hi); v += step)
			for (m = 0; m < nm && n < MAX_TICKS; m++)
				if (mult[m] * pow(10, v) >= a->lo &&
				    mult[m] * pow(10, v) <= a->hi)
					t[n++] = mult[m] * pow(10, v);
		return n;
	}
	step = nice_step(a->hi - a->lo);
	for (v = ceil(a->lo / step) * step; v <= a->hi && n < MAX_TICKS; v += step)
		t[n++] = fabs(v) < step * 1e-9 ? 0 : v;
	return n;
}

static void tick_label(const struct svg_axis *a, double v, char *buf,
		       size_t len)
{
	if (a->categories)
		snprintf(buf, len, "%s", a->categories[(size_t)v]);
	else
		svg_number(buf, len, v);
}

static void draw_axes(struct svg_chart *c)
{
	double t[MAX_TICKS];
	char label[64];
	size_t i, n;

	n = ticks(&c->x, t);
	for (i = 0; i < n; i++) {
		double px = svg_px(c, t[i]);

		tick_label(&c->x, t[i], label, sizeof(label));
		fprintf(c->out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
			"<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
			px, c->top, px, c->bottom, px, c->bottom + 14);
		html_text(c->out, label);
		fputs("</text>\n", c->out);
	}
	n = ticks(&c->y, t);
	for (i = 0; i < n; i++) {
		double py = svg_py(c, t[i]);

		tick_label(&c->y, t[i], label, sizeof(label));
		fprintf(c->out, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
			"<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
			c->left, py, c->right, py, c->left - 5, py + 4);
		html_text(c->out, label);
		fputs("</text>\n", c->out);
	}
	fprintf(c->out, "<rect class=\"frame\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
		c->left, c->top, c->right - c->left, c->bottom - c->top);
	fprintf(c->out, "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
		(c->left + c->right) / 2, c->height - 6);
	html_text(c->out, c->x.label);
	fprintf(c->out, "</text>\n<text class=\"axis\" transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\">",
		(c->top + c->bottom) / 2);
	html_text(c->out, c->y.label);
	fputs("</text>\n", c->out);
}

void svg_begin(struct svg_chart *c, FILE *out, double width, double height,
	       const char *title, const struct svg_axis *x,
	       const struct svg_axis *y)
{
	c->out = out;
	c->width = width;
	c->height = height;
	c->left = 64;
	c->top = 10;
	c->right = width - 14;
	c->bottom = height - 40;
	c->x = *x;
	c->y = *y;
	if (c->x.categories) {
		c->x.lo = -0.5;
		c->x.hi = c->x.ncategories - 0.5;
	}
	if (c->y.categories) {
		c->y.lo = -0.5;
		c->y.hi = c->y.ncategories - 0.5;
		c->left = 110;
	}
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		"viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"", width, height,
		width, height);
	html_text(out, title);
	fputs("\"><title>", out);
	html_text(out, title);
	fputs("</title>\n", out);
	draw_axes(c);
}

void svg_end(struct svg_chart *c)
{
	fputs("</svg>\n", c->out);
}

static bool visible(const struct svg_axis *a, double v)
{
	return isfinite(v) && (!a->log || v > 0);
}

void svg_point(struct svg_chart *c, double x, double y, double r,
	       const char *cls, const char *tip)
{
	if (!visible(&c->x, x) || !visible(&c->y, y))
		return;
	fprintf(c->out, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"><title>",
		cls, svg_px(c, x), svg_py(c, y), r);
	html_text(c->out, tip);
	fputs("</title></circle>\n", c->out);
}

void svg_line(struct svg_chart *c, const double *x, const double *y,
	      size_t n, bool step, const char *cls)
{
	double prev = NAN;
	size_t i;

	fprintf(c->out, "<path class=\"%s\" d=\"", cls);
	for (i = 0; i < n; i++) {
		if (!visible(&c->x, x[i]) || !visible(&c->y, y[i]))
			continue;
		if (step && isfinite(prev))
			fprintf(c->out, "L%.1f %.1f ", svg_px(c, x[i]), svg_py(c, prev));
		fprintf(c->out, "%c%.1f %.1f ", isfinite(prev) ? 'L' : 'M',
			svg_px(c, x[i]), svg_py(c, y[i]));
		prev = y[i];
	}
	fputs("\"/>\n", c->out);
}

void svg_band(struct svg_chart *c, double y0, double y1, const char *cls)
{
	double top, bottom;

	if (!visible(&c->y, y0) || !visible(&c->y, y1))
		return;
	top = fmax(fmin(fmin(svg_py(c, y0), svg_py(c, y1)), c->bottom), c->top);
	bottom = fmax(fmin(fmax(svg_py(c, y0), svg_py(c, y1)), c->bottom), c->top);
	fprintf(c->out, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
		cls, c->left, top, c->right - c->left, bottom - top);
}

void svg_hline(struct svg_chart *c, double y, const char *cls)
{
	if (!visible(&c->y, y))
		return;
	fprintf(c->out, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		cls, c->left, svg_py(c, y), c->right, svg_py(c, y));
}

void svg_vline(struct svg_chart *c, double x, const char *cls)
{
	if (!visible(&c->x, x))
		return;
	fprintf(c->out, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
		cls, svg_px(c, x), c->top, svg_px(c, x), c->bottom);
}
