/*
 * store.c: opening, creating and locking the notmuch database.
 *
 * libnotmuch is always given an explicit config path, ombre's own file in
 * the data dir (also when it names a user's database), so a user's
 * ~/.notmuch-config never leaks into ours. Debian's libnotmuch waits for Xapian's write lock
 * inside the read-write open with no timeout, so before opening we look at
 * the lock without taking it (F_OFD_GETLK on xapian/flintlock) and wait
 * here, with a ceiling, where we can report and give up.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The headers ombre writes, searchable as Channel:, Account:, Kind:. */
static const char *const store_index_headers[][2] = {
	{ "index.header.Channel", "X-Ombre-Channel" },
	{ "index.header.Account", "X-Ombre-Account" },
	{ "index.header.Kind", "X-Ombre-Kind" },
};

static const char *const store_status_strings[] = {
	[STORE_OK] = "success",
	[STORE_DUPLICATE] = "already stored",
	[STORE_LOCKED] = "database locked by another process",
	[STORE_NOT_FOUND] = "not found",
	[STORE_AMBIGUOUS] = "ambiguous",
	[STORE_BAD_INPUT] = "bad input",
	[STORE_REFUSED] = "refused",
	[STORE_HELD] = "held",
	[STORE_IO_ERROR] = "input/output error",
	[STORE_DB_ERROR] = "database error",
	[STORE_FULL] = "no space left on the device",
};

const char *
store_status_str(enum store_status status)
{
	if ((size_t)status >= nitems(store_status_strings))
		return "unknown status";
	return store_status_strings[status];
}

void
store_host_name(char *out, size_t size)
{
	char	hostname[64];
	size_t	i;

	if (gethostname(hostname, sizeof hostname) != 0)
		strcpy(hostname, "localhost");
	hostname[sizeof hostname - 1] = '\0';
	for (i = 0; hostname[i] != '\0' && i < size - 1; i++)
		out[i] = (hostname[i] == '/' || hostname[i] == ':') ? '_' :
		    hostname[i];
	out[i] = '\0';
}

int
store_status_cannot_write(enum store_status status)
{
	return status == STORE_IO_ERROR || status == STORE_DB_ERROR ||
	    status == STORE_FULL || status == STORE_LOCKED;
}

const char *
store_config_path(struct store *st)
{
	return st->config_path;
}

/* Join notmuch's own message (allocated by it, may be NULL) into a cause. */
static char *
store_nm_cause(const char *what, notmuch_status_t status, char *nm_msg)
{
	char	*cause, *clean;
	size_t	 len;

	if (nm_msg != NULL) {
		/* Without the newline notmuch ends it with. */
		len = strlen(nm_msg);
		while (len > 0 && (nm_msg[len - 1] == '\n' ||
		    nm_msg[len - 1] == ' '))
			len--;
		clean = sanitize(nm_msg, len, SANITIZE_LINE, 300);
		cause = xasprintf("%s: %s", what, clean);
		free(clean);
		free(nm_msg);
	} else
		cause = xasprintf("%s: %s", what, notmuch_status_to_string(status));
	return cause;
}

/* The Xapian lock file of a database path (where notmuch keeps it). */
static char *
store_lock_path(const char *db_path)
{
	char		*path;
	struct stat	 sb;

	path = xasprintf("%s/.notmuch/xapian/flintlock", db_path);
	if (stat(path, &sb) == 0)
		return path;
	free(path);
	path = xasprintf("%s/xapian/flintlock", db_path);
	if (stat(path, &sb) == 0)
		return path;
	free(path);
	return NULL;
}

/* Return 1 when another open file description holds a lock on path. */
static int
store_lock_held(const char *lock_path)
{
	struct flock	fl;
	int		fd, held;

	if (lock_path == NULL)
		return 0;
	fd = open(lock_path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return 0;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = 0;
	fl.l_len = 0;
	held = 0;
	if (fcntl(fd, F_OFD_GETLK, &fl) == 0)
		held = fl.l_type != F_UNLCK;
	close(fd);
	return held;
}

/* The database path of a data dir: the user's database or DIR/mail. */
static char *
store_db_path(const char *data_dir, const char *database)
{
	if (database != NULL && *database != '\0')
		return xstrdup(database);
	return xasprintf("%s/mail", data_dir);
}

int
store_is_locked(const char *data_dir, const char *database)
{
	char	*db_path, *lock_path;
	int	 held;

	db_path = store_db_path(data_dir, database);
	lock_path = store_lock_path(db_path);
	held = store_lock_held(lock_path);
	free(lock_path);
	free(db_path);
	return held;
}

/*
 * Write ombre's notmuch config for its own store: the database path, no
 * maildir flag synchronisation (it would rename files under us) and the
 * header prefixes. Written to a temporary file and renamed into place.
 */
static int
store_write_config(struct store *st, char **cause)
{
	char	*tmp;
	FILE	*f;
	int	 fd;

	tmp = xasprintf("%s.tmp.%ld", st->config_path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st->file_mode);
	if (fd == -1 || (f = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		if (fd != -1)
			close(fd);
		free(tmp);
		return -1;
	}
	/* not translated: a file for notmuch, read by any agent */
	fprintf(f, "# notmuch config of ombre's store, written by ombre.\n"
	    "# Use it with: notmuch --config=%s search ...\n"
	    "[database]\npath=%s\n"
	    "# Commit every transaction, so readers see each batch at once.\n"
	    "autocommit=1\n\n[maildir]\nsynchronize_flags=false\n\n"
	    "[search]\nexclude_tags=\n\n"
	    "# When two replicas changed one message's tags (see ombre(1),\n"
	    "# REPLICAS), muchsync keeps a tag both still have for these,\n"
	    "# and a tag either has for the others: closing, reading and\n"
	    "# taking over win; claims are decided by store.authority.\n"
	    "[muchsync]\nand_tags=inbox;unread;ombre/handoff;ombre/bot;"
	    "ombre/outbox;\n", st->config_path, st->db_path);
	/* No [index] section: the header prefixes live in the database
	 * itself (store_set_headers), where every notmuch user finds them. */
	if (fflush(f) != 0 || fsync(fileno(f)) != 0 || fclose(f) != 0 ||
	    rename(tmp, st->config_path) != 0) {
		*cause = xasprintf("%s: %s", st->config_path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

/*
 * Write the config unless it is there already with the right content (a
 * data dir built elsewhere and renamed, as the demo's is, names an old
 * database path until then).
 */
static int
store_write_config_if_missing(struct store *st, char **cause)
{
	char	 want[4096], have[4096];
	FILE	*f;
	size_t	 n = 0;

	snprintf(want, sizeof want, "path=%s\n", st->db_path);
	if ((f = fopen(st->config_path, "r")) != NULL) {
		n = fread(have, 1, sizeof have - 1, f);
		fclose(f);
	}
	have[n] = '\0';
	if (n > 0 && strstr(have, want) != NULL &&
	    strstr(have, "[muchsync]") != NULL)
		return 0;
	return store_write_config(st, cause);
}

/*
 * Make the data dir and Maildir. A new data dir is 0700; inside an
 * existing one (a team's 2770 dir) new folders take its mode, and files
 * are group-readable when it is.
 */
static int
store_make_dirs(struct store *st, char **cause)
{
	struct stat	 sb;
	mode_t		 dir_mode;
	char		*path;
	const char	*sub[] = { "tmp", "new", "cur" };
	size_t		 i;

	if (stat(st->data_dir, &sb) != 0) {
		if (util_mkdir_p(st->data_dir, 0700) != 0) {
			*cause = xasprintf("%s: %s", st->data_dir, strerror(errno));
			return -1;
		}
		if (stat(st->data_dir, &sb) != 0) {
			*cause = xasprintf("%s: %s", st->data_dir, strerror(errno));
			return -1;
		}
	}
	if (!S_ISDIR(sb.st_mode)) {
		*cause = xasprintf(_("%s: not a directory"), st->data_dir);
		return -1;
	}
	dir_mode = sb.st_mode & 07777;
	st->file_mode = (dir_mode & 0070) ? 0660 : 0600;
	if (dir_mode & 0070) {
		/* A team's shared dir: what we create (folders, messages,
		 * notmuch's own files) must stay writable by the group,
		 * whatever umask the agent's shell has. */
		umask(umask(0) & ~(mode_t)0070);
	}
	if (util_mkdir_p(st->journal_dir, dir_mode) != 0 ||
	    util_mkdir_p(st->maildir, dir_mode) != 0) {
		*cause = xasprintf("%s: %s", st->maildir, strerror(errno));
		return -1;
	}
	for (i = 0; i < nitems(sub); i++) {
		path = xasprintf("%s/%s", st->maildir, sub[i]);
		if (util_mkdir_p(path, dir_mode) != 0) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			free(path);
			return -1;
		}
		free(path);
	}
	return 0;
}

/*
 * notmuch and Xapian make their folders 0755 whatever the umask: in a
 * team's group dir the other agents could not write the database. Give
 * them the data dir's mode.
 */
static void
store_share_database(struct store *st, const char *notmuch_dir)
{
	struct stat	 sb;
	char		*xapian;

	if ((st->file_mode & 0060) == 0 || stat(st->data_dir, &sb) != 0)
		return;
	xapian = xasprintf("%s/xapian", notmuch_dir);
	if (chmod(notmuch_dir, sb.st_mode & 07777) != 0 ||
	    chmod(xapian, sb.st_mode & 07777) != 0)
		log_debug("%s: %s", notmuch_dir, strerror(errno));
	free(xapian);
}

/*
 * One path of a team's data dir: made right when we may, else the
 * sentence that names it. ENOENT (a Xapian file renamed away while we
 * look) is right.
 */
static char *
store_share_fix_one(const char *path, gid_t gid)
{
	struct stat	 sb;
	struct passwd	*pw;
	char		*problem, *cause, owner[64];
	mode_t		 need;
	uid_t		 me = geteuid();

	if (lstat(path, &sb) != 0 || S_ISLNK(sb.st_mode) ||
	    (problem = util_share_problem(path, &sb, gid)) == NULL)
		return NULL;
	if (sb.st_uid == me || me == 0) {
		need = S_ISDIR(sb.st_mode) ? (S_IRWXG | S_ISGID) :
		    (S_IRGRP | S_IWGRP);
		/* chown drops the setgid bit: the mode goes last. */
		if ((sb.st_gid == gid || chown(path, (uid_t)-1, gid) == 0) &&
		    chmod(path, (sb.st_mode & 07777) | need) == 0) {
			log_debug("%s: made right", problem);
			free(problem);
			return NULL;
		}
	}
	if ((pw = getpwuid(sb.st_uid)) != NULL)
		snprintf(owner, sizeof owner, "%s", pw->pw_name);
	else
		snprintf(owner, sizeof owner, "%ld", (long)sb.st_uid);
	cause = xasprintf(_("%s: run ombre doctor --fix as %s (its owner) or "
	    "root"), problem, owner);
	free(problem);
	return cause;
}

char *
store_share_fix(const char *data_dir, const char *path, int flags)
{
	struct stat	 sb;
	struct dirent	*de;
	DIR		*dir;
	char		*cause, *entry;

	if (stat(data_dir, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
	    (sb.st_mode & (S_ISGID | S_IWGRP)) != (S_ISGID | S_IWGRP))
		return NULL;
	if ((cause = store_share_fix_one(path, sb.st_gid)) != NULL ||
	    (~flags & STORE_SHARE_ENTRIES) || (dir = opendir(path)) == NULL)
		return cause;
	while (cause == NULL && (de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		entry = xasprintf("%s/%s", path, de->d_name);
		cause = store_share_fix_one(entry, sb.st_gid);
		free(entry);
	}
	closedir(dir);
	return cause;
}

/*
 * A team's data dir is reached through its group: an agent not in it (or
 * added to it since the session began) is told so, not "Permission
 * denied" on some folder inside. NULL, or the allocated sentence.
 */
char *
store_share_member(const char *data_dir)
{
	struct stat	 sb;
	struct group	*gr;
	gid_t		*groups;
	int		 n, i, in = 0;

	if (stat(data_dir, &sb) != 0 || !S_ISDIR(sb.st_mode) ||
	    (sb.st_mode & (S_ISGID | S_IWGRP)) != (S_ISGID | S_IWGRP) ||
	    geteuid() == 0 || sb.st_uid == geteuid() || sb.st_gid == getegid())
		return NULL;
	if ((n = getgroups(0, NULL)) > 0) {
		groups = xreallocarray(NULL, n, sizeof *groups);
		n = getgroups(n, groups);
		for (i = 0; i < n; i++)
			in |= groups[i] == sb.st_gid;
		free(groups);
	}
	if (in)
		return NULL;
	gr = getgrgid(sb.st_gid);
	return xasprintf(_("%s: this session is not in its group %s: be added "
	    "to it (usermod -a -G %s USER), then log in again"), data_dir,
	    gr != NULL ? gr->gr_name : "?", gr != NULL ? gr->gr_name :
	    _("GROUP"));
}

/*
 * What every write of the store needs the team's group to write, checked
 * (and made right by their owner) at each open: the database's folders
 * and Xapian's files, the Maildir's folders, the journals, the feed, the
 * readers' guard, the notmuch config, the dumps. Without it another
 * agent's write would fail later as "A Xapian exception occurred".
 * Messages, written once and never again, are the doctor's.
 */
static char *
store_share_check(struct store *st)
{
	const char	*sub[] = { "tmp", "new", "cur" };
	struct stat	 sb;
	char		*path, *cause = NULL;
	size_t		 i;
	struct {
		char	*path;
		int	 flags;
	} paths[] = {
		{ xstrdup(st->data_dir), 0 },
		{ xasprintf("%s/notmuch-config", st->data_dir), 0 },
		{ xasprintf("%s/readers.lock", st->data_dir), 0 },
		{ xasprintf("%s/feed", st->data_dir), 0 },
		{ xstrdup(st->journal_dir), STORE_SHARE_ENTRIES },
		{ xasprintf("%s/dumps", st->data_dir), 0 },
		{ st->external ? NULL : xstrdup(st->db_path), 0 },
		{ st->external ? NULL : xasprintf("%s/.notmuch", st->db_path), 0 },
		{ st->external ? NULL : xasprintf("%s/.notmuch/xapian",
		    st->db_path), STORE_SHARE_ENTRIES },
		{ xstrdup(st->maildir), 0 },
	};

	/* A private data dir is never checked: one stat, not a dozen. */
	if (stat(st->data_dir, &sb) != 0 ||
	    (sb.st_mode & (S_ISGID | S_IWGRP)) != (S_ISGID | S_IWGRP)) {
		for (i = 0; i < nitems(paths); i++)
			free(paths[i].path);
		return NULL;
	}
	for (i = 0; i < nitems(paths); i++) {
		if (cause == NULL && paths[i].path != NULL)
			cause = store_share_fix(st->data_dir, paths[i].path,
			    paths[i].flags);
		free(paths[i].path);
	}
	for (i = 0; i < nitems(sub) && cause == NULL; i++) {
		path = xasprintf("%s/%s", st->maildir, sub[i]);
		cause = store_share_fix(st->data_dir, path, 0);
		free(path);
	}
	return cause;
}

/*
 * Create the database on first use of our own store. Nobody can hold the
 * lock of a database that does not exist yet; when two processes race,
 * the loser finds it there.
 */
static int
store_create_database(struct store *st, char **cause)
{
	notmuch_database_t	*db;
	notmuch_status_t	 status;
	char			*nm_msg = NULL, *path, *tmp, *built;
	struct stat		 sb;

	path = xasprintf("%s/.notmuch", st->db_path);
	if (st->external || stat(path, &sb) == 0) {
		free(path);
		return 0;
	}
	free(path);
	/*
	 * Creating a Xapian database is not atomic: a kill half-way would
	 * leave a database nobody can open. Build it in a folder of its own
	 * and rename the finished .notmuch into place.
	 */
	tmp = xasprintf("%s/.new.%ld", st->db_path, (long)getpid());
	if (util_mkdir_p(tmp, 0700) != 0) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	status = notmuch_database_create_with_config(tmp, "", NULL, &db, &nm_msg);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		*cause = store_nm_cause(_("creating the database"), status, nm_msg);
		free(tmp);
		return -1;
	}
	notmuch_database_destroy(db);
	built = xasprintf("%s/.notmuch", tmp);
	store_share_database(st, built);
	path = xasprintf("%s/.notmuch", st->db_path);
	if (rename(built, path) != 0 && stat(path, &sb) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		free(built);
		free(path);
		free(tmp);
		return -1;
	}
	/* When another process won the race, its database stays. */
	rmdir(tmp);
	free(built);
	free(path);
	free(tmp);
	return 0;
}

/* Return 1 when the database lacks one of the header prefixes. */
static int
store_headers_missing(notmuch_database_t *db)
{
	char	*value;
	size_t	 i;
	int	 missing = 0;

	for (i = 0; i < nitems(store_index_headers); i++) {
		value = NULL;
		if (notmuch_database_get_config(db, store_index_headers[i][0],
		    &value) != NOTMUCH_STATUS_SUCCESS || value == NULL ||
		    *value == '\0')
			missing = 1;
		free(value);
	}
	return missing;
}

/*
 * Store the header prefixes in the database itself, so anyone opening it
 * with their own notmuch config can search Channel:telegram. Done by a
 * writer holding the lock, before it indexes anything; notmuch reads the
 * prefixes when it opens, so the caller opens the database again.
 */
static int
store_set_headers(notmuch_database_t *db, char **cause)
{
	notmuch_status_t	status;
	size_t			i;

	for (i = 0; i < nitems(store_index_headers); i++) {
		status = notmuch_database_set_config(db, store_index_headers[i][0],
		    store_index_headers[i][1]);
		if (status != NOTMUCH_STATUS_SUCCESS) {
			*cause = xasprintf(_("setting %s: %s"), store_index_headers[i][0],
			    notmuch_status_to_string(status));
			return -1;
		}
	}
	return 0;
}

/*
 * Wait while another process holds the write lock, up to the ceiling.
 * Return 0 when it is free, -1 when the ceiling passed.
 */
static int
store_wait_lock(struct store *st)
{
	char		*lock_path;
	int64_t		 deadline;
	int		 told = 0, rc = 0;
	struct timespec	 ts = { 0, 2 * 1000 * 1000 };

	lock_path = store_lock_path(st->db_path);
	deadline = util_clock_ms() + (int64_t)(st->opts.lock_timeout * 1000);
	while (store_lock_held(lock_path)) {
		if (!told && st->opts.on_wait != NULL)
			st->opts.on_wait(st->opts.on_wait_data);
		told = 1;
		if (util_clock_ms() >= deadline) {
			rc = -1;
			break;
		}
		/* Short at first: writers such as claims hold the lock for
		 * a few milliseconds each, and a waiter that looks again
		 * only every 50 ms lets others pass it (2 ms up to 32 ms). */
		nanosleep(&ts, NULL);
		if (ts.tv_nsec < 32 * 1000 * 1000)
			ts.tv_nsec *= 2;
	}
	free(lock_path);
	return rc;
}

/*
 * The readers' guard, DATA/readers.lock. A read-only handle reads the
 * snapshot it last opened; when writers commit twice during one read,
 * Xapian discards that snapshot, and libnotmuch 0.37 then aborts the
 * reader (an uncaught DatabaseModifiedError in notmuch_messages_get). So a
 * read takes the guard shared, re-opens its handle and reads; a writer
 * takes it exclusively around each commit. Both wait at most
 * STORE_GUARD_WAIT_MS and then go on without it: a stopped process can
 * delay the others, never block them. Foreign writers (notmuch itself)
 * know nothing of it; store-query.c retries what they overtake.
 */
#define STORE_GUARD_WAIT_MS 2000

static int
store_guard_lock(struct store *st, int how)
{
	int64_t		deadline;
	struct timespec	ts = { 0, 1000 * 1000 };

	if (st->guard_fd == -1)
		return -1;
	deadline = util_clock_ms() + STORE_GUARD_WAIT_MS;
	while (flock(st->guard_fd, how | LOCK_NB) != 0) {
		if ((errno != EWOULDBLOCK && errno != EINTR) ||
		    util_clock_ms() >= deadline) {
			log_debug("readers' guard: going on without it");
			return -1;
		}
		nanosleep(&ts, NULL);
		if (ts.tv_nsec < 16 * 1000 * 1000)
			ts.tv_nsec *= 2;
	}
	return 0;
}

void
store_read_begin(struct store *st)
{
	if (st->mode != STORE_READ_ONLY || st->guard_depth++ > 0)
		return;
	store_guard_lock(st, LOCK_SH);
	/* The snapshot must be taken under the guard. */
	notmuch_database_reopen(st->db, NOTMUCH_DATABASE_MODE_READ_ONLY);
}

void
store_read_end(struct store *st)
{
	if (st->mode != STORE_READ_ONLY || --st->guard_depth > 0)
		return;
	if (st->guard_fd != -1)
		flock(st->guard_fd, LOCK_UN);
}

/*
 * Open the database. A read-only open reads a revision too, and writers
 * can overtake it ("The revision being read has been discarded"): it
 * runs under the readers' guard and is tried again a few times.
 */
static notmuch_status_t
store_open_db(struct store *st, notmuch_database_mode_t nm_mode,
    char **nm_msg)
{
	notmuch_status_t	status;
	struct timespec		ts;
	int			attempt, locked = 0;

	for (attempt = 1;; attempt++) {
		if (nm_mode == NOTMUCH_DATABASE_MODE_READ_ONLY)
			locked = store_guard_lock(st, LOCK_SH) == 0;
		status = notmuch_database_open_with_config(st->db_path, nm_mode,
		    st->config_path, NULL, &st->db, nm_msg);
		if (locked)
			flock(st->guard_fd, LOCK_UN);
		if (status != NOTMUCH_STATUS_XAPIAN_EXCEPTION ||
		    nm_mode != NOTMUCH_DATABASE_MODE_READ_ONLY || attempt == 10)
			return status;
		free(*nm_msg);
		*nm_msg = NULL;
		ts.tv_sec = 0;
		ts.tv_nsec = 5000000L * attempt;
		nanosleep(&ts, NULL);
	}
}

/*
 * The status of a failed database write: Xapian says "No space left on
 * device" in its message only.
 */
enum store_status
store_db_status(struct store *st)
{
	const char	*text;

	if (st->db == NULL)
		return STORE_DB_ERROR;
	text = notmuch_database_status_string(st->db);
	if (text != NULL && (strstr(text, "No space left") != NULL ||
	    strstr(text, "Disk quota") != NULL))
		return STORE_FULL;
	return STORE_DB_ERROR;
}

/*
 * Every write to the database goes through the functions below: each
 * returns the first failure of the libnotmuch calls it makes, and the
 * operation around them then fails whole, its transaction discarded
 * (store_abort), with a cause naming what failed.
 */

/* Start the transaction of an operation. */
enum store_status
store_begin(struct store *st, const char *what, char **cause)
{
	notmuch_status_t	status;

	if (st->db == NULL) {
		*cause = xasprintf(_("%s: the database is closed since a failed "
		    "write"), what);
		return STORE_DB_ERROR;
	}
	status = notmuch_database_begin_atomic(st->db);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf(_("%s: starting a transaction: %s"), what,
		    notmuch_status_to_string(status));
		return store_db_status(st);
	}
	return STORE_OK;
}

/*
 * Discard the open transaction after a failed write: libnotmuch has no
 * rollback, but closing the database inside an atomic section discards
 * what the section changed. The database is then opened again (waiting
 * for the lock like store_open), so the store stays usable. Set *cause
 * to what failed and return the status the caller reports.
 */
enum store_status
store_abort(struct store *st, const char *what, notmuch_status_t status,
    char **cause)
{
	enum store_status	 rc;
	notmuch_status_t	 reopened;
	char			*nm_msg = NULL, *failed, *why;

	rc = store_db_status(st);
	failed = xasprintf(_("%s: %s%s; nothing was changed"), what,
	    notmuch_status_to_string(status), rc == STORE_FULL ?
	    _(" (no space left on the device)") : "");
	if (st->db == NULL) {
		*cause = failed;
		return rc;
	}
	notmuch_database_close(st->db);
	notmuch_database_destroy(st->db);
	st->db = NULL;
	store_thread_cache_clear(st);
	buf_free(&st->feed);	/* nothing of the transaction happened */
	/* When it cannot be opened again, store_begin refuses from now on
	 * and store_close copes. */
	if (st->mode == STORE_READ_WRITE && store_wait_lock(st) != 0) {
		*cause = xasprintf(_("%s; the database is locked by another "
		    "process since"), failed);
		free(failed);
		return rc;
	}
	reopened = store_open_db(st, st->mode == STORE_READ_WRITE ?
	    NOTMUCH_DATABASE_MODE_READ_WRITE : NOTMUCH_DATABASE_MODE_READ_ONLY,
	    &nm_msg);
	if (reopened != NOTMUCH_STATUS_SUCCESS) {
		st->db = NULL;
		why = store_nm_cause(_("re-opening the database"), reopened,
		    nm_msg);
		*cause = xasprintf("%s; %s", failed, why);
		free(why);
		free(failed);
		return rc;
	}
	*cause = failed;
	return rc;
}

/*
 * Commit the operation's transaction under the readers' guard. On failure
 * the transaction is discarded (store_abort) and *cause says what failed.
 */
enum store_status
store_commit(struct store *st, const char *what, char **cause)
{
	notmuch_status_t	status;
	int			locked;

	locked = store_guard_lock(st, LOCK_EX) == 0;
	status = notmuch_database_end_atomic(st->db);
	if (locked)
		flock(st->guard_fd, LOCK_UN);
	if (status != NOTMUCH_STATUS_SUCCESS)
		return store_abort(st, what, status, cause);
	return STORE_OK;
}

int
store_property_fits(const char *key, const char *value)
{
	return strlen(key) + strlen(value) <= STORE_PROPERTY_TERM_MAX;
}

char *
store_text_cut(const char *text, size_t len, size_t max)
{
	len = strnlen(text, len);
	if (len > max) {
		len = max;
		while (len > 0 && ((unsigned char)text[len] & 0xc0) == 0x80)
			len--;
	}
	return xstrndup(text, len);
}

/* Keep the first failure of a sequence of writes. */
static void
store_keep(notmuch_status_t *first, notmuch_status_t status)
{
	if (*first == NOTMUCH_STATUS_SUCCESS)
		*first = status;
}

/* Add a property, refused when it does not fit in a Xapian term. */
static notmuch_status_t
store_add_property_fitting(notmuch_message_t *nm,
    const struct store_property *prop)
{
	if (!store_property_fits(prop->key, prop->value))
		return NOTMUCH_STATUS_ILLEGAL_ARGUMENT;
	return notmuch_message_add_property(nm, prop->key, prop->value);
}

notmuch_status_t
store_message_edit(notmuch_message_t *nm, const char *const *ops,
    size_t n_ops, const struct store_property *props, size_t n_props)
{
	notmuch_status_t	status;
	size_t			i;

	status = notmuch_message_freeze(nm);
	if (status != NOTMUCH_STATUS_SUCCESS)
		return status;
	for (i = 0; i < n_ops; i++) {
		if (ops[i][0] == '+')
			store_keep(&status, notmuch_message_add_tag(nm, ops[i] + 1));
		else {
			store_keep(&status, notmuch_message_remove_tag(nm,
			    ops[i] + 1));
		}
	}
	for (i = 0; i < n_props; i++) {
		store_keep(&status, notmuch_message_remove_all_properties(nm,
		    props[i].key));
		if (props[i].value != NULL)
			store_keep(&status, store_add_property_fitting(nm,
			    &props[i]));
	}
	store_keep(&status, notmuch_message_thaw(nm));
	return status;
}

notmuch_status_t
store_message_replace(notmuch_message_t *nm, const char *const *tags,
    size_t n_tags, const struct store_property *props, size_t n_props)
{
	notmuch_status_t	status;
	size_t			i;

	status = notmuch_message_freeze(nm);
	if (status != NOTMUCH_STATUS_SUCCESS)
		return status;
	if (tags != NULL) {
		store_keep(&status, notmuch_message_remove_all_tags(nm));
		for (i = 0; i < n_tags; i++)
			store_keep(&status, notmuch_message_add_tag(nm, tags[i]));
	}
	if (props != NULL) {
		store_keep(&status, notmuch_message_remove_all_properties(nm,
		    NULL));
		for (i = 0; i < n_props; i++)
			store_keep(&status, store_add_property_fitting(nm,
			    &props[i]));
	}
	store_keep(&status, notmuch_message_thaw(nm));
	return status;
}

/*
 * Why the database did not open. A Xapian exception that is not about
 * the lock means a damaged index: the cause names the way out.
 */
static char *
store_open_cause(struct store *st, notmuch_status_t status, char *nm_msg)
{
	char	*cause = NULL, *hint, *xapian;
	int	 damaged, denied;

	/* Not ours to write (or read): a team's store whose group or mode
	 * leaves us out, a read-only mount. Said in words, the way out
	 * named, rather than Xapian's exception about its lock file. */
	xapian = xasprintf("%s/.notmuch/xapian", st->db_path);
	denied = access(xapian, st->mode == STORE_READ_WRITE ? R_OK | W_OK :
	    R_OK) == -1 && (errno == EACCES || errno == EPERM ||
	    errno == EROFS);
	if (denied && errno == EROFS) {
		cause = xasprintf(_("the database is on a read-only file system "
		    "(%s): nothing was changed"), st->db_path);
	} else if (denied) {
		cause = xasprintf(_("the database is %s for you: check the group "
		    "and mode of %s (ls -ld %s)"), st->mode == STORE_READ_WRITE ?
		    _("read-only") : _("not readable"), st->data_dir, xapian);
	}
	free(xapian);
	if (denied) {
		free(nm_msg);
		return cause;
	}
	damaged = status == NOTMUCH_STATUS_XAPIAN_EXCEPTION &&
	    (nm_msg == NULL || strstr(nm_msg, "write lock") == NULL);
	cause = store_nm_cause(_("opening the database"), status, nm_msg);
	if (!damaged)
		return cause;
	if (st->external) {
		hint = xasprintf(_("%s; the index may be damaged: `ombre doctor` "
		    "says how to rebuild it"), cause);
	} else {
		hint = xasprintf(_("%s; the index may be damaged: `ombre doctor "
		    "--fix` rebuilds it from the Maildir"), cause);
	}
	free(cause);
	return hint;
}

static void
store_free(struct store *st)
{
	free(st->data_dir);
	free(st->db_path);
	free(st->config_path);
	free(st->mail_root);
	free(st->maildir);
	free(st->journal_dir);
	free(st->journal_path);
	free(st->pending);
	store_thread_cache_clear(st);
	buf_free(&st->feed);
	store_generated_clear(st);
	free(st->bot_reason);
	if (st->guard_fd != -1)
		close(st->guard_fd);
	free(st);
}

enum store_status
store_open(const struct store_options *opts, enum store_mode mode,
    struct store **out, char **cause)
{
	struct store		*st;
	notmuch_status_t	 status;
	notmuch_database_mode_t	 nm_mode;
	char			*nm_msg = NULL, *guard, *share;
	enum store_status	 rc;
	int			 attempt;

	*out = NULL;
	*cause = NULL;
	st = xcalloc(1, sizeof *st);
	st->opts = *opts;
	if (st->opts.batch_messages <= 0)
		st->opts.batch_messages = 500;
	if (st->opts.batch_ms <= 0)
		st->opts.batch_ms = 200;
	st->mode = mode;
	st->journal_fd = -1;
	buf_init(&st->feed);
	st->guard_fd = -1;
	st->data_dir = xstrdup(opts->data_dir);
	st->db_path = store_db_path(opts->data_dir, opts->database);
	/* Our own config file even for a user's database: theirs never
	 * leaks in, and ours turns on a commit per transaction. */
	st->config_path = xasprintf("%s/notmuch-config", opts->data_dir);
	st->journal_dir = xasprintf("%s/journal", opts->data_dir);
	store_host_name(st->host, sizeof st->host);

	if (opts->database != NULL && *opts->database != '\0') {
		struct stat sb;
		if (stat(st->db_path, &sb) != 0) {
			*cause = xasprintf(_("store.database %s: %s"), st->db_path,
			    strerror(errno));
			store_free(st);
			return STORE_IO_ERROR;
		}
		st->external = 1;
	}
	/* The mail root is the database path: a user's database keeps its
	 * mail there, and chat messages go to MAILROOT/ombre/. */
	st->mail_root = xstrdup(st->db_path);
	st->maildir = xasprintf("%s/ombre", st->mail_root);
	if ((*cause = store_share_member(st->data_dir)) != NULL) {
		store_free(st);
		return STORE_IO_ERROR;
	}
	if (store_make_dirs(st, cause) != 0 ||
	    store_write_config_if_missing(st, cause) != 0) {
		store_free(st);
		return errno == ENOSPC || errno == EDQUOT ? STORE_FULL :
		    STORE_IO_ERROR;
	}
	if (mode != STORE_DELIVER && store_create_database(st, cause) != 0) {
		store_free(st);
		return STORE_DB_ERROR;
	}
	if ((share = store_share_check(st)) != NULL) {
		if (mode != STORE_READ_ONLY ||
		    strstr(share, "cannot read") != NULL) {
			*cause = xasprintf(_("%s: nothing was changed"), share);
			free(share);
			store_free(st);
			return STORE_IO_ERROR;
		}
		/* Readers read what the group cannot write. */
		log_debug("%s", share);
		free(share);
	}
	if (mode == STORE_DELIVER) {
		/* Files and journals only: the database may be locked,
		 * broken or full, delivery goes on (reliability.md, R3). */
		*out = st;
		return STORE_OK;
	}
	guard = xasprintf("%s/readers.lock", st->data_dir);
	st->guard_fd = open(guard, O_RDWR | O_CREAT | O_CLOEXEC, st->file_mode);
	if (st->guard_fd == -1)	/* a reader without write access */
		st->guard_fd = open(guard, O_RDONLY | O_CLOEXEC);
	if (st->guard_fd == -1)
		log_debug("%s: %s", guard, strerror(errno));
	free(guard);

	nm_mode = mode == STORE_READ_WRITE ? NOTMUCH_DATABASE_MODE_READ_WRITE :
	    NOTMUCH_DATABASE_MODE_READ_ONLY;
	for (attempt = 0; attempt < 2; attempt++) {
		if (mode == STORE_READ_WRITE && store_wait_lock(st) != 0) {
			*cause = xasprintf(_("the database is locked by another "
			    "process (waited %g s): nothing was changed"),
			    st->opts.lock_timeout);
			store_free(st);
			return STORE_LOCKED;
		}
		status = store_open_db(st, nm_mode, &nm_msg);
		if (status != NOTMUCH_STATUS_SUCCESS) {
			*cause = store_open_cause(st, status, nm_msg);
			store_free(st);
			return STORE_DB_ERROR;
		}
		if (mode == STORE_READ_ONLY || attempt > 0 ||
		    !store_headers_missing(st->db))
			break;
		if (store_set_headers(st->db, cause) != 0) {
			notmuch_database_destroy(st->db);
			store_free(st);
			return STORE_DB_ERROR;
		}
		notmuch_database_destroy(st->db);
		st->db = NULL;
	}
	st->revision = notmuch_database_get_revision(st->db, NULL);

	if (mode == STORE_READ_WRITE) {
		/* Whoever indexes answers with the data dir's scenario. */
		store_bot_scenario_load(st);
		store_crisis_load(st);
		store_ingest_clean_tmp(st);
		rc = store_ingest_recover(st, cause);
		if (rc != STORE_OK) {
			notmuch_database_destroy(st->db);
			store_free(st);
			return rc;
		}
	}
	*out = st;
	return STORE_OK;
}

enum store_status
store_close(struct store *st)
{
	enum store_status	 rc = STORE_OK;
	char			*cause = NULL;
	int			 locked;

	if (st == NULL)
		return STORE_OK;
	if (st->mode != STORE_READ_ONLY && st->n_pending > 0) {
		rc = store_flush(st, &cause);
		if (rc != STORE_OK)
			log_warn("%s", cause);
		free(cause);
	}
	if (st->mode == STORE_DELIVER) {
		/* What it lists is delivered, not indexed: the journal stays
		 * for the next read-write open. */
		store_deliver_release(st);
		store_free(st);
		return rc;
	}
	/* Closing commits what is left (a writer's configuration). */
	locked = st->mode == STORE_READ_WRITE &&
	    store_guard_lock(st, LOCK_EX) == 0;
	if (st->db == NULL)	/* not re-opened after a failed write */
		rc = STORE_DB_ERROR;
	else if (notmuch_database_destroy(st->db) != NOTMUCH_STATUS_SUCCESS &&
	    rc == STORE_OK)
		rc = STORE_DB_ERROR;
	if (locked)
		flock(st->guard_fd, LOCK_UN);
	if (st->journal_fd != -1) {
		/* Everything in it is indexed and committed now, or it
		 * stays for the next writer to index. */
		if (rc == STORE_OK && !st->journal_dirty)
			unlink(st->journal_path);
		close(st->journal_fd);
	}
	store_free(st);
	return rc;
}

int
store_refresh(struct store *st)
{
	uint64_t	revision;

	if (st->mode == STORE_READ_ONLY &&
	    notmuch_database_reopen(st->db, NOTMUCH_DATABASE_MODE_READ_ONLY) !=
	    NOTMUCH_STATUS_SUCCESS)
		return -1;
	revision = notmuch_database_get_revision(st->db, NULL);
	if (revision == st->revision)
		return 0;
	st->revision = revision;
	return 1;
}

uint64_t
store_revision(struct store *st)
{
	return notmuch_database_get_revision(st->db, NULL);
}

notmuch_status_t
store_query_messages(struct store *st, const char *query, notmuch_sort_t sort,
    notmuch_query_t **q, notmuch_messages_t **msgs)
{
	notmuch_status_t	status;
	int			attempt;

	if (st->db == NULL)	/* not re-opened after a failed write */
		return NOTMUCH_STATUS_XAPIAN_EXCEPTION;
	for (attempt = 0; attempt < 2; attempt++) {
		*q = notmuch_query_create(st->db, query);
		if (*q == NULL)
			return NOTMUCH_STATUS_OUT_OF_MEMORY;
		notmuch_query_set_sort(*q, sort);
		notmuch_query_set_omit_excluded(*q, NOTMUCH_EXCLUDE_FALSE);
		status = notmuch_query_search_messages(*q, msgs);
		/* Only a reader's snapshot can be overtaken; re-opening a
		 * writer would discard its open transaction. */
		if (status != NOTMUCH_STATUS_XAPIAN_EXCEPTION ||
		    st->mode != STORE_READ_ONLY)
			break;
		notmuch_query_destroy(*q);
		*q = NULL;
		notmuch_database_reopen(st->db, NOTMUCH_DATABASE_MODE_READ_ONLY);
	}
	if (status != NOTMUCH_STATUS_SUCCESS && *q != NULL) {
		notmuch_query_destroy(*q);
		*q = NULL;
	}
	return status;
}
