/*
 * sync-authority.c: for any process (the command line, the console's
 * children), no network of its own: a replica's claims and replies run
 * on the central server through store.authority, the conversation named
 * by a Message-Id (thread ids are each database's own), and
 * store.replicate run after, so the answer shows here at once: twice when
 * the server changed something, the second once the clock's second has
 * turned (muchsync misses a file delivered in the same second as its
 * previous scan of the folder, the second round finds it).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync/sync.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int
sync_authority_run(const struct store_options *so, const char *command,
    const char *conv, const char *const *args, const char *agent, const char *input,
    size_t input_len, struct buf *out, struct buf *err)
{
	struct store	*st;
	struct timespec	 start, now, pause;
	const char	**argv;
	char		*query = NULL, *cause = NULL;
	size_t		 n = 0, i;
	int		 rc;

	if (store_open(so, STORE_READ_ONLY, &st, &cause) != STORE_OK) {
		buf_add_printf(err, "%s\n", cause);
		free(cause);
		return 1;
	}
	if (store_conv_portable(st, conv, &query, &cause) != STORE_OK) {
		buf_add_printf(err, "%s\n", cause);
		free(cause);
		store_close(st);
		return 1;
	}
	store_close(st);
	for (i = 0; args != NULL && args[i] != NULL; i++)
		;
	argv = xcalloc(i + 6, sizeof *argv);
	argv[n++] = command;
	argv[n++] = query;
	for (i = 0; args != NULL && args[i] != NULL; i++)
		argv[n++] = args[i];
	argv[n++] = "--agent";
	argv[n++] = agent != NULL ? agent : core_agent_name();
	argv[n] = NULL;
	rc = authority_run((const char *const *)argv, input, input_len, out, err);
	free(argv);
	free(query);
	/* ssh's own failure (255), no such command (127), no process: the
	 * server decided nothing. */
	if (rc == -1 || rc == 127 || rc == 255)
		return SYNC_AUTHORITY_UNREACHABLE;
	clock_gettime(CLOCK_REALTIME, &start);
	if (authority_replicate(err) != 0) {
		buf_add_str(err, "store.replicate failed: the change shows "
		    "here at its next run\n");
		return rc;
	}
	if (rc == 0) {
		/* Past the second the first round began in (the server's
		 * delivery was in it or before). */
		clock_gettime(CLOCK_REALTIME, &now);
		if (now.tv_sec <= start.tv_sec) {
			pause.tv_sec = 0;
			pause.tv_nsec = 1000000000L - now.tv_nsec + 20000000L;
			if (pause.tv_nsec >= 1000000000L) {
				pause.tv_sec = 1;
				pause.tv_nsec -= 1000000000L;
			}
			nanosleep(&pause, NULL);
		}
		if (authority_replicate(err) != 0)
			buf_add_str(err, "store.replicate failed: the change "
			    "shows here at its next run\n");
	}
	return rc;
}
