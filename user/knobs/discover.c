// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Knob discovery on a sysroot: the list the per-class discoverers fill,
 * sorted for people. Works without the module and without root (then
 * what root-only files would show is missing).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "knobs/discover_class.h"
#include "knobs/ethtool_nl.h"
#include "knobs/irqaction.h"

void discovery_fail(struct discovery *d, int error)
{
	if (!d->error)
		d->error = error;
}

static char *dup_or_null(const char *s, bool *failed)
{
	char *copy;

	if (!s)
		return NULL;
	copy = strdup(s);
	if (!copy)
		*failed = true;
	return copy;
}

static void knob_free(struct knob *k)
{
	size_t i;

	free(k->name);
	free(k->value);
	free(k->domain);
	for (i = 0; i < k->ndetails; i++)
		free(k->details[i].value);
}

struct knob *discovery_add(struct discovery *d, const char *name,
			   enum knob_class cls, const char *value,
			   const char *domain)
{
	struct knob_list *list = d->list;
	bool failed = false;
	struct knob *k;

	if (d->error)
		return NULL;
	if (list->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 64;
		struct knob *grown = realloc(list->items, cap * sizeof(*grown));

		if (!grown) {
			discovery_fail(d, -ENOMEM);
			return NULL;
		}
		list->items = grown;
		d->cap = cap;
	}
	k = &list->items[list->n];
	memset(k, 0, sizeof(*k));
	k->cls = cls;
	k->name = dup_or_null(name, &failed);
	k->value = dup_or_null(value, &failed);
	k->domain = dup_or_null(domain, &failed);
	if (failed) {
		knob_free(k);
		discovery_fail(d, -ENOMEM);
		return NULL;
	}
	list->n++;
	return k;
}

void discovery_detail(struct discovery *d, struct knob *k, const char *key,
		      const char *unit, const char *value)
{
	struct knob_detail *detail;

	if (!k || !value || k->ndetails == KNOB_DETAILS_MAX)
		return;
	detail = &k->details[k->ndetails];
	detail->value = strdup(value);
	if (!detail->value) {
		discovery_fail(d, -ENOMEM);
		return;
	}
	detail->key = key;
	detail->unit = unit;
	k->ndetails++;
}

bool discovery_cpu_offline(const struct discovery *d, unsigned int cpu)
{
	return d->online[0] && !cpulist_has(d->online, cpu);
}

void discovery_fix(struct discovery *d, struct knob *k, const char *why)
{
	if (!k)
		return;
	k->fixed = true;
	discovery_detail(d, k, "state", NULL, why);
}

void discovery_for_each_entry(struct discovery *d, int fd,
			      void (*visit)(struct discovery *d, int dirfd,
					    const char *entry,
					    const char *prefix, void *arg),
			      const char *prefix, void *arg)
{
	DIR *dir = fdopendir(fd);
	struct dirent *de;

	if (!dir) {
		close(fd);
		return;
	}
	while ((de = readdir(dir)) && !d->error) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		visit(d, dirfd(dir), de->d_name, prefix, arg);
	}
	closedir(dir);
}

static int by_name(const void *a, const void *b)
{
	const struct knob *ka = a, *kb = b;

	return strverscmp(ka->name, kb->name);
}

int discover_knobs_from(const char *sysroot, const struct nic_coal_source *coal,
			struct knob_list *out)
{
	struct discovery d = { .list = out, .coal = coal };

	out->items = NULL;
	out->n = 0;
	d.rootfd = open(sysroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d.rootfd < 0)
		return 0;
	if (!read_text_at(d.rootfd, CPU_DIR "/online", d.online,
			  sizeof(d.online)))
		d.online[0] = '\0';
	discover_sched(&d);
	discover_sysctl(&d);
	discover_idle(&d);
	discover_pmqos(&d);
	discover_freq(&d);
	discover_irq(&d);
	discover_mm(&d);
	discover_wq(&d);
	discover_nic(&d);
	discover_niccoal(&d);
	close(d.rootfd);
	if (d.error) {
		knob_list_free(out);
		return d.error;
	}
	if (out->n)
		qsort(out->items, out->n, sizeof(*out->items), by_name);
	return 0;
}

/*
 * Without ethtool netlink (a kernel before 5.6, a sandbox without
 * NETLINK_GENERIC) the coalescing knobs are missing, as an unreadable
 * directory's are: the rest is still worth listing.
 */
int discover_knobs(const char *sysroot, struct knob_list *out)
{
	struct ethtool_nl *e = NULL;
	struct nic_coal_source live = { ethtool_nl_query, NULL };
	int ret;

	if (!strcmp(sysroot, "/") && !ethtool_nl_open(&e))
		live.ctx = e;
	ret = discover_knobs_from(sysroot, e ? &live : NULL, out);
	ethtool_nl_close(e);
	return ret;
}

bool discover_online_cpus(const char *sysroot, char *buf, size_t len)
{
	int rootfd = open(sysroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	bool ok = rootfd >= 0 && read_text_at(rootfd, CPU_DIR "/online", buf, len);

	if (rootfd >= 0)
		close(rootfd);
	if (!ok && len)
		buf[0] = '\0';
	return ok && buf[0];
}

/* Is value one of the alternatives of domain ("0|1", "none|800000..2400000")? */
static bool in_domain(const char *domain, const char *value)
{
	char alt[128], *end;
	long long lo, hi, v;
	size_t n;

	errno = 0;
	v = strtoll(value, &end, 10);
	if (errno || end == value || *end)
		end = NULL;
	while (*domain) {
		n = strcspn(domain, "|");
		snprintf(alt, sizeof(alt), "%.*s", (int)n, domain);
		if (!strcmp(alt, value))
			return true;
		if (end && sscanf(alt, "%lld..%lld", &lo, &hi) == 2 &&
		    v >= lo && v <= hi)
			return true;
		domain += n + (domain[n] == '|');
	}
	return false;
}

/*
 * Only domains made of words and integer ranges can be checked here
 * ("CPU list in 0-3" cannot): the kernel has the last word on the rest.
 */
static bool checkable_domain(const char *domain)
{
	size_t i;

	for (i = 0; domain[i]; i++)
		if (domain[i] == ' ')
			return false;
	return domain[0] && strcmp(domain, "fixed");
}

int knob_value_check(const struct knob *k, const char *value, char *why,
		     size_t len)
{
	if (k->fixed) {
		snprintf(why, len, "%s takes no value now (%s)", k->name,
			 knob_detail(k, "state") ? knob_detail(k, "state") : "fixed");
		return -EPERM;
	}
	if (k->domain && checkable_domain(k->domain) && !in_domain(k->domain, value)) {
		snprintf(why, len, "%s takes %s, not '%s'", k->name, k->domain, value);
		return -EINVAL;
	}
	return 0;
}

int knob_mark_fixed(struct knob *k)
{
	char *domain = strdup("fixed");

	if (!domain)
		return -ENOMEM;
	free(k->domain);
	k->domain = domain;
	k->fixed = true;
	return 0;
}

void knob_list_free(struct knob_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		knob_free(&list->items[i]);
	free(list->items);
	list->items = NULL;
	list->n = 0;
}

const char *knob_domain(const struct knob *knob)
{
	return knob->domain;
}

const char *knob_detail(const struct knob *knob, const char *key)
{
	size_t i;

	for (i = 0; i < knob->ndetails; i++)
		if (!strcmp(knob->details[i].key, key))
			return knob->details[i].value;
	return NULL;
}

const struct knob *knob_list_find(const struct knob_list *list,
				  const char *name)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		if (!strcmp(list->items[i].name, name))
			return &list->items[i];
	return NULL;
}

size_t knob_list_match(const struct knob_list *list, const char *pattern,
		       const struct knob **out)
{
	size_t i, n = 0;

	for (i = 0; i < list->n; i++)
		if (knob_is_irq_action(pattern) ?
		    irq_action_matches(pattern, &list->items[i]) :
		    knob_pattern_match(pattern, list->items[i].name))
			out[n++] = &list->items[i];
	return n;
}
