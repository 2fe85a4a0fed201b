"""TFM505 event-file-reader."""

from __future__ import annotations

import ast

from kernel_helpers.engine.calls import tf1_calls
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import qualified

#: TensorBoard's copy of the Event protocol buffer (the tensorboard package comes with TensorFlow)
_EVENT_IMPORT = "from tensorboard.compat.proto import event_pb2"
_NAME = "summary_iterator"


@register
class EventFileReader(Rule):
    """`tf.train.summary_iterator`: a small reader of the notebook's own that also reads TF 2's event files.

    ## What it does
    Defines `summary_iterator(path)` before the statement that reads events and calls it instead. It reads the
    file's records with `tf.data.TFRecordDataset` and parses each with TensorBoard's copy of the `Event` message,
    as TF1's reader did; scalars that TF 2 wrote as tensors get back the `simple_value` TF1 readers look for.

    ## Why
    TF 2 has the reader only as `tf.compat.v1.train.summary_iterator`, and its v2 summaries store a scalar as a
    tensor, so a loop reading `value.simple_value` would see 0.0 for every value the migrated notebook logs.

    ## Example
    ```python
    import tensorflow as tf
    losses = [v.simple_value for e in tf.train.summary_iterator(path) for v in e.summary.value]
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    from tensorboard.compat.proto import event_pb2
    def summary_iterator(path):
        # TF1's tf.train.summary_iterator; TF 2 writes scalars as tensors, which get back their simple_value
        for record in tf.data.TFRecordDataset(path):
            event = event_pb2.Event.FromString(record.numpy())
            for value in event.summary.value:
                if value.HasField("tensor") and value.metadata.plugin_data.plugin_name == "scalars":
                    value.simple_value = tf.make_ndarray(value.tensor).item()
            yield event
    losses = [v.simple_value for e in summary_iterator(path) for v in e.summary.value]
    ```

    ## Fix safety
    Safe: the same events, in file order, from files TF1 or TF 2 wrote. Histograms and images that TF 2 wrote
    stay tensors (`value.histo` is empty for them). Where the cell already uses the name `summary_iterator`, or
    the reading statement is not the first on its line, nothing is rewritten. Level tf2 only: the reader
    iterates a dataset eagerly, which TF1's graph runtime cannot.
    """

    code = "TFM505"
    name = "event-file-reader"
    level = "tf2"
    priority = 20
    doc = "https://www.tensorflow.org/api_docs/python/tf/compat/v1/train/summary_iterator"

    def check(self, cell):
        calls = [c for c in tf1_calls(cell, compat=True) if c.api == "train.summary_iterator"]
        if not calls or _NAME in cell.context.bindings or any(
                isinstance(n, ast.Name) and n.id == _NAME for n in ast.walk(cell.tree)):
            return
        first = _top_level_statement(cell.tree, calls[0].node)
        lines = cell.source.line_starts
        if first is None or cell.source.span(first)[0] != lines[first.lineno - 1]:
            return
        dataset, imports = qualified(cell, "tensorflow.data.TFRecordDataset")
        to_array, _ = qualified(cell, "tensorflow.make_ndarray")
        helper = _HELPER.format(name=_NAME, dataset=dataset, to_array=to_array)
        at = lines[first.lineno - 1]
        for number, call in enumerate(calls):
            start, end = cell.source.span(call.node.func)
            edits = [(start, end, _NAME)] + ([(at, at, helper)] if number == 0 else [])
            yield self.finding(cell, start, end, "`tf.train.summary_iterator` is only in `tf.compat.v1`, and TF 2 "
                               "writes scalars as tensors: a reader defined in the cell reads both",
                               edits=edits, imports=(*imports, _EVENT_IMPORT), replacement=_NAME)


_HELPER = '''def {name}(path):
    # TF1's tf.train.summary_iterator; TF 2 writes scalars as tensors, which get back their simple_value
    for record in {dataset}(path):
        event = event_pb2.Event.FromString(record.numpy())
        for value in event.summary.value:
            if value.HasField("tensor") and value.metadata.plugin_data.plugin_name == "scalars":
                value.simple_value = {to_array}(value.tensor).item()
        yield event
'''


def _top_level_statement(tree: ast.Module, node: ast.AST) -> ast.stmt | None:
    for stmt in tree.body:
        if any(child is node for child in ast.walk(stmt)):
            return stmt
    return None
