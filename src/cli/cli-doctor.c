/*
 * cli-doctor.c: ombre doctor, the store checked, repaired (--fix) or its
 * tags dumped (--dump).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
cli_doctor_say(enum store_doctor_level level, const char *text, void *data)
{
	static const char *const	 names[] = {
		[STORE_DOCTOR_OK] = "ok",
		[STORE_DOCTOR_NOTE] = "note",
		[STORE_DOCTOR_PROBLEM] = "problem",
		[STORE_DOCTOR_FIXED] = "fixed",
	};
	char				*clean;

	(void)data;
	clean = sanitize(text, strlen(text), SANITIZE_LINE, 0);
	printf("%s: %s\n", names[level], clean);
	fflush(stdout);
	free(clean);
}

/*
 * ombre doctor [--fix] [--dump]: check the data dir (exit 1 when a
 * problem is left), repair it with --fix (a damaged index rebuilt from the
 * Maildir, the newest dump restored), or take a dump of the tags by hand.
 */
int
cli_doctor(struct cli *cli, int argc, char **argv)
{
	struct store_options	 opts;
	struct store		*st;
	char			**rest, *cause, *path;
	int			 fix = 0, dump = 0, n_rest, rc;
	const struct cli_opt	 options[] = {
		{ "fix", 0, 0, NULL, &fix },
		{ "dump", 0, 0, NULL, &dump },
		{ NULL, 0, 0, NULL, NULL }
	};

	if (cli_parse_args("doctor", options, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest > 0 || (fix && dump)) {
		log_warn(_("usage: ombre doctor [--fix | --dump]"));
		return EXIT_USAGE;
	}
	if (dump) {
		if ((rc = cli_open(cli, STORE_READ_ONLY, &st)) != 0)
			return rc;
		if (store_dump_take(st, &path, &cause) != STORE_OK) {
			log_warn("%s", cause);
			free(cause);
			store_close(st);
			return 1;
		}
		store_close(st);
		printf("%s\n", path);
		free(path);
		return 0;
	}
	cli_store_options(cli, &opts);
	return store_doctor(&opts, fix, cli_doctor_say, NULL) == 0 ? 0 : 1;
}
