// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Aligned text tables; the last column is not padded, so lines carry no
 * trailing blanks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/table.h"

void table_init(struct table *t, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
}

int table_add(struct table *t, const char *const *row)
{
	size_t i;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 32;
		char **grown = realloc(t->cells,
				       cap * t->ncols * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		t->cells = grown;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++) {
		char *cell = strdup(row[i] ? row[i] : "");

		if (!cell) {
			while (i--)
				free(t->cells[t->nrows * t->ncols + i]);
			return -ENOMEM;
		}
		t->cells[t->nrows * t->ncols + i] = cell;
	}
	t->nrows++;
	return 0;
}

void table_print(const struct table *t, FILE *out)
{
	size_t *width = calloc(t->ncols, sizeof(*width));
	size_t r, c;

	if (!width)
		return;
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			size_t len = strlen(t->cells[r * t->ncols + c]);

			if (len > width[c])
				width[c] = len;
		}
	for (r = 0; r < t->nrows; r++) {
		size_t last = t->ncols;

		/* Empty trailing cells would only add blanks. */
		while (last > 1 && !t->cells[r * t->ncols + last - 1][0])
			last--;
		for (c = 0; c < last; c++) {
			const char *cell = t->cells[r * t->ncols + c];

			if (c + 1 < last)
				fprintf(out, "%-*s  ", (int)width[c], cell);
			else
				fprintf(out, "%s\n", cell);
		}
	}
	free(width);
}

void table_free(struct table *t)
{
	size_t i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}
