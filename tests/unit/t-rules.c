/*
 * t-rules.c: handoff rules and the built-in bot, through the command
 * language as a config file would say them: text folding (case, accents,
 * ligatures, typographic apostrophes), every default rule on French and
 * English phrases and near misses, bad regexes, handoff-rule clear and its
 * counts, and the bot's answers in turn, fallbacks, handoff, greeting,
 * business hours across a change of summer time, scenarios; crisis mode's
 * pure parts (a topic as a query, DATA/crisis's text, the crisis's bot
 * over bot-scenario, vary=yes phrasings spread over customers, the crisis
 * command on a host kept in memory).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

static struct buf	t_out;
static struct buf	t_err;
static struct cmd_ctx	t_ctx;

static void
t_print(struct cmd_ctx *ctx, const char *text)
{
	(void)ctx;
	buf_add_str(&t_out, text);
	buf_add_char(&t_out, '\n');
}

static void
t_error(struct cmd_ctx *ctx, const char *text)
{
	(void)ctx;
	buf_add_str(&t_err, text);
	buf_add_char(&t_err, '\n');
}

/* Empty the output and give the context its initial state. */
static void
t_reset(void)
{
	buf_free(&t_out);
	buf_free(&t_err);
	buf_init(&t_out);
	buf_init(&t_err);
	memset(&t_ctx, 0, sizeof t_ctx);
	t_ctx.print = t_print;
	t_ctx.error = t_error;
}

static const char *
t_output(void)
{
	return t_out.len != 0 ? t_out.data : "";
}

static const char *
t_errors(void)
{
	return t_err.len != 0 ? t_err.data : "";
}

/* After a test: the errors of the commands, when it failed. */
static int	t_seen_failed;

static void
t_why(void)
{
	if (tap_failed != t_seen_failed)
		diag("%s", t_errors());
	t_seen_failed = tap_failed;
}

/* Run commands; return what they returned, output and errors kept. */
static enum cmd_retval
t_run(const char *text)
{
	t_reset();
	return cmd_run_string(&t_ctx, text);
}

static void
t_fold(const char *in, const char *expected)
{
	char	*got = text_fold(in, strlen(in));

	is_str(got, expected, in);
	free(got);
}

static void
test_fold(void)
{
	char	*folded;

	t_fold("École ÉTÉ", "ecole ete");
	t_fold("ŒUVRE œuf Æther", "oeuvre oeuf aether");
	t_fold("quelqu’un", "quelqu'un");
	t_fold("Straße", "strasse");
	t_fold("STRAẞE", "strasse");
	folded = text_fold("a\0B", 3);
	is_str(folded, "a?b", "NUL folded, not an end");
	free(folded);
	t_fold("ÇA ça", "ca ca");
	t_fold("àâä îï ôö ùûü ÿŸ ñÑ", "aaa ii oo uuu yy nn");
	t_fold("Łódź Čapek", "lodz capek");
	t_fold("e\xcc\x81t\xc3\xa9", "ete");		/* NFD then NFC */
	t_fold("a\xff" "b\xc3", "a?b?");		/* bytes that are not UTF-8 */
	t_fold("\xef\xbf\xbd", "\xef\xbf\xbd");	/* a real U+FFFD is kept */
	t_fold("Привет", "Привет");			/* other scripts as they are */
	t_fold("«\xc2\xa0oui\xc2\xa0»", "«\x20oui\x20»");
}

/* Does a customer's text match, and with which reason? */
static void
t_customer(const char *text, int expected)
{
	struct rule_match	m;
	int			got;

	memset(&m, 0, sizeof m);
	got = rules_match_customer(text, strlen(text), &m);
	ok(got == expected, "customer %s: %s", expected ? "asks" : "does not ask",
	    text);
	if (got != expected && got)
		diag("matched %s", m.pattern);
}

static void
t_bot(const char *text, int expected)
{
	int	got = rules_match_bot(text, strlen(text), NULL);

	ok(got == expected, "bot %s: %s", expected ? "hands off" :
	    "does not hand off", text);
}

static void
test_defaults(void)
{
	struct rule_match	m;
	static const char *const asks[] = {
		"Je veux parler à un humain !",
		"UN HUMAIN SVP",
		"des humains, vite",
		"Passez-moi un conseiller",
		"je veux une conseillère",
		"je voudrais une vraie personne",
		"Une VRAIE personne svp",
		"Puis-je parler à quelqu'un ?",
		"PARLER A QUELQU’UN",
		"parler avec quelqu'un",
		"je veux un agent",
		"I want a human",
		"HUMAN PLEASE",
		"agent",
		"Agent!",
		"can I talk to a real person",
		"Real human please",
		"representative",
		"Let me speak to someone",
		"I'd like to speak with somebody",
		"talk to a human now"
	};
	static const char *const not_asks[] = {
		"Quel est votre agenda ?",
		"une association humanitaire",
		"l'humanité",
		"je vous conseille la taille M",
		"personne ne répond",
		"management agency",
		"where is my parcel",
		"bonjour",
		"reagent"
	};
	static const char *const bot_says[] = {
		"Je vous passe un conseiller.",
		"JE VOUS PASSE UNE CONSEILLÈRE",
		"Un conseiller va vous répondre très vite",
		"Une conseillère va vous repondre",
		"I'm transferring you to an agent",
		"I will transfer you to an agent now",
		"Connecting you with an agent...",
		"connecting you to a human"
	};
	static const char *const bot_not_says[] = {
		"Je vous conseille de redémarrer",
		"Our agents are busy",
		"Nous sommes ouverts de 9 h à 18 h"
	};
	size_t	i;

	rules_reset();
	for (i = 0; i < nitems(asks); i++)
		t_customer(asks[i], 1);
	for (i = 0; i < nitems(not_asks); i++)
		t_customer(not_asks[i], 0);
	for (i = 0; i < nitems(bot_says); i++)
		t_bot(bot_says[i], 1);
	for (i = 0; i < nitems(bot_not_says); i++)
		t_bot(bot_not_says[i], 0);

	ok(rules_match_customer("un humain", 9, &m) &&
	    strcmp(m.reason, "the customer asked for a person") == 0 &&
	    !m.high && m.pattern != NULL, "a customer rule's default reason");
	ok(rules_match_bot("je vous passe un conseiller", 27, &m) &&
	    strcmp(m.reason, "the bot handed off") == 0,
	    "a bot rule's default reason");
	is_int(rules_fallbacks(), 2, "2 fallbacks by default");
	is_int(rules_wait(), 0, "no wait rule by default");
	ok(!rules_match_customer("human", 5, NULL) == 0,
	    "a NULL match is allowed");
}

static void
test_rules_commands(void)
{
	struct rule_match	 m;
	const char		*text = "remboursement";

	rules_reset();
	is_int(t_run("handoff-rule customer '(^|[^a-z])rembours' "
	    "reason='wants a refund' priority=high"), CMD_NORMAL,
	    "a customer rule with reason and priority");
	ok(rules_match_customer(text, strlen(text), &m) &&
	    strcmp(m.reason, "wants a refund") == 0 && m.high &&
	    strcmp(m.pattern, "(^|[^a-z])rembours") == 0,
	    "it matches with its reason and priority");
	text = "REMBOURSÉ";
	ok(rules_match_customer(text, strlen(text), NULL),
	    "upper case and accents");

	is_int(t_run("handoff-rule customer 'a(b'"), CMD_ERROR,
	    "a bad regex refused");
	ok(strstr(t_errors(), "handoff-rule: bad regex 'a(b': ") != NULL,
	    "the error names the regex");
	t_why();
	text = "a(b";
	ok(!rules_match_customer(text, strlen(text), NULL), "nothing added");
	is_int(t_run("handoff-rule customer x reason="), CMD_ERROR,
	    "an empty reason refused");
	is_int(t_run("handoff-rule customer x priority=urgent"), CMD_ERROR,
	    "an unknown priority refused");
	is_int(t_run("handoff-rule bot x priority=high"), CMD_ERROR,
	    "priority=high on a bot rule refused");
	is_int(t_run("handoff-rule nobody x"), CMD_ERROR, "an unknown kind");
	ok(strncmp(t_errors(), "usage: handoff-rule ", 20) == 0,
	    "with the usage line");
	is_int(t_run("handoff-rule customer"), CMD_ERROR, "a missing regex");

	is_int(t_run("handoff-rule fallbacks 3; handoff-rule wait 10m"),
	    CMD_NORMAL, "fallbacks and wait set");
	is_int(rules_fallbacks(), 3, "3 fallbacks");
	is_int(rules_wait(), 600, "10m is 600 s");
	t_run("handoff-rule wait 90s");
	is_int(rules_wait(), 90, "90s");
	t_run("handoff-rule wait 1h");
	is_int(rules_wait(), 3600, "1h");
	t_run("handoff-rule wait 45");
	is_int(rules_wait(), 45, "seconds without a unit");
	is_int(t_run("handoff-rule wait 10x"), CMD_ERROR, "a bad unit");
	is_int(t_run("handoff-rule wait -5m"), CMD_ERROR, "a negative wait");
	is_int(t_run("handoff-rule wait 31d"), CMD_ERROR, "over 30 days");
	is_int(rules_wait(), 45, "a bad wait changes nothing");
	is_int(t_run("handoff-rule fallbacks two"), CMD_ERROR, "a bad count");
	is_int(t_run("handoff-rule fallbacks 2 3"), CMD_ERROR,
	    "too many words");
	is_int(t_run("handoff-rule clear now"), CMD_ERROR,
	    "clear takes nothing");

	t_run("handoff-rule wait 1h; list-handoff-rules");
	ok(strncmp(t_output(), "handoff-rule customer (^|[^a-z])humaine?s?"
	    "([^a-z]|$)\n", 50) == 0, "the defaults listed as commands");
	ok(strstr(t_output(), "\nhandoff-rule customer (^|[^a-z])rembours "
	    "'reason=wants a refund' priority=high\n") != NULL,
	    "a rule listed with reason and priority");
	ok(strstr(t_output(), "\nhandoff-rule fallbacks 3\nhandoff-rule wait "
	    "1h\n") != NULL, "the counts listed last");

	is_int(t_run("handoff-rule clear"), CMD_NORMAL, "clear");
	text = "je veux un humain";
	ok(!rules_match_customer(text, strlen(text), NULL),
	    "no default after clear");
	is_int(rules_fallbacks(), 0, "no fallbacks rule after clear");
	is_int(rules_wait(), 0, "no wait rule after clear");
	t_run("list-handoff-rules");
	is_str(t_output(), "", "nothing to list");

	t_run("handoff-rule customer 'parler à quelqu.un' 'reason=a person'");
	text = "PARLER A QUELQU’UN";
	ok(rules_match_customer(text, strlen(text), &m) &&
	    strcmp(m.reason, "a person") == 0,
	    "an accented rule matches text typed without accents");
	t_run("list-handoff-rules");
	is_str(t_output(), "handoff-rule customer 'parler à quelqu.un' "
	    "'reason=a person'\n", "listed as written");

	/* What list-handoff-rules prints makes the same rules again. */
	rules_reset();
	t_run("handoff-rule customer 'it'\\''s' reason=\"it's\"; "
	    "handoff-rule wait 90s; list-handoff-rules");
	{
		char	*listed = xstrdup(t_output());

		rules_clear();
		is_int(t_run(listed), CMD_NORMAL, "the listing runs");
		t_run("list-handoff-rules");
		is_str(t_output(), listed, "and lists the same");
		free(listed);
	}
	rules_reset();
}

/* A reply's kind and text, freed. */
static void
t_reply(struct bot_reply *r, enum bot_reply_kind kind, const char *text,
    const char *name)
{
	if (!ok(r->kind == kind, "%s: kind %d", name, (int)kind))
		diag("got kind %d", (int)r->kind);
	is_str(r->text, text, name);
	bot_reply_free(r);
}

static void
test_bot(void)
{
	struct bot_state	 st;
	struct bot_reply	 r;
	int			 answered[2] = { 0, 0 };
	const char		*t;

	bot_reset();
	rules_reset();
	is_int(t_run("bot-answer faq 'horaire|heure|ouvert' "
	    "'Nous sommes ouverts de 9 h à 18 h.' "
	    "'Notre service répond de 9 h à 18 h.' 'Troisième.'"), CMD_NORMAL,
	    "bot-answer");
	is_int(t_run("bot-answer faq 'livraison|colis' "
	    "'Bonjour {{customer.first_name}}, votre colis arrive.'"),
	    CMD_NORMAL, "a second pattern");
	is_int(t_run("bot-fallback faq 'Pouvez-vous reformuler ?' "
	    "'Je n’ai pas compris.'"), CMD_NORMAL, "bot-fallback");
	ok(bot_exists("faq") && !bot_exists("nope"), "bot_exists");

	memset(&st, 0, sizeof st);
	st.answered = answered;
	st.n_answered = nitems(answered);
	t = "Vous êtes OUVERTS quand ?";
	bot_decide("faq", t, strlen(t), 0, &st, &r);
	is_int(r.pattern, 0, "the first pattern");
	ok(r.greeting == NULL && r.reason == NULL, "no greeting, no reason");
	t_reply(&r, BOT_ANSWER, "Nous sommes ouverts de 9 h à 18 h.",
	    "the first answer");
	answered[0] = 1;
	bot_decide("faq", t, strlen(t), 0, &st, &r);
	t_reply(&r, BOT_ANSWER, "Notre service répond de 9 h à 18 h.",
	    "the second time, the second answer");
	answered[0] = 2;
	bot_decide("faq", t, strlen(t), 0, &st, &r);
	t_reply(&r, BOT_ANSWER, "Troisième.", "the third");
	answered[0] = 3;
	bot_decide("faq", t, strlen(t), 0, &st, &r);
	t_reply(&r, BOT_ANSWER, "Nous sommes ouverts de 9 h à 18 h.",
	    "then the first again");
	t = "où est mon COLIS";
	bot_decide("faq", t, strlen(t), 0, &st, &r);
	is_int(r.pattern, 1, "the second pattern");
	t_reply(&r, BOT_ANSWER,
	    "Bonjour {{customer.first_name}}, votre colis arrive.",
	    "variables left for the caller");

	t = "blabla";
	bot_decide("faq", t, strlen(t), 0, &st, &r);
	is_int(r.pattern, -1, "no pattern");
	t_reply(&r, BOT_FALLBACK, "Pouvez-vous reformuler ?",
	    "no handoff text: a fallback even past rules_fallbacks()");
	st.fallbacks = 1;
	st.misses = 1;
	bot_decide("faq", t, strlen(t), 0, &st, &r);
	t_reply(&r, BOT_FALLBACK, "Je n’ai pas compris.",
	    "the fallbacks in turn");
	st.fallbacks = 2;
	bot_decide("faq", t, strlen(t), 0, &st, &r);
	t_reply(&r, BOT_FALLBACK, "Pouvez-vous reformuler ?", "and round");

	/* Handoff after rules_fallbacks() misses (2), then after=3. */
	is_int(t_run("bot-handoff faq 'Je vous passe un conseiller.'"),
	    CMD_NORMAL, "bot-handoff");
	st.misses = 0;
	st.fallbacks = 0;
	bot_decide("faq", t, strlen(t), 0, &st, &r);
	t_reply(&r, BOT_FALLBACK, "Pouvez-vous reformuler ?",
	    "the first miss: a fallback");
	st.misses = 1;
	bot_decide("faq", t, strlen(t), 0, &st, &r);
	is_str(r.reason, "the bot did not understand 2 times", "the reason");
	t_reply(&r, BOT_HANDOFF, "Je vous passe un conseiller.",
	    "the second miss hands off");
	ok(rules_match_bot("Je vous passe un conseiller.", 28, NULL),
	    "which a default bot rule knows too");
	t_run("bot-handoff faq after=3 'Un instant.'");
	bot_decide("faq", t, strlen(t), 0, &st, &r);
	t_reply(&r, BOT_FALLBACK, "Pouvez-vous reformuler ?",
	    "after=3: the second miss is a fallback");
	st.misses = 2;
	bot_decide("faq", t, strlen(t), 0, &st, &r);
	t_reply(&r, BOT_HANDOFF, "Un instant.", "the third hands off");
	is_int(t_run("bot-handoff faq after=0 x"), CMD_ERROR, "after=0");
	is_int(t_run("bot-handoff faq later=2 x"), CMD_ERROR, "later=2");
	is_int(t_run("bot-handoff faq after=2"), CMD_ERROR,
	    "after=2 without a text");

	/* A bot with a handoff and no fallback; one with neither. */
	t_run("bot-answer solo 'prix' 'Dix euros.'; bot-handoff solo 'Humain.'");
	st.misses = 0;
	bot_decide("solo", t, strlen(t), 0, &st, &r);
	t_reply(&r, BOT_NONE, NULL, "no fallback: nothing on the first miss");
	st.misses = 1;
	bot_decide("solo", t, strlen(t), 0, &st, &r);
	t_reply(&r, BOT_HANDOFF, "Humain.", "and hands off on the second");
	t_run("bot-answer mute 'prix' 'Dix euros.'");
	st.misses = 5;
	bot_decide("mute", t, strlen(t), 0, &st, &r);
	t_reply(&r, BOT_NONE, NULL, "neither: nothing");
	bot_decide("nope", t, strlen(t), 0, &st, &r);
	t_reply(&r, BOT_NONE, NULL, "no such bot");
	bot_decide("mute", "PRIX ?", 6, 0, NULL, &r);
	t_reply(&r, BOT_ANSWER, "Dix euros.", "a NULL state");

	/* The greeting comes first on the first message only. */
	t_run("bot-greeting faq 'Bonjour ! Je suis l’assistant.'");
	st.first = 1;
	st.misses = 0;
	t = "horaires ?";
	bot_decide("faq", t, strlen(t), 0, &st, &r);
	is_str(r.greeting, "Bonjour ! Je suis l’assistant.",
	    "the greeting on the first message");
	bot_reply_free(&r);
	st.first = 0;
	bot_decide("faq", t, strlen(t), 0, &st, &r);
	ok(r.greeting == NULL, "not on the next");
	bot_reply_free(&r);

	is_int(t_run("bot-answer faq '(' x"), CMD_ERROR, "a bad regex");
	ok(strstr(t_errors(), "bot-answer faq: bad regex '(': ") != NULL,
	    "named");
	t_why();
	is_int(t_run("bot-answer 'a b' x y"), CMD_ERROR, "a bad bot name");
	is_int(t_run("bot-answer faq x"), CMD_ERROR, "no answer: usage");
	ok(strncmp(t_errors(), "usage: bot-answer", 17) == 0, "said so");
}

static void
test_hours(void)
{
	struct bot_reply	 r;
	const char		*t = "horaires ?";
	const char		*closed = "Nous sommes fermés.";
	char			*old_tz;

	bot_reset();
	old_tz = getenv("TZ") != NULL ? xstrdup(getenv("TZ")) : NULL;
	setenv("TZ", "UTC", 1);
	is_int(t_run("bot-answer faq horaire 'De 9 h à 18 h.'; "
	    "bot-hours faq 'mon-sat 09:00-18:00 Europe/Paris' "
	    "'Nous sommes fermés.'"), CMD_NORMAL, "bot-hours");
	t_why();

	/* Sunday 2026-01-04 10:00 CET. */
	bot_decide("faq", t, strlen(t), 1767517200, NULL, &r);
	t_reply(&r, BOT_CLOSED, closed, "closed on Sunday at 10:00");
	/* Monday 2026-01-05 10:00 CET, 08:59, 18:00. */
	bot_decide("faq", t, strlen(t), 1767603600, NULL, &r);
	t_reply(&r, BOT_ANSWER, "De 9 h à 18 h.", "open on Monday at 10:00");
	bot_decide("faq", t, strlen(t), 1767599940, NULL, &r);
	t_reply(&r, BOT_CLOSED, closed, "closed at 08:59");
	bot_decide("faq", t, strlen(t), 1767632400, NULL, &r);
	t_reply(&r, BOT_CLOSED, closed, "closed at 18:00");
	/* 07:30 UTC: 08:30 CET on 2026-03-23, 09:30 CEST a week later. */
	bot_decide("faq", t, strlen(t), 1774251000, NULL, &r);
	t_reply(&r, BOT_CLOSED, closed, "07:30 UTC closed before summer time");
	bot_decide("faq", t, strlen(t), 1774855800, NULL, &r);
	t_reply(&r, BOT_ANSWER, "De 9 h à 18 h.",
	    "07:30 UTC open after summer time");
	/* 2026-10-26, winter again: 16:30 UTC is 17:30, 17:30 UTC 18:30. */
	bot_decide("faq", t, strlen(t), 1793032200, NULL, &r);
	t_reply(&r, BOT_ANSWER, "De 9 h à 18 h.", "17:30 CET open");
	bot_decide("faq", t, strlen(t), 1793035800, NULL, &r);
	t_reply(&r, BOT_CLOSED, closed, "18:30 CET closed");
	is_str(getenv("TZ"), "UTC", "TZ put back");

	/* Two periods and French day names, local time (UTC here). */
	is_int(t_run("bot-hours faq 'lun-ven 09:00-12:00 sam,dim "
	    "10:00-11:00' Fermé."), CMD_NORMAL, "two periods, local time");
	bot_decide("faq", t, strlen(t), 1767517200, NULL, &r);	/* Sun 09:00 UTC */
	t_reply(&r, BOT_CLOSED, "Fermé.", "Sunday 09:00 UTC closed");
	bot_decide("faq", t, strlen(t), 1767517200 + 3600, NULL, &r);
	t_reply(&r, BOT_ANSWER, "De 9 h à 18 h.", "Sunday 10:00 UTC open");

	is_int(t_run("bot-hours faq 'mon-sat 09:00-18:00 Mars/Olympus' x"),
	    CMD_ERROR, "an unknown zone");
	ok(strstr(t_errors(), "unknown time zone 'Mars/Olympus'") != NULL,
	    "named");
	t_why();
	is_int(t_run("bot-hours faq 'mon-sat 09:00-18:00 ../../etc/passwd' x"),
	    CMD_ERROR, "a path for a zone");
	is_int(t_run("bot-hours faq 'mon-funday 09:00-18:00' x"), CMD_ERROR,
	    "an unknown day");
	ok(strstr(t_errors(), "unknown day 'mon-funday'") != NULL,
	    "named");
	t_why();
	is_int(t_run("bot-hours faq 'mon-sat 9h-18h' x"), CMD_ERROR,
	    "bad hours");
	is_int(t_run("bot-hours faq 'mon-sat 18:00-09:00' x"), CMD_ERROR,
	    "hours backwards");
	is_int(t_run("bot-hours faq 'mon-sat' x"), CMD_ERROR, "days alone");
	is_int(t_run("bot-hours faq '' x"), CMD_ERROR, "empty");
	is_int(t_run("bot-hours faq 'mon 25:00-26:00' x"), CMD_ERROR,
	    "25:00");
	ok(t_run("bot-hours faq 'mon-sun 00:00-24:00' x") == CMD_NORMAL,
	    "all day long");
	bot_decide("faq", t, strlen(t), 1767517200, NULL, &r);
	t_reply(&r, BOT_ANSWER, "De 9 h à 18 h.", "open");

	if (old_tz != NULL)
		setenv("TZ", old_tz, 1);
	else
		unsetenv("TZ");
	free(old_tz);
}

static void
test_scenario(void)
{
	struct bot_reply	 r;
	char			*listed;

	bot_reset();
	t_run("bot-answer faq prix 'Dix euros.'; "
	    "bot-answer crisis '.' 'Nous avons un incident en cours.'");
	is_str(bot_for_channel("faq"), "faq", "the channel's own bot");
	ok(bot_for_channel(NULL) == NULL, "no bot= no bot");
	ok(bot_for_channel("later") == NULL, "an unknown bot= is none");
	is_int(t_run("bot-scenario"), CMD_NORMAL, "bot-scenario shows");
	is_str(t_output(), "-\n", "none");
	is_int(t_run("bot-scenario crisis"), CMD_NORMAL, "bot-scenario crisis");
	is_str(bot_scenario(), "crisis", "in force");
	is_str(bot_for_channel("faq"), "crisis", "in place of the channel's");
	ok(bot_for_channel(NULL) == NULL,
	    "not on a channel without a built-in bot");
	bot_decide(bot_for_channel("faq"), "prix", 4, 0, NULL, &r);
	t_reply(&r, BOT_ANSWER, "Nous avons un incident en cours.",
	    "the crisis bot answers");
	t_run("bot-scenario");
	is_str(t_output(), "crisis\n", "shown");
	is_int(t_run("bot-scenario nope"), CMD_ERROR, "an unknown bot");
	is_str(t_errors(), "bot-scenario: no bot nope\n", "said so");
	is_str(bot_scenario(), "crisis", "the scenario stays");

	t_run("bot-greeting faq Bonjour.; bot-fallback faq 'Pardon ?'; "
	    "bot-handoff faq after=2 'Un conseiller arrive.'; "
	    "bot-hours faq 'mon-fri 09:00-18:00' 'Fermé.'; list-bots");
	listed = xstrdup(t_output());
	is_str(listed, "bot-greeting faq Bonjour.\n"
	    "bot-answer faq prix 'Dix euros.'\n"
	    "bot-fallback faq 'Pardon ?'\n"
	    "bot-handoff faq after=2 'Un conseiller arrive.'\n"
	    "bot-hours faq 'mon-fri 09:00-18:00' Fermé.\n"
	    "bot-answer crisis . 'Nous avons un incident en cours.'\n"
	    "bot-scenario crisis\n", "list-bots");
	bot_reset();
	is_int(t_run(listed), CMD_NORMAL, "what list-bots prints runs");
	t_run("list-bots");
	is_str(t_output(), listed, "and makes the same bots");
	free(listed);

	is_int(t_run("bot-scenario -"), CMD_NORMAL, "bot-scenario -");
	ok(bot_scenario() == NULL, "no scenario");
	is_str(bot_for_channel("faq"), "faq", "each channel's own again");
	bot_reset();
	ok(!bot_exists("faq") && bot_scenario() == NULL, "bot_reset forgets");
}

/* Every command is a row of the table, with its usage. */
static void
test_rows(void)
{
	static const char *const names[] = {
		"handoff-rule", "list-handoff-rules", "bot-answer",
		"bot-fallback", "bot-handoff", "bot-hours", "bot-greeting",
		"bot-scenario", "list-bots"
	};
	size_t	i;

	for (i = 0; i < nitems(names); i++) {
		ok(cmd_find(names[i]) != NULL &&
		    strncmp(cmd_find(names[i])->usage, names[i],
		    strlen(names[i])) == 0, "a row for %s", names[i]);
	}
	t_run("list-commands");
	ok(strstr(t_output(), "\nhandoff-rule customer|bot REGEX") != NULL,
	    "list-commands shows handoff-rule");
	is_int(t_run("bot-hours faq x"), CMD_ERROR, "too few arguments");
	is_str(t_errors(), "usage: bot-hours NAME SPEC TEXT\n", "usage");
}

/* crisis's host for the tests: the data dir's crisis kept in memory. */
static struct crisis	*t_crisis_file;
static int		 t_crisis_sets;

static int
t_host_crisis(void *data, int set, const struct crisis *c,
    struct crisis **in_force, char **cause)
{
	(void)data;
	(void)cause;
	if (set) {
		crisis_free(t_crisis_file);
		t_crisis_file = c != NULL ? crisis_copy(c) : NULL;
		t_crisis_sets++;
	}
	*in_force = t_crisis_file != NULL ? crisis_copy(t_crisis_file) : NULL;
	return 0;
}

/* Crisis mode's pure parts: the topic as a query, DATA/crisis's text,
 * the bot a channel answers with, the phrasings varied, the command. */
static void
test_crisis(void)
{
	struct cmd_host		 host;
	struct crisis		 c, *back;
	struct bot_state	 st;
	struct bot_reply	 r;
	char			*q, *text, *cause, id[64], *first;
	char			 wa[] = "whatsapp", sms[] = "sms-fr";
	char			*chans[] = { wa, sms, NULL };
	size_t			 counts[3] = { 0, 0, 0 }, i, k;
	int			 seen;

	q = crisis_query("Livraison en retard, colis abîmé");
	is_str(q, "Kind:customer and (livraison or retard or colis or "
	    "abîmé or abime)", "a topic's words, as typed and folded");
	free(q);
	q = crisis_query("les colis ET les COLIS");
	is_str(q, "Kind:customer and (colis)", "stop words out, once each");
	free(q);
	q = crisis_query("tag:inbox) or (id:\"x\" not");
	is_str(q, "Kind:customer and (tag or inbox)",
	    "nothing of the query language gets through");
	free(q);
	ok(crisis_query("le de la et ou") == NULL, "no word left: no query");
	ok(crisis_topic_valid("colis\033[2J", &cause) == -1, "a control "
	    "character refused");
	is_str(cause, "the topic has a control character", "said so");
	free(cause);

	memset(&c, 0, sizeof c);
	c.topic = xstrdup("panne réseau");
	c.since = 1795168800;
	c.scenario = xstrdup("crisis");
	c.agent = xstrdup("ana");
	c.channels = chans;
	text = crisis_format(&c);
	is_str(text, "topic panne réseau\nsince 1795168800\nscenario crisis\n"
	    "agent ana\nchannels whatsapp sms-fr\n", "DATA/crisis's text");
	back = crisis_parse(text, &cause);
	ok(back != NULL && strcmp(back->topic, c.topic) == 0 &&
	    back->since == c.since &&
	    strcmp(back->channels[1], "sms-fr") == 0 &&
	    back->channels[2] == NULL, "read back");
	free(text);
	text = crisis_status_text(back, c.since + 60);
	is_str(text, "CRISIS: panne réseau (since 10:00)", "the status line");
	free(text);
	ok(crisis_parse("since 12\n", &cause) == NULL, "no topic, no crisis");
	free(cause);
	ok(crisis_parse("topic colis\033]0;x\007\n", &cause) == NULL,
	    "a topic with controls written by hand is refused");
	free(cause);

	bot_reset();
	t_run("bot-answer faq prix 'Dix euros.'; "
	    "bot-answer calm '.' 'Scenario.'; "
	    "bot-answer crisis vary=yes 'colis|livraison' 'Phrase A.' "
	    "'Phrase B.' 'Phrase C.'; bot-scenario calm");
	ok(crisis_bot_for("whatsapp", "wa", "faq") == NULL, "no crisis: "
	    "the usual bot");
	crisis_set_data(back);
	is_str(crisis_bot_for("whatsapp", "wa", "faq"), "crisis",
	    "a channel of an affected type: the crisis's bot");
	is_str(crisis_bot_for("telegram", "sms-fr", "faq"), "crisis",
	    "or of an affected name");
	ok(crisis_bot_for("telegram", "tg", "faq") == NULL,
	    "another channel keeps its bot");
	is_str(bot_for_channel("faq"), "calm", "where bot-scenario's is");
	ok(crisis_bot_for("whatsapp", "wa", NULL) == NULL,
	    "a channel without a built-in bot gets none");
	crisis_free(back);
	c.channels = NULL;
	crisis_set_data(&c);
	is_str(crisis_bot_for("line", "ln", "faq"), "crisis",
	    "no channel= : every channel with a bot");
	free(c.topic);
	free(c.scenario);
	free(c.agent);
	crisis_set_data(NULL);

	/* The phrasings: the same message the same one, a conversation's
	 * next turn the next one, customers spread over all three. */
	is_int((long long)bot_phrasing(7, 0, 3), 1, "the seed picks the first");
	is_int((long long)bot_phrasing(7, 1, 3), 2, "the next turn the next");
	is_int((long long)bot_phrasing(7, 2, 3), 0, "and round again");
	seen = 0;
	for (k = 0; k < 3; k++)
		seen |= 1 << bot_phrasing(bot_seed("wa.106.c1.m1@ombre"), k, 3);
	is_int(seen, 7, "a conversation's turns go through every phrasing");
	for (i = 0; i < 300; i++) {
		snprintf(id, sizeof id, "wa.106.c%zu.m%zu@ombre", i, i);
		counts[bot_phrasing(bot_seed(id), 0, 3)]++;
	}
	ok(counts[0] > 60 && counts[1] > 60 && counts[2] > 60,
	    "300 customers spread over the phrasings (%zu %zu %zu)",
	    counts[0], counts[1], counts[2]);
	memset(&st, 0, sizeof st);
	st.seed = bot_seed("wa.106.c1.m1@ombre");
	bot_decide("crisis", "mon colis ?", 11, 0, &st, &r);
	first = xstrdup(r.text);
	bot_reply_free(&r);
	for (i = 0, seen = 0; i < 20 && !seen; i++) {
		snprintf(id, sizeof id, "wa.106.c%zu.m%zu@ombre", i + 2, i + 2);
		st.seed = bot_seed(id);
		bot_decide("crisis", "mon colis ?", 11, 0, &st, &r);
		seen = strcmp(r.text, first) != 0;
		bot_reply_free(&r);
	}
	ok(seen, "vary=yes: another customer reads another phrasing");
	free(first);
	st.seed = 0;
	bot_decide("faq", "prix", 4, 0, &st, &r);
	t_reply(&r, BOT_ANSWER, "Dix euros.", "a pattern without vary=yes");
	t_run("list-bots");
	ok(strstr(t_output(), "bot-answer crisis vary=yes colis|livraison "
	    "'Phrase A.'") != NULL, "list-bots says vary=yes");
	is_int(t_run("bot-answer crisis vary=maybe x y"), CMD_ERROR,
	    "vary= yes or no");

	/* The command, on a host that keeps the data dir's crisis. */
	is_int(t_run("crisis status"), CMD_ERROR, "no host: refused");
	t_reset();
	t_ctx.file = "config";
	t_ctx.line = 3;
	is_int(cmd_run_string(&t_ctx, "crisis on colis"), CMD_ERROR,
	    "not in a config file");
	is_str(t_errors(), "config:3: crisis: not in a config file (ombre "
	    "crisis, or : in the console)\n", "said so");
	memset(&host, 0, sizeof host);
	host.crisis = t_host_crisis;
	t_reset();
	t_ctx.host = &host;
	is_int(cmd_run_string(&t_ctx, "crisis status"), CMD_NORMAL, "status");
	is_str(t_output(), "no crisis\n", "none");
	t_ctx.host = &host;
	is_int(cmd_run_string(&t_ctx, "crisis on x"), CMD_ERROR,
	    "a topic without a word");
	is_int(cmd_run_string(&t_ctx, "crisis on colis scenario=nope"),
	    CMD_ERROR, "a scenario no bot has");
	ok(t_crisis_sets == 0, "nothing written");
	t_reset();
	t_ctx.host = &host;
	is_int(cmd_run_string(&t_ctx,
	    "crisis on colis perdus channel=whatsapp"), CMD_NORMAL,
	    "crisis on");
	ok(strncmp(t_output(), "CRISIS: colis perdus (since ", 28) == 0,
	    "said");
	ok(t_crisis_file != NULL && strcmp(t_crisis_file->topic,
	    "colis perdus") == 0 && strcmp(t_crisis_file->scenario,
	    "crisis") == 0 && strcmp(t_crisis_file->channels[0],
	    "whatsapp") == 0, "the data dir's crisis");
	ok(view_find(CRISIS_VIEW) != NULL, "the Crisis view");
	is_int(cmd_run_string(&t_ctx, "crisis on autre"), CMD_ERROR,
	    "one at a time");
	t_reset();
	t_ctx.host = &host;
	is_int(cmd_run_string(&t_ctx, "crisis off"), CMD_NORMAL, "crisis off");
	is_str(t_output(), "crisis off: colis perdus\n", "said");
	ok(t_crisis_file == NULL && crisis_current() == NULL, "gone");
	ok(view_find(CRISIS_VIEW) == NULL, "and its view");
	t_ctx.host = NULL;
	bot_reset();
}

int
main(void)
{
	log_set_progname("t-rules");
	test_fold();
	test_defaults();
	test_rules_commands();
	test_bot();
	test_hours();
	test_scenario();
	test_crisis();
	test_rows();
	rules_reset();
	bot_reset();
	t_reset();
	buf_free(&t_out);
	buf_free(&t_err);
	done_testing();
	return exit_status();
}
