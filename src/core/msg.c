/*
 * msg.c: the canonical message, message ids and tag names.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const msg_kind_names[] = {
	[MSG_CUSTOMER] = "customer",
	[MSG_BOT] = "bot",
	[MSG_AGENT] = "agent",
	[MSG_NOTE] = "note",
	[MSG_EVENT] = "event"
};

struct msg *
msg_new(void)
{
	struct msg	*m;

	m = xcalloc(1, sizeof *m);
	return m;
}

void
msg_free(struct msg *m)
{
	size_t	i;

	if (m == NULL)
		return;
	free(m->channel);
	free(m->account);
	free(m->conv_id);
	free(m->conv_title);
	free(m->id);
	free(m->from_id);
	free(m->from_name);
	free(m->lang);
	free(m->text);
	free(m->reply_to);
	free(m->edit_of);
	free(m->entities);
	free(m->outbox);
	free(m->remote_id);
	free(m->outbox_error);
	free(m->delivery);
	free(m->event);
	free(m->agent);
	free(m->reason);
	if (m->seen != NULL) {
		for (i = 0; m->seen[i] != NULL; i++)
			free(m->seen[i]);
		free(m->seen);
	}
	for (i = 0; i < m->n_attachments; i++) {
		free(m->attachments[i].name);
		free(m->attachments[i].mime);
		free(m->attachments[i].url);
		free(m->attachments[i].local);
	}
	free(m->attachments);
	if (m->tags != NULL) {
		for (i = 0; m->tags[i] != NULL; i++)
			free(m->tags[i]);
		free(m->tags);
	}
	free(m);
}

const char *
msg_kind_name(enum msg_kind kind)
{
	if ((size_t)kind >= nitems(msg_kind_names))
		return "customer";
	return msg_kind_names[kind];
}

const char *
msg_kind_shown(enum msg_kind kind)
{
	static const char *const shown[] = {
		[MSG_CUSTOMER] = N_("customer"),
		[MSG_BOT] = N_("bot"),
		[MSG_AGENT] = N_("agent"),
		[MSG_NOTE] = N_("internal note"),
		[MSG_EVENT] = N_("event")
	};

	if ((size_t)kind >= nitems(shown))
		kind = MSG_CUSTOMER;
	return _(shown[kind]);
}

int
msg_kind_parse(const char *name, enum msg_kind *kind)
{
	size_t	i;

	for (i = 0; i < nitems(msg_kind_names); i++) {
		if (strcmp(name, msg_kind_names[i]) == 0) {
			*kind = (enum msg_kind)i;
			return 0;
		}
	}
	return -1;
}

void
msg_add_tag(struct msg *m, const char *tag)
{
	size_t	n = 0;

	if (m->tags != NULL)
		while (m->tags[n] != NULL)
			n++;
	m->tags = xreallocarray(m->tags, n + 2, sizeof *m->tags);
	m->tags[n] = xstrdup(tag);
	m->tags[n + 1] = NULL;
}

void
msg_add_attachment(struct msg *m, const char *name, const char *mime,
    int64_t size, const char *url)
{
	struct msg_attachment	*a;

	m->attachments = xreallocarray(m->attachments, m->n_attachments + 1,
	    sizeof *m->attachments);
	a = &m->attachments[m->n_attachments++];
	memset(a, 0, sizeof *a);
	a->name = xstrdup(name);
	a->mime = xstrdup(mime);
	a->size = size;
	a->url = url != NULL ? xstrdup(url) : NULL;
}

void
msg_set_text(struct msg *m, char *text)
{
	free(m->text);
	m->text = text;
	m->text_len = strlen(text);
}

/*
 * Append one id component to b: letters, digits, '-', '_' and '+' as they
 * are, every other byte as =XX, so any upstream id (dots, spaces, '@',
 * non-ASCII) maps to one dot-atom part and two different ids never meet.
 */
static void
msgid_add_part(struct buf *b, const char *part)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)part; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '+')
			buf_add_char(b, (char)*p);
		else
			buf_add_printf(b, "=%02X", *p);
	}
}

/* The channel part: "tg." for a known channel, "x-NAME." for another. */
static void
msgid_add_prefix(struct buf *b, const char *channel)
{
	const struct channel_info	*info;

	info = channel_info_find(channel);
	if (info != NULL)
		buf_add_str(b, info->id_prefix);
	else {
		buf_add_str(b, "x-");
		msgid_add_part(b, channel);
	}
	buf_add_char(b, '.');
}

char *
msgid_message(const char *channel, const char *account, const char *conv_id,
    const char *id)
{
	struct buf	b;

	if (msgid_is_outbound(id))
		return xasprintf("%s@ombre", id);
	buf_init(&b);
	msgid_add_prefix(&b, channel);
	msgid_add_part(&b, account);
	buf_add_char(&b, '.');
	msgid_add_part(&b, conv_id);
	buf_add_char(&b, '.');
	msgid_add_part(&b, id);
	buf_add_str(&b, "@ombre");
	return buf_steal(&b);
}

char *
msgid_thread(const char *channel, const char *account, const char *conv_id)
{
	struct buf	b;

	buf_init(&b);
	buf_add_str(&b, "conv.");
	msgid_add_prefix(&b, channel);
	msgid_add_part(&b, account);
	buf_add_char(&b, '.');
	msgid_add_part(&b, conv_id);
	buf_add_str(&b, "@ombre");
	return buf_steal(&b);
}

/*
 * A random UUIDv4 for an outbound message. /dev/urandom is read directly:
 * ids must never repeat across processes sharing a data dir.
 */
char *
msgid_outbound(void)
{
	unsigned char	r[16];

	util_random(r, sizeof r);
	r[6] = (r[6] & 0x0f) | 0x40;
	r[8] = (r[8] & 0x3f) | 0x80;
	return xasprintf("out.%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x@ombre", r[0], r[1], r[2], r[3], r[4],
	    r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12], r[13], r[14],
	    r[15]);
}

int
msgid_is_outbound(const char *id)
{
	size_t	i;

	if (id == NULL || strncmp(id, "out.", 4) != 0 || strlen(id) != 40)
		return 0;
	for (i = 4; i < 40; i++) {
		if (i == 12 || i == 17 || i == 22 || i == 27) {
			if (id[i] != '-')
				return 0;
		} else if (!((id[i] >= '0' && id[i] <= '9') ||
		    (id[i] >= 'a' && id[i] <= 'f')))
			return 0;
	}
	return 1;
}

int
tag_valid(const char *tag)
{
	const unsigned char	*p;
	size_t			 len;

	len = strlen(tag);
	if (len == 0 || len > 200)
		return 0;
	for (p = (const unsigned char *)tag; *p != '\0'; p++) {
		if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '(' ||
		    *p == ')' || *p == '\'' || *p == '\\')
			return 0;
	}
	return utf8_valid(tag, len, NULL);
}

/*
 * A reply's state as the thread view and `show` give it after its
 * author: its outbox state, and once sent how far it got, with the local
 * time it got there ("read 14:05"; "read 03 Dec 14:05" on another day
 * than the reply's). Allocated; NULL when m is no reply of the outbox.
 */
char *
msg_delivery_text(const struct msg *m)
{
	static const struct {
		const char	*state;
		const char	*text;
	} states[] = {
		{ "queued", N_("queued") },
		{ "sending", N_("sending") },
		{ "sent", N_("sent") },
		{ "failed", N_("FAILED") },
		{ "unknown", N_("DELIVERY UNKNOWN") },
		{ "discarded", N_("discarded, not sent") }
	};
	struct tm	tm;
	time_t		t;
	char		day[16], sent_day[16], clock[32];
	size_t		i;

	if (m->outbox == NULL)
		return NULL;
	if (strcmp(m->outbox, "sent") == 0 && m->delivery != NULL) {
		t = (time_t)m->date;
		localtime_r(&t, &tm);
		strftime(sent_day, sizeof sent_day, "%Y-%m-%d", &tm);
		t = (time_t)m->delivery_date;
		localtime_r(&t, &tm);
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
		strftime(clock, sizeof clock, strcmp(day, sent_day) == 0 ?
		    "%H:%M" : "%d %b %H:%M", &tm);
		/* TRANSLATORS: "read 14:02", "delivered 03 Dec 14:02". */
		return xasprintf(strcmp(m->delivery, "read") == 0 ?
		    _("read %s") : _("delivered %s"), clock);
	}
	for (i = 0; i < nitems(states); i++) {
		if (strcmp(states[i].state, m->outbox) == 0)
			return xstrdup(_(states[i].text));
	}
	return NULL;
}

const char *
msg_thread_owner(struct msg *const *msgs, size_t n)
{
	const struct msg	*m;
	const char		*r, *at;

	while (n-- > 0) {
		m = msgs[n];
		if (m->kind != MSG_EVENT || m->agent == NULL ||
		    strcmp(m->agent, "messenger") != 0 || (r = m->reason) ==
		    NULL || strncmp(r, "the thread was ", 15) != 0)
			continue;
		/* "the thread was passed to X", "... taken by X" */
		if ((at = strstr(r, " to ")) != NULL ||
		    (at = strstr(r, " by ")) != NULL)
			return at + 4;
	}
	return NULL;
}
