// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HTTP POST over libcurl's multi interface (http.h): the transfer runs in
 * short polls so that the waiter's heartbeat and stop signals are served
 * between them, as in every other wait of a held session.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "base/http.h"

/* Between two looks at the heartbeat and the stop signals. */
#define POLL_MS 100

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
	struct http_response *res = arg;
	size_t add = size * n;
	char *grown;

	if (res->len + add > HTTP_BODY_MAX)
		return 0;
	grown = realloc(res->body, res->len + add + 1);
	if (!grown)
		return 0;
	memcpy(grown + res->len, data, add);
	res->body = grown;
	res->len += add;
	res->body[res->len] = '\0';
	return add;
}

static int curl_errno(CURLcode code)
{
	switch (code) {
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_COULDNT_CONNECT:
		return -ECONNREFUSED;
	case CURLE_COULDNT_RESOLVE_HOST:
		return -EHOSTUNREACH;
	case CURLE_WRITE_ERROR:
		return -EFBIG;
	default:
		return -EIO;
	}
}

/* Runs the transfer to its end: its result, or the waiter's -errno. */
static int drive(CURLM *multi, struct waiter *w, CURLcode *result)
{
	int running = 1, left, ret;
	CURLMsg *msg;

	while (running) {
		if (curl_multi_perform(multi, &running) != CURLM_OK)
			return -EIO;
		if (!running)
			break;
		if (w) {
			ret = waiter_tick(w);
			if (ret)
				return ret;
			if (waiter_stopped(w))
				return -EINTR;
		}
		if (curl_multi_poll(multi, NULL, 0, POLL_MS, NULL) != CURLM_OK)
			return -EIO;
	}
	msg = curl_multi_info_read(multi, &left);
	*result = msg && msg->msg == CURLMSG_DONE ? msg->data.result : CURLE_RECV_ERROR;
	return 0;
}

int http_post_json(const struct http_request *req, struct http_response *res,
		   char *why, size_t len)
{
	char errbuf[CURL_ERROR_SIZE] = "", *auth = NULL;
	struct curl_slist *headers = NULL;
	CURLcode result = CURLE_OK;
	CURLM *multi = curl_multi_init();
	CURL *easy = curl_easy_init();
	int ret = multi && easy ? 0 : -ENOMEM;

	memset(res, 0, sizeof(*res));
	headers = curl_slist_append(headers, "Content-Type: application/json");
	if (req->bearer && asprintf(&auth, "Authorization: Bearer %s", req->bearer) < 0) {
		auth = NULL;
		ret = -ENOMEM;
	}
	if (auth)
		headers = curl_slist_append(headers, auth);
	if (!ret) {
		curl_easy_setopt(easy, CURLOPT_URL, req->url);
		curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(easy, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, req->timeout_ms);
		curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(easy, CURLOPT_WRITEDATA, res);
		curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
		ret = curl_multi_add_handle(multi, easy) == CURLM_OK ? 0 : -ENOMEM;
	}
	ret = ret ?: drive(multi, req->waiter, &result);
	if (!ret && result != CURLE_OK) {
		ret = curl_errno(result);
		snprintf(why, len, "%s", errbuf[0] ? errbuf : curl_easy_strerror(result));
	} else if (!ret) {
		curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &res->status);
	} else if (ret == -ENOMEM || ret == -EIO) {
		snprintf(why, len, "%s", strerror(-ret));
	}
	if (multi && easy)
		curl_multi_remove_handle(multi, easy);
	curl_easy_cleanup(easy);
	curl_multi_cleanup(multi);
	curl_slist_free_all(headers);
	if (auth) {
		/* the key does not outlive the request in our memory */
		memset(auth, 0, strlen(auth));
		free(auth);
	}
	return ret;
}

void http_response_free(struct http_response *res)
{
	free(res->body);
	res->body = NULL;
	res->len = 0;
}
