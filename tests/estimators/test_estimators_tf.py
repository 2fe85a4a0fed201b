"""The migrated estimator notebooks run eagerly on TF 2.21 + Keras 3 and train to sensible metrics.

The TF1 originals cannot run on TF 2.21 (no ``tf.estimator``), so the check is that the migrated code runs,
with no ``tf.compat.v1`` or ``tf.estimator`` left, and learns: the 08 regressor's evaluation loss falls far
below the labels' variance, the 14 classifier is accurate, and a synthetic notebook exercising vocabulary,
identity and bucketized columns with a binary head separates its classes.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kernel_helpers.engine.api import migrate_cell
from kernel_helpers.engine.context import NotebookContext
from kernel_helpers.engine.estimators import estimators_to_keras

pytest.importorskip("tensorflow")

ROOT = Path(__file__).parents[2]
NOTEBOOKS = ROOT / "notebooks" / "tf1"

CHILD = r'''
import json, os, sys
import numpy as np
results = {}
for job in json.loads(sys.argv[1]):
    os.chdir(job["cwd"])
    scope = {"__name__": "__main__"}
    try:
        exec(compile(open(job["path"]).read(), job["path"], "exec"), scope)
        values = {}
        for name in job["names"]:
            value = eval(name, scope)
            values[name] = np.asarray(value).tolist() if not isinstance(value, (dict, list, str)) else value
        results[job["path"]] = {"values": values}
    except Exception as error:  # reported to the test
        import traceback
        results[job["path"]] = {"error": traceback.format_exc()}
print("@@RESULT@@" + json.dumps(results, default=lambda v: np.asarray(v).tolist()))
'''

SYNTHETIC = [
    "import numpy as np\nimport tensorflow as tf\n",
    '''rng = np.random.RandomState(0)
n = 600
x = {"size": rng.normal(size=n).astype(np.float32),
     "color": rng.choice(["red", "blue", "green"], n),
     "day": rng.randint(0, 7, n).astype(np.int64)}
y = ((x["size"] > 0.3) ^ (x["color"] == "red")).astype(np.int32)
color = tf.feature_column.categorical_column_with_vocabulary_list("color", ["red", "blue", "green"])
size = tf.feature_column.numeric_column("size")
columns = [size, tf.feature_column.indicator_column(color),
           tf.feature_column.bucketized_column(size, boundaries=[-1.0, 0.0, 0.3, 1.0]),
           tf.feature_column.indicator_column(tf.feature_column.categorical_column_with_identity("day", 7))]
train = tf.estimator.inputs.numpy_input_fn(x=x, y=y, batch_size=32, num_epochs=None, shuffle=True)
test = tf.estimator.inputs.numpy_input_fn(x=x, y=y, num_epochs=1, shuffle=False)
''',
    '''model = tf.estimator.DNNClassifier(hidden_units=[16], feature_columns=columns,
                                   optimizer=tf.train.AdamOptimizer(0.01),
                                   config=tf.estimator.RunConfig(tf_random_seed=0))
model.train(input_fn=train, steps=300)
metrics = model.evaluate(input_fn=test)
accuracy, auc = metrics["accuracy"], metrics["auc"]
predicted = [int(p["class_ids"][0]) for p in model.predict(input_fn=test)]
agreement = float(np.mean(np.array(predicted) == y))
names = sorted(model.get_variable_names())
''',
]


def migrated(cells: list[str]) -> str:
    context = NotebookContext.from_cells(cells)
    result = estimators_to_keras(cells, context)
    assert result is not None
    assert not [f for _, fs in result for f in fs if f.code == "TFM699"], "the rewrite refused"
    return "\n\n".join(migrate_cell(text, level="tf2", context=context).source for text, _ in result)


def notebook_cells(name: str) -> list[str]:
    notebook = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("estimators")
    programs = {
        "08": (notebook_cells("08_estimator_linear_regressor.ipynb"), NOTEBOOKS,
               ["final_loss", "float(np.var(eval_labels))", "eval_result['global_step']", "sorted(weights)",
                "predictions"]),
        "14": (notebook_cells("14_estimator_dnn_classifier.ipynb"), NOTEBOOKS,
               ["test_accuracy", "final_loss", "predicted_classes", "probabilities.sum(axis=1)"]),
        "synthetic": (SYNTHETIC, folder, ["accuracy", "auc", "agreement", "names"]),
    }
    jobs, sources = [], {}
    for name, (cells, cwd, names) in programs.items():
        source = migrated(cells)
        path = folder / f"{name}.py"
        path.write_text(source, encoding="utf-8")
        sources[name] = source
        jobs.append({"path": str(path), "cwd": str(cwd), "names": names})
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH="")
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(jobs)], check=False, capture_output=True,
                          text=True, timeout=300, env=env)
    marker = [line for line in done.stdout.splitlines() if line.startswith("@@RESULT@@")]
    assert marker, done.stderr[-3000:]
    results = json.loads(marker[-1][len("@@RESULT@@"):])
    return {name: (results[job["path"]], sources[name]) for name, job in zip(programs, jobs)}


def values(runs, name):
    result, source = runs[name]
    assert "error" not in result, result.get("error", "") + "\n" + source
    return result["values"]


@pytest.mark.parametrize("name", ["08", "14", "synthetic"])
def test_migrated_code_has_no_tf1_left(runs, name):
    source = runs[name][1]
    assert "tf.compat.v1" not in source and "tf.estimator" not in source and "tf.feature_column" not in source


def test_08_linear_regressor_learns(runs):
    got = values(runs, "08")
    assert got["final_loss"] < 0.1 * got["float(np.var(eval_labels))"]
    assert got["eval_result['global_step']"] == 400
    assert got["sorted(weights)"] == ["linear/linear_model/age/weights", "linear/linear_model/bias_weights",
                                      "linear/linear_model/distance/weights", "linear/linear_model/rooms/weights"]
    assert len(got["predictions"]) == 5


def test_14_dnn_classifier_learns(runs):
    got = values(runs, "14")
    assert got["test_accuracy"] > 0.8
    assert got["final_loss"] < 0.6
    assert got["predicted_classes"] == [0, 1, 2]
    assert got["probabilities.sum(axis=1)"] == pytest.approx([1, 1, 1], abs=1e-5)


def test_encoded_columns_and_binary_head_learn(runs):
    got = values(runs, "synthetic")
    assert got["accuracy"] > 0.9 and got["auc"] > 0.9
    assert got["agreement"] == pytest.approx(got["accuracy"], abs=1e-6)
    assert "dnn/hiddenlayer_0/kernel" in got["names"] and "dnn/logits/bias" in got["names"]
    assert "global_step" in got["names"]
