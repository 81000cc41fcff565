/*
 * chan-twilio-parse.c: what Twilio says, parsed apart from any request or
 * host (chan-twilio.h): the webhook's forms (an inbound SMS or MMS, or a
 * status callback of one of our replies), and for polling a page of the
 * Messages list and a message's Media list. An inbound message is the
 * same whichever way it came (MessageSid its id, From its conversation),
 * so a message both posted and polled is stored once.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan-twilio.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TWILIO_FIELD_MAX	(64 * 1024)
#define TWILIO_MEDIA_MAX	10

/* ------------------------------------------------------------ forms */

struct twilio_pairs {
	char	**keys;
	char	**values;
	size_t	  n;
};

/* A form component decoded: '+' a space, %XX a byte, NUL as U+FFFD. */
static char *
twilio_unescape(const char *s, size_t len)
{
	return util_form_unescape(s, len, TWILIO_FIELD_MAX, "\xef\xbf\xbd");
}

static void
twilio_pairs_parse(struct twilio_pairs *p, const char *body, size_t len)
{
	const char	*s = body, *end = body + len, *amp, *eq;

	memset(p, 0, sizeof *p);
	while (s < end) {
		amp = memchr(s, '&', end - s);
		if (amp == NULL)
			amp = end;
		if (amp > s && p->n < 1000) {
			eq = memchr(s, '=', amp - s);
			p->keys = xreallocarray(p->keys, p->n + 1,
			    sizeof *p->keys);
			p->values = xreallocarray(p->values, p->n + 1,
			    sizeof *p->values);
			p->keys[p->n] = twilio_unescape(s,
			    (eq != NULL ? eq : amp) - s);
			p->values[p->n] = eq != NULL ?
			    twilio_unescape(eq + 1, amp - eq - 1) : xstrdup("");
			p->n++;
		}
		s = amp + 1;
	}
}

static void
twilio_pairs_free(struct twilio_pairs *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		free(p->keys[i]);
		free(p->values[i]);
	}
	free(p->keys);
	free(p->values);
}

/* The value of key (the last one), or NULL; "" counts as none. */
static const char *
twilio_get(const struct twilio_pairs *p, const char *key)
{
	size_t	i;

	for (i = p->n; i > 0; i--)
		if (strcmp(p->keys[i - 1], key) == 0)
			return *p->values[i - 1] != '\0' ? p->values[i - 1] :
			    NULL;
	return NULL;
}

/* What Twilio's states are as ombre's; NULL for one not followed. */
static const char *
twilio_state(const char *s)
{
	if (strcmp(s, "sent") == 0 || strcmp(s, "queued") == 0 ||
	    strcmp(s, "accepted") == 0 || strcmp(s, "sending") == 0 ||
	    strcmp(s, "scheduled") == 0)
		return "sent";
	if (strcmp(s, "delivered") == 0)
		return "delivered";
	if (strcmp(s, "read") == 0)
		return "read";
	if (strcmp(s, "undelivered") == 0 || strcmp(s, "failed") == 0 ||
	    strcmp(s, "canceled") == 0)
		return "failed";
	return NULL;
}

int
twilio_form_parse(const char *account, const char *body, size_t len,
    int64_t date, struct twilio_form *out, char **why)
{
	struct twilio_pairs	 p;
	struct msg		*m;
	const char		*sid, *from, *to, *status, *state, *url, *mime;
	const char		*code;
	char			 key[32], *cause = NULL;
	long			 n, i;

	memset(out, 0, sizeof *out);
	*why = NULL;
	twilio_pairs_parse(&p, body, len);
	sid = twilio_get(&p, "MessageSid");
	if (sid == NULL)
		sid = twilio_get(&p, "SmsSid");
	from = twilio_get(&p, "From");
	to = twilio_get(&p, "To");
	status = twilio_get(&p, "MessageStatus");
	if (status == NULL)
		status = twilio_get(&p, "SmsStatus");
	if (sid == NULL || strlen(sid) > 64) {
		*why = xstrdup("no MessageSid");
		goto out;
	}
	if (status != NULL && strcmp(status, "received") != 0 &&
	    strcmp(status, "receiving") != 0) {
		/* A status callback of one of our replies. */
		if ((state = twilio_state(status)) == NULL) {
			*why = xasprintf("a status not followed (%.32s)",
			    status);
			goto out;
		}
		out->remote_id = xstrdup(sid);
		out->status = xstrdup(state);
		if (to != NULL && strlen(to) <= 64)
			out->conv_id = xstrdup(to);
		if (strcmp(state, "failed") == 0) {
			code = twilio_get(&p, "ErrorCode");
			out->error = xasprintf("%s%s%.16s", status,
			    code != NULL ? ": error " : "",
			    code != NULL ? code : "");
		}
		goto out;
	}
	if (from == NULL || strlen(from) > 64 || (account == NULL &&
	    (to == NULL || strlen(to) > 64))) {
		*why = xstrdup("an inbound message without From or To");
		goto out;
	}
	m = msg_new();
	m->channel = xstrdup("sms");
	m->account = xstrdup(account != NULL ? account : to);
	m->conv_id = xstrdup(from);
	m->from_id = xstrdup(from);
	m->id = xstrdup(sid);
	m->date = date;
	m->kind = MSG_CUSTOMER;
	m->text = xstrdup(twilio_get(&p, "Body") != NULL ?
	    twilio_get(&p, "Body") : "");
	m->text_len = strlen(m->text);
	n = twilio_get(&p, "NumMedia") != NULL ?
	    strtol(twilio_get(&p, "NumMedia"), NULL, 10) : 0;
	for (i = 0; i < n && i < TWILIO_MEDIA_MAX; i++) {
		snprintf(key, sizeof key, "MediaUrl%ld", i);
		if ((url = twilio_get(&p, key)) == NULL)
			continue;
		snprintf(key, sizeof key, "MediaContentType%ld", i);
		mime = twilio_get(&p, key);
		snprintf(key, sizeof key, "media-%ld", i);
		msg_add_attachment(m, key, mime != NULL ? mime :
		    "application/octet-stream", -1, url);
	}
	if (!json_msg_valid(m, &cause)) {
		msg_free(m);
		*why = cause;
		goto out;
	}
	out->msg = m;
out:
	twilio_pairs_free(&p);
	return *why != NULL ? -1 : 0;
}

void
twilio_form_free(struct twilio_form *f)
{
	if (f->msg != NULL)
		msg_free(f->msg);
	free(f->remote_id);
	free(f->status);
	free(f->error);
	free(f->conv_id);
	memset(f, 0, sizeof *f);
}

/* ------------------------------------------------------------ lists */

int64_t
twilio_date(const char *s)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm	 tm;
	char		 wday[4], mon[4], sign;
	int		 day, year, hh, mm, ss, zone, n = 0, i;
	int64_t		 t;

	if (s == NULL || strlen(s) > 64)
		return -1;
	/* "Thu, 30 Jul 2015 20:12:31 +0000" */
	if (sscanf(s, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d %c%4d%n",
	    wday, &day, mon, &year, &hh, &mm, &ss, &sign, &zone, &n) != 9 ||
	    s[n] != '\0' || (sign != '+' && sign != '-'))
		return -1;
	for (i = 0; i < 12; i++)
		if (strcmp(mon, months[i]) == 0)
			break;
	if (i == 12 || day < 1 || day > 31 || year < 1970 || year > 9999 ||
	    hh > 23 || mm > 59 || ss > 60 || zone % 100 > 59 || hh < 0 ||
	    mm < 0 || ss < 0 || zone < 0)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_mday = day;
	tm.tm_mon = i;
	tm.tm_year = year - 1900;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	t = (int64_t)timegm(&tm);
	zone = (zone / 100) * 3600 + (zone % 100) * 60;
	t = sign == '+' ? t - zone : t + zone;
	return t >= 0 ? t : -1;
}

void
twilio_day(int64_t t, char day[TWILIO_DAY_SIZE])
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(day, TWILIO_DAY_SIZE, "%Y-%m-%d", &tm) == 0)
		snprintf(day, TWILIO_DAY_SIZE, "1970-01-01");
}

static const char *
twilio_str(json_t *o, const char *key)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s != NULL && *s != '\0' && strlen(s) <= 64 &&
	    memchr(s, '\0', json_string_length(json_object_get(o, key))) ==
	    NULL ? s : NULL;
}

/* A body's text, a NUL in it as U+FFFD (as in a form). */
static char *
twilio_text(json_t *body)
{
	struct buf	 b;
	const char	*s = json_string_value(body);
	size_t		 i, n = json_string_length(body);

	buf_init(&b);
	for (i = 0; s != NULL && i < n && b.len < TWILIO_FIELD_MAX; i++) {
		if (s[i] == '\0')
			buf_add_str(&b, "\xef\xbf\xbd");
		else
			buf_add_char(&b, s[i]);
	}
	return b.len > 0 ? buf_steal(&b) : xstrdup("");
}

/* An inbound row as the webhook's message; NULL with *why. */
static struct msg *
twilio_row(const char *account, json_t *row, int64_t *date, long *n_media,
    char **why)
{
	struct msg	*m;
	const char	*sid, *from, *to, *s;
	json_t		*body, *nm;

	*why = NULL;
	sid = twilio_str(row, "sid");
	from = twilio_str(row, "from");
	to = twilio_str(row, "to");
	if (sid == NULL) {
		*why = xstrdup("a message without sid");
		return NULL;
	}
	if (from == NULL || (account == NULL && to == NULL)) {
		*why = xstrdup("an inbound message without from or to");
		return NULL;
	}
	s = json_string_value(json_object_get(row, "date_sent"));
	if (s == NULL)
		s = json_string_value(json_object_get(row, "date_created"));
	if ((*date = twilio_date(s)) < 0) {
		*why = xstrdup("date_sent is not a date like "
		    "\"Thu, 30 Jul 2015 20:12:31 +0000\"");
		return NULL;
	}
	body = json_object_get(row, "body");
	if (body != NULL && !json_is_string(body) && !json_is_null(body)) {
		*why = xstrdup("body is not a string");
		return NULL;
	}
	/* num_media is a string ("1") in the API, a number in some SDKs. */
	nm = json_object_get(row, "num_media");
	*n_media = 0;
	if (json_is_string(nm))
		*n_media = strtol(json_string_value(nm), NULL, 10);
	else if (json_is_integer(nm))
		*n_media = (long)json_integer_value(nm);
	if (*n_media < 0)
		*n_media = 0;
	m = msg_new();
	m->channel = xstrdup("sms");
	m->account = xstrdup(account != NULL ? account : to);
	m->conv_id = xstrdup(from);
	m->from_id = xstrdup(from);
	m->id = xstrdup(sid);
	m->date = *date;
	m->kind = MSG_CUSTOMER;
	msg_set_text(m, twilio_text(body));
	if (!json_msg_valid(m, why)) {
		msg_free(m);
		return NULL;
	}
	return m;
}

/* One of our replies: its status, as a status callback says it. */
static void
twilio_row_status(struct twilio_page *out, json_t *row, const char *status)
{
	struct twilio_status	*st;
	const char		*sid, *state;
	json_t			*code;
	char			 num[32];

	if ((sid = twilio_str(row, "sid")) == NULL || status == NULL ||
	    strlen(status) > 32 || (state = twilio_state(status)) == NULL)
		return;
	st = &out->statuses[out->n_statuses++];
	st->remote_id = xstrdup(sid);
	st->status = xstrdup(state);
	if (twilio_str(row, "to") != NULL)
		st->conv_id = xstrdup(twilio_str(row, "to"));
	st->date = twilio_date(json_string_value(json_object_get(row,
	    "date_updated")));
	if (strcmp(state, "failed") == 0) {
		/* error_code is a number in the API, a string in some
		 * samples. */
		code = json_object_get(row, "error_code");
		*num = '\0';
		if (json_is_integer(code))
			snprintf(num, sizeof num, "%lld",
			    (long long)json_integer_value(code));
		else if (twilio_str(row, "error_code") != NULL)
			snprintf(num, sizeof num, "%.16s",
			    twilio_str(row, "error_code"));
		st->error = xasprintf("%s%s%s", status, *num != '\0' ?
		    ": error " : "", num);
	}
}

int
twilio_page_parse(const char *account, const char *body, size_t len,
    struct twilio_page *out, char **why)
{
	json_t		*root, *rows, *row, *next;
	const char	*dir, *status;
	struct msg	*m;
	size_t		 i;
	int64_t		 date;
	long		 n_media;
	char		*cause, day[TWILIO_DAY_SIZE];

	memset(out, 0, sizeof *out);
	*why = NULL;
	root = json_loadb(body, len, JSON_ALLOW_NUL, NULL);
	rows = json_object_get(root, "messages");
	if (!json_is_array(rows)) {
		*why = xstrdup(root == NULL ? "the page is not JSON" :
		    "the page has no messages array");
		json_decref(root);
		return -1;
	}
	next = json_object_get(root, "next_page_uri");
	if (next != NULL && !json_is_null(next)) {
		/* Followed on the API's own host: a path, nothing else. */
		if (!json_is_string(next) || json_string_value(next)[0] != '/' ||
		    json_string_value(next)[1] == '/' ||
		    strlen(json_string_value(next)) != json_string_length(next) ||
		    strpbrk(json_string_value(next), " \r\n\t#") != NULL ||
		    json_string_length(next) > 4096) {
			*why = xstrdup("next_page_uri is not a path");
			json_decref(root);
			return -1;
		}
		out->next = xstrdup(json_string_value(next));
	}
	out->msgs = xcalloc(json_array_size(rows) + 1, sizeof *out->msgs);
	out->statuses = xcalloc(json_array_size(rows) + 1,
	    sizeof *out->statuses);
	out->n_media = xcalloc(json_array_size(rows) + 1,
	    sizeof *out->n_media);
	out->bad = xcalloc(json_array_size(rows) + 1, sizeof *out->bad);
	json_array_foreach(rows, i, row) {
		dir = json_string_value(json_object_get(row, "direction"));
		status = json_string_value(json_object_get(row, "status"));
		if (!json_is_object(row) || dir == NULL) {
			/* a quarantine reason, as the parsers' others: not translated */
			cause = xstrdup(json_is_object(row) ? "a message without "
			    "direction" : "a message that is not an object");
			goto bad;
		}
		if (strcmp(dir, "inbound") != 0) {
			twilio_row_status(out, row, status);
			continue;
		}
		if ((m = twilio_row(account, row, &date, &n_media, &cause)) ==
		    NULL)
			goto bad;
		twilio_day(date, day);
		if (status != NULL && strcmp(status, "receiving") == 0) {
			/* An MMS not all there yet: the next poll, whose
			 * window must not pass its day. */
			if (*out->hold == '\0' || strcmp(day, out->hold) < 0)
				memcpy(out->hold, day, sizeof day);
			msg_free(m);
			continue;
		}
		if (strcmp(day, out->newest) > 0)
			memcpy(out->newest, day, sizeof day);
		out->n_media[out->n] = n_media;
		out->msgs[out->n++] = m;
		continue;
bad:
		out->bad[out->n_bad].raw = json_dumps(row, JSON_COMPACT |
		    JSON_ENCODE_ANY);
		if (out->bad[out->n_bad].raw == NULL)
			out->bad[out->n_bad].raw = xstrdup("");
		out->bad[out->n_bad++].why = cause;
	}
	json_decref(root);
	return 0;
}

void
twilio_page_free(struct twilio_page *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++)
		if (p->msgs[i] != NULL)
			msg_free(p->msgs[i]);
	for (i = 0; i < p->n_bad; i++) {
		free(p->bad[i].raw);
		free(p->bad[i].why);
	}
	for (i = 0; i < p->n_statuses; i++) {
		free(p->statuses[i].remote_id);
		free(p->statuses[i].status);
		free(p->statuses[i].error);
		free(p->statuses[i].conv_id);
	}
	free(p->statuses);
	free(p->msgs);
	free(p->n_media);
	free(p->bad);
	free(p->next);
	memset(p, 0, sizeof *p);
}

int
twilio_media_parse(struct msg *m, const char *api, const char *body,
    size_t len, char **why)
{
	json_t		*root, *list, *item;
	const char	*uri, *type;
	char		*url, name[32];
	size_t		 i, n, skipped = 0;

	*why = NULL;
	root = json_loadb(body, len, JSON_ALLOW_NUL, NULL);
	list = json_object_get(root, "media_list");
	if (!json_is_array(list)) {
		*why = xstrdup(root == NULL ? "the media list is not JSON" :
		    "no media_list array");
		json_decref(root);
		return -1;
	}
	json_array_foreach(list, i, item) {
		uri = json_string_value(json_object_get(item, "uri"));
		type = twilio_str(item, "content_type");
		n = uri != NULL ? strlen(uri) : 0;
		/* The media's bytes are its resource without ".json". */
		if (m->n_attachments >= TWILIO_MEDIA_MAX || n < 6 ||
		    n > 1024 || uri[0] != '/' || uri[1] == '/' ||
		    strcmp(uri + n - 5, ".json") != 0 ||
		    strpbrk(uri, " \r\n\t#?") != NULL) {
			skipped++;
			continue;
		}
		url = xasprintf("%s%.*s", api, (int)(n - 5), uri);
		snprintf(name, sizeof name, "media-%zu", m->n_attachments);
		msg_add_attachment(m, name, type != NULL ? type :
		    "application/octet-stream", -1, url);
		free(url);
	}
	json_decref(root);
	if (skipped > 0) {
		*why = xasprintf("%zu media without a uri ending in .json",
		    skipped);
		return -1;
	}
	return 0;
}
