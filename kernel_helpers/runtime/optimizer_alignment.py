"""Rounding alignment: Keras 3's Adam computes its step with TF1's ``AdamOptimizer`` arithmetic.

The lifting turns ``tf.train.AdamOptimizer`` into ``tf.keras.optimizers.Adam(epsilon=1e-8)``: the same algorithm
and hyperparameters, and what a person would write.  Its float32 results still differ from TF1's in the last bits,
for two reasons:

* Keras computes ``1 - beta_1`` in Python's double and rounds the result to float32; TF1 subtracts in float32
  (``1 - 0.9f``).  The two differ by about 1e-8 absolute, 1.3e-5 relative for ``1 - 0.999``;
* Keras raises ``beta`` to the step number with ``pow``; TF1 keeps running products (``beta1_power *= beta1``).

Over a few hundred steps, training amplifies those bits (dropout and argmax more so), so ``--verify`` would report
a drift that says nothing about the migration.  While this alignment is installed, ``Adam.update_step`` uses TF1's
kernel (tensorflow/core/kernels/training_ops.cc, ``ApplyAdam``) and the optimizer keeps TF1's running beta powers.
Over 300 steps it then gives TF1's numbers to the bit on CPU (tests/runtime/test_optimizer_alignment.py).

Only ``--verify`` installs it, in the migrated side's own kernel before the first cell, so every step of every Adam
goes through it.  Compare does not: it runs single cells in the user's kernel, where an optimizer may also step
without the alignment, and its running powers would then fall behind.  An optimizer built while the alignment was not
installed keeps Keras's arithmetic (it has no running powers), and so does ``amsgrad``, which TF1 did not have.
"""

from __future__ import annotations

import threading

__all__ = ["install", "installed", "uninstall"]

_lock = threading.RLock()
_originals: dict[str, object] = {}
_POWERS = "_tf2_migrate_tf1_beta_powers"


def _original(name: str):
    found = _originals.get(name)
    return found if found is not None else getattr(super(_adam_class(), _adam_class()), name)


def _adam_class():
    from keras.src.optimizers.adam import Adam

    return Adam


def _build(self, var_list):
    was_built = self.built
    _original("build")(self, var_list)
    if was_built or self.amsgrad or getattr(self, _POWERS, None) is not None:
        return
    from keras import initializers

    # TF1 starts each power at beta (the power after the first step) and multiplies after every step.
    setattr(self, _POWERS, tuple(
        self.add_variable((), initializer=initializers.Constant(beta), dtype="float32", name=name)
        for beta, name in ((self.beta_1, "tf1_beta_1_power"), (self.beta_2, "tf1_beta_2_power"))))


def _update_step(self, gradient, variable, learning_rate):
    powers = getattr(self, _POWERS, None)
    if powers is None:
        return _original("update_step")(self, gradient, variable, learning_rate)
    import tensorflow as tf

    dtype = variable.dtype
    one = tf.constant(1, dtype)
    beta_1, beta_2 = tf.cast(self.beta_1, dtype), tf.cast(self.beta_2, dtype)
    beta_1_power, beta_2_power = (tf.cast(power, dtype) for power in powers)
    gradient = tf.cast(gradient, dtype)
    index = self._get_variable_index(variable)
    m, v = self._momentums[index], self._velocities[index]
    # ApplyAdam's order of operations, each in the variable's dtype.
    alpha = tf.cast(learning_rate, dtype) * tf.sqrt(one - beta_2_power) / (one - beta_1_power)
    m.assign_add((gradient - m) * (one - beta_1))
    v.assign_add((tf.square(gradient) - v) * (one - beta_2))
    variable.assign_sub((m * alpha) / (tf.sqrt(v) + tf.cast(self.epsilon, dtype)))


def _apply(self, grads, trainable_variables=None):
    result = _original("apply")(self, grads, trainable_variables)
    powers = getattr(self, _POWERS, None)
    if powers is not None and len(grads):
        # After every variable's update, as TF1's _finish did.
        for power, beta in zip(powers, (self.beta_1, self.beta_2)):
            power.assign(power * beta)
    return result


def install() -> None:
    """Give Keras's Adam TF1's arithmetic (idempotent)."""
    with _lock:
        if _originals:
            return
        adam = _adam_class()
        for name, replacement in (("build", _build), ("update_step", _update_step), ("apply", _apply)):
            # None: inherited, so uninstall deletes the class attribute again
            _originals[name] = adam.__dict__.get(name)
            setattr(adam, name, replacement)


def uninstall() -> None:
    """Put Keras's own methods back; optimizers built meanwhile keep their powers but no longer read them."""
    with _lock:
        if not _originals:
            return
        adam = _adam_class()
        for name, original in _originals.items():
            if original is None:
                delattr(adam, name)
            else:
                setattr(adam, name, original)
        _originals.clear()


def installed() -> bool:
    return bool(_originals)
