"""result.py: ok/error logic, JSON-safe dict, and the MIME bundle any frontend can render."""

from __future__ import annotations

import json
import math
import re

from kernel_helpers.compare.diff import Row
from kernel_helpers.compare.result import MIME_TYPE, CompareResult


def make(rows, **kwargs) -> CompareResult:
    return CompareResult(original="a = 1", migrated="a = 1", rows=rows,
                         timings={"original": 0.5, "migrated": 0.25, "overhead": 0.05, "total": 0.8}, **kwargs)


def test_ok_needs_every_row_and_no_error() -> None:
    good = Row("a", (), "int64", 0.0, 0.0, True)
    bad = Row("b", (2,), "float32", 1.0, math.inf, False, "x")
    assert make([good]).ok
    assert not make([good, bad]).ok
    assert make([good, bad]).failed_rows == [bad]
    errored = make([good])
    errored.errors["original"] = "ZeroDivisionError: division by zero"
    assert not errored.ok
    assert errored.error == "original: ZeroDivisionError: division by zero"


def test_to_dict_is_strict_json() -> None:
    result = make([Row("b", (2,), "float32", 1.0, math.inf, False, "x")])
    result.timings["reference_start"] = math.nan
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["ok"] is False
    assert data["rows"][0] == {"name": "b", "shape": [2], "dtype": "float32", "max_abs_err": 1.0,
                               "max_rel_err": "inf", "ok": False, "note": "x"}
    assert data["timings"]["original"] == 0.5 and data["timings"]["reference_start"] is None
    assert set(data["stdout"]) == {"original", "migrated"}
    assert set(data["devices"]) <= {"original", "migrated"}


def test_mimebundle_has_custom_json_html_and_text() -> None:
    rows = [Row("w<1>", (3,), "float32", 0.0, 0.0, True), Row("b", (2,), "float32", 0.5, 1.0, False)]
    result = make(rows, devices={"original": "CPU", "migrated": "GPU:0 (Tesla)"})
    bundle = result._repr_mimebundle_()
    assert bundle[MIME_TYPE] == result.to_dict()
    assert MIME_TYPE == "application/vnd.tf2-migrate.compare+json"
    page = bundle["text/html"]
    assert page.count('class="tf2m-compare-result"') == 1
    assert re.findall(r'<tr data-tf2m-ok="(true|false)"', page) == ["true", "false"]
    assert "w&lt;1&gt;" in page and "w<1>" not in page  # escaped
    assert "GPU:0 (Tesla)" in page
    assert "1 of 2 compared values differ" in bundle["text/plain"]


def test_errors_are_shown_in_html() -> None:
    result = make([])
    result.errors["original"] = "timed out after 1 s"
    result.tracebacks["original"] = "<trace>"
    page = result.to_html()
    assert 'data-tf2m-side="original"' in page and "&lt;trace&gt;" in page
    assert result.summary().startswith("Compare failed: original: timed out")
