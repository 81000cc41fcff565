/*
 * net.h: the network layer. Only src/net includes curl.h: requests run on
 * curl multi driven by the syncer's poll loop (the live-channels work).
 * This part is the policy every request goes through first: which URLs
 * may be fetched at all, and how a URL is written where people read it.
 */
#ifndef OMBRE_NET_H
#define OMBRE_NET_H

#include "base/base.h"

/* net-url.c */
/*
 * May this URL be requested? https:// anywhere; http:// only to a loopback
 * address (127.0.0.0/8, ::1, localhost), which is how tests reach their
 * local servers; nothing else, no user:password@ part, no control
 * character or space. Return 0, or -1 with *cause set.
 */
int net_url_allowed(const char *url, char **cause);
/*
 * The URL as it may be logged or shown: the token a Telegram URL carries
 * in its path (/bot<token>/, /file/bot<token>/) and the values of query
 * parameters that look secret (access_token, token, key, secret,
 * password, sig) replaced by "<redacted>". Allocated.
 */
char *net_url_redact(const char *url);
/* Is this host a loopback address or name? */
int net_host_is_loopback(const char *host, size_t len);

#endif
