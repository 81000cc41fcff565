/*
 * template.c: canned replies, one plain file per template in
 * $XDG_CONFIG_HOME/ombre/templates/ (design.md, Templates):
 *
 *   name: refund-ok                 (default: the file's name)
 *   shortcut: rf
 *   language: fr
 *   channels: whatsapp messenger     (where it may be used; default all)
 *   approved: order_update           (the channel-approved template it
 *                                     maps to: sendable outside WhatsApp's
 *                                     and Messenger's 24-hour window)
 *   holding: yes                     (a holding statement: offered first
 *                                     during a crisis; so is a name
 *                                     starting with "holding")
 *   <empty line>
 *   Bonjour {{customer.first_name}}, votre remboursement est validé.
 *   {{agent.name}}
 *
 * Variables: {{customer.name}}, {{customer.first_name}}, {{agent.name}},
 * {{channel}}; an unknown one is an error, never sent as typed. A
 * fallback follows a bar, {{customer.first_name | "cher client"}}; a
 * variable with no value here (a customer known only by a phone number,
 * a handle or an address has no name) and no fallback refuses the
 * template with the reason, never "Bonjour ," or "Bonjour +336...".
 *
 * Variants: refund.fr and refund.en (or refund-fr, refund-en) are the
 * stem refund in two languages; template_resolve takes the customer's,
 * else the one named, else template.language's. man ombre-templates(5).
 *
 * A
 * template file is the user's, but read like any input: a header line
 * that does not parse or a body that is not UTF-8 names the file and the
 * line, and the template is not used.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TEMPLATE_MAX	(64 * 1024)

void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	free(t->name);
	free(t->shortcut);
	free(t->language);
	free(t->channels);
	free(t->approved);
	free(t->body);
	free(t->file);
	free(t);
}

char *
template_dir(void)
{
	return config_beside("templates");
}

static int
template_name_ok(const char *s)
{
	if (*s == '\0' || *s == '.' || strlen(s) > 64)
		return 0;
	for (; *s != '\0'; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		    *s == '.'))
			return 0;
	}
	return 1;
}

struct template *
template_parse(const char *file_name, const char *data, size_t len,
    char **cause)
{
	struct template	*t;
	const char	*p = data, *end = data + len, *nl, *colon;
	char		*key, *value;
	size_t		 bad;
	int		 line = 0;

	*cause = NULL;
	if (!utf8_valid(data, len, &bad) || memchr(data, '\0', len) != NULL) {
		/* TRANSLATORS: keep "%s:" glued, the file and a colon: the
		 * search for a template's error reads it. */
		*cause = xasprintf(_("%s: not UTF-8 text"), file_name);
		return NULL;
	}
	t = xcalloc(1, sizeof *t);
	for (;;) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			*cause = xasprintf(_("%s:%d: no empty line before the "
			    "text"), file_name, line);
			goto bad;
		}
		if (nl == p || (nl == p + 1 && *p == '\r'))
			break;
		colon = memchr(p, ':', (size_t)(nl - p));
		if (colon == NULL) {
			*cause = xasprintf(_("%s:%d: not \"key: value\""),
			    file_name, line);
			goto bad;
		}
		key = xstrndup(p, (size_t)(colon - p));
		colon++;
		while (colon < nl && (*colon == ' ' || *colon == '\t'))
			colon++;
		value = xstrndup(colon, (size_t)(nl - colon));
		value[strcspn(value, "\r")] = '\0';
		p = nl + 1;
		if (strcmp(key, "name") == 0 && template_name_ok(value)) {
			free(t->name);
			t->name = value;
		} else if (strcmp(key, "shortcut") == 0) {
			free(t->shortcut);
			t->shortcut = value;
			t->shortcut_line = line;
		} else if (strcmp(key, "language") == 0) {
			free(t->language);
			t->language = value;
		} else if (strcmp(key, "channels") == 0) {
			free(t->channels);
			t->channels = value;
			t->channels_line = line;
		} else if (strcmp(key, "holding") == 0 &&
		    (strcmp(value, "yes") == 0 || strcmp(value, "no") == 0)) {
			t->holding = strcmp(value, "yes") == 0;
			free(value);
		} else if (strcmp(key, "approved") == 0 && *value != '\0') {
			free(t->approved);
			t->approved = value;
		} else {
			*cause = xasprintf(_("%s:%d: unknown key or bad value "
			    "\"%s\""), file_name, line, key);
			free(key);
			free(value);
			goto bad;
		}
		free(key);
	}
	p = nl + 1;
	t->body_line = line + 1;
	t->body = xstrndup(p, (size_t)(end - p));
	while (*t->body != '\0' && t->body[strlen(t->body) - 1] == '\n')
		t->body[strlen(t->body) - 1] = '\0';
	if (*t->body == '\0') {
		/* TRANSLATORS: keep "%s:" glued, the file and a colon: the
		 * search for a template's error reads it. */
		*cause = xasprintf(_("%s: the text is empty"), file_name);
		goto bad;
	}
	/* A holding statement by its name too: holding-fr, holding_delay. */
	if (strncmp(t->name != NULL ? t->name : file_name, "holding", 7) == 0)
		t->holding = 1;
	if (t->name == NULL) {
		if (!template_name_ok(file_name)) {
			/* TRANSLATORS: keep "%s:" glued, the file and a
			 * colon: the search for a template's error reads
			 * it. */
			*cause = xasprintf(_("%s: not a template name (letters, "
			    "digits, - _ .)"), file_name);
			goto bad;
		}
		t->name = xstrdup(file_name);
	}
	return t;
bad:
	template_free(t);
	return NULL;
}

/* Is t the template asked for by name (file name, name or shortcut)? */
static int
template_is_named(const struct template *t, const char *file,
    const char *name)
{
	return strcmp(t->name, name) == 0 || strcmp(file, name) == 0 ||
	    (t->shortcut != NULL && strcmp(t->shortcut, name) == 0);
}

/* Is t the one mapped to the channel-approved template name? */
static int
template_is_approved(const struct template *t, const char *file,
    const char *name)
{
	(void)file;
	return t->approved != NULL && strcmp(t->approved, name) == 0;
}

/*
 * The template in dir's entry file: NULL for a file that is none (not a
 * regular file, too big, unreadable: *cause NULL) or one that does not
 * parse (*cause says why).
 */
static struct template *
template_read_entry(const char *dir, const char *file, char **cause)
{
	struct template	*t;
	struct stat	 sb;
	char		*path, buf[TEMPLATE_MAX + 1];
	ssize_t		 got;
	int		 fd;

	*cause = NULL;
	path = xasprintf("%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	free(path);
	if (fd == -1)
		return NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > TEMPLATE_MAX) {
		close(fd);
		return NULL;
	}
	got = read(fd, buf, TEMPLATE_MAX);
	close(fd);
	if (got < 0)
		return NULL;
	t = template_parse(file, buf, (size_t)got, cause);
	if (t != NULL)
		t->file = xstrdup(file);
	return t;
}

/* The first template of the directory that match says is the one. */
static struct template *
template_find(const char *name, int (*match)(const struct template *,
    const char *, const char *), char **cause)
{
	struct template	*t = NULL, *found = NULL;
	struct dirent	*de;
	DIR		*dirp;
	char		*dir;

	*cause = NULL;
	if ((dir = template_dir()) == NULL || (dirp = opendir(dir)) == NULL) {
		*cause = xasprintf(_("no template %s (no directory %s)"), name,
		    dir != NULL ? dir : _("of templates"));
		free(dir);
		return NULL;
	}
	while (found == NULL && (de = readdir(dirp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		t = template_read_entry(dir, de->d_name, cause);
		if (t == NULL) {
			if (*cause != NULL && strcmp(de->d_name, name) == 0)
				break;	/* the one asked for is broken: say so */
			free(*cause);
			*cause = NULL;
			continue;
		}
		if (match(t, de->d_name, name))
			found = t;
		else
			template_free(t);
	}
	closedir(dirp);
	if (found == NULL && *cause == NULL)
		*cause = xasprintf(_("no template %s in %s"), name, dir);
	free(dir);
	return found;
}

/* Holding statements first (a crisis's), then by name. */
static int	template_names_holding_first;

static int
template_names_cmp(const void *a, const void *b)
{
	const struct template	*ta = *(struct template *const *)a;
	const struct template	*tb = *(struct template *const *)b;

	if (template_names_holding_first && ta->holding != tb->holding)
		return ta->holding ? -1 : 1;
	return strcmp(ta->name, tb->name);
}

char **
template_names(int holding_first)
{
	struct template	**all = NULL, *t;
	struct dirent	 *de;
	DIR		 *dirp;
	char		 *dir, *cause, **names;
	size_t		  n = 0, i;

	if ((dir = template_dir()) != NULL && (dirp = opendir(dir)) != NULL) {
		while ((de = readdir(dirp)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			if ((t = template_read_entry(dir, de->d_name,
			    &cause)) == NULL) {
				free(cause);
				continue;
			}
			all = xreallocarray(all, n + 1, sizeof *all);
			all[n++] = t;
		}
		closedir(dirp);
	}
	free(dir);
	template_names_holding_first = holding_first;
	if (n > 0)
		qsort(all, n, sizeof *all, template_names_cmp);
	names = xcalloc(n + 1, sizeof *names);
	for (i = 0; i < n; i++) {
		names[i] = xstrdup(all[i]->name);
		template_free(all[i]);
	}
	free(all);
	return names;
}

struct template *
template_load(const char *name, char **cause)
{
	/* By file name or the name inside, or by shortcut. */
	return template_find(name, template_is_named, cause);
}

struct template *
template_find_approved(const char *approved, char **cause)
{
	return template_find(approved, template_is_approved, cause);
}

/*
 * The values of t's variables in text, in the body's order, read back
 * from the literal text around them (a channel-approved template is sent
 * as its name and these parameters, the platform having the text). 0, or
 * -1 (nothing set) when text is not t's body filled in.
 */
int
template_params(const struct template *t, const char *text, char ***values,
    size_t *n)
{
	const char	*p = t->body, *open, *close, *at = text, *next, *end;
	char		*lit;
	size_t		 len;

	*values = NULL;
	*n = 0;
	/* The literal before the first variable. */
	open = strstr(p, "{{");
	len = open != NULL ? (size_t)(open - p) : strlen(p);
	if (strncmp(at, p, len) != 0)
		return -1;
	at += len;
	while (open != NULL) {
		if ((close = strstr(open + 2, "}}")) == NULL)
			goto fail;
		p = close + 2;
		open = strstr(p, "{{");
		len = open != NULL ? (size_t)(open - p) : strlen(p);
		lit = xstrndup(p, len);
		if (open == NULL) {
			/* The last literal ends the text. */
			end = at + strlen(at);
			if (strlen(at) < len || strcmp(end - len, lit) != 0) {
				free(lit);
				goto fail;
			}
			next = end - len;
		} else if (len == 0)
			next = at;	/* two variables side by side */
		else if ((next = strstr(at, lit)) == NULL) {
			free(lit);
			goto fail;
		}
		free(lit);
		*values = xreallocarray(*values, *n + 1, sizeof **values);
		(*values)[(*n)++] = xstrndup(at, (size_t)(next - at));
		at = next + len;
	}
	return 0;
fail:
	while (*n > 0)
		free((*values)[--*n]);
	free(*values);
	*values = NULL;
	return -1;
}

int
template_allows(const struct template *t, const char *channel)
{
	const char	*p;
	size_t		 len = strlen(channel);

	if (t->channels == NULL || *t->channels == '\0')
		return 1;
	for (p = t->channels; (p = strstr(p, channel)) != NULL; p += len) {
		if ((p == t->channels || p[-1] == ' ' || p[-1] == ',') &&
		    (p[len] == '\0' || p[len] == ' ' || p[len] == ','))
			return 1;
	}
	return 0;
}

int
template_is_name(const char *s)
{
	const char	*p;
	int		 letter = 0;

	if (s == NULL)
		return 0;
	s += strspn(s, " \t");
	/* +33683422787, @handle, 06 12 34 56 78: how a customer is known
	 * when the channel gives no name. */
	if (*s == '\0' || *s == '+' || *s == '@' || (*s >= '0' && *s <= '9'))
		return 0;
	for (p = s; *p != '\0'; p++) {
		if (*p == '@')
			return 0;	/* an address */
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (unsigned char)*p >= 0x80)
			letter = 1;
	}
	return letter;
}

/*
 * The inside of {{ }}: a variable's name, and its fallback after "|" as a
 * string in double quotes ({{customer.first_name | "cher client"}}). 0,
 * or -1 and *cause (what is wrong, for template_check's file:line).
 */
static int
template_var_parse(const char *in, size_t len, char **name, char **fallback,
    char **cause)
{
	const char	*end = in + len, *bar, *q;
	size_t		 n;

	*name = *fallback = NULL;
	while (in < end && (*in == ' ' || *in == '\t'))
		in++;
	bar = memchr(in, '|', (size_t)(end - in));
	q = bar != NULL ? bar : end;
	while (q > in && (q[-1] == ' ' || q[-1] == '\t'))
		q--;
	n = (size_t)(q - in);
	if (n == 0 || strcspn(in, " \t\"{}") < n) {
		*cause = xasprintf(_("bad variable {{%.*s}}"), (int)len, in);
		return -1;
	}
	*name = xstrndup(in, n);
	if (bar == NULL)
		return 0;
	for (q = bar + 1; q < end && (*q == ' ' || *q == '\t'); q++)
		;
	while (end > q && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end - q < 2 || *q != '"' || end[-1] != '"' ||
	    memchr(q + 1, '"', (size_t)(end - q - 2)) != NULL) {
		*cause = xasprintf(_("bad fallback for {{%s}}: write {{%s | "
		    "\"text\"}}"), *name, *name);
		free(*name);
		*name = NULL;
		return -1;
	}
	*fallback = xstrndup(q + 1, (size_t)(end - q - 2));
	return 0;
}

/* Is name a variable templates know? */
static int
template_var_known(const char *name)
{
	return strcmp(name, "customer.name") == 0 ||
	    strcmp(name, "customer.first_name") == 0 ||
	    strcmp(name, "agent.name") == 0 || strcmp(name, "channel") == 0;
}

char *
template_render(const struct template *t, const struct template_vars *v,
    char **cause)
{
	struct buf	 b;
	const char	*p = t->body, *close, *value, *who;
	char		*name, *fallback, first[128], *why, *shown;
	size_t		 n;

	*cause = NULL;
	buf_init(&b);
	who = template_is_name(v->customer_name) ? v->customer_name : NULL;
	while ((close = strstr(p, "{{")) != NULL) {
		buf_add(&b, p, (size_t)(close - p));
		p = close + 2;
		if ((close = strstr(p, "}}")) == NULL) {
			*cause = xasprintf(_("template %s: {{ without }}"), t->name);
			buf_free(&b);
			return NULL;
		}
		if (template_var_parse(p, (size_t)(close - p), &name,
		    &fallback, &why) != 0) {
			*cause = xasprintf(_("template %s: %s"), t->name, why);
			free(why);
			buf_free(&b);
			return NULL;
		}
		p = close + 2;
		value = NULL;
		if (strcmp(name, "customer.name") == 0)
			value = who;
		else if (strcmp(name, "customer.first_name") == 0) {
			if (who != NULL) {
				who += strspn(who, " \t");
				n = strcspn(who, " \t");
				if (n >= sizeof first)
					n = sizeof first - 1;
				memcpy(first, who, n);
				first[n] = '\0';
				value = first;
			}
		} else if (strcmp(name, "agent.name") == 0)
			value = v->agent_name;
		else if (strcmp(name, "channel") == 0)
			value = v->channel;
		else {
			*cause = xasprintf(_("template %s: unknown variable "
			    "{{%s}}"), t->name, name);
			free(name);
			free(fallback);
			buf_free(&b);
			return NULL;
		}
		if (value == NULL || *value == '\0')
			value = fallback;
		if (value == NULL && !v->lenient) {
			/* Never "Bonjour ," nor "Bonjour +33683422787". */
			if (v->customer_name != NULL &&
			    *v->customer_name != '\0' &&
			    strncmp(name, "customer.", 9) == 0) {
				shown = sanitize(v->customer_name,
				    strlen(v->customer_name), SANITIZE_LINE,
				    32);
				*cause = xasprintf(_("template %s: no {{%s}} "
				    "here (\"%s\" is not a name) and no "
				    "fallback"), t->name, name, shown);
				free(shown);
			} else
				*cause = xasprintf(_("template %s: no {{%s}} "
				    "here and no fallback"), t->name, name);
			free(name);
			free(fallback);
			buf_free(&b);
			return NULL;
		}
		buf_add_str(&b, value != NULL ? value : "");
		free(name);
		free(fallback);
	}
	buf_add_str(&b, p);
	return buf_steal(&b);
}

/* The language suffix of a name: "fr" of refund.fr or refund-fr. */
static const char *
template_name_lang(const char *name)
{
	const char	*sep = NULL, *p;

	for (p = name; *p != '\0'; p++)
		if (*p == '.' || *p == '-')
			sep = p;
	if (sep == NULL || sep == name || (strlen(sep + 1) != 2 &&
	    strlen(sep + 1) != 3))
		return NULL;
	for (p = sep + 1; *p != '\0'; p++)
		if (*p < 'a' || *p > 'z')
			return NULL;
	return sep + 1;
}

const char *
template_variant_lang(const struct template *t)
{
	if (t->language != NULL && *t->language != '\0')
		return t->language;
	return template_name_lang(t->name);
}

char *
template_stem(const char *name)
{
	const char	*lang = template_name_lang(name);

	if (lang == NULL)
		return xstrdup(name);
	return xstrndup(name, (size_t)(lang - 1 - name));
}

static int
template_all_cmp(const void *a, const void *b)
{
	const struct template	*ta = *(struct template *const *)a;
	const struct template	*tb = *(struct template *const *)b;
	int			 c;

	if ((c = strcmp(ta->name, tb->name)) != 0)
		return c;
	return strcmp(ta->file, tb->file);
}

struct template **
template_load_all(size_t *n, char ***errors, size_t *n_errors)
{
	struct template	**all;
	char		 *dir;

	*n = *n_errors = 0;
	*errors = NULL;
	if ((dir = template_dir()) == NULL)
		return NULL;
	all = template_load_dir(dir, n, errors, n_errors);
	free(dir);
	return all;
}

struct template **
template_load_dir(const char *dir, size_t *n, char ***errors,
    size_t *n_errors)
{
	struct template	**all = NULL, *t;
	struct dirent	 *de;
	DIR		 *dirp;
	char		 *cause;

	*n = *n_errors = 0;
	*errors = NULL;
	if ((dirp = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(dirp)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((t = template_read_entry(dir, de->d_name, &cause)) ==
		    NULL) {
			if (cause != NULL) {
				*errors = xreallocarray(*errors,
				    *n_errors + 1, sizeof **errors);
				(*errors)[(*n_errors)++] = cause;
			}
			continue;
		}
		all = xreallocarray(all, *n + 1, sizeof *all);
		all[(*n)++] = t;
	}
	closedir(dirp);
	if (*n > 0)
		qsort(all, *n, sizeof *all, template_all_cmp);
	return all;
}

void
template_all_free(struct template **all, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		template_free(all[i]);
	free(all);
}

/* The variant of stem in lang among all, or NULL. */
static struct template *
template_variant(struct template *const *all, size_t n, const char *stem,
    const char *lang)
{
	const char	*l;
	char		*s;
	size_t		 i;
	int		 same;

	if (lang == NULL || *lang == '\0')
		return NULL;
	for (i = 0; i < n; i++) {
		if ((l = template_variant_lang(all[i])) == NULL ||
		    strcmp(l, lang) != 0)
			continue;
		s = template_stem(all[i]->name);
		same = strcmp(s, stem) == 0;
		free(s);
		if (same)
			return all[i];
	}
	return NULL;
}

struct template *
template_pick(struct template *const *all, size_t n, const char *name,
    const char *lang)
{
	struct template	*exact = NULL, *found;
	char		*stem, *s;
	size_t		 i;

	for (i = 0; i < n && exact == NULL; i++)
		if (template_is_named(all[i], all[i]->file != NULL ?
		    all[i]->file : all[i]->name, name))
			exact = all[i];
	stem = template_stem(exact != NULL ? exact->name : name);
	/* The customer's language first, even over a variant named. */
	found = template_variant(all, n, stem, lang);
	if (found == NULL)
		found = exact;
	if (found == NULL)
		found = template_variant(all, n, stem,
		    options_get("template.language"));
	for (i = 0; i < n && found == NULL; i++) {
		s = template_stem(all[i]->name);
		if (strcmp(s, stem) == 0)
			found = all[i];
		free(s);
	}
	free(stem);
	return found;
}

struct template *
template_resolve(const char *name, const char *lang, char **cause)
{
	struct template	**all, *found;
	char		**errors, *dir;
	size_t		  n, n_errors, i;

	*cause = NULL;
	all = template_load_all(&n, &errors, &n_errors);
	found = template_pick(all, n, name, lang);
	if (found == NULL) {
		/* A broken file of that name says why. */
		for (i = 0; i < n_errors && *cause == NULL; i++)
			if (strncmp(errors[i], name, strlen(name)) == 0 &&
			    errors[i][strlen(name)] == ':')
				*cause = xstrdup(errors[i]);
		if (*cause == NULL) {
			dir = template_dir();
			*cause = xasprintf(_("no template %s in %s"), name,
			    dir != NULL ? dir : _("the templates directory"));
			free(dir);
		}
	} else {
		for (i = 0; i < n; i++)
			if (all[i] == found)
				all[i] = NULL;
	}
	for (i = 0; i < n_errors; i++)
		free(errors[i]);
	free(errors);
	template_all_free(all, n);
	return found;
}

/* A problem at file:line, kept in *problems. */
static void template_problem(char ***, size_t *, const char *, int,
    const char *, ...) OMBRE_PRINTF(5, 6);

static void
template_problem(char ***problems, size_t *n, const char *file, int line,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	*problems = xreallocarray(*problems, *n + 1, sizeof **problems);
	(*problems)[(*n)++] = xasprintf("%s:%d: %s", file, line, msg);
	free(msg);
}

size_t
template_check(struct template *const *all, size_t n, char ***problems)
{
	const struct template	*t, *o;
	const char		*p, *open, *close, *w, *file;
	char			*name, *fallback, *why, *word, *st, *so;
	size_t			 np = 0, i, j, wl;
	int			 line;

	*problems = NULL;
	for (i = 0; i < n; i++) {
		t = all[i];
		file = t->file != NULL ? t->file : t->name;
		/* The text's variables, each at its line. */
		line = t->body_line;
		for (p = t->body; (open = strstr(p, "{{")) != NULL;
		    p = close + 2) {
			for (; p < open; p++)
				line += *p == '\n';
			if ((close = strstr(open + 2, "}}")) == NULL) {
				template_problem(problems, &np, file, line,
				    _("{{ without }}"));
				break;
			}
			if (template_var_parse(open + 2, (size_t)(close -
			    open - 2), &name, &fallback, &why) != 0) {
				template_problem(problems, &np, file, line,
				    "%s", why);
				free(why);
				continue;
			}
			if (!template_var_known(name))
				template_problem(problems, &np, file, line,
				    _("unknown variable {{%s}} (customer.name, "
				    "customer.first_name, agent.name, channel)"),
				    name);
			free(name);
			free(fallback);
		}
		/* Channels by their names. */
		for (w = t->channels; w != NULL && *w != '\0'; w += wl) {
			w += strspn(w, " ,\t");
			if ((wl = strcspn(w, " ,\t")) == 0)
				break;
			word = xstrndup(w, wl);
			if (channel_info_find(word) == NULL)
				template_problem(problems, &np, file,
				    t->channels_line, _("unknown channel %s"),
				    word);
			free(word);
		}
		/* Names and shortcuts once; variants share a shortcut. */
		for (j = 0; j < i; j++) {
			o = all[j];
			if (strcmp(o->name, t->name) == 0)
				template_problem(problems, &np, file, 1,
				    _("name %s is also %s's"), t->name, o->file != NULL ?
				    o->file : o->name);
			if (t->shortcut == NULL || o->shortcut == NULL ||
			    strcmp(t->shortcut, o->shortcut) != 0)
				continue;
			st = template_stem(t->name);
			so = template_stem(o->name);
			j = strcmp(st, so) != 0 ? i : j;	/* said once */
			if (j == i)
				template_problem(problems, &np, file,
				    t->shortcut_line, _("shortcut %s is also "
				    "%s's"), t->shortcut, o->file != NULL ?
				    o->file : o->name);
			free(st);
			free(so);
		}
	}
	return np;
}

/*
 * What both the console's composer and `ombre reply --template` insert:
 * the template checked against the conversation's channel, then its
 * variables filled in, so the two never disagree on what a template says.
 */
char *
template_fill(const struct template *t, const char *channel,
    const char *customer_name, char **cause)
{
	struct template_vars	v;

	memset(&v, 0, sizeof v);
	if (!template_allows(t, channel)) {
		*cause = xasprintf(_("template %s is not for %s (channels: %s)"),
		    t->name, channel, t->channels);
		return NULL;
	}
	v.customer_name = customer_name;
	v.agent_name = core_agent_name();
	v.channel = channel;
	return template_render(t, &v, cause);
}
