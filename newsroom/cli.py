"""The command line: ``build``, ``check``, ``serve``, ``new`` and ``import``; build.py and the installed ``newsroom``
command (pyproject.toml) only call ``main``.

Errors meant for people (``NewsroomError``) are printed with their own ``render(tr)`` and exit 1;
anything else is a bug in newsroom and keeps its traceback. Ctrl-C, at any moment of any command,
ends it with one line and exit status 130.

Every text printed here is a ``Message`` rendered by the command's ``Translator`` (newsroom/i18n.py):
``--help`` and errors in config.yaml itself in the language of ``--lang``, NEWSROOM_LANG or the
locale; everything after config.yaml is read in ``--lang``, NEWSROOM_LANG or the site's ``language``.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sys
import threading
import time
from pathlib import Path

from . import __version__, i18n
from .build import BuildOptions, build, collect
from .errors import MAX_WARNINGS_SHOWN, NewsroomError, OutputError, shown_warnings
from .i18n import Message, Translator, _, ngettext
from .output import MARKER

DESCRIPTION = _(
    "newsroom: build a Vietnamese district news site from Markdown articles.\n"
    "\n"
    "Articles live in SITE/content/ as Markdown files with YAML front matter; config.yaml says the\n"
    "site's title, address and sections. `build` writes the site to SITE/output/ (replaced in one\n"
    "step, so a failed build never breaks the last good site)."
)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    early = i18n.translator(i18n.choose(_lang_flag(argv), os.environ))  # before config.yaml is read
    args = None
    with _CtrlC() as ctrl_c:
        try:
            parser = _parser(early)
            args = parser.parse_args(argv)
            if not getattr(args, "command", None):
                parser.print_help()
                return 2
            code = _run(args, early)
            return 130 if ctrl_c.pressed else code  # a command that stops on Ctrl-C by itself (serve)
        except KeyboardInterrupt:
            over = "\r" if sys.stderr.isatty() else ""  # over the terminal's "^C"
            print(over + getattr(args, "tr", early)(_stopped(args)), file=sys.stderr)
            return 130


def _lang_flag(argv: list[str]) -> str | None:
    """``--lang X`` from the arguments, read before parsing so that ``--help`` speaks it too."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    return None


def _site_translator(args: argparse.Namespace, early: Translator) -> Translator:
    """The language for everything said once config.yaml is read: ``--lang``, NEWSROOM_LANG, the site's."""
    if i18n.normalise(getattr(args, "lang", None)) or i18n.normalise(os.environ.get("NEWSROOM_LANG")):
        return early
    from .config import load_config

    try:
        language = load_config(args.site).language
    except (NewsroomError, OSError):  # the command itself reports it, in the early language
        return early
    return i18n.translator(i18n.choose(None, os.environ, language))


def _run(args: argparse.Namespace, early: Translator) -> int:
    args.tr = tr = _site_translator(args, early)
    try:
        return args.run(args)
    except (NewsroomError, OSError) as exc:
        if _raised_by_ctrl_c(exc):
            raise KeyboardInterrupt from exc
        return _report(exc, tr)


def _report(exc: NewsroomError | OSError, tr: Translator) -> int:
    """Say what went wrong in the editor's words; the exit status."""
    if isinstance(exc, NewsroomError):  # ConfigError too: ``tr`` is the early language unless config.yaml loaded
        print(exc.render(tr), file=sys.stderr)
        return 1
    # The disk, not the content: full, read-only, no permission…
    text = i18n.os_error_text(exc)
    problem = _("{problem} ({path})", problem=text, path=exc.filename) if exc.filename else text
    hint = _("check free space and permissions of the site and output folders")
    print(OutputError(problem, hint).render(tr), file=sys.stderr)
    return 1


def _raised_by_ctrl_c(exc: BaseException) -> bool:
    """Whether an error came from the clean-up of a Ctrl-C, not from the disk or the content.

    A Ctrl-C can land between two steps of a library's clean-up and make the next one fail:
    Python 3.11's ``shutil.rmtree`` closes a folder, is interrupted before it notes so, and closes it
    again ("Bad file descriptor"). The editor pressed Ctrl-C; that is what is said.
    """
    seen: set[int] = set()
    cause = exc.__context__
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, KeyboardInterrupt):
            return True
        seen.add(id(cause))
        cause = cause.__context__
    return False


class _CtrlC:
    """Ctrl-C for the whole command: stop at once, clean up, say so in one line.

    The first Ctrl-C raises KeyboardInterrupt in the main thread: the command stops where it is
    and cleans up on its way out (worker processes killed, the lock released), then ``main``
    prints one line and returns 130. Worker processes ignore SIGINT; only this process acts on it.
    A second Ctrl-C during that clean-up ends the process on the spot: the output is
    double-buffered, so even that never leaves it half-written.
    """

    def __init__(self) -> None:
        self.pressed = False
        self._previous = None

    def __enter__(self) -> _CtrlC:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handle) or signal.SIG_DFL
        return self

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _handle(self, signum, frame) -> None:
        if self.pressed:
            os._exit(130)
        self.pressed = True
        raise KeyboardInterrupt


def _stopped(args: argparse.Namespace | None) -> Message:
    """The one line printed after Ctrl-C: what state things were left in."""
    command = getattr(args, "command", None)
    line = _("stopped (Ctrl-C)")
    if command == "build":
        output = args.output or args.site / "output"
        if (output / MARKER).is_file():
            line = _(
                "stopped (Ctrl-C); {output} holds a whole site, nothing half-written: build again to update it",
                output=output,
            )
        else:
            line = _("stopped (Ctrl-C) before anything was written to {output}", output=output)
    elif command == "check":
        line = _("stopped (Ctrl-C) before the check was finished")
    elif command == "import" and not args.dry_run:
        line = _("stopped (Ctrl-C); the articles imported so far are complete: run the same import again to finish it")
    elif command == "serve":
        line = _("stopped the preview (Ctrl-C)")
    elif command == "deploy":
        line = (
            _("stopped watching (Ctrl-C)")
            if args.watch
            else _("stopped the deploy (Ctrl-C); the site online still works: run the same deploy again to finish it")
        )
    return line


# argparse's own texts (it translates them with the standard gettext, which newsroom does not use).
_ARGPARSE_ERRORS = (
    (r"the following arguments are required: (?P<names>.*)", _("the following arguments are required: {names}")),
    (r"unrecognized arguments: (?P<names>.*)", _("unrecognized arguments: {names}")),
    (r"argument (?P<name>\S+): expected one argument", _("option {name} needs a value after it")),
    (r"argument (?P<name>\S+): expected at least one argument", _("{name} needs at least one value")),
    (
        r"argument (?P<name>\S+): invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)",
        _("{name}: {value} is not one of {choices}"),
    ),
    (
        r"argument (?P<name>\S+): invalid port value: (?P<value>.*)",
        _("{name}: {value} is not a port number (a whole number from 0 to 65535)"),
    ),
    (r"argument (?P<name>\S+): invalid int value: (?P<value>.*)", _("{name}: {value} is not a whole number")),
    (r"argument (?P<name>\S+): invalid \w+ value: (?P<value>.*)", _("{name}: {value} cannot be used here")),
    (
        r"argument (?P<name>\S+): ignored explicit argument (?P<value>.*)",
        _("option {name} takes no value (got {value})"),
    ),
    (r"ambiguous option: (?P<name>\S+) could match (?P<choices>.*)", _("option {name} could mean {choices}")),
    (r"argument (?P<name>\S+): not allowed with argument (?P<other>.*)", _("{name} cannot be used with {other}")),
)


def _argparse_error(text: str) -> Message | str:
    for pattern, message in _ARGPARSE_ERRORS:
        match = re.fullmatch(pattern, text)
        if match:
            return _(message.msgid, **match.groupdict())
    return text  # one argparse may add later: shown as argparse says it


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, with its words ("usage:") in the command's language."""

    def __init__(self, prog: str, translator: Translator = i18n.ENGLISH) -> None:
        super().__init__(prog)
        self.tr = translator

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        if prefix is None:  # "" when argparse measures a sub-command's name
            prefix = self.tr(_("usage:")) + " "
        super().add_usage(usage, actions, groups, prefix)

    def _get_help_string(self, action: argparse.Action) -> str:
        return (action.help or "").replace("%", "%%")  # a translated help is text, never a %-template


class _RawFormatter(_Formatter, argparse.RawDescriptionHelpFormatter):
    """The same, keeping the description's own line breaks (the top-level help)."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose every text (titles, -h, errors) is translated by ``translator``."""

    def __init__(self, *args, translator: Translator = i18n.ENGLISH, raw: bool = False, **kwargs) -> None:
        self.tr = translator
        super().__init__(*args, add_help=False, formatter_class=_RawFormatter if raw else _Formatter, **kwargs)
        self._positionals.title = translator(_("arguments"))
        self._optionals.title = translator(_("options"))
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help=translator(_("show this help and exit"))
        )

    def _get_formatter(self) -> argparse.HelpFormatter:
        return self.formatter_class(prog=self.prog, translator=self.tr)

    def error(self, message: str):
        self.print_usage(sys.stderr)
        line = _("{prog}: error: {problem}", prog=self.prog, problem=_argparse_error(message))
        self.exit(2, self.tr(line) + "\n")


def port(text: str) -> int:
    """A TCP port (0-65535) for ``serve --port``: checked here, because a bigger number would crash the server
    with a traceback instead of a message (argparse names this function in its error: ``invalid port value``)."""
    number = int(text)
    if not 0 <= number <= 65535:
        raise ValueError(text)
    return number


def _program_name() -> str:
    """``newsroom`` when run as the command ``pip install`` made, else ``build.py``: usage lines name what was typed."""
    return "newsroom" if Path(sys.argv[0]).name == "newsroom" else "build.py"


def _parser(tr: Translator = i18n.ENGLISH) -> argparse.ArgumentParser:
    parser = _Parser(prog=_program_name(), description=tr(DESCRIPTION), translator=tr, raw=True)
    parser.add_argument(
        "--version", action="version", version=f"newsroom {__version__}", help=tr(_("show newsroom's version and exit"))
    )
    lang_help = tr(_("language of the messages: vi or en (default: NEWSROOM_LANG, else the site's language)"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=lang_help)
    commands = parser.add_subparsers(title=tr(_("commands")), metavar="COMMAND", dest="command")

    def add(name: str, help: Message, description: Message) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=tr(help), description=tr(description), translator=tr)
        sub.add_argument("--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS, help=lang_help)
        return sub

    def site_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--site",
            type=Path,
            default=Path("."),
            metavar="DIR",
            help=tr(_("folder with config.yaml and content/ (default: here)")),
        )

    b = add("build", _("build the site into SITE/output"), _("Build the whole site."))
    site_option(b)
    b.add_argument("--output", type=Path, metavar="DIR", help=tr(_("where to write the site (default: SITE/output)")))
    b.add_argument(
        "--base-url", metavar="URL", help=tr(_("override base_url from config.yaml, e.g. https://host/tin-tuc/"))
    )
    b.add_argument("--drafts", action="store_true", help=tr(_("include articles marked draft: true")))
    b.add_argument("--future", action="store_true", help=tr(_("include articles dated in the future")))
    b.add_argument("--strict", action="store_true", help=tr(_("treat warnings as errors")))
    b.add_argument(
        "--force", action="store_true", help=tr(_("replace an output folder that holds files newsroom did not write"))
    )
    b.add_argument(
        "--clean", action="store_true", help=tr(_("ignore the build cache (.cache/) and do all the work again"))
    )
    b.add_argument(
        "--no-search", dest="search", action="store_false", help=tr(_("skip the search index (quicker builds)"))
    )
    b.set_defaults(run=_run_build)

    c = add(
        "check",
        _("check every article without writing anything"),
        _(
            "Report every error and warning (front matter, links, images, URL clashes), "
            "and list drafts and articles scheduled for later. Exits 1 when there is an error."
        ),
    )
    site_option(c)
    c.add_argument("--strict", action="store_true", help=tr(_("treat warnings as errors")))
    c.set_defaults(run=_run_check)

    s = add(
        "serve",
        _("preview the site locally, rebuilding and refreshing the browser on every save"),
        _(
            "Build into .cache/preview/ (never output/), serve it at http://127.0.0.1:PORT/, "
            "watch content/, themes/, static/ and config.yaml, and reload open pages after each rebuild. "
            "Drafts and scheduled articles are shown, with a badge, unless --no-drafts / --no-future."
        ),
    )
    site_option(s)
    s.add_argument(
        "--host", default="127.0.0.1", help=tr(_("address to listen on (default: 127.0.0.1, this computer only)"))
    )
    s.add_argument("--port", type=port, default=8000, help=tr(_("port (default: 8000)")))
    s.add_argument(
        "--drafts", action=argparse.BooleanOptionalAction, default=True, help=tr(_("show drafts (default: yes)"))
    )
    s.add_argument(
        "--future",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=tr(_("show scheduled articles (default: yes)")),
    )
    s.add_argument("--open", action="store_true", help=tr(_("open the preview in the web browser")))
    s.add_argument(
        "--desk",
        action=argparse.BooleanOptionalAction,
        default=True,
        help=tr(
            _(
                "serve the desk (bàn biên tập) at /_desk/ to write and edit articles in the browser (default: yes; "
                "off loopback it needs a password in NEWSROOM_DESK_PASSWORD)"
            )
        ),
    )
    s.set_defaults(run=_run_serve)

    n = add(
        "new",
        _("start a new article with complete front matter"),
        _(
            "Write content/<year>/<slug>.md with the front matter filled in, as a draft (draft: true) "
            "with no text yet, and print its path. Never overwrites a file; warns when an article with the same "
            "title and date already exists."
        ),
    )
    n.add_argument("title", help=tr(_('the article\'s title, e.g. "Khai mạc lớp tập huấn công tác Dân vận"')))
    n.add_argument("--category", required=True, help=tr(_("one of the categories in config.yaml")))
    n.add_argument("--author", default="", help=tr(_("the writer's name")))
    n.add_argument("--source-unit", default="", help=tr(_("the office that filed it")))
    site_option(n)
    n.set_defaults(run=_run_new)

    i = add(
        "import",
        _("import articles exported from the old portal as plain text"),
        _(
            "Turn the old portal's .txt exports (category, title, 'Ngày đăng …' line, lead, body, "
            "byline) into content/<year>/<slug>.md articles. Folders are searched for *.txt files. Existing files "
            "are never overwritten and articles already in the site (same title, same day) are skipped. "
            "Exits 1 when any file could not be imported; the others are imported all the same."
        ),
    )
    i.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help=tr(_("export files (.txt) or folders holding them"))
    )
    site_option(i)
    i.add_argument("--dry-run", action="store_true", help=tr(_("write nothing; print what would be written")))
    i.set_defaults(run=_run_import)

    d = add(
        "deploy",
        _("build the site and bring the web host up to date with output/"),
        _(
            "Build the site (as build does), then upload to the host named in config.yaml's deploy list "
            "only what changed: photos and other files first, then pages, then feeds, then deletions. Files on the "
            "host that newsroom did not put there are never deleted; a deploy that was stopped is finished by running "
            "it again. Passwords come from the environment (NEWSROOM_DEPLOY_PASSWORD, AWS_SECRET_ACCESS_KEY), the SSH "
            "agent or keys, never from config.yaml."
        ),
    )
    site_option(d)
    d.add_argument(
        "--target", metavar="NAME", help=tr(_("which entry of config.yaml's deploy list (default: the first)"))
    )
    d.add_argument(
        "--dry-run", action="store_true", help=tr(_("list what would change on the host and change nothing"))
    )
    d.add_argument(
        "--no-build", dest="build", action="store_false", help=tr(_("deploy output/ as it is, without building"))
    )
    d.add_argument(
        "--watch",
        action="store_true",
        help=tr(_("keep running: build and deploy whenever a scheduled article comes due or a file changes")),
    )
    d.set_defaults(run=_run_deploy)
    return parser


_PROGRESS_LABELS = {
    "markdown": _("articles"),
    "articles": _("articles"),
    "pages": _("pages"),
    "photos": _("photos"),
    "upload": _("uploading"),
}


class _Progress:
    """Prints progress to the terminal only when a build takes more than a moment."""

    def __init__(self, tr: Translator = i18n.ENGLISH) -> None:
        self.started = time.monotonic()
        self.shown = False
        self.tr = tr

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "waiting":
            print(self.tr(_("another build is running; waiting for it to finish…")), file=sys.stderr)
            return
        if time.monotonic() - self.started < 1.0 or not sys.stderr.isatty():
            return
        label = _PROGRESS_LABELS.get(stage, stage)
        line = _("  {label}: {done}/{total}   ", label=label, done=done, total=total)
        print("\r" + self.tr(line), end="", file=sys.stderr, flush=True)
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            print("\r" + " " * 40 + "\r", end="", file=sys.stderr)


def _run_build(args: argparse.Namespace) -> int:
    tr = args.tr
    progress = _Progress(tr)
    options = BuildOptions(
        output=args.output,
        base_url=args.base_url,
        drafts=args.drafts,
        future=args.future,
        strict=args.strict,
        force=args.force,
        clean=args.clean,
        search=args.search,
    )
    try:
        report = build(args.site, options, progress)
    finally:
        progress.finish()
    _print_warnings(tr, report.warnings)
    print(tr(_build_summary(report, args.output or args.site / "output")))
    return 0


def _build_summary(report, output: Path) -> Message:
    """The line that ends a build: what was built and written, how long it took, how many warnings."""
    summary = _(
        "built {articles} into {pages} in {output} ({rendered}; files: {written}, {unchanged}, {removed}) "
        "in {seconds:.2f} s; {warnings}",
        articles=ngettext("{n} article", "{n} articles", report.articles),
        pages=ngettext("{n} page", "{n} pages", report.pages),
        output=output,
        rendered=ngettext("{n} page rendered", "{n} pages rendered", report.rendered),
        written=ngettext("{n} written", "{n} written", report.written),
        unchanged=ngettext("{n} unchanged", "{n} unchanged", report.unchanged),
        removed=ngettext("{n} removed", "{n} removed", report.removed),
        seconds=report.seconds,
        warnings=ngettext("{n} warning", "{n} warnings", len(report.warnings)),
    )
    if report.skipped:
        left_out = ngettext("{n} draft/scheduled left out", "{n} drafts/scheduled left out", len(report.skipped))
        summary = _("{summary}; {left_out}", summary=summary, left_out=left_out)
    return summary


def _print_warnings(tr: Translator, warnings: list, limit: int | None = MAX_WARNINGS_SHOWN) -> None:
    for line in shown_warnings(warnings, tr, limit):
        print(line, file=sys.stderr)


def _run_check(args: argparse.Namespace) -> int:
    tr = args.tr
    result = collect(args.site, BuildOptions(), check_unpublished=True)
    for error in result.errors:
        print(error.render(tr), file=sys.stderr)
    _print_warnings(tr, result.warnings, limit=None)
    for source, why in result.skipped:
        print(tr(_("{source}: not published yet: {why}", source=source, why=why)))
    failed = bool(result.errors) or (args.strict and bool(result.warnings))
    summary = _(
        "checked {articles}: {errors}, {warnings}, {skipped}",
        articles=ngettext("{n} article", "{n} articles", len(result.articles) + len(result.skipped)),
        errors=ngettext("{n} error", "{n} errors", len(result.errors)),
        warnings=ngettext("{n} warning", "{n} warnings", len(result.warnings)),
        skipped=ngettext("{n} draft/scheduled", "{n} drafts/scheduled", len(result.skipped)),
    )
    print(tr(summary if failed else _("{summary}; all good", summary=summary)))
    return 1 if failed else 0


def _run_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.site, args.host, args.port, args.drafts, args.future, args.open, args.desk, args.tr)


def _run_new(args: argparse.Namespace) -> int:
    from .scaffold import new_article

    tr = args.tr
    new = new_article(args.site, args.title, args.category, args.author, args.source_unit)
    for warning in new.warnings:
        print(warning.render(tr), file=sys.stderr)
    print(new.path)
    draft = _(
        "this article is a draft: write its text under the last '---' line, then change 'draft: true' to "
        "'draft: false' to publish it"
    )
    print(tr(draft), file=sys.stderr)
    return 0


def _run_import(args: argparse.Namespace) -> int:
    from .importer import import_paths

    tr = args.tr
    report = import_paths(args.site, args.paths, dry_run=args.dry_run)
    for item in report.imported:
        notes = _(" ({notes})", notes="; ".join(tr(note) for note in item.notes)) if item.notes else ""
        fields = {"source": item.source, "path": item.path, "notes": notes}
        done = (
            _("would write {source} → {path}{notes}", **fields)
            if args.dry_run
            else _("imported {source} → {path}{notes}", **fields)
        )
        print(tr(done))
        if args.dry_run:
            print(item.text)
    for item in report.skipped:
        print(tr(_("skipped {source}: already present as {existing}", source=item.source, existing=item.existing)))
    for error in report.failed:
        print(error.render(tr), file=sys.stderr)
    print(tr(report.summary()))
    return 1 if report.failed else 0


def _run_deploy(args: argparse.Namespace) -> int:
    from .config import load_config
    from .deploy import choose_target, deploy_output, watch

    tr = args.tr

    def say(line: str | Message | NewsroomError) -> None:
        print(line.render(tr) if isinstance(line, NewsroomError) else tr(line), flush=True)

    if args.watch:
        if not args.build:
            print(tr(_("error: --watch builds before every deploy; leave out --no-build")), file=sys.stderr)
            return 2
        choose_target(load_config(args.site), args.target)  # a wrong name stops here, not in the loop
        return watch(args.site, args.target, say, dry_run=args.dry_run)
    target = choose_target(load_config(args.site), args.target)
    if args.build:
        _run_build(argparse.Namespace(**{**_BUILD_DEFAULTS, "site": args.site, "tr": tr}))
    progress = _Progress(tr)
    try:
        report = deploy_output(
            args.site, args.site / "output", target, dry_run=args.dry_run, say=say, progress=progress
        )
    finally:
        progress.finish()
    if args.dry_run:
        for phase, files in report.plan.phases:
            for item in files:
                print(tr(_("  would upload ({phase}): {path}", phase=phase, path=item.path)))
        for path in report.plan.deletions:
            print(tr(_("  would delete: {path}", path=path)))
    print(tr(report.summary()))
    return 0


# What ``build`` does with no options: the deploy builds exactly the site ``build`` would.
_BUILD_DEFAULTS = {
    "output": None,
    "base_url": None,
    "drafts": False,
    "future": False,
    "strict": False,
    "force": False,
    "clean": False,
    "search": True,
}
