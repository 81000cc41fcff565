/*
 * bot.c: the built-in first-level bot. A bot is a name with, in the
 * command language, patterns and their answers (bot-answer), fallback
 * texts (bot-fallback), a text to hand off with after misses in a row
 * (bot-handoff), business hours (bot-hours) and a greeting
 * (bot-greeting). bot-scenario puts one bot in place of every channel's
 * own, for a day of crisis: a process's own (a config file's line), and
 * the data dir's (DATA/bot-scenario, given by the store when it opens
 * read-write), which wins.
 *
 * Pure policy: bot_decide() says what to send from the customer's text,
 * the time and what the caller read from the conversation (struct
 * bot_state); it keeps no conversation state, so a restart or a second
 * console cannot make it answer differently. Answers keep their template
 * variables ({{customer.first_name}}): the caller fills them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct bot_pattern {
	char	 *regex;		/* as written */
	regex_t	  re;
	char	**answers;		/* used in turn */
	size_t	  n_answers;
	int	  vary;			/* from where the message says */
};

struct bot {
	char			 *name;
	struct bot_pattern	 *patterns;
	size_t			  n_patterns;
	char			**fallbacks;
	size_t			  n_fallbacks;
	char			 *handoff;	/* NULL: the bot never hands off */
	int			  after;	/* 0: rules_fallbacks() */
	struct hours		  hours;	/* no periods: always open */
	char			 *hours_text;
	char			 *greeting;
	char			 *reason;	/* the last handoff's reason */
};

/* bot-survey: a channel's question after a close (or every channel's). */
static struct bot_survey	 *surveys;
static size_t			  surveys_n;

static struct bot	**bots;
static size_t		  bots_n;
static char		 *bot_scenario_name;	/* the process's own */
static char		 *bot_scenario_data;	/* the data dir's: wins */

static void
bot_strv_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char **
bot_strv_copy(char *const *v, size_t n)
{
	char	**copy;
	size_t	  i;

	copy = xcalloc(n + 1, sizeof *copy);
	for (i = 0; i < n; i++)
		copy[i] = xstrdup(v[i]);
	return copy;
}

static void
bot_free(struct bot *b)
{
	size_t	i;

	for (i = 0; i < b->n_patterns; i++) {
		free(b->patterns[i].regex);
		regfree(&b->patterns[i].re);
		bot_strv_free(b->patterns[i].answers,
		    b->patterns[i].n_answers);
	}
	free(b->patterns);
	bot_strv_free(b->fallbacks, b->n_fallbacks);
	free(b->handoff);
	hours_free(&b->hours);
	free(b->hours_text);
	free(b->greeting);
	free(b->reason);
	free(b->name);
	free(b);
}

static struct bot *
bot_find(const char *name)
{
	size_t	i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < bots_n; i++) {
		if (strcmp(bots[i]->name, name) == 0)
			return bots[i];
	}
	return NULL;
}

/* Letters, digits, '-' and '_', at most 64: a word in any listing. */
int
bot_name_valid(const char *name)
{
	size_t	n = strlen(name), i;

	if (n == 0 || n > 64 || strcmp(name, "-") == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789-_", name[i]) == NULL)
			return 0;
	}
	return 1;
}

/* The bot called name, made when it is new. */
static struct bot *
bot_get(const char *name)
{
	struct bot	*b;

	if ((b = bot_find(name)) != NULL)
		return b;
	b = xcalloc(1, sizeof *b);
	b->name = xstrdup(name);
	bots = xreallocarray(bots, bots_n + 1, sizeof *bots);
	bots[bots_n++] = b;
	return b;
}

/*
 * bot-answer: a pattern and its answers. The same regex again replaces
 * its answers and keeps its place, so the order of the patterns is the
 * order they were first declared.
 */
int
bot_add_answer(const char *name, const char *regex, char *const *answers,
    size_t n, char **cause)
{
	struct bot		*b;
	struct bot_pattern	*p;
	regex_t			 re;
	size_t			 i;

	if (*regex == '\0') {
		*cause = xstrdup(_("empty regex"));
		return -1;
	}
	if (n == 0) {
		*cause = xstrdup(_("no answer"));
		return -1;
	}
	if (text_fold_regcomp(&re, regex, cause) != 0)
		return -1;
	b = bot_get(name);
	for (i = 0; i < b->n_patterns; i++) {
		if (strcmp(b->patterns[i].regex, regex) == 0)
			break;
	}
	if (i == b->n_patterns) {
		b->patterns = xreallocarray(b->patterns, b->n_patterns + 1,
		    sizeof *b->patterns);
		p = &b->patterns[b->n_patterns++];
		p->regex = xstrdup(regex);
	} else {
		p = &b->patterns[i];
		regfree(&p->re);
		bot_strv_free(p->answers, p->n_answers);
	}
	p->re = re;
	p->answers = bot_strv_copy(answers, n);
	p->n_answers = n;
	return 0;
}

int
bot_answer_vary(const char *name, const char *regex, int vary)
{
	struct bot	*b;
	size_t		 i;

	if ((b = bot_find(name)) == NULL)
		return -1;
	for (i = 0; i < b->n_patterns; i++) {
		if (strcmp(b->patterns[i].regex, regex) == 0) {
			b->patterns[i].vary = vary;
			return 0;
		}
	}
	return -1;
}

uint32_t
bot_seed(const char *msgid)
{
	uint32_t	 h = 2166136261U;
	const char	*p;

	for (p = msgid; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 16777619U;
	/* The low bits of FNV-1a follow the last byte closely: mix them, so
	 * ids that differ in one digit spread over every phrasing. */
	h ^= h >> 16;
	h *= 0x45d9f3bU;
	h ^= h >> 16;
	return h;
}

/*
 * The phrasings in turn, as without vary=yes, but from where the seed
 * says: one conversation never reads the same sentence twice in a row,
 * and two conversations mostly start on different ones.
 */
size_t
bot_phrasing(uint32_t seed, size_t turn, size_t n)
{
	if (n == 0)
		return 0;
	return (size_t)((seed % n + turn) % n);
}

void
bot_set_fallbacks(const char *name, char *const *texts, size_t n)
{
	struct bot	*b = bot_get(name);

	bot_strv_free(b->fallbacks, b->n_fallbacks);
	b->fallbacks = bot_strv_copy(texts, n);
	b->n_fallbacks = n;
}

void
bot_set_handoff(const char *name, int after, const char *text)
{
	struct bot	*b = bot_get(name);

	free(b->handoff);
	b->handoff = xstrdup(text);
	b->after = after;
}

void
bot_set_greeting(const char *name, const char *text)
{
	struct bot	*b = bot_get(name);

	free(b->greeting);
	b->greeting = xstrdup(text);
}

/*
 * bot-hours NAME SPEC TEXT. SPEC is one or more "DAYS HH:MM-HH:MM" (a
 * lunch break is two periods: "mon-fri 09:00-12:00 mon-fri 14:00-18:00")
 * then, optionally, an IANA zone; without one, local time. Replaces the
 * bot's hours whole, or changes nothing when SPEC is bad.
 */
int
bot_set_hours(const char *name, const char *spec, const char *text,
    char **cause)
{
	struct bot	*b;
	struct hours	 hours;

	memset(&hours, 0, sizeof hours);
	if (hours_parse(spec, &hours, cause) != 0)
		return -1;
	b = bot_get(name);
	hours_free(&b->hours);
	free(b->hours_text);
	b->hours = hours;
	b->hours_text = xstrdup(text);
	return 0;
}

/* Is the bot open at now? A bot without hours always is. */
static int
bot_open(const struct bot *b, int64_t now)
{
	return hours_open(&b->hours, now);
}

int
bot_exists(const char *name)
{
	return bot_find(name) != NULL;
}

/*
 * The scenario applies to channels that have a built-in bot: one without
 * is answered elsewhere (the channel's own bot platform), and a second
 * bot there would answer twice.
 */
const char *
bot_for_channel(const char *channel_bot)
{
	struct bot	*b;

	if (channel_bot == NULL || *channel_bot == '\0')
		return NULL;
	if (bot_scenario() != NULL)
		return bot_scenario();
	if ((b = bot_find(channel_bot)) == NULL)
		return NULL;
	return b->name;
}

/*
 * A bot's variant in the customer's language (issue 16): bots are named
 * by language where a channel has several ("support-fr", "support-en",
 * the demo's demo-fr and demo-en), so a bot NAME-xx answers a customer
 * whose language is yy as NAME-yy when that bot exists. A bot with no
 * such sibling, or no language known, answers as it is.
 */
const char *
bot_for_language(const char *name, const char *lang)
{
	struct bot	*b;
	const char	*dash;
	char		*want;
	size_t		 n;

	if (name == NULL || lang == NULL || (dash = strrchr(name, '-')) ==
	    NULL)
		return name;
	n = strlen(dash + 1);
	if (n < 2 || n > 3 || strcmp(dash + 1, lang) == 0)
		return name;
	want = xasprintf("%.*s-%s", (int)(dash - name), name, lang);
	b = bot_find(want);
	free(want);
	return b != NULL ? b->name : name;
}

int
bot_scenario_set(const char *name, char **cause)
{
	if (strcmp(name, "-") == 0) {
		free(bot_scenario_name);
		bot_scenario_name = NULL;
		return 0;
	}
	if (bot_find(name) == NULL) {
		*cause = xasprintf(_("no bot %s"), name);
		return -1;
	}
	free(bot_scenario_name);
	bot_scenario_name = xstrdup(name);
	return 0;
}

int
bot_scenario_set_data(const char *name, char **cause)
{
	if (name != NULL && bot_find(name) == NULL) {
		*cause = xasprintf(_("no bot %s"), name);
		return -1;
	}
	free(bot_scenario_data);
	bot_scenario_data = name != NULL ? xstrdup(name) : NULL;
	return 0;
}

const char *
bot_scenario(void)
{
	return bot_scenario_data != NULL ? bot_scenario_data :
	    bot_scenario_name;
}

/*
 * What the bot says, in this order: closed outside its hours, the first
 * pattern that matches (its k-th answer the k-th time), a handoff when
 * this miss makes enough in a row, else a fallback in turn. The greeting
 * comes with anything said on the conversation's first message.
 */
void
bot_decide(const char *name, const char *text, size_t len, int64_t now,
    const struct bot_state *state, struct bot_reply *out)
{
	struct bot		*b;
	struct bot_pattern	*p;
	char			*folded;
	size_t			 i, k;
	int			 after;

	memset(out, 0, sizeof *out);
	out->kind = BOT_NONE;
	out->pattern = -1;
	if ((b = bot_find(name)) == NULL)
		return;

	if (!bot_open(b, now)) {
		out->kind = BOT_CLOSED;
		out->text = xstrdup(b->hours_text);
		goto greet;
	}

	folded = text_fold(text, len);
	for (i = 0; i < b->n_patterns; i++) {
		p = &b->patterns[i];
		if (regexec(&p->re, folded, 0, NULL, 0) != 0)
			continue;
		k = 0;
		if (state != NULL && i < state->n_answered &&
		    state->answered != NULL && state->answered[i] > 0)
			k = (size_t)state->answered[i];
		out->kind = BOT_ANSWER;
		if (p->vary)
			k = bot_phrasing(state != NULL ? state->seed : 0, k,
			    p->n_answers);
		out->text = xstrdup(p->answers[k % p->n_answers]);
		out->pattern = (int)i;
		break;
	}
	free(folded);
	if (out->kind == BOT_ANSWER)
		goto greet;

	after = b->after > 0 ? b->after : rules_fallbacks();
	if (b->handoff != NULL && after > 0 &&
	    (state != NULL ? state->misses : 0) + 1 >= after) {
		free(b->reason);
		/* not translated: the handoff event's reason is stored. */
		b->reason = (state != NULL ? state->misses : 0) == 0 ?
		    xstrdup("the bot did not understand once") :
		    xasprintf("the bot did not understand %d times",
		    state->misses + 1);
		out->kind = BOT_HANDOFF;
		out->text = xstrdup(b->handoff);
		out->reason = b->reason;
		goto greet;
	}
	if (b->n_fallbacks == 0)
		return;
	k = state != NULL && state->fallbacks > 0 ? (size_t)state->fallbacks : 0;
	out->kind = BOT_FALLBACK;
	out->text = xstrdup(b->fallbacks[k % b->n_fallbacks]);

greet:
	if (state != NULL && state->first && b->greeting != NULL)
		out->greeting = xstrdup(b->greeting);
}

void
bot_reply_free(struct bot_reply *r)
{
	free(r->text);
	free(r->greeting);
	r->text = NULL;
	r->greeting = NULL;
}

void
bot_reset(void)
{
	size_t	i;

	for (i = 0; i < bots_n; i++)
		bot_free(bots[i]);
	free(bots);
	bots = NULL;
	bots_n = 0;
	free(bot_scenario_name);
	bot_scenario_name = NULL;
	free(bot_scenario_data);
	bot_scenario_data = NULL;
	for (i = 0; i < surveys_n; i++) {
		free(surveys[i].channel);
		free(surveys[i].text);
	}
	free(surveys);
	surveys = NULL;
	surveys_n = 0;
}

void
bot_survey_set(const char *channel, const char *text, int skip_bot_only)
{
	size_t	i;

	for (i = 0; i < surveys_n; i++) {
		if (strcmp(surveys[i].channel, channel) == 0)
			break;
	}
	if (text == NULL) {
		if (i == surveys_n)
			return;
		free(surveys[i].channel);
		free(surveys[i].text);
		memmove(&surveys[i], &surveys[i + 1],
		    (surveys_n - i - 1) * sizeof *surveys);
		surveys_n--;
		return;
	}
	if (i == surveys_n) {
		surveys = xreallocarray(surveys, surveys_n + 1,
		    sizeof *surveys);
		surveys[surveys_n++].channel = xstrdup(channel);
	} else
		free(surveys[i].text);
	surveys[i].text = xstrdup(text);
	surveys[i].skip_bot_only = skip_bot_only;
}

const struct bot_survey *
bot_survey_for(const char *channel)
{
	const struct bot_survey	*all = NULL;
	size_t			 i;

	for (i = 0; i < surveys_n; i++) {
		if (channel != NULL && strcmp(surveys[i].channel, channel) == 0)
			return &surveys[i];
		if (strcmp(surveys[i].channel, "all") == 0)
			all = &surveys[i];
	}
	return all;
}

/* Words an answer may be, folded (text_fold), French and English. */
static const struct {
	const char	*word;
	int		 score;
} bot_survey_words[] = {
	{ "un", 1 }, { "one", 1 }, { "nul", 1 }, { "nulle", 1 },
	{ "tres mauvais", 1 }, { "horrible", 1 }, { "catastrophique", 1 },
	{ "terrible", 1 }, { "awful", 1 }, { "very bad", 1 },
	{ "deux", 2 }, { "two", 2 }, { "mauvais", 2 }, { "pas bien", 2 },
	{ "decevant", 2 }, { "bad", 2 }, { "poor", 2 },
	{ "trois", 3 }, { "three", 3 }, { "moyen", 3 }, { "bof", 3 },
	{ "passable", 3 }, { "correct", 3 }, { "ok", 3 }, { "okay", 3 },
	{ "average", 3 }, { "so-so", 3 },
	{ "quatre", 4 }, { "four", 4 }, { "bien", 4 }, { "bon", 4 },
	{ "pas mal", 4 }, { "good", 4 }, { "nice", 4 },
	{ "cinq", 5 }, { "five", 5 }, { "excellent", 5 }, { "parfait", 5 },
	{ "genial", 5 }, { "super", 5 }, { "tres bien", 5 }, { "top", 5 },
	{ "perfect", 5 }, { "great", 5 }, { "amazing", 5 },
	{ "very good", 5 }
};

/*
 * A whole answer only: "4", "4/5", "4 sur 5", "excellent !" are scores,
 * "nul, je veux parler a quelqu'un" is a message that reopens.
 */
int
bot_survey_score(const char *text, size_t len)
{
	char	*f, *p, *end;
	size_t	 i;
	int	 score = 0;

	f = text_fold(text, len);
	for (p = f; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'; p++)
		;
	end = p + strlen(p);
	while (end > p && strchr(" \t\r\n.!?*", end[-1]) != NULL)
		*--end = '\0';
	if (*p >= '1' && *p <= '5' && (p[1] == '\0' ||
	    strcmp(p + 1, "/5") == 0 || strcmp(p + 1, " / 5") == 0 ||
	    strcmp(p + 1, " sur 5") == 0 || strcmp(p + 1, " out of 5") == 0))
		score = *p - '0';
	for (i = 0; score == 0 && i < nitems(bot_survey_words); i++) {
		if (strcmp(p, bot_survey_words[i].word) == 0)
			score = bot_survey_words[i].score;
	}
	free(f);
	return score;
}

/*
 * Call cb with each bot as the commands that make it again, in the
 * order they were declared; the scenario last, when one is set.
 */
void
bot_each(void (*cb)(const char *command, void *data), void *data)
{
	struct buf		 b;
	struct bot		*bot;
	struct bot_pattern	*p;
	size_t			 i, j, k;

	buf_init(&b);
	for (i = 0; i < bots_n; i++) {
		bot = bots[i];
		if (bot->greeting != NULL) {
			buf_reset(&b);
			buf_add_printf(&b, "bot-greeting %s ", bot->name);
			cmd_quote_word(&b, bot->greeting);
			cb(b.data, data);
		}
		for (j = 0; j < bot->n_patterns; j++) {
			p = &bot->patterns[j];
			buf_reset(&b);
			buf_add_printf(&b, "bot-answer %s ", bot->name);
			if (p->vary)
				buf_add_str(&b, "vary=yes ");
			cmd_quote_word(&b, p->regex);
			for (k = 0; k < p->n_answers; k++) {
				buf_add_char(&b, ' ');
				cmd_quote_word(&b, p->answers[k]);
			}
			cb(b.data, data);
		}
		if (bot->n_fallbacks != 0) {
			buf_reset(&b);
			buf_add_printf(&b, "bot-fallback %s", bot->name);
			for (k = 0; k < bot->n_fallbacks; k++) {
				buf_add_char(&b, ' ');
				cmd_quote_word(&b, bot->fallbacks[k]);
			}
			cb(b.data, data);
		}
		if (bot->handoff != NULL) {
			buf_reset(&b);
			buf_add_printf(&b, "bot-handoff %s ", bot->name);
			if (bot->after > 0)
				buf_add_printf(&b, "after=%d ", bot->after);
			cmd_quote_word(&b, bot->handoff);
			cb(b.data, data);
		}
		if (bot->hours.spec != NULL) {
			buf_reset(&b);
			buf_add_printf(&b, "bot-hours %s ", bot->name);
			cmd_quote_word(&b, bot->hours.spec);
			buf_add_char(&b, ' ');
			cmd_quote_word(&b, bot->hours_text);
			cb(b.data, data);
		}
	}
	for (i = 0; i < surveys_n; i++) {
		buf_reset(&b);
		buf_add_printf(&b, "bot-survey %s ", surveys[i].channel);
		cmd_quote_word(&b, surveys[i].text);
		if (surveys[i].skip_bot_only)
			buf_add_str(&b, " skip-bot-only=yes");
		cb(b.data, data);
	}
	if (bot_scenario_name != NULL) {
		buf_reset(&b);
		buf_add_printf(&b, "bot-scenario %s", bot_scenario_name);
		cb(b.data, data);
	}
	buf_free(&b);
}
