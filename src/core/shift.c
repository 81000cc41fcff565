/*
 * shift.c: an agent's shift as policy, pure functions of their inputs
 * (design.md: core decides, the store carries out). What the summary of
 * a shift's start shows and how it reads on 80 columns; where a
 * conversation goes at a shift's end (an agent, a team, the queue, or it
 * stays) as tag operations; the handover note's words; an agent's
 * availability as the few lines of its file (DATA/agents/NAME) and the
 * refusal an away agent's assignment gets.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
	const char	*title;
	const char	*key;		/* JSON */
} shift_sections[SHIFT_NSECTIONS] = {
	{ N_("New conversations"), "new" },
	{ N_("Handoffs waiting"), "handoffs" },
	{ N_("Near or past their SLA"), "sla" },
	{ N_("Customers who wrote again"), "wrote_again" },
	{ N_("Notes for you"), "notes" },
};

const char *
shift_section_title(enum shift_section s)
{
	return _(shift_sections[s].title);
}

const char *
shift_section_key(enum shift_section s)
{
	return shift_sections[s].key;
}

void
shift_format_when(int64_t t, int64_t now, char *out, size_t size)
{
	struct tm	tm, tn;
	time_t		tt = (time_t)t, nn = (time_t)now;

	localtime_r(&tt, &tm);
	localtime_r(&nn, &tn);
	/* The hour alone on the same day: "18:02"; else the day too. */
	if (tm.tm_year == tn.tm_year && tm.tm_yday == tn.tm_yday)
		strftime(out, size, "%H:%M", &tm);
	else
		strftime(out, size, "%a %d %b %H:%M", &tm);
}

/* Append s sanitised and padded to width columns. */
static void
shift_cell(struct buf *b, const char *s, size_t width)
{
	size_t	w;

	w = sanitize_buf(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0,
	    SANITIZE_LINE, width);
	for (; w < width; w++)
		buf_add_char(b, ' ');
}

static void
shift_line(char ***lines, size_t *n, struct buf *b)
{
	*lines = xreallocarray(*lines, *n + 1, sizeof **lines);
	(*lines)[(*n)++] = xstrdup(b->data != NULL ? b->data : "");
	buf_reset(b);
}

/*
 * The rows go by section in the order of the enum, each in the order
 * given (the store gives them oldest first). A row is one line: id,
 * badge, who (18 columns), age, text: at most SHIFT_WIDTH columns, so
 * 80x24 shows it whole. An empty section says so in its title line:
 * nothing is left out, and a quiet shift fits on a few lines.
 */
void
shift_summary_lines(const char *agent, int64_t since, const char *since_what,
    const struct shift_row *rows, size_t n, int64_t now, char ***lines,
    size_t *n_lines)
{
	struct buf	 b;
	char		 when[64], age[16], badge[3], sla[32];
	const char	*text;
	size_t		 i, count, start, used;
	int		 s;

	*lines = NULL;
	*n_lines = 0;
	buf_init(&b);
	shift_format_when(since, now, when, sizeof when);
	/* TRANSLATORS: "Since 18:02 (your last shift's end), for ana". */
	buf_add_printf(&b, _("Since %s (%s), for "), when, since_what);
	sanitize_buf(&b, agent, strlen(agent), SANITIZE_LINE, 20);
	shift_line(lines, n_lines, &b);
	for (s = 0; s < SHIFT_NSECTIONS; s++) {
		for (i = count = 0; i < n; i++)
			count += rows[i].section == (enum shift_section)s;
		/* TRANSLATORS: a section's title and its count. */
		buf_add_printf(&b, _("%s: %zu"), _(shift_sections[s].title),
		    count);
		shift_line(lines, n_lines, &b);
		for (i = 0; i < n; i++) {
			if (rows[i].section != (enum shift_section)s)
				continue;
			start = b.len;
			channel_badge(rows[i].channel != NULL ?
			    rows[i].channel : "", badge);
			buf_add_printf(&b, "  %6s %s ", rows[i].id != NULL ?
			    rows[i].id : "", badge);
			shift_cell(&b, rows[i].who, 16);
			if (rows[i].when > 0) {
				util_format_age(now - rows[i].when, age,
				    sizeof age);
				buf_add_printf(&b, " %4s ", age);
			} else
				buf_add_str(&b, "      ");
			text = rows[i].text != NULL ? rows[i].text : "";
			if (rows[i].section == SHIFT_SLA) {
				sla_format(&rows[i].sla, 1, sla, sizeof sla);
				text = sla;
			}
			used = utf8_width(b.data + start, b.len - start);
			if (used < SHIFT_WIDTH)
				sanitize_buf(&b, text, strlen(text),
				    SANITIZE_LINE, SHIFT_WIDTH - used);
			while (b.len > start && b.data[b.len - 1] == ' ')
				b.data[--b.len] = '\0';
			shift_line(lines, n_lines, &b);
		}
	}
	buf_free(&b);
}

int
shift_parse_target(const char *s, enum shift_target *kind, const char **name)
{
	char	*tag;
	int	 valid;

	*name = NULL;
	if (strcmp(s, "queue") == 0) {
		*kind = SHIFT_TO_QUEUE;
		return 0;
	}
	if (strcmp(s, "keep") == 0) {
		*kind = SHIFT_KEEP;
		return 0;
	}
	if (strncmp(s, "team:", 5) == 0) {
		*kind = SHIFT_TO_TEAM;
		*name = s + 5;
	} else {
		*kind = SHIFT_TO_AGENT;
		*name = s;
	}
	if (**name == '\0' || strchr(*name, '/') != NULL || **name == '.')
		return -1;
	tag = xasprintf("%s%s", TRIAGE_ASSIGNED_PREFIX, *name);
	valid = tag_valid(tag);
	free(tag);
	return valid ? 0 : -1;
}

static void
shift_ops_add(char ***ops, size_t *n, const char *op)
{
	*ops = xreallocarray(*ops, *n + 2, sizeof **ops);
	(*ops)[(*n)++] = xstrdup(op);
	(*ops)[*n] = NULL;
}

/*
 * To an agent: core's assignment (TRIAGE_ASSIGN), as `ombre assign`
 * does it. To a team or the queue: nobody assigned, and the
 * conversation needs a human (ombre/handoff), so it shows in Needs human
 * and Unassigned and the next shift picks it up; a team's is also tagged
 * ombre/team/NAME (its only team; the queue leaves its team as it is).
 * Kept: no change.
 */
char **
shift_handover_ops(enum shift_target kind, const char *name,
    char *const *tags, size_t n_tags)
{
	char	**ops, *op, *team;
	size_t	  n = 0, i;

	if (kind == SHIFT_TO_AGENT)
		return triage_ops(TRIAGE_ASSIGN, name, tags, n_tags);
	ops = xcalloc(1, sizeof *ops);
	if (kind == SHIFT_KEEP)
		return ops;
	team = kind == SHIFT_TO_TEAM ? xasprintf("ombre/team/%s", name) : NULL;
	for (i = 0; i < n_tags; i++) {
		/* The queue keeps a team's conversation in its team. */
		if (triage_tag_assignee(tags[i]) != NULL || (team != NULL &&
		    strncmp(tags[i], "ombre/team/", 11) == 0 &&
		    strcmp(tags[i], team) != 0)) {
			op = xasprintf("-%s", tags[i]);
			shift_ops_add(&ops, &n, op);
			free(op);
		}
	}
	if (team != NULL && !triage_tags_have(tags, team)) {
		op = xasprintf("+%s", team);
		shift_ops_add(&ops, &n, op);
		free(op);
	}
	free(team);
	if (!triage_tags_have(tags, "ombre/handoff"))
		shift_ops_add(&ops, &n, "+ombre/handoff");
	if (triage_tags_have(tags, "ombre/bot"))
		shift_ops_add(&ops, &n, "-ombre/bot");
	return ops;
}

char *
shift_handover_text(const char *agent, int64_t when, enum shift_target kind,
    const char *name, const char *note)
{
	struct tm	 tm;
	time_t		 t = (time_t)when;
	char		 hm[16], *to, *text;

	/* not translated: the handover note is a stored event's reason. */
	localtime_r(&t, &tm);
	strftime(hm, sizeof hm, "%H:%M", &tm);
	switch (kind) {
	case SHIFT_TO_AGENT:
		to = xasprintf(" to %s", name);
		break;
	case SHIFT_TO_TEAM:
		to = xasprintf(" to the team %s", name);
		break;
	case SHIFT_TO_QUEUE:
		to = xstrdup(" to the queue");
		break;
	default:
		to = NULL;
		break;
	}
	if (to == NULL)
		text = xasprintf("kept by %s at %s (shift ended)%s%s", agent,
		    hm, note != NULL && *note != '\0' ? ": " : "",
		    note != NULL ? note : "");
	else
		text = xasprintf("handed over by %s at %s%s%s%s", agent, hm, to,
		    note != NULL && *note != '\0' ? ": " : "",
		    note != NULL ? note : "");
	free(to);
	return text;
}

int
shift_names(const char *text, const char *agent)
{
	const char	*p = text;
	size_t		 len = strlen(agent);

	if (len == 0)
		return 0;
	/* agent as a word: not inside another name (ana in "banana"). */
	while ((p = strstr(p, agent)) != NULL) {
		if ((p == text || !shift_word_char(p[-1])) &&
		    !shift_word_char(p[len]))
			return 1;
		p++;
	}
	return 0;
}

int
shift_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
	    (unsigned char)c >= 0x80;
}

char *
shift_avail_format(const struct shift_avail *a)
{
	return xasprintf("state %s\nsince %lld\nstarted %lld\nended %lld\n",
	    a->away ? "away" : "available", (long long)a->since,
	    (long long)a->started, (long long)a->ended);
}

/* A number of seconds on a line "KEY N". */
static int
shift_avail_number(const char *line, const char *key, int64_t *out)
{
	size_t		 len = strlen(key);
	long long	 v;
	char		*end;

	if (strncmp(line, key, len) != 0 || line[len] != ' ')
		return 0;
	v = strtoll(line + len + 1, &end, 10);
	if (*end == '\0' && v >= 0)
		*out = (int64_t)v;
	return 1;
}

int
shift_avail_parse(const char *data, size_t len, struct shift_avail *a)
{
	const char	*s = data, *end = data + len, *nl;
	char		*line;
	int		 state = 0;

	memset(a, 0, sizeof *a);
	while (s < end && (nl = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		line = xstrndup(s, (size_t)(nl - s));
		s = nl + 1;
		if (strcmp(line, "state away") == 0)
			a->away = state = 1;
		else if (strcmp(line, "state available") == 0)
			state = 1;
		else if (!shift_avail_number(line, "since", &a->since) &&
		    !shift_avail_number(line, "started", &a->started))
			shift_avail_number(line, "ended", &a->ended);
		free(line);
	}
	return state ? 0 : -1;
}

char *
shift_away_text(const char *agent, int64_t since, int64_t now)
{
	char	when[64];

	shift_format_when(since, now, when, sizeof when);
	return xasprintf(_("%s is away since %s (shift ended)"), agent, when);
}
