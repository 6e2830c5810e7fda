// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl.*: files under /proc/sys, read and written through the sysctl's
 * own handler, limited to an allowlist of subtrees that only tune
 * performance.
 */
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "ostune.h"

#define PROC_SYS	"/proc/sys/"

/*
 * A trailing '.' means "this subtree"; otherwise the name must match
 * exactly, or, with a trailing '*', start with it.
 */
static const char *const sysctl_allowed[] = {
	"vm.",
	"net.core.",
	"net.ipv4.",
	"net.ipv6.",
	"kernel.sched_*",
	"kernel.numa_balancing",
	"kernel.timer_migration",
};

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

VISIBLE_IF_KUNIT bool sysctl_name_allowed(const char *sub)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sysctl_allowed); i++) {
		const char *rule = sysctl_allowed[i];
		size_t n = strlen(rule);

		if (rule[n - 1] == '.' || rule[n - 1] == '*') {
			if (rule[n - 1] == '*')
				n--;
			if (!strncmp(sub, rule, n))
				return true;
		} else if (!strcmp(sub, rule)) {
			return true;
		}
	}
	return false;
}

static char *sysctl_path(const struct ostune_knob *knob)
{
	char *path, *p;

	path = kasprintf(GFP_KERNEL, PROC_SYS "%s", knob->sub);
	if (!path)
		return NULL;
	for (p = path + strlen(PROC_SYS); *p; p++)
		if (*p == '.')
			*p = '/';
	return path;
}

static int sysctl_open(struct ostune_knob_file *kf, bool write, char *why,
		       size_t len)
{
	const char *sub = kf->knob->sub;
	char *path;
	int ret;

	if (!sysctl_name_valid(sub)) {
		snprintf(why, len, "bad sysctl name (want [a-z0-9_-] and dots)");
		return -EINVAL;
	}
	if (!sysctl_name_allowed(sub)) {
		snprintf(why, len, "sysctl not in ostune's allowlist");
		return -EACCES;
	}
	path = sysctl_path(kf->knob);
	if (!path)
		return -ENOMEM;
	ret = ostune_text_open(kf, path, write);
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
