/*
 * t-alert.c: alert rules and the public-risk score (issue 16), through
 * the command language as a config file would say them: every default
 * rule firing on French and English messages (capitals, accents, phone
 * apostrophes) and quiet on neutral ones, the words that mean something
 * harmless too ("à mon avis", "10 x 20 cm", "je suis pressé"), once per
 * conversation, the operations and the event's reason; alert and
 * list-alerts read back, removal, refusals; the score's parts and order.
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

static int
t_run(const char *text)
{
	buf_free(&t_out);
	buf_free(&t_err);
	buf_init(&t_out);
	buf_init(&t_err);
	memset(&t_ctx, 0, sizeof t_ctx);
	t_ctx.print = t_print;
	t_ctx.error = t_error;
	return cmd_run_string(&t_ctx, text);
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

/* The names of the rules a customer's text sets off, joined by spaces. */
static char *
t_fires(const char *text, char *const *tags)
{
	const struct alert	*fired[16];
	struct buf		 b;
	size_t			 n, i;

	n = alert_match(MSG_CUSTOMER, text, strlen(text), tags, fired,
	    nitems(fired));
	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_add_char(&b, ' ');
		buf_add_str(&b, fired[i]->name);
	}
	return buf_steal(&b);
}

/* Tags from words: NULL-terminated, free with triage_tags_free. */
static char **
t_tags(const char *words)
{
	char	**tags = xcalloc(8, sizeof *tags), *copy, *w, *last;
	size_t	  n = 0;

	copy = xstrdup(words);
	for (w = strtok_r(copy, " ", &last); w != NULL && n < 7;
	    w = strtok_r(NULL, " ", &last))
		tags[n++] = xstrdup(w);
	free(copy);
	return tags;
}

static void
t_fire(const char *text, const char *expected)
{
	char	*got = t_fires(text, NULL);

	is_str(got, expected, text);
	free(got);
}

static void
test_defaults(void)
{
	static const struct {
		const char	*text;
		const char	*rule;
	} samples[] = {
		/* Threats to go public. */
		{ "Je vais poster ça sur Twitter", "public" },
		{ "JE VAIS LE DIRE SUR TWITTER 😡", "public" },
		{ "je vais le mettre sur X si ça continue", "public" },
		{ "I'm going to post this on X tonight", "public" },
		{ "Je vais laisser un avis sur Trustpilot", "public" },
		{ "Je vais mettre un très mauvais avis partout", "public" },
		{ "Je vais écrire un avis négatif", "public" },
		{ "J'ai contacté un journaliste", "public" },
		{ "je vais prévenir la PRESSE", "public" },
		{ "Je vais en parler sur les réseaux sociaux", "public" },
		{ "Je vais en parler sur les RÉSEAUX SOCIAUX", "public" },
		{ "tout le monde le saura sur Facebook", "public" },
		{ "I'm leaving a review on Trustpilot", "public" },
		{ "Expect a 1-star review from me", "public" },
		{ "I will post publicly about this", "public" },
		{ "I'm going to social media with this", "public" },
		{ "I've already spoken to a journalist", "public" },
		/* Legal words. */
		{ "Mon avocat va vous contacter", "legal" },
		{ "Je vais porter PLAINTE", "legal" },
		{ "On se verra au tribunal", "legal" },
		{ "Vous recevrez une mise en demeure", "legal" },
		{ "My lawyer will be in touch", "legal" },
		{ "I will sue you", "legal" },
		{ "See you in court", "legal" },
		{ "I'm taking legal action", "legal" },
		/* Safety. */
		{ "Le chargeur est DANGEREUX", "safety" },
		{ "Mon fils s'est fait une brûlure avec", "safety" },
		{ "ma fille a été blessée", "safety" },
		{ "la batterie a pris feu", "safety" },
		{ "The kettle caught fire", "safety" },
		{ "My son was injured by it", "safety" },
		{ "This is dangerous", "safety" },
		{ "I got an electric shock from it", "safety" },
		/* Churn. */
		{ "Je veux résilier mon abonnement", "churn" },
		{ "RESILIATION immédiate svp", "churn" },
		{ "Je vais aller à la concurrence", "churn" },
		{ "Please cancel my subscription", "churn" },
		{ "I want to cancel my Nuage+ subscription", "churn" },
		{ "How do I unsubscribe?", "churn" },
		{ "Delete my account now", "churn" },
		/* Insults. */
		{ "Bande d'incapables", "insult" },
		{ "Vous êtes des escrocs", "insult" },
		{ "bande d’incompétents", "insult" },
		{ "You are useless", "insult" },
		{ "Bunch of idiots", "insult" },
		{ "Scammers!", "insult" },
		/* Several at once, in the order declared. */
		{ "Mon avocat et Twitter vont entendre parler de vous",
		    "public legal" },
		{ "Résiliez tout, bande d'escrocs, je vais le dire sur X",
		    "public insult" }
	};
	static const char *const neutral[] = {
		"Bonjour, où en est ma commande ?",
		"Hello, where is my parcel?",
		"À mon avis le colis est perdu",
		"Avis de passage reçu hier",
		"Le carton fait 10 x 20 cm",
		"Size X please, or XL",
		"Je suis pressé, merci de faire vite",
		"Le délai est trop court",
		"Feu vert pour la livraison samedi",
		"Could you please review my order?",
		"I read your press release",
		"Merci beaucoup, excellent service !",
		"Thanks, that was quick",
		"Mon numéro de suivi est 123",
		"Où est mon remboursement ?",
		"Can I change my delivery address?",
		"Je voudrais annuler ma commande de chaussures",
		"Justine m'a aidé hier",
		"La commande est juste",
		"Un instant, je regarde",
		""
	};
	size_t	i;

	for (i = 0; i < nitems(samples); i++)
		t_fire(samples[i].text, samples[i].rule);
	for (i = 0; i < nitems(neutral); i++)
		t_fire(neutral[i], "");
	is_int(alert_count(), 5, "five default rules");
}

static void
test_once(void)
{
	char	**tags = t_tags("inbox ombre/alert/public");
	char	**tags2 = t_tags("inbox ombre/prio/low");
	char		*got, **ops;
	const char	*text;

	got = t_fires("Twitter et mon avocat", tags);
	is_str(got, "legal", "a rule that fired in the conversation is quiet");
	free(got);
	got = t_fires("je le redis: Twitter", tags);
	is_str(got, "", "and the same threat again sets nothing off");
	free(got);

	ops = alert_ops(alert_find("public"), tags2);
	is_str(ops[0], "+ombre/alert/public", "op: the rule's tag");
	is_str(ops[1], "+risk/public", "op: its label");
	is_str(ops[2], "+ombre/prio/high", "op: high priority");
	is_str(ops[3], "-ombre/prio/low", "op: and no low one");
	ok(ops[4] == NULL, "nothing else");
	triage_tags_free(ops);
	ops = alert_ops(alert_find("churn"), NULL);
	is_str(ops[0], "+ombre/alert/churn", "churn: its tag");
	is_str(ops[1], "+risk/churn", "churn: its label");
	ok(ops[2] == NULL, "churn: the priority stays");
	triage_tags_free(ops);

	text = "je vais\n\nposter  ça sur Twitter";
	got = alert_reason(alert_find("public"), text, strlen(text));
	is_str(got, "public: 'je vais poster ça sur Twitter'",
	    "the reason quotes the text on one line");
	free(got);
	text = "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
	    "ééé Twitter";
	got = alert_reason(alert_find("public"), text, strlen(text));
	ok(strlen(got) < 90 && strstr(got, "...'") != NULL &&
	    utf8_width(got, strlen(got)) > 0, "a long one cut at a character");
	free(got);
	got = triage_event_text("alert", "rule", "public: 'sur X'", NULL, 0);
	is_str(got, "alert public: 'sur X'", "the event's line names the rule");
	free(got);
	is_str(alert_tag_name("ombre/alert/legal"), "legal", "tag's rule");
	ok(alert_tag_name("ombre/alerted") == NULL, "not an alert tag");
	triage_tags_free(tags);
	triage_tags_free(tags2);
}

static void
test_commands(void)
{
	char	*before, *got;

	t_run("list-alerts");
	before = xstrdup(t_output());
	ok(strncmp(before, "alert public 'match=", 20) == 0,
	    "list-alerts prints commands");
	ok(strstr(before, " priority=high label=risk/public notify=yes\n") !=
	    NULL, "with the options");

	/* Read back: the same commands make the same rules. */
	is_int(t_run("alert public -; alert legal -; alert safety -; "
	    "alert churn -; alert insult -"), CMD_NORMAL, "all removed");
	is_int(alert_count(), 0, "none left");
	got = t_fires("Twitter, avocat, brûlure, résilier, escrocs", NULL);
	is_str(got, "", "nothing fires without rules");
	free(got);
	is_int(t_run(before), CMD_NORMAL, "list-alerts' output runs");
	t_run("list-alerts");
	is_str(t_output(), before, "and reads back the same");

	is_int(t_run("alert colis match='colis (perdu|vole)' kind=any "
	    "label=risk/colis weight=30"), CMD_NORMAL, "a rule of one's own");
	t_run("list-alerts");
	ok(strstr(t_output(), "\nalert colis 'match=colis (perdu|vole)' "
	    "kind=any label=risk/colis weight=30\n") != NULL,
	    "listed last as written");
	got = t_fires("Mon COLIS VOLÉ !", NULL);
	is_str(got, "colis", "it matches folded");
	free(got);
	is_int(t_run("alert colis match=perdu"), CMD_NORMAL, "redefined");
	is_int(alert_count(), 6, "in its place");
	is_int(t_run("alert colis -"), CMD_NORMAL, "removed");
	is_int(alert_count(), 5, "gone");

	is_int(t_run("alert colis -"), CMD_ERROR, "removing none");
	is_str(t_errors(), "alert: no alert 'colis'\n", "says so");
	is_int(t_run("alert x match='('"), CMD_ERROR, "a bad regex");
	ok(strstr(t_errors(), "bad regex") != NULL, "named");
	is_int(t_run("alert x kind=customer"), CMD_ERROR, "no match=");
	is_int(t_run("alert 'a b' match=x"), CMD_ERROR, "a bad name");
	is_int(t_run("alert x match=x priority=urgent"), CMD_ERROR,
	    "a bad priority");
	is_int(t_run("alert x match=x weight=101"), CMD_ERROR, "a bad weight");
	is_int(t_run("alert x match=x notify=maybe"), CMD_ERROR,
	    "a bad notify");
	is_int(t_run("alert x match=x label='a b'"), CMD_ERROR, "a bad label");
	is_int(t_run("alert x match=x colour=red"), CMD_ERROR, "an unknown word");
	is_int(alert_count(), 5, "none of them added");
	free(before);
}

static void
test_risk(void)
{
	char			**none = t_tags("inbox");
	char			**pub = t_tags("inbox ombre/alert/public");
	char			**many = t_tags("inbox ombre/alert/churn "
				    "ombre/alert/legal ombre/alert/public");
	char			**own = t_tags("ombre/alert/colis");
	struct risk_input	 in;
	struct risk		 r;
	int64_t			 now = 1800000000;

	is_int(t_run("sla first-response 15m warn=10m"), CMD_NORMAL, "an sla");
	memset(&in, 0, sizeof in);
	in.channel = "telegram";
	in.now = now;
	in.tags = none;
	risk_eval(&in, &r);
	is_int(r.score, 0, "nothing: no risk");
	is_str(r.why, "", "and no words");
	ok(!risk_marked(&r), "no marker");
	risk_free(&r);

	in.tags = pub;
	risk_eval(&in, &r);
	is_int(r.score, 45, "a threat to go public");
	is_str(r.why, "threatens to post publicly", "says so");
	ok(risk_marked(&r), "marked");
	risk_free(&r);

	/* The example: a threat, a 2h wait, a third message. */
	in.first = 1;
	in.waiting_since = now - 2 * 3600;
	in.unanswered = 3;
	risk_eval(&in, &r);
	is_int(r.score, 45 + 30 + 16, "threat, long past the target, 3rd");
	is_str(r.why, "threatens to post publicly, waiting 2h, 3rd message",
	    "the issue's words");
	risk_free(&r);

	in.tags = none;
	in.waiting_since = now - 12 * 60;
	in.unanswered = 1;
	risk_eval(&in, &r);
	is_int(r.score, 10, "past the warn only");
	is_str(r.why, "waiting 12m", "the wait");
	ok(!risk_marked(&r), "a wait alone is no marker");
	risk_free(&r);
	in.waiting_since = now - 20 * 60;
	risk_eval(&in, &r);
	is_int(r.score, 20, "past the target");
	risk_free(&r);
	in.waiting_since = now - 5 * 60;
	in.unanswered = 2;
	risk_eval(&in, &r);
	is_int(r.score, 8, "in time, a second message");
	is_str(r.why, "2nd message", "its ordinal");
	risk_free(&r);

	in.waiting_since = 0;
	in.unanswered = 0;
	in.other_channels = 1;
	risk_eval(&in, &r);
	is_int(r.score, 10, "another channel");
	is_str(r.why, "also wrote on another channel", "said");
	risk_free(&r);
	in.other_channels = 3;
	risk_eval(&in, &r);
	is_int(r.score, 20, "channels capped");
	is_str(r.why, "also wrote on 3 other channels", "counted");
	risk_free(&r);

	in.tags = many;
	in.other_channels = 0;
	in.unanswered = 11;
	in.waiting_since = now - 3 * 3600;
	risk_eval(&in, &r);
	is_int(r.score, 100, "everything at once: 100 at most");
	is_str(r.why, "threatens to post publicly, mentions legal action, "
	    "wants to cancel, waiting 3h, 11th message",
	    "the heaviest rule first");
	is_int(r.alerted, 3, "three rules fired");
	risk_free(&r);

	/* A rule of one's own: its weight=, or 20; its name. */
	memset(&in, 0, sizeof in);
	in.tags = own;
	in.now = now;
	risk_eval(&in, &r);
	is_int(r.score, 20, "an unknown rule weighs 20");
	is_str(r.why, "alert colis", "and is named");
	risk_free(&r);
	t_run("alert colis match=colis weight=35");
	risk_eval(&in, &r);
	is_int(r.score, 35, "weight= wins");
	risk_free(&r);
	t_run("alert colis -");
	triage_tags_free(none);
	triage_tags_free(pub);
	triage_tags_free(many);
	triage_tags_free(own);
}

int
main(void)
{
	log_set_progname("t-alert");
	test_defaults();
	test_once();
	test_commands();
	test_risk();
	alert_reset();
	sla_reset();
	buf_free(&t_out);
	buf_free(&t_err);
	done_testing();
	return exit_status();
}
