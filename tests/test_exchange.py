"""Undoing a body's Content-Encoding in bounded pieces, however the bytes arrive (articles/importing/exchange.py)."""

import gzip
import zlib

import pytest

from articles.importing.exchange import PIECE_BYTES, BodyDecoder
from articles.importing.records import ImportFailure

TEXT = ("خبر عاجل من القاهرة. " * 8000).encode("utf-8")


def raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def decoded(encoding: str, body: bytes, step: int) -> bytes:
    decoder, pieces = BodyDecoder(encoding), []
    for start in range(0, len(body), step):
        pieces.extend(decoder.decode(body[start : start + step]))
    assert all(len(piece) <= PIECE_BYTES for piece in pieces)
    return b"".join(pieces)


@pytest.mark.parametrize("step", [1, 7, 64 * 1024])  # a byte at a time, as a trickling server sends it, or whole
@pytest.mark.parametrize(
    "encoding, body",
    [
        ("", TEXT),
        ("identity", TEXT),
        ("gzip", gzip.compress(TEXT)),
        ("x-gzip", gzip.compress(TEXT)),
        ("gzip", gzip.compress(TEXT[:100]) + gzip.compress(TEXT[100:])),  # two members
        ("gzip", gzip.compress(TEXT) + b"\0" * 8),  # padding after the body
        ("deflate", zlib.compress(TEXT)),  # as the standard says: zlib-wrapped
        ("deflate", raw_deflate(TEXT)),  # as some servers send it
    ],
)
def test_every_encoding_we_ask_for_is_read_whatever_the_pieces(encoding, body, step):
    assert decoded(encoding, body, step) == TEXT


def test_a_bomb_comes_out_in_bounded_pieces():
    pieces = BodyDecoder("gzip").decode(gzip.compress(b"\0" * (20 * PIECE_BYTES)))
    assert len(next(pieces)) == PIECE_BYTES  # one piece at a time: the caller can stop at its limit


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, gzip", "compress"])
def test_an_encoding_we_did_not_ask_for_is_refused(encoding):
    with pytest.raises(ImportFailure, match="only gzip or deflate, which were asked for, can be read"):
        BodyDecoder(encoding)


def test_a_body_that_is_not_what_its_encoding_says_is_refused():
    with pytest.raises(ImportFailure, match="the page is not valid gzip data"):
        list(BodyDecoder("gzip").decode(b"<html>not compressed</html>"))
