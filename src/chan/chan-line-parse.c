/*
 * chan-line-parse.c: LINE Messaging API webhook bodies as messages
 * (channel-apis.md, 5): message events (text, image, video, audio, file,
 * location, sticker), messageEdited, unsend, follow, unfollow, join,
 * leave and postback. Pure: JSON in, messages, reply tokens and refusals
 * out (chan-line.h says the promise).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan-line.h"

#include <jansson.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_ID_MAX	256
#define LINE_STR_MAX	(64 * 1024)
#define LINE_EVENTS_MAX	1000

/* One event being read. */
struct line_event {
	struct line_payload	*p;
	const char		*account;
	json_t			*ev;
	const char		*type;
	const char		*event_id;	/* webhookEventId */
	const char		*conv_id;
	const char		*from_id;
	int64_t			 ms;
	int			 standby;
	char			*why;
};

/* A string member: NULL when absent, of another type, too long or
 * holding a NUL (an id or a token). */
static const char *
line_id(json_t *obj, const char *key)
{
	json_t	*v = json_object_get(obj, key);

	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > LINE_ID_MAX ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return NULL;
	return json_string_value(v);
}

/* A text member, each NUL as U+FFFD, cut at LINE_STR_MAX: allocated,
 * "" when absent. */
static char *
line_text(json_t *obj, const char *key)
{
	json_t		*v = json_object_get(obj, key);
	const char	*s = json_string_value(v);
	size_t		 n = json_string_length(v), i;
	struct buf	 b;

	if (s == NULL)
		return xstrdup("");
	if (n > LINE_STR_MAX) {
		n = LINE_STR_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (s[i] == '\0')
			buf_add_str(&b, "\xef\xbf\xbd");
		else
			buf_add_char(&b, s[i]);
	}
	return buf_steal(&b);
}

static void
line_refuse(struct line_payload *p, json_t *v, char *why)
{
	struct line_refused	*r;
	char			*raw;

	p->refused = xreallocarray(p->refused, p->n_refused + 1,
	    sizeof *p->refused);
	r = &p->refused[p->n_refused++];
	raw = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	r->raw = raw != NULL ? raw : xstrdup("null");
	r->why = why != NULL ? why : xstrdup("cannot be read");
}

/* A message of the event's conversation, id given. */
static struct msg *
line_msg_new(struct line_event *le, const char *id)
{
	struct msg	*m;

	m = msg_new();
	m->channel = xstrdup("line");
	m->account = xstrdup(le->account);
	m->conv_id = xstrdup(le->conv_id);
	m->id = xstrdup(id);
	m->date = le->ms / 1000;
	m->from_id = xstrdup(le->from_id);
	m->kind = MSG_CUSTOMER;
	if (le->standby)
		msg_add_tag(m, "line-standby");
	return m;
}

/* Keep m when the store takes it as it is; else refuse the event. */
static void
line_msg_keep(struct line_event *le, struct msg *m)
{
	struct line_payload	*p = le->p;
	char			*cause = NULL;

	if (m->text == NULL)
		msg_set_text(m, xstrdup(""));
	if (!json_msg_valid(m, &cause)) {
		msg_free(m);
		line_refuse(p, le->ev, cause);
		return;
	}
	p->msgs = xreallocarray(p->msgs, p->n_msgs + 1, sizeof *p->msgs);
	p->msgs[p->n_msgs++] = m;
}

/* A media message's attachment: LINE's content (fetched on demand by the
 * adapter: line-content:ID) or the external provider's URL. */
static void
line_media(struct msg *m, json_t *lm, const char *id, const char *type)
{
	json_t		*cp = json_object_get(lm, "contentProvider");
	const char	*ext, *mime, *name;
	char		*url, *fname, *label;

	ext = line_id(cp, "type");
	if (strcmp(type, "image") == 0) {
		mime = "image/jpeg";
		label = xstrdup("[image]");
	} else if (strcmp(type, "video") == 0) {
		mime = "video/mp4";
		label = xstrdup("[video]");
	} else if (strcmp(type, "audio") == 0) {
		mime = "audio/m4a";
		label = xstrdup("[audio]");
	} else {
		mime = "application/octet-stream";
		label = xstrdup("[file]");
	}
	name = line_id(lm, "fileName");
	fname = name != NULL ? xstrdup(name) : xasprintf("%s-%s", type, id);
	if (ext != NULL && strcmp(ext, "external") == 0 &&
	    line_id(cp, "originalContentUrl") != NULL)
		url = xstrdup(line_id(cp, "originalContentUrl"));
	else
		url = xasprintf("line-content:%s", id);
	msg_add_attachment(m, fname, mime, -1, url);
	if (name != NULL) {
		free(label);
		label = xasprintf("[file] %s", name);
	}
	msg_set_text(m, label);
	free(fname);
	free(url);
}

/* The text a message object shows, by its type. */
static void
line_message_body(struct msg *m, json_t *lm, const char *id)
{
	const char	*type = line_id(lm, "type");
	json_t		*v;
	char		*title, *addr;

	if (type == NULL)
		type = "unknown";
	if (strcmp(type, "text") == 0)
		msg_set_text(m, line_text(lm, "text"));
	else if (strcmp(type, "image") == 0 || strcmp(type, "video") == 0 ||
	    strcmp(type, "audio") == 0 || strcmp(type, "file") == 0)
		line_media(m, lm, id, type);
	else if (strcmp(type, "location") == 0) {
		title = line_text(lm, "title");
		addr = line_text(lm, "address");
		v = json_object_get(lm, "latitude");
		msg_set_text(m, xasprintf("[location] %s%s%s (%.6f, %.6f)",
		    title, *title != '\0' && *addr != '\0' ? ", " : "", addr,
		    json_number_value(v),
		    json_number_value(json_object_get(lm, "longitude"))));
		free(title);
		free(addr);
	} else if (strcmp(type, "sticker") == 0) {
		title = line_text(lm, "keywords");
		msg_set_text(m, xasprintf("[sticker %s/%s]",
		    line_id(lm, "packageId") != NULL ?
		    line_id(lm, "packageId") : "?",
		    line_id(lm, "stickerId") != NULL ?
		    line_id(lm, "stickerId") : "?"));
		free(title);
	} else
		msg_set_text(m, xasprintf("[%s message]", type));
}

/* message and messageEdited events. */
static void
line_read_message(struct line_event *le, int edited)
{
	json_t		*lm = json_object_get(le->ev, "message");
	const char	*id = line_id(lm, "id");
	struct msg	*m;
	char		*mid;

	if (!json_is_object(lm) || id == NULL) {
		line_refuse(le->p, le->ev, xstrdup("a message without "
		    "message.id"));
		return;
	}
	if (edited) {
		mid = xasprintf("edit.%s", le->event_id);
		m = line_msg_new(le, mid);
		free(mid);
		m->edit_of = xstrdup(id);
	} else
		m = line_msg_new(le, id);
	if (line_id(lm, "quotedMessageId") != NULL)
		m->reply_to = xstrdup(line_id(lm, "quotedMessageId"));
	line_message_body(m, lm, id);
	line_msg_keep(le, m);
}

/* unsend: the original stays as it was; this says it was taken back. */
static void
line_read_unsend(struct line_event *le)
{
	const char	*id = line_id(json_object_get(le->ev, "unsend"),
			    "messageId");
	struct msg	*m;
	char		*mid;

	if (id == NULL) {
		line_refuse(le->p, le->ev, xstrdup("an unsend without "
		    "unsend.messageId"));
		return;
	}
	mid = xasprintf("unsend.%s", le->event_id);
	m = line_msg_new(le, mid);
	free(mid);
	m->reply_to = xstrdup(id);
	msg_set_text(m, xstrdup("[unsent by the customer]"));
	line_msg_keep(le, m);
}

/* follow, unfollow, join, leave, postback: a line in the thread. */
static void
line_read_other(struct line_event *le)
{
	struct msg	*m;
	json_t		*pb;
	char		*data;

	m = line_msg_new(le, le->event_id);
	if (strcmp(le->type, "postback") == 0) {
		pb = json_object_get(le->ev, "postback");
		data = line_text(pb, "data");
		msg_set_text(m, xasprintf("[postback] %s", data));
		free(data);
	} else if (strcmp(le->type, "follow") == 0)
		msg_set_text(m, xstrdup("[followed the account]"));
	else if (strcmp(le->type, "unfollow") == 0)
		msg_set_text(m, xstrdup("[unfollowed the account]"));
	else if (strcmp(le->type, "join") == 0)
		msg_set_text(m, xstrdup("[the account joined]"));
	else if (strcmp(le->type, "leave") == 0)
		msg_set_text(m, xstrdup("[the account left]"));
	else
		msg_set_text(m, xasprintf("[%s event]", le->type));
	line_msg_keep(le, m);
}

/* Keep what lets us answer (active events only). */
static void
line_token_add(struct line_event *le)
{
	struct line_payload	*p = le->p;
	struct line_token	*t;
	const char		*reply, *read;

	if (le->standby)
		return;
	reply = line_id(le->ev, "replyToken");
	read = line_id(json_object_get(le->ev, "message"), "markAsReadToken");
	if (reply == NULL && read == NULL)
		return;
	p->tokens = xreallocarray(p->tokens, p->n_tokens + 1,
	    sizeof *p->tokens);
	t = &p->tokens[p->n_tokens++];
	t->conv_id = xstrdup(le->conv_id);
	t->reply_token = reply != NULL ? xstrdup(reply) : NULL;
	t->read_token = read != NULL ? xstrdup(read) : NULL;
	t->ms = le->ms;
}

static void
line_event(struct line_payload *p, const char *account, json_t *ev)
{
	struct line_event	 le;
	json_t			*src, *ts;
	const char		*stype, *mode;

	memset(&le, 0, sizeof le);
	le.p = p;
	le.account = account;
	le.ev = ev;
	src = json_object_get(ev, "source");
	ts = json_object_get(ev, "timestamp");
	le.type = line_id(ev, "type");
	le.event_id = line_id(ev, "webhookEventId");
	stype = line_id(src, "type");
	mode = line_id(ev, "mode");
	le.standby = mode != NULL && strcmp(mode, "standby") == 0;
	if (!json_is_object(ev) || le.type == NULL || le.event_id == NULL) {
		line_refuse(p, ev, xstrdup("an event without type or "
		    "webhookEventId"));
		return;
	}
	if (!json_is_integer(ts) || json_integer_value(ts) < 0 ||
	    json_integer_value(ts) / 1000 > JSON_DATE_MAX) {
		line_refuse(p, ev, xstrdup("timestamp is not a time in "
		    "milliseconds"));
		return;
	}
	le.ms = json_integer_value(ts);
	if (stype != NULL && strcmp(stype, "group") == 0)
		le.conv_id = line_id(src, "groupId");
	else if (stype != NULL && strcmp(stype, "room") == 0)
		le.conv_id = line_id(src, "roomId");
	else if (stype != NULL && strcmp(stype, "user") == 0)
		le.conv_id = line_id(src, "userId");
	le.from_id = line_id(src, "userId");
	if (le.from_id == NULL)
		le.from_id = le.conv_id;
	if (le.conv_id == NULL) {
		line_refuse(p, ev, xstrdup("an event without source "
		    "(user, group or room id)"));
		return;
	}
	if (strcmp(le.type, "message") == 0)
		line_read_message(&le, 0);
	else if (strcmp(le.type, "messageEdited") == 0)
		line_read_message(&le, 1);
	else if (strcmp(le.type, "unsend") == 0)
		line_read_unsend(&le);
	else if (strcmp(le.type, "follow") == 0 ||
	    strcmp(le.type, "unfollow") == 0 || strcmp(le.type, "join") == 0 ||
	    strcmp(le.type, "leave") == 0 || strcmp(le.type, "postback") == 0)
		line_read_other(&le);
	else {
		line_refuse(p, ev, xasprintf("an event of type %s, not taken",
		    le.type));
		return;
	}
	line_token_add(&le);
}

int
line_payload(const char *account, json_t *root, struct line_payload *out,
    char **why)
{
	json_t		*events, *ev;
	const char	*dest;
	size_t		 i;

	memset(out, 0, sizeof *out);
	*why = NULL;
	events = json_object_get(root, "events");
	dest = line_id(root, "destination");
	if (!json_is_object(root) || dest == NULL || !json_is_array(events)) {
		*why = xstrdup("not a LINE webhook (destination, events[])");
		return -1;
	}
	if (json_array_size(events) > LINE_EVENTS_MAX) {
		*why = xasprintf("%zu events, more than %d",
		    json_array_size(events), LINE_EVENTS_MAX);
		return -1;
	}
	if (account == NULL)
		account = dest;
	json_array_foreach(events, i, ev)
		line_event(out, account, ev);
	return 0;
}

void
line_payload_free(struct line_payload *p)
{
	size_t	i;

	for (i = 0; i < p->n_msgs; i++)
		msg_free(p->msgs[i]);
	free(p->msgs);
	for (i = 0; i < p->n_tokens; i++) {
		free(p->tokens[i].conv_id);
		free(p->tokens[i].reply_token);
		free(p->tokens[i].read_token);
	}
	free(p->tokens);
	for (i = 0; i < p->n_refused; i++) {
		free(p->refused[i].raw);
		free(p->refused[i].why);
	}
	free(p->refused);
	memset(p, 0, sizeof *p);
}
