/*
 * t-insights.c: what insights.c makes of customers' text: French and
 * English stop words gone, accents folded, two-word phrases (never across
 * punctuation), URLs with their trailing punctuation stripped and their
 * domains, numbers, phone numbers and e-mail addresses not words, e-mail
 * quotes and signatures skipped, hostile text (controls, bad UTF-8,
 * escapes, huge input) cut safely; and the counts: once per message,
 * watched terms by message and conversation, channels, hours, top lists
 * in order, pruning that keeps the frequent.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static void
collect(enum insights_list list, const char *s, size_t len, void *data)
{
	struct buf	*b = data;
	static const char *const tag[] = { "w", "p", "u", "d", "c" };

	if (b->len > 0)
		buf_add_char(b, '|');
	buf_add_printf(b, "%s:%.*s", tag[list], (int)len, s);
}

/* The tokens of text as "w:word|p:two words|u:url|d:domain". */
static char *
tokens(const char *text)
{
	struct buf	b;

	buf_init(&b);
	insights_tokens(text, strlen(text), collect, &b);
	return buf_steal(&b);
}

static void
check(const char *text, const char *expected, const char *name)
{
	char	*got = tokens(text);

	is_str(got, expected, name);
	free(got);
}

static void
test_words(void)
{
	check("Bonjour, je voudrais savoir où est ma commande s'il vous plaît",
	    "w:savoir|w:commande|p:savoir commande",
	    "French: stop words and greetings removed, accents folded");
	check("Hello, I would like to know where my ORDER is, thanks!",
	    "w:know|w:order|p:know order", "English: stop words removed, "
	    "case folded, no phrase across a comma");
	check("Mon colis n'est pas arrivé", "w:colis|w:arrive|p:colis arrive",
	    "elisions and negation are stop words; a phrase across them");
	check("L’adresse de livraison", "w:adresse|w:livraison|"
	    "p:adresse livraison", "a typographic apostrophe's elision");
	check("REMBOURSEMENT ÉCLAIR à Noël",
	    "w:remboursement|w:eclair|p:remboursement eclair|w:noel|"
	    "p:eclair noel", "capitals and accents folded");
	check("Pouvez-vous m'aider ? Le t-shirt est abîmé",
	    "w:aider|w:t-shirt|w:abime|p:t-shirt abime",
	    "an inverted pronoun cut, a hyphenated word kept, no phrase "
	    "across '?'");
	check("the customer's parcel", "w:customer|w:parcel|p:customer parcel",
	    "a possessive's 's dropped");
	check("oui ok merci", "", "nothing but politeness: no word");
	check("a b c x y", "", "single letters are not words");
	check("colis colis", "w:colis|w:colis|p:colis colis",
	    "the tokeniser gives each occurrence (insights_add counts once)");
	ok(insights_stop_word("bonjour") && insights_stop_word("the") &&
	    insights_stop_word("vous") && !insights_stop_word("colis"),
	    "insights_stop_word");
}

static void
test_not_words(void)
{
	check("commande 123456 du 12/03/2026", "w:commande",
	    "numbers and dates are not words, and break phrases");
	check("appelez le 06 12 34 56 78 ou +33 6 12 34 56 78 svp", "w:appelez",
	    "phone numbers are not words");
	check("ref A1234B livraison", "w:ref|w:livraison",
	    "a token mostly digits is a number: no phrase across it");
	check("livraison à 18h ou 6pm, le 2nd", "w:livraison",
	    "times and ordinals start with a digit: numbers");
	check("iphone15 écran", "w:iphone15|w:ecran|p:iphone15 ecran",
	    "a product name with a number is a word");
	check("écrivez à amelie.dupont@example.com ou @support", "w:ecrivez",
	    "e-mail addresses and handles are not words");
	check("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz colis",
	    "w:colis", "a 52-letter token is not a word");
}

static void
test_links(void)
{
	check("Voir https://www.Example.COM/suivi/ABC?x=1.",
	    "u:https://www.example.com/suivi/ABC?x=1|d:example.com|w:voir",
	    "a URL: trailing '.' stripped, scheme and host lower case, path "
	    "kept, the domain without www.");
	check("(lien: http://shop.example.fr/p/(1)), merci",
	    "u:http://shop.example.fr/p/(1)|d:shop.example.fr|w:lien",
	    "a closing bracket the URL opened is kept, the sentence's not");
	check("https://fr.wikipedia.org/wiki/Ombre_(film)]))...",
	    "u:https://fr.wikipedia.org/wiki/Ombre_(film)|"
	    "d:fr.wikipedia.org", "closing brackets: those the URL opened "
	    "kept, the rest stripped");
	check("«https://example.org/a»", "u:https://example.org/a|"
	    "d:example.org", "guillemets around a URL");
	check("www.amazon.fr/commande!!", "u:www.amazon.fr/commande|"
	    "d:amazon.fr", "www. without a scheme");
	check("https://user:pw@Host.Example.net:8443/x", "u:https://user:pw@"
	    "host.example.net:8443/x|d:host.example.net",
	    "user and port are no part of the domain");
	check("http://localhost/ https:// http://a_b.com/", "",
	    "no host with a dot, an empty or a bad host: no link");
	check("colis https://x.example.com/p colis",
	    "u:https://x.example.com/p|d:x.example.com|w:colis|w:colis",
	    "a URL is not words and breaks a phrase");
}

static void
test_email_text(void)
{
	check("Ma commande\n\nLe 3 mars, Ombre a écrit :\n> Votre colis\n"
	    "> est parti\n-- \nAmélie Dupont\nDirectrice", "w:commande",
	    "an e-mail's quote, its header line and its signature skipped");
	check("Thanks\nSent from my iPhone", "", "a phone's signature line");
	check("[image]", "", "an adapter's label is not the customer's");
	check("[unsent by the customer]", "", "nor an unsent message's");
}

static void
test_hostile(void)
{
	struct buf	 b;
	char		*got, *big;
	size_t		 i;

	check("\x1b[31mrouge\x1b[0m colis\x07", "w:rouge|w:colis",
	    "escape sequences cut words, none kept");
	check("colis\xff\xfelivraison", "w:colis|w:livraison",
	    "bad UTF-8 splits words and phrases");
	buf_init(&b);
	insights_tokens("colis\0cache", 11, collect, &b);
	is_str(b.data, "w:colis|w:cache", "a NUL inside the text splits words");
	buf_free(&b);
	check("colis\xe2\x80\xaeremboursement",
	    "w:colis|w:remboursement|p:colis remboursement",
	    "a bidi override is no letter");
	check("https://evil.example.com/\x1b]0;title\x07",
	    "u:https://evil.example.com/|d:evil.example.com",
	    "a control ends a URL");
	check("\xf0\x9f\x93\xa6 colis \xf0\x9f\x98\xa1",
	    "w:colis", "emoji are not words");
	big = xmalloc(1 << 20);
	for (i = 0; i + 6 < (1 << 20); i += 6)
		memcpy(big + i, "colis ", 6);
	big[i] = '\0';
	got = tokens(big);
	ok(strlen(got) < 40 * 1024, "a megabyte of text: only its first "
	    "pages are read, a bounded number of tokens");
	free(got);
	free(big);
}

static void
add(struct insights *ins, const char *text, const char *channel, int hour,
    const char *conv)
{
	insights_add(ins, text, strlen(text), channel, hour, conv);
}

static void
test_counts(void)
{
	struct insights		*ins;
	struct insights_item	*items;
	size_t			 n, i;
	long			 m, c;
	char			 word[32];

	watch_reset();
	ins = insights_new();
	add(ins, "Mon colis colis colis n'est pas arrivé", "telegram", 9,
	    "t1");
	add(ins, "Colis perdu, remboursement ?", "telegram", 9, "t1");
	add(ins, "Where is my parcel? https://track.example.com/1", "whatsapp",
	    14, "t2");
	add(ins, "colis arrivé, merci", "sms", 23, "t3");
	is_int(insights_messages(ins), 4, "four messages");
	is_int(insights_conversations(ins), 3, "in three conversations");
	is_int(insights_hour(ins, 9), 2, "two at 9h");
	is_int(insights_hour(ins, 23), 1, "one at 23h");
	is_int(insights_hour(ins, 24), 0, "no hour 24");
	items = insights_top(ins, INSIGHTS_TOPICS, 3, &n);
	is_int((long long)n, 3, "--limit 3 gives three topics");
	is_str(items[0].key, "colis", "colis comes first");
	is_int(items[0].count, 3, "in three messages (repeats count once)");
	is_str(items[1].key, "arrive", "then arrive");
	is_int(items[1].count, 2, "in two");
	is_str(items[2].key, "parcel", "ties by key: parcel before perdu");
	free(items);
	items = insights_top(ins, INSIGHTS_PHRASES, 0, &n);
	is_str(n > 0 ? items[0].key : "", "colis arrive", "the top phrase");
	is_int(n > 0 ? items[0].count : 0, 2, "in two messages");
	free(items);
	items = insights_top(ins, INSIGHTS_DOMAINS, 0, &n);
	is_int((long long)n, 1, "one domain");
	is_str(n > 0 ? items[0].key : "", "track.example.com", "its name");
	free(items);
	items = insights_top(ins, INSIGHTS_CHANNELS, 0, &n);
	is_str(n == 3 ? items[0].key : "", "telegram", "telegram first");
	is_int(n == 3 ? items[0].count : 0, 2, "with two messages");
	free(items);
	/* The defaults: commande, livraison, colis, remboursement, order,
	 * delivery, parcel, refund. */
	insights_watch(ins, 2, &m, &c);
	is_int(m, 3, "watched colis: three messages");
	is_int(c, 2, "in two conversations");
	insights_watch(ins, 6, &m, &c);
	is_int(m * 10 + c, 11, "parcel: one message, one conversation");
	insights_watch(ins, 0, &m, &c);
	is_int(m, 0, "commande: none");
	ok(!insights_pruned(ins), "nothing forgotten");
	insights_free(ins);

	/* Many distinct words once each, one word in every message: the
	 * table prunes the rare, the frequent keeps its exact count. */
	ins = insights_new();
	for (i = 0; i < 300000; i++) {
		snprintf(word, sizeof word, "colis mot%zux", i);
		for (n = 3; word[n + 3] != '\0'; n++) {
			if (word[n + 3] >= '0' && word[n + 3] <= '9')
				word[n + 3] = (char)('a' + word[n + 3] - '0');
		}
		insights_add(ins, word, strlen(word), "demo", -1, "t");
	}
	ok(insights_pruned(ins), "300,000 distinct words: the rarest were "
	    "forgotten");
	items = insights_top(ins, INSIGHTS_TOPICS, 1, &n);
	is_str(items[0].key, "colis", "the frequent word is kept");
	is_int(items[0].count, 300000, "with its exact count");
	free(items);
	insights_free(ins);
}

int
main(void)
{
	test_words();
	test_not_words();
	test_links();
	test_email_text();
	test_hostile();
	test_counts();
	done_testing();
	return exit_status();
}
