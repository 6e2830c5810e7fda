/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a network device's driver says about its interrupt coalescing and
 * rings, asked the way ethtool asks: the kernel's ethtool generic netlink
 * family, ETHTOOL_MSG_COALESCE_GET and ETHTOOL_MSG_RINGS_GET.
 */
#ifndef OSTUNE_ETHTOOL_NL_H
#define OSTUNE_ETHTOOL_NL_H

#include <stdbool.h>
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
 * Neither needs privilege.
 */
int ethtool_nl_query(void *e, const char *ifname, struct nic_coal_answer *a);

#endif /* OSTUNE_ETHTOOL_NL_H */
