"""TFM312 (history keys of metrics=["accuracy"]) and TFM313 (predict_classes/predict_proba), proven on Keras 3."""

import pytest

from helpers import codes, migrated
from kernel_helpers import migrate
from kernel_helpers.engine.context import NotebookContext

HISTORY = 'import tensorflow as tf\nprint(h.history["acc"], h.history[\'val_acc\'], h.history["loss"], d["acc"])\n'


def test_history_keys_follow_a_compile_in_another_cell():
    context = NotebookContext.from_cells(['model.compile("sgd", "mse", metrics=["accuracy"])\n', HISTORY])
    assert migrate(HISTORY, level="tf2", context=context).source == (
        'import tensorflow as tf\nprint(h.history["accuracy"], h.history[\'val_accuracy\'], h.history["loss"], '
        'd["acc"])\n')


@pytest.mark.parametrize("compiled", [
    'model.compile("sgd", "mse", metrics=["acc"])\n',  # Keras 3 keeps the name it was given
    'model.compile("sgd", "mse", metrics=["acc", "accuracy"])\n',
    'model.compile("sgd", "mse")\n',
    "",
])
def test_history_keys_are_kept_unless_the_metric_was_compiled_as_accuracy(compiled):
    context = NotebookContext.from_cells([compiled, HISTORY])
    assert migrate(HISTORY, level="tf2", context=context).source == HISTORY


def test_predict_classes_and_proba_are_only_reported_when_their_arguments_cannot_be_kept():
    source = "import tensorflow as tf\nc = model.predict_classes(x, 32, 1)\np = model.predict_proba(*a)\n"
    assert migrated(source, level="tf2") == source
    assert codes(source, level="tf2").count("TFM313") == 2
    assert "TFM313" not in codes("import mylib\nc = model.predict_classes(x)\n", level="tf2")


def test_the_rewrites_give_keras_2s_classes_and_history_on_keras_3():
    pytest.importorskip("tensorflow")
    import numpy as np

    cells = ['''
import numpy as np
import tensorflow as tf
tf.keras.utils.set_random_seed(0)
x = np.random.RandomState(0).rand(64, 3).astype("float32")
y = (x[:, 0] > 0.5).astype("int32")
binary = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(1, activation="sigmoid")])
multi = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(3, activation="softmax")])
binary.compile("adam", "binary_crossentropy", metrics=["accuracy"])
multi.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
h = binary.fit(x, y, epochs=2, validation_split=0.25, verbose=0)
''', '''
curve, val_curve = h.history["acc"], h.history["val_acc"]
binary_classes = binary.predict_classes(x)
multi_classes = multi.predict_classes(x, batch_size=16)
multi_scores = multi.predict_proba(x)
''']
    context = NotebookContext.from_cells(cells)
    source = "\n".join(migrate(cell, level="tf2", context=context).source for cell in cells)
    assert "predict_classes" not in source and '"acc"' not in source
    scope = {}
    exec(source, scope)
    assert len(scope["curve"]) == len(scope["val_curve"]) == 2
    binary_probabilities = scope["binary"].predict(scope["x"], verbose=0)
    assert scope["binary_classes"].dtype == np.int32 and scope["binary_classes"].shape == (64, 1)
    assert (scope["binary_classes"] == (binary_probabilities > 0.5)).all()
    assert (scope["multi_classes"] == scope["multi_scores"].argmax(axis=-1)).all()
    assert scope["multi_scores"].shape == (64, 3)
