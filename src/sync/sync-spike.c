/*
 * sync-spike.c: spikes of the channels and the watched terms. Every
 * SYNC_SPIKE_MS (5 minutes), and once at start, a child (the counts are
 * notmuch searches, never run in the loop) counts the last hour of each
 * series, in 5-minute slots each counted once (sync_spike_recent)
 * (store-trends.c: a channel's new conversations, a term's customer
 * messages) and its baseline, the same hour on each of the previous
 * SPIKE_DAYS days from the hours cached in DATA/trends (a window that
 * straddles two clock hours takes each in proportion), and asks core's
 * spike_test whether it is a spike.
 *
 * A store that holds nothing older than the baseline's first hour tells
 * no spike: a new install's first busy hour is no crisis.
 *
 * A spike is recorded once an hour a series: DATA/trends/spikes holds the
 * last ones as spike tokens (written whole), and a series with one less
 * than an hour old is not told again. A new one is a "spike" line in
 * DATA/feed, which every console hears (bell, status line: ui-alert.c)
 * and the syncer's feed follower logs and gives to the hooks of `hook
 * spike` (sync_spike_json: the term or channel, the count, the baseline).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync/sync-private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYNC_SPIKE_MS		(5 * 60 * 1000)
/* The spikes kept in DATA/trends/spikes, the newest. */
#define SYNC_SPIKE_KEEP		200
/* The last hour in slots of 5 minutes, each counted once it has ended
 * and a minute more (a message indexed a few seconds after its date). */
#define SYNC_SPIKE_SLOT		300
#define SYNC_SPIKE_SLOTS	(3600 / SYNC_SPIKE_SLOT)
#define SYNC_SPIKE_SETTLE	60

/* DATA/trends/spikes read: its tokens, oldest first; bad lines dropped. */
static size_t
sync_spike_load(const char *data_dir, struct spike **out)
{
	char		*path, line[1024];
	struct spike	*v = NULL, s;
	size_t		 n = 0;
	FILE		*f;

	path = xasprintf("%s/trends/spikes", data_dir);
	f = fopen(path, "re");
	free(path);
	if (f != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			if (spike_token_parse(line, &s) != 0)
				continue;
			v = xreallocarray(v, n + 1, sizeof *v);
			v[n++] = s;
		}
		fclose(f);
	}
	*out = v;
	return n;
}

static void
sync_spike_save(const char *data_dir, struct spike *v, size_t n)
{
	struct buf	 b;
	char		*dir, *tok;
	size_t		 i;

	buf_init(&b);
	for (i = n > SYNC_SPIKE_KEEP ? n - SYNC_SPIKE_KEEP : 0; i < n; i++) {
		tok = spike_token(&v[i]);
		buf_add_printf(&b, "%s\n", tok);
		free(tok);
	}
	dir = xasprintf("%s/trends", data_dir);
	if ((util_mkdir_p(dir, util_share_mode(data_dir, 0700)) != 0 &&
	    errno != EEXIST) || util_write_file(dir, "spikes", b.data, b.len,
	    util_share_mode(data_dir, 0600)) != 0)
		log_warn(_("spike: %s/spikes: %s"), dir, strerror(errno));
	free(dir);
	buf_free(&b);
}

/* The series' count an hour long ending at end, d days back, from the
 * cached hours (tr starts at the baseline's first hour). */
static double
sync_spike_past(const struct store_trends *tr, size_t i, int64_t end)
{
	int64_t	from = end - 3600 - tr->first;
	size_t	h = (size_t)(from / 3600);
	double	f = (double)(from % 3600) / 3600.0, v;

	if (from < 0 || h >= tr->n_hours)
		return 0;
	v = (1 - f) * (double)tr->series[i].counts[h];
	if (f > 0 && h + 1 < tr->n_hours)
		v += f * (double)tr->series[i].counts[h + 1];
	return v;
}

/*
 * The last hour's counts, from 5-minute slots: each slot counted once,
 * when it has ended (and SYNC_SPIKE_SETTLE more), and kept in
 * DATA/trends/recent ("SLOT c|t COUNT NAME" lines) for the next rounds,
 * so a message is walked once rather than once a round. The hour is the
 * twelve slots before the last ended one's end: at most six minutes old.
 * Returns the hour's end, or -1 with *cause.
 */
static int64_t
sync_spike_recent(struct store *st, const char *data_dir,
    struct store_trends *tr, int64_t now, unsigned long *live, char **cause)
{
	struct buf	 b;
	FILE		*f;
	char		*path, *dir, line[1024], *nm, *end;
	long long	 slot;
	long		 count;
	long		*have;
	unsigned long	*c;
	int64_t		 last, first;
	size_t		 k, i;
	char		 kind;

	last = now - SYNC_SPIKE_SETTLE;
	last -= last % SYNC_SPIKE_SLOT;
	first = last - 3600;
	have = xcalloc(tr->n * SYNC_SPIKE_SLOTS + 1, sizeof *have);
	for (k = 0; k < tr->n * SYNC_SPIKE_SLOTS; k++)
		have[k] = -1;
	path = xasprintf("%s/trends/recent", data_dir);
	if ((f = fopen(path, "re")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			line[strcspn(line, "\n")] = '\0';
			slot = strtoll(line, &end, 10);
			if (end == line || *end != ' ' || (kind = end[1]) == '\0' ||
			    end[2] != ' ' || slot < first || slot >= last ||
			    (slot - first) % SYNC_SPIKE_SLOT != 0)
				continue;
			count = strtol(end + 3, &nm, 10);
			if (nm == end + 3 || *nm != ' ' || count < 0)
				continue;
			nm++;
			k = (size_t)((slot - first) / SYNC_SPIKE_SLOT);
			for (i = 0; i < tr->n; i++) {
				if ((kind == 'c') != (tr->series[i].kind ==
				    SPIKE_CHANNEL) || strcmp(nm,
				    tr->series[i].folded) != 0)
					continue;
				have[i * SYNC_SPIKE_SLOTS + k] = count;
			}
		}
		fclose(f);
	}
	free(path);
	c = xcalloc(tr->n + 1, sizeof *c);
	memset(live, 0, tr->n * sizeof *live);
	buf_init(&b);
	for (k = 0; k < SYNC_SPIKE_SLOTS; k++) {
		for (i = 0; i < tr->n; i++)
			if (have[i * SYNC_SPIKE_SLOTS + k] < 0)
				break;
		if (i < tr->n) {
			if (store_trends_window(st, tr, first + (int64_t)k *
			    SYNC_SPIKE_SLOT, first + (int64_t)(k + 1) *
			    SYNC_SPIKE_SLOT, c, cause) != STORE_OK) {
				free(c);
				free(have);
				buf_free(&b);
				return -1;
			}
			for (i = 0; i < tr->n; i++)
				have[i * SYNC_SPIKE_SLOTS + k] = (long)c[i];
		}
		for (i = 0; i < tr->n; i++) {
			live[i] += (unsigned long)have[i * SYNC_SPIKE_SLOTS + k];
			buf_add_printf(&b, "%lld %c %ld %s\n", (long long)first +
			    (long long)k * SYNC_SPIKE_SLOT, tr->series[i].kind ==
			    SPIKE_CHANNEL ? 'c' : 't', have[i * SYNC_SPIKE_SLOTS +
			    k], tr->series[i].folded);
		}
	}
	dir = xasprintf("%s/trends", data_dir);
	if ((util_mkdir_p(dir, util_share_mode(data_dir, 0700)) != 0 &&
	    errno != EEXIST) || util_write_file(dir, "recent", b.data, b.len,
	    util_share_mode(data_dir, 0600)) != 0)
		log_debug("spike: %s/recent: %s", dir, strerror(errno));
	free(dir);
	buf_free(&b);
	free(c);
	free(have);
	return last;
}

/* The child: the spikes of the last hour, new ones recorded and fed;
 * prints how many. */
static int
sync_spike_child(void *arg)
{
	struct sync		*s = arg;
	struct store		*st;
	struct store_trends	*tr;
	struct spike		*seen, found;
	struct spike_verdict	 v;
	double			 base[SPIKE_DAYS];
	unsigned long		 count, *live;
	int64_t			 now = util_now(), first, hour_end = now;
	int64_t			 t0 = util_clock_ms();
	size_t			 n_seen, i, j, n_new = 0, n_test;
	char			*cause, *tok;
	int			 d;

	if (store_open(&s->opts->store, STORE_READ_ONLY, &st, &cause) !=
	    STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return 1;
	}
	/* The baseline from the first hour the last one (its slots) can
	 * start in, 7 days back. */
	first = now - SYNC_SPIKE_SETTLE - SYNC_SPIKE_SLOT - 3600 -
	    SPIKE_DAYS * 86400;
	first -= first % 3600;
	/* A store younger than the baseline has none: its first busy hour
	 * would look like a spike of every channel. */
	if (!store_trends_history(st, first + 3600)) {
		printf(_("no baseline yet: nothing older than %d days\n"),
		    SPIKE_DAYS);
		store_close(st);
		return 0;
	}
	/* The baseline's hours only, closed long ago: the last hour is
	 * counted once below, not also as the open hours here. */
	if (store_trends_get(st, first, (size_t)((now - 86400 - first) / 3600) +
	    1, now, &tr, &cause) != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		store_close(st);
		return 1;
	}
	n_seen = sync_spike_load(s->opts->store.data_dir, &seen);
	live = xcalloc(tr->n + 1, sizeof *live);
	n_test = tr->n;
	if ((hour_end = sync_spike_recent(st, s->opts->store.data_dir, tr,
	    now, live, &cause)) == -1) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		n_test = 0;
	}
	for (i = 0; i < n_test; i++) {
		count = live[i];
		if (count < SPIKE_MIN)
			continue;
		for (d = 1; d <= SPIKE_DAYS; d++)
			base[d - 1] = sync_spike_past(tr, i, hour_end -
			    (int64_t)d * 86400);
		if (!spike_test(count, base, SPIKE_DAYS, &v))
			continue;
		/* Told less than an hour ago: not again. */
		for (j = 0; j < n_seen; j++) {
			if (seen[j].kind == tr->series[i].kind &&
			    strcmp(seen[j].name, tr->series[i].name) == 0 &&
			    seen[j].at > now - 3600)
				break;
		}
		if (j < n_seen)
			continue;
		found.kind = tr->series[i].kind;
		found.name = xstrdup(tr->series[i].name);
		found.count = count;
		found.baseline = v.mean;
		found.at = now;
		tok = spike_token(&found);
		store_feed_line(st, "spike", tok);
		free(tok);
		seen = xreallocarray(seen, n_seen + 1, sizeof *seen);
		seen[n_seen++] = found;
		n_new++;
	}
	if (n_new > 0)
		sync_spike_save(s->opts->store.data_dir, seen, n_seen);
	/* What it cost, for ombre -v sync (bench/trends.py reads it). */
	/* bench/trends.py reads it: not translated */
	printf("%zu told of %zu series, %zu hours counted, %lld ms\n", n_new,
	    tr->n, tr->counted, (long long)(util_clock_ms() - t0));
	for (j = 0; j < n_seen; j++)
		spike_clear(&seen[j]);
	free(seen);
	free(live);
	store_trends_free(tr);
	store_close(st);
	return 0;
}

char *
sync_spike_json(const char *token)
{
	struct json_obj	*o;
	struct spike	 sp;
	char		 date[64], *text;

	if (spike_token_parse(token, &sp) != 0)
		return NULL;
	o = json_obj_new();
	json_obj_set_str(o, "event", "spike");
	json_obj_set_str(o, sp.kind == SPIKE_TERM ? "term" : "channel",
	    sp.name);
	json_obj_set_int(o, "count", (int64_t)sp.count);
	json_obj_set_real(o, "baseline", sp.baseline);
	util_format_rfc3339(sp.at, 0, date, sizeof date);
	json_obj_set_str(o, "date", date);
	text = spike_text(&sp);
	json_obj_set_str(o, "text", text);
	free(text);
	spike_clear(&sp);
	return json_obj_finish(o);
}

void
sync_spike_log(const char *token)
{
	struct spike	 sp;
	char		*text;

	if (spike_token_parse(token, &sp) != 0)
		return;
	text = spike_text(&sp);
	log_warn(_("%s, %.2f usually"), text, sp.baseline);
	free(text);
	spike_clear(&sp);
}

static void
sync_spike_done(struct sync *s, int status, const char *line)
{
	(void)s;
	if (status != 0)
		log_warn("spike: %s", *line != '\0' ? line :
		    _("the counts failed"));
	else
		log_debug("spike: %s", line);
}

static int
sync_spike_wanted(void)
{
	return 1;
}

static int64_t
sync_spike_interval(void)
{
	return SYNC_SPIKE_MS;
}

void
sync_spike_round(struct sync_round *r)
{
	memset(r, 0, sizeof *r);
	r->wanted = sync_spike_wanted;
	r->interval_ms = sync_spike_interval;
	r->child = sync_spike_child;
	r->done = sync_spike_done;
}
