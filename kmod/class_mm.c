// SPDX-License-Identifier: GPL-2.0
/*
 * mm.*: memory-management attributes under /sys/kernel/mm and the per-node
 * huge page pools, none of which has an in-kernel setter a module may
 * call. Each is its sysfs attribute, written through the module's own
 * sysfs mount and read back, so the kernel's store handler applies its
 * own rules and locking.
 *
 *   mm.thp.enabled, mm.thp.defrag  the mode word the file shows selected
 *                                  ("[madvise]" reads "madvise"); a new
 *                                  value must be a word the file offers
 *   mm.thp.khugepaged_defrag       0 or 1
 *   mm.ksm.run                     0 (stop ksmd) or 1 (run it). 2 (unmerge
 *                                  every merged page) is an action, not a
 *                                  setting: it can take long and needs the
 *                                  memory the merged pages saved, and it
 *                                  stops ksmd like 0. It is refused as a
 *                                  value; a restore still writes back a 2
 *                                  found before ostune, which leaves the
 *                                  pages unmerged as they were.
 *   mm.ksm.pages_to_scan           pages ksmd scans per wake-up
 *   mm.node<N>.hugepages_<S>kB     persistent huge pages of S kB on node N
 *
 * A pool reads as its persistent pages, what a write sets: the file's
 * count less the surplus pages, which come and go with overcommit and
 * with pages still in use when the pool shrank, and would otherwise look
 * like someone else's change. A huge page pool may grow less than asked
 * (memory is fragmented, or short): such a write fails with -ENOMEM after
 * what was allocated was read back, so the transaction puts the pool back
 * and frees it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ostune.h"

enum mm_kind {
	/* one of the words the file lists, the selected one in brackets */
	MM_WORD,
	/* 0 or 1 */
	MM_BOOL,
	/* 0 or 1 here; the file also takes 2 */
	MM_KSM_RUN,
	/* a decimal unsigned int */
	MM_UINT,
	/* a decimal unsigned int, pages that may not all be allocated */
	MM_HUGEPAGES,
};

struct mm_knob {
	const char *sub;
	const char *path;
	enum mm_kind kind;
};

static const struct mm_knob mm_knobs[] = {
	{ "thp.enabled", "kernel/mm/transparent_hugepage/enabled", MM_WORD },
	{ "thp.defrag", "kernel/mm/transparent_hugepage/defrag", MM_WORD },
	{ "thp.khugepaged_defrag",
	  "kernel/mm/transparent_hugepage/khugepaged/defrag", MM_BOOL },
	{ "ksm.run", "kernel/mm/ksm/run", MM_KSM_RUN },
	{ "ksm.pages_to_scan", "kernel/mm/ksm/pages_to_scan", MM_UINT },
};

static const struct mm_knob mm_hugepages = { .kind = MM_HUGEPAGES };

/* A canonical decimal (no sign, no leading zero) and nothing after it. */
static bool mm_parse_uint(const char *s, unsigned int *v)
{
	const char *end = ostune_parse_index(s, "", v);

	/* ostune_parse_index() takes the "5." of "5.rest" too */
	return end && !*end && end[-1] != '.';
}

/* node<N>.hugepages_<S>kB */
static int mm_parse_hugepages(const char *sub, unsigned int *node,
			      unsigned int *kb)
{
	const char *rest = ostune_parse_index(sub, "node", node);
	char digits[12];
	size_t n;

	if (!rest || !str_has_prefix(rest, "hugepages_"))
		return -EINVAL;
	rest += strlen("hugepages_");
	n = strlen(rest);
	if (n < 3 || n - 2 >= sizeof(digits) || strcmp(rest + n - 2, "kB"))
		return -EINVAL;
	/* the size alone, for ostune_parse_index() to see where it ends */
	memcpy(digits, rest, n - 2);
	digits[n - 2] = '\0';
	return mm_parse_uint(digits, kb) ? 0 : -EINVAL;
}

static const struct mm_knob *mm_lookup(const char *sub)
{
	unsigned int i, node, kb;

	for (i = 0; i < ARRAY_SIZE(mm_knobs); i++)
		if (!strcmp(sub, mm_knobs[i].sub))
			return &mm_knobs[i];
	if (!mm_parse_hugepages(sub, &node, &kb))
		return &mm_hugepages;
	return NULL;
}

static char *mm_hugepages_path(unsigned int node, unsigned int kb,
			       const char *file)
{
	return kasprintf(GFP_KERNEL,
			 "devices/system/node/node%u/hugepages/hugepages-%ukB/%s",
			 node, kb, file);
}

static int mm_open(struct ostune_knob_file *kf, bool write, char *why,
		   size_t len)
{
	const struct mm_knob *mk = mm_lookup(kf->knob->sub);
	unsigned int node, kb;
	char *path = NULL;
	int ret;

	if (!mk) {
		snprintf(why, len, "unknown mm knob (see ostune knobs 'mm.*')");
		return -EINVAL;
	}
	if (mk->kind == MM_HUGEPAGES) {
		mm_parse_hugepages(kf->knob->sub, &node, &kb);
		if (node >= MAX_NUMNODES || !node_online(node)) {
			snprintf(why, len, "no node%u on this host", node);
			return -ENOENT;
		}
		path = mm_hugepages_path(node, kb, "nr_hugepages");
		if (!path)
			return -ENOMEM;
	}
	ret = ostune_text_open(kf, OSTUNE_FS_SYSFS, path ?: mk->path, write);
	kfree(path);
	if (ret == -ENOENT && mk->kind == MM_HUGEPAGES)
		snprintf(why, len, "no %u kB huge pages on node%u", kb, node);
	else if (ret == -ENOENT)
		snprintf(why, len, "not in this kernel (CONFIG_%s off?)",
			 mk->kind == MM_KSM_RUN || mk->kind == MM_UINT ?
			 "KSM" : "TRANSPARENT_HUGEPAGE");
	else if (ret)
		snprintf(why, len, "cannot open: error %d", ret);
	else
		kf->data = (void *)mk;
	return ret;
}

/* The word in brackets of a folded "always [madvise] never". */
static int mm_selected(const char *list, char *buf, size_t size)
{
	const char *open = strchr(list, '['), *close;

	if (!open)
		return -EIO;
	close = strchr(open, ']');
	if (!close || close - open - 1 >= size || close == open + 1)
		return -EIO;
	memcpy(buf, open + 1, close - open - 1);
	buf[close - open - 1] = '\0';
	return 0;
}

static int mm_read_uint(struct ostune_knob_file *kf, unsigned int *v)
{
	char buf[16];
	int ret = ostune_text_read(kf, buf, sizeof(buf));

	return ret ?: mm_parse_uint(buf, v) ? 0 : -EIO;
}

#define MM_POOL_TRIES	3

/*
 * The persistent pages of a pool (see the top of the file). The surplus
 * is read on both sides of the count: the same twice, the count is of
 * that surplus.
 */
static int mm_read_pool(struct ostune_knob_file *kf, char *buf, size_t size)
{
	struct ostune_knob_file surplus = { .knob = kf->knob };
	unsigned int node, kb, nr, s1, s2, tries = 0;
	char *path;
	int ret;

	mm_parse_hugepages(kf->knob->sub, &node, &kb);
	path = mm_hugepages_path(node, kb, "surplus_hugepages");
	if (!path)
		return -ENOMEM;
	ret = ostune_text_open(&surplus, OSTUNE_FS_SYSFS, path, false);
	kfree(path);
	if (ret)
		return ret;
	do {
		ret = mm_read_uint(&surplus, &s1) ?: mm_read_uint(kf, &nr) ?:
		      mm_read_uint(&surplus, &s2);
	} while (!ret && s1 != s2 && ++tries < MM_POOL_TRIES);
	ostune_text_close(&surplus);
	if (!ret && (s1 != s2 || s1 > nr))
		ret = -EAGAIN;
	if (!ret && snprintf(buf, size, "%u", nr - s1) >= size)
		ret = -EOVERFLOW;
	return ret;
}

static int mm_read(struct ostune_knob_file *kf, char *buf, size_t size)
{
	const struct mm_knob *mk = kf->data;
	char list[OSTUNE_VALUE_MAX];
	int ret;

	if (mk->kind == MM_HUGEPAGES)
		return mm_read_pool(kf, buf, size);
	if (mk->kind != MM_WORD)
		return ostune_text_read(kf, buf, size);
	ret = ostune_text_read(kf, list, sizeof(list));
	return ret ?: mm_selected(list, buf, size);
}

/* word is one of the words of list, bracketed or not. */
static bool mm_word_offered(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;

	while (*p) {
		if (*p == '[')
			p++;
		if (!strncmp(p, word, n) &&
		    (!p[n] || p[n] == ' ' || p[n] == ']'))
			return true;
		p = strchrnul(p, ' ');
		if (*p)
			p++;
	}
	return false;
}

/* The file of a MM_WORD knob as it lists its modes. */
static int mm_modes(const struct mm_knob *mk, char *buf, size_t size)
{
	struct ostune_knob_file kf = { .data = (void *)mk };
	int ret;

	ret = ostune_text_open(&kf, OSTUNE_FS_SYSFS, mk->path, false);
	if (ret)
		return ret;
	ret = ostune_text_read(&kf, buf, size);
	ostune_text_close(&kf);
	return ret;
}

static int mm_check_word(const struct mm_knob *mk, const char *value,
			 char *why, size_t len)
{
	char list[OSTUNE_VALUE_MAX];
	const char *p;
	int ret;

	for (p = value; *p; p++) {
		if (!islower(*p) && *p != '+') {
			snprintf(why, len, "'%.16s' is not a mode word (want e.g. madvise)",
				 value);
			return -EINVAL;
		}
	}
	ret = mm_modes(mk, list, sizeof(list));
	if (ret) {
		snprintf(why, len, "cannot read its modes: error %d", ret);
		return ret;
	}
	if (!*value || !mm_word_offered(list, value)) {
		snprintf(why, len, "'%.16s' is not a mode this kernel offers",
			 value);
		return -EINVAL;
	}
	return 0;
}

/*
 * No more pages than the node has memory for: the kernel would reclaim
 * and compact the whole node trying, and fail all the same.
 */
static int mm_check_pool(const struct ostune_knob *knob, const char *value,
			 unsigned int pages, char *why, size_t len)
{
	unsigned int node, kb;
	u64 max;

	if (mm_parse_hugepages(knob->sub, &node, &kb) || !kb)
		return -EINVAL;
	max = div_u64((u64)node_present_pages(node) * (PAGE_SIZE / SZ_1K), kb);
	if (pages <= max)
		return 0;
	snprintf(why, len, "'%.12s': node%u holds at most %llu", value, node,
		 max);
	return -ERANGE;
}

static int mm_check_value(const struct ostune_knob *knob, const char *value,
			  char *why, size_t len)
{
	const struct mm_knob *mk = mm_lookup(knob->sub);
	unsigned int v;
	int ret;

	if (!mk)
		return -EINVAL;
	if (mk->kind == MM_WORD)
		return mm_check_word(mk, value, why, len);
	ret = mm_parse_uint(value, &v) ? 0 : -EINVAL;
	if (mk->kind == MM_KSM_RUN && !ret && v == 2) {
		snprintf(why, len, "2 (unmerge all) is an action, not a setting");
		return -EINVAL;
	}
	if (mk->kind == MM_KSM_RUN && (ret || v > 1)) {
		snprintf(why, len, "'%.16s' is not 0 (stop) or 1 (run)", value);
		return ret ?: -ERANGE;
	}
	if (mk->kind == MM_BOOL && (ret || v > 1)) {
		snprintf(why, len, "'%.16s' is not 0 or 1", value);
		return ret ?: -ERANGE;
	}
	if (ret)
		snprintf(why, len, "'%.12s' is not a decimal 0..%u", value,
			 UINT_MAX);
	else if (mk->kind == MM_HUGEPAGES)
		ret = mm_check_pool(knob, value, v, why, len);
	return ret;
}

/*
 * The pool reads back what the kernel could allocate; fewer pages than
 * asked for is a failed write (see the top of the file).
 */
static int mm_write(struct ostune_knob_file *kf, const char *value)
{
	const struct mm_knob *mk = kf->data;
	char now[OSTUNE_VALUE_MAX];
	unsigned int want, got;
	int ret;

	ret = ostune_text_write(kf, value);
	if (ret || mk->kind != MM_HUGEPAGES || !mm_parse_uint(value, &want))
		return ret;
	ret = mm_read_pool(kf, now, sizeof(now));
	if (ret)
		return ret;
	if (mm_parse_uint(now, &got) && got < want) {
		pr_info("%s: asked for %u huge pages, the kernel allocated %u\n",
			kf->knob->name, want, got);
		return -ENOMEM;
	}
	return 0;
}

const struct ostune_class ostune_mm_class = {
	.prefix		= "mm",
	.open		= mm_open,
	.close		= ostune_text_close,
	.check_value	= mm_check_value,
	.read		= mm_read,
	.write		= mm_write,
};
