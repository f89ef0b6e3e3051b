"""Incremental builds equal clean builds for every kind of input (issue 14), by seeded random walks.

A small site holds one of each input kind: articles, pages (one with sub-pages), a document
(``document:`` and its PDF), photos (JPEG and PNG made with Pillow), an MP4 video, a DOCX
attachment, a PDF and a photo in ``static/``, config.yaml with a menu, a publisher and its logo
(the icons are made from it), a stylesheet in ``static/`` and theme template overrides. A walk
applies editor actions to it (the ``do_*`` methods of ``World``: one per kind of edit); after
each batch the site is built incrementally into its output folder, and the output must be
byte-identical to a clean build of a fresh copy of the same sources (no cache, no output, no
photo or icon cache), folders and permissions included. The walk's clock moves an hour a build,
so scheduled articles come due. Some actions break the site (a document's PDF deleted, a menu
page deleted, a photo cut short, the logo overwritten, a typo in a category...): that build must
fail with an error naming the file at fault and leave the output as it was, also after another
edit made meanwhile; the build after the repair must again equal a clean one.

``World`` keeps a model of the site (the articles' and pages' fields, the links between them, the
config) and writes each file from it, so an action changes exactly what an editor would change:
a renamed or deleted article has the links to it rewritten or removed, a moved menu page has its
menu entry follow it. Each walk is named by its seed; a failure lists the actions taken and every
output path that differs, with the first bytes that differ.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from sitekit import (
    CATEGORIES,
    NOW,
    copy_sources,
    mp4_video,
    picture,
    run_cli_in_process,
    stamp_ahead,
    tree_bytes,
    tree_differences,
    tree_modes,
)

from newsroom import BuildOptions, build
from newsroom.build import open_cache
from newsroom.errors import BuildFailed
from newsroom.render import BUILTIN_THEMES

# Spellings that are one name ("Nông thôn mới", "nông thôn  mới") or two names of one slug ("Dân vận
# khéo", "Dân vân khéo": dan-van-kheo, dan-van-kheo-2, by first appearance).
TAGS = ["Dân vận khéo", "Nông thôn mới", "Chuyển đổi số", "Khuyến học", "nông thôn  mới", "Dân vân khéo"]
AUTHORS = ["Thanh Hồng", "Lê Văn Hùng", "Lê Văn Hưng", "lê văn  hùng", None]
UNITS = ["Ban Dân vận Huyện ủy", "Trung tâm Văn hóa - TT&TT", None]
ISSUERS = ["UBND huyện Thử Nghiệm", "Huyện ủy Thử Nghiệm", "HĐND huyện Thử Nghiệm"]
TEMPLATES = ["article.html", "home.html", "page.html", "list.html"]
STATIC_PDF = "bieu-mau/mau-don.pdf"  # in static/, linked from an article as /bieu-mau/mau-don.pdf
STATIC_PHOTO = "anh-chung.jpg"  # in static/: copied as it is, or processed once an article shows it


@dataclass
class Photo:
    file: str  # beside the article: images/anh-3.jpg
    alt: str
    caption: str


@dataclass
class Doc:
    """One article or page: its fields and what its body holds; the file is written from this."""

    path: str  # content-relative: 2024/bai-3.md, pages/trang-2.md
    title: str
    category: str = ""  # empty for pages
    date: str = ""
    tags: list[str] = field(default_factory=list)
    author: str | None = "Thanh Hồng"
    source_unit: str | None = None
    summary: str | None = None
    updated: str | None = None
    image: str | None = None  # the image: field
    featured: bool = False
    draft: bool = False
    order: int | None = None  # pages only
    version: int = 0  # of the body text
    links: list[str] = field(default_factory=list)  # paths of the docs linked from the body
    photo: Photo | None = None
    video: str | None = None  # videos/x.mp4
    attachment: str | None = None  # files/x.docx
    static_link: bool = False  # links /bieu-mau/mau-don.pdf
    static_photo: bool = False  # shows /anh-chung.jpg
    document: dict | None = None  # number, issued, issuer, file

    @property
    def is_page(self) -> bool:
        return self.path.startswith("pages/")

    @property
    def media(self) -> list[str]:
        """Files beside the doc that it uses (relative to its folder)."""
        found = [self.photo.file] if self.photo else []
        found += [f for f in (self.video, self.attachment) if f]
        return found + ([self.document["file"]] if self.document else [])


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def relative_link(source: str, target: str) -> str:
    """How a file links another: its path relative to the linking file's folder."""
    return os.path.relpath(target, os.path.dirname(source) or ".").replace(os.sep, "/")


def render_doc(doc: Doc) -> str:
    """The file as an editor would write it."""
    lines = ["---", f"title: {quoted(doc.title)}"]
    if not doc.is_page:
        lines += [f"category: {quoted(doc.category)}", f"date: {doc.date}"]
        if doc.author:
            lines.append(f"author: {quoted(doc.author)}")
        if doc.source_unit:
            lines.append(f"source_unit: {quoted(doc.source_unit)}")
        if doc.tags:
            lines.append("tags: [" + ", ".join(quoted(t) for t in doc.tags) + "]")
        if doc.featured:
            lines.append("featured: true")
    for name in ("summary", "image"):
        if getattr(doc, name):
            lines.append(f"{name}: {quoted(getattr(doc, name))}")
    if doc.updated:
        lines.append(f"updated: {doc.updated}")
    if doc.order is not None:
        lines.append(f"order: {doc.order}")
    if doc.draft:
        lines.append("draft: true")
    if doc.document:
        d = doc.document
        lines += [
            "document:",
            f"  number: {quoted(d['number'])}",
            f"  issued: {d['issued']}",
            f"  issuer: {quoted(d['issuer'])}",
            f"  file: {quoted(d['file'])}",
        ]
    lines += ["---", "", f"Nội dung {doc.title.lower()}, bản sửa {doc.version}.", "", "Chữ <b>đậm</b> viết bằng HTML."]
    if doc.photo:
        lines += ["", f"![{doc.photo.alt}]({doc.photo.file})"]
        if doc.photo.caption:
            lines.append(f"*{doc.photo.caption}*")
    if doc.video:
        lines += ["", f"![Video hoạt động]({doc.video})", "*Video: Thanh Hồng*"]
    if doc.attachment:
        lines += ["", f"Toàn văn: [Tệp đính kèm]({doc.attachment})."]
    if doc.static_link:
        lines += ["", f"Tải [mẫu đơn](/{STATIC_PDF})."]
    if doc.static_photo:
        lines += ["", f"![Ảnh chung](/{STATIC_PHOTO})"]
    for target in doc.links:
        lines += ["", f"Xem thêm [trang liên quan]({relative_link(doc.path, target)})."]
    return "\n".join(lines) + "\n"


@dataclass
class Step:
    """One editor action: what it did; for one that breaks the site, the message and the repair."""

    name: str
    error: str | None = None  # the file the failed build must name in an error (wording may be translated)
    repair: Callable[[], str] | None = None


class World:
    """A small site of every input kind, and the editor actions on it."""

    def __init__(self, site: Path, rng: random.Random):
        self.site = site
        self.content = site / "content"
        self.rng = rng
        self.n = 0
        self.docs: dict[str, Doc] = {}
        self.now = NOW  # the walk's clock, for scheduled articles
        self.options = {"drafts": False, "future": False}  # of the builds (the preview's are both true)
        self.missing_photos: dict[Path, bytes] = {}  # deleted photos, to put back later
        self.frozen: set[str] = set()  # docs no edit may rewrite while the site is broken (that would repair it)
        self.config: dict = {
            "title": "Cổng thông tin huyện Thử Nghiệm",
            "base_url": "https://example.test/",
            "categories": list(CATEGORIES),
            "per_page": 2,
            "home_featured": 2,
            "home_latest": 4,
            "image_widths": [160, 320],
            "publisher": {"name": "UBND huyện Thử Nghiệm", "phone": "024 0000 0000", "logo": "logo.png"},
            "menu": [
                {"name": "Giới thiệu", "page": "gioi-thieu/index.md", "children": [{"page": "lien-he.md"}]},
                {"category": CATEGORIES[0]},
                {"name": "Văn bản", "url": "van-ban/"},
            ],
        }

    # --- writing the site ---------------------------------------------------------------------

    def next(self) -> int:
        self.n += 1
        return self.n

    def write(self, doc: Doc) -> None:
        path = self.content / doc.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_doc(doc), encoding="utf-8")

    def write_config(self) -> None:
        text = yaml.safe_dump(self.config, allow_unicode=True, sort_keys=False)
        (self.site / "config.yaml").write_text(text, encoding="utf-8")

    def media_file(self, doc: Doc, rel: str) -> Path:
        return self.content / os.path.dirname(doc.path) / rel

    def put(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    def create(self) -> None:
        """The starting site: one of each kind, linked to one another."""
        self.site.mkdir(parents=True)
        self.write_config()
        self.put(self.site / "static/logo.png", picture(96, 64, 1, "PNG"))
        self.put(self.site / "static" / STATIC_PDF, b"%PDF-1.4\n" + bytes(3000))
        self.put(self.site / "static/css/them.css", b"/* 0 */ .them { margin: 0; }\n")
        self.put(self.site / "static" / STATIC_PHOTO, picture(300, 200, 7))
        for n in range(6):
            self.new_article(year=2023 + n % 2)
        a = self.articles()
        a[0].photo = Photo(self.media_name("images", "jpg"), "Quang cảnh hội nghị", "Hội nghị. Ảnh: Thanh Hồng")
        self.put(self.media_file(a[0], a[0].photo.file), picture(400, 300, 1))
        a[1].photo = Photo(self.media_name("images", "png"), "Sơ đồ", "")
        self.put(self.media_file(a[1], a[1].photo.file), picture(240, 160, 2, "PNG"))
        a[2].video = self.media_name("videos", "mp4")
        self.put(self.media_file(a[2], a[2].video), mp4_video(640, 360))
        a[3].attachment = self.media_name("files", "docx")
        self.put(self.media_file(a[3], a[3].attachment), b"PK\x03\x04" + bytes(5000))
        a[4].static_link = True
        a[5].featured = a[0].featured = True
        self.add_document(a[1])
        self.docs["pages/gioi-thieu/index.md"] = Doc("pages/gioi-thieu/index.md", "Giới thiệu")
        self.docs["pages/gioi-thieu/lich-su.md"] = Doc("pages/gioi-thieu/lich-su.md", "Lịch sử", order=1)
        self.docs["pages/lien-he.md"] = Doc("pages/lien-he.md", "Liên hệ", links=[a[0].path])
        a[0].links.append("pages/lien-he.md")  # a page linking to an article and back
        a[3].links.append(a[2].path)
        for doc in self.docs.values():
            self.write(doc)

    def media_name(self, folder: str, suffix: str) -> str:
        return f"{folder}/tep-{self.next()}.{suffix}"

    def new_article(self, year: int | None = None) -> Doc:
        n = self.next()
        year = year or self.rng.choice([2023, 2024])
        doc = Doc(
            f"{year}/bai-{n}.md",
            f"Bài viết số {n}",
            self.rng.choice(CATEGORIES),
            f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d} {self.rng.randint(7, 18):02d}:{n % 60:02d}",
            self.rng.sample(TAGS, self.rng.randint(0, 2)),
        )
        self.docs[doc.path] = doc
        return doc

    def add_document(self, doc: Doc) -> None:
        n = self.next()
        doc.document = {
            "number": f"{n}/KH-UBND",
            "issued": f"{doc.date[:4]}-0{self.rng.randint(1, 9)}-1{self.rng.randint(0, 9)}",
            "issuer": self.rng.choice(ISSUERS),
            "file": f"files/van-ban-{n}.pdf",
        }
        self.put(self.media_file(doc, doc.document["file"]), pdf(self.rng))

    # --- choosing ----------------------------------------------------------------------------

    def articles(self, where: Callable[[Doc], bool] = lambda d: True) -> list[Doc]:
        return [d for d in self.docs.values() if not d.is_page and where(d)]

    def pages(self, where: Callable[[Doc], bool] = lambda d: True) -> list[Doc]:
        return [d for d in self.docs.values() if d.is_page and where(d)]

    def menu_pages(self) -> set[str]:
        found = set()
        for entry in self.config["menu"]:
            for item in [entry, *entry.get("children", [])]:
                if "page" in item:
                    found.add("pages/" + item["page"])
        return found

    def published_with(self, has: Callable[[Doc], object], give: Callable[[Doc], None]) -> Doc | None:
        """A published article that has something (a video...), else one given it now."""
        day_before = (self.now - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")  # whatever the time zone
        published = self.articles(lambda d: not d.draft and d.date <= day_before)
        doc = self.pick([d for d in published if has(d)])
        if doc is None:
            doc = self.pick(published)
            if doc is None:
                return None
            give(doc)
            self.write(doc)
        return doc

    def pick(self, docs: list[Doc]) -> Doc | None:
        docs = [d for d in docs if d.path not in self.frozen]
        return self.rng.choice(docs) if docs else None

    def actions(self) -> list[Callable[[], Step | None]]:
        """Every action, once."""
        return [getattr(self, name) for name in sorted(dir(self)) if name.startswith("do_")]

    def random_action(self) -> Callable[[], Step | None]:
        """An action for a random walk; articles' edits come more often (the commonest edits)."""
        return self.rng.choice([*self.actions(), self.do_article_body, self.do_article_title, self.do_add_article])

    def edit_while_broken(self) -> Step:
        """An edit that leaves the broken files alone (the repair comes after it)."""
        safe = [self.do_article_body, self.do_article_tags, self.do_add_article, self.do_edit_page, self.do_static_css]
        return self.rng.choice(safe)()

    def breaking(self, doc: Doc, repair: Callable[[], None], what: str, error: str) -> Step:
        """A step that breaks ``doc``'s file: no edit rewrites it until ``repair`` has run."""
        self.frozen.add(doc.path)

        def repaired() -> str:
            repair()
            self.frozen.discard(doc.path)
            return f"repair: {what}"

        return Step(what, error, repaired)

    # --- articles ----------------------------------------------------------------------------

    def rewrite(self, doc: Doc, what: str) -> Step:
        self.write(doc)
        return Step(f"{what} {doc.path}")

    def do_article_body(self) -> Step | None:
        doc = self.pick(self.articles())
        doc.version += 1
        return self.rewrite(doc, "body")

    def do_article_title(self) -> Step | None:
        doc = self.pick(self.articles())
        doc.title = f"Bài viết số {doc.path.split('-')[-1][:-3]} đổi tên lần {self.next()}"
        return self.rewrite(doc, "title")

    def do_article_date(self) -> Step | None:
        doc = self.pick(self.articles())
        doc.date = f"{self.rng.choice([2022, 2023, 2024])}-{self.rng.randint(1, 12):02d}-1{self.rng.randint(0, 9)} 09:{self.next() % 60:02d}"
        return self.rewrite(doc, f"date {doc.date} of")

    def do_article_category(self) -> Step | None:
        doc = self.pick(self.articles())
        doc.category = self.rng.choice(CATEGORIES)
        return self.rewrite(doc, "category of")

    def do_article_tags(self) -> Step | None:
        doc = self.pick(self.articles())
        doc.tags = self.rng.sample(TAGS, self.rng.randint(0, 3))
        return self.rewrite(doc, "tags of")

    def do_article_featured(self) -> Step | None:
        doc = self.pick(self.articles())
        doc.featured = not doc.featured
        return self.rewrite(doc, f"featured={doc.featured}")

    def do_article_draft(self) -> Step | None:
        doc = self.pick(self.articles())
        doc.draft = not doc.draft
        return self.rewrite(doc, f"draft={doc.draft}")

    def do_article_author(self) -> Step | None:
        """Another author, or another spelling of one (one page), or a name of the same slug (two pages)."""
        doc = self.pick(self.articles())
        doc.author = self.rng.choice(AUTHORS)
        return self.rewrite(doc, f"author {doc.author} of")

    def do_article_unit(self) -> Step | None:
        doc = self.pick(self.articles())
        doc.source_unit = self.rng.choice(UNITS)
        return self.rewrite(doc, f"source unit {doc.source_unit} of")

    def do_article_summary(self) -> Step | None:
        """No summary, the opening paragraph (then not shown twice), a part of it, or other words."""
        doc = self.pick(self.articles())
        opening = f"Nội dung {doc.title.lower()}, bản sửa {doc.version}."
        doc.summary = self.rng.choice([None, opening, opening.split(",")[0], f"Tóm tắt số {self.next()}."])
        return self.rewrite(doc, "summary of")

    def do_article_updated(self) -> Step | None:
        doc = self.pick(self.articles())
        doc.updated = None if doc.updated else f"2025-0{self.rng.randint(1, 9)}-1{self.rng.randint(0, 9)} 10:00"
        return self.rewrite(doc, "updated: of")

    def do_article_image(self) -> Step | None:
        """The image: field: the article's own photo, a picture in static/, or none.

        Or the publisher's logo (see test_the_logo_can_also_be_an_articles_picture).
        """
        doc = self.pick(self.articles())
        choices = [None, f"/{STATIC_PHOTO}"] + ([doc.photo.file] if doc.photo else [])
        logo = self.config["publisher"].get("logo")
        if logo and (self.site / "static" / logo).is_file():
            choices.append(f"/{logo}")
        doc.image = self.rng.choice(choices)
        return self.rewrite(doc, f"image: {doc.image} of")

    def do_article_schedule(self) -> Step | None:
        """A date a few builds ahead (the walk's clock moves an hour a build): published when it comes."""
        doc = self.pick(self.articles())
        doc.date = (self.now + timedelta(minutes=self.rng.randint(30, 200))).strftime("%Y-%m-%d %H:%M")
        return self.rewrite(doc, f"scheduled {doc.date}:")

    def do_add_article(self) -> Step | None:
        doc = self.new_article()
        if self.rng.random() < 0.5:
            doc.links.append(self.rng.choice([d.path for d in self.docs.values() if d is not doc]))
        self.write(doc)
        return Step(f"add {doc.path}")

    def do_rename_article(self) -> Step | None:
        doc = self.pick(self.articles())
        folder, name = os.path.split(doc.path)
        return self.move(doc, f"{folder}/doi-ten-{self.next()}-{name.split('-')[-1]}")

    def do_move_article(self) -> Step | None:
        """Into another year's folder: only articles without files beside them (those would stay behind)."""
        doc = self.pick(self.articles(lambda d: not d.media))
        if doc is None:
            return None
        folder, name = os.path.split(doc.path)
        return self.move(doc, f"{2024 if folder == '2023' else 2023}/{name}")

    def do_delete_article(self) -> Step | None:
        if len(self.articles()) <= 3:
            return None
        doc = self.pick(self.articles())
        (self.content / doc.path).unlink()
        del self.docs[doc.path]
        for other in self.docs.values():
            if doc.path in other.links:
                other.links = [t for t in other.links if t != doc.path]  # the editor removes the links too
                self.write(other)
        return Step(f"delete {doc.path}")

    def move(self, doc: Doc, new: str) -> Step:
        """Rename or move a file; every link to it follows, and so does a menu entry naming it."""
        old = doc.path
        target = self.content / new
        target.parent.mkdir(parents=True, exist_ok=True)
        (self.content / old).rename(target)
        del self.docs[old]
        doc.path = new
        self.docs[new] = doc
        if doc.links:
            self.write(doc)  # its own relative links change with its folder
        for other in self.docs.values():
            if old in other.links:
                other.links = [new if t == old else t for t in other.links]
                self.write(other)
        if old in self.menu_pages():
            for entry in self.config["menu"]:
                for item in [entry, *entry.get("children", [])]:
                    if item.get("page") == old.removeprefix("pages/"):
                        item["page"] = new.removeprefix("pages/")
            self.write_config()
        return Step(f"move {old} -> {new}")

    # --- pages -------------------------------------------------------------------------------

    def do_add_page(self) -> Step | None:
        doc = self.new_page()
        return Step(f"add page {doc.path}")

    def new_page(self) -> Doc:
        """A page at the top or under gioi-thieu/, often linking an article (which may link back)."""
        n = self.next()
        folder = self.rng.choice(["pages", "pages/gioi-thieu"])
        doc = Doc(f"{folder}/trang-{n}.md", f"Trang số {n}", order=self.rng.choice([None, n % 4]))
        article = self.pick(self.articles())
        if article and self.rng.random() < 0.6:
            doc.links.append(article.path)
            if self.rng.random() < 0.5:
                article.links.append(doc.path)  # and back
                self.write(article)
        self.docs[doc.path] = doc
        self.write(doc)
        return doc

    def do_edit_page(self) -> Step | None:
        doc = self.pick(self.pages())
        what = self.rng.choice(["body", "title", "order"])
        if what == "body":
            doc.version += 1
        elif what == "title":
            doc.title = f"{doc.title.split(' (')[0]} ({self.next()})"
        else:
            doc.order = self.rng.choice([None, 1, 2, 3])
        return self.rewrite(doc, f"page {what} of")

    def do_page_link(self) -> Step | None:
        """A page links an article and the article links back, or such a pair of links goes."""
        page, article = self.pick(self.pages()), self.pick(self.articles())
        if article.path in page.links:
            page.links.remove(article.path)
            if page.path in article.links:
                article.links.remove(page.path)
        else:
            page.links.append(article.path)
            article.links.append(page.path)
        self.write(page)
        self.write(article)
        return Step(f"links between {page.path} and {article.path}")

    def do_delete_page(self) -> Step | None:
        doc = self.pick(self.pages(lambda d: d.path not in self.menu_pages() and d.path != "pages/gioi-thieu/index.md"))
        if doc is None:
            return None
        (self.content / doc.path).unlink()
        del self.docs[doc.path]
        for other in self.docs.values():
            if doc.path in other.links:
                other.links.remove(doc.path)
                self.write(other)
        return Step(f"delete page {doc.path}")

    def do_move_page(self) -> Step | None:
        """Into the sub-folder gioi-thieu/ or back out of it (a menu page too: its menu entry follows)."""
        doc = self.pick(self.pages(lambda d: d.path != "pages/gioi-thieu/index.md"))
        if doc is None:
            return None
        name = os.path.basename(doc.path)
        new = f"pages/{name}" if doc.path.startswith("pages/gioi-thieu/") else f"pages/gioi-thieu/{name}"
        if new in self.docs:
            return None
        return self.move(doc, new)

    def do_page_draft(self) -> Step | None:
        """A page (not one the menu names) becomes a draft, or is published again."""
        doc = self.pick(self.pages(lambda d: d.path not in self.menu_pages())) or self.new_page()
        doc.draft = not doc.draft
        return self.rewrite(doc, f"draft={doc.draft}")

    def do_break_menu_page(self) -> Step | None:
        """Delete a page the menu names: an error at the menu's line; the repair writes it again."""
        doc = self.pick(self.pages(lambda d: d.path in self.menu_pages()))
        if doc is None:
            return None
        (self.content / doc.path).unlink()
        return self.breaking(doc, lambda: self.write(doc), f"delete menu page {doc.path}", "config.yaml")

    # --- documents ---------------------------------------------------------------------------

    def do_add_document_article(self) -> Step | None:
        doc = self.new_article()
        self.add_document(doc)
        self.write(doc)
        return Step(f"add document article {doc.path}")

    def do_document_fields(self) -> Step | None:
        doc = self.pick(self.articles(lambda d: d.document is not None))
        if doc is None:
            return None
        what = self.rng.choice(["issuer", "number", "issued"])
        if what == "issuer":
            doc.document["issuer"] = self.rng.choice(ISSUERS)
        elif what == "number":
            doc.document["number"] = f"{self.next()}/QĐ-UBND"
        else:
            doc.document["issued"] = (
                f"{self.rng.choice([2022, 2023, 2024])}-1{self.rng.randint(0, 2)}-0{self.rng.randint(1, 9)}"
            )
        return self.rewrite(doc, f"document {what} of")

    def do_document_resized(self) -> Step | None:
        """The PDF replaced by one of another size (the size is shown with the download)."""
        doc = self.pick(self.articles(lambda d: d.document is not None))
        if doc is None:
            return None
        self.media_file(doc, doc.document["file"]).write_bytes(pdf(self.rng))
        return Step(f"replace the PDF of {doc.path}")

    def do_document_same_size(self) -> Step | None:
        """The PDF replaced by other bytes of the same size: only the published copy changes."""
        doc = self.pick(self.articles(lambda d: d.document is not None))
        if doc is None:
            return None
        path = self.media_file(doc, doc.document["file"])
        path.write_bytes(b"%PDF-1.4\n" + self.rng.randbytes(path.stat().st_size - 9))
        return Step(f"replace the PDF of {doc.path} by one of the same size")

    def do_break_document(self) -> Step | None:
        doc = self.published_with(lambda d: d.document, self.add_document)
        if doc is None:
            return None
        return self.vanish(self.media_file(doc, doc.document["file"]), f"content/{doc.path}", f"PDF of {doc.path}")

    def do_remove_document(self) -> Step | None:
        """The article stops being a document (its PDF stays, unpublished); the register keeps another."""
        doc = self.pick(self.articles(lambda d: d.document is not None))
        if doc is None:
            return None
        other = self.pick(self.articles(lambda d: d is not doc))
        if other and other.document is None and len(self.articles(lambda d: d.document is not None)) < 2:
            self.add_document(other)
            self.write(other)
        doc.document = None
        return self.rewrite(doc, "no more document:")

    def vanish(self, path: Path, error: str, what: str) -> Step:
        """Delete a file the site needs: the build fails; the repair puts the same bytes back."""
        data = path.read_bytes()
        path.unlink()

        def repair() -> str:
            path.write_bytes(data)
            return f"restore {what}"

        return Step(f"delete {what}", error, repair)

    # --- photos ------------------------------------------------------------------------------

    def do_add_photo(self) -> Step | None:
        doc = self.pick(self.articles(lambda d: d.photo is None))
        if doc is None:
            return None
        self.give_photo(doc)
        return self.rewrite(doc, f"add {doc.photo.file} to")

    def give_photo(self, doc: Doc) -> None:
        kind = self.rng.choice(["JPEG", "PNG"])
        doc.photo = Photo(self.media_name("images", "jpg" if kind == "JPEG" else "png"), "Ảnh mới", "Chú thích mới")
        size = self.rng.choice([(300, 200), (200, 300), (480, 320)])
        self.put(self.media_file(doc, doc.photo.file), picture(*size, self.next(), kind))

    def do_photo_repaint(self) -> Step | None:
        """The photo replaced by other pixels of the same dimensions."""
        return self.new_pixels(resize=False)

    def do_photo_resize(self) -> Step | None:
        """The photo replaced by one of other dimensions (fewer or more published widths)."""
        return self.new_pixels(resize=True)

    def new_pixels(self, resize: bool) -> Step | None:
        doc = self.pick(self.articles(lambda d: d.photo is not None and self.media_file(d, d.photo.file).exists()))
        if doc is None:
            return None
        path = self.media_file(doc, doc.photo.file)
        from PIL import Image

        with Image.open(path) as image:
            size, kind = image.size, image.format
        if resize:
            size = self.rng.choice([(150, 100), (360, 240), (520, 300), (300, 450)])
        path.write_bytes(picture(*size, self.next(), kind))
        return Step(f"{'resize' if resize else 'repaint'} the photo of {doc.path} ({size[0]}×{size[1]})")

    def do_photo_text(self) -> Step | None:
        doc = self.pick(self.articles(lambda d: d.photo is not None))
        if doc is None:
            return None
        if self.rng.random() < 0.5:
            doc.photo.alt = f"Mô tả ảnh {self.next()}"
        else:
            doc.photo.caption = self.rng.choice(["", f"Chú thích {self.next()}"])
        return self.rewrite(doc, "photo alt/caption of")

    def do_photo_vanishes(self) -> Step | None:
        """A photo deleted (a warning: the build goes on), or one deleted earlier put back."""
        doc = self.pick(self.articles(lambda d: d.photo is not None))
        if doc is None:
            return None
        path = self.media_file(doc, doc.photo.file)
        if path.exists():
            self.missing_photos[path] = path.read_bytes()
            path.unlink()
            return Step(f"delete the photo of {doc.path} (a warning)")
        path.write_bytes(
            self.missing_photos.pop(path, picture(200, 150, 0, "PNG" if path.suffix == ".png" else "JPEG"))
        )
        return Step(f"put back the photo of {doc.path}")

    def do_break_photo(self) -> Step | None:
        """A photo cut short (a copy that did not finish): an error at the article; then copied again."""
        doc = self.published_with(lambda d: d.photo and self.media_file(d, d.photo.file).exists(), self.give_photo)
        if doc is None:
            return None
        path = self.media_file(doc, doc.photo.file)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])

        def repair() -> str:
            path.write_bytes(data)
            return f"copy the photo of {doc.path} again"

        return Step(f"cut the photo of {doc.path} short", f"content/{doc.path}", repair)

    def do_remove_photo(self) -> Step | None:
        doc = self.pick(self.articles(lambda d: d.photo is not None))
        if doc is None:
            return None
        doc.photo = None
        return self.rewrite(doc, "photo taken out of")

    # --- videos, attachments, static files ----------------------------------------------------

    def do_add_video(self) -> Step | None:
        doc = self.pick(self.articles(lambda d: d.video is None))
        if doc is None:
            return None
        self.give_video(doc)
        return self.rewrite(doc, "add a video to")

    def give_video(self, doc: Doc) -> None:
        doc.video = self.media_name("videos", "mp4")
        self.put(self.media_file(doc, doc.video), mp4_video(*self.rng.choice([(640, 360), (360, 640)])))

    def do_add_attachment(self) -> Step | None:
        doc = self.pick(self.articles(lambda d: d.attachment is None))
        if doc is None:
            return None
        self.give_attachment(doc)
        return self.rewrite(doc, "add an attachment to")

    def give_attachment(self, doc: Doc) -> None:
        doc.attachment = self.media_name("files", self.rng.choice(["docx", "xlsx", "zip"]))
        self.put(self.media_file(doc, doc.attachment), b"PK\x03\x04" + self.rng.randbytes(self.rng.choice([700, 9000])))

    def do_video(self) -> Step | None:
        doc = self.pick(self.articles(lambda d: d.video is not None))
        if doc is None:
            return None
        frame = self.rng.choice([(640, 360), (360, 640), (1280, 720)])
        self.media_file(doc, doc.video).write_bytes(mp4_video(*frame, self.rng.choice([0, 0, 700])))
        return Step(f"replace the video of {doc.path} ({frame[0]}×{frame[1]})")

    def do_break_video(self) -> Step | None:
        doc = self.published_with(lambda d: d.video, self.give_video)
        if doc is None:
            return None
        return self.vanish(self.media_file(doc, doc.video), f"content/{doc.path}", f"video of {doc.path}")

    def do_attachment(self) -> Step | None:
        doc = self.pick(self.articles(lambda d: d.attachment is not None))
        if doc is None:
            return None
        size = self.rng.choice([900, 5000, 120_000, 2_100_000])
        self.media_file(doc, doc.attachment).write_bytes(b"PK\x03\x04" + self.rng.randbytes(size))
        return Step(f"replace the attachment of {doc.path} ({size} bytes)")

    def do_break_attachment(self) -> Step | None:
        doc = self.published_with(lambda d: d.attachment, self.give_attachment)
        if doc is None:
            return None
        return self.vanish(self.media_file(doc, doc.attachment), f"content/{doc.path}", f"attachment of {doc.path}")

    def do_static_pdf(self) -> Step | None:
        """The PDF in static/ that an article links: its size is in that article's body."""
        size = self.rng.choice([500, 3000, 70_000])
        (self.site / "static" / STATIC_PDF).write_bytes(b"%PDF-1.4\n" + self.rng.randbytes(size))
        return Step(f"replace static/{STATIC_PDF} ({size} bytes)")

    def do_static_css(self) -> Step | None:
        path = self.site / "static/css/them.css"
        choice = self.rng.choice(["change", "change", "delete"]) if path.exists() else "add"
        if choice == "delete":
            path.unlink()
        else:
            self.put(path, f"/* {self.next()} */ .them {{ margin: {self.n % 7}px; }}\n".encode())
        return Step(f"{choice} static/css/them.css")

    def do_template(self) -> Step | None:
        """A template of the site's theme override: added, changed, or removed (the built-in one is back)."""
        name = self.rng.choice(TEMPLATES)
        path = self.site / "themes/default/templates" / name
        if path.exists() and self.rng.random() < 0.4:
            path.unlink()
            return Step(f"remove the override of {name}")
        source = path if path.exists() else BUILTIN_THEMES / "default/templates" / name
        text = source.read_text(encoding="utf-8") + f"\n<!-- sửa {self.next()} -->\n"
        self.put(path, text.encode("utf-8"))
        return Step(f"override {name}")

    def do_theme_catalogue(self) -> Step | None:
        """The site's theme rewords one UI text (its own theme.po, vi or en), or stops rewording it."""
        language = self.rng.choice(["vi", "en"])
        path = self.site / "themes/default/locale" / language / "LC_MESSAGES/theme.po"
        if path.exists() and self.rng.random() < 0.4:
            path.unlink()
            return Step(f"remove the site's {language} theme.po")
        entry = f'msgid "Tin mới nhất"\nmsgstr "Tin mới nhất số {self.next()}"\n'
        self.put(path, ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n' + entry).encode())
        return Step(f"reword 'Tin mới nhất' in the site's {language} theme.po")

    # --- config and logo ---------------------------------------------------------------------

    def do_config_per_page(self) -> Step | None:
        self.config["per_page"] = self.rng.choice([1, 2, 3, 20])
        self.write_config()
        return Step(f"config: per_page {self.config['per_page']}")

    def do_config_home_featured(self) -> Step | None:
        self.config["home_featured"] = self.rng.choice([0, 1, 2, 3])
        self.write_config()
        return Step(f"config: home_featured {self.config['home_featured']}")

    def do_config_publisher(self) -> Step | None:
        key = self.rng.choice(["name", "phone", "address"])
        self.config["publisher"][key] = f"{key} {self.next()}"
        self.write_config()
        return Step(f"config: publisher {key}")

    def do_config_menu(self) -> Step | None:
        self.change_menu()
        self.write_config()
        return Step("config: menu")

    def do_config_category_slug(self) -> Step | None:
        """A category gets a slug of its own, or loses it: its pages move to another address."""
        categories = self.config["categories"]
        i = self.rng.randrange(len(categories))
        entry = categories[i]
        categories[i] = entry["name"] if isinstance(entry, dict) else {"name": entry, "slug": f"muc-{self.next()}"}
        self.write_config()
        return Step(f"config: slug of {categories[i]}")

    def do_config_permalinks(self) -> Step | None:
        """Every article moves: bai-viet/{year}/{slug}/, or back to the default."""
        if self.config.pop("permalinks", None) is None:
            self.config["permalinks"] = {"article": "bai-viet/{year}/{slug}/"}
        self.write_config()
        return Step(f"config: permalinks {self.config.get('permalinks')}")

    def do_static_photo_use(self) -> Step | None:
        """An article shows static/anh-chung.jpg, or stops showing it (it is then copied as it is)."""
        doc = self.pick(self.articles())
        doc.static_photo = not doc.static_photo
        return self.rewrite(doc, f"static photo={doc.static_photo} in")

    def do_static_photo_pixels(self) -> Step | None:
        size = self.rng.choice([(300, 200), (420, 280)])
        self.put(self.site / "static" / STATIC_PHOTO, picture(*size, self.next()))
        return Step(f"new pixels in static/{STATIC_PHOTO} ({size[0]}×{size[1]})")

    def do_config_site(self) -> Step | None:
        """The site's title (pages, feeds, the icons' and manifest's name) or description."""
        key = self.rng.choice(["title", "description"])
        self.config[key] = f"Cổng thông tin huyện Thử Nghiệm {self.next()}"
        self.write_config()
        return Step(f"config: {key}")

    def do_config_base_url(self) -> Step | None:
        """The site moves under a sub-path, or back: every link changes."""
        url = "https://example.test/"
        self.config["base_url"] = "https://example.test/tin-tuc/" if self.config["base_url"] == url else url
        self.write_config()
        return Step(f"config: base_url {self.config['base_url']}")

    def do_config_timezone(self) -> Step | None:
        """Another time zone: dates without an offset move, and with them some articles' month."""
        self.config["timezone"] = "UTC" if self.config.get("timezone") != "UTC" else "Asia/Ho_Chi_Minh"
        self.write_config()
        return Step(f"config: timezone {self.config['timezone']}")

    def do_config_image_widths(self) -> Step | None:
        """Other widths: every photo gets other versions."""
        self.config["image_widths"] = [200] if self.config["image_widths"] != [200] else [160, 320]
        self.write_config()
        return Step(f"config: image_widths {self.config['image_widths']}")

    def do_config_lists(self) -> Step | None:
        """How many articles the home page, the feeds and the related lists show; whole articles in feeds."""
        key = self.rng.choice(["home_latest", "home_per_category", "related_count", "feed_size", "feed_full_content"])
        low = 1 if key in ("home_latest", "feed_size") else 0
        self.config[key] = self.rng.choice([True, False] if key == "feed_full_content" else [low, 1, 3])
        self.write_config()
        return Step(f"config: {key} {self.config[key]}")

    def do_config_allow_html(self) -> Step | None:
        """Raw HTML in the articles (each has some) shown as text, or let through."""
        self.config["allow_html"] = not self.config.get("allow_html", False)
        self.write_config()
        return Step(f"config: allow_html {self.config['allow_html']}")

    def do_config_language(self) -> Step | None:
        """The site's language: the theme's texts, dates and sizes follow it."""
        self.config["language"] = "en" if self.config.get("language", "vi") == "vi" else "vi"
        self.write_config()
        return Step(f"config: language {self.config['language']}")

    def change_menu(self) -> None:
        """Add or remove a top-level entry (a page, a category, a link), or reorder the menu."""
        menu = self.config["menu"]
        choice = self.rng.choice(["add", "remove", "reorder"])
        if choice == "remove" and len(menu) > 2:
            menu.pop(self.rng.randrange(1, len(menu)))
        elif choice == "reorder":
            self.rng.shuffle(menu)
        else:
            named = self.menu_pages()
            free = self.pages(lambda d: d.path not in named and not d.draft)
            options = [
                {"category": self.rng.choice(CATEGORIES)},
                {"name": f"Liên kết {self.next()}", "url": "luu-tru/"},
            ]
            if free:
                options.append({"page": self.rng.choice(free).path.removeprefix("pages/")})
            menu.append(self.rng.choice(options))

    def do_logo_pixels(self) -> Step | None:
        """New pixels in the logo (or a logo again after none): the icons are made again."""
        name = self.config["publisher"].get("logo") or "logo.png"
        self.put(self.site / "static" / name, picture(self.rng.choice([64, 96, 200]), 64, self.next(), "PNG"))
        self.config["publisher"]["logo"] = name
        self.write_config()
        return Step(f"new pixels in static/{name}")

    def do_logo_file(self) -> Step | None:
        """config.yaml names another logo file."""
        name = f"logo-{self.next()}.png"
        self.put(self.site / "static" / name, picture(128, 128, self.n, "PNG"))
        self.config["publisher"]["logo"] = name
        self.write_config()
        return Step(f"logo: {name}")

    def do_logo_none(self) -> Step | None:
        """No logo: the icons show the emblem."""
        if not self.config["publisher"].pop("logo", None):
            return None
        self.write_config()
        return Step("no logo (the emblem)")

    def do_break_logo(self) -> Step | None:
        name = self.config["publisher"].get("logo")
        if not name:
            return None
        return self.vanish(self.site / "static" / name, "config.yaml", f"static/{name}")

    def do_break_logo_bytes(self) -> Step | None:
        """The logo overwritten by something that is no picture: an error at the logo; then the old one back."""
        name = self.config["publisher"].get("logo")
        if not name:
            return None
        path = self.site / "static" / name
        data = path.read_bytes()
        path.write_bytes(b"<html>not a picture</html>")

        def repair() -> str:
            path.write_bytes(data)
            return f"restore static/{name}"

        return Step(f"garbage in static/{name}", f"static/{name}", repair)

    def do_build_drafts(self) -> Step | None:
        """The next builds show drafts and scheduled articles (--drafts --future), or stop showing them."""
        self.options["drafts"] = self.options["future"] = not self.options["drafts"]
        return Step(f"build with drafts and future articles: {self.options['drafts']}")

    def do_break_front_matter(self) -> Step | None:
        """A typo in an article's category: an error; the repair writes the file again from the model."""
        doc = self.pick(self.articles())
        typo = render_doc(doc).replace(f"category: {quoted(doc.category)}", 'category: "Tin tuc"')
        (self.content / doc.path).write_text(typo, encoding="utf-8")
        return self.breaking(doc, lambda: self.write(doc), f"typo in the category of {doc.path}", f"content/{doc.path}")


def pdf(rng: random.Random) -> bytes:
    return b"%PDF-1.4\n" + rng.randbytes(rng.choice([1000, 20_000, 330_000]))


# --- the walk ------------------------------------------------------------------------------------


class Builds:
    """The site's incremental builds (disk cache, as the command line; or one cache in memory, as the preview)."""

    def __init__(self, site: Path, output: Path, in_memory: bool, options: dict | None = None):
        self.site, self.output = site, output
        self.cache = open_cache(site, output) if in_memory else None
        self.now = NOW
        self.options = options if options is not None else {}

    def incremental(self) -> None:
        build(self.site, BuildOptions(output=self.output, now=self.now, **self.options), cache=self.cache)

    def clean(self, folder: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
        """A clean build of a fresh copy of the sources: its output's files and their permissions."""
        copy = copy_sources(self.site, folder)
        build(copy, BuildOptions(output=copy / "output", now=self.now, clean=True, **self.options))
        found = tree_bytes(copy / "output"), tree_modes(copy / "output")
        shutil.rmtree(folder)
        return found


def differences(builds: Builds, folder: Path) -> list[str]:
    """Where the incremental output differs from a clean build: contents, folders, permissions."""
    files, modes = builds.clean(folder)
    found = tree_differences(tree_bytes(builds.output), files)
    return found + [f"mode: {d}" for d in tree_differences(tree_modes(builds.output), modes)]


def walk(
    tmp_path: Path, seed: int, tour: bool = False, steps: int = 0, per_build: int = 1, in_memory: bool = False
) -> set[str]:
    """Edit, build incrementally, compare with a clean build; returns the names of the actions applied.

    ``tour`` first applies every action once, in a shuffled order, ``per_build`` actions between
    two builds (an action not applicable yet is tried again at the end); then ``steps`` random
    actions, each followed by a build.
    """
    rng = random.Random(seed)
    world = World(tmp_path / "site", rng)
    world.create()
    builds = Builds(world.site, tmp_path / "output", in_memory, world.options)
    history: list[str] = ["create"]
    applied: set[str] = set()

    def compare(label: str) -> None:
        found = differences(builds, tmp_path / "clean")
        assert not found, (
            f"seed {seed}, {label}: the incremental output differs from a clean build\n"
            + "\n".join(found)
            + "\nactions: "
            + " | ".join(history)
        )

    def apply(action: Callable[[], Step | None]) -> bool:
        done = action()
        if done is None:
            return False
        applied.add(action.__name__)
        history.append(done.name)
        if done.error:
            fail(builds, done.error, history, seed)
            if rng.random() < 0.5:  # another edit while the site is broken
                history.append(world.edit_while_broken().name)
                fail(builds, done.error, history, seed)
            history.append(done.repair())
        return True

    builds.incremental()
    compare("first build")
    count = 0

    def build_and_compare() -> None:
        nonlocal count
        count += 1
        builds.now = world.now = builds.now + timedelta(hours=1)  # time passes: scheduled articles come due
        builds.incremental()
        compare(f"build {count}")

    if tour:
        actions = world.actions()
        rng.shuffle(actions)
        later = []
        for i in range(0, len(actions), per_build):
            later += [action for action in actions[i : i + per_build] if not apply(action)]
            build_and_compare()
        if [action for action in later if apply(action)]:  # not applicable at first: try once more
            build_and_compare()
    for _ in range(steps):
        while not apply(world.random_action()):
            pass
        build_and_compare()
    return applied


def fail(builds: Builds, path: str, history: list[str], seed: int) -> None:
    """The build must fail with an error naming ``path``, and leave the output as it was."""
    before = tree_bytes(builds.output)
    with pytest.raises(BuildFailed) as failed:
        builds.incremental()
        pytest.fail(
            f"seed {seed}: the build did not fail (expected an error in {path}); actions: {' | '.join(history)}"
        )
    shown = "\n".join(problem.render() for problem in failed.value.errors)
    assert any(problem.path == path for problem in failed.value.errors), (
        f"seed {seed}: expected an error in {path}, got:\n{shown}\nactions: {' | '.join(history)}"
    )
    assert tree_bytes(builds.output) == before, f"seed {seed}: a failed build changed the output"


@pytest.mark.slow  # 74 edits, each with a clean build beside it (~10 s); quick runs keep test_patched's and test_page_index's
def test_every_kind_of_edit_gives_the_output_of_a_clean_build(tmp_path):
    """A tour: each action once (five between builds, to stay quick); the long walks below go further."""
    applied = walk(tmp_path, seed=1, tour=True, per_build=5)
    assert applied == {action.__name__ for action in World(tmp_path, random.Random()).actions()}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [10, 11])
def test_long_random_walks_give_the_output_of_a_clean_build(tmp_path, seed):
    """One build after each action; odd seeds keep one cache in memory, as the preview does.

    Two walks of 40 random steps (every action is already applied by the default tour): each step is
    two builds, and CI must stay under 15 minutes. Run more seeds by hand when the engine changes.
    """
    walk(tmp_path, seed, tour=False, steps=40, in_memory=seed % 2 == 1)


# --- focused cases --------------------------------------------------------------------------------


def same_size_png(seed: int) -> bytes:
    """An uncompressed PNG: every seed gives the same number of bytes, with other pixels."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (200, 100), (seed * 40 % 256, 90, 30)).save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


SAME_SIZE_REWRITES = {
    "article": ("content/2024/a.md", lambda data: data.replace("Hùng".encode(), "Hưng".encode())),
    "photo": ("content/2024/images/a.png", lambda data: same_size_png(2)),
    "document": ("content/2024/files/kh.pdf", lambda data: data[:-4] + b"EOF2"),
    "static file": ("static/css/them.css", lambda data: data.replace(b"margin: 1px", b"margin: 2px")),
}


@pytest.mark.parametrize("kind", SAME_SIZE_REWRITES)
def test_a_file_rewritten_with_the_same_size_within_one_timestamp_tick_is_seen(tmp_path, kind):
    """Two saves of a file in the same clock tick leave it the same mtime: Linux stamps files from a
    clock that ticks every few milliseconds, FAT32 (USB sticks) every 2 s; ``cp -p``, ``rsync -a``
    and unzip keep a file's old mtime. An editor who corrects one letter (Hùng → Hưng, as many
    bytes) then keeps a stale page online, and every later build keeps it, until the file changes
    again. Here the mtime is set back explicitly, and another article is edited too, so the build
    cannot stop at "nothing changed". The files are stamped a minute ahead before the first build
    (``stamp_ahead``), so that it records them as just saved even when a loaded machine makes it slow.
    """
    from sitekit import article, write_site

    body = "Ông Hùng phát biểu.\n\n![Ảnh](images/a.png)\n\nXem [Kế hoạch](files/kh.pdf)."
    site = write_site(
        tmp_path / "site",
        {"2024/a.md": article("Một", body=body), "2024/b.md": article("Hai")},
        image_widths=[160],
    )
    files = {
        "content/2024/images/a.png": same_size_png(1),
        "content/2024/files/kh.pdf": b"%PDF-1.4\n" + bytes(2000) + b"EOF1",
        "static/css/them.css": b".them { margin: 1px; }\n",
    }
    for rel, data in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    stamp_ahead([site / rel for rel in files] + [site / SAME_SIZE_REWRITES["article"][0]])  # "just saved"
    builds = Builds(site, tmp_path / "output", in_memory=False)
    builds.incremental()
    rel, change = SAME_SIZE_REWRITES[kind]
    path = site / rel
    stat = path.stat()
    new = change(path.read_bytes())
    assert len(new) == stat.st_size and new != path.read_bytes()
    path.write_bytes(new)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same tick
    other = site / "content/2024/b.md"
    other.write_text(other.read_text(encoding="utf-8") + "\nThêm một câu.\n", encoding="utf-8")
    builds.incremental()
    found = differences(builds, tmp_path / "clean")
    assert not found, "\n".join(found)


def test_through_the_command_line_a_missing_document_keeps_the_site_online_and_its_return_matches_a_clean_build(
    tmp_path,
):
    """As an editor runs it: ``python build.py build``. The error names the article's line holding
    ``document:``; output/ stays as it was; once the PDF is back, output/ equals a clean build."""
    world = World(tmp_path / "site", random.Random(5))
    world.create()
    site = str(world.site)
    assert run_cli_in_process("build", "--site", site).returncode == 0
    before = tree_bytes(world.site / "output")
    doc = world.articles(lambda d: d.document is not None)[0]
    step = world.vanish(world.media_file(doc, doc.document["file"]), f"content/{doc.path}", "PDF")
    failed = run_cli_in_process("build", "--site", site)
    line = render_doc(doc).splitlines().index("document:") + 1
    assert failed.returncode == 1
    assert f"content/{doc.path}:{line}: " in failed.stderr, failed.stderr  # then "error" (or its translation)
    assert tree_bytes(world.site / "output") == before
    step.repair()
    assert run_cli_in_process("build", "--site", site).returncode == 0
    clean = copy_sources(world.site, tmp_path / "clean")
    assert run_cli_in_process("build", "--site", str(clean), "--clean").returncode == 0
    found = tree_differences(tree_bytes(world.site / "output"), tree_bytes(clean / "output"))
    assert not found, "\n".join(found)


def test_a_clean_build_reads_every_photo_again(tmp_path):
    """``build --clean`` is what an editor is told to run when a build looks wrong ("ignores the build
    cache"); it must not keep a photo that changed without its size or mtime changing."""
    from sitekit import article, build_ok, write_site

    site = write_site(tmp_path / "site", {"2024/a.md": article("Một", body="![Ảnh](images/a.png)")}, image_widths=[160])
    photo = site / "content/2024/images/a.png"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(same_size_png(1))
    build_ok(site)
    stat = photo.stat()
    photo.write_bytes(same_size_png(2))
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    clean = build_ok(site, tmp_path / "clean", clean=True)
    fresh = build_ok(copy_sources(site, tmp_path / "fresh"))
    found = tree_differences(tree_bytes(clean), tree_bytes(fresh))
    assert not found, "\n".join(found)


@pytest.mark.parametrize("use", ["image: field", "in the text"])
def test_the_logo_can_also_be_an_articles_picture(tmp_path, use):
    """A notice without a photo of its own shows the office's logo (``image: /logo.png``, or the logo
    in its text). Found by the walks: the build stops with "the theme asks for static file
    'logo.png', which no theme folder has", naming no file an editor could fix, clean build or not."""
    from sitekit import article, build_ok, page, write_site

    fields = {"image": "/logo.png"} if use == "image: field" else {}
    body = "![Biểu trưng](/logo.png)" if use == "in the text" else "Thông báo lịch tiếp dân."
    site = write_site(
        tmp_path / "site",
        {"2024/a.md": article("Thông báo", "Thông báo", body=body, **fields)},
        publisher={"name": "UBND huyện Thử Nghiệm", "logo": "logo.png"},
    )
    (site / "static").mkdir()
    (site / "static/logo.png").write_bytes(picture(96, 64, 1, "PNG"))
    out = build_ok(site, clean=True)
    sources = [img.attrs.get("src", "") for img in page(out, "").find_all("img")]
    assert any(src.startswith("/logo.png") for src in sources), sources
