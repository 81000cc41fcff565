/*
 * risk.c: the public-risk score of a conversation (issue 16), how likely
 * a private case is to spill into public, as a number from 0 to 100 and
 * the words that explain it ("threatens to post publicly, waiting 2h,
 * 3rd message").
 *
 * A pure function of what a list's row already holds, so that drawing a
 * row or sorting a view by risk reads nothing more: the alert rules that
 * fired (the ombre/alert/NAME tags, alert.c), the customer's wait against
 * the service level (sla_eval), the customer's messages since our last
 * answer, and how many other channels the same person wrote on. The
 * parts add up, each capped, so a threat alone ranks above a long wait
 * alone, and a threat left waiting ranks above both.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The default rules' categories: their weight and what they say. */
static const struct {
	const char	*name;
	int		 weight;
	const char	*words;
} risk_categories[] = {
	{ "public",	45, N_("threatens to post publicly") },
	{ "legal",	40, N_("mentions legal action") },
	{ "safety",	45, N_("reports a safety issue") },
	{ "churn",	20, N_("wants to cancel") },
	{ "insult",	15, N_("is abusive") }
};

/* A rule of another name, without weight=. */
#define RISK_WEIGHT_OTHER	20
/* The caps of each part: the rules, the wait, the messages, the
 * channels. */
#define RISK_CAP_RULES		70
#define RISK_CAP_MESSAGES	24
#define RISK_CAP_CHANNELS	20

/* "2nd", "3rd", "11th", "22nd" message: in English for the JSON
 * (shown = 0), in the user's language for the screen. */
static void
risk_ordinal(struct buf *b, int n, int shown)
{
	const char	*suffix = "th";

	if (n % 100 < 11 || n % 100 > 13) {
		if (n % 10 == 1)
			suffix = "st";
		else if (n % 10 == 2)
			suffix = "nd";
		else if (n % 10 == 3)
			suffix = "rd";
	}
	if (!shown) {
		buf_add_printf(b, "%d%s message", n, suffix);
		return;
	}
	/* TRANSLATORS: the customer's 21st, 2nd, 3rd, 11th message. */
	if (*suffix == 's')
		buf_add_printf(b, _("%dst message"), n);
	else if (*suffix == 'n')
		buf_add_printf(b, _("%dnd message"), n);
	else if (*suffix == 'r')
		buf_add_printf(b, _("%drd message"), n);
	else
		buf_add_printf(b, _("%dth message"), n);
}

static void
risk_part(struct buf *b)
{
	if (b->len != 0)
		buf_add_str(b, ", ");
}

/* A fired rule: its weight and its words (English, and shown). */
struct risk_rule {
	int	 weight;
	char	*words;
	char	*shown;
};

/* The weight and words of the rule of a tag. */
static void
risk_rule(struct risk_rule *r, const char *name)
{
	const struct alert	*a = alert_find(name);
	size_t			 i;

	r->weight = -1;
	for (i = 0; i < nitems(risk_categories); i++) {
		if (strcmp(risk_categories[i].name, name) == 0) {
			r->words = xstrdup(risk_categories[i].words);
			r->shown = xstrdup(_(risk_categories[i].words));
			r->weight = risk_categories[i].weight;
			break;
		}
	}
	if (r->weight == -1) {
		r->words = xasprintf("alert %s", name);
		r->shown = xasprintf(_("alert %s"), name);
		r->weight = RISK_WEIGHT_OTHER;
	}
	/* The rule's own weight= wins; a rule since removed keeps its
	 * category's, its tag still saying what the customer wrote. */
	if (a != NULL && a->weight >= 0)
		r->weight = a->weight;
}

/* The heaviest first: the words say the worst first. */
static int
risk_rule_cmp(const void *a, const void *b)
{
	const struct risk_rule	*ra = a, *rb = b;

	if (ra->weight != rb->weight)
		return ra->weight > rb->weight ? -1 : 1;
	return strcmp(ra->words, rb->words);
}

void
risk_eval(const struct risk_input *in, struct risk *out)
{
	struct sla_status	 sla;
	struct buf		 b, t;
	const char		*name;
	char			 age[16];
	struct risk_rule	*fired = NULL;
	int			 rules = 0, wait = 0, msgs = 0, chans = 0;
	size_t			 i, n_fired = 0;

	buf_init(&b);
	buf_init(&t);
	out->alerted = 0;
	for (i = 0; in->tags != NULL && in->tags[i] != NULL; i++) {
		if ((name = alert_tag_name(in->tags[i])) == NULL)
			continue;
		fired = xreallocarray(fired, n_fired + 1, sizeof *fired);
		risk_rule(&fired[n_fired++], name);
	}
	if (n_fired > 1)
		qsort(fired, n_fired, sizeof *fired, risk_rule_cmp);
	for (i = 0; i < n_fired; i++) {
		risk_part(&b);
		buf_add_str(&b, fired[i].words);
		risk_part(&t);
		buf_add_str(&t, fired[i].shown);
		rules += fired[i].weight;
		free(fired[i].words);
		free(fired[i].shown);
	}
	free(fired);
	out->alerted = (int)n_fired;
	if (rules > RISK_CAP_RULES)
		rules = RISK_CAP_RULES;

	/* Past the warn and the target of the service level, and long past
	 * it: what a customer feels as being ignored. */
	if (in->waiting_since > 0) {
		sla_eval(in->channel, in->tags, in->first, in->waiting_since,
		    in->now, &sla);
		if (sla.state == SLA_WARN)
			wait = 10;
		else if (sla.state == SLA_BREACH)
			wait = sla.elapsed >= 2 * sla.target ? 30 : 20;
		if (wait != 0) {
			util_format_age_c(in->now - in->waiting_since, age,
			    sizeof age);
			risk_part(&b);
			buf_add_printf(&b, "waiting %s", age);
			util_format_age(in->now - in->waiting_since, age,
			    sizeof age);
			risk_part(&t);
			buf_add_printf(&t, _("waiting %s"), age);
		}
	}

	/* Writing again without an answer: the second message on. */
	if (in->unanswered >= 2) {
		msgs = 8 * (in->unanswered - 1);
		if (msgs > RISK_CAP_MESSAGES)
			msgs = RISK_CAP_MESSAGES;
		risk_part(&b);
		risk_ordinal(&b, in->unanswered, 0);
		risk_part(&t);
		risk_ordinal(&t, in->unanswered, 1);
	}

	if (in->other_channels > 0) {
		chans = 10 * in->other_channels;
		if (chans > RISK_CAP_CHANNELS)
			chans = RISK_CAP_CHANNELS;
		risk_part(&b);
		if (in->other_channels == 1)
			buf_add_str(&b, "also wrote on another channel");
		else
			buf_add_printf(&b, "also wrote on %d other channels",
			    in->other_channels);
		risk_part(&t);
		buf_add_printf(&t, ngettext("also wrote on another channel",
		    "also wrote on %d other channels", in->other_channels),
		    in->other_channels);
	}

	out->score = rules + wait + msgs + chans;
	if (out->score > 100)
		out->score = 100;
	out->why = buf_steal(&b);
	out->shown = buf_steal(&t);
}

void
risk_free(struct risk *r)
{
	free(r->why);
	r->why = NULL;
	free(r->shown);
	r->shown = NULL;
}

int
risk_marked(const struct risk *r)
{
	return r->alerted || r->score >= RISK_MARK;
}
