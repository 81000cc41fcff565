/*
 * fuzz-mx-event.c: libFuzzer target for the Matrix adapter's reading of
 * rooms and events (mx_room_state, mx_event_msg, chan.h).
 *
 * The input is loaded as the adapter loads an answer (fuzz-chan.c). Its
 * value may be a /sync answer, whose joined rooms are taken as the adapter
 * takes them (m.direct, then state events, then the timeline's state
 * events, then its events), a /messages answer ({"chunk":[...]}), an array
 * of events or one event, in one room. Every message must keep the
 * promise of chan.h, with the room and user it was read for.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"

#include <jansson.h>

#include <stdint.h>
#include <string.h>

#include "fuzz-chan.h"

#define FUZZ_MX_USER	"@support:localhost"
#define FUZZ_MX_ROOM	"!fuzz:localhost"

static json_t	*fuzz_mx_rooms;
static size_t	 fuzz_mx_len;

/* What is known of a room, as the adapter keeps it. */
static json_t *
fuzz_mx_room(const char *room_id)
{
	json_t	*room = json_object_get(fuzz_mx_rooms, room_id);

	if (room == NULL) {
		room = json_pack("{s:{}}", "members");
		json_object_set_new(fuzz_mx_rooms, room_id, room);
	}
	return room;
}

static void
fuzz_mx_event(const char *room_id, json_t *ev)
{
	struct msg	*m;
	char		*why;

	if (json_is_string(json_object_get(ev, "state_key")))
		mx_room_state(fuzz_mx_room(room_id), ev);
	m = mx_event_msg(FUZZ_MX_USER, room_id, fuzz_mx_room(room_id), ev,
	    &why);
	if (m != NULL && (strcmp(m->conv_id, room_id) != 0 ||
	    strcmp(m->account, FUZZ_MX_USER) != 0))
		fuzz_chan_fail("mx_event_msg", "a message of another room");
	fuzz_chan_check("mx_event_msg", m, why, 0, fuzz_mx_len);
}

/* A /sync answer's m.direct marks rooms direct. */
static void
fuzz_mx_direct(json_t *root)
{
	json_t		*ev, *dm, *rooms;
	const char	*user;
	size_t		 i, j;

	json_array_foreach(json_object_get(json_object_get(root,
	    "account_data"), "events"), i, ev) {
		if (!json_is_string(json_object_get(ev, "type")) ||
		    strcmp(json_string_value(json_object_get(ev, "type")),
		    "m.direct") != 0)
			continue;
		json_object_foreach(json_object_get(ev, "content"), user, dm) {
			json_array_foreach(dm, j, rooms) {
				if (json_is_string(rooms))
					json_object_set_new(fuzz_mx_room(
					    json_string_value(rooms)), "direct",
					    json_true());
			}
		}
	}
}

static void
fuzz_mx_sync(json_t *root)
{
	json_t		*join, *room, *tl, *ev;
	const char	*room_id;
	size_t		 i;

	fuzz_mx_direct(root);
	join = json_object_get(json_object_get(root, "rooms"), "join");
	json_object_foreach(join, room_id, room) {
		json_array_foreach(json_object_get(json_object_get(room,
		    "state"), "events"), i, ev)
			mx_room_state(fuzz_mx_room(room_id), ev);
		tl = json_object_get(room, "timeline");
		json_array_foreach(json_object_get(tl, "events"), i, ev) {
			if (json_is_string(json_object_get(ev, "state_key")))
				mx_room_state(fuzz_mx_room(room_id), ev);
		}
		json_array_foreach(json_object_get(tl, "events"), i, ev)
			fuzz_mx_event(room_id, ev);
	}
}

static void
fuzz_mx_value(json_t *root, size_t len)
{
	json_t	*events, *ev;
	size_t	 i;

	fuzz_mx_len = len;
	fuzz_mx_rooms = json_object();
	if (json_is_object(json_object_get(root, "rooms")))
		fuzz_mx_sync(root);
	else if (json_is_array(events = json_object_get(root, "chunk")) ||
	    json_is_array(events = root)) {
		json_array_foreach(events, i, ev)
			fuzz_mx_event(FUZZ_MX_ROOM, ev);
	} else
		fuzz_mx_event(FUZZ_MX_ROOM, root);
	json_decref(fuzz_mx_rooms);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_chan_each_value(data, size, fuzz_mx_value);
	return 0;
}
