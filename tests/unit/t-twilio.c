/*
 * t-twilio.c: what Twilio's webhook forms and Messages list pages become
 * (chan-twilio.h): inbound SMS and MMS (MediaUrlN), status callbacks of
 * every status with ErrorCode, forms refused with a cause; list pages
 * (inbound rows as the webhook's messages, the same Message-Id, ours
 * skipped, "receiving" held, bad rows refused while the rest parses,
 * next_page_uri), the Media list, RFC 2822 dates. Links src/chan's
 * archive with core and base only.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan-twilio.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define ACCOUNT	"+33612340000"
#define CUST	"+33698765432"
#define SID	"AC0123456789abcdef0123456789abcdef"

static int
form(const char *account, const char *body, struct twilio_form *f,
    char **why)
{
	return twilio_form_parse(account, body, strlen(body), 1700000000, f,
	    why);
}

static void
test_forms(void)
{
	struct twilio_form	 f;
	struct msg		*m;
	char			*why, *a, *b;
	static const struct {
		const char	*twilio, *ombre;
	} states[] = {
		{ "queued", "sent" }, { "accepted", "sent" },
		{ "sending", "sent" }, { "sent", "sent" },
		{ "scheduled", "sent" }, { "delivered", "delivered" },
		{ "read", "read" }, { "undelivered", "failed" },
		{ "failed", "failed" }, { "canceled", "failed" }
	};
	size_t			 i;
	char			 body[256], name[64];

	ok(form(ACCOUNT, "ToCountry=FR&SmsMessageSid=SM1&NumMedia=0&"
	    "SmsSid=SM1&SmsStatus=received&Body=Bonjour%2C+ma+commande+%3F&"
	    "To=%2B33612340000&MessageSid=SM1&From=%2B33698765432&"
	    "AccountSid=" SID "&ApiVersion=2010-04-01", &f, &why) == 0,
	    "an inbound SMS is taken");
	m = f.msg;
	ok(m != NULL && f.remote_id == NULL, "as a message");
	if (m != NULL) {
		is_str(m->channel, "sms", "channel sms");
		is_str(m->account, ACCOUNT, "the channel's account");
		is_str(m->conv_id, CUST, "the customer's number its conversation");
		is_str(m->id, "SM1", "MessageSid its id");
		is_str(m->text, "Bonjour, ma commande ?", "the Body decoded");
		is_int(m->date, 1700000000, "dated when it came");
		is_int(m->kind, MSG_CUSTOMER, "a customer's");
	}
	twilio_form_free(&f);

	ok(form(NULL, "MessageSid=SM2&From=%2B1555&To=%2B1666&Body=x", &f,
	    &why) == 0 && f.msg != NULL && strcmp(f.msg->account, "+1666") == 0,
	    "no account configured: the To number");
	twilio_form_free(&f);

	ok(form(ACCOUNT, "MessageSid=MM3&From=%2B1555&To=%2B1666&Body=&"
	    "NumMedia=2&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm%2FME0&"
	    "MediaContentType0=image%2Fjpeg&MediaUrl1=https%3A%2F%2Fapi."
	    "twilio.com%2Fm%2FME1", &f, &why) == 0 && f.msg != NULL,
	    "an MMS is taken");
	if (f.msg != NULL) {
		is_int((long long)f.msg->n_attachments, 2, "MediaUrlN attachments");
		if (f.msg->n_attachments == 2) {
			is_str(f.msg->attachments[0].url,
			    "https://api.twilio.com/m/ME0", "its URL");
			is_str(f.msg->attachments[0].mime, "image/jpeg",
			    "MediaContentTypeN its type");
			is_str(f.msg->attachments[1].mime,
			    "application/octet-stream", "none: octet-stream");
		}
	}
	twilio_form_free(&f);

	for (i = 0; i < sizeof states / sizeof states[0]; i++) {
		snprintf(body, sizeof body, "MessageSid=SM9&MessageStatus=%s&"
		    "From=%%2B33612340000&To=%%2B33698765432%s", states[i].twilio,
		    strcmp(states[i].ombre, "failed") == 0 ?
		    "&ErrorCode=30003" : "");
		snprintf(name, sizeof name, "status %s", states[i].twilio);
		ok(form(ACCOUNT, body, &f, &why) == 0 && f.msg == NULL &&
		    f.remote_id != NULL && strcmp(f.remote_id, "SM9") == 0,
		    "%s: a status of our reply SM9", name);
		is_str(f.status, states[i].ombre, name);
		is_str(f.conv_id, CUST, "its customer");
		if (strcmp(states[i].ombre, "failed") == 0) {
			ok(f.error != NULL && strstr(f.error, "30003") != NULL &&
			    strstr(f.error, states[i].twilio) != NULL,
			    "%s: the error with its ErrorCode", name);
		} else
			ok(f.error == NULL, "%s: no error", name);
		twilio_form_free(&f);
	}

	ok(form(ACCOUNT, "From=%2B1555&Body=x", &f, &why) == -1 &&
	    why != NULL && strstr(why, "MessageSid") != NULL &&
	    f.msg == NULL, "no MessageSid: refused, saying so");
	free(why);
	ok(form(ACCOUNT, "MessageSid=SM5&MessageStatus=partially_delivered",
	    &f, &why) == -1 && why != NULL && strstr(why, "not followed"),
	    "a status not followed: refused, saying so");
	free(why);
	ok(form(ACCOUNT, "MessageSid=SM6&Body=x", &f, &why) == -1 &&
	    why != NULL && strstr(why, "From"), "no From: refused");
	free(why);
	ok(form(ACCOUNT, "", &f, &why) == -1 && why != NULL, "empty: refused");
	free(why);
	ok(form(ACCOUNT, "MessageSid=SM7&From=%2B1&Body=a%00b&To=%2B2", &f,
	    &why) == 0 && f.msg != NULL &&
	    strcmp(f.msg->text, "a\xef\xbf\xbd" "b") == 0,
	    "a NUL in a Body becomes U+FFFD");
	twilio_form_free(&f);

	/* The same message from a form and from the list: one Message-Id. */
	form(ACCOUNT, "MessageSid=SM8&From=%2B1555&To=%2B1666&Body=x", &f,
	    &why);
	a = f.msg != NULL ? msgid_message(f.msg->channel, f.msg->account,
	    f.msg->conv_id, f.msg->id) : NULL;
	twilio_form_free(&f);
	{
		struct twilio_page	p;
		const char		*page = "{\"messages\":[{\"sid\":\"SM8\","
		    "\"from\":\"+1555\",\"to\":\"+1666\",\"body\":\"x\","
		    "\"direction\":\"inbound\",\"status\":\"received\","
		    "\"date_sent\":\"Thu, 30 Jul 2015 20:12:31 +0000\"}]}";

		twilio_page_parse(ACCOUNT, page, strlen(page), &p, &why);
		b = p.n == 1 ? msgid_message(p.msgs[0]->channel,
		    p.msgs[0]->account, p.msgs[0]->conv_id, p.msgs[0]->id) :
		    NULL;
		twilio_page_free(&p);
	}
	ok(a != NULL && b != NULL && strcmp(a, b) == 0,
	    "posted or polled: the same Message-Id");
	free(a);
	free(b);
}

#define ROW(sid, dir, status, date, rest)				\
	"{\"account_sid\":\"" SID "\",\"api_version\":\"2010-04-01\","	\
	"\"sid\":\"" sid "\",\"direction\":\"" dir "\",\"status\":\""	\
	status "\",\"date_created\":\"" date "\",\"date_sent\":\"" date	\
	"\",\"date_updated\":\"" date "\",\"error_code\":null,"		\
	"\"error_message\":null,\"num_segments\":\"1\",\"price\":null,"	\
	"\"price_unit\":\"USD\",\"uri\":\"/2010-04-01/Accounts/" SID	\
	"/Messages/" sid ".json\"" rest "}"

static void
test_pages(void)
{
	struct twilio_page	 p;
	struct msg		*m;
	char			*why, day[TWILIO_DAY_SIZE];
	const char		*page, *media;

	is_int(twilio_date("Thu, 30 Jul 2015 20:12:31 +0000"), 1438287151,
	    "an RFC 2822 date");
	is_int(twilio_date("Thu, 30 Jul 2015 22:12:31 +0200"), 1438287151,
	    "with its zone");
	ok(twilio_date("2015-07-30T20:12:31Z") == -1 &&
	    twilio_date("Thu, 30 Foo 2015 20:12:31 +0000") == -1 &&
	    twilio_date("Thu, 30 Jul 2015 20:12:31 +0000 x") == -1 &&
	    twilio_date(NULL) == -1, "anything else is no date");
	twilio_day(1438287151, day);
	is_str(day, "2015-07-30", "its day, as DateSent> takes it");

	page = "{\"end\":3,\"first_page_uri\":\"/2010-04-01/Accounts/" SID
	    "/Messages.json?To=%2B33612340000&PageSize=4\",\"messages\":["
	    ROW("SM0001", "inbound", "received", "Thu, 30 Jul 2015 20:12:31 "
	    "+0000", ",\"from\":\"" CUST "\",\"to\":\"" ACCOUNT "\","
	    "\"body\":\"Bonjour\",\"num_media\":\"0\"") ","
	    ROW("SM0002", "outbound-api", "delivered", "Thu, 30 Jul 2015 "
	    "20:11:00 +0000", ",\"from\":\"" ACCOUNT "\",\"to\":\"" CUST "\","
	    "\"body\":\"ours\",\"num_media\":\"0\"") ","
	    ROW("MM0003", "inbound", "received", "Wed, 29 Jul 2015 08:00:00 "
	    "+0000", ",\"from\":\"" CUST "\",\"to\":\"" ACCOUNT "\","
	    "\"body\":null,\"num_media\":\"2\"") ","
	    ROW("MM0004", "inbound", "receiving", "Tue, 28 Jul 2015 08:00:00 "
	    "+0000", ",\"from\":\"" CUST "\",\"to\":\"" ACCOUNT "\","
	    "\"body\":\"\",\"num_media\":\"1\"") ","
	    ROW("SM0005", "inbound", "received", "yesterday",
	    ",\"from\":\"" CUST "\",\"to\":\"" ACCOUNT "\"") ","
	    "{\"direction\":\"inbound\",\"from\":\"" CUST "\"},"
	    "[1,2],"
	    ROW("SM0006", "inbound", "received", "Thu, 30 Jul 2015 20:12:31 "
	    "+0000", ",\"from\":\"" CUST "\",\"to\":\"" ACCOUNT "\","
	    "\"body\":42") "],"
	    "\"next_page_uri\":\"/2010-04-01/Accounts/" SID "/Messages.json?"
	    "To=%2B33612340000&PageSize=4&Page=1&PageToken=PAMM0004\","
	    "\"page\":0,\"page_size\":4,\"previous_page_uri\":null,"
	    "\"start\":0,\"uri\":\"/2010-04-01/Accounts/" SID
	    "/Messages.json?To=%2B33612340000&PageSize=4\"}";
	ok(twilio_page_parse(ACCOUNT, page, strlen(page), &p, &why) == 0 &&
	    why == NULL, "a list page parses");
	is_int((long long)p.n, 2, "its inbound rows received are messages");
	if (p.n == 2) {
		m = p.msgs[0];
		is_str(m->id, "SM0001", "sid the id");
		is_str(m->conv_id, CUST, "from the conversation");
		is_str(m->account, ACCOUNT, "the channel's account");
		is_str(m->text, "Bonjour", "body the text");
		is_int(m->date, 1438287151, "date_sent the date");
		is_int(p.n_media[0], 0, "no media");
		is_str(p.msgs[1]->text, "", "a null body: no text");
		is_int(p.n_media[1], 2, "num_media, a string, read");
	}
	is_str(p.newest, "2015-07-30", "the newest day taken");
	is_str(p.hold, "2015-07-28", "an MMS still receiving held for later");
	is_int((long long)p.n_bad, 4, "bad rows refused, the rest taken");
	if (p.n_bad == 4) {
		ok(strstr(p.bad[0].why, "date_sent") != NULL &&
		    strstr(p.bad[0].raw, "SM0005") != NULL,
		    "a bad date: refused with the row and why");
		ok(strstr(p.bad[1].why, "sid") != NULL, "no sid: refused");
		ok(strstr(p.bad[2].why, "object") != NULL &&
		    strcmp(p.bad[2].raw, "[1,2]") == 0, "no object: refused");
		ok(strstr(p.bad[3].why, "body") != NULL, "a body of 42: refused");
	}
	is_int((long long)p.n_statuses, 1, "our reply: a status");
	if (p.n_statuses == 1) {
		is_str(p.statuses[0].remote_id, "SM0002", "of its sid");
		is_str(p.statuses[0].status, "delivered", "delivered");
		is_str(p.statuses[0].conv_id, CUST, "its customer");
		ok(p.statuses[0].error == NULL, "no error");
		is_int(p.statuses[0].date, 1438287060, "date_updated");
	}
	ok(p.next != NULL && strstr(p.next, "PageToken=PAMM0004") != NULL,
	    "next_page_uri kept");
	twilio_page_free(&p);

	/* ROW says error_code null; jansson keeps a repeated key's last. */
	page = "{\"messages\":[" ROW("SM0007", "outbound-api", "undelivered",
	    "Thu, 30 Jul 2015 20:12:31 +0000", ",\"from\":\"" ACCOUNT "\","
	    "\"to\":\"" CUST "\",\"error_code\":30003") "]}";
	ok(twilio_page_parse(ACCOUNT, page, strlen(page), &p, &why) == 0 &&
	    p.n_statuses == 1 && p.n == 0, "an undelivered reply");
	if (p.n_statuses == 1) {
		is_str(p.statuses[0].status, "failed", "is failed");
		is_str(p.statuses[0].error, "undelivered: error 30003",
		    "with its error_code");
	}
	twilio_page_free(&p);

	page = "{\"messages\":[],\"next_page_uri\":null,\"page\":3}";
	ok(twilio_page_parse(ACCOUNT, page, strlen(page), &p, &why) == 0 &&
	    p.n == 0 && p.next == NULL && *p.newest == '\0',
	    "the last page: no next");
	twilio_page_free(&p);

	page = "{\"messages\":[],\"next_page_uri\":\"https://evil.example/x\"}";
	ok(twilio_page_parse(ACCOUNT, page, strlen(page), &p, &why) == -1 &&
	    strstr(why, "next_page_uri") != NULL && p.n == 0,
	    "a next_page_uri that is no path: the page refused");
	free(why);
	page = "{\"ok\":tru";
	ok(twilio_page_parse(ACCOUNT, page, strlen(page), &p, &why) == -1 &&
	    strstr(why, "not JSON") != NULL, "no JSON: refused, saying so");
	free(why);
	page = "{\"code\":20429,\"message\":\"Too Many Requests\"}";
	ok(twilio_page_parse(ACCOUNT, page, strlen(page), &p, &why) == -1 &&
	    strstr(why, "messages") != NULL, "no messages array: refused");
	free(why);

	m = msg_new();
	media = "{\"media_list\":[{\"sid\":\"ME1\",\"content_type\":"
	    "\"image/jpeg\",\"uri\":\"/2010-04-01/Accounts/" SID "/Messages/"
	    "MM0003/Media/ME1.json\"},{\"sid\":\"ME2\",\"uri\":\"https://x/"
	    "ME2.json\"}],\"next_page_uri\":null}";
	ok(twilio_media_parse(m, "https://api.twilio.com", media,
	    strlen(media), &why) == -1 && why != NULL,
	    "a Media list with a bad uri: said");
	free(why);
	is_int((long long)m->n_attachments, 1, "the good one attached");
	if (m->n_attachments == 1) {
		is_str(m->attachments[0].url, "https://api.twilio.com/2010-04-01/"
		    "Accounts/" SID "/Messages/MM0003/Media/ME1",
		    "its bytes: the uri without .json");
		is_str(m->attachments[0].mime, "image/jpeg", "its type");
	}
	msg_free(m);
}

int
main(void)
{
	test_forms();
	test_pages();
	done_testing();
	return exit_status();
}
