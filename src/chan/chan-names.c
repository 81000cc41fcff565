/*
 * chan-names.c: the channel types an adapter syncs, by name only, so that
 * the console can ask whether the config declares one without linking
 * the adapters (and the network under them).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"

#include <string.h>

static const char *const chan_synced_types[] = {
	"telegram", "matrix", "whatsapp", "messenger", "email", "exec",
	"line", "twilio"
};

int
chan_type_synced(const char *type)
{
	size_t	i;

	for (i = 0; i < nitems(chan_synced_types); i++)
		if (strcmp(chan_synced_types[i], type) == 0)
			return 1;
	return 0;
}
