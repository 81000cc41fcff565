/*
 * t-sla.c: service level targets and business hours, through the command
 * language as a config file would say them: the most specific target
 * winning, the options as defaults, the time left and its words, and the
 * clock of business hours across a weekend, a night and both changes of
 * summer time in Europe/Paris (the process in UTC).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

static struct buf	t_out;
static struct buf	t_err;
static struct cmd_ctx	t_ctx;

static void
t_print(struct cmd_ctx *ctx, const char *text)
{
	(void)ctx;
	buf_add_str(&t_out, text);
	buf_add_char(&t_out, '\n');
}

static void
t_error(struct cmd_ctx *ctx, const char *text)
{
	(void)ctx;
	buf_add_str(&t_err, text);
	buf_add_char(&t_err, '\n');
}

static void
t_reset(void)
{
	buf_free(&t_out);
	buf_free(&t_err);
	buf_init(&t_out);
	buf_init(&t_err);
	memset(&t_ctx, 0, sizeof t_ctx);
	t_ctx.print = t_print;
	t_ctx.error = t_error;
}

static const char *
t_output(void)
{
	return t_out.len != 0 ? t_out.data : "";
}

static const char *
t_errors(void)
{
	return t_err.len != 0 ? t_err.data : "";
}

static enum cmd_retval
t_run(const char *text)
{
	t_reset();
	return cmd_run_string(&t_ctx, text);
}

/* Business seconds between two moments, in the default hours. */
static int64_t
t_between(const char *spec, int64_t from, int64_t to)
{
	struct hours	 h;
	char		*cause = NULL;
	int64_t		 n;

	memset(&h, 0, sizeof h);
	if (hours_parse(spec, &h, &cause) != 0) {
		diag("%s", cause);
		free(cause);
		return -1;
	}
	n = hours_between(&h, from, to);
	hours_free(&h);
	return n;
}

static void
test_hours(void)
{
	const char	*office = "mon-fri 09:00-18:00 Europe/Paris";
	const char	*night = "mon-sun 01:00-04:00 Europe/Paris";

	/* Friday 2026-01-02 17:50 CET to Monday 09:10: 10 + 10 min. */
	is_int(t_between(office, 1767372600, 1767600600), 1200,
	    "a weekend does not count");
	/* Monday 17:55 to Tuesday 09:05: 5 + 5 min. */
	is_int(t_between(office, 1767632100, 1767686700), 600,
	    "a night does not count");
	is_int(t_between(office, 1767600600, 1767600600 + 3600), 3600,
	    "an hour inside counts whole");
	/* 2026-03-29 00:00 to 06:00 Paris: 02:00 does not exist, 01:00 to
	 * 04:00 on the wall is two hours. */
	is_int(t_between(night, 1774738800, 1774756800), 7200,
	    "spring forward: the hour that does not exist is not counted");
	/* 2026-10-25: 02:00 to 03:00 comes twice, four hours. */
	is_int(t_between(night, 1792879200, 1792904400), 14400,
	    "fall back: the hour that comes twice counts twice");
	/* Three weeks from Monday 2026-01-05 00:00: 15 days of 9 h. */
	is_int(t_between(office, 1767567600, 1769382000), 15 * 9 * 3600,
	    "three weeks, walked by weeks");
	is_int(t_between("mon-sun 00:00-24:00", 1767567600, 1767567600 + 99),
	    99, "always open, local time");
	is_str(getenv("TZ"), "UTC", "TZ put back");
}

/* Where a conversation stands, as words. */
static const char *
t_eval(const char *channel, const char *team, int first, int64_t since,
    int64_t now, int full, enum sla_state *state)
{
	static char		 out[64];
	struct sla_status	 st;
	char			 tag[96], inbox[] = "inbox";
	char			*tags[3] = { inbox, NULL, NULL };

	if (team != NULL) {
		snprintf(tag, sizeof tag, "ombre/team/%s", team);
		tags[1] = tag;
	}
	sla_eval(channel, tags, first, since, now, &st);
	*state = st.state;
	sla_format(&st, full, out, sizeof out);
	return out;
}

static void
test_targets(void)
{
	enum sla_state	 state;
	int64_t		 t0 = 1767603600;	/* Monday 2026-01-05 10:00 CET */

	sla_reset();
	/* No target: the options, for both kinds. */
	is_str(t_eval("telegram", NULL, 1, t0, t0 + 600, 0, &state),
	    "50m left", "the default is sla.handoff-breach");
	is_int(state, SLA_OK, "before sla.handoff-warn");
	t_eval("telegram", NULL, 0, t0, t0 + 16 * 60, 0, &state);
	is_int(state, SLA_WARN, "past sla.handoff-warn");
	is_str(t_eval("telegram", NULL, 0, t0, t0 + 65 * 60, 0, &state),
	    "5m over", "past sla.handoff-breach");
	is_int(state, SLA_BREACH, "breached");
	is_str(t_eval("telegram", NULL, 0, t0, t0 + 65 * 60, 1, &state),
	    "breached 5m", "the status line's words");
	t_eval("telegram", NULL, 0, 0, t0, 0, &state);
	is_int(state, SLA_NONE, "not waiting");

	is_int(t_run("sla first-response 15m warn=10m; "
	    "sla first-response 5m channel=whatsapp; "
	    "sla first-response 10m team=vip; "
	    "sla first-response 2m channel=whatsapp team=vip; "
	    "sla next-response 1h"), CMD_NORMAL, "targets");
	if (*t_errors() != '\0')
		diag("%s", t_errors());
	is_str(t_eval("telegram", NULL, 1, t0, t0 + 60, 0, &state),
	    "14m left", "the default target");
	is_str(t_eval("whatsapp", NULL, 1, t0, t0 + 60, 0, &state),
	    "4m left", "a channel's");
	is_str(t_eval("whatsapp", "vip", 1, t0, t0 + 60, 0, &state),
	    "1m left", "channel and team win");
	is_str(t_eval("telegram", "vip", 1, t0, t0 + 60, 0, &state),
	    "9m left", "a team's");
	is_str(t_eval("whatsapp", "other", 1, t0, t0 + 60, 0, &state),
	    "4m left", "another team: the channel's");
	is_str(t_eval("whatsapp", "vip", 0, t0, t0 + 60, 0, &state),
	    "59m left", "next response: its own target");
	t_eval("telegram", NULL, 1, t0, t0 + 11 * 60, 0, &state);
	is_int(state, SLA_WARN, "warn=10m");
	t_eval("whatsapp", NULL, 1, t0, t0 + 4 * 60, 0, &state);
	is_int(state, SLA_WARN, "without warn=, at two thirds");

	is_int(t_run("sla first-response 20m"), CMD_NORMAL,
	    "the same target again");
	is_int(t_run("list-sla"), CMD_NORMAL, "list-sla");
	is_str(t_output(),
	    "sla first-response 20m\n"
	    "sla first-response 5m channel=whatsapp\n"
	    "sla first-response 10m team=vip\n"
	    "sla first-response 2m channel=whatsapp team=vip\n"
	    "sla next-response 1h\n", "replaced in place, read back");

	is_int(t_run("sla third-response 5m"), CMD_ERROR, "an unknown kind");
	ok(strstr(t_errors(), "unknown target 'third-response'") != NULL,
	    "named");
	is_int(t_run("sla first-response soon"), CMD_ERROR, "a bad duration");
	is_int(t_run("sla first-response 5m warn=5m"), CMD_ERROR,
	    "warn at the target");
	is_int(t_run("sla first-response 5m channel=pigeon"), CMD_ERROR,
	    "an unknown channel");
	is_int(t_run("sla first-response 5m team=a/b"), CMD_ERROR,
	    "a bad team");
	is_int(t_run("sla first-response 5m colour=red"), CMD_ERROR,
	    "an unknown word");
	sla_reset();
}

static void
test_business_hours(void)
{
	enum sla_state	state;
	int64_t		friday = 1767372600;	/* Friday 2026-01-02 17:50 CET */

	sla_reset();
	is_int(t_run("sla first-response 15m warn=10m; "
	    "business-hours mon-fri 09:00-18:00 Europe/Paris; "
	    "business-hours team=night 'mon-sun 00:00-24:00'"), CMD_NORMAL,
	    "business hours, the default's and a team's");
	if (*t_errors() != '\0')
		diag("%s", t_errors());
	/* Monday 09:04: 10 min on Friday, 4 on Monday. */
	is_str(t_eval("telegram", NULL, 1, friday, 1767600240, 0, &state),
	    "1m left", "the clock stopped for the weekend");
	is_int(state, SLA_WARN, "warned");
	is_str(t_eval("telegram", NULL, 1, friday, 1767600360, 1, &state),
	    "breached 1m", "Monday 09:06");
	is_int(state, SLA_BREACH, "breached");
	t_eval("telegram", "night", 1, friday, friday + 16 * 60, 0, &state);
	is_int(state, SLA_BREACH, "a team's own hours");
	is_int(t_run("list-sla"), CMD_NORMAL, "list-sla");
	is_str(t_output(),
	    "sla first-response 15m warn=10m\n"
	    "business-hours 'mon-fri 09:00-18:00 Europe/Paris'\n"
	    "business-hours team=night 'mon-sun 00:00-24:00'\n",
	    "hours read back");
	is_int(t_run("business-hours team=night -"), CMD_NORMAL,
	    "- removes them");
	is_int(t_run("business-hours mon-fri 09:00-18:00 tz=Europe/Paris"),
	    CMD_NORMAL, "several words, tz=");
	is_int(t_run("business-hours mon-fri 09:00-18:00 Mars/Olympus"),
	    CMD_ERROR, "an unknown zone");
	ok(strstr(t_errors(), "unknown time zone 'Mars/Olympus'") != NULL,
	    "named");
	is_int(t_run("business-hours team=x"), CMD_ERROR, "no hours");
	sla_reset();
}

static void
test_reason(void)
{
	struct sla_status	 st;
	char			*r;

	memset(&st, 0, sizeof st);
	st.kind = SLA_FIRST_RESPONSE;
	st.target = 900;
	r = sla_breach_reason(&st);
	is_str(r, "first response 15m breached", "the event's reason");
	free(r);
	st.kind = SLA_NEXT_RESPONSE;
	st.target = 5400;
	r = sla_breach_reason(&st);
	is_str(r, "next response 90m breached", "in minutes when not hours");
	free(r);
}

int
main(void)
{
	log_set_progname("t-sla");
	setenv("TZ", "UTC", 1);
	test_hours();
	test_targets();
	test_business_hours();
	test_reason();
	t_reset();
	buf_free(&t_out);
	buf_free(&t_err);
	done_testing();
	return exit_status();
}
