/*
 * net-url.c: which URLs may be fetched, and how they are shown.
 *
 * TLS verification is never turned off, so the only way to a server
 * without it is plain http, which is allowed to loopback only: a test
 * server on 127.0.0.1, never a typo'd production URL sending a token in
 * clear. Tokens never reach a log or an error: the Telegram Bot API puts
 * the token in the URL path, so every URL shown goes through
 * net_url_redact().
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "net/net.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int
net_host_is_loopback(const char *host, size_t len)
{
	size_t	i, dots = 0;

	if (len == 9 && strncasecmp(host, "localhost", 9) == 0)
		return 1;
	if (len == 5 && strncmp(host, "[::1]", 5) == 0)
		return 1;
	/* 127.x.y.z: four dotted decimals starting with 127. */
	if (len < 9 || strncmp(host, "127.", 4) != 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (host[i] == '.')
			dots++;
		else if (!isdigit((unsigned char)host[i]))
			return 0;
	}
	return dots == 3;
}

int
net_url_allowed(const char *url, char **cause)
{
	const char	*host, *end, *p;
	size_t		 len;
	int		 https;

	*cause = NULL;
	for (p = url; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
			/* with a reply's error, stored: not translated */
			*cause = xstrdup("a URL with a space or a control "
			    "character");
			return -1;
		}
	}
	if (strncasecmp(url, "https://", 8) == 0) {
		https = 1;
		host = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		https = 0;
		host = url + 7;
	} else {
		/* with a reply's error, stored: not translated */
		*cause = xstrdup("only https:// URLs (and http:// to this "
		    "machine)");
		return -1;
	}
	end = host + strcspn(host, "/?#");
	if (memchr(host, '@', (size_t)(end - host)) != NULL) {
		/* with a reply's error, stored: not translated */
		*cause = xstrdup("no user or password in a URL: use the "
		    "channel's token-command");
		return -1;
	}
	/* The host without its port ("[::1]:8080", "127.0.0.1:8080"). */
	if (*host == '[') {
		p = memchr(host, ']', (size_t)(end - host));
		len = p != NULL ? (size_t)(p - host) + 1 : 0;
	} else {
		p = memchr(host, ':', (size_t)(end - host));
		len = (size_t)((p != NULL ? p : end) - host);
	}
	if (len == 0) {
		/* with a reply's error, stored: not translated */
		*cause = xstrdup("a URL without a host");
		return -1;
	}
	if (!https && !net_host_is_loopback(host, len)) {
		/* with a reply's error, stored: not translated */
		*cause = xstrdup("plain http:// is allowed to this machine "
		    "only (127.0.0.1, ::1, localhost): use https://");
		return -1;
	}
	return 0;
}

/* Query parameters whose values are secrets. */
static int
net_param_secret(const char *name, size_t len)
{
	static const char *const secrets[] = {
		"access_token", "token", "key", "api_key", "secret",
		"password", "sig", "signature"
	};
	size_t	i;

	for (i = 0; i < nitems(secrets); i++) {
		if (strlen(secrets[i]) == len &&
		    strncasecmp(secrets[i], name, len) == 0)
			return 1;
	}
	return 0;
}

char *
net_url_redact(const char *url)
{
	struct buf	 b;
	const char	*p = url, *seg, *eq, *amp;
	size_t		 n;

	buf_init(&b);
	/* The path: a segment "bot<token>" loses its token. */
	while (*p != '\0' && *p != '?' && *p != '#') {
		if (*p == '/' && strncmp(p + 1, "bot", 3) == 0 &&
		    p[4] != '\0' && p[4] != '/') {
			seg = p + 4;
			n = strcspn(seg, "/?#");
			buf_add_str(&b, "/bot<redacted>");
			p = seg + n;
			continue;
		}
		buf_add_char(&b, *p++);
	}
	/* The query: secret values go. */
	if (*p == '?') {
		buf_add_char(&b, *p++);
		while (*p != '\0' && *p != '#') {
			amp = p + strcspn(p, "&#");
			eq = memchr(p, '=', (size_t)(amp - p));
			if (eq != NULL && net_param_secret(p, (size_t)(eq - p))) {
				buf_add(&b, p, (size_t)(eq - p) + 1);
				buf_add_str(&b, "<redacted>");
			} else
				buf_add(&b, p, (size_t)(amp - p));
			p = amp;
			if (*p == '&')
				buf_add_char(&b, *p++);
		}
	}
	buf_add_str(&b, p);
	return buf_steal(&b);
}
