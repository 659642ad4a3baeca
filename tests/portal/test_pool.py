"""A worker whose database connections are all busy answers 503 within the pool's time-out,
instead of keeping the request waiting; and the pool holds as many connections as the
worker's threads run requests."""

from __future__ import annotations

import time
from contextlib import ExitStack

import pytest
from portal_setup import Portal

from patentpool.services.portal import THREADS
from patentpool.storage import engine


def test_the_pool_holds_a_connection_for_every_thread(portal: Portal) -> None:
    pool = engine.make_engine(portal.url).pool
    assert pool.size() + pool._max_overflow == THREADS == 40  # type: ignore[attr-defined]
    assert pool.timeout() == engine.POOL_TIMEOUT == 5.0  # type: ignore[attr-defined]


def test_an_exhausted_pool_answers_503_at_once(
    portal: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = {"authorization": f"Bearer {portal.token('staff1')}"}
    engine.dispose_all()
    monkeypatch.setattr(engine, "POOL_CONNECTIONS", 6)
    monkeypatch.setenv("PATENTPOOL_POOL_TIMEOUT", "0.5")
    client = portal.client()
    assert client.get("/api/v1/me", headers=token).status_code == 200
    with ExitStack() as held:
        for _ in range(6):  # every connection of the pool taken
            held.enter_context(engine.make_engine(portal.url).connect())
        began = time.monotonic()
        refused = client.get("/api/v1/me", headers=token)
        waited = time.monotonic() - began
        page = client.get("/", headers=token)
    assert refused.status_code == 503
    assert "no connection came free within 0.5 seconds" in refused.json()["detail"]
    assert refused.headers["retry-after"] == "1"
    assert page.status_code == 503
    assert waited < 3
    assert client.get("/api/v1/me", headers=token).status_code == 200  # free again
    engine.dispose_all()
