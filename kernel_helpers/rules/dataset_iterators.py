"""TFM014 dataset-iterators."""

from __future__ import annotations

from kernel_helpers.engine.calls import operand
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import qualified

METHODS = {
    "make_one_shot_iterator": "tensorflow.compat.v1.data.make_one_shot_iterator",
    "make_initializable_iterator": "tensorflow.compat.v1.data.make_initializable_iterator",
}
PROPERTIES = {
    "output_types": "tensorflow.compat.v1.data.get_output_types",
    "output_shapes": "tensorflow.compat.v1.data.get_output_shapes",
    "output_classes": "tensorflow.compat.v1.data.get_output_classes",
}


@register
class DatasetIterators(Rule):
    """Dataset methods and properties that TF 2 datasets no longer have.

    ## What it does
    Rewrites `ds.make_one_shot_iterator()` and `ds.make_initializable_iterator()` to the
    `tf.compat.v1.data` functions, and `ds.output_types` / `output_shapes` / `output_classes` to
    `tf.compat.v1.data.get_output_*`. At level `tf2`, TFM4xx rules go further, to Python iteration.

    ## Why
    TF 2 datasets are Python iterables; the TF1 iterator methods were removed from them.

    ## Example
    ```python
    import tensorflow as tf
    batch = dataset.make_one_shot_iterator().get_next()
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    batch = tf.compat.v1.data.make_one_shot_iterator(dataset).get_next()
    ```

    ## Fix safety
    Safe: the functions are what the TF1 methods called.
    """

    code = "TFM014"
    name = "dataset-iterators"
    priority = 30

    def check(self, cell):
        for method, target in METHODS.items():
            for call in cell.method_calls.get(method, ()):
                if call.args or call.keywords:
                    continue  # shared_name= and friends: leave the call to a person
                receiver = call.func.value
                function, imports = qualified(cell, target)
                text = f"{function}({operand(cell.source.segment(receiver), receiver)})"
                start, end = cell.source.span(call)
                yield self.finding(cell, start, end, f"`Dataset.{method}()` is `{target.replace('tensorflow', 'tf', 1)}(dataset)`",
                                   edits=[(start, end, text)], imports=imports)
        for prop, target in PROPERTIES.items():
            for node in cell.attributes.get(prop, ()):
                function, imports = qualified(cell, target)
                start, end = cell.source.span(node)
                text = f"{function}({cell.source.segment(node.value)})"
                yield self.finding(cell, start, end, f"`Dataset.{prop}` is `{target.replace('tensorflow', 'tf', 1)}(dataset)`",
                                   edits=[(start, end, text)], imports=imports)
