"""mask_magics: IPython syntax is hidden from the parser without moving any character."""

from __future__ import annotations

import ast
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kernel_helpers.engine.masking import PYTHON_BODY_CELL_MAGICS, mask_magics

_LINES = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")


def lines_with_endings(text: str) -> list[tuple[int, str]]:
    return [(len(m.group(1)), m.group(2)) for m in _LINES.finditer(text)]


def assert_position_preserving(source: str, masked) -> None:
    """The invariants every caller relies on, whatever the input."""
    assert len(masked.text) == len(source)
    assert lines_with_endings(masked.text) == lines_with_endings(source)
    assert len(masked.spans) == len(masked.magics)
    previous_end = 0
    for start, end in masked.spans:
        assert previous_end <= start < end <= len(source), masked.spans
        previous_end = end
        # The placeholder reads and binds no name, so analysis sees nothing there.
        assert not re.search(r"[^\W\d]", masked.text[start:end])
    # Outside the spans the text is untouched.
    outside = [(0, len(source))]
    for start, end in masked.spans:
        last_start, last_end = outside.pop()
        outside += [(last_start, start), (end, last_end)]
    for start, end in outside:
        assert masked.text[start:end] == source[start:end]


def span_texts(source: str, masked) -> list[str]:
    return [source[start:end] for start, end in masked.spans]


# (source, texts of the masked spans, names of the magics)
MAGIC_CASES = {
    "line-magic": ("%matplotlib inline\nimport tensorflow as tf\n", ["%matplotlib inline"], ["%matplotlib"]),
    "several-line-magics": (
        "%load_ext autoreload\n%autoreload 2\nimport tensorflow as tf\n!nvidia-smi\n",
        ["%load_ext autoreload", "%autoreload 2", "!nvidia-smi"],
        ["%load_ext", "%autoreload", "!"],
    ),
    "indented-magic-in-if": (
        "if gpu:\n    %timeit f()\nelse:\n    pass\n", ["%timeit f()"], ["%timeit"]),
    "indented-magic-is-whole-body": ("for i in range(3):\n    %time step(i)\n", ["%time step(i)"], ["%time"]),
    "magic-in-function-body": ("def f():\n    !ls\n", ["!ls"], ["!"]),
    "shell": ("!pip install tensorflow==1.15\n", ["!pip install tensorflow==1.15"], ["!"]),
    "shell-capture": ("!!ls -l\n", ["!!ls -l"], ["!!"]),
    "shell-with-quote": ("!echo it's\nx = 1\n", ["!echo it's"], ["!"]),
    "shell-assign": ("files = !ls *.csv\nprint(files)\n", ["!ls *.csv"], ["!"]),
    "shell-assign-no-space": ("files=!ls\n", ["!ls"], ["!"]),
    "magic-assign": ("t = %timeit -o f()\n", ["%timeit -o f()"], ["%timeit"]),
    "annotated-assign": ("x: list = !ls\n", ["!ls"], ["!"]),
    "assign-after-multiline-target": ("(a,\n b) = !ls\n", ["!ls"], ["!"]),
    "help-suffix": ("tf.nn.conv2d?\n", ["tf.nn.conv2d?"], ["?"]),
    "help-suffix-double": ("tf.nn.conv2d??\n", ["tf.nn.conv2d??"], ["??"]),
    "help-suffix-indexed": ("layers[0]?\n", ["layers[0]?"], ["?"]),
    "help-after-assignment": ("x = obj?\n", ["x = obj?"], ["?"]),
    "help-prefix": ("?tf.nn\n", ["?tf.nn"], ["?"]),
    "help-prefix-double": ("??tf.nn\n", ["??tf.nn"], ["??"]),
    "pinfo": ("%pinfo tf.nn\n", ["%pinfo tf.nn"], ["%pinfo"]),
    "magic-help": ("%timeit?\n", ["%timeit?"], ["?"]),
    "autocall-slash": ("/f x y\n", ["/f x y"], ["/"]),
    "autoquote-comma": (",f a b\n", [",f a b"], [","]),
    "autoquote-semicolon": (";f a b\n", [";f a b"], [";"]),
    "continued-shell": ("!ls \\\n  -l \\\n  -a\nx = 1\n", ["!ls \\\n  -l \\\n  -a"], ["!"]),
    "continued-assign": ("y = %sx ls \\\n  -l\nz = y\n", ["%sx ls \\\n  -l"], ["%sx"]),
    "bang-alone": ("!\n", ["!"], ["!"]),
    "short-magic": ("%x\n", ["%x"], ["%x"]),
    "bang-assign-empty": ("x = !\n", ["!"], ["!"]),
    "trailing-spaces-not-in-span": ("%matplotlib inline   \n", ["%matplotlib inline"], ["%matplotlib"]),
    "no-final-newline": ("x = 1\n!ls", ["!ls"], ["!"]),
    "crlf": ("%matplotlib inline\r\nx = 1\r\n!ls\r\n", ["%matplotlib inline", "!ls"], ["%matplotlib", "!"]),
    "lone-cr": ("x = 1\r%matplotlib inline\r", ["%matplotlib inline"], ["%matplotlib"]),
    "non-ascii": ("s = 'é→'\n!echo é\n", ["!echo é"], ["!"]),
    "after-closed-brackets": ("f(a,\n  b)\n%time g()\n", ["%time g()"], ["%time"]),
    "after-triple-quoted-string": ('s = """\nabc\n"""\n%time f()\n', ["%time f()"], ["%time"]),
    "after-comment-with-quote": ("# it's\n%time f()\n", ["%time f()"], ["%time"]),
    "percent-percent-not-first-line": ("x = 1\n%%time\n", ["%%time"], ["%%time"]),
}


@pytest.mark.parametrize("source,texts,names", MAGIC_CASES.values(), ids=MAGIC_CASES.keys())
def test_magic_forms_are_masked(source, texts, names):
    masked = mask_magics(source)
    assert span_texts(source, masked) == texts
    assert list(masked.magics) == names
    assert masked.skip_reason is None
    assert_position_preserving(source, masked)
    ast.parse(masked.text)


def test_assignment_keeps_its_target():
    masked = mask_magics("files = !ls *.csv\n")
    (statement,) = ast.parse(masked.text).body
    assert isinstance(statement, ast.Assign)
    assert [target.id for target in statement.targets] == ["files"]


def test_magic_inside_block_keeps_the_block():
    masked = mask_magics("for i in range(3):\n    %time step(i)\n    total += i\n")
    (loop,) = ast.parse(masked.text).body
    assert len(loop.body) == 2 and loop.body[0].col_offset == 4


NOT_MAGIC = {
    "modulo": "a % b\n",
    "not-equal": "x != y\n",
    "not": "y = not x\n",
    "augmented-modulo": "x %= 3\n",
    "augmented-divide": "x /= 2\nx //= 2\n",
    "modulo-continuation-in-brackets": "y = (a\n     % b)\n",
    "divide-continuation-in-brackets": "y = (a\n     / b)\n",
    "leading-comma-style": "z = [1\n     , 2]\n",
    "backslash-continuation": "x = a \\\n    % b\n",
    "string-with-magic": "s = '%matplotlib inline'\nt = \"!ls\"\n",
    "comment-with-magic": "# %matplotlib inline\n# !ls\n",
    "comment-ending-with-question-mark": "# really?\nx = 1  # why?\n",
    "string-ending-with-question-mark": "x = 'what?'\n",
    "triple-quoted-string-lines": 's = """\n%time f()\n!ls\n?help\nobj?\n"""\n',
    "triple-quoted-first-line": '"""\n%%bash\n"""\nx = 1\n',
    "escaped-quote-in-string": "s = 'it\\'s %d'\nt = s % 1\n",
    "fstring-conversion": "print(f'{x!r}')\n",
    "keyword-argument": "f(a=1, b=2)\n",
    "comparison-then-not": "x = a == (not b)\n",
    "dict-over-lines": "d = {'a': 1,\n     'b': 2}\n",
    "empty": "",
    "blank-lines": "\n\n   \n",
}


@pytest.mark.parametrize("source", NOT_MAGIC.values(), ids=NOT_MAGIC.keys())
def test_python_is_never_masked(source):
    ast.parse(source)  # the cases are valid Python
    masked = mask_magics(source)
    assert masked.text == source
    assert masked.spans == () and masked.magics == () and masked.skip_reason is None


# Invalid Python that IPython does not transform either: masking it would hide a real error.
LEFT_ALONE = {
    "call-then-question-mark": "foo(1)?\n",
    "help-then-comment": "obj? # why\n",
    "second-assignment": "a = b = !ls\n",
    "magic-after-operator-equals": "x == !y\n",
    "magic-keyword-argument": "f(a=!b)\n",
}


@pytest.mark.parametrize("source", LEFT_ALONE.values(), ids=LEFT_ALONE.keys())
def test_ipython_invalid_syntax_is_not_masked(source):
    masked = mask_magics(source)
    assert masked.text == source and masked.spans == ()


PYTHON_BODY = sorted(PYTHON_BODY_CELL_MAGICS)


@pytest.mark.parametrize("name", PYTHON_BODY)
def test_cell_magics_with_python_bodies_are_analysed(name):
    source = f"%%{name} -q\nimport tensorflow as tf\ny = tf.log(x)\n"
    masked = mask_magics(source)
    assert masked.skip_reason is None
    assert span_texts(source, masked) == [f"%%{name} -q"]
    assert masked.magics == (f"%%{name}",)
    assert_position_preserving(source, masked)
    placeholder, first = ast.parse(masked.text).body[:2]
    assert isinstance(placeholder, ast.Expr) and placeholder.value.value is Ellipsis
    assert ast.dump(first) == ast.dump(ast.parse("import tensorflow as tf").body[0])


def test_indented_cell_magic_is_a_line_magic_as_in_ipython():
    source = "  %%bash\nls\n"
    masked = mask_magics(source)
    assert masked.skip_reason is None and span_texts(source, masked) == ["%%bash"]


def test_cell_magic_after_leading_blank_lines():
    source = "\n  \n%%time\nx = 1\n"
    masked = mask_magics(source)
    assert span_texts(source, masked) == ["%%time"] and masked.skip_reason is None


def test_cell_magic_help_is_masked_and_body_analysed():
    source = "%%timeit?\nx = 1\n"
    masked = mask_magics(source)
    assert span_texts(source, masked) == ["%%timeit?"] and masked.skip_reason is None


@pytest.mark.parametrize("name", [
    "bash", "writefile out.py", "html", "javascript", "latex", "markdown", "sh", "script python2",
    "file out.txt", "some_unknown_magic",
])
def test_other_cell_magics_skip_the_cell(name):
    source = f"%%{name}\necho tf.log\nif [ 1 ]; then ls; fi\n"
    masked = mask_magics(source)
    magic = "%%" + name.split()[0]
    assert masked.skip_reason is not None and magic in masked.skip_reason
    assert masked.spans == ((0, len(source)),)
    assert masked.magics == (magic,)
    assert_position_preserving(source, masked)
    ast.parse(masked.text)


def test_skipped_cell_after_blank_lines_spans_from_the_magic():
    source = "\n%%bash\nls\n"
    masked = mask_magics(source)
    assert masked.skip_reason and masked.spans == ((1, len(source)),)


def test_masked_text_parses_when_the_python_parts_do():
    source = (
        "%matplotlib inline\n"
        "import tensorflow as tf\n"
        "files = !ls data/*.csv\n"
        "for f in files:\n"
        "    %time load(f)\n"
        "    !wc -l {f}\n"
        "tf.nn.conv2d?\n"
        "model = build(\n"
        "    width=3\n"
        "    % 2)\n"
    )
    masked = mask_magics(source)
    assert masked.magics == ("%matplotlib", "!", "%time", "!", "?")
    assert_position_preserving(source, masked)
    ast.parse(masked.text)


def test_agrees_with_ipython_about_what_is_special():
    """IPython's own transformer changes a line exactly when we mask it."""
    transformer = pytest.importorskip("IPython.core.inputtransformer2").TransformerManager()
    sources = [s for s, _, _ in MAGIC_CASES.values() if "\r" not in s and not s.startswith(" ")]
    for source in sources:
        assert transformer.transform_cell(source) != source, source
    for source in list(NOT_MAGIC.values()) + list(LEFT_ALONE.values()):
        if source.strip():  # IPython drops blank leading lines
            assert transformer.transform_cell(source) == source, source


# --- properties ------------------------------------------------------------------------------

_NAMES = st.sampled_from(["a", "b", "x1", "tf", "loss"])
_ATOMS = st.one_of(
    _NAMES,
    st.sampled_from(["0", "1.5", "None", "x.y", "d['k']", "f'{a!r}'", "...", "(a, b)"]),
    # Strings holding magic-looking text, in their repr() spelling so they are always valid.
    st.text(alphabet="%!?/,;#= ab'\"\\\n{}", max_size=10).map(repr),
)
_OPERATORS = st.sampled_from(["%", "/", "//", "!=", "==", "+", "*", "and", "or", "<", "is not"])


def _combine(inner):
    return st.one_of(
        st.tuples(inner, _OPERATORS, inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        # A line inside brackets that starts with an operator or a comma.
        st.tuples(inner, _OPERATORS, inner).map(lambda t: f"({t[0]}\n    {t[1]} {t[2]})"),
        st.lists(inner, min_size=1, max_size=3).map(lambda items: "[" + "\n , ".join(items) + "]"),
        inner.map(lambda e: f"(not {e})"),
        inner.map(lambda e: f"f({e}, k={e})"),
    )


_EXPRESSIONS = st.recursive(_ATOMS, _combine, max_leaves=6)
_SIMPLE_STATEMENTS = st.one_of(
    st.tuples(_NAMES, _EXPRESSIONS).map(lambda t: f"{t[0]} = {t[1]}"),
    st.tuples(_NAMES, st.sampled_from(["%=", "/=", "//="]), _EXPRESSIONS).map(" ".join),
    _EXPRESSIONS,
    st.tuples(_NAMES, _EXPRESSIONS).map(lambda t: f"{t[0]} = {t[1]} \\\n    % 2"),
    st.text(alphabet="%!?/,;abc ", max_size=12).map(lambda s: "# " + s),
    st.text(alphabet="%!?/,;abc \n", max_size=20).map(lambda s: f'"""\n{s}\n"""'),
    st.tuples(_NAMES, _EXPRESSIONS).map(lambda t: f"{t[0]} = {t[1]}  # ok?"),
)
_STATEMENTS = st.one_of(
    _SIMPLE_STATEMENTS,
    st.tuples(_EXPRESSIONS, _SIMPLE_STATEMENTS).map(
        lambda t: f"if {t[0]}:\n    " + t[1].replace("\n", "\n    ")
    ),
)
_PROGRAMS = st.lists(_STATEMENTS, min_size=1, max_size=6).map(lambda lines: "\n".join(lines) + "\n")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_PROGRAMS)
def test_python_without_magics_is_returned_unchanged(source):
    try:
        ast.parse(source)
    except SyntaxError:
        return  # the generator can make the odd invalid program; only valid Python is the claim
    masked = mask_magics(source)
    assert masked.text == source
    assert masked.spans == () and masked.magics == () and masked.skip_reason is None


# magic line -> the text its span covers
MAGIC_LINES = {
    "%time f()": "%time f()",
    "%matplotlib inline": "%matplotlib inline",
    "!ls -l": "!ls -l",
    "!!ls": "!!ls",
    "files = !ls *.csv": "!ls *.csv",
    "t = %timeit -o f()": "%timeit -o f()",
    "obj?": "obj?",
    "tf.nn??": "tf.nn??",
    "?tf": "?tf",
    "%pinfo x": "%pinfo x",
    "/f a b": "/f a b",
    "!": "!",
    "%x": "%x",
    "!echo 'unbalanced": "!echo 'unbalanced",
}
PYTHON_LINES = ["x = 1", "y = (a\n     % b)", "s = '%time'", "# !ls?", "z = x != y", 'doc = """\n!ls\n"""']


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted(MAGIC_LINES) + PYTHON_LINES), min_size=1, max_size=8))
def test_magics_mixed_with_python_are_masked_exactly(lines):
    # Every line goes into the body of an "if", so indented magics must keep the block valid.
    source = "if ok:\n    pass\n    " + "\n    ".join(line.replace("\n", "\n    ") for line in lines) + "\n"
    masked = mask_magics(source)
    assert_position_preserving(source, masked)
    assert span_texts(source, masked) == [MAGIC_LINES[line] for line in lines if line in MAGIC_LINES]
    ast.parse(masked.text)
