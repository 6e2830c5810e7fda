// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl.*: files under /proc/sys, read and written through the sysctl's
 * own handler (proc_sys files implement read_iter/write_iter, so
 * kernel_read() and kernel_write() work), limited to an allowlist of
 * subtrees that only tune performance.
 */
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

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

static bool sysctl_name_valid(const char *sub)
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

static bool sysctl_name_allowed(const char *sub)
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

static int sysctl_resolve(const struct ostune_knob *knob, char *why, size_t len)
{
	struct file *file;
	umode_t mode;
	char *path;

	if (!sysctl_name_valid(knob->sub)) {
		snprintf(why, len, "bad sysctl name (want [a-z0-9_-] and dots)");
		return -EINVAL;
	}
	if (!sysctl_name_allowed(knob->sub)) {
		snprintf(why, len, "sysctl not in ostune's allowlist");
		return -EACCES;
	}
	path = sysctl_path(knob);
	if (!path)
		return -ENOMEM;
	file = filp_open(path, O_PATH, 0);
	kfree(path);
	if (IS_ERR(file)) {
		snprintf(why, len, "no such sysctl");
		return -ENOENT;
	}
	mode = file_inode(file)->i_mode;
	filp_close(file, NULL);
	if (!S_ISREG(mode)) {
		snprintf(why, len, "a sysctl directory, not a value");
		return -ENOENT;
	}
	if (!(mode & 0400) || !(mode & 0200)) {
		snprintf(why, len, "%s sysctl cannot be held",
			 mode & 0400 ? "read-only" : "write-only");
		return -EACCES;
	}
	return 0;
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

static int sysctl_read(const struct ostune_knob *knob, char *buf, size_t size)
{
	char *path = sysctl_path(knob);
	int ret;

	if (!path)
		return -ENOMEM;
	ret = ostune_read_file(path, buf, size);
	kfree(path);
	return ret;
}

static int sysctl_write(const struct ostune_knob *knob, const char *value)
{
	size_t len = strlen(value);
	struct file *file;
	loff_t pos = 0;
	ssize_t n;
	char *path;

	path = sysctl_path(knob);
	if (!path)
		return -ENOMEM;
	file = filp_open(path, O_WRONLY, 0);
	kfree(path);
	if (IS_ERR(file))
		return PTR_ERR(file);
	n = kernel_write(file, value, len, &pos);
	filp_close(file, NULL);
	if (n < 0)
		return n;
	return n == len ? 0 : -EIO;
}

const struct ostune_class ostune_sysctl_class = {
	.prefix		= "sysctl",
	.resolve	= sysctl_resolve,
	.check_value	= sysctl_check_value,
	.read		= sysctl_read,
	.write		= sysctl_write,
};
