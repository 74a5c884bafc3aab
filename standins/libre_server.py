"""A LibreTranslate-compatible HTTP server on 127.0.0.1, for tests and benchmarks.

`POST /translate` takes `q, source, target, format, api_key` (as query
parameters, which is how deep-translator sends them, or as a form/JSON body)
and answers `{"translatedText": ...}`. Each line of text between the markers
`[[n]]` the client packs segments with is "translated" on its own; markers
are kept as providers keep them. Modes make it misbehave the ways real
providers do, so packing and unpacking run for real.
"""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from camel_tools.utils.charmap import CharMapper

_to_latin = CharMapper.builtin_mapper("ar2bw")


_MARKER = re.compile(r"(\[\[\d+\]\])")
_UNIT = re.compile(r"\[\[(\d+)\]\].*?\[\[\1\]\]", re.S)
_LINE = re.compile(r"\S(?:.*\S)?")  # the text of a line, without the white space around it
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

# How a provider may treat the markers and white space of a packed request.
MARKER_MODES = {
    "collapse": "line breaks and the white space around them become one space (Google, DeepL)",
    "reorder": "the first two segments come back swapped, each with its markers",
    "drop-marker": "the opening marker of the second segment is lost",
    "digits": "the markers' digits come back as Arabic-Indic digits ([[١]])",
    "omit": "the second segment comes back empty between its markers (a sentence skipped)",
    "strip-markers": "every marker is lost",
}


def fake_translate(line: str) -> str:
    """A deterministic stand-in translation: Buckwalter transliteration, tagged."""
    return f"EN {_to_latin(line)}" if line.strip() else line


def translate_text(text: str) -> str:
    """Each line of text between markers translated alone; markers and white space kept."""
    parts = _MARKER.split(text)
    return "".join(
        part if _MARKER.fullmatch(part) else _LINE.sub(lambda match: fake_translate(match.group()), part)
        for part in parts
    )


def mistreat(translated: str, mode: str) -> str:
    """The answer as a provider behaving as `mode` (see MARKER_MODES) returns it."""
    if mode == "collapse":
        return re.sub(r"\s*\n\s*", " ", translated)
    if mode == "reorder":
        units = list(_UNIT.finditer(translated))
        if len(units) < 2:
            return translated
        first, second = units[0], units[1]
        return (
            translated[: first.start()]
            + second.group()
            + translated[first.end() : second.start()]
            + first.group()
            + translated[second.end() :]
        )
    if mode == "drop-marker":
        markers = list(_MARKER.finditer(translated))
        if len(markers) < 4:
            return translated
        lost = markers[2]
        return translated[: lost.start()] + translated[lost.end() :]
    if mode == "digits":
        return _MARKER.sub(lambda match: match.group().translate(ARABIC_INDIC), translated)
    if mode == "omit":
        units = list(_UNIT.finditer(translated))
        if len(units) < 2:
            return translated
        second = units[1]
        return (
            translated[: second.start()] + f"[[{second.group(1)}]] [[{second.group(1)}]]" + translated[second.end() :]
        )
    if mode == "strip-markers":
        return _MARKER.sub("", translated)
    return translated


class LibreStandIn:
    """modes: ok, hang, error500, throttle-once (429 then ok), malformed, and MARKER_MODES."""

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
        translated = mistreat(translate_text(params.get("q", "")), mode)
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
