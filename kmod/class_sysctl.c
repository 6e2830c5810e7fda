// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl.*: files under /proc/sys, read and written through the sysctl's
 * own handler, for the named tuning sysctls of ostune_sysctl_tunables (in
 * the UAPI header, which user space reads too) only. The files are opened
 * under the module's own procfs mount on its worker, so a net.* name is
 * always one of init's network namespace.
 */
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#define OSTUNE_SYSCTL_LISTS
#include "compat.h"
#include "ostune.h"

#define PROC_SYS	"sys/"

VISIBLE_IF_KUNIT bool sysctl_name_valid(const char *sub)
{
	const char *p;

	if (!*sub || *sub == '.')
		return false;
	for (p = sub; *p; p++) {
		if (*p == '.' && (p[1] == '.' || !p[1]))
			return false;
		if (!islower(*p) && !isdigit(*p) && !strchr("_.-", *p))
			return false;
	}
	return true;
}

/* '*' matches any run of characters, everything else itself. */
VISIBLE_IF_KUNIT bool sysctl_pattern_match(const char *pattern,
					   const char *name)
{
	if (*pattern == '*') {
		do {
			if (sysctl_pattern_match(pattern + 1, name))
				return true;
		} while (*name++);
		return false;
	}
	if (*pattern != *name)
		return false;
	return !*name || sysctl_pattern_match(pattern + 1, name + 1);
}

static const char sysctl_unknown[] = "not a tuning sysctl ostune knows";

/* NULL when sub is a tuning sysctl; otherwise why it is refused. */
VISIBLE_IF_KUNIT const char *sysctl_refusal(const char *sub)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ostune_sysctl_refused); i++)
		if (sysctl_pattern_match(ostune_sysctl_refused[i].pattern, sub))
			return ostune_sysctl_refused[i].why;
	for (i = 0; i < ARRAY_SIZE(ostune_sysctl_tunables); i++)
		if (sysctl_pattern_match(ostune_sysctl_tunables[i], sub))
			return NULL;
	return sysctl_unknown;
}

static int sysctl_open(struct ostune_knob_file *kf, bool write, char *why,
		       size_t len)
{
	const char *sub = kf->knob->sub;
	const char *refusal;
	char *path, *p;
	int ret;

	if (!sysctl_name_valid(sub)) {
		snprintf(why, len, "bad sysctl name (want [a-z0-9_-] and dots)");
		return -EINVAL;
	}
	/* Unknown is "no such knob"; refused is a verdict on a real one. */
	refusal = sysctl_refusal(sub);
	if (refusal == sysctl_unknown) {
		snprintf(why, len, "%s (docs/knobs.md)", sysctl_unknown);
		return -ENOENT;
	}
	if (refusal) {
		snprintf(why, len, "refused: %s", refusal);
		return -EACCES;
	}
	path = kasprintf(GFP_KERNEL, PROC_SYS "%s", sub);
	if (!path)
		return -ENOMEM;
	for (p = path + strlen(PROC_SYS); *p; p++)
		if (*p == '.')
			*p = '/';
	ret = ostune_text_open(kf, OSTUNE_FS_PROC, path, write);
	kfree(path);
	switch (ret) {
	case 0:
		return 0;
	case -ENOENT:
	case -EISDIR:
		snprintf(why, len, "no such sysctl");
		return -ENOENT;
	case -EACCES:
		snprintf(why, len, write ?
			 "not both readable and writable: cannot be held" :
			 "not readable");
		return -EACCES;
	}
	snprintf(why, len, "cannot open: error %d", ret);
	return ret;
}

static int sysctl_check_value(const struct ostune_knob *knob, const char *value,
			      char *why, size_t len)
{
	if (!ostune_value_printable(value)) {
		snprintf(why, len, "value must be non-empty printable text");
		return -EINVAL;
	}
	return 0;
}

const struct ostune_class ostune_sysctl_class = {
	.prefix		= "sysctl",
	.open		= sysctl_open,
	.close		= ostune_text_close,
	.check_value	= sysctl_check_value,
	.read		= ostune_text_read,
	.write		= ostune_text_write,
};
