"""The custom model_fn rewrite (TFM603): its output, its place as an unsafe fix, and what it refuses."""

import pytest

from kernel_helpers import migrate_notebook
from kernel_helpers.engine.estimators import estimators_to_keras
from nbfactory import make_notebook

HEAD = "import tensorflow as tf\n"
NETWORK = '''def conv_net(x_dict, n_classes, dropout, reuse, is_training):
    with tf.variable_scope("ConvNet", reuse=reuse):
        x = tf.layers.dense(x_dict["images"], 16, activation=tf.nn.relu)
        x = tf.layers.dropout(x, rate=dropout, training=is_training)
        return tf.layers.dense(x, n_classes)
'''
MODEL_FN = '''def model_fn(features, labels, mode):
    logits_train = conv_net(features, 10, 0.25, reuse=False, is_training=True)
    logits_test = conv_net(features, 10, 0.25, reuse=True, is_training=False)
    pred_classes = tf.argmax(logits_test, axis=1)
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions=pred_classes)
    loss_op = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(logits=logits_train, labels=labels))
    optimizer = tf.train.AdamOptimizer(learning_rate=0.001)
    train_op = optimizer.minimize(loss_op, global_step=tf.train.get_global_step())
    acc_op = tf.metrics.accuracy(labels=labels, predictions=pred_classes)
    return tf.estimator.EstimatorSpec(mode=mode, predictions=pred_classes, loss=loss_op, train_op=train_op,
                                      eval_metric_ops={"accuracy": acc_op})
'''
USES = '''model = tf.estimator.Estimator(model_fn)
input_fn = tf.estimator.inputs.numpy_input_fn(x={"images": images}, y=labels, batch_size=32, num_epochs=None,
                                              shuffle=True)
model.train(input_fn, steps=100)
input_fn = tf.estimator.inputs.numpy_input_fn(x={"images": images}, y=labels, shuffle=False)
result = model.evaluate(input_fn)
print(result["accuracy"], result["loss"], result["global_step"])
'''


def rewrite(cells):
    result = estimators_to_keras(cells)
    assert not [f.message for _, fs in result for f in fs if f.code == "TFM699"]
    return [text for text, _ in result], [f for _, fs in result for f in fs]


def test_a_network_function_with_reuse_becomes_one_layer_the_model_makes_once():
    texts, findings = rewrite([HEAD, NETWORK, MODEL_FN, USES])
    network, model, uses = texts[1], texts[2], texts[3]
    assert network.startswith("class ConvNet(tf.keras.layers.Layer):")
    assert "def __init__(self, n_classes, dropout, **kwargs):" in network
    assert "self.dropout = tf.keras.layers.Dropout(rate=dropout)" in network
    assert "        self.conv_net = ConvNet(10, 0.25)\n" in model
    # The training graph and the evaluation graph share the layer; only the dropout switch differs.
    assert "logits_train = self.conv_net(features, is_training=True)" in model
    assert "logits_test = self.conv_net(features, is_training=False)" in model
    assert 'if mode == "infer":\n            return dict(predictions=pred_classes)' in model
    assert "optimizer" not in model.split("def model_fn", 1)[1].split("def call", 1)[0]
    assert "acc_op = self.accuracy_metric(labels, pred_classes)" in model
    assert 'self.accuracy_metric = tf.keras.metrics.Accuracy(name="accuracy")' in model
    assert 'return {"accuracy": self.accuracy_metric.result(), "loss": self.mean_loss.result()}' in model
    assert uses.startswith("model = ModelFn()\n"
                           "model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.001, epsilon=1e-8))\n")
    assert "model.fit(input_fn.take(100), epochs=1, verbose=0)" in uses
    assert {f.applicability.value for f in findings} == {"unsafe"}
    assert "TFM603" in {f.code for f in findings}


def test_params_reach_the_layers_and_the_optimizer():
    model_fn = '''def model_fn(features, labels, mode, params):
    logits = tf.layers.dense(features, params["classes"])
    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.train.GradientDescentOptimizer(params["rate"]).minimize(
        loss, global_step=tf.train.get_or_create_global_step())
    return tf.estimator.EstimatorSpec(mode, predictions=logits, loss=loss, train_op=train_op)
'''
    texts, _ = rewrite([HEAD, model_fn, "est = tf.estimator.Estimator(model_fn=model_fn, params=hparams)\n"])
    assert "    def __init__(self, params):\n        super().__init__()\n        self.params = params\n" \
           "        self.dense = tf.keras.layers.Dense(params[\"classes\"])\n" in texts[1]
    assert "    def model_fn(self, features, labels, mode, params):\n" in texts[1]
    assert 'self.model_fn(features, labels, "train", self.params)["loss"]' in texts[1]
    assert texts[2] == ("est = ModelFn(hparams)\n"
                        'est.compile(optimizer=tf.keras.optimizers.SGD(est.params["rate"]))\n')


def test_the_modes_inside_layer_arguments_are_rewritten_too():
    model_fn = '''def model_fn(features, labels, mode):
    net = tf.layers.dropout(features, rate=0.4, training=mode == tf.estimator.ModeKeys.TRAIN)
    loss = tf.reduce_mean(net)
    train_op = tf.train.AdamOptimizer().minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)
'''
    texts, _ = rewrite([HEAD, model_fn, "m = tf.estimator.Estimator(model_fn)\n"])
    assert 'net = self.dropout(features, training=mode == "train")' in texts[1]
    assert "self.dropout = tf.keras.layers.Dropout(rate=0.4)" in texts[1]
    assert "tf.keras.optimizers.Adam(epsilon=1e-8)" in texts[2]  # TF1 and Keras both default to 0.001


def test_without_unsafe_fixes_the_notebook_is_kept_and_the_proposal_is_counted(tmp_path):
    cells = [HEAD, NETWORK, MODEL_FN, USES]
    safe = migrate_notebook(make_notebook(*cells), level="tf2")
    assert sum(cell.migration.hidden_unsafe for cell in safe.cells) == 1
    # No notice that `minimize` becomes a train step: without the proposal, nothing is lifted.
    assert not [f.code for cell in safe.cells for f in cell.migration.findings if f.code in ("TFM101", "TFM102")]
    assert "tf.estimator.Estimator(model_fn)" in safe.cells[3].migration.source
    unsafe = migrate_notebook(make_notebook(*cells), level="tf2", unsafe=True)
    assert unsafe.cells[3].migration.source.startswith("model = ModelFn()")
    assert sum(cell.migration.hidden_unsafe for cell in unsafe.cells) == 0


def _model_fn(body: str) -> str:
    return "def model_fn(features, labels, mode):\n" + "".join(f"    {line}\n" for line in body.splitlines())


TRAIN = ("loss = tf.reduce_mean(logits)\n"
         "train_op = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=tf.train.get_global_step())\n")
ESTIMATOR = "m = tf.estimator.Estimator(model_fn)\n"


@pytest.mark.parametrize("cells, reason", [
    ([_model_fn("logits = tf.layers.dense(features, 2)\nloss = tf.reduce_mean(logits)\n"
                "return tf.estimator.EstimatorSpec(mode, loss=loss)"), ESTIMATOR],
     "does not make exactly one TF1 optimizer"),
    ([_model_fn("logits = tf.layers.dense(features, 2)\nloss = tf.reduce_mean(logits)\n"
                "train_op = tf.train.AdamOptimizer(0.1).minimize(loss, var_list=v, "
                "global_step=tf.train.get_global_step())\n"
                "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)"), ESTIMATOR],
     "passes `minimize(var_list=...)`"),
    ([_model_fn("logits = tf.layers.dense(features, 2)\n" + TRAIN + "a = tf.metrics.accuracy(labels, logits)\n"
                "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)"), ESTIMATOR],
     "computes a metric that no `eval_metric_ops` reports"),
    ([_model_fn("logits = tf.layers.dense(features, 2)\n" + TRAIN + "a = tf.metrics.auc(labels, logits)\n"
                "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op, eval_metric_ops={'a': a})"),
      ESTIMATOR], "has no Keras metric"),
    ([_model_fn("n = tf.shape(features)[1]\nlogits = tf.layers.dense(features, n)\n" + TRAIN +
                "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)"), ESTIMATOR],
     "shapes a layer from `n`"),
    ([_model_fn("logits = tf.layers.dense(features, 2)\n" + TRAIN +
                "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op, training_hooks=[h])"),
      ESTIMATOR], "gives `EstimatorSpec` `training_hooks`"),
    ([_model_fn("logits = tf.layers.dense(features, 2)\n" + TRAIN +
                "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)"),
      ESTIMATOR + "print(model_fn)\n"], "`model_fn` becomes a Keras model class, but it is also used elsewhere"),
    ([_model_fn("logits = tf.layers.dense(features, 2)\n" + TRAIN +
                "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)"),
      ESTIMATOR + "m.get_variable_names()\n"], "reads TF1's variable names"),
    ([_model_fn("logits = tf.layers.dense(features, 2)\n" + TRAIN + "r = tf.get_collection('reg')\n"
                "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)"), ESTIMATOR],
     "graph collections"),
    ([_model_fn("logits = tf.layers.dense(features, 2)\n" + TRAIN + "a = tf.metrics.accuracy(labels, logits)\n"
                "tf.identity(a[1])\n"
                "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op, eval_metric_ops={'a': a})"),
      ESTIMATOR], "reads `a`"),
    ([NETWORK, _model_fn("logits = conv_net(features, 2, 0.1, reuse=False, is_training=True)\n"
                         "logits = conv_net(features, 2, 0.1, reuse=False, is_training=False)\n" + TRAIN +
                         "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)"), ESTIMATOR],
     "again without `reuse=True`"),
    ([_model_fn("logits = tf.layers.dense(features, 2)\n" + TRAIN +
                "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)"),
      ESTIMATOR + "r = m.evaluate(input_fn=lambda: make())\nprint(r['auc'])\n"], "'auc'"),
    # layers in loops: one layer per item of a `for` over values __init__ can read, and nothing else
    ([_model_fn("logits = features\nfor units in [4, 2]:\n    logits = tf.layers.dense(logits, units)\n"
                "    print(units)\n" + TRAIN + "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)"),
      ESTIMATOR], "uses the loop's `units` for more than the layer"),
    ([_model_fn("logits = features\nfor units in [4, 2]:\n    logits = tf.layers.dense(tf.layers.dense(logits, 3), units)\n"
                + TRAIN + "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)"),
      ESTIMATOR], "other than one layer per item"),
    ([_model_fn("sizes = [4, 2]\nlogits = features\nfor units in sizes:\n    logits = tf.layers.dense(logits, units)\n"
                + TRAIN + "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)"),
      ESTIMATOR], "loops over `sizes`"),
    ([_model_fn("logits = tf.layers.dense(tf.feature_column.input_layer(features, columns), 2)\n" + TRAIN +
                "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)"), ESTIMATOR],
     "columns that are not `params[...]`"),
    ([_model_fn("logits = tf.layers.dense(features, 2)\n" + TRAIN + "s = tf.summary.scalar('loss', loss)\n"
                "return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)"), ESTIMATOR],
     "`tf.summary.scalar` is used where the lifting cannot follow it"),
    (["def model_fn(features, labels, mode, params):\n"
      "    logits = tf.layers.dense(tf.feature_column.input_layer(features, params['columns']), 2)\n"
      + "".join(f"    {line}\n" for line in TRAIN.splitlines()) +
      "    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)\n",
      "c = [tf.feature_column.numeric_column('x')]\nm = tf.estimator.Estimator(model_fn, params=p)\n"],
     "`params['columns']`, which is not an item of a `params` dict"),
])
def test_refusals_leave_every_cell_and_explain(cells, reason):
    cells = [HEAD, *cells]
    result = estimators_to_keras(cells)
    assert [text for text, _ in result] == cells
    findings = [f for _, fs in result for f in fs]
    assert [f.code for f in findings] == ["TFM699"]
    assert reason in findings[0].message, findings[0].message


GUIDE_CNN = ['''import numpy as np
import tensorflow as tf
train_data = np.random.RandomState(0).rand(64, 784).astype(np.float32)
train_labels = np.arange(64) % 10
''', '''def cnn_model_fn(features, labels, mode):
  """The TF1 guide's shape: two-space indents, a PREDICT return, TRAIN and EVAL specs of their own."""
  input_layer = tf.reshape(features["x"], [-1, 28, 28, 1])
  conv1 = tf.layers.conv2d(inputs=input_layer, filters=4, kernel_size=[5, 5], padding="same", activation=tf.nn.relu)
  pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)
  flat = tf.reshape(pool1, [-1, 14 * 14 * 4])
  dropout = tf.layers.dropout(inputs=flat, rate=0.4, training=mode == tf.estimator.ModeKeys.TRAIN)
  logits = tf.layers.dense(inputs=dropout, units=10)
  predictions = {"classes": tf.argmax(input=logits, axis=1),
                 "probabilities": tf.nn.softmax(logits, name="softmax_tensor")}
  if mode == tf.estimator.ModeKeys.PREDICT:
    return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)
  loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
  if mode == tf.estimator.ModeKeys.TRAIN:
    optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.1)
    train_op = optimizer.minimize(loss=loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)
  eval_metric_ops = {"accuracy": tf.metrics.accuracy(labels=labels, predictions=predictions["classes"])}
  return tf.estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)
''', '''classifier = tf.estimator.Estimator(model_fn=cnn_model_fn, model_dir="/tmp/mnist_convnet_model")
logging_hook = tf.train.LoggingTensorHook(tensors={"probabilities": "softmax_tensor"}, every_n_iter=50)
train_input_fn = tf.estimator.inputs.numpy_input_fn(x={"x": train_data}, y=train_labels, batch_size=16,
                                                    num_epochs=None, shuffle=True)
classifier.train(input_fn=train_input_fn, steps=8, hooks=[logging_hook])
eval_input_fn = tf.estimator.inputs.numpy_input_fn(x={"x": train_data}, y=train_labels, num_epochs=1, shuffle=False)
eval_results = classifier.evaluate(input_fn=eval_input_fn)
predict_input_fn = tf.estimator.inputs.numpy_input_fn(x={"x": train_data[:3]}, shuffle=False)
predictions = list(classifier.predict(input_fn=predict_input_fn))
''']


def test_the_guides_cnn_with_a_logging_hook_runs_on_keras_3():
    pytest.importorskip("tensorflow")
    import numpy as np

    from kernel_helpers.engine.context import NotebookContext
    from kernel_helpers.engine.lift import lift_notebook, migrate_lifted

    context = NotebookContext.from_cells(GUIDE_CNN)
    source = "\n".join(migrate_lifted(lift, unsafe=True, context=context).source
                       for lift in lift_notebook(GUIDE_CNN, context))
    assert "tf.estimator" not in source and "LoggingTensorHook" not in source and "compat.v1" not in source
    scope = {}
    exec(source, scope)
    results = scope["eval_results"]
    assert sorted(results) == ["accuracy", "global_step", "loss"] and results["global_step"] == 8
    assert 0 <= results["accuracy"] <= 1 and np.isfinite(results["loss"])
    predictions = scope["predictions"]
    assert len(predictions) == 3 and sorted(predictions[0]) == ["classes", "probabilities"]
    assert predictions[0]["probabilities"].shape == (10,)
    assert abs(float(predictions[0]["probabilities"].sum()) - 1) < 1e-5


def test_a_layer_per_item_of_a_loop_becomes_a_list_of_layers_made_once():
    texts, findings = rewrite([HEAD, "def model_fn(features, labels, mode, params):\n"
                                     "    net = features['x']\n"
                                     "    for units in params['hidden_units']:\n"
                                     "        net = tf.layers.dense(net, units=units, activation=tf.nn.relu)\n"
                                     "    logits = tf.layers.dense(net, params['n_classes'])\n"
                                     "    tf.summary.histogram('logits', logits)\n"
                                     + "".join(f"    {line}\n" for line in TRAIN.splitlines()) +
                                     "    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)\n",
                               "m = tf.estimator.Estimator(model_fn, params={'hidden_units': [8, 4], 'n_classes': 3})\n"])
    model = texts[1]
    assert ("        self.dense_layers = [tf.keras.layers.Dense(units=units, activation=tf.nn.relu) for units in "
            "params['hidden_units']]\n        self.dense = tf.keras.layers.Dense(params['n_classes'])\n") in model
    assert "        for dense in self.dense_layers:\n            net = dense(net)\n        logits = self.dense(net)\n" \
        in model
    assert "tf.summary" not in model
    assert any("1 `tf.summary` line(s) go" in f.message for f in findings if f.code == "TFM603")
