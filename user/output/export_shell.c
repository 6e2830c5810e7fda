// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune export --format shell: a POSIX sh script that writes each value
 * into the file where the kernel keeps it, for hosts without ostune, and
 * gives a nic coalescing or ring knob, which no file holds, to ethtool.
 * Nothing puts the old values back, so it prints them first.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "knobs/knobname.h"
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

/*
 * set_ethtool -C|-G IF WORD VALUE prints the old value as ethtool -c/-g
 * shows it (a ring's current size is its second RX:/TX: line), then sets.
 */
static const char set_ethtool_fn[] =
	"# set_ethtool -C|-G IF WORD VALUE: print the old value, then set it.\n"
	"set_ethtool()\n{\n"
	"\tif [ \"$1\" = -C ]; then\n"
	"\t\told=$(ethtool -c \"$2\" | sed -n \"s/^$3:[[:space:]]*//p\")\n"
	"\telse\n"
	"\t\told=$(ethtool -g \"$2\" | sed -n \"s/^$(printf %s \"$3\" | tr a-z A-Z):[[:space:]]*//p\" | tail -n 1)\n"
	"\tfi\n"
	"\tprintf '%s %s: %s -> %s\\n' \"$2\" \"$3\" \"$old\" \"$4\"\n"
	"\tethtool \"$1\" \"$2\" \"$3\" \"$4\"\n}\n\n";

int export_shell(const struct export_source *src, FILE *out)
{
	const struct changeset *cs = src->knobs;
	const struct knob_nic_coal_param *param;
	char path[300], text[300], ifname[KNOB_IFNAMSIZ];
	size_t i, left = 0, ethtool = 0;

	fputs("#!/bin/sh\n", out);
	export_header(src, "# ", "Writes each value where the kernel keeps it; run as root (debugfs mounted for sched.*).", out);
	fputs("# Nothing restores the old values: the script prints them before it writes.\n", out);
	for (i = 0; i < cs->n; i++) {
		if (export_ethtool_knob(cs->items[i].name, ifname, &param)) {
			ethtool++;
			continue;
		}
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
	if (ethtool)
		fputs(set_ethtool_fn, out);
	for (i = 0; i < cs->n; i++) {
		if (export_ethtool_knob(cs->items[i].name, ifname, &param)) {
			fprintf(out, "set_ethtool %s ", param->ethtool_opt);
			quote(ifname, out);
			fprintf(out, " %s ", param->ethtool_word);
			quote(export_ethtool_value(param, cs->items[i].value), out);
			fputc('\n', out);
			continue;
		}
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
