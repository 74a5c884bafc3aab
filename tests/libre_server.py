"""A LibreTranslate-compatible HTTP server on 127.0.0.1, for tests and benchmarks.

`POST /translate` takes `q, source, target, format, api_key` (as query
parameters, which is how deep-translator sends them, or as a form/JSON body)
and answers `{"translatedText": ...}`. Each line of `q` is "translated" on its
own (line breaks are kept, as real providers keep them), so packing and
unpacking run for real. Modes make it misbehave the ways real providers do.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from camel_tools.utils.charmap import CharMapper

_to_latin = CharMapper.builtin_mapper("ar2bw")


def fake_translate(line: str) -> str:
    """A deterministic stand-in translation: Buckwalter transliteration, tagged."""
    return f"EN {_to_latin(line)}" if line.strip() else line


class LibreStandIn:
    """modes: ok, hang, error500, throttle-once (429 then ok), malformed, merge-lines."""

    def __init__(self, mode: str = "ok"):
        self.mode = mode
        self.requests: list[dict] = []
        self._release = threading.Event()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8") if length else ""
                params = {key: values[0] for key, values in parse_qs(urlparse(self.path).query).items()}
                if body.startswith("{"):
                    params.update(json.loads(body))
                elif body:
                    params.update({key: values[0] for key, values in parse_qs(body).items()})
                with server._lock:
                    server.requests.append(params)
                    count = len(server.requests)
                server.answer(self, params, count)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def answer(self, handler, params, count):
        mode = self.mode
        if mode == "hang":
            self._release.wait(60)  # accept, read, never answer
            return
        if mode == "error500":
            return self._send(handler, 500, {"error": "internal error"})
        if mode == "throttle-once" and count == 1:
            return self._send(handler, 429, {"error": "Slowdown: too many requests"})
        if mode == "malformed":
            return self._send_raw(handler, 200, b'{"translatedText": "unterminated')
        lines = params.get("q", "").split("\n")
        translated = "\n".join(fake_translate(line) for line in lines)
        if mode == "merge-lines":
            translated = " ".join(part for part in translated.split("\n") if part)
        return self._send(handler, 200, {"translatedText": translated})

    @staticmethod
    def _send(handler, status, payload):
        LibreStandIn._send_raw(handler, status, json.dumps(payload).encode("utf-8"))

    @staticmethod
    def _send_raw(handler, status, data):
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    @property
    def texts(self) -> list[str]:
        return [request.get("q", "") for request in self.requests]

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
