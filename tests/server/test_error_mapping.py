"""The one place that turns handler exceptions into JSON ``{"message": ...}`` answers."""

import json

import pytest
import tornado.httpclient
import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from kernel_helpers.server.handlers import (
    PayloadTooLarge,
    RequestError,
    error_status_and_message,
    json_errors,
    read_json_body,
)


class _RaisingHandler(APIHandler):
    """Raises whatever the `kind` query argument names, to exercise `json_errors`."""

    @tornado.web.authenticated
    @json_errors
    async def get(self):
        kind = self.get_argument("kind")
        if kind == "request":
            raise RequestError("cell index out of range", status=422)
        if kind == "http":
            raise tornado.web.HTTPError(409, "notebook changed on disk")
        raise ZeroDivisionError("boom")


class _EchoBodyHandler(APIHandler):
    @tornado.web.authenticated
    @json_errors
    def post(self):
        payload = read_json_body(self, max_bytes=64)
        self.finish(json.dumps({"keys": sorted(payload)}))


@pytest.fixture
def test_routes(jp_serverapp, jp_base_url):
    jp_serverapp.web_app.add_handlers(
        ".*$",
        [
            (url_path_join(jp_base_url, "tf2-migrate-test", "raise"), _RaisingHandler),
            (url_path_join(jp_base_url, "tf2-migrate-test", "echo"), _EchoBodyHandler),
        ],
    )


async def _error_of(fetch_call):
    with pytest.raises(tornado.httpclient.HTTPClientError) as raised:
        await fetch_call
    return raised.value.code, json.loads(raised.value.response.body)


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        ("request", 422, "cell index out of range"),
        ("http", 409, "notebook changed on disk"),
        ("crash", 500, "internal error in tf2-migrate: ZeroDivisionError: boom"),
    ],
)
async def test_exceptions_become_json_messages_with_their_status(
    jp_fetch, test_routes, kind, status, message
):
    code, body = await _error_of(jp_fetch("tf2-migrate-test", "raise", params={"kind": kind}))

    assert code == status
    assert body == {"message": message}


async def test_json_body_is_parsed(jp_fetch, test_routes):
    response = await jp_fetch(
        "tf2-migrate-test", "echo", method="POST", body=json.dumps({"b": 1, "a": 2})
    )

    assert json.loads(response.body) == {"keys": ["a", "b"]}


@pytest.mark.parametrize(
    ("body", "status", "message_start"),
    [
        pytest.param("{not json", 400, "request body is not valid JSON", id="not-json"),
        pytest.param("[1, 2]", 400, "request body must be a JSON object", id="not-an-object"),
        pytest.param(json.dumps({"x": "y" * 100}), 413, "request body is ", id="too-large"),
    ],
)
async def test_bad_bodies_are_refused_with_a_message(
    jp_fetch, test_routes, body, status, message_start
):
    code, answer = await _error_of(jp_fetch("tf2-migrate-test", "echo", method="POST", body=body))

    assert code == status
    assert answer["message"].startswith(message_start)


def test_status_mapping_without_a_server():
    assert error_status_and_message(PayloadTooLarge("big")) == (413, "big")
    assert error_status_and_message(tornado.web.HTTPError(404)) == (404, "Not Found")
    status, message = error_status_and_message(KeyError("cells"))
    assert status == 500
    assert "KeyError" in message
