// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nic coalescing and rings (kmod/class_niccoal.c): for every device in
 * SYSROOT/sys/class/net, nic.<ifname>.<param> for each coalescing
 * parameter its driver answers for and each ring it reports a maximum
 * of, as the discovery's nic_coal_source tells (ethtool_nl.c on a live
 * host). Values as the driver reports them; domains: adaptive_* 0|1, a
 * ring 1..its maximum, the rest a u32 (the driver refuses what it does
 * not take; the module passes its refusal on). Details: the driver (the
 * device's driver link, none for a virtual device), every parameter the
 * device has, and a ring's maximum.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/ostune.h>

#include "knobs/discover_class.h"

#define NET_DIR "sys/class/net"

/*
 * The name of the driver bound to the device (the end of its link, read
 * into buf), or NULL.
 */
static const char *driver_of(struct discovery *d, const char *ifname,
			     char *buf, size_t len)
{
	char path[96];
	const char *slash;
	ssize_t n;

	snprintf(path, sizeof(path), NET_DIR "/%s/device/driver", ifname);
	n = readlinkat(d->rootfd, path, buf, len - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	return slash ? slash + 1 : buf;
}

static const char *domain_of(const char *param, uint32_t max, char *buf,
			     size_t len)
{
	if (!strncmp(param, "adaptive_", 9))
		return "0|1";
	if (!strcmp(param, "rx_ring") || !strcmp(param, "tx_ring")) {
		snprintf(buf, len, "1..%u", max);
		return buf;
	}
	return "0..4294967295";
}

static void visit_dev(struct discovery *d, int dirfd, const char *entry,
		      const char *prefix, void *arg)
{
	char name[OSTUNE_NAME_MAX], value[16], max[16], domain[32], dir[64];
	char supported[KNOB_NIC_COAL_NPARAMS * 20] = "", driver[PATH_MAX];
	const struct nic_coal_source *src = arg;
	struct nic_coal_answer a = { 0 };
	const char *drv;
	struct knob *k;
	size_t i;

	(void)dirfd;
	(void)prefix;
	if (strlen(entry) >= KNOB_IFNAMSIZ)
		return;
	/* a device is a directory (bonding_masters, a file, is not) */
	snprintf(dir, sizeof(dir), NET_DIR "/%s", entry);
	if (!is_dir_at(d->rootfd, dir) || src->query(src->ctx, entry, &a))
		return;
	drv = driver_of(d, entry, driver, sizeof(driver));
	for (i = 0; i < KNOB_NIC_COAL_NPARAMS; i++)
		if (a.params[i].present)
			snprintf(supported + strlen(supported),
				 sizeof(supported) - strlen(supported), "%s%s",
				 *supported ? "," : "",
				 knob_nic_coal_params[i].name);
	for (i = 0; i < KNOB_NIC_COAL_NPARAMS; i++) {
		const char *param = knob_nic_coal_params[i].name;

		if (!a.params[i].present ||
		    snprintf(name, sizeof(name), "nic.%s.%s", entry, param) >=
		    (int)sizeof(name))
			continue;
		snprintf(value, sizeof(value), "%u", a.params[i].value);
		k = discovery_add(d, name, KNOB_CLASS_NIC, value,
				  domain_of(param, a.params[i].max, domain,
					    sizeof(domain)));
		discovery_detail(d, k, "driver", NULL, drv);
		discovery_detail(d, k, "supported", NULL, supported);
		if (a.params[i].max) {
			snprintf(max, sizeof(max), "%u", a.params[i].max);
			discovery_detail(d, k, "max", NULL, max);
		}
	}
}

void discover_niccoal(struct discovery *d)
{
	int fd;

	if (!d->coal)
		return;
	fd = openat(d->rootfd, NET_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	discovery_for_each_entry(d, fd, visit_dev, NULL, (void *)d->coal);
}
