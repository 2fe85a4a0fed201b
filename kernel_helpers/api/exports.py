"""TensorFlow's own export metadata: which API names an object or a constant was exported under.

``@tf_export("math.log", v1=["math.log", "log"])`` stores the names on the undecorated object as
``_tf_api_names`` (TF2) and ``_tf_api_names_v1`` (TF1). Constants cannot carry attributes, so
``tf_export(...).export_constant(module, "NAME")`` appends ``(names, "NAME")`` to the defining
module's ``_tf_api_constants`` / ``_tf_api_constants_v1``. Keras's own export names are ignored on
purpose: with Keras 3 they describe a different package than ``tf.keras``.
"""

from __future__ import annotations

import sys

# Names under __internal__ are TensorFlow's private plumbing, never user-facing.
_PRIVATE_MARKER = "__internal__"


def _tf_attributes():
    from tensorflow.python.util import tf_export

    api = tf_export.TENSORFLOW_API_NAME
    return tf_export.API_ATTRS[api], tf_export.API_ATTRS_V1[api]


def _names(obj, attribute: str) -> list[str]:
    try:
        own = vars(obj)
    except TypeError:
        return []
    # Only the object's own dict: a subclass must not inherit its base class's export names.
    names = own.get(attribute) or ()
    return [name for name in names if _PRIVATE_MARKER not in name]


def tf_v1_names(undecorated) -> list[str]:
    _, v1 = _tf_attributes()
    return _names(undecorated, v1.names)


def tf_v2_names(undecorated) -> list[str]:
    v2, _ = _tf_attributes()
    return _names(undecorated, v2.names)


def constant_exports() -> dict[str, list[str]]:
    """``{v1 constant name: [v2 names of the same constant]}`` for every exported constant."""
    v2_attrs, v1_attrs = _tf_attributes()
    result: dict[str, list[str]] = {}
    for module in list(sys.modules.values()):
        try:
            own = vars(module)
        except Exception:  # lazy loaders in sys.modules may refuse attribute access
            continue
        v1_entries = own.get(v1_attrs.constants)
        if not isinstance(v1_entries, list):
            continue
        v2_by_attr: dict[str, list[str]] = {}
        for names, attr in own.get(v2_attrs.constants) or ():
            v2_by_attr.setdefault(attr, []).extend(names)
        for names, attr in v1_entries:
            for name in names:
                if _PRIVATE_MARKER not in name:
                    result.setdefault(name, []).extend(v2_by_attr.get(attr, ()))
    return result
