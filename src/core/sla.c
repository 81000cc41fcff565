/*
 * sla.c: service level targets (sla first-response 15m [warn=10m]
 * [channel=TYPE] [team=NAME], sla next-response ...) and business hours
 * per team (business-hours [team=NAME] SPEC).
 *
 * Pure policy like bot.c: sla_eval() says where a conversation stands from
 * what the caller read of it (its channel, tags, whether an agent has
 * answered since it opened, since when the customer waits) and the time.
 * The rows, the status line and the syncer's breach events all ask it, so
 * they cannot disagree.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sla_target {
	enum sla_kind	 kind;
	int64_t		 target;
	int64_t		 warn;		/* -1: two thirds of the target */
	char		*channel;	/* NULL: any */
	char		*team;		/* NULL: any */
};

struct sla_hours {
	char		*team;		/* NULL: the default */
	struct hours	 hours;
};

static struct sla_target	*sla_targets;
static size_t			 sla_n_targets;
static struct sla_hours		*sla_hours;
static size_t			 sla_n_hours;

#define SLA_TEAM_PREFIX	"ombre/team/"

const char *
sla_kind_name(enum sla_kind kind)
{
	return kind == SLA_FIRST_RESPONSE ? "first-response" : "next-response";
}

static int
sla_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

int
sla_set(enum sla_kind kind, int64_t target, int64_t warn,
    const char *channel, const char *team, char **cause)
{
	struct sla_target	*t;
	size_t			 i;

	if (target <= 0) {
		*cause = xstrdup(_("a target is a duration above 0 (15m, 1h)"));
		return -1;
	}
	if (warn >= target) {
		*cause = xstrdup(_("warn= comes before the target"));
		return -1;
	}
	for (i = 0; i < sla_n_targets; i++) {
		t = &sla_targets[i];
		if (t->kind == kind && sla_same(t->channel, channel) &&
		    sla_same(t->team, team))
			break;
	}
	if (i == sla_n_targets) {
		sla_targets = xreallocarray(sla_targets, sla_n_targets + 1,
		    sizeof *sla_targets);
		t = &sla_targets[sla_n_targets++];
		t->kind = kind;
		t->channel = channel != NULL ? xstrdup(channel) : NULL;
		t->team = team != NULL ? xstrdup(team) : NULL;
	}
	t->target = target;
	t->warn = warn;
	return 0;
}

int
sla_set_hours(const char *team, const char *spec, char **cause)
{
	struct hours	 hours;
	size_t		 i;

	memset(&hours, 0, sizeof hours);
	if (strcmp(spec, "-") != 0 && hours_parse(spec, &hours, cause) != 0)
		return -1;
	for (i = 0; i < sla_n_hours; i++) {
		if (sla_same(sla_hours[i].team, team))
			break;
	}
	if (i < sla_n_hours) {
		hours_free(&sla_hours[i].hours);
		if (hours.spec == NULL) {
			free(sla_hours[i].team);
			memmove(&sla_hours[i], &sla_hours[i + 1],
			    (sla_n_hours - i - 1) * sizeof *sla_hours);
			sla_n_hours--;
			return 0;
		}
		sla_hours[i].hours = hours;
		return 0;
	}
	if (hours.spec == NULL)
		return 0;
	sla_hours = xreallocarray(sla_hours, sla_n_hours + 1,
	    sizeof *sla_hours);
	sla_hours[sla_n_hours].team = team != NULL ? xstrdup(team) : NULL;
	sla_hours[sla_n_hours].hours = hours;
	sla_n_hours++;
	return 0;
}

const char *
sla_team(char *const *tags)
{
	size_t	i, len = strlen(SLA_TEAM_PREFIX);

	for (i = 0; tags != NULL && tags[i] != NULL; i++) {
		if (strncmp(tags[i], SLA_TEAM_PREFIX, len) == 0 &&
		    tags[i][len] != '\0')
			return tags[i] + len;
	}
	return NULL;
}

/*
 * The target of a kind for a channel and team: channel and team, then
 * team, then channel, then any; NULL when none is declared.
 */
static const struct sla_target *
sla_find(enum sla_kind kind, const char *channel, const char *team)
{
	const struct sla_target	*t, *best = NULL;
	size_t			 i;
	int			 score, best_score = -1;

	for (i = 0; i < sla_n_targets; i++) {
		t = &sla_targets[i];
		if (t->kind != kind)
			continue;
		if (t->channel != NULL && (channel == NULL ||
		    strcmp(t->channel, channel) != 0))
			continue;
		if (t->team != NULL && (team == NULL ||
		    strcmp(t->team, team) != 0))
			continue;
		score = (t->team != NULL ? 2 : 0) + (t->channel != NULL);
		if (score > best_score) {
			best = t;
			best_score = score;
		}
	}
	return best;
}

/* The team's business hours, else the default ones, else NULL. */
static const struct hours *
sla_find_hours(const char *team)
{
	const struct hours	*def = NULL;
	size_t			 i;

	for (i = 0; i < sla_n_hours; i++) {
		if (sla_hours[i].team == NULL)
			def = &sla_hours[i].hours;
		else if (team != NULL && strcmp(sla_hours[i].team, team) == 0)
			return &sla_hours[i].hours;
	}
	return def;
}

void
sla_eval(const char *channel, char *const *tags, int first, int64_t since,
    int64_t now, struct sla_status *out)
{
	const struct sla_target	*t;
	const char		*team = sla_team(tags);

	memset(out, 0, sizeof *out);
	out->state = SLA_NONE;
	out->kind = first ? SLA_FIRST_RESPONSE : SLA_NEXT_RESPONSE;
	if (since <= 0)
		return;
	if ((t = sla_find(out->kind, channel, team)) != NULL) {
		out->target = t->target;
		out->warn = t->warn >= 0 ? t->warn : t->target * 2 / 3;
		out->declared = 1;
	} else {
		/* The options are the defaults of both kinds. */
		out->target = options_get_number("sla.handoff-breach");
		out->warn = options_get_number("sla.handoff-warn");
		if (out->target <= 0)
			return;
	}
	out->elapsed = hours_between(sla_find_hours(team), since, now);
	out->left = out->target - out->elapsed;
	if (out->left <= 0)
		out->state = SLA_BREACH;
	else if (out->warn >= 0 && out->elapsed >= out->warn)
		out->state = SLA_WARN;
	else
		out->state = SLA_OK;
}

/* The cell in the user's language (translated) or in C. */
static void
sla_format_in(const struct sla_status *st, int full, char *out, size_t len,
    int translated)
{
	char	age[16];

	if (st->state == SLA_NONE) {
		if (len > 0)
			*out = '\0';
		return;
	}
	if (translated)
		util_format_age(st->left > 0 ? st->left : -st->left, age,
		    sizeof age);
	else
		util_format_age_c(st->left > 0 ? st->left : -st->left, age,
		    sizeof age);
	/* TRANSLATORS: %s is an age ("3m", "2h"); "over" fits a list's
	 * column of 8. */
	if (st->state != SLA_BREACH)
		snprintf(out, len, translated ? _("%s left") : "%s left", age);
	else if (full)
		snprintf(out, len, translated ? _("breached %s") :
		    "breached %s", age);
	else
		snprintf(out, len, translated ? _("%s over") : "%s over", age);
}

void
sla_format(const struct sla_status *st, int full, char *out, size_t len)
{
	sla_format_in(st, full, out, len, 1);
}

void
sla_format_c(const struct sla_status *st, int full, char *out, size_t len)
{
	sla_format_in(st, full, out, len, 0);
}

/* The shortest duration that reads back the same: 90s, 10m, 1h, 2d. */
static void
sla_add_duration(struct buf *b, int64_t seconds)
{
	if (seconds != 0 && seconds % 86400 == 0)
		buf_add_printf(b, "%lldd", (long long)(seconds / 86400));
	else if (seconds != 0 && seconds % 3600 == 0)
		buf_add_printf(b, "%lldh", (long long)(seconds / 3600));
	else if (seconds != 0 && seconds % 60 == 0)
		buf_add_printf(b, "%lldm", (long long)(seconds / 60));
	else
		buf_add_printf(b, "%llds", (long long)seconds);
}

char *
sla_breach_reason(const struct sla_status *st)
{
	struct buf	b;

	/* not translated: the sla-breach event's reason is stored, and
	 * sla_add_duration() writes its duration in C. */
	buf_init(&b);
	buf_add_printf(&b, "%s ", st->kind == SLA_FIRST_RESPONSE ?
	    "first response" : "next response");
	sla_add_duration(&b, st->target);
	buf_add_printf(&b, " breached");
	return b.data;
}

void
sla_each(void (*cb)(const char *command, void *data), void *data)
{
	const struct sla_target	*t;
	struct buf		 b;
	size_t			 i;

	for (i = 0; i < sla_n_targets; i++) {
		t = &sla_targets[i];
		buf_init(&b);
		buf_add_printf(&b, "sla %s ", sla_kind_name(t->kind));
		sla_add_duration(&b, t->target);
		if (t->warn >= 0) {
			buf_add_printf(&b, " warn=");
			sla_add_duration(&b, t->warn);
		}
		if (t->channel != NULL)
			buf_add_printf(&b, " channel=%s", t->channel);
		if (t->team != NULL)
			buf_add_printf(&b, " team=%s", t->team);
		cb(b.data, data);
		buf_free(&b);
	}
	for (i = 0; i < sla_n_hours; i++) {
		buf_init(&b);
		buf_add_printf(&b, "business-hours ");
		if (sla_hours[i].team != NULL)
			buf_add_printf(&b, "team=%s ", sla_hours[i].team);
		cmd_quote_word(&b, sla_hours[i].hours.spec);
		cb(b.data, data);
		buf_free(&b);
	}
}

int
sla_declared(void)
{
	return sla_n_targets > 0;
}

void
sla_reset(void)
{
	size_t	i;

	for (i = 0; i < sla_n_targets; i++) {
		free(sla_targets[i].channel);
		free(sla_targets[i].team);
	}
	free(sla_targets);
	sla_targets = NULL;
	sla_n_targets = 0;
	for (i = 0; i < sla_n_hours; i++) {
		free(sla_hours[i].team);
		hours_free(&sla_hours[i].hours);
	}
	free(sla_hours);
	sla_hours = NULL;
	sla_n_hours = 0;
}

int64_t
sla_business_seconds(const char *team, int64_t from, int64_t to)
{
	if (to <= from)
		return 0;
	return hours_between(sla_find_hours(team), from, to);
}
