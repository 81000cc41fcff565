/*
 * web.h: the webhook receiver. WhatsApp Cloud API, Messenger and LINE
 * (later, SMS gateways) POST their events to /webhook/NAME, NAME a
 * declared channel; what comes is checked (X-Hub-Signature-256 with the
 * channel's app-secret, LINE's X-Line-Signature with its
 * channel-secret), stored whole and durably in DATA/webhook/spool/
 * and only then answered 200. Parsing the spool into messages is the next
 * step's (the channels' adapters).
 *
 * Layer: above store (base, core, store only). libmicrohttpd is
 * web-http.c's alone, libcrypto web-sign.c's alone.
 */
#ifndef OMBRE_WEB_H
#define OMBRE_WEB_H

#include "core/core.h"

#include <stddef.h>

/* ---------------------------------------------------------- web-sign.c */

#define WEB_SHA256_LEN	32

/* HMAC-SHA256 of data with key into out. */
void web_sign_hmac(const void *key, size_t key_len, const void *data,
    size_t len, unsigned char out[WEB_SHA256_LEN]);
/*
 * Whether header ("sha256=" and 64 hex digits, Meta's X-Hub-Signature-256)
 * is the HMAC-SHA256 of body with secret: 1 or 0, compared in constant
 * time. A NULL or malformed header is 0.
 */
int web_sign_check(const char *secret, const void *body, size_t len,
    const char *header);
/*
 * Whether header (LINE's X-Line-Signature: the Base64 of the
 * HMAC-SHA256 of body with secret) is right: 1 or 0, compared in
 * constant time. A NULL or malformed header is 0.
 */
int web_sign_check_base64(const char *secret, const void *body, size_t len,
    const char *header);
/*
 * Whether header (Twilio's X-Twilio-Signature) is the Base64 of the
 * HMAC-SHA1, keyed with token, of url followed by each form parameter's
 * key and value, sorted by key: 1 or 0, compared in constant time.
 * keys[i], values[i]: the decoded parameters, n of them.
 */
int web_sign_check_twilio(const char *token, const char *url,
    char *const *keys, char *const *values, size_t n, const char *header);
/* The standard Base64 (with padding) of data[0..len), allocated. */
char *web_sign_base64(const void *data, size_t len);
/* Whether two strings are equal, in time independent of where they
 * differ (for tokens). NULL equals nothing. */
int web_sign_equal(const char *a, const char *b);

/* --------------------------------------------------------------- web.c */

/* A request as the server or CGI sees it. Strings are the caller's. */
struct web_request {
	const char	 *method;
	const char	 *path;		/* /webhook/NAME */
	char		**arg_keys;	/* the query's arguments, decoded */
	char		**arg_values;
	size_t		  n_args;
	const char	 *signature;	/* X-Hub-Signature-256, or NULL */
	const char	 *line_signature; /* X-Line-Signature, or NULL */
	const char	 *twilio_signature; /* X-Twilio-Signature, or NULL */
	const char	 *content_type;	/* Content-Type, or NULL */
	const char	 *body;
	size_t		  len;		/* when too_big: the size it had */
	int		  too_big;	/* the body was over the cap: dropped */
};

/* The answer: status and a body (allocated, the caller's) of
 * content_type (static; NULL: text/plain; charset=utf-8). */
struct web_response {
	int		 status;
	char		*body;
	const char	*content_type;
};

struct web;
/*
 * The receiver of the data dir: the webhook channels declared now, their
 * secrets resolved (KEY-command run) once, here. NULL with *cause (naming
 * a channel and key, never a value) when a secret cannot be had.
 * max_body: the body cap in bytes. Freed (secrets wiped) by web_free.
 */
struct web *web_new(const char *data_dir, size_t max_body, char **cause);
void web_free(struct web *w);
size_t web_max_body(const struct web *w);
/* Route and answer one request: verification GET, signed POST spooled
 * before 200, 400 (kept in quarantine), 401, 403, 404, 405, 413, 503. */
void web_handle(struct web *w, const struct web_request *req,
    struct web_response *resp);
/* "OK", "Not Found"... for a status. Static. */
const char *web_status_text(int status);
/* Split a raw query string into decoded arguments (appended to req's
 * arrays, allocated; web_request_free_args frees them). */
void web_request_parse_query(struct web_request *req, const char *query);
void web_request_add_arg(struct web_request *req, const char *key,
    const char *value);
void web_request_free_args(struct web_request *req);
/* One log line for a request: method, path (sanitised), status, bytes. */
void web_log_request(const struct web_request *req, int status);

/*
 * DATA/webhook/status, for `ombre sync --status` and the console (sync.h's
 * sync_webhook_read): "pid", "listen", "started", "updated" and, in the
 * last write, "stopped" lines (KEY TAB VALUE, times in seconds since the
 * epoch), then per channel "channel NAME RECEIVED LAST-RECEIVED
 * BAD-SIGNATURES LAST-BAD-SIGNATURE REFUSED LAST-FAILURE-TIME
 * LAST-FAILURE", tab-separated (counts since start; RECEIVED: 200s,
 * BAD-SIGNATURES: 401s, REFUSED: 400s and 413s; LAST-FAILURE: any failure
 * as "STATUS phrase", or a timeout). Written whole (tmp, fsync, rename).
 *
 * web_status_start: record the address and start time, turn the file on,
 * write it. Until then (CGI) nothing is written. After it, each request
 * counted writes it at most once a WEB_STATUS_MS; web_status_flush writes
 * what is left (the server calls it each second); web_status_stop writes
 * it a last time with "stopped".
 */
void web_status_start(struct web *w, const char *listen);
void web_status_flush(struct web *w);
void web_status_stop(struct web *w);
/* A request to path that ended without an answer (a timeout): the
 * channel's last failure, not counted. */
void web_note_failure(struct web *w, const char *path, const char *why);
/* A channel's counts so far (for tests): out filled and returned, or
 * NULL for no such channel. last_failure is w's, valid until the next
 * request. */
struct web_counts {
	long		 received;
	long		 bad_signatures;
	long		 refused;
	const char	*last_failure;
};
const struct web_counts *web_counts(const struct web *w, const char *name,
    struct web_counts *out);

/* ---------------------------------------------------------- web-http.c */

struct web_http;
/*
 * Listen on addr ("127.0.0.1:8765", "[::1]:8765") and serve w from loop
 * (libmicrohttpd's epoll fd watched by the loop, its timeouts as the
 * loop's timers). timeout_s: how long a connection may stay silent, and
 * a request take in all, before it is closed unanswered
 * (webhook.timeout); max_connections: served at once, more wait in the
 * listen queue (webhook.max-connections). Starts w's status file and
 * flushes it each second. NULL with *cause when the address is bad or
 * taken.
 */
struct web_http *web_http_start(struct ev_loop *loop, const char *addr,
    struct web *w, unsigned int timeout_s, unsigned int max_connections,
    char **cause);
/* Stop listening, close what is open, write w's status a last time. */
void web_http_stop(struct web_http *h);

#endif
