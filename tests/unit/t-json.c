/*
 * t-json.c: the canonical message JSON, message ids and the tags a new
 * message gets.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

static const char good[] =
    "{\"channel\":\"telegram\",\"account\":\"7012345678\","
    "\"conversation\":{\"id\":\"42\",\"title\":\"Zoë\"},\"id\":7,"
    "\"date\":\"2026-11-20T09:30:00+01:00\","
    "\"from\":{\"id\":42,\"name\":\"Zoë Martin\",\"kind\":\"customer\"},"
    "\"text\":\"Bonjour 😀\",\"reply_to\":\"6\","
    "\"attachments\":[{\"name\":\"photo.jpg\",\"mime\":\"image/jpeg\","
    "\"size\":1234,\"url\":\"tg-file:AgAD\"}],\"tags\":[\"billing\",\"-unread\"]}";

/* Parse text and return the cause (allocated) or NULL when it parsed. */
static char *
cause_of(const char *text)
{
	struct msg	*m;
	char		*cause = NULL;

	m = json_msg_parse(text, strlen(text), &cause);
	msg_free(m);
	return cause;
}

static void
expect_cause(const char *text, const char *needle, const char *name)
{
	char	*cause = cause_of(text);

	ok(cause != NULL && strstr(cause, needle) != NULL, "%s", name);
	if (cause == NULL || strstr(cause, needle) == NULL)
		diag("cause: %s", cause != NULL ? cause : "(parsed)");
	free(cause);
}


/* Is raw[start..end) the text want? */
static void
is_span(const char *raw, size_t start, size_t end, const char *want,
    const char *name)
{
	char	*got = xstrndup(raw + start, end - start);

	is_str(got, want, name);
	free(got);
}

/* json_repair on len bytes: the text, and how many changes. */
static char *
repaired(const char *raw, size_t len, size_t *fixed)
{
	size_t	out_len;

	return json_repair(raw, len, &out_len, fixed);
}

/* repaired() on a string literal, its length counted (NULs inside too). */
#define REPAIRED(lit, fixed)	repaired((lit), sizeof(lit) - 1, (fixed))

/* The json_repair() tests: every repaired text is valid UTF-8 and parses. */
static void
test_repair(void)
{
	struct msg	*m;
	char		*r, *cause, *line;
	size_t		 fixed, start, end, len;
	long long	 v;
	static const char nested[] =
	    "{\"ok\":true,\"result\":[{\"update_id\":5,\"a\":[1,[2]]},"
	    "{\"update_id\":6,\"t\":\"],[{\\\"\"},  7 ,{\"x\":{}}]}";

	r = REPAIRED("{\"t\":\"ok \\u00e9 \\ud83d\\ude00\"}", &fixed);
	is_str(r, "{\"t\":\"ok \\u00e9 \\ud83d\\ude00\"}",
	    "valid escapes and surrogate pairs are kept");
	is_int((long long)fixed, 0, "nothing to fix");
	free(r);
	r = REPAIRED("{\"t\":\"a\\u0000b\"}", &fixed);
	is_str(r, "{\"t\":\"a\\ufffdb\"}", "\\u0000 becomes \\ufffd");
	is_int((long long)fixed, 1, "one fix");
	free(r);
	r = REPAIRED("{\"t\":\"\\ud800x\\udc00\\ud800\"}", &fixed);
	is_str(r, "{\"t\":\"\\ufffdx\\ufffd\\ufffd\"}",
	    "lone high and low surrogates become \\ufffd");
	is_int((long long)fixed, 3, "three fixes");
	free(r);
	r = REPAIRED("{\"t\":\"a\xff\xc3(\xed\xa0\x80" "b\"}", &fixed);
	is_str(r, "{\"t\":\"a\xef\xbf\xbd\xef\xbf\xbd(\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd" "b\"}",
	    "bytes that are not UTF-8 (0xFF, a cut sequence, an encoded "
	    "surrogate) become U+FFFD");
	free(r);
	r = REPAIRED("{\"t\":\"a\0b\x1b\"}", &fixed);
	is_str(r, "{\"t\":\"a\\ufffdb\\u001b\"}",
	    "raw NUL and control bytes in a string become escapes");
	free(r);
	r = REPAIRED("{\"t\":\"\\\\u0000\"}", &fixed);
	is_str(r, "{\"t\":\"\\\\u0000\"}",
	    "an escaped backslash before u0000 is no escape");
	is_int((long long)fixed, 0, "nothing fixed there");
	free(r);
	r = REPAIRED("{\"t\":\"x\\", &fixed);
	is_str(r, "{\"t\":\"x\\", "a backslash at the end is kept");
	free(r);
	r = REPAIRED("", &fixed);
	is_str(r, "", "an empty answer stays empty");
	free(r);

	/* A canonical line with every defect repaired parses, text and all. */
	line = xstrdup("{\"channel\":\"telegram\",\"account\":\"1\","
	    "\"conversation\":{\"id\":\"2\"},\"id\":\"3\",\"date\":0,"
	    "\"from\":{\"id\":\"4\",\"kind\":\"customer\"},"
	    "\"text\":\"\\u0000\\udfff\xff\"}");
	r = json_repair(line, strlen(line), &len, &fixed);
	m = json_msg_parse(r, len, &cause);
	ok(m != NULL, "the repaired line parses");
	if (m != NULL)
		is_str(m->text, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
		    "as three U+FFFD");
	else
		diag("cause: %s", cause);
	msg_free(m);
	free(cause);
	free(r);
	free(line);

	/* The element of the outermost array around a byte. */
	len = strlen(nested);
	ok(json_repair_element(nested, len, (size_t)(strstr(nested, "[2]") -
	    nested), &start, &end) == 0, "a byte deep in an update is found");
	is_span(nested, start, end, "{\"update_id\":5,\"a\":[1,[2]]}",
	    "in its whole update");
	ok(json_repair_element(nested, len, (size_t)(strstr(nested, "],[") -
	    nested), &start, &end) == 0, "brackets in a string are text");
	is_span(nested, start, end, "{\"update_id\":6,\"t\":\"],[{\\\"\"}",
	    "the update holding them, escaped quote and all");
	ok(json_repair_element(nested, len, (size_t)(strstr(nested, "7") -
	    nested), &start, &end) == 0, "a scalar element");
	is_span(nested, start, end, "7", "is itself");
	ok(json_repair_element(nested, len, 3, &start, &end) != 0,
	    "a byte outside every array is in no element");
	ok(json_repair_element("{\"r\":[{\"a\":1},{\"b\":", 19, 16,
	    &start, &end) == 0 && start == 14 && end == 19,
	    "an element cut short ends at the end");
	ok(json_repair_element(nested, len, len + 5, &start, &end) != 0,
	    "a byte past the end is in nothing");

	/* Scanning bytes that do not parse. */
	ok(json_repair_scan_int(nested, len, "update_id", &v) == 0 && v == 5,
	    "the first update_id is read");
	ok(json_repair_scan_int("{\"update_id\" : -12,", 19, "update_id",
	    &v) == 0 && v == -12, "with spaces and a sign");
	ok(json_repair_scan_int("{\"update_id\":99999999999999999999}", 34,
	    "update_id", &v) != 0, "an integer above 2^63 is not read");
	ok(json_repair_scan_int("{\"update_id\":1.5}", 17, "update_id", &v)
	    != 0, "nor a float");
	ok(json_repair_scan_int("{\"t\":\"\\\"update_id\\\":7\"}", 24,
	    "update_id", &v) != 0, "nor a key inside a string");
	r = json_repair_scan_str("{\"next_batch\":\"s72_9\",", 24,
	    "next_batch");
	is_str(r, "s72_9", "a next_batch is read");
	free(r);
	ok(json_repair_scan_str("{\"next_batch\":\"s\x1b\"}", 20,
	    "next_batch") == NULL, "but not with a control byte");
}

/* json_msg_copy: what the canonical form refuses is said, never fatal. */
static void
test_copy(void)
{
	struct msg	*m, *copy;
	char		*cause;

	m = msg_new();
	m->channel = xstrdup("matrix");
	m->account = xstrdup("@a:b");
	m->conv_id = xstrdup("!r:b");
	m->id = xstrdup("$e");
	m->from_id = xstrdup("@c:b");
	m->text = xstrdup("t");
	m->text_len = 1;
	m->date = 253402300800LL;
	copy = json_msg_copy(m, &cause);
	ok(copy == NULL && cause != NULL && strstr(cause, "out of range"),
	    "a date in the year 10000 is refused with a cause");
	free(cause);
	m->date = -9000000000000LL;
	copy = json_msg_copy(m, &cause);
	ok(copy == NULL && cause != NULL, "so is one very far back");
	free(cause);
	m->date = 253402300799LL;
	free(m->channel);
	m->channel = xstrdup("Whats App!");
	copy = json_msg_copy(m, &cause);
	ok(copy == NULL && cause != NULL && strstr(cause, "channel"),
	    "a channel name a bridge made up is refused");
	free(cause);
	free(m->channel);
	m->channel = xstrdup("whatsapp");
	copy = json_msg_copy(m, &cause);
	ok(copy != NULL && cause == NULL && copy->date == m->date,
	    "the last second of 9999 is copied");
	msg_free(copy);
	msg_free(m);
}

int
main(void)
{
	struct msg	*m, *m2;
	char		*cause = NULL, *out, *out2, **tags, *id;
	static char	 t0[] = "unread", t1[] = "ombre/done",
			 t2[] = "ombre/assigned/alice", t3[] = "ombre/note",
			 t4[] = "billing";
	char		*thread_tags[] = { t0, t1, t2, t3, t4, NULL };
	int		 reopen;

	m = json_msg_parse(good, strlen(good), &cause);
	ok(m != NULL, "a canonical line parses");
	if (m == NULL) {
		diag("%s", cause);
		return 1;
	}
	is_str(m->channel, "telegram", "channel");
	is_str(m->conv_id, "42", "conversation.id");
	is_str(m->id, "7", "an integer id becomes text");
	is_str(m->from_id, "42", "from.id as integer");
	is_int(m->kind, MSG_CUSTOMER, "from.kind");
	is_int(m->date, 1795163400, "the date with its offset");
	is_int(m->date_offset, 3600, "the offset is kept");
	is_str(m->text, "Bonjour 😀", "text with emoji");
	is_int(m->n_attachments, 1, "one attachment");
	is_int(m->attachments[0].size, 1234, "its size");
	is_str(m->tags[1], "-unread", "tag operations kept");

	out = json_msg_format(m);
	m2 = json_msg_parse(out, strlen(out), &cause);
	ok(m2 != NULL, "what is printed parses again");
	out2 = m2 != NULL ? json_msg_format(m2) : NULL;
	is_str(out2, out, "and prints the same");
	ok(strstr(out, "\"date\":\"2026-11-20T09:30:00+01:00\"") != NULL,
	    "the date is printed with its offset");
	free(out);
	free(out2);
	msg_free(m2);
	msg_free(m);

	/* Errors name the field. */
	expect_cause("{\"channel\":\"telegram\"}", "'account'", "missing account");
	expect_cause("{\"channel\":\"Tele gram\",\"account\":\"a\"}", "'channel'",
	    "a channel is a plain name");
	expect_cause("{\"channel\":\"sms\",\"account\":\"a\",\"conversation\":{}}",
	    "'conversation.id'", "missing conversation.id");
	expect_cause("{\"channel\":\"sms\",\"account\":\"a\",\"conversation\":"
	    "{\"id\":\"1\"},\"id\":\"1\",\"date\":\"yesterday\"}", "'date'",
	    "a bad date");
	expect_cause("{\"channel\":\"sms\",\"account\":\"a\",\"conversation\":"
	    "{\"id\":\"1\"},\"id\":\"1\",\"date\":\"2026-01-01T00:00:00Z\","
	    "\"from\":{\"id\":\"x\",\"kind\":\"robot\"}}", "'from.kind'",
	    "an unknown kind");
	expect_cause("{\"channel\":\"sms\",\"account\":\"a\",\"conversation\":"
	    "{\"id\":\"1\"},\"id\":\"1\",\"date\":\"2026-01-01T00:00:00Z\","
	    "\"from\":{\"id\":\"x\",\"kind\":\"bot\"},\"tags\":[\"a b\"]}",
	    "'tags[0]'", "a bad tag");
	expect_cause("{\"channel\":\"sms\",\"account\":\"a\\u0000b\"}",
	    "NUL", "a NUL in an id is refused");
	expect_cause("{\"channel\": \"sms\", \"acc\xff\"}", "byte offset 23",
	    "invalid UTF-8 names its offset");
	expect_cause("{\"channel\": \"sms\",, }", "invalid JSON", "broken JSON");
	expect_cause("[1,2]", "object", "not an object");

	/* A NUL in the text becomes U+FFFD, nothing is cut. */
	m = json_msg_parse("{\"channel\":\"sms\",\"account\":\"a\",\"conversation\":"
	    "{\"id\":\"1\"},\"id\":\"1\",\"date\":\"2026-01-01T00:00:00Z\","
	    "\"from\":{\"id\":\"x\",\"kind\":\"bot\"},\"text\":\"a\\u0000b\"}",
	    strlen("{\"channel\":\"sms\",\"account\":\"a\",\"conversation\":"
	    "{\"id\":\"1\"},\"id\":\"1\",\"date\":\"2026-01-01T00:00:00Z\","
	    "\"from\":{\"id\":\"x\",\"kind\":\"bot\"},\"text\":\"a\\u0000b\"}"),
	    &cause);
	ok(m != NULL && strcmp(m->text, "a\xef\xbf\xbd" "b") == 0 &&
	    m->text_len == 5, "NUL in text is stored as U+FFFD");

	/* Output is safe on a terminal. */
	free(m->text);
	m->text = xstrdup("\x1b]52;c;cHduZWQ=\x07 \xc2\x9b" "31m \xe2\x80\xae" "abc \x7f");
	m->text_len = strlen(m->text);
	out = json_msg_format(m);
	ok(strstr(out, "\\u001b]52") != NULL, "ESC printed as \\u001b");
	ok(strstr(out, "\\u0007") != NULL, "BEL escaped");
	ok(strstr(out, "\\u009b") != NULL, "C1 CSI escaped");
	ok(strstr(out, "\\u202e") != NULL, "bidi override escaped");
	ok(strstr(out, "\\u007f") != NULL, "DEL escaped");
	ok(strchr(out, 0x1b) == NULL && strstr(out, "\xc2\x9b") == NULL,
	    "no raw control byte left");
	m2 = json_msg_parse(out, strlen(out), &cause);
	ok(m2 != NULL && strcmp(m2->text, m->text) == 0,
	    "and it still reads back as the same text");
	msg_free(m2);
	free(out);
	msg_free(m);

	/* Message ids. */
	id = msgid_message("telegram", "7012345678", "-100123", "55");
	is_str(id, "tg.7012345678.-100123.55@ombre", "a Telegram Message-Id");
	free(id);
	id = msgid_message("matrix", "@support:example.org", "!room:ex.org",
	    "$ev.1");
	is_str(id, "mx.=40support=3Aexample=2Eorg.=21room=3Aex=2Eorg.=24ev=2E1@ombre",
	    "ids are escaped, dots too");
	free(id);
	id = msgid_thread("whatsapp", "1065", "33612345678");
	is_str(id, "conv.wa.1065.33612345678@ombre", "the synthetic thread root");
	free(id);
	id = msgid_message("mychat", "a", "b", "c");
	is_str(id, "x-mychat.a.b.c@ombre", "an unknown channel keeps its name");
	free(id);
	id = msgid_outbound();
	ok(strncmp(id, "out.", 4) == 0 && strlen(id) == 4 + 36 + 6,
	    "an outbound id is out.<uuid>@ombre");
	free(id);
	ok(tag_valid("ombre/assigned/alice") && !tag_valid("a b") &&
	    !tag_valid("") && !tag_valid("x\"y"), "tag names");

	/* Tags of a new message. */
	m = msg_new();
	m->kind = MSG_CUSTOMER;
	tags = triage_ingest_tags(m, thread_tags, &reopen);
	ok(reopen, "a customer writing reopens a done conversation");
	{
		int has_done = 0, has_inbox = 0, has_alice = 0, has_note = 0, i;
		for (i = 0; tags[i] != NULL; i++) {
			has_done |= strcmp(tags[i], "ombre/done") == 0;
			has_inbox |= strcmp(tags[i], "inbox") == 0;
			has_alice |= strcmp(tags[i], "ombre/assigned/alice") == 0;
			has_note |= strcmp(tags[i], "ombre/note") == 0;
		}
		ok(!has_done && has_inbox, "in the inbox, not done");
		ok(has_alice, "the assignee is inherited");
		ok(!has_note, "a message-level tag is not");
	}
	triage_tags_free(tags);
	m->kind = MSG_BOT;
	tags = triage_ingest_tags(m, thread_tags, &reopen);
	ok(!reopen, "a bot message does not reopen");
	triage_tags_free(tags);
	m->kind = MSG_CUSTOMER;
	msg_add_tag(m, "-inbox");
	tags = triage_ingest_tags(m, thread_tags, &reopen);
	ok(!reopen, "explicit -inbox keeps it closed");
	triage_tags_free(tags);
	msg_free(m);
	free(cause);
	/* A sent reply's delivery: written by show --json, read back. */
	{
		const char *with = "{\"channel\":\"whatsapp\",\"account\":\"1\","
		    "\"conversation\":{\"id\":\"2\"},\"id\":\"out.x\","
		    "\"date\":\"2026-11-20T10:00:00Z\",\"from\":{\"id\":\"1\","
		    "\"kind\":\"agent\"},\"text\":\"hi\",\"delivery\":\"read\","
		    "\"delivery_date\":\"2026-11-20T14:05:00+01:00\"}";
		struct msg	*e, *copy;
		char		*back, *why = NULL;

		e = json_msg_parse(with, strlen(with), &why);
		ok(e != NULL && e->delivery != NULL &&
		    strcmp(e->delivery, "read") == 0 &&
		    e->delivery_date == 1795179900,
		    "a reply's delivery and its date are read");
		back = e != NULL ? json_msg_format(e) : NULL;
		ok(back != NULL && strstr(back, "\"delivery\":\"read\","
		    "\"delivery_date\":\"2026-11-20T13:05:00Z\"") != NULL,
		    "and written back, the date in UTC");
		copy = e != NULL ? json_msg_copy(e, &why) : NULL;
		ok(copy != NULL && copy->delivery != NULL &&
		    strcmp(copy->delivery, "read") == 0 &&
		    copy->delivery_date == e->delivery_date,
		    "json_msg_copy keeps them");
		msg_free(copy);
		free(back);
		msg_free(e);
		free(why);
		expect_cause("{\"channel\":\"whatsapp\",\"account\":\"1\","
		    "\"conversation\":{\"id\":\"2\"},\"id\":\"3\","
		    "\"date\":\"2026-11-20T10:00:00Z\",\"from\":{\"id\":\"2\","
		    "\"kind\":\"agent\"},\"delivery\":\"lost\"}",
		    "field 'delivery' must be delivered or read",
		    "a delivery of no meaning is refused");
	}

	/* Telegram's entities: kept as data, round trip intact. */
	{
		const char *with = "{\"channel\":\"telegram\",\"account\":\"1\","
		    "\"conversation\":{\"id\":\"2\"},\"id\":\"3\","
		    "\"date\":\"2026-11-20T10:00:00Z\",\"from\":{\"id\":\"2\","
		    "\"kind\":\"customer\"},\"text\":\"a *b*\","
		    "\"entities\":[{\"offset\":2,\"length\":3,\"type\":\"bold\"}]}";
		struct msg	*e;
		char		*back, *why = NULL;

		e = json_msg_parse(with, strlen(with), &why);
		ok(e != NULL && e->entities != NULL &&
		    strcmp(e->entities,
		    "[{\"offset\":2,\"length\":3,\"type\":\"bold\"}]") == 0,
		    "entities are kept as compact JSON text");
		back = e != NULL ? json_msg_format(e) : NULL;
		ok(back != NULL && strstr(back, "\"entities\":[{\"offset\":2,"
		    "\"length\":3,\"type\":\"bold\"}]") != NULL &&
		    strstr(back, "\"text\":\"a *b*\"") != NULL,
		    "and written back as they came, the text untouched");
		free(back);
		msg_free(e);
		free(why);
		expect_cause("{\"channel\":\"telegram\",\"account\":\"1\","
		    "\"conversation\":{\"id\":\"2\"},\"id\":\"3\","
		    "\"date\":\"2026-11-20T10:00:00Z\",\"from\":{\"id\":\"2\","
		    "\"kind\":\"customer\"},\"text\":\"x\",\"entities\":\"bold\"}",
		    "'entities' must be an array", "entities that are no array "
		    "are refused");
	}
	test_repair();
	test_copy();
	done_testing();
	return exit_status();
}
