/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Text tables with columns padded to their widest cell.
 */
#ifndef OSTUNE_TABLE_H
#define OSTUNE_TABLE_H

#include <stddef.h>
#include <stdio.h>

struct table {
	size_t ncols;
	size_t nrows;
	size_t cap;
	char **cells;	/* nrows * ncols, row by row */
};

void table_init(struct table *t, size_t ncols);
/* Copies the row's ncols cells (NULL prints as empty). 0 or -ENOMEM. */
int table_add(struct table *t, const char *const *row);
void table_print(const struct table *t, FILE *out);
void table_free(struct table *t);

#endif /* OSTUNE_TABLE_H */
