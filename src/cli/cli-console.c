/*
 * cli-console.c: `ombre` on a terminal, the console on the Inbox view; it
 * is given its syncer as a function (sync_run in ombre-sync, the exec of
 * ombre-sync in ombre) and, with --demo, a child playing demo traffic.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"
#include "ui/ui.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * The console's syncer, run in its child (ui-sync.c). In ombre-sync it is
 * sync_run; ombre links no network and execs ombre-sync instead, with its
 * own global options (the same config, so so is not passed on).
 */
static int
cli_console_syncer(void *so)
{
#ifdef OMBRE_SYNC
	return cli_sync_exit(sync_run(so));
#else
	(void)so;
	return sync_exec_console();
#endif
}

/*
 * The console on the Inbox view: `ombre` on a terminal. (When stdout is not
 * a terminal, `ombre` is `ombre list`.)
 */
int
cli_console(struct cli *cli, int argc, char **argv)
{
	struct ui_options	 opts;
	struct sync_options	 so;
	const struct view	*v;
	char			*query;
	int			 rc;
	pid_t			 traffic;

	(void)argc;
	(void)argv;
	memset(&opts, 0, sizeof opts);
	cli_store_options(cli, &opts.store);
	opts.store.on_wait = NULL;	/* the console never waits: read-only */
	v = view_find("Inbox");
	query = v != NULL ? view_expand_query(v) : xstrdup("tag:inbox");
	opts.view_name = "Inbox";
	opts.query = query;
	/* The demo store never syncs: its traffic is simulated. */
	if (!cli->demo && sync_has_channels()) {
		cli_sync_options(cli, &so);
		so.store.on_wait = NULL;
		opts.run_syncer = cli_console_syncer;
		opts.syncer_arg = &so;
	}
	opts.watch_webhook = !cli->demo && sync_has_webhook_channels();
	/* The demo inbox lives: a child plays simulated traffic into it. */
	traffic = -1;
	if (cli->demo && !cli->no_traffic && isatty(STDOUT_FILENO)) {
		fflush(stdout);
		fflush(stderr);
		if ((traffic = fork()) == 0)
			cli_demo_traffic(cli);
	}
	rc = ui_run(&opts);
	if (traffic > 0) {
		kill(traffic, SIGTERM);
		while (waitpid(traffic, NULL, 0) == -1 && errno == EINTR)
			;
	}
	free(query);
	return rc;
}
