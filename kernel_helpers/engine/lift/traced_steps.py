"""Train steps run as ``tf.function``s, traced once with the placeholders' specs.

TF1 built the training graph once and ran it at every ``sess.run``. An eager step runs its ops one by one from
Python at every call, which costs a small model several times its arithmetic (the benchmarks' 784-128-10 MLP step:
14 ms eager, 1.45 ms traced, 0.97 ms for TF1's ``session.run`` on this project's CPU). The migration guide's train
step is a ``tf.function``, so the lifted step is one too.

``input_signature`` gives it the placeholders' dtypes and shapes (``None`` where TF1 knew none): a batch of
another size, or a Python number fed where the placeholder was (a learning rate, ``keep_prob``), is a tensor of
that spec and does not retrace, as the TF1 graph was not rebuilt.

A step fed only iterator elements has no spec in the source; they are tensors, so it is traced with
``reduce_retracing`` instead (the last, smaller batch retraces it once). A step stays eager when one of its inputs
is a flag (a bool or a placeholder with a default: the lifted code passes it as the Python value Keras layers and
the body branch on, which a symbolic tensor cannot be) or has no known spec (an iterator's element next to
placeholders, a placeholder without a dtype the source spells), and in a notebook whose RNNs
the lifting runs with its ``dynamic_rnn`` helper: that cuts the batch at its longest sequence, which leaves the
Keras RNN a time dimension a trace does not know, and switches dropout off in Python for runs of the state alone.
"""

from __future__ import annotations

from .emit import INDENT

LINE = 100  # longer decorators get a spec per line


class TracedSteps:
    """The Lifter's specs of placeholders and its train steps' ``tf.function`` (a mixin: it uses the Lifter's
    state)."""

    def placeholder_specs(self, params: tuple[str, ...]) -> list[str] | None:
        """``tf.TensorSpec(shape, dtype)`` of each placeholder in ``params``, or None when one is a flag or is fed
        from an iterator (see the module's docstring)."""
        specs = []
        for param in params:
            graph = self.names[param]
            if param in self.defaults or graph.iterator is not None or graph.dtype is None \
                    or graph.dtype.strip("'\"").endswith("bool"):
                return None
            specs.append(f"{self.tf}.TensorSpec({self.placeholder_shapes.get(param, 'None')}, {graph.dtype})")
        return specs

    def step_decorator(self, params: tuple[str, ...]) -> list[str]:
        """The line that makes a train step of ``params`` a ``tf.function``; none when it stays eager."""
        if "dynamic_rnn" in self.defined_classes:
            return []
        if params and all(self.names[p].iterator is not None and p not in self.defaults for p in params):
            # Iterator elements are tensors, never Python numbers: only a batch of another shape (the last, smaller
            # one) retraces, once, and `reduce_retracing` then generalizes the shapes.
            return [f"@{self.tf}.function(reduce_retracing=True)"]
        specs = self.placeholder_specs(params)
        if specs is None:
            return []
        line = f"@{self.tf}.function(input_signature=[{', '.join(specs)}])"
        if len(line) <= LINE:
            return [line]
        return [f"@{self.tf}.function(input_signature=[", *(f"{INDENT}{spec}," for spec in specs), "])"]
