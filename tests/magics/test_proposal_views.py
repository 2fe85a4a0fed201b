"""The proposal view and its fallbacks, without a kernel."""

from __future__ import annotations

import pytest

from kernel_helpers import migrate
from kernel_helpers.widgets import (
    PROPOSAL_MIMETYPE,
    MigrationProposal,
    diff_table_html,
    side_by_side,
)

TF1 = "import tensorflow as tf\ny = tf.log(x)\nz = tf.contrib.foo(1)\nprint('<done>')\n"


def proposal(source: str = TF1, **options) -> MigrationProposal:
    m = migrate(source, level="tf2")
    return MigrationProposal(m.original, m.source, m.findings, hidden_unsafe=m.hidden_unsafe, **options)


@pytest.mark.parametrize(
    "original, migrated, expected",
    [
        pytest.param("a\nb\nc\n", "a\nB\nc\n", [("equal", 1, 1), ("replace", 2, 2), ("equal", 3, 3)], id="replace"),
        pytest.param("a\nc\n", "a\nb\nc\n", [("equal", 1, 1), ("insert", None, 2), ("equal", 2, 3)], id="insert"),
        pytest.param("a\nb\n", "a\n", [("equal", 1, 1), ("delete", 2, None)], id="delete"),
        pytest.param("a\nb\n", "x\n", [("delete", 1, None), ("delete", 2, None), ("insert", None, 1)],
                     id="unlike-lines-are-not-paired"),
        pytest.param("x = tf.log(a)\ny = tf.log(b)\n", "import tf_slim\nx = tf.math.log(a)\ny = tf.math.log(b)\n",
                     [("insert", None, 1), ("replace", 1, 2), ("replace", 2, 3)], id="added-import-line"),
    ],
)
def test_side_by_side_pairs_lines(original, migrated, expected):
    rows = side_by_side(original, migrated)
    assert [(r.tag, r.left_number, r.right_number) for r in rows] == expected


def test_diff_table_marks_the_changed_word_and_escapes_code():
    table = diff_table_html("y = tf.log(x) < 1\n", "y = tf.math.log(x) < 1\n")
    assert 'data-tag="replace"' in table
    assert "&lt; 1" in table and "< 1" not in table
    # only the inserted "math." is marked on the right, not the whole line
    assert ">.math</span>.log" in table


def test_bundle_has_widget_and_readable_fallbacks():
    bundle = proposal()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    text, page = bundle["text/plain"], bundle["text/html"]
    assert "-y = tf.log(x)" in text and "+y = tf.math.log(x)" in text
    assert "TFM001" in text and "applied" in text
    assert "tf.math.log" in page and "TFM001" in page and "Original (TF1)" in page
    assert "&lt;done&gt;" in page
    data = bundle[PROPOSAL_MIMETYPE]
    assert data["original"] == TF1 and "tf.math.log" in data["migrated"]
    assert {f["code"] for f in data["findings"]} >= {"TFM001"}


def test_summary_counts_fixes_and_manual_findings():
    summary = proposal().summary()
    assert summary.startswith("Proposed rewrite (tf2 level): 1 fix(es)")
    assert "need a manual change" in summary


@pytest.mark.parametrize(
    "source, expected",
    [
        pytest.param("x = 1 + 2\n", "Nothing to migrate", id="no-tensorflow"),
        pytest.param("import tensorflow as tf\nz = tf.contrib.foo(1)\n", "Nothing to rewrite automatically",
                     id="manual-only"),
    ],
)
def test_nothing_to_migrate_is_said_and_offers_no_apply(source, expected):
    view = proposal(source)
    assert view.summary().startswith(expected)
    widget = view.build()
    assert view.apply_button.disabled and view.copy_button.disabled
    # the buttons are not even shown when there is nothing to apply
    assert all(getattr(child, "children", None) is None or view.apply_button not in child.children
               for child in widget.children)


def test_apply_button_arms_and_cancels():
    calls = []
    view = proposal(on_apply=calls.append)
    view.build()
    view.apply_button.click()
    assert calls == [True] and view.armed and "Run this cell again" in view.hint.value
    view.apply_button.click()
    assert calls == [True, False] and not view.armed and view.hint.value == ""


def test_copy_button_reveals_the_migrated_code():
    view = proposal()
    view.build()
    assert view.copy_area.layout.display == "none"
    view.copy_button.click()
    assert view.copy_area.layout.display == "block"
    assert view.copy_area.value == migrate(TF1).source


def test_applied_view_keeps_the_original():
    view = proposal(applied=True)
    page = view.to_html()
    assert "Original (kept)" in page and "y = tf.log(x)" in page
    view.build()
    assert view.apply_button.disabled and view.apply_button.description == "Applied"
