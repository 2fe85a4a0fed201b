"""``tf.metrics`` in a lifted graph: Keras metric objects (TFM340).

A TF1 streaming metric is a pair of tensors over local variables (a total and a count)::

    acc, acc_op = tf.metrics.accuracy(labels=tf.argmax(y, 1), predictions=tf.argmax(logits, 1))
    sess.run(tf.local_variables_initializer())
    for batch in batches:
        sess.run(acc_op, {x: ..., y: ...})   # adds the batch, returns the accuracy so far
    print(sess.run(acc))                     # reads the accuracy so far

The pair becomes one Keras metric made once, ``acc_op`` a function of the feeds that calls it (a Keras metric called
updates its state and returns its result, as the update op did), and ``acc`` a function that reads its result. Running
the local variables' initializer resets the metrics made before it, as it zeroed their variables.
"""

from __future__ import annotations

import ast

from . import emit
from .model import GraphName, Kind, NotLiftable
from .syntax import is_none, named_arguments

#: tf.metrics function -> (Keras metric class, its TF1 parameters, the last one the weights); TF1's extra
#: parameters (:data:`EXTRAS`) only named or collected the metric's tensors
METRICS = {
    "metrics.accuracy": ("Accuracy", ("labels", "predictions", "weights")),
    "metrics.mean_squared_error": ("MeanSquaredError", ("labels", "predictions", "weights")),
    "metrics.mean_absolute_error": ("MeanAbsoluteError", ("labels", "predictions", "weights")),
    "metrics.root_mean_squared_error": ("RootMeanSquaredError", ("labels", "predictions", "weights")),
    "metrics.mean": ("Mean", ("values", "weights")),
}
EXTRAS = ("metrics_collections", "updates_collections", "name")


class MetricLifting:
    """The Lifter's reading of ``tf.metrics`` pairs (a mixin: it uses the Lifter's state)."""

    def metric_definition(self, cell, stmt: ast.stmt) -> bool:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, ast.Call)):
            return False
        call, target = stmt.value, stmt.targets[0]
        api = cell.api.get(id(call))
        if api not in METRICS:
            return False
        if not (isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == 2
                and all(isinstance(e, ast.Name) for e in target.elts)):
            raise NotLiftable(f"`tf.{api}`'s value and update op are not unpacked into two names", cell.index, stmt)
        keras_class, params = METRICS[api]
        given = named_arguments(call, params + EXTRAS, f"tf.{api}")
        if any(not is_none(given.get(p)) for p in ("metrics_collections", "updates_collections")):
            raise NotLiftable(f"`tf.{api}` puts the metric in graph collections", cell.index, call)
        *values, weights = params
        if any(p not in given for p in values):
            raise NotLiftable(f"`tf.{api}` is called without `{', '.join(values)}`", cell.index, call)
        value, update = (e.id for e in target.elts)
        metric = self.fresh(f"{value}_metric")
        deps, texts, direct = set(), [], set()
        for name in values + ([weights] if not is_none(given.get(weights)) else []):
            node = given[name]
            node_deps, text, random, node_direct = self.written(cell, node)
            if random:
                raise NotLiftable(f"`tf.{api}` is given random values", cell.index, node)
            deps |= node_deps
            direct |= node_direct
            texts.append(f"sample_weight={text}" if name == weights else text)
        params_read = self.ordered({p for d in deps for p in self.names[d].params})
        self.bind(GraphName(update, Kind.TENSOR, cell.index, stmt, params=params_read, deps=frozenset(deps)), cell,
                  stmt)
        self.bind(GraphName(value, Kind.TENSOR, cell.index, stmt), cell, stmt)
        self.metric_objects.append((metric, cell.index, stmt.lineno))
        lines = [f"{metric} = {self.tf}.keras.metrics.{keras_class}()",
                 emit.tensor_function(update, self.signature(params_read), f"{metric}({', '.join(texts)})",
                                      self.conversions(params_read, direct), self.tf),
                 emit.tensor_function(value, "", f"{metric}.result()", [], self.tf)]
        self.plans[cell.index].replace[id(stmt)] = "\n".join(lines)
        self.note(cell, "TFM340", call, f"`tf.{api}` becomes `{metric}`, a Keras metric: `{update}` updates it and "
                                        f"returns its result, `{value}` reads it")
        stmt._lift_done = True
        return True

    def metric_resets(self, cell, call: ast.Call) -> str | None:
        """What running the local variables' initializer at ``call`` does to the metrics made before it: their
        ``reset_state()`` calls, or None when there are none."""
        here = (cell.index, call.lineno)
        made = [metric for metric, index, line in self.metric_objects if (index, line) < here]
        return "\n".join(f"{metric}.reset_state()" for metric in made) or None
