/*
 * store-dump.c: dumps of the triage state (tags and properties) and their
 * restore, in the text notmuch dump and notmuch restore use:
 *
 *	#notmuch-dump batch-tag:3 properties,tags
 *	+inbox +unread -- id:MSGID
 *	#= MSGID KEY=VALUE KEY=VALUE
 *
 * one tag line for each message (its tags, maybe none, then " -- id:"),
 * followed by a "#=" line when it has properties. Tags, ids, keys and
 * values are hex-escaped as notmuch does: every byte outside
 * [A-Za-z0-9+-_@=.,] as %xx. The tags are the only state the Maildir does
 * not hold, so the syncer keeps the last few dumps in DATA/dumps/, each
 * written whole (tmp, fsync, rename), and `ombre doctor --fix` restores
 * the newest after rebuilding the index.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The bytes notmuch's hex_encode leaves as they are. */
static const char store_dump_safe[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-_@=.,";

/* Messages per transaction when restoring. */
#define STORE_RESTORE_BATCH 1000

static void
store_dump_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (strchr(store_dump_safe, *s) != NULL)
			buf_add_char(b, *s);
		else
			buf_add_printf(b, "%%%02x", (unsigned char)*s);
	}
}

/* Undo the escaping in place; -1 on a bad escape or a NUL. */
static int
store_dump_unescape(char *s)
{
	char		*out = s;
	unsigned int	 byte;

	for (; *s != '\0'; s++) {
		if (*s != '%') {
			*out++ = *s;
			continue;
		}
		if (!isxdigit((unsigned char)s[1]) ||
		    !isxdigit((unsigned char)s[2]) ||
		    sscanf(s + 1, "%2x", &byte) != 1 || byte == 0)
			return -1;
		*out++ = (char)byte;
		s += 2;
	}
	*out = '\0';
	return 0;
}

/* Append one message's lines. */
static void
store_dump_message(struct buf *b, notmuch_message_t *nm)
{
	notmuch_tags_t			*tags;
	notmuch_message_properties_t	*props;
	const char			*id;
	int				 first = 1;

	id = notmuch_message_get_message_id(nm);
	for (tags = notmuch_message_get_tags(nm); notmuch_tags_valid(tags);
	    notmuch_tags_move_to_next(tags)) {
		if (!first)
			buf_add_char(b, ' ');
		first = 0;
		buf_add_char(b, '+');
		store_dump_escape(b, notmuch_tags_get(tags));
	}
	notmuch_tags_destroy(tags);
	buf_add_str(b, " -- id:");
	store_dump_escape(b, id);
	buf_add_char(b, '\n');

	first = 1;
	for (props = notmuch_message_get_properties(nm, "", 0);
	    notmuch_message_properties_valid(props);
	    notmuch_message_properties_move_to_next(props)) {
		if (first) {
			buf_add_str(b, "#= ");
			store_dump_escape(b, id);
			first = 0;
		}
		buf_add_char(b, ' ');
		store_dump_escape(b, notmuch_message_properties_key(props));
		buf_add_char(b, '=');
		store_dump_escape(b, notmuch_message_properties_value(props));
	}
	notmuch_message_properties_destroy(props);
	if (!first)
		buf_add_char(b, '\n');
}

/* Write all of b to fd; 0 or -1 with errno set. */
static int
store_dump_write(int fd, const struct buf *b)
{
	size_t	off;
	ssize_t	n;

	for (off = 0; off < b->len; off += (size_t)n) {
		n = write(fd, b->data + off, b->len - off);
		if (n < 0 && errno == EINTR)
			n = 0;
		else if (n < 0)
			return -1;
	}
	return 0;
}

/*
 * Write every message to fd from one snapshot. Return 0, 1 when writers
 * overtook the snapshot (start again), -1 on a database error.
 */
static int
store_dump_all(struct store *st, int fd, char **cause)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	struct buf		 b;
	int			 rc = 0;

	if (store_query_messages(st, "*", NOTMUCH_SORT_UNSORTED, &q, &msgs) !=
	    NOTMUCH_STATUS_SUCCESS) {
		*cause = xstrdup(_("dump: reading the database failed"));
		return -1;
	}
	buf_init(&b);
	buf_add_str(&b, "#notmuch-dump batch-tag:3 properties,tags\n");
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL) {
			rc = 1;
			break;
		}
		store_dump_message(&b, nm);
		notmuch_message_destroy(nm);
		if (b.len >= 65536) {
			if (store_dump_write(fd, &b) != 0) {
				*cause = xasprintf("dump: %s", strerror(errno));
				rc = -1;
				break;
			}
			buf_reset(&b);
		}
	}
	if (rc == 0 && store_dump_write(fd, &b) != 0) {
		*cause = xasprintf("dump: %s", strerror(errno));
		rc = -1;
	}
	buf_free(&b);
	notmuch_query_destroy(q);
	return rc;
}

enum store_status
store_dump(struct store *st, const char *path, char **cause)
{
	char			*tmp, *dir, *slash;
	int			 fd, attempt, rc = 1;

	*cause = NULL;
	slash = strrchr(path, '/');
	dir = slash != NULL ? xstrndup(path, (size_t)(slash - path)) :
	    xstrdup(".");
	tmp = xasprintf("%s/.%s.%ld.tmp", dir, slash != NULL ? slash + 1 : path,
	    (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st->file_mode);
	if (fd == -1) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		free(tmp);
		free(dir);
		return STORE_IO_ERROR;
	}
	for (attempt = 0; rc == 1 && attempt < STORE_READ_ATTEMPTS; attempt++) {
		if (attempt > 0) {
			store_read_again(st, attempt);
			if (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0)
				break;
		}
		store_read_begin(st);
		rc = store_dump_all(st, fd, cause);
		store_read_end(st);
	}
	if (rc != 0) {
		if (*cause == NULL)
			*cause = xstrdup(_("dump: the database kept changing"));
		close(fd);
		unlink(tmp);
		free(tmp);
		free(dir);
		return STORE_DB_ERROR;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0 ||
	    util_fsync_dir(dir) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		free(dir);
		return STORE_IO_ERROR;
	}
	free(tmp);
	free(dir);
	return STORE_OK;
}

static int
store_dump_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the dumps in dir, oldest first (the names sort by time). */
static char **
store_dump_names(const char *dir, size_t *n)
{
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL;
	size_t		 len;

	*n = 0;
	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (strncmp(de->d_name, "dump-", 5) != 0 || len < 9 ||
		    strcmp(de->d_name + len - 4, ".txt") != 0)
			continue;
		names = xreallocarray(names, *n + 1, sizeof *names);
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(names, *n, sizeof *names, store_dump_name_cmp);
	return names;
}

char *
store_dump_latest(const char *data_dir)
{
	char	*dir, **names, *path = NULL;
	size_t	 n, i;

	dir = xasprintf("%s/dumps", data_dir);
	names = store_dump_names(dir, &n);
	if (n > 0)
		path = xasprintf("%s/%s", dir, names[n - 1]);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(dir);
	return path;
}

enum store_status
store_dump_take(struct store *st, char **out, char **cause)
{
	char			*dir, *path, **names, name[64];
	struct tm		 tm;
	struct stat		 sb;
	time_t			 now = time(NULL);
	size_t			 n, i;
	enum store_status	 rc;

	if (out != NULL)
		*out = NULL;
	*cause = NULL;
	dir = xasprintf("%s/dumps", st->data_dir);
	if (stat(st->data_dir, &sb) != 0 ||
	    util_mkdir_p(dir, sb.st_mode & 07777) != 0) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		free(dir);
		return STORE_IO_ERROR;
	}
	gmtime_r(&now, &tm);
	strftime(name, sizeof name, "dump-%Y%m%dT%H%M%SZ.txt", &tm);
	path = xasprintf("%s/%s", dir, name);
	rc = store_dump(st, path, cause);
	if (rc != STORE_OK) {
		free(path);
		free(dir);
		return rc;
	}
	/* Keep the newest few. */
	names = store_dump_names(dir, &n);
	for (i = 0; i < n; i++) {
		if (i + STORE_DUMP_KEEP < n) {
			free(path);
			path = xasprintf("%s/%s", dir, names[i]);
			unlink(path);
		}
		free(names[i]);
	}
	free(names);
	free(path);
	if (out != NULL)
		*out = xasprintf("%s/%s", dir, name);
	free(dir);
	return STORE_OK;
}

/* Split a line at spaces into words (in place). */
static size_t
store_dump_words(char *line, char ***words)
{
	size_t	 n = 0;
	char	*p;

	*words = NULL;
	for (p = strtok(line, " "); p != NULL; p = strtok(NULL, " ")) {
		*words = xreallocarray(*words, n + 1, sizeof **words);
		(*words)[n++] = p;
	}
	return n;
}

/*
 * A tag line: "+TAG ... -- id:MSGID". Set the message's tags to these.
 * Return -1 for a line that is not one; *status is the write's.
 */
static int
store_restore_tags(struct store *st, char *line, long *restored, long *missing,
    notmuch_status_t *status)
{
	notmuch_message_t	*nm = NULL;
	char			**words, *id;
	const char		**tags;
	size_t			 n, i, sep;

	n = store_dump_words(line, &words);
	for (sep = 0; sep < n && strcmp(words[sep], "--") != 0; sep++)
		;
	if (sep + 2 != n || strncmp(words[sep + 1], "id:", 3) != 0) {
		free(words);
		return -1;
	}
	id = words[sep + 1] + 3;
	if (store_dump_unescape(id) != 0) {
		free(words);
		return -1;
	}
	for (i = 0; i < sep; i++) {
		if (words[i][0] != '+' || store_dump_unescape(words[i] + 1) != 0) {
			free(words);
			return -1;
		}
	}
	if (notmuch_database_find_message(st->db, id, &nm) !=
	    NOTMUCH_STATUS_SUCCESS || nm == NULL) {
		(*missing)++;
		free(words);
		return 0;
	}
	tags = xcalloc(sep + 1, sizeof *tags);
	for (i = 0; i < sep; i++)
		tags[i] = words[i] + 1;
	*status = store_message_replace(nm, tags, sep, NULL, 0);
	notmuch_message_destroy(nm);
	if (*status == NOTMUCH_STATUS_SUCCESS)
		(*restored)++;
	free(tags);
	free(words);
	return 0;
}

/*
 * A property line: "#= MSGID KEY=VALUE ...". Set the message's
 * properties to these. Return -1 for a line that is not one; *status is
 * the write's.
 */
static int
store_restore_properties(struct store *st, char *line,
    notmuch_status_t *status)
{
	notmuch_message_t	*nm = NULL;
	char			**words, *eq;
	struct store_property	*props;
	size_t			 n, i;

	n = store_dump_words(line + 2, &words);
	if (n < 1 || store_dump_unescape(words[0]) != 0) {
		free(words);
		return -1;
	}
	for (i = 1; i < n; i++) {
		if ((eq = strchr(words[i], '=')) == NULL) {
			free(words);
			return -1;
		}
		*eq = '\0';
		if (store_dump_unescape(words[i]) != 0 ||
		    store_dump_unescape(eq + 1) != 0) {
			free(words);
			return -1;
		}
	}
	if (notmuch_database_find_message(st->db, words[0], &nm) !=
	    NOTMUCH_STATUS_SUCCESS || nm == NULL) {
		free(words);
		return 0;	/* counted with its tag line */
	}
	props = xcalloc(n, sizeof *props);
	for (i = 1; i < n; i++) {
		props[i - 1].key = words[i];
		props[i - 1].value = words[i] + strlen(words[i]) + 1;
	}
	*status = store_message_replace(nm, NULL, 0, props, n - 1);
	notmuch_message_destroy(nm);
	free(props);
	free(words);
	return 0;
}

enum store_status
store_restore(struct store *st, const char *path, long *restored,
    long *missing, char **cause)
{
	FILE			*f;
	char			*line = NULL, *what;
	size_t			 size = 0;
	ssize_t			 len;
	long			 lineno = 0, in_batch = 0;
	int			 bad;
	notmuch_status_t	 status;
	enum store_status	 rc;

	*cause = NULL;
	*restored = *missing = 0;
	if (st->mode != STORE_READ_WRITE)
		fatalx(_("store_restore on a read-only store"));
	if ((f = fopen(path, "r")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return STORE_IO_ERROR;
	}
	if ((rc = store_begin(st, "restoring", cause)) != STORE_OK) {
		fclose(f);
		return rc;
	}
	while ((len = getline(&line, &size, f)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (lineno == 1) {
			if (strncmp(line, "#notmuch-dump batch-tag:", 24) != 0) {
				*cause = xasprintf(_("%s: not a notmuch dump in "
				    "the batch-tag format"), path);
				rc = STORE_BAD_INPUT;
				break;
			}
			continue;
		}
		if (*line == '\0')
			continue;
		status = NOTMUCH_STATUS_SUCCESS;
		if (strncmp(line, "#= ", 3) == 0)
			bad = store_restore_properties(st, line, &status);
		else if (*line == '#')
			continue;	/* config lines, comments */
		else {
			bad = store_restore_tags(st, line, restored, missing,
			    &status);
		}
		if (bad != 0) {
			*cause = xasprintf(_("%s:%ld: not a dump line"), path,
			    lineno);
			rc = STORE_BAD_INPUT;
			break;
		}
		if (status != NOTMUCH_STATUS_SUCCESS) {
			what = xasprintf("restoring %s:%ld", path, lineno);
			rc = store_abort(st, what, status, cause);
			free(what);
			break;
		}
		if (++in_batch >= STORE_RESTORE_BATCH) {
			if ((rc = store_commit(st, "restoring: committing",
			    cause)) != STORE_OK ||
			    (rc = store_begin(st, "restoring", cause)) !=
			    STORE_OK)
				break;
			in_batch = 0;
		}
	}
	free(line);
	fclose(f);
	if (rc == STORE_BAD_INPUT) {
		/* The batches before the bad line stay restored, as
		 * before; the one it ends is committed too. */
		what = NULL;
		if (store_commit(st, "restoring: committing", &what) !=
		    STORE_OK) {
			free(*cause);
			*cause = what;
			return STORE_DB_ERROR;
		}
		return rc;
	}
	if (rc != STORE_OK)
		return rc;
	return store_commit(st, "restoring: committing", cause);
}
