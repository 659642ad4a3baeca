"""A small client of Chromium's DevTools protocol, enough to load a page headless, read its
console errors and layout, and take a screenshot. Used by the report browser tests."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websocket

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)
START_SECONDS = 30.0
STEP_SECONDS = 30.0


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass
class PageLoad:
    errors: list[str]
    scroll_width: int
    inner_width: int
    text: str


@dataclass
class Browser:
    socket: websocket.WebSocket
    session: str = ""
    events: list[dict[str, Any]] = field(default_factory=list)
    next_id: int = 0

    def call(self, method: str, params: dict[str, Any] | None = None,
             session: bool = True) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        self.socket.send(json.dumps(message))
        deadline = time.monotonic() + STEP_SECONDS
        while time.monotonic() < deadline:
            reply = json.loads(self.socket.recv())
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)
        raise TimeoutError(method)

    def wait_for(self, event: str) -> None:
        deadline = time.monotonic() + STEP_SECONDS
        while time.monotonic() < deadline:
            if any(e.get("method") == event for e in self.events):
                return
            self.events.append(json.loads(self.socket.recv()))
        raise TimeoutError(event)

    def errors(self) -> list[str]:
        out = []
        for event in self.events:
            params = event.get("params", {})
            method = event.get("method")
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description"))) for a in
                                    params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                out.append(str(params.get("exceptionDetails", {}).get("text")))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                out.append(str(params["entry"].get("text")))
        return out

    def load(self, url: str, width: int, screenshot: Path | None = None) -> PageLoad:
        self.call("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600,
        })
        self.events.clear()
        self.call("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")
        found = self.call("Runtime.evaluate", {
            "expression": "JSON.stringify({sw: document.documentElement.scrollWidth, "
                          "iw: window.innerWidth, text: document.body.innerText})",
            "returnByValue": True,
        })
        values = json.loads(found["result"]["value"])
        if screenshot is not None:
            metrics = self.call("Page.getLayoutMetrics")
            height = int(metrics["cssContentSize"]["height"])
            shot = self.call("Page.captureScreenshot", {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 16000),
                         "scale": 1},
            })
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
        return PageLoad(self.errors(), values["sw"], values["iw"], values["text"])


@contextmanager
def chromium(executable: str) -> Iterator[Browser]:
    """A headless Chromium with a fresh profile, attached to one blank page."""
    with tempfile.TemporaryDirectory(prefix="patentpool-chromium-") as profile:
        process = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + START_SECONDS
            while not (port_file.is_file() and len(port_file.read_text().split()) >= 2):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{executable} did not open its DevTools port")
                time.sleep(0.1)
            port, path = port_file.read_text().split()[:2]
            socket = websocket.create_connection(f"ws://127.0.0.1:{port}{path}",
                                                 timeout=STEP_SECONDS, suppress_origin=True)
            browser = Browser(socket)
            target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            browser.session = browser.call(
                "Target.attachToTarget", {"targetId": target, "flatten": True}
            )["sessionId"]
            for domain in ("Page", "Runtime", "Log"):
                browser.call(f"{domain}.enable")
            try:
                yield browser
            finally:
                socket.close()
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
