/*
 * cli-triage.c: a conversation's triage from the command line (take-over,
 * hand-back, assign, done, reopen, snooze), each recorded as an event in
 * the conversation with the operations core's policy gives for its tags,
 * as the console does (ui-triage.c); and ombre handoffs, the conversations
 * waiting for a human, oldest waiting first.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A triage subcommand: its action, its argument after CONV, its words. */
enum cli_triage_arg {
	CLI_TRIAGE_NO_ARG,
	CLI_TRIAGE_NAME,	/* assign: the agent */
	CLI_TRIAGE_WHEN		/* snooze: util_parse_when's text */
};
struct cli_triage_entry {
	const char		*name;
	int			 reopen;	/* reopen: not a core action */
	enum triage_action	 action;
	enum cli_triage_arg	 arg;
	const char		*usage;
	const char		*unchanged;	/* said when nothing changes */
};

static const struct cli_triage_entry cli_triage_table[] = {
	{ "take-over", 0, TRIAGE_TAKE_OVER, CLI_TRIAGE_NO_ARG,
	  "ombre take-over CONV [--agent NAME]", "already yours" },
	{ "hand-back", 0, TRIAGE_HAND_BACK, CLI_TRIAGE_NO_ARG,
	  "ombre hand-back CONV [--agent NAME]", "already with the bot" },
	{ "assign", 0, TRIAGE_ASSIGN, CLI_TRIAGE_NAME,
	  "ombre assign CONV NAME [--agent NAME] [--force]",
	  "already assigned" },
	{ "done", 0, TRIAGE_DONE, CLI_TRIAGE_NO_ARG,
	  "ombre done CONV [--agent NAME]", "already closed" },
	{ "reopen", 1, TRIAGE_DONE, CLI_TRIAGE_NO_ARG,
	  "ombre reopen CONV [--agent NAME]", "already open" },
	{ "snooze", 0, TRIAGE_SNOOZE, CLI_TRIAGE_WHEN,
	  "ombre snooze CONV WHEN [--agent NAME]", NULL },
};

/* Print a store's cause on stderr, sanitised, after the command's name. */
static void
cli_triage_warn(const char *cmd, const char *cause)
{
	char	*clean;

	clean = sanitize(cause, strlen(cause), SANITIZE_LINE, 300);
	log_warn("%s: %s", cmd, clean);
	free(clean);
}

/* Is name an agent's name an ombre/assigned/ tag can carry? */
static int
cli_triage_name_valid(const char *name)
{
	char	*tag;
	int	 valid;

	if (*name == '\0' || strchr(name, '/') != NULL)
		return 0;
	tag = xasprintf("%s%s", TRIAGE_ASSIGNED_PREFIX, name);
	valid = tag_valid(tag);
	free(tag);
	return valid;
}

/* What assign's word names (team.c's rules, the store's assignees as
 * the agents seen): 0 and *agent or *team, or -1 and *cause. */
static int
cli_triage_target(struct store *st, const char *word, char **agent,
    char **team, char **cause)
{
	char		**seen = NULL;
	size_t		  n_seen = 0;
	int		  rc;

	if (store_assignees(st, &seen, &n_seen, cause) != STORE_OK)
		return -1;
	rc = team_target(word, seen, n_seen, agent, team, cause);
	triage_tags_free(seen);
	return rc;
}

/* The operations reopen does: back in the Inbox, neither done nor
 * snoozed. NULL-terminated, allocated. */
static char **
cli_triage_reopen_ops(void)
{
	char	**ops;

	ops = xcalloc(4, sizeof *ops);
	ops[0] = xstrdup("-ombre/done");
	ops[1] = xstrdup("-ombre/snoozed");
	ops[2] = xstrdup("+inbox");
	return ops;
}

/*
 * One triage subcommand: CONV resolved in a read-write session, its tags
 * read, core's operations for them (triage_ops, as ui_triage_add applies
 * them), and the change recorded as one event naming the messages read
 * (a customer message that arrives meanwhile keeps a closed conversation
 * in the Inbox). Nothing is written when nothing would change, but for a
 * snooze, whose time may. Return the exit status.
 */
static int
cli_triage_run(struct cli *cli, const char *cmd, int argc, char **argv)
{
	const struct cli_triage_entry	*e = NULL;
	const char			*agent_opt = NULL, *arg = NULL, *event;
	struct store			*st;
	struct store_conv		*c = NULL, *after = NULL;
	struct store_event		 ev;
	enum store_status		 status;
	char				**rest, **ops = NULL, **back = NULL;
	char				*thread_id = NULL, *cause = NULL, *text;
	int64_t				 until = 0;
	size_t				 i;
	int				 n_rest, rc, want, force = 0;
	const char			*agent;
	enum triage_action		 action;
	char				*to_agent = NULL, *to_team = NULL;
	const struct cli_opt		 opts[] = {
		{ "agent", 0, 1, &agent_opt, NULL },
		{ "force", 0, 0, NULL, &force },
		{ NULL, 0, 0, NULL, NULL }
	};

	for (i = 0; i < nitems(cli_triage_table); i++) {
		if (strcmp(cli_triage_table[i].name, cmd) == 0)
			e = &cli_triage_table[i];
	}
	if (e == NULL)
		fatalx(_("no triage command %s"), cmd);
	if (cli_parse_args(cmd, opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	want = e->arg == CLI_TRIAGE_NO_ARG ? 1 : 2;
	if (n_rest != want || *rest[0] == '\0') {
		log_warn(_("usage: %s"), e->usage);
		free(rest);
		return EXIT_USAGE;
	}
	agent = agent_opt != NULL ? agent_opt : core_agent_name();
	if (!cli_triage_name_valid(agent)) {
		log_warn(_("%s: the agent's name must be a valid tag name without "
		    "'/'"), cmd);
		free(rest);
		return EXIT_USAGE;
	}
	action = e->action;
	if (e->arg == CLI_TRIAGE_NAME) {
		arg = rest[1];
		if (!cli_triage_name_valid(arg) &&
		    strncmp(arg, "team:", 5) != 0) {
			log_warn(_("%s: the agent's name must be a valid tag name "
			    "without '/'"), cmd);
			free(rest);
			return EXIT_USAGE;
		}
	} else if (e->action == TRIAGE_TAKE_OVER)
		arg = agent;
	else if (e->arg == CLI_TRIAGE_WHEN &&
	    util_parse_when(rest[1], util_now(), &until) != 0) {
		char *clean = sanitize(rest[1], strlen(rest[1]), SANITIZE_LINE, 40);
		log_warn(_("%s: cannot read '%s' as a time; say when: 1h, 4h, "
		    "tomorrow, next week, 17:30, 2026-12-01 9:00"), cmd, clean);
		free(clean);
		free(rest);
		return EXIT_USAGE;
	}

	/* On a replica, whoever takes a conversation is decided on the
	 * central server; the rest travels with the replication engine. */
	if (authority_active() && (e->action == TRIAGE_TAKE_OVER ||
	    e->action == TRIAGE_ASSIGN)) {
		const char	*args[3] = { NULL, NULL, NULL };

		if (e->action == TRIAGE_ASSIGN) {
			args[0] = arg;
			args[1] = force ? "--force" : NULL;
		}

		rc = cli_remote(cli, cmd, rest[0], args, agent, NULL, 0);
		free(rest);
		return rc;
	}
	if ((rc = cli_open(cli, STORE_READ_WRITE, &st)) != 0) {
		free(rest);
		return rc;
	}
	status = store_resolve_conv(st, rest[0], &thread_id, &cause);
	if (status == STORE_OK)
		status = store_conv_of_thread(st, thread_id, &c, &cause);
	if (status != STORE_OK) {
		cli_triage_warn(cmd, cause);
		rc = status == STORE_LOCKED ? EXIT_TEMPFAIL : 1;
		goto out;
	}
	/* assign: an agent or a team:NAME; with teams declared, only the
	 * known ones (a set-up without a team file takes any name). */
	if (e->arg == CLI_TRIAGE_NAME && (team_declared() ||
	    strncmp(arg, "team:", 5) == 0)) {
		if (cli_triage_target(st, arg, &to_agent, &to_team,
		    &cause) != 0) {
			cli_triage_warn(cmd, cause);
			rc = EXIT_USAGE;
			goto out;
		}
		if (to_team != NULL) {
			action = TRIAGE_ASSIGN_TEAM;
			arg = to_team;
		}
	}
	if (e->reopen) {
		ops = cli_triage_reopen_ops();
		event = "reopened";
	} else {
		ops = triage_ops(action, arg, c->tags, c->n_tags);
		event = triage_action_event(action);
	}
	/* What undoing it would do: nothing when nothing changes. */
	back = triage_undo_ops(ops, c->tags, c->n_tags);
	if (back[0] == NULL && e->arg != CLI_TRIAGE_WHEN) {
		if (action == TRIAGE_ASSIGN_TEAM)
			printf(_("already with team %s\n"), arg);
		else if (e->action == TRIAGE_ASSIGN && !e->reopen)
			printf(_("already assigned to %s\n"), arg);
		else
			printf("%s\n", e->unchanged);
		rc = 0;
		goto out;
	}
	memset(&ev, 0, sizeof ev);
	ev.thread_id = thread_id;
	ev.type = event;
	ev.agent = agent;
	ev.ops = ops;
	ev.seen = c->msg_ids;	/* the stable query: what was read */
	ev.until = until;
	ev.force = force;	/* assign: even to an agent who is away */
	status = store_events(st, &ev, 1, &cause);
	if (status != STORE_OK) {
		cli_triage_warn(cmd, cause != NULL ? cause :
		    store_status_str(status));
		rc = status == STORE_LOCKED ? EXIT_TEMPFAIL : 1;
		goto out;
	}
	/* A customer who wrote since the read keeps it in the Inbox. */
	if ((e->action == TRIAGE_DONE || e->action == TRIAGE_SNOOZE) &&
	    !e->reopen && store_conv_of_thread(st, thread_id, &after, &cause) ==
	    STORE_OK && store_conv_has_tag(after, "inbox")) {
		printf(_("still in the Inbox: the customer wrote since\n"));
		rc = 0;
		goto out;
	}
	text = triage_event_text(event, agent, NULL, ops, until);
	printf("%s\n", text);
	free(text);
	rc = 0;
out:
	if (store_close(st) != STORE_OK && rc == 0) {
		log_warn(_("%s: closing the database failed"), cmd);
		rc = 1;
	}
	if (after != NULL)
		store_conv_free(after);
	if (c != NULL)
		store_conv_free(c);
	triage_tags_free(ops);
	triage_tags_free(back);
	free(to_agent);
	free(to_team);
	free(thread_id);
	free(cause);
	free(rest);
	if (rc == 0 && fflush(stdout) != 0)
		rc = 1;
	return rc;
}

int
cli_take_over(struct cli *cli, int argc, char **argv)
{
	return cli_triage_run(cli, "take-over", argc, argv);
}

int
cli_hand_back(struct cli *cli, int argc, char **argv)
{
	return cli_triage_run(cli, "hand-back", argc, argv);
}

int
cli_assign(struct cli *cli, int argc, char **argv)
{
	return cli_triage_run(cli, "assign", argc, argv);
}

int
cli_done(struct cli *cli, int argc, char **argv)
{
	return cli_triage_run(cli, "done", argc, argv);
}

int
cli_reopen(struct cli *cli, int argc, char **argv)
{
	return cli_triage_run(cli, "reopen", argc, argv);
}

int
cli_snooze(struct cli *cli, int argc, char **argv)
{
	return cli_triage_run(cli, "snooze", argc, argv);
}

/* claim's exit statuses: the CLI is the protocol of scripts and of
 * consoles on a replica (ssh server ombre claim). */
#define EXIT_CLAIM_TAKEN	1	/* another agent has it */
#define EXIT_CLAIM_FAILED	3	/* no such conversation, a failed write */

/*
 * ombre claim CONV [--agent NAME] [--json]: take a conversation nobody
 * has, compare-and-set (store_claim). Exit 0 when it is mine (claimed now
 * or already), 1 when another agent has it ("bob took it 2 s ago"), 2 on
 * a usage error, 3 when it failed (no such conversation, the database),
 * 75 when the database stayed locked.
 */
int
cli_claim(struct cli *cli, int argc, char **argv)
{
	static const char	 usage[] = "ombre claim CONV [--agent NAME] "
				     "[--json]";
	const char		*agent_opt = NULL, *agent;
	struct store		*st;
	struct store_claim	 claim;
	enum store_status	 status;
	struct json_obj		*o;
	char			**rest, *thread_id = NULL, *cause = NULL;
	char			 ago[32], date[64], *json;
	int			 n_rest, rc, as_json = 0;
	const struct cli_opt	 opts[] = {
		{ "agent", 0, 1, &agent_opt, NULL },
		{ "json", 0, 0, NULL, &as_json },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("claim", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	if (n_rest != 1 || *rest[0] == '\0') {
		log_warn(_("usage: %s"), usage);
		free(rest);
		return EXIT_USAGE;
	}
	agent = agent_opt != NULL ? agent_opt : core_agent_name();
	if (!cli_triage_name_valid(agent)) {
		log_warn(_("claim: the agent's name must be a valid tag name "
		    "without '/'"));
		free(rest);
		return EXIT_USAGE;
	}
	/* On a replica the compare-and-set is the central server's. */
	if (authority_active()) {
		const char	*args[2] = { as_json ? "--json" : NULL, NULL };

		rc = cli_remote(cli, "claim", rest[0], args, agent, NULL, 0);
		free(rest);
		return rc;
	}
	memset(&claim, 0, sizeof claim);
	/* A look without the lock, then the claim in a batch if still free. */
	if ((rc = cli_open(cli, STORE_READ_ONLY, &st)) != 0) {
		free(rest);
		return rc;
	}
	status = store_resolve_conv(st, rest[0], &thread_id, &cause);
	if (status == STORE_OK)
		status = store_claim_queued(st, thread_id, agent, &claim,
		    &cause);
	if (status != STORE_OK) {
		cli_triage_warn("claim", cause != NULL ? cause :
		    store_status_str(status));
		rc = status == STORE_LOCKED ? EXIT_TEMPFAIL : EXIT_CLAIM_FAILED;
		goto out;
	}
	rc = claim.outcome == STORE_CLAIM_TAKEN ? EXIT_CLAIM_TAKEN : 0;
	if (as_json) {
		o = json_obj_new();
		json_obj_set_str(o, "thread", thread_id);
		json_obj_set_str(o, "outcome",
		    claim.outcome == STORE_CLAIM_CLAIMED ? "claimed" :
		    claim.outcome == STORE_CLAIM_MINE ? "mine" : "taken");
		json_obj_set_str(o, "agent", claim.by);
		if (claim.since > 0) {
			util_format_rfc3339(claim.since, 0, date, sizeof date);
			json_obj_set_str(o, "since", date);
			json_obj_set_int(o, "seconds", util_now() - claim.since);
		} else {
			json_obj_set_str(o, "since", NULL);
			json_obj_set_str(o, "seconds", NULL);
		}
		json = json_obj_finish(o);
		printf("%s\n", json);
		free(json);
	} else if (claim.outcome == STORE_CLAIM_CLAIMED)
		printf(_("claimed by %s\n"), claim.by);
	else if (claim.outcome == STORE_CLAIM_MINE)
		printf(_("already yours\n"));
	else if (claim.since > 0) {
		util_format_duration(util_now() - claim.since, ago, sizeof ago);
		printf(_("%s took it %s ago\n"), claim.by, ago);
	} else
		printf(_("%s has it\n"), claim.by);
out:
	if (store_close(st) != STORE_OK && rc == 0) {
		log_warn(_("claim: closing the database failed"));
		rc = EXIT_CLAIM_FAILED;
	}
	store_claim_clear(&claim);
	free(thread_id);
	free(cause);
	free(rest);
	if (fflush(stdout) != 0 && rc == 0)
		rc = EXIT_CLAIM_FAILED;
	return rc;
}

/* A conversation waiting for a human, with why. */
struct cli_handoff {
	struct store_conv	*conv;
	int64_t			 waiting_since;	/* 0: not waiting */
	char			*reason;	/* or NULL */
};

/* Oldest waiting first; those not waiting last, newest activity first. */
static int
cli_handoff_cmp(const void *a0, const void *b0)
{
	const struct cli_handoff	*a = a0, *b = b0;

	if ((a->waiting_since == 0) != (b->waiting_since == 0))
		return a->waiting_since == 0 ? 1 : -1;
	if (a->waiting_since != b->waiting_since)
		return a->waiting_since < b->waiting_since ? -1 : 1;
	if (a->conv->newest != b->conv->newest)
		return a->conv->newest > b->conv->newest ? -1 : 1;
	return strcmp(a->conv->thread_id, b->conv->thread_id);
}

/* The reason of the thread's newest handoff event (allocated), or NULL. */
static enum store_status
cli_handoff_reason(struct store *st, const char *thread_id, char **reason,
    char **cause)
{
	struct msg		**msgs;
	enum store_status	  rc;
	size_t			  n, i;

	*reason = NULL;
	rc = store_thread_messages(st, thread_id, &msgs, &n, cause);
	if (rc != STORE_OK)
		return rc;
	for (i = n; i > 0; i--) {
		const struct msg *m = msgs[i - 1];

		if (m->kind == MSG_EVENT && m->event != NULL &&
		    strcmp(m->event, "handoff") == 0) {
			if (m->reason != NULL && *m->reason != '\0')
				*reason = xstrdup(m->reason);
			break;
		}
	}
	store_msgs_free(msgs, n);
	return STORE_OK;
}

/* One row of `handoffs`: id, badge, customer, wait, reason. */
static void
cli_handoff_row(struct buf *b, const struct cli_handoff *h, int64_t now,
    int width)
{
	const struct store_conv	*c = h->conv;
	const char		*reason = h->reason != NULL ? h->reason :
				    "\xe2\x80\x94";	/* an em dash */
	char			 badge[3], wait[16];
	size_t			 start = b->len, used;
	int			 rest;

	channel_badge(c->channel, badge);
	buf_add_printf(b, "%6s %s ", c->short_id, badge);
	cli_add_cell(b, c->customer_name, 18);
	if (h->waiting_since > 0) {
		util_format_age(now - h->waiting_since, wait, sizeof wait);
		buf_add_printf(b, " %4s ", wait);
	} else
		buf_add_str(b, "    - ");
	used = utf8_width(b->data + start, b->len - start);
	rest = width - (int)used;
	if (width == 0)
		sanitize_buf(b, reason, strlen(reason), SANITIZE_LINE, 0);
	else if (rest > 4)
		sanitize_buf(b, reason, strlen(reason), SANITIZE_LINE,
		    (size_t)rest);
	while (b->len > start && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	buf_add_char(b, '\n');
}

/* One object of `handoffs --json`. */
static void
cli_handoff_json(struct buf *b, const struct cli_handoff *h, int64_t now)
{
	const struct store_conv	*c = h->conv;
	struct json_obj		*o, *cust;
	char			 date[64], *json;

	o = json_obj_new();
	json_obj_set_str(o, "id", c->short_id);
	json_obj_set_str(o, "thread", c->thread_id);
	json_obj_set_str(o, "channel", c->channel);
	cust = json_obj_new();
	json_obj_set_str(cust, "id", c->customer_id);
	json_obj_set_str(cust, "name", c->customer_name);
	json_obj_set_obj(o, "customer", cust);
	if (h->waiting_since > 0) {
		util_format_rfc3339(h->waiting_since, 0, date, sizeof date);
		json_obj_set_str(o, "waiting_since", date);
		json_obj_set_int(o, "wait_seconds", now - h->waiting_since);
	} else {
		json_obj_set_str(o, "waiting_since", NULL);
		json_obj_set_str(o, "wait_seconds", NULL);
	}
	json_obj_set_str(o, "reason", h->reason);
	json = json_obj_finish(o);
	buf_add_str(b, json);
	buf_add_char(b, '\n');
	free(json);
}

#define CLI_HANDOFFS_PAGE 500

/*
 * ombre handoffs [--json]: the conversations a bot handed off and no
 * human took, oldest waiting first, with the reason of the newest
 * handoff event of each.
 */
int
cli_handoffs(struct cli *cli, int argc, char **argv)
{
	struct store		 *st;
	struct store_conv	**convs;
	struct cli_handoff	 *hs = NULL;
	struct buf		  out;
	char			**rest, *cause = NULL;
	size_t			  n, i, n_hs = 0;
	long			  offset = 0;
	int64_t			  now;
	int			  json = 0, n_rest, rc;
	const struct cli_opt	  opts[] = {
		{ "json", 0, 0, NULL, &json },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("handoffs", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest != 0) {
		log_warn(_("usage: ombre handoffs [--json]"));
		return EXIT_USAGE;
	}
	if ((rc = cli_open(cli, STORE_READ_ONLY, &st)) != 0)
		return rc;
	for (;;) {
		if (store_query_convs(st, "tag:ombre/handoff", offset,
		    CLI_HANDOFFS_PAGE, &convs, &n, &cause) != STORE_OK)
			goto fail;
		for (i = 0; i < n; i++) {
			struct store_conv *c = convs[i];

			if (triage_mode(c->tags, c->n_tags) !=
			    TRIAGE_MODE_HANDOFF) {
				store_conv_free(c);
				continue;
			}
			hs = xreallocarray(hs, n_hs + 1, sizeof *hs);
			hs[n_hs].conv = c;
			/* Waiting as the list says it: in the Inbox. */
			hs[n_hs].waiting_since = store_conv_has_tag(c, "inbox") ?
			    c->waiting_since : 0;
			hs[n_hs].reason = NULL;
			n_hs++;
		}
		free(convs);
		if (n < CLI_HANDOFFS_PAGE)
			break;
		offset += CLI_HANDOFFS_PAGE;
	}
	for (i = 0; i < n_hs; i++) {
		if (cli_handoff_reason(st, hs[i].conv->thread_id,
		    &hs[i].reason, &cause) != STORE_OK)
			goto fail;
	}
	if (n_hs > 0)
		qsort(hs, n_hs, sizeof *hs, cli_handoff_cmp);
	now = util_now();
	buf_init(&out);
	for (i = 0; i < n_hs; i++) {
		if (json)
			cli_handoff_json(&out, &hs[i], now);
		else
			cli_handoff_row(&out, &hs[i], now, cli_width());
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	rc = fflush(stdout) == 0 ? 0 : 1;
	goto out;
fail:
	cli_triage_warn("handoffs", cause);
	rc = 1;
out:
	for (i = 0; i < n_hs; i++) {
		store_conv_free(hs[i].conv);
		free(hs[i].reason);
	}
	free(hs);
	free(cause);
	store_close(st);
	return rc;
}
