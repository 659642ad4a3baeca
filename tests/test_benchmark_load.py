"""benchmarks/load.py's model of people using the portal: think times, rates and its table."""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import itertools
import random
import sys
import time
from collections import defaultdict

import httpx
import pytest
from paths import benchmark

load = benchmark("load")


def test_think_is_a_range_one_number_or_zero() -> None:
    assert load.parse_think("0.5-1.5") == (0.5, 1.5)
    assert load.parse_think("2") == (2.0, 2.0)
    assert load.parse_think("0") == (0.0, 0.0)
    for wrong in ("1.5-0.5", "-1", "a-b", "fast"):
        with pytest.raises(argparse.ArgumentTypeError):
            load.parse_think(wrong)


def test_offered_rate_is_sessions_over_the_mean_think_time() -> None:
    assert load.offered_rate(50, (0.5, 1.5)) == 50.0
    assert load.offered_rate(10, (2.0, 2.0)) == 5.0
    assert load.offered_rate(50, (0.0, 0.0)) is None


def _run_session(
    think: tuple[float, float], seconds: float, status: int = 200
) -> tuple[list[float], dict]:
    """One counsel session against a portal that answers at once: when each request came."""
    asked: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(time.monotonic())
        return httpx.Response(status, stream=httpx.ByteStream(b"{}"))

    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    setup = {"program": "p", "period": "2026Q1", "think": think}

    async def run() -> None:
        transport = httpx.MockTransport(answer)
        async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
            until = time.monotonic() + seconds
            await load.session(
                client, "t", "counsel", None, setup, until, times, errors, set(), random.Random(1)
            )

    # a thread of its own: a browser test of the same worker may hold a running loop here
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()
    return asked, times


def test_a_session_thinks_between_two_requests() -> None:
    asked, times = _run_session((0.05, 0.1), 0.6)
    gaps = [b - a for a, b in itertools.pairwise(asked)]
    assert 4 <= len(asked) <= 12
    assert min(gaps) >= 0.045
    assert sum(len(v) for v in times.values()) == len(asked)


def test_think_zero_is_a_closed_loop() -> None:
    asked, _ = _run_session((0.0, 0.0), 0.2)
    assert len(asked) > 50  # no pause: as many requests as answers allow


def test_think_times_are_seeded() -> None:
    first = [random.Random("1 load001").uniform(0.5, 1.5) for _ in range(3)]
    again = [random.Random("1 load001").uniform(0.5, 1.5) for _ in range(3)]
    assert first == again


def test_table_gives_every_read_and_upload_together() -> None:
    times = {
        "GET /": [0.1, 0.2],
        "GET /api/v1/me": [0.3],
        "POST /api/v1/licensees/{l}/sales-reports": [1.0],
    }
    errors = {"GET /": 1}
    text = load.table(times, errors)
    assert "| **every page and API read** | 3 | 200 | 290 | 298 | 1 |" in text
    assert "| **every upload** | 1 | 1000 | 1000 | 1000 | 0 |" in text
    summary = load.rates(times, errors, 2.0, 50, (0.5, 1.5))
    assert summary == ("4 requests answered in 2 s, 1 errors; offered rate 50.0/s, achieved 2.0/s")


def test_each_error_is_counted_with_its_status() -> None:
    load.ERROR_KINDS.clear()
    asked, _ = _run_session((0.02, 0.02), 0.2, status=503)
    assert sum(load.ERROR_KINDS.values()) == len(asked) > 0
    assert {what for _, what in load.ERROR_KINDS} == {"503"}
    load.ERROR_KINDS.clear()


def test_the_servers_cpu_counts_its_children_and_warm_waits_for_them_to_idle() -> None:
    """``wait_warm`` waits while a child of the server still works (a worker warming up)."""
    import subprocess

    busy = "import time\nend = time.process_time() + 0.6\nwhile time.process_time() < end: pass\n"
    parent = subprocess.Popen(
        [sys.executable, "-c", f"import subprocess, sys; subprocess.run([sys.executable, '-c', {busy!r}])"]
    )
    try:
        waited = load.wait_warm(parent.pid, every=0.2, idle=0.25, limit=30)
        assert parent.wait(timeout=30) == 0
    finally:
        parent.kill()
    assert waited >= 0.4  # not before the child's 0.6 s of work was (nearly) done
    assert load.tree_cpu(parent.pid) == 0.0  # an ended process counts nothing
