// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mm: transparent huge pages and KSM under SYSROOT/sys/kernel/mm/, and
 * the huge page pool of every node and page size under
 * SYSROOT/sys/devices/system/node/node<N>/hugepages/hugepages-<S>kB/, as
 * kmod/class_mm.c names them. A THP mode knob's value is the word the
 * file shows in brackets and its domain the words the file offers.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ostune.h>

#include "knobs/discover_class.h"

#define MM_DIR "sys/kernel/mm"
#define NODE_DIR "sys/devices/system/node"

/*
 * "always [madvise] never" to the value "madvise" and the domain
 * "always|madvise|never"; false when no word is bracketed.
 */
static bool thp_modes(const char *list, char *value, size_t vlen,
		      char *domain, size_t dlen)
{
	size_t used = 0;
	const char *p = list;
	bool found = false;

	domain[0] = '\0';
	while (*p) {
		const char *end = strchrnul(p, ' ');
		bool selected = *p == '[' && end[-1] == ']';
		int n = (int)(end - p) - 2 * selected;

		if (selected) {
			snprintf(value, vlen, "%.*s", n, p + 1);
			found = true;
		}
		used += snprintf(domain + used, used < dlen ? dlen - used : 0,
				 "%s%.*s", used ? "|" : "", n, p + selected);
		p = *end ? end + 1 : end;
	}
	return found && used < dlen;
}

static void add_thp_mode(struct discovery *d, const char *name,
			 const char *path)
{
	char list[OSTUNE_VALUE_MAX], value[OSTUNE_VALUE_MAX];
	char domain[OSTUNE_VALUE_MAX];

	if (read_text_at(d->rootfd, path, list, sizeof(list)) &&
	    thp_modes(list, value, sizeof(value), domain, sizeof(domain)))
		discovery_add(d, name, KNOB_CLASS_MM, value, domain);
}

/* A knob that is its file as it reads, with its domain. */
static struct knob *add_plain(struct discovery *d, const char *name,
			      const char *path, const char *domain)
{
	char value[OSTUNE_VALUE_MAX];

	if (!read_text_at(d->rootfd, path, value, sizeof(value)))
		return NULL;
	return discovery_add(d, name, KNOB_CLASS_MM, value, domain);
}

static void add_detail_file(struct discovery *d, struct knob *k,
			    const char *key, const char *unit,
			    const char *path)
{
	char value[OSTUNE_VALUE_MAX];

	if (k && read_text_at(d->rootfd, path, value, sizeof(value)))
		discovery_detail(d, k, key, unit, value);
}

/* A page count file of a pool; false when missing or not a count. */
static bool read_count(struct discovery *d, const char *dir,
		       const char *file, unsigned long *count)
{
	char path[200], text[32], *end;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (!read_text_at(d->rootfd, path, text, sizeof(text)))
		return false;
	*count = strtoul(text, &end, 10);
	return end != text && !*end;
}

/*
 * A pool's value is its persistent pages, as the module reads it: the
 * count less the surplus pages, which come and go with overcommit.
 */
static void add_pool(struct discovery *d, unsigned int node, unsigned int kb)
{
	char dir[160], path[200], name[OSTUNE_NAME_MAX], size[24];
	char value[24];
	unsigned long nr, surplus;
	struct knob *k;

	snprintf(dir, sizeof(dir), NODE_DIR "/node%u/hugepages/hugepages-%ukB",
		 node, kb);
	if (!read_count(d, dir, "nr_hugepages", &nr) ||
	    !read_count(d, dir, "surplus_hugepages", &surplus) || surplus > nr)
		return;
	snprintf(value, sizeof(value), "%lu", nr - surplus);
	snprintf(name, sizeof(name), "mm.node%u.hugepages_%ukB", node, kb);
	k = discovery_add(d, name, KNOB_CLASS_MM, value, "0..4294967295");
	if (!k)
		return;
	snprintf(size, sizeof(size), "%u", kb);
	discovery_detail(d, k, "page-size", "kB", size);
	snprintf(path, sizeof(path), "%s/free_hugepages", dir);
	add_detail_file(d, k, "free", NULL, path);
	snprintf(value, sizeof(value), "%lu", surplus);
	discovery_detail(d, k, "surplus", NULL, value);
}

/*
 * The page sizes of a node: hugepages-<S>kB entries, named as the module
 * names them (S canonical).
 */
static void visit_size(struct discovery *d, int dirfd, const char *entry,
		       const char *prefix, void *arg)
{
	unsigned int node = *(const unsigned int *)arg;
	char name[OSTUNE_NAME_MAX], why[256];
	unsigned int kb;

	(void)dirfd;
	(void)prefix;
	if (sscanf(entry, "hugepages-%ukB", &kb) != 1)
		return;
	snprintf(name, sizeof(name), "mm.node%u.hugepages_%s", node,
		 entry + strlen("hugepages-"));
	if (!knob_name_check(name, NULL, why, sizeof(why)))
		add_pool(d, node, kb);
}

static void discover_pools(struct discovery *d)
{
	unsigned int *nodes;
	size_t nnodes, i;
	char path[128];
	int ret, fd;

	ret = list_indexes_at(d->rootfd, NODE_DIR, "node", &nodes, &nnodes);
	if (ret) {
		discovery_fail(d, ret);
		return;
	}
	for (i = 0; i < nnodes && !d->error; i++) {
		snprintf(path, sizeof(path), NODE_DIR "/node%u/hugepages",
			 nodes[i]);
		fd = openat(d->rootfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0)
			discovery_for_each_entry(d, fd, visit_size, NULL,
						 &nodes[i]);
	}
	free(nodes);
}

void discover_mm(struct discovery *d)
{
	struct knob *k;

	add_thp_mode(d, "mm.thp.enabled", MM_DIR "/transparent_hugepage/enabled");
	add_thp_mode(d, "mm.thp.defrag", MM_DIR "/transparent_hugepage/defrag");
	add_plain(d, "mm.thp.khugepaged_defrag",
		  MM_DIR "/transparent_hugepage/khugepaged/defrag", "0|1");
	/* 2, unmerge, is an action the module refuses as a value */
	k = add_plain(d, "mm.ksm.run", MM_DIR "/ksm/run", "0|1");
	add_detail_file(d, k, "pages-sharing", NULL,
			MM_DIR "/ksm/pages_sharing");
	add_plain(d, "mm.ksm.pages_to_scan", MM_DIR "/ksm/pages_to_scan",
		  "0..4294967295");
	discover_pools(d);
}
