"""Each rule's docstring Example migrates to its Use instead, and the README table is current."""

from pathlib import Path

import pytest

from kernel_helpers import migrate
from kernel_helpers.engine.docs import BEGIN, END, example, rule_table, safety
from kernel_helpers.engine.registry import all_rules

RULES = {rule.code: rule for rule in all_rules()}
REQUIRED = ("What it does", "Why", "Example", "Use instead", "Fix safety")


@pytest.mark.parametrize("rule", RULES.values(), ids=RULES.keys())
def test_docstring_has_every_section(rule):
    sections = rule.sections()
    assert [s for s in REQUIRED if not sections.get(s, "").strip()] == []
    assert rule.code.startswith("TFM") and len(rule.code) == 6 and rule.name


@pytest.mark.parametrize("rule", RULES.values(), ids=RULES.keys())
def test_example_migrates_to_use_instead(rule):
    before, after = example(rule)
    result = migrate(before, level=rule.level, unsafe=safety(rule) == "unsafe")
    assert result.source == after
    if before != after and safety(rule) != "manual":
        assert rule.code in {f.code for f in result.applied}, f"{rule.code}'s example is fixed by other rules only"
    else:
        assert rule.code in {f.code for f in result.findings}, f"{rule.code}'s example does not trigger it"


def test_readme_rule_table_is_generated_and_current():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert table == rule_table(), "run: python -m kernel_helpers.engine.docs README.md"
