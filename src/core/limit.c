/*
 * limit.c: a reply against its channel's limits, as the composer and the
 * store check it while it is typed and before it is queued: how much of the
 * channel's limit is used, in the unit the channel counts in, and whether
 * the channel's reply window is open (reference/channel-apis.md).
 *
 * Units: Telegram counts UTF-16 code units (its 4096 is "after entities
 * parsing", measured by the Bot API in UTF-16), LINE also UTF-16; WhatsApp
 * and Messenger count characters; an SMS is split into segments of GSM-7
 * septets or, when one character is outside GSM-7, UCS-2 code units; a
 * Matrix event may be 65536 bytes, and the body travels JSON-escaped
 * inside it, so the body's escaped bytes are counted against that less
 * room for the event's envelope.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <string.h>

/* Bytes of a Matrix event kept for everything but the body: type,
 * msgtype, sender, room, ids, the signatures a server adds. */
#define COMPOSE_MATRIX_ENVELOPE	1536
#define COMPOSE_MATRIX_EVENT	65536

/* GSM 03.38: the basic alphabet (one septet) and its extension table
 * (two septets: an escape and the character). */
static const char limit_gsm_basic[] =
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
static const char limit_gsm_extension[] = "\f^{}\\[~]|€";

/* 1 or 2 septets for a GSM-7 character, 0 when it is not one. */
static int
limit_gsm_septets(uint32_t cp)
{
	const char	*p;
	size_t		 len, n;
	uint32_t	 c;

	for (p = limit_gsm_basic, len = sizeof limit_gsm_basic - 1;
	    len > 0; p += n, len -= n) {
		n = utf8_decode(p, len, &c);
		if (c == cp)
			return 1;
	}
	for (p = limit_gsm_extension, len = sizeof limit_gsm_extension - 1;
	    len > 0; p += n, len -= n) {
		n = utf8_decode(p, len, &c);
		if (c == cp)
			return 2;
	}
	return 0;
}

/* The bytes of s as a JSON string's contents (what jansson writes). */
static long
limit_json_bytes(const char *s, size_t len)
{
	long		 bytes = 0;
	size_t		 i;
	unsigned char	 c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\' || c == '\n' || c == '\r' ||
		    c == '\t' || c == '\b' || c == '\f')
			bytes += 2;
		else if (c < 0x20)
			bytes += 6;	/* \u00XX */
		else
			bytes++;
	}
	return bytes;
}

void
limit_measure(const char *channel, const char *text, size_t len,
    struct limit_measure *out)
{
	const struct channel_info	*info;
	size_t				 i, n;
	uint32_t			 cp;
	long				 chars = 0, utf16 = 0, septets = 0;
	int				 gsm = 1, s;

	memset(out, 0, sizeof *out);
	out->unit = "characters";
	for (i = 0; i < len; i += n) {
		n = utf8_decode(text + i, len - i, &cp);
		chars++;
		utf16 += cp > 0xFFFF ? 2 : 1;
		if (gsm) {
			if ((s = limit_gsm_septets(cp)) == 0)
				gsm = 0;
			septets += s;
		}
	}
	info = channel_info_find(channel);
	out->limit = info != NULL ? info->text_limit : 0;
	if (strcmp(channel, "telegram") == 0 || strcmp(channel, "line") == 0)
		out->used = utf16;
	else if (strcmp(channel, "matrix") == 0) {
		out->unit = "bytes";
		out->used = limit_json_bytes(text, len);
		out->limit = COMPOSE_MATRIX_EVENT - COMPOSE_MATRIX_ENVELOPE;
	} else if (strcmp(channel, "sms") == 0) {
		out->used = chars;
		out->sms_unicode = !gsm;
		if (gsm)
			out->segments = septets <= 160 ? 1 :
			    (int)((septets + 152) / 153);
		else
			out->segments = utf16 <= 70 ? 1 :
			    (int)((utf16 + 66) / 67);
		if (len == 0)
			out->segments = 0;
	} else
		out->used = chars;
	out->left = out->limit - out->used;
}

enum limit_window
limit_window(const char *channel, int64_t last_customer, int64_t now,
    int64_t *seconds)
{
	const struct channel_info	*info;
	int64_t				 end;

	*seconds = 0;
	info = channel_info_find(channel);
	if (info == NULL || info->reply_window == 0)
		return LIMIT_WINDOW_NONE;
	if (last_customer <= 0)
		return LIMIT_WINDOW_CLOSED;	/* the customer never wrote */
	end = last_customer + (int64_t)info->reply_window * 3600;
	if (now < end) {
		*seconds = end - now;
		return LIMIT_WINDOW_OPEN;
	}
	*seconds = now - end;
	return LIMIT_WINDOW_CLOSED;
}
