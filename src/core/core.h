/*
 * core.h: ombre's model and its command language.
 *
 * The core knows nothing of curses, curl, notmuch or any one channel. It
 * holds the canonical message, its JSON form, the channel table, message
 * ids, the command language (parser, command table, options, config files,
 * saved views). What commands do to the store goes
 * through struct cmd_host, which the layer above fills in.
 */
#ifndef OMBRE_CORE_H
#define OMBRE_CORE_H

#include <regex.h>
#include <stddef.h>
#include <stdint.h>

#include "base/base.h"

/* ---------------------------------------------------------------- msg.c */

enum msg_kind {
	MSG_CUSTOMER,
	MSG_BOT,
	MSG_AGENT,
	MSG_NOTE,
	MSG_EVENT	/* a change of the conversation's state, never sent */
};

struct msg_attachment {
	char	*name;
	char	*mime;
	int64_t	 size;		/* -1 when unknown */
	char	*url;
	char	*local;		/* fetched into the data dir: its path, or NULL */
};

/*
 * One message in the canonical form. Every string is owned by the message
 * and freed by msg_free(); optional ones are NULL when absent. text may
 * contain any UTF-8 except NUL (a NUL is stored as U+FFFD); text_len is its
 * length in bytes.
 */
struct msg {
	char			*channel;	/* "telegram", "whatsapp", ... */
	char			*account;	/* upstream identity: bot id, user id, phone id */
	char			*conv_id;
	char			*conv_title;
	char			*id;		/* the channel's own message id */
	int64_t			 date;		/* seconds since the epoch */
	int			 date_offset;	/* seconds east of UTC, as given */
	char			*from_id;
	char			*from_name;
	char			*lang;		/* the sender's language as the
						   channel gave it (Telegram's
						   language_code), or NULL */
	enum msg_kind		 kind;
	char			*text;
	size_t			 text_len;
	char			*reply_to;	/* the channel's id of the message answered */
	char			*edit_of;	/* the channel's id of the message edited */
	char			*entities;	/* the channel's formatting (Telegram's
						   entities), JSON text kept as it came,
						   never turned into markup; or NULL */
	struct msg_attachment	*attachments;
	size_t			 n_attachments;
	char			**tags;		/* extra tags, NULL-terminated, may be NULL */
	char			*outbox;	/* a reply's delivery state (queued,
						   sending, sent, failed, unknown), or NULL */
	char			*remote_id;	/* a sent reply's id on the channel */
	char			*outbox_error;	/* why it failed or is unknown */
	char			*delivery;	/* a sent reply's furthest state
						   after sent, as the channel
						   said: delivered, read; or NULL */
	int64_t			 delivery_date;	/* when it got there, seconds */

	/*
	 * An event (kind MSG_EVENT): a change of the conversation's state,
	 * kept in the thread as the history of who handled it. Its tags are
	 * the conversation's operations (+ombre/handoff, -inbox, ...):
	 * indexing the event applies them to the whole conversation, so the
	 * change and its record are one write (store-ingest.c).
	 */
	char			*event;		/* handoff, take-over, hand-back,
						   assigned, closed, reopened,
						   snoozed, woken, claimed,
						   team-assigned; NULL otherwise */
	char			*agent;		/* who: an agent, "bot", "rule" */
	char			*reason;	/* why, for a handoff */
	char			**seen;		/* Message-Ids the agent saw, NULL-
						   terminated, or NULL: all */
	int64_t			 until;		/* snoozed: until when */
};

struct msg *msg_new(void);
void msg_free(struct msg *m);
/* Who has Messenger's thread control, as the conversation's last
 * handover event says ("the Page Inbox", "the bot app", "ombre"; a
 * pointer into that event), or NULL when none says. */
const char *msg_thread_owner(struct msg *const *msgs, size_t n);
/* The kind as the formats write it ("customer"), never translated. */
const char *msg_kind_name(enum msg_kind kind);
/* The kind as a person reads it, in the user's language ("client"). */
const char *msg_kind_shown(enum msg_kind kind);
/* Return 0 and set *kind, or -1 when name is not a kind. */
int msg_kind_parse(const char *name, enum msg_kind *kind);
void msg_add_tag(struct msg *m, const char *tag);
/* Append an attachment (size -1 when unknown; url, fetched later, may be
 * NULL). */
void msg_add_attachment(struct msg *m, const char *name, const char *mime,
    int64_t size, const char *url);
/* Set m's text, taken over (NUL-terminated, no NUL inside). */
void msg_set_text(struct msg *m, char *text);
/* A reply's state as shown ("sent", "delivered 14:02", "read 14:05",
 * "FAILED", "DELIVERY UNKNOWN", ...), allocated; NULL for a message not
 * in the outbox. */
char *msg_delivery_text(const struct msg *m);

/*
 * Message-Id derivation (design.md): from the channel, the upstream
 * identity and the channel's own ids, never from the config name, so
 * ingesting the same message twice is a no-op. Returned without angle
 * brackets; the caller frees them.
 *   msgid_message:  <prefix>.<account>.<conv>.<id>@ombre
 *   msgid_thread:   conv.<prefix>.<account>.<conv>@ombre (the synthetic root)
 *   msgid_outbound: out.<uuid>@ombre
 */
char *msgid_message(const char *channel, const char *account,
    const char *conv_id, const char *id);
char *msgid_thread(const char *channel, const char *account, const char *conv_id);
char *msgid_outbound(void);
/* Is this native id one of ours ("out.<uuid>", msgid_outbound without
 * "@ombre")? Its Message-Id is then "<id>@ombre" whatever the channel. */
int msgid_is_outbound(const char *id);

/* Tags: return 1 when tag is a valid tag name (no space, control, quote
 * or parenthesis characters, not empty, at most 200 bytes). */
int tag_valid(const char *tag);

/* --------------------------------------------------------------- json.c */

/*
 * Parse one canonical JSON line (not NUL-terminated: line[0..len)). On
 * success return the message; on failure return NULL and set *cause to an
 * allocated text naming the field or the byte offset.
 */
struct msg *json_msg_parse(const char *line, size_t len, char **cause);
/* Serialise a message as one compact JSON line (no newline), control
 * characters escaped; the caller frees it. */
char *json_msg_format(const struct msg *m);
/* The line `show --json` prints: the canonical one with a top-level
 * "kind" (customer, bot, agent, note, event) and, for an event, always a
 * "text" saying who did what. Ingest reads it back as the canonical line
 * (it ignores "kind"). The caller frees it. */
char *json_msg_format_show(const struct msg *m);
/* A deep copy of a message, through its JSON form (the text, of any
 * length, copied apart); NULL with *cause when the canonical form refuses
 * the message (a date out of range, an id too long, ...). */
struct msg *json_msg_copy(const struct msg *m, char **cause);
/* Would the store take m as it is (json_msg_copy's checks)? 1, or 0 with
 * *cause; m is not changed. */
int json_msg_valid(const struct msg *m, char **cause);
/* The integer dates the canonical form takes (seconds), the years 0000 to
 * 9999: beyond them RFC 3339 cannot write the date back. */
#define JSON_DATE_MIN	(-62167219200LL)
#define JSON_DATE_MAX	253402300799LL
/* Whether len bytes of data are one JSON text (any value, UTF-8). */
int json_valid(const char *data, size_t len);
/* Whether they are a webhook body of Meta's shape: an object whose
 * "object" is object ("whatsapp_business_account", "page") and whose
 * "entry" is an array. */
int json_webhook_shape(const char *data, size_t len, const char *object);
/* Whether a LINE webhook body has its shape: an object with a string
 * destination and an events array. */
int json_line_shape(const char *data, size_t len);
/* Serialise an arbitrary list entry for `list --json`: see cli-list.c. */
struct json_obj;
struct json_obj *json_obj_new(void);
void json_obj_set_str(struct json_obj *o, const char *key, const char *value);
void json_obj_set_int(struct json_obj *o, const char *key, int64_t value);
void json_obj_set_real(struct json_obj *o, const char *key, double value);
void json_obj_set_strv(struct json_obj *o, const char *key, char **values, size_t n);
void json_obj_set_obj(struct json_obj *o, const char *key, struct json_obj *child);
void json_obj_set_bool(struct json_obj *o, const char *key, int value);
/* Append child (taken) to the array under key, made when not there. */
void json_obj_append_obj(struct json_obj *o, const char *key,
    struct json_obj *child);
/* Format and free the object; the caller frees the string. */
char *json_obj_finish(struct json_obj *o);

/* --------------------------------------------------------- json-repair.c */

/*
 * Raw JSON from a server made parseable where one string spoils it: inside
 * strings, bytes that are not UTF-8 and raw NUL become U+FFFD, raw control
 * bytes become \u00XX, \u0000 and lone surrogate escapes become \ufffd.
 * Return the new text (allocated, NUL-terminated, *out_len bytes); *fixed
 * counts what was changed.
 */
char *json_repair(const char *raw, size_t len, size_t *out_len,
    size_t *fixed);
/* The element of the outermost array holding byte pos: 0 and
 * [*start, *end), or -1 when pos is in no array element. */
int json_repair_element(const char *raw, size_t len, size_t pos,
    size_t *start, size_t *end);
/* The first "key": integer (fitting a long long) of bytes that may not
 * parse: 0 and *value, or -1. */
int json_repair_scan_int(const char *raw, size_t len, const char *key,
    long long *value);
/* The first "key": "plain string" (printable ASCII, no escape, at most
 * 1024 bytes) of bytes that may not parse: allocated, or NULL. */
char *json_repair_scan_str(const char *raw, size_t len, const char *key);

/* ------------------------------------------------------------- triage.c */

/* Return 1 when a tag describes the conversation (new messages inherit
 * it), 0 when it describes one message (unread, ombre/note, outbox...). */
int triage_tag_is_conversation(const char *tag);
/*
 * The tags of a new message: the conversation-level tags of its thread
 * (thread_tags, taken from the thread's newest message; NULL for a new
 * conversation), then the defaults of its kind (customer: inbox and
 * unread; note: ombre/note; with attachments: attachment), then m->tags
 * as operations ("tag" or "+tag" adds, "-tag" removes). When the result
 * is in the inbox while the conversation was done or snoozed, *reopen is
 * set and neither tag is in the result: the caller reopens the whole
 * conversation. Return a NULL-terminated array; free with triage_tags_free.
 */
char **triage_ingest_tags(const struct msg *m, char *const *thread_tags, int *reopen);
void triage_tags_free(char **tags);
/* A new message's tags (taken and returned) once its conversation is
 * reopened (in the Inbox, out of done and snoozed) or kept closed by a
 * survey's answer (done, out of the Inbox, read). */
enum triage_settle {
	TRIAGE_SETTLE_REOPEN,
	TRIAGE_SETTLE_CLOSED
};
char **triage_tags_settle(char **tags, enum triage_settle how);
/* A copy of a NULL-terminated tag array (NULL stays NULL), and its
 * length (0 for NULL). */
char **triage_tags_copy(char *const *tags);
size_t triage_tags_count(char *const *tags);

/* Who has a conversation: tagged ombre/assigned/NAME by the agent NAME. */
#define TRIAGE_ASSIGNED_PREFIX	"ombre/assigned/"
/* The NAME of an ombre/assigned/NAME tag, or NULL; points into tag. */
const char *triage_tag_assignee(const char *tag);
/* The agent a conversation with these tags is assigned to, or NULL;
 * points into tags. */
const char *triage_assignee(char *const *tags, size_t n_tags);

enum triage_mode {
	TRIAGE_MODE_NONE,	/* neither a bot nor a human has it */
	TRIAGE_MODE_BOT,	/* ombre/bot: a bot answers */
	TRIAGE_MODE_HANDOFF,	/* ombre/handoff: it needs a human */
	TRIAGE_MODE_HUMAN	/* assigned: see triage_assignee() */
};
enum triage_mode triage_mode(char *const *tags, size_t n_tags);
/* The priority cycle-priority leads to: "high", "low" or "normal". */
const char *triage_priority_next(char *const *tags, size_t n_tags);

/* What an agent does to a conversation, whoever asks (console, CLI). */
enum triage_action {
	TRIAGE_DONE,		/* -inbox +ombre/done */
	TRIAGE_SNOOZE,		/* -inbox +ombre/snoozed (the time is a property) */
	TRIAGE_READ,
	TRIAGE_UNREAD,
	TRIAGE_CYCLE_PRIORITY,	/* none -> high -> low -> none */
	TRIAGE_LABEL,		/* arg: the label */
	TRIAGE_ASSIGN,		/* arg: the agent, the only one assigned (from
				   the bot or the queue to a human) */
	TRIAGE_TAKE_OVER,	/* assign to arg, and from the bot to a human */
	TRIAGE_HAND_BACK,	/* nobody assigned, the bot answers */
	TRIAGE_ASSIGN_TEAM	/* arg: the team; its queue, nobody assigned */
};
/*
 * The tag operations ("+tag", "-tag") that action does to a conversation
 * with these tags; arg as the action says (a valid tag name), else NULL.
 * Return a NULL-terminated array; free with triage_tags_free.
 */
char **triage_ops(enum triage_action action, const char *arg,
    char *const *tags, size_t n_tags);
/*
 * The operations that put a conversation with these tags back as it was
 * after ops: only what ops change. Return a NULL-terminated array (empty
 * when nothing changes); free with triage_tags_free.
 */
char **triage_undo_ops(char *const *ops, char *const *tags, size_t n_tags);
/*
 * The event an action is recorded as ("closed", "snoozed", "assigned",
 * "take-over", "hand-back"), or NULL for an action that is no event
 * (read, priority, label: plain tag operations).
 */
const char *triage_action_event(enum triage_action action);
/* The line the thread shows for an event: "taken over by ana", "handed
 * off by the bot: the customer asked for a person". Allocated. */
char *triage_event_text(const char *event, const char *agent,
    const char *reason, char *const *ops, int64_t until);
/*
 * The operations that take a conversation from the conversation-level
 * tags before (NULL: none) to those of after (message-level tags of
 * either are ignored). NULL-terminated; free with triage_tags_free.
 */
char **triage_conv_diff(char *const *before, char *const *after);
struct rule_match;
/* Where a message's channel stands on bots. */
enum triage_bot {
	TRIAGE_BOT_UNKNOWN,	/* the channel is not declared here */
	TRIAGE_BOT_NONE,	/* declared, no bot: humans answer */
	TRIAGE_BOT_YES		/* bot= or bot-hook=: a bot answers first */
};
enum triage_bot triage_channel_bot(const char *type, const char *account);
/*
 * The handoff rules on a new message (design.md, "Bot handoff"). tags is
 * its result from triage_ingest_tags, changed in place: a conversation's
 * first customer message takes bot mode on a channel with a bot, handoff
 * mode on a channel without; a bot's message in a conversation without a
 * mode takes bot mode. In bot mode, a customer's or a bot's text matching
 * a handoff rule hands it off (out of bot mode, into handoff, high
 * priority when the rule says so): return 1 and *match, which the caller
 * records as an event; else 0.
 */
int triage_rules(const struct msg *m, enum triage_bot bot, char ***tags,
    struct rule_match *match);
/*
 * One mode in the tags, as triage_mode reads them: with an assignee,
 * neither ombre/bot nor ombre/handoff; in handoff, no ombre/bot. Changes
 * tags (NULL-terminated, reallocated) in place: whatever operations led
 * there (an undo after a rule fired, a tag in an ingested line), the
 * conversation is in exactly one mode.
 */
char **triage_one_mode(char **tags);
/* The operations of a handoff (high: with high priority). */
char **triage_handoff_ops(int high);
/* Does a NULL-terminated tag array (may be NULL) hold tag? */
int triage_tags_have(char *const *tags, const char *tag);


/* ------------------------------------------------------------- fold.c */

/*
 * Text folded for matching: lower case, accents of Latin letters removed
 * (Latin-1 Supplement and Latin Extended-A; œ is "oe", æ "ae", ß "ss"),
 * combining marks dropped, ’ and ‘ as ', “ and ” as ", no-break spaces as
 * spaces; bytes that are not UTF-8, and NUL, become '?'. Other characters
 * are kept.
 * Return an allocated NUL-terminated string; the caller frees it.
 */
char *text_fold(const char *text, size_t len);
/*
 * Compile a rule's regex (POSIX ERE, REG_ICASE, REG_NOSUB) folded as
 * text_fold() folds what it is matched against, but for ASCII, kept as
 * written so that escapes keep their meaning (\W is not \w). Return 0 (the
 * caller regfree()s re), or -1 with *cause naming the regex and
 * regerror()'s text.
 */
int text_fold_regcomp(regex_t *re, const char *pattern, char **cause);
/* Does re, compiled by text_fold_regcomp(), match text[0..len) folded? */
int text_fold_match(const regex_t *re, const char *text, size_t len);

/* ------------------------------------------------------------ rules.c */

/*
 * Handoff rules: when a conversation goes from a bot to a human. The
 * defaults (French and English requests for a person, bot phrases that
 * hand over, 2 fallbacks in a row) are `handoff-rule` commands run once
 * before anything else reads or changes the rules; `handoff-rule clear`
 * removes them all.
 */
struct rule_match {
	const char	*reason;	/* static until the rules change */
	int		 high;		/* priority=high */
	const char	*pattern;	/* the rule's regex as written */
};
/* Does a customer's (or a bot's) text match a rule? 1 and *out (when
 * not NULL) for the first that does, in the order declared, or 0. */
int rules_match_customer(const char *text, size_t len, struct rule_match *out);
int rules_match_bot(const char *text, size_t len, struct rule_match *out);
int rules_fallbacks(void);		/* 0: none */
int64_t rules_wait(void);		/* seconds, 0: none */
void rules_reset(void);			/* back to the defaults (tests) */

/* What the handoff-rule command changes. */
enum rules_kind {
	RULES_CUSTOMER,			/* a customer's message */
	RULES_BOT			/* a marker in a bot's own message */
};
/* Add a rule after the others; reason NULL for the kind's default.
 * Return 0, or -1 with *cause set (a bad regex named) and nothing added. */
int rules_add(enum rules_kind kind, const char *pattern, const char *reason,
    int high, char **cause);
void rules_set_fallbacks(int n);
void rules_set_wait(int64_t seconds);
/* Remove every rule, the defaults too, and the counts. */
void rules_clear(void);
/* "90s", "10m", "1h", "2d", "1w" or seconds, at most 30 days; "0" none:
 * 0 and *seconds, or -1. */
int rules_parse_duration(const char *s, int64_t *seconds);
/* Call cb with each rule as the command that would make it again. */
void rules_each(void (*cb)(const char *command, void *data), void *data);

/* -------------------------------------------------------------- bot.c */

/*
 * The built-in first-level bot: named bots declared by bot-answer,
 * bot-fallback, bot-handoff, bot-hours and bot-greeting; a channel says
 * which with bot=NAME. Pure: the caller reads the conversation into
 * struct bot_state and sends what bot_decide() says.
 */
enum bot_reply_kind {
	BOT_NONE,	/* no such bot, or it has nothing to say */
	BOT_ANSWER,	/* a pattern matched: text is its answer */
	BOT_FALLBACK,	/* no pattern: text is a fallback */
	BOT_HANDOFF,	/* too many misses: text is the handoff text; hand off */
	BOT_CLOSED	/* outside business hours: text is the hours text */
};
struct bot_state {			/* what the caller read from the conversation */
	int		 misses;	/* the bot's fallbacks in a row, before this message */
	int		 first;		/* this is the conversation's first customer message */
	const int	*answered;	/* times each pattern answered so far, by index */
	size_t		 n_answered;
	int		 fallbacks;	/* fallbacks sent so far (for the turn of fallback texts) */
	uint32_t	 seed;		/* bot_seed() of the customer's message:
					   where vary=yes answers start */
};
struct bot_reply {
	enum bot_reply_kind	 kind;
	char			*text;		/* allocated, variables unfilled; NULL for BOT_NONE */
	char			*greeting;	/* allocated or NULL: send first */
	int			 pattern;	/* index of the pattern that answered, else -1 */
	const char		*reason;	/* for BOT_HANDOFF: "the bot did not
						   understand N times", owned by the
						   bot until its next bot_decide() or
						   bot_reset(); else NULL */
};
/*
 * The bot in force for a channel whose config says bot=NAME (NULL: none):
 * the scenario set by bot-scenario, else NAME; NULL when none, or when
 * NAME is no bot. A channel without bot= has no built-in bot, scenario or
 * not. Owned by bot.c until the bots change.
 */
const char *bot_for_channel(const char *channel_bot);
/* NAME's sibling in language lang ("fr"): NAME-xx answers as NAME-fr when
 * that bot exists; else NAME (also when lang is NULL). */
const char *bot_for_language(const char *name, const char *lang);
int bot_exists(const char *name);
/* What the bot says to a customer's text at now (state may be NULL: a
 * first miss of a new conversation). Free out with bot_reply_free(). */
void bot_decide(const char *name, const char *text, size_t len, int64_t now,
    const struct bot_state *state, struct bot_reply *out);
void bot_reply_free(struct bot_reply *r);
int bot_scenario_set(const char *name, char **cause);	/* "-" clears; unknown bot: error */
/* The data dir's scenario (DATA/bot-scenario, read by the store when it
 * opens read-write; NULL: none), which wins over bot_scenario_set's: 0,
 * or -1 with *cause set (no such bot here) and nothing changed. */
int bot_scenario_set_data(const char *name, char **cause);
const char *bot_scenario(void);		/* in force: the data dir's, else the process's; NULL: none */
void bot_reset(void);					/* forget every bot (tests) */

/*
 * bot-survey: the question the built-in bot asks a customer when a
 * conversation of a channel is closed (channel "all": of every channel
 * without its own), and how an answer scores.
 */
struct bot_survey {
	char	*channel;	/* a channel's name, or "all" */
	char	*text;
	int	 skip_bot_only;	/* never after a close with no agent reply */
};
/* Set a channel's question (text NULL: none any more). */
void bot_survey_set(const char *channel, const char *text, int skip_bot_only);
/* The survey of a channel (by name; NULL: none declared): its own, else
 * all's, else NULL. Owned by bot.c until the next change. */
const struct bot_survey *bot_survey_for(const char *channel);
/* A customer's whole text as a score, 1 to 5 ("4", "4/5", "excellent",
 * "nul", French and English words), or 0: not an answer. */
int bot_survey_score(const char *text, size_t len);

/* What the bot-* commands change; a bot is made by its first mention. */
/* Letters, digits, '-' and '_', at most 64, not "-". */
int bot_name_valid(const char *name);
/* A pattern and its answers (the same regex again replaces its answers):
 * 0, or -1 with *cause set and nothing changed. */
int bot_add_answer(const char *name, const char *regex, char *const *answers,
    size_t n, char **cause);
/* bot-answer vary=yes: the pattern's answers start at one the customer's
 * message picks (bot_phrasing), not at the first: two customers asking
 * the same read different phrasings. 0, or -1 when there is no such
 * pattern. */
int bot_answer_vary(const char *name, const char *regex, int vary);
/* A message's seed for bot_phrasing (FNV-1a of its id). */
uint32_t bot_seed(const char *msgid);
/* Which of n phrasings to say the turn-th time (0 first) from seed:
 * deterministic, the n phrasings in turn from a place the seed picks. */
size_t bot_phrasing(uint32_t seed, size_t turn, size_t n);
void bot_set_fallbacks(const char *name, char *const *texts, size_t n);
/* after 0: rules_fallbacks(). */
void bot_set_handoff(const char *name, int after, const char *text);
void bot_set_greeting(const char *name, const char *text);
/* Hours "DAYS HH:MM-HH:MM [DAYS HH:MM-HH:MM...] [ZONE]": 0, or -1 with
 * *cause set and nothing changed. */
int bot_set_hours(const char *name, const char *spec, const char *text,
    char **cause);
/* Call cb with the commands that would make every bot again. */
void bot_each(void (*cb)(const char *command, void *data), void *data);

/* ------------------------------------------------------------ hours.c */

/*
 * Business hours: periods of days and minutes, in a time zone or local
 * time, as bot-hours and business-hours write them.
 */
struct hours_period {
	unsigned	days;		/* mask, bit 0 Sunday (tm_wday) */
	int		start;		/* minutes after midnight */
	int		end;
};
struct hours {
	char			*spec;		/* as written; NULL: none */
	struct hours_period	*periods;	/* none: always open */
	size_t			 n;
	char			*zone;		/* NULL: local time */
};
/* "DAYS HH:MM-HH:MM [DAYS HH:MM-HH:MM...] [ZONE|tz=ZONE]" into *h (its
 * own, freed by hours_free): 0, or -1 with *cause set and *h untouched. */
int hours_parse(const char *spec, struct hours *h, char **cause);
void hours_free(struct hours *h);
/* Is now inside the hours? Always without periods (or h NULL). */
int hours_open(const struct hours *h, int64_t now);
/* The seconds of [from, to) inside the hours: a clock that stops at
 * night and on weekends (to - from without periods). */
int64_t hours_between(const struct hours *h, int64_t from, int64_t to);

/* -------------------------------------------------------------- sla.c */

/*
 * Service level targets: how long a customer may wait for the first
 * answer of a conversation (first-response) or for the next one
 * (next-response), by channel type and team (the tag ombre/team/NAME),
 * the most specific winning; without one, the options sla.handoff-breach
 * and sla.handoff-warn (the time left and its colours, no breach event).
 * The clock counts only business hours where the team's (or the
 * default) business-hours says so.
 */
enum sla_kind {
	SLA_FIRST_RESPONSE,
	SLA_NEXT_RESPONSE
};
enum sla_state {
	SLA_NONE,	/* not waiting, or no target */
	SLA_OK,
	SLA_WARN,	/* past the target's warn */
	SLA_BREACH	/* past the target */
};
struct sla_status {
	enum sla_state	 state;
	enum sla_kind	 kind;
	int64_t		 target;	/* seconds */
	int64_t		 warn;
	int64_t		 elapsed;	/* business seconds waited */
	int64_t		 left;		/* target - elapsed: < 0 past it */
	int		 declared;	/* a target of sla, not the options */
};
const char *sla_kind_name(enum sla_kind kind);	/* "first-response" */
/* sla KIND TARGET [warn=D] [channel=TYPE] [team=NAME]: the same kind,
 * channel and team again replace it. warn -1: two thirds of the target.
 * channel and team may be NULL. 0, or -1 with *cause set. */
int sla_set(enum sla_kind kind, int64_t target, int64_t warn,
    const char *channel, const char *team, char **cause);
/* business-hours [team=NAME] SPEC ("-" removes them): 0, or -1 with
 * *cause set and nothing changed. */
int sla_set_hours(const char *team, const char *spec, char **cause);
/* The team of a conversation's tags (ombre/team/NAME; the first), or
 * NULL; points into tags. */
const char *sla_team(char *const *tags);
/*
 * Where a conversation stands: waiting since since (0: not waiting) for
 * its first answer (first) or its next one, on channel type channel, in
 * the team of its tags, at now.
 */
void sla_eval(const char *channel, char *const *tags, int first,
    int64_t since, int64_t now, struct sla_status *out);
/* "12m left", "5m over" (rows), or with full set "12m left" and
 * "breached 5m" (the status line); "" for SLA_NONE. */
void sla_format(const struct sla_status *st, int full, char *out,
    size_t len);
/* The same in English whatever the locale, for JSON and stored text. */
void sla_format_c(const struct sla_status *st, int full, char *out,
    size_t len);
/* The event's reason: "first response 15m breached". Allocated. */
char *sla_breach_reason(const struct sla_status *st);
/* Call cb with the commands that would make every target and business
 * hours again (list-sla). */
void sla_each(void (*cb)(const char *command, void *data), void *data);
/* The seconds of [from, to) in the team's business hours (else the
 * default ones; without any, to - from): what reports measure. */
int64_t sla_business_seconds(const char *team, int64_t from, int64_t to);
/* Is any target declared by sla? (Breach events are theirs only.) */
int sla_declared(void);
void sla_reset(void);		/* forget every target and hours (tests) */

/* ------------------------------------------------------------ alert.c */

/*
 * Alert rules (issue 16): `alert NAME match=REGEX [kind=customer]
 * [priority=high] [label=TAG] [notify=yes] [weight=N]`. A message of the
 * rule's kind whose folded text matches labels its conversation, may
 * raise its priority, and records an "alert" event naming the rule, once
 * per rule and conversation (the tag ALERT_TAG_PREFIX NAME says so). The
 * French and English defaults (public, legal, safety, churn, insult) are
 * alert commands run before anything reads or changes the rules.
 */
#define ALERT_TAG_PREFIX	"ombre/alert/"
#define ALERT_KINDS_ANY		((1 << MSG_CUSTOMER) | (1 << MSG_BOT) | \
				    (1 << MSG_AGENT))
struct alert {
	char		*name;
	char		*pattern;	/* as written */
	int		 kinds;		/* a bit (1 << kind) per message kind */
	int		 high;		/* priority=high */
	char		*label;		/* a tag, or NULL */
	int		 notify;	/* consoles ring and notify */
	int		 weight;	/* in the risk score; -1: its category's */
	regex_t		 re;
};
/* Letters, digits, '-' and '_', at most 32, not "-". */
int alert_name_valid(const char *name);
/* Add a rule, or replace the one of the same name (it keeps its place);
 * in's name, pattern, label, kinds, high, notify, weight are read. 0, or
 * -1 with *cause (a bad name, label or regex) and nothing changed. */
int alert_set(const struct alert *in, char **cause);
/* Remove a rule: 0, or -1 when there is none of that name. */
int alert_remove(const char *name);
/* Back to the defaults (tests). */
void alert_reset(void);
/* A rule by name, the number of rules, the i-th one in the order
 * declared; owned by alert.c until the rules change. */
const struct alert *alert_find(const char *name);
size_t alert_count(void);
const struct alert *alert_at(size_t i);
/* "customer", "agent", "bot" or "any" as a mask: 0, or -1. */
int alert_kinds_parse(const char *word, int *kinds);
/* The rules of kind a message's text matches, in the order declared,
 * those that fired in the conversation already (tags, NULL-terminated or
 * NULL) left out: at most max in out, their number returned. */
size_t alert_match(enum msg_kind kind, const char *text, size_t len,
    char *const *tags, const struct alert **out, size_t max);
/* A rule's operations on a conversation with these tags: its
 * ombre/alert/NAME tag, its label, and with priority=high the high
 * priority. NULL-terminated; free with triage_tags_free. */
char **alert_ops(const struct alert *a, char *const *tags);
/* The event's reason: "public: 'je vais poster ça sur Twitter'", the
 * text on one line and cut to a few dozen bytes. Allocated. */
char *alert_reason(const struct alert *a, const char *text, size_t len);
/* The NAME of an ombre/alert/NAME tag, or NULL; points into tag. */
const char *alert_tag_name(const char *tag);
/* Call cb with each rule as the command that makes it again. */
void alert_each(void (*cb)(const char *command, void *data), void *data);

/* ------------------------------------------------------------- risk.c */

/*
 * The public-risk score of a conversation, 0 to 100, from what a list's
 * row holds: the alert rules that fired (their tags; weights by
 * category), the customer's wait against the service level, the
 * customer's messages since our last answer, and the other channels the
 * same person wrote on.
 */
struct risk_input {
	char *const	*tags;		/* the conversation's, NULL-terminated */
	const char	*channel;	/* its type, for the service level */
	int		 first;		/* waiting for a first response */
	int64_t		 waiting_since;	/* 0: not waiting (or not open) */
	int64_t		 now;
	int		 unanswered;	/* customer messages since our answer */
	int		 other_channels; /* the same person elsewhere */
};
struct risk {
	int	 score;		/* 0 to 100 */
	int	 alerted;	/* alert rules that fired */
	char	*why;		/* "threatens to post publicly, waiting 2h,
				   3rd message"; "" for none. Allocated.
				   English: risk_why of list --json */
	char	*shown;		/* the same in the user's language, for the
				   screen. Allocated */
};
/* A list's row shows a marker from this score, or with an alert. */
#define RISK_MARK	60
void risk_eval(const struct risk_input *in, struct risk *out);
void risk_free(struct risk *r);
/* Does the row show it (an alert fired, or the score reaches RISK_MARK)? */
int risk_marked(const struct risk *r);

/* ------------------------------------------------------------ shift.c */

/*
 * An agent's shift (issue 15): the summary a shift starts with, where
 * its conversations go when it ends, the agent's availability.
 */
enum shift_section {
	SHIFT_NEW,		/* conversations begun since */
	SHIFT_HANDOFF,		/* waiting for a human now */
	SHIFT_SLA,		/* near or past their target now */
	SHIFT_AGAIN,		/* mine, the customer wrote since */
	SHIFT_NOTE,		/* notes and handovers left me since */
	SHIFT_NSECTIONS
};
/* One line of the summary: the store's (untrusted) text. */
struct shift_row {
	enum shift_section	 section;
	char			*id;		/* short thread id */
	char			*thread_id;
	char			*channel;
	char			*who;		/* customer, or the note's author */
	int64_t			 when;		/* its moment, 0: none */
	char			*text;		/* snippet, reason, SLA, note */
	/* SHIFT_SLA: where it stands, for the summary in the user's
	 * language (text says it in C, for the JSON). */
	struct sla_status	 sla;
};
#define SHIFT_WIDTH	78	/* no summary line is wider */
const char *shift_section_title(enum shift_section s);
const char *shift_section_key(enum shift_section s);	/* JSON's */
/* "18:02" today, "Sat 05 Dec 18:02" another day (local time). */
void shift_format_when(int64_t t, int64_t now, char *out, size_t size);
/* The summary's lines (allocated, sanitised, at most SHIFT_WIDTH
 * columns): a head line, then each section's title and count and its
 * rows. since_what says what since is ("your shift end"). */
void shift_summary_lines(const char *agent, int64_t since,
    const char *since_what, const struct shift_row *rows, size_t n,
    int64_t now, char ***lines, size_t *n_lines);
/* Where a conversation goes at a shift's end. */
enum shift_target {
	SHIFT_TO_AGENT,
	SHIFT_TO_TEAM,
	SHIFT_TO_QUEUE,
	SHIFT_KEEP
};
/* NAME, team:NAME, queue or keep: 0 and *name (into s), or -1 for a
 * name no tag can carry. */
int shift_parse_target(const char *s, enum shift_target *kind,
    const char **name);
/* The conversation's operations (NULL-terminated, maybe empty; free with
 * triage_tags_free). */
char **shift_handover_ops(enum shift_target kind, const char *name,
    char *const *tags, size_t n_tags);
/* "handed over by ana at 18:00 to bob: NOTE" (note may be NULL). */
char *shift_handover_text(const char *agent, int64_t when,
    enum shift_target kind, const char *name, const char *note);
/* Does text name agent as a word? */
int shift_names(const char *text, const char *agent);
int shift_word_char(char c);
/* An agent's availability, DATA/agents/NAME. */
struct shift_avail {
	int	 away;
	int64_t	 since;		/* away or available since */
	int64_t	 started;	/* the latest shift start, 0: none */
	int64_t	 ended;		/* the latest shift end, 0: none */
};
char *shift_avail_format(const struct shift_avail *a);	/* allocated */
/* 0, or -1 when data says no state. */
int shift_avail_parse(const char *data, size_t len, struct shift_avail *a);
/* "bob is away since 18:02 (shift ended)", allocated. */
char *shift_away_text(const char *agent, int64_t since, int64_t now);

/* ----------------------------------------------------------- contact.c */

/*
 * A contact (issue 16): a person across channels. The store keeps one as
 * a small file notmuch indexes (store-contact.c); this is its model and
 * its text, pure. Every string is owned by the contact; the arrays are
 * NULL-terminated too.
 */
struct contact {
	char	 *id;		/* c-<16 hex digits>, stable */
	char	 *name;		/* or NULL */
	char	 *lang;		/* "fr", set by hand, or NULL */
	char	**identities;	/* "telegram:424242", "email:a@b.fr" */
	size_t	  n_identities;
	char	**labels;
	size_t	  n_labels;
	char	**notes;	/* oldest first */
	size_t	  n_notes;
};
/* A new, empty contact with this id (NULL: a new random one). */
struct contact *contact_new(const char *id);
void contact_free(struct contact *c);
/* A new random id, allocated; is id one (c- and 16 lower-case hex)? */
char *contact_id_new(void);
int contact_id_valid(const char *id);
/* "+33612345678" from any international way of writing it (00, spaces,
 * dashes, WhatsApp's wa_id without '+'), allocated, or NULL. */
char *contact_phone_normalise(const char *s);
/* Is "KIND:VALUE" an identity a contact may hold (printable ASCII, no
 * space or quote, at most 200 bytes)? */
int contact_identity_valid(const char *identity);
/* A conversation's identity: CHANNEL:the customer's id on it (sms: a
 * normalised number, email: lower case); allocated, or NULL. */
char *contact_identity_of(const char *channel, const char *customer_id);
/* An identity an agent typed, normalised (phone:, whatsapp:, sms:, any
 * channel's; an address as mail:, a key that only suggests the e-mail
 * conversations); allocated, or NULL with *cause. */
char *contact_identity_parse(const char *text, char **cause);
/* The key two identities match by ("phone:+33612345678", "email:a@b.fr"),
 * allocated, or NULL when the identity gives none (telegram:). */
char *contact_identity_key(const char *identity);
/* The channel an identity is on, or "" (phone:, an unknown kind). */
void contact_identity_channel(const char *identity, char *out, size_t size);
/* "fr" from "fr-FR", "FR", "fr_CA"; allocated, or NULL. */
char *contact_lang_normalise(const char *code);
int contact_has_identity(const struct contact *c, const char *identity);
/* 1 when added (valid, not there yet, under the cap), else 0. */
int contact_add_identity(struct contact *c, const char *identity);
int contact_remove_identity(struct contact *c, const char *identity);
/* A note appended (cut to 1000 bytes; past 64 notes the oldest goes). */
void contact_add_note(struct contact *c, const char *text);
int contact_add_label(struct contact *c, const char *label);
void contact_set_name(struct contact *c, const char *name);
/* from's identities, labels and notes added to into; its name and
 * language where into has none. */
void contact_merge(struct contact *into, const struct contact *from);
/* The file's text ("key: value" lines, values escaped), allocated. */
char *contact_format(const struct contact *c);
/* A file's text read back as untrusted: bad fields dropped, caps kept;
 * NULL with *cause when it has no valid id. */
struct contact *contact_parse(const char *text, size_t len, char **cause);
/*
 * A linked person who wrote on several channels: each of their
 * conversations is tagged ombre/contact-channels/N (N >= 2) when a link or
 * an unlink changes the contact, so a row's risk reads it from its tags.
 */
#define CONTACT_CHANNELS_TAG_PREFIX	"ombre/contact-channels/"
/* N of that tag in a NULL-terminated tag array (may be NULL), else 1. */
int contact_channels_of_tags(char *const *tags);

/* ------------------------------------------------------------ channel.c */

/* What ombre knows of each channel type, whoever carries it. */
struct channel_info {
	const char	*name;		/* "telegram" */
	const char	*badge;		/* two-letter code shown in lists: "TG" */
	const char	*id_prefix;	/* Message-Id prefix: "tg" */
	int		 text_limit;	/* characters per message, 0 when none */
	int		 reply_window;	/* hours of free text after the customer, 0 none */
};
/* Return the info of a channel name (static storage), NULL if unknown. */
const struct channel_info *channel_info_find(const char *name);
/* The two-letter badge of any channel name, known or not. */
void channel_badge(const char *name, char out[3]);
/* Every known channel type, NULL-terminated. */
const struct channel_info *const *channel_info_all(void);

/* -------------------------------------------------------------- limit.c */

/* How much of a channel's limit a reply uses, in the channel's unit. */
struct limit_measure {
	long		 used;
	long		 limit;		/* 0: the channel has none */
	long		 left;		/* limit - used; negative when over */
	const char	*unit;		/* "characters" or "bytes" (static), to
				   compare: shown, a number and its unit
				   are one ngettext phrase */
	int		 segments;	/* SMS: the parts it is sent as, else 0 */
	int		 sms_unicode;	/* SMS: a character outside GSM-7 */
};
void limit_measure(const char *channel, const char *text, size_t len,
    struct limit_measure *out);

/*
 * The reply window: free text only so long after the customer's newest
 * message (last_customer, 0 when the customer never wrote). *seconds is
 * the time left when open, the time since it closed when closed.
 */
enum limit_window {
	LIMIT_WINDOW_NONE,		/* the channel has no window */
	LIMIT_WINDOW_OPEN,
	LIMIT_WINDOW_CLOSED
};
enum limit_window limit_window(const char *channel, int64_t last_customer,
    int64_t now, int64_t *seconds);

/* ----------------------------------------------------------- template.c */

/* A canned reply (see template.c for the file format). */
struct template {
	char	*name;
	char	*shortcut;
	char	*language;
	char	*channels;	/* where it may be used, NULL: anywhere */
	char	*approved;	/* the channel-approved template it maps to */
	int	 holding;	/* a holding statement (holding: yes, or its
				   name starts with "holding") */
	char	*body;
	char	*file;		/* its file's name (template_load_all) */
	int	 shortcut_line;	/* where its headers and text begin in */
	int	 channels_line;	/* the file, for template_check */
	int	 body_line;
};
struct template_vars {
	const char	*customer_name;
	const char	*agent_name;
	const char	*channel;
	int		 lenient;	/* the bot: a variable with no value
					   and no fallback is empty */
};
void template_free(struct template *t);
/* The templates directory (beside the config file); the caller frees it. */
char *template_dir(void);
/* Parse a template file's content; NULL and *cause (file:line) if bad. */
struct template *template_parse(const char *file_name, const char *data,
    size_t len, char **cause);
/* The templates' names (NULL-terminated, allocated: free each and it),
 * holding statements first when holding_first (a crisis), else by name. */
char **template_names(int holding_first);
/* Find a template by name or shortcut; NULL and *cause when none. */
struct template *template_load(const char *name, char **cause);
/* The template mapped to a channel-approved template name (approved:);
 * NULL and *cause when none. */
struct template *template_find_approved(const char *approved, char **cause);
/*
 * The values of t's variables in text (t's body filled in), in the
 * body's order, read back from the literal text around them: the
 * parameters of a channel-approved template. 0 and *values (*n of them,
 * the caller frees each and the array), or -1 when text is not t's body.
 */
int template_params(const struct template *t, const char *text,
    char ***values, size_t *n);
/* May it be used on this channel? */
int template_allows(const struct template *t, const char *channel);
/* The text with its variables filled in ({{name}}, {{name | "fallback"}});
 * NULL and *cause on an unknown variable, a bad fallback, or a variable
 * with no value here and no fallback (unless v->lenient). */
char *template_render(const struct template *t, const struct template_vars *v,
    char **cause);
/* Is s a person's name, that a template may greet (not empty, not a
 * phone number, handle or address)? */
int template_is_name(const char *s);
/* A variant's language: its language: header, else its name's suffix
 * (refund.fr, refund-fr), else NULL. Owned by t. */
const char *template_variant_lang(const struct template *t);
/* A name without its language suffix ("refund.fr": "refund"); allocated. */
char *template_stem(const char *name);
/* Every template of the directory, sorted by name (their file set), and
 * the files that do not parse ("file:line: why"). The caller frees both
 * with template_all_free and each error and the array. */
struct template **template_load_all(size_t *n, char ***errors,
    size_t *n_errors);
/* The same from another directory (ombre templates check DIR). */
struct template **template_load_dir(const char *dir, size_t *n,
    char ***errors, size_t *n_errors);
void template_all_free(struct template **all, size_t n);
/*
 * NAME (a template's name, file or shortcut, or the stem of variants) for
 * a customer speaking lang (NULL: unknown): the variant in lang, else NAME
 * itself, else the variant in template.language, else the first variant.
 * NULL and *cause when there is none.
 */
struct template *template_resolve(const char *name, const char *lang,
    char **cause);
/* The same among all (template_load_all's); owned by all, or NULL. */
struct template *template_pick(struct template *const *all, size_t n,
    const char *name, const char *lang);
/* Every problem of these templates as "file:line: message" (unknown
 * variable, bad fallback, unknown channel, duplicate name or shortcut);
 * returns how many, *problems allocated (free each and it). */
size_t template_check(struct template *const *all, size_t n,
    char ***problems);
/* The text of template t for a conversation on channel with customer_name,
 * written by this agent: refused when t is not for the channel, else
 * rendered. The caller frees it; NULL and *cause when refused or broken. */
char *template_fill(const struct template *t, const char *channel,
    const char *customer_name, char **cause);

/* ------------------------------------------------------------------ cmd */

enum cmd_retval {
	CMD_NORMAL = 0,
	CMD_ERROR = 1
};

struct cmd_ctx;
struct cmd_host;
struct crisis;

/*
 * One command of the language: a const row of a table (tmux cmd_entry).
 * A core command has exec; a command of the layer above (the console) has
 * host_exec instead, which runs on the host's data and returns what the
 * host must do next (flags of the host's own, 0 for nothing), or -1 with
 * *cause set.
 */
struct cmd_entry {
	const char	*name;
	const char	*alias;
	int		 args_min;
	int		 args_max;	/* -1: no limit */
	const char	*usage;
	const char	*help;
	int		 flags;
#define CMD_NEEDS_STORE	0x1	/* touches the message store */
#define CMD_SECRET	0x2	/* may carry a secret: refused in a lax config file */
	enum cmd_retval	(*exec)(struct cmd_ctx *, int argc, char **argv);
	int		(*host_exec)(void *data, int argc, char **argv,
			    char **cause);
};

/*
 * What the layer above provides to commands. The CLI waits for the
 * database; the console hands writes to a child job and runs its own
 * commands.
 */
struct cmd_host {
	/* Apply +tag/-tag operations to every conversation matching target
	 * (a CONV or a query). Return 0, or -1 with *cause set. */
	int	(*tag)(void *data, const char *target, char **ops, int n_ops,
		    char **cause);
	/* Act on what a host_exec command returned. NULL without a console:
	 * its commands are then refused. */
	void	(*react)(void *data, int reaction);
	/* The outermost macro-run ended; may be NULL. */
	void	(*macro_end)(void *data);
	/* bot-scenario outside a config file: the data dir's scenario, the
	 * one every process indexing there answers with. Set it to name
	 * ("-" removes it; NULL only reads it) and return 0 with *in_force
	 * the data dir's scenario now (allocated, NULL for none), or -1 with
	 * *cause set. NULL: the scenario is the process's own. */
	int	(*scenario)(void *data, const char *name, char **in_force,
		    char **cause);
	/* crisis on|off|status: with set, put c in force on the data dir (NULL:
	 * end it), recording its events; then return 0 with *in_force the
	 * data dir's crisis now (NULL: none), or -1 with *cause set. NULL:
	 * no data dir here, the command is refused. */
	int	(*crisis)(void *data, int set, const struct crisis *c,
		    struct crisis **in_force, char **cause);
	void	*data;
};

/* Where errors and output of commands go. */
struct cmd_ctx {
	struct cmd_host	*host;
	const char	*file;		/* config file being run, or NULL */
	int		 line;
	int		 file_lax;	/* the file is readable by group or others */
	char		*fatal_cause;	/* set by a refusal that stops everything */
	int		 macro_depth;	/* macros running (they nest) */
	void		(*print)(struct cmd_ctx *, const char *text);
	void		(*error)(struct cmd_ctx *, const char *text);
	void		*data;
};

/* Print a line of output / report an error through the context. */
void cmd_print(struct cmd_ctx *ctx, const char *fmt, ...) OMBRE_PRINTF(2, 3);
enum cmd_retval cmd_error(struct cmd_ctx *ctx, const char *fmt, ...) OMBRE_PRINTF(2, 3);

/*
 * cmd-parse.c: split a command string into commands and words with tmux's
 * rules: whitespace separates words; '...' is literal; "..." takes \"
 * \\ \n \t \e (as ^[, never a raw ESC) and \uXXXX; \ escapes one
 * character outside quotes, and \ before a newline continues the line;
 * a word starting with # begins a comment; a ';' word (or a word ending
 * in an unescaped ';') ends a command.
 */
struct cmd_list {
	int	  n;
	int	 *argc;
	char	***argv;
};
/* Return a list, or NULL with *cause set on unbalanced quotes. */
struct cmd_list *cmd_parse(const char *text, char **cause);
void cmd_list_free(struct cmd_list *list);

/* cmd.c */
/* The commands in use, NULL-name terminated, sorted by name: core's and
 * those registered. Valid until the next cmd_register. */
const struct cmd_entry *cmd_table(void);
/* Add a table of rows (NULL-name terminated) from the layer above, before
 * any command runs; the rows are copied. A name already in use is fatal. */
void cmd_register(const struct cmd_entry *table);
const struct cmd_entry *cmd_find(const char *name);
/* Append word quoted so that cmd_parse reads it back as one word. */
void cmd_quote_word(struct buf *b, const char *word);
/* Append word in single quotes for a shell command the user can paste. */
void cmd_quote_shell(struct buf *b, const char *word);
/* What the commands' files share: report a row's usage (returns
 * CMD_ERROR); argv[from..to) joined with spaces, bare or each word quoted
 * (the caller frees the result); a string of commands kept to run later
 * checked (0, or -1 with *cause set). */
enum cmd_retval cmd_usage(struct cmd_ctx *ctx, const char *name);
char *cmd_join(char **argv, int from, int to);
char *cmd_join_quoted(char **argv, int from, int to);
int cmd_check_string(const char *text, char **cause);

/* cmd-keys.c, cmd-options.c, cmd-views.c, cmd-channels.c, cmd-macros.c,
 * cmd-bot.c:
 * core's commands by theme, each file's rows NULL-name terminated. */
extern const struct cmd_entry cmd_keys_entries[];
extern const struct cmd_entry cmd_options_entries[];
extern const struct cmd_entry cmd_views_entries[];
extern const struct cmd_entry cmd_channels_entries[];
extern const struct cmd_entry cmd_macros_entries[];
extern const struct cmd_entry cmd_bot_entries[];
extern const struct cmd_entry cmd_hooks_entries[];
extern const struct cmd_entry cmd_sla_entries[];
extern const struct cmd_entry cmd_team_entries[];
extern const struct cmd_entry cmd_watch_entries[];
extern const struct cmd_entry cmd_crisis_entries[];
extern const struct cmd_entry cmd_alert_entries[];
/* Run one command (argv[0] is its name). */
enum cmd_retval cmd_exec(struct cmd_ctx *ctx, int argc, char **argv);
/* Parse and run a string of commands; stops at the first error. */
enum cmd_retval cmd_run_string(struct cmd_ctx *ctx, const char *text);
/* Run the commands of a parsed list in order; stop at the first error,
 * or when a refusal sets ctx->fatal_cause. */
enum cmd_retval cmd_list_exec(struct cmd_ctx *ctx, const struct cmd_list *list);

/* config.c */
/*
 * Run a config file line by line. Errors are collected as "file:line:
 * text" through ctx->error and do not stop the file. A file that
 * others may write (ssh's StrictModes: another owner than the user or
 * root, o+w, or g+w but for the owner's private group) is not run, and
 * a command flagged CMD_SECRET in a file readable by group or others
 * stops everything: both set ctx->fatal_cause (with the chmod to run). missing_ok: a missing
 * file is not an error. Return CMD_ERROR when any line failed.
 */
enum cmd_retval config_load(struct cmd_ctx *ctx, const char *path, int missing_ok);
/* The default config path ($XDG_CONFIG_HOME/ombre/config); caller frees. */
char *config_default_path(void);
/* Where recorded macros are kept ($XDG_CONFIG_HOME/ombre/macros), read
 * after the config file; caller frees. */
char *config_macros_path(void);
/* A file or directory beside the config file ("templates"). */
char *config_beside(const char *name);
/* Why config_load set ctx->file_lax: bits of its value. */
#define CONFIG_LAX_MODE		0x1	/* group or others have access (mode & 077) */
#define CONFIG_LAX_OWNER	0x2	/* the file belongs to another user */
/* How deep `source` may nest config files. */
#define CONFIG_MAX_DEPTH	10

/* hooks.c: shell commands the syncer runs on events (`hook EVENT
 * COMMAND`); several an event, run in the order declared. */
/* The events a hook may name, NULL-terminated (static storage). */
const char *const *hooks_events(void);
int hooks_event_valid(const char *event);
/* 0, or -1 with *cause naming the valid events. */
int hooks_event_check(const char *event, char **cause);
/* Add a hook; 0, or -1 with *cause (an unknown event, an empty command). */
int hooks_add(const char *event, const char *command, char **cause);
/* The commands of an event in order: the first max in out (owned by the
 * registry, valid until hooks_reset); return how many there are. */
size_t hooks_find(const char *event, const char **out, size_t max);
typedef void (*hooks_each_cb)(const char *event, const char *command,
    void *data);
void hooks_each(hooks_each_cb cb, void *data);
void hooks_reset(void);

/*
 * authority.c: a replica's central server (store.authority): claims and
 * replies run there through the command line, the exit status its answer.
 */
int authority_active(void);
/* store.authority and the words, each quoted for two shells (ours and
 * the one ssh hands them to): allocated. */
char *authority_command(const char *const *argv);
/* Run it, input on its stdin; util_run_shell's status. */
int authority_run(const char *const *argv, const char *input, size_t input_len,
    struct buf *out, struct buf *err);
/* Run store.replicate when set (0 when not): its exit status, its
 * stderr in err. */
int authority_replicate(struct buf *err);

/* options.c */
enum option_type {
	OPTION_STRING,
	OPTION_NUMBER,
	OPTION_FLAG,
	OPTION_CHOICE,
	OPTION_SECONDS	/* a duration: N, Ns, Nm or Nh, kept in seconds */
};
struct option_entry {
	const char		*name;
	enum option_type	 type;
	const char		*default_value;
	long long		 min;
	long long		 max;
	const char *const	*choices;
	const char		*help;
};
/* The option table, NULL-name terminated, sorted by name. */
const struct option_entry *options_table(void);
/* Set an option from text; return 0, or -1 with *cause set. */
int options_set(const char *name, const char *value, char **cause);
/* Reset an option to its default. */
int options_unset(const char *name, char **cause);
/* Current value as text (static until the next set) or NULL if unknown. */
const char *options_get(const char *name);
/* A number option's value, or a duration's in seconds. */
long long options_get_number(const char *name);
int options_get_flag(const char *name);
void options_reset_all(void);

/*
 * keys.c: key bindings: in a table ("root", "list", "thread") a key maps to
 * a string of commands. Lookups in list and thread fall back to root.
 */
int keys_table_valid(const char *table);
void keys_bind(const char *table, const char *key, const char *command);
/* Return -1 when the key is not bound in that table. */
int keys_unbind(const char *table, const char *key);
/* The command string bound to key, or NULL; owned by the table. */
const char *keys_lookup(const char *table, const char *key);
/* Call cb for each binding of a table (NULL: all), sorted by key. */
typedef void (*keys_each_cb)(const char *table, const char *key,
    const char *command, void *data);
void keys_each(const char *table, keys_each_cb cb, void *data);
void keys_reset(void);

/* macro.c: named strings of commands. */
void macro_define(const char *name, const char *commands);
/* The commands of a macro, or NULL; owned by the table. */
const char *macro_find(const char *name);
void macro_each(void (*cb)(const char *name, const char *commands,
    void *data), void *data);
/* Letters, digits, '-' and '_', at most 64. */
int macro_name_valid(const char *name);
void macro_reset(void);

/* style.c: the look of each role of the screen; themes are `style` lines. */
enum style_role {
	STYLE_NORMAL,
	STYLE_LIST_UNREAD,
	STYLE_LIST_CURSOR,
	STYLE_LIST_CURSOR_UNFOCUSED,	/* the cursor of the pane without the keys */
	STYLE_MARKER_HANDOFF,
	STYLE_MARKER_BOT,
	STYLE_WAIT_MEDIUM,
	STYLE_WAIT_LONG,
	STYLE_STATUS,
	STYLE_STATUS_ERROR,
	STYLE_THREAD_TITLE,
	STYLE_THREAD_DAY,
	STYLE_THREAD_CUSTOMER,
	STYLE_THREAD_BOT,
	STYLE_THREAD_AGENT,
	STYLE_THREAD_NOTE,
	STYLE_THREAD_ATTACHMENT,
	STYLE_ROLE_COUNT
};
struct style {
	int		fg;		/* -1 default, else 0..255 */
	int		bg;
	unsigned	attrs;
#define STYLE_BOLD	0x1
#define STYLE_DIM	0x2
#define STYLE_UNDERLINE	0x4
#define STYLE_REVERSE	0x8
};
const char *style_role_name(enum style_role role);
/* The role of a name, or -1. */
int style_role_find(const char *name);
/* Parse a SPEC; -1 with *cause set when it is bad. */
int style_parse(const char *spec, struct style *out, char **cause);
/* The canonical SPEC of a style (allocated). */
char *style_format(const struct style *st);
/* Back to the compiled-in default theme. */
void style_reset(void);
const struct style *style_get(enum style_role role);
void style_set(enum style_role role, const struct style *st);
/* Changes whenever a style does: the screen re-applies them. */
unsigned style_generation(void);
/* The file of a theme NAME (allocated), or NULL. */
char *style_theme_path(const char *name);

/* ------------------------------------------------------------ crisis.c */

/*
 * Crisis mode (crisis on|off|status): a topic, its view and status line in
 * every console, and a bot in place of the affected channels' own while it
 * lasts; DATA/crisis holds it (store-crisis.c).
 */
#define CRISIS_SCENARIO		"crisis"	/* the bot unless scenario= */
#define CRISIS_TOPIC_MAX	200
#define CRISIS_VIEW		"Crisis"	/* the view's name while on */
struct crisis {
	char	 *topic;
	int64_t	  since;
	char	 *scenario;	/* the bot answering the affected channels */
	char	 *agent;	/* who put it on, or NULL */
	char	**channels;	/* NULL-terminated types or channel names;
				   NULL: every channel with a built-in bot */
};
void crisis_free(struct crisis *c);
struct crisis *crisis_copy(const struct crisis *c);
/* 0, or -1 with *cause: not one printable line, or no word to search. */
int crisis_topic_valid(const char *topic, char **cause);
/* The topic's query ("Kind:customer and (colis or abime or abîmé)"),
 * allocated; NULL when no word of three letters or more is left. */
char *crisis_query(const char *topic);
/* A crisis's fields (topic, query, since, scenario, channels, agent) set in
 * a JSON object: ombre crisis status --json's and hook crisis's. */
void crisis_json(const struct crisis *c, struct json_obj *o);
/* DATA/crisis's text and back (NULL and *cause when it has no topic). */
char *crisis_format(const struct crisis *c);
struct crisis *crisis_parse(const char *text, char **cause);
/* The data dir's crisis in this process (a copy; NULL: none), and it. */
void crisis_set_data(const struct crisis *c);
const struct crisis *crisis_current(void);
/* Is the channel of this type or name affected? */
int crisis_affects(const struct crisis *c, const char *type,
    const char *name);
/* The crisis's bot for a channel with bot=channel_bot, over any
 * bot-scenario; NULL: the usual bot (no crisis, not affected, no bot). */
const char *crisis_bot_for(const char *type, const char *name,
    const char *channel_bot);
/* The Crisis view on c's query, or none (c NULL). */
void crisis_view_set(const struct crisis *c);
/* "CRISIS: TOPIC (since 14:02)", allocated, the topic unsanitised. */
char *crisis_status_text(const struct crisis *c, int64_t now);

/* view.c: saved searches, built in and from `view NAME QUERY [sort=...]`. */
enum view_sort {
	VIEW_SORT_NEWEST,	/* newest activity first (the default) */
	VIEW_SORT_WAITING,	/* longest waiting first, those not waiting last */
	VIEW_SORT_RISK		/* highest public risk first (risk.c) */
};
struct view {
	char		*name;
	char		*query;		/* a notmuch query; #{agent} is the agent */
	int		 builtin;
	enum view_sort	 sort;
};
/* Define or redefine a view, newest first or in another order. */
void view_define(const char *name, const char *query);
void view_define_sorted(const char *name, const char *query,
    enum view_sort sort);
/* The sort of a word "sort=newest" or "sort=waiting": 0, or -1 when the
 * word is not one. */
int view_sort_parse(const char *word, enum view_sort *sort);
/* "newest" or "waiting". */
const char *view_sort_name(enum view_sort sort);
/* Find by name (case-insensitive) or NULL; owned by the table. */
const struct view *view_find(const char *name);
/* Views in display order; *n set to the count. Owned by the table. */
const struct view *view_all(size_t *n);
/* The view's query with #{agent} resolved; the caller frees it. */
char *view_expand_query(const struct view *v);
void view_reset(void);
/* Forget a view defined by view_define (a team's, when it goes). */
void view_remove(const char *name);

/*
 * team.c: teams (`team NAME AGENT...`), the channels an agent is offered
 * (`agent-channels AGENT CHANNEL...`), the names assign accepts, and
 * DATA/team, the declarations a shared data dir gives every agent.
 */
/* A conversation in a team's queue: tagged ombre/team/NAME. */
#define TEAM_TAG_PREFIX	"ombre/team/"
/* A team's, an agent's or a channel's name: letters, digits, . _ -. */
int team_name_valid(const char *name);
/* Declare a team or an agent's channels for this process (n == 0 removes
 * it); 0, or -1 with *cause set. A team has the view "Team NAME". */
int team_set(const char *name, char *const *agents, size_t n, char **cause);
int team_channels_set(const char *agent, char *const *channels, size_t n,
    char **cause);
/* Whether any team or agent-channels is declared. */
int team_declared(void);
size_t team_count(void);
const char *team_name_at(size_t i);
/* A team's agents / an agent's channels, or NULL (n 0) when undeclared. */
char *const *team_members(const char *name, size_t *n);
char *const *team_agent_channels(const char *agent, size_t *n);
/* "(Channel:a or Channel:b)" for an agent with agent-channels, or NULL.
 * Allocated. */
char *team_channels_query(const char *agent);
/*
 * The agents assign accepts, sorted, oneself included: the declared ones
 * (teams' members and agent-channels' agents), or when nothing is
 * declared the seen ones (those the store's ombre/assigned/ tags name).
 * team_known_targets adds team:NAME for each team. NULL-terminated, free
 * with triage_tags_free.
 */
char **team_known_agents(char *const *seen, size_t n_seen);
char **team_known_targets(char *const *seen, size_t n_seen);
/*
 * What assign's word names: team:NAME (or a team's bare name that is no
 * agent's) sets *team, a known agent *agent (allocated). An unknown one
 * is -1 with *cause "unknown agent bbo: ana, bob, team:support".
 */
int team_target(const char *word, char *const *seen, size_t n_seen,
    char **agent, char **team, char **cause);
/* The declarations as commands: all, or DATA/team's only. Allocated. */
char *team_text(int shared_only);
/* DATA/team read (data_dir NULL: the one read last), replacing what it
 * declared before; its lines may only be team and agent-channels. */
int team_load(const char *data_dir, char **cause);
int team_load_text(const char *text, const char *where, char **cause);
/* The data dir team_load read, or NULL. */
const char *team_data_dir(void);
/* Change one declaration in DATA/team (read again, written whole). */
int team_store(int is_team, const char *name, char *const *words, size_t n,
    char **cause);
void team_reset(void);

/*
 * watch.c: the terms trends, spike detection and insights count besides
 * channels (`watch TERM...`); French and English order words by default
 * (commande, livraison, colis, remboursement, order, delivery, parcel,
 * refund). A term matches folded text (text_fold) as whole words.
 */
/* 1 added, 0 already watched, -1 with *cause (may be NULL) when bad. */
int watch_add(const char *term, char **cause);
int watch_remove(const char *term);	/* 1 removed, 0 not watched */
void watch_clear(void);			/* none, not even the defaults */
void watch_reset(void);			/* back to the defaults (tests) */
size_t watch_count(void);
const char *watch_term(size_t i);	/* as written; NULL past the end */
const char *watch_folded(size_t i);	/* folded, spaces squeezed */
/* Does folded text[0..len) hold term i as words? */
int watch_match(size_t i, const char *folded, size_t len);

/*
 * spike.c: is the last hour's count a spike against the same hour of the
 * previous days? Poisson upper tail below SPIKE_P, at least SPIKE_MIN and
 * SPIKE_RATIO times the mean (floored at SPIKE_FLOOR). Pure (t-spike).
 */
#define SPIKE_P		0.001
#define SPIKE_MIN	5
#define SPIKE_RATIO	3.0
#define SPIKE_FLOOR	0.5
#define SPIKE_DAYS	7	/* the baseline: the same hour, 7 days back */
struct spike_verdict {
	double	mean;		/* of the baseline */
	double	floored;	/* the mean the test used */
	double	p;		/* P(X >= observed | floored) */
	double	ratio;		/* observed / floored */
	int	spike;
};
/* P(X >= k) for X Poisson of mean m. */
double spike_tail(unsigned long k, double m);
/* Fill *v for observed against the n counts of base; return v->spike. */
int spike_test(unsigned long observed, const double *base, size_t n,
    struct spike_verdict *v);
enum spike_kind { SPIKE_TERM, SPIKE_CHANNEL };
struct spike {
	enum spike_kind	 kind;
	char		*name;		/* a term as written, a channel type */
	unsigned long	 count;		/* in the last hour */
	double		 baseline;	/* the mean of the same hour before */
	int64_t		 at;		/* when: the end of the hour counted */
};
/* DATA/feed's token of a spike (allocated), and back: 0 or -1. */
char *spike_token(const struct spike *s);
int spike_token_parse(const char *token, struct spike *s);
void spike_clear(struct spike *s);
/* "spike: 'livraison' x4 in the last hour (12)", sanitised, allocated. */
char *spike_text(const struct spike *s);
/* Counts as a line of bars, one a count (allocated). */
char *spike_sparkline(const unsigned long *v, size_t n, int utf8);

/*
 * insights.c: what customers write, counted (ombre insights): words and
 * two-word phrases once stop words (French, English, greetings) are
 * removed, links and their domains, watched terms, channels, hours of
 * day. Each count is of messages mentioning it. Bounded memory: the
 * rarest keys of a full table are forgotten (insights_pruned).
 */
enum insights_list {
	INSIGHTS_TOPICS,	/* words, folded */
	INSIGHTS_PHRASES,	/* two words, one space between */
	INSIGHTS_LINKS,		/* URLs, trailing punctuation stripped */
	INSIGHTS_DOMAINS,	/* their hosts without www. */
	INSIGHTS_CHANNELS,
	INSIGHTS_N_LISTS
};
struct insights;
struct insights_item {
	const char	*key;	/* owned by the insights, unsanitised */
	long		 count;
};
/* Counts start empty; the watched terms are watch.c's at this call. */
struct insights *insights_new(void);
void insights_free(struct insights *ins);
/* Count one customer message: its text (any bytes), channel, hour of day
 * (0-23, -1: none) and conversation (any string naming it). */
void insights_add(struct insights *ins, const char *text, size_t len,
    const char *channel, int hour, const char *conv);
long insights_messages(const struct insights *ins);
long insights_conversations(const struct insights *ins);
long insights_hour(const struct insights *ins, int hour);
size_t insights_watch_count(const struct insights *ins);
/* Messages and conversations mentioning watched term i. */
void insights_watch(const struct insights *ins, size_t i, long *messages,
    long *conversations);
/* Were rare keys forgotten (counts of the rarest approximate)? */
int insights_pruned(const struct insights *ins);
/* A list, most frequent first, ties by key; at most limit (0: all) into
 * *n. The array is allocated (free it), its keys valid until
 * insights_free. */
struct insights_item *insights_top(const struct insights *ins,
    enum insights_list list, size_t limit, size_t *n);
/* The tokeniser alone: each word, phrase, link and domain of text in
 * order, as many times as found (insights_add counts each once). */
typedef void (*insights_token_cb)(enum insights_list list, const char *s,
    size_t len, void *data);
void insights_tokens(const char *text, size_t len, insights_token_cb cb,
    void *data);
/* Is a folded word one of the stop words? */
int insights_stop_word(const char *folded);

/* agent: who I am (option "agent", default $USER). Static storage. */
const char *core_agent_name(void);

/* ----------------------------------------------------- channel-config.c */

/*
 * Channels declared by `channel NAME TYPE KEY=VALUE...`: the registry the
 * adapters read. Values may be secrets: never log or print them (see
 * show-channels). Every string is owned by the registry.
 */
struct channel_config {
	char	 *name;
	char	 *type;
	size_t	  n;
	char	**keys;
	char	**values;
};
/*
 * Define a channel, or replace the one with the same name (it keeps its
 * place). name is letters, digits, '-' and '_'; keys are [a-z-]+ and
 * appear once. The type is the caller's to check. Return 0, or -1 with
 * *cause set (naming a key, never a value).
 */
int channel_config_define(const char *name, const char *type,
    char *const *keys, char *const *values, size_t n, char **cause);
/* Find by name (exact) or NULL; valid until the next define or reset. */
const struct channel_config *channel_config_find(const char *name);
/* Channels in definition order, *n set to the count; valid until the next
 * define or reset. */
const struct channel_config *channel_config_all(size_t *n);
/* The value of key in a channel, or NULL; owned by the registry. */
const char *channel_config_get(const struct channel_config *cc, const char *key);
/* The channel a message of this type and account came through: the one
 * of that type whose account is the account (account=, else a Telegram
 * token's bot id or a Matrix user=), else the first of that type whose
 * account is not known (a token-command), else the first of that type,
 * else NULL (no such channel declared). */
const struct channel_config *channel_config_for(const char *type,
    const char *account);
/*
 * The declared channel that sends replies of this type and account, or
 * NULL when none would (a reply to it would wait in the outbox for ever):
 * a channel of a type that sends (telegram, matrix, whatsapp, messenger,
 * demo) chosen as channel_config_for does, never one whose account is
 * known to be another; else a Matrix channel whose user= is the account
 * (its bridged rooms carry their network's name); else a demo channel
 * with deliver=all, which sends every reply (--demo). Valid until the
 * next define or reset.
 */
const struct channel_config *channel_config_sender(const char *type,
    const char *account);
void channel_config_reset(void);
/* A secret from the channel's KEY or KEY-command (run by /bin/sh, its
 * first line of output), allocated (the caller wipes and frees it); NULL
 * with *cause (naming the key, never the value) when there is none. */
char *channel_config_secret(const struct channel_config *cc,
    const char *key, char **cause);
/* Whether channels of this type are called by their platform (whatsapp,
 * messenger, line, sms): `ombre webhook` serves them. 1 or 0. */
int channel_config_webhook_type(const char *type);

/*
 * An e-mail's text as a mail client's preview shows it (mail-text.c): the
 * lines its sender wrote, without the attribution ("On ... wrote:", "Le
 * ... a écrit :", also wrapped over two lines), quoted lines ("> ") and
 * what follows a signature ("-- ") or an "Original Message" line; the
 * kept lines joined by newlines, blank ones left out. Allocated, or NULL
 * when nothing is left (a message of quotes only).
 */
char *mail_preview(const char *text, size_t len);
/* 1 when a line is quoted: its first non-blank character is '>'. */
int mail_quoted_line(const char *s, size_t len);
/* A subject without its "Re:", "Fwd:", "TR:" (repeated, "RE :", "Re[2]:")
 * nor blanks at its ends. Allocated. */
char *mail_subject(const char *subject);

#endif
