/*
 * xmalloc.c: allocation that never returns NULL.
 *
 * Running out of memory is fatal, as in tmux: no caller has a better plan,
 * and checking every allocation would hide the real error paths. A zero
 * size is rounded up to one byte so the result is always a unique pointer.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "base/base.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *
xmalloc(size_t size)
{
	void	*ptr;

	if (size == 0)
		size = 1;
	if ((ptr = malloc(size)) == NULL)
		fatalx("xmalloc: out of memory (allocating %zu bytes)", size);
	return ptr;
}

void *
xcalloc(size_t count, size_t size)
{
	void	*ptr;

	if (count == 0 || size == 0)
		count = size = 1;
	if ((ptr = calloc(count, size)) == NULL) {
		fatalx("xcalloc: out of memory (allocating %zu * %zu bytes)",
		    count, size);
	}
	return ptr;
}

/*
 * Resize ptr to count * size bytes, refusing a product that overflows
 * size_t instead of allocating a short block. Return the new pointer.
 */
void *
xreallocarray(void *ptr, size_t count, size_t size)
{
	void	*new_ptr;

	if (count == 0 || size == 0)
		count = size = 1;
	if (count > SIZE_MAX / size)
		fatalx("xreallocarray: %zu * %zu bytes overflows", count, size);
	if ((new_ptr = realloc(ptr, count * size)) == NULL) {
		fatalx("xreallocarray: out of memory (allocating %zu * %zu "
		    "bytes)", count, size);
	}
	return new_ptr;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/*
 * Copy at most n bytes of s, stopping early at a NUL, and terminate the
 * copy. Return the new string; the caller frees it.
 */
char *
xstrndup(const char *s, size_t n)
{
	const char	*end;
	char		*copy;
	size_t		 len;

	if ((end = memchr(s, '\0', n)) != NULL)
		len = end - s;
	else
		len = n;
	if (len == SIZE_MAX)
		fatalx("xstrndup: string too long");
	copy = xmalloc(len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

/*
 * Format into a buffer of exactly the right size: measure with a copy of
 * the argument list, then print. Return the new string.
 */
char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list	 ap2;
	char	*s;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		fatalx("xvasprintf: bad format");

	s = xmalloc((size_t)n + 1);
	if (vsnprintf(s, (size_t)n + 1, fmt, ap) != n)
		fatalx("xvasprintf: format changed length");
	return s;
}
