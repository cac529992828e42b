"""A local HTTP server (127.0.0.1, a thread) that plays partners' calendar servers.

No test of the calendars app reaches the internet: every fetch goes here.
"""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    server: StubServer

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        self.server.requests.append((self.path, dict(self.headers)))
        route = self.server.routes.get(self.path.split("?")[0])
        if route is None:
            self.send_response(404)
            self.end_headers()
            return
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)

    # helpers for routes
    def answer(self, status: int, body: bytes = b"", headers: dict | None = None):
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if "Content-Length" not in (headers or {}):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class StubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict = {}
        self.requests: list = []
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


def calendar_route(
    body: bytes, etag: str = '"v1"', modified: str = "Mon, 01 Mar 2027 10:00:00 GMT"
):
    """200 with validators, 304 when the client sends them back."""

    def route(handler: Handler):
        if handler.headers.get("If-None-Match") == etag or (
            handler.headers.get("If-Modified-Since") == modified and not etag
        ):
            handler.answer(304, headers={"ETag": etag})
            return
        handler.answer(
            200,
            body,
            {"Content-Type": "text/calendar", "ETag": etag, "Last-Modified": modified},
        )

    return route


def slow_route(seconds: float):
    def route(handler: Handler):
        time.sleep(seconds)
        handler.answer(200, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")

    return route


def trickle_route(handler: Handler):
    """Headers at once, then one byte every 0.1 s: each read is quick, the whole is not."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/calendar")
    handler.end_headers()
    handler.wfile.write(b"BEGIN:VCALENDAR\r\n")
    for _ in range(600):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.1)


def huge_route(declared: bool):
    def route(handler: Handler):
        size = 5 * 1024 * 1024
        handler.send_response(200)
        if declared:
            handler.send_header("Content-Length", str(size))
        handler.end_headers()
        chunk = b"X" * 65536
        for _ in range(size // len(chunk)):
            handler.wfile.write(chunk)

    return route


def redirect_route(target: str):
    def route(handler: Handler):
        handler.answer(302, headers={"Location": target})

    return route
