/*
 * cmd-team.c: the commands team and agent-channels. In a config file they
 * declare for this process; elsewhere (':', ombre -e) they change the
 * shared data dir's DATA/team, which every agent's process reads.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static enum cmd_retval	cmd_team_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_agent_channels_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_team_entries[] = {
	{ .name = "agent-channels",
	  .args_min = 0,
	  .args_max = -1,
	  .usage = N_("agent-channels [AGENT [CHANNEL...|-]]"),
	  .help = N_("offer an agent only these channels' conversations in "
	      "Unassigned and the team views (- removes), or show them"),
	  .exec = cmd_agent_channels_exec },
	{ .name = "team",
	  .args_min = 0,
	  .args_max = -1,
	  .usage = N_("team [NAME [AGENT...|-]]"),
	  .help = N_("declare a team and its agents (- removes it), or show "
	      "the teams"),
	  .exec = cmd_team_exec },
	{ .name = NULL }
};

/* Print each declaration of a kind ("team " or "agent-channels "). */
static void
cmd_team_show(struct cmd_ctx *ctx, const char *kind, const char *name)
{
	char	*text, *line, *next;
	size_t	 len = strlen(kind);

	text = team_text(0);
	for (line = text; *line != '\0'; line = next) {
		next = strchr(line, '\n');
		*next++ = '\0';
		if (strncmp(line, kind, len) != 0 || line[len] != ' ')
			continue;
		if (name != NULL && (strncmp(line + len + 1, name,
		    strlen(name)) != 0 || (line[len + 1 + strlen(name)] != ' ' &&
		    line[len + 1 + strlen(name)] != '\0')))
			continue;
		cmd_print(ctx, "%s", line);
	}
	free(text);
}

static enum cmd_retval
cmd_team_declare(struct cmd_ctx *ctx, int is_team, int argc, char **argv)
{
	const char	*what = is_team ? "team" : "agent-channels";
	char		*cause = NULL;
	size_t		 n;
	int		 rc;

	if (argc < 2) {
		cmd_team_show(ctx, what, NULL);
		return CMD_NORMAL;
	}
	if (argc == 2) {
		cmd_team_show(ctx, what, argv[1]);
		return CMD_NORMAL;
	}
	n = argc == 3 && strcmp(argv[2], "-") == 0 ? 0 : (size_t)argc - 2;
	if (ctx->file == NULL && team_data_dir() != NULL)
		rc = team_store(is_team, argv[1], argv + 2, n, &cause);
	else if (is_team)
		rc = team_set(argv[1], argv + 2, n, &cause);
	else
		rc = team_channels_set(argv[1], argv + 2, n, &cause);
	if (rc != 0) {
		cmd_error(ctx, "%s: %s", what, cause);
		free(cause);
		return CMD_ERROR;
	}
	return CMD_NORMAL;
}

/* team [NAME [AGENT...|-]] */
static enum cmd_retval
cmd_team_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return cmd_team_declare(ctx, 1, argc, argv);
}

/* agent-channels [AGENT [CHANNEL...|-]] */
static enum cmd_retval
cmd_agent_channels_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return cmd_team_declare(ctx, 0, argc, argv);
}
