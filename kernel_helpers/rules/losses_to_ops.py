"""TFM320 losses-to-ops."""

from __future__ import annotations

import ast

from kernel_helpers.engine.context import TF
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import qualified

#: TF1 parameters of the losses rewritten here, in order (tensorflow/python/ops/losses/losses_impl.py)
SIGNATURES = {
    "softmax_cross_entropy": ("onehot_labels", "logits", "weights", "label_smoothing", "scope", "loss_collection",
                              "reduction"),
    "sparse_softmax_cross_entropy": ("labels", "logits", "weights", "scope", "loss_collection", "reduction"),
    "sigmoid_cross_entropy": ("multi_class_labels", "logits", "weights", "label_smoothing", "scope",
                              "loss_collection", "reduction"),
    "mean_squared_error": ("labels", "predictions", "weights", "scope", "loss_collection", "reduction"),
    "absolute_difference": ("labels", "predictions", "weights", "scope", "loss_collection", "reduction"),
    "hinge_loss": ("labels", "logits", "weights", "scope", "loss_collection", "reduction"),
}

#: arguments that change nothing in TF 2: `scope` only names graph ops, `loss_collection` is ignored eagerly
DROPPED = {"scope", "loss_collection"}
#: arguments whose literal default may be spelled out
DEFAULTS = {"weights": 1, "label_smoothing": 0}

#: losses with no short plain-op form, and what to write instead
UNSUPPORTED = {
    "huber_loss": "with both cast to float32, e = tf.abs(predictions - labels) and q = tf.minimum(e, delta), "
                  "it is tf.reduce_mean(0.5 * q * q + delta * (e - q))",
    "log_loss": "with both cast to float32 it is tf.reduce_mean(-labels * tf.math.log(predictions + epsilon) "
                "- (1 - labels) * tf.math.log(1 - predictions + epsilon))",
    "cosine_distance": "with both cast to float32 it is "
                       "tf.reduce_mean(1 - tf.reduce_sum(labels * predictions, axis=axis))",
    "mean_pairwise_squared_error": "it has no TF 2 op; keep `tf.compat.v1.losses.mean_pairwise_squared_error`",
    "compute_weighted_loss": "without weights it is tf.reduce_mean(losses) (TF1 averaged in float32); with "
                             "weights, divide the sum of losses * weights by the number of non-zero weights",
}

#: functions of the loss collections, which TF 2 does not have
COLLECTIONS = {
    "get_total_loss": "sum the losses you computed and the Keras regularization losses (`model.losses`)",
    "get_losses": "keep the loss values in a Python list and sum them",
    "get_regularization_loss": "sum the Keras regularization losses: `tf.add_n(model.losses)`",
    "get_regularization_losses": "use the Keras regularization losses: `model.losses`",
    "add_loss": "keep the loss value and add it to the total loss yourself (or `self.add_loss` in a Keras layer)",
}
#: references that read the loss collection: rewriting a loss in such a cell would drop it from the total
READERS = {"losses.get_total_loss", "losses.get_losses", "GraphKeys.LOSSES"}


@register
class LossesToOps(Rule):
    """`tf.losses.*`: the same loss written with TF 2 ops.

    ## What it does
    At level `tf2`, rewrites calls of `tf.losses.softmax_cross_entropy`, `sparse_softmax_cross_entropy`,
    `sigmoid_cross_entropy`, `mean_squared_error`, `absolute_difference` and `hinge_loss` (also spelled
    `tf.compat.v1.losses`) that pass only the labels and the logits or predictions, by keyword or by position,
    into the per-element loss reduced with `tf.reduce_mean`: TF1's default `SUM_BY_NONZERO_WEIGHTS` reduction
    with the default weights of 1 is the mean over all elements. `scope=` and `loss_collection=` are dropped
    (TF 2 runs eagerly, where TF1 itself ignored the collection, and a scope only named graph ops), and so are
    `weights=1.0` and `label_smoothing=0` spelled out.

    Reports, without a fix: the other arguments (`weights`, `label_smoothing`, `reduction`, `delta`, ...),
    which change the formula; the other losses (`huber_loss`, `log_loss`, ...), whose plain-op form the message
    gives; calls whose value is unused or in a cell that reads the loss collection, since TF1 reached the loss
    only through that collection; and the collection functions (`get_total_loss`, `get_losses`,
    `get_regularization_loss(es)`, `add_loss`), which have no eager meaning.

    ## Why
    TF 2 has no `tf.losses` of this kind: `tf.keras.losses` take `(y_true, y_pred)`, average over the last
    axis and reduce differently. Plain ops say exactly what TF1 computed.

    ## Example
    ```python
    import tensorflow as tf
    loss = tf.losses.softmax_cross_entropy(onehot_labels=y, logits=z)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=tf.stop_gradient(y), logits=z))
    ```

    ## Fix safety
    Safe: the rewritten expression computes TF1's value with TF1's gradients (the tests compare both on random
    inputs). The regression losses cast both inputs to float32 as TF1 did, so their results are bit for bit
    TF1's; so are the cross-entropies of float32 logits, with TF1's `stop_gradient` on the softmax labels and
    TF1's cast of the sigmoid labels to the logits' dtype (spelled `tf.float32` when the logits are an
    expression rather than a name, so float64 logits then raise a dtype error). Cross-entropies of float64 or
    float16 logits are now averaged in that dtype, where TF1 summed in float32 (a float32 rounding apart). An
    empty batch gives NaN where TF1 gave 0, and sparse labels of shape `[batch, 1]`, which TF1 squeezed, raise a
    shape error. The fix assumes eager TF 2: graph code that reads the loss collection in another cell no longer
    finds the rewritten loss there (this rule reports those readers).
    """

    code = "TFM320"
    name = "losses-to-ops"
    level = "tf2"
    priority = 25

    def check(self, cell):
        refs = [r for r in cell.refs if r.namespace in ("v1", "compat.v1") and r.api.startswith("losses.")]
        if not refs:
            return
        reads_collection = any(r.namespace in ("v1", "compat.v1") and r.api in READERS for r in cell.refs)
        unused = {id(node.value) for node in ast.walk(cell.tree) if isinstance(node, ast.Expr)}
        for ref in refs:
            member = ref.api[len("losses."):]
            node = ref.call if ref.call is not None and ref.call.func is ref.node else None
            start, end = cell.source.span(node) if node is not None else (ref.start, ref.end)
            if member in COLLECTIONS:
                yield self.finding(cell, start, end, f"`tf.losses.{member}` reads or fills TF1's loss collections, "
                                   f"which TF 2 does not have: {COLLECTIONS[member]}", Applicability.MANUAL)
                continue
            if node is None:
                continue
            if member in UNSUPPORTED:
                yield self.finding(cell, start, end, f"TF 2 has no `tf.losses.{member}`: {UNSUPPORTED[member]}",
                                   Applicability.MANUAL)
                continue
            if member not in SIGNATURES:
                continue
            if id(node) in unused:
                yield self.finding(cell, start, end, f"the value of `tf.losses.{member}` is unused: TF1 added it to "
                                   "the loss collection, which TF 2 does not have; keep the value and add it to "
                                   "the total loss", Applicability.MANUAL)
                continue
            if reads_collection:
                yield self.finding(cell, start, end, f"this cell reads the loss collection, which would lose "
                                   f"`tf.losses.{member}` once rewritten; sum the losses explicitly first",
                                   Applicability.MANUAL)
                continue
            arguments, problem = _arguments(node, SIGNATURES[member])
            if problem:
                yield self.finding(cell, start, end, f"`tf.losses.{member}`: {problem}; or keep "
                                   f"`tf.compat.v1.losses.{member}`", Applicability.MANUAL)
                continue
            root, imports = qualified(cell, TF)
            text = _rewrite(member, root, cell, *(arguments[p] for p in SIGNATURES[member][:2]))
            yield self.finding(cell, start, end, f"TF 2 has no `tf.losses.{member}`: the same mean, with TF 2 ops",
                               edits=[(start, end, text)], imports=imports)


def _arguments(call: ast.Call, parameters: tuple[str, ...]) -> tuple[dict[str, ast.expr], str]:
    """The call's arguments by parameter name, or a reason the call cannot be rewritten."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return {}, "`*args`/`**kwargs` hide which arguments are passed"
    if len(call.args) > len(parameters):
        return {}, "too many positional arguments"
    arguments = dict(zip(parameters, call.args))
    for keyword in call.keywords:
        arguments[keyword.arg] = keyword.value
    for name, value in arguments.items():
        if name not in parameters:
            return {}, f"unknown argument `{name}`"
        if name in parameters[:2] or name in DROPPED or (name in DEFAULTS and _is_number(value, DEFAULTS[name])):
            continue
        if name == "weights":
            return {}, ("`weights` scale each element's loss and TF1 divided the weighted sum by the number of "
                        "non-zero weights: write that out from the per-element loss")
        if name == "label_smoothing":
            return {}, ("`label_smoothing` moves the labels towards uniform: smooth them by hand (softmax: "
                        "labels * (1 - s) + s / num_classes; sigmoid: labels * (1 - s) + 0.5 * s)")
        return {}, ("`reduction` changes how the per-element loss is reduced (NONE: not at all, SUM: "
                    "`tf.reduce_sum`): write it out")
    missing = [p for p in parameters[:2] if p not in arguments]
    if missing:
        return {}, f"`{missing[0]}` is not passed"
    return arguments, ""


def _is_number(node: ast.expr, value: int) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) in (int, float) and node.value == value


def _is_plain_name(node: ast.expr) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name)


def _stops_gradient(node: ast.expr, cell) -> bool:
    return isinstance(node, ast.Call) and any(r.node is node.func and r.api == "stop_gradient" for r in cell.refs)


def _rewrite(member: str, tf: str, cell, labels_node: ast.expr, second_node: ast.expr) -> str:
    """The plain-op text of ``member`` applied to the labels and the logits or predictions."""
    first, second = cell.source.segment(labels_node), cell.source.segment(second_node)

    def f32(text: str) -> str:
        return f"{tf}.cast({text}, {tf}.float32)"

    if member == "softmax_cross_entropy":
        # TF1 stopped the gradient into the labels; TF 2's function casts them to the logits' dtype itself
        labels = first if _stops_gradient(labels_node, cell) else f"{tf}.stop_gradient({first})"
        return (f"{tf}.reduce_mean({tf}.nn.softmax_cross_entropy_with_logits(labels={labels}, "
                f"logits={second}))")
    if member == "sparse_softmax_cross_entropy":
        return f"{tf}.reduce_mean({tf}.nn.sparse_softmax_cross_entropy_with_logits(labels={first}, logits={second}))"
    if member == "sigmoid_cross_entropy":
        dtype = f"{second}.dtype" if _is_plain_name(second_node) else f"{tf}.float32"
        return (f"{tf}.reduce_mean({tf}.nn.sigmoid_cross_entropy_with_logits(labels={tf}.cast({first}, {dtype}), "
                f"logits={second}))")
    if member == "mean_squared_error":
        return f"{tf}.reduce_mean({tf}.math.squared_difference({f32(second)}, {f32(first)}))"
    if member == "absolute_difference":
        return f"{tf}.reduce_mean({tf}.abs({f32(second)} - {f32(first)}))"
    if member == "hinge_loss":
        # TF1 mapped {0, 1} labels to {-1, 1}, then took relu(1 - labels * logits)
        return f"{tf}.reduce_mean({tf}.nn.relu(1.0 - (2.0 * {f32(first)} - 1.0) * {f32(second)}))"
    raise KeyError(member)
