/*
 * view.c: saved searches. The built-in views come first, in a fixed
 * order; `view NAME QUERY [sort=waiting|newest]` appends a view or
 * redefines the one with the same name (case-insensitive), which keeps
 * its place and its label. A declared team has its view (team.c), and
 * the queues an agent picks from show only their agent-channels. A view lists newest activity first, or with
 * sort=waiting the customer waiting longest first (Needs human), or with
 * sort=risk the highest public-risk score first (Risk, risk.c).
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
	enum view_sort	 sort;
} view_builtins[] = {
	{ "Inbox",	"tag:inbox", VIEW_SORT_NEWEST },
	{ "Needs human", "tag:inbox and tag:ombre/handoff",
	    VIEW_SORT_WAITING },
	{ "Bot",	"tag:inbox and tag:ombre/bot", VIEW_SORT_NEWEST },
	{ "Mine",	"tag:ombre/assigned/#{agent} and not tag:ombre/done",
	    VIEW_SORT_NEWEST },
	{ "Unassigned",	"tag:inbox and not tag:/^ombre\\/assigned\\//",
	    VIEW_SORT_NEWEST },
	{ "Snoozed",	"tag:ombre/snoozed", VIEW_SORT_NEWEST },
	{ "Done",	"tag:ombre/done", VIEW_SORT_NEWEST },
	{ "Telegram",	"Channel:telegram", VIEW_SORT_NEWEST },
	{ "WhatsApp",	"Channel:whatsapp", VIEW_SORT_NEWEST },
	{ "Messenger",	"Channel:messenger", VIEW_SORT_NEWEST },
	{ "LINE",	"Channel:line", VIEW_SORT_NEWEST },
	{ "SMS",	"Channel:sms", VIEW_SORT_NEWEST },
	{ "Matrix",	"Channel:matrix", VIEW_SORT_NEWEST },
	/* The e-mail ombre stored and the user's own mail (`set
	 * store.database`), which has no X-Ombre-Channel header: all
	 * that is not in ombre's folder. */
	{ "Email",	"Channel:email or not path:ombre/**",
	    VIEW_SORT_NEWEST },
	/* Open conversations an alert rule fired in, highest public risk
	 * first (alert.c, risk.c). */
	{ "Risk",	"tag:inbox and tag:/^ombre\\/alert\\//", VIEW_SORT_RISK },
};

static struct view	*views;
static size_t		 views_n;
static int		 views_ready;

static void		 view_init(void);
static struct view	*view_lookup(const char *name);
static void		 view_add(const char *name, const char *query,
			     int builtin, enum view_sort sort);

/* Fill the table with the built-ins the first time it is used. */
static void
view_init(void)
{
	size_t	i;

	if (views_ready)
		return;
	views_ready = 1;
	for (i = 0; i < nitems(view_builtins); i++)
		view_add(view_builtins[i].name, view_builtins[i].query, 1,
		    view_builtins[i].sort);
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
view_add(const char *name, const char *query, int builtin,
    enum view_sort sort)
{
	struct view	*v;

	views = xreallocarray(views, views_n + 1, sizeof *views);
	v = &views[views_n++];
	v->name = xstrdup(name);
	v->query = xstrdup(query);
	v->builtin = builtin;
	v->sort = sort;
}

void
view_define(const char *name, const char *query)
{
	view_define_sorted(name, query, VIEW_SORT_NEWEST);
}

void
view_define_sorted(const char *name, const char *query, enum view_sort sort)
{
	struct view	*v;

	if ((v = view_lookup(name)) == NULL) {
		view_add(name, query, 0, sort);
		return;
	}
	free(v->query);
	v->query = xstrdup(query);
	v->builtin = 0;
	v->sort = sort;
}

int
view_sort_parse(const char *word, enum view_sort *sort)
{
	if (strcmp(word, "sort=newest") == 0)
		*sort = VIEW_SORT_NEWEST;
	else if (strcmp(word, "sort=waiting") == 0)
		*sort = VIEW_SORT_WAITING;
	else if (strcmp(word, "sort=risk") == 0)
		*sort = VIEW_SORT_RISK;
	else
		return -1;
	return 0;
}

const char *
view_sort_name(enum view_sort sort)
{
	if (sort == VIEW_SORT_RISK)
		return "risk";
	return sort == VIEW_SORT_WAITING ? "waiting" : "newest";
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

/*
 * The queues an agent picks from (Unassigned and the teams' views) offer
 * only the channels agent-channels gives them.
 */
static int
view_is_queue(const struct view *v)
{
	return (v->builtin && strcmp(v->name, "Unassigned") == 0) ||
	    (strncmp(v->name, "Team ", 5) == 0 &&
	    strncmp(v->query, "tag:" TEAM_TAG_PREFIX,
	    sizeof "tag:" TEAM_TAG_PREFIX - 1) == 0);
}

char *
view_expand_query(const struct view *v)
{
	static const char	 token[] = "#{agent}";
	struct buf		 b;
	const char		*p, *found;
	char			*chans;

	buf_init(&b);
	for (p = v->query; (found = strstr(p, token)) != NULL;
	    p = found + sizeof token - 1) {
		buf_add(&b, p, found - p);
		buf_add_str(&b, core_agent_name());
	}
	buf_add_str(&b, p);
	if (view_is_queue(v) &&
	    (chans = team_channels_query(core_agent_name())) != NULL) {
		buf_add_printf(&b, " and %s", chans);
		free(chans);
	}
	if (b.len == 0) {
		buf_free(&b);
		return xstrdup("");
	}
	return buf_steal(&b);
}

void
view_remove(const char *name)
{
	struct view	*v;
	size_t		 i;

	if ((v = view_lookup(name)) == NULL || v->builtin)
		return;
	free(v->name);
	free(v->query);
	i = (size_t)(v - views);
	memmove(v, v + 1, (views_n - i - 1) * sizeof *v);
	views_n--;
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
