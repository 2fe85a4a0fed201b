"""Properties that must hold for any input: idempotence, no change without TensorFlow, parseable output."""

import ast

from hypothesis import HealthCheck, given, settings, strategies as st

from kernel_helpers import migrate
from kernel_helpers.api import tables

API = sorted(n for n in tables().v1_names() if tables().v1_kind(n) in ("function", "class")
             and not n.startswith(("raw_ops", "keras", "compat", "debugging.experimental")))
names = st.sampled_from(["x", "y", "loss", "w", "sess", "ds", "step"])
api = st.sampled_from(API)
keyword = st.sampled_from(["axis", "keep_dims", "keep_prob", "name", "dim", "reduction_indices", "labels", "seed"])
argument = st.one_of(names, st.integers(-3, 30).map(str), st.just("[1, 2]"), st.just("'s'"))


@st.composite
def call(draw, prefix="tf."):
    args = draw(st.lists(argument, max_size=3))
    kwargs = [f"{draw(keyword)}={draw(argument)}" for _ in range(draw(st.integers(0, 2)))]
    kwargs = list(dict.fromkeys(kwargs))
    if len({k.split("=")[0] for k in kwargs}) != len(kwargs):
        kwargs = kwargs[:1]
    return f"{prefix}{draw(api)}({', '.join(args + kwargs)})"


@st.composite
def statement(draw, prefix="tf."):
    kind = draw(st.sampled_from(["assign", "expr", "for", "def", "with", "method", "magic", "print"]))
    target, c = draw(names), draw(call(prefix))
    if kind == "assign":
        return f"{target} = {c}"
    if kind == "expr":
        return c
    if kind == "for":
        return f"for {target} in range(3):\n    {draw(names)} = {c}"
    if kind == "def":
        return f"def f_{target}({draw(names)}):\n    return {c}"
    if kind == "with":
        return f"with {c} as {target}:\n    pass"
    if kind == "method":
        return f"{target} = {draw(names)}.make_one_shot_iterator().get_next()"
    if kind == "magic":
        return draw(st.sampled_from(["%matplotlib inline", "!pip install tensorflow==1.15", "files = !ls"]))
    return f"print({c})"


def program(prefix, header):
    return st.lists(statement(prefix), min_size=1, max_size=6).map(lambda lines: header + "\n".join(lines) + "\n")


TF_PROGRAMS = st.one_of(program("tf.", "import tensorflow as tf\n"),
                        program("tensorflow.", "import tensorflow\n"),
                        program("tf.", "import tensorflow.compat.v1 as tf\n"))
PLAIN_PROGRAMS = program("tf.", "import numpy as tf\n")

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parses(text):
    from kernel_helpers.engine.masking import mask_magics

    try:
        ast.parse(mask_magics(text).text)
        return True
    except SyntaxError:
        return False


@SETTINGS
@given(TF_PROGRAMS, st.sampled_from(["compat", "tf2"]), st.booleans())
def test_idempotent_and_parseable(source, level, unsafe):
    once = migrate(source, level=level, unsafe=unsafe).source
    assert migrate(once, level=level, unsafe=unsafe).source == once
    if _parses(source):
        assert _parses(once)


@SETTINGS
@given(PLAIN_PROGRAMS, st.sampled_from(["compat", "tf2"]))
def test_code_without_tensorflow_is_never_changed(source, level):
    result = migrate(source, level=level, unsafe=True)
    assert result.source == source
    assert result.findings == ()
