/*
 * chan-email.h: the e-mail channel's reply, built apart from any process
 * or store (chan-email-mime.c), so that a unit test links it with base
 * and core only.
 */
#ifndef OMBRE_CHAN_EMAIL_H
#define OMBRE_CHAN_EMAIL_H

#include <stddef.h>
#include <stdint.h>

/*
 * What a reply is made of. Every string but text and quoted goes into a
 * header: CR, LF and other controls in them are replaced by spaces (no
 * header can be injected), and whatever is not ASCII is written as RFC
 * 2047 encoded words. NULL means none.
 */
struct email_reply {
	const char	*from;		/* the channel's from= */
	const char	*to;		/* the customer's address, or "Name <a@b>" */
	const char	*subject;	/* the original's; "Re: " added once */
	const char	*in_reply_to;	/* the original's Message-Id, no <> */
	const char	*references;	/* the original's References header */
	const char	*msgid;		/* ours, no <> (stable across retries) */
	int64_t		 date;		/* seconds since the epoch, UTC */
	const char	*text;		/* the reply, UTF-8 */
	const char	*quoted;	/* the original's text below, or NULL */
	const char	*quoted_from;	/* who wrote it ("On ..., X wrote:") */
	int64_t		 quoted_date;
};

/*
 * The reply as a message (RFC 5322, LF line ends as sendmail -t and a
 * Maildir take them): From, To, Subject, Date, Message-Id, In-Reply-To,
 * References, MIME-Version, a text/plain; charset=UTF-8 body in
 * quoted-printable, the quote below the text ("> " before each line).
 * Allocated; *len its length.
 */
char *email_reply_build(const struct email_reply *r, size_t *len);
/* The Subject a reply to subject has: "Re: " before it unless it starts
 * with "Re:" already (any case). Allocated, controls made spaces. */
char *email_reply_subject(const char *subject);
/* The bare address of a From or To value ("Name <a@b>" gives a@b);
 * allocated, NULL when there is none. */
char *email_address(const char *value);

#endif
