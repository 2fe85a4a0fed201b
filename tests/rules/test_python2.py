"""TFM000, TFM080 and TFM081: cells that do not parse, and Python 2 leftovers."""

import pytest

from helpers import assert_migrates, codes, migrated
from kernel_helpers import migrate

CASES = {
    "print-statement": ("import tensorflow as tf\nprint 'loss', tf.log(x)\n",
                        "import tensorflow as tf\nprint('loss', tf.math.log(x))\n"),
    "xrange": ("import tensorflow as tf\nfor i in xrange(3):\n    pass\n",
               "import tensorflow as tf\nfor i in range(3):\n    pass\n"),
    "except-comma": ("import tensorflow as tf\ntry:\n    pass\nexcept ValueError, e:\n    pass\n",
                     "import tensorflow as tf\ntry:\n    pass\nexcept ValueError as e:\n    pass\n"),
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_python2_fixed_then_migrated(before, after):
    assert_migrates(before, after)


def test_python2_without_tensorflow_left_alone():
    source = "print 'hello'\n"
    assert migrated(source) == source
    assert codes(source) == ["TFM000"]


def test_unparseable_cell_is_one_finding_and_untouched():
    source = "import tensorflow as tf\nW = tf.Variable(  # TODO\n"
    result = migrate(source, level="compat")
    assert result.source == source and not result.parsed
    assert [f.code for f in result.findings] == ["TFM000"]


def test_user_defined_xrange_is_kept():
    source = "import tensorflow as tf\ndef xrange(n):\n    return [n]\nfor i in xrange(3):\n    pass\n"
    assert_migrates(source, source)
