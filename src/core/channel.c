/*
 * channel.c: what ombre knows of each channel type, whoever carries it:
 * the badge shown in lists, the Message-Id prefix and the limits the
 * composer shows (reference/channel-apis.md).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <ctype.h>
#include <string.h>

static const struct channel_info channel_infos[] = {
	{ "telegram",  "TG", "tg",   4096, 0 },
	{ "whatsapp",  "WA", "wa",   4096, 24 },
	{ "messenger", "FB", "fb",   2000, 24 },
	{ "line",      "LN", "line", 5000, 0 },
	{ "sms",       "SM", "sms",  1600, 0 },
	{ "matrix",    "MX", "mx",   0,    0 },
	{ "email",     "EM", "mail", 0,    0 },
	{ "signal",    "SG", "sig",  0,    0 },
	{ "demo",      "DM", "demo", 0,    0 },
};

static const struct channel_info *const channel_info_list[] = {
	&channel_infos[0], &channel_infos[1], &channel_infos[2],
	&channel_infos[3], &channel_infos[4], &channel_infos[5],
	&channel_infos[6], &channel_infos[7], &channel_infos[8], NULL
};

const struct channel_info *
channel_info_find(const char *name)
{
	size_t	i;

	for (i = 0; i < nitems(channel_infos); i++) {
		if (strcmp(channel_infos[i].name, name) == 0)
			return &channel_infos[i];
	}
	return NULL;
}

/*
 * The badge of a channel: the known two-letter code, else the first two
 * letters or digits of the name in capitals ("??" when it has none).
 */
void
channel_badge(const char *name, char out[3])
{
	const struct channel_info	*info;
	size_t				 n = 0;

	info = channel_info_find(name);
	if (info != NULL) {
		memcpy(out, info->badge, 3);
		return;
	}
	for (; *name != '\0' && n < 2; name++) {
		if (isalnum((unsigned char)*name))
			out[n++] = (char)toupper((unsigned char)*name);
	}
	while (n < 2)
		out[n++] = '?';
	out[2] = '\0';
}

const struct channel_info *const *
channel_info_all(void)
{
	return channel_info_list;
}
