/*
 * i18n.h: messages in the user's language (gettext), included by base.h.
 *
 * _("text") is the translation of a message shown to the user, N_("text")
 * marks a string translated later where it is used (a table, a static
 * array), ngettext(one, many, n) picks the plural form. Translations come
 * from po/LANG.po (make update-po extracts the marked strings of the files
 * po/POTFILES lists). Machine text is never marked: JSON keys, tags,
 * command and option names, protocol words, dates in RFC 3339.
 *
 * Without NLS (configure --disable-nls, or a file compiled without
 * config.h) the text is the English one as written.
 */
#ifndef OMBRE_I18N_H
#define OMBRE_I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s)		gettext(s)
#else
#define _(s)		(s)
#undef ngettext
#define ngettext(one, many, n)	((n) == 1 ? (one) : (many))
#endif
/* No parentheses: N_ may initialise a char array. */
#define N_(s)		s

#endif
