"""``tf.layers.batch_normalization`` and its ``UPDATE_OPS`` in a lifted graph (TFM240).

TF1's layer normalized a training batch with the batch's moments, but moved its averages only when the update
ops of the ``UPDATE_OPS`` collection ran, which notebooks arrange with::

    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train_op = optimizer.minimize(loss)

Keras's ``BatchNormalization`` moves them at every call in training mode. That is not the same when the notebook
evaluates a training-mode tensor outside a train step, when a GAN's two steps each run one network's updates, or
when the notebook forgot the idiom (its averages never moved). And TF1 normalized 4-D and 5-D inputs over their
channels with a fused kernel, which averaged the batch variance with Bessel's correction (Keras's inference outputs
drift ~1e-4 away within a few steps) and rounds otherwise than separate ops (a GAN's training amplifies the last bit
into different losses within ~10 steps). So the notebook gets two small classes:

- ``TF1BatchNormalization``, TF1's layer with TF1's kernels, numbers and variable names, whose averages move only
  while an ``UpdateOps`` that holds it is entered;
- ``UpdateOps``, the collection: a list of layers that a train step made under
  ``tf.control_dependencies(update_ops)`` enters around its forward pass (``with update_ops, tf.GradientTape()``).

Checked value for value against TF1 in a graph (tests/lift/programs.py: ``batch-norm-*``).
"""

from __future__ import annotations

import ast
import re

from .model import GraphName, Kind, NotLiftable
from .syntax import named_arguments

#: the notebook's classes, in definition order
CLASSES = ("UpdateOps", "TF1BatchNormalization")
#: TF1's parameters after ``inputs`` that ``TF1BatchNormalization`` takes in the same order
POSITIONAL = ("axis", "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
              "moving_mean_initializer", "moving_variance_initializer")
#: the keywords it takes besides; ``training`` is given to the call
KEYWORDS = frozenset({*POSITIONAL, "fused", "name", "training"})
#: the variables it makes, with TF1's names
VARIABLES = ("gamma", "beta", "moving_mean", "moving_variance")

DEFINITIONS = '''class UpdateOps(list):
    """TF1's `UPDATE_OPS` collection: batch normalization layers. A train step made under
    `tf.control_dependencies(update_ops)` enters the list around its forward pass, and only then do the layers in it
    move their averages, as TF1 ran their update ops with the step and nowhere else."""

    entered = []

    def __enter__(self):
        UpdateOps.entered.append(self)
        return self

    def __exit__(self, *error):
        UpdateOps.entered.pop()

    @staticmethod
    def updating(layer):
        return any(member is layer for entered in UpdateOps.entered for member in entered)


class TF1BatchNormalization({tf}.keras.layers.Layer):
    """TF1's `tf.layers.batch_normalization`: its variables, defaults and numbers. Keras's layer would move its
    averages at every training call, and compute 4-D inputs otherwise than TF1's fused kernel."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 fused=None, **kwargs):
        super().__init__(**kwargs)
        self.axis, self.momentum, self.epsilon, self.fused = axis, momentum, epsilon, fused
        self.center, self.scale = center, scale
        self.initializers = (gamma_initializer, beta_initializer, moving_mean_initializer,
                             moving_variance_initializer)

    def build(self, input_shape):
        size = (input_shape[self.axis],)
        gamma, beta, mean, variance = self.initializers
        self.gamma = self.add_weight(name="gamma", shape=size, initializer=gamma) if self.scale else None
        self.beta = self.add_weight(name="beta", shape=size, initializer=beta) if self.center else None
        self.moving_mean = self.add_weight(name="moving_mean", shape=size, initializer=mean, trainable=False)
        self.moving_variance = self.add_weight(name="moving_variance", shape=size, initializer=variance,
                                               trainable=False)

    def call(self, inputs, training=False):
        rank = len(inputs.shape)
        axis = self.axis % rank
        if self.fused is not False and rank in (4, 5) and axis in (1, rank - 1):
            return self.fused_call(inputs, training, ("NHWC", "NDHWC")[rank - 4] if axis > 1 else
                                   ("NCHW", "NCDHW")[rank - 4])
        axes = [i for i in range(rank) if i != axis]
        if training:
            mean, variance = {tf}.nn.moments(inputs, axes)
            self.move_averages(mean, variance)
        else:
            mean, variance = self.moving_mean, self.moving_variance
        shape = [1] * rank
        shape[axis] = -1

        def along_axis(value):
            return None if value is None else {tf}.reshape(value, shape)

        return {tf}.nn.batch_normalization(inputs, along_axis(mean), along_axis(variance), along_axis(self.beta),
                                          along_axis(self.gamma), self.epsilon)

    def fused_call(self, inputs, training, data_format):
        """TF1's fused kernel, which normalized 4-D and 5-D inputs over their channels: the same rounding, and the
        batch variance it returns for the averages has Bessel's correction."""
        size = self.moving_mean.shape
        gamma = self.gamma if self.scale else {tf}.ones(size)
        beta = self.beta if self.center else {tf}.zeros(size)
        if training:
            empty = {tf}.constant([], dtype=inputs.dtype)
            outputs, mean, variance = {tf}.raw_ops.FusedBatchNormV3(
                x=inputs, scale=gamma, offset=beta, mean=empty, variance=empty, epsilon=self.epsilon,
                data_format=data_format, is_training=True)[:3]
            self.move_averages(mean, variance)
            return outputs
        return {tf}.raw_ops.FusedBatchNormV3(
            x=inputs, scale=gamma, offset=beta, mean=self.moving_mean, variance=self.moving_variance,
            epsilon=self.epsilon, data_format=data_format, is_training=False)[0]

    def move_averages(self, mean, variance):
        if UpdateOps.updating(self):
            # TF1's update: average -= (average - value) * (1 - momentum)
            self.moving_mean.assign_sub((self.moving_mean - mean) * (1 - self.momentum))
            self.moving_variance.assign_sub((self.moving_variance - variance) * (1 - self.momentum))'''


def collection_key(node: ast.expr | None) -> str | None:
    """``"update_ops"`` for ``tf.GraphKeys.UPDATE_OPS`` (or the string itself), and so on; None for anything else."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) and node.value.attr == "GraphKeys":
        return node.attr.lower()
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def matches(scope: str | None, prefix: str) -> bool:
    """Whether ``get_collection(..., scope=scope)`` finds what TF1 named under ``prefix``: TF1 matched the scope as
    a regular expression at the start of each name."""
    return scope is None or re.match(scope, prefix + "/") is not None


class BatchNormLifting:
    """The Lifter's reading of batch normalization's collections (a mixin: it uses the Lifter's state)."""

    def batch_norm_definitions(self, cell, node: ast.AST) -> list[str]:
        """The two classes, as lines to write before their first use (``node``); none after the first time."""
        if "TF1BatchNormalization" in self.defined_classes:
            return []
        self.defined_classes.add("TF1BatchNormalization")
        self.claim(cell, node, CLASSES, "batch normalization")
        return [DEFINITIONS.replace("{tf}", self.tf)]

    def collection(self, cell, call: ast.expr) -> tuple[str, str | None] | None:
        """(key, scope) of a ``tf.get_collection(key, scope)`` call whose scope is a literal or absent, else None."""
        if not (isinstance(call, ast.Call) and cell.api.get(id(call)) == "get_collection"):
            return None
        given = named_arguments(call, ("key", "scope"), "tf.get_collection")
        scope = given.get("scope")
        if scope is not None and not (isinstance(scope, ast.Constant) and isinstance(scope.value, (str, type(None)))):
            raise NotLiftable("`tf.get_collection` is given a scope that is not a literal", cell.index, call)
        return collection_key(given.get("key")), scope.value if scope is not None else None

    def update_ops_lines(self, cell, call: ast.Call, name: str, scope: str | None) -> list[str]:
        """``name = UpdateOps([...])`` of the batch normalization layers made so far whose ops ``scope`` finds, after
        the classes the first time."""
        if scope is not None and any(prefix is None for _, prefix in self.batch_norm_layers):
            raise NotLiftable("`tf.get_collection` looks for update ops by scope, and a batch normalization layer "
                              "has no name the lifting knows", cell.index, call)
        found = [layer for layer, prefix in self.batch_norm_layers if matches(scope, prefix or "")]
        return [*self.batch_norm_definitions(cell, call), f"{name} = UpdateOps([{', '.join(found)}])"]

    def collection_definition(self, cell, stmt: ast.stmt) -> bool:
        """``update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)`` becomes the list of the layers whose update
        ops it holds. ``gen_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="Generator")``, the
        variables of a model function's instance, is read where a train step lists its variables (Keras makes a
        layer's variables at its first call, so a list made here would be empty)."""
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            return False
        found = self.collection(cell, stmt.value)
        if found is None or found[0] not in ("update_ops", "trainable_variables"):
            return False
        (key, scope), name = found, stmt.targets[0].id
        plan = self.plans[cell.index]
        if key == "update_ops":
            lines = self.update_ops_lines(cell, stmt.value, name, scope)
            self.bind(GraphName(name, Kind.UPDATE_OPS, cell.index, stmt), cell, stmt)
            plan.replace[id(stmt)] = "\n".join(lines)
            self.note(cell, "TFM240", stmt, f"`{name}` lists the batch normalization layers whose averages a train "
                                            "step made under its control dependencies moves")
        else:
            instances = [instance for known, (instance, _) in self.module_instances.items() if matches(scope, known)]
            # Variables made outside the instance whose TF1 names the scope finds too.
            others = [n for n, text in self.variable_names.items() if matches(scope, n)
                      and not (instances and (text or "").startswith(instances[0] + "."))]
            if scope is None or len(instances) != 1 or others:
                raise NotLiftable("`tf.get_collection` of trainable variables does not name one model function's "
                                  "scope", cell.index, stmt.value)
            self.bind(GraphName(name, Kind.SCOPE_VARIABLES, cell.index, stmt,
                                variables=(f"*{instances[0]}.trainable_variables",)), cell, stmt)
            plan.delete.add(id(stmt))
            self.note(cell, "TFM240", stmt, f"`{name}` is read as `{instances[0]}.trainable_variables` where a train "
                                            "step lists its variables")
        stmt._lift_done = True
        return True

    def control_block(self, cell, stmt: ast.With) -> bool:
        """``with tf.control_dependencies(update_ops):`` around ``minimize`` calls: the block unwraps, and each
        train step enters ``update_ops`` around its forward pass."""
        if len(stmt.items) != 1 or stmt.items[0].optional_vars is not None:
            return False
        call = stmt.items[0].context_expr
        if not (isinstance(call, ast.Call) and cell.api.get(id(call)) == "control_dependencies"
                and len(call.args) == 1 and not call.keywords):
            return False
        inputs = call.args[0]
        if not all(isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
                   and isinstance(s.value, ast.Call) and isinstance(s.value.func, ast.Attribute)
                   and s.value.func.attr == "minimize" for s in stmt.body):
            return False
        lines = []
        if isinstance(inputs, ast.Name) and self.kind(inputs.id) is Kind.UPDATE_OPS:
            update_ops = inputs.id
        else:
            found = self.collection(cell, inputs)
            if found is None or found[0] != "update_ops":
                return False
            update_ops = self.fresh("update_ops")
            lines = self.update_ops_lines(cell, inputs, update_ops, found[1])
        plan = self.plans[cell.index]
        plan.unwrap.add(id(stmt))
        self.update_ops_entered = update_ops
        try:
            for child in stmt.body:
                self.define(cell, child)
        finally:
            self.update_ops_entered = None
        if lines:
            first = stmt.body[0]
            plan.replace[id(first)] = "\n".join([*lines, plan.replace.get(id(first), cell.segment(first))])
        self.note(cell, "TFM240", call, f"the train steps in the block move the averages of `{update_ops}`'s layers")
        stmt._lift_done = True
        return True
