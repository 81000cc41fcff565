/*
 * cli.c: what ombre's subcommands share: the parser of their options
 * (found anywhere after the command), numbers, and how they open the
 * store. Each subcommand has its file, cli-NAME.c. Text output goes
 * through the sanitiser, JSON output escapes control characters; nothing
 * in src/cli writes colour or escape codes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <sys/ioctl.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Split a subcommand's arguments into its options (found anywhere) and
 * the rest; "--" ends the options. Return 0, or -1 after printing an error.
 */
int
cli_parse_args(const char *cmd, const struct cli_opt *opts, int argc,
    char **argv, char ***rest, int *n_rest)
{
	const struct cli_opt	*o;
	const char		*arg, *eq;
	size_t			 len;
	int			 i, only_args = 0;

	*rest = xcalloc((size_t)argc + 1, sizeof **rest);
	*n_rest = 0;
	for (i = 0; i < argc; i++) {
		arg = argv[i];
		if (only_args || arg[0] != '-' || arg[1] == '\0') {
			(*rest)[(*n_rest)++] = argv[i];
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_args = 1;
			continue;
		}
		for (o = opts; o != NULL && o->name != NULL; o++) {
			if (arg[1] != '-') {
				if (arg[1] == o->short_name && arg[2] == '\0')
					break;
				continue;
			}
			eq = strchr(arg + 2, '=');
			len = eq != NULL ? (size_t)(eq - arg - 2) : strlen(arg + 2);
			if (strlen(o->name) == len && strncmp(arg + 2, o->name, len) == 0)
				break;
		}
		if ((o == NULL || o->name == NULL) &&
		    (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
			/* ombre COMMAND ... --help: its usage, on stdout. */
			free(*rest);
			exit(cli_help_print(cmd));
		}
		if ((o == NULL || o->name == NULL) && cli_help_is_global(arg)) {
			/* One answer for every global option: main.c reads
			 * them (config, data dir) before the command runs. */
			char *clean = sanitize(arg, strcspn(arg, "="),
			    SANITIZE_LINE, 40);
			log_warn(_("%s: %s is a global option: put it before "
			    "the command"), cmd, clean);
			free(clean);
			free(*rest);
			return -1;
		}
		if (o == NULL || o->name == NULL) {
			char *clean = sanitize(arg, strlen(arg), SANITIZE_LINE, 40);
			log_warn(_("%s: unknown option %s (see ombre --help)"), cmd, clean);
			free(clean);
			free(*rest);
			return -1;
		}
		if (o->has_arg) {
			eq = arg[1] == '-' ? strchr(arg + 2, '=') : NULL;
			if (eq != NULL)
				*o->value = eq + 1;
			else if (i + 1 < argc)
				*o->value = argv[++i];
			else {
				log_warn(_("%s: option --%s needs a value"), cmd, o->name);
				free(*rest);
				return -1;
			}
		} else
			*o->flag = 1;
	}
	return 0;
}

/* Parse a whole non-negative number, or return -1. */
long long
cli_number(const char *s)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0)
		return -1;
	return v;
}

/* The terminal's width, else $COLUMNS, else 0: no limit when piped. */
int
cli_width(void)
{
	struct winsize	 ws;
	const char	*cols;
	long long	 n;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
	    ws.ws_col > 0)
		return ws.ws_col;
	cols = getenv("COLUMNS");
	if (cols != NULL && (n = cli_number(cols)) > 20 && n < 1000)
		return (int)n;
	return 0;
}

/* Append s sanitised and padded to exactly width columns. */
void
cli_add_cell(struct buf *b, const char *s, size_t width)
{
	size_t	used;

	used = sanitize_buf(b, s, strlen(s), SANITIZE_LINE, width);
	for (; used < width; used++)
		buf_add_char(b, ' ');
}

/* A store opened read-write says so when it has to wait for the lock. */
void
cli_on_wait(void *data)
{
	(void)data;
	log_warn(_("waiting for database (another process holds its "
	    "write lock)"));
}

void
cli_store_options(struct cli *cli, struct store_options *opts)
{
	const struct channel_config	*cc;
	const char			*database;

	memset(opts, 0, sizeof *opts);
	opts->data_dir = cli->data_dir;
	database = options_get("store.database");
	opts->database = (!cli->demo && database != NULL && *database != '\0') ?
	    database : NULL;
	opts->lock_timeout = (double)options_get_number("store.lock-timeout");
	opts->batch_messages = (int)options_get_number("store.batch-messages");
	opts->batch_ms = (int)options_get_number("store.batch-ms");
	opts->on_wait = cli_on_wait;
	/* An email channel's query= narrows the user's mail ombre lists. */
	if (opts->database != NULL &&
	    (cc = channel_config_sender("email", NULL)) != NULL &&
	    strcmp(cc->type, "email") == 0)
		opts->mail_query = channel_config_get(cc, "query");
}

int
cli_open(struct cli *cli, enum store_mode mode, struct store **st)
{
	struct store_options	 opts;
	enum store_status	 rc;
	char			*cause;

	cli_store_options(cli, &opts);
	rc = store_open(&opts, mode, st, &cause);
	if (rc == STORE_OK)
		return 0;
	log_warn("%s", cause);
	free(cause);
	return rc == STORE_LOCKED ? EXIT_TEMPFAIL : 1;
}

/*
 * A JSON string in ASCII: controls and every non-ASCII character as \u
 * escapes (a pair for those past U+FFFF), bytes that are not UTF-8 as
 * U+FFFD. Safe for any terminal a script prints it to.
 */
void
cli_json_str(struct buf *b, const char *s)
{
	size_t		len = strlen(s), off = 0, n;
	uint32_t	cp;

	buf_add_char(b, '"');
	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		off += n;
		if (cp == '"' || cp == '\\')
			buf_add_printf(b, "\\%c", (char)cp);
		else if (cp >= 0x20 && cp < 0x7F)
			buf_add_char(b, (char)cp);
		else if (cp < 0x10000)
			buf_add_printf(b, "\\u%04x", (unsigned)cp);
		else {
			cp -= 0x10000;
			buf_add_printf(b, "\\u%04x\\u%04x",
			    (unsigned)(0xD800 + (cp >> 10)),
			    (unsigned)(0xDC00 + (cp & 0x3FF)));
		}
	}
	buf_add_char(b, '"');
}
