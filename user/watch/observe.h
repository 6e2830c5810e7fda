/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What ostune watch observes: the kernel's own counters under a sysroot
 * (/proc/net/netstat, snmp, sockstat, stat/arp_cache, softnet_stat,
 * meminfo), the sockets whose buffers reached their maxima (sock_diag),
 * and the current values of the knobs the rules own (/proc/sys).
 */
#ifndef OSTUNE_WATCH_OBSERVE_H
#define OSTUNE_WATCH_OBSERVE_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/ostune.h>

/* The knobs the rules own. */
enum watch_knob {
	WK_TCP_RMEM,
	WK_TCP_WMEM,
	WK_CONGESTION,
	WK_GC_THRESH1,
	WK_GC_THRESH2,
	WK_GC_THRESH3,
	WK_IPFRAG_HIGH,
	WK_IPFRAG_LOW,
	WK_NETDEV_MAX_BACKLOG,
	WK_NETDEV_BUDGET,
	WK_NETDEV_BUDGET_USECS,
	WK_SOMAXCONN,
	WK_COUNT
};

/* "sysctl.net.ipv4.tcp_rmem" */
const char *watch_knob_name(enum watch_knob k);

/* One reading of the counters; all cumulative except where said. */
struct watch_obs {
	uint64_t listen_overflows;	/* TcpExt ListenOverflows */
	uint64_t reasm_fails;		/* Ip ReasmFails */
	uint64_t reasm_timeout;		/* Ip ReasmTimeout */
	uint64_t in_segs;		/* Tcp InSegs */
	uint64_t out_segs;		/* Tcp OutSegs */
	uint64_t retrans_segs;		/* Tcp RetransSegs */
	uint64_t softnet_dropped;	/* softnet_stat column 2, all CPUs */
	uint64_t softnet_squeezed;	/* softnet_stat column 3 */
	uint64_t arp_table_fulls;	/* stat/arp_cache, all CPUs */
	/* now, not cumulative */
	uint64_t arp_entries;
	uint64_t frag_memory;		/* sockstat FRAG memory, bytes */
	uint32_t rcv_limited;		/* sockets at tcp_rmem[2], queue in use */
	uint32_t snd_limited;		/* sockets at tcp_wmem[2], queue near full */
};

/* The host, read once at start. */
struct watch_host {
	uint64_t mem_bytes;		/* MemTotal */
	unsigned int ncpus;		/* rows of softnet_stat */
};

struct watch_values {
	/* as /proc/sys prints it, whitespace folded; "" when unreadable */
	char v[WK_COUNT][OSTUNE_VALUE_MAX];
	char available_cc[OSTUNE_VALUE_MAX];
};

/*
 * Reads the counters under sysroot (not the sockets: see
 * watch_count_limited()). A file that cannot be read leaves its fields
 * as obs had them: the previous reading, so that a read failing once is
 * not taken for everything counted since boot. 0, or -errno when none of
 * the counter files could be read.
 */
int watch_observe(int sysroot_fd, struct watch_obs *obs);
int watch_read_host(int sysroot_fd, struct watch_host *host);
void watch_read_values(int sysroot_fd, struct watch_values *vals);

/* The sockets at their buffer maxima, counted message by message. */
struct watch_limited {
	uint64_t rmem_max, wmem_max;	/* 0: not looked for */
	uint32_t recent_ms;	/* data received this recently: in use */
	uint32_t rcv, snd;
};

struct nlmsghdr;

/*
 * One inet_diag message of a dump into lc: a message too short for its
 * header or a meminfo attribute too short for its fields counts nothing;
 * without a tcp_info long enough to say when data last arrived, only
 * data still queued shows a receive buffer in use.
 */
void watch_limited_classify(const struct nlmsghdr *nlh,
			    struct watch_limited *lc);

/*
 * Counts the TCP sockets of this network namespace whose receive buffer
 * reached rmem_max with data queued or received in the last recent_ms,
 * and whose send buffer reached wmem_max with the send queue at least
 * half full. 0 or -errno.
 */
int watch_count_limited(uint64_t rmem_max, uint64_t wmem_max,
			uint32_t recent_ms, uint32_t *rcv, uint32_t *snd);

#endif /* OSTUNE_WATCH_OBSERVE_H */
