"""One HTTP exchange of a fetch, bounded by a wall clock and a size whatever the server does.

requests' and urllib3's timeouts bound each socket operation, not the
exchange: a server that sends its status line, its headers or its body one
byte a second never trips them, and holds the fetch (and the worker running
it) for as long as it likes. `Watchdog` is the wall clock: it keeps a
duplicate of every socket a fetch opens and shuts them all down at the
deadline, so that whatever read is waiting (the TLS handshake, the status
line, a header, the body) returns at once. It acts on its own duplicates, so
the descriptor it shuts down is never another file's after the connection
has closed and its number been reused.

`BodyDecoder` undoes the Content-Encoding in pieces of at most
`PIECE_BYTES`, so that the size limit applies to what the body becomes and
not only to what crossed the wire (a gzip bomb of a few kilobytes that would
inflate to gigabytes is refused at the limit without ever being held whole),
and the deadline is looked at between pieces.
"""

import contextlib
import socket
import threading
import time
import zlib
from collections.abc import Iterator

from .records import ImportFailure

PIECE_BYTES = 64 * 1024
# What we ask for (Accept-Encoding) and can therefore decode.
ACCEPT_ENCODING = "gzip, deflate"


class Watchdog:
    """Shuts down every socket of one fetch at `deadline` (a time.monotonic() value).

    Use it as a context manager around the fetch; `fired` says whether the
    deadline cut it.
    """

    def __init__(self, deadline: float):
        self.deadline = deadline
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = False
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> "Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        self._timer.join()
        with self._lock:
            self._closed = True
            for duplicate in self._sockets:
                duplicate.close()
            self._sockets.clear()

    @property
    def expired(self) -> bool:
        """The deadline has passed (whether or not the timer thread has acted yet)."""
        return self.fired or time.monotonic() >= self.deadline

    def watch(self, sock: socket.socket) -> None:
        """Cut `sock` at the deadline (at once if it has passed)."""
        with self._lock:
            if self._closed:
                return
            duplicate = sock.dup()
            self._sockets.append(duplicate)
            if self.fired:
                self._shutdown(duplicate)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for duplicate in self._sockets:
                self._shutdown(duplicate)

    @staticmethod
    def _shutdown(duplicate: socket.socket) -> None:
        # shutdown() acts on the connection, so every descriptor of it (the one a
        # read is blocked on included) sees the end of the stream. OSError: the
        # peer closed it already, nothing left to cut.
        with contextlib.suppress(OSError):
            duplicate.shutdown(socket.SHUT_RDWR)


class BodyDecoder:
    """Undoes a body's Content-Encoding (gzip or deflate, what we ask for) in bounded pieces.

    Raises ImportFailure for an encoding it cannot undo or a body that is
    not what its encoding says.
    """

    def __init__(self, content_encoding: str):
        codings = [value.strip().lower() for value in content_encoding.split(",")]
        codings = [value for value in codings if value and value != "identity"]
        self.encoding = codings[0] if codings else ""
        if len(codings) > 1 or self.encoding not in ("", "gzip", "x-gzip", "deflate"):
            raise ImportFailure(
                f"the server sent the page encoded as {', '.join(codings)}; only gzip or deflate, "
                "which were asked for, can be read"
            )
        self._decompressor = None
        self._members = 0
        self._head = b""  # deflate's first byte, when it came alone: its header takes two

    @property
    def compressed(self) -> bool:
        return bool(self.encoding)

    def _new_decompressor(self, head: bytes):
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is meant to be zlib-wrapped; some servers send it raw (urllib3 reads both too).
        wrapped = head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def decode(self, data: bytes) -> Iterator[bytes]:
        """The decoded pieces (each at most PIECE_BYTES) of the next bytes from the wire."""
        if not self.compressed:
            yield data
            return
        if self.encoding == "deflate" and self._decompressor is None and not self._members:
            data, self._head = self._head + data, b""
            if len(data) < 2:
                self._head = data
                return
        while data:
            if self._decompressor is None:
                self._decompressor = self._new_decompressor(data)
            try:
                piece = self._decompressor.decompress(data, PIECE_BYTES)
            except zlib.error as error:
                if self._members:
                    return  # padding after a complete body is ignored, as browsers do
                raise ImportFailure(f"the page is not valid {self.encoding} data ({error})") from None
            if piece:
                yield piece
            data = self._decompressor.unconsumed_tail
            if self._decompressor.eof:
                self._members += 1
                # A gzip body may be several members one after another; what follows a deflate stream is ignored.
                data = self._decompressor.unused_data if self.encoding != "deflate" else b""
                self._decompressor = None
