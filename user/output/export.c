// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune export: the formats, where a plain host keeps each knob, and the
 * sysctl.d and profile writers (TuneD and shell have files of their own).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ostune.h>

#include "knobs/irqaction.h"
#include "knobs/knobname.h"
#include "knobs/profile.h"
#include "knobs/sysread.h"
#include "output/export.h"

static const struct {
	const char *name;
	const char *default_name;
} formats[] = {
	[EXPORT_TUNED] = { "tuned", "tuned/ostune" },
	[EXPORT_SYSCTL] = { "sysctl", "99-ostune.conf" },
	[EXPORT_PROFILE] = { "profile", "profile.json" },
	[EXPORT_SHELL] = { "shell", "ostune-apply.sh" },
	[EXPORT_CMDLINE] = { "cmdline", NULL },
};

int export_format_parse(const char *name, enum export_format *f)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (!strcmp(formats[i].name, name)) {
			*f = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *export_default_name(enum export_format f)
{
	return formats[f].default_name;
}

/* The text after "CLASS." with each dot a slash. */
static void dots_to_slashes(const char *in, char *out, size_t len)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < len; i++)
		out[i] = in[i] == '.' ? '/' : in[i];
	out[i] = '\0';
}

static int plain_cpu_file(const char *name, const char *value, char *path,
			  size_t plen, char *text, size_t tlen, char *why,
			  size_t len)
{
	unsigned int cpu, n;
	const char *rest;

	if (!strncmp(name, "idle.", 5) &&
	    (rest = knob_parse_index(name + 5, "cpu", &cpu)) &&
	    (rest = knob_parse_index(rest, "state", &n))) {
		snprintf(path, plen, "/sys/devices/system/cpu/cpu%u/cpuidle/state%u/%s",
			 cpu, n, rest);
		snprintf(text, tlen, "%s", value);
		return 0;
	}
	if (!strcmp(name, "pmqos.cpu_latency_us")) {
		snprintf(why, len, "a CPU latency request lasts only while a process keeps /dev/cpu_dma_latency open");
		return -ENOENT;
	}
	if (!strncmp(name, "pmqos.", 6) &&
	    knob_parse_index(name + 6, "cpu", &cpu)) {
		/* In sysfs 0 means no limit and "n/a" a limit of 0. */
		snprintf(path, plen, "/sys/devices/system/cpu/cpu%u/power/pm_qos_resume_latency_us",
			 cpu);
		snprintf(text, tlen, "%s", !strcmp(value, "none") ? "0" :
			 !strcmp(value, "0") ? "n/a" : value);
		return 0;
	}
	if (!strncmp(name, "freq.", 5) &&
	    (rest = knob_parse_index(name + 5, "policy", &n)) &&
	    (!strcmp(rest, "governor") || !strcmp(rest, "epp"))) {
		snprintf(path, plen, "/sys/devices/system/cpu/cpufreq/policy%u/%s",
			 n, !strcmp(rest, "governor") ? "scaling_governor" :
			 "energy_performance_preference");
		snprintf(text, tlen, "%s", value);
		return 0;
	}
	if (!strcmp(name, "freq.boost") || !strncmp(name, "freq.pstate.", 12)) {
		if (name[5] == 'b')
			snprintf(path, plen, "/sys/devices/system/cpu/cpufreq/boost");
		else
			snprintf(path, plen, "/sys/devices/system/cpu/intel_pstate/%s",
				 name + 12);
		snprintf(text, tlen, "%s", value);
		return 0;
	}
	if (!strncmp(name, "freq.", 5) &&
	    (rest = knob_parse_index(name + 5, "policy", &n))) {
		if (!strcmp(value, "none")) {
			snprintf(why, len, "'none' is no limit: there is nothing to write");
			return -ENOENT;
		}
		snprintf(path, plen, "/sys/devices/system/cpu/cpufreq/policy%u/scaling_%s_freq",
			 n, !strcmp(rest, "min_khz") ? "min" : "max");
		snprintf(text, tlen, "%s", value);
		return 0;
	}
	snprintf(why, len, "no file holds it");
	return -ENOENT;
}

/* The mm knobs with fixed names and their files. */
static const struct {
	const char *name, *path;
} mm_files[] = {
	{ "mm.thp.enabled", "/sys/kernel/mm/transparent_hugepage/enabled" },
	{ "mm.thp.defrag", "/sys/kernel/mm/transparent_hugepage/defrag" },
	{ "mm.thp.khugepaged_defrag",
	  "/sys/kernel/mm/transparent_hugepage/khugepaged/defrag" },
	{ "mm.ksm.run", "/sys/kernel/mm/ksm/run" },
	{ "mm.ksm.pages_to_scan", "/sys/kernel/mm/ksm/pages_to_scan" },
};

/* mm.* and wq.cpumask: 1 when name is neither, else 0 or -ENOENT. */
static int plain_mm_file(const char *name, const char *value, char *path,
			 size_t plen, char *text, size_t tlen, char *why,
			 size_t len)
{
	unsigned int node, kb;
	size_t i;

	for (i = 0; i < sizeof(mm_files) / sizeof(mm_files[0]); i++) {
		if (!strcmp(name, mm_files[i].name)) {
			snprintf(path, plen, "%s", mm_files[i].path);
			snprintf(text, tlen, "%s", value);
			return 0;
		}
	}
	if (sscanf(name, "mm.node%u.hugepages_%ukB", &node, &kb) == 2) {
		snprintf(path, plen, "/sys/devices/system/node/node%u/hugepages/hugepages-%ukB/nr_hugepages",
			 node, kb);
		snprintf(text, tlen, "%s", value);
		return 0;
	}
	if (strcmp(name, "wq.cpumask"))
		return 1;
	/* the file takes a hex mask */
	if (!cpulist_to_hexmask(value, text, tlen)) {
		snprintf(why, len, "'%s' is not a CPU list", value);
		return -ENOENT;
	}
	snprintf(path, plen, "/sys/devices/virtual/workqueue/cpumask");
	return 0;
}

/* A nic queue knob: its sysfs attribute, and a CPU list as a mask. */
static int plain_nic_file(const char *name, const char *value, char *path,
			  size_t plen, char *text, size_t tlen, char *why,
			  size_t len)
{
	struct knob_nic_name n;

	if (knob_nic_parse(name + 4, &n)) {
		snprintf(why, len, "no file holds it");
		return -ENOENT;
	}
	snprintf(path, plen, "/sys/class/net/%s/queues/%s-%u/%s", n.ifname,
		 n.tx ? "tx" : "rx", n.queue, n.param);
	/* the file takes a hex mask, "0" for none */
	if (!strcmp(n.param, "rps_flow_cnt") || !strcmp(value, "none")) {
		snprintf(text, tlen, "%s", strcmp(value, "none") ? value : "0");
	} else if (!cpulist_to_hexmask(value, text, tlen)) {
		snprintf(why, len, "'%s' is not a CPU list", value);
		return -ENOENT;
	}
	return 0;
}

bool export_ethtool_knob(const char *name, char *ifname,
			 const struct knob_nic_coal_param **param)
{
	const struct knob_nic_coal_param *p;

	return !strncmp(name, "nic.", 4) &&
	       !knob_nic_coal_parse(name + 4, ifname, param ? param : &p);
}

/* ethtool -C takes adaptive-rx/-tx only as "on" and "off". */
const char *export_ethtool_value(const struct knob_nic_coal_param *param,
				 const char *value)
{
	if (strncmp(param->name, "adaptive_", 9))
		return value;
	return strcmp(value, "0") ? "on" : "off";
}

int export_plain_file(const char *name, const char *value, char *path,
		      size_t plen, char *text, size_t tlen, char *why,
		      size_t len)
{
	const char *root = NULL;
	char sub[256];
	unsigned int irq;
	int ret;

	if (!strncmp(name, "sysctl.", 7))
		root = "/proc/sys/";
	else if (!strncmp(name, "sched.", 6))
		root = "/sys/kernel/debug/sched/";
	if (root) {
		dots_to_slashes(strchr(name, '.') + 1, sub, sizeof(sub));
		snprintf(path, plen, "%s%s", root, sub);
		snprintf(text, tlen, "%s", value);
		return 0;
	}
	if (!strncmp(name, "irq.", 4) && knob_parse_index(name + 4, "", &irq)) {
		snprintf(path, plen, "/proc/irq/%u/smp_affinity_list", irq);
		snprintf(text, tlen, "%s", value);
		return 0;
	}
	ret = plain_mm_file(name, value, path, plen, text, tlen, why, len);
	if (ret <= 0)
		return ret;
	if (!strncmp(name, "nic.", 4))
		return plain_nic_file(name, value, path, plen, text, tlen, why,
				      len);
	return plain_cpu_file(name, value, path, plen, text, tlen, why, len);
}

void export_header(const struct export_source *src, const char *prefix,
		   const char *what, FILE *out)
{
	fprintf(out, "%sGenerated by ostune %s from the tuning run in %s:\n",
		prefix, OSTUNE_VERSION, src->dir);
	fprintf(out, "%s%s.\n", prefix, src->about);
	fprintf(out, "%s%s\n", prefix, what);
}

static int export_sysctl(const struct export_source *src, FILE *out)
{
	const struct changeset *cs = src->knobs;
	size_t i, left = 0;

	export_header(src, "# ", "Its sysctl knobs only, for /etc/sysctl.d/; load with 'sysctl -p FILE'.", out);
	for (i = 0; i < cs->n; i++)
		left += strncmp(cs->items[i].name, "sysctl.", 7) != 0;
	if (left) {
		fprintf(out, "#\n# Left out, %zu knob%s that %s not sysctls (ostune export --format tuned\n"
			"# or shell writes them):\n", left, left == 1 ? "" : "s",
			left == 1 ? "is" : "are");
		for (i = 0; i < cs->n; i++)
			if (strncmp(cs->items[i].name, "sysctl.", 7))
				fprintf(out, "#   %s = %s\n", cs->items[i].name,
					cs->items[i].value);
	}
	fputc('\n', out);
	for (i = 0; i < cs->n; i++)
		if (!strncmp(cs->items[i].name, "sysctl.", 7))
			fprintf(out, "%s = %s\n", cs->items[i].name + 7,
				cs->items[i].value);
	return 0;
}

/*
 * The profile `ostune apply` reads (knobs/profile.c writes it), with each
 * IRQ named by its handler where this host's discovery names it
 * uniquely: the number may differ at the next boot, the handler not.
 */
static int export_profile(const struct export_source *src, FILE *out)
{
	const char *const notes[] = {
		"generated_by", "ostune " OSTUNE_VERSION, "source", src->dir,
		"about", src->about, NULL
	};
	struct changeset named = { 0 };
	char action[OSTUNE_NAME_MAX];
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < src->knobs->n; i++) {
		const struct change *c = &src->knobs->items[i];

		ret = changeset_set(&named, src->known &&
				    irq_action_name_of(src->known, c->name, action,
						       sizeof(action)) ?
				    action : c->name, c->value);
	}
	if (!ret)
		ret = profile_write(&named, notes, out);
	changeset_free(&named);
	return ret;
}

int export_write(enum export_format f, const struct export_source *src,
		 FILE *out, char *why, size_t len)
{
	static int (*const writers[])(const struct export_source *, FILE *) = {
		[EXPORT_TUNED] = export_tuned,
		[EXPORT_SYSCTL] = export_sysctl,
		[EXPORT_PROFILE] = export_profile,
		[EXPORT_SHELL] = export_shell,
	};
	const struct changeset *cs = src->knobs;
	size_t i;
	int ret;

	for (i = 0; i < cs->n; i++) {
		char reason[256] = "a pattern, not one knob";

		if (knob_is_pattern(cs->items[i].name) ||
		    knob_name_check(cs->items[i].name, NULL, reason, sizeof(reason))) {
			snprintf(why, len, "%s: %s", cs->items[i].name, reason);
			return -EINVAL;
		}
	}
	if (f == EXPORT_CMDLINE) {
		ret = export_cmdline(src, out, why, len);
		if (ret == -EINVAL || ret == -ENOENT)
			return ret;
	} else {
		ret = writers[f](src, out);
	}
	if (!ret && (fflush(out) || ferror(out)))
		ret = -EIO;
	if (ret)
		snprintf(why, len, "writing: %s", strerror(-ret));
	return ret;
}
