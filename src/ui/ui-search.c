/*
 * ui-search.c: a notmuch query over every view, typed at the '/' prompt
 * or run as `search`: the list becomes the view "/QUERY" (1..9 go back to
 * a saved view), and search-next and search-previous step through it.
 * Its conversations are in the order of their last activity, as a view's.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"

#include <stdlib.h>
#include <string.h>

static int	ui_cmd_search_exec(void *, int, char **, char **);
static int	ui_cmd_search_next_exec(void *, int, char **, char **);
static int	ui_cmd_search_previous_exec(void *, int, char **, char **);

const struct cmd_entry ui_search_entries[] = {
	{ .name = "search",
	  .args_min = 1,
	  .args_max = -1,
	  .usage = N_("search QUERY..."),
	  .help = N_("console: list the conversations a notmuch query matches"),
	  .host_exec = ui_cmd_search_exec },
	{ .name = "search-next",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "search-next",
	  .help = N_("console: the next search result"),
	  .host_exec = ui_cmd_search_next_exec },
	{ .name = "search-previous",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "search-previous",
	  .help = N_("console: the previous search result"),
	  .host_exec = ui_cmd_search_previous_exec },
	{ .name = NULL }
};

/*
 * The query of a search sorted by last activity, like the list: a
 * conversation whose old message matches comes where its newest message
 * puts it, not where the match does. thread:"{...}" takes every message
 * of the matching conversations (quoted whole, its quotes doubled, so
 * that a phrase fits inside); a query with a brace of its own cannot go
 * inside one and is sorted by its matches. Allocated.
 */
static char *
ui_search_by_activity(const char *query)
{
	struct buf	b;
	const char	*p;

	if (strchr(query, '{') != NULL || strchr(query, '}') != NULL)
		return xstrdup(query);
	buf_init(&b);
	buf_add_str(&b, "thread:\"{");	/* not translated: a query */
	for (p = query; *p != '\0'; p++) {
		if (*p == '"')
			buf_add_char(&b, '"');
		buf_add_char(&b, *p);
	}
	buf_add_str(&b, "}\"");
	return buf_steal(&b);
}

void
ui_search(struct ui *ui, const char *query)
{
	while (*query == ' ')
		query++;
	if (*query == '\0')
		return;
	ui_close_thread(ui);
	free(ui->view_name);
	free(ui->query);
	ui->view_name = xasprintf("/%s", query);
	ui->query = ui_search_by_activity(query);
	ui->sort = VIEW_SORT_NEWEST;
	strset_free(&ui->marked);
	ui_list_set(ui->list, NULL, 0);
	ui_load(ui);
	ui_list_move_to(ui->list, 0);
	if (ui_list_count(ui->list) == 0 && !ui->message_error)
		ui_set_message(ui, 0, _("no conversation matches"));
}

/* search QUERY...: the words joined by spaces. */
static int
ui_cmd_search_exec(void *data, int argc, char **argv, char **cause)
{
	struct buf	 b;
	char		*query;

	(void)cause;
	buf_init(&b);
	buf_add_words(&b, argv + 1, (size_t)argc - 1);
	query = buf_steal(&b);
	ui_search(data, query);
	free(query);
	return UI_REDRAW;
}

/* n / N: the next or previous result; in an open conversation, open it. */
static int
ui_search_step(struct ui *ui, int step)
{
	int	reopen = ui->thread != NULL;

	if (ui->view_name[0] != '/') {
		ui_set_message(ui, 0, _("no search: / starts one"));
		return UI_REDRAW;
	}
	if (reopen)
		ui_close_thread(ui);
	ui_list_move(ui->list, step);
	if (reopen)
		ui_open(ui);
	return UI_REDRAW;
}

static int
ui_cmd_search_next_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_search_step(data, 1);
}

static int
ui_cmd_search_previous_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_search_step(data, -1);
}
