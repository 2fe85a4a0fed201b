import pytest

from helpers import assert_migrates

CASES = {
    "one-shot": ("import tensorflow as tf\nb = ds.make_one_shot_iterator().get_next()\n",
                 "import tensorflow as tf\nb = tf.compat.v1.data.make_one_shot_iterator(ds).get_next()\n"),
    "initializable-chained": ("import tensorflow as tf\nit = ds.batch(2).make_initializable_iterator()\n",
                              "import tensorflow as tf\nit = tf.compat.v1.data.make_initializable_iterator(ds.batch(2))\n"),
    "output-types": ("import tensorflow as tf\nt = ds.output_types\n",
                     "import tensorflow as tf\nt = tf.compat.v1.data.get_output_types(ds)\n"),
}
NO_OP = {
    "no-tensorflow": "it = ds.make_one_shot_iterator()\n",
    "compat-form": "import tensorflow as tf\nit = tf.compat.v1.data.make_one_shot_iterator(ds)\n",
}


@pytest.mark.parametrize("before,after", CASES.values(), ids=CASES.keys())
def test_iterators(before, after):
    assert_migrates(before, after)


@pytest.mark.parametrize("source", NO_OP.values(), ids=NO_OP.keys())
def test_no_op(source):
    assert_migrates(source, source)
