/*
 * chan-quarantine.c: what a channel sends that ombre cannot take.
 *
 * One value jansson refuses, or one update with a date past the year 9999,
 * must not stop a channel: the syncer would fetch the same answer forever
 * (and Telegram drops what is not confirmed within 24 hours). What cannot
 * be taken is kept instead, whole up to CHAN_QUARANTINE_MAX bytes, in
 * DATA/sync/quarantine: one file an item, named from the channel, the time
 * and a counter (never from the data), written whole like the other sync
 * files. The status file counts them and `ombre sync --quarantine` lists
 * them, sanitised: nothing is ever dropped without a word.
 *
 * A file is a few header lines, a blank line, then the bytes:
 *
 *	ombre-quarantine 1
 *	channel NAME
 *	what update
 *	date 1790000000
 *	size 123		(the item's size; the file keeps at most the cap)
 *	reason ...		(one line, sanitised)
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"
#include "chan/chan-private.h"

#include <jansson.h>

#include <dirent.h>
#include <inttypes.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define QUARANTINE_DIR		"quarantine"
#define QUARANTINE_MAGIC	"ombre-quarantine 1\n"
/* Elements cut out of one answer before it is given up. */
#define QUARANTINE_CUTS		100

static uint64_t
chan_quarantine_hash(const char *what, const char *raw, size_t len)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		i;

	for (; *what != '\0'; what++)
		h = (h ^ (unsigned char)*what) * 1099511628211ULL;
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)raw[i]) * 1099511628211ULL;
	return h;
}

int
chan_quarantine(struct chan_link *l, const char *what, const char *raw,
    size_t len, const char *reason)
{
	static unsigned	 counter;
	struct buf	 b;
	uint64_t	 h;
	size_t		 i, kept;
	char		*dir, *name, *clean;
	struct tm	 tm;
	time_t		 now;
	char		 stamp[32];
	int		 rc;

	h = chan_quarantine_hash(what, raw, len);
	for (i = 0; i < nitems(l->quarantine_seen); i++)
		if (l->quarantine_seen[i] == h && h != 0)
			return 0;

	dir = xasprintf("%s/%s", l->sync->dir, QUARANTINE_DIR);
	if (util_mkdir_p(dir, 0700) != 0) {
		log_warn("%s: cannot create %s", l->name, dir);
		free(dir);
		/* Not kept: the cursor must not pass it (chan_store). */
		l->quarantine_failed = 1;
		return -1;
	}
	now = time(NULL);
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm) == 0)
		snprintf(stamp, sizeof stamp, "%lld", (long long)now);
	name = xasprintf("%s.%s.%ld.%u", l->name, stamp, (long)getpid(),
	    counter++);
	clean = sanitize(reason, strlen(reason), SANITIZE_LINE, 300);
	kept = len < CHAN_QUARANTINE_MAX ? len : CHAN_QUARANTINE_MAX;
	buf_init(&b);
	buf_add_str(&b, QUARANTINE_MAGIC);
	buf_add_printf(&b, "channel %s\nwhat %s\ndate %lld\nsize %zu\n"
	    "reason %s\n\n", l->name, what, (long long)now, len, clean);
	buf_add(&b, raw, kept);
	rc = util_write_file(dir, name, b.data, b.len, 0600);
	if (rc != 0) {
		log_warn("%s: cannot write %s/%s: %s", l->name, dir, name,
		    strerror(errno));
		l->quarantine_failed = 1;
	} else {
		/* Kept once: the same bytes again (a page fetched again)
		 * are not kept twice. */
		l->quarantine_seen[l->quarantine_next++ %
		    nitems(l->quarantine_seen)] = h;
		l->quarantined++;
		log_warn("%s: %s quarantined (%s): see `ombre sync "
		    "--quarantine`", l->name, what, clean);
		sync_write_status(l->sync);
	}
	buf_free(&b);
	free(clean);
	free(name);
	free(dir);
	return rc == 0 ? 0 : -1;
}

int
chan_quarantine_json(struct chan_link *l, const char *what, json_t *v,
    const char *reason)
{
	char	*text;
	int	 rc;

	text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (text == NULL)
		text = xstrdup("(not printable)");
	rc = chan_quarantine(l, what, text, strlen(text), reason);
	free(text);
	return rc;
}

/*
 * Cut [start, end) out of b with the comma that separates it from its
 * neighbour, so that what remains is still an array.
 */
static void
chan_json_cut(struct buf *b, size_t start, size_t end)
{
	size_t	k = start;

	while (k > 0 && strchr(" \t\r\n", b->data[k - 1]) != NULL)
		k--;
	if (k > 0 && b->data[k - 1] == ',')
		start = k - 1;
	else {
		while (end < b->len && b->data[end] != '\0' &&
		    strchr(" \t\r\n", b->data[end]) != NULL)
			end++;
		if (end < b->len && b->data[end] == ',')
			end++;
	}
	memmove(b->data + start, b->data + end, b->len - end);
	b->len -= end - start;
	b->data[b->len] = '\0';
}

json_t *
chan_json_load(struct chan_link *l, const char *what, const char *body,
    size_t len, const char *id_key, long long *max_id, char **cause)
{
	struct buf	 b;
	json_error_t	 jerr;
	json_t		*root;
	size_t		 fixed, start, end, pos;
	long long	 id;
	char		*reason, *text;
	int		 cuts;

	*cause = NULL;
	buf_init(&b);
	b.data = json_repair(body != NULL ? body : "", body != NULL ? len : 0,
	    &b.len, &fixed);
	b.size = b.len + 1;
	for (cuts = 0; ; cuts++) {
		root = json_loadb(b.data, b.len, JSON_ALLOW_NUL, &jerr);
		if (root != NULL)
			break;
		pos = jerr.position > 0 ? (size_t)jerr.position - 1 : 0;
		if (cuts >= QUARANTINE_CUTS ||
		    json_repair_element(b.data, b.len, pos, &start, &end) != 0) {
			text = sanitize(jerr.text, strlen(jerr.text),
			    SANITIZE_LINE, 200);
			*cause = xasprintf("the answer is not JSON (byte %d: %s)",
			    jerr.position, text);
			free(text);
			break;
		}
		if (end >= b.len) {
			/* Cut short: the rest cannot be whole either. */
			*cause = xstrdup("the answer is not JSON (cut short)");
			break;
		}
		text = sanitize(jerr.text, strlen(jerr.text), SANITIZE_LINE,
		    200);
		reason = xasprintf("not JSON that can be read: %s", text);
		free(text);
		chan_quarantine(l, what, b.data + start, end - start, reason);
		free(reason);
		if (id_key != NULL && json_repair_scan_int(b.data + start,
		    end - start, id_key, &id) == 0 && id > *max_id)
			*max_id = id;
		chan_json_cut(&b, start, end);
	}
	buf_free(&b);
	return root;
}

int64_t
chan_wait_ms(struct chan_link *l, int64_t ms)
{
	int64_t	cap = l->opts->max_wait_ms > 0 ? l->opts->max_wait_ms :
		    3600 * 1000;

	if (ms < 0)
		return -1;
	return ms > cap ? cap : ms;
}

static int
chan_quarantine_select(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

int
chan_quarantine_count(const char *sync_dir)
{
	struct dirent	**list;
	char		 *dir;
	int		  n, i;

	dir = xasprintf("%s/%s", sync_dir, QUARANTINE_DIR);
	n = scandir(dir, &list, chan_quarantine_select, NULL);
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
chan_quarantine_show(const char *dir, const char *name, FILE *out)
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
	    strcmp(line, QUARANTINE_MAGIC) != 0) {
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
	fprintf(out, "%s, %zu bytes: ", clean, size);
	free(clean);
	clean = sanitize(reason, strlen(reason), SANITIZE_LINE, 200);
	fprintf(out, "%s\n", clean);
	free(clean);
	clean = sanitize(excerpt, n, SANITIZE_LINE, 100);
	fprintf(out, "  %s\n  %s\n", clean, path);
	free(clean);
	free(path);
}

int
sync_quarantine_print(const char *data_dir, FILE *out)
{
	struct dirent	**list;
	char		 *dir;
	int		  n, i;

	dir = xasprintf("%s/sync/%s", data_dir, QUARANTINE_DIR);
	n = scandir(dir, &list, chan_quarantine_select, alphasort);
	if (n <= 0) {
		fprintf(out, "nothing quarantined\n");
		free(dir);
		return 0;
	}
	fprintf(out, "%d item%s quarantined (what the channels sent that "
	    "could not be taken; remove a file once read):\n", n,
	    n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		chan_quarantine_show(dir, list[i]->d_name, out);
		free(list[i]);
	}
	free(list);
	free(dir);
	return 0;
}
