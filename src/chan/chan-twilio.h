/*
 * chan-twilio.h: what a Twilio Programmable Messaging webhook (a form
 * POST: an inbound SMS or MMS, or a status callback of one of our
 * replies) and a page of the Messages list carry, parsed apart from any
 * request or host (chan-twilio-parse.c), for the adapter (chan-twilio.c),
 * the unit tests and the fuzzer.
 *
 * The promise: any bytes may come in; no crash; a message returned passes
 * json_msg_copy, has channel "sms", account, conv_id, id, from_id and a
 * NUL-free text; a status has a remote id and a state among sent,
 * delivered, read and failed (failed with an error).
 */
#ifndef OMBRE_CHAN_TWILIO_H
#define OMBRE_CHAN_TWILIO_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

struct twilio_form {
	struct msg	*msg;		/* an inbound message, or NULL */
	char		*remote_id;	/* a status callback: our reply's
					   MessageSid, else NULL */
	char		*status;	/* sent, delivered, read, failed */
	char		*error;		/* failed: "ErrorCode N", else NULL */
	char		*conv_id;	/* the status's customer (To) */
};

/*
 * A form body (application/x-www-form-urlencoded). account: the
 * channel's (from= or messaging-service-sid=), or NULL to take the To
 * number; date: when it came (Twilio's webhooks carry no time). Return
 * 0 and fill out (zeroed first), or -1 with *why (allocated) when it is
 * neither a message nor a status we follow (out is empty then).
 */
int twilio_form_parse(const char *account, const char *body, size_t len,
    int64_t date, struct twilio_form *out, char **why);
void twilio_form_free(struct twilio_form *f);

/*
 * Polling (poll=): a page of the Messages list, GET
 * /2010-04-01/Accounts/{sid}/Messages.json?To=...&DateSent>=DAY, newest
 * first. Its inbound rows (direction "inbound") are the messages the
 * webhook would have made of them (the same Message-Ids); our own rows
 * (outbound-api, outbound-reply) are statuses as a status callback's; an
 * inbound row still "receiving" (an MMS) is left for the next poll, its
 * day in hold; a row that cannot be a message is in bad, its JSON and
 * why, for the quarantine (an outbound row that cannot be read is only
 * skipped: nothing of it is stored).
 */
#define TWILIO_DAY_SIZE	11	/* "YYYY-MM-DD" */
struct twilio_bad_row {
	char		*raw;
	char		*why;
};
struct twilio_status {
	char		*remote_id;	/* our reply's sid */
	char		*status;	/* sent, delivered, read, failed */
	char		*error;		/* failed: "undelivered: error N" */
	char		*conv_id;	/* its To */
	int64_t		 date;
};
struct twilio_page {
	struct twilio_status *statuses;
	size_t		  n_statuses;
	struct msg	**msgs;
	long		 *n_media;	/* each message's num_media */
	size_t		  n;
	struct twilio_bad_row *bad;
	size_t		  n_bad;
	char		 *next;		/* next_page_uri (a path), NULL last */
	char		  newest[TWILIO_DAY_SIZE];	/* the latest day
					   of msgs (UTC), "" none */
	char		  hold[TWILIO_DAY_SIZE];	/* the earliest day of
					   a row left for later, "" none */
};
/* 0 and out filled, or -1 with *why when the page is no list page (not
 * JSON, no messages array, a next_page_uri that is no path). */
int twilio_page_parse(const char *account, const char *body, size_t len,
    struct twilio_page *out, char **why);
void twilio_page_free(struct twilio_page *p);
/*
 * A message's Media list (its subresource Media.json): each item an
 * attachment of m whose url is api + its uri without ".json" (the bytes).
 * 0, or -1 with *why when the list is no list or items were skipped
 * (those taken are attached).
 */
int twilio_media_parse(struct msg *m, const char *api, const char *body,
    size_t len, char **why);
/* Twilio's dates ("Thu, 30 Jul 2015 20:12:31 +0000", RFC 2822) as Unix
 * seconds; -1 for anything else. */
int64_t twilio_date(const char *s);
/* t's day in UTC, "YYYY-MM-DD", as DateSent> takes it. */
void twilio_day(int64_t t, char day[TWILIO_DAY_SIZE]);

#endif
