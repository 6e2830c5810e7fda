// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * irq: irq.<N>.affinity for the numbered rows of SYSROOT/proc/interrupts
 * (NMI, LOC and the other per-CPU counters are no IRQs one can move),
 * valued by SYSROOT/proc/irq/<N>/smp_affinity_list. Newer kernels (6.12,
 * not 6.1) make that file read-only for IRQs user space cannot move
 * (kernel-managed, no balancing like x86's timer); those are listed as
 * fixed. Older ones show no sign of it: the module knows, and the CLI
 * asks it (module_discover()).
 */
#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/ostune.h>

#include "knobs/discover_class.h"

#define INTERRUPTS "proc/interrupts"

struct irq_row {
	unsigned int irq;
	char *chip;		/* point into the line */
	char *devices;		/* "" when no handler is installed */
};

static char *skip_spaces(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static char *skip_word(char *p)
{
	while (*p && !isspace((unsigned char)*p))
		p++;
	return p;
}

/* "a, b" -> "a,b": the devices of a shared IRQ as one word. */
static void drop_space_after_commas(char *s)
{
	char *out = s, prev = '\0';

	for (; *s; prev = *s++)
		if (!(*s == ' ' && prev == ','))
			*out++ = *s;
	*out = '\0';
}

/*
 * "  26:   0   13   IO-APIC   4-edge      ttyS0\n": the IRQ, one count
 * per CPU, the chip, the chip's hardware IRQ and trigger, then, after two
 * spaces, the handlers' names separated by ", " (kernel/irq/proc.c).
 * Modifies line. false for rows that are not numbered IRQs.
 */
static bool parse_row(char *line, struct irq_row *row)
{
	char *p = skip_spaces(line), *end, *rest, *sep = NULL, *q;
	unsigned long irq;

	if (!isdigit((unsigned char)*p))
		return false;
	irq = strtoul(p, &end, 10);
	if (*end != ':' || irq > UINT_MAX)
		return false;
	row->irq = irq;
	p = end + 1;
	for (;;) {
		p = skip_spaces(p);
		end = skip_word(p);
		if (end == p)
			return false;
		if (strspn(p, "0123456789") != (size_t)(end - p))
			break;
		p = end;
	}
	row->chip = p;
	rest = *end ? end + 1 : end;
	*end = '\0';
	rest = skip_spaces(rest);
	rest[strcspn(rest, "\n")] = '\0';
	for (q = rest; *q; q++)
		if (q[0] == ' ' && q[1] == ' ')
			sep = q;
	row->devices = sep ? skip_spaces(sep) : q;
	drop_space_after_commas(row->devices);
	return true;
}

static void add_irq(struct discovery *d, const struct irq_row *row,
		    const char *domain)
{
	char path[64], value[OSTUNE_VALUE_MAX], name[OSTUNE_NAME_MAX];
	bool fixed;
	struct knob *k;

	snprintf(path, sizeof(path), "proc/irq/%u/smp_affinity_list",
		 row->irq);
	if (!read_text_at(d->rootfd, path, value, sizeof(value)))
		return;
	fixed = !owner_writable_at(d->rootfd, path);
	snprintf(name, sizeof(name), "irq.%u.affinity", row->irq);
	k = discovery_add(d, name, KNOB_CLASS_IRQ, value,
			  fixed ? "fixed" : domain);
	if (!k)
		return;
	k->fixed = fixed;
	discovery_detail(d, k, "irq-name", NULL,
			 *row->devices ? row->devices : NULL);
	discovery_detail(d, k, "chip", NULL, row->chip);
	snprintf(path, sizeof(path), "proc/irq/%u/effective_affinity_list",
		 row->irq);
	if (read_text_at(d->rootfd, path, value, sizeof(value)))
		discovery_detail(d, k, "effective", NULL, value);
}

void discover_irq(struct discovery *d)
{
	char domain[OSTUNE_VALUE_MAX + 16];
	int fd = openat(d->rootfd, INTERRUPTS, O_RDONLY | O_CLOEXEC);
	char *line = NULL;
	size_t cap = 0;
	struct irq_row row;
	FILE *f;

	if (fd < 0)
		return;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return;
	}
	if (d->online[0])
		snprintf(domain, sizeof(domain), "CPU list in %s", d->online);
	else
		snprintf(domain, sizeof(domain), "CPU list");
	while (getline(&line, &cap, f) > 0 && !d->error)
		if (parse_row(line, &row))
			add_irq(d, &row, domain);
	free(line);
	fclose(f);
}
