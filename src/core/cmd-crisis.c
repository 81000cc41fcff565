/*
 * cmd-crisis.c: the command crisis on|off|status (issue 16). The policy
 * is crisis.c's; the data dir's file and the events are the host's
 * (struct cmd_host's crisis: ombre -e and ombre crisis through the store,
 * the console through a child), so every process on the data dir sees
 * one crisis.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static enum cmd_retval	cmd_crisis_exec(struct cmd_ctx *, int, char **);

/* scenario= unless given, as a struct crisis's word. */
static char	cmd_crisis_scenario[] = CRISIS_SCENARIO;

const struct cmd_entry cmd_crisis_entries[] = {
	{ .name = "crisis",
	  .args_min = 1,
	  .args_max = -1,
	  .usage = N_("crisis on TOPIC [channel=TYPE...] [scenario=NAME] | off "
	      "| status"),
	  .help = N_("crisis mode for every process on the data dir: the "
	      "topic's view and status line, the bot NAME (default crisis) "
	      "in place of the channels' own; an event in each open "
	      "conversation on the topic"),
	  .exec = cmd_crisis_exec },
	{ .name = NULL }
};

/* The data dir's crisis now (NULL: none), or -1 after saying why. */
static int
cmd_crisis_read(struct cmd_ctx *ctx, struct crisis **in_force)
{
	char	*cause;

	if (ctx->host->crisis(ctx->host->data, 0, NULL, in_force,
	    &cause) != 0) {
		cmd_error(ctx, _("crisis: %s"), cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* crisis on TOPIC... [channel=TYPE...] [scenario=NAME] */
static enum cmd_retval
cmd_crisis_on(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct crisis	 c, *in_force = NULL;
	struct buf	 topic;
	char		*cause, *text;
	size_t		 n = 0;
	int		 i;

	memset(&c, 0, sizeof c);
	buf_init(&topic);
	for (i = 2; i < argc; i++) {
		if (strncmp(argv[i], "channel=", 8) == 0) {
			if (argv[i][8] == '\0' ||
			    strchr(argv[i] + 8, ' ') != NULL) {
				cmd_error(ctx, _("crisis: bad %s"), argv[i]);
				goto fail;
			}
			c.channels = xreallocarray(c.channels, n + 2,
			    sizeof *c.channels);
			c.channels[n++] = argv[i] + 8;
			c.channels[n] = NULL;
		} else if (strncmp(argv[i], "scenario=", 9) == 0)
			c.scenario = argv[i] + 9;
		else {
			if (topic.len > 0)
				buf_add_char(&topic, ' ');
			buf_add_str(&topic, argv[i]);
		}
	}
	if (topic.len == 0) {
		cmd_usage(ctx, argv[0]);
		goto fail;
	}
	c.topic = topic.data;
	if (crisis_topic_valid(c.topic, &cause) != 0) {
		cmd_error(ctx, _("crisis: %s"), cause);
		free(cause);
		goto fail;
	}
	if (c.scenario == NULL)
		c.scenario = cmd_crisis_scenario;
	/* Written beforehand: a crisis is no time to find the bot missing. */
	if (!bot_name_valid(c.scenario) || !bot_exists(c.scenario)) {
		cmd_error(ctx, _("crisis: no bot %s (write its bot-answer "
		    "lines in the config first, or give "
		    "scenario=NAME)"), c.scenario);
		goto fail;
	}
	if (cmd_crisis_read(ctx, &in_force) != 0)
		goto fail;
	if (in_force != NULL) {
		cmd_error(ctx, _("crisis: one is on already: %s (crisis off "
		    "first)"), in_force->topic);
		crisis_free(in_force);
		goto fail;
	}
	c.since = util_now();
	c.agent = xstrdup(core_agent_name());
	if (ctx->host->crisis(ctx->host->data, 1, &c, &in_force,
	    &cause) != 0) {
		cmd_error(ctx, _("crisis: %s"), cause);
		free(cause);
		goto fail;
	}
	crisis_set_data(in_force);
	crisis_view_set(in_force);
	text = crisis_status_text(in_force != NULL ? in_force : &c,
	    util_now());
	cmd_print(ctx, "%s", text);
	free(text);
	crisis_free(in_force);
	free(c.channels);
	free(c.agent);
	buf_free(&topic);
	return CMD_NORMAL;

fail:
	free(c.channels);
	buf_free(&topic);
	return CMD_ERROR;
}

static enum cmd_retval
cmd_crisis_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct crisis	*in_force = NULL, *now = NULL;
	char		*cause, *text;

	/* A config file runs at every start: a crisis is a moment's. */
	if (ctx->file != NULL)
		return cmd_error(ctx, _("crisis: not in a config file (ombre "
		    "crisis, or : in the console)"));
	if (ctx->host == NULL || ctx->host->crisis == NULL)
		return cmd_error(ctx, _("crisis: no data dir here"));
	if (strcmp(argv[1], "on") == 0)
		return cmd_crisis_on(ctx, argc, argv);
	if (argc != 2 || (strcmp(argv[1], "off") != 0 &&
	    strcmp(argv[1], "status") != 0))
		return cmd_usage(ctx, argv[0]);
	if (cmd_crisis_read(ctx, &in_force) != 0)
		return CMD_ERROR;
	crisis_set_data(in_force);
	if (in_force == NULL) {
		cmd_print(ctx, _("no crisis"));
		return CMD_NORMAL;
	}
	if (strcmp(argv[1], "status") == 0) {
		text = crisis_status_text(in_force, util_now());
		cmd_print(ctx, "%s", text);
		free(text);
		crisis_free(in_force);
		return CMD_NORMAL;
	}
	if (ctx->host->crisis(ctx->host->data, 1, NULL, &now, &cause) != 0) {
		cmd_error(ctx, _("crisis: %s"), cause);
		free(cause);
		crisis_free(in_force);
		return CMD_ERROR;
	}
	crisis_set_data(now);
	crisis_view_set(now);
	cmd_print(ctx, _("crisis off: %s"), in_force->topic);
	crisis_free(now);
	crisis_free(in_force);
	return CMD_NORMAL;
}
