/*
 * ui-input.c: the only libtermkey code: every key the console reads.
 *
 * libtermkey turns the terminal's bytes into keys ("C-z", "PageDown",
 * "Enter") whatever the terminal sends for them. A lone Escape may be the
 * start of a sequence: libtermkey says how long to wait before deciding,
 * and the loop calls ui_input_flush when that time is up.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

#include <termkey.h>

struct ui_input {
	TermKey	*tk;
};

/* UTF8: keys are UTF-8 whatever the locale says. CTRLC: C-c is a key
 * (bound or not), not SIGINT. */
#define UI_INPUT_FLAGS	(TERMKEY_FLAG_UTF8 | TERMKEY_FLAG_CTRLC)

/* The new instance's settings; NULL (and in freed) when it failed. */
static struct ui_input *
ui_input_setup(struct ui_input *in)
{
	if (in->tk == NULL) {
		free(in);
		return NULL;
	}
	termkey_set_canonflags(in->tk, termkey_get_canonflags(in->tk) |
	    TERMKEY_CANON_DELBS);
	return in;
}

struct ui_input *
ui_input_new(int fd)
{
	struct ui_input	*in;

	in = xcalloc(1, sizeof *in);
	in->tk = termkey_new(fd, UI_INPUT_FLAGS);
	return ui_input_setup(in);
}

struct ui_input *
ui_input_new_abstract(const char *term)
{
	struct ui_input	*in;

	in = xcalloc(1, sizeof *in);
	in->tk = termkey_new_abstract(term, UI_INPUT_FLAGS);
	return ui_input_setup(in);
}

void
ui_input_push(struct ui_input *in, const char *bytes, size_t len)
{
	termkey_push_bytes(in->tk, bytes, len);
}

void
ui_input_free(struct ui_input *in)
{
	if (in == NULL)
		return;
	termkey_destroy(in->tk);
	free(in);
}

void
ui_input_stop(struct ui_input *in)
{
	termkey_stop(in->tk);
}

void
ui_input_start(struct ui_input *in)
{
	termkey_start(in->tk);
}

int
ui_input_fd(struct ui_input *in)
{
	return termkey_get_fd(in->tk);
}

static void
ui_input_emit(struct ui_input *in, TermKeyKey *key, ui_input_key_cb cb,
    void *data)
{
	char	name[64];
	size_t	n;
	int	text;

	termkey_strfkey(in->tk, name, sizeof name, key, TERMKEY_FORMAT_ALTISMETA);
	/*
	 * libtermkey names the space bar " " (without SPACESYMBOL, which
	 * would take the space out of typed text): bindings and the key
	 * tables call it Space, and its text stays " ".
	 */
	if (key->type == TERMKEY_TYPE_UNICODE && key->code.codepoint == ' ' &&
	    (n = strlen(name)) > 0 && name[n - 1] == ' ' &&
	    n - 1 + sizeof "Space" <= sizeof name)
		memcpy(name + n - 1, "Space", sizeof "Space");
	/* A character typed as itself: what a prompt inserts. */
	text = key->type == TERMKEY_TYPE_UNICODE &&
	    (key->modifiers & ~TERMKEY_KEYMOD_SHIFT) == 0;
	cb(name, text ? key->utf8 : NULL, data);
}

int
ui_input_read(struct ui_input *in, ui_input_key_cb cb, void *data)
{
	TermKeyKey	key;
	TermKeyResult	res;

	/* An abstract instance has its bytes pushed, nothing to read. */
	if (termkey_get_fd(in->tk) != -1 &&
	    termkey_advisereadable(in->tk) == TERMKEY_RES_ERROR)
		return -1;
	while ((res = termkey_getkey(in->tk, &key)) == TERMKEY_RES_KEY)
		ui_input_emit(in, &key, cb, data);
	if (res == TERMKEY_RES_AGAIN)
		return termkey_get_waittime(in->tk);
	return -1;
}

void
ui_input_flush(struct ui_input *in, ui_input_key_cb cb, void *data)
{
	TermKeyKey	key;

	while (termkey_getkey_force(in->tk, &key) == TERMKEY_RES_KEY)
		ui_input_emit(in, &key, cb, data);
}
