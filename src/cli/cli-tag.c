/*
 * cli-tag.c: ombre tag, and the command language's `tag` (ombre -e), both
 * through a short read-write session of the store.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdlib.h>
#include <string.h>

/*
 * The command language's `tag` (ombre -e, the config file) and ombre tag:
 * a read-write session of its own, so that a held lock is said (locked)
 * and the exit status can be 75.
 */
int
cli_host_tag(void *data, const char *target, char **ops, int n_ops,
    char **cause)
{
	struct cli		*cli = data;
	struct store		*st;
	struct store_options	 opts;
	enum store_status	 rc;
	long			 changed;

	cli_store_options(cli, &opts);
	rc = store_open(&opts, STORE_READ_WRITE, &st, cause);
	if (rc != STORE_OK) {
		if (rc == STORE_LOCKED)
			cli->locked = 1;
		return -1;
	}
	rc = store_tag(st, target, ops, n_ops, &changed, cause);
	if (store_close(st) != STORE_OK && rc == STORE_OK) {
		*cause = xstrdup(_("closing the database failed"));
		return -1;
	}
	if (rc != STORE_OK)
		return -1;
	if (cli->verbose)
		log_warn(ngettext("tagged %ld conversation",
		    "tagged %ld conversations", changed), changed);
	return 0;
}

/*
 * ombre tag CONV|QUERY +TAG|-TAG...: the words that are not operations
 * make the target, joined with spaces.
 */
int
cli_tag(struct cli *cli, int argc, char **argv)
{
	struct buf	  b;
	char		**ops, **words, *target, *cause, *clean;
	int		  n_ops = 0, n_words = 0, i, rc = 0;

	if (cli_help_args("tag", argc, argv) != 0)
		return EXIT_USAGE;
	ops = xcalloc((size_t)argc + 1, sizeof *ops);
	words = xcalloc((size_t)argc + 1, sizeof *words);
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			continue;
		if ((argv[i][0] == '+' || argv[i][0] == '-') && argv[i][1] != '\0')
			ops[n_ops++] = argv[i];
		else if (n_words > 0 || argv[i][0] != '\0') {
			/* Empty words first make no target: usage. */
			words[n_words++] = argv[i];
		}
	}
	buf_init(&b);
	buf_add_words(&b, words, (size_t)n_words);
	target = buf_steal(&b);
	free(words);
	if (n_ops == 0 || *target == '\0') {
		log_warn(_("usage: ombre tag CONV|QUERY +TAG|-TAG..."));
		rc = EXIT_USAGE;
	} else if (cli_host_tag(cli, target, ops, n_ops, &cause) != 0) {
		clean = sanitize(cause, strlen(cause), SANITIZE_LINE, 300);
		log_warn("tag: %s", clean);
		free(clean);
		free(cause);
		rc = cli->locked ? EXIT_TEMPFAIL : 1;
	}
	free(ops);
	free(target);
	return rc;
}

/* bot-scenario (ombre -e): DATA/bot-scenario written and read back. */
int
cli_host_scenario(void *data, const char *name, char **in_force,
    char **cause)
{
	struct cli	*cli = data;

	*in_force = NULL;
	if (name != NULL &&
	    store_bot_scenario_write(cli->data_dir, name, cause) != STORE_OK)
		return -1;
	*in_force = store_bot_scenario_read(cli->data_dir);
	return 0;
}
