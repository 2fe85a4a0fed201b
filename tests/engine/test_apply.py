"""Choosing and applying fixes: safety, imports, levels, never breaking a cell."""

from kernel_helpers import analyze, migrate
from kernel_helpers.engine.edits import apply_edits, overlaps
from kernel_helpers.engine.finding import Applicability


def test_apply_edits_in_any_order():
    assert apply_edits("abcdef", [(4, 5, "E"), (0, 1, "A"), (2, 2, "+")]) == "Ab+cdEf"


def test_insertion_conflicts_with_replacement_at_same_point():
    assert overlaps((3, 3), (3, 6))
    assert not overlaps((6, 6), (3, 6))
    assert overlaps((2, 5), (4, 8)) and not overlaps((2, 4), (4, 8))


def test_import_added_once_after_docstring_and_future():
    source = '"""doc"""\nfrom __future__ import print_function\nfrom tensorflow import layers\na = layers.dense(x, 1)\nb = layers.conv2d(x, 1, 1)\n'
    out = migrate(source, level="compat").source
    assert out.count("import") == 2  # the future import and the rewritten layers import
    assert out.startswith('"""doc"""\nfrom __future__ import print_function\n')


def test_needed_import_is_inserted_after_cell_magic():
    source = "%%time\nfrom tensorflow.contrib import layers\ny = layers.xavier_initializer()\n"
    out = migrate(source, level="compat").source
    assert out.startswith("%%time\n")


def test_unsafe_fixes_hidden_unless_asked():
    source = "import tensorflow as tf\ns = tf.image.resize_bilinear(im, [2, 2])\n"
    safe = migrate(source, level="compat")
    assert "tf.compat.v1.image.resize_bilinear" in safe.source
    assert safe.hidden_unsafe == 1
    unsafe = migrate(source, level="compat", unsafe=True)
    assert "tf.image.resize(" in unsafe.source and unsafe.hidden_unsafe == 0


def test_manual_findings_have_no_fix_and_are_counted():
    result = migrate("import tensorflow as tf\ny = tf.nn.no_such_op(x)\n", level="compat")
    assert result.manual == 1 and not result.changed
    assert all(f.fix is None for f in result.findings if f.applicability is Applicability.MANUAL)


def test_unknown_level_is_a_clear_error():
    import pytest

    with pytest.raises(ValueError, match="unknown level"):
        analyze("x = 1\n", level="tf3")


def test_finding_to_dict_is_json_safe():
    import json

    (finding,) = analyze("import tensorflow as tf\ny = tf.log(x)\n", level="compat")
    data = json.loads(json.dumps(finding.to_dict()))
    assert data["code"] == "TFM001" and data["applicability"] == "safe" and data["replacement"] == "tf.math.log"


def test_ignored_codes_are_neither_fixed_nor_reported():
    source = "import tensorflow as tf\ny = tf.log(tf.placeholder(tf.float32))\n"
    result = migrate(source, level="compat", ignore={"TFM001"})
    assert "tf.log(" in result.source and "tf.compat.v1.placeholder" in result.source
    assert "TFM001" not in {f.code for f in result.findings}


def test_lifted_cell_findings_point_into_the_cell_as_written():
    source = ("import tensorflow as tf\nx = tf.placeholder(tf.float32, [None])\ny = x * 2.0\n"
              "sess = tf.Session()\nprint(sess.run(y, feed_dict={x: [1.0]}))\n")
    result = migrate(source, level="tf2")
    assert result.changed
    for finding in result.findings:
        assert 0 <= finding.range.start <= finding.range.end <= len(source)
    assert "TFM005" not in {f.code for f in result.findings}  # the lifting, not a compat rename, handles x
