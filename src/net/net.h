/*
 * net.h: the network layer. Only src/net includes curl.h: requests run on
 * curl multi driven by the syncer's poll loop (net-http.c), after the
 * policy every request goes through first (net-url.c): which URLs may be
 * fetched at all, and how a URL is written where people read it.
 */
#ifndef OMBRE_NET_H
#define OMBRE_NET_H

#include "base/base.h"

/* net-url.c */
/*
 * May this URL be requested? https:// anywhere; http:// only to a loopback
 * address (127.0.0.0/8, ::1, localhost), which is how tests reach their
 * local servers; nothing else, no user:password@ part, no control
 * character or space. Return 0, or -1 with *cause set.
 */
int net_url_allowed(const char *url, char **cause);
/*
 * The URL as it may be logged or shown: the token a Telegram URL carries
 * in its path (/bot<token>/, /file/bot<token>/) and the values of query
 * parameters that look secret (access_token, token, key, secret,
 * password, sig) replaced by "<redacted>". Allocated.
 */
char *net_url_redact(const char *url);
/* Is this host a loopback address or name? */
int net_host_is_loopback(const char *host, size_t len);

/* net-http.c */
/*
 * Requests on curl multi, driven by an ev loop (socket and timer
 * callbacks: no thread, no blocking call). TLS verification is always on
 * (a CA file may be named, never turned off); http:// only to loopback;
 * redirects are never followed by curl: a 3xx to the same scheme, host and
 * port is followed here (at most NET_REDIRECTS), any other is an error.
 * Proxies come from the usual environment variables (never for loopback).
 */
struct ev_loop;
struct net;
struct net_req;

struct net_options {
	int64_t		 connect_timeout_ms;	/* 10000 */
	int64_t		 low_speed_ms;		/* abort below 1 byte/s this long: 30000 */
	size_t		 max_response;		/* bytes, enforced while reading: 16 MiB */
	const char	*ca_file;		/* NULL: the system's */
	const char	*user_agent;
};
#define NET_REDIRECTS 3

/* What a failure means for the caller (adapters refine with the body). */
enum net_class {
	NET_OK,			/* 2xx */
	NET_RETRY,		/* transport error, 408, 5xx: try again later */
	NET_RATE_LIMITED,	/* 429: wait retry_after_ms, then again */
	NET_AUTH,		/* 401, 403: the credentials are refused */
	NET_PERMANENT		/* any other 4xx, too large, bad URL */
};

struct net_response {
	long		 status;	/* HTTP status, 0 when none came */
	const char	*body;		/* NUL-terminated, owned by the request */
	size_t		 len;
	int64_t		 retry_after_ms;	/* Retry-After, -1 when absent */
	int		 unsent;	/* failed before the request was written:
					   safe to send again whatever it was */
	int		 too_large;	/* the body passed max_response */
	const char	*error;		/* transport error text, NULL when none */
	enum net_class	 class;
};

struct net_request {
	const char	*method;	/* "GET" (NULL too), "POST", "PUT" */
	const char	*url;		/* may hold a token: never shown as is */
	const char	*body;		/* POST or PUT body, may be NULL */
	size_t		 body_len;
	const char	*content_type;	/* of the body */
	const char	*bearer;	/* Authorization: Bearer, or NULL */
	const char	*basic;		/* "user:password" for Basic auth
					   (Twilio), or NULL; a secret */
	const char	*header;	/* one more header line ("Name:
					   value": LINE's X-Line-Retry-Key),
					   or NULL; no secret */
	int64_t		 timeout_ms;	/* whole request; 0: none (the low-speed
					   limit still applies) */
	int		 not_idempotent;	/* a new connection, never reused:
					   curl silently sends again a request
					   whose reused connection died */
};
typedef void (*net_done_cb)(const struct net_response *r, void *data);

struct net *net_new(struct ev_loop *loop, const struct net_options *opts);
/* Cancel what is in flight (no callback) and free. */
void net_free(struct net *n);
/*
 * Start a request; done is called once, from the loop, never from
 * inside net_start. NULL with *cause set when the URL is refused.
 */
struct net_req *net_start(struct net *n, const struct net_request *rq,
    net_done_cb done, void *data, char **cause);
/* Cancel a request: done is never called. */
void net_cancel(struct net_req *r);
/* Requests in flight. */
int net_pending(struct net *n);
/*
 * Backoff with full jitter: a random delay in [0, min(cap, base * 2^n)]
 * milliseconds for the n-th retry (from 0). *rng is the caller's state.
 */
int64_t net_backoff_ms(int attempt, int64_t base_ms, int64_t cap_ms,
    uint64_t *rng);
/* s percent-encoded for a URL's path segment or query value
 * (allocated). */
char *net_escape(const char *s);
/* A Retry-After value (seconds or an HTTP-date) in ms from now, -1 when
 * it is neither. */
int64_t net_parse_retry_after(const char *value, int64_t now_s);

#endif
