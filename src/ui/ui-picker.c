/*
 * ui-picker.c: C-t in the composer: the canned replies (template.c) over
 * the conversation, filtered as the agent types (a name's prefix first,
 * then a word anywhere in its name or shortcut, its letters in order,
 * then its text), with a preview of the chosen one filled in for this
 * conversation (its customer's language, its channel: what would be
 * inserted, or why it would be refused) and the channels each allows.
 * Variants (refund.fr, refund.en) are one row, in the customer's
 * language. During a crisis the holding statements come first.
 *
 * Keys: characters filter, Backspace and C-u edit the filter, Up and
 * Down (C-p, C-n, Tab) choose, Enter inserts at the composer's cursor,
 * Escape and C-g cancel. Everything shown goes through the surface,
 * which sanitises it: a template file is the user's, the customer's name
 * is not.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ui_picker_entry {
	char		*stem;		/* what Enter asks for */
	struct template	*t;		/* its variant here (owned by all) */
	struct buf	 langs;		/* "fr en": its variants */
	int		 score;		/* how it matches the filter, -1 not */
};

static struct ui_picker {
	int			 open;
	struct template		**all;
	size_t			  n_all;
	struct ui_picker_entry	 *e;
	size_t			  n;
	size_t			 *shown;	/* entries matching, in order */
	size_t			  n_shown;
	size_t			  cursor;	/* in shown */
	size_t			  top;		/* first row shown */
	struct buf		  filter;
	char			 *channel;
	char			 *who;
} picker;

void
ui_picker_close(void)
{
	size_t	i;

	for (i = 0; i < picker.n; i++) {
		free(picker.e[i].stem);
		buf_free(&picker.e[i].langs);
	}
	free(picker.e);
	template_all_free(picker.all, picker.n_all);
	free(picker.shown);
	buf_free(&picker.filter);
	free(picker.channel);
	free(picker.who);
	memset(&picker, 0, sizeof picker);
}

/* ASCII lower case: names and shortcuts are ASCII, a text's other
 * letters are matched as they are. */
static char
ui_picker_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int
ui_picker_prefix(const char *s, const char *q)
{
	for (; *q != '\0'; s++, q++)
		if (ui_picker_lower(*s) != *q)
			return 0;
	return 1;
}

static int
ui_picker_contains(const char *s, const char *q)
{
	for (; *s != '\0'; s++)
		if (ui_picker_prefix(s, q))
			return 1;
	return 0;
}

/* q's characters in order in s ("rfd" in "refund"). */
static int
ui_picker_subsequence(const char *s, const char *q)
{
	for (; *s != '\0' && *q != '\0'; s++)
		if (ui_picker_lower(*s) == *q)
			q++;
	return *q == '\0';
}

/* How well e matches the filter q (lower case): 0 best, -1 not at all. */
static int
ui_picker_score(const struct ui_picker_entry *e, const char *q)
{
	const char	*sc = e->t->shortcut != NULL ? e->t->shortcut : "";

	if (*q == '\0')
		return 0;
	if (ui_picker_prefix(e->stem, q) || ui_picker_prefix(sc, q))
		return 0;
	if (ui_picker_contains(e->stem, q) || ui_picker_contains(sc, q))
		return 1;
	if (ui_picker_subsequence(e->stem, q))
		return 2;
	if (ui_picker_contains(e->t->body, q))
		return 3;
	return -1;
}

/* The entries matching the filter, best first, in the list's order. */
static void
ui_picker_filter(void)
{
	char	*q;
	size_t	 i;
	int	 s;

	q = xstrdup(picker.filter.data != NULL ? picker.filter.data : "");
	for (i = 0; q[i] != '\0'; i++)
		q[i] = ui_picker_lower(q[i]);
	picker.n_shown = 0;
	for (i = 0; i < picker.n; i++)
		picker.e[i].score = ui_picker_score(&picker.e[i], q);
	for (s = 0; s <= 3; s++)
		for (i = 0; i < picker.n; i++)
			if (picker.e[i].score == s)
				picker.shown[picker.n_shown++] = i;
	free(q);
	picker.cursor = 0;
	picker.top = 0;
}

/* Holding statements first during a crisis, then by name. */
static int	ui_picker_crisis;

static int
ui_picker_cmp(const void *a, const void *b)
{
	const struct ui_picker_entry	*ea = a, *eb = b;

	if (ui_picker_crisis && ea->t->holding != eb->t->holding)
		return ea->t->holding ? -1 : 1;
	return strcmp(ea->stem, eb->stem);
}

void
ui_picker_open(struct ui *ui)
{
	const char	*channel, *who, *l;
	char		**errors, *lang, *stem;
	size_t		  n_errors, i, j;

	ui_picker_close();
	if (ui_reply_template_vars(ui, &channel, &who, &lang) != 0)
		return;
	picker.all = template_load_all(&picker.n_all, &errors, &n_errors);
	if (n_errors > 0)
		ui_set_message(ui, 1, _("%s%s (ombre templates check)"),
		    errors[0], n_errors > 1 ? _(" and more") : "");
	for (i = 0; i < n_errors; i++)
		free(errors[i]);
	free(errors);
	/* One row a stem, its variants' languages beside it. */
	picker.e = xcalloc(picker.n_all + 1, sizeof *picker.e);
	for (i = 0; i < picker.n_all; i++) {
		stem = template_stem(picker.all[i]->name);
		for (j = 0; j < picker.n; j++)
			if (strcmp(picker.e[j].stem, stem) == 0)
				break;
		if (j == picker.n) {
			picker.e[j].stem = stem;
			buf_init(&picker.e[j].langs);
			picker.n++;
		} else
			free(stem);
		if ((l = template_variant_lang(picker.all[i])) != NULL)
			buf_add_printf(&picker.e[j].langs, "%s%s",
			    picker.e[j].langs.len > 0 ? " " : "", l);
	}
	for (j = 0; j < picker.n; j++)
		picker.e[j].t = template_pick(picker.all, picker.n_all,
		    picker.e[j].stem, lang);
	free(lang);
	ui_picker_crisis = ui_crisis_on();
	if (picker.n > 0)
		qsort(picker.e, picker.n, sizeof *picker.e, ui_picker_cmp);
	picker.shown = xcalloc(picker.n + 1, sizeof *picker.shown);
	buf_init(&picker.filter);
	picker.channel = xstrdup(channel);
	picker.who = xstrdup(who != NULL ? who : "");
	picker.open = 1;
	ui_picker_filter();
	ui->react |= UI_REDRAW;
}

int
ui_picker_key(struct ui *ui, const char *key, const char *text)
{
	struct ui_picker_entry	*e;
	char			*cause = NULL, *name;

	if (!picker.open)
		return 0;
	ui->react |= UI_REDRAW;
	if (text != NULL || strcmp(key, "Space") == 0) {
		buf_add_str(&picker.filter, text != NULL ? text : " ");
		ui_picker_filter();
	} else if (strcmp(key, "Backspace") == 0 || strcmp(key, "C-h") == 0) {
		if (picker.filter.len > 0) {
			picker.filter.len = utf8_prev(picker.filter.data,
			    picker.filter.len);
			picker.filter.data[picker.filter.len] = '\0';
			ui_picker_filter();
		}
	} else if (strcmp(key, "C-u") == 0) {
		buf_reset(&picker.filter);
		ui_picker_filter();
	} else if (strcmp(key, "Up") == 0 || strcmp(key, "C-p") == 0) {
		if (picker.cursor > 0)
			picker.cursor--;
	} else if (strcmp(key, "Down") == 0 || strcmp(key, "C-n") == 0 ||
	    strcmp(key, "Tab") == 0) {
		if (picker.cursor + 1 < picker.n_shown)
			picker.cursor++;
	} else if (strcmp(key, "Escape") == 0 || strcmp(key, "C-g") == 0)
		ui_picker_close();
	else if (strcmp(key, "Enter") == 0 || strcmp(key, "C-j") == 0) {
		if (picker.n_shown == 0)
			return 1;
		e = &picker.e[picker.shown[picker.cursor]];
		name = xstrdup(e->stem);
		if (ui_reply_template(ui, name, &cause) != 0) {
			/* The reason where it is seen; the picker stays for
			 * another choice. */
			ui_set_message(ui, 1, _("%s: nothing inserted"), cause);
			free(cause);
		} else {
			ui_set_message(ui, 0, _("template %s inserted"), name);
			ui_picker_close();
		}
		free(name);
	}
	return 1;
}

/*
 * Draw text wrapped to width cells from row on, at most until end; return
 * the row after it.
 */
static int
ui_picker_wrap(int row, int end, int cols, enum ui_role role,
    const char *text)
{
	const char	*p = text, *at, *space, *next;
	char		*line;
	uint32_t	 cp;
	int		 used, w;

	while (row < end) {
		at = p;
		space = NULL;
		used = 0;
		while (*at != '\0' && *at != '\n') {
			next = at + utf8_next(at, strlen(at), 0);
			utf8_decode(at, (size_t)(next - at), &cp);
			w = utf8_cpwidth(cp);
			if (used + (w > 0 ? w : 0) > cols - 2 && used > 0)
				break;
			used += w > 0 ? w : 0;
			if (cp == ' ')
				space = next;
			at = next;
		}
		if (*at != '\0' && *at != '\n' && space != NULL)
			at = space;
		line = xasprintf(" %.*s", (int)(at - p), p);
		ui_surface_text(row++, 0, cols, role, line);
		free(line);
		if (*at == '\0')
			break;
		p = *at == '\n' ? at + 1 : at;
	}
	return row;
}

/* The channels a template allows as their badges ("WA FB"), or "all". */
static void
ui_picker_badges(const struct template *t, char *out, size_t size)
{
	const char	*w;
	char		*word, badge[3];
	size_t		 wl, used = 0;

	snprintf(out, size, "%s", _("all"));
	if (t->channels == NULL || *t->channels == '\0')
		return;
	*out = '\0';
	for (w = t->channels; *w != '\0'; w += wl) {
		w += strspn(w, " ,\t");
		if ((wl = strcspn(w, " ,\t")) == 0)
			break;
		word = xstrndup(w, wl);
		channel_badge(word, badge);
		free(word);
		if (used + (used > 0) + 2 >= size)
			break;
		used += (size_t)snprintf(out + used, size - used, "%s%s",
		    used > 0 ? " " : "", badge);
	}
}

int
ui_picker_draw(struct ui *ui)
{
	struct ui_picker_entry	*e;
	struct buf		 b;
	char			*text, *cause = NULL, *dir, badges[9];
	size_t			 i, list_rows;
	int			 rows, cols, end, row;

	if (!picker.open)
		return 0;
	ui_surface_size(&rows, &cols);
	/* Over the conversation, above the composer and its cursor,
	 * wherever the layout put it this frame. */
	if ((end = ui_reply_top_row()) < 0 || end > rows - 1)
		end = rows - 1;
	if (end < 4) {
		ui_picker_close();	/* no room: the composer keeps it */
		ui_set_message(ui, 1, _("the templates' picker needs more "
		    "rows"));
		return 0;
	}
	buf_init(&b);
	buf_add_printf(&b, _(" Template: %s_  %zu of %zu  Up/Down  Enter "
	    "insert  Esc cancel"), picker.filter.data != NULL ?
	    picker.filter.data :
	    "", picker.n_shown, picker.n);
	ui_surface_text(0, 0, cols, UI_ROLE_THREAD_TITLE, b.data);
	buf_free(&b);
	row = 1;
	if (picker.n == 0) {
		dir = template_dir();
		text = xasprintf(_(" no templates in %s: see man "
		    "ombre-templates"), dir != NULL ? dir : "?");
		ui_surface_text(row++, 0, cols, UI_ROLE_NORMAL, text);
		free(text);
		free(dir);
	} else if (picker.n_shown == 0)
		ui_surface_text(row++, 0, cols, UI_ROLE_NORMAL,
		    _(" no template matches"));
	/* The list: half the room, the preview the rest. */
	list_rows = (size_t)(end - 2) / 2;
	if (list_rows < 2)
		list_rows = 2;
	if (picker.cursor < picker.top)
		picker.top = picker.cursor;
	if (picker.cursor >= picker.top + list_rows)
		picker.top = picker.cursor - list_rows + 1;
	for (i = picker.top; i < picker.n_shown && i < picker.top +
	    list_rows && row < end; i++) {
		e = &picker.e[picker.shown[i]];
		ui_picker_badges(e->t, badges, sizeof badges);
		buf_init(&b);
		buf_add_printf(&b, " %-18s %-10s %-6s %-8s %s", e->stem,
		    e->t->shortcut != NULL ? e->t->shortcut : "",
		    e->langs.len > 0 ? e->langs.data : "", badges,
		    template_allows(e->t, picker.channel) ? "" :
		    _("(not for "));
		if (!template_allows(e->t, picker.channel))
			buf_add_printf(&b, "%s) ", picker.channel);
		buf_add_printf(&b, "%.*s", (int)strcspn(e->t->body, "\n"),
		    e->t->body);
		ui_surface_text(row++, 0, cols, i == picker.cursor ?
		    UI_ROLE_LIST_CURSOR : UI_ROLE_NORMAL, b.data);
		buf_free(&b);
	}
	while (row < end && row < (int)list_rows + 1)
		ui_surface_text(row++, 0, cols, UI_ROLE_NORMAL, "");
	/* The preview: filled in for this conversation, or why not. */
	if (picker.n_shown > 0 && row < end) {
		e = &picker.e[picker.shown[picker.cursor]];
		buf_init(&b);
		buf_add_printf(&b, _(" Preview: %s%s%s  channels: %s"),
		    e->t->name, *picker.who != '\0' ? _(" for ") : "",
		    picker.who, e->t->channels != NULL ? e->t->channels :
		    _("all"));
		ui_surface_text(row++, 0, cols, UI_ROLE_THREAD_DAY, b.data);
		buf_free(&b);
		text = template_fill(e->t, picker.channel, picker.who, &cause);
		if (text != NULL)
			row = ui_picker_wrap(row, end, cols, UI_ROLE_NORMAL,
			    text);
		else {
			text = xasprintf(_("refused: %s"), cause);
			row = ui_picker_wrap(row, end, cols, UI_ROLE_ERROR,
			    text);
		}
		free(text);
		free(cause);
	}
	while (row < end)
		ui_surface_text(row++, 0, cols, UI_ROLE_NORMAL, "");
	return 1;
}
