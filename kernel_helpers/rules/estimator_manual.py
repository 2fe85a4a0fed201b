"""TFM699 estimator-not-rewritten."""

from __future__ import annotations

from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import NotebookRule, register

_GUIDE = "https://www.tensorflow.org/guide/migrate/migrating_estimator"


@register
class EstimatorManual(NotebookRule):
    """Estimator code the Keras rewrite cannot prove: left as it is, with the reason.

    ## What it does
    Reported by the estimator rewrite (TFM600-TFM603) on the cell that stops it: a custom `model_fn` it cannot
    read into a Keras model (several optimizers, hooks, metrics without a Keras twin, ...), `train_and_evaluate`, wide & deep and boosted-tree estimators,
    embedding/crossed/hashed columns, weight columns, label vocabularies, hooks, `max_steps`, `RunConfig`
    settings beyond the seed and checkpoint cadence, an estimator used in a way the rewrite does not follow.
    Nothing in the notebook is rewritten to Keras then.

    ## Why
    Guessing how a training program maps onto Keras would produce code that runs and trains something else.

    ## Example
    ```python
    import tensorflow as tf
    def model_fn(features, labels, mode):
        return tf.estimator.EstimatorSpec(mode, predictions=features["x"])
    model = tf.estimator.Estimator(model_fn=model_fn)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    def model_fn(features, labels, mode):
        return tf.estimator.EstimatorSpec(mode, predictions=features["x"])
    model = tf.estimator.Estimator(model_fn=model_fn)
    ```

    ## Fix safety
    No fix: the message says what stopped the rewrite; migrate that part by hand (see the guide).
    """

    code = "TFM699"
    name = "estimator-not-rewritten"
    doc = _GUIDE
    applicability = Applicability.MANUAL
