"""TFM210 initializers-to-keras."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from kernel_helpers.engine.calls import operand
from kernel_helpers.engine.context import TF
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.index import dotted
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import qualified


@dataclass(frozen=True)
class Target:
    """A TF1 initializer and the Keras 3 class that draws from the same distribution."""

    keras: str
    #: the TF1 constructor's parameters, in order (positional arguments are named after them)
    params: tuple[str, ...]
    #: keywords added when the TF1 parameter (or None: always) is not passed, where Keras's default differs
    added: tuple[tuple[str, str, str | None], ...] = ()
    #: TF1's class never used its `dtype` (Glorot: the constructor did not hand it on)
    ignores_dtype: bool = False
    random: bool = True
    #: TF1's formula equals Keras's only for tensors of rank 0 or >= 2
    rank_one_differs: bool = False


TRUNCATED_NORMAL = Target("TruncatedNormal", ("mean", "stddev", "seed", "dtype"),
                          added=(("stddev", "1.0", "stddev"),))
GLOROT_UNIFORM = Target("GlorotUniform", ("seed", "dtype"), ignores_dtype=True)
GLOROT_NORMAL = Target("GlorotNormal", ("seed", "dtype"), ignores_dtype=True)
XAVIER = Target("GlorotUniform", ("uniform", "seed", "dtype"), ignores_dtype=True)
VARIANCE_SCALING = Target("VarianceScaling", ("scale", "mode", "distribution", "seed", "dtype"))
ORTHOGONAL = Target("Orthogonal", ("gain", "seed", "dtype"))
IDENTITY = Target("Identity", ("gain", "dtype"), random=False)
# max_val = factor * sqrt(3 / prod(shape[:-1])) is VarianceScaling's uniform limit sqrt(3 * scale / fan_in) with
# scale = factor ** 2, since fan_in = prod(shape[:-1]) for rank 2 and up; a vector has fan_in = its length
UNIFORM_UNIT_SCALING = Target("VarianceScaling", ("factor", "seed", "dtype"),
                              added=(("scale", "1.0", "factor"), ("mode", '"fan_in"', None),
                                     ("distribution", '"uniform"', None)),
                              rank_one_differs=True)

#: TF1 names (v1 API, also under tf.compat.v1) -> their Keras 3 class
TARGETS = {
    "truncated_normal_initializer": TRUNCATED_NORMAL,
    "initializers.truncated_normal": TRUNCATED_NORMAL,
    "glorot_uniform_initializer": GLOROT_UNIFORM,
    "initializers.glorot_uniform": GLOROT_UNIFORM,
    "glorot_normal_initializer": GLOROT_NORMAL,
    "initializers.glorot_normal": GLOROT_NORMAL,
    "variance_scaling_initializer": VARIANCE_SCALING,
    "initializers.variance_scaling": VARIANCE_SCALING,
    "orthogonal_initializer": ORTHOGONAL,
    "initializers.orthogonal": ORTHOGONAL,
    "initializers.identity": IDENTITY,
    "initializers.he_normal": Target("HeNormal", ("seed",)),
    "initializers.he_uniform": Target("HeUniform", ("seed",)),
    "initializers.lecun_normal": Target("LecunNormal", ("seed",)),
    "initializers.lecun_uniform": Target("LecunUniform", ("seed",)),
    # contrib's Xavier is Glorot (its uniform=False variant differs from GlorotNormal: TFM015 proposes that one)
    "contrib.layers.xavier_initializer": XAVIER,
    "contrib.layers.xavier_initializer_conv2d": XAVIER,
    "uniform_unit_scaling_initializer": UNIFORM_UNIT_SCALING,
    "initializers.uniform_unit_scaling": UNIFORM_UNIT_SCALING,
}

FLOAT32 = {"tensorflow.float32", "tensorflow.dtypes.float32", "tensorflow.compat.v1.float32",
           "tensorflow.compat.v1.dtypes.float32", "tensorflow.compat.v2.float32", "numpy.float32"}
#: calls that hand their initializer to one variable only
ONE_VARIABLE = {"get_variable", "get_local_variable"}
ONE_VARIABLE_METHODS = {"add_weight", "add_variable"}
#: tf_slim (tf.contrib.layers) layers whose weights_initializer starts one weight (not separable_conv2d's two,
#: nor repeat/stack/arg_scope, which hand it to several layers)
SLIM_ONE_WEIGHT = {"fully_connected", "conv1d", "conv2d", "conv3d", "convolution", "convolution1d", "convolution2d",
                   "convolution3d", "conv2d_transpose", "conv3d_transpose", "convolution2d_transpose",
                   "convolution3d_transpose", "conv2d_in_plane", "convolution2d_in_plane"}
#: unseeded, a Keras 3 initializer gives the same values at every call; TF1's drew new ones
REUSED = ("unseeded, a Keras 3 initializer returns the same values at every call (TF1's drew new ones), so "
          "variables sharing it would start equal: give each variable its own initializer, or a seed")


@register
class InitializersToKeras(Rule):
    """TF1 initializer classes: their Keras 3 counterparts in TF 2.

    ## What it does
    At level `tf2`, rewrites `tf.truncated_normal_initializer`, `tf.glorot_uniform_initializer`,
    `tf.glorot_normal_initializer`, `tf.variance_scaling_initializer`, `tf.orthogonal_initializer`,
    `tf.uniform_unit_scaling_initializer` and `tf.initializers.he_normal`/`he_uniform`/`lecun_normal`/
    `lecun_uniform`/`identity`/... (also under `tf.compat.v1`) to `tf.keras.initializers.TruncatedNormal`,
    `GlorotUniform`, `VarianceScaling`, `Orthogonal`, `HeNormal`, ... Positional arguments become keywords,
    TF1 defaults that Keras changed are passed explicitly (`stddev=1.0`), the deprecated
    `distribution="normal"` is spelled `"truncated_normal"`, and a `float32` `dtype` is dropped.

    ## Why
    These classes are TF1 only (`tf.compat.v1`); TF 2 code uses the Keras initializers, which take the dtype
    when called rather than when built.

    ## Example
    ```python
    import tensorflow as tf
    init = tf.variance_scaling_initializer(2.0, distribution="normal", seed=1)
    layer = tf.keras.layers.Dense(10, kernel_initializer=tf.truncated_normal_initializer(seed=2))
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    init = tf.keras.initializers.VarianceScaling(scale=2.0, distribution="truncated_normal", seed=1)
    layer = tf.keras.layers.Dense(10, kernel_initializer=tf.keras.initializers.TruncatedNormal(seed=2, stddev=1.0))
    ```

    ## Fix safety
    Safe when the initializer has a seed or gives one variable its values (called at once, or passed to
    `get_variable`, `add_weight` or a layer's `*_initializer`): the same distribution, fans and truncation
    (tested on samples against TF1). A `float32` dtype is what Keras uses when none is given when calling, and
    `get_variable` and layers always give one. The values differ from TF1's for the same seed, and an unseeded
    Keras initializer follows Python's `random` (`tf.keras.utils.set_random_seed`), not `tf.random.set_seed`.
    Unsafe for an unseeded initializer that may be shared (see the message), a computed seed (Keras takes only
    a Python `int`), and `uniform_unit_scaling_initializer` (it differs from `VarianceScaling` on vectors).
    No fix for another `dtype` (pass it where the initializer is called) or a partitioned variable.
    """

    code = "TFM210"
    name = "initializers-to-keras"
    level = "tf2"
    priority = 9  # before TFM015, whose compat.v1 spelling of Xavier this rule would only rewrite again

    def check(self, cell):
        for ref in cell.refs:
            if ref.call is None or ref.namespace not in ("v1", "compat.v1") or ref.api not in TARGETS:
                continue
            if ref.base_qual == f"{TF}.compat.v1" and cell.root_alias() is None:
                continue  # `import tensorflow.compat.v1 as tf`: the notebook runs as TF1 (the execution-model rules')
            finding = self._rewrite(cell, ref, TARGETS[ref.api])
            if finding is not None:
                yield finding

    def _rewrite(self, cell, ref, target: Target):
        call = ref.call
        items = _arguments(cell, call, target.params)
        if items is None:
            return None  # *args, **kwargs, keywords TF1 never took: left on tf.compat.v1
        given = {param: node for param, node, _, _ in items}
        uniform = given.get("uniform")
        if uniform is not None and not (isinstance(uniform, ast.Constant) and uniform.value is True):
            return None  # Xavier's normal variant: not GlorotNormal's numbers (TFM015)
        spelled = ref.qualname.replace(TF, "tf", 1)
        prefix = _keras_prefix(cell)
        if prefix is None:
            return None
        new_name = f"{prefix[0]}.{target.keras}"
        message = f"`{spelled}` is `tf.keras.initializers.{target.keras}` in TF 2"
        start, end = cell.source.span(call)
        manual = _manual_reason(cell, call, target, given)
        if manual:
            return self.finding(cell, start, end, f"{message}; {manual}", Applicability.MANUAL)
        unsafe = _unsafe_reasons(cell, call, target, given)
        safety = Applicability.UNSAFE if unsafe else Applicability.SAFE
        if "stddev" in [a[0] for a in target.added] and "stddev" not in given:
            message += " (TF1's default `stddev=1.0` is passed: Keras's is 0.05)"
        if unsafe:
            message += "; " + "; ".join(unsafe)
        edits = _edits(cell, call, target, items, new_name)
        return self.finding(cell, start, end, message, safety, edits=edits, imports=prefix[1])


def _keras_prefix(cell) -> tuple[str, tuple[str, ...]] | None:
    """``tf.keras.initializers`` spelled from the notebook's root alias (and the import that needs), or None when
    there is no alias and ``tf`` means something else."""
    if cell.root_alias() is None and cell.bound("tf") is not None:
        return None
    return qualified(cell, "tensorflow.keras.initializers")


def _arguments(cell, call: ast.Call, params: tuple[str, ...]):
    """[(parameter, value node, start, end)] in source order, or None when a parameter cannot be told."""
    items = []
    for position, node in enumerate(call.args):
        if isinstance(node, ast.Starred) or position >= len(params):
            return None
        start, end = cell.source.span(node)
        items.append((params[position], node, start, end))
    for keyword in call.keywords:
        if keyword.arg is None or keyword.arg not in params:
            return None
        start = cell.source.offset(keyword.lineno, keyword.col_offset)
        items.append((keyword.arg, keyword.value, start, cell.source.span(keyword.value)[1]))
    if len({item[0] for item in items}) < len(items):
        return None  # a parameter given twice (a TypeError in TF1): naming it twice would not even parse
    return sorted(items, key=lambda item: item[2])


def _manual_reason(cell, call: ast.Call, target: Target, given: dict) -> str | None:
    dtype = given.get("dtype")
    if dtype is not None and not target.ignores_dtype and not _is_float32(cell, dtype):
        return ("Keras initializers take the dtype when called: pass "
                f"`dtype={cell.source.segment(dtype)}` where it is called (or to the variable)")
    parents = _parents(cell, call)
    parent = parents.get(id(call))
    consumer = parent if isinstance(parent, ast.Call) else parents.get(id(parent))
    if isinstance(consumer, ast.Call) and any(k.arg in ("partitioner", "partition_info") for k in consumer.keywords):
        return "a partitioned variable: Keras initializers see each shard's shape, TF1's the full shape"
    return None


def _unsafe_reasons(cell, call: ast.Call, target: Target, given: dict) -> list[str]:
    reasons = []
    seed = given.get("seed")
    if target.random:
        if seed is None or (isinstance(seed, ast.Constant) and seed.value is None):
            if not _one_variable(cell, call):
                reasons.append(REUSED)
        elif not (isinstance(seed, ast.Constant) and type(seed.value) is int):
            reasons.append("Keras 3 takes only a Python `int` seed (a NumPy integer raises, and `None` "
                           "makes it return the same values at every call)")
    if target.rank_one_differs:
        reasons.append("on a vector (rank 1) TF1's limit was `factor * sqrt(3)`, VarianceScaling's "
                       "`factor * sqrt(3 / length)`")
    return reasons


def _one_variable(cell, call: ast.Call) -> bool:
    """The initializer built by ``call`` can give values to one variable only."""
    parents = _parents(cell, call)
    parent = parents.get(id(call))
    if isinstance(parent, ast.Call) and parent.func is call:
        return True  # called at once
    if not isinstance(parent, ast.keyword) or parent.arg is None:
        return False
    consumer = parents.get(id(parent))
    if not isinstance(consumer, ast.Call):
        return False
    func = consumer.func
    if isinstance(func, ast.Attribute) and func.attr in ONE_VARIABLE_METHODS:
        return parent.arg == "initializer"
    if isinstance(func, ast.Name) and _cloning_class(cell, func.id):
        return True
    qualname = _callee(cell, consumer)
    if qualname is None:
        return False
    api = qualname.split(".", 1)[1] if "." in qualname else ""
    for prefix in ("compat.v1.", "compat.v2."):
        api = api.removeprefix(prefix)
    package = qualname.split(".", 1)[0]
    if package == TF and api in ONE_VARIABLE:
        return parent.arg == "initializer"
    # a layer's kernel_initializer, bias_initializer, ... each start one weight (Keras 3 clones them for sublayers)
    is_layer = (package == TF and api.startswith(("keras.layers.", "layers."))) or (
        package in ("keras", "tf_keras") and api.startswith("layers."))
    if is_layer:
        return parent.arg.endswith("_initializer")
    module, _, function = api.rpartition(".")
    is_slim = (package == "tf_slim" and module in ("", "layers")) or (package == TF and module == "contrib.layers")
    return is_slim and function in SLIM_ONE_WEIGHT and parent.arg in ("weights_initializer", "biases_initializer")


def _cloning_class(cell, name: str) -> bool:
    """A class the cell defines that clones each initializer before a weight takes it (the RNN cells the graph
    lifting writes do: a Keras 3 initializer object would repeat its values)."""
    for stmt in cell.tree.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == name:
            return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "clone"
                       for n in ast.walk(stmt))
    return False


def _callee(cell, call: ast.Call) -> str | None:
    for ref in cell.refs:
        if ref.call is call:
            return ref.qualname
    parts = dotted(call.func)
    if parts is None:
        return None
    bound = cell.bound(parts[0])
    return ".".join([bound, *parts[1:]]) if bound else None


def _is_float32(cell, node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return node.value == "float32"
    for ref in cell.refs:
        if ref.node is node:
            return ref.qualname in FLOAT32
    parts = dotted(node)
    bound = cell.bound(parts[0]) if parts else None
    return bound is not None and ".".join([bound, *parts[1:]]) in FLOAT32


def _parents(cell, call: ast.Call) -> dict[int, ast.AST]:
    """Parents of the nodes in the top-level statement around ``call`` (all a lookup here needs; a map of the
    whole cell would cost more than the rule's own work)."""
    stmt = next((s for s in cell.tree.body if s.lineno <= call.lineno <= s.end_lineno), None)
    if stmt is None:
        return {}
    key = ("TFM210.parents", id(stmt))
    if key not in cell.memo:
        cell.memo[key] = {id(child): node for node in ast.walk(stmt) for child in ast.iter_child_nodes(node)}
    return cell.memo[key]


def _edits(cell, call: ast.Call, target: Target, items, new_name: str) -> list[tuple[int, int, str]]:
    func_start, func_end = cell.source.span(call.func)
    edits = [(func_start, func_end, new_name)]
    given = {param for param, _, _, _ in items}
    added = ", ".join(f"{name}={value}" for name, value, param in target.added if param is None or param not in given)
    positional = {id(node) for node in call.args}
    kept_end = None  # end of the last argument that stays
    dropped_last = None
    for index, (param, node, start, end) in enumerate(items):
        text = cell.source.segment(node)
        if param in ("dtype", "uniform"):  # Keras takes the dtype when called; `uniform=True` is the class
            if index + 1 < len(items):
                edits.append((start, items[index + 1][2], ""))
            else:
                dropped_last = (start, end, index)
            continue
        kept_end = end
        if param == "factor":  # uniform_unit_scaling's factor scales the limit: VarianceScaling's scale, squared
            edits.append((start, end, f"scale={operand(text, node)} ** 2"))
        elif (param == "distribution" and isinstance(node, ast.Constant) and isinstance(node.value, str)
              and node.value.lower() == "normal"):
            quote = text[-1] if text[-1] in "'\"" else '"'
            value = f"{quote}truncated_normal{quote}"
            if id(node) in positional:
                edits.append((start, end, f"distribution={value}"))
            else:
                edits.append((*cell.source.span(node), value))
        elif id(node) in positional:
            edits.append((start, start, f"{param}="))
    if dropped_last is not None:
        start, end, index = dropped_last
        if index > 0:
            edits.append((items[index - 1][3], end, f", {added}" if added else ""))
        else:
            edits.append((start, end, added))
    elif added:
        if kept_end is not None:
            edits.append((kept_end, kept_end, f", {added}"))
        else:
            call_end = cell.source.span(call)[1]
            edits.append((call_end - 1, call_end - 1, added))
    return edits
