"""Fetching pages and feeds from the web, within limits, refusing private networks.

Every hop (the first request and each redirect) is checked: http or https
only, the host resolved and refused when any of its addresses is loopback,
private, link-local, reserved, multicast or unspecified (a server-side request
forgery guard), unless `FETCH_ALLOW_PRIVATE_NETWORKS` or one of
`FETCH_ALLOWED_NETWORKS` says otherwise. An IPv6 address that carries an
IPv4 address (IPv4-mapped or -translated, NAT64, 6to4, Teredo) is judged by
the IPv4 address it carries too.

The whole fetch, redirects included, is bounded by one wall clock of
`FETCH_TIMEOUT` seconds: connecting, the status line, the headers, the body
and its decompression (see `exchange.py`). The body, decompressed, is bounded
by `FETCH_MAX_BYTES`, read in pieces so that an oversized answer is never
held in memory.

The guard looks twice: it resolves the host before each request (for a clear
error before anything is sent), and each new connection resolves it again,
checks every address found and connects only to those, before a byte of the
request is written. A name that resolves
to a public address for the first look and to a private one for the
connection (DNS rebinding) is refused at the second. Both lookups are under
the deadline: the system's resolver takes no timeout, so it runs in a thread
of its own, left to finish alone when the deadline comes first.
"""

import ipaddress
import re
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.poolmanager import PoolManager

from .exchange import ACCEPT_ENCODING, PIECE_BYTES, BodyDecoder, Watchdog
from .records import ImportFailure

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", re.IGNORECASE)
HTML_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/x-rss+xml",
    "application/feed+json",
)


class FetchFailure(ImportFailure):
    """The page could not be fetched; the message says why, in plain words."""


@dataclass
class FetchedPage:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body decoded with the charset the server declared, else the page's <meta>, else UTF-8.

        Older Arabic sites still serve windows-1256 and say so only in a <meta> tag.
        """
        in_header = _CHARSET.search(self.content_type)
        in_page = _META_CHARSET.search(self.body[:4096])
        if in_header:
            charset = in_header.group(1)
        elif in_page:
            charset = in_page.group(1).decode("ascii")
        else:
            charset = "utf-8"
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def _allowed_networks() -> list:
    return [ipaddress.ip_network(value, strict=False) for value in settings.FETCH_ALLOWED_NETWORKS]


# RFC 8215's local-use NAT64 prefix: local by definition (Python 3.11.7 calls it
# global), and where the IPv4 address sits in it depends on the network.
_LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")
# IPv6 prefixes whose last 32 bits are an IPv4 address that a gateway, or the
# host itself, will connect to.
_IPV4_CARRIERS = [
    (ipaddress.ip_network("64:ff9b::/96"), "NAT64"),  # RFC 6052's well-known prefix
    (ipaddress.ip_network("::ffff:0:0:0/96"), "IPv4-translated"),  # RFC 2765 (SIIT)
    (ipaddress.ip_network("::/96"), "IPv4-compatible"),  # RFC 4291, deprecated
]


def _refused_address(address) -> bool:
    # Not globally reachable also covers what is_private misses (100.64.0.0/10 shared space, documentation ranges).
    return not address.is_global or address.is_multicast or (address.version == 6 and address in _LOCAL_NAT64)


def _carried_ipv4(ip: ipaddress.IPv6Address) -> tuple[ipaddress.IPv4Address, str] | None:
    """The IPv4 address an IPv6 address carries and the form that carries it, or None."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped, "IPv4-mapped"
    if ip.sixtofour is not None:
        return ip.sixtofour, "6to4"
    if ip.teredo is not None:
        return ip.teredo[1], "Teredo"  # (server, client): packets go to the client
    for network, form in _IPV4_CARRIERS:
        if ip in network and int(ip) > 1:  # :: and ::1 are themselves, not carriers
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), form
    return None


def _address_refusal(address: str, host: str) -> str:
    """Why this server must not connect to `address` (which `host` resolved to), or "" when it may."""
    if settings.FETCH_ALLOW_PRIVATE_NETWORKS:
        return ""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    allowed = _allowed_networks()

    def refused(candidate) -> bool:
        return _refused_address(candidate) and not any(candidate in network for network in allowed)

    carried = _carried_ipv4(ip) if ip.version == 6 else None
    if carried is None:
        refusal, described = refused(ip), str(ip)
    else:
        ipv4, form = carried
        # The IPv4 address decides, not Python's view of the carrying prefix (which
        # changes between versions): a public address behind NAT64 is fetched. Teredo's
        # prefix is never globally reachable, whatever it carries.
        refusal = refused(ipv4) or (form == "Teredo" and refused(ip))
        described = f"{ip} ({form}, carrying {ipv4})"
    if refusal:
        return (
            f"{host} resolves to {described}, a private, loopback or reserved address; fetching it is refused "
            "(FETCH_ALLOW_PRIVATE_NETWORKS=1 allows it)"
        )
    return ""


class _AddressRefused(OSError):
    """A connection would reach an address the guard refuses (the name resolved differently the second time)."""


class _OutOfTime(OSError):
    """The fetch's deadline came before a name was resolved or any of its addresses answered."""


def _addresses(host: str, port: int, deadline: float) -> list[str]:
    """The addresses `host` resolves to, in the resolver's order, looked up before `deadline` (a
    time.monotonic() value) or raising _OutOfTime; a failed lookup raises as getaddrinfo does."""
    answer: dict = {}

    def lookup():
        try:
            answer["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except Exception as error:  # noqa: BLE001 - raised again in the caller's thread
            answer["error"] = error

    thread = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    thread.start()
    thread.join(max(0.0, deadline - time.monotonic()))
    if thread.is_alive():
        raise _OutOfTime(f"resolving {host} outlasted the deadline")
    if "error" in answer:
        raise answer["error"]
    return list(dict.fromkeys(info[4][0] for info in answer["infos"]))


class _GuardedConnectionMixin:
    """Resolves the host under the fetch's deadline, refuses it when any of its addresses is
    refused, connects to those addresses only, in turn, within what is left of the deadline, and
    hands the socket to the fetch's watchdog."""

    def __init__(self, *args, watchdog: Watchdog, **kwargs):
        super().__init__(*args, **kwargs)
        self.watchdog = watchdog

    def _new_conn(self):
        # urllib3 would resolve the name itself, with no timeout and no check: it is resolved here
        # under the deadline, every address checked, and the connection made to each in turn.
        name = self._dns_host
        try:
            addresses = _addresses(name, self.port, self.watchdog.deadline)
        except (socket.gaierror, UnicodeError) as error:
            raise NameResolutionError(self.host, self, error) from error
        for address in addresses:
            refusal = _address_refusal(address, self.host)
            if refusal:
                raise _AddressRefused(refusal)
        failure = None
        timeout = self.timeout
        for address in addresses:
            remaining = self.watchdog.deadline - time.monotonic()
            if remaining <= 0:
                raise _OutOfTime(f"no address of {name} answered in time")
            # Each try within what is left (an address that drops packets would take the whole
            # timeout); urllib3's own lookup is skipped: the address is given, not the name.
            self._dns_host = address
            self.timeout = min(timeout, remaining) if isinstance(timeout, int | float) else remaining
            try:
                sock = super()._new_conn()
            except (NewConnectionError, ConnectTimeoutError) as error:
                failure = error
                continue
            finally:
                self._dns_host, self.timeout = name, timeout
            self.watchdog.watch(sock)
            return sock
        raise failure or NewConnectionError(self, f"{self.host} resolves to no address")


class _GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedPoolManager(PoolManager):
    """urllib3's pool manager whose pools make guarded connections watched by one watchdog."""

    def __init__(self, *args, watchdog: Watchdog, **kwargs):
        super().__init__(*args, **kwargs)
        self.watchdog = watchdog
        self.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}

    def _new_pool(self, scheme, host, port, request_context=None):
        # urllib3's hook for customising pools; what a pool does not know it passes to its connections.
        context = dict(self.connection_pool_kw if request_context is None else request_context)
        return super()._new_pool(scheme, host, port, {**context, "watchdog": self.watchdog})


class _GuardedAdapter(HTTPAdapter):
    """requests' adapter whose connections check the address they reached and are cut at the deadline."""

    def __init__(self, *, watchdog: Watchdog):
        self.watchdog = watchdog  # before HTTPAdapter.__init__, which makes the pool manager
        super().__init__()

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        self._pool_connections, self._pool_maxsize, self._pool_block = connections, maxsize, block
        self.poolmanager = _GuardedPoolManager(
            num_pools=connections, maxsize=maxsize, block=block, watchdog=self.watchdog, **pool_kwargs
        )


def url_check(url: str, deadline: float | None = None) -> None:
    """Refuse a URL this server must not fetch: not http(s), or a private address; its name
    resolved before `deadline` (time.monotonic(); default: FETCH_TIMEOUT from now)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchFailure(f"only http and https addresses can be fetched, not {url!r}")
    host = parts.hostname
    if not host:
        raise FetchFailure(f"the address has no host name: {url!r}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchFailure(f"the address has an invalid port: {url!r}") from None
    if deadline is None:
        deadline = time.monotonic() + settings.FETCH_TIMEOUT
    try:
        addresses = _addresses(host, port, deadline)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchFailure(f"cannot resolve the host name {host!r} ({error})") from None
    except _OutOfTime:
        raise FetchFailure(f"{url} timed out: the host name {host!r} was not resolved in time") from None
    for address in addresses:
        refusal = _address_refusal(address, host)
        if refusal:
            raise FetchFailure(refusal)


def _content_type_check(content_type: str, accept: tuple[str, ...], url: str) -> None:
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime not in accept:
        wanted = "an HTML page" if accept == HTML_TYPES else "a feed"
        raise FetchFailure(f"{url} is not {wanted}: the server says its content type is {mime or 'unknown'}")


def url_fetch(
    *,
    url: str,
    accept: tuple[str, ...] = HTML_TYPES,
    etag: str = "",
    last_modified: str = "",
) -> FetchedPage:
    """GET `url` within the limits and the guard, following redirects one checked hop at a time.

    Raises FetchFailure with the reason on a bad address, DNS failure, refused
    connection, timeout, HTTP error status, unexpected content type or an
    oversized body. A 304 answer to a conditional GET (`etag`,
    `last_modified`) comes back with `not_modified` and no body.
    """
    timeout = settings.FETCH_TIMEOUT
    headers = {
        "User-Agent": settings.FETCH_USER_AGENT,
        "Accept": ", ".join([*accept, "*/*;q=0.1"]),
        "Accept-Language": "ar, en;q=0.5",
        "Accept-Encoding": ACCEPT_ENCODING,
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with Watchdog(time.monotonic() + timeout) as watchdog, requests.Session() as session:
        session.trust_env = False  # a proxy from the environment would bypass the address guard
        session.mount("http://", _GuardedAdapter(watchdog=watchdog))
        session.mount("https://", _GuardedAdapter(watchdog=watchdog))
        current = url
        for _hop in range(settings.FETCH_MAX_REDIRECTS + 1):
            try:
                url_check(current, watchdog.deadline)
            except FetchFailure:
                if watchdog.expired:
                    raise _timed_out(current, timeout) from None
                raise
            remaining = watchdog.deadline - time.monotonic()
            if remaining <= 0:
                raise _timed_out(url, timeout)
            try:
                response = session.get(current, headers=headers, stream=True, allow_redirects=False, timeout=remaining)
            except requests.exceptions.RequestException as error:
                if watchdog.expired:
                    raise _timed_out(current, timeout) from None
                refused = _refusal_in(error)
                if refused:
                    raise FetchFailure(refused) from None
                if isinstance(error, requests.exceptions.ConnectionError):
                    raise FetchFailure(f"cannot connect to {current}: {_connection_reason(error)}") from None
                raise FetchFailure(f"cannot fetch {current}: {error}") from None
            with response:
                if response.status_code in REDIRECT_STATUSES and response.headers.get("Location"):
                    current = urljoin(current, response.headers["Location"])
                    continue
                return _page_read(response, url=current, accept=accept, watchdog=watchdog, timeout=timeout)
        raise FetchFailure(f"{url} redirects more than {settings.FETCH_MAX_REDIRECTS} times")


def _timed_out(url: str, timeout: float) -> FetchFailure:
    return FetchFailure(f"{url} timed out: no complete answer within {timeout:g} s")


def _page_read(response, *, url: str, accept, watchdog: Watchdog, timeout: float) -> FetchedPage:
    page = FetchedPage(
        url=url,
        status=response.status_code,
        content_type=response.headers.get("Content-Type", ""),
        body=b"",
        etag=response.headers.get("ETag", ""),
        last_modified=response.headers.get("Last-Modified", ""),
    )
    if page.not_modified:
        return page
    if response.status_code >= 400:
        raise FetchFailure(f"{url} answered {response.status_code} {response.reason or ''}".rstrip())
    if response.status_code != 200:
        raise FetchFailure(f"{url} answered {response.status_code}, not a page")
    _content_type_check(page.content_type, accept, url)
    limit = settings.FETCH_MAX_BYTES
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchFailure(f"{url} is too large: {int(declared):,} bytes, the limit is {limit:,} bytes")
    decoder = BodyDecoder(response.headers.get("Content-Encoding", ""))
    too_large = f"{url} is too large: more than {limit:,} bytes{' once decompressed' if decoder.compressed else ''}"
    # The body is read as it came (read1 returns after one read of the socket)
    # and decompressed here, piece by piece, under the limit and the deadline.
    pieces, size = [], 0
    try:
        while data := response.raw.read1(PIECE_BYTES, decode_content=False):
            for piece in decoder.decode(data):
                size += len(piece)
                if size > limit:
                    raise FetchFailure(f"{too_large}, the limit is {limit:,} bytes")
                if watchdog.expired:
                    raise _timed_out(url, timeout)
                pieces.append(piece)
    except (urllib3.exceptions.HTTPError, OSError) as error:
        if watchdog.expired:
            raise _timed_out(url, timeout) from None
        raise FetchFailure(f"reading {url} failed: {error}") from None
    if watchdog.fired:
        # The watchdog cut the connection: what was read is not the whole answer.
        raise _timed_out(url, timeout)
    page.body = b"".join(pieces)
    return page


def _refusal_in(error: BaseException) -> str:
    """The guard's refusal somewhere in the chain of causes requests and urllib3 wrap it in, or ""."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, _AddressRefused):
            return str(error)
        seen.add(id(error))
        error = error.__cause__ or error.__context__ or getattr(error, "reason", None)
        if error is not None and not isinstance(error, BaseException):
            return ""
    return ""


def _connection_reason(error: Exception) -> str:
    text = str(error)
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused"
    if "timed out" in text.lower():
        return "timed out"
    if "Name or service not known" in text or "getaddrinfo" in text:
        return "the host name cannot be resolved"
    return text
