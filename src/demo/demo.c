/*
 * demo.c: believable demo conversations, generated deterministically.
 *
 * `ombre demo` and the demo channel fill a store from here, and benchmarks
 * make 100,000 conversations with it. Everything comes from params->seed
 * through our own PRNG (xoshiro256**, seeded by splitmix64), never rand():
 * each conversation draws from a generator seeded by (seed, index), so it
 * does not depend on what the conversations before it drew. One
 * conversation is built, emitted and freed before the next, so memory
 * stays flat whatever the count.
 *
 * A conversation is a case (open, bot, handoff, human, snoozed, done) dealt
 * from a shuffled deck per block of 20, so every triage state shows up in
 * any block of recent conversations; a script of beats for that case, cut
 * or padded to the wanted length; phrases from demo-text.h with the
 * conversation's slots filled in; dates counted back from params->now,
 * denser near it. Customer ids are made unique per channel by affine
 * permutations of the conversation index, so a conversation never merges
 * with another in the store.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "demo/demo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo/demo-text.h"

#define DEMO_FR		0
#define DEMO_EN		1

#define DEMO_BRAND	"Atelier Nuage"
#define DEMO_TWILIO_SID	"AC5f2d9c8e7b6a5f4e3d2c1b0a9f8e7d6c"
#define DEMO_DAY	86400
#define DEMO_SPREAD	(30 * DEMO_DAY)	/* how long ago the oldest ones end */
#define DEMO_HORIZON	(59 * DEMO_DAY)	/* no message is older than this */
#define DEMO_BLOCK	20		/* conversations per deck */
#define DEMO_HOSTILE_EVERY 150		/* one of each hostile input per */
#define DEMO_WORLD_EVERY 50		/* one name in another script per */
#define DEMO_TAGS_MAX	12

/* ------------------------------------------------------------ channels */

enum demo_chan {
	DEMO_TELEGRAM,
	DEMO_WHATSAPP,
	DEMO_MESSENGER,
	DEMO_LINE,
	DEMO_SMS,
	DEMO_MATRIX,
	DEMO_EMAIL
};

struct demo_channel {
	enum demo_chan	 type;
	const char	*name;
	const char	*account;	/* the fixed upstream identity */
	int		 deck;		/* conversations in each DEMO_BLOCK */
	int		 voice;		/* customers send voice notes */
};

static const struct demo_channel demo_channels[] = {
	{ DEMO_WHATSAPP, "whatsapp", "106540352242922", 5, 1 },
	{ DEMO_EMAIL, "email", "support@example.com", 4, 0 },
	{ DEMO_TELEGRAM, "telegram", "7012345678", 3, 1 },
	{ DEMO_MESSENGER, "messenger", "104857392018465", 3, 1 },
	{ DEMO_MATRIX, "matrix", "@support:example.org", 2, 0 },
	{ DEMO_SMS, "sms", "+447700900000", 2, 0 },
	{ DEMO_LINE, "line", "U4af4980629d1c0d5e7b2a3f6c8e9d0b1", 1, 1 }
};

/* --------------------------------------------------------------- cases */

enum demo_case {
	DEMO_CASE_OPEN,		/* nobody owns it yet: inbox, unread */
	DEMO_CASE_BOT,		/* the bot is answering */
	DEMO_CASE_BOT_DONE,	/* the bot solved it */
	DEMO_CASE_HANDOFF,	/* the bot or the customer asked for a human */
	DEMO_CASE_HUMAN,	/* an agent owns it */
	DEMO_CASE_SNOOZED,	/* an agent waits for someone else */
	DEMO_CASE_DONE		/* an agent solved it */
};

/* count conversations of a case in each DEMO_BLOCK, some with a note. */
struct demo_deal {
	enum demo_case	 kase;
	int		 prio;
	int		 note;		/* an agent leaves an internal note */
	int		 count;
};

/* The newer half of the conversations: everything, as on a busy day. */
static const struct demo_deal demo_deck_recent[] = {
	{ DEMO_CASE_OPEN, 0, 0, 2 },
	{ DEMO_CASE_BOT, 0, 0, 3 },
	{ DEMO_CASE_BOT_DONE, 0, 0, 1 },
	{ DEMO_CASE_HANDOFF, 0, 0, 2 },
	{ DEMO_CASE_HANDOFF, 1, 0, 1 },
	{ DEMO_CASE_HUMAN, 0, 0, 3 },
	{ DEMO_CASE_HUMAN, 1, 1, 1 },
	{ DEMO_CASE_SNOOZED, 0, 1, 1 },
	{ DEMO_CASE_SNOOZED, 0, 0, 1 },
	{ DEMO_CASE_DONE, 0, 1, 1 },
	{ DEMO_CASE_DONE, 0, 0, 4 }
};

/* The older half: mostly done, a small backlog left. */
static const struct demo_deal demo_deck_old[] = {
	{ DEMO_CASE_BOT, 0, 0, 1 },
	{ DEMO_CASE_BOT_DONE, 0, 0, 3 },
	{ DEMO_CASE_HANDOFF, 0, 0, 1 },
	{ DEMO_CASE_HUMAN, 0, 0, 2 },
	{ DEMO_CASE_SNOOZED, 0, 0, 1 },
	{ DEMO_CASE_DONE, 0, 1, 2 },
	{ DEMO_CASE_DONE, 0, 0, 10 }
};

/* ------------------------------------------------------------- scripts */

enum demo_role {
	DEMO_FILL_BOT,		/* customer/bot exchanges pad the script here */
	DEMO_FILL_AGENT,	/* customer/agent exchanges pad it here */
	DEMO_C_GREET,
	DEMO_C_OPEN,
	DEMO_C_DETAIL,
	DEMO_C_TO_BOT,
	DEMO_C_FILL,
	DEMO_C_ASK_HUMAN,
	DEMO_C_WAIT,
	DEMO_C_OK,
	DEMO_C_THANKS,
	DEMO_C_FOLLOWUP,
	DEMO_B_WELCOME,
	DEMO_B_ANSWER,
	DEMO_B_FILL,
	DEMO_B_TRANSFER,
	DEMO_B_CLOSE,
	DEMO_A_HELLO,
	DEMO_A_FILL,
	DEMO_A_SOLVE,
	DEMO_A_WAIT,
	DEMO_A_CLOSE,
	DEMO_NOTE,
	DEMO_ROLE_COUNT
};

/* What demo_pick() goes round: a role's own list, or one of these. */
enum demo_pick_key {
	DEMO_PICK_SUBJECT = DEMO_ROLE_COUNT,
	DEMO_PICK_SHOW,
	DEMO_PICK_SEND,
	DEMO_PICK_ASK,
	DEMO_PICK_NOTE_ANY,
	DEMO_PICK_MAIL_HELLO,
	DEMO_PICK_MAIL_BYE,
	DEMO_PICK_COUNT
};

static const enum msg_kind demo_role_kind[DEMO_ROLE_COUNT] = {
	[DEMO_FILL_BOT] = MSG_BOT,
	[DEMO_FILL_AGENT] = MSG_AGENT,
	[DEMO_C_GREET] = MSG_CUSTOMER,
	[DEMO_C_OPEN] = MSG_CUSTOMER,
	[DEMO_C_DETAIL] = MSG_CUSTOMER,
	[DEMO_C_TO_BOT] = MSG_CUSTOMER,
	[DEMO_C_FILL] = MSG_CUSTOMER,
	[DEMO_C_ASK_HUMAN] = MSG_CUSTOMER,
	[DEMO_C_WAIT] = MSG_CUSTOMER,
	[DEMO_C_OK] = MSG_CUSTOMER,
	[DEMO_C_THANKS] = MSG_CUSTOMER,
	[DEMO_C_FOLLOWUP] = MSG_CUSTOMER,
	[DEMO_B_WELCOME] = MSG_BOT,
	[DEMO_B_ANSWER] = MSG_BOT,
	[DEMO_B_FILL] = MSG_BOT,
	[DEMO_B_TRANSFER] = MSG_BOT,
	[DEMO_B_CLOSE] = MSG_BOT,
	[DEMO_A_HELLO] = MSG_AGENT,
	[DEMO_A_FILL] = MSG_AGENT,
	[DEMO_A_SOLVE] = MSG_AGENT,
	[DEMO_A_WAIT] = MSG_AGENT,
	[DEMO_A_CLOSE] = MSG_AGENT,
	[DEMO_NOTE] = MSG_NOTE
};

/* Conditions on a step: it is kept only when all of them hold. */
#define DEMO_IF_CHAT		0x01	/* not e-mail */
#define DEMO_IF_VIA_BOT		0x02	/* the bot saw it first */
#define DEMO_IF_NOTE		0x04	/* an agent left a note */
#define DEMO_IF_ASKS		0x08	/* the customer asks for a human */
#define DEMO_IF_GIVES_UP	0x10	/* the bot hands off by itself */
#define DEMO_IF_LAST_WORD	0x20	/* the customer writes last */
#define DEMO_IF_AGENT_LAST	0x40	/* the agent writes last */

/*
 * One step of a script. prio says what goes first when the conversation
 * must be shorter: 0 stays always, 3 goes first.
 */
struct demo_step {
	enum demo_role	 role;
	int		 prio;
	int		 when;
};

static const struct demo_step demo_script_open[] = {
	{ DEMO_C_GREET, 3, DEMO_IF_CHAT },
	{ DEMO_C_OPEN, 0, 0 },
	{ DEMO_FILL_AGENT, 0, 0 },
	{ DEMO_C_DETAIL, 2, 0 },
	{ DEMO_C_WAIT, 3, 0 }
};
static const struct demo_step demo_script_bot[] = {
	{ DEMO_C_GREET, 3, DEMO_IF_CHAT },
	{ DEMO_C_OPEN, 0, 0 },
	{ DEMO_B_WELCOME, 1, 0 },
	{ DEMO_B_ANSWER, 1, 0 },
	{ DEMO_FILL_BOT, 0, 0 },
	{ DEMO_C_OK, 2, 0 },
	{ DEMO_B_CLOSE, 3, 0 }
};
static const struct demo_step demo_script_handoff[] = {
	{ DEMO_C_GREET, 3, DEMO_IF_CHAT },
	{ DEMO_C_OPEN, 0, 0 },
	{ DEMO_B_WELCOME, 2, 0 },
	{ DEMO_B_ANSWER, 3, DEMO_IF_ASKS },
	{ DEMO_FILL_BOT, 0, 0 },
	{ DEMO_C_ASK_HUMAN, 1, DEMO_IF_ASKS },
	{ DEMO_C_DETAIL, 2, DEMO_IF_GIVES_UP },
	{ DEMO_B_TRANSFER, 1, 0 },
	{ DEMO_C_WAIT, 3, 0 }
};
static const struct demo_step demo_script_human[] = {
	{ DEMO_C_GREET, 3, DEMO_IF_CHAT },
	{ DEMO_C_OPEN, 0, 0 },
	{ DEMO_B_WELCOME, 3, DEMO_IF_VIA_BOT },
	{ DEMO_B_TRANSFER, 3, DEMO_IF_VIA_BOT },
	{ DEMO_A_HELLO, 1, 0 },
	{ DEMO_C_DETAIL, 2, 0 },
	{ DEMO_NOTE, 3, DEMO_IF_NOTE },
	{ DEMO_FILL_AGENT, 0, 0 },
	{ DEMO_A_SOLVE, 2, DEMO_IF_LAST_WORD },
	{ DEMO_A_FILL, 2, DEMO_IF_AGENT_LAST },
	{ DEMO_C_FOLLOWUP, 1, DEMO_IF_LAST_WORD }
};
static const struct demo_step demo_script_snoozed[] = {
	{ DEMO_C_GREET, 3, DEMO_IF_CHAT },
	{ DEMO_C_OPEN, 0, 0 },
	{ DEMO_B_WELCOME, 3, DEMO_IF_VIA_BOT },
	{ DEMO_B_TRANSFER, 3, DEMO_IF_VIA_BOT },
	{ DEMO_A_HELLO, 2, 0 },
	{ DEMO_C_DETAIL, 2, 0 },
	{ DEMO_FILL_AGENT, 0, 0 },
	{ DEMO_NOTE, 3, DEMO_IF_NOTE },
	{ DEMO_A_WAIT, 1, 0 }
};
static const struct demo_step demo_script_done[] = {
	{ DEMO_C_GREET, 3, DEMO_IF_CHAT },
	{ DEMO_C_OPEN, 0, 0 },
	{ DEMO_B_WELCOME, 3, DEMO_IF_VIA_BOT },
	{ DEMO_B_TRANSFER, 3, DEMO_IF_VIA_BOT },
	{ DEMO_A_HELLO, 2, 0 },
	{ DEMO_C_DETAIL, 2, 0 },
	{ DEMO_NOTE, 3, DEMO_IF_NOTE },
	{ DEMO_FILL_AGENT, 0, 0 },
	{ DEMO_A_SOLVE, 1, 0 },
	{ DEMO_C_THANKS, 2, 0 },
	{ DEMO_A_CLOSE, 3, 0 }
};

struct demo_script {
	const struct demo_step	*steps;
	size_t			 n;
};
static const struct demo_script demo_scripts[] = {
	[DEMO_CASE_OPEN] = { demo_script_open, nitems(demo_script_open) },
	[DEMO_CASE_BOT] = { demo_script_bot, nitems(demo_script_bot) },
	[DEMO_CASE_BOT_DONE] = { demo_script_bot, nitems(demo_script_bot) },
	[DEMO_CASE_HANDOFF] = { demo_script_handoff,
	    nitems(demo_script_handoff) },
	[DEMO_CASE_HUMAN] = { demo_script_human, nitems(demo_script_human) },
	[DEMO_CASE_SNOOZED] = { demo_script_snoozed,
	    nitems(demo_script_snoozed) },
	[DEMO_CASE_DONE] = { demo_script_done, nitems(demo_script_done) }
};

/*
 * Weights of the number of messages when it varies, for 2 to 14: most
 * conversations are short, a few are long; the mean is about 6.
 */
static const int demo_length_weights[] = {
	8, 11, 12, 12, 11, 9, 8, 6, 5, 4, 3, 2, 1
};
#define DEMO_LENGTH_MIN	2

/* --------------------------------------------------------------- slots */

enum demo_slot {
	DEMO_SLOT_AGENT,
	DEMO_SLOT_APRODUCT,
	DEMO_SLOT_BRAND,
	DEMO_SLOT_CARRIER,
	DEMO_SLOT_CODE,
	DEMO_SLOT_EMAIL,
	DEMO_SLOT_ETA,
	DEMO_SLOT_FIRST,
	DEMO_SLOT_HELP,
	DEMO_SLOT_INVOICE,
	DEMO_SLOT_LAST4,
	DEMO_SLOT_MYPRODUCT,
	DEMO_SLOT_NAME,
	DEMO_SLOT_ODATE,
	DEMO_SLOT_ORDER,
	DEMO_SLOT_PLAN,
	DEMO_SLOT_PNAME,
	DEMO_SLOT_PRICE,
	DEMO_SLOT_PRODUCT,
	DEMO_SLOT_STORE,
	DEMO_SLOT_TICKET,
	DEMO_SLOT_TRACKING,
	DEMO_SLOT_WAIT,
	DEMO_SLOT_COUNT
};

static const char *const demo_slot_names[DEMO_SLOT_COUNT] = {
	"agent", "aproduct", "brand", "carrier", "code", "email", "eta",
	"first", "help", "invoice", "last4", "myproduct", "name", "odate",
	"order", "plan", "pname", "price", "product", "store", "ticket",
	"tracking", "wait"
};

/* ------------------------------------------------------ hostile inputs */

enum demo_hostile {
	DEMO_HOSTILE_NONE,
	DEMO_HOSTILE_ESCAPES,	/* escape sequences in the name and the text */
	DEMO_HOSTILE_BIDI,	/* a right-to-left override, text and file */
	DEMO_HOSTILE_ZALGO	/* combining marks piled on letters */
};

/*
 * Where each sits in every DEMO_HOSTILE_EVERY conversations (shifted by
 * the seed), and a name in another script in every DEMO_WORLD_EVERY.
 */
#define DEMO_AT_ESCAPES	7
#define DEMO_AT_BIDI	58
#define DEMO_AT_ZALGO	111
#define DEMO_AT_WORLD	23

/* ----------------------------------------------------------- the state */

struct demo_rng {
	uint64_t	s[4];
};

/* i -> (a * i + b) mod m with a prime to m: a bijection of [0, m). */
struct demo_perm {
	uint64_t	a;
	uint64_t	b;
	uint64_t	m;
};

struct demo_beat {
	enum demo_role	 role;
	int		 prio;
	int		 read;		/* a customer's, read by someone */
	int64_t		 date;
	char		 id[128];
};

enum demo_attach_kind {
	DEMO_MEDIA_PHOTO,
	DEMO_MEDIA_SCREENSHOT,
	DEMO_MEDIA_DOCUMENT,
	DEMO_MEDIA_VOICE
};

struct demo_conv {
	struct demo_rng			 rng;
	long				 index;
	enum demo_case			 kase;
	int				 prio;
	int				 note;		/* the note must stay */
	int				 when;		/* DEMO_IF_* */
	int				 lang;
	int				 read;		/* bot chat read */
	int				 greeted;	/* has a C_GREET */
	enum demo_hostile		 hostile;
	const struct demo_channel	*chan;
	const struct demo_topic		*topic;
	const struct demo_agent		*agent;
	int				 tz;		/* winter UTC offset */
	int				 tz_eu;		/* EU summer time */
	int				 year;		/* of the end */
	int64_t				 snooze_until;
	uint64_t			 seq;		/* next message id */
	int				 agent_spoke;
	unsigned			 salt[DEMO_PICK_COUNT];
	unsigned			 turn[DEMO_PICK_COUNT];
	char				 handle[96];	/* for addresses */
	char				 conv_id[128];
	char				 from_id[128];
	char				 from_name[160];
	char				 title[256];
	char				 slot[DEMO_SLOT_COUNT][128];
	char				 tag_text[DEMO_TAGS_MAX][64];
	char				*tags[DEMO_TAGS_MAX + 1];
	size_t				 n_tags;
};

struct demo_gen {
	const struct demo_params	*params;
	struct demo_perm		 names;
	struct demo_perm		 telegram;
	struct demo_perm		 phone_fr;
	struct demo_perm		 phone_en;
	struct demo_perm		 psid;
	struct demo_perm		 line;
	uint64_t			 names_fr;	/* French names */
	uint64_t			 names_all;
	long				 deck_block;	/* decks dealt for */
	struct demo_deal		 deck[DEMO_BLOCK];
	const struct demo_channel	*chan_deck[DEMO_BLOCK];
	struct demo_beat		*beats;
	size_t				 n_beats;
	size_t				 cap_beats;
	struct buf			 text;
	struct demo_conv		 conv;
};

/* ----------------------------------------------------------------- PRNG */

static uint64_t
demo_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
demo_splitmix(uint64_t *x)
{
	*x += 0x9e3779b97f4a7c15ULL;
	return demo_mix(*x);
}

/*
 * Seed a generator for one stream (conversations, decks, set-up) and one
 * index in it. The index is hashed with the seed, so neighbouring indexes
 * give unrelated sequences.
 */
static void
demo_rng_seed(struct demo_rng *r, uint64_t seed, uint64_t stream,
    uint64_t index)
{
	uint64_t	x;
	size_t		i;

	x = seed ^ demo_mix(stream * 0xd1342543de82ef95ULL +
	    demo_mix(index + 1));
	for (i = 0; i < nitems(r->s); i++)
		r->s[i] = demo_splitmix(&x);
}

static uint64_t
demo_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** (Blackman and Vigna). */
static uint64_t
demo_rng_next(struct demo_rng *r)
{
	uint64_t	*s = r->s;
	uint64_t	 result, t;

	result = demo_rotl(s[1] * 5, 7) * 9;
	t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = demo_rotl(s[3], 45);
	return result;
}

/* A number in [0, n); the bias of the modulo is far below what shows. */
static uint64_t
demo_below(struct demo_rng *r, uint64_t n)
{
	if (n <= 1)
		return 0;
	return demo_rng_next(r) % n;
}

/* A number in [lo, hi]. */
static int64_t
demo_range(struct demo_rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)demo_below(r, (uint64_t)(hi - lo) + 1);
}

static int
demo_chance(struct demo_rng *r, int percent)
{
	return (int)demo_below(r, 100) < percent;
}

/* n characters of alphabet (a power-of-two size, 1 << bits) into out. */
static void
demo_rand_chars(struct demo_rng *r, char *out, size_t n, const char *alphabet,
    int bits)
{
	uint64_t	word = 0;
	int		left = 0;
	size_t		i;

	for (i = 0; i < n; i++) {
		if (left < bits) {
			word = demo_rng_next(r);
			left = 64;
		}
		out[i] = alphabet[word & ((1u << bits) - 1)];
		word >>= bits;
		left -= bits;
	}
	out[n] = '\0';
}

static const char demo_b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char demo_hex[] = "0123456789abcdef";

/* ---------------------------------------------------------- permutations */

static uint64_t
demo_gcd(uint64_t a, uint64_t b)
{
	uint64_t	t;

	while (b != 0) {
		t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* (a * b) mod m without overflow, for any m below 2^63. */
static uint64_t
demo_mulmod(uint64_t a, uint64_t b, uint64_t m)
{
	uint64_t	r = 0;

	a %= m;
	while (b > 0) {
		if (b & 1)
			r = (r >= m - a) ? r - (m - a) : r + a;
		a = (a >= m - a) ? a - (m - a) : a + a;
		b >>= 1;
	}
	return r;
}

static void
demo_perm_init(struct demo_perm *p, struct demo_rng *r, uint64_t m)
{
	p->m = m;
	p->b = demo_below(r, m);
	p->a = 1 + demo_below(r, m > 1 ? m - 1 : 1);
	while (demo_gcd(p->a, m) != 1)
		p->a = p->a + 1 < m ? p->a + 1 : 1;
}

/* The image of i; distinct for distinct i below m. */
static uint64_t
demo_perm_apply(const struct demo_perm *p, uint64_t i)
{
	if (p->m <= 1)
		return 0;
	return (demo_mulmod(p->a, i % p->m, p->m) + p->b) % p->m;
}

/* ---------------------------------------------------------------- dates */

struct demo_tm {
	int	year;
	int	month;		/* 1-12 */
	int	day;
	int	wday;		/* 0 is Sunday */
	int	hour;
	int	min;
	int	sec;
};

static int64_t
demo_floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t
demo_days_from_civil(int64_t y, int m, int d)
{
	int64_t	era, yoe, doy, doe;

	y -= m <= 2;
	era = demo_floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Break t (seconds since the epoch, already shifted to local time) down. */
static void
demo_civil(int64_t t, struct demo_tm *tm)
{
	int64_t	days, secs, z, era, doe, yoe, doy, mp;

	days = demo_floor_div(t, DEMO_DAY);
	secs = t - days * DEMO_DAY;
	tm->hour = (int)(secs / 3600);
	tm->min = (int)(secs / 60 % 60);
	tm->sec = (int)(secs % 60);
	tm->wday = (int)(((days % 7) + 11) % 7);
	z = days + 719468;
	era = demo_floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	tm->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	tm->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	tm->year = (int)(yoe + era * 400 + (tm->month <= 2));
}

/* The last Sunday of a month at 01:00 UTC, when EU clocks change. */
static int64_t
demo_eu_change(int year, int month)
{
	int64_t	last;
	int	wday;

	last = demo_days_from_civil(year, month, 31);
	wday = (int)(((last % 7) + 11) % 7);
	return (last - wday) * DEMO_DAY + 3600;
}

/* The UTC offset at t of a customer (or of the team, in Paris). */
static int
demo_offset_at(int tz, int eu, int64_t t)
{
	struct demo_tm	tm;

	if (!eu)
		return tz;
	demo_civil(t, &tm);
	if (t >= demo_eu_change(tm.year, 3) && t < demo_eu_change(tm.year, 10))
		return tz + 3600;
	return tz;
}

/* --------------------------------------------------------------- strings */

/*
 * The ASCII form of a name for an address: lower case, accents dropped,
 * anything else but letters and digits left out ("O'Brien" -> "obrien").
 */
static void
demo_ascii_fold(const char *s, char *out, size_t size)
{
	static const struct {
		uint32_t	 cp;
		const char	*ascii;
	} folds[] = {
		{ 0xe0, "a" }, { 0xe1, "a" }, { 0xe2, "a" }, { 0xe4, "a" },
		{ 0xe6, "ae" }, { 0xe7, "c" }, { 0xe8, "e" }, { 0xe9, "e" },
		{ 0xea, "e" }, { 0xeb, "e" }, { 0xec, "i" }, { 0xed, "i" },
		{ 0xee, "i" }, { 0xef, "i" }, { 0xf1, "n" }, { 0xf2, "o" },
		{ 0xf3, "o" }, { 0xf4, "o" }, { 0xf6, "o" }, { 0xf9, "u" },
		{ 0xfa, "u" }, { 0xfb, "u" }, { 0xfc, "u" }, { 0xff, "y" },
		{ 0x153, "oe" }
	};
	size_t		len = strlen(s), i, n, o = 0, j;
	uint32_t	cp;
	const char	*add;

	for (i = 0; i < len; i += n) {
		n = utf8_decode(s + i, len - i, &cp);
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		else if (cp >= 0xc0 && cp <= 0xde && cp != 0xd7)
			cp += 0x20;
		else if (cp == 0x152)
			cp = 0x153;
		add = NULL;
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			if (o + 1 < size)
				out[o++] = (char)cp;
			continue;
		}
		for (j = 0; j < nitems(folds); j++) {
			if (folds[j].cp == cp)
				add = folds[j].ascii;
		}
		for (; add != NULL && *add != '\0' && o + 1 < size; add++)
			out[o++] = *add;
	}
	out[o] = '\0';
}

/* Set a slot from a format. */
static void OMBRE_PRINTF(3, 4)
demo_slot_set(struct demo_conv *c, enum demo_slot slot, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(c->slot[slot], sizeof c->slot[slot], fmt, ap);
	va_end(ap);
}

static const char *
demo_lang_text(const struct demo_conv *c, const struct demo_pair *p)
{
	return c->lang == DEMO_FR ? p->fr : p->en;
}

/*
 * Pick the next phrase of a list for a role: each conversation starts
 * every role at its own place and goes round, so a long conversation does
 * not repeat itself before it has used the whole list.
 */
static const struct demo_pair *
demo_pick(struct demo_conv *c, int key, const struct demo_pair *v, size_t n)
{
	return &v[(c->salt[key] + c->turn[key]++) % n];
}
#define DEMO_PICK(c, key, a)		demo_pick((c), (key), (a), nitems(a))
#define DEMO_PICK_LIST(c, key, l)	demo_pick((c), (key), (l).v, (l).n)

/*
 * Append tmpl to b with its {slots} filled from the conversation. A slot
 * written with a capital ({Product}) gets its value's first letter in
 * capitals; an unknown name stays as it is written.
 */
static void
demo_expand(struct buf *b, const struct demo_conv *c, const char *tmpl)
{
	const char	*p, *open, *close;
	char		 name[32];
	size_t		 len, i;
	int		 cap;

	for (p = tmpl; (open = strchr(p, '{')) != NULL; p = close + 1) {
		buf_add(b, p, (size_t)(open - p));
		close = strchr(open, '}');
		if (close == NULL) {
			p = open;
			break;
		}
		len = (size_t)(close - open - 1);
		if (len == 0 || len >= sizeof name) {
			buf_add(b, open, (size_t)(close - open + 1));
			continue;
		}
		memcpy(name, open + 1, len);
		name[len] = '\0';
		cap = name[0] >= 'A' && name[0] <= 'Z';
		if (cap)
			name[0] = (char)(name[0] - 'A' + 'a');
		for (i = 0; i < DEMO_SLOT_COUNT; i++) {
			if (strcmp(name, demo_slot_names[i]) == 0)
				break;
		}
		if (i == DEMO_SLOT_COUNT) {
			buf_add(b, open, (size_t)(close - open + 1));
			continue;
		}
		if (cap && c->slot[i][0] >= 'a' && c->slot[i][0] <= 'z') {
			buf_add_char(b, (char)(c->slot[i][0] - 'a' + 'A'));
			buf_add_str(b, c->slot[i] + 1);
		} else
			buf_add_str(b, c->slot[i]);
	}
	buf_add_str(b, p);
}

/* ----------------------------------------------------------- the decks */

/*
 * Deal the cases and channels of one block of DEMO_BLOCK conversations:
 * the counts of the deck, shuffled (Fisher-Yates) by the block's own
 * generator. Recent blocks use the busy deck, older ones the quiet one.
 */
static void
demo_deal_block(struct demo_gen *g, long block)
{
	const struct demo_params	*p = g->params;
	const struct demo_deal		*deck;
	size_t				 n_deck, i, k, n = 0;
	struct demo_rng			 r;
	struct demo_deal		 t;
	const struct demo_channel	*tc;
	int				 j;

	if ((int64_t)block * 2 * DEMO_BLOCK < (int64_t)p->conversations) {
		deck = demo_deck_recent;
		n_deck = nitems(demo_deck_recent);
	} else {
		deck = demo_deck_old;
		n_deck = nitems(demo_deck_old);
	}
	for (i = 0; i < n_deck; i++) {
		for (j = 0; j < deck[i].count && n < DEMO_BLOCK; j++)
			g->deck[n++] = deck[i];
	}
	if (n != DEMO_BLOCK)
		/* a broken invariant, for the programmer: not translated */
		fatalx("demo: a deck of cases does not hold %d", DEMO_BLOCK);
	n = 0;
	for (i = 0; i < nitems(demo_channels); i++) {
		for (j = 0; j < demo_channels[i].deck && n < DEMO_BLOCK; j++)
			g->chan_deck[n++] = &demo_channels[i];
	}
	if (n != DEMO_BLOCK)
		/* a broken invariant, for the programmer: not translated */
		fatalx("demo: the deck of channels holds not %d", DEMO_BLOCK);

	demo_rng_seed(&r, p->seed, 2, (uint64_t)block);
	for (i = DEMO_BLOCK - 1; i > 0; i--) {
		k = (size_t)demo_below(&r, i + 1);
		t = g->deck[i];
		g->deck[i] = g->deck[k];
		g->deck[k] = t;
		k = (size_t)demo_below(&r, i + 1);
		tc = g->chan_deck[i];
		g->chan_deck[i] = g->chan_deck[k];
		g->chan_deck[k] = tc;
	}
	g->deck_block = block;
}

/* ------------------------------------------------------ the customer */

/* The hostile input conversation i carries, if any. */
static enum demo_hostile
demo_hostile_at(const struct demo_gen *g, long i)
{
	uint64_t	at;

	at = ((uint64_t)i + g->params->seed % DEMO_HOSTILE_EVERY) %
	    DEMO_HOSTILE_EVERY;
	if (at == DEMO_AT_ESCAPES)
		return DEMO_HOSTILE_ESCAPES;
	if (at == DEMO_AT_BIDI)
		return DEMO_HOSTILE_BIDI;
	if (at == DEMO_AT_ZALGO)
		return DEMO_HOSTILE_ZALGO;
	return DEMO_HOSTILE_NONE;
}

/*
 * Who writes: a name (into the first and name slots, and last when it
 * has one), its language and time zone, an ASCII handle for addresses.
 * Ordinary names come from the permuted index, so names (and with them
 * e-mail addresses and Matrix ids) repeat only after every first x last
 * pair was used, and then carry a number.
 */
static void
demo_conv_person(struct demo_gen *g, struct demo_conv *c, char *last,
    size_t last_size)
{
	const struct demo_world_name	*w;
	const char			*fn, *ln;
	uint64_t			 k, cycle, at;
	char				 f[40], l[40];
	size_t				 len;

	c->tz = 0;
	c->tz_eu = 1;
	last[0] = '\0';
	at = ((uint64_t)c->index + g->params->seed % DEMO_WORLD_EVERY) %
	    DEMO_WORLD_EVERY;
	if (c->hostile == DEMO_HOSTILE_ESCAPES) {
		c->lang = DEMO_EN;
		demo_slot_set(c, DEMO_SLOT_FIRST, "%s", DEMO_HOSTILE_NAME);
		demo_slot_set(c, DEMO_SLOT_NAME, "%s", DEMO_HOSTILE_NAME);
		snprintf(c->handle, sizeof c->handle, "eve.h%ld",
		    c->index / DEMO_HOSTILE_EVERY);
		return;
	}
	if (at == DEMO_AT_WORLD) {
		cycle = (uint64_t)c->index / DEMO_WORLD_EVERY;
		w = &demo_world_names[cycle % nitems(demo_world_names)];
		cycle /= nitems(demo_world_names);
		c->lang = DEMO_EN;
		c->tz = w->utc_offset;
		c->tz_eu = w->eu_summer;
		demo_slot_set(c, DEMO_SLOT_FIRST, "%s", w->first);
		demo_slot_set(c, DEMO_SLOT_NAME, "%s", w->name);
		if (cycle == 0)
			snprintf(c->handle, sizeof c->handle, "%s", w->handle);
		else {
			snprintf(c->handle, sizeof c->handle, "%s.%llu",
			    w->handle, (unsigned long long)cycle);
		}
		return;
	}

	k = demo_perm_apply(&g->names, (uint64_t)c->index % g->names_all);
	cycle = (uint64_t)c->index / g->names_all;
	if (k < g->names_fr) {
		c->lang = DEMO_FR;
		c->tz = 3600;
		fn = demo_first_fr[k / nitems(demo_last_fr)];
		ln = demo_last_fr[k % nitems(demo_last_fr)];
	} else {
		k -= g->names_fr;
		c->lang = DEMO_EN;
		fn = demo_first_en[k / nitems(demo_last_en)];
		ln = demo_last_en[k % nitems(demo_last_en)];
	}
	demo_slot_set(c, DEMO_SLOT_FIRST, "%s", fn);
	demo_slot_set(c, DEMO_SLOT_NAME, "%s %s", fn, ln);
	snprintf(last, last_size, "%s", ln);

	demo_ascii_fold(fn, f, sizeof f);
	demo_ascii_fold(ln, l, sizeof l);
	snprintf(c->handle, sizeof c->handle, "%s%s%s", f,
	    demo_chance(&c->rng, 70) ? "." : "_", l);
	len = strlen(c->handle);
	if (demo_chance(&c->rng, 25)) {
		snprintf(c->handle + len, sizeof c->handle - len, "%02d",
		    (int)demo_range(&c->rng, 60, 105) % 100);
		len = strlen(c->handle);
	}
	if (cycle > 0) {
		snprintf(c->handle + len, sizeof c->handle - len, ".%llu",
		    (unsigned long long)cycle);
	}
}

/* The bytes of the first character of s, for "Amélie G.". */
static size_t
demo_first_char(const char *s)
{
	uint32_t	cp;

	if (*s == '\0')
		return 0;
	return utf8_decode(s, strlen(s), &cp);
}

/*
 * The customer's ids on the channel, and the name the channel shows:
 * Telegram numeric chat ids, WhatsApp phone numbers, Messenger PSIDs,
 * LINE user ids, SMS numbers, Matrix rooms and users, e-mail addresses.
 */
static void
demo_conv_ids(struct demo_gen *g, struct demo_conv *c, const char *last)
{
	struct demo_rng		*r = &c->rng;
	uint64_t		 i = (uint64_t)c->index;
	unsigned long long	 fr = demo_perm_apply(&g->phone_fr, i);
	unsigned long long	 en = demo_perm_apply(&g->phone_en, i);
	const char		*first = c->slot[DEMO_SLOT_FIRST];
	const char		*full = c->slot[DEMO_SLOT_NAME];
	const char		*domain;
	char			 room[24], hex[32];
	int			 v;

	if (c->lang == DEMO_FR)
		domain = demo_domains_fr[demo_below(r,
		    nitems(demo_domains_fr))];
	else
		domain = demo_domains_en[demo_below(r,
		    nitems(demo_domains_en))];
	demo_slot_set(c, DEMO_SLOT_EMAIL, "%s@%s", c->handle, domain);

	switch (c->chan->type) {
	case DEMO_TELEGRAM:
		snprintf(c->conv_id, sizeof c->conv_id, "%llu",
		    (unsigned long long)(1000000000ULL +
		    demo_perm_apply(&g->telegram, i)));
		break;
	case DEMO_WHATSAPP:
		if (c->lang == DEMO_FR) {
			snprintf(c->conv_id, sizeof c->conv_id, "33%c%08llu",
			    demo_chance(r, 70) ? '6' : '7', fr);
		} else {
			snprintf(c->conv_id, sizeof c->conv_id, "447%09llu",
			    en);
		}
		break;
	case DEMO_MESSENGER:
		snprintf(c->conv_id, sizeof c->conv_id, "%d%015llu",
		    (int)demo_range(r, 1, 9),
		    (unsigned long long)demo_perm_apply(&g->psid, i));
		break;
	case DEMO_LINE:
		demo_rand_chars(r, hex, 24, demo_hex, 4);
		snprintf(c->conv_id, sizeof c->conv_id, "U%s%08llx", hex,
		    (unsigned long long)demo_perm_apply(&g->line, i));
		break;
	case DEMO_SMS:
		if (c->lang == DEMO_FR) {
			snprintf(c->conv_id, sizeof c->conv_id, "+33%c%08llu",
			    demo_chance(r, 70) ? '6' : '7', fr);
		} else {
			snprintf(c->conv_id, sizeof c->conv_id, "+447%09llu",
			    en);
		}
		break;
	case DEMO_MATRIX:
		/* Room ids are opaque letters; users have their own server. */
		demo_rand_chars(r, room, 18, demo_b64url, 5);
		snprintf(c->conv_id, sizeof c->conv_id, "!%s:example.org",
		    room);
		snprintf(c->from_id, sizeof c->from_id, "@%s:%s", c->handle,
		    demo_chance(r, 60) ? "matrix.org" : "example.org");
		break;
	case DEMO_EMAIL:
		snprintf(c->conv_id, sizeof c->conv_id, "%s",
		    c->slot[DEMO_SLOT_EMAIL]);
		break;
	}
	if (c->chan->type != DEMO_MATRIX)
		snprintf(c->from_id, sizeof c->from_id, "%s", c->conv_id);

	/* What the channel shows: apps have nicknames, SMS often nothing. */
	v = (int)demo_below(r, 100);
	if (c->chan->type == DEMO_EMAIL || c->chan->type == DEMO_MESSENGER ||
	    last[0] == '\0')
		snprintf(c->from_name, sizeof c->from_name, "%s", full);
	else if (c->chan->type == DEMO_SMS)
		snprintf(c->from_name, sizeof c->from_name, "%s",
		    v < 50 ? c->conv_id : full);
	else if (v < 55)
		snprintf(c->from_name, sizeof c->from_name, "%s", full);
	else if (v < 70)
		snprintf(c->from_name, sizeof c->from_name, "%s", first);
	else if (v < 85) {
		snprintf(c->from_name, sizeof c->from_name, "%s %.*s.", first,
		    (int)demo_first_char(last), last);
	} else {
		snprintf(c->from_name, sizeof c->from_name, "%s %s",
		    v < 93 ? first : full,
		    demo_name_emoji[demo_below(r, nitems(demo_name_emoji))]);
	}
}

/* --------------------------------------------------------- the script */

static void
demo_beats_reserve(struct demo_gen *g, size_t n)
{
	if (n <= g->cap_beats)
		return;
	g->beats = xreallocarray(g->beats, n, sizeof *g->beats);
	g->cap_beats = n;
}

static void
demo_beats_insert(struct demo_gen *g, size_t at, enum demo_role role, int prio)
{
	struct demo_beat	*b;

	demo_beats_reserve(g, g->n_beats + 1);
	memmove(&g->beats[at + 1], &g->beats[at],
	    (g->n_beats - at) * sizeof *g->beats);
	g->n_beats++;
	b = &g->beats[at];
	memset(b, 0, sizeof *b);
	b->role = role;
	b->prio = prio;
}

static int
demo_is_fill(enum demo_role role)
{
	return role == DEMO_FILL_BOT || role == DEMO_FILL_AGENT;
}

/* How many messages conversation c has. */
static size_t
demo_conv_length(const struct demo_gen *g, struct demo_conv *c)
{
	int	total = 0, pick;
	size_t	i;

	if (g->params->messages_per_conversation > 0)
		return (size_t)g->params->messages_per_conversation;
	for (i = 0; i < nitems(demo_length_weights); i++)
		total += demo_length_weights[i];
	pick = (int)demo_below(&c->rng, (uint64_t)total);
	for (i = 0; i < nitems(demo_length_weights); i++) {
		pick -= demo_length_weights[i];
		if (pick < 0)
			break;
	}
	return DEMO_LENGTH_MIN + i;
}

/*
 * Lay out the beats of conversation c: the steps of its case's script
 * that its conditions keep; then, while there are too many, drop the
 * latest of the least needed; then pad at the fill mark with exchanges
 * between the customer and whoever answers (the bot or an agent),
 * starting with whoever did not speak last, and a lone customer message
 * when the count is odd.
 */
static void
demo_conv_script(struct demo_gen *g, struct demo_conv *c)
{
	const struct demo_script	*s = &demo_scripts[c->kase];
	size_t				 want, i, count, fill, drop, k;
	enum demo_role			 owner, customer, first, second;
	enum msg_kind			 prev;
	int				 worst;

	want = demo_conv_length(g, c);
	g->n_beats = 0;
	demo_beats_reserve(g, s->n + want + 1);
	for (i = 0; i < s->n; i++) {
		if ((s->steps[i].when & ~c->when) != 0)
			continue;
		demo_beats_insert(g, g->n_beats, s->steps[i].role,
		    c->note && s->steps[i].role == DEMO_NOTE ? 1 :
		    s->steps[i].prio);
	}

	for (;;) {
		count = 0;
		worst = -1;
		drop = 0;
		for (i = 0; i < g->n_beats; i++) {
			if (demo_is_fill(g->beats[i].role))
				continue;
			count++;
			if (g->beats[i].prio >= worst) {
				worst = g->beats[i].prio;
				drop = i;
			}
		}
		if (count <= want || worst <= 0)
			break;
		memmove(&g->beats[drop], &g->beats[drop + 1],
		    (g->n_beats - drop - 1) * sizeof *g->beats);
		g->n_beats--;
	}

	/* Every script has one fill mark, kept by its prio 0: pad there. */
	for (fill = 0; fill < g->n_beats; fill++) {
		if (demo_is_fill(g->beats[fill].role))
			break;
	}
	if (fill == g->n_beats)
		/* a broken invariant, for the programmer: not translated */
		fatalx("demo: a script without a fill mark");
	if (g->beats[fill].role == DEMO_FILL_BOT) {
		owner = DEMO_B_FILL;
		customer = DEMO_C_TO_BOT;
	} else {
		owner = DEMO_A_FILL;
		customer = DEMO_C_FILL;
	}
	memmove(&g->beats[fill], &g->beats[fill + 1],
	    (g->n_beats - fill - 1) * sizeof *g->beats);
	g->n_beats--;
	prev = MSG_BOT;
	for (k = fill; k > 0; k--) {
		if (g->beats[k - 1].role != DEMO_NOTE) {
			prev = demo_role_kind[g->beats[k - 1].role];
			break;
		}
	}
	first = prev == MSG_CUSTOMER ? owner : customer;
	second = prev == MSG_CUSTOMER ? customer : owner;
	for (k = fill; g->n_beats + 2 <= want; k += 2) {
		demo_beats_insert(g, k, first, 2);
		demo_beats_insert(g, k + 1, second, 2);
	}
	if (g->n_beats < want)
		demo_beats_insert(g, k, customer, 2);

	c->greeted = 0;
	for (i = 0; i < g->n_beats; i++) {
		if (g->beats[i].role == DEMO_C_GREET)
			c->greeted = 1;
	}
}

/*
 * Which customer messages someone has read (they get -unread). Done
 * conversations are read as a whole through their conversation tags;
 * a handoff nobody has seen; elsewhere what came before the last answer
 * was read, and what came after it maybe not yet.
 */
static void
demo_conv_read(struct demo_gen *g, struct demo_conv *c)
{
	size_t	i, last_answer = 0;
	int	answered = 0, all = 0, trailing = 0;

	switch (c->kase) {
	case DEMO_CASE_SNOOZED:
		all = 1;
		break;
	case DEMO_CASE_BOT:
		all = c->read;
		break;
	case DEMO_CASE_HUMAN:
		trailing = demo_chance(&c->rng, 30);
		break;
	case DEMO_CASE_OPEN:
		break;
	case DEMO_CASE_HANDOFF:
	case DEMO_CASE_BOT_DONE:
	case DEMO_CASE_DONE:
		return;
	}
	for (i = 0; i < g->n_beats; i++) {
		if (demo_role_kind[g->beats[i].role] == MSG_AGENT) {
			last_answer = i;
			answered = 1;
		}
	}
	for (i = 0; i < g->n_beats; i++) {
		if (demo_role_kind[g->beats[i].role] != MSG_CUSTOMER)
			continue;
		g->beats[i].read = all || trailing ||
		    (answered && i < last_answer);
	}
}

/* ---------------------------------------------------------- the dates */

/*
 * Seconds between the message before (of role from) and this one (of role
 * to, the first agent message when first_answer): bots answer in seconds,
 * customers type in a minute or two, the first human answer takes a
 * while, e-mail is slower than chat.
 */
static int64_t
demo_gap(struct demo_conv *c, enum demo_role from, enum demo_role to,
    int first_answer)
{
	struct demo_rng	*r = &c->rng;
	enum msg_kind	 kf = demo_role_kind[from], kt = demo_role_kind[to];
	int64_t		 gap;
	int		 slow = c->chan->type == DEMO_EMAIL ? 6 : 1;

	if (kt == MSG_BOT)
		return demo_range(r, 1, kf == MSG_BOT ? 3 : 6);
	if (kt == MSG_NOTE)
		return demo_range(r, 20, 300);
	if (to == DEMO_C_WAIT) {
		if (demo_chance(r, 10))
			return demo_range(r, 14 * 3600, 20 * 3600);
		return demo_range(r, 600, 7200);
	}
	if (kt == MSG_CUSTOMER) {
		if (kf == MSG_BOT)
			gap = demo_range(r, 10, 240);
		else if (kf == MSG_CUSTOMER)
			gap = demo_range(r, 4, 90);
		/* Some say thanks the next day, whatever the channel. */
		else if (to == DEMO_C_THANKS && demo_chance(r, 10))
			return demo_range(r, 8 * 3600, 20 * 3600);
		else
			gap = demo_range(r, 60, 2400);
		return gap * slow;
	}
	if (first_answer)
		gap = demo_range(r, 120, kf == MSG_BOT ? 5400 : 14400);
	else if (kf == MSG_CUSTOMER)
		gap = demo_range(r, 40, 900);
	else
		gap = demo_range(r, 15, 240);
	return gap * slow;
}

/*
 * Date the beats: the last at now minus the conversation's age, the
 * others counted back by demo_gap(). Conversation 0 is the newest; the
 * age grows with the square of the rank, so recent activity is denser.
 * A very long conversation is squeezed to stay within DEMO_HORIZON.
 */
static void
demo_conv_dates(struct demo_gen *g, struct demo_conv *c)
{
	const struct demo_params	*p = g->params;
	int64_t				 u, age, t, first, last, floor_date;
	size_t				 k, first_answer;

	for (first_answer = 0; first_answer < g->n_beats; first_answer++) {
		if (demo_role_kind[g->beats[first_answer].role] == MSG_AGENT)
			break;
	}
	/* u in millionths, in integers so every machine gets the same. */
	u = ((int64_t)c->index * 1000 + (int64_t)demo_below(&c->rng, 1000)) *
	    1000 / p->conversations;
	age = 45 + DEMO_SPREAD * u / 1000000 * u / 1000000;
	t = p->now - age;
	for (k = g->n_beats; k > 0; k--) {
		g->beats[k - 1].date = t;
		if (k > 1)
			t -= demo_gap(c, g->beats[k - 2].role,
			    g->beats[k - 1].role, k - 1 == first_answer);
	}

	first = g->beats[0].date;
	last = g->beats[g->n_beats - 1].date;
	floor_date = p->now - DEMO_HORIZON;
	if (first < floor_date && last > floor_date) {
		for (k = 0; k < g->n_beats; k++) {
			g->beats[k].date = last - (last - g->beats[k].date) *
			    (last - floor_date) / (last - first);
		}
	}
	if (c->kase == DEMO_CASE_SNOOZED) {
		t = p->now + demo_range(&c->rng, 3600, 3 * DEMO_DAY);
		c->snooze_until = t - t % 900 + 900;
	} else
		c->snooze_until = 0;
}

/* ---------------------------------------------------------- the slots */

static int
demo_starts_with_vowel(const char *s)
{
	return (s[0] != '\0' && strchr("aeiouhAEIOUH", s[0]) != NULL) ||
	    (unsigned char)s[0] == 0xc3;	/* é, É and the like */
}

/* Fill the slots that the phrases of conversation c use. */
static void
demo_conv_slots(struct demo_gen *g, struct demo_conv *c)
{
	struct demo_rng			*r = &c->rng;
	const struct demo_product	*pr;
	const struct demo_pair		*pair;
	const char			*shape, *name;
	struct demo_tm			 tm;
	int64_t				 t;
	size_t				 i, ci;
	char				*out;

	demo_slot_set(c, DEMO_SLOT_AGENT, "%s", c->agent->first);
	demo_slot_set(c, DEMO_SLOT_BRAND, "%s", DEMO_BRAND);
	demo_slot_set(c, DEMO_SLOT_ORDER, "#%s-%05d",
	    c->lang == DEMO_FR ? "FR" : "UK", (int)demo_range(r, 10000, 99999));

	pr = &demo_products[demo_below(r, nitems(demo_products))];
	if (c->lang == DEMO_FR) {
		name = pr->fr;
		if (demo_starts_with_vowel(name))
			demo_slot_set(c, DEMO_SLOT_PRODUCT, "l'%s", name);
		else
			demo_slot_set(c, DEMO_SLOT_PRODUCT, "%s %s",
			    pr->fr_feminine ? "la" : "le", name);
		demo_slot_set(c, DEMO_SLOT_APRODUCT, "%s %s",
		    pr->fr_feminine ? "une" : "un", name);
		demo_slot_set(c, DEMO_SLOT_MYPRODUCT, "%s %s",
		    pr->fr_feminine && !demo_starts_with_vowel(name) ? "ma" :
		    "mon", name);
		demo_slot_set(c, DEMO_SLOT_PRICE, "%d,%02d\xc2\xa0€",
		    pr->cents / 100, pr->cents % 100);
	} else {
		name = pr->en;
		demo_slot_set(c, DEMO_SLOT_PRODUCT, "the %s", name);
		demo_slot_set(c, DEMO_SLOT_APRODUCT, "%s %s",
		    strchr("AEIOU", name[0]) != NULL ? "an" : "a", name);
		demo_slot_set(c, DEMO_SLOT_MYPRODUCT, "my %s", name);
		demo_slot_set(c, DEMO_SLOT_PRICE, "£%d.%02d",
		    pr->cents / 100, pr->cents % 100);
	}
	demo_slot_set(c, DEMO_SLOT_PNAME, "%s", name);

	ci = (size_t)demo_below(r, nitems(demo_carriers));
	demo_slot_set(c, DEMO_SLOT_CARRIER, "%s",
	    demo_lang_text(c, &demo_carriers[ci]));
	shape = demo_lang_text(c, &demo_tracking_shapes[ci]);
	out = c->slot[DEMO_SLOT_TRACKING];
	for (i = 0; shape[i] != '\0' && i + 1 < sizeof c->slot[0]; i++) {
		if (shape[i] == '#')
			out[i] = (char)('0' + demo_below(r, 10));
		else if (shape[i] == '@')
			out[i] = (char)('A' + demo_below(r, 26));
		else
			out[i] = shape[i];
	}
	out[i] = '\0';

	pair = &demo_stores[demo_below(r, nitems(demo_stores))];
	demo_slot_set(c, DEMO_SLOT_STORE, "%s", demo_lang_text(c, pair));
	pair = &demo_codes[demo_below(r, nitems(demo_codes))];
	demo_slot_set(c, DEMO_SLOT_CODE, "%s", demo_lang_text(c, pair));
	pair = &demo_plans[demo_below(r, nitems(demo_plans))];
	demo_slot_set(c, DEMO_SLOT_PLAN, "%s", demo_lang_text(c, pair));

	/* The order was placed some days before the conversation began. */
	t = g->beats[0].date - demo_range(r, 2, 12) * DEMO_DAY;
	demo_civil(t + demo_offset_at(c->tz, c->tz_eu, t), &tm);
	if (c->lang == DEMO_FR)
		demo_slot_set(c, DEMO_SLOT_ODATE, "le %d%s %s", tm.day,
		    tm.day == 1 ? "er" : "", demo_months[tm.month - 1].fr);
	else
		demo_slot_set(c, DEMO_SLOT_ODATE, "on %d %s", tm.day,
		    demo_months[tm.month - 1].en);
	t = g->beats[g->n_beats - 1].date;
	demo_civil(t, &tm);
	c->year = tm.year;
	demo_slot_set(c, DEMO_SLOT_INVOICE, "%s-%d-%05d",
	    c->lang == DEMO_FR ? "FA" : "INV", c->year,
	    (int)demo_range(r, 100, 29999));

	/* Deliveries come in a few days, never on a Sunday. */
	t += demo_range(r, 1, 4) * DEMO_DAY;
	demo_civil(t + demo_offset_at(c->tz, c->tz_eu, t), &tm);
	if (tm.wday == 0)
		tm.wday = 1;
	if (c->lang == DEMO_FR) {
		demo_slot_set(c, DEMO_SLOT_ETA, "%s",
		    demo_weekdays[tm.wday].fr);
	} else {
		demo_slot_set(c, DEMO_SLOT_ETA, "on %s",
		    demo_weekdays[tm.wday].en);
	}

	demo_slot_set(c, DEMO_SLOT_TICKET, "SUP-%d",
	    (int)demo_range(r, 1000, 9999));
	demo_slot_set(c, DEMO_SLOT_LAST4, "%04d", (int)demo_range(r, 0, 9999));
	demo_slot_set(c, DEMO_SLOT_WAIT, "%d", (int)demo_range(r, 2, 15));
	demo_slot_set(c, DEMO_SLOT_HELP, "%s", c->lang == DEMO_FR ?
	    "https://aide.example.com" : "https://help.example.com");
}

/* ----------------------------------------------------------- the tags */

static void
demo_tag(struct demo_conv *c, const char *tag)
{
	if (c->n_tags >= DEMO_TAGS_MAX)
		return;
	snprintf(c->tag_text[c->n_tags], sizeof c->tag_text[0], "%s", tag);
	c->tags[c->n_tags] = c->tag_text[c->n_tags];
	c->tags[++c->n_tags] = NULL;
}

/*
 * The conversation-level tag operations, applied by the store after its
 * defaults (customer messages get inbox and unread): where the
 * conversation is, who has it, how urgent, and its labels.
 */
static void
demo_conv_tags(struct demo_conv *c)
{
	char		 assigned[64];
	const char	*const *label;

	c->n_tags = 0;
	c->tags[0] = NULL;
	if (c->kase == DEMO_CASE_DONE || c->kase == DEMO_CASE_BOT_DONE) {
		demo_tag(c, "-inbox");
		demo_tag(c, "-unread");
		demo_tag(c, "ombre/done");
	}
	if (c->kase == DEMO_CASE_SNOOZED) {
		demo_tag(c, "-inbox");
		demo_tag(c, "ombre/snoozed");
	}
	if (c->kase == DEMO_CASE_BOT || c->kase == DEMO_CASE_BOT_DONE)
		demo_tag(c, "ombre/bot");
	if (c->kase == DEMO_CASE_HANDOFF)
		demo_tag(c, "ombre/handoff");
	if (c->kase == DEMO_CASE_HUMAN || c->kase == DEMO_CASE_SNOOZED ||
	    c->kase == DEMO_CASE_DONE) {
		snprintf(assigned, sizeof assigned, "%s%s",
		    TRIAGE_ASSIGNED_PREFIX, c->agent->login);
		demo_tag(c, assigned);
	}
	if (c->prio)
		demo_tag(c, "ombre/prio/high");
	/* Nobody has triaged a new conversation yet, half the time. */
	if (c->kase != DEMO_CASE_OPEN || demo_chance(&c->rng, 50)) {
		for (label = c->topic->labels; *label != NULL; label++)
			demo_tag(c, *label);
	}
	if (demo_chance(&c->rng, 4))
		demo_tag(c, "vip");
}

/* ----------------------------------------------------- the conversation */

/* Pick a topic by weight, among those the bot can answer when it must. */
static const struct demo_topic *
demo_pick_topic(struct demo_conv *c, int bot_only)
{
	int	total = 0, pick;
	size_t	i;

	for (i = 0; i < nitems(demo_topics); i++) {
		if (!bot_only || demo_topics[i].bot_ok)
			total += demo_topics[i].weight;
	}
	pick = (int)demo_below(&c->rng, (uint64_t)total);
	for (i = 0; i < nitems(demo_topics); i++) {
		if (bot_only && !demo_topics[i].bot_ok)
			continue;
		pick -= demo_topics[i].weight;
		if (pick < 0)
			return &demo_topics[i];
	}
	return &demo_topics[0];
}

/* Decide everything about conversation i before its first message. */
static void
demo_conv_init(struct demo_gen *g, long i)
{
	struct demo_conv	*c = &g->conv;
	struct demo_rng		*r;
	char			 last[64];
	long			 block = i / DEMO_BLOCK;
	size_t			 k;

	if (block != g->deck_block)
		demo_deal_block(g, block);
	memset(c, 0, sizeof *c);
	c->index = i;
	r = &c->rng;
	demo_rng_seed(r, g->params->seed, 1, (uint64_t)i);
	for (k = 0; k < DEMO_PICK_COUNT; k++)
		c->salt[k] = (unsigned)demo_below(r, 1u << 16);

	c->kase = g->deck[i % DEMO_BLOCK].kase;
	c->prio = g->deck[i % DEMO_BLOCK].prio;
	c->chan = g->chan_deck[i % DEMO_BLOCK];
	c->hostile = demo_hostile_at(g, i);
	c->agent = &demo_agents[demo_below(r, nitems(demo_agents))];
	c->topic = demo_pick_topic(c, c->kase == DEMO_CASE_BOT ||
	    c->kase == DEMO_CASE_BOT_DONE);
	/* Half the urgent ones are customers threatening to go public. */
	if (c->prio && demo_chance(r, 50)) {
		for (k = 0; k < nitems(demo_topics); k++) {
			if (demo_topics[k].always_prio)
				c->topic = &demo_topics[k];
		}
	}
	if (c->topic->always_prio)
		c->prio = 1;

	c->when = c->chan->type == DEMO_EMAIL ? 0 : DEMO_IF_CHAT;
	if (demo_chance(r, c->chan->type == DEMO_EMAIL ? 20 : 60))
		c->when |= DEMO_IF_VIA_BOT;
	c->note = g->deck[i % DEMO_BLOCK].note;
	if (c->note || demo_chance(r, 35))
		c->when |= DEMO_IF_NOTE;
	c->when |= demo_chance(r, 55) ? DEMO_IF_ASKS : DEMO_IF_GIVES_UP;
	c->when |= demo_chance(r, 50) ? DEMO_IF_LAST_WORD : DEMO_IF_AGENT_LAST;
	c->read = demo_chance(r, 50);
	c->seq = (uint64_t)demo_range(r, 2, 3000);
	if (c->chan->type == DEMO_LINE)
		c->seq = 480000000000000000ULL +
		    demo_below(r, 20000000000000000ULL);

	demo_conv_person(g, c, last, sizeof last);
	demo_conv_ids(g, c, last);
	demo_conv_script(g, c);
	demo_conv_read(g, c);
	demo_conv_dates(g, c);
	demo_conv_slots(g, c);
	demo_conv_tags(c);

	if (c->chan->type == DEMO_EMAIL) {
		buf_reset(&g->text);
		if (c->hostile == DEMO_HOSTILE_ESCAPES)
			buf_add_str(&g->text, DEMO_HOSTILE_CSI);
		demo_expand(&g->text, c, demo_lang_text(c, DEMO_PICK_LIST(c,
		    DEMO_PICK_SUBJECT, c->topic->subject)));
		snprintf(c->title, sizeof c->title, "%s", g->text.data);
	} else
		snprintf(c->title, sizeof c->title, "%s", c->from_name);
}

/* -------------------------------------------------------- the messages */

/* The channel's own id for beat k, which carries media or not. */
static void
demo_msg_id(struct demo_conv *c, struct demo_beat *b, size_t k, int media)
{
	struct demo_rng	*r = &c->rng;
	char		 s[64];

	if (b->role == DEMO_NOTE) {
		demo_rand_chars(r, s, 16, demo_hex, 4);
		snprintf(b->id, sizeof b->id, "note.%s", s);
		return;
	}
	switch (c->chan->type) {
	case DEMO_TELEGRAM:
		snprintf(b->id, sizeof b->id, "%llu",
		    (unsigned long long)c->seq++);
		break;
	case DEMO_WHATSAPP:
		demo_rand_chars(r, s, 48, demo_b64url, 6);
		snprintf(b->id, sizeof b->id, "wamid.HBgL%s", s);
		break;
	case DEMO_MESSENGER:
		demo_rand_chars(r, s, 43, demo_b64url, 6);
		snprintf(b->id, sizeof b->id, "m_%s", s);
		break;
	case DEMO_LINE:
		c->seq += (uint64_t)demo_range(r, 1000000, 900000000);
		snprintf(b->id, sizeof b->id, "%llu",
		    (unsigned long long)c->seq);
		break;
	case DEMO_SMS:
		demo_rand_chars(r, s, 32, demo_hex, 4);
		snprintf(b->id, sizeof b->id, "%s%s", media ? "MM" : "SM", s);
		break;
	case DEMO_MATRIX:
		demo_rand_chars(r, s, 43, demo_b64url, 6);
		snprintf(b->id, sizeof b->id, "$%s", s);
		break;
	case DEMO_EMAIL:
		demo_rand_chars(r, s, 16, demo_hex, 4);
		snprintf(b->id, sizeof b->id, "<%s.%zu@mail.example>", s, k);
		break;
	}
}

/*
 * Where the channel keeps a file: Telegram file ids, WhatsApp media ids,
 * Messenger CDN addresses, LINE content ids, Twilio media, Matrix mxc
 * URIs. An e-mail attachment is in the message itself: NULL.
 */
static char *
demo_media_url(struct demo_conv *c, const char *msg_id,
    enum demo_attach_kind kind, const char *ext)
{
	struct demo_rng	*r = &c->rng;
	int64_t		 n[3];
	char		 s[48];

	switch (c->chan->type) {
	case DEMO_TELEGRAM:
		demo_rand_chars(r, s, 40, demo_b64url, 6);
		return xasprintf("tg-file:%s%s", kind == DEMO_MEDIA_VOICE ?
		    "AwACAgQAAxkBAAI" : kind == DEMO_MEDIA_DOCUMENT ?
		    "BQACAgQAAxkBAAI" : "AgACAgQAAxkBAAI", s);
	case DEMO_WHATSAPP:
		return xasprintf("wa-media:%llu", (unsigned long long)
		    demo_range(r, 100000000000000LL, 9999999999999999LL));
	case DEMO_MESSENGER:
		/* One draw per statement: argument order is unspecified. */
		n[0] = demo_range(r, 100000000, 999999999);
		n[1] = demo_range(r, 1000000000000000LL, 9999999999999999LL);
		n[2] = demo_range(r, 1000000000000000LL, 9999999999999999LL);
		return xasprintf("https://scontent.xx.fbcdn.net/v/t1.15752-9/"
		    "%lld_%lld_%lld_n.%s", (long long)n[0], (long long)n[1],
		    (long long)n[2], ext);
	case DEMO_LINE:
		return xasprintf("line-content:%s", msg_id);
	case DEMO_SMS:
		demo_rand_chars(r, s, 32, demo_hex, 4);
		return xasprintf("https://api.twilio.com/2010-04-01/Accounts/"
		    DEMO_TWILIO_SID "/Messages/%s/Media/ME%s", msg_id, s);
	case DEMO_MATRIX:
		demo_rand_chars(r, s, 24, demo_b64url, 5);
		return xasprintf("mxc://example.org/%s", s);
	case DEMO_EMAIL:
		return NULL;
	}
	return NULL;
}

/* A file of the given kind: a name as the sender's device makes it. */
struct demo_file {
	char				 name[192];
	const char			*mime;
	const char			*ext;
	int64_t				 size;
	enum demo_attach_kind		 kind;
};

static void
demo_file_customer(struct demo_conv *c, enum demo_attach topic_kind,
    int64_t date, struct demo_file *f)
{
	struct demo_rng	*r = &c->rng;
	struct demo_tm	 tm;

	demo_civil(date - demo_range(r, 5, 600) +
	    demo_offset_at(c->tz, c->tz_eu, date), &tm);
	if (topic_kind == DEMO_ATTACH_PHOTO) {
		f->kind = DEMO_MEDIA_PHOTO;
		f->mime = "image/jpeg";
		f->ext = "jpg";
		f->size = demo_range(r, 150000, 3500000);
		if (demo_chance(r, 50))
			snprintf(f->name, sizeof f->name,
			    "IMG_%04d%02d%02d_%02d%02d%02d.jpg", tm.year,
			    tm.month, tm.day, tm.hour, tm.min, tm.sec);
		else
			snprintf(f->name, sizeof f->name, "IMG_%04d.JPG",
			    (int)demo_range(r, 1, 9999));
		return;
	}
	f->kind = DEMO_MEDIA_SCREENSHOT;
	f->mime = "image/png";
	f->ext = "png";
	f->size = demo_range(r, 80000, 1200000);
	if (demo_chance(r, 50))
		snprintf(f->name, sizeof f->name,
		    "Screenshot_%04d%02d%02d-%02d%02d%02d.png", tm.year,
		    tm.month, tm.day, tm.hour, tm.min, tm.sec);
	else if (c->lang == DEMO_FR)
		snprintf(f->name, sizeof f->name,
		    "Capture d’écran %04d-%02d-%02d à %02d.%02d.%02d.png",
		    tm.year, tm.month, tm.day, tm.hour, tm.min, tm.sec);
	else
		snprintf(f->name, sizeof f->name,
		    "Screenshot %04d-%02d-%02d at %02d.%02d.%02d.png",
		    tm.year, tm.month, tm.day, tm.hour, tm.min, tm.sec);
}

static void
demo_file_document(struct demo_conv *c, enum demo_attach_out out,
    struct demo_file *f)
{
	int	fr = c->lang == DEMO_FR;

	f->kind = DEMO_MEDIA_DOCUMENT;
	f->mime = "application/pdf";
	f->ext = "pdf";
	f->size = demo_range(&c->rng, 38000, 140000);
	switch (out) {
	case DEMO_OUT_INVOICE:
	case DEMO_OUT_NONE:
		snprintf(f->name, sizeof f->name, "%s-%s.pdf",
		    fr ? "Facture" : "Invoice", c->slot[DEMO_SLOT_INVOICE]);
		break;
	case DEMO_OUT_LABEL:
		snprintf(f->name, sizeof f->name, "%s-%s.pdf",
		    fr ? "Etiquette-retour" : "Return-label",
		    c->slot[DEMO_SLOT_ORDER] + 1);
		break;
	case DEMO_OUT_CREDIT:
		snprintf(f->name, sizeof f->name, "%s-%d-%05d.pdf",
		    fr ? "Avoir-AV" : "Credit-note-CN", c->year,
		    (int)demo_range(&c->rng, 100, 29999));
		break;
	}
}

static void
demo_msg_attach(struct msg *m, const struct demo_file *f, char *url)
{
	msg_add_attachment(m, f->name, f->mime, f->size, url);
	free(url);
}

/* Letters buried under 5 to 12 combining marks each (U+0300-U+036F). */
static void
demo_add_zalgo(struct buf *b, struct demo_conv *c, const char *s)
{
	char	enc[4];
	int	n, i;

	for (; *s != '\0'; s++) {
		buf_add_char(b, *s);
		if (*s == ' ')
			continue;
		n = (int)demo_range(&c->rng, 5, 12);
		for (i = 0; i < n; i++) {
			buf_add(b, enc, utf8_encode(0x300 +
			    (uint32_t)demo_below(&c->rng, 0x70), enc));
		}
	}
}

/*
 * Append a customer's opening phrase; on chat, maybe after a greeting in
 * the same message, the phrase's first letter lowered in French.
 */
static void
demo_add_open(struct demo_gen *g, struct demo_conv *c, const char *phrase)
{
	struct buf	*b = &g->text;
	size_t		 at;

	if (c->chan->type == DEMO_EMAIL || c->greeted ||
	    !demo_chance(&c->rng, 35)) {
		demo_expand(b, c, phrase);
		return;
	}
	if (c->lang == DEMO_EN) {
		buf_add_str(b, "Hi! ");
		demo_expand(b, c, phrase);
		return;
	}
	buf_add_str(b, "Bonjour, ");
	at = b->len;
	demo_expand(b, c, phrase);
	if (b->data[at] >= 'A' && b->data[at] <= 'Z' &&
	    !(b->data[at + 1] >= 'A' && b->data[at + 1] <= 'Z'))
		b->data[at] = (char)(b->data[at] - 'A' + 'a');
}

/*
 * The text of beat b into g->text, and the file it carries into *file
 * (*has_file set): the phrase for its role, a greeting before an agent's
 * first words, e-mail salutations and signatures, the conversation's
 * hostile input.
 */
static void
demo_msg_text(struct demo_gen *g, struct demo_conv *c, struct demo_beat *b,
    struct demo_file *file, int *has_file)
{
	const struct demo_topic	*t = c->topic;
	const struct demo_pair	*p = NULL;
	struct buf		*out = &g->text;
	enum msg_kind		 kind = demo_role_kind[b->role];
	int			 email = c->chan->type == DEMO_EMAIL;
	int			 fr = c->lang == DEMO_FR, caption = 1;

	*has_file = 0;
	buf_reset(out);
	if (email && kind == MSG_CUSTOMER && b->role == DEMO_C_OPEN) {
		p = DEMO_PICK(c, DEMO_PICK_MAIL_HELLO, demo_mail_hello);
		buf_add_str(out, demo_lang_text(c, p));
		buf_add_str(out, ",\n\n");
		p = NULL;
	} else if (email && kind == MSG_AGENT)
		demo_expand(out, c, fr ? "Bonjour {first},\n\n" :
		    "Hi {first},\n\n");
	else if (email && kind == MSG_BOT)
		buf_add_str(out, fr ? "Bonjour,\n\n" : "Hello,\n\n");
	if (kind == MSG_AGENT && !c->agent_spoke && b->role != DEMO_A_HELLO &&
	    !email)
		demo_expand(out, c, fr ? "Bonjour {first} ! " : "Hi {first}! ");

	switch (b->role) {
	case DEMO_C_GREET:
		p = DEMO_PICK(c, b->role, demo_greet);
		break;
	case DEMO_C_OPEN:
		if (c->hostile == DEMO_HOSTILE_ESCAPES)
			buf_add_str(out, DEMO_HOSTILE_CSI);
		if (c->hostile == DEMO_HOSTILE_ZALGO) {
			demo_add_zalgo(out, c, demo_lang_text(c,
			    &demo_hostile_zalgo[0]));
			buf_add_str(out, " ");
		}
		p = DEMO_PICK_LIST(c, b->role, t->open);
		demo_add_open(g, c, demo_lang_text(c, p));
		p = NULL;
		break;
	case DEMO_C_DETAIL:
		if (c->hostile == DEMO_HOSTILE_BIDI) {
			p = &demo_hostile_bidi[0];
			file->kind = DEMO_MEDIA_DOCUMENT;
			file->mime = "application/x-msdownload";
			file->ext = "exe";
			file->size = demo_range(&c->rng, 200000, 900000);
			snprintf(file->name, sizeof file->name, "%s",
			    fr ? "facture_" DEMO_RLO "fdp.exe" :
			    "receipt_" DEMO_RLO "fdp.exe");
			*has_file = 1;
			break;
		}
		if (t->show.n == 0 || demo_chance(&c->rng, 40)) {
			p = DEMO_PICK_LIST(c, b->role, t->detail);
			break;
		}
		p = DEMO_PICK_LIST(c, DEMO_PICK_SHOW, t->show);
		demo_file_customer(c, t->attach, b->date, file);
		*has_file = 1;
		caption = demo_chance(&c->rng, 70);
		break;
	case DEMO_C_TO_BOT:
		/* Nobody mails "3" to a menu: e-mail gets sentences. */
		if (email)
			p = DEMO_PICK(c, b->role, demo_cust_fill);
		else
			p = DEMO_PICK(c, b->role, demo_cust_to_bot);
		break;
	case DEMO_C_FILL:
		if (c->chan->voice && demo_chance(&c->rng, 10)) {
			file->kind = DEMO_MEDIA_VOICE;
			file->mime = "audio/ogg";
			file->ext = "ogg";
			file->size = demo_range(&c->rng, 6000, 90000);
			snprintf(file->name, sizeof file->name, "voice.ogg");
			*has_file = 1;
			break;
		}
		p = DEMO_PICK(c, b->role, demo_cust_fill);
		break;
	case DEMO_C_ASK_HUMAN:
		p = DEMO_PICK(c, b->role, demo_ask_human);
		break;
	case DEMO_C_WAIT:
		p = DEMO_PICK(c, b->role, demo_cust_wait);
		break;
	case DEMO_C_OK:
		p = DEMO_PICK(c, b->role, demo_cust_ok);
		break;
	case DEMO_C_THANKS:
		p = DEMO_PICK(c, b->role, demo_cust_thanks);
		break;
	case DEMO_C_FOLLOWUP:
		p = DEMO_PICK(c, b->role, demo_cust_followup);
		break;
	case DEMO_B_WELCOME:
		if (email)
			p = DEMO_PICK(c, b->role, demo_bot_ack);
		else
			p = DEMO_PICK(c, b->role, demo_bot_welcome);
		break;
	case DEMO_B_ANSWER:
		if (t->bot.n == 0) {
			p = DEMO_PICK(c, b->role, demo_bot_unsure);
			break;
		}
		p = DEMO_PICK_LIST(c, b->role, t->bot);
		if (t->attach_out == DEMO_OUT_INVOICE) {
			demo_file_document(c, t->attach_out, file);
			*has_file = 1;
		}
		break;
	case DEMO_B_FILL:
		p = DEMO_PICK(c, b->role, demo_bot_unsure);
		break;
	case DEMO_B_TRANSFER:
		p = DEMO_PICK(c, b->role, demo_bot_transfer);
		break;
	case DEMO_B_CLOSE:
		p = DEMO_PICK(c, b->role, demo_bot_close);
		break;
	case DEMO_A_HELLO:
		if (email)
			buf_add_str(out, fr ? "Merci pour votre message. " :
			    "Thank you for your message. ");
		else {
			demo_expand(out, c, demo_lang_text(c, DEMO_PICK(c,
			    b->role, demo_agent_hello)));
			buf_add_char(out, ' ');
		}
		p = DEMO_PICK_LIST(c, DEMO_PICK_ASK, t->ask);
		break;
	case DEMO_A_FILL:
		p = DEMO_PICK(c, b->role, demo_agent_fill);
		break;
	case DEMO_A_SOLVE:
		if (t->send.n == 0 ||
		    (t->solve.n > 0 && demo_chance(&c->rng, 50))) {
			p = DEMO_PICK_LIST(c, b->role, t->solve);
			break;
		}
		p = DEMO_PICK_LIST(c, DEMO_PICK_SEND, t->send);
		demo_file_document(c, t->attach_out, file);
		*has_file = 1;
		break;
	case DEMO_A_WAIT:
		p = DEMO_PICK_LIST(c, b->role, t->wait);
		break;
	case DEMO_A_CLOSE:
		p = DEMO_PICK(c, b->role, demo_agent_close);
		break;
	case DEMO_NOTE:
		if (demo_chance(&c->rng, 50))
			p = DEMO_PICK_LIST(c, b->role, t->note);
		else
			p = DEMO_PICK(c, DEMO_PICK_NOTE_ANY, demo_note_any);
		/* Notes are in the language of the agent who writes them. */
		demo_expand(out, c, c->agent->lang == DEMO_FR ? p->fr : p->en);
		p = NULL;
		break;
	case DEMO_FILL_BOT:
	case DEMO_FILL_AGENT:
	case DEMO_ROLE_COUNT:
		break;
	}
	if (p != NULL && caption)
		demo_expand(out, c, demo_lang_text(c, p));

	if (email && kind == MSG_CUSTOMER) {
		if (b->role == DEMO_C_OPEN) {
			buf_add_str(out, "\n\n");
			buf_add_str(out, demo_lang_text(c, DEMO_PICK(c,
			    DEMO_PICK_MAIL_BYE, demo_mail_bye)));
			buf_add_str(out, ",\n");
			buf_add_str(out, c->slot[DEMO_SLOT_NAME]);
		} else if (!*has_file || caption) {
			buf_add_str(out, "\n\n");
			buf_add_str(out, c->slot[DEMO_SLOT_FIRST]);
		}
	} else if (email && kind == MSG_AGENT) {
		buf_add_printf(out, "\n\n%s,\n%s\n", fr ? "Bien cordialement" :
		    "Kind regards", c->agent->full);
		buf_add_str(out, fr ? "Service client " DEMO_BRAND :
		    DEMO_BRAND " Customer Care");
	} else if (email && kind == MSG_BOT) {
		buf_add_str(out, fr ? "\n\nL'équipe " DEMO_BRAND
		    "\n(Réponse automatique)" : "\n\nThe " DEMO_BRAND
		    " team\n(Automatic reply)");
	}
	if (kind == MSG_AGENT)
		c->agent_spoke = 1;
}

/*
 * The message a beat sends: the conversation's identity, the beat's id
 * and date, who wrote it, its text and files, what it answers, and the
 * conversation's tags plus its own.
 */
static struct msg *
demo_msg_build(struct demo_gen *g, struct demo_conv *c, size_t k)
{
	struct demo_beat	*b = &g->beats[k];
	enum msg_kind		 kind = demo_role_kind[b->role];
	struct demo_file	 file;
	struct msg		*m;
	size_t			 i, j;
	int			 has_file, email = c->chan->type == DEMO_EMAIL;

	m = msg_new();
	m->channel = xstrdup(c->chan->name);
	m->account = xstrdup(c->chan->account);
	m->conv_id = xstrdup(c->conv_id);
	m->conv_title = xstrdup(c->title);
	m->date = b->date;
	m->kind = kind;

	memset(&file, 0, sizeof file);
	demo_msg_text(g, c, b, &file, &has_file);
	m->text = xstrndup(g->text.data, g->text.len);
	m->text_len = g->text.len;
	demo_msg_id(c, b, k, has_file);
	m->id = xstrdup(b->id);
	if (has_file)
		demo_msg_attach(m, &file, demo_media_url(c, b->id, file.kind,
		    file.ext));

	switch (kind) {
	case MSG_CUSTOMER:
		m->from_id = xstrdup(c->from_id);
		m->from_name = xstrdup(c->from_name);
		if (email)
			m->date_offset = demo_offset_at(c->tz, c->tz_eu,
			    b->date);
		break;
	case MSG_BOT:
		m->from_id = xstrdup(c->chan->account);
		m->from_name = xstrdup(c->lang == DEMO_FR ?
		    "Assistant " DEMO_BRAND : DEMO_BRAND " Assistant");
		if (email)
			m->date_offset = demo_offset_at(3600, 1, b->date);
		break;
	case MSG_AGENT:
	case MSG_NOTE:
	case MSG_EVENT:
		m->from_id = xstrdup(c->agent->login);
		m->from_name = xstrdup(c->agent->full);
		if (email)
			m->date_offset = demo_offset_at(3600, 1, b->date);
		break;
	}

	/* E-mail answers the message before; chats quote now and then. */
	if (kind != MSG_NOTE) {
		for (j = k; j > 0; j--) {
			i = j - 1;
			if (demo_role_kind[g->beats[i].role] == MSG_NOTE)
				continue;
			if (email || (kind == MSG_CUSTOMER &&
			    demo_role_kind[g->beats[i].role] != MSG_CUSTOMER &&
			    demo_chance(&c->rng, 12)))
				m->reply_to = xstrdup(g->beats[i].id);
			break;
		}
	}

	for (i = 0; i < c->n_tags; i++)
		msg_add_tag(m, c->tags[i]);
	if (b->read)
		msg_add_tag(m, "-unread");
	if (kind == MSG_NOTE)
		msg_add_tag(m, "ombre/note");
	return m;
}

/* ---------------------------------------------------------- generation */

static void
demo_gen_init(struct demo_gen *g, const struct demo_params *params)
{
	struct demo_rng	r;

	memset(g, 0, sizeof *g);
	g->params = params;
	g->deck_block = -1;
	buf_init(&g->text);
	g->names_fr = nitems(demo_first_fr) * nitems(demo_last_fr);
	g->names_all = g->names_fr +
	    nitems(demo_first_en) * nitems(demo_last_en);

	demo_rng_seed(&r, params->seed, 0, 0);
	demo_perm_init(&g->names, &r, g->names_all);
	demo_perm_init(&g->telegram, &r, 6000000000ULL);
	demo_perm_init(&g->phone_fr, &r, 100000000ULL);
	demo_perm_init(&g->phone_en, &r, 1000000000ULL);
	demo_perm_init(&g->psid, &r, 1000000000000000ULL);
	demo_perm_init(&g->line, &r, 1ULL << 32);
}

static void
demo_gen_free(struct demo_gen *g)
{
	free(g->beats);
	buf_free(&g->text);
}

/*
 * Build each conversation in turn, hand its messages to msg_cb in date
 * order and then its state to state_cb, and free it before the next.
 * Either callback may be NULL. Customer ids stay unique per channel up
 * to 10^8 conversations (the smallest permutation: French numbers).
 */
int
demo_generate(const struct demo_params *params, demo_msg_cb msg_cb,
    demo_state_cb state_cb, void *data)
{
	struct demo_gen		*g;
	struct demo_conv	*c;
	struct demo_conv_state	 state;
	struct msg		*m;
	long			 i;
	size_t			 k;
	int			 rv = 0;

	g = xmalloc(sizeof *g);
	demo_gen_init(g, params);
	c = &g->conv;
	for (i = 0; i < params->conversations && rv == 0; i++) {
		demo_conv_init(g, i);
		for (k = 0; k < g->n_beats && rv == 0; k++) {
			m = demo_msg_build(g, c, k);
			if (msg_cb != NULL)
				rv = msg_cb(m, data);
			msg_free(m);
		}
		if (rv != 0 || state_cb == NULL)
			continue;
		state.channel = c->chan->name;
		state.account = c->chan->account;
		state.conv_id = c->conv_id;
		state.tags = c->tags;
		state.snooze_until = c->snooze_until;
		rv = state_cb(&state, data);
	}
	demo_gen_free(g);
	free(g);
	return rv;
}
