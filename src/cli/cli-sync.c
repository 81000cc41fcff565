/*
 * cli-sync.c: ombre sync, the syncer headless (run by ombre-sync, which
 * ombre execs), its status and quarantine, and the syncer's options.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef OMBRE_SYNC
/* The exit status of the syncer's status (only ombre-sync runs it). */
int
cli_sync_exit(enum sync_status status)
{
	switch (status) {
	case SYNC_OK:
		return 0;
	case SYNC_LOCKED:
		return EXIT_TEMPFAIL;
	default:
		return 1;
	}
}
#endif

/* The syncer's options from the option table. */
void
cli_sync_options(struct cli *cli, struct sync_options *so)
{
	memset(so, 0, sizeof *so);
	cli_store_options(cli, &so->store);
	so->chan.net.connect_timeout_ms =
	    options_get_number("net.connect-timeout");
	so->chan.net.low_speed_ms = options_get_number("net.low-speed-time");
	so->chan.net.max_response =
	    (size_t)options_get_number("net.max-response");
	so->chan.net.ca_file = *options_get("net.ca-file") != '\0' ?
	    options_get("net.ca-file") : NULL;
	so->chan.net.user_agent = "ombre/" PACKAGE_VERSION;
	so->chan.poll_timeout_s = options_get_number("sync.poll-timeout");
	so->chan.retry_base_ms = options_get_number("sync.retry-base");
	so->chan.retry_cap_ms = options_get_number("sync.retry-cap");
	so->chan.attempts = (int)options_get_number("sync.attempts");
	so->chan.max_wait_ms = options_get_number("sync.max-wait") * 1000;
	so->hook_timeout_ms = options_get_number("hook.timeout") * 1000;
	so->chan.store = &so->store;
}

/*
 * ombre sync --status: the syncer's channels, then the webhook receiver's
 * block. 1 when neither is known: no syncer holds the lock or left its
 * status, no receiver left its status. A webhook channel only declared
 * has its block ("not running") but knows nothing: 1 all the same.
 */
static int
cli_sync_status(struct cli *cli, int json)
{
	struct sync_webhook	 ws;
	struct json_obj		*root;
	char			*text;
	int			 rc, declared;

	declared = sync_has_webhook_channels();
	if (json) {
		/* The same, as one JSON object. */
		root = json_obj_new();
		rc = sync_status_json(cli->data_dir, root);
		sync_webhook_read(cli->data_dir, &ws);
		sync_webhook_json(&ws, declared, root);
		text = json_obj_finish(root);
		printf("%s\n", text);
		free(text);
	} else {
		rc = sync_status_print(cli->data_dir, stdout);
		sync_webhook_read(cli->data_dir, &ws);
		sync_webhook_print(&ws, declared, util_now(), stdout);
	}
	if (ws.found)
		rc = 0;
	sync_webhook_free(&ws);
	return rc == 0 ? 0 : 1;
}

/*
 * ombre sync [--once] [--status] [--quarantine] [--channel NAME]: the
 * syncer, headless (src/sync; run by ombre-sync, which ombre execs).
 * --status only reads what the running or last syncer (and webhook
 * receiver) wrote; --quarantine
 * lists what the channels sent that could not be taken.
 */
int
cli_sync(struct cli *cli, int argc, char **argv)
{
	struct sync_options	 so;
	const char		*only = NULL;
	char			**rest;
	int			 once = 0, status = 0, quarantine = 0, json = 0;
	int			 n_rest;
	const struct cli_opt	 opts[] = {
		{ "once", 0, 0, NULL, &once },
		{ "status", 0, 0, NULL, &status },
		{ "quarantine", 0, 0, NULL, &quarantine },
		{ "json", 0, 0, NULL, &json },
		{ "channel", 0, 1, &only, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("sync", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest > 0) {
		log_warn(_("sync: unexpected argument (see ombre --help)"));
		return EXIT_USAGE;
	}
	if (json && !status) {
		log_warn(_("sync: --json goes with --status"));
		return EXIT_USAGE;
	}
	if (status)
		return cli_sync_status(cli, json);
	if (quarantine) {
		sync_quarantine_print(cli->data_dir, stdout);
		return 0;
	}
	cli_sync_options(cli, &so);
	so.only = only;
	so.chan.once = once;
#ifdef OMBRE_SYNC
	return cli_sync_exit(sync_run(&so));
#else
	/* Not reached: ombre hands `sync` to ombre-sync first (main.c). */
	return sync_exec_console();
#endif
}
