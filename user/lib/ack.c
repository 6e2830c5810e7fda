// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The error an NLMSG_ERROR or NLMSG_DONE carries, with its extended ack,
 * for any generic netlink family. Apart from client.c so that the tests'
 * double of the client links it, and the CLI's ethtool netlink client
 * (knobs/ethtool_nl.c) reads the kernel's messages the same way.
 */
#include <errno.h>
#include <stdio.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>

#include "client.h"

int ostune_nlmsg_error(const struct nlmsghdr *ack, char *msg, size_t size,
		       uint32_t *offs)
{
	const struct nlattr *attr;
	size_t tlv_offset;
	int error;

	msg[0] = '\0';
	*offs = 0;
	if (ack->nlmsg_type == NLMSG_DONE) {
		if (mnl_nlmsg_get_payload_len(ack) < sizeof(int))
			return 0;
		error = *(const int *)mnl_nlmsg_get_payload(ack);
		tlv_offset = sizeof(int);
	} else {
		const struct nlmsgerr *err = mnl_nlmsg_get_payload(ack);

		if (mnl_nlmsg_get_payload_len(ack) < sizeof(*err))
			return -EPROTO;
		error = err->error;
		tlv_offset = sizeof(*err);
		/* Without NETLINK_CAP_ACK the whole request is echoed. */
		if (!(ack->nlmsg_flags & NLM_F_CAPPED)) {
			if (err->msg.nlmsg_len < sizeof(err->msg))
				return error > 0 ? -error : error;
			tlv_offset += err->msg.nlmsg_len - sizeof(err->msg);
		}
	}
	if (error > 0)
		error = -error;
	if (!error || !(ack->nlmsg_flags & NLM_F_ACK_TLVS))
		return error;
	if (tlv_offset > mnl_nlmsg_get_payload_len(ack))
		return error;

	/* a malformed one is left out: the error itself still stands */
	mnl_attr_for_each(attr, ack, tlv_offset) {
		switch (mnl_attr_get_type(attr)) {
		case NLMSGERR_ATTR_MSG:
			if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
				snprintf(msg, size, "%s",
					 mnl_attr_get_str(attr));
			break;
		case NLMSGERR_ATTR_OFFS:
			if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
				*offs = mnl_attr_get_u32(attr);
			break;
		}
	}
	return error;
}
