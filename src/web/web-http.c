/*
 * web-http.c: the webhook receiver's HTTP server, the only libmicrohttpd
 * code. The daemon runs on the caller's ev loop, no thread of its own:
 * with MHD_USE_EPOLL its sockets are behind one epoll fd, which the loop
 * watches; MHD_run() is called when it is readable and when the timeout
 * MHD_get_timeout() gives is due (0 when it has work ready). A request's
 * body is gathered up to the cap (the rest read and dropped: 413) and
 * handed whole to web_handle().
 *
 * Limits: MHD closes a connection silent for webhook.timeout seconds, and
 * we close a request still unfinished after as long (a client that
 * trickles its body); nothing of either is stored. At
 * webhook.max-connections MHD stops accepting (its listen socket leaves
 * the epoll set): further clients wait in the kernel's listen queue and
 * are served as connections close.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "web/web.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#define WEB_HTTP_MEMORY		(64 * 1024)	/* headers, per connection */
#define WEB_HTTP_STATUS_MS	1000	/* the status file's flush */

struct web_http {
	struct ev_loop		*loop;
	struct web		*web;
	struct MHD_Daemon	*daemon;
	struct ev_fd		*fd;
	struct ev_timer		*timer;
	struct ev_timer		*status_timer;
	int64_t			 timeout_ms;
};

/* One request's state, from its first call to its completion. */
struct web_http_req {
	struct buf	 body;
	size_t		 received;	/* counted on after the cap */
	int		 too_big;
	int64_t		 started;	/* util_clock_ms() at the headers */
	char		*path;		/* for a timeout's status */
};

static void	web_http_run(struct web_http *h);
static void	web_http_timed_out(struct web_http *, struct web_http_req *);

static void
web_http_timer(void *data)
{
	struct web_http	*h = data;

	h->timer = NULL;
	web_http_run(h);
}

/* Each second: what was counted since the last write of the status. */
static void
web_http_status_timer(void *data)
{
	struct web_http	*h = data;

	web_status_flush(h->web);
	h->status_timer = ev_timer_add(h->loop, WEB_HTTP_STATUS_MS,
	    web_http_status_timer, h);
}

static void
web_http_readable(int fd, short revents, void *data)
{
	(void)fd;
	(void)revents;
	web_http_run(data);
}

/* The connections open now. */
static unsigned int
web_http_connections(struct web_http *h)
{
	const union MHD_DaemonInfo	*info;

	info = MHD_get_daemon_info(h->daemon,
	    MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	return info != NULL ? info->num_connections : 0;
}

/* Let the daemon work, then wait for its fd or its next timeout. */
static void
web_http_run(struct web_http *h)
{
	MHD_UNSIGNED_LONG_LONG	ms;
	unsigned int		before;

	/*
	 * At the connection limit MHD takes its listen socket out of its
	 * epoll set, and puts it back only at the start of a run: when
	 * this run closed connections, run again, or clients waiting in
	 * the listen queue would wake nothing.
	 */
	before = web_http_connections(h);
	MHD_run(h->daemon);
	if (web_http_connections(h) < before)
		MHD_run(h->daemon);
	if (h->timer != NULL) {
		ev_timer_del(h->timer);
		h->timer = NULL;
	}
	if (MHD_get_timeout(h->daemon, &ms) == MHD_YES)
		h->timer = ev_timer_add(h->loop, ms > 60000 ? 60000 :
		    (int64_t)ms, web_http_timer, h);
}

static enum MHD_Result
web_http_arg(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind;
	web_request_add_arg(cls, key, value);
	return MHD_YES;
}

static enum MHD_Result
web_http_answer(struct web_http *h, struct MHD_Connection *c,
    const char *url, const char *method, struct web_http_req *r)
{
	struct web_request	 req;
	struct web_response	 resp;
	struct MHD_Response	*mr;
	enum MHD_Result		 rc;

	memset(&req, 0, sizeof req);
	req.method = method;
	req.path = url;
	/* Over the cap, the body is gone: its size is for the log. */
	req.body = r->too_big || r->body.data == NULL ? "" : r->body.data;
	req.len = r->too_big ? r->received : r->body.len;
	req.too_big = r->too_big;
	req.signature = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "X-Hub-Signature-256");
	req.line_signature = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "X-Line-Signature");
	req.twilio_signature = MHD_lookup_connection_value(c,
	    MHD_HEADER_KIND, "X-Twilio-Signature");
	req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_CONTENT_TYPE);
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, web_http_arg, &req);
	web_handle(h->web, &req, &resp);
	web_log_request(&req, resp.status);
	web_request_free_args(&req);

	mr = MHD_create_response_from_buffer(strlen(resp.body), resp.body,
	    MHD_RESPMEM_MUST_FREE);
	if (mr == NULL) {
		free(resp.body);
		return MHD_NO;
	}
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
	    resp.content_type != NULL ? resp.content_type :
	    "text/plain; charset=utf-8");
	rc = MHD_queue_response(c, (unsigned int)resp.status, mr);
	MHD_destroy_response(mr);
	return rc;
}

/* A request cut off by the timeout: logged, the channel's last failure. */
static void
web_http_timed_out(struct web_http *h, struct web_http_req *r)
{
	char	*path, *why;

	path = sanitize(r->path, strlen(r->path), SANITIZE_LINE, 200);
	log_warn(_("webhook: %s timed out after %zu bytes of body, closed"),
	    path, r->received);
	free(path);
	why = xasprintf("timed out after %zu bytes of body", r->received);
	web_note_failure(h->web, r->path, why);
	free(why);
}

/* MHD's access handler: called once at the headers, then per chunk of
 * the body, then once more with nothing when the body is all there. */
static enum MHD_Result
web_http_access(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct web_http		*h = cls;
	struct web_http_req	*r = *con_cls;
	const char		*cl;
	size_t			 max = web_max_body(h->web);

	(void)version;
	if (r == NULL) {
		r = xcalloc(1, sizeof *r);
		buf_init(&r->body);
		r->started = util_clock_ms();
		r->path = xstrdup(url);
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL && strtoull(cl, NULL, 10) > max)
			r->too_big = 1;
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		/* A body trickled slower than the timeout allows in all. */
		if (util_clock_ms() - r->started > h->timeout_ms) {
			web_http_timed_out(h, r);
			return MHD_NO;
		}
		r->received += *upload_data_size;
		if (!r->too_big && r->body.len + *upload_data_size > max)
			r->too_big = 1;
		if (r->too_big)
			buf_reset(&r->body);
		else
			buf_add(&r->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	return web_http_answer(h, c, url, method, r);
}

static void
web_http_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct web_http		*h = cls;
	struct web_http_req	*r = *con_cls;

	(void)c;
	if (r != NULL) {
		if (toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED)
			web_http_timed_out(h, r);
		buf_free(&r->body);
		free(r->path);
		free(r);
		*con_cls = NULL;
	}
}

static void
web_http_log(void *cls, const char *fmt, va_list ap)
{
	char	line[512];

	(void)cls;
	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_debug("webhook: %s", line);
}

/* "ADDR:PORT" or "[ADDR6]:PORT" into a socket address; 0 or -1. */
static int
web_http_address(const char *addr, struct sockaddr_storage *ss,
    socklen_t *len, int *v6)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)ss;
	const char		*colon, *port;
	char			 host[INET6_ADDRSTRLEN + 1];
	size_t			 hlen;
	long			 p;
	char			*end;

	memset(ss, 0, sizeof *ss);
	if (addr[0] == '[') {
		colon = strchr(addr, ']');
		if (colon == NULL || colon[1] != ':')
			return -1;
		hlen = colon - addr - 1;
		port = colon + 2;
		addr++;
		*v6 = 1;
	} else {
		colon = strrchr(addr, ':');
		if (colon == NULL)
			return -1;
		hlen = colon - addr;
		port = colon + 1;
		*v6 = 0;
	}
	if (hlen == 0 || hlen >= sizeof host)
		return -1;
	memcpy(host, addr, hlen);
	host[hlen] = '\0';
	p = strtol(port, &end, 10);
	if (*port == '\0' || *end != '\0' || p < 1 || p > 65535)
		return -1;
	if (*v6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)p);
		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return -1;
		*len = sizeof *sin6;
	} else {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p);
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return -1;
		*len = sizeof *sin;
	}
	return 0;
}

struct web_http *
web_http_start(struct ev_loop *loop, const char *addr, struct web *w,
    unsigned int timeout_s, unsigned int max_connections, char **cause)
{
	struct web_http			*h;
	struct sockaddr_storage		 ss;
	socklen_t			 len;
	int				 v6;
	unsigned int			 flags = MHD_USE_EPOLL;
	const union MHD_DaemonInfo	*info;

	*cause = NULL;
	if (web_http_address(addr, &ss, &len, &v6) != 0) {
		*cause = xstrdup(_("bad address (ADDR:PORT or [ADDR6]:PORT)"));
		return NULL;
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	h = xcalloc(1, sizeof *h);
	h->loop = loop;
	h->web = w;
	h->timeout_ms = (int64_t)timeout_s * 1000;
	h->daemon = MHD_start_daemon(flags | MHD_USE_ERROR_LOG, 0, NULL, NULL,
	    web_http_access, h,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_TIMEOUT, timeout_s,
	    MHD_OPTION_CONNECTION_LIMIT, max_connections,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)WEB_HTTP_MEMORY,
	    MHD_OPTION_NOTIFY_COMPLETED, web_http_completed, h,
	    MHD_OPTION_EXTERNAL_LOGGER, web_http_log, h,
	    MHD_OPTION_END);
	if (h->daemon == NULL) {
		*cause = xstrdup(_("cannot listen there (address in use or "
		    "not ours?)"));
		free(h);
		return NULL;
	}
	info = MHD_get_daemon_info(h->daemon, MHD_DAEMON_INFO_EPOLL_FD);
	if (info == NULL) {
		MHD_stop_daemon(h->daemon);
		free(h);
		*cause = xstrdup(_("libmicrohttpd has no epoll"));
		return NULL;
	}
	h->fd = ev_fd_add(loop, info->epoll_fd, POLLIN, web_http_readable, h);
	web_status_start(w, addr);
	h->status_timer = ev_timer_add(loop, WEB_HTTP_STATUS_MS,
	    web_http_status_timer, h);
	web_http_run(h);
	return h;
}

void
web_http_stop(struct web_http *h)
{
	if (h == NULL)
		return;
	if (h->timer != NULL)
		ev_timer_del(h->timer);
	if (h->status_timer != NULL)
		ev_timer_del(h->status_timer);
	ev_fd_del(h->fd);
	MHD_stop_daemon(h->daemon);
	web_status_stop(h->web);
	free(h);
}
