/*
 * t-core.c: unit tests of the command language: the parser, the command
 * table, options, views, agents, channel declarations and config files.
 *
 * Commands print into buffers through a test context, so every test can
 * assert the exact output and errors. `tag` runs against a fake host that
 * records what it was asked to do.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

/* What the test context collected. */
struct t_out {
	struct buf	out;
	struct buf	err;
};

/* The fake store: records the last call of tag. */
struct t_host {
	int	 calls;
	int	 fail;
	char	*target;
	char	*ops;
};

static struct t_out	t_out;
static struct cmd_ctx	t_ctx;
static char		 t_dir[64];

static void		 t_print(struct cmd_ctx *ctx, const char *text);
static void		 t_error(struct cmd_ctx *ctx, const char *text);
static void		 t_reset(void);
static const char	*t_output(void);
static const char	*t_errors(void);
static char		*t_parse(const char *text);
static void		 t_is_parse(const char *text, const char *expected,
			     const char *name);
static int		 t_fake_tag(void *data, const char *target, char **ops,
			     int n_ops, char **cause);
static char		*t_write(const char *name, const char *text, mode_t mode);
static void		 t_write_len(const char *path, const char *text,
			     size_t len, mode_t mode);
static void		 t_rmdir(void);

static void		 test_parse(void);
static void		 test_table(void);
static void		 test_exec(void);
static void		 test_options(void);
static void		 test_views(void);
static void		 test_agent(void);
static void		 test_teams(void);
static void		 test_watch(void);
static void		 test_channels(void);
static void		 test_tag(void);
static void		 test_config(void);
static void		 test_config_lax(void);
static void		 test_config_nested(void);
static void		 test_config_path(void);

static void
t_print(struct cmd_ctx *ctx, const char *text)
{
	struct t_out	*o = ctx->data;

	buf_add_str(&o->out, text);
	buf_add_char(&o->out, '\n');
}

static void
t_error(struct cmd_ctx *ctx, const char *text)
{
	struct t_out	*o = ctx->data;

	buf_add_str(&o->err, text);
	buf_add_char(&o->err, '\n');
}

/* Empty the buffers and give the context its initial state. */
static void
t_reset(void)
{
	buf_free(&t_out.out);
	buf_free(&t_out.err);
	buf_init(&t_out.out);
	buf_init(&t_out.err);
	free(t_ctx.fatal_cause);
	memset(&t_ctx, 0, sizeof t_ctx);
	t_ctx.print = t_print;
	t_ctx.error = t_error;
	t_ctx.data = &t_out;
}

static const char *
t_output(void)
{
	return t_out.out.len != 0 ? t_out.out.data : "";
}

static const char *
t_errors(void)
{
	return t_out.err.len != 0 ? t_out.err.data : "";
}

/*
 * Parse text and render the result as "[w][w] | [w]" (one group per
 * command), or "ERR: cause".
 */
static char *
t_parse(const char *text)
{
	struct cmd_list	*list;
	struct buf	 b;
	char		*cause, *s;
	int		 i, j;

	if ((list = cmd_parse(text, &cause)) == NULL) {
		s = xasprintf("ERR: %s", cause);
		free(cause);
		return s;
	}
	buf_init(&b);
	for (i = 0; i < list->n; i++) {
		if (i != 0)
			buf_add_str(&b, " | ");
		for (j = 0; j < list->argc[i]; j++)
			buf_add_printf(&b, "[%s]", list->argv[i][j]);
		if (list->argv[i][list->argc[i]] != NULL)
			buf_add_str(&b, "(argv not NULL-terminated)");
	}
	cmd_list_free(list);
	if (b.len == 0) {
		buf_free(&b);
		return xstrdup("");
	}
	return buf_steal(&b);
}

static void
t_is_parse(const char *text, const char *expected, const char *name)
{
	char	*got;

	got = t_parse(text);
	is_str(got, expected, name);
	free(got);
}

static int
t_fake_tag(void *data, const char *target, char **ops, int n_ops, char **cause)
{
	struct t_host	*h = data;
	struct buf	 b;
	int		 i;

	h->calls++;
	free(h->target);
	free(h->ops);
	h->target = xstrdup(target);
	buf_init(&b);
	for (i = 0; i < n_ops; i++)
		buf_add_printf(&b, "%s%s", i == 0 ? "" : " ", ops[i]);
	h->ops = buf_steal(&b);
	if (h->fail) {
		*cause = xstrdup("database locked");
		return -1;
	}
	return 0;
}

/* Write a file of the temporary directory; return its path (caller frees). */
static char *
t_write(const char *name, const char *text, mode_t mode)
{
	char	*path;

	path = xasprintf("%s/%s", t_dir, name);
	t_write_len(path, text, strlen(text), mode);
	return path;
}

/* Teams and agent-channels: the names assign accepts, the views, and
 * DATA/team written by -e and read by every process. */
/* The watch list: defaults, terms added folded, matched as whole words. */
static void
test_watch(void)
{
	const char	*t1 = "mon colis n'est pas arrive", *t2 = "via colissimo";
	char		*f;

	t_reset();
	watch_reset();
	is_int((int)watch_count(), 8, "eight order words are watched by default");
	ok(watch_match(2, t1, strlen(t1)), "colis in a sentence matches");
	ok(!watch_match(2, t2, strlen(t2)), "colissimo is not colis");
	is_int(cmd_run_string(&t_ctx, "watch 'Carte Cadeau' Éclair"),
	    CMD_NORMAL, "watch adds two terms");
	is_str(watch_folded(8), "carte cadeau", "kept folded");
	f = text_fold("Ma CARTE  cadeau, mon éclair!", 29);
	ok(!watch_match(8, f, strlen(f)), "two spaces are not one");
	free(f);
	f = text_fold("Ma CARTE cadeau, mon éclair!", 28);
	ok(watch_match(8, f, strlen(f)) && watch_match(9, f, strlen(f)),
	    "a phrase and an accented word match across case and accents");
	free(f);
	is_int(cmd_run_string(&t_ctx, "watch colis"), CMD_NORMAL,
	    "watching a term twice is no error");
	is_int((int)watch_count(), 10, "and keeps one");
	is_int(cmd_run_string(&t_ctx, "watch ''"), CMD_ERROR,
	    "an empty term is refused");
	ok(strstr(t_errors(), "1 to 64 bytes") != NULL, "with the reason");
	t_reset();
	is_int(cmd_run_string(&t_ctx, "unwatch order nothing"), CMD_ERROR,
	    "unwatch of a term not watched fails");
	ok(strstr(t_errors(), "'nothing' is not watched") != NULL, "naming it");
	is_int((int)watch_count(), 9, "the other one went");
	t_reset();
	is_int(cmd_run_string(&t_ctx, "unwatch -a; watch 'a \"b\"'; "
	    "list-watch"), CMD_NORMAL, "unwatch -a, then list-watch");
	is_str(t_output(), "watch 'a \"b\"'\n", "prints what makes them");
	watch_reset();
}

static void
test_teams(void)
{
	const struct view	*v;
	char			 zed[] = "zed", bob[] = "bob";
	char			*seen[] = { zed, bob, NULL };
	char			**known, *agent, *team, *cause, *q, *path;
	char			 text[256];
	FILE			*f;
	size_t			 n;

	t_reset();
	options_set("agent", "ana", &cause);
	known = team_known_agents(seen, 2);
	is_str(known[0], "ana", "no team: oneself is known");
	is_str(known[1], "bob", "and the agents seen, sorted");
	is_str(known[2], "zed", "every one");
	triage_tags_free(known);
	ok(team_target("carla", seen, 2, &agent, &team, &cause) == -1,
	    "no team: an agent never seen is unknown");
	is_str(cause, "unknown agent carla: ana, bob, zed",
	    "the refusal lists the known ones");
	free(cause);

	ok(cmd_run_string(&t_ctx, "team support bob carla; "
	    "agent-channels dan whatsapp sms") == CMD_NORMAL,
	    "team and agent-channels declared");
	ok(team_target("bbo", seen, 2, &agent, &team, &cause) == -1 &&
	    strcmp(cause, "unknown agent bbo: ana, bob, carla, dan, "
	    "team:support") == 0, "declared: the seen ones no longer count");
	free(cause);
	ok(team_target("carla", seen, 2, &agent, &team, &cause) == 0 &&
	    agent != NULL && strcmp(agent, "carla") == 0 && team == NULL,
	    "a team's member is an agent");
	free(agent);
	ok(team_target("team:support", NULL, 0, &agent, &team, &cause) == 0 &&
	    team != NULL && strcmp(team, "support") == 0 && agent == NULL,
	    "team:support is the team");
	free(team);
	ok(team_target("support", NULL, 0, &agent, &team, &cause) == 0 &&
	    team != NULL && strcmp(team, "support") == 0,
	    "so is its bare name, no agent's");
	free(team);
	ok((v = view_find("Team support")) != NULL &&
	    strcmp(v->query, "tag:ombre/team/support and tag:inbox") == 0,
	    "a team has its view");

	v = view_find("Unassigned");
	q = view_expand_query(v);
	is_str(q, "tag:inbox and not tag:/^ombre\\/assigned\\//",
	    "ana has no agent-channels: Unassigned offers every channel");
	free(q);
	options_set("agent", "dan", &cause);
	q = view_expand_query(v);
	is_str(q, "tag:inbox and not tag:/^ombre\\/assigned\\// and "
	    "(Channel:whatsapp or Channel:sms)",
	    "dan's Unassigned offers his channels only");
	free(q);
	q = view_expand_query(view_find("Mine"));
	ok(strstr(q, "Channel:") == NULL, "his Mine shows everything");
	free(q);
	ok(cmd_run_string(&t_ctx, "team support -") == CMD_NORMAL &&
	    view_find("Team support") == NULL, "team - removes it and its view");

	/* DATA/team: written outside a config file, read by every process. */
	team_reset();
	ok(team_load(t_dir, &cause) == 0, "no DATA/team: nothing declared");
	ok(cmd_run_string(&t_ctx, "team night eve; team day ana bob") ==
	    CMD_NORMAL, "declared at the prompt");
	path = xasprintf("%s/team", t_dir);
	f = fopen(path, "r");
	n = f != NULL ? fread(text, 1, sizeof text - 1, f) : 0;
	text[n] = '\0';
	if (f != NULL)
		fclose(f);
	is_str(text, "team night eve\nteam day ana bob\n",
	    "written to DATA/team");
	team_reset();
	ok(team_load(t_dir, &cause) == 0 && team_members("day", &n) != NULL &&
	    n == 2, "another process reads it");
	free(t_write("team", "team day ana\nhook message-in rm -rf x\n",
	    0660));
	ok(team_load(t_dir, &cause) == -1 && strstr(cause,
	    "only team NAME AGENT... and agent-channels") != NULL,
	    "DATA/team runs no other command");
	free(cause);
	ok(team_members("night", &n) == NULL && team_members("day", &n) !=
	    NULL && n == 1, "what it declared before is replaced");
	unlink(path);
	free(path);
	team_reset();
	options_set("agent", "", &cause);
}

static void
t_write_len(const char *path, const char *text, size_t len, mode_t mode)
{
	FILE	*f;

	if ((f = fopen(path, "w")) == NULL ||
	    fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		diag("cannot write %s", path);
		exit(99);
	}
	chmod(path, mode);
}

/* Remove the temporary directory and what the tests put in it. */
static void
t_rmdir(void)
{
	static const char *const	 names[] = {
		"basic", "lax", "a", "b", "self", "nul", "cont", "owner"
	};
	char				*path;
	size_t				 i;

	for (i = 0; i < nitems(names); i++) {
		path = xasprintf("%s/%s", t_dir, names[i]);
		unlink(path);
		free(path);
	}
	rmdir(t_dir);
}

static void
test_parse(void)
{
	struct cmd_list	*list;
	char		*cause = NULL, *got;

	/* Words and whitespace. */
	t_is_parse("set a b", "[set][a][b]", "plain words");
	t_is_parse("  set \t a   b  ", "[set][a][b]", "spaces and tabs");
	t_is_parse("", "", "empty text: no command");
	list = cmd_parse("   ", &cause);
	ok(list != NULL && list->n == 0, "blank text gives an empty list");
	cmd_list_free(list);

	/* Quotes. */
	t_is_parse("'a b' c", "[a b][c]", "single quotes keep spaces");
	t_is_parse("'a \\n \"b\" $c'", "[a \\n \"b\" $c]",
	    "single quotes are literal");
	t_is_parse("'it''s' x\"y\"z", "[its][xyz]", "quoted parts join");
	t_is_parse("a '' \"\"", "[a][][]", "empty quoted words");
	t_is_parse("\"a \\\" b\"", "[a \" b]", "\\\" in double quotes");
	t_is_parse("\"\\\\ \\n \\t \\$x\"", "[\\ \n \t $x]",
	    "\\\\ \\n \\t \\$ in double quotes");
	t_is_parse("\"tag:/^a\\/b/\"", "[tag:/^a\\/b/]",
	    "other escapes keep their backslash");
	got = t_parse("\"\\e[1m\"");
	is_str(got, "[^[[1m]", "\\e is ^[");
	ok(strchr(got, '\033') == NULL, "\\e never gives a raw ESC");
	free(got);

	/* Unicode escapes. */
	t_is_parse("\"caf\\u00e9\"", "[caf\xc3\xa9]", "\\u00e9");
	t_is_parse("\"\\u20AC\"", "[\xe2\x82\xac]", "\\u20AC");
	t_is_parse("\"\\U0001F600!\"", "[\xf0\x9f\x98\x80!]", "\\U0001F600");
	t_is_parse("\"\\uD800\"", "ERR: invalid code point U+D800",
	    "a surrogate is refused");
	t_is_parse("\"\\U00110000\"", "ERR: invalid code point U+110000",
	    "beyond U+10FFFF is refused");
	t_is_parse("\"\\u0000\"", "ERR: invalid code point U+0000",
	    "NUL is refused");
	t_is_parse("\"\\u12\"", "ERR: invalid \\u escape: 4 hex digits needed",
	    "short \\u");
	t_is_parse("\"\\U1234\"",
	    "ERR: invalid \\U escape: 8 hex digits needed", "short \\U");

	/* Backslash outside quotes. */
	t_is_parse("a\\ b", "[a b]", "\\ space");
	t_is_parse("\\#x \\'y \\\"z", "[#x]['y][\"z]", "\\ escapes any char");
	t_is_parse("a\\", "[a\\]", "a final backslash is kept");

	/* Continuations. */
	t_is_parse("set a \\\n   b", "[set][a][b]", "\\newline continues");
	t_is_parse("set a\\\nb", "[set][ab]", "\\newline joins a word");
	t_is_parse("a \\\\\nb", "[a][\\] | [b]",
	    "an escaped backslash before a newline does not continue");
	t_is_parse("a \\\\\\\nb", "[a][\\b]", "three backslashes continue");
	t_is_parse("\"x\\\ny\"", "[xy]", "continuation inside double quotes");

	/* Comments. */
	t_is_parse("# all comment", "", "comment line");
	t_is_parse("set a b # c 'd", "[set][a][b]", "comment after words");
	t_is_parse("set a#b '#c' \\#d", "[set][a#b][#c][#d]",
	    "# inside a word or quoted is not a comment");
	t_is_parse("a # c\nb", "[a] | [b]", "a comment ends at the newline");
	t_is_parse("a # c \\\nb", "[a]", "a continued comment goes on");

	/* Command separators. */
	t_is_parse("a ; b", "[a] | [b]", "bare ; word");
	t_is_parse("a x; b", "[a][x] | [b]", "trailing ; on a word");
	t_is_parse("a;", "[a]", "trailing ; at the end");
	t_is_parse("a \\; b", "[a][;][b]", "\\; is literal");
	t_is_parse("a ';' b\";\"", "[a][;][b;]", "quoted ; is literal");
	t_is_parse("a;b", "[a;b]", "; inside a word is literal");
	t_is_parse("; ;a ; ;", "[;a]", "empty commands are dropped");
	t_is_parse("a\nb\n\n c\n", "[a] | [b] | [c]", "newlines end commands");
	t_is_parse("'';", "[]", "empty word before ;");

	/* Errors. */
	t_is_parse("a 'b", "ERR: unterminated quote", "open single quote");
	t_is_parse("a \"b c", "ERR: unterminated quote", "open double quote");
	t_is_parse("\"abc\\", "ERR: unterminated quote",
	    "backslash at the end of a double quote");
	t_is_parse("ok; x 'y\nz", "ERR: unterminated quote",
	    "an error anywhere fails the whole text");
}

static void
test_table(void)
{
	const struct cmd_entry	*ce, *table = cmd_table();
	int			 sorted = 1, complete = 1, n = 0;

	for (ce = table; ce->name != NULL; ce++, n++) {
		if (ce != table && strcmp(ce[-1].name, ce->name) >= 0)
			sorted = 0;
		if (ce->usage == NULL || ce->help == NULL ||
		    *ce->help == '\0' || ce->exec == NULL ||
		    strncmp(ce->usage, ce->name, strlen(ce->name)) != 0)
			complete = 0;
	}
	ok(sorted, "command table sorted by name");
	ok(complete, "every command has usage (starting with its name), help "
	    "and exec");
	ok(n >= 9, "the table has the commands");
	ok(cmd_find("show") == cmd_find("show-options") &&
	    cmd_find("show") != NULL, "alias show");
	ok(cmd_find("lscm") == cmd_find("list-commands") &&
	    cmd_find("lscm") != NULL, "alias lscm");
	ok(cmd_find("show-opt") == NULL && cmd_find("") == NULL,
	    "no prefix matching");
	ok((cmd_find("channel")->flags & CMD_SECRET) != 0, "channel is secret");
	ok((cmd_find("tag")->flags & CMD_NEEDS_STORE) != 0,
	    "tag needs the store");

	t_reset();
	is_int(cmd_run_string(&t_ctx, "lscm"), CMD_NORMAL, "list-commands runs");
	{
		/* One usage line per row of the table, in its (sorted) order. */
		const struct cmd_entry	*row;
		struct buf		 want;

		buf_init(&want);
		for (row = cmd_table(); row->name != NULL; row++)
			buf_add_printf(&want, "%s\n", row->usage);
		is_str(t_output(), want.data, "list-commands prints usages by name");
		buf_free(&want);
	}
}

static void
test_exec(void)
{
	char	*argv[] = { NULL };

	t_reset();
	is_int(cmd_run_string(&t_ctx, "set"), CMD_ERROR, "set alone fails");
	is_str(t_errors(), "usage: set [-u] NAME [VALUE]\n", "usage reported");

	t_reset();
	is_int(cmd_run_string(&t_ctx, "list-commands extra"), CMD_ERROR,
	    "too many arguments");
	is_str(t_errors(), "usage: list-commands\n", "usage for too many");

	t_reset();
	cmd_run_string(&t_ctx, "set list.limit 5 6");
	is_str(t_errors(), "usage: set [-u] NAME [VALUE]\n",
	    "set with an extra word");

	t_reset();
	is_int(cmd_run_string(&t_ctx, "frobnicate now"), CMD_ERROR,
	    "unknown command fails");
	is_str(t_errors(), "unknown command: frobnicate\n",
	    "unknown command named");

	t_reset();
	is_int(cmd_exec(&t_ctx, 0, argv), CMD_NORMAL, "no words, nothing done");

	t_reset();
	is_int(cmd_run_string(&t_ctx, "set list.limit 7; nope; "
	    "set list.limit 9"), CMD_ERROR, "a list fails at its first error");
	is_str(options_get("list.limit"), "7",
	    "commands before the error ran, after it did not");
	is_str(t_errors(), "unknown command: nope\n", "one error");

	t_reset();
	is_int(cmd_run_string(&t_ctx, "set theme 'x"), CMD_ERROR,
	    "parse error fails");
	is_str(t_errors(), "unterminated quote\n", "parse error reported");

	t_reset();
	t_ctx.file = "some.conf";
	t_ctx.line = 12;
	cmd_error(&t_ctx, "bad %s", "thing");
	is_str(t_errors(), "some.conf:12: bad thing\n",
	    "cmd_error prefixes file:line");
	options_reset_all();
}

static void
test_options(void)
{
	const struct option_entry	*oe, *table = options_table();
	int				 sorted = 1, complete = 1, n = 0;
	char				*cause = NULL, *line;

	for (oe = table; oe->name != NULL; oe++, n++) {
		if (oe != table && strcmp(oe[-1].name, oe->name) >= 0)
			sorted = 0;
		if (oe->help == NULL || *oe->help == '\0' ||
		    oe->default_value == NULL)
			complete = 0;
	}
	ok(sorted, "option table sorted by name");
	ok(complete, "every option has help and a default");
	is_int(n, 32, "thirty-two options");

	is_str(options_get("list.limit"), "50", "list.limit default");
	is_int(options_get_number("store.batch-messages"), 500,
	    "store.batch-messages default");
	is_int(options_get_number("store.batch-ms"), 200, "store.batch-ms default");
	is_int(options_get_number("store.lock-timeout"), 30,
	    "store.lock-timeout default");
	is_str(options_get("store.database"), "", "store.database default");
	is_str(options_get("theme"), "default", "theme default");
	ok(options_get("nosuch") == NULL, "unknown option gets NULL");

	t_reset();
	is_int(cmd_run_string(&t_ctx, "set list.limit 0120"), CMD_NORMAL,
	    "set a number");
	is_int(options_get_number("list.limit"), 120, "number read back");
	cmd_run_string(&t_ctx, "show list.limit");
	is_str(t_output(), "list.limit 120\n", "show prints it canonically");

	t_reset();
	cmd_run_string(&t_ctx, "set list.limit 0");
	is_str(t_errors(), "list.limit: 0 is out of range (1 to 10000)\n",
	    "below the minimum");
	cmd_run_string(&t_ctx, "set list.limit 10001");
	cmd_run_string(&t_ctx, "set list.limit 12abc");
	cmd_run_string(&t_ctx, "set list.limit ''");
	cmd_run_string(&t_ctx, "set list.limit 99999999999999999999999");
	is_str(t_errors(),
	    "list.limit: 0 is out of range (1 to 10000)\n"
	    "list.limit: 10001 is out of range (1 to 10000)\n"
	    "list.limit: not a number: 12abc\n"
	    "list.limit: not a number: \n"
	    "list.limit: not a number: 99999999999999999999999\n",
	    "bad numbers refused");
	is_str(options_get("list.limit"), "120", "bad values change nothing");

	t_reset();
	is_int(cmd_run_string(&t_ctx, "set store.lock-timeout 0"), CMD_NORMAL,
	    "0 is allowed for the lock timeout");
	cmd_run_string(&t_ctx, "set nosuch 1");
	cmd_run_string(&t_ctx, "set -u nosuch");
	cmd_run_string(&t_ctx, "show nosuch");
	is_str(t_errors(), "unknown option: nosuch\nunknown option: nosuch\n"
	    "unknown option: nosuch\n", "unknown options refused");

	t_reset();
	cmd_run_string(&t_ctx, "set -u list.limit");
	is_str(options_get("list.limit"), "50", "set -u restores the default");
	cmd_run_string(&t_ctx, "set store.database 'solar dark'; show store.database; "
	    "set store.database ''; show store.database; set store.database \"it's\"; show store.database");
	is_str(t_output(), "store.database 'solar dark'\nstore.database ''\nstore.database \"it's\"\n",
	    "values with spaces, empty or quotes are quoted");

	/* What show-options prints, `set` reads back. */
	t_reset();
	options_set("store.database", "a 'b'\t\"c\" $d\\", &cause);
	cmd_run_string(&t_ctx, "show store.database");
	line = xasprintf("set %s", t_output());
	options_set("store.database", "other", &cause);
	is_int(cmd_run_string(&t_ctx, line), CMD_NORMAL, "show output runs");
	is_str(options_get("store.database"), "a 'b'\t\"c\" $d\\", "and round-trips");
	free(line);

	t_reset();
	options_reset_all();
	cmd_run_string(&t_ctx, "set list.limit 9; show-options");
	is_str(t_output(),
	    "agent ''\n"
	    "alert.bell on\n"
	    "alert.notify off\n"
	    "email.quote on\n"
	    "hook.timeout 10s\n"
	    "list.limit 9\n"
	    "net.ca-file ''\n"
	    "net.connect-timeout 10000\n"
	    "net.low-speed-time 30000\n"
	    "net.max-response 16777216\n"
	    "reply.takes-over on\n"
	    "sla.handoff-breach 1h\n"
	    "sla.handoff-warn 15m\n"
	    "store.authority ''\n"
	    "store.batch-messages 500\n"
	    "store.batch-ms 200\n"
	    "store.database ''\n"
	    "store.lock-timeout 30\n"
	    "store.replicate ''\n"
	    "store.replicate-interval 30\n"
	    "sync.attempts 5\n"
	    "sync.max-wait 3600\n"
	    "sync.poll-timeout 25\n"
	    "sync.retry-base 1000\n"
	    "sync.retry-cap 60000\n"
	    "template.language ''\n"
	    "theme default\n"
	    "thread.mark-read on\n"
	    "webhook.max-body 1048576\n"
	    "webhook.max-connections 64\n"
	    "webhook.timeout 10s\n"
	    "whatsapp.read-receipts on\n", "show-options lists every option");

	/* A duration takes a unit and is kept in seconds. */
	t_reset();
	ok(cmd_run_string(&t_ctx, "set hook.timeout 2m") == CMD_NORMAL,
	    "set hook.timeout 2m");
	is_int((int)options_get_number("hook.timeout"), 120,
	    "a duration in minutes is kept in seconds");
	ok(cmd_run_string(&t_ctx, "set hook.timeout 5") == CMD_NORMAL &&
	    options_get_number("hook.timeout") == 5, "a bare number is seconds");
	ok(cmd_run_string(&t_ctx, "set hook.timeout 2h") == CMD_ERROR,
	    "a duration past its range is refused");
	ok(cmd_run_string(&t_ctx, "set hook.timeout s") == CMD_ERROR,
	    "a unit alone is refused");
	options_reset_all();

	/* hook: several an event, in order; an unknown event listed. */
	t_reset();
	hooks_reset();
	ok(cmd_run_string(&t_ctx, "hook handoff 'notify-send a'; "
	    "hook handoff echo b; hook sent true") == CMD_NORMAL,
	    "hooks are declared");
	{
		const char	*cmds[4];

		is_int((int)hooks_find("handoff", cmds, 4), 2,
		    "two hooks of handoff");
		is_str(cmds[0], "notify-send a", "the first in order");
		is_str(cmds[1], "echo b", "several words joined");
		is_int((int)hooks_find("closed", cmds, 4), 0, "none of closed");
	}
	t_reset();
	cmd_run_string(&t_ctx, "hook handoff");
	is_str(t_output(), "hook handoff 'notify-send a'\n"
	    "hook handoff 'echo b'\n", "hook EVENT shows its hooks");
	t_reset();
	ok(cmd_run_string(&t_ctx, "hook handof true") == CMD_ERROR,
	    "an unknown event is refused");
	ok(strstr(t_errors(), "unknown hook event: handof (one of message, "
	    "handoff,") != NULL, "naming the valid events");
	hooks_reset();
	options_reset_all();
	is_str(options_get("list.limit"), "50", "options_reset_all");
}

static void
test_views(void)
{
	static const char *const	 names[] = {
		"Inbox", "Needs human", "Bot", "Mine", "Unassigned", "Snoozed",
		"Done", "Telegram", "WhatsApp", "Messenger", "LINE", "SMS",
		"Matrix", "Email", "Risk"
	};
	static const char		 first_views[] =
	    "Inbox\ttag:inbox and not tag:spam\n"
	    "Needs human\ttag:inbox and tag:ombre/handoff sort=waiting\n";
	const struct view		*all, *v;
	size_t				 n, i;
	int				 same = 1;
	char				*q, *cause = NULL;

	view_reset();
	all = view_all(&n);
	is_int(n, nitems(names), "fifteen built-in views");
	for (i = 0; i < n && i < nitems(names); i++) {
		if (strcmp(all[i].name, names[i]) != 0 || !all[i].builtin)
			same = 0;
	}
	ok(same, "built-ins in order");
	is_str(all[0].query, "tag:inbox", "Inbox query");
	is_str(all[1].query, "tag:inbox and tag:ombre/handoff", "Needs human query");
	is_str(all[2].query, "tag:inbox and tag:ombre/bot", "Bot query");
	is_str(all[3].query, "tag:ombre/assigned/#{agent} and not tag:ombre/done",
	    "Mine query");
	is_str(all[4].query, "tag:inbox and not tag:/^ombre\\/assigned\\//",
	    "Unassigned query");
	is_str(all[5].query, "tag:ombre/snoozed", "Snoozed query");
	is_str(all[6].query, "tag:ombre/done", "Done query");
	is_str(all[8].query, "Channel:whatsapp", "WhatsApp query");
	is_str(all[13].query, "Channel:email or not path:ombre/**",
	    "Email query: the user's own mail too");
	is_str(all[14].query, "tag:inbox and tag:/^ombre\\/alert\\//",
	    "Risk query");
	ok(all[14].sort == VIEW_SORT_RISK, "Risk by the public risk");

	v = view_find("needs HUMAN");
	ok(v != NULL && strcmp(v->name, "Needs human") == 0,
	    "view_find ignores case");
	ok(view_find("Nope") == NULL, "unknown view");

	t_reset();
	is_int(cmd_run_string(&t_ctx, "view Urgent tag:inbox and "
	    "tag:ombre/prio/high"), CMD_NORMAL, "define a view");
	all = view_all(&n);
	is_int(n, 16, "user view appended");
	is_str(all[15].name, "Urgent", "after the built-ins");
	is_str(all[15].query, "tag:inbox and tag:ombre/prio/high",
	    "query words joined");
	ok(!all[15].builtin, "not built in");

	cmd_run_string(&t_ctx, "view urgent 'tag:ombre/prio/high'");
	all = view_all(&n);
	is_int(n, 16, "redefinition replaces");
	is_str(all[15].query, "tag:ombre/prio/high", "new query");
	is_str(all[15].name, "Urgent", "keeps its label");

	cmd_run_string(&t_ctx, "view INBOX 'tag:inbox and not tag:spam'");
	all = view_all(&n);
	is_int(n, 16, "built-in redefined in place");
	is_str(all[0].query, "tag:inbox and not tag:spam", "Inbox query replaced");
	ok(!all[0].builtin, "a redefined built-in is the user's");

	t_reset();
	cmd_run_string(&t_ctx, "view Mine");
	is_str(t_output(), "tag:ombre/assigned/#{agent} and not tag:ombre/done\n",
	    "view NAME prints the query");
	t_reset();
	cmd_run_string(&t_ctx, "view");
	ok(strncmp(t_output(), first_views, strlen(first_views)) == 0,
	    "view prints name<TAB>query");
	ok(strstr(t_output(), "\nUrgent\ttag:ombre/prio/high\n") != NULL,
	    "including user views");

	t_reset();
	cmd_run_string(&t_ctx, "view Nope");
	cmd_run_string(&t_ctx, "view '' tag:x");
	cmd_run_string(&t_ctx, "view X '' ' '");
	cmd_run_string(&t_ctx, "view \"a\\tb\" tag:x");
	is_str(t_errors(), "unknown view: Nope\nview: empty name\n"
	    "view X: empty query\nview: control character in name\n",
	    "bad views refused");

	options_set("agent", "alice", &cause);
	q = view_expand_query(view_find("mine"));
	is_str(q, "tag:ombre/assigned/alice and not tag:ombre/done",
	    "#{agent} expanded");
	free(q);
	view_define("Pair", "tag:ombre/assigned/#{agent} or #{agent}#{agent}");
	q = view_expand_query(view_find("pair"));
	is_str(q, "tag:ombre/assigned/alice or alicealice", "every #{agent}");
	free(q);
	q = view_expand_query(view_find("inbox"));
	is_str(q, "tag:inbox and not tag:spam", "nothing to expand");
	free(q);
	options_reset_all();

	view_reset();
	all = view_all(&n);
	is_int(n, 15, "view_reset drops user views");
	is_str(all[0].query, "tag:inbox", "and restores the built-ins");
	ok(all[0].builtin, "built in again");
}

static void
test_agent(void)
{
	char	*user, *logname;

	user = getenv("USER") != NULL ? xstrdup(getenv("USER")) : NULL;
	logname = getenv("LOGNAME") != NULL ? xstrdup(getenv("LOGNAME")) : NULL;

	t_reset();
	is_int(cmd_run_string(&t_ctx, "agent alice.b-c_9"), CMD_NORMAL,
	    "agent NAME");
	is_str(core_agent_name(), "alice.b-c_9", "core_agent_name");
	is_str(options_get("agent"), "alice.b-c_9", "stored in the option");
	cmd_run_string(&t_ctx, "agent");
	is_str(t_output(), "alice.b-c_9\n", "agent alone prints it");

	is_int(cmd_run_string(&t_ctx, "agent 'bob smith'"), CMD_ERROR,
	    "space refused");
	cmd_run_string(&t_ctx, "agent a/b");
	cmd_run_string(&t_ctx, "set agent 'x:y'");
	ok(strstr(t_errors(), "invalid agent name 'bob smith'") != NULL &&
	    strstr(t_errors(), "invalid agent name 'a/b'") != NULL &&
	    strstr(t_errors(), "invalid agent name 'x:y'") != NULL,
	    "bad names refused by agent and set");
	is_str(core_agent_name(), "alice.b-c_9", "name unchanged");
	cmd_run_string(&t_ctx, "agent aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaa");
	ok(strstr(t_errors(), "at most 64") != NULL, "too long refused");

	options_reset_all();
	setenv("USER", "jo doe!", 1);
	is_str(core_agent_name(), "jodoe", "$USER, sanitised");
	unsetenv("USER");
	setenv("LOGNAME", "lg", 1);
	is_str(core_agent_name(), "lg", "$LOGNAME next");
	setenv("USER", "\xc3\xa9", 1);
	is_str(core_agent_name(), "lg", "a name with nothing allowed is skipped");
	unsetenv("USER");
	unsetenv("LOGNAME");
	is_str(core_agent_name(), "agent", "else \"agent\"");

	if (user != NULL)
		setenv("USER", user, 1);
	if (logname != NULL)
		setenv("LOGNAME", logname, 1);
	free(user);
	free(logname);
}

static void
test_channels(void)
{
	static const char		 first_channel[] =
	    "support-tg telegram token-command=(hidden)\n";
	const struct channel_config	*cc, *all;
	size_t				 n;

	channel_config_reset();
	t_reset();
	is_int(cmd_run_string(&t_ctx, "channel support-tg telegram "
	    "token=123:ABC chat-limit=5"), CMD_NORMAL, "declare a channel");
	cc = channel_config_find("support-tg");
	ok(cc != NULL && strcmp(cc->type, "telegram") == 0 && cc->n == 2,
	    "found with its type and keys");
	is_str(channel_config_get(cc, "token"), "123:ABC", "value stored");
	ok(channel_config_get(cc, "nope") == NULL, "missing key");

	cmd_run_string(&t_ctx, "channel mx matrix homeserver=https://m.example "
	    "password=hunter2 app-secret=s3 login=bot");
	cmd_run_string(&t_ctx, "channel bridge exec command='my-bridge --x' "
	    "note=");
	cmd_run_string(&t_ctx, "show-channels");
	is_str(t_output(),
	    "support-tg telegram token=(hidden) chat-limit=5\n"
	    "mx matrix homeserver=https://m.example password=(hidden) "
	    "app-secret=(hidden) login=bot\n"
	    "bridge exec command='my-bridge --x' note=''\n",
	    "show-channels hides secrets");

	t_reset();
	cmd_run_string(&t_ctx, "channel support-tg telegram "
	    "token-command='pass show tg'");
	all = channel_config_all(&n);
	is_int(n, 3, "redefinition replaces");
	is_str(all[0].name, "support-tg", "in its place");
	cmd_run_string(&t_ctx, "show-channels");
	ok(strncmp(t_output(), first_channel, strlen(first_channel)) == 0,
	    "a token command is hidden too");
	ok(strstr(t_output(), "pass show") == NULL &&
	    strstr(t_output(), "hunter2") == NULL, "no secret printed");

	t_reset();
	cmd_run_string(&t_ctx, "channel x carrier-pigeon");
	cmd_run_string(&t_ctx, "channel 'a b' telegram");
	cmd_run_string(&t_ctx, "channel x telegram Token=1");
	cmd_run_string(&t_ctx, "channel x telegram 999:supersecretvalue");
	cmd_run_string(&t_ctx, "channel x telegram =supersecretvalue");
	cmd_run_string(&t_ctx, "channel x telegram token=1 token=2");
	cmd_run_string(&t_ctx, "channel x");
	is_str(t_errors(),
	    "channel x: unknown type carrier-pigeon (known: telegram matrix "
	    "whatsapp messenger line sms twilio email exec demo)\n"
	    "invalid channel name 'a b': use letters, digits, '-' and '_'\n"
	    "channel x: invalid key 'Token': use lower-case letters and '-'\n"
	    "channel x: argument 3 is not KEY=VALUE\n"
	    "channel x: argument 3 is not KEY=VALUE\n"
	    "channel x: key token given twice\n"
	    "usage: channel NAME TYPE [KEY=VALUE...]\n",
	    "bad channels refused, no value quoted");
	ok(channel_config_find("x") == NULL, "nothing defined by errors");

	channel_config_reset();
	channel_config_all(&n);
	is_int(n, 0, "channel_config_reset");
}

static void
test_tag(void)
{
	struct t_host	h;
	struct cmd_host	host;

	memset(&h, 0, sizeof h);
	memset(&host, 0, sizeof host);
	t_reset();
	is_int(cmd_run_string(&t_ctx, "tag thread:1 +x"), CMD_ERROR,
	    "tag without a host");
	t_ctx.host = &host;
	cmd_run_string(&t_ctx, "tag thread:1 +x");
	is_str(t_errors(), "tag: no store here\ntag: no store here\n",
	    "no store here, without host or host->tag");

	host.tag = t_fake_tag;
	host.data = &h;
	t_reset();
	t_ctx.host = &host;
	is_int(cmd_run_string(&t_ctx, "tag thread:0001 +ombre/done -inbox"),
	    CMD_NORMAL, "tag a conversation");
	is_int(h.calls, 1, "host called");
	is_str(h.target, "thread:0001", "target");
	is_str(h.ops, "+ombre/done -inbox", "operations");

	cmd_run_string(&t_ctx, "tag tag:inbox and from:bob +ombre/prio/high");
	is_str(h.target, "tag:inbox and from:bob", "query words joined");
	is_str(h.ops, "+ombre/prio/high", "one operation");

	cmd_run_string(&t_ctx, "tag +x");
	cmd_run_string(&t_ctx, "tag thread:1 thread:2");
	cmd_run_string(&t_ctx, "tag thread:1 +ok stray");
	cmd_run_string(&t_ctx, "tag thread:1 '+bad tag'");
	cmd_run_string(&t_ctx, "tag thread:1 -");
	cmd_run_string(&t_ctx, "tag '' +x");
	is_str(t_errors(),
	    "usage: tag TARGET +TAG|-TAG...\n"
	    "usage: tag TARGET +TAG|-TAG...\n"
	    "tag: not +TAG or -TAG: stray\n"
	    "tag: invalid tag: bad tag\n"
	    "tag: invalid tag: \n"
	    "tag: empty target\n", "bad tag commands refused");
	is_int(h.calls, 2, "and the host never saw them");

	t_reset();
	t_ctx.host = &host;
	h.fail = 1;
	is_int(cmd_run_string(&t_ctx, "tag thread:9 +x"), CMD_ERROR,
	    "host failure fails");
	is_str(t_errors(), "tag: database locked\n", "with the host's cause");
	free(h.target);
	free(h.ops);
}

/* What the commands of a fake console saw and made it do. */
struct t_console {
	int	runs;
	int	reactions;
	int	macro_ends;
};

static int
t_console_go(void *data, int argc, char **argv, char **cause)
{
	struct t_console	*tc = data;

	(void)argc;
	(void)argv;
	(void)cause;
	tc->runs++;
	return 0x5;
}

static int
t_console_fail(void *data, int argc, char **argv, char **cause)
{
	(void)data;
	(void)argc;
	*cause = xasprintf("cannot %s", argv[1]);
	return -1;
}

static void
t_console_react(void *data, int reaction)
{
	struct t_console	*tc = data;

	tc->reactions |= reaction;
}

static void
t_console_macro_end(void *data)
{
	struct t_console	*tc = data;

	tc->macro_ends++;
}

static const struct cmd_entry t_console_entries[] = {
	{ .name = "aaa-go",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "aaa-go",
	  .help = "a console command",
	  .host_exec = t_console_go },
	{ .name = "zzz-fail",
	  .args_min = 1,
	  .args_max = 1,
	  .usage = "zzz-fail WHAT",
	  .help = "a console command that fails",
	  .host_exec = t_console_fail },
	{ .name = NULL }
};

/* The layer above adds its own rows; core runs them through the host. */
static void
test_register(void)
{
	const struct cmd_entry	*ce, *table;
	struct t_console	 tc;
	struct cmd_host		 host;
	int			 sorted = 1, n = 0;

	cmd_register(t_console_entries);
	table = cmd_table();
	for (ce = table; ce->name != NULL; ce++, n++) {
		if (ce != table && strcmp(ce[-1].name, ce->name) >= 0)
			sorted = 0;
	}
	ok(sorted, "registered rows sorted in with the core's");
	ok(strcmp(table[0].name, "aaa-go") == 0 &&
	    strcmp(table[n - 1].name, "zzz-fail") == 0,
	    "at their places by name");
	ok(cmd_find("zzz-fail") != NULL && cmd_find("set") != NULL,
	    "both found");

	t_reset();
	cmd_run_string(&t_ctx, "list-commands");
	ok(strncmp(t_output(), "aaa-go\n", 7) == 0 &&
	    strstr(t_output(), "\nzzz-fail WHAT\n") != NULL,
	    "list-commands prints them");

	t_reset();
	is_int(cmd_run_string(&t_ctx, "aaa-go"), CMD_ERROR,
	    "without a console, refused");
	is_str(t_errors(), "aaa-go: only in the console\n", "saying so");
	t_reset();
	cmd_run_string(&t_ctx, "zzz-fail");
	is_str(t_errors(), "usage: zzz-fail WHAT\n",
	    "argument counts checked from the row");

	memset(&tc, 0, sizeof tc);
	memset(&host, 0, sizeof host);
	host.react = t_console_react;
	host.macro_end = t_console_macro_end;
	host.data = &tc;
	t_reset();
	t_ctx.host = &host;
	is_int(cmd_run_string(&t_ctx, "aaa-go; aaa-go"), CMD_NORMAL,
	    "with a console, run");
	is_int(tc.runs, 2, "on the host's data");
	is_int(tc.reactions, 0x5, "what they return handed to the host");
	is_int(cmd_run_string(&t_ctx, "zzz-fail it; aaa-go"), CMD_ERROR,
	    "a failure fails");
	is_str(t_errors(), "zzz-fail: cannot it\n", "with its cause");
	is_int(tc.runs, 2, "and stops the list");

	t_reset();
	t_ctx.host = &host;
	macro_define("inner", "aaa-go");
	macro_define("outer", "macro-run inner; aaa-go");
	is_int(cmd_run_string(&t_ctx, "macro-run outer"), CMD_NORMAL,
	    "nested macros run");
	is_int(tc.runs, 4, "every command of them");
	is_int(tc.macro_ends, 1, "the host hears of the outermost's end once");
	is_int(t_ctx.macro_depth, 0, "and no macro runs after");
	macro_reset();
}

static void
test_config(void)
{
	static const char	 nul_data[] = "set store.database a\0b\nset list.limit 3\n";
	char			*path, *expect;

	t_reset();
	path = t_write("basic",
	    "# a comment\n"
	    "set list.limit 77\n"
	    "bogus-command x\n"
	    "set store.database \\\n"
	    "   'night owl'\n"
	    "set list.limit abc\n"
	    "view Urgent 'tag:ombre/prio/high'; set store.batch-ms 300\n"
	    "set \\\n"
	    "  store.lock-timeout \\\n"
	    "  -1\n"
	    "set store.batch-messages 7; nope; set store.database x\n"
	    "set 'unterminated\n"
	    "\n"
	    "   set store.lock-timeout 60", 0600);
	t_ctx.line = 42;
	is_int(config_load(&t_ctx, path, 0), CMD_ERROR,
	    "a file with errors returns CMD_ERROR");
	expect = xasprintf(
	    "%s:3: unknown command: bogus-command\n"
	    "%s:6: list.limit: not a number: abc\n"
	    "%s:8: store.lock-timeout: -1 is out of range (0 to 86400)\n"
	    "%s:11: unknown command: nope\n"
	    "%s:12: unterminated quote\n", path, path, path, path, path);
	is_str(t_errors(), expect, "errors collected with file:line");
	free(expect);
	is_int(options_get_number("list.limit"), 77, "line 2 ran");
	is_str(options_get("store.database"), "night owl", "continued line ran");
	ok(view_find("urgent") != NULL, "view defined");
	is_int(options_get_number("store.batch-ms"), 300,
	    "both commands of a line ran");
	is_int(options_get_number("store.batch-messages"), 7,
	    "a line runs up to its error");
	is_str(options_get("store.database"), "night owl", "and stops there");
	is_int(options_get_number("store.lock-timeout"), 60,
	    "last line without a newline ran");
	ok(t_ctx.file == NULL && t_ctx.line == 42 && t_ctx.file_lax == 0,
	    "ctx file, line and lax restored");
	ok(t_ctx.fatal_cause == NULL, "no fatal cause");
	free(path);
	options_reset_all();
	view_reset();

	/* A NUL byte spoils its line only. */
	t_reset();
	path = xasprintf("%s/nul", t_dir);
	t_write_len(path, nul_data, sizeof nul_data - 1, 0600);
	config_load(&t_ctx, path, 0);
	expect = xasprintf("%s:1: NUL byte in line\n", path);
	is_str(t_errors(), expect, "NUL byte reported");
	is_int(options_get_number("list.limit"), 3, "next line ran");
	free(expect);
	free(path);
	options_reset_all();

	/* Missing files. */
	t_reset();
	path = xasprintf("%s/none", t_dir);
	is_int(config_load(&t_ctx, path, 1), CMD_NORMAL, "missing_ok");
	is_str(t_errors(), "", "no error when missing is fine");
	is_int(config_load(&t_ctx, path, 0), CMD_ERROR, "missing file fails");
	expect = xasprintf("%s: No such file or directory\n", path);
	is_str(t_errors(), expect, "missing file named");
	free(expect);
	free(path);

	/* A file is run the same whether 600 or 644 when it has no secret. */
	t_reset();
	path = t_write("cont", "set list.limit 8\n", 0644);
	is_int(config_load(&t_ctx, path, 0), CMD_NORMAL,
	    "a readable file without channels is fine");
	is_int(options_get_number("list.limit"), 8, "and ran");
	free(path);
	options_reset_all();
}

static void
test_config_lax(void)
{
	char	*path, *expect;

	t_reset();
	channel_config_reset();
	path = t_write("lax",
	    "set store.database lax\n"
	    "channel tg telegram token=SECRET-TOKEN-1\n"
	    "set list.limit 12\n", 0644);
	is_int(config_load(&t_ctx, path, 0), CMD_ERROR, "lax file refused");
	ok(t_ctx.fatal_cause != NULL, "fatal cause set");
	expect = xasprintf("%s is readable by other users and defines a "
	    "channel; run: chmod 600 '%s'", path, path);
	is_str(t_ctx.fatal_cause, expect, "fatal cause says chmod 600");
	free(expect);
	is_str(options_get("store.database"), "lax", "lines before ran");
	is_int(options_get_number("list.limit"), 50, "nothing after ran");
	ok(channel_config_find("tg") == NULL, "channel not defined");
	ok(strstr(t_errors(), "SECRET") == NULL, "secret not in errors");
	is_int(config_load(&t_ctx, path, 0), CMD_ERROR,
	    "nothing runs once a fatal cause is set");

	t_reset();
	options_reset_all();
	chmod(path, 0600);
	is_int(config_load(&t_ctx, path, 0), CMD_NORMAL, "the same file at 600");
	ok(t_ctx.fatal_cause == NULL, "no fatal cause");
	ok(channel_config_find("tg") != NULL, "channel defined");
	is_int(options_get_number("list.limit"), 12, "whole file ran");
	free(path);

	t_reset();
	channel_config_reset();
	path = t_write("lax", "channel x demo\n", 0640);
	config_load(&t_ctx, path, 0);
	ok(t_ctx.fatal_cause != NULL &&
	    strstr(t_ctx.fatal_cause, "chmod 600") != NULL,
	    "group-readable is lax too");
	free(path);

	if (geteuid() == 0) {
		t_reset();
		path = t_write("owner", "channel x demo\n", 0600);
		if (chown(path, 65534, 65534) == 0) {
			config_load(&t_ctx, path, 0);
			ok(t_ctx.fatal_cause != NULL && strstr(t_ctx.fatal_cause,
			    "belongs to another user") != NULL,
			    "a file of another user is refused");
		}
		free(path);
	}

	/* Typed at the prompt, a channel is fine. */
	t_reset();
	is_int(cmd_run_string(&t_ctx, "channel y demo"), CMD_NORMAL,
	    "channel outside a file");
	channel_config_reset();
	options_reset_all();
}

static void
test_config_nested(void)
{
	char	*a, *b, *self, *text, *expect, *home;

	t_reset();
	b = t_write("b", "set store.database nested\nbogus\n", 0600);
	text = xasprintf("set list.limit 5\nsource %s\nset store.batch-ms 9\n"
	    "source %s/none\n", b, t_dir);
	a = t_write("a", text, 0600);
	free(text);
	is_int(config_load(&t_ctx, a, 0), CMD_ERROR, "nested errors count");
	expect = xasprintf("%s:2: unknown command: bogus\n"
	    "%s:4: %s/none: No such file or directory\n", b, a, t_dir);
	is_str(t_errors(), expect, "errors name the inner file and line");
	free(expect);
	is_str(options_get("store.database"), "nested", "inner file ran");
	is_int(options_get_number("store.batch-ms"), 9,
	    "outer file went on after source");
	ok(t_ctx.file == NULL, "ctx file restored");
	free(a);
	options_reset_all();

	/* ~/ is $HOME. */
	t_reset();
	home = getenv("HOME") != NULL ? xstrdup(getenv("HOME")) : NULL;
	setenv("HOME", t_dir, 1);
	is_int(cmd_run_string(&t_ctx, "source ~/b"), CMD_ERROR, "source ~/b");
	is_str(options_get("store.database"), "nested", "~/ expanded");
	unsetenv("HOME");
	t_reset();
	cmd_run_string(&t_ctx, "source ~/b");
	is_str(t_errors(), "source: HOME is not set\n", "~/ needs HOME");
	if (home != NULL)
		setenv("HOME", home, 1);
	free(home);
	free(b);
	options_reset_all();

	/* A file that sources itself stops at the depth limit. */
	t_reset();
	self = xasprintf("%s/self", t_dir);
	text = xasprintf("source %s\n", self);
	t_write_len(self, text, strlen(text), 0600);
	free(text);
	is_int(config_load(&t_ctx, self, 0), CMD_ERROR, "endless nesting fails");
	expect = xasprintf("%s:1: %s: files nested too deep (at most %d)\n",
	    self, self, CONFIG_MAX_DEPTH);
	is_str(t_errors(), expect, "one error at the depth limit");
	free(expect);
	free(self);
	ok(t_ctx.file == NULL && t_ctx.line == 0, "ctx restored after nesting");
}

static void
test_config_path(void)
{
	char	*saved_xdg, *saved_home, *p;

	saved_xdg = getenv("XDG_CONFIG_HOME") != NULL ?
	    xstrdup(getenv("XDG_CONFIG_HOME")) : NULL;
	saved_home = getenv("HOME") != NULL ? xstrdup(getenv("HOME")) : NULL;

	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	setenv("HOME", "/h", 1);
	p = config_default_path();
	is_str(p, "/x/conf/ombre/config", "XDG_CONFIG_HOME");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	p = config_default_path();
	is_str(p, "/h/.config/ombre/config", "a relative XDG_CONFIG_HOME is ignored");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	p = config_default_path();
	is_str(p, "/h/.config/ombre/config", "else HOME");
	free(p);

	if (saved_xdg != NULL)
		setenv("XDG_CONFIG_HOME", saved_xdg, 1);
	if (saved_home != NULL)
		setenv("HOME", saved_home, 1);
	else
		unsetenv("HOME");
	free(saved_xdg);
	free(saved_home);
}

/* A reply's limits and windows (limit.c). */
static void
test_limit(void)
{
	struct limit_measure	m;
	enum limit_window	w;
	int64_t			secs, now = 1795000000;
	char			big[4200];

	limit_measure("telegram", "hello", 5, &m);
	is_int((int)m.used, 5, "telegram: five characters");
	is_int((int)m.left, 4091, "4091 left of 4096");
	limit_measure("telegram", "\xf0\x9f\x98\x80", 4, &m);
	is_int((int)m.used, 2, "telegram counts an emoji as two UTF-16 units");
	limit_measure("whatsapp", "\xf0\x9f\x98\x80", 4, &m);
	is_int((int)m.used, 1, "whatsapp counts it as one character");
	memset(big, 'a', 2001);
	limit_measure("messenger", big, 2001, &m);
	is_int((int)m.left, -1, "messenger: 2001 characters are one over 2000");
	limit_measure("sms", big, 160, &m);
	ok(m.segments == 1 && !m.sms_unicode, "sms: 160 GSM-7 characters are one segment");
	limit_measure("sms", big, 161, &m);
	is_int(m.segments, 2, "161 are two segments of 153");
	limit_measure("sms", "{}", 2, &m);
	ok(m.segments == 1 && !m.sms_unicode, "braces are GSM-7 (extension table)");
	memset(big, '[', 81);
	limit_measure("sms", big, 81, &m);
	is_int(m.segments, 2, "81 extension characters need 162 septets: two segments");
	limit_measure("sms", "caf\xc3\xa9 \xe2\x82\xac", 9, &m);
	ok(m.segments == 1 && !m.sms_unicode, "e acute and the euro sign stay GSM-7");
	limit_measure("sms", "\xd0\x9f\xd1\x80\xd0\xb8", 6, &m);
	ok(m.segments == 1 && m.sms_unicode, "Cyrillic needs UCS-2");
	memset(big, 'a', 72);
	memcpy(big, "\xd0\x9f", 2);
	limit_measure("sms", big, 72, &m);
	is_int(m.segments, 2, "71 UCS-2 characters are two segments of 67");
	limit_measure("matrix", "a\"b\n", 4, &m);
	ok(strcmp(m.unit, "bytes") == 0 && m.used == 6,
	    "matrix counts the body's JSON-escaped bytes");
	ok(m.limit > 60000 && m.limit < 65536, "under the 64 KiB event");
	limit_measure("email", big, 71, &m);
	is_int((int)m.limit, 0, "e-mail has no limit");

	w = limit_window("whatsapp", now - 3600, now, &secs);
	ok(w == LIMIT_WINDOW_OPEN && secs == 23 * 3600,
	    "whatsapp: an hour after the customer, 23 hours are left");
	w = limit_window("messenger", now - 25 * 3600, now, &secs);
	ok(w == LIMIT_WINDOW_CLOSED && secs == 3600,
	    "messenger: closed an hour ago after 25 hours");
	w = limit_window("whatsapp", 0, now, &secs);
	ok(w == LIMIT_WINDOW_CLOSED, "closed when the customer never wrote");
	w = limit_window("telegram", now - 90 * 86400, now, &secs);
	ok(w == LIMIT_WINDOW_NONE, "telegram has no window");
}

/* Canned replies (template.c). */
static void
test_templates(void)
{
	struct template		*t;
	struct template_vars	 v = { "Zoë Martin", "alice", "whatsapp", 0 };
	char			*cause = NULL, *text, *expect;
	char			**values;
	size_t			  n_values;
	const char		*good = "shortcut: rf\nchannels: whatsapp messenger\n"
	    "approved: refund_ok\n\nBonjour {{customer.first_name}} ({{channel}}),"
	    "\nc'est fait.\n{{agent.name}}\n";

	t = template_parse("refund", good, strlen(good), &cause);
	ok(t != NULL && strcmp(t->name, "refund") == 0 &&
	    strcmp(t->shortcut, "rf") == 0 && strcmp(t->approved, "refund_ok") == 0,
	    "a template: name from the file, shortcut, approved name");
	if (t == NULL)
		return;
	ok(template_allows(t, "whatsapp") && template_allows(t, "messenger") &&
	    !template_allows(t, "telegram") && !template_allows(t, "whats"),
	    "its channels, as whole words");
	text = template_render(t, &v, &cause);
	is_str(text, "Bonjour Zoë (whatsapp),\nc'est fait.\nalice",
	    "rendered: first name, channel, agent; the last newline dropped");
	free(text);
	text = template_fill(t, "messenger", "Zoë Martin", &cause);
	expect = xasprintf("Bonjour Zoë (messenger),\nc'est fait.\n%s",
	    core_agent_name());
	is_str(text, expect,
	    "filled for a conversation: its channel, its customer, this agent");
	free(expect);
	free(text);
	/* An approved template's parameters, read back from its text. */
	ok(template_params(t, "Bonjour Zoë (messenger),\nc'est fait.\nana",
	    &values, &n_values) == 0 && n_values == 3 &&
	    strcmp(values[0], "Zoë") == 0 &&
	    strcmp(values[1], "messenger") == 0 &&
	    strcmp(values[2], "ana") == 0,
	    "the values of its variables, in order, from the filled text");
	while (n_values > 0)
		free(values[--n_values]);
	free(values);
	ok(template_params(t, "Bonjour Zoë, c'est fait.", &values,
	    &n_values) == -1 && values == NULL && n_values == 0,
	    "a text that is not the template filled in: none");
	ok(template_fill(t, "telegram", "Zoë Martin", &cause) == NULL &&
	    strstr(cause, "template refund is not for telegram (channels: "
	    "whatsapp messenger)") != NULL,
	    "not filled on a channel it is not for");
	free(cause);
	free(t->body);
	t->body = xstrdup("Hi {{customer.email}}");
	ok(template_render(t, &v, &cause) == NULL && strstr(cause,
	    "unknown variable {{customer.email}}") != NULL,
	    "an unknown variable is an error, not sent as typed");
	free(cause);
	free(t->body);
	t->body = xstrdup("Hi {{agent.name");
	ok(template_render(t, &v, &cause) == NULL && strstr(cause, "without }}")
	    != NULL, "so is a {{ left open");
	free(cause);
	template_free(t);
	t = template_parse("bad", "colour: red\n\nHi", 15, &cause);
	ok(t == NULL && strstr(cause, "bad:1: unknown key") != NULL,
	    "an unknown header key names the file and line");
	free(cause);
	t = template_parse("bad", "name: x\nHi", 10, &cause);
	ok(t == NULL && strstr(cause, "bad:2: ") != NULL,
	    "a header without its empty line is refused");
	free(cause);
	t = template_parse("bad", "name: x\n\n\xff", 10, &cause);
	ok(t == NULL && strstr(cause, "not UTF-8") != NULL,
	    "a file that is not UTF-8 is refused");
	free(cause);
	t = template_parse("../x", "\nHi", 3, &cause);
	ok(t == NULL && strstr(cause, "not a template name") != NULL,
	    "a file name that is not a name needs a name: line");
	free(cause);
}

/* A template from its file's text, its file name set as loading does. */
static struct template *
tpl(const char *file, const char *text)
{
	struct template	*t;
	char		*cause = NULL;

	t = template_parse(file, text, strlen(text), &cause);
	if (t == NULL)
		fatalx("tpl %s: %s", file, cause);
	t->file = xstrdup(file);
	return t;
}

/* Fallbacks, names that are none, variants, check (issue 17). */
static void
test_template_fallbacks(void)
{
	struct template		*t, *all[5];
	struct template_vars	 v = { NULL, "alice", "sms", 0 };
	char			*cause = NULL, *text, **problems, *stem;
	size_t			 n, i;

	t = tpl("hi", "\nBonjour {{customer.first_name | \"cher client\"}}, "
	    "{{ customer.name|\"vous\" }}.");
	v.customer_name = "Zoë Martin";
	text = template_render(t, &v, &cause);
	is_str(text, "Bonjour Zoë, Zoë Martin.",
	    "a name: the fallbacks are not used (spaces around | allowed)");
	free(text);
	v.customer_name = "+33683422787";
	text = template_render(t, &v, &cause);
	is_str(text, "Bonjour cher client, vous.",
	    "a phone number is no name: the fallbacks");
	free(text);
	v.customer_name = NULL;
	text = template_render(t, &v, &cause);
	is_str(text, "Bonjour cher client, vous.", "no name at all: the same");
	free(text);
	template_free(t);

	t = tpl("hi", "\nBonjour {{customer.first_name}} !");
	v.customer_name = "+33683422787";
	ok(template_render(t, &v, &cause) == NULL && strcmp(cause,
	    "template hi: no {{customer.first_name}} here (\"+33683422787\" "
	    "is not a name) and no fallback") == 0,
	    "no value and no fallback: refused, the reason says why");
	free(cause);
	v.customer_name = "";
	ok(template_render(t, &v, &cause) == NULL && strcmp(cause,
	    "template hi: no {{customer.first_name}} here and no fallback") ==
	    0, "an empty name: refused, never \"Bonjour  !\"");
	free(cause);
	v.lenient = 1;
	v.customer_name = "@zoe_77";
	text = template_render(t, &v, &cause);
	is_str(text, "Bonjour  !", "lenient (the bot's answers): empty");
	free(text);
	v.lenient = 0;
	ok(template_fill(t, "sms", "+33683422787", &cause) == NULL &&
	    strstr(cause, "is not a name") != NULL,
	    "template_fill refuses it too (the composer, ombre reply)");
	free(cause);
	free(t->body);
	t->body = xstrdup("Hi {{customer.name | cher}}");
	ok(template_render(t, &v, &cause) == NULL && strstr(cause,
	    "bad fallback for {{customer.name}}") != NULL,
	    "a fallback not in double quotes is an error");
	free(cause);
	template_free(t);

	ok(template_is_name("Zoë") && template_is_name("Jean-Paul Dupont") &&
	    !template_is_name("+33 6 83 42 27 87") &&
	    !template_is_name("0683422787") && !template_is_name("@zoe") &&
	    !template_is_name("zoe@example.com") && !template_is_name("?") &&
	    !template_is_name("  ") && !template_is_name(NULL),
	    "names, and phone numbers, handles, addresses that are none");

	/* Variants: refund.fr, refund.en, thanks-fr; and a plain one. */
	all[0] = tpl("refund.en", "shortcut: rf\n\nRefund {{channel}}");
	all[1] = tpl("refund.fr", "shortcut: rf\n\nRemboursement");
	all[2] = tpl("thanks-fr", "\nMerci");
	all[3] = tpl("thanks", "\nThanks");
	all[4] = tpl("bye", "language: de\n\nTschüss");
	stem = template_stem("refund.fr");
	is_str(stem, "refund", "the stem of refund.fr");
	free(stem);
	ok(template_variant_lang(all[0]) != NULL &&
	    strcmp(template_variant_lang(all[0]), "en") == 0 &&
	    strcmp(template_variant_lang(all[2]), "fr") == 0 &&
	    strcmp(template_variant_lang(all[4]), "de") == 0 &&
	    template_variant_lang(all[3]) == NULL,
	    "a variant's language: its suffix, else its language: header");
	ok(template_pick(all, 5, "refund", "fr") == all[1] &&
	    template_pick(all, 5, "rf", "fr") == all[1] &&
	    template_pick(all, 5, "refund.en", "fr") == all[1],
	    "the customer's language, by stem, shortcut or a variant named");
	ok(template_pick(all, 5, "thanks", "fr") == all[2] &&
	    template_pick(all, 5, "thanks-fr", "en") == all[2] &&
	    template_pick(all, 5, "thanks", "en") == all[3],
	    "NAME-fr still works; no variant in the language: the one named");
	ok(options_set("template.language", "fr", &cause) == 0 &&
	    template_pick(all, 5, "refund", NULL) == all[1] &&
	    template_pick(all, 5, "refund", "it") == all[1] &&
	    template_pick(all, 5, "refund.en", NULL) == all[0],
	    "unknown language: template.language's, unless one is named");
	options_set("template.language", "", &cause);
	ok(template_pick(all, 5, "refund", NULL) == all[0] &&
	    template_pick(all, 5, "nope", "fr") == NULL,
	    "no language at all: the first variant; none: NULL");

	/* check: every problem at its file and line. */
	free(all[3]->body);
	all[3]->body = xstrdup("Hi\n{{customer.mail}} {{agent.name | x}}");
	free(all[4]->channels);
	all[4]->channels = xstrdup("sms, whatsap");
	all[4]->channels_line = 2;
	free(all[4]->shortcut);
	all[4]->shortcut = xstrdup("rf");
	all[4]->shortcut_line = 3;
	n = template_check(all, 5, &problems);
	ok(n == 4 &&
	    strcmp(problems[0], "thanks:3: unknown variable {{customer.mail}} "
	    "(customer.name, customer.first_name, agent.name, channel)") == 0 &&
	    strcmp(problems[1], "thanks:3: bad fallback for {{agent.name}}: "
	    "write {{agent.name | \"text\"}}") == 0 &&
	    strcmp(problems[2], "bye:2: unknown channel whatsap") == 0 &&
	    strcmp(problems[3], "bye:3: shortcut rf is also refund.en's") == 0,
	    "check: unknown variable, bad fallback, unknown channel, a "
	    "shortcut twice (variants may share theirs)");
	for (i = 0; i < n; i++)
		free(problems[i]);
	free(problems);
	for (i = 0; i < 5; i++)
		template_free(all[i]);
}

/*
 * store.authority: the words reach the command at the other end of an
 * ssh-like hop (which joins them and hands them to a shell) as they were.
 */
static void
test_authority(void)
{
	const char	*argv[] = { "printf", "<%s>", "it's", "a b",
	    "$HOME;`id`", "id:\"x@y\"", NULL };
	struct buf	 out, err;
	char		*cause = NULL;
	int		 rc;

	ok(!authority_active(), "no store.authority: this store decides");
	ok(options_set("store.authority", "sh -c 'shift; eval \"$*\"' ssh "
	    "central", &cause) == 0 && authority_active(),
	    "store.authority set: a replica");
	buf_init(&out);
	buf_init(&err);
	rc = authority_run(argv, NULL, 0, &out, &err);
	is_int(rc, 0, "run through an ssh-like hop: exit 0");
	is_str(out.data, "<it's><a b><$HOME;`id`><id:\"x@y\">",
	    "every word arrives whole, nothing expanded on either side");
	is_int(authority_replicate(&err), 0, "no store.replicate: nothing run");
	options_set("store.replicate", "exit 4", &cause);
	is_int(authority_replicate(&err), 4, "store.replicate's exit status");
	options_unset("store.replicate", &cause);
	options_unset("store.authority", &cause);
	buf_free(&out);
	buf_free(&err);
	free(cause);
}

int
main(void)
{
	const char	*tmp;
	int		 n;

	tmp = getenv("TMPDIR");
	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	n = snprintf(t_dir, sizeof t_dir, "%s/t-core.XXXXXX", tmp);
	if (n < 0 || (size_t)n >= sizeof t_dir || mkdtemp(t_dir) == NULL) {
		printf("Bail out! cannot make a temporary directory\n");
		return 1;
	}

	test_parse();
	test_table();
	test_exec();
	test_options();
	test_views();
	test_agent();
	test_teams();
	test_watch();
	test_channels();
	test_limit();
	test_templates();
	test_template_fallbacks();
	test_tag();
	test_config();
	test_config_lax();
	test_config_nested();
	test_config_path();
	test_register();
	test_authority();

	t_reset();
	buf_free(&t_out.out);
	buf_free(&t_out.err);
	options_reset_all();
	view_reset();
	channel_config_reset();
	t_rmdir();
	done_testing();
	return exit_status();
}
