// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The counters ostune watch reads each interval. Everything is a file
 * under the sysroot but the sockets, which only sock_diag can show: no
 * counter says that a connection's window is limited by tcp_rmem[2].
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "knobs/knobname.h"
#include "knobs/sysread.h"
#include "watch/observe.h"

static const char *const knob_names[WK_COUNT] = {
	[WK_TCP_RMEM] = "sysctl.net.ipv4.tcp_rmem",
	[WK_TCP_WMEM] = "sysctl.net.ipv4.tcp_wmem",
	[WK_CONGESTION] = "sysctl.net.ipv4.tcp_congestion_control",
	[WK_GC_THRESH1] = "sysctl.net.ipv4.neigh.default.gc_thresh1",
	[WK_GC_THRESH2] = "sysctl.net.ipv4.neigh.default.gc_thresh2",
	[WK_GC_THRESH3] = "sysctl.net.ipv4.neigh.default.gc_thresh3",
	[WK_IPFRAG_HIGH] = "sysctl.net.ipv4.ipfrag_high_thresh",
	[WK_IPFRAG_LOW] = "sysctl.net.ipv4.ipfrag_low_thresh",
	[WK_NETDEV_MAX_BACKLOG] = "sysctl.net.core.netdev_max_backlog",
	[WK_NETDEV_BUDGET] = "sysctl.net.core.netdev_budget",
	[WK_NETDEV_BUDGET_USECS] = "sysctl.net.core.netdev_budget_usecs",
	[WK_SOMAXCONN] = "sysctl.net.core.somaxconn",
};

const char *watch_knob_name(enum watch_knob k)
{
	return knob_names[k];
}

/*
 * A /proc file whole, NUL-terminated, in a buffer grown as it needs (a
 * row per CPU: softnet_stat and arp_cache have no fixed size); the buffer
 * is the caller's to reuse and free. False when missing or out of memory.
 */
struct text {
	char *buf;
	size_t size;
};

static bool slurp_at(int dirfd, const char *path, struct text *t)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return false;
	for (;;) {
		if (len + 1 >= t->size) {
			size_t size = t->size ? t->size * 2 : 16384;
			char *buf = realloc(t->buf, size);

			if (!buf) {
				close(fd);
				return false;
			}
			t->buf = buf;
			t->size = size;
		}
		n = read(fd, t->buf + len, t->size - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	t->buf[len] = '\0';
	return n == 0;
}

/* The next blank-separated word of a line at *p, moving *p past it. */
static size_t next_word(const char **p)
{
	size_t len;

	*p += strspn(*p, " ");
	len = strcspn(*p, " \n");
	*p += len;
	return len;
}

/*
 * In the "Prefix: name name ...\nPrefix: value value ..." layout of
 * netstat and snmp, the value of name under prefix.
 */
static bool snmp_value(const char *text, const char *prefix, const char *name,
		       uint64_t *out)
{
	size_t plen = strlen(prefix), nlen = strlen(name);
	const char *line = text, *values;

	for (; (values = strchr(line, '\n')); line = values) {
		const char *n, *v;
		size_t len;

		values++;
		if (strncmp(line, prefix, plen) || line[plen] != ':' ||
		    strncmp(values, prefix, plen) || values[plen] != ':')
			continue;
		n = line + plen + 1;
		v = values + plen + 1;
		while ((len = next_word(&n))) {
			const char *word = n - len, *value;
			size_t vlen = next_word(&v);

			if (!vlen)
				break;
			value = v - vlen;
			if (len == nlen && !strncmp(word, name, len))
				return sscanf(value, "%" SCNu64, out) == 1;
		}
	}
	return false;
}

/*
 * Sums the dropped and time_squeeze columns (the second and third, hex)
 * over softnet_stat's rows, one per CPU; returns the number of rows.
 */
static unsigned int sum_softnet(const char *text, uint64_t *dropped,
				uint64_t *squeezed)
{
	unsigned int rows = 0;
	const char *line;

	*dropped = *squeezed = 0;
	for (line = text; line && *line; rows++) {
		unsigned long long processed, drop, squeeze;

		if (sscanf(line, "%llx %llx %llx", &processed, &drop,
			   &squeeze) != 3)
			break;
		*dropped += drop;
		*squeezed += squeeze;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return rows;
}

/*
 * stat/arp_cache: a header, then a row per CPU. entries is the table's
 * (the same in every row); table_fulls is per CPU and the last column.
 */
static bool read_neigh_stat(const char *text, uint64_t *entries,
			    uint64_t *fulls)
{
	const char *line = strchr(text, '\n');
	bool any = false;

	*entries = *fulls = 0;
	while (line && *++line) {
		const char *last = line, *end = strchr(line, '\n');
		unsigned long long e, f;

		if (!end)
			end = line + strlen(line);
		while (end > line && end[-1] == ' ')
			end--;
		for (const char *p = line; p < end; p++)
			if (*p == ' ')
				last = p + 1;
		if (sscanf(line, "%llx", &e) != 1 ||
		    sscanf(last, "%llx", &f) != 1)
			break;
		*entries = e;
		*fulls += f;
		any = true;
		line = strchr(line, '\n');
	}
	return any;
}

int watch_observe(int sysroot_fd, struct watch_obs *obs)
{
	struct text t = { NULL, 0 };
	int read_any = 0;
	uint64_t v;

	if (slurp_at(sysroot_fd, "proc/net/netstat", &t)) {
		read_any |= snmp_value(t.buf, "TcpExt", "ListenOverflows",
				       &obs->listen_overflows);
	}
	if (slurp_at(sysroot_fd, "proc/net/snmp", &t)) {
		read_any |= snmp_value(t.buf, "Ip", "ReasmFails",
				       &obs->reasm_fails);
		snmp_value(t.buf, "Ip", "ReasmTimeout", &obs->reasm_timeout);
		snmp_value(t.buf, "Tcp", "InSegs", &obs->in_segs);
		snmp_value(t.buf, "Tcp", "OutSegs", &obs->out_segs);
		snmp_value(t.buf, "Tcp", "RetransSegs", &obs->retrans_segs);
	}
	if (slurp_at(sysroot_fd, "proc/net/sockstat", &t)) {
		const char *frag = strstr(t.buf, "FRAG:");

		if (frag && sscanf(frag, "FRAG: inuse %*u memory %" SCNu64,
				   &v) == 1) {
			obs->frag_memory = v;
			read_any = 1;
		}
	}
	if (slurp_at(sysroot_fd, "proc/net/softnet_stat", &t) &&
	    sum_softnet(t.buf, &obs->softnet_dropped, &obs->softnet_squeezed))
		read_any = 1;
	if (slurp_at(sysroot_fd, "proc/net/stat/arp_cache", &t) &&
	    read_neigh_stat(t.buf, &obs->arp_entries, &obs->arp_table_fulls))
		read_any = 1;
	free(t.buf);
	return read_any ? 0 : -ENOENT;
}

int watch_read_host(int sysroot_fd, struct watch_host *host)
{
	struct text t = { NULL, 0 };
	const char *mem;
	uint64_t kib;
	uint64_t dropped, squeezed;
	unsigned int rows;

	memset(host, 0, sizeof(*host));
	if (!slurp_at(sysroot_fd, "proc/meminfo", &t)) {
		free(t.buf);
		return -ENOENT;
	}
	mem = strstr(t.buf, "MemTotal:");
	if (!mem || sscanf(mem, "MemTotal: %" SCNu64, &kib) != 1) {
		free(t.buf);
		return -EINVAL;
	}
	host->mem_bytes = kib * 1024;
	host->ncpus = 1;
	if (slurp_at(sysroot_fd, "proc/net/softnet_stat", &t)) {
		rows = sum_softnet(t.buf, &dropped, &squeezed);
		if (rows)
			host->ncpus = rows;
	}
	free(t.buf);
	return 0;
}

void watch_read_values(int sysroot_fd, struct watch_values *vals)
{
	char path[128];
	int k;

	for (k = 0; k < WK_COUNT; k++) {
		sysctl_proc_path(knob_names[k] + strlen("sysctl."), path,
				 sizeof(path));
		if (!read_text_at(sysroot_fd, path, vals->v[k],
				  sizeof(vals->v[k])))
			vals->v[k][0] = '\0';
	}
	if (!read_text_at(sysroot_fd,
			  "proc/sys/net/ipv4/tcp_available_congestion_control",
			  vals->available_cc, sizeof(vals->available_cc)))
		vals->available_cc[0] = '\0';
}
