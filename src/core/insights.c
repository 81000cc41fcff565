/*
 * insights.c: what customers write, counted (`ombre insights`): the
 * words and two-word phrases they use most, the links they share, the
 * watched terms (watch.c), their channels and hours. Pure text work: the
 * store hands each customer message in, once.
 *
 * The text is folded (text_fold: case, accents) line by line and cut
 * into words on word boundaries. What is not a word: French and English
 * function words, greetings and politeness (a stop list below), numbers
 * (a token that starts with a digit or has as many digits as letters:
 * order numbers, phone numbers, prices, times), URLs and e-mail addresses, tokens of one byte or of
 * more than 40. Quoted lines of an e-mail ("> ..."), its "On ... wrote:"
 * line, a "Sent from my phone" line and its signature (after "-- ") are
 * not the customer's words, nor is the label an adapter writes for what
 * has no text ("[image]", "[unsent by the customer]").
 *
 * A phrase is two words next to each other once stop words are removed
 * ("ma commande n'est pas arrivée" gives "commande arrivee"), never across
 * punctuation or a dropped token. A word, a phrase or a link counts once
 * per message: the figures are messages that mention it, so a customer
 * repeating a word ten times does not outweigh ten customers.
 *
 * Memory is bounded: each table of counts keeps at most a fixed number of
 * keys; when full, the keys seen least are forgotten (lossy counting:
 * those of count 1, then 2..., until half the table is free). Frequent
 * keys keep exact counts unless they first appeared rarely among very
 * many others; insights_pruned() says when it happened.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

/* The bytes of a message looked at: a long e-mail's first pages. */
#define INS_TEXT_MAX	8192
/* Tokens of a message counted, at most. */
#define INS_TOKENS_MAX	1024
/* The longest word (bytes, folded) and the longest URL kept. */
#define INS_WORD_MAX	40
#define INS_URL_MAX	512
#define INS_HOST_MAX	253

/* Keys a table keeps before the rarest are forgotten. */
#define INS_WORDS_MAX	(1 << 17)
#define INS_LINKS_MAX	(1 << 15)
#define INS_CHANNELS_MAX 1024

/*
 * French and English function words, greetings and politeness, folded
 * (no accents) and sorted at first use. Verbs of every sentence (être,
 * avoir, pouvoir, vouloir, faire; be, have, can, want) are here too:
 * they are in every message and say nothing of its topic.
 */
static const char *ins_stop_words[] = {
	/* French */
	"a", "accord", "afin", "ai", "aie", "ainsi", "ait", "alors", "apres",
	"as", "assez", "au", "aucun", "aucune", "aujourd'hui", "auparavant",
	"aupres", "aura", "aurai", "auraient", "aurais", "aurait", "auriez",
	"aurons", "auront", "aussi", "autre", "autres", "aux", "avaient",
	"avais", "avait", "avant", "avec", "avez", "aviez", "avions", "avoir",
	"avons", "ayant", "beaucoup", "bien", "bientot", "bon", "bonjour",
	"bonne", "bonnes", "bons", "bonsoir", "ca", "car", "ce", "ceci",
	"cela", "celle", "celles", "celui", "cependant", "certain", "certaine",
	"ces", "cest", "cet", "cette", "ceux", "chaque", "chez", "chose", "ci",
	"comme", "comment", "cordialement", "coucou", "daccord", "dans", "de",
	"deja", "depuis", "des", "desole", "desolee", "dire", "dit", "dites",
	"dois", "doit", "donc", "dont", "du", "elle", "elles", "en", "encore",
	"entre", "es", "est", "et", "etaient", "etais", "etait", "etant",
	"etc", "ete", "etes", "etre", "eu", "eux", "faire", "fais", "fait",
	"faites", "faut", "font", "hier", "ici", "il", "ils", "jai", "jamais",
	"je", "journee", "jusqu", "juste", "la", "laquelle", "le", "lequel",
	"les", "lesquels", "leur", "leurs", "lui", "ma", "madame",
	"mademoiselle", "mais", "me", "meme", "memes", "merci", "mes",
	"messieurs", "mien", "mienne", "moi", "moins", "mon", "monsieur", "ne",
	"ni", "non", "nos", "notre", "nous", "on", "ont", "ou", "oui", "par",
	"parce", "pas", "pendant", "peu", "peut", "peut-etre", "peuvent",
	"peux", "plait", "plus", "pour", "pourquoi", "pourrais", "pourrait",
	"pourriez", "pouvez", "pouvoir", "pouvons", "pu", "puis", "puisqu",
	"qu", "quand", "que", "quel", "quelle", "quelles", "quelqu'un",
	"quelque", "quelques", "quels", "qui", "quoi", "rien", "sa", "salut",
	"sans", "se", "sera", "serai", "serait", "ses", "si", "sil", "soiree",
	"soit", "son", "sont", "sous", "stp", "suis", "sur", "svp", "ta",
	"tant", "te", "tes", "toi", "ton", "toujours", "tous", "tout", "toute",
	"toutes", "tres", "trop", "tu", "un", "une", "va", "vais", "vas",
	"veuillez", "veut", "veux", "voici", "voila", "vont", "vos", "votre",
	"voudrais", "voudrait", "voudrions", "voulez", "vouloir", "vous", "vu",
	"ya",
	/* English */
	"about", "above", "after", "again", "all", "also", "am", "an", "and",
	"any", "are", "aren't", "as", "at", "be", "because", "been", "before",
	"being", "best", "both", "but", "by", "can", "can't", "cannot", "cant",
	"could", "couldn't", "dear", "did", "didn't", "do", "does", "doesn't",
	"doing", "don't", "dont", "each", "even", "evening", "for", "from",
	"get", "good", "got", "had", "has", "hasn't", "have", "haven't",
	"having", "he", "hello", "her", "here", "hers", "hey", "hi", "him",
	"his", "how", "i'd", "i'll", "i'm", "i've", "if", "im", "in", "into",
	"is", "isn't", "it", "it's", "its", "ive", "just", "kind", "let's",
	"like", "madam", "may", "me", "might", "more", "morning", "most", "mr",
	"mrs", "ms", "much", "must", "my", "need", "no", "nope", "not", "now",
	"of", "off", "ok", "okay", "on", "once", "only", "or", "other", "our",
	"ours", "out", "over", "please", "pls", "plz", "really", "regards",
	"same", "shall", "she", "should", "shouldn't", "sir", "so", "some",
	"still", "such", "than", "thank", "thanks", "that", "that's", "the",
	"their", "theirs", "them", "then", "there", "there's", "these", "they",
	"they're", "this", "those", "through", "thx", "to", "too", "under",
	"until", "up", "us", "very", "want", "wanted", "was", "wasn't", "we",
	"we're", "well", "were", "what", "when", "where", "which", "while",
	"who", "whom", "whose", "why", "will", "with", "won't", "would",
	"wouldn't", "yeah", "yep", "yes", "you", "you're", "your", "yours",
	/* What ombre and the channels write (see also ins_label). */
	"re", "fw", "fwd",
	NULL
};
static size_t	ins_n_stop;

/* French elisions: "l'adresse" is "adresse", "qu'il" is "il". */
static const char *const ins_elisions[] = {
	"c", "d", "j", "l", "m", "n", "qu", "s", "t", "jusqu", "lorsqu",
	"puisqu", "quoiqu", NULL
};

/* Pronouns after a hyphen: "pouvez-vous" is "pouvez", "a-t-il" "a". */
static const char *const ins_pronouns[] = {
	"je", "tu", "il", "elle", "on", "nous", "vous", "ils", "elles", "ce",
	"moi", "toi", "le", "la", "les", "lui", "leur", "y", "en", "t", NULL
};

/* A table of counts by key. */
struct ins_entry {
	char		*key;
	uint64_t	 hash;
	long		 count;
};
struct ins_table {
	struct ins_entry	*slots;
	size_t			 size;	/* a power of two */
	size_t			 n;
	size_t			 max;	/* keys kept before pruning */
	int			 pruned;
};

/* A set of 64-bit hashes (conversations), 0 never stored. */
struct ins_set {
	uint64_t	*slots;
	size_t		 size;
	size_t		 n;
};

struct insights {
	struct ins_table	 lists[INSIGHTS_N_LISTS];
	long			 messages;
	struct ins_set		 convs;
	long			 hours[24];
	size_t			 n_watch;
	long			*watch_msgs;
	struct ins_set		*watch_convs;
	/* The message being counted: hashes of what it mentioned. */
	uint64_t		 seen[INS_TOKENS_MAX];
	size_t			 n_seen;
};

static int
ins_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
ins_stop_init(void)
{
	if (ins_n_stop != 0)
		return;
	while (ins_stop_words[ins_n_stop] != NULL)
		ins_n_stop++;
	qsort(ins_stop_words, ins_n_stop, sizeof *ins_stop_words, ins_strcmp);
}

int
insights_stop_word(const char *folded)
{
	ins_stop_init();
	return bsearch(&folded, ins_stop_words, ins_n_stop,
	    sizeof *ins_stop_words, ins_strcmp) != NULL;
}

static int
ins_in(const char *const *list, const char *s, size_t len)
{
	size_t	i;

	for (i = 0; list[i] != NULL; i++) {
		if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------ tables */

static void
ins_table_init(struct ins_table *t, size_t max)
{
	memset(t, 0, sizeof *t);
	t->max = max;
}

static void
ins_table_free(struct ins_table *t)
{
	size_t	i;

	for (i = 0; i < t->size; i++)
		free(t->slots[i].key);
	free(t->slots);
}

static void
ins_table_rehash(struct ins_table *t, size_t size)
{
	struct ins_entry	*old = t->slots;
	size_t			 old_size = t->size, i, h;

	t->slots = xcalloc(size, sizeof *t->slots);
	t->size = size;
	for (i = 0; i < old_size; i++) {
		if (old[i].key == NULL)
			continue;
		h = old[i].hash & (size - 1);
		while (t->slots[h].key != NULL)
			h = (h + 1) & (size - 1);
		t->slots[h] = old[i];
	}
	free(old);
}

/* Forget the rarest keys until half the table is free. */
static void
ins_table_prune(struct ins_table *t)
{
	size_t	i;
	long	floor;

	for (floor = 1; t->n > t->max / 2; floor++) {
		for (i = 0; i < t->size; i++) {
			if (t->slots[i].key == NULL ||
			    t->slots[i].count > floor)
				continue;
			free(t->slots[i].key);
			t->slots[i].key = NULL;
			t->n--;
		}
	}
	t->pruned = 1;
	ins_table_rehash(t, t->size);
}

static void
ins_table_add(struct ins_table *t, const char *key, size_t len,
    uint64_t hash)
{
	size_t	h;

	if (t->n >= t->max)
		ins_table_prune(t);
	if ((t->n + 1) * 2 > t->size)
		ins_table_rehash(t, t->size == 0 ? 64 : t->size * 2);
	h = hash & (t->size - 1);
	while (t->slots[h].key != NULL) {
		if (t->slots[h].hash == hash &&
		    strncmp(t->slots[h].key, key, len) == 0 &&
		    t->slots[h].key[len] == '\0') {
			t->slots[h].count++;
			return;
		}
		h = (h + 1) & (t->size - 1);
	}
	t->slots[h].key = xstrndup(key, len);
	t->slots[h].hash = hash;
	t->slots[h].count = 1;
	t->n++;
}

static uint64_t
ins_hash(const char *s, size_t len)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

/* Add h to a set: 1 when it was not there. */
static int
ins_set_add(struct ins_set *s, uint64_t h)
{
	uint64_t	*old;
	size_t		 old_size, i, j;

	if (h == 0)
		h = 1;
	if ((s->n + 1) * 2 > s->size) {
		old = s->slots;
		old_size = s->size;
		s->size = s->size == 0 ? 64 : s->size * 2;
		s->slots = xcalloc(s->size, sizeof *s->slots);
		for (i = 0; i < old_size; i++) {
			if (old[i] == 0)
				continue;
			j = old[i] & (s->size - 1);
			while (s->slots[j] != 0)
				j = (j + 1) & (s->size - 1);
			s->slots[j] = old[i];
		}
		free(old);
	}
	j = h & (s->size - 1);
	while (s->slots[j] != 0) {
		if (s->slots[j] == h)
			return 0;
		j = (j + 1) & (s->size - 1);
	}
	s->slots[j] = h;
	s->n++;
	return 1;
}

/* ------------------------------------------------------------- tokens */

/* Is cp a letter of a script ombre can cut into words? Latin is folded
 * to ASCII before; symbols, emoji and punctuation are not letters. */
static int
ins_letter(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
	return (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
	    (cp >= 0x370 && cp <= 0x3FF) ||	/* Greek */
	    (cp >= 0x400 && cp <= 0x52F) ||	/* Cyrillic */
	    (cp >= 0x531 && cp <= 0x6FF) ||	/* Armenian, Hebrew, Arabic */
	    (cp >= 0x900 && cp <= 0xE7F) ||	/* Indic, Thai */
	    (cp >= 0x1E00 && cp <= 0x1EFF) ||	/* Latin Extended Additional */
	    (cp >= 0x3040 && cp <= 0x30FF) ||	/* kana */
	    (cp >= 0x4E00 && cp <= 0x9FFF) ||	/* CJK */
	    (cp >= 0xAC00 && cp <= 0xD7AF);	/* Hangul */
}

/* Punctuation that ends a phrase: no phrase spans it. */
static int
ins_hard(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp < 0x80 &&
	    strchr(".,;:!?()[]{}/\\|<>=+&#@$%^~`", (int)cp) != NULL) ||
	    cp == 0xFFFD || cp == 0x2026 || cp == 0x3002;
}

/* Case-insensitive ASCII prefix. */
static int
ins_prefix(const char *s, size_t len, const char *prefix)
{
	size_t	n = strlen(prefix), i;
	char	c;

	if (len < n)
		return 0;
	for (i = 0; i < n; i++) {
		c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != prefix[i])
			return 0;
	}
	return 1;
}

/*
 * Where a URL starts in chunk[0..len): "http://", "https://" (anywhere,
 * "voir:https://..."), or "www." at the start or after punctuation; len
 * when there is none.
 */
static size_t
ins_url_start(const char *chunk, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++) {
		if ((chunk[i] == 'h' || chunk[i] == 'H') &&
		    (ins_prefix(chunk + i, len - i, "http://") ||
		    ins_prefix(chunk + i, len - i, "https://")))
			return i;
		if ((chunk[i] == 'w' || chunk[i] == 'W') &&
		    ins_prefix(chunk + i, len - i, "www.") &&
		    (i == 0 || strchr("([<{\"'*", chunk[i - 1]) != NULL))
			return i;
	}
	return len;
}

/* The length of a URL once its trailing punctuation is stripped: "."
 * and "," of the sentence, a closing bracket it did not open, quotes. */
static size_t
ins_url_trim(const char *u, size_t len)
{
	static const char	 closing[] = ")]}", opening[] = "([{";
	size_t			 i, k;
	size_t			 open[3] = { 0, 0, 0 }, close[3] = { 0, 0, 0 };
	const char		*p;
	char			 c;

	/* Counted once: stripping is then linear, whatever the input. */
	for (i = 0; i < len; i++) {
		if ((p = strchr(opening, u[i])) != NULL && u[i] != '\0')
			open[p - opening]++;
		else if ((p = strchr(closing, u[i])) != NULL && u[i] != '\0')
			close[p - closing]++;
	}
	for (;;) {
		if (len == 0)
			return 0;
		c = u[len - 1];
		if (strchr(".,;:!?'\"*>", c) != NULL && c != '\0') {
			len--;
			continue;
		}
		if ((p = strchr(closing, c)) != NULL && c != '\0') {
			k = (size_t)(p - closing);
			if (close[k] <= open[k])
				return len;
			close[k]--;
			len--;
			continue;
		}
		/* », ”, ’, … and 。 in UTF-8. */
		if (len >= 2 && (unsigned char)u[len - 2] == 0xC2 &&
		    (unsigned char)u[len - 1] == 0xBB) {
			len -= 2;
			continue;
		}
		if (len >= 3 && (((unsigned char)u[len - 3] == 0xE2 &&
		    (unsigned char)u[len - 2] == 0x80 &&
		    ((unsigned char)u[len - 1] == 0x9D ||
		    (unsigned char)u[len - 1] == 0x99 ||
		    (unsigned char)u[len - 1] == 0xA6)) ||
		    ((unsigned char)u[len - 3] == 0xE3 &&
		    (unsigned char)u[len - 2] == 0x80 &&
		    (unsigned char)u[len - 1] == 0x82))) {
			len -= 3;
			continue;
		}
		return len;
	}
}

/*
 * The URL u[0..len) as counted (scheme and host in lower case, cut to
 * INS_URL_MAX on a character) into url, its domain (host without
 * "www.", user or port) into host: 0, or -1 when it has no host that
 * looks like one (letters, digits, '-', '.', non-ASCII; a dot inside).
 */
static int
ins_url_parse(const char *u, size_t len, struct buf *url, struct buf *host)
{
	size_t	i, start, end, at, colon;
	char	c;

	buf_reset(url);
	buf_reset(host);
	start = 0;
	if (ins_prefix(u, len, "http://"))
		start = 7;
	else if (ins_prefix(u, len, "https://"))
		start = 8;
	for (end = start; end < len && strchr("/?#", u[end]) == NULL; end++)
		;
	/* user:password@host:port */
	for (at = start, i = start; i < end; i++) {
		if (u[i] == '@')
			at = i + 1;
	}
	for (colon = end, i = at; i < end; i++) {
		if (u[i] == ':') {
			colon = i;
			break;
		}
	}
	for (i = at; i < colon; i++) {
		c = u[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || (unsigned char)c >= 0x80))
			return -1;
		buf_add_char(host, c);
	}
	while (host->len > 0 && host->data[host->len - 1] == '.')
		host->data[--host->len] = '\0';
	if (ins_prefix(host->data, host->len, "www.")) {
		memmove(host->data, host->data + 4, host->len - 4 + 1);
		host->len -= 4;
	}
	if (host->len == 0 || host->len > INS_HOST_MAX ||
	    host->data[0] == '.' || strchr(host->data, '.') == NULL)
		return -1;
	for (i = 0; i < len && i < INS_URL_MAX; i++) {
		c = u[i];
		if (i < colon && c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		buf_add_char(url, c);
	}
	/* Cut on a character: never half a UTF-8 sequence. */
	if (len > INS_URL_MAX) {
		while (url->len > 0 &&
		    ((unsigned char)url->data[url->len - 1] & 0xC0) == 0x80)
			url->data[--url->len] = '\0';
		if (url->len > 0 &&
		    (unsigned char)url->data[url->len - 1] >= 0xC0)
			url->data[--url->len] = '\0';
	}
	return 0;
}

/* The tokeniser's state over one message. */
struct ins_tok {
	insights_token_cb	 cb;
	void			*data;
	struct buf		 prev;	/* the word before, for a phrase */
	int			 broken;	/* no phrase with prev */
	struct buf		 url, host, phrase;
	size_t			 emitted;
};

static void
ins_emit(struct ins_tok *t, enum insights_list list, const char *s,
    size_t len)
{
	if (t->emitted >= INS_TOKENS_MAX)
		return;
	t->emitted++;
	t->cb(list, s, len, t->data);
}

/* A word (folded) as found: stop words skipped, numbers dropped, words
 * and phrases emitted. */
static void
ins_word(struct ins_tok *t, const char *w, size_t len)
{
	char		 word[INS_WORD_MAX * 2 + 1];
	const char	*q, *dash;
	size_t		 i, letters = 0, digits = 0;

	if (len > INS_WORD_MAX) {
		t->broken = 1;
		return;
	}
	/* Elisions: l'adresse, qu'il, jusqu'a. */
	while ((q = memchr(w, '\'', len)) != NULL &&
	    ins_in(ins_elisions, w, (size_t)(q - w))) {
		len -= (size_t)(q - w) + 1;
		w = q + 1;
	}
	memcpy(word, w, len);
	word[len] = '\0';
	if (insights_stop_word(word))
		return;
	/* The customer's, the order's. */
	if (len > 2 && strcmp(word + len - 2, "'s") == 0)
		word[len -= 2] = '\0';
	/* Inverted pronouns: pouvez-vous, a-t-il, dites-moi. */
	while ((dash = strrchr(word, '-')) != NULL && dash != word &&
	    ins_in(ins_pronouns, dash + 1, strlen(dash + 1)))
		word[len = (size_t)(dash - word)] = '\0';
	if (len < 2 || insights_stop_word(word))
		return;
	for (i = 0; i < len; i++) {
		if (word[i] >= '0' && word[i] <= '9')
			digits++;
		else if (word[i] != '-' && word[i] != '\'' &&
		    ((unsigned char)word[i] < 0x80 ||
		    ((unsigned char)word[i] & 0xC0) == 0xC0))
			letters++;
	}
	if ((word[0] >= '0' && word[0] <= '9') || digits >= letters) {
		t->broken = 1;		/* a number */
		return;
	}
	ins_emit(t, INSIGHTS_TOPICS, word, len);
	if (!t->broken && t->prev.len > 0) {
		buf_reset(&t->phrase);
		buf_add(&t->phrase, t->prev.data, t->prev.len);
		buf_add_char(&t->phrase, ' ');
		buf_add(&t->phrase, word, len);
		ins_emit(t, INSIGHTS_PHRASES, t->phrase.data, t->phrase.len);
	}
	buf_reset(&t->prev);
	buf_add(&t->prev, word, len);
	t->broken = 0;
}

/* Cut a folded chunk (no URL, no address) into words. */
static void
ins_words(struct ins_tok *t, const char *s, size_t len)
{
	size_t		 i = 0, n, start = 0, end = 0;
	uint32_t	 cp;
	int		 in = 0;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if ((cp < 0x80 && cp >= '0' && cp <= '9') || ins_letter(cp)) {
			if (!in)
				start = i;
			in = 1;
			end = i + n;
		} else if (in && (cp == '\'' || cp == '-') && i + n < len) {
			/* Inside a word only when a letter follows. */
			uint32_t	next;

			utf8_decode(s + i + n, len - i - n, &next);
			if (!((next >= '0' && next <= '9') ||
			    ins_letter(next))) {
				ins_word(t, s + start, end - start);
				in = 0;
			}
		} else {
			if (in)
				ins_word(t, s + start, end - start);
			in = 0;
			if (ins_hard(cp))
				t->broken = 1;
		}
		i += n;
	}
	if (in)
		ins_word(t, s + start, end - start);
}

/* Does a chunk hold an e-mail address or a handle? Not words. */
static int
ins_address(const char *s, size_t len)
{
	return memchr(s, '@', len) != NULL;
}

/*
 * The length of the separator of chunks at s[0..len): a space, a no-break
 * space, a control, or a whole terminal escape sequence (CSI, OSC up to
 * its BEL or ST, or ESC and one byte), so that "\e[31mrouge" is "rouge";
 * 0 when s starts a chunk. *hard when it ends a phrase (not a space).
 */
static size_t
ins_sep(const char *s, size_t len, int *hard)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i;

	*hard = 0;
	if (u[0] == ' ' || u[0] == '\t')
		return 1;
	if (len >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (len >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)
		return 3;
	if (u[0] > 0x20 && u[0] != 0x7F)
		return 0;
	*hard = 1;
	if (u[0] != 0x1B || len < 2)
		return 1;
	if (u[1] == '[') {
		for (i = 2; i < len && u[i] >= 0x20 && u[i] <= 0x3F; i++)
			;
		return i < len && u[i] >= 0x40 && u[i] <= 0x7E ? i + 1 : i;
	}
	if (u[1] == ']' || u[1] == 'P' || u[1] == '_' || u[1] == '^') {
		for (i = 2; i < len; i++) {
			if (u[i] == 0x07)
				return i + 1;
			if (u[i] == 0x1B && i + 1 < len && u[i + 1] == '\\')
				return i + 2;
		}
		return len;
	}
	return 2;
}

/* The next chunk of s[0..len) from *i: its start, *i past it; len when
 * none is left. *hard when a separator before it ends a phrase. */
static size_t
ins_chunk(const char *s, size_t len, size_t *i, int *hard)
{
	size_t	n, start;
	int	h;

	*hard = 0;
	while (*i < len && (n = ins_sep(s + *i, len - *i, &h)) != 0) {
		*i += n;
		*hard |= h;
	}
	start = *i;
	while (*i < len && ins_sep(s + *i, len - *i, &h) == 0)
		(*i)++;
	return start;
}

/*
 * The chunks of a raw line: URLs emitted with their domains. The part of
 * a chunk before a URL is words; the URL and what follows it are not.
 */
static void
ins_line_urls(struct ins_tok *t, const char *s, size_t len)
{
	size_t	i = 0, start, at, n;
	int	hard;

	while (i < len) {
		start = ins_chunk(s, len, &i, &hard);
		at = ins_url_start(s + start, i - start);
		if (at == i - start)
			continue;
		n = ins_url_trim(s + start + at, i - start - at);
		if (ins_url_parse(s + start + at, n, &t->url, &t->host) != 0)
			continue;
		ins_emit(t, INSIGHTS_LINKS, t->url.data, t->url.len);
		ins_emit(t, INSIGHTS_DOMAINS, t->host.data, t->host.len);
	}
}

/* The words of a folded line, chunk by chunk. */
static void
ins_line_words(struct ins_tok *t, const char *s, size_t len)
{
	size_t	i = 0, start, at;
	int	hard;

	t->broken = 1;
	while (i < len) {
		start = ins_chunk(s, len, &i, &hard);
		if (hard)
			t->broken = 1;
		if (i == start)
			break;
		at = ins_url_start(s + start, i - start);
		if (ins_address(s + start, at)) {
			t->broken = 1;
			continue;
		}
		ins_words(t, s + start, at);
		if (at < i - start)
			t->broken = 1;
	}
}

/* A folded line that is not the customer's words: an e-mail's quote,
 * its header line, a phone's signature line. */
static int
ins_line_skipped(const char *f, size_t len)
{
	while (len > 0 && (*f == ' ' || *f == '\t')) {
		f++;
		len--;
	}
	while (len > 0 && (f[len - 1] == ' ' || f[len - 1] == '\t' ||
	    f[len - 1] == '\r'))
		len--;
	if (len > 0 && f[0] == '>')
		return 1;
	if (ins_prefix(f, len, "sent from my ") ||
	    ins_prefix(f, len, "envoye de mon ") ||
	    ins_prefix(f, len, "envoye depuis mon ") ||
	    ins_prefix(f, len, "get outlook for "))
		return 1;
	if ((len >= 6 && memcmp(f + len - 6, "wrote:", 6) == 0) ||
	    (len >= 8 && memcmp(f + len - 8, "a ecrit:", 8) == 0) ||
	    (len >= 9 && memcmp(f + len - 9, "a ecrit :", 9) == 0))
		return 1;
	return 0;
}

/*
 * Call line_cb on each line of text that is the customer's (folded, and
 * raw), up to an e-mail signature; after an adapter's leading label.
 */
typedef void (*ins_line_cb)(const char *raw, size_t raw_len,
    const char *folded, size_t folded_len, void *data);

static void
ins_lines(const char *text, size_t len, ins_line_cb cb, void *data)
{
	const char	*nl, *end;
	char		*f;
	size_t		 n;

	if (len > INS_TEXT_MAX)
		len = INS_TEXT_MAX;
	/* "[image]", "[sticker 1/2]", "[unsent by the customer]". */
	if (len > 0 && text[0] == '[' && (end = memchr(text, ']',
	    len < 200 ? len : 200)) != NULL) {
		len -= (size_t)(end - text) + 1;
		text = end + 1;
	}
	while (len > 0) {
		nl = memchr(text, '\n', len);
		n = nl != NULL ? (size_t)(nl - text) : len;
		/* An e-mail signature: "-- " alone on its line. */
		if ((n == 3 && memcmp(text, "-- ", 3) == 0) ||
		    (n == 4 && memcmp(text, "-- \r", 4) == 0))
			return;
		f = text_fold(text, n);
		if (!ins_line_skipped(f, strlen(f)))
			cb(text, n, f, strlen(f), data);
		free(f);
		if (nl == NULL)
			break;
		len -= n + 1;
		text += n + 1;
	}
}

static void
ins_tok_line(const char *raw, size_t raw_len, const char *folded,
    size_t folded_len, void *data)
{
	struct ins_tok	*t = data;

	ins_line_urls(t, raw, raw_len);
	ins_line_words(t, folded, folded_len);
}

static void
ins_tok_init(struct ins_tok *t, insights_token_cb cb, void *data)
{
	memset(t, 0, sizeof *t);
	t->cb = cb;
	t->data = data;
	buf_init(&t->prev);
	buf_init(&t->url);
	buf_init(&t->host);
	buf_init(&t->phrase);
	t->broken = 1;
}

static void
ins_tok_free(struct ins_tok *t)
{
	buf_free(&t->prev);
	buf_free(&t->url);
	buf_free(&t->host);
	buf_free(&t->phrase);
}

void
insights_tokens(const char *text, size_t len, insights_token_cb cb,
    void *data)
{
	struct ins_tok	t;

	ins_tok_init(&t, cb, data);
	ins_lines(text, len, ins_tok_line, &t);
	ins_tok_free(&t);
}

/* ------------------------------------------------------------ counts */

struct insights *
insights_new(void)
{
	struct insights	*ins;
	size_t		 i;

	ins = xcalloc(1, sizeof *ins);
	ins_table_init(&ins->lists[INSIGHTS_TOPICS], INS_WORDS_MAX);
	ins_table_init(&ins->lists[INSIGHTS_PHRASES], INS_WORDS_MAX);
	ins_table_init(&ins->lists[INSIGHTS_LINKS], INS_LINKS_MAX);
	ins_table_init(&ins->lists[INSIGHTS_DOMAINS], INS_LINKS_MAX);
	ins_table_init(&ins->lists[INSIGHTS_CHANNELS], INS_CHANNELS_MAX);
	ins->n_watch = watch_count();
	ins->watch_msgs = xcalloc(ins->n_watch + 1, sizeof *ins->watch_msgs);
	ins->watch_convs = xcalloc(ins->n_watch + 1,
	    sizeof *ins->watch_convs);
	for (i = 0; i < nitems(ins->hours); i++)
		ins->hours[i] = 0;
	return ins;
}

void
insights_free(struct insights *ins)
{
	size_t	i;

	if (ins == NULL)
		return;
	for (i = 0; i < INSIGHTS_N_LISTS; i++)
		ins_table_free(&ins->lists[i]);
	free(ins->convs.slots);
	for (i = 0; i < ins->n_watch; i++)
		free(ins->watch_convs[i].slots);
	free(ins->watch_convs);
	free(ins->watch_msgs);
	free(ins);
}

/* A token of the message being counted: once per message. */
static void
ins_count_token(enum insights_list list, const char *s, size_t len,
    void *data)
{
	struct insights	*ins = data;
	uint64_t	 h = ins_hash(s, len), key = h ^ ((uint64_t)list << 56);
	size_t		 i;

	for (i = 0; i < ins->n_seen; i++) {
		if (ins->seen[i] == key)
			return;
	}
	if (ins->n_seen < nitems(ins->seen))
		ins->seen[ins->n_seen++] = key;
	ins_table_add(&ins->lists[list], s, len, h);
}

/* What one message's lines are counted with. */
struct ins_msg {
	struct insights	*ins;
	struct ins_tok	 tok;
	char		*watched;	/* a flag per watched term */
};

static void
ins_count_line(const char *raw, size_t raw_len, const char *folded,
    size_t folded_len, void *data)
{
	struct ins_msg	*m = data;
	size_t		 i;

	ins_tok_line(raw, raw_len, folded, folded_len, &m->tok);
	for (i = 0; i < m->ins->n_watch; i++) {
		if (!m->watched[i] && watch_match(i, folded, folded_len))
			m->watched[i] = 1;
	}
}

void
insights_add(struct insights *ins, const char *text, size_t len,
    const char *channel, int hour, const char *conv)
{
	struct ins_msg	 m;
	uint64_t	 ch = ins_hash(conv, strlen(conv));
	char		 watched[64], *flags = watched;
	size_t		 i;

	ins->messages++;
	ins_set_add(&ins->convs, ch);
	if (hour >= 0 && hour < 24)
		ins->hours[hour]++;
	ins_table_add(&ins->lists[INSIGHTS_CHANNELS], channel,
	    strlen(channel), ins_hash(channel, strlen(channel)));
	if (ins->n_watch > sizeof watched)
		flags = xcalloc(ins->n_watch, 1);
	else
		memset(watched, 0, sizeof watched);
	m.ins = ins;
	m.watched = flags;
	ins->n_seen = 0;
	ins_tok_init(&m.tok, ins_count_token, ins);
	ins_lines(text, len, ins_count_line, &m);
	ins_tok_free(&m.tok);
	for (i = 0; i < ins->n_watch; i++) {
		if (!flags[i])
			continue;
		ins->watch_msgs[i]++;
		ins_set_add(&ins->watch_convs[i], ch);
	}
	if (flags != watched)
		free(flags);
}

long
insights_messages(const struct insights *ins)
{
	return ins->messages;
}

long
insights_conversations(const struct insights *ins)
{
	return (long)ins->convs.n;
}

long
insights_hour(const struct insights *ins, int hour)
{
	return hour >= 0 && hour < 24 ? ins->hours[hour] : 0;
}

size_t
insights_watch_count(const struct insights *ins)
{
	return ins->n_watch;
}

void
insights_watch(const struct insights *ins, size_t i, long *messages,
    long *conversations)
{
	*messages = i < ins->n_watch ? ins->watch_msgs[i] : 0;
	*conversations = i < ins->n_watch ? (long)ins->watch_convs[i].n : 0;
}

int
insights_pruned(const struct insights *ins)
{
	size_t	i;

	for (i = 0; i < INSIGHTS_N_LISTS; i++) {
		if (ins->lists[i].pruned)
			return 1;
	}
	return 0;
}

static int
ins_item_cmp(const void *a, const void *b)
{
	const struct insights_item	*x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

struct insights_item *
insights_top(const struct insights *ins, enum insights_list list,
    size_t limit, size_t *n)
{
	const struct ins_table	*t = &ins->lists[list];
	struct insights_item	*items;
	size_t			 i, k = 0;

	items = xcalloc(t->n + 1, sizeof *items);
	for (i = 0; i < t->size; i++) {
		if (t->slots[i].key == NULL)
			continue;
		items[k].key = t->slots[i].key;
		items[k++].count = t->slots[i].count;
	}
	qsort(items, k, sizeof *items, ins_item_cmp);
	if (limit != 0 && k > limit)
		k = limit;
	*n = k;
	return items;
}
