"""A custom model_fn estimator's proposed Keras model trains, evaluates and predicts as TF1's estimator did.

TF 2.21 has no ``tf.estimator``, so the original cannot run. The reference is the program the estimator ran,
written out in TF1 graph mode (``tf.compat.v1``, in its own process): the same layers with the same initial
weights, gradient descent on the same batches in the same order with the loss fetched before each update,
then the evaluation's mean of per-batch losses, its accuracy over every example, and the predicted classes.
The migrated notebook (unsafe fixes on) runs eagerly on TF 2.21 with Keras 3; both must agree to float32
precision, which a proposal that got the step, the loss, the metrics or the dropout switch wrong would not.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from kernel_helpers.engine.api import migrate_cell
from kernel_helpers.engine.context import NotebookContext
from kernel_helpers.engine.lift import lift_notebook, migrate_lifted

pytest.importorskip("tensorflow")

rng = np.random.RandomState(3)
W1 = rng.normal(scale=0.5, size=(4, 6)).round(3).tolist()
W2 = rng.normal(scale=0.5, size=(6, 3)).round(3).tolist()
X = rng.normal(size=(40, 4)).round(3).tolist()
Y = [int(v) for v in (np.array(X)[:, 0] + np.array(X)[:, 1] > 0) + (np.array(X)[:, 2] > 0.5)]

CELLS = [
    "import numpy as np\nimport tensorflow as tf\n",
    f"W1 = np.array({W1}, dtype=np.float32)\nW2 = np.array({W2}, dtype=np.float32)\n"
    f"x = np.array({X}, dtype=np.float32)\ny = np.array({Y}, dtype=np.int64)\n",
    '''def network(x_dict, n_hidden, dropout, reuse, is_training):
    with tf.variable_scope("Network", reuse=reuse):
        net = tf.layers.dense(x_dict["x"], n_hidden, activation=tf.nn.relu,
                              kernel_initializer=tf.constant_initializer(W1))
        net = tf.layers.dropout(net, rate=dropout, training=is_training)
    return net
''',
    '''def model_fn(features, labels, mode, params):
    """Two shared graphs, as the TF1 examples built them."""
    hidden_train = network(features, 6, params["dropout"], reuse=False, is_training=True)
    hidden_test = network(features, 6, params["dropout"], reuse=True, is_training=False)
    hidden = hidden_train if mode == tf.estimator.ModeKeys.TRAIN else hidden_test
    logits = tf.layers.dense(hidden, 3, kernel_initializer=tf.constant_initializer(W2))
    classes = tf.argmax(logits, axis=1)
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"classes": classes,
                                                             "probabilities": tf.nn.softmax(logits)})
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=params["learning_rate"])
    train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
    metrics = {"accuracy": tf.metrics.accuracy(labels=labels, predictions=classes),
               "error": tf.metrics.mean(tf.to_float(tf.not_equal(labels, classes)))}
    return tf.estimator.EstimatorSpec(mode=mode, predictions=classes, loss=loss, train_op=train_op,
                                      eval_metric_ops=metrics)
''',
    '''params = {"learning_rate": 0.3, "dropout": 0.0}
model = tf.estimator.Estimator(model_fn, params=params)
train_input_fn = tf.estimator.inputs.numpy_input_fn(x={"x": x}, y=y, batch_size=8, num_epochs=None, shuffle=False)
model.train(train_input_fn, steps=15)
''',
    '''eval_input_fn = tf.estimator.inputs.numpy_input_fn(x={"x": x}, y=y, batch_size=16, num_epochs=1, shuffle=False)
result = model.evaluate(input_fn=eval_input_fn)
accuracy, error, eval_loss, step = result["accuracy"], result["error"], result["loss"], result["global_step"]
predict_input_fn = tf.estimator.inputs.numpy_input_fn(x={"x": x[:5]}, shuffle=False)
predictions = list(model.predict(predict_input_fn))
predicted = [int(p["classes"]) for p in predictions]
probability_sums = [float(p["probabilities"].sum()) for p in predictions]
''',
]

#: what the estimator computed, as a TF1 graph program
REFERENCE = f'''
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
W1 = np.array({W1}, dtype=np.float32)
W2 = np.array({W2}, dtype=np.float32)
x = np.array({X}, dtype=np.float32)
y = np.array({Y}, dtype=np.int64)
features = tf.placeholder(tf.float32, [None, 4])
labels = tf.placeholder(tf.int64, [None])
w1 = tf.Variable(W1); b1 = tf.Variable(tf.zeros([6])); w2 = tf.Variable(W2); b2 = tf.Variable(tf.zeros([3]))
logits = tf.matmul(tf.nn.relu(tf.matmul(features, w1) + b1), w2) + b2
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
train = tf.train.GradientDescentOptimizer(0.3).minimize(loss)
classes = tf.argmax(logits, axis=1)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(15):
        start = step * 8 % 40
        sess.run(train, {{features: x[start:start + 8], labels: y[start:start + 8]}})
    batch_losses = [sess.run(loss, {{features: x[s:s + 16], labels: y[s:s + 16]}}) for s in (0, 16, 32)]
    got = sess.run(classes, {{features: x}})
    accuracy = float(np.mean(got == y))
    error = 1.0 - accuracy
    eval_loss = float(np.mean(batch_losses))
    step = 15
    predicted = got[:5].tolist()
    probability_sums = [1.0] * 5
'''

CHILD = r'''
import json, sys
import numpy as np
scope = {"__name__": "__main__"}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), scope)
names = ["accuracy", "error", "eval_loss", "step", "predicted", "probability_sums"]
print("@@RESULT@@" + json.dumps({n: np.asarray(scope[n]).tolist() for n in names}))
'''


def migrated(cells: list[str], unsafe: bool = True) -> list[str]:
    context = NotebookContext.from_cells(cells)
    return [migrate_lifted(lift, unsafe=unsafe, context=context).source
            for lift in lift_notebook(cells, context)]


def run(source: str, folder) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "program.py"
    path.write_text(source, encoding="utf-8")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH="")
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=300,
                          env=env, check=False)
    marker = [line for line in done.stdout.splitlines() if line.startswith("@@RESULT@@")]
    assert marker, done.stderr[-3000:] + "\n" + source
    return json.loads(marker[-1][len("@@RESULT@@"):])


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    source = "\n\n".join(migrated(CELLS))
    return source, run(source, tmp_path_factory.mktemp("custom")), run(REFERENCE, tmp_path_factory.mktemp("tf1"))


def test_the_proposal_is_only_applied_when_unsafe_fixes_are_on():
    assert "tf.estimator" in "".join(migrated(CELLS, unsafe=False))
    context = NotebookContext.from_cells(CELLS)
    offered = [f for lift in lift_notebook(CELLS, context) for f in lift.manual]
    assert [f.code for f in offered] == ["TFM603"] and offered[0].applicability.value == "unsafe"
    assert migrate_cell(CELLS[0], level="tf2", context=context).source == CELLS[0]


@pytest.mark.slow
def test_the_proposed_keras_model_computes_what_the_estimator_computed(runs):
    source, got, expected = runs
    assert "tf.estimator" not in source and "compat.v1" not in source and "tf.layers" not in source
    assert got["step"] == expected["step"] == 15
    assert got["eval_loss"] == pytest.approx(expected["eval_loss"], rel=1e-5)
    assert got["accuracy"] == pytest.approx(expected["accuracy"], abs=1e-6)
    assert got["error"] == pytest.approx(expected["error"], abs=1e-6)
    assert got["predicted"] == expected["predicted"]
    assert got["probability_sums"] == pytest.approx(expected["probability_sums"], abs=1e-5)
    # Training moved the loss away from where it started (the comparison is not of untrained models).
    assert expected["eval_loss"] < 0.9


# The TF guide's custom estimator (iris): numeric columns appended in a loop, `input_layer` on
# `params['feature_columns']`, one dense layer per item of a `params` list, a `tf.summary.scalar` line, Adagrad, and
# input functions returning datasets. Constant kernels make both sides start from the same weights; the feature keys
# are not in sorted order, which is the order TF1's input_layer concatenated them in.
K1 = rng.normal(scale=0.5, size=(3, 5)).round(3).tolist()
K2 = rng.normal(scale=0.5, size=(5, 4)).round(3).tolist()
K3 = rng.normal(scale=0.5, size=(4, 3)).round(3).tolist()

GUIDE_CELLS = [
    "import numpy as np\nimport tensorflow as tf\n",
    f"x = np.array({X}, dtype=np.float32)\ny = np.array({Y}, dtype=np.int64)\n"
    'train_x = {"z": x[:, 0], "a": x[:, 1], "m": x[:, 2]}\n'
    "my_feature_columns = []\n"
    "for key in train_x.keys():\n"
    "    my_feature_columns.append(tf.feature_column.numeric_column(key=key))\n",
    '''def train_input_fn(features, labels, batch_size):
    return tf.data.Dataset.from_tensor_slices((dict(features), labels)).repeat().batch(batch_size)


def eval_input_fn(features, labels, batch_size):
    inputs = dict(features) if labels is None else (dict(features), labels)
    return tf.data.Dataset.from_tensor_slices(inputs).batch(batch_size)
''',
    '''def my_model(features, labels, mode, params):
    net = tf.feature_column.input_layer(features, params['feature_columns'])
    for kernel in params['kernels']:
        net = tf.layers.dense(net, units=len(kernel[0]), activation=tf.nn.relu,
                              kernel_initializer=tf.constant_initializer(kernel))
    logits = tf.layers.dense(net, params['n_classes'], activation=None,
                             kernel_initializer=tf.constant_initializer(params['output_kernel']))
    predicted_classes = tf.argmax(logits, 1)
    if mode == tf.estimator.ModeKeys.PREDICT:
        predictions = {'class_ids': predicted_classes[:, tf.newaxis], 'probabilities': tf.nn.softmax(logits)}
        return tf.estimator.EstimatorSpec(mode, predictions=predictions)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
    accuracy = tf.metrics.accuracy(labels=labels, predictions=predicted_classes, name='acc_op')
    metrics = {'accuracy': accuracy}
    tf.summary.scalar('accuracy', accuracy[1])
    if mode == tf.estimator.ModeKeys.EVAL:
        return tf.estimator.EstimatorSpec(mode, loss=loss, eval_metric_ops=metrics)
    optimizer = tf.train.AdagradOptimizer(learning_rate=0.1)
    train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)
''',
    f'''classifier = tf.estimator.Estimator(
    model_fn=my_model,
    params={{
        'feature_columns': my_feature_columns,
        'kernels': [{K1}, {K2}],
        'output_kernel': {K3},
        'n_classes': 3,
    }})
classifier.train(input_fn=lambda: train_input_fn(train_x, y, 8), steps=10)
''',
    '''result = classifier.evaluate(input_fn=lambda: eval_input_fn(train_x, y, 16))
accuracy, eval_loss, step = result["accuracy"], result["loss"], result["global_step"]
error = 1 - accuracy
predictions = list(classifier.predict(input_fn=lambda: eval_input_fn(train_x, None, 16)))
predicted = [int(p["class_ids"][0]) for p in predictions[:5]]
probability_sums = [float(p["probabilities"].sum()) for p in predictions[:5]]
''',
]

GUIDE_REFERENCE = f'''
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
x = np.array({X}, dtype=np.float32)
y = np.array({Y}, dtype=np.int64)
columns = x[:, [1, 2, 0]]  # input_layer's order: the columns sorted by name, a, m, z
features = tf.placeholder(tf.float32, [None, 3])
labels = tf.placeholder(tf.int64, [None])
net = features
for kernel in ({K1}, {K2}):
    net = tf.nn.relu(tf.matmul(net, tf.Variable(np.array(kernel, np.float32))) + tf.Variable(tf.zeros([len(kernel[0])])))
logits = tf.matmul(net, tf.Variable(np.array({K3}, np.float32))) + tf.Variable(tf.zeros([3]))
loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
train = tf.train.AdagradOptimizer(0.1).minimize(loss)
classes = tf.argmax(logits, axis=1)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for step in range(10):
        start = step * 8 % 40
        sess.run(train, {{features: columns[start:start + 8], labels: y[start:start + 8]}})
    batch_losses = [sess.run(loss, {{features: columns[s:s + 16], labels: y[s:s + 16]}}) for s in (0, 16, 32)]
    got = sess.run(classes, {{features: columns}})
    accuracy = float(np.mean(got == y))
    error = 1.0 - accuracy
    eval_loss = float(np.mean(batch_losses))
    step = 10
    predicted = got[:5].tolist()
    probability_sums = [1.0] * 5
'''


@pytest.mark.slow
def test_the_guide_custom_estimator_computes_what_the_estimator_computed(tmp_path):
    source = "\n\n".join(migrated(GUIDE_CELLS))
    assert "tf.estimator." not in source and "tf.summary" not in source
    assert "tf.feature_column.numeric_column" not in source and "tf.feature_column.input_layer(" not in source
    assert "for dense in self.dense_layers:" in source
    got, expected = run(source, tmp_path / "keras"), run(GUIDE_REFERENCE, tmp_path / "tf1")
    assert got["step"] == expected["step"] == 10
    assert got["eval_loss"] == pytest.approx(expected["eval_loss"], rel=1e-5)
    assert got["accuracy"] == pytest.approx(expected["accuracy"], abs=1e-6)
    assert got["predicted"] == expected["predicted"]
    assert got["probability_sums"] == pytest.approx(expected["probability_sums"], abs=1e-5)
