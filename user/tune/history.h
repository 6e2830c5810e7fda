/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * history.jsonl: one JSON object per line, one line per measured window
 * (see user/README.md for the fields). Lines are written whole and
 * flushed at once, so an interrupted run loses at most the line being
 * written; reading drops such a torn last line.
 */
#ifndef OSTUNE_HISTORY_H
#define OSTUNE_HISTORY_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

struct history_file {
	FILE *f;
	char path[600];
};

/* Opens DIR/history.jsonl for appending (created if missing). -errno. */
int history_open(struct history_file *h, const char *dir);
/* Writes one line and flushes it. -errno. */
int history_append(struct history_file *h, const json_t *line);
void history_close(struct history_file *h);

struct history_lines {
	json_t **lines;
	size_t n;
};

/*
 * Reads every line. A torn last line is dropped (and *torn set); a bad
 * line elsewhere is an error: -EINVAL with why "PATH:LINE: ...".
 * A missing file is an empty history.
 */
int history_load(const char *path, struct history_lines *out, int *torn,
		 char *why, size_t len);
void history_lines_free(struct history_lines *h);
/*
 * Rewrites the file with the first n lines of h (through a temporary file
 * and rename, so a crash leaves the old or the new file). -errno.
 */
int history_rewrite(const char *path, const struct history_lines *h,
		    size_t n);

#endif /* OSTUNE_HISTORY_H */
