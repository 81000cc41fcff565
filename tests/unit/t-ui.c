/*
 * t-ui.c: the link test of src/ui. It is linked with libui and the layers
 * under it only (sync's client side, chan, store, demo, core, base; no
 * libcurl), so a call from the console to a layer above it fails here at
 * link time. It also checks what the console adds to the command
 * language without a terminal: its rows are known to list-commands and
 * to bindings, and refused where no console runs.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

static struct buf	t_out, t_err;

static void
t_print(struct cmd_ctx *ctx, const char *text)
{
	(void)ctx;
	buf_add_str(&t_out, text);
	buf_add_char(&t_out, '\n');
}

static void
t_error(struct cmd_ctx *ctx, const char *text)
{
	(void)ctx;
	buf_add_str(&t_err, text);
	buf_add_char(&t_err, '\n');
}

int
main(void)
{
	struct cmd_ctx	ctx;

	buf_init(&t_out);
	buf_init(&t_err);
	memset(&ctx, 0, sizeof ctx);
	ctx.print = t_print;
	ctx.error = t_error;

	ok(cmd_run_string(&ctx, "list-commands") == CMD_NORMAL &&
	    strstr(t_out.data != NULL ? t_out.data : "", "select-down") == NULL,
	    "before the console registers its commands, core has none of them");

	ui_commands_register();
	buf_free(&t_out);
	buf_init(&t_out);
	ok(cmd_run_string(&ctx, "list-commands") == CMD_NORMAL,
	    "list-commands runs");
	ok(t_out.data != NULL && strstr(t_out.data, "select-down") != NULL &&
	    strstr(t_out.data, "take-over") != NULL &&
	    strstr(t_out.data, "\nset ") != NULL,
	    "then list-commands has the console's rows beside core's");
	ok(cmd_run_string(&ctx, "bind -T list x select-down") == CMD_NORMAL,
	    "a key can be bound to a console command");
	ok(cmd_run_string(&ctx, "select-down") == CMD_ERROR &&
	    t_err.data != NULL && strstr(t_err.data, "only in the console") != NULL,
	    "a console command run where no console runs is refused, saying so");
	buf_free(&t_out);
	buf_free(&t_err);
	done_testing();
	return exit_status();
}
