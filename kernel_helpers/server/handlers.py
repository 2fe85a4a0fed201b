"""Request handlers and the one place that turns exceptions into JSON error answers.

Every route answers errors as ``{"message": ...}`` with a meaningful status, so the frontend
can show the message as it is. Handlers stay thin: parse the request, call the core library,
write the answer.
"""

from __future__ import annotations

import functools
import inspect
import json
from http import HTTPStatus
from typing import Any, Awaitable, Callable

import tornado.web
from tornado.httputil import responses
from jupyter_server.base.handlers import APIHandler

from kernel_helpers import __version__

# Cells are small; a notebook-sized request is generous. Larger bodies are refused (413)
# before they are parsed, so a runaway client cannot make the server parse megabytes.
MAX_REQUEST_BYTES = 2 * 1024 * 1024


class RequestError(Exception):
    """A problem with the request itself; answered with ``status`` and this message."""

    status: int = HTTPStatus.BAD_REQUEST

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        if status is not None:
            self.status = status


class PayloadTooLarge(RequestError):
    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE


def error_status_and_message(error: BaseException) -> tuple[int, str]:
    """Map an exception raised while serving a request to ``(HTTP status, message)``."""
    if isinstance(error, RequestError):
        return int(error.status), str(error)
    if isinstance(error, tornado.web.HTTPError):
        status = error.status_code
        reason = error.reason or responses.get(status, "Unknown error")
        return status, error.log_message or reason
    # The client is the authenticated owner of the server, so naming the failure helps more
    # than it reveals; the traceback goes to the server log only.
    return (
        int(HTTPStatus.INTERNAL_SERVER_ERROR),
        f"internal error in tf2-migrate: {type(error).__name__}: {error}",
    )


HandlerMethod = Callable[..., Any]


def json_errors(method: HandlerMethod) -> Callable[..., Awaitable[None]]:
    """Answer any exception escaping ``method`` as ``{"message": ...}`` with its status.

    Put it under ``@tornado.web.authenticated`` so that authentication failures keep
    jupyter_server's own 403 handling.
    """

    @functools.wraps(method)
    async def wrapper(self: APIHandler, *args: Any, **kwargs: Any) -> None:
        try:
            result = method(self, *args, **kwargs)
            if inspect.isawaitable(result):
                await result
        except Exception as error:  # noqa: BLE001 - this is the one place that maps errors
            status, message = error_status_and_message(error)
            if status >= 500:
                self.log.error(
                    "tf2-migrate: %s %s failed", self.request.method, self.request.path, exc_info=error
                )
            if self._finished:
                return
            self.clear()
            self.set_status(status)
            self.finish(json.dumps({"message": message}))

    return wrapper


def read_json_body(handler: APIHandler, max_bytes: int = MAX_REQUEST_BYTES) -> dict[str, Any]:
    """The request body as a JSON object; ``RequestError`` (400/413) when it is not one."""
    body = handler.request.body or b""
    if len(body) > max_bytes:
        raise PayloadTooLarge(f"request body is {len(body)} bytes; the limit is {max_bytes}")
    try:
        payload = json.loads(body or b"{}")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RequestError(f"request body is not valid JSON: {error}") from None
    if not isinstance(payload, dict):
        raise RequestError("request body must be a JSON object")
    return payload


class VersionHandler(APIHandler):
    """``GET /tf2-migrate/version``: lets the frontend check that the server side is there."""

    @tornado.web.authenticated
    @json_errors
    def get(self) -> None:
        self.finish(json.dumps({"version": __version__}))
