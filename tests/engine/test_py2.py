"""python2_edits and python2_runtime_edits: small exact edits for Python 2 leftovers."""

from __future__ import annotations

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel_helpers.engine.masking import mask_magics
from kernel_helpers.engine.py2 import Py2Edit, python2_edits, python2_runtime_edits


def apply(source: str, edits: list[Py2Edit]) -> str:
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        source = source[: edit.start] + edit.replacement + source[edit.end :]
    return source


def assert_well_formed(source: str, edits: list[Py2Edit]) -> None:
    assert edits == sorted(edits, key=lambda e: (e.start, e.end))
    for before, after in zip(edits, edits[1:]):
        assert before.end <= after.start, (before, after)
    for edit in edits:
        assert 0 <= edit.start <= edit.end <= len(source)
        assert edit.message.startswith("Python 2")


def parses(text: str) -> bool:
    try:
        ast.parse(mask_magics(text).text)
    except SyntaxError:
        return False
    return True


# Python 2 source that does not parse -> its Python 3 spelling.
SYNTAX_CASES = {
    "print-items": ("print x, y\n", "print(x, y)\n"),
    "print-one-string": ("print 'hello'\n", "print('hello')\n"),
    "print-trailing-comma": ("print x,\n", 'print(x, end=" ")\n'),
    "print-percent-format": ("print 'x=%d' % x\n", "print('x=%d' % x)\n"),
    "print-bare": ("print\nprint 'a'\n", "print()\nprint('a')\n"),
    "print-to-file": ("print >>f, x\nprint y\n", "print(x, file=f)\nprint(y)\n"),
    "print-to-stderr-trailing-comma": (
        "print >>sys.stderr, 'a', b,\nprint c\n",
        "print('a', b, end=\" \", file=sys.stderr)\nprint(c)\n",
    ),
    "print-call-stays": ('print("a")\nprint x\n', 'print("a")\nprint(x)\n'),
    "print-tuple-kept-as-call": ("print (a, b)\nprint x\n", "print (a, b)\nprint(x)\n"),
    "print-parenthesised-first-operand": ('print ("a"), b\nprint x\n', 'print(("a"), b)\nprint(x)\n'),
    "print-parenthesised-format": ('print ("%d") % n\nprint x\n', 'print(("%d") % n)\nprint(x)\n'),
    "print-multiline-brackets": ("print 'a', (b +\n    c)\n", "print('a', (b +\n    c))\n"),
    "print-backslash-continuation": ("print 'a', \\\n    b\n", "print('a', \\\n    b)\n"),
    "print-after-colon": ("if x: print x\nelse: print 'no'\n", "if x: print(x)\nelse: print('no')\n"),
    "print-after-semicolon": ("x = 1; print x; y = 2\n", "x = 1; print(x); y = 2\n"),
    "print-in-block": ("for i in y:\n    print i\n", "for i in y:\n    print(i)\n"),
    "print-with-comment": ("print x  # show x\n", "print(x)  # show x\n"),
    "print-not": ("print not x\n", "print(not x)\n"),
    "print-non-ascii": ("print 'é→', x\n", "print('é→', x)\n"),
    "except-comma": (
        "try:\n    f()\nexcept ValueError, e:\n    pass\n",
        "try:\n    f()\nexcept ValueError as e:\n    pass\n",
    ),
    "except-tuple-comma": (
        "try:\n    f()\nexcept (A, B), e:\n    pass\n",
        "try:\n    f()\nexcept (A, B) as e:\n    pass\n",
    ),
    "except-one-line": ("try: f()\nexcept E, e: print e\n", "try: f()\nexcept E as e: print(e)\n"),
    "raise-comma": ('raise ValueError, "bad"\n', 'raise ValueError("bad")\n'),
    "raise-traceback": ("raise E, V, tb\n", "raise E(V).with_traceback(tb)\n"),
    "raise-tuple-arguments": ("raise E, (1, 2)\n", "raise E(1, 2)\n"),
    "exec": ("exec code\n", "exec(code)\n"),
    "exec-in": ("exec code in ns\n", "exec(code, ns)\n"),
    "exec-in-globals-locals": ("exec code in g, l\n", "exec(code, g, l)\n"),
    "backticks": ("s = `x` + `y.z`\n", "s = repr(x) + repr(y.z)\n"),
    "not-equal": ("if a <> b: pass\n", "if a != b: pass\n"),
    "octal": ("os.chmod(p, 0755)\n", "os.chmod(p, 0o755)\n"),
    "octal-leading-zeros": ("m = 00755\n", "m = 0o0755\n"),
    "long": ("n = 10L\n", "n = 10\n"),
    "long-lowercase": ("n = 10l\n", "n = 10\n"),
    "hex-long": ("m = 0xFFL\n", "m = 0xFF\n"),
    "octal-long": ("m = 0777L\n", "m = 0o777\n"),
    "ur-string": ("r = ur'\\d+'\n", "r = r'\\d+'\n"),
    "UR-string": ('r = UR"\\w"\n', 'r = R"\\w"\n'),
    "magics-untouched": (
        "%matplotlib inline\n!chmod 0777 f\nprint x\n",
        "%matplotlib inline\n!chmod 0777 f\nprint(x)\n",
    ),
    "tf1-tutorial-cell": (
        "for step in xrange(1001):\n"
        "    sess.run(train)\n"
        "    if step % 100 == 0:\n"
        "        print step, sess.run(W), sess.run(b)\n",
        "for step in xrange(1001):\n"
        "    sess.run(train)\n"
        "    if step % 100 == 0:\n"
        "        print(step, sess.run(W), sess.run(b))\n",
    ),
}


@pytest.mark.parametrize("before,after", SYNTAX_CASES.values(), ids=SYNTAX_CASES.keys())
def test_python2_syntax_is_fixed(before, after):
    assert not parses(before)
    edits = python2_edits(before)
    assert_well_formed(before, edits)
    assert apply(before, edits) == after
    assert parses(after)


def test_edits_are_small():
    source = "x = 1\nprint 'a very long line that stays where it is', x\n"
    edits = python2_edits(source)
    assert [(source[e.start : e.end], e.replacement) for e in edits] == [(" ", "("), ("", ")")]


def test_offsets_are_code_points():
    source = "s = 'ééé'\nprint s\n"
    (opening, closing) = python2_edits(source)
    assert source[opening.start : opening.end] == " " and opening.start == source.index(" s\n")
    assert closing.start == len(source) - 1


def test_ur_message_warns_about_unicode_escapes():
    (edit,) = python2_edits("s = ur'\\u00e9'\n")
    assert "\\u" in edit.message


PYTHON3 = {
    "print-call": "print(x)\n",
    "print-as-name": "print = logger.info\nprint('x')\n",
    "print-in-string": "s = 'print x'\n",
    "print-in-comment": "# print x\n",
    "exec-call": "exec(code, ns)\n",
    "except-as": "try:\n    f()\nexcept E as e:\n    pass\n",
    "raise-call": "raise E('x')\n",
    "new-octal": "n = 0o777\n",
    "not-equal": "x = a != b\n",
    "matmul": "c = a @ b\n",
    "raw-string": "r = r'\\d'\n",
    "bytes-raw": "b = rb'\\d'\n",
}


@pytest.mark.parametrize("source", PYTHON3.values(), ids=PYTHON3.keys())
def test_python3_gets_no_syntax_edits(source):
    assert python2_edits(source) == []


def test_unrelated_syntax_error_gets_no_edits():
    assert python2_edits("for i in range(3:\n    pass\n") == []


def test_edits_are_returned_even_if_the_result_still_fails():
    source = "print x\nfor i in range(3:\n    pass\n"
    edits = python2_edits(source)
    assert apply(source, edits).startswith("print(x)\n")
    assert not parses(apply(source, edits))


def test_non_python_cell_gets_no_edits():
    assert python2_edits("%%bash\necho 0777\nprint x\n") == []


def test_masked_text_gives_the_same_edits():
    source = "%time f()\nprint x\n"
    assert python2_edits(mask_magics(source).text) == python2_edits(source)


# --- runtime fixes (the source parses) --------------------------------------------------------

RUNTIME_CASES = {
    "xrange": ("for i in xrange(10):\n    pass\n", "for i in range(10):\n    pass\n"),
    "xrange-as-value": ("r = xrange\n", "r = range\n"),
    "raw-input": ("name = raw_input('name? ')\n", "name = input('name? ')\n"),
    "iteritems": ("for k, v in d.iteritems():\n    pass\n", "for k, v in d.items():\n    pass\n"),
    "itervalues": ("total = sum(d.itervalues())\n", "total = sum(d.values())\n"),
    "iterkeys": ("keys = sorted(feeds.iterkeys())\n", "keys = sorted(feeds.keys())\n"),
    "has-key-condition": ("if d.has_key(k):\n    pass\n", "if k in d:\n    pass\n"),
    "has-key-negated": ("if not d.has_key(k): pass\n", "if not k in d: pass\n"),
    "has-key-compared": ("ok = d.has_key(k) == True\n", "ok = (k in d) == True\n"),
    "has-key-complex-operands": ("z = (a or b).has_key(c or e)\n", "z = (c or e) in (a or b)\n"),
    "has-key-attribute-operands": ("ok = self.feeds.has_key(x.name)\n", "ok = x.name in self.feeds\n"),
    "print-to-file": ("print >>sys.stderr, 'error', e\n", "print('error', e, file=sys.stderr)\n"),
    "print-to-file-alone": ("print >>f\n", "print(file=f)\n"),
    "print-parenthesised-format": ('print ("%d items") % n\n', 'print(("%d items") % n)\n'),
    "print-parenthesised-tuple": ('print ("a"), b\n', 'print(("a"), b)\n'),
    "bare-print": ("print\n", "print()\n"),
    "print-negative": ("print -x\n", "print(-x)\n"),
    "print-list": ("print [1, 2]\n", "print([1, 2])\n"),
    "non-ascii-offsets": ("s = 'é→'; n = xrange(3)\n", "s = 'é→'; n = range(3)\n"),
    "multi-line": ("x = [i for i in\n     xrange(3)]\n", "x = [i for i in\n     range(3)]\n"),
    "crlf": ("x = 1\r\nfor i in xrange(3): pass\r\n", "x = 1\r\nfor i in range(3): pass\r\n"),
    "with-magic": ("!ls\nfor i in xrange(3): pass\n", "!ls\nfor i in range(3): pass\n"),
    "several": (
        "for i in xrange(3):\n    for k, v in d.iteritems():\n        print >>log, k\n",
        "for i in range(3):\n    for k, v in d.items():\n        print(k, file=log)\n",
    ),
}


@pytest.mark.parametrize("before,after", RUNTIME_CASES.values(), ids=RUNTIME_CASES.keys())
def test_python2_runtime_calls_are_fixed(before, after):
    edits = python2_runtime_edits(before)
    assert_well_formed(before, edits)
    assert apply(before, edits) == after
    assert parses(after)


RUNTIME_NO_OPS = {
    "defined-xrange": "def xrange(n):\n    return [n]\nfor i in xrange(3): pass\n",
    "imported-xrange": "from six.moves import xrange\nfor i in xrange(3): pass\n",
    "assigned-xrange": "xrange = range\nfor i in xrange(3): pass\n",
    "parameter-raw-input": "def ask(raw_input):\n    return raw_input()\n",
    "own-iteritems-method": "class D:\n    def iteritems(self):\n        return []\nD().iteritems()\n",
    "iteritems-with-arguments": "s.iteritems(1)\n",
    "six-iteritems-function": "for k, v in six.iteritems(d): pass\n",
    "attribute-named-xrange": "r = np.xrange(3)\n",
    "unicode-kept": "u = unicode(x)\n",
    "python3": "for i in range(3):\n    print(i, file=sys.stderr)\n",
    "print-rebound": "print = log\nprint >>f, x\n",
    "print-call-expression": "print('a' + b)\n",
    "print-attribute": "print.__doc__\n",
    "print-call-then-attribute": "print(x).y\n",
    "has-key-keywords": "d.has_key(key=k)\n",
    "does-not-parse": "print x\nxrange(3)\n",
    "non-python-cell": "%%bash\nxrange 3\n",
}


@pytest.mark.parametrize("source", RUNTIME_NO_OPS.values(), ids=RUNTIME_NO_OPS.keys())
def test_runtime_no_ops(source):
    assert python2_runtime_edits(source) == []


def test_a_parsed_tree_can_be_passed_in():
    source = "!ls\nfor i in xrange(3): pass\n"
    tree = ast.parse(mask_magics(source).text)
    assert python2_runtime_edits(source, tree=tree) == python2_runtime_edits(source)
    assert python2_runtime_edits(source, tree=tree)[0].replacement == "range"


def test_the_two_passes_are_independent():
    source = "print x\nfor i in xrange(3): pass\n"
    syntax = python2_edits(source)
    assert [e.replacement for e in syntax] == ["(", ")"]
    assert python2_runtime_edits(source) == []
    fixed = apply(source, syntax)
    assert apply(fixed, python2_runtime_edits(fixed)) == "print(x)\nfor i in range(3): pass\n"


# --- properties ------------------------------------------------------------------------------

# Python 3 lines that look like Python 2 to a careless fixer.
PYTHON3_SNIPPETS = [
    "print(x)", "print('a', end=' ')", "print(x, file=sys.stderr)", "print = log.info",
    "exec('x = 1', ns)", "s = 'print x'", "# print x, y", "x = a != b", "n = 0o755",
    "m = 0xFF", "r = r'\\d+'", "u = u'é'", "t = f'{x!r}'", "y = repr(x)",
    "print(a), b", "if a: print(a)", "try:\n    f()\nexcept (A, B) as e:\n    raise E(e) from e",
    "lambda print_fn: print_fn(1)", "d = {'print': 1}", "z = x if y else w", "f(*args, **kw)",
    'doc = """\nprint x\nexec code\n"""', "a = [1,\n     2]",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PYTHON3_SNIPPETS), min_size=1, max_size=8))
def test_valid_python3_gets_no_syntax_edits(snippets):
    source = "\n".join(snippets) + "\n"
    ast.parse(source)
    assert python2_edits(source) == []


_STANDALONE = {
    key: (before, after)
    for key, (before, after) in SYNTAX_CASES.items()
    if not parses(before) and before.count("\n") == 1 and not before.startswith(("if", "try", "%"))
}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(sorted(_STANDALONE)), min_size=1, max_size=6))
def test_fixes_compose(keys):
    """A cell made of several Python 2 lines is fixed line by line, exactly."""
    before = "".join(_STANDALONE[key][0] for key in keys)
    after = "".join(_STANDALONE[key][1] for key in keys)
    edits = python2_edits(before)
    assert_well_formed(before, edits)
    assert apply(before, edits) == after
