"""TFM311: Keras 2's fit_generator/evaluate_generator/predict_generator become fit/evaluate/predict."""

import pytest

from helpers import assert_migrates, codes, migrated


def test_the_methods_take_the_generator_and_lose_the_loading_thread_settings():
    assert_migrates("""
        import tensorflow as tf
        history = model.fit_generator(generator=batches, steps_per_epoch=100, epochs=5, workers=4)
        model.fit_generator(gen, epochs=2, use_multiprocessing=True, max_queue_size=3, callbacks=cbs)
        result = model.evaluate_generator(workers=2, generator=gen)
    """, """
        import tensorflow as tf
        history = model.fit(x=batches, steps_per_epoch=100, epochs=5)
        model.fit(gen, epochs=2, callbacks=cbs)
        result = model.evaluate(x=gen)
    """, level="tf2")


def test_positional_arguments_after_the_generator_are_only_reported():
    source = "import tensorflow as tf\np = model.predict_generator(gen, 10)\n"
    assert migrated(source, level="tf2") == source
    assert "TFM311" in codes(source, level="tf2")


def test_a_notebook_without_tensorflow_is_left_alone():
    source = "import mylib\nmodel.fit_generator(gen, epochs=2)\n"
    assert "TFM311" not in codes(source, level="tf2")


def test_the_rewritten_calls_train_and_evaluate_on_keras_3():
    pytest.importorskip("tensorflow")
    source = migrated("""
        import numpy as np
        import tensorflow as tf
        def batches():
            rng = np.random.RandomState(0)
            while True:
                x = rng.rand(8, 3).astype("float32")
                yield x, x.sum(axis=1, keepdims=True)
        model = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        history = model.fit_generator(generator=batches(), steps_per_epoch=5, epochs=2, verbose=0, workers=2)
        loss = model.evaluate_generator(batches(), steps=2, verbose=0, max_queue_size=4)
    """, level="tf2")
    assert "_generator(" not in source
    namespace = {}
    exec(source, namespace)
    assert len(namespace["history"].history["loss"]) == 2 and namespace["loss"] > 0
