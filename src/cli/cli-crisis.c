/*
 * cli-crisis.c: ombre crisis on TOPIC|off|status [--json] (issue 16), the
 * command language's crisis run from the shell, and its host for ombre
 * -e and this subcommand: DATA/crisis written and the events recorded
 * through a read-write store.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_CRISIS_USAGE \
	N_("usage: ombre crisis on TOPIC [channel=TYPE...] [scenario=NAME]\n" \
	"       ombre crisis off\n" \
	"       ombre crisis status [--json]")

int
cli_host_crisis(void *data, int set, const struct crisis *c,
    struct crisis **in_force, char **cause)
{
	struct cli		*cli = data;
	struct store_options	 opts;
	struct store		*st;
	struct crisis		*before = NULL;
	enum store_status	 rc;
	size_t			 n;
	char			*why;

	*in_force = NULL;
	*cause = NULL;
	if (set && (c != NULL ||
	    (before = store_crisis_read(cli->data_dir)) != NULL)) {
		cli_store_options(cli, &opts);
		if ((rc = store_open(&opts, STORE_READ_WRITE, &st, cause)) !=
		    STORE_OK) {
			cli->locked = rc == STORE_LOCKED;
			crisis_free(before);
			return -1;
		}
		/* The file first: the bot and the consoles follow it at
		 * once, the events come with it. */
		rc = store_crisis_write(cli->data_dir, c, cause);
		if (rc == STORE_OK) {
			rc = store_crisis_events(st, c != NULL ? c : before,
			    c != NULL, &n, &why);
			if (rc != STORE_OK) {
				/* on, off: its words, not translated */
				*cause = xasprintf(_("crisis %s, but its events "
				    "were not recorded: %s"), c != NULL ? "on" :
				    "off", why);
				free(why);
			} else
				log_debug("crisis: %zu events", n);
		}
		cli->locked = rc == STORE_LOCKED;
		if (store_close(st) != STORE_OK && rc == STORE_OK) {
			*cause = xstrdup(_("the database could not be closed"));
			rc = STORE_DB_ERROR;
		}
		crisis_free(before);
		if (rc != STORE_OK)
			return -1;
	}
	*in_force = store_crisis_read(cli->data_dir);
	return 0;
}

/* status --json: {"on": false}, or the crisis's fields. */
static int
cli_crisis_json(struct cli *cli)
{
	struct json_obj	*o;
	struct crisis	*c;
	char		*json;

	o = json_obj_new();
	if ((c = store_crisis_read(cli->data_dir)) == NULL)
		json_obj_set_bool(o, "on", 0);
	else {
		json_obj_set_bool(o, "on", 1);
		crisis_json(c, o);
		crisis_free(c);
	}
	json = json_obj_finish(o);
	printf("%s\n", json);
	free(json);
	return 0;
}

/* The command language's name for it, as an argv word. */
static char	cli_crisis_name[] = "crisis";

int
cli_crisis(struct cli *cli, int argc, char **argv)
{
	const char		*what;
	char			**rest, **words;
	int			  n_rest, json = 0, rc, i;
	const struct cli_opt	  opts[] = {
		{ "json", 0, 0, NULL, &json },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("crisis", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	what = n_rest > 0 ? rest[0] : "";
	if ((strcmp(what, "on") == 0 && n_rest < 2) ||
	    ((strcmp(what, "off") == 0 || strcmp(what, "status") == 0) &&
	    n_rest != 1) || (strcmp(what, "on") != 0 &&
	    strcmp(what, "off") != 0 && strcmp(what, "status") != 0) ||
	    (json && strcmp(what, "status") != 0)) {
		free(rest);
		fprintf(stderr, "%s\n", _(CLI_CRISIS_USAGE));
		return EXIT_USAGE;
	}
	if (json) {
		free(rest);
		return cli_crisis_json(cli);
	}
	words = xcalloc((size_t)n_rest + 2, sizeof *words);
	words[0] = cli_crisis_name;
	for (i = 0; i < n_rest; i++)
		words[i + 1] = rest[i];
	rc = cmd_exec(&cli->ctx, n_rest + 1, words) == CMD_NORMAL ? 0 :
	    cli->locked ? EXIT_TEMPFAIL : 1;
	free(words);
	free(rest);
	return rc;
}
