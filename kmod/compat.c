// SPDX-License-Identifier: GPL-2.0
/*
 * Formatted extack messages before 6.2, which has no per-request buffer
 * for them. Messages go to a ring of static slots. A slot is reused only
 * after OSTUNE_EXTACK_SLOTS later messages, while the ack that reads it is
 * built right after the handler returns, so a message is in practice read
 * long before its slot comes round again; and every slot always ends in
 * NUL, so even then the ack can only carry another request's text.
 */
#include <linux/atomic.h>
#include <linux/string.h>

#include "compat.h"
#include "ostune.h"

#ifndef NL_SET_ERR_MSG_FMT

#define OSTUNE_EXTACK_SLOTS	64

static char extack_slots[OSTUNE_EXTACK_SLOTS][OSTUNE_MSG_MAX];
static atomic_t extack_next = ATOMIC_INIT(0);

void ostune_extack_msg(struct netlink_ext_ack *extack, const char *msg)
{
	unsigned int slot;

	if (!extack)
		return;
	slot = (unsigned int)atomic_inc_return(&extack_next) %
	       OSTUNE_EXTACK_SLOTS;
	strscpy(extack_slots[slot], msg, OSTUNE_MSG_MAX);
	extack->_msg = extack_slots[slot];
}

#endif
