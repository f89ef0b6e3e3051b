"""One deploy: pick the target, compare ``output/`` with its record, move the differences in order.

    output/ ──scan (hash; unchanged files by size+mtime+inode)──► {path: hash}
    target ──read──► .newsroom-deploy.json (+ an unfinished deploy's paths)
         └──► plan: assets, new pages, pages, listings, deletions ──► record written last

The build lock of ``output/`` is held throughout, so a build started meanwhile waits instead of
swapping the folder being uploaded.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..config import Config, DeployTarget
from ..i18n import Message, Text, _, ngettext
from ..output import MARKER, BuildLock, interrupted
from .errors import DeployError
from .plan import MANIFEST, OWN_FILES, PENDING, Plan, make_plan, manifest_bytes, pending_bytes, read_record, scan_output
from .rclone import RcloneTarget
from .targets import FileTarget, GitTarget

Say = Callable[[Text], None]


@dataclass
class DeployReport:
    """What a deploy did (or, with ``dry_run``, would do), for the closing summary."""

    target: DeployTarget
    plan: Plan
    dry_run: bool
    seconds: float = 0.0
    recovered: bool = False  # an interrupted deploy was found and finished
    partials_removed: int = 0

    @property
    def uploaded(self) -> int:
        return len(self.plan.uploads)

    @property
    def deleted(self) -> int:
        return len(self.plan.deletions)

    def summary(self) -> Message:
        target = f"{self.target.name} ({self.target.url})"
        size = human_bytes(self.plan.upload_bytes)
        counts = {"skipped": str(self.plan.skipped), "deleted": str(self.deleted)}
        if self.dry_run:
            return ngettext(
                "dry run, nothing was changed on {target}: would upload {n} file ({size}), "
                "leave {skipped} unchanged, delete {deleted}",
                "dry run, nothing was changed on {target}: would upload {n} files ({size}), "
                "leave {skipped} unchanged, delete {deleted}",
                self.uploaded,
                target=target,
                size=size,
                **counts,
            )
        done = ngettext(
            "deployed to {target}: {n} file uploaded ({size}), {skipped} unchanged, {deleted} deleted in {seconds:.1f} s",
            "deployed to {target}: {n} files uploaded ({size}), {skipped} unchanged, {deleted} deleted in {seconds:.1f} s",
            self.uploaded,
            target=target,
            size=size,
            seconds=self.seconds,
            **counts,
        )
        if self.recovered:
            return _("{summary}; an interrupted deploy was completed", summary=done)
        return done


def human_bytes(count: int) -> Message:
    """A size for the summary line, in the reader's language when shown (``31.9 KB``; ``31,9 KB``)."""
    if count < 1024:
        return ngettext("{n} byte", "{n} bytes", count)
    size = count / 1024
    if size < 1024:
        return _("{size:.1f} KB", size=size)
    size /= 1024
    if size < 1024:
        return _("{size:.1f} MB", size=size)
    return _("{size:.1f} GB", size=size / 1024)


def choose_target(config: Config, name: str | None) -> DeployTarget:
    """The target named on the command line, else the first of config.yaml's ``deploy:`` list."""
    if not config.deploy:
        raise DeployError(
            _("config.yaml names no place to deploy to"),
            _(
                'add a deploy list, e.g.\n  deploy:\n    - {{name: web, url: "sftp://deploy@10.0.0.5/var/www/portal/"}}\n'
                "    (see 'Deploying' in README.md)"
            ),
        )
    if name is None:
        return config.deploy[0]
    for target in config.deploy:
        if target.name == name:
            return target
    names = [t.name for t in config.deploy]
    close = difflib.get_close_matches(name, names, n=1)
    raise DeployError(
        _("config.yaml has no deploy target named '{name}'", name=name),
        _("did you mean '{name}'?", name=close[0]) if close else _("the targets are: {names}", names=", ".join(names)),
    )


def open_target(target: DeployTarget, site_dir: Path):
    """The class that speaks the target's protocol."""
    if target.scheme == "file":
        return FileTarget(target, site_dir)
    if target.scheme == "git":
        return GitTarget(target, site_dir)
    return RcloneTarget(target, site_dir)


def deploy_output(
    site_dir: Path,
    output: Path,
    target: DeployTarget,
    dry_run: bool = False,
    say: Say = print,
    progress: Callable[[str, int, int], None] | None = None,
) -> DeployReport:
    """Bring ``target`` up to date with ``output/``: only the differences, in an order readers never notice."""
    started = time.perf_counter()
    if not (output / MARKER).is_file() or interrupted(output):
        raise DeployError(
            _("{output} holds no finished build to deploy", output=output),
            _("build first (python build.py build), or run deploy without --no-build"),
        )
    state = site_dir / ".cache" / "deploy"
    with BuildLock(output, on_wait=lambda: say(_("a build is writing the site; waiting for it to finish…"))):
        hashes = _load_hashes(state)
        local = scan_output(output, hashes)
        if not dry_run:
            _save_hashes(state, hashes)
        running = state / f"{target.name}.running"  # left behind by a deploy that was killed
        with open_target(target, site_dir) as remote:
            if progress is not None:
                remote.progress = lambda done, total: progress("upload", done, total)
            record = read_record(remote.read(MANIFEST), None if remote.atomic else remote.read(PENDING))
            if record.damaged:
                say(
                    _(
                        "warning: newsroom's record on {target} ({record}) is damaged: every file is uploaded "
                        "again, and none deleted",
                        target=target.name,
                        record=MANIFEST,
                    )
                )
            plan = make_plan(local, record)
            report = DeployReport(target, plan, dry_run)
            if dry_run:
                return report
            recovering = bool(record.unfinished) or running.exists()
            if not plan.changes and not recovering and record.deploy_id:
                report.seconds = time.perf_counter() - started
                return report
            state.mkdir(parents=True, exist_ok=True)
            running.touch()
            _apply(remote, plan, record.unfinished, output, report, recovering)
            running.unlink()
            report.recovered = recovering
    report.seconds = time.perf_counter() - started
    return report


def _apply(remote, plan: Plan, unfinished: set[str], output: Path, report: DeployReport, recovering: bool) -> None:
    """Move the plan to the target: record the intent, upload by phase, delete, then the record."""
    deploy_id = uuid.uuid4().hex
    pending = {item.path for item in plan.uploads} | unfinished
    if not remote.atomic and pending:
        remote.write(PENDING, pending_bytes(pending, deploy_id))
    for _phase, files in plan.phases:
        remote.put(files, output)
    remote.delete(plan.deletions)
    if recovering:
        ours = set(plan.manifest) | unfinished | set(plan.deletions) | set(OWN_FILES)
        report.partials_removed = remote.remove_partials(ours)
    remote.write(MANIFEST, manifest_bytes(plan.manifest, deploy_id))
    if not remote.atomic:
        remote.delete([PENDING])
    remote.commit(
        f"newsroom deploy: {len(plan.uploads)} files uploaded, {len(plan.deletions)} deleted, {plan.skipped} unchanged"
    )


def _load_hashes(state: Path) -> dict[str, tuple]:
    with contextlib.suppress(OSError, ValueError):
        data = json.loads((state / "hashes.json").read_text())
        if isinstance(data, dict):
            return {k: tuple(v) for k, v in data.items() if isinstance(v, list) and len(v) == 4}
    return {}


def _save_hashes(state: Path, hashes: dict[str, tuple]) -> None:
    """Kept so the next deploy hashes only the files a build rewrote; losing it only costs time."""
    with contextlib.suppress(OSError):
        state.mkdir(parents=True, exist_ok=True)
        temporary = state / "hashes.json.tmp"
        temporary.write_text(json.dumps(hashes, separators=(",", ":")))
        temporary.replace(state / "hashes.json")
