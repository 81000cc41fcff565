/*
 * t-sync.c: the link test of src/sync, linked with libsync and the layers
 * under it only (chan, net, store, core, base). It checks what any
 * process reads of a data dir where no syncer ever ran, and a syncer
 * that has no channel to run; the syncer's and the webhook receiver's
 * status files as `ombre sync --status` and the console's status line
 * say them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync/sync.h"

#include <sys/file.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

int
main(void)
{
	struct sync_options	 so;
	char			 dir[] = "/tmp/t-sync.XXXXXX", *text = NULL;
	char			*rm, *path, *status, *phrase;
	size_t			 len = 0;
	FILE			*out;
	struct sync_webhook	 ws;
	struct sync_state	 st;
	struct buf		 b;
	char			*state;
	int			 fd;

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

	/* The webhook receiver's status, as web.c writes it. */
	sync_webhook_read(dir, &ws);
	ok(!ws.found && !ws.running, "no webhook status file");
	out = open_memstream(&text, &len);
	is_int(sync_webhook_print(&ws, 0, 1000000, out), 0,
	    "no file, no webhook channel: nothing said");
	fclose(out);
	free(text);
	out = open_memstream(&text, &len);
	is_int(sync_webhook_print(&ws, 1, 1000000, out), 1,
	    "webhook channels and no file: said");
	fclose(out);
	is_str(text, "webhook receiver: not running\n", "not running");
	free(text);
	phrase = sync_webhook_phrase(&ws, 1, 1000000);
	is_str(phrase, "webhook receiver not running",
	    "the console's phrase for it");
	free(phrase);
	ok(sync_webhook_phrase(&ws, 0, 1000000) == NULL,
	    "nothing declared, nothing running: no phrase");
	sync_webhook_free(&ws);

	path = xasprintf("%s/webhook", dir);
	ok(util_mkdir_p(path, 0700) == 0, "DATA/webhook");
	/* Times of 1970-01-12 (TZ=UTC): 13:46:40 is 1000000. */
	status = xasprintf("pid\t%ld\nlisten\t127.0.0.1:8765\n"
	    "started\t999000\nupdated\t1000000\n"
	    "channel\tshop\t12\t999900\t3\t999800\t0\t999800\t"
	    "401 bad X-Hub-Signature-256\n"
	    "channel\tpage\t1\t999000\t0\t0\t1\t999950\t400 not JSON\n"
	    "channel\ttorn\t1\n", (long)getpid());
	ok(util_write_file(path, "status", status, strlen(status), 0600) == 0,
	    "a status file written");
	free(status);
	setenv("TZ", "UTC", 1);
	tzset();
	sync_webhook_read(dir, &ws);
	ok(ws.found && ws.running && ws.pid == (long)getpid(),
	    "read: running, our pid");
	is_int((long long)ws.n, 2, "two channels (a torn line skipped)");
	out = open_memstream(&text, &len);
	sync_webhook_print(&ws, 1, 1000000, out);
	fclose(out);
	status = xasprintf("webhook receiver: listening on 127.0.0.1:8765 "
	    "since 13:30:00 (pid %ld)\n"
	    "shop: 12 payloads, last 13:45:00, 3 bad signatures "
	    "(last 13:43:20)\n"
	    "page: 1 payload, last 13:30:00, 1 refused; last failure "
	    "13:45:50: 400 not JSON\n", (long)getpid());
	is_str(text, status, "the block of `ombre sync --status`");
	free(status);
	free(text);
	out = open_memstream(&text, &len);
	sync_webhook_print(&ws, 1, 1000000 + 86400, out);
	fclose(out);
	ok(strstr(text, "since 1970-01-12 13:30:00") != NULL,
	    "another day's times with their date");
	free(text);
	phrase = sync_webhook_phrase(&ws, 1, 1000000);
	is_str(phrase, "webhook: 3 bad signatures",
	    "the console: bad signatures within the hour");
	free(phrase);
	ok(sync_webhook_phrase(&ws, 1, 999800 + 3600) == NULL,
	    "an hour after the last one: nothing");
	sync_webhook_free(&ws);

	status = xstrdup("pid\t999999999\nlisten\t127.0.0.1:8765\n"
	    "started\t999000\n");
	ok(util_write_file(path, "status", status, strlen(status), 0600) == 0,
	    "a status file of a dead pid");
	free(status);
	sync_webhook_read(dir, &ws);
	ok(ws.found && !ws.running, "not running");
	phrase = sync_webhook_phrase(&ws, 1, 1000000);
	is_str(phrase, "webhook receiver not running", "and said so");
	free(phrase);
	sync_webhook_free(&ws);
	status = xasprintf("pid\t%ld\nstopped\t1000000\n", (long)getpid());
	ok(util_write_file(path, "status", status, strlen(status), 0600) == 0,
	    "a status file written at exit");
	free(status);
	sync_webhook_read(dir, &ws);
	out = open_memstream(&text, &len);
	sync_webhook_print(&ws, 0, 1000000, out);
	fclose(out);
	is_str(text, "webhook receiver: not running (stopped 13:46:40)\n",
	    "stopped, whatever the pid");
	free(text);
	sync_webhook_free(&ws);
	free(path);

	/* The syncer's status file, as sync.c writes it, read once for
	 * sync --status and the console (TZ=UTC, 1000000 is 13:46:40). */
	path = xasprintf("%s/sync", dir);
	ok(util_mkdir_p(path, 0700) == 0, "DATA/sync");
	status = xstrdup("pid\t1\nupdated\t1000000\n"
	    "channel\tsupport\ttelegram\tconnected\t0\t\n"
	    "channel\tmx\tmatrix\tbacking off\t1000030\tHTTP 502\n"
	    "channel\ttorn\tsms\n"
	    "quarantine\tmx\t2\nquarantined\t2\n"
	    "index\t12\tdisk \033[2Jfull\n"
	    "hooks\t12\t1\t0\t1000000\thandoff: exit 3\n\n\n");
	ok(util_write_file(path, "status", status, strlen(status), 0600) == 0,
	    "a syncer's status file written");
	free(status);
	is_int(sync_state_read(dir, &st), 0, "read: something known");
	ok(st.found && st.holder == 0, "a file, no syncer");
	is_int((long long)st.n, 2, "two channels (a torn line skipped)");
	is_str(st.channels[1].state, "backing off",
	    "the state as stored, in C");
	ok(st.channels[1].until == 1000030 &&
	    strcmp(st.channels[1].error, "HTTP 502") == 0,
	    "its time and error");
	phrase = sync_state_channel_phrase(&st.channels[1], 1000000);
	is_str(phrase, "mx (matrix): backing off until 13:47:10: "
	    "HTTP 502", "the console's phrase: the time alone today");
	free(phrase);
	phrase = sync_state_channel_phrase(&st.channels[1],
	    1000000 + 86400);
	is_str(phrase, "mx (matrix): backing off until 1970-01-12 "
	    "13:47:10: HTTP 502", "the date too on another day");
	free(phrase);
	buf_init(&b);
	is_int(sync_state_notes(&st, &b, "; "), 3,
	    "quarantine, index, hooks");
	is_str(b.data, "2 updates quarantined: see `ombre sync "
	    "--quarantine`; index: 12 messages delivered, not indexed "
	    "yet: disk \033[2Jfull; hooks: 12 run, 1 failed (last: handoff: "
	    "exit 3, 13:46)", "each a phrase");
	buf_free(&b);
	sync_state_free(&st);
	out = open_memstream(&text, &len);
	is_int(sync_status_print(dir, out), 0, "sync --status: known");
	fclose(out);
	is_str(text, "syncer: not running\n"
	    "support (telegram): connected\n"
	    "mx (matrix): backing off until 1970-01-12 13:47:10: HTTP 502\n"
	    "2 updates quarantined: see `ombre sync --quarantine`\n"
	    "index: 12 messages delivered, not indexed yet: disk ^[[2Jfull\n"
	    "hooks: 12 run, 1 failed (last: handoff: exit 3, 13:46)\n",
	    "and what it prints, no control character of a server's raw");
	free(text);
	ok(sync_channel_state(dir, "mx") == NULL,
	    "no syncer holds the lock: no channel's state");
	free(path);
	/* The lock held as a syncer holds it: the state is current. */
	path = xasprintf("%s/sync.lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	ok(fd != -1 && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
	    write(fd, "4242\n", 5) == 5, "the sync lock held");
	state = sync_channel_state(dir, "mx");
	is_str(state, "backing off", "a channel's state, as stored");
	free(state);
	ok(sync_channel_state(dir, "torn") == NULL, "a torn line: none");
	close(fd);
	unlink(path);
	free(path);

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
