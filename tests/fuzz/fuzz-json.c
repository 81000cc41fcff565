/*
 * fuzz-json.c: libFuzzer target for the canonical JSON line parser.
 *
 * The input is one line as `ombre ingest` reads it. A failure must come
 * with a cause. A message that parses is formatted back (as `show --json`
 * prints it): that line must be terminal safe and must parse again to the
 * same message, and formatting that one must give the same line, or what
 * ombre prints could not be read back. The same bytes, taken as a
 * channel's raw answer, go through json_repair (idempotent, no longer than
 * 6 times the input) and the element finder (a span around the byte asked
 * for, within the input). Any breach aborts.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Report a broken promise with the line concerned, and crash. */
static void
fuzz_fail(const char *why, const char *line)
{
	char	*safe;

	safe = sanitize(line, strlen(line), SANITIZE_LINE, 0);
	fprintf(stderr, "json: %s\nline: %s\n", why, safe);
	free(safe);
	abort();
}

/* Return 1 when two optional strings are equal. */
static int
fuzz_str_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Return 1 when two messages hold the same fields. */
static int
fuzz_msg_same(const struct msg *a, const struct msg *b)
{
	size_t	i;

	if (!fuzz_str_same(a->channel, b->channel) ||
	    !fuzz_str_same(a->account, b->account) ||
	    !fuzz_str_same(a->conv_id, b->conv_id) ||
	    !fuzz_str_same(a->conv_title, b->conv_title) ||
	    !fuzz_str_same(a->id, b->id) ||
	    a->date != b->date || a->date_offset != b->date_offset ||
	    !fuzz_str_same(a->from_id, b->from_id) ||
	    !fuzz_str_same(a->from_name, b->from_name) ||
	    a->kind != b->kind ||
	    !fuzz_str_same(a->reply_to, b->reply_to) ||
	    !fuzz_str_same(a->edit_of, b->edit_of) ||
	    !fuzz_str_same(a->delivery, b->delivery) ||
	    a->delivery_date != b->delivery_date)
		return 0;
	if ((a->text == NULL) != (b->text == NULL) ||
	    a->text_len != b->text_len ||
	    (a->text != NULL && memcmp(a->text, b->text, a->text_len) != 0))
		return 0;
	if (a->n_attachments != b->n_attachments)
		return 0;
	for (i = 0; i < a->n_attachments; i++) {
		if (!fuzz_str_same(a->attachments[i].name,
		    b->attachments[i].name) ||
		    !fuzz_str_same(a->attachments[i].mime,
		    b->attachments[i].mime) ||
		    !fuzz_str_same(a->attachments[i].url,
		    b->attachments[i].url) ||
		    a->attachments[i].size != b->attachments[i].size)
			return 0;
	}
	if ((a->tags == NULL || a->tags[0] == NULL) !=
	    (b->tags == NULL || b->tags[0] == NULL))
		return 0;
	for (i = 0; a->tags != NULL && a->tags[i] != NULL; i++) {
		if (!fuzz_str_same(a->tags[i], b->tags[i]))
			return 0;
	}
	return 1;
}

/* Check a formatted line holds nothing a terminal would act on. */
static void
fuzz_check_line(const char *line)
{
	size_t		len, i, n;
	uint32_t	cp;

	len = strlen(line);
	if (!utf8_valid(line, len, NULL))
		fuzz_fail("formatted line is not UTF-8", line);
	for (i = 0; i < len; i += n) {
		n = utf8_decode(line + i, len - i, &cp);
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
		    cp == 0x061c || cp == 0x200e || cp == 0x200f ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff ||
		    cp == 0x2028 || cp == 0x2029)
			fuzz_fail("raw control in formatted line", line);
	}
}

/* The bytes as a channel's answer: repaired, looked into, scanned. */
static void
fuzz_repair(const char *raw, size_t size)
{
	char		*once, *twice, *s;
	size_t		 len, len2, fixed, start, end, pos;
	long long	 v;

	once = json_repair(raw, size, &len, &fixed);
	if (len > size * 6 || strlen(once) > len)
		fuzz_fail("repair grew too much", once);
	twice = json_repair(once, len, &len2, &fixed);
	if (len2 != len || memcmp(once, twice, len) != 0 || fixed != 0)
		fuzz_fail("repair is not idempotent", once);
	for (pos = 0; pos < len; pos += 1 + len / 8) {
		if (json_repair_element(once, len, pos, &start, &end) == 0 &&
		    (start > pos || end < pos || end > len))
			fuzz_fail("element span does not hold its byte", once);
	}
	(void)json_repair_scan_int(once, len, "update_id", &v);
	s = json_repair_scan_str(once, len, "next_batch");
	free(s);
	free(twice);
	free(once);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct msg	*m, *again;
	char		*cause = NULL, *line, *line2;

	fuzz_repair((const char *)data, size);

	m = json_msg_parse((const char *)data, size, &cause);
	if (m == NULL) {
		if (cause == NULL)
			fuzz_fail("failed without a cause", "");
		free(cause);
		return 0;
	}
	if (cause != NULL)
		fuzz_fail("succeeded with a cause", cause);

	line = json_msg_format(m);
	fuzz_check_line(line);
	again = json_msg_parse(line, strlen(line), &cause);
	if (again == NULL)
		fuzz_fail(cause, line);
	if (!fuzz_msg_same(m, again))
		fuzz_fail("formatted message parses to another", line);
	line2 = json_msg_format(again);
	if (strcmp(line, line2) != 0)
		fuzz_fail("formatting is not stable", line2);

	free(line2);
	free(line);
	msg_free(again);
	msg_free(m);
	return 0;
}
