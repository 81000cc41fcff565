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
		*cause = xasprintf("%s: not UTF-8 text", file_name);
		return NULL;
	}
	t = xcalloc(1, sizeof *t);
	for (;;) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL) {
			*cause = xasprintf("%s:%d: no empty line before the "
			    "text", file_name, line);
			goto bad;
		}
		if (nl == p || (nl == p + 1 && *p == '\r'))
			break;
		colon = memchr(p, ':', (size_t)(nl - p));
		if (colon == NULL) {
			*cause = xasprintf("%s:%d: not \"key: value\"",
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
		} else if (strcmp(key, "language") == 0) {
			free(t->language);
			t->language = value;
		} else if (strcmp(key, "channels") == 0) {
			free(t->channels);
			t->channels = value;
		} else if (strcmp(key, "holding") == 0 &&
		    (strcmp(value, "yes") == 0 || strcmp(value, "no") == 0)) {
			t->holding = strcmp(value, "yes") == 0;
			free(value);
		} else if (strcmp(key, "approved") == 0 && *value != '\0') {
			free(t->approved);
			t->approved = value;
		} else {
			*cause = xasprintf("%s:%d: unknown key or bad value "
			    "\"%s\"", file_name, line, key);
			free(key);
			free(value);
			goto bad;
		}
		free(key);
	}
	p = nl + 1;
	t->body = xstrndup(p, (size_t)(end - p));
	while (*t->body != '\0' && t->body[strlen(t->body) - 1] == '\n')
		t->body[strlen(t->body) - 1] = '\0';
	if (*t->body == '\0') {
		*cause = xasprintf("%s: the text is empty", file_name);
		goto bad;
	}
	/* A holding statement by its name too: holding-fr, holding_delay. */
	if (strncmp(t->name != NULL ? t->name : file_name, "holding", 7) == 0)
		t->holding = 1;
	if (t->name == NULL) {
		if (!template_name_ok(file_name)) {
			*cause = xasprintf("%s: not a template name (letters, "
			    "digits, - _ .)", file_name);
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
	return template_parse(file, buf, (size_t)got, cause);
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
		*cause = xasprintf("no template %s (no directory %s)", name,
		    dir != NULL ? dir : "of templates");
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
		*cause = xasprintf("no template %s in %s", name, dir);
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

/*
 * Templates named by language as bots are ("refund-fr", "refund-en";
 * issue 16): NAME's variant in lang when there is one (NAME-xx's sibling
 * NAME-lang, else NAME-lang), else NAME.
 */
struct template *
template_load_lang(const char *name, const char *lang, char **cause)
{
	struct template	*t;
	const char	*dash;
	char		*want, *why = NULL;
	size_t		 stem = strlen(name);

	if (lang != NULL) {
		if ((dash = strrchr(name, '-')) != NULL &&
		    (strlen(dash + 1) == 2 || strlen(dash + 1) == 3))
			stem = (size_t)(dash - name);
		want = xasprintf("%.*s-%s", (int)stem, name, lang);
		t = strcmp(want, name) != 0 ? template_load(want, &why) : NULL;
		free(want);
		free(why);
		if (t != NULL)
			return t;
	}
	return template_load(name, cause);
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

char *
template_render(const struct template *t, const struct template_vars *v,
    char **cause)
{
	struct buf	 b;
	const char	*p = t->body, *close, *value;
	char		*name, first[128];
	size_t		 n;

	*cause = NULL;
	buf_init(&b);
	while ((close = strstr(p, "{{")) != NULL) {
		buf_add(&b, p, (size_t)(close - p));
		p = close + 2;
		if ((close = strstr(p, "}}")) == NULL) {
			*cause = xasprintf("template %s: {{ without }}", t->name);
			buf_free(&b);
			return NULL;
		}
		name = xstrndup(p, (size_t)(close - p));
		p = close + 2;
		value = NULL;
		if (strcmp(name, "customer.name") == 0)
			value = v->customer_name;
		else if (strcmp(name, "customer.first_name") == 0) {
			value = v->customer_name != NULL ? v->customer_name : "";
			n = strcspn(value, " ");
			if (n >= sizeof first)
				n = sizeof first - 1;
			memcpy(first, value, n);
			first[n] = '\0';
			value = first;
		} else if (strcmp(name, "agent.name") == 0)
			value = v->agent_name;
		else if (strcmp(name, "channel") == 0)
			value = v->channel;
		else {
			*cause = xasprintf("template %s: unknown variable "
			    "{{%s}}", t->name, name);
			free(name);
			buf_free(&b);
			return NULL;
		}
		free(name);
		buf_add_str(&b, value != NULL ? value : "");
	}
	buf_add_str(&b, p);
	return buf_steal(&b);
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

	if (!template_allows(t, channel)) {
		*cause = xasprintf("template %s is not for %s (channels: %s)",
		    t->name, channel, t->channels);
		return NULL;
	}
	v.customer_name = customer_name;
	v.agent_name = core_agent_name();
	v.channel = channel;
	return template_render(t, &v, cause);
}
