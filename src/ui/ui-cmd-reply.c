/*
 * ui-cmd-reply.c: the console's commands on the open conversation's
 * replies: the composer (reply, note, $EDITOR, templates), decisions on
 * the outbox, and the attachments asked of the syncer. ui-reply.c does
 * the work.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"
#include "sync/sync.h"

#include <stdlib.h>

static int	ui_cmd_fetch_attachments_exec(void *, int, char **, char **);
static int	ui_cmd_note_exec(void *, int, char **, char **);
static int	ui_cmd_outbox_discard_exec(void *, int, char **, char **);
static int	ui_cmd_outbox_mark_sent_exec(void *, int, char **, char **);
static int	ui_cmd_outbox_resend_exec(void *, int, char **, char **);
static int	ui_cmd_reply_exec(void *, int, char **, char **);
static int	ui_cmd_reply_editor_exec(void *, int, char **, char **);
static int	ui_cmd_template_exec(void *, int, char **, char **);

const struct cmd_entry ui_cmd_reply_entries[] = {
	{ .name = "fetch-attachments",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "fetch-attachments",
	  .help = N_("console: ask the syncer for the conversation's attachments"),
	  .host_exec = ui_cmd_fetch_attachments_exec },
	{ .name = "note",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "note",
	  .help = N_("console: write an internal note in the conversation (never sent)"),
	  .host_exec = ui_cmd_note_exec },
	{ .name = "outbox-discard",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "outbox-discard",
	  .help = N_("console: discard the conversation's reply of unknown delivery or failed"),
	  .host_exec = ui_cmd_outbox_discard_exec },
	{ .name = "outbox-mark-sent",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "outbox-mark-sent",
	  .help = N_("console: mark the conversation's reply of unknown delivery as sent"),
	  .host_exec = ui_cmd_outbox_mark_sent_exec },
	{ .name = "outbox-resend",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "outbox-resend",
	  .help = N_("console: send the conversation's reply of unknown delivery or failed again"),
	  .host_exec = ui_cmd_outbox_resend_exec },
	{ .name = "reply",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "reply",
	  .help = N_("console: open the composer under the conversation (its draft if any)"),
	  .host_exec = ui_cmd_reply_exec },
	{ .name = "reply-editor",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "reply-editor",
	  .help = N_("console: compose the reply in $EDITOR"),
	  .host_exec = ui_cmd_reply_editor_exec },
	{ .name = "template",
	  .args_min = 1,
	  .args_max = 1,
	  .usage = N_("template NAME"),
	  .help = N_("console: insert the canned reply NAME (name, shortcut or stem of its variants) at the composer's cursor"),
	  .host_exec = ui_cmd_template_exec },
	{ .name = NULL }
};

/* Open the composer (a note's, or the reply's in $EDITOR). */
static int
ui_cmd_compose(struct ui *ui, int note, int editor)
{
	int	rows, cols;

	if (ui->pager != NULL)
		return ui_cmd_screen_in_help(ui);
	ui->sidebar_focus = 0;
	if (ui_reply_open(ui, note) != 0)
		return UI_REDRAW;
	/* One answers the newest message: it stays in view above the
	 * composer, even when the agent had scrolled up. */
	if (ui->thread != NULL) {
		ui_surface_size(&rows, &cols);
		ui_thread_scroll_end(ui->thread, rows - 2, cols);
	}
	if (editor)
		ui_reply_editor(ui);
	return UI_REDRAW;
}

static int
ui_cmd_reply_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_compose(data, 0, 0);
}

static int
ui_cmd_note_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_compose(data, 1, 0);
}

static int
ui_cmd_reply_editor_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_compose(data, 0, 1);
}

static int
ui_cmd_template_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	if (ui_reply_template(data, argv[1], cause) != 0)
		return -1;
	return UI_REDRAW;
}

/* What to do with the open conversation's reply of unknown delivery. */
static int
ui_cmd_outbox(struct ui *ui, enum store_outbox_action action)
{
	if (ui->pager != NULL)
		return ui_cmd_screen_in_help(ui);
	if (ui->thread == NULL)
		ui_set_message(ui, 0, _("open the conversation first"));
	else
		ui_reply_decide(ui, action);
	return UI_REDRAW;
}

static int
ui_cmd_outbox_resend_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_outbox(data, STORE_OUTBOX_RESEND);
}

static int
ui_cmd_outbox_mark_sent_exec(void *data, int argc, char **argv,
    char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_outbox(data, STORE_OUTBOX_MARK_SENT);
}

static int
ui_cmd_outbox_discard_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_outbox(data, STORE_OUTBOX_DISCARD);
}

/* F: ask the syncer for the attachments of the conversation. */
static int
ui_cmd_fetch_attachments_exec(void *data, int argc, char **argv,
    char **cause)
{
	struct ui		 *ui = data;
	const struct store_conv	 *c = ui_list_selected(ui->list);
	struct msg		**msgs = NULL;
	size_t			  n = 0;
	char			 *why = NULL;
	int			  asked = 0;

	(void)argc;
	(void)argv;
	(void)cause;
	if (ui->pager != NULL)
		return ui_cmd_screen_in_help(ui);
	if (c == NULL)
		return UI_REDRAW;
	if (store_thread_messages(ui->store, c->thread_id, &msgs, &n,
	    &why) != STORE_OK) {
		ui_set_message(ui, 1, "%s", why);
		free(why);
		return UI_REDRAW;
	}
	if (sync_fetch_messages(ui->opts->store.data_dir, msgs, n, &asked,
	    &why) != 0) {
		ui_set_message(ui, 1, "%s", why);
		free(why);
		store_msgs_free(msgs, n);
		return UI_REDRAW;
	}
	store_msgs_free(msgs, n);
	if (asked > 0)
		ui_set_message(ui, 0, ngettext("%d attachment asked for: the "
		    "syncer fetches them into %s/attachments", "%d attachments "
		    "asked for: the syncer fetches them into %s/attachments",
		    asked), asked, ui->opts->store.data_dir);
	else
		ui_set_message(ui, 0, _("no attachment to fetch"));
	return UI_REDRAW;
}
