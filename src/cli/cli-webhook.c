/*
 * cli-webhook.c: ombre webhook [--listen ADDR:PORT] | --cgi |
 * --quarantine [FILE], the webhook receiver (src/web): a server on its
 * own loop until SIGTERM or SIGINT, or one request from a CGI
 * environment. Both answer through web_handle(), so what a reverse proxy
 * and a CGI server see is the same. --quarantine lists the bodies it
 * refused (DATA/webhook/quarantine/NAME.json, the reason in NAME.why), or
 * shows one, sanitised for the terminal.
 *
 * Exit: 0 after a clean stop (or any CGI answer given, or a listing), 1
 * when a secret cannot be had, the address cannot be listened on or the
 * quarantined FILE cannot be read, 2 on a usage error.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"
#include "web/web.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CLI_WEBHOOK_USAGE \
	N_("usage: ombre webhook [--listen ADDR:PORT] | ombre webhook --cgi | " \
	"ombre webhook --quarantine [FILE]")
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
	if ((h = web_http_start(loop, listen, w,
	    (unsigned int)options_get_number("webhook.timeout"),
	    (unsigned int)options_get_number("webhook.max-connections"),
	    &cause)) == NULL) {
		clean = sanitize(listen, strlen(listen), SANITIZE_LINE, 80);
		log_warn(_("webhook: %s: %s"), clean, cause);
		free(clean);
		free(cause);
		ev_loop_free(loop);
		return 1;
	}
	clean = sanitize(listen, strlen(listen), SANITIZE_LINE, 80);
	log_warn(_("webhook: listening on %s"), clean);
	free(clean);
	while (!ev_loop_stopped(loop)) {
		if (ev_run_once(loop, -1) != 0 && errno != EINTR)
			break;
	}
	web_http_stop(h);
	ev_loop_free(loop);
	log_warn(_("webhook: stopped"));
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
	req.line_signature = getenv("HTTP_X_LINE_SIGNATURE");
	req.twilio_signature = getenv("HTTP_X_TWILIO_SIGNATURE");
	req.content_type = getenv("CONTENT_TYPE");
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
	/* CGI's header: protocol words, not translated */
	printf("Status: %d %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\n\r\n%s", resp.status,
	    web_status_text(resp.status), resp.content_type != NULL ?
	    resp.content_type : "text/plain; charset=utf-8",
	    strlen(resp.body), resp.body);
	fflush(stdout);
	free(resp.body);
	buf_free(&body);
	web_request_free_args(&req);
	free(full);
	return 0;
}

static int
cli_webhook_quarantine_select(const struct dirent *de)
{
	size_t	len = strlen(de->d_name);

	return de->d_name[0] != '.' && len > 5 &&
	    strcmp(de->d_name + len - 5, ".json") == 0;
}

/* The first line of DIR/BASE.why, sanitised, or NULL. */
static char *
cli_webhook_why(const char *dir, const char *name)
{
	char	*path, line[512];
	FILE	*f;
	size_t	 len = strlen(name) - 5;	/* without .json */

	path = xasprintf("%s/%.*s.why", dir, (int)len, name);
	f = fopen(path, "re");
	free(path);
	if (f == NULL)
		return NULL;
	if (fgets(line, sizeof line, f) == NULL) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	return sanitize(line, strlen(line), SANITIZE_LINE, 80);
}

/*
 * One line per refused body: when it came, the channel, its size, why,
 * and its path. Names are MILLISECONDS.PID.N.CHANNEL.json (web.c).
 */
static void
cli_webhook_quarantine_list(const char *data_dir)
{
	struct dirent	**list;
	struct stat	  sb;
	struct tm	  tm;
	char		 *dir, *path, *channel, *why, when[32];
	const char	 *p;
	time_t		  t;
	size_t		  i, len;
	int		  n, k;

	dir = xasprintf("%s/webhook/quarantine", data_dir);
	n = scandir(dir, &list, cli_webhook_quarantine_select, alphasort);
	if (n <= 0) {
		printf(_("nothing quarantined\n"));
		free(dir);
		return;
	}
	printf(ngettext("%d body refused and kept (show one with `ombre "
	    "webhook --quarantine FILE`; remove a file once read):\n",
	    "%d bodies refused and kept (show one with `ombre webhook "
	    "--quarantine FILE`; remove a file once read):\n", n), n);
	for (k = 0; k < n; k++) {
		path = xasprintf("%s/%s", dir, list[k]->d_name);
		t = (time_t)(strtoll(list[k]->d_name, NULL, 10) / 1000);
		if (stat(path, &sb) != 0)
			memset(&sb, 0, sizeof sb);
		snprintf(when, sizeof when, "?");
		if (t > 0 && localtime_r(&t, &tm) != NULL)
			strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
		/* The channel: after the third dot, before .json. */
		p = list[k]->d_name;
		for (i = 0; i < 3 && p != NULL; i++)
			if ((p = strchr(p, '.')) != NULL)
				p++;
		len = p != NULL ? strlen(p) - 5 : 0;
		channel = p != NULL ? sanitize(p, len, SANITIZE_LINE, 40) :
		    xstrdup("?");
		why = cli_webhook_why(dir, list[k]->d_name);
		printf(_("%s  %s  %lld bytes  %s\n  %s\n"), when, channel,
		    (long long)sb.st_size, why != NULL ? why : _("refused"), path);
		free(why);
		free(channel);
		free(path);
		free(list[k]);
	}
	free(list);
	free(dir);
}

/* One refused body (a path, or a name in the quarantine), sanitised:
 * control sequences shown, never sent to the terminal. 0 or 1. */
static int
cli_webhook_quarantine_show(const char *data_dir, const char *file)
{
	struct buf	 body;
	char		*path, *clean, chunk[65536];
	size_t		 n;
	FILE		*f;

	if (strchr(file, '/') != NULL)
		path = xstrdup(file);
	else
		path = xasprintf("%s/webhook/quarantine/%s", data_dir, file);
	if ((f = fopen(path, "re")) == NULL) {
		clean = sanitize(path, strlen(path), SANITIZE_LINE, 200);
		log_warn(_("webhook: %s: %s"), clean, strerror(errno));
		free(clean);
		free(path);
		return 1;
	}
	buf_init(&body);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&body, chunk, n);
	fclose(f);
	clean = sanitize(body.data != NULL ? body.data : "", body.len,
	    SANITIZE_BODY, 0);
	printf("%s\n", clean);
	free(clean);
	buf_free(&body);
	free(path);
	return 0;
}

int
cli_webhook(struct cli *cli, int argc, char **argv)
{
	const char		*listen = CLI_WEBHOOK_LISTEN;
	int			 cgi = 0, quarantine = 0, n_rest, rc;
	char			**rest, *cause;
	struct web		*w;
	const struct cli_opt	 opts[] = {
		{ "listen", 0, 1, &listen, NULL },
		{ "cgi", 0, 0, NULL, &cgi },
		{ "quarantine", 0, 0, NULL, &quarantine },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("webhook", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	if (quarantine && !cgi && n_rest <= 1) {
		rc = 0;
		if (n_rest == 0)
			cli_webhook_quarantine_list(cli->data_dir);
		else
			rc = cli_webhook_quarantine_show(cli->data_dir,
			    rest[0]);
		free(rest);
		return rc;
	}
	free(rest);
	if (n_rest != 0 || quarantine) {
		log_warn("%s", _(CLI_WEBHOOK_USAGE));
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
