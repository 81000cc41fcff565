#!/usr/bin/env python3
#
# i18n-scan.py: the user-visible strings that are not marked for
# translation, in the C files given (po/POTFILES's list, T550).
#
#	i18n-scan.py [--fix] FILE...
#
# A string is user-visible when it is a literal argument of a function
# that prints to the user (USER_FUNCS: stderr lines, fatal errors, text on
# stdout) or the message of a `*cause = xasprintf(...)` or xstrdup()
# (errors handed up to be printed). It is marked when it stands inside
# _(), N_() or ngettext(). Exempt: literals with no word in them once format
# directives and escapes are out ("%s\n", " %-*s"), a broken invariant's
# message that starts with its C function's name, machine text (JSON
# members, CSV headers: words joined by commas without a space, a bare
# option or tag name), and a call whose line or the line before carries
# the comment "not translated" (say why: a protocol word, a file format).
# A literal that starts with "usage: " is a usage text wherever it stands
# (a macro, an array) and must be marked too. So is a table row's text
# (TABLE_FIELDS: a command's .help and .usage, an option's .help): it is
# marked with N_() where it stands and translated where it is shown; a
# usage that is only the command's name needs no mark.
#
# Prints FILE:LINE: "text" for each one, exits 1 when there is any.
# --fix wraps them in _() (comments blanked by the scan keep every
# offset as it is in the file): then read the diff over.

import re
import sys

USER_FUNCS = {
    "log_warn", "fatal", "fatalx", "printf", "fprintf", "puts", "fputs",
    "cmd_error", "cmd_print", "cli_usage", "cli_error",
    "buf_add_printf", "buf_add_str",
    # The console's: the status line, a child's failure, the pager's and
    # the help screen's titles, the list's hint.
    "ui_set_message", "ui_job_failed", "ui_show_lines", "ui_pager_new",
    "ui_cmd_help_table", "ui_list_set_hint",
    # doctor's findings, templates' problems.
    "doctor_say", "doctor_item", "cli_templates_warn", "template_problem",
}
# A buffer is text for the screen in cli and ui; below, a file's or a
# query's.
BUF_FUNCS = {"buf_add_printf", "buf_add_str"}
MARKS = {"_", "N_", "ngettext", "gettext"}

FORMAT = re.compile(r"%[-+ #0]*(\*|\d+)?(\.(\*|\d+))?(hh|h|ll|l|z|j|t)?[diouxXcsfgeEp%]")
ESCAPE = re.compile(r"\\.")
WORD = re.compile(r"[A-Za-z]{2,}")
JSON = re.compile(r'\\"[A-Za-z_]+\\":')
CSV = re.compile(r"^[a-z_0-9\x01]*(,[a-z_0-9\x01]*)+$")
# A name with a sign of being one (an option's dashes, a tag's slash, an
# option's dot), or a command's name before its message ("hook test: ").
NAME = re.compile(r"^(-{1,2}[a-z][a-z0-9_./-]*|[a-z][a-z0-9]*[_./-][a-z0-9_./-]*)$")
# A broken invariant's message names the C function ("xmalloc: out of
# memory"): for the programmer, and out of memory gettext may not run.
INTERNAL = re.compile(r"^(x[a-z]+|[a-z]+_[a-z_]+): ")
# The fields of a table row (struct cmd_entry, struct option_entry)
# whose text is shown to the user, and a usage that is a bare name.
TABLE_FIELDS = re.compile(r"\.(help|usage)\s*=\s*(?=\")")
BARE_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
# ...unless the words are a message ("unknown option: %s").
UNKNOWN = re.compile(r"^(usage|unknown|invalid|bad|no|not)\b")
PREFIX = re.compile(r"^[a-z][a-z-]*( [a-z\x01][a-z-]*)?:( \x01)?(: \x01)?$")


def strip_comments(src):
    """Blank comments out (keeping newlines and "not translated" marks),
    leave string and character literals as they are."""
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            text = src[i:j]
            keep = "@NOTTR@" if "not translated" in text else ""
            out.append(keep + re.sub(r"[^\n]", " ", text)[len(keep):])
            i = j
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def skip_literal(src, i):
    q = src[i]
    j = i + 1
    while j < len(src) and src[j] != q:
        j += 2 if src[j] == "\\" else 1
    return j + 1


def args_of(src, i):
    """The arguments of the call whose '(' is at i, as (start, end)
    spans at the call's own depth, and the end of the call."""
    depth, start, spans = 0, i + 1, []
    j = i
    while j < len(src):
        c = src[j]
        if c in "\"'":
            j = skip_literal(src, j)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                spans.append((start, j))
                return spans, j + 1
        elif c == "," and depth == 1:
            spans.append((start, j))
            start = j + 1
        j += 1
    return spans, j


def bare_literals(src, start, end):
    """The string literals of an argument that stand outside any call:
    those inside _() and friends are marked, those inside another call
    are that call's business. Adjacent literals join into one."""
    found, j, depth, run = [], start, 0, None
    while j < end:
        c = src[j]
        if c == '"':
            k = skip_literal(src, j)
            if depth == 0:
                if run is None:
                    run = [j, "", k]
                run[1] += src[j + 1:k - 1]
                run[2] = k
            j = k
            continue
        if c == "'":
            j = skip_literal(src, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif not c.isspace() and depth == 0 and run is not None:
            # PRId64 and friends between two literals continue the run.
            m = re.match(r"PRI[diouxX](8|16|32|64|MAX|PTR)", src[j:end])
            if m:
                j += m.end()
                continue
            found.append(tuple(run))
            run = None
        j += 1
    if run is not None:
        found.append(tuple(run))
    return found


def user_visible(text):
    if text in ("null", "true", "false") or INTERNAL.match(text):
        return False
    if JSON.search(text):
        return False
    bare = ESCAPE.sub("", FORMAT.sub("\x01", text)).strip()
    if CSV.match(bare) or NAME.match(bare) or (PREFIX.match(bare) and
            not UNKNOWN.match(bare)):
        return False
    plain = ESCAPE.sub(" ", FORMAT.sub(" ", text)).strip()
    return WORD.search(plain) is not None


def scan(path):
    with open(path, encoding="utf-8") as f:
        src = strip_comments(f.read())
    problems = []
    for m in re.finditer(r"\b([A-Za-z_][A-Za-z0-9_]*)\s*\(", src):
        name = m.group(1)
        paren = m.end() - 1
        line_start = src.rfind("\n", 0, m.start())
        prev_start = src.rfind("\n", 0, max(line_start, 0))
        context = src[prev_start + 1:src.find("\n", m.start())]
        if name in ("xasprintf", "xstrdup"):
            before = src[max(0, line_start):m.start()]
            if not re.search(r"\bcause\s*=\s*$", before):
                continue
        elif name not in USER_FUNCS:
            continue
        elif name in BUF_FUNCS and not re.search(r"src/(cli|ui)/", path):
            continue
        if "@NOTTR@" in context:
            continue
        spans, _ = args_of(src, paren)
        for start, end in spans:
            for pos, text, stop in bare_literals(src, start, end):
                if user_visible(text):
                    line = src.count("\n", 0, pos) + 1
                    problems.append(('%s:%d: "%s"' % (path, line, text),
                        pos, stop))
    # A usage text is the user's wherever it stands (a macro, an array).
    for m in re.finditer(r'"usage: ', src):
        before = re.sub(r"[\s\\]+$", "", src[:m.start()])
        line = src.count("\n", 0, m.start()) + 1
        if before.endswith("_(") or "@NOTTR@" in src[src.rfind(
                "\n", 0, src.rfind("\n", 0, m.start())) + 1:m.start()]:
            continue
        stop = skip_literal(src, m.start())
        text = src[m.start() + 1:stop - 1]
        entry = ('%s:%d: "%s"' % (path, line, text), m.start(), stop)
        if not any(p[0] == entry[0] for p in problems):
            problems.append(entry)
    # A table row's help and usage: N_() where they stand.
    for m in TABLE_FIELDS.finditer(src):
        line_start = src.rfind("\n", 0, m.start())
        context = src[src.rfind("\n", 0, max(line_start, 0)) + 1:m.start()]
        if "@NOTTR@" in context:
            continue
        end = m.end()
        while end < len(src) and src[end] not in ",}":
            end = skip_literal(src, end) if src[end] == '"' else end + 1
        for pos, text, stop in bare_literals(src, m.end(), end):
            if m.group(1) == "usage" and BARE_NAME.match(text):
                continue
            if m.group(1) == "help" and text == "":
                continue
            if user_visible(text) or m.group(1) == "usage":
                line = src.count("\n", 0, pos) + 1
                entry = ('%s:%d: "%s"' % (path, line, text), pos, stop,
                    "N_")
                if not any(p[0] == entry[0] for p in problems):
                    problems.append(entry)
    return sorted(problems, key=lambda p: p[1])


def fix(path, problems):
    """Wrap each literal found in _() (a table row's in N_()), from the
    end (the spans stay valid): a helper for converting a file, to be
    read over after."""
    with open(path, encoding="utf-8") as f:
        src = f.read()
    for p in sorted(problems, key=lambda p: -p[1]):
        pos, stop = p[1], p[2]
        mark = p[3] if len(p) > 3 else "_"
        src = src[:pos] + mark + "(" + src[pos:stop] + ")" + src[stop:]
    with open(path, "w", encoding="utf-8") as f:
        f.write(src)


def main():
    args = sys.argv[1:]
    wrap = args[:1] == ["--fix"]
    count = 0
    for path in args[1:] if wrap else args:
        problems = scan(path)
        count += len(problems)
        for p in problems:
            print(p[0])
        if wrap and problems:
            fix(path, problems)
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main())
