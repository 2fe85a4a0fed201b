"""The benchmarks run end to end and produce every number; timings themselves are never asserted.

The slow test runs ``python -m benchmarks --quick`` in a subprocess, as ``make bench`` would, and checks
the JSON it writes and the files both tools wrote. The fast tests pin the pieces whose mistakes would
silently skew the numbers: the percentile, the corpus and the output count.
"""

from __future__ import annotations

import ast
import json
import math
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.corpus import CELL_LINES, notebook_to_script, write_corpus
from benchmarks.side_by_side import Scenario, count_outputs
from benchmarks.timing import percentile, time_callable
from benchmarks.tools import ToolMissing, tf_upgrade_v2_command

REPO_ROOT = Path(__file__).resolve().parent.parent

SCENARIOS = ("scripts", "notebooks", "large_notebooks")
SIDES = ("tf_upgrade_v2", "tf2_migrate_compat", "tf2_migrate_tf2")
CORPUS_FOLDERS = {"scripts": "scripts", "notebooks": "notebooks", "large_notebooks": "large"}


def _has_upgrade_script() -> bool:
    try:
        tf_upgrade_v2_command()
    except ToolMissing:
        return False
    return True


# ---------------------------------------------------------------- the whole run


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    if not _has_upgrade_script():
        pytest.skip("tf_upgrade_v2 is not installed (the `tf` extra)")
    base = tmp_path_factory.mktemp("bench")
    results, workdir = base / "results.json", base / "work"
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(results), "--workdir", str(workdir)],
        # About 40 s on an idle 2-core machine (the training suite trains three times); the limit only catches a
        # hang on a busy one.
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=240, check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return json.loads(results.read_text()), workdir, completed.stdout


@pytest.mark.slow
def test_every_measurement_is_reported_with_its_budget(quick_run):
    data, _, _ = quick_run
    assert data["mode"] == "quick"
    assert data["suite_errors"] == {}
    measurements = data["measurements"]
    budgets = {
        **{f"cell_analysis.{d}.p50_ms": (5.0, False) for d in ("python3", "python2")},
        **{f"cell_analysis.{d}.p99_ms": (50.0, False) for d in ("python3", "python2")},
        **{f"folders.{s}.speedup_{level}": (10.0, True) for s in SCENARIOS for level in ("compat", "tf2")},
        "server_analysis.p50_ms": (10.0, False),
        "compare.overhead_ratio": (20.0, False),
    }
    times = {f"folders.{s}.{side}_s" for s in SCENARIOS for side in SIDES} | {"server_analysis.p99_ms"} | {
        f"training.{name}" for name in ("tf1_step_ms", "traced_step_ms", "eager_step_ms", "traced_vs_tf1",
                                        "eager_vs_traced")}
    assert set(measurements) == set(budgets) | times
    for key, (limit, at_least) in budgets.items():
        budget = measurements[key]["budget"]
        assert (budget["limit"], budget["at_least"]) == (limit, at_least), key
        assert measurements[key]["verdict"] in ("PASS", "FAIL"), key
    for key in times:
        assert measurements[key]["budget"] is None
    for key, m in measurements.items():
        assert isinstance(m["value"], float) and m["value"] > 0 and math.isfinite(m["value"]), key


@pytest.mark.slow
def test_cell_analysis_timed_the_50_line_cell(quick_run):
    data, _, _ = quick_run
    assert data["corpus"]["cell_lines"] == CELL_LINES
    for dialect in ("python3", "python2"):
        details = data["measurements"][f"cell_analysis.{dialect}.p50_ms"]["details"]
        assert details["runs"] == data["settings"]["cell_runs"]
        assert details["lines"] == CELL_LINES
        # An analysis that found nothing in a cell full of TF1 code would be fast for the wrong reason.
        assert details["findings"] > 10
        assert details["min_ms"] <= details["p50_ms"] <= details["p99_ms"] <= details["max_ms"]


@pytest.mark.slow
def test_speedups_are_the_ratio_of_the_reported_times(quick_run):
    data, _, _ = quick_run
    m = data["measurements"]
    for scenario in SCENARIOS:
        upgrade = m[f"folders.{scenario}.tf_upgrade_v2_s"]
        assert upgrade["value"] == pytest.approx(statistics.median(upgrade["details"]["runs_s"]))
        for level in ("compat", "tf2"):
            expected = upgrade["value"] / m[f"folders.{scenario}.tf2_migrate_{level}_s"]["value"]
            assert m[f"folders.{scenario}.speedup_{level}"]["value"] == pytest.approx(expected)


@pytest.mark.slow
def test_training_ratios_are_those_of_the_medians_of_full_runs(quick_run):
    data, _, _ = quick_run
    m = data["measurements"]
    details = m["training.tf1_step_ms"]["details"]
    # Every variant ran all its steps (a program that stopped early would look fast).
    assert {name: d["steps"] for name, d in details.items()} == {"tf1": 300, "traced": 300, "eager": 300}
    for name in ("tf1", "traced", "eager"):
        assert m[f"training.{name}_step_ms"]["value"] == pytest.approx(details[name]["median_ms"])
    assert m["training.traced_vs_tf1"]["value"] == pytest.approx(details["traced"]["median_ms"] / details["tf1"]["median_ms"])
    assert m["training.eager_vs_traced"]["value"] == pytest.approx(details["eager"]["median_ms"] / details["traced"]["median_ms"])


@pytest.mark.slow
def test_tf_upgrade_v2_ran_once_per_notebook_and_once_for_the_script_tree(quick_run):
    data, _, stdout = quick_run
    m = data["measurements"]
    assert m["folders.scripts.tf_upgrade_v2_s"]["details"]["processes_per_run"] == 1
    assert "--intree" in m["folders.scripts.tf_upgrade_v2_s"]["details"]["command"][0]
    for scenario in ("notebooks", "large_notebooks"):
        details = m[f"folders.{scenario}.tf_upgrade_v2_s"]["details"]
        assert details["processes_per_run"] == details["outputs"]["inputs"]
        assert "--infile" in details["command"][0] and details["command"][0].endswith(".txt")
        assert sum(details["exit_codes"].values()) == details["outputs"]["inputs"]
    for scenario in SCENARIOS:
        for level in ("compat", "tf2"):
            command = m[f"folders.{scenario}.tf2_migrate_{level}_s"]["details"]["command"]
            assert len(command) == 1 and command[0].endswith(f"--level {level}")
    assert "What ran" in stdout and "tf_upgrade_v2 --infile" in stdout


@pytest.mark.slow
def test_both_tools_wrote_their_outputs(quick_run):
    data, workdir, _ = quick_run
    corpus = workdir / "corpus"
    for scenario in SCENARIOS:
        inputs = sorted(p.relative_to(corpus / CORPUS_FOLDERS[scenario])
                        for p in (corpus / CORPUS_FOLDERS[scenario]).rglob("*") if p.is_file())
        assert inputs, scenario
        for level in ("compat", "tf2"):
            out = workdir / "side_by_side" / scenario / "run0" / f"tf2_migrate_{level}"
            written = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
            assert written == inputs, (scenario, level)
            changed = [p for p in inputs if (out / p).read_bytes() != (corpus / CORPUS_FOLDERS[scenario] / p).read_bytes()]
            assert changed, f"tf2-migrate --level {level} changed nothing in {scenario}"
        upgraded = workdir / "side_by_side" / scenario / "run0" / "tf_upgrade_v2"
        outputs = data["measurements"][f"folders.{scenario}.tf_upgrade_v2_s"]["details"]["outputs"]
        on_disk = [p for p in inputs if (upgraded / p).is_file()]
        assert len(on_disk) == outputs["written"]
        # It cannot parse Python 2 notebooks (it writes nothing); everything else it converts.
        assert outputs["usable"] >= outputs["inputs"] - outputs["python2_inputs"] >= 1


# ---------------------------------------------------------------- the pieces


def test_percentile_is_nearest_rank():
    samples = [float(n) for n in range(1, 201)]  # 1..200, shuffled order must not matter
    samples.reverse()
    assert percentile(samples, 50) == 100.0
    assert percentile(samples, 99) == 198.0  # the second slowest of 200
    assert percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_time_callable_excludes_warm_up_calls():
    calls = []
    stats = time_callable(lambda: calls.append(1), runs=5, warmup=3)
    assert len(calls) == 8
    assert stats.runs == 5


def test_corpus_is_deterministic_and_shaped_as_promised(tmp_path):
    first = write_corpus(tmp_path / "a", notebooks=4, large=1)
    write_corpus(tmp_path / "b", notebooks=4, large=1)
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert files_a == files_b and len(files_a) == 4 + 4 + 1
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    assert len(first.cell.splitlines()) == CELL_LINES == len(first.cell_python2.splitlines())
    assert "print " in first.cell_python2 and "print " not in first.cell
    assert all(10 <= f.cells <= 30 for f in first.notebooks)
    assert first.large[0].cells == 200
    assert [f.python2 for f in first.notebooks] == [False, True, False, False]
    sources = "".join("".join(c["source"]) for f in first.notebooks for c in json.loads(f.path.read_text())["cells"])
    for tf1_api in ("tf.placeholder(", "tf.train.", "feed_dict=", "tf.log(", "reduction_indices=",
                    "tf.contrib.layers.", "variable_scope(", "%matplotlib inline", "!pip install"):
        assert tf1_api in sources, tf1_api
    # The .py twins are the notebooks' code: Python 3 ones must parse, magics included.
    for script in first.scripts:
        if not script.python2:
            ast.parse(script.path.read_text())


def test_notebook_to_script_turns_ipython_syntax_into_calls():
    script = notebook_to_script([
        ("markdown", "# Title"),
        ("code", "%matplotlib inline\n!pip install -q tensorflow==1.15\nx = 1"),
        ("code", "%%time\ny = 2"),
    ])
    assert "get_ipython().run_line_magic('matplotlib', 'inline')" in script
    assert "get_ipython().system('pip install -q tensorflow==1.15')" in script
    assert "get_ipython().run_cell_magic('time', '', 'y = 2\\n')" in script
    assert "# Title" in script
    ast.parse(script)


def test_count_outputs_counts_missing_and_empty_outputs(tmp_path):
    corpus = write_corpus(tmp_path / "corpus", notebooks=3, large=0)
    out = tmp_path / "out"
    out.mkdir()
    files = corpus.notebooks
    (out / files[0].path.name).write_text(files[0].path.read_text())
    (out / files[1].path.name).write_text("")  # what a failed conversion may leave
    scenario = Scenario("notebooks", "", corpus.notebooks_dir, tuple(files), upgrade_per_file=True)
    assert count_outputs(scenario, out) == {"inputs": 3, "python2_inputs": 1, "written": 2, "usable": 1}


def test_lifting_survey_counts_lifted_notebooks_and_refusal_reasons(tmp_path):
    from benchmarks.lifting import survey
    from nbfactory import make_notebook, write_notebook

    write_notebook(tmp_path / "lifts.ipynb", make_notebook(
        "import tensorflow as tf", "x = tf.placeholder(tf.float32)\ny = x * 2\nsess = tf.Session()\nprint(sess.run(y, {x: 1.0}))"))
    (tmp_path / "repo").mkdir()
    write_notebook(tmp_path / "repo" / "refused.ipynb", make_notebook(
        "import tensorflow as tf", "x = tf.placeholder(tf.float32)\nfeeds = [{x: 1.0}]\n"
        "sess = tf.Session()\nprint(sess.run(x * 2, feeds[0]))"))
    write_notebook(tmp_path / "no_graph.ipynb", make_notebook("import tensorflow as tf", "print(tf.constant(1))"))
    lifted, causes, unreadable = survey(tmp_path)
    assert lifted == ["lifts.ipynb"] and not unreadable
    assert causes == {"`X` stores tensors in a container, which is used outside graph construction": 1}
