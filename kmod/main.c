// SPDX-License-Identifier: GPL-2.0
/*
 * ostune: transactional OS tuning with kernel-held originals.
 *
 * Tunables changed through the "ostune" generic netlink family are put back
 * when the tuner asks, when its socket closes, when its watchdog expires,
 * and when this module is unloaded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "ostune.h"

unsigned int ostune_default_watchdog_ms = 10000;
module_param_named(default_watchdog_ms, ostune_default_watchdog_ms, uint, 0644);
MODULE_PARM_DESC(default_watchdog_ms,
		 "Watchdog lease of a session that does not ask for one (ms)");

static struct dentry *ostune_debugfs;

/* Class set-up and tear-down run where every knob access runs. */
static int classes_init_on_worker(void *unused)
{
	return ostune_classes_init();
}

static int classes_exit_on_worker(void *unused)
{
	ostune_classes_exit();
	return 0;
}

/*
 * The last restore, on the worker, on behalf of who unloads: the
 * session's undo, then every original, retried a few times; what still
 * fails is logged.
 */
static int unload_on_worker(void *arg)
{
	const struct ostune_actor *who = arg;

	mutex_lock(&ostune_lock);
	ostune_session_unload(who);
	mutex_unlock(&ostune_lock);
	ostune_txn_exit(who);
	return 0;
}

static int __init ostune_init(void)
{
	int ret;

	/*
	 * Also the u32 attribute the sched class compares debugfs files with,
	 * see class_sched.c.
	 */
	ostune_debugfs = debugfs_create_dir("ostune", NULL);
	debugfs_create_u32("default_watchdog_ms", 0644, ostune_debugfs,
			   &ostune_default_watchdog_ms);

	ret = ostune_context_init();
	if (ret)
		goto remove_debugfs;
	ret = ostune_call(classes_init_on_worker, NULL);
	if (ret)
		goto exit_context;
	ret = ostune_session_init();
	if (ret)
		goto exit_classes;
	/* Last: from here on requests can arrive. */
	ret = genl_register_family(&ostune_nl_family);
	if (ret)
		goto exit_session;
	pr_info("version %s loaded\n", OSTUNE_MODULE_VERSION);
	return 0;

exit_session:
	ostune_session_exit();
exit_classes:
	ostune_call(classes_exit_on_worker, NULL);
exit_context:
	ostune_context_exit();
remove_debugfs:
	debugfs_remove(ostune_debugfs);
	return ret;
}

static void __exit ostune_exit(void)
{
	struct ostune_actor who;

	ostune_actor_current(&who, OSTUNE_REASON_UNLOAD);
	/*
	 * No event may be sent once the family starts going: its group
	 * could be someone else's by then. The restores below are logged.
	 */
	ostune_events_stop();
	/* No request can run once this returns. */
	genl_unregister_family(&ostune_nl_family);
	/* No socket close, watchdog or release work after this. */
	ostune_session_exit();
	ostune_call(unload_on_worker, &who);
	/* Drops QoS requests a failed restore left: none may outlive us. */
	ostune_call(classes_exit_on_worker, NULL);
	ostune_context_exit();

	debugfs_remove(ostune_debugfs);
	pr_info("unloaded\n");
}

module_init(ostune_init);
module_exit(ostune_exit);

MODULE_DESCRIPTION("Transactional OS tuning with kernel-held originals");
MODULE_AUTHOR("The ostune developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(OSTUNE_MODULE_VERSION);
