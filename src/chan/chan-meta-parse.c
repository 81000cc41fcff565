/*
 * chan-meta-parse.c: what a webhook POST of the WhatsApp Cloud API or of
 * the Messenger Platform carries (channel-apis.md, 3 and 4), as messages,
 * statuses, echoes, thread owners and refusals (chan-meta.h), apart from
 * any request or host.
 *
 * Everything an element says is read before anything is kept: an element
 * that cannot be taken (not an object, no id, a wrong type, a string
 * over 64 KiB, an array over 1000 items, a date out of range, what the
 * canonical form refuses) is refused whole with its compact JSON and a
 * cause, and the rest of the payload still parses. There is no
 * recursion: the depth read is fixed by the platforms' shapes.
 *
 * WhatsApp. A change whose field is not "messages" is refused ("field X
 * is not handled"), so is one for another phone number than the
 * channel's. The customer is from (the wa_id), or from_user_id (the
 * business-scoped user id, BSUID) when from is empty or missing;
 * contacts[] gives the profile name of either. Media become one
 * attachment each ("wa-media:<id>", fetched by the adapter) with the
 * caption as text; location, contacts, interactive replies, buttons and
 * reactions become a line of text; any other type a text
 * "[unsupported message: ...]", never dropped. value.errors[] are
 * refused as "error" items, so the agent sees them in the quarantine.
 *
 * Messenger. entry[].messaging[] and entry[].standby[] are read the same
 * way. Decisions taken where the platform leaves room:
 *  - A page's own message (is_echo) whose metadata is "ombre:ID" is our
 *    reply ID come back: an echo, nothing stored. Another echo is stored
 *    as our side of the conversation: sent by the bot app (bot-app-id=)
 *    it is a bot message ("bot"), else an agent's ("Meta Business Suite"
 *    for the Page Inbox's app, "Page" for any other).
 *  - Edits (message_edit) are messages of their own, "<mid>#edit<n>",
 *    pointing at the original (edit_of), so both texts are kept; without
 *    num_edit, "<mid>#edit.<timestamp>". A page editing its own message
 *    is an agent's edit.
 *  - Reactions and postbacks are customer messages ("reacted ❤",
 *    "removed a reaction"; a postback's title) with derived ids.
 *  - Handovers: pass_thread_control and take_thread_control change the
 *    owner (an owner pair). take_thread_control is sent to the app the
 *    thread was taken from; when it names no new_owner_app_id the taker
 *    is another app we cannot name, kept as owner "" (the metadata is the
 *    caller's free text and never read). A new owner that is the Page
 *    Inbox or ombre's app (app-id=) is a "handoff" event (a human has
 *    it); the bot app (bot-app-id=, checked before app-id=) a
 *    "hand-back" event; any other app an owner pair only, no event.
 *    request_thread_control changes no owner: from the Page Inbox it is a
 *    "handoff" event (a human asks for the thread); from any other app it
 *    is informational and ignored, as app_roles is. An event's id is
 *    "handover.<pass|take|request>.<timestamp ms>" in the customer's
 *    conversation, so the same webhook twice stores it once.
 *  - Any other event (optin, referral, ...) is refused with its keys.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan-meta.h"

#include <jansson.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The longest string read from a payload, and the most items an array. */
#define META_STR_MAX	65536
#define META_ARRAY_MAX	1000
/* What the canonical form takes for an id (json.c's JSON_ID_MAX). */
#define META_ID_MAX	1024
/* A BSUID is at most 256 characters (channel-apis.md, 3). */
#define META_BSUID_MAX	256
/* Names are cut here rather than the message refused for them. */
#define META_NAME_MAX	1000
/* A failed status's error, cut here. */
#define META_ERROR_MAX	300
/* The longest piece of a payload quoted in a refusal's cause. */
#define META_QUOTE_MAX	64

/* One payload being read. */
struct meta_run {
	const struct meta_config	*c;
	struct meta_payload		*p;
};

/* ------------------------------------------------------------ helpers */

/* Set *why when nothing has been said yet. */
static void OMBRE_PRINTF(2, 3)
meta_why(char **why, const char *fmt, ...)
{
	va_list	ap;

	if (*why != NULL)
		return;
	va_start(ap, fmt);
	*why = xvasprintf(fmt, ap);
	va_end(ap);
}

/* A piece of the payload fit to quote in a cause: one line, short. */
static char *
meta_quote(const char *s)
{
	return sanitize(s, strlen(s), SANITIZE_LINE, META_QUOTE_MAX);
}

/* The compact JSON of an element (allocated). */
static char *
meta_raw(json_t *v)
{
	char	*raw;

	raw = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	return raw != NULL ? raw : xstrdup("null");
}

/* Refuse the element v (what it is, why: taken over). */
static void
meta_refuse_why(struct meta_payload *p, const char *what, json_t *v,
    char *why)
{
	struct meta_refused	*r;

	p->refused = xreallocarray(p->refused, p->n_refused + 1,
	    sizeof *p->refused);
	r = &p->refused[p->n_refused++];
	r->what = xstrdup(what);
	r->raw = meta_raw(v);
	if (why == NULL || *why == '\0') {
		free(why);
		why = xstrdup("cannot be read");
	}
	r->why = why;
}

/* The same with a cause made by format. */
static void OMBRE_PRINTF(4, 5)
meta_refuse(struct meta_payload *p, const char *what, json_t *v,
    const char *fmt, ...)
{
	va_list	ap;
	char	*why;

	va_start(ap, fmt);
	why = xvasprintf(fmt, ap);
	va_end(ap);
	meta_refuse_why(p, what, v, why);
}

/*
 * The array member key of obj: NULL without a word when absent or null;
 * NULL and *why when it is no array or holds more than META_ARRAY_MAX
 * items.
 */
static json_t *
meta_array(json_t *obj, const char *key, const char *field, char **why)
{
	json_t	*v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		meta_why(why, "%s is not an array", field);
		return NULL;
	}
	if (json_array_size(v) > META_ARRAY_MAX) {
		meta_why(why, "%s has %zu items, more than %d", field,
		    json_array_size(v), META_ARRAY_MAX);
		return NULL;
	}
	return v;
}

/*
 * The string member key of obj as a JSON value: NULL without a word when
 * absent or null; NULL and *why when it is no string or is longer than
 * META_STR_MAX.
 */
static json_t *
meta_jstr(json_t *obj, const char *key, const char *field, char **why)
{
	json_t	*v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		meta_why(why, "%s is not a string", field);
		return NULL;
	}
	if (json_string_length(v) > META_STR_MAX) {
		meta_why(why, "%s is longer than %d bytes", field,
		    META_STR_MAX);
		return NULL;
	}
	return v;
}

/* The same as a C string (up to a NUL: for comparisons and causes). */
static const char *
meta_str(json_t *obj, const char *key, const char *field, char **why)
{
	return json_string_value(meta_jstr(obj, key, field, why));
}

/* A string value as text: allocated, each NUL as U+FFFD (the store's). */
static char *
meta_text(json_t *v, size_t *len)
{
	const char	*s = json_string_value(v);
	size_t		 n = json_string_length(v), i;
	struct buf	 b;

	if (s == NULL) {
		if (len != NULL)
			*len = 0;
		return xstrdup("");
	}
	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (s[i] == '\0')
			buf_add_str(&b, "\xef\xbf\xbd");
		else
			buf_add_char(&b, s[i]);
	}
	if (len != NULL)
		*len = b.len;
	return buf_steal(&b);
}

/* A name: text cut at META_NAME_MAX on a character's start, or NULL. */
static char *
meta_name(json_t *v)
{
	char	*s;
	size_t	 len;

	if (v == NULL)
		return NULL;
	s = meta_text(v, &len);
	if (len == 0) {
		free(s);
		return NULL;
	}
	if (len > META_NAME_MAX) {
		len = META_NAME_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
		s[len] = '\0';
	}
	return s;
}

/*
 * An id member (a string, or an integer as Meta sends app ids):
 * allocated; NULL without a word when absent, null or empty; NULL and
 * *why when it is of another type, holds a NUL or is too long.
 */
static char *
meta_id(json_t *obj, const char *key, const char *field, char **why)
{
	json_t	*v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_integer(v))
		return xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (!json_is_string(v)) {
		meta_why(why, "%s is not a string", field);
		return NULL;
	}
	if (json_string_length(v) > META_ID_MAX) {
		meta_why(why, "%s is longer than %d bytes", field, META_ID_MAX);
		return NULL;
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		meta_why(why, "%s holds a NUL", field);
		return NULL;
	}
	if (json_string_length(v) == 0)
		return NULL;
	return xstrdup(json_string_value(v));
}

/*
 * An integer member: a string of decimal digits (WhatsApp's timestamps)
 * or an integer. Return 1 and *n; 0 without a word when absent or null;
 * 0 and *why when it is no such number.
 */
static int
meta_int(json_t *obj, const char *key, long long *n, char **why)
{
	json_t		*v = json_object_get(obj, key);
	const char	*s, *digits;

	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_integer(v)) {
		*n = json_integer_value(v);
		return 1;
	}
	s = json_string_value(v);
	digits = s != NULL && *s == '-' ? s + 1 : s;
	if (s == NULL || json_string_length(v) > 20 ||
	    strlen(s) != json_string_length(v) || *digits == '\0' ||
	    strspn(digits, "0123456789") != strlen(digits)) {
		meta_why(why, "%s is not a number", key);
		return 0;
	}
	errno = 0;
	*n = strtoll(s, NULL, 10);
	if (errno != 0) {
		meta_why(why, "%s is out of range", key);
		return 0;
	}
	return 1;
}

/*
 * A time member (meta_int) in units of 1/div second (1000: Messenger's
 * milliseconds) as seconds. Return 1 and *t; 0 without a word when
 * absent; 0 and *why when it is no number or out of the canonical form's
 * range (negative milliseconds too).
 */
static int
meta_time(json_t *obj, const char *key, int64_t div, int64_t *t, char **why)
{
	long long	n;

	if (!meta_int(obj, key, &n, why))
		return 0;
	if ((div > 1 && n < 0) || n / div < JSON_DATE_MIN ||
	    n / div > JSON_DATE_MAX) {
		meta_why(why, "%s is out of range (years 0000 to 9999)", key);
		return 0;
	}
	*t = (int64_t)(n / div);
	return 1;
}

/* A customer's message with what every message has; the caller adds
 * the sender, the text and what its kind needs. */
static struct msg *
meta_msg_new(const char *channel, const char *account, const char *conv_id,
    const char *id, int64_t date)
{
	struct msg	*m;

	m = msg_new();
	m->channel = xstrdup(channel);
	m->account = xstrdup(account);
	m->conv_id = xstrdup(conv_id);
	m->id = xstrdup(id);
	m->date = date;
	m->kind = MSG_CUSTOMER;
	return m;
}

/*
 * Keep m when the store would take it as it is; else refuse the element v
 * it came from with the canonical form's cause. m is taken over.
 */
static void
meta_msg_keep(struct meta_payload *p, struct msg *m, const char *what,
    json_t *v)
{
	char		*cause = NULL;

	if (m->text == NULL)
		msg_set_text(m, xstrdup(""));
	if (!json_msg_valid(m, &cause)) {
		msg_free(m);
		meta_refuse_why(p, what, v, cause);
		return;
	}
	p->msgs = xreallocarray(p->msgs, p->n_msgs + 1, sizeof *p->msgs);
	p->msgs[p->n_msgs++] = m;
}

/* A new status, zeroed, to fill. */
static struct meta_status *
meta_status_add(struct meta_payload *p)
{
	struct meta_status	*s;

	p->statuses = xreallocarray(p->statuses, p->n_statuses + 1,
	    sizeof *p->statuses);
	s = &p->statuses[p->n_statuses++];
	memset(s, 0, sizeof *s);
	return s;
}

/* Thread conv is now app's (a handover). */
static void
meta_owner_add(struct meta_payload *p, const char *conv, const char *app)
{
	p->owner_conv = xreallocarray(p->owner_conv, p->n_owners + 1,
	    sizeof *p->owner_conv);
	p->owner_app = xreallocarray(p->owner_app, p->n_owners + 1,
	    sizeof *p->owner_app);
	p->owner_conv[p->n_owners] = xstrdup(conv);
	p->owner_app[p->n_owners] = xstrdup(app);
	p->n_owners++;
}

/*
 * A Graph error object ({code, title, message, error_data.details}) as
 * "CODE TITLE: details", cut at META_ERROR_MAX bytes on a character's
 * start. Allocated.
 */
static char *
meta_error_text(json_t *err)
{
	const char	*title, *details;
	char		*code, *ignored = NULL, *s;
	struct buf	 b;
	size_t		 len;

	code = meta_id(err, "code", "code", &ignored);
	title = meta_str(err, "title", "title", &ignored);
	if (title == NULL || *title == '\0')
		title = meta_str(err, "message", "message", &ignored);
	details = meta_str(json_object_get(err, "error_data"), "details",
	    "details", &ignored);
	free(ignored);
	buf_init(&b);
	if (code != NULL)
		buf_add_str(&b, code);
	if (title != NULL && *title != '\0')
		buf_add_printf(&b, "%s%s", b.len > 0 ? " " : "", title);
	if (details != NULL && *details != '\0')
		buf_add_printf(&b, "%s%s", b.len > 0 ? ": " : "", details);
	free(code);
	if (b.len == 0)
		buf_add_str(&b, "an error without a code or a text");
	s = buf_steal(&b);
	len = strlen(s);
	if (len > META_ERROR_MAX) {
		len = META_ERROR_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
		s[len] = '\0';
	}
	return s;
}

/* Is id a webhook's own value for the app or account want? */
static int
meta_same(const char *want, const char *id)
{
	return want != NULL && *want != '\0' && id != NULL &&
	    strcmp(want, id) == 0;
}

/* ----------------------------------------------------------- WhatsApp */

/* One change's value being read. */
struct wa_value {
	struct meta_run	*run;
	const char	*account;	/* its phone_number_id */
	json_t		*contacts;	/* an array, or NULL */
};

/* One message being read: what the readers of its type fill. */
struct wa_msg {
	struct wa_value	*wv;
	json_t		*wm;		/* the message */
	const char	*type;
	struct msg	*m;
	char		*why;
};

struct wa_type {
	const char	*type;
	const char	*base;		/* media: the made-up file name */
	const char	*mime;		/* media: when none is given */
	void		 (*read)(struct wa_msg *, const struct wa_type *,
			     json_t *);
};

static void	wa_read_text(struct wa_msg *, const struct wa_type *, json_t *);
static void	wa_read_media(struct wa_msg *, const struct wa_type *,
		    json_t *);
static void	wa_read_location(struct wa_msg *, const struct wa_type *,
		    json_t *);
static void	wa_read_contacts(struct wa_msg *, const struct wa_type *,
		    json_t *);
static void	wa_read_interactive(struct wa_msg *, const struct wa_type *,
		    json_t *);
static void	wa_read_button(struct wa_msg *, const struct wa_type *,
		    json_t *);
static void	wa_read_reaction(struct wa_msg *, const struct wa_type *,
		    json_t *);

static const struct wa_type wa_types[] = {
	{ "text", NULL, NULL, wa_read_text },
	{ "image", "image", "image/jpeg", wa_read_media },
	{ "document", "document", "application/octet-stream",
	  wa_read_media },
	{ "audio", "audio", "audio/ogg", wa_read_media },
	{ "video", "video", "video/mp4", wa_read_media },
	{ "sticker", "sticker", "image/webp", wa_read_media },
	{ "location", NULL, NULL, wa_read_location },
	{ "contacts", NULL, NULL, wa_read_contacts },
	{ "interactive", NULL, NULL, wa_read_interactive },
	{ "button", NULL, NULL, wa_read_button },
	{ "reaction", NULL, NULL, wa_read_reaction }
};

/* The text of a type's object member (a string, "" when absent). */
static void
wa_text_of(struct wa_msg *w, json_t *obj, const char *key, const char *field)
{
	json_t	*v = meta_jstr(obj, key, field, &w->why);

	msg_set_text(w->m, meta_text(v, NULL));
}

/* text.body as it is. */
static void
wa_read_text(struct wa_msg *w, const struct wa_type *t, json_t *obj)
{
	(void)t;
	wa_text_of(w, obj, "body", "text.body");
}

/*
 * The extension a MIME type suggests ("image/png; x" -> "png", "jpeg" ->
 * "jpg"), or NULL when its subtype is not a plain short word.
 */
static char *
wa_mime_ext(const char *mime)
{
	const char	*sub;
	size_t		 n;

	if (mime == NULL || (sub = strchr(mime, '/')) == NULL)
		return NULL;
	sub++;
	n = strspn(sub, "abcdefghijklmnopqrstuvwxyz0123456789");
	if (n == 0 || n > 8 || (sub[n] != '\0' && sub[n] != ';'))
		return NULL;
	if (n == 4 && strncmp(sub, "jpeg", 4) == 0)
		return xstrdup("jpg");
	if (n == 4 && strncmp(sub, "mpeg", 4) == 0)
		return xstrdup(strncmp(mime, "audio/", 6) == 0 ? "mp3" : "mpg");
	return xstrndup(sub, n);
}

/*
 * A media message: one attachment (the adapter fetches "wa-media:ID"),
 * the caption as text. The name is the document's filename, else made
 * up from the type and the MIME type ("image.png"). A media object
 * without an id keeps its caption and says it has nothing to fetch.
 */
static void
wa_read_media(struct wa_msg *w, const struct wa_type *t, json_t *obj)
{
	const char	*mime, *filename;
	char		*id, *ext, *name, *url, *bad = NULL;

	wa_text_of(w, obj, "caption", "caption");
	mime = meta_str(obj, "mime_type", "mime_type", &bad);
	filename = meta_str(obj, "filename", "filename", &bad);
	id = meta_id(obj, "id", "the media id", &w->why);
	/* A bad MIME type or file name is replaced, not a reason to
	 * refuse the customer's message. */
	free(bad);
	if (mime == NULL || *mime == '\0' || strlen(mime) > 255 ||
	    strcspn(mime, " \t\r\n") < strcspn(mime, ";"))
		mime = t->mime;
	if (w->why != NULL)
		return;
	if (id == NULL) {
		if (w->m->text_len == 0)
			msg_set_text(w->m, xasprintf("[%s without a media id]",
			    t->type));
		return;
	}
	if (filename != NULL && *filename != '\0' &&
	    strlen(filename) <= META_NAME_MAX)
		name = xstrdup(filename);
	else if ((ext = wa_mime_ext(mime)) != NULL) {
		name = xasprintf("%s.%s", t->base, ext);
		free(ext);
	} else
		name = xstrdup(t->base);
	url = xasprintf("wa-media:%s", id);
	msg_add_attachment(w->m, name, mime, -1, url);
	free(url);
	free(name);
	free(id);
}

/* A coordinate as given, shortened ("48.8584"). */
static void
wa_add_coord(struct buf *b, json_t *v)
{
	if (json_is_integer(v))
		buf_add_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else
		buf_add_printf(b, "%.10g", json_real_value(v));
}

/* "📍 Name, Address (48.8584, 2.2945)", each part when given. */
static void
wa_read_location(struct wa_msg *w, const struct wa_type *t, json_t *obj)
{
	json_t		*lat = json_object_get(obj, "latitude");
	json_t		*lon = json_object_get(obj, "longitude");
	json_t		*part[2];
	struct buf	 b;
	const char	*sep = " ";
	char		*s;
	size_t		 i;

	(void)t;
	part[0] = meta_jstr(obj, "name", "location.name", &w->why);
	part[1] = meta_jstr(obj, "address", "location.address", &w->why);
	if (w->why != NULL)
		return;
	buf_init(&b);
	buf_add_str(&b, "\xf0\x9f\x93\x8d");	/* 📍 */
	for (i = 0; i < nitems(part); i++) {
		if (part[i] == NULL || json_string_length(part[i]) == 0)
			continue;
		s = meta_text(part[i], NULL);
		buf_add_printf(&b, "%s%s", sep, s);
		free(s);
		sep = ", ";
	}
	if (json_is_number(lat) && json_is_number(lon)) {
		buf_add_str(&b, " (");
		wa_add_coord(&b, lat);
		buf_add_str(&b, ", ");
		wa_add_coord(&b, lon);
		buf_add_char(&b, ')');
	}
	msg_set_text(w->m, buf_steal(&b));
}

/* A shared contact's name: formatted_name, else first and last. */
static char *
wa_contact_name(struct wa_msg *w, json_t *name)
{
	json_t	*formatted, *first, *last;
	char	*a, *b, *s;

	formatted = meta_jstr(name, "formatted_name", "formatted_name",
	    &w->why);
	if (formatted != NULL && json_string_length(formatted) > 0)
		return meta_text(formatted, NULL);
	first = meta_jstr(name, "first_name", "first_name", &w->why);
	last = meta_jstr(name, "last_name", "last_name", &w->why);
	if (first == NULL || json_string_length(first) == 0)
		return last != NULL && json_string_length(last) > 0 ?
		    meta_text(last, NULL) : NULL;
	if (last == NULL || json_string_length(last) == 0)
		return meta_text(first, NULL);
	a = meta_text(first, NULL);
	b = meta_text(last, NULL);
	s = xasprintf("%s %s", a, b);
	free(a);
	free(b);
	return s;
}

/* "contact: Name +1 555...", a line a shared contact. */
static void
wa_read_contacts(struct wa_msg *w, const struct wa_type *t, json_t *obj)
{
	json_t		*arr, *card, *phones, *ph, *v;
	struct buf	 b;
	size_t		 i, j, start;
	char		*s;

	(void)t;
	(void)obj;
	arr = meta_array(w->wm, "contacts", "contacts", &w->why);
	buf_init(&b);
	json_array_foreach(arr, i, card) {
		if (w->why != NULL)
			break;
		start = b.len;
		if (b.len > 0)
			buf_add_char(&b, '\n');
		buf_add_str(&b, "contact:");
		if ((s = wa_contact_name(w, json_object_get(card, "name"))) !=
		    NULL) {
			buf_add_printf(&b, " %s", s);
			free(s);
		}
		phones = meta_array(card, "phones", "contacts[].phones",
		    &w->why);
		json_array_foreach(phones, j, ph) {
			v = meta_jstr(ph, "phone", "phone", &w->why);
			if (v != NULL && json_string_length(v) > 0) {
				s = meta_text(v, NULL);
				buf_add_printf(&b, " %s", s);
				free(s);
			}
		}
		/* A card with neither a name nor a phone says nothing. */
		if (strcmp(b.data + start + (start > 0), "contact:") == 0) {
			b.len = start;
			b.data[b.len] = '\0';
		}
	}
	if (b.len == 0)
		buf_add_str(&b, "[contacts without a name or a phone]");
	msg_set_text(w->m, buf_steal(&b));
}

/* A reply button's or a list row's title (their ids are kept nowhere). */
static void
wa_read_interactive(struct wa_msg *w, const struct wa_type *t, json_t *obj)
{
	const char	*kind;
	json_t		*title;
	char		*q;

	(void)t;
	kind = meta_str(obj, "type", "interactive.type", &w->why);
	if (w->why != NULL)
		return;
	if (kind != NULL && (strcmp(kind, "button_reply") == 0 ||
	    strcmp(kind, "list_reply") == 0)) {
		title = meta_jstr(json_object_get(obj, kind), "title",
		    "the reply's title", &w->why);
		msg_set_text(w->m, meta_text(title, NULL));
		return;
	}
	q = meta_quote(kind != NULL ? kind : "?");
	msg_set_text(w->m, xasprintf("[unsupported message: interactive %s]",
	    q));
	free(q);
}

/* A template's quick reply button: its text (its payload is ours). */
static void
wa_read_button(struct wa_msg *w, const struct wa_type *t, json_t *obj)
{
	(void)t;
	wa_text_of(w, obj, "text", "button.text");
}

/* "reacted 👍" to reaction.message_id, or "removed a reaction". */
static void
wa_read_reaction(struct wa_msg *w, const struct wa_type *t, json_t *obj)
{
	json_t	*emoji;
	char	*s;

	(void)t;
	emoji = meta_jstr(obj, "emoji", "reaction.emoji", &w->why);
	free(w->m->reply_to);
	w->m->reply_to = meta_id(obj, "message_id", "reaction.message_id",
	    &w->why);
	if (emoji == NULL || json_string_length(emoji) == 0) {
		msg_set_text(w->m, xstrdup("removed a reaction"));
		return;
	}
	s = meta_text(emoji, NULL);
	msg_set_text(w->m, xasprintf("reacted %s", s));
	free(s);
}

/* Any other type: said, never dropped. */
static void
wa_read_unsupported(struct wa_msg *w)
{
	json_t		*errors, *title;
	const char	*what = w->type;
	char		*ignored = NULL, *q;

	errors = json_object_get(w->wm, "errors");
	title = meta_jstr(json_array_get(errors, 0), "title", "title",
	    &ignored);
	free(ignored);
	if (title != NULL && json_string_length(title) > 0)
		what = json_string_value(title);
	q = meta_quote(what != NULL && *what != '\0' ? what : "no type");
	msg_set_text(w->m, xasprintf("[unsupported message: %s]", q));
	free(q);
}

/* The profile name contacts[] give for wa_id from or user_id uid. */
static json_t *
wa_profile_name(json_t *contacts, const char *from, const char *uid)
{
	json_t		*c, *name;
	const char	*id;
	size_t		 i;
	char		*ignored = NULL;

	json_array_foreach(contacts, i, c) {
		id = json_string_value(json_object_get(c, "wa_id"));
		if (from == NULL || id == NULL || strcmp(id, from) != 0) {
			id = json_string_value(json_object_get(c, "user_id"));
			if (uid == NULL || id == NULL || strcmp(id, uid) != 0)
				continue;
		}
		name = meta_jstr(json_object_get(c, "profile"), "name", "name",
		    &ignored);
		free(ignored);
		ignored = NULL;
		if (name != NULL && json_string_length(name) > 0)
			return name;
	}
	return NULL;
}

/* One of value.messages[]. */
static void
wa_message(struct wa_value *wv, json_t *wm)
{
	struct meta_payload	*p = wv->run->p;
	struct wa_msg		 w;
	const struct wa_type	*t = NULL;
	json_t			*obj, *context;
	char			*from, *uid, *wamid, *reply;
	const char		*key;
	int64_t			 date = 0;
	size_t			 i;

	memset(&w, 0, sizeof w);
	w.wv = wv;
	w.wm = wm;
	if (!json_is_object(wm)) {
		meta_refuse(p, "message", wm, "the message is not an object");
		return;
	}
	from = meta_id(wm, "from", "from", &w.why);
	uid = meta_id(wm, "from_user_id", "from_user_id", &w.why);
	wamid = meta_id(wm, "id", "id", &w.why);
	w.type = meta_str(wm, "type", "type", &w.why);
	if (!meta_time(wm, "timestamp", 1, &date, &w.why))
		meta_why(&w.why, "a message without a timestamp");
	key = from != NULL ? from : uid;
	if (key == NULL)
		meta_why(&w.why, "a message without from or from_user_id");
	else if (key == uid && strlen(uid) > META_BSUID_MAX)
		meta_why(&w.why, "from_user_id is longer than %d bytes",
		    META_BSUID_MAX);
	if (wamid == NULL)
		meta_why(&w.why, "a message without an id");
	else if (msgid_is_outbound(wamid))
		meta_why(&w.why, "an id in the form of ombre's own");
	if (w.why != NULL) {
		meta_refuse_why(p, "message", wm, w.why);
		goto out;
	}

	w.m = meta_msg_new("whatsapp", wv->account, key, wamid, date);
	w.m->from_id = xstrdup(key);
	w.m->from_name = meta_name(wa_profile_name(wv->contacts, from, uid));
	if (w.m->from_name == NULL)
		w.m->from_name = xstrdup(key);
	w.m->conv_title = xstrdup(w.m->from_name);
	context = json_object_get(wm, "context");
	if (context != NULL && !json_is_null(context) &&
	    !json_is_object(context))
		meta_why(&w.why, "context is not an object");
	reply = meta_id(context, "id", "context.id", &w.why);
	w.m->reply_to = reply;

	for (i = 0; w.type != NULL && i < nitems(wa_types); i++) {
		if (strcmp(wa_types[i].type, w.type) == 0) {
			t = &wa_types[i];
			break;
		}
	}
	/* A type without its object is malformed, yet said, not dropped. */
	obj = t != NULL ? json_object_get(wm, t->type) : NULL;
	if (t == NULL || obj == NULL || json_is_null(obj))
		wa_read_unsupported(&w);
	else if (t->read != wa_read_contacts && !json_is_object(obj))
		meta_why(&w.why, "%s is not an object", t->type);
	else
		t->read(&w, t, obj);
	if (w.why != NULL) {
		msg_free(w.m);
		meta_refuse_why(p, "message", wm, w.why);
		goto out;
	}
	meta_msg_keep(p, w.m, "message", wm);
out:
	free(from);
	free(uid);
	free(wamid);
}

/* One of value.statuses[]: what became of one of our sends. */
static void
wa_status(struct wa_value *wv, json_t *ws)
{
	struct meta_payload	*p = wv->run->p;
	struct meta_status	*s;
	const char		*status;
	char			*why = NULL, *id, *conv, *q;
	int64_t			 date = 0;
	json_t			*errors;

	if (!json_is_object(ws)) {
		meta_refuse(p, "status", ws, "the status is not an object");
		return;
	}
	id = meta_id(ws, "id", "id", &why);
	status = meta_str(ws, "status", "status", &why);
	conv = meta_id(ws, "recipient_id", "recipient_id", &why);
	if (conv == NULL)
		conv = meta_id(ws, "recipient_user_id", "recipient_user_id",
		    &why);
	if (!meta_time(ws, "timestamp", 1, &date, &why))
		meta_why(&why, "a status without a timestamp");
	errors = meta_array(ws, "errors", "errors", &why);
	if (id == NULL)
		meta_why(&why, "a status without an id");
	if (status == NULL)
		meta_why(&why, "a status without a status");
	else if (strcmp(status, "sent") != 0 &&
	    strcmp(status, "delivered") != 0 && strcmp(status, "read") != 0 &&
	    strcmp(status, "failed") != 0) {
		q = meta_quote(status);
		meta_why(&why, "status \"%s\" is not sent, delivered, read or "
		    "failed", q);
		free(q);
	}
	if (why != NULL) {
		meta_refuse_why(p, "status", ws, why);
		free(id);
		free(conv);
		return;
	}
	s = meta_status_add(p);
	s->remote_id = id;
	s->status = xstrdup(status);
	s->date = date;
	s->account = xstrdup(wv->account);
	s->conv_id = conv;
	if (strcmp(status, "failed") == 0)
		s->error = json_is_object(json_array_get(errors, 0)) ?
		    meta_error_text(json_array_get(errors, 0)) :
		    xstrdup("failed without an error");
}

/* A change of field "messages". */
static void
wa_value(struct meta_run *run, json_t *change, json_t *value)
{
	struct wa_value	 wv;
	json_t		*arr, *v;
	char		*why = NULL, *account, *q;
	size_t		 i;

	memset(&wv, 0, sizeof wv);
	wv.run = run;
	account = meta_id(json_object_get(value, "metadata"),
	    "phone_number_id", "metadata.phone_number_id", &why);
	if (account == NULL)
		meta_why(&why, "a change without metadata.phone_number_id");
	else if (run->c->account != NULL &&
	    strcmp(run->c->account, account) != 0) {
		q = meta_quote(account);
		meta_why(&why, "for phone number %s, not this channel's", q);
		free(q);
	}
	if (why != NULL) {
		meta_refuse_why(run->p, "change", change, why);
		free(account);
		return;
	}
	wv.account = account;
	/* Names only: a bad contacts array leaves the keys as names. */
	wv.contacts = meta_array(value, "contacts", "contacts", &why);
	free(why);
	why = NULL;

	if ((arr = meta_array(value, "messages", "messages", &why)) == NULL &&
	    why != NULL) {
		meta_refuse_why(run->p, "message", json_object_get(value,
		    "messages"), why);
		why = NULL;
	}
	json_array_foreach(arr, i, v)
		wa_message(&wv, v);
	if ((arr = meta_array(value, "statuses", "statuses", &why)) == NULL &&
	    why != NULL) {
		meta_refuse_why(run->p, "status", json_object_get(value,
		    "statuses"), why);
		why = NULL;
	}
	json_array_foreach(arr, i, v)
		wa_status(&wv, v);
	if ((arr = meta_array(value, "errors", "errors", &why)) == NULL &&
	    why != NULL) {
		meta_refuse_why(run->p, "error", json_object_get(value,
		    "errors"), why);
		why = NULL;
	}
	json_array_foreach(arr, i, v) {
		meta_refuse_why(run->p, "error", v, json_is_object(v) ?
		    meta_error_text(v) : xstrdup("an error that is not an "
		    "object"));
	}
	free(account);
}

/* Is root a payload of object want with an entry array? 0, or -1. */
static int
meta_envelope(json_t *root, const char *want, struct meta_payload *out,
    char **why)
{
	const char	*object;

	memset(out, 0, sizeof *out);
	*why = NULL;
	if (!json_is_object(root)) {
		*why = xstrdup("the payload is not a JSON object");
		return -1;
	}
	object = json_string_value(json_object_get(root, "object"));
	if (object == NULL || strcmp(object, want) != 0) {
		*why = xasprintf("object is not \"%s\"", want);
		return -1;
	}
	if (!json_is_array(json_object_get(root, "entry"))) {
		*why = xstrdup("entry is not an array");
		return -1;
	}
	return 0;
}

/* Each entry's changes in order; a bad entry or change refused whole. */
int
wa_payload(const struct meta_config *c, json_t *root,
    struct meta_payload *out, char **why)
{
	struct meta_run	 run = { c, out };
	json_t		*entry, *e, *changes, *ch, *value;
	const char	*field;
	char		*bad = NULL, *q;
	size_t		 i, j;

	if (meta_envelope(root, "whatsapp_business_account", out, why) != 0)
		return -1;
	entry = meta_array(root, "entry", "entry", &bad);
	if (entry == NULL) {
		meta_refuse_why(out, "entry", json_object_get(root, "entry"),
		    bad);
		return 0;
	}
	json_array_foreach(entry, i, e) {
		if (!json_is_object(e)) {
			meta_refuse(out, "entry", e, "the entry is not an "
			    "object");
			continue;
		}
		changes = meta_array(e, "changes", "changes", &bad);
		if (changes == NULL) {
			meta_refuse_why(out, "entry", e, bad != NULL ? bad :
			    xstrdup("an entry without changes"));
			bad = NULL;
			continue;
		}
		json_array_foreach(changes, j, ch) {
			field = meta_str(ch, "field", "field", &bad);
			value = json_object_get(ch, "value");
			if (!json_is_object(ch))
				meta_why(&bad, "the change is not an object");
			else if (field == NULL)
				meta_why(&bad, "a change without a field");
			else if (strcmp(field, "messages") != 0) {
				q = meta_quote(field);
				meta_why(&bad, "field %s is not handled", q);
				free(q);
			} else if (!json_is_object(value))
				meta_why(&bad, "value is not an object");
			if (bad != NULL) {
				meta_refuse_why(out, "change", ch, bad);
				bad = NULL;
				continue;
			}
			wa_value(&run, ch, value);
		}
	}
	return 0;
}

/* ---------------------------------------------------------- Messenger */

/* One event of messaging[] or standby[] being read. */
struct fb_event {
	struct meta_run	*run;
	json_t		*ev;
	const char	*key;		/* what kind: its member */
	json_t		*obj;		/* and that member */
	const char	*page;		/* the account */
	const char	*sender;
	const char	*recipient;
	int64_t		 ms;		/* timestamp, -1 when none */
	char		*why;
};

struct fb_kind {
	const char	*key;
	void		 (*read)(struct fb_event *);
};

static void	fb_read_message(struct fb_event *);
static void	fb_read_edit(struct fb_event *);
static void	fb_read_delivery(struct fb_event *);
static void	fb_read_read(struct fb_event *);
static void	fb_read_reaction(struct fb_event *);
static void	fb_read_postback(struct fb_event *);
static void	fb_read_pass(struct fb_event *);
static void	fb_read_take(struct fb_event *);
static void	fb_read_request(struct fb_event *);
static void	fb_read_nothing(struct fb_event *);

/* The first of these members an event has says what it is. */
static const struct fb_kind fb_kinds[] = {
	{ "message", fb_read_message },
	{ "message_edit", fb_read_edit },
	{ "delivery", fb_read_delivery },
	{ "read", fb_read_read },
	{ "reaction", fb_read_reaction },
	{ "postback", fb_read_postback },
	{ "pass_thread_control", fb_read_pass },
	{ "take_thread_control", fb_read_take },
	{ "request_thread_control", fb_read_request },
	{ "app_roles", fb_read_nothing }
};

/* Refuse the event (with fe->why, or this cause). */
static void
fb_refuse(struct fb_event *fe, const char *cause)
{
	meta_why(&fe->why, "%s", cause);
}

/* The event's time in seconds; refused without one. */
static int64_t
fb_date(struct fb_event *fe)
{
	if (fe->ms < 0) {
		fb_refuse(fe, "an event without a timestamp");
		return 0;
	}
	return fe->ms / 1000;
}

/* The default name and MIME type of an attachment type. */
static const struct {
	const char	*type;
	const char	*name;
	const char	*mime;
} fb_att_types[] = {
	{ "image", "image.jpg", "image/jpeg" },
	{ "video", "video.mp4", "video/mp4" },
	{ "audio", "audio.mp4", "audio/mp4" },
	{ "file", "file", "application/octet-stream" }
};

/* The file name of a URL's last path segment when it is plain
 * ("123_n.jpg"), else NULL. */
static char *
fb_url_name(const char *url)
{
	const char	*end, *start;
	size_t		 n;

	end = url + strcspn(url, "?#");
	start = end;
	while (start > url && start[-1] != '/')
		start--;
	n = (size_t)(end - start);
	if (n == 0 || n > 100 || start == url || start[0] == '.' ||
	    strspn(start, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") < n ||
	    memchr(start, '.', n) == NULL)
		return NULL;
	return xstrndup(start, n);
}

/* A message's text, attachments and reply (customer's or page's). */
static void
fb_content(struct fb_event *fe, json_t *msg, struct msg *m)
{
	json_t		*text, *atts, *a, *url;
	const char	*type, *name = "file", *mime = "application/octet-stream";
	char		*s, *fname, *q;
	size_t		 i, k;
	struct buf	 b;

	text = meta_jstr(msg, "text", "text", &fe->why);
	msg_set_text(m, meta_text(text, NULL));
	free(m->reply_to);
	m->reply_to = meta_id(json_object_get(msg, "reply_to"), "mid",
	    "reply_to.mid", &fe->why);
	atts = meta_array(msg, "attachments", "attachments", &fe->why);
	buf_init(&b);
	json_array_foreach(atts, i, a) {
		if (!json_is_object(a)) {
			fb_refuse(fe, "an attachment is not an object");
			break;
		}
		type = meta_str(a, "type", "attachments[].type", &fe->why);
		url = meta_jstr(json_object_get(a, "payload"), "url",
		    "attachments[].payload.url", &fe->why);
		if (fe->why != NULL)
			break;
		if (url == NULL || json_string_length(url) == 0 ||
		    strlen(json_string_value(url)) != json_string_length(url)) {
			/* A template, a fallback without a link: said. */
			q = meta_quote(type != NULL && *type != '\0' ? type :
			    "unknown");
			buf_add_printf(&b, "%s[%s attachment]",
			    b.len > 0 ? " " : "", q);
			free(q);
			continue;
		}
		for (k = 0; k < nitems(fb_att_types); k++) {
			name = fb_att_types[k].name;
			mime = fb_att_types[k].mime;
			if (type != NULL && strcmp(type, fb_att_types[k].type)
			    == 0)
				break;
		}
		s = xstrdup(json_string_value(url));
		fname = fb_url_name(s);
		msg_add_attachment(m, fname != NULL ? fname : name, mime, -1,
		    s);
		free(fname);
		free(s);
	}
	if (b.len > 0 && m->text_len == 0)
		msg_set_text(m, buf_steal(&b));
	buf_free(&b);
}

/* A page's own send: our reply come back, or someone else's as theirs. */
static void
fb_echo(struct fb_event *fe, const char *mid)
{
	struct meta_payload	*p = fe->run->p;
	struct meta_echo	*e;
	const char		*meta;
	char			*app;
	struct msg		*m;

	meta = meta_str(fe->obj, "metadata", "metadata", &fe->why);
	app = meta_id(fe->obj, "app_id", "app_id", &fe->why);
	if (fe->why == NULL && meta != NULL && strncmp(meta, "ombre:", 6) ==
	    0) {
		if (meta[6] == '\0' || strlen(meta + 6) > META_ID_MAX ||
		    strlen(meta) != json_string_length(json_object_get(fe->obj,
		    "metadata")))
			fb_refuse(fe, "an echo whose ombre: metadata is no "
			    "Message-Id");
		else {
			p->echoes = xreallocarray(p->echoes, p->n_echoes + 1,
			    sizeof *p->echoes);
			e = &p->echoes[p->n_echoes++];
			e->outbound = xstrdup(meta + 6);
			e->remote_id = xstrdup(mid);
		}
		free(app);
		return;
	}
	if (fe->recipient == NULL)
		fb_refuse(fe, "an echo without recipient.id");
	if (fe->why != NULL) {
		free(app);
		return;
	}
	m = meta_msg_new("messenger", fe->page, fe->recipient, mid,
	    fb_date(fe));
	m->from_id = xstrdup(fe->page);
	if (meta_same(fe->run->c->bot_app_id, app)) {
		m->kind = MSG_BOT;
		m->from_name = xstrdup("bot");
	} else {
		m->kind = MSG_AGENT;
		m->from_name = xstrdup(meta_same(META_PAGE_INBOX_APP_ID, app) ?
		    "Meta Business Suite" : "Page");
	}
	free(app);
	fb_content(fe, fe->obj, m);
	if (fe->why != NULL) {
		msg_free(m);
		return;
	}
	meta_msg_keep(p, m, "event", fe->ev);
}

/* "message": a customer's message, or a page's echo. */
static void
fb_read_message(struct fb_event *fe)
{
	struct msg	*m;
	char		*mid;

	if (!json_is_object(fe->obj)) {
		fb_refuse(fe, "message is not an object");
		return;
	}
	mid = meta_id(fe->obj, "mid", "message.mid", &fe->why);
	if (mid == NULL)
		fb_refuse(fe, "a message without a mid");
	else if (msgid_is_outbound(mid))
		fb_refuse(fe, "a mid in the form of ombre's own");
	if (fe->why != NULL) {
		free(mid);
		return;
	}
	if (json_is_true(json_object_get(fe->obj, "is_echo"))) {
		fb_echo(fe, mid);
		free(mid);
		return;
	}
	if (fe->sender == NULL) {
		fb_refuse(fe, "a message without sender.id");
		free(mid);
		return;
	}
	m = meta_msg_new("messenger", fe->page, fe->sender, mid, fb_date(fe));
	free(mid);
	m->from_id = xstrdup(fe->sender);
	fb_content(fe, fe->obj, m);
	if (fe->why != NULL) {
		msg_free(m);
		return;
	}
	meta_msg_keep(fe->run->p, m, "event", fe->ev);
}

/* "message_edit": a message of its own pointing at the one edited. */
static void
fb_read_edit(struct fb_event *fe)
{
	struct msg	*m;
	char		*mid, *id, *n;
	int64_t		 date = fb_date(fe);
	int		 own;

	mid = meta_id(fe->obj, "mid", "message_edit.mid", &fe->why);
	n = meta_id(fe->obj, "num_edit", "num_edit", &fe->why);
	if (!json_is_object(fe->obj))
		fb_refuse(fe, "message_edit is not an object");
	else if (mid == NULL)
		fb_refuse(fe, "an edit without a mid");
	else if (fe->sender == NULL)
		fb_refuse(fe, "an edit without sender.id");
	own = fe->sender != NULL && strcmp(fe->sender, fe->page) == 0;
	if (own && fe->recipient == NULL)
		fb_refuse(fe, "a page's edit without recipient.id");
	if (fe->why != NULL) {
		free(mid);
		free(n);
		return;
	}
	if (n != NULL)
		id = xasprintf("%s#edit%s", mid, n);
	else
		id = xasprintf("%s#edit.%" PRId64, mid, fe->ms);
	m = meta_msg_new("messenger", fe->page, own ? fe->recipient :
	    fe->sender, id, date);
	m->from_id = xstrdup(fe->sender);
	if (own) {
		m->kind = MSG_AGENT;
		m->from_name = xstrdup("Page");
	}
	m->edit_of = mid;
	free(id);
	free(n);
	msg_set_text(m, meta_text(meta_jstr(fe->obj, "text",
	    "message_edit.text", &fe->why), NULL));
	if (fe->why != NULL) {
		msg_free(m);
		return;
	}
	meta_msg_keep(fe->run->p, m, "event", fe->ev);
}

/* A watermark (ms) as seconds, > 0; 0 and why when bad or absent. */
static int64_t
fb_watermark(struct fb_event *fe, int required)
{
	int64_t	w = 0;

	if (!meta_time(fe->obj, "watermark", 1000, &w, &fe->why) &&
	    required)
		fb_refuse(fe, "no watermark");
	if (fe->why == NULL && (w > 0 || !required))
		return w;
	fb_refuse(fe, "watermark is out of range");
	return 0;
}

/* A status of the event's conversation. */
static struct meta_status *
fb_status(struct fb_event *fe, const char *status, int64_t date)
{
	struct meta_status	*s;

	s = meta_status_add(fe->run->p);
	s->status = xstrdup(status);
	s->date = date;
	s->account = xstrdup(fe->page);
	s->conv_id = xstrdup(fe->sender);
	return s;
}

/* "delivery": one status a mid, and one for the watermark. */
static void
fb_read_delivery(struct fb_event *fe)
{
	json_t			*mids, *v;
	struct meta_status	*s;
	int64_t			 w, date;
	size_t			 i;
	char			*bad = NULL;

	if (!json_is_object(fe->obj)) {
		fb_refuse(fe, "delivery is not an object");
		return;
	}
	mids = meta_array(fe->obj, "mids", "mids", &fe->why);
	w = fb_watermark(fe, mids == NULL);
	json_array_foreach(mids, i, v) {
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > META_ID_MAX ||
		    strlen(json_string_value(v)) != json_string_length(v))
			meta_why(&bad, "mids[%zu] is not a mid", i);
	}
	if (bad != NULL)
		fb_refuse(fe, bad);
	free(bad);
	if (fe->sender == NULL)
		fb_refuse(fe, "a delivery without sender.id");
	if (fe->why != NULL)
		return;
	date = fe->ms >= 0 ? fe->ms / 1000 : w;
	json_array_foreach(mids, i, v) {
		s = fb_status(fe, "delivered", date);
		s->remote_id = xstrdup(json_string_value(v));
	}
	if (w > 0) {
		s = fb_status(fe, "delivered", date);
		s->watermark = w;
	}
}

/* "read": everything sent up to the watermark was read. */
static void
fb_read_read(struct fb_event *fe)
{
	struct meta_status	*s;
	int64_t			 w;

	if (!json_is_object(fe->obj)) {
		fb_refuse(fe, "read is not an object");
		return;
	}
	w = fb_watermark(fe, 1);
	if (fe->sender == NULL)
		fb_refuse(fe, "a read without sender.id");
	if (fe->why != NULL)
		return;
	s = fb_status(fe, "read", fe->ms >= 0 ? fe->ms / 1000 : w);
	s->watermark = w;
}

/* "reaction": "reacted ❤" to a mid, or "removed a reaction". */
static void
fb_read_reaction(struct fb_event *fe)
{
	struct msg	*m;
	const char	*action;
	json_t		*emoji;
	char		*mid, *id, *s;
	int64_t		 date = fb_date(fe);

	mid = meta_id(fe->obj, "mid", "reaction.mid", &fe->why);
	action = meta_str(fe->obj, "action", "reaction.action", &fe->why);
	emoji = meta_jstr(fe->obj, "emoji", "reaction.emoji", &fe->why);
	if (!json_is_object(fe->obj))
		fb_refuse(fe, "reaction is not an object");
	else if (mid == NULL)
		fb_refuse(fe, "a reaction without a mid");
	else if (fe->sender == NULL)
		fb_refuse(fe, "a reaction without sender.id");
	if (fe->why != NULL) {
		free(mid);
		return;
	}
	id = xasprintf("%s#reaction.%" PRId64, mid, fe->ms);
	m = meta_msg_new("messenger", fe->page, fe->sender, id, date);
	free(id);
	m->from_id = xstrdup(fe->sender);
	m->reply_to = mid;
	if ((action != NULL && strcmp(action, "unreact") == 0) ||
	    emoji == NULL || json_string_length(emoji) == 0)
		msg_set_text(m, xstrdup("removed a reaction"));
	else {
		s = meta_text(emoji, NULL);
		msg_set_text(m, xasprintf("reacted %s", s));
		free(s);
	}
	meta_msg_keep(fe->run->p, m, "event", fe->ev);
}

/* "postback": a button the customer pressed, its title as text. */
static void
fb_read_postback(struct fb_event *fe)
{
	struct msg	*m;
	json_t		*title;
	char		*mid, *id;
	int64_t		 date = fb_date(fe);

	mid = meta_id(fe->obj, "mid", "postback.mid", &fe->why);
	title = meta_jstr(fe->obj, "title", "postback.title", &fe->why);
	if (!json_is_object(fe->obj))
		fb_refuse(fe, "postback is not an object");
	else if (fe->sender == NULL)
		fb_refuse(fe, "a postback without sender.id");
	else if (mid != NULL && msgid_is_outbound(mid))
		fb_refuse(fe, "a mid in the form of ombre's own");
	if (fe->why != NULL) {
		free(mid);
		return;
	}
	id = mid != NULL ? mid : xasprintf("postback.%" PRId64, fe->ms);
	m = meta_msg_new("messenger", fe->page, fe->sender, id, date);
	free(id);
	m->from_id = xstrdup(fe->sender);
	msg_set_text(m, meta_text(title, NULL));
	meta_msg_keep(fe->run->p, m, "event", fe->ev);
}

/*
 * A handover recorded in the customer's conversation: event (handoff or
 * hand-back) with its reason and tag operations, by "messenger".
 */
static void
fb_handover_event(struct fb_event *fe, const char *kind, const char *event,
    const char *reason, char **ops)
{
	struct msg	*m;
	char		*id;
	size_t		 i;

	id = xasprintf("handover.%s.%" PRId64, kind, fe->ms);
	m = meta_msg_new("messenger", fe->page, fe->sender, id, fe->ms / 1000);
	free(id);
	m->kind = MSG_EVENT;
	m->from_id = xstrdup(fe->page);
	m->from_name = xstrdup("Messenger");
	m->agent = xstrdup("messenger");
	m->event = xstrdup(event);
	m->reason = xstrdup(reason);
	for (i = 0; ops[i] != NULL; i++)
		msg_add_tag(m, ops[i]);
	msg_set_text(m, triage_event_text(event, m->agent, reason, m->tags,
	    0));
	meta_msg_keep(fe->run->p, m, "event", fe->ev);
}

/* The thread now owned by app (NULL: an app not named): the owner pair,
 * and the event its new owner means. */
static void
fb_owner(struct fb_event *fe, const char *kind, const char *app,
    const char *verb)
{
	const struct meta_config	*c = fe->run->c;
	char				*reason, **ops;

	meta_owner_add(fe->run->p, fe->sender, app != NULL ? app : "");
	if (app == NULL)
		return;
	if (strcmp(app, META_PAGE_INBOX_APP_ID) == 0) {
		reason = xasprintf("the thread was %s the Page Inbox", verb);
		ops = triage_handoff_ops(0);
		fb_handover_event(fe, kind, "handoff", reason, ops);
	} else if (meta_same(c->bot_app_id, app)) {
		reason = xasprintf("the thread was %s the bot app", verb);
		ops = xcalloc(3, sizeof *ops);
		ops[0] = xstrdup("+ombre/bot");
		ops[1] = xstrdup("-ombre/handoff");
		fb_handover_event(fe, kind, "hand-back", reason, ops);
	} else if (meta_same(c->app_id, app)) {
		reason = xasprintf("the thread was %s ombre", verb);
		ops = triage_handoff_ops(0);
		fb_handover_event(fe, kind, "handoff", reason, ops);
	} else
		return;
	free(reason);
	triage_tags_free(ops);
}

/* What every handover needs: an object, the customer, a time. */
static int
fb_handover_check(struct fb_event *fe)
{
	if (!json_is_object(fe->obj))
		meta_why(&fe->why, "%s is not an object", fe->key);
	else if (fe->sender == NULL)
		fb_refuse(fe, "a handover without sender.id");
	else
		(void)fb_date(fe);
	return fe->why == NULL;
}

/* "pass_thread_control": the thread is new_owner_app_id's. */
static void
fb_read_pass(struct fb_event *fe)
{
	char	*app;

	if (!fb_handover_check(fe))
		return;
	app = meta_id(fe->obj, "new_owner_app_id", "new_owner_app_id",
	    &fe->why);
	if (app == NULL)
		fb_refuse(fe, "pass_thread_control without new_owner_app_id");
	if (fe->why == NULL)
		fb_owner(fe, "pass", app, "passed to");
	free(app);
}

/* Sent to the app the thread was taken from: the taker is named only by
 * new_owner_app_id, when there. */
static void
fb_read_take(struct fb_event *fe)
{
	char	*app;

	if (!fb_handover_check(fe))
		return;
	app = meta_id(fe->obj, "new_owner_app_id", "new_owner_app_id",
	    &fe->why);
	if (fe->why == NULL)
		fb_owner(fe, "take", app, "taken by");
	free(app);
}

/* "request_thread_control": no owner changes; the Page Inbox asking is a
 * human asking for the conversation, another app is informational. */
static void
fb_read_request(struct fb_event *fe)
{
	char	*app, **ops;

	if (!fb_handover_check(fe))
		return;
	app = meta_id(fe->obj, "requested_owner_app_id",
	    "requested_owner_app_id", &fe->why);
	if (app == NULL)
		fb_refuse(fe, "request_thread_control without "
		    "requested_owner_app_id");
	if (fe->why == NULL && strcmp(app, META_PAGE_INBOX_APP_ID) == 0) {
		ops = triage_handoff_ops(0);
		fb_handover_event(fe, "request", "handoff",
		    "the Page Inbox asks for the thread", ops);
		triage_tags_free(ops);
	}
	free(app);
}

/* "app_roles": informational, nothing to keep or refuse. */
static void
fb_read_nothing(struct fb_event *fe)
{
	(void)fe;
}

/* The members of an event, to say what it was when no kind fits. */
static char *
fb_keys(json_t *ev)
{
	const char	*k;
	json_t		*v;
	struct buf	 b;
	char		*q, *s;
	size_t		 n = 0;

	buf_init(&b);
	json_object_foreach(ev, k, v) {
		if (strcmp(k, "sender") == 0 || strcmp(k, "recipient") == 0 ||
		    strcmp(k, "timestamp") == 0)
			continue;
		if (n++ == 8) {
			buf_add_str(&b, ", ...");
			break;
		}
		q = meta_quote(k);
		buf_add_printf(&b, "%s%s", b.len > 0 ? ", " : "", q);
		free(q);
	}
	if (b.len == 0) {
		buf_free(&b);
		return xstrdup("an event of no kind");
	}
	s = xasprintf("an event of no kind handled (%s)", b.data);
	buf_free(&b);
	return s;
}

/* One of entry[].messaging[] or standby[]. */
static void
fb_event(struct meta_run *run, const char *entry_page, json_t *ev)
{
	struct fb_event	 fe;
	char		*sender, *recipient, *page, *q;
	size_t		 i;
	int64_t		 secs;
	long long	 ms = -1;
	int		 echo;

	memset(&fe, 0, sizeof fe);
	fe.run = run;
	fe.ev = ev;
	fe.ms = -1;
	if (!json_is_object(ev)) {
		meta_refuse(run->p, "event", ev, "the event is not an object");
		return;
	}
	sender = meta_id(json_object_get(ev, "sender"), "id", "sender.id",
	    &fe.why);
	recipient = meta_id(json_object_get(ev, "recipient"), "id",
	    "recipient.id", &fe.why);
	/* The milliseconds themselves make the derived ids. */
	if (meta_time(ev, "timestamp", 1000, &secs, &fe.why))
		(void)meta_int(ev, "timestamp", &ms, &fe.why);
	fe.ms = ms;
	for (i = 0; i < nitems(fb_kinds); i++) {
		if ((fe.obj = json_object_get(ev, fb_kinds[i].key)) != NULL) {
			fe.key = fb_kinds[i].key;
			break;
		}
	}
	echo = fe.key != NULL && strcmp(fe.key, "message") == 0 &&
	    json_is_true(json_object_get(fe.obj, "is_echo"));
	if (entry_page != NULL)
		page = xstrdup(entry_page);
	else
		page = xstrdup(echo ? (sender != NULL ? sender : "") :
		    (recipient != NULL ? recipient : ""));
	fe.page = page;
	fe.sender = sender;
	fe.recipient = recipient;
	if (fe.why == NULL && *page == '\0')
		fb_refuse(&fe, "an event of no page");
	else if (fe.why == NULL && run->c->account != NULL &&
	    strcmp(run->c->account, page) != 0) {
		q = meta_quote(page);
		meta_why(&fe.why, "for page %s, not this channel's", q);
		free(q);
	}
	if (fe.why == NULL && fe.key == NULL)
		fe.why = fb_keys(ev);
	if (fe.why == NULL)
		fb_kinds[i].read(&fe);
	if (fe.why != NULL)
		meta_refuse_why(run->p, "event", ev, fe.why);
	free(sender);
	free(recipient);
	free(page);
}

/* Each entry's messaging[] then standby[] in order. */
int
fb_payload(const struct meta_config *c, json_t *root,
    struct meta_payload *out, char **why)
{
	static const char *const lists[] = { "messaging", "standby" };
	struct meta_run	 run = { c, out };
	json_t		*entry, *e, *arr, *ev;
	char		*bad = NULL, *page;
	size_t		 i, j, k;
	int		 any;

	if (meta_envelope(root, "page", out, why) != 0)
		return -1;
	entry = meta_array(root, "entry", "entry", &bad);
	if (entry == NULL) {
		meta_refuse_why(out, "entry", json_object_get(root, "entry"),
		    bad);
		return 0;
	}
	json_array_foreach(entry, i, e) {
		if (!json_is_object(e)) {
			meta_refuse(out, "entry", e, "the entry is not an "
			    "object");
			continue;
		}
		page = meta_id(e, "id", "entry.id", &bad);
		if (bad != NULL) {
			meta_refuse_why(out, "entry", e, bad);
			bad = NULL;
			continue;
		}
		any = 0;
		for (k = 0; k < nitems(lists); k++) {
			if (json_object_get(e, lists[k]) != NULL)
				any = 1;
			arr = meta_array(e, lists[k], lists[k], &bad);
			if (bad != NULL) {
				meta_refuse_why(out, "entry", json_object_get(e,
				    lists[k]), bad);
				bad = NULL;
				continue;
			}
			json_array_foreach(arr, j, ev)
				fb_event(&run, page, ev);
		}
		if (!any)
			meta_refuse(out, "entry", e, "an entry without "
			    "messaging or standby");
		free(page);
	}
	return 0;
}

void
meta_payload_free(struct meta_payload *p)
{
	size_t	i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n_msgs; i++)
		msg_free(p->msgs[i]);
	free(p->msgs);
	for (i = 0; i < p->n_statuses; i++) {
		free(p->statuses[i].remote_id);
		free(p->statuses[i].status);
		free(p->statuses[i].error);
		free(p->statuses[i].account);
		free(p->statuses[i].conv_id);
	}
	free(p->statuses);
	for (i = 0; i < p->n_echoes; i++) {
		free(p->echoes[i].outbound);
		free(p->echoes[i].remote_id);
	}
	free(p->echoes);
	for (i = 0; i < p->n_refused; i++) {
		free(p->refused[i].what);
		free(p->refused[i].raw);
		free(p->refused[i].why);
	}
	free(p->refused);
	for (i = 0; i < p->n_owners; i++) {
		free(p->owner_conv[i]);
		free(p->owner_app[i]);
	}
	free(p->owner_conv);
	free(p->owner_app);
	memset(p, 0, sizeof *p);
}
