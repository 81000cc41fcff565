/*
 * macro.c: named strings of commands. `macro NAME "cmd; cmd"` defines one,
 * `macro-run NAME` runs it; the console records them from keys
 * (macro-record ... macro-stop) and appends each to a file the config
 * loading reads (config_macros_path), so they last.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

struct macro {
	char	*name;
	char	*commands;
};

static struct macro	*macros;
static size_t		 macros_n;

void
macro_define(const char *name, const char *commands)
{
	size_t	i;

	for (i = 0; i < macros_n; i++) {
		if (strcmp(macros[i].name, name) == 0) {
			free(macros[i].commands);
			macros[i].commands = xstrdup(commands);
			return;
		}
	}
	macros = xreallocarray(macros, macros_n + 1, sizeof *macros);
	macros[macros_n].name = xstrdup(name);
	macros[macros_n].commands = xstrdup(commands);
	macros_n++;
}

const char *
macro_find(const char *name)
{
	size_t	i;

	for (i = 0; i < macros_n; i++) {
		if (strcmp(macros[i].name, name) == 0)
			return macros[i].commands;
	}
	return NULL;
}

void
macro_each(void (*cb)(const char *, const char *, void *), void *data)
{
	size_t	i;

	for (i = 0; i < macros_n; i++)
		cb(macros[i].name, macros[i].commands, data);
}

int
macro_name_valid(const char *name)
{
	const char	*p;

	if (*name == '\0' || strlen(name) > 64)
		return 0;
	for (p = name; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return 0;
	}
	return 1;
}

void
macro_reset(void)
{
	size_t	i;

	for (i = 0; i < macros_n; i++) {
		free(macros[i].name);
		free(macros[i].commands);
	}
	free(macros);
	macros = NULL;
	macros_n = 0;
}
