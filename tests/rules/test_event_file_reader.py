"""TFM505: tf.train.summary_iterator becomes a reader defined in the cell, which also reads TF 2's scalars."""

import pytest

from helpers import assert_migrates, migrated


def test_the_reader_is_defined_before_the_statement_that_reads_events():
    assert_migrates("""
        import tensorflow as tf
        steps = []
        for event in tf.train.summary_iterator(path):
            steps.append(event.step)
        again = list(tf.compat.v1.train.summary_iterator(path))
    """, """
        import tensorflow as tf
        from tensorboard.compat.proto import event_pb2
        steps = []
        def summary_iterator(path):
            # TF1's tf.train.summary_iterator; TF 2 writes scalars as tensors, which get back their simple_value
            for record in tf.data.TFRecordDataset(path):
                event = event_pb2.Event.FromString(record.numpy())
                for value in event.summary.value:
                    if value.HasField("tensor") and value.metadata.plugin_data.plugin_name == "scalars":
                        value.simple_value = tf.make_ndarray(value.tensor).item()
                yield event
        for event in summary_iterator(path):
            steps.append(event.step)
        again = list(summary_iterator(path))
    """, level="tf2")


@pytest.mark.parametrize("source", [
    # the name is taken
    "import tensorflow as tf\nsummary_iterator = None\nevents = list(tf.train.summary_iterator(path))\n",
    # the reading statement shares its line
    "import tensorflow as tf\nx = 1; events = list(tf.train.summary_iterator(path))\n",
])
def test_no_reader_where_it_cannot_be_placed_safely(source):
    assert "tf.compat.v1.train.summary_iterator" in migrated(source, level="tf2")


def test_compat_keeps_the_compat_reader():
    assert migrated("import tensorflow as tf\nevents = list(tf.train.summary_iterator(path))\n") == \
        "import tensorflow as tf\nevents = list(tf.compat.v1.train.summary_iterator(path))\n"


def test_the_reader_reads_tf2_tensor_scalars_and_tf1_simple_values(tmp_path):
    tf = pytest.importorskip("tensorflow")
    pytest.importorskip("tensorboard")
    from tensorboard.compat.proto import event_pb2, summary_pb2

    writer = tf.summary.create_file_writer(str(tmp_path / "v2"))
    with writer.as_default():
        for step, value in enumerate([0.5, 0.25, 0.125]):
            tf.summary.scalar("loss", value, step=step)
            tf.summary.histogram("weights", [1.0, 2.0], step=step)
    writer.close()
    # An event file as TF1's FileWriter wrote it: scalars as simple_value.
    tf1_file = str(tmp_path / "events.out.tfevents.tf1")
    with tf.io.TFRecordWriter(tf1_file) as records:
        for step, value in enumerate([3.0, 1.5]):
            summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="loss", simple_value=value)])
            records.write(event_pb2.Event(step=step, summary=summary).SerializeToString())
    source = migrated("""
        import tensorflow as tf
        def losses(path):
            return [(e.step, v.simple_value) for e in tf.train.summary_iterator(path) for v in e.summary.value
                    if v.tag == "loss"]
    """, level="tf2")
    assert "compat.v1" not in source
    namespace = {}
    exec(source, namespace)
    (v2_file,) = (tmp_path / "v2").iterdir()
    assert namespace["losses"](str(v2_file)) == [(0, 0.5), (1, 0.25), (2, 0.125)]
    assert namespace["losses"](tf1_file) == [(0, 3.0), (1, 1.5)]
