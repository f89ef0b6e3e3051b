"""``deploy --watch``: keep the site online up to date, and publish scheduled articles on time.

The build knows when time alone will next change the site (the next scheduled article's date),
so the loop sleeps until then, or until a source file changes, then builds and deploys. The
clock is a parameter: tests drive the loop with a clock whose hours pass at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from ..build import BuildOptions, BuildReport, build
from ..cache import cache_dir, load_meta
from ..config import load_config
from ..errors import NewsroomError
from ..i18n import Message, Text, _, ngettext
from .run import DeployReport, choose_target, deploy_output

MARGIN = timedelta(seconds=1)  # wake just after an article's time, so the build counts it as published
LONGEST_NAP = 60.0  # seconds; waking now and then keeps a suspended laptop or a changed clock honest
RETRY = (30.0, 900.0)  # after a failed deploy: first wait, longest wait (seconds)
CTRL_C_SLICE = 0.25  # seconds: the longest a Ctrl-C can go unnoticed while the loop sleeps (SystemClock.wait)


class Clock(Protocol):
    def now(self) -> datetime: ...

    def wait(self, event: threading.Event, seconds: float) -> bool:
        """Sleep up to ``seconds``; True as soon as ``event`` is set."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now().astimezone()

    def wait(self, event: threading.Event, seconds: float) -> bool:
        # In short slices, never in one wait of up to a minute: Python runs the Ctrl-C handler (cli._CtrlC)
        # between bytecodes, and a SIGINT that lands just before the wait has entered the kernel (or on
        # another thread) does not interrupt it, so one long wait would act on that Ctrl-C only when it
        # ended, 30-60 s later. Each slice ends in Python, where the pending handler then raises.
        end = time.monotonic() + max(0.0, seconds)
        while not event.wait(min(max(0.0, end - time.monotonic()), CTRL_C_SLICE)):
            if time.monotonic() >= end:
                return False
        return True


class _Signal:
    """What the file watcher calls: any relevant change sets the event (the loop then lets the burst settle)."""

    def __init__(self, event: threading.Event):
        self.event = event

    def add(self, path: str) -> None:
        self.event.set()


def watch(
    site_dir: Path,
    target_name: str | None,
    say: Callable[[Text | NewsroomError], None],
    clock: Clock | None = None,
    watch_files: bool = True,
    dry_run: bool = False,
    rounds: int | None = None,
    on_round: Callable[[datetime, BuildReport | None, DeployReport | None], None] | None = None,
) -> int:
    """Build and deploy now, then again whenever an article comes due or a source changes; until Ctrl-C.

    ``rounds`` (tests) stops after that many build-and-deploy rounds. ``say`` is handed Messages and, when a round
    fails, the error itself: the command line renders both in its language.
    """
    clock = clock or SystemClock()
    changed = threading.Event()
    observer = None
    if watch_files:
        from ..serve import start_watching

        observer = start_watching(site_dir, _Signal(changed), say)  # type: ignore[arg-type]
    output = site_dir / "output"
    due: datetime | None = None
    failures = 0
    done = 0
    try:
        while True:
            changed.clear()
            now = clock.now()
            built, deployed, next_change = _round(site_dir, output, target_name, now, dry_run, say)
            due = next_change if built is not None else due
            failures = 0 if deployed is not None else failures + 1
            done += 1
            if on_round is not None:
                on_round(now, built, deployed)
            if rounds is not None and done >= rounds:
                return 0
            retry = None if failures == 0 else min(RETRY[0] * 2 ** (failures - 1), RETRY[1])
            say(_waiting(due, retry))
            _sleep(clock, changed, due, retry, watch_files)
    finally:
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)


def _round(site_dir: Path, output: Path, target_name: str | None, now: datetime, dry_run: bool, say):
    """One build and deploy; problems are said and the loop goes on (the next save or retry fixes them)."""
    try:
        config = load_config(site_dir)
        target = choose_target(config, target_name)
        built = build(site_dir, BuildOptions(now=now.astimezone(config.tz)))
    except NewsroomError as exc:
        say(exc)  # the edge renders it in the command's language
        return None, None, None
    say(
        ngettext(
            "built {n} article ({written} files written, {removed} removed){warnings}",
            "built {n} articles ({written} files written, {removed} removed){warnings}",
            built.articles,
            written=str(built.written),
            removed=str(built.removed),
            warnings=ngettext(
                "; {n} warning: run  python build.py check  to see it",
                "; {n} warnings: run  python build.py check  to see them",
                len(built.warnings),
            )
            if built.warnings
            else "",
        )
    )
    last = load_meta(cache_dir(site_dir, output)).last_build or {}
    next_change = last.get("next_change")
    if next_change is not None and next_change.year >= 9999:
        next_change = None  # nothing scheduled
    try:
        deployed = deploy_output(site_dir, output, target, dry_run=dry_run, say=say)
    except NewsroomError as exc:
        say(exc)  # the edge renders it in the command's language
        return built, None, next_change
    say(deployed.summary())
    return built, deployed, next_change


def _waiting(due: datetime | None, retry: float | None) -> Message:
    scheduled = _("; next scheduled article at {when}", when=f"{due:%Y-%m-%d %H:%M}") if due is not None else ""
    again = _("; trying the deploy again in {seconds} s", seconds=f"{retry:.0f}") if retry is not None else ""
    return _("watching for changes{scheduled}{again} (Ctrl-C to stop)", scheduled=scheduled, again=again)


def _sleep(clock: Clock, changed: threading.Event, due: datetime | None, retry: float | None, settle: bool) -> None:
    """Until the next article is due, a retry is due, or a source changed (then until the saves settle)."""
    retry_at = clock.now() + timedelta(seconds=retry) if retry is not None else None
    wake = min((t for t in (due + MARGIN if due else None, retry_at) if t is not None), default=None)
    while True:
        left = (wake - clock.now()).total_seconds() if wake is not None else LONGEST_NAP
        if wake is not None and left <= 0:
            return
        if clock.wait(changed, min(left, LONGEST_NAP)):
            if settle:
                _settle(changed)
            return


def _settle(changed: threading.Event, quiet: float = 0.5, longest: float = 5.0) -> None:
    """Let a burst of saves (an editor's temp file and rename, a git checkout) finish before building."""
    started = time.monotonic()
    while time.monotonic() - started < longest:
        changed.clear()
        if not changed.wait(quiet):
            return
