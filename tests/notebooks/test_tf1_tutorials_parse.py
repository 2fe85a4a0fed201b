"""The TF1 tutorial notebooks in notebooks/tf1/ are well-formed inputs for the migration tool.

These tests are static on purpose: executing the notebooks needs the TF1 reference runtime and is
covered by the side-by-side tests.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

from kernel_helpers import migrate_notebook
from kernel_helpers.engine.masking import mask_magics

REPO = Path(__file__).resolve().parents[2]
TF1_DIR = REPO / "notebooks" / "tf1"
DATA_DIR = REPO / "notebooks" / "data"
NOTEBOOKS = sorted(TF1_DIR.glob("*.ipynb"))
IDS = [path.stem for path in NOTEBOOKS]

# The TF1 idioms the collection promises to cover (notebooks/tf1/README.md); each must appear in
# the code of at least one notebook, so that trimming a notebook cannot silently drop one.
REQUIRED_IDIOMS = (
    "tf.constant(", "tf.Session(", "tf.placeholder(", "feed_dict=", "tf.log(", "tf.random_normal(",
    "tf.Variable(", "tf.train.GradientDescentOptimizer(", ".minimize(", "tf.train.AdamOptimizer(",
    "from tensorflow.examples.tutorials.mnist import input_data",
    'input_data.read_data_sets("MNIST_data/", one_hot=True)', "mnist.train.next_batch(",
    "tf.nn.softmax_cross_entropy_with_logits_v2(", "tf.argmax(",
    "tf.layers.dense(", "tf.layers.dropout(",
    "tf.variable_scope(", "tf.get_variable(", "tf.nn.conv2d(", "tf.nn.max_pool(",
    "tf.nn.rnn_cell.BasicLSTMCell(", "from tensorflow.contrib import rnn", "tf.nn.dynamic_rnn(",
    ".make_one_shot_iterator()", ".make_initializable_iterator()", ".get_next()",
    "tf.estimator.LinearRegressor(", "tf.estimator.DNNClassifier(", "tf.feature_column.numeric_column(",
    "input_fn",
    "tf.train.Saver(", ".restore(",
    "tf.summary.scalar(", "tf.summary.merge_all()", "tf.summary.FileWriter(",
    "tf.app.flags", "tf.logging.",
    "import tensorflow.contrib.slim as slim", "slim.fully_connected(",
    "tf.contrib.layers.xavier_initializer()",
    "tf.global_variables_initializer()", "tf.InteractiveSession()", "tf.reset_default_graph()",
    "reduction_indices=", "keep_prob", "tf.to_float(", "%matplotlib inline",
)

# Writing checkpoints, event files or estimator state is fine only into a fresh temp dir.
_WRITES_FILES = re.compile(r"\.save\(|FileWriter\(|model_dir|DEFINE_string\(\"train_dir\"")


def _code_cells(path: Path) -> list[str]:
    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def _all_code(path: Path) -> str:
    return "\n".join(_code_cells(path))


def test_there_are_at_least_twelve_tutorials():
    assert len(NOTEBOOKS) >= 12, [path.name for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_valid_nbformat_4_5_with_python3_kernel(path):
    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    assert (notebook.nbformat, notebook.nbformat_minor) == (4, 5)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    ids = [cell.id for cell in notebook.cells]
    assert len(ids) == len(set(ids)), "cell ids must be unique"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_has_no_outputs(path):
    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {index} has outputs"
            assert cell.execution_count is None, f"cell {index} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_reads_like_a_tutorial(path):
    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    kinds = [cell.cell_type for cell in notebook.cells]
    assert kinds[0] == "markdown" and notebook.cells[0].source.startswith("# "), "starts with a title"
    assert kinds.count("markdown") >= 3 and kinds.count("code") >= 4
    code = _all_code(path)
    assert re.search(r"^import tensorflow as tf$", code, re.MULTILINE)
    assert "tf.compat" not in code, "the originals use the TF1 API directly"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_code_cell_parses_with_magics_masked(path):
    for index, source in enumerate(_code_cells(path)):
        masked = mask_magics(source)
        assert masked.skip_reason is None, f"cell {index} is not Python: {masked.skip_reason}"
        assert len(masked.text) == len(source)
        ast.parse(masked.text, filename=f"{path.name}[{index}]")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_compat_migration_changes_the_notebook_and_keeps_it_valid(path):
    before = path.read_bytes()
    result = migrate_notebook(path, level="compat")
    assert result.skipped is None
    assert result.changed
    assert all(cell.migration.parsed for cell in result.cells)
    assert result.validation_errors == []
    assert path.read_bytes() == before, "migrating must not write the original"
    for cell in result.notebook["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            ast.parse(mask_magics(source).text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_random_notebooks_fix_their_seeds_and_write_only_to_temp_dirs(path):
    code = _all_code(path)
    if "tf.estimator." not in code:  # estimators take their seed from RunConfig(tf_random_seed=...)
        assert "tf.set_random_seed(0)" in code
    if re.search(r"np\.random\.(randn|rand|randint|permutation)\(", code):
        assert "np.random.seed(0)" in code
    if _WRITES_FILES.search(code):
        assert "tempfile.mkdtemp(" in code
    assert not re.search(r"""["'](/|~)""", code), "no absolute paths"


def test_collection_covers_the_promised_tf1_idioms():
    corpus = "\n".join(_all_code(path) for path in NOTEBOOKS)
    missing = [idiom for idiom in REQUIRED_IDIOMS if idiom not in corpus]
    assert missing == []
    assert corpus.count("tf.InteractiveSession()") == 1


def test_readme_has_one_line_per_notebook():
    readme = (TF1_DIR / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"`([0-9]{2}_[a-z0-9_]+\.ipynb)`", readme)
    assert sorted(listed) == [path.name for path in NOTEBOOKS]


def test_data_files_are_reproduced_by_their_script(tmp_path):
    spec = importlib.util.spec_from_file_location("tf1_tutorial_data", DATA_DIR / "make_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.write_all(tmp_path)
    assert {path.name for path in written} == {path.name for path in DATA_DIR.glob("*.csv")}
    for path in written:
        assert path.read_bytes() == (DATA_DIR / path.name).read_bytes(), path.name
    total = sum(path.stat().st_size for path in DATA_DIR.iterdir() if path.is_file())
    assert total < 3 * 1024 * 1024


def test_notebooks_read_only_data_files_that_exist():
    for path in NOTEBOOKS:
        for name in re.findall(r"""["']([a-z_]+\.csv)["']""", _all_code(path)):
            assert (DATA_DIR / name).is_file(), f"{path.name} reads missing data file {name}"
