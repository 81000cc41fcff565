/*
 * sync-exec.c: in ombre, the syncer is another program. libcurl and the
 * TLS stack under it double the start-up time of every command and cost
 * the console megabytes, so ombre links none of it: a command that talks
 * to the network (sync) and the console's syncer exec ombre-sync, which is
 * ombre built with the network (main.c, OMBRE_SYNC), with the same
 * arguments. It is looked for next to ombre's own file first (the build
 * tree), then where it is installed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"
#include "sync/sync.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SYNC_EXEC_NAME	"ombre-sync"

/* ombre's global options, for the console's syncer. */
static char	**sync_exec_argv;
static int	  sync_exec_argc;

void
sync_exec_options(char **argv, int n)
{
	sync_exec_argv = argv;
	sync_exec_argc = n;
}

/* The path of ombre-sync (allocated): next to /proc/self/exe when it is
 * there, else in OMBRE_LIBEXECDIR. */
static char *
sync_exec_path(void)
{
	char	 self[PATH_MAX], *slash, *path;
	ssize_t	 n;

	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			path = xasprintf("%s/%s", self, SYNC_EXEC_NAME);
			if (access(path, X_OK) == 0)
				return path;
			free(path);
		}
	}
	return xasprintf("%s/%s", OMBRE_LIBEXECDIR, SYNC_EXEC_NAME);
}

int
sync_exec(char **argv)
{
	char	*path;

	path = sync_exec_path();
	fflush(NULL);
	execv(path, argv);
	log_warn(_("cannot run %s (the program that talks to the channels, "
	    "looked for next to ombre, then in %s): %s"), path,
	    OMBRE_LIBEXECDIR, strerror(errno));
	free(path);
	return 1;
}

int
sync_exec_console(void)
{
	static char	  command[] = "sync";
	char		**argv;
	int		  i, status;

	argv = xcalloc((size_t)sync_exec_argc + 2, sizeof *argv);
	for (i = 0; i < sync_exec_argc; i++)
		argv[i] = sync_exec_argv[i];
	argv[i] = command;
	status = sync_exec(argv);
	free(argv);
	return status;
}
