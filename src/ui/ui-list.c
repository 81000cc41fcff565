/*
 * ui-list.c: the conversation list: one row per conversation, a cursor,
 * and the rows scrolled so the cursor is always visible.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The service level's cell: "12m left", "23h over" and a space. */
#define UI_LIST_SLA_W	9

struct ui_list {
	struct store_conv	**convs;
	size_t			  n;
	size_t			  cursor;
	size_t			  top;		/* first row shown */
	const struct strset	 *marked;	/* not owned */
	struct store_presence	**presence;	/* not owned */
	size_t			  n_presence;
	int			  unfocused;	/* the sidebar has the keys */
	const char		 *hint;		/* not owned */
};

struct ui_list *
ui_list_new(void)
{
	return xcalloc(1, sizeof (struct ui_list));
}

void
ui_list_free(struct ui_list *l)
{
	if (l == NULL)
		return;
	store_convs_free(l->convs, l->n);
	free(l);
}

void
ui_list_set(struct ui_list *l, struct store_conv **convs, size_t n)
{
	char	*selected = NULL;
	size_t	 i;

	if (l->cursor < l->n)
		selected = xstrdup(l->convs[l->cursor]->thread_id);
	store_convs_free(l->convs, l->n);
	l->convs = convs;
	l->n = n;
	if (l->cursor >= n)
		l->cursor = n > 0 ? n - 1 : 0;
	for (i = 0; selected != NULL && i < n; i++) {
		if (strcmp(convs[i]->thread_id, selected) == 0) {
			l->cursor = i;
			break;
		}
	}
	free(selected);
}

const struct store_conv *
ui_list_at(struct ui_list *l, size_t i)
{
	return i < l->n ? l->convs[i] : NULL;
}

void
ui_list_set_marked(struct ui_list *l, const struct strset *marked)
{
	l->marked = marked;
}

void
ui_list_set_focus(struct ui_list *l, int focused)
{
	l->unfocused = !focused;
}

void
ui_list_set_hint(struct ui_list *l, const char *hint)
{
	l->hint = hint;
}

/*
 * The hint of an empty list, wrapped at spaces to the pane's width from
 * its second row (the first stays blank, as the first row of a list).
 */
static void
ui_list_draw_hint(struct ui_list *l, int top, int left, int rows, int cols)
{
	const char	*p = l->hint;
	char		*line;
	size_t		 len, fit, i;
	int		 r;

	for (r = 1; r < rows && *p != '\0'; r++) {
		len = strlen(p);
		/* The most words that fit, else the line cut. */
		if ((int)utf8_width(p, len) > cols - 2) {
			for (fit = 0, i = 1; i < len; i++) {
				if (p[i] == ' ' && (int)utf8_width(p, i) <=
				    cols - 2)
					fit = i;
			}
			if (fit > 0)
				len = fit;
		}
		line = xasprintf(" %.*s", (int)len, p);
		ui_surface_text(top + r, left, cols, UI_ROLE_NORMAL, line);
		free(line);
		for (p += len; *p == ' '; p++)
			;
	}
}

static int
ui_list_is_marked(struct ui_list *l, const struct store_conv *c)
{
	return l->marked != NULL && strset_has(l->marked, c->thread_id);
}

const struct store_conv *
ui_list_selected(struct ui_list *l)
{
	return l->cursor < l->n ? l->convs[l->cursor] : NULL;
}

size_t
ui_list_count(struct ui_list *l)
{
	return l->n;
}

size_t
ui_list_cursor(struct ui_list *l)
{
	return l->cursor;
}

void
ui_list_append(struct ui_list *l, struct store_conv **convs, size_t n)
{
	size_t	i;

	l->convs = xreallocarray(l->convs, l->n + n + 1, sizeof *l->convs);
	for (i = 0; i < n; i++)
		l->convs[l->n++] = convs[i];
	free(convs);
}

void
ui_list_move_to(struct ui_list *l, long index)
{
	if (l->n == 0 || index < 0)
		l->cursor = 0;
	else if ((size_t)index >= l->n)
		l->cursor = l->n - 1;
	else
		l->cursor = (size_t)index;
}

void
ui_list_move(struct ui_list *l, long delta)
{
	ui_list_move_to(l, (long)l->cursor + delta);
}

void
ui_list_set_presence(struct ui_list *l, struct store_presence **p, size_t n)
{
	l->presence = p;
	l->n_presence = n;
}

/* "alice is typing" when another console shows this conversation. */
static int
ui_list_presence(struct ui_list *l, const struct store_conv *c, char *out,
    size_t size)
{
	char	*key;
	size_t	 i;
	int	 typing = 0, found = 0;

	if (l->n_presence == 0)
		return 0;
	key = msgid_thread(c->channel, c->account, c->conv_id);
	out[0] = '\0';
	for (i = 0; i < l->n_presence; i++) {
		if (l->presence[i]->conv == NULL ||
		    strcmp(l->presence[i]->conv, key) != 0)
			continue;
		/* The first one, unless a later one types: typing is what
		 * stops a second answer. */
		if (found && (typing || !l->presence[i]->typing))
			continue;
		snprintf(out, size, l->presence[i]->typing ?
		    _("%s is typing") : _("%s is viewing"),
		    l->presence[i]->agent);
		typing = l->presence[i]->typing;
		found = 1;
	}
	free(key);
	return found ? 1 + typing : 0;
}

/* The mode column: who has the conversation. */
static const char *
ui_list_mode(const struct store_conv *c, enum ui_role *role)
{
	*role = UI_ROLE_NORMAL;
	switch (triage_mode(c->tags, c->n_tags)) {
	case TRIAGE_MODE_HUMAN:
		return triage_assignee(c->tags, c->n_tags);
	case TRIAGE_MODE_HANDOFF:
		*role = UI_ROLE_MARKER_HANDOFF;
		/* TRANSLATORS: the mode column, 12 cells at most. */
		return _("needs human");
	case TRIAGE_MODE_BOT:
		*role = UI_ROLE_MARKER_BOT;
		return _("bot");
	case TRIAGE_MODE_NONE:
		break;
	}
	return "";
}

/* A snippet on one line: line breaks and tabs as spaces, runs folded. */
static void
ui_list_snippet(const char *text, char *out, size_t size)
{
	size_t	n = 0;
	int	space = 0;

	for (; *text != '\0' && n + 1 < size; text++) {
		if (*text == '\n' || *text == '\r' || *text == '\t' ||
		    *text == ' ') {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < size)
			out[n++] = ' ';
		space = 0;
		out[n++] = *text;
	}
	out[n] = '\0';
}

/*
 * An e-mail's subject before its snippet, what a mail reader scans first:
 * "subject - snippet", the subject sanitised and cut to at most three
 * fifths of the width when a snippet follows.
 */
static void
ui_list_subject(const struct store_conv *c, int width, char *snippet,
    size_t size)
{
	char	*subject, *line;

	if (c->subject == NULL || *c->subject == '\0' || width < 8)
		return;
	subject = sanitize(c->subject, strlen(c->subject), SANITIZE_LINE,
	    (size_t)(*snippet != '\0' ? width * 3 / 5 : width));
	line = *snippet != '\0' ? xasprintf("%s - %s", subject, snippet) :
	    xstrdup(subject);
	snprintf(snippet, size, "%s", line);
	free(line);
	free(subject);
}

/*
 * Draw the rows [top, top+rows) of the screen: badge, age, customer, mode,
 * unread count, the service level's time left, the public risk's marker
 * (R72), an e-mail's subject, snippet. Columns narrow first to keep the
 * snippet on 80 columns.
 */
void
ui_list_draw(struct ui_list *l, int top, int left, int rows, int cols,
    int64_t now)
{
	const struct store_conv	*c;
	char			 badge[3], age[16], cell[32], snippet[512];
	const char		*mode;
	enum ui_role		 role, mode_role, wait_role;
	struct sla_status	 sla;
	struct risk		 risk;
	int			 r, x, name_w = cols >= 100 ? 22 : 16;
	size_t			 i;

	if (rows <= 0)
		return;
	if (l->cursor < l->top)
		l->top = l->cursor;
	if (l->cursor >= l->top + (size_t)rows)
		l->top = l->cursor - (size_t)rows + 1;
	if (l->n == 0 && l->hint != NULL) {
		for (r = 0; r < rows; r++)
			ui_surface_text(top + r, left, cols, UI_ROLE_NORMAL,
			    "");
		ui_list_draw_hint(l, top, left, rows, cols);
		return;
	}
	for (r = 0; r < rows; r++) {
		i = l->top + (size_t)r;
		if (i >= l->n) {
			ui_surface_text(top + r, left + 0, cols,
			    UI_ROLE_NORMAL, "");
			continue;
		}
		c = l->convs[i];
		role = i == l->cursor ? (l->unfocused ?
		    UI_ROLE_LIST_CURSOR_UNFOCUSED : UI_ROLE_LIST_CURSOR) :
		    c->unread > 0 ? UI_ROLE_LIST_UNREAD : UI_ROLE_NORMAL;
		channel_badge(c->channel, badge);
		util_format_age(now - c->newest, age, sizeof age);
		snprintf(cell, sizeof cell, "%c%s%4s ",
		    ui_list_is_marked(l, c) ? '*' : ' ', badge, age);
		x = 0;
		ui_surface_text(top + r, left + x, 8, role, cell);
		x += 8;
		ui_surface_text(top + r, left + x, name_w, role,
		    c->customer_name);
		x += name_w;
		ui_surface_text(top + r, left + x, 1, role,
		    store_conv_has_tag(c, "ombre/prio/high") ? "!" : " ");
		x += 1;
		mode = ui_list_mode(c, &mode_role);
		ui_surface_text(top + r, left + x, 12, i == l->cursor ? role :
		    mode_role, mode);
		x += 12;
		if (c->unread > 0)
			/* TRANSLATORS: 6 cells at most with the count (a
			 * blank follows). */
			snprintf(cell, sizeof cell, _("%d new"), c->unread);
		else
			cell[0] = '\0';
		ui_surface_text(top + r, left + x, 7, role, cell);
		x += 7;
		/* The time left before the service level's target ("12m
		 * left", "5m over"), coloured at its warn and its breach
		 * (only in the Inbox: done is not waiting). */
		if (c->waiting_since > 0 && store_conv_has_tag(c, "inbox"))
			sla_eval(c->channel, c->tags, c->first_wait,
			    c->waiting_since, now, &sla);
		else
			sla.state = SLA_NONE;
		sla_format(&sla, 0, age, sizeof age);
		snprintf(cell, sizeof cell, "%8s ", sla.state != SLA_NONE ?
		    age : "-");
		wait_role = sla.state == SLA_BREACH ? UI_ROLE_WAIT_LONG :
		    sla.state == SLA_WARN ? UI_ROLE_WAIT_MEDIUM :
		    UI_ROLE_NORMAL;
		ui_surface_text(top + r, left + x, UI_LIST_SLA_W, i ==
		    l->cursor || wait_role == UI_ROLE_NORMAL ? role :
		    wait_role, cell);
		x += UI_LIST_SLA_W;
		/* The public risk (risk.c) where an alert fired or it runs
		 * high: "R72 " before the snippet, in the handoff's colour. */
		store_conv_risk(c, now, &risk);
		if (risk_marked(&risk) && cols - x > 12) {
			snprintf(cell, sizeof cell, "R%d ", risk.score);
			ui_surface_text(top + r, left + x, (int)strlen(cell),
			    i == l->cursor ? role : UI_ROLE_MARKER_HANDOFF,
			    cell);
			x += (int)strlen(cell);
		}
		risk_free(&risk);
		switch (ui_list_presence(l, c, snippet, sizeof snippet)) {
		case 2:		/* someone types an answer here */
			ui_surface_text(top + r, left + x, cols - x, i ==
			    l->cursor ? role : UI_ROLE_MARKER_HANDOFF, snippet);
			break;
		case 1:
			ui_surface_text(top + r, left + x, cols - x, i ==
			    l->cursor ? role : UI_ROLE_MARKER_BOT, snippet);
			break;
		default:
			ui_list_snippet(c->snippet, snippet, sizeof snippet);
			ui_list_subject(c, cols - x, snippet, sizeof snippet);
			ui_surface_text(top + r, left + x, cols - x, role,
			    snippet);
			break;
		}
	}
}
