"""The rule registry. A rule is a small class in its own module under ``kernel_helpers.rules``.

Its docstring has the sections *What it does*, *Why*, *Example*, *Use instead* and *Fix safety*; the README
rule table is generated from them and a test migrates each Example and compares it with its Use instead.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import cache
from typing import Iterable

from .finding import GUIDE, Applicability, Edit, Finding, Fix
from .index import CellIndex

LEVELS = ("compat", "tf2")
#: the levels rules run at, lowest first. "graph" is what level tf2 runs on a notebook whose graph is kept with
#: TF1's runtime (TFM103): the compat rules, and the tf2 rules whose output runs in graph mode too.
ORDER = ("compat", "graph", "tf2")


class Rule:
    code: str = ""
    name: str = ""
    #: lowest level the rule runs at (ORDER): "compat" rules run at both levels, "tf2" rules only at tf2, "graph"
    #: rules at tf2 and in notebooks whose graph level tf2 keeps
    level: str = "compat"
    #: fixes of lower priority win when two fixes overlap (special cases before generic renames)
    priority: int = 50
    doc: str = GUIDE

    def check(self, cell: CellIndex) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(self, cell: CellIndex, start: int, end: int, message: str,
                applicability: Applicability = Applicability.SAFE,
                edits: Iterable[tuple[int, int, str]] = (), imports: Iterable[str] = (),
                replacement: str | None = None, doc: str | None = None) -> Finding:
        edits = tuple(Edit(*e) for e in edits)
        fix = Fix(edits, tuple(imports)) if edits and applicability is not Applicability.MANUAL else None
        if replacement is None and len(edits) == 1 and (edits[0].start, edits[0].end) == (start, end):
            replacement = edits[0].replacement
        return Finding(self.code, self.name, message, cell.source.range(start, end), applicability,
                       fix, doc or self.doc, replacement=replacement)

    @classmethod
    def sections(cls) -> dict[str, str]:
        """The docstring's sections, keyed by heading ("What it does", "Example", ...)."""
        text = _dedent_doc(cls.__doc__ or "")
        parts = re.split(r"^## (.+)$", text, flags=re.M)
        sections = {"summary": parts[0].strip()}
        for heading, body in zip(parts[1::2], parts[2::2]):
            sections[heading.strip()] = body.strip("\n")
        return sections


def _dedent_doc(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)


_REGISTRY: dict[str, type[Rule]] = {}



class NotebookRule(Rule):
    """A rule whose findings only a whole-notebook transform can make (the graph lifting, the estimator
    rewrite): it is registered for its code, name and documentation; one cell alone never triggers it."""

    level = "tf2"

    def check(self, cell: CellIndex) -> Iterable[Finding]:
        return ()

def register(cls: type[Rule]) -> type[Rule]:
    if cls.code in _REGISTRY and _REGISTRY[cls.code] is not cls:
        raise ValueError(f"rule code {cls.code} registered twice")
    if cls.level not in ORDER:
        raise ValueError(f"rule {cls.code}: unknown level {cls.level!r}")
    _REGISTRY[cls.code] = cls
    return cls


@cache
def all_rules() -> tuple[Rule, ...]:
    """Every rule, instantiated once, in code order (imports every module of kernel_helpers.rules)."""
    package = importlib.import_module("kernel_helpers.rules")
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return tuple(_REGISTRY[code]() for code in sorted(_REGISTRY))


@cache
def rules_for(level: str) -> tuple[Rule, ...]:
    if level not in ORDER:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    allowed = ORDER[: ORDER.index(level) + 1]
    return tuple(rule for rule in all_rules() if rule.level in allowed)
