/*
 * t-line.c: what a LINE webhook body becomes (line_payload: chan-line.h),
 * on events shaped as the reference's samples: each message type, edits,
 * unsend, follow, postback, groups and rooms, standby events (stored, no
 * token), reply and markAsRead tokens, refusals while the rest parses,
 * stable ids. Links src/chan's archive with core and base only.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan-line.h"

#include <jansson.h>

#include <stdlib.h>
#include <string.h>

#include "tap.h"

#define DEST	"Uxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define USER	"U4af4980629aaaaaaaaaaaaaaaaaaaaaa"
#define GROUP	"Ca56f94637cc4347f90a25382909b24b9"

#define BODY(events)							\
	"{\"destination\":\"" DEST "\",\"events\":[" events "]}"
#define EVENT(id, type, mode, src, rest)				\
	"{\"type\":\"" type "\",\"mode\":\"" mode "\","			\
	"\"timestamp\":1462629479859,\"source\":" src ","		\
	"\"webhookEventId\":\"" id "\","				\
	"\"deliveryContext\":{\"isRedelivery\":false}" rest "}"
#define FROM_USER	"{\"type\":\"user\",\"userId\":\"" USER "\"}"
#define FROM_GROUP							\
	"{\"type\":\"group\",\"groupId\":\"" GROUP "\",\"userId\":\"" USER "\"}"

static int
parse(const char *text, struct line_payload *p, char **why)
{
	json_t	*root;
	int	 rc;

	*why = NULL;
	root = json_loadb(text, strlen(text), JSON_ALLOW_NUL, NULL);
	if (root == NULL) {
		diag("the test's payload is no JSON: %s", text);
		memset(p, 0, sizeof *p);
		return -2;
	}
	rc = line_payload(NULL, root, p, why);
	json_decref(root);
	return rc;
}

/* The one message of a body taken whole. */
static struct msg *
one(const char *text, struct line_payload *p, const char *name)
{
	char	*why;

	ok(parse(text, p, &why) == 0 && why == NULL, "%s: parsed", name);
	free(why);
	ok(p->n_msgs == 1 && p->n_refused == 0, "%s: one message (%zu, %zu "
	    "refused)", name, p->n_msgs, p->n_refused);
	return p->n_msgs == 1 ? p->msgs[0] : NULL;
}

static void
text_is(const char *body, const char *want, const char *name)
{
	struct line_payload	 p;
	struct msg		*m;

	if ((m = one(body, &p, name)) != NULL)
		is_str(m->text, want, name);
	else
		ok(0, "%s", name);
	line_payload_free(&p);
}

static void
test_text(void)
{
	struct line_payload	 p;
	struct msg		*m;

	m = one(BODY(EVENT("01FZ74A0TDDPYRVKNK77XKC3ZR", "message", "active",
	    FROM_USER, ",\"replyToken\":\"rt1\",\"message\":{\"id\":"
	    "\"444573844083572737\",\"type\":\"text\",\"text\":\"Hello\","
	    "\"markAsReadToken\":\"mr1\",\"quotedMessageId\":\"4445\"}")),
	    &p, "text");
	if (m != NULL) {
		is_str(m->channel, "line", "text: channel");
		is_str(m->account, DEST, "text: the destination is the account");
		is_str(m->conv_id, USER, "text: the user is the conversation");
		is_str(m->from_id, USER, "text: from the user");
		is_str(m->id, "444573844083572737", "text: LINE's message id");
		is_str(m->text, "Hello", "text: its text");
		is_str(m->reply_to, "4445", "text: a quote names its message");
		is_int(m->date, 1462629479, "text: the date in seconds");
	}
	is_int((long long)p.n_tokens, 1, "text: a token kept");
	if (p.n_tokens == 1) {
		is_str(p.tokens[0].conv_id, USER, "token: its conversation");
		is_str(p.tokens[0].reply_token, "rt1", "token: the reply token");
		is_str(p.tokens[0].read_token, "mr1", "token: markAsReadToken");
		is_int(p.tokens[0].ms, 1462629479859LL, "token: its time");
	}
	line_payload_free(&p);
}

static void
test_types(void)
{
	struct line_payload	 p;
	struct msg		*m;

	m = one(BODY(EVENT("e1", "message", "active", FROM_USER,
	    ",\"message\":{\"id\":\"3547\",\"type\":\"image\","
	    "\"contentProvider\":{\"type\":\"line\"}}")), &p, "image");
	if (m != NULL && m->n_attachments == 1)
		is_str(m->attachments[0].url, "line-content:3547",
		    "image: fetched from the content endpoint");
	else
		ok(0, "image: one attachment");
	line_payload_free(&p);
	m = one(BODY(EVENT("e2", "message", "active", FROM_USER,
	    ",\"message\":{\"id\":\"3257\",\"type\":\"video\","
	    "\"contentProvider\":{\"type\":\"external\",\"originalContentUrl\":"
	    "\"https://example.com/original.mp4\"}}")), &p, "video");
	if (m != NULL && m->n_attachments == 1)
		is_str(m->attachments[0].url, "https://example.com/original.mp4",
		    "video: an external provider's URL");
	else
		ok(0, "video: one attachment");
	line_payload_free(&p);
	text_is(BODY(EVENT("e3", "message", "active", FROM_USER,
	    ",\"message\":{\"id\":\"3\",\"type\":\"file\",\"fileName\":"
	    "\"file.txt\",\"fileSize\":2138}")), "[file] file.txt", "file");
	text_is(BODY(EVENT("e4", "message", "active", FROM_USER,
	    ",\"message\":{\"id\":\"4\",\"type\":\"location\",\"title\":"
	    "\"my location\",\"address\":\"Tokyo\",\"latitude\":35.5,"
	    "\"longitude\":139.25}")),
	    "[location] my location, Tokyo (35.500000, 139.250000)",
	    "location");
	text_is(BODY(EVENT("e5", "message", "active", FROM_USER,
	    ",\"message\":{\"id\":\"5\",\"type\":\"sticker\",\"packageId\":"
	    "\"1\",\"stickerId\":\"2\"}")), "[sticker 1/2]", "sticker");
	text_is(BODY(EVENT("e6", "unsend", "active", FROM_USER,
	    ",\"unsend\":{\"messageId\":\"325708\"}")),
	    "[unsent by the customer]", "unsend");
	text_is(BODY(EVENT("e7", "follow", "active", FROM_USER, "")),
	    "[followed the account]", "follow");
	text_is(BODY(EVENT("e8", "unfollow", "active", FROM_USER, "")),
	    "[unfollowed the account]", "unfollow");
	text_is(BODY(EVENT("e9", "postback", "active", FROM_USER,
	    ",\"postback\":{\"data\":\"storeId=12345\"}")),
	    "[postback] storeId=12345", "postback");
	m = one(BODY(EVENT("eA", "messageEdited", "active", FROM_GROUP,
	    ",\"message\":{\"id\":\"4687\",\"type\":\"text\",\"text\":"
	    "\"fixed\"}")), &p, "edit");
	if (m != NULL) {
		is_str(m->id, "edit.eA", "edit: its own id");
		is_str(m->edit_of, "4687", "edit: names the message edited");
		is_str(m->conv_id, GROUP, "edit: the group's conversation");
		is_str(m->from_id, USER, "edit: by the user");
	}
	line_payload_free(&p);
	m = one(BODY(EVENT("eB", "unsend", "active", FROM_USER,
	    ",\"unsend\":{\"messageId\":\"325708\"}")), &p, "unsend id");
	if (m != NULL) {
		is_str(m->id, "unsend.eB", "unsend: keyed on webhookEventId");
		is_str(m->reply_to, "325708", "unsend: names the message");
	}
	line_payload_free(&p);
}

static void
test_standby_and_refusals(void)
{
	struct line_payload	 p;
	char			*why;

	one(BODY(EVENT("s1", "message", "standby", FROM_USER,
	    ",\"message\":{\"id\":\"9\",\"type\":\"text\",\"text\":\"x\","
	    "\"markAsReadToken\":\"mr\"}")), &p, "standby");
	is_int((long long)p.n_tokens, 0, "standby: stored, never answered");
	line_payload_free(&p);

	ok(parse(BODY(EVENT("r1", "message", "active", FROM_USER,
	    ",\"message\":{\"type\":\"text\"}") ","
	    EVENT("r2", "follow", "active", "{}", "") ","
	    "{\"type\":\"follow\"},7,"
	    EVENT("r3", "beacon", "active", FROM_USER, "") ","
	    EVENT("r4", "follow", "active", FROM_USER, "")), &p, &why) == 0,
	    "refusals: the body parses");
	is_int((long long)p.n_msgs, 1, "refusals: the good event is kept");
	is_int((long long)p.n_refused, 5, "refusals: each bad one refused");
	line_payload_free(&p);
	free(why);

	ok(parse("{\"events\":[]}", &p, &why) == -1 && why != NULL,
	    "no destination: not a LINE body");
	free(why);
	line_payload_free(&p);
	ok(parse(BODY(""), &p, &why) == 0 && p.n_msgs == 0,
	    "no events: a connectivity check");
	line_payload_free(&p);
}

int
main(void)
{
	test_text();
	test_types();
	test_standby_and_refusals();
	done_testing();
	return exit_status();
}
