/*
 * json-repair.c: raw JSON from a server, made parseable where it can be,
 * and looked into where it cannot.
 *
 * A channel's answer is parsed whole by jansson, which refuses all of it
 * for one bad string: a byte that is not UTF-8, a lone surrogate escape,
 * a raw control byte. json_repair() rewrites those inside strings (U+FFFD,
 * or an escape), so one hostile value no longer sinks its neighbours. What
 * jansson still refuses (an integer above 2^63, nesting deeper than it
 * allows) is found by json_repair_element(): the array element holding the
 * error, which an adapter cuts out and quarantines. The scanners read an
 * update_id or a next_batch from bytes that do not parse at all. None of
 * this needs jansson: it works on bytes, never trusting them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define JSON_REPAIR_FFFD	"\\ufffd"

static int
json_repair_hex4(const char *s, size_t len, size_t at, uint32_t *out)
{
	uint32_t	v = 0;
	size_t		i;
	char		c;

	if (at + 4 > len)
		return -1;
	for (i = 0; i < 4; i++) {
		c = s[at + i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/*
 * Copy raw[0..len) with, inside strings: invalid UTF-8 sequences and raw
 * NUL bytes as U+FFFD, other raw control bytes as \u00XX escapes, \u0000
 * and lone surrogate escapes as \ufffd. Everything else is copied as it
 * is (outside strings too: what is wrong there stays wrong, for jansson
 * to say). Return the new text (NUL-terminated, *out_len bytes, never
 * longer than 6 times len); *fixed counts the changes. The caller frees it.
 */
char *
json_repair(const char *raw, size_t len, size_t *out_len, size_t *fixed)
{
	struct buf	 b;
	size_t		 i, n;
	uint32_t	 cp, lo;
	unsigned char	 c;
	int		 in_string = 0;

	*fixed = 0;
	buf_init(&b);
	for (i = 0; i < len; i += n) {
		c = (unsigned char)raw[i];
		n = 1;
		if (!in_string) {
			if (c == '"')
				in_string = 1;
			buf_add_char(&b, (char)c);
			continue;
		}
		if (c == '"') {
			in_string = 0;
			buf_add_char(&b, '"');
		} else if (c == '\\') {
			if (i + 1 >= len) {
				buf_add_char(&b, '\\');
				continue;
			}
			if (raw[i + 1] != 'u' ||
			    json_repair_hex4(raw, len, i + 2, &cp) != 0) {
				buf_add(&b, raw + i, 2);
				n = 2;
				continue;
			}
			n = 6;
			if (cp >= 0xd800 && cp <= 0xdbff && i + 12 <= len &&
			    raw[i + 6] == '\\' && raw[i + 7] == 'u' &&
			    json_repair_hex4(raw, len, i + 8, &lo) == 0 &&
			    lo >= 0xdc00 && lo <= 0xdfff) {
				buf_add(&b, raw + i, 12);	/* a pair */
				n = 12;
			} else if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff)) {
				buf_add_str(&b, JSON_REPAIR_FFFD);
				(*fixed)++;
			} else
				buf_add(&b, raw + i, 6);
		} else if (c == 0) {
			buf_add_str(&b, JSON_REPAIR_FFFD);
			(*fixed)++;
		} else if (c < 0x20) {
			buf_add_printf(&b, "\\u%04x", (unsigned)c);
			(*fixed)++;
		} else if (c < 0x80)
			buf_add_char(&b, (char)c);
		else {
			n = utf8_decode(raw + i, len - i, &cp);
			if (cp == UTF8_REPLACEMENT && n == 1) {
				buf_add_str(&b, "\xef\xbf\xbd");
				(*fixed)++;
			} else
				buf_add(&b, raw + i, n);
		}
	}
	*out_len = b.len;
	return buf_steal(&b);
}

/*
 * The element of the outermost array that holds byte pos of raw: for a
 * getUpdates answer an update, for a /sync answer an event. Strings are
 * skipped as strings, so no byte inside one is taken for structure.
 * Return 0 with [*start, *end) (end is len when the element is cut short),
 * or -1 when pos is in no array element.
 */
int
json_repair_element(const char *raw, size_t len, size_t pos, size_t *start,
    size_t *end)
{
	size_t	i, depth = 0, outer = 0, elem = SIZE_MAX;
	int	in_string = 0, found = 0;
	char	c;

	if (pos >= len)
		return -1;
	for (i = 0; i < len; i++) {
		c = raw[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (found && depth == outer && (c == ',' || c == ']')) {
			while (i > *start && (raw[i - 1] == ' ' ||
			    raw[i - 1] == '\t' || raw[i - 1] == '\r' ||
			    raw[i - 1] == '\n'))
				i--;
			*end = i;
			return 0;
		} else if (c == '"') {
			in_string = 1;
			if (outer != 0 && depth == outer && elem == SIZE_MAX)
				elem = i;
		} else if (c == '[' || c == '{') {
			if (outer != 0 && depth == outer && elem == SIZE_MAX)
				elem = i;
			depth++;
			if (c == '[' && outer == 0)
				outer = depth;
		} else if (c == ']' || c == '}') {
			if (depth == 0)
				return -1;
			if (depth == outer) {
				outer = 0;	/* closed before pos */
				elem = SIZE_MAX;
			}
			depth--;
		} else if (c == ',') {
			if (outer != 0 && depth == outer)
				elem = SIZE_MAX;
		} else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
			if (outer != 0 && depth == outer && elem == SIZE_MAX)
				elem = i;
		}
		if (!found && i >= pos) {
			if (outer == 0 || elem == SIZE_MAX || depth < outer)
				return -1;
			found = 1;
			*start = elem;
		}
	}
	if (!found)
		return -1;
	*end = len;
	return 0;
}

/* The next "key" followed by ':' at or after from, or SIZE_MAX. */
static size_t
json_repair_find_key(const char *raw, size_t len, const char *key, size_t from)
{
	size_t	klen = strlen(key), i, j;

	for (i = from; i + klen + 2 < len; i++) {
		if (raw[i] != '"' || memcmp(raw + i + 1, key, klen) != 0 ||
		    raw[i + 1 + klen] != '"' || (i > 0 && raw[i - 1] == '\\'))
			continue;
		j = i + klen + 2;
		while (j < len && strchr(" \t\r\n", raw[j]) != NULL && raw[j])
			j++;
		if (j < len && raw[j] == ':') {
			j++;
			while (j < len && strchr(" \t\r\n", raw[j]) != NULL &&
			    raw[j])
				j++;
			return j;
		}
	}
	return SIZE_MAX;
}

/*
 * Read the first "key": <integer> of raw[0..len) (an update_id in bytes
 * that do not parse): a decimal integer that fits a long long and is not
 * followed by a fraction or an exponent. Return 0 and *value, or -1.
 */
int
json_repair_scan_int(const char *raw, size_t len, const char *key,
    long long *value)
{
	size_t		at = 0, i;
	long long	v;
	int		neg;

	while ((at = json_repair_find_key(raw, len, key, at)) != SIZE_MAX) {
		i = at;
		neg = i < len && raw[i] == '-';
		if (neg)
			i++;
		if (i >= len || raw[i] < '0' || raw[i] > '9')
			continue;
		for (v = 0; i < len && raw[i] >= '0' && raw[i] <= '9'; i++) {
			if (__builtin_mul_overflow(v, 10, &v) ||
			    __builtin_add_overflow(v, raw[i] - '0', &v))
				break;
		}
		if (i < len && (raw[i] >= '0' && raw[i] <= '9'))
			continue;	/* too big */
		if (i < len && (raw[i] == '.' || raw[i] == 'e' ||
		    raw[i] == 'E'))
			continue;
		*value = neg ? -v : v;
		return 0;
	}
	return -1;
}

/*
 * Read the first "key": "<string>" of raw[0..len) (a next_batch in bytes
 * that do not parse): only a plain string, printable ASCII without escapes,
 * at most 1024 bytes. Return it (allocated), or NULL.
 */
char *
json_repair_scan_str(const char *raw, size_t len, const char *key)
{
	size_t	at = 0, i;

	while ((at = json_repair_find_key(raw, len, key, at)) != SIZE_MAX) {
		if (at >= len || raw[at] != '"')
			continue;
		for (i = at + 1; i < len && raw[i] != '"'; i++) {
			if (raw[i] < 0x20 || raw[i] > 0x7e || raw[i] == '\\')
				break;
		}
		if (i >= len || raw[i] != '"' || i - at - 1 > 1024)
			continue;
		return xstrndup(raw + at + 1, i - at - 1);
	}
	return NULL;
}
