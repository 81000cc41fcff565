/*
 * fuzz-mail.c: libFuzzer target for store_mail_text_of(), the reader of the
 * plain text of a user's own e-mail (store-mail.c): MIME multiparts nested
 * to a depth limit, quoted-printable, base64, Latin-1 and Windows-1252.
 *
 * Any bytes are an e-mail here. The promises checked: no read outside the
 * input (AddressSanitizer), no undefined behaviour, a NUL at the length
 * returned, at most three bytes of text for a byte of input (a runaway
 * decoder would break it), no trailing blank line, and the same text for
 * the same input.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_fail(const char *why)
{
	fprintf(stderr, "store_mail_text_of: %s\n", why);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*text, *again;
	size_t	 len, len_again;

	text = store_mail_text_of((const char *)data, size, &len);
	if (text == NULL) {
		if (len != 0)
			fuzz_fail("no text, but a length");
		return 0;
	}
	if (text[len] != '\0')
		fuzz_fail("no NUL at the length returned");
	if (len > 3 * size)
		fuzz_fail("more than three bytes of text a byte of input");
	if (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		fuzz_fail("a trailing blank line is kept");
	again = store_mail_text_of((const char *)data, size, &len_again);
	if (again == NULL || len_again != len || memcmp(again, text, len) != 0)
		fuzz_fail("two readings of the same input differ");
	free(again);
	free(text);
	return 0;
}
