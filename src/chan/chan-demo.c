/*
 * chan-demo.c: the demo channel: live traffic for `ombre --demo`.
 *
 * Each new conversation comes from the demo generator (a seed of its own,
 * so the traffic is the same from run to run): its customer and bot
 * messages are played one by one, customers every few seconds and the bot
 * a moment after them; agents' replies and notes are left out (agents are
 * the people watching). The conversation's last bot message carries its
 * state, so a bot handoff shows as "needs human". Replies the demo
 * channel sends are marked sent, then delivered at the next round, so
 * the quick start shows a reply's whole cycle.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"
#include "demo/demo.h"

#include <stdlib.h>
#include <string.h>

#define CHAN_DEMO_LIVE_SEED	0x6f6d627265ULL	/* apart from the store's */

/* A customer of the built-in bot and what they write, in turn. */
struct chan_demo_script {
	const char	*account;	/* fr, en: the demo channel's bot */
	const char	*name;
	const char	*lines[4];	/* NULL-terminated */
};

static const struct chan_demo_script chan_demo_scripts[] = {
	/* Answered. */
	{ "fr", "Camille Laurent", {
	    "Bonjour, quels sont vos horaires d'ouverture samedi ?",
	    "Et la livraison prend combien de temps ?",
	    "Merci beaucoup !", NULL } },
	{ "en", "Oliver Bennett", {
	    "Hi, what time do you open on Saturday?",
	    "Can I get a refund on a jacket I bought last week?",
	    "Great, thanks!", NULL } },
	/* Not understood twice: handed off by the bot. */
	{ "fr", "Hugo Marchand", {
	    "Mon code promo ne marche pas sur l'application",
	    "Le code BIENVENUE10, il dit invalide", NULL } },
	/* Asks for a person: handed off by the rules. */
	{ "en", "Amelia Hughes", {
	    "I want to talk to a human", NULL } },
	{ "en", "Jack Turner", {
	    "Hello, where is my parcel? Order 48213",
	    "The zip on the bag I got is broken",
	    "It is the small black one, the zip is stuck", NULL } },
	{ "fr", "Léa Fontaine", {
	    "Bonjour, je veux parler à un conseiller", NULL } },
	{ "fr", "Nathan Girard", {
	    "Je voudrais retourner des chaussures trop petites",
	    "Parfait, merci", NULL } },
	{ "en", "Grace Walker", {
	    "My card was charged twice for the same thing",
	    "Two payments on the 3rd, same amount", NULL } }
};

struct chan_demo_sent;
static void	chan_demo_sent_clear(struct chan_demo *);

struct chan_demo {
	uint64_t	  seed;
	uint64_t	  rng;
	long		  played;	/* conversations started */
	struct msg	**queue;
	size_t		  n, next;
	char		**state_tags;	/* of the conversation being played */
	struct chan_demo_sent *sent;	/* sent last round: delivered next */
	size_t		  n_sent;
};

/* splitmix64: small, deterministic, good enough for pauses. */
static uint64_t
chan_demo_rand(struct chan_demo *d)
{
	uint64_t	z = (d->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct chan_demo *
chan_demo_new(uint64_t seed)
{
	struct chan_demo	*d;

	d = xcalloc(1, sizeof *d);
	d->seed = seed ^ CHAN_DEMO_LIVE_SEED;
	d->rng = d->seed;
	return d;
}

static void
chan_demo_clear(struct chan_demo *d)
{
	size_t	i;

	for (i = d->next; i < d->n; i++)
		msg_free(d->queue[i]);
	free(d->queue);
	d->queue = NULL;
	d->n = d->next = 0;
	triage_tags_free(d->state_tags);
	d->state_tags = NULL;
}

void
chan_demo_free(struct chan_demo *d)
{
	if (d == NULL)
		return;
	chan_demo_clear(d);
	chan_demo_sent_clear(d);
	free(d);
}

static int
chan_demo_keep(const struct msg *m, void *data)
{
	struct chan_demo	*d = data;
	struct msg		*copy;
	size_t			 i;
	char			*cause;

	if (m->kind != MSG_CUSTOMER && m->kind != MSG_BOT)
		return 0;
	d->queue = xreallocarray(d->queue, d->n + 1, sizeof *d->queue);
	/* The generator's messages always have a canonical form. */
	if ((copy = json_msg_copy(m, &cause)) == NULL)
		fatalx("demo: %s", cause);
	/* The generator's tags are the conversation's final state (done,
	 * assigned): live, it starts new, as ingest makes it. */
	if (copy->tags != NULL) {
		for (i = 0; copy->tags[i] != NULL; i++)
			free(copy->tags[i]);
		free(copy->tags);
		copy->tags = NULL;
	}
	d->queue[d->n++] = copy;
	return 0;
}

static int
chan_demo_state(const struct demo_conv_state *s, void *data)
{
	struct chan_demo	*d = data;
	size_t			 i, n = 0;

	/* Only what a bot decides: it is handling it, or it handed it over. */
	for (i = 0; s->tags[i] != NULL; i++)
		n++;
	d->state_tags = xcalloc(n + 1, sizeof *d->state_tags);
	n = 0;
	for (i = 0; s->tags[i] != NULL; i++) {
		if (strcmp(s->tags[i], "ombre/bot") == 0 ||
		    strcmp(s->tags[i], "ombre/handoff") == 0)
			d->state_tags[n++] = xstrdup(s->tags[i]);
	}
	return 0;
}

/* Queue a conversation of customers with the built-in bot: the script
 * round (the played count) and seed make its ids. */
static void
chan_demo_fill_bot(struct chan_demo *d, long round)
{
	const struct chan_demo_script	*sc;
	struct msg			*m;
	size_t				 i;

	sc = &chan_demo_scripts[(size_t)round % nitems(chan_demo_scripts)];
	for (i = 0; sc->lines[i] != NULL; i++) {
		m = msg_new();
		m->channel = xstrdup("demo");
		m->account = xstrdup(sc->account);
		m->conv_id = xasprintf("bot-%llx-%ld",
		    (unsigned long long)(d->seed & 0xffffff), round);
		m->conv_title = xstrdup(sc->name);
		m->id = xasprintf("%ld-%zu", round, i + 1);
		m->from_id = xasprintf("customer-%ld", round);
		m->from_name = xstrdup(sc->name);
		m->kind = MSG_CUSTOMER;
		m->text = xstrdup(sc->lines[i]);
		m->text_len = strlen(m->text);
		d->queue = xreallocarray(d->queue, d->n + 1, sizeof *d->queue);
		d->queue[d->n++] = m;
	}
}

/* Queue the messages of the next conversation. */
static void
chan_demo_fill(struct chan_demo *d, int64_t now)
{
	struct demo_params	params;
	size_t			i;

	chan_demo_clear(d);
	if (d->played % 2 == 0) {
		chan_demo_fill_bot(d, d->played++ / 2);
		return;
	}
	memset(&params, 0, sizeof params);
	params.seed = d->seed + (uint64_t)d->played++;
	params.conversations = 1;
	params.now = now;
	demo_generate(&params, chan_demo_keep, chan_demo_state, d);
	/* The last bot message carries the conversation's bot state. */
	for (i = d->n; i > 0 && d->state_tags != NULL; i--) {
		if (d->queue[i - 1]->kind == MSG_BOT) {
			size_t k;

			for (k = 0; d->state_tags[k] != NULL; k++)
				msg_add_tag(d->queue[i - 1], d->state_tags[k]);
			break;
		}
	}
}

struct msg *
chan_demo_next(struct chan_demo *d, int64_t now, int64_t *wait_ms)
{
	struct msg	*m;

	while (d->next >= d->n)
		chan_demo_fill(d, now);
	m = d->queue[d->next++];
	m->date = now;
	m->date_offset = 0;
	/* A customer after 3 to 8 s, a bot 1 to 2 s after its customer. */
	if (m->kind == MSG_CUSTOMER)
		*wait_ms = 3000 + (int64_t)(chan_demo_rand(d) % 5000);
	else
		*wait_ms = 1000 + (int64_t)(chan_demo_rand(d) % 1000);
	return m;
}

/* A reply sent last round, delivered this round. */
struct chan_demo_sent {
	char	*channel;
	char	*account;
	char	*remote_id;
};

/* Is a reply the demo's to deliver: sent by a demo channel, or any reply
 * when a demo channel delivers all (--demo's store is all demo)? */
static int
chan_demo_takes(const struct store_outgoing *o)
{
	const struct channel_config	*cc, *all;
	size_t				 i, n;

	cc = channel_config_sender(o->channel, o->account);
	if (cc != NULL && strcmp(cc->type, "demo") == 0)
		return 1;
	all = channel_config_all(&n);
	for (i = 0; i < n; i++) {
		if (strcmp(all[i].type, "demo") == 0 &&
		    channel_config_get(&all[i], "deliver") != NULL &&
		    strcmp(channel_config_get(&all[i], "deliver"), "all") == 0)
			return 1;
	}
	return 0;
}

/* Forget the replies sent last round. */
static void
chan_demo_sent_clear(struct chan_demo *d)
{
	size_t	i;

	for (i = 0; i < d->n_sent; i++) {
		free(d->sent[i].channel);
		free(d->sent[i].account);
		free(d->sent[i].remote_id);
	}
	free(d->sent);
	d->sent = NULL;
	d->n_sent = 0;
}

int
chan_demo_deliver(struct chan_demo *d, struct store *st, int64_t now,
    long *sent, char **cause)
{
	struct store_outgoing	**out;
	struct chan_demo_sent	 *ds;
	enum store_status	  rc = STORE_OK;
	size_t			  n, i;
	char			 *remote;

	*sent = 0;
	*cause = NULL;
	/* Last round's replies reached the customer's phone. */
	for (i = 0; i < d->n_sent && rc == STORE_OK; i++) {
		rc = store_outbox_status(st, d->sent[i].channel,
		    d->sent[i].account, d->sent[i].remote_id, "delivered", now,
		    NULL, cause);
		if (rc == STORE_NOT_FOUND) {
			free(*cause);
			*cause = NULL;
			rc = STORE_OK;
		}
	}
	if (rc != STORE_OK)
		return -1;
	chan_demo_sent_clear(d);
	if ((rc = store_outbox_list(st, 0, &out, &n, cause)) != STORE_OK)
		return -1;
	for (i = 0; i < n && rc == STORE_OK; i++) {
		if (strcmp(out[i]->state, "queued") != 0 ||
		    !chan_demo_takes(out[i]))
			continue;
		remote = xasprintf("demo-%s", out[i]->native_id);
		rc = store_outbox_move(st, out[i]->msgid, "queued", "sent",
		    remote, NULL, cause);
		if (rc == STORE_OK) {
			(*sent)++;
			d->sent = xreallocarray(d->sent, d->n_sent + 1,
			    sizeof *d->sent);
			ds = &d->sent[d->n_sent++];
			ds->channel = xstrdup(out[i]->channel);
			ds->account = xstrdup(out[i]->account);
			ds->remote_id = remote;
			remote = NULL;
		} else if (rc == STORE_REFUSED) {
			/* Moved on by someone else meanwhile. */
			free(*cause);
			*cause = NULL;
			rc = STORE_OK;
		}
		free(remote);
	}
	for (i = 0; i < n; i++)
		store_outgoing_free(out[i]);
	free(out);
	return rc == STORE_OK ? 0 : -1;
}
