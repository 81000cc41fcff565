/*
 * options.c: every option in one const table (tmux options-table.c), with
 * its type, range, default and help; `set`, `show-options`, the help
 * screen and the man-page check all read it.
 *
 * Current values are kept as canonical text beside the table: NULL means
 * the default. A number is stored as printed by %lld and a flag as "on"
 * or "off", so show-options prints what the program uses.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The longest agent name: it becomes the tag ombre/assigned/NAME. */
#define OPTIONS_AGENT_MAX 64

static const char *const options_notify_choices[] = {
	"off", "osc777", "osc9", NULL
};

static const struct option_entry options_entries[] = {
	{ .name = "agent",
	  .type = OPTION_STRING,
	  .default_value = "",
	  .help = N_("who I am: conversations I take get the tag "
	      "ombre/assigned/NAME (empty: $USER)") },
	{ .name = "alert.bell",
	  .type = OPTION_FLAG,
	  .default_value = "on",
	  .help = N_("the console rings the terminal's bell when a "
	      "conversation needs a human (a handoff or an alert in "
	      "DATA/feed)") },
	{ .name = "alert.notify",
	  .type = OPTION_CHOICE,
	  .default_value = "off",
	  .choices = options_notify_choices,
	  .help = N_("a desktop notification through the terminal for the same "
	      "(osc777, osc9 or off; inside tmux it needs "
	      "allow-passthrough)") },
	{ .name = "email.quote",
	  .type = OPTION_FLAG,
	  .default_value = "on",
	  .help = N_("an e-mail reply quotes the customer's message below "
	      "it, each line after \"> \"") },
	{ .name = "hook.timeout",
	  .type = OPTION_SECONDS,
	  .default_value = "10s",
	  .min = 1,
	  .max = 3600,
	  .help = N_("how long a hook may run before it is killed (SIGTERM, "
	      "then SIGKILL 2 s later)") },
	{ .name = "list.limit",
	  .type = OPTION_NUMBER,
	  .default_value = "50",
	  .min = 1,
	  .max = 10000,
	  .help = N_("conversations read per page of a list") },
	{ .name = "net.ca-file",
	  .type = OPTION_STRING,
	  .default_value = "",
	  .help = N_("CA certificates to verify servers with (empty: the "
	      "system's); verification cannot be turned off") },
	{ .name = "net.connect-timeout",
	  .type = OPTION_NUMBER,
	  .default_value = "10000",
	  .min = 100,
	  .max = 600000,
	  .help = N_("milliseconds a connection may take to open") },
	{ .name = "net.low-speed-time",
	  .type = OPTION_NUMBER,
	  .default_value = "30000",
	  .min = 1000,
	  .max = 600000,
	  .help = N_("milliseconds a request may stall (no byte) before it is "
	      "dropped; long polls add their own wait") },
	{ .name = "net.max-response",
	  .type = OPTION_NUMBER,
	  .default_value = "16777216",
	  .min = 1024,
	  .max = 1073741824,
	  .help = N_("bytes an answer may have at most") },
	{ .name = "reply.takes-over",
	  .type = OPTION_FLAG,
	  .default_value = "on",
	  .help = N_("a reply from an agent takes a bot or handoff "
	      "conversation over: mode human, assigned to the agent") },
	{ .name = "sla.handoff-breach",
	  .type = OPTION_SECONDS,
	  .default_value = "1h",
	  .min = 1,
	  .max = 30 * 86400,
	  .help = N_("the sla target where none applies: a customer waiting "
	      "this long is past it (wait.long): 90s, 15m, 1h, 1d") },
	{ .name = "sla.handoff-warn",
	  .type = OPTION_SECONDS,
	  .default_value = "15m",
	  .min = 1,
	  .max = 30 * 86400,
	  .help = N_("the sla warning where no target applies: a customer "
	      "waiting this long shows in wait.medium: 90s, 15m, 1h, 1d") },
	{ .name = "store.authority",
	  .type = OPTION_STRING,
	  .default_value = "",
	  .help = N_("on a replica, the central server's ombre as a command "
	      "prefix (ssh -T server ombre --data-dir DIR): claims and "
	      "replies are run there (empty: this store is the authority)") },
	{ .name = "store.batch-messages",
	  .type = OPTION_NUMBER,
	  .default_value = "500",
	  .min = 1,
	  .max = 100000,
	  .help = N_("messages indexed in one database transaction at most") },
	{ .name = "store.batch-ms",
	  .type = OPTION_NUMBER,
	  .default_value = "200",
	  .min = 1,
	  .max = 60000,
	  .help = N_("milliseconds after which a write transaction is "
	      "committed") },
	{ .name = "store.database",
	  .type = OPTION_STRING,
	  .default_value = "",
	  .help = N_("path of an existing notmuch database to share (empty: "
	      "ombre's own)") },
	{ .name = "store.lock-timeout",
	  .type = OPTION_NUMBER,
	  .default_value = "30",
	  .min = 0,
	  .max = 86400,
	  .help = N_("seconds a write waits for the database lock (0: do not "
	      "wait)") },
	{ .name = "store.replicate",
	  .type = OPTION_STRING,
	  .default_value = "",
	  .help = N_("on a replica, the command that synchronises it with the "
	      "central server (muchsync ...), run after each forwarded "
	      "write and every store.replicate-interval by the syncer") },
	{ .name = "store.replicate-interval",
	  .type = OPTION_SECONDS,
	  .default_value = "30",
	  .min = 1,
	  .max = 86400,
	  .help = N_("how often a replica's syncer runs store.replicate") },
	{ .name = "sync.attempts",
	  .type = OPTION_NUMBER,
	  .default_value = "5",
	  .min = 1,
	  .max = 1000,
	  .help = N_("tries `sync --once` gives an unreachable channel before "
	      "it says so") },
	{ .name = "sync.max-wait",
	  .type = OPTION_NUMBER,
	  .default_value = "3600",
	  .min = 1,
	  .max = 86400,
	  .help = N_("seconds a server may make the syncer wait at most (a "
	      "429's retry_after or Retry-After)") },
	{ .name = "sync.poll-timeout",
	  .type = OPTION_NUMBER,
	  .default_value = "25",
	  .min = 0,
	  .max = 600,
	  .help = N_("seconds a long poll waits on the server for news") },
	{ .name = "sync.retry-base",
	  .type = OPTION_NUMBER,
	  .default_value = "1000",
	  .min = 1,
	  .max = 600000,
	  .help = N_("milliseconds of the first backoff after an error (then "
	      "doubled, with full jitter)") },
	{ .name = "sync.retry-cap",
	  .type = OPTION_NUMBER,
	  .default_value = "60000",
	  .min = 1,
	  .max = 3600000,
	  .help = N_("milliseconds the backoff never exceeds") },
	{ .name = "template.language",
	  .type = OPTION_STRING,
	  .default_value = "",
	  .help = N_("the language variant of a canned reply (refund.fr, "
	      "refund.en) used when the customer's is not known (empty: "
	      "the template as named)") },
	{ .name = "theme",
	  .type = OPTION_STRING,
	  .default_value = "default",
	  .help = N_("colour theme: a name from the themes directory or a "
	      "path") },
	{ .name = "thread.mark-read",
	  .type = OPTION_FLAG,
	  .default_value = "on",
	  .help = N_("opening a conversation marks the unread messages it "
	      "shows read") },
	{ .name = "webhook.max-body",
	  .type = OPTION_NUMBER,
	  .default_value = "1048576",
	  .min = 1024,
	  .max = 67108864,
	  .help = N_("bytes a webhook request's body may have (more: 413)") },
	{ .name = "webhook.max-connections",
	  .type = OPTION_NUMBER,
	  .default_value = "64",
	  .min = 1,
	  .max = 10000,
	  .help = N_("connections the webhook receiver serves at once (more "
	      "wait in the kernel's listen queue until one closes)") },
	{ .name = "webhook.timeout",
	  .type = OPTION_SECONDS,
	  .default_value = "10s",
	  .min = 1,
	  .max = 3600,
	  .help = N_("how long a webhook request may stay silent, or take in "
	      "all, before its connection is closed (nothing stored)") },
	{ .name = "whatsapp.read-receipts",
	  .type = OPTION_FLAG,
	  .default_value = "on",
	  .help = N_("an agent opening a WhatsApp or Messenger conversation "
	      "marks the customer's message read on the channel") },
	{ .name = NULL }
};
#define OPTIONS_COUNT (nitems(options_entries) - 1)

static char	*options_values[OPTIONS_COUNT];

static int	 options_agent_char(int c);
static int	 options_check_agent(const char *value, char **cause);

/*
 * Checks an option needs beyond its type, by name. The agent becomes part
 * of a tag, so it is held to the characters core_agent_name() keeps.
 */
static const struct {
	const char	*name;
	int		(*check)(const char *, char **);
} options_checks[] = {
	{ "agent", options_check_agent },
};

static const struct option_entry *options_find(const char *name);
static int	 options_compare(const void *key, const void *entry);
static char	*options_parse(const struct option_entry *oe, const char *value,
		     char **cause);

/* A character allowed in an agent name: letters, digits, '.', '_', '-'. */
static int
options_agent_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* Check an agent name; empty is allowed and means the login name. */
static int
options_check_agent(const char *value, char **cause)
{
	const char	*p;

	for (p = value; *p != '\0'; p++) {
		if (!options_agent_char((unsigned char)*p))
			break;
	}
	if (*p != '\0' || strlen(value) > OPTIONS_AGENT_MAX) {
		*cause = xasprintf(_("invalid agent name '%s': use at most %d "
		    "letters, digits, '.', '_' and '-'"), value,
		    OPTIONS_AGENT_MAX);
		return -1;
	}
	return 0;
}

/* bsearch comparison of a name with a table row. */
static int
options_compare(const void *key, const void *entry)
{
	const struct option_entry	*oe = entry;

	return strcmp(key, oe->name);
}

/* The table row of an option, or NULL. */
static const struct option_entry *
options_find(const char *name)
{
	return bsearch(name, options_entries, OPTIONS_COUNT,
	    sizeof options_entries[0], options_compare);
}

/*
 * Check value against an option's type and return its canonical text
 * (allocated), or NULL with *cause set.
 */
static char *
options_parse(const struct option_entry *oe, const char *value, char **cause)
{
	static const char *const	 flag_on[] = { "on", "yes", "1", "true" };
	static const char *const	 flag_off[] = { "off", "no", "0", "false" };
	const char *const		*c;
	char				*end;
	long long			 n;
	size_t				 i;

	for (i = 0; i < nitems(options_checks); i++) {
		if (strcmp(options_checks[i].name, oe->name) == 0 &&
		    options_checks[i].check(value, cause) != 0)
			return NULL;
	}

	switch (oe->type) {
	case OPTION_STRING:
		return xstrdup(value);
	case OPTION_NUMBER:
		errno = 0;
		n = strtoll(value, &end, 10);
		if (*value == '\0' || *end != '\0' || errno == ERANGE) {
			*cause = xasprintf(_("%s: not a number: %s"), oe->name,
			    value);
			return NULL;
		}
		if (n < oe->min || n > oe->max) {
			*cause = xasprintf(_("%s: %lld is out of range (%lld "
			    "to %lld)"), oe->name, n, oe->min, oe->max);
			return NULL;
		}
		return xasprintf("%lld", n);
	case OPTION_SECONDS:
		/* "90", "90s", "2m", "1h", "1d": kept as seconds, "90s". */
		errno = 0;
		n = strtoll(value, &end, 10);
		if (*end == 'd' && n <= LLONG_MAX / 86400) {
			n *= 86400;
			end++;
		} else if (*end == 'm' && n <= LLONG_MAX / 60) {
			n *= 60;
			end++;
		} else if (*end == 'h' && n <= LLONG_MAX / 3600) {
			n *= 3600;
			end++;
		} else if (*end == 's')
			end++;
		if (*value == '\0' || end == value || *end != '\0' ||
		    errno == ERANGE) {
			*cause = xasprintf(_("%s: not a duration (10s, 2m, 1h, "
			    "1d): %s"), oe->name, value);
			return NULL;
		}
		if (n < oe->min || n > oe->max) {
			*cause = xasprintf(_("%s: %llds is out of range (%llds "
			    "to %llds)"), oe->name, n, oe->min, oe->max);
			return NULL;
		}
		return xasprintf("%llds", n);
	case OPTION_FLAG:
		for (i = 0; i < nitems(flag_on); i++) {
			if (strcasecmp(value, flag_on[i]) == 0)
				return xstrdup("on");
			if (strcasecmp(value, flag_off[i]) == 0)
				return xstrdup("off");
		}
		*cause = xasprintf(_("%s: not on or off: %s"), oe->name, value);
		return NULL;
	case OPTION_CHOICE:
		for (c = oe->choices; *c != NULL; c++) {
			if (strcmp(value, *c) == 0)
				return xstrdup(value);
		}
		*cause = xasprintf(_("%s: not one of the choices: %s"),
		    oe->name,
		    value);
		return NULL;
	}
	/* not translated: a programming error */
	fatalx("option %s has an unknown type", oe->name);
}

const struct option_entry *
options_table(void)
{
	return options_entries;
}

int
options_set(const char *name, const char *value, char **cause)
{
	const struct option_entry	*oe;
	char				*v;

	if ((oe = options_find(name)) == NULL) {
		*cause = xasprintf(_("unknown option: %s"), name);
		return -1;
	}
	if ((v = options_parse(oe, value, cause)) == NULL)
		return -1;
	free(options_values[oe - options_entries]);
	options_values[oe - options_entries] = v;
	return 0;
}

int
options_unset(const char *name, char **cause)
{
	const struct option_entry	*oe;

	if ((oe = options_find(name)) == NULL) {
		*cause = xasprintf(_("unknown option: %s"), name);
		return -1;
	}
	free(options_values[oe - options_entries]);
	options_values[oe - options_entries] = NULL;
	return 0;
}

const char *
options_get(const char *name)
{
	const struct option_entry	*oe;

	if ((oe = options_find(name)) == NULL)
		return NULL;
	if (options_values[oe - options_entries] != NULL)
		return options_values[oe - options_entries];
	return oe->default_value;
}

/* A number option's value; asking for an unknown or non-number option is a
 * bug in the caller. */
long long
options_get_number(const char *name)
{
	const struct option_entry	*oe;
	char				*text, *cause;
	long long			 n;

	oe = options_find(name);
	if (oe == NULL || (oe->type != OPTION_NUMBER &&
	    oe->type != OPTION_SECONDS))
		/* not translated: a programming error */
		fatalx("%s is not a number option", name);
	if (oe->type == OPTION_SECONDS) {
		/* A default is written as a person would ("15m"). */
		if ((text = options_parse(oe, options_get(name), &cause)) ==
		    NULL)
			fatalx("%s: %s", name, cause);
		n = strtoll(text, NULL, 10);
		free(text);
		return n;
	}
	return strtoll(options_get(name), NULL, 10);
}

/* A flag option's value (1 or 0); an unknown or non-flag option is a bug in
 * the caller. */
int
options_get_flag(const char *name)
{
	const struct option_entry	*oe;

	oe = options_find(name);
	if (oe == NULL || oe->type != OPTION_FLAG)
		/* not translated: a programming error */
		fatalx("%s is not a flag option", name);
	return strcmp(options_get(name), "on") == 0;
}

void
options_reset_all(void)
{
	size_t	i;

	for (i = 0; i < OPTIONS_COUNT; i++) {
		free(options_values[i]);
		options_values[i] = NULL;
	}
}

/*
 * Who I am: the agent option, else $USER, else $LOGNAME, else "agent".
 * Each candidate keeps only the characters allowed in a name (it becomes
 * part of a tag) and one that keeps none is skipped.
 */
const char *
core_agent_name(void)
{
	static char	 name[OPTIONS_AGENT_MAX + 1];
	const char	*candidates[3];
	const char	*p;
	size_t		 i, n;

	candidates[0] = options_get("agent");
	candidates[1] = getenv("USER");
	candidates[2] = getenv("LOGNAME");
	for (i = 0; i < nitems(candidates); i++) {
		if (candidates[i] == NULL)
			continue;
		n = 0;
		for (p = candidates[i]; *p != '\0' && n < OPTIONS_AGENT_MAX; p++) {
			if (options_agent_char((unsigned char)*p))
				name[n++] = *p;
		}
		name[n] = '\0';
		if (n != 0)
			return name;
	}
	return "agent";
}
