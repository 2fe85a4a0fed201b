import pytest

from helpers import assert_migrates, codes

UNSAFE = {
    "bilinear": ("import tensorflow as tf\ns = tf.image.resize_bilinear(im, [14, 14])\n",
                 "import tensorflow as tf\ns = tf.image.resize(im, [14, 14], method=tf.image.ResizeMethod.BILINEAR)\n"),
    "nearest": ("import tensorflow as tf\ns = tf.image.resize_nearest_neighbor(im, size)\n",
                "import tensorflow as tf\ns = tf.image.resize(im, size, method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)\n"),
}


@pytest.mark.parametrize("before,after", UNSAFE.values(), ids=UNSAFE.keys())
def test_unsafe_fix(before, after):
    assert_migrates(before, after, unsafe=True)


def test_safe_default_keeps_tf1_numerics():
    assert_migrates("import tensorflow as tf\ns = tf.image.resize_bilinear(im, [14, 14])\n",
                    "import tensorflow as tf\ns = tf.image.resize_bilinear(im, [14, 14])\n".replace(
                        "tf.image", "tf.compat.v1.image"))
    assert "TFM013" in codes("import tensorflow as tf\ns = tf.image.resize_bilinear(im, [14, 14])\n")


def test_align_corners_left_to_compat():
    source = "import tensorflow as tf\ns = tf.image.resize_bilinear(im, [4, 4], align_corners=True)\n"
    assert "TFM013" not in codes(source)
