/*
 * t-meta.c: what a WhatsApp Cloud API or Messenger Platform webhook body
 * becomes (wa_payload, fb_payload: chan-meta.h), on payloads shaped as
 * Meta's public samples: each message type, BSUID keying, statuses and
 * errors, echoes, deliveries and reads, edits, handovers as events and
 * owners, batches in order, bad elements refused while the rest parses,
 * stable Message-Ids. Links src/chan's archive with core and base only.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan-meta.h"

#include <jansson.h>

#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define WA_PHONE	"106540352242922"
#define WA_CUSTOMER	"16315551234"
#define WA_NAME		"Kerry Fisher"
#define FB_PAGE		"987654321"
#define FB_PSID		"4125730857493412"
#define FB_APP		"1122334455000"
#define FB_BOT		"1122334455"

static const struct meta_config	wa_any = { NULL, NULL, NULL };
static const struct meta_config	wa_ours = { WA_PHONE, NULL, NULL };
static const struct meta_config	fb_ours = { FB_PAGE, FB_APP, FB_BOT };

/* A WhatsApp body of one change of field "messages" holding value's
 * members (contacts for Kerry Fisher included). */
#define WA_BODY(members)						\
	"{\"object\":\"whatsapp_business_account\",\"entry\":[{"		\
	"\"id\":\"102290129340398\",\"changes\":[{\"value\":{"		\
	"\"messaging_product\":\"whatsapp\",\"metadata\":{"		\
	"\"display_phone_number\":\"15550783881\","			\
	"\"phone_number_id\":\"" WA_PHONE "\"},"			\
	"\"contacts\":[{\"profile\":{\"name\":\"" WA_NAME "\"},"	\
	"\"wa_id\":\"" WA_CUSTOMER "\"}]," members "},"			\
	"\"field\":\"messages\"}]}]}"

/* One WhatsApp message from Kerry Fisher: its type and members. */
#define WA_MSG(id, rest)						\
	WA_BODY("\"messages\":[{\"from\":\"" WA_CUSTOMER "\","		\
	    "\"id\":\"" id "\",\"timestamp\":\"1749416383\"," rest "}]")

/* A Messenger body of one entry of the page with these events. */
#define FB_BODY(list, events)						\
	"{\"object\":\"page\",\"entry\":[{\"id\":\"" FB_PAGE "\","	\
	"\"time\":1458692752478,\"" list "\":[" events "]}]}"

/* One event from the customer to the page at 1458692752478. */
#define FB_EVENT(rest)							\
	"{\"sender\":{\"id\":\"" FB_PSID "\"},\"recipient\":{\"id\":\""	\
	FB_PAGE "\"},\"timestamp\":1458692752478," rest "}"

/* One event from the page to the customer (an echo). */
#define FB_ECHO(rest)							\
	"{\"sender\":{\"id\":\"" FB_PAGE "\"},\"recipient\":{\"id\":\""	\
	FB_PSID "\"},\"timestamp\":1458692752478," rest "}"

static int
parse(int fb, const struct meta_config *c, const char *text,
    struct meta_payload *p, char **why)
{
	json_t	*root;
	int	 rc;

	root = json_loadb(text, strlen(text), JSON_ALLOW_NUL, NULL);
	if (root == NULL) {
		diag("the test's payload is no JSON: %s", text);
		memset(p, 0, sizeof *p);
		*why = NULL;
		return -2;
	}
	rc = fb ? fb_payload(c, root, p, why) : wa_payload(c, root, p, why);
	json_decref(root);
	return rc;
}

/* Parse a payload expected to be taken: 0, no cause. */
static void
take(int fb, const struct meta_config *c, const char *text,
    struct meta_payload *p, const char *name)
{
	char	*why = NULL;

	ok(parse(fb, c, text, p, &why) == 0 && why == NULL, "%s: parsed",
	    name);
	free(why);
}

/* The one message a payload gave. */
static struct msg *
only_msg(struct meta_payload *p, const char *name)
{
	ok(p->n_msgs == 1, "%s: one message (%zu)", name, p->n_msgs);
	return p->n_msgs == 1 ? p->msgs[0] : NULL;
}

/* The text of the one message of a WhatsApp payload. */
static void
wa_text_is(const char *body, const char *want, const char *name)
{
	struct meta_payload	 p;
	struct msg		*m;

	take(0, &wa_ours, body, &p, name);
	if ((m = only_msg(&p, name)) != NULL)
		is_str(m->text, want, name);
	else
		ok(0, "%s", name);
	meta_payload_free(&p);
}

/* A payload with exactly one refusal whose cause holds needle. */
static void
refused_with(int fb, const struct meta_config *c, const char *body,
    const char *what, const char *needle, const char *name)
{
	struct meta_payload	p;

	take(fb, c, body, &p, name);
	ok(p.n_refused == 1 && strcmp(p.refused[0].what, what) == 0 &&
	    strstr(p.refused[0].why, needle) != NULL && p.n_msgs == 0,
	    "%s: refused as %s", name, what);
	if (p.n_refused > 0)
		diag("why: %s (%s)", p.refused[0].why, p.refused[0].what);
	meta_payload_free(&p);
}

/* --------------------------------------------------------- WhatsApp */

static void
test_wa_text(void)
{
	struct meta_payload	 p;
	struct msg		*m;
	char			*id1, *id2;

	take(0, &wa_ours, WA_MSG("wamid.HBgLMTYzMTU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
	    "\"type\":\"text\",\"text\":{\"body\":\"Does it come in another "
	    "color?\"}"), &p, "wa text");
	if ((m = only_msg(&p, "wa text")) != NULL) {
		is_str(m->channel, "whatsapp", "wa text: channel");
		is_str(m->account, WA_PHONE, "wa text: account");
		is_str(m->conv_id, WA_CUSTOMER, "wa text: conversation");
		is_str(m->conv_title, WA_NAME, "wa text: title");
		is_str(m->from_id, WA_CUSTOMER, "wa text: from id");
		is_str(m->from_name, WA_NAME, "wa text: from name");
		ok(m->kind == MSG_CUSTOMER, "wa text: customer");
		is_int(m->date, 1749416383, "wa text: date from a string");
		is_str(m->id, "wamid.HBgLMTYzMTU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
		    "wa text: id is the wamid");
		is_str(m->text, "Does it come in another color?",
		    "wa text: text");
		is_int((long long)m->text_len, 30, "wa text: text_len");
		ok(m->reply_to == NULL && m->n_attachments == 0,
		    "wa text: no reply, no attachment");
	}
	ok(p.n_statuses == 0 && p.n_refused == 0 && p.n_echoes == 0 &&
	    p.n_owners == 0, "wa text: nothing else");
	id1 = p.n_msgs == 1 ? msgid_message(m->channel, m->account,
	    m->conv_id, m->id) : NULL;
	meta_payload_free(&p);

	/* The same payload again: the same Message-Id, stored once. */
	take(0, &wa_any, WA_MSG("wamid.HBgLMTYzMTU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
	    "\"type\":\"text\",\"text\":{\"body\":\"Does it come in another "
	    "color?\"}"), &p, "wa text again");
	m = only_msg(&p, "wa text again");
	id2 = m != NULL ? msgid_message(m->channel, m->account, m->conv_id,
	    m->id) : NULL;
	ok(id1 != NULL && id2 != NULL && strcmp(id1, id2) == 0,
	    "wa text: the same Message-Id twice (%s)", id1 ? id1 : "?");
	free(id1);
	free(id2);
	meta_payload_free(&p);

	/* An integer timestamp is taken too; a NUL in a text is U+FFFD. */
	take(0, &wa_ours, WA_BODY("\"messages\":[{\"from\":\"" WA_CUSTOMER
	    "\",\"id\":\"wamid.N\",\"timestamp\":1749416384,\"type\":\"text\","
	    "\"text\":{\"body\":\"a\\u0000b\"}}]"), &p, "wa integer time");
	if ((m = only_msg(&p, "wa integer time")) != NULL) {
		is_int(m->date, 1749416384, "wa: an integer timestamp");
		is_str(m->text, "a\xef\xbf\xbd" "b", "wa: NUL kept as U+FFFD");
		is_int((long long)m->text_len, 5, "wa: its length");
	}
	meta_payload_free(&p);
}

static void
test_wa_bsuid(void)
{
	struct meta_payload	 p;
	struct msg		*m;
	char			 uid[300];

	take(0, &wa_ours, "{\"object\":\"whatsapp_business_account\","
	    "\"entry\":[{\"id\":\"102290129340398\",\"changes\":[{\"field\":"
	    "\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
	    "\"metadata\":{\"display_phone_number\":\"15550783881\","
	    "\"phone_number_id\":\"" WA_PHONE "\"},\"contacts\":[{"
	    "\"profile\":{\"name\":\"" WA_NAME "\"},\"wa_id\":\"\","
	    "\"user_id\":\"US.13491208655302741918\"}],\"messages\":[{"
	    "\"from\":\"\",\"from_user_id\":\"US.13491208655302741918\","
	    "\"id\":\"wamid.BSUID1\",\"timestamp\":\"1749416383\","
	    "\"type\":\"text\",\"text\":{\"body\":\"hi\"}}]}}]}]}", &p,
	    "wa bsuid");
	if ((m = only_msg(&p, "wa bsuid")) != NULL) {
		is_str(m->conv_id, "US.13491208655302741918",
		    "wa bsuid: the conversation is the BSUID");
		is_str(m->from_id, "US.13491208655302741918",
		    "wa bsuid: so is the sender");
		is_str(m->from_name, WA_NAME, "wa bsuid: named by user_id");
	}
	meta_payload_free(&p);

	/* from missing, no contact: the key is its own name. */
	take(0, &wa_ours, WA_BODY("\"messages\":[{\"from_user_id\":"
	    "\"US.999\",\"id\":\"wamid.B2\",\"timestamp\":\"1749416383\","
	    "\"type\":\"text\",\"text\":{\"body\":\"x\"}}]"), &p,
	    "wa bsuid, no from");
	if ((m = only_msg(&p, "wa bsuid, no from")) != NULL) {
		is_str(m->conv_id, "US.999", "wa bsuid: from missing");
		is_str(m->from_name, "US.999", "wa bsuid: no name: the key");
	}
	meta_payload_free(&p);

	memset(uid, 'u', 257);
	uid[257] = '\0';
	{
		char *body = xasprintf(WA_BODY("\"messages\":[{\"from\":\"\","
		    "\"from_user_id\":\"%s\",\"id\":\"wamid.B3\",\"timestamp\":"
		    "\"1\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}]"), uid);
		refused_with(0, &wa_ours, body, "message", "256",
		    "wa bsuid over 256 bytes");
		free(body);
	}
	refused_with(0, &wa_ours, WA_BODY("\"messages\":[{\"from\":\"\","
	    "\"id\":\"wamid.B4\",\"timestamp\":\"1\",\"type\":\"text\","
	    "\"text\":{\"body\":\"x\"}}]"), "message", "from_user_id",
	    "wa: neither from nor from_user_id");
}

static void
test_wa_media(void)
{
	struct meta_payload	 p;
	struct msg		*m;

	take(0, &wa_ours, WA_MSG("wamid.IMG", "\"type\":\"image\",\"image\":"
	    "{\"caption\":\"the blue one\",\"mime_type\":\"image/jpeg\","
	    "\"sha256\":\"IQmfhXwDk8Y6EDdMchj9Sg0f8h0nl7fO2PoM6uSX8qA=\","
	    "\"id\":\"1479537139650973\"}"), &p, "wa image");
	if ((m = only_msg(&p, "wa image")) != NULL) {
		is_str(m->text, "the blue one", "wa image: the caption");
		ok(m->n_attachments == 1, "wa image: one attachment");
		if (m->n_attachments == 1) {
			is_str(m->attachments[0].name, "image.jpg",
			    "wa image: a made-up name");
			is_str(m->attachments[0].mime, "image/jpeg",
			    "wa image: mime");
			is_int(m->attachments[0].size, -1, "wa image: size");
			is_str(m->attachments[0].url,
			    "wa-media:1479537139650973", "wa image: url");
		}
	}
	meta_payload_free(&p);

	take(0, &wa_ours, WA_MSG("wamid.DOC", "\"type\":\"document\","
	    "\"document\":{\"filename\":\"invoice-4412.pdf\",\"mime_type\":"
	    "\"application/pdf\",\"id\":\"889\"}"), &p, "wa document");
	if ((m = only_msg(&p, "wa document")) != NULL &&
	    m->n_attachments == 1) {
		is_str(m->attachments[0].name, "invoice-4412.pdf",
		    "wa document: its filename");
		is_str(m->text, "", "wa document: no caption, no text");
	}
	meta_payload_free(&p);

	take(0, &wa_ours, WA_MSG("wamid.VOICE", "\"type\":\"audio\","
	    "\"audio\":{\"mime_type\":\"audio/ogg; codecs=opus\",\"sha256\":"
	    "\"x\",\"id\":\"5521\",\"voice\":true}"), &p, "wa voice");
	if ((m = only_msg(&p, "wa voice")) != NULL && m->n_attachments == 1) {
		is_str(m->attachments[0].name, "audio.ogg",
		    "wa voice: named from its mime");
		is_str(m->attachments[0].mime, "audio/ogg; codecs=opus",
		    "wa voice: mime as given");
		is_str(m->text, "", "wa voice: empty text");
	}
	meta_payload_free(&p);

	take(0, &wa_ours, WA_MSG("wamid.STK", "\"type\":\"sticker\","
	    "\"sticker\":{\"mime_type\":\"image/webp\",\"id\":\"77\","
	    "\"animated\":false}"), &p, "wa sticker");
	if ((m = only_msg(&p, "wa sticker")) != NULL && m->n_attachments == 1)
		is_str(m->attachments[0].url, "wa-media:77", "wa sticker: url");
	meta_payload_free(&p);

	refused_with(0, &wa_ours, WA_MSG("wamid.BADIMG", "\"type\":\"image\","
	    "\"image\":[1,2]"), "message", "image is not an object",
	    "wa: an image that is no object");
}

static void
test_wa_types(void)
{
	struct meta_payload	 p;
	struct msg		*m;

	wa_text_is(WA_MSG("wamid.LOC", "\"type\":\"location\",\"location\":{"
	    "\"latitude\":48.8584,\"longitude\":2.2945,\"name\":"
	    "\"Tour Eiffel\",\"address\":\"Champ de Mars, Paris\"}"),
	    "\xf0\x9f\x93\x8d Tour Eiffel, Champ de Mars, Paris "
	    "(48.8584, 2.2945)", "wa location");
	wa_text_is(WA_MSG("wamid.LOC2", "\"type\":\"location\",\"location\":{"
	    "\"latitude\":-33.8688,\"longitude\":151}"),
	    "\xf0\x9f\x93\x8d (-33.8688, 151)", "wa location, no name");
	wa_text_is(WA_MSG("wamid.CON", "\"type\":\"contacts\",\"contacts\":[{"
	    "\"name\":{\"formatted_name\":\"Barbara Johnson\",\"first_name\":"
	    "\"Barbara\"},\"phones\":[{\"phone\":\"+1 555-0199\",\"type\":"
	    "\"MOBILE\",\"wa_id\":\"15550199\"}]},{\"name\":{\"first_name\":"
	    "\"Ana\",\"last_name\":\"Silva\"},\"phones\":[{\"phone\":"
	    "\"+351 21 000 0000\"},{\"phone\":\"+351 91 000 0000\"}]}]"),
	    "contact: Barbara Johnson +1 555-0199\n"
	    "contact: Ana Silva +351 21 000 0000 +351 91 000 0000",
	    "wa contacts");
	wa_text_is(WA_MSG("wamid.BTN", "\"context\":{\"from\":\"" WA_PHONE
	    "\",\"id\":\"wamid.TEMPLATE\"},\"type\":\"button\",\"button\":{"
	    "\"payload\":\"STOP\",\"text\":\"Stop promotions\"}"),
	    "Stop promotions", "wa button");
	wa_text_is(WA_MSG("wamid.IBR", "\"type\":\"interactive\","
	    "\"interactive\":{\"type\":\"button_reply\",\"button_reply\":{"
	    "\"id\":\"yes-1\",\"title\":\"Yes, please\"}}"), "Yes, please",
	    "wa button_reply");
	wa_text_is(WA_MSG("wamid.ILR", "\"type\":\"interactive\","
	    "\"interactive\":{\"type\":\"list_reply\",\"list_reply\":{"
	    "\"id\":\"row-2\",\"title\":\"Tomorrow 10:00\",\"description\":"
	    "\"Paris store\"}}"), "Tomorrow 10:00", "wa list_reply");
	wa_text_is(WA_MSG("wamid.UNS", "\"type\":\"unsupported\",\"errors\":[{"
	    "\"code\":131051,\"title\":\"Message type unknown\",\"message\":"
	    "\"Message type unknown\",\"error_data\":{\"details\":"
	    "\"Message type is currently not supported.\"}}]"),
	    "[unsupported message: Message type unknown]", "wa unsupported");
	wa_text_is(WA_MSG("wamid.ORD", "\"type\":\"order\",\"order\":{"
	    "\"catalog_id\":\"1\"}"), "[unsupported message: order]",
	    "wa unknown type: said, not dropped");
	wa_text_is(WA_MSG("wamid.EMP", "\"type\":\"reaction\",\"reaction\":{"
	    "\"message_id\":\"wamid.OURS\",\"emoji\":\"\"}"),
	    "removed a reaction", "wa reaction removed");

	take(0, &wa_ours, WA_MSG("wamid.REA", "\"type\":\"reaction\","
	    "\"reaction\":{\"message_id\":\"wamid.OURS\",\"emoji\":"
	    "\"\\uD83D\\uDC4D\"}"), &p, "wa reaction");
	if ((m = only_msg(&p, "wa reaction")) != NULL) {
		is_str(m->text, "reacted \xf0\x9f\x91\x8d", "wa reaction: text");
		is_str(m->reply_to, "wamid.OURS", "wa reaction: reply_to");
	}
	meta_payload_free(&p);

	take(0, &wa_ours, WA_MSG("wamid.CTX", "\"context\":{\"from\":\""
	    WA_PHONE "\",\"id\":\"wamid.EARLIER\"},\"type\":\"text\","
	    "\"text\":{\"body\":\"this one\"}"), &p, "wa reply");
	if ((m = only_msg(&p, "wa reply")) != NULL)
		is_str(m->reply_to, "wamid.EARLIER", "wa reply: context.id");
	meta_payload_free(&p);
}

static void
test_wa_statuses(void)
{
	struct meta_payload	p;

	take(0, &wa_ours, WA_BODY("\"statuses\":[{\"id\":\"wamid.S1\","
	    "\"status\":\"sent\",\"timestamp\":\"1750263773\",\"recipient_id\":"
	    "\"" WA_CUSTOMER "\",\"conversation\":{\"id\":\"c1\",\"origin\":{"
	    "\"type\":\"service\"}},\"pricing\":{\"billable\":false,"
	    "\"pricing_model\":\"PMP\",\"category\":\"service\",\"type\":"
	    "\"free_customer_service\"}},{\"id\":\"wamid.S1\",\"status\":"
	    "\"read\",\"timestamp\":\"1750263780\",\"recipient_id\":\"\","
	    "\"recipient_user_id\":\"US.42\"},{\"id\":\"wamid.S2\",\"status\":"
	    "\"failed\",\"timestamp\":\"1750263790\",\"recipient_id\":\""
	    WA_CUSTOMER "\",\"errors\":[{\"code\":131047,\"title\":"
	    "\"Re-engagement message\",\"message\":\"Re-engagement message\","
	    "\"error_data\":{\"details\":\"Message failed to send because more "
	    "than 24 hours have passed since the customer last replied to this "
	    "number.\"},\"href\":\"https://developers.facebook.com/docs/whatsapp"
	    "/cloud-api/support/error-codes/\"}]}]"), &p, "wa statuses");
	ok(p.n_statuses == 3 && p.n_msgs == 0, "wa statuses: three, no "
	    "message");
	if (p.n_statuses == 3) {
		is_str(p.statuses[0].remote_id, "wamid.S1", "wa sent: id");
		is_str(p.statuses[0].status, "sent", "wa sent: status");
		is_int(p.statuses[0].date, 1750263773, "wa sent: date");
		is_str(p.statuses[0].account, WA_PHONE, "wa sent: account");
		is_str(p.statuses[0].conv_id, WA_CUSTOMER, "wa sent: customer");
		ok(p.statuses[0].error == NULL && p.statuses[0].watermark == 0,
		    "wa sent: no error, no watermark");
		is_str(p.statuses[1].conv_id, "US.42",
		    "wa read: recipient_user_id when recipient_id is empty");
		is_str(p.statuses[2].status, "failed", "wa failed: status");
		is_str(p.statuses[2].error, "131047 Re-engagement message: "
		    "Message failed to send because more than 24 hours have "
		    "passed since the customer last replied to this number.",
		    "wa failed: the error");
	}
	meta_payload_free(&p);

	refused_with(0, &wa_ours, WA_BODY("\"statuses\":[{\"id\":\"wamid.S3\","
	    "\"status\":\"exploded\",\"timestamp\":\"1\"}]"), "status",
	    "not sent, delivered, read or failed", "wa: an unknown status");

	take(0, &wa_ours, WA_BODY("\"errors\":[{\"code\":131000,\"title\":"
	    "\"Something went wrong\",\"message\":\"Something went wrong\","
	    "\"error_data\":{\"details\":\"Unknown error.\"}}]"), &p,
	    "wa system error");
	ok(p.n_refused == 1 && strcmp(p.refused[0].what, "error") == 0 &&
	    strcmp(p.refused[0].why, "131000 Something went wrong: Unknown "
	    "error.") == 0 && strstr(p.refused[0].raw, "131000") != NULL,
	    "wa system error: refused for the agent to see");
	meta_payload_free(&p);
}

static void
test_wa_refusals(void)
{
	struct meta_payload	 p;
	char			*why = NULL, *big, *body;

	ok(parse(0, &wa_ours, "{\"object\":\"page\",\"entry\":[]}", &p,
	    &why) == -1 && why != NULL && strstr(why,
	    "whatsapp_business_account") != NULL, "wa: another object, -1");
	free(why);
	ok(parse(0, &wa_ours, "[1,2]", &p, &why) == -1 && why != NULL,
	    "wa: no object, -1");
	free(why);
	ok(parse(0, &wa_ours, "{\"object\":\"whatsapp_business_account\","
	    "\"entry\":{}}", &p, &why) == -1 && why != NULL &&
	    p.n_refused == 0, "wa: entry no array, -1 with nothing");
	free(why);

	refused_with(0, &wa_ours, "{\"object\":\"whatsapp_business_account\","
	    "\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":"
	    "\"message_template_status_update\",\"value\":{\"event\":"
	    "\"APPROVED\",\"message_template_id\":12345678}}]}]}", "change",
	    "field message_template_status_update is not handled",
	    "wa: another field");
	refused_with(0, &wa_ours, "{\"object\":\"whatsapp_business_account\","
	    "\"entry\":[{\"id\":\"1\",\"changes\":[{\"field\":\"messages\","
	    "\"value\":{\"metadata\":{\"phone_number_id\":\"999\"},"
	    "\"messages\":[{\"from\":\"1\",\"id\":\"wamid.X\",\"timestamp\":"
	    "\"1\",\"type\":\"text\",\"text\":{\"body\":\"x\"}}]}}]}]}",
	    "change", "for phone number 999, not this channel's",
	    "wa: another phone number");
	refused_with(0, &wa_ours, WA_BODY("\"messages\":[{\"from\":\"1\","
	    "\"id\":\"wamid.Y\",\"timestamp\":\"99999999999999\",\"type\":"
	    "\"text\",\"text\":{\"body\":\"y\"}}]"), "message",
	    "timestamp is out of range", "wa: a timestamp out of range");
	refused_with(0, &wa_ours, WA_BODY("\"messages\":[{\"from\":\"1\","
	    "\"id\":\"wamid.Z\",\"timestamp\":\"12e3\",\"type\":"
	    "\"text\",\"text\":{\"body\":\"y\"}}]"), "message",
	    "timestamp is not a number", "wa: a timestamp of no digits");

	/* A bad element among good ones: refused, the rest taken. */
	big = xcalloc(70000, 1);
	memset(big, 'a', 69999);
	body = xasprintf(WA_BODY("\"messages\":["
	    "{\"from\":\"1\",\"id\":\"wamid.A\",\"timestamp\":\"10\","
	    "\"type\":\"text\",\"text\":{\"body\":\"first\"}},"
	    "{\"from\":\"1\",\"timestamp\":\"11\",\"type\":\"text\","
	    "\"text\":{\"body\":\"no id\"}},"
	    "{\"from\":\"1\",\"id\":\"wamid.HUGE\",\"timestamp\":\"12\","
	    "\"type\":\"text\",\"text\":{\"body\":\"%s\"}},"
	    "{\"from\":\"1\",\"id\":\"wamid.T\",\"timestamp\":\"13\","
	    "\"type\":\"text\",\"text\":{\"body\":7}},"
	    "\"a string\","
	    "{\"from\":\"1\",\"id\":\"wamid.B\",\"timestamp\":\"14\","
	    "\"type\":\"text\",\"text\":{\"body\":\"last\"}}]"), big);
	take(0, &wa_ours, body, &p, "wa bad elements");
	ok(p.n_msgs == 2 && strcmp(p.msgs[0]->text, "first") == 0 &&
	    strcmp(p.msgs[1]->text, "last") == 0, "wa bad elements: the "
	    "good ones taken, in order");
	ok(p.n_refused == 4 && strstr(p.refused[0].why, "without an id") &&
	    strstr(p.refused[1].why, "longer than 65536") &&
	    strstr(p.refused[2].why, "text.body is not a string") &&
	    strstr(p.refused[3].why, "not an object"),
	    "wa bad elements: each refused with its cause");
	meta_payload_free(&p);
	free(body);
	free(big);
}

static void
test_wa_batch(void)
{
	struct meta_payload	p;

	take(0, &wa_any, "{\"object\":\"whatsapp_business_account\","
	    "\"entry\":[{\"id\":\"W1\",\"changes\":[{\"field\":\"messages\","
	    "\"value\":{\"metadata\":{\"phone_number_id\":\"" WA_PHONE "\"},"
	    "\"messages\":[{\"from\":\"1\",\"id\":\"m1\",\"timestamp\":\"1\","
	    "\"type\":\"text\",\"text\":{\"body\":\"one\"}},{\"from\":\"2\","
	    "\"id\":\"m2\",\"timestamp\":\"2\",\"type\":\"text\",\"text\":{"
	    "\"body\":\"two\"}}]}},{\"field\":\"messages\",\"value\":{"
	    "\"metadata\":{\"phone_number_id\":\"" WA_PHONE "\"},"
	    "\"statuses\":[{\"id\":\"o1\",\"status\":\"delivered\","
	    "\"timestamp\":\"3\",\"recipient_id\":\"1\"}],\"messages\":[{"
	    "\"from\":\"1\",\"id\":\"m3\",\"timestamp\":\"3\",\"type\":\"text\","
	    "\"text\":{\"body\":\"three\"}}]}}]},{\"id\":\"W2\",\"changes\":[{"
	    "\"field\":\"messages\",\"value\":{\"metadata\":{"
	    "\"phone_number_id\":\"200\"},\"messages\":[{\"from\":\"3\","
	    "\"id\":\"m4\",\"timestamp\":\"4\",\"type\":\"text\",\"text\":{"
	    "\"body\":\"four\"}}]}}]}]}", &p, "wa batch");
	ok(p.n_msgs == 4 && strcmp(p.msgs[0]->text, "one") == 0 &&
	    strcmp(p.msgs[1]->text, "two") == 0 &&
	    strcmp(p.msgs[2]->text, "three") == 0 &&
	    strcmp(p.msgs[3]->text, "four") == 0, "wa batch: all, in order");
	ok(p.n_msgs == 4 && strcmp(p.msgs[3]->account, "200") == 0,
	    "wa batch: no account configured: each its phone number's");
	ok(p.n_statuses == 1, "wa batch: the status too");
	meta_payload_free(&p);
}

/* -------------------------------------------------------- Messenger */

static void
test_fb_message(void)
{
	struct meta_payload	 p;
	struct msg		*m;

	take(1, &fb_ours, FB_BODY("messaging", FB_EVENT("\"message\":{"
	    "\"mid\":\"m_1457764197618:41d102a3e1ae206a38\",\"text\":"
	    "\"hello, world!\",\"quick_reply\":{\"payload\":\"DEVELOPER\"}}")),
	    &p, "fb text");
	if ((m = only_msg(&p, "fb text")) != NULL) {
		is_str(m->channel, "messenger", "fb text: channel");
		is_str(m->account, FB_PAGE, "fb text: account is the page");
		is_str(m->conv_id, FB_PSID, "fb text: conversation is the PSID");
		is_str(m->from_id, FB_PSID, "fb text: from the PSID");
		ok(m->from_name == NULL, "fb text: no name in the payload");
		is_str(m->id, "m_1457764197618:41d102a3e1ae206a38",
		    "fb text: id is the mid");
		is_int(m->date, 1458692752, "fb text: date in seconds");
		is_str(m->text, "hello, world!", "fb text: text");
		ok(m->kind == MSG_CUSTOMER, "fb text: customer");
	}
	meta_payload_free(&p);

	take(1, &fb_ours, FB_BODY("messaging", FB_EVENT("\"message\":{"
	    "\"mid\":\"m_ATT\",\"reply_to\":{\"mid\":\"m_EARLIER\"},"
	    "\"attachments\":[{\"type\":\"image\",\"payload\":{\"url\":"
	    "\"https://scontent.xx.fbcdn.net/v/t1.15752-9/123_456_n.png?"
	    "stp=dst&_nc_cat=1\"}},{\"type\":\"file\",\"payload\":{\"url\":"
	    "\"https://cdn.fbsbx.com/v/t59/?x=1\"}}]}")), &p, "fb attachments");
	if ((m = only_msg(&p, "fb attachments")) != NULL) {
		is_str(m->reply_to, "m_EARLIER", "fb attachments: reply_to");
		is_str(m->text, "", "fb attachments: no text");
		ok(m->n_attachments == 2, "fb attachments: two");
		if (m->n_attachments == 2) {
			is_str(m->attachments[0].name, "123_456_n.png",
			    "fb image: named from its URL");
			is_str(m->attachments[0].mime, "image/jpeg",
			    "fb image: mime by type");
			is_str(m->attachments[0].url, "https://scontent.xx."
			    "fbcdn.net/v/t1.15752-9/123_456_n.png?stp=dst&"
			    "_nc_cat=1", "fb image: url as given");
			is_str(m->attachments[1].name, "file",
			    "fb file: named by type");
		}
	}
	meta_payload_free(&p);

	/* standby: traffic while another app owns the thread, the same. */
	take(1, &fb_ours, FB_BODY("standby", FB_EVENT("\"message\":{"
	    "\"mid\":\"m_SB\",\"text\":\"anyone?\"}")), &p, "fb standby");
	if ((m = only_msg(&p, "fb standby")) != NULL)
		is_str(m->text, "anyone?", "fb standby: stored");
	meta_payload_free(&p);

	take(1, &fb_ours, FB_BODY("messaging", FB_EVENT("\"message_edit\":{"
	    "\"mid\":\"m_SB\",\"text\":\"anyone there?\",\"num_edit\":1}")),
	    &p, "fb edit");
	if ((m = only_msg(&p, "fb edit")) != NULL) {
		is_str(m->id, "m_SB#edit1", "fb edit: an id of its own");
		is_str(m->edit_of, "m_SB", "fb edit: edit_of the mid");
		is_str(m->text, "anyone there?", "fb edit: the new text");
		ok(m->kind == MSG_CUSTOMER, "fb edit: the customer's");
	}
	meta_payload_free(&p);

	take(1, &fb_ours, FB_BODY("messaging", FB_EVENT("\"reaction\":{"
	    "\"reaction\":\"love\",\"emoji\":\"\\u2764\\uFE0F\",\"action\":"
	    "\"react\",\"mid\":\"m_OURS\"}")), &p, "fb reaction");
	if ((m = only_msg(&p, "fb reaction")) != NULL) {
		is_str(m->text, "reacted \xe2\x9d\xa4\xef\xb8\x8f",
		    "fb reaction: text");
		is_str(m->reply_to, "m_OURS", "fb reaction: to the mid");
	}
	meta_payload_free(&p);
}

static void
test_fb_echoes(void)
{
	struct meta_payload	 p;
	struct msg		*m;

	take(1, &fb_ours, FB_BODY("messaging", FB_ECHO("\"message\":{"
	    "\"is_echo\":true,\"app_id\":1122334455000,\"metadata\":"
	    "\"ombre:out.0f8e2a3c-1b4d-4e5f-8a9b-0c1d2e3f4a5b@ombre\",\"mid\":"
	    "\"m_ECHO1\",\"text\":\"On its way!\"}")), &p, "fb our echo");
	ok(p.n_msgs == 0 && p.n_echoes == 1, "fb our echo: an echo, nothing "
	    "stored");
	if (p.n_echoes == 1) {
		is_str(p.echoes[0].outbound,
		    "out.0f8e2a3c-1b4d-4e5f-8a9b-0c1d2e3f4a5b@ombre",
		    "fb our echo: the outbound Message-Id");
		is_str(p.echoes[0].remote_id, "m_ECHO1", "fb our echo: mid");
	}
	meta_payload_free(&p);

	take(1, &fb_ours, FB_BODY("messaging", FB_ECHO("\"message\":{"
	    "\"is_echo\":true,\"app_id\":263902037430900,\"mid\":\"m_MBS\","
	    "\"text\":\"Hi, Ana from the shop here\"}")), &p, "fb inbox echo");
	if ((m = only_msg(&p, "fb inbox echo")) != NULL) {
		ok(m->kind == MSG_AGENT, "fb inbox echo: an agent's");
		is_str(m->conv_id, FB_PSID, "fb inbox echo: the customer's");
		is_str(m->from_id, FB_PAGE, "fb inbox echo: from the page");
		is_str(m->from_name, "Meta Business Suite",
		    "fb inbox echo: named");
		is_str(m->account, FB_PAGE, "fb inbox echo: account");
	}
	meta_payload_free(&p);

	take(1, &fb_ours, FB_BODY("messaging", FB_ECHO("\"message\":{"
	    "\"is_echo\":true,\"app_id\":\"555\",\"metadata\":\"crm:42\","
	    "\"mid\":\"m_OTHER\",\"text\":\"x\"}")), &p, "fb other echo");
	if ((m = only_msg(&p, "fb other echo")) != NULL) {
		ok(m->kind == MSG_AGENT, "fb other echo: an agent's");
		is_str(m->from_name, "Page", "fb other echo: the Page");
	}
	meta_payload_free(&p);

	take(1, &fb_ours, FB_BODY("messaging", FB_ECHO("\"message\":{"
	    "\"is_echo\":true,\"app_id\":" FB_BOT ",\"mid\":\"m_BOT\","
	    "\"text\":\"I am the bot\"}")), &p, "fb bot echo");
	if ((m = only_msg(&p, "fb bot echo")) != NULL)
		ok(m->kind == MSG_BOT, "fb bot echo: the bot's");
	meta_payload_free(&p);
}

static void
test_fb_statuses(void)
{
	struct meta_payload	p;

	take(1, &fb_ours, FB_BODY("messaging", FB_EVENT("\"delivery\":{"
	    "\"mids\":[\"m_1458668856218:ed81099e15d3f4f233\",\"m_2\"],"
	    "\"watermark\":1458668856253}") "," FB_EVENT("\"read\":{"
	    "\"watermark\":1458668856999}")), &p, "fb delivery and read");
	ok(p.n_statuses == 4 && p.n_msgs == 0, "fb: four statuses");
	if (p.n_statuses == 4) {
		is_str(p.statuses[0].remote_id,
		    "m_1458668856218:ed81099e15d3f4f233", "fb delivered: mid");
		is_str(p.statuses[0].status, "delivered", "fb delivered");
		is_str(p.statuses[0].conv_id, FB_PSID, "fb delivered: PSID");
		is_str(p.statuses[0].account, FB_PAGE, "fb delivered: page");
		is_int(p.statuses[0].watermark, 0, "fb delivered: no watermark");
		is_str(p.statuses[1].remote_id, "m_2", "fb delivered: 2nd mid");
		ok(p.statuses[2].remote_id == NULL &&
		    p.statuses[2].watermark == 1458668856,
		    "fb delivered: the watermark");
		ok(strcmp(p.statuses[3].status, "read") == 0 &&
		    p.statuses[3].remote_id == NULL &&
		    p.statuses[3].watermark == 1458668856 &&
		    strcmp(p.statuses[3].conv_id, FB_PSID) == 0,
		    "fb read: the watermark, the reader");
	}
	meta_payload_free(&p);
}

/* The event of a handover payload: its type, reason and tags. */
static void
handover_is(const char *events, const char *event, const char *reason,
    const char *tags, const char *owner, const char *name)
{
	struct meta_payload	 p;
	struct msg		*m;
	struct buf		 b;
	size_t			 i;
	char			*body;

	body = xasprintf(FB_BODY("messaging", "%s"), events);
	take(1, &fb_ours, body, &p, name);
	free(body);
	if (owner == NULL)
		ok(p.n_owners == 0, "%s: no owner", name);
	else
		ok(p.n_owners == 1 && strcmp(p.owner_conv[0], FB_PSID) == 0 &&
		    strcmp(p.owner_app[0], owner) == 0, "%s: owner %s", name,
		    owner);
	if (event == NULL) {
		ok(p.n_msgs == 0 && p.n_refused == 0, "%s: no event", name);
		meta_payload_free(&p);
		return;
	}
	if ((m = only_msg(&p, name)) == NULL) {
		meta_payload_free(&p);
		return;
	}
	ok(m->kind == MSG_EVENT, "%s: an event", name);
	is_str(m->event, event, name);
	is_str(m->reason, reason, name);
	is_str(m->agent, "messenger", name);
	is_str(m->conv_id, FB_PSID, name);
	buf_init(&b);
	for (i = 0; m->tags != NULL && m->tags[i] != NULL; i++)
		buf_add_printf(&b, "%s%s", i > 0 ? " " : "", m->tags[i]);
	is_str(b.data != NULL ? b.data : "", tags, name);
	buf_free(&b);
	meta_payload_free(&p);
}

static void
test_fb_handovers(void)
{
	struct meta_payload	 p;
	struct msg		*m;
	char			*id1 = NULL, *id2 = NULL;
	int			 round;

	handover_is(FB_EVENT("\"pass_thread_control\":{"
	    "\"previous_owner_app_id\":\"" FB_BOT "\",\"new_owner_app_id\":"
	    "\"263902037430900\",\"metadata\":\"the customer asked\"}"),
	    "handoff", "the thread was passed to the Page Inbox",
	    "-ombre/bot +ombre/handoff", META_PAGE_INBOX_APP_ID,
	    "fb pass to the Page Inbox");
	handover_is(FB_EVENT("\"pass_thread_control\":{"
	    "\"previous_owner_app_id\":null,\"new_owner_app_id\":\"" FB_APP
	    "\"}"), "handoff", "the thread was passed to ombre",
	    "-ombre/bot +ombre/handoff", FB_APP, "fb pass to ombre");
	handover_is(FB_EVENT("\"pass_thread_control\":{"
	    "\"previous_owner_app_id\":\"263902037430900\","
	    "\"new_owner_app_id\":" FB_BOT "}"), "hand-back",
	    "the thread was passed to the bot app",
	    "+ombre/bot -ombre/handoff", FB_BOT, "fb pass to the bot");
	handover_is(FB_EVENT("\"pass_thread_control\":{"
	    "\"new_owner_app_id\":\"777\"}"), NULL, NULL, NULL, "777",
	    "fb pass to another app");
	handover_is(FB_EVENT("\"take_thread_control\":{"
	    "\"previous_owner_app_id\":\"" FB_BOT "\",\"metadata\":\"x\"}"),
	    NULL, NULL, NULL, "", "fb taken by an app not named");
	handover_is(FB_EVENT("\"take_thread_control\":{"
	    "\"previous_owner_app_id\":\"" FB_BOT "\",\"new_owner_app_id\":"
	    "\"263902037430900\"}"), "handoff",
	    "the thread was taken by the Page Inbox",
	    "-ombre/bot +ombre/handoff", META_PAGE_INBOX_APP_ID,
	    "fb taken by the Page Inbox");
	handover_is(FB_EVENT("\"request_thread_control\":{"
	    "\"requested_owner_app_id\":263902037430900,\"metadata\":\"x\"}"),
	    "handoff", "the Page Inbox asks for the thread",
	    "-ombre/bot +ombre/handoff", NULL, "fb request by the Page Inbox");
	handover_is(FB_EVENT("\"request_thread_control\":{"
	    "\"requested_owner_app_id\":777}"), NULL, NULL, NULL, NULL,
	    "fb request by another app");
	handover_is(FB_EVENT("\"app_roles\":{\"123456789\":["
	    "\"primary_receiver\"]}"), NULL, NULL, NULL, NULL, "fb app_roles");

	/* Derived ids: the same handover twice is one event. */
	for (round = 0; round < 2; round++) {
		take(1, &fb_ours, FB_BODY("messaging", FB_EVENT(
		    "\"pass_thread_control\":{\"new_owner_app_id\":"
		    "\"263902037430900\"}")), &p, "fb handover id");
		if ((m = only_msg(&p, "fb handover id")) != NULL) {
			is_str(m->id, "handover.pass.1458692752478",
			    "fb handover: id from kind and time");
			*(round == 0 ? &id1 : &id2) = msgid_message(m->channel,
			    m->account, m->conv_id, m->id);
		}
		meta_payload_free(&p);
	}
	ok(id1 != NULL && id2 != NULL && strcmp(id1, id2) == 0,
	    "fb handover: the same Message-Id twice");
	free(id1);
	free(id2);
}

static void
test_fb_refusals(void)
{
	struct meta_payload	 p;
	char			*why = NULL;

	ok(parse(1, &fb_ours, "{\"object\":\"instagram\",\"entry\":[]}", &p,
	    &why) == -1 && why != NULL && strstr(why, "page") != NULL,
	    "fb: another object, -1");
	free(why);
	refused_with(1, &fb_ours, "{\"object\":\"page\",\"entry\":[{\"id\":"
	    "\"111\",\"time\":1,\"messaging\":[" FB_EVENT("\"message\":{"
	    "\"mid\":\"m_X\",\"text\":\"x\"}") "]}]}", "event",
	    "for page 111, not this channel's", "fb: another page");
	refused_with(1, &fb_ours, FB_BODY("messaging", FB_EVENT("\"optin\":{"
	    "\"ref\":\"x\"}")), "event", "no kind handled (optin)",
	    "fb: an event of no kind handled");
	refused_with(1, &fb_ours, FB_BODY("messaging", FB_EVENT("\"message\":{"
	    "\"text\":\"no mid\"}")), "event", "without a mid",
	    "fb: a message without a mid");
	refused_with(1, &fb_ours, "{\"object\":\"page\",\"entry\":[{\"id\":\""
	    FB_PAGE "\",\"changes\":[]}]}", "entry", "without messaging",
	    "fb: an entry of feed changes");

	/* Batches: two entries, several events, bad ones among them. */
	take(1, &fb_ours, "{\"object\":\"page\",\"entry\":[{\"id\":\"" FB_PAGE
	    "\",\"time\":1,\"messaging\":[" FB_EVENT("\"message\":{\"mid\":"
	    "\"m_1\",\"text\":\"one\"}") "," FB_EVENT("\"message\":{\"mid\":"
	    "\"m_2\",\"text\":2}") "," FB_EVENT("\"message\":{\"mid\":\"m_3\","
	    "\"text\":\"three\"}") "]},{\"id\":\"" FB_PAGE "\",\"time\":2,"
	    "\"messaging\":[" FB_EVENT("\"message\":{\"mid\":\"m_4\",\"text\":"
	    "\"four\"}") ",7]}]}", &p, "fb batch");
	ok(p.n_msgs == 3 && strcmp(p.msgs[0]->text, "one") == 0 &&
	    strcmp(p.msgs[1]->text, "three") == 0 &&
	    strcmp(p.msgs[2]->text, "four") == 0, "fb batch: in order");
	ok(p.n_refused == 2 && strstr(p.refused[0].why, "text is not a "
	    "string") != NULL && strcmp(p.refused[1].raw, "7") == 0,
	    "fb batch: the bad ones refused with their JSON");
	meta_payload_free(&p);
}

int
main(void)
{
	test_wa_text();
	test_wa_bsuid();
	test_wa_media();
	test_wa_types();
	test_wa_statuses();
	test_wa_refusals();
	test_wa_batch();
	test_fb_message();
	test_fb_echoes();
	test_fb_statuses();
	test_fb_handovers();
	test_fb_refusals();
	done_testing();
	return exit_status();
}
