/*
 * store-mail.c: the readable text of an e-mail ombre did not write.
 *
 * With `set store.database`, a user's own mail shows in ombre beside the
 * chats. Those files are MIME: this finds the first text/plain part (in a
 * multipart, depth-limited), undoes its transfer encoding (quoted-printable,
 * base64) and turns Latin-1 and Windows-1252 into UTF-8. Other charsets are
 * passed through: the sanitiser shows what is not UTF-8 as U+FFFD. It is a
 * reader for display, not a full MIME parser; notmuch already decodes the
 * headers ombre shows.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <ctype.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAIL_MAX_SIZE	(16 * 1024 * 1024)	/* read no more of a file */
#define MAIL_MAX_DEPTH	8			/* nested multiparts */

/* Where the body of an entity starts: after its first blank line. */
static size_t
mail_body_offset(const char *s, size_t len)
{
	size_t	i;

	if (len > 0 && s[0] == '\n')
		return 1;
	if (len > 1 && s[0] == '\r' && s[1] == '\n')
		return 2;
	for (i = 0; i + 1 < len; i++) {
		if (s[i] != '\n')
			continue;
		if (s[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && s[i + 1] == '\r' && s[i + 2] == '\n')
			return i + 3;
	}
	return len;
}

/* A header's unfolded value (allocated), or NULL. */
static char *
mail_header(const char *s, size_t len, const char *name)
{
	size_t		 nlen = strlen(name), i = 0, j;
	struct buf	 value;

	while (i < len) {
		if (len - i > nlen && strncasecmp(s + i, name, nlen) == 0 &&
		    s[i + nlen] == ':') {
			buf_init(&value);
			j = i + nlen + 1;
			for (;;) {
				while (j < len && s[j] != '\n') {
					if (s[j] != '\r')
						buf_add_char(&value, s[j]);
					j++;
				}
				/* A folded line continues the value. */
				if (j + 1 < len && (s[j + 1] == ' ' ||
				    s[j + 1] == '\t')) {
					j++;
					continue;
				}
				break;
			}
			return buf_steal(&value);
		}
		while (i < len && s[i] != '\n')
			i++;
		i++;
	}
	return NULL;
}

/* A parameter of a structured header value ("boundary", "charset"). */
static char *
mail_param(const char *value, const char *name)
{
	const char	*p = value, *end;
	size_t		 nlen = strlen(name);

	while ((p = strchr(p, ';')) != NULL) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, name, nlen) != 0 || p[nlen] != '=')
			continue;
		p += nlen + 1;
		if (*p == '"') {
			end = strchr(++p, '"');
			return end != NULL ? xstrndup(p, (size_t)(end - p)) :
			    xstrdup(p);
		}
		end = p + strcspn(p, "; \t");
		return xstrndup(p, (size_t)(end - p));
	}
	return NULL;
}

/* Does a Content-Type value name this type (case-insensitive)? */
static int
mail_type_is(const char *type, const char *want)
{
	size_t	len = strlen(want);

	while (type != NULL && (*type == ' ' || *type == '\t'))
		type++;
	return type != NULL && strncasecmp(type, want, len) == 0 &&
	    (type[len] == '\0' || type[len] == ';' || type[len] == ' ' ||
	    type[len] == '/');
}

static int
mail_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void
mail_decode_qp(const char *s, size_t len, struct buf *out)
{
	size_t	i;
	int	hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] != '=') {
			if (s[i] != '\r')
				buf_add_char(out, s[i]);
			continue;
		}
		if (i + 1 < len && s[i + 1] == '\n') {		/* soft break */
			i++;
			continue;
		}
		if (i + 2 < len && s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 2;
			continue;
		}
		if (i + 2 < len && (hi = mail_hex((unsigned char)s[i + 1])) >= 0 &&
		    (lo = mail_hex((unsigned char)s[i + 2])) >= 0) {
			buf_add_char(out, (char)(hi << 4 | lo));
			i += 2;
			continue;
		}
		buf_add_char(out, '=');
	}
}

static void
mail_decode_b64(const char *s, size_t len, struct buf *out)
{
	static const char	 alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char		*p;
	unsigned int		 acc = 0;
	int			 bits = 0;
	size_t			 i;

	for (i = 0; i < len; i++) {
		if (s[i] == '=')
			break;
		if ((p = strchr(alphabet, s[i])) == NULL || s[i] == '\0')
			continue;	/* line breaks, stray bytes */
		acc = (acc << 6) | (unsigned int)(p - alphabet);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_add_char(out, (char)((acc >> bits) & 0xff));
		}
	}
}

/* Windows-1252's 0x80..0x9f; 0 where it has no character. */
static const uint16_t mail_cp1252[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178
};

/* Latin-1 or Windows-1252 bytes to UTF-8. */
static void
mail_latin1_to_utf8(struct buf *text, int cp1252)
{
	struct buf	out;
	char		enc[4];
	uint32_t	cp;
	size_t		i;

	buf_init(&out);
	for (i = 0; i < text->len; i++) {
		cp = (unsigned char)text->data[i];
		if (cp1252 && cp >= 0x80 && cp < 0xa0 && mail_cp1252[cp - 0x80])
			cp = mail_cp1252[cp - 0x80];
		buf_add(&out, enc, utf8_encode(cp, enc));
	}
	buf_free(text);
	*text = out;
}

/*
 * Append the text of the first text/plain entity in s to out. Return 1
 * when one was found.
 */
static int
mail_entity_text(const char *s, size_t len, int depth, struct buf *out)
{
	char		*type, *encoding, *boundary, *charset, *delim;
	const char	*part, *next, *end = s + len, *cte;
	size_t		 body, dlen;
	struct buf	 text;
	int		 found = 0;

	body = mail_body_offset(s, len);
	type = mail_header(s, body, "Content-Type");
	if (type != NULL && mail_type_is(type, "multipart")) {
		boundary = mail_param(type, "boundary");
		if (boundary == NULL || depth >= MAIL_MAX_DEPTH) {
			free(boundary);
			free(type);
			return 0;
		}
		delim = xasprintf("\n--%s", boundary);
		dlen = strlen(delim);
		/* The first delimiter may start the body: its "\n" is the
		 * blank line's. */
		part = body > 0 ? memmem(s + body - 1, len - body + 1, delim,
		    dlen) : NULL;
		while (!found && part != NULL) {
			part += dlen;
			if (end - part >= 2 && part[0] == '-' && part[1] == '-')
				break;	/* the closing delimiter */
			part = memchr(part, '\n', (size_t)(end - part));
			if (part == NULL)
				break;
			part++;
			next = memmem(part - 1, (size_t)(end - part + 1), delim,
			    dlen);
			/* A delimiter on the very next line (its "\n" is the
			 * one before part) ends an empty part: no text there. */
			if (next == NULL || next > part)
				found = mail_entity_text(part, (size_t)((next !=
				    NULL ? next : end) - part), depth + 1, out);
			part = next;
		}
		free(delim);
		free(boundary);
		free(type);
		return found;
	}
	if (type != NULL && !mail_type_is(type, "text/plain")) {
		free(type);
		return 0;
	}
	buf_init(&text);
	encoding = mail_header(s, body, "Content-Transfer-Encoding");
	cte = encoding != NULL ? encoding + strspn(encoding, " \t") : "";
	if (strncasecmp(cte, "quoted-printable", 16) == 0)
		mail_decode_qp(s + body, len - body, &text);
	else if (strncasecmp(cte, "base64", 6) == 0)
		mail_decode_b64(s + body, len - body, &text);
	else
		buf_add(&text, s + body, len - body);
	free(encoding);
	charset = type != NULL ? mail_param(type, "charset") : NULL;
	if (charset != NULL && (strcasecmp(charset, "iso-8859-1") == 0 ||
	    strcasecmp(charset, "latin1") == 0 ||
	    strcasecmp(charset, "iso-8859-15") == 0))
		mail_latin1_to_utf8(&text, 0);
	else if (charset != NULL && strcasecmp(charset, "windows-1252") == 0)
		mail_latin1_to_utf8(&text, 1);
	free(charset);
	free(type);
	buf_add(out, text.data, text.len);
	buf_free(&text);
	return 1;
}

char *
store_mail_text_of(const char *data, size_t len, size_t *text_len)
{
	struct buf	 text;

	*text_len = 0;
	buf_init(&text);
	if (!mail_entity_text(data, len, 0, &text)) {
		buf_free(&text);
		return NULL;
	}
	/* Trailing blank lines of the part are not part of the text. */
	while (text.len > 0 && (text.data[text.len - 1] == '\n' ||
	    text.data[text.len - 1] == '\r'))
		text.data[--text.len] = '\0';
	*text_len = text.len;
	return buf_steal(&text);
}

char *
store_mail_text(const char *path, size_t *len)
{
	struct buf	 data;
	char		 chunk[65536], *text;
	ssize_t		 n;
	int		 fd;

	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return NULL;
	buf_init(&data);
	while (data.len < MAIL_MAX_SIZE &&
	    (n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&data, chunk, (size_t)n);
	close(fd);
	text = store_mail_text_of(data.data, data.len, len);
	buf_free(&data);
	return text;
}
