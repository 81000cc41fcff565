/*
 * web.c: the webhook receiver's routing, shared by the server
 * (web-http.c) and `ombre webhook --cgi`.
 *
 *   GET  /webhook/NAME?hub.mode=subscribe&hub.verify_token=T&hub.challenge=C
 *        200 and C when T is the channel's verify-token, else 403
 *   POST /webhook/NAME  X-Hub-Signature-256 checked when the channel has
 *        an app-secret (401 otherwise); not JSON: 400 and the body kept in
 *        DATA/webhook/quarantine/; else the body is written whole to
 *        DATA/webhook/spool/ (tmp name, fsync, rename, directory fsync)
 *        and only then 200. 503 when the disk refuses it: the platform
 *        sends it again.
 *
 * What it answered is counted per channel (payloads taken, bad
 * signatures, bodies refused, the last failure) into DATA/webhook/status
 * once the server has started it (web_status_start): written whole (tmp
 * name, fsync, rename) at start, at most once a second while requests
 * come (web_status_flush from the server's timer), and at exit.
 *
 * Secrets are resolved once, in web_new, kept here, wiped at web_free;
 * nothing logs them, nor the query (it carries the verify token).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "web/web.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Status file writes at most this often while requests come. */
#define WEB_STATUS_MS	1000

struct web_channel {
	char	*name;
	const char *object;	/* Meta's "object" its bodies have, or NULL */
	const char *shape_refusal;	/* why a body of another shape is
					   refused */
	int	 line;		/* LINE: X-Line-Signature, its shape */
	int	 twilio;	/* Twilio: a form, X-Twilio-Signature, TwiML */
	char	*public_url;	/* Twilio: the URL it signs */
	char	*app_secret;	/* NULL: POSTs are not signed (Meta's
				   app-secret, LINE's channel-secret) */
	char	*verify_token;	/* NULL: no verification answered */

	/* Counts since start, for DATA/webhook/status. */
	long	 received;	/* 200 */
	int64_t	 last_received;
	long	 bad_signatures; /* 401 */
	int64_t	 last_bad_signature;
	long	 refused;	/* 400, 413 */
	int64_t	 last_failure_when;
	char	*last_failure;	/* any failure, as a phrase */
};

struct web {
	char			*data_dir;
	size_t			 max_body;
	struct web_channel	*channels;
	size_t			 n;
	unsigned long		 seq;

	/* The status file: off until web_status_start. */
	int			 status_on;
	int			 status_dirty;
	char			*listen;
	int64_t			 started;
	int64_t			 status_written_ms;
};

static void
web_wipe(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

/* Resolve one secret if the channel has KEY or KEY-command; 0 or -1. */
static int
web_secret(const struct channel_config *cc, const char *key, char **out,
    char **cause)
{
	char	*ckey, *why;
	int	 has;

	*out = NULL;
	ckey = xasprintf("%s-command", key);
	has = channel_config_get(cc, key) != NULL ||
	    channel_config_get(cc, ckey) != NULL;
	free(ckey);
	if (!has)
		return 0;
	if ((*out = channel_config_secret(cc, key, &why)) == NULL) {
		*cause = xasprintf(_("channel %s: %s"), cc->name, why);
		free(why);
		return -1;
	}
	return 0;
}

struct web *
web_new(const char *data_dir, size_t max_body, char **cause)
{
	const struct channel_config	*all, *cc;
	struct web			*w;
	struct web_channel		*wc;
	size_t				 n, i;

	*cause = NULL;
	w = xcalloc(1, sizeof *w);
	w->data_dir = xstrdup(data_dir);
	w->max_body = max_body;
	all = channel_config_all(&n);
	w->channels = xcalloc(n + 1, sizeof *w->channels);
	for (i = 0; i < n; i++) {
		cc = &all[i];
		if (!channel_config_webhook_type(cc->type))
			continue;
		wc = &w->channels[w->n++];
		wc->name = xstrdup(cc->name);
		/* Meta's platforms: a body of another shape is refused at
		 * once (400, kept), not spooled for the syncer to refuse. */
		if (strcmp(cc->type, "whatsapp") == 0) {
			wc->object = "whatsapp_business_account";
			wc->shape_refusal = "not a WhatsApp webhook (object "
			    "whatsapp_business_account, entry[])";
		} else if (strcmp(cc->type, "messenger") == 0) {
			wc->object = "page";
			wc->shape_refusal = "not a Messenger webhook (object "
			    "page, entry[])";
		} else if (strcmp(cc->type, "twilio") == 0) {
			wc->twilio = 1;
			wc->shape_refusal = "not a Twilio message webhook "
			    "(a form with MessageSid or SmsSid)";
			if (channel_config_get(cc, "public-url") != NULL)
				wc->public_url = xstrdup(channel_config_get(cc,
				    "public-url"));
		} else if (strcmp(cc->type, "line") == 0) {
			wc->line = 1;
			wc->shape_refusal = "not a LINE webhook (destination, "
			    "events[])";
		}
		if (web_secret(cc, wc->line ? "channel-secret" : wc->twilio ?
		    "token" : "app-secret",
		    &wc->app_secret, cause) != 0 ||
		    web_secret(cc, "verify-token", &wc->verify_token,
		    cause) != 0) {
			web_free(w);
			return NULL;
		}
	}
	return w;
}

void
web_free(struct web *w)
{
	size_t	i;

	if (w == NULL)
		return;
	for (i = 0; i < w->n; i++) {
		free(w->channels[i].name);
		web_wipe(w->channels[i].app_secret);
		free(w->channels[i].public_url);
		web_wipe(w->channels[i].verify_token);
		free(w->channels[i].last_failure);
	}
	free(w->channels);
	free(w->listen);
	free(w->data_dir);
	free(w);
}

size_t
web_max_body(const struct web *w)
{
	return w->max_body;
}

const char *
web_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

/* Decode a query component: '+' is a space, %XX a byte (kept as is when
 * malformed). */
static char *
web_unescape(const char *s, size_t len)
{
	return util_form_unescape(s, len, 0, NULL);
}

void
web_request_add_arg(struct web_request *req, const char *key,
    const char *value)
{
	req->arg_keys = xreallocarray(req->arg_keys, req->n_args + 1,
	    sizeof *req->arg_keys);
	req->arg_values = xreallocarray(req->arg_values, req->n_args + 1,
	    sizeof *req->arg_values);
	req->arg_keys[req->n_args] = xstrdup(key);
	req->arg_values[req->n_args] = xstrdup(value != NULL ? value : "");
	req->n_args++;
}

void
web_request_parse_query(struct web_request *req, const char *query)
{
	const char	*p, *end, *eq;
	char		*key, *value;

	for (p = query; p != NULL && *p != '\0'; p = *end ? end + 1 : end) {
		end = p + strcspn(p, "&;");
		if (end == p)
			continue;
		eq = memchr(p, '=', end - p);
		key = web_unescape(p, (eq != NULL ? eq : end) - p);
		value = eq != NULL ? web_unescape(eq + 1, end - eq - 1) :
		    xstrdup("");
		web_request_add_arg(req, key, value);
		free(key);
		explicit_bzero(value, strlen(value));
		free(value);
	}
}

void
web_request_free_args(struct web_request *req)
{
	size_t	i;

	for (i = 0; i < req->n_args; i++) {
		free(req->arg_keys[i]);
		web_wipe(req->arg_values[i]);
	}
	free(req->arg_keys);
	free(req->arg_values);
	req->arg_keys = req->arg_values = NULL;
	req->n_args = 0;
}

static const char *
web_arg(const struct web_request *req, const char *key)
{
	size_t	i;

	for (i = 0; i < req->n_args; i++) {
		if (strcmp(req->arg_keys[i], key) == 0)
			return req->arg_values[i];
	}
	return NULL;
}

void
web_log_request(const struct web_request *req, int status)
{
	char	*path, *method;

	method = sanitize(req->method, strlen(req->method), SANITIZE_LINE, 16);
	path = sanitize(req->path, strlen(req->path), SANITIZE_LINE, 200);
	log_warn(_("webhook: %s %s %d %zu bytes"), method, path, status, req->len);
	free(method);
	free(path);
}

static void
web_answer(struct web_response *resp, int status, const char *body)
{
	resp->status = status;
	resp->body = xasprintf("%s\n", body != NULL ? body :
	    web_status_text(status));
}

/* The channel a path names: /webhook/NAME. */
static struct web_channel *
web_route(struct web *w, const char *path)
{
	const char	*name;
	size_t		 i;

	if (strncmp(path, "/webhook/", 9) != 0)
		return NULL;
	name = path + 9;
	for (i = 0; i < w->n; i++) {
		if (strcmp(w->channels[i].name, name) == 0)
			return &w->channels[i];
	}
	return NULL;
}

/*
 * Write the body whole and durably under DATA/webhook/SUB/ as a new file
 * named after the time, our pid, a counter and the channel. A group-shared
 * data dir (group bits set) gets group-writable folders and files, as the
 * store's. 0, or -1 with errno.
 */
static void
web_modes(struct web *w, mode_t *dir_mode, mode_t *file_mode)
{
	struct stat	sb;

	*dir_mode = 0700;
	*file_mode = 0600;
	if (stat(w->data_dir, &sb) == 0 && (sb.st_mode & 0070)) {
		*dir_mode = sb.st_mode & 07777;
		*file_mode = 0660;
		umask(umask(0) & ~(mode_t)0070);
	}
}

static int
web_keep(struct web *w, const char *sub, const char *channel,
    const char *body, size_t len, char **path_out)
{
	mode_t		 dir_mode, file_mode;
	struct timespec	 ts;
	char		*dir, *name;
	int		 rc, saved;

	web_modes(w, &dir_mode, &file_mode);
	dir = xasprintf("%s/webhook/%s", w->data_dir, sub);
	if (util_mkdir_p(dir, dir_mode) != 0) {
		saved = errno;
		free(dir);
		errno = saved;
		return -1;
	}
	/* Wall-clock milliseconds first: ls lists them in arrival order. */
	clock_gettime(CLOCK_REALTIME, &ts);
	name = xasprintf("%lld%03ld.%ld.%lu.%s.json", (long long)ts.tv_sec,
	    ts.tv_nsec / 1000000, (long)getpid(), ++w->seq, channel);
	rc = util_write_file(dir, name, body, len, file_mode);
	saved = errno;
	if (rc == 0 && path_out != NULL)
		*path_out = xasprintf("%s/%s", dir, name);
	free(dir);
	free(name);
	errno = saved;
	return rc;
}

/*
 * Write beside a quarantined body (DIR/NAME.json) why it was refused, in
 * DIR/NAME.why: one line, for `ombre webhook --quarantine`. Best effort:
 * the body is what matters.
 */
static void
web_keep_why(struct web *w, const char *path, const char *why)
{
	mode_t	 dir_mode, file_mode;
	char	*dir, *name, *slash, *dot, *line;

	web_modes(w, &dir_mode, &file_mode);
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL) {
		free(dir);
		return;
	}
	*slash = '\0';
	name = xstrdup(slash + 1);
	if ((dot = strrchr(name, '.')) != NULL)
		*dot = '\0';
	line = xasprintf("%s\n", why);
	slash = name;
	name = xasprintf("%s.why", slash);
	free(slash);
	if (util_write_file(dir, name, line, strlen(line), file_mode) != 0)
		log_warn(_("webhook: cannot write %s/%s: %s"), dir, name,
		    strerror(errno));
	free(line);
	free(name);
	free(dir);
}

/* One field of the status file: no tab or newline inside. */
static void
web_status_field(struct buf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		buf_add_char(b, *s == '\t' || *s == '\n' || *s == '\r' ?
		    ' ' : *s);
}

/*
 * Replace DATA/webhook/status whole: the pid, the address, when it
 * started (and stopped, at exit), then a line per channel. The format is
 * sync.h's struct sync_webhook's (sync-client.c reads it).
 */
static void
web_status_write(struct web *w, int64_t stopped)
{
	struct web_channel	*wc;
	struct buf		 b;
	mode_t			 dir_mode, file_mode;
	char			*dir;
	size_t			 i;

	web_modes(w, &dir_mode, &file_mode);
	dir = xasprintf("%s/webhook", w->data_dir);
	if (util_mkdir_p(dir, dir_mode) != 0) {
		log_warn(_("webhook: cannot create %s: %s"), dir, strerror(errno));
		free(dir);
		return;
	}
	buf_init(&b);
	buf_add_printf(&b, "pid\t%ld\nlisten\t", (long)getpid());
	web_status_field(&b, w->listen);
	buf_add_printf(&b, "\nstarted\t%lld\nupdated\t%lld\n",
	    (long long)w->started, (long long)time(NULL));
	if (stopped > 0)
		buf_add_printf(&b, "stopped\t%lld\n", (long long)stopped);
	for (i = 0; i < w->n; i++) {
		wc = &w->channels[i];
		buf_add_printf(&b, "channel\t%s\t%ld\t%lld\t%ld\t%lld\t%ld\t"
		    "%lld\t", wc->name, wc->received,
		    (long long)wc->last_received, wc->bad_signatures,
		    (long long)wc->last_bad_signature, wc->refused,
		    (long long)wc->last_failure_when);
		web_status_field(&b, wc->last_failure);
		buf_add_char(&b, '\n');
	}
	if (util_write_file(dir, "status", b.data, b.len, file_mode) != 0)
		log_warn(_("webhook: cannot write %s/status: %s"), dir,
		    strerror(errno));
	buf_free(&b);
	free(dir);
	w->status_dirty = 0;
	w->status_written_ms = util_clock_ms();
}

void
web_status_start(struct web *w, const char *listen)
{
	free(w->listen);
	w->listen = xstrdup(listen);
	w->started = (int64_t)time(NULL);
	w->status_on = 1;
	web_status_write(w, 0);
}

void
web_status_flush(struct web *w)
{
	if (w->status_on && w->status_dirty)
		web_status_write(w, 0);
}

void
web_status_stop(struct web *w)
{
	if (!w->status_on)
		return;
	web_status_write(w, (int64_t)time(NULL));
	w->status_on = 0;
}

/* The counts changed: written now, or by the next flush when the last
 * write was less than WEB_STATUS_MS ago. */
static void
web_status_changed(struct web *w)
{
	if (!w->status_on)
		return;
	w->status_dirty = 1;
	if (util_clock_ms() - w->status_written_ms >= WEB_STATUS_MS)
		web_status_write(w, 0);
}

/* Count what a request to a channel was answered. */
static void
web_count(struct web *w, struct web_channel *wc, int status,
    const char *why)
{
	int64_t	now = (int64_t)time(NULL);

	switch (status) {
	case 200:
		wc->received++;
		wc->last_received = now;
		break;
	case 401:
		wc->bad_signatures++;
		wc->last_bad_signature = now;
		break;
	case 400:
	case 413:
		wc->refused++;
		break;
	}
	if (status != 200) {
		free(wc->last_failure);
		wc->last_failure = xasprintf("%d %s", status, why);
		wc->last_failure_when = now;
	}
	web_status_changed(w);
}

void
web_note_failure(struct web *w, const char *path, const char *why)
{
	struct web_channel	*wc;

	if ((wc = web_route(w, path)) == NULL)
		return;
	free(wc->last_failure);
	wc->last_failure = xstrdup(why);
	wc->last_failure_when = (int64_t)time(NULL);
	web_status_changed(w);
}

const struct web_counts *
web_counts(const struct web *w, const char *name, struct web_counts *out)
{
	size_t	i;

	for (i = 0; i < w->n; i++) {
		if (strcmp(w->channels[i].name, name) != 0)
			continue;
		out->received = w->channels[i].received;
		out->bad_signatures = w->channels[i].bad_signatures;
		out->refused = w->channels[i].refused;
		out->last_failure = w->channels[i].last_failure;
		return out;
	}
	return NULL;
}

/*
 * Twilio's form POST: signed over public-url= and the sorted parameters
 * with the auth token, spooled as it came, answered with an empty TwiML
 * response.
 */
static void
web_twilio(struct web *w, struct web_channel *wc,
    const struct web_request *req, struct web_response *resp)
{
	struct web_request	 form;
	const char		*refusal = NULL;
	char			*body, *path = NULL, *why;
	size_t			 i;
	int			 sid = 0, good;

	memset(&form, 0, sizeof form);
	body = xmalloc(req->len + 1);
	memcpy(body, req->body, req->len);
	body[req->len] = '\0';
	if (strlen(body) == req->len)
		web_request_parse_query(&form, body);
	free(body);
	good = wc->app_secret == NULL || web_sign_check_twilio(wc->app_secret,
	    wc->public_url, form.arg_keys, form.arg_values, form.n_args,
	    req->twilio_signature);
	for (i = 0; i < form.n_args; i++)
		if (strcmp(form.arg_keys[i], "MessageSid") == 0 ||
		    strcmp(form.arg_keys[i], "SmsSid") == 0)
			sid = 1;
	web_request_free_args(&form);
	if (!good) {
		refusal = req->twilio_signature == NULL ?
		    "missing X-Twilio-Signature" : "bad X-Twilio-Signature";
		web_answer(resp, 401, refusal);
		web_count(w, wc, 401, refusal);
		return;
	}
	if (req->content_type == NULL || strncasecmp(req->content_type,
	    "application/x-www-form-urlencoded", 33) != 0 || !sid) {
		refusal = wc->shape_refusal;
		if (web_keep(w, "quarantine", wc->name, req->body, req->len,
		    &path) != 0) {
			web_answer(resp, 503, NULL);
			web_count(w, wc, 503, "cannot keep a refused body");
			return;
		}
		why = xasprintf("400 %s", refusal);
		web_keep_why(w, path, why);
		free(why);
		free(path);
		web_answer(resp, 400, refusal);
		web_count(w, wc, 400, refusal);
		return;
	}
	if (web_keep(w, "spool", wc->name, req->body, req->len, NULL) != 0) {
		log_warn(_("webhook: %s: cannot spool: %s"), wc->name,
		    strerror(errno));
		web_answer(resp, 503, NULL);
		web_count(w, wc, 503, "cannot spool (disk)");
		return;
	}
	resp->status = 200;
	resp->body = xstrdup("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	    "<Response/>\n");
	resp->content_type = "text/xml";
	web_count(w, wc, 200, NULL);
}

/* GET: Meta's subscription check. */
static void
web_verify(struct web_channel *wc, const struct web_request *req,
    struct web_response *resp)
{
	const char	*mode, *token, *challenge;
	size_t		 i;

	mode = web_arg(req, "hub.mode");
	token = web_arg(req, "hub.verify_token");
	challenge = web_arg(req, "hub.challenge");
	if (mode == NULL || token == NULL || challenge == NULL ||
	    strcmp(mode, "subscribe") != 0) {
		web_answer(resp, 400, "expected hub.mode=subscribe, "
		    "hub.verify_token and hub.challenge");
		return;
	}
	if (wc->verify_token == NULL ||
	    !web_sign_equal(token, wc->verify_token)) {
		web_answer(resp, 403, NULL);
		return;
	}
	/* Echoed as text/plain: printable ASCII only, bounded. */
	for (i = 0; challenge[i] != '\0'; i++) {
		if (challenge[i] <= ' ' || challenge[i] > '~' || i >= 256) {
			web_answer(resp, 400, "bad hub.challenge");
			return;
		}
	}
	if (i == 0) {
		web_answer(resp, 400, "bad hub.challenge");
		return;
	}
	resp->status = 200;
	resp->body = xstrdup(challenge);
}

void
web_handle(struct web *w, const struct web_request *req,
    struct web_response *resp)
{
	struct web_channel	*wc;
	const char		*refusal;
	char			*path = NULL, *why;

	resp->status = 0;
	resp->body = NULL;
	resp->content_type = NULL;
	if ((wc = web_route(w, req->path)) == NULL) {
		web_answer(resp, 404, NULL);
		return;
	}
	if (strcmp(req->method, "GET") == 0) {
		web_verify(wc, req, resp);
		return;
	}
	if (strcmp(req->method, "POST") != 0) {
		web_answer(resp, 405, NULL);
		return;
	}
	if (req->too_big) {
		web_answer(resp, 413, NULL);
		why = xasprintf("%zu bytes, over webhook.max-body", req->len);
		web_count(w, wc, 413, why);
		free(why);
		return;
	}
	if (wc->twilio) {
		web_twilio(w, wc, req, resp);
		return;
	}
	if (wc->line && wc->app_secret != NULL &&
	    !web_sign_check_base64(wc->app_secret, req->body, req->len,
	    req->line_signature)) {
		refusal = req->line_signature == NULL ?
		    "missing X-Line-Signature" : "bad X-Line-Signature";
		web_answer(resp, 401, refusal);
		web_count(w, wc, 401, refusal);
		return;
	}
	if (!wc->line && wc->app_secret != NULL &&
	    !web_sign_check(wc->app_secret, req->body, req->len,
	    req->signature)) {
		web_answer(resp, 401, req->signature == NULL ?
		    "missing X-Hub-Signature-256" : "bad X-Hub-Signature-256");
		web_count(w, wc, 401, req->signature == NULL ?
		    "missing X-Hub-Signature-256" : "bad X-Hub-Signature-256");
		return;
	}
	refusal = NULL;
	if (!json_valid(req->body, req->len))
		refusal = "not JSON";
	else if (wc->object != NULL && !json_webhook_shape(req->body,
	    req->len, wc->object))
		refusal = wc->shape_refusal;
	else if (wc->line && !json_line_shape(req->body, req->len))
		refusal = wc->shape_refusal;
	if (refusal != NULL) {
		if (web_keep(w, "quarantine", wc->name, req->body, req->len,
		    &path) != 0) {
			log_warn(_("webhook: %s: cannot keep a refused body: %s"),
			    wc->name, strerror(errno));
			web_answer(resp, 503, NULL);
			web_count(w, wc, 503, "cannot keep a refused body");
			return;
		}
		why = xasprintf("400 %s", refusal);
		web_keep_why(w, path, why);
		free(why);
		log_warn(_("webhook: %s: %s, kept in %s"), wc->name, refusal,
		    path);
		free(path);
		web_answer(resp, 400, refusal);
		web_count(w, wc, 400, refusal);
		return;
	}
	if (web_keep(w, "spool", wc->name, req->body, req->len, NULL) != 0) {
		log_warn(_("webhook: %s: cannot spool: %s"), wc->name,
		    strerror(errno));
		web_answer(resp, 503, NULL);
		web_count(w, wc, 503, "cannot spool (disk)");
		return;
	}
	web_answer(resp, 200, NULL);
	web_count(w, wc, 200, NULL);
}
