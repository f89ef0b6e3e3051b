"""Random and mutated inputs never crash the reader or the renderer (hypothesis).

The only allowed outcomes are an article or ``ContentError`` problems; and no input under
100 KB takes more than a second to render.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sitekit import article

from newsroom.config import Category, Config
from newsroom.content import parse_article
from newsroom.errors import ContentError
from newsroom.markdown import render_body, resolve_links

CONFIG = Config(
    site_dir=Path("/nonexistent"),
    title="t",
    base_url="https://example.test/",
    categories=(Category("Thông báo", "thong-bao"), Category("Đảng, đoàn thể", "dang-doan-the")),
)
VALID = article(
    "Huyện Thanh Trì: Khai mạc",
    "Thông báo",
    "2020-10-15 13:50",
    "**Đậm**\n\n- a\n- b\n\n[x](../2020/a.md)",
    tags=["Dân vận"],
).encode("utf-8")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MARKDOWN_PIECES = [
    "# ",
    "## ",
    "**",
    "*",
    "_",
    "`",
    "```\n",
    "> ",
    "- ",
    "1. ",
    "[",
    "](",
    ")",
    "![",
    "<",
    ">",
    "|",
    "---",
    "\n",
    "\n\n",
    "&amp;",
    "&#0;",
    "\\",
    "đ",
    "Đảng",
    "javascript:",
    "../x.md",
    "\t",
    " ",
    "<script>",
    "[a]: http://x\n",
    "\u0000",
    "\ufeff",
    "\r\n",
]


def check_parse(data: bytes) -> None:
    result = parse_article("content/2020/x.md", data, CONFIG)
    assert all(isinstance(p, ContentError) for p in result.problems)
    assert result.article is not None or any(not p.warning for p in result.problems)


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    check_parse(data)


@SETTINGS
@given(st.text(max_size=2000))
def test_random_text_after_front_matter_marker(text):
    check_parse(("---\n" + text).encode("utf-8", "surrogatepass") if "\ud800" not in text else b"---\n")


@SETTINGS
@given(st.lists(st.tuples(st.integers(0, len(VALID) - 1), st.binary(min_size=0, max_size=8)), max_size=6))
def test_mutated_valid_files(mutations):
    data = bytearray(VALID)
    for position, replacement in mutations:
        position = min(position, len(data))
        data[position : position + len(replacement)] = replacement
    check_parse(bytes(data))


@SETTINGS
@given(
    st.lists(
        st.sampled_from(
            [*sorted(set(VALID.decode().split())), "---", ":", '"', "'", "- ", "  ", "\n", "&x", "*x", "!!"]
        ),
        max_size=80,
    )
)
def test_token_soup_front_matter(tokens):
    check_parse(("---\n" + " ".join(tokens) + "\n---\nbody\n").encode("utf-8"))


def _render(markdown: str):
    parsed = parse_article("content/2020/x.md", VALID, CONFIG).article
    assert parsed is not None
    from dataclasses import replace

    started = time.process_time()  # CPU seconds: other jobs on the machine do not count
    body = render_body(replace(parsed, body_md=markdown), lambda u: "/" + u, lambda p: False)
    html, problems, _ = resolve_links(parsed.source, body, {"content/2020/a.md": "2020/10/a/"}, lambda u: "/" + u)
    elapsed = time.process_time() - started
    assert isinstance(html, str) and "\x00" not in html
    assert all(isinstance(p, ContentError) for p in [*body.problems, *problems])
    return elapsed


def _fastest_render(markdown: str, limit: float = 2.0, tries: int = 3) -> float:
    """The CPU seconds of the quickest of up to ``tries`` renders, stopping at the first under ``limit``.

    A process's CPU time is not steady on a shared virtual machine (it grows when other processes or
    other machines share the core): a 14 kB text that renders in 0.1 s was once measured at 2.0 s,
    passed when Hypothesis tried it again, and the test failed as flaky. A quadratic case takes minutes
    and stays over the limit on every try.
    """
    best = _render(markdown)
    for _ in range(tries - 1):
        if best < limit:
            break
        best = min(best, _render(markdown))
    return best


@SETTINGS
@given(st.lists(st.sampled_from(MARKDOWN_PIECES) | st.text(max_size=20), max_size=300))
def test_markdown_soup_renders(pieces):
    _render("".join(pieces))


@pytest.mark.slow  # renders 25 texts of up to 100 kB, each allowed 2 CPU seconds
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(MARKDOWN_PIECES), min_size=1, max_size=20), st.integers(1, 4000))
def test_large_pathological_markdown_is_fast(pattern, repeat):
    text = "".join(pattern) * repeat
    text = text[:100_000]
    assert _fastest_render(text) < 2.0  # a quadratic case takes minutes; linear ones well under a second


@pytest.mark.slow  # seven 30-50 kB texts, each allowed 2 CPU seconds
def test_known_pathological_markdown_is_fast():
    for text in (
        "[" * 50_000,
        "*a" * 30_000,
        "> " * 30_000 + "x",
        "- " * 30_000,
        "`" * 50_000,
        "<" * 50_000,
        "![" * 30_000,
    ):
        assert _fastest_render(text[:99_000]) < 2.0, text[:10]
