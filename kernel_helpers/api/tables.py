"""Read the generated TF API tables (``tf_api.json``) without importing TensorFlow.

Every name is relative to the TensorFlow root: ``"log"`` means ``tf.log`` in TF1 (``tf.compat.v1.log``
in TF2), ``"math.log"`` means ``tf.math.log``. The JSON is produced by
``python -m kernel_helpers.api.generate`` and never edited by hand.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

_COMPAT_V1 = "compat.v1."
_COMPAT_V2 = "compat.v2."


def _prefixes(dotted: str):
    """``"a.b.c"`` -> ``"a.b.c"``, ``"a.b"``, ``"a"`` (longest first)."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        yield ".".join(parts[:end])


class ApiTables:
    """Lookups over one generated table document. Get the shared instance with :func:`tables`."""

    def __init__(self, document: dict):
        kinds = document["kinds"]
        self.tensorflow_version: str = document["tensorflow_version"]
        self.keras_version: str | None = document.get("keras_version")
        self._targets = {name: entry[0] for name, entry in document["symbols"].items()}
        self._kinds = {name: kinds[entry[1]] for name, entry in document["symbols"].items()}
        self._v2 = frozenset(document["v2"])
        self._passthrough = tuple(sorted(document["passthrough"]))
        self._legacy = frozenset(document["legacy_keras"])
        self._different = frozenset(document["different_object"])
        self._renames = document["keyword_renames"]
        self._removed = {name: frozenset(words) for name, words in document["removed_keywords"].items()}
        self._reorders = document["reorders"]

    # -- symbols -----------------------------------------------------------------------------

    def _passthrough_prefix(self, name: str) -> str | None:
        for prefix in self._passthrough:
            if name.startswith(prefix + "."):
                return prefix
        return None

    def v1_target(self, name: str) -> str | None:
        """Where a TF1 name lives in TF2: ``"log"`` -> ``"math.log"``, ``"placeholder"`` ->
        ``"compat.v1.placeholder"``; ``None`` for a name TF1 never had (or that TF 2.x removed)."""
        target = self._targets.get(name)
        if target is None and self._passthrough_prefix(name):
            return name  # keras.X and raw_ops.X keep their names
        return target

    def v1_kind(self, name: str) -> str | None:
        """``"module"``, ``"class"``, ``"function"`` or ``"constant"``; ``None`` when not listed."""
        return self._kinds.get(name)

    def in_v1(self, name: str) -> bool:
        return name in self._targets or self._passthrough_prefix(name) is not None

    def in_v2(self, name: str) -> bool:
        """Whether ``tf.<name>`` exists in TF2 (with Keras 3, without ``TF_USE_LEGACY_KERAS``)."""
        if name in self._v2:
            return True
        if name.startswith(_COMPAT_V1):
            rest = name[len(_COMPAT_V1):]
            return self.in_v1(rest) and not self.needs_legacy_keras(rest)
        if name.startswith(_COMPAT_V2):
            return self.in_v2(name[len(_COMPAT_V2):])
        if self._passthrough_prefix(name) is None:
            return False
        # A listed keras name (or one under it) is a TF1 Keras name that Keras 3 dropped.
        return not self.under_legacy_keras(name)

    def needs_legacy_keras(self, name: str) -> bool:
        """True for TF1 names served only by ``tf_keras`` with ``TF_USE_LEGACY_KERAS=1``
        (``layers.dense``, ``nn.rnn_cell.LSTMCell``, ``keras.utils.track_tf1_style_variables``)."""
        return name in self._legacy

    def under_legacy_keras(self, name: str) -> bool:
        """``needs_legacy_keras`` for the name or a module it is in (``layers.dense.__call__``, ``nn.rnn_cell.X``)."""
        return any(prefix in self._legacy for prefix in _prefixes(name))

    def is_successor(self, name: str) -> bool:
        """True when ``v1_target(name)`` is a different object than TF1's, adapted by the keyword
        tables (``reduce_sum``, ``nn.dropout``, ``image.resize_images``). Its behaviour may differ;
        ``compat.v1.<name>`` is always the exact TF1 object."""
        return name in self._different

    def longest_known_prefix(self, dotted: str) -> str | None:
        """The longest leading part of ``dotted`` that is a listed TF1 name:
        ``"nn.rnn_cell.LSTMCell.zero_state"`` -> ``"nn.rnn_cell.LSTMCell"``."""
        for prefix in _prefixes(dotted):
            if prefix in self._targets:
                return prefix
        return None

    def v1_names(self) -> frozenset[str]:
        return frozenset(self._targets)

    def v2_names(self) -> frozenset[str]:
        return self._v2

    # -- call sites --------------------------------------------------------------------------

    def keyword_renames(self, name: str) -> dict[str, str]:
        """``{old_keyword: new_keyword}`` for a call of the TF1 function ``name`` moved to its TF2 target."""
        return {old: new for old, (new, _) in self._renames.get(name, {}).items()}

    def keyword_rename_sources(self, name: str) -> dict[str, str]:
        """``{old_keyword: "deprecation" | "upgrade_script"}``: where each rename was learnt."""
        return {old: source for old, (_, source) in self._renames.get(name, {}).items()}

    def removed_keywords(self, name: str) -> frozenset[str]:
        """Keywords of the TF1 signature that the TF2 target neither has nor renames."""
        return self._removed.get(name, frozenset())

    def reorder(self, name: str) -> tuple[str, ...] | None:
        """The TF1 positional parameter names when positional arguments would bind differently in TF2."""
        entry = self._reorders.get(name)
        return tuple(entry["params"]) if entry else None

    def reorder_first_changed(self, name: str) -> int | None:
        """Index of the first positional argument that binds differently (earlier ones may stay positional)."""
        entry = self._reorders.get(name)
        return entry["first_changed"] if entry else None


def default_path() -> Path:
    return Path(__file__).with_name("tf_api.json")


def load_tables(path: str | Path) -> ApiTables:
    """Tables from a specific file (uncached; the generator's check and tests use it)."""
    with open(path, encoding="utf-8") as handle:
        return ApiTables(json.load(handle))


@functools.cache
def tables() -> ApiTables:
    """The tables shipped with the package, read once per process."""
    return load_tables(default_path())
