"""``check`` finds everything ``build`` would fail on, and writes nothing (issue 12, item 5).

Each case is a site that a build refuses; ``check`` must refuse it too, with the same located
errors, so an editor who ran ``check`` is never surprised by the build.
"""

from __future__ import annotations

import pytest
from sitekit import article, run_cli_in_process, write_site

CASES = {
    "category-slug-too-long": (
        {"2024/a.md": article("Tin", "Thông báo")},
        {"categories": [{"name": "Thông báo", "slug": "thong-bao-" + "a" * 260}]},
        {},
    ),
    "slug-onto-the-search-page": (
        {"2024/a.md": article("Tin", "Thông báo", slug="tim-kiem")},
        {"permalinks": {"article": "{slug}/"}},
        {},
    ),
    "slug-onto-the-tags-index": (
        {"2024/a.md": article("Tin", "Thông báo", slug="the")},
        {"permalinks": {"article": "{slug}/"}},
        {},
    ),
    "static-file-onto-a-generated-one": (
        {"2024/a.md": article("Tin", "Thông báo")},
        {},
        {"static/robots.txt": b"User-agent: *\n"},
    ),
    "template-error": (
        {"2024/a.md": article("Tin", "Thông báo")},
        {},
        {
            "themes/default/templates/article.html": b"{% extends 'base.html' %}{% block main %}{{ nope() }}{% endblock %}"
        },
    ),
    "bad-slug": (
        {"2024/a.md": article("Tin", "Thông báo", slug="tin?x")},
        {},
        {},
    ),
    "not-utf8": (
        {"2024/a.md": article("Tin", "Thông báo").encode("utf-8").replace(b"Tin", b"T\xe9n")},
        {},
        {},
    ),
}


def _errors(text: str) -> set[str]:
    return {line.split("/site/", 1)[-1] for line in text.splitlines() if ": error:" in line}


@pytest.mark.parametrize("case", CASES)
def test_check_refuses_whatever_build_refuses(tmp_path, case):
    articles, config, files = CASES[case]
    site = write_site(tmp_path / "site", articles, **{"categories": ["Thông báo"], **config})
    for rel, data in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    checked = run_cli_in_process("check", "--site", str(site))
    assert not (site / "output").exists() and not (site / ".cache").exists(), "check wrote something"
    built = run_cli_in_process("build", "--site", str(site))
    assert "Traceback" not in built.stderr + checked.stderr, built.stderr + checked.stderr
    assert built.returncode == 1, built.stderr
    assert checked.returncode == 1, f"build refused this site, check did not:\n{built.stderr}"
    assert _errors(built.stderr) and _errors(built.stderr) <= _errors(checked.stderr + checked.stdout)
