/*
 * style.c: how each semantic role of the screen looks ("list.unread",
 * "marker.handoff", "status"), as set by `style ROLE SPEC` lines. A theme
 * is a file of such lines (themes/NAME.theme), loaded by `set theme NAME`;
 * the compiled-in default below is themes/default.theme, line for line (a
 * test compares them).
 *
 * SPEC is words separated by commas or spaces: fg=COLOUR, bg=COLOUR,
 * bold, dim, underline, reverse, or none. COLOUR is default, one of the
 * eight names (black red green yellow blue magenta cyan white), brightNAME,
 * or colourN / colorN for 0..255. The screen degrades what the terminal
 * cannot show (256 to 8 colours, colours to attributes).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const style_roles[STYLE_ROLE_COUNT] = {
	"normal",
	"list.unread",
	"list.cursor",
	"list.cursor-unfocused",
	"marker.handoff",
	"marker.bot",
	"wait.medium",
	"wait.long",
	"status",
	"status.error",
	"thread.title",
	"thread.day",
	"thread.customer",
	"thread.bot",
	"thread.agent",
	"thread.note",
	"thread.attachment",
};

/* themes/default.theme, without its comments. */
static const char *const style_defaults[STYLE_ROLE_COUNT] = {
	"none",
	"bold",
	"fg=black,bg=cyan",
	"fg=cyan,underline",
	"fg=red,bold",
	"fg=blue",
	"fg=yellow",
	"fg=red,bold",
	"fg=black,bg=white",
	"fg=red,bold",
	"bold,underline",
	"fg=yellow",
	"fg=green,bold",
	"fg=blue,bold",
	"fg=cyan,bold",
	"fg=magenta",
	"fg=yellow",
};

static const char *const style_colour_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

static struct style	styles[STYLE_ROLE_COUNT];
static int		styles_ready;
static unsigned		styles_generation;

const char *
style_role_name(enum style_role role)
{
	return style_roles[role];
}

int
style_role_find(const char *name)
{
	int	i;

	for (i = 0; i < STYLE_ROLE_COUNT; i++) {
		if (strcmp(style_roles[i], name) == 0)
			return i;
	}
	return -1;
}

static int
style_parse_colour(const char *s, size_t len, int *colour)
{
	char	word[32], *end;
	long	n;
	int	i;

	if (len == 0 || len >= sizeof word)
		return -1;
	memcpy(word, s, len);
	word[len] = '\0';
	if (strcasecmp(word, "default") == 0) {
		*colour = -1;
		return 0;
	}
	for (i = 0; i < 8; i++) {
		if (strcasecmp(word, style_colour_names[i]) == 0) {
			*colour = i;
			return 0;
		}
		if (strncasecmp(word, "bright", 6) == 0 &&
		    strcasecmp(word + 6, style_colour_names[i]) == 0) {
			*colour = 8 + i;
			return 0;
		}
	}
	if (strncasecmp(word, "colour", 6) == 0 ||
	    strncasecmp(word, "color", 5) == 0) {
		n = strtol(word + (word[5] == 'r' ? 6 : 5), &end, 10);
		if (end != word + (word[5] == 'r' ? 6 : 5) && *end == '\0' &&
		    n >= 0 && n <= 255) {
			*colour = (int)n;
			return 0;
		}
	}
	return -1;
}

int
style_parse(const char *spec, struct style *out, char **cause)
{
	const char	*p = spec, *word;
	size_t		 len;

	out->fg = out->bg = -1;
	out->attrs = 0;
	while (*p != '\0') {
		p += strspn(p, ", \t");
		if (*p == '\0')
			break;
		word = p;
		len = strcspn(p, ", \t");
		p += len;
		if (len == 4 && strncmp(word, "none", 4) == 0)
			continue;
		if (len == 4 && strncmp(word, "bold", 4) == 0)
			out->attrs |= STYLE_BOLD;
		else if (len == 3 && strncmp(word, "dim", 3) == 0)
			out->attrs |= STYLE_DIM;
		else if (len == 9 && strncmp(word, "underline", 9) == 0)
			out->attrs |= STYLE_UNDERLINE;
		else if (len == 7 && strncmp(word, "reverse", 7) == 0)
			out->attrs |= STYLE_REVERSE;
		else if (len > 3 && strncmp(word, "fg=", 3) == 0) {
			if (style_parse_colour(word + 3, len - 3, &out->fg) != 0)
				goto bad_colour;
		} else if (len > 3 && strncmp(word, "bg=", 3) == 0) {
			if (style_parse_colour(word + 3, len - 3, &out->bg) != 0)
				goto bad_colour;
		} else {
			*cause = xasprintf(_("bad style word '%.*s' (fg=, bg=, "
			    "bold, dim, underline, reverse, none)"), (int)len,
			    word);
			return -1;
		}
	}
	return 0;

bad_colour:
	*cause = xasprintf(_("bad colour in '%.*s' (default, black..white, "
	    "brightred, colour0..colour255)"), (int)len, word);
	return -1;
}

static void
style_format_colour(struct buf *b, const char *key, int colour)
{
	if (colour < 0)
		return;
	if (b->len > 0)
		buf_add_char(b, ',');
	if (colour < 8)
		buf_add_printf(b, "%s=%s", key, style_colour_names[colour]);
	else if (colour < 16)
		buf_add_printf(b, "%s=bright%s", key,
		    style_colour_names[colour - 8]);
	else
		buf_add_printf(b, "%s=colour%d", key, colour);
}

char *
style_format(const struct style *st)
{
	static const struct {
		unsigned	 bit;
		const char	*name;
	} attrs[] = {
		{ STYLE_BOLD, "bold" }, { STYLE_DIM, "dim" },
		{ STYLE_UNDERLINE, "underline" }, { STYLE_REVERSE, "reverse" }
	};
	struct buf	b;
	size_t		i;

	buf_init(&b);
	style_format_colour(&b, "fg", st->fg);
	style_format_colour(&b, "bg", st->bg);
	for (i = 0; i < nitems(attrs); i++) {
		if (st->attrs & attrs[i].bit)
			buf_add_printf(&b, "%s%s", b.len > 0 ? "," : "",
			    attrs[i].name);
	}
	if (b.len == 0)
		buf_add_str(&b, "none");
	return buf_steal(&b);
}

void
style_reset(void)
{
	char	*cause;
	int	 i;

	for (i = 0; i < STYLE_ROLE_COUNT; i++) {
		if (style_parse(style_defaults[i], &styles[i], &cause) != 0)
			/* not translated: a broken invariant */
			fatalx("built-in style %s: %s", style_roles[i], cause);
	}
	styles_ready = 1;
	styles_generation++;
}

const struct style *
style_get(enum style_role role)
{
	if (!styles_ready)
		style_reset();
	return &styles[role];
}

void
style_set(enum style_role role, const struct style *st)
{
	if (!styles_ready)
		style_reset();
	styles[role] = *st;
	styles_generation++;
}

unsigned
style_generation(void)
{
	return styles_generation;
}

/*
 * The file of a theme: NAME.theme in $OMBRE_THEMES_DIR, in the installed
 * themes directory, or in themes/ next to the program's directory (a
 * build tree); a NAME with a '/' is a path. NULL when none exists.
 */
char *
style_theme_path(const char *name)
{
	const char	*env;
	char		 exe[4096], *path, *slash;
	ssize_t		 n;

	if (strchr(name, '/') != NULL)
		return access(name, R_OK) == 0 ? xstrdup(name) : NULL;
	env = getenv("OMBRE_THEMES_DIR");
	if (env != NULL && *env != '\0') {
		path = xasprintf("%s/%s.theme", env, name);
		if (access(path, R_OK) == 0)
			return path;
		free(path);
	}
#ifdef OMBRE_THEMES_DIR
	path = xasprintf("%s/%s.theme", OMBRE_THEMES_DIR, name);
	if (access(path, R_OK) == 0)
		return path;
	free(path);
#endif
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			path = xasprintf("%s/../themes/%s.theme", exe, name);
			if (access(path, R_OK) == 0)
				return path;
			free(path);
		}
	}
	return NULL;
}
