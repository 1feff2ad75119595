"""The YAML layer's cheap checks before parsing."""

import pytest

from timeline import yamlnodes
from timeline.yamlnodes import YamlSyntaxError, _could_nest_deeper_than, compose

DEEP = " " * 70 + "x"  # 70 columns of indentation: deeper than 32 levels of block nesting


@pytest.mark.parametrize(
    ("text", "deep"),
    [
        ("a: 1\n", False),
        ("events:\n  - id: a\n    title: b\n", False),
        (DEEP, True),  # on the first line
        ("- " * 40 + "x", True),
        ("a: 1\n" + DEEP, True),
        ("a: 1\r" + DEEP, True),
        ("a: 1\r\n" + DEEP, True),
        ("a: 1\x85" + DEEP, True),  # line breaks only YAML 1.1 and str.splitlines know
        ("a: 1\u2028" + DEEP, True),
        ("a: 1\x0c" + DEEP, True),
        ("a: 1 " + DEEP, False),  # the same spaces inside a line are not indentation
        ("a: 1\n" + " " * 20 + "x", False),
        ("[" * 70, True),
        ("[" * 10 + "]" * 10, False),
    ],
)  # fmt: skip
def test_deep_nesting_is_seen_before_the_c_parser_recurses(text, deep):
    assert _could_nest_deeper_than(text, 64) is deep


def not_closed(quote: str, found: str) -> str:
    return (
        "YAML syntax: the quoted value opened here is not closed on this line (expected a "
        f"closing {quote} before the line ends; {found})"
    )


@pytest.fixture(params=["libyaml", "pure-python"])
def loader(request, monkeypatch) -> str:
    """Compose with libyaml's parser (the usual one) or PyYAML's (files that nest deeply)."""
    if request.param == "pure-python":
        monkeypatch.setattr(yamlnodes, "_CLoader", None)
    elif yamlnodes._CLoader is None:
        pytest.skip("PyYAML is built without libyaml")
    return request.param


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        # Closed by the next quote down the file, where the parser then fails.
        ('e:\n  title: "Kyiv loses power\n  date: 2022-10-10\n  quote: "Power is out"\n',
         2, 10, not_closed('"', 'found the next " only at line 4, column 10')),
        ("e:\n  title: 'Kyiv loses power\n  date: 2022-10-10\n  note: the army's claim\n",
         2, 10, not_closed("'", "found the next ' only at line 4, column 17")),
        ('e:\r\n  title: "Kyiv loses power\r\n  date: 2022-10-10\r\n  quote: "Out"\r\n',
         2, 10, not_closed('"', 'found the next " only at line 4, column 10')),
        # An escaped quote does not close a value; a doubled one in single quotes neither.
        ('a: "say \\"hi\nb: 1\nc: "x"\n', 1, 4,
         not_closed('"', 'found the next " only at line 3, column 4')),
        ("a: 'it''s fine'\nb: 'x\nc: 1\n", 2, 4,
         not_closed("'", "found none before the end of the file")),
        ("a: 'it''s fine\nb: 1\nc: 'x'\n", 1, 4,
         not_closed("'", "found the next ' only at line 3, column 4")),
        # Never closed: reported where it opened, not at the end of the file.
        ("e:\n  title: 'Kyiv loses power\n  date: 2022-10-10\n\n  category: strike\n",
         2, 10, not_closed("'", "found none before the end of the file")),
        ('- "Kyiv\n- Kharkiv\n', 1, 3, not_closed('"', "found none before the end of the file")),
        ('e:\n  - source: a\n    quote: "Power is out\n    # a comment\n    quoted: x\n',
         3, 12, not_closed('"', "found none before the end of the file")),
    ],
)  # fmt: skip
def test_an_unclosed_quote_is_reported_on_its_own_line(loader, text, line, column, message):
    with pytest.raises(YamlSyntaxError) as raised:
        compose(text)
    assert (raised.value.line, raised.value.column, raised.value.message) == (
        line, column, message,
    )  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        'a: "Kyiv loses\n  power"\nb: 1\n',
        "a: 'Kyiv loses\n\n  power, it''s said'\nb: 1\n",
        'e:\n  - quote: "a\n      b"\n    quoted: "c"\n',
    ],
)
def test_a_quoted_value_written_over_several_lines_is_fine(loader, text):
    compose(text)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # The error is after a quoted value that closes on a later line on purpose ...
        ('e:\n  t: "Kyiv loses\n    power" again\n', 3),
        # ... or far below it, or where no quote is open at all.
        ('e:\n  t: "Kyiv loses\n    power"\n  u: 1\n  v: [1\n', 6),
        ("e:\n  t: a\n u: b\n", 3),
    ],
)
def test_other_syntax_errors_do_not_blame_a_quote(loader, text, line):
    with pytest.raises(YamlSyntaxError) as raised:
        compose(text)
    assert "not closed on this line" not in raised.value.message
    assert raised.value.line == line
