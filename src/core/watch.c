/*
 * watch.c: the terms that trends, spike detection and insights count
 * besides channels (`watch TERM...`): product names, order words, what a
 * brand wants to hear of first. A few French and English order words are
 * watched by default; unwatch removes any of them.
 *
 * A term is kept as written (to show it) and folded (to match it): a
 * message matches when its folded text holds the folded term as whole
 * words, so "colis" matches "Mon COLIS n'est pas arrivé" but not
 * "colissimo".
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <sys/types.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define WATCH_TERM_MAX	64

struct watch_term {
	char	*term;		/* as written */
	char	*folded;
};

static struct watch_term	*watch_terms;
static size_t			 watch_n;
static int			 watch_ready;	/* the defaults added */

/* Order words: what customers write when an order goes wrong. */
static const char *const watch_defaults[] = {
	"commande", "livraison", "colis", "remboursement",
	"order", "delivery", "parcel", "refund",
	NULL
};

static void
watch_init(void)
{
	size_t	i;

	if (watch_ready)
		return;
	watch_ready = 1;
	for (i = 0; watch_defaults[i] != NULL; i++)
		watch_add(watch_defaults[i], NULL);
}

static ssize_t
watch_find(const char *folded)
{
	size_t	i;

	for (i = 0; i < watch_n; i++) {
		if (strcmp(watch_terms[i].folded, folded) == 0)
			return (ssize_t)i;
	}
	return -1;
}

/*
 * The term folded, its spaces squeezed, or NULL with *cause: empty, longer
 * than 64 bytes, not UTF-8, a control or a character that is no part of a
 * word at either end.
 */
static char *
watch_fold(const char *term, char **cause)
{
	size_t	 len = strlen(term), i, j;
	char	*folded;

	if (len == 0 || len > WATCH_TERM_MAX) {
		if (cause != NULL)
			*cause = xasprintf(_("watch: a term has 1 to %d bytes"),
			    WATCH_TERM_MAX);
		return NULL;
	}
	if (!utf8_valid(term, len, NULL)) {
		if (cause != NULL)
			*cause = xasprintf(_("watch: a term must be UTF-8"));
		return NULL;
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)term[i] < 0x20 || term[i] == 0x7f) {
			if (cause != NULL)
				*cause = xasprintf(_("watch: a term has no "
				    "control characters"));
			return NULL;
		}
	}
	folded = text_fold(term, len);
	for (i = j = 0; folded[i] != '\0'; i++) {
		if (folded[i] == ' ' && (j == 0 || folded[j - 1] == ' '))
			continue;
		folded[j++] = folded[i];
	}
	while (j > 0 && folded[j - 1] == ' ')
		j--;
	folded[j] = '\0';
	if (j == 0) {
		if (cause != NULL)
			*cause = xasprintf(_("watch: a term cannot be only "
			    "spaces"));
		free(folded);
		return NULL;
	}
	return folded;
}

int
watch_add(const char *term, char **cause)
{
	char	*folded;

	watch_init();
	if ((folded = watch_fold(term, cause)) == NULL)
		return -1;
	if (watch_find(folded) != -1) {
		free(folded);
		return 0;
	}
	watch_terms = xreallocarray(watch_terms, watch_n + 1,
	    sizeof *watch_terms);
	watch_terms[watch_n].term = xstrdup(term);
	watch_terms[watch_n].folded = folded;
	watch_n++;
	return 1;
}

int
watch_remove(const char *term)
{
	char	*folded;
	ssize_t	 at;

	watch_init();
	if ((folded = watch_fold(term, NULL)) == NULL)
		return 0;
	at = watch_find(folded);
	free(folded);
	if (at == -1)
		return 0;
	free(watch_terms[at].term);
	free(watch_terms[at].folded);
	memmove(&watch_terms[at], &watch_terms[at + 1],
	    (watch_n - (size_t)at - 1) * sizeof *watch_terms);
	watch_n--;
	return 1;
}

void
watch_clear(void)
{
	size_t	i;

	watch_init();
	for (i = 0; i < watch_n; i++) {
		free(watch_terms[i].term);
		free(watch_terms[i].folded);
	}
	free(watch_terms);
	watch_terms = NULL;
	watch_n = 0;
}

void
watch_reset(void)
{
	watch_clear();
	watch_ready = 0;
}

size_t
watch_count(void)
{
	watch_init();
	return watch_n;
}

const char *
watch_term(size_t i)
{
	watch_init();
	return i < watch_n ? watch_terms[i].term : NULL;
}

const char *
watch_folded(size_t i)
{
	watch_init();
	return i < watch_n ? watch_terms[i].folded : NULL;
}

/* A byte of a word: ASCII letters and digits, and any byte of a non-ASCII
 * character (folded text keeps letters beyond Latin as they are). */
static int
watch_word_byte(unsigned char c)
{
	return c >= 0x80 || isalnum(c);
}

static int
watch_match_folded(const char *folded_term, const char *text, size_t len)
{
	size_t		 n = strlen(folded_term), at;
	const char	*p;

	if (n == 0 || n > len)
		return 0;
	for (at = 0; at + n <= len; at = (size_t)(p - text) + 1) {
		p = memchr(text + at, folded_term[0], len - at - n + 1);
		if (p == NULL)
			return 0;
		if (memcmp(p, folded_term, n) != 0)
			continue;
		if (p > text && watch_word_byte((unsigned char)p[-1]))
			continue;
		if ((size_t)(p - text) + n < len &&
		    watch_word_byte((unsigned char)p[n]))
			continue;
		return 1;
	}
	return 0;
}

int
watch_match(size_t i, const char *folded, size_t len)
{
	watch_init();
	if (i >= watch_n)
		return 0;
	return watch_match_folded(watch_terms[i].folded, folded, len);
}
