/*
 * fuzz-meta.h: what the two targets of Meta's webhook parsers
 * (fuzz-wa.c, fuzz-fb.c) check alike (fuzz-meta.c).
 */
#ifndef OMBRE_FUZZ_META_H
#define OMBRE_FUZZ_META_H

#include <stddef.h>

struct json_t;
struct meta_config;
struct meta_payload;

typedef int (*fuzz_meta_parser)(const struct meta_config *,
    struct json_t *, struct meta_payload *, char **);

/*
 * Read root (len bytes of JSON text) twice with parse and check chan-meta.h's
 * promise on the second reading: -1 only with a cause and nothing kept, 0
 * without one; every message of channel as chan.h promises; the same
 * Message-Ids both times; every refusal with what it was, its JSON and a
 * cause. Then platform checks the rest (statuses, echoes, owners). what
 * names the parser in a failure.
 */
void fuzz_meta_run(const char *what, const char *channel,
    fuzz_meta_parser parse, const struct meta_config *c, struct json_t *root,
    size_t len, void (*platform)(const struct meta_payload *));

#endif
