"""Located YAML: every problem PyYAML finds is blamed on the line where the editor made it.

PyYAML notices some mistakes only lines later (an unclosed ``[``, a line without ``:``) or reports
them by character offset (a refused character), and counts line breaks editors do not see
(U+2028). These tests give ``parse_mapping`` real texts and check the line, the words and the hint.
"""

from __future__ import annotations

import pytest

from newsroom.yamltext import YamlProblem, parse_mapping

HEAD = 'title: "Tin"\ncategory: "Thông báo"\n'
TAIL = 'date: 2024-05-01\nauthor: "Thu Hà"\n'


def _problem(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as caught:
        parse_mapping(text)
    return caught.value


@pytest.mark.parametrize(
    "char",
    ["\x85", "\x90", "\x9f", "\x80", "\ufffe", "\uffff", "\udc80", "\ud800", "\x1b", "\x7f", "\x0c"],
    ids=[
        "nel",
        "c1-90",
        "c1-9f",
        "c1-80",
        "fffe",
        "ffff",
        "lone-low-surrogate",
        "lone-high-surrogate",
        "esc",
        "del",
        "ff",
    ],
)
def test_an_invisible_character_is_blamed_on_its_own_line_and_column(char):
    problem = _problem(HEAD + f"summary: Tin{char} hay\n" + TAIL)
    assert (problem.line, problem.column) == (2, 12)
    assert f"U+{ord(char):04X}" in problem.message and "invisible character" in problem.message
    assert "pasted" in problem.hint and "type it again" in problem.hint


def test_an_invisible_character_inside_quotes_is_refused_too():
    problem = _problem(HEAD + 'summary: "Tin\x85 hay"\n' + TAIL)  # YAML would read U+0085 as a line break
    assert problem.line == 2 and "U+0085" in problem.message


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_line_separators_become_spaces_and_do_not_shift_later_lines(separator):
    entries = {e.key: e for e in parse_mapping(HEAD + f'summary: "Tin{separator}hay"\n' + TAIL)}
    assert entries["summary"].node.value == "Tin hay"
    assert entries["date"].line == 3
    problem = _problem(HEAD + f"summary: a{separator}b\ntags: [x, y\n" + TAIL)
    assert problem.line == 3


@pytest.mark.parametrize(
    "line_text,bracket",
    [("tags: [Dân vận, Nông thôn", "["), ("nhom: {a: b", "{")],
    ids=["list", "group"],
)
def test_an_unclosed_bracket_is_blamed_on_the_line_that_opens_it(line_text, bracket):
    problem = _problem(HEAD + line_text + "\n" + TAIL)
    assert (problem.line, problem.column) == (2, line_text.index(bracket))
    assert f"'{bracket}' is opened on this line but never closed" in problem.message
    assert "double quotes" in problem.hint


def test_a_line_without_a_colon_is_blamed_on_itself_not_the_next_one():
    problem = _problem(HEAD + "summary Tin hay\n" + TAIL)
    assert problem.line == 2
    assert "not of the form 'key: value'" in problem.message and "': '" in problem.hint


@pytest.mark.parametrize("value", ['"Tin" hay', "'Tin' hay"], ids=["double", "single"])
def test_text_after_a_closing_quote_is_named_as_such(value):
    problem = _problem(HEAD + f"summary: {value}\n" + TAIL)
    assert problem.line == 2
    assert problem.message == "there is text after the closing quote"
    assert "inside the quotes" in problem.hint


def test_a_closed_quote_with_an_escaped_quote_inside_is_not_called_unclosed():
    problem = _problem(HEAD + 'summary: "Tin \\"hay\\"" nữa\n' + TAIL)
    assert problem.message == "there is text after the closing quote"


def test_an_unclosed_double_quote_is_still_found():
    problem = _problem(HEAD + 'summary: "Tin hay\n' + TAIL)
    assert problem.line == 2 and "never closed" in problem.message


def test_a_second_document_marker_is_explained():
    problem = _problem(HEAD + "--- x\n" + TAIL)
    assert problem.line == 2 and "'---'" in problem.message and "delete this line" in problem.hint


def test_a_value_starting_with_a_reserved_character_names_it():
    problem = _problem(HEAD + "summary: @ban_dan_van\n" + TAIL)
    assert problem.line == 2 and "(@)" in problem.message and "double quotes" in problem.hint


def test_a_complex_key_has_a_hint():
    problem = _problem(HEAD + "? [a]\n: b\n" + TAIL)
    assert problem.line == 2 and problem.hint
