/*
 * t-contact.c: the pure parts of contacts (core's contact.c): a
 * conversation's identity by channel, phone numbers normalised however
 * they are written, the keys identities match by, identities an agent
 * types, language codes, merging, and the file's text written and read
 * back with hostile names and notes (line breaks, escapes, bad bytes,
 * forged lines, caps).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

static void
t_str(char *got, const char *expected, const char *what)
{
	if (expected == NULL)
		ok(got == NULL, "%s: none (got %s)", what, got != NULL ? got :
		    "NULL");
	else
		is_str(got != NULL ? got : "(null)", expected, what);
	free(got);
}

static void
test_phone(void)
{
	t_str(contact_phone_normalise("+33612345678"), "+33612345678",
	    "E.164 kept");
	t_str(contact_phone_normalise("33612345678"), "+33612345678",
	    "WhatsApp's wa_id gets its '+'");
	t_str(contact_phone_normalise("+33 6 12-34.56 78"), "+33612345678",
	    "spaces, dashes and dots dropped");
	t_str(contact_phone_normalise("0033612345678"), "+33612345678",
	    "00 is the international prefix");
	t_str(contact_phone_normalise("+1 (415) 555-0100"), "+14155550100",
	    "parentheses");
	t_str(contact_phone_normalise("06 12 34 56 78"), NULL,
	    "a national number has no country to be sure of");
	t_str(contact_phone_normalise("+33abc"), NULL, "letters");
	t_str(contact_phone_normalise("+123"), NULL, "too short");
	t_str(contact_phone_normalise("+1234567890123456"), NULL,
	    "longer than E.164");
	t_str(contact_phone_normalise(""), NULL, "empty");
}

static void
test_identity(void)
{
	char	*cause;

	t_str(contact_identity_of("telegram", "424242"), "telegram:424242",
	    "telegram: the user id");
	t_str(contact_identity_of("whatsapp", "33612345678"),
	    "whatsapp:33612345678", "whatsapp: the wa_id as given");
	t_str(contact_identity_of("sms", "+33 6 12 34 56 78"),
	    "sms:+33612345678", "sms: the number normalised");
	t_str(contact_identity_of("email", "Amelie@Example.COM"),
	    "email:amelie@example.com", "email: lower case");
	t_str(contact_identity_of("email", "not an address"), NULL,
	    "email: not an address");
	t_str(contact_identity_of("matrix", "@a:hs.org"), "matrix:@a:hs.org",
	    "matrix: the user id");
	t_str(contact_identity_of("telegram", ""), NULL, "an empty id");
	t_str(contact_identity_of("telegram", "a b"), NULL, "a space");
	t_str(contact_identity_of("line", "U\"x"), NULL, "a quote");
	t_str(contact_identity_of("line", "U\x1b[2J"), NULL, "an escape");

	t_str(contact_identity_key("whatsapp:33612345678"),
	    "phone:+33612345678", "whatsapp's key is its phone");
	t_str(contact_identity_key("sms:+33612345678"), "phone:+33612345678",
	    "sms's key is the same phone");
	t_str(contact_identity_key("phone:0033612345678"),
	    "phone:+33612345678", "a phone typed by hand");
	t_str(contact_identity_key("email:a@b.fr"), "email:a@b.fr",
	    "an e-mail is its own key");
	t_str(contact_identity_key("telegram:424242"), NULL,
	    "a telegram id matches nothing elsewhere");

	t_str(contact_identity_parse("phone:+33 6 12 34 56 78", &cause),
	    "phone:+33612345678", "typed phone");
	t_str(contact_identity_parse("whatsapp:+33612345678", &cause),
	    "whatsapp:33612345678", "typed whatsapp: no '+'");
	t_str(contact_identity_parse("email:A@B.FR", &cause), "mail:a@b.fr",
	    "typed e-mail: mail:, a key, not the channel's identity");
	t_str(contact_identity_key("mail:a@b.fr"), "email:a@b.fr",
	    "mail: matches e-mail conversations");
	t_str(contact_identity_parse("amelie", &cause), NULL, "no kind");
	ok(cause != NULL && strstr(cause, "KIND:VALUE") != NULL,
	    "the cause says the form");
	free(cause);
	t_str(contact_identity_parse("phone:06", &cause), NULL,
	    "a short phone");
	free(cause);
	t_str(contact_identity_parse("Telegram:1", &cause), NULL,
	    "a kind in capitals");
	free(cause);

	t_str(contact_lang_normalise("fr-FR"), "fr", "fr-FR");
	t_str(contact_lang_normalise("EN"), "en", "EN");
	t_str(contact_lang_normalise("pt_BR"), "pt", "pt_BR");
	t_str(contact_lang_normalise("f"), NULL, "one letter");
	t_str(contact_lang_normalise("fr;rm"), NULL, "junk after");
}

static void
test_merge(void)
{
	struct contact	*a, *b;

	a = contact_new(NULL);
	ok(contact_id_valid(a->id), "a new id is valid (%s)", a->id);
	ok(!contact_id_valid("c-XYZ"), "a bad id");
	ok(!contact_id_valid("c-0123456789ABCDEF"), "capitals");
	b = contact_new("c-0123456789abcdef");
	ok(contact_add_identity(a, "telegram:1"), "an identity added");
	ok(!contact_add_identity(a, "telegram:1"), "not twice");
	ok(!contact_add_identity(a, "bad identity"), "a bad one refused");
	contact_add_identity(b, "whatsapp:33612345678");
	contact_add_identity(b, "telegram:1");
	contact_add_note(b, "VIP");
	contact_add_label(b, "vip");
	contact_set_name(b, "Amélie");
	b->lang = xstrdup("fr");
	contact_add_note(a, "VIP");
	contact_merge(a, b);
	is_int((long long)a->n_identities, 2, "merged identities, once each");
	is_int((long long)a->n_notes, 1, "the same note once");
	is_str(a->name, "Amélie", "the name taken where there was none");
	is_str(a->lang, "fr", "the language too");
	ok(contact_remove_identity(a, "telegram:1") &&
	    !contact_has_identity(a, "telegram:1") && a->n_identities == 1 &&
	    a->identities[1] == NULL, "an identity removed");
	contact_free(a);
	contact_free(b);
}

static void
test_format(void)
{
	struct contact	*c, *r;
	char		*text, *cause, *big;
	size_t		 i;
	const char	*forged = "id: c-0000000000000000\nname: Mallory\n"
	    "identity: telegram:666";
	static const char nul[] = "id: c-2222222222222222\nnote: a\0b\n";

	c = contact_new("c-5f0e3a9b2c4d1e77");
	contact_set_name(c, "Amélie \"Am\" Martin\nidentity: telegram:666");
	c->lang = xstrdup("fr");
	contact_add_identity(c, "telegram:424242");
	contact_add_identity(c, "email:amelie@example.com");
	contact_add_label(c, "vip");
	contact_add_note(c, "refunded once in March");
	contact_add_note(c, forged);
	contact_add_note(c, "a\\nb \\ c\r\x1b[31mred");
	text = contact_format(c);
	ok(strstr(text, "\nidentity: telegram:666") == NULL,
	    "a name's line break cannot forge an identity line");
	ok(strncmp(text, "id: c-5f0e3a9b2c4d1e77\n", 23) == 0,
	    "the id comes first");
	r = contact_parse(text, strlen(text), &cause);
	ok(r != NULL, "read back");
	if (r == NULL) {
		free(cause);
		return;
	}
	is_str(r->id, c->id, "id round-trip");
	is_str(r->name, c->name, "hostile name round-trip");
	is_str(r->lang, "fr", "lang round-trip");
	is_int((long long)r->n_identities, 2, "only the real identities");
	ok(!contact_has_identity(r, "telegram:666"), "none forged");
	is_int((long long)r->n_notes, 3, "notes");
	is_str(r->notes[1], forged, "a note of several lines round-trip");
	is_str(r->notes[2], c->notes[2], "backslashes, CR and ESC round-trip");
	is_str(r->labels[0], "vip", "label");
	contact_free(r);
	free(text);

	/* Untrusted files: junk, bad bytes, no id, caps. */
	r = contact_parse("junk\n\n:::\nname: x", 19, &cause);
	ok(r == NULL && cause != NULL, "no id: refused with a cause");
	free(cause);
	text = xstrdup("id: c-1111111111111111\nname: \xff\xfe\n"
	    "identity: bad one\nidentity: line:U1\nlang: 1x\n"
	    "note: ok");
	r = contact_parse(text, strlen(text), &cause);
	ok(r != NULL && r->name == NULL, "a name of bad bytes dropped");
	ok(r != NULL && r->n_identities == 1, "a bad identity dropped");
	ok(r != NULL && r->lang == NULL, "a bad language dropped");
	contact_free(r);
	free(text);
	r = contact_parse(nul, sizeof nul - 1, &cause);
	ok(r != NULL && r->n_notes == 1 && strlen(r->notes[0]) == 5,
	    "a NUL in a note becomes U+FFFD");
	contact_free(r);
	for (i = 0; i < 100; i++) {
		big = xasprintf("telegram:%zu", i);
		contact_add_identity(c, big);
		free(big);
		contact_add_note(c, "note");
	}
	ok(c->n_identities == 64, "identities capped at 64 (%zu)",
	    c->n_identities);
	ok(c->n_notes == 64 && strcmp(c->notes[63], "note") == 0,
	    "notes capped at 64, the newest kept");
	big = xmalloc(5000);
	memset(big, 'x', 4999);
	big[4999] = '\0';
	contact_add_note(c, big);
	ok(strlen(c->notes[63]) == 1000, "a long note cut to 1000 bytes");
	free(big);
	contact_free(c);
}

/* The bot's variant in the customer's language (bot.c). */
static void
test_bot_language(void)
{
	char	*answers[2], *cause = NULL;

	answers[0] = xstrdup("ok");
	answers[1] = NULL;
	bot_reset();
	ok(bot_add_answer("shop-fr", "x", answers, 1, &cause) == 0 &&
	    bot_add_answer("shop-en", "x", answers, 1, &cause) == 0 &&
	    bot_add_answer("faq", "x", answers, 1, &cause) == 0,
	    "three bots");
	is_str(bot_for_language("shop-fr", "en"), "shop-en",
	    "shop-fr answers an English customer as shop-en");
	is_str(bot_for_language("shop-fr", "fr"), "shop-fr", "as itself");
	is_str(bot_for_language("shop-fr", "de"), "shop-fr",
	    "no German sibling: as itself");
	is_str(bot_for_language("shop-fr", NULL), "shop-fr",
	    "no language known");
	is_str(bot_for_language("faq", "en"), "faq", "a bot with no variants");
	bot_reset();
	free(answers[0]);
	free(cause);
}

int
main(void)
{
	log_set_progname("t-contact");
	test_phone();
	test_identity();
	test_merge();
	test_format();
	test_bot_language();
	done_testing();
	return exit_status();
}
