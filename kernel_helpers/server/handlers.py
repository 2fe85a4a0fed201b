"""Request handlers and the one place that turns exceptions into JSON error answers.

Every route answers errors as ``{"message": ...}`` with a meaningful status, so the frontend
can show the message as it is. Handlers stay thin: parse the request, call the core library,
write the answer.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
from http import HTTPStatus
from typing import Any, Awaitable, Callable

import tornado.web
from tornado.httputil import responses
from jupyter_server.base.handlers import APIHandler

from kernel_helpers import __version__
from kernel_helpers.notebook.io import NotebookReadError

from .analysis import LEVELS, AnalysisCache, analyze_cells
from .notebooks import NotebookNotFound, UnsafePath, migrate_notebook_beside

# Cells are small; a notebook-sized request is generous. Larger bodies are refused (413)
# before they are parsed, so a runaway client cannot make the server parse megabytes.
MAX_REQUEST_BYTES = 2 * 1024 * 1024

# Key of the analysis cache in the tornado application's settings.
ANALYSIS_CACHE_SETTING = "tf2_migrate_analysis_cache"


class RequestError(Exception):
    """A problem with the request itself; answered with ``status`` and this message."""

    status: int = HTTPStatus.BAD_REQUEST

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        if status is not None:
            self.status = status


class PayloadTooLarge(RequestError):
    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE


# Errors of the core library that are the request's fault, with the status that says so.
_CORE_ERROR_STATUS: tuple[tuple[type[BaseException], int], ...] = (
    (UnsafePath, HTTPStatus.FORBIDDEN),
    (NotebookNotFound, HTTPStatus.NOT_FOUND),
    (NotebookReadError, HTTPStatus.UNPROCESSABLE_ENTITY),
)


def error_status_and_message(error: BaseException) -> tuple[int, str]:
    """Map an exception raised while serving a request to ``(HTTP status, message)``."""
    if isinstance(error, RequestError):
        return int(error.status), str(error)
    for error_type, status in _CORE_ERROR_STATUS:
        if isinstance(error, error_type):
            return int(status), str(error)
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


def parse_analyze_request(payload: dict[str, Any]) -> dict[str, Any]:
    """Check the body of ``POST /tf2-migrate/analyze``; keyword arguments for ``analyze_cells``."""
    cells = payload.get("cells")
    if not isinstance(cells, list):
        raise RequestError("'cells' must be a list of {id, source} objects")
    for number, cell in enumerate(cells):
        if not (
            isinstance(cell, dict)
            and isinstance(cell.get("id"), str)
            and isinstance(cell.get("source"), str)
        ):
            raise RequestError(f"cells[{number}] must be an object with string 'id' and 'source'")
    level, unsafe = _level_and_unsafe(payload)
    ignored = payload.get("ignored", [])
    if not (isinstance(ignored, list) and all(isinstance(code, str) for code in ignored)):
        raise RequestError("'ignored' must be a list of rule codes")
    return {
        "cells": [{"id": cell["id"], "source": cell["source"]} for cell in cells],
        "level": level,
        "unsafe": unsafe,
        "ignored": ignored,
    }


def _level_and_unsafe(payload: dict[str, Any]) -> tuple[str, bool]:
    level = payload.get("level", "tf2")
    if level not in LEVELS:
        raise RequestError(f"'level' must be one of {', '.join(LEVELS)}, not {level!r}")
    unsafe = payload.get("unsafe", False)
    if not isinstance(unsafe, bool):
        raise RequestError("'unsafe' must be true or false")
    return level, unsafe


def analysis_cache_of(web_app: tornado.web.Application) -> AnalysisCache:
    """The server-wide cache; one per server so that every browser tab shares it."""
    return web_app.settings.setdefault(ANALYSIS_CACHE_SETTING, AnalysisCache())


class AnalyzeHandler(APIHandler):
    """``POST /tf2-migrate/analyze``: findings and a proposal per cell. Pure syntax, never runs code."""

    @tornado.web.authenticated
    @json_errors
    def post(self) -> None:
        request = parse_analyze_request(read_json_body(self))
        answer = analyze_cells(**request, cache=analysis_cache_of(self.application))
        self.finish(json.dumps(answer))


class MigrateNotebookHandler(APIHandler):
    """``POST /tf2-migrate/migrate-notebook``: write ``<name>.tf2.ipynb`` beside a notebook."""

    @tornado.web.authenticated
    @json_errors
    async def post(self) -> None:
        payload = read_json_body(self)
        path = payload.get("path")
        if not isinstance(path, str):
            raise RequestError("'path' must be the notebook's path below the server root")
        level, unsafe = _level_and_unsafe(payload)
        root_dir = self.settings.get("server_root_dir") or self.serverapp.root_dir
        # A large notebook takes a while to migrate; keep the event loop serving meanwhile.
        answer = await asyncio.to_thread(
            migrate_notebook_beside, root_dir, path, level=level, unsafe=unsafe
        )
        self.finish(json.dumps(answer))


class CacheStatsHandler(APIHandler):
    """``GET /tf2-migrate/cache``: hits, misses and size of the analysis cache (for tests, tuning)."""

    @tornado.web.authenticated
    @json_errors
    def get(self) -> None:
        self.finish(json.dumps(analysis_cache_of(self.application).stats().to_dict()))
