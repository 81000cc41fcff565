/*
 * rules.c: when a conversation goes from the bot to a human (handoff
 * rules). A customer's message may ask for a person, a bot's own message
 * may say it hands over, the bot may fail to understand several times in
 * a row, or the customer may wait too long while a bot has the
 * conversation. The regexes match text folded by text_fold() (case and
 * accents), so one rule covers the ways people type a phrase.
 *
 * The defaults are written as the `handoff-rule` commands a user would
 * write, run once before the user's config (like keys.c's bindings), so
 * list-handoff-rules shows them and `handoff-rule clear` replaces them.
 * Pure policy: the caller reads the conversation and acts on the answer.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

struct rule {
	enum rules_kind	 kind;
	char		*pattern;	/* as written */
	char		*reason;	/* as given, or NULL for the default */
	int		 high;
	regex_t		 re;
};

static struct rule	*rules;
static size_t		 rules_n;
static int		 rules_n_fallbacks;
static int64_t		 rules_wait_seconds;
static int		 rules_ready;

/*
 * The defaults, French and English. A word is bounded by anything but a
 * letter ((^|[^a-z]) ... ([^a-z]|$)), so "agent" is not "agenda" and
 * "human" is not "humanitaire"; the text is folded first, so [a-z] covers
 * accented letters too and "à" may be written as the user would.
 */
static const char *const rules_defaults[] = {
	"handoff-rule customer '(^|[^a-z])humaine?s?([^a-z]|$)'",
	"handoff-rule customer '(^|[^a-z])conseill(er|ere)s?([^a-z]|$)'",
	"handoff-rule customer '(^|[^a-z])(une? )?vraie? personnes?([^a-z]|$)'",
	"handoff-rule customer \"parler (à|avec) (quelqu'un|qqn|une? "
	    "(personne|humain|agent|conseill(er|ere)))\"",
	"handoff-rule customer '(^|[^a-z])une? agent([^a-z]|$)'",
	"handoff-rule customer '(^|[^a-z])humans?([^a-z]|$)'",
	"handoff-rule customer '(^|[^a-z])agents?([^a-z]|$)'",
	"handoff-rule customer '(^|[^a-z])real (person|people|human)'",
	"handoff-rule customer '(^|[^a-z])representatives?([^a-z]|$)'",
	"handoff-rule customer '(speak|talk) (to|with) "
	    "(someone|somebody|a person|a human)'",
	"handoff-rule bot 'je vous passe (un|une|a) (conseill|collegue|agent)'",
	"handoff-rule bot 'une? conseill(er|ere) va vous (repondre|recontacter)'",
	"handoff-rule bot 'transfer(ring)? you to an? (agent|human|person)'",
	"handoff-rule bot 'connecting you (with|to) an? (agent|human|person)'",
	"handoff-rule fallbacks 2"
};

/* not translated: a handoff's reason is stored in its event. */
static const char *const rules_default_reason[] = {
	"the customer asked for a person",	/* RULES_CUSTOMER */
	"the bot handed off"			/* RULES_BOT */
};

/* A default that does not run is a bug of this file, not of the user. */
static void
rules_default_error(struct cmd_ctx *ctx, const char *text)
{
	(void)ctx;
	fatalx(_("handoff-rule default: %s"), text);
}

/* Run the defaults once, before any change or lookup. */
static void
rules_init(void)
{
	struct cmd_ctx	ctx;
	size_t		i;

	if (rules_ready)
		return;
	rules_ready = 1;
	memset(&ctx, 0, sizeof ctx);
	ctx.error = rules_default_error;
	for (i = 0; i < nitems(rules_defaults); i++)
		cmd_run_string(&ctx, rules_defaults[i]);
}

int
rules_add(enum rules_kind kind, const char *pattern, const char *reason,
    int high, char **cause)
{
	regex_t	re;

	rules_init();
	if (*pattern == '\0') {
		*cause = xstrdup(_("empty regex"));
		return -1;
	}
	if (text_fold_regcomp(&re, pattern, cause) != 0)
		return -1;
	rules = xreallocarray(rules, rules_n + 1, sizeof *rules);
	rules[rules_n].kind = kind;
	rules[rules_n].pattern = xstrdup(pattern);
	rules[rules_n].reason = reason != NULL ? xstrdup(reason) : NULL;
	rules[rules_n].high = high;
	rules[rules_n].re = re;
	rules_n++;
	return 0;
}

void
rules_set_fallbacks(int n)
{
	rules_init();
	rules_n_fallbacks = n;
}

void
rules_set_wait(int64_t seconds)
{
	rules_init();
	rules_wait_seconds = seconds;
}

/* Forget every rule; the defaults are not run again. */
void
rules_clear(void)
{
	size_t	i;

	rules_init();
	for (i = 0; i < rules_n; i++) {
		free(rules[i].pattern);
		free(rules[i].reason);
		regfree(&rules[i].re);
	}
	free(rules);
	rules = NULL;
	rules_n = 0;
	rules_n_fallbacks = 0;
	rules_wait_seconds = 0;
}

void
rules_reset(void)
{
	rules_clear();
	rules_ready = 0;
}

/* The first rule of a kind, in the order declared, matching the text. */
static int
rules_match(enum rules_kind kind, const char *text, size_t len,
    struct rule_match *out)
{
	char	*folded;
	size_t	 i;
	int	 found = 0;

	rules_init();
	folded = text_fold(text, len);
	for (i = 0; i < rules_n; i++) {
		if (rules[i].kind != kind ||
		    regexec(&rules[i].re, folded, 0, NULL, 0) != 0)
			continue;
		if (out != NULL) {
			out->reason = rules[i].reason != NULL ?
			    rules[i].reason : rules_default_reason[kind];
			out->high = rules[i].high;
			out->pattern = rules[i].pattern;
		}
		found = 1;
		break;
	}
	free(folded);
	return found;
}

int
rules_match_customer(const char *text, size_t len, struct rule_match *out)
{
	return rules_match(RULES_CUSTOMER, text, len, out);
}

int
rules_match_bot(const char *text, size_t len, struct rule_match *out)
{
	return rules_match(RULES_BOT, text, len, out);
}

int
rules_fallbacks(void)
{
	rules_init();
	return rules_n_fallbacks;
}

int64_t
rules_wait(void)
{
	rules_init();
	return rules_wait_seconds;
}

/*
 * A duration: N followed by s, m, h or d (no unit: seconds), at most 30
 * days; "0" is none. Return 0 and *seconds, or -1.
 */
int
rules_parse_duration(const char *s, int64_t *seconds)
{
	return util_parse_duration(s, 30LL * 86400, seconds);
}

/* The shortest way parse_duration reads seconds back: 90s, 10m, 1h, 2d. */
static void
rules_format_duration(struct buf *b, int64_t seconds)
{
	if (seconds != 0 && seconds % 86400 == 0)
		buf_add_printf(b, "%lldd", (long long)(seconds / 86400));
	else if (seconds != 0 && seconds % 3600 == 0)
		buf_add_printf(b, "%lldh", (long long)(seconds / 3600));
	else if (seconds != 0 && seconds % 60 == 0)
		buf_add_printf(b, "%lldm", (long long)(seconds / 60));
	else
		buf_add_printf(b, "%llds", (long long)seconds);
}

/*
 * Call cb with each rule as the handoff-rule command that makes it again,
 * in the order they apply; the counts last, when set.
 */
void
rules_each(void (*cb)(const char *command, void *data), void *data)
{
	struct buf	 b;
	struct rule	*r;
	size_t		 i;
	char		*word;

	rules_init();
	buf_init(&b);
	for (i = 0; i < rules_n; i++) {
		r = &rules[i];
		buf_reset(&b);
		buf_add_str(&b, r->kind == RULES_CUSTOMER ?
		    "handoff-rule customer " : "handoff-rule bot ");
		cmd_quote_word(&b, r->pattern);
		if (r->reason != NULL) {
			/* Quoted whole: the parser reads one word back. */
			word = xasprintf("reason=%s", r->reason);
			buf_add_char(&b, ' ');
			cmd_quote_word(&b, word);
			free(word);
		}
		if (r->high)
			buf_add_str(&b, " priority=high");
		cb(b.data, data);
	}
	if (rules_n_fallbacks != 0) {
		buf_reset(&b);
		buf_add_printf(&b, "handoff-rule fallbacks %d",
		    rules_n_fallbacks);
		cb(b.data, data);
	}
	if (rules_wait_seconds != 0) {
		buf_reset(&b);
		buf_add_str(&b, "handoff-rule wait ");
		rules_format_duration(&b, rules_wait_seconds);
		cb(b.data, data);
	}
	buf_free(&b);
}
