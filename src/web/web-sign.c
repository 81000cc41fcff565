/*
 * web-sign.c: the signatures of webhook requests, the only libcrypto
 * code: HMAC-SHA256 and Meta's X-Hub-Signature-256 check, compared in
 * constant time.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "web/web.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

void
web_sign_hmac(const void *key, size_t key_len, const void *data,
    size_t len, unsigned char out[WEB_SHA256_LEN])
{
	unsigned int	out_len = WEB_SHA256_LEN;
	static const unsigned char empty;

	/* HMAC() takes a NULL data pointer for an empty body badly. */
	if (HMAC(EVP_sha256(), key, (int)key_len,
	    len == 0 ? &empty : data, len, out, &out_len) == NULL ||
	    out_len != WEB_SHA256_LEN)
		fatalx("HMAC-SHA256 failed");
}

static int
web_sign_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode the header's digest and compare it with our HMAC: the length and
 * form are checked first (they are no secret), the bytes in constant
 * time.
 */
int
web_sign_check(const char *secret, const void *body, size_t len,
    const char *header)
{
	unsigned char	want[WEB_SHA256_LEN], got[WEB_SHA256_LEN];
	int		hi, lo, rc;
	size_t		i;

	if (secret == NULL || header == NULL ||
	    strncmp(header, "sha256=", 7) != 0 ||
	    strlen(header + 7) != 2 * WEB_SHA256_LEN)
		return 0;
	header += 7;
	for (i = 0; i < WEB_SHA256_LEN; i++) {
		hi = web_sign_hex(header[2 * i]);
		lo = web_sign_hex(header[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		got[i] = (unsigned char)(hi << 4 | lo);
	}
	web_sign_hmac(secret, strlen(secret), body, len, want);
	rc = CRYPTO_memcmp(want, got, sizeof want) == 0;
	OPENSSL_cleanse(want, sizeof want);
	return rc;
}

int
web_sign_equal(const char *a, const char *b)
{
	unsigned char	ha[WEB_SHA256_LEN], hb[WEB_SHA256_LEN];
	static const char key[] = "ombre-token-compare";

	if (a == NULL || b == NULL)
		return 0;
	/* Digests of both: equal length, so no length leaks either. */
	web_sign_hmac(key, sizeof key - 1, a, strlen(a), ha);
	web_sign_hmac(key, sizeof key - 1, b, strlen(b), hb);
	return CRYPTO_memcmp(ha, hb, sizeof ha) == 0;
}
