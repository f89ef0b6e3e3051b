"""Messages in Vietnamese and English: complete catalogues, the language chosen in the right order,
plurals and numbers per language, and real errors printed by the command line in both languages.

The completeness test extracts the messages with Babel (as a translator would, through babel.cfg)
and compares them with newsroom/locale/{vi,en}/LC_MESSAGES/newsroom.po: a text an editor can see
that is missing from either catalogue fails here, not in front of an editor.
"""

from __future__ import annotations

import pickle
import re
import string
import subprocess
import sys

import pytest
from babel.messages.pofile import read_po as babel_read_po
from sitekit import ROOT, article, run_cli, write_site

from newsroom import i18n
from newsroom.config import load_config
from newsroom.errors import ConfigError, ContentError
from newsroom.i18n import Message, Translator, _, ngettext

LOCALE_VARS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture(autouse=True)
def english_unless_told(monkeypatch):
    """As in the rest of the suite: English, unless a test sets the language itself."""
    monkeypatch.setenv("NEWSROOM_LANG", "en")
    for name in LOCALE_VARS:
        monkeypatch.delenv(name, raising=False)


def _speak(monkeypatch, newsroom_lang: str | None = None, **locale: str) -> None:
    """Set NEWSROOM_LANG (None: unset) and the locale variables for the commands a test runs."""
    if newsroom_lang is None:
        monkeypatch.delenv("NEWSROOM_LANG", raising=False)
    else:
        monkeypatch.setenv("NEWSROOM_LANG", newsroom_lang)
    for name, value in locale.items():
        monkeypatch.setenv(name, value)


# --- the catalogues -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Every message the code marks, extracted by Babel exactly as babel.cfg says."""
    pot = tmp_path_factory.mktemp("pot") / "newsroom.pot"
    command = [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg"]
    command += ["--no-default-keywords", "-k", "_", "-k", "ngettext:1,2", "-o", str(pot), "."]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as f:
        return {m.id: m for m in babel_read_po(f) if m.id}


def _catalogue(language: str):
    with i18n.catalogue_path(language).open("rb") as f:
        return babel_read_po(f)


def _fields(text: str) -> set[str]:
    """The {placeholders} of a text, with their format specs ('{seconds:.2f}')."""
    return {f"{name}:{spec}!{conversion}" for _lit, name, spec, conversion in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_message_is_translated_in_both_catalogues(extracted, language):
    catalogue = _catalogue(language)
    entries = {m.id: m for m in catalogue if m.id}
    assert len(extracted) > 200  # cli.py, config.py and errors.py are marked
    missing = [key for key in extracted if key not in entries]
    assert missing == [], f"not in the {language} catalogue: {missing}"
    stale = [key for key in entries if key not in extracted]
    assert stale == [], f"in the {language} catalogue but no longer in the code: {stale}"
    for key, entry in entries.items():
        assert not entry.fuzzy, f"fuzzy in {language}: {key!r}"
        forms = [entry.string] if isinstance(entry.string, str) else list(entry.string)
        assert len(forms) == (catalogue.num_plurals if entry.pluralizable else 1), key
        originals = [key] if isinstance(key, str) else list(key)
        for form in forms:
            assert form.strip(), f"untranslated in {language}: {key!r}"
            assert _fields(form) in [_fields(o) for o in originals], f"placeholders differ in {language}: {form!r}"
            Translator(language).render(Message(form, tuple((f, 1) for f in _names(form))))  # braces pair up


def _names(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_runtime_reader_reads_what_babel_reads(language):
    """newsroom reads .po files itself (no Babel at run time): it must agree with Babel on every entry."""
    ours = i18n.read_po(i18n.catalogue_path(language))
    theirs = {
        (m.id if isinstance(m.id, str) else m.id[0]): (m.string,) if isinstance(m.string, str) else tuple(m.string)
        for m in _catalogue(language)
        if m.id
    }
    assert ours == theirs
    assert _catalogue(language).plural_forms == i18n.PLURAL_FORMS[language][0]


def test_a_fuzzy_or_empty_translation_falls_back_to_english(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: vi\\n"\n\n#, fuzzy\nmsgid "a"\nmsgstr "á"\n\nmsgid "b"\nmsgstr ""\n\n'
        'msgid "c \\"q\\""\nmsgstr ""\n"dòng 1\\n"\n"dòng 2"\n',
        encoding="utf-8",
    )
    catalogue = i18n.read_po(po)
    assert catalogue == {'c "q"': ("dòng 1\ndòng 2",)}
    tr = Translator("vi", catalogue)
    assert (tr(_("a")), tr(_("b")), tr(_('c "q"'))) == ("a", "b", "dòng 1\ndòng 2")
    broken = Translator("vi", {"x {a}": ("y {b}",), "{n} x": ("{n} x {",)})  # never a traceback for an editor
    assert broken(_("x {a}", a=1)) == "x 1" and broken(ngettext("{n} x", "{n} xs", 2)) == "2 xs"


# --- messages as data -----------------------------------------------------------------------


def test_plurals_and_numbers_follow_the_language():
    en, vi = i18n.translator("en"), i18n.translator("vi")
    for n, english, vietnamese in ((1, "1 article", "1 bài viết"), (2, "2 articles", "2 bài viết")):
        message = ngettext("{n} article", "{n} articles", n)
        assert (en(message), vi(message), str(message)) == (english, vietnamese, english)
    assert (en.number(12345), vi.number(12345), vi.number(2024)) == ("12,345", "12.345", "2024")
    assert (en.number(2.345, ".2f"), vi.number(2.345, ".2f")) == ("2.35", "2,35")


def test_a_message_is_data_until_shown_and_english_as_text(tmp_path):
    error = ConfigError(
        _("unknown setting '{key}'", key="per-page"), line=3, hint=_("did you mean '{name}'?", name="x")
    )
    again = pickle.loads(pickle.dumps(error))  # errors cross worker processes
    assert again.message == error.message and isinstance(again.message, Message)
    assert str(error.message) == "unknown setting 'per-page'"
    assert "per-page" in error.message  # code not converted yet can still look for words
    assert i18n.translator("vi")(again.message) == "không có thiết lập nào tên là 'per-page'"
    assert _("in {folder}", folder=tmp_path).params == (("folder", str(tmp_path)),)  # a Path is kept as text


def test_a_content_error_with_a_message_goes_through_the_build_cache():
    from newsroom import codec

    error = ContentError("content/a.md", 3, _("category {name!r} is not declared", name="X"), _("hint"), 5)
    assert codec.decode(codec.encode(error)) == error


# --- which language -------------------------------------------------------------------------


def test_the_language_is_chosen_flag_then_env_then_site_then_locale():
    env = {"NEWSROOM_LANG": "en", "LANG": "vi_VN.UTF-8"}
    assert i18n.choose("vi", env, "en") == "vi"  # --lang first
    assert i18n.choose(None, env, "vi") == "en"  # then NEWSROOM_LANG
    assert i18n.choose(None, {"LANG": "en_US.UTF-8"}, "vi") == "vi"  # then the site's language
    assert i18n.choose(None, {"LANG": "en_US.UTF-8"}, "vi-VN") == "vi"
    assert i18n.choose(None, {"LANG": "vi_VN.UTF-8"}) == "vi"  # before config.yaml: the locale
    assert i18n.choose(None, {"LANGUAGE": "fr:en", "LANG": "vi_VN.UTF-8"}) == "en"  # gettext's order
    assert i18n.choose(None, {"LC_ALL": "C"}) == "en"
    assert i18n.choose(None, {}) == "vi"  # nothing said: the project's default
    assert i18n.choose(None, {"NEWSROOM_LANG": "de", "LANG": "vi_VN"}) == "vi"  # a language we lack is skipped


def test_help_speaks_the_locale_unless_told(monkeypatch):
    _speak(monkeypatch, None, LANG="vi_VN.UTF-8")
    vi = run_cli("build", "--help")
    assert vi.returncode == 0 and vi.stdout.startswith("cách dùng: build.py build")
    assert "coi cảnh báo là lỗi" in vi.stdout and "tùy chọn:" in vi.stdout
    en = run_cli("build", "--help", "--lang", "en")  # the flag beats the locale
    assert en.stdout.startswith("usage: build.py build") and "treat warnings as errors" in en.stdout
    _speak(monkeypatch, "en", LANG="vi_VN.UTF-8")  # NEWSROOM_LANG beats the locale too
    assert "usage:" in run_cli("--help").stdout
    wrong = run_cli("--lang", "vi", "new", "x")  # argparse's own errors are translated
    assert wrong.returncode == 2 and "build.py new: lỗi: còn thiếu: --category" in wrong.stderr


def _site_with_an_error(tmp_path, language: str):
    """An article indented with a tab: an error with a line and a column (6:1)."""
    body = '---\ntitle: "Tin"\ncategory: "Thông báo"\ndate: 2024-05-01\ntags:\n\t- a\n---\nNội dung.\n'
    return write_site(tmp_path / "site", {"2024/tin.md": body}, language=language)


def test_a_content_error_is_printed_in_the_sites_language(tmp_path, monkeypatch):
    site = _site_with_an_error(tmp_path, "vi")
    _speak(monkeypatch, None, LANG="en_US.UTF-8")  # the locale says English; the site says Vietnamese
    result = run_cli("check", "--site", str(site))
    assert result.returncode == 1
    first, hint = result.stderr.splitlines()[:2]
    assert first.startswith("content/2024/tin.md:6:1: lỗi: ") and hint.startswith("    gợi ý: ")
    assert "đã kiểm tra 0 bài viết: 1 lỗi, 0 cảnh báo, 0 bản nháp/bài hẹn giờ" in result.stdout
    english = run_cli("check", "--site", str(site), "--lang", "en")
    first, hint = english.stderr.splitlines()[:2]
    assert first.startswith("content/2024/tin.md:6:1: error: ") and hint.startswith("    hint: ")
    assert "checked 0 articles: 1 error, 0 warnings, 0 drafts/scheduled" in english.stdout
    build = run_cli("build", "--site", str(site))  # the build's own failure line too
    assert build.returncode == 1 and "content/2024/tin.md:6:1: lỗi: " in build.stderr
    assert "tạo trang thất bại: 1 lỗi" in build.stderr


def test_the_build_summary_in_both_languages(tmp_path, monkeypatch):
    site = write_site(tmp_path / "site", {"2024/tin.md": article("Tin")}, language="en")
    _speak(monkeypatch, None, LANG="vi_VN.UTF-8")
    english = run_cli("build", "--site", str(site))  # the site's language, not the locale's
    assert english.returncode == 0, english.stderr
    assert "built 1 article into " in english.stdout and "; 0 warnings" in english.stdout
    vi = run_cli("build", "--site", str(site), "--lang", "vi")
    assert vi.returncode == 0, vi.stderr
    assert re.match(r"đã tạo \d+ trang từ 1 bài viết ", vi.stdout) and " giây; 0 cảnh báo" in vi.stdout


def test_a_config_error_speaks_the_locale_or_the_flag(tmp_path, monkeypatch):
    site = write_site(tmp_path / "site", {}, language="en")
    (site / "config.yaml").write_text(
        (site / "config.yaml").read_text(encoding="utf-8") + "per-page: 10\n", encoding="utf-8"
    )
    _speak(monkeypatch, None, LANG="vi_VN.UTF-8")  # config.yaml cannot be trusted to say its language
    vi = run_cli("build", "--site", str(site))
    assert vi.returncode == 1
    line = len((site / "config.yaml").read_text(encoding="utf-8").splitlines())
    assert f"config.yaml:{line}: lỗi: không có thiết lập nào tên là 'per-page'" in vi.stderr
    assert "    gợi ý: có phải ý bạn là 'per_page'?" in vi.stderr
    en = run_cli("build", "--site", str(site), "--lang", "en")
    assert f"config.yaml:{line}: error: unknown setting 'per-page'" in en.stderr
    assert "    hint: did you mean 'per_page'?" in en.stderr


def test_config_messages_keep_their_english_text_for_code_not_converted_yet(tmp_path):
    site = write_site(tmp_path / "site", {}, timezone="Mars/Olympus")
    with pytest.raises(ConfigError) as caught:
        load_config(site)
    assert caught.value.render() == (
        f"config.yaml:{caught.value.line}: error: unknown timezone 'Mars/Olympus'\n    hint: use a name like Asia/Ho_Chi_Minh"
    )


def test_a_message_missing_a_parameter_is_shown_not_raised():
    """A mistake in the code (a placeholder without its value) must not turn an editor's error into a traceback."""
    from newsroom.i18n import _, translator

    for language in ("vi", "en"):
        shown = translator(language)(_("link to '{raw}': there is no such article file"))
        assert "{raw}" in shown
        assert translator(language)(_("{pixels:,} pixels and {n} more", n=2)).endswith("more")
