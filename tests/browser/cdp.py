"""Drive headless Chromium through the DevTools protocol with the standard library only.

Why not selenium or playwright: one more pinned dependency (and a driver) for
three things we need: load a page, collect console errors, evaluate one
expression and take a screenshot. The DevTools protocol is JSON over a
WebSocket; this file holds a minimal WebSocket client for it.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    "--window-size=1200,1600",
]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


class WebSocket:
    """Just enough of RFC 6455 for DevTools: text frames, client masking, fragmented replies."""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        match = re.match(r"ws://([^/:]+):(\d+)(/.*)", url)
        if not match:
            raise ValueError(f"not a ws:// URL: {url}")
        host, port, path = match.group(1), int(match.group(2)), match.group(3)
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("DevTools closed the connection during the handshake")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"WebSocket handshake refused: {head[:200]!r}")

    def send(self, text: str) -> None:
        payload = text.encode()
        header = bytearray([0x81])
        length = len(payload)
        if length < 126:
            header.append(0x80 | length)
        elif length < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", length)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", length)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes(header) + mask + masked)

    def _read(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def receive(self) -> str:
        message = b""
        while True:
            first, second = self._read(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._read(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if second & 0x80 else b""
            payload = self._read(length)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x8:
                raise ConnectionError("DevTools closed the WebSocket")
            if opcode in (0x9, 0xA):  # ping/pong: DevTools does not need answers here
                continue
            message += payload
            if first & 0x80:
                return message.decode()

    def close(self) -> None:
        self.sock.close()


@dataclass
class PageReport:
    """What happened while a page loaded: errors of any kind, an evaluated value, a screenshot."""

    errors: list[str] = field(default_factory=list)
    value: Any = None
    screenshot: bytes = b""
    loaded: bool = False


class Browser:
    def __init__(self, executable: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="ag-chromium-")
        self.process = subprocess.Popen(
            [executable, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.port = self._port()
        self.next_id = 0

    def _port(self, timeout: float = 30.0) -> int:
        end = time.monotonic() + timeout
        assert self.process.stderr is not None
        while time.monotonic() < end:
            line = self.process.stderr.readline()
            match = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if match:
                return int(match.group(1))
            if not line and self.process.poll() is not None:
                break
        raise RuntimeError("chromium did not start its DevTools server")

    def _page_socket(self) -> WebSocket:
        for _ in range(50):
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/json/list", timeout=10) as reply:
                pages = [t for t in json.load(reply) if t.get("type") == "page"]
            if pages:
                return WebSocket(pages[0]["webSocketDebuggerUrl"])
            time.sleep(0.1)
        raise RuntimeError("chromium has no page to drive")

    def _call(self, ws: WebSocket, method: str, params: dict[str, Any] | None, report: PageReport, timeout: float = 60.0) -> dict[str, Any]:
        self.next_id += 1
        ident = self.next_id
        ws.send(json.dumps({"id": ident, "method": method, "params": params or {}}))
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            message = json.loads(ws.receive())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self._event(message, report)
        raise TimeoutError(method)

    @staticmethod
    def _event(message: dict[str, Any], report: PageReport) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Page.loadEventFired":
            report.loaded = True
        elif method == "Runtime.exceptionThrown":
            report.errors.append("exception: " + json.dumps(params.get("exceptionDetails", {}))[:500])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            report.errors.append(f"console.{params.get('type')}: " + json.dumps(params.get("args", []))[:500])
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
            entry = params["entry"]
            report.errors.append(f"log {entry.get('source')}: {entry.get('text', '')[:500]}")

    def inspect(self, url: str, expression: str, settle: float = 1.0) -> PageReport:
        """Load `url`, wait for its load event, evaluate `expression`, screenshot the full page."""
        report = PageReport()
        ws = self._page_socket()
        try:
            for domain in ("Page", "Runtime", "Log"):
                self._call(ws, f"{domain}.enable", None, report)
            self._call(ws, "Page.navigate", {"url": url}, report)
            end = time.monotonic() + 30
            while not report.loaded and time.monotonic() < end:
                self._event(json.loads(ws.receive()), report)
            end = time.monotonic() + settle  # late console errors (image decoding, CSP reports)
            ws.sock.settimeout(0.2)
            while time.monotonic() < end:
                try:
                    self._event(json.loads(ws.receive()), report)
                except (TimeoutError, socket.timeout):
                    continue
            ws.sock.settimeout(60)
            result = self._call(ws, "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, report)
            report.value = result.get("result", {}).get("value")
            metrics = self._call(ws, "Page.getLayoutMetrics", None, report)
            size = metrics.get("cssContentSize") or metrics.get("contentSize") or {}
            clip = {"x": 0, "y": 0, "width": size.get("width", 1200), "height": min(size.get("height", 1600), 6000), "scale": 1}
            shot = self._call(ws, "Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True}, report)
            report.screenshot = base64.b64decode(shot["data"])
        finally:
            ws.close()
        return report

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def inspect_page(path: Path, expression: str) -> PageReport:
    executable = find_chromium()
    if executable is None:
        raise RuntimeError("no chromium: run tests/browser/install.sh")
    browser = Browser(executable)
    try:
        return browser.inspect(Path(path).resolve().as_uri(), expression)
    finally:
        browser.close()
