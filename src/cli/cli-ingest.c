/*
 * cli-ingest.c: ombre ingest, canonical JSON lines from standard input
 * into the store in batches; a batch the disk refuses is named by its lines.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * ombre ingest [--format json] [-v] < FILE: one message a line; a line
 * that does not parse is named and skipped (exit 1), a duplicate is no
 * change, a write the store refuses stops the reading.
 */
int
cli_ingest(struct cli *cli, int argc, char **argv)
{
	const char		*format = "json";
	int			 verbose = cli->verbose, n_rest, rc;
	char			**rest, *line = NULL, *cause, *clean;
	size_t			 size = 0;
	ssize_t			 len;
	long			 lineno = 0, rejected = 0, batch_first = 0;
	int			 failed = 0;
	struct store		*st;
	struct msg		*m;
	struct store_ingest_stats stats;
	enum store_status	 status;
	const struct cli_opt	 opts[] = {
		{ "format", 0, 1, &format, NULL },
		{ "verbose", 'v', 0, NULL, &verbose },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("ingest", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest > 0) {
		log_warn(_("usage: ombre ingest [--format json] [-v] < FILE"));
		return EXIT_USAGE;
	}
	if (strcmp(format, "json") != 0) {
		clean = sanitize(format, strlen(format), SANITIZE_LINE, 40);
		log_warn(_("ingest: unknown format '%s' (known: json)"), clean);
		free(clean);
		return EXIT_USAGE;
	}
	if ((rc = cli_open(cli, STORE_READ_WRITE, &st)) != 0)
		return rc;
	rc = 0;
	while ((len = getline(&line, &size, stdin)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		m = json_msg_parse(line, (size_t)len, &cause);
		if (m == NULL) {
			log_warn(_("line %ld: %s"), lineno, cause);
			free(cause);
			rejected++;
			continue;
		}
		if (store_pending_count(st) == 0)
			batch_first = lineno;
		status = store_ingest(st, m, &cause);
		if (store_status_cannot_write(status)) {
			/* The whole batch since the last flush is lost with
			 * it: say which lines, and read no further. */
			log_warn(_("ingest: %s: lines %ld to %ld were not stored; "
			    "stopped at line %ld"), cause, batch_first, lineno,
			    lineno);
			free(cause);
			msg_free(m);
			rc = 1;
			failed = 1;
			break;
		} else if (status == STORE_DUPLICATE) {
			if (verbose) {
				clean = sanitize(m->id, strlen(m->id), SANITIZE_LINE, 80);
				log_warn(_("line %ld: duplicate of message %s, "
				    "skipped"), lineno, clean);
				free(clean);
			}
		} else if (status != STORE_OK) {
			log_warn(_("line %ld: %s"), lineno, cause);
			free(cause);
			rc = 1;
		}
		msg_free(m);
	}
	free(line);
	if (ferror(stdin)) {
		log_warn(_("ingest: reading: %s"), strerror(errno));
		rc = 1;
	}
	if (!failed && store_pending_count(st) > 0 &&
	    store_flush(st, &cause) != STORE_OK) {
		log_warn(_("ingest: %s: lines %ld to %ld were not stored"), cause,
		    batch_first, lineno);
		free(cause);
		rc = 1;
	}
	store_ingest_stats(st, &stats);
	if (store_close(st) != STORE_OK)
		rc = 1;
	if (verbose)
		log_warn(ngettext("%ld stored, %ld duplicate, %ld rejected",
		    "%ld stored, %ld duplicates, %ld rejected",
		    (unsigned long)stats.duplicates), stats.stored,
		    stats.duplicates, rejected);
	if (rejected > 0 && rc == 0)
		rc = 1;
	return rc;
}
