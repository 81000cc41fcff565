/*
 * ui-reply.c: answering from the console: the composer pane under the
 * thread (r a reply, p an internal note, E straight to $EDITOR), its
 * draft, its checks and its sending; the outbox decisions (R, M, D) on a
 * reply whose delivery is unknown; presence ("bob is typing").
 *
 * The draft is the agent's text on disk (store-draft.c): saved, fsynced,
 * within UI_DRAFT_MS of a change and when the console quits (SIGHUP from
 * a dropped ssh session included), so a kill loses at most that much.
 * Sending writes the draft once more with the id the reply will be stored
 * under, then a child stores it (the console never writes the database):
 * a crash at any point leaves either the draft or the reply, and a draft
 * whose id is stored already is the same reply, never a second one.
 *
 * Before sending, the console checks the channel's limit and reply window
 * and the double-answer guard (store-reply.c); the child checks them again
 * under the lock. A held reply shows what changed; y sends it anyway, e
 * goes back to editing (the guard then starts from now), d discards it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"
#include "sync/sync.h"

#include <sys/queue.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A draft is saved at most this long after a change. */
#define UI_DRAFT_MS	1000
/* Typing shows for this long after the agent's last key. */
#define UI_TYPING_MS	5000

/* The guard's keys, while a reply is held, for the help screen. */
const struct ui_key_help ui_reply_guard_keys_help[] = {
	{ "y", N_("send the held reply anyway") },
	{ "e", N_("edit it: what changed is now seen, the guard starts again") },
	{ "d", N_("discard the reply and its draft") },
	{ NULL, NULL }
};

struct ui_reply {
	struct ui_compose		*editor;
	struct store_reply_context	*ctx;
	int				 note;
	char				*who;		/* the customer's name */
	char				*seen;		/* the guard's view */
	int64_t				 began;
	char				*outbound;	/* set once sending starts */
	unsigned long			 saved;		/* generation on disk */
	int64_t				 last_key_ms;
	char				*held;		/* what changed, when held */
	char				*template_text;	/* a channel-approved template */
	char				*approved;	/* inserted: its name */
	int				 sending;	/* the child runs */
	LIST_ENTRY(ui_reply)		 entry;		/* parked (ui_reply_parked) */
};

/* The composer of the open conversation (NULL when none), whether it is
 * closed with its draft kept, and the composers whose draft the disk did
 * not take yet. */
static struct ui_reply	*ui_reply_pane;
static int		 ui_reply_hidden;

/* Where the pane was last drawn: the picker stays above it. */
static int		 ui_reply_top = -1;

static int	ui_reply_template_at(struct ui *, const char *, size_t, size_t,
		    char **);
static LIST_HEAD(, ui_reply) ui_reply_parked =
    LIST_HEAD_INITIALIZER(ui_reply_parked);

/* What the sending child needs. */
struct ui_send {
	struct store_options	 store;
	struct store_reply	 r;
	char			*conv;
	char			*text;
	char			*outbound;
	char			*seen;
	char			*approved;
	char			*conv_key;
	char			*agent;
	struct ui		*ui;
};

static void
ui_reply_free(struct ui_reply *rp)
{
	if (rp == NULL)
		return;
	ui_compose_free(rp->editor);
	store_reply_context_free(rp->ctx);
	free(rp->who);
	free(rp->seen);
	free(rp->outbound);
	free(rp->held);
	free(rp->template_text);
	free(rp->approved);
	free(rp);
}

/* The approved template's name when the text is that template as
 * inserted; edited, it is free text. */
static const char *
ui_reply_approved(struct ui_reply *rp, const char *text, size_t len)
{
	if (rp->approved == NULL || rp->template_text == NULL ||
	    strlen(rp->template_text) != len ||
	    memcmp(rp->template_text, text, len) != 0)
		return NULL;
	return rp->approved;
}

/*
 * `template NAME` in the composer: the template's text, its variables
 * filled in, inserted at the cursor, so that several build one reply (an
 * approved one is sent as one only when it is the whole text). Return 0,
 * or -1 with *cause: nothing inserted.
 */
int
ui_reply_template(struct ui *ui, const char *name, char **cause)
{
	return ui_reply_template_at(ui, name, SIZE_MAX, SIZE_MAX, cause);
}

/* The same in place of bytes [from, to) of the text (a ;shortcut), or
 * at the cursor (SIZE_MAX). */
static int
ui_reply_template_at(struct ui *ui, const char *name, size_t from,
    size_t to, char **cause)
{
	struct ui_reply		*rp = ui_reply_pane;
	struct template		*t;
	char			*text, *lang;

	if (rp == NULL || ui_reply_hidden) {
		*cause = xstrdup(_("template: open the composer first (r)"));
		return -1;
	}
	/* The variant in the customer's language (issue 16), else
	 * template.language's. */
	lang = store_contact_language(ui->store, rp->ctx->thread_id);
	t = template_resolve(name, lang, cause);
	free(lang);
	if (t == NULL)
		return -1;
	text = template_fill(t, rp->ctx->channel, rp->who, cause);
	if (text == NULL) {
		template_free(t);
		return -1;
	}
	if (from == SIZE_MAX)
		from = to = ui_compose_cursor(rp->editor);
	ui_compose_replace(rp->editor, from, to, text, strlen(text));
	free(rp->template_text);
	free(rp->approved);
	rp->template_text = text;
	rp->approved = t->approved != NULL ? xstrdup(t->approved) : NULL;
	rp->last_key_ms = util_clock_ms();
	template_free(t);
	return 0;
}

/*
 * Tab after ;SHORTCUT (a shortcut, a name or a stem of variants): the
 * template in its place. 1 when there was a ;word before the cursor
 * (expanded, or the reason on the status line), else 0.
 */
static int
ui_reply_shortcut(struct ui *ui)
{
	struct ui_reply	*rp = ui_reply_pane;
	const char	*text;
	char		*word, *cause = NULL;
	size_t		 len, at, start;

	text = ui_compose_text(rp->editor, &len);
	at = start = ui_compose_cursor(rp->editor);
	while (start > 0 && text[start - 1] != ' ' && text[start - 1] != '\n' &&
	    text[start - 1] != ';')
		start--;
	if (start == 0 || text[start - 1] != ';' || start == at)
		return 0;
	word = xstrndup(text + start, at - start);
	if (ui_reply_template_at(ui, word, start - 1, at, &cause) != 0) {
		ui_set_message(ui, 1, _("%s: nothing inserted"), cause);
		free(cause);
	}
	free(word);
	return 1;
}

/* The row the composer was last drawn from, or -1. */
int
ui_reply_top_row(void)
{
	return ui_reply_pane != NULL && !ui_reply_hidden ? ui_reply_top : -1;
}

/* What the picker fills its preview with: the composer's conversation's
 * channel, customer and language (allocated); 0, or -1 when closed. */
int
ui_reply_template_vars(struct ui *ui, const char **channel, const char **who,
    char **lang)
{
	struct ui_reply	*rp = ui_reply_pane;

	if (rp == NULL || ui_reply_hidden)
		return -1;
	*channel = rp->ctx->channel;
	*who = rp->who;
	*lang = store_contact_language(ui->store, rp->ctx->thread_id);
	return 0;
}

static const char *
ui_reply_data_dir(struct ui *ui)
{
	return ui->opts->store.data_dir;
}

/* Save rp's draft if the text moved since the last save; 0, or -1 when
 * it could not be written (said on the status line). */
static int
ui_reply_save_one(struct ui *ui, struct ui_reply *rp)
{
	struct store_draft	 d;
	char			*cause;

	if (rp->saved == ui_compose_generation(rp->editor))
		return 0;
	memset(&d, 0, sizeof d);
	d.conv = rp->ctx->conv_key;
	d.agent = (char *)(uintptr_t)core_agent_name();
	d.note = rp->note;
	d.seen = rp->seen;
	d.began = rp->began;
	d.outbound = rp->outbound;
	d.title = rp->who;
	d.text = (char *)(uintptr_t)ui_compose_text(rp->editor, &d.text_len);
	if (d.text_len == 0 && rp->outbound == NULL) {
		/* Nothing typed (or all of it deleted): no draft. */
		store_draft_remove(ui_reply_data_dir(ui), core_agent_name(),
		    rp->ctx->conv_key, rp->note);
	} else if (store_draft_save(ui_reply_data_dir(ui), &d, &cause) != 0) {
		ui_set_message(ui, 1, _("the draft was not saved: %s"), cause);
		free(cause);
		return -1;
	}
	rp->saved = ui_compose_generation(rp->editor);
	return 0;
}

/*
 * Save the composer's draft, and those of composers closed while their
 * draft could not be written (a full disk): parked in memory until it
 * can, so that nothing typed is lost.
 */
static void
ui_reply_save(struct ui *ui)
{
	struct ui_reply	*rp;

	if (ui_reply_pane != NULL)
		ui_reply_save_one(ui, ui_reply_pane);
	while ((rp = LIST_FIRST(&ui_reply_parked)) != NULL) {
		if (ui_reply_save_one(ui, rp) != 0)
			break;		/* the disk is still full */
		LIST_REMOVE(rp, entry);
		ui_reply_free(rp);
	}
}

void
ui_reply_flush(struct ui *ui)
{
	ui_reply_save(ui);
}

int
ui_reply_unsaved_report(struct ui *ui, FILE *out)
{
	struct ui_reply	*rp;
	const char	*text;
	char		*clean;
	size_t		 len;
	int		 n = 0;

	ui_reply_save(ui);
	while ((rp = LIST_FIRST(&ui_reply_parked)) != NULL) {
		LIST_REMOVE(rp, entry);
		text = ui_compose_text(rp->editor, &len);
		clean = sanitize(text, len, SANITIZE_BODY, 0);
		fprintf(out, _("ombre: the draft for %s could not be saved; "
		    "its text:\n%s\n"), rp->who != NULL ? rp->who : "?", clean);
		free(clean);
		ui_reply_free(rp);
		n++;
	}
	return n;
}

/*
 * The conversation changed (msgs: its messages as just read): where a
 * reply goes and its window follow (the customer may have written); what
 * the agent had in view (seen) stays, it is the guard's.
 */
void
ui_reply_refresh(struct ui *ui, struct msg *const *msgs, size_t n)
{
	struct store_reply_context	*c;

	if (ui_reply_pane == NULL || ui->thread_id == NULL ||
	    (c = store_reply_context_of(ui->thread_id, msgs, n)) == NULL)
		return;
	store_reply_context_free(ui_reply_pane->ctx);
	ui_reply_pane->ctx = c;
}

/* Every UI_DRAFT_MS / 2: the draft, and what this console shows. */
void
ui_reply_tick(void *data)
{
	struct ui	*ui = data;

	ui_reply_save(ui);
	ui_presence_update(ui);
	ev_timer_add(ui->loop, UI_DRAFT_MS / 2, ui_reply_tick, ui);
}

int
ui_reply_typing(struct ui *ui)
{
	(void)ui;
	return ui_reply_pane != NULL && !ui_reply_hidden &&
	    util_clock_ms() - ui_reply_pane->last_key_ms < UI_TYPING_MS &&
	    ui_reply_pane->last_key_ms > 0;
}

void
ui_reply_close(struct ui *ui)
{
	struct ui_reply	*rp = ui_reply_pane;

	ui_picker_close();
	ui_reply_pane = NULL;
	ui_reply_hidden = 0;
	if (rp == NULL)
		return;
	if (ui_reply_save_one(ui, rp) != 0) {
		/* Kept here, and saved as soon as it can be. */
		LIST_INSERT_HEAD(&ui_reply_parked, rp, entry);
		return;
	}
	ui_reply_free(rp);
	ui_reply_save(ui);
}

/* A composer parked with its unsaved draft for this conversation and
 * kind, taken back; NULL when none. */
static struct ui_reply *
ui_reply_unpark(struct ui *ui, const char *conv_key, int note)
{
	struct ui_reply	*rp;

	(void)ui;
	LIST_FOREACH(rp, &ui_reply_parked, entry) {
		if (rp->note == note && strcmp(rp->ctx->conv_key,
		    conv_key) == 0) {
			LIST_REMOVE(rp, entry);
			return rp;
		}
	}
	return NULL;
}

/*
 * Open the composer on the open conversation (opening the one under the
 * cursor first), with its draft when there is one.
 */
int
ui_reply_open(struct ui *ui, int note)
{
	struct ui_reply		*rp, *parked;
	struct store_draft	*d;
	char			*cause = NULL, *conv, *msgid;

	if (ui->thread == NULL)
		ui_open(ui);
	if (ui->thread == NULL || ui->thread_id == NULL)
		return -1;
	if (ui_reply_pane != NULL) {
		if (ui_reply_pane->note == note) {
			ui_reply_hidden = 0;
			return 0;
		}
		ui_reply_close(ui);
	}
	rp = xcalloc(1, sizeof *rp);
	conv = xasprintf("thread:%s", ui->thread_id);
	if (store_reply_context(ui->store, conv, &rp->ctx, &cause) !=
	    STORE_OK) {
		ui_set_message(ui, 1, _("cannot answer here: %s"), cause);
		free(cause);
		free(conv);
		free(rp);
		return -1;
	}
	free(conv);
	if ((parked = ui_reply_unpark(ui, rp->ctx->conv_key, note)) != NULL) {
		/* Its text is newer than any draft on disk. */
		store_reply_context_free(parked->ctx);
		parked->ctx = rp->ctx;
		free(rp);
		ui_reply_pane = parked;
		ui_reply_hidden = 0;
		return 0;
	}
	rp->note = note;
	/* Kept in the draft's header: one line, no control character. */
	rp->who = sanitize(ui->thread_who != NULL ? ui->thread_who : "",
	    ui->thread_who != NULL ? strlen(ui->thread_who) : 0,
	    SANITIZE_LINE, 60);
	d = store_draft_load(ui_reply_data_dir(ui), core_agent_name(),
	    rp->ctx->conv_key, note, &cause);
	if (d == NULL && cause != NULL) {
		ui_set_message(ui, 1, _("the draft was not read: %s"), cause);
		free(cause);
	}
	if (d != NULL && d->outbound != NULL) {
		msgid = xasprintf("%s@ombre", d->outbound);
		if (store_has_message(ui->store, msgid)) {
			/* Stored before the console stopped: sent already. */
			store_draft_remove(ui_reply_data_dir(ui),
			    core_agent_name(), rp->ctx->conv_key, note);
			store_draft_free(d);
			d = NULL;
		}
		free(msgid);
	}
	if (d != NULL) {
		rp->editor = ui_compose_new(d->text, d->text_len);
		rp->seen = d->seen != NULL ? xstrdup(d->seen) : NULL;
		rp->began = d->began;
		rp->outbound = d->outbound != NULL ? xstrdup(d->outbound) : NULL;
		ui_set_message(ui, 0, _("draft restored"));
		store_draft_free(d);
	} else {
		rp->editor = ui_compose_new(NULL, 0);
		rp->seen = xstrdup(rp->ctx->seen);
		rp->began = util_now();
	}
	rp->saved = ui_compose_generation(rp->editor);
	ui_reply_pane = rp;
	ui_reply_hidden = 0;
	return 0;
}

/* The child: store the reply or note, then remove the draft. */
/*
 * On a replica the reply is stored by the central server (whose syncer
 * sends it), under the id made here and with the guard's view: the same
 * exit statuses as the local child's.
 */
static int
ui_send_remote(struct ui_send *s)
{
	struct buf	 out, err;
	const char	*args[10];
	size_t		 n = 0;
	int		 rc;

	if (s->r.note)
		args[n++] = "--note";
	if (s->r.seen != NULL) {
		args[n++] = "--seen";
		args[n++] = s->r.seen;
	}
	if (s->r.force)
		args[n++] = "--force";
	args[n++] = "--id";
	args[n++] = s->r.outbound;
	args[n] = NULL;
	buf_init(&out);
	buf_init(&err);
	rc = sync_authority_run(&s->store, "reply", s->conv, args, s->agent,
	    s->text, s->r.text_len, &out, &err);
	switch (rc) {
	case 0:
		store_draft_remove(s->store.data_dir, s->agent, s->conv_key,
		    s->r.note);
		printf("%s\n", s->r.outbound);
		break;
	case 3:		/* held: what changed, on the server's stderr */
		fputs(err.len > 0 ? err.data : _("the conversation moved"),
		    stdout);
		break;
	case SYNC_AUTHORITY_UNREACHABLE:
		fprintf(stderr, _("the central server could not be reached "
		    "(store.authority): nothing sent\n"));
		rc = 1;
		break;
	default:
		fputs(err.len > 0 ? err.data : _("refused by the central "
		    "server\n"), stderr);
		rc = rc == 1 ? 4 : 1;
		break;
	}
	buf_free(&out);
	buf_free(&err);
	return rc;
}

static int
ui_send_child(void *arg)
{
	struct ui_send		*s = arg;
	struct store		*st;
	enum store_status	 rc;
	char			*cause = NULL, *changes = NULL, *id = NULL;

	if (authority_active())
		return ui_send_remote(s);
	rc = store_open(&s->store, STORE_READ_WRITE, &st, &cause);
	if (rc != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		return rc == STORE_LOCKED ? 75 : 1;
	}
	rc = store_reply_add(st, &s->r, &id, &changes, &cause);
	if (store_close(st) != STORE_OK && (rc == STORE_OK ||
	    rc == STORE_DUPLICATE)) {
		fprintf(stderr, _("closing the database failed\n"));
		return 1;
	}
	switch (rc) {
	case STORE_OK:
	case STORE_DUPLICATE:
		store_draft_remove(s->store.data_dir, s->agent, s->conv_key,
		    s->r.note);
		printf("%s\n", id);
		return 0;
	case STORE_HELD:
		printf("%s\n", changes);
		return 3;
	case STORE_LOCKED:
		fprintf(stderr, "%s\n", cause);
		return 75;
	default:
		fprintf(stderr, "%s\n", cause != NULL ? cause :
		    store_status_str(rc));
		return rc == STORE_REFUSED ? 4 : 1;
	}
}

static void
ui_send_free(struct ui_send *s)
{
	free(s->conv);
	free(s->text);
	free(s->outbound);
	free(s->seen);
	free(s->approved);
	free(s->conv_key);
	free(s->agent);
	free(s);
}

static void
ui_send_done(struct job *job, int status, const char *output, void *data)
{
	struct ui_send	*s = data;
	struct ui	*ui = s->ui;
	struct ui_reply	*rp = ui_reply_pane;

	(void)job;
	ui->jobs--;
	if (status == JOB_CANCELLED) {
		ui_send_free(s);
		return;
	}
	if (rp != NULL && strcmp(rp->ctx->conv_key, s->conv_key) != 0)
		rp = NULL;	/* the agent moved on meanwhile */
	if (rp != NULL)
		rp->sending = 0;
	if (status == 0) {
		ui_set_message(ui, 0, "%s", s->r.note ? _("note added (never "
		    "sent)") : _("reply queued: the syncer sends it"));
		if (rp != NULL) {
			ui_reply_free(rp);
			ui_reply_pane = NULL;
		}
	} else if (status == 3 && rp != NULL) {
		free(rp->held);
		rp->held = xstrdup(output);
	} else
		ui_job_failed(ui, s->r.note ? _("note not sent") :
		    _("reply not sent"), output, _("the database could not be "
		    "written"));
	ui_send_free(s);
	ui_refresh(ui);
	ui->react |= UI_REDRAW;
}

/* Store the composer's text through a child; force skips the guard. */
static void
ui_reply_send(struct ui *ui, int force)
{
	struct ui_reply	*rp = ui_reply_pane;
	struct ui_send	*s;
	const char	*text, *approved;
	char		*why, *changes = NULL, *cause = NULL, *id;
	size_t		 len;

	if (rp->sending)
		return;
	text = ui_compose_text(rp->editor, &len);
	if (len == 0 || strspn(text, " \n") == len) {
		ui_set_message(ui, 1, _("nothing to send"));
		return;
	}
	/* The checks the child makes again, here to answer at once. */
	approved = ui_reply_approved(rp, text, len);
	if ((why = store_reply_refusal(rp->ctx, text, len, rp->note, approved,
	    util_now())) != NULL) {
		ui_set_message(ui, 1, _("not sent: %s"), why);
		free(why);
		return;
	}
	/* The guard reads the newest state; what the screen shows follows
	 * at the watch (ui_refresh keeps its own revision: nothing taken). */
	store_refresh(ui->store);
	if (!rp->note && !force && rp->seen != NULL &&
	    store_reply_guard(ui->store, rp->ctx->thread_id, rp->seen, NULL,
	    rp->outbound, core_agent_name(), &changes, &cause) == STORE_HELD) {
		free(rp->held);
		rp->held = changes;
		free(cause);
		ui->react |= UI_REDRAW;
		return;
	}
	free(changes);
	free(cause);
	if (rp->outbound == NULL) {
		id = msgid_outbound();
		rp->outbound = xstrndup(id, strcspn(id, "@"));
		free(id);
	}
	/* The draft names the id before anything is stored. */
	rp->saved = ui_compose_generation(rp->editor) - 1;
	ui_reply_save(ui);
	s = xcalloc(1, sizeof *s);
	s->store = ui->opts->store;
	s->conv = xasprintf("thread:%s", rp->ctx->thread_id);
	s->text = xstrndup(text, len);
	s->outbound = xstrdup(rp->outbound);
	s->seen = rp->seen != NULL ? xstrdup(rp->seen) : NULL;
	s->conv_key = xstrdup(rp->ctx->conv_key);
	s->agent = xstrdup(core_agent_name());
	s->r.conv = s->conv;
	s->r.text = s->text;
	s->r.text_len = len;
	s->r.note = rp->note;
	s->r.agent = s->agent;
	s->r.outbound = s->outbound;
	s->r.seen = s->seen;
	s->r.force = force;
	s->r.take_over = options_get_flag("reply.takes-over");
	s->approved = approved != NULL ? xstrdup(approved) : NULL;
	s->r.approved = s->approved;
	s->r.now = util_now();
	s->ui = ui;
	if (job_run(ui->loop, ui_send_child, s, ui_send_done, s) == NULL) {
		ui_set_message(ui, 1, _("not sent: cannot start a process"));
		ui_send_free(s);
		return;
	}
	ui->jobs++;
	rp->sending = 1;
	free(rp->held);
	rp->held = NULL;
	ui_set_message(ui, 0, "%s", rp->note ? _("adding the note...") :
	    _("queueing the reply..."));
}

/*
 * The text in $VISUAL (else $EDITOR, else vi), on a file beside the
 * drafts so the editor's own swap file is kept with them.
 */
void
ui_reply_editor(struct ui *ui)
{
	struct ui_reply	*rp = ui_reply_pane;
	struct buf	 b;
	const char	*text, *editor, *var;
	char		*dir, *path, chunk[4096], *clean, *why;
	size_t		 len;
	ssize_t		 got;
	pid_t		 pid;
	int		 fd, status;

	if (rp == NULL || rp->sending)
		return;
	ui_reply_save(ui);
	dir = xasprintf("%s/drafts", ui_reply_data_dir(ui));
	util_mkdir_p(dir, util_share_mode(ui_reply_data_dir(ui), 0700));
	path = xasprintf("%s/edit-%ld.txt", dir, (long)getpid());
	text = ui_compose_text(rp->editor, &len);
	if (util_write_file(dir, strrchr(path, '/') + 1, text, len,
	    util_share_mode(ui_reply_data_dir(ui), 0600)) != 0) {
		ui_set_message(ui, 1, _("cannot write %s: %s"), path,
		    strerror(errno));
		free(path);
		free(dir);
		return;
	}
	var = "VISUAL";
	if ((editor = getenv("VISUAL")) == NULL || *editor == '\0') {
		var = "EDITOR";
		editor = getenv("EDITOR");
	}
	if (editor == NULL || *editor == '\0') {
		var = NULL;
		editor = "vi";
	}
	ui_input_stop(ui->input);
	ui_surface_suspend();
	pid = fork();
	if (pid == 0) {
		/* The editor's command may have words: the shell splits
		 * them; the file is an argument, never in the string. */
		execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", editor, path,
		    (char *)NULL);
		_exit(127);
	}
	status = -1;
	if (pid > 0)
		while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
			;
	ui_input_start(ui->input);
	ui_surface_resume();
	ui->react |= UI_RELAYOUT;
	ui->react |= UI_REDRAW;
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		/* Name the command that failed and why, as a shell would:
		 * a misspelt $EDITOR is the usual cause. */
		if (pid < 0)
			why = xasprintf(_("cannot fork: %s"), strerror(errno));
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			why = xstrdup(_("command not found"));
		else if (WIFEXITED(status) && WEXITSTATUS(status) == 126)
			why = xstrdup(_("not executable"));
		else if (WIFEXITED(status))
			why = xasprintf(_("exit status %d"), WEXITSTATUS(status));
		else
			why = xasprintf(_("killed by signal %d"),
			    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		clean = sanitize(editor, strlen(editor), SANITIZE_LINE, 60);
		ui_set_message(ui, 1, _("the editor %s%s%s failed (%s): the "
		    "text is as it was"), clean, var != NULL ? _(" from $") : "",
		    var != NULL ? var : "", why);
		free(clean);
		free(why);
		unlink(path);
		free(path);
		free(dir);
		return;
	}
	buf_init(&b);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		while ((got = read(fd, chunk, sizeof chunk)) > 0)
			buf_add(&b, chunk, (size_t)got);
		close(fd);
	}
	while (b.len > 0 && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	if (fd == -1 || !utf8_valid(b.data != NULL ? b.data : "", b.len,
	    NULL) || (b.len > 0 && memchr(b.data, '\0', b.len) != NULL))
		ui_set_message(ui, 1, _("the edited text is not UTF-8: the "
		    "text is as it was"));
	else {
		ui_compose_set_text(rp->editor, b.data != NULL ? b.data : "",
		    b.len);
		rp->last_key_ms = util_clock_ms();
		ui_reply_save(ui);
	}
	buf_free(&b);
	unlink(path);
	free(path);
	free(dir);
}

/* A key while the composer is open: 1 when it took it. */
int
ui_reply_key(struct ui *ui, const char *key, const char *text)
{
	struct ui_reply	*rp = ui_reply_pane;
	size_t		 len;

	if (rp == NULL || ui_reply_hidden)
		return 0;
	ui->react |= UI_REDRAW;
	if (rp->held != NULL) {
		if (text != NULL && strcmp(text, "y") == 0)
			ui_reply_send(ui, 1);
		else if (text != NULL && strcmp(text, "e") == 0) {
			/* The agent has seen what changed: the guard
			 * starts again from the newest message. */
			free(rp->held);
			rp->held = NULL;
			ui_thread_reload(ui);	/* and the reply's context */
			free(rp->seen);
			rp->seen = xstrdup(rp->ctx->seen);
			rp->saved--;	/* the new view goes to the draft */
		} else if (text != NULL && strcmp(text, "d") == 0) {
			store_draft_remove(ui_reply_data_dir(ui),
			    core_agent_name(), rp->ctx->conv_key, rp->note);
			ui_reply_free(rp);
			ui_reply_pane = NULL;
			ui_set_message(ui, 0, _("reply discarded"));
		}
		return 1;
	}
	if (rp->sending)
		return 1;	/* the text is on its way */
	if (text == NULL && strcmp(key, "Tab") == 0 && ui_reply_shortcut(ui))
		return 1;
	switch (ui_compose_key(rp->editor, key, text)) {
	case UI_COMPOSE_SEND:
		ui_reply_send(ui, 0);
		break;
	case UI_COMPOSE_CLOSE:
		ui_reply_save(ui);
		ui_reply_hidden = 1;
		ui_compose_text(rp->editor, &len);
		if (len > 0)
			ui_set_message(ui, 0, _("draft kept: r continues it"));
		break;
	case UI_COMPOSE_EDITOR:
		ui_reply_editor(ui);
		break;
	case UI_COMPOSE_TEMPLATE:
		ui_picker_open(ui);
		break;
	case UI_COMPOSE_EDITING:
		rp->last_key_ms = util_clock_ms();
		break;
	}
	return 1;
}

/* The composer's first line: what it is, the limits, the window, the keys. */
static char *
ui_reply_header(struct ui *ui, enum ui_role *role)
{
	struct ui_reply		*rp = ui_reply_pane;
	struct limit_measure	 m;
	struct buf		 b;
	const char		*text;
	size_t			 len;
	int64_t			 secs;
	char			 age[16], *here, *state;
	const struct channel_config *cc;

	*role = UI_ROLE_THREAD_TITLE;
	buf_init(&b);
	if (rp->note) {
		buf_add_str(&b, _("Internal note, never sent  C-s add  Esc "
		    "keep"));
		goto others;
	}
	text = ui_compose_text(rp->editor, &len);
	limit_measure(rp->ctx->channel, text, len, &m);
	buf_add_printf(&b, _("Reply on %s  "), rp->ctx->channel);
	if (m.limit > 0 && m.left >= 0)
		buf_add_printf(&b, ngettext("%ld left", "%ld left", m.left),
		    m.left);
	else if (m.limit > 0) {
		if (strcmp(m.unit, "bytes") == 0)
			buf_add_printf(&b, ngettext("%ld byte over",
			    "%ld bytes over", -m.left), -m.left);
		else
			buf_add_printf(&b, ngettext("%ld character over",
			    "%ld characters over", -m.left), -m.left);
		*role = UI_ROLE_ERROR;
	} else if (strcmp(m.unit, "bytes") == 0)
		buf_add_printf(&b, ngettext("%ld byte", "%ld bytes", m.used),
		    m.used);
	else
		buf_add_printf(&b, ngettext("%ld character", "%ld characters",
		    m.used), m.used);
	if (m.segments > 0)	/* not translated: names, the same in French */
		buf_add_printf(&b, ", %d SMS%s", m.segments,
		    /* not translated: a name */
		    m.sms_unicode ? " (Unicode)" : "");
	switch (limit_window(rp->ctx->channel, rp->ctx->last_customer,
	    util_now(), &secs)) {
	case LIMIT_WINDOW_OPEN:
		util_format_age(secs, age, sizeof age);
		buf_add_printf(&b, _("  window %s left"), age);
		break;
	case LIMIT_WINDOW_CLOSED:
		if (ui_reply_approved(rp, text, len) != NULL)
			buf_add_printf(&b, _("  window closed: approved "
			    "template %s"), rp->approved);
		else {
			buf_add_str(&b, _("  WINDOW CLOSED: approved templates "
			    "only (:template NAME)"));
			*role = UI_ROLE_ERROR;
		}
		break;
	case LIMIT_WINDOW_NONE:
		break;
	}
	/* Who sends it, and whether it can now: after the limit and the
	 * window, which a narrow terminal must still show. */
	cc = channel_config_sender(rp->ctx->channel, rp->ctx->account);
	if (cc == NULL) {
		buf_add_str(&b, _("  NO CHANNEL SENDS IT"));
		*role = UI_ROLE_ERROR;
	} else if ((state = sync_channel_state(ui->opts->store.data_dir,
	    cc->name)) != NULL) {
		/* not translated: "via" is French too */
		buf_add_printf(&b, "  via %s: %s", cc->name, _(state));
		free(state);
	} else	/* not translated: "via" is French too */
		buf_add_printf(&b, "  via %s", cc->name);
	buf_add_str(&b, rp->sending ? _("  sending...") :
	    _("  C-s send  Esc keep  M-e editor  C-t template"));
others:
	if ((here = ui_presence_here(ui)) != NULL) {
		buf_add_printf(&b, "  %s", here);
		free(here);
	}
	return buf_steal(&b);
}

/* Rows the pane wants at this size (0 when hidden). */
int
ui_reply_rows(struct ui *ui, int rows, int cols)
{
	struct ui_reply	*rp = ui_reply_pane;
	int		 want, n = 0;
	const char	*p;

	(void)ui;
	if (rp == NULL || ui_reply_hidden)
		return 0;
	if (rp->held != NULL) {
		for (p = rp->held, n = 1; *p != '\0'; p++)
			n += *p == '\n';
		want = n + 2;
	} else {
		want = ui_compose_rows(rp->editor, cols) + 1;
		if (want < 4)
			want = 4;
	}
	/* A third of the screen at most (rows is the screen's but its
	 * status line): the thread keeps the customer's newest message. */
	if (want > (rows + 1) / 3)
		want = (rows + 1) / 3;
	return want < 2 ? 2 : want;
}

void
ui_reply_draw(struct ui *ui, int top, int rows, int cols)
{
	struct ui_reply	*rp = ui_reply_pane;
	enum ui_role	 role;
	const char	*p, *nl;
	char		*header, *line;
	int		 r;

	ui_reply_top = top;
	if (rp->held != NULL) {
		ui_surface_text(top, 0, cols, UI_ROLE_ERROR, _("Held: the "
		    "conversation moved since you began:"));
		for (p = rp->held, r = 1; r < rows - 1 && *p != '\0'; r++) {
			nl = strchr(p, '\n');
			line = xstrndup(p, nl != NULL ? (size_t)(nl - p) :
			    strlen(p));
			ui_surface_text(top + r, 0, cols, UI_ROLE_NORMAL, line);
			free(line);
			p = nl != NULL ? nl + 1 : p + strlen(p);
		}
		for (; r < rows - 1; r++)
			ui_surface_text(top + r, 0, cols, UI_ROLE_NORMAL, "");
		ui_surface_text(top + rows - 1, 0, cols, UI_ROLE_STATUS,
		    _("y send anyway  e edit  d discard"));
		return;
	}
	header = ui_reply_header(ui, &role);
	ui_surface_text(top, 0, cols, role, header);
	free(header);
	ui_compose_draw(rp->editor, top + 1, rows - 1, cols);
}

/*
 * R, M, D in a conversation: the agent's decision on its newest reply
 * whose delivery is unknown (or that failed), through a child.
 */
struct ui_decide {
	struct store_options		store;
	char				*msgid;
	enum store_outbox_action	action;
	struct ui			*ui;
};

static int
ui_decide_child(void *arg)
{
	struct ui_decide	*d = arg;
	struct store		*st;
	char			*cause;
	enum store_status	 rc;

	rc = store_open(&d->store, STORE_READ_WRITE, &st, &cause);
	if (rc == STORE_OK) {
		rc = store_outbox_decide(st, d->msgid, d->action, &cause);
		store_close(st);
	}
	if (rc != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	return 0;
}

static void
ui_decide_done(struct job *job, int status, const char *output, void *data)
{
	struct ui_decide	*d = data;
	struct ui		*ui = d->ui;

	(void)job;
	ui->jobs--;
	if (status != JOB_CANCELLED) {
		if (status == 0)
			ui_set_message(ui, 0, "%s", d->action ==
			    STORE_OUTBOX_RESEND ? _("queued again: the syncer "
			    "sends it") : d->action == STORE_OUTBOX_MARK_SENT ?
			    _("marked sent") : _("discarded: never sent"));
		else
			ui_job_failed(ui, NULL, output, _("the database could "
			    "not be written"));
		ui_refresh(ui);
	}
	free(d->msgid);
	free(d);
}

void
ui_reply_decide(struct ui *ui, enum store_outbox_action action)
{
	struct ui_decide	*d;
	const struct msg	*m;

	m = ui_thread_undelivered(ui->thread);
	if (m == NULL) {
		ui_set_message(ui, 0, _("no reply here is unknown or failed"));
		return;
	}
	d = xcalloc(1, sizeof *d);
	d->store = ui->opts->store;
	d->msgid = xasprintf("%s@ombre", m->id);
	d->action = action;
	d->ui = ui;
	if (job_run(ui->loop, ui_decide_child, d, ui_decide_done, d) == NULL) {
		free(d->msgid);
		free(d);
		ui_set_message(ui, 1, _("cannot start a process"));
		return;
	}
	ui->jobs++;
}

/* The other consoles on the data dir, and what this one last said it
 * shows (the conversation's key, whether its agent types) and when. */
static struct store_presence	**ui_presence_others;
static size_t			  ui_n_presence_others;
static char			 *ui_presence_conv;
static int			  ui_presence_typing;
static int64_t			  ui_presence_beat;

/* "bob is typing, carol is viewing" for the open conversation, or NULL. */
char *
ui_presence_here(struct ui *ui)
{
	struct buf	b;
	size_t		i;

	if (ui->thread_key == NULL || ui_n_presence_others == 0)
		return NULL;
	buf_init(&b);
	for (i = 0; i < ui_n_presence_others; i++) {
		if (ui_presence_others[i]->conv == NULL ||
		    strcmp(ui_presence_others[i]->conv, ui->thread_key) != 0)
			continue;
		buf_add_printf(&b, "%s", b.len > 0 ? ", " : "");
		buf_add_printf(&b, ui_presence_others[i]->typing ?
		    _("%s is typing") : _("%s is viewing"),
		    ui_presence_others[i]->agent);
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* Say what this console shows; read what the others show. */
void
ui_presence_update(struct ui *ui)
{
	const char	*conv = NULL;
	int		 typing, changed;
	int64_t		 now = util_now();

	if (ui_reply_pane != NULL && !ui_reply_hidden)
		conv = ui_reply_pane->ctx->conv_key;
	else if (ui->thread != NULL)
		conv = ui->thread_key;
	typing = ui_reply_typing(ui);
	changed = typing != ui_presence_typing ||
	    (conv == NULL) != (ui_presence_conv == NULL) ||
	    (conv != NULL && strcmp(conv, ui_presence_conv) != 0);
	if (changed || now - ui_presence_beat >= STORE_PRESENCE_BEAT) {
		store_presence_announce(ui_reply_data_dir(ui),
		    core_agent_name(), conv, typing);
		free(ui_presence_conv);
		ui_presence_conv = conv != NULL ? xstrdup(conv) : NULL;
		ui_presence_typing = typing;
		ui_presence_beat = now;
	}
	store_presences_free(ui_presence_others, ui_n_presence_others);
	ui_n_presence_others = store_presence_read(ui_reply_data_dir(ui), now,
	    &ui_presence_others);
	ui_list_set_presence(ui->list, ui_presence_others, ui_n_presence_others);
	if (ui_n_presence_others > 0 || changed)
		ui->react |= UI_REDRAW;
}

/* The console ends: the others no longer see it. */
void
ui_presence_leave(struct ui *ui)
{
	store_presence_leave(ui_reply_data_dir(ui));
	ui_list_set_presence(ui->list, NULL, 0);
	store_presences_free(ui_presence_others, ui_n_presence_others);
	ui_presence_others = NULL;
	ui_n_presence_others = 0;
	free(ui_presence_conv);
	ui_presence_conv = NULL;
}

/* On start: the drafts this agent left, and replies whose fate is
 * unknown. */
void
ui_reply_recover(struct ui *ui)
{
	struct store_draft	**drafts;
	struct store_outgoing	**list = NULL;
	struct buf		  b;
	char			**errors, *cause = NULL;
	size_t			  n, n_errors, i, n_out = 0, unknown = 0;

	n = store_draft_list(ui_reply_data_dir(ui), core_agent_name(),
	    &drafts, &errors, &n_errors);
	if (store_outbox_list(ui->store, 0, &list, &n_out, &cause) == STORE_OK)
		for (i = 0; i < n_out; i++) {
			unknown += strcmp(list[i]->state, "unknown") == 0;
			store_outgoing_free(list[i]);
		}
	free(list);
	free(cause);
	buf_init(&b);
	if (n > 0) {
		buf_add_str(&b, ngettext("draft recovered:",
		    "drafts recovered:", n));
		for (i = 0; i < n && i < 3; i++)
			buf_add_printf(&b, "%s %s%s", i > 0 ? "," : "",
			    drafts[i]->title != NULL && *drafts[i]->title !=
			    '\0' ? drafts[i]->title : _("a conversation"),
			    drafts[i]->note ? _(" (note)") : "");
		if (n > 3)
			buf_add_printf(&b, _(" and %zu more"), n - 3);
		buf_add_str(&b, _(" (r there continues)"));
	}
	if (n_errors > 0)
		buf_add_printf(&b, ngettext("%s%zu draft unreadable (see "
		    "%s/drafts)", "%s%zu drafts unreadable (see %s/drafts)",
		    n_errors), b.len > 0 ? "; " : "", n_errors,
		    ui_reply_data_dir(ui));
	if (unknown > 0)
		buf_add_printf(&b, ngettext("%s%zu reply of unknown delivery: "
		    "R resend, M mark sent, D discard", "%s%zu replies of "
		    "unknown delivery: R resend, M mark sent, D discard",
		    unknown), b.len > 0 ? "; " : "", unknown);
	if (b.len > 0)
		ui_set_message(ui, n_errors > 0 || unknown > 0, "%s", b.data);
	buf_free(&b);
	/* The titles are untrusted like any file: the status line
	 * sanitises what it shows. */
	for (i = 0; i < n; i++)
		store_draft_free(drafts[i]);
	free(drafts);
	for (i = 0; i < n_errors; i++)
		free(errors[i]);
	free(errors);
}
