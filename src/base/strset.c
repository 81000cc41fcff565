/*
 * strset.c: a set of strings that also keeps their order of insertion.
 *
 * Open addressing with linear probing over indexes into the ordered array;
 * the table is kept at most half full. Used where a search walks messages
 * and needs each conversation once (thousands of ids, not millions).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "base/base.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a: short keys, no adversary (keys are notmuch's own thread ids). */
static uint64_t
strset_hash(const char *s)
{
	uint64_t	h = 14695981039346656037ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static void
strset_grow(struct strset *set)
{
	size_t	size = set->slots_size == 0 ? 64 : set->slots_size * 2;
	size_t	i, j;

	free(set->slots);
	set->slots = xcalloc(size, sizeof *set->slots);
	set->slots_size = size;
	for (i = 0; i < set->n; i++) {
		j = strset_hash(set->items[i]) & (size - 1);
		while (set->slots[j] != 0)
			j = (j + 1) & (size - 1);
		set->slots[j] = i + 1;
	}
}

int
strset_has(const struct strset *set, const char *s)
{
	size_t	j;

	if (set->n == 0)
		return 0;
	j = strset_hash(s) & (set->slots_size - 1);
	while (set->slots[j] != 0) {
		if (strcmp(set->items[set->slots[j] - 1], s) == 0)
			return 1;
		j = (j + 1) & (set->slots_size - 1);
	}
	return 0;
}

int
strset_add(struct strset *set, const char *s)
{
	size_t	j;

	if ((set->n + 1) * 2 > set->slots_size)
		strset_grow(set);
	j = strset_hash(s) & (set->slots_size - 1);
	while (set->slots[j] != 0) {
		if (strcmp(set->items[set->slots[j] - 1], s) == 0)
			return 0;
		j = (j + 1) & (set->slots_size - 1);
	}
	set->items = xreallocarray(set->items, set->n + 1, sizeof *set->items);
	set->items[set->n] = xstrdup(s);
	set->slots[j] = ++set->n;
	return 1;
}

void
strset_free(struct strset *set)
{
	size_t	i;

	for (i = 0; i < set->n; i++)
		free(set->items[i]);
	free(set->items);
	free(set->slots);
	memset(set, 0, sizeof *set);
}
