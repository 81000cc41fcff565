/*
 * mail-text.c: an e-mail's text as a mail client previews it, pure.
 *
 * A reply's body starts with what it answers: "On Thu, 29 Dec 2011, Allan
 * McRae wrote:" (or "Le 29/12/2011 11:13, Allan McRae a écrit :"),
 * then the quote ("> ..."), and ends with a signature after "-- ". A
 * list's row shows none of that, as mutt's, Thunderbird's and Gmail's
 * previews do not: only the lines the sender wrote. The same test of a
 * quoted line folds long quotes in the thread (ui-thread.c), and the
 * subject loses its "Re:" and "Fwd:" before the row shows it.
 *
 * Nothing here sanitises: the caller's display does (sanitize.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A line's bounds without its blanks at both ends (and a CR). */
static void
mail_trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t' ||
	    (*s)[*len - 1] == '\r'))
		(*len)--;
}

int
mail_quoted_line(const char *s, size_t len)
{
	mail_trim(&s, &len);
	return len > 0 && s[0] == '>';
}

static int
mail_ends_with(const char *s, size_t len, const char *end)
{
	size_t	n = strlen(end);

	return len >= n && strncasecmp(s + len - n, end, n) == 0;
}

/* "... wrote:", "... a écrit :" (a space, a no-break space or none
 * before the colon, as French typography and mail clients write it). */
static int
mail_attribution_end(const char *s, size_t len)
{
	mail_trim(&s, &len);
	return mail_ends_with(s, len, "wrote:") ||
	    mail_ends_with(s, len, "\xc3\xa9" "crit:") ||
	    mail_ends_with(s, len, "\xc3\xa9" "crit :") ||
	    mail_ends_with(s, len, "\xc3\xa9" "crit\xc2\xa0:") ||
	    mail_ends_with(s, len, "\xc3\xa9" "crit\xe2\x80\xaf:");
}

/* The first line of an attribution wrapped over two: "On ..." or
 * "Le ...". */
static int
mail_attribution_start(const char *s, size_t len)
{
	mail_trim(&s, &len);
	return (len > 3 && strncmp(s, "On ", 3) == 0) ||
	    (len > 3 && strncmp(s, "Le ", 3) == 0);
}

/* Where a signature or an Outlook quote starts: the end of what the
 * sender wrote. */
static int
mail_text_end(const char *s, size_t len)
{
	if ((len == 3 && memcmp(s, "-- ", 3) == 0) ||
	    (len == 4 && memcmp(s, "-- \r", 4) == 0) ||
	    (len == 2 && memcmp(s, "--", 2) == 0) ||
	    (len == 3 && memcmp(s, "--\r", 3) == 0))
		return 1;
	mail_trim(&s, &len);
	return len > 10 && (memmem(s, len, "Original Message", 16) != NULL ||
	    memmem(s, len, "Message d'origine", 17) != NULL) &&
	    s[0] == '-' && s[len - 1] == '-';
}

struct mail_line {
	const char	*s;
	size_t		 len;
};

char *
mail_preview(const char *text, size_t len)
{
	struct mail_line	*lines = NULL;
	struct buf		 b;
	const char		*p = text, *nl, *s;
	size_t			 n = 0, i, l;

	while (len > 0) {
		nl = memchr(p, '\n', len);
		l = nl != NULL ? (size_t)(nl - p) : len;
		lines = xreallocarray(lines, n + 1, sizeof *lines);
		lines[n].s = p;
		lines[n++].len = l;
		if (nl == NULL)
			break;
		len -= l + 1;
		p = nl + 1;
	}
	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (mail_text_end(lines[i].s, lines[i].len))
			break;
		if (mail_quoted_line(lines[i].s, lines[i].len) ||
		    mail_attribution_end(lines[i].s, lines[i].len))
			continue;
		/* "On Thu, 29 Dec 2011 at 11:13, Allan McRae" then
		 * "<allan@archlinux.org> wrote:" on the next line. */
		if (i + 1 < n && mail_attribution_start(lines[i].s,
		    lines[i].len) && mail_attribution_end(lines[i + 1].s,
		    lines[i + 1].len)) {
			i++;
			continue;
		}
		s = lines[i].s;
		l = lines[i].len;
		mail_trim(&s, &l);
		if (l == 0)		/* blank lines: the row folds them */
			continue;
		if (b.len > 0)
			buf_add_char(&b, '\n');
		/* The line as written (its indentation), CR cut. */
		l = lines[i].len;
		while (l > 0 && lines[i].s[l - 1] == '\r')
			l--;
		buf_add(&b, lines[i].s, l);
	}
	free(lines);
	if (b.len == 0) {
		/* All quote (a forward with no word of its own): the text as
		 * it is shows more than nothing. */
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

char *
mail_subject(const char *subject)
{
	static const char *const prefixes[] = {
		"re", "fwd", "fw", "tr", "aw", "wg", "sv", "ref"
	};
	const char	*s = subject, *q;
	size_t		 i, n;
	int		 again = 1;

	while (again) {
		again = 0;
		while (*s == ' ' || *s == '\t')
			s++;
		for (i = 0; i < nitems(prefixes); i++) {
			n = strlen(prefixes[i]);
			if (strncasecmp(s, prefixes[i], n) != 0)
				continue;
			q = s + n;
			/* "Re[2]:", "RE :" */
			if (*q == '[') {
				q += 1 + strspn(q + 1, "0123456789");
				if (*q != ']')
					continue;
				q++;
			}
			while (*q == ' ' || (q[0] == '\xc2' && q[1] == '\xa0'))
				q += *q == ' ' ? 1 : 2;
			if (*q != ':')
				continue;
			s = q + 1;
			again = 1;
			break;
		}
	}
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}
