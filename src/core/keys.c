/*
 * keys.c: key bindings, as data. A binding maps a key ("j", "C-z",
 * "PageDown") in a table ("list" for the conversation list, "thread" for
 * an open conversation, "root" for both) to a string of commands. The
 * defaults are written in the command language itself, so `list-keys`,
 * the help screen and a user's `bind` lines all speak the same language
 * (tmux key_bindings_init).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

struct key_binding {
	char	*table;
	char	*key;
	char	*command;
};

static struct key_binding	*keys;
static size_t			 keys_n;
static int			 keys_ready;

/* The tables, in the order list-keys prints them. */
static const char *const keys_tables[] = { "root", "list", "thread" };

/* The default bindings, as `bind` would be written in a config file. */
static const char *const keys_defaults[][3] = {
	{ "root", "q", "quit" },
	{ "root", ":", "command-prompt" },
	{ "root", "?", "help" },
	{ "root", "C-z", "suspend" },
	{ "root", "C-l", "redraw" },
	{ "root", "j", "select-down" },
	{ "root", "Down", "select-down" },
	{ "root", "k", "select-up" },
	{ "root", "Up", "select-up" },
	{ "root", "g", "select-first" },
	{ "root", "Home", "select-first" },
	{ "root", "G", "select-last" },
	{ "root", "End", "select-last" },
	{ "root", "J", "select-next-unread" },
	{ "root", "K", "select-previous-unread" },
	{ "root", "H", "select-oldest-handoff" },
	{ "root", "Tab", "next-pane" },
	{ "root", "F", "fetch-attachments" },
	{ "root", "r", "reply" },
	{ "root", "p", "note" },
	{ "root", "E", "reply-editor" },
	{ "thread", "R", "outbox-resend" },
	{ "thread", "M", "outbox-mark-sent" },
	{ "thread", "D", "outbox-discard" },
	{ "root", "PageDown", "page-down" },
	{ "root", "C-f", "page-down" },
	{ "root", "PageUp", "page-up" },
	{ "root", "C-b", "page-up" },
	{ "root", "e", "done" },
	{ "root", "u", "toggle-unread" },
	{ "root", "!", "cycle-priority" },
	{ "root", "a", "assign-me" },
	{ "root", "T", "take-over" },
	{ "root", "B", "hand-back" },
	{ "root", "U", "undo" },
	{ "root", "s", "snooze-prompt" },
	{ "root", "l", "label-prompt" },
	{ "root", "A", "assign-prompt" },
	{ "root", "c", "claim" },
	{ "list", "Enter", "open" },
	{ "list", "/", "search-prompt" },
	{ "root", "n", "search-next" },
	{ "root", "N", "search-previous" },
	{ "list", "x", "mark" },
	{ "list", "Space", "mark" },
	{ "list", "1", "show-view 1" },
	{ "list", "2", "show-view 2" },
	{ "list", "3", "show-view 3" },
	{ "list", "4", "show-view 4" },
	{ "list", "5", "show-view 5" },
	{ "list", "6", "show-view 6" },
	{ "list", "7", "show-view 7" },
	{ "list", "8", "show-view 8" },
	{ "list", "9", "show-view 9" },
	{ "list", "Escape", "back" },		/* leaves the sidebar */
	{ "thread", "Escape", "back" },
	{ "thread", "o", "open-other" },
	{ "thread", "z", "toggle-quotes" },
};

int
keys_table_valid(const char *table)
{
	size_t	i;

	for (i = 0; i < nitems(keys_tables); i++) {
		if (strcmp(keys_tables[i], table) == 0)
			return 1;
	}
	return 0;
}

static struct key_binding *
keys_find(const char *table, const char *key)
{
	size_t	i;

	for (i = 0; i < keys_n; i++) {
		if (strcmp(keys[i].table, table) == 0 &&
		    strcmp(keys[i].key, key) == 0)
			return &keys[i];
	}
	return NULL;
}

static void
keys_set(const char *table, const char *key, const char *command)
{
	struct key_binding	*b;

	if ((b = keys_find(table, key)) != NULL) {
		free(b->command);
		b->command = xstrdup(command);
		return;
	}
	keys = xreallocarray(keys, keys_n + 1, sizeof *keys);
	keys[keys_n].table = xstrdup(table);
	keys[keys_n].key = xstrdup(key);
	keys[keys_n].command = xstrdup(command);
	keys_n++;
}

static void
keys_init(void)
{
	size_t	i;

	if (keys_ready)
		return;
	keys_ready = 1;
	for (i = 0; i < nitems(keys_defaults); i++)
		keys_set(keys_defaults[i][0], keys_defaults[i][1],
		    keys_defaults[i][2]);
}

void
keys_bind(const char *table, const char *key, const char *command)
{
	keys_init();
	keys_set(table, key, command);
}

int
keys_unbind(const char *table, const char *key)
{
	struct key_binding	*b;

	keys_init();
	if ((b = keys_find(table, key)) == NULL)
		return -1;
	free(b->table);
	free(b->key);
	free(b->command);
	*b = keys[--keys_n];
	return 0;
}

const char *
keys_lookup(const char *table, const char *key)
{
	struct key_binding	*b;

	keys_init();
	if ((b = keys_find(table, key)) == NULL && strcmp(table, "root") != 0)
		b = keys_find("root", key);
	return b != NULL ? b->command : NULL;
}

static int
keys_cmp(const void *a, const void *b)
{
	const struct key_binding *x = *(const struct key_binding *const *)a;
	const struct key_binding *y = *(const struct key_binding *const *)b;

	return strcmp(x->key, y->key);
}

void
keys_each(const char *table, keys_each_cb cb, void *data)
{
	const struct key_binding	**sorted;
	size_t				  i, t, n;

	keys_init();
	sorted = xcalloc(keys_n + 1, sizeof *sorted);
	for (t = 0; t < nitems(keys_tables); t++) {
		if (table != NULL && strcmp(table, keys_tables[t]) != 0)
			continue;
		n = 0;
		for (i = 0; i < keys_n; i++) {
			if (strcmp(keys[i].table, keys_tables[t]) == 0)
				sorted[n++] = &keys[i];
		}
		qsort(sorted, n, sizeof *sorted, keys_cmp);
		for (i = 0; i < n; i++)
			cb(sorted[i]->table, sorted[i]->key, sorted[i]->command,
			    data);
	}
	free(sorted);
}

void
keys_reset(void)
{
	size_t	i;

	for (i = 0; i < keys_n; i++) {
		free(keys[i].table);
		free(keys[i].key);
		free(keys[i].command);
	}
	free(keys);
	keys = NULL;
	keys_n = 0;
	keys_ready = 0;
}
