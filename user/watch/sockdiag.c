// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TCP sockets whose buffers reached tcp_rmem[2] or tcp_wmem[2], from
 * a sock_diag dump (NETLINK_SOCK_DIAG, INET_DIAG_SKMEMINFO). The kernel
 * keeps no counter of "window limited by the buffer maximum": autotuning
 * clamps sk_rcvbuf at tcp_rmem[2] silently, so the buffers themselves are
 * what shows it. No privilege is needed to dump them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>

#include "watch/observe.h"

/* Every state but LISTEN, whose buffers say nothing about a window. */
#define CONNECTED_STATES	(0xfffu & ~(1u << 10))

/* Did data arrive within the last recent_ms? False without the field. */
static bool received_lately(const struct nlattr *info, uint32_t recent_ms)
{
	const struct tcp_info *ti;

	if (!info || mnl_attr_get_payload_len(info) <
	    offsetof(struct tcp_info, tcpi_last_data_recv) +
	    sizeof(ti->tcpi_last_data_recv))
		return false;
	ti = mnl_attr_get_payload(info);
	return ti->tcpi_last_data_recv < recent_ms;
}

void watch_limited_classify(const struct nlmsghdr *nlh,
			    struct watch_limited *lc)
{
	const struct nlattr *attr, *info = NULL;
	const uint32_t *mem = NULL;

	/* a truncated message or attribute ends the walk (mnl_attr_ok) */
	mnl_attr_for_each(attr, nlh, sizeof(struct inet_diag_msg)) {
		if (mnl_attr_get_type(attr) == INET_DIAG_INFO)
			info = attr;
		else if (mnl_attr_get_type(attr) == INET_DIAG_SKMEMINFO &&
			 mnl_attr_get_payload_len(attr) >=
			 (SK_MEMINFO_WMEM_QUEUED + 1) * sizeof(uint32_t))
			mem = mnl_attr_get_payload(attr);
	}
	if (!mem)
		return;
	/*
	 * In use: data waiting, or data that came in this interval. A
	 * reader keeping up empties the queue between two segments, so the
	 * queue alone is seldom caught non-empty (seen under a 50 ms RTT).
	 */
	if (lc->rmem_max && mem[SK_MEMINFO_RCVBUF] >= lc->rmem_max &&
	    (mem[SK_MEMINFO_RMEM_ALLOC] > 0 ||
	     received_lately(info, lc->recent_ms)))
		lc->rcv++;
	/* the writer is held back by the buffer, not the network */
	if (lc->wmem_max && mem[SK_MEMINFO_SNDBUF] >= lc->wmem_max &&
	    mem[SK_MEMINFO_WMEM_QUEUED] >= mem[SK_MEMINFO_SNDBUF] / 2)
		lc->snd++;
}

static int skmeminfo_cb(const struct nlmsghdr *nlh, void *data)
{
	watch_limited_classify(nlh, data);
	return MNL_CB_OK;
}

static int dump_family(struct mnl_socket *nl, uint8_t family,
		       struct watch_limited *lc)
{
	/* a dump's datagrams are up to 32 KiB; a smaller buffer truncates */
	char buf[32768];
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh;
	uint32_t seq = (uint32_t)time(NULL) + family;
	uint32_t portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int ret;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = family;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_states = CONNECTED_STATES;
	req->idiag_ext = 1u << (INET_DIAG_SKMEMINFO - 1) |
			 1u << (INET_DIAG_INFO - 1);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, skmeminfo_cb, lc);
	} while (ret > 0);
	return ret < 0 ? -errno : 0;
}

int watch_count_limited(uint64_t rmem_max, uint64_t wmem_max,
			uint32_t recent_ms, uint32_t *rcv, uint32_t *snd)
{
	struct watch_limited lc = { .rmem_max = rmem_max,
				    .wmem_max = wmem_max,
				    .recent_ms = recent_ms };
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_SOCK_DIAG,
						 SOCK_CLOEXEC);
	int ret;

	*rcv = *snd = 0;
	if (!nl)
		return -errno;
	ret = mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) ? -errno : 0;
	if (!ret)
		ret = dump_family(nl, AF_INET, &lc);
	/* a kernel without IPv6 has nothing to dump there: not an error */
	if (!ret)
		dump_family(nl, AF_INET6, &lc);
	mnl_socket_close(nl);
	*rcv = lc.rcv;
	*snd = lc.snd;
	return ret;
}
