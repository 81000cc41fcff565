/*
 * cli-contact.c: ombre contact show|list|link|unlink|note|set (issue 16).
 * A contact is a person across channels (store-contact.c): shown with
 * its identities, language, labels, notes and conversations on every
 * channel; listed, with --suggest the merges that shared phone numbers
 * and addresses point at (never made but by link); link merges two
 * conversations' contacts, unlink takes one back out; note and set
 * change a contact, made for the conversation when it has none.
 * Everything a contact holds came from outside: sanitised on a
 * terminal, escaped in JSON.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLI_CONTACT_USAGE \
	N_("usage: ombre contact show CONV|ID [--json]\n" \
	"       ombre contact list [--suggest] [--json]\n" \
	"       ombre contact link CONV CONV [--json]\n" \
	"       ombre contact unlink CONV [--json]\n" \
	"       ombre contact note CONV|ID TEXT [--json]\n" \
	"       ombre contact set CONV|ID name=NAME|lang=LANG|label=LABEL|" \
	"identity=KIND:VALUE... [--json]")

static void
cli_contact_warn(const char *cause)
{
	char	*clean;

	clean = sanitize(cause, strlen(cause), SANITIZE_LINE, 300);
	log_warn("contact: %s", clean);
	free(clean);
}

static int
cli_contact_fail(enum store_status status, char *cause)
{
	cli_contact_warn(cause != NULL ? cause : store_status_str(status));
	free(cause);
	return status == STORE_LOCKED ? EXIT_TEMPFAIL : 1;
}

/* A line of untrusted text, sanitised. */
static void
cli_contact_line(struct buf *b, const char *label, const char *text)
{
	buf_add_str(b, label);
	sanitize_buf(b, text, strlen(text), SANITIZE_LINE, 0);
	buf_add_char(b, '\n');
}

static void
cli_contact_conv_row(struct buf *b, const struct store_conv *c, int64_t now)
{
	char	badge[3], age[16];
	int	width = cli_width();
	size_t	start = b->len, used;

	channel_badge(c->channel, badge);
	util_format_age(now - c->newest, age, sizeof age);
	buf_add_printf(b, "  %6s %s %4s ", c->short_id, badge, age);
	cli_add_cell(b, c->customer_name, 18);
	buf_add_char(b, ' ');
	used = utf8_width(b->data + start, b->len - start);
	if (width == 0)
		sanitize_buf(b, c->snippet, strlen(c->snippet), SANITIZE_LINE,
		    0);
	else if (width - (int)used > 4)
		sanitize_buf(b, c->snippet, strlen(c->snippet), SANITIZE_LINE,
		    (size_t)(width - (int)used));
	while (b->len > start && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	buf_add_char(b, '\n');
}

/* The contact's object of --json (c NULL: a conversation of its own). */
static struct json_obj *
cli_contact_obj(const struct contact *c, const char *identity,
    const char *lang, struct store_conv *const *convs, size_t n)
{
	struct json_obj	*o, *r;
	char		 date[64];
	char		*one[1];
	size_t		 i;

	o = json_obj_new();
	json_obj_set_str(o, "id", c != NULL ? c->id : NULL);
	json_obj_set_str(o, "name", c != NULL ? c->name : NULL);
	json_obj_set_str(o, "lang", lang != NULL ? lang : c != NULL ?
	    c->lang : NULL);
	if (c != NULL) {
		json_obj_set_strv(o, "identities", c->identities,
		    c->n_identities);
		json_obj_set_strv(o, "labels", c->labels, c->n_labels);
		json_obj_set_strv(o, "notes", c->notes, c->n_notes);
	} else {
		one[0] = identity != NULL ? xstrdup(identity) : NULL;
		json_obj_set_strv(o, "identities", one, identity != NULL);
		free(one[0]);
		json_obj_set_strv(o, "labels", NULL, 0);
		json_obj_set_strv(o, "notes", NULL, 0);
	}
	if (convs != NULL) {
		json_obj_set_strv(o, "conversations", NULL, 0);
		for (i = 0; i < n; i++) {
			r = json_obj_new();
			json_obj_set_str(r, "id", convs[i]->short_id);
			json_obj_set_str(r, "thread", convs[i]->thread_id);
			json_obj_set_str(r, "channel", convs[i]->channel);
			json_obj_set_str(r, "customer",
			    convs[i]->customer_name);
			util_format_rfc3339(convs[i]->newest, 0, date,
			    sizeof date);
			json_obj_set_str(r, "date", date);
			json_obj_set_str(r, "snippet", convs[i]->snippet);
			json_obj_append_obj(o, "conversations", r);
		}
	}
	return o;
}

static void
cli_contact_print_json(struct json_obj *o)
{
	char	*json;

	json = json_obj_finish(o);
	printf("%s\n", json);
	free(json);
}

/* The contact as text: who, then what it holds, then its conversations. */
static void
cli_contact_text(struct buf *b, const struct contact *c,
    const char *identity, const char *lang, struct store_conv *const *convs,
    size_t n)
{
	int64_t	now = util_now();
	size_t	i;

	if (c != NULL) {
		buf_add_printf(b, _("contact %s"), c->id);
		if (c->name != NULL) {
			buf_add_str(b, "  ");
			sanitize_buf(b, c->name, strlen(c->name),
			    SANITIZE_LINE, 0);
		}
		buf_add_char(b, '\n');
	} else
		buf_add_str(b, _("no contact: a conversation of its own\n"));
	if (lang != NULL || (c != NULL && c->lang != NULL))
		cli_contact_line(b, "language: ", lang != NULL ? lang :
		    c->lang);
	if (c != NULL) {
		for (i = 0; i < c->n_identities; i++)
			cli_contact_line(b, "identity: ", c->identities[i]);
		for (i = 0; i < c->n_labels; i++)
			cli_contact_line(b, "label: ", c->labels[i]);
		for (i = 0; i < c->n_notes; i++)
			cli_contact_line(b, "note: ", c->notes[i]);
	} else if (identity != NULL)
		cli_contact_line(b, "identity: ", identity);
	if (convs != NULL) {
		buf_add_printf(b, "conversations: %zu\n", n);
		for (i = 0; i < n; i++)
			cli_contact_conv_row(b, convs[i], now);
	}
}

/* Options and the count of arguments a subcommand takes: -1 to go on,
 * else the exit status. */
static int
cli_contact_args(const char *name, int argc, char **argv, int min, int max,
    int *json, int *suggest, char ***rest, int *n_rest)
{
	const struct cli_opt	 opts[] = {
		{ "json", 0, 0, NULL, json },
		{ "suggest", 0, 0, NULL, suggest },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args(name, opts, argc, argv, rest, n_rest) != 0)
		return EXIT_USAGE;
	if (*n_rest < min || (max >= 0 && *n_rest > max)) {
		free(*rest);
		log_warn("%s", _(CLI_CONTACT_USAGE));
		return EXIT_USAGE;
	}
	return -1;
}

/*
 * CONV|ID: a contact's id, else a conversation (*thread_id) and its
 * contact, made in memory when it has none (for_write) or NULL.
 */
static enum store_status
cli_contact_resolve(struct store *st, const char *arg, int for_write,
    struct contact **c, char **thread_id, char **identity, char **cause)
{
	enum store_status	rc;

	*c = NULL;
	*thread_id = NULL;
	*identity = NULL;
	if (contact_id_valid(arg))
		return store_contact_get(st, arg, c, cause);
	if ((rc = store_resolve_conv(st, arg, thread_id, cause)) != STORE_OK)
		return rc;
	if (for_write)
		return store_contact_target(st, *thread_id, c, cause);
	return store_contact_of(st, *thread_id, c, identity, cause);
}

static int
cli_contact_show(struct cli *cli, int argc, char **argv)
{
	struct store		 *st;
	struct contact		 *c = NULL;
	struct store_conv	**convs = NULL;
	enum store_status	  rc;
	struct buf		  out;
	char			**rest, *thread = NULL, *identity = NULL;
	char			 *lang = NULL, *cause = NULL;
	size_t			  n = 0;
	int			  json = 0, suggest = 0, n_rest, status;

	if ((status = cli_contact_args("contact show", argc, argv, 1, 1, &json,
	    &suggest, &rest, &n_rest)) >= 0)
		return status;
	if ((status = cli_open(cli, STORE_READ_ONLY, &st)) != 0) {
		free(rest);
		return status;
	}
	rc = cli_contact_resolve(st, rest[0], 0, &c, &thread, &identity,
	    &cause);
	free(rest);
	if (rc == STORE_OK)
		rc = store_contact_convs(st, c, identity, &convs, &n, &cause);
	if (rc != STORE_OK) {
		status = cli_contact_fail(rc, cause);
		goto out;
	}
	if (thread != NULL)
		lang = store_contact_language(st, thread);
	if (json)
		cli_contact_print_json(cli_contact_obj(c, identity, lang, convs,
		    n));
	else {
		buf_init(&out);
		cli_contact_text(&out, c, identity, lang, convs, n);
		fwrite(out.data, 1, out.len, stdout);
		buf_free(&out);
	}
	status = fflush(stdout) == 0 ? 0 : 1;
out:
	store_convs_free(convs, n);
	contact_free(c);
	free(thread);
	free(identity);
	free(lang);
	store_close(st);
	return status;
}

static void
cli_contact_suggestions(const struct store_contact_suggestion *s, size_t n,
    int json)
{
	struct json_obj	*o, *r;
	struct buf	 out;
	const char	*first;
	size_t		 i, j;

	buf_init(&out);
	for (i = 0; i < n; i++) {
		if (json) {
			o = json_obj_new();
			json_obj_set_str(o, "suggest", "link");
			json_obj_set_str(o, "key", s[i].key);
			json_obj_set_strv(o, "with", NULL, 0);
			for (j = 0; j < s[i].n; j++) {
				r = json_obj_new();
				json_obj_set_str(r, "contact", s[i].owners[j]);
				json_obj_set_str(r, "identity",
				    s[i].identities[j]);
				json_obj_set_str(r, "conversation",
				    s[i].convs[j]);
				json_obj_append_obj(o, "with", r);
			}
			cli_contact_print_json(o);
			continue;
		}
		buf_add_str(&out, strncmp(s[i].key, "phone:", 6) == 0 ?
		    _("same phone ") : _("same e-mail "));
		sanitize_buf(&out, strchr(s[i].key, ':') + 1,
		    strlen(strchr(s[i].key, ':') + 1), SANITIZE_LINE, 0);
		buf_add_char(&out, '\n');
		for (j = 0; j < s[i].n; j++) {
			buf_add_str(&out, "  ");
			sanitize_buf(&out, s[i].identities[j],
			    strlen(s[i].identities[j]), SANITIZE_LINE, 0);
			if (s[i].owners[j] != NULL)
				buf_add_printf(&out, _(" (contact %s)"),
				    s[i].owners[j]);
			if (s[i].convs[j] != NULL)
				buf_add_printf(&out, _(" conversation %s"),
				    s[i].convs[j]);
			buf_add_char(&out, '\n');
		}
		/* The first two with a conversation, as link takes them. */
		for (first = NULL, j = 0; j < s[i].n; j++) {
			if (s[i].convs[j] == NULL)
				continue;
			if (first == NULL)
				first = s[i].convs[j];
			else {
				buf_add_printf(&out, _("  to merge: ombre "
				    "contact link %s %s\n"), first,
				    s[i].convs[j]);
				break;
			}
		}
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
}

static int
cli_contact_list(struct cli *cli, int argc, char **argv)
{
	struct store			 *st;
	struct contact			**list = NULL;
	struct store_contact_suggestion	 *sug = NULL;
	enum store_status		  rc;
	struct buf			  out;
	char				**rest, *cause = NULL;
	size_t				  n = 0, i, j;
	int				  json = 0, suggest = 0, n_rest, status;

	if ((status = cli_contact_args("contact list", argc, argv, 0, 0, &json,
	    &suggest, &rest, &n_rest)) >= 0)
		return status;
	free(rest);
	if ((status = cli_open(cli, STORE_READ_ONLY, &st)) != 0)
		return status;
	if (suggest) {
		rc = store_contact_suggest(st, &sug, &n, &cause);
		if (rc != STORE_OK)
			status = cli_contact_fail(rc, cause);
		else {
			cli_contact_suggestions(sug, n, json);
			store_contact_suggestions_free(sug, n);
			status = fflush(stdout) == 0 ? 0 : 1;
		}
		store_close(st);
		return status;
	}
	if ((rc = store_contact_list(st, &list, &n, &cause)) != STORE_OK) {
		store_close(st);
		return cli_contact_fail(rc, cause);
	}
	buf_init(&out);
	for (i = 0; i < n; i++) {
		if (json) {
			cli_contact_print_json(cli_contact_obj(list[i], NULL,
			    NULL, NULL, 0));
			continue;
		}
		buf_add_printf(&out, "%s ", list[i]->id);
		cli_add_cell(&out, list[i]->name != NULL ? list[i]->name : "",
		    20);
		buf_add_printf(&out, " %-3s", list[i]->lang != NULL ?
		    list[i]->lang : "");
		for (j = 0; j < list[i]->n_identities; j++) {
			buf_add_char(&out, ' ');
			sanitize_buf(&out, list[i]->identities[j],
			    strlen(list[i]->identities[j]), SANITIZE_LINE, 0);
		}
		if (list[i]->n_notes > 0)
			buf_add_printf(&out, ngettext("  (%zu note)",
			    "  (%zu notes)", list[i]->n_notes),
			    list[i]->n_notes);
		buf_add_char(&out, '\n');
	}
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	store_contacts_free(list, n);
	store_close(st);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* What a write says: the contact as it is now. */
static int
cli_contact_done(const struct contact *c, int json, const char *what)
{
	struct buf	out;

	if (json) {
		cli_contact_print_json(cli_contact_obj(c, NULL, NULL, NULL, 0));
		return fflush(stdout) == 0 ? 0 : 1;
	}
	buf_init(&out);
	buf_add_printf(&out, "%s: ", what);
	cli_contact_text(&out, c, NULL, NULL, NULL, 0);
	fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	return fflush(stdout) == 0 ? 0 : 1;
}

static int
cli_contact_link(struct cli *cli, int argc, char **argv, int unlink)
{
	struct store		 *st;
	struct contact		 *c = NULL;
	enum store_status	  rc;
	char			**rest, *a = NULL, *b = NULL, *cause = NULL;
	int			  json = 0, suggest = 0, n_rest, status;

	if ((status = cli_contact_args(unlink ? "contact unlink" :
	    "contact link", argc, argv, unlink ? 1 : 2, unlink ? 1 : 2, &json,
	    &suggest, &rest, &n_rest)) >= 0)
		return status;
	if ((status = cli_open(cli, STORE_READ_WRITE, &st)) != 0) {
		free(rest);
		return status;
	}
	rc = store_resolve_conv(st, rest[0], &a, &cause);
	if (rc == STORE_OK && !unlink)
		rc = store_resolve_conv(st, rest[1], &b, &cause);
	free(rest);
	if (rc == STORE_OK && unlink)
		rc = store_contact_unlink(st, a, &c, &cause);
	else if (rc == STORE_OK)
		rc = store_contact_link(st, a, b, &c, &cause);
	if (rc == STORE_OK)
		status = cli_contact_done(c, json, unlink ? "unlinked; left" :
		    "linked");
	else
		status = cli_contact_fail(rc, cause);
	if (store_close(st) != STORE_OK && status == 0)
		status = 1;
	contact_free(c);
	free(a);
	free(b);
	return status;
}

/* name=, lang=, label=, identity= applied to c: 0, or -1 with *cause. */
static int
cli_contact_apply(struct contact *c, const char *arg, char **cause)
{
	const char	*eq = strchr(arg, '=');
	char		*lang, *identity;

	*cause = NULL;
	if (eq == NULL) {
		*cause = xasprintf(_("'%s' is not KEY=VALUE"), arg);
		return -1;
	}
	if (strncmp(arg, "name=", 5) == 0)
		contact_set_name(c, eq + 1);
	else if (strncmp(arg, "lang=", 5) == 0) {
		if (eq[1] == '\0') {
			free(c->lang);
			c->lang = NULL;
		} else if ((lang = contact_lang_normalise(eq + 1)) == NULL) {
			*cause = xasprintf(_("'%s' is no language code (fr, en, "
			    "pt-BR)"), eq + 1);
			return -1;
		} else {
			free(c->lang);
			c->lang = lang;
		}
	} else if (strncmp(arg, "label=", 6) == 0) {
		if (!contact_add_label(c, eq + 1) &&
		    !tag_valid(eq + 1)) {
			*cause = xasprintf(_("'%s' is no label"), eq + 1);
			return -1;
		}
	} else if (strncmp(arg, "identity=", 9) == 0) {
		if ((identity = contact_identity_parse(eq + 1, cause)) == NULL)
			return -1;
		contact_add_identity(c, identity);
		free(identity);
	} else {
		*cause = xasprintf(_("'%s': set takes name=, lang=, label= and "
		    "identity="), arg);
		return -1;
	}
	return 0;
}

static int
cli_contact_change(struct cli *cli, int argc, char **argv, int note)
{
	struct store		 *st;
	struct contact		 *c = NULL, *other = NULL;
	enum store_status	  rc;
	char			**rest, *thread = NULL, *identity = NULL;
	char			 *cause = NULL;
	int			  json = 0, suggest = 0, n_rest, status, i;

	if ((status = cli_contact_args(note ? "contact note" : "contact set",
	    argc, argv, 2, note ? 2 : -1, &json, &suggest, &rest, &n_rest)) >=
	    0)
		return status;
	if (note && (*rest[1] == '\0' || strlen(rest[1]) > 1000)) {
		log_warn(_("contact note: a note of 1 to 1000 bytes"));
		free(rest);
		return EXIT_USAGE;
	}
	if ((status = cli_open(cli, STORE_READ_WRITE, &st)) != 0) {
		free(rest);
		return status;
	}
	rc = cli_contact_resolve(st, rest[0], 1, &c, &thread, &identity,
	    &cause);
	for (i = 1; rc == STORE_OK && i < n_rest; i++) {
		if (note)
			contact_add_note(c, rest[i]);
		else if (cli_contact_apply(c, rest[i], &cause) != 0)
			rc = STORE_BAD_INPUT;
	}
	/* An identity another contact holds is that contact's: link the
	 * conversations instead of holding it twice. */
	for (i = 0; rc == STORE_OK && !note && c != NULL &&
	    (size_t)i < c->n_identities; i++) {
		rc = store_contact_of_identity(st, c->identities[i], &other,
		    &cause);
		if (rc == STORE_OK && other != NULL &&
		    strcmp(other->id, c->id) != 0) {
			cause = xasprintf(_("%s is contact %s's: link their "
			    "conversations instead"), c->identities[i],
			    other->id);
			rc = STORE_DUPLICATE;
		}
		contact_free(other);
		other = NULL;
	}
	free(rest);
	if (rc == STORE_OK)
		rc = store_contact_save(st, c, &cause);
	if (rc == STORE_OK)
		status = cli_contact_done(c, json, note ? "noted" : "set");
	else
		status = cli_contact_fail(rc, cause);
	if (store_close(st) != STORE_OK && status == 0)
		status = 1;
	contact_free(c);
	free(thread);
	free(identity);
	return status;
}

int
cli_contact(struct cli *cli, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "show") == 0)
		return cli_contact_show(cli, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return cli_contact_list(cli, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "link") == 0)
		return cli_contact_link(cli, argc - 1, argv + 1, 0);
	if (argc >= 1 && strcmp(argv[0], "unlink") == 0)
		return cli_contact_link(cli, argc - 1, argv + 1, 1);
	if (argc >= 1 && strcmp(argv[0], "note") == 0)
		return cli_contact_change(cli, argc - 1, argv + 1, 1);
	if (argc >= 1 && strcmp(argv[0], "set") == 0)
		return cli_contact_change(cli, argc - 1, argv + 1, 0);
	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0))
		return cli_help_print("contact");
	log_warn("%s", _(CLI_CONTACT_USAGE));
	return EXIT_USAGE;
}
