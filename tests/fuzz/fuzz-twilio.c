/*
 * fuzz-twilio.c: libFuzzer target for the Twilio parsers (chan-twilio.h):
 * the webhook form (twilio_form_parse), and for polling a page of the
 * Messages list (twilio_page_parse), a Media list (twilio_media_parse)
 * and a date (twilio_date).
 *
 * The input is the raw form body, read with no account configured and as
 * the channel of FUZZ_TWILIO_ACCOUNT. The promise of chan-twilio.h is
 * checked: -1 only with a cause and nothing kept; 0 with exactly one of a
 * message (as chan.h promises, of channel sms) or a status (a remote id,
 * a state among sent, delivered, read, failed, failed with an error);
 * the same body read twice gives the same Message-Id. The same bytes as
 * a list page: -1 only with a cause and nothing kept; 0 with messages as
 * chan.h promises, statuses as a form's, bad rows each with a cause, a
 * next_page_uri that is a path, days of 10 characters. As a Media list:
 * attachments whose URLs are under the API's. A date is -1 or after
 * 1970.
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

static void
fuzz_twilio_page(const char *account, const char *body, size_t len)
{
	struct twilio_page	 p;
	struct msg		*m;
	char			*why, *s;
	size_t			 i;

	if (twilio_page_parse(account, body, len, &p, &why) != 0) {
		if (why == NULL || *why == '\0')
			fuzz_chan_fail("twilio_page", "-1 without a cause");
		if (p.n != 0 || p.n_bad != 0 || p.next != NULL)
			fuzz_chan_fail("twilio_page", "-1 with items kept");
		free(why);
		return;
	}
	if (why != NULL)
		fuzz_chan_fail("twilio_page", "0 with a cause");
	if (p.next != NULL && (p.next[0] != '/' || p.next[1] == '/'))
		fuzz_chan_fail("twilio_page", "a next_page_uri that is no path");
	if ((*p.newest != '\0' && strlen(p.newest) != 10) ||
	    (*p.hold != '\0' && strlen(p.hold) != 10))
		fuzz_chan_fail("twilio_page", "a day that is no YYYY-MM-DD");
	for (i = 0; i < p.n_bad; i++)
		if (p.bad[i].why == NULL || *p.bad[i].why == '\0' ||
		    p.bad[i].raw == NULL)
			fuzz_chan_fail("twilio_page", "a bad row without a cause");
	for (i = 0; i < p.n_statuses; i++) {
		if (p.statuses[i].remote_id == NULL ||
		    (strcmp(p.statuses[i].status, "sent") != 0 &&
		    strcmp(p.statuses[i].status, "delivered") != 0 &&
		    strcmp(p.statuses[i].status, "read") != 0 &&
		    strcmp(p.statuses[i].status, "failed") != 0))
			fuzz_chan_fail("twilio_page", "an unknown status");
		if ((p.statuses[i].error != NULL) !=
		    (strcmp(p.statuses[i].status, "failed") == 0))
			fuzz_chan_fail("twilio_page", "error without failed");
	}
	for (i = 0; i < p.n; i++) {
		if (p.n_media[i] < 0)
			fuzz_chan_fail("twilio_page", "num_media below 0");
		if (strcmp(p.msgs[i]->channel, "sms") != 0)
			fuzz_chan_fail("twilio_page", "a message of no sms");
		fuzz_chan_check("twilio_page", p.msgs[i], NULL, 0,
		    3 * len + 64);
		p.msgs[i] = NULL;
	}
	twilio_page_free(&p);

	m = msg_new();
	if (twilio_media_parse(m, "https://api.twilio.com", body, len,
	    &why) != 0 && (why == NULL || *why == '\0'))
		fuzz_chan_fail("twilio_media", "-1 without a cause");
	free(why);
	for (i = 0; i < m->n_attachments; i++)
		if (strncmp(m->attachments[i].url, "https://api.twilio.com/",
		    23) != 0)
			fuzz_chan_fail("twilio_media", "a URL off the API");
	msg_free(m);

	s = malloc(len + 1);
	if (s == NULL)
		return;
	memcpy(s, body, len);
	s[len] = '\0';
	if (twilio_date(s) < -1)
		fuzz_chan_fail("twilio_date", "a date before 1970");
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_twilio_run(NULL, (const char *)data, size);
	fuzz_twilio_run(FUZZ_TWILIO_ACCOUNT, (const char *)data, size);
	fuzz_twilio_page(NULL, (const char *)data, size);
	fuzz_twilio_page(FUZZ_TWILIO_ACCOUNT, (const char *)data, size);
	return 0;
}
