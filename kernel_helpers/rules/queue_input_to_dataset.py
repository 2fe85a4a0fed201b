"""TFM420 queue-input-to-dataset."""

from __future__ import annotations

from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/migrating_feed_dict"


@register
class QueueInputToDataset(NotebookRule):
    '''Queue-based input pipelines in a lifted graph: `tf.data` datasets read by Python iterators.

    ## What it does
    With the notebook's graph lifted (TFM100): `tf.train.string_input_producer(files, num_epochs, shuffle)` becomes
    a dataset of the file names (shuffled each epoch when it was, repeated `num_epochs` times, or for ever), and
    `reader.read(queue)` of a `TextLineReader` (with `skip_header_lines`), `TFRecordReader`,
    `FixedLengthRecordReader` or `WholeFileReader` a dataset of the files' records, in the queue's order.
    `tf.train.slice_input_producer([a, b])` is `from_tensor_slices((a, b))`. The tensors computed from a record
    (`tf.decode_csv`, `tf.parse_single_example`, ...) become functions of it; `tf.train.batch` and
    `tf.train.shuffle_batch` become a `map` of them and `batch` (dropping a last, smaller batch unless
    `allow_smaller_final_batch`), and the batch tensors are the elements of an iterator over it (TFM400): each run
    that reads them takes the next batch, and the same `tf.errors.OutOfRangeError` ends the last epoch. A run of
    record tensors without a batch takes the next record. `tf.train.start_queue_runners` goes (its threads are an
    empty list), and `tf.train.Coordinator` stays: it is plain Python in TF 2 too.

    ## Why
    TF 2 has no queues: `tf.data` replaced them, and the eager iterator is what the session's dequeue was.

    ## Example
    ```python
    import tensorflow as tf
    files = tf.train.string_input_producer(["a.csv", "b.csv"], num_epochs=1, shuffle=False)
    reader = tf.TextLineReader(skip_header_lines=1)
    _, line = reader.read(files)
    x, y = tf.decode_csv(line, record_defaults=[[0.0], [0.0]])
    batch_x, batch_y = tf.train.batch([x, y], batch_size=32)
    loss = tf.reduce_mean(tf.square(batch_x - batch_y))
    sess = tf.Session()
    sess.run(tf.local_variables_initializer())
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)
    try:
        while True:
            print(sess.run(loss))
    except tf.errors.OutOfRangeError:
        coord.request_stop()
    coord.join(threads)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    files = tf.data.Dataset.from_tensor_slices(["a.csv", "b.csv"]).repeat(1)
    records = files.flat_map(lambda filename: tf.data.TextLineDataset(filename).skip(1))
    def x(line):
        return tf.io.decode_csv(line, record_defaults=[[0.0], [0.0]])[0]
    def y(line):
        return tf.io.decode_csv(line, record_defaults=[[0.0], [0.0]])[1]
    batches = records.map(lambda line: (x(line), y(line))).batch(32, drop_remainder=True)
    batches_iterator = iter(batches)
    def loss(batch_x, batch_y):
        return tf.reduce_mean(tf.square(batch_x - batch_y))
    coord = tf.train.Coordinator()
    threads = []  # a tf.data pipeline has no queue-runner threads
    try:
        while True:
            print(loss(*batches_iterator.get_next()).numpy())
    except tf.errors.OutOfRangeError:
        coord.request_stop()
    coord.join(threads)
    ```

    ## Fix safety
    Safe: the same records, batches and end of input as TF1's queues with `shuffle=False` and one thread, checked
    value for value against TF1 (tests/lift, tutorial 16). `tf.train.batch` with several threads mixed its records
    in no fixed order, and a shuffled queue's draws are its own: the dataset keeps the files' order, and shuffles
    with its own draws. Refused, with a reason: a reader's key read (TF1's `file:line` string), `read_up_to`,
    `enqueue_many` or `dynamic_pad` batches, a batch of tensors from two readers, and compressed TFRecord files.
    '''

    code = "TFM420"
    name = "queue-input-to-dataset"
    doc = _GUIDE
