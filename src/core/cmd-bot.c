/*
 * cmd-bot.c: the commands of handoff rules and of the built-in bot:
 * handoff-rule, list-handoff-rules, bot-answer, bot-fallback,
 * bot-handoff, bot-hours, bot-greeting, bot-scenario, list-bots. The
 * policy is in rules.c and bot.c; these only read arguments.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static enum cmd_retval	cmd_handoff_rule_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_list_handoff_rules_exec(struct cmd_ctx *, int,
			    char **);
static enum cmd_retval	cmd_bot_answer_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_bot_fallback_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_bot_handoff_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_bot_hours_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_bot_greeting_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_bot_scenario_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_list_bots_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_bot_survey_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_bot_entries[] = {
	{ .name = "bot-answer",
	  .args_min = 3,
	  .args_max = -1,
	  .usage = N_("bot-answer NAME [vary=yes|no] REGEX ANSWER..."),
	  .help = N_("the bot NAME answers a customer's text matching REGEX, "
	      "with each ANSWER in turn (vary=yes: from one the customer's "
	      "message picks)"),
	  .exec = cmd_bot_answer_exec },
	{ .name = "bot-fallback",
	  .args_min = 2,
	  .args_max = -1,
	  .usage = N_("bot-fallback NAME TEXT..."),
	  .help = N_("what the bot NAME says when no pattern matches, each "
	      "TEXT in turn"),
	  .exec = cmd_bot_fallback_exec },
	{ .name = "bot-greeting",
	  .args_min = 2,
	  .args_max = 2,
	  .usage = N_("bot-greeting NAME TEXT"),
	  .help = N_("what the bot NAME sends first on a conversation's first "
	      "message"),
	  .exec = cmd_bot_greeting_exec },
	{ .name = "bot-handoff",
	  .args_min = 2,
	  .args_max = 3,
	  .usage = N_("bot-handoff NAME [after=N] TEXT"),
	  .help = N_("after N misses in a row the bot NAME says TEXT and hands "
	      "the conversation to a human"),
	  .exec = cmd_bot_handoff_exec },
	{ .name = "bot-hours",
	  .args_min = 3,
	  .args_max = 3,
	  .usage = N_("bot-hours NAME SPEC TEXT"),
	  .help = N_("business hours of the bot NAME (\"mon-sat 09:00-18:00 "
	      "Europe/Paris\"); outside them it says TEXT"),
	  .exec = cmd_bot_hours_exec },
	{ .name = "bot-scenario",
	  .args_min = 0,
	  .args_max = 1,
	  .usage = N_("bot-scenario [NAME|-]"),
	  .help = N_("put the bot NAME in place of every channel's own, for "
	      "every process on the data dir (in a config file: this "
	      "process's default), - to go back; no argument shows it"),
	  .exec = cmd_bot_scenario_exec },
	{ .name = "bot-survey",
	  .args_min = 2,
	  .args_max = 3,
	  .usage = N_("bot-survey CHANNEL|all TEXT|- [skip-bot-only=yes|no]"),
	  .help = N_("the built-in bot asks TEXT when a conversation of "
	      "CHANNEL is closed; the customer's 1-5 is a csat event"),
	  .exec = cmd_bot_survey_exec },
	{ .name = "handoff-rule",
	  .args_min = 1,
	  .args_max = 4,
	  .usage = N_("handoff-rule customer|bot REGEX [reason=TEXT] "
	      "[priority=high] | fallbacks N | wait DURATION | clear"),
	  .help = N_("when a conversation goes from the bot to a human"),
	  .exec = cmd_handoff_rule_exec },
	{ .name = "list-bots",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "list-bots",
	  .help = N_("print every bot as the commands that make it"),
	  .exec = cmd_list_bots_exec },
	{ .name = "list-handoff-rules",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "list-handoff-rules",
	  .help = N_("print the handoff rules as handoff-rule commands"),
	  .exec = cmd_list_handoff_rules_exec },
	{ .name = NULL }
};

/* A count between 1 and 100 (0 too when zero_ok): 0 and *n, or -1. */
static int
cmd_bot_count(const char *s, int zero_ok, int *n)
{
	char	*end;
	long	 v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &end, 10);
	if (*end != '\0' || v > 100 || (v == 0 && !zero_ok))
		return -1;
	*n = (int)v;
	return 0;
}

/* A handoff-rule's own argument: fallbacks N, wait DURATION, clear. */
static enum cmd_retval
cmd_handoff_rule_setting(struct cmd_ctx *ctx, int argc, char **argv)
{
	int64_t	seconds;
	int	n;

	if (strcmp(argv[1], "clear") == 0) {
		if (argc != 2)
			return cmd_usage(ctx, argv[0]);
		rules_clear();
		return CMD_NORMAL;
	}
	if (argc != 3)
		return cmd_usage(ctx, argv[0]);
	if (strcmp(argv[1], "fallbacks") == 0) {
		if (cmd_bot_count(argv[2], 1, &n) != 0)
			return cmd_error(ctx, _("handoff-rule fallbacks: bad "
			    "count '%s' (0 to 100, 0 for none)"), argv[2]);
		rules_set_fallbacks(n);
		return CMD_NORMAL;
	}
	if (rules_parse_duration(argv[2], &seconds) != 0)
		return cmd_error(ctx, _("handoff-rule wait: bad duration '%s' "
		    "(such as 90s, 10m, 1h; 0 for none)"), argv[2]);
	rules_set_wait(seconds);
	return CMD_NORMAL;
}

/*
 * handoff-rule customer|bot REGEX [reason=TEXT] [priority=high],
 * handoff-rule fallbacks N, wait DURATION, clear.
 */
static enum cmd_retval
cmd_handoff_rule_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum rules_kind	 kind;
	const char	*reason = NULL;
	char		*cause;
	int		 i, high = 0;

	if (strcmp(argv[1], "customer") == 0)
		kind = RULES_CUSTOMER;
	else if (strcmp(argv[1], "bot") == 0)
		kind = RULES_BOT;
	else if (strcmp(argv[1], "clear") == 0 ||
	    strcmp(argv[1], "fallbacks") == 0 ||
	    strcmp(argv[1], "wait") == 0)
		return cmd_handoff_rule_setting(ctx, argc, argv);
	else
		return cmd_usage(ctx, argv[0]);
	if (argc < 3)
		return cmd_usage(ctx, argv[0]);
	for (i = 3; i < argc; i++) {
		if (strncmp(argv[i], "reason=", 7) == 0 && argv[i][7] != '\0')
			reason = argv[i] + 7;
		else if (strcmp(argv[i], "priority=high") == 0)
			high = 1;
		else if (strcmp(argv[i], "priority=normal") == 0)
			high = 0;
		else
			return cmd_error(ctx, _("handoff-rule: unknown "
			    "argument '%s' (reason=TEXT, "
			    "priority=high)"), argv[i]);
	}
	if (kind == RULES_BOT && high)
		return cmd_error(ctx, _("handoff-rule bot: priority=high is "
		    "for customer rules"));
	if (rules_add(kind, argv[2], reason, high, &cause) != 0) {
		cmd_error(ctx, _("handoff-rule: %s"), cause);
		free(cause);
		return CMD_ERROR;
	}
	return CMD_NORMAL;
}

/* Print one command line (rules_each's and bot_each's callback). */
static void
cmd_bot_print(const char *command, void *data)
{
	cmd_print(data, "%s", command);
}

static enum cmd_retval
cmd_list_handoff_rules_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	rules_each(cmd_bot_print, ctx);
	return CMD_NORMAL;
}

static enum cmd_retval
cmd_list_bots_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	bot_each(cmd_bot_print, ctx);
	return CMD_NORMAL;
}

/* Every bot-* command names its bot first. */
static int
cmd_bot_name(struct cmd_ctx *ctx, const char *command, const char *name)
{
	if (bot_name_valid(name))
		return 0;
	cmd_error(ctx, _("%s: bad bot name '%s' (letters, digits, - and _)"),
	    command, name);
	return -1;
}

/* bot-answer NAME REGEX ANSWER... */
static enum cmd_retval
cmd_bot_answer_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*cause;
	int	 vary = 0, at = 2;

	if (cmd_bot_name(ctx, argv[0], argv[1]) != 0)
		return CMD_ERROR;
	if (strncmp(argv[2], "vary=", 5) == 0) {
		if (strcmp(argv[2], "vary=yes") == 0)
			vary = 1;
		else if (strcmp(argv[2], "vary=no") != 0)
			return cmd_usage(ctx, argv[0]);
		if (argc < 5)
			return cmd_usage(ctx, argv[0]);
		at = 3;
	}
	if (bot_add_answer(argv[1], argv[at], argv + at + 1,
	    (size_t)(argc - at - 1), &cause) != 0) {
		cmd_error(ctx, _("bot-answer %s: %s"), argv[1], cause);
		free(cause);
		return CMD_ERROR;
	}
	bot_answer_vary(argv[1], argv[at], vary);
	return CMD_NORMAL;
}

/* bot-fallback NAME TEXT... */
static enum cmd_retval
cmd_bot_fallback_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (cmd_bot_name(ctx, argv[0], argv[1]) != 0)
		return CMD_ERROR;
	bot_set_fallbacks(argv[1], argv + 2, (size_t)(argc - 2));
	return CMD_NORMAL;
}

/* bot-handoff NAME [after=N] TEXT */
static enum cmd_retval
cmd_bot_handoff_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	int	after = 0;

	if (cmd_bot_name(ctx, argv[0], argv[1]) != 0)
		return CMD_ERROR;
	/* "after=2" alone is a count without its text, not a text. */
	if (argc == 3 && strncmp(argv[2], "after=", 6) == 0)
		return cmd_usage(ctx, argv[0]);
	if (argc == 4) {
		if (strncmp(argv[2], "after=", 6) != 0)
			return cmd_usage(ctx, argv[0]);
		if (cmd_bot_count(argv[2] + 6, 0, &after) != 0)
			return cmd_error(ctx, _("bot-handoff %s: bad count "
			    "'%s' (1 to 100)"), argv[1], argv[2] + 6);
	}
	bot_set_handoff(argv[1], after, argv[argc - 1]);
	return CMD_NORMAL;
}

/* bot-hours NAME SPEC TEXT */
static enum cmd_retval
cmd_bot_hours_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*cause;

	(void)argc;
	if (cmd_bot_name(ctx, argv[0], argv[1]) != 0)
		return CMD_ERROR;
	if (bot_set_hours(argv[1], argv[2], argv[3], &cause) != 0) {
		cmd_error(ctx, _("bot-hours %s: %s"), argv[1], cause);
		free(cause);
		return CMD_ERROR;
	}
	return CMD_NORMAL;
}

/* bot-greeting NAME TEXT */
static enum cmd_retval
cmd_bot_greeting_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	if (cmd_bot_name(ctx, argv[0], argv[1]) != 0)
		return CMD_ERROR;
	bot_set_greeting(argv[1], argv[2]);
	return CMD_NORMAL;
}

/*
 * bot-survey CHANNEL|all TEXT|- [skip-bot-only=yes|no]: the channel need
 * not be declared yet (a config file may name it later).
 */
static enum cmd_retval
cmd_bot_survey_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	int	skip = 0;

	if (!bot_name_valid(argv[1])) {
		cmd_error(ctx, _("%s: bad channel name '%s'"), argv[0],
		    argv[1]);
		return CMD_ERROR;
	}
	if (argc == 4) {
		if (strcmp(argv[3], "skip-bot-only=yes") == 0)
			skip = 1;
		else if (strcmp(argv[3], "skip-bot-only=no") != 0)
			return cmd_usage(ctx, argv[0]);
	}
	if (strcmp(argv[2], "-") == 0) {
		bot_survey_set(argv[1], NULL, 0);
		return CMD_NORMAL;
	}
	if (*argv[2] == '\0') {
		cmd_error(ctx, _("%s: an empty question"), argv[0]);
		return CMD_ERROR;
	}
	bot_survey_set(argv[1], argv[2], skip);
	return CMD_NORMAL;
}

/*
 * bot-scenario [NAME|-]: the bot must exist already, unlike bot= of a
 * channel, since switching to nothing is a mistake said at once. Run
 * from a config file it is the process's own default; run otherwise (-e,
 * the ':' prompt, a key, a macro) by a host that knows a data dir, it is
 * the data dir's, which every process indexing there answers with and
 * which wins over a config file's.
 */
static enum cmd_retval
cmd_bot_scenario_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_host	*host = ctx->host;
	const char	*name = argc == 2 ? argv[1] : NULL;
	char		*cause, *in_force = NULL;
	int		 shared;

	shared = ctx->file == NULL && host != NULL && host->scenario != NULL;
	if (name != NULL && strcmp(name, "-") != 0 && !bot_exists(name))
		return cmd_error(ctx, _("bot-scenario: no bot %s"), name);
	if (!shared) {
		if (name == NULL) {
			cmd_print(ctx, "%s", bot_scenario() != NULL ?
			    bot_scenario() : "-");
			return CMD_NORMAL;
		}
		if (bot_scenario_set(name, &cause) != 0) {
			cmd_error(ctx, _("bot-scenario: %s"), cause);
			free(cause);
			return CMD_ERROR;
		}
		return CMD_NORMAL;
	}
	if (host->scenario(host->data, name, &in_force, &cause) != 0) {
		cmd_error(ctx, _("bot-scenario: %s"), cause);
		free(cause);
		return CMD_ERROR;
	}
	/* The data dir's names a bot this process may not have. */
	if (bot_scenario_set_data(in_force, &cause) != 0)
		free(cause);
	if (name == NULL)
		cmd_print(ctx, "%s", in_force != NULL ? in_force :
		    bot_scenario() != NULL ? bot_scenario() : "-");
	free(in_force);
	return CMD_NORMAL;
}
