/*
 * cmd-channels.c: the commands on channels: channel declares one,
 * show-channels lists them. Their values may be secrets: no error quotes
 * one and show-channels hides them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static enum cmd_retval	cmd_channel_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_show_channels_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_channels_entries[] = {
	{ .name = "channel",
	  .args_min = 2,
	  .args_max = -1,
	  .usage = N_("channel NAME TYPE [KEY=VALUE...]"),
	  .help = N_("declare a channel; the file saying so must be mode 600"),
	  .flags = CMD_SECRET,
	  .exec = cmd_channel_exec },
	{ .name = "show-channels",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "show-channels",
	  .help = N_("list the declared channels, secrets hidden"),
	  .exec = cmd_show_channels_exec },
	{ .name = NULL }
};

/* What `channel` accepts as TYPE: the adapters ombre has or will have. */
static const char *const cmd_channel_types[] = {
	"telegram", "matrix", "whatsapp", "messenger", "line", "sms", "twilio",
	"email", "exec", "demo"
};

/* Whether a channel key holds a secret or a command that prints one. */
static int
cmd_key_secret(const char *key)
{
	return strstr(key, "token") != NULL ||
	    strstr(key, "password") != NULL ||
	    strstr(key, "secret") != NULL;
}

/*
 * channel NAME TYPE [KEY=VALUE...]: declare a channel. Its arguments may
 * be secrets, so no error quotes one: a word without '=' is named by its
 * position only.
 */
static enum cmd_retval
cmd_channel_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char		**keys, **values, *eq, *cause;
	int		  i, n = argc - 3;
	size_t		  t;
	struct buf	  known;
	enum cmd_retval	  retval = CMD_NORMAL;

	for (t = 0; t < nitems(cmd_channel_types); t++) {
		if (strcmp(argv[2], cmd_channel_types[t]) == 0)
			break;
	}
	if (t == nitems(cmd_channel_types)) {
		buf_init(&known);
		for (t = 0; t < nitems(cmd_channel_types); t++)
			buf_add_printf(&known, " %s", cmd_channel_types[t]);
		retval = cmd_error(ctx, _("channel %s: unknown type %s "
		    "(known:%s)"),
		    argv[1], argv[2], known.data);
		buf_free(&known);
		return retval;
	}

	keys = xcalloc(n + 1, sizeof *keys);
	values = xcalloc(n + 1, sizeof *values);
	for (i = 0; i < n; i++) {
		eq = strchr(argv[3 + i], '=');
		if (eq == NULL || eq == argv[3 + i]) {
			retval = cmd_error(ctx, _("channel %s: argument %d is "
			    "not KEY=VALUE"), argv[1], 3 + i);
			goto out;
		}
		keys[i] = xstrndup(argv[3 + i], eq - argv[3 + i]);
		values[i] = eq + 1;
	}
	if (channel_config_define(argv[1], argv[2], keys, values, n,
	    &cause) != 0) {
		retval = cmd_error(ctx, "%s", cause);
		free(cause);
	}

out:
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	free(values);
	return retval;
}

/* show-channels: "name type key=value ...", secrets shown as (hidden). */
static enum cmd_retval
cmd_show_channels_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct channel_config	*all, *cc;
	struct buf			 b;
	size_t				 n, i, k;

	(void)argc;
	(void)argv;
	all = channel_config_all(&n);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		cc = &all[i];
		buf_reset(&b);
		buf_add_printf(&b, "%s %s", cc->name, cc->type);
		for (k = 0; k < cc->n; k++) {
			buf_add_printf(&b, " %s=", cc->keys[k]);
			if (cmd_key_secret(cc->keys[k]))
				buf_add_str(&b, "(hidden)");
			else
				cmd_quote_word(&b, cc->values[k]);
		}
		cmd_print(ctx, "%s", b.data);
	}
	buf_free(&b);
	return CMD_NORMAL;
}
