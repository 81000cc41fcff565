/*
 * cmd-parse.c: split a string of the command language into commands and
 * words (tmux's rules, see core.h).
 *
 * The parser never runs anything and never prints: it returns a list of
 * argument vectors, or NULL and a cause. Line continuations are removed
 * first, everywhere (as tmux's lexer does), so a config file can find its
 * logical lines with the same rule: a line ending in an odd number of
 * backslashes goes on.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

/* The command being built and the list it goes to. */
struct cmd_parse_state {
	struct cmd_list	*list;
	char		**argv;
	int		  argc;
	struct buf	  word;
	int		  in_word;	/* a word has begun, even an empty "" */
};

static char	*cmd_parse_join_lines(const char *text);
static void	 cmd_parse_end_word(struct cmd_parse_state *ps);
static void	 cmd_parse_end_command(struct cmd_parse_state *ps);
static int	 cmd_parse_hex(const char **pp, int digits, char **cause);
static int	 cmd_parse_double(struct cmd_parse_state *ps, const char **pp,
		     char **cause);

/*
 * Return a copy of text without its line continuations: a newline after
 * an odd run of backslashes goes, with the last backslash of the run. An
 * even run is escaped backslashes, and the newline stays.
 */
static char *
cmd_parse_join_lines(const char *text)
{
	char		*out, *q;
	const char	*p = text;
	size_t		 run;

	out = q = xmalloc(strlen(text) + 1);
	while (*p != '\0') {
		if (*p != '\\') {
			*q++ = *p++;
			continue;
		}
		run = strspn(p, "\\");
		memcpy(q, p, run);
		if (p[run] == '\n' && run % 2 == 1) {
			q += run - 1;
			p += run + 1;
		} else {
			q += run;
			p += run;
		}
	}
	*q = '\0';
	return out;
}

/* Finish the current word, if one has begun, and add it to the command. */
static void
cmd_parse_end_word(struct cmd_parse_state *ps)
{
	char	*w;

	if (!ps->in_word)
		return;
	if (ps->word.len == 0)
		w = xstrdup("");
	else
		w = buf_steal(&ps->word);
	ps->argv = xreallocarray(ps->argv, ps->argc + 2, sizeof *ps->argv);
	ps->argv[ps->argc++] = w;
	ps->argv[ps->argc] = NULL;
	ps->in_word = 0;
}

/* Finish the current command and add it to the list; empty ones go. */
static void
cmd_parse_end_command(struct cmd_parse_state *ps)
{
	struct cmd_list	*list = ps->list;

	cmd_parse_end_word(ps);
	if (ps->argc == 0)
		return;
	list->argc = xreallocarray(list->argc, list->n + 1, sizeof *list->argc);
	list->argv = xreallocarray(list->argv, list->n + 1, sizeof *list->argv);
	list->argc[list->n] = ps->argc;
	list->argv[list->n] = ps->argv;
	list->n++;
	ps->argv = NULL;
	ps->argc = 0;
}

/*
 * Read exactly digits hex digits at *pp (after \u or \U) as a code point
 * and advance *pp. Return the code point, or -1 with *cause set when the
 * digits are missing or name no Unicode scalar value (a surrogate, NUL or
 * beyond U+10FFFF).
 */
static int
cmd_parse_hex(const char **pp, int digits, char **cause)
{
	const char	*p = *pp;
	uint32_t	 cp = 0;
	int		 i, c;

	for (i = 0; i < digits; i++) {
		c = (unsigned char)p[i];
		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'f')
			c -= 'a' - 10;
		else if (c >= 'A' && c <= 'F')
			c -= 'A' - 10;
		else {
			*cause = xasprintf(_("invalid \\%c escape: %d hex digits "
			    "needed"), digits == 4 ? 'u' : 'U', digits);
			return -1;
		}
		cp = (cp << 4) | (uint32_t)c;
	}
	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		*cause = xasprintf(_("invalid code point U+%04X"), (unsigned)cp);
		return -1;
	}
	*pp = p + digits;
	return (int)cp;
}

/*
 * Read a "..." string whose opening quote is at *pp into the current word
 * and leave *pp after the closing quote. Return 0, or -1 with *cause set.
 * An escape not listed in core.h keeps its backslash, as in sh, so a
 * notmuch regex such as "tag:/^a\/b/" means the same inside quotes.
 */
static int
cmd_parse_double(struct cmd_parse_state *ps, const char **pp, char **cause)
{
	const char	*p = *pp + 1;
	char		 out[4];
	int		 cp, digits;

	for (;;) {
		if (*p == '\0') {
			*cause = xstrdup(_("unterminated quote"));
			return -1;
		}
		if (*p == '"')
			break;
		if (*p != '\\') {
			buf_add_char(&ps->word, *p++);
			continue;
		}
		p++;
		switch (*p) {
		case '\0':
			*cause = xstrdup(_("unterminated quote"));
			return -1;
		case '"':
		case '\\':
		case '$':
			buf_add_char(&ps->word, *p++);
			break;
		case 'n':
			buf_add_char(&ps->word, '\n');
			p++;
			break;
		case 't':
			buf_add_char(&ps->word, '\t');
			p++;
			break;
		case 'e':
			/* The key notation for Escape, never a raw ESC. */
			buf_add_str(&ps->word, "^[");
			p++;
			break;
		case 'u':
		case 'U':
			digits = (*p++ == 'u') ? 4 : 8;
			cp = cmd_parse_hex(&p, digits, cause);
			if (cp == -1)
				return -1;
			buf_add(&ps->word, out, utf8_encode((uint32_t)cp, out));
			break;
		default:
			buf_add_char(&ps->word, '\\');
			buf_add_char(&ps->word, *p++);
			break;
		}
	}
	*pp = p + 1;
	return 0;
}

/*
 * Split text into commands of words. Separators and comments are only
 * seen outside quotes and at the places core.h gives: '#' where a word
 * would start, ';' where a word would end. Return the list (empty when
 * the text has no command), or NULL with *cause set.
 */
struct cmd_list *
cmd_parse(const char *text, char **cause)
{
	struct cmd_parse_state	 ps;
	char			*joined;
	const char		*p, *end;

	memset(&ps, 0, sizeof ps);
	ps.list = xcalloc(1, sizeof *ps.list);
	buf_init(&ps.word);

	joined = cmd_parse_join_lines(text);
	p = joined;
	while (*p != '\0') {
		switch (*p) {
		case ' ':
		case '\t':
			cmd_parse_end_word(&ps);
			p++;
			continue;
		case '\n':
			cmd_parse_end_command(&ps);
			p++;
			continue;
		case '#':
			if (ps.in_word)
				break;
			p += strcspn(p, "\n");
			continue;
		case ';':
			if (p[1] != '\0' && strchr(" \t\n", p[1]) == NULL)
				break;
			cmd_parse_end_command(&ps);
			p++;
			continue;
		}

		ps.in_word = 1;
		switch (*p) {
		case '\'':
			end = strchr(p + 1, '\'');
			if (end == NULL) {
				*cause = xstrdup(_("unterminated quote"));
				goto fail;
			}
			buf_add(&ps.word, p + 1, end - (p + 1));
			p = end + 1;
			break;
		case '"':
			if (cmd_parse_double(&ps, &p, cause) != 0)
				goto fail;
			break;
		case '\\':
			if (p[1] == '\0')
				buf_add_char(&ps.word, *p++);
			else {
				buf_add_char(&ps.word, p[1]);
				p += 2;
			}
			break;
		default:
			buf_add_char(&ps.word, *p++);
			break;
		}
	}
	cmd_parse_end_command(&ps);
	buf_free(&ps.word);
	free(joined);
	return ps.list;

fail:
	cmd_parse_end_command(&ps);
	buf_free(&ps.word);
	free(joined);
	cmd_list_free(ps.list);
	return NULL;
}

void
cmd_list_free(struct cmd_list *list)
{
	int	i, j;

	if (list == NULL)
		return;
	for (i = 0; i < list->n; i++) {
		for (j = 0; j < list->argc[i]; j++)
			free(list->argv[i][j]);
		free(list->argv[i]);
	}
	free(list->argc);
	free(list->argv);
	free(list);
}
