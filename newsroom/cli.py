"""The command line: ``build``, ``check``, ``serve``, ``new`` and ``import``; build.py and the installed ``newsroom``
command (pyproject.toml) only call ``main``.

Errors meant for people (``NewsroomError``) are printed with their own ``render()`` and exit 1;
anything else is a bug in newsroom and keeps its traceback. Ctrl-C, at any moment of any command,
ends it with one line and exit status 130.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

from . import __version__
from .build import BuildOptions, build, collect
from .errors import NewsroomError
from .output import MARKER

DESCRIPTION = """newsroom: build a Vietnamese district news site from Markdown articles.

Articles live in SITE/content/ as Markdown files with YAML front matter; config.yaml says the
site's title, address and sections. `build` writes the site to SITE/output/ (replaced in one
step, so a failed build never breaks the last good site)."""


def main(argv: list[str] | None = None) -> int:
    args = None
    with _CtrlC() as ctrl_c:
        try:
            parser = _parser()
            args = parser.parse_args(argv)
            if not getattr(args, "command", None):
                parser.print_help()
                return 2
            code = _run(args)
            return 130 if ctrl_c.pressed else code  # a command that stops on Ctrl-C by itself (serve)
        except KeyboardInterrupt:
            print(_stopped(args), file=sys.stderr)
            return 130


def _run(args: argparse.Namespace) -> int:
    try:
        return args.run(args)
    except NewsroomError as exc:
        print(exc.render(), file=sys.stderr)
        return 1
    except OSError as exc:  # the disk, not the content: full, read-only, no permission…
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"error: {exc.strerror or exc}{where}", file=sys.stderr)
        print("    hint: check free space and permissions of the site and output folders", file=sys.stderr)
        return 1


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


def _stopped(args: argparse.Namespace | None) -> str:
    """The one line printed after Ctrl-C: what state things were left in."""
    command = getattr(args, "command", None)
    line = "stopped (Ctrl-C)"
    if command == "build":
        output = args.output or args.site / "output"
        if (output / MARKER).is_file():
            line += f"; {output} holds a whole site, nothing half-written: build again to update it"
        else:
            line += f" before anything was written to {output}"
    elif command == "check":
        line += " before the check was finished"
    elif command == "import" and not args.dry_run:
        line += "; the articles imported so far are complete: run the same import again to finish it"
    elif command == "serve":
        line = "stopped the preview (Ctrl-C)"
    elif command == "deploy":
        line = (
            "stopped watching (Ctrl-C)"
            if args.watch
            else "stopped the deploy (Ctrl-C); the site online still works: run the same deploy again to finish it"
        )
    return ("\r" if sys.stderr.isatty() else "") + line  # over the terminal's "^C"


def _program_name() -> str:
    """``newsroom`` when run as the command ``pip install`` made, else ``build.py``: usage lines name what was typed."""
    return "newsroom" if Path(sys.argv[0]).name == "newsroom" else "build.py"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_program_name(), description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"newsroom {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")

    def site_option(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--site",
            type=Path,
            default=Path("."),
            metavar="DIR",
            help="folder with config.yaml and content/ (default: here)",
        )

    b = commands.add_parser("build", help="build the site into SITE/output", description="Build the whole site.")
    site_option(b)
    b.add_argument("--output", type=Path, metavar="DIR", help="where to write the site (default: SITE/output)")
    b.add_argument("--base-url", metavar="URL", help="override base_url from config.yaml, e.g. https://host/tin-tuc/")
    b.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    b.add_argument("--future", action="store_true", help="include articles dated in the future")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument(
        "--force", action="store_true", help="replace an output folder that holds files newsroom did not write"
    )
    b.add_argument("--clean", action="store_true", help="ignore the build cache (.cache/) and do all the work again")
    b.add_argument("--no-search", dest="search", action="store_false", help="skip the search index (quicker builds)")
    b.set_defaults(run=_run_build)

    c = commands.add_parser(
        "check",
        help="check every article without writing anything",
        description="Report every error and warning (front matter, links, images, URL clashes), "
        "and list drafts and articles scheduled for later. Exits 1 when there is an error.",
    )
    site_option(c)
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
    c.set_defaults(run=_run_check)

    s = commands.add_parser(
        "serve",
        help="preview the site locally, rebuilding and refreshing the browser on every save",
        description="Build into .cache/preview/ (never output/), serve it at http://127.0.0.1:PORT/, "
        "watch content/, themes/, static/ and config.yaml, and reload open pages after each rebuild. "
        "Drafts and scheduled articles are shown, with a badge, unless --no-drafts / --no-future.",
    )
    site_option(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    s.add_argument("--drafts", action=argparse.BooleanOptionalAction, default=True, help="show drafts (default: yes)")
    s.add_argument(
        "--future", action=argparse.BooleanOptionalAction, default=True, help="show scheduled articles (default: yes)"
    )
    s.add_argument("--open", action="store_true", help="open the preview in the web browser")
    s.add_argument(
        "--desk",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="serve the desk (bàn biên tập) at /_desk/ to write and edit articles in the browser (default: yes; "
        "off loopback it needs a password in NEWSROOM_DESK_PASSWORD)",
    )
    s.set_defaults(run=_run_serve)

    n = commands.add_parser(
        "new",
        help="start a new article with complete front matter",
        description="Write content/<year>/<slug>.md with the front matter filled in, as a draft (draft: true) "
        "with no text yet, and print its path. Never overwrites a file; warns when an article with the same "
        "title and date already exists.",
    )
    n.add_argument("title", help='the article\'s title, e.g. "Khai mạc lớp tập huấn công tác Dân vận"')
    n.add_argument("--category", required=True, help="one of the categories in config.yaml")
    n.add_argument("--author", default="", help="the writer's name")
    n.add_argument("--source-unit", default="", help="the office that filed it")
    site_option(n)
    n.set_defaults(run=_run_new)

    i = commands.add_parser(
        "import",
        help="import articles exported from the old portal as plain text",
        description="Turn the old portal's .txt exports (category, title, 'Ngày đăng …' line, lead, body, "
        "byline) into content/<year>/<slug>.md articles. Folders are searched for *.txt files. Existing files "
        "are never overwritten and articles already in the site (same title, same day) are skipped. "
        "Exits 1 when any file could not be imported; the others are imported all the same.",
    )
    i.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="export files (.txt) or folders holding them")
    site_option(i)
    i.add_argument("--dry-run", action="store_true", help="write nothing; print what would be written")
    i.set_defaults(run=_run_import)

    d = commands.add_parser(
        "deploy",
        help="build the site and bring the web host up to date with output/",
        description="Build the site (as build does), then upload to the host named in config.yaml's deploy list "
        "only what changed: photos and other files first, then pages, then feeds, then deletions. Files on the host "
        "that newsroom did not put there are never deleted; a deploy that was stopped is finished by running it "
        "again. Passwords come from the environment (NEWSROOM_DEPLOY_PASSWORD, AWS_SECRET_ACCESS_KEY), the SSH "
        "agent or keys, never from config.yaml.",
    )
    site_option(d)
    d.add_argument("--target", metavar="NAME", help="which entry of config.yaml's deploy list (default: the first)")
    d.add_argument("--dry-run", action="store_true", help="list what would change on the host and change nothing")
    d.add_argument("--no-build", dest="build", action="store_false", help="deploy output/ as it is, without building")
    d.add_argument(
        "--watch",
        action="store_true",
        help="keep running: build and deploy whenever a scheduled article comes due or a file changes",
    )
    d.set_defaults(run=_run_deploy)
    return parser


class _Progress:
    """Prints progress to the terminal only when a build takes more than a moment."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage == "waiting":
            print("another build is running; waiting for it to finish…", file=sys.stderr)
            return
        if time.monotonic() - self.started < 1.0 or not sys.stderr.isatty():
            return
        label = {"markdown": "articles", "pages": "pages"}.get(stage, stage)
        print(f"\r  {label}: {done}/{total}   ", end="", file=sys.stderr, flush=True)
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            print("\r" + " " * 40 + "\r", end="", file=sys.stderr)


def _run_build(args: argparse.Namespace) -> int:
    progress = _Progress()
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
    _print_warnings(report.warnings)
    output = args.output or args.site / "output"
    print(
        f"built {report.articles} articles into {report.pages} pages in {output} "
        f"({report.rendered} pages rendered; files: {report.written} written, {report.unchanged} unchanged, "
        f"{report.removed} removed) "
        f"in {report.seconds:.2f} s; {len(report.warnings)} warning{'s' if len(report.warnings) != 1 else ''}"
        + (f"; {len(report.skipped)} drafts/scheduled left out" if report.skipped else "")
    )
    return 0


MAX_WARNINGS_SHOWN = 20


def _print_warnings(warnings: list, limit: int | None = MAX_WARNINGS_SHOWN) -> None:
    for warning in warnings[:limit]:
        print(warning.render(), file=sys.stderr)
    if limit is not None and len(warnings) > limit:
        print(
            f"… and {len(warnings) - limit} more warnings: run  python build.py check  to see them all", file=sys.stderr
        )


def _run_check(args: argparse.Namespace) -> int:
    result = collect(args.site, BuildOptions(), check_unpublished=True)
    for error in result.errors:
        print(error.render(), file=sys.stderr)
    _print_warnings(result.warnings, limit=None)
    for source, why in result.skipped:
        print(f"{source}: not published yet: {why}")
    failed = bool(result.errors) or (args.strict and bool(result.warnings))
    print(
        f"checked {len(result.articles) + len(result.skipped)} articles: {len(result.errors)} errors, "
        f"{len(result.warnings)} warnings, {len(result.skipped)} drafts/scheduled" + ("" if failed else "; all good")
    )
    return 1 if failed else 0


def _run_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.site, args.host, args.port, args.drafts, args.future, args.open, args.desk)


def _run_new(args: argparse.Namespace) -> int:
    from .scaffold import new_article

    new = new_article(args.site, args.title, args.category, args.author, args.source_unit)
    for warning in new.warnings:
        print(warning.render(), file=sys.stderr)
    print(new.path)
    print(
        "this article is a draft: write its text under the last '---' line, then change 'draft: true' to "
        "'draft: false' to publish it",
        file=sys.stderr,
    )
    return 0


def _run_import(args: argparse.Namespace) -> int:
    from .importer import import_paths

    report = import_paths(args.site, args.paths, dry_run=args.dry_run)
    for item in report.imported:
        notes = f" ({'; '.join(item.notes)})" if item.notes else ""
        print(f"{'would write' if args.dry_run else 'imported'} {item.source} → {item.path}{notes}")
        if args.dry_run:
            print(item.text)
    for item in report.skipped:
        print(f"skipped {item.source}: already present as {item.existing}")
    for error in report.failed:
        print(error.render(), file=sys.stderr)
    print(report.summary())
    return 1 if report.failed else 0


def _run_deploy(args: argparse.Namespace) -> int:
    from .config import load_config
    from .deploy import choose_target, deploy_output, watch

    def say(line: str) -> None:
        print(line, flush=True)

    if args.watch:
        if not args.build:
            print("error: --watch builds before every deploy; leave out --no-build", file=sys.stderr)
            return 2
        choose_target(load_config(args.site), args.target)  # a wrong name stops here, not in the loop
        return watch(args.site, args.target, say, dry_run=args.dry_run)
    target = choose_target(load_config(args.site), args.target)
    if args.build:
        _run_build(argparse.Namespace(**{**_BUILD_DEFAULTS, "site": args.site}))
    progress = _Progress()
    try:
        report = deploy_output(
            args.site, args.site / "output", target, dry_run=args.dry_run, say=say, progress=progress
        )
    finally:
        progress.finish()
    if args.dry_run:
        for phase, files in report.plan.phases:
            for item in files:
                print(f"  would upload ({phase}): {item.path}")
        for path in report.plan.deletions:
            print(f"  would delete: {path}")
    print(report.summary())
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
