/*
 * cli-fetch.c: ombre fetch, a conversation's attachments asked of the
 * syncer.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

/*
 * ombre fetch CONV: ask the syncer for the conversation's attachments not
 * fetched yet; they land in DATA/attachments (see show).
 */
int
cli_fetch(struct cli *cli, int argc, char **argv)
{
	struct store	 *st;
	struct msg	**msgs = NULL;
	char		 *tid = NULL, *cause = NULL;
	size_t		  n = 0;
	int		  rc, asked = 0;

	if (cli_help_args("fetch", argc, argv) != 0)
		return EXIT_USAGE;
	if (argc != 1) {
		log_warn(_("usage: ombre fetch CONV"));
		return EXIT_USAGE;
	}
	if ((rc = cli_open(cli, STORE_READ_ONLY, &st)) != 0)
		return rc;
	rc = 1;
	if (store_resolve_conv(st, argv[0], &tid, &cause) != STORE_OK ||
	    store_thread_messages(st, tid, &msgs, &n, &cause) != STORE_OK) {
		log_warn("fetch: %s", cause != NULL ? cause : "?");
		goto out;
	}
	rc = 0;
	if (sync_fetch_messages(cli->data_dir, msgs, n, &asked, &cause) != 0) {
		log_warn("fetch: %s", cause);
		rc = 1;
	}
	printf(ngettext("%d attachment asked for: the syncer fetches it into "
	    "%s/attachments\n", "%d attachments asked for: the syncer fetches "
	    "them into %s/attachments\n", asked), asked, cli->data_dir);
out:
	store_msgs_free(msgs, n);
	store_close(st);
	free(tid);
	free(cause);
	return rc;
}
