/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a network device's driver says about its interrupt coalescing and
 * rings, asked the way ethtool asks: the kernel's ethtool generic netlink
 * family, ETHTOOL_MSG_COALESCE_GET and ETHTOOL_MSG_RINGS_GET.
 */
#ifndef OSTUNE_ETHTOOL_NL_H
#define OSTUNE_ETHTOOL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "knobs/knobname.h"

/* One device's answer, indexed as knob_nic_coal_params. */
struct nic_coal_answer {
	struct {
		bool present;
		uint32_t value;
		uint32_t max;	/* a ring's maximum; 0 for the others */
	} params[KNOB_NIC_COAL_NPARAMS];
};

/*
 * Records param (a knob_nic_coal_params name) as present with its value
 * and, for a ring, maximum; false for a name not in the table.
 */
bool nic_coal_answer_set(struct nic_coal_answer *a, const char *param,
			 uint32_t value, uint32_t max);

/*
 * Where discovery gets answers: ethtool_nl_query() on a live host, a
 * table of fixture answers in the unit tests. query fills a (zeroed by
 * the caller) and returns 0, or -errno when the device answered neither
 * question (-ENODEV, -EOPNOTSUPP, ...).
 */
struct nic_coal_source {
	int (*query)(void *ctx, const char *ifname, struct nic_coal_answer *a);
	void *ctx;
};

struct ethtool_nl;

/*
 * A socket of the caller's network namespace bound to the ethtool family:
 * 0 with *out set, or -errno (-ENOENT for a kernel without ethtool
 * netlink, before 5.6).
 */
int ethtool_nl_open(struct ethtool_nl **out);
void ethtool_nl_close(struct ethtool_nl *e);

/*
 * The coalescing parameters and rings of ifname (a struct nic_coal_source
 * query with ctx the struct ethtool_nl). The kernel's COALESCE_GET reply
 * has a parameter when the driver lists it in supported_coalesce_params,
 * or when its value is not 0; drivers leave the others 0, so what is
 * present is what the driver supports (a driver that filled an
 * unsupported field would show it, and the module would refuse it).
 * RINGS_GET gives a ring and its maximum when the maximum is not 0.
 * Neither needs privilege. 0 when the device answered at least one of
 * the two; the first one's -errno when it answered neither; -EPROTO,
 * with a unchanged, when either reply could not be read.
 */
int ethtool_nl_query(void *e, const char *ifname, struct nic_coal_answer *a);
/*
 * Why the last ethtool_nl_query() failed: the kernel's extack message,
 * or what was wrong with its reply; empty when it said nothing more.
 */
const char *ethtool_nl_message(const struct ethtool_nl *e);

/* A request as it went out, which its answer must match. */
struct ethtool_nl_request {
	uint16_t family;	/* the ethtool family's id */
	uint8_t cmd;		/* ETHTOOL_MSG_COALESCE_GET or _RINGS_GET */
	uint32_t seq;
	uint32_t portid;	/* the socket's */
};

/*
 * Reads the answer to req as received (buf, len: one datagram of one or
 * more netlink messages), with no socket: the unit tests hand it built
 * replies. On 0 the reply's parameters (COALESCE_GET) or rings with their
 * maxima (RINGS_GET) are set in a, what a had otherwise kept. On -errno
 * a is unchanged and msg (msglen bytes, at least 1) says why: the
 * kernel's error with its extack message (empty when it gave none), or
 * -EPROTO for an answer that is not a readable reply to req (a message
 * truncated, an attribute truncated or not its type's size, another
 * family, command, sequence number or port, no reply at all).
 * Attributes it does not know, nested ones too, are skipped.
 */
int ethtool_nl_parse(const void *buf, size_t len,
		     const struct ethtool_nl_request *req,
		     struct nic_coal_answer *a, char *msg, size_t msglen);

#endif /* OSTUNE_ETHTOOL_NL_H */
