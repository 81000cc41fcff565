/*
 * view.c: saved searches. The built-in views come first, in a fixed
 * order; `view NAME QUERY` appends a view or redefines the one with the
 * same name (case-insensitive), which keeps its place and its label.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char	*name;
	const char	*query;
} view_builtins[] = {
	{ "Inbox",	"tag:inbox" },
	{ "Needs human", "tag:inbox and tag:ombre/handoff" },
	{ "Bot",	"tag:inbox and tag:ombre/bot" },
	{ "Mine",	"tag:ombre/assigned/#{agent} and not tag:ombre/done" },
	{ "Unassigned",	"tag:inbox and not tag:/^ombre\\/assigned\\//" },
	{ "Snoozed",	"tag:ombre/snoozed" },
	{ "Done",	"tag:ombre/done" },
	{ "Telegram",	"Channel:telegram" },
	{ "WhatsApp",	"Channel:whatsapp" },
	{ "Messenger",	"Channel:messenger" },
	{ "LINE",	"Channel:line" },
	{ "SMS",	"Channel:sms" },
	{ "Matrix",	"Channel:matrix" },
	{ "Email",	"Channel:email" },
};

static struct view	*views;
static size_t		 views_n;
static int		 views_ready;

static void		 view_init(void);
static struct view	*view_lookup(const char *name);
static void		 view_add(const char *name, const char *query,
			     int builtin);

/* Fill the table with the built-ins the first time it is used. */
static void
view_init(void)
{
	size_t	i;

	if (views_ready)
		return;
	views_ready = 1;
	for (i = 0; i < nitems(view_builtins); i++)
		view_add(view_builtins[i].name, view_builtins[i].query, 1);
}

/* The view named name, ignoring case, or NULL. */
static struct view *
view_lookup(const char *name)
{
	size_t	i;

	view_init();
	for (i = 0; i < views_n; i++) {
		if (strcasecmp(views[i].name, name) == 0)
			return &views[i];
	}
	return NULL;
}

/* Append a view at the end of the table. */
static void
view_add(const char *name, const char *query, int builtin)
{
	struct view	*v;

	views = xreallocarray(views, views_n + 1, sizeof *views);
	v = &views[views_n++];
	v->name = xstrdup(name);
	v->query = xstrdup(query);
	v->builtin = builtin;
}

void
view_define(const char *name, const char *query)
{
	struct view	*v;

	if ((v = view_lookup(name)) == NULL) {
		view_add(name, query, 0);
		return;
	}
	free(v->query);
	v->query = xstrdup(query);
	v->builtin = 0;
}

const struct view *
view_find(const char *name)
{
	return view_lookup(name);
}

const struct view *
view_all(size_t *n)
{
	view_init();
	*n = views_n;
	return views;
}

char *
view_expand_query(const struct view *v)
{
	static const char	 token[] = "#{agent}";
	struct buf		 b;
	const char		*p, *found;

	buf_init(&b);
	for (p = v->query; (found = strstr(p, token)) != NULL;
	    p = found + sizeof token - 1) {
		buf_add(&b, p, found - p);
		buf_add_str(&b, core_agent_name());
	}
	buf_add_str(&b, p);
	if (b.len == 0) {
		buf_free(&b);
		return xstrdup("");
	}
	return buf_steal(&b);
}

void
view_reset(void)
{
	size_t	i;

	for (i = 0; i < views_n; i++) {
		free(views[i].name);
		free(views[i].query);
	}
	free(views);
	views = NULL;
	views_n = 0;
	views_ready = 0;
	view_init();
}
