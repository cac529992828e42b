"""A real SMTP server (aiosmtpd) on 127.0.0.1 that records what it accepts.

``hold_after(n)`` closes a gate once ``n`` messages were accepted: every later DATA
waits *before* the server answers 250, as a slow server would. A client killed while
waiting never got its 250, so (RFC 5321) the message was not accepted: aiosmtpd
cancels the handler when the connection drops and nothing is recorded.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from email import message_from_bytes

from aiosmtpd.controller import Controller


class RecordingHandler:
    def __init__(self, parse: bool = True):
        self.lock = threading.Lock()
        self.messages: list[tuple[str, str]] = []  # (recipient, Message-ID)
        self.raw: list[bytes] = []
        self.parse = parse
        self.count = 0
        self.hold_at: int | None = None
        self.waiting = 0
        self.loop: asyncio.AbstractEventLoop | None = None
        self.gate: asyncio.Event | None = None

    async def handle_DATA(self, server, session, envelope):
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
            self.gate = asyncio.Event()
            self.gate.set()
        if self.hold_at is not None and self.count >= self.hold_at:
            self.gate.clear()
        if not self.gate.is_set():
            self.waiting += 1
            try:
                await self.gate.wait()
            finally:
                self.waiting -= 1
            if server.transport is None or server.transport.is_closing():
                # The client died before hearing 250: the message is not accepted.
                return "451 Client gone before acceptance"
        message_id = ""
        if self.parse:
            message_id = message_from_bytes(envelope.original_content or envelope.content).get(
                "Message-ID", ""
            )
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.messages.append((recipient, message_id))
            if self.parse:
                self.raw.append(envelope.original_content or envelope.content)
            self.count += 1
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpSink:
    def __init__(self, parse: bool = True):
        self.handler = RecordingHandler(parse=parse)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=free_port())

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.release()
        self.controller.stop()

    @property
    def count(self) -> int:
        return self.handler.count

    @property
    def messages(self) -> list[tuple[str, str]]:
        with self.handler.lock:
            return list(self.handler.messages)

    def hold_after(self, count: int) -> None:
        self.handler.hold_at = count

    def release(self) -> None:
        self.handler.hold_at = None
        if self.handler.loop and self.handler.gate:
            self.handler.loop.call_soon_threadsafe(self.handler.gate.set)

    def wait_for(self, predicate, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what} (accepted so far: {self.count})")
