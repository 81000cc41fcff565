/*
 * fuzz-tg-message.c: libFuzzer target for the Telegram adapter's reading
 * of a Message (tg_message, chan.h).
 *
 * The input is loaded as the adapter loads an answer (fuzz-chan.c). Its
 * value may be a getUpdates answer ({"ok":true,"result":[update...]}), an
 * array of updates, an update, or a Message: each Message goes through
 * tg_message as new or edited (as its update says; both when it stands
 * alone), with one migrations map for the whole input, as the adapter
 * keeps one. Every message must keep the promise of chan.h, a refusal
 * must say why, and the migrations map must stay an object of strings.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"

#include <jansson.h>

#include <stdint.h>

#include "fuzz-chan.h"

#define FUZZ_TG_ACCOUNT	"7012345678"

/* Where an update holds its Message: new ones first, then edits. */
static const char *const fuzz_tg_keys[] = {
	"message", "channel_post", "business_message",
	"edited_message", "edited_channel_post", "edited_business_message"
};
#define FUZZ_TG_EDITED	3	/* the keys from this index on are edits */

static json_t	*fuzz_tg_migrations;
static size_t	 fuzz_tg_len;

static void
fuzz_tg_one(json_t *tm, int edited)
{
	struct msg	*m;
	const char	*from;
	json_t		*to;
	char		*why;
	int		 learnt;

	m = tg_message(FUZZ_TG_ACCOUNT, fuzz_tg_migrations, tm, edited,
	    &learnt, &why);
	fuzz_chan_check("tg_message", m, why, 1, fuzz_tg_len);
	if (learnt != 0 && learnt != 1)
		fuzz_chan_fail("tg_message", "learnt is neither 0 nor 1");
	json_object_foreach(fuzz_tg_migrations, from, to) {
		if (!json_is_string(to))
			fuzz_chan_fail("tg_message", "a migration to no id");
	}
}

/* An update: its Message, as the adapter finds it; or a Message alone. */
static void
fuzz_tg_update(json_t *u)
{
	json_t	*tm;
	size_t	 i;

	for (i = 0; i < nitems(fuzz_tg_keys); i++) {
		if ((tm = json_object_get(u, fuzz_tg_keys[i])) != NULL) {
			fuzz_tg_one(tm, i >= FUZZ_TG_EDITED);
			return;
		}
	}
	fuzz_tg_one(u, 0);
	fuzz_tg_one(u, 1);
}

static void
fuzz_tg_value(json_t *root, size_t len)
{
	json_t	*updates, *u;
	size_t	 i;

	fuzz_tg_len = len;
	fuzz_tg_migrations = json_object();
	if (json_is_array(updates = json_object_get(root, "result")) ||
	    json_is_array(updates = root)) {
		json_array_foreach(updates, i, u)
			fuzz_tg_update(u);
	} else
		fuzz_tg_update(root);
	json_decref(fuzz_tg_migrations);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_chan_each_value(data, size, fuzz_tg_value);
	return 0;
}
