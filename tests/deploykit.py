"""Real servers on 127.0.0.1 for deploy tests, and helpers to compare what they hold with output/.

``rclone serve sftp|ftp|s3`` (the rclone that requirements.txt installs) serves a folder of the
test's own; a bare git repository stands for a Pages branch. Each server runs on a free loopback
port, dies with the test process (``setpriv --pdeathsig``) and in any case after 15 minutes
(``timeout``), and is stopped by its fixture's finaliser.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from newsroom.deploy.rclone import find_rclone

USER = "deploy"
PASSWORD = "s3cr3t-Pa55-w0rd-xyz"  # must appear in no output
ACCESS_KEY = "NEWSROOMTESTKEY"
SECRET_KEY = "s3cr3t-S3-key-abcdefghij"
FOREIGN = {"CNAME": b"tin-tuc.example\n", ".well-known/security.txt": b"Contact: mailto:x@example.test\n"}
FOREIGN_OLD = {"tin-cu/index.html": b"<p>trang cu</p>\n", "tin-cu/anh/a.jpg": b"\xff\xd8old"}


@dataclass
class Server:
    """A running test server: where its files live on disk, the url config.yaml gives, the deploy's environment."""

    kind: str
    root: Path  # the folder the target url points at, on this machine's disk
    url: str
    env: dict[str, str] = field(default_factory=dict)
    endpoint: str = ""
    process: subprocess.Popen | None = None

    def target(self, name: str = "web") -> dict:
        entry = {"name": name, "url": self.url}
        if self.endpoint:
            entry["endpoint"] = self.endpoint
        return entry

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(kind: str, tmp: Path) -> Server:
    """An SFTP, FTP or S3 server (rclone serve) on 127.0.0.1, or a bare git repository, or a plain folder."""
    tmp.mkdir(parents=True, exist_ok=True)
    served = tmp / "served"
    served.mkdir(exist_ok=True)
    if kind == "file":
        return Server(kind, served / "www", f"file://{served / 'www'}/")
    if kind == "git":
        repo = tmp / "pages.git"
        subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
        return Server(kind, repo, f"git+file://{repo}")
    port = free_port()
    conf = tmp / "rclone.conf"
    conf.write_text("")
    env = {**os.environ, "RCLONE_CONFIG": str(conf)}
    command = [find_rclone(), "serve", kind, str(served), "--addr", f"127.0.0.1:{port}", f"--cache-dir={tmp / 'c'}"]
    server_env: dict[str, str] = {}
    if kind == "sftp":
        key = tmp / "host_key"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        known = tmp / "known_hosts"
        kind_, key_text = key.with_suffix(".pub").read_text().split()[:2]
        known.write_text(f"[127.0.0.1]:{port} {kind_} {key_text}\n")
        client = tmp / "home" / ".ssh" / "id_ed25519"  # a key the server also accepts (see sftp_key_env)
        client.parent.mkdir(parents=True)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(client)], check=True)
        command += ["--user", USER, "--pass", PASSWORD, "--key", str(key)]
        command += ["--authorized-keys", str(client.with_suffix(".pub"))]
        server = Server(kind, served / "site", f"sftp://{USER}@127.0.0.1:{port}/site/")
        server_env = {"NEWSROOM_DEPLOY_PASSWORD": PASSWORD, "NEWSROOM_KNOWN_HOSTS": str(known), "SSH_AUTH_SOCK": ""}
    elif kind == "ftp":
        low = 30000 + (port % 300) * 10
        command += ["--user", USER, "--pass", PASSWORD, f"--passive-port={low}-{low + 9}"]
        server = Server(kind, served / "site", f"{kind}://{USER}@127.0.0.1:{port}/site/")
        server_env = {"NEWSROOM_DEPLOY_PASSWORD": PASSWORD}
    elif kind == "s3":
        (served / "bucket").mkdir()
        command += ["--auth-key", f"{ACCESS_KEY},{SECRET_KEY}"]
        server = Server(kind, served / "bucket" / "site", "s3://bucket/site/", endpoint=f"http://127.0.0.1:{port}")
        server_env = {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
    else:
        raise ValueError(kind)
    # Dies with this process, and after 15 minutes whatever happens.
    wrapped = ["timeout", "900", "setpriv", "--pdeathsig", "KILL", "--", *command]
    with open(tmp / "server.log", "wb") as log:
        server.process = subprocess.Popen(
            wrapped, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log
        )
    server.env = server_env
    _wait_for_port(port, server)
    return server


def sftp_key_env(server: Server) -> dict[str, str]:
    """The environment of a deploy that logs in to the test SFTP server with a key in ~/.ssh, no password."""
    home = server.root.parent.parent / "home"
    return {**server.env, "HOME": str(home), "NEWSROOM_DEPLOY_PASSWORD": "", "SSH_AUTH_SOCK": ""}


def _wait_for_port(port: int, server: Server, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the {server.kind} server stopped at once")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the {server.kind} server did not start")


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (relative paths with '/')."""
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def git_tree(repo: Path, branch: str = "gh-pages") -> dict[str, bytes]:
    """The files of a branch of a bare repository."""
    listing = subprocess.run(
        ["git", "--git-dir", str(repo), "ls-tree", "-r", "-z", "--name-only", branch],
        capture_output=True,
        check=False,
    )
    if listing.returncode != 0:
        return {}
    files = {}
    for name in filter(None, listing.stdout.decode().split("\0")):
        files[name] = subprocess.run(
            ["git", "--git-dir", str(repo), "cat-file", "blob", f"{branch}:{name}"], capture_output=True, check=True
        ).stdout
    return files


def held(server: Server) -> dict[str, bytes]:
    """What the target holds now."""
    return git_tree(server.root) if server.kind == "git" else tree(server.root)


def stamps(server: Server) -> dict[str, tuple]:
    """(inode, mtime) of every file the target holds: a file uploaded again gets new ones."""
    if server.kind == "git":
        listing = subprocess.run(
            ["git", "--git-dir", str(server.root), "ls-tree", "-r", "gh-pages"], capture_output=True, text=True
        ).stdout
        return {line.split("\t")[1]: (line.split()[2],) for line in listing.splitlines()}
    return {
        p.relative_to(server.root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in server.root.rglob("*")
        if p.is_file()
    }


def put_foreign(server: Server, files: dict[str, bytes]) -> None:
    """Files newsroom never uploaded, placed on the target by someone else."""
    if server.kind == "git":
        work = server.root.parent / "foreign-work"
        shutil.rmtree(work, ignore_errors=True)
        subprocess.run(["git", "init", "-q", "-b", "gh-pages", str(work)], check=True)
        for rel, data in files.items():
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            (work / rel).write_bytes(data)
        git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@t"]
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "host files"], check=True)
        subprocess.run([*git, "push", "-q", str(server.root), "gh-pages"], check=True)
        return
    for rel, data in files.items():
        (server.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (server.root / rel).write_bytes(data)


def expected(output: Path, foreign: dict[str, bytes]) -> dict[str, bytes]:
    """What the target must hold after a deploy: output/ (less the build's marker) and the foreign files."""
    files = {rel: data for rel, data in tree(output).items() if rel != ".newsroom"}
    return {**files, **foreign}


def without_own(files: dict[str, bytes]) -> dict[str, bytes]:
    """A target's files less newsroom's record (and GitHub's .nojekyll that a git deploy adds)."""
    return {k: v for k, v in files.items() if not k.startswith(".newsroom-deploy") and k != ".nojekyll"}
