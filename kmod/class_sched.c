// SPDX-License-Identifier: GPL-2.0
/*
 * sched.*: the scheduler tunables under /sys/kernel/debug/sched/.
 *
 * They are debugfs u32 attributes (debugfs_create_u32()). Attribute files
 * implement only ->read and ->write on user buffers, so kernel_read() and
 * kernel_write() refuse them. Instead the module recognises a u32 attribute
 * by its real file operations, compared with those of a u32 attribute it
 * created itself, and then reads and writes the u32 behind it exactly as
 * debugfs_u32_get()/debugfs_u32_set() do. Anything else in the directory
 * (features, preempt, verbose, tunable_scaling, debug) is not a knob.
 *
 * debugfs is root-only, but a u32 tunable is no secret and readers need no
 * privilege, so the files are opened with kernel credentials; changing a
 * value already required CAP_SYS_ADMIN of the requester.
 */
#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ostune.h"

#define SCHED_DIR	"/sys/kernel/debug/sched/"
#define REFERENCE_U32	"/sys/kernel/debug/ostune/default_watchdog_ms"

/* "latency_ns" or "numa_balancing.scan_delay_ms": at most one dot. */
static bool sched_name_valid(const char *sub)
{
	bool dot_seen = false;
	const char *p;

	if (!*sub || *sub == '.')
		return false;
	for (p = sub; *p; p++) {
		if (*p == '.') {
			if (dot_seen || !p[1])
				return false;
			dot_seen = true;
			continue;
		}
		if (!islower(*p) && !isdigit(*p) && *p != '_')
			return false;
	}
	return true;
}

static struct file *open_as_kernel(const char *path)
{
	const struct cred *kernel_cred, *old;
	struct file *file;

	kernel_cred = prepare_kernel_cred(&init_task);
	if (!kernel_cred)
		return ERR_PTR(-ENOMEM);
	old = override_creds(kernel_cred);
	file = filp_open(path, O_RDONLY, 0);
	revert_creds(old);
	put_cred(kernel_cred);
	return file;
}

static const struct file_operations *u32_attribute_fops(void)
{
	const struct file_operations *fops;
	struct file *ref;

	ref = open_as_kernel(REFERENCE_U32);
	if (IS_ERR(ref))
		return NULL;
	fops = debugfs_real_fops(ref);
	filp_close(ref, NULL);
	return fops;
}

static int sched_open(struct ostune_knob_file *kf, bool write, char *why,
		      size_t len)
{
	const struct file_operations *u32_fops;
	const char *sub = kf->knob->sub;
	struct file *file;
	char *path, *p;

	if (!sched_name_valid(sub)) {
		snprintf(why, len, "bad sched name (want [a-z0-9_], one dot at most)");
		return -EINVAL;
	}
	path = kasprintf(GFP_KERNEL, SCHED_DIR "%s", sub);
	if (!path)
		return -ENOMEM;
	for (p = path + strlen(SCHED_DIR); *p; p++)
		if (*p == '.')
			*p = '/';
	file = open_as_kernel(path);
	kfree(path);
	if (IS_ERR(file)) {
		if (PTR_ERR(file) == -ENOENT)
			snprintf(why, len,
				 "no such sched tunable (is debugfs at /sys/kernel/debug?)");
		else
			snprintf(why, len, "cannot open: error %ld", PTR_ERR(file));
		return PTR_ERR(file);
	}
	/* Writable or not: a read-only u32 is no knob either. */
	u32_fops = u32_attribute_fops();
	if (!u32_fops || debugfs_real_fops(file) != u32_fops ||
	    !(file_inode(file)->i_mode & 0200)) {
		filp_close(file, NULL);
		snprintf(why, len, "not a writable u32 sched tunable");
		return -ENOENT;
	}
	kf->file = file;
	kf->data = file_inode(file)->i_private;
	return 0;
}

static void sched_close(struct ostune_knob_file *kf)
{
	filp_close(kf->file, NULL);
}

static int sched_check_value(const struct ostune_knob *knob, const char *value,
			     char *why, size_t len)
{
	u32 v;
	int ret = kstrtou32(value, 10, &v);

	if (ret == -ERANGE)
		snprintf(why, len, "'%.16s' is out of range for a u32", value);
	else if (ret)
		snprintf(why, len, "'%.16s' is not an unsigned decimal", value);
	return ret;
}

/* As debugfs_u32_get() and debugfs_u32_set(). */
static int sched_read(struct ostune_knob_file *kf, char *buf, size_t size)
{
	u32 *val = kf->data;

	snprintf(buf, size, "%u", READ_ONCE(*val));
	return 0;
}

static int sched_write(struct ostune_knob_file *kf, const char *value)
{
	u32 *val = kf->data, v;
	int ret;

	ret = kstrtou32(value, 10, &v);
	if (ret)
		return ret;
	WRITE_ONCE(*val, v);
	return 0;
}

const struct ostune_class ostune_sched_class = {
	.prefix		= "sched",
	.open		= sched_open,
	.close		= sched_close,
	.check_value	= sched_check_value,
	.read		= sched_read,
	.write		= sched_write,
};
