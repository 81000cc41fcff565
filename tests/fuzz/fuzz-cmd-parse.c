/*
 * fuzz-cmd-parse.c: libFuzzer target for the command language's parser.
 *
 * The input, up to its first NUL, is parsed as a config file's text would
 * be; nothing is executed. A parsed list must be well formed (no empty
 * command, argv NULL-terminated) and must survive a round trip: every word
 * written back in double quotes, with \" \\ and \$, parses to the same
 * list. A failure must come with a cause. Any breach aborts.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Report a broken promise and crash. */
static void
fuzz_fail(const char *why)
{
	fprintf(stderr, "cmd_parse: %s\n", why);
	abort();
}

/* Check the shape of a list. */
static void
fuzz_check(const struct cmd_list *list)
{
	int	i, j;

	if (list->n < 0)
		fuzz_fail("negative command count");
	for (i = 0; i < list->n; i++) {
		if (list->argc[i] < 1)
			fuzz_fail("empty command in the list");
		for (j = 0; j < list->argc[i]; j++) {
			if (list->argv[i][j] == NULL)
				fuzz_fail("NULL word");
		}
		if (list->argv[i][list->argc[i]] != NULL)
			fuzz_fail("argv not NULL-terminated");
	}
}

/* Write a list back as text, each word quoted; the caller frees it. */
static char *
fuzz_quote(const struct cmd_list *list)
{
	struct buf	 b;
	const char	*p;
	int		 i, j;

	buf_init(&b);
	for (i = 0; i < list->n; i++) {
		if (i > 0)
			buf_add_str(&b, " ;\n");
		for (j = 0; j < list->argc[i]; j++) {
			if (j > 0)
				buf_add_char(&b, ' ');
			buf_add_char(&b, '"');
			for (p = list->argv[i][j]; *p != '\0'; p++) {
				if (*p == '"' || *p == '\\' || *p == '$')
					buf_add_char(&b, '\\');
				buf_add_char(&b, *p);
			}
			buf_add_char(&b, '"');
		}
	}
	return buf_steal(&b);
}

/* Return 1 when two lists hold the same commands and words. */
static int
fuzz_same(const struct cmd_list *a, const struct cmd_list *b)
{
	int	i, j;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		if (a->argc[i] != b->argc[i])
			return 0;
		for (j = 0; j < a->argc[i]; j++) {
			if (strcmp(a->argv[i][j], b->argv[i][j]) != 0)
				return 0;
		}
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cmd_list	*list, *again;
	char		*text, *quoted, *cause = NULL;

	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';

	list = cmd_parse(text, &cause);
	if (list == NULL) {
		if (cause == NULL)
			fuzz_fail("failed without a cause");
		free(cause);
		free(text);
		return 0;
	}
	if (cause != NULL)
		fuzz_fail("succeeded with a cause");
	fuzz_check(list);

	quoted = fuzz_quote(list);
	again = cmd_parse(quoted, &cause);
	if (again == NULL) {
		fprintf(stderr, "requoted text: %s\n", cause);
		fuzz_fail("requoted list does not parse");
	}
	if (!fuzz_same(list, again))
		fuzz_fail("requoted list differs");

	cmd_list_free(again);
	free(quoted);
	cmd_list_free(list);
	free(text);
	return 0;
}
