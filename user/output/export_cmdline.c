// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune export --format cmdline: what only the kernel command line can
 * set, as a GRUB drop-in (/etc/default/grub.d/ostune.cfg), from
 *
 *   --isolate CPUS        isolcpus=, nohz_full=, rcu_nocbs= CPUS, and
 *                         irqaffinity= the other CPUs
 *   the run's IRQ masks   irqaffinity= the one CPU list the run gave all
 *                         the IRQs it tuned, unless it names isolated CPUs
 *                         (then --isolate's wins)
 *   the run's idle flags  when every CPU of this host ends up with the
 *                         same states disabled, all from state K down:
 *                         idle=poll for K=1, else intel_idle.max_cstate=
 *                         or processor.max_cstate= K-1 (by the cpuidle
 *                         driver)
 *
 * Written, never installed: GRUB's files are the administrator's.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ostune.h>

#include "knobs/knobname.h"
#include "knobs/sysread.h"
#include "output/export.h"

/* CPU numbers a list may name: NR_CPUS of Debian's amd64 kernels. */
#define CPUS_MAX 8192
#define SETTINGS_MAX 8

struct cmdline {
	struct {
		char param[OSTUNE_VALUE_MAX + 32];	/* "isolcpus=2-3" */
		char why[512];
	} set[SETTINGS_MAX];
	size_t n;
	char left[SETTINGS_MAX][512];	/* what could not be expressed, why */
	size_t nleft;
	bool host[CPUS_MAX];		/* this host's possible CPUs */
	bool isolated[CPUS_MAX];	/* --isolate's, none without it */
	char irq_cpus[OSTUNE_VALUE_MAX];	/* the irqaffinity= list, or "" */
};

__attribute__((format(printf, 3, 4)))
static void add(struct cmdline *c, const char *param, const char *fmt, ...)
{
	va_list ap;

	if (c->n == SETTINGS_MAX)
		return;
	snprintf(c->set[c->n].param, sizeof(c->set[0].param), "%s", param);
	va_start(ap, fmt);
	vsnprintf(c->set[c->n].why, sizeof(c->set[0].why), fmt, ap);
	va_end(ap);
	c->n++;
}

__attribute__((format(printf, 2, 3)))
static void leave_out(struct cmdline *c, const char *fmt, ...)
{
	va_list ap;

	if (c->nleft == SETTINGS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(c->left[c->nleft++], sizeof(c->left[0]), fmt, ap);
	va_end(ap);
}

/* list into set (CPUS_MAX), naming only CPUs this host has. */
static int host_cpus_only(const struct cmdline *c, const char *what,
			  const char *list, const char *host, bool *set,
			  char *why, size_t len)
{
	unsigned long bad = 0;
	size_t cpu;
	int ret = cpulist_parse(list, set, CPUS_MAX, &bad);

	if (ret == -EINVAL) {
		snprintf(why, len, "%s '%s' is not a CPU list (want e.g. 2-3,6)",
			 what, list);
		return -EINVAL;
	}
	for (cpu = 0; !ret && cpu < CPUS_MAX; cpu++) {
		if (set[cpu] && !c->host[cpu]) {
			bad = cpu;
			ret = -ERANGE;
		}
	}
	if (ret) {
		snprintf(why, len, "%s %s: CPU %lu is not one of this host's CPUs (%s)",
			 what, list, bad, host);
		return -EINVAL;
	}
	return 0;
}

/* The run's IRQ masks, when it gave all its IRQs one list. */
static int irq_default(const struct export_source *src, struct cmdline *c,
		       char *why, size_t len)
{
	const struct changeset *cs = src->knobs;
	char param[sizeof(c->set[0].param)];
	const char *list = NULL;
	bool set[CPUS_MAX];
	size_t i, n = 0;

	for (i = 0; i < cs->n; i++) {
		if (strncmp(cs->items[i].name, "irq.", 4))
			continue;
		n++;
		if (list && strcmp(list, cs->items[i].value)) {
			leave_out(c, "irqaffinity: the run gives its IRQs different CPU lists; irqaffinity= is one for all (the profile sets each, ostune-apply.service)");
			return 0;
		}
		list = cs->items[i].value;
	}
	if (!list)
		return 0;
	if (host_cpus_only(c, "the run's IRQ mask", list, src->host_cpus, set,
			   why, len))
		return -EINVAL;
	for (i = 0; i < CPUS_MAX; i++) {
		if (set[i] && c->isolated[i]) {
			leave_out(c, "irqaffinity: the run's list for its IRQs, %s, has isolated CPUs; the CPUs not isolated stand instead",
				  list);
			return 0;
		}
	}
	cpulist_format(set, CPUS_MAX, c->irq_cpus, sizeof(c->irq_cpus));
	snprintf(param, sizeof(param), "irqaffinity=%s", c->irq_cpus);
	add(c, param, "every IRQ starts on CPUs %s, the list the run gave the %zu IRQ%s it tuned",
	    c->irq_cpus, n, n == 1 ? "" : "s");
	return 0;
}

static int isolate(const struct export_source *src, struct cmdline *c,
		   char *why, size_t len)
{
	char cpus[OSTUNE_VALUE_MAX];
	char param[sizeof(c->set[0].param)];
	bool *set = c->isolated;

	if (host_cpus_only(c, "--isolate", src->isolate, src->host_cpus, set,
			   why, len))
		return -EINVAL;
	if (set[0]) {
		snprintf(why, len, "--isolate %s: CPU 0 keeps time for the others and nohz_full= leaves it out; isolate CPUs other than 0",
			 src->isolate);
		return -EINVAL;
	}
	cpulist_format(set, CPUS_MAX, cpus, sizeof(cpus));
	snprintf(param, sizeof(param), "isolcpus=%s", cpus);
	add(c, param, "no load balancing onto CPUs %s: only tasks pinned there run there (--isolate)",
	    cpus);
	snprintf(param, sizeof(param), "nohz_full=%s", cpus);
	add(c, param, "no scheduling-clock tick on CPUs %s while each runs one task (--isolate)",
	    cpus);
	snprintf(param, sizeof(param), "rcu_nocbs=%s", cpus);
	add(c, param, "the RCU callbacks of CPUs %s run on the others (--isolate)",
	    cpus);
	return 0;
}

/* Without the run's list, IRQs start on the CPUs not isolated. */
static void irq_housekeeping(struct cmdline *c)
{
	char param[sizeof(c->set[0].param)], rest[OSTUNE_VALUE_MAX];
	bool others[CPUS_MAX];
	size_t cpu;

	/* CPU 0 is never isolated: there is always one for the kernel */
	for (cpu = 0; cpu < CPUS_MAX; cpu++)
		others[cpu] = c->host[cpu] && !c->isolated[cpu];
	cpulist_format(others, CPUS_MAX, rest, sizeof(rest));
	snprintf(param, sizeof(param), "irqaffinity=%s", rest);
	add(c, param, "every IRQ starts on CPUs %s, the ones not isolated (--isolate)",
	    rest);
}

/* The state's disable flag with the run's value over the host's. */
static bool disabled(const struct export_source *src, const struct knob *k)
{
	size_t i;

	for (i = 0; i < src->knobs->n; i++)
		if (!strcmp(src->knobs->items[i].name, k->name))
			return strcmp(src->knobs->items[i].value, "0") != 0;
	return strcmp(k->value, "0") != 0;
}

struct idle_scan {
	unsigned int cpu;	/* the CPU being scanned */
	unsigned int first_off;	/* its first disabled state, UINT_MAX none */
	bool on_after_off;	/* an enabled state deeper than a disabled one */
	unsigned int limit;	/* the first_off all CPUs share, UINT_MAX none */
	bool uniform;
	const char *kept;	/* name of the deepest state left enabled */
};

static void idle_cpu_done(struct idle_scan *s)
{
	if (s->first_off == UINT_MAX || s->on_after_off ||
	    (s->limit != UINT_MAX && s->limit != s->first_off))
		s->uniform = false;
	s->limit = s->first_off;
}

/*
 * The states from K down, disabled on every CPU: how deep the CPUs may
 * sleep, a limit the command line can set for all CPUs at once.
 */
static void idle_limit(const struct export_source *src, struct cmdline *c)
{
	struct idle_scan s = { .cpu = UINT_MAX, .limit = UINT_MAX,
			       .uniform = true };
	char param[sizeof(c->set[0].param)];
	bool wanted = false, poll = true;
	const char *driver = src->idle_driver;
	size_t i;

	for (i = 0; i < src->knobs->n; i++)
		wanted |= !strncmp(src->knobs->items[i].name, "idle.", 5) &&
			  strcmp(src->knobs->items[i].value, "0");
	if (!wanted)
		return;
	for (i = 0; src->known && i < src->known->n; i++) {
		const struct knob *k = &src->known->items[i];
		unsigned int cpu, state;
		const char *rest;

		if (k->cls != KNOB_CLASS_IDLE ||
		    !(rest = knob_parse_index(k->name + 5, "cpu", &cpu)) ||
		    !knob_parse_index(rest, "state", &state))
			continue;
		if (cpu != s.cpu) {
			if (s.cpu != UINT_MAX)
				idle_cpu_done(&s);
			s.cpu = cpu;
			s.first_off = UINT_MAX;
			s.on_after_off = false;
		}
		if (state == 0)
			poll = poll && knob_detail(k, "name") &&
			       !strcmp(knob_detail(k, "name"), "POLL");
		if (disabled(src, k) && s.first_off == UINT_MAX)
			s.first_off = state;
		else if (!disabled(src, k) && s.first_off != UINT_MAX)
			s.on_after_off = true;
		if (s.first_off == UINT_MAX)
			s.kept = knob_detail(k, "name");
	}
	if (s.cpu == UINT_MAX) {
		leave_out(c, "idle states: this host shows none to compare the run's with (export on the host that was tuned)");
		return;
	}
	idle_cpu_done(&s);
	if (!s.uniform || s.limit == 0 || !poll) {
		leave_out(c, "idle states: %s; a command-line limit is one for all CPUs (the profile sets each, ostune-apply.service)",
			  !poll ? "state 0 is not POLL, so state numbers are not C-state limits" :
			  "the run leaves different states enabled on different CPUs, or not all from one state down");
		return;
	}
	if (s.limit == 1) {
		add(c, "idle=poll", "no idle state but polling, as the run disables states 1 and deeper on every CPU: the CPUs never sleep (more power, no wake-up latency)");
		return;
	}
	if (!driver || (strcmp(driver, "intel_idle") && strcmp(driver, "acpi_idle"))) {
		leave_out(c, "idle states 0-%u: the cpuidle driver, %s, takes no C-state limit (intel_idle and acpi_idle do)",
			  s.limit - 1, driver ? driver : "unknown");
		return;
	}
	snprintf(param, sizeof(param), "%s.max_cstate=%u",
		 strcmp(driver, "intel_idle") ? "processor" : "intel_idle",
		 s.limit - 1);
	add(c, param, "the %s driver registers states up to %u (%s), as the run disables states %u and deeper on every CPU",
	    driver, s.limit - 1, s.kept ? s.kept : "?", s.limit);
}

static int plan(const struct export_source *src, struct cmdline *c,
		char *why, size_t len)
{
	unsigned long bad;
	int ret;

	if (!src->host_cpus || cpulist_parse(src->host_cpus, c->host, CPUS_MAX, &bad)) {
		snprintf(why, len, "cannot tell this host's CPUs (sys/devices/system/cpu/possible): every CPU list is checked against them");
		return -EINVAL;
	}
	ret = src->isolate ? isolate(src, c, why, len) : 0;
	if (!ret)
		ret = irq_default(src, c, why, len);
	if (!ret && src->isolate && !c->irq_cpus[0])
		irq_housekeeping(c);
	if (!ret)
		idle_limit(src, c);
	if (!ret && !c->n) {
		snprintf(why, len, "nothing for the kernel command line: the run sets neither one mask for all its IRQs nor one idle limit for all CPUs%s%s%s; --isolate CPUS isolates CPUs",
			 c->nleft ? " (" : "", c->nleft ? c->left[0] : "",
			 c->nleft ? ")" : "");
		return -ENOENT;
	}
	return ret;
}

int export_cmdline(const struct export_source *src, FILE *out, char *why,
		   size_t len)
{
	struct cmdline *c = calloc(1, sizeof(*c));
	size_t i, other = 0;
	int ret;

	if (!c)
		return -ENOMEM;
	ret = plan(src, c, why, len);
	if (ret) {
		free(c);
		return ret;
	}
	fputs("# /etc/default/grub.d/ostune.cfg: kernel command-line settings.\n", out);
	export_header(src, "# ", "update-grub reads this file after /etc/default/grub. Install it, as root:", out);
	fputs("#   cp THIS-FILE /etc/default/grub.d/ostune.cfg && update-grub && reboot\n"
	      "# Remove it:\n"
	      "#   rm /etc/default/grub.d/ostune.cfg && update-grub && reboot\n"
	      "# GRUB_CMDLINE_LINUX_DEFAULT is for the normal boot entries only: the\n"
	      "# recovery entries boot without these settings.\n", out);
	for (i = 0; i < src->knobs->n; i++)
		other += strncmp(src->knobs->items[i].name, "irq.", 4) &&
			 strncmp(src->knobs->items[i].name, "idle.", 5);
	if (other)
		fprintf(out, "# The run's %zu other knob%s change%s at run time: 'ostune export --format\n"
			"# profile', applied at boot by ostune-apply.service.\n",
			other, other == 1 ? "" : "s", other == 1 ? "s" : "");
	for (i = 0; i < c->nleft; i++)
		fprintf(out, "#\n# Left out: %s.\n", c->left[i]);
	for (i = 0; i < c->n; i++)
		fprintf(out, "\n# %s: %s.\nGRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT %s\"\n",
			c->set[i].param, c->set[i].why, c->set[i].param);
	free(c);
	return 0;
}
