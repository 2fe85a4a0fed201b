"""POST /tf2-migrate/analyze and GET /tf2-migrate/cache through a real jupyter_server."""

import json

import pytest
import tornado.httpclient

from kernel_helpers.server.handlers import MAX_REQUEST_BYTES

IMPORTS = "import tensorflow as tf"
TF1_CELL = "x = tf.placeholder(tf.float32, [None, 3])\ny = tf.log(x)\n"


def body(*sources, **options):
    cells = [{"id": f"c{n}", "source": source} for n, source in enumerate(sources)]
    return json.dumps({"cells": cells, **options})


async def post_analyze(jp_fetch, payload, **kwargs):
    response = await jp_fetch("tf2-migrate", "analyze", method="POST", body=payload, **kwargs)
    return json.loads(response.body)


async def refusal(fetch_call):
    with pytest.raises(tornado.httpclient.HTTPClientError) as raised:
        await fetch_call
    return raised.value.code, json.loads(raised.value.response.body)


async def test_findings_and_proposal_per_cell(jp_fetch):
    answer = await post_analyze(jp_fetch, body(IMPORTS, TF1_CELL, level="tf2"))

    assert answer["level"] == "tf2" and answer["unsafe"] is False
    imports, tf1 = answer["cells"]
    assert imports["id"] == "c0" and imports["findings"] == []
    assert tf1["id"] == "c1"
    assert {f["code"] for f in tf1["findings"]} >= {"TFM001"}
    assert "tf.placeholder" not in tf1["source"] and "tf.math.log(x)" in tf1["source"]
    finding = next(f for f in tf1["findings"] if f["code"] == "TFM001")
    assert set(finding) >= {"code", "message", "range", "utf16", "applicability", "doc", "fixable"}
    assert TF1_CELL[finding["range"]["start"]:finding["range"]["end"]] == "tf.log"


async def test_ignored_codes_are_filtered(jp_fetch):
    answer = await post_analyze(jp_fetch, body(IMPORTS, TF1_CELL, ignored=["TFM001"]))

    assert "TFM001" not in {f["code"] for f in answer["cells"][1]["findings"]}
    assert "tf.log(x)" in answer["cells"][1]["source"]


async def test_a_second_request_for_200_unchanged_cells_hits_the_cache(jp_fetch):
    sources = [IMPORTS] + [f"v{n} = tf.log(tf.constant({n}.0))\n" for n in range(199)]
    payload = body(*sources)

    first = await post_analyze(jp_fetch, payload)
    second = await post_analyze(jp_fetch, payload)
    stats = json.loads((await jp_fetch("tf2-migrate", "cache")).body)

    assert first["cache"]["misses"] == 200
    assert second["cache"]["hits"] == 200 and second["cache"]["misses"] == 0
    assert second["cells"] == first["cells"]
    assert stats["hits"] >= 200 and stats["size"] >= 200


@pytest.mark.parametrize(
    ("payload", "message_part"),
    [
        pytest.param(json.dumps({}), "'cells' must be a list", id="no-cells"),
        pytest.param(json.dumps({"cells": [{"id": 1, "source": "x"}]}), "cells[0]", id="bad-id"),
        pytest.param(json.dumps({"cells": [{"id": "a"}]}), "cells[0]", id="no-source"),
        pytest.param(body(IMPORTS, level="tf3"), "'level' must be one of", id="bad-level"),
        pytest.param(body(IMPORTS, unsafe="yes"), "'unsafe' must be", id="bad-unsafe"),
        pytest.param(body(IMPORTS, ignored="TFM001"), "'ignored' must be", id="bad-ignored"),
    ],
)
async def test_malformed_requests_are_400_with_a_message(jp_fetch, payload, message_part):
    code, answer = await refusal(
        jp_fetch("tf2-migrate", "analyze", method="POST", body=payload)
    )

    assert code == 400
    assert message_part in answer["message"]


async def test_a_payload_over_the_limit_is_413(jp_fetch):
    huge = "x = 1\n" * (MAX_REQUEST_BYTES // 6 + 10)
    code, answer = await refusal(
        jp_fetch("tf2-migrate", "analyze", method="POST", body=body(huge))
    )

    assert code == 413
    assert "limit" in answer["message"]


@pytest.mark.parametrize(
    "route", [("analyze", "POST"), ("migrate-notebook", "POST"), ("cache", "GET")], ids=lambda r: r[0]
)
async def test_routes_refuse_requests_without_the_token(jp_fetch, route):
    name, method = route
    request_body = body(IMPORTS) if method == "POST" else None
    code, answer = await refusal(
        jp_fetch("tf2-migrate", name, method=method, body=request_body, headers={"Authorization": ""})
    )

    assert code == 403
    assert "message" in answer
