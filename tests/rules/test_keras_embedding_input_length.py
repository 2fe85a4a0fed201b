"""TFM314: an Embedding with input_length as a model's first layer gets an Input, so Keras 3 builds the model."""

import pytest

from helpers import migrated

HVASS = """\
from tensorflow.python.keras.models import Sequential
from tensorflow.python.keras.layers import Dense, GRU, Embedding
model = Sequential()
model.add(Embedding(input_dim=num_words,
                    output_dim=embedding_size,
                    input_length=max_tokens,
                    name='layer_embedding'))
model.add(GRU(units=4))
"""


def test_an_added_embedding_from_imported_names_gets_an_input_with_the_tensorflow_import():
    assert migrated(HVASS, level="tf2") == """\
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense, GRU, Embedding
import tensorflow as tf
model = Sequential()
model.add(tf.keras.Input(shape=(max_tokens,)))
model.add(Embedding(input_dim=num_words,
                    output_dim=embedding_size,
                    name='layer_embedding'))
model.add(GRU(units=4))
"""


@pytest.mark.parametrize("source", [
    "import tensorflow as tf\nlayer = tf.keras.layers.Embedding(10, 4, input_length=5)\n",
    "import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(3), tf.keras.layers.Embedding(10, 4, "
    "input_length=5)])\n",
    "import mylib\nmodel.add(mylib.Embedding(10, 4, input_length=5))\n",
])
def test_an_embedding_that_is_not_a_first_layer_is_left_alone(source):
    assert migrated(source, level="tf2") == source


def test_the_migrated_models_are_built_on_keras_3_with_keras_2s_shapes():
    pytest.importorskip("tensorflow")
    source = migrated("""\
import tensorflow as tf
added = tf.keras.Sequential()
added.add(tf.keras.layers.Embedding(100, 8, input_length=12))
added.add(tf.keras.layers.GlobalAveragePooling1D())
listed = tf.keras.Sequential([tf.keras.layers.Embedding(100, 8, input_length=12), tf.keras.layers.Flatten(),
                              tf.keras.layers.Dense(1)])
""", level="tf2")
    scope = {}
    exec(source, scope)
    assert scope["added"].built and scope["added"].count_params() == 800
    assert scope["listed"].built and scope["listed"].count_params() == 800 + 12 * 8 + 1
    assert scope["listed"].output_shape == (None, 1)
