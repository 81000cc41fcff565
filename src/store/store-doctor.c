/*
 * store-doctor.c: `ombre doctor`: what is wrong with a data dir, and the
 * way out (reliability.md 2.4, 6: dump the tags, rebuild from the Maildir,
 * restore the tags).
 *
 * The Maildir holds every message whole (store-ingest.c), the dumps hold
 * the tags and properties (store-dump.c): a damaged Xapian index is moved
 * aside, a fresh one created by store_open, every file indexed again the
 * way a crashed writer's journal is recovered (store_ingest_queue_file),
 * then the newest dump restored. Findings are one line each; long lists
 * stop at DOCTOR_LIST_MAX lines and a count.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DOCTOR_LIST_MAX 10

/* A path whose mode or group must change. */
struct doctor_mode {
	char	*path;
	mode_t	 mode;		/* the mode it must have */
	gid_t	 gid;		/* (gid_t)-1: the group is right */
	uid_t	 uid;		/* (uid_t)-1: the owner is right */
};

struct doctor {
	const struct store_options	*opts;
	store_doctor_cb			 cb;
	void				*data;
	int				 problems;
	char				*data_dir;
	char				*db_path;
	char				*maildir;
	int				 external;
	char				 host[64];

	/* What the check found, for the repairs. */
	int				 db_broken;
	struct strset			 indexed;	/* files of indexed messages */
	struct strset			 unindexed;	/* ombre's files to index */
	struct strset			 gone;		/* indexed, not there */
	struct strset			 strays;	/* files to remove */
	int				 dead_journals;
	struct doctor_mode		*modes;
	size_t				 n_modes;
	size_t				 listed;	/* lines of the current list */

	/* The permissions walk (nftw has no argument). */
	int				 group_dir;	/* setgid, group-writable */
	gid_t				 group;
	uid_t				 owner;
};

static struct doctor	*doctor_walking;

struct doctor_file;
static struct doctor_file *doctor_maildir_files(struct doctor *, size_t *);
static void	doctor_files_free(struct doctor_file *, size_t);

static void doctor_say(struct doctor *d, enum store_doctor_level level,
		    const char *fmt, ...) OMBRE_PRINTF(3, 4);

static void
doctor_say(struct doctor *d, enum store_doctor_level level, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	if (level == STORE_DOCTOR_PROBLEM)
		d->problems++;
	d->cb(level, text, d->data);
	free(text);
}

/* One line of a list: only the first DOCTOR_LIST_MAX are said. */
static void doctor_item(struct doctor *d, enum store_doctor_level level,
		    const char *fmt, ...) OMBRE_PRINTF(3, 4);

static void
doctor_item(struct doctor *d, enum store_doctor_level level, const char *fmt,
    ...)
{
	va_list	 ap;
	char	*text;

	if (level == STORE_DOCTOR_PROBLEM)
		d->problems++;
	if (d->listed++ >= DOCTOR_LIST_MAX)
		return;
	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	d->cb(level, text, d->data);
	free(text);
}

/* End a list: say how many were not shown. */
static void
doctor_list_end(struct doctor *d, const char *what)
{
	if (d->listed > DOCTOR_LIST_MAX) {
		d->listed -= DOCTOR_LIST_MAX;
		doctor_say(d, STORE_DOCTOR_NOTE, ngettext("... and %zu more %s",
		    "... and %zu more %s", (unsigned long)d->listed), d->listed,
		    what);
	}
	d->listed = 0;
}

/* A path inside the data dir or Maildir as the user reads it. */
static const char *
doctor_short(struct doctor *d, const char *path)
{
	size_t	len = strlen(d->data_dir);

	if (strncmp(path, d->data_dir, len) == 0 && path[len] == '/')
		return path + len + 1;
	return path;
}

/* Is a message of ours indexed with ombre's properties? */
static int
doctor_has_kind(notmuch_message_t *nm)
{
	const char	*kind = NULL;

	return notmuch_message_get_property(nm, "ombre.kind", &kind) ==
	    NOTMUCH_STATUS_SUCCESS && kind != NULL;
}

/*
 * The database: it must be there, open read-only, count, and give every
 * message it counts with its files. The files go to d->indexed; ombre's
 * files indexed without ombre's properties (a user's notmuch new came
 * first) to d->unindexed.
 */
static void
doctor_check_database(struct doctor *d)
{
	struct store		*st;
	struct stat		 sb;
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_filenames_t	*names;
	notmuch_status_t	 status;
	char			*path, *cause;
	const char		*file;
	unsigned int		 count = 0, n = 0, no_file = 0, bare = 0;
	size_t			 mlen = strlen(d->maildir), files;
	struct doctor_file	*list;

	path = xasprintf("%s/.notmuch", d->db_path);
	if (!d->external && stat(path, &sb) != 0) {
		list = doctor_maildir_files(d, &files);
		doctor_files_free(list, files);
		if (files == 0) {
			/* Nothing stored yet: the first write creates it. */
			doctor_say(d, STORE_DOCTOR_NOTE, _("no database yet, "
			    "nothing stored"));
		} else {
			doctor_say(d, STORE_DOCTOR_PROBLEM, _("the database %s "
			    "is missing"), doctor_short(d, path));
			d->db_broken = 1;
		}
		free(path);
		return;
	}
	free(path);
	if (store_open(d->opts, STORE_READ_ONLY, &st, &cause) != STORE_OK) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, "%s", cause);
		free(cause);
		d->db_broken = 1;
		return;
	}
	store_read_begin(st);
	q = notmuch_query_create(st->db, "*");
	status = q != NULL ? notmuch_query_count_messages(q, &count) :
	    NOTMUCH_STATUS_OUT_OF_MEMORY;
	if (q != NULL)
		notmuch_query_destroy(q);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, _("the database does not "
		    "count its messages: %s"), notmuch_status_to_string(status));
		d->db_broken = 1;
		store_read_end(st);
		store_close(st);
		return;
	}
	status = store_query_messages(st, "*", NOTMUCH_SORT_UNSORTED, &q, &msgs);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, _("a query of the database "
		    "fails: %s"), notmuch_status_to_string(status));
		d->db_broken = 1;
		store_read_end(st);
		store_close(st);
		return;
	}
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL)
			break;
		n++;
		file = NULL;
		for (names = notmuch_message_get_filenames(nm);
		    names != NULL && notmuch_filenames_valid(names);
		    notmuch_filenames_move_to_next(names)) {
			file = notmuch_filenames_get(names);
			strset_add(&d->indexed, file);
			if (strncmp(file, d->maildir, mlen) == 0 &&
			    file[mlen] == '/' && !doctor_has_kind(nm)) {
				strset_add(&d->unindexed, file);
				bare++;
			}
		}
		if (names != NULL)
			notmuch_filenames_destroy(names);
		if (file == NULL)
			no_file++;
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	store_read_end(st);
	store_close(st);
	if (n != count || no_file > 0) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, _("the database counts %u "
		    "messages but %u read whole: the index is damaged"), count,
		    n - no_file);
		d->db_broken = 1;
		return;
	}
	doctor_say(d, STORE_DOCTOR_OK, ngettext("the database opens read-only "
	    "and reads its %u message", "the database opens read-only and "
	    "reads its %u messages", count), count);
	if (bare > 0) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, _("%u of ombre's files are "
		    "indexed without ombre's tags and properties"), bare);
	}
}

/* The regular files of new/ and cur/ of the Maildir, sorted by name
 * (the delivery time: ingest order). */
struct doctor_file {
	char		*path;
	const char	*name;
};

static int
doctor_file_cmp(const void *a, const void *b)
{
	const struct doctor_file	*fa = a, *fb = b;

	return strcmp(fa->name, fb->name);
}

static struct doctor_file *
doctor_maildir_files(struct doctor *d, size_t *n)
{
	static const char *const	 subs[] = { "new", "cur" };
	struct doctor_file		*files = NULL;
	DIR				*dir;
	struct dirent			*de;
	struct stat			 sb;
	char				*sub, *path;
	size_t				 i;

	*n = 0;
	for (i = 0; i < nitems(subs); i++) {
		sub = xasprintf("%s/%s", d->maildir, subs[i]);
		if ((dir = opendir(sub)) == NULL) {
			free(sub);
			continue;
		}
		while ((de = readdir(dir)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			path = xasprintf("%s/%s", sub, de->d_name);
			if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
				free(path);
				continue;
			}
			files = xreallocarray(files, *n + 1, sizeof *files);
			files[*n].path = path;
			files[*n].name = strrchr(path, '/') + 1;
			(*n)++;
		}
		closedir(dir);
		free(sub);
	}
	if (*n > 0)
		qsort(files, *n, sizeof *files, doctor_file_cmp);
	return files;
}

static void
doctor_files_free(struct doctor_file *files, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(files[i].path);
	free(files);
}

/* Is this a file ombre wrote (X-Ombre-Meta)? */
static int
doctor_is_ours(const char *path)
{
	struct msg	*m;
	char		*cause;

	if ((m = store_file_read(path, &cause)) == NULL) {
		free(cause);
		return 0;
	}
	msg_free(m);
	return 1;
}

/* The Maildir against the index: every file indexed, every indexed file
 * of the Maildir there. */
static void
doctor_check_maildir(struct doctor *d)
{
	struct doctor_file	*files;
	size_t			 n, i, mlen = strlen(d->maildir);
	unsigned int		 missing = 0, foreign = 0, gone = 0;

	files = doctor_maildir_files(d, &n);
	if (d->db_broken) {
		doctor_say(d, STORE_DOCTOR_NOTE, _("the Maildir holds %zu "
		    "messages, which a rebuilt index would hold"), n);
		doctor_files_free(files, n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (strset_has(&d->indexed, files[i].path))
			continue;
		if (doctor_is_ours(files[i].path)) {
			missing++;
			strset_add(&d->unindexed, files[i].path);
			doctor_item(d, STORE_DOCTOR_PROBLEM, _("not indexed: %s"),
			    doctor_short(d, files[i].path));
		} else {
			foreign++;
			doctor_item(d, STORE_DOCTOR_NOTE, _("not indexed, not "
			    "written by ombre: %s"), doctor_short(d,
			    files[i].path));
		}
	}
	doctor_list_end(d, _("files not indexed"));
	for (i = 0; i < d->indexed.n; i++) {
		const char *file = d->indexed.items[i];

		if (strncmp(file, d->maildir, mlen) != 0 || file[mlen] != '/' ||
		    access(file, F_OK) == 0)
			continue;
		gone++;
		strset_add(&d->gone, file);
		doctor_item(d, STORE_DOCTOR_PROBLEM, _("indexed, but the file is "
		    "gone: %s"), doctor_short(d, file));
	}
	doctor_list_end(d, _("files gone"));
	if (missing == 0 && gone == 0) {
		doctor_say(d, STORE_DOCTOR_OK, ngettext(
		    "the Maildir's %zu message is indexed",
		    "the Maildir's %zu messages are indexed",
		    (unsigned long)(n - foreign)), n - foreign);
	}
	doctor_files_free(files, n);
}

/* Files left by writers that are gone: tmp/ files, journals, dump tmps. */
static void
doctor_check_strays(struct doctor *d)
{
	DIR		*dir;
	struct dirent	*de;
	struct stat	 sb;
	char		*tmpdir, *path;
	long		 pid;
	int		 fd;
	unsigned int	 n = 0;
	time_t		 now = time(NULL);

	tmpdir = xasprintf("%s/tmp", d->maildir);
	if ((dir = opendir(tmpdir)) != NULL) {
		while ((de = readdir(dir)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			path = xasprintf("%s/%s", tmpdir, de->d_name);
			if (store_tmp_is_stray(d->host, de->d_name, path,
			    now)) {
				n++;
				strset_add(&d->strays, path);
				doctor_item(d, STORE_DOCTOR_PROBLEM, _("stray file "
				    "of a writer that is gone: %s"),
				    doctor_short(d, path));
			}
			free(path);
		}
		closedir(dir);
	}
	free(tmpdir);
	doctor_list_end(d, _("stray files"));

	tmpdir = xasprintf("%s/journal", d->data_dir);
	if ((dir = opendir(tmpdir)) != NULL) {
		while ((de = readdir(dir)) != NULL) {
			if (strstr(de->d_name, ".jnl") == NULL)
				continue;
			path = xasprintf("%s/%s", tmpdir, de->d_name);
			fd = open(path, O_RDONLY | O_CLOEXEC);
			/* A live writer holds its journal locked. */
			if (fd == -1 || flock(fd, LOCK_EX | LOCK_NB) != 0 ||
			    fstat(fd, &sb) != 0 || sb.st_size == 0) {
				/* Live, empty or unreadable: nothing to do. */
			} else if (now - sb.st_mtime < 60) {
				/* The syncer lets go of what it delivered
				 * for its indexer: not a problem yet. */
				doctor_say(d, STORE_DOCTOR_NOTE, _("messages "
				    "delivered, waiting for the indexer: %s"),
				    doctor_short(d, path));
			} else {
				n++;
				d->dead_journals++;
				doctor_item(d, STORE_DOCTOR_PROBLEM, _("journal of "
				    "a writer that is gone, its messages maybe "
				    "not indexed: %s"), doctor_short(d, path));
			}
			if (fd != -1)
				close(fd);
			free(path);
		}
		closedir(dir);
	}
	free(tmpdir);
	doctor_list_end(d, _("journals"));

	tmpdir = xasprintf("%s/dumps", d->data_dir);
	if ((dir = opendir(tmpdir)) != NULL) {
		while ((de = readdir(dir)) != NULL) {
			size_t len = strlen(de->d_name);
			char *dot;

			if (strncmp(de->d_name, ".dump-", 6) != 0 || len < 5 ||
			    strcmp(de->d_name + len - 4, ".tmp") != 0)
				continue;
			/* .NAME.PID.tmp */
			path = xstrndup(de->d_name, len - 4);
			dot = strrchr(path, '.');
			pid = dot != NULL ? strtol(dot + 1, NULL, 10) : 0;
			free(path);
			if (pid > 0 && util_pid_alive((pid_t)pid))
				continue;
			path = xasprintf("%s/%s", tmpdir, de->d_name);
			n++;
			strset_add(&d->strays, path);
			doctor_item(d, STORE_DOCTOR_PROBLEM, _("stray file of a "
			    "dump that did not finish: %s"), doctor_short(d, path));
			free(path);
		}
		closedir(dir);
	}
	free(tmpdir);
	doctor_list_end(d, _("stray dumps"));
	if (n == 0)
		doctor_say(d, STORE_DOCTOR_OK, _("no stray files, no journal left"));
}

/* One entry of the permissions walk. */
static int
doctor_walk_one(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	struct doctor		*d = doctor_walking;
	struct doctor_mode	 want;
	mode_t			 need;
	int			 dir = S_ISDIR(sb->st_mode);

	(void)ftw;
	if (flag == FTW_SL || flag == FTW_SLN || (!dir && !S_ISREG(sb->st_mode)))
		return 0;
	need = dir ? S_IRWXU : (S_IRUSR | S_IWUSR);
	if (d->group_dir)
		need |= dir ? (S_IRWXG | S_ISGID) : (S_IRGRP | S_IWGRP);
	want.path = NULL;
	want.mode = sb->st_mode & 07777;
	want.gid = (gid_t)-1;
	want.uid = (uid_t)-1;
	if ((sb->st_mode & need) != need) {
		want.mode |= need;
		doctor_item(d, STORE_DOCTOR_PROBLEM, _("%s: mode %04o, needs "
		    "%04o (%s)"), doctor_short(d, path), (unsigned)(sb->st_mode &
		    07777), (unsigned)want.mode, d->group_dir ? _("the team's "
		    "group must write what ombre writes") : _("ombre must write "
		    "what it owns"));
	}
	if (d->group_dir && sb->st_gid != d->group) {
		want.gid = d->group;
		doctor_item(d, STORE_DOCTOR_PROBLEM, _("%s: group %ld, not the "
		    "data dir's group %ld"), doctor_short(d, path),
		    (long)sb->st_gid, (long)d->group);
	}
	if (!d->group_dir && sb->st_uid != d->owner) {
		want.uid = d->owner;
		doctor_item(d, STORE_DOCTOR_PROBLEM, _("%s: owned by user %ld, "
		    "not the data dir's owner %ld"), doctor_short(d, path),
		    (long)sb->st_uid, (long)d->owner);
	}
	if (want.mode != (sb->st_mode & 07777) || want.gid != (gid_t)-1 ||
	    want.uid != (uid_t)-1) {
		want.path = xstrdup(path);
		d->modes = xreallocarray(d->modes, d->n_modes + 1,
		    sizeof *d->modes);
		d->modes[d->n_modes++] = want;
	}
	return 0;
}

/*
 * Permissions: the owner writes everything (a private data dir belongs to
 * one user); in a team's setgid group-writable dir (2770) every folder is
 * 2770-like and every file group-writable, in the dir's group.
 */
static void
doctor_check_modes(struct doctor *d)
{
	struct stat	sb;

	if (stat(d->data_dir, &sb) != 0) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, "%s: %s", d->data_dir,
		    strerror(errno));
		return;
	}
	d->group_dir = (sb.st_mode & S_ISGID) && (sb.st_mode & S_IWGRP);
	d->group = sb.st_gid;
	d->owner = sb.st_uid;
	doctor_walking = d;
	nftw(d->data_dir, doctor_walk_one, 16, FTW_PHYS);
	if (d->external)
		nftw(d->maildir, doctor_walk_one, 16, FTW_PHYS);
	doctor_walking = NULL;
	doctor_list_end(d, _("permission problems"));
	if (d->n_modes == 0) {
		doctor_say(d, STORE_DOCTOR_OK, _("permissions: %s"),
		    d->group_dir ? _("the team's group writes everything") :
		    _("the owner writes everything"));
	}
}

/* Is a message a ghost: known from other messages' references, or kept
 * for its thread when its last file went, with no file of its own? */
static int
doctor_is_ghost(notmuch_message_t *nm)
{
	notmuch_bool_t	ghost = FALSE;

	return notmuch_message_get_flag_st(nm, NOTMUCH_MESSAGE_FLAG_GHOST,
	    &ghost) == NOTMUCH_STATUS_SUCCESS && ghost;
}

/*
 * Index one Maildir file the way ingest would have (ombre's files through
 * the ingest queue), unless it is indexed with ombre's properties already
 * or is a second file of a message that is. Files ombre did not write go
 * to foreign. Return -1 when a flush failed (*cause set).
 */
static int
doctor_index_file(struct doctor *d, struct store *st, const char *path,
    struct strset *foreign, long *queued, char **cause)
{
	notmuch_message_t	*nm = NULL, *other = NULL;
	struct msg		*m;
	char			*msgid, *why;
	size_t			 i;

	if (notmuch_database_find_message_by_filename(st->db, path, &nm) ==
	    NOTMUCH_STATUS_SUCCESS && nm != NULL) {
		if (doctor_has_kind(nm)) {
			notmuch_message_destroy(nm);
			return 0;
		}
	}
	if ((m = store_file_read(path, &why)) == NULL) {
		free(why);
		if (nm != NULL)
			notmuch_message_destroy(nm);
		/* A contact's file (store-contact.c) gets its tag and
		 * properties back: it must never become a conversation. */
		else if (store_contact_reindex(st, path, &why) == STORE_OK)
			(*queued)++;
		else {
			free(why);
			strset_add(foreign, path);
		}
		return 0;
	}
	msgid = msgid_message(m->channel, m->account, m->conv_id, m->id);
	if (nm == NULL && notmuch_database_find_message(st->db, msgid, &other) ==
	    NOTMUCH_STATUS_SUCCESS && other != NULL && doctor_is_ghost(other)) {
		notmuch_message_destroy(other);
		other = NULL;
	}
	if (other != NULL) {
		notmuch_message_destroy(other);
		doctor_say(d, STORE_DOCTOR_NOTE, _("a second file of message "
		    "<%s>, left out of the index: %s"), msgid,
		    doctor_short(d, path));
		free(msgid);
		msg_free(m);
		return 0;
	}
	if (nm != NULL)
		notmuch_message_destroy(nm);
	for (i = 0; i < st->n_pending; i++) {
		if (strcmp(st->pending[i].msgid, msgid) == 0) {
			doctor_say(d, STORE_DOCTOR_NOTE, _("a second file of "
			    "message <%s>, left out of the index: %s"), msgid,
			    doctor_short(d, path));
			free(msgid);
			msg_free(m);
			return 0;
		}
	}
	free(msgid);
	store_ingest_queue_file(st, path, m);
	(*queued)++;
	if ((int)st->n_pending >= st->opts.batch_messages &&
	    store_flush(st, cause) != STORE_OK)
		return -1;
	return 0;
}

/* Index the files of mail ombre did not write, as notmuch new would. */
static void
doctor_index_foreign(struct doctor *d, struct store *st, struct strset *foreign)
{
	notmuch_message_t	*nm;
	notmuch_status_t	 status = NOTMUCH_STATUS_SUCCESS;
	char			*cause = NULL, *what;
	size_t			 i;

	if (foreign->n == 0)
		return;
	if (store_begin(st, "indexing mail ombre did not write",
	    &cause) != STORE_OK) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, "%s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < foreign->n; i++) {
		nm = NULL;
		status = notmuch_database_index_file(st->db, foreign->items[i],
		    NULL, &nm);
		if (nm != NULL)
			notmuch_message_destroy(nm);
		/* A file that is no mail is left out, as notmuch new does. */
		if (status == NOTMUCH_STATUS_DUPLICATE_MESSAGE_ID ||
		    status == NOTMUCH_STATUS_FILE_NOT_EMAIL)
			status = NOTMUCH_STATUS_SUCCESS;
		if (status != NOTMUCH_STATUS_SUCCESS)
			break;
	}
	if (status != NOTMUCH_STATUS_SUCCESS) {
		what = xasprintf("indexing %s", foreign->items[i]);
		store_abort(st, what, status, &cause);
		free(what);
	} else if (store_commit(st, "committing mail ombre did not write",
	    &cause) == STORE_OK) {
		doctor_say(d, STORE_DOCTOR_NOTE, ngettext("indexed %zu file "
		    "ombre did not write, without tags", "indexed %zu files "
		    "ombre did not write, without tags",
		    (unsigned long)foreign->n), foreign->n);
		return;
	}
	doctor_say(d, STORE_DOCTOR_PROBLEM, "%s", cause);
	free(cause);
}

/* Forget the files of the index that are gone from the disk. */
static void
doctor_forget_gone(struct doctor *d, struct store *st)
{
	notmuch_status_t	 status = NOTMUCH_STATUS_SUCCESS;
	char			*cause = NULL, *what;
	size_t			 i;

	if (store_begin(st, "forgetting files that are gone", &cause) !=
	    STORE_OK) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, "%s", cause);
		free(cause);
		return;
	}
	for (i = 0; i < d->gone.n; i++) {
		status = notmuch_database_remove_message(st->db,
		    d->gone.items[i]);
		/* The message stays with its other files. */
		if (status == NOTMUCH_STATUS_DUPLICATE_MESSAGE_ID)
			status = NOTMUCH_STATUS_SUCCESS;
		if (status != NOTMUCH_STATUS_SUCCESS)
			break;
	}
	if (status != NOTMUCH_STATUS_SUCCESS) {
		what = xasprintf("forgetting %s", d->gone.items[i]);
		store_abort(st, what, status, &cause);
		free(what);
	} else if (store_commit(st, "committing the files that are gone",
	    &cause) == STORE_OK) {
		doctor_say(d, STORE_DOCTOR_FIXED, ngettext(
		    "forgot %zu file that is gone",
		    "forgot %zu files that are gone",
		    (unsigned long)d->gone.n), d->gone.n);
		return;
	}
	doctor_say(d, STORE_DOCTOR_PROBLEM, "%s", cause);
	free(cause);
}

/* Restore the newest dump into a rebuilt index. */
static void
doctor_restore(struct doctor *d, struct store *st)
{
	char	*dump, *cause;
	long	 restored, missing;

	if ((dump = store_dump_latest(d->data_dir)) == NULL) {
		doctor_say(d, STORE_DOCTOR_NOTE, _("no dump in %s/dumps: the "
		    "messages have the tags ingest gives, not the agents'"),
		    d->data_dir);
		return;
	}
	if (store_restore(st, dump, &restored, &missing, &cause) != STORE_OK) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, _("restoring the tags: %s"),
		    cause);
		free(cause);
	} else {
		doctor_say(d, STORE_DOCTOR_FIXED, ngettext("restored the tags "
		    "and properties of %ld message from %s%s", "restored the "
		    "tags and properties of %ld messages from %s%s",
		    (unsigned long)restored), restored,
		    doctor_short(d, dump), missing > 0 ? _(" (some of the "
		    "dump's messages are not in the Maildir)") : "");
	}
	free(dump);
}

/*
 * Move the damaged database aside, create a fresh one through store_open
 * (ombre's config and index headers), index every Maildir file in the
 * order it was delivered, then restore the newest dump.
 */
static void
doctor_rebuild(struct doctor *d)
{
	struct store		*st;
	struct doctor_file	*files;
	struct strset		 foreign = { NULL, 0, NULL, 0 };
	struct stat		 sb;
	struct tm		 tm;
	time_t			 now = time(NULL);
	char			*old, *aside, stamp[32], *cause = NULL;
	size_t			 n, i;
	long			 queued = 0;
	int			 failed = 0;

	if (d->external) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, _("the database is your own "
		    "(store.database %s): rebuild it with notmuch new, then "
		    "run ombre doctor --fix again to give ombre's files their "
		    "tags"), d->db_path);
		return;
	}
	if (store_is_locked(d->data_dir, NULL)) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, _("another process holds the "
		    "database's write lock: stop it (the syncer, a console), "
		    "then run ombre doctor --fix again"));
		return;
	}
	old = xasprintf("%s/.notmuch", d->db_path);
	if (stat(old, &sb) == 0) {
		gmtime_r(&now, &tm);
		strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
		aside = xasprintf("%s/notmuch.broken-%s", d->data_dir, stamp);
		if (stat(aside, &sb) == 0) {
			free(aside);
			aside = xasprintf("%s/notmuch.broken-%s.%ld",
			    d->data_dir, stamp, (long)getpid());
		}
		if (rename(old, aside) != 0) {
			doctor_say(d, STORE_DOCTOR_PROBLEM, _("moving %s aside: %s"),
			    old, strerror(errno));
			free(aside);
			free(old);
			return;
		}
		doctor_say(d, STORE_DOCTOR_FIXED, _("moved the damaged database "
		    "aside, kept as %s"), doctor_short(d, aside));
		free(aside);
	}
	free(old);
	if (store_open(d->opts, STORE_READ_WRITE, &st, &cause) != STORE_OK) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, _("creating a new database: "
		    "%s"), cause);
		free(cause);
		return;
	}
	files = doctor_maildir_files(d, &n);
	for (i = 0; i < n && !failed; i++) {
		if (doctor_index_file(d, st, files[i].path, &foreign, &queued,
		    &cause) != 0)
			failed = 1;
	}
	doctor_files_free(files, n);
	if (!failed && store_flush(st, &cause) != STORE_OK)
		failed = 1;
	if (failed) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, _("indexing the Maildir: %s"),
		    cause);
		free(cause);
		strset_free(&foreign);
		store_close(st);
		return;
	}
	doctor_say(d, STORE_DOCTOR_FIXED, ngettext("rebuilt the index from "
	    "the Maildir: %ld message", "rebuilt the index from the "
	    "Maildir: %ld messages", (unsigned long)queued), queued);
	doctor_index_foreign(d, st, &foreign);
	strset_free(&foreign);
	doctor_restore(d, st);
	if (store_close(st) != STORE_OK)
		doctor_say(d, STORE_DOCTOR_PROBLEM, _("closing the new database"));
}

/* Index what the Maildir check found missing, forget files gone. */
static void
doctor_reindex(struct doctor *d)
{
	struct store		*st;
	struct strset		 foreign = { NULL, 0, NULL, 0 };
	char			*cause = NULL;
	size_t			 i;
	long			 queued = 0;
	int			 failed = 0;

	/* A read-write open also recovers the journals of dead writers. */
	if (store_open(d->opts, STORE_READ_WRITE, &st, &cause) != STORE_OK) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, "%s", cause);
		free(cause);
		return;
	}
	if (d->dead_journals > 0) {
		doctor_say(d, STORE_DOCTOR_FIXED, ngettext("indexed what %d "
		    "journal of writers that are gone listed", "indexed what %d "
		    "journals of writers that are gone listed",
		    (unsigned long)d->dead_journals), d->dead_journals);
	}
	for (i = 0; i < d->unindexed.n && !failed; i++) {
		if (doctor_index_file(d, st, d->unindexed.items[i], &foreign,
		    &queued, &cause) != 0)
			failed = 1;
	}
	if (!failed && store_flush(st, &cause) != STORE_OK)
		failed = 1;
	if (failed) {
		doctor_say(d, STORE_DOCTOR_PROBLEM, _("indexing: %s"), cause);
		free(cause);
	} else if (queued > 0) {
		doctor_say(d, STORE_DOCTOR_FIXED, _("indexed %ld of ombre's "
		    "files with their tags and properties"), queued);
	}
	strset_free(&foreign);
	if (d->gone.n > 0)
		doctor_forget_gone(d, st);
	store_close(st);
}

/* Give paths the mode, group and owner they need. */
static void
doctor_fix_modes(struct doctor *d)
{
	struct doctor_mode	*w;
	struct passwd		*pw;
	struct stat		 sb;
	size_t			 i, fixed = 0;
	int			 ok;

	for (i = 0; i < d->n_modes; i++) {
		w = &d->modes[i];
		ok = 1;
		if ((w->gid != (gid_t)-1 || w->uid != (uid_t)-1) &&
		    lchown(w->path, w->uid, w->gid) != 0)
			ok = 0;
		/* chown drops the setgid bit: the mode goes last. */
		if (chmod(w->path, w->mode) != 0)
			ok = 0;
		if (ok)
			fixed++;
		else if (errno == EPERM && lstat(w->path, &sb) == 0) {
			/* Only its owner or root may: say who. */
			pw = getpwuid(sb.st_uid);
			doctor_item(d, STORE_DOCTOR_PROBLEM, _("%s: only its owner "
			    "may change it: run ombre doctor --fix as %s or root"),
			    doctor_short(d, w->path), pw != NULL ? pw->pw_name :
			    _("its owner"));
		} else {
			doctor_item(d, STORE_DOCTOR_PROBLEM, "%s: %s",
			    doctor_short(d, w->path), strerror(errno));
		}
	}
	doctor_list_end(d, _("permission fixes failed"));
	if (fixed > 0)
		doctor_say(d, STORE_DOCTOR_FIXED, ngettext(
		    "corrected the permissions of %zu file or folder",
		    "corrected the permissions of %zu files and folders",
		    (unsigned long)fixed), fixed);
}

/* Remove stray files. */
static void
doctor_fix_strays(struct doctor *d)
{
	size_t	i, removed = 0;

	for (i = 0; i < d->strays.n; i++) {
		if (unlink(d->strays.items[i]) == 0 || errno == ENOENT)
			removed++;
	}
	if (removed > 0) {
		doctor_say(d, STORE_DOCTOR_FIXED, ngettext("removed %zu stray "
		    "file", "removed %zu stray files", (unsigned long)removed),
		    removed);
	}
}

static void
doctor_init(struct doctor *d, const struct store_options *opts,
    store_doctor_cb cb, void *data)
{
	memset(d, 0, sizeof *d);
	d->opts = opts;
	d->cb = cb;
	d->data = data;
	d->data_dir = xstrdup(opts->data_dir);
	d->external = opts->database != NULL && *opts->database != '\0';
	d->db_path = d->external ? xstrdup(opts->database) :
	    xasprintf("%s/mail", opts->data_dir);
	d->maildir = xasprintf("%s/ombre", d->db_path);
	/* The host part of our file names, as store.c makes it. */
	store_host_name(d->host, sizeof d->host);
}

static void
doctor_free(struct doctor *d)
{
	size_t	i;

	free(d->data_dir);
	free(d->db_path);
	free(d->maildir);
	strset_free(&d->indexed);
	strset_free(&d->unindexed);
	strset_free(&d->gone);
	strset_free(&d->strays);
	for (i = 0; i < d->n_modes; i++)
		free(d->modes[i].path);
	free(d->modes);
}

/* The checks, in the order a reader wants them. */
static int
doctor_check(struct doctor *d)
{
	doctor_check_database(d);
	doctor_check_maildir(d);
	doctor_check_modes(d);
	doctor_check_strays(d);
	return d->problems;
}

/* The second check after repairs says only what is left. */
static void
doctor_only_problems(enum store_doctor_level level, const char *text,
    void *data)
{
	struct doctor	*outer = data;

	if (level == STORE_DOCTOR_PROBLEM)
		outer->cb(level, text, outer->data);
}

int
store_doctor(const struct store_options *opts, int fix, store_doctor_cb cb,
    void *data)
{
	struct doctor	 d, again;
	char		*cause;
	int		 problems;

	doctor_init(&d, opts, cb, data);
	if (access(d.data_dir, F_OK) != 0 && errno == ENOENT) {
		doctor_say(&d, STORE_DOCTOR_NOTE, _("no data dir %s yet: nothing "
		    "stored"), d.data_dir);
		doctor_free(&d);
		return 0;
	}
	if ((cause = store_share_member(d.data_dir)) != NULL) {
		doctor_say(&d, STORE_DOCTOR_PROBLEM, "%s", cause);
		free(cause);
		problems = d.problems;
		doctor_free(&d);
		return problems;
	}
	problems = doctor_check(&d);
	if (!fix || problems == 0) {
		doctor_free(&d);
		return problems;
	}
	/* Modes first: a rebuild must be able to write. */
	if (d.n_modes > 0)
		doctor_fix_modes(&d);
	doctor_fix_strays(&d);
	if (d.db_broken)
		doctor_rebuild(&d);
	else if (d.unindexed.n > 0 || d.gone.n > 0 || d.dead_journals > 0)
		doctor_reindex(&d);

	doctor_init(&again, opts, doctor_only_problems, &d);
	problems = doctor_check(&again);
	doctor_free(&again);
	doctor_free(&d);
	return problems;
}
