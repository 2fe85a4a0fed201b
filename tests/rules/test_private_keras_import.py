"""TFM902: imports from TensorFlow's private Keras copy come from the public tensorflow.keras."""

import pytest

from helpers import assert_migrates, codes, migrated

# The imports the Hvass-Labs tutorials open with, which fail on TF 2.21 as written.
IMPORTS = """
    from tensorflow.python.keras.models import Sequential, Model, load_model
    from tensorflow.python.keras.layers import Input, Dense, GRU, Embedding, InputLayer, Reshape, MaxPooling2D
    from tensorflow.python.keras.optimizers import Adam, RMSprop
    from tensorflow.python.keras.applications import VGG16
    from tensorflow.python.keras.preprocessing.text import Tokenizer
    from tensorflow.python.keras.preprocessing.sequence import pad_sequences
    from tensorflow.python.keras import backend as K
"""


def test_the_module_becomes_public_and_the_names_stay():
    assert_migrates(IMPORTS, IMPORTS.replace("tensorflow.python.keras", "tensorflow.keras"))


def test_an_import_of_a_name_tf2_does_not_export_is_left_to_tfm901():
    source = "from tensorflow.python.keras.layers import Dense, CuDNNGRU\n"
    assert migrated(source) == source
    assert "TFM901" in codes(source) and "TFM902" not in codes(source)


def test_the_rewritten_imports_import_on_tf2():
    pytest.importorskip("tensorflow")
    namespace = {}
    exec(migrated(IMPORTS), namespace)
    assert namespace["GRU"].__module__.startswith("keras")
    assert callable(namespace["pad_sequences"]) and hasattr(namespace["K"], "clear_session")


def test_other_cells_read_the_names_as_the_public_keras_in_the_same_migration():
    """The rewritten import's names resolve as tf.keras's at once, so the Keras 3 rules reach their uses in one
    migration (a second one changes nothing)."""
    from kernel_helpers.engine.context import NotebookContext
    from kernel_helpers.engine.lift import lift_notebook, migrate_lifted

    cells = ["import tensorflow as tf\nfrom tensorflow.python.keras.optimizers import Adam\n",
             "optimizer = Adam(lr=1e-3)\n"]
    context = NotebookContext.from_cells(cells)
    first = [migrate_lifted(lift, context=context).source for lift in lift_notebook(cells, context)]
    assert first == ["import tensorflow as tf\nfrom tensorflow.keras.optimizers import Adam\n",
                     "optimizer = Adam(learning_rate=1e-3)\n"]
    context = NotebookContext.from_cells(first)
    assert [migrate_lifted(lift, context=context).source for lift in lift_notebook(first, context)] == first
