/*
 * cmd-options.c: the commands on options and styles: set (a theme loaded
 * whole or not at all), show-options, agent, style, show-styles.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static enum cmd_retval	cmd_agent_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_set_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_show_options_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_show_styles_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_style_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_theme_load(struct cmd_ctx *, const char *);

const struct cmd_entry cmd_options_entries[] = {
	{ .name = "agent",
	  .args_min = 0,
	  .args_max = 1,
	  .usage = N_("agent [NAME]"),
	  .help = N_("set or show who I am (what I take is tagged "
	      "ombre/assigned/NAME)"),
	  .exec = cmd_agent_exec },
	{ .name = "set",
	  .args_min = 1,
	  .args_max = 3,
	  .usage = N_("set [-u] NAME [VALUE]"),
	  .help = N_("set an option, or with -u reset it to its default"),
	  .exec = cmd_set_exec },
	{ .name = "show-options",
	  .alias = "show",
	  .args_min = 0,
	  .args_max = 1,
	  .usage = N_("show-options [NAME]"),
	  .help = N_("show every option's value, or one"),
	  .exec = cmd_show_options_exec },
	{ .name = "show-styles",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "show-styles",
	  .help = N_("print the style of every role, as style commands"),
	  .exec = cmd_show_styles_exec },
	{ .name = "style",
	  .args_min = 2,
	  .args_max = -1,
	  .usage = N_("style ROLE SPEC"),
	  .help = N_("set how a role of the screen looks (fg=, bg=, bold, dim, "
	      "underline, reverse)"),
	  .exec = cmd_style_exec },
	{ .name = NULL }
};

/* agent [NAME]: the option "agent", checked by options_set(). */
static enum cmd_retval
cmd_agent_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*cause;

	if (argc == 1) {
		cmd_print(ctx, "%s", core_agent_name());
		return CMD_NORMAL;
	}
	if (options_set("agent", argv[1], &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return CMD_ERROR;
	}
	return CMD_NORMAL;
}

/* set [-u] NAME [VALUE] */
static enum cmd_retval
cmd_set_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*cause, *old_theme;
	int	 rc, theme;

	if (argc != 3)
		return cmd_usage(ctx, "set");
	theme = strcmp(argv[1], "theme") == 0 ||
	    (strcmp(argv[1], "-u") == 0 && strcmp(argv[2], "theme") == 0);
	old_theme = xstrdup(options_get("theme"));
	if (strcmp(argv[1], "-u") == 0)
		rc = options_unset(argv[2], &cause);
	else
		rc = options_set(argv[1], argv[2], &cause);
	if (rc != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		free(old_theme);
		return CMD_ERROR;
	}
	if (theme && cmd_theme_load(ctx, options_get("theme")) != CMD_NORMAL) {
		/* A theme that does not load is not the theme. */
		if (options_set("theme", old_theme, &cause) == 0)
			cmd_theme_load(ctx, old_theme);
		else
			free(cause);
		free(old_theme);
		return CMD_ERROR;
	}
	free(old_theme);
	return CMD_NORMAL;
}

/*
 * A theme: the default styles, then the `style` lines of its file. An
 * unknown theme leaves the styles as they were.
 */
static enum cmd_retval
cmd_theme_load(struct cmd_ctx *ctx, const char *name)
{
	char		*path;
	enum cmd_retval	 retval;

	if (name == NULL || *name == '\0' || strcmp(name, "default") == 0) {
		style_reset();
		return CMD_NORMAL;
	}
	if ((path = style_theme_path(name)) == NULL)
		return cmd_error(ctx, _("no theme %s (default, light, "
		    "high-contrast, mono, or a path)"), name);
	style_reset();
	retval = config_load(ctx, path, 0);
	free(path);
	return retval;
}

/* show-options [NAME]: "name value", the value quoted for the parser. */
static enum cmd_retval
cmd_show_options_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct option_entry	*oe;
	struct buf			 b;

	if (argc == 2 && options_get(argv[1]) == NULL)
		return cmd_error(ctx, _("unknown option: %s"), argv[1]);
	buf_init(&b);
	for (oe = options_table(); oe->name != NULL; oe++) {
		if (argc == 2 && strcmp(oe->name, argv[1]) != 0)
			continue;
		buf_reset(&b);
		buf_add_printf(&b, "%s ", oe->name);
		cmd_quote_word(&b, options_get(oe->name));
		cmd_print(ctx, "%s", b.data);
	}
	buf_free(&b);
	return CMD_NORMAL;
}

/* style ROLE SPEC: the words after ROLE are the spec. */
static enum cmd_retval
cmd_style_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct style	 st;
	char		*spec, *cause;
	int		 role;

	if ((role = style_role_find(argv[1])) == -1)
		return cmd_error(ctx, _("style: no role %s (see show-styles)"),
		    argv[1]);
	spec = cmd_join(argv, 2, argc);
	if (style_parse(spec, &st, &cause) != 0) {
		cmd_error(ctx, _("style %s: %s"), argv[1], cause);
		free(cause);
		free(spec);
		return CMD_ERROR;
	}
	free(spec);
	style_set((enum style_role)role, &st);
	return CMD_NORMAL;
}

static enum cmd_retval
cmd_show_styles_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*spec;
	int	 i;

	(void)argc;
	(void)argv;
	for (i = 0; i < STYLE_ROLE_COUNT; i++) {
		spec = style_format(style_get((enum style_role)i));
		/* not translated: the style command that makes it */
		cmd_print(ctx, "style %s %s", style_role_name((enum style_role)i),
		    spec);
		free(spec);
	}
	return CMD_NORMAL;
}
