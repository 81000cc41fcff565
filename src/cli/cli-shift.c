/*
 * cli-shift.c: ombre shift start|end|status (issue 15). start: what
 * changed since my last shift as one screen (core's summary, shift.c),
 * then a shift-start event in each of my open conversations and me
 * available; end: my open conversations listed, handed over to an
 * agent, a team or the queue, or kept, with a handover note in each,
 * and me away; status: who is available or away, since when.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_SHIFT_USAGE \
	N_("usage: ombre shift start [--agent NAME] [--json]\n" \
	"       ombre shift end [--agent NAME] " \
	"[--to NAME|team:NAME|queue|keep] [--note TEXT] [--force]\n" \
	"       ombre shift status [--json]")

/* Without an earlier shift: the last day. */
#define CLI_SHIFT_DEFAULT	(24 * 3600)

static void
cli_shift_warn(const char *cause)
{
	char	*clean;

	clean = sanitize(cause, strlen(cause), SANITIZE_LINE, 300);
	log_warn("shift: %s", clean);
	free(clean);
}

static int
cli_shift_exit(enum store_status status)
{
	return status == STORE_LOCKED ? EXIT_TEMPFAIL : 1;
}

/* The agent of --agent or the config, a name a tag can carry. */
static const char *
cli_shift_agent(const char *opt)
{
	enum shift_target	 kind;
	const char		*agent, *name;

	agent = opt != NULL ? opt : core_agent_name();
	if (shift_parse_target(agent, &kind, &name) != 0 ||
	    kind != SHIFT_TO_AGENT) {
		log_warn(_("shift: the agent's name must be a valid tag name "
		    "without '/'"));
		return NULL;
	}
	return agent;
}

/*
 * Since when a starting shift looks: my latest shift end, else my latest
 * shift start (the file, else the newest shift-start event), else a day.
 */
static enum store_status
cli_shift_since(struct store *st, struct cli *cli, const char *agent,
    int64_t now, int64_t *since, const char **what, char **cause)
{
	struct shift_avail	a;
	enum store_status	rc;
	int64_t			event;

	store_agent_read(cli->data_dir, agent, &a);
	if (a.ended > 0) {
		*since = a.ended;
		*what = N_("your last shift end");
		return STORE_OK;
	}
	if ((rc = store_report_shift_start(st, agent, &event, cause)) !=
	    STORE_OK)
		return rc;
	if (a.started > event)
		event = a.started;
	if (event > 0) {
		*since = event;
		*what = N_("your last shift start");
	} else {
		*since = now - CLI_SHIFT_DEFAULT;
		*what = N_("no shift before: the last 24 hours");
	}
	return STORE_OK;
}

static void
cli_shift_json(const char *agent, int64_t since, const char *what,
    const struct shift_row *rows, size_t n)
{
	struct json_obj	*o, *r;
	char		 date[64], *json;
	size_t		 i;
	int		 s;

	o = json_obj_new();
	json_obj_set_str(o, "agent", agent);
	util_format_rfc3339(since, 0, date, sizeof date);
	json_obj_set_str(o, "since", date);
	json_obj_set_str(o, "since_what", what);
	for (s = 0; s < SHIFT_NSECTIONS; s++)
		json_obj_set_strv(o, shift_section_key(s), NULL, 0);
	for (i = 0; i < n; i++) {
		r = json_obj_new();
		json_obj_set_str(r, "id", rows[i].id);
		json_obj_set_str(r, "thread", rows[i].thread_id);
		json_obj_set_str(r, "channel", rows[i].channel);
		json_obj_set_str(r, "who", rows[i].who);
		if (rows[i].when > 0) {
			util_format_rfc3339(rows[i].when, 0, date, sizeof date);
			json_obj_set_str(r, "date", date);
		} else
			json_obj_set_str(r, "date", NULL);
		json_obj_set_str(r, "text", rows[i].text);
		json_obj_append_obj(o, shift_section_key(rows[i].section), r);
	}
	json = json_obj_finish(o);
	printf("%s\n", json);
	free(json);
}

/*
 * A shift subcommand's options and no other argument: -1 to go on, else
 * the exit status (EXIT_USAGE for a mistake; cli_parse_args answers
 * --help).
 */
static int
cli_shift_args(const char *name, const struct cli_opt *opts, int argc,
    char **argv)
{
	char	**rest;
	int	  n_rest;

	if (cli_parse_args(name, opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest != 0) {
		log_warn("%s", _(CLI_SHIFT_USAGE));
		return EXIT_USAGE;
	}
	return -1;
}

static int
cli_shift_start(struct cli *cli, int argc, char **argv)
{
	struct store		 *st;
	struct shift_row	 *rows = NULL;
	enum store_status	  status;
	const char		 *agent_opt = NULL, *agent, *what;
	char			**lines = NULL, *cause = NULL;
	char			  when[64];
	size_t			  n = 0, n_lines = 0, n_events, i;
	int64_t			  now, since;
	int			  json = 0, rc;
	const struct cli_opt	  opts[] = {
		{ "agent", 0, 1, &agent_opt, NULL },
		{ "json", 0, 0, NULL, &json },
		{ NULL, 0, 0, NULL, NULL }
	};

	if ((rc = cli_shift_args("shift start", opts, argc, argv)) >= 0)
		return rc;
	if ((agent = cli_shift_agent(agent_opt)) == NULL)
		return EXIT_USAGE;
	if ((rc = cli_open(cli, STORE_READ_WRITE, &st)) != 0)
		return rc;
	now = util_now();
	/* The summary first: what the shift-start itself writes is mine,
	 * never news. */
	status = cli_shift_since(st, cli, agent, now, &since, &what, &cause);
	if (status == STORE_OK)
		status = store_shift_summary(st, agent, since, now, &rows, &n,
		    &cause);
	if (status == STORE_OK)
		status = store_shift_start(st, agent, now, &n_events, &cause);
	if (status != STORE_OK) {
		cli_shift_warn(cause != NULL ? cause :
		    store_status_str(status));
		rc = cli_shift_exit(status);
		goto out;
	}
	if (json)
		cli_shift_json(agent, since, what, rows, n);
	else {
		shift_summary_lines(agent, since, _(what), rows, n, now,
		    &lines, &n_lines);
		for (i = 0; i < n_lines; i++)
			printf("%s\n", lines[i]);
		shift_format_when(now, now, when, sizeof when);
		printf(_("%s is available since %s\n"), agent, when);
	}
	rc = 0;
out:
	if (store_close(st) != STORE_OK && rc == 0) {
		log_warn(_("shift: closing the database failed"));
		rc = 1;
	}
	for (i = 0; i < n_lines; i++)
		free(lines[i]);
	free(lines);
	store_shift_rows_free(rows, n);
	free(cause);
	if (rc == 0 && fflush(stdout) != 0)
		rc = 1;
	return rc;
}

/* One open conversation: id, badge, customer, snippet. */
static void
cli_shift_conv(struct buf *b, const struct store_conv *c, int width)
{
	char	badge[3];
	size_t	start = b->len, used;

	channel_badge(c->channel != NULL ? c->channel : "", badge);
	buf_add_printf(b, "  %6s %s ", c->short_id, badge);
	cli_add_cell(b, c->customer_name != NULL ? c->customer_name : "", 18);
	buf_add_char(b, ' ');
	used = utf8_width(b->data + start, b->len - start);
	if (c->snippet != NULL && (width == 0 || (int)used + 4 < width))
		sanitize_buf(b, c->snippet, strlen(c->snippet), SANITIZE_LINE,
		    width == 0 ? 0 : (size_t)width - used);
	while (b->len > start && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	buf_add_char(b, '\n');
}

static int
cli_shift_end(struct cli *cli, int argc, char **argv)
{
	struct store		 *st;
	struct store_conv	**convs = NULL;
	enum store_status	  status;
	enum shift_target	  kind = SHIFT_KEEP;
	struct buf		  out;
	const char		 *agent_opt = NULL, *agent, *to = NULL;
	const char		 *note = NULL, *name = NULL;
	char			 *cause = NULL, *text;
	size_t			  n = 0, i;
	int64_t			  now;
	int			  force = 0, rc;
	const struct cli_opt	  opts[] = {
		{ "agent", 0, 1, &agent_opt, NULL },
		{ "to", 0, 1, &to, NULL },
		{ "note", 0, 1, &note, NULL },
		{ "force", 0, 0, NULL, &force },
		{ NULL, 0, 0, NULL, NULL }
	};

	if ((rc = cli_shift_args("shift end", opts, argc, argv)) >= 0)
		return rc;
	if ((agent = cli_shift_agent(agent_opt)) == NULL)
		return EXIT_USAGE;
	if (to != NULL && shift_parse_target(to, &kind, &name) != 0) {
		log_warn(_("shift end: --to takes NAME, team:NAME, queue or "
		    "keep"));
		return EXIT_USAGE;
	}
	if (note != NULL && strpbrk(note, "\r\n") != NULL) {
		log_warn(_("shift end: the note is one line"));
		return EXIT_USAGE;
	}
	if ((rc = cli_open(cli, STORE_READ_WRITE, &st)) != 0)
		return rc;
	now = util_now();
	if ((status = store_shift_mine(st, agent, &convs, &n, &cause)) !=
	    STORE_OK)
		goto fail;
	buf_init(&out);
	buf_add_printf(&out, _("Open conversations: %zu\n"), n);
	for (i = 0; i < n; i++)
		cli_shift_conv(&out, convs[i], cli_width());
	fwrite(out.data, 1, out.len, stdout);
	fflush(stdout);		/* before what stderr says of it */
	buf_free(&out);
	/* Nothing falls between two shifts: where they go is said. */
	if (n > 0 && to == NULL) {
		log_warn(_("shift end: say where they go: --to NAME, "
		    "--to team:NAME, --to queue or --to keep"));
		rc = EXIT_USAGE;
		goto out;
	}
	if (n > 0) {
		status = store_shift_handover(st, agent, convs, n, kind, name,
		    note, force, now, &cause);
		if (status != STORE_OK)
			goto fail;
		text = shift_handover_text(agent, now, kind, name, note);
		printf("%s (%zu)\n", text, n);
		free(text);
	}
	if ((status = store_shift_end(st, agent, now, &cause)) != STORE_OK)
		goto fail;
	text = shift_away_text(agent, now, now);
	printf("%s\n", text);
	free(text);
	rc = 0;
	goto out;
fail:
	cli_shift_warn(cause != NULL ? cause : store_status_str(status));
	rc = cli_shift_exit(status);
out:
	if (store_close(st) != STORE_OK && rc == 0) {
		log_warn(_("shift: closing the database failed"));
		rc = 1;
	}
	store_convs_free(convs, n);
	free(cause);
	if (rc == 0 && fflush(stdout) != 0)
		rc = 1;
	return rc;
}

static int
cli_shift_status(struct cli *cli, int argc, char **argv)
{
	struct store_agent	 *agents;
	struct json_obj		 *o;
	struct buf		  out;
	char			  when[64], date[64], *json;
	size_t			  n, i;
	int64_t			  now = util_now();
	int			  json_out = 0, rc;
	const struct cli_opt	  opts[] = {
		{ "json", 0, 0, NULL, &json_out },
		{ NULL, 0, 0, NULL, NULL }
	};

	if ((rc = cli_shift_args("shift status", opts, argc, argv)) >= 0)
		return rc;
	n = store_agents_list(cli->data_dir, &agents);
	buf_init(&out);
	for (i = 0; i < n; i++) {
		const struct shift_avail *a = &agents[i].avail;

		if (json_out) {
			o = json_obj_new();
			json_obj_set_str(o, "agent", agents[i].name);
			json_obj_set_str(o, "state", a->away ? "away" :
			    "available");
			util_format_rfc3339(a->since, 0, date, sizeof date);
			json_obj_set_str(o, "since", date);
			json = json_obj_finish(o);
			buf_add_printf(&out, "%s\n", json);
			free(json);
			continue;
		}
		cli_add_cell(&out, agents[i].name, 16);
		shift_format_when(a->since, now, when, sizeof when);
		buf_add_printf(&out, _(" %s since %s%s\n"), a->away ? _("away") :
		    _("available"), when, a->away ? _(" (shift ended)") : "");
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	store_agents_free(agents, n);
	return fflush(stdout) == 0 ? 0 : 1;
}

int
cli_shift(struct cli *cli, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "start") == 0)
		return cli_shift_start(cli, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "end") == 0)
		return cli_shift_end(cli, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "status") == 0)
		return cli_shift_status(cli, argc - 1, argv + 1);
	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0))
		return cli_help_print("shift");
	log_warn("%s", _(CLI_SHIFT_USAGE));
	return EXIT_USAGE;
}
