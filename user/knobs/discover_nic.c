// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nic: the queue knobs of every network device in SYSROOT/sys/class/net
 * (the initial network namespace's, as the module sees them):
 * nic.<ifname>.rx<Q>.rps_cpus and .rx<Q>.rps_flow_cnt for each rx-<Q>,
 * nic.<ifname>.tx<Q>.xps_cpus for each tx-<Q> whose xps_cpus reads (a
 * device with one tx queue has none: the kernel refuses to show it).
 * Masks read as sysfs prints them ("00000000,00000003") become CPU lists,
 * "none" for an empty one, as the module reads them.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ostune.h>

#include "knobs/discover_class.h"

#define NET_DIR "sys/class/net"
/* CPUs a mask may name here; masks are only read, never written */
#define NIC_CPUS_MAX 8192

struct nic_dev {
	const char *ifname;
	char queues[96];	/* "rx 0-1, tx 0-1" */
	const char *cpus_domain;
};

/*
 * The hex mask of sysfs ("00000000,00000003") as a CPU list in buf,
 * "none" when empty; false when it is not a mask.
 */
static bool mask_to_cpulist(const char *mask, char *buf, size_t len)
{
	bool *set = calloc(NIC_CPUS_MAX, sizeof(*set));
	size_t bit = 0;
	const char *p;
	bool ok = *mask != '\0';

	if (!set)
		return false;
	for (p = mask + strlen(mask); ok && p > mask; p--) {
		int c = p[-1], v;

		if (c == ',')
			continue;
		if (!isxdigit(c)) {
			ok = false;
			break;
		}
		v = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
		for (int i = 0; i < 4; i++, bit++) {
			if (!(v & (1 << i)))
				continue;
			if (bit >= NIC_CPUS_MAX)
				ok = false;
			else
				set[bit] = true;
		}
	}
	if (ok) {
		cpulist_format(set, NIC_CPUS_MAX, buf, len);
		if (!*buf)
			snprintf(buf, len, "none");
	}
	free(set);
	return ok;
}

/* "0-1" for queues 0 and 1: the indexes as a list. */
static void indexes_text(const unsigned int *idx, size_t n, char *buf,
			 size_t len)
{
	unsigned int max = 0;
	bool *set;
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < n; i++)
		max = idx[i] > max ? idx[i] : max;
	set = n ? calloc(max + 1, sizeof(*set)) : NULL;
	if (!set)
		return;
	for (i = 0; i < n; i++)
		set[idx[i]] = true;
	cpulist_format(set, max + 1, buf, len);
	free(set);
}

static void add_queue_knob(struct discovery *d, const struct nic_dev *dev,
			   bool tx, unsigned int q, const char *param)
{
	char path[192], raw[OSTUNE_VALUE_MAX * 4], value[OSTUNE_VALUE_MAX];
	char name[OSTUNE_NAME_MAX];
	bool cpus = strcmp(param, "rps_flow_cnt");
	struct knob *k;

	snprintf(path, sizeof(path), NET_DIR "/%s/queues/%s-%u/%s",
		 dev->ifname, tx ? "tx" : "rx", q, param);
	if (!read_text_at(d->rootfd, path, raw, sizeof(raw)))
		return;
	if (cpus ? !mask_to_cpulist(raw, value, sizeof(value)) :
		   snprintf(value, sizeof(value), "%s", raw) >= (int)sizeof(value))
		return;
	snprintf(name, sizeof(name), "nic.%s.%s%u.%s", dev->ifname,
		 tx ? "tx" : "rx", q, param);
	k = discovery_add(d, name, KNOB_CLASS_NIC, value,
			  cpus ? dev->cpus_domain :
			  "0..1048576 (rounded up to a power of two)");
	discovery_detail(d, k, "queues", NULL, dev->queues);
}

static void visit_dev(struct discovery *d, int dirfd, const char *entry,
		      const char *prefix, void *arg)
{
	unsigned int *rx = NULL, *tx = NULL;
	char path[128], rxs[40], txs[40];
	struct nic_dev dev = { .ifname = entry, .cpus_domain = arg };
	size_t nrx = 0, ntx = 0, i;

	(void)dirfd;
	(void)prefix;
	if (strlen(entry) >= KNOB_IFNAMSIZ)
		return;
	snprintf(path, sizeof(path), NET_DIR "/%s/queues", entry);
	if (!is_dir_at(d->rootfd, path))
		return;
	if (list_indexes_at(d->rootfd, path, "rx-", &rx, &nrx) ||
	    list_indexes_at(d->rootfd, path, "tx-", &tx, &ntx)) {
		discovery_fail(d, -ENOMEM);
		goto out;
	}
	indexes_text(rx, nrx, rxs, sizeof(rxs));
	indexes_text(tx, ntx, txs, sizeof(txs));
	snprintf(dev.queues, sizeof(dev.queues), "rx %s, tx %s",
		 nrx ? rxs : "none", ntx ? txs : "none");
	for (i = 0; i < nrx; i++) {
		add_queue_knob(d, &dev, false, rx[i], "rps_cpus");
		add_queue_knob(d, &dev, false, rx[i], "rps_flow_cnt");
	}
	for (i = 0; i < ntx; i++)
		add_queue_knob(d, &dev, true, tx[i], "xps_cpus");
out:
	free(rx);
	free(tx);
}

void discover_nic(struct discovery *d)
{
	char domain[OSTUNE_VALUE_MAX + 32];
	int fd = openat(d->rootfd, NET_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (d->online[0])
		snprintf(domain, sizeof(domain), "CPU list in %s, or none",
			 d->online);
	else
		snprintf(domain, sizeof(domain), "CPU list, or none");
	discovery_for_each_entry(d, fd, visit_dev, NULL, domain);
}
