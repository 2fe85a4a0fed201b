"""TFM080 python2-syntax."""

from __future__ import annotations

from kernel_helpers.engine.finding import Applicability, Edit, Finding, Fix
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.source import Source


@register
class Python2Syntax(Rule):
    """Python 2 syntax that stops a TF1 tutorial cell from parsing.

    ## What it does
    Rewrites print statements, `except E, e`, `raise E, msg`, backticks, `<>`, old octal and long
    literals at the token level, so that the rest of the cell can be parsed and migrated.

    ## Why
    Many TF1 tutorials were written for Python 2. One print statement makes the whole cell unparseable,
    and `tf_upgrade_v2` then gives up on the whole notebook.

    ## Example
    ```python
    import tensorflow as tf
    print "loss:", sess.run(loss)
    ```

    ## Use instead
    ```python
    import tensorflow as tf
    print("loss:", sess.run(loss))
    ```

    ## Fix safety
    Safe: each edit is the Python 3 spelling of the same statement. Only cells of notebooks and files
    that use TensorFlow are touched.
    """

    code = "TFM080"
    name = "python2-syntax"
    priority = 0

    def check(self, cell):
        return ()  # the analysis calls report() before parsing; a parsed cell has no Python 2 syntax

    @classmethod
    def report(cls, source: Source, edits) -> Finding:
        """One finding for the edits of one construct (py2.Py2Edit objects, sorted)."""
        fix = Fix(tuple(Edit(e.start, e.end, e.replacement) for e in edits))
        start, end = edits[0].start, edits[-1].end
        return Finding(cls.code, cls.name, edits[0].message, source.range(start, end), Applicability.SAFE, fix)
