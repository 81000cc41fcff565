/*
 * contact.c: a contact is a person, not a channel id (issue 16). Pure
 * policy, no store: a conversation's identity from its channel and its
 * customer's id ("whatsapp:33612345678", "email:amelie@example.com"), the
 * keys two identities are matched by (a phone number, normalised, or an
 * e-mail address), and the text of a contact file, written and read back
 * as untrusted (store-contact.c keeps it in the Maildir, where notmuch
 * indexes it).
 *
 * The text is "key: value" lines, one field a line, so `notmuch search`
 * finds a contact by any of its words and a person can read the file:
 *
 *   id: c-5f0e3a9b2c4d1e77
 *   name: Amélie Martin
 *   lang: fr
 *   identity: telegram:424242
 *   identity: whatsapp:33612345678
 *   label: vip
 *   note: refunded once in March
 *
 * A value's backslashes and line breaks are escaped (\\, \n, \r), so a
 * hostile name or note cannot add a line of its own.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* What a file may hold: more is cut, never refused (the rest is read). */
#define CONTACT_MAX_IDENTITIES	64
#define CONTACT_MAX_NOTES	64
#define CONTACT_MAX_LABELS	32
#define CONTACT_NAME_MAX	200
#define CONTACT_NOTE_MAX	1000

struct contact *
contact_new(const char *id)
{
	struct contact	*c;

	c = xcalloc(1, sizeof *c);
	c->id = id != NULL ? xstrdup(id) : contact_id_new();
	return c;
}

static void
contact_strv_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
contact_free(struct contact *c)
{
	if (c == NULL)
		return;
	free(c->id);
	free(c->name);
	free(c->lang);
	contact_strv_free(c->identities, c->n_identities);
	contact_strv_free(c->labels, c->n_labels);
	contact_strv_free(c->notes, c->n_notes);
	free(c);
}

char *
contact_id_new(void)
{
	unsigned char	r[8];

	util_random(r, sizeof r);
	return xasprintf("c-%02x%02x%02x%02x%02x%02x%02x%02x", r[0], r[1],
	    r[2], r[3], r[4], r[5], r[6], r[7]);
}

int
contact_id_valid(const char *id)
{
	size_t	i;

	if (strncmp(id, "c-", 2) != 0 || strlen(id) != 18)
		return 0;
	for (i = 2; i < 18; i++) {
		if (!isxdigit((unsigned char)id[i]) ||
		    isupper((unsigned char)id[i]))
			return 0;
	}
	return 1;
}

/*
 * A phone number as one string however it was typed: "+33 6 12-34.56 78",
 * "0033612345678" and "33612345678" (WhatsApp's wa_id, which has no '+')
 * are all "+33612345678". A national number ("06 12 34 56 78") has no
 * country to be sure of: NULL, as is anything that is not 6 to 15 digits
 * (E.164's longest) with separators.
 */
char *
contact_phone_normalise(const char *s)
{
	char		 digits[16];
	size_t		 n = 0;
	const char	*p = s;

	while (*p == ' ')
		p++;
	if (*p == '+')
		p++;
	else if (p[0] == '0' && p[1] == '0')
		p += 2;
	else if (*p == '0')
		return NULL;
	for (; *p != '\0'; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n == 15)
				return NULL;
			digits[n++] = *p;
		} else if (strchr(" -.()/", *p) == NULL)
			return NULL;
	}
	if (n < 6 || digits[0] == '0')
		return NULL;
	digits[n] = '\0';
	return xasprintf("+%s", digits);
}

/* An e-mail address lower-cased, or NULL when it does not look like one. */
static char *
contact_email_normalise(const char *s)
{
	const char	*at;
	char		*out;
	size_t		 i;

	at = strchr(s, '@');
	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') !=
	    NULL || strchr(at + 1, '.') == NULL || strlen(s) > 200)
		return NULL;
	out = xstrdup(s);
	for (i = 0; out[i] != '\0'; i++) {
		if ((unsigned char)out[i] <= ' ' || strchr("\"'()<>,;\\",
		    out[i]) != NULL) {
			free(out);
			return NULL;
		}
		out[i] = (char)tolower((unsigned char)out[i]);
	}
	return out;
}

/*
 * Is this "KIND:VALUE" an identity a contact may hold: a kind of lower
 * case letters, a value of printable ASCII with no space or quote (it is
 * a notmuch property value and goes into queries quoted), at most 200
 * bytes in all?
 */
int
contact_identity_valid(const char *identity)
{
	const char	*colon, *p;

	colon = strchr(identity, ':');
	if (colon == NULL || colon == identity || colon[1] == '\0' ||
	    strlen(identity) > 200)
		return 0;
	for (p = identity; p < colon; p++) {
		if (*p < 'a' || *p > 'z')
			return 0;
	}
	for (p = colon + 1; *p != '\0'; p++) {
		if (*p <= ' ' || *p > '~' || *p == '"' || *p == '\\')
			return 0;
	}
	return 1;
}

/*
 * The identity of a conversation's customer: CHANNEL:ID where ID is what
 * the channel calls the person (Telegram's user id, WhatsApp's wa_id,
 * Twilio's From, a Matrix user id, an e-mail address). Phone numbers are
 * kept as the channel gives them, a '+' and digits; e-mail lower-cased.
 * Allocated, or NULL when there is none to give (an empty id, bytes a
 * property cannot hold).
 */
char *
contact_identity_of(const char *channel, const char *customer_id)
{
	char	*value, *identity;

	if (channel == NULL || customer_id == NULL || *customer_id == '\0')
		return NULL;
	if (strcmp(channel, "email") == 0) {
		if ((value = contact_email_normalise(customer_id)) == NULL)
			return NULL;
	} else if (strcmp(channel, "sms") == 0 &&
	    (value = contact_phone_normalise(customer_id)) != NULL)
		;
	else
		value = xstrdup(customer_id);
	identity = xasprintf("%s:%s", channel, value);
	free(value);
	if (!contact_identity_valid(identity)) {
		free(identity);
		return NULL;
	}
	return identity;
}

/*
 * An identity an agent typed ("email:A@B.fr", "phone:+33 6...", "sms:+33
 * 6 12 34 56 78"): normalised as contact_identity_of would, phone: numbers
 * a '+' and digits. An address typed (email: or mail:) is kept as mail:,
 * a key and no conversation: what the customer said on another channel
 * only suggests the e-mail conversations of that address (a merge is an
 * agent's link), where email: would make them the contact's at once.
 * Allocated, or NULL with *cause.
 */
char *
contact_identity_parse(const char *text, char **cause)
{
	const char	*colon;
	char		*kind, *value, *identity;

	*cause = NULL;
	colon = strchr(text, ':');
	if (colon == NULL) {
		*cause = xasprintf(_("'%s' is not KIND:VALUE (email:a@b.fr, "
		    "phone:+33612345678, telegram:424242)"), text);
		return NULL;
	}
	kind = xstrndup(text, (size_t)(colon - text));
	if (strcmp(kind, "phone") == 0 || strcmp(kind, "whatsapp") == 0) {
		if ((value = contact_phone_normalise(colon + 1)) == NULL) {
			*cause = xasprintf(_("'%s' is no international phone "
			    "number (+33612345678)"), colon + 1);
			free(kind);
			return NULL;
		}
		/* WhatsApp's wa_id has no '+'. */
		identity = xasprintf("%s:%s", kind, strcmp(kind, "whatsapp") ==
		    0 ? value + 1 : value);
		free(value);
	} else if (strcmp(kind, "email") == 0 || strcmp(kind, "mail") == 0) {
		if ((value = contact_email_normalise(colon + 1)) == NULL)
			identity = NULL;
		else
			identity = xasprintf("mail:%s", value);
		free(value);
	} else
		identity = contact_identity_of(kind, colon + 1);
	free(kind);
	if (identity == NULL || !contact_identity_valid(identity)) {
		*cause = xasprintf(_("'%s' is no identity a contact can hold"),
		    text);
		free(identity);
		return NULL;
	}
	return identity;
}

/*
 * What two identities are matched by: "phone:+33612345678" for a phone
 * number (WhatsApp's wa_id, an SMS sender, phone:), "email:x@y" for an
 * address (email:, mail:); allocated, or NULL when the identity says neither (a Telegram
 * id says nothing of the person elsewhere).
 */
char *
contact_identity_key(const char *identity)
{
	const char	*colon = strchr(identity, ':');
	char		*phone, *key;

	if (colon == NULL)
		return NULL;
	if (strncmp(identity, "whatsapp:", 9) == 0 ||
	    strncmp(identity, "sms:", 4) == 0 ||
	    strncmp(identity, "phone:", 6) == 0) {
		if ((phone = contact_phone_normalise(colon + 1)) == NULL)
			return NULL;
		key = xasprintf("phone:%s", phone);
		free(phone);
		return key;
	}
	if (strncmp(identity, "email:", 6) == 0)
		return xstrdup(identity);
	if (strncmp(identity, "mail:", 5) == 0)
		return xasprintf("email:%s", colon + 1);
	return NULL;
}

/* The channel an identity names ("whatsapp"), into out; "" for phone:. */
void
contact_identity_channel(const char *identity, char *out, size_t size)
{
	const char	*colon = strchr(identity, ':');
	size_t		 len = colon != NULL ? (size_t)(colon - identity) : 0;

	if (len >= size)
		len = 0;
	memcpy(out, identity, len);
	out[len] = '\0';
	if (channel_info_find(out) == NULL)
		out[0] = '\0';
}

/*
 * A language code as a channel gives it ("fr", "fr-FR", "pt_BR", "EN")
 * reduced to its language, lower case: "fr"; NULL when it is not one.
 */
char *
contact_lang_normalise(const char *code)
{
	size_t	n;

	if (code == NULL)
		return NULL;
	for (n = 0; isalpha((unsigned char)code[n]); n++)
		;
	if (n < 2 || n > 3 || (code[n] != '\0' && code[n] != '-' &&
	    code[n] != '_'))
		return NULL;
	return xasprintf("%c%c%c", tolower((unsigned char)code[0]),
	    tolower((unsigned char)code[1]), n == 3 ?
	    tolower((unsigned char)code[2]) : '\0');
}

static int
contact_strv_has(char *const *v, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i], s) == 0)
			return 1;
	}
	return 0;
}

static int
contact_strv_add(char ***v, size_t *n, const char *s, size_t max)
{
	if (contact_strv_has(*v, *n, s) || *n >= max)
		return 0;
	*v = xreallocarray(*v, *n + 2, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
	(*v)[*n] = NULL;
	return 1;
}

int
contact_has_identity(const struct contact *c, const char *identity)
{
	return contact_strv_has(c->identities, c->n_identities, identity);
}

int
contact_add_identity(struct contact *c, const char *identity)
{
	if (!contact_identity_valid(identity))
		return 0;
	return contact_strv_add(&c->identities, &c->n_identities, identity,
	    CONTACT_MAX_IDENTITIES);
}

int
contact_remove_identity(struct contact *c, const char *identity)
{
	size_t	i;

	for (i = 0; i < c->n_identities; i++) {
		if (strcmp(c->identities[i], identity) == 0) {
			free(c->identities[i]);
			memmove(c->identities + i, c->identities + i + 1,
			    (c->n_identities - i) * sizeof *c->identities);
			c->n_identities--;
			return 1;
		}
	}
	return 0;
}

/* A one-line text cut to max bytes on a character boundary. */
static char *
contact_text_cut(const char *text, size_t max)
{
	size_t	len = strlen(text);

	if (len > max) {
		len = max;
		while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;
	}
	return xstrndup(text, len);
}

void
contact_add_note(struct contact *c, const char *text)
{
	char	*cut;

	if (*text == '\0')
		return;
	cut = contact_text_cut(text, CONTACT_NOTE_MAX);
	if (c->n_notes >= CONTACT_MAX_NOTES) {
		/* The oldest goes: a long history keeps its newest words. */
		free(c->notes[0]);
		memmove(c->notes, c->notes + 1, (c->n_notes - 1) *
		    sizeof *c->notes);
		c->n_notes--;
	}
	c->notes = xreallocarray(c->notes, c->n_notes + 2, sizeof *c->notes);
	c->notes[c->n_notes++] = cut;
	c->notes[c->n_notes] = NULL;
}

int
contact_add_label(struct contact *c, const char *label)
{
	if (!tag_valid(label) || strlen(label) > 64)
		return 0;
	return contact_strv_add(&c->labels, &c->n_labels, label,
	    CONTACT_MAX_LABELS);
}

void
contact_set_name(struct contact *c, const char *name)
{
	free(c->name);
	c->name = name != NULL && *name != '\0' ?
	    contact_text_cut(name, CONTACT_NAME_MAX) : NULL;
}

void
contact_merge(struct contact *into, const struct contact *from)
{
	size_t	i;

	for (i = 0; i < from->n_identities; i++)
		contact_add_identity(into, from->identities[i]);
	for (i = 0; i < from->n_labels; i++)
		contact_add_label(into, from->labels[i]);
	for (i = 0; i < from->n_notes; i++) {
		if (!contact_strv_has(into->notes, into->n_notes,
		    from->notes[i]))
			contact_add_note(into, from->notes[i]);
	}
	if (into->name == NULL && from->name != NULL)
		into->name = xstrdup(from->name);
	if (into->lang == NULL && from->lang != NULL)
		into->lang = xstrdup(from->lang);
}

/* Append "key: value\n", the value escaped to stay on its line. */
static void
contact_add_field(struct buf *b, const char *key, const char *value)
{
	const char	*p;

	buf_add_printf(b, "%s: ", key);
	for (p = value; *p != '\0'; p++) {
		if (*p == '\\')
			buf_add_str(b, "\\\\");
		else if (*p == '\n')
			buf_add_str(b, "\\n");
		else if (*p == '\r')
			buf_add_str(b, "\\r");
		else
			buf_add_char(b, *p);
	}
	buf_add_char(b, '\n');
}

char *
contact_format(const struct contact *c)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	contact_add_field(&b, "id", c->id);
	if (c->name != NULL)
		contact_add_field(&b, "name", c->name);
	if (c->lang != NULL)
		contact_add_field(&b, "lang", c->lang);
	for (i = 0; i < c->n_identities; i++)
		contact_add_field(&b, "identity", c->identities[i]);
	for (i = 0; i < c->n_labels; i++)
		contact_add_field(&b, "label", c->labels[i]);
	for (i = 0; i < c->n_notes; i++)
		contact_add_field(&b, "note", c->notes[i]);
	return buf_steal(&b);
}

/* A value unescaped: \\ \n \r; another escape kept as it is. */
static char *
contact_unescape(const char *s, size_t len)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && strchr("\\nr", s[i + 1])) {
			i++;
			buf_add_char(&b, s[i] == 'n' ? '\n' : s[i] == 'r' ?
			    '\r' : '\\');
		} else if (s[i] == '\0')
			buf_add_str(&b, "\xef\xbf\xbd");	/* U+FFFD */
		else
			buf_add_char(&b, s[i]);
	}
	if (b.data == NULL)
		buf_add_str(&b, "");
	return buf_steal(&b);
}

struct contact *
contact_parse(const char *text, size_t len, char **cause)
{
	struct contact	*c;
	const char	*line, *end, *colon, *value;
	char		*key, *v, *lang;
	size_t		 vlen;

	*cause = NULL;
	c = xcalloc(1, sizeof *c);
	for (line = text; line < text + len; line = end + 1) {
		end = memchr(line, '\n', (size_t)(text + len - line));
		if (end == NULL)
			end = text + len;
		colon = memchr(line, ':', (size_t)(end - line));
		if (colon == NULL || colon - line > 16)
			continue;
		key = xstrndup(line, (size_t)(colon - line));
		value = colon + 1;
		if (value < end && *value == ' ')
			value++;
		vlen = (size_t)(end - value);
		if (vlen > 0 && value[vlen - 1] == '\r')
			vlen--;
		v = contact_unescape(value, vlen);
		if (!utf8_valid(v, strlen(v), NULL))
			;	/* bad bytes: the field is dropped */
		else if (strcmp(key, "id") == 0 && c->id == NULL &&
		    contact_id_valid(v))
			c->id = xstrdup(v);
		else if (strcmp(key, "name") == 0)
			contact_set_name(c, v);
		else if (strcmp(key, "lang") == 0 &&
		    (lang = contact_lang_normalise(v)) != NULL) {
			free(c->lang);
			c->lang = lang;
		} else if (strcmp(key, "identity") == 0)
			contact_add_identity(c, v);
		else if (strcmp(key, "label") == 0)
			contact_add_label(c, v);
		else if (strcmp(key, "note") == 0)
			contact_add_note(c, v);
		free(v);
		free(key);
		if (end == text + len)
			break;
	}
	if (c->id == NULL) {
		*cause = xstrdup(_("no valid \"id: c-...\" line"));
		contact_free(c);
		return NULL;
	}
	return c;
}

int
contact_channels_of_tags(char *const *tags)
{
	size_t		 len = strlen(CONTACT_CHANNELS_TAG_PREFIX);
	const char	*n;
	char		*end;
	long		 v;

	for (; tags != NULL && *tags != NULL; tags++) {
		if (strncmp(*tags, CONTACT_CHANNELS_TAG_PREFIX, len) != 0)
			continue;
		n = *tags + len;
		v = strtol(n, &end, 10);
		if (end != n && *end == '\0' && v >= 2 && v <= 99)
			return (int)v;
	}
	return 1;
}
