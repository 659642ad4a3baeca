"""Line digests are the same bytes whichever process computes them."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from array import array
from pathlib import Path
from typing import Any

import pytest

import patentpool.io.digests as digests
import patentpool.io.sales_stream as sales_stream


def _block(texts: list[bytes]) -> tuple[bytes, bytes]:
    offsets = array("i", [0])
    for text in texts:
        offsets.append(offsets[-1] + len(text))
    return offsets.tobytes(), b"".join(texts)


def _expected(texts: list[bytes]) -> bytes:
    return b"".join(hashlib.sha256(t).digest() for t in texts)


def test_line_digests_are_sha256_of_each_text() -> None:
    texts = [b"US|CN|tv|1000|", b"", b"DE|DE|phone|10|1000.5", "BR|CN|télé|1|".encode()]
    assert digests.line_digests(*_block(texts)) == _expected(texts)
    assert digests.line_digests(*_block([])) == b""


@pytest.mark.parametrize("helper", [False, True])
def test_every_block_comes_back_once_with_its_digests(
    helper: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    here: list[int] = []  # blocks hashed in this process
    real = digests.line_digests
    monkeypatch.setattr(digests, "line_digests", lambda o, d: here.append(1) or real(o, d))
    rng = random.Random(7)
    blocks = {
        n: [rng.randbytes(rng.randrange(0, 40)) for _ in range(rng.randrange(0, 3000))]
        for n in range(40)
    }
    with digests.Hasher[int](helper) as hasher:
        if helper:
            assert hasher._process is not None  # the helper was started
            while not hasher._idle():  # and is ready before the first block
                pass
        feed = ((n, *_block(texts)) for n, texts in blocks.items())
        process = hasher._process
        done = dict(digests.blocks_done(hasher, feed))
    assert sorted(done) == sorted(blocks)
    assert all(done[n] == _expected(texts) for n, texts in blocks.items())
    if helper:
        assert process is not None
        assert process.returncode == 0  # it stopped when its pipe closed, and was waited for
        assert len(here) < len(blocks)  # the helper took some blocks
    else:
        assert len(here) == len(blocks)


def test_a_helper_that_dies_loses_no_block() -> None:
    texts = [b"a", b"bc"] * 500
    with digests.Hasher[int](True) as hasher:
        process = hasher._process
        assert process is not None
        while not hasher._idle():  # wait for it to start, then give it one block
            pass
        assert hasher.feed(1, *_block(texts)) == []
        process.kill()
        process.wait()
        done = hasher.feed(2, *_block(texts)) + hasher.drain()
    assert sorted(done) == [(1, _expected(texts)), (2, _expected(texts))]


def test_a_large_file_checksums_the_same_with_the_helper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import's checksums with the helper process equal those of the line reader."""
    from test_sales_columns import _both, _small_blocks, _sqlite

    started: list[bool] = []
    real = digests.Hasher.__init__

    def spy(self: Any, helper: bool) -> None:
        started.append(helper)
        real(self, helper)

    monkeypatch.setattr(digests.Hasher, "__init__", spy)
    monkeypatch.setattr(sales_stream, "HELPER_BYTES", 0)
    blocks = _small_blocks(monkeypatch)
    rng = random.Random(3)
    rows = [
        f"{rng.choice(['acme', 'beta'])},2025Q4,{rng.choice(['US', 'DE', 'BR'])},CN,"
        f"{rng.choice(['tv', 'phone'])},{rng.randrange(0, 10**6)},{rng.randrange(1, 999)}.5\n"
        for _ in range(3000)
    ]
    from licensing_files import SALES_HEADER

    by_columns, by_lines, used = _both(
        tmp_path, monkeypatch, SALES_HEADER + "".join(rows), _sqlite(tmp_path)
    )
    assert used == [True]
    assert len(blocks) > 100
    assert started[0] is (digests.cores() > 1)
    assert by_columns == by_lines
    assert len(by_columns[1]) == 3000


KILLED = """
import sys, time
from patentpool.io import digests
hasher = digests.Hasher(True)
while not hasher._idle():
    time.sleep(0.01)
print(hasher._process.pid, flush=True)
time.sleep(60)
"""


def test_a_killed_import_leaves_no_helper_behind() -> None:
    parent = subprocess.Popen([sys.executable, "-c", KILLED], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    helper = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(helper, 0)
        except ProcessLookupError:
            return  # gone
        try:  # an exited child of the killed process waits for init to reap it
            with open(f"/proc/{helper}/stat") as stat:
                if stat.read().split(") ")[1].startswith("Z"):
                    return
        except FileNotFoundError:
            return
        time.sleep(0.05)
    raise AssertionError(f"the helper {helper} outlived its import")
