"""Hand-curated successors of ``tf.contrib`` and the TF1 modules that TensorFlow 2.21 no longer has.

The data is ``curated.json`` (edited by hand; ``tests/api/test_curated.py`` checks every entry
against the installed packages). Reading it imports neither TensorFlow nor tf_slim.

Names are relative to the TensorFlow root, like the generated tables: ``"contrib.layers.conv2d"``.
A ``contrib`` name resolves through its longest curated prefix: an exact entry wins; below a
``module`` entry a member listed in the entry's ``members`` maps to the same name under the entry's
target (``contrib.layers.repeat`` -> ``tf_slim.layers.repeat``); below any other entry its
guidance applies to the whole subtree.
"""

from __future__ import annotations
import __future__

import ast
import functools
import json
import types
from dataclasses import dataclass, replace
from pathlib import Path

RENAME = "rename"
MODULE = "module"
MANUAL = "manual"
KINDS = (RENAME, MODULE, MANUAL)


@dataclass(frozen=True)
class ContribEntry:
    key: str  # the curated name that matched (a prefix of the name looked up)
    kind: str  # "rename" | "module" | "manual"
    target: str | None  # fully qualified Python path: "tf_slim.layers.conv2d"
    import_statement: str | None  # what the target needs: "import tf_slim as slim"
    note: str
    legacy_keras: bool = False  # the target resolves only with tf_keras and TF_USE_LEGACY_KERAS=1
    members: frozenset[str] = frozenset()  # for "module" entries: names the target module has

    def reference(self) -> str | None:
        """The expression that names the target once ``import_statement`` ran: ``"slim.layers.conv2d"``."""
        if self.target is None or self.import_statement is None:
            return None
        for bound_path, local_name in _bindings(self.import_statement):
            if self.target == bound_path:
                return local_name
            if self.target.startswith(bound_path + "."):
                return local_name + self.target[len(bound_path):]
        return None


@dataclass(frozen=True)
class CuratedRename:
    """A TF1 name whose TF 2 equivalent the export metadata does not reveal (a different object that
    computes the same, e.g. ``nn.softmax_cross_entropy_with_logits_v2``); both relative to the tf root."""

    key: str
    target: str
    keywords: dict
    note: str


@dataclass(frozen=True)
class RemovedModule:
    key: str
    note: str
    guide: str


def _bindings(statement: str) -> list[tuple[str, str]]:
    """``[(module path bound, local name)]`` for an import statement, most specific first."""
    tree = ast.parse(statement)
    bound = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound.append((alias.name, alias.asname))
                else:  # "import a.b" binds "a"
                    top = alias.name.split(".")[0]
                    bound.append((top, top))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                bound.append((f"{node.module}.{alias.name}", alias.asname or alias.name))
    return sorted(bound, key=lambda pair: -len(pair[0]))


def _prefixes(dotted: str):
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        yield ".".join(parts[:end])


def _entry(key: str, raw: dict) -> ContribEntry:
    return ContribEntry(
        key=key,
        kind=raw["kind"],
        target=raw.get("target"),
        import_statement=raw.get("import"),
        note=raw["note"],
        legacy_keras=bool(raw.get("legacy_keras", False)),
        members=frozenset(raw.get("members", ())),
    )


class Curated:
    def __init__(self, document: dict):
        self._contrib = {key: _entry(key, raw) for key, raw in document["contrib"].items()}
        self._removed = {
            key: RemovedModule(key=key, note=raw["note"], guide=raw["guide"])
            for key, raw in document["removed_modules"].items()
        }
        self._removed_lookups: dict[str, RemovedModule | None] = {}
        # TF1 names whose equivalent the export metadata does not show, and TF 0.x names that TF 1.0 renamed
        # (not in any table generated from TF 2.21, yet common in the oldest tutorials)
        self._renames = {
            key: CuratedRename(key=key, target=raw["target"], keywords=dict(raw.get("keywords", {})), note=raw["note"])
            for section in ("renames", "tf0_renames")
            for key, raw in document.get(section, {}).items()
        }

    def rename(self, name: str) -> CuratedRename | None:
        """The curated TF 2 equivalent of exactly ``name``, if there is one."""
        return self._renames.get(name)

    def rename_names(self) -> list[str]:
        return sorted(self._renames)

    def contrib_names(self) -> list[str]:
        return sorted(self._contrib)

    def removed_names(self) -> list[str]:
        return sorted(self._removed)

    def contrib_entry(self, key: str) -> ContribEntry:
        """The curated entry stored under exactly ``key`` (no prefix resolution)."""
        return self._contrib[key]

    def contrib(self, name: str) -> ContribEntry | None:
        """Guidance for a ``contrib.*`` name, or ``None`` for a name outside ``contrib``."""
        for prefix in _prefixes(name):
            entry = self._contrib.get(prefix)
            if entry is None:
                continue
            if prefix == name:
                return entry
            return _below(entry, name[len(prefix) + 1:])
        return None

    def removed_module(self, name: str) -> RemovedModule | None:
        """The entry for ``name`` or its longest listed prefix (``estimator.Estimator`` -> ``estimator``)."""
        # Asked for every TensorFlow reference on every keystroke: answers are kept.
        if name not in self._removed_lookups:
            self._removed_lookups[name] = next(
                (self._removed[p] for p in _prefixes(name) if p in self._removed), None)
        return self._removed_lookups[name]


def _below(entry: ContribEntry, rest: str) -> ContribEntry:
    """What a curated entry says about a name below it (``rest`` is the part after the entry's key)."""
    member = rest.split(".")[0]
    # A listed member of a module, or an attribute of a renamed class or module, is the same name under
    # the successor.
    if (entry.kind == MODULE and member in entry.members) or (entry.kind == RENAME and entry.target is not None):
        return replace(entry, kind=RENAME, target=f"{entry.target}.{rest}", members=frozenset())
    if entry.kind == MODULE:
        return ContribEntry(
            key=entry.key,
            kind=MANUAL,
            target=None,
            import_statement=None,
            note=f"{entry.target} (the successor of {entry.key}) has no {member}; rewrite this call by hand.",
        )
    return entry


def public_members(module) -> list[str]:
    """The names a ``module`` entry may forward to: what ``dir()`` shows of a freshly imported module,
    minus private names, ``__future__`` flags and modules of other packages that it merely imported
    (``tf_slim.layers`` imports ``six`` and ``tensorflow``)."""
    package = (getattr(module, "__name__", "") or "").split(".")[0]
    names = []
    for name in dir(module):
        if name.startswith("_"):
            continue
        try:
            value = getattr(module, name)
        except Exception:  # a lazy attribute that cannot load is not something to forward to
            continue
        if isinstance(value, __future__._Feature):
            continue
        if isinstance(value, types.ModuleType):
            if (getattr(value, "__name__", "") or "").split(".")[0] != package:
                continue
        names.append(name)
    return sorted(names)


def default_path() -> Path:
    return Path(__file__).with_name("curated.json")


def load_curated(path: str | Path) -> Curated:
    with open(path, encoding="utf-8") as handle:
        return Curated(json.load(handle))


@functools.cache
def curated() -> Curated:
    """The curated data shipped with the package, read once per process."""
    return load_curated(default_path())
