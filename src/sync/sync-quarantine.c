/*
 * sync-quarantine.c: what a channel sends that ombre cannot take.
 *
 * One value jansson refuses, or one update with a date past the year 9999,
 * must not stop a channel: the syncer would fetch the same answer forever
 * (and Telegram drops what is not confirmed within 24 hours). What cannot
 * be taken is kept instead (host->quarantine, chan_json_load), whole up to
 * CHAN_QUARANTINE_MAX bytes, in
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

#include "sync/sync-private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t
sync_quarantine_hash(const char *what, const char *raw, size_t len)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		i;

	for (; *what != '\0'; what++)
		h = (h ^ (unsigned char)*what) * 1099511628211ULL;
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)raw[i]) * 1099511628211ULL;
	return h;
}

/* host->quarantine: a new file under DATA/sync/quarantine, written whole. */
enum chan_status
sync_quarantine(struct chan_link *l, const char *what, const char *raw,
    size_t len, const char *reason)
{
	static unsigned		 counter;
	struct sync_link	*sl = sync_link_of(l);
	struct buf		 b;
	uint64_t		 h;
	size_t			 i, kept;
	char			*dir, *name, *clean;
	struct tm		 tm;
	time_t			 now;
	char			 stamp[32];
	enum chan_status	 rc;
	int			 saved;

	h = sync_quarantine_hash(what, raw, len);
	for (i = 0; i < nitems(sl->quarantine_seen); i++)
		if (sl->quarantine_seen[i] == h && h != 0)
			return CHAN_OK;

	dir = xasprintf("%s/%s", sl->sync->dir, SYNC_QUARANTINE_DIR);
	if (util_mkdir_p(dir, sl->sync->dir_mode) != 0) {
		saved = errno;
		log_warn(_("%s: cannot create %s: %s"), l->name, dir,
		    strerror(saved));
		free(dir);
		/* Not kept: the cursor must not pass it (sync_deliver). */
		l->quarantine_failed = 1;
		return sync_write_status_of(saved);
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
	buf_add_str(&b, SYNC_QUARANTINE_MAGIC);
	buf_add_printf(&b, "channel %s\nwhat %s\ndate %lld\nsize %zu\n"
	    "reason %s\n\n", l->name, what, (long long)now, len, clean);
	buf_add(&b, raw, kept);
	rc = CHAN_OK;
	if (util_write_file(dir, name, b.data, b.len,
	    sl->sync->file_mode) != 0) {
		saved = errno;
		log_warn(_("%s: cannot write %s/%s: %s"), l->name, dir, name,
		    strerror(saved));
		l->quarantine_failed = 1;
		rc = sync_write_status_of(saved);
	} else {
		/* Kept once: the same bytes again (a page fetched again)
		 * are not kept twice. */
		sl->quarantine_seen[sl->quarantine_next++ %
		    nitems(sl->quarantine_seen)] = h;
		sl->quarantined++;
		log_warn(_("%s: %s quarantined (%s): see `ombre sync "
		    "--quarantine`"), l->name, what, clean);
		sync_write_status(sl->sync);
	}
	buf_free(&b);
	free(clean);
	free(name);
	free(dir);
	return rc;
}
