/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Netlink client for the ostune generic netlink family (libmnl).
 * Used by the CLI and by the selftests; one struct per connection, no
 * global state.
 */
#ifndef OSTUNE_CLIENT_H
#define OSTUNE_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/ostune.h>

struct mnl_socket;
struct nlmsghdr;
struct ostune_pending_event;

struct ostune_client {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family_id;
	uint32_t events_group;
	/* extack of the last failed request; empty when the kernel gave none */
	char err_msg[256];
	/* nlattr type at the extack's bad-attribute offset, 0 if none */
	uint16_t err_attr_type;
	/*
	 * Events that arrived on a subscribed socket while a request waited
	 * for its reply; ostune_next_event() hands them out first.
	 */
	struct ostune_pending_event *pending_head;
	struct ostune_pending_event *pending_tail;
};

struct ostune_kv {
	const char *name;
	const char *value;
};

struct ostune_knob_value {
	char name[OSTUNE_NAME_MAX];
	char value[OSTUNE_VALUE_MAX];
	uint32_t flags;			/* OSTUNE_KNOB_F_FIXED */
};

struct ostune_held_knob {
	char name[OSTUNE_NAME_MAX];
	char original[OSTUNE_VALUE_MAX];
	char last_written[OSTUNE_VALUE_MAX];
	char current[OSTUNE_VALUE_MAX];	/* empty if it could not be read */
	uint32_t flags;			/* OSTUNE_KNOB_F_* */
};

struct ostune_status {
	uint32_t version;
	char module_version[32];
	int has_session;
	uint32_t session_id;
	uint32_t session_pid;
	char session_comm[OSTUNE_COMM_MAX];
	uint32_t session_portid;
	uint32_t watchdog_ms;
	uint32_t remaining_ms;
	/* knobs the module holds; only CAP_SYS_ADMIN is sent their values */
	uint32_t held_count;
	struct ostune_held_knob *held;	/* malloc'd; ostune_status_free() */
	size_t nheld;
};

struct ostune_event {
	uint32_t reason;		/* enum ostune_reason */
	uint32_t txn_id;
	uint32_t pid;
	char comm[OSTUNE_COMM_MAX];
	char name[OSTUNE_NAME_MAX];
	char old[OSTUNE_VALUE_MAX];
	char value[OSTUNE_VALUE_MAX];
	uint32_t flags;			/* OSTUNE_KNOB_F_* */
};

/*
 * Whether knobs written through this client land under --sysroot: never
 * for the module (it writes the host's), only for the tests' double.
 */
extern const int ostune_client_writes_sysroot;

/*
 * All calls return 0 or a negative errno. On a kernel error, err_msg holds
 * the extack message. -ENOENT from ostune_client_open(): module not loaded.
 * The socket is close-on-exec, so a child never keeps a session alive.
 */
int ostune_client_open(struct ostune_client *c);
/* Safe to call on a client whose open failed, and twice. */
void ostune_client_close(struct ostune_client *c);
/* The socket's file descriptor, for poll(). */
int ostune_client_fd(const struct ostune_client *c);

int ostune_get_status(struct ostune_client *c, struct ostune_status *st);
void ostune_status_free(struct ostune_status *st);
int ostune_get_knobs(struct ostune_client *c, const char *const *names,
		     size_t n, struct ostune_knob_value *out);
int ostune_session_open(struct ostune_client *c, uint32_t watchdog_ms);
int ostune_session_close(struct ostune_client *c);
int ostune_heartbeat(struct ostune_client *c);
int ostune_apply(struct ostune_client *c, const struct ostune_kv *entries,
		 size_t n, uint32_t *txn_id);
/* n == 0 restores every held knob. */
int ostune_restore(struct ostune_client *c, const char *const *names, size_t n);

int ostune_subscribe_events(struct ostune_client *c);
/*
 * 1 when an event was read, 0 on timeout (timeout_ms < 0: wait forever).
 * -ENOBUFS: the socket overran and events were lost; later calls go on.
 * -EINTR: a signal interrupted the wait.
 */
int ostune_next_event(struct ostune_client *c, struct ostune_event *ev,
		      int timeout_ms);
/* Decodes one OSTUNE_CMD_EVENT message; -EPROTO if it is not one. */
int ostune_event_parse(const struct nlmsghdr *nlh, struct ostune_event *ev);
/* "apply", "request", "session-close", ... as the kernel log says it. */
const char *ostune_reason_name(uint32_t reason);

/*
 * Low level, for requests the helpers above do not build. buf must hold
 * the whole request: MNL_SOCKET_BUFFER_SIZE is enough for a few attributes.
 */
struct nlmsghdr *ostune_msg_start(struct ostune_client *c, void *buf,
				  uint8_t cmd);
/*
 * Sends nlh with NLM_F_ACK added (NLM_F_DUMP stays if the caller set it),
 * feeds every reply to cb (may be NULL) until the ack or the dump's end.
 * cb returns MNL_CB_OK to go on, MNL_CB_STOP to see no more replies, or
 * MNL_CB_ERROR with errno set to fail the call with -errno (-EPROTO if
 * errno is 0); the remaining replies are still read, so the socket stays
 * in step. Multicast events that arrive meanwhile are queued.
 */
int ostune_transact(struct ostune_client *c, struct nlmsghdr *nlh,
		    int (*cb)(const struct nlmsghdr *nlh, void *data),
		    void *data);
/*
 * The error an NLMSG_ERROR (0 for an ack) or a dump's NLMSG_DONE carries,
 * 0 or -errno (-EPROTO for an NLMSG_ERROR too short to hold one), with its
 * extack: the message copied into msg (size bytes; empty when the kernel
 * gave none) and *offs the offset of the attribute it is about in the
 * request (0 when none). For any generic netlink family, not only ostune's.
 */
int ostune_nlmsg_error(const struct nlmsghdr *ack, char *msg, size_t size,
		       uint32_t *offs);
/*
 * Decodes an NLMSG_ERROR (or a dump's NLMSG_DONE) answering request: fills
 * err_msg and err_attr_type from the extack and returns the error carried,
 * 0 or -errno. request may be NULL, then err_attr_type stays 0.
 */
int ostune_parse_ack(struct ostune_client *c, const struct nlmsghdr *ack,
		     const struct nlmsghdr *request);

#endif /* OSTUNE_CLIENT_H */
