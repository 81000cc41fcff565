/*
 * cli-list.c: ombre list, the conversations of a view or a query as
 * aligned rows (sanitised, cut to the terminal's width, else $COLUMNS,
 * else 80 columns) or JSON lines.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The conversation's mode: bot, needs human, or the agent who has it. */
static char *
cli_conv_mode(const struct store_conv *c)
{
	switch (triage_mode(c->tags, c->n_tags)) {
	case TRIAGE_MODE_HUMAN:
		return xasprintf("@%s", triage_assignee(c->tags, c->n_tags));
	case TRIAGE_MODE_HANDOFF:
		return xstrdup(_("needs human"));
	case TRIAGE_MODE_BOT:
		return xstrdup(_("bot"));
	case TRIAGE_MODE_NONE:
		break;
	}
	return xstrdup("");
}

/* An e-mail's subject, sanitised, then " - " before its snippet: at most
 * half of the rest of the row (rest 0: no width, the whole subject). */
static void
cli_list_subject(struct buf *b, const struct store_conv *c, int rest)
{
	if (c->subject == NULL || *c->subject == '\0' ||
	    (rest != 0 && rest < 12))
		return;
	sanitize_buf(b, c->subject, strlen(c->subject), SANITIZE_LINE,
	    rest == 0 ? 0 : (size_t)rest / 2);
	buf_add_str(b, " - ");
}

/*
 * A snippet on one line: line breaks, tabs and every other control
 * character as spaces, runs of them folded, so that a row never shows
 * "^J" (of an escape sequence, what follows ESC is left as plain text,
 * which the sanitiser makes safe). Allocated.
 */
static char *
cli_list_snippet(const char *text)
{
	char	*out, *o;
	int	 space = 0;

	o = out = xmalloc(strlen(text) + 1);
	for (; *text != '\0'; text++) {
		if ((unsigned char)*text < 0x20 || *text == 0x7f ||
		    *text == ' ') {
			space = o > out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		*o++ = *text;
	}
	*o = '\0';
	return out;
}

/* One row of `list`: id, badge, age, name, mode, unread, waiting, the
 * public risk's marker (R72), an e-mail's subject, snippet. */
static void
cli_list_row(struct buf *b, const struct store_conv *c, int64_t now, int width)
{
	char		 badge[3], age[16], wait[16], unread[16], *mode;
	char		*snippet;
	size_t		 start = b->len, used;
	int		 rest;
	struct risk	 risk;

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
		snprintf(unread, sizeof unread, _("%d new"), c->unread);
	else
		unread[0] = '\0';
	buf_add_printf(b, " %-6s ", unread);
	if (c->waiting_since > 0 && store_conv_has_tag(c, "inbox")) {
		util_format_age(now - c->waiting_since, wait, sizeof wait);
		buf_add_printf(b, "%4s ", wait);
	} else
		buf_add_str(b, "   - ");
	/* The public risk (risk.c) where an alert fired or it runs high. */
	store_conv_risk(c, now, &risk);
	if (risk_marked(&risk))
		buf_add_printf(b, "R%d ", risk.score);
	risk_free(&risk);
	cli_list_subject(b, c, width == 0 ? 0 : width -
	    (int)utf8_width(b->data + start, b->len - start));
	used = utf8_width(b->data + start, b->len - start);
	rest = width - (int)used;
	snippet = cli_list_snippet(c->snippet);
	if (rest > 4)
		sanitize_buf(b, snippet, strlen(snippet), SANITIZE_LINE,
		    (size_t)rest);
	free(snippet);
	while (b->len > start && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	buf_add_char(b, '\n');
}

/* One object of `list --json`. */
static void
cli_list_json(struct buf *b, const struct store_conv *c)
{
	struct json_obj		*o, *cust;
	struct risk		 risk;
	struct sla_status	 sla;
	char			 date[64], *json;

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
	switch (triage_mode(c->tags, c->n_tags)) {
	case TRIAGE_MODE_BOT:
		json_obj_set_str(o, "mode", "bot");
		break;
	case TRIAGE_MODE_HANDOFF:
		json_obj_set_str(o, "mode", "handoff");
		break;
	case TRIAGE_MODE_HUMAN:
	case TRIAGE_MODE_NONE:
		/* Nobody's bot: a human's, assigned or not. */
		json_obj_set_str(o, "mode", "human");
		break;
	}
	json_obj_set_str(o, "assignee", triage_assignee(c->tags, c->n_tags));
	if (c->waiting_since > 0) {
		util_format_rfc3339(c->waiting_since, 0, date, sizeof date);
		json_obj_set_str(o, "waiting_since", date);
	}
	/* The service level: its target's kind and the business seconds
	 * left (below 0: past it), as the console's rows show them. */
	if (c->waiting_since > 0 && store_conv_has_tag(c, "inbox")) {
		sla_eval(c->channel, c->tags, c->first_wait, c->waiting_since,
		    util_now(), &sla);
		if (sla.state != SLA_NONE) {
			json_obj_set_str(o, "sla", sla_kind_name(sla.kind));
			json_obj_set_int(o, "sla_left", sla.left);
		}
	}
	json_obj_set_str(o, "last_from", msg_kind_name(c->last_kind));
	json_obj_set_strv(o, "tags", c->tags, c->n_tags);
	json_obj_set_str(o, "snippet", c->snippet);
	if (c->subject != NULL)
		json_obj_set_str(o, "subject", c->subject);
	/* The public risk's score, and its parts when it has some. */
	store_conv_risk(c, util_now(), &risk);
	json_obj_set_int(o, "risk", risk.score);
	if (*risk.why != '\0')
		json_obj_set_str(o, "risk_why", risk.why);
	risk_free(&risk);
	json = json_obj_finish(o);
	buf_add_str(b, json);
	buf_add_char(b, '\n');
	free(json);
}

/*
 * ombre list [--json] [--limit N] [--view NAME | QUERY]: conversations,
 * newest activity first, one a line or one JSON object a line.
 */
int
cli_list(struct cli *cli, int argc, char **argv)
{
	const char		*limit_s = NULL, *view_s = NULL;
	int			 json = 0, n_rest, rc, width;
	char			**rest, *query, *cause;
	const struct view	*v = NULL;
	long long		 limit;
	struct store		*st;
	struct store_conv	**convs;
	size_t			 n, i;
	struct buf		 words, out;
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
		log_warn(_("list: --limit takes a positive number"));
		free(rest);
		return EXIT_USAGE;
	}
	if (view_s != NULL && n_rest > 0) {
		log_warn(_("list: give a view or a query, not both"));
		free(rest);
		return EXIT_USAGE;
	}
	if (n_rest > 0) {
		buf_init(&words);
		buf_add_words(&words, rest, (size_t)n_rest);
		query = buf_steal(&words);
	} else {
		v = view_find(view_s != NULL ? view_s : "Inbox");
		if (v == NULL) {
			char *clean = sanitize(view_s, strlen(view_s), SANITIZE_LINE, 60);
			log_warn(_("list: no view '%s' (see: ombre -e view)"), clean);
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
	/* A view's own order (Needs human: the longest wait first). */
	if (store_query_convs_sorted(st, query, v != NULL ? v->sort :
	    VIEW_SORT_NEWEST, 0, (long)limit, &convs, &n, &cause) !=
	    STORE_OK) {
		log_warn("list: %s", cause);
		free(cause);
		free(query);
		store_close(st);
		return 1;
	}
	free(query);
	now = util_now();
	/* Through a pipe with no $COLUMNS, 80 columns as documented. */
	if ((width = cli_width()) == 0)
		width = 80;
	buf_init(&out);
	for (i = 0; i < n; i++) {
		if (json)
			cli_list_json(&out, convs[i]);
		else
			cli_list_row(&out, convs[i], now, width);
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	store_convs_free(convs, n);
	store_close(st);
	return fflush(stdout) == 0 ? 0 : 1;
}
