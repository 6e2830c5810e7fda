// SPDX-License-Identifier: GPL-2.0
/*
 * sched.*: the scheduler tunables under debugfs's sched/ directory.
 *
 * They are debugfs u32 attributes (debugfs_create_u32()). Attribute files
 * implement only ->read and ->write on user buffers, so kernel_read() and
 * kernel_write() refuse them. Instead the module recognises a writable u32
 * attribute by its real file operations, compared with those of a u32
 * attribute it created itself, and then reads and writes the u32 behind it
 * as debugfs_u32_get()/debugfs_u32_set() do, under debugfs_file_get() so
 * that a file being removed is never touched. Anything else in the
 * directory (subdirectories such as numa_balancing/, features, preempt,
 * verbose, debug) is not a knob, and is refused before its debugfs
 * internals are looked at.
 */
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ostune.h"

#define SCHED_DIR	"sched/"
/* Created by main.c before the classes start. */
#define REFERENCE_U32	"ostune/default_watchdog_ms"

/* The real file operations of a writable debugfs u32 attribute. */
static const struct file_operations *u32_fops;

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

/*
 * The real fops of a regular debugfs file, or NULL when it is being
 * removed. debugfs_real_fops() is valid only between debugfs_file_get()
 * and debugfs_file_put().
 */
static const struct file_operations *real_fops(struct file *file)
{
	const struct file_operations *fops;

	if (debugfs_file_get(file->f_path.dentry))
		return NULL;
	fops = debugfs_real_fops(file);
	debugfs_file_put(file->f_path.dentry);
	return fops;
}

static int sched_init(void)
{
	struct file *ref;

	ref = ostune_fs_open(OSTUNE_FS_DEBUGFS, REFERENCE_U32, false);
	if (IS_ERR(ref))
		return 0;
	u32_fops = real_fops(ref);
	filp_close(ref, NULL);
	return 0;
}

static int sched_open(struct ostune_knob_file *kf, bool write, char *why,
		      size_t len)
{
	const char *sub = kf->knob->sub;
	struct file *file;
	char *path, *p;

	if (!sched_name_valid(sub)) {
		snprintf(why, len, "bad sched name (want [a-z0-9_], one dot at most)");
		return -EINVAL;
	}
	if (!u32_fops) {
		snprintf(why, len, "debugfs unavailable (error %d)",
			 ostune_fs_error(OSTUNE_FS_DEBUGFS));
		return -ENODEV;
	}
	path = kasprintf(GFP_KERNEL, SCHED_DIR "%s", sub);
	if (!path)
		return -ENOMEM;
	for (p = path + strlen(SCHED_DIR); *p; p++)
		if (*p == '.')
			*p = '/';
	file = ostune_fs_open(OSTUNE_FS_DEBUGFS, path, false);
	kfree(path);
	if (PTR_ERR_OR_ZERO(file) == -ENOENT) {
		snprintf(why, len, "no such sched tunable");
		return -ENOENT;
	}
	/* Writable or not: a read-only u32 is no knob either. */
	if (IS_ERR(file) || real_fops(file) != u32_fops ||
	    !(file_inode(file)->i_mode & 0200)) {
		if (!IS_ERR(file))
			filp_close(file, NULL);
		snprintf(why, len, "not a writable u32 sched tunable");
		return -ENOENT;
	}
	kf->file = file;
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

/* As debugfs_u32_get() and debugfs_u32_set(), with the file pinned. */
static int sched_read(struct ostune_knob_file *kf, char *buf, size_t size)
{
	struct dentry *dentry = kf->file->f_path.dentry;
	u32 *val = file_inode(kf->file)->i_private;

	if (debugfs_file_get(dentry))
		return -ENODEV;
	snprintf(buf, size, "%u", READ_ONCE(*val));
	debugfs_file_put(dentry);
	return 0;
}

static int sched_write(struct ostune_knob_file *kf, const char *value)
{
	struct dentry *dentry = kf->file->f_path.dentry;
	u32 *val = file_inode(kf->file)->i_private;
	u32 v;
	int ret;

	ret = kstrtou32(value, 10, &v);
	if (ret)
		return ret;
	if (debugfs_file_get(dentry))
		return -ENODEV;
	WRITE_ONCE(*val, v);
	debugfs_file_put(dentry);
	return 0;
}

const struct ostune_class ostune_sched_class = {
	.prefix		= "sched",
	.open		= sched_open,
	.close		= sched_close,
	.check_value	= sched_check_value,
	.read		= sched_read,
	.write		= sched_write,
	.init		= sched_init,
};
