"""`pip install .` gives a working `newsroom` command, with the built-in theme and the desk inside the package.

The slow tests install a copy of the checkout into a new virtual environment, offline: ``--no-deps`` (the
dependencies are this Python's own, seen through ``--system-site-packages``) and ``--no-build-isolation``
(setuptools from requirements-dev.txt builds it). Then the installed command builds the sample site from a
folder far from the checkout, so nothing can come from the checkout by accident. The fast tests guard the
packaging lists themselves: every file newsroom reads at run time is package data, and the dependencies
are requirements.txt's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from sitekit import ROOT, copy_sample_site, page, run_cli

import newsroom
from newsroom.render import BUILTIN_THEMES

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
# What pip or setuptools would leave in a tree they build in: none of it may appear in the checkout.
LEFTOVERS = ("build", "dist", "newsroom.egg-info", ".eggs", "newsroom/_themes")


def _files(folder: Path) -> set[str]:
    """Every file under ``folder`` as a relative POSIX path, without Python's caches."""
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".pyc")
    }


def _package_data(package: str, folder: Path) -> set[str]:
    """The files under ``folder`` that pyproject.toml's package-data globs for ``package`` take."""
    taken: set[str] = set()
    for pattern in SETUPTOOLS["package-data"].get(package, []):
        taken |= {p.relative_to(folder).as_posix() for p in folder.glob(pattern) if p.is_file()}
    return taken


def _requirements(lines: list[str]) -> set[tuple[str, str, str]]:
    """Requirement lines compared by meaning: ``Jinja2>=3.1,<4`` equals setuptools' ``jinja2<4,>=3.1``."""
    parsed = (Requirement(line) for line in lines)
    return {(canonicalize_name(r.name), str(sorted(map(str, r.specifier))), str(r.marker or "")) for r in parsed}


def _requirement_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


# ---- fast: the packaging lists ----


def test_every_theme_and_desk_file_is_package_data():
    """A new kind of file in the theme (a font, a .webp) that no glob takes would be missing once installed."""
    themes = ROOT / "themes"
    assert _package_data("newsroom._themes", themes) == _files(themes)
    package = ROOT / "newsroom"
    data = {f for f in _files(package) if not f.endswith(".py")}  # every file newsroom reads that is not code
    assert data, "newsroom/desk_assets/ should be there"
    assert _package_data("newsroom", package) == data
    code_folders = {str(Path(f).parent) for f in _files(package) if f.endswith(".py")}
    packages = {"newsroom" if d == "." else "newsroom." + d.replace("/", ".") for d in code_folders}
    assert packages <= set(SETUPTOOLS["packages"]), "a sub-package of newsroom is not in pyproject's packages"


def test_dependencies_are_requirements_txt_read_as_it_is():
    """One list: pyproject reads requirements.txt, which must hold only lines setuptools can read (no -r, no options)."""
    assert "dependencies" in PYPROJECT["project"]["dynamic"]
    assert "dependencies" not in PYPROJECT["project"]
    assert SETUPTOOLS["dynamic"]["dependencies"] == {"file": ["requirements.txt"]}
    lines = _requirement_lines((ROOT / "requirements.txt").read_text(encoding="utf-8"))
    assert lines
    assert all(not line.startswith("-") for line in lines), "setuptools cannot read pip options in requirements.txt"
    _requirements(lines)  # each line parses as a requirement


def test_a_checkout_uses_its_own_themes_folder_and_build_py_keeps_its_name():
    assert BUILTIN_THEMES == ROOT / "themes"
    result = run_cli("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: build.py")


# ---- slow: a real install ----


def _backend_missing() -> str | None:
    """Why this Python cannot build newsroom offline, or None: setuptools 70.1 builds wheels by itself,
    older ones need the wheel package."""
    probe = (
        "import importlib.util, setuptools\n"
        "major, minor = (int(p) for p in setuptools.__version__.split('.')[:2])\n"
        "if (major, minor) < (70, 1) and importlib.util.find_spec('wheel') is None:\n"
        "    print(f'setuptools {setuptools.__version__} cannot build wheels without the wheel package')\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    if result.returncode != 0:
        return "setuptools is not installed"
    return result.stdout.strip() or None


def _copy_checkout(target: Path) -> Path:
    """The checkout's files as git sees them (tracked and new, not ignored ones): no output/, caches or .git."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        source = ROOT / rel
        if source.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    return target


def _leftovers() -> set[str]:
    return {rel for rel in LEFTOVERS if (ROOT / rel).exists()} | {p.name for p in ROOT.glob("*.egg-info")}


def _clean_env() -> dict[str, str]:
    """The environment an editor's shell would have: nothing pointing Python at the checkout."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


def _make_venv(venv: Path) -> Path:
    """A virtual environment seeing this Python's packages (no network needed); returns its python."""
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    if sys.prefix != sys.base_prefix:  # the tests run in a venv: --system-site-packages alone would not see it
        paths = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
        site_packages = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        Path(site_packages, "outer-environment.pth").write_text("\n".join(paths) + "\n", encoding="utf-8")
    return python


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv, copy of the checkout) after ``pip install --no-deps --no-build-isolation <copy>``."""
    reason = _backend_missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the install test must run in CI: {reason} (pip install -r requirements-dev.txt)")
        pytest.skip(f"{reason} (pip install -r requirements-dev.txt)")
    before = _leftovers()
    tmp = tmp_path_factory.mktemp("install")
    repo = _copy_checkout(tmp / "repo")
    venv = tmp / "venv"
    python = _make_venv(venv)
    pip = [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index", str(repo)]
    result = subprocess.run(pip, capture_output=True, text=True, cwd=tmp, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _leftovers() == before, "installing must leave no build/ or *.egg-info in the checkout"
    return venv, repo


def _run(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]], capture_output=True, text=True, cwd=cwd, env=_clean_env(), timeout=600
    )


@pytest.mark.slow
def test_installed_command_builds_the_sample_site_with_the_packaged_theme(installed, tmp_path):
    venv, repo = installed
    site = copy_sample_site(tmp_path / "site")
    assert not (site / "themes").exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    result = _run(venv, "newsroom", "build", "--site", str(site), cwd=elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr

    output = site / "output"
    home = page(output, "")
    sheets = [link.attrs["href"] for link in home.find_all("link") if link.attrs.get("rel") == "stylesheet"]
    assert any(href.split("?")[0] == "/css/site.css" for href in sheets), sheets
    theme_static = repo / "themes" / "default" / "static"
    for rel in _files(theme_static):
        assert (output / rel).read_bytes() == (theme_static / rel).read_bytes(), rel

    usage = _run(venv, "newsroom", "--help", cwd=elsewhere)
    assert usage.returncode == 0, usage.stderr
    assert usage.stdout.startswith("usage: newsroom")
    for command in ("build", "check", "serve", "new", "import", "deploy"):
        assert command in usage.stdout


@pytest.mark.slow
def test_installed_package_holds_the_theme_the_desk_and_requirements_txt(installed, tmp_path):
    venv, repo = installed
    probe = (
        "import importlib.metadata as m, newsroom, newsroom.desk, newsroom.render\n"
        "print(newsroom.__file__); print(newsroom.render.BUILTIN_THEMES); print(newsroom.desk.ASSETS)\n"
        "print(m.version('newsroom')); print('\\n'.join(m.requires('newsroom')))\n"
    )
    result = _run(venv, "python", "-c", probe, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    module, themes, desk, version, *requires = result.stdout.splitlines()
    package = Path(module).parent
    assert package.is_relative_to(venv), "the installed newsroom, not the checkout's"
    assert Path(themes) == package / "_themes"
    assert Path(desk) == package / "desk_assets"
    assert _files(Path(themes)) == _files(repo / "themes")
    assert _files(Path(desk)) == _files(repo / "newsroom" / "desk_assets")
    assert version == newsroom.__version__
    requirements = _requirement_lines((repo / "requirements.txt").read_text(encoding="utf-8"))
    assert _requirements(requires) == _requirements(requirements)


@pytest.mark.slow
def test_source_archive_holds_everything_an_install_needs(installed, tmp_path):
    """``pip install newsroom-x.tar.gz`` builds from the sdist: the theme and requirements.txt must be in it."""
    _, repo = installed
    build_sdist = "import sys; from setuptools import build_meta; print(build_meta.build_sdist(sys.argv[1]))"
    result = subprocess.run(
        [sys.executable, "-c", build_sdist, str(tmp_path)], capture_output=True, text=True, cwd=repo, timeout=300
    )
    assert result.returncode == 0, result.stderr
    with tarfile.open(tmp_path / result.stdout.strip().splitlines()[-1]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    needed = {"pyproject.toml", "requirements.txt", "build.py"}
    needed |= {f"themes/{rel}" for rel in _files(repo / "themes")}
    needed |= {f"newsroom/{rel}" for rel in _files(repo / "newsroom")}
    assert needed <= names, sorted(needed - names)
