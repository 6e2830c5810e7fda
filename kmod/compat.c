// SPDX-License-Identifier: GPL-2.0
/*
 * Formatted extack messages before 6.2, which has no per-request buffer
 * for them: extack->_msg must stay valid until the ack is built, after the
 * handler returns. Each message gets a buffer of its own, freed by a task
 * work when the requester returns to user space, which is after its ack
 * was built: a message can never be read by another request's ack. The
 * buffer holds a reference on the module, so the function that frees it
 * is still there when it runs.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/task_work.h>

#include "compat.h"
#include "ostune.h"

#ifndef NL_SET_ERR_MSG_FMT

struct extack_msg {
	struct callback_head free_work;
	char text[OSTUNE_MSG_MAX];
};

static void extack_msg_free(struct callback_head *head)
{
	kfree(container_of(head, struct extack_msg, free_work));
	module_put(THIS_MODULE);
}

void ostune_extack_msg(struct netlink_ext_ack *extack, const char *msg)
{
	struct extack_msg *m;

	if (!extack)
		return;
	m = kmalloc(sizeof(*m), GFP_KERNEL);
	if (!m) {
		extack->_msg = "failed; no memory to say why";
		return;
	}
	strscpy(m->text, msg, sizeof(m->text));
	init_task_work(&m->free_work, extack_msg_free);
	__module_get(THIS_MODULE);
	if (task_work_add(current, &m->free_work, TWA_RESUME)) {
		module_put(THIS_MODULE);
		kfree(m);
		extack->_msg = "failed; see the kernel log";
		return;
	}
	extack->_msg = m->text;
}

#endif
