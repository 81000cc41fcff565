/*
 * cli-hook.c: ombre hook test EVENT CONV, the hooks of an event run by
 * hand on a conversation, as the syncer would run them (sync-hook.c: the
 * same JSON, the same shell, the same timeout).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_HOOK_USAGE	N_("usage: ombre hook test EVENT CONV")
/* The most hooks of an event run by hand. */
#define CLI_HOOK_MAX	32

struct cli_hook_wait {
	int				 done;
	struct sync_hook_result		 res;
	char				*output;
};

static void
cli_hook_done(struct sync_hook_run *run, const struct sync_hook_result *res,
    void *data)
{
	struct cli_hook_wait	*w = data;

	(void)run;
	w->done = 1;
	w->res = *res;
	w->output = xstrdup(res->output);
	w->res.output = w->output;
}

/* Run one hook to its end on a loop of our own; return its status. */
static int
cli_hook_run_one(const char *event, const char *command, const char *json,
    int64_t timeout_ms)
{
	struct ev_loop		*loop;
	struct sync_hook_run	*run;
	struct cli_hook_wait	 w;
	char			*cause, *line, *clean;
	int			 rc;

	memset(&w, 0, sizeof w);
	loop = ev_loop_new();
	run = sync_hook_start(loop, command, json, timeout_ms, cli_hook_done,
	    &w, &cause);
	if (run == NULL) {
		log_warn(_("hook %s: %s"), event, cause);
		free(cause);
		ev_loop_free(loop);
		return 1;
	}
	while (!w.done)
		ev_run_once(loop, -1);
	ev_loop_free(loop);
	line = sync_hook_describe(event, command, &w.res);
	printf(_("%s after %lld ms\n"), line, (long long)w.res.ms);
	free(line);
	if (*w.output != '\0') {
		/* Its output is the hook's: shown, never raw. */
		clean = sanitize(w.output, strlen(w.output), SANITIZE_BODY, 0);
		printf("%s%s", clean, *clean != '\0' &&
		    clean[strlen(clean) - 1] == '\n' ? "" : "\n");
		free(clean);
	}
	rc = w.res.status;
	free(w.output);
	return rc;
}

/*
 * ombre hook test EVENT CONV: the JSON of the conversation's newest
 * message of the event (else its newest message) given to each hook of
 * EVENT in turn (and, for take-over and hand-back, to its channel's
 * bot-hook). The exit status is the first failing hook's, else 0.
 */
int
cli_hook(struct cli *cli, int argc, char **argv)
{
	const char			*commands[CLI_HOOK_MAX], *bot = NULL;
	const struct channel_config	*cc;
	struct store			*st;
	struct msg			**msgs = NULL, *m = NULL;
	char				*tid = NULL, *msgid = NULL, *json = NULL;
	char				*cause = NULL;
	size_t				 n = 0, n_hooks, i;
	int				 rc, status;
	int64_t				 timeout_ms;

	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0)) {
		printf(_("%s\nRun the hooks of EVENT (`hook EVENT COMMAND` in "
		    "the config) with the JSON of\nthe conversation's newest "
		    "message of that event; exit with the first\nfailing "
		    "hook's status.\n"), _(CLI_HOOK_USAGE));
		return 0;
	}
	if (cli_help_args("hook", argc, argv) != 0)
		return EXIT_USAGE;
	if (argc != 3 || strcmp(argv[0], "test") != 0) {
		log_warn("%s", _(CLI_HOOK_USAGE));
		return EXIT_USAGE;
	}
	if (hooks_event_check(argv[1], &cause) != 0) {
		log_warn(_("hook test: %s"), cause);
		free(cause);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "spike") == 0) {
		log_warn(_("hook test: a spike is of no conversation (the "
		    "syncer runs `hook spike` when it tells one)"));
		return EXIT_USAGE;
	}
	n_hooks = hooks_find(argv[1], commands, nitems(commands));
	if (n_hooks > nitems(commands))
		n_hooks = nitems(commands);
	if ((rc = cli_open(cli, STORE_READ_ONLY, &st)) != 0)
		return rc;
	rc = 1;
	if (store_resolve_conv(st, argv[2], &tid, &cause) != STORE_OK ||
	    store_thread_messages(st, tid, &msgs, &n, &cause) != STORE_OK) {
		log_warn(_("hook test: %s"), cause != NULL ? cause : "?");
		goto out;
	}
	if ((msgid = sync_hook_pick(msgs, n, argv[1])) == NULL) {
		log_warn(_("hook test: the conversation has no message"));
		goto out;
	}
	if (strcmp(argv[1], "take-over") == 0 ||
	    strcmp(argv[1], "hand-back") == 0) {
		if (store_message_get(st, msgid, &m, &cause) == STORE_OK &&
		    (cc = sync_hook_channel(m->channel, m->account)) != NULL)
			bot = channel_config_get(cc, "bot-hook");
		msg_free(m);
		free(cause);
		cause = NULL;
	}
	if (n_hooks == 0 && bot == NULL) {
		log_warn(_("hook test: no hook for %s (add `hook %s COMMAND` to "
		    "the config)"), argv[1], argv[1]);
		goto out;
	}
	if ((json = sync_hook_json(st, argv[1], tid, msgid, &cause)) == NULL) {
		log_warn(_("hook test: %s"), cause);
		goto out;
	}
	/* The hooks may take long: the store is not held meanwhile. */
	store_msgs_free(msgs, n);
	msgs = NULL;
	n = 0;
	store_close(st);
	st = NULL;
	timeout_ms = options_get_number("hook.timeout") * 1000;
	rc = 0;
	for (i = 0; i < n_hooks; i++) {
		status = cli_hook_run_one(argv[1], commands[i], json,
		    timeout_ms);
		if (rc == 0)
			rc = status;
	}
	if (bot != NULL) {
		status = cli_hook_run_one(argv[1], bot, json, timeout_ms);
		if (rc == 0)
			rc = status;
	}
out:
	store_msgs_free(msgs, n);
	if (st != NULL)
		store_close(st);
	free(json);
	free(msgid);
	free(tid);
	free(cause);
	return rc;
}
