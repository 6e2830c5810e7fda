/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ostune: transactional OS tuning with kernel-held originals.
 *
 * Generic netlink family "ostune", version 1. The family lives in the
 * initial network namespace only. Every command that changes state or
 * returns a knob's value needs CAP_SYS_ADMIN (and CAP_NET_ADMIN) in the
 * initial user namespace, and so does the "events" group; GET_STATUS
 * gives others the versions, the session and the number of knobs held.
 */
#ifndef _UAPI_LINUX_OSTUNE_H
#define _UAPI_LINUX_OSTUNE_H

#define OSTUNE_FAMILY_NAME	"ostune"
#define OSTUNE_FAMILY_VERSION	1
#define OSTUNE_MCGRP_EVENTS	"events"

/* Limits, including the terminating NUL. */
#define OSTUNE_NAME_MAX		128
#define OSTUNE_VALUE_MAX	256
#define OSTUNE_COMM_MAX		16
/* Entries in one APPLY, RESTORE or GET request. */
#define OSTUNE_TXN_MAX_ENTRIES	256
/* Knobs the module may hold originals for at once. */
#define OSTUNE_MAX_HELD		4096

#define OSTUNE_WATCHDOG_MIN_MS	100
#define OSTUNE_WATCHDOG_MAX_MS	3600000

enum ostune_cmd {
	OSTUNE_CMD_UNSPEC,
	/* Module version, session; held knobs to CAP_SYS_ADMIN only. */
	OSTUNE_CMD_GET_STATUS,
	/* Current values of the KNOB nests given (NAME only). Admin. */
	OSTUNE_CMD_GET_KNOBS,
	/* Open the writer session owned by the calling socket. */
	OSTUNE_CMD_SESSION_OPEN,
	/* Undo the session's changes and end it. Owner only. */
	OSTUNE_CMD_SESSION_CLOSE,
	/* Renew the watchdog lease (optionally with a new WATCHDOG_MS). */
	OSTUNE_CMD_HEARTBEAT,
	/*
	 * One all-or-nothing transaction of KNOB nests (NAME, VALUE). From the
	 * session owner the change is held; with no session open it is kept.
	 */
	OSTUNE_CMD_APPLY,
	/* Put originals back: of the KNOB nests given (NAME), or of all. */
	OSTUNE_CMD_RESTORE,
	/* Multicast on "events": one per knob change. */
	OSTUNE_CMD_EVENT,

	__OSTUNE_CMD_MAX,
	OSTUNE_CMD_MAX = __OSTUNE_CMD_MAX - 1
};

enum ostune_attr {
	OSTUNE_A_UNSPEC,
	OSTUNE_A_VERSION,	/* u32: module's family version */
	OSTUNE_A_MODULE_VERSION,/* string: module release, e.g. "0.1.0" */
	OSTUNE_A_SESSION,	/* nest: OSTUNE_A_SESSION_* */
	OSTUNE_A_KNOB,		/* nest: OSTUNE_A_KNOB_*, may repeat */
	OSTUNE_A_WATCHDOG_MS,	/* u32 */
	OSTUNE_A_TXN_ID,	/* u32: transaction id (APPLY reply, events) */
	OSTUNE_A_REASON,	/* u32: enum ostune_reason (events) */
	OSTUNE_A_PID,		/* u32: who made the change (events) */
	OSTUNE_A_COMM,		/* string (events) */
	OSTUNE_A_HELD_COUNT,	/* u32: knobs with originals held */

	__OSTUNE_A_MAX,
	OSTUNE_A_MAX = __OSTUNE_A_MAX - 1
};

enum ostune_session_attr {
	OSTUNE_A_SESSION_UNSPEC,
	OSTUNE_A_SESSION_ID,		/* u32 */
	OSTUNE_A_SESSION_PID,		/* u32: owner's tgid */
	OSTUNE_A_SESSION_COMM,		/* string */
	OSTUNE_A_SESSION_PORTID,	/* u32: owner's netlink port */
	OSTUNE_A_SESSION_WATCHDOG_MS,	/* u32: lease */
	OSTUNE_A_SESSION_REMAINING_MS,	/* u32: time left on the lease */

	__OSTUNE_A_SESSION_MAX,
	OSTUNE_A_SESSION_MAX = __OSTUNE_A_SESSION_MAX - 1
};

enum ostune_knob_attr {
	OSTUNE_A_KNOB_UNSPEC,
	OSTUNE_A_KNOB_NAME,		/* string, e.g. "sysctl.vm.swappiness" */
	OSTUNE_A_KNOB_VALUE,		/* string: requested, current or new value */
	OSTUNE_A_KNOB_ORIGINAL,		/* string: value before ostune's first change */
	OSTUNE_A_KNOB_LAST_WRITTEN,	/* string: what ostune last wrote */
	OSTUNE_A_KNOB_OLD,		/* string: value before this change (events) */
	OSTUNE_A_KNOB_FLAGS,		/* u32: OSTUNE_KNOB_F_* */

	__OSTUNE_A_KNOB_MAX,
	OSTUNE_A_KNOB_MAX = __OSTUNE_A_KNOB_MAX - 1
};

/* OSTUNE_A_KNOB_FLAGS */
#define OSTUNE_KNOB_F_SESSION	(1U << 0) /* changed by the open session */
#define OSTUNE_KNOB_F_DRIFT	(1U << 1) /* current differs from last written */
#define OSTUNE_KNOB_F_EXTERNAL	(1U << 2) /* event: left alone, changed externally */
#define OSTUNE_KNOB_F_FIXED	(1U << 3) /* GET_KNOBS: takes no new value now */
#define OSTUNE_KNOB_F_OWED	(1U << 4) /* a rollback or undo failed: retrying */
#define OSTUNE_KNOB_F_GONE	(1U << 5) /* event: its object went away, let go */

enum ostune_reason {
	OSTUNE_REASON_APPLY,		/* a transaction committed */
	OSTUNE_REASON_REQUEST,		/* RESTORE request */
	OSTUNE_REASON_SESSION_CLOSE,	/* SESSION_CLOSE request */
	OSTUNE_REASON_SOCKET_CLOSE,	/* the owner's socket closed */
	OSTUNE_REASON_WATCHDOG,		/* the owner's lease expired */
	OSTUNE_REASON_UNLOAD,		/* module unload */
	OSTUNE_REASON_RETRY,		/* a write back that had failed, again */
	OSTUNE_REASON_GONE,		/* its object went away: let go, no write */
};

/*
 * The sysctls the module tunes, named one by one: performance tunables
 * only (docs/knobs.md says why each is here). Names are without the
 * "sysctl." prefix, and '*' matches any run of characters. A name that
 * matches ostune_sysctl_refused is refused (EACCES) with the reason given,
 * whatever else it matches; a name on neither list is no knob (ENOENT). One file on
 * each side defines OSTUNE_SYSCTL_LISTS to get the tables.
 */
#ifdef OSTUNE_SYSCTL_LISTS
static const char *const ostune_sysctl_tunables[] = {
	"vm.swappiness",
	"vm.dirty_ratio",
	"vm.dirty_background_ratio",
	"vm.dirty_bytes",
	"vm.dirty_background_bytes",
	"vm.dirty_expire_centisecs",
	"vm.dirty_writeback_centisecs",
	"vm.dirtytime_expire_seconds",
	"vm.vfs_cache_pressure",
	"vm.min_free_kbytes",
	"vm.watermark_scale_factor",
	"vm.watermark_boost_factor",
	"vm.zone_reclaim_mode",
	"vm.min_unmapped_ratio",
	"vm.min_slab_ratio",
	"vm.page-cluster",
	"vm.stat_interval",
	"vm.compaction_proactiveness",
	"vm.extfrag_threshold",
	"vm.percpu_pagelist_high_fraction",
	"vm.max_map_count",
	"vm.laptop_mode",
	"vm.numa_stat",
	"vm.page_lock_unfairness",
	"vm.compact_unevictable_allowed",
	"kernel.sched_autogroup_enabled",
	"kernel.sched_cfs_bandwidth_slice_us",
	"kernel.sched_child_runs_first",
	"kernel.sched_rr_timeslice_ms",
	"kernel.sched_schedstats",
	"kernel.sched_util_clamp_min",
	"kernel.sched_util_clamp_max",
	"kernel.sched_util_clamp_min_rt_default",
	"kernel.sched_energy_aware",
	"kernel.numa_balancing",
	"kernel.timer_migration",
	"net.core.rmem_default",
	"net.core.rmem_max",
	"net.core.wmem_default",
	"net.core.wmem_max",
	"net.core.optmem_max",
	"net.core.netdev_max_backlog",
	"net.core.netdev_budget",
	"net.core.netdev_budget_usecs",
	"net.core.dev_weight",
	"net.core.dev_weight_rx_bias",
	"net.core.dev_weight_tx_bias",
	"net.core.somaxconn",
	"net.core.busy_poll",
	"net.core.busy_read",
	"net.core.default_qdisc",
	"net.core.rps_sock_flow_entries",
	"net.core.flow_limit_cpu_bitmap",
	"net.core.flow_limit_table_len",
	"net.core.netdev_tstamp_prequeue",
	"net.core.high_order_alloc_disable",
	"net.core.gro_normal_batch",
	"net.core.max_skb_frags",
	"net.core.skb_defer_max",
	"net.ipv4.tcp_rmem",
	"net.ipv4.tcp_wmem",
	"net.ipv4.tcp_mem",
	"net.ipv4.udp_mem",
	"net.ipv4.udp_rmem_min",
	"net.ipv4.udp_wmem_min",
	"net.ipv4.tcp_congestion_control",
	"net.ipv4.tcp_fastopen",
	"net.ipv4.tcp_slow_start_after_idle",
	"net.ipv4.tcp_no_metrics_save",
	"net.ipv4.tcp_moderate_rcvbuf",
	"net.ipv4.tcp_window_scaling",
	"net.ipv4.tcp_timestamps",
	"net.ipv4.tcp_sack",
	"net.ipv4.tcp_dsack",
	"net.ipv4.tcp_autocorking",
	"net.ipv4.tcp_tso_win_divisor",
	"net.ipv4.tcp_min_tso_segs",
	"net.ipv4.tcp_limit_output_bytes",
	"net.ipv4.tcp_notsent_lowat",
	"net.ipv4.tcp_max_syn_backlog",
	"net.ipv4.tcp_abort_on_overflow",
	"net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_keepalive_time",
	"net.ipv4.tcp_keepalive_intvl",
	"net.ipv4.tcp_keepalive_probes",
	"net.ipv4.tcp_tw_reuse",
	"net.ipv4.tcp_max_tw_buckets",
	"net.ipv4.tcp_max_orphans",
	"net.ipv4.tcp_orphan_retries",
	"net.ipv4.tcp_retries1",
	"net.ipv4.tcp_retries2",
	"net.ipv4.tcp_syn_retries",
	"net.ipv4.tcp_synack_retries",
	"net.ipv4.tcp_mtu_probing",
	"net.ipv4.tcp_base_mss",
	"net.ipv4.tcp_ecn",
	"net.ipv4.tcp_frto",
	"net.ipv4.tcp_reordering",
	"net.ipv4.tcp_max_reordering",
	"net.ipv4.tcp_recovery",
	"net.ipv4.tcp_early_retrans",
	"net.ipv4.tcp_thin_linear_timeouts",
	"net.ipv4.tcp_adv_win_scale",
	"net.ipv4.tcp_app_win",
	"net.ipv4.tcp_min_rtt_wlen",
	"net.ipv4.tcp_pacing_ss_ratio",
	"net.ipv4.tcp_pacing_ca_ratio",
	"net.ipv4.tcp_comp_sack_delay_ns",
	"net.ipv4.tcp_comp_sack_slack_ns",
	"net.ipv4.tcp_comp_sack_nr",
	"net.ipv4.tcp_fastopen_blackhole_timeout_sec",
	"net.ipv4.tcp_migrate_req",
	"net.ipv4.tcp_early_demux",
	"net.ipv4.udp_early_demux",
	"net.ipv4.ip_early_demux",
	"net.ipv4.ip_local_port_range",
	"net.ipv4.ipfrag_high_thresh",
	"net.ipv4.ipfrag_low_thresh",
	"net.ipv4.ipfrag_time",
	"net.ipv4.ipfrag_max_dist",
	"net.ipv4.neigh.default.gc_thresh1",
	"net.ipv4.neigh.default.gc_thresh2",
	"net.ipv4.neigh.default.gc_thresh3",
	"net.ipv4.neigh.default.gc_interval",
	"net.ipv4.neigh.default.gc_stale_time",
	"net.ipv4.neigh.default.unres_qlen_bytes",
	"net.ipv6.ip6frag_high_thresh",
	"net.ipv6.ip6frag_low_thresh",
	"net.ipv6.ip6frag_time",
	"net.ipv6.neigh.default.gc_thresh1",
	"net.ipv6.neigh.default.gc_thresh2",
	"net.ipv6.neigh.default.gc_thresh3",
	"net.ipv6.neigh.default.gc_interval",
	"net.ipv6.neigh.default.gc_stale_time",
	"net.ipv6.route.max_size",
	"net.ipv6.route.gc_thresh",
};

/*
 * Security boundaries, failure policy, routing policy, secrets and
 * one-shot actions are not tuning.
 */
struct ostune_sysctl_refusal {
	const char *pattern;
	const char *why;
};

static const struct ostune_sysctl_refusal ostune_sysctl_refused[] = {
	{ "vm.mmap_*", "a security boundary" },
	{ "vm.unprivileged_userfaultfd", "unprivileged access policy" },
	{ "vm.hugetlb_shm_group", "unprivileged access policy" },
	{ "vm.panic_on_oom", "failure policy" },
	{ "vm.oom_*", "failure policy" },
	{ "vm.overcommit_*", "failure policy" },
	{ "vm.*_reserve_kbytes", "failure policy" },
	{ "vm.memory_failure_*", "failure policy" },
	{ "vm.drop_caches", "an action, not a setting" },
	{ "vm.compact_memory", "an action, not a setting" },
	{ "vm.stat_refresh", "an action, not a setting" },
	{ "kernel.panic*", "failure policy" },
	{ "kernel.sched_rt_*", "failure policy (RT throttling)" },
	{ "kernel.modprobe", "a security boundary" },
	{ "kernel.usermodehelper.*", "a security boundary" },
	{ "kernel.sysrq", "a security boundary" },
	{ "kernel.core_pattern", "a security boundary" },
	{ "net.core.bpf_*", "a security boundary" },
	{ "net.ipv4.ip_unprivileged_port_start", "unprivileged access policy" },
	{ "net.ipv4.ping_group_range", "unprivileged access policy" },
	{ "net.ipv4.tcp_allowed_congestion_control", "unprivileged access policy" },
	{ "net.ipv4.tcp_fastopen_key", "a secret" },
	{ "net.ipv4.tcp_syncookies", "a security defence" },
	{ "net.ipv4.tcp_challenge_ack_limit", "a security defence" },
	{ "net.ipv4.ip_forward*", "routing policy" },
	{ "*.forwarding", "routing policy" },
	{ "*.route_localnet", "routing policy" },
	{ "net.ipv4.conf.*", "per-interface routing and filtering policy" },
	{ "net.ipv6.conf.*", "per-interface routing and filtering policy" },
	{ "net.ipv4.route.*", "routing policy" },
	{ "net.ipv6.route.flush", "an action, not a setting" },
	{ "net.ipv4.fib_*", "routing policy" },
	{ "net.ipv6.fib_*", "routing policy" },
};
#endif /* OSTUNE_SYSCTL_LISTS */

#endif /* _UAPI_LINUX_OSTUNE_H */
