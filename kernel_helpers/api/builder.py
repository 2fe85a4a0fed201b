"""Turn the TF1 and TF2 API walks into the generated tables.

Resolution of one TF1 name (relative to ``tf.compat.v1``), first rule that applies:

1. a module keeps its name when TF2 has a TensorFlow module of that name (``nn``, ``train``), else
   it goes to ``compat.v1.<name>`` (``gfile``, ``layers``; ``losses`` too, because ``tf.losses`` in
   TF2 is Keras and would silently change meaning);
2. an object exported to TF2 (``_tf_api_names``) goes to its canonical TF2 name (see ``naming``);
3. a TF1-only object whose name TF2 gave to a *successor* (a different object that TensorFlow
   exports under that very name) goes to the successor when a call can be carried over by keyword
   edits (``signatures.is_drop_in``; always for classes, whose constructors users rarely call):
   ``reduce_sum``'s v1 wrapper -> ``reduce_sum``, ``image.resize_images`` -> ``image.resize``;
   these pairs get keyword renames, removed keywords and reorders;
4. everything else goes to ``compat.v1.<name>`` (``placeholder``, ``summary.scalar``: TF2's
   ``summary.scalar`` needs ``data`` where TF1 passed ``tensor``, and a default writer and step).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from . import exports, naming, signatures
from .walker import CLASS, CONSTANT, MODULE, ApiWalker, Symbol, unwrap

KIND_CODES = {"class": "c", "constant": "k", "function": "f", "module": "m"}
PASSTHROUGH = ("keras", "raw_ops")
SKIPPED = ("compat.v1", "compat.v2")
DEPRECATION = "deprecation"
UPGRADE_SCRIPT = "upgrade_script"


@dataclass
class Pair:
    """A TF1 name rewritten to a different TF2 object."""

    v1_name: str
    target: str
    old: signatures.Params | None
    new: signatures.Params | None
    renames: dict[str, tuple[str, str]] = field(default_factory=dict)  # old kw -> (new kw, source)
    # False only for upgrade-script renames of a deprecated alias on an unchanged function.
    different_object: bool = True


def _under(name: str, prefixes) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _resolve_path(root, dotted: str):
    obj = root
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


class TableBuilder:
    def __init__(self, tf, legacy):
        self._tf = tf
        self._legacy = legacy
        self.stats: dict = {}
        self._script = _UpgradeScript.load()

    # -- walks -------------------------------------------------------------------------------

    def tables(self) -> dict:
        tf = self._tf
        walker = ApiWalker(
            os.path.join(os.path.dirname(tf.__file__), "_api"),
            skip=SKIPPED,
            opaque=("raw_ops",),
            opaque_with_children=("keras",),
        )
        v1 = walker.walk(tf.compat.v1)
        v2 = walker.walk(tf)
        self._v2 = v2.symbols
        self._v2_names = set(v2.symbols) | set(SKIPPED)
        self._by_identity: dict[int, list[str]] = {}
        for name, symbol in v2.symbols.items():
            if symbol.kind != MODULE and symbol.kind != CONSTANT:
                self._by_identity.setdefault(id(unwrap(symbol.obj)), []).append(name)
        self._constants = exports.constant_exports()

        symbols: dict[str, list[str]] = {}
        pairs: list[Pair] = []
        for name, symbol in sorted(v1.symbols.items()):
            target, pair = self._resolve(name, symbol)
            symbols[name] = [target, KIND_CODES[symbol.kind]]
            if pair is not None:
                pairs.append(pair)
        legacy_names = self._add_legacy(symbols, v1.unreadable)
        self._add_script_renames(symbols, pairs)

        keyword_renames, removed, reorders = {}, {}, {}
        for pair in pairs:
            if pair.renames:
                keyword_renames[pair.v1_name] = {old: list(new) for old, new in sorted(pair.renames.items())}
            if pair.old is None or pair.new is None or not pair.different_object:
                continue
            plain = {old: new for old, (new, _) in pair.renames.items()}
            gone = signatures.removed_keywords(pair.old, pair.new, plain)
            if gone:
                removed[pair.v1_name] = sorted(gone)
            first = signatures.first_changed_position(pair.old, pair.new, plain)
            if first is not None:
                reorders[pair.v1_name] = {"params": list(pair.old.positional), "first_changed": first}
        self._add_script_reorders(symbols, reorders)

        self._collect_stats(symbols, legacy_names, keyword_renames, removed, reorders)
        self.stats["successors"] = sum(pair.different_object for pair in pairs)
        self.stats["successors_without_signatures"] = sorted(
            pair.v1_name for pair in pairs if pair.different_object and (pair.old is None or pair.new is None)
        )
        return {
            "format": 1,
            "generated_by": "python -m kernel_helpers.api.generate",
            "tensorflow_version": tf.__version__,
            "keras_version": self._keras_version(),
            "tf_keras_version": self._tf_keras_version,
            "kinds": {code: kind for kind, code in KIND_CODES.items()},
            "passthrough": {
                "keras": "tf.keras.X and tf.compat.v1.keras.X are Keras in both APIs (Keras 3 unless "
                "TF_USE_LEGACY_KERAS=1); only the top module, its direct submodules and the TF1 Keras "
                "names that Keras 3 lacks are listed.",
                "raw_ops": "tf.raw_ops.X is the same generated op wrapper in TF1 and TF2; members are not listed.",
            },
            "legacy_keras": sorted(legacy_names),
            "symbols": symbols,
            "different_object": sorted(pair.v1_name for pair in pairs if pair.different_object),
            "keyword_renames": keyword_renames,
            "removed_keywords": removed,
            "reorders": reorders,
            "v2": sorted(self._v2_names),
        }

    # -- resolution --------------------------------------------------------------------------

    def _resolve(self, name: str, symbol: Symbol) -> tuple[str, Pair | None]:
        if symbol.kind == MODULE:
            return self._module_target(name), None
        if symbol.kind == CONSTANT:
            return self._constant_target(name, symbol.obj), None
        undecorated = unwrap(symbol.obj)
        same_object = [n for n in exports.tf_v2_names(undecorated) if n in self._v2_names]
        same_object = same_object or self._by_identity.get(id(undecorated), [])
        if same_object:
            return naming.canonical_v2_name(name, same_object), None
        pair = self._successor(name, symbol, undecorated)
        if pair is not None:
            return pair.target, pair
        return naming.compat_v1_name(name), None

    def _module_target(self, name: str) -> str:
        if _under(name, PASSTHROUGH):
            return name
        module = self._v2.get(name)
        if module is not None and module.kind == MODULE and not _is_keras_module(module.obj):
            return name
        return naming.compat_v1_name(name)

    def _constant_target(self, name: str, value) -> str:
        exported = [n for n in self._constants.get(name, ()) if n in self._v2_names]
        if exported:
            return naming.canonical_v2_name(name, exported)
        same_place = self._v2.get(name)
        if same_place is not None and _same_constant(same_place.obj, value):
            return name
        return naming.compat_v1_name(name)

    def _successor(self, name: str, symbol: Symbol, undecorated) -> Pair | None:
        old = signatures.params_of(symbol.obj)
        candidates = []
        for candidate in dict.fromkeys([name, *exports.tf_v1_names(undecorated)]):
            successor = self._v2.get(candidate)
            if successor is None or successor.kind in (MODULE, CONSTANT):
                continue
            # Only TensorFlow's own export under that name is a successor: tf.losses.X in TF2 is a
            # Keras function with other arguments and other semantics than tf.compat.v1.losses.X.
            if candidate not in exports.tf_v2_names(unwrap(successor.obj)):
                continue
            new = signatures.params_of(successor.obj)
            pair = Pair(name, candidate, old, new)
            if old is not None and new is not None:
                pair.renames = self._renames(name, symbol.obj, old, new)
                plain = {o: n for o, (n, _) in pair.renames.items()}
                if symbol.kind != CLASS and not signatures.is_drop_in(old, new, plain):
                    continue
            candidates.append(pair)
        if not candidates:
            return None
        chosen = naming.canonical_v2_name(name, [pair.target for pair in candidates])
        return next(pair for pair in candidates if pair.target == chosen)

    def _renames(self, name, v1_obj, old: signatures.Params, new: signatures.Params) -> dict:
        """Keyword renames from TF's deprecation markers, then ``tf_upgrade_v2``'s checked by ``inspect``."""
        aliases = signatures.deprecated_aliases(v1_obj, new)
        renames = {o: (n, DEPRECATION) for o, n in sorted(aliases.items()) if o in old.named}
        for o, n in self._script_renames(name, old, new).items():
            renames.setdefault(o, (n, UPGRADE_SCRIPT))
        return renames

    def _script_renames(self, name, old: signatures.Params, new: signatures.Params) -> dict[str, str]:
        table = self._script.keyword_renames.get(name, {})
        return {o: n for o, n in sorted(table.items()) if n is not None and o in old.named and n in new.named}

    # -- legacy Keras ------------------------------------------------------------------------

    def _add_legacy(self, symbols: dict, unreadable: list[str]) -> set[str]:
        answer = self._legacy(sorted(unreadable))
        self._tf_keras_version = answer.get("tf_keras_version")
        self.stats["legacy_unreadable"] = answer.get("unreadable", [])
        added = set()
        for name, info in sorted(answer["symbols"].items()):
            if name in symbols:
                continue
            if _under(name, ("keras",)) and self._exists_in_keras3(name):
                continue
            exported = [n for n in info["v2"] if n in self._v2_names]
            target = naming.canonical_v2_name(name, exported) if exported else naming.compat_v1_name(name)
            symbols[name] = [target, KIND_CODES[info["kind"]]]
            added.add(name)
        return added

    def _exists_in_keras3(self, name: str) -> bool:
        try:
            _resolve_path(self._tf.compat.v1, name)
        except Exception:
            return False
        return True

    def _keras_version(self) -> str | None:
        try:
            import keras
        except ImportError:
            return None
        return keras.__version__

    # -- cross-check with tf_upgrade_v2 ------------------------------------------------------

    def _add_script_renames(self, symbols: dict, pairs: list[Pair]) -> None:
        """Upgrade-script renames for TF1 names whose TF2 target is the very same object.

        Such a function still accepts a deprecated alias next to its new keyword; renaming the alias
        is safe when ``inspect`` shows both on the one signature.
        """
        paired = {pair.v1_name for pair in pairs}
        for name in sorted(self._script.keyword_renames):
            if name in paired or name not in symbols or symbols[name][0].startswith(naming.COMPAT_V1):
                continue
            params = self._params_at(name)
            if params is None:
                continue
            renames = {o: (n, UPGRADE_SCRIPT) for o, n in self._script_renames(name, params, params).items()}
            if renames:
                pairs.append(Pair(name, symbols[name][0], params, params, renames, different_object=False))

    def _add_script_reorders(self, symbols: dict, reorders: dict) -> None:
        verified_additions = []
        for name, theirs in self._script.reorders.items():
            if name in reorders or name not in symbols or symbols[name][0].startswith(naming.COMPAT_V1):
                continue
            params = self._params_at(name)
            if params is None or len(theirs) != len(params.positional):
                continue
            if all(t is None or t == p for t, p in zip(theirs, params.positional, strict=True)):
                first = next(i for i, t in enumerate(theirs) if t is not None)
                reorders[name] = {"params": list(params.positional), "first_changed": first}
                verified_additions.append(name)
        self.stats["upgrade_script_reorders_added"] = sorted(verified_additions)

    def _params_at(self, v1_name: str) -> signatures.Params | None:
        try:
            return signatures.params_of(_resolve_path(self._tf.compat.v1, v1_name))
        except Exception:  # a lazily loaded name that cannot load in this Keras mode
            return None

    # -- statistics --------------------------------------------------------------------------

    def _collect_stats(self, symbols, legacy_names, keyword_renames, removed, reorders) -> None:
        stats = self.stats
        stats["v1_symbols"] = len(symbols)
        stats["v1_by_kind"] = _count(kind for _, kind in symbols.values())
        stats["v1_to_compat_v1"] = sum(target.startswith(naming.COMPAT_V1) for target, _ in symbols.values())
        stats["v1_to_itself"] = sum(target == name for name, (target, _) in symbols.items())
        stats["legacy_keras_names"] = len(legacy_names)
        stats["v2_names"] = len(self._v2_names)
        entries = [source for renames in keyword_renames.values() for _, source in renames.values()]
        stats["keyword_renames"] = {
            "functions": len(keyword_renames),
            "entries": len(entries),
            "by_source": _count(entries),
        }
        stats["removed_keywords"] = {"functions": len(removed), "entries": sum(map(len, removed.values()))}
        stats["reorders"] = len(reorders)
        stats["upgrade_script"] = self._script.compare(symbols, keyword_renames, removed, reorders)


def _count(items) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return dict(sorted(counts.items()))


def _is_keras_module(module) -> bool:
    name = getattr(module, "__name__", "") or ""
    return name.split(".")[0] in ("keras", "tf_keras")


def _same_constant(a, b) -> bool:
    if a is b:
        return True
    return type(a) is type(b) and isinstance(a, (str, int, float, bool, frozenset)) and a == b


@dataclass
class _UpgradeScript:
    """``tf_upgrade_v2``'s tables, keyed by our relative names (``"tf.argmax"`` -> ``"argmax"``)."""

    keyword_renames: dict[str, dict]
    reorders: dict[str, list]
    symbol_renames: dict[str, str]

    @classmethod
    def load(cls) -> _UpgradeScript:
        try:
            from tensorflow.tools.compatibility import tf_upgrade_v2
        except Exception:  # the wheel may be built without it; the cross-check is optional
            return cls({}, {}, {})
        spec = tf_upgrade_v2.TFAPIChangeSpec()

        def relative(table):
            return {key[3:]: value for key, value in sorted(table.items()) if key.startswith("tf.")}

        renames = {k: v[3:] for k, v in relative(spec.symbol_renames).items() if v.startswith("tf.")}
        return cls(relative(spec.function_keyword_renames), relative(spec.function_reorders), renames)

    def compare(self, symbols, keyword_renames, removed, reorders) -> dict:
        result: dict = {}
        kw = {"agree": 0, "differ": [], "ours_only": [], "theirs_rejected": {}}
        for name, theirs in self.keyword_renames.items():
            ours = {old: new for old, (new, _) in keyword_renames.get(name, {}).items()}
            for old, new in theirs.items():
                if new is None:
                    continue
                if ours.get(old) == new:
                    kw["agree"] += 1
                elif old in ours:
                    kw["differ"].append(f"{name}: {old}->{new} (ours {ours[old]})")
                else:
                    reason = _rejection_reason(name, symbols)
                    kw["theirs_rejected"].setdefault(reason, []).append(f"{name}: {old}->{new}")
        for name, ours in keyword_renames.items():
            theirs = self.keyword_renames.get(name, {})
            kw["ours_only"] += [f"{name}: {old}->{ours[old][0]}" for old in ours if theirs.get(old) is None]
        result["keyword_renames"] = kw

        drops = {"agree": 0, "theirs_only": []}
        for name, theirs in self.keyword_renames.items():
            for old, new in theirs.items():
                if new is None:
                    if old in removed.get(name, ()):
                        drops["agree"] += 1
                    else:
                        drops["theirs_only"].append(f"{name}: {old} ({_rejection_reason(name, symbols)})")
        result["removed_keywords"] = drops

        order = {"agree": 0, "theirs_from_renamed_position": [], "differ": [], "ours_only": [], "theirs_only": []}
        for name, theirs in self.reorders.items():
            ours = reorders.get(name)
            if ours is None:
                order["theirs_only"].append(f"{name} ({_rejection_reason(name, symbols)})")
            elif _same_reorder(theirs, ours):
                order["agree"] += 1
            elif _same_names(theirs, ours):
                # Same parameter list, but they also force keywords from a position whose parameter
                # was merely renamed (value -> input); a positional argument there binds the same.
                first = next(i for i, t in enumerate(theirs) if t is not None)
                order["theirs_from_renamed_position"].append(
                    f"{name}: theirs from {first}, ours from {ours['first_changed']}"
                )
            else:
                order["differ"].append(f"{name}: theirs {theirs} ours {ours}")
        order["ours_only"] = sorted(set(reorders) - set(self.reorders))
        result["reorders"] = order

        moves = {"agree": 0, "differ": [], "theirs_unknown_name": [], "ours_not_in_theirs": 0}
        for name, target in self.symbol_renames.items():
            if name not in symbols:
                moves["theirs_unknown_name"].append(name)
            elif symbols[name][0] == target:
                moves["agree"] += 1
            else:
                moves["differ"].append(f"{name}: theirs {target} ours {symbols[name][0]}")
        moves["ours_not_in_theirs"] = sum(
            1 for name, (target, _) in symbols.items() if target != name and name not in self.symbol_renames
        )
        result["symbol_renames"] = moves
        return result


def _same_reorder(theirs: list, ours: dict) -> bool:
    # Their lists mark unchanged leading positions with None and predate parameters that were
    # appended later (gather_nd's bad_indices_policy), so compare the first change and the overlap.
    first_theirs = next((i for i, name in enumerate(theirs) if name is not None), len(theirs))
    overlap = zip(theirs, ours["params"], strict=False)
    return first_theirs == ours["first_changed"] and all(t is None or t == o for t, o in overlap)


def _same_names(theirs: list, ours: dict) -> bool:
    return all(t is None or t == o for t, o in zip(theirs, ours["params"], strict=False))


def _rejection_reason(name: str, symbols: dict) -> str:
    if name not in symbols:
        return "name not in TF 2.21"
    if symbols[name][0].startswith(naming.COMPAT_V1):
        return "maps to compat.v1"
    return "keyword not in signature"
