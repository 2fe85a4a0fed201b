"""TFM500 saver-to-checkpoint."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/migrating_checkpoints"


@register
class SaverToCheckpoint(NotebookRule):
    """`tf.train.Saver` in a lifted graph: a `tf.train.Checkpoint` of the variables, layers and optimizers.

    ## What it does
    With the notebook's graph lifted (TFM100), `saver = tf.train.Saver()` becomes a `tf.train.Checkpoint` of
    everything the graph had at that point: variables, containers of them, Keras layers and the optimizers
    (TF1 saved their slots too); a `var_list` list or dict is kept. `saver.save(sess, path)` becomes
    `saver.write(path)` (with `global_step`, the `path-<step>` name TF1 used) and `saver.restore(sess, path)`
    becomes `saver.read(path).assert_existing_objects_matched()`.

    ## Why
    A Saver saves the variables of a graph through a session; eager TF2 saves objects.

    ## Example
    ```python
    import tensorflow as tf
    w = tf.Variable(1.0)
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    saver.save(sess, "model.ckpt")
    saver.restore(sess, "model.ckpt")
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    w = tf.Variable(1.0)
    saver = tf.train.Checkpoint(w=w)
    saver.write("model.ckpt")
    saver.read("model.ckpt").assert_existing_objects_matched()
    ```

    ## Fix safety
    Safe within the notebook: what it writes, it reads back. The files differ from TF1's (object-based keys, no
    `.meta` graph), and a checkpoint that the TF1 notebook wrote is read by variable name (see the guide). A
    notebook that finds its checkpoints again (`tf.train.latest_checkpoint`, `get_checkpoint_state`) saves through
    a `tf.train.CheckpointManager` (a `save_checkpoint` helper), which keeps the folder's state file and the
    Saver's `max_to_keep` (5 by default) as TF1 did; otherwise `max_to_keep` no longer deletes old checkpoints.
    Such a notebook saving without a `global_step`, `import_meta_graph` and savers passed along keep the notebook
    at level compat (TFM199). Initializing the variables again in a new session goes away when the next statement
    restores them all with a saver of every variable (`sess.run(init)` then `saver.restore(sess, path)`); any other
    second initialization after training keeps the notebook at level compat, since eager variables made once
    cannot be reset.
    """

    code = "TFM500"
    name = "saver-to-checkpoint"
    doc = _GUIDE
