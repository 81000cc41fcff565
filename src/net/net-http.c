/*
 * net-http.c: HTTP requests on curl multi, driven by the syncer's poll
 * loop through curl's socket and timer callbacks.
 *
 * libcurl's defaults are not safe for a program that must never hang or
 * swallow a huge body (reliability.md, section 6): no connect timeout
 * worth the name, no overall timeout, no low-speed limit, and a size limit
 * that 7.88 does not enforce on a body without Content-Length. Each
 * request here gets a connect timeout, a low-speed limit, its own overall
 * timeout, and a size cap enforced in the write callback. Redirects are
 * never followed by curl: a 3xx is followed here only to the same scheme,
 * host and port.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "net/net.h"

#include <curl/curl.h>

#include <sys/queue.h>

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct net {
	struct ev_loop		*loop;
	CURLM			*multi;
	struct ev_timer		*timer;
	struct net_options	 opts;
	LIST_HEAD(, net_req)	 reqs;		/* in flight */
	int			 n_reqs;
};

struct net_req {
	LIST_ENTRY(net_req)	 entry;		/* in net's reqs */
	struct net		*net;
	CURL			*easy;
	struct curl_slist	*headers;
	char			*url;
	char			*method;
	char			*body;
	size_t			 body_len;
	char			*content_type;
	char			*bearer;
	char			*basic;
	char			*header;
	int64_t			 timeout_ms;
	int			 not_idempotent;
	int			 redirects;
	struct buf		 response;
	int			 too_large;
	int64_t			 retry_after_ms;
	char			*location;
	char			 error[CURL_ERROR_SIZE];
	net_done_cb		 done;
	void			*data;
};

/* A socket curl watches: its ev watcher. */
struct net_sock {
	struct ev_fd	*watch;
};

static void	net_check_done(struct net *);
static int	net_req_setup(struct net_req *, char **);

static int	net_global_ready;

static void
net_socket_event(int fd, short revents, void *data)
{
	struct net	*n = data;
	int		 flags = 0, running;

	if (revents & POLLIN)
		flags |= CURL_CSELECT_IN;
	if (revents & POLLOUT)
		flags |= CURL_CSELECT_OUT;
	if (revents & (POLLERR | POLLHUP | POLLNVAL))
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(n->multi, fd, flags, &running);
	net_check_done(n);
}

static int
net_socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp,
    void *socketp)
{
	struct net	*n = userp;
	struct net_sock	*s = socketp;
	short		 events = 0;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			ev_fd_del(s->watch);
			free(s);
			curl_multi_assign(n->multi, fd, NULL);
		}
		return 0;
	}
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= POLLIN;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= POLLOUT;
	if (s == NULL) {
		s = xcalloc(1, sizeof *s);
		s->watch = ev_fd_add(n->loop, fd, events, net_socket_event, n);
		curl_multi_assign(n->multi, fd, s);
	} else
		ev_fd_set_events(s->watch, events);
	return 0;
}

static void
net_timer_due(void *data)
{
	struct net	*n = data;
	int		 running;

	n->timer = NULL;
	curl_multi_socket_action(n->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	net_check_done(n);
}

static int
net_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct net	*n = userp;

	(void)multi;
	if (n->timer != NULL) {
		ev_timer_del(n->timer);
		n->timer = NULL;
	}
	if (timeout_ms >= 0)
		n->timer = ev_timer_add(n->loop, timeout_ms, net_timer_due, n);
	return 0;
}

struct net *
net_new(struct ev_loop *loop, const struct net_options *opts)
{
	struct net	*n;

	if (!net_global_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			/* a broken invariant, for the programmer: not translated */
			fatalx("curl_global_init failed");
		net_global_ready = 1;
	}
	n = xcalloc(1, sizeof *n);
	LIST_INIT(&n->reqs);
	n->loop = loop;
	n->opts = *opts;
	if (n->opts.connect_timeout_ms <= 0)
		n->opts.connect_timeout_ms = 10000;
	if (n->opts.low_speed_ms <= 0)
		n->opts.low_speed_ms = 30000;
	if (n->opts.max_response == 0)
		n->opts.max_response = 16 * 1024 * 1024;
	n->multi = curl_multi_init();
	if (n->multi == NULL)
		/* a broken invariant, for the programmer: not translated */
		fatalx("curl_multi_init failed");
	curl_multi_setopt(n->multi, CURLMOPT_SOCKETFUNCTION, net_socket_cb);
	curl_multi_setopt(n->multi, CURLMOPT_SOCKETDATA, n);
	curl_multi_setopt(n->multi, CURLMOPT_TIMERFUNCTION, net_timer_cb);
	curl_multi_setopt(n->multi, CURLMOPT_TIMERDATA, n);
	return n;
}

static void
net_req_free(struct net_req *r)
{
	LIST_REMOVE(r, entry);
	r->net->n_reqs--;
	if (r->easy != NULL) {
		curl_multi_remove_handle(r->net->multi, r->easy);
		curl_easy_cleanup(r->easy);
	}
	curl_slist_free_all(r->headers);
	free(r->url);
	free(r->method);
	free(r->body);
	free(r->content_type);
	if (r->bearer != NULL) {
		explicit_bzero(r->bearer, strlen(r->bearer));
		free(r->bearer);
	}
	if (r->basic != NULL) {
		explicit_bzero(r->basic, strlen(r->basic));
		free(r->basic);
	}
	free(r->header);
	free(r->location);
	buf_free(&r->response);
	free(r);
}

void
net_free(struct net *n)
{
	if (n == NULL)
		return;
	while (!LIST_EMPTY(&n->reqs))
		net_req_free(LIST_FIRST(&n->reqs));
	if (n->timer != NULL)
		ev_timer_del(n->timer);
	curl_multi_cleanup(n->multi);
	free(n);
}

/* The body as it comes, never more than max_response. */
static size_t
net_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct net_req	*r = userdata;
	size_t		 len = size * nmemb;

	if (r->response.len + len > r->net->opts.max_response) {
		r->too_large = 1;
		return 0;	/* curl stops with CURLE_WRITE_ERROR */
	}
	buf_add(&r->response, ptr, len);
	return len;
}

int64_t
net_parse_retry_after(const char *value, int64_t now_s)
{
	char	*end;
	long	 secs;
	time_t	 when;

	while (*value == ' ' || *value == '\t')
		value++;
	if (*value >= '0' && *value <= '9') {
		secs = strtol(value, &end, 10);
		while (*end == ' ' || *end == '\t' || *end == '\r' ||
		    *end == '\n')
			end++;
		if (*end != '\0' || secs < 0)
			return -1;
		if (secs > 86400)
			secs = 86400;
		return (int64_t)secs * 1000;
	}
	when = curl_getdate(value, NULL);
	if (when == (time_t)-1)
		return -1;
	/* A date years ahead waits a day at most, like a number does. */
	if (when <= now_s)
		return 0;
	if ((int64_t)when - now_s > 86400)
		return (int64_t)86400 * 1000;
	return ((int64_t)when - now_s) * 1000;
}

/* Headers of interest: Retry-After and Location (of the last response). */
static size_t
net_header_cb(char *buffer, size_t size, size_t nitems, void *userdata)
{
	struct net_req	*r = userdata;
	size_t		 len = size * nitems;
	char		*line, *value, *end;

	line = xmalloc(len + 1);
	memcpy(line, buffer, len);
	line[len] = '\0';
	for (end = line + len; end > line && (end[-1] == '\r' ||
	    end[-1] == '\n'); end--)
		end[-1] = '\0';
	if (strncmp(line, "HTTP/", 5) == 0) {
		/* A new response (after a 100 or a proxy's): start again. */
		r->retry_after_ms = -1;
		free(r->location);
		r->location = NULL;
	} else if ((value = strchr(line, ':')) != NULL) {
		*value++ = '\0';
		while (*value == ' ' || *value == '\t')
			value++;
		if (strcasecmp(line, "Retry-After") == 0)
			r->retry_after_ms = net_parse_retry_after(value,
			    (int64_t)time(NULL));
		else if (strcasecmp(line, "Location") == 0) {
			free(r->location);
			r->location = xstrdup(value);
		}
	}
	free(line);
	return len;
}

static int
net_req_setup(struct net_req *r, char **cause)
{
	struct net	*n = r->net;
	CURL		*e;
	char		*hdr;
	int		 loopback;
	CURLU		*u;
	char		*host = NULL;

	if (net_url_allowed(r->url, cause) != 0)
		return -1;
	u = curl_url();
	loopback = u != NULL && curl_url_set(u, CURLUPART_URL, r->url, 0) ==
	    CURLUE_OK && curl_url_get(u, CURLUPART_HOST, &host, 0) ==
	    CURLUE_OK && net_host_is_loopback(host, strlen(host));
	curl_free(host);
	curl_url_cleanup(u);

	e = r->easy = curl_easy_init();
	if (e == NULL)
		/* a broken invariant, for the programmer: not translated */
		fatalx("curl_easy_init failed");
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (n->opts.ca_file != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, n->opts.ca_file);
	if (loopback)
		curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)n->opts.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME,
	    (long)((n->opts.low_speed_ms + 999) / 1000));
	if (r->timeout_ms > 0)
		curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)r->timeout_ms);
	if (r->not_idempotent) {
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	}
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)n->opts.max_response);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, n->opts.user_agent != NULL ?
	    n->opts.user_agent : "ombre");
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, net_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, net_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->error);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);

	r->headers = curl_slist_append(NULL, "Expect:");
	r->headers = curl_slist_append(r->headers, "Accept: application/json");
	if (r->content_type != NULL) {
		hdr = xasprintf("Content-Type: %s", r->content_type);
		r->headers = curl_slist_append(r->headers, hdr);
		free(hdr);
	}
	if (r->bearer != NULL) {
		hdr = xasprintf("Authorization: Bearer %s", r->bearer);
		r->headers = curl_slist_append(r->headers, hdr);
		explicit_bzero(hdr, strlen(hdr));
		free(hdr);
	}
	if (r->header != NULL)
		r->headers = curl_slist_append(r->headers, r->header);
	if (r->basic != NULL) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERPWD, r->basic);
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
	if (strcmp(r->method, "GET") != 0) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)r->body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body != NULL ?
		    r->body : "");
		if (strcmp(r->method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
	}
	r->retry_after_ms = -1;
	if (curl_multi_add_handle(n->multi, e) != CURLM_OK) {
		/* a reply's error, stored with it: not translated */
		*cause = xstrdup("cannot start the request");
		return -1;
	}
	return 0;
}

struct net_req *
net_start(struct net *n, const struct net_request *rq, net_done_cb done,
    void *data, char **cause)
{
	struct net_req	*r;

	*cause = NULL;
	r = xcalloc(1, sizeof *r);
	r->net = n;
	r->url = xstrdup(rq->url);
	r->method = xstrdup(rq->method != NULL ? rq->method : "GET");
	if (rq->body != NULL) {
		r->body = xmalloc(rq->body_len + 1);
		memcpy(r->body, rq->body, rq->body_len);
		r->body[rq->body_len] = '\0';
		r->body_len = rq->body_len;
	}
	r->content_type = rq->content_type != NULL ?
	    xstrdup(rq->content_type) : NULL;
	r->bearer = rq->bearer != NULL ? xstrdup(rq->bearer) : NULL;
	r->basic = rq->basic != NULL ? xstrdup(rq->basic) : NULL;
	r->header = rq->header != NULL ? xstrdup(rq->header) : NULL;
	r->timeout_ms = rq->timeout_ms;
	r->not_idempotent = rq->not_idempotent;
	r->done = done;
	r->data = data;
	buf_init(&r->response);
	LIST_INSERT_HEAD(&n->reqs, r, entry);
	n->n_reqs++;
	if (net_req_setup(r, cause) != 0) {
		net_req_free(r);
		return NULL;
	}
	return r;
}

void
net_cancel(struct net_req *r)
{
	if (r != NULL)
		net_req_free(r);
}

int
net_pending(struct net *n)
{
	return n->n_reqs;
}

/* Is location (absolute or a path) on the same scheme, host and port? */
static char *
net_same_origin(const char *base, const char *location)
{
	CURLU	*u;
	char	*scheme0 = NULL, *host0 = NULL, *port0 = NULL;
	char	*scheme1 = NULL, *host1 = NULL, *port1 = NULL, *url = NULL;
	char	*out = NULL;

	u = curl_url();
	if (u == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme0, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host0, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port0, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK)
		goto out;
	/* Setting a relative URL on a handle resolves it against base. */
	if (curl_url_set(u, CURLUPART_URL, location, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme1, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host1, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port1, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK || curl_url_get(u, CURLUPART_URL, &url, 0) != CURLUE_OK)
		goto out;
	if (strcasecmp(scheme0, scheme1) == 0 &&
	    strcasecmp(host0, host1) == 0 && strcmp(port0, port1) == 0)
		out = xstrdup(url);
out:
	curl_free(scheme0);
	curl_free(host0);
	curl_free(port0);
	curl_free(scheme1);
	curl_free(host1);
	curl_free(port1);
	curl_free(url);
	curl_url_cleanup(u);
	return out;
}

static enum net_class
net_classify(long status, CURLcode rc, int too_large)
{
	if (too_large)
		return NET_PERMANENT;
	if (rc != CURLE_OK)
		return NET_RETRY;
	if (status >= 200 && status < 300)
		return NET_OK;
	if (status == 429)
		return NET_RATE_LIMITED;
	if (status == 401 || status == 403)
		return NET_AUTH;
	if (status == 408 || status >= 500)
		return NET_RETRY;
	return NET_PERMANENT;
}

/* Follow a same-origin redirect: 1 when the request went again. */
static int
net_redirect(struct net_req *r, long status)
{
	char	*next, *cause = NULL;
	int	 keep_method = status == 307 || status == 308;

	if (r->location == NULL || r->redirects >= NET_REDIRECTS ||
	    (!keep_method && strcmp(r->method, "GET") != 0))
		return 0;
	if ((next = net_same_origin(r->url, r->location)) == NULL)
		return 0;
	curl_multi_remove_handle(r->net->multi, r->easy);
	curl_easy_cleanup(r->easy);
	r->easy = NULL;
	curl_slist_free_all(r->headers);
	r->headers = NULL;
	free(r->url);
	r->url = next;
	r->redirects++;
	buf_reset(&r->response);
	if (net_req_setup(r, &cause) != 0) {
		free(cause);
		return 0;
	}
	return 1;
}

static void
net_finish(struct net_req *r, CURLcode rc)
{
	struct net_response	 resp;
	long			 status = 0;
	curl_off_t		 sent_bytes = 0;
	char			*error = NULL;

	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	if (rc == CURLE_OK && status >= 300 && status < 400 &&
	    net_redirect(r, status))
		return;
	memset(&resp, 0, sizeof resp);
	resp.status = rc == CURLE_OK ? status : 0;
	resp.body = r->response.data != NULL ? r->response.data : "";
	resp.len = r->response.len;
	resp.retry_after_ms = r->retry_after_ms;
	resp.too_large = r->too_large || rc == CURLE_FILESIZE_EXCEEDED;
	/* Nothing of the request was written: it cannot have been done. */
	curl_easy_getinfo(r->easy, CURLINFO_REQUEST_SIZE, &sent_bytes);
	resp.unsent = rc != CURLE_OK && sent_bytes == 0;
	if (resp.too_large)
		error = xasprintf("the answer is larger than %zu bytes",
		    r->net->opts.max_response);
	else if (rc != CURLE_OK)
		error = xstrdup(r->error[0] != '\0' ? r->error :
		    curl_easy_strerror(rc));
	else if (status >= 300 && status < 400)
		error = xasprintf("redirected (HTTP %ld)%s", status,
		    r->location != NULL ? " to another host or scheme: not "
		    "followed" : "");
	resp.error = error;
	resp.class = net_classify(resp.status, rc, resp.too_large);
	if (rc == CURLE_OK && status >= 300 && status < 400)
		resp.class = NET_PERMANENT;
	/* The callback may start requests, not free this one: unlink first. */
	r->done(&resp, r->data);
	free(error);
	net_req_free(r);
}

static void
net_check_done(struct net *n)
{
	CURLMsg		*m;
	struct net_req	*r;
	int		 left;

	while ((m = curl_multi_info_read(n->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		r = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
		if (r != NULL)
			net_finish(r, m->data.result);
	}
}

char *
net_escape(const char *s)
{
	char	*e, *out;

	e = curl_easy_escape(NULL, s, (int)strlen(s));
	if (e == NULL)
		/* a broken invariant, for the programmer: not translated */
		fatalx("curl_easy_escape failed");
	out = xstrdup(e);
	curl_free(e);
	return out;
}

int64_t
net_backoff_ms(int attempt, int64_t base_ms, int64_t cap_ms, uint64_t *rng)
{
	int64_t		ceiling = base_ms;
	uint64_t	x;

	while (attempt-- > 0 && ceiling < cap_ms)
		ceiling *= 2;
	if (ceiling > cap_ms)
		ceiling = cap_ms;
	/* xorshift64*: good enough to spread clients apart. */
	x = *rng != 0 ? *rng : 0x9e3779b97f4a7c15ULL;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*rng = x;
	return (int64_t)((x * 0x2545f4914f6cdd1dULL) % (uint64_t)(ceiling + 1));
}
