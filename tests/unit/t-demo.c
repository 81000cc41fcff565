/*
 * t-demo.c: the demo generator (src/core/demo.c).
 *
 * Every message and state goes through one checker that hashes all their
 * fields (for the determinism tests), checks each message on its own
 * (fields, UTF-8, tags, dates) and each conversation as a whole (grouping,
 * ids, order, state), and counts what the demo must show: every triage
 * state, notes, files, both languages, emoji and the rare hostile input.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "demo/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tap.h"

#define T_NOW		((int64_t)1760000000)	/* 2025-10-09T08:53:20Z */
#define T_DAY		86400
#define T_MAX_CONV	512			/* ids kept per conversation */

/* What one run of the generator produced. */
struct t_run {
	int64_t		 now;
	uint64_t	 hash;
	long		 messages;
	long		 states;

	/* The conversation being received. */
	int		 open;
	char		 channel[64];
	char		 account[128];
	char		 conv_id[192];
	char		*ids[T_MAX_CONV];
	char		*msg_tags[T_MAX_CONV];	/* "\ntag\ntag\n" per message */
	int		 n_msgs;
	int64_t		 last_date;
	int		 has_note;
	int		 has_customer;

	/* Problems seen. */
	int		 bad_fields;
	int		 bad_utf8;
	int		 bad_slots;
	int		 bad_tags;
	int		 bad_dates;
	int		 bad_order;
	int		 dup_ids;
	int		 bad_group;
	int		 bad_state_tags;
	int		 bad_snooze;
	int		 bad_account;
	int		 bad_notes;
	int		 first_bad;		/* only the first is shown */

	/* What was seen. */
	int		 min_len;
	int		 max_len;
	int64_t		 newest;
	int		 channels;		/* bit per channel name */
	char		*accounts[8];
	long		 done;
	long		 snoozed;
	long		 handoff;
	long		 bot;
	long		 assigned;
	long		 prio;
	long		 labelled;
	long		 notes;
	long		 attachments;
	long		 empty_with_file;
	long		 french;
	long		 english;
	long		 emoji;
	long		 unread_kept;
	long		 read_marked;
	int		 escapes;
	int		 bidi;
	int		 zalgo;

	/* Conversation keys, for the uniqueness test (when keep_keys). */
	int		 keep_keys;
	char		**keys;
	size_t		 n_keys;

	/* Stop after this many messages or states with this value. */
	long		 stop_messages;
	long		 stop_states;
	int		 stop_value;
};

static const char *const t_channels[] = {
	"telegram", "whatsapp", "messenger", "line", "sms", "matrix", "email"
};

/* FNV-1a, over a field and a separator so "ab","c" differs from "a","bc". */
static void
t_hash(struct t_run *r, const void *p, size_t len)
{
	const unsigned char	*s = p;
	size_t			 i;

	for (i = 0; i < len; i++) {
		r->hash ^= s[i];
		r->hash *= 0x100000001b3ULL;
	}
	r->hash ^= 0xff;
	r->hash *= 0x100000001b3ULL;
}

static void
t_hash_str(struct t_run *r, const char *s)
{
	if (s == NULL)
		t_hash(r, "\x01", 1);
	else
		t_hash(r, s, strlen(s));
}

static void
t_hash_int(struct t_run *r, int64_t v)
{
	t_hash(r, &v, sizeof v);
}

/* Report the first problem of a run in detail; count them all. */
static void
t_problem(struct t_run *r, int *counter, const char *what, const char *detail)
{
	(*counter)++;
	if (r->first_bad)
		return;
	r->first_bad = 1;
	diag("first problem: %s", what);
	if (detail != NULL)
		tap_diag_str("in", detail);
}

static int
t_utf8_ok(const char *s)
{
	return s == NULL || utf8_valid(s, strlen(s), NULL);
}

static int
t_nonempty(const char *s)
{
	return s != NULL && *s != '\0';
}

/*
 * Look at the code points of a text: emoji, a right-to-left override, and
 * the longest run of combining marks.
 */
static void
t_scan_text(const char *s, int *emoji, int *bidi, int *marks)
{
	size_t		len = strlen(s), i, n;
	uint32_t	cp;
	int		run = 0;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if ((cp >= 0x1f300 && cp <= 0x1faff) ||
		    (cp >= 0x2600 && cp <= 0x27bf))
			*emoji = 1;
		if (cp == 0x202e)
			*bidi = 1;
		if (cp >= 0x300 && cp <= 0x36f) {
			if (++run > *marks)
				*marks = run;
		} else
			run = 0;
	}
}

/* Crude language detection, good enough for the phrases of the demo. */
static int
t_is_french(const char *s)
{
	return strstr(s, "Bonjour") != NULL || strstr(s, "commande") != NULL ||
	    strstr(s, "merci") != NULL || strstr(s, "Merci") != NULL ||
	    strstr(s, "vous") != NULL;
}

static int
t_is_english(const char *s)
{
	return strstr(s, "order") != NULL || strstr(s, "Hello") != NULL ||
	    strstr(s, "thanks") != NULL || strstr(s, "Thanks") != NULL ||
	    strstr(s, " the ") != NULL || strstr(s, "you") != NULL;
}

static void
t_conv_reset(struct t_run *r)
{
	int	i;

	for (i = 0; i < r->n_msgs; i++) {
		free(r->ids[i]);
		free(r->msg_tags[i]);
	}
	r->n_msgs = 0;
	r->open = 0;
	r->has_note = 0;
	r->has_customer = 0;
}

/* Keep the fixed account of each channel; complain when it changes. */
static void
t_check_account(struct t_run *r, const char *channel, const char *account)
{
	size_t	i;

	for (i = 0; i < nitems(t_channels); i++) {
		if (strcmp(channel, t_channels[i]) != 0)
			continue;
		r->channels |= 1 << i;
		if (r->accounts[i] == NULL)
			r->accounts[i] = xstrdup(account);
		else if (strcmp(r->accounts[i], account) != 0)
			t_problem(r, &r->bad_account, "account changed",
			    account);
		return;
	}
	t_problem(r, &r->bad_fields, "unknown channel", channel);
}

/* Every message: hash it, check it, count what it shows. */
static int
t_on_msg(const struct msg *m, void *data)
{
	struct t_run	*r = data;
	struct buf	 tags;
	size_t		 i;
	int		 emoji = 0, bidi = 0, marks = 0, j;
	const char	*t;

	t_hash_str(r, m->channel);
	t_hash_str(r, m->account);
	t_hash_str(r, m->conv_id);
	t_hash_str(r, m->conv_title);
	t_hash_str(r, m->id);
	t_hash_int(r, m->date);
	t_hash_int(r, m->date_offset);
	t_hash_str(r, m->from_id);
	t_hash_str(r, m->from_name);
	t_hash_int(r, m->kind);
	t_hash_str(r, m->text);
	t_hash_int(r, (int64_t)m->text_len);
	t_hash_str(r, m->reply_to);
	t_hash_str(r, m->edit_of);
	for (i = 0; i < m->n_attachments; i++) {
		t_hash_str(r, m->attachments[i].name);
		t_hash_str(r, m->attachments[i].mime);
		t_hash_int(r, m->attachments[i].size);
		t_hash_str(r, m->attachments[i].url);
	}
	for (i = 0; m->tags != NULL && m->tags[i] != NULL; i++)
		t_hash_str(r, m->tags[i]);

	/* Grouping: a conversation's messages come together. */
	if (!t_nonempty(m->channel) || !t_nonempty(m->account) ||
	    !t_nonempty(m->conv_id)) {
		t_problem(r, &r->bad_fields, "no channel, account or conv_id",
		    m->id);
		return 0;
	}
	if (r->open && (strcmp(r->channel, m->channel) != 0 ||
	    strcmp(r->account, m->account) != 0 ||
	    strcmp(r->conv_id, m->conv_id) != 0)) {
		t_problem(r, &r->bad_group, "a conversation began before the "
		    "state of the last one", m->conv_id);
		t_conv_reset(r);
	}
	if (!r->open) {
		r->open = 1;
		snprintf(r->channel, sizeof r->channel, "%s", m->channel);
		snprintf(r->account, sizeof r->account, "%s", m->account);
		snprintf(r->conv_id, sizeof r->conv_id, "%s", m->conv_id);
		r->last_date = INT64_MIN;
		t_check_account(r, m->channel, m->account);
	}
	r->messages++;

	/* Fields. */
	if (!t_nonempty(m->conv_title) || !t_nonempty(m->id) ||
	    !t_nonempty(m->from_id) || !t_nonempty(m->from_name) ||
	    m->text == NULL || m->text_len != strlen(m->text) ||
	    (m->text_len == 0 && m->n_attachments == 0))
		t_problem(r, &r->bad_fields, "a required field is empty",
		    m->id);
	for (i = 0; i < m->n_attachments; i++) {
		if (!t_nonempty(m->attachments[i].name) ||
		    !t_nonempty(m->attachments[i].mime) ||
		    m->attachments[i].size <= 0)
			t_problem(r, &r->bad_fields,
			    "an attachment lacks a field", m->id);
		if (!t_utf8_ok(m->attachments[i].name) ||
		    !t_utf8_ok(m->attachments[i].url))
			t_problem(r, &r->bad_utf8, "attachment not UTF-8",
			    m->id);
		t_scan_text(m->attachments[i].name, &emoji, &bidi, &marks);
	}
	if (!t_utf8_ok(m->text) || !t_utf8_ok(m->conv_title) ||
	    !t_utf8_ok(m->from_name) || !t_utf8_ok(m->from_id) ||
	    !t_utf8_ok(m->id) || !t_utf8_ok(m->conv_id))
		t_problem(r, &r->bad_utf8, "text not UTF-8", m->id);
	if (strchr(m->text, '{') != NULL || strchr(m->text, '}') != NULL ||
	    strchr(m->conv_title, '{') != NULL)
		t_problem(r, &r->bad_slots, "a slot was left unfilled",
		    m->text);

	/* Dates: within 60 days before now, in order in the conversation. */
	if (m->date > r->now || m->date < r->now - 60 * T_DAY)
		t_problem(r, &r->bad_dates, "date out of range", m->id);
	if (m->date < r->last_date)
		t_problem(r, &r->bad_order, "messages out of date order",
		    m->id);
	r->last_date = m->date;
	if (m->date > r->newest)
		r->newest = m->date;
	if (m->date_offset < -12 * 3600 || m->date_offset > 14 * 3600 ||
	    m->date_offset % 900 != 0)
		t_problem(r, &r->bad_dates, "odd UTC offset", m->id);

	/* Ids unique in the conversation. */
	for (j = 0; j < r->n_msgs; j++) {
		if (strcmp(r->ids[j], m->id) == 0)
			t_problem(r, &r->dup_ids, "message id repeated", m->id);
	}

	/* Tags: valid operations; kept to compare with the state. */
	buf_init(&tags);
	buf_add_char(&tags, '\n');
	for (i = 0; m->tags != NULL && m->tags[i] != NULL; i++) {
		t = m->tags[i];
		if (*t == '+' || *t == '-')
			t++;
		if (!tag_valid(t))
			t_problem(r, &r->bad_tags, "invalid tag", m->tags[i]);
		buf_add_str(&tags, m->tags[i]);
		buf_add_char(&tags, '\n');
		if (strcmp(m->tags[i], "-unread") == 0 &&
		    m->kind == MSG_CUSTOMER)
			r->read_marked++;
	}
	if (m->kind == MSG_CUSTOMER && strstr(tags.data, "\n-unread\n") == NULL)
		r->unread_kept++;
	if (m->kind == MSG_NOTE) {
		r->notes++;
		r->has_note = 1;
		if (strstr(tags.data, "\nombre/note\n") == NULL)
			t_problem(r, &r->bad_notes, "a note without ombre/note",
			    m->id);
	}
	if (m->kind == MSG_CUSTOMER)
		r->has_customer = 1;
	if (r->n_msgs < T_MAX_CONV) {
		r->ids[r->n_msgs] = xstrdup(m->id);
		r->msg_tags[r->n_msgs] = buf_steal(&tags);
		r->n_msgs++;
	} else
		buf_free(&tags);

	/* What the demo shows. */
	if (m->n_attachments > 0)
		r->attachments++;
	if (m->n_attachments > 0 && m->text_len == 0)
		r->empty_with_file++;
	if (t_is_french(m->text))
		r->french++;
	if (t_is_english(m->text))
		r->english++;
	t_scan_text(m->text, &emoji, &bidi, &marks);
	if (emoji)
		r->emoji++;
	if (bidi)
		r->bidi++;
	if (marks >= 5)
		r->zalgo++;
	if (strchr(m->from_name, '\x1b') != NULL && m->kind == MSG_CUSTOMER &&
	    r->n_msgs == 1)
		r->escapes++;

	if (r->stop_messages > 0 && r->messages >= r->stop_messages)
		return r->stop_value;
	return 0;
}

static int
t_has_tag(char **tags, const char *tag)
{
	size_t	i;

	for (i = 0; tags[i] != NULL; i++) {
		if (strcmp(tags[i], tag) == 0)
			return 1;
	}
	return 0;
}

static int
t_has_prefix(char **tags, const char *prefix)
{
	size_t	i;

	for (i = 0; tags[i] != NULL; i++) {
		if (strncmp(tags[i], prefix, strlen(prefix)) == 0)
			return 1;
	}
	return 0;
}

/*
 * A conversation's state: it must be the conversation just received, its
 * tags on every message, its snooze time set exactly when snoozed.
 */
static int
t_on_state(const struct demo_conv_state *s, void *data)
{
	struct t_run	*r = data;
	char		 want[256];
	size_t		 i;
	int		 j;

	t_hash_str(r, s->channel);
	t_hash_str(r, s->account);
	t_hash_str(r, s->conv_id);
	for (i = 0; s->tags[i] != NULL; i++)
		t_hash_str(r, s->tags[i]);
	t_hash_int(r, s->snooze_until);
	r->states++;

	if (!r->open || strcmp(r->channel, s->channel) != 0 ||
	    strcmp(r->account, s->account) != 0 ||
	    strcmp(r->conv_id, s->conv_id) != 0)
		t_problem(r, &r->bad_group, "state of another conversation",
		    s->conv_id);
	if (r->min_len == 0 || r->n_msgs < r->min_len)
		r->min_len = r->n_msgs;
	if (r->n_msgs > r->max_len)
		r->max_len = r->n_msgs;
	if (!r->has_customer)
		t_problem(r, &r->bad_fields, "a conversation without customer",
		    s->conv_id);

	for (i = 0; s->tags[i] != NULL; i++) {
		snprintf(want, sizeof want, "\n%s\n", s->tags[i]);
		for (j = 0; j < r->n_msgs; j++) {
			if (strstr(r->msg_tags[j], want) == NULL)
				t_problem(r, &r->bad_state_tags, "a state tag "
				    "missing from a message", s->tags[i]);
		}
	}

	if (t_has_tag(s->tags, "ombre/done")) {
		r->done++;
		if (!t_has_tag(s->tags, "-inbox") ||
		    !t_has_tag(s->tags, "-unread"))
			t_problem(r, &r->bad_state_tags,
			    "done but in the inbox", s->conv_id);
	}
	if (t_has_tag(s->tags, "ombre/snoozed")) {
		r->snoozed++;
		if (s->snooze_until <= r->now || !t_has_tag(s->tags, "-inbox"))
			t_problem(r, &r->bad_snooze, "snoozed to the past or "
			    "in the inbox", s->conv_id);
	} else if (s->snooze_until != 0)
		t_problem(r, &r->bad_snooze, "a wake-up time but not snoozed",
		    s->conv_id);
	if (t_has_tag(s->tags, "ombre/handoff"))
		r->handoff++;
	if (t_has_tag(s->tags, "ombre/bot"))
		r->bot++;
	if (t_has_prefix(s->tags, "ombre/assigned/"))
		r->assigned++;
	if (t_has_tag(s->tags, "ombre/prio/high"))
		r->prio++;
	if (t_has_tag(s->tags, "billing") || t_has_tag(s->tags, "delivery") ||
	    t_has_tag(s->tags, "refund") || t_has_tag(s->tags, "bug"))
		r->labelled++;

	if (r->keep_keys) {
		r->keys = xreallocarray(r->keys, r->n_keys + 1,
		    sizeof *r->keys);
		r->keys[r->n_keys++] = xasprintf("%s\n%s\n%s", s->channel,
		    s->account, s->conv_id);
	}
	t_conv_reset(r);

	if (r->stop_states > 0 && r->states >= r->stop_states)
		return r->stop_value;
	return 0;
}

static void
t_run_init(struct t_run *r)
{
	memset(r, 0, sizeof *r);
	r->now = T_NOW;
	r->hash = 0xcbf29ce484222325ULL;
}

static void
t_run_free(struct t_run *r)
{
	size_t	i;

	t_conv_reset(r);
	for (i = 0; i < nitems(r->accounts); i++)
		free(r->accounts[i]);
	for (i = 0; i < r->n_keys; i++)
		free(r->keys[i]);
	free(r->keys);
}

/* Run the generator into r; return what demo_generate() returned. */
static int
t_generate(struct t_run *r, uint64_t seed, long conversations, int per_conv)
{
	struct demo_params	p;

	memset(&p, 0, sizeof p);
	p.seed = seed;
	p.conversations = conversations;
	p.messages_per_conversation = per_conv;
	p.now = r->now;
	return demo_generate(&p, t_on_msg, t_on_state, r);
}

static int
t_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Determinism: all fields hash the same for a seed, not for another. */
static void
t_determinism(void)
{
	struct t_run	a, b, c;

	t_run_init(&a);
	t_run_init(&b);
	t_run_init(&c);
	t_generate(&a, 42, 300, 0);
	t_generate(&b, 42, 300, 0);
	t_generate(&c, 43, 300, 0);
	ok(a.hash == b.hash, "the same seed gives the same conversations");
	ok(a.hash != c.hash, "another seed gives other conversations");
	is_int(a.messages, b.messages, "the same number of messages");
	t_run_free(&a);
	t_run_free(&b);
	t_run_free(&c);
}

/* The default demo: 300 conversations of varied length. */
static void
t_default(void)
{
	struct t_run	r;
	size_t		i;
	int		rv, all = 1;

	t_run_init(&r);
	rv = t_generate(&r, 1, 300, 0);
	is_int(rv, 0, "demo_generate returns 0 when done");
	is_int(r.states, 300, "300 conversations");
	ok(r.min_len >= 2 && r.max_len <= 14, "2 to 14 messages each "
	    "(seen %d to %d)", r.min_len, r.max_len);
	ok(r.messages >= 300 * 5 && r.messages <= 300 * 7,
	    "about 6 messages on average (%.2f)", (double)r.messages / 300);

	is_int(r.bad_group, 0, "each conversation's messages come together, "
	    "then its state");
	is_int(r.bad_fields, 0, "required fields are set");
	is_int(r.bad_utf8, 0, "all text is valid UTF-8");
	is_int(r.bad_slots, 0, "every phrase slot is filled");
	is_int(r.bad_dates, 0, "dates are within 60 days before now");
	is_int(r.bad_order, 0, "messages come in date order");
	is_int(r.dup_ids, 0, "message ids are unique in a conversation");
	is_int(r.bad_tags, 0, "tag operations are valid tags");
	is_int(r.bad_state_tags, 0, "every message carries its conversation's "
	    "state tags");
	is_int(r.bad_snooze, 0, "snoozed conversations wake up in the future");
	is_int(r.bad_account, 0, "one fixed account per channel");
	is_int(r.bad_notes, 0, "notes are tagged ombre/note");
	ok(r.newest > r.now - 10 * 60, "the newest message is minutes old "
	    "(%lld s)", (long long)(r.now - r.newest));

	for (i = 0; i < nitems(t_channels); i++)
		all &= (r.channels >> i) & 1;
	ok(all, "every channel is present");
	ok(r.done > 0, "done conversations (%ld)", r.done);
	ok(r.snoozed > 0, "snoozed conversations (%ld)", r.snoozed);
	ok(r.handoff > 0, "handoffs (%ld)", r.handoff);
	ok(r.bot > 0, "bot conversations (%ld)", r.bot);
	ok(r.assigned > 0, "assigned conversations (%ld)", r.assigned);
	ok(r.prio > 0, "high priority (%ld)", r.prio);
	ok(r.labelled > 0, "labels (%ld)", r.labelled);
	ok(r.done < 300 - 50, "plenty left in the inbox (%ld done)", r.done);
	ok(r.notes > 0, "internal notes (%ld)", r.notes);
	ok(r.attachments > 0, "attachments (%ld)", r.attachments);
	ok(r.empty_with_file > 0, "files without text (%ld)",
	    r.empty_with_file);
	ok(r.french > 0, "French text (%ld)", r.french);
	ok(r.english > 0, "English text (%ld)", r.english);
	ok(r.emoji > 0, "emoji (%ld)", r.emoji);
	ok(r.unread_kept > 0 && r.read_marked > 0, "some customer messages "
	    "read, some unread (%ld, %ld)", r.read_marked, r.unread_kept);
	ok(r.escapes >= 1 && r.escapes <= 5, "a few names with escape "
	    "sequences (%d)", r.escapes);
	ok(r.bidi >= 1 && r.bidi <= 10, "a few right-to-left overrides (%d)",
	    r.bidi);
	ok(r.zalgo >= 1 && r.zalgo <= 5, "a few combining-mark piles (%d)",
	    r.zalgo);
	t_run_free(&r);
}

/* An exact count per conversation, as benchmarks ask. */
static void
t_exact(void)
{
	struct t_run	r;

	t_run_init(&r);
	t_generate(&r, 9, 50, 10);
	is_int(r.states, 50, "50 conversations");
	is_int(r.messages, 500, "10 messages each: 500");
	ok(r.min_len == 10 && r.max_len == 10, "exactly 10 in every one");
	is_int(r.bad_fields + r.bad_order + r.dup_ids + r.bad_group, 0,
	    "and all well formed");
	t_run_free(&r);

	t_run_init(&r);
	t_generate(&r, 9, 40, 1);
	ok(r.min_len == 1 && r.max_len == 1, "one message each when asked");
	t_run_free(&r);

	t_run_init(&r);
	t_generate(&r, 9, 3, 60);
	ok(r.min_len == 60 && r.max_len == 60, "60 messages each when asked");
	is_int(r.bad_dates + r.bad_order + r.dup_ids, 0,
	    "long conversations stay within 60 days, in order, unique");
	t_run_free(&r);
}

/* Conversations never share an id, even past the pool of names. */
static void
t_unique(void)
{
	struct t_run	r;
	size_t		i;
	int		dups = 0;

	t_run_init(&r);
	r.keep_keys = 1;
	t_generate(&r, 5, 6000, 2);
	qsort(r.keys, r.n_keys, sizeof *r.keys, t_cmp_str);
	for (i = 1; i < r.n_keys; i++) {
		if (strcmp(r.keys[i - 1], r.keys[i]) == 0)
			dups++;
	}
	is_int((long long)r.n_keys, 6000, "6000 conversations");
	is_int(dups, 0, "no two conversations share channel, account and id");
	t_run_free(&r);
}

/* A non-zero return from either callback stops everything. */
static void
t_stop(void)
{
	struct t_run		r;
	struct demo_params	p;
	int			rv;

	t_run_init(&r);
	r.stop_messages = 5;
	r.stop_value = 7;
	rv = t_generate(&r, 3, 300, 0);
	is_int(rv, 7, "a message callback's value is returned");
	is_int(r.messages, 5, "no message after it");
	t_run_free(&r);

	t_run_init(&r);
	r.stop_states = 2;
	r.stop_value = -3;
	rv = t_generate(&r, 3, 300, 0);
	is_int(rv, -3, "a state callback's value is returned");
	is_int(r.states, 2, "no conversation after it");
	t_run_free(&r);

	memset(&p, 0, sizeof p);
	p.seed = 3;
	p.conversations = 20;
	p.now = T_NOW;
	is_int(demo_generate(&p, NULL, NULL, NULL), 0, "callbacks may be NULL");
	p.conversations = 0;
	t_run_init(&r);
	is_int(demo_generate(&p, t_on_msg, t_on_state, &r), 0,
	    "no conversations asked, none made");
	is_int(r.messages + r.states, 0, "and no callback called");
	t_run_free(&r);
}

/* Fast enough for benchmarks: 10,000 conversations of 10 messages. */
static void
t_speed(void)
{
	struct t_run	r;
	clock_t		start;
	double		secs;

	t_run_init(&r);
	start = clock();
	t_generate(&r, 11, 10000, 10);
	secs = (double)(clock() - start) / CLOCKS_PER_SEC;
	is_int(r.messages, 100000, "100,000 messages");
	diag("10,000 conversations x 10 messages, checks included: %.2f s",
	    secs);
	ok(secs < 10.0, "generated in reasonable time");
	t_run_free(&r);
}

int
main(void)
{
	t_determinism();
	t_default();
	t_exact();
	t_unique();
	t_stop();
	t_speed();
	done_testing();
	return exit_status();
}
