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
	done_testing();
	return exit_status();
}
