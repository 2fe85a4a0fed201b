"""TFM400: tf.data iterators in a lifted graph become Python iteration over eager datasets."""

import pytest

from helpers import assert_migrates, assert_refused, dedent
from kernel_helpers import migrate

LIFTED = {
    "one-shot-until-out-of-range": ("""
        import tensorflow as tf
        dataset = tf.data.Dataset.range(10)
        dataset = dataset.map(lambda value: value * value).batch(4)
        iterator = dataset.make_one_shot_iterator()
        next_element = iterator.get_next()
        batches = []
        with tf.Session() as sess:
            while True:
                try:
                    batches.append(sess.run(next_element))
                except tf.errors.OutOfRangeError:
                    break
    """, """
        import tensorflow as tf
        dataset = tf.data.Dataset.range(10)
        dataset = dataset.map(lambda value: value * value).batch(4)
        iterator = iter(dataset)
        batches = []
        while True:
            try:
                batches.append(tf.nest.map_structure(lambda tensor: tensor.numpy(), iterator.get_next()))
            except tf.errors.OutOfRangeError:
                break
    """),
    # TF1 ran the op that made both elements: the iterator advances once, the other element is not kept.
    "one-element-of-two-fetched": ("""
        import tensorflow as tf
        pairs = tf.data.Dataset.from_tensor_slices((features, labels)).batch(3)
        feature_batch, label_batch = pairs.make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            first_labels = sess.run(label_batch)
    """, """
        import tensorflow as tf
        pairs = tf.data.Dataset.from_tensor_slices((features, labels)).batch(3)
        pairs_iterator = iter(pairs)
        first_labels = pairs_iterator.get_next()[1].numpy()
    """),
    "one-shot-made-in-place-fetched-whole": ("""
        import tensorflow as tf
        pairs = tf.data.Dataset.from_tensor_slices((features, labels)).batch(3)
        feature_batch, label_batch = pairs.make_one_shot_iterator().get_next()
        with tf.Session() as sess:
            first_features, first_labels = sess.run([feature_batch, label_batch])
    """, """
        import tensorflow as tf
        pairs = tf.data.Dataset.from_tensor_slices((features, labels)).batch(3)
        pairs_iterator = iter(pairs)
        first_features, first_labels = [tensor.numpy() for tensor in pairs_iterator.get_next()]
    """),
    "initializable-on-fed-arrays-with-a-train-step": ("""
        import tensorflow as tf
        xs = tf.placeholder(tf.float32, [None, 3])
        ys = tf.placeholder(tf.float32, [None, 1])
        dataset = tf.data.Dataset.from_tensor_slices((xs, ys)).batch(32)
        iterator = tf.data.make_initializable_iterator(dataset)
        x, y = iterator.get_next()
        w = tf.Variable(tf.zeros([3, 1]))
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        for epoch in range(2):
            sess.run(iterator.initializer, feed_dict={xs: x_data, ys: y_data})
            _, loss_value = sess.run([train, loss])
    """, """
        import tensorflow as tf
        def dataset(xs, ys):
            xs = tf.convert_to_tensor(xs, tf.float32)
            ys = tf.convert_to_tensor(ys, tf.float32)
            return tf.data.Dataset.from_tensor_slices((xs, ys)).batch(32)
        w = tf.Variable(tf.zeros([3, 1]))
        def loss(x, y):
            return tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
        optimizer = tf.keras.optimizers.SGD(0.1)
        @tf.function(reduce_retracing=True)
        def train(x, y):
            with tf.GradientTape() as tape:
                loss_value = loss(x, y)
            variables = [w]
            optimizer.apply_gradients(zip(tape.gradient(loss_value, variables), variables))
            return loss_value
        for epoch in range(2):
            iterator = iter(dataset(x_data, y_data))
            _, loss_value = [None, train(*iterator.get_next()).numpy()]
    """),
    "dataset-written-over-lines": ("""
        import tensorflow as tf
        xs = tf.placeholder(tf.float32, [None])
        dataset = (tf.data.Dataset.from_tensor_slices(xs)
                   .batch(2))
        iterator = dataset.make_initializable_iterator()
        batch = iterator.get_next()
        sess = tf.Session()
        sess.run(iterator.initializer, {xs: data})
        first = sess.run(batch)
    """, """
        import tensorflow as tf
        def dataset(xs):
            xs = tf.convert_to_tensor(xs, tf.float32)
            return (tf.data.Dataset.from_tensor_slices(xs)
                   .batch(2))
        iterator = iter(dataset(data))
        first = tf.nest.map_structure(lambda tensor: tensor.numpy(), iterator.get_next())
    """),
    "reinitializable-from-structure": ("""
        import tensorflow as tf
        train_numbers = tf.data.Dataset.range(100).batch(25)
        valid_numbers = tf.data.Dataset.range(20).batch(10)
        switchable = tf.data.Iterator.from_structure(train_numbers.output_types, train_numbers.output_shapes)
        numbers = switchable.get_next()
        batch_mean = tf.reduce_mean(numbers)
        training_init_op = switchable.make_initializer(train_numbers)
        validation_init_op = switchable.make_initializer(valid_numbers)
        with tf.Session() as sess:
            sess.run(training_init_op)
            train_means = [sess.run(batch_mean) for _ in range(4)]
            sess.run(validation_init_op)
            valid_mean = sess.run(batch_mean)
    """, """
        import tensorflow as tf
        train_numbers = tf.data.Dataset.range(100).batch(25)
        valid_numbers = tf.data.Dataset.range(20).batch(10)
        def batch_mean(numbers):
            return tf.reduce_mean(numbers)
        switchable = iter(train_numbers)
        train_means = [batch_mean(switchable.get_next()).numpy() for _ in range(4)]
        switchable = iter(valid_numbers)
        valid_mean = batch_mean(switchable.get_next()).numpy()
    """),
    "fetches-reading-one-iterator-share-its-elements": ("""
        import tensorflow as tf
        dataset = tf.data.Dataset.from_tensor_slices((data, data)).batch(2)
        a, b = dataset.make_one_shot_iterator().get_next()
        total = tf.reduce_sum(a)
        twice = total * 2 + tf.reduce_sum(b)
        sess = tf.Session()
        t, w = sess.run([total, twice])
    """, """
        import tensorflow as tf
        dataset = tf.data.Dataset.from_tensor_slices((data, data)).batch(2)
        dataset_iterator = iter(dataset)
        def total(a, b):
            return tf.reduce_sum(a)
        def twice(a, b):
            return total(a, b) * 2 + tf.reduce_sum(b)
        def run_total_twice(a, b):
            return [total(a, b).numpy(), twice(a, b).numpy()]
        t, w = run_total_twice(*dataset_iterator.get_next())
    """),
}

GRAPH = """
    import tensorflow as tf
    xs = tf.placeholder(tf.float32, [None])
    dataset = tf.data.Dataset.from_tensor_slices((xs, xs)).batch(2)
    iterator = dataset.make_initializable_iterator()
    a, b = iterator.get_next()
    total = tf.reduce_sum(a)
    twice = total * 2
    sess = tf.Session()
"""

REFUSED = {
    "one-run-reads-the-iterator-twice": (GRAPH + """
    sess.run(iterator.initializer, {xs: data})
    sess.run({"total": total, "twice": twice})
    """, "advance it more than once"),
    "some-elements-fetched": (GRAPH + """
    sess.run(iterator.initializer, {xs: data})
    sess.run([a])
    """, "some of an iterator's elements"),
    "an-element-is-fed": (GRAPH + """
    sess.run(total, {a: [1.0]})
    """, "something other than a placeholder is fed"),
    "started-inside-a-function": (GRAPH + """
    def restart():
        sess.run(iterator.initializer, {xs: data})
    """, "started inside a function"),
    "one-shot-on-placeholders": ("""
        import tensorflow as tf
        xs = tf.placeholder(tf.float32, [None])
        dataset = tf.data.Dataset.from_tensor_slices(xs)
        value = dataset.make_one_shot_iterator().get_next()
        sess = tf.Session()
        sess.run(value)
    """, "one-shot iterator is made from a dataset that reads placeholders"),
    "dataset-reads-a-variable": ("""
        import tensorflow as tf
        w = tf.Variable([1.0, 2.0])
        dataset = tf.data.Dataset.from_tensor_slices(w)
        sess = tf.Session()
    """, "reads a variable"),
    "iterator-passed-along": (GRAPH + """
    keep(iterator)
    """, "(iterator) is used outside graph construction"),
}


@pytest.mark.parametrize("before,after", LIFTED.values(), ids=LIFTED.keys())
def test_lifted(before, after):
    assert_migrates(before, after, level="tf2")


@pytest.mark.parametrize("source,reason", REFUSED.values(), ids=REFUSED.keys())
def test_refused(source, reason):
    assert_refused(dedent(source), reason)


def test_findings_say_where_the_iterator_starts():
    result = migrate(dedent(LIFTED["reinitializable-from-structure"][0]), level="tf2")
    messages = [f.message for f in result.applied if f.code == "TFM400"]
    assert "the iterator starts again: `switchable = iter(valid_numbers)`" in messages


def test_parsing_specs_writers_and_tf_io_ops_are_plain_in_a_lifted_notebook():
    """aymericdamien's tfrecords: examples written with a TFRecordWriter, a dict of FixedLenFeature specs, and
    parse_single_example mapped over a TFRecordDataset."""
    result = migrate(dedent("""
        import tensorflow as tf
        with tf.io.TFRecordWriter("data.tfrecord") as w:
            example = tf.train.Example(features=tf.train.Features(feature={
                "age": tf.train.Feature(float_list=tf.train.FloatList(value=[3.0]))}))
            w.write(example.SerializeToString())
        features = {"age": tf.io.FixedLenFeature([], tf.float32), "kind": tf.FixedLenFeature([], tf.int64)}
        def parse_record(record):
            return tf.io.parse_single_example(record, features=features)
        data = tf.data.TFRecordDataset(["data.tfrecord"]).map(parse_record).batch(2)
        iterator = data.make_one_shot_iterator()
        x = iterator.get_next()
        sess = tf.Session()
        first = sess.run(x)
    """), level="tf2")
    assert "TFM199" not in {f.code for f in result.remaining}
    assert 'features = {"age": tf.io.FixedLenFeature([], tf.float32), "kind": tf.io.FixedLenFeature([], tf.int64)}' \
        in result.source
    assert "iterator = iter(data)" in result.source
    assert "first = tf.nest.map_structure(lambda tensor: tensor.numpy(), iterator.get_next())" in result.source


def test_a_tf_io_function_with_effects_is_still_refused():
    assert_refused("""
        import tensorflow as tf
        x = tf.placeholder(tf.string)
        done = tf.io.write_file("out.txt", x)
        sess = tf.Session()
        sess.run(done, {x: "hello"})
    """, "io.write_file")
