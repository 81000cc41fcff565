/*
 * cmd-sla.c: the commands sla (a first- or next-response target by
 * channel and team), business-hours (when the targets' clock runs) and
 * list-sla.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static enum cmd_retval	cmd_sla_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_business_hours_exec(struct cmd_ctx *, int,
			    char **);
static enum cmd_retval	cmd_list_sla_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_sla_entries[] = {
	{ .name = "business-hours",
	  .args_min = 1,
	  .args_max = -1,
	  .usage = N_("business-hours [team=NAME] DAYS HH:MM-HH:MM... "
	      "[ZONE]|-"),
	  .help = N_("the hours the service level's clock runs, of a team or "
	      "by default (\"mon-fri 09:00-18:00 Europe/Paris\"); - "
	      "removes them"),
	  .exec = cmd_business_hours_exec },
	{ .name = "list-sla",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "list-sla",
	  .help = N_("print the service level targets and business hours as "
	      "the commands that make them"),
	  .exec = cmd_list_sla_exec },
	{ .name = "sla",
	  .args_min = 2,
	  .args_max = 5,
	  .usage = N_("sla first-response|next-response DURATION "
	      "[warn=DURATION] [channel=TYPE] [team=NAME]"),
	  .help = N_("how long a customer may wait for the first answer or the "
	      "next one, on a channel type or in a team"),
	  .exec = cmd_sla_exec },
	{ .name = NULL }
};

/* Letters, digits, '-', '_' and '.', at most 64: a team's name in a tag. */
static int
cmd_sla_team_valid(const char *name)
{
	size_t	n = strlen(name), i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789-_.", name[i]) == NULL)
			return 0;
	}
	return 1;
}

/* sla KIND DURATION [warn=DURATION] [channel=TYPE] [team=NAME] */
static enum cmd_retval
cmd_sla_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum sla_kind	 kind;
	const char	*channel = NULL, *team = NULL;
	int64_t		 target, warn = -1;
	char		*cause;
	int		 i;

	if (strcmp(argv[1], "first-response") == 0)
		kind = SLA_FIRST_RESPONSE;
	else if (strcmp(argv[1], "next-response") == 0)
		kind = SLA_NEXT_RESPONSE;
	else {
		cmd_error(ctx, _("sla: unknown target '%s' (first-response or "
		    "next-response)"), argv[1]);
		return CMD_ERROR;
	}
	if (rules_parse_duration(argv[2], &target) != 0 || target == 0) {
		cmd_error(ctx, _("sla: bad duration '%s' (90s, 15m, 1h, 1d)"),
		    argv[2]);
		return CMD_ERROR;
	}
	for (i = 3; i < argc; i++) {
		if (strncmp(argv[i], "warn=", 5) == 0) {
			if (rules_parse_duration(argv[i] + 5, &warn) != 0) {
				cmd_error(ctx, _("sla: bad duration '%s' (90s, "
				    "15m, 1h, 1d)"), argv[i] + 5);
				return CMD_ERROR;
			}
		} else if (strncmp(argv[i], "channel=", 8) == 0) {
			channel = argv[i] + 8;
			if (channel_info_find(channel) == NULL) {
				cmd_error(ctx, _("sla: unknown channel type "
				    "'%s'"),
				    channel);
				return CMD_ERROR;
			}
		} else if (strncmp(argv[i], "team=", 5) == 0) {
			team = argv[i] + 5;
			if (!cmd_sla_team_valid(team)) {
				cmd_error(ctx, _("sla: bad team name '%s' "
				    "(letters, digits, -, _ and .)"), team);
				return CMD_ERROR;
			}
		} else
			return cmd_usage(ctx, argv[0]);
	}
	if (sla_set(kind, target, warn, channel, team, &cause) != 0) {
		cmd_error(ctx, _("sla: %s"), cause);
		free(cause);
		return CMD_ERROR;
	}
	return CMD_NORMAL;
}

/* business-hours [team=NAME] SPEC...: the words of SPEC may come quoted
 * as one, as bot-hours takes them, or as several. */
static enum cmd_retval
cmd_business_hours_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*team = NULL;
	char		*spec, *cause;
	int		 from = 1, rc;

	if (strncmp(argv[1], "team=", 5) == 0) {
		team = argv[1] + 5;
		if (!cmd_sla_team_valid(team)) {
			cmd_error(ctx, _("business-hours: bad team name '%s' "
			    "(letters, digits, -, _ and .)"), team);
			return CMD_ERROR;
		}
		from = 2;
	}
	if (from >= argc)
		return cmd_usage(ctx, argv[0]);
	spec = cmd_join(argv, from, argc);
	rc = sla_set_hours(team, spec, &cause);
	free(spec);
	if (rc != 0) {
		cmd_error(ctx, _("business-hours: %s"), cause);
		free(cause);
		return CMD_ERROR;
	}
	return CMD_NORMAL;
}

static void
cmd_sla_print(const char *command, void *data)
{
	cmd_print(data, "%s", command);
}

static enum cmd_retval
cmd_list_sla_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sla_each(cmd_sla_print, ctx);
	return CMD_NORMAL;
}
