"""The hand-curated contrib and removed-module data: resolution rules, and every entry checked
against the installed packages so that the data cannot drift from reality."""

import json
import re

import pytest
from api_child import installed, run_json

from kernel_helpers.api import curated
from kernel_helpers.api.curated import KINDS, MANUAL, MODULE, RENAME, Curated, default_path
from kernel_helpers.api.tables import tables

DOCUMENT = json.loads(default_path().read_text(encoding="utf-8"))
CONTRIB = DOCUMENT["contrib"]
REMOVED = DOCUMENT["removed_modules"]
GUIDE = re.compile(r"^https://www\.tensorflow\.org/guide/migrate/[a-z0-9_]+(#[a-z0-9_]+)?$")


def _probe_request(legacy: bool) -> dict:
    return {key: raw for key, raw in CONTRIB.items() if bool(raw.get("legacy_keras")) == legacy}


@pytest.fixture(scope="module")
def probed():
    """Resolve every curated target in one child process per Keras mode."""
    if not installed("tensorflow", "tf_slim"):
        pytest.skip("tensorflow and tf_slim are needed to check curated targets")
    request = {"entries": _probe_request(False), "absent": sorted(REMOVED)}
    results = run_json("curated_probe.py", request, legacy_keras=False)
    if installed("tf_keras"):
        legacy = run_json("curated_probe.py", {"entries": _probe_request(True)}, legacy_keras=True)
        results["entries"].update(legacy["entries"])
    return results


# -- resolution rules (no TensorFlow needed) -----------------------------------------------


def test_exact_entry_wins_over_its_module_entry():
    entry = curated().contrib("contrib.layers.xavier_initializer")
    assert entry.key == "contrib.layers.xavier_initializer"
    assert entry.target == "tensorflow.keras.initializers.GlorotUniform"


def test_module_entry_forwards_a_listed_member():
    entry = curated().contrib("contrib.layers.repeat")
    assert "repeat" in CONTRIB["contrib.layers"]["members"]
    assert (entry.key, entry.kind, entry.target) == ("contrib.layers", RENAME, "tf_slim.layers.repeat")
    assert entry.reference() == "slim.layers.repeat"


def test_module_entry_does_not_invent_a_missing_member():
    entry = curated().contrib("contrib.layers.no_such_layer")
    assert entry.kind == MANUAL and entry.target is None
    assert "no_such_layer" in entry.note


def test_attribute_below_a_renamed_class_follows_the_rename():
    entry = curated().contrib("contrib.rnn.LSTMCell.zero_state")
    assert entry.target == "tensorflow.compat.v1.nn.rnn_cell.LSTMCell.zero_state"
    assert entry.legacy_keras


def test_manual_entry_covers_its_subtree():
    entry = curated().contrib("contrib.seq2seq.BahdanauAttention")
    assert entry.key == "contrib.seq2seq" and entry.kind == MANUAL


def test_unlisted_submodule_falls_back_to_the_contrib_entry():
    entry = curated().contrib("contrib.ffmpeg.decode_audio")
    assert entry.key == "contrib" and entry.kind == MANUAL


def test_names_outside_contrib_are_not_answered():
    assert curated().contrib("layers.dense") is None
    assert curated().contrib("contribution") is None


def test_removed_module_matches_by_longest_prefix():
    assert curated().removed_module("estimator.DNNClassifier").key == "estimator"
    assert curated().removed_module("examples.tutorials.mnist.input_data").key == "examples.tutorials.mnist"
    assert curated().removed_module("examples.other").key == "examples"
    assert curated().removed_module("nn.relu") is None


@pytest.mark.parametrize(
    ("statement", "target", "expected"),
    [
        ("import tf_slim as slim", "tf_slim.layers.conv2d", "slim.layers.conv2d"),
        ("import tensorflow as tf", "tensorflow.compat.v1.nn.static_rnn", "tf.compat.v1.nn.static_rnn"),
        ("import tensorflow", "tensorflow.nest", "tensorflow.nest"),
        ("from tensorboard.plugins import projector", "tensorboard.plugins.projector.Config", "projector.Config"),
        ("import tf_slim as slim", "tensorflow.nest", None),
    ],
    ids=["alias", "alias-deep", "plain-import", "from-import", "import-does-not-bind-target"],
)
def test_reference_expression(statement, target, expected):
    entry = curated().contrib("contrib.slim")
    entry = type(entry)(key="k", kind=RENAME, target=target, import_statement=statement, note="n")
    assert entry.reference() == expected


def test_curated_is_read_once():
    assert curated() is curated()
    assert isinstance(curated(), Curated)


# -- one test per curated entry --------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(CONTRIB), ids=sorted(CONTRIB))
def test_contrib_entry(key, probed):
    raw = CONTRIB[key]
    assert key == "contrib" or key.startswith("contrib.")
    assert raw["kind"] in KINDS
    assert raw["note"].strip() and raw["note"].rstrip().endswith((".", ")"))
    assert tables().v1_target(key) is None, "contrib names must not exist in TF 2.21"
    if raw["kind"] in (RENAME, MODULE):
        assert raw["target"], "rename and module entries need a target"
    if raw["target"] is None:
        assert raw.get("import") is None and "members" not in raw
        return
    assert raw["import"], "a target needs the import statement that reaches it"
    result = probed["entries"].get(key)
    if result is None:
        pytest.skip("tf_keras is not installed; legacy-Keras targets were not checked")
    assert result["target"] == "ok", f"{raw['target']}: {result['target']}"
    assert result["import"] == "ok", f"{raw['import']} does not reach {raw['target']}: {result['import']}"
    if raw["kind"] == MODULE:
        assert raw["members"] == result["members"], f"update the members of {key} to: {json.dumps(result['members'])}"
    else:
        assert "members" not in raw


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(REMOVED), ids=sorted(REMOVED))
def test_removed_module_entry(key, probed):
    raw = REMOVED[key]
    assert GUIDE.match(raw["guide"]), raw["guide"]
    assert raw["note"].strip()
    assert probed["absent"][key] is True, f"{key} still exists in the installed TensorFlow"
    assert tables().v1_target(key) is None and not tables().in_v2(key)



RENAMES = DOCUMENT.get("renames", {})
SIGNATURES = """
import inspect, json, sys
import tensorflow as tf

def get(path):
    obj = tf
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj

request = json.load(sys.stdin)
print(json.dumps({key: [list(inspect.signature(get("compat.v1." + key)).parameters),
                        list(inspect.signature(get(target)).parameters)]
                  for key, target in request.items()}))
"""


@pytest.fixture(scope="module")
def rename_signatures():
    if not installed("tensorflow"):
        pytest.skip("tensorflow is needed to check curated renames")
    import subprocess
    import sys

    from api_child import child_env

    request = {key: raw["target"] for key, raw in RENAMES.items()}
    done = subprocess.run([sys.executable, "-c", SIGNATURES], input=json.dumps(request), capture_output=True,
                          text=True, env=child_env(False), timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(RENAMES), ids=sorted(RENAMES))
def test_curated_rename_carries_calls_over(key, rename_signatures):
    """Both names exist, and the TF1 call becomes the TF 2 call by the listed keyword renames alone:
    the i-th TF1 parameter, renamed, is the i-th TF 2 parameter (extra trailing TF 2 ones are optional)."""
    raw = RENAMES[key]
    old, new = rename_signatures[key]
    assert set(raw.get("keywords", {})) <= set(old)
    renamed = [raw.get("keywords", {}).get(name, name) for name in old]
    # a TF1 alias the TF 2 function folded into another parameter (softmax's `dim` -> `axis`) is dropped
    renamed = [name for i, name in enumerate(renamed) if name not in renamed[:i]]
    assert renamed == new[: len(renamed)], f"{key}: {old} -> {new}"
    assert raw["note"].strip()


TF0 = DOCUMENT.get("tf0_renames", {})
TARGETS = """
import json, sys
import tensorflow as tf
found = {}
for key, target in json.load(sys.stdin).items():
    obj = tf
    try:
        for part in target.split("."):
            obj = getattr(obj, part)
        found[key] = callable(obj)
    except AttributeError:
        found[key] = False
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def tf0_targets():
    if not installed("tensorflow"):
        pytest.skip("tensorflow is needed to check the TF 0.x renames")
    import subprocess
    import sys

    from api_child import child_env

    done = subprocess.run([sys.executable, "-c", TARGETS], input=json.dumps({k: v["target"] for k, v in TF0.items()}),
                          capture_output=True, text=True, env=child_env(False), timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout)


@pytest.mark.slow
@pytest.mark.parametrize("key", sorted(TF0), ids=sorted(TF0))
def test_tf0_rename_target_exists_and_the_old_name_does_not(key, tf0_targets):
    assert tf0_targets[key], f"{TF0[key]['target']} is not a callable in TensorFlow"
    assert not tables().in_v1(key) and not tables().in_v2(key), f"{key} still exists: it is no TF 0.x name"
    assert TF0[key]["note"].strip()
