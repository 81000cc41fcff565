/*
 * cli-reply.c: ombre reply, a reply or an internal note into the outbox
 * through the composer's checks, its text given, read or a template's.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * On a replica: the reply stored on the central server, whose syncer
 * sends it, under an id made here, so that running it again after a cut
 * connection stores it once (--id).
 */
static int
cli_reply_remote(struct cli *cli, const char *conv, int note,
    const char *base, const char *seen, int force, const char *reply_to,
    const char *outbound, const char *agent, const struct buf *text)
{
	const char	*args[14];
	char		*made = NULL;
	size_t	 n = 0;
	int	 rc;

	if (outbound == NULL) {
		made = msgid_outbound();
		made[strcspn(made, "@")] = '\0';
		outbound = made;
	}
	if (note)
		args[n++] = "--note";
	if (base != NULL) {
		args[n++] = "--base";
		args[n++] = base;
	}
	if (seen != NULL) {
		args[n++] = "--seen";
		args[n++] = seen;
	}
	if (force)
		args[n++] = "--force";
	if (reply_to != NULL) {
		args[n++] = "--reply-to";
		args[n++] = reply_to;
	}
	args[n++] = "--id";
	args[n++] = outbound;
	args[n] = NULL;
	rc = cli_remote(cli, "reply", conv, args, agent, text->data, text->len);
	free(made);
	return rc;
}

/*
 * ombre reply CONV [--note] [--base ID [--force]] [--reply-to ID] [--text T
 * | --template NAME]: a reply into the outbox (the syncer delivers it) or an internal
 * note, through the same checks as the console's composer: the channel's
 * limit and reply window (exit 1 with the reason), and with --base the
 * double-answer guard (exit 3 with what changed since ID, unless --force).
 */
int
cli_reply(struct cli *cli, int argc, char **argv)
{
	struct store		*st;
	struct store_reply	 r;
	struct buf		 text;
	enum store_status	 status;
	const char		*text_opt = NULL, *base = NULL, *tname = NULL;
	const char		*reply_to = NULL, *outbound = NULL;
	const char		*agent = NULL, *seen = NULL;
	struct store_reply_context *ctx = NULL;
	struct template		*t = NULL, *variant;
	char			**rest, *cause = NULL, *changes = NULL, *id = NULL;
	char			*lang;
	char			*base_copy = NULL, *rendered, chunk[4096];
	size_t			 got;
	int			 n_rest, rc, note = 0, force = 0;
	const struct cli_opt	 opts[] = {
		{ "text", 0, 1, &text_opt, NULL },
		{ "note", 0, 0, NULL, &note },
		{ "base", 0, 1, &base, NULL },
		{ "force", 0, 0, NULL, &force },
		{ "template", 0, 1, &tname, NULL },
		{ "reply-to", 0, 1, &reply_to, NULL },
		{ "id", 0, 1, &outbound, NULL },
		{ "agent", 0, 1, &agent, NULL },
		{ "seen", 0, 1, &seen, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("reply", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	if (n_rest != 1 || (tname != NULL && (text_opt != NULL || note))) {
		log_warn("%s", _("usage: ombre reply CONV [--note] [--base ID "
		    "[--force]] [--reply-to ID] [--id out.UUID] [--agent NAME] "
		    "[--seen IDS] [--text TEXT "
		    "| --template NAME] (else the text on standard input)"));
		free(rest);
		return EXIT_USAGE;
	}
	if (outbound != NULL && !msgid_is_outbound(outbound)) {
		log_warn(_("reply: --id must be out.UUID, as ombre makes them: "
		    "nothing stored"));
		free(rest);
		return EXIT_USAGE;
	}
	buf_init(&text);
	if (tname != NULL) {
		/* Known before the store opens; its variant once the
		 * customer's language is. */
		if ((t = template_resolve(tname, NULL, &cause)) == NULL) {
			log_warn(_("reply: %s: nothing stored"), cause);
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
			log_warn(_("reply: the text is empty or not UTF-8: nothing "
			    "stored"));
			buf_free(&text);
			free(rest);
			return EXIT_USAGE;
		}
	}
	if (authority_active() && t == NULL) {
		rc = cli_reply_remote(cli, rest[0], note, base, seen, force,
		    reply_to, outbound, agent, &text);
		buf_free(&text);
		free(rest);
		return rc;
	}
	if ((rc = cli_open(cli, authority_active() ? STORE_READ_ONLY :
	    STORE_READ_WRITE, &st)) != 0) {
		template_free(t);
		buf_free(&text);
		free(rest);
		return rc;
	}
	if (t != NULL) {
		/* The template's variables need the conversation. */
		if (store_reply_context(st, rest[0], &ctx, &cause) != STORE_OK) {
			log_warn(_("reply: %s: nothing stored"), cause);
			rc = 1;
			goto out;
		}
		/* The variant in the customer's language (issue 16). */
		if ((lang = store_contact_language(st, ctx->thread_id)) !=
		    NULL && (variant = template_resolve(tname, lang,
		    &cause)) != NULL) {
			template_free(t);
			t = variant;
		}
		free(lang);
		rendered = template_fill(t, ctx->channel, ctx->customer_name,
		    &cause);
		if (rendered == NULL) {
			log_warn(_("reply: %s: nothing stored"), cause);
			rc = 1;
			goto out;
		}
		buf_add_str(&text, rendered);
		free(rendered);
		if (authority_active()) {
			/* Filled here, where its variables are known; the
			 * central server stores the text. */
			store_close(st);
			rc = cli_reply_remote(cli, rest[0], note, base, seen,
			    force, reply_to, outbound, agent, &text);
			store_reply_context_free(ctx);
			template_free(t);
			buf_free(&text);
			free(rest);
			return rc;
		}
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
	r.reply_to = note ? NULL : reply_to;
	r.outbound = outbound;
	r.agent = agent;
	r.seen = seen;
	r.take_over = options_get_flag("reply.takes-over");
	r.now = util_now();
	status = store_reply_add(st, &r, &id, &changes, &cause);
	switch (status) {
	case STORE_OK:
		printf("%s %s\n", id, note ? _("noted") : _("queued"));
		rc = 0;
		break;
	case STORE_DUPLICATE:
		/* The same --id again (a replica's retry after a cut
		 * connection): stored once, already. */
		printf("%s %s\n", id, note ? _("noted already") :
		    _("queued already"));
		rc = 0;
		break;
	case STORE_HELD:
		log_warn(_("reply: held, the conversation moved since %s:\n%s\n"
		    "(--force sends it anyway)"), base != NULL ? base :
		    _("what the agent saw"), changes);
		rc = 3;
		break;
	default:
		log_warn(_("reply: %s: nothing stored"), cause != NULL ? cause :
		    store_status_str(status));
		rc = 1;
		break;
	}
out:
	if (store_close(st) != STORE_OK && rc == 0) {
		log_warn(_("reply: closing the database failed"));
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
