/*
 * cli-webhook.c: ombre webhook [--listen ADDR:PORT] | --cgi, the webhook
 * receiver (src/web): a server on its own loop until SIGTERM or SIGINT,
 * or one request from a CGI environment. Both answer through
 * web_handle(), so what a reverse proxy and a CGI server see is the same.
 *
 * Exit: 0 after a clean stop (or any CGI answer given), 1 when a secret
 * cannot be had or the address cannot be listened on, 2 on a usage error.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"
#include "web/web.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_WEBHOOK_USAGE \
	"usage: ombre webhook [--listen ADDR:PORT] | ombre webhook --cgi"
#define CLI_WEBHOOK_LISTEN	"127.0.0.1:8765"

static void
cli_webhook_signal(int signo, void *data)
{
	(void)signo;
	ev_loop_stop(data);
}

static int
cli_webhook_serve(struct web *w, const char *listen)
{
	struct ev_loop	*loop;
	struct web_http	*h;
	char		*cause, *clean;

	loop = ev_loop_new();
	ev_signal_add(loop, SIGTERM, cli_webhook_signal, loop);
	ev_signal_add(loop, SIGINT, cli_webhook_signal, loop);
	signal(SIGPIPE, SIG_IGN);
	if ((h = web_http_start(loop, listen, w, &cause)) == NULL) {
		clean = sanitize(listen, strlen(listen), SANITIZE_LINE, 80);
		log_warn("webhook: %s: %s", clean, cause);
		free(clean);
		free(cause);
		ev_loop_free(loop);
		return 1;
	}
	clean = sanitize(listen, strlen(listen), SANITIZE_LINE, 80);
	log_warn("webhook: listening on %s", clean);
	free(clean);
	while (!ev_loop_stopped(loop)) {
		if (ev_run_once(loop, -1) != 0 && errno != EINTR)
			break;
	}
	web_http_stop(h);
	ev_loop_free(loop);
	log_warn("webhook: stopped");
	return 0;
}

/* One request from the CGI environment (RFC 3875) and stdin. */
static int
cli_webhook_cgi(struct web *w)
{
	struct web_request	 req;
	struct web_response	 resp;
	struct buf		 body;
	const char		*method, *path, *cl;
	char			*full;
	char			 chunk[65536];
	unsigned long long	 want = 0;
	size_t			 n, got = 0;

	memset(&req, 0, sizeof req);
	method = getenv("REQUEST_METHOD");
	path = getenv("PATH_INFO");
	req.method = method != NULL ? method : "GET";
	/* PATH_INFO is /webhook/NAME, or /NAME under a script named
	 * webhook (location /webhook/ { fastcgi ... }). */
	if (path == NULL || *path == '\0')
		path = "/";
	req.path = full = strncmp(path, "/webhook/", 9) == 0 ? xstrdup(path) :
	    xasprintf("/webhook%s%s", *path == '/' ? "" : "/", path);
	req.signature = getenv("HTTP_X_HUB_SIGNATURE_256");
	web_request_parse_query(&req, getenv("QUERY_STRING"));
	if ((cl = getenv("CONTENT_LENGTH")) != NULL && *cl != '\0')
		want = strtoull(cl, NULL, 10);
	buf_init(&body);
	if (want > web_max_body(w))
		req.too_big = 1;
	else {
		while (got < want && (n = fread(chunk, 1, want - got <
		    sizeof chunk ? want - got : sizeof chunk, stdin)) > 0) {
			buf_add(&body, chunk, n);
			got += n;
		}
	}
	req.body = body.data != NULL ? body.data : "";
	/* Over the cap, not read: its size is for the log. */
	req.len = req.too_big ? (size_t)want : body.len;
	web_handle(w, &req, &resp);
	web_log_request(&req, resp.status);
	printf("Status: %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Content-Length: %zu\r\n\r\n%s", resp.status,
	    web_status_text(resp.status), strlen(resp.body), resp.body);
	fflush(stdout);
	free(resp.body);
	buf_free(&body);
	web_request_free_args(&req);
	free(full);
	return 0;
}

int
cli_webhook(struct cli *cli, int argc, char **argv)
{
	const char		*listen = CLI_WEBHOOK_LISTEN;
	int			 cgi = 0, n_rest, rc;
	char			**rest, *cause;
	struct web		*w;
	const struct cli_opt	 opts[] = {
		{ "listen", 0, 1, &listen, NULL },
		{ "cgi", 0, 0, NULL, &cgi },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("webhook", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest != 0) {
		log_warn("%s", CLI_WEBHOOK_USAGE);
		return EXIT_USAGE;
	}
	w = web_new(cli->data_dir, (size_t)options_get_number(
	    "webhook.max-body"), &cause);
	if (w == NULL) {
		log_warn("webhook: %s", cause);
		free(cause);
		return 1;
	}
	rc = cgi ? cli_webhook_cgi(w) : cli_webhook_serve(w, listen);
	web_free(w);
	return rc;
}
