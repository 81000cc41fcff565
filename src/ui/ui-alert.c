/*
 * ui-alert.c: every console on a data dir hears at once when a
 * conversation needs a human: a "handoff" line in DATA/feed (written by
 * whichever process indexed the handoff, after its commit), or an "alert"
 * line (an alert rule fired, alert.c: those of notify=yes only). It rings the terminal's bell
 * (alert.bell) and, with alert.notify, sends a desktop notification
 * through the terminal naming the customer and the reason, its text
 * sanitised like everything else that reaches the terminal
 * (ui-surface.c).
 *
 * A "spike" line (sync-spike.c: a channel or watched term well above its
 * usual hour) rings the bell too and says so on the status line ("spike:
 * 'livraison' x4 in the last hour"), where it stays until another message
 * replaces it; it names no conversation, so nothing is notified.
 *
 * The feed is read from its end when the console starts: what happened
 * before is in the Needs human view, not worth a bell.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Items kept between the feed's reading and the bell, and notified per
 * turn of the watch: a burst of handoffs rings once and notifies a few. */
#define UI_ALERT_KEEP		16
#define UI_ALERT_NOTIFY_MAX	3

struct ui_alert_item {
	char	 thread_id[17];
	char	*msgid;
};

static struct ui_alert_item	ui_alert_items[UI_ALERT_KEEP];
static size_t			ui_alert_n;
static size_t			ui_alert_more;	/* beyond those kept */
static int			ui_alert_spike;	/* a spike heard: the bell */

static void
ui_alert_clear(void)
{
	size_t	i;

	for (i = 0; i < ui_alert_n; i++)
		free(ui_alert_items[i].msgid);
	ui_alert_n = 0;
	ui_alert_more = 0;
	ui_alert_spike = 0;
}

void
ui_alert_start(struct ui *ui)
{
	ui->feed = store_feed_open(ui->opts->store.data_dir, 0);
}

void
ui_alert_stop(struct ui *ui)
{
	store_feed_close(ui->feed);
	ui->feed = NULL;
	ui_alert_clear();
}

/* Does a feed line say that a conversation needs a human? */
static int
ui_alert_wanted(const char *event)
{
	return strcmp(event, "handoff") == 0 || strcmp(event, "alert") == 0;
}

/*
 * Is an alert line a quiet one: its event names a rule (its
 * ombre/alert/NAME operation) that this console knows without notify=yes?
 * A rule the config here does not have rings: better once too often.
 */
static int
ui_alert_quiet(struct ui *ui, const char *msgid)
{
	const struct alert	*a;
	const char		*name;
	struct msg		*m = NULL;
	char			*cause = NULL;
	size_t			 i;
	int			 quiet = 0;

	if (store_message_get(ui->store, msgid, &m, &cause) != STORE_OK) {
		free(cause);
		return 0;
	}
	for (i = 0; m->tags != NULL && m->tags[i] != NULL; i++) {
		name = m->tags[i] + (m->tags[i][0] == '+');
		if ((name = alert_tag_name(name)) != NULL &&
		    (a = alert_find(name)) != NULL)
			quiet = !a->notify;
	}
	msg_free(m);
	return quiet;
}

int
ui_alert_collect(struct ui *ui)
{
	struct store_feed_item	item;
	struct spike		sp;
	char			*text;
	int			n = 0;

	if (ui->feed == NULL)
		return 0;
	while (store_feed_next(ui->feed, &item) == 1) {
		if (strcmp(item.event, "spike") == 0 &&
		    spike_token_parse(item.msgid, &sp) == 0) {
			text = spike_text(&sp);
			ui_set_message(ui, 0, "%s", text);
			free(text);
			spike_clear(&sp);
			ui_alert_spike = 1;
			n++;
		}
		if (!ui_alert_wanted(item.event) ||
		    (strcmp(item.event, "alert") == 0 &&
		    ui_alert_quiet(ui, item.msgid))) {
			store_feed_item_clear(&item);
			continue;
		}
		n++;
		if (ui_alert_n < UI_ALERT_KEEP) {
			memcpy(ui_alert_items[ui_alert_n].thread_id,
			    item.thread_id, sizeof item.thread_id);
			ui_alert_items[ui_alert_n].msgid = item.msgid;
			item.msgid = NULL;
			ui_alert_n++;
		} else
			ui_alert_more++;
		store_feed_item_clear(&item);
	}
	return n;
}

/*
 * A notification for one item: the customer's name (from the
 * conversation) as the title, the reason (the event's, or the text of
 * what the item names) as the body. Both are the customer's or a bot's
 * text: ui_surface_notify sanitises them.
 */
static void
ui_alert_notify(struct ui *ui, const struct ui_alert_item *it)
{
	struct store_conv	**convs = NULL;
	struct msg		 *m = NULL;
	size_t			  n = 0;
	char			 *cause = NULL, *query, *title;
	const char		 *who = NULL, *why = "";

	query = xasprintf("thread:%s", it->thread_id);
	if (store_query_convs(ui->store, query, 0, 1, &convs, &n, &cause) !=
	    STORE_OK) {
		free(cause);
		cause = NULL;
	}
	free(query);
	if (n > 0 && convs[0]->customer_name != NULL &&
	    *convs[0]->customer_name != '\0')
		who = convs[0]->customer_name;
	if (store_message_get(ui->store, it->msgid, &m, &cause) == STORE_OK) {
		if (m->kind == MSG_EVENT && m->reason != NULL)
			why = m->reason;
		else if (m->text != NULL)
			why = m->text;
	} else
		free(cause);
	if (m != NULL && m->event != NULL && strcmp(m->event, "alert") == 0)
		title = xasprintf(_("alert: %s"), who != NULL ? who :
		    _("a customer"));
	else
		title = xasprintf(_("%s needs a human"), who != NULL ? who :
		    _("a customer"));
	ui_surface_notify(title, why);
	free(title);
	msg_free(m);
	store_convs_free(convs, n);
}

void
ui_alert_ring(struct ui *ui)
{
	const char	*mode;
	size_t		 i;

	if (ui_alert_n == 0 && !ui_alert_spike)
		return;
	if (options_get_flag("alert.bell"))
		ui_surface_bell();
	mode = options_get("alert.notify");
	if (mode != NULL && strcmp(mode, "off") != 0) {
		for (i = 0; i < ui_alert_n && i < UI_ALERT_NOTIFY_MAX; i++)
			ui_alert_notify(ui, &ui_alert_items[i]);
	}
	ui_alert_clear();
}
