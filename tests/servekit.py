"""Helpers for tests of the live preview: a running Preview on a free port, and HTTP/SSE clients."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from newsroom.serve import Preview


def wait_for(condition: Callable[[], object], timeout: float = 30.0, step: float = 0.02):
    """Poll until ``condition()`` is truthy; fail the test after ``timeout`` seconds.

    The limit only catches what never happens: polling returns as soon as the condition holds, so a
    generous one costs nothing and a rebuild on a loaded machine does not fail the test.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"condition not met within {timeout} s")


@contextmanager
def running_preview(site: Path, **options):
    messages: list[str] = []
    options.setdefault("quiet", 0.2)
    preview = Preview(site, port=0, say=messages.append, **options)
    preview.messages = messages  # type: ignore[attr-defined]
    with preview:
        yield preview


def get(preview: Preview, path: str, host: str | None = None) -> tuple[int, dict, bytes]:
    port = preview.server.server_address[1]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    headers = {k.lower(): v for k, v in response.getheaders()}
    conn.close()
    return response.status, headers, body


def raw_request(preview: Preview, target: str, method: str = "GET", host: str | None = None) -> tuple[int, dict, bytes]:
    """Send one request line exactly as given (http.client would tidy it) and read the answer.

    A server that closes the connection without answering fails the test: that is what a browser
    shows as "connection reset", the very thing the preview must never do.
    """
    port = preview.server.server_address[1]
    head = f"{method} {target} HTTP/1.1\r\nHost: {host or f'127.0.0.1:{port}'}\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(head.encode("latin-1"))
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    if not data:
        raise AssertionError(f"{method} {target[:80]}: the connection was closed without an answer")
    header, _, body = data.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, body


def save_like_an_editor(path: Path, text: str) -> None:
    """Write to a temporary file beside the target, then rename it over (vim, VS Code)."""
    temp = path.with_name(path.name + ".tmp~")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def copy_builtin_css(site: Path) -> Path:
    """A site-level copy of the default stylesheet that the theme chain prefers."""
    from newsroom.render import BUILTIN_THEMES

    target = site / "themes/default/static/css/site.css"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(BUILTIN_THEMES / "default/static/css/site.css", target)
    return target


# --- the desk -------------------------------------------------------------------------------------


class DeskClient:
    """Talks to a running preview's desk as its page does: the CSRF token from the page, JSON in and out."""

    def __init__(self, preview: Preview, cookie: str = ""):
        self.preview = preview
        self.port = preview.server.server_address[1]
        self.cookie = cookie
        _, _, page = self.request("GET", "/_desk/")
        match = re.search(rb'name="csrf-token" content="([^"]+)"', page)
        self.token = match.group(1).decode() if match else ""

    def request(
        self, method: str, path: str, body: bytes | dict | None = None, headers: dict | None = None
    ) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Host": f"127.0.0.1:{self.port}", **({"Cookie": self.cookie} if self.cookie else {}), **(headers or {})}
        if isinstance(body, dict):
            body = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def api(self, method: str, name: str, body: bytes | dict | None = None, token: str | None = None, **headers):
        """(status, answer as JSON) of /_desk/api/NAME, sent with this page's token unless told otherwise."""
        token = self.token if token is None else token
        sent = {**({"X-CSRF-Token": token} if token else {}), **headers}
        status, _, data = self.request(method, "/_desk/api/" + name, body, sent)
        return status, json.loads(data or b"{}")

    def open(self, path: str) -> dict:
        status, answer = self.api("GET", "article?path=" + quote(path))
        assert status == 200, answer
        return answer
