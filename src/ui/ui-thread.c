/*
 * ui-thread.c: the thread view: the messages of one conversation, oldest
 * first, with day separators, who wrote each (customer, bot, agent and
 * internal note look different), bodies wrapped to the width, attachments
 * listed, and scrolling. An event (a handoff, a take-over, closing) is
 * one dim line with its time, "14:05 taken over by ana".
 *
 * Under the title, the customer as a person (issue 16): the contact's
 * notes ("VIP", "refunded once in March") in every conversation of that
 * person, and their other conversations on every channel, newest first
 * (badge, age, snippet), numbered for open-other (o).
 *
 * More than three quoted lines in a row (an e-mail's "> ..." quote) fold
 * into one dim line, "[… 42 quoted lines: z to show]", until
 * toggle-quotes (z) shows them; z again folds them.
 *
 * The text is laid out once per width into display lines; each line is
 * sanitised text already, so drawing is a copy.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ui_thread_line {
	char		*text;
	enum ui_role	 role;
};

struct ui_thread {
	struct msg		**msgs;
	size_t			  n_msgs;
	char			 *title;
	char			 *header;	/* the title, and who has
						   Messenger's thread control */
	char			 *risk;		/* a second header line, the
						   public risk's, or NULL */
	int			  width;	/* the layout's width */
	struct ui_thread_line	 *lines;
	size_t			  n_lines;
	size_t			  top;
	int			  stick;	/* the end stays in view as the
						   pane's height changes (the
						   composer opens, grows) */
	/* The header's lines under the title: the contact's notes, the
	 * customer's other conversations (sanitised). */
	struct ui_thread_line	 *head;
	size_t			  n_head;
	char			**others;	/* their thread ids, newest first */
	size_t			  n_others;
	int			  quotes_open;	/* long quotes unfolded */
};

/* More quoted lines than this in a row fold behind toggle-quotes. */
#define UI_THREAD_QUOTE_FOLD	3

/* The other conversations the header lists at most. */
#define UI_THREAD_OTHERS_MAX	3

struct ui_thread *
ui_thread_new(struct msg **msgs, size_t n, const char *title)
{
	struct ui_thread	*t;
	const char		*owner;

	t = xcalloc(1, sizeof *t);
	t->msgs = msgs;
	t->n_msgs = n;
	t->title = xstrdup(title);
	if ((owner = msg_thread_owner(msgs, n)) != NULL)
		t->header = xasprintf(_("%s  [thread: %s]"), title, owner);
	else
		t->header = xstrdup(title);
	return t;
}

static void
ui_thread_clear_lines(struct ui_thread *t)
{
	size_t	i;

	for (i = 0; i < t->n_lines; i++)
		free(t->lines[i].text);
	free(t->lines);
	t->lines = NULL;
	t->n_lines = 0;
}

void
ui_thread_free(struct ui_thread *t)
{
	size_t	i;

	if (t == NULL)
		return;
	ui_thread_clear_lines(t);
	for (i = 0; i < t->n_head; i++)
		free(t->head[i].text);
	free(t->head);
	for (i = 0; i < t->n_others; i++)
		free(t->others[i]);
	free(t->others);
	store_msgs_free(t->msgs, t->n_msgs);
	free(t->title);
	free(t->header);
	free(t->risk);
	free(t);
}

static void
ui_thread_add(struct ui_thread *t, enum ui_role role, char *text)
{
	t->lines = xreallocarray(t->lines, t->n_lines + 1, sizeof *t->lines);
	t->lines[t->n_lines].text = text;
	t->lines[t->n_lines].role = role;
	t->n_lines++;
}

/*
 * Add safe (sanitised, one line) text wrapped to width cells: break after
 * the last space that fits, or anywhere in a word longer than the width.
 */
static void
ui_thread_wrap(struct ui_thread *t, enum ui_role role, const char *safe,
    int indent, int width)
{
	const char	*p = safe, *start, *brk;
	size_t		 n, len = strlen(safe);
	uint32_t	 cp;
	int		 used, w;

	if (width - indent < 8)
		indent = 0;
	do {
		start = p;
		brk = NULL;
		used = 0;
		while (p < safe + len) {
			n = utf8_decode(p, (size_t)(safe + len - p), &cp);
			w = utf8_cpwidth(cp);
			if (used + w > width - indent)
				break;
			used += w > 0 ? w : 0;
			p += n;
			if (cp == ' ')
				brk = p;
		}
		if (p < safe + len && brk != NULL && brk > start)
			p = brk;
		if (p == start)		/* wider than the screen: take it */
			p += utf8_decode(p, (size_t)(safe + len - p), &cp);
		ui_thread_add(t, role, xasprintf("%*s%.*s", indent, "",
		    (int)(p - start), start));
		while (*p == ' ')
			p++;
	} while (*p != '\0');
}

/* A reply's delivery, after who wrote it: "  [read 14:05]", or "". */
static char *
ui_thread_state(const struct msg *m)
{
	char	*text, *out;

	if ((text = msg_delivery_text(m)) == NULL)
		return xstrdup("");
	out = xasprintf("  [%s]", text);
	free(text);
	return out;
}

static enum ui_role
ui_thread_role(enum msg_kind kind)
{
	switch (kind) {
	case MSG_CUSTOMER:
		return UI_ROLE_THREAD_CUSTOMER;
	case MSG_BOT:
		return UI_ROLE_THREAD_BOT;
	case MSG_AGENT:
		return UI_ROLE_THREAD_AGENT;
	case MSG_NOTE:
		return UI_ROLE_THREAD_NOTE;
	case MSG_EVENT:
		return UI_ROLE_THREAD_DAY;	/* dim, like the day lines */
	}
	return UI_ROLE_NORMAL;
}

/*
 * An event: its time and its line ("handed off by the bot: the customer
 * asked for a person"), as stored, or made again from its fields; no
 * sender, no body. Sanitised like all text.
 */
static void
ui_thread_event(struct ui_thread *t, const struct msg *m, const char *clock,
    int width)
{
	char	*text, *safe, *line;

	if (m->text != NULL && m->text_len > 0)
		text = xstrndup(m->text, m->text_len);
	else
		text = triage_event_text(m->event != NULL ? m->event : "",
		    m->agent, m->reason, m->tags, m->until);
	safe = sanitize(text, strlen(text), SANITIZE_LINE, 0);
	line = xasprintf("%s %s", clock, safe);
	ui_thread_wrap(t, UI_ROLE_THREAD_DAY, line, 0, width);
	ui_thread_add(t, UI_ROLE_NORMAL, xstrdup(""));
	free(line);
	free(safe);
	free(text);
}

/* The key of toggle-quotes (the thread's, else root's), for the folded
 * line's words. */
struct ui_thread_key {
	const char	*table;
	char		 key[32];
};

static void
ui_thread_key_cb(const char *table, const char *key, const char *command,
    void *data)
{
	struct ui_thread_key	*k = data;

	if (strcmp(command, "toggle-quotes") != 0 || (k->key[0] != '\0' &&
	    strcmp(k->table, "thread") == 0))
		return;
	k->table = table;
	snprintf(k->key, sizeof k->key, "%s", key);
}

/*
 * At a quoted line starting more than UI_THREAD_QUOTE_FOLD quoted lines
 * in a row: add "[... 42 quoted lines: z to show]" and return the bytes
 * they take (with their last newline). 0 otherwise: the line is shown.
 */
static size_t
ui_thread_quote_run(struct ui_thread *t, const char *p, size_t len,
    int width)
{
	struct ui_thread_key	 k = { "", "" };
	const char		*end;
	size_t			 n = 0, at = 0, l;
	char			*line;

	while (at < len) {
		end = memchr(p + at, '\n', len - at);
		l = end != NULL ? (size_t)(end - (p + at)) : len - at;
		if (!mail_quoted_line(p + at, l))
			break;
		n++;
		at += l + (end != NULL ? 1 : 0);
	}
	if (n <= UI_THREAD_QUOTE_FOLD)
		return 0;
	keys_each("thread", ui_thread_key_cb, &k);
	if (k.key[0] == '\0')
		keys_each("root", ui_thread_key_cb, &k);
	line = xasprintf(ngettext("[\xe2\x80\xa6 %zu quoted line: %s%s to "
	    "show]", "[\xe2\x80\xa6 %zu quoted lines: %s%s to show]", n), n,
	    k.key[0] != '\0' ? k.key : ":", k.key[0] != '\0' ? "" :
	    "toggle-quotes");
	ui_thread_wrap(t, UI_ROLE_THREAD_DAY, line, 2, width);
	free(line);
	return at;
}

int
ui_thread_toggle_quotes(struct ui_thread *t)
{
	t->quotes_open = !t->quotes_open;
	t->width = 0;		/* laid out again at the next draw */
	return t->quotes_open;
}

int
ui_thread_quotes_open(struct ui_thread *t)
{
	return t->quotes_open;
}

void
ui_thread_set_quotes(struct ui_thread *t, int open)
{
	if (t->quotes_open != open)
		ui_thread_toggle_quotes(t);
}

/* Lay the messages out as lines of the given width. */
static void
ui_thread_layout(struct ui_thread *t, int width)
{
	const struct msg	*m;
	struct tm		 tm;
	time_t			 date;
	char			 day[64], last_day[64] = "", clock[16], *safe;
	char			*name, *line, *state;
	const char		*p, *end;
	size_t			 i, j, len;

	ui_thread_clear_lines(t);
	t->width = width;
	for (i = 0; i < t->n_msgs; i++) {
		m = t->msgs[i];
		date = (time_t)m->date;
		localtime_r(&date, &tm);
		strftime(day, sizeof day, "%a %d %b %Y", &tm);
		if (strcmp(day, last_day) != 0) {
			ui_thread_add(t, UI_ROLE_THREAD_DAY,
			    xasprintf("--- %s ---", day));
			snprintf(last_day, sizeof last_day, "%s", day);
		}
		strftime(clock, sizeof clock, "%H:%M", &tm);
		if (m->kind == MSG_EVENT) {
			ui_thread_event(t, m, clock, width);
			continue;
		}
		p = m->from_name != NULL ? m->from_name : m->from_id;
		name = sanitize(p, strlen(p), SANITIZE_LINE, 40);
		state = ui_thread_state(m);
		ui_thread_add(t, ui_thread_role(m->kind), xasprintf("%s  %s (%s)%s%s",
		    clock, name, m->kind == MSG_NOTE ? _("internal note") :
		    msg_kind_name(m->kind), m->edit_of != NULL ? _(" [edited]") : "",
		    state));
		free(state);
		free(name);
		if (m->outbox != NULL && (strcmp(m->outbox, "unknown") == 0 ||
		    strcmp(m->outbox, "failed") == 0)) {
			p = m->outbox_error != NULL ? m->outbox_error : "";
			safe = sanitize(p, strlen(p), SANITIZE_LINE, 200);
			line = xasprintf("  %s%s%s", strcmp(m->outbox,
			    "unknown") == 0 ? _("it may have gone out: R resend, "
			    "M mark sent, D discard") : _("R resend, D discard"),
			    *safe != '\0' ? "  -- " : "", safe);
			ui_thread_wrap(t, UI_ROLE_ERROR, line, 2, width);
			free(line);
			free(safe);
		}
		p = m->text != NULL ? m->text : "";
		len = m->text_len;
		while (len > 0) {
			/* A long quote (an e-mail's "> ..." lines) as one
			 * dim line until toggle-quotes shows it. */
			if (!t->quotes_open && (j = ui_thread_quote_run(t, p,
			    len, width)) > 0) {
				if (j >= len)
					break;
				len -= j;
				p += j;
				continue;
			}
			end = memchr(p, '\n', len);
			j = end != NULL ? (size_t)(end - p) : len;
			safe = sanitize(p, j, SANITIZE_LINE, 0);
			ui_thread_wrap(t, m->kind == MSG_NOTE ?
			    UI_ROLE_THREAD_NOTE : UI_ROLE_NORMAL, safe, 2, width);
			free(safe);
			if (end == NULL)
				break;
			len -= j + 1;
			p = end + 1;
		}
		for (j = 0; j < m->n_attachments; j++) {
			p = m->attachments[j].name != NULL ?
			    m->attachments[j].name : _("(unnamed)");
			safe = sanitize(p, strlen(p), SANITIZE_LINE, 0);
			line = xasprintf(_("[attachment] %s"), safe);
			ui_thread_wrap(t, UI_ROLE_THREAD_ATTACHMENT, line, 2,
			    width);
			free(line);
			free(safe);
		}
		ui_thread_add(t, UI_ROLE_NORMAL, xstrdup(""));
	}
}

void
ui_thread_set_contact(struct ui_thread *t, const struct contact *c,
    struct store_conv *const *others, size_t n, int64_t now)
{
	struct buf	 b;
	char		 badge[3], age[16];
	const char	*p, *also;
	size_t		 i;

	if (c != NULL && c->n_notes > 0) {
		buf_init(&b);
		buf_add_str(&b, _("notes: "));
		for (i = c->n_notes; i-- > 0;) {	/* newest first */
			sanitize_buf(&b, c->notes[i], strlen(c->notes[i]),
			    SANITIZE_LINE, 200);
			if (i > 0)
				buf_add_str(&b, " \xc2\xb7 ");	/* U+00B7 */
		}
		t->head = xreallocarray(t->head, t->n_head + 1,
		    sizeof *t->head);
		t->head[t->n_head].role = UI_ROLE_THREAD_NOTE;
		t->head[t->n_head++].text = buf_steal(&b);
	}
	for (i = 0; i < n; i++) {
		t->others = xreallocarray(t->others, t->n_others + 1,
		    sizeof *t->others);
		t->others[t->n_others++] = xstrdup(others[i]->thread_id);
		if (i >= UI_THREAD_OTHERS_MAX)
			continue;
		buf_init(&b);
		channel_badge(others[i]->channel, badge);
		util_format_age(now - others[i]->newest, age, sizeof age);
		also = _("also:");
		buf_add_printf(&b, "%-*s %zu %s %4s ", (int)strlen(also),
		    i == 0 ? also : "", i + 1, badge, age);
		p = others[i]->customer_name != NULL ?
		    others[i]->customer_name : "";
		sanitize_buf(&b, p, strlen(p), SANITIZE_LINE, 18);
		buf_add_str(&b, ": ");
		p = others[i]->snippet != NULL ? others[i]->snippet : "";
		sanitize_buf(&b, p, strlen(p), SANITIZE_LINE, 200);
		if (i == 0)
			buf_add_str(&b, _("  (o: open)"));
		t->head = xreallocarray(t->head, t->n_head + 1,
		    sizeof *t->head);
		t->head[t->n_head].role = UI_ROLE_THREAD_DAY;
		t->head[t->n_head++].text = buf_steal(&b);
	}
	if (n > UI_THREAD_OTHERS_MAX) {
		t->head = xreallocarray(t->head, t->n_head + 1,
		    sizeof *t->head);
		t->head[t->n_head].role = UI_ROLE_THREAD_DAY;
		t->head[t->n_head++].text = xasprintf(_("      and %zu more "
		    "(ombre contact show)"), n - UI_THREAD_OTHERS_MAX);
	}
}

const char *
ui_thread_other(struct ui_thread *t, size_t i)
{
	if (t == NULL || i >= t->n_others)
		return NULL;
	return t->others[i];
}

/*
 * The risk's line takes a row of the height callers give (the screen's
 * but the title and the status line).
 */
void
ui_thread_set_risk(struct ui_thread *t, const char *text)
{
	free(t->risk);
	t->risk = text != NULL ? xstrdup(text) : NULL;
}

const char *
ui_thread_risk(struct ui_thread *t)
{
	return t->risk;
}

/* Scroll by delta lines; rows is the visible height. */
void
ui_thread_scroll(struct ui_thread *t, long delta, int rows)
{
	long	top = (long)t->top + delta, max;

	if (t->risk != NULL)
		rows--;
	/* (The header's lines under the title take rows of their own.) */
	rows -= (int)t->n_head;
	if (rows < 1)
		rows = 1;
	max = (long)t->n_lines - rows;
	if (top > max)
		top = max;
	if (top < 0)
		top = 0;
	t->top = (size_t)top;
	t->stick = top >= max;
}

/* Show the end of the conversation (its newest messages). */
void
ui_thread_scroll_end(struct ui_thread *t, int rows, int cols)
{
	if (t->width != cols)
		ui_thread_layout(t, cols);
	ui_thread_scroll(t, (long)t->n_lines, rows);
}

const char *
ui_thread_title(struct ui_thread *t)
{
	return t->title;
}

/* Is the end in view, as the pane was last drawn or scrolled? (rows, the
 * screen's, does not know the rows the composer under it takes.) */
int
ui_thread_at_end(struct ui_thread *t, int rows)
{
	(void)rows;
	return t->stick;
}

const struct msg *
ui_thread_undelivered(struct ui_thread *t)
{
	size_t	i;

	if (t == NULL)
		return NULL;
	for (i = t->n_msgs; i-- > 0;) {
		if (t->msgs[i]->outbox != NULL &&
		    (strcmp(t->msgs[i]->outbox, "unknown") == 0 ||
		    strcmp(t->msgs[i]->outbox, "failed") == 0))
			return t->msgs[i];
	}
	return NULL;
}

void
ui_thread_draw(struct ui_thread *t, int top, int rows, int cols)
{
	int	r;
	size_t	h;

	if (t->width != cols)
		ui_thread_layout(t, cols);
	/* At the end, the newest message's last line stays right above
	 * what is under the pane (the composer) whatever its height. */
	ui_thread_scroll(t, t->stick ? (long)t->n_lines : 0, rows - 1);
	if (rows <= 0)
		return;
	ui_surface_text(top, 0, cols, UI_ROLE_THREAD_TITLE, t->header);
	if (t->risk != NULL && rows > 1) {
		ui_surface_text(top + 1, 0, cols, UI_ROLE_MARKER_HANDOFF,
		    t->risk);
		top++;
		rows--;
	}
	/* The person's notes and other conversations stay in view while the
	 * messages scroll, but never take the whole pane. */
	for (h = 0; h < t->n_head && (int)h + 2 < rows; h++) {
		ui_surface_text(top + 1, 0, cols, t->head[h].role,
		    t->head[h].text);
		top++;
		rows--;
	}
	for (r = 1; r < rows; r++) {
		if (t->top + (size_t)r - 1 < t->n_lines) {
			ui_surface_text(top + r, 0, cols,
			    t->lines[t->top + r - 1].role,
			    t->lines[t->top + r - 1].text);
		} else
			ui_surface_text(top + r, 0, cols, UI_ROLE_NORMAL, "");
	}
}
