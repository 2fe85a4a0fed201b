"""The lifted notebooks run eagerly on TF2 + Keras 3 and compute what the TF1 originals computed.

The originals run in a child process with the TF1 API in graph mode, the migrated code in another child
on plain TF2; the values the programs bind are compared (training steps included).
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from kernel_helpers.engine.context import NotebookContext
from kernel_helpers.engine.lift import lift_notebook, migrate_lifted

from programs import PROGRAMS

pytest.importorskip("tensorflow")
CHILD = Path(__file__).with_name("tf_child.py")
ALIGNED = "# aligned random draws"


def migrated_cells(cells):
    context = NotebookContext.from_cells(cells)
    return [migrate_lifted(lift, context=context) for lift in lift_notebook(cells, context)]


def run_child(mode, paths):
    done = subprocess.run([sys.executable, str(CHILD), mode, *map(str, paths)], capture_output=True, text=True,
                          timeout=600)
    marker = [line for line in done.stdout.splitlines() if line.startswith("@@RESULT@@")]
    assert marker, done.stderr[-3000:]
    return json.loads(marker[-1][len("@@RESULT@@"):])


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lifted")
    originals, lifted, sources = {}, {}, {}
    for name, program in PROGRAMS.items():
        migrations = migrated_cells(program["cells"])
        sources[name] = migrations
        # A program marked aligned runs with aligned random draws on both sides (see tf_child.py).
        marker = ALIGNED + "\n" if program.get("aligned") else ""
        originals[name] = folder / f"{name}.tf1.py"
        originals[name].write_text(marker + "\n".join(program["cells"]), encoding="utf-8")
        lifted[name] = folder / f"{name}.tf2.py"
        lifted[name].write_text(marker + "\n".join(m.source for m in migrations), encoding="utf-8")
    tf1 = run_child("tf1", originals.values())
    tf2 = run_child("tf2", lifted.values())
    return {name: (tf1[str(originals[name])], tf2[str(lifted[name])], sources[name]) for name in PROGRAMS}


@pytest.mark.parametrize("name", PROGRAMS)
def test_lifted_program_computes_what_tf1_computed(runs, name):
    original, lifted, migrations = runs[name]
    assert "error" not in original, original
    assert "error" not in lifted, lifted["error"] + "\n" + "\n".join(m.source for m in migrations)
    for key in PROGRAMS[name]["compare"]:
        assert key in lifted["values"], key
        assert_close(lifted["values"][key], original["values"][key], key)


def assert_close(actual, expected, key):
    if isinstance(expected, list) and any(isinstance(e, list) for e in expected) \
            and len({np.shape(e) for e in expected}) > 1:
        assert len(actual) == len(expected), key
        for a, e in zip(actual, expected):
            assert_close(a, e, key)
        return
    expected, actual = np.asarray(expected, dtype=float), np.asarray(actual, dtype=float)
    assert actual.shape == expected.shape, key
    # Training steps accumulate float32 rounding differently in eager and graph mode.
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5, err_msg=key)


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_is_really_lifted(name):
    migrations = migrated_cells(PROGRAMS[name]["cells"])
    text = "\n".join(m.source for m in migrations)
    for tf1_only in ("placeholder", "Session", "variables_initializer", ".run(", ".eval(", "compat.v1.train",
                     "reset_default_graph"):
        assert tf1_only not in text, tf1_only
    if any("Optimizer" in cell or "create_train_op" in cell for cell in PROGRAMS[name]["cells"]):
        assert "GradientTape" in text  # the training is lifted too
    allowed = PROGRAMS[name].get("manual_allowed", set())
    assert all(f.code in allowed for m in migrations for f in m.remaining if f.applicability.value == "manual")
