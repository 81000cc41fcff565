/*
 * authority.c: a replica's central server. On a machine whose store is a
 * replica (synchronised with the central one by an engine such as
 * muchsync), claims and replies must be decided where every agent's
 * compare-and-set meets: the central server's ombre, run through
 * store.authority (typically "ssh -T server ombre --data-dir DIR"). The
 * command line and its exit statuses are the protocol; the words are
 * quoted for the remote shell, the text goes on stdin, never in argv.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

int
authority_active(void)
{
	const char	*a = options_get("store.authority");

	return a != NULL && a[strspn(a, " \t")] != '\0';
}

char *
authority_command(const char *const *argv)
{
	struct buf	b, word;

	buf_init(&b);
	buf_init(&word);
	buf_add_str(&b, options_get("store.authority"));
	for (; *argv != NULL; argv++) {
		/* Quoted twice: our /bin/sh takes one quoting off, and ssh
		 * hands the words, joined, to the remote shell, which takes
		 * the other. (A local store.authority must do as ssh does.) */
		buf_reset(&word);
		buf_add_shell_word(&word, *argv);
		buf_add_char(&b, ' ');
		buf_add_shell_word(&b, word.data);
	}
	buf_free(&word);
	return buf_steal(&b);
}

int
authority_run(const char *const *argv, const char *input, size_t input_len,
    struct buf *out, struct buf *err)
{
	char	*cmd;
	int	 rc;

	cmd = authority_command(argv);
	rc = util_run_shell(cmd, input, input_len, out, err,
	    (int)options_get_number("store.lock-timeout") + 60);
	free(cmd);
	return rc;
}

int
authority_replicate(struct buf *err)
{
	const char	*r = options_get("store.replicate");
	struct buf	 out;
	int		 rc;

	if (r == NULL || r[strspn(r, " \t")] == '\0')
		return 0;
	buf_init(&out);
	rc = util_run_shell(r, NULL, 0, &out, err, 600);
	buf_free(&out);
	return rc;
}
