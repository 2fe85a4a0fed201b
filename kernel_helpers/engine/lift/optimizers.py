"""TF1 ``tf.train.*Optimizer`` constructors as Keras 3 optimizers with the same numerics.

Keras changed several defaults (epsilon 1e-7 everywhere), so the TF1 values are passed explicitly where the
two differ. Checked numerically against ``tf.compat.v1.train`` in a graph (tests/lift/test_optimizer_numerics.py):
SGD, momentum, Nesterov, Adam, Adagrad, Adadelta and RMSProp agree to float32 rounding (close, not bitwise:
at most 2.4e-7 after 8 steps on values of order 1). RMSProp needs a small subclass: TF1 starts its mean-square
accumulator at 1.0 and Keras at 0.0, which no constructor argument changes (3e-2 apart after 8 steps).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from .model import NotLiftable


@dataclass(frozen=True)
class OptimizerMap:
    keras: str
    #: TF1 parameters in positional order
    params: tuple[str, ...]
    #: TF1 parameter -> Keras keyword (None: dropped)
    keywords: dict
    #: Keras keyword -> TF1 default to pass when the call leaves it out (Keras' default differs)
    tf1_defaults: dict
    #: TF1 parameters that must be given (no default)
    required: tuple[str, ...] = ()
    #: the notebook's own subclass of the Keras optimizer, where no argument gives TF1's numerics (SUBCLASSES)
    subclass: str | None = None


_DROPPED = {"use_locking": None, "name": None}

OPTIMIZERS = {
    "train.GradientDescentOptimizer": OptimizerMap(
        "SGD", ("learning_rate", "use_locking", "name"),
        {"learning_rate": "learning_rate", **_DROPPED}, {}, ("learning_rate",)),
    "train.MomentumOptimizer": OptimizerMap(
        "SGD", ("learning_rate", "momentum", "use_locking", "name", "use_nesterov"),
        {"learning_rate": "learning_rate", "momentum": "momentum", "use_nesterov": "nesterov", **_DROPPED},
        {}, ("learning_rate", "momentum")),
    "train.AdamOptimizer": OptimizerMap(
        "Adam", ("learning_rate", "beta1", "beta2", "epsilon", "use_locking", "name"),
        {"learning_rate": "learning_rate", "beta1": "beta_1", "beta2": "beta_2", "epsilon": "epsilon",
         **_DROPPED},
        {"epsilon": "1e-8"}),
    "train.AdagradOptimizer": OptimizerMap(
        "Adagrad", ("learning_rate", "initial_accumulator_value", "use_locking", "name"),
        {"learning_rate": "learning_rate", "initial_accumulator_value": "initial_accumulator_value",
         **_DROPPED},
        # TF1 divides by sqrt(accumulator) with no epsilon at all.
        {"epsilon": "0.0"}, ("learning_rate",)),
    "train.AdadeltaOptimizer": OptimizerMap(
        "Adadelta", ("learning_rate", "rho", "epsilon", "use_locking", "name"),
        {"learning_rate": "learning_rate", "rho": "rho", "epsilon": "epsilon", **_DROPPED},
        {"epsilon": "1e-8"}),
    "train.RMSPropOptimizer": OptimizerMap(
        "RMSprop", ("learning_rate", "decay", "momentum", "epsilon", "use_locking", "centered", "name"),
        {"learning_rate": "learning_rate", "decay": "rho", "momentum": "momentum", "epsilon": "epsilon",
         "centered": "centered", **_DROPPED},
        {"epsilon": "1e-10"}, ("learning_rate",), subclass="TF1RMSprop"),
}

#: subclass name -> its definition (``{tf}`` is the notebook's TensorFlow alias). Keras names RMSprop's mean
#: squares "velocity" when it makes them (keras/src/optimizers/rmsprop.py), and takes their initializer there.
SUBCLASSES = {
    "TF1RMSprop": '''class TF1RMSprop({tf}.keras.optimizers.RMSprop):
    """Keras RMSprop computing as TF1's RMSPropOptimizer: each mean square starts at 1.0, not 0.0, and is updated
    with TF1's formula, so an uncentered step gives TF1's numbers to the bit."""

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        return super().add_optimizer_variables(trainable_variables, name,
                                               "ones" if name == "velocity" else initializer)

    def update_step(self, gradient, variable, learning_rate):
        if self.centered:
            return super().update_step(gradient, variable, learning_rate)
        index = self._get_variable_index(variable)  # Keras's own slots: the mean squares are its "velocities"
        mean_square = self._velocities[index]
        gradient = {tf}.cast(gradient, variable.dtype)
        # TF1's kernel: ms += (g^2 - ms) * (1 - rho); Keras's rho * ms + (1 - rho) * g^2 rounds differently.
        mean_square.assign_add(({tf}.square(gradient) - mean_square) * (1 - {tf}.cast(self.rho, variable.dtype)))
        increment = {tf}.cast(learning_rate, variable.dtype) * gradient / {tf}.sqrt(mean_square + self.epsilon)
        if self.momentum > 0:
            moment = self._momentums[index]
            moment.assign(self.momentum * moment + increment)
            increment = moment
        variable.assign_sub(increment)''',
}


def is_optimizer(api: str) -> bool:
    return api.startswith("train.") and api.endswith("Optimizer")


def keras_optimizer(api: str, call: ast.Call, segment, tf: str, cell: int) -> str:
    """Source of the Keras optimizer equivalent to the TF1 constructor ``call``."""
    spec = OPTIMIZERS.get(api)
    if spec is None:
        raise NotLiftable(f"`tf.{api}` has no Keras optimizer the lifting knows to be numerically the same",
                          cell, call)
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise NotLiftable("the optimizer's arguments are unpacked with * or **", cell, call)
    if len(call.args) > len(spec.params):
        raise NotLiftable("the optimizer has more positional arguments than TF1 accepted", cell, call)
    given = dict(zip(spec.params, call.args))
    for keyword in call.keywords:
        if keyword.arg not in spec.keywords:
            raise NotLiftable(f"the optimizer's `{keyword.arg}` argument has no Keras equivalent", cell, call)
        given[keyword.arg] = keyword.value
    missing = [p for p in spec.required if p not in given]
    if missing:
        raise NotLiftable(f"the optimizer is missing `{missing[0]}`", cell, call)
    arguments = []
    passed = set()
    for param in spec.params:
        if param not in given or spec.keywords[param] is None:
            continue
        keyword = spec.keywords[param]
        text = segment(given[param])
        # A bare learning rate stays positional, as the user wrote it and as both APIs accept it.
        if param == "learning_rate" and param not in {k.arg for k in call.keywords} and spec.params[0] == param \
                and spec.keras in ("SGD", "Adagrad"):
            arguments.append(text)
        else:
            arguments.append(f"{keyword}={text}")
        passed.add(keyword)
    for keyword, default in spec.tf1_defaults.items():
        if keyword not in passed:
            arguments.append(f"{keyword}={default}")
    constructor = spec.subclass or f"{tf}.keras.optimizers.{spec.keras}"
    return f"{constructor}({', '.join(arguments)})"


def subclass_definition(text: str, tf: str) -> str | None:
    """The class a translated constructor ``text`` needs defined first, or None."""
    name = text.split("(", 1)[0]
    return SUBCLASSES[name].format(tf=tf) if name in SUBCLASSES else None
