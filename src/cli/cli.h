/*
 * cli.h: ombre's command line. main.c parses the global options and
 * dispatches to the subcommands (list, show, tag, ingest, demo, doctor...),
 * one file each in src/cli; this is what they and main.c share.
 */
#ifndef OMBRE_CLI_H
#define OMBRE_CLI_H

#include "store/store.h"
#include "sync/sync.h"

/* Exit statuses (sysexits where one fits). */
#define EXIT_USAGE	2
#define EXIT_TEMPFAIL	75
#define EXIT_UNAVAILABLE 69	/* a replica's central server unreachable */

/* What every subcommand needs: where the store is and how to open it. */
struct cli {
	char		*data_dir;
	int		 demo;
	int		 no_traffic;	/* --demo without its simulated traffic */
	int		 verbose;
	int		 locked;	/* a write gave up on the lock */
	struct cmd_ctx	 ctx;
	struct cmd_host	 host;
};

/* cli.c */
/* A subcommand's option: --name VALUE, --name=VALUE, or a --flag. */
struct cli_opt {
	const char	 *name;
	char		  short_name;
	int		  has_arg;
	const char	**value;
	int		 *flag;
};
/* Split argv into the options of opts (found anywhere; "--" ends them)
 * and the rest, *rest allocated (the caller frees it, not its strings).
 * Return 0, or -1 after saying what is wrong (*rest then freed). */
int cli_parse_args(const char *cmd, const struct cli_opt *opts, int argc,
    char **argv, char ***rest, int *n_rest);
/* A whole non-negative number, or -1. */
long long cli_number(const char *s);
/* The terminal's width, else $COLUMNS, else 0: no limit (piped). */
int cli_width(void);
/* Append s sanitised and padded to exactly width columns. */
void cli_add_cell(struct buf *b, const char *s, size_t width);
/* The store's on_wait: say on stderr that the write lock is held. */
void cli_on_wait(void *data);
/* Fill store options from the option table and the data dir. */
void cli_store_options(struct cli *cli, struct store_options *opts);
/* Open the store; on failure print the cause and return the exit status
 * to use (never 0). */
int cli_open(struct cli *cli, enum store_mode mode, struct store **st);

/* cli-remote.c: on a replica (store.authority set), run "COMMAND
 * CONV ARGS... --agent AGENT" (NULL: this agent) on the central server,
 * CONV named by a Message-Id, input on its stdin; then store.replicate.
 * The server's exit status, or EXIT_UNAVAILABLE when it could not be
 * reached. */
int cli_remote(struct cli *cli, const char *command, const char *conv,
    const char *const *args, const char *agent, const char *input,
    size_t input_len);

/* The subcommands, cli-NAME.c each: argv holds the arguments after the
 * command's name; return the exit status. */
int cli_list(struct cli *cli, int argc, char **argv);
int cli_show(struct cli *cli, int argc, char **argv);
int cli_tag(struct cli *cli, int argc, char **argv);
int cli_ingest(struct cli *cli, int argc, char **argv);
int cli_demo(struct cli *cli, int argc, char **argv);
int cli_sync(struct cli *cli, int argc, char **argv);
int cli_reply(struct cli *cli, int argc, char **argv);
int cli_fetch(struct cli *cli, int argc, char **argv);
int cli_outbox(struct cli *cli, int argc, char **argv);
int cli_doctor(struct cli *cli, int argc, char **argv);
/* cli-triage.c: a conversation's triage recorded as an event, through
 * core's policy as the console applies it; the handoffs waiting. */
int cli_take_over(struct cli *cli, int argc, char **argv);
int cli_hand_back(struct cli *cli, int argc, char **argv);
int cli_assign(struct cli *cli, int argc, char **argv);
int cli_claim(struct cli *cli, int argc, char **argv);
int cli_done(struct cli *cli, int argc, char **argv);
int cli_reopen(struct cli *cli, int argc, char **argv);
int cli_snooze(struct cli *cli, int argc, char **argv);
int cli_handoffs(struct cli *cli, int argc, char **argv);
int cli_hook(struct cli *cli, int argc, char **argv);
/* cli-report.c: the figures of the store over a window of time. */
int cli_report(struct cli *cli, int argc, char **argv);
/* cli-trends.c: channels and watched terms rising and falling. */
int cli_trends(struct cli *cli, int argc, char **argv);
/* cli-insights.c: what customers wrote over a window of time. */
int cli_insights(struct cli *cli, int argc, char **argv);
/* cli-shift.c: ombre shift start|end|status, an agent's shift. */
int cli_shift(struct cli *cli, int argc, char **argv);
/* cli-crisis.c: ombre crisis on TOPIC|off|status, and crisis's host
 * (struct cmd_host) for ombre -e. */
int cli_crisis(struct cli *cli, int argc, char **argv);
int cli_host_crisis(void *data, int set, const struct crisis *c,
    struct crisis **in_force, char **cause);
/* A JSON string in ASCII (controls and non-ASCII as \u escapes, bytes
 * that are not UTF-8 as U+FFFD), for the commands that write their own
 * JSON: report, trends, insights. */
void cli_json_str(struct buf *b, const char *s);
/* cli-contact.c: ombre contact show|list|link|unlink|note|set, a person
 * across channels (issue 16). */
int cli_contact(struct cli *cli, int argc, char **argv);

/* cli-templates.c: ombre templates list|show|check (ombre-templates(5)). */
int cli_templates(struct cli *cli, int argc, char **argv);
/* cli-webhook.c, in ombre-sync only (ombre execs it): the webhook
 * receiver, a server or one CGI request. */
int cli_webhook(struct cli *cli, int argc, char **argv);
/* cli-help.c: the subcommands' usage and options as a table. */
/* Print NAME's usage and options (NAME may be "shift end"); 0, or
 * EXIT_USAGE for an unknown command. */
int cli_help_print(const char *name);
void cli_help_print_commands(void);
/* Is arg (--name or --name=VALUE) one of ombre's global options? */
int cli_help_is_global(const char *arg);
/* For a subcommand with no option parser: --help answered (exit 0), a
 * global option named; 0, or -1 after saying what is wrong. */
int cli_help_args(const char *cmd, int argc, char **argv);
/* ombre help COMMAND; ombre completion bash|zsh. */
int cli_help(struct cli *cli, int argc, char **argv);
int cli_completion(struct cli *cli, int argc, char **argv);
/* cli-console.c: the console, `ombre` on a terminal (no arguments). */
int cli_console(struct cli *cli, int argc, char **argv);

/* cli-tag.c: the command language's `tag`, done through a read-write
 * store. */
int cli_host_tag(void *data, const char *target, char **ops, int n_ops,
    char **cause);
/* bot-scenario's host (struct cmd_host): the data dir's scenario. */
int cli_host_scenario(void *data, const char *name, char **in_force,
    char **cause);

/* cli-demo.c */
/* Make sure the demo data dir exists and is current; return 0 or -1. */
int cli_demo_prepare(struct cli *cli);
/* --demo's own config (the demo channel and its French and English
 * bots), after the user's; run once the demo store is built. */
void cli_demo_config(struct cli *cli);
/* The demo traffic, in the console's child: never returns. */
OMBRE_NORETURN void cli_demo_traffic(struct cli *cli);

/* cli-sync.c */
/* The syncer's options from the option table and the data dir. */
void cli_sync_options(struct cli *cli, struct sync_options *so);
#ifdef OMBRE_SYNC
/* The exit status for the syncer's status (ombre-sync only). */
int cli_sync_exit(enum sync_status status);
#endif

/*
 * sync-exec.c, in ombre only: ombre links no libcurl, so what talks to the
 * network is the program ombre-sync, found next to ombre's own file, else
 * in OMBRE_LIBEXECDIR.
 */
/* Remember ombre's global options (argv[1] to argv[n - 1]), which the
 * console's syncer is given (sync_exec_console). */
void sync_exec_options(char **argv, int n);
/* Exec ombre-sync with argv, ombre's own: return only when it cannot be
 * run (said on stderr), with the exit status to use. */
int sync_exec(char **argv);
/* The console's syncer: exec `ombre-sync GLOBAL-OPTIONS sync`; return
 * only when it cannot be run, with the exit status to use. */
int sync_exec_console(void);

#endif
