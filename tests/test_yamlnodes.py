"""The YAML layer's cheap checks before parsing."""

import pytest

from timeline.yamlnodes import _could_nest_deeper_than

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
