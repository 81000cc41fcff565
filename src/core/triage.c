/*
 * triage.c: which tags a new message gets.
 *
 * Triage state is tags (design.md). notmuch matches a thread when any of
 * its messages matches, so a conversation's state must sit on every one of
 * its messages: "Unassigned" is `not tag:/^ombre\/assigned\//`, and a new
 * message without the assignee's tag would make an assigned conversation
 * look unassigned. New messages therefore inherit the conversation-level
 * tags of their thread; message-level tags (unread, notes, outbox states)
 * stay with their message.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

/* Tags that belong to one message, never inherited. */
static const char *const triage_message_tags[] = {
	"attachment", "draft", "encrypted", "flagged", "new", "ombre/failed",
	"ombre/note", "ombre/outbox", "ombre/sent", "passed", "replied",
	"signed", "unread"
};

int
triage_tag_is_conversation(const char *tag)
{
	size_t	i;

	for (i = 0; i < nitems(triage_message_tags); i++) {
		if (strcmp(tag, triage_message_tags[i]) == 0)
			return 0;
	}
	return 1;
}

struct triage_set {
	char	**tags;
	size_t	  n;
};

static int
triage_set_has(const struct triage_set *set, const char *tag)
{
	size_t	i;

	for (i = 0; i < set->n; i++) {
		if (strcmp(set->tags[i], tag) == 0)
			return 1;
	}
	return 0;
}

static void
triage_set_add(struct triage_set *set, const char *tag)
{
	if (triage_set_has(set, tag))
		return;
	set->tags = xreallocarray(set->tags, set->n + 2, sizeof *set->tags);
	set->tags[set->n++] = xstrdup(tag);
	set->tags[set->n] = NULL;
}

static void
triage_set_remove(struct triage_set *set, const char *tag)
{
	size_t	i;

	for (i = 0; i < set->n; i++) {
		if (strcmp(set->tags[i], tag) == 0) {
			free(set->tags[i]);
			memmove(&set->tags[i], &set->tags[i + 1],
			    (set->n - i) * sizeof *set->tags);
			set->n--;
			return;
		}
	}
}

char **
triage_ingest_tags(const struct msg *m, char *const *thread_tags, int *reopen)
{
	struct triage_set	 set = { NULL, 0 };
	size_t			 i;
	int			 was_closed;
	const char		*op;

	*reopen = 0;
	if (thread_tags != NULL) {
		for (i = 0; thread_tags[i] != NULL; i++) {
			if (triage_tag_is_conversation(thread_tags[i]))
				triage_set_add(&set, thread_tags[i]);
		}
	}
	was_closed = triage_set_has(&set, "ombre/done") ||
	    triage_set_has(&set, "ombre/snoozed");
	switch (m->kind) {
	case MSG_CUSTOMER:
		triage_set_add(&set, "inbox");
		triage_set_add(&set, "unread");
		break;
	case MSG_NOTE:
		triage_set_add(&set, "ombre/note");
		break;
	case MSG_BOT:
	case MSG_AGENT:
		break;
	}
	if (m->n_attachments > 0)
		triage_set_add(&set, "attachment");
	if (m->tags != NULL) {
		for (i = 0; m->tags[i] != NULL; i++) {
			op = m->tags[i];
			if (*op == '-')
				triage_set_remove(&set, op + 1);
			else
				triage_set_add(&set, *op == '+' ? op + 1 : op);
		}
	}
	/* A customer writing again reopens a done or snoozed conversation. */
	if (was_closed && triage_set_has(&set, "inbox")) {
		triage_set_remove(&set, "ombre/done");
		triage_set_remove(&set, "ombre/snoozed");
		*reopen = 1;
	}
	if (set.tags == NULL)
		set.tags = xcalloc(1, sizeof *set.tags);
	return set.tags;
}

void
triage_tags_free(char **tags)
{
	size_t	i;

	if (tags == NULL)
		return;
	for (i = 0; tags[i] != NULL; i++)
		free(tags[i]);
	free(tags);
}
