/*
 * web-sign.c: the signatures of webhook requests, the only libcrypto
 * code: HMAC-SHA256 and HMAC-SHA1, Meta's X-Hub-Signature-256, LINE's
 * X-Line-Signature and Twilio's X-Twilio-Signature (Base64) checks, compared in constant time.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "web/web.h"

#include <stdlib.h>
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
		/* a broken invariant, for the programmer: not translated */
		fatalx("HMAC-SHA256 failed");
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
		hi = util_hex_value(header[2 * i]);
		lo = util_hex_value(header[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		got[i] = (unsigned char)(hi << 4 | lo);
	}
	web_sign_hmac(secret, strlen(secret), body, len, want);
	rc = CRYPTO_memcmp(want, got, sizeof want) == 0;
	OPENSSL_cleanse(want, sizeof want);
	return rc;
}

/* Order of the parameters by key, then value (Twilio's sort). */
struct web_sign_pair {
	const char	*key;
	const char	*value;
};

static int
web_sign_pair_cmp(const void *a, const void *b)
{
	const struct web_sign_pair	*pa = a, *pb = b;
	int				 c;

	if ((c = strcmp(pa->key, pb->key)) != 0)
		return c;
	return strcmp(pa->value, pb->value);
}

int
web_sign_check_twilio(const char *token, const char *url,
    char *const *keys, char *const *values, size_t n, const char *header)
{
	struct web_sign_pair	*pairs;
	unsigned char		 want[EVP_MAX_MD_SIZE];
	unsigned int		 want_len = 0;
	char			*data, *b64;
	size_t			 len, i, off;
	int			 rc;

	if (token == NULL || url == NULL || header == NULL)
		return 0;
	pairs = xcalloc(n + 1, sizeof *pairs);
	len = strlen(url);
	for (i = 0; i < n; i++) {
		pairs[i].key = keys[i];
		pairs[i].value = values[i];
		len += strlen(keys[i]) + strlen(values[i]);
	}
	qsort(pairs, n, sizeof *pairs, web_sign_pair_cmp);
	data = xmalloc(len + 1);
	off = strlen(url);
	memcpy(data, url, off);
	for (i = 0; i < n; i++) {
		memcpy(data + off, pairs[i].key, strlen(pairs[i].key));
		off += strlen(pairs[i].key);
		memcpy(data + off, pairs[i].value, strlen(pairs[i].value));
		off += strlen(pairs[i].value);
	}
	free(pairs);
	if (HMAC(EVP_sha1(), token, (int)strlen(token),
	    (const unsigned char *)data, off, want, &want_len) == NULL)
		/* a broken invariant, for the programmer: not translated */
		fatalx("HMAC-SHA1 failed");
	free(data);
	b64 = web_sign_base64(want, want_len);
	len = strlen(b64);
	rc = strlen(header) == len && CRYPTO_memcmp(b64, header, len) == 0;
	OPENSSL_cleanse(want, sizeof want);
	free(b64);
	return rc;
}

char *
web_sign_base64(const void *data, size_t len)
{
	char	*out;
	int	 n;

	out = xmalloc(4 * ((len + 2) / 3) + 1);
	n = EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	if (n < 0)
		/* a broken invariant, for the programmer: not translated */
		fatalx("Base64 failed");
	out[n] = '\0';
	return out;
}

/*
 * Our digest's Base64 against the header's, in constant time: the
 * length is no secret, the bytes are.
 */
int
web_sign_check_base64(const char *secret, const void *body, size_t len,
    const char *header)
{
	unsigned char	 want[WEB_SHA256_LEN];
	char		*b64;
	size_t		 n;
	int		 rc;

	if (secret == NULL || header == NULL)
		return 0;
	web_sign_hmac(secret, strlen(secret), body, len, want);
	b64 = web_sign_base64(want, sizeof want);
	n = strlen(b64);
	rc = strlen(header) == n && CRYPTO_memcmp(b64, header, n) == 0;
	OPENSSL_cleanse(want, sizeof want);
	OPENSSL_cleanse(b64, n);
	free(b64);
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
