/*
 * t-mailtext.c: an e-mail's preview and subject (mail-text.c): the
 * sender's own lines without French and English attributions (one line
 * or wrapped over two), quotes, signatures and Outlook's "Original
 * Message"; a message of quotes only; CRLF; subjects without "Re:" and
 * "Fwd:" in their forms.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

static void
preview_is(const char *text, const char *expected, const char *name)
{
	char	*got = mail_preview(text, strlen(text));

	if (expected == NULL)
		ok(got == NULL, "%s", name);
	else
		is_str(got != NULL ? got : "(null)", expected, name);
	free(got);
}

static void
subject_is(const char *subject, const char *expected)
{
	char	*got = mail_subject(subject);

	is_str(got, expected, subject);
	free(got);
}

int
main(void)
{
	preview_is("Le 29/12/2011 11:13, Allan McRae a \xc3\xa9" "crit :\n"
	    "> On 29/12/11 20:05, Xavier wrote:\n"
	    ">> the old patch\n"
	    "> What about this?\n"
	    "\n"
	    "Ca me va, je pousse ce soir.\n",
	    "Ca me va, je pousse ce soir.",
	    "French attribution and its quote skipped");
	preview_is("On Thu, Dec 29, 2011 at 11:13 AM, Allan McRae "
	    "<allan@archlinux.org> wrote:\n> quoted\n\nSounds good.\n",
	    "Sounds good.", "English attribution on one line");
	preview_is("Thanks, applied.\n\nOn Thu, 29 Dec 2011 11:13:02 +1000, "
	    "Allan McRae\n<allan@archlinux.org> wrote:\n> a long line\n"
	    "> another\n",
	    "Thanks, applied.", "English attribution wrapped over two lines");
	preview_is("Le jeu. 29 d\xc3\xa9" "c. 2011 \xc3\xa0 11:13, Allan "
	    "McRae\n<allan@archlinux.org> a \xc3\xa9" "crit\xc2\xa0:\n"
	    "> cit\xc3\xa9\nD'accord.\n",
	    "D'accord.", "French attribution wrapped, no-break space");
	preview_is("Inline answer:\n> question one\nanswer one\n"
	    "> question two\nanswer two\n",
	    "Inline answer:\nanswer one\nanswer two",
	    "inline answers kept between the quotes");
	preview_is("Merci !\n-- \nJean Dupont\nSupport\n> old\n",
	    "Merci !", "the signature and what follows it dropped");
	preview_is("Sure.\r\n\r\n-- \r\nJane\r\n", "Sure.", "CRLF lines");
	preview_is("Yes.\n\n-----Original Message-----\nFrom: x\n\nold text\n",
	    "Yes.", "Outlook's Original Message ends the text");
	preview_is("> only a quote\n> and more\n", NULL,
	    "quotes only: nothing of the sender's, NULL");
	preview_is("", NULL, "empty text");
	preview_is("Le colis est arriv\xc3\xa9, merci.\n",
	    "Le colis est arriv\xc3\xa9, merci.",
	    "a line starting \"Le \" without an attribution kept");
	preview_is("On Monday the parcel came.\nAll good.\n",
	    "On Monday the parcel came.\nAll good.",
	    "a line starting \"On \" before one not ending wrote: kept");
	preview_is("  indented code\n", "  indented code",
	    "a kept line keeps its indentation");

	subject_is("Re: [PATCH] makepkg: fix", "[PATCH] makepkg: fix");
	subject_is("RE: Re: Fwd: colis", "colis");
	subject_is("TR : Votre commande", "Votre commande");
	subject_is("Re[2]: suite", "suite");
	subject_is("  Fw:  Le colis  ", "Le colis");
	subject_is("Reunion demain", "Reunion demain");
	subject_is("Re:", "");
	subject_is("R\xc3\xa9" "clamation", "R\xc3\xa9" "clamation");

	ok(mail_quoted_line("  > x", 5), "an indented quote is quoted");
	ok(!mail_quoted_line("a > b", 5), "a '>' inside a line is not");
	ok(!mail_quoted_line("", 0), "an empty line is not");
	done_testing();
	return exit_status();
}
