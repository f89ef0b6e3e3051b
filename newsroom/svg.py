"""SVG drawings are published as they are, so each one is checked first to be a drawing and nothing more.

An SVG file is a document, not a picture: opened from the site (a reader following the file's
address, a search engine's preview), the browser runs every ``<script>``, event handler
(``onload=…``) and ``javascript:`` link in it, in the site's own origin, and loads whatever it
points at elsewhere (``<image href="http://…">``, ``@import``, ``url(http://…)``).

Newsroom refuses such a file rather than rewriting it. A rewriter has to agree with every
browser's parser on every corner of XML, CSS and URLs, or a hostile file slips through changed
but alive; a refusal only has to recognise what a plain drawing is, and tells the editor what to
do about it: export the drawing again, or save it as PNG. ``problems`` parses the file with the
standard library's expat (strict XML, line numbers, never loads a DTD or an external entity),
refuses any DOCTYPE that declares entities before it is read (which also stops entity-expansion
bombs) and any reference to an entity that is not XML's own, and walks the elements against
allow-lists. A DOCTYPE that only names the SVG DTD, as older programs and matplotlib write, is
accepted: neither expat nor a browser loads that DTD, so it can add nothing.


- elements of the SVG namespace from ``ELEMENTS`` only: no ``script``, ``foreignObject``, fonts,
  cursors or anything newer or older that a browser might give a meaning; HTML, MathML, XSLT and
  the like are refused in any namespace, case ignored. Elements of other namespaces (what
  Inkscape, Illustrator or a licence block write) are data no browser acts upon, and are allowed;
- attributes from ``ATTRIBUTES`` (plus ``data-*``, ``aria-*``, ``xml:space``/``lang``/``id``
  and harmless XLink ones) on SVG elements; no ``on…`` attribute anywhere, case ignored;
- ``href``/``xlink:href`` only to the same document (``#id``) or to an embedded raster picture
  (``data:image/png;base64,…``), judged after removing the whitespace and control characters
  a browser would ignore, and after expat has replaced character references (``&#106;``);
- CSS (``style`` attributes, ``<style>``, every attribute value) only ``url(#id)``, after CSS
  escapes are decoded: no ``@import``, no other ``url(…)``, ``image-set(…)``, ``src(…)``;
- no ``<set>``/``<animate…>`` whose ``attributeName`` is an ``href`` or an event handler; no
  processing instruction (``<?xml-stylesheet?>`` loads CSS or XSLT).

The check is the same whatever ``allow_html`` says: that setting trusts editors' HTML in articles,
but a script inside a drawing is never wanted, and drawings often come from outside the newsroom.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError
from .i18n import Message, Text, _, ngettext, os_error_text

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
# Namespaces whose elements or attributes a browser gives a meaning to (besides SVG's own).
ACTIVE = {
    "http://www.w3.org/1999/xhtml": "HTML",
    "http://www.w3.org/1998/Math/MathML": "MathML",
    "http://www.w3.org/1999/XSL/Transform": "XSLT",
    "http://www.w3.org/2001/xml-events": "XML Events",
    "http://www.w3.org/2001/XInclude": "XInclude",
    "http://www.mozilla.org/keymaster/gatekeeper/there.is.only.xul": "XUL",
    "http://www.mozilla.org/xbl": "XBL",
    "http://www.w3.org/2002/xforms": "XForms",
}
# Element names refused in any namespace and letter case, each with what it would do.
_FORBIDDEN = {
    "script": _("a <script> program, which browsers would run on the site"),
    "foreignobject": _("a <foreignObject>, which puts web page content (HTML) inside the drawing"),
    "iframe": _("an <iframe>, which shows another web page inside the drawing"),
    "frame": _("a <frame>, which shows another web page inside the drawing"),
    "embed": _("an <embed>, which loads a program or another document into the drawing"),
    "object": _("an <object>, which loads a program or another document into the drawing"),
    "applet": _("an <applet>, which loads a program into the drawing"),
    "handler": _("a <handler> program, which browsers may run on the site"),
    "listener": _("a <listener>, which runs a program when something happens in the drawing"),
}
_ELEMENT_NAMES = """a animate animateColor animateMotion animateTransform circle clipPath defs desc ellipse feBlend
    feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap
    feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge
    feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence filter
    flowDiv flowPara flowRegion flowRoot flowSpan g hatch hatchpath image line linearGradient marker mask
    meshgradient meshpatch meshrow metadata mpath path pattern polygon polyline radialGradient rect set
    solidcolor stop style svg switch symbol text textPath title tspan use view"""
ELEMENTS = frozenset(_ELEMENT_NAMES.split())
_ANIMATIONS = frozenset({"animate", "animateColor", "animateMotion", "animateTransform", "set"})
# SVG 1.1 and 2 attributes and presentation attributes, less event handlers and links to elsewhere.
_ATTRIBUTE_NAMES = """accumulate additive alignment-baseline amplitude attributeName attributeType azimuth baseFrequency
    baseProfile baseline-shift begin bias by calcMode class clip clip-path clip-rule clipPathUnits color
    color-interpolation color-interpolation-filters color-profile color-rendering contentStyleType cursor
    cx cy d diffuseConstant direction display divisor dominant-baseline dur dx dy edgeMode elevation
    enable-background end exponent externalResourcesRequired fill fill-opacity fill-rule filter filterRes
    filterUnits flood-color flood-opacity focusable font font-family font-feature-settings font-kerning
    font-size font-size-adjust font-stretch font-style font-variant font-variation-settings font-weight fr
    from fx fy glyph-orientation-horizontal glyph-orientation-vertical gradientTransform gradientUnits
    height href id image-rendering in in2 inline-size intercept isolation k k1 k2 k3 k4 kernelMatrix
    kernelUnitLength kerning keyPoints keySplines keyTimes lang lengthAdjust letter-spacing lighting-color
    limitingConeAngle line-height marker marker-end marker-mid marker-start markerHeight markerUnits
    markerWidth mask mask-type maskContentUnits maskUnits max media method min mix-blend-mode mode
    numOctaves offset opacity operator order orient origin overflow paint-order path pathLength
    patternContentUnits patternTransform patternUnits pointer-events points pointsAtX pointsAtY pointsAtZ
    preserveAlpha preserveAspectRatio primitiveUnits r radius refX refY repeatCount repeatDur
    requiredExtensions requiredFeatures restart result role rotate rx ry scale seed shape-inside
    shape-margin shape-padding shape-rendering shape-subtract side slope solid-color solid-opacity spacing
    specularConstant specularExponent spreadMethod startOffset stdDeviation stitchTiles stop-color
    stop-opacity stroke stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin stroke-miterlimit
    stroke-opacity stroke-width style surfaceScale systemLanguage tabindex tableValues target targetX
    targetY text-anchor text-decoration text-overflow text-rendering textLength title to transform
    transform-box transform-origin type unicode-bidi values vector-effect version viewBox visibility
    white-space width word-spacing writing-mode x x1 x2 xChannelSelector y y1 y2 yChannelSelector z
    zoomAndPan"""
ATTRIBUTES = frozenset(_ATTRIBUTE_NAMES.split())
_XML_ATTRIBUTES = frozenset({"space", "lang", "id"})
_XLINK_ATTRIBUTES = frozenset({"href", "title", "show", "actuate", "type", "role", "arcrole"})
_EMBEDDED_PICTURE = re.compile(r"data:image/(png|jpeg|jpg|gif|webp);base64,")
_REFERENCE = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)[^;\s<&]{0,40};?")
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\r\n\f]?|(.)|$)", re.DOTALL)
_CSS_FUNCTION = re.compile(r"([a-z0-9_-]*)\(\s*(['\"]?)\s*([^'\")\s]*)")
_CSS_LOADERS = ("src", "image", "image-set", "-webkit-image-set", "-moz-image-set", "cross-fade", "expression")
_CSS_BINDING = re.compile(r"-moz-binding|behavior\s*:")

HINT = _(
    "export the drawing again as plain SVG, without scripts, links or web content (Inkscape: Save As › Plain SVG; "
    "Illustrator: File › Export › Export As › SVG), or save it as PNG"
)
BROKEN_HINT = _("the file may be damaged or cut short: export it again from the drawing program, or save it as PNG")


@dataclass(frozen=True)
class Problem:
    """One reason a drawing is not published, at its line and column (both from 1)."""

    line: int
    column: int
    message: Text
    broken: bool = False  # not a readable SVG file at all (else: readable, but unsafe)


class _Stop(Exception):
    """Raised inside an expat handler to stop reading a file that must not be read further."""


def problems(data: bytes, limit: int = 20) -> tuple[list[Problem], int]:
    """Why ``data`` (an SVG file's bytes) must not be published: (the first ``limit`` problems, how many).

    No problems means the file is a plain drawing, safe to publish as it is and to show as an
    ``<img>`` or on its own. A file that is not XML, or not SVG, has one ``broken`` problem.
    """
    walker = _Walker(limit)
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.ordered_attributes = True
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    walker.attach(parser)
    try:
        parser.Parse(data, True)
        if walker.external_dtd:
            walker.undefined_entities(data)
    except _Stop:
        pass
    except xml.parsers.expat.ExpatError as exc:
        message = xml.parsers.expat.ErrorString(exc.code)
        walker.found.clear()
        walker.found.append(
            Problem(exc.lineno, exc.offset + 1, _("is not a readable SVG file ({problem})", problem=message), True)
        )
        walker.count = 1
    if walker.root is None and not walker.found:
        walker.add(Problem(1, 1, _("is not an SVG drawing (it has no elements)"), True))
    return walker.found, walker.count


def describe(found: list[Problem], count: int) -> tuple[Message, Message]:
    """A message (to follow the file's name) and a hint, telling the first problem and how many more."""
    first = found[0]
    if first.broken:
        if first.line > 1 or first.column > 1:
            where = _("line {line}, column {column}", line=str(first.line), column=str(first.column))
        else:
            where = _("its start")
        return _("{problem} at {where}", problem=first.message, where=where), BROKEN_HINT
    more = ngettext("; {n} more problem in it", "; {n} more problems in it", count - 1) if count > 1 else ""
    message = _(
        "is not safe to publish: it holds {problem} (line {line} of the drawing){more}",
        problem=first.message,
        line=str(first.line),
        more=more,
    )
    return message, HINT


def check_files(files: Mapping[str, Path], site_dir: Path) -> list[ContentError]:
    """One located error for each unsafe or unreadable SVG among ``files`` (output path -> file).

    For files published as they are (the site's and themes' ``static/`` folders): each error's
    path is the SVG itself, relative to ``site_dir`` when it is inside, at the problem's line.
    """
    errors = []
    for path in files.values():
        if path.suffix.lower() != ".svg":
            continue
        try:
            shown = path.relative_to(site_dir).as_posix()
        except ValueError:
            shown = str(path)
        try:
            found, count = problems(path.read_bytes())
        except OSError as exc:
            errors.append(
                ContentError(shown, None, _("the drawing cannot be read ({problem})", problem=os_error_text(exc)))
            )
            continue
        if found:
            message, hint = describe(found, count)
            errors.append(
                ContentError(shown, found[0].line, _("the file {problem}", problem=message), hint, found[0].column)
            )
    return errors


class _Walker:
    """The expat handlers: each element and attribute checked as it is read."""

    def __init__(self, limit: int):
        self.limit = limit
        self.found: list[Problem] = []
        self.count = 0
        self.root: str | None = None
        self.parser: xml.parsers.expat.XMLParserType | None = None
        self.depth = 0
        self.style: list[str] | None = None  # text of the <style> being read
        self.style_at = (0, 0, 0)  # its line, column and depth
        self.external_dtd = False
        self.encoding: str | None = None

    def attach(self, parser) -> None:
        self.parser = parser
        parser.XmlDeclHandler = self.declaration
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.entity
        parser.ProcessingInstructionHandler = self.instruction
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text

    def here(self) -> tuple[int, int]:
        return self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1

    def add(self, problem: Problem) -> None:
        self.count += 1
        if len(self.found) < self.limit:
            self.found.append(problem)

    def problem(self, message: Text, at: tuple[int, int] | None = None) -> None:
        self.add(Problem(*(at or self.here()), message))

    # --- handlers -------------------------------------------------------------------------

    def declaration(self, version, encoding, standalone) -> None:
        self.encoding = encoding

    def doctype(self, name, system_id, public_id, has_internal_subset) -> None:
        # A DOCTYPE naming the SVG DTD only (old exporters write one) is harmless: neither expat
        # nor a browser loads it. Declarations inside it are refused before they are read:
        # entities are how a small file expands to gigabytes, and how text hides from a check.
        if has_internal_subset:
            self.problem(_("a DOCTYPE with declarations of its own (entities), which newsroom does not accept"))
            raise _Stop
        self.external_dtd = system_id is not None

    def undefined_entities(self, data: bytes) -> None:
        """With a DTD it did not read, expat leaves out of attribute values the entities it does
        not know (``href="&x;"``) without a word: look for them in the text itself."""
        encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else self.encoding or "utf-8"
        try:
            text = data.decode(encoding, errors="replace")
        except LookupError:
            text = data.decode("latin-1")
        for match in _REFERENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - text.rfind("\n", 0, match.start())
            self.problem(_("'{entity}', which is not defined", entity=match[0]), (line, column))

    def entity(self, *args) -> None:
        self.problem(_("an entity declaration, which newsroom does not accept"))
        raise _Stop

    def instruction(self, target: str, data: str) -> None:
        self.problem(
            _("the instruction <?{target} …?>, which can load style sheets or programs from elsewhere", target=target)
        )

    def start(self, name: str, attributes: list[str]) -> None:
        namespace, local = _split(name)
        at = self.here()
        if self.root is None:
            self.root = name
            if (namespace, local) != (SVG, "svg"):
                self.add(Problem(*at, _not_svg(namespace, local), True))
                raise _Stop
        self.depth += 1
        if self.style is not None:  # what a browser reads of a <style> is its text alone
            self.problem(_("a <{element}> inside a <style>, where only text belongs", element=local), at)
        self.element(namespace, local, at)
        for i in range(0, len(attributes), 2):
            self.attribute(namespace, local, *_split(attributes[i]), attributes[i + 1], at)
        if (namespace, local) == (SVG, "style") and self.style is None:
            self.style, self.style_at = [], (*at, self.depth)

    def end(self, name: str) -> None:
        if self.style is not None and self.depth == self.style_at[2]:
            complaint = _css_problem("".join(self.style))
            if complaint:
                self.problem(_("a style sheet that {complaint}", complaint=complaint), self.style_at[:2])
            self.style = None
        self.depth -= 1

    def text(self, data: str) -> None:
        if self.style is not None:
            self.style.append(data)

    # --- rules ----------------------------------------------------------------------------

    def element(self, namespace: str, local: str, at: tuple[int, int]) -> None:
        if local.lower() in _FORBIDDEN:
            self.problem(_FORBIDDEN[local.lower()], at)
        elif namespace in ACTIVE:
            self.problem(
                _("{kind} content (<{element}>), which browsers would act upon", kind=ACTIVE[namespace], element=local),
                at,
            )
        elif namespace == SVG and local not in ELEMENTS:
            self.problem(_("a <{element}> element, which newsroom does not know to be safe", element=local), at)

    def attribute(self, namespace: str, element: str, ns: str, name: str, value: str, at: tuple[int, int]) -> None:
        """Check one attribute (``ns``, ``name``) of an element (``namespace``, ``element``)."""
        lower = name.lower()
        on = _("'{name}' on <{element}>", name=name, element=element)
        if lower.startswith("on"):
            self.problem(_("an event handler ({on}), a program browsers would run on the site", on=on), at)
        elif ns in ("", XLINK) and lower == "href":
            complaint = _link_problem(value)
            if complaint:
                self.problem(_("{complaint} ({on})", complaint=complaint, on=on), at)
        elif ns == XML and name not in _XML_ATTRIBUTES:
            self.problem(
                _(
                    "the attribute 'xml:{name}' on <{element}>, which can change where links lead",
                    name=name,
                    element=element,
                ),
                at,
            )
        elif ns == XLINK and name not in _XLINK_ATTRIBUTES:
            self.problem(
                _(
                    "the attribute 'xlink:{name}' on <{element}>, which newsroom does not know to be safe",
                    name=name,
                    element=element,
                ),
                at,
            )
        elif ns in ACTIVE:
            self.problem(_("the {kind} attribute {on}, which browsers would act upon", kind=ACTIVE[ns], on=on), at)
        elif namespace == SVG and ns == "" and not _known(name):
            self.problem(_("the attribute {on}, which newsroom does not know to be safe", on=on), at)
        if namespace == SVG and ns == "":
            complaint = _css_problem(value)
            if complaint:
                self.problem(_("a value that {complaint} ({on})", complaint=complaint, on=on), at)
            if element in _ANIMATIONS and name == "attributeName":
                target = _split_prefix(value.strip()).lower()
                if target in ("href", "base") or target.startswith("on"):
                    changes = (
                        _(
                            "an <{element}> that changes '{value}', which can make it run a program",
                            element=element,
                            value=value.strip(),
                        )
                        if element[0] in "aeiou"
                        else _(
                            "a <{element}> that changes '{value}', which can make it run a program",
                            element=element,
                            value=value.strip(),
                        )
                    )
                    self.problem(changes, at)


def _split(name: str) -> tuple[str, str]:
    """expat's "namespace local" (or "local" alone) as (namespace, local)."""
    namespace, _unused, local = name.rpartition(" ")
    return namespace, local


def _split_prefix(name: str) -> str:
    return name.rpartition(":")[2]


def _known(name: str) -> bool:
    return name in ATTRIBUTES or name.startswith(("data-", "aria-"))


def _not_svg(namespace: str, local: str) -> Message:
    if local.lower() == "svg":
        return _('is not an SVG drawing: its <svg> lacks xmlns="{namespace}"', namespace=SVG)
    return _("is not an SVG drawing (it starts with <{element}>)", element=local)


def _squeezed(value: str) -> str:
    """A URL as a browser reads it: without the spaces and control characters it ignores, lowercase."""
    return "".join(ch for ch in value if ch > " " and ch != "\x7f").lower()


def _link_problem(value: str) -> Text:
    """Why an ``href`` is refused, or "" for a link inside the drawing or an embedded raster picture."""
    url = _squeezed(value)
    if not url or url.startswith("#") or _EMBEDDED_PICTURE.match(url):
        return ""
    if url.startswith(("javascript:", "vbscript:")):
        return _("a {scheme}: link, which would run a program on the site", scheme=url.split(":")[0])
    if url.startswith("data:"):
        return _("an embedded file that is not a PNG, JPEG, GIF or WebP picture")
    return _("a link to '{target}', outside the drawing, which it would load or open", target=_short(value.strip()))


def _css_problem(value: str) -> Text:
    """Why CSS text (or an attribute value read as CSS) is refused, or "" when it loads nothing."""
    lower = value.lower()
    if not any(sign in lower for sign in ("(", "@", "\\", "binding", "behavior")):
        return ""  # the common case, decided without decoding anything
    css = _CSS_ESCAPE.sub(_unescaped, value).lower()
    if "@import" in css:
        return _("uses @import, which loads another file")
    for match in _CSS_FUNCTION.finditer(css):
        function, target = match[1], match[3]
        if function == "url" and not target.startswith("#"):
            return _("uses url({target}), which loads a file from elsewhere", target=_short(target))
        if function in _CSS_LOADERS:
            return _("uses {function}(…), which can load a file or run a program", function=function)
    if _CSS_BINDING.search(css):
        return _("attaches a program to the drawing (-moz-binding or behavior)")
    return ""


def _unescaped(match: re.Match) -> str:
    """One CSS escape decoded: ``\\75 rl(`` is ``url(`` to a browser, so it is to the check."""
    if match[1]:
        code = int(match[1], 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return match[2] or ""


def _short(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
