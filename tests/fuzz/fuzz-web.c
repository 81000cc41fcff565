/*
 * fuzz-web.c: libFuzzer target for what the webhook receiver reads from
 * a request before it writes anything: the query string (decoded into
 * arguments), the X-Hub-Signature-256 header, and web_handle's answer to
 * a GET (Meta's verification; a GET never writes to the disk).
 *
 * The input is QUERY '\n' SIGNATURE '\n' BODY. Promises checked: every
 * argument is a C string no longer than the query; a query without '%'
 * and '+' comes back as it was; the signature check is 1 only for the
 * body's real HMAC; a GET gets 200, 400, 403 or 404, and a 200 is the
 * challenge, printable ASCII. Any breach aborts.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "web/web.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct web	*fuzz_web;

static void
fuzz_fail(const char *why)
{
	fprintf(stderr, "web: %s\n", why);
	abort();
}

/* One receiver, with a channel that has both secrets, for every input. */
static struct web *
fuzz_web_get(void)
{
	char	*keys[2], *values[2], *cause = NULL;

	if (fuzz_web != NULL)
		return fuzz_web;
	keys[0] = xstrdup("app-secret");
	values[0] = xstrdup("s3cr3t");
	keys[1] = xstrdup("verify-token");
	values[1] = xstrdup("vt");
	if (channel_config_define("shop", "whatsapp", keys, values, 2,
	    &cause) != 0)
		fuzz_fail("cannot declare the channel");
	free(keys[0]);
	free(keys[1]);
	free(values[0]);
	free(values[1]);
	/* GETs only: the data dir is never written. */
	if ((fuzz_web = web_new("/nonexistent", 1024, &cause)) == NULL)
		fuzz_fail("cannot start the receiver");
	return fuzz_web;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct web_request	 req;
	struct web_response	 resp;
	struct buf		 rebuilt, expected;
	char			*query, *sig, *body, *nl, *copy;
	const char		*challenge = NULL;
	unsigned char		 mac[WEB_SHA256_LEN];
	char			 hex[8 + 2 * WEB_SHA256_LEN];
	size_t			 i, body_len;
	int			 plain;

	copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	query = copy;
	sig = body = copy + size;
	if ((nl = memchr(copy, '\n', size)) != NULL) {
		*nl = '\0';
		sig = nl + 1;
		if ((nl = strchr(sig, '\n')) != NULL) {
			*nl = '\0';
			body = nl + 1;
		} else
			body = copy + size;
	}
	body_len = (size_t)(copy + size - body);

	/* The query. */
	memset(&req, 0, sizeof req);
	web_request_parse_query(&req, query);
	plain = strpbrk(query, "%+") == NULL;
	buf_init(&rebuilt);
	for (i = 0; i < req.n_args; i++) {
		if (strlen(req.arg_keys[i]) > strlen(query) ||
		    strlen(req.arg_values[i]) > strlen(query))
			fuzz_fail("an argument longer than the query");
		if (strcmp(req.arg_keys[i], "hub.challenge") == 0 &&
		    challenge == NULL)
			challenge = req.arg_values[i];
		buf_add_printf(&rebuilt, "%s%s", i > 0 ? "&" : "",
		    req.arg_keys[i]);
	}
	if (plain && strpbrk(query, "=;") == NULL) {
		/* Without '=', ';', '%' or '+' the keys are the query's
		 * non-empty '&' fields, as they were. */
		buf_init(&expected);
		for (i = 0; query[i] != '\0'; i++) {
			if (query[i] == '&' && (expected.len == 0 ||
			    expected.data[expected.len - 1] == '&'))
				continue;
			buf_add_char(&expected, query[i]);
		}
		if (expected.len > 0 && expected.data[expected.len - 1] == '&')
			expected.data[--expected.len] = '\0';
		if (strcmp(expected.data, rebuilt.data) != 0)
			fuzz_fail("a plain query changed by decoding");
		buf_free(&expected);
	}
	buf_free(&rebuilt);

	/* The signature: only the real one passes. */
	web_sign_hmac("s3cr3t", 6, body, body_len, mac);
	memcpy(hex, "sha256=", 7);
	for (i = 0; i < WEB_SHA256_LEN; i++)
		snprintf(hex + 7 + 2 * i, 3, "%02x", mac[i]);
	if (!web_sign_check("s3cr3t", body, body_len, hex))
		fuzz_fail("the real signature refused");
	if (web_sign_check("s3cr3t", body, body_len, sig) &&
	    strcasecmp(sig, hex) != 0)
		fuzz_fail("another signature taken");

	/* A verification GET. */
	req.method = "GET";
	req.path = "/webhook/shop";
	req.signature = sig;
	req.body = body;
	req.len = body_len;
	web_handle(fuzz_web_get(), &req, &resp);
	switch (resp.status) {
	case 200:
		if (challenge == NULL || strcmp(resp.body, challenge) != 0)
			fuzz_fail("200 without the challenge");
		for (i = 0; resp.body[i] != '\0'; i++) {
			if (resp.body[i] <= ' ' || resp.body[i] > '~')
				fuzz_fail("a challenge echoed with a control");
		}
		break;
	case 400:
	case 403:
	case 404:
		break;
	default:
		fuzz_fail("a GET answered with another status");
	}
	free(resp.body);
	web_request_free_args(&req);
	free(copy);
	return 0;
}
