"""Incremental builds are correct by construction: after any edit, the output equals a clean build.

Random sequences of editor actions (body, title, date, category, tags, slug, draft flag, add,
delete, rename, template, config, static file, attached document) are applied to a built site; after each one the
incremental output (with its cache and staging tree) must be byte-identical to a clean build of
the same content into an empty folder.
"""

from __future__ import annotations

import os
import random
import re
import shutil

import pytest
from sitekit import CATEGORIES, NOW, article, build_ok, write_site

from newsroom import BuildOptions, build
from newsroom.build import open_cache
from newsroom.render import BUILTIN_THEMES

TAGS = ["Dân vận khéo", "Nông thôn mới", "Chuyển đổi số", "An toàn giao thông", "Khuyến học"]


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def make_article(rng: random.Random, n: int, existing: list[str]) -> str:
    links = ""
    if existing and rng.random() < 0.5:
        target = rng.choice(existing)
        links = f"\n\nXem thêm [bài liên quan](../{target})."
    return article(
        f"Bài viết số {n} về công tác {rng.choice(['dân vận', 'tuyên giáo', 'an ninh'])}",
        rng.choice(CATEGORIES),
        f"{rng.randint(2021, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} {rng.randint(7, 18):02d}:{rng.randint(0, 59):02d}",
        f"**Đoạn mở đầu bài {n}.**\n\nNội dung chi tiết của bài {n}." + links,
        tags=rng.sample(TAGS, rng.randint(0, 3)),
        source_unit=rng.choice(["Ban Dân vận Huyện ủy", "Trung tâm Văn hóa - TT&TT"]),
    )


def sources(site):
    return sorted(p.relative_to(site / "content").as_posix() for p in (site / "content").rglob("*.md"))


def relink(site, old, new) -> None:
    old_rel = old.relative_to(site / "content").as_posix()
    for other in (site / "content").rglob("*.md"):
        text = other.read_text(encoding="utf-8")
        if f"../{old_rel})" in text:
            if new is None:
                text = re.sub(r"\[([^\]]*)\]\(\.\./" + re.escape(old_rel) + r"\)", r"\1", text)
            else:
                text = text.replace(f"../{old_rel})", f"../{new.relative_to(site / 'content').as_posix()})")
            other.write_text(text, encoding="utf-8")


def edit(rng: random.Random, site, counter: list[int]) -> str:
    """Apply one random editor action; returns its name (for failure messages)."""
    files = sources(site)
    path = site / "content" / rng.choice(files)
    text = path.read_text(encoding="utf-8")
    action = rng.choice(
        [
            "body",
            "title",
            "date",
            "category",
            "tags",
            "slug",
            "draft",
            "add",
            "delete",
            "rename",
            "template",
            "config",
            "static",
            "attachment",
        ]
    )
    if action == "body":
        text = text.replace("Nội dung chi tiết", f"Nội dung đã sửa lần {counter[0]}", 1) + "\nThêm một câu.\n"
    elif action == "title":
        text = re.sub(
            r"^title: (.*)$",
            lambda m: f'title: "Đổi tên {counter[0]} {m[1].strip(chr(34))}"',
            text,
            count=1,
            flags=re.M,
        )
    elif action == "date":
        text = re.sub(
            r"^date: .*$",
            f"date: 202{rng.randint(1, 5)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 09:15",
            text,
            count=1,
            flags=re.M,
        )
    elif action == "category":
        text = re.sub(r"^category: .*$", f"category: {rng.choice(CATEGORIES)}", text, count=1, flags=re.M)
    elif action == "tags":
        text = re.sub(r"^tags: .*$", f"tags: [{', '.join(rng.sample(TAGS, 2))}]", text, count=1, flags=re.M)
        if "tags:" not in text:
            text = text.replace("---\n", f"---\ntags: [{TAGS[0]}]\n", 1)
    elif action == "slug":
        text = text.replace("---\n", f"---\nslug: duong-dan-moi-{counter[0]}\n", 1) if "slug:" not in text else text
    elif action == "draft":
        text = (
            text.replace("draft: true\n", "")
            if "draft: true" in text
            else text.replace("---\n", "---\ndraft: true\n", 1)
        )
    elif action == "add":
        counter[0] += 1
        (site / "content" / f"2024/moi-{counter[0]}.md").write_text(
            make_article(rng, 1000 + counter[0], files), encoding="utf-8"
        )
        return action
    elif action == "delete" and len(files) > 3:
        path.unlink()
        relink(site, path, None)  # the editor also removes links to the deleted article
        return action
    elif action == "rename":
        new = path.with_name(f"doi-ten-{counter[0]}-{path.name}")
        path.rename(new)
        relink(site, path, new)  # ... and points links to the new file name
        counter[0] += 1
        return action
    elif action == "template":
        target = site / "themes/default/templates/article.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        source = target if target.exists() else BUILTIN_THEMES / "default/templates/article.html"
        target.write_text(
            source.read_text(encoding="utf-8") + f"\n{{# sửa {counter[0]} #}}<!-- {counter[0]} -->\n", encoding="utf-8"
        )
        counter[0] += 1
        return action
    elif action == "config":
        config = site / "config.yaml"
        value = rng.choice([1, 2, 3, 20])
        config.write_text(
            re.sub(r"per_page: \d+", f"per_page: {value}", config.read_text(encoding="utf-8")), encoding="utf-8"
        )
        return action
    elif action == "static":
        static = site / "static/css"
        static.mkdir(parents=True, exist_ok=True)
        (static / "them.css").write_text(f"/* {counter[0]} */ body {{ margin: 0; }}\n", encoding="utf-8")
        counter[0] += 1
        return action
    elif action == "attachment":
        attach(rng, site, path, counter)
        return action
    counter[0] += 1
    path.write_text(text, encoding="utf-8")
    return action


ATTACHMENT = re.compile(r"\n\nToàn văn: \[Tệp đính kèm\]\(files/(tep-\d+\.pdf)\)\.\n")


def attach(rng: random.Random, site, path, counter: list[int]) -> None:
    """Link a new document, or change one linked already (its size, or only its bytes), or remove it.

    The body shows the document's size, so a document changed without its article must still
    render the body again; a removed document goes with its link (a missing one is an error).
    Articles that have a document are picked more often, so that their documents do change.
    """
    linking = [p for p in (site / "content").rglob("*.md") if ATTACHMENT.search(p.read_text(encoding="utf-8"))]
    if linking and rng.random() < 0.7:
        path = rng.choice(sorted(linking))
    text = path.read_text(encoding="utf-8")
    found = ATTACHMENT.search(text)
    counter[0] += 1
    if found is None:
        name = f"tep-{counter[0]}.pdf"
        document = path.parent / "files" / name
        document.parent.mkdir(exist_ok=True)
        document.write_bytes(b"%PDF-1.4\n" + rng.randbytes(rng.randint(100, 300_000)))
        path.write_text(text + f"\n\nToàn văn: [Tệp đính kèm](files/{name}).\n", encoding="utf-8")
        return
    document = path.parent / "files" / found[1]
    choice = rng.choice(["size", "remove", "size", "bytes"])
    if choice == "size":
        document.write_bytes(b"%PDF-1.4\n" + rng.randbytes(rng.randint(100, 300_000)))
    elif choice == "bytes":  # same size, other content: the copy in output/ must follow
        document.write_bytes(b"%PDF-1.4\n" + rng.randbytes(document.stat().st_size - 9))
    else:
        document.unlink()
        path.write_text(ATTACHMENT.sub("", text), encoding="utf-8")


# Each seed is ten edits, each followed by two builds; the quick run keeps the first, the whole suite all three.
@pytest.mark.parametrize("seed", [1, pytest.param(2, marks=pytest.mark.slow), pytest.param(3, marks=pytest.mark.slow)])
def test_random_edits_give_the_same_output_as_a_clean_build(tmp_path, seed):
    rng = random.Random(seed)
    files: dict[str, str] = {}
    for n in range(24):
        name = f"{2021 + n % 5}/bai-{n}.md"
        files[name] = make_article(rng, n, list(files))
    site = write_site(tmp_path / "site", files, per_page=3)
    out = build_ok(site)
    counter = [0]
    for step in range(10):
        action = edit(rng, site, counter)
        incremental = build_ok(site, out)
        clean_dir = tmp_path / f"clean-{step}"
        build_ok(site, clean_dir, clean=True)
        assert snapshot(incremental) == snapshot(clean_dir), f"step {step}: {action}"
        shutil.rmtree(clean_dir)


@pytest.mark.slow  # 24 builds; quick runs keep test_search's in-place shard update and the preview's tests
def test_a_long_running_process_keeping_its_cache_in_memory_matches_clean_builds(tmp_path):
    """The preview's way: one cache object across builds (the search index is then updated)."""
    rng = random.Random(11)
    files = {f"{2021 + n % 5}/bai-{n}.md": make_article(rng, n, []) for n in range(20)}
    site = write_site(tmp_path / "site", files, per_page=3)
    out = tmp_path / "preview"
    cache = open_cache(site, out)
    counter = [0]
    for step in range(12):
        action = edit(rng, site, counter) if step else "none"
        build(site, BuildOptions(output=out, now=NOW), cache=cache)
        clean_dir = tmp_path / f"clean-{step}"
        build_ok(site, clean_dir, clean=True)
        assert snapshot(out) == snapshot(clean_dir), f"step {step}: {action}"
        shutil.rmtree(clean_dir)


def test_a_corrupted_cache_leads_to_a_correct_build(tmp_path):
    rng = random.Random(7)
    files = {f"2024/bai-{n}.md": make_article(rng, n, []) for n in range(10)}
    site = write_site(tmp_path / "site", files)
    out = build_ok(site)
    cache_files = sorted((site / ".cache/build").rglob("*.cache"))
    assert cache_files
    for i, path in enumerate(cache_files):
        data = bytearray(path.read_bytes())
        if i % 3 == 0:
            data[len(data) // 2] ^= 0xFF  # a flipped byte
        elif i % 3 == 1:
            data = data[: len(data) // 3]  # a half-written file
        else:
            data = b"not a cache at all"
        path.write_bytes(bytes(data))
    source = site / "content/2024/bai-3.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Nội dung chi tiết", "Nội dung mới"), encoding="utf-8")
    build_ok(site, out)
    assert snapshot(out) == snapshot(build_ok(site, tmp_path / "clean", clean=True))


def test_touching_a_file_without_changing_it_rewrites_nothing(tmp_path):
    site = write_site(
        tmp_path / "site", {"2024/a.md": article("Một", "Thông báo"), "2024/b.md": article("Hai", "Thông báo")}
    )
    out = build_ok(site)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    source = site / "content/2024/a.md"
    os.utime(source, ns=(source.stat().st_atime_ns, source.stat().st_mtime_ns + 10_000_000))
    build_ok(site, out)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before
