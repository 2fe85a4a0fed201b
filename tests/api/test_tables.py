"""The generated TF API tables: loader behaviour on real entries, import hygiene, and (with
TensorFlow installed) that the committed JSON is current and every target exists."""

import json
import re
import subprocess
import sys

import pytest
from api_child import REPO_ROOT, child_env, requires_legacy, requires_tf, run_json

from kernel_helpers.api import ApiTables, tables
from kernel_helpers.api.jsonfmt import render
from kernel_helpers.api.tables import default_path


@pytest.fixture(scope="module")
def api() -> ApiTables:
    return tables()


# -- symbols -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("v1_name", "target"),
    [
        ("log", "math.log"),  # moved module, same object
        ("random_normal", "random.normal"),
        ("placeholder", "compat.v1.placeholder"),  # no TF2 export
        ("train.AdamOptimizer", "compat.v1.train.AdamOptimizer"),
        ("reduce_sum", "reduce_sum"),  # successor with the same name
        ("nn.dropout", "nn.dropout"),
        ("image.resize_images", "image.resize"),  # successor under another name
        ("summary.scalar", "compat.v1.summary.scalar"),  # TF2's summary.scalar needs data=, not tensor=
        ("losses.mean_squared_error", "compat.v1.losses.mean_squared_error"),  # tf.losses is Keras in TF2
        ("layers.dense", "compat.v1.layers.dense"),  # legacy Keras only
        ("nn.rnn_cell.LSTMCell", "compat.v1.nn.rnn_cell.LSTMCell"),
        ("float32", "float32"),
        ("GRAPH_DEF_VERSION", "version.GRAPH_DEF_VERSION"),  # constant moved by export metadata
        ("nn", "nn"),
        ("gfile", "compat.v1.gfile"),
        ("initializers", "compat.v1.initializers"),  # tf.initializers is Keras in TF2
        ("keras.layers.Dense", "keras.layers.Dense"),  # keras passthrough
        ("raw_ops.Add", "raw_ops.Add"),
    ],
)
def test_v1_target(api, v1_name, target):
    assert api.v1_target(v1_name) == target
    assert api.in_v1(v1_name)


def test_unknown_names(api):
    for name in ("no_such_symbol", "contrib.layers.conv2d", "estimator.Estimator", "math.no_such"):
        assert api.v1_target(name) is None
        assert api.v1_kind(name) is None
        assert not api.in_v1(name)
        assert not api.in_v2(name)


@pytest.mark.parametrize(
    ("v1_name", "kind"),
    [
        ("nn", "module"),
        ("train.AdamOptimizer", "class"),
        ("log", "function"),
        ("float32", "constant"),
        ("layers.dense", "function"),
    ],
)
def test_v1_kind(api, v1_name, kind):
    assert api.v1_kind(v1_name) == kind


@pytest.mark.parametrize(
    ("name", "exists"),
    [
        ("math.log", True),
        ("log", False),
        ("placeholder", False),
        ("nn", True),
        ("keras", True),
        ("keras.layers.Dense", True),  # keras subtree, not enumerated
        ("keras.utils.track_tf1_style_variables", False),  # TF1 Keras only (tf_keras)
        ("keras.estimator.model_to_estimator", False),  # below a TF1-only keras module
        ("raw_ops.Add", True),
        ("compat.v1.placeholder", True),
        ("compat.v1.layers.dense", False),  # exists only with TF_USE_LEGACY_KERAS=1
        ("compat.v2.math.log", True),
        ("compat.v2.log", False),
        ("compat.as_bytes", True),
    ],
)
def test_in_v2(api, name, exists):
    assert api.in_v2(name) is exists


def test_legacy_keras_and_successor_flags(api):
    assert api.needs_legacy_keras("layers.dense")
    assert api.needs_legacy_keras("nn.rnn_cell.LSTMCell")
    assert not api.needs_legacy_keras("nn.dynamic_rnn")
    assert api.is_successor("reduce_sum") and api.is_successor("image.resize_images")
    assert not api.is_successor("log")  # same object under a new name
    assert not api.is_successor("placeholder")


def test_longest_known_prefix(api):
    assert api.longest_known_prefix("nn.rnn_cell.LSTMCell.zero_state") == "nn.rnn_cell.LSTMCell"
    assert api.longest_known_prefix("train.AdamOptimizer") == "train.AdamOptimizer"
    assert api.longest_known_prefix("math.no_such.attr") == "math"
    assert api.longest_known_prefix("no_such.module") is None


# -- call sites --------------------------------------------------------------------------------


def test_dropout_keep_prob_is_removed_not_renamed(api):
    # keep_prob=p means rate=1-p: a value rewrite, so it must not appear as a plain rename.
    assert "keep_prob" in api.removed_keywords("nn.dropout")
    assert "keep_prob" not in api.keyword_renames("nn.dropout")


def test_reduce_sum_keyword_renames(api):
    assert api.keyword_renames("reduce_sum") == {"keep_dims": "keepdims", "reduction_indices": "axis"}
    assert api.keyword_rename_sources("reduce_sum") == {"keep_dims": "deprecation", "reduction_indices": "deprecation"}
    assert api.keyword_renames("math.reduce_sum") == api.keyword_renames("reduce_sum")
    assert api.removed_keywords("reduce_sum") == frozenset()


def test_argmax_dimension_becomes_axis(api):
    assert api.keyword_renames("argmax") == {"dimension": "axis"}
    # v1 argmax(input, axis, name, dimension, output_type) vs v2 argmax(input, axis, output_type, name)
    assert api.reorder("argmax") == ("input", "axis", "name", "dimension", "output_type")
    assert api.reorder_first_changed("argmax") == 2


def test_upgrade_script_renames_are_recorded_with_their_source(api):
    # ones_like's tensor -> input is a renamed parameter, not a deprecated alias, so only the
    # upgrade script knows it; inspect confirmed both signatures before it was kept, and it is what
    # lets the TF2 ones_like count as the successor at all.
    assert api.keyword_renames("ones_like") == {"tensor": "input"}
    assert api.keyword_rename_sources("ones_like") == {"tensor": "upgrade_script"}
    assert api.v1_target("ones_like") == "ones_like" and api.is_successor("ones_like")
    # nn.l2_normalize is one object in TF1 and TF2; its deprecated dim alias is still renamed.
    assert api.keyword_renames("nn.l2_normalize") == {"dim": "axis"}
    assert not api.is_successor("nn.l2_normalize")


def test_deprecated_parameter_renames_come_from_tensorflow_source(api):
    assert api.keyword_renames("nn.conv2d")["filter"] == "filters"
    assert api.keyword_rename_sources("nn.conv2d")["filter"] == "deprecation"
    assert api.keyword_renames("cond") == {"fn1": "true_fn", "fn2": "false_fn"}  # paired in one instruction
    assert "use_cudnn_on_gpu" in api.removed_keywords("nn.conv2d")


def test_functions_without_changes_have_empty_tables(api):
    assert api.keyword_renames("log") == {}
    assert api.removed_keywords("log") == frozenset()
    assert api.reorder("log") is None
    assert api.reorder_first_changed("no_such_symbol") is None


def test_returned_tables_are_copies(api):
    api.keyword_renames("reduce_sum")["keep_dims"] = "broken"
    assert api.keyword_renames("reduce_sum")["keep_dims"] == "keepdims"


# -- the file itself ---------------------------------------------------------------------------


def test_loaded_once_per_process():
    assert tables() is tables()


def test_committed_json_is_in_canonical_layout():
    text = default_path().read_text(encoding="utf-8")
    assert render(json.loads(text)) == text


def test_records_the_tensorflow_version(api):
    assert re.fullmatch(r"2\.\d+\.\d+.*", api.tensorflow_version)


def test_targets_outside_compat_are_v2_names(api):
    document = json.loads(default_path().read_text(encoding="utf-8"))
    for name, (target, _) in document["symbols"].items():
        if not target.startswith("compat.v1."):
            assert api.in_v2(target), f"{name} -> {target} is not a TF2 name"


def test_importing_the_package_does_not_import_tensorflow():
    code = (
        "import sys, kernel_helpers.api as api\n"
        "assert api.tables().v1_target('log') == 'math.log'\n"
        "assert api.curated().contrib('contrib.slim').target == 'tf_slim'\n"
        "print(sorted(m for m in ('tensorflow', 'tf_slim', 'keras', 'tf_keras') if m in sys.modules))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=child_env(False), cwd=REPO_ROOT, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


# -- against the installed TensorFlow (slow) ---------------------------------------------------


@pytest.mark.slow
@requires_tf
def test_generator_check_mode_finds_the_committed_json_current():
    completed = subprocess.run(
        [sys.executable, "-m", "kernel_helpers.api.generate", "--check"],
        capture_output=True,
        text=True,
        env=child_env(False),
        cwd=REPO_ROOT,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]


@pytest.mark.slow
@requires_tf
def test_every_target_and_v2_name_exists_with_keras_3(api):
    document = json.loads(default_path().read_text(encoding="utf-8"))
    legacy = set(document["legacy_keras"])
    names = sorted(
        {target for name, (target, _) in document["symbols"].items() if name not in legacy} | set(document["v2"])
    )
    assert run_json("tables_probe.py", {"names": names}, legacy_keras=False)["missing"] == []


@pytest.mark.slow
@requires_legacy
def test_every_legacy_keras_target_exists_with_tf_keras(api):
    document = json.loads(default_path().read_text(encoding="utf-8"))
    names = sorted(document["symbols"][name][0] for name in document["legacy_keras"])
    assert names and all(name.startswith("compat.v1.") for name in names)
    assert run_json("tables_probe.py", {"names": names}, legacy_keras=True)["missing"] == []
