"""Shared fixtures: a headless Chromium driven by Playwright, for the browser tests.

Browser tests skip with a clear reason when Chromium or Playwright is missing, except under CI
(``CI=true``), where a missing browser is a failure: .ci/run installs Debian's chromium.

The suite runs in English (``NEWSROOM_LANG=en``, inherited by every command a test starts): the
tests assert the English texts; a test about another language sets it itself (monkeypatch.setenv).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ["NEWSROOM_LANG"] = "en"  # before any test module imports newsroom or starts a command

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
    if not executable:
        _unavailable("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


# --- the shipped sample site, built once per session ------------------------------------------
# A cold build of the sample processes two dozen photos; several modules only read its output, so
# the real command line builds it once here (its photo cache, ROOT/.cache/, then serves the second).


@pytest.fixture(scope="session")
def sample_built(tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """The sample site built by ``build.py build --strict`` (a warning fails it): (output folder, stdout).

    Read-only for the tests that use it.
    """
    from sitekit import ROOT, run_cli

    out = tmp_path_factory.mktemp("sample") / "out"
    result = run_cli("build", "--site", str(ROOT), "--output", str(out), "--strict", timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    yield out, result.stdout
    _forget_build_cache(ROOT, out)


@pytest.fixture(scope="session")
def sample_built_under_sub_path(tmp_path_factory) -> Iterator[Path]:
    """The sample site built for https://thanhtri.example/tin-tuc/ into a folder named tin-tuc, so
    that serving its parent folder gives it the same path. Read-only for the tests that use it."""
    from sitekit import ROOT, run_cli

    out = tmp_path_factory.mktemp("sample-sub-path") / "tin-tuc"
    base = ["--base-url", "https://thanhtri.example/tin-tuc/"]
    result = run_cli("build", "--site", str(ROOT), "--output", str(out), *base, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    yield out
    _forget_build_cache(ROOT, out)


def _forget_build_cache(site: Path, output: Path) -> None:
    """Remove the build cache newsroom keeps in the checkout for a temporary output folder (one per
    output folder, a megabyte or two): otherwise every test session leaves two more in ROOT/.cache/build/.
    The photo cache stays: it is what makes the next session's sample builds quick."""
    from newsroom.cache import cache_dir

    shutil.rmtree(cache_dir(site, output), ignore_errors=True)
