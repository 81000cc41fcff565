/*
 * cli.c: the one-shot subcommands. Text output goes through the
 * sanitiser, JSON output escapes control characters; nothing here writes
 * colour or escape codes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"
#include "demo/demo.h"
#include "sync/sync.h"
#include "ui/ui.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A subcommand's option: --name VALUE, --name=VALUE, or a --flag. */
struct cli_opt {
	const char	 *name;
	char		  short_name;
	int		  has_arg;
	const char	**value;
	int		 *flag;
};

/*
 * Split a subcommand's arguments into its options (found anywhere) and
 * the rest; "--" ends the options. Return 0, or -1 after printing an error.
 */
static int
cli_parse_args(const char *cmd, const struct cli_opt *opts, int argc,
    char **argv, char ***rest, int *n_rest)
{
	const struct cli_opt	*o;
	const char		*arg, *eq;
	size_t			 len;
	int			 i, only_args = 0;

	*rest = xcalloc((size_t)argc + 1, sizeof **rest);
	*n_rest = 0;
	for (i = 0; i < argc; i++) {
		arg = argv[i];
		if (only_args || arg[0] != '-' || arg[1] == '\0') {
			(*rest)[(*n_rest)++] = argv[i];
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_args = 1;
			continue;
		}
		for (o = opts; o != NULL && o->name != NULL; o++) {
			if (arg[1] != '-') {
				if (arg[1] == o->short_name && arg[2] == '\0')
					break;
				continue;
			}
			eq = strchr(arg + 2, '=');
			len = eq != NULL ? (size_t)(eq - arg - 2) : strlen(arg + 2);
			if (strlen(o->name) == len && strncmp(arg + 2, o->name, len) == 0)
				break;
		}
		if (o == NULL || o->name == NULL) {
			char *clean = sanitize(arg, strlen(arg), SANITIZE_LINE, 40);
			log_warn("%s: unknown option %s (see ombre --help)", cmd, clean);
			free(clean);
			free(*rest);
			return -1;
		}
		if (o->has_arg) {
			eq = arg[1] == '-' ? strchr(arg + 2, '=') : NULL;
			if (eq != NULL)
				*o->value = eq + 1;
			else if (i + 1 < argc)
				*o->value = argv[++i];
			else {
				log_warn("%s: option --%s needs a value", cmd, o->name);
				free(*rest);
				return -1;
			}
		} else
			*o->flag = 1;
	}
	return 0;
}

/* Parse a whole non-negative number, or return -1. */
static long long
cli_number(const char *s)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0)
		return -1;
	return v;
}

/* Join words into one string with single spaces. */
static char *
cli_join(char **words, int n)
{
	struct buf	b;
	int		i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_add_char(&b, ' ');
		buf_add_str(&b, words[i]);
	}
	return buf_steal(&b);
}

static void
cli_on_wait(void *data)
{
	log_warn("waiting for database (another process holds its write lock)");
}

void
cli_store_options(struct cli *cli, struct store_options *opts)
{
	const char	*database;

	memset(opts, 0, sizeof *opts);
	opts->data_dir = cli->data_dir;
	database = options_get("store.database");
	opts->database = (!cli->demo && database != NULL && *database != '\0') ?
	    database : NULL;
	opts->lock_timeout = (double)options_get_number("store.lock-timeout");
	opts->batch_messages = (int)options_get_number("store.batch-messages");
	opts->batch_ms = (int)options_get_number("store.batch-ms");
	opts->on_wait = cli_on_wait;
}

int
cli_open(struct cli *cli, enum store_mode mode, struct store **st)
{
	struct store_options	 opts;
	enum store_status	 rc;
	char			*cause;

	cli_store_options(cli, &opts);
	rc = store_open(&opts, mode, st, &cause);
	if (rc == STORE_OK)
		return 0;
	log_warn("%s", cause);
	free(cause);
	return rc == STORE_LOCKED ? EXIT_TEMPFAIL : 1;
}

/* The terminal's width, else $COLUMNS, else 0: no limit when piped. */
static int
cli_width(void)
{
	struct winsize	 ws;
	const char	*cols;
	long long	 n;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		return ws.ws_col;
	cols = getenv("COLUMNS");
	if (cols != NULL && (n = cli_number(cols)) > 20 && n < 1000)
		return (int)n;
	return 0;
}

/* Append s sanitised and padded to exactly width columns. */
static void
cli_add_cell(struct buf *b, const char *s, size_t width)
{
	size_t	used;

	used = sanitize_buf(b, s, strlen(s), SANITIZE_LINE, width);
	for (; used < width; used++)
		buf_add_char(b, ' ');
}

/* The conversation's mode: bot, needs human, or the agent who has it. */
static char *
cli_conv_mode(const struct store_conv *c)
{
	switch (triage_mode(c->tags, c->n_tags)) {
	case TRIAGE_MODE_HUMAN:
		return xasprintf("@%s", triage_assignee(c->tags, c->n_tags));
	case TRIAGE_MODE_HANDOFF:
		return xstrdup("needs human");
	case TRIAGE_MODE_BOT:
		return xstrdup("bot");
	case TRIAGE_MODE_NONE:
		break;
	}
	return xstrdup("");
}

/* One row of `list`: id, badge, age, name, mode, unread, waiting, snippet. */
static void
cli_list_row(struct buf *b, const struct store_conv *c, int64_t now, int width)
{
	char	 badge[3], age[16], wait[16], unread[16], *mode;
	size_t	 start = b->len, used;
	int	 rest;

	channel_badge(c->channel, badge);
	util_format_age(now - c->newest, age, sizeof age);
	buf_add_printf(b, "%6s %s %4s ", c->short_id, badge, age);
	cli_add_cell(b, c->customer_name, 18);
	buf_add_char(b, ' ');
	buf_add_char(b, store_conv_has_tag(c, "ombre/prio/high") ? '!' : ' ');
	mode = cli_conv_mode(c);
	cli_add_cell(b, mode, 12);
	free(mode);
	if (c->unread > 0)
		snprintf(unread, sizeof unread, "%d new", c->unread);
	else
		unread[0] = '\0';
	buf_add_printf(b, " %-6s ", unread);
	if (c->waiting_since > 0 && store_conv_has_tag(c, "inbox")) {
		util_format_age(now - c->waiting_since, wait, sizeof wait);
		buf_add_printf(b, "%4s ", wait);
	} else
		buf_add_str(b, "   - ");
	used = utf8_width(b->data + start, b->len - start);
	rest = width - (int)used;
	if (width == 0)
		sanitize_buf(b, c->snippet, strlen(c->snippet), SANITIZE_LINE, 0);
	else if (rest > 4)
		sanitize_buf(b, c->snippet, strlen(c->snippet), SANITIZE_LINE,
		    (size_t)rest);
	while (b->len > start && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	buf_add_char(b, '\n');
}

/* One object of `list --json`. */
static void
cli_list_json(struct buf *b, const struct store_conv *c)
{
	struct json_obj	*o, *cust;
	char		 date[64], *mode, *json;

	o = json_obj_new();
	json_obj_set_str(o, "id", c->short_id);
	json_obj_set_str(o, "thread", c->thread_id);
	json_obj_set_str(o, "channel", c->channel);
	json_obj_set_str(o, "account", c->account);
	json_obj_set_str(o, "conversation", c->conv_id);
	json_obj_set_str(o, "title", c->title);
	cust = json_obj_new();
	json_obj_set_str(cust, "id", c->customer_id);
	json_obj_set_str(cust, "name", c->customer_name);
	json_obj_set_obj(o, "customer", cust);
	util_format_rfc3339(c->newest, 0, date, sizeof date);
	json_obj_set_str(o, "date", date);
	json_obj_set_int(o, "messages", c->total);
	json_obj_set_int(o, "unread", c->unread);
	mode = cli_conv_mode(c);
	json_obj_set_str(o, "mode", *mode == '\0' ? "human" : mode[0] == '@' ?
	    "human" : strcmp(mode, "bot") == 0 ? "bot" : "handoff");
	free(mode);
	if (c->waiting_since > 0) {
		util_format_rfc3339(c->waiting_since, 0, date, sizeof date);
		json_obj_set_str(o, "waiting_since", date);
	}
	json_obj_set_str(o, "last_from", msg_kind_name(c->last_kind));
	json_obj_set_strv(o, "tags", c->tags, c->n_tags);
	json_obj_set_str(o, "snippet", c->snippet);
	json = json_obj_finish(o);
	buf_add_str(b, json);
	buf_add_char(b, '\n');
	free(json);
}

static int
cli_list_once(struct cli *cli, int argc, char **argv)
{
	const char		*limit_s = NULL, *view_s = NULL;
	int			 json = 0, n_rest, rc;
	char			**rest, *query, *cause;
	const struct view	*v;
	long long		 limit;
	struct store		*st;
	struct store_conv	**convs;
	size_t			 n, i;
	struct buf		 out;
	int64_t			 now;
	const struct cli_opt	 opts[] = {
		{ "json", 0, 0, NULL, &json },
		{ "limit", 0, 1, &limit_s, NULL },
		{ "view", 0, 1, &view_s, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("list", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	limit = limit_s != NULL ? cli_number(limit_s) :
	    options_get_number("list.limit");
	if (limit <= 0) {
		log_warn("list: --limit takes a positive number");
		free(rest);
		return EXIT_USAGE;
	}
	if (view_s != NULL && n_rest > 0) {
		log_warn("list: give a view or a query, not both");
		free(rest);
		return EXIT_USAGE;
	}
	if (n_rest > 0)
		query = cli_join(rest, n_rest);
	else {
		v = view_find(view_s != NULL ? view_s : "Inbox");
		if (v == NULL) {
			char *clean = sanitize(view_s, strlen(view_s), SANITIZE_LINE, 60);
			log_warn("list: no view '%s' (see: ombre -e view)", clean);
			free(clean);
			free(rest);
			return 1;
		}
		query = view_expand_query(v);
	}
	free(rest);
	if ((rc = cli_open(cli, STORE_READ_ONLY, &st)) != 0) {
		free(query);
		return rc;
	}
	if (store_query_convs(st, query, 0, (long)limit, &convs, &n, &cause) !=
	    STORE_OK) {
		log_warn("list: %s", cause);
		free(cause);
		free(query);
		store_close(st);
		return 1;
	}
	free(query);
	now = util_now();
	buf_init(&out);
	for (i = 0; i < n; i++) {
		if (json)
			cli_list_json(&out, convs[i]);
		else
			cli_list_row(&out, convs[i], now, cli_width());
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	store_convs_free(convs, n);
	store_close(st);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* Print one message of `show` in text. */
static void
cli_show_message(struct buf *b, const struct msg *m, char *day, size_t day_size)
{
	struct tm	 tm;
	time_t		 t = (time_t)m->date;
	char		 this_day[64], clock[16];
	const char	*line, *end;
	size_t		 i, len;

	localtime_r(&t, &tm);
	strftime(this_day, sizeof this_day, "%a %d %b %Y", &tm);
	if (strcmp(this_day, day) != 0) {
		buf_add_printf(b, "\n--- %s ---\n", this_day);
		snprintf(day, day_size, "%s", this_day);
	}
	strftime(clock, sizeof clock, "%H:%M", &tm);
	buf_add_printf(b, "\n%s  ", clock);
	sanitize_buf(b, m->from_name != NULL ? m->from_name : m->from_id,
	    strlen(m->from_name != NULL ? m->from_name : m->from_id),
	    SANITIZE_LINE, 64);
	buf_add_printf(b, " (%s)", m->kind == MSG_NOTE ? "internal note" :
	    msg_kind_name(m->kind));
	if (m->edit_of != NULL)
		buf_add_str(b, " [edited]");
	buf_add_char(b, '\n');
	line = m->text != NULL ? m->text : "";
	len = m->text_len;
	while (len > 0) {
		end = memchr(line, '\n', len);
		i = end != NULL ? (size_t)(end - line) : len;
		buf_add_str(b, "  ");
		sanitize_buf(b, line, i, SANITIZE_BODY, 0);
		buf_add_char(b, '\n');
		if (end == NULL)
			break;
		len -= i + 1;
		line = end + 1;
	}
	for (i = 0; i < m->n_attachments; i++) {
		const struct msg_attachment *a = &m->attachments[i];
		buf_add_str(b, "  [attachment] ");
		sanitize_buf(b, a->name != NULL ? a->name : "(unnamed)",
		    strlen(a->name != NULL ? a->name : "(unnamed)"),
		    SANITIZE_LINE, 80);
		if (a->mime != NULL) {
			buf_add_str(b, " ");
			sanitize_buf(b, a->mime, strlen(a->mime), SANITIZE_LINE, 40);
		}
		if (a->size >= 0)
			buf_add_printf(b, " %" PRId64 " bytes", a->size);
		if (a->local != NULL) {
			buf_add_str(b, " saved: ");
			sanitize_buf(b, a->local, strlen(a->local),
			    SANITIZE_LINE, 300);
		}
		buf_add_char(b, '\n');
	}
}

static int
cli_show_once(struct cli *cli, int argc, char **argv)
{
	int			 json = 0, n_rest, rc;
	char			**rest, *conv, *thread_id, *cause, *line, day[64] = "";
	struct store		*st;
	struct msg		**msgs;
	size_t			 n, i, j;
	struct buf		 out;
	char			 badge[3];
	const struct cli_opt	 opts[] = {
		{ "json", 0, 0, NULL, &json },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("show", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	if (n_rest == 0) {
		log_warn("usage: ombre show [--json] CONV");
		free(rest);
		return EXIT_USAGE;
	}
	conv = cli_join(rest, n_rest);
	free(rest);
	if ((rc = cli_open(cli, STORE_READ_ONLY, &st)) != 0) {
		free(conv);
		return rc;
	}
	if (store_resolve_conv(st, conv, &thread_id, &cause) != STORE_OK ||
	    store_thread_messages(st, thread_id, &msgs, &n, &cause) != STORE_OK) {
		char *clean = sanitize(cause, strlen(cause), SANITIZE_LINE, 200);
		log_warn("show: %s", clean);
		free(clean);
		free(cause);
		free(conv);
		store_close(st);
		return 1;
	}
	free(conv);
	buf_init(&out);
	if (json) {
		for (i = 0; i < n; i++) {
			line = json_msg_format(msgs[i]);
			buf_add_str(&out, line);
			buf_add_char(&out, '\n');
			free(line);
		}
	} else if (n > 0) {
		const char *short_id = thread_id;
		while (*short_id == '0' && short_id[1] != '\0')
			short_id++;
		channel_badge(msgs[0]->channel, badge);
		buf_add_printf(&out, "Conversation %s  %s  ", short_id, badge);
		sanitize_buf(&out, msgs[n - 1]->conv_title != NULL ?
		    msgs[n - 1]->conv_title : msgs[n - 1]->conv_id,
		    strlen(msgs[n - 1]->conv_title != NULL ?
		    msgs[n - 1]->conv_title : msgs[n - 1]->conv_id),
		    SANITIZE_LINE, 64);
		buf_add_str(&out, "\nTags:");
		for (j = 0; msgs[n - 1]->tags != NULL && msgs[n - 1]->tags[j] != NULL;
		    j++) {
			buf_add_char(&out, ' ');
			sanitize_buf(&out, msgs[n - 1]->tags[j],
			    strlen(msgs[n - 1]->tags[j]), SANITIZE_LINE, 64);
		}
		buf_add_char(&out, '\n');
		for (i = 0; i < n; i++)
			cli_show_message(&out, msgs[i], day, sizeof day);
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	free(thread_id);
	store_msgs_free(msgs, n);
	store_close(st);
	return fflush(stdout) == 0 ? 0 : 1;
}

int
cli_list(struct cli *cli, int argc, char **argv)
{
	return cli_list_once(cli, argc, argv);
}

int
cli_show(struct cli *cli, int argc, char **argv)
{
	return cli_show_once(cli, argc, argv);
}

int
cli_host_tag(void *data, const char *target, char **ops, int n_ops,
    char **cause)
{
	struct cli		*cli = data;
	struct store		*st;
	struct store_options	 opts;
	enum store_status	 rc;
	long			 changed;

	cli_store_options(cli, &opts);
	rc = store_open(&opts, STORE_READ_WRITE, &st, cause);
	if (rc != STORE_OK) {
		if (rc == STORE_LOCKED)
			cli->locked = 1;
		return -1;
	}
	rc = store_tag(st, target, ops, n_ops, &changed, cause);
	if (store_close(st) != STORE_OK && rc == STORE_OK) {
		*cause = xstrdup("closing the database failed");
		return -1;
	}
	if (rc != STORE_OK)
		return -1;
	if (cli->verbose)
		log_warn("tagged %ld conversation%s", changed, changed == 1 ? "" : "s");
	return 0;
}

int
cli_tag(struct cli *cli, int argc, char **argv)
{
	struct buf	 target;
	char		**ops, *cause, *clean;
	int		 n_ops = 0, i;

	ops = xcalloc((size_t)argc + 1, sizeof *ops);
	buf_init(&target);
	for (i = 0; i < argc; i++) {
		if ((argv[i][0] == '+' || argv[i][0] == '-') && argv[i][1] != '\0' &&
		    strcmp(argv[i], "--") != 0)
			ops[n_ops++] = argv[i];
		else if (strcmp(argv[i], "--") != 0) {
			if (target.len > 0)
				buf_add_char(&target, ' ');
			buf_add_str(&target, argv[i]);
		}
	}
	if (n_ops == 0 || target.len == 0) {
		log_warn("usage: ombre tag CONV|QUERY +TAG|-TAG...");
		free(ops);
		buf_free(&target);
		return EXIT_USAGE;
	}
	if (cli_host_tag(cli, target.data, ops, n_ops, &cause) != 0) {
		clean = sanitize(cause, strlen(cause), SANITIZE_LINE, 300);
		log_warn("tag: %s", clean);
		free(clean);
		i = cli->locked ? EXIT_TEMPFAIL : 1;
		free(cause);
		free(ops);
		buf_free(&target);
		return i;
	}
	free(ops);
	buf_free(&target);
	return 0;
}

int
cli_ingest(struct cli *cli, int argc, char **argv)
{
	const char		*format = "json";
	int			 verbose = cli->verbose, n_rest, rc;
	char			**rest, *line = NULL, *cause, *clean;
	size_t			 size = 0;
	ssize_t			 len;
	long			 lineno = 0, rejected = 0, batch_first = 0;
	int			 failed = 0;
	struct store		*st;
	struct msg		*m;
	struct store_ingest_stats stats;
	enum store_status	 status;
	const struct cli_opt	 opts[] = {
		{ "format", 0, 1, &format, NULL },
		{ "verbose", 'v', 0, NULL, &verbose },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("ingest", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest > 0) {
		log_warn("usage: ombre ingest [--format json] [-v] < FILE");
		return EXIT_USAGE;
	}
	if (strcmp(format, "json") != 0) {
		clean = sanitize(format, strlen(format), SANITIZE_LINE, 40);
		log_warn("ingest: unknown format '%s' (known: json)", clean);
		free(clean);
		return EXIT_USAGE;
	}
	if ((rc = cli_open(cli, STORE_READ_WRITE, &st)) != 0)
		return rc;
	rc = 0;
	while ((len = getline(&line, &size, stdin)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		m = json_msg_parse(line, (size_t)len, &cause);
		if (m == NULL) {
			log_warn("line %ld: %s", lineno, cause);
			free(cause);
			rejected++;
			continue;
		}
		if (store_pending_count(st) == 0)
			batch_first = lineno;
		status = store_ingest(st, m, &cause);
		if (store_status_cannot_write(status)) {
			/* The whole batch since the last flush is lost with
			 * it: say which lines, and read no further. */
			log_warn("ingest: %s: lines %ld to %ld were not stored; "
			    "stopped at line %ld", cause, batch_first, lineno,
			    lineno);
			free(cause);
			msg_free(m);
			rc = 1;
			failed = 1;
			break;
		} else if (status == STORE_DUPLICATE) {
			if (verbose) {
				clean = sanitize(m->id, strlen(m->id), SANITIZE_LINE, 80);
				log_warn("line %ld: duplicate of message %s, skipped",
				    lineno, clean);
				free(clean);
			}
		} else if (status != STORE_OK) {
			log_warn("line %ld: %s", lineno, cause);
			free(cause);
			rc = 1;
		}
		msg_free(m);
	}
	free(line);
	if (ferror(stdin)) {
		log_warn("ingest: reading: %s", strerror(errno));
		rc = 1;
	}
	if (!failed && store_pending_count(st) > 0 &&
	    store_flush(st, &cause) != STORE_OK) {
		log_warn("ingest: %s: lines %ld to %ld were not stored", cause,
		    batch_first, lineno);
		free(cause);
		rc = 1;
	}
	store_ingest_stats(st, &stats);
	if (store_close(st) != STORE_OK)
		rc = 1;
	if (verbose)
		log_warn("%ld stored, %ld duplicates, %ld rejected", stats.stored,
		    stats.duplicates, rejected);
	if (rejected > 0 && rc == 0)
		rc = 1;
	return rc;
}

/* Demo generation into a store: what the callbacks need. */
struct cli_demo_sink {
	struct store	*st;
	char		*last_msgid;
	int		 failed;
};

static int
cli_demo_store_msg(const struct msg *m, void *data)
{
	struct cli_demo_sink	*sink = data;
	enum store_status	 rc;
	char			*cause;

	rc = store_ingest(sink->st, m, &cause);
	if (rc != STORE_OK && rc != STORE_DUPLICATE) {
		log_warn("demo: %s", cause);
		free(cause);
		sink->failed = 1;
		return 1;
	}
	free(sink->last_msgid);
	sink->last_msgid = msgid_message(m->channel, m->account, m->conv_id, m->id);
	return 0;
}

static int
cli_demo_store_state(const struct demo_conv_state *s, void *data)
{
	struct cli_demo_sink	*sink = data;
	char			 value[32], *cause;

	if (s->snooze_until <= 0 || sink->last_msgid == NULL)
		return 0;
	snprintf(value, sizeof value, "%" PRId64, s->snooze_until);
	if (store_conv_set_property(sink->st, sink->last_msgid,
	    "ombre.snooze-until", value, &cause) != STORE_OK) {
		log_warn("demo: %s", cause);
		free(cause);
		sink->failed = 1;
		return 1;
	}
	return 0;
}

static int
cli_demo_print_msg(const struct msg *m, void *data)
{
	char	*line;

	line = json_msg_format(m);
	fputs(line, stdout);
	fputc('\n', stdout);
	free(line);
	return ferror(stdout) ? 1 : 0;
}

/* Generate demo data into a data dir. */
static int
cli_demo_into(const char *dir, const struct demo_params *params)
{
	struct store_options	 opts;
	struct cli_demo_sink	 sink = { NULL, NULL, 0 };
	char			*cause;

	memset(&opts, 0, sizeof opts);
	opts.data_dir = dir;
	opts.lock_timeout = (double)options_get_number("store.lock-timeout");
	opts.batch_messages = (int)options_get_number("store.batch-messages");
	opts.batch_ms = (int)options_get_number("store.batch-ms");
	opts.on_wait = cli_on_wait;
	if (store_open(&opts, STORE_READ_WRITE, &sink.st, &cause) != STORE_OK) {
		log_warn("demo: %s", cause);
		free(cause);
		return 1;
	}
	demo_generate(params, cli_demo_store_msg, cli_demo_store_state, &sink);
	if (store_flush(sink.st, &cause) != STORE_OK) {
		log_warn("demo: %s", cause);
		free(cause);
		sink.failed = 1;
	}
	if (store_close(sink.st) != STORE_OK)
		sink.failed = 1;
	free(sink.last_msgid);
	return sink.failed;
}

int
cli_demo(struct cli *cli, int argc, char **argv)
{
	const char		*seed_s = NULL, *convs_s = NULL, *per_s = NULL;
	const char		*out_s = NULL;
	char			**rest;
	int			 n_rest;
	long long		 v;
	struct demo_params	 params = { 1, 300, 0, 0 };
	const struct cli_opt	 opts[] = {
		{ "seed", 0, 1, &seed_s, NULL },
		{ "conversations", 0, 1, &convs_s, NULL },
		{ "messages-per-conversation", 0, 1, &per_s, NULL },
		{ "out", 0, 1, &out_s, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("demo", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest > 0) {
		log_warn("usage: ombre demo [--seed N] [--conversations N] "
		    "[--messages-per-conversation N] [--out DIR]");
		return EXIT_USAGE;
	}
	if (seed_s != NULL) {
		if ((v = cli_number(seed_s)) < 0) {
			log_warn("demo: --seed takes a number");
			return EXIT_USAGE;
		}
		params.seed = (uint64_t)v;
	}
	if (convs_s != NULL) {
		if ((v = cli_number(convs_s)) <= 0 || v > 100000000) {
			log_warn("demo: --conversations takes a number from 1");
			return EXIT_USAGE;
		}
		params.conversations = (long)v;
	}
	if (per_s != NULL) {
		if ((v = cli_number(per_s)) <= 0 || v > 100000) {
			log_warn("demo: --messages-per-conversation takes a number "
			    "from 1");
			return EXIT_USAGE;
		}
		params.messages_per_conversation = (int)v;
	}
	params.now = util_now();
	if (out_s != NULL) {
		char cwd[4096], *dir;

		if (out_s[0] != '/' && getcwd(cwd, sizeof cwd) != NULL)
			dir = xasprintf("%s/%s", cwd, out_s);
		else
			dir = xstrdup(out_s);
		v = cli_demo_into(dir, &params);
		free(dir);
		return (int)v;
	}
	if (demo_generate(&params, cli_demo_print_msg, NULL, NULL) != 0 ||
	    fflush(stdout) != 0) {
		log_warn("demo: writing: %s", strerror(errno));
		return 1;
	}
	return 0;
}

static int
cli_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

/*
 * The demo store lives in the cache and is made again when the day (or
 * OMBRE_NOW) changes, so ages on the screen stay believable. It is built
 * in a temporary dir and renamed into place: two starts never see half.
 */
int
cli_demo_prepare(struct cli *cli)
{
	struct demo_params	 params = { 1, 300, 0, 0 };
	char			*stamp_path, *tmp, *old, want[128], have[128] = "";
	const char		*fixed;
	FILE			*f;
	int			 rc;

	params.now = util_now();
	fixed = getenv("OMBRE_NOW");
	snprintf(want, sizeof want, "demo v1 seed 1 conversations 300 %s %lld\n",
	    fixed != NULL ? "now" : "day", fixed != NULL ?
	    (long long)params.now : (long long)(params.now / 86400));
	stamp_path = xasprintf("%s/demo.stamp", cli->data_dir);
	if ((f = fopen(stamp_path, "r")) != NULL) {
		if (fgets(have, sizeof have, f) == NULL)
			have[0] = '\0';
		fclose(f);
	}
	free(stamp_path);
	if (strcmp(have, want) == 0)
		return 0;

	if (isatty(STDERR_FILENO))
		log_warn("building the demo conversations (a few seconds)...");
	tmp = xasprintf("%s.new.%ld", cli->data_dir, (long)getpid());
	old = xasprintf("%s.old.%ld", cli->data_dir, (long)getpid());
	nftw(tmp, cli_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	rc = cli_demo_into(tmp, &params);
	if (rc == 0) {
		stamp_path = xasprintf("%s/demo.stamp", tmp);
		if ((f = fopen(stamp_path, "w")) == NULL ||
		    fputs(want, f) == EOF || fclose(f) != 0)
			rc = 1;
		free(stamp_path);
	}
	if (rc == 0) {
		if (rename(cli->data_dir, old) == 0)
			nftw(old, cli_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		if (rename(tmp, cli->data_dir) != 0) {
			log_warn("demo: %s: %s", cli->data_dir, strerror(errno));
			rc = 1;
		}
	}
	if (rc != 0)
		nftw(tmp, cli_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(tmp);
	free(old);
	return rc == 0 ? 0 : -1;
}

/*
 * The demo traffic (a child of the console, in the role the syncer will
 * have for real channels): the next simulated message, after its pause,
 * stored with a short read-write session. It ends with the console (or
 * when its parent is gone) and never writes to the terminal.
 */
static void
cli_demo_traffic(struct cli *cli)
{
	struct chan_demo	*d;
	struct store_options	 opts;
	struct store		*st;
	struct msg		*m;
	struct timespec		 ts;
	int64_t			 wait;
	pid_t			 parent = getppid();
	char			*cause;
	int			 null;

	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	if ((null = open("/dev/null", O_RDWR)) != -1) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		close(null);
	}
	cli_store_options(cli, &opts);
	opts.on_wait = NULL;
	d = chan_demo_new(42);
	for (;;) {
		m = chan_demo_next(d, util_now(), &wait);
		ts.tv_sec = (time_t)(wait / 1000);
		ts.tv_nsec = (long)(wait % 1000) * 1000000L;
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			;
		if (getppid() != parent)
			break;
		if (store_open(&opts, STORE_READ_WRITE, &st, &cause) == STORE_OK) {
			if (store_ingest(st, m, &cause) != STORE_OK &&
			    cause != NULL)
				free(cause);
			store_close(st);
		} else
			free(cause);
		msg_free(m);
	}
	_exit(0);
}

#ifdef OMBRE_SYNC
/* The exit status of the syncer's status (only ombre-sync runs it). */
static int
cli_sync_exit(enum sync_status status)
{
	switch (status) {
	case SYNC_OK:
		return 0;
	case SYNC_LOCKED:
		return EXIT_TEMPFAIL;
	default:
		return 1;
	}
}
#endif

/*
 * The console's syncer, run in its child (ui-sync.c). In ombre-sync it is
 * sync_run; ombre links no network and execs ombre-sync instead, with its
 * own global options (the same config, so so is not passed on).
 */
static int
cli_console_syncer(void *so)
{
#ifdef OMBRE_SYNC
	return cli_sync_exit(sync_run(so));
#else
	(void)so;
	return sync_exec_console();
#endif
}

/*
 * The console on the Inbox view: `ombre` on a terminal. (When stdout is not
 * a terminal, `ombre` is `ombre list`.)
 */
int
cli_console(struct cli *cli, int argc, char **argv)
{
	struct ui_options	 opts;
	struct sync_options	 so;
	const struct view	*v;
	char			*query;
	int			 rc;
	pid_t			 traffic;

	(void)argc;
	(void)argv;
	memset(&opts, 0, sizeof opts);
	cli_store_options(cli, &opts.store);
	opts.store.on_wait = NULL;	/* the console never waits: read-only */
	v = view_find("Inbox");
	query = v != NULL ? view_expand_query(v) : xstrdup("tag:inbox");
	opts.view_name = "Inbox";
	opts.query = query;
	/* The demo store never syncs: its traffic is simulated. */
	if (!cli->demo && sync_has_channels()) {
		cli_sync_options(cli, &so);
		so.store.on_wait = NULL;
		opts.run_syncer = cli_console_syncer;
		opts.syncer_arg = &so;
	}
	/* The demo inbox lives: a child plays simulated traffic into it. */
	traffic = -1;
	if (cli->demo && !cli->no_traffic && isatty(STDOUT_FILENO)) {
		fflush(stdout);
		fflush(stderr);
		if ((traffic = fork()) == 0)
			cli_demo_traffic(cli);
	}
	rc = ui_run(&opts);
	if (traffic > 0) {
		kill(traffic, SIGTERM);
		while (waitpid(traffic, NULL, 0) == -1 && errno == EINTR)
			;
	}
	free(query);
	return rc;
}

/* The syncer's options from the option table. */
void
cli_sync_options(struct cli *cli, struct sync_options *so)
{
	memset(so, 0, sizeof *so);
	cli_store_options(cli, &so->store);
	so->chan.net.connect_timeout_ms =
	    options_get_number("net.connect-timeout");
	so->chan.net.low_speed_ms = options_get_number("net.low-speed-time");
	so->chan.net.max_response =
	    (size_t)options_get_number("net.max-response");
	so->chan.net.ca_file = *options_get("net.ca-file") != '\0' ?
	    options_get("net.ca-file") : NULL;
	so->chan.net.user_agent = "ombre/" PACKAGE_VERSION;
	so->chan.poll_timeout_s = options_get_number("sync.poll-timeout");
	so->chan.retry_base_ms = options_get_number("sync.retry-base");
	so->chan.retry_cap_ms = options_get_number("sync.retry-cap");
	so->chan.attempts = (int)options_get_number("sync.attempts");
	so->chan.max_wait_ms = options_get_number("sync.max-wait") * 1000;
}

/*
 * ombre sync [--once] [--status] [--quarantine] [--channel NAME]: the
 * syncer, headless (src/sync; run by ombre-sync, which ombre execs).
 * --status only reads what the running or last syncer wrote; --quarantine
 * lists what the channels sent that could not be taken.
 */
int
cli_sync(struct cli *cli, int argc, char **argv)
{
	struct sync_options	 so;
	const char		*only = NULL;
	char			**rest;
	int			 once = 0, status = 0, quarantine = 0;
	int			 n_rest;
	const struct cli_opt	 opts[] = {
		{ "once", 0, 0, NULL, &once },
		{ "status", 0, 0, NULL, &status },
		{ "quarantine", 0, 0, NULL, &quarantine },
		{ "channel", 0, 1, &only, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("sync", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest > 0) {
		log_warn("sync: unexpected argument (see ombre --help)");
		return EXIT_USAGE;
	}
	if (status)
		return sync_status_print(cli->data_dir, stdout) == 0 ? 0 : 1;
	if (quarantine) {
		sync_quarantine_print(cli->data_dir, stdout);
		return 0;
	}
	cli_sync_options(cli, &so);
	so.only = only;
	so.chan.once = once;
#ifdef OMBRE_SYNC
	return cli_sync_exit(sync_run(&so));
#else
	/* Not reached: ombre hands `sync` to ombre-sync first (main.c). */
	return sync_exec_console();
#endif
}

/*
 * ombre reply CONV [--note] [--base ID [--force]] [--text T | --template
 * NAME]: a reply into the outbox (the syncer delivers it) or an internal
 * note, through the
 * same checks as the console's composer: the channel's limit and reply
 * window (exit 1 with the reason), and with --base the double-answer
 * guard (exit 3 with what changed since ID, unless --force).
 */
int
cli_reply(struct cli *cli, int argc, char **argv)
{
	struct store		*st;
	struct store_reply	 r;
	struct buf		 text;
	enum store_status	 status;
	const char		*text_opt = NULL, *base = NULL, *tname = NULL;
	struct store_reply_context *ctx = NULL;
	struct template		*t = NULL;
	struct template_vars	 v;
	char			**rest, *cause = NULL, *changes = NULL, *id = NULL;
	char			*base_copy = NULL, *rendered, chunk[4096];
	size_t			 got;
	int			 n_rest, rc, note = 0, force = 0;
	const struct cli_opt	 opts[] = {
		{ "text", 0, 1, &text_opt, NULL },
		{ "note", 0, 0, NULL, &note },
		{ "base", 0, 1, &base, NULL },
		{ "force", 0, 0, NULL, &force },
		{ "template", 0, 1, &tname, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};
	if (cli_parse_args("reply", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	if (n_rest != 1 || (tname != NULL && (text_opt != NULL || note))) {
		log_warn("usage: ombre reply CONV [--note] [--base ID [--force]] "
		    "[--text TEXT | --template NAME] (else the text on standard "
		    "input)");
		free(rest);
		return EXIT_USAGE;
	}
	buf_init(&text);
	if (tname != NULL) {
		if ((t = template_load(tname, &cause)) == NULL) {
			log_warn("reply: %s: nothing stored", cause);
			free(cause);
			free(rest);
			return 1;
		}
		/* Its text is rendered once the conversation is known. */
	} else {
		if (text_opt != NULL)
			buf_add_str(&text, text_opt);
		else {
			while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0)
				buf_add(&text, chunk, got);
			while (text.len > 0 && text.data[text.len - 1] == '\n')
				text.data[--text.len] = '\0';
		}
		if (text.len == 0 || !utf8_valid(text.data, text.len, NULL) ||
		    memchr(text.data, '\0', text.len) != NULL) {
			log_warn("reply: the text is empty or not UTF-8: nothing "
			    "stored");
			buf_free(&text);
			free(rest);
			return EXIT_USAGE;
		}
	}
	if ((rc = cli_open(cli, STORE_READ_WRITE, &st)) != 0) {
		template_free(t);
		buf_free(&text);
		free(rest);
		return rc;
	}
	if (t != NULL) {
		/* The template's variables need the conversation. */
		if (store_reply_context(st, rest[0], &ctx, &cause) != STORE_OK) {
			log_warn("reply: %s: nothing stored", cause);
			rc = 1;
			goto out;
		}
		if (!template_allows(t, ctx->channel)) {
			log_warn("reply: template %s is not for %s (channels: "
			    "%s): nothing stored", t->name, ctx->channel,
			    t->channels);
			rc = 1;
			goto out;
		}
		v.customer_name = ctx->customer_name;
		v.agent_name = core_agent_name();
		v.channel = ctx->channel;
		if ((rendered = template_render(t, &v, &cause)) == NULL) {
			log_warn("reply: %s: nothing stored", cause);
			rc = 1;
			goto out;
		}
		buf_add_str(&text, rendered);
		free(rendered);
	}
	if (base != NULL && base[0] == '<' && base[strlen(base) - 1] == '>')
		base = base_copy = xstrndup(base + 1, strlen(base) - 2);
	memset(&r, 0, sizeof r);
	r.conv = rest[0];
	r.approved = t != NULL ? t->approved : NULL;
	r.text = text.data;
	r.text_len = text.len;
	r.note = note;
	r.base = base;
	r.force = force;
	r.now = util_now();
	status = store_reply_add(st, &r, &id, &changes, &cause);
	switch (status) {
	case STORE_OK:
		printf("%s %s\n", id, note ? "noted" : "queued");
		rc = 0;
		break;
	case STORE_HELD:
		log_warn("reply: held, the conversation moved since %s:\n%s\n"
		    "(--force sends it anyway)", base, changes);
		rc = 3;
		break;
	default:
		log_warn("reply: %s: nothing stored", cause != NULL ? cause :
		    store_status_str(status));
		rc = 1;
		break;
	}
out:
	if (store_close(st) != STORE_OK && rc == 0) {
		log_warn("reply: closing the database failed");
		rc = 1;
	}
	store_reply_context_free(ctx);
	template_free(t);
	free(base_copy);
	free(id);
	free(changes);
	free(cause);
	buf_free(&text);
	free(rest);
	return rc;
}

/*
 * ombre fetch CONV: ask the syncer for the conversation's attachments not
 * fetched yet; they land in DATA/attachments (see show).
 */
int
cli_fetch(struct cli *cli, int argc, char **argv)
{
	struct store	 *st;
	struct msg	**msgs = NULL;
	char		 *tid = NULL, *cause = NULL;
	size_t		  n = 0;
	int		  rc, asked = 0;

	if (argc != 1) {
		log_warn("usage: ombre fetch CONV");
		return EXIT_USAGE;
	}
	if ((rc = cli_open(cli, STORE_READ_ONLY, &st)) != 0)
		return rc;
	rc = 1;
	if (store_resolve_conv(st, argv[0], &tid, &cause) != STORE_OK ||
	    store_thread_messages(st, tid, &msgs, &n, &cause) != STORE_OK) {
		log_warn("fetch: %s", cause != NULL ? cause : "?");
		goto out;
	}
	rc = 0;
	if (sync_fetch_messages(cli->data_dir, msgs, n, &asked, &cause) != 0) {
		log_warn("fetch: %s", cause);
		rc = 1;
	}
	printf("%d attachment%s asked for: the syncer fetches %s into %s/"
	    "attachments\n", asked, asked == 1 ? "" : "s", asked == 1 ? "it" :
	    "them", cli->data_dir);
out:
	store_msgs_free(msgs, n);
	store_close(st);
	free(tid);
	free(cause);
	return rc;
}

/*
 * ombre outbox resend|mark-sent|discard ID: the agent's decision on a
 * reply whose delivery is unknown (it may have gone out) or that failed.
 */
static int
cli_outbox_decide(struct cli *cli, const char *verb, const char *id)
{
	struct store			*st;
	enum store_outbox_action	 action;
	char				*msgid, *cause = NULL;
	int				 rc;

	if (strcmp(verb, "resend") == 0)
		action = STORE_OUTBOX_RESEND;
	else if (strcmp(verb, "mark-sent") == 0)
		action = STORE_OUTBOX_MARK_SENT;
	else if (strcmp(verb, "discard") == 0)
		action = STORE_OUTBOX_DISCARD;
	else {
		log_warn("usage: ombre outbox [resend|mark-sent|discard ID]");
		return EXIT_USAGE;
	}
	if (!msgid_is_outbound(id) && !(strncmp(id, "out.", 4) == 0 &&
	    strlen(id) == 46 && strcmp(id + 40, "@ombre") == 0)) {
		log_warn("outbox: %s is not a reply's id (out.<uuid>, as "
		    "ombre outbox prints it)", msgid_is_outbound(id) ? id :
		    "the argument");
		return EXIT_USAGE;
	}
	if ((rc = cli_open(cli, STORE_READ_WRITE, &st)) != 0)
		return rc;
	msgid = strchr(id, '@') != NULL ? xstrdup(id) :
	    xasprintf("%s@ombre", id);
	rc = 0;
	if (store_outbox_decide(st, msgid, action, &cause) != STORE_OK) {
		log_warn("outbox: %s: %s", verb, cause);
		rc = 1;
	} else
		printf("%.40s %s\n", id, action == STORE_OUTBOX_RESEND ?
		    "queued again" : action == STORE_OUTBOX_MARK_SENT ?
		    "marked sent" : "discarded");
	if (store_close(st) != STORE_OK && rc == 0)
		rc = 1;
	free(msgid);
	free(cause);
	return rc;
}

/*
 * ombre outbox: the replies not delivered yet (queued, sending, unknown)
 * and those refused (failed), oldest first, one a line.
 */
int
cli_outbox(struct cli *cli, int argc, char **argv)
{
	struct store		 *st;
	struct store_outgoing	**list = NULL;
	struct buf		  b;
	char			 *cause = NULL, when[32];
	size_t			  n = 0, i;
	int			  rc;

	if (argc == 2)
		return cli_outbox_decide(cli, argv[0], argv[1]);
	if (argc != 0) {
		log_warn("usage: ombre outbox [resend|mark-sent|discard ID]");
		return EXIT_USAGE;
	}
	if ((rc = cli_open(cli, STORE_READ_ONLY, &st)) != 0)
		return rc;
	if (store_outbox_list(st, 1, &list, &n, &cause) != STORE_OK) {
		log_warn("outbox: %s", cause);
		free(cause);
		store_close(st);
		return 1;
	}
	buf_init(&b);
	for (i = 0; i < n; i++) {
		util_format_rfc3339(list[i]->date, 0, when, sizeof when);
		buf_reset(&b);
		buf_add_printf(&b, "%-8s %s %s ", list[i]->state, when,
		    list[i]->native_id);
		sanitize_buf(&b, list[i]->channel, strlen(list[i]->channel),
		    SANITIZE_LINE, 20);
		buf_add_char(&b, ' ');
		sanitize_buf(&b, list[i]->conv_id, strlen(list[i]->conv_id),
		    SANITIZE_LINE, 40);
		buf_add_str(&b, "  ");
		sanitize_buf(&b, list[i]->text, strlen(list[i]->text),
		    SANITIZE_LINE, 60);
		if (list[i]->error != NULL) {
			buf_add_str(&b, "  (");
			sanitize_buf(&b, list[i]->error, strlen(list[i]->error),
			    SANITIZE_LINE, 120);
			buf_add_char(&b, ')');
		}
		printf("%s\n", b.data);
		store_outgoing_free(list[i]);
	}
	buf_free(&b);
	free(list);
	store_close(st);
	return 0;
}

/* One finding of `ombre doctor`: "ok: ...", "problem: ..." on stdout. */
static void
cli_doctor_say(enum store_doctor_level level, const char *text, void *data)
{
	static const char *const	 names[] = {
		[STORE_DOCTOR_OK] = "ok",
		[STORE_DOCTOR_NOTE] = "note",
		[STORE_DOCTOR_PROBLEM] = "problem",
		[STORE_DOCTOR_FIXED] = "fixed",
	};
	char				*clean;

	(void)data;
	clean = sanitize(text, strlen(text), SANITIZE_LINE, 0);
	printf("%s: %s\n", names[level], clean);
	fflush(stdout);
	free(clean);
}

/*
 * ombre doctor [--fix] [--dump]: check the data dir (exit 1 when a
 * problem is left), repair it with --fix (a damaged index rebuilt from the
 * Maildir, the newest dump restored), or take a dump of the tags by hand.
 */
int
cli_doctor(struct cli *cli, int argc, char **argv)
{
	struct store_options	 opts;
	struct store		*st;
	char			**rest, *cause, *path;
	int			 fix = 0, dump = 0, n_rest, rc;
	const struct cli_opt	 options[] = {
		{ "fix", 0, 0, NULL, &fix },
		{ "dump", 0, 0, NULL, &dump },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("doctor", options, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest > 0 || (fix && dump)) {
		log_warn("usage: ombre doctor [--fix | --dump]");
		return EXIT_USAGE;
	}
	if (dump) {
		if ((rc = cli_open(cli, STORE_READ_ONLY, &st)) != 0)
			return rc;
		if (store_dump_take(st, &path, &cause) != STORE_OK) {
			log_warn("%s", cause);
			free(cause);
			store_close(st);
			return 1;
		}
		store_close(st);
		printf("%s\n", path);
		free(path);
		return 0;
	}
	cli_store_options(cli, &opts);
	return store_doctor(&opts, fix, cli_doctor_say, NULL) == 0 ? 0 : 1;
}
