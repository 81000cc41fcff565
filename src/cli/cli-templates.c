/*
 * cli-templates.c: ombre templates list [--json] | show NAME
 * [--conversation CONV] [--lang LANG] | check [DIR]: the canned replies
 * (template.c, ombre-templates(5)) from the shell: what there is, one
 * filled in as it would be for a conversation, and every problem of the
 * directory as file:line: message (exit 1), before an agent meets it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CLI_TEMPLATES_USAGE \
	N_("usage: ombre templates list [--json]\n" \
	"       ombre templates show NAME [--conversation CONV] [--lang LANG]\n" \
	"       ombre templates check [DIR]")

static void
cli_templates_warn(const char *cause)
{
	char	*clean;

	clean = sanitize(cause, strlen(cause), SANITIZE_LINE, 300);
	log_warn("templates: %s", clean);
	free(clean);
}

/* The first line of a text, for a row. */
static char *
cli_templates_first_line(const char *text)
{
	return xstrndup(text, strcspn(text, "\n"));
}

static int
cli_templates_list(int argc, char **argv)
{
	struct template	**all;
	struct json_obj	 *o;
	struct buf	  b;
	char		**errors, **rest, *line, *json;
	size_t		  n, n_errors, i, text_w;
	int		  json_out = 0, n_rest, width;
	const struct cli_opt opts[] = {
		{ "json", 0, 0, NULL, &json_out },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("templates list", opts, argc, argv, &rest,
	    &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest != 0) {
		log_warn("%s", _(CLI_TEMPLATES_USAGE));
		return EXIT_USAGE;
	}
	all = template_load_all(&n, &errors, &n_errors);
	if ((width = cli_width()) <= 0)
		width = 80;
	text_w = width > 60 ? (size_t)width - 56 : 4;
	buf_init(&b);
	for (i = 0; i < n; i++) {
		line = cli_templates_first_line(all[i]->body);
		if (json_out) {
			o = json_obj_new();
			json_obj_set_str(o, "name", all[i]->name);
			json_obj_set_str(o, "file", all[i]->file);
			json_obj_set_str(o, "shortcut", all[i]->shortcut);
			json_obj_set_str(o, "language",
			    template_variant_lang(all[i]));
			json_obj_set_str(o, "channels", all[i]->channels);
			json_obj_set_str(o, "approved", all[i]->approved);
			json_obj_set_bool(o, "holding", all[i]->holding);
			json_obj_set_str(o, "text", all[i]->body);
			json = json_obj_finish(o);
			buf_add_printf(&b, "%s\n", json);
			free(json);
		} else {
			/* NAME  SHORTCUT  LANG  CHANNELS  first line */
			cli_add_cell(&b, all[i]->name, 20);
			buf_add_char(&b, ' ');
			if (all[i]->shortcut != NULL) {
				buf_add_char(&b, ';');
				cli_add_cell(&b, all[i]->shortcut, 11);
			} else
				cli_add_cell(&b, "", 12);
			buf_add_char(&b, ' ');
			cli_add_cell(&b, template_variant_lang(all[i]) !=
			    NULL ? template_variant_lang(all[i]) : "-", 3);
			buf_add_char(&b, ' ');
			cli_add_cell(&b, all[i]->channels != NULL ?
			    all[i]->channels : _("all"), 18);
			buf_add_char(&b, ' ');
			cli_add_cell(&b, line, text_w);
			while (b.len > 0 && b.data[b.len - 1] == ' ')
				b.data[--b.len] = '\0';
			buf_add_char(&b, '\n');
		}
		free(line);
	}
	if (b.len > 0)
		fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	for (i = 0; i < n_errors; i++) {
		cli_templates_warn(errors[i]);
		free(errors[i]);
	}
	free(errors);
	template_all_free(all, n);
	if (n == 0 && n_errors == 0 && !json_out) {
		line = template_dir();
		log_warn(_("templates: none in %s (see ombre-templates(5))"),
		    line != NULL ? line : _("the templates directory"));
		free(line);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

/*
 * show NAME: the template the conversation would get (its customer's
 * language, else --lang, else template.language) filled in for it; without
 * a conversation, the variant and its text as written.
 */
static int
cli_templates_show(struct cli *cli, int argc, char **argv)
{
	struct store			*st = NULL;
	struct store_reply_context	*ctx = NULL;
	struct template			*t;
	struct buf			 b;
	const char			*conv = NULL, *lang_opt = NULL;
	char				**rest, *cause = NULL, *lang = NULL;
	char				*text = NULL;
	int				 n_rest, rc;
	const struct cli_opt		 opts[] = {
		{ "conversation", 0, 1, &conv, NULL },
		{ "lang", 0, 1, &lang_opt, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("templates show", opts, argc, argv, &rest,
	    &n_rest) != 0)
		return EXIT_USAGE;
	if (n_rest != 1) {
		free(rest);
		log_warn("%s", _(CLI_TEMPLATES_USAGE));
		return EXIT_USAGE;
	}
	if (conv != NULL) {
		if ((rc = cli_open(cli, STORE_READ_ONLY, &st)) != 0) {
			free(rest);
			return rc;
		}
		if (store_reply_context(st, conv, &ctx, &cause) != STORE_OK) {
			cli_templates_warn(cause);
			free(cause);
			free(rest);
			store_close(st);
			return 1;
		}
		lang = store_contact_language(st, ctx->thread_id);
	}
	if (lang == NULL && lang_opt != NULL)
		lang = xstrdup(lang_opt);
	t = template_resolve(rest[0], lang, &cause);
	free(rest);
	rc = 1;
	if (t == NULL)
		goto out;
	if (ctx != NULL && (text = template_fill(t, ctx->channel,
	    ctx->customer_name, &cause)) == NULL)
		goto out;
	buf_init(&b);
	/* not translated: the fields of a template file (ombre-templates(5)) */
	buf_add_printf(&b, "name: %s\n", t->name);
	if (t->file != NULL)
		buf_add_printf(&b, "file: %s\n", t->file);
	if (template_variant_lang(t) != NULL)
		buf_add_printf(&b, "language: %s\n", template_variant_lang(t));
	if (t->shortcut != NULL)
		buf_add_printf(&b, "shortcut: %s\n", t->shortcut);
	buf_add_printf(&b, "channels: %s\n", t->channels != NULL ?
	    t->channels : _("all"));
	if (t->approved != NULL)
		buf_add_printf(&b, "approved: %s\n", t->approved);
	if (ctx != NULL)
		buf_add_printf(&b, _("for: %s, %s\n"), ctx->channel,
		    ctx->customer_name != NULL ? ctx->customer_name : "?");
	buf_add_char(&b, '\n');
	text = text != NULL ? text : xstrdup(t->body);
	buf_add_str(&b, text);
	buf_add_char(&b, '\n');
	/* The customer's name is untrusted, and so is a file. */
	free(text);
	text = sanitize(b.data, b.len, SANITIZE_BODY, 0);
	fputs(text, stdout);
	buf_free(&b);
	template_free(t);
	t = NULL;
	rc = fflush(stdout) == 0 ? 0 : 1;
out:
	if (cause != NULL) {
		cli_templates_warn(cause);
		free(cause);
	}
	template_free(t);
	free(text);
	free(lang);
	store_reply_context_free(ctx);
	if (st != NULL)
		store_close(st);
	return rc;
}

/* By file, then by line: "a:10" after "a:4". */
static int
cli_templates_problem_cmp(const void *a, const void *b)
{
	const char	*pa = *(char *const *)a, *pb = *(char *const *)b;
	size_t		 la = strcspn(pa, ":"), lb = strcspn(pb, ":");
	int		 c;

	if ((c = strncmp(pa, pb, la < lb ? la : lb)) != 0)
		return c;
	if (la != lb)
		return la < lb ? -1 : 1;
	return atoi(pa + la + 1) - atoi(pb + lb + 1);
}

/* check [DIR]: every problem as DIR/file:line: message; exit 1 on any. */
static int
cli_templates_check(int argc, char **argv)
{
	struct template	**all;
	char		**errors, **problems, **rest, *dir, *line, *clean;
	size_t		  n, n_errors, n_problems, i;
	int		  n_rest;
	const struct cli_opt opts[] = {
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("templates check", opts, argc, argv, &rest,
	    &n_rest) != 0)
		return EXIT_USAGE;
	if (n_rest > 1) {
		free(rest);
		log_warn("%s", _(CLI_TEMPLATES_USAGE));
		return EXIT_USAGE;
	}
	dir = n_rest == 1 ? xstrdup(rest[0]) : template_dir();
	free(rest);
	if (dir == NULL) {
		log_warn(_("templates: no templates directory"));
		return 1;
	}
	all = template_load_dir(dir, &n, &errors, &n_errors);
	if (all == NULL && n_errors == 0 && access(dir, R_OK | X_OK) != 0) {
		log_warn(_("templates: cannot read %s"), dir);
		free(dir);
		return 1;
	}
	n_problems = template_check(all, n, &problems);
	/* Both kinds together, in the order of the files. */
	errors = xreallocarray(errors, n_errors + n_problems + 1,
	    sizeof *errors);
	for (i = 0; i < n_problems; i++)
		errors[n_errors + i] = problems[i];
	free(problems);
	if (n_errors + n_problems > 1)
		qsort(errors, n_errors + n_problems, sizeof *errors,
		    cli_templates_problem_cmp);
	for (i = 0; i < n_errors + n_problems; i++) {
		/* A file's name and its words are anyone's bytes. */
		line = xasprintf("%s/%s", dir, errors[i]);
		clean = sanitize(line, strlen(line), SANITIZE_LINE, 0);
		printf("%s\n", clean);
		free(clean);
		free(line);
		free(errors[i]);
	}
	free(errors);
	if (n_errors + n_problems > 0)
		log_warn(ngettext("templates: %zu problem in %s",
		    "templates: %zu problems in %s", (unsigned long)(n_errors +
		    n_problems)), n_errors + n_problems, dir);
	else
		printf(ngettext("%zu template in %s: no problem\n",
		    "%zu templates in %s: no problem\n", (unsigned long)n), n,
		    dir);
	template_all_free(all, n);
	free(dir);
	if (fflush(stdout) != 0)
		return 1;
	return n_errors + n_problems > 0 ? 1 : 0;
}

int
cli_templates(struct cli *cli, int argc, char **argv)
{
	int	i;

	/* templates --help, templates show --help: the usage. */
	for (i = 0; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("%s\n", _(CLI_TEMPLATES_USAGE));
			return 0;
		}
	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return cli_templates_list(argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "show") == 0)
		return cli_templates_show(cli, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "check") == 0)
		return cli_templates_check(argc - 1, argv + 1);
	log_warn("%s", _(CLI_TEMPLATES_USAGE));
	return EXIT_USAGE;
}
