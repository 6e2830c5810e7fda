// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Progress display. The terminal line is cleared with "\r\033[K" and
 * redrawn, so it never scrolls; notes print above it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/child.h"
#include "tune/progress.h"

void progress_init(struct progress *p, FILE *out, bool tty,
		   unsigned int total, double budget_s, const char *metric)
{
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->tty = tty;
	p->total = total;
	p->budget_s = budget_s;
	p->start_ms = monotonic_ms();
	snprintf(p->metric, sizeof(p->metric), "%s", metric);
}

/* "1m10s", "42s" */
static void format_duration(double seconds, char *buf, size_t len)
{
	long s = seconds > 0 ? (long)(seconds + 0.5) : 0;

	if (s >= 3600)
		snprintf(buf, len, "%ldh%02ldm", s / 3600, s / 60 % 60);
	else if (s >= 60)
		snprintf(buf, len, "%ldm%02lds", s / 60, s % 60);
	else
		snprintf(buf, len, "%lds", s);
}

/* Left by the budget, or estimated from the pace so far. */
static void time_left(const struct progress *p, char *buf, size_t len)
{
	double elapsed = (monotonic_ms() - p->start_ms) / 1000.0;
	double left;

	if (p->budget_s > 0)
		left = p->budget_s - elapsed;
	else if (p->done)
		left = elapsed / p->done * (p->total + 1 - p->done);
	else {
		snprintf(buf, len, "?");
		return;
	}
	format_duration(left, buf, len);
}

static void clear_line(struct progress *p)
{
	if (p->tty && p->drawn)
		fputs("\r\033[K", p->out);
	p->drawn = false;
}

static void draw(struct progress *p, const char *what)
{
	char left[32];

	time_left(p, left, sizeof(left));
	clear_line(p);
	fprintf(p->out, "%s | best %s %s | ~%s left", what, p->metric,
		p->best[0] ? p->best : "-", left);
	fflush(p->out);
	p->drawn = true;
}

void progress_window(struct progress *p, unsigned int iteration,
		     unsigned int window, unsigned int windows,
		     const char *phase)
{
	char what[96];

	if (!p->tty)
		return;
	snprintf(what, sizeof(what), "[%u/%u] window %u/%u (%s)", iteration,
		 p->total, window, windows, phase);
	draw(p, what);
}

void progress_config(struct progress *p, unsigned int iteration,
		     const char *line, const char *best)
{
	char what[64];

	p->done++;
	snprintf(p->best, sizeof(p->best), "%s", best);
	if (!p->tty) {
		fprintf(p->out, "tune: [%u/%u] %s\n", iteration, p->total, line);
		fflush(p->out);
		return;
	}
	snprintf(what, sizeof(what), "[%u/%u] done", iteration, p->total);
	draw(p, what);
}

void progress_note(struct progress *p, const char *fmt, ...)
{
	va_list ap;

	clear_line(p);
	fputs("tune: ", p->out);
	va_start(ap, fmt);
	vfprintf(p->out, fmt, ap);
	va_end(ap);
	fputc('\n', p->out);
	fflush(p->out);
}

void progress_done(struct progress *p)
{
	if (p->tty && p->drawn)
		fputc('\n', p->out);
	p->drawn = false;
	fflush(p->out);
}
