"""SHA-256 of every line of a large sales file, shared between this process and a helper.

A sales report's checksum adds up one SHA-256 digest per line, and for a file of a million
lines those digests are a good part of the import's work. Python computes a digest of a short
text while holding its interpreter lock, so a thread cannot share the work; a second process
can. :class:`Hasher` starts one helper process (only when the machine has a second core) and
hands it a block of lines whenever it is idle; while it is busy, the block is hashed here.
Either way each block's digests are the same bytes, and the sums built from them do not
depend on which process hashed which block.

The helper is this very file run as a script by the same Python (``python -I digests.py``):
it imports nothing but the standard library, neither patentpool nor the program that called
it, and talks over two pipes. It stops when this process closes its end of the pipe, or dies
with it: a killed import leaves no helper behind.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from array import array
from collections.abc import Iterator
from itertools import pairwise
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Generic, TypeVar

Tag = TypeVar("Tag")

_READY = b"ready"


def line_digests(offsets: bytes, data: bytes) -> bytes:
    """The 32-byte SHA-256 digest of each text, one after the other.

    Text ``i`` is ``data[offsets[i]:offsets[i + 1]]``; ``offsets`` holds native 32-bit
    integers (Arrow's layout of a binary column).
    """
    bounds = array("i")
    bounds.frombytes(offsets)
    sha256 = hashlib.sha256
    return b"".join([sha256(data[a:b]).digest() for a, b in pairwise(bounds)])


def _serve() -> None:  # pragma: no cover - runs in the helper process
    """The helper: blocks in on standard input, their digests out on standard output, until
    either pipe closes."""
    blocks = Connection(0, writable=False)
    answers = Connection(1, readable=False)
    try:
        answers.send_bytes(_READY)
        while True:
            offsets = blocks.recv_bytes()
            data = blocks.recv_bytes()
            answers.send_bytes(line_digests(offsets, data))
    except (EOFError, OSError):
        return


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class Hasher(Generic[Tag]):
    """Digests of blocks of texts; with ``helper``, a second process takes some of the blocks.

    ``feed`` hands over one block (its offsets and data, and a tag of the caller's) and
    returns the blocks whose digests are ready, as (tag, digests); ``drain`` returns the rest.
    Each block comes back exactly once.
    """

    def __init__(self, helper: bool) -> None:
        self._connection: Connection | None = None  # blocks out
        self._answers: Connection | None = None  # digests in
        self._process: subprocess.Popen[bytes] | None = None
        self._ready = False
        self._pending: tuple[Tag, bytes, bytes] | None = None
        if helper:
            self._start()

    def _start(self) -> None:
        their_in, our_out = os.pipe()
        our_in, their_out = os.pipe()
        try:
            process = subprocess.Popen(
                [sys.executable, "-I", __file__],
                stdin=their_in,
                stdout=their_out,
                stderr=subprocess.DEVNULL,
            )
        except OSError:  # pragma: no cover - no process to be had: hash everything here
            os.close(our_out)
            os.close(our_in)
            return
        finally:
            os.close(their_in)
            os.close(their_out)
        self._connection = Connection(our_out, readable=False)
        self._answers = Connection(our_in, writable=False)
        self._process = process

    def __enter__(self) -> Hasher[Tag]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _idle(self) -> bool:
        """Whether the helper can take a block now."""
        answers = self._answers
        if answers is None or self._pending is not None:
            return False
        if not self._ready:
            try:
                if not answers.poll():
                    return False  # still starting
                self._ready = answers.recv_bytes() == _READY
            except (EOFError, OSError):  # pragma: no cover - the helper died
                self._ready = False
            if not self._ready:  # pragma: no cover
                self._lost()
                return False
        return True

    def _collect(self, wait: bool) -> list[tuple[Tag, bytes]]:
        """The helper's block, if it has one and it is done (or ``wait``)."""
        pending, answers = self._pending, self._answers
        if pending is None or answers is None:
            return []
        tag, offsets, data = pending
        try:
            if not wait and not answers.poll():
                return []
            digests = answers.recv_bytes()
        except (EOFError, OSError):  # pragma: no cover - the helper died: hash it here
            self._lost()
            digests = line_digests(offsets, data)
        self._pending = None
        return [(tag, digests)]

    def feed(self, tag: Tag, offsets: bytes, data: bytes) -> list[tuple[Tag, bytes]]:
        """Hand over one block; the blocks whose digests are now ready."""
        done = self._collect(wait=False)
        if self._idle():
            assert self._connection is not None
            try:
                self._connection.send_bytes(offsets)
                self._connection.send_bytes(data)
            except OSError:  # pragma: no cover - the helper died
                self._lost()
            else:
                self._pending = (tag, offsets, data)
                return done
        done.append((tag, line_digests(offsets, data)))
        return done

    def drain(self) -> list[tuple[Tag, bytes]]:
        """The last block the helper holds, once it is done."""
        return self._collect(wait=True)

    def _lost(self) -> None:
        """No more blocks for the helper: it exits when its pipes close."""
        for connection in (self._connection, self._answers):
            if connection is not None:
                connection.close()
        self._connection = self._answers = None

    def close(self) -> None:
        """Stop the helper and wait for it."""
        self._lost()
        process, self._process = self._process, None
        if process is not None:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover
                process.kill()
                process.wait()


def blocks_done(
    hasher: Hasher[Tag], feed: Iterator[tuple[Tag, bytes, bytes]]
) -> Iterator[tuple[Tag, bytes]]:
    """Every (tag, digests) of ``feed``'s blocks, as they are ready."""
    for tag, offsets, data in feed:
        yield from hasher.feed(tag, offsets, data)
    yield from hasher.drain()


if __name__ == "__main__":  # pragma: no cover - the helper process
    _serve()
