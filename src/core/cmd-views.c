/*
 * cmd-views.c: the commands on conversations: view (saved searches) and
 * tag (operations checked here, applied by the host).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static enum cmd_retval	cmd_tag_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_view_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_views_entries[] = {
	{ .name = "tag",
	  .args_min = 2,
	  .args_max = -1,
	  .usage = N_("tag TARGET +TAG|-TAG..."),
	  .help = N_("add or remove tags on the conversations a CONV or query "
	      "names"),
	  .flags = CMD_NEEDS_STORE,
	  .exec = cmd_tag_exec },
	{ .name = "view",
	  .args_min = 0,
	  .args_max = -1,
	  .usage = N_("view [NAME [QUERY... [sort=newest|waiting|risk]]]"),
	  .help = N_("define a saved search (newest activity first, or the "
	      "longest waiting first), or show one or all"),
	  .exec = cmd_view_exec },
	{ .name = NULL }
};

/*
 * tag TARGET... +TAG|-TAG...: the leading words not starting with + or -
 * are the target (a CONV or a query, joined by spaces), the rest are
 * operations. All are checked before the host sees any.
 */
static enum cmd_retval
cmd_tag_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*target, *cause = NULL;
	int	 first, i, rc;

	for (first = 1; first < argc; first++) {
		if (argv[first][0] == '+' || argv[first][0] == '-')
			break;
		if (argv[first][0] == '\0')
			return cmd_error(ctx, _("tag: empty target"));
	}
	if (first == 1 || first == argc)
		return cmd_usage(ctx, "tag");
	for (i = first; i < argc; i++) {
		if (argv[i][0] != '+' && argv[i][0] != '-')
			return cmd_error(ctx, _("tag: not +TAG or -TAG: %s"),
			    argv[i]);
		if (!tag_valid(argv[i] + 1))
			return cmd_error(ctx, _("tag: invalid tag: %s"),
			    argv[i] + 1);
	}
	if (ctx->host == NULL || ctx->host->tag == NULL)
		return cmd_error(ctx, _("tag: no store here"));

	target = cmd_join(argv, 1, first);
	rc = ctx->host->tag(ctx->host->data, target, argv + first, argc - first,
	    &cause);
	free(target);
	if (rc != 0) {
		cmd_error(ctx, _("tag: %s"),
		    cause != NULL ? cause : _("failed"));
		free(cause);
		return CMD_ERROR;
	}
	return CMD_NORMAL;
}

/*
 * view: print every view as "name<TAB>query"; view NAME: print its query;
 * view NAME QUERY... [sort=newest|waiting|risk]: define it (the words joined
 * by spaces; a last word sort=... is its order, not part of the query).
 * A view sorted otherwise than newest first is printed with its sort=.
 */
static enum cmd_retval
cmd_view_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct view	*v;
	const char		*p;
	char			*query;
	size_t			 n, i;
	enum view_sort		 sort = VIEW_SORT_NEWEST;

	if (argc == 1) {
		v = view_all(&n);
		for (i = 0; i < n; i++)
			/* not translated: the command language's words */
			cmd_print(ctx, "%s\t%s%s%s", v[i].name, v[i].query,
			    v[i].sort != VIEW_SORT_NEWEST ? " sort=" : "",
			    v[i].sort != VIEW_SORT_NEWEST ?
			    view_sort_name(v[i].sort) : "");
		return CMD_NORMAL;
	}
	if (argc == 2) {
		if ((v = view_find(argv[1])) == NULL)
			return cmd_error(ctx, _("unknown view: %s"), argv[1]);
		/* not translated: the query as the command language writes it */
		cmd_print(ctx, "%s%s%s", v->query, v->sort != VIEW_SORT_NEWEST ?
		    " sort=" : "", v->sort != VIEW_SORT_NEWEST ?
		    view_sort_name(v->sort) : "");
		return CMD_NORMAL;
	}
	if (argc > 3 && strncmp(argv[argc - 1], "sort=", 5) == 0) {
		if (view_sort_parse(argv[argc - 1], &sort) != 0)
			return cmd_error(ctx, _("view %s: not sort=newest, "
			    "sort=waiting or sort=risk: %s"), argv[1],
			    argv[argc - 1]);
		argc--;
	}

	if (argv[1][0] == '\0')
		return cmd_error(ctx, _("view: empty name"));
	for (p = argv[1]; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return cmd_error(ctx, _("view: control character in "
			    "name"));
	}
	query = cmd_join(argv, 2, argc);
	if (query[strspn(query, " ")] == '\0') {
		free(query);
		return cmd_error(ctx, _("view %s: empty query"), argv[1]);
	}
	view_define_sorted(argv[1], query, sort);
	free(query);
	return CMD_NORMAL;
}
