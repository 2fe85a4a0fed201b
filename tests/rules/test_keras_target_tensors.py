"""TFM315: a placeholder that only declares a Keras model's targets goes with the `target_tensors` argument."""

from helpers import dedent, migrated

MODEL = dedent("""
    import tensorflow as tf
    from tensorflow.keras.layers import Input, Dense
    from tensorflow.keras.models import Model
    inputs = Input(shape=(4,))
    model = Model(inputs=inputs, outputs=Dense(3)(inputs))
""")


def migrated_cells(cells):
    from kernel_helpers.engine.context import NotebookContext
    from kernel_helpers.engine.lift import lift_notebook, migrate_lifted

    context = NotebookContext.from_cells(cells)
    return [migrate_lifted(lift, context=context) for lift in lift_notebook(cells, context)]


def test_the_argument_and_the_placeholder_go_across_cells():
    cells = [MODEL, "target = tf.placeholder(dtype='int32', shape=(None,))\n",
             "model.compile(target_tensors=[target], optimizer='adam', loss='sparse_categorical_crossentropy')\n"
             "model.fit(x=xs, y=ys)\n"]
    result = migrated_cells(cells)
    assert result[1].source == ""
    assert result[2].source.startswith("model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n")
    assert all("compat" not in r.source and "placeholder" not in r.source for r in result)


def test_a_placeholder_used_elsewhere_too_keeps_the_notebook_to_the_lifting():
    result = migrated(MODEL + dedent("""
        target = tf.placeholder(dtype='int32', shape=(None,))
        model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', target_tensors=[target])
        doubled = target * 2
    """), level="tf2")
    assert "target_tensors=[target]" in result
