/*
 * cli-show.c: ombre show, one conversation's messages: who wrote each,
 * when, a reply's delivery ("[read 14:05]"), the text sanitised, the attachments and where they were saved;
 * an event (a change of the conversation's state) as one line.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Print one message of `show` in text. */
static void
cli_show_message(struct buf *b, const struct msg *m, char *day, size_t day_size)
{
	struct tm	 tm;
	time_t		 t = (time_t)m->date;
	char		 this_day[64], clock[16], *state;
	const char	*line, *end;
	size_t		 i, len;

	localtime_r(&t, &tm);
	strftime(this_day, sizeof this_day, "%a %d %b %Y", &tm);
	if (strcmp(this_day, day) != 0) {
		buf_add_printf(b, "\n--- %s ---\n", this_day);
		snprintf(day, day_size, "%s", this_day);
	}
	strftime(clock, sizeof clock, "%H:%M", &tm);
	if (m->kind == MSG_EVENT) {
		/* A change of state: one line, who and what, no sender. */
		char *text = m->text != NULL ? xstrdup(m->text) :
		    triage_event_text(m->event != NULL ? m->event : "changed",
		    m->agent, m->reason, NULL, m->until);
		buf_add_printf(b, "\n%s \xe2\x80\x94 ", clock);
		sanitize_buf(b, text, strlen(text), SANITIZE_LINE, 0);
		buf_add_char(b, '\n');
		free(text);
		return;
	}
	buf_add_printf(b, "\n%s  ", clock);
	sanitize_buf(b, m->from_name != NULL ? m->from_name : m->from_id,
	    strlen(m->from_name != NULL ? m->from_name : m->from_id),
	    SANITIZE_LINE, 64);
	buf_add_printf(b, " (%s)", msg_kind_shown(m->kind));
	if (m->edit_of != NULL)
		buf_add_str(b, _(" [edited]"));
	/* A reply's delivery: "[read 14:05]", "[FAILED: the reason]". */
	if ((state = msg_delivery_text(m)) != NULL) {
		buf_add_printf(b, "  [%s", state);
		if (strcmp(m->outbox, "failed") == 0 && m->outbox_error != NULL) {
			buf_add_str(b, ": ");
			sanitize_buf(b, m->outbox_error, strlen(m->outbox_error),
			    SANITIZE_LINE, 200);
		}
		buf_add_char(b, ']');
		free(state);
	}
	/* Its Message-Id, as reply --base takes it (with or without <>). */
	if (m->channel != NULL && m->id != NULL) {
		char *id = msgid_message(m->channel, m->account != NULL ?
		    m->account : "", m->conv_id != NULL ? m->conv_id : "",
		    m->id);
		buf_add_str(b, "  <");
		sanitize_buf(b, id, strlen(id), SANITIZE_LINE, 300);
		buf_add_char(b, '>');
		free(id);
	}
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
		buf_add_str(b, _("  [attachment] "));
		sanitize_buf(b, a->name != NULL ? a->name : _("(unnamed)"),
		    strlen(a->name != NULL ? a->name : _("(unnamed)")),
		    SANITIZE_LINE, 80);
		if (a->mime != NULL) {
			buf_add_str(b, " ");
			sanitize_buf(b, a->mime, strlen(a->mime), SANITIZE_LINE, 40);
		}
		if (a->size >= 0)
			buf_add_printf(b, ngettext(" %" PRId64 " byte",
			    " %" PRId64 " bytes", (unsigned long)a->size), a->size);
		if (a->local != NULL) {
			buf_add_str(b, _(" saved: "));
			sanitize_buf(b, a->local, strlen(a->local),
			    SANITIZE_LINE, 300);
		}
		buf_add_char(b, '\n');
	}
}

/*
 * ombre show [--json] CONV: the messages of one conversation, as text
 * with day separators or as canonical JSON lines (json_msg_format_show:
 * with a top-level kind, and an event's text).
 */
int
cli_show(struct cli *cli, int argc, char **argv)
{
	int			 json = 0, n_rest, rc;
	char			**rest, *conv, *thread_id, *cause, *line, day[64] = "";
	struct store		*st;
	struct msg		**msgs;
	size_t			 n, i, j;
	struct buf		 words, out;
	char			 badge[3];
	const char		*owner;
	const struct cli_opt	 opts[] = {
		{ "json", 0, 0, NULL, &json },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("show", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	if (n_rest == 0) {
		log_warn("%s", _("usage: ombre show [--json] CONV"));
		free(rest);
		return EXIT_USAGE;
	}
	buf_init(&words);
	buf_add_words(&words, rest, (size_t)n_rest);
	conv = buf_steal(&words);
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
			line = json_msg_format_show(msgs[i]);
			buf_add_str(&out, line);
			buf_add_char(&out, '\n');
			free(line);
		}
	} else if (n > 0) {
		const char *short_id = thread_id;
		while (*short_id == '0' && short_id[1] != '\0')
			short_id++;
		channel_badge(msgs[0]->channel, badge);
		buf_add_printf(&out, _("Conversation %s  %s  "), short_id, badge);
		sanitize_buf(&out, msgs[n - 1]->conv_title != NULL ?
		    msgs[n - 1]->conv_title : msgs[n - 1]->conv_id,
		    strlen(msgs[n - 1]->conv_title != NULL ?
		    msgs[n - 1]->conv_title : msgs[n - 1]->conv_id),
		    SANITIZE_LINE, 64);
		buf_add_str(&out, _("\nTags:"));
		for (j = 0; msgs[n - 1]->tags != NULL && msgs[n - 1]->tags[j] != NULL;
		    j++) {
			buf_add_char(&out, ' ');
			sanitize_buf(&out, msgs[n - 1]->tags[j],
			    strlen(msgs[n - 1]->tags[j]), SANITIZE_LINE, 64);
		}
		buf_add_char(&out, '\n');
		if ((owner = msg_thread_owner(msgs, n)) != NULL) {
			buf_add_str(&out, _("Thread control: "));
			sanitize_buf(&out, owner, strlen(owner), SANITIZE_LINE,
			    64);
			buf_add_char(&out, '\n');
		}
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
