/*
 * t-counts.c: view counts kept from the database's changes (store-counts.c)
 * against a real notmuch database: after each random change the counts
 * equal a full recount, and the update looked only at the conversations
 * the change touched. OMBRE_SEED replays a run (the seed is printed).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

#define N_CONVS		30
#define N_ROUNDS	40

static const char *const queries[] = {
	"tag:inbox",
	"tag:inbox and tag:unread",
	"*",
	"tag:ombre/done",
	"tag:inbox and not tag:ombre/assigned/alice",
	"from:bot",
	"date:frobnicate..",		/* a broken user view: never counted */
	"channel-matrix",		/* a term nothing has */
};
#define N_QUERIES (sizeof queries / sizeof queries[0])

static char	data_dir[256];
static uint32_t	seed;

static uint32_t
rnd(uint32_t n)
{
	seed = seed * 1103515245 + 12345;
	return (seed >> 8) % n;
}

static struct store *
open_store(enum store_mode mode)
{
	struct store_options	 opts;
	struct store		*st = NULL;
	char			*cause = NULL;

	memset(&opts, 0, sizeof opts);
	opts.data_dir = data_dir;
	opts.lock_timeout = 5;
	opts.batch_messages = 100;
	opts.batch_ms = 10000;
	if (store_open(&opts, mode, &st, &cause) != STORE_OK)
		diag("store_open: %s", cause);
	free(cause);
	return st;
}

static void
add_msg(struct store *st, int conv, int id, enum msg_kind kind)
{
	struct msg	*m = msg_new();
	char		*cause = NULL;

	m->channel = xstrdup("telegram");
	m->account = xstrdup("7012345678");
	m->conv_id = xasprintf("%d", 1000 + conv);
	m->conv_title = xasprintf("Customer %d", conv);
	m->id = xasprintf("%d", id);
	m->date = 1795000000 + id;
	m->from_id = xstrdup(kind == MSG_CUSTOMER ? m->conv_id : "bot");
	m->from_name = xstrdup(kind == MSG_CUSTOMER ? "Zoë" : "bot");
	m->kind = kind;
	m->text = xstrdup("hello");
	m->text_len = 5;
	if (store_ingest(st, m, &cause) != STORE_OK)
		diag("store_ingest: %s", cause);
	free(cause);
	msg_free(m);
}

/* The conversation of customer conv, as a query store_tag takes. */
static void
tag_conv(struct store *st, int conv, char *op1, char *op2)
{
	char	*ops[2] = { op1, op2 }, *target, *cause = NULL;
	long	 changed;

	target = xasprintf("subject:\"Customer %d\"", conv);
	if (store_tag(st, target, ops, op2 != NULL ? 2 : 1, &changed,
	    &cause) != STORE_OK)
		diag("store_tag: %s", cause);
	free(cause);
	free(target);
}

/* Do the kept counts equal a recount? Say which differ. */
static int
counts_match(struct store *ro, struct store_counts *sc)
{
	long	 total, unread, t, u;
	size_t	 i;
	char	*cause = NULL;
	int	 same = 1;

	for (i = 0; i < N_QUERIES; i++) {
		if (store_count_convs(ro, queries[i], &t, &u, &cause) !=
		    STORE_OK) {
			free(cause);
			cause = NULL;
			if (store_counts_get(sc, i, &total, &unread) != -1) {
				diag("query %zu fails but has counts", i);
				same = 0;
			}
			continue;
		}
		if (store_counts_get(sc, i, &total, &unread) == -1 ||
		    total != t || unread != u) {
			diag("query '%s': kept %ld/%ld, recount %ld/%ld",
			    queries[i], unread, total, u, t);
			same = 0;
		}
	}
	return same;
}

int
main(void)
{
	struct store		*rw, *ro;
	struct store_counts	*sc;
	char			 op_done[] = "+ombre/done", op_uninbox[] = "-inbox";
	char			 op_read[] = "-unread", op_unread[] = "+unread";
	char			 op_mine[] = "+ombre/assigned/alice";
	char			 cmd[600], *cause = NULL;
	long			 total, unread, touched;
	size_t			 i;
	int			 conv, id = 1, round, all_match = 1, delta = 1;
	int			 touched_ok = 1, changed_any;

	seed = getenv("OMBRE_SEED") != NULL ?
	    (uint32_t)strtoul(getenv("OMBRE_SEED"), NULL, 10) :
	    (uint32_t)getpid();
	diag("seed %u (OMBRE_SEED=%u replays it)", seed, seed);

	snprintf(data_dir, sizeof data_dir, "%s/t-counts.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(data_dir) == NULL)
		return 1;

	rw = open_store(STORE_READ_WRITE);
	for (conv = 0; conv < N_CONVS; conv++) {
		add_msg(rw, conv, id++, MSG_CUSTOMER);
		if (conv % 3 == 0)
			add_msg(rw, conv, id++, MSG_BOT);
	}
	store_flush(rw, &cause);
	tag_conv(rw, 1, op_done, op_uninbox);
	tag_conv(rw, 2, op_read, NULL);

	ro = open_store(STORE_READ_ONLY);
	sc = store_counts_new(queries, N_QUERIES);
	is_int(store_counts_size(sc), N_QUERIES, "every query is counted");
	is_int(store_counts_build(ro, sc, NULL, NULL), STORE_OK,
	    "the first count walks every view");
	ok(counts_match(ro, sc), "and equals a recount of each view");
	ok(store_counts_get(sc, 2, &total, &unread) != -1 &&
	    total == N_CONVS, "'*' holds every conversation");
	is_int(store_counts_get(sc, 6, &total, &unread), -1,
	    "a broken query has no count, and the others have theirs");
	ok(store_counts_get(sc, 7, &total, &unread) != -1 && total == 0,
	    "a query nothing matches counts 0");

	is_int(store_counts_update(ro, sc), STORE_OK, "an update with no change");
	changed_any = 0;
	for (i = 0; i < N_QUERIES; i++)
		if (store_counts_get(sc, i, &total, &unread) == 1)
			changed_any = 1;
	ok(!changed_any && store_counts_touched(sc) == 0,
	    "looks at nothing and changes nothing");

	/* Random changes, one or two conversations at a time. */
	for (round = 0; round < N_ROUNDS; round++) {
		int	 a = (int)rnd(N_CONVS), b = (int)rnd(N_CONVS);
		int	 what = (int)rnd(6);

		switch (what) {
		case 0:
			tag_conv(rw, a, op_done, op_uninbox);
			break;
		case 1:
			tag_conv(rw, a, op_read, NULL);
			tag_conv(rw, b, op_unread, NULL);
			break;
		case 2:
			tag_conv(rw, a, op_mine, NULL);
			break;
		case 3:		/* a customer writes again: reopened */
			add_msg(rw, a, id++, MSG_CUSTOMER);
			store_flush(rw, &cause);
			break;
		case 4:
			add_msg(rw, a, id++, MSG_BOT);
			add_msg(rw, b, id++, MSG_CUSTOMER);
			store_flush(rw, &cause);
			break;
		default:	/* a new conversation */
			add_msg(rw, N_CONVS + round, id++, MSG_CUSTOMER);
			store_flush(rw, &cause);
			break;
		}
		store_refresh(ro);
		if (store_counts_update(ro, sc) != STORE_OK)
			delta = 0;
		touched = store_counts_touched(sc);
		if (touched < 1 || touched > 2) {
			diag("round %d (change %d): %ld conversations looked "
			    "at again", round, what, touched);
			touched_ok = 0;
		}
		if (!counts_match(ro, sc)) {
			diag("round %d (change %d): counts differ", round, what);
			all_match = 0;
		}
	}
	ok(delta, "every update succeeds");
	ok(all_match, "after each of %d random changes the kept counts equal "
	    "a recount", N_ROUNDS);
	ok(touched_ok, "and each update looked again only at the one or two "
	    "conversations the change touched, never at every view");

	store_counts_free(sc);
	store_close(ro);
	store_close(rw);
	free(cause);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", data_dir);
	if (system(cmd) != 0)
		diag("cleanup failed");
	done_testing();
	return exit_status();
}
