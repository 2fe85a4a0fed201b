"""The canned-estimator rewrite (TFM600-TFM602, TFM699): exact output, no-ops and refusals."""

from pathlib import Path

import pytest

from kernel_helpers.engine.api import migrate_cell
from kernel_helpers.engine.context import NotebookContext
from kernel_helpers.engine.docs import example
from kernel_helpers.engine.estimators import estimators_to_keras
from kernel_helpers.engine.registry import all_rules

GOLDEN = Path(__file__).with_name("golden")
MARK = "#%%\n"


def read_cells(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split(MARK)[1:]


#: the finding codes each golden notebook's cells get
GOLDEN_CODES = {
    "linear_input_fn": [["TFM602"], ["TFM600", "TFM600"], ["TFM600", "TFM600", "TFM600"]],
    "binary_mixed": [["TFM602", "TFM602", "TFM602", "TFM600", "TFM600", "TFM600", "TFM600"]],
    "dnn_regressor": [["TFM602", "TFM600", "TFM600", "TFM600", "TFM600"]],
}


@pytest.mark.parametrize("name", GOLDEN_CODES)
def test_golden_notebook(name):
    before = read_cells(GOLDEN / f"{name}.before.cells")
    after = read_cells(GOLDEN / f"{name}.after.cells")
    result = estimators_to_keras(before, NotebookContext.from_cells(before))
    assert [text for text, _ in result] == after
    assert [[f.code for f in findings] for _, findings in result] == GOLDEN_CODES[name]


def test_numpy_input_fn_and_dnn_classifier_across_cells():
    cells = [
        "import tensorflow as tf\n",
        'columns = [tf.feature_column.numeric_column(key=name) for name in ["b", "a"]]\n'
        "train = tf.estimator.inputs.numpy_input_fn(x=features, y=labels, batch_size=16, num_epochs=None, "
        "shuffle=True)\n",
        "classifier = tf.estimator.DNNClassifier(\n"
        "    feature_columns=columns, hidden_units=[10, 10], n_classes=3,\n"
        "    optimizer=tf.train.AdamOptimizer(learning_rate=0.01), config=tf.estimator.RunConfig(tf_random_seed=0))\n",
        "classifier.train(input_fn=train, steps=500)\n",
    ]
    result = estimators_to_keras(cells)
    assert result[1][0] == (
        'columns = [tf.keras.Input(shape=(1,), name=name) for name in ["b", "a"]]\n'
        "train = tf.data.Dataset.from_tensor_slices((features, labels)).shuffle(1000).repeat().batch(16)\n")
    assert result[2][0] == '''\
tf.keras.utils.set_random_seed(0)  # RunConfig(tf_random_seed=0)
classifier_columns = {column.name: column for column in columns}
# TF1 concatenated the feature columns sorted by name
classifier_hidden = tf.keras.layers.Concatenate()([classifier_columns[name] for name in sorted(classifier_columns)])
classifier_hidden = tf.keras.layers.Dense(10, activation="relu", kernel_initializer="glorot_uniform",
                                          name="hiddenlayer_0")(classifier_hidden)
classifier_hidden = tf.keras.layers.Dense(10, activation="relu", kernel_initializer="glorot_uniform",
                                          name="hiddenlayer_1")(classifier_hidden)
classifier_logits = tf.keras.layers.Dense(3, kernel_initializer="glorot_uniform",
                                          name="logits")(classifier_hidden)
classifier = tf.keras.Model(classifier_columns, classifier_logits)
classifier.compile(
    optimizer=tf.keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-8),
    # TF1's canned estimators sum the loss over the batch (loss_reduction=SUM)
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="sum"),
    metrics=[tf.keras.metrics.SparseCategoricalAccuracy(name="accuracy"),
             tf.keras.metrics.SparseCategoricalCrossentropy(from_logits=True, name="average_loss")])
'''
    assert result[3][0] == "classifier.fit(train.take(500), epochs=1, verbose=0)\n"
    # findings point into the cells as written
    constructor = result[2][1][0]
    assert constructor.code == "TFM600"
    assert cells[2][constructor.range.start:constructor.range.end].startswith("classifier = tf.estimator.DNN")
    train = result[1][1][1]
    assert train.code == "TFM601"
    assert cells[1][train.range.start:train.range.end].startswith("tf.estimator.inputs.numpy_input_fn(")


def test_default_optimizers_are_tf1s():
    cells = ["import tensorflow as tf\n"
             'c = [tf.feature_column.numeric_column("x")]\n'
             "d = tf.estimator.DNNClassifier([4], c)\n"
             "l = tf.estimator.LinearRegressor(c, optimizer=None)\n"]
    text = estimators_to_keras(cells)[0][0]
    assert "optimizer=tf.keras.optimizers.Adagrad(learning_rate=0.05, initial_accumulator_value=0.1, epsilon=0.0)," \
        in text
    assert "optimizer=tf.keras.optimizers.Ftrl(learning_rate=min(0.2, len(c) ** -0.5), learning_rate_power=-0.5, " \
           "initial_accumulator_value=0.1)," in text
    # two classes by default: one logit, sigmoid cross-entropy
    assert 'd_logits = tf.keras.layers.Dense(1, kernel_initializer="glorot_uniform", name="logits")(d_hidden)' in text
    assert 'loss=tf.keras.losses.BinaryCrossentropy(from_logits=True, reduction="sum"),' in text


def test_aliases_are_resolved_not_string_matched():
    cells = ["import tensorflow.compat.v1 as t1\n"
             "import tensorflow as tf\n"
             'm = t1.estimator.LinearRegressor([t1.feature_column.numeric_column("x")])\n']
    text = estimators_to_keras(cells)[0][0]
    assert 'm_columns = {column.name: column for column in [tf.keras.Input(shape=(1,), name="x")]}' in text


@pytest.mark.parametrize("cells", [
    ["import tensorflow as tf\nx = tf.constant(1.0)\n"],
    ["import numpy as np\n"],
    # a user class of the same name is not TensorFlow's
    ["import tensorflow as tf\nclass DNNClassifier:\n    pass\nm = DNNClassifier()\nm.train(input_fn=f, steps=1)\n"],
    ["from mylib import DNNClassifier\nm = DNNClassifier(hidden_units=[1], feature_columns=[])\n"],
    # feature columns without estimators (e.g. for DenseFeatures) are not this rewrite's business
    ['import tensorflow as tf\nc = [tf.feature_column.numeric_column("x")]\n'],
])
def test_no_estimator_is_a_no_op(cells):
    assert estimators_to_keras(cells) is None


PREFIX = 'import tensorflow as tf\nc = [tf.feature_column.numeric_column("x")]\n'


@pytest.mark.parametrize("source, reason", [
    ("def model_fn(features, labels, mode):\n    pass\nm = tf.estimator.Estimator(model_fn=model_fn)\n",
     "the custom `model_fn` `model_fn`"),
    ('e = [tf.feature_column.embedding_column(tf.feature_column.categorical_column_with_hash_bucket("w", 9), 4)]\n'
     "m = tf.estimator.DNNClassifier([4], e)\n", "`tf.feature_column.embedding_column` is not rewritten"),
    ("m = tf.estimator.DNNClassifier([4], c)\nm.train(input_fn=f, steps=1, hooks=[h])\n", "`m.train(hooks=...)`"),
    ("m = tf.estimator.DNNClassifier([4], c)\nm.train(input_fn=f, max_steps=10)\n", "`max_steps` counts"),
    ("m = tf.estimator.DNNClassifier([4], c)\nm.export_saved_model('/tmp/x', fn)\n", "`m.export_saved_model`"),
    ("m = tf.estimator.DNNClassifier([4], c, optimizer='RMSProp')\n", "'RMSProp' has no Keras optimizer"),
    ("m = tf.estimator.DNNClassifier([4], c, optimizer=tf.train.RMSPropOptimizer(0.1))\n", "subclass that the estimator rewrite"),
    ("m = tf.estimator.DNNClassifier([4], c, n_classes=k)\n", "`n_classes` is not an integer literal"),
    ("m = tf.estimator.DNNClassifier([4], c, weight_column='w')\n", "weight_column"),
    ("m = tf.estimator.LinearRegressor(c)\nr = m.evaluate(input_fn=lambda: f())\nprint(r['label/mean'])\n",
     "'label/mean'"),
    ("m = tf.estimator.LinearRegressor(c)\nother = m\n", "`m` is used in a way"),
    ('v = tf.feature_column.categorical_column_with_vocabulary_list("v", ["a"])\n'
     "m = tf.estimator.DNNClassifier([4], [v])\n", "bare categorical column"),
    ("m = tf.estimator.LinearRegressor(c, config=tf.estimator.RunConfig(train_distribute=s))\n",
     "`RunConfig(train_distribute=...)`"),
    ("m = tf.estimator.LinearRegressor(c)\ntf.estimator.train_and_evaluate(m, t, e)\n", "`train_and_evaluate`"),
    ("m = tf.estimator.LinearRegressor(c)\nm.train(input_fn=lambda: it.get_next())\n", "`input_fn`"),
])
def test_refusals_leave_every_cell_and_explain(source, reason):
    cells = [PREFIX, source]
    result = estimators_to_keras(cells)
    assert [text for text, _ in result] == cells
    findings = [f for _, fs in result for f in fs]
    assert [f.code for f in findings] == ["TFM699"]
    assert findings[0].applicability.value == "manual"
    assert reason in findings[0].message


def test_a_use_inside_a_magic_refuses():
    cells = [PREFIX, "m = tf.estimator.LinearRegressor(c)\n", "%time m.train(input_fn=f, steps=1)\n"]
    result = estimators_to_keras(cells)
    assert [text for text, _ in result] == cells
    assert result[2][1][0].code == "TFM699" and "IPython syntax" in result[2][1][0].message


def test_magics_elsewhere_are_kept_byte_for_byte():
    cells = ["%matplotlib inline\n" + PREFIX, "m = tf.estimator.LinearRegressor(c)  # keep\n!ls\n"]
    result = estimators_to_keras(cells)
    assert result[0][0] == '%matplotlib inline\nimport tensorflow as tf\nc = [tf.keras.Input(shape=(1,), name="x")]\n'
    assert result[1][0].endswith("  # keep\n!ls\n")


RULES = {rule.code: rule for rule in all_rules() if rule.code in ("TFM600", "TFM601", "TFM602", "TFM699")}


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_docstring_example_migrates_to_use_instead(code):
    before, after = example(RULES[code])
    context = NotebookContext.from_cells([before])
    [(text, findings)] = estimators_to_keras([before], context)
    assert code in {f.code for f in findings}
    assert migrate_cell(text, level="tf2", context=context).source == after


def test_a_multi_dimensional_numeric_column_is_flattened_as_tf1_did():
    cells = [PREFIX, "i = tf.feature_column.numeric_column('image', shape=[2, 3])\n"
                     "m = tf.estimator.DNNClassifier(hidden_units=[4], feature_columns=[i], n_classes=2)\n"]
    text = estimators_to_keras(cells)[1][0]
    assert "# TF1 flattened the feature columns and concatenated them sorted by name\n" in text
    assert "tf.keras.layers.Concatenate()([tf.keras.layers.Flatten()(m_columns[name]) for name in sorted(m_columns)])" \
        in text
    assert 'tf.keras.Input(shape=(2, 3), name="image")' in text or "tf.keras.Input(shape=(2, 3), name='image')" in text
    # A vector column needs no flattening: the text stays as it was.
    flat = estimators_to_keras([PREFIX, "m = tf.estimator.DNNRegressor(hidden_units=[4], feature_columns=c)\n"])[1][0]
    assert "Flatten" not in flat


def test_the_flattened_model_has_tf1s_weights_and_trains_on_keras_3():
    pytest.importorskip("tensorflow")
    cells = ["import numpy as np\nimport tensorflow as tf\nx = np.random.RandomState(0).rand(20, 2, 3).astype(np.float32)\n"
             "y = (x.sum(axis=(1, 2)) > 3).astype(np.int32)\n",
             "col = tf.feature_column.numeric_column('x', shape=[2, 3])\n"
             "m = tf.estimator.DNNClassifier(hidden_units=[4], feature_columns=[col], n_classes=2)\n"
             "train = tf.estimator.inputs.numpy_input_fn(x={'x': x}, y=y, batch_size=5, num_epochs=1, shuffle=False)\n"
             "m.train(input_fn=train)\n"]
    scope = {}
    exec("\n".join(text for text, _ in estimators_to_keras(cells)), scope)
    # TF1's DNN saw the column as 6 numbers: a 6x4 hidden kernel, its bias, a 4x1 logit kernel and its bias.
    assert scope["m"].count_params() == 6 * 4 + 4 + 4 + 1
    assert int(scope["m"].optimizer.iterations) == 4


#: the TF guide's premade-estimator iris code: numeric columns appended in a loop over the feature keys, a user
#: input_fn returning a dataset
GUIDE_LOOP = ["import numpy as np\nimport tensorflow as tf\n"
              "train_x = {'SepalWidth': np.linspace(0, 1, 24, dtype=np.float32),\n"
              "           'PetalLength': np.linspace(1, 0, 24, dtype=np.float32)}\n"
              "train_y = np.arange(24) % 3\n"
              "my_feature_columns = []\n"
              "for key in train_x.keys():\n"
              "    my_feature_columns.append(tf.feature_column.numeric_column(key=key))\n",
              "def train_input_fn(features, labels, batch_size):\n"
              "    dataset = tf.data.Dataset.from_tensor_slices((dict(features), labels))\n"
              "    return dataset.shuffle(1000).repeat().batch(batch_size)\n",
              "classifier = tf.estimator.DNNClassifier(feature_columns=my_feature_columns, hidden_units=[10, 10],\n"
              "                                        n_classes=3)\n"
              "classifier.train(input_fn=lambda: train_input_fn(train_x, train_y, 8), steps=5)\n"]


def test_columns_appended_in_a_loop_become_inputs_appended_in_the_loop():
    result = estimators_to_keras(GUIDE_LOOP)
    assert result[0][0] == GUIDE_LOOP[0].replace("tf.feature_column.numeric_column(key=key)",
                                                 "tf.keras.Input(shape=(1,), name=key)")
    assert [f.code for f in result[0][1]] == ["TFM602"]
    assert "classifier_columns = {column.name: column for column in my_feature_columns}\n" in result[2][0]
    assert "classifier.fit(train_input_fn(train_x, train_y, 8).take(5), epochs=1, verbose=0)" in result[2][0]


@pytest.mark.parametrize("loop, reason", [
    # not bound to [] first: the loop adds to a list the rewrite has not read
    ("cols = base\nfor k in keys:\n    cols.append(tf.feature_column.numeric_column(k))\n", "bound to `[]` just before"),
    ("cols = []\nfor k in keys:\n    cols.append(tf.feature_column.numeric_column(k))\n"
     "for k in more:\n    cols.append(tf.feature_column.numeric_column(k))\n", "bound to `[]` just before"),
    ("cols = []\nfor k in keys:\n    cols.append(tf.feature_column.indicator_column(\n"
     "        tf.feature_column.categorical_column_with_identity(k, 3)))\n", "not numeric"),
])
def test_loops_the_rewrite_cannot_follow_are_refused(loop, reason):
    cells = ["import tensorflow as tf\n", loop + "m = tf.estimator.DNNClassifier([4], cols, n_classes=3)\n"]
    result = estimators_to_keras(cells)
    assert [text for text, _ in result] == cells
    findings = [f for _, fs in result for f in fs]
    assert [f.code for f in findings] == ["TFM699"] and reason in findings[0].message


def test_the_guide_loop_trains_on_keras_3():
    pytest.importorskip("tensorflow")
    scope = {}
    exec("\n".join(text for text, _ in estimators_to_keras(GUIDE_LOOP)), scope)
    # Two numeric features: a 2x10 kernel first, as TF1 built it.
    assert scope["classifier"].count_params() == (2 * 10 + 10) + (10 * 10 + 10) + (10 * 3 + 3)
    assert int(scope["classifier"].optimizer.iterations) == 5
