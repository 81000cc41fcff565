/*
 * fuzz-twilio.c: libFuzzer target for the Twilio webhook form parser
 * (twilio_form_parse, chan-twilio.h).
 *
 * The input is the raw form body, read with no account configured and as
 * the channel of FUZZ_TWILIO_ACCOUNT. The promise of chan-twilio.h is
 * checked: -1 only with a cause and nothing kept; 0 with exactly one of a
 * message (as chan.h promises, of channel sms) or a status (a remote id,
 * a state among sent, delivered, read, failed, failed with an error);
 * the same body read twice gives the same Message-Id.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan-twilio.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-chan.h"

#define FUZZ_TWILIO_ACCOUNT	"+33612340000"

static void
fuzz_twilio_run(const char *account, const char *body, size_t len)
{
	struct twilio_form	 f;
	char			*why, *first = NULL, *msgid;
	int			 rc;

	rc = twilio_form_parse(account, body, len, 1700000000, &f, &why);
	if (rc == 0 && f.msg != NULL)
		first = msgid_message(f.msg->channel, f.msg->account,
		    f.msg->conv_id, f.msg->id);
	twilio_form_free(&f);
	free(why);
	rc = twilio_form_parse(account, body, len, 1700000000, &f, &why);
	if (rc == -1) {
		if (why == NULL || *why == '\0')
			fuzz_chan_fail("twilio_form", "-1 without a cause");
		if (f.msg != NULL || f.remote_id != NULL || f.status != NULL)
			fuzz_chan_fail("twilio_form", "-1 with items kept");
		free(why);
		free(first);
		return;
	}
	if (rc != 0 || why != NULL)
		fuzz_chan_fail("twilio_form", "0 with a cause");
	if ((f.msg != NULL) == (f.remote_id != NULL))
		fuzz_chan_fail("twilio_form", "not one of message or status");
	if (f.msg != NULL) {
		msgid = msgid_message(f.msg->channel, f.msg->account,
		    f.msg->conv_id, f.msg->id);
		if (first == NULL || strcmp(first, msgid) != 0)
			fuzz_chan_fail("twilio_form", "Message-Ids differ");
		free(msgid);
		if (strcmp(f.msg->channel, "sms") != 0)
			fuzz_chan_fail("twilio_form", "a message of no sms");
		fuzz_chan_check("twilio_form", f.msg, NULL, 0, 3 * len + 64);
		f.msg = NULL;
	} else {
		if (f.status == NULL || (strcmp(f.status, "sent") != 0 &&
		    strcmp(f.status, "delivered") != 0 &&
		    strcmp(f.status, "read") != 0 &&
		    strcmp(f.status, "failed") != 0))
			fuzz_chan_fail("twilio_form", "an unknown status");
		if ((f.error != NULL) != (strcmp(f.status, "failed") == 0))
			fuzz_chan_fail("twilio_form", "error without failed");
	}
	twilio_form_free(&f);
	free(first);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_twilio_run(NULL, (const char *)data, size);
	fuzz_twilio_run(FUZZ_TWILIO_ACCOUNT, (const char *)data, size);
	return 0;
}
