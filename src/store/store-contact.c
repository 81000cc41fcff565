/*
 * store-contact.c: contacts in the store (issue 16). A contact is one
 * small message file in the Maildir, of a kind of its own (X-Ombre-Kind:
 * contact, tag ombre/contact, property ombre.kind=contact), so notmuch
 * indexes it, `notmuch search tag:ombre/contact` lists them and they
 * travel with the data dir, its dumps and its replicas. Its body is
 * core's text (contact.c); its properties say what lookups need without
 * reading the file: ombre.contact (the id) and one ombre.identity a
 * channel identity.
 *
 * A contact changes by replacing its file: the new one (a Message-Id of
 * its own, contact.ID.RANDOM@ombre) is indexed and the old one forgotten
 * in one transaction, so a reader sees one version or the other, and
 * the old file is removed once that is committed.
 *
 * Contacts are no conversation: every query of conversations leaves the
 * tag out (store-query.c's STORE_NOT_CONTACT), and nothing here writes
 * to a conversation. A conversation belongs to at most one contact,
 * through its identity (core's contact_identity_of: its channel and its
 * customer's id); a conversation no contact names is a person of its
 * own. Merges are only ever made by an agent (link): matching identities
 * are suggested, never applied.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STORE_CONTACT_TAG	"ombre/contact"
/* A contact file is small; more than this is not read (untrusted). */
#define STORE_CONTACT_FILE_MAX	(256 * 1024)
/* The other conversations a thread shows at most. */
#define STORE_CONTACT_CONVS_MAX	50

/* A query term KEY=VALUE, quoted for notmuch (values have no quote). */
static char *
store_contact_term(const char *key, const char *value)
{
	return xasprintf("property:\"%s=%s\"", key, value);
}

/* The contact a file holds: its body read back by core; NULL. */
static struct contact *
store_contact_read_file(const char *path, char **cause)
{
	struct contact	*c;
	struct buf	 data;
	char		 chunk[8192];
	const char	*body;
	ssize_t		 n;
	int		 fd;

	*cause = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&data);
	while (data.len < STORE_CONTACT_FILE_MAX &&
	    (n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&data, chunk, (size_t)n);
	close(fd);
	buf_add_char(&data, '\0');
	data.len--;
	body = strstr(data.data, "\n\n");
	if (body == NULL) {
		*cause = xasprintf(_("%s: no body"), path);
		buf_free(&data);
		return NULL;
	}
	body += 2;
	c = contact_parse(body, data.len - (size_t)(body - data.data), cause);
	buf_free(&data);
	return c;
}

/*
 * The contacts matching a query (newest file first), at most max (0: all),
 * read from their files; a file that cannot be read is skipped.
 */
static enum store_status
store_contact_search(struct store *st, const char *query, size_t max,
    struct contact ***out, size_t *n, char **cause)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	struct contact		*c;
	const char		*path;
	char			*full, *why;

	*out = NULL;
	*n = 0;
	full = store_query_is_all(query) ? xstrdup("tag:" STORE_CONTACT_TAG) :
	    xasprintf("tag:%s and (%s)", STORE_CONTACT_TAG, query);
	if (store_query_messages(st, full, NOTMUCH_SORT_NEWEST_FIRST, &q,
	    &msgs) != NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf(_("searching contacts: bad query '%s'"),
		    full);
		free(full);
		return STORE_DB_ERROR;
	}
	free(full);
	for (; notmuch_messages_valid(msgs) && (max == 0 || *n < max);
	    notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL)
			break;
		path = notmuch_message_get_filename(nm);
		why = NULL;
		c = path != NULL ? store_contact_read_file(path, &why) : NULL;
		if (c == NULL) {
			log_debug("contact: %s", why != NULL ? why : "no file");
			free(why);
		} else {
			*out = xreallocarray(*out, *n + 1, sizeof **out);
			(*out)[(*n)++] = c;
		}
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	return STORE_OK;
}

void
store_contacts_free(struct contact **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		contact_free(list[i]);
	free(list);
}

/* The one contact of a query, or NULL (*out). */
static enum store_status
store_contact_one(struct store *st, const char *query, struct contact **out,
    char **cause)
{
	struct contact		**list;
	size_t			  n;
	enum store_status	  rc;

	*out = NULL;
	store_read_begin(st);
	rc = store_contact_search(st, query, 1, &list, &n, cause);
	store_read_end(st);
	if (rc == STORE_OK && n > 0) {
		*out = list[0];
		list[0] = NULL;
	}
	store_contacts_free(list, n);
	return rc;
}

enum store_status
store_contact_get(struct store *st, const char *id, struct contact **out,
    char **cause)
{
	enum store_status	 rc;
	char			*query;

	*cause = NULL;
	*out = NULL;
	if (!contact_id_valid(id)) {
		*cause = xasprintf(_("'%s' is no contact id (c- and 16 hex "
		    "digits)"), id);
		return STORE_BAD_INPUT;
	}
	query = store_contact_term("ombre.contact", id);
	rc = store_contact_one(st, query, out, cause);
	free(query);
	if (rc == STORE_OK && *out == NULL) {
		*cause = xasprintf(_("no contact %s"), id);
		return STORE_NOT_FOUND;
	}
	return rc;
}

enum store_status
store_contact_of_identity(struct store *st, const char *identity,
    struct contact **out, char **cause)
{
	enum store_status	 rc;
	char			*query;

	*cause = NULL;
	*out = NULL;
	if (!contact_identity_valid(identity))
		return STORE_OK;
	query = store_contact_term("ombre.identity", identity);
	rc = store_contact_one(st, query, out, cause);
	free(query);
	return rc;
}

enum store_status
store_contact_conv(struct store *st, const char *thread_id,
    struct store_conv **out, char **identity, char **cause)
{
	enum store_status	rc;

	*identity = NULL;
	if ((rc = store_conv_of_thread(st, thread_id, out, cause)) != STORE_OK)
		return rc;
	*identity = contact_identity_of((*out)->channel, (*out)->customer_id);
	return STORE_OK;
}

enum store_status
store_contact_of(struct store *st, const char *thread_id,
    struct contact **out, char **identity, char **cause)
{
	struct store_conv	*conv;
	enum store_status	 rc;

	*out = NULL;
	*identity = NULL;
	if ((rc = store_contact_conv(st, thread_id, &conv, identity, cause)) !=
	    STORE_OK)
		return rc;
	store_conv_free(conv);
	if (*identity == NULL)
		return STORE_OK;
	return store_contact_of_identity(st, *identity, out, cause);
}

enum store_status
store_contact_list(struct store *st, struct contact ***out, size_t *n,
    char **cause)
{
	enum store_status	rc;

	*cause = NULL;
	store_read_begin(st);
	rc = store_contact_search(st, "*", 0, out, n, cause);
	store_read_end(st);
	return rc;
}

/* The files of the contact's current versions (every message it has). */
static notmuch_status_t
store_contact_files(struct store *st, const char *id, struct strset *files)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_filenames_t	*fn;
	notmuch_status_t	 status;
	char			*query, *term;

	term = store_contact_term("ombre.contact", id);
	query = xasprintf("tag:%s and %s", STORE_CONTACT_TAG, term);
	free(term);
	status = store_query_messages(st, query, NOTMUCH_SORT_UNSORTED, &q,
	    &msgs);
	free(query);
	if (status != NOTMUCH_STATUS_SUCCESS)
		return status;
	for (; notmuch_messages_valid(msgs);
	    notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL) {
			status = NOTMUCH_STATUS_XAPIAN_EXCEPTION;
			break;
		}
		for (fn = notmuch_message_get_filenames(nm);
		    notmuch_filenames_valid(fn);
		    notmuch_filenames_move_to_next(fn))
			strset_add(files, notmuch_filenames_get(fn));
		notmuch_filenames_destroy(fn);
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	return status;
}

/* The whole file of a contact version: headers notmuch indexes, then
 * core's text. */
static char *
store_contact_file_text(const struct contact *c, const char *msgid)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct buf	 b;
	struct tm	 tm;
	time_t		 t = (time_t)util_now();
	char		*body;

	gmtime_r(&t, &tm);
	buf_init(&b);
	buf_add_printf(&b, "Message-Id: <%s>\n", msgid);
	buf_add_printf(&b, "Date: %s, %d %s %04d %02d:%02d:%02d +0000\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	buf_add_str(&b, "From: ombre <contacts@ombre>\n");
	buf_add_printf(&b, "Subject: contact %s\n", c->id);
	buf_add_printf(&b, "X-Ombre-Kind: contact\nX-Ombre-Contact: %s\n",
	    c->id);
	buf_add_str(&b, "MIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n");
	body = contact_format(c);
	buf_add_str(&b, body);
	free(body);
	return buf_steal(&b);
}

/* Write text as a new file of the Maildir (tmp/, fsync, new/): its path,
 * or NULL with *cause. */
static char *
store_contact_write(struct store *st, const char *id, const char *uuid,
    const char *text, char **cause)
{
	char	*name, *tmp, *path, *dir;
	size_t	 len = strlen(text), off = 0;
	ssize_t	 n;
	int	 fd;

	/* The version's own uuid: never the name of another version, even
	 * one another process writes in the same second. */
	name = xasprintf("%lld.contact-%s-%s.%s", (long long)util_now(), id,
	    uuid, st->host);
	tmp = xasprintf("%s/tmp/%s", st->maildir, name);
	path = xasprintf("%s/new/%s", st->maildir, name);
	free(name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st->file_mode);
	if (fd == -1)
		goto fail;
	while (off < len) {
		if ((n = write(fd, text + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			goto fail;
		}
		off += (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0)
		goto fail;
	dir = xasprintf("%s/new", st->maildir);
	util_fsync_dir(dir);
	free(dir);
	free(tmp);
	return path;
fail:
	*cause = xasprintf(_("writing the contact %s: %s"), id, strerror(errno));
	unlink(tmp);
	free(tmp);
	free(path);
	return NULL;
}

/*
 * Index the file at path as c, and forget the files of old (the previous
 * versions), in one transaction.
 */
static enum store_status
store_contact_index(struct store *st, const struct contact *c,
    const char *path, const struct strset *old, char **cause)
{
	struct store_property	*props;
	const char		*tags[] = { STORE_CONTACT_TAG };
	notmuch_message_t	*nm = NULL;
	notmuch_status_t	 status;
	enum store_status	 rc;
	size_t			 n = 0, i;
	char			*what;

	if ((rc = store_begin(st, "saving a contact", cause)) != STORE_OK)
		return rc;
	props = xcalloc(c->n_identities + 3, sizeof *props);
	props[n].key = "ombre.kind";
	props[n++].value = "contact";
	props[n].key = "ombre.contact";
	props[n++].value = c->id;
	if (c->lang != NULL) {
		props[n].key = "ombre.lang";
		props[n++].value = c->lang;
	}
	for (i = 0; i < c->n_identities; i++) {
		props[n].key = "ombre.identity";
		props[n++].value = c->identities[i];
	}
	status = notmuch_database_index_file(st->db, path, NULL, &nm);
	what = xasprintf("indexing the contact %s", c->id);
	if (status == NOTMUCH_STATUS_SUCCESS)
		status = store_message_replace(nm, tags, 1, props, n);
	if (nm != NULL)
		notmuch_message_destroy(nm);
	free(props);
	for (i = 0; status == NOTMUCH_STATUS_SUCCESS && i < old->n; i++) {
		status = notmuch_database_remove_message(st->db,
		    old->items[i]);
		if (status == NOTMUCH_STATUS_DUPLICATE_MESSAGE_ID)
			status = NOTMUCH_STATUS_SUCCESS;
	}
	if (status != NOTMUCH_STATUS_SUCCESS)
		rc = store_abort(st, what, status, cause);
	else
		rc = store_commit(st, "committing a contact", cause);
	free(what);
	return rc;
}

enum store_status
store_contact_reindex(struct store *st, const char *path, char **cause)
{
	struct strset		 none = { NULL, 0, NULL, 0 };
	struct contact		*c;
	enum store_status	 rc;
	struct buf		 head;
	char			 chunk[512];
	ssize_t			 n;
	int			 fd;

	*cause = NULL;
	/* Only a file that says it is one: never mail that happens to have
	 * "id: c-..." in its body. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return STORE_BAD_INPUT;
	}
	buf_init(&head);
	if ((n = read(fd, chunk, sizeof chunk - 1)) > 0)
		buf_add(&head, chunk, (size_t)n);
	close(fd);
	buf_add_char(&head, '\0');
	if (strstr(head.data, "\nX-Ombre-Kind: contact\n") == NULL) {
		buf_free(&head);
		*cause = xasprintf(_("%s: no contact"), path);
		return STORE_BAD_INPUT;
	}
	buf_free(&head);
	if ((c = store_contact_read_file(path, cause)) == NULL)
		return STORE_BAD_INPUT;
	rc = store_contact_index(st, c, path, &none, cause);
	contact_free(c);
	return rc;
}

enum store_status
store_contact_save(struct store *st, const struct contact *c, char **cause)
{
	struct strset		 old = { NULL, 0, NULL, 0 };
	notmuch_status_t	 status;
	enum store_status	 rc;
	char			*text, *path, *msgid, *out, *at;
	size_t			 i;

	*cause = NULL;
	if (st->mode != STORE_READ_WRITE) {
		*cause = xstrdup(_("saving a contact: the store is read-only"));
		return STORE_BAD_INPUT;
	}
	status = store_contact_files(st, c->id, &old);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf(_("searching the contact %s: %s"), c->id,
		    notmuch_status_to_string(status));
		strset_free(&old);
		return STORE_DB_ERROR;
	}
	out = msgid_outbound();		/* out.UUID@ombre */
	if ((at = strchr(out, '@')) != NULL)
		*at = '\0';
	msgid = xasprintf("contact.%s.%s@ombre", c->id, out + 4);
	text = store_contact_file_text(c, msgid);
	free(msgid);
	path = store_contact_write(st, c->id, out + 4, text, cause);
	free(out);
	free(text);
	if (path == NULL) {
		strset_free(&old);
		return STORE_DB_ERROR;
	}
	rc = store_contact_index(st, c, path, &old, cause);
	if (rc != STORE_OK)
		unlink(path);
	else {
		for (i = 0; i < old.n; i++)
			unlink(old.items[i]);
	}
	free(path);
	strset_free(&old);
	return rc;
}

enum store_status
store_contact_delete(struct store *st, const char *id, char **cause)
{
	struct strset		 old = { NULL, 0, NULL, 0 };
	notmuch_status_t	 status;
	enum store_status	 rc;
	size_t			 i;

	*cause = NULL;
	status = store_contact_files(st, id, &old);
	if (status == NOTMUCH_STATUS_SUCCESS && old.n == 0) {
		strset_free(&old);
		return STORE_OK;
	}
	if (status != NOTMUCH_STATUS_SUCCESS ||
	    (rc = store_begin(st, "removing a contact", cause)) != STORE_OK) {
		if (*cause == NULL)
			*cause = xasprintf(_("searching the contact %s: %s"), id,
			    notmuch_status_to_string(status));
		strset_free(&old);
		return STORE_DB_ERROR;
	}
	for (i = 0; status == NOTMUCH_STATUS_SUCCESS && i < old.n; i++) {
		status = notmuch_database_remove_message(st->db,
		    old.items[i]);
		if (status == NOTMUCH_STATUS_DUPLICATE_MESSAGE_ID)
			status = NOTMUCH_STATUS_SUCCESS;
	}
	if (status != NOTMUCH_STATUS_SUCCESS)
		rc = store_abort(st, "removing a contact", status, cause);
	else
		rc = store_commit(st, "committing a contact's removal", cause);
	for (i = 0; rc == STORE_OK && i < old.n; i++)
		unlink(old.items[i]);
	strset_free(&old);
	return rc;
}

/*
 * The notmuch query of the conversations of an identity: its customer's
 * messages, by the address ombre writes for a sender (store-ingest.c:
 * the id's local part, "@CHANNEL.ombre"); an e-mail address also as the
 * user's own mail has it. NULL for an identity on no channel (phone:).
 */
static char *
store_contact_identity_query(const char *identity)
{
	const char	*colon = strchr(identity, ':'), *p;
	char		 channel[32];
	struct buf	 b;

	contact_identity_channel(identity, channel, sizeof channel);
	if (*channel == '\0' || colon == NULL)
		return NULL;
	buf_init(&b);
	buf_add_str(&b, "from:\"");
	for (p = colon + 1; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("+-_", *p) != NULL)
			buf_add_char(&b, *p);
		else
			buf_add_printf(&b, "=%02X", (unsigned char)*p);
	}
	buf_add_printf(&b, "@%s.ombre\"", channel);
	if (strcmp(channel, "email") == 0)
		buf_add_printf(&b, " or from:\"%s\"", colon + 1);
	return buf_steal(&b);
}

/* The query of every conversation of c's identities (or of identity
 * alone when c is NULL), or NULL. */
static char *
store_contact_convs_query(const struct contact *c, const char *identity)
{
	struct buf	 b;
	const char	*each;
	char		*one;
	size_t		 i, n = c != NULL ? c->n_identities : 1;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		each = c != NULL ? c->identities[i] : identity;
		if ((one = store_contact_identity_query(each)) == NULL)
			continue;
		buf_add_printf(&b, "%s(%s)", b.len > 0 ? " or " : "", one);
		free(one);
	}
	return b.len > 0 ? buf_steal(&b) : NULL;
}

enum store_status
store_contact_convs(struct store *st, const struct contact *c,
    const char *identity, struct store_conv ***out, size_t *n, char **cause)
{
	enum store_status	 rc;
	char			*query = NULL;

	*out = NULL;
	*n = 0;
	*cause = NULL;
	if (c != NULL || identity != NULL)
		query = store_contact_convs_query(c, identity);
	if (query == NULL)
		return STORE_OK;
	rc = store_query_convs(st, query, 0, STORE_CONTACT_CONVS_MAX, out, n,
	    cause);
	free(query);
	return rc;
}

enum store_status
store_contact_others(struct store *st, const char *thread_id,
    char **known, struct contact **contact, struct store_conv ***out,
    size_t *n, char **cause)
{
	struct store_conv	**convs;
	enum store_status	  rc;
	char			 *identity;
	size_t			  i, k = 0;

	*out = NULL;
	*n = 0;
	*contact = NULL;
	*cause = NULL;
	/* The identity a reader knows already spares it the conversation's
	 * summary (the thread view reads this at each change). */
	if (known != NULL && *known != NULL) {
		identity = xstrdup(*known);
		rc = store_contact_of_identity(st, identity, contact, cause);
	} else
		rc = store_contact_of(st, thread_id, contact, &identity, cause);
	if (rc == STORE_OK && known != NULL && *known == NULL &&
	    identity != NULL)
		*known = xstrdup(identity);
	if (rc != STORE_OK || identity == NULL) {
		free(identity);
		return rc;
	}
	rc = store_contact_convs(st, *contact, identity, &convs, n, cause);
	free(identity);
	if (rc != STORE_OK)
		return rc;
	for (i = 0; i < *n; i++) {
		if (strcmp(convs[i]->thread_id, thread_id) == 0)
			store_conv_free(convs[i]);
		else
			convs[k++] = convs[i];
	}
	*n = k;
	*out = convs;
	return STORE_OK;
}

/*
 * The language of a customer's newest message that said one (Telegram's
 * from.language_code), in a thread: allocated, or NULL.
 */
static char *
store_contact_msg_lang(struct store *st, const char *thread_id)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	const char		*lang = NULL;
	char			*query, *out = NULL;

	query = xasprintf("thread:%s and property:ombre.kind=customer",
	    thread_id);
	if (store_query_messages(st, query, NOTMUCH_SORT_NEWEST_FIRST, &q,
	    &msgs) != NOTMUCH_STATUS_SUCCESS) {
		free(query);
		return NULL;
	}
	free(query);
	for (; out == NULL && notmuch_messages_valid(msgs);
	    notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL)
			break;
		lang = NULL;
		if (notmuch_message_get_property(nm, "ombre.lang", &lang) ==
		    NOTMUCH_STATUS_SUCCESS && lang != NULL)
			out = contact_lang_normalise(lang);
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	return out;
}

char *
store_contact_language(struct store *st, const char *thread_id)
{
	struct contact	*c;
	char		*identity, *cause = NULL, *lang = NULL;

	if (store_contact_of(st, thread_id, &c, &identity, &cause) ==
	    STORE_OK && c != NULL && c->lang != NULL)
		lang = xstrdup(c->lang);
	free(cause);
	free(identity);
	contact_free(c);
	if (lang == NULL) {
		store_read_begin(st);
		lang = store_contact_msg_lang(st, thread_id);
		store_read_end(st);
	}
	return lang;
}

char *
store_contact_language_of_msg(struct store *st, const struct msg *m)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	const char		*lang;
	char			*identity, *term, *query, *out = NULL;

	identity = contact_identity_of(m->channel, m->from_id);
	if (identity != NULL) {
		term = store_contact_term("ombre.identity", identity);
		query = xasprintf("tag:%s and %s", STORE_CONTACT_TAG, term);
		free(term);
		if (store_query_messages(st, query, NOTMUCH_SORT_NEWEST_FIRST,
		    &q, &msgs) == NOTMUCH_STATUS_SUCCESS) {
			if (notmuch_messages_valid(msgs) &&
			    (nm = notmuch_messages_get(msgs)) != NULL) {
				lang = NULL;
				if (notmuch_message_get_property(nm,
				    "ombre.lang", &lang) ==
				    NOTMUCH_STATUS_SUCCESS && lang != NULL)
					out = xstrdup(lang);
				notmuch_message_destroy(nm);
			}
			notmuch_query_destroy(q);
		}
		free(query);
		free(identity);
	}
	if (out == NULL && m->lang != NULL)
		out = contact_lang_normalise(m->lang);
	return out;
}

/*
 * The contact of a conversation to write to: its own, or a new one
 * holding its identity and its customer's name (*made).
 */
static enum store_status
store_contact_for_write(struct store *st, const char *thread_id,
    struct contact **out, char **identity, int *made, char **cause)
{
	struct store_conv	*conv;
	enum store_status	 rc;

	*out = NULL;
	*made = 0;
	if ((rc = store_contact_conv(st, thread_id, &conv, identity, cause)) !=
	    STORE_OK)
		return rc;
	if (*identity == NULL) {
		*cause = xasprintf(_("conversation %s has no customer id a "
		    "contact can hold"), conv->short_id);
		store_conv_free(conv);
		return STORE_BAD_INPUT;
	}
	rc = store_contact_of_identity(st, *identity, out, cause);
	if (rc == STORE_OK && *out == NULL) {
		*made = 1;
		*out = contact_new(NULL);
		contact_add_identity(*out, *identity);
		if (conv->customer_name != NULL && *conv->customer_name != '\0')
			contact_set_name(*out, conv->customer_name);
	}
	store_conv_free(conv);
	return rc;
}

enum store_status
store_contact_target(struct store *st, const char *thread_id,
    struct contact **out, char **cause)
{
	enum store_status	 rc;
	char			*identity = NULL;
	int			 made;

	*cause = NULL;
	rc = store_contact_for_write(st, thread_id, out, &identity, &made,
	    cause);
	free(identity);
	return rc;
}

/*
 * Tag the conversations of a contact (or of a lone identity) with the
 * number of channels the person wrote on (CONTACT_CHANNELS_TAG_PREFIX, 2 or
 * more), the tag of a count that changed removed: the risk score reads it
 * from a row's tags instead of a contact's query per row.
 */
static enum store_status
store_contact_tag_channels(struct store *st, const struct contact *c,
    const char *identity, char **cause)
{
	struct store_conv	**convs;
	struct strset		  channels = { NULL, 0, NULL, 0 };
	struct strset		  stale = { NULL, 0, NULL, 0 };
	enum store_status	  rc;
	char			 *query, **ops, *want = NULL;
	size_t			  n, i, k, len = strlen(CONTACT_CHANNELS_TAG_PREFIX);
	long			  changed;
	int			  n_ops = 0;

	if ((rc = store_contact_convs(st, c, identity, &convs, &n, cause)) !=
	    STORE_OK)
		return rc;
	for (i = 0; i < n; i++)
		strset_add(&channels, convs[i]->channel);
	if (channels.n >= 2)
		want = xasprintf("%s%zu", CONTACT_CHANNELS_TAG_PREFIX,
		    channels.n);
	for (i = 0; i < n; i++) {
		for (k = 0; convs[i]->tags != NULL &&
		    convs[i]->tags[k] != NULL; k++) {
			if (strncmp(convs[i]->tags[k],
			    CONTACT_CHANNELS_TAG_PREFIX, len) == 0 &&
			    (want == NULL || strcmp(convs[i]->tags[k],
			    want) != 0))
				strset_add(&stale, convs[i]->tags[k]);
		}
	}
	store_convs_free(convs, n);
	query = store_contact_convs_query(c, identity);
	ops = xreallocarray(NULL, stale.n + 1, sizeof *ops);
	for (i = 0; i < stale.n; i++)
		ops[n_ops++] = xasprintf("-%s", stale.items[i]);
	if (want != NULL)
		ops[n_ops++] = xasprintf("+%s", want);
	if (query != NULL && n_ops > 0) {
		rc = store_tag(st, query, ops, n_ops, &changed, cause);
		if (rc == STORE_NOT_FOUND) {	/* none to tag: not an error */
			free(*cause);
			*cause = NULL;
			rc = STORE_OK;
		}
	}
	for (i = 0; i < (size_t)n_ops; i++)
		free(ops[i]);
	free(ops);
	free(want);
	free(query);
	strset_free(&channels);
	strset_free(&stale);
	return rc;
}

enum store_status
store_contact_link(struct store *st, const char *thread_a,
    const char *thread_b, struct contact **out, char **cause)
{
	struct contact		*a = NULL, *b = NULL, *swap;
	enum store_status	 rc;
	char			*id_a = NULL, *id_b = NULL;
	int			 made_a, made_b;

	*cause = NULL;
	*out = NULL;
	if ((rc = store_contact_for_write(st, thread_a, &a, &id_a, &made_a,
	    cause)) != STORE_OK ||
	    (rc = store_contact_for_write(st, thread_b, &b, &id_b, &made_b,
	    cause)) != STORE_OK)
		goto out;
	/* A contact that exists keeps its id (and name): the other joins
	 * it. */
	if (made_a && !made_b) {
		swap = a;
		a = b;
		b = swap;
	}
	if (strcmp(a->id, b->id) == 0 || strcmp(id_a, id_b) == 0) {
		*cause = xasprintf(_("both are already %s's"), a->name != NULL ?
		    a->name : a->id);
		rc = STORE_DUPLICATE;
		goto out;
	}
	contact_merge(a, b);
	if ((rc = store_contact_save(st, a, cause)) != STORE_OK)
		goto out;
	/* b's file, when it had one, is a's now. */
	if ((rc = store_contact_delete(st, b->id, cause)) != STORE_OK)
		goto out;
	if ((rc = store_contact_tag_channels(st, a, NULL, cause)) !=
	    STORE_OK)
		goto out;
	*out = a;
	a = NULL;
out:
	free(id_a);
	free(id_b);
	contact_free(a);
	contact_free(b);
	return rc;
}

enum store_status
store_contact_unlink(struct store *st, const char *thread_id,
    struct contact **out, char **cause)
{
	struct contact		*c = NULL;
	enum store_status	 rc;
	char			*identity = NULL;

	*cause = NULL;
	*out = NULL;
	rc = store_contact_of(st, thread_id, &c, &identity, cause);
	if (rc != STORE_OK)
		goto out;
	if (c == NULL || c->n_identities < 2) {
		*cause = xasprintf(_("conversation %s is linked to no other"),
		    thread_id);
		rc = STORE_NOT_FOUND;
		goto out;
	}
	/* The identity leaves: its conversations are a person of their own
	 * again, the contact keeps the others with its notes. */
	contact_remove_identity(c, identity);
	if ((rc = store_contact_save(st, c, cause)) != STORE_OK)
		goto out;
	if ((rc = store_contact_tag_channels(st, c, NULL, cause)) !=
	    STORE_OK ||
	    (rc = store_contact_tag_channels(st, NULL, identity, cause)) !=
	    STORE_OK)
		goto out;
	*out = c;
	c = NULL;
out:
	free(identity);
	contact_free(c);
	return rc;
}

/* ------------------------------------------------------ suggestions */

/* One identity seen: whose it is (a contact's id, else itself), one of
 * its conversations, and the key it matches by. */
struct store_contact_seen {
	char	*key;
	char	*identity;
	char	*owner;		/* contact id, or the identity */
	char	*conv;		/* short thread id, or NULL */
};

static int
store_contact_seen_cmp(const void *a, const void *b)
{
	const struct store_contact_seen	*sa = a, *sb = b;
	int				 d;

	if ((d = strcmp(sa->key, sb->key)) != 0)
		return d;
	return strcmp(sa->owner, sb->owner);
}

static int
store_contact_identity_cmp(const void *a, const void *b)
{
	return strcmp(((const struct store_contact_seen *)a)->identity,
	    ((const struct store_contact_seen *)b)->identity);
}

static void
store_contact_seen_add(struct store_contact_seen **v, size_t *n,
    const char *identity, const char *owner, const char *conv)
{
	struct store_contact_seen	*s;
	char				*key;

	if ((key = contact_identity_key(identity)) == NULL)
		return;
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	s = &(*v)[(*n)++];
	s->key = key;
	s->identity = xstrdup(identity);
	s->owner = xstrdup(owner);
	s->conv = conv != NULL ? xstrdup(conv) : NULL;
}

/* The conversations' identities that have a key: the customers of the
 * channels that give a phone number or an address. */
static notmuch_status_t
store_contact_walk(struct store *st, struct strset *threads,
    struct strset *identities, struct strset *convs)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_status_t	 status;
	const char		*channel, *from, *tid;
	char			*query, *name, *addr, *id, *identity, *key;

	if (st->opts.database != NULL && st->opts.mail_query != NULL &&
	    *st->opts.mail_query != '\0')
		query = xasprintf("property:ombre.kind=customer and "
		    "(property:ombre.channel=whatsapp or "
		    "property:ombre.channel=sms or "
		    "property:ombre.channel=email) or (not path:ombre/** and "
		    "(%s))", st->opts.mail_query);
	else
		query = xstrdup("property:ombre.kind=customer and "
		    "(property:ombre.channel=whatsapp or "
		    "property:ombre.channel=sms or "
		    "property:ombre.channel=email)");
	status = store_query_messages(st, query, NOTMUCH_SORT_NEWEST_FIRST,
	    &q, &msgs);
	free(query);
	if (status != NOTMUCH_STATUS_SUCCESS)
		return status;
	for (; notmuch_messages_valid(msgs);
	    notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL) {
			status = NOTMUCH_STATUS_XAPIAN_EXCEPTION;
			break;
		}
		tid = notmuch_message_get_thread_id(nm);
		if (tid == NULL || strset_has(threads, tid)) {
			notmuch_message_destroy(nm);
			continue;
		}
		strset_add(threads, tid);
		channel = NULL;
		notmuch_message_get_property(nm, "ombre.channel", &channel);
		from = notmuch_message_get_header(nm, "from");
		store_split_from(from != NULL ? from : "", &name, &addr);
		id = store_decode_local_part(addr);
		identity = contact_identity_of(channel != NULL ? channel :
		    "email", id);
		if (identity != NULL &&
		    (key = contact_identity_key(identity)) != NULL) {
			if (strset_add(identities, identity)) {
				while (*tid == '0' && tid[1] != '\0')
					tid++;
				strset_add(convs, tid);
			}
			free(key);
		}
		free(identity);
		free(id);
		free(name);
		free(addr);
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	return status;
}

/* The newest conversation of contact id (its short id), or NULL. */
static char *
store_contact_some_conv(struct store *st, struct contact *const *contacts,
    size_t n, const char *id)
{
	struct store_conv	**convs;
	size_t			  i, k;
	char			 *cause = NULL, *out = NULL;

	for (i = 0; i < n && strcmp(contacts[i]->id, id) != 0; i++)
		;
	if (i == n)
		return NULL;
	if (store_contact_convs(st, contacts[i], NULL, &convs, &k, &cause) ==
	    STORE_OK && k > 0)
		out = xstrdup(convs[0]->short_id);
	free(cause);
	store_convs_free(convs, k);
	return out;
}

/* A conversation of the owner of one: its own, else one of another of
 * the owner's identities (allocated, or NULL). */
static char *
store_contact_owner_conv(const struct store_contact_seen *seen, size_t n,
    const struct store_contact_seen *one)
{
	size_t	i;

	if (one->conv != NULL)
		return xstrdup(one->conv);
	for (i = 0; i < n; i++) {
		if (seen[i].conv != NULL && strcmp(seen[i].owner,
		    one->owner) == 0)
			return xstrdup(seen[i].conv);
	}
	return NULL;
}

void
store_contact_suggestions_free(struct store_contact_suggestion *s, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i++) {
		free(s[i].key);
		for (j = 0; j < s[i].n; j++) {
			free(s[i].owners[j]);
			free(s[i].identities[j]);
			free(s[i].convs[j]);
		}
		free(s[i].owners);
		free(s[i].identities);
		free(s[i].convs);
	}
	free(s);
}

enum store_status
store_contact_suggest(struct store *st, struct store_contact_suggestion **out,
    size_t *n_out, char **cause)
{
	struct contact			**contacts;
	struct store_contact_seen	 *seen = NULL, *found, probe;
	struct store_contact_seen	 *known = NULL;
	struct store_contact_suggestion	 *s;
	struct strset			  threads = { NULL, 0, NULL, 0 };
	struct strset			  identities = { NULL, 0, NULL, 0 };
	struct strset			  convs = { NULL, 0, NULL, 0 };
	notmuch_status_t		  status;
	enum store_status		  rc;
	size_t				  n_contacts, n_seen = 0, n_known = 0;
	size_t				  i, j, k, first;

	*out = NULL;
	*n_out = 0;
	*cause = NULL;
	store_read_begin(st);
	rc = store_contact_search(st, "*", 0, &contacts, &n_contacts, cause);
	if (rc != STORE_OK) {
		store_read_end(st);
		return rc;
	}
	status = store_contact_walk(st, &threads, &identities, &convs);
	store_read_end(st);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf(_("reading the conversations: %s"),
		    notmuch_status_to_string(status));
		store_contacts_free(contacts, n_contacts);
		strset_free(&threads);
		strset_free(&identities);
		strset_free(&convs);
		return STORE_DB_ERROR;
	}
	/* Each contact's identities are its own; the conversations' others
	 * each a person of their own. */
	for (i = 0; i < n_contacts; i++) {
		for (j = 0; j < contacts[i]->n_identities; j++) {
			known = xreallocarray(known, n_known + 1,
			    sizeof *known);
			known[n_known].identity =
			    contacts[i]->identities[j];
			known[n_known++].owner = contacts[i]->id;
		}
	}
	qsort(known, n_known, sizeof *known, store_contact_identity_cmp);
	for (i = 0; i < identities.n; i++) {
		probe.identity = identities.items[i];
		found = n_known > 0 ? bsearch(&probe, known, n_known,
		    sizeof *known, store_contact_identity_cmp) : NULL;
		store_contact_seen_add(&seen, &n_seen, identities.items[i],
		    found != NULL ? found->owner : identities.items[i],
		    convs.items[i]);
	}
	/* A contact's identity no conversation has (phone:, e-mail typed
	 * by hand) still matches. */
	for (i = 0; i < n_known; i++) {
		if (!strset_has(&identities, known[i].identity))
			store_contact_seen_add(&seen, &n_seen,
			    known[i].identity, known[i].owner, NULL);
	}
	free(known);
	/* A contact whose keyed identities have no conversation (phone:,
	 * mail:) is shown by another of its conversations, to link. */
	for (i = 0; i < n_seen; i++) {
		if (seen[i].conv == NULL && contact_id_valid(seen[i].owner))
			seen[i].conv = store_contact_some_conv(st, contacts,
			    n_contacts, seen[i].owner);
	}
	qsort(seen, n_seen, sizeof *seen, store_contact_seen_cmp);
	/* A key that two owners share is a suggestion. */
	for (first = 0; first < n_seen; first = i) {
		for (i = first + 1; i < n_seen && strcmp(seen[i].key,
		    seen[first].key) == 0; i++)
			;
		for (k = 1, j = first + 1; j < i; j++) {
			if (strcmp(seen[j].owner, seen[j - 1].owner) != 0)
				k++;
		}
		if (k < 2)
			continue;
		*out = xreallocarray(*out, *n_out + 1, sizeof **out);
		s = &(*out)[(*n_out)++];
		memset(s, 0, sizeof *s);
		s->key = xstrdup(seen[first].key);
		for (j = first; j < i; j++) {
			if (j > first && strcmp(seen[j].owner,
			    seen[j - 1].owner) == 0) {
				/* One owner once, with a conversation. */
				if (s->convs[s->n - 1] == NULL &&
				    seen[j].conv != NULL)
					s->convs[s->n - 1] =
					    xstrdup(seen[j].conv);
				continue;
			}
			s->owners = xreallocarray(s->owners, s->n + 1,
			    sizeof *s->owners);
			s->identities = xreallocarray(s->identities, s->n + 1,
			    sizeof *s->identities);
			s->convs = xreallocarray(s->convs, s->n + 1,
			    sizeof *s->convs);
			s->owners[s->n] = contact_id_valid(seen[j].owner) ?
			    xstrdup(seen[j].owner) : NULL;
			s->identities[s->n] = xstrdup(seen[j].identity);
			s->convs[s->n] = store_contact_owner_conv(seen,
			    n_seen, &seen[j]);
			s->n++;
		}
	}
	for (i = 0; i < n_seen; i++) {
		free(seen[i].key);
		free(seen[i].identity);
		free(seen[i].owner);
		free(seen[i].conv);
	}
	free(seen);
	store_contacts_free(contacts, n_contacts);
	strset_free(&threads);
	strset_free(&identities);
	strset_free(&convs);
	return STORE_OK;
}
