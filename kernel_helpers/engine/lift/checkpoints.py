"""``tf.train.Saver`` in a lifted graph: a ``tf.train.Checkpoint`` of the lifted state.

TF1's Saver saved the graph's variables by name; in TF2 a ``Checkpoint`` saves the objects it is given
(variables, containers of them, Keras layers, optimizers with their slots). ``saver.save(sess, path)``
becomes ``saver.write(path)``, which writes exactly that prefix (with ``global_step``, ``path-<step>``, as TF1
named it), and ``saver.restore(sess, path)`` becomes ``saver.read(path)`` checked against what exists. A notebook
that finds its checkpoints again (``tf.train.latest_checkpoint``) saves through a ``CheckpointManager`` instead
(:func:`saving_function`), which keeps the state file those read.
A TF1 name-based checkpoint written by the original notebook can still be read by ``Checkpoint.read``, which
matches variables by name (see the guide on name-based checkpoints).
"""

from __future__ import annotations

import ast

#: Saver arguments that only manage files on disk, which ``Checkpoint.write`` leaves to the caller
IGNORED = {"max_to_keep", "keep_checkpoint_every_n_hours", "name"}
#: Saver.save arguments and their positions after ``sess``
SAVE_PARAMETERS = ("sess", "save_path", "global_step", "latest_filename", "meta_graph_suffix", "write_meta_graph",
                   "write_state", "strip_default_attrs", "save_debug_info")
RESTORE_PARAMETERS = ("sess", "save_path")


def named_arguments(call: ast.Call, parameters: tuple[str, ...]) -> dict[str, ast.expr] | None:
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords) \
            or len(call.args) > len(parameters):
        return None
    named = dict(zip(parameters, call.args))
    named.update({k.arg: k.value for k in call.keywords})
    return named


def checkpoint_text(tf: str, objects: list[tuple[str, str]]) -> str:
    """``tf.train.Checkpoint(W=W, ...)``; keys that are not identifiers go through ``**{...}``."""
    plain = [f"{key}={value}" for key, value in objects if key.isidentifier()]
    other = [f"{key!r}: {value}" for key, value in objects if not key.isidentifier()]
    arguments = plain + ([f"**{{{', '.join(other)}}}"] if other else [])
    return f"{tf}.train.Checkpoint({', '.join(arguments)})"


def save_text(saver: str, path: str, step: str | None) -> str:
    if step is None:
        return f"{saver}.write({path})"
    return f'{saver}.write("{{}}-{{}}".format({path}, int({step})))'


def saving_function(name: str, tf: str) -> str:
    """What ``saver.save(sess, path, global_step=step)`` becomes when the notebook finds its checkpoints again
    (``tf.train.latest_checkpoint``): a ``CheckpointManager`` save, which also records the checkpoint in the folder's
    state file and deletes the oldest beyond ``max_to_keep``, as TF1's Saver did."""
    return "\n".join([
        f"def {name}(checkpoint, prefix, step, max_to_keep):",
        '    """TF1\'s `Saver.save`: writes `prefix-step`, records it in its folder\'s `checkpoint` file (which',
        '    `tf.train.latest_checkpoint` reads) and keeps the last `max_to_keep` checkpoints (None: all)."""',
        "    import os",
        "",
        f"    manager = {tf}.train.CheckpointManager(checkpoint, os.path.dirname(prefix) or \".\", max_to_keep,",
        "                                         checkpoint_name=os.path.basename(prefix))",
        "    return manager.save(checkpoint_number=int(step))",
    ])


def restore_text(saver: str, path: str) -> str:
    return f"{saver}.read({path}).assert_existing_objects_matched()"
