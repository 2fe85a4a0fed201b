"""Choosing one TF2 name when an object has several (pure functions, no TensorFlow)."""

from __future__ import annotations

COMPAT_V1 = "compat.v1."


def compat_v1_name(v1_name: str) -> str:
    return COMPAT_V1 + v1_name


def _last(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _shortness(name: str) -> tuple[int, int, str]:
    # Fewest dots first (tf.math.log over tf.compat.whatever.log), then fewest characters,
    # then alphabetical so that the choice never depends on dict or walk order.
    return (name.count("."), len(name), name)


def canonical_v2_name(v1_name: str, candidates) -> str:
    """The TF2 name a TF1 name should be rewritten to.

    1. the v1 name itself when it is one of the candidates (``reduce_sum`` stays ``reduce_sum``);
    2. else the shortest candidate with the same last component (``log`` -> ``math.log``: a
       module move keeps the function's own name, which readers recognise);
    3. else the shortest candidate (``random_normal`` -> ``random.normal``).
    """
    candidates = sorted(set(candidates))
    if not candidates:
        raise ValueError(f"no TF2 candidates for {v1_name!r}")
    if v1_name in candidates:
        return v1_name
    same_last = [name for name in candidates if _last(name) == _last(v1_name)]
    return min(same_last or candidates, key=_shortness)
