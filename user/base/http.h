/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One HTTP(S) POST of a JSON body (libcurl), waited for the way child
 * processes are: the session's heartbeat keeps beating and a stop signal
 * ends the wait.
 */
#ifndef OSTUNE_HTTP_H
#define OSTUNE_HTTP_H

#include <stddef.h>

#include "base/child.h"

/* Bodies past this are cut: no answer we read is near it. */
#define HTTP_BODY_MAX (4u << 20)

struct http_request {
	const char *url;
	const char *body;		/* JSON */
	/* "Authorization: Bearer KEY" when not NULL; never shown */
	const char *bearer;
	long timeout_ms;		/* the whole exchange */
	struct waiter *waiter;		/* or NULL: no beats, no stop */
};

struct http_response {
	long status;			/* 0 when no answer came */
	char *body;			/* malloc'd, NUL-ended; NULL without */
	size_t len;
};

/*
 * 0 with *res filled when an answer came (any status), -ETIMEDOUT,
 * -ECONNREFUSED (or another -errno for a failed transfer, with why),
 * -EINTR on a stop signal, or the heartbeat's error. http_response_free()
 * after any return.
 */
int http_post_json(const struct http_request *req, struct http_response *res,
		   char *why, size_t len);
void http_response_free(struct http_response *res);

#endif /* OSTUNE_HTTP_H */
