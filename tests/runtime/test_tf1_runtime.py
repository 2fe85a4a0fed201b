"""Real TF1 notebook cells run unmodified under the reference runtime (TF 2.21, tf_keras, tf_slim).

All cells run in one reference kernel, in order, like a notebook.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.kernel


def test_import_tensorflow_gives_the_v1_api(run) -> None:
    out = run(
        "import tensorflow as tf\n"
        "from tensorflow import placeholder, Session\n"
        "import tensorflow\n"
        "print(tf.__name__, tf.executing_eagerly(), hasattr(tf, 'placeholder'), tensorflow.Session is Session)\n"
        "print(type(tf.keras.layers.Dense).__module__.split('.')[0])\n"
    )
    assert out.splitlines()[0] == "tensorflow.compat.v1 False True True"
    # tf.keras is Keras 2 (tf_keras), which tf.layers needs
    assert out.splitlines()[1] != "keras"


def test_colab_tensorflow_version_magic_is_accepted(run) -> None:
    assert run("%tensorflow_version 1.x\nprint(tf.__name__)\n").strip() == "tensorflow.compat.v1"


def test_placeholders_sessions_and_feed_dict(run) -> None:
    out = run(
        "x = tf.placeholder(tf.float32, shape=[None, 2])\n"
        "y = tf.reduce_sum(x * 3.0, axis=1)\n"
        "with tf.Session() as sess:\n"
        "    print(sess.run(y, feed_dict={x: [[1, 2], [3, 4]]}).tolist())\n"
    )
    assert out.strip() == "[9.0, 21.0]"


def test_variable_scope_get_variable_and_layers_train(run) -> None:
    out = run(
        "tf.reset_default_graph()\n"
        "tf.set_random_seed(0)\n"
        "x = tf.placeholder(tf.float32, [None, 4])\n"
        "y_true = tf.placeholder(tf.float32, [None, 1])\n"
        "with tf.variable_scope('model'):\n"
        "    w = tf.get_variable('w', [4, 8], initializer=tf.glorot_uniform_initializer())\n"
        "    h = tf.nn.relu(tf.matmul(x, w))\n"
        "    out = tf.layers.dense(h, 1, name='head')\n"
        "with tf.variable_scope('model', reuse=True):\n"
        "    same = tf.get_variable('w')\n"
        "loss = tf.losses.mean_squared_error(y_true, out)\n"
        "train = tf.train.AdamOptimizer(0.05).minimize(loss)\n"
        "import numpy as np\n"
        "data = np.random.RandomState(0).rand(32, 4).astype('float32')\n"
        "target = data.sum(axis=1, keepdims=True)\n"
        "sess = tf.Session()\n"
        "sess.run(tf.global_variables_initializer())\n"
        "first = sess.run(loss, {x: data, y_true: target})\n"
        "for _ in range(60):\n"
        "    sess.run(train, {x: data, y_true: target})\n"
        "last = sess.run(loss, {x: data, y_true: target})\n"
        "print(same is w, sorted(v.name for v in tf.trainable_variables()), last < first / 4)\n"
    )
    assert out.strip() == "True ['model/head/bias:0', 'model/head/kernel:0', 'model/w:0'] True"


@pytest.mark.parametrize("optimizer", [
    "tf.train.GradientDescentOptimizer(0.1)",
    "tf.train.MomentumOptimizer(0.1, momentum=0.9)",
    "tf.train.RMSPropOptimizer(0.01)",
    "tf.train.AdagradOptimizer(0.1)",
])
def test_tf1_optimizers(run, optimizer: str) -> None:
    out = run(
        "tf.reset_default_graph()\n"
        "v = tf.Variable(5.0)\n"
        f"step = {optimizer}.minimize(tf.square(v))\n"
        "with tf.Session() as s:\n"
        "    s.run(tf.global_variables_initializer())\n"
        "    for _ in range(5):\n"
        "        s.run(step)\n"
        "    print(abs(s.run(v)) < 5.0)\n"
    )
    assert out.strip() == "True"


def test_contrib_layers_slim_and_batch_norm(run) -> None:
    out = run(
        "tf.reset_default_graph()\n"
        "import tensorflow.contrib.slim as slim\n"
        "from tensorflow.contrib import layers as contrib_layers\n"
        "images = tf.placeholder(tf.float32, [None, 8, 8, 3])\n"
        "with slim.arg_scope([slim.conv2d], padding='SAME', weights_regularizer=slim.l2_regularizer(1e-4)):\n"
        "    net = slim.conv2d(images, 4, [3, 3], normalizer_fn=slim.batch_norm, scope='conv')\n"
        "net = tf.contrib.layers.flatten(net)\n"
        "net = contrib_layers.fully_connected(net, 10, weights_initializer=tf.contrib.layers.xavier_initializer())\n"
        "unfused = slim.batch_norm(net, fused=False, is_training=True)\n"
        "reg = tf.losses.get_regularization_losses()\n"
        "with tf.Session() as s:\n"
        "    s.run(tf.global_variables_initializer())\n"
        "    print(s.run(unfused, {images: np.ones((2, 8, 8, 3))}).shape, len(reg))\n"
    )
    assert out.strip() == "(2, 10) 1"


def test_contrib_rnn_cells(run) -> None:
    out = run(
        "tf.reset_default_graph()\n"
        "from tensorflow.contrib import rnn\n"
        "seq = tf.placeholder(tf.float32, [None, 5, 3])\n"
        "cell = rnn.MultiRNNCell([rnn.BasicLSTMCell(4), tf.contrib.rnn.GRUCell(4)])\n"
        "outputs, state = tf.nn.dynamic_rnn(cell, seq, dtype=tf.float32)\n"
        "static_out, _ = rnn.static_rnn(rnn.BasicRNNCell(2), tf.unstack(seq, axis=1), dtype=tf.float32)\n"
        "with tf.Session() as s:\n"
        "    s.run(tf.global_variables_initializer())\n"
        "    print(s.run(outputs, {seq: np.zeros((2, 5, 3))}).shape, len(static_out))\n"
    )
    assert out.strip() == "(2, 5, 4) 5"


def test_missing_contrib_symbols_fail_clearly(tf1_kernel) -> None:
    for code, symbol in [
        ("tf.contrib.crf.crf_log_likelihood", "tf.contrib.crf"),
        ("from tensorflow.contrib import seq2seq", "tf.contrib.seq2seq"),
        ("import tensorflow.contrib.gan as tfgan", "tf.contrib.gan"),
        ("tf.contrib.layers.no_such_layer", "tf.contrib.layers.no_such_layer"),
    ]:
        outcome = tf1_kernel.execute(code)
        assert outcome.status == "error", code
        assert outcome.error.startswith("ContribUnavailableError"), outcome.error
        assert f"{symbol} is not available in the TF1 reference runtime" in outcome.error


def test_saver_and_file_writer(run) -> None:
    save_dir = run.tmp_path / "ckpt"
    logs = run.tmp_path / "logs"
    out = run(
        "tf.reset_default_graph()\n"
        "counter = tf.Variable(41.0, name='counter')\n"
        "bump = tf.assign_add(counter, 1.0)\n"
        "tf.summary.scalar('counter', counter)\n"
        "merged = tf.summary.merge_all()\n"
        "saver = tf.train.Saver()\n"
        "with tf.Session() as s:\n"
        "    s.run(tf.global_variables_initializer())\n"
        "    s.run(bump)\n"
        f"    writer = tf.summary.FileWriter({str(logs)!r}, s.graph)\n"
        "    writer.add_summary(s.run(merged), 1)\n"
        "    writer.close()\n"
        f"    path = saver.save(s, {str(save_dir / 'model.ckpt')!r})\n"
        "with tf.Session() as s:\n"
        "    saver.restore(s, path)\n"
        "    print(s.run(counter))\n"
    )
    assert out.strip() == "42.0"
    assert any(p.name.startswith("events.out.tfevents") for p in logs.iterdir())


def test_tf_data_iterators(run) -> None:
    out = run(
        "tf.reset_default_graph()\n"
        "ds = tf.data.Dataset.from_tensor_slices(np.arange(6)).map(lambda v: v * 2).batch(4)\n"
        "it = ds.make_one_shot_iterator()\n"
        "nxt = it.get_next()\n"
        "init_it = tf.data.Iterator.from_structure(tf.data.get_output_types(ds), tf.data.get_output_shapes(ds))\n"
        "init_op = init_it.make_initializer(ds)\n"
        "batch = init_it.get_next()\n"
        "with tf.Session() as s:\n"
        "    print(s.run(nxt).tolist(), s.run(nxt).tolist())\n"
        "    s.run(init_op)\n"
        "    print(s.run(batch).tolist())\n"
        "    try:\n"
        "        s.run(nxt)\n"
        "    except tf.errors.OutOfRangeError:\n"
        "        print('end')\n"
    )
    assert out.splitlines() == ["[0, 2, 4, 6] [8, 10]", "[0, 2, 4, 6]", "end"]


def test_tutorial_mnist_loader(run) -> None:
    out = run(
        "from tensorflow.examples.tutorials.mnist import input_data\n"
        f"mnist = input_data.read_data_sets({str(run.tmp_path / 'MNIST_data')!r}, one_hot=True)\n"
        "bx, by = mnist.train.next_batch(32)\n"
        "print(bx.shape, by.shape, mnist.test.images.shape[1])\n"
        "print(mnist.source)\n"
        "from tensorflow.contrib.learn.datasets.mnist import read_data_sets\n"
        "print(read_data_sets is input_data.read_data_sets)\n"
    )
    lines = out.splitlines()
    assert lines[0] == "(32, 784) (32, 10) 784"
    assert "bundled synthetic mnist sample" in lines[1]
    assert lines[2] == "True"


def test_keras_dataset_loaders_are_offline(run) -> None:
    out = run(
        "(x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()\n"
        "(c_train, _), _ = tf.contrib.keras.datasets.cifar10.load_data()\n"
        "print(x_train.shape[1:], x_train.dtype, c_train.shape[1:])\n"
    )
    assert out.strip() == "(28, 28) uint8 (32, 32, 3)"


def test_graph_values_are_read_through_the_live_or_closed_session(run, tmp_path) -> None:
    path = str(tmp_path / "cap.npz")
    run(
        "tf.reset_default_graph()\n"
        "x = tf.placeholder(tf.float32, [2])\n"
        "trained = tf.Variable([1.0, 2.0])\n"
        "untouched = tf.Variable([7.0])\n"
        "inc = tf.assign_add(trained, [10.0, 10.0])\n"
        "doubled = trained * 2\n"
        "with tf.Session() as s:\n"
        "    s.run(tf.global_variables_initializer())\n"
        "    s.run(inc)\n"
        "live = tf.Session()\n"
        "live.run(tf.global_variables_initializer())\n"
        "needs_feed = x + 1\n"
    )
    from kernel_helpers.compare.capture import capture_code, load_capture

    run(capture_code(["trained", "untouched", "doubled", "inc", "needs_feed"], path))
    captured = load_capture(path)
    # the live session wins: it re-initialized `trained`
    assert captured["trained"].value.tolist() == [1.0, 2.0]
    assert captured["doubled"].value.tolist() == [2.0, 4.0]
    assert captured["untouched"].value.tolist() == [7.0]
    # never evaluated: it would change state / needs a feed
    assert captured["inc"].value is None and "stateful op" in captured["inc"].note
    assert captured["needs_feed"].value is None and "placeholder" in captured["needs_feed"].note
    run("live.close()\n")
    run(capture_code(["trained"], path))
    # after the live session closed, the value it held when it closed
    assert load_capture(path)["trained"].value.tolist() == [1.0, 2.0]


def test_a_notebook_layer_draws_with_the_key_of_the_cell_that_made_it_here_too(run) -> None:
    """The rule of test_random_alignment's test of the same name holds on the TF1 side (tf_keras in a graph), so
    an original's Keras layer subclass and its migration keep drawing the same weights."""
    out = run(
        "import numpy as np\nimport tensorflow as tf\n"
        "from kernel_helpers.runtime import random_alignment as ra\n"
        "class Net(tf.keras.layers.Layer):\n"
        "    def __init__(self, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
        "        self.dense = tf.keras.layers.Dense(2)\n"
        "    def call(self, x):\n"
        "        return self.dense(x)\n"
        "ra.install(); ra.activate(True)\n"
        "ra.begin(4); tf.random_normal([3]); net = Net(); plain = tf.keras.layers.Dense(2)\n"
        "ra.begin(5); tf.random_normal([2]); net(tf.ones([1, 3])); plain(tf.ones([1, 3]))\n"
        "draws = ra.draws()\n"
        "ra.activate(False); ra.uninstall()\n"
        "sess = tf.Session(); sess.run(tf.global_variables_initializer())\n"
        "limit = np.sqrt(6.0 / 5.0)\n"
        "glorot = lambda e, k: (-limit + 2 * limit * ra.sample('uniform', (3, 2), e, k)).astype(np.float32)\n"
        "print(draws, np.allclose(sess.run(net.dense.kernel), glorot(4, 1)),\n"
        "      np.allclose(sess.run(plain.kernel), glorot(5, 1)))\n")
    assert out.split() == ["2", "True", "True"]
