/*
 * crisis.c: crisis mode as policy, pure (issue 16). A crisis is a topic
 * ("livraison en retard"), since when, the bot that answers in place of
 * the affected channels' own (scenario=, "crisis" unless said) and which
 * channels (channel=, every channel with a built-in bot unless said).
 *
 * The data dir holds it (DATA/crisis, store-crisis.c) so every process on
 * it agrees: the indexer answers with its bot, every console shows it on
 * its status line and lists its view. Here: the topic made a query, the
 * file's text both ways, the crisis in force in this process (given by the
 * store at each read-write open, like the data dir's bot-scenario) and
 * which bot a channel answers with while it lasts.
 *
 * Why a bot of its own rather than DATA/bot-scenario rewritten: `crisis
 * off` must put back exactly what was in force, and a scenario changed
 * meanwhile by someone else would then be lost or wrongly restored. The
 * crisis only takes precedence while its file exists; removing it is the
 * whole restore.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The crisis in force in this process (the data dir's), or none. */
static struct crisis	*crisis_data;

/* Words a topic's query leaves out: they match every conversation. */
static const char *const crisis_stop_words[] = {
	"and", "are", "but", "for", "from", "not", "the", "this", "that",
	"with", "you", "your", "our", "has", "have", "was",
	"avec", "aux", "ces", "ceux", "dans", "des", "est", "les", "leur",
	"mes", "nos", "par", "pas", "pour", "que", "qui", "sans", "ses",
	"sur", "une", "vos", "votre", "notre", NULL
};

void
crisis_free(struct crisis *c)
{
	size_t	i;

	if (c == NULL)
		return;
	free(c->topic);
	free(c->scenario);
	free(c->agent);
	for (i = 0; c->channels != NULL && c->channels[i] != NULL; i++)
		free(c->channels[i]);
	free(c->channels);
	free(c);
}

struct crisis *
crisis_copy(const struct crisis *c)
{
	struct crisis	*copy;
	size_t		 i, n = 0;

	copy = xcalloc(1, sizeof *copy);
	copy->topic = xstrdup(c->topic);
	copy->since = c->since;
	copy->scenario = xstrdup(c->scenario != NULL ? c->scenario :
	    CRISIS_SCENARIO);
	copy->agent = c->agent != NULL ? xstrdup(c->agent) : NULL;
	if (c->channels != NULL) {
		while (c->channels[n] != NULL)
			n++;
		copy->channels = xcalloc(n + 1, sizeof *copy->channels);
		for (i = 0; i < n; i++)
			copy->channels[i] = xstrdup(c->channels[i]);
	}
	return copy;
}

/*
 * A topic is one line a person typed: printable, at most CRISIS_TOPIC_MAX
 * bytes, with at least one word the query can use.
 */
int
crisis_topic_valid(const char *topic, char **cause)
{
	const unsigned char	*p;
	size_t			 bad;
	char			*q;

	if (strlen(topic) > CRISIS_TOPIC_MAX) {
		*cause = xasprintf(_("the topic is longer than %d bytes"),
		    CRISIS_TOPIC_MAX);
		return -1;
	}
	if (!utf8_valid(topic, strlen(topic), &bad)) {
		*cause = xstrdup(_("the topic is not UTF-8"));
		return -1;
	}
	for (p = (const unsigned char *)topic; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			*cause = xstrdup(_("the topic has a control character"));
			return -1;
		}
	}
	if ((q = crisis_query(topic)) == NULL) {
		*cause = xstrdup(_("the topic has no word to search for (three "
		    "letters or more)"));
		return -1;
	}
	free(q);
	return 0;
}

static int
crisis_stop_word(const char *w)
{
	size_t	i;

	for (i = 0; crisis_stop_words[i] != NULL; i++)
		if (strcmp(crisis_stop_words[i], w) == 0)
			return 1;
	return 0;
}

/* Append word to the query once (words are bare: letters and digits). */
static void
crisis_query_add(struct buf *b, struct strset *seen, const char *w)
{
	if (strset_has(seen, w))
		return;
	strset_add(seen, w);
	if (seen->n > 1)
		buf_add_str(b, " or ");
	buf_add_str(b, w);
}

/*
 * The customers' messages that speak of the topic: its words of three
 * letters or more, stop words aside, any of them. Each as typed (lower
 * case) and folded (accents off) when that differs: Xapian indexes the
 * words as written, and customers write "colis abimé" as often as
 * "abîmé". A word is letters and digits only (bytes past ASCII are
 * letters), so nothing of the query language ("and", "tag:", quotes)
 * gets through. NULL when no word is left.
 */
char *
crisis_query(const char *topic)
{
	struct buf	 b;
	struct strset	 seen;
	const char	*p, *start;
	char		*word, *folded, *c;
	size_t		 len, letters;

	buf_init(&b);
	memset(&seen, 0, sizeof seen);
	for (p = topic; *p != '\0';) {
		while (*p != '\0' && !((unsigned char)*p >= 0x80 ||
		    (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9')))
			p++;
		start = p;
		while ((unsigned char)*p >= 0x80 || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
			p++;
		if ((len = (size_t)(p - start)) == 0)
			continue;
		word = xstrndup(start, len);
		folded = text_fold(word, len);
		/* text_fold keeps only ASCII letters; what is left of the
		 * word decides its length and whether it is a stop word. */
		for (c = folded, letters = 0; *c != '\0'; c++) {
			if ((*c >= 'a' && *c <= 'z') ||
			    (*c >= '0' && *c <= '9'))
				letters++;
		}
		if (letters >= 3 && !crisis_stop_word(folded) &&
		    strspn(folded, "abcdefghijklmnopqrstuvwxyz0123456789") ==
		    strlen(folded)) {
			for (c = word; *c != '\0'; c++)
				if (*c >= 'A' && *c <= 'Z')
					*c += 'a' - 'A';
			crisis_query_add(&b, &seen, word);
			crisis_query_add(&b, &seen, folded);
		}
		free(folded);
		free(word);
	}
	strset_free(&seen);
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	word = xasprintf("Kind:customer and (%s)", b.data);
	buf_free(&b);
	return word;
}

/*
 * DATA/crisis's text: "KEY VALUE" lines, topic, since (seconds), scenario,
 * agent, channels (space-separated; none: every channel with a bot).
 */
char *
crisis_format(const struct crisis *c)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	buf_add_printf(&b, "topic %s\nsince %lld\nscenario %s\n", c->topic,
	    (long long)c->since, c->scenario != NULL ? c->scenario :
	    CRISIS_SCENARIO);
	if (c->agent != NULL)
		buf_add_printf(&b, "agent %s\n", c->agent);
	if (c->channels != NULL && c->channels[0] != NULL) {
		buf_add_str(&b, "channels");
		for (i = 0; c->channels[i] != NULL; i++)
			buf_add_printf(&b, " %s", c->channels[i]);
		buf_add_char(&b, '\n');
	}
	return buf_steal(&b);
}

/*
 * Read DATA/crisis's text back: the crisis (free with crisis_free), or
 * NULL with *cause set (no topic, or one crisis on would refuse).
 * Unknown keys are left aside (a newer ombre's).
 */
struct crisis *
crisis_parse(const char *text, char **cause)
{
	struct crisis	*c;
	const char	*p, *nl, *sp;
	char		*line, *value, *w, *save;
	size_t		 n = 0;
	long long	 since;

	c = xcalloc(1, sizeof *c);
	for (p = text; *p != '\0'; p = *nl != '\0' ? nl + 1 : nl) {
		nl = p + strcspn(p, "\n");
		line = xstrndup(p, (size_t)(nl - p));
		if ((sp = strchr(line, ' ')) == NULL) {
			free(line);
			continue;
		}
		value = line + (sp - line) + 1;
		line[sp - line] = '\0';
		if (strcmp(line, "topic") == 0) {
			free(c->topic);
			c->topic = xstrdup(value);
		} else if (strcmp(line, "since") == 0) {
			since = strtoll(value, NULL, 10);
			c->since = since > 0 ? (int64_t)since : 0;
		} else if (strcmp(line, "scenario") == 0 &&
		    bot_name_valid(value)) {
			free(c->scenario);
			c->scenario = xstrdup(value);
		} else if (strcmp(line, "agent") == 0) {
			free(c->agent);
			c->agent = xstrdup(value);
		} else if (strcmp(line, "channels") == 0 &&
		    c->channels == NULL) {
			for (w = strtok_r(value, " ", &save); w != NULL;
			    w = strtok_r(NULL, " ", &save)) {
				c->channels = xreallocarray(c->channels, n + 2,
				    sizeof *c->channels);
				c->channels[n++] = xstrdup(w);
				c->channels[n] = NULL;
			}
		}
		free(line);
	}
	if (c->topic == NULL || *c->topic == '\0') {
		*cause = xstrdup(_("no topic"));
		crisis_free(c);
		return NULL;
	}
	/* The file is the group's: a topic no `crisis on` would take is not
	 * shown to anyone. */
	if (crisis_topic_valid(c->topic, cause) != 0) {
		crisis_free(c);
		return NULL;
	}
	if (c->scenario == NULL)
		c->scenario = xstrdup(CRISIS_SCENARIO);
	return c;
}

void
crisis_set_data(const struct crisis *c)
{
	crisis_free(crisis_data);
	crisis_data = c != NULL ? crisis_copy(c) : NULL;
}

const struct crisis *
crisis_current(void)
{
	return crisis_data;
}

/* Is a channel (its type, or the name `channel` gave it) affected? */
int
crisis_affects(const struct crisis *c, const char *type, const char *name)
{
	size_t	i;

	if (c->channels == NULL || c->channels[0] == NULL)
		return 1;
	for (i = 0; c->channels[i] != NULL; i++) {
		if ((type != NULL && strcmp(c->channels[i], type) == 0) ||
		    (name != NULL && strcmp(c->channels[i], name) == 0))
			return 1;
	}
	return 0;
}

/*
 * The bot a channel with a built-in bot (channel_bot, its bot=) answers
 * with during the crisis in force: its scenario, over any bot-scenario.
 * NULL when no crisis, the channel is not affected or has no bot (its
 * own bot platform answers there), or this process has no such bot (the
 * channel's own then answers rather than none).
 */
const char *
crisis_bot_for(const char *type, const char *name, const char *channel_bot)
{
	const struct crisis	*c = crisis_data;

	if (c == NULL || channel_bot == NULL || *channel_bot == '\0' ||
	    !crisis_affects(c, type, name) || !bot_exists(c->scenario))
		return NULL;
	return c->scenario;
}

/* "CRISIS: livraison (since 14:02)", local time; "since 3 Dec 14:02"
 * once it is older than a day. */
char *
crisis_status_text(const struct crisis *c, int64_t now)
{
	struct tm	tm;
	time_t		t = (time_t)c->since;
	char		when[32];

	localtime_r(&t, &tm);
	if (now - c->since < 24 * 3600)
		strftime(when, sizeof when, "%H:%M", &tm);
	else
		strftime(when, sizeof when, "%d %b %H:%M", &tm);
	return xasprintf(_("CRISIS: %s (since %s)"), c->topic, when);
}

/*
 * The Crisis view while c is on (NULL: gone): every process lists it, the
 * console in its sidebar, ombre list --view Crisis. Redefined whole, so a
 * new topic's query replaces the last.
 */
void
crisis_view_set(const struct crisis *c)
{
	char	*query;

	view_remove(CRISIS_VIEW);
	if (c == NULL || (query = crisis_query(c->topic)) == NULL)
		return;
	view_define(CRISIS_VIEW, query);
	free(query);
}

void
crisis_json(const struct crisis *c, struct json_obj *o)
{
	char	 date[64], *query;
	size_t	 n = 0;

	json_obj_set_str(o, "topic", c->topic);
	util_format_rfc3339(c->since, 0, date, sizeof date);
	json_obj_set_str(o, "since", date);
	if ((query = crisis_query(c->topic)) != NULL) {
		json_obj_set_str(o, "query", query);
		free(query);
	}
	json_obj_set_str(o, "scenario", c->scenario);
	while (c->channels != NULL && c->channels[n] != NULL)
		n++;
	json_obj_set_strv(o, "channels", c->channels, n);
	if (c->agent != NULL)
		json_obj_set_str(o, "agent", c->agent);
}
