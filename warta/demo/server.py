"""Offline demo: one local HTTP server for all demo sites (a daemon thread, port 0 by default)."""

from __future__ import annotations

import logging
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from warta.demo.common import Resource
from warta.demo.site import build_pages

logger = logging.getLogger(__name__)

NOT_FOUND = Resource(
    b"<!DOCTYPE html><html><head><title>404 Not Found</title></head>"
    b"<body><h1>Not Found</h1></body></html>",
    "text/html; charset=utf-8",
)


class _Handler(BaseHTTPRequestHandler):
    server: _DemoHTTPServer
    server_version = "warta-demo/1.0"

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        pages = self.server.pages
        parts = urlsplit(self.path)
        # exact path with its query first (listing pages use ?page=N); otherwise the query
        # is ignored, so tracking-parameter variants reach the same article
        key = f"{parts.path}?{parts.query}" if parts.query else parts.path
        resource = pages.get(key) or pages.get(parts.path)
        status = HTTPStatus.OK if resource else HTTPStatus.NOT_FOUND
        self.server.record(self.path, status)
        resource = resource or NOT_FOUND
        self.send_response(status)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(resource.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(resource.body)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("%s - " + format, self.address_string(), *args)


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    pages: dict[str, Resource]

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.requests: list[tuple[str, int]] = []
        self._lock = threading.Lock()

    def record(self, path: str, status: int) -> None:
        with self._lock:
            self.requests.append((path, int(status)))


class DemoServer:
    """The demo sites served on host:port until shutdown(); use as a context manager."""

    def __init__(self, port: int = 0, host: str = "127.0.0.1") -> None:
        self._httpd = _DemoHTTPServer((host, port))
        self.host = host
        self.port: int = self._httpd.server_address[1]
        # a wildcard bind address is not something a crawler can fetch from
        shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
        self.base_url = f"http://{shown}:{self.port}"
        self._httpd.pages = build_pages(self.base_url)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name=f"warta-demo-{self.port}", daemon=True
        )

    def start(self) -> DemoServer:
        if self._thread.ident is not None:  # already started
            return self
        self._thread.start()
        logger.info("demo sites served at %s", self.base_url)
        return self

    def shutdown(self) -> None:
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def requested_paths(self) -> list[str]:
        """Paths asked for so far (with query strings), in order; for crawl tests."""
        with self._httpd._lock:
            return [path for path, _ in self._httpd.requests]

    def requests(self) -> list[tuple[str, int]]:
        """(path, status) of every request so far."""
        with self._httpd._lock:
            return list(self._httpd.requests)

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.shutdown()


def serve(port: int = 0, host: str = "127.0.0.1") -> DemoServer:
    """Start serving the demo sites in a background thread; port 0 picks a free port."""
    return DemoServer(port, host).start()
