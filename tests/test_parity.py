"""The parity check (``benchmarks/parity.py``): its reference counter, its crash detection, and one run
against ``tf_upgrade_v2`` on a tiny corpus written here.

The counter is what the comparison with tf_upgrade_v2 rests on, so its tests pin exact counts on small
inputs: a counter that string-matched ``tf.`` or ignored imports would get them wrong.
"""

from __future__ import annotations

import json

import pytest

from benchmarks import parity
from benchmarks.parity import ORIGINAL, TF2_MIGRATE, TF_UPGRADE_V2, count_references

# ---------------------------------------------------------------- the counter (fast, no TensorFlow)


def test_counts_tf1_only_names_through_aliases_and_from_imports():
    count = count_references([
        "import tensorflow as tfx\nfrom tensorflow import placeholder as ph, float32\n",
        "a = ph(float32)\nb = tfx.Session()\nc = tfx.nn.relu(a)\nd = tfx.train.AdamOptimizer(0.1).minimize(c)\n",
    ])
    # placeholder, Session and train.AdamOptimizer are gone from TF 2; nn.relu and float32 are not
    assert count.tf1_only == 3
    assert count.names == {"tf.placeholder": 1, "tf.Session": 1, "tf.train.AdamOptimizer": 1}


def test_a_class_attribute_is_judged_by_its_class_and_a_module_member_by_itself():
    count = count_references([(
        "import tensorflow as tf\n"
        "a = tf.float32.as_numpy_dtype\n"  # attribute of a constant that exists: fine
        "v = tf.__version__\n"  # module dunders exist in every version
        "b = tf.GraphKeys.TRAINABLE_VARIABLES\n"  # attribute of a class TF 2 dropped: TF1-only
        "c = tf.nn.rnn_cell.LSTMCell\n"  # missing member of a module: TF1-only
    )])
    assert count.names == {"tf.GraphKeys.TRAINABLE_VARIABLES": 1, "tf.nn.rnn_cell.LSTMCell": 1}


def test_compat_v1_names_are_counted_apart_and_only_missing_ones_are_tf1_only():
    count = count_references([(
        "import tensorflow.compat.v1 as tf\n"
        "x = tf.placeholder(tf.float32)\n"
        "y = tf.layers.dense(x, 3)\n"
        "z = tf.contrib.layers.flatten(x)\n"
    )])
    assert count.compat_v1 == 4  # placeholder, float32, layers.dense, contrib.layers.flatten
    assert count.names == {"tf.compat.v1.contrib.layers.flatten": 1}
    assert count.legacy_keras == 1  # compat.v1.layers.dense needs tf_keras


def test_contrib_and_removed_module_imports_count_once_each_plus_their_uses():
    count = count_references([(
        "import tensorflow\nimport tensorflow.contrib\n"
        "import tensorflow.contrib.slim as slim\n"
        "from tensorflow.examples.tutorials.mnist import input_data\n"
        "net = slim.conv2d(1, 2, 3)\n"
    )])
    assert count.removed_imports == 3
    assert count.tf1_only == 4
    assert count.names["tf.contrib.slim.conv2d"] == 1


def test_shadowed_names_private_modules_magics_and_python2_cells():
    count = count_references([
        "%matplotlib inline\nimport tensorflow as tf\nfrom tensorflow.python.ops import rnn\n",
        "def f(tf):\n    return tf.placeholder\n",  # a parameter named tf is not TensorFlow
        "print tf.Session()\n",  # Python 2: counted in its repaired form
        "rnn.dynamic_rnn(1)\n",  # private, not TF1-only
        "%%bash\necho tf.placeholder\n",  # not Python
        "x = (\n",  # does not parse at all
    ])
    assert count.names == {"tf.Session": 1}
    assert count.private == 1
    assert count.uncounted_cells == 1


# ---------------------------------------------------------------- crash detection (fast)


def test_an_exception_in_the_cli_is_a_crash_with_its_traceback(tmp_path, monkeypatch):
    from kernel_helpers import cli

    def explode(argv):
        raise RuntimeError("boom in the engine")

    monkeypatch.setattr(cli, "main", explode)
    source = tmp_path / "a.py"
    source.write_text("import tensorflow as tf\n")
    run = parity.run_tf2_migrate(source, tmp_path / "out.py", timeout=30)
    assert run.crash is not None and "RuntimeError: boom in the engine" in run.crash


def test_a_file_that_does_not_parse_is_a_clean_report_not_a_crash(tmp_path):
    source = tmp_path / "broken.py"
    source.write_text("import tensorflow as tf\nx = (\n")
    run = parity.run_tf2_migrate(source, tmp_path / "out.py", timeout=30)
    assert run.crash is None
    assert run.exit_code == 1 and run.error


def test_unparseable_cells_are_found_only_where_the_input_parsed():
    before = ["x = 1\n", "print 'py2'\n", "%time y = 2\n"]
    after = ["x = (\n", "print 'py2'\n", "%time y = 2\n"]
    broken = parity._unparseable_cells(before, after)
    assert [b["cell"] for b in broken] == [0]


# ---------------------------------------------------------------- one run against tf_upgrade_v2 (slow)


GRAPH_SCRIPT = """\
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 4])
w = tf.Variable(tf.random_normal([4, 2]))
y = tf.nn.dropout(tf.matmul(x, w), keep_prob=0.8)
loss = tf.reduce_mean(tf.square(y))
train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
"""

# tf_upgrade_v2 matches dotted names only: it leaves all three names below as they are.
FROM_IMPORT_SCRIPT = """\
from tensorflow import placeholder, float32, Session, global_variables_initializer

x = placeholder(float32, [None, 3])
with Session() as sess:
    sess.run(global_variables_initializer())
"""

CONTRIB_SCRIPT = """\
import tensorflow as tf
import tensorflow.contrib.slim as slim

images = tf.placeholder(tf.float32, [None, 28, 28, 1])
net = slim.conv2d(images, 32, [3, 3])
net = slim.flatten(net)
"""

# A Python 2 print makes tf_upgrade_v2 give up on the whole file.
PYTHON2_SCRIPT = """\
import tensorflow as tf

x = tf.placeholder(tf.float32)
print "shape:", x.get_shape()
"""


def _notebook() -> dict:
    # Sources as lists of lines, the way nbformat writes them: tf_upgrade_v2 cannot read string sources.
    def code(source: str) -> dict:
        return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                "source": source.splitlines(keepends=True)}

    return {
        "cells": [
            code("%matplotlib inline\nimport tensorflow as tf\nfrom tensorflow import placeholder"),
            {"cell_type": "markdown", "metadata": {}, "source": ["A TF1 graph"]},
            code("x = placeholder(tf.float32, [None, 2])\nw = tf.Variable(tf.random_normal([2, 1]))\n"
                 "y = tf.matmul(x, w)"),
            code("!ls\nsess = tf.Session()\nsess.run(tf.global_variables_initializer())"),
            code("%%bash\necho done"),
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 2,
    }


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    try:
        parity.tf_upgrade_v2_executable()
    except FileNotFoundError:
        pytest.skip("tf_upgrade_v2 is not installed (it ships with tensorflow)")
    base = tmp_path_factory.mktemp("parity")
    corpus = base / "corpus"
    (corpus / "scripts").mkdir(parents=True)
    (corpus / "notebooks").mkdir()
    files = {
        "scripts/graph.py": GRAPH_SCRIPT,
        "scripts/from_import.py": FROM_IMPORT_SCRIPT,
        "scripts/contrib.py": CONTRIB_SCRIPT,
        "scripts/python2.py": PYTHON2_SCRIPT,
        "notebooks/tutorial.ipynb": json.dumps(_notebook(), indent=1),
    }
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    before = {name: (corpus / name).read_bytes() for name in files}
    out = base / "results.json"
    exit_code = parity.main([str(corpus), "--json", str(out), "--work", str(base / "work"), "--quiet"])
    data = json.loads(out.read_text())
    after = {name: (corpus / name).read_bytes() for name in files}
    return exit_code, data, before == after


def _file(data: dict, path: str) -> dict:
    return next(f for f in data["files"] if f["path"] == path)


@pytest.mark.slow
def test_the_bar_holds_on_a_tiny_corpus(tiny_run):
    exit_code, data, corpus_untouched = tiny_run
    total = data["total"]
    assert corpus_untouched
    assert (total["files"], total["cells"]) == (5, 8)  # 4 scripts + 4 code cells
    assert set(data["repos"]) == {"scripts", "notebooks"}
    for check in ("crashes", "inputs_changed", "unparseable_outputs", "non_idempotent"):
        assert total[check] == 0, (check, data["files"])
    assert data["passed"] and exit_code == 0


@pytest.mark.slow
def test_tf2_migrate_leaves_no_more_tf1_only_references_than_tf_upgrade_v2(tiny_run):
    _, data, _ = tiny_run
    for f in data["files"]:
        assert f["refs"][TF2_MIGRATE]["tf1_only"] <= f["refs"][TF_UPGRADE_V2]["tf1_only"], f
    graph = _file(data, "scripts/graph.py")["refs"]
    assert graph[ORIGINAL]["tf1_only"] > 0  # the counter saw the TF1 code in the first place
    assert graph[TF_UPGRADE_V2]["compat_v1"] > 0 and graph[TF2_MIGRATE]["compat_v1"] > 0


@pytest.mark.slow
def test_from_imports_are_where_tf_upgrade_v2_falls_behind(tiny_run):
    _, data, _ = tiny_run
    refs = _file(data, "scripts/from_import.py")["refs"]
    assert refs[TF_UPGRADE_V2]["tf1_only"] == refs[ORIGINAL]["tf1_only"] == 3
    assert refs[TF2_MIGRATE]["tf1_only"] < refs[TF_UPGRADE_V2]["tf1_only"]
    notebook = _file(data, "notebooks/tutorial.ipynb")["refs"]
    assert notebook[TF2_MIGRATE]["tf1_only"] < notebook[TF_UPGRADE_V2]["tf1_only"]


@pytest.mark.slow
def test_a_file_tf_upgrade_v2_cannot_parse_is_a_failure_counted_as_the_original(tiny_run):
    _, data, _ = tiny_run
    python2 = _file(data, "scripts/python2.py")
    assert python2["tf_upgrade_v2_failure"] and "parse" in python2["tf_upgrade_v2_failure"].lower()
    assert python2["refs"][TF_UPGRADE_V2] == python2["refs"][ORIGINAL]
    assert data["total"]["tf_upgrade_v2_failures"] == 1
