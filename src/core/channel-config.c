/*
 * channel-config.c: the channels a config file declares, by name.
 *
 * The registry only keeps names, a type and KEY=VALUE pairs; what a type
 * needs is the adapter's business. Values may be tokens or passwords, so
 * nothing here prints them and errors name keys only.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static struct channel_config	*channel_configs;
static size_t			 channel_configs_n;

static int	channel_config_name_valid(const char *name);
static int	channel_config_key_valid(const char *key);
static void	channel_config_clear(struct channel_config *cc);
static struct channel_config *channel_config_lookup(const char *name);

/* A channel name: letters, digits, '-' and '_', not empty. */
static int
channel_config_name_valid(const char *name)
{
	const char	*p;

	if (*name == '\0')
		return 0;
	for (p = name; *p != '\0'; p++) {
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '-' && *p != '_')
			return 0;
	}
	return 1;
}

/* A key: lower-case letters and '-', not empty. */
static int
channel_config_key_valid(const char *key)
{
	const char	*p;

	if (*key == '\0')
		return 0;
	for (p = key; *p != '\0'; p++) {
		if (!(*p >= 'a' && *p <= 'z') && *p != '-')
			return 0;
	}
	return 1;
}

/* Free what one entry owns. */
static void
channel_config_clear(struct channel_config *cc)
{
	size_t	i;

	for (i = 0; i < cc->n; i++) {
		free(cc->keys[i]);
		free(cc->values[i]);
	}
	free(cc->keys);
	free(cc->values);
	free(cc->name);
	free(cc->type);
	memset(cc, 0, sizeof *cc);
}

int
channel_config_define(const char *name, const char *type, char *const *keys,
    char *const *values, size_t n, char **cause)
{
	struct channel_config	*cc;
	size_t			 i, j;

	if (!channel_config_name_valid(name)) {
		*cause = xasprintf(_("invalid channel name '%s': use letters, "
		    "digits, '-' and '_'"), name);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!channel_config_key_valid(keys[i])) {
			*cause = xasprintf(_("channel %s: invalid key '%s': use "
			    "lower-case letters and '-'"), name, keys[i]);
			return -1;
		}
		for (j = 0; j < i; j++) {
			if (strcmp(keys[i], keys[j]) == 0) {
				*cause = xasprintf(_("channel %s: key %s given "
				    "twice"), name, keys[i]);
				return -1;
			}
		}
	}

	cc = channel_config_lookup(name);
	if (cc != NULL)
		channel_config_clear(cc);
	else {
		channel_configs = xreallocarray(channel_configs,
		    channel_configs_n + 1, sizeof *channel_configs);
		cc = &channel_configs[channel_configs_n++];
	}
	cc->name = xstrdup(name);
	cc->type = xstrdup(type);
	cc->n = n;
	cc->keys = xcalloc(n + 1, sizeof *cc->keys);
	cc->values = xcalloc(n + 1, sizeof *cc->values);
	for (i = 0; i < n; i++) {
		cc->keys[i] = xstrdup(keys[i]);
		cc->values[i] = xstrdup(values[i]);
	}
	return 0;
}

/* The entry named name, or NULL. */
static struct channel_config *
channel_config_lookup(const char *name)
{
	size_t	i;

	for (i = 0; i < channel_configs_n; i++) {
		if (strcmp(channel_configs[i].name, name) == 0)
			return &channel_configs[i];
	}
	return NULL;
}

const struct channel_config *
channel_config_find(const char *name)
{
	return channel_config_lookup(name);
}

const struct channel_config *
channel_config_all(size_t *n)
{
	*n = channel_configs_n;
	return channel_configs;
}

/*
 * Is account the channel's own, as far as its config tells? Return 1 if
 * it is, 0 if it is another's, -1 if the config does not say: account=,
 * else what the adapter takes as the account, a Telegram token's bot id
 * (the digits before ':', public: every Message-Id carries them) or a
 * Matrix channel's user=, a WhatsApp channel's phone-number-id=, a
 * Messenger channel's page-id=. A token-command is not run here: -1.
 */
static int
channel_config_owns(const struct channel_config *cc, const char *account)
{
	const char	*value;
	size_t		 digits;

	if ((value = channel_config_get(cc, "account")) != NULL)
		return strcmp(value, account) == 0;
	if (strcmp(cc->type, "telegram") == 0 &&
	    (value = channel_config_get(cc, "token")) != NULL) {
		digits = strspn(value, "0123456789");
		if (digits == 0 || value[digits] != ':')
			return -1;
		return strlen(account) == digits &&
		    strncmp(value, account, digits) == 0;
	}
	if (strcmp(cc->type, "matrix") == 0 &&
	    (value = channel_config_get(cc, "user")) != NULL)
		return strcmp(value, account) == 0;
	if (strcmp(cc->type, "whatsapp") == 0 &&
	    (value = channel_config_get(cc, "phone-number-id")) != NULL)
		return strcmp(value, account) == 0;
	if (strcmp(cc->type, "messenger") == 0 &&
	    (value = channel_config_get(cc, "page-id")) != NULL)
		return strcmp(value, account) == 0;
	/* Twilio: the number replies come from, or the Messaging Service. */
	if (strcmp(cc->type, "twilio") == 0 &&
	    ((value = channel_config_get(cc, "from")) != NULL ||
	    (value = channel_config_get(cc, "messaging-service-sid")) != NULL))
		return strcmp(value, account) == 0;
	return -1;
}

/* Does a channel of TYPE cc_type carry conversations of channel type?
 * Its own, and Twilio's are "sms". */
static int
channel_config_carries(const char *cc_type, const char *type)
{
	return strcmp(cc_type, type) == 0 ||
	    (strcmp(cc_type, "twilio") == 0 && strcmp(type, "sms") == 0);
}

const struct channel_config *
channel_config_for(const char *type, const char *account)
{
	const struct channel_config	*first = NULL, *unknown = NULL, *cc;
	size_t				 i;
	int				 owns;

	for (i = 0; i < channel_configs_n; i++) {
		cc = &channel_configs[i];
		if (!channel_config_carries(cc->type, type))
			continue;
		owns = account != NULL ? channel_config_owns(cc, account) : -1;
		if (owns == 1)
			return cc;
		if (owns == -1 && unknown == NULL)
			unknown = cc;
		if (first == NULL)
			first = cc;
	}
	/* Not another channel's whose account is known (its bot= would
	 * answer the customers of a second Telegram bot). */
	return unknown != NULL ? unknown : first;
}

/* The channel types whose adapter sends replies (the others only bring
 * messages in). */
static const char *const channel_config_sending[] = {
	"telegram", "matrix", "whatsapp", "messenger", "email", "exec",
	"line", "twilio",
	"demo"
};

/* Does a channel of this type send replies? */
static int
channel_config_type_sends(const char *type)
{
	size_t	i;

	for (i = 0; i < nitems(channel_config_sending); i++) {
		if (strcmp(channel_config_sending[i], type) == 0)
			return 1;
	}
	return 0;
}

const struct channel_config *
channel_config_sender(const char *type, const char *account)
{
	const struct channel_config	*unknown = NULL, *cc;
	const char			*value;
	size_t				 i;
	int				 owns;

	for (i = 0; i < channel_configs_n; i++) {
		cc = &channel_configs[i];
		if (!channel_config_type_sends(cc->type))
			continue;
		if (strcmp(cc->type, "exec") == 0) {
			/* A bridge carries the channel its messages name
			 * (channel=, else the config's name). */
			value = channel_config_get(cc, "channel");
			if (strcmp(value != NULL ? value : cc->name, type) != 0)
				continue;
			owns = account != NULL ?
			    channel_config_owns(cc, account) : -1;
			if (owns == 1)
				return cc;
			if (owns == -1 && unknown == NULL)
				unknown = cc;
			continue;
		}
		if (channel_config_carries(cc->type, type)) {
			/* channel_config_for's rules, without a channel
			 * whose account is known to be another. */
			owns = account != NULL ?
			    channel_config_owns(cc, account) : -1;
			if (owns == 1)
				return cc;
			if (owns == -1 && unknown == NULL)
				unknown = cc;
			continue;
		}
		/* A Matrix account sends in the bridged rooms it is in,
		 * whose channel is the bridged network's. */
		if (strcmp(cc->type, "matrix") == 0 && account != NULL &&
		    (value = channel_config_get(cc, "user")) != NULL &&
		    strcmp(value, account) == 0)
			return cc;
	}
	if (unknown != NULL)
		return unknown;
	/* The demo's catch-all (--demo): it delivers every reply. */
	for (i = 0; i < channel_configs_n; i++) {
		cc = &channel_configs[i];
		if (strcmp(cc->type, "demo") == 0 &&
		    (value = channel_config_get(cc, "deliver")) != NULL &&
		    strcmp(value, "all") == 0)
			return cc;
	}
	return NULL;
}

const char *
channel_config_get(const struct channel_config *cc, const char *key)
{
	size_t	i;

	for (i = 0; i < cc->n; i++) {
		if (strcmp(cc->keys[i], key) == 0)
			return cc->values[i];
	}
	return NULL;
}

void
channel_config_reset(void)
{
	size_t	i;

	for (i = 0; i < channel_configs_n; i++)
		channel_config_clear(&channel_configs[i]);
	free(channel_configs);
	channel_configs = NULL;
	channel_configs_n = 0;
}

/*
 * A secret from the channel's KEY, else the first line KEY-command prints
 * (run by /bin/sh): the syncer's tokens and the webhook receiver's
 * app-secret and verify-token. Allocated, or NULL with *cause naming the
 * key, never the value.
 */
char *
channel_config_secret(const struct channel_config *cc, const char *key,
    char **cause)
{
	const char	*value, *command;
	char		*ckey, line[8192], *out = NULL;
	FILE		*f;
	int		 status;

	*cause = NULL;
	if ((value = channel_config_get(cc, key)) != NULL)
		return xstrdup(value);
	ckey = xasprintf("%s-command", key);
	command = channel_config_get(cc, ckey);
	if (command == NULL) {
		*cause = xasprintf(_("no %s and no %s"), key, ckey);
		free(ckey);
		return NULL;
	}
	/* The command line is the config's, not a secret; its output is. */
	fflush(NULL);
	if ((f = popen(command, "re")) == NULL) {
		*cause = xasprintf(_("%s: cannot run it"), ckey);
		free(ckey);
		return NULL;
	}
	if (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] != '\0')
			out = xstrdup(line);
	}
	while (fgets(line, sizeof line, f) != NULL)
		;
	explicit_bzero(line, sizeof line);
	status = pclose(f);
	if (status != 0 || out == NULL) {
		*cause = status != 0 ? xasprintf(_("%s failed (exit status "
		    "%d)"), ckey, WIFEXITED(status) ? WEXITSTATUS(status) :
		    -1) : xasprintf(_("%s printed nothing"), ckey);
		if (out != NULL) {
			explicit_bzero(out, strlen(out));
			free(out);
		}
		out = NULL;
	}
	free(ckey);
	return out;
}

/* The channel types whose platforms call us (src/web serves them). */
static const char *const channel_config_webhook_types[] = {
	"whatsapp", "messenger", "line", "sms", "twilio"
};

int
channel_config_webhook_type(const char *type)
{
	size_t	i;

	for (i = 0; i < nitems(channel_config_webhook_types); i++)
		if (strcmp(channel_config_webhook_types[i], type) == 0)
			return 1;
	return 0;
}
