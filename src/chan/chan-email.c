/*
 * chan-email.c: the e-mail channel's adapter. It sends the replies to the
 * user's own e-mail (`set store.database`): each reply is built as a MIME
 * reply to the customer's newest message (chan-email-mime.c) and handed
 * on stdin to the channel's sendmail-command, run by /bin/sh from the
 * syncer's loop (a job: the loop never waits for it). The command's exit
 * status decides: 0 sent, else failed with what it wrote (the host
 * sanitises and bounds it); killed by a signal, the mail may have left:
 * "unknown". sendmail has no idempotency: a send cut off by the syncer's
 * end is left "sending" and becomes "unknown", never resent by itself
 * (sync-outbox.c). The command is the user's: ombre puts nothing of its
 * own, and no secret, in its argv.
 *
 *	channel mail email from="Support <support@example.com>" \
 *	    sendmail-command="msmtp -t"
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"
#include "chan/chan-email.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct email {
	struct chan_link	*link;
	char			*from;
	char			*command;
	int			 sending;	/* jobs running */
};

/* One reply being sent: the job's. */
struct email_send {
	struct email		*em;
	struct store_outgoing	*o;
	char			*original;	/* the Message-Id answered */
	int			 fd;		/* the message, unlinked */
};

static void
email_stop(void *adapter)
{
	struct email	*em = adapter;

	if (em == NULL)
		return;
	free(em->from);
	free(em->command);
	free(em);
}

static void *
email_start(struct chan_link *l, char **cause)
{
	struct email	*em;
	const char	*v;

	if (l->opts->store == NULL) {
		*cause = xstrdup(_("no store to read the mail answered"));
		return NULL;
	}
	if ((v = channel_config_get(l->cc, "from")) == NULL || *v == '\0') {
		*cause = xstrdup(_("from= is missing (the address replies "
		    "come from)"));
		return NULL;
	}
	em = xcalloc(1, sizeof *em);
	em->link = l;
	em->from = xstrdup(v);
	if ((v = channel_config_get(l->cc, "sendmail-command")) == NULL ||
	    *v == '\0') {
		*cause = xstrdup(_("sendmail-command= is missing"));
		email_stop(em);
		return NULL;
	}
	em->command = xstrdup(v);
	/* Nothing to poll: the mail is the user's, indexed by notmuch. */
	l->host->set_state(l, CHAN_CONNECTED, 0, NULL);
	if (l->opts->once)
		l->host->finish(l, 1);
	return em;
}

static int
email_owns(void *adapter, const char *channel, const char *account)
{
	(void)adapter;
	(void)account;
	return strcmp(channel, "email") == 0;
}

/* The child: the command with the message on its stdin. */
static int
email_child(void *arg)
{
	struct email_send	*es = arg;

	if (lseek(es->fd, 0, SEEK_SET) == -1 ||
	    dup2(es->fd, STDIN_FILENO) == -1) {
		/* the reply's error, stored with it: not translated */
		fprintf(stderr, "cannot give the message to the command: %s\n",
		    strerror(errno));
		return 1;
	}
	close(es->fd);
	execl("/bin/sh", "sh", "-c", es->em->command, (char *)NULL);
	/* the shell's name and strerror: not translated */
	fprintf(stderr, "/bin/sh: %s\n", strerror(errno));
	return 127;
}

static void
email_send_free(struct email_send *es)
{
	if (es->fd != -1)
		close(es->fd);
	free(es->original);
	free(es);
}

/* The original tagged "replied", as a mail client does. */
static void
email_tag_replied(struct email *em, const char *msgid)
{
	struct store		*st;
	char			*cause, *ids[2], *ops[2];
	char			 replied[] = "+replied";
	long			 changed;

	if (store_open(em->link->opts->store, STORE_READ_WRITE, &st,
	    &cause) != STORE_OK) {
		log_warn(_("%s: cannot tag the mail answered: %s"),
		    em->link->name, cause);
		free(cause);
		return;
	}
	ids[0] = xstrdup(msgid);
	ids[1] = NULL;
	ops[0] = replied;
	ops[1] = NULL;
	if (store_tag_messages(st, ids, 1, ops, &changed, &cause) !=
	    STORE_OK) {
		log_warn(_("%s: cannot tag the mail answered: %s"),
		    em->link->name, cause);
		free(cause);
	}
	free(ids[0]);
	store_close(st);
}

/* The command ended: its status says how the send went. */
static void
email_send_done(struct job *job, int status, const char *output, void *data)
{
	struct email_send	*es = data;
	struct email		*em;
	struct chan_link	*l;
	char			*why;
	size_t			 n;

	(void)job;
	if (status == JOB_CANCELLED) {
		/* The syncer is ending (the adapter may be gone): the reply
		 * stays "sending" and reads as unknown at the next start. */
		store_outgoing_free(es->o);
		email_send_free(es);
		return;
	}
	em = es->em;
	l = em->link;
	em->sending--;
	n = output != NULL ? strlen(output) : 0;
	while (n > 0 && (output[n - 1] == '\n' || output[n - 1] == ' '))
		n--;
	if (status == 0) {
		email_tag_replied(em, es->original);
		l->host->send_done(l, es->o, CHAN_SENT, es->o->msgid, NULL, -1);
	} else if (status > 128) {
		why = xasprintf("sendmail-command killed by signal %d: it may "
		    "have sent the mail%s%.*s", status - 128, n > 0 ? ": " : "",
		    (int)(n > 300 ? 300 : n), output);
		l->host->send_done(l, es->o, CHAN_SEND_UNKNOWN, NULL, why, -1);
		free(why);
	} else {
		why = xasprintf("sendmail-command exited with status %d%s%.*s",
		    status, n > 0 ? ": " : "", (int)(n > 300 ? 300 : n),
		    output);
		l->host->send_done(l, es->o, CHAN_SEND_FAILED, NULL, why, -1);
		free(why);
	}
	email_send_free(es);
}

/*
 * The customer's newest e-mail of the conversation, and what a reply to
 * it needs; 0, or -1 with *cause (*retry set when trying later may do).
 */
static int
email_original(struct email *em, struct store_outgoing *o,
    struct email_reply *r, char **original, char **to, char **refs,
    char **text, char **subject, char **who, int *retry, char **cause)
{
	struct store		*st;
	struct msg		**msgs, *m = NULL;
	size_t			 n, i;
	char			*query, *thread_id = NULL;
	enum store_status	 rc;

	*retry = 0;
	if ((rc = store_open(em->link->opts->store, STORE_READ_ONLY, &st,
	    cause)) != STORE_OK) {
		*retry = 1;
		return -1;
	}
	/* The thread's id changes when the reply joins the user's thread:
	 * the mail answered (reply_to) says where it is now. */
	if (o->reply_to != NULL && strpbrk(o->reply_to, "\" ") == NULL) {
		query = xasprintf("id:\"%s\"", o->reply_to);
		rc = store_resolve_conv(st, query, &thread_id, cause);
		free(query);
	} else {
		thread_id = xstrdup(o->conv_id);
		rc = STORE_OK;
	}
	if (rc == STORE_OK) {
		rc = store_thread_messages(st, thread_id, &msgs, &n, cause);
		free(thread_id);
	}
	if (rc != STORE_OK) {
		*retry = rc != STORE_NOT_FOUND;
		store_close(st);
		return -1;
	}
	for (i = n; i-- > 0;) {
		if (msgs[i]->kind == MSG_CUSTOMER &&
		    strcmp(msgs[i]->channel, "email") == 0 &&
		    (o->reply_to == NULL || strcmp(msgs[i]->id,
		    o->reply_to) == 0)) {
			m = msgs[i];
			break;
		}
	}
	if (m == NULL) {
		/* stored with the reply (its error): not translated */
		*cause = xstrdup("no e-mail of the customer's to answer in "
		    "this conversation");
		store_msgs_free(msgs, n);
		store_close(st);
		return -1;
	}
	*original = xstrdup(m->id);
	*refs = store_message_header(st, m->id, "references");
	*to = store_message_header(st, m->id, "reply-to");
	if (*to == NULL || email_address(*to) == NULL) {
		free(*to);
		*to = store_message_header(st, m->id, "from");
	}
	*subject = m->conv_title != NULL ? xstrdup(m->conv_title) : NULL;
	*text = m->text != NULL ? xstrndup(m->text, m->text_len) : NULL;
	*who = m->from_name != NULL && *m->from_name != '\0' ?
	    xstrdup(m->from_name) : m->from_id != NULL ?
	    xstrdup(m->from_id) : NULL;
	r->quoted_date = m->date;
	store_msgs_free(msgs, n);
	store_close(st);
	return 0;
}

static void
email_send(void *adapter, struct store_outgoing *o)
{
	struct email		*em = adapter;
	struct chan_link	*l = em->link;
	struct email_reply	 r;
	struct email_send	*es;
	char			*original = NULL, *to = NULL, *refs = NULL;
	char			*text = NULL, *subject = NULL, *who = NULL;
	char			*cause = NULL, *msg, *addr, path[64];
	const char		*tmp;
	size_t			 len, off;
	ssize_t			 w;
	int			 retry, fd;

	memset(&r, 0, sizeof r);
	if (email_original(em, o, &r, &original, &to, &refs, &text,
	    &subject, &who, &retry, &cause) != 0) {
		l->host->send_done(l, o, retry ? CHAN_SEND_RETRY :
		    CHAN_SEND_FAILED, NULL, cause, -1);
		free(cause);
		return;
	}
	if ((addr = email_address(to)) == NULL) {
		l->host->send_done(l, o, CHAN_SEND_FAILED, NULL,
		    "the mail answered has no address to reply to", -1);
		goto out;
	}
	free(addr);
	r.from = em->from;
	r.to = to;
	r.subject = subject;
	r.in_reply_to = original;
	r.references = refs;
	r.msgid = o->msgid;
	r.date = (int64_t)time(NULL);
	r.text = o->text;
	if (options_get_flag("email.quote")) {
		r.quoted = text;
		r.quoted_from = who;
	}
	msg = email_reply_build(&r, &len);

	/* The message in an unlinked file: the command's stdin. */
	tmp = getenv("TMPDIR");
	if (tmp == NULL || *tmp != '/' || strlen(tmp) > sizeof path - 20)
		tmp = "/tmp";
	snprintf(path, sizeof path, "%s/ombre-mail.XXXXXX", tmp);
	if ((fd = mkstemp(path)) == -1) {
		/* stored with the reply (its error): not translated */
		cause = xasprintf("cannot write the message: %s",
		    strerror(errno));
		l->host->send_done(l, o, CHAN_SEND_RETRY, NULL, cause, -1);
		free(cause);
		free(msg);
		goto out;
	}
	unlink(path);
	for (off = 0; off < len; off += (size_t)w) {
		if ((w = write(fd, msg + off, len - off)) <= 0) {
			if (w == -1 && errno == EINTR) {
				w = 0;
				continue;
			}
			break;
		}
	}
	free(msg);
	if (off < len) {
		/* stored with the reply (its error): not translated */
		cause = xasprintf("cannot write the message: %s",
		    strerror(errno));
		close(fd);
		l->host->send_done(l, o, CHAN_SEND_RETRY, NULL, cause, -1);
		free(cause);
		goto out;
	}
	es = xcalloc(1, sizeof *es);
	es->em = em;
	es->o = o;
	es->original = original;
	original = NULL;
	es->fd = fd;
	if (job_run(l->loop, email_child, es, email_send_done, es) == NULL) {
		es->o = NULL;
		email_send_free(es);
		l->host->send_done(l, o, CHAN_SEND_RETRY, NULL,
		    "cannot start the sendmail command", -1);
		goto out;
	}
	em->sending++;
	/* The child has its copy of the file. */
	close(es->fd);
	es->fd = -1;
out:
	free(original);
	free(to);
	free(refs);
	free(text);
	free(subject);
	free(who);
}

const struct chan_type chan_email_type = {
	.name = "email",
	.start = email_start,
	.stop = email_stop,
	.owns = email_owns,
	.send = email_send
};
