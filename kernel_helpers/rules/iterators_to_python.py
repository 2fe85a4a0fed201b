"""TFM400 iterators-to-python."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/migrating_feed_dict"


@register
class IteratorsToPython(NotebookRule):
    """tf.data iterators in a lifted graph: Python iteration over eager datasets.

    ## What it does
    With the notebook's graph lifted (TFM100): a one-shot iterator becomes `iter(dataset)`; an initializable
    iterator (or one made `from_structure`) starts where its initializer runs, as
    `iterator = iter(dataset)`, and a dataset made from placeholders becomes a function of them, called with
    the fed arrays there. The elements of `get_next()` become parameters of the functions that read them, and
    each graph run passes `iterator.get_next()`, so one run advances the iterator once, as `sess.run` did.

    ## Why
    TF 2 datasets are Python iterables: there are no iterator ops to initialize or run. `get_next()` of an
    eager iterator raises the same `tf.errors.OutOfRangeError` at the end, so `try`/`except` loops still work.

    ## Example
    ```python
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None])
    dataset = tf.data.Dataset.from_tensor_slices(x).batch(2)
    iterator = dataset.make_initializable_iterator()
    batch = iterator.get_next()
    total = tf.reduce_sum(batch)
    sess = tf.Session()
    sess.run(iterator.initializer, feed_dict={x: data})
    print(sess.run(total))
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    def dataset(x):
        x = tf.convert_to_tensor(x, tf.float32)
        return tf.data.Dataset.from_tensor_slices(x).batch(2)
    def total(batch):
        return tf.reduce_sum(batch)
    iterator = iter(dataset(data))
    print(total(iterator.get_next()).numpy())
    ```

    ## Fix safety
    Safe: the same batches in the same order (a seeded `shuffle` made again at each start repeats its order, as
    TF1's initializer did). Refused, with a reason, where one run would read an iterator through two calls,
    where an iterator starts inside a function, or where a dataset reads a variable.
    """

    code = "TFM400"
    name = "iterators-to-python"
    doc = _GUIDE
