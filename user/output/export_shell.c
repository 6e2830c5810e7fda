// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune export --format shell: a POSIX sh script that writes each value
 * into the file where the kernel keeps it, for hosts without ostune.
 * Nothing puts the old values back, so it prints them first.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "output/export.h"

/* A word the shell takes as it is (a /proc or /sys path, mostly). */
static bool plain_word(const char *text)
{
	return *text && strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/._-") == strlen(text);
}

/* 'text', with every ' as '\'' */
static void quote(const char *text, FILE *out)
{
	fputc('\'', out);
	for (; *text; text++) {
		if (*text == '\'')
			fputs("'\\''", out);
		else
			fputc(*text, out);
	}
	fputc('\'', out);
}

int export_shell(const struct export_source *src, FILE *out)
{
	const struct changeset *cs = src->knobs;
	char path[300], text[300];
	size_t i, left = 0;

	fputs("#!/bin/sh\n", out);
	export_header(src, "# ", "Writes each value where the kernel keeps it; run as root (debugfs mounted for sched.*).", out);
	fputs("# Nothing restores the old values: the script prints them before it writes.\n", out);
	for (i = 0; i < cs->n; i++) {
		if (!export_plain_file(cs->items[i].name, cs->items[i].value, path,
				       sizeof(path), text, sizeof(text), text,
				       sizeof(text)))
			continue;
		if (!left++)
			fputs("#\n# Left out:\n", out);
		fprintf(out, "#   %s = %s: %s\n", cs->items[i].name,
			cs->items[i].value, text);
	}
	fputs("\nset -e\n\n"
	      "# set FILE VALUE: print FILE's old value, then write VALUE into it.\n"
	      "set_file()\n{\n"
	      "\tprintf '%s: %s -> %s\\n' \"$1\" \"$(cat \"$1\")\" \"$2\"\n"
	      "\tprintf '%s\\n' \"$2\" >\"$1\"\n}\n\n", out);
	for (i = 0; i < cs->n; i++) {
		if (export_plain_file(cs->items[i].name, cs->items[i].value, path,
				      sizeof(path), text, sizeof(text), text,
				      sizeof(text)))
			continue;
		/* an interface name may hold anything but '/', ':' and blanks */
		fputs("set_file ", out);
		if (plain_word(path))
			fputs(path, out);
		else
			quote(path, out);
		fputc(' ', out);
		quote(text, out);
		fputc('\n', out);
	}
	return 0;
}
