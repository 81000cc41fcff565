/*
 * ui-contact.c: the customer as a person in the console (issue 16).
 *
 *   the thread's header  the contact's notes and the customer's other
 *                        conversations on every channel, newest first
 *                        (store-contact.c, read on the console's store)
 *   open-other [N]       open the N-th of them (1, the newest: o)
 *   contact-link [CONV]  link the conversation open (else under the
 *                        cursor) with CONV; without CONV the marked
 *                        ones with it (or with one another)
 *
 * A link is an agent's decision, never made by itself: it is a write,
 * done in a child job as every write of the console (ui-triage.c).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	ui_contact_link_exec(void *, int, char **, char **);
static int	ui_contact_open_exec(void *, int, char **, char **);

const struct cmd_entry ui_contact_entries[] = {
	{ .name = "contact-link",
	  .args_min = 0,
	  .args_max = 1,
	  .usage = N_("contact-link [CONV]"),
	  .help = N_("console: the conversation open (or under the cursor) and "
	      "CONV, else the marked ones, are one person (their contacts "
	      "merged)"),
	  .host_exec = ui_contact_link_exec },
	{ .name = "open-other",
	  .args_min = 0,
	  .args_max = 1,
	  .usage = N_("open-other [N]"),
	  .help = N_("console: open the customer's N-th other conversation the "
	      "thread's header lists (default 1, the newest)"),
	  .host_exec = ui_contact_open_exec },
	{ .name = NULL }
};

/* The open conversation's identity, kept while it stays open: its
 * reloads (each change of the database) read only the contact. */
static char	*ui_contact_thread;
static char	*ui_contact_identity;

void
ui_contact_header(struct ui *ui)
{
	struct store_conv	**others;
	struct contact		 *c;
	size_t			  n;
	char			 *cause = NULL;

	if (ui->thread == NULL || ui->thread_id == NULL)
		return;
	if (ui_contact_thread == NULL ||
	    strcmp(ui_contact_thread, ui->thread_id) != 0) {
		free(ui_contact_thread);
		free(ui_contact_identity);
		ui_contact_thread = xstrdup(ui->thread_id);
		ui_contact_identity = NULL;
	}
	if (store_contact_others(ui->store, ui->thread_id,
	    &ui_contact_identity, &c, &others, &n, &cause) != STORE_OK) {
		/* The conversation shows without them: said, not fatal. */
		log_debug("contact: %s", cause != NULL ? cause : "?");
		free(cause);
		return;
	}
	ui_thread_set_contact(ui->thread, c, others, n, util_now());
	store_convs_free(others, n);
	contact_free(c);
}

static int
ui_contact_open_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui		 *ui = data;
	struct store_conv	*c;
	enum store_status	 rc;
	const char		*tid;
	char			*end;
	long long		 k = 1;

	if (ui->pager != NULL)
		return ui_cmd_screen_in_help(ui);
	if (argc > 1)
		k = strtoll(argv[1], &end, 10);
	if (argc > 1 && (*argv[1] == '\0' || *end != '\0' || k < 1 ||
	    k > 1000)) {
		*cause = xasprintf(_("open-other: '%s' is no number"), argv[1]);
		return -1;
	}
	if (ui->thread == NULL) {
		ui_set_message(ui, 1, _("open-other: no conversation open"));
		return UI_REDRAW;
	}
	if ((tid = ui_thread_other(ui->thread, (size_t)k - 1)) == NULL) {
		if (k == 1)
			ui_set_message(ui, 1, "%s", _("open-other: no other "
			    "conversation of this customer"));
		else
			ui_set_message(ui, 1, _("open-other: no "
			    "conversation %lld"), k);
		return UI_REDRAW;
	}
	rc = store_conv_of_thread(ui->store, tid, &c, cause);
	if (rc == STORE_NOT_FOUND) {
		free(*cause);
		*cause = NULL;
		ui_set_message(ui, 1, _("open-other: the conversation is "
		    "gone"));
		return UI_REDRAW;
	}
	if (rc != STORE_OK)
		return -1;
	ui_open_conv(ui, c);
	store_conv_free(c);
	return UI_REDRAW;
}

/* The links to make in a child: pairs of a thread id and a conversation
 * (a thread id, or CONV as typed, resolved there). */
struct ui_contact_job {
	struct store_options	 store;
	struct ui		*ui;
	char			**a;
	char			**b;
	size_t			  n;
};

static void
ui_contact_job_free(struct ui_contact_job *j)
{
	size_t	i;

	for (i = 0; i < j->n; i++) {
		free(j->a[i]);
		free(j->b[i]);
	}
	free(j->a);
	free(j->b);
	free(j);
}

static void
ui_contact_job_add(struct ui_contact_job *j, const char *a, const char *b)
{
	j->a = xreallocarray(j->a, j->n + 1, sizeof *j->a);
	j->b = xreallocarray(j->b, j->n + 1, sizeof *j->b);
	j->a[j->n] = xstrdup(a);
	j->b[j->n++] = xstrdup(b);
}

static int
ui_contact_child(void *arg)
{
	struct ui_contact_job	*j = arg;
	struct store		*st = NULL;
	struct contact		*c = NULL;
	enum store_status	 rc;
	char			*cause = NULL, *b;
	size_t			 i, linked = 0;

	rc = store_open(&j->store, STORE_READ_WRITE, &st, &cause);
	for (i = 0; rc == STORE_OK && i < j->n; i++) {
		if ((rc = store_resolve_conv(st, j->b[i], &b, &cause)) !=
		    STORE_OK)
			break;
		rc = store_contact_link(st, j->a[i], b, &c, &cause);
		free(b);
		if (rc == STORE_DUPLICATE && j->n == 1) {
			contact_free(c);
			break;
		}
		if (rc == STORE_DUPLICATE && j->n > 1) {
			/* Already one among several: not a failure. */
			free(cause);
			cause = NULL;
			rc = STORE_OK;
		} else if (rc == STORE_OK) {
			linked++;
			if (c->name != NULL)
				printf("%s\n", c->name);
		}
		contact_free(c);
		c = NULL;
	}
	return ui_child_exit(st, rc, cause);
}

static void
ui_contact_done(struct job *job, int status, const char *output, void *data)
{
	struct ui_contact_job	*j = data;
	struct ui		*ui = j->ui;

	(void)job;
	ui->jobs--;
	if (status == JOB_CANCELLED) {
		ui_contact_job_free(j);
		return;
	}
	if (status != 0)
		ui_job_failed(ui, _("contact-link failed"), output,
		    _("the database could not be written"));
	else
		ui_set_message(ui, 0, _("contact-link: one person now"));
	ui_contact_job_free(j);
	ui_refresh(ui);
}

static int
ui_contact_link_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui		*ui = data;
	struct ui_contact_job	*j;
	const struct store_conv	*c;
	const char		*here;
	size_t			 i;

	if (ui->pager != NULL)
		return ui_cmd_screen_in_help(ui);
	here = ui->thread_id;
	if (here == NULL && (c = ui_list_selected(ui->list)) != NULL)
		here = c->thread_id;
	j = xcalloc(1, sizeof *j);
	if (argc > 1 && here != NULL)
		ui_contact_job_add(j, here, argv[1]);
	else if (argc == 1) {
		/* The marked ones: each with the one open, else with the
		 * first marked. */
		for (i = 0; i < ui->marked.n; i++) {
			if (here != NULL && strcmp(here,
			    ui->marked.items[i]) != 0)
				ui_contact_job_add(j, here,
				    ui->marked.items[i]);
			else if (here == NULL && i > 0)
				ui_contact_job_add(j, ui->marked.items[0],
				    ui->marked.items[i]);
		}
	}
	if (j->n == 0) {
		ui_contact_job_free(j);
		ui_set_message(ui, 1, _("contact-link: name the other "
		    "conversation (contact-link CONV) or mark it"));
		return UI_REDRAW;
	}
	(void)cause;
	j->store = ui->opts->store;
	j->ui = ui;
	if (job_run(ui->loop, ui_contact_child, j, ui_contact_done, j) ==
	    NULL) {
		ui_contact_job_free(j);
		ui_set_message(ui, 1, _("contact-link failed: cannot start a "
		    "process"));
		return UI_REDRAW;
	}
	ui->jobs++;
	return UI_REDRAW;
}
