/*
 * chan-twilio.h: what a Twilio Programmable Messaging webhook (a form
 * POST: an inbound SMS or MMS, or a status callback of one of our
 * replies) carries, parsed apart from any request or host
 * (chan-twilio.c), for the adapter, the unit tests and the fuzzer.
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

#endif
