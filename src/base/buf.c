/*
 * buf.c: a growable byte buffer, always NUL-terminated after len.
 *
 * A buffer with size 0 owns no memory: its data is either NULL (a struct
 * zeroed with memset or calloc) or buf_empty (after buf_init), which reads
 * as "". Every function here accepts both, so a zeroed struct is a valid
 * empty buffer and buf_init is only needed to make data a string.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "base/base.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first allocation; later ones double. */
#define BUF_MIN_SIZE 64

/* What data points to while the buffer owns nothing; never written. */
static char	buf_empty[1];

void
buf_init(struct buf *b)
{
	b->data = buf_empty;
	b->len = 0;
	b->size = 0;
}

void
buf_free(struct buf *b)
{
	if (b->size != 0)
		free(b->data);
	buf_init(b);
}

/* Empty the buffer but keep its memory for reuse. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->size != 0)
		b->data[0] = '\0';
	else
		b->data = buf_empty;
}

/*
 * Make room for need more bytes plus the terminating NUL. The size at
 * least doubles each time, so n appends cost O(n) copies in total.
 */
static void
buf_grow(struct buf *b, size_t need)
{
	size_t	 want, size;
	char	*data;

	if (need > SIZE_MAX - 1 - b->len)
		fatalx("buf_grow: %zu + %zu bytes overflows", b->len, need);
	want = b->len + need + 1;
	if (want <= b->size)
		return;

	size = b->size != 0 ? b->size : BUF_MIN_SIZE;
	while (size < want) {
		if (size > SIZE_MAX / 2) {
			size = want;
			break;
		}
		size *= 2;
	}
	if (b->size == 0) {
		data = xmalloc(size);
		data[0] = '\0';
	} else
		data = xreallocarray(b->data, 1, size);
	b->data = data;
	b->size = size;
}

/* Append len bytes; data must not point into b, which may move. */
void
buf_add(struct buf *b, const void *data, size_t len)
{
	if (len == 0)
		return;
	buf_grow(b, len);
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
buf_add_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_add_char(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

/*
 * Append n words separated by single spaces (the words of a command line
 * joined back into a query or a text).
 */
void
buf_add_words(struct buf *b, char *const *words, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_add_char(b, ' ');
		buf_add_str(b, words[i]);
	}
}

/*
 * Append formatted text. Try the space already there first; most lines
 * fit, and only the rest are formatted twice.
 */
void
buf_add_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	size_t	room;
	int	n;

	room = b->size != 0 ? b->size - b->len : 0;
	va_start(ap, fmt);
	n = vsnprintf(room != 0 ? b->data + b->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatalx("buf_add_printf: bad format");
	if ((size_t)n < room) {
		b->len += n;
		return;
	}

	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

/*
 * Return the data, NUL-terminated, and leave the buffer empty. An empty
 * buffer gives a newly allocated "", so the result is always the caller's
 * to free.
 */
char *
buf_steal(struct buf *b)
{
	char	*data;

	if (b->size == 0)
		data = xstrdup("");
	else
		data = b->data;
	buf_init(b);
	return data;
}

void
buf_add_shell_word(struct buf *b, const char *word)
{
	buf_add_char(b, '\'');
	for (; *word != '\0'; word++) {
		if (*word == '\'')
			buf_add_str(b, "'\\''");
		else
			buf_add_char(b, *word);
	}
	buf_add_char(b, '\'');
}
