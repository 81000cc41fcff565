/*
 * config.c: run config files (tmux cfg.c). A file is read whole and run
 * one logical line at a time: a line ending in an odd number of
 * backslashes goes on to the next, which is the parser's own rule. Each
 * line's commands run with ctx->file and ctx->line naming where the line
 * starts, so errors read "file:line: text"; they are collected, never
 * fatal. Only a refusal (a file others can write, or a secret in a file
 * others can read) sets ctx->fatal_cause and stops everything.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How many files are being run, one inside the other. */
static int	config_depth;

static int	config_read(int fd, struct buf *b);
static enum cmd_retval config_run_line(struct cmd_ctx *ctx, const char *line,
		    size_t len);
static enum cmd_retval config_run(struct cmd_ctx *ctx, const char *text,
		    size_t len);
static char	*config_check_writers(const char *path, const struct stat *st);

/* Read everything from fd into b. Return 0, or -1 with errno set. */
static int
config_read(int fd, struct buf *b)
{
	char	data[8192];
	ssize_t	n;

	for (;;) {
		n = read(fd, data, sizeof data);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			return 0;
		buf_add(b, data, n);
	}
}

/*
 * Parse one logical line (continuations included, no final newline) and
 * run its commands; like a ';' list typed at the prompt, the line stops
 * at its first error, and the file goes on with the next line.
 */
static enum cmd_retval
config_run_line(struct cmd_ctx *ctx, const char *line, size_t len)
{
	struct cmd_list	*list;
	enum cmd_retval	 retval;
	char		*text, *cause;

	if (memchr(line, '\0', len) != NULL)
		return cmd_error(ctx, _("NUL byte in line"));
	text = xstrndup(line, len);
	list = cmd_parse(text, &cause);
	free(text);
	if (list == NULL) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return CMD_ERROR;
	}
	retval = cmd_list_exec(ctx, list);
	cmd_list_free(list);
	return retval;
}

/* Run every logical line of text; stop only when fatal_cause is set. */
static enum cmd_retval
config_run(struct cmd_ctx *ctx, const char *text, size_t len)
{
	const char	*p = text, *end = text + len;
	const char	*start, *nl, *eol, *q;
	enum cmd_retval	 retval = CMD_NORMAL;
	int		 line = 1, start_line;

	while (p < end && ctx->fatal_cause == NULL) {
		start = p;
		start_line = line;
		for (;;) {
			nl = memchr(p, '\n', end - p);
			eol = (nl != NULL) ? nl : end;
			for (q = eol; q > p && q[-1] == '\\'; q--)
				continue;
			p = (nl != NULL) ? nl + 1 : end;
			if (nl == NULL)
				break;
			line++;
			if ((eol - q) % 2 == 0)
				break;
		}
		ctx->line = start_line;
		if (config_run_line(ctx, start, eol - start) != CMD_NORMAL)
			retval = CMD_ERROR;
	}
	if (ctx->fatal_cause != NULL)
		retval = CMD_ERROR;
	return retval;
}

/*
 * Whether a config file may say what ombre runs (net.ca-file, `source`,
 * the commands that fetch secrets): ssh's StrictModes rule. It must
 * belong to the user or root, must not be writable by others, and may be
 * writable by its group only when that group is the owner's private group
 * (the owner's primary group, with no other member). A team shares its
 * data dir through a group; config files stay each agent's own. Return
 * NULL when the file is safe, else why not with the fix (allocated).
 */
static char *
config_check_writers(const char *path, const struct stat *st)
{
	struct passwd	*pw;
	struct group	*gr;
	struct buf	 b;
	size_t		 i;
	int		 private_group = 0;
	const char	*fix;

	if (st->st_uid != geteuid() && st->st_uid != 0) {
		return xasprintf(_("%s belongs to another user, who could "
		    "make ombre run anything: it must be your own file"), path);
	}
	if (st->st_mode & S_IWOTH)
		fix = _("other users");
	else if ((st->st_mode & S_IWGRP) == 0)
		return NULL;
	else {
		if ((pw = getpwuid(st->st_uid)) != NULL &&
		    pw->pw_gid == st->st_gid &&
		    (gr = getgrgid(st->st_gid)) != NULL) {
			private_group = 1;
			for (i = 0; gr->gr_mem[i] != NULL; i++) {
				if (strcmp(gr->gr_mem[i], pw->pw_name) != 0)
					private_group = 0;
			}
		}
		if (private_group)
			return NULL;
		fix = _("its group");
	}
	buf_init(&b);
	/* TRANSLATORS: the second %s is "other users" or "its group". */
	buf_add_printf(&b, _("%s is writable by %s, who could make ombre "
	    "run anything; run: chmod go-w "), path, fix);
	cmd_quote_shell(&b, path);
	return buf_steal(&b);
}

/*
 * Open, check and run a config file. The checks use fstat() on the open
 * file, so what is checked is what is read. ctx->file, line and file_lax
 * are put back afterwards: `source` nests.
 */
enum cmd_retval
config_load(struct cmd_ctx *ctx, const char *path, int missing_ok)
{
	struct stat	 st;
	struct buf	 b;
	const char	*saved_file;
	int		 fd, saved_line, saved_lax, lax = 0;
	enum cmd_retval	 retval;

	if (ctx->fatal_cause != NULL)
		return CMD_ERROR;
	if (config_depth >= CONFIG_MAX_DEPTH) {
		return cmd_error(ctx, _("%s: files nested too deep (at most %d)"),
		    path, CONFIG_MAX_DEPTH);
	}

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		if (errno == ENOENT && missing_ok)
			return CMD_NORMAL;
		return cmd_error(ctx, "%s: %s", path, strerror(errno));
	}
	buf_init(&b);
	if (fstat(fd, &st) == -1 || config_read(fd, &b) == -1) {
		retval = cmd_error(ctx, "%s: %s", path, strerror(errno));
		close(fd);
		buf_free(&b);
		return retval;
	}
	close(fd);
	if ((ctx->fatal_cause = config_check_writers(path, &st)) != NULL) {
		buf_free(&b);
		return CMD_ERROR;
	}
	if (st.st_mode & 077)
		lax |= CONFIG_LAX_MODE;
	if (st.st_uid != geteuid())
		lax |= CONFIG_LAX_OWNER;

	saved_file = ctx->file;
	saved_line = ctx->line;
	saved_lax = ctx->file_lax;
	ctx->file = path;
	ctx->file_lax = lax;
	config_depth++;

	retval = config_run(ctx, b.data != NULL ? b.data : "", b.len);

	config_depth--;
	ctx->file = saved_file;
	ctx->line = saved_line;
	ctx->file_lax = saved_lax;
	buf_free(&b);
	return retval;
}

/*
 * $XDG_CONFIG_HOME/ombre/config; XDG says a relative XDG_CONFIG_HOME is
 * ignored, so then (or when unset) $HOME/.config/ombre/config, with the
 * home directory from the password file when $HOME is unset. NULL only
 * when there is no home directory at all.
 */
char *
config_default_path(void)
{
	const char	*dir;
	struct passwd	*pw;

	dir = getenv("XDG_CONFIG_HOME");
	if (dir != NULL && *dir == '/')
		return xasprintf("%s/ombre/config", dir);
	dir = getenv("HOME");
	if (dir == NULL || *dir == '\0') {
		pw = getpwuid(getuid());
		if (pw == NULL || pw->pw_dir == NULL || *pw->pw_dir == '\0')
			return NULL;
		dir = pw->pw_dir;
	}
	return xasprintf("%s/.config/ombre/config", dir);
}

/* A file or directory beside the config file; NULL without a home. */
char *
config_beside(const char *name)
{
	char	*config, *slash, *path;

	if ((config = config_default_path()) == NULL)
		return NULL;
	slash = strrchr(config, '/');
	*slash = '\0';
	path = xasprintf("%s/%s", config, name);
	free(config);
	return path;
}

char *
config_macros_path(void)
{
	return config_beside("macros");
}
