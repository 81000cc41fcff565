/*
 * t-report.c: the arithmetic of ombre report (store-report.c): the
 * nearest-rank median and p90 on samples of every small size and
 * unsorted, empty samples, durations never negative, their display in
 * five columns, the hour-of-day buckets in the local time zone; and how a
 * survey's answer scores (bot.c): digits, "4/5", French and English
 * words, a sentence that is no answer.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"

static int64_t
pct(const int64_t *v, size_t n, int p)
{
	struct store_report_durations	d = { NULL, 0, 0 };
	int64_t				r;
	size_t				i;

	for (i = 0; i < n; i++)
		store_report_add(&d, v[i]);
	r = store_report_percentile(&d, p);
	free(d.v);
	return r;
}

static void
test_percentiles(void)
{
	static const int64_t	one[] = { 42 };
	static const int64_t	two[] = { 300, 100 };
	static const int64_t	three[] = { 720, 120, 240 };
	static const int64_t	four[] = { 3600, 600, 1800, 1200 };
	static const int64_t	ten[] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };
	static const int64_t	same[] = { 5, 5, 5 };
	int64_t			many[1000];
	size_t			i;

	is_int(pct(NULL, 0, 50), -1, "an empty sample has no median");
	is_int(pct(NULL, 0, 90), -1, "nor a p90");
	is_int(pct(one, 1, 50), 42, "one value: its own median");
	is_int(pct(one, 1, 90), 42, "and p90");
	is_int(pct(two, 2, 50), 100, "two values: the median is the lower "
	    "(nearest rank 1 of 2)");
	is_int(pct(two, 2, 90), 300, "p90 of two: the higher");
	is_int(pct(three, 3, 50), 240, "three unsorted: the middle one");
	is_int(pct(three, 3, 90), 720, "p90 of three: the highest");
	is_int(pct(four, 4, 50), 1200, "four: rank 2");
	is_int(pct(four, 4, 90), 3600, "p90 of four: rank 4");
	is_int(pct(ten, 10, 50), 5, "ten: rank 5");
	is_int(pct(ten, 10, 90), 9, "p90 of ten: rank 9");
	is_int(pct(ten, 10, 100), 10, "p100: the largest");
	is_int(pct(same, 3, 90), 5, "equal values");
	for (i = 0; i < nitems(many); i++)
		many[i] = (int64_t)((i * 7919) % 1000) + 1;	/* 1..1000 */
	is_int(pct(many, 1000, 50), 500, "1..1000 shuffled: median 500");
	is_int(pct(many, 1000, 90), 900, "p90 900");
}

static void
test_durations(void)
{
	static const struct {
		int64_t		 s;
		const char	*text;
	} cases[] = {
		{ -1, "-" }, { 0, "0s" }, { 45, "45s" }, { 60, "1m" },
		{ 240, "4m" }, { 270, "4m30" }, { 3599, "59m59" },
		{ 3600, "1h00" }, { 3900, "1h05" }, { 86399, "23h59" },
		{ 86400, "1d00" }, { 183600, "2d03" }
	};
	char	out[32], *cause = NULL;
	size_t	i;
	int64_t	fri;

	is_int(store_report_duration(NULL, 100, 160), 60,
	    "a duration is the time between");
	is_int(store_report_duration(NULL, 160, 100), 0,
	    "never negative (an event dated before its cause)");
	/* Business hours declared: a wait over the weekend counts only
	 * the open hours (Friday 2026-11-20 17:00 to Monday 10:00 UTC:
	 * one hour on Friday, one on Monday). */
	fri = 1795194000;	/* 2026-11-20T17:00:00Z */
	ok(sla_set_hours(NULL, "mon-fri 09:00-18:00 UTC", &cause) == 0,
	    "business-hours mon-fri 09:00-18:00");
	is_int(store_report_duration(NULL, fri, fri + 65 * 3600), 2 * 3600,
	    "with business hours, a wait over a weekend counts its open "
	    "hours only");
	ok(sla_set_hours("billing", "mon-fri 09:00-10:00 UTC", &cause) == 0,
	    "the billing team's own hours");
	is_int(store_report_duration("billing", fri, fri + 65 * 3600), 3600,
	    "a team's report (--team) counts in that team's hours");
	sla_reset();
	free(cause);
	for (i = 0; i < nitems(cases); i++) {
		store_report_format(out, sizeof out, cases[i].s);
		is_str(out, cases[i].text, cases[i].text);
		ok(strlen(out) <= 5, "%s fits five columns", cases[i].text);
	}
}

static void
test_hours(void)
{
	/* 2026-11-26T09:35:00Z */
	int64_t	t = 1795685700;

	setenv("TZ", "UTC", 1);
	tzset();
	is_int(store_report_hour(t), 9, "09:35 UTC is in the bucket 09");
	is_int(store_report_hour(t - 35 * 60 - 1), 8,
	    "a second before 09:00: bucket 08");
	is_int(store_report_hour(t - 9 * 3600 - 35 * 60), 0, "midnight: 00");
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	is_int(store_report_hour(t), 10, "in Paris (UTC+1 in November): 10");
	setenv("TZ", "UTC", 1);
	tzset();
}

static void
test_scores(void)
{
	static const struct {
		const char	*text;
		int		 score;
	} cases[] = {
		{ "4", 4 }, { " 5 ", 5 }, { "1", 1 }, { "4/5", 4 },
		{ "3 sur 5", 3 }, { "2 out of 5", 2 }, { "4 !", 4 },
		{ "excellent", 5 }, { "Excellent !", 5 }, { "Très bien", 5 },
		{ "NUL", 1 }, { "nul.", 1 }, { "bof", 3 }, { "good", 4 },
		{ "very bad", 1 }, { "Génial", 5 }, { "quatre", 4 },
		{ "0", 0 }, { "6", 0 }, { "45", 0 }, { "", 0 },
		{ "nul, je veux parler à quelqu'un", 0 },
		{ "4 colis manquent", 0 }, { "merci", 0 }
	};
	size_t	i;

	for (i = 0; i < nitems(cases); i++)
		is_int(bot_survey_score(cases[i].text, strlen(cases[i].text)),
		    cases[i].score, cases[i].text);
}

int
main(void)
{
	test_percentiles();
	test_durations();
	test_hours();
	test_scores();
	done_testing();
	return exit_status();
}
