/*
 * t-net.c: unit tests of src/net: which URLs may be fetched, and that a
 * URL shown never carries a token.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "net/net.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

static void
allowed(const char *url, int want, const char *name)
{
	char	*cause = NULL;
	int	 rc;

	rc = net_url_allowed(url, &cause);
	ok((rc == 0) == want && (rc == 0 || cause != NULL), "%s", name);
	free(cause);
}

static void
redacted(const char *url, const char *want, const char *name)
{
	char	*got = net_url_redact(url);

	is_str(got, want, name);
	free(got);
}

int
main(void)
{
	allowed("https://api.telegram.org/bot123:ABC/getUpdates", 1,
	    "https anywhere");
	allowed("http://127.0.0.1:8081/bot1:x/getMe", 1, "http to 127.0.0.1");
	allowed("http://127.3.4.5/x", 1, "http to 127/8");
	allowed("http://localhost:9/x", 1, "http to localhost");
	allowed("http://[::1]:8008/_matrix", 1, "http to ::1");
	allowed("http://api.telegram.org/bot1:x/getMe", 0,
	    "http to another host is refused");
	allowed("http://127.0.0.1.evil.example/x", 0,
	    "a host that only starts like 127.0.0.1 is refused");
	allowed("http://localhost.example/x", 0,
	    "a host that only starts like localhost is refused");
	allowed("ftp://127.0.0.1/x", 0, "other schemes are refused");
	allowed("https://user:pw@example.org/", 0, "user:password@ is refused");
	allowed("https://example.org/a b", 0, "a space is refused");
	allowed("https://example.org/\r\nX: y", 0, "CR LF is refused");
	allowed("https:///path", 0, "no host is refused");

	redacted("https://api.telegram.org/bot123456:AAE-secret/getUpdates?offset=5",
	    "https://api.telegram.org/bot<redacted>/getUpdates?offset=5",
	    "a Telegram token in the path is redacted");
	redacted("https://api.telegram.org/file/bot123:xyz/photos/a.jpg",
	    "https://api.telegram.org/file/bot<redacted>/photos/a.jpg",
	    "and in a file URL");
	redacted("https://m.example.org/_matrix/client/v3/sync?since=s1&access_token=syt_abc&timeout=30000",
	    "https://m.example.org/_matrix/client/v3/sync?since=s1&access_token=<redacted>&timeout=30000",
	    "a secret query value is redacted, the others kept");
	redacted("https://example.org/robots.txt", "https://example.org/robots.txt",
	    "a URL without secrets is unchanged");
	redacted("https://example.org/bot", "https://example.org/bot",
	    "a path segment that is only 'bot' is kept");

	/* Backoff: full jitter under a doubling ceiling and the cap. */
	{
		uint64_t	rng = 42;
		int64_t		d, max_seen[8] = { 0 };
		int		attempt, i, within = 1, spread = 1;

		for (attempt = 0; attempt < 8; attempt++) {
			for (i = 0; i < 2000; i++) {
				d = net_backoff_ms(attempt, 100, 1000, &rng);
				if (d < 0 || d > (attempt < 4 ? 100 << attempt : 1000))
					within = 0;
				if (d > max_seen[attempt])
					max_seen[attempt] = d;
			}
			/* Some draws come close to the ceiling. */
			if (max_seen[attempt] < (attempt < 4 ? 100 << attempt :
			    1000) * 9 / 10)
				spread = 0;
		}
		ok(within, "backoff: never above min(cap, base * 2^n), never "
		    "below 0");
		ok(spread, "backoff: the draws spread up to the ceiling (full "
		    "jitter)");
	}
	is_int(net_parse_retry_after("7", 1000), 7000,
	    "Retry-After in seconds");
	is_int(net_parse_retry_after(" 0 ", 1000), 0, "Retry-After 0");
	is_int(net_parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT",
	    1445412480), 10000, "Retry-After as an HTTP-date");
	is_int(net_parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT",
	    1445412490), 0, "an HTTP-date in the past: no wait");
	is_int(net_parse_retry_after("soon", 0), -1, "anything else: none");
	is_int(net_parse_retry_after("99999999", 0), 86400000,
	    "a huge value is capped at a day");
	{
		char	*e = net_escape("!room:example.org/ä");

		is_str(e, "%21room%3Aexample.org%2F%C3%A4",
		    "a room id escaped for a URL path");
		free(e);
	}
	done_testing();
	return exit_status();
}
