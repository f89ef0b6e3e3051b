"""Drawings (SVG) beside articles: hostile ones are refused with a located error, plain ones published as they are.

Every hostile drawing here is one a browser would act upon if it were published: a program run
in the site's origin, or a file loaded from elsewhere. They are built into real sites through
the real command line; the pure checker (``svg.problems``) is also asked directly, for the
drawing's own line of each problem.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sitekit import article, build_ok, page, run_cli_in_process, write_site

from newsroom import BuildFailed
from newsroom.svg import check_files, problems

OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="60">\n'
BOX = '<rect width="120" height="60" fill="#c00"/>\n'

# name -> (file text, what the message must say, the drawing's line of the first problem)
HOSTILE = {
    "script": (OPEN + BOX + "<script>document.title = 'pwned'; alert(1)</script>\n</svg>\n", "<script>", 3),
    "onload": (OPEN.replace("width=", 'onload="alert(1)" width=') + BOX + "</svg>\n", "'onload' on <svg>", 1),
    "onload-upper": (OPEN + BOX + '<g ONLOAD="alert(1)">' + BOX + "</g>\n</svg>\n", "'ONLOAD' on <g>", 3),
    "xlink-javascript": (
        OPEN + BOX + '<a xlink:href="javascript:alert(1)">\n' + BOX + "</a>\n</svg>\n",
        "a javascript: link",
        3,
    ),
    "entity-javascript": (
        OPEN + BOX + BOX + '<a href="&#106;ava&#x09;script&#58;alert(1)">' + BOX + "</a></svg>\n",
        "a javascript: link",
        4,
    ),
    "foreign-object": (
        OPEN
        + '<foreignObject width="100" height="50">\n'
        + '<div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(1)"/></div>\n'
        + "</foreignObject>\n</svg>\n",
        "<foreignObject>",
        2,
    ),
    "external-image": (
        OPEN + BOX + '<image href="http://evil.test/x.png" width="10" height="10"/>\n</svg>\n',
        "http://evil.test/x.png",
        3,
    ),
    "external-use": (
        OPEN + '<use href="http://evil.test/sprite.svg#x"/>\n</svg>\n',
        "http://evil.test/sprite.svg#x",
        2,
    ),
    "style-import": (
        OPEN + "<style>\n@import url(http://evil.test/x.css);\n</style>\n" + BOX + "</svg>\n",
        "@import",
        2,
    ),
    "style-url": (
        OPEN + "<style>rect { fill: url(http://evil.test/p.svg#g) }</style>\n" + BOX + "</svg>\n",
        "url(http://evil.test/p.svg#g)",
        2,
    ),
    "style-escaped-url": (
        OPEN + BOX + '<rect width="9" height="9" style="fill: \\75 rl(http://evil.test/p.svg#g)"/>\n</svg>\n',
        "url(http://evil.test/p.svg#g)",
        3,
    ),
    "set-href": (
        OPEN + "<a>\n" + BOX + '<set attributeName="href" to="javascript:alert(1)"/>\n</a>\n</svg>\n',
        "<set> that changes 'href'",
        4,
    ),
    "animate-onbegin": (
        OPEN + BOX + '<animate attributeName="x" dur="1s" onbegin="alert(1)"/>\n</svg>\n',
        "'onbegin' on <animate>",
        3,
    ),
    "animate-to-onclick": (
        OPEN + BOX + '<animate attributeName="onclick" to="alert(1)" dur="1s"/>\n</svg>\n',
        "<animate> that changes 'onclick'",
        3,
    ),
    "doctype-entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY link "javascript:alert(1)">\n]>\n'
        + OPEN
        + '<a href="&link;">'
        + BOX
        + "</a></svg>\n",
        "DOCTYPE with declarations",
        2,
    ),
    "billion-laughs": (
        '<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY a "lollollollollollollollollollol">\n'
        + "".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9)
        )  # &j; is 10^9 copies
        + "]>\n"
        + OPEN
        + "<text>&j;</text></svg>\n",
        "DOCTYPE with declarations",
        2,
    ),
    "html-script": (
        OPEN + '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>\n</svg>\n',
        "<script>",
        2,
    ),
    "stylesheet-instruction": (
        '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="http://evil.test/x.xsl"?>\n' + OPEN + "</svg>\n",
        "<?xml-stylesheet",
        2,
    ),
    "data-svg": (
        OPEN + '<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" width="9" height="9"/>\n</svg>\n',
        "not a PNG, JPEG, GIF or WebP",
        2,
    ),
}

BENIGN = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
     xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:cc="http://creativecommons.org/ns#"
     width="240" height="120" viewBox="0 0 240 120" version="1.1" xml:space="preserve">
  <title>Sơ đồ dân số xã Tả Thanh Oai</title>
  <metadata><rdf:RDF><cc:Work rdf:about=""><cc:license rdf:resource="http://creativecommons.org/licenses/by/4.0/"/></cc:Work></rdf:RDF></metadata>
  <sodipodi:namedview pagecolor="#ffffff" inkscape:zoom="1.5"/>
  <defs>
    <linearGradient id="nen" x1="0" x2="1"><stop offset="0" stop-color="#c00"/><stop offset="1" stop-color="#fc0"/></linearGradient>
    <style type="text/css"><![CDATA[
      .cot { fill: url(#nen); stroke: #333; stroke-width: 1 }
      text { font-family: 'Be Vietnam Pro', sans-serif; font-size: 12px; fill: #222 }
    ]]></style>
    <symbol id="cham"><circle cx="4" cy="4" r="4" fill="#06c"/></symbol>
  </defs>
  <rect width="240" height="120" fill="#fff" data-name="nền" inkscape:label="nền"/>
  <rect class="cot" x="20" y="40" width="40" height="70"/>
  <path d="M80 110 V20 H120 V110 Z" fill="url(#nen)" style="opacity:0.8"/>
  <use href="#cham" x="150" y="60"/><use xlink:href="#cham" x="170" y="60"/>
  <a href="#cham"><text x="10" y="20">Dân số 2024 &amp; 2025</text></a>
  <image x="200" y="10" width="1" height="1" href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="/>
</svg>
"""


def _site(tmp_path: Path, drawings: dict[str, str], **config) -> tuple[Path, dict[str, int]]:
    """One article showing each drawing on its own line; returns the site and each drawing's line."""
    lines, body = {}, ["Mở đầu."]
    for name in drawings:
        body.append(f"![Hình {name}](images/{name}.svg)")
    text = article("Bài có hình vẽ", body="\n\n".join(body))
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("![Hình "):
            lines[line.split("(images/")[1].split(".svg")[0]] = number
    site = write_site(tmp_path / "s", {"2024/bai.md": text}, **config)
    folder = site / "content/2024/images"
    folder.mkdir(parents=True, exist_ok=True)
    for name, svg in drawings.items():
        (folder / f"{name}.svg").write_text(svg, encoding="utf-8")
    return site, lines


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_checker_finds_each_hostile_drawing_at_its_line(name):
    text, says, line = HOSTILE[name]
    found, count = problems(text.encode("utf-8"))
    assert found and count >= 1, name
    assert says in found[0].message, found[0]
    assert found[0].line == line, found[0]
    assert not found[0].broken


def test_every_hostile_drawing_stops_the_build_at_the_article_line_naming_it(tmp_path):
    site, lines = _site(tmp_path, {name: text for name, (text, _, _) in HOSTILE.items()})
    started = time.monotonic()
    result = run_cli_in_process("build", "--site", str(site))
    assert time.monotonic() - started < 60  # the entity bomb was not expanded
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    for name, (_, says, line) in HOSTILE.items():
        prefix = (
            f"content/2024/bai.md:{lines[name]}: error: image 'images/{name}.svg' is not safe to publish: it holds "
        )
        found = [row for row in result.stderr.splitlines() if row.startswith(prefix)]
        assert found, (name, result.stderr)
        assert says in found[0] and f"(line {line} of the drawing)" in found[0], found[0]
    assert result.stderr.count("hint: export the drawing again as plain SVG") == len(HOSTILE)
    assert not (site / "output").exists()  # nothing published


def test_a_plain_drawing_is_published_byte_for_byte_and_shown_as_an_img(tmp_path):
    site, _ = _site(tmp_path, {"dan-so": BENIGN})
    out = build_ok(site)
    published = out / "2024/images/dan-so.svg"
    assert published.read_bytes() == (site / "content/2024/images/dan-so.svg").read_bytes()
    img = page(out, "2024/05/bai/").find("div", class_="article-body").find("img")
    assert img.attrs["src"] == "/2024/images/dan-so.svg"
    assert img.attrs["alt"] == "Hình dan-so"


def test_a_damaged_drawing_is_an_error_at_its_line_and_column(tmp_path):
    cut = BENIGN[: BENIGN.index("<a href")]  # cut short: elements left open
    garbled = OPEN + '<rect width="10" height="10">\n<circle r="3"/>\n</svg>\n'
    site, lines = _site(tmp_path, {"cut": cut, "garbled": garbled, "not-svg": "Đây không phải hình vẽ.\n"})
    with pytest.raises(BuildFailed) as info:
        build_ok(site)
    text = info.value.render()
    where = "content/2024/bai.md"
    assert (
        f"{where}:{lines['garbled']}: error: image 'images/garbled.svg' is not a readable SVG file (mismatched tag) at line 4, column 3"
        in text
    )
    assert (
        f"{where}:{lines['cut']}: error: image 'images/cut.svg' is not a readable SVG file (no element found)" in text
    )
    assert f"{where}:{lines['not-svg']}: error: image 'images/not-svg.svg' is not a readable SVG file" in text
    assert (
        "hint: the file may be damaged or cut short: export it again from the drawing program, or save it as PNG"
        in text
    )
    assert len(info.value.errors) == 3


def test_a_drawing_without_the_svg_namespace_is_not_a_drawing(tmp_path):
    found, _ = problems(b"<svg><script>alert(1)</script></svg>")
    assert found[0].broken and "lacks xmlns" in found[0].message
    found, _ = problems(b"<html><body><script>alert(1)</script></body></html>")
    assert found[0].broken and "<html>" in found[0].message


def test_drawings_are_checked_also_when_the_site_allows_html(tmp_path):
    site, lines = _site(tmp_path, {"script": HOSTILE["script"][0]}, allow_html=True)
    with pytest.raises(BuildFailed) as info:
        build_ok(site)
    assert [e.line for e in info.value.errors] == [lines["script"]]


def test_a_drawing_as_featured_image_or_in_static_is_checked_too(tmp_path):
    body = "Mở đầu.\n\n![Biểu trưng](/chung/bieu-trung.svg)\n"
    site = write_site(tmp_path / "s", {"2024/a.md": article("Tin", body=body, image="images/anh.svg")})
    (site / "content/2024/images").mkdir(parents=True)
    (site / "content/2024/images/anh.svg").write_text(HOSTILE["onload"][0], encoding="utf-8")
    (site / "static/chung").mkdir(parents=True)
    (site / "static/chung/bieu-trung.svg").write_text(HOSTILE["xlink-javascript"][0], encoding="utf-8")
    result = run_cli_in_process("check", "--site", str(site))
    assert result.returncode == 1
    # title, category, date, author, image: the image field is on line 6; the body picture on line 11
    assert "content/2024/a.md:6: error: image 'images/anh.svg' is not safe to publish" in result.stderr
    assert (
        "content/2024/a.md:11: error: image '../../static/chung/bieu-trung.svg' is not safe to publish" in result.stderr
    )


def test_a_refused_drawing_exported_again_is_published(tmp_path):
    site, _ = _site(tmp_path, {"so-do": HOSTILE["script"][0]})
    with pytest.raises(BuildFailed):
        build_ok(site)
    (site / "content/2024/images/so-do.svg").write_text(BENIGN, encoding="utf-8")
    out = build_ok(site)
    assert (out / "2024/images/so-do.svg").read_text(encoding="utf-8") == BENIGN


def test_static_drawings_are_checked_by_check_files_located_in_the_drawing(tmp_path):
    static = tmp_path / "s/static"
    static.mkdir(parents=True)
    (static / "logo.svg").write_text(BENIGN, encoding="utf-8")
    (static / "evil.svg").write_text(HOSTILE["script"][0], encoding="utf-8")
    (static / "note.txt").write_text("<script>không phải hình vẽ</script>", encoding="utf-8")
    files = {p.name: p for p in static.iterdir()}
    errors = check_files(files, tmp_path / "s")
    assert [e.render().splitlines()[0] for e in errors] == [
        "static/evil.svg:3:1: error: the file is not safe to publish: it holds a <script> program, "
        "which browsers would run on the site (line 3 of the drawing)"
    ]
    assert errors[0].hint.startswith("export the drawing again as plain SVG")


def test_an_undefined_entity_hidden_behind_an_external_dtd_is_refused():
    text = '<!DOCTYPE svg SYSTEM "http://evil.test/x.dtd">\n' + OPEN + '<a href="&x;">' + BOX + "</a></svg>"
    found, _ = problems(text.encode())
    assert found and "'&x;', which is not defined" in found[0].message and found[0].line == 3


def test_many_problems_are_counted_but_only_the_first_few_kept():
    text = OPEN + "".join(f'<rect onclick="a({i})"/>\n' for i in range(500)) + "</svg>"
    found, count = problems(text.encode())
    assert count == 500 and len(found) == 20 and found[0].line == 2


def test_a_hostile_drawing_in_static_stops_the_build_even_when_no_article_shows_it(tmp_path):
    site = write_site(tmp_path / "s", {"2024/a.md": article("Tin")})
    (site / "static").mkdir()
    (site / "static/logo.svg").write_text(BENIGN, encoding="utf-8")
    (site / "static/evil.svg").write_text(HOSTILE["script"][0], encoding="utf-8")
    result = run_cli_in_process("build", "--site", str(site))
    assert result.returncode == 1
    assert "static/evil.svg:3:1: error: the file is not safe to publish: it holds a <script>" in result.stderr
    assert "logo.svg" not in result.stderr
    assert not (site / "output").exists()


# What common drawing programs write, trimmed: none of it may be refused.
EXPORTS = {
    "inkscape": """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<svg width="210mm" height="297mm" viewBox="0 0 210 297" version="1.1" id="svg1"
   inkscape:version="1.3 (0e150ed6c4, 2023-07-21)" sodipodi:docname="so-do.svg"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns="http://www.w3.org/2000/svg" xmlns:svg="http://www.w3.org/2000/svg">
  <sodipodi:namedview id="namedview1" pagecolor="#ffffff" bordercolor="#666666" borderopacity="1.0"
     inkscape:showpageshadow="2" inkscape:pageopacity="0.0" inkscape:document-units="mm">
    <inkscape:page x="0" y="0" width="210" height="297" id="page2" margin="0" bleed="0"/>
  </sodipodi:namedview>
  <defs id="defs1"/>
  <g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1">
    <path style="fill:#ff0000;stroke-width:0.264583" d="m 20,20 h 50 v 30 z" id="path1" sodipodi:nodetypes="cccc"/>
    <text xml:space="preserve" style="font-size:10.5833px;line-height:1.25;font-family:sans-serif" x="30" y="80"
       id="text1"><tspan sodipodi:role="line" id="tspan1" x="30" y="80">Xã Tả Thanh Oai</tspan></text>
  </g>
</svg>
""",
    "illustrator": """<svg id="Layer_1" data-name="Layer 1" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
<defs><style>.cls-1{fill:#ed1c24;}.cls-2{font-size:12px;font-family:ArialMT, Arial;}</style></defs>
<title>bieu-do</title><rect class="cls-1" x="10" y="10" width="80" height="60"/>
<text class="cls-2" transform="translate(12 90)">Năm 2024</text></svg>
""",
    "illustrator-save-as": """<?xml version="1.0" encoding="utf-8"?>
<!-- Generator: Adobe Illustrator 24.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->
<svg version="1.1" id="Layer_1" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px"
\t viewBox="0 0 100 100" style="enable-background:new 0 0 100 100;" xml:space="preserve">
<style type="text/css">
\t.st0{fill:#0066B3;}
</style>
<polygon class="st0" points="50,5 95,95 5,95 "/>
</svg>
""",
    "figma": """<svg width="100" height="100" viewBox="0 0 100 100" fill="none" xmlns="http://www.w3.org/2000/svg">
<g filter="url(#filter0_d_1_2)" clip-path="url(#clip0_1_2)"><rect x="10" y="10" width="80" height="80" rx="8" fill="#D9D9D9"/></g>
<defs><filter id="filter0_d_1_2" x="6" y="10" width="88" height="88" filterUnits="userSpaceOnUse" color-interpolation-filters="sRGB">
<feFlood flood-opacity="0" result="BackgroundImageFix"/>
<feColorMatrix in="SourceAlpha" type="matrix" values="0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 127 0" result="hardAlpha"/>
<feOffset dy="4"/><feGaussianBlur stdDeviation="2"/><feComposite in2="hardAlpha" operator="out"/>
<feBlend mode="normal" in2="BackgroundImageFix" result="effect1_dropShadow_1_2"/>
<feBlend mode="normal" in="SourceGraphic" in2="effect1_dropShadow_1_2" result="shape"/></filter>
<clipPath id="clip0_1_2"><rect width="100" height="100" fill="white"/></clipPath></defs></svg>
""",
    "matplotlib": """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="460.8pt" height="345.6pt" viewBox="0 0 460.8 345.6" xmlns="http://www.w3.org/2000/svg" version="1.1">
 <metadata><rdf:RDF xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:cc="http://creativecommons.org/ns#" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
   <cc:Work><dc:type rdf:resource="http://purl.org/dc/dcmitype/StillImage"/><dc:format>image/svg+xml</dc:format></cc:Work>
 </rdf:RDF></metadata>
 <defs><style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>
  <path id="m0" d="M 0 0 L 0 3.5" style="stroke: #000000; stroke-width: 0.8"/></defs>
 <g id="figure_1"><g id="patch_1"><path d="M 0 345.6 L 460.8 345.6 L 460.8 0 L 0 0 z" style="fill: #ffffff"/></g>
  <clipPath id="p1"><rect x="57.6" y="41.472" width="357.12" height="266.112"/></clipPath>
  <g clip-path="url(#p1)"><use xlink:href="#m0" x="57.6" y="307.584" style="stroke: #000000; stroke-width: 0.8"/></g></g>
</svg>
""",
}


@pytest.mark.parametrize("tool", list(EXPORTS))
def test_what_drawing_programs_write_is_accepted(tool):
    assert problems(EXPORTS[tool].encode("utf-8")) == ([], 0)
