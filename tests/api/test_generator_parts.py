"""The generator's building blocks on synthetic inputs (no TensorFlow needed)."""

import json
import types

import pytest

from kernel_helpers.api import naming, signatures
from kernel_helpers.api.generate import diff_summary
from kernel_helpers.api.jsonfmt import render
from kernel_helpers.api.walker import ApiWalker, kind_of

# -- canonical names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("v1_name", "candidates", "expected"),
    [
        ("reduce_sum", ["math.reduce_sum", "reduce_sum"], "reduce_sum"),  # itself
        ("log", ["math.log"], "math.log"),
        ("mod", ["math.floormod", "math.mod", "floormod"], "math.mod"),  # same last component
        ("random_normal", ["random.normal"], "random.normal"),
        ("a", ["x.y.z", "b.c", "zz.yy"], "b.c"),  # fewest dots, then fewest characters
        ("a", ["b.dd", "b.cc"], "b.cc"),  # alphabetical tie-break
    ],
)
def test_canonical_v2_name(v1_name, candidates, expected):
    assert naming.canonical_v2_name(v1_name, candidates) == expected
    assert naming.canonical_v2_name(v1_name, list(reversed(candidates))) == expected


def test_canonical_v2_name_needs_candidates():
    with pytest.raises(ValueError):
        naming.canonical_v2_name("log", [])


# -- signatures: source-derived keyword renames ------------------------------------------------


def deprecated_argument_lookup(new_name, new_value, old_name, old_value):
    return new_value if old_value is None else old_value


def deprecated_args(date, instructions, *names):
    return lambda function: function


@deprecated_args(None, "keep_dims is deprecated, use keepdims instead", "keep_dims")
def old_sum(x, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
    axis = deprecated_argument_lookup("axis", axis, "reduction_indices", reduction_indices)
    return x, axis, keepdims, name, keep_dims


def new_sum(x, axis=None, keepdims=False, name=None):
    return x, axis, keepdims, name


@deprecated_args(None, "Please use `rate` instead of `keep_prob`. Set `rate = 1 - keep_prob`.", "keep_prob")
def old_dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    rate_from_keep_prob = 1 - keep_prob if keep_prob is not None else None
    rate = deprecated_argument_lookup("rate", rate, "keep_prob", rate_from_keep_prob)
    return x, rate, noise_shape, seed, name


def new_dropout(x, rate, noise_shape=None, seed=None, name=None):
    return x, rate, noise_shape, seed, name


@deprecated_args(None, "fn1/fn2 are deprecated in favor of the true_fn/false_fn arguments.", "fn1", "fn2")
def old_cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    return pred, true_fn, false_fn, strict, name, fn1, fn2


def new_cond(pred, true_fn=None, false_fn=None, name=None):
    return pred, true_fn, false_fn, name


@deprecated_args(None, "Use either axis or keepdims instead of dim.", "dim")
def old_ambiguous(x, axis=None, keepdims=None, dim=None):
    return x, axis, keepdims, dim


def test_renames_from_lookup_and_instructions():
    assert signatures.deprecated_aliases(old_sum, signatures.params_of(new_sum)) == {
        "keep_dims": "keepdims",
        "reduction_indices": "axis",
    }


def test_value_rewrites_are_not_renames():
    # The instruction names rate, but the body hands over 1 - keep_prob.
    assert signatures.deprecated_aliases(old_dropout, signatures.params_of(new_dropout)) == {}


def test_instruction_pairs_several_arguments_in_order():
    renames = signatures.deprecated_aliases(old_cond, signatures.params_of(new_cond))
    assert renames == {"fn1": "true_fn", "fn2": "false_fn"}


def test_ambiguous_instruction_gives_no_rename():
    assert signatures.deprecated_aliases(old_ambiguous, signatures.params_of(new_sum)) == {}


def test_rename_requires_the_new_keyword_on_the_target():
    assert signatures.deprecated_aliases(old_sum, signatures.params_of(new_dropout)) == {}


# -- signatures: compatibility -----------------------------------------------------------------


def old_scalar(name, tensor, collections=None, family=None):
    return name, tensor, collections, family


def new_scalar(name, data, step=None, description=None):
    return name, data, step, description


def needs_step(name, data, step):
    return name, data, step


def old_argmax(input, axis=None, name=None, dimension=None, output_type=None):
    return input, axis, name, dimension, output_type


def new_argmax(input, axis=None, output_type=None, name=None):
    return input, axis, output_type, name


def takes_kwargs(x, **kwargs):
    return x, kwargs


def takes_varargs(x, *rest):
    return x, rest


def params(function):
    return signatures.params_of(function)


def test_drop_in_requires_counterparts_for_required_arguments():
    assert not signatures.is_drop_in(params(old_scalar), params(new_scalar), {})
    assert signatures.is_drop_in(params(old_scalar), params(new_scalar), {"tensor": "data"})
    assert not signatures.is_drop_in(params(old_scalar), params(needs_step), {"tensor": "data"})
    assert signatures.is_drop_in(params(old_sum), params(new_sum), {})


def test_first_changed_position():
    assert signatures.first_changed_position(params(old_argmax), params(new_argmax), {"dimension": "axis"}) == 2
    assert signatures.first_changed_position(params(new_sum), params(new_sum), {}) is None
    # Extra TF1 positions beyond the TF2 signature change meaning, even when TF2 takes *args.
    assert signatures.first_changed_position(params(old_sum), params(new_sum), {}) == 4
    assert signatures.first_changed_position(params(new_sum), params(takes_varargs), {}) == 1
    # A renamed parameter at the same position binds the same argument.
    assert signatures.first_changed_position(params(old_scalar), params(new_scalar), {"tensor": "data"}) == 2


def test_removed_keywords():
    assert signatures.removed_keywords(params(old_dropout), params(new_dropout), {}) == {"keep_prob"}
    renames = {"keep_dims": "keepdims", "reduction_indices": "axis"}
    assert signatures.removed_keywords(params(old_sum), params(new_sum), renames) == set()
    assert signatures.removed_keywords(params(old_dropout), params(takes_kwargs), {}) == set()  # unknowable


class WithInit:
    def __init__(self, value, dtype=None):
        self.value, self.dtype = value, dtype


class WithoutInit:
    pass


def test_params_of_classes_use_the_constructor():
    info = params(WithInit)
    assert info.positional == ("value", "dtype") and info.required == {"value"}
    assert params(WithoutInit) is None


def test_kind_of_plain_objects():
    assert kind_of(types) == "module"
    assert kind_of(WithInit) == "class"
    assert kind_of(new_sum) == "function"
    assert kind_of(len) == "function"
    assert kind_of(3) == "constant"


# -- walker on a synthetic API tree ------------------------------------------------------------


class Grumpy(types.ModuleType):
    """A module whose listed attribute raises on access, like a Keras 3 lazy loader."""

    def __dir__(self):
        return ["broken", "fine"]

    def __getattr__(self, name):
        if name == "fine":
            return 1
        raise AttributeError(f"{name} is not available with Keras 3")


def _module(name, file, **members):
    module = types.ModuleType(name)
    module.__file__ = file
    for attr, value in members.items():
        setattr(module, attr, value)
    return module


def test_walker_follows_api_modules_and_respects_limits(tmp_path):
    api = tmp_path / "tensorflow" / "_api"
    other = tmp_path / "tensorflow" / "python"

    def api_file(*parts):
        return str(api.joinpath(*parts, "__init__.py"))

    helper = _module("tensorflow.python.helper", str(other / "helper.py"))
    foreign = _module(
        "absl.flags", str(tmp_path / "absl" / "flags.py"), DEFINE_string=new_sum, helper=helper, FLAGS=object()
    )
    leaked = _module("tensorflow.leaked", str(other / "leaked.py"), secret=new_sum)
    grumpy = Grumpy("tensorflow._api.grumpy")
    grumpy.__file__ = api_file("grumpy")
    ops = _module("tensorflow._api.ops", api_file("ops"), Add=new_sum)
    deep = _module("tensorflow._api.math.deep", api_file("math", "deep"), inner=new_sum)
    math = _module("tensorflow._api.math", api_file("math"), log=new_sum, deep=deep, _private=new_sum)
    root = _module(
        "tensorflow", api_file(),
        math=math, flags=foreign, leaked=leaked, grumpy=grumpy, ops=ops, pi=3.1, Thing=WithInit,
    )

    result = ApiWalker(str(api), skip={"math.deep"}, opaque={"ops"}).walk(root)

    assert {name: symbol.kind for name, symbol in result.symbols.items()} == {
        "math": "module",
        "math.log": "function",
        "flags": "module",
        "flags.DEFINE_string": "function",
        "flags.FLAGS": "constant",
        "grumpy": "module",
        "grumpy.fine": "constant",
        "ops": "module",
        "pi": "constant",
        "Thing": "class",
    }
    assert result.unreadable == ["grumpy.broken"]


# -- output layout and check summary -----------------------------------------------------------


def test_render_is_valid_sorted_json_with_one_entry_per_line():
    document = {"b": {"y": [1, 2], "x": {"k": "v"}}, "a": ["p", "q"], "c": 3, "d": {}, "e": []}
    text = render(document)
    assert json.loads(text) == document
    lines = text.splitlines()
    assert lines[1] == '"a": ['
    assert '"x": {"k": "v"},' in lines and '"y": [1, 2]' in lines
    assert '"d": {},' in lines and '"e": []' in lines
    assert render(json.loads(text)) == text


def test_diff_summary_names_what_changed():
    old = {"symbols": {"log": ["math.log", "f"], "gone": ["x", "f"]}, "v2": ["a", "b"], "tensorflow_version": "2.20"}
    new = {"symbols": {"log": ["compat.v1.log", "f"], "new": ["y", "f"]}, "v2": ["b", "c"]}
    new["tensorflow_version"] = "2.21"
    lines = diff_summary(old, new)
    assert "symbols: +1 -1 ~1" in lines
    assert any(line.startswith("  ~ log:") and "compat.v1.log" in line for line in lines)
    assert "v2: +1 -1" in lines and "  + c" in lines and "  - a" in lines
    assert 'tensorflow_version: "2.20" -> "2.21"' in lines
    assert diff_summary(old, old) == []
