/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels ostune builds against (6.1 and later).
 */
#ifndef _OSTUNE_COMPAT_H
#define _OSTUNE_COMPAT_H

#include <linux/netlink.h>

/* 6.2 added NL_SET_ERR_MSG_FMT() and its buffer in the extack. */
#ifdef NL_SET_ERR_MSG_FMT

/* The extack carries its own buffer for formatted messages. */
static inline void ostune_extack_msg(struct netlink_ext_ack *extack,
				     const char *msg)
{
	NL_SET_ERR_MSG_FMT(extack, "%.79s", msg);
}

#else

/*
 * extack->_msg must outlive the handler: it is read when the ack is built,
 * after the handler returns. See compat.c.
 */
void ostune_extack_msg(struct netlink_ext_ack *extack, const char *msg);

#endif

#endif /* _OSTUNE_COMPAT_H */
