"""GET /tf2-migrate/version: the frontend's "is the server side there" check."""

import json

import pytest
import tornado.httpclient

import kernel_helpers


async def test_version_route_returns_the_package_version(jp_fetch):
    response = await jp_fetch("tf2-migrate", "version")

    assert response.code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert json.loads(response.body) == {"version": kernel_helpers.__version__}


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param("", id="no-token"),
        pytest.param("token not-the-server-token", id="wrong-token"),
    ],
)
async def test_version_route_refuses_requests_without_the_token(jp_fetch, authorization):
    with pytest.raises(tornado.httpclient.HTTPClientError) as raised:
        await jp_fetch("tf2-migrate", "version", headers={"Authorization": authorization})

    assert raised.value.code == 403
    # Refusals are JSON too, so the frontend can show them.
    assert "message" in json.loads(raised.value.response.body)


async def test_unknown_route_under_the_namespace_is_404(jp_fetch):
    with pytest.raises(tornado.httpclient.HTTPClientError) as raised:
        await jp_fetch("tf2-migrate", "no-such-route")

    assert raised.value.code == 404
