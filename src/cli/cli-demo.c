/*
 * cli-demo.c: ombre demo (generated conversations as JSON lines or into a
 * store), the demo store behind --demo made again each day, and the demo
 * traffic child that keeps the console's demo inbox alive.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "cli.h"
#include "demo/demo.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Demo generation into a store: what the callbacks need. */
struct cli_demo_sink {
	struct store	*st;
	char		*last_msgid;
	int		 failed;
};

static int
cli_demo_store_msg(const struct msg *m, void *data)
{
	struct cli_demo_sink	*sink = data;
	enum store_status	 rc;
	char			*cause;

	rc = store_ingest(sink->st, m, &cause);
	if (rc != STORE_OK && rc != STORE_DUPLICATE) {
		log_warn("demo: %s", cause);
		free(cause);
		sink->failed = 1;
		return 1;
	}
	free(sink->last_msgid);
	sink->last_msgid = msgid_message(m->channel, m->account, m->conv_id, m->id);
	return 0;
}

static int
cli_demo_store_state(const struct demo_conv_state *s, void *data)
{
	struct cli_demo_sink	*sink = data;
	char			 value[32], *cause;

	if (s->snooze_until <= 0 || sink->last_msgid == NULL)
		return 0;
	snprintf(value, sizeof value, "%" PRId64, s->snooze_until);
	if (store_conv_set_property(sink->st, sink->last_msgid,
	    "ombre.snooze-until", value, &cause) != STORE_OK) {
		log_warn("demo: %s", cause);
		free(cause);
		sink->failed = 1;
		return 1;
	}
	return 0;
}

static int
cli_demo_print_msg(const struct msg *m, void *data)
{
	char	*line;

	(void)data;
	line = json_msg_format(m);
	fputs(line, stdout);
	fputc('\n', stdout);
	free(line);
	return ferror(stdout) ? 1 : 0;
}

/* Generate demo data into a data dir. */
static int
cli_demo_into(const char *dir, const struct demo_params *params)
{
	struct store_options	 opts;
	struct cli_demo_sink	 sink = { NULL, NULL, 0 };
	char			*cause;

	memset(&opts, 0, sizeof opts);
	opts.data_dir = dir;
	opts.lock_timeout = (double)options_get_number("store.lock-timeout");
	opts.batch_messages = (int)options_get_number("store.batch-messages");
	opts.batch_ms = (int)options_get_number("store.batch-ms");
	opts.on_wait = cli_on_wait;
	if (store_open(&opts, STORE_READ_WRITE, &sink.st, &cause) != STORE_OK) {
		log_warn("demo: %s", cause);
		free(cause);
		return 1;
	}
	demo_generate(params, cli_demo_store_msg, cli_demo_store_state, &sink);
	if (store_flush(sink.st, &cause) != STORE_OK) {
		log_warn("demo: %s", cause);
		free(cause);
		sink.failed = 1;
	}
	if (store_close(sink.st) != STORE_OK)
		sink.failed = 1;
	free(sink.last_msgid);
	return sink.failed;
}

/*
 * ombre demo [--seed N] [--conversations N] [--messages-per-conversation N]
 * [--out DIR]: generated conversations as canonical JSON lines, or into a
 * new store in DIR.
 */
int
cli_demo(struct cli *cli, int argc, char **argv)
{
	const char		*seed_s = NULL, *convs_s = NULL, *per_s = NULL;
	const char		*out_s = NULL;
	char			**rest;
	int			 n_rest;
	long long		 v;
	struct demo_params	 params = { 1, 300, 0, 0 };
	const struct cli_opt	 opts[] = {
		{ "seed", 0, 1, &seed_s, NULL },
		{ "conversations", 0, 1, &convs_s, NULL },
		{ "messages-per-conversation", 0, 1, &per_s, NULL },
		{ "out", 0, 1, &out_s, NULL },
		{ NULL, 0, 0, NULL, NULL }
	};

	(void)cli;	/* it writes its own store or none */
	if (cli_parse_args("demo", opts, argc, argv, &rest, &n_rest) != 0)
		return EXIT_USAGE;
	free(rest);
	if (n_rest > 0) {
		log_warn(_("usage: ombre demo [--seed N] [--conversations N] "
		    "[--messages-per-conversation N] [--out DIR]"));
		return EXIT_USAGE;
	}
	if (seed_s != NULL) {
		if ((v = cli_number(seed_s)) < 0) {
			log_warn(_("demo: --seed takes a number"));
			return EXIT_USAGE;
		}
		params.seed = (uint64_t)v;
	}
	if (convs_s != NULL) {
		if ((v = cli_number(convs_s)) <= 0 || v > 100000000) {
			log_warn(_("demo: --conversations takes a number from 1"));
			return EXIT_USAGE;
		}
		params.conversations = (long)v;
	}
	if (per_s != NULL) {
		if ((v = cli_number(per_s)) <= 0 || v > 100000) {
			log_warn(_("demo: --messages-per-conversation takes a "
			    "number from 1"));
			return EXIT_USAGE;
		}
		params.messages_per_conversation = (int)v;
	}
	params.now = util_now();
	if (out_s != NULL) {
		char cwd[4096], *dir;

		if (out_s[0] != '/' && getcwd(cwd, sizeof cwd) != NULL)
			dir = xasprintf("%s/%s", cwd, out_s);
		else
			dir = xstrdup(out_s);
		v = cli_demo_into(dir, &params);
		free(dir);
		return (int)v;
	}
	if (demo_generate(&params, cli_demo_print_msg, NULL, NULL) != 0 ||
	    fflush(stdout) != 0) {
		log_warn(_("demo: writing: %s"), strerror(errno));
		return 1;
	}
	return 0;
}

/* nftw's callback: remove a tree, deepest entries first (FTW_DEPTH). */
static int
cli_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/*
 * The demo store lives in the cache and is made again when the day (or
 * OMBRE_NOW) changes, so ages on the screen stay believable. It is built
 * in a temporary dir and renamed into place: two starts never see half.
 */
int
cli_demo_prepare(struct cli *cli)
{
	struct demo_params	 params = { 1, 300, 0, 0 };
	char			*stamp_path, *tmp, *old, want[128], have[128] = "";
	const char		*fixed;
	FILE			*f;
	int			 rc;

	params.now = util_now();
	fixed = getenv("OMBRE_NOW");
	snprintf(want, sizeof want, "demo v1 seed 1 conversations 300 %s %lld\n",
	    fixed != NULL ? "now" : "day", fixed != NULL ?
	    (long long)params.now : (long long)(params.now / 86400));
	stamp_path = xasprintf("%s/demo.stamp", cli->data_dir);
	if ((f = fopen(stamp_path, "r")) != NULL) {
		if (fgets(have, sizeof have, f) == NULL)
			have[0] = '\0';
		fclose(f);
	}
	free(stamp_path);
	if (strcmp(have, want) == 0)
		return 0;

	if (isatty(STDERR_FILENO))
		log_warn(_("building the demo conversations (a few "
		    "seconds)..."));
	tmp = xasprintf("%s.new.%ld", cli->data_dir, (long)getpid());
	old = xasprintf("%s.old.%ld", cli->data_dir, (long)getpid());
	nftw(tmp, cli_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	rc = cli_demo_into(tmp, &params);
	if (rc == 0) {
		stamp_path = xasprintf("%s/demo.stamp", tmp);
		if ((f = fopen(stamp_path, "w")) == NULL ||
		    fputs(want, f) == EOF || fclose(f) != 0)
			rc = 1;
		free(stamp_path);
	}
	if (rc == 0) {
		if (rename(cli->data_dir, old) == 0)
			nftw(old, cli_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		if (rename(tmp, cli->data_dir) != 0) {
			log_warn(_("demo: %s: %s"), cli->data_dir, strerror(errno));
			rc = 1;
		}
	}
	if (rc != 0)
		nftw(tmp, cli_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(tmp);
	free(old);
	return rc == 0 ? 0 : -1;
}

/*
 * --demo's own config, run after the user's (whose file it never
 * touches) and after the demo store is built (so the generated
 * conversations stay as the generator made them): the demo channel, in
 * French and in English, each with its built-in bot, which answers the
 * simulated customers of the demo traffic (chan-demo.c), and demo-all,
 * which delivers every reply of the demo store whatever its channel, so
 * a reply is never refused there and goes queued, sent, delivered.
 */
static const char cli_demo_config_text[] =
	"channel demo-fr demo account=fr bot=demo-fr\n"
	"channel demo-en demo account=en bot=demo-en\n"
	"channel demo-all demo deliver=all\n"
	"bot-answer demo-fr '(horaire|heure|ouvert|ouvre|ferme)' "
	    "\"Nous sommes ouverts du lundi au samedi, de 9 h à 19 h.\"\n"
	"bot-answer demo-fr '(livraison|livre|colis|expedi|suivi)' "
	    "\"Une commande part sous 24 h et arrive en 2 à 4 jours ouvrés ; "
	    "le lien de suivi est dans l’e-mail de confirmation.\"\n"
	"bot-answer demo-fr '(rembours|retour|echange)' "
	    "\"Vous avez 30 jours pour un retour, et le remboursement arrive "
	    "sous 5 jours après réception du colis.\"\n"
	"bot-answer demo-fr '(^|[^a-z])merci' "
	    "\"Avec plaisir, {{customer.first_name}} ! Bonne journée.\"\n"
	"bot-fallback demo-fr "
	    "\"Je n’ai pas compris. Je peux vous renseigner sur nos horaires, "
	    "la livraison ou les remboursements.\"\n"
	"bot-handoff demo-fr after=2 "
	    "\"Je transmets votre demande à un conseiller, qui vous répond "
	    "au plus vite.\"\n"
	"bot-answer demo-en '(hours|open|close)' "
	    "\"We are open Monday to Saturday, 9am to 7pm.\"\n"
	"bot-answer demo-en '(deliver|shipping|parcel|package|tracking)' "
	    "\"Orders leave within 24 hours and arrive in 2 to 4 working "
	    "days; the tracking link is in your confirmation e-mail.\"\n"
	"bot-answer demo-en '(refund|return|money back)' "
	    "\"You have 30 days to return an item; the refund follows within "
	    "5 days of our receiving it.\"\n"
	"bot-answer demo-en '(^|[^a-z])(thank|cheers)' "
	    "\"You are welcome, {{customer.first_name}}! Have a nice day.\"\n"
	"bot-fallback demo-en "
	    "\"Sorry, I did not get that. I can help with opening hours, "
	    "delivery and refunds.\"\n"
	"bot-handoff demo-en after=2 "
	    "\"Let me pass you to a colleague, who will answer shortly.\"\n";

void
cli_demo_config(struct cli *cli)
{
	struct cmd_ctx	ctx = cli->ctx;
	struct cmd_list	*list;
	char		*cause;

	/* Errors said as this file's: a name the user's config took. */
	ctx.file = "--demo";
	ctx.line = 0;
	if ((list = cmd_parse(cli_demo_config_text, &cause)) == NULL)
		fatalx(_("demo config: %s"), cause);
	for (int i = 0; i < list->n; i++) {
		ctx.line = i + 1;
		cmd_exec(&ctx, list->argc[i], list->argv[i]);
	}
	cmd_list_free(list);
}

/*
 * The demo traffic (a child of the console, in the role the syncer will
 * have for real channels): the next simulated message, after its pause,
 * stored with a short read-write session. It ends with the console (or
 * when its parent is gone) and never writes to the terminal.
 */
void
cli_demo_traffic(struct cli *cli)
{
	struct chan_demo	*d;
	struct store_options	 opts;
	struct store		*st;
	struct msg		*m;
	struct timespec		 ts;
	int64_t			 wait;
	pid_t			 parent = getppid();
	char			*cause;
	long			 sent;
	int			 null;

	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	if ((null = open("/dev/null", O_RDWR)) != -1) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		close(null);
	}
	cli_store_options(cli, &opts);
	opts.on_wait = NULL;
	d = chan_demo_new(42);
	for (;;) {
		m = chan_demo_next(d, util_now(), &wait);
		ts.tv_sec = (time_t)(wait / 1000);
		ts.tv_nsec = (long)(wait % 1000) * 1000000L;
		while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
			;
		if (getppid() != parent)
			break;
		/* It arrives now, after its pause: the bot answers after it. */
		m->date = util_now();
		if (store_open(&opts, STORE_READ_WRITE, &st, &cause) == STORE_OK) {
			if (store_ingest(st, m, &cause) != STORE_OK &&
			    cause != NULL)
				free(cause);
			/* Indexed, with the bot's answers: carried back. */
			else if (store_flush(st, &cause) != STORE_OK ||
			    chan_demo_deliver(d, st, util_now(), &sent,
			    &cause) != 0)
				free(cause);
			store_close(st);
		} else
			free(cause);
		msg_free(m);
	}
	_exit(0);
}
