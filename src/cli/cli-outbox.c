/*
 * cli-outbox.c: ombre outbox, the replies not delivered yet or refused,
 * and the agent's decision on one (resend, mark-sent, discard).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		log_warn("%s", _("usage: ombre outbox [resend|mark-sent|discard ID]"));
		return EXIT_USAGE;
	}
	if (!msgid_is_outbound(id) && !(strncmp(id, "out.", 4) == 0 &&
	    strlen(id) == 46 && strcmp(id + 40, "@ombre") == 0)) {
		log_warn(_("outbox: %s is not a reply's id (out.<uuid>, as "
		    "ombre outbox prints it)"), msgid_is_outbound(id) ? id :
		    _("the argument"));
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
		    _("queued again") : action == STORE_OUTBOX_MARK_SENT ?
		    _("marked sent") : _("discarded"));
	if (store_close(st) != STORE_OK && rc == 0)
		rc = 1;
	free(msgid);
	free(cause);
	return rc;
}

/* The short id `list` shows of the conversation holding msgid ("" when
 * the store cannot say), allocated. */
static char *
cli_outbox_conv(struct store *st, const char *msgid)
{
	char		*query, *thread = NULL, *cause = NULL, *out;
	const char	*p;

	query = xasprintf("id:\"%s\"", msgid);
	if (store_resolve_conv(st, query, &thread, &cause) != STORE_OK) {
		free(cause);
		free(query);
		return xstrdup("");
	}
	free(query);
	for (p = thread; *p == '0' && p[1] != '\0'; p++)
		;
	out = xstrdup(p);
	free(thread);
	return out;
}

/* One reply as a JSON line: id, conversation, channel, account, state,
 * reason. */
static void
cli_outbox_json(struct store *st, const struct store_outgoing *o)
{
	struct json_obj	*j;
	char		*conv, *line;

	conv = cli_outbox_conv(st, o->msgid);
	j = json_obj_new();
	json_obj_set_str(j, "id", o->native_id);
	json_obj_set_str(j, "conversation", conv);
	json_obj_set_str(j, "channel", o->channel);
	json_obj_set_str(j, "account", o->account);
	json_obj_set_str(j, "conversation_id", o->conv_id);
	json_obj_set_str(j, "state", o->state);
	json_obj_set_int(j, "date", o->date);
	if (o->error != NULL)
		json_obj_set_str(j, "reason", o->error);
	line = json_obj_finish(j);
	printf("%s\n", line);
	free(line);
	free(conv);
}

/*
 * ombre outbox [--json]: the replies not delivered yet (queued, sending,
 * unknown) and those refused (failed), oldest first, one a line: state,
 * date, the reply's id, ombre's conversation, the channel's.
 */
int
cli_outbox(struct cli *cli, int argc, char **argv)
{
	struct store		 *st;
	struct store_outgoing	**list = NULL;
	struct buf		  b;
	char			 *cause = NULL, when[32], **rest, *conv;
	size_t			  n = 0, i;
	int			  rc, n_rest, json = 0;
	const struct cli_opt	  opts[] = {
		{ "json", 0, 0, NULL, &json },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("outbox", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	if (n_rest == 2 && !json) {
		rc = cli_outbox_decide(cli, rest[0], rest[1]);
		free(rest);
		return rc;
	}
	free(rest);
	if (n_rest != 0) {
		log_warn("%s", _("usage: ombre outbox [--json | "
		    "resend|mark-sent|discard ID]"));
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
		if (json) {
			cli_outbox_json(st, list[i]);
			store_outgoing_free(list[i]);
			continue;
		}
		util_format_rfc3339(list[i]->date, 0, when, sizeof when);
		buf_reset(&b);
		buf_add_printf(&b, "%-8s %s %s ", list[i]->state, when,
		    list[i]->native_id);
		/* ombre's conversation, the id list, show and reply take. */
		conv = cli_outbox_conv(st, list[i]->msgid);
		buf_add_printf(&b, "%s ", *conv != '\0' ? conv : "-");
		free(conv);
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
