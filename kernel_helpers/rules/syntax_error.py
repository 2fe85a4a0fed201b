"""TFM000 syntax-error."""

from __future__ import annotations

from kernel_helpers.engine.finding import Applicability, Finding
from kernel_helpers.engine.registry import Rule, register
from kernel_helpers.engine.source import Source


@register
class SyntaxErrorRule(Rule):
    """The cell does not parse, so it is left exactly as it is.

    ## What it does
    Reports a cell (or file) that is not valid Python 3, even after IPython magics are masked and
    Python 2 leftovers are fixed. Nothing in the cell is changed; the rest of the notebook is migrated.

    ## Why
    Tutorial notebooks hold exercise cells with blanks to fill in. One such cell must not stop the whole
    notebook from migrating (it stops `tf_upgrade_v2`).

    ## Example
    ```python
    W = tf.Variable(  # TODO: fill in the shape
    ```

    ## Use instead
    ```python
    W = tf.Variable(  # TODO: fill in the shape
    ```

    ## Fix safety
    No fix: fix the syntax error by hand, then migrate the cell again.
    """

    code = "TFM000"
    name = "syntax-error"

    def check(self, cell):
        return ()

    @classmethod
    def report(cls, source: Source, error: Exception) -> Finding:
        line = getattr(error, "lineno", None) or 1
        line = min(max(line, 1), len(source.lines))
        start = source.line_starts[line - 1]
        end = start + len(source.lines[line - 1].rstrip("\r\n"))
        message = f"this cell does not parse ({getattr(error, 'msg', error)}, line {line}); it is left unchanged"
        return Finding(cls.code, cls.name, message, source.range(start, end), Applicability.MANUAL)
