"""TFM013 image-resize."""

from __future__ import annotations

from kernel_helpers.engine.calls import tf1_calls
from kernel_helpers.engine.finding import Applicability
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.rewrite import qualified

METHODS = {
    "image.resize_bilinear": "BILINEAR",
    "image.resize_nearest_neighbor": "NEAREST_NEIGHBOR",
    "image.resize_bicubic": "BICUBIC",
    "image.resize_area": "AREA",
}
#: keywords with no TF 2 counterpart: such calls keep the tf.compat.v1 function (TFM005)
TF1_ONLY = {"align_corners", "half_pixel_centers"}


@register
class ImageResize(Rule):
    """`tf.image.resize_bilinear` and friends: one `tf.image.resize` with a `method` in TF 2.

    ## What it does
    Rewrites `tf.image.resize_bilinear`, `resize_nearest_neighbor`, `resize_bicubic`, `resize_area`
    and `resize_images` to `tf.image.resize(..., method=tf.image.ResizeMethod.X)`.

    ## Why
    TF 2 has a single resize function. Without this fix the calls move to `tf.compat.v1.image`
    (TFM005), which keeps TF1's numerics.

    ## Example
    ```python
    import tensorflow as tf
    small = tf.image.resize_bilinear(images, [14, 14])
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    small = tf.image.resize(images, [14, 14], method=tf.image.ResizeMethod.BILINEAR)
    ```

    ## Fix safety
    Unsafe: TF 2 samples at half-pixel centres, so the resized values differ from TF1's (most at the
    borders), and the result is float32 for every method. Calls that pass `align_corners` or
    `half_pixel_centers` are left to TFM005.
    """

    code = "TFM013"
    name = "image-resize"
    priority = 15

    def check(self, cell):
        for call in tf1_calls(cell, compat=True):
            if call.api not in METHODS and call.api != "image.resize_images":
                continue
            node = call.node
            if any(k.arg in TF1_ONLY for k in node.keywords) or len(node.args) > 2:
                continue
            resize, imports = qualified(cell, "tensorflow.image.resize")
            start, end = cell.source.span(node.func)
            edits = [(start, end, resize)]
            if call.api in METHODS:
                method, _ = qualified(cell, f"tensorflow.image.ResizeMethod.{METHODS[call.api]}")
                last = (node.keywords[-1].value if node.keywords else node.args[-1]) if (node.args or node.keywords) else None
                if last is None:
                    continue
                after = cell.source.span(last)[1]
                edits.append((after, after, f", method={method}"))
            yield self.finding(cell, start, end,
                               f"`tf.{call.api}` is `tf.image.resize` in TF 2 (half-pixel centres: values change)",
                               Applicability.UNSAFE, edits=edits, imports=imports)
