"""TF1 summaries in a lifted graph: v2 summaries written under ``writer.as_default(step=...)``.

TF1 built summary ops with the graph, merged them (``merge_all``), evaluated the merged op with
``sess.run`` and handed the result to ``FileWriter.add_summary(summary, step)``. In the lifted notebook a
merged summary is a function that returns ``(kind, tag, value)`` triples computed from the same inputs, the
writer is ``tf.summary.create_file_writer``, and ``add_summary`` becomes a small function that writes each
triple with ``tf.summary.<kind>`` at the step. Tags keep TF1's name-scope prefix ("loss/cross_entropy").
TF 2 writes scalars as tensors (TensorBoard reads both; code that reads ``simple_value`` back does not).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

#: TF1 summary op -> (v2 function in tf.summary, TF1 parameters in order)
OPS = {
    "summary.scalar": ("scalar", ("name", "tensor")),
    "summary.histogram": ("histogram", ("name", "values")),
    "summary.image": ("image", ("name", "tensor", "max_outputs")),
    "summary.text": ("text", ("name", "tensor")),
    "scalar_summary": ("scalar", ("tags", "values")),
    "histogram_summary": ("histogram", ("tag", "values")),
    "image_summary": ("image", ("tag", "tensor", "max_images")),
}
MERGE_ALL = {"summary.merge_all", "merge_all_summaries"}
MERGE = {"summary.merge", "merge_summary"}
WRITERS = {"summary.FileWriter", "train.SummaryWriter"}
#: FileWriter arguments -> create_file_writer's (None: dropped, with the graph TF 2 does not write this way)
WRITER_ARGUMENTS = {"logdir": "logdir", "graph": None, "graph_def": None, "max_queue": "max_queue",
                    "flush_secs": "flush_millis", "filename_suffix": "filename_suffix", "session": None}
WRITER_POSITIONS = ("logdir", "graph", "max_queue", "flush_secs", "graph_def", "filename_suffix")


@dataclass
class Summary:
    kind: str
    #: the tag as Python source
    tag: str
    value: ast.expr
    cell: int


def read_op(api: str, call: ast.Call, segment, scopes: list[str | None]) -> tuple[str, str, ast.expr] | str:
    """(kind, tag source, value node) of a summary op, or why it cannot be lifted."""
    kind, parameters = OPS[api]
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords) \
            or len(call.args) > len(parameters):
        return f"`tf.{api}` is called in a way the lifting does not follow"
    named = dict(zip(parameters, call.args))
    named.update({k.arg: k.value for k in call.keywords})
    extra_names = set(named) - set(parameters[:2])
    if extra_names:
        return f"`tf.{api}` is given `{sorted(extra_names)[0]}`, which v2 summaries do not take"
    tag, value = named.get(parameters[0]), named.get(parameters[1])
    if tag is None or value is None:
        return f"`tf.{api}` is missing its name or value"
    if isinstance(tag, ast.Constant) and isinstance(tag.value, str):
        if None in scopes:
            return "a summary is named inside a scope whose name is computed"
        tag_text = repr("/".join([*scopes, tag.value]))
    elif scopes:
        return "a computed summary name inside a name scope"
    else:
        tag_text = segment(tag)
    return kind, tag_text, value


def writer_text(tf: str, call: ast.Call, segment) -> str | None:
    """``tf.summary.create_file_writer(...)`` for a FileWriter call, or None when an argument has no place."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords) \
            or len(call.args) > len(WRITER_POSITIONS):
        return None
    named = dict(zip(WRITER_POSITIONS, call.args))
    named.update({k.arg: k.value for k in call.keywords})
    if "logdir" not in named or any(k not in WRITER_ARGUMENTS for k in named):
        return None
    arguments = []
    for name, value in named.items():
        target = WRITER_ARGUMENTS[name]
        if target is None:
            continue
        text = segment(value)
        arguments.append(text if name == "logdir" else
                         f"flush_millis=int(1000 * {text})" if name == "flush_secs" else f"{target}={text}")
    return f"{tf}.summary.create_file_writer({', '.join(arguments)})"


def writing_function(name: str, tf: str) -> str:
    """What ``writer.add_summary(summary, step)`` becomes: each (kind, tag, value) written at ``step``."""
    return "\n".join([
        f"def {name}(writer, summary, step):",
        "    with writer.as_default(step=step):",
        "        for kind, tag, value in summary:",
        f"            getattr({tf}.summary, kind)(tag, value)",
    ])
