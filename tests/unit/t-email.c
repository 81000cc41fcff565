/*
 * t-email.c: the e-mail channel's reply as a message (email_reply_build:
 * chan-email.h): its headers, "Re:" added once, threading headers,
 * header values from outside stripped of CR and LF, non-ASCII headers as
 * encoded words, the body in quoted-printable (non-ASCII, long lines,
 * trailing spaces), the quote. Links src/chan's archive with core and
 * base only.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan-email.h"

#include <stdlib.h>
#include <string.h>

#include "base/base.h"
#include "tap.h"

/* 2026-12-06 10:00:00 UTC, a Sunday. */
#define T_DATE	INT64_C(1796551200)

/* The headers of a message (up to its blank line), allocated. */
static char *
t_headers(const char *m)
{
	const char	*end = strstr(m, "\n\n");

	return xstrndup(m, end != NULL ? (size_t)(end - m + 1) : strlen(m));
}

static const char *
t_body(const char *m)
{
	const char	*end = strstr(m, "\n\n");

	return end != NULL ? end + 2 : "";
}

/* Is every line of s at most max bytes? */
static int
t_lines_within(const char *s, size_t max)
{
	size_t	n;

	while (*s != '\0') {
		n = strcspn(s, "\n");
		if (n > max)
			return 0;
		s += n;
		if (*s == '\n')
			s++;
	}
	return 1;
}

static void
t_basic(void)
{
	struct email_reply	 r = { 0 };
	char			*m, *h;
	size_t			 len;

	r.from = "Support <support@example.com>";
	r.to = "Jane Doe <jane@example.org>";
	r.subject = "Order 42";
	r.in_reply_to = "orig-1@example.org";
	r.references = "<root@example.org> <mid@example.org>";
	r.msgid = "out.1234@ombre";
	r.date = T_DATE;
	r.text = "Hello Jane,\nit ships today.";
	m = email_reply_build(&r, &len);
	ok(len == strlen(m), "the length is the message's");
	h = t_headers(m);
	is_str(h,
	    "From: \"Support\" <support@example.com>\n"
	    "To: \"Jane Doe\" <jane@example.org>\n"
	    "Subject: Re: Order 42\n"
	    "Date: Sun, 06 Dec 2026 10:00:00 +0000\n"
	    "Message-Id: <out.1234@ombre>\n"
	    "In-Reply-To: <orig-1@example.org>\n"
	    "References: <root@example.org> <mid@example.org> "
	    "<orig-1@example.org>\n"
	    "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=UTF-8\n"
	    "Content-Transfer-Encoding: quoted-printable\n",
	    "the headers of a reply");
	is_str(t_body(m), "Hello Jane,\nit ships today.\n", "ASCII body as it is");
	free(h);
	free(m);

	/* The same reply built again (a retry) is the same message. */
	m = email_reply_build(&r, &len);
	h = email_reply_build(&r, &len);
	is_str(m, h, "a retry builds the same message (same Message-Id)");
	free(h);
	free(m);
}

static void
t_subject(void)
{
	char	*s;

	s = email_reply_subject("Re: Order 42");
	is_str(s, "Re: Order 42", "Re: not doubled");
	free(s);
	s = email_reply_subject("RE: Order 42");
	is_str(s, "RE: Order 42", "RE: not doubled");
	free(s);
	s = email_reply_subject("re:Order");
	is_str(s, "re:Order", "re: (no space) not doubled");
	free(s);
	s = email_reply_subject("Regarding my order");
	is_str(s, "Re: Regarding my order", "Regarding is no Re:");
	free(s);
	s = email_reply_subject(NULL);
	is_str(s, "Re: ", "no subject: Re: alone");
	free(s);
}

static void
t_injection(void)
{
	struct email_reply	 r = { 0 };
	char			*m, *h, *a;
	size_t			 len;

	r.from = "Support <support@example.com>";
	r.to = "Eve <eve@example.org>\r\nBcc: victim@example.net";
	r.subject = "Hi\r\nBcc: victim@example.net\nX-Evil: 1";
	r.in_reply_to = "a@b>\r\nX-Evil: 2";
	r.references = "<x@y>\nX-Evil: 3";
	r.msgid = "out.1@ombre";
	r.date = T_DATE;
	r.text = "ok";
	m = email_reply_build(&r, &len);
	h = t_headers(m);
	ok(strstr(h, "\nBcc:") == NULL, "no Bcc header injected");
	ok(strstr(h, "\nX-Evil") == NULL, "no X-Evil header injected");
	ok(strchr(h, '\r') == NULL, "no CR in the headers");
	ok(strstr(h, "To: \"Eve\" <eve@example.org>\n") != NULL,
	    "To keeps the first address only");
	ok(strstr(h, "Subject: Re: Hi Bcc: victim@example.net X-Evil: 1\n")
	    != NULL, "the Subject's line ends are spaces");
	ok(strstr(h, "In-Reply-To: <a@b>\n") != NULL,
	    "In-Reply-To cut at what is no Message-Id");
	ok(strstr(h, "References: <x@y> <a@b>\n") != NULL,
	    "References keep Message-Ids only");
	free(h);
	free(m);

	a = email_address("\"Doe, Jane\" <jane@example.org>");
	is_str(a, "jane@example.org", "the address of a quoted name");
	free(a);
	a = email_address("jane@example.org, other@example.net");
	is_str(a, "jane@example.org", "one address only");
	free(a);
	a = email_address("no address");
	ok(a == NULL, "no @: no address");
	free(a);
}

static void
t_encoding(void)
{
	struct email_reply	 r = { 0 };
	char			*m, *h, long_line[301];
	const char		*body;
	size_t			 len;

	memset(long_line, 'a', 300);
	long_line[300] = '\0';
	r.from = "Support <support@example.com>";
	r.to = "Zoë Ünal <zoe@example.org>";
	r.subject = "Commande n° 42 : où est mon colis ? Ça fait déjà deux "
	    "semaines que j'attends une réponse";
	r.in_reply_to = "orig@example.org";
	r.msgid = "out.2@ombre";
	r.date = T_DATE;
	r.text = long_line;
	m = email_reply_build(&r, &len);
	h = t_headers(m);
	ok(strstr(h, "To: =?UTF-8?B?Wm/DqyDDnG5hbA==?= <zoe@example.org>\n")
	    != NULL, "a non-ASCII name as an encoded word");
	ok(strstr(h, "Subject: =?UTF-8?B?") != NULL,
	    "a non-ASCII Subject as encoded words");
	ok(strstr(h, "?=\n =?UTF-8?B?") != NULL,
	    "a long Subject folded between encoded words");
	ok(t_lines_within(h, 78), "header lines within 78 bytes");
	body = t_body(m);
	ok(t_lines_within(body, 76), "body lines within 76 bytes");
	ok(strstr(body, "=\n") != NULL, "a long line cut by soft breaks");
	free(h);
	free(m);

	r.to = "zoe@example.org";
	r.text = "Déjà vu \xe2\x82\xac = 1 \nline two\t\n.dot\nFrom here";
	m = email_reply_build(&r, &len);
	ok(strstr(m, "To: zoe@example.org\n") != NULL, "an address alone");
	is_str(t_body(m),
	    "D=C3=A9j=C3=A0 vu =E2=82=AC =3D 1=20\n"
	    "line two=09\n"
	    "=2Edot\n"
	    "=46rom here\n",
	    "quoted-printable: UTF-8, '=', trailing blanks, dot, From");
	free(m);
}

static void
t_quote(void)
{
	struct email_reply	 r = { 0 };
	char			*m;
	size_t			 len;

	r.from = "support@example.com";
	r.to = "jane@example.org";
	r.subject = "Re: Order";
	r.msgid = "out.3@ombre";
	r.date = T_DATE;
	r.text = "Yes.";
	r.quoted = "Is it shipped?\n\n> older\nThanks";
	r.quoted_from = "Jane Doe <jane@example.org>";
	r.quoted_date = T_DATE - 3600;
	m = email_reply_build(&r, &len);
	is_str(t_body(m),
	    "Yes.\n"
	    "\n"
	    "On Sun, 06 Dec 2026 09:00:00 +0000, Jane Doe <jane@example.org> "
	    "wrote:\n"
	    "> Is it shipped?\n"
	    ">\n"
	    ">> older\n"
	    "> Thanks\n",
	    "the quote below the reply");
	ok(strstr(m, "Subject: Re: Order\n") != NULL, "Re: kept once");
	ok(strstr(m, "In-Reply-To") == NULL, "no original: no In-Reply-To");
	free(m);
}

int
main(void)
{
	t_basic();
	t_subject();
	t_injection();
	t_encoding();
	t_quote();
	done_testing();
	return exit_status();
}
