/*
 * cli-help.c: the subcommands as a table (usage, summary, verbs,
 * options with their help), read by `ombre help COMMAND`, `ombre
 * COMMAND --help`, the option parser's refusal of a global option put
 * after the command, and `ombre completion bash|zsh`, whose scripts are
 * built from this table, the command language's table and the option
 * table, so that what completes is what the program has.
 *
 * Each subcommand's parser keeps its own struct cli_opt rows (ombre-sync
 * parses sync's and webhook's, which ombre never links); T570 checks
 * every option named here is one its subcommand accepts.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cli_help_opt {
	const char	*name;		/* "--json", "-v, --verbose" */
	const char	*arg;		/* "N", or NULL: a flag */
	const char	*help;
};

#define CLI_HELP_OPTS	12
struct cli_help {
	const char		*name;
	const char		*usage;		/* after "ombre NAME " */
	const char		*summary;
	const char		*verbs;		/* words after the name, or NULL */
	struct cli_help_opt	 opts[CLI_HELP_OPTS];
};

#define H_AGENT	{ "--agent", N_("NAME"), \
	N_("act as agent NAME (default: the agent option)") }
#define H_JSON	{ "--json", NULL, N_("one JSON object a line") }

/* In the order ombre --help lists them: reading, triage, reports,
 * replying, the syncer's, the rest. */
static const struct cli_help cli_helps[] = {
	{ "list", N_("[--json] [--limit N] [--view NAME | QUERY]"),
	  N_("conversations, newest activity first (default: Inbox)"), NULL,
	  { H_JSON, { "--limit", "N", N_("at most N conversations") },
	    { "--view", N_("NAME"), N_("the conversations of view NAME") } } },
	{ "show", N_("[--json] CONV"),
	  N_("the messages of one conversation: each one's id, a reply's "
	  "delivery"), NULL, { H_JSON } },
	{ "tag", N_("CONV|QUERY +TAG|-TAG..."),
	  N_("change the tags of conversations"), NULL,
	  { { NULL, NULL, NULL } } },
	{ "take-over", N_("CONV [--agent NAME]"),
	  N_("take a conversation from the bot or the queue"), NULL,
	  { H_AGENT } },
	{ "hand-back", N_("CONV [--agent NAME]"),
	  N_("give it back to the bot, nobody assigned"), NULL, { H_AGENT } },
	{ "assign", N_("CONV NAME [--agent NAME] [--force]"),
	  N_("make agent NAME the one who has it (team:NAME: the team's "
	  "queue)"),
	  NULL, { H_AGENT, { "--force", NULL, N_("assign it to an agent who "
	  "is away") } } },
	{ "claim", N_("CONV [--agent NAME] [--json]"),
	  N_("take it if nobody has it; exit 1: another agent has it"),
	  NULL, { H_AGENT, H_JSON } },
	{ "done", N_("CONV [--agent NAME]"),
	  N_("close it (out of the Inbox)"), NULL, { H_AGENT } },
	{ "reopen", N_("CONV [--agent NAME]"),
	  N_("back in the Inbox, neither done nor snoozed"), NULL,
	  { H_AGENT } },
	{ "snooze", N_("CONV WHEN [--agent NAME]"),
	  N_("out of the Inbox until WHEN (1h, tomorrow, 17:30)"), NULL,
	  { H_AGENT } },
	{ "handoffs", "[--json]",
	  N_("conversations waiting for a human, oldest first"), NULL,
	  { H_JSON } },
	{ "report", N_("[--since DURATION | --shift] [--agent NAME] "
	  "[--team NAME] [--json | --csv]"),
	  N_("conversations handled and closed, response and resolution "
	  "times, handoffs, the bot's share, csat"),
	  NULL,
	  { { "--since", N_("DURATION"), N_("the window (default 24h)") },
	    { "--shift", NULL, N_("since the agent's shift started") },
	    { "--agent", N_("NAME"), N_("only agent NAME's") },
	    { "--team", N_("NAME"), N_("only team NAME's") },
	    H_JSON, { "--csv", NULL, N_("CSV with a header") } } },
	{ "insights", N_("[--since DURATION] [--limit N] [--json | --csv]"),
	  N_("what customers wrote (default the last 30 days): topics, "
	  "links, watched terms, channels, hours, the bot's share"), NULL,
	  { { "--since", N_("DURATION"), N_("the window (default 30d)") },
	    { "--limit", "N", N_("lines in each section") },
	    H_JSON,
	    { "--csv", NULL, N_("CSV rows section,key,count,share") } } },
	{ "shift", N_("start|end|status [--agent NAME] "
	  "[--to NAME|team:NAME|queue|keep] [--note TEXT] [--force] [--json]"),
	  N_("what changed since my last shift, my conversations handed "
	  "over at its end, who is available"), "start end status",
	  { H_AGENT, { "--to", N_("NAME"), N_("end: whom my conversations "
	  "go to (team:NAME, queue, keep)") },
	    { "--note", N_("TEXT"), N_("end: the handover note") },
	    { "--force", NULL, N_("end: hand over to an agent who is away") },
	    H_JSON } },
	{ "crisis", N_("on TOPIC [channel=TYPE...] [scenario=NAME] | off | "
	  "status [--json]"),
	  N_("crisis mode for every console and the bot: the topic's view, "
	  "the crisis bot on the channels"), "on off status",
	  { H_JSON } },
	{ "contact", N_("show CONV|ID | list [--suggest] | link CONV CONV | "
	  "unlink CONV | note CONV|ID TEXT | set CONV|ID KEY=VALUE... [--json]"),
	  N_("one customer across channels: identities, language, notes; "
	  "merges suggested by shared phone or e-mail"),
	  "show list link unlink note set",
	  { H_JSON, { "--suggest", NULL, N_("list: the merges a shared "
	  "phone or e-mail address points at") } } },
	{ "templates", N_("list [--json] | show NAME [--conversation CONV] "
	  "[--lang LANG] | check [DIR]"),
	  N_("canned replies: list them, one filled in for a conversation, "
	  "check a directory of them (exit 1 on a problem)"),
	  "list show check",
	  { H_JSON,
	    { "--conversation", N_("CONV"), N_("show: filled in for this "
	    "conversation (its customer, channel and language)") },
	    { "--lang", N_("LANG"), N_("show: this language's variant") } } },
	{ "trends", N_("[--since DURATION] [--json]"),
	  N_("channels and watched terms rising and falling, with "
	  "sparklines"), NULL,
	  { { "--since", N_("DURATION"), N_("the period (default 24h)") },
	    H_JSON } },
	{ "reply", N_("CONV [--note] [--base ID [--force]] [--reply-to ID] "
	  "[--text TEXT | --template NAME] [--id out.UUID] [--seen IDS] "
	  "[--agent NAME]"),
	  N_("store a reply (TEXT, else standard input) in the outbox, the "
	  "syncer delivers it"), NULL,
	  { { "--text", N_("TEXT"), N_("the reply's text (else standard "
	    "input)") },
	    { "--template", N_("NAME"), N_("the text of template NAME, "
	    "filled for the conversation") },
	    { "--note", NULL, N_("an internal note, never sent") },
	    { "--base", N_("ID"), N_("held (exit 3) when the conversation "
	    "moved since message ID (a message_id of show --json)") },
	    { "--force", NULL, N_("with --base: store it although it moved") },
	    { "--reply-to", N_("ID"), N_("quoting the customer's message ID") },
	    { "--id", "out.UUID", N_("store it under this id (a retry "
	    "stores it once)") },
	    { "--seen", N_("IDS"), N_("the guard's view: the ids the agent "
	    "saw") },
	    H_AGENT } },
	{ "outbox", N_("[--json] [resend|mark-sent|discard ID]"),
	  N_("replies not delivered yet, and refused ones; the agent's "
	  "decision on one of unknown delivery"), "resend mark-sent discard", { H_JSON } },
	{ "ingest", N_("[--format json] [-v] < FILE"),
	  N_("store canonical JSON messages, one per line"), NULL,
	  { { "--format", "json", N_("the input's format (only json)") },
	    { "-v, --verbose", NULL, N_("say what was stored") } } },
	{ "fetch", N_("CONV"), N_("ask the syncer for the conversation's "
	  "attachments"), NULL, { { NULL, NULL, NULL } } },
	{ "hook", N_("test EVENT CONV"), N_("run the hooks of EVENT on the "
	  "conversation, as the syncer would (exit status: the first failing "
	  "hook's)"), "test",
	  { { NULL, NULL, NULL } } },
	{ "sync", N_("[--once] [--status [--json]] [--quarantine] "
	  "[--channel NAME]"),
	  N_("fetch from the channels and deliver replies (one process at a "
	  "time)"), NULL,
	  { { "--once", NULL, N_("until nothing is pending, then exit") },
	    { "--status", NULL, N_("the syncer's state (exit 1: not "
	    "running)") },
	    { "--json", NULL, N_("with --status: one JSON object") },
	    { "--quarantine", NULL, N_("what could not be taken") },
	    { "--channel", N_("NAME"), N_("only channel NAME") } } },
	{ "webhook", N_("[--listen ADDR:PORT | --cgi | --quarantine [FILE]]"),
	  N_("receive the webhooks of WhatsApp, Messenger, LINE and Twilio "
	  "until SIGTERM, or answer one CGI request; payloads spooled under "
	  "DATA/webhook"),
	  NULL,
	  { { "--listen", N_("ADDR:PORT"), N_("where to listen (default "
	  "127.0.0.1:8765)") },
	    { "--cgi", NULL, N_("answer one CGI request") },
	    { "--quarantine", NULL,
	    N_("list the refused bodies, or show one") } } },
	{ "demo", N_("[--seed N] [--conversations N] "
	  "[--messages-per-conversation N] [--out DIR]"),
	  N_("generate demo conversations (JSON lines, or a store)"), NULL,
	  { { "--seed", "N", N_("the generator's seed") },
	    { "--conversations", "N", N_("how many conversations") },
	    { "--messages-per-conversation", "N", N_("messages in each") },
	    { "--out", N_("DIR"), N_("make a store in DIR instead of printing "
	    "JSON lines") } } },
	{ "doctor", "[--fix | --dump]",
	  N_("check the store (exit 1 on a problem)"), NULL,
	  { { "--fix", NULL, N_("repair: rebuild a damaged index, restore the "
	  "tags from the last dump") },
	    { "--dump", NULL, N_("take a dump of the tags") } } },
	{ "help", N_("[COMMAND]"), N_("the usage and options of COMMAND, "
	  "else of ombre"), NULL, { { NULL, NULL, NULL } } },
	{ "completion", "bash|zsh",
	  N_("print the shell completion script, built from the program's "
	  "tables"),
	  "bash zsh", { { NULL, NULL, NULL } } },
};

/* The global options, as the option parser names them after a command
 * and as completion offers them. */
static const char *const cli_help_globals[] = {
	"-c", "--config", "--data-dir", "--demo", "--no-traffic", "-e",
	"--eval", "-v", "--verbose", "-h", "--help", "-V", "--version"
};

static const struct cli_help *
cli_help_find(const char *name)
{
	size_t	i, len;

	/* "shift end" (a parser's name) is shift's. */
	len = strcspn(name, " ");
	for (i = 0; i < nitems(cli_helps); i++) {
		if (strlen(cli_helps[i].name) == len &&
		    strncmp(cli_helps[i].name, name, len) == 0)
			return &cli_helps[i];
	}
	return NULL;
}

int
cli_help_is_global(const char *arg)
{
	size_t	i, len;

	len = strcspn(arg, "=");
	for (i = 0; i < nitems(cli_help_globals); i++) {
		if (strlen(cli_help_globals[i]) == len &&
		    strncmp(cli_help_globals[i], arg, len) == 0)
			return 1;
	}
	return 0;
}

/*
 * For a subcommand with no option parser (tag, fetch, hook): --help
 * prints its usage and exits 0, a global option written long (--demo,
 * --data-dir=DIR) is named as one (tag would take --demo for -TAG).
 * Return 0, or -1 after saying what is wrong.
 */
int
cli_help_args(const char *cmd, int argc, char **argv)
{
	char	*clean;
	int	 i;

	for (i = 0; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--help") == 0)
			exit(cli_help_print(cmd));
		if (strncmp(argv[i], "--", 2) == 0 &&
		    cli_help_is_global(argv[i])) {
			clean = sanitize(argv[i], strcspn(argv[i], "="),
			    SANITIZE_LINE, 40);
			log_warn(_("%s: %s is a global option: put it before "
			    "the command"), cmd, clean);
			free(clean);
			return -1;
		}
	}
	return 0;
}

/*
 * The length of the word at text: up to a space, or for a usage (words
 * = 1) up to a space outside brackets, so that "[--json | --csv]" is
 * never cut.
 */
static size_t
cli_help_word(const char *text, int usage)
{
	size_t	len = 0;
	int	depth = 0;

	for (; text[len] != '\0'; len++) {
		if (text[len] == ' ' && (!usage || depth == 0))
			break;
		if (usage && text[len] == '[')
			depth++;
		else if (usage && text[len] == ']' && depth > 0)
			depth--;
	}
	return len;
}

/*
 * Print text from column col (where the caller left the cursor) on lines
 * of at most 79 columns, continuation lines indented by indent; usage:
 * text is a usage line (brackets kept whole, a line never ends with the
 * "|" between two forms). The table's text is ASCII, its translation may
 * not be: words are measured in columns.
 */
static void
cli_help_wrap(const char *text, size_t col, size_t indent, int space,
    int usage)
{
	const char	*next;
	size_t		 len, w, need, form, wlen;

	while (*text != '\0') {
		len = cli_help_word(text, usage);
		need = w = utf8_width(text, len);
		if (usage && len == 1 && *text == '|') {
			/* "| form": the bar goes with its form, whole when
			 * the form fits on a line. */
			form = 0;
			next = text + len;
			do {
				next += strspn(next, " ");
				wlen = cli_help_word(next, 1);
				form += 1 + utf8_width(next, wlen);
				next += wlen;
			} while (*next != '\0' && strncmp(next, " | ", 3) != 0);
			next = text + len + strspn(text + len, " ");
			need += w + form <= 79 - indent ? form :
			    1 + utf8_width(next, cli_help_word(next, 1));
		}
		if (col > indent && col + 1 + need > 79) {
			printf("\n%*s", (int)indent, "");
			col = indent;
		} else if (space) {
			putchar(' ');
			col++;
		}
		space = 1;
		printf("%.*s", (int)len, text);
		col += w;
		text += len;
		text += strspn(text, " ");
	}
	putchar('\n');
}

/* Print a one-line help as a sentence: a capital, a full stop. */
static void
cli_help_sentence(const char *text)
{
	char	*s;
	size_t	 len = strlen(text);

	s = xasprintf("%s%s", text, len > 0 && text[len - 1] == '.' ? "" :
	    ".");
	if (s[0] >= 'a' && s[0] <= 'z')
		s[0] = (char)(s[0] - 'a' + 'A');
	cli_help_wrap(s, 0, 0, 0, 0);
	free(s);
}

/*
 * Print a subcommand's usage, summary and options on stdout. Return 0,
 * or EXIT_USAGE when there is no such subcommand (said on stderr).
 */
int
cli_help_print(const char *name)
{
	const struct cli_help		*h;
	const struct cli_help_opt	*o;
	char				 left[64];
	char				*clean;
	size_t				 n, w;

	if ((h = cli_help_find(name)) == NULL) {
		clean = sanitize(name, strlen(name), SANITIZE_LINE, 40);
		log_warn(_("help: unknown command '%s' (see ombre --help)"),
		    clean);
		free(clean);
		return EXIT_USAGE;
	}
	n = (size_t)printf(_("usage: ombre %s"), h->name);
	cli_help_wrap(_(h->usage), n, n + 1, 1, 1);
	putchar('\n');
	cli_help_sentence(_(h->summary));
	if (h->opts[0].name != NULL)
		printf(_("\nOptions:\n"));
	for (o = h->opts; o < h->opts + CLI_HELP_OPTS && o->name != NULL; o++) {
		snprintf(left, sizeof left, "%s%s%s", o->name,
		    o->arg != NULL ? " " : "", o->arg != NULL ? _(o->arg) : "");
		/* Padded in columns: a translated argument may be
		 * accented ("DURÉE"). */
		if ((w = utf8_width(left, strlen(left))) > 20)
			printf("  %s\n%22s", left, "");
		else
			printf("  %s%*s", left, (int)(20 - w), "");
		cli_help_wrap(_(o->help), 22, 22, 0, 0);
	}
	printf(_("\nGlobal options (-c, --data-dir, --demo...) go before the "
	    "command.\nSee ombre(1).\n"));
	return fflush(stdout) == 0 ? 0 : 1;
}

/*
 * ombre --help's list of the subcommands, in the table's order: each
 * one's usage after its name, its summary from column 22 (on a line of
 * its own when the usage reaches the column).
 */
void
cli_help_print_commands(void)
{
	const struct cli_help	*h;
	char			*line;
	size_t			 w, col;

	for (h = cli_helps; h < cli_helps + nitems(cli_helps); h++) {
		line = xasprintf("  %s %s", h->name, _(h->usage));
		if ((w = utf8_width(line, strlen(line))) <= 20)
			printf("%s%*s", line, (int)(22 - w), "");
		else {
			col = 2 + strlen(h->name);
			printf("  %s", h->name);
			cli_help_wrap(_(h->usage), col, col + 1, 1, 1);
			printf("%22s", "");
		}
		free(line);
		cli_help_wrap(_(h->summary), 22, 22, 0, 0);
	}
}

/*
 * ombre help [COMMAND]: main.c prints its own usage without one. A
 * command of the command language (ombre -e, the config file) that is no
 * subcommand gets its row's usage and help.
 */
int
cli_help(struct cli *cli, int argc, char **argv)
{
	const struct cmd_entry	*e;

	(void)cli;
	if (argc != 1) {
		log_warn("%s", _("usage: ombre help [COMMAND]"));
		return EXIT_USAGE;
	}
	if (cli_help_find(argv[0]) == NULL && (e = cmd_find(argv[0])) != NULL) {
		printf(_("usage: %s\n"), _(e->usage));
		if (e->help != NULL && *e->help != '\0') {
			putchar('\n');
			cli_help_sentence(_(e->help));
		}
		printf(_("\nA command of the command language: ombre -e, the "
		    "config file, the console's\n: prompt. See "
		    "ombre.conf(5).\n"));
		return fflush(stdout) == 0 ? 0 : 1;
	}
	return cli_help_print(argv[0]);
}

/* Print an option's names as words: "-v, --verbose" as "-v --verbose". */
static void
cli_help_words(const char *name)
{
	for (; *name != '\0'; name++) {
		if (*name != ',')
			putchar(*name);
	}
}

static int
cli_help_cmp(const void *a, const void *b)
{
	const struct cli_help *const	*ha = a, *const *hb = b;

	return strcmp((*ha)->name, (*hb)->name);
}

/* The subcommands in alphabetical order, as a shell lists them (the
 * table is in --help's order). */
static void
cli_help_sort(const struct cli_help **sorted)
{
	size_t	i;

	for (i = 0; i < nitems(cli_helps); i++)
		sorted[i] = &cli_helps[i];
	qsort(sorted, nitems(cli_helps), sizeof sorted[0], cli_help_cmp);
}

/* The words a completion offers, space-separated, on one line. */
static void
cli_help_list_commands(void)
{
	const struct cli_help	*sorted[nitems(cli_helps)];
	size_t			 i;

	cli_help_sort(sorted);
	for (i = 0; i < nitems(sorted); i++)
		printf("%s%s", i > 0 ? " " : "", sorted[i]->name);
}

static void
cli_help_list_globals(void)
{
	size_t	i;

	for (i = 0; i < nitems(cli_help_globals); i++)
		printf("%s%s", i > 0 ? " " : "", cli_help_globals[i]);
}

/* The command language's names (ombre -e), from its table. */
static void
cli_help_list_language(void)
{
	const struct cmd_entry	*e;
	int			 first = 1;

	for (e = cmd_table(); e != NULL && e->name != NULL; e++) {
		printf("%s%s", first ? "" : " ", e->name);
		first = 0;
	}
}

/* The option table's names, for set, unset and show-options. */
static void
cli_help_list_options(void)
{
	const struct option_entry	*o;
	int				 first = 1;

	for (o = options_table(); o != NULL && o->name != NULL; o++) {
		printf("%s%s", first ? "" : " ", o->name);
		first = 0;
	}
}

/* Each subcommand's options and verbs as shell case arms:
 * "	(NAME) opts='...'; verbs='...' ;;". */
static void
cli_help_list_arms(const char *indent)
{
	const struct cli_help		*h;
	const struct cli_help_opt	*o;
	size_t				 i;

	for (i = 0; i < nitems(cli_helps); i++) {
		h = &cli_helps[i];
		/* not translated: shell code */
		printf("%s(%s) opts='--help", indent, h->name);
		for (o = h->opts; o < h->opts + CLI_HELP_OPTS &&
		    o->name != NULL; o++) {
			putchar(' ');
			cli_help_words(o->name);
		}
		/* not translated: shell code */
		printf("'; verbs='");
		if (strcmp(h->name, "help") == 0)
			cli_help_list_commands();
		else if (h->verbs != NULL)
			printf("%s", h->verbs);
		printf("' ;;\n");
	}
}

/* The options of any subcommand that take a value (a completion offers
 * no option after them). */
static void
cli_help_list_valued(void)
{
	const struct cli_help_opt	*o;
	size_t				 i;
	int				 first = 1;
	const char			*p;

	for (i = 0; i < nitems(cli_helps); i++) {
		for (o = cli_helps[i].opts; o < cli_helps[i].opts +
		    CLI_HELP_OPTS && o->name != NULL; o++) {
			if (o->arg == NULL)
				continue;
			p = strrchr(o->name, ' ');
			printf("%s%s", first ? "" : "|", p != NULL ? p + 1 :
			    o->name);
			first = 0;
		}
	}
}

static void
cli_help_bash(void)
{
	/* not translated: shell code */
	printf("# bash completion for ombre, printed by `ombre completion "
	    "bash` from its tables.\n"
	    "_ombre()\n{\n"
	    "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= i opts= verbs= q\n"
	    "\tlocal cmds='");
	cli_help_list_commands();
	/* not translated: shell code */
	printf("'\n\tlocal globals='");
	cli_help_list_globals();
	/* not translated: shell code */
	printf("'\n\tlocal language='");
	cli_help_list_language();
	/* not translated: shell code */
	printf("'\n\tlocal options='");
	cli_help_list_options();
	/* not translated: shell code */
	printf("'\n"
	    "\t[ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	    "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	    "\t\tcase ${COMP_WORDS[i]} in\n"
	    "\t\t-c|--config|--data-dir|-e|--eval) ((i++)) ;;\n"
	    "\t\t-*) ;;\n"
	    "\t\t*) cmd=${COMP_WORDS[i]}; break ;;\n"
	    "\t\tesac\n"
	    "\tdone\n"
	    "\tCOMPREPLY=()\n"
	    "\tcase $prev in\n"
	    "\t-c|--config|--out) COMPREPLY=($(compgen -f -- \"$cur\")); "
	    "return ;;\n"
	    "\t--data-dir) COMPREPLY=($(compgen -d -- \"$cur\")); return ;;\n"
	    /* -e's one word: a command, or in quotes 'set NAME'. */
	    "\t-e|--eval)\n"
	    "\t\tcase $cur in \\'*|\\\"*) q=${cur:0:1}; cur=${cur:1} ;; *) q= ;; "
	    "esac\n"
	    "\t\tcase $cur in\n"
	    "\t\tset\\ *|unset\\ *|show-options\\ *|set\\ -u\\ *)\n"
	    "\t\t\tmapfile -t COMPREPLY < <(compgen -P \"$q${cur%% *} \" "
	    "-W \"$options\" -- \"${cur##* }\") ;;\n"
	    "\t\t*\\ *) ;;\n"
	    "\t\t*) COMPREPLY=($(compgen -P \"$q\" -W \"$language\" -- "
	    "\"$cur\")) ;;\n"
	    "\t\tesac\n"
	    "\t\treturn ;;\n"
	    "\t");
	cli_help_list_valued();
	/* not translated: shell code */
	printf(") [ -n \"$cmd\" ] && return ;;\n"
	    "\tesac\n"
	    "\tif [ -z \"$cmd\" ]; then\n"
	    "\t\tcase $cur in\n"
	    "\t\t-*) COMPREPLY=($(compgen -W \"$globals\" -- \"$cur\")) ;;\n"
	    "\t\t*) COMPREPLY=($(compgen -W \"$cmds\" -- \"$cur\")) ;;\n"
	    "\t\tesac\n"
	    "\t\treturn\n"
	    "\tfi\n"
	    "\tcase $cmd in\n");
	cli_help_list_arms("\t");
	/* not translated: shell code */
	printf("\t*) return ;;\n"
	    "\tesac\n"
	    "\tcase $cur in\n"
	    "\t-*) COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\")) ;;\n"
	    "\t*) [ \"$prev\" = \"$cmd\" ] &&\n"
	    "\t    COMPREPLY=($(compgen -W \"$verbs\" -- \"$cur\")) ;;\n"
	    "\tesac\n"
	    "}\n"
	    "complete -F _ombre ombre\n");
}

static void
cli_help_zsh(void)
{
	const struct cli_help	*h, *sorted[nitems(cli_helps)];
	const char		*p;
	size_t			 i;

	/* not translated: shell code */
	printf("#compdef ombre\n"
	    "# zsh completion for ombre, printed by `ombre completion zsh` "
	    "from its tables.\n"
	    "_ombre() {\n"
	    "\tlocal cmd= i opts= verbs= prev=${words[CURRENT-1]}\n"
	    "\tlocal cmds='");
	cli_help_list_commands();
	/* not translated: shell code */
	printf("'\n\tlocal -a described\n\tdescribed=(\n");
	cli_help_sort(sorted);
	for (i = 0; i < nitems(sorted); i++) {
		h = sorted[i];
		printf("\t\t'%s:", h->name);
		/* A colon would end the name; a quote the word. */
		for (p = h->summary; *p != '\0'; p++) {
			if (*p == '\'')
				printf("'\\''");
			else if (*p == ':')
				printf("\\:");
			else
				putchar(*p);
		}
		printf("'\n");
	}
	/* not translated: shell code */
	printf("\t)\n\tlocal -a globals language options\n\tglobals=(");
	cli_help_list_globals();
	/* not translated: shell code */
	printf(")\n\tlanguage=(");
	cli_help_list_language();
	/* not translated: shell code */
	printf(")\n\toptions=(");
	cli_help_list_options();
	/* not translated: shell code */
	printf(")\n"
	    "\tfor ((i = 2; i < CURRENT; i++)); do\n"
	    "\t\tcase $words[i] in\n"
	    "\t\t(-c|--config|--data-dir|-e|--eval) ((i++)) ;;\n"
	    "\t\t(-*) ;;\n"
	    "\t\t(*) cmd=$words[i]; break ;;\n"
	    "\t\tesac\n"
	    "\tdone\n"
	    "\tcase $prev in\n"
	    "\t(-c|--config|--out) _files; return ;;\n"
	    "\t(--data-dir) _files -/; return ;;\n"
	    /* -e's one word, split where quoted: 'set NAME'. */
	    "\t(-e|--eval)\n"
	    "\t\tcompset -q\n"
	    "\t\tif ((CURRENT > 1)) &&\n"
	    "\t\t    [[ $words[1] == (set|unset|show-options) ]]; then\n"
	    "\t\t\tcompadd -a options\n"
	    "\t\telif ((CURRENT == 1)); then\n"
	    "\t\t\tcompadd -a language\n"
	    "\t\tfi\n"
	    "\t\treturn ;;\n"
	    "\t(");
	cli_help_list_valued();
	/* not translated: shell code */
	printf(") [[ -n $cmd ]] && return ;;\n"
	    "\tesac\n"
	    "\tif [[ -z $cmd ]]; then\n"
	    "\t\tif [[ $PREFIX == -* ]]; then\n"
	    "\t\t\tcompadd -a globals\n"
	    "\t\telse\n"
	    "\t\t\t_describe -t commands 'ombre command' described\n"
	    "\t\tfi\n"
	    "\t\treturn\n"
	    "\tfi\n"
	    "\tcase $cmd in\n");
	cli_help_list_arms("\t");
	/* not translated: shell code */
	printf("\t(*) return ;;\n"
	    "\tesac\n"
	    "\tif [[ $PREFIX == -* ]]; then\n"
	    "\t\tcompadd -- ${=opts}\n"
	    "\telif [[ $prev == $cmd ]]; then\n"
	    "\t\tcompadd -- ${=verbs}\n"
	    "\tfi\n"
	    "}\n"
	    "if [[ $funcstack[1] == _ombre ]]; then\n"
	    "\t_ombre \"$@\"\n"
	    "elif (( $+functions[compdef] )); then\n"
	    "\tcompdef _ombre ombre\n"
	    "fi\n");
}

/*
 * ombre completion bash|zsh: the script on stdout. The files make
 * install puts in place only run it, so completion always matches the
 * ombre on the PATH.
 */
int
cli_completion(struct cli *cli, int argc, char **argv)
{
	(void)cli;
	if (argc == 1 && strcmp(argv[0], "bash") == 0)
		cli_help_bash();
	else if (argc == 1 && strcmp(argv[0], "zsh") == 0)
		cli_help_zsh();
	else {
		log_warn("%s", _("usage: ombre completion bash|zsh"));
		return EXIT_USAGE;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
