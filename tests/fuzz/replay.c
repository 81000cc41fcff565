/*
 * replay.c: run a fuzz target over files, as a TAP test.
 *
 *	replay-json [FILE | DIR]...
 *
 * Linked with one target instead of libFuzzer, so every build compiles the
 * targets and make check runs them over their seed corpora. Each file
 * named, and each file under each directory named (sorted, dot files
 * skipped), goes once to LLVMFuzzerTestOneInput, then "ok N - FILE" is
 * printed. A target that finds a bug aborts: the test fails by the signal,
 * and the file after the last ok line is the culprit. With no argument,
 * the target's seed corpus is replayed: REPLAY_CORPUS under $top_srcdir,
 * which the test harness sets, else under the current directory.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Read a whole file into a buffer of exactly its size, so AddressSanitizer
 * sees a read past the end as libFuzzer would. Return 0, or -1 with errno.
 */
static int
replay_read(const char *path, uint8_t **data, size_t *size)
{
	FILE	*f;
	uint8_t	*p = NULL, *np;
	size_t	 len = 0, n;
	char	 chunk[8192];
	int	 saved_errno;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if ((np = realloc(p, len + n)) == NULL)
			goto fail;
		p = np;
		memcpy(p + len, chunk, n);
		len += n;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	/* An empty input still gets a pointer that can be freed. */
	if (p == NULL && (p = malloc(1)) == NULL)
		return -1;
	*data = p;
	*size = len;
	return 0;

fail:
	saved_errno = errno;
	free(p);
	fclose(f);
	errno = saved_errno;
	return -1;
}

/* Replay one file. */
static void
replay_file(const char *path)
{
	uint8_t	*data;
	size_t	 size;

	if (replay_read(path, &data, &size) != 0) {
		ok(0, "%s", path);
		diag("cannot read %s: %s", path, strerror(errno));
		return;
	}
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	ok(1, "%s", path);
}

/* Skip ".", ".." and dot files (editor and VCS leftovers). */
static int
replay_visible(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* Replay a file, or every file under a directory in name order. */
static void
replay_path(const char *path)
{
	struct stat	  sb;
	struct dirent	**names;
	char		 *child;
	int		  i, n;

	if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		replay_file(path);
		return;
	}
	if ((n = scandir(path, &names, replay_visible, alphasort)) == -1) {
		ok(0, "%s", path);
		diag("cannot list %s: %s", path, strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		if ((child = malloc(strlen(path) + strlen(names[i]->d_name) +
		    2)) == NULL) {
			perror("malloc");
			exit(1);
		}
		sprintf(child, "%s/%s", path, names[i]->d_name);
		replay_path(child);
		free(child);
		free(names[i]);
	}
	free(names);
}

#ifdef REPLAY_CORPUS
/* Go to $top_srcdir, which the test harness sets, so the corpus and the
 * names printed are relative to it. */
static void
replay_chdir_top(void)
{
	const char	*top;

	top = getenv("top_srcdir");
	if (top != NULL && *top != '\0' && chdir(top) != 0) {
		fprintf(stderr, "%s: %s\n", top, strerror(errno));
		exit(1);
	}
}
#endif

int
main(int argc, char **argv)
{
	int	i;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			replay_path(argv[i]);
		return exit_status();
	}
#ifdef REPLAY_CORPUS
	replay_chdir_top();
	replay_path(REPLAY_CORPUS);
	return exit_status();
#else
	fprintf(stderr, "usage: %s [file | dir]...\n", argv[0]);
	return 1;
#endif
}
