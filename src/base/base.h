/*
 * base.h: the bottom layer of ombre, libc and POSIX only.
 *
 * Allocation that never fails, logging and fatal errors, a growable byte
 * buffer, UTF-8 decoding and display width, and the one sanitiser every
 * untrusted string passes through before it reaches a terminal or a file.
 */
#ifndef OMBRE_BASE_H
#define OMBRE_BASE_H

/*
 * Without config.h (a file compiled by hand with -std=c11, a fuzzer driver)
 * nothing asks for POSIX, and strict C11 hides kill(), fsync(), O_CLOEXEC and
 * friends. config.h defines _GNU_SOURCE (AC_USE_SYSTEM_EXTENSIONS); otherwise
 * ask for POSIX.1-2008 here, before the first system header.
 */
#if !defined(HAVE_CONFIG_H) && !defined(_GNU_SOURCE) && \
    !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/i18n.h"

#define OMBRE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define OMBRE_NORETURN __attribute__((noreturn))
#define nitems(a) (sizeof(a) / sizeof((a)[0]))

/* xmalloc.c: these never return NULL; out of memory is fatal(). */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xreallocarray(void *ptr, size_t count, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Return a newly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) OMBRE_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) OMBRE_PRINTF(1, 0);

/* log.c */
typedef void (*log_restore_cb)(void);
/* Program name used as the prefix of every stderr line ("ombre"). */
void log_set_progname(const char *name);
/* Called by fatal() before it exits, to give the terminal back. */
void log_set_restore(log_restore_cb cb);
/* Enable debug lines on stderr (-v); level 0 is quiet. */
void log_set_verbose(int level);
int log_get_verbose(void);
/* One line on stderr: "ombre: message". The text is the caller's own,
 * never untrusted input that was not sanitised first. */
void log_warn(const char *fmt, ...) OMBRE_PRINTF(1, 2);
void log_debug(const char *fmt, ...) OMBRE_PRINTF(1, 2);
/*
 * The ring: the last LOG_RING_LINES lines of this process (warnings,
 * debug lines shown, fatal ones, and log_info's, which go to the ring
 * only), each with its time and level, cut at LOG_LINE_MAX - 1 bytes.
 * Lines never carry secrets (nothing logged does); untrusted text in them
 * was sanitised by the caller, and the console sanitises them again.
 */
#define LOG_RING_LINES	1000
#define LOG_LINE_MAX	512
enum log_level {
	LOG_INFO,
	LOG_WARN,
	LOG_DEBUG,
	LOG_FATAL
};
void log_info(const char *fmt, ...) OMBRE_PRINTF(1, 2);
/* Lines kept (at most LOG_RING_LINES), and of those of one level. */
size_t log_ring_count(void);
size_t log_ring_total(enum log_level level);
/* The i-th kept line, oldest first, valid until the next line is logged;
 * NULL past the end. when and level may be NULL. */
const char *log_ring_get(size_t i, int64_t *when, enum log_level *level);
void log_ring_clear(void);
/* While the console draws on the terminal, lines go to the ring only
 * (fatal ones, after the terminal is given back, still to stderr). */
void log_set_quiet(int quiet);
/* Restore the terminal, print the message (with strerror(errno) for
 * fatal) and exit(70). For broken invariants and out of memory only. */
OMBRE_NORETURN void fatal(const char *fmt, ...) OMBRE_PRINTF(1, 2);
OMBRE_NORETURN void fatalx(const char *fmt, ...) OMBRE_PRINTF(1, 2);

/* buf.c: a growable byte buffer, always NUL-terminated after len. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 size;
};
void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_add_str(struct buf *b, const char *s);
void buf_add_char(struct buf *b, char c);
/* Append n words separated by single spaces. */
void buf_add_words(struct buf *b, char *const *words, size_t n);
void buf_add_printf(struct buf *b, const char *fmt, ...) OMBRE_PRINTF(2, 3);
/* A word for /bin/sh (and for ssh, which hands it to the remote shell):
 * in single quotes, a quote inside as '\''. */
void buf_add_shell_word(struct buf *b, const char *word);
/* Hand the data over to the caller (who frees it) and reset the buffer. */
char *buf_steal(struct buf *b);

/*
 * strset.c: a set of strings in order of insertion; a zeroed struct is an
 * empty set. items[0..n) are the strings, owned by the set.
 */
struct strset {
	char	**items;
	size_t	  n;
	size_t	 *slots;	/* index + 1 into items; 0 is empty */
	size_t	  slots_size;
};
/* Add a copy of s: return 1 when it was new, 0 when already there. */
int strset_add(struct strset *set, const char *s);
int strset_has(const struct strset *set, const char *s);
void strset_free(struct strset *set);

/*
 * ev.c: the poll() loop of a process. Watchers belong to their loop;
 * callbacks may add or remove any watcher. A timer fires once and is then
 * freed by the loop: forget it in its callback (ev_timer_del before it
 * fires). Signals are delivered through a self-pipe, never in a handler.
 */
struct ev_loop;
struct ev_fd;
struct ev_timer;
typedef void (*ev_fd_cb)(int fd, short revents, void *data);
typedef void (*ev_timer_cb)(void *data);
typedef void (*ev_signal_cb)(int signo, void *data);
struct ev_loop *ev_loop_new(void);
void ev_loop_free(struct ev_loop *loop);
struct ev_fd *ev_fd_add(struct ev_loop *loop, int fd, short events,
    ev_fd_cb cb, void *data);
void ev_fd_set_events(struct ev_fd *w, short events);
void ev_fd_del(struct ev_fd *w);
struct ev_timer *ev_timer_add(struct ev_loop *loop, int64_t after_ms,
    ev_timer_cb cb, void *data);
void ev_timer_del(struct ev_timer *t);
/* Catch a signal (SA_RESTART); its callback runs from the loop. */
int ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb cb,
    void *data);
/* In a forked child: let go of the parent's signal pipe (a loop of the
 * child's own makes its own). job_run's children do it. */
void ev_forget_parent(void);
/* Wait for events up to max_wait_ms (-1: no limit but the timers) and
 * dispatch them. Return -1 when poll() fails. */
int ev_run_once(struct ev_loop *loop, int64_t max_wait_ms);
void ev_loop_stop(struct ev_loop *loop);
int ev_loop_stopped(struct ev_loop *loop);

/*
 * job.c: a function run in a forked child from a loop, its stdout and
 * stderr captured. done gets the exit status (128 + signal when killed)
 * and the output (NUL-terminated, owned by the job, valid during the
 * call); the job is freed after it.
 */
struct job;
typedef int (*job_fn)(void *arg);
typedef void (*job_done_cb)(struct job *job, int status, const char *output,
    void *data);
struct job *job_run(struct ev_loop *loop, job_fn fn, void *arg,
    job_done_cb done, void *data);
pid_t job_pid(struct job *job);
/* Hand the output to cb a line at a time (newline removed) as it comes,
 * for a child that runs long and reports as it goes; done then gets what
 * followed the last newline. */
typedef void (*job_line_cb)(struct job *job, const char *line, void *data);
void job_set_line_cb(struct job *job, job_line_cb cb);
/* Let the jobs of a loop still running go on alone (the loop is ending:
 * a write waiting for the lock must still land): done is called with
 * JOB_CANCELLED, only to free what it owns. */
#define JOB_CANCELLED (-1)
void job_detach_all(struct ev_loop *loop);

/* utf8.c */
#define UTF8_REPLACEMENT 0xFFFDu
/*
 * Decode one code point from s (at most len bytes) into *cp. Return the
 * number of bytes consumed (>= 1 when len > 0). Invalid, overlong,
 * surrogate or truncated sequences consume one byte and yield U+FFFD.
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* The start of the character before / after the one at byte offset at
 * of s[0..len) (for cursors in text being edited). */
size_t utf8_prev(const char *s, size_t at);
size_t utf8_next(const char *s, size_t len, size_t at);
/* Encode cp into out (at least 4 bytes); return the byte count. */
size_t utf8_encode(uint32_t cp, char *out);
/* Return 1 when s[0..len) is valid UTF-8; else 0 and *bad_offset set. */
int utf8_valid(const char *s, size_t len, size_t *bad_offset);
/*
 * Display width of a code point in terminal columns: 0 for combining and
 * zero-width characters, 2 for East Asian wide and emoji presentation,
 * 1 otherwise. Independent of the locale (tables built from Unicode data).
 * C0, DEL and C1 controls count 1: they must not reach a terminal raw, and
 * sanitize() counts the width of the placeholder it puts in their place.
 */
int utf8_cpwidth(uint32_t cp);
/* Display width of a UTF-8 string (invalid bytes count 1 each). */
size_t utf8_width(const char *s, size_t len);

/* sanitize.c */
enum sanitize_mode {
	SANITIZE_LINE,	/* names, titles, snippets: one line, LF shown as placeholder */
	SANITIZE_BODY	/* message bodies: LF and TAB kept */
};
/*
 * Make untrusted text safe for a terminal or a log: decode UTF-8 (invalid
 * bytes become U+FFFD), replace C0 controls (except TAB, and LF in BODY
 * mode), DEL, C1 controls, bidi controls (U+061C, U+200E-U+200F,
 * U+202A-U+202E, U+2066-U+2069) and U+FEFF with a visible placeholder
 * (^X for C0 and DEL, <U+XXXX> for the rest), keep at most
 * SANITIZE_MAX_COMBINING combining marks after a base character, and stop
 * at max_width columns (0: no limit), ending with an ellipsis when cut.
 * Return a newly allocated string; the caller frees it.
 */
#define SANITIZE_MAX_COMBINING 2
char *sanitize(const char *s, size_t len, enum sanitize_mode mode, size_t max_width);
/* Same, appending to a buffer; return the width appended (in SANITIZE_BODY
 * mode, that of the widest line; a TAB there counts to the next multiple
 * of 8 columns from the start of the appended text). */
size_t sanitize_buf(struct buf *out, const char *s, size_t len,
    enum sanitize_mode mode, size_t max_width);

/* util.c */
/* Current time in seconds; OMBRE_NOW (seconds since the epoch or RFC 3339)
 * overrides it so tests and demo screens are reproducible. */
/* n random bytes from /dev/urandom (fatal when it cannot be read): ids
 * that must never repeat across processes sharing a data dir. */
void util_random(void *buf, size_t n);
/* A duration, N followed by s, m, h, d or w (no unit: seconds), from 0
 * to max seconds: 0 and *seconds, or -1. */
int util_parse_duration(const char *s, int64_t max, int64_t *seconds);
int64_t util_now(void);
/* A monotonic clock in milliseconds, for timers and deadlines. */
int64_t util_clock_ms(void);
/* Parse an RFC 3339 date-time into seconds since the epoch (and the
 * offset east of UTC in seconds). Return 0 on success, -1 if malformed. */
int util_parse_rfc3339(const char *s, int64_t *t, int *utc_offset);
/* A time to come as people say it ("4h", "tomorrow", "next week", "17:30",
 * "2026-12-01 9:00"): 0 and *when, or -1 (also for a time past). */
int util_parse_when(const char *s, int64_t now, int64_t *when);
/* Format t with the given offset as RFC 3339 into out (at least 32 bytes). */
void util_format_rfc3339(int64_t t, int utc_offset, char *out, size_t size);
/* Create dir and its parents with mode (umask applies). 0 or -1/errno. */
int util_mkdir_p(const char *path, mode_t mode);
/* fsync a directory by path. 0 or -1/errno. */
/* In a child: receive SIGTERM when the parent dies (Linux); exit at once
 * when the parent (pid, 0: not checked) is already gone. */
void util_die_with_parent(pid_t parent);
int util_fsync_dir(const char *path);
/*
 * Replace dir/name whole and durably: a temporary file beside it written
 * and fsynced, renamed over it, the directory fsynced. A reader sees the
 * old or the new content, never a part. 0, or -1 with errno set.
 */
int util_write_file(const char *dir, const char *name, const char *data,
    size_t len, mode_t mode);
/*
 * A team's data dir is shared with its group: any group bit set (the
 * README's `install -d -m 2770 -g GROUP`). What ombre or libnotmuch makes
 * in it must then be readable and writable by that group whatever the
 * agent's umask.
 */
struct stat;
/* Return 1 when the data dir is shared with its group (sb its stat). */
int util_share_is(const struct stat *sb);
/* Clear the group's bits of the process's umask when the data dir is
 * shared: everything made from then on, by libnotmuch and Xapian and by
 * children (hooks, the indexer), is group-writable. Return 1 if shared. */
int util_share_umask(const char *data_dir);
/* The mode to create a folder (private 0700-like) or file (0600-like) of
 * the data dir with: the data dir's own mode for a folder (2770), 0660 for
 * a file, when it is shared; else private unchanged. */
mode_t util_share_mode(const char *data_dir, mode_t private_mode);
/* What keeps the group gid from using a path of a shared data dir (sb its
 * lstat): its group, or the mode bits it lacks (rw, and x and setgid for a
 * folder). NULL when nothing, else an allocated "PATH: mode 0640, the
 * group NAME cannot write it" (the caller adds the way out). */
char *util_share_problem(const char *path, const struct stat *sb, gid_t gid);
/* FNV-1a: a stable 64-bit hash of a string, for file names. */
uint64_t util_hash64(const char *s);
/* Return 1 when a process with this pid exists. */
int util_pid_alive(pid_t pid);
/*
 * Run cmd with /bin/sh -c, input on its stdin (NULL: /dev/null), its
 * stdout and stderr gathered into out and err (each capped at 1 MiB),
 * killed (SIGTERM, then SIGKILL) past timeout_s seconds (0: none).
 * Return its exit status, 128+N for a signal, or -1 with errno when it
 * could not be run.
 */
int util_run_shell(const char *cmd, const char *input, size_t input_len,
    struct buf *out, struct buf *err, int timeout_s);
/* In a forked child about to exec a command of its own (a hook, a
 * bridge): a process group of its own (killed whole), no signal blocked,
 * the default action for those the parent's loop handles or ignores. */
void util_child_defaults(void);
/* The value of a hexadecimal digit, or -1. */
int util_hex_value(char c);
/*
 * A component of a query string or form (application/x-www-form-
 * urlencoded) decoded: '+' a space, %XX a byte (kept as written when
 * malformed), a decoded NUL byte written as nul (NULL: kept, ending the
 * C string there), at most max bytes (0: no limit). Allocated.
 */
char *util_form_unescape(const char *s, size_t len, size_t max,
    const char *nul);
/* A short age such as "45s", "12m", "3h", "5d", "8w" for a duration. */
void util_format_age(int64_t seconds, char *out, size_t size);
/* The same in C whatever the locale ("3d"): JSON, stored text. */
void util_format_age_c(int64_t seconds, char *out, size_t size);
/* A count in at most 4 columns: "999", "1.2k", "25k", "475k", "3M". */
void util_format_count(long n, char *out, size_t size);
/* "2 s", "3 min", "2 h", "4 d" for a sentence, in the user's language. */
void util_format_duration(int64_t secs, char *out, size_t size);
/* strftime in the C locale: dates in stored text, never translated. */
struct tm;
size_t util_strftime_c(char *out, size_t size, const char *fmt,
    const struct tm *tm) __attribute__((format(strftime, 3, 0)));

#endif
