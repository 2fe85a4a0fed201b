"""TFM081 python2-builtins."""

from __future__ import annotations

from kernel_helpers.engine.py2 import python2_runtime_edits
from kernel_helpers.engine.registry import Rule, register


@register
class Python2Builtins(Rule):
    """Python 2 code that parses as Python 3 but fails or misbehaves at run time.

    ## What it does
    Replaces `xrange` with `range`, `raw_input` with `input`, the `iteritems`/`itervalues`/`iterkeys`
    dictionary methods with `items`/`values`/`keys`, `d.has_key(k)` with `k in d`, and print statements
    that happen to parse as expressions (`print >>f, x`, a bare `print`), unless the cell defines those
    names itself.

    ## Why
    TF1 training loops are full of `for step in xrange(1000):`; under Python 3 the cell parses but stops
    with a `NameError` on its first line.

    ## Example
    ```python
    import tensorflow as tf
    for step in xrange(10):
        pass
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    for step in range(10):
        pass
    ```

    ## Fix safety
    Safe: Python 3's `range` and dictionary views iterate over the same values.
    """

    code = "TFM081"
    name = "python2-builtins"

    def check(self, cell):
        for edit in python2_runtime_edits(cell.source.text, tree=cell.tree):
            yield self.finding(cell, edit.start, edit.end, edit.message,
                               edits=[(edit.start, edit.end, edit.replacement)])
