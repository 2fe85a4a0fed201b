"""Cells with IPython syntax are analysed around it, with positions kept."""

import pytest

from helpers import dedent
from kernel_helpers import analyze, migrate


@pytest.mark.parametrize("before,after", [
    ("%matplotlib inline\nimport tensorflow as tf\ny = tf.log(x)\n",
     "%matplotlib inline\nimport tensorflow as tf\ny = tf.math.log(x)\n"),
    ("import tensorflow as tf\n!pip install tensorflow==1.15\ny = tf.log(x)\n",
     "import tensorflow as tf\n!pip install tensorflow==1.15\ny = tf.math.log(x)\n"),
    ("import tensorflow as tf\nfiles = !ls *.csv\ny = tf.log(x)\n",
     "import tensorflow as tf\nfiles = !ls *.csv\ny = tf.math.log(x)\n"),
    ("import tensorflow as tf\ntf.nn.conv2d?\ny = tf.log(x)\n",
     "import tensorflow as tf\ntf.nn.conv2d?\ny = tf.math.log(x)\n"),
    ("%%time\nimport tensorflow as tf\ny = tf.log(x)\n",
     "%%time\nimport tensorflow as tf\ny = tf.math.log(x)\n"),
    ("import tensorflow as tf\nfor i in range(3):\n    %time y = tf.log(x)\n    z = tf.log(x)\n",
     "import tensorflow as tf\nfor i in range(3):\n    %time y = tf.log(x)\n    z = tf.math.log(x)\n"),
], ids=["line-magic", "shell", "shell-assign", "help", "cell-magic-time", "indented-magic"])
def test_magic_cells_migrate_around_magics(before, after):
    assert migrate(before, level="compat").source == after


def test_non_python_cell_magic_is_skipped():
    source = "%%bash\necho tf.log\n"
    result = migrate(source, level="compat")
    assert result.source == source and result.skipped


def test_positions_are_in_the_original_cell():
    source = "%matplotlib inline\nimport tensorflow as tf\ny = tf.log(x)\n"
    (finding,) = analyze(source, level="compat")
    assert (finding.range.line, finding.range.column, finding.range.end_column) == (3, 4, 10)
    assert source[finding.range.start:finding.range.end] == "tf.log"


def test_non_ascii_positions_are_code_points():
    source = "import tensorflow as tf\ny = 'é' + tf.log(x)\n"
    (finding,) = analyze(source, level="compat")
    assert source[finding.range.start:finding.range.end] == "tf.log"
    assert finding.range.column == len("y = 'é' + ")
