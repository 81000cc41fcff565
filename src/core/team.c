/*
 * team.c: who works here. Teams (`team NAME AGENT...`), the channels an
 * agent is offered (`agent-channels AGENT CHANNEL...`), and from them the
 * names `assign` and the console's A accept: an agent, or a team as
 * team:NAME. Without any declaration the known agents are those the
 * store's ombre/assigned/ tags name, plus oneself, so a set-up without a
 * team file keeps working.
 *
 * A data dir shared by a team has the declarations every agent's process
 * reads in DATA/team: lines of these two commands only (a group-writable
 * file must not run hooks or bind keys in someone else's console), read
 * after the agent's config file, so that the team's word wins. `team` and
 * `agent-channels` in a config file declare for that process only; typed
 * at ':' or given to `ombre -e`, they are written to DATA/team.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest team or agent name, as options.c's agent. */
#define TEAM_NAME_MAX	64
/* DATA/team: the shared declarations. */
#define TEAM_FILE	"team"

/* A team, or an agent's channels: a name and its words. */
struct team_entry {
	char	 *name;
	char	**words;	/* NULL-terminated */
	size_t	  n;
	int	  shared;	/* from DATA/team */
};

static struct team_entry	*teams;
static size_t			 teams_n;
static struct team_entry	*team_chans;
static size_t			 team_chans_n;
static char			*team_dir;	/* the data dir, once loaded */

int
team_name_valid(const char *name)
{
	const char	*p;

	if (*name == '\0' || strlen(name) > TEAM_NAME_MAX)
		return 0;
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-'))
			return 0;
	}
	return 1;
}

static void
team_entry_clear(struct team_entry *e)
{
	size_t	i;

	free(e->name);
	for (i = 0; i < e->n; i++)
		free(e->words[i]);
	free(e->words);
}

static struct team_entry *
team_entry_find(struct team_entry *list, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(list[i].name, name) == 0)
			return &list[i];
	}
	return NULL;
}

/* Set (n > 0) or remove (n == 0) the entry name of a list. */
static void
team_entry_set(struct team_entry **list, size_t *n_list, const char *name,
    char *const *words, size_t n, int shared)
{
	struct team_entry	*e;
	size_t			 i;

	if ((e = team_entry_find(*list, *n_list, name)) != NULL) {
		team_entry_clear(e);
		i = (size_t)(e - *list);
		memmove(e, e + 1, (*n_list - i - 1) * sizeof *e);
		(*n_list)--;
	}
	if (n == 0)
		return;
	*list = xreallocarray(*list, *n_list + 1, sizeof **list);
	e = &(*list)[(*n_list)++];
	e->name = xstrdup(name);
	e->words = xcalloc(n + 1, sizeof *e->words);
	for (i = 0; i < n; i++)
		e->words[i] = xstrdup(words[i]);
	e->n = n;
	e->shared = shared;
}

/* The view a team has: its conversations still in the Inbox. */
static void
team_view(const char *name, int defined)
{
	char	*view, *query;

	view = xasprintf("Team %s", name);
	if (defined) {
		query = xasprintf("tag:%s%s and tag:inbox", TEAM_TAG_PREFIX,
		    name);
		view_define(view, query);
		free(query);
	} else
		view_remove(view);
	free(view);
}

static int
team_set_shared(const char *name, char *const *agents, size_t n, int shared,
    char **cause)
{
	size_t	i;

	if (!team_name_valid(name)) {
		*cause = xasprintf(_("invalid team name '%s': use letters, "
		    "digits, '.', '_' and '-'"), name);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!team_name_valid(agents[i])) {
			*cause = xasprintf(_("invalid agent name '%s'"), agents[i]);
			return -1;
		}
	}
	team_entry_set(&teams, &teams_n, name, agents, n, shared);
	team_view(name, n > 0);
	return 0;
}

int
team_set(const char *name, char *const *agents, size_t n, char **cause)
{
	return team_set_shared(name, agents, n, 0, cause);
}

static int
team_channels_set_shared(const char *agent, char *const *channels, size_t n,
    int shared, char **cause)
{
	size_t	i;

	if (!team_name_valid(agent)) {
		*cause = xasprintf(_("invalid agent name '%s'"), agent);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!team_name_valid(channels[i])) {
			*cause = xasprintf(_("invalid channel '%s'"), channels[i]);
			return -1;
		}
	}
	team_entry_set(&team_chans, &team_chans_n, agent, channels, n, shared);
	return 0;
}

int
team_channels_set(const char *agent, char *const *channels, size_t n,
    char **cause)
{
	return team_channels_set_shared(agent, channels, n, 0, cause);
}

int
team_declared(void)
{
	return teams_n > 0 || team_chans_n > 0;
}

size_t
team_count(void)
{
	return teams_n;
}

const char *
team_name_at(size_t i)
{
	return i < teams_n ? teams[i].name : NULL;
}

char *const *
team_members(const char *name, size_t *n)
{
	struct team_entry	*e;

	if ((e = team_entry_find(teams, teams_n, name)) == NULL) {
		*n = 0;
		return NULL;
	}
	*n = e->n;
	return e->words;
}

char *const *
team_agent_channels(const char *agent, size_t *n)
{
	struct team_entry	*e;

	if ((e = team_entry_find(team_chans, team_chans_n, agent)) == NULL) {
		*n = 0;
		return NULL;
	}
	*n = e->n;
	return e->words;
}

char *
team_channels_query(const char *agent)
{
	struct buf	 b;
	char *const	*chans;
	size_t		 n, i;

	if ((chans = team_agent_channels(agent, &n)) == NULL)
		return NULL;
	buf_init(&b);
	buf_add_char(&b, '(');
	for (i = 0; i < n; i++) {
		/* The user's own mail has no Channel: header (view.c's
		 * Email view). */
		if (strcmp(chans[i], "email") == 0)
			buf_add_printf(&b, "%s(Channel:email or not "
			    "path:ombre/**)", i > 0 ? " or " : "");
		else
			buf_add_printf(&b, "%sChannel:%s", i > 0 ? " or " :
			    "", chans[i]);
	}
	buf_add_char(&b, ')');
	return buf_steal(&b);
}

static int
team_str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add name to a NULL-terminated array of n, once. */
static void
team_names_add(char ***names, size_t *n, const char *name)
{
	size_t	i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*names)[i], name) == 0)
			return;
	}
	*names = xreallocarray(*names, *n + 2, sizeof **names);
	(*names)[(*n)++] = xstrdup(name);
	(*names)[*n] = NULL;
}

char **
team_known_agents(char *const *seen, size_t n_seen)
{
	char		**names;
	size_t		  n = 0, i, j;

	names = xcalloc(1, sizeof *names);
	if (team_declared()) {
		for (i = 0; i < teams_n; i++) {
			for (j = 0; j < teams[i].n; j++)
				team_names_add(&names, &n, teams[i].words[j]);
		}
		for (i = 0; i < team_chans_n; i++)
			team_names_add(&names, &n, team_chans[i].name);
	} else {
		for (i = 0; i < n_seen; i++) {
			if (team_name_valid(seen[i]))
				team_names_add(&names, &n, seen[i]);
		}
	}
	team_names_add(&names, &n, core_agent_name());
	qsort(names, n, sizeof *names, team_str_cmp);
	return names;
}

char **
team_known_targets(char *const *seen, size_t n_seen)
{
	char	**names;
	size_t	  n, i;

	names = team_known_agents(seen, n_seen);
	for (n = 0; names[n] != NULL; n++)
		;
	for (i = 0; i < teams_n; i++) {
		char *t = xasprintf("team:%s", teams[i].name);

		team_names_add(&names, &n, t);
		free(t);
	}
	return names;
}

int
team_target(const char *word, char *const *seen, size_t n_seen,
    char **agent, char **team, char **cause)
{
	char	**known;
	size_t	  i, n_members;
	int	  found = 0;

	*agent = *team = NULL;
	*cause = NULL;
	if (strncmp(word, "team:", 5) == 0) {
		if (team_members(word + 5, &n_members) != NULL) {
			*team = xstrdup(word + 5);
			return 0;
		}
	} else {
		known = team_known_agents(seen, n_seen);
		for (i = 0; known[i] != NULL; i++) {
			if (strcmp(known[i], word) == 0)
				found = 1;
		}
		triage_tags_free(known);
		if (found) {
			*agent = xstrdup(word);
			return 0;
		}
		/* A team by its bare name, when no agent has that name. */
		if (team_members(word, &n_members) != NULL) {
			*team = xstrdup(word);
			return 0;
		}
	}
	{
		struct buf	 b;
		char		*clean;

		known = team_known_targets(seen, n_seen);
		buf_init(&b);
		for (i = 0; known[i] != NULL; i++)
			buf_add_printf(&b, "%s%s", i > 0 ? ", " : "", known[i]);
		clean = sanitize(word, strlen(word), SANITIZE_LINE, 40);
		*cause = xasprintf(strncmp(word, "team:", 5) == 0 ?
		    _("unknown team %s: %s") : _("unknown agent %s: %s"), clean,
		    b.len > 0 ? b.data : _("none"));
		free(clean);
		buf_free(&b);
		triage_tags_free(known);
	}
	return -1;
}

/* Append the declarations of a list as commands, shared ones or all. */
static void
team_add_text(struct buf *b, const char *cmd, struct team_entry *list,
    size_t n, int shared_only)
{
	size_t	i, j;

	for (i = 0; i < n; i++) {
		if (shared_only && !list[i].shared)
			continue;
		buf_add_printf(b, "%s %s", cmd, list[i].name);
		for (j = 0; j < list[i].n; j++)
			buf_add_printf(b, " %s", list[i].words[j]);
		buf_add_char(b, '\n');
	}
}

char *
team_text(int shared_only)
{
	struct buf	b;

	buf_init(&b);
	team_add_text(&b, "team", teams, teams_n, shared_only);
	team_add_text(&b, "agent-channels", team_chans, team_chans_n,
	    shared_only);
	if (b.len == 0) {
		buf_free(&b);
		return xstrdup("");
	}
	return buf_steal(&b);
}

/* Forget what an earlier read of DATA/team declared. */
static void
team_forget_shared(void)
{
	size_t	i;

	for (i = teams_n; i > 0; i--) {
		if (teams[i - 1].shared) {
			char *name = xstrdup(teams[i - 1].name);

			team_entry_set(&teams, &teams_n, name, NULL, 0, 0);
			team_view(name, 0);
			free(name);
		}
	}
	for (i = team_chans_n; i > 0; i--) {
		if (team_chans[i - 1].shared) {
			char *name = xstrdup(team_chans[i - 1].name);

			team_entry_set(&team_chans, &team_chans_n, name, NULL,
			    0, 0);
			free(name);
		}
	}
}

int
team_load_text(const char *text, const char *where, char **cause)
{
	struct cmd_list	*list;
	char		*why = NULL;
	int		 i, argc, rc = 0;
	char		**argv;

	*cause = NULL;
	team_forget_shared();
	if ((list = cmd_parse(text, &why)) == NULL) {
		*cause = xasprintf("%s: %s", where, why);
		free(why);
		return -1;
	}
	for (i = 0; i < list->n; i++) {
		argc = list->argc[i];
		argv = list->argv[i];
		if (argc == 0)
			continue;
		if (argc < 3 || (strcmp(argv[0], "team") != 0 &&
		    strcmp(argv[0], "agent-channels") != 0)) {
			why = xasprintf(_("only team NAME AGENT... and "
			    "agent-channels AGENT CHANNEL... here"));
		} else if (strcmp(argv[0], "team") == 0)
			team_set_shared(argv[1], argv + 2, (size_t)argc - 2, 1,
			    &why);
		else
			team_channels_set_shared(argv[1], argv + 2,
			    (size_t)argc - 2, 1, &why);
		if (why != NULL) {
			if (*cause == NULL)
				*cause = xasprintf("%s: %s", where, why);
			free(why);
			why = NULL;
			rc = -1;
		}
	}
	cmd_list_free(list);
	return rc;
}

int
team_load(const char *data_dir, char **cause)
{
	struct buf	 b;
	char		*path, chunk[4096];
	FILE		*f;
	size_t		 got;
	int		 rc;

	*cause = NULL;
	if (data_dir != NULL && (team_dir == NULL ||
	    strcmp(team_dir, data_dir) != 0)) {
		free(team_dir);
		team_dir = xstrdup(data_dir);
	}
	if (team_dir == NULL)
		return 0;
	path = xasprintf("%s/%s", team_dir, TEAM_FILE);
	if ((f = fopen(path, "re")) == NULL) {
		rc = errno == ENOENT ? 0 : -1;
		if (rc != 0)
			*cause = xasprintf("%s: %s", path, strerror(errno));
		else
			team_forget_shared();
		free(path);
		return rc;
	}
	buf_init(&b);
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 &&
	    b.len < 1024 * 1024)
		buf_add(&b, chunk, got);
	fclose(f);
	rc = team_load_text(b.len > 0 ? b.data : "", path, cause);
	buf_free(&b);
	free(path);
	return rc;
}

const char *
team_data_dir(void)
{
	return team_dir;
}

/*
 * Declare in DATA/team: read it again (another agent may have changed it
 * since), change the one declaration, write it whole. 0660: a team's data
 * dir (umask 007) shares it with the group.
 */
int
team_store(int is_team, const char *name, char *const *words, size_t n,
    char **cause)
{
	char	*text;
	int	 rc;

	*cause = NULL;
	if (team_dir == NULL) {
		*cause = xstrdup(_("no data dir here"));
		return -1;
	}
	if (team_load(NULL, cause) != 0)
		return -1;
	rc = is_team ? team_set_shared(name, words, n, 1, cause) :
	    team_channels_set_shared(name, words, n, 1, cause);
	if (rc != 0)
		return -1;
	if (util_mkdir_p(team_dir, 0700) != 0) {
		*cause = xasprintf(_("cannot create %s: %s"), team_dir,
		    strerror(errno));
		return -1;
	}
	text = team_text(1);
	rc = util_write_file(team_dir, TEAM_FILE, text, strlen(text), 0660);
	if (rc != 0)
		*cause = xasprintf(_("cannot write %s/%s: %s"), team_dir,
		    TEAM_FILE, strerror(errno));
	free(text);
	return rc;
}

void
team_reset(void)
{
	size_t	i;

	for (i = 0; i < teams_n; i++) {
		team_view(teams[i].name, 0);
		team_entry_clear(&teams[i]);
	}
	free(teams);
	teams = NULL;
	teams_n = 0;
	for (i = 0; i < team_chans_n; i++)
		team_entry_clear(&team_chans[i]);
	free(team_chans);
	team_chans = NULL;
	team_chans_n = 0;
	free(team_dir);
	team_dir = NULL;
}
