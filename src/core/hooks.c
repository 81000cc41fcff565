/*
 * hooks.c: the registry of hooks declared by `hook EVENT COMMAND`: shell
 * commands the syncer runs when something happens to a conversation
 * (src/sync/sync-hook.c builds what they read and runs them). Several
 * hooks may be given for one event; they run in the order declared.
 * Nothing here runs anything: the console never runs a hook.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

/*
 * The events a hook may name: what DATA/feed lists (store-feed.c) and
 * what the outbox comes to (sent, failed). Kept in the order the manual
 * lists them, for the error that names them.
 */
static const char *const hooks_event_names[] = {
	"message", "handoff", "take-over", "hand-back", "assigned",
	"closed", "reopened", "snoozed", "undo", "sent", "failed",
	"sla-breach", "crisis", "alert", "spike", NULL
};

struct hook {
	char	*event;
	char	*command;
};

static struct hook	*hooks_list;
static size_t		 hooks_n;

const char *const *
hooks_events(void)
{
	return hooks_event_names;
}

int
hooks_event_valid(const char *event)
{
	const char *const	*e;

	for (e = hooks_event_names; *e != NULL; e++)
		if (strcmp(*e, event) == 0)
			return 1;
	return 0;
}

/* The valid events joined with ", " (allocated), for errors. */
static char *
hooks_events_joined(void)
{
	const char *const	*e;
	struct buf		 b;

	buf_init(&b);
	for (e = hooks_event_names; *e != NULL; e++) {
		if (e != hooks_event_names)
			buf_add_str(&b, ", ");
		buf_add_str(&b, *e);
	}
	return buf_steal(&b);
}

int
hooks_event_check(const char *event, char **cause)
{
	char	*valid;

	if (hooks_event_valid(event))
		return 0;
	valid = hooks_events_joined();
	*cause = xasprintf(_("unknown hook event: %s (one of %s)"), event, valid);
	free(valid);
	return -1;
}

int
hooks_add(const char *event, const char *command, char **cause)
{
	if (hooks_event_check(event, cause) != 0)
		return -1;
	if (*command == '\0') {
		*cause = xasprintf(_("hook %s: empty command"), event);
		return -1;
	}
	hooks_list = xreallocarray(hooks_list, hooks_n + 1,
	    sizeof *hooks_list);
	hooks_list[hooks_n].event = xstrdup(event);
	hooks_list[hooks_n].command = xstrdup(command);
	hooks_n++;
	return 0;
}

size_t
hooks_find(const char *event, const char **out, size_t max)
{
	size_t	i, n = 0;

	for (i = 0; i < hooks_n; i++) {
		if (strcmp(hooks_list[i].event, event) != 0)
			continue;
		if (n < max)
			out[n] = hooks_list[i].command;
		n++;
	}
	return n;
}

void
hooks_each(hooks_each_cb cb, void *data)
{
	size_t	i;

	for (i = 0; i < hooks_n; i++)
		cb(hooks_list[i].event, hooks_list[i].command, data);
}

void
hooks_reset(void)
{
	size_t	i;

	for (i = 0; i < hooks_n; i++) {
		free(hooks_list[i].event);
		free(hooks_list[i].command);
	}
	free(hooks_list);
	hooks_list = NULL;
	hooks_n = 0;
}
