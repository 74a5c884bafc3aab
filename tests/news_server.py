"""A news site on 127.0.0.1 for the web-import tests: pages, feeds, redirects, misbehaviour.

Routes map a path to what the server answers. It honours conditional GET
(ETag / Last-Modified) for routes that declare them, and records every request
(path and headers) so that tests can see what was downloaded.
"""

import contextlib
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "web"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    etag: str = ""
    last_modified: str = ""
    hang: bool = False  # accept the request, never answer
    send_length: bool = True
    trickle: float = 0  # seconds between bytes of the body
    trickle_head: float = 0  # seconds between bytes of the status line and headers


class NewsServer:
    def __init__(self, host: str = "127.0.0.1"):
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict]] = []
        self._release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(urlsplit(self.path).path)
                if route is None:
                    route = Route(body=b"<html><body>Not found</body></html>", status=404)
                if route.hang:
                    server._release.wait(30)
                    return
                if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
                    route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
                ):
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.send_length:
                    self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", route.etag)
                if route.last_modified:
                    self.send_header("Last-Modified", route.last_modified)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    if route.trickle_head:
                        head, self._headers_buffer = b"".join(self._headers_buffer) + b"\r\n", []
                        if not self.trickle(head, route.trickle_head):
                            return
                    else:
                        self.end_headers()
                    if route.trickle:
                        self.trickle(route.body, route.trickle)
                    else:
                        self.wfile.write(route.body)

            def trickle(self, data: bytes, pause: float) -> bool:
                """Send `data` a byte at a time; False when the server closed meanwhile."""
                for index in range(len(data)):
                    self.wfile.write(data[index : index + 1])
                    self.wfile.flush()
                    if server._release.wait(pause):
                        return False
                return True

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: str | bytes = b"", **options) -> str:
        """Serve `body` at `path` ({base} in it becomes this server's address); returns the URL."""
        if isinstance(body, str):
            body = body.replace("{base}", self.base).encode("utf-8")
        self.routes[path] = Route(body=body, **options)
        return self.url(path)

    def add_fixture(self, path: str, name: str, **options) -> str:
        return self.add(path, (FIXTURES / name).read_text(encoding="utf-8"), **options)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.add(path, b"", status=status, headers={"Location": location})

    def downloads(self, path: str) -> int:
        """How many full answers were asked for `path` (conditional or not)."""
        return sum(urlsplit(requested).path == path for requested, _ in self.requests)

    def close(self):
        self._release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


class TricklingServer:
    """A TCP server on 127.0.0.1 that answers whatever it is sent with `data`, one byte every `pause`
    seconds: below HTTP, e.g. the start of a TLS handshake that never ends."""

    def __init__(self, data: bytes, pause: float):
        self._release = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._data, self._pause = data, pause
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        with contextlib.suppress(OSError):
            connection, _ = self._sock.accept()
            with connection:
                connection.recv(65536)
                for index in range(len(self._data)):
                    connection.sendall(self._data[index : index + 1])
                    if self._release.wait(self._pause):
                        return

    def close(self):
        self._release.set()
        self._sock.close()
