/*
 * cli-remote.c: a replica's claims and replies run on the central server
 * (store.authority), so that its compare-and-set decides them for every
 * machine at once; then store.replicate brings the result here.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the central server printed, made safe for our terminal. */
static void
cli_remote_print(FILE *f, const struct buf *b)
{
	char	*safe;

	if (b->len == 0)
		return;
	safe = sanitize(b->data, b->len, SANITIZE_BODY, 0);
	fputs(safe, f);
	if (safe[0] != '\0' && safe[strlen(safe) - 1] != '\n')
		fputc('\n', f);
	free(safe);
}

int
cli_remote(struct cli *cli, const char *command, const char *conv,
    const char *const *args, const char *agent, const char *input, size_t input_len)
{
	struct store_options	 so;
	struct buf		 out, err;
	int			 rc;

	cli_store_options(cli, &so);
	buf_init(&out);
	buf_init(&err);
	rc = sync_authority_run(&so, command, conv, args, agent, input,
	    input_len, &out, &err);
	cli_remote_print(stdout, &out);
	if (rc == SYNC_AUTHORITY_UNREACHABLE) {
		log_warn(_("%s: the central server could not be reached "
		    "(store.authority failed): nothing done"), command);
		rc = EXIT_UNAVAILABLE;
	}
	cli_remote_print(stderr, &err);
	buf_free(&out);
	buf_free(&err);
	return rc;
}
