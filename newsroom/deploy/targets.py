"""The targets that switch the whole site in one step: a folder on this machine, and a git branch.

Each target, these and ``rclone.RcloneTarget``, is a small class with the same few methods:
``read`` (newsroom's own record), ``list`` (what is there), ``put``, ``write``, ``delete`` and
``commit``. Here ``put`` and ``delete`` prepare the next tree, and ``commit`` makes it live at
once: the folder by an atomic exchange (``output.py``'s, as ``output/`` is switched), the branch
by one push. A deploy stopped before that leaves the site as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config import DeployTarget
from ..i18n import Text, _, os_error_text
from ..output import _precious, _swap
from .errors import DeployError, redact
from .plan import LocalFile


class FileTarget:
    """A folder on this machine (nginx's root, a mounted share): rebuilt beside itself and exchanged.

    The next tree is made of hard links to the live one (files newsroom never wrote included),
    with new and changed files copied in and deleted ones left out; one exchange-rename swaps
    the two folders, so the web server sees the old site or the new one, never a mixture.
    """

    atomic = True

    def __init__(self, target: DeployTarget, site_dir: Path):
        self.target = target
        self.root = Path(unquote(urlsplit(target.url).path).rstrip("/"))
        self.staging = self.root.parent / f".{self.root.name}.newsroom-staging"
        self.site_dir = site_dir
        self._begun = False

    def __enter__(self) -> FileTarget:
        found = _precious(self.root.resolve(), self.site_dir.resolve())
        if found is not None:
            relation, what = found
            raise DeployError(
                _(
                    "refusing to deploy to {folder}: it {relation} {what}",
                    folder=self.root,
                    relation=relation,
                    what=what,
                ),
                _("deploy to a folder that holds only the web site, e.g. file:///var/www/portal/"),
            )
        output = (self.site_dir / "output").resolve()
        root = self.root.resolve()
        if root == output or output in root.parents or root in output.parents:
            raise DeployError(
                _("refusing to deploy to {folder}: it is the build's own output folder, or holds it", folder=self.root),
                _("deploy to the folder the web server serves, e.g. file:///var/www/portal/"),
            )
        if not self.root.parent.is_dir():
            raise DeployError(
                _("the folder {folder} does not exist", folder=self.root.parent), _("create it, or correct the url")
            )
        if self.root.exists() and not self.root.is_dir():
            raise DeployError(
                _("{folder} is a file, not a folder", folder=self.root), _("correct the url in config.yaml")
            )
        return self

    def __exit__(self, *exc) -> None:
        if self.staging.exists():  # an unfinished next tree: never half-used, so simply dropped
            shutil.rmtree(self.staging, ignore_errors=True)

    def read(self, name: str) -> bytes | None:
        try:
            return (self.root / name).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def list(self) -> dict[str, int]:
        if not self.root.is_dir():
            return {}
        return {
            p.relative_to(self.root).as_posix(): p.stat().st_size
            for p in self.root.rglob("*")
            if p.is_file() and not p.is_symlink()
        }

    def put(self, files: list[LocalFile], source: Path) -> None:
        self._begin()
        for item in files:
            target = self.staging / item.path
            _clear_way(self.staging, item.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                target.unlink()  # a hard link to the live file: never write into it
            shutil.copyfile(source / item.path, target)

    def write(self, name: str, data: bytes) -> None:
        self._begin()
        target = self.staging / name
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        target.write_bytes(data)

    def delete(self, paths: list[str]) -> None:
        self._begin()
        for path in paths:
            with contextlib.suppress(FileNotFoundError, NotADirectoryError, IsADirectoryError):
                (self.staging / path).unlink()
            for parent in Path(path).parents:
                if str(parent) == ".":
                    break
                try:
                    (self.staging / parent).rmdir()  # refused while anything is still in it
                except OSError:
                    break

    def remove_partials(self, paths: set[str]) -> int:
        return 0  # never any: the next tree is dropped whole when a deploy stops

    def commit(self, message: str) -> None:
        if not self._begun:
            return
        try:
            _swap(self.staging, self.root)
        except OSError as exc:
            raise DeployError(
                _(
                    "could not switch {folder} to the new site: {problem}",
                    folder=self.root,
                    problem=os_error_text(exc),
                ),
                _(
                    "newsroom replaces the folder in one step, which needs permission to write in {parent} "
                    "and the folder and its parent on one disk",
                    parent=self.root.parent,
                ),
            ) from None
        shutil.rmtree(self.staging, ignore_errors=True)  # now the old tree
        self._begun = False

    def _begin(self) -> None:
        """Start the next tree as hard links to the live one."""
        if self._begun:
            return
        if self.staging.exists():
            shutil.rmtree(self.staging)
        if self.root.is_dir():
            shutil.copytree(self.root, self.staging, symlinks=True, copy_function=os.link)
            shutil.copystat(self.root, self.staging)
        else:
            self.staging.mkdir()
        self._begun = True


def _clear_way(root: Path, rel: str) -> None:
    """A file where a folder of ``rel`` must go (or a folder where the file goes) is ours to replace."""
    parts = rel.split("/")
    for i in range(1, len(parts)):
        here = root.joinpath(*parts[:i])
        if here.is_file() or here.is_symlink():
            here.unlink()
            return
    if (root / rel).is_dir() and not (root / rel).is_symlink():
        shutil.rmtree(root / rel)


class GitTarget:
    """A branch that a host publishes (GitHub or GitLab Pages): one commit per deploy, one push.

    A bare repository under ``SITE/.cache/deploy/`` fetches the branch; a private index starts as
    the branch's tree (files newsroom never wrote included), uploads become blobs, deletions leave
    the index, and the commit is pushed without force: if someone else pushed meanwhile, deploy
    stops and says so. The push is one step for readers. Credentials are git's own (an SSH key,
    a credential helper).
    """

    atomic = True

    def __init__(self, target: DeployTarget, site_dir: Path):
        self.target = target
        self.url = target.url[len("git+") :]
        self.branch = target.branch or "gh-pages"
        self.repo = site_dir / ".cache" / "deploy" / f"{target.name}.git"
        self.index = self.repo / "newsroom-index"
        self.head: str | None = None
        self.env = {
            **os.environ,
            "GIT_DIR": str(self.repo),
            "GIT_INDEX_FILE": str(self.index),
            "GIT_TERMINAL_PROMPT": "0",  # never wait for a password nobody will type
            "GIT_AUTHOR_NAME": os.environ.get("GIT_AUTHOR_NAME", "newsroom deploy"),
            "GIT_AUTHOR_EMAIL": os.environ.get("GIT_AUTHOR_EMAIL", "newsroom@localhost"),
            "GIT_COMMITTER_NAME": os.environ.get("GIT_COMMITTER_NAME", "newsroom deploy"),
            "GIT_COMMITTER_EMAIL": os.environ.get("GIT_COMMITTER_EMAIL", "newsroom@localhost"),
        }

    def __enter__(self) -> GitTarget:
        if shutil.which("git") is None:
            raise DeployError(_("git is not installed"), _("install git to deploy to a Pages branch"))
        if not (self.repo / "HEAD").is_file():
            self.repo.mkdir(parents=True, exist_ok=True)
            self._git("init", "--bare", "-q", str(self.repo))
        ref = f"refs/remotes/target/{self.branch}"
        fetched = self._git(
            "fetch", "-q", "--no-tags", "--depth=1", self.url, f"+refs/heads/{self.branch}:{ref}", check=False
        )
        if fetched.returncode != 0:
            if "couldn't find remote ref" not in fetched.stderr.lower():
                raise self._failed(_("fetch the branch from"), fetched.stderr)
            self.head = None  # the first deploy creates the branch
        else:
            self.head = self._git("rev-parse", ref).stdout.strip()
        if self.head:
            self._git("read-tree", self.head)
        else:
            self._git("read-tree", "--empty")
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.index.unlink()

    def read(self, name: str) -> bytes | None:
        if not self.head:
            return None
        found = subprocess.run(
            ["git", "cat-file", "blob", f"{self.head}:{name}"], env=self.env, capture_output=True, check=False
        )
        return found.stdout if found.returncode == 0 else None

    def list(self) -> dict[str, int]:
        if not self.head:
            return {}
        listing = self._git("ls-tree", "-r", "-l", "-z", self.head).stdout
        files = {}
        for entry in filter(None, listing.split("\0")):
            meta, _unused, path = entry.partition("\t")
            size = meta.split()[3]
            files[path] = int(size) if size.isdigit() else 0
        return files

    def put(self, files: list[LocalFile], source: Path) -> None:
        if not files:
            return
        paths = "\n".join(str(source / item.path) for item in files) + "\n"
        blobs = self._git("hash-object", "-w", "--stdin-paths", input=paths).stdout.split()
        self._index([f"100644 {blob}\t{item.path}" for item, blob in zip(files, blobs, strict=True)])

    def write(self, name: str, data: bytes) -> None:
        blob = subprocess.run(
            ["git", "hash-object", "-w", "--stdin"], input=data, env=self.env, capture_output=True, check=True
        )
        self._index([f"100644 {blob.stdout.decode().strip()}\t{name}"])

    def delete(self, paths: list[str]) -> None:
        self._index([f"0 {'0' * 40}\t{path}" for path in paths])

    def remove_partials(self, paths: set[str]) -> int:
        return 0

    def commit(self, message: str) -> None:
        if not self._git("ls-files", "--cached", "--", ".nojekyll").stdout.strip():
            self.write(".nojekyll", b"")  # GitHub Pages would otherwise run Jekyll over the site
        tree = self._git("write-tree").stdout.strip()
        if self.head and tree == self._git("rev-parse", f"{self.head}^{{tree}}").stdout.strip():
            return
        parents = ["-p", self.head] if self.head else []
        commit = self._git("commit-tree", tree, *parents, "-m", message).stdout.strip()
        pushed = self._git("push", "-q", self.url, f"{commit}:refs/heads/{self.branch}", check=False)
        if pushed.returncode != 0:
            text = pushed.stderr.lower()
            if "rejected" in text or "fetch first" in text or "non-fast-forward" in text:
                raise DeployError(
                    _(
                        "the branch '{branch}' of {target} changed while we deployed (someone else pushed)",
                        branch=self.branch,
                        target=self.target.name,
                    ),
                    _("run deploy again: it starts from the branch as it is now"),
                )
            raise self._failed(_("push to"), pushed.stderr)
        self.head = commit

    def _index(self, lines: list[str]) -> None:
        if lines:
            self._git("update-index", "-z", "--index-info", input="".join(line + "\0" for line in lines))

    def _git(self, *args: str, input: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(
            ["git", *args], env=self.env, input=input, capture_output=True, text=True, check=False, timeout=600
        )
        if check and done.returncode != 0:
            raise self._failed(_("run git {command} for", command=args[0]), done.stderr)
        return done

    def _failed(self, action: Text, stderr: str) -> DeployError:
        message = redact(" ".join(stderr.split())[-400:], [urlsplit(self.url).password or ""])
        lowered = message.lower()
        if "permission denied" in lowered or "authentication" in lowered or "could not read username" in lowered:
            hint = _("check git's access to the repository: an SSH key the host knows, or git's credential helper")
        elif "could not resolve" in lowered or "unable to access" in lowered or "connection" in lowered:
            hint = _("check the url in config.yaml and the network")
        else:
            hint = _("check the url and branch in config.yaml")
        where = f"{self.target.name} ({self.target.url})"
        return DeployError(
            _("could not {action} {where}: {problem}", action=action, where=where, problem=message), hint
        )
