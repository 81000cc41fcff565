/*
 * sync-client.c: what any process reads of the syncer and asks of it,
 * through files in the data dir: who holds the sync lock, the channels'
 * states in DATA/sync/status (read once into a struct sync_state, said
 * by sync --status and the console alike, in the user's language), the
 * items kept in DATA/sync/quarantine, and requests for attachments
 * dropped in DATA/sync/fetch; and the
 * webhook receiver's DATA/webhook/status, for the same readers. Nothing here
 * links the adapters or the network: the console and the one-shot
 * commands call it from the program ombre.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync/sync-private.h"

#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

long
sync_lock_holder(const char *data_dir)
{
	char	*path, buf[32];
	ssize_t	 n;
	int	 fd;
	long	 pid = 0;

	path = xasprintf("%s/sync.lock", data_dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd == -1)
		return errno == ENOENT ? 0 : -1;
	if (flock(fd, LOCK_SH | LOCK_NB) == 0) {
		close(fd);
		return 0;
	}
	n = pread(fd, buf, sizeof buf - 1, 0);
	if (n > 0) {
		buf[n] = '\0';
		pid = strtol(buf, NULL, 10);
	}
	close(fd);
	return pid > 0 ? pid : 1;
}

/* Split line at tabs into at most n fields; return how many. */
static size_t
sync_status_fields(char *line, char **f, size_t n)
{
	size_t	i;

	f[0] = line;
	for (i = 1; i < n; i++) {
		if ((f[i] = strchr(f[i - 1], '\t')) == NULL)
			break;
		*f[i]++ = '\0';
	}
	return i;
}

/*
 * The file is one line a fact, fields split by tabs (sync.c's
 * sync_write_status): a line too short is torn (the file is overwritten
 * in place on a full disk) and skipped; of index, hooks and quarantined
 * the last line wins.
 */
int
sync_state_read(const char *data_dir, struct sync_state *st)
{
	struct sync_state_channel	*c;
	char				*path, line[8192], *f[5];
	FILE				*in;
	size_t				 n;

	memset(st, 0, sizeof *st);
	st->holder = sync_lock_holder(data_dir);
	path = xasprintf("%s/sync/status", data_dir);
	in = fopen(path, "re");
	free(path);
	if (in == NULL)
		return st->holder > 0 ? 0 : -1;
	st->found = 1;
	while (fgets(line, sizeof line, in) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "index\t", 6) == 0) {
			n = sync_status_fields(line + 6, f, 2);
			st->has_index = 1;
			st->index_pending = strtol(f[0], NULL, 10);
			free(st->index_error);
			st->index_error = xstrdup(n == 2 ? f[1] : "");
		} else if (strncmp(line, "hooks\t", 6) == 0) {
			/* run, failed, dropped, when, last failure */
			if (sync_status_fields(line + 6, f, 5) < 5)
				continue;
			st->has_hooks = 1;
			st->hooks_run = strtol(f[0], NULL, 10);
			st->hooks_failed = strtol(f[1], NULL, 10);
			st->hooks_dropped = strtol(f[2], NULL, 10);
			st->hooks_last_when = strtoll(f[3], NULL, 10);
			free(st->hooks_last);
			st->hooks_last = xstrdup(f[4]);
		} else if (strncmp(line, "quarantined\t", 12) == 0)
			st->quarantined = strtol(line + 12, NULL, 10);
		else if (strncmp(line, "channel\t", 8) == 0) {
			/* name, type, state, until, error */
			if (sync_status_fields(line + 8, f, 5) < 5)
				continue;
			st->channels = xreallocarray(st->channels, st->n + 1,
			    sizeof *st->channels);
			c = &st->channels[st->n++];
			c->name = xstrdup(f[0]);
			c->type = xstrdup(f[1]);
			c->state = xstrdup(f[2]);
			c->until = strtoll(f[3], NULL, 10);
			c->error = xstrdup(f[4]);
		}
	}
	fclose(in);
	return 0;
}

void
sync_state_free(struct sync_state *st)
{
	size_t	i;

	for (i = 0; i < st->n; i++) {
		free(st->channels[i].name);
		free(st->channels[i].type);
		free(st->channels[i].state);
		free(st->channels[i].error);
	}
	free(st->channels);
	free(st->index_error);
	free(st->hooks_last);
	memset(st, 0, sizeof *st);
}

char *
sync_state_channel_phrase(const struct sync_state_channel *c, int64_t now)
{
	struct buf	 b;
	char		 when[32];
	time_t		 t = (time_t)c->until, tn = (time_t)now;
	struct tm	 tm, tm_now;

	buf_init(&b);
	/* The state is stored in C (N_() in sync.c): shown here; "" is
	 * not looked up (gettext's answer to it is the catalog's header). */
	buf_add_printf(&b, _("%s (%s): %s"), c->name, c->type,
	    *c->state != '\0' ? _(c->state) : "");
	if (c->until > 0 && localtime_r(&t, &tm) != NULL) {
		if (now > 0 && localtime_r(&tn, &tm_now) != NULL &&
		    tm.tm_year == tm_now.tm_year && tm.tm_yday == tm_now.tm_yday)
			strftime(when, sizeof when, "%H:%M:%S", &tm);
		else
			strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
		buf_add_printf(&b, _(" until %s"), when);
	}
	if (*c->error != '\0')
		buf_add_printf(&b, _(": %s"), c->error);
	return buf_steal(&b);
}

int
sync_state_notes(const struct sync_state *st, struct buf *b,
    const char *sep)
{
	char		 when[32] = "";
	time_t		 t = (time_t)st->hooks_last_when;
	struct tm	 tm;
	int		 n = 0;

	if (st->quarantined > 0) {
		if (b->len > 0)
			buf_add_str(b, sep);
		buf_add_printf(b, ngettext("%ld update quarantined: see `ombre "
		    "sync --quarantine`", "%ld updates quarantined: see `ombre "
		    "sync --quarantine`", (unsigned long)st->quarantined),
		    st->quarantined);
		n++;
	}
	if (st->has_index) {
		if (b->len > 0)
			buf_add_str(b, sep);
		buf_add_printf(b, ngettext("index: %ld message delivered, not "
		    "indexed yet%s%s", "index: %ld messages delivered, not "
		    "indexed yet%s%s", (unsigned long)st->index_pending),
		    st->index_pending, *st->index_error != '\0' ? _(": ") : "",
		    st->index_error);
		n++;
	}
	/* "hooks: 12 run, 1 failed (last: handoff: exit 3, 14:02)" */
	if (st->has_hooks) {
		if (b->len > 0)
			buf_add_str(b, sep);
		buf_add_printf(b, _("hooks: %ld run, %ld failed"),
		    st->hooks_run, st->hooks_failed);
		if (t > 0 && localtime_r(&t, &tm) != NULL)
			strftime(when, sizeof when, "%H:%M", &tm);
		if (*st->hooks_last != '\0')
			buf_add_printf(b, _(" (last: %s%s%s)"), st->hooks_last,
			    *when != '\0' ? ", " : "", when);
		if (st->hooks_dropped > 0)
			buf_add_printf(b, _(", %ld dropped (too many waiting)"),
			    st->hooks_dropped);
		n++;
	}
	return n;
}

char *
sync_channel_state(const char *data_dir, const char *name)
{
	struct sync_state	 st;
	char			*state = NULL;
	size_t			 i;

	sync_state_read(data_dir, &st);
	/* With no syncer, what the file says is stale. */
	for (i = 0; st.holder > 0 && state == NULL && i < st.n; i++)
		if (strcmp(st.channels[i].name, name) == 0)
			state = xstrdup(st.channels[i].state);
	sync_state_free(&st);
	return state;
}

int
sync_status_print(const char *data_dir, FILE *out)
{
	struct sync_state	 st;
	struct buf		 notes;
	char			*phrase, *clean;
	size_t			 i;
	int			 rc;

	rc = sync_state_read(data_dir, &st);
	if (st.holder > 0)
		fprintf(out, _("syncer: running (pid %ld)\n"), st.holder);
	else
		fprintf(out, _("syncer: not running\n"));
	/* Names and errors come from the config and the channels' servers:
	 * no control character of theirs reaches the terminal. */
	for (i = 0; i < st.n; i++) {
		phrase = sync_state_channel_phrase(&st.channels[i], 0);
		clean = sanitize(phrase, strlen(phrase), SANITIZE_LINE, 0);
		fprintf(out, "%s\n", clean);
		free(clean);
		free(phrase);
	}
	buf_init(&notes);
	if (sync_state_notes(&st, &notes, "\n") > 0) {
		clean = sanitize(notes.data, notes.len, SANITIZE_BODY, 0);
		fprintf(out, "%s\n", clean);
		free(clean);
	}
	buf_free(&notes);
	sync_state_free(&st);
	return rc;
}

int
sync_has_channels(void)
{
	const struct channel_config	*ccs;
	size_t				 n, i;

	ccs = channel_config_all(&n);
	for (i = 0; i < n; i++)
		if (chan_type_synced(ccs[i].type))
			return 1;
	return 0;
}

int
sync_has_webhook_channels(void)
{
	const struct channel_config	*ccs;
	size_t				 n, i;

	ccs = channel_config_all(&n);
	for (i = 0; i < n; i++)
		if (channel_config_webhook_type(ccs[i].type))
			return 1;
	return 0;
}

int
sync_status_json(const char *data_dir, struct json_obj *root)
{
	struct sync_state		 st;
	const struct sync_state_channel *c;
	struct json_obj			*o;
	size_t				 i;
	int				 rc;

	rc = sync_state_read(data_dir, &st);
	o = json_obj_new();
	json_obj_set_bool(o, "running", st.holder > 0);
	if (st.holder > 0)
		json_obj_set_int(o, "pid", st.holder);
	else
		json_obj_set_str(o, "pid", NULL);
	json_obj_set_obj(root, "syncer", o);
	json_obj_set_int(root, "quarantined", st.quarantined);
	if (st.has_index) {
		o = json_obj_new();
		json_obj_set_int(o, "pending", st.index_pending);
		json_obj_set_str(o, "error", *st.index_error != '\0' ?
		    st.index_error : NULL);
		json_obj_set_obj(root, "index", o);
	} else
		json_obj_set_str(root, "index", NULL);
	if (st.has_hooks) {
		o = json_obj_new();
		json_obj_set_int(o, "run", st.hooks_run);
		json_obj_set_int(o, "failed", st.hooks_failed);
		json_obj_set_int(o, "dropped", st.hooks_dropped);
		json_obj_set_int(o, "last_failure_date", st.hooks_last_when);
		json_obj_set_str(o, "last_failure", *st.hooks_last != '\0' ?
		    st.hooks_last : NULL);
		json_obj_set_obj(root, "hooks", o);
	} else
		json_obj_set_str(root, "hooks", NULL);
	json_obj_set_strv(root, "channels", NULL, 0);
	for (i = 0; i < st.n; i++) {
		c = &st.channels[i];
		o = json_obj_new();
		json_obj_set_str(o, "name", c->name);
		json_obj_set_str(o, "type", c->type);
		json_obj_set_str(o, "state", c->state);
		if (c->until > 0)
			json_obj_set_int(o, "until", c->until);
		else
			json_obj_set_str(o, "until", NULL);
		json_obj_set_str(o, "error", *c->error != '\0' ? c->error :
		    NULL);
		json_obj_append_obj(root, "channels", o);
	}
	sync_state_free(&st);
	return rc;
}

void
sync_webhook_json(const struct sync_webhook *ws, int declared,
    struct json_obj *root)
{
	struct json_obj			*o, *c;
	const struct sync_webhook_channel *ch;
	size_t				 i;

	if (!ws->found && !declared) {
		json_obj_set_str(root, "webhook", NULL);
		return;
	}
	o = json_obj_new();
	json_obj_set_bool(o, "running", ws->running);
	/* As the syncer's: a pid only while it runs (a stopped one's is
	 * another process's by now, or none). */
	if (ws->running)
		json_obj_set_int(o, "pid", ws->pid);
	else
		json_obj_set_str(o, "pid", NULL);
	json_obj_set_str(o, "listen", ws->listen);
	/* Seconds, or null when not known (as until is). */
	if (ws->started > 0)
		json_obj_set_int(o, "started", ws->started);
	else
		json_obj_set_str(o, "started", NULL);
	if (ws->stopped > 0)
		json_obj_set_int(o, "stopped", ws->stopped);
	else
		json_obj_set_str(o, "stopped", NULL);
	json_obj_set_strv(o, "channels", NULL, 0);
	for (i = 0; i < ws->n; i++) {
		ch = &ws->channels[i];
		c = json_obj_new();
		json_obj_set_str(c, "name", ch->name);
		json_obj_set_int(c, "received", ch->received);
		json_obj_set_int(c, "last_received", ch->last_received);
		json_obj_set_int(c, "bad_signatures", ch->bad_signatures);
		json_obj_set_int(c, "last_bad_signature",
		    ch->last_bad_signature);
		json_obj_set_int(c, "refused", ch->refused);
		json_obj_set_int(c, "last_failure_date", ch->last_failure_when);
		json_obj_set_str(c, "last_failure", ch->last_failure != NULL &&
		    *ch->last_failure != '\0' ? ch->last_failure : NULL);
		json_obj_append_obj(o, "channels", c);
	}
	json_obj_set_obj(root, "webhook", o);
}

void
sync_webhook_read(const char *data_dir, struct sync_webhook *ws)
{
	struct sync_webhook_channel	*c;
	char				*path, line[4096], *f[8], *v;
	FILE				*in;
	size_t				 i;

	memset(ws, 0, sizeof *ws);
	path = xasprintf("%s/webhook/status", data_dir);
	in = fopen(path, "re");
	free(path);
	if (in == NULL)
		return;
	ws->found = 1;
	while (fgets(line, sizeof line, in) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((v = strchr(line, '\t')) == NULL)
			continue;
		*v++ = '\0';
		if (strcmp(line, "pid") == 0)
			ws->pid = strtol(v, NULL, 10);
		else if (strcmp(line, "listen") == 0) {
			free(ws->listen);
			ws->listen = xstrdup(v);
		} else if (strcmp(line, "started") == 0)
			ws->started = strtoll(v, NULL, 10);
		else if (strcmp(line, "stopped") == 0)
			ws->stopped = strtoll(v, NULL, 10);
		else if (strcmp(line, "channel") == 0) {
			/* name, received, last, bad, last bad, refused,
			 * failure time, failure */
			f[0] = v;
			for (i = 1; i < 8; i++) {
				if ((f[i] = strchr(f[i - 1], '\t')) == NULL)
					break;
				*f[i]++ = '\0';
			}
			if (i < 8)
				continue;
			ws->channels = xreallocarray(ws->channels, ws->n + 1,
			    sizeof *ws->channels);
			c = &ws->channels[ws->n++];
			c->name = xstrdup(f[0]);
			c->received = strtol(f[1], NULL, 10);
			c->last_received = strtoll(f[2], NULL, 10);
			c->bad_signatures = strtol(f[3], NULL, 10);
			c->last_bad_signature = strtoll(f[4], NULL, 10);
			c->refused = strtol(f[5], NULL, 10);
			c->last_failure_when = strtoll(f[6], NULL, 10);
			c->last_failure = xstrdup(f[7]);
		}
	}
	fclose(in);
	ws->running = ws->stopped == 0 && util_pid_alive((pid_t)ws->pid);
}

void
sync_webhook_free(struct sync_webhook *ws)
{
	size_t	i;

	for (i = 0; i < ws->n; i++) {
		free(ws->channels[i].name);
		free(ws->channels[i].last_failure);
	}
	free(ws->channels);
	free(ws->listen);
	memset(ws, 0, sizeof *ws);
}

/* A time as the status says it: the time of day on now's day, else the
 * date too. */
static void
sync_webhook_when(int64_t t, int64_t now, char *out, size_t size)
{
	time_t		tt = (time_t)t, tn = (time_t)now;
	struct tm	tm, tm_now;

	snprintf(out, size, "?");
	if (t <= 0 || localtime_r(&tt, &tm) == NULL)
		return;
	if (localtime_r(&tn, &tm_now) != NULL && tm.tm_year ==
	    tm_now.tm_year && tm.tm_yday == tm_now.tm_yday)
		strftime(out, size, "%H:%M:%S", &tm);
	else
		strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm);
}

int
sync_webhook_print(const struct sync_webhook *ws, int declared,
    int64_t now, FILE *out)
{
	const struct sync_webhook_channel	*c;
	char					*clean, when[32];
	size_t					 i;

	if (!ws->found && !declared)
		return 0;
	if (ws->running) {
		clean = sanitize(ws->listen != NULL ? ws->listen : "?",
		    strlen(ws->listen != NULL ? ws->listen : "?"),
		    SANITIZE_LINE, 80);
		sync_webhook_when(ws->started, now, when, sizeof when);
		fprintf(out, _("webhook receiver: listening on %s since %s "
		    "(pid %ld)\n"), clean, when, ws->pid);
		free(clean);
	} else if (ws->stopped > 0) {
		sync_webhook_when(ws->stopped, now, when, sizeof when);
		fprintf(out, _("webhook receiver: not running (stopped %s)\n"),
		    when);
	} else
		fprintf(out, _("webhook receiver: not running\n"));
	for (i = 0; i < ws->n; i++) {
		c = &ws->channels[i];
		clean = sanitize(c->name, strlen(c->name), SANITIZE_LINE, 40);
		fprintf(out, ngettext("%s: %ld payload", "%s: %ld payloads",
		    (unsigned long)c->received), clean, c->received);
		free(clean);
		if (c->last_received > 0) {
			sync_webhook_when(c->last_received, now, when,
			    sizeof when);
			fprintf(out, _(", last %s"), when);
		}
		if (c->bad_signatures > 0) {
			sync_webhook_when(c->last_bad_signature, now, when,
			    sizeof when);
			fprintf(out, ngettext(", %ld bad signature (last %s)",
			    ", %ld bad signatures (last %s)",
			    (unsigned long)c->bad_signatures),
			    c->bad_signatures, when);
		}
		if (c->refused > 0)
			fprintf(out, _(", %ld refused"), c->refused);
		/* A failure other than a signature's: said whole. */
		if (*c->last_failure != '\0' &&
		    strncmp(c->last_failure, "401 ", 4) != 0) {
			sync_webhook_when(c->last_failure_when, now, when,
			    sizeof when);
			clean = sanitize(c->last_failure,
			    strlen(c->last_failure), SANITIZE_LINE, 80);
			fprintf(out, _("; last failure %s: %s"), when, clean);
			free(clean);
		}
		fputc('\n', out);
	}
	return 1;
}

char *
sync_webhook_phrase(const struct sync_webhook *ws, int declared,
    int64_t now)
{
	long	bad = 0;
	size_t	i;

	if (declared && !ws->running)
		return xstrdup(_("webhook receiver not running"));
	for (i = 0; i < ws->n; i++) {
		if (ws->channels[i].bad_signatures > 0 &&
		    ws->channels[i].last_bad_signature > now - 3600)
			bad += ws->channels[i].bad_signatures;
	}
	if (bad == 0)
		return NULL;
	return xasprintf(ngettext("webhook: %ld bad signature",
	    "webhook: %ld bad signatures", (unsigned long)bad), bad);
}

static int
sync_quarantine_select(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

int
sync_quarantine_count(const char *sync_dir)
{
	struct dirent	**list;
	char		 *dir;
	int		  n, i;

	dir = xasprintf("%s/%s", sync_dir, SYNC_QUARANTINE_DIR);
	n = scandir(dir, &list, sync_quarantine_select, NULL);
	free(dir);
	if (n < 0)
		return -1;
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return n;
}

/* One quarantined item: its header, then a line of its bytes. */
static void
sync_quarantine_show(const char *dir, const char *name, FILE *out)
{
	char		*path, line[1024], *clean, *v, excerpt[512];
	char		 channel[128] = "?", what[32] = "?", reason[1024] = "";
	long long	 date = 0;
	size_t		 size = 0, n;
	struct tm	 tm;
	time_t		 t;
	char		 when[32] = "?";
	FILE		*f;

	path = xasprintf("%s/%s", dir, name);
	f = fopen(path, "re");
	if (f == NULL) {
		free(path);
		return;
	}
	if (fgets(line, sizeof line, f) == NULL ||
	    strcmp(line, SYNC_QUARANTINE_MAGIC) != 0) {
		fclose(f);
		free(path);
		return;
	}
	while (fgets(line, sizeof line, f) != NULL && line[0] != '\n') {
		line[strcspn(line, "\n")] = '\0';
		if ((v = strchr(line, ' ')) == NULL)
			continue;
		*v++ = '\0';
		if (strcmp(line, "channel") == 0)
			snprintf(channel, sizeof channel, "%s", v);
		else if (strcmp(line, "what") == 0)
			snprintf(what, sizeof what, "%s", v);
		else if (strcmp(line, "date") == 0)
			date = strtoll(v, NULL, 10);
		else if (strcmp(line, "size") == 0)
			size = (size_t)strtoull(v, NULL, 10);
		else if (strcmp(line, "reason") == 0)
			snprintf(reason, sizeof reason, "%s", v);
	}
	n = fread(excerpt, 1, sizeof excerpt, f);
	fclose(f);
	t = (time_t)date;
	if (date > 0 && localtime_r(&t, &tm) != NULL)
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	/* The file is ours, but it holds what a server sent. */
	clean = sanitize(channel, strlen(channel), SANITIZE_LINE, 40);
	fprintf(out, "%s  %s  ", clean, when);
	free(clean);
	clean = sanitize(what, strlen(what), SANITIZE_LINE, 20);
	fprintf(out, _("%s, %zu bytes: "), clean, size);
	free(clean);
	clean = sanitize(reason, strlen(reason), SANITIZE_LINE, 200);
	fprintf(out, "%s\n", clean);
	free(clean);
	clean = sanitize(excerpt, n, SANITIZE_LINE, 100);
	fprintf(out, "  %s\n  %s\n", clean, path);
	free(clean);
	free(path);
}

void
sync_quarantine_print(const char *data_dir, FILE *out)
{
	struct dirent	**list;
	char		 *dir;
	int		  n, i;

	dir = xasprintf("%s/sync/%s", data_dir, SYNC_QUARANTINE_DIR);
	n = scandir(dir, &list, sync_quarantine_select, alphasort);
	if (n <= 0) {
		fprintf(out, _("nothing quarantined\n"));
		free(dir);
		return;
	}
	fprintf(out, ngettext("%d item quarantined (what the channels sent "
	    "that could not be taken; remove a file once read):\n",
	    "%d items quarantined (what the channels sent that could not be "
	    "taken; remove a file once read):\n", (unsigned long)n), n);
	for (i = 0; i < n; i++) {
		sync_quarantine_show(dir, list[i]->d_name, out);
		free(list[i]);
	}
	free(list);
	free(dir);
}

int
sync_fetch_request(const char *data_dir, const char *msgid, size_t index,
    char **cause)
{
	char	*dir, *path, *tmp, *text;
	int	 fd, rc = -1;

	*cause = NULL;
	dir = xasprintf("%s/sync/fetch", data_dir);
	if (util_mkdir_p(dir, util_share_mode(data_dir, 0700)) != 0) {
		*cause = xasprintf(_("cannot create %s"), dir);
		free(dir);
		return -1;
	}
	path = xasprintf("%s/%016llx-%zu.req", dir,
	    (unsigned long long)util_hash64(msgid), index);
	tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	text = xasprintf("%s\n%zu\n", msgid, index);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    util_share_mode(data_dir, 0600));
	if (fd != -1 && write(fd, text, strlen(text)) == (ssize_t)strlen(text) &&
	    close(fd) == 0 && rename(tmp, path) == 0)
		rc = 0;
	else {
		if (fd != -1)
			close(fd);
		unlink(tmp);
		*cause = xasprintf(_("cannot write %s: %s"), path, strerror(errno));
	}
	free(text);
	free(tmp);
	free(path);
	free(dir);
	return rc;
}

int
sync_fetch_messages(const char *data_dir, struct msg **msgs, size_t n,
    int *asked, char **cause)
{
	size_t	 i, j;
	char	*msgid, *why;
	int	 rc = 0;

	*asked = 0;
	*cause = NULL;
	for (i = 0; i < n; i++) {
		for (j = 0; j < msgs[i]->n_attachments; j++) {
			if (msgs[i]->attachments[j].local != NULL ||
			    msgs[i]->attachments[j].url == NULL)
				continue;
			msgid = msgid_message(msgs[i]->channel, msgs[i]->account,
			    msgs[i]->conv_id, msgs[i]->id);
			if (sync_fetch_request(data_dir, msgid, j, &why) == 0)
				(*asked)++;
			else if (*cause == NULL) {
				*cause = why;
				rc = -1;
			} else
				free(why);
			free(msgid);
		}
	}
	return rc;
}
