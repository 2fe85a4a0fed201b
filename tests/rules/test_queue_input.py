"""TFM420: queue input pipelines become tf.data datasets read by iterators (tests/lift/programs.py runs one
against TF1's queues; tutorial 16 is verified)."""

import pytest

from helpers import assert_refused, dedent, migrated

CSV = """
    import tensorflow as tf
    queue = tf.train.string_input_producer(["a.csv"], num_epochs=3)
    reader = tf.TextLineReader()
    key, value = reader.read(queue)
    a, b = tf.decode_csv(value, record_defaults=[[0.0], [0]])
"""


def lifted(source):
    return migrated(dedent(source), level="tf2")


def test_a_shuffled_producer_shuffles_the_file_names_each_epoch_and_shuffle_batch_in_its_capacity():
    result = lifted(dedent(CSV) + dedent("""
        ba, bb = tf.train.shuffle_batch([a, b], batch_size=8, capacity=100, min_after_dequeue=20, seed=3)
        sess = tf.Session()
        out = sess.run([ba, bb])
    """))
    assert 'queue = tf.data.Dataset.from_tensor_slices(["a.csv"]).shuffle(len(["a.csv"])).repeat(3)\n' in result
    assert "records = queue.flat_map(lambda filename: tf.data.TextLineDataset(filename))\n" in result
    assert "batches = records.map(lambda value: (a(value), b(value))).shuffle(100, seed=3)" \
           ".batch(8, drop_remainder=True)\n" in result
    assert "out = [tensor.numpy() for tensor in batches_iterator.get_next()]" in result
    assert "Session" not in result and "compat" not in result


def test_records_read_one_by_one_come_from_an_iterator_over_the_records():
    result = lifted(dedent(CSV) + dedent("""
        sess = tf.Session()
        tf.train.start_queue_runners(sess=sess)
        first = sess.run(a)
        pair = sess.run([a, b])
    """))
    assert "records_iterator = iter(records)\n" in result
    assert "first = a(records_iterator.get_next()).numpy()" in result
    assert "start_queue_runners" not in result


@pytest.mark.parametrize("reader,dataset", [
    ("tf.TFRecordReader()", "tf.data.TFRecordDataset(filename)"),
    ("tf.FixedLengthRecordReader(record_bytes=12, header_bytes=4)",
     "tf.data.FixedLengthRecordDataset(filename, 12, header_bytes=4)"),
])
def test_other_readers_read_their_files_in_order(reader, dataset):
    result = lifted(f"""
        import tensorflow as tf
        queue = tf.train.string_input_producer(files, shuffle=False)
        reader = {reader}
        _, record = reader.read(queue)
        size = tf.strings.length(record)
        sess = tf.Session()
        out = sess.run(size)
    """)
    assert f"records = queue.flat_map(lambda filename: {dataset})\n" in result
    assert "queue = tf.data.Dataset.from_tensor_slices(files).repeat()\n" in result


def test_a_whole_file_reader_gives_each_file_name_and_contents():
    result = lifted("""
        import tensorflow as tf
        queue = tf.train.string_input_producer(files, num_epochs=1, shuffle=False)
        name, contents = tf.WholeFileReader().read(queue)
        image = tf.image.decode_png(contents)
        sess = tf.Session()
        out = sess.run([name, image])
    """)
    assert "records = queue.map(lambda filename: (filename, tf.io.read_file(filename)))\n" in result


def test_slices_are_from_tensor_slices():
    result = lifted("""
        import tensorflow as tf
        image, label = tf.train.slice_input_producer([paths, labels], num_epochs=1, shuffle=False)
        batch_image, batch_label = tf.train.batch([tf.read_file(image), label], batch_size=2, num_threads=4)
        sess = tf.Session()
        out = sess.run(batch_label)
    """)
    assert "records = tf.data.Dataset.from_tensor_slices((paths, labels)).repeat(1)\n" in result
    assert "batches = records.map(lambda image, label: (tf.io.read_file(image), label))" \
           ".batch(2, drop_remainder=True)\n" in result
    # One tensor of the batch: TF1 dequeued the whole batch all the same.
    assert "out = batches_iterator.get_next()[1].numpy()" in result


@pytest.mark.parametrize("code,reason", [
    ("ka = tf.train.batch([key, a], batch_size=2)\n", "the reader's key"),
    ("ba, bb = tf.train.batch([a, b], batch_size=2, enqueue_many=True)\n", "enqueue_many"),
    ("ba, bb = tf.train.batch([a, b], batch_size=2, dynamic_pad=True)\n", "dynamic_pad"),
    ("ba = tf.train.batch([a, b], batch_size=2)\n", "unpacked into one name per tensor"),
    ("ba, bb = tf.train.batch([a, tf.random_normal([])], batch_size=2)\n", "one reader's records alone"),
    ("k2, v2 = reader.read_up_to(queue, 4)\n", "not a `read`"),
])
def test_pipelines_the_lifting_cannot_follow_are_refused_with_why(code, reason):
    source = dedent(CSV) + code + "sess = tf.Session()\nsess.run(a)\n"
    assert_refused(source, reason)


def test_a_compressed_tfrecord_reader_is_refused():
    assert_refused("""
        import tensorflow as tf
        queue = tf.train.string_input_producer(files)
        reader = tf.TFRecordReader(options=tf.python_io.TFRecordOptions(tf.python_io.TFRecordCompressionType.GZIP))
        _, record = reader.read(queue)
        sess = tf.Session()
        sess.run(record)
    """, "options")


def test_a_whole_file_reader_whose_name_is_unread_gives_the_contents_alone():
    result = lifted("""
        import tensorflow as tf
        queue = tf.train.string_input_producer(files, num_epochs=1, shuffle=False)
        _, contents = tf.WholeFileReader().read(queue)
        size = tf.strings.length(contents)
        sess = tf.Session()
        sizes = [sess.run(size) for _ in range(3)]
    """)
    assert "records = queue.map(tf.io.read_file)\n" in result
    assert "sizes = [size(records_iterator.get_next()).numpy() for _ in range(3)]" in result
