"""A static HTTP server on 127.0.0.1 that stands in for camel-tools' data host: it serves a folder
(a catalogue in camel-tools' layout and the packages it lists) and notes the paths asked for."""

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class CatalogueServer:
    """Serves `folder` over HTTP on 127.0.0.1 (port chosen by the system); `paths` lists what was asked."""

    def __init__(self, folder: Path):
        self.paths: list[str] = []
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, *args):
                server.paths.append(self.path)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
