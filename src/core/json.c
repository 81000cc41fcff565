/*
 * json.c: the canonical message JSON, the only jansson code of the core.
 *
 * One object per line: channel, account, conversation {id, title}, id,
 * date (RFC 3339), from {id, name, kind}, text, reply_to, edit_of,
 * attachments [{name, mime, size, url}], tags; a sent reply's delivery
 * (delivered, read) and delivery_date. It is what `ombre ingest`
 * reads, what `show --json` prints and what the test corpora hold.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

/* Ids and names longer than this are refused rather than stored. */
#define JSON_ID_MAX	1024
/* Telegram caps a message at 4096 characters: its entities stay small. */
#define JSON_ENTITIES_MAX	65536
#define JSON_NAME_MAX	4096

/*
 * The integer dates RFC 3339 can write back, 0000-01-01T00:00:00Z to
 * 9999-12-31T23:59:59Z (JSON_DATE_MIN, JSON_DATE_MAX in core.h): beyond
 * them `show --json` would print a date that ingest refuses.
 */

/*
 * Read an optional string member into *out (allocated). Integers are
 * accepted for ids (Telegram and others send numbers) and printed in
 * decimal. A NUL inside is replaced with U+FFFD when nul_ok, else refused.
 * Return 0, or -1 with *cause naming the field.
 */
static int
json_get_string(json_t *obj, const char *key, const char *field, size_t max,
    int required, int allow_int, int nul_ok, char **out, size_t *out_len,
    char **cause)
{
	json_t		*v;
	const char	*s;
	size_t		 len, i;
	struct buf	 b;

	*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	v = json_object_get(obj, key);
	if (v == NULL || json_is_null(v)) {
		if (required) {
			*cause = xasprintf(_("field '%s' is missing"), field);
			return -1;
		}
		return 0;
	}
	if (allow_int && json_is_integer(v)) {
		*out = xasprintf("%" PRId64, (int64_t)json_integer_value(v));
		if (out_len != NULL)
			*out_len = strlen(*out);
		return 0;
	}
	if (!json_is_string(v)) {
		*cause = xasprintf(_("field '%s' must be a string%s"), field,
		    allow_int ? _(" or an integer") : "");
		return -1;
	}
	s = json_string_value(v);
	len = json_string_length(v);
	if (max != 0 && len > max) {
		*cause = xasprintf(_("field '%s' is longer than %zu bytes"), field, max);
		return -1;
	}
	if (required && len == 0) {
		*cause = xasprintf(_("field '%s' is empty"), field);
		return -1;
	}
	if (memchr(s, '\0', len) == NULL) {
		*out = xstrndup(s, len);
		if (out_len != NULL)
			*out_len = len;
		return 0;
	}
	if (!nul_ok) {
		*cause = xasprintf(_("field '%s' contains a NUL character"), field);
		return -1;
	}
	buf_init(&b);
	for (i = 0; i < len; i++) {
		if (s[i] == '\0')
			buf_add_str(&b, "\xef\xbf\xbd");
		else
			buf_add_char(&b, s[i]);
	}
	if (out_len != NULL)
		*out_len = b.len;
	*out = buf_steal(&b);
	return 0;
}

/* Parse the attachments array into m. */
static int
json_get_attachments(json_t *root, struct msg *m, char **cause)
{
	json_t	*arr, *a, *size;
	size_t	 i;
	char	*field;
	int	 rc;

	arr = json_object_get(root, "attachments");
	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr)) {
		*cause = xstrdup(_("field 'attachments' must be an array"));
		return -1;
	}
	if (json_array_size(arr) == 0)
		return 0;
	m->attachments = xcalloc(json_array_size(arr), sizeof *m->attachments);
	json_array_foreach(arr, i, a) {
		struct msg_attachment *att = &m->attachments[i];

		m->n_attachments = i + 1;
		att->size = -1;
		if (!json_is_object(a)) {
			*cause = xasprintf(_("field 'attachments[%zu]' must be an object"), i);
			return -1;
		}
		field = xasprintf("attachments[%zu].name", i);
		rc = json_get_string(a, "name", field, JSON_NAME_MAX, 0, 0, 1,
		    &att->name, NULL, cause);
		free(field);
		if (rc != 0)
			return -1;
		field = xasprintf("attachments[%zu].mime", i);
		rc = json_get_string(a, "mime", field, 255, 0, 0, 0, &att->mime,
		    NULL, cause);
		free(field);
		if (rc != 0)
			return -1;
		field = xasprintf("attachments[%zu].url", i);
		rc = json_get_string(a, "url", field, JSON_NAME_MAX, 0, 0, 0,
		    &att->url, NULL, cause);
		free(field);
		if (rc != 0)
			return -1;
		size = json_object_get(a, "size");
		if (size != NULL && !json_is_null(size)) {
			if (!json_is_integer(size) || json_integer_value(size) < 0) {
				*cause = xasprintf(_("field 'attachments[%zu].size' must "
				    "be a non-negative integer"), i);
				return -1;
			}
			att->size = json_integer_value(size);
		}
	}
	return 0;
}

/* Parse the tags array: each a valid tag, optionally with + or -. */
/* "entities": an array (of objects), kept as compact JSON text. */
static int
json_get_entities(json_t *root, struct msg *m, char **cause)
{
	json_t	*v = json_object_get(root, "entities");

	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v)) {
		*cause = xstrdup(_("field 'entities' must be an array"));
		return -1;
	}
	m->entities = json_dumps(v, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (m->entities == NULL) {
		*cause = xstrdup(_("field 'entities' cannot be kept"));
		return -1;
	}
	if (strlen(m->entities) > JSON_ENTITIES_MAX) {
		free(m->entities);
		m->entities = NULL;
		*cause = xasprintf(_("field 'entities' is longer than %d bytes"),
		    JSON_ENTITIES_MAX);
		return -1;
	}
	return 0;
}

static int
json_get_tags(json_t *root, struct msg *m, char **cause)
{
	json_t		*arr, *t;
	size_t		 i;
	const char	*s, *name;

	arr = json_object_get(root, "tags");
	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr)) {
		*cause = xstrdup(_("field 'tags' must be an array"));
		return -1;
	}
	json_array_foreach(arr, i, t) {
		if (!json_is_string(t)) {
			*cause = xasprintf(_("field 'tags[%zu]' must be a string"), i);
			return -1;
		}
		s = json_string_value(t);
		name = (*s == '+' || *s == '-') ? s + 1 : s;
		if (strlen(s) != json_string_length(t) || !tag_valid(name)) {
			*cause = xasprintf(_("field 'tags[%zu]' is not a valid tag"), i);
			return -1;
		}
		msg_add_tag(m, s);
	}
	return 0;
}

/*
 * "event": what a state change was (kind event only): its type, who made
 * it, why, the Message-Ids the agent saw and a snooze's end.
 */
static int
json_get_event(json_t *root, struct msg *m, char **cause)
{
	json_t		*ev, *arr, *id, *until;
	size_t		 i, n;

	ev = json_object_get(root, "event");
	if (ev == NULL || json_is_null(ev)) {
		if (m->kind == MSG_EVENT) {
			*cause = xstrdup(_("field 'event' is missing (from.kind "
			    "is event)"));
			return -1;
		}
		return 0;
	}
	if (!json_is_object(ev)) {
		*cause = xstrdup(_("field 'event' must be an object"));
		return -1;
	}
	if (m->kind != MSG_EVENT) {
		*cause = xstrdup(_("field 'event' needs from.kind event"));
		return -1;
	}
	if (json_get_string(ev, "type", "event.type", 32, 1, 0, 0, &m->event,
	    NULL, cause) != 0 ||
	    json_get_string(ev, "agent", "event.agent", JSON_NAME_MAX, 0, 0, 0,
	    &m->agent, NULL, cause) != 0 ||
	    json_get_string(ev, "reason", "event.reason", JSON_NAME_MAX, 0, 0,
	    0, &m->reason, NULL, cause) != 0)
		return -1;
	until = json_object_get(ev, "until");
	if (until != NULL && !json_is_null(until)) {
		if (!json_is_integer(until)) {
			*cause = xstrdup(_("field 'event.until' must be an integer"));
			return -1;
		}
		m->until = json_integer_value(until);
	}
	arr = json_object_get(ev, "seen");
	if (arr == NULL || json_is_null(arr))
		return 0;
	if (!json_is_array(arr)) {
		*cause = xstrdup(_("field 'event.seen' must be an array"));
		return -1;
	}
	n = json_array_size(arr);
	m->seen = xcalloc(n + 1, sizeof *m->seen);
	json_array_foreach(arr, i, id) {
		if (!json_is_string(id) || json_string_length(id) == 0 ||
		    json_string_length(id) > JSON_ID_MAX ||
		    strlen(json_string_value(id)) != json_string_length(id)) {
			*cause = xasprintf(_("field 'event.seen[%zu]' must be a "
			    "Message-Id"), i);
			return -1;
		}
		m->seen[i] = xstrdup(json_string_value(id));
	}
	return 0;
}

/* A channel name becomes a header and an address domain: keep it plain. */
/*
 * A sent reply's delivery (what `show --json` prints of it): delivery,
 * "delivered" or "read", and delivery_date, RFC 3339 or seconds.
 */
static int
json_get_delivery(json_t *root, struct msg *m, char **cause)
{
	json_t	*date;
	int	 offset;

	if (json_get_string(root, "delivery", "delivery", 16, 0, 0, 0,
	    &m->delivery, NULL, cause) != 0)
		return -1;
	if (m->delivery == NULL)
		return 0;
	if (strcmp(m->delivery, "delivered") != 0 &&
	    strcmp(m->delivery, "read") != 0) {
		*cause = xstrdup(_("field 'delivery' must be delivered or read"));
		return -1;
	}
	date = json_object_get(root, "delivery_date");
	if (date == NULL || json_is_null(date))
		return 0;
	if (json_is_integer(date)) {
		m->delivery_date = json_integer_value(date);
		if (m->delivery_date >= JSON_DATE_MIN &&
		    m->delivery_date <= JSON_DATE_MAX)
			return 0;
	} else if (json_is_string(date) &&
	    util_parse_rfc3339(json_string_value(date), &m->delivery_date,
	    &offset) == 0)
		return 0;
	*cause = xstrdup(_("field 'delivery_date' must be an RFC 3339 date"));
	return -1;
}

static int
json_channel_name_valid(const char *name)
{
	const char	*p;

	if (*name == '\0' || *name == '-' || *name == '_')
		return 0;
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_'))
			return 0;
	}
	return 1;
}

struct msg *
json_msg_parse(const char *line, size_t len, char **cause)
{
	json_t		*root, *conv, *from, *date;
	json_error_t	 error;
	struct msg	*m;
	size_t		 bad;
	char		*kind = NULL;

	*cause = NULL;
	if (!utf8_valid(line, len, &bad)) {
		*cause = xasprintf(_("invalid UTF-8 at byte offset %zu"), bad);
		return NULL;
	}
	root = json_loadb(line, len, JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &error);
	if (root == NULL) {
		char *text = sanitize(error.text, strlen(error.text), SANITIZE_LINE, 200);
		*cause = xasprintf(_("invalid JSON at byte offset %d: %s"),
		    error.position, text);
		free(text);
		return NULL;
	}
	m = msg_new();
	if (!json_is_object(root)) {
		*cause = xstrdup(_("a message must be a JSON object"));
		goto fail;
	}
	if (json_get_string(root, "channel", "channel", 64, 1, 0, 0, &m->channel,
	    NULL, cause) != 0 ||
	    json_get_string(root, "account", "account", JSON_ID_MAX, 1, 1, 0,
	    &m->account, NULL, cause) != 0)
		goto fail;
	if (!json_channel_name_valid(m->channel)) {
		*cause = xstrdup(_("field 'channel' must be a lower-case name "
		    "(a-z, 0-9, '-', '_')"));
		goto fail;
	}
	conv = json_object_get(root, "conversation");
	if (conv == NULL || !json_is_object(conv)) {
		*cause = xstrdup(conv == NULL ? _("field 'conversation' is missing") :
		    _("field 'conversation' must be an object"));
		goto fail;
	}
	if (json_get_string(conv, "id", "conversation.id", JSON_ID_MAX, 1, 1, 0,
	    &m->conv_id, NULL, cause) != 0 ||
	    json_get_string(conv, "title", "conversation.title", JSON_NAME_MAX, 0,
	    0, 1, &m->conv_title, NULL, cause) != 0 ||
	    json_get_string(root, "id", "id", JSON_ID_MAX, 1, 1, 0, &m->id, NULL,
	    cause) != 0)
		goto fail;
	date = json_object_get(root, "date");
	if (date == NULL || json_is_null(date)) {
		*cause = xstrdup(_("field 'date' is missing"));
		goto fail;
	}
	if (json_is_integer(date)) {
		m->date = json_integer_value(date);
		if (m->date < JSON_DATE_MIN || m->date > JSON_DATE_MAX) {
			*cause = xstrdup(_("field 'date' is out of range (years "
			    "0000 to 9999)"));
			goto fail;
		}
	} else if (!json_is_string(date) ||
	    util_parse_rfc3339(json_string_value(date), &m->date,
	    &m->date_offset) != 0) {
		*cause = xstrdup(_("field 'date' must be an RFC 3339 date "
		    "(2026-11-20T09:30:00Z)"));
		goto fail;
	}
	from = json_object_get(root, "from");
	if (from == NULL || !json_is_object(from)) {
		*cause = xstrdup(from == NULL ? _("field 'from' is missing") :
		    _("field 'from' must be an object"));
		goto fail;
	}
	if (json_get_string(from, "id", "from.id", JSON_ID_MAX, 1, 1, 0,
	    &m->from_id, NULL, cause) != 0 ||
	    json_get_string(from, "name", "from.name", JSON_NAME_MAX, 0, 0, 1,
	    &m->from_name, NULL, cause) != 0 ||
	    json_get_string(from, "lang", "from.lang", 16, 0, 0, 0, &m->lang,
	    NULL, cause) != 0 ||
	    json_get_string(from, "kind", "from.kind", 16, 1, 0, 0, &kind, NULL,
	    cause) != 0)
		goto fail;
	if (msg_kind_parse(kind, &m->kind) != 0) {
		*cause = xstrdup(_("field 'from.kind' must be one of customer, bot, "
		    "agent, note, event"));
		goto fail;
	}
	if (json_get_string(root, "text", "text", 0, 0, 0, 1, &m->text,
	    &m->text_len, cause) != 0 ||
	    json_get_string(root, "reply_to", "reply_to", JSON_ID_MAX, 0, 1, 0,
	    &m->reply_to, NULL, cause) != 0 ||
	    json_get_string(root, "edit_of", "edit_of", JSON_ID_MAX, 0, 1, 0,
	    &m->edit_of, NULL, cause) != 0 ||
	    json_get_attachments(root, m, cause) != 0 ||
	    json_get_tags(root, m, cause) != 0 ||
	    json_get_entities(root, m, cause) != 0 ||
	    json_get_event(root, m, cause) != 0 ||
	    json_get_delivery(root, m, cause) != 0)
		goto fail;
	free(kind);
	json_decref(root);
	return m;

fail:
	free(kind);
	json_decref(root);
	msg_free(m);
	return NULL;
}

/*
 * jansson escapes C0 controls but writes DEL, C1 controls, bidi controls,
 * U+FEFF and the line separators raw. Escape them too, so that JSON
 * output is safe on a terminal; they can only occur inside strings, so
 * the result is still the same JSON.
 */
static char *
json_escape_unsafe(char *s)
{
	struct buf	 b;
	size_t		 len, i, j, n;
	uint32_t	 cp;

	len = strlen(s);
	buf_init(&b);
	for (i = 0; i < len; i += n) {
		if (s[i] == '\\' && i + 1 < len) {
			/* An escape: copied, with jansson's \u001B as \u001b. */
			n = s[i + 1] == 'u' && i + 6 <= len ? 6 : 2;
			for (j = 0; j < n; j++)
				buf_add_char(&b, j >= 2 ? (char)tolower(
				    (unsigned char)s[i + j]) : s[i + j]);
			continue;
		}
		if ((unsigned char)s[i] < 0x80) {
			n = 1;
			if (s[i] == 0x7f)
				buf_add_str(&b, "\\u007f");
			else
				buf_add_char(&b, s[i]);
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || cp == 0x200e ||
		    cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff ||
		    cp == 0x2028 || cp == 0x2029)
			buf_add_printf(&b, "\\u%04x", (unsigned)cp);
		else
			buf_add(&b, s + i, n);
	}
	free(s);
	return buf_steal(&b);
}

/* Format a json_t compactly, keys in insertion order; frees root. */
static char *
json_dump_safe(json_t *root)
{
	char	*s;

	s = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (s == NULL)
		fatalx(_("json_dumps failed"));
	return json_escape_unsafe(s);
}

/* A JSON string from text that may hold invalid UTF-8 (repaired). */
static json_t *
json_string_safe(const char *s, size_t len)
{
	json_t	*v;
	size_t	 bad, i, n;
	uint32_t cp;
	struct buf b;

	if (utf8_valid(s, len, &bad))
		return json_stringn(s, len);
	buf_init(&b);
	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == UTF8_REPLACEMENT && n == 1)
			buf_add_str(&b, "\xef\xbf\xbd");
		else
			buf_add(&b, s + i, n);
	}
	v = json_stringn(b.data, b.len);
	buf_free(&b);
	return v;
}

static void
json_set_str(json_t *obj, const char *key, const char *value)
{
	if (value != NULL)
		json_object_set_new(obj, key, json_string_safe(value, strlen(value)));
}

/* The canonical object of a message (json_msg_format's). */
static json_t *
json_msg_object(const struct msg *m)
{
	json_t	*root, *conv, *from, *arr, *a;
	char	 date[64];
	size_t	 i;

	root = json_object();
	json_set_str(root, "channel", m->channel);
	json_set_str(root, "account", m->account);
	conv = json_object();
	json_set_str(conv, "id", m->conv_id);
	json_set_str(conv, "title", m->conv_title);
	json_object_set_new(root, "conversation", conv);
	json_set_str(root, "id", m->id);
	util_format_rfc3339(m->date, m->date_offset, date, sizeof date);
	json_set_str(root, "date", date);
	from = json_object();
	json_set_str(from, "id", m->from_id);
	json_set_str(from, "name", m->from_name);
	json_set_str(from, "lang", m->lang);
	json_set_str(from, "kind", msg_kind_name(m->kind));
	json_object_set_new(root, "from", from);
	if (m->text != NULL)
		json_object_set_new(root, "text", json_string_safe(m->text,
		    m->text_len));
	json_set_str(root, "reply_to", m->reply_to);
	json_set_str(root, "edit_of", m->edit_of);
	if (m->entities != NULL &&
	    (arr = json_loads(m->entities, JSON_DECODE_ANY, NULL)) != NULL)
		json_object_set_new(root, "entities", arr);
	if (m->n_attachments > 0) {
		arr = json_array();
		for (i = 0; i < m->n_attachments; i++) {
			a = json_object();
			json_set_str(a, "name", m->attachments[i].name);
			json_set_str(a, "mime", m->attachments[i].mime);
			if (m->attachments[i].size >= 0)
				json_object_set_new(a, "size",
				    json_integer(m->attachments[i].size));
			json_set_str(a, "url", m->attachments[i].url);
			json_set_str(a, "local", m->attachments[i].local);
			json_array_append_new(arr, a);
		}
		json_object_set_new(root, "attachments", arr);
	}
	if (m->tags != NULL && m->tags[0] != NULL) {
		arr = json_array();
		for (i = 0; m->tags[i] != NULL; i++)
			json_array_append_new(arr, json_string_safe(m->tags[i],
			    strlen(m->tags[i])));
		json_object_set_new(root, "tags", arr);
	}
	json_set_str(root, "outbox", m->outbox);
	json_set_str(root, "remote_id", m->remote_id);
	json_set_str(root, "outbox_error", m->outbox_error);
	if (m->delivery != NULL) {
		json_set_str(root, "delivery", m->delivery);
		if (m->delivery_date >= JSON_DATE_MIN &&
		    m->delivery_date <= JSON_DATE_MAX) {
			util_format_rfc3339(m->delivery_date, 0, date,
			    sizeof date);
			json_set_str(root, "delivery_date", date);
		}
	}
	if (m->event != NULL) {
		a = json_object();
		json_set_str(a, "type", m->event);
		json_set_str(a, "agent", m->agent);
		json_set_str(a, "reason", m->reason);
		if (m->until != 0)
			json_object_set_new(a, "until", json_integer(m->until));
		if (m->seen != NULL) {
			arr = json_array();
			for (i = 0; m->seen[i] != NULL; i++)
				json_array_append_new(arr, json_string_safe(
				    m->seen[i], strlen(m->seen[i])));
			json_object_set_new(a, "seen", arr);
		}
		json_object_set_new(root, "event", a);
	}
	return root;
}

char *
json_msg_format(const struct msg *m)
{
	return json_dump_safe(json_msg_object(m));
}

/* The canonical line, with what a reader of `show --json` looks for
 * first: who wrote it (kind), and an event's line as text. */
char *
json_msg_format_show(const struct msg *m)
{
	json_t	*root;
	char	*text;

	root = json_msg_object(m);
	json_set_str(root, "kind", msg_kind_name(m->kind));
	/* The Message-Id, as reply --base takes it; a reply's state in one
	 * word (queued ... sent, delivered, read, failed). */
	if (m->channel != NULL && m->id != NULL) {
		text = msgid_message(m->channel, m->account != NULL ?
		    m->account : "", m->conv_id != NULL ? m->conv_id : "",
		    m->id);
		json_set_str(root, "message_id", text);
		free(text);
	}
	if (m->outbox != NULL)
		json_set_str(root, "delivery_state", strcmp(m->outbox,
		    "sent") == 0 && m->delivery != NULL ? m->delivery :
		    m->outbox);
	if (m->text == NULL && m->kind == MSG_EVENT && m->event != NULL) {
		text = triage_event_text(m->event, m->agent, m->reason, NULL,
		    m->until);
		json_set_str(root, "text", text);
		free(text);
	}
	return json_dump_safe(root);
}

/* A thin object builder for other JSON outputs (`list --json`). */
struct json_obj {
	json_t	*obj;
};

struct json_obj *
json_obj_new(void)
{
	struct json_obj	*o;

	o = xmalloc(sizeof *o);
	o->obj = json_object();
	return o;
}

void
json_obj_set_str(struct json_obj *o, const char *key, const char *value)
{
	if (value == NULL)
		json_object_set_new(o->obj, key, json_null());
	else
		json_set_str(o->obj, key, value);
}

void
json_obj_set_int(struct json_obj *o, const char *key, int64_t value)
{
	json_object_set_new(o->obj, key, json_integer(value));
}

void
json_obj_set_real(struct json_obj *o, const char *key, double value)
{
	json_object_set_new(o->obj, key, json_real(value));
}

void
json_obj_set_strv(struct json_obj *o, const char *key, char **values, size_t n)
{
	json_t	*arr;
	size_t	 i;

	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_string_safe(values[i],
		    strlen(values[i])));
	json_object_set_new(o->obj, key, arr);
}

void
json_obj_set_obj(struct json_obj *o, const char *key, struct json_obj *child)
{
	json_object_set_new(o->obj, key, child->obj);
	free(child);
}

void
json_obj_set_bool(struct json_obj *o, const char *key, int value)
{
	json_object_set_new(o->obj, key, json_boolean(value));
}

void
json_obj_append_obj(struct json_obj *o, const char *key,
    struct json_obj *child)
{
	json_t	*arr;

	arr = json_object_get(o->obj, key);
	if (arr == NULL || !json_is_array(arr)) {
		arr = json_array();
		json_object_set_new(o->obj, key, arr);
	}
	json_array_append_new(arr, child->obj);
	free(child);
}

char *
json_obj_finish(struct json_obj *o)
{
	json_t	*obj = o->obj;

	free(o);
	return json_dump_safe(obj);
}

/*
 * A deep copy of a message through its JSON form (text kept apart). The
 * message may come from a channel: what the canonical form refuses (a
 * date past the year 9999, an id too long) is said in *cause, never fatal.
 */
struct msg *
json_msg_copy(const struct msg *m, char **cause)
{
	struct msg	 meta, *copy;
	char		*json;

	*cause = NULL;
	if (m->date < JSON_DATE_MIN || m->date > JSON_DATE_MAX) {
		*cause = xstrdup(_("the date is out of range (years 0000 to 9999)"));
		return NULL;
	}
	meta = *m;
	meta.text = NULL;
	meta.text_len = 0;
	json = json_msg_format(&meta);
	copy = json_msg_parse(json, strlen(json), cause);
	free(json);
	if (copy == NULL)
		return NULL;
	if (m->text != NULL) {
		copy->text = xmalloc(m->text_len + 1);
		memcpy(copy->text, m->text, m->text_len);
		copy->text[m->text_len] = '\0';
		copy->text_len = m->text_len;
	}
	return copy;
}

int
json_webhook_shape(const char *data, size_t len, const char *object)
{
	json_t		*root;
	const char	*value;
	int		 ok;

	root = json_loadb(data, len, JSON_ALLOW_NUL, NULL);
	value = json_string_value(json_object_get(root, "object"));
	ok = json_is_object(root) && value != NULL &&
	    strcmp(value, object) == 0 &&
	    json_is_array(json_object_get(root, "entry"));
	json_decref(root);
	return ok;
}

int
json_line_shape(const char *data, size_t len)
{
	json_t	*root;
	int	 ok;

	root = json_loadb(data, len, JSON_ALLOW_NUL, NULL);
	ok = json_is_object(root) &&
	    json_is_string(json_object_get(root, "destination")) &&
	    json_is_array(json_object_get(root, "events"));
	json_decref(root);
	return ok;
}

int
json_valid(const char *data, size_t len)
{
	json_t		*root;
	json_error_t	 error;

	root = json_loadb(data, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
	    &error);
	if (root == NULL)
		return 0;
	json_decref(root);
	return 1;
}

int
json_msg_valid(const struct msg *m, char **cause)
{
	struct msg	*copy;

	if ((copy = json_msg_copy(m, cause)) == NULL)
		return 0;
	msg_free(copy);
	return 1;
}
