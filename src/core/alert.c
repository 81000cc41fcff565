/*
 * alert.c: alert rules (issue 16), words in a customer's message that say
 * a private case is about to spill into public: a threat to post on
 * Twitter or leave a review, a lawyer, a burn, a cancellation, an insult.
 * `alert NAME match=REGEX ...` declares one; where a message is indexed
 * (store-bot.c) a match labels the conversation, may raise its priority
 * and records an event naming the rule, once per rule and conversation:
 * the tag ombre/alert/NAME says it fired, and is what the public-risk
 * score (risk.c) reads from a list's row without opening a message.
 *
 * The regexes match text folded by text_fold() (case and Latin accents),
 * like the handoff rules (rules.c), and the defaults are written as the
 * commands a user would write, run once before anything reads or changes
 * the rules, so list-alerts shows them and `alert NAME -` removes one.
 * Pure policy: the caller reads the message and writes what it says.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static struct alert	*alerts;
static size_t		 alerts_n;
static int		 alerts_ready;

/*
 * The defaults, French and English, one rule a category (risk.c weighs
 * them by name). A word is bounded by anything but a letter or a digit,
 * as in rules.c; the text is folded first, so "reseaux" covers "réseaux"
 * and "RÉSEAUX".
 *
 * Words that mean something harmless too are asked for in context: "X"
 * only as "sur X" / "on X" (not "10 x 20 cm"), "avis" only left, posted
 * or bad (not "à mon avis"), "review" only left or bad (not "please
 * review my order"), "presse" only as "la presse" (not "je suis pressé"),
 * "court" only as "to court" (French "trop court"), "feu" only as "pris
 * feu" (not "feu vert").
 */
#define ALERT_W0	"(^|[^a-z0-9])("
#define ALERT_W1	")([^a-z0-9]|$)"
static const char *const alerts_defaults[] = {
	"alert public match='" ALERT_W0
	    "twitter|tweet(s|er)?|facebook|instagram|tiktok|linkedin|"
	    "(sur|on) x|trustpilot|journalistes?|journalists?|"
	    "(la|aux?) presse|(the|to the) press|les medias|the media|"
	    "reseaux sociaux|social (media|networks?)|"
	    "(laiss|mett|mets|post|publi|ecri|redig|donn)[a-z]* "
	    "(un |des |mon |mes )?((tres |vraiment )?mauvais )?avis|"
	    "avis (negatifs?|google|en ligne|publics?)|"
	    "(leav|left|writ|post|giv)[a-z]* (a |an |my )?((very |really )?"
	    "(bad|negative|terrible|honest|1.star|one.star) )?reviews?|"
	    "(bad|negative|terrible|1.star|one.star) reviews?|"
	    "post(ing)? (it |this |that )?publicly|go(ing)? public|"
	    "rendre (ca |cela )?public|60 millions|que choisir"
	    ALERT_W1 "' priority=high label=risk/public notify=yes",
	"alert legal match='" ALERT_W0
	    "avocats?|plaintes?|tribunal|tribunaux|justice|huissiers?|"
	    "mise en demeure|proces|lawyers?|attorneys?|solicitors?|"
	    "sue|suing|lawsuits?|legal action|(to|in) court|small claims"
	    ALERT_W1 "' priority=high label=risk/legal notify=yes",
	"alert safety match='" ALERT_W0
	    "dangers?|dangereu(x|se|ses)|brulures?|brule(e|s|es)?|"
	    "blesse(e|s|es)?|blessures?|incendie|pris feu|en feu|fumee|"
	    "explos(e|ee|ion)|electrocut[a-z]*|intoxi[a-z]*|"
	    "aux urgences|hopital|dangerous|injur(ed|y|ies)|hurt|"
	    "burn(ed|t|s)?|fire|smoke|explod(ed|es|ing)|electric shock|"
	    "hospital|poison(ed|ing)?|chok(ed|ing)"
	    ALERT_W1 "' priority=high label=risk/safety notify=yes",
	"alert churn match='" ALERT_W0
	    "resilier|resiliation|resilie|desabonner|desabonnement|"
	    "desinscri(re|ption)|(fermer|supprimer|cloturer) mon compte|"
	    "annuler mon (abonnement|contrat|compte)|"
	    "changer (de fournisseur|d.operateur)|(chez|a) la concurrence|"
	    "cancel(l?ing)? (my|the|our) ([a-z0-9+]+ )?(subscription|account|"
	    "membership|plan|contract)|(close|delete) my account|unsubscribe|"
	    "switch(ing)? to (a |your )?competitors?"
	    ALERT_W1 "' label=risk/churn",
	"alert insult match='" ALERT_W0
	    "connards?|connasses?|encules?|salauds?|batards?|abrutis?|"
	    "cretins?|bande d.(incapables|incompetents)|incompetents?|"
	    "escrocs?|voleurs?|arnaqueurs?|idiots?|morons?|assholes?|"
	    "bastards?|scammers?|useless|fuck(ing)?|bullshit"
	    ALERT_W1 "' label=risk/insult"
};

/* A default that does not run is a bug of this file, not of the user. */
static void
alert_default_error(struct cmd_ctx *ctx, const char *text)
{
	(void)ctx;
	fatalx("alert default: %s", text);
}

/* Run the defaults once, before any change or lookup. */
static void
alert_init(void)
{
	struct cmd_ctx	ctx;
	size_t		i;

	if (alerts_ready)
		return;
	alerts_ready = 1;
	memset(&ctx, 0, sizeof ctx);
	ctx.error = alert_default_error;
	for (i = 0; i < nitems(alerts_defaults); i++)
		cmd_run_string(&ctx, alerts_defaults[i]);
}

int
alert_name_valid(const char *name)
{
	size_t	n = strlen(name), i;

	if (n == 0 || n > 32 || strcmp(name, "-") == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789-_", name[i]) == NULL)
			return 0;
	}
	return 1;
}

static void
alert_clear_one(struct alert *a)
{
	free(a->name);
	free(a->pattern);
	free(a->label);
	regfree(&a->re);
}

int
alert_set(const struct alert *in, char **cause)
{
	struct alert	 a;
	size_t		 i;

	alert_init();
	if (!alert_name_valid(in->name)) {
		*cause = xasprintf(_("bad alert name '%s' (letters, digits, - "
		    "and _, at most 32)"), in->name);
		return -1;
	}
	if (in->pattern == NULL || *in->pattern == '\0') {
		*cause = xstrdup(_("empty regex"));
		return -1;
	}
	if (in->label != NULL && !tag_valid(in->label)) {
		*cause = xasprintf(_("bad label '%s'"), in->label);
		return -1;
	}
	if (in->kinds == 0 || in->weight < -1 || in->weight > 100) {
		*cause = xstrdup(_("bad kind or weight"));
		return -1;
	}
	memset(&a, 0, sizeof a);
	if (text_fold_regcomp(&a.re, in->pattern, cause) != 0)
		return -1;
	a.name = xstrdup(in->name);
	a.pattern = xstrdup(in->pattern);
	a.label = in->label != NULL ? xstrdup(in->label) : NULL;
	a.kinds = in->kinds;
	a.high = in->high;
	a.notify = in->notify;
	a.weight = in->weight;
	/* The same name again replaces the rule and keeps its place. */
	for (i = 0; i < alerts_n; i++) {
		if (strcmp(alerts[i].name, a.name) == 0) {
			alert_clear_one(&alerts[i]);
			alerts[i] = a;
			return 0;
		}
	}
	alerts = xreallocarray(alerts, alerts_n + 1, sizeof *alerts);
	alerts[alerts_n++] = a;
	return 0;
}

int
alert_remove(const char *name)
{
	size_t	i;

	alert_init();
	for (i = 0; i < alerts_n; i++) {
		if (strcmp(alerts[i].name, name) != 0)
			continue;
		alert_clear_one(&alerts[i]);
		memmove(&alerts[i], &alerts[i + 1], (alerts_n - i - 1) *
		    sizeof *alerts);
		alerts_n--;
		return 0;
	}
	return -1;
}

void
alert_reset(void)
{
	size_t	i;

	for (i = 0; i < alerts_n; i++)
		alert_clear_one(&alerts[i]);
	free(alerts);
	alerts = NULL;
	alerts_n = 0;
	alerts_ready = 0;
}

const struct alert *
alert_find(const char *name)
{
	size_t	i;

	alert_init();
	for (i = 0; i < alerts_n; i++) {
		if (strcmp(alerts[i].name, name) == 0)
			return &alerts[i];
	}
	return NULL;
}

size_t
alert_count(void)
{
	alert_init();
	return alerts_n;
}

const struct alert *
alert_at(size_t i)
{
	alert_init();
	return i < alerts_n ? &alerts[i] : NULL;
}

/* Has the conversation (these tags) had this rule's alert already? */
static int
alert_fired(const struct alert *a, char *const *tags)
{
	size_t	len = strlen(ALERT_TAG_PREFIX);

	for (; tags != NULL && *tags != NULL; tags++) {
		if (strncmp(*tags, ALERT_TAG_PREFIX, len) == 0 &&
		    strcmp(*tags + len, a->name) == 0)
			return 1;
	}
	return 0;
}

size_t
alert_match(enum msg_kind kind, const char *text, size_t len,
    char *const *tags, const struct alert **out, size_t max)
{
	char	*folded = NULL;
	size_t	 i, n = 0;

	alert_init();
	if (text == NULL || len == 0)
		return 0;
	for (i = 0; i < alerts_n && n < max; i++) {
		if ((alerts[i].kinds & (1 << kind)) == 0 ||
		    alert_fired(&alerts[i], tags))
			continue;
		/* Folded once, and only when a rule may fire: most
		 * messages of a busy conversation meet fired rules only. */
		if (folded == NULL)
			folded = text_fold(text, len);
		if (regexec(&alerts[i].re, folded, 0, NULL, 0) == 0)
			out[n++] = &alerts[i];
	}
	free(folded);
	return n;
}

char **
alert_ops(const struct alert *a, char *const *tags)
{
	char	**ops;
	size_t	  n = 0;

	ops = xcalloc(6, sizeof *ops);
	ops[n++] = xasprintf("+%s%s", ALERT_TAG_PREFIX, a->name);
	if (a->label != NULL)
		ops[n++] = xasprintf("+%s", a->label);
	if (a->high && !triage_tags_have(tags, "ombre/prio/high")) {
		ops[n++] = xstrdup("+ombre/prio/high");
		if (triage_tags_have(tags, "ombre/prio/low"))
			ops[n++] = xstrdup("-ombre/prio/low");
	}
	ops[n] = NULL;
	return ops;
}

/* The longest excerpt of the customer's text an event quotes, bytes. */
#define ALERT_EXCERPT	72

char *
alert_reason(const struct alert *a, const char *text, size_t len)
{
	struct buf	 b;
	size_t		 off = 0, n, cut = len;
	uint32_t	 cp;
	int		 space = 0, started = 0;

	/* At a character's boundary, never inside one. */
	if (len > ALERT_EXCERPT) {
		for (cut = 0; off < len; off += n) {
			n = utf8_decode(text + off, len - off, &cp);
			if (off + n > ALERT_EXCERPT)
				break;
			cut = off + n;
		}
	}
	buf_init(&b);
	buf_add_printf(&b, "%s: '", a->name);
	/* One line: runs of spaces and line breaks as one space. */
	for (off = 0; off < cut; off++) {
		if (strchr(" \t\r\n", text[off]) != NULL) {
			space = 1;
			continue;
		}
		if (space && started)
			buf_add_char(&b, ' ');
		space = 0;
		started = 1;
		buf_add_char(&b, text[off]);
	}
	buf_add_str(&b, cut < len ? "...'" : "'");
	return buf_steal(&b);
}

const char *
alert_tag_name(const char *tag)
{
	size_t	len = strlen(ALERT_TAG_PREFIX);

	if (strncmp(tag, ALERT_TAG_PREFIX, len) != 0 || tag[len] == '\0')
		return NULL;
	return tag + len;
}

/* The words of kind= for a mask; NULL for the default (customer). */
static const char *
alert_kinds_name(int kinds)
{
	if (kinds == (1 << MSG_CUSTOMER))
		return NULL;
	if (kinds == ALERT_KINDS_ANY)
		return "any";
	if (kinds == (1 << MSG_AGENT))
		return "agent";
	if (kinds == (1 << MSG_BOT))
		return "bot";
	return "any";
}

int
alert_kinds_parse(const char *word, int *kinds)
{
	if (strcmp(word, "customer") == 0)
		*kinds = 1 << MSG_CUSTOMER;
	else if (strcmp(word, "agent") == 0)
		*kinds = 1 << MSG_AGENT;
	else if (strcmp(word, "bot") == 0)
		*kinds = 1 << MSG_BOT;
	else if (strcmp(word, "any") == 0)
		*kinds = ALERT_KINDS_ANY;
	else
		return -1;
	return 0;
}

/* Call cb with each rule as the alert command that makes it again. */
void
alert_each(void (*cb)(const char *command, void *data), void *data)
{
	struct buf	 b;
	const char	*kinds;
	char		*word;
	size_t		 i;

	alert_init();
	buf_init(&b);
	for (i = 0; i < alerts_n; i++) {
		buf_reset(&b);
		buf_add_printf(&b, "alert %s ", alerts[i].name);
		word = xasprintf("match=%s", alerts[i].pattern);
		cmd_quote_word(&b, word);
		free(word);
		if ((kinds = alert_kinds_name(alerts[i].kinds)) != NULL)
			buf_add_printf(&b, " kind=%s", kinds);
		if (alerts[i].high)
			buf_add_str(&b, " priority=high");
		if (alerts[i].label != NULL) {
			buf_add_str(&b, " ");
			word = xasprintf("label=%s", alerts[i].label);
			cmd_quote_word(&b, word);
			free(word);
		}
		if (alerts[i].notify)
			buf_add_str(&b, " notify=yes");
		if (alerts[i].weight >= 0)
			buf_add_printf(&b, " weight=%d", alerts[i].weight);
		cb(b.data, data);
	}
	buf_free(&b);
}
