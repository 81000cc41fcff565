/*
 * chan-email-mime.c: an e-mail reply as a message, a pure function of
 * what it answers (chan-email.h). Headers that come from outside (the
 * customer's address and Subject, the original's References) lose their
 * controls, CR and LF first: nothing a customer writes can add a header
 * or a recipient. The body is UTF-8 in quoted-printable, so that no line
 * is longer than 76 bytes and no byte is taken for a line end, whatever
 * the agent typed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan-email.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/base.h"

#define EMAIL_LINE	78	/* a folded header line's length, at most */
#define EMAIL_QP_LINE	76	/* a quoted-printable line's, soft break included */
#define EMAIL_WORD_RAW	45	/* bytes of text in one encoded word (60 base64) */

/* A header value from outside: controls (CR, LF, TAB, DEL, C1) made
 * spaces, bad UTF-8 made '?', spaces at both ends cut. Allocated. */
static char *
email_clean(const char *s)
{
	struct buf	 b;
	size_t		 len, i = 0, n;
	uint32_t	 cp;
	char		*out, *start, *end;

	buf_init(&b);
	len = s != NULL ? strlen(s) : 0;
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == UTF8_REPLACEMENT && n == 1)
			buf_add_char(&b, '?');
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
		    cp == 0x2028 || cp == 0x2029)
			buf_add_char(&b, ' ');
		else
			buf_add(&b, s + i, n);
		i += n;
	}
	out = buf_steal(&b);
	for (start = out; *start == ' '; start++)
		;
	end = start + strlen(start);
	while (end > start && end[-1] == ' ')
		end--;
	*end = '\0';
	memmove(out, start, (size_t)(end - start) + 1);
	return out;
}

static int
email_is_ascii(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s >= 0x80)
			return 0;
	}
	return 1;
}

static void
email_base64(struct buf *b, const unsigned char *s, size_t len)
{
	static const char	 alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			 i;
	uint32_t		 v;

	for (i = 0; i < len; i += 3) {
		v = (uint32_t)s[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < len)
			v |= s[i + 2];
		buf_add_char(b, alphabet[(v >> 18) & 63]);
		buf_add_char(b, alphabet[(v >> 12) & 63]);
		buf_add_char(b, i + 1 < len ? alphabet[(v >> 6) & 63] : '=');
		buf_add_char(b, i + 2 < len ? alphabet[v & 63] : '=');
	}
}

/*
 * s (clean, not ASCII) as RFC 2047 encoded words of at most 45 bytes each,
 * cut between characters, separated by a fold. *col is the line's length
 * so far, updated.
 */
static void
email_add_encoded(struct buf *b, const char *s, size_t *col)
{
	size_t		 len = strlen(s), i = 0, j, n, room;
	uint32_t	 cp;

	while (i < len) {
		/* What fits on this line: 12 bytes of =?UTF-8?B??=, then 4
		 * of base64 for 3 of text. */
		room = *col + 12 + 4 < EMAIL_LINE ?
		    (EMAIL_LINE - *col - 12) / 4 * 3 : 0;
		if (i > 0 || room < 3) {
			buf_add_str(b, "\n ");
			*col = 1;
			room = EMAIL_WORD_RAW;
		}
		if (room > EMAIL_WORD_RAW)
			room = EMAIL_WORD_RAW;
		j = i;
		while (j < len) {
			n = utf8_decode(s + j, len - j, &cp);
			if (j + n - i > room && j > i)
				break;
			j += n;
		}
		buf_add_str(b, "=?UTF-8?B?");
		email_base64(b, (const unsigned char *)s + i, j - i);
		buf_add_str(b, "?=");
		*col += 12 + (j - i + 2) / 3 * 4;
		i = j;
	}
}

/* ASCII words of s folded at its spaces so lines stay within 78 bytes
 * where a word allows it. */
static void
email_add_folded(struct buf *b, const char *s, size_t *col)
{
	const char	*p = s;
	size_t		 n;
	int		 first = 1;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		n = strcspn(p, " ");
		if (!first && *col + 1 + n > EMAIL_LINE) {
			buf_add_str(b, "\n ");
			*col = 1;
		} else if (!first) {
			buf_add_char(b, ' ');
			(*col)++;
		}
		buf_add(b, p, n);
		*col += n;
		p += n;
		first = 0;
	}
}

/* A header of unstructured text (Subject): folded, encoded when not
 * ASCII. */
static void
email_header_text(struct buf *b, const char *name, const char *value)
{
	char	*clean = email_clean(value);
	size_t	 col;

	buf_add_printf(b, "%s: ", name);
	col = strlen(name) + 2;
	if (email_is_ascii(clean))
		email_add_folded(b, clean, &col);
	else
		email_add_encoded(b, clean, &col);
	buf_add_char(b, '\n');
	free(clean);
}

char *
email_address(const char *value)
{
	char		*clean, *lt, *gt, *addr;
	size_t		 n;

	if (value == NULL)
		return NULL;
	clean = email_clean(value);
	if ((lt = strrchr(clean, '<')) != NULL &&
	    (gt = strchr(lt, '>')) != NULL) {
		addr = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	} else
		addr = xstrdup(clean);
	free(clean);
	/* An address has no spaces, quotes, brackets or commas: keep what
	 * comes before the first one, so no second recipient slips in. */
	n = strcspn(addr, " \"<>,;()[]\\");
	addr[n] = '\0';
	if (*addr == '\0' || strchr(addr, '@') == NULL) {
		free(addr);
		return NULL;
	}
	return addr;
}

/*
 * A header naming one mailbox: "Name <addr>", the name quoted when ASCII
 * (quotes and backslashes escaped) or encoded when not; the address only
 * when the value has no name.
 */
static void
email_header_mailbox(struct buf *b, const char *header, const char *value)
{
	char		*clean, *addr, *name, *lt, *p;
	size_t		 col;

	clean = email_clean(value);
	addr = email_address(clean);
	name = NULL;
	if ((lt = strrchr(clean, '<')) != NULL) {
		*lt = '\0';
		name = email_clean(clean);
		if (name[0] == '"' && strlen(name) > 1 &&
		    name[strlen(name) - 1] == '"') {
			memmove(name, name + 1, strlen(name));
			name[strlen(name) - 1] = '\0';
		}
	}
	buf_add_printf(b, "%s: ", header);
	col = strlen(header) + 2;
	if (name != NULL && *name != '\0') {
		if (email_is_ascii(name)) {
			buf_add_char(b, '"');
			for (p = name; *p != '\0'; p++) {
				if (*p == '"' || *p == '\\')
					buf_add_char(b, '\\');
				buf_add_char(b, *p);
			}
			buf_add_char(b, '"');
			col += strlen(name) + 2;
		} else
			email_add_encoded(b, name, &col);
		if (col + 3 + (addr != NULL ? strlen(addr) : 0) > EMAIL_LINE)
			buf_add_str(b, "\n <");
		else
			buf_add_str(b, " <");
		buf_add_str(b, addr != NULL ? addr : "");
		buf_add_str(b, ">\n");
	} else
		buf_add_printf(b, "%s\n", addr != NULL ? addr : "");
	free(name);
	free(addr);
	free(clean);
}

char *
email_reply_subject(const char *subject)
{
	char	*clean = email_clean(subject), *out;

	if (strncasecmp(clean, "re:", 3) == 0)
		return clean;
	out = xasprintf("Re: %s", clean);
	free(clean);
	return out;
}

/* The Message-Ids of a References value ("<a> <b>"), each cleaned, with
 * id last unless it is there already. Allocated, space-separated. */
static char *
email_references(const char *references, const char *id)
{
	struct buf	 b;
	char		*clean, *p, *gt, *want;
	int		 seen = 0;

	buf_init(&b);
	clean = email_clean(references);
	want = id != NULL ? xasprintf("<%s>", id) : NULL;
	p = clean;
	while ((p = strchr(p, '<')) != NULL) {
		if ((gt = strchr(p, '>')) == NULL)
			break;
		if (strcspn(p + 1, " <") < (size_t)(gt - p - 1)) {
			p++;
			continue;
		}
		if (b.len > 0)
			buf_add_char(&b, ' ');
		buf_add(&b, p, (size_t)(gt - p + 1));
		if (want != NULL && strlen(want) == (size_t)(gt - p + 1) &&
		    strncmp(want, p, (size_t)(gt - p + 1)) == 0)
			seen = 1;
		p = gt + 1;
	}
	if (want != NULL && !seen) {
		if (b.len > 0)
			buf_add_char(&b, ' ');
		buf_add_str(&b, want);
	}
	free(want);
	free(clean);
	return buf_steal(&b);
}

/*
 * s[0..len) in quoted-printable: printable ASCII as it is but '=', a
 * space or tab before a line end encoded, "From " and '.' at a line's
 * start encoded (mbox, SMTP), lines cut by soft breaks at 76 bytes. LF
 * (CRLF) ends a line.
 */
static void
email_add_qp(struct buf *b, const char *s, size_t len)
{
	size_t		 i, col = 0;
	unsigned char	 c;
	char		 enc[4];
	int		 raw;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		if (c == '\n') {
			buf_add_char(b, '\n');
			col = 0;
			continue;
		}
		raw = c >= 33 && c <= 126 && c != '=';
		if (c == ' ' || c == '\t')
			raw = i + 1 < len && s[i + 1] != '\n' && s[i + 1] != '\r';
		if (col == 0 && (c == '.' ||
		    (c == 'F' && len - i >= 5 && strncmp(s + i, "From ", 5) == 0)))
			raw = 0;
		if (raw) {
			if (col + 1 > EMAIL_QP_LINE - 1 && !(i + 1 == len ||
			    s[i + 1] == '\n')) {
				buf_add_str(b, "=\n");
				col = 0;
			}
			buf_add_char(b, (char)c);
			col++;
			continue;
		}
		snprintf(enc, sizeof enc, "=%02X", c);
		if (col + 3 > EMAIL_QP_LINE - 1) {
			buf_add_str(b, "=\n");
			col = 0;
		}
		buf_add_str(b, enc);
		col += 3;
	}
	if (col > 0)
		buf_add_char(b, '\n');
}

/* t as an RFC 5322 date in UTC, whatever the locale. */
static void
email_date(int64_t t, char *out, size_t size)
{
	static const char	*days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char	*months[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t			 tt = (time_t)t;
	struct tm		 tm;

	if (gmtime_r(&tt, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The quote: a line saying who wrote it, then each line after "> ". */
static void
email_add_quote(struct buf *body, const struct email_reply *r)
{
	char		 when[64], *who;
	const char	*p = r->quoted, *nl;
	size_t		 n;

	email_date(r->quoted_date, when, sizeof when);
	who = email_clean(r->quoted_from != NULL ? r->quoted_from : "");
	if (body->len > 0 && body->data[body->len - 1] != '\n')
		buf_add_char(body, '\n');
	buf_add_printf(body, "\nOn %s, %s wrote:\n", when,
	    *who != '\0' ? who : "you");
	free(who);
	while (*p != '\0') {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		buf_add_str(body, n > 0 && p[0] != '>' ? "> " : ">");
		buf_add(body, p, n);
		buf_add_char(body, '\n');
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

char *
email_reply_build(const struct email_reply *r, size_t *len)
{
	struct buf	 b, body;
	char		 date[64], *subject, *refs, *id;
	size_t		 col;

	buf_init(&b);
	email_header_mailbox(&b, "From", r->from);
	email_header_mailbox(&b, "To", r->to);
	subject = email_reply_subject(r->subject);
	email_header_text(&b, "Subject", subject);
	free(subject);
	email_date(r->date, date, sizeof date);
	buf_add_printf(&b, "Date: %s\n", date);
	id = email_clean(r->msgid);
	buf_add_printf(&b, "Message-Id: <%s>\n", id);
	free(id);
	if (r->in_reply_to != NULL && *r->in_reply_to != '\0') {
		id = email_clean(r->in_reply_to);
		id[strcspn(id, " <>")] = '\0';
		buf_add_printf(&b, "In-Reply-To: <%s>\n", id);
		refs = email_references(r->references, id);
		free(id);
	} else
		refs = email_references(r->references, NULL);
	if (*refs != '\0') {
		buf_add_str(&b, "References: ");
		col = 12;
		email_add_folded(&b, refs, &col);
		buf_add_char(&b, '\n');
	}
	free(refs);
	buf_add_str(&b, "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n"
	    "\n");

	buf_init(&body);
	buf_add_str(&body, r->text != NULL ? r->text : "");
	if (r->quoted != NULL)
		email_add_quote(&body, r);
	email_add_qp(&b, body.data != NULL ? body.data : "", body.len);
	buf_free(&body);
	*len = b.len;
	return buf_steal(&b);
}
