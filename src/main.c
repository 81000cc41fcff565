/*
 * main.c: ombre's command line: global options, the config file, the
 * subcommands, exit statuses.
 *
 * ombre [-c FILE] [--data-dir DIR] [--demo] [-v] [-e COMMANDS] [COMMAND [ARGS]]
 * Global options come before the command; a command's options may stand
 * anywhere after it.
 *
 * Built twice: ombre, which links no libcurl, and ombre-sync (OMBRE_SYNC),
 * which does and runs the commands that talk to the network; ombre execs
 * it for them (cli/sync-exec.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli/cli.h"
#include "ui/ui.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ombre --help: this, the subcommands from cli-help.c's table (the one
 * `ombre help COMMAND` and completion read), then main_usage_end. */
static const char main_usage[] = N_(
"usage: ombre [-c FILE] [--data-dir DIR] [--demo [--no-traffic]] [-v]\n"
"             [-e COMMANDS] [COMMAND [ARGS]]\n"
"\n"
"A unified inbox for the private conversations customers start on\n"
"Telegram, WhatsApp, Messenger, LINE, SMS, Matrix and e-mail.\n"
"\n"
"Global options:\n"
"  -c, --config FILE   run FILE instead of $XDG_CONFIG_HOME/ombre/config\n"
"  --data-dir DIR      the store (default $OMBRE_DATA_DIR, else\n"
"                      $XDG_DATA_HOME/ombre)\n"
"  --demo              use the demo store of generated conversations\n"
"  --no-traffic        with --demo: no simulated new messages in the console\n"
"  -e, --eval COMMANDS\n"
"                      run commands (';' between them) without a screen\n"
"  -v, --verbose       say more on stderr\n"
"  -h, --help          show this help (after a command: the command's)\n"
"  -V, --version       show the version\n"
"\n"
"Commands:\n");

static const char main_usage_end[] = N_(
"\n"
"With no command, ombre opens the console when run on a terminal, and\n"
"prints the Inbox list otherwise. `ombre help COMMAND` gives a command's\n"
"options. CONV is the id `list` shows, a notmuch thread id, or a query\n"
"matching one conversation. See ombre(1) and ombre.conf(5).\n");

static int main_help(struct cli *, int, char **);

struct main_command {
	const char	*name;
	int		 (*run)(struct cli *, int, char **);
	int		 needs_demo_data;
	int		 needs_network;	/* ombre-sync's */
};

/* The webhook receiver is ombre-sync's: ombre links no libmicrohttpd
 * (and the GnuTLS it pulls in), and execs it for `webhook`. */
#ifdef OMBRE_SYNC
#define MAIN_WEBHOOK	cli_webhook
#else
#define MAIN_WEBHOOK	NULL
#endif

static const struct main_command main_commands[] = {
	{ "assign", cli_assign, 1, 0 },
	{ "claim", cli_claim, 1, 0 },
	{ "completion", cli_completion, 0, 0 },
	{ "crisis", cli_crisis, 1, 0 },
	{ "contact", cli_contact, 1, 0 },
	{ "demo", cli_demo, 0, 0 },
	{ "doctor", cli_doctor, 1, 0 },
	{ "done", cli_done, 1, 0 },
	{ "fetch", cli_fetch, 1, 0 },
	{ "hand-back", cli_hand_back, 1, 0 },
	{ "handoffs", cli_handoffs, 1, 0 },
	{ "help", main_help, 0, 0 },
	{ "hook", cli_hook, 1, 0 },
	{ "ingest", cli_ingest, 1, 0 },
	{ "insights", cli_insights, 1, 0 },
	{ "list", cli_list, 1, 0 },
	{ "outbox", cli_outbox, 1, 0 },
	{ "reopen", cli_reopen, 1, 0 },
	{ "reply", cli_reply, 1, 0 },
	{ "report", cli_report, 1, 0 },
	{ "shift", cli_shift, 1, 0 },
	{ "show", cli_show, 1, 0 },
	{ "snooze", cli_snooze, 1, 0 },
	{ "sync", cli_sync, 0, 1 },
	{ "tag", cli_tag, 1, 0 },
	{ "take-over", cli_take_over, 1, 0 },
	{ "templates", cli_templates, 1, 0 },
	{ "trends", cli_trends, 1, 0 },
	{ "webhook", MAIN_WEBHOOK, 0, 1 },
};

static void
main_print(struct cmd_ctx *ctx, const char *text)
{
	(void)ctx;
	printf("%s\n", text);
}

static void
main_error(struct cmd_ctx *ctx, const char *text)
{
	char	*clean;

	(void)ctx;
	clean = sanitize(text, strlen(text), SANITIZE_LINE, 0);
	log_warn("%s", clean);
	free(clean);
}

/* ombre --help, ombre help: the usage; exit status 0, or 1 when stdout
 * could not be written. */
static int
main_usage_print(void)
{
	fputs(_(main_usage), stdout);
	cli_help_print_commands();
	fputs(_(main_usage_end), stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* ombre help [COMMAND]: ombre's usage, or the command's (cli-help.c). */
static int
main_help(struct cli *cli, int argc, char **argv)
{
	if (argc == 0)
		return main_usage_print();
	return cli_help(cli, argc, argv);
}

/*
 * The user's language for messages and dates (LANG, LC_ALL, LC_MESSAGES,
 * LC_TIME), its catalogs from $OMBRE_LOCALEDIR (the build tree's po/, for
 * the tests) else the installed ones. Numbers keep their '.' (JSON,
 * strtod, the config file) and characters stay bytes (regexes, ctype: the
 * console sets its own LC_CTYPE for the terminal); the catalogs are UTF-8
 * like everything ombre prints.
 */
static void
main_locale(void)
{
#ifdef ENABLE_NLS
	const char	*dir;
#endif

	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	setlocale(LC_CTYPE, "C");
#ifdef ENABLE_NLS
	dir = getenv("OMBRE_LOCALEDIR");
	bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ? dir : LOCALEDIR);
	bind_textdomain_codeset(PACKAGE, "UTF-8");
	textdomain(PACKAGE);
#endif
}

/* Make a path absolute (notmuch refuses relative database paths). */
static char *
main_absolute(char *path)
{
	char	cwd[4096], *abs;

	if (path[0] == '/' || getcwd(cwd, sizeof cwd) == NULL)
		return path;
	abs = xasprintf("%s/%s", cwd, path);
	free(path);
	return abs;
}

/* The data dir: --data-dir, $OMBRE_DATA_DIR, $XDG_DATA_HOME/ombre. */
static char *
main_data_dir(const char *flag, int demo)
{
	const char	*env, *home;

	home = getenv("HOME");
	if (home == NULL || *home == '\0')
		home = "/";
	if (demo) {
		env = getenv("XDG_CACHE_HOME");
		if (env != NULL && *env == '/')
			return xasprintf("%s/ombre/demo", env);
		return xasprintf("%s/.cache/ombre/demo", home);
	}
	if (flag != NULL)
		return xstrdup(flag);
	env = getenv("OMBRE_DATA_DIR");
	if (env != NULL && *env != '\0')
		return xstrdup(env);
	env = getenv("XDG_DATA_HOME");
	if (env != NULL && *env == '/')
		return xasprintf("%s/ombre", env);
	return xasprintf("%s/.local/share/ombre", home);
}

/* Match "--name", "--name=VALUE" or "-x"; take the value if it has one. */
static int
main_option(int argc, char **argv, int *i, const char *long_name,
    const char *short_name, const char **value)
{
	const char	*arg = argv[*i];
	size_t		 len = strlen(long_name);

	if ((short_name != NULL && strcmp(arg, short_name) == 0) ||
	    strcmp(arg, long_name) == 0) {
		if (value == NULL)
			return 1;
		if (*i + 1 >= argc) {
			log_warn(_("option %s needs a value"), arg);
			exit(EXIT_USAGE);
		}
		*value = argv[++*i];
		return 1;
	}
	if (value != NULL && strncmp(arg, long_name, len) == 0 && arg[len] == '=') {
		*value = arg + len + 1;
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct cli			 cli;
	const char			*config = NULL, *data_dir = NULL;
	const char			*commands = NULL;
	const struct main_command	*mc = NULL;
	char				*path, *clean;
	struct crisis			*crisis;
	int				 i, rc = 0, demo = 0;
	size_t				 j;
	enum cmd_retval			 cmd_rc;

	log_set_progname("ombre");
	main_locale();
	memset(&cli, 0, sizeof cli);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (main_option(argc, argv, &i, "--help", "-h", NULL)) {
			return main_usage_print();
		} else if (main_option(argc, argv, &i, "--version", "-V", NULL)) {
			/* The program's name: not translated. */
			printf("ombre %s\n", PACKAGE_VERSION);
			return 0;
		} else if (main_option(argc, argv, &i, "--config", "-c", &config) ||
		    main_option(argc, argv, &i, "--data-dir", NULL, &data_dir) ||
		    main_option(argc, argv, &i, "--eval", "-e", &commands))
			continue;
		else if (main_option(argc, argv, &i, "--demo", NULL, NULL))
			demo = 1;
		else if (main_option(argc, argv, &i, "--no-traffic", NULL, NULL))
			cli.no_traffic = 1;
		else if (main_option(argc, argv, &i, "--verbose", "-v", NULL))
			cli.verbose++;
		else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			clean = sanitize(argv[i], strlen(argv[i]), SANITIZE_LINE, 40);
			log_warn(_("unknown option %s (see ombre --help)"), clean);
			free(clean);
			return EXIT_USAGE;
		}
	}
	log_set_verbose(cli.verbose);
	if (i < argc) {
		for (j = 0; j < nitems(main_commands); j++) {
			if (strcmp(argv[i], main_commands[j].name) == 0)
				mc = &main_commands[j];
		}
		if (mc == NULL) {
			clean = sanitize(argv[i], strlen(argv[i]), SANITIZE_LINE, 40);
			log_warn(_("unknown command '%s' (see ombre --help)"),
			    clean);
			free(clean);
			return EXIT_USAGE;
		}
	}
	/* ombre COMMAND --help: its usage, before anything is read or run
	 * (the parsers answer a --help further on, cli_parse_args). */
	if (mc != NULL && i + 1 < argc && (strcmp(argv[i + 1], "--help") == 0 ||
	    strcmp(argv[i + 1], "-h") == 0))
		return cli_help_print(mc->name);
#ifndef OMBRE_SYNC
	/* Before any config is read, so that ombre-sync reads it once. */
	if (mc != NULL && mc->needs_network)
		return sync_exec(argv);
	sync_exec_options(argv, i);
#endif

	ui_commands_register();
	cli.demo = demo;
	cli.data_dir = main_absolute(main_data_dir(data_dir, demo));
	/* A team's data dir: the group writes all this process, libnotmuch
	 * and the children make in it, whatever the agent's umask. */
	util_share_umask(cli.data_dir);
	cli.host.tag = cli_host_tag;
	cli.host.scenario = cli_host_scenario;
	cli.host.crisis = cli_host_crisis;
	cli.host.data = &cli;
	cli.ctx.host = &cli.host;
	cli.ctx.print = main_print;
	cli.ctx.error = main_error;
	cli.ctx.data = &cli;

	/* The config file: errors are reported and the rest still runs. */
	path = config != NULL ? xstrdup(config) : config_default_path();
	if (path != NULL)
		config_load(&cli.ctx, path, config == NULL);
	free(path);
	/* The macros recorded in the console, kept in a file of their own. */
	if (config == NULL && (path = config_macros_path()) != NULL) {
		config_load(&cli.ctx, path, 1);
		free(path);
	}
	if (cli.ctx.fatal_cause != NULL) {
		log_warn("%s", cli.ctx.fatal_cause);
		rc = 1;
		goto out;
	}
	/* The team's declarations shared in the data dir (team.c). */
	if (team_load(cli.data_dir, &path) != 0) {
		log_warn("%s", path);
		free(path);
	}
	/* A crisis on the data dir: its view for every subcommand. */
	if ((crisis = store_crisis_read(cli.data_dir)) != NULL) {
		crisis_view_set(crisis);
		crisis_free(crisis);
	}

	if (demo && (commands != NULL || (mc != NULL && mc->needs_demo_data) ||
	    mc == NULL) && cli_demo_prepare(&cli) != 0) {
		rc = 1;
		goto out;
	}
	if (demo)
		cli_demo_config(&cli);

	if (commands != NULL) {
		cmd_rc = cmd_run_string(&cli.ctx, commands);
		if (cli.ctx.fatal_cause != NULL)
			log_warn("%s", cli.ctx.fatal_cause);
		if (cmd_rc != CMD_NORMAL || cli.ctx.fatal_cause != NULL) {
			rc = cli.locked ? EXIT_TEMPFAIL : 1;
			goto out;
		}
		if (mc == NULL) {
			rc = 0;
			goto out;
		}
	}
	/* No command: the console on a terminal, else `list`. */
	if (mc == NULL && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
		rc = cli_console(&cli, 0, NULL);
	else if (mc == NULL)
		rc = cli_list(&cli, 0, NULL);
	else
		rc = mc->run(&cli, argc - i - 1, argv + i + 1);
out:
	free(cli.ctx.fatal_cause);
	free(cli.data_dir);
	return rc;
}
