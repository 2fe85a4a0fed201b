"""What a benchmark suite returns: named numbers, each with the budget it is held to (if any)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Budget:
    """A limit from the design: ``at_most`` for latencies and times, ``at_least`` for speed-up ratios."""

    limit: float
    at_least: bool = False

    def passes(self, value: float) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit

    def describe(self, unit: str) -> str:
        return f"{'≥' if self.at_least else '≤'} {format_value(self.limit, unit)}"


@dataclass(frozen=True)
class Measurement:
    #: stable identifier, used as the key in the JSON results
    key: str
    #: what was measured, for the printed table
    label: str
    value: float
    #: "ms", "s" or "x" (a ratio)
    unit: str
    budget: Budget | None = None
    #: raw numbers and the exact commands behind ``value``
    details: dict = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        if self.budget is None:
            return ""
        return "PASS" if self.budget.passes(self.value) else "FAIL"

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            # JSON has no NaN; a number that could not be measured is null.
            "value": None if math.isnan(self.value) else self.value,
            "unit": self.unit,
            "budget": None if self.budget is None else {
                "limit": self.budget.limit,
                "at_least": self.budget.at_least,
                "text": self.budget.describe(self.unit),
            },
            "verdict": self.verdict or None,
            "details": self.details,
        }


def format_value(value: float, unit: str) -> str:
    if math.isnan(value):  # the measurement could not be taken
        return "n/a"
    if unit == "x":
        return f"{value:.1f}×"
    if unit == "ms":
        return f"{value:.2f} ms"
    return f"{value:.2f} {unit}"
