/*
 * cmd-alert.c: the commands alert (a rule on the words of a customer's
 * message, or - to remove one) and list-alerts (alert.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static enum cmd_retval	cmd_alert_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_list_alerts_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_alert_entries[] = {
	{ .name = "alert",
	  .args_min = 2,
	  .args_max = 7,
	  .usage = N_("alert NAME match=REGEX [kind=customer|agent|bot|any] "
	      "[priority=high|normal] [label=TAG] [notify=yes|no] "
	      "[weight=N] | alert NAME -"),
	  .help = N_("label a conversation, raise its priority and record an "
	      "event when a message matches REGEX (case and accents "
	      "ignored), once per conversation; - removes the rule"),
	  .exec = cmd_alert_exec },
	{ .name = "list-alerts",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "list-alerts",
	  .help = N_("print the alert rules as the commands that make them"),
	  .exec = cmd_list_alerts_exec },
	{ .name = NULL }
};

/* yes/no (on/off): 0 and *flag, or -1. */
static int
cmd_alert_yes(const char *word, int *flag)
{
	if (strcmp(word, "yes") == 0 || strcmp(word, "on") == 0)
		*flag = 1;
	else if (strcmp(word, "no") == 0 || strcmp(word, "off") == 0)
		*flag = 0;
	else
		return -1;
	return 0;
}

static enum cmd_retval
cmd_alert_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct alert	 a;
	const char	*v;
	char		*cause, *end;
	long		 n;
	int		 i;

	if (argc == 3 && strcmp(argv[2], "-") == 0) {
		if (alert_remove(argv[1]) != 0)
			return cmd_error(ctx, _("alert: no alert '%s'"),
			    argv[1]);
		return CMD_NORMAL;
	}
	memset(&a, 0, sizeof a);
	a.name = argv[1];
	a.kinds = 1 << MSG_CUSTOMER;
	a.weight = -1;
	for (i = 2; i < argc; i++) {
		if (strncmp(argv[i], "match=", 6) == 0)
			a.pattern = argv[i] + 6;
		else if (strncmp(argv[i], "kind=", 5) == 0) {
			if (alert_kinds_parse(argv[i] + 5, &a.kinds) != 0)
				return cmd_error(ctx, _("alert: bad kind '%s' "
				    "(customer, agent, bot or any)"),
				    argv[i] + 5);
		} else if (strncmp(argv[i], "priority=", 9) == 0) {
			v = argv[i] + 9;
			if (strcmp(v, "high") == 0)
				a.high = 1;
			else if (strcmp(v, "normal") == 0)
				a.high = 0;
			else
				return cmd_error(ctx, _("alert: bad priority "
				    "'%s' (high or normal)"), v);
		} else if (strncmp(argv[i], "label=", 6) == 0)
			a.label = argv[i][6] != '\0' && strcmp(argv[i] + 6,
			    "-") != 0 ? argv[i] + 6 : NULL;
		else if (strncmp(argv[i], "notify=", 7) == 0) {
			if (cmd_alert_yes(argv[i] + 7, &a.notify) != 0)
				return cmd_error(ctx, _("alert: bad notify "
				    "'%s' (yes or no)"), argv[i] + 7);
		} else if (strncmp(argv[i], "weight=", 7) == 0) {
			n = strtol(argv[i] + 7, &end, 10);
			if (argv[i][7] == '\0' || *end != '\0' || n < 0 ||
			    n > 100)
				return cmd_error(ctx, _("alert: bad weight "
				    "'%s' (0 to 100)"), argv[i] + 7);
			a.weight = (int)n;
		} else
			return cmd_usage(ctx, argv[0]);
	}
	if (a.pattern == NULL)
		return cmd_error(ctx, _("alert: %s: match=REGEX is missing"),
		    argv[1]);
	if (alert_set(&a, &cause) != 0) {
		cmd_error(ctx, _("alert: %s"), cause);
		free(cause);
		return CMD_ERROR;
	}
	return CMD_NORMAL;
}

static void
cmd_alert_print(const char *command, void *data)
{
	cmd_print(data, "%s", command);
}

static enum cmd_retval
cmd_list_alerts_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	alert_each(cmd_alert_print, ctx);
	return CMD_NORMAL;
}
