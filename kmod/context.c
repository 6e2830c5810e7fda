// SPDX-License-Identifier: GPL-2.0
/*
 * The one context every knob access runs in, whoever asked for it.
 *
 * Every read, write, rollback and restore of a knob runs on the module's
 * workqueue: a kworker, so with init's mount, network and pid
 * namespaces, the kernel's credentials and no signals of a caller. Knob
 * files are opened only through ostune_fs_open(), against filesystems the
 * module mounted itself at load (procfs, sysfs, debugfs): those mounts are
 * in no namespace, so no caller can mount over, swap or link anything on
 * the way to a knob, and they do not depend on where (or whether) the
 * administrator mounted debugfs.
 *
 * ostune_lock serialises the held knobs and every knob access; only work
 * on that queue takes it, never a request handler, so no caller can make
 * another wait on a lock it holds through its I/O.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <linux/mount.h>
#include <linux/path.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "ostune.h"

/* The held knobs and every knob access; see the top of this file. */
DEFINE_MUTEX(ostune_lock);
struct workqueue_struct *ostune_wq;

struct ostune_fs {
	const char *type;
	unsigned long magic;
	struct vfsmount *mnt;
	int err;
};

static struct ostune_fs ostune_fs[] = {
	[OSTUNE_FS_PROC]	= { .type = "proc", .magic = PROC_SUPER_MAGIC },
	[OSTUNE_FS_SYSFS]	= { .type = "sysfs", .magic = SYSFS_MAGIC },
	[OSTUNE_FS_DEBUGFS]	= { .type = "debugfs", .magic = DEBUGFS_MAGIC },
};

struct ostune_call {
	struct work_struct work;
	struct completion done;
	int (*fn)(void *arg);
	void *arg;
	int ret;
	unsigned int fail_nth;
};

static void ostune_call_work(struct work_struct *work)
{
	struct ostune_call *call = container_of(work, struct ostune_call, work);

	ostune_fail_nth_give(call->fail_nth);
	call->ret = call->fn(call->arg);
	call->fail_nth = ostune_fail_nth_take();
	complete(&call->done);
}

/*
 * Runs fn(arg) on the module's worker and waits for it. The wait is not
 * interruptible: fn works on the caller's stack, and every knob it can
 * touch is a kernel object reached through the module's own mounts, so
 * nothing a caller controls can make it block.
 */
int ostune_call(int (*fn)(void *arg), void *arg)
{
	struct ostune_call call = { .fn = fn, .arg = arg };

	INIT_WORK_ONSTACK(&call.work, ostune_call_work);
	init_completion(&call.done);
	call.fail_nth = ostune_fail_nth_take();
	queue_work(ostune_wq, &call.work);
	wait_for_completion(&call.done);
	ostune_fail_nth_give(call.fail_nth);
	destroy_work_on_stack(&call.work);
	return call.ret;
}

/*
 * Opens path below the root of one of the module's own mounts, as the
 * kernel (the worker's credentials), and checks that it is a regular file
 * of the filesystem expected. Returns the file or an ERR_PTR: -ENODEV
 * when that filesystem could not be mounted, -EISDIR for anything but a
 * regular file.
 */
struct file *ostune_fs_open(enum ostune_fs_id fs, const char *path, bool write)
{
	struct ostune_fs *f = &ostune_fs[fs];
	struct path root;
	struct file *file;

	/* Only kernel threads: the worker, and KUnit's. */
	WARN_ON_ONCE(!(current->flags & PF_KTHREAD));
	if (!f->mnt)
		return ERR_PTR(-ENODEV);
	root.mnt = f->mnt;
	root.dentry = f->mnt->mnt_root;
	file = file_open_root(&root, path,
			      (write ? O_RDWR : O_RDONLY) | O_NOFOLLOW |
			      O_NOCTTY, 0);
	if (IS_ERR(file))
		return file;
	if (!S_ISREG(file_inode(file)->i_mode) ||
	    file_inode(file)->i_sb->s_magic != f->magic) {
		filp_close(file, NULL);
		return ERR_PTR(-EISDIR);
	}
	return file;
}

/* Why a filesystem is missing, for a class to tell its callers. */
int ostune_fs_error(enum ostune_fs_id fs)
{
	return ostune_fs[fs].err;
}

/*
 * On the worker: a mount made here takes the kworker's namespaces (init's
 * pid namespace for procfs, init's network namespace for sysfs and the
 * net sysctls), not those of whoever loaded the module.
 */
static int fs_mount_all(void *unused)
{
	struct file_system_type *type;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ostune_fs); i++) {
		struct ostune_fs *f = &ostune_fs[i];

		/*
		 * These filesystems are built in, so the reference
		 * get_fs_type() takes on their (absent) module is nothing
		 * to give back.
		 */
		type = get_fs_type(f->type);
		if (!type) {
			f->err = -ENODEV;
		} else {
			f->mnt = vfs_kern_mount(type, SB_KERNMOUNT, f->type, NULL);
			if (IS_ERR(f->mnt)) {
				f->err = PTR_ERR(f->mnt);
				f->mnt = NULL;
			}
		}
		if (f->err)
			pr_warn("cannot mount %s (error %d): its knobs are unavailable\n",
				f->type, f->err);
	}
	return 0;
}

int ostune_context_init(void)
{
	/*
	 * Per CPU, not ordered: ostune_lock serialises what needs it, and a
	 * requester's work then runs on its own CPU, the one it sleeps on
	 * while it waits, with no other CPU to wake.
	 */
	ostune_wq = alloc_workqueue("ostune", 0, 0);
	if (!ostune_wq)
		return -ENOMEM;
	return ostune_call(fs_mount_all, NULL);
}

void ostune_context_exit(void)
{
	unsigned int i;

	destroy_workqueue(ostune_wq);
	for (i = 0; i < ARRAY_SIZE(ostune_fs); i++) {
		if (ostune_fs[i].mnt)
			mntput(ostune_fs[i].mnt);
		ostune_fs[i].mnt = NULL;
		ostune_fs[i].err = 0;
	}
}
