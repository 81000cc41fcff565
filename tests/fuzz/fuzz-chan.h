/*
 * fuzz-chan.h: what the channel fuzzers (fuzz-tg-message.c,
 * fuzz-mx-event.c) share, in fuzz-chan.c.
 */
#ifndef OMBRE_FUZZ_CHAN_H
#define OMBRE_FUZZ_CHAN_H

#include <stddef.h>
#include <stdint.h>

struct json_t;
struct msg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Report a broken promise of chan.h, and crash. */
void fuzz_chan_fail(const char *what, const char *why);
/*
 * Run each JSON value the input is to an adapter: the bytes as jansson
 * reads them with the adapters' flags (JSON_ALLOW_NUL) when they parse,
 * then the bytes as an adapter takes an answer (chan_json_load: repaired,
 * elements jansson refuses cut out). run gets the value and the most
 * bytes of JSON text it came from.
 */
void fuzz_chan_each_value(const uint8_t *data, size_t size,
    void (*run)(struct json_t *root, size_t len));
/*
 * Check what an adapter returned for a value of len bytes of JSON text:
 * NULL comes with a cause when why_required, and m (when not NULL) keeps
 * the promise of chan.h. Frees m and why.
 */
void fuzz_chan_check(const char *what, struct msg *m, char *why,
    int why_required, size_t len);

#endif
