// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The doctor's checks. Each looks where the kernel module (or the
 * measurement loop) will look, under the sysroot, and says what is there
 * and, when something is missing, what to do. Only the module decides
 * whether the whole tool can run (fail); everything else the host may or
 * may not have is a warning, and decides which knob classes work.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <linux/ostune.h>

#include "knobs/discover.h"
#include "knobs/doctor.h"
#include "knobs/sysread.h"

#define CPU_DIR		"sys/devices/system/cpu"
#define SCHED_DIR	"sys/kernel/debug/sched"
/* capability numbers of <linux/capability.h> */
#define CAP_NET_ADMIN_BIT	12
#define CAP_SYS_ADMIN_BIT	21

/* Counts of what discovery found, by class. */
struct found {
	size_t knobs[KNOB_NUM_CLASSES];
	size_t fixed_irqs;
	size_t thp, ksm, hugepage_pools;
	/* the cpufreq driver's extras: freq.policyN.epp, boost, pstate.* */
	bool epp, boost, pstate;
	/* nic coalescing and ring knobs, their devices and drivers ("e1000e") */
	size_t nic_coal, nic_coal_devs;
	char nic_coal_drivers[128];
};

struct checkup {
	int rootfd;
	bool live;	/* the sysroot is "/": the kernel may be asked */
	struct doctor_report *report;
	struct found found;
};

const char *doctor_status_name(enum doctor_status status)
{
	static const char *const names[] = {
		[DOCTOR_OK] = "ok", [DOCTOR_WARN] = "warn",
		[DOCTOR_FAIL] = "fail", [DOCTOR_SKIP] = "skip",
	};

	return names[status];
}

__attribute__((format(printf, 5, 6)))
static void verdict(struct checkup *cu, const char *name,
		    enum doctor_status status, const char *hint,
		    const char *fmt, ...)
{
	struct doctor_report *r = cu->report;
	struct doctor_check *c;
	va_list ap;

	if (r->nchecks == DOCTOR_MAX_CHECKS)
		return;
	c = &r->checks[r->nchecks++];
	c->name = name;
	c->status = status;
	c->hint = hint;
	va_start(ap, fmt);
	vsnprintf(c->message, sizeof(c->message), fmt, ap);
	va_end(ap);
}

static void unavailable(struct checkup *cu, enum knob_class cls,
			const char *why)
{
	cu->report->unavailable[cls] = why;
}

static void check_module(struct checkup *cu, const struct doctor_module *m,
			 const char *cli_version)
{
	switch (m->state) {
	case DOCTOR_MODULE_NOT_CHECKED:
		verdict(cu, "module", DOCTOR_SKIP, NULL,
			"not checked: --sysroot is not /");
		return;
	case DOCTOR_MODULE_ABSENT:
		verdict(cu, "module", DOCTOR_FAIL,
			"run 'insmod kmod/ostune.ko' or 'modprobe ostune'",
			"ostune.ko is not loaded");
		return;
	case DOCTOR_MODULE_ERROR:
		verdict(cu, "module", DOCTOR_FAIL,
			"check the kernel log (dmesg | grep ostune)",
			"ostune.ko does not answer: %s", strerror(-m->error));
		return;
	case DOCTOR_MODULE_LOADED:
		break;
	}
	if (m->family_version != OSTUNE_FAMILY_VERSION)
		verdict(cu, "module", DOCTOR_FAIL,
			"build and load the module and the CLI from one tree",
			"ostune.ko speaks netlink family version %u, the CLI %u",
			m->family_version, OSTUNE_FAMILY_VERSION);
	else if (strcmp(m->version, cli_version))
		verdict(cu, "module", DOCTOR_WARN,
			"build and load the module and the CLI from one tree",
			"ostune.ko %s, but the CLI is %s", m->version,
			cli_version);
	else
		verdict(cu, "module", DOCTOR_OK, NULL,
			"ostune.ko %s loaded, same as the CLI", m->version);
}

static void check_debugfs(struct checkup *cu)
{
	size_t n = cu->found.knobs[KNOB_CLASS_SCHED];
	struct stat st;

	if (fstatat(cu->rootfd, SCHED_DIR, &st, 0) && errno == EACCES) {
		verdict(cu, "debugfs", DOCTOR_WARN, "run ostune doctor as root",
			"cannot look into /sys/kernel/debug (root only)");
		unavailable(cu, KNOB_CLASS_SCHED, "/sys/kernel/debug unreadable");
	} else if (!is_dir_at(cu->rootfd, SCHED_DIR)) {
		verdict(cu, "debugfs", DOCTOR_WARN,
			"mount -t debugfs none /sys/kernel/debug",
			"no /sys/kernel/debug/sched: debugfs is not mounted");
		unavailable(cu, KNOB_CLASS_SCHED, "debugfs not mounted");
	} else if (!n) {
		verdict(cu, "debugfs", DOCTOR_WARN, NULL,
			"no u32 tunables in /sys/kernel/debug/sched");
		unavailable(cu, KNOB_CLASS_SCHED, "no sched tunables");
	} else {
		verdict(cu, "debugfs", DOCTOR_OK, NULL,
			"%zu sched tunables in /sys/kernel/debug/sched", n);
	}
}

static void check_sysctl(struct checkup *cu)
{
	if (!is_dir_at(cu->rootfd, "proc/sys")) {
		verdict(cu, "sysctl", DOCTOR_WARN, "mount -t proc proc /proc",
			"no /proc/sys");
		unavailable(cu, KNOB_CLASS_SYSCTL, "no /proc/sys");
		return;
	}
	verdict(cu, "sysctl", DOCTOR_OK, NULL,
		"%zu tuning sysctls in /proc/sys",
		cu->found.knobs[KNOB_CLASS_SYSCTL]);
}

static void check_cpuidle(struct checkup *cu)
{
	size_t n = cu->found.knobs[KNOB_CLASS_IDLE];
	char driver[64];

	if (!read_text_at(cu->rootfd, CPU_DIR "/cpuidle/current_driver",
			  driver, sizeof(driver)) || !strcmp(driver, "none")) {
		verdict(cu, "cpuidle", DOCTOR_WARN,
			"idle knobs need one: intel_idle, acpi_idle, or haltpoll in a guest",
			"no cpuidle driver");
		unavailable(cu, KNOB_CLASS_IDLE, "no cpuidle driver");
	} else if (!n) {
		verdict(cu, "cpuidle", DOCTOR_WARN, NULL,
			"cpuidle driver %s, but no idle states", driver);
		unavailable(cu, KNOB_CLASS_IDLE, "no idle states");
	} else {
		verdict(cu, "cpuidle", DOCTOR_OK, NULL,
			"cpuidle driver %s, %zu idle state knobs", driver, n);
	}
}

/* The scaling_driver of the first policy that shows one; how many there are. */
static bool cpufreq_driver(int rootfd, char *driver, size_t size, size_t *n)
{
	unsigned int *policies;
	bool found = false;
	size_t i;
	char path[128];

	if (list_indexes_at(rootfd, CPU_DIR "/cpufreq", "policy", &policies,
			    n))
		return false;
	for (i = 0; i < *n && !found; i++) {
		snprintf(path, sizeof(path),
			 CPU_DIR "/cpufreq/policy%u/scaling_driver",
			 policies[i]);
		found = read_text_at(rootfd, path, driver, size);
	}
	free(policies);
	return found;
}

/*
 * What the driver offers beyond limits: the freq.policyN.epp, freq.boost
 * and freq.pstate.* knobs exist only with it.
 */
static void cpufreq_extras(const struct found *f, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", f->epp ? ", EPP" : "",
		 f->boost ? ", boost" : "",
		 f->pstate ? ", intel_pstate globals" : "");
}

static void check_cpufreq(struct checkup *cu)
{
	char driver[64], extras[64];
	size_t n;

	if (!cpufreq_driver(cu->rootfd, driver, sizeof(driver), &n)) {
		verdict(cu, "cpufreq", DOCTOR_WARN,
			"freq knobs need one: intel_pstate, amd-pstate or acpi-cpufreq",
			"no cpufreq driver");
		unavailable(cu, KNOB_CLASS_FREQ, "no cpufreq driver");
		return;
	}
	cpufreq_extras(&cu->found, extras, sizeof(extras));
	verdict(cu, "cpufreq", DOCTOR_OK, NULL,
		"cpufreq driver %s, %zu policies%s", driver, n, extras);
}

static void check_pmqos(struct checkup *cu)
{
	if (!exists_at(cu->rootfd, "dev/cpu_dma_latency")) {
		verdict(cu, "pmqos", DOCTOR_WARN,
			"a kernel with CPU-latency PM QoS has it in devtmpfs",
			"no /dev/cpu_dma_latency");
		unavailable(cu, KNOB_CLASS_PMQOS, "no /dev/cpu_dma_latency");
		return;
	}
	verdict(cu, "pmqos", DOCTOR_OK, NULL,
		"/dev/cpu_dma_latency present, %zu pmqos knobs",
		cu->found.knobs[KNOB_CLASS_PMQOS]);
}

static void check_irq(struct checkup *cu)
{
	size_t fixed = cu->found.fixed_irqs;
	size_t movable = cu->found.knobs[KNOB_CLASS_IRQ] - fixed;

	if (!movable) {
		if (fixed)
			verdict(cu, "irq", DOCTOR_WARN, NULL,
				"no movable IRQ: all %zu are fixed", fixed);
		else
			verdict(cu, "irq", DOCTOR_WARN, NULL,
				"no IRQ in /proc/interrupts with an affinity");
		unavailable(cu, KNOB_CLASS_IRQ, "no movable IRQ");
		return;
	}
	verdict(cu, "irq", DOCTOR_OK, NULL, "%zu movable IRQs, %zu fixed",
		movable, fixed);
}

static void check_mm(struct checkup *cu)
{
	const struct found *f = &cu->found;

	if (!f->knobs[KNOB_CLASS_MM]) {
		verdict(cu, "mm", DOCTOR_WARN,
			"a kernel with CONFIG_TRANSPARENT_HUGEPAGE, CONFIG_KSM or CONFIG_HUGETLBFS",
			"no THP, KSM or huge page pool in /sys");
		unavailable(cu, KNOB_CLASS_MM, "no THP, KSM or huge pages");
		return;
	}
	verdict(cu, "mm", DOCTOR_OK, NULL, "%s, %s, %zu huge page pools",
		f->thp ? "THP" : "no THP", f->ksm ? "KSM" : "no KSM",
		f->hugepage_pools);
}

static void check_wq(struct checkup *cu)
{
	if (!cu->found.knobs[KNOB_CLASS_WQ]) {
		verdict(cu, "wq", DOCTOR_WARN, NULL,
			"no /sys/devices/virtual/workqueue/cpumask");
		unavailable(cu, KNOB_CLASS_WQ, "no workqueue cpumask");
		return;
	}
	verdict(cu, "wq", DOCTOR_OK, NULL, "unbound workqueue CPU mask");
}

/* CapEff of /proc/self/status: the capabilities this process has. */
static bool effective_caps(int rootfd, unsigned long long *caps)
{
	char status[16384], *line;

	if (!read_text_at(rootfd, "proc/self/status", status, sizeof(status)))
		return false;
	line = strstr(status, "CapEff: ");
	if (!line)
		return false;
	*caps = strtoull(line + strlen("CapEff: "), NULL, 16);
	return true;
}

static void check_capabilities(struct checkup *cu)
{
	unsigned long long caps;
	bool sys_admin, net_admin;

	if (!effective_caps(cu->rootfd, &caps)) {
		verdict(cu, "capabilities", DOCTOR_WARN, NULL,
			"cannot read CapEff in /proc/self/status");
		return;
	}
	sys_admin = caps & (1ULL << CAP_SYS_ADMIN_BIT);
	net_admin = caps & (1ULL << CAP_NET_ADMIN_BIT);
	if (sys_admin && net_admin)
		verdict(cu, "capabilities", DOCTOR_OK, NULL,
			"CAP_SYS_ADMIN and CAP_NET_ADMIN: may change knobs");
	else
		verdict(cu, "capabilities", DOCTOR_WARN,
			"run as root to change knobs; reading works without",
			"missing %s%s%s", sys_admin ? "" : "CAP_SYS_ADMIN",
			!sys_admin && !net_admin ? " and " : "",
			net_admin ? "" : "CAP_NET_ADMIN");
}

static void check_pmu(struct checkup *cu)
{
	/* Hybrid Intel CPUs have a PMU per core type, and no "cpu". */
	static const char *const pmus[] = { "cpu", "cpu_core", "cpu_atom" };
	char path[96];
	size_t i;

	for (i = 0; i < sizeof(pmus) / sizeof(pmus[0]); i++) {
		snprintf(path, sizeof(path),
			 "sys/bus/event_source/devices/%s", pmus[i]);
		if (exists_at(cu->rootfd, path)) {
			verdict(cu, "pmu", DOCTOR_OK, NULL,
				"hardware counters (PMU %s)", pmus[i]);
			return;
		}
	}
	verdict(cu, "pmu", DOCTOR_WARN,
		"in a VM, give the guest a virtual PMU",
		"no CPU PMU: software events only");
}

static void check_nic(struct checkup *cu)
{
	size_t n = cu->found.knobs[KNOB_CLASS_NIC] - cu->found.nic_coal;

	if (!n) {
		verdict(cu, "nic", DOCTOR_WARN,
			"a kernel with CONFIG_RPS shows queues/rx-N/rps_cpus",
			"no network device queue with RPS or XPS in /sys/class/net");
		/* the class has its coalescing knobs still */
		if (!cu->found.nic_coal)
			unavailable(cu, KNOB_CLASS_NIC, "no device queues");
		return;
	}
	verdict(cu, "nic", DOCTOR_OK, NULL,
		"%zu nic queue knobs (RPS, RFS flow counts, XPS)", n);
}

/* The coalescing and rings only this host's kernel can tell of. */
static void check_niccoal(struct checkup *cu)
{
	const struct found *f = &cu->found;

	if (!cu->live) {
		verdict(cu, "niccoal", DOCTOR_SKIP, NULL,
			"not checked: --sysroot is not / (the kernel answers for this host's devices)");
		return;
	}
	if (!f->nic_coal) {
		verdict(cu, "niccoal", DOCTOR_WARN,
			"a NIC whose driver has ethtool coalescing ('ethtool -c IF')",
			"no network device answers ethtool's coalescing or ring query");
		return;
	}
	verdict(cu, "niccoal", DOCTOR_OK, NULL,
		"%zu nic coalescing and ring knobs on %zu device%s (%s)",
		f->nic_coal, f->nic_coal_devs, f->nic_coal_devs == 1 ? "" : "s",
		*f->nic_coal_drivers ? f->nic_coal_drivers : "no driver named");
}

/* Counts a coalescing or ring knob, its device and its driver once each. */
static void count_nic_coal(const struct knob *k, struct found *found,
			   char *last_ifname)
{
	const struct knob_nic_coal_param *param;
	char ifname[KNOB_IFNAMSIZ];
	const char *driver = knob_detail(k, "driver");
	char *drivers = found->nic_coal_drivers;
	size_t len = strlen(driver ? driver : ""), at;

	if (k->cls != KNOB_CLASS_NIC ||
	    knob_nic_coal_parse(k->name + 4, ifname, &param))
		return;
	found->nic_coal++;
	if (!strcmp(ifname, last_ifname))
		return;
	strcpy(last_ifname, ifname);
	found->nic_coal_devs++;
	for (at = 0; len && drivers[at];) {
		size_t name_len = strcspn(drivers + at, ",");

		if (name_len == len && !strncmp(drivers + at, driver, len))
			return;
		at += name_len + (drivers[at + name_len] == ',');
	}
	if (len && strlen(drivers) + len + 2 < sizeof(found->nic_coal_drivers))
		sprintf(drivers + strlen(drivers), "%s%s", *drivers ? "," : "",
			driver);
}

static void check_rapl(struct checkup *cu)
{
	if (exists_at(cu->rootfd, "sys/class/powercap/intel-rapl:0")) {
		verdict(cu, "rapl", DOCTOR_OK, NULL,
			"energy readings (powercap intel-rapl:0)");
		return;
	}
	verdict(cu, "rapl", DOCTOR_WARN,
		"modprobe intel_rapl_msr, if the CPU has RAPL",
		"no powercap intel-rapl:0: no energy readings");
}

static void count_found(const struct knob_list *list, struct found *found)
{
	char last_ifname[KNOB_IFNAMSIZ] = "";
	size_t i;

	for (i = 0; i < list->n; i++) {
		const struct knob *k = &list->items[i];
		unsigned int policy;
		const char *rest = strncmp(k->name, "freq.", 5) ? NULL :
				   knob_parse_index(k->name + 5, "policy", &policy);

		found->knobs[k->cls]++;
		count_nic_coal(k, found, last_ifname);
		found->fixed_irqs += k->cls == KNOB_CLASS_IRQ && k->fixed;
		found->epp |= rest && !strcmp(rest, "epp");
		found->boost |= !strcmp(k->name, "freq.boost");
		found->pstate |= !strncmp(k->name, "freq.pstate.", 12);
		if (k->cls != KNOB_CLASS_MM)
			continue;
		found->thp += !strncmp(k->name, "mm.thp.", 7);
		found->ksm += !strncmp(k->name, "mm.ksm.", 7);
		found->hugepage_pools += !strncmp(k->name, "mm.node", 7);
	}
}

int doctor_run(const char *sysroot, const char *cli_version,
	       const struct doctor_module *module,
	       const struct knob_list *known, struct doctor_report *out)
{
	struct checkup cu = { .report = out };
	bool failed = false, any_class = false;
	struct knob_list list;
	size_t i;
	int ret;

	memset(out, 0, sizeof(*out));
	if (known) {
		count_found(known, &cu.found);
	} else {
		ret = discover_knobs(sysroot, &list);
		if (ret)
			return ret;
		count_found(&list, &cu.found);
		knob_list_free(&list);
	}
	/* A sysroot that cannot be opened has nothing: every check says so. */
	cu.rootfd = open(sysroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cu.live = !strcmp(sysroot, "/");
	check_module(&cu, module, cli_version);
	check_debugfs(&cu);
	check_sysctl(&cu);
	check_cpuidle(&cu);
	check_cpufreq(&cu);
	check_pmqos(&cu);
	check_irq(&cu);
	check_mm(&cu);
	check_wq(&cu);
	check_nic(&cu);
	check_niccoal(&cu);
	check_capabilities(&cu);
	check_pmu(&cu);
	check_rapl(&cu);
	if (cu.rootfd >= 0)
		close(cu.rootfd);
	for (i = 0; i < out->nchecks; i++)
		failed |= out->checks[i].status == DOCTOR_FAIL;
	for (i = 0; i < KNOB_NUM_CLASSES; i++)
		any_class |= !out->unavailable[i];
	out->ok = !failed && any_class;
	return 0;
}
