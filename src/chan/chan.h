/*
 * chan.h: the channel adapters. Each turns one channel's traffic into
 * canonical messages (core's struct msg) for the store; only the syncer
 * runs them, never the console. Telegram and Matrix come with the live
 * channels; the demo channel is here so `ombre --demo` shows an inbox
 * that lives.
 */
#ifndef OMBRE_CHAN_H
#define OMBRE_CHAN_H

#include "base/base.h"
#include "core/core.h"

/* chan-demo.c: simulated traffic, deterministic from a seed. */
struct chan_demo;
struct chan_demo *chan_demo_new(uint64_t seed);
void chan_demo_free(struct chan_demo *d);
/*
 * The next message of the simulated traffic, dated now, and how long to
 * wait before it (milliseconds): customers write every few seconds, the
 * bot answers a moment later, and now and then hands the conversation to
 * a human. The caller frees the message (msg_free).
 */
struct msg *chan_demo_next(struct chan_demo *d, int64_t now, int64_t *wait_ms);

#endif
