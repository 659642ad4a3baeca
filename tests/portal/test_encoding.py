"""The API's large documents are sent gzip-compressed to clients that accept it, each
compressed once for as long as it is kept."""

from __future__ import annotations

import gzip

from portal_setup import Portal
from starlette.requests import Request

from patentpool.portal.encoding import SMALLEST, accepts_gzip, compressed, json_response


def _request(accept: str | None) -> Request:
    headers = [] if accept is None else [(b"accept-encoding", accept.encode())]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers})


def test_gzip_is_accepted_unless_refused() -> None:
    assert accepts_gzip(_request("gzip, deflate"))
    assert accepts_gzip(_request("br;q=1.0, GZIP;q=0.5"))
    assert accepts_gzip(_request("*"))
    assert not accepts_gzip(_request(None))
    assert not accepts_gzip(_request("identity"))
    assert not accepts_gzip(_request("gzip;q=0"))
    assert not accepts_gzip(_request("deflate, gzip;q=0.0"))


def test_a_large_document_is_compressed_once() -> None:
    document = b'{"lines":[' + b",".join(b'{"units":%d}' % i for i in range(5000)) + b"]}"
    assert len(document) >= SMALLEST
    sent = json_response(_request("gzip"), document)
    assert sent.headers["content-encoding"] == "gzip"
    assert sent.headers["vary"] == "accept-encoding"
    assert gzip.decompress(sent.body) == document
    assert len(sent.body) < len(document) / 4
    assert compressed(document) is compressed(document)  # kept, not compressed again
    plain = json_response(_request("identity"), document)
    assert "content-encoding" not in plain.headers
    assert plain.body == document


def test_a_small_document_is_sent_as_it_is() -> None:
    sent = json_response(_request("gzip"), b'{"name":"x"}')
    assert "content-encoding" not in sent.headers
    assert sent.body == b'{"name":"x"}'


def test_the_patent_list_is_compressed_and_reads_the_same(any_portal: Portal) -> None:
    client = any_portal.client()
    token = {"authorization": f"Bearer {any_portal.token('counsel1')}"}
    packed = client.get("/api/v1/patents", headers=token | {"accept-encoding": "gzip"})
    plain = client.get("/api/v1/patents", headers=token | {"accept-encoding": "identity"})
    assert packed.status_code == plain.status_code == 200
    assert packed.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    assert packed.content == plain.content  # the client decompresses it
    assert int(packed.headers["content-length"]) < len(plain.content) / 4
