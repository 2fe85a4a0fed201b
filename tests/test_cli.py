import json
import os
import subprocess
import sys

import pytest

from nbfactory import make_notebook, write_notebook
from kernel_helpers.cli import main

TF1 = "import tensorflow as tf\nx = tf.placeholder(tf.float32)\ny = tf.log(x)\n"


@pytest.fixture
def tree(tmp_path):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.py").write_text(TF1)
    (src / "sub" / "b.py").write_text("import numpy as np\nprint(np.log(2))\n")
    (src / "broken.py").write_text("import tensorflow as tf\ndef f(:\n")
    write_notebook(src / "sub" / "nb.ipynb", make_notebook("import tensorflow as tf", "y = tf.log(x)"))
    return src


def snapshot(root):
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_default_writes_beside_and_never_touches_inputs(tree, capsys):
    before = snapshot(tree)
    code = main([str(tree / "a.py"), "--level", "compat"])
    assert code == 0
    assert snapshot(tree)[tree.joinpath("a.py").relative_to(tree)] == before[tree.joinpath("a.py").relative_to(tree)]
    out = (tree / "a.tf2.py").read_text()
    assert "tf.compat.v1.placeholder" in out and "tf.math.log" in out


def test_output_folder_mirrors_tree_and_copies_broken_files(tree, tmp_path, capsys):
    before = snapshot(tree)
    out = tmp_path / "out"
    code = main([str(tree), "-o", str(out), "--level", "compat"])
    assert code == 1  # broken.py needs attention
    assert snapshot(tree) == before
    assert (out / "sub" / "b.py").read_bytes() == before[tree.joinpath("sub/b.py").relative_to(tree)]
    assert (out / "broken.py").read_bytes() == before[tree.joinpath("broken.py").relative_to(tree)]
    assert "tf.math.log" in (out / "a.py").read_text()
    nb = json.loads((out / "sub" / "nb.ipynb").read_text())
    assert "tf.math.log" in "".join(nb["cells"][2]["source"])
    assert "broken.py" in capsys.readouterr().out


def test_in_place_is_atomic_and_skips_unparseable(tree):
    broken = (tree / "broken.py").read_bytes()
    main([str(tree), "--in-place", "--level", "compat"])
    assert "tf.math.log" in (tree / "a.py").read_text()
    assert (tree / "broken.py").read_bytes() == broken
    assert not list(tree.rglob("*.tmp*"))


def test_check_exit_code_and_no_writes(tree):
    before = snapshot(tree)
    assert main([str(tree / "a.py"), "--check"]) == 1
    assert main([str(tree / "sub" / "b.py"), "--check"]) == 0
    assert snapshot(tree) == before


def test_diff_prints_unified_diff(tree, capsys):
    main([str(tree / "a.py"), "--diff", "--level", "compat"])
    out = capsys.readouterr().out
    assert "-y = tf.log(x)" in out and "+y = tf.math.log(x)" in out


def test_json_report_per_file_cell_line(tree, capsys):
    main([str(tree / "sub" / "nb.ipynb"), "--check", "--format", "json", "--level", "compat"])
    report = json.loads(capsys.readouterr().out)
    (entry,) = report["files"]
    (finding,) = entry["findings"]
    assert finding["cell"] == 2 and finding["code"] == "TFM001" and finding["range"]["line"] == 1


def test_parallel_jobs_give_same_result(tree, tmp_path):
    main([str(tree), "-o", str(tmp_path / "one"), "--level", "compat"])
    main([str(tree), "-o", str(tmp_path / "two"), "-j", "2", "--level", "compat"])
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_outputs_are_not_migrated_again(tree):
    from kernel_helpers.cli import collect

    main([str(tree / "a.py")])
    assert (tree / "a.tf2.py").exists()
    assert all(".tf2." not in p.name for p, _ in collect([str(tree)]))


def test_missing_file_is_usage_error(tmp_path, capsys):
    assert main([str(tmp_path / "nope.py")]) == 2


def test_help_and_module_entry_do_not_import_tensorflow():
    code = ("import sys, runpy\nsys.argv = ['tf2-migrate', '--help']\n"
            "try:\n    runpy.run_module('kernel_helpers.cli', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "import kernel_helpers.engine, kernel_helpers.rules\n"
            "assert 'tensorflow' not in sys.modules, 'tensorflow imported'\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "usage: tf2-migrate" in result.stdout


def test_analysis_does_not_import_tensorflow():
    code = ("import sys\nfrom kernel_helpers import migrate\n"
            "migrate('import tensorflow as tf\\ny = tf.log(x)\\n')\n"
            "assert 'tensorflow' not in sys.modules\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_verify_tolerances_reach_the_comparison(tmp_path, monkeypatch, capsys):
    """--rtol/--atol are passed to the verification (its comparisons run in real kernels in tests/verify)."""
    from kernel_helpers.notebook import verify

    seen = {}

    def fake_verify_file(path, migrated, written_to, **options):
        seen.update(options)
        raise SystemExit(0)

    monkeypatch.setattr(verify, "verify_file", fake_verify_file)
    source = tmp_path / "lesson.ipynb"
    write_notebook(source, make_notebook("import tensorflow as tf", "y = tf.log(2.0)"))
    with pytest.raises(SystemExit):
        main([str(source), "--verify", "--atol", "1e-3", "--rtol", "1e-4", "--no-progress"])
    assert seen["atol"] == 1e-3 and seen["rtol"] == 1e-4
