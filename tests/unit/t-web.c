/*
 * t-web.c: the link test of src/web (with core and base only, no store,
 * chan or net): HMAC-SHA256 on RFC 4231's vectors, Meta's
 * X-Hub-Signature-256 check, token comparison, and the routing of
 * web_handle on a data dir of its own (verification, signatures, spool,
 * quarantine, 404, 405, 413), and what it counts into DATA/webhook/status.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "web/web.h"

#include <dirent.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

/* The smallest body of Messenger's shape. */
#define PAGE_BODY	"{\"object\":\"page\",\"entry\":[]}"

static void
t_hex(const unsigned char *d, size_t n, char *out)
{
	size_t	i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

static void
t_hmac(const void *key, size_t key_len, const void *data, size_t len,
    const char *want, const char *name)
{
	unsigned char	mac[WEB_SHA256_LEN];
	char		hex[2 * WEB_SHA256_LEN + 1];

	web_sign_hmac(key, key_len, data, len, mac);
	t_hex(mac, sizeof mac, hex);
	is_str(hex, want, name);
}

/* The files in dir/webhook/sub. */
static int
t_count(const char *dir, const char *sub)
{
	char		*path;
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	path = xasprintf("%s/webhook/%s", dir, sub);
	if ((d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL)
			n += e->d_name[0] != '.';
		closedir(d);
	}
	free(path);
	return n;
}

/* Whether text matches the extended regular expression re. */
static void
like(const char *text, const char *re, const char *name)
{
	regex_t	r;
	int	m;

	if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB) != 0) {
		ok(0, "%s (bad regex)", name);
		return;
	}
	m = regexec(&r, text, 0, NULL, 0) == 0;
	regfree(&r);
	if (!ok(m, "%s", name))
		diag("got: %s", text);
}

/* A whole file, or "". */
static char *
t_read(const char *path)
{
	struct buf	 b;
	char		 chunk[4096];
	size_t		 n;
	FILE		*f;

	buf_init(&b);
	buf_add_str(&b, "");
	if ((f = fopen(path, "r")) != NULL) {
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_add(&b, chunk, n);
		fclose(f);
	}
	return buf_steal(&b);
}

/* Declare a channel: name, type, then KEY, VALUE... and NULL. */
static int
t_define(const char *name, const char *type, ...)
{
	char		*keys[8], *values[8], *cause = NULL;
	const char	*k;
	size_t		 n = 0, i;
	int		 rc;
	va_list		 ap;

	va_start(ap, type);
	while (n < 8 && (k = va_arg(ap, const char *)) != NULL) {
		keys[n] = xstrdup(k);
		values[n++] = xstrdup(va_arg(ap, const char *));
	}
	va_end(ap);
	rc = channel_config_define(name, type, keys, values, n, &cause);
	for (i = 0; i < n; i++) {
		free(keys[i]);
		free(values[i]);
	}
	free(cause);
	return rc;
}

static int
t_handle(struct web *w, const char *method, const char *path,
    const char *query, const char *sig, const char *body)
{
	struct web_request	req;
	struct web_response	resp;

	memset(&req, 0, sizeof req);
	req.method = method;
	req.path = path;
	req.signature = sig;
	req.body = body != NULL ? body : "";
	req.len = strlen(req.body);
	req.too_big = req.len > web_max_body(w);
	web_request_parse_query(&req, query);
	web_handle(w, &req, &resp);
	web_request_free_args(&req);
	if (resp.status == 200 && strcmp(method, "GET") == 0)
		is_str(resp.body, "1158201444", "the challenge is answered");
	free(resp.body);
	return resp.status;
}

int
main(void)
{
	unsigned char	 k1[20], k3[20], d3[50], k6[131];
	const char	*meta = "{\"object\":\"whatsapp_business_account\","
	    "\"entry\":[]}";
	const char	*meta_sig = "sha256=db780e74b7152a02fc0b09479909f9711f"
	    "095199be060883718889797fa8638d";
	char		 dir[] = "/tmp/t-web.XXXXXX", *cause, *rm, *path, *text;
	struct web	*w;
	struct web_counts counts;

	/* RFC 4231 test cases 1, 2, 3 and 6. */
	memset(k1, 0x0b, sizeof k1);
	t_hmac(k1, sizeof k1, "Hi There", 8, "b0344c61d8db38535ca8afceaf0bf12b"
	    "881dc200c9833da726e9376c2e32cff7", "RFC 4231 case 1");
	t_hmac("Jefe", 4, "what do ya want for nothing?", 28,
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	    "RFC 4231 case 2");
	memset(k3, 0xaa, sizeof k3);
	memset(d3, 0xdd, sizeof d3);
	t_hmac(k3, sizeof k3, d3, sizeof d3, "773ea91e36800e46854db8ebd09181a7"
	    "2959098b3ef8c122d9635514ced565fe", "RFC 4231 case 3");
	memset(k6, 0xaa, sizeof k6);
	t_hmac(k6, sizeof k6, "Test Using Larger Than Block-Size Key - Hash "
	    "Key First", 54, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c514"
	    "0546040f0ee37f54", "RFC 4231 case 6 (a key longer than a block)");

	/* Meta's header. */
	ok(web_sign_check("s3cr3t", meta, strlen(meta), meta_sig),
	    "a Meta-style signature matches");
	ok(!web_sign_check("s3cr3u", meta, strlen(meta), meta_sig),
	    "not with another secret");
	ok(!web_sign_check("s3cr3t", meta, strlen(meta) - 1, meta_sig),
	    "not on another body");
	ok(!web_sign_check("s3cr3t", meta, strlen(meta), meta_sig + 7),
	    "not without sha256=");
	ok(!web_sign_check("s3cr3t", meta, strlen(meta), "sha256=db78"),
	    "not a short digest");
	ok(!web_sign_check("s3cr3t", meta, strlen(meta), NULL),
	    "not a missing header");
	ok(web_sign_check("s3cr3t", meta, strlen(meta),
	    "sha256=DB780E74B7152A02FC0B09479909F9711F095199BE060883718889797FA8638D"),
	    "hex digits in capitals too");
	/* LINE's X-Line-Signature and Twilio's X-Twilio-Signature (the
	 * vectors from Python's hmac and base64). */
	{
		static const char	 line[] =
		    "{\"destination\":\"U1\",\"events\":[]}";
		static char		 tk0[] = "To", tk1[] = "From",
					 tk2[] = "Body", tk3[] = "MessageSid";
		static char		 tv0[] = "+1", tv1[] = "+33",
					 tv2[] = "a b", tv3[] = "SM1";
		char *const		 keys[] = { tk0, tk1, tk2, tk3 };
		char *const		 values[] = { tv0, tv1, tv2, tv3 };
		const char		*url =
		    "https://hooks.example.com/webhook/sms";

		ok(web_sign_check_base64("ch4nn3l", line, strlen(line),
		    "b4yxTA+289LL5ClgEIhRb/OSsXUxwXjIKMvZQxEOC9w="),
		    "a LINE signature matches");
		ok(!web_sign_check_base64("ch4nn3m", line, strlen(line),
		    "b4yxTA+289LL5ClgEIhRb/OSsXUxwXjIKMvZQxEOC9w=") &&
		    !web_sign_check_base64("ch4nn3l", line, strlen(line),
		    "b4yxTA+289LL5ClgEIhRb/OSsXUxwXjIKMvZQxEOC9w") &&
		    !web_sign_check_base64("ch4nn3l", line, strlen(line),
		    NULL), "not with another secret, cut, or missing");
		ok(web_sign_check_twilio("12345", url, keys, values, 4,
		    "dtTTc7zX02xESI181ZXe7qtu0vE="),
		    "a Twilio signature matches (parameters sorted)");
		ok(!web_sign_check_twilio("12345",
		    "http://hooks.example.com/webhook/sms", keys, values, 4,
		    "dtTTc7zX02xESI181ZXe7qtu0vE="),
		    "not on another URL");
		ok(!web_sign_check_twilio("12345", url, keys, values, 3,
		    "dtTTc7zX02xESI181ZXe7qtu0vE="),
		    "not without a parameter");
	}
	ok(web_sign_equal("vt", "vt") && !web_sign_equal("vt", "vu") &&
	    !web_sign_equal("vt", "vtt") && !web_sign_equal(NULL, "vt"),
	    "tokens compared");

	/* Routing. */
	if (mkdtemp(dir) == NULL)
		return 1;
	channel_config_reset();
	ok(t_define("shop", "whatsapp", "phone-number-id", "1", "app-secret",
	    "s3cr3t", "verify-token", "vt", (char *)NULL) == 0 &&
	    t_define("page", "messenger", "page-id", "2",
	    "verify-token-command", "echo vt2", (char *)NULL) == 0 &&
	    t_define("tg", "telegram", "token", "z", (char *)NULL) == 0,
	    "channels declared");
	w = web_new(dir, 1024, &cause);
	ok(w != NULL, "the receiver starts");
	is_int(t_handle(w, "GET", "/webhook/shop", "hub.mode=subscribe&"
	    "hub.verify_token=vt&hub.challenge=1158201444", NULL, NULL), 200,
	    "verification with the token");
	is_int(t_handle(w, "GET", "/webhook/page", "hub.mode=subscribe&"
	    "hub.verify_token=vt2&hub.challenge=1158201444", NULL, NULL), 200,
	    "verification with a verify-token-command's token");
	is_int(t_handle(w, "GET", "/webhook/shop", "hub.mode=subscribe&"
	    "hub.verify_token=vx&hub.challenge=1158201444", NULL, NULL), 403,
	    "a bad token: 403");
	is_int(t_handle(w, "GET", "/webhook/shop", "hub.mode=subscribe&"
	    "hub.challenge=1", NULL, NULL), 400, "no token: 400");
	is_int(t_handle(w, "POST", "/webhook/shop", NULL, meta_sig, meta), 200,
	    "a signed POST");
	is_int(t_count(dir, "spool"), 1, "spooled");
	is_int(t_handle(w, "POST", "/webhook/shop", NULL, meta_sig, meta), 200,
	    "again");
	is_int(t_handle(w, "POST", "/webhook/shop", NULL, "sha256=00", meta),
	    401, "a bad signature: 401");
	is_int(t_handle(w, "POST", "/webhook/shop", NULL, NULL, meta), 401,
	    "no signature: 401");
	is_int(t_count(dir, "spool"), 2, "nothing spooled for them");
	is_int(t_handle(w, "POST", "/webhook/page", NULL, NULL, PAGE_BODY),
	    200, "no app-secret: no signature needed");
	is_int(t_handle(w, "POST", "/webhook/page", NULL, NULL, "{}"), 400,
	    "JSON of another shape than Messenger's: 400");
	is_int(t_count(dir, "quarantine"), 2, "kept in quarantine, why beside");
	is_int(t_handle(w, "POST", "/webhook/page", NULL, NULL, "{nope"), 400,
	    "not JSON: 400");
	is_int(t_count(dir, "quarantine"), 4,
	    "kept in quarantine, and why beside it");
	is_int(t_handle(w, "POST", "/webhook/tg", NULL, NULL, "{}"), 404,
	    "a channel that has no webhooks: 404");
	is_int(t_handle(w, "POST", "/webhook/nope", NULL, NULL, "{}"), 404,
	    "an unknown channel: 404");
	is_int(t_handle(w, "POST", "/elsewhere/shop", NULL, NULL, "{}"), 404,
	    "another path: 404");
	is_int(t_handle(w, "PUT", "/webhook/page", NULL, NULL, "{}"), 405,
	    "PUT: 405");
	rm = xmalloc(2048);
	memset(rm, ' ', 2047);
	rm[0] = '[';
	rm[2045] = ']';
	rm[2046] = '\0';
	is_int(t_handle(w, "POST", "/webhook/page", NULL, NULL, rm), 413,
	    "over the cap: 413");
	free(rm);
	is_int(t_count(dir, "spool"), 3, "three spooled in all");
	is_int(t_count(dir, "quarantine"), 4, "the refused bodies and why");

	/* The counts, per channel. */
	ok(web_counts(w, "shop", &counts) != NULL, "shop is counted");
	is_int(counts.received, 2, "shop: 2 payloads taken");
	is_int(counts.bad_signatures, 2, "2 bad signatures");
	is_int(counts.refused, 0, "nothing refused");
	is_str(counts.last_failure, "401 missing X-Hub-Signature-256",
	    "the last failure");
	ok(web_counts(w, "page", &counts) != NULL, "page is counted");
	is_int(counts.received, 1, "page: 1 payload");
	is_int(counts.refused, 3, "3 refused (400, 400 and 413)");
	is_str(counts.last_failure, "413 2046 bytes, over webhook.max-body",
	    "the last failure, with the size");
	ok(web_counts(w, "tg", &counts) == NULL, "tg is not a webhook channel");
	path = xasprintf("%s/webhook/status", dir);
	ok(access(path, F_OK) != 0, "no status file before web_status_start");
	web_status_start(w, "127.0.0.1:1");
	text = t_read(path);
	like(text, "^pid\t[0-9]+\nlisten\t127\\.0\\.0\\.1:1\n"
	    "started\t[0-9]+\nupdated\t[0-9]+\n", "the status file's head");
	like(text, "\nchannel\tshop\t2\t[0-9]+\t2\t[0-9]+\t0\t[0-9]+\t"
	    "401 missing X-Hub-Signature-256\n", "shop's line");
	like(text, "\nchannel\tpage\t1\t[0-9]+\t0\t0\t3\t[0-9]+\t"
	    "413 2046 bytes, over webhook.max-body\n", "page's line");
	free(text);
	/* Within the second after a write: counted, written by the flush. */
	is_int(t_handle(w, "POST", "/webhook/page", NULL, NULL, PAGE_BODY),
	    200, "one more");
	text = t_read(path);
	like(text, "\nchannel\tpage\t1\t", "not written at once");
	free(text);
	web_status_flush(w);
	text = t_read(path);
	like(text, "\nchannel\tpage\t2\t", "written by the flush");
	free(text);
	web_status_stop(w);
	text = t_read(path);
	like(text, "\nstopped\t[0-9]+\n", "stopped at the end");
	free(text);
	free(path);
	web_free(w);

	ok(t_define("bad", "sms", "app-secret-command", "exit 3",
	    (char *)NULL) == 0,
	    "a channel whose secret command fails");
	w = web_new(dir, 1024, &cause);
	ok(w == NULL && cause != NULL && strstr(cause, "app-secret-command") &&
	    strstr(cause, "bad"), "refused at start, the key named");
	free(cause);

	rm = xasprintf("rm -rf '%s'", dir);
	if (system(rm) != 0)
		diag("cannot remove %s", dir);
	free(rm);
	done_testing();
	return exit_status();
}
