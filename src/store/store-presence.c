/*
 * store-presence.c: which conversation each console on this data dir
 * shows and whether its agent is typing there, so a team sharing a data
 * dir sees "alice is typing" before two of them answer the same customer.
 *
 *   DIR/presence/PID      one file per console: "agent NAME", "conv KEY",
 *                         "typing 0|1", one a line
 *
 * A console rewrites its file when what it shows changes and at least
 * every STORE_PRESENCE_BEAT seconds; an entry older than
 * STORE_PRESENCE_TTL, or whose process is gone, is stale: ignored, and
 * removed by whoever reads it. The files are written by other agents'
 * consoles: read as untrusted, size-capped, shown only sanitised.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PRESENCE_MAX	1024	/* bytes of one entry */

void
store_presences_free(struct store_presence **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(list[i]->agent);
		free(list[i]->conv);
		free(list[i]);
	}
	free(list);
}

int
store_presence_announce(const char *data_dir, const char *agent,
    const char *conv, int typing)
{
	struct buf	 b;
	char		*dir, name[32];
	int		 rc;

	if (strpbrk(agent, "\n") != NULL || (conv != NULL &&
	    strpbrk(conv, "\n") != NULL))
		return -1;
	dir = xasprintf("%s/presence", data_dir);
	if (util_mkdir_p(dir, util_share_mode(data_dir, 0700)) != 0) {
		free(dir);
		return -1;
	}
	snprintf(name, sizeof name, "%ld", (long)getpid());
	buf_init(&b);
	buf_add_printf(&b, "agent %s\nconv %s\ntyping %d\n", agent,
	    conv != NULL ? conv : "", typing ? 1 : 0);
	/* Shown to teammates: readable by the data dir's group. Written
	 * whole like every file ombre replaces, at most on each change of
	 * what the console shows and every STORE_PRESENCE_BEAT seconds. */
	rc = util_write_file(dir, name, b.data, b.len,
	    util_share_mode(data_dir, 0640));
	buf_free(&b);
	free(dir);
	return rc;
}

void
store_presence_leave(const char *data_dir)
{
	char	*path;

	path = xasprintf("%s/presence/%ld", data_dir, (long)getpid());
	unlink(path);
	free(path);
}

static struct store_presence *
presence_parse(const char *data, size_t len)
{
	struct store_presence	*p;
	const char		*s = data, *end = data + len, *nl;
	char			*line;

	p = xcalloc(1, sizeof *p);
	while (s < end && (nl = memchr(s, '\n', (size_t)(end - s))) != NULL) {
		line = xstrndup(s, (size_t)(nl - s));
		s = nl + 1;
		if (strncmp(line, "agent ", 6) == 0 && p->agent == NULL &&
		    line[6] != '\0')
			p->agent = xstrdup(line + 6);
		else if (strncmp(line, "conv ", 5) == 0 && p->conv == NULL &&
		    line[5] != '\0')
			p->conv = xstrdup(line + 5);
		else if (strcmp(line, "typing 1") == 0)
			p->typing = 1;
		free(line);
	}
	if (p->agent == NULL) {
		free(p->conv);
		free(p);
		return NULL;
	}
	return p;
}

size_t
store_presence_read(const char *data_dir, int64_t now,
    struct store_presence ***out)
{
	struct store_presence	*p;
	struct dirent		*de;
	struct stat		 sb;
	DIR			*dirp;
	char			*dir, *path, *stop, data[PRESENCE_MAX];
	ssize_t			 got;
	size_t			 n = 0;
	long			 pid;
	int			 fd;

	*out = NULL;
	dir = xasprintf("%s/presence", data_dir);
	if ((dirp = opendir(dir)) == NULL) {
		free(dir);
		return 0;
	}
	while ((de = readdir(dirp)) != NULL) {
		errno = 0;
		pid = strtol(de->d_name, &stop, 10);
		if (de->d_name[0] == '.' || *stop != '\0' || errno != 0 ||
		    pid <= 0 || pid == (long)getpid())
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		if (fd == -1 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			if (fd != -1)
				close(fd);
			free(path);
			continue;
		}
		if (now - (int64_t)sb.st_mtime > STORE_PRESENCE_TTL ||
		    !util_pid_alive((pid_t)pid)) {
			close(fd);
			unlink(path);	/* stale: a console that died */
			free(path);
			continue;
		}
		free(path);
		got = read(fd, data, sizeof data);
		close(fd);
		if (got <= 0 || (p = presence_parse(data, (size_t)got)) == NULL)
			continue;
		p->pid = (pid_t)pid;
		p->when = (int64_t)sb.st_mtime;
		*out = xreallocarray(*out, n + 1, sizeof **out);
		(*out)[n++] = p;
	}
	closedir(dirp);
	free(dir);
	return n;
}
