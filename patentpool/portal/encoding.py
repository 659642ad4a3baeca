"""The API's documents sent gzip-compressed to a client that accepts it, each compressed once.

The documents a worker keeps (:mod:`patentpool.services.snapshots`) are the same ``bytes``
object for every request of one state of the database; their compressed form is kept beside
them, for as long as they are among the last :data:`KEPT` documents sent. A quarter's
royalties of every licensee is tens of megabytes of JSON: compressed, about a tenth.
"""

from __future__ import annotations

import gzip
import threading

from fastapi import Request
from fastapi.responses import Response

#: Documents smaller than this are sent as they are: compressing them saves too little.
SMALLEST = 16 * 1024
#: How many compressed documents are kept at most (the oldest goes first).
KEPT = 64
#: zlib's fastest level: a 60 MB document in about 0.4 s, to a tenth of its size.
LEVEL = 1

_lock = threading.Lock()
# one compression at a time: a thread that needs the document another is compressing waits
# for its result rather than compressing it again
_compressing = threading.Lock()
# id of the document -> (the document, kept so that its id is not reused; its compression)
_compressed: dict[int, tuple[bytes, bytes]] = {}


def accepts_gzip(request: Request) -> bool:
    """Does the request's Accept-Encoding allow gzip (not refused with ``q=0``)?"""
    for part in request.headers.get("accept-encoding", "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() not in ("gzip", "*"):
            continue
        quality = params.strip().removeprefix("q=").strip() if params else "1"
        try:
            return float(quality) > 0
        except ValueError:
            return False
    return False


def compressed(content: bytes) -> bytes:
    """``content`` gzip-compressed, computed once while it is among the last kept."""
    key = id(content)
    with _lock:
        found = _compressed.get(key)
    if found is not None and found[0] is content:
        return found[1]
    with _compressing:
        with _lock:
            found = _compressed.get(key)
        if found is not None and found[0] is content:
            return found[1]
        packed = gzip.compress(content, compresslevel=LEVEL, mtime=0)
        with _lock:
            _compressed.pop(key, None)
            _compressed[key] = (content, packed)
            while len(_compressed) > KEPT:
                del _compressed[next(iter(_compressed))]
        return packed


def json_response(request: Request, content: bytes) -> Response:
    """A JSON document the services serialised, compressed when large and accepted."""
    headers = {"vary": "accept-encoding"}
    if len(content) >= SMALLEST and accepts_gzip(request):
        headers["content-encoding"] = "gzip"
        content = compressed(content)
    return Response(content, media_type="application/json", headers=headers)
