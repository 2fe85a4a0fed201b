"""Which string literals re-indenting would change: the ones whose own text runs over a line break."""

import pytest

from kernel_helpers.engine.lift.syntax import strings_across_lines


@pytest.mark.parametrize("text, lines", [
    ('print("a" \\\n      "b")\n', []),                   # joined over lines: each piece on one line
    ('print("a"\n      "b")\n', []),
    ('x = """a\nb"""\n', [1]),                           # the literal holds the line break
    ("y = 1\nx = f'''{y}\n'''\n", [2]),
    ('x = "a\\\nb"\n', [1]),                             # a backslash-continued literal
    ('if x:\n    s = """\n    kept\n    """\n', [2]),
    ("print('unclosed\n", [1]),                          # does not tokenize: counted, so nothing is re-indented
])
def test_strings_across_lines(text, lines):
    assert strings_across_lines(text) == lines
