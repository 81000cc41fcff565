/*
 * store-draft.c: the replies and notes being written, one file per agent,
 * conversation and kind, so nothing typed is lost to a dropped ssh
 * connection, a kill or a crash (reliability.md, 4.2):
 *
 *   DIR/drafts/AGENT/HASH.reply   HASH.note    (directory 0700)
 *
 * HASH is the FNV-1a of the conversation's key (its synthetic thread
 * Message-Id); the key is also inside, checked on reading. Each save
 * replaces the file whole and durably (util_write_file). A draft is read
 * back as untrusted input: the format is checked field by field and a
 * file that does not parse is reported and left alone, never half used.
 *
 *   ombre-draft 1
 *   conv <key>
 *   agent <name>
 *   kind reply|note
 *   seen <the Message-Ids of the conversation's newest messages when begun,
 *        separated by spaces: the double-answer guard's view>
 *   began <seconds since the epoch>
 *   title <who the conversation is with, as shown>        (optional)
 *   outbound <out.<uuid>: the id it is being stored under>   (optional)
 *   <empty line>
 *   <the text, UTF-8, to the end of the file>
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DRAFT_MAGIC	"ombre-draft 1"
#define DRAFT_MAX	(4 * 1024 * 1024)	/* a draft bigger is not ours */

void
store_draft_free(struct store_draft *d)
{
	if (d == NULL)
		return;
	free(d->conv);
	free(d->agent);
	free(d->seen);
	free(d->outbound);
	free(d->title);
	free(d->text);
	free(d);
}

/* An agent's name as a directory name: nothing but [A-Za-z0-9._-]. */
static char *
draft_dir(const char *data_dir, const char *agent)
{
	struct buf	b;
	const char	*p;

	buf_init(&b);
	buf_add_printf(&b, "%s/drafts/", data_dir);
	if (*agent == '\0' || *agent == '.')
		buf_add_char(&b, '_');
	for (p = agent; *p != '\0' && p - agent < 64; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-')
			buf_add_char(&b, *p);
		else
			buf_add_char(&b, '_');
	}
	return buf_steal(&b);
}

static char *
draft_name(const char *conv, int note)
{
	return xasprintf("%016" PRIx64 ".%s", util_hash64(conv),
	    note ? "note" : "reply");
}

/* A header value: one line of printable text. */
static int
draft_value_ok(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	}
	return 1;
}

/*
 * A draft that cannot be written in a team's data dir: the folder the
 * group cannot use, named with the way out (its owner makes it right and
 * the save goes on next time), or NULL.
 */
static char *
draft_share_cause(const char *data_dir, const char *dir)
{
	char	*top, *cause;
	int	 saved = errno;

	top = xasprintf("%s/drafts", data_dir);
	if ((cause = store_share_fix(data_dir, top, 0)) == NULL)
		cause = store_share_fix(data_dir, dir, STORE_SHARE_ENTRIES);
	free(top);
	errno = saved;
	return cause;
}

int
store_draft_save(const char *data_dir, const struct store_draft *d,
    char **cause)
{
	struct buf	 b;
	char		*dir, *name;
	int		 rc = 0;

	*cause = NULL;
	if (!draft_value_ok(d->conv) || !draft_value_ok(d->agent) ||
	    (d->seen != NULL && !draft_value_ok(d->seen)) ||
	    (d->outbound != NULL && !draft_value_ok(d->outbound)) ||
	    (d->title != NULL && !draft_value_ok(d->title))) {
		*cause = xstrdup(_("a draft's header has a control character"));
		return -1;
	}
	dir = draft_dir(data_dir, d->agent);
	if (util_mkdir_p(dir, util_share_mode(data_dir, 0700)) != 0) {
		*cause = draft_share_cause(data_dir, dir);
		if (*cause == NULL)
			*cause = xasprintf(_("cannot create %s: %s"), dir,
			    strerror(errno));
		free(dir);
		return -1;
	}
	buf_init(&b);
	buf_add_printf(&b, DRAFT_MAGIC "\nconv %s\nagent %s\nkind %s\n",
	    d->conv, d->agent, d->note ? "note" : "reply");
	if (d->seen != NULL)
		buf_add_printf(&b, "seen %s\n", d->seen);
	buf_add_printf(&b, "began %lld\n", (long long)d->began);
	if (d->outbound != NULL)
		buf_add_printf(&b, "outbound %s\n", d->outbound);
	if (d->title != NULL)
		buf_add_printf(&b, "title %s\n", d->title);
	buf_add_char(&b, '\n');
	buf_add(&b, d->text, d->text_len);
	name = draft_name(d->conv, d->note);
	if (util_write_file(dir, name, b.data, b.len,
	    util_share_mode(data_dir, 0600)) != 0) {
		*cause = draft_share_cause(data_dir, dir);
		if (*cause == NULL)
			*cause = xasprintf(_("%s (in %s)"), strerror(errno), dir);
		rc = -1;
	}
	free(name);
	free(dir);
	buf_free(&b);
	return rc;
}

/* Parse a draft file's content; NULL and *cause when it is not one. */
static struct store_draft *
draft_parse(const char *data, size_t len, char **cause)
{
	struct store_draft	*d;
	const char		*p = data, *end = data + len, *nl;
	char			*line, *value, *stop;
	size_t			 bad;
	int			 first = 1;

	d = xcalloc(1, sizeof *d);
	d->began = -1;
	for (;;) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			*cause = xstrdup(_("no end to the header"));
			goto bad;
		}
		if (nl == p)
			break;	/* the empty line: the text follows */
		line = xstrndup(p, (size_t)(nl - p));
		if (strlen(line) != (size_t)(nl - p) ||	/* a NUL in it */
		    !utf8_valid(line, strlen(line), &bad) ||
		    !draft_value_ok(line)) {
			free(line);
			*cause = xstrdup(_("a header line is not text"));
			goto bad;
		}
		p = nl + 1;
		if (first) {
			first = 0;
			if (strcmp(line, DRAFT_MAGIC) != 0) {
				free(line);
				*cause = xstrdup(_("not an ombre draft"));
				goto bad;
			}
			free(line);
			continue;
		}
		value = strchr(line, ' ');
		if (value == NULL) {
			free(line);
			continue;	/* a line we do not know: ignored */
		}
		*value++ = '\0';
		if (strcmp(line, "conv") == 0 && d->conv == NULL)
			d->conv = xstrdup(value);
		else if (strcmp(line, "agent") == 0 && d->agent == NULL)
			d->agent = xstrdup(value);
		else if (strcmp(line, "kind") == 0)
			d->note = strcmp(value, "note") == 0;
		else if (strcmp(line, "seen") == 0 && d->seen == NULL)
			d->seen = xstrdup(value);
		else if (strcmp(line, "outbound") == 0 && d->outbound == NULL &&
		    msgid_is_outbound(value))
			d->outbound = xstrdup(value);
		else if (strcmp(line, "title") == 0 && d->title == NULL)
			d->title = xstrdup(value);
		else if (strcmp(line, "began") == 0) {
			errno = 0;
			d->began = strtoll(value, &stop, 10);
			if (errno != 0 || *stop != '\0' || d->began < 0)
				d->began = -1;
		}
		free(line);
	}
	if (first || d->conv == NULL || d->agent == NULL || d->began < 0) {
		*cause = xstrdup(_("the header lacks conv, agent or began"));
		goto bad;
	}
	p++;	/* the empty line */
	d->text_len = (size_t)(end - p);
	if (!utf8_valid(p, d->text_len, &bad) ||
	    memchr(p, '\0', d->text_len) != NULL) {
		*cause = xasprintf(_("the text is not UTF-8 (byte %zu)"), bad);
		goto bad;
	}
	d->text = xstrndup(p, d->text_len);
	return d;
bad:
	store_draft_free(d);
	return NULL;
}

/* Read one draft file; NULL with *cause NULL when there is none. */
static struct store_draft *
draft_read(const char *path, char **cause)
{
	struct store_draft	*d;
	struct stat		 sb;
	struct buf		 b;
	char			 chunk[8192];
	ssize_t			 got;
	int			 fd;

	*cause = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1) {
		if (errno != ENOENT)
			*cause = xasprintf(_("cannot read %s: %s"), path,
			    strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > DRAFT_MAX) {
		close(fd);
		*cause = xasprintf(_("%s is not a draft file"), path);
		return NULL;
	}
	buf_init(&b);
	while ((got = read(fd, chunk, sizeof chunk)) > 0 &&
	    b.len <= DRAFT_MAX)
		buf_add(&b, chunk, (size_t)got);
	close(fd);
	if (got < 0) {
		*cause = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
		buf_free(&b);
		return NULL;
	}
	d = draft_parse(b.data != NULL ? b.data : "", b.len, cause);
	buf_free(&b);
	if (d == NULL) {
		char *why = *cause;

		*cause = xasprintf("%s: %s", path, why);
		free(why);
	}
	return d;
}

struct store_draft *
store_draft_load(const char *data_dir, const char *agent, const char *conv,
    int note, char **cause)
{
	struct store_draft	*d;
	char			*dir, *name, *path;

	dir = draft_dir(data_dir, agent);
	name = draft_name(conv, note);
	path = xasprintf("%s/%s", dir, name);
	d = draft_read(path, cause);
	if (d != NULL && strcmp(d->conv, conv) != 0) {
		/* Another conversation with the same hash: not ours. */
		store_draft_free(d);
		d = NULL;
	}
	free(path);
	free(name);
	free(dir);
	return d;
}

int
store_draft_remove(const char *data_dir, const char *agent, const char *conv,
    int note)
{
	char	*dir, *name, *path;
	int	 rc;

	dir = draft_dir(data_dir, agent);
	name = draft_name(conv, note);
	path = xasprintf("%s/%s", dir, name);
	rc = unlink(path);
	if (rc != 0 && errno == ENOENT)
		rc = 0;
	else if (rc == 0)
		util_fsync_dir(dir);
	free(path);
	free(name);
	free(dir);
	return rc;
}

static int
draft_cmp(const void *a, const void *b)
{
	const struct store_draft	*x = *(const struct store_draft *const *)a;
	const struct store_draft	*y = *(const struct store_draft *const *)b;

	return x->began < y->began ? -1 : x->began > y->began;
}

size_t
store_draft_list(const char *data_dir, const char *agent,
    struct store_draft ***out, char ***errors, size_t *n_errors)
{
	struct store_draft	*d;
	struct dirent		*de;
	DIR			*dirp;
	char			*dir, *path, *cause;
	size_t			 n = 0, len;

	*out = NULL;
	*errors = NULL;
	*n_errors = 0;
	dir = draft_dir(data_dir, agent);
	if ((dirp = opendir(dir)) == NULL) {
		free(dir);
		return 0;
	}
	while ((de = readdir(dirp)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || !((len > 6 && strcmp(de->d_name +
		    len - 6, ".reply") == 0) || (len > 5 && strcmp(de->d_name +
		    len - 5, ".note") == 0)))
			continue;	/* tmp files of a save, others' files */
		path = xasprintf("%s/%s", dir, de->d_name);
		d = draft_read(path, &cause);
		free(path);
		if (d == NULL) {
			if (cause != NULL) {
				*errors = xreallocarray(*errors, *n_errors + 1,
				    sizeof **errors);
				(*errors)[(*n_errors)++] = cause;
			}
			continue;
		}
		*out = xreallocarray(*out, n + 1, sizeof **out);
		(*out)[n++] = d;
	}
	closedir(dirp);
	free(dir);
	if (n > 1)
		qsort(*out, n, sizeof **out, draft_cmp);
	return n;
}
