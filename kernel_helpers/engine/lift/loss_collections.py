"""``tf.losses``' collections and slim's train op in a lifted graph (TFM321).

TF1's loss functions added their loss to the ``LOSSES`` collection, and layers made with a regularizer added the
penalty to ``REGULARIZATION_LOSSES``; slim's examples sum both::

    data_loss = tf.losses.softmax_cross_entropy(onehot_labels, logits)
    regularization_loss = tf.losses.get_regularization_loss()
    total_loss = tf.losses.get_total_loss()
    train_op = slim.learning.create_train_op(total_loss, optimizer)

Each getter becomes a function of what the collection held where it was called, in TF1's order: the losses defined
before it (by name), and the ``losses`` of the Keras layers made with a regularizer (a model function's layer
lists its layers'), which Keras computes from the weights at each call. ``create_train_op`` becomes a train step
like ``minimize``'s, over the trainable variables the loss reads, whose run returns the loss as TF1's did; it also
increments the notebook's global step and runs the update ops of batch normalization, as TF1's defaults did.
"""

from __future__ import annotations

import ast

from . import emit
from .model import NotLiftable
from .syntax import is_none, named_arguments

GETTERS = {"losses.get_total_loss": ("add_regularization_losses", "name", "scope"),
           "losses.get_regularization_loss": ("scope", "name")}
CREATE_TRAIN_OP = {"contrib.slim.learning.create_train_op", "contrib.training.create_train_op"}
#: create_train_op's parameters after the loss and the optimizer, and those the lifting carries over
TRAIN_OP_PARAMETERS = ("total_loss", "optimizer", "global_step", "update_ops", "variables_to_train",
                       "clip_gradient_norm", "summarize_gradients", "gate_gradients", "aggregation_method",
                       "colocate_gradients_with_ops", "gradient_multipliers", "check_numerics")
TRAIN_OP_CARRIED = {"total_loss", "optimizer", "variables_to_train", "check_numerics"}


def is_loss_function(api: str | None) -> bool:
    """A ``tf.losses`` function that computes a loss (and puts it in the collection)."""
    return api is not None and api.startswith("losses.") and api not in GETTERS \
        and not api.startswith(("losses.get_", "losses.add_", "losses.Reduction"))


class LossCollectionLifting:
    """The Lifter's reading of loss collections (a mixin: it uses the Lifter's state)."""

    def record_loss(self, cell, name: str, call: ast.Call) -> None:
        """A named ``tf.losses`` loss, in the collection unless it was given ``loss_collection=None``."""
        collection = next((k.value for k in call.keywords if k.arg == "loss_collection"), None)
        if collection is None:
            self.collected_losses.append(self.names[name].name)
            self.collected_calls.add(id(call))
        elif not is_none(collection):
            raise NotLiftable("the loss is put in a collection of its own", cell.index, call)

    def collection_sum(self, cell, call: ast.Call, inline_feeds: dict | None) -> tuple[str, set[str]]:
        """What ``tf.losses.get_total_loss()`` or ``get_regularization_loss()`` becomes where it is called (inside a
        tensor's expression, or a run's fetch with ``inline_feeds``): the ``tf.add_n`` of what its collection held
        there, and the graph names that reads."""
        api = cell.api[id(call)]
        given = named_arguments(call, GETTERS[api], f"tf.{api}")
        if not is_none(given.get("scope")) or given.get("add_regularization_losses") is not None:
            raise NotLiftable(f"`tf.{api}` is given a scope or leaves the regularization out", cell.index, call)
        self.check_losses_named(cell, call)
        losses = self.collected_losses if api == "losses.get_total_loss" else []
        terms = [emit.call(self.names[loss], None if inline_feeds is None else
                           self.arguments(cell, self.names[loss], inline_feeds, call)) for loss in losses]
        terms += [f"*{owner}.losses" for owner in self.regularized]
        if not terms:
            if api == "losses.get_total_loss":
                raise NotLiftable("`tf.losses.get_total_loss` finds no losses (TF1 raised an error)", cell.index, call)
            terms = [f"{self.tf}.constant(0.0)"]  # TF1's value for an empty collection
        text = f"{self.tf}.add_n([{', '.join(terms)}])"
        self.note(cell, "TFM321", call, f"`tf.{api}` becomes `{text}`, the sum of what its collection held here")
        return text, {*losses, *self.regularized}

    def check_losses_named(self, cell, node: ast.AST) -> None:
        """Every ``tf.losses`` loss before ``node`` must be a named one, so that the collection can be spelled."""
        here = (cell.index, node.lineno)
        for other in self.cells:
            if other.tree is None or other.index > cell.index:
                continue
            for node in ast.walk(other.tree):
                if isinstance(node, ast.Call) and is_loss_function(other.api.get(id(node))) \
                        and id(node) not in self.collected_calls and (other.index, node.lineno) < here \
                        and not any(k.arg == "loss_collection" and is_none(k.value) for k in node.keywords):
                    raise NotLiftable("a `tf.losses` loss is computed inside an expression, so the collection "
                                      "that sums it cannot be spelled", other.index, node)

    def create_train_op(self, cell, stmt: ast.stmt) -> bool:
        """``train_op = slim.learning.create_train_op(total_loss, optimizer)``: ``optimizer.minimize(total_loss)``
        with TF1's defaults, whose run returns the loss."""
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Call) and cell.api.get(id(stmt.value)) in CREATE_TRAIN_OP):
            return False
        call = stmt.value
        given = named_arguments(call, TRAIN_OP_PARAMETERS, "create_train_op")
        extra = [k for k, v in given.items() if k not in TRAIN_OP_CARRIED and not is_none(v)]
        if extra or "optimizer" not in given or "total_loss" not in given:
            raise NotLiftable(f"`create_train_op` is given `{(extra or ['its loss and optimizer'])[0]}`, which the "
                              "lifting does not carry over", cell.index, call)
        keywords = [ast.keyword(arg="loss", value=given["total_loss"])]
        if not is_none(given.get("variables_to_train")):
            keywords.append(ast.keyword(arg="var_list", value=given["variables_to_train"]))
        if self.global_step_variable is not None:  # TF1 incremented the graph's global step by default
            step = ast.copy_location(ast.Name(id=self.global_step_variable, ctx=ast.Load()), call)
            keywords.append(ast.keyword(arg="global_step", value=step))
        minimize = ast.copy_location(ast.Call(
            func=ast.copy_location(ast.Attribute(value=given["optimizer"], attr="minimize", ctx=ast.Load()), call),
            args=[], keywords=keywords), call)
        entered, lines = self.update_ops_entered, []
        if self.batch_norm_layers:  # TF1 ran the UPDATE_OPS collection with the step by default
            self.update_ops_entered = self.fresh("update_ops")
            lines = self.update_ops_lines(cell, call, self.update_ops_entered, None)
        try:
            self.train_op(cell, stmt.targets[0].id, minimize, stmt, returns_loss=True)
        finally:
            self.update_ops_entered = entered
        if lines:
            plan = self.plans[cell.index]
            plan.replace[id(stmt)] = "\n".join([*lines, plan.replace[id(stmt)]])
        stmt._lift_done = True
        return True
