// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Knob name validation mirrors kmod/knob.c and the parsers of
 * kmod/class_*.c; the kernel stays the authority, this only turns its
 * certain refusals into usage errors before anything is sent.
 */
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OSTUNE_SYSCTL_LISTS
#include <linux/ostune.h>

#include "knobs/knobname.h"

static const char *const class_names[KNOB_NUM_CLASSES] = {
	[KNOB_CLASS_SCHED]	= "sched",
	[KNOB_CLASS_SYSCTL]	= "sysctl",
	[KNOB_CLASS_IDLE]	= "idle",
	[KNOB_CLASS_PMQOS]	= "pmqos",
	[KNOB_CLASS_FREQ]	= "freq",
	[KNOB_CLASS_IRQ]	= "irq",
	[KNOB_CLASS_MM]		= "mm",
	[KNOB_CLASS_WQ]		= "wq",
	[KNOB_CLASS_NIC]	= "nic",
};

const char *knob_class_name(enum knob_class cls)
{
	return class_names[cls];
}

static bool ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n >= m && !strcmp(s + n - m, end);
}

bool knob_is_qos(const char *name)
{
	return !strncmp(name, "pmqos.", 6) ||
	       (!strncmp(name, "freq.policy", 11) && ends_with(name, "_khz"));
}

const char *knob_parse_index(const char *s, const char *prefix,
			     unsigned int *index)
{
	size_t n = strlen(prefix);
	unsigned long long v = 0;
	const char *p;

	if (strncmp(s, prefix, n))
		return NULL;
	p = s + n;
	if (!isdigit((unsigned char)*p) ||
	    (*p == '0' && isdigit((unsigned char)p[1])))
		return NULL;
	for (; isdigit((unsigned char)*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > UINT_MAX)
			return NULL;
	}
	if (*p && *p != '.')
		return NULL;
	*index = v;
	return *p ? p + 1 : p;
}

static bool is_name_char(char ch)
{
	return islower((unsigned char)ch) || isdigit((unsigned char)ch) ||
	       ch == '_';
}

/* "latency_ns" or "numa_balancing.scan_delay_ms": one dot at most. */
static bool sched_sub_valid(const char *sub)
{
	const char *dot = strchr(sub, '.');
	const char *p;

	if (!*sub || dot == sub || (dot && (!dot[1] || strchr(dot + 1, '.'))))
		return false;
	for (p = sub; *p; p++)
		if (*p != '.' && !is_name_char(*p))
			return false;
	return true;
}

static bool sysctl_sub_valid(const char *sub)
{
	const char *p;

	if (!*sub || *sub == '.')
		return false;
	for (p = sub; *p; p++) {
		if (*p == '.' && (p[1] == '.' || !p[1]))
			return false;
		if (*p != '.' && *p != '-' && !is_name_char(*p))
			return false;
	}
	return true;
}

/*
 * As the kernel decides, from the same tables: NULL for a tuning sysctl;
 * otherwise why not, with *refused true for a verdict on a real sysctl
 * (EACCES) and false for a name ostune does not know (ENOENT).
 */
static const char *sysctl_refusal(const char *sub, bool *refused)
{
	size_t i;

	*refused = true;
	for (i = 0; i < sizeof(ostune_sysctl_refused) /
			sizeof(ostune_sysctl_refused[0]); i++)
		if (!fnmatch(ostune_sysctl_refused[i].pattern, sub, 0))
			return ostune_sysctl_refused[i].why;
	*refused = false;
	for (i = 0; i < sizeof(ostune_sysctl_tunables) /
			sizeof(ostune_sysctl_tunables[0]); i++)
		if (!fnmatch(ostune_sysctl_tunables[i], sub, 0))
			return NULL;
	return "not a tuning sysctl ostune knows";
}

int knob_class_lookup(const char *name, enum knob_class *cls)
{
	size_t prefix_len = strchrnul(name, '.') - name;
	unsigned int i;

	for (i = 0; i < KNOB_NUM_CLASSES; i++)
		if (strlen(class_names[i]) == prefix_len &&
		    !strncmp(class_names[i], name, prefix_len)) {
			*cls = i;
			return 0;
		}
	return -ENOENT;
}

/* cpu<N>.state<K>.disable */
static bool idle_sub_valid(const char *sub)
{
	unsigned int cpu, state;
	const char *rest = knob_parse_index(sub, "cpu", &cpu);

	if (rest)
		rest = knob_parse_index(rest, "state", &state);
	return rest && !strcmp(rest, "disable");
}

/* cpu_latency_us or cpu<N>.resume_latency_us (N an int in the kernel) */
static bool pmqos_sub_valid(const char *sub)
{
	unsigned int cpu;
	const char *rest;

	if (!strcmp(sub, "cpu_latency_us"))
		return true;
	rest = knob_parse_index(sub, "cpu", &cpu);
	return rest && !strcmp(rest, "resume_latency_us") && cpu <= INT_MAX;
}

/*
 * policy<N>.min_khz, max_khz, governor or epp; boost; pstate.no_turbo,
 * min_perf_pct or max_perf_pct
 */
static bool freq_sub_valid(const char *sub)
{
	static const char *const policy_knobs[] = {
		"min_khz", "max_khz", "governor", "epp", NULL
	};
	static const char *const globals[] = {
		"boost", "pstate.no_turbo", "pstate.min_perf_pct",
		"pstate.max_perf_pct", NULL
	};
	unsigned int cpu;
	const char *rest = knob_parse_index(sub, "policy", &cpu);
	const char *const *w;

	for (w = rest ? policy_knobs : globals; *w; w++)
		if (!strcmp(rest ? rest : sub, *w))
			return true;
	return false;
}

/* <N>.affinity */
static bool irq_sub_valid(const char *sub)
{
	unsigned int irq;
	const char *rest = knob_parse_index(sub, "", &irq);

	return rest && !strcmp(rest, "affinity");
}

/* The mm knobs with fixed names, as kmod/class_mm.c has them. */
static const char *const mm_fixed_subs[] = {
	"thp.enabled", "thp.defrag", "thp.khugepaged_defrag", "ksm.run",
	"ksm.pages_to_scan",
};

/* node<N>.hugepages_<S>kB, N and S decimal without leading zeros */
static bool mm_hugepages_sub_valid(const char *sub)
{
	unsigned int node, kb;
	const char *rest = knob_parse_index(sub, "node", &node);
	char digits[12];
	size_t n;

	if (!rest || strncmp(rest, "hugepages_", 10))
		return false;
	rest += 10;
	n = strlen(rest);
	if (n < 3 || n - 2 >= sizeof(digits) || strcmp(rest + n - 2, "kB"))
		return false;
	memcpy(digits, rest, n - 2);
	digits[n - 2] = '\0';
	rest = knob_parse_index(digits, "", &kb);
	/* knob_parse_index() takes the "2048." of "2048.kB" too */
	return rest && !*rest && rest[-1] != '.';
}

static bool mm_sub_valid(const char *sub)
{
	size_t i;

	for (i = 0; i < sizeof(mm_fixed_subs) / sizeof(mm_fixed_subs[0]); i++)
		if (!strcmp(sub, mm_fixed_subs[i]))
			return true;
	return mm_hugepages_sub_valid(sub);
}

static bool wq_sub_valid(const char *sub)
{
	return !strcmp(sub, "cpumask");
}

/* As the kernel's dev_valid_name(): what an interface may be called. */
static bool ifname_valid(const char *name, size_t len)
{
	size_t i;

	if (!len || len >= KNOB_IFNAMSIZ)
		return false;
	if ((len == 1 && name[0] == '.') ||
	    (len == 2 && name[0] == '.' && name[1] == '.'))
		return false;
	for (i = 0; i < len; i++)
		if (name[i] == '/' || name[i] == ':' ||
		    isspace((unsigned char)name[i]))
			return false;
	return true;
}

int knob_nic_parse(const char *sub, struct knob_nic_name *out)
{
	static const struct { const char *param; const char *queue; } params[] = {
		{ "rps_cpus", "rx" }, { "rps_flow_cnt", "rx" },
		{ "xps_cpus", "tx" },
	};
	const char *param = strrchr(sub, '.'), *q, *rest;
	size_t i;

	if (!param)
		return -EINVAL;
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (!strcmp(param + 1, params[i].param))
			break;
	if (i == sizeof(params) / sizeof(params[0]))
		return -EINVAL;
	for (q = param; q > sub && q[-1] != '.'; q--)
		;
	if (q == sub)
		return -EINVAL;
	rest = knob_parse_index(q, params[i].queue, &out->queue);
	if (rest != param + 1 || !ifname_valid(sub, q - 1 - sub))
		return -EINVAL;
	memcpy(out->ifname, sub, q - 1 - sub);
	out->ifname[q - 1 - sub] = '\0';
	out->param = param + 1;
	out->tx = params[i].queue[0] == 't';
	return 0;
}

/* The module's names, ethtool's words for them. */
const struct knob_nic_coal_param knob_nic_coal_params[] = {
	{ "rx_usecs", "-C", "rx-usecs" },
	{ "tx_usecs", "-C", "tx-usecs" },
	{ "rx_frames", "-C", "rx-frames" },
	{ "tx_frames", "-C", "tx-frames" },
	{ "adaptive_rx", "-C", "adaptive-rx" },
	{ "adaptive_tx", "-C", "adaptive-tx" },
	{ "rx_ring", "-G", "rx" },
	{ "tx_ring", "-G", "tx" },
	{ "rx_usecs_irq", "-C", "rx-usecs-irq" },
	{ "rx_frames_irq", "-C", "rx-frames-irq" },
	{ "tx_usecs_irq", "-C", "tx-usecs-irq" },
	{ "tx_frames_irq", "-C", "tx-frames-irq" },
	{ "stats_block_usecs", "-C", "stats-block-usecs" },
	{ "pkt_rate_low", "-C", "pkt-rate-low" },
	{ "rx_usecs_low", "-C", "rx-usecs-low" },
	{ "rx_frames_low", "-C", "rx-frames-low" },
	{ "tx_usecs_low", "-C", "tx-usecs-low" },
	{ "tx_frames_low", "-C", "tx-frames-low" },
	{ "pkt_rate_high", "-C", "pkt-rate-high" },
	{ "rx_usecs_high", "-C", "rx-usecs-high" },
	{ "rx_frames_high", "-C", "rx-frames-high" },
	{ "tx_usecs_high", "-C", "tx-usecs-high" },
	{ "tx_frames_high", "-C", "tx-frames-high" },
	{ "sample_interval", "-C", "sample-interval" },
};
const size_t knob_nic_coal_nparams =
	sizeof(knob_nic_coal_params) / sizeof(knob_nic_coal_params[0]);

int knob_nic_coal_parse(const char *sub, char *ifname,
			const struct knob_nic_coal_param **param)
{
	const char *last = strrchr(sub, '.');
	size_t i;

	if (!last || !ifname_valid(sub, last - sub))
		return -EINVAL;
	for (i = 0; i < knob_nic_coal_nparams; i++) {
		if (strcmp(last + 1, knob_nic_coal_params[i].name))
			continue;
		memcpy(ifname, sub, last - sub);
		ifname[last - sub] = '\0';
		*param = &knob_nic_coal_params[i];
		return 0;
	}
	return -EINVAL;
}

/*
 * <ifname>.rx<Q>.rps_cpus, .rx<Q>.rps_flow_cnt, .tx<Q>.xps_cpus, or
 * <ifname>.<coalescing or ring parameter>
 */
static bool nic_sub_valid(const char *sub)
{
	const struct knob_nic_coal_param *param;
	char ifname[KNOB_IFNAMSIZ];
	struct knob_nic_name n;

	return !knob_nic_parse(sub, &n) ||
	       !knob_nic_coal_parse(sub, ifname, &param);
}

/* What each class accepts after "CLASS.", and how to say what it wants. */
static const struct {
	bool (*valid)(const char *sub);
	const char *want;
} class_syntax[KNOB_NUM_CLASSES] = {
	[KNOB_CLASS_SCHED]	= { sched_sub_valid,
				    "bad sched name (want [a-z0-9_], one dot at most)" },
	[KNOB_CLASS_SYSCTL]	= { sysctl_sub_valid,
				    "bad sysctl name (want [a-z0-9_-] and single dots)" },
	[KNOB_CLASS_IDLE]	= { idle_sub_valid,
				    "bad idle name (want idle.cpuN.stateK.disable, decimal N and K without leading zeros)" },
	[KNOB_CLASS_PMQOS]	= { pmqos_sub_valid,
				    "bad pmqos name (want pmqos.cpu_latency_us or pmqos.cpuN.resume_latency_us, decimal N without leading zeros)" },
	[KNOB_CLASS_FREQ]	= { freq_sub_valid,
				    "bad freq name (want freq.policyN.min_khz, max_khz, governor or epp, decimal N without leading zeros; freq.boost; freq.pstate.no_turbo, min_perf_pct or max_perf_pct)" },
	[KNOB_CLASS_IRQ]	= { irq_sub_valid,
				    "bad irq name (want irq.N.affinity, decimal N without leading zeros)" },
	[KNOB_CLASS_MM]		= { mm_sub_valid,
				    "bad mm name (want mm.thp.enabled, mm.thp.defrag, mm.thp.khugepaged_defrag, mm.ksm.run, mm.ksm.pages_to_scan or mm.nodeN.hugepages_SIZEkB)" },
	[KNOB_CLASS_WQ]		= { wq_sub_valid,
				    "bad wq name (want wq.cpumask)" },
	[KNOB_CLASS_NIC]	= { nic_sub_valid,
				    "bad nic name (want nic.IFNAME.rxQ.rps_cpus, nic.IFNAME.rxQ.rps_flow_cnt, nic.IFNAME.txQ.xps_cpus, decimal Q without leading zeros, or nic.IFNAME.rx_usecs and the other coalescing and ring parameters)" },
};

int knob_name_check(const char *name, enum knob_class *cls, char *why,
		    size_t len)
{
	const char *dot = strchr(name, '.');
	enum knob_class i;

	if (strlen(name) >= OSTUNE_NAME_MAX) {
		snprintf(why, len, "knob name longer than %d bytes",
			 OSTUNE_NAME_MAX - 1);
		return -EINVAL;
	}
	if (!dot || !dot[1]) {
		snprintf(why, len, "'%s' is not a knob name (want CLASS.NAME)",
			 name);
		return -EINVAL;
	}
	if (knob_class_lookup(name, &i)) {
		snprintf(why, len,
			 "%s: unknown knob class '%.*s' (known: sched, sysctl, idle, pmqos, freq, irq, mm, wq, nic)",
			 name, (int)(dot - name), name);
		return -ENOENT;
	}
	if (cls)
		*cls = i;
	if (!class_syntax[i].valid(dot + 1)) {
		snprintf(why, len, "%s: %s", name, class_syntax[i].want);
		return -EINVAL;
	}
	if (i == KNOB_CLASS_SYSCTL) {
		bool refused;
		const char *no = sysctl_refusal(dot + 1, &refused);

		if (no) {
			snprintf(why, len, "%s: %s%s (docs/knobs.md lists the tuning sysctls)",
				 name, refused ? "refused: " : "", no);
			return refused ? -EACCES : -ENOENT;
		}
	}
	return 0;
}

/* ---- IRQs named by their handler ---- */

#define PREFIX_LEN (sizeof(IRQ_ACTION_PREFIX) - 1)
#define SUFFIX_LEN (sizeof(IRQ_ACTION_SUFFIX) - 1)

bool knob_is_irq_action(const char *name)
{
	return !strncmp(name, IRQ_ACTION_PREFIX, PREFIX_LEN);
}

int knob_irq_action_glob(const char *name, char *glob, size_t len)
{
	size_t n = strlen(name);

	if (!knob_is_irq_action(name) || n < PREFIX_LEN + SUFFIX_LEN ||
	    strcmp(name + n - SUFFIX_LEN, IRQ_ACTION_SUFFIX))
		return -1;
	n -= PREFIX_LEN + SUFFIX_LEN;
	if (n >= len)
		return -1;
	memcpy(glob, name + PREFIX_LEN, n);
	glob[n] = '\0';
	return n;
}

int knob_irq_action_check(const char *name, char *why, size_t len)
{
	char glob[OSTUNE_NAME_MAX];
	const char *p;
	int n = knob_irq_action_glob(name, glob, sizeof(glob));

	if (n < 0) {
		snprintf(why, len, "%s: want irq.action:HANDLER.affinity, HANDLER a name or glob of the handler /proc/interrupts shows",
			 name);
		return -EINVAL;
	}
	if (!n) {
		snprintf(why, len, "%s: no handler name", name);
		return -EINVAL;
	}
	for (p = glob; *p; p++) {
		if (!isprint((unsigned char)*p) || *p == ',') {
			snprintf(why, len, "%s: bad character in the handler name (want printable text without ',')",
				 name);
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- patterns ---- */

struct range {
	size_t prefix_len;
	unsigned long lo, hi;
	bool valid;	/* lo <= hi and both fit */
};

/* Is the component [comp, comp + len) of the form PREFIXa-b? */
static bool parse_range(const char *comp, size_t len, struct range *r)
{
	const char *end = comp + len;
	const char *dash = NULL, *p, *lo_start;
	char *num_end;

	for (p = comp; p < end; p++) {
		if (*p == '*')
			return false;
		if (*p == '-')
			dash = p;
	}
	if (!dash || dash + 1 == end)
		return false;
	for (p = dash + 1; p < end; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	for (lo_start = dash; lo_start > comp &&
	     isdigit((unsigned char)lo_start[-1]); lo_start--)
		;
	if (lo_start == dash)
		return false;
	r->prefix_len = lo_start - comp;
	errno = 0;
	r->lo = strtoul(lo_start, &num_end, 10);
	r->hi = strtoul(dash + 1, &num_end, 10);
	r->valid = errno != ERANGE && r->lo <= r->hi;
	return true;
}

static bool range_match(const char *comp, const char *cand, size_t cand_len,
			const struct range *r)
{
	const char *digits = cand + r->prefix_len;
	size_t ndigits = cand_len - r->prefix_len;
	unsigned long v = 0;
	size_t i;

	if (cand_len <= r->prefix_len || strncmp(cand, comp, r->prefix_len))
		return false;
	if (ndigits > 1 && digits[0] == '0')
		return false;
	for (i = 0; i < ndigits; i++) {
		if (!isdigit((unsigned char)digits[i]) || v > ULONG_MAX / 10)
			return false;
		v = v * 10 + (digits[i] - '0');
	}
	return v >= r->lo && v <= r->hi;
}

/* '*' glob over [pat, pat + plen) against [s, s + slen). */
static bool glob_match(const char *pat, size_t plen, const char *s, size_t slen)
{
	size_t pi = 0, si = 0, star = (size_t)-1, resume = 0;

	while (si < slen) {
		if (pi < plen && pat[pi] == '*') {
			star = pi++;
			resume = si;
		} else if (pi < plen && pat[pi] == s[si]) {
			pi++;
			si++;
		} else if (star != (size_t)-1) {
			pi = star + 1;
			si = ++resume;
		} else {
			return false;
		}
	}
	while (pi < plen && pat[pi] == '*')
		pi++;
	return pi == plen;
}

static bool component_match(const char *comp, size_t comp_len,
			    const char *cand, size_t cand_len)
{
	struct range r;

	if (comp_len == cand_len && !strncmp(comp, cand, comp_len))
		return true;
	/*
	 * A range component is also tried literally (above): "veth1-2" may
	 * be an interface name rather than a range.
	 */
	if (parse_range(comp, comp_len, &r))
		return r.valid && range_match(comp, cand, cand_len, &r);
	return glob_match(comp, comp_len, cand, cand_len);
}

bool knob_is_pattern(const char *name)
{
	const char *comp = name;

	if (strchr(name, '*') || knob_is_irq_action(name))
		return true;
	for (;;) {
		const char *dot = strchrnul(comp, '.');
		struct range r;

		if (parse_range(comp, dot - comp, &r))
			return true;
		if (!*dot)
			return false;
		comp = dot + 1;
	}
}

int knob_pattern_check(const char *pattern, char *why, size_t len)
{
	const char *comp = pattern;

	if (strlen(pattern) >= OSTUNE_NAME_MAX) {
		snprintf(why, len, "pattern longer than %d bytes",
			 OSTUNE_NAME_MAX - 1);
		return -EINVAL;
	}
	if (knob_is_irq_action(pattern))
		return knob_irq_action_check(pattern, why, len);
	for (;;) {
		const char *dot = strchrnul(comp, '.');
		const char *p;
		struct range r;

		if (dot == comp) {
			snprintf(why, len, "%s: empty name component",
				 pattern);
			return -EINVAL;
		}
		for (p = comp; p < dot; p++) {
			/* upper case for the kB of mm.nodeN.hugepages_SIZEkB */
			if (!is_name_char(*p) && !isupper((unsigned char)*p) &&
			    *p != '-' && *p != '*') {
				snprintf(why, len,
					 "%s: bad character '%c' (want [A-Za-z0-9_-], '.' and '*')",
					 pattern, *p);
				return -EINVAL;
			}
		}
		if (parse_range(comp, dot - comp, &r) && !r.valid) {
			snprintf(why, len, "%s: bad range in '%.*s'", pattern,
				 (int)(dot - comp), comp);
			return -EINVAL;
		}
		if (!*dot)
			return 0;
		comp = dot + 1;
	}
}

bool knob_pattern_match(const char *pattern, const char *name)
{
	const char *pc = pattern, *nc = name;

	/* Only discovery knows an IRQ's handlers (knob_list_match()). */
	if (knob_is_irq_action(pattern))
		return false;
	for (;;) {
		const char *pdot = strchrnul(pc, '.');
		const char *ndot = strchrnul(nc, '.');

		if (!component_match(pc, pdot - pc, nc, ndot - nc))
			return false;
		if (!*pdot || !*ndot)
			return !*pdot && !*ndot;
		pc = pdot + 1;
		nc = ndot + 1;
	}
}

void sysctl_proc_path(const char *sub, char *buf, size_t len)
{
	char *p;

	snprintf(buf, len, "proc/sys/%s", sub);
	for (p = buf + strlen("proc/sys/"); *p; p++)
		if (*p == '.')
			*p = '/';
}
