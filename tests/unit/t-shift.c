/*
 * t-shift.c: the pure parts of shifts (core's shift.c): where a
 * conversation goes at a shift's end (an agent through core's
 * assignment, a team, the queue, kept) as tag operations, targets and
 * names, the handover note's words, the summary's lines (sections,
 * counts, widths, hostile text), an agent's availability file read back
 * and refused when broken, and the away agent's refusal.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

/* The operations joined with spaces, for one comparison. */
static char *
t_join(char **ops)
{
	struct buf	b;
	char		*s;
	size_t		i;

	buf_init(&b);
	for (i = 0; ops[i] != NULL; i++) {
		if (i > 0)
			buf_add_char(&b, ' ');
		buf_add_str(&b, ops[i]);
	}
	s = xstrdup(b.len > 0 ? b.data : "");
	buf_free(&b);
	return s;
}

static void
t_ops(enum shift_target kind, const char *name, const char *const *given,
    const char *expected, const char *what)
{
	char	**ops, **tags, *s;
	size_t	  n;

	for (n = 0; given[n] != NULL; n++)
		;
	tags = xcalloc(n + 1, sizeof *tags);
	for (n = 0; given[n] != NULL; n++)
		tags[n] = xstrdup(given[n]);
	ops = shift_handover_ops(kind, name, tags, n);
	s = t_join(ops);
	is_str(s, expected, what);
	free(s);
	triage_tags_free(ops);
	triage_tags_free(tags);
}

static void
test_targets(void)
{
	enum shift_target	 kind;
	const char		*name;

	ok(shift_parse_target("queue", &kind, &name) == 0 &&
	    kind == SHIFT_TO_QUEUE && name == NULL, "queue");
	ok(shift_parse_target("keep", &kind, &name) == 0 &&
	    kind == SHIFT_KEEP, "keep");
	ok(shift_parse_target("team:support", &kind, &name) == 0 &&
	    kind == SHIFT_TO_TEAM && strcmp(name, "support") == 0,
	    "team:support");
	ok(shift_parse_target("bob", &kind, &name) == 0 &&
	    kind == SHIFT_TO_AGENT && strcmp(name, "bob") == 0, "an agent");
	ok(shift_parse_target("", &kind, &name) == -1, "no name refused");
	ok(shift_parse_target("team:", &kind, &name) == -1,
	    "a team without a name refused");
	ok(shift_parse_target("a/b", &kind, &name) == -1, "'/' refused");
	ok(shift_parse_target("..", &kind, &name) == -1,
	    "a name that is no file of agents/ refused");
	ok(shift_parse_target("bo b", &kind, &name) == -1,
	    "a name no tag carries refused");
}

static void
test_ops(void)
{
	const char	*mine[] = { "inbox", "ombre/assigned/ana", NULL };
	const char	*teamed[] = { "inbox", "ombre/assigned/ana",
			    "ombre/team/sales", NULL };
	const char	*bot[] = { "inbox", "ombre/bot", NULL };
	const char	*handoff[] = { "inbox", "ombre/handoff", NULL };

	t_ops(SHIFT_TO_AGENT, "bob", mine,
	    "-ombre/assigned/ana +ombre/assigned/bob -ombre/bot -ombre/handoff",
	    "to an agent: core's assignment");
	t_ops(SHIFT_TO_QUEUE, NULL, mine,
	    "-ombre/assigned/ana +ombre/handoff",
	    "to the queue: nobody's, needs a human");
	t_ops(SHIFT_TO_QUEUE, NULL, handoff, "",
	    "to the queue, already there: nothing");
	t_ops(SHIFT_TO_QUEUE, NULL, bot, "+ombre/handoff -ombre/bot",
	    "to the queue from the bot: one mode");
	t_ops(SHIFT_TO_TEAM, "support", teamed,
	    "-ombre/assigned/ana -ombre/team/sales +ombre/team/support "
	    "+ombre/handoff", "to a team: its only team, needs a human");
	t_ops(SHIFT_TO_TEAM, "sales", teamed,
	    "-ombre/assigned/ana +ombre/handoff",
	    "to its own team: the team kept");
	t_ops(SHIFT_TO_QUEUE, NULL, teamed,
	    "-ombre/assigned/ana +ombre/handoff",
	    "to the queue: a team's stays in its team");
	t_ops(SHIFT_KEEP, NULL, mine, "", "kept: nothing changes");
}

static void
test_text(void)
{
	int64_t	t = 1795111200;		/* 2026-11-19T18:00:00Z */
	char	*s, when[64];

	s = shift_handover_text("ana", t, SHIFT_TO_AGENT, "bob",
	    "waiting for the refund confirmation");
	is_str(s, "handed over by ana at 18:00 to bob: waiting for the refund "
	    "confirmation", "to an agent, with the note");
	free(s);
	s = shift_handover_text("ana", t, SHIFT_TO_TEAM, "support", NULL);
	is_str(s, "handed over by ana at 18:00 to the team support",
	    "to a team, no note");
	free(s);
	s = shift_handover_text("ana", t, SHIFT_TO_QUEUE, NULL, "");
	is_str(s, "handed over by ana at 18:00 to the queue",
	    "to the queue, an empty note");
	free(s);
	s = shift_handover_text("ana", t, SHIFT_KEEP, NULL, "back at 9");
	is_str(s, "kept by ana at 18:00 (shift ended): back at 9", "kept");
	free(s);
	s = shift_away_text("bob", t + 120, t + 3600);
	is_str(s, "bob is away since 18:02 (shift ended)",
	    "away: the hour on the same day");
	free(s);
	shift_format_when(t, t + 86400, when, sizeof when);
	is_str(when, "Thu 19 Nov 18:00", "another day: the day too");
	ok(shift_names("handed over by bob to ana: x", "ana"),
	    "a note naming ana");
	ok(!shift_names("bananas for anabel", "ana"),
	    "ana inside other words: not named");
	ok(shift_names("ana", "ana") && shift_names("ask ana.", "ana") == 0,
	    "alone; a dot continues a name (ana.b)");
}

static void
test_avail(void)
{
	struct shift_avail	a = { 1, 100, 50, 100 }, b;
	char			*s;

	s = shift_avail_format(&a);
	is_str(s, "state away\nsince 100\nstarted 50\nended 100\n",
	    "the file's lines");
	ok(shift_avail_parse(s, strlen(s), &b) == 0 && b.away && b.since ==
	    100 && b.started == 50 && b.ended == 100, "read back");
	free(s);
	ok(shift_avail_parse("since 5\n", 8, &b) == -1,
	    "no state: not an agent's file");
	ok(shift_avail_parse("state available\nsince -4\nsince x\n", 34,
	    &b) == 0 && !b.away && b.since == 0,
	    "bad numbers ignored");
	ok(shift_avail_parse("state away", 10, &b) == -1,
	    "a line without its newline (cut short) ignored");
}

static void
test_summary(void)
{
	struct shift_row	 rows[3];
	char			**lines;
	size_t			  n, i, w, widest = 0;
	int64_t			  now = 1795165200;	/* 09:00Z */

	memset(rows, 0, sizeof rows);
	rows[0].section = SHIFT_NEW;
	rows[0].id = xstrdup("5");
	rows[0].channel = xstrdup("whatsapp");
	rows[0].who = xstrdup("lea");
	rows[0].when = now - 7200;
	rows[0].text = xstrdup("Hello, my parcel?");
	rows[1].section = SHIFT_NOTE;
	rows[1].id = xstrdup("2");
	rows[1].channel = xstrdup("telegram");
	rows[1].who = xstrdup("dan\x1b[31m");
	rows[1].when = now - 1800;
	rows[1].text = xstrdup("a very long note that goes on and on well "
	    "past the "
	    "end of an eighty column terminal line, and on");
	rows[2].section = SHIFT_NOTE;
	rows[2].id = xstrdup("3");
	rows[2].channel = xstrdup("telegram");
	rows[2].who = xstrdup("bob");
	rows[2].when = 0;
	rows[2].text = xstrdup("line\nbreak");
	shift_summary_lines("ana", now - 15 * 3600, "your last shift end",
	    rows, 3, now, &lines, &n);
	is_int((long long)n, 9, "a head, five titles, three rows");
	is_str(lines[0], "Since Thu 19 Nov 18:00 (your last shift end), for "
	    "ana", "the head line: another day, with the day");
	is_str(lines[1], "New conversations: 1", "a title with its count");
	is_str(lines[2], "       5 WA lea                2h Hello, my parcel?",
	    "a row");
	is_str(lines[3], "Handoffs waiting: 0", "an empty section says so");
	is_str(lines[6], "Notes for you: 2", "the notes");
	ok(strchr(lines[7], '\x1b') == NULL, "no escape reaches the screen");
	ok(strchr(lines[8], '\n') == NULL, "one line a row");
	for (i = 0; i < n; i++) {
		w = utf8_width(lines[i], strlen(lines[i]));
		if (w > widest)
			widest = w;
		free(lines[i]);
	}
	free(lines);
	for (i = 0; i < 3; i++) {
		free(rows[i].id);
		free(rows[i].channel);
		free(rows[i].who);
		free(rows[i].text);
	}
	ok(widest <= SHIFT_WIDTH, "no line wider than %d columns (%zu)",
	    SHIFT_WIDTH, widest);
}

int
main(void)
{
	log_set_progname("t-shift");
	setenv("TZ", "UTC", 1);
	test_targets();
	test_ops();
	test_text();
	test_avail();
	test_summary();
	done_testing();
	return exit_status();
}
