/*
 * t-sync.c: the link test of src/sync, linked with libsync and the layers
 * under it only (chan, net, store, core, base). It checks what any
 * process reads of a data dir where no syncer ever ran, and a syncer
 * that has no channel to run.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync/sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

int
main(void)
{
	struct sync_options	 so;
	char			 dir[] = "/tmp/t-sync.XXXXXX", *text = NULL;
	char			*rm;
	size_t			 len = 0;
	FILE			*out;

	is_str(sync_status_str(SYNC_LOCKED), "another syncer runs",
	    "a status has a phrase");
	is_str(sync_status_str((enum sync_status)99), "?",
	    "an unknown one too");
	ok(!sync_has_channels(), "no channel declared: nothing to sync");

	if (mkdtemp(dir) == NULL)
		return 1;
	is_int(sync_lock_holder(dir), 0, "no lock file: no syncer");
	out = open_memstream(&text, &len);
	is_int(sync_status_print(dir, out), -1,
	    "no status file: nothing known");
	fclose(out);
	is_str(text, "syncer: not running\n", "and said so");
	free(text);
	out = open_memstream(&text, &len);
	sync_quarantine_print(dir, out);
	fclose(out);
	is_str(text, "nothing quarantined\n", "an empty quarantine");
	free(text);

	memset(&so, 0, sizeof so);
	so.store.data_dir = dir;
	so.only = "nowhere";
	is_int(sync_run(&so), SYNC_FAILED,
	    "a channel that is not declared: the syncer fails");
	is_int(sync_lock_holder(dir), 0, "and lets go of the lock");
	rm = xasprintf("rm -rf '%s'", dir);
	ok(system(rm) == 0, "clean up");
	free(rm);
	return exit_status();
}
