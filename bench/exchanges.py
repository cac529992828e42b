"""Exchange space benchmark: live delivery latency to 200 connected members.

    REDIS_URL=redis://127.0.0.1:6379/10 /work/main/.venv/bin/python bench/exchanges.py

Creates 200 active members of bassin Sud, starts two daphne processes running
``maillage.asgi:application`` (the production layout: several ASGI processes sharing
the Redis channel layer), connects the 200 members' WebSockets to the channel
"sud-sante-mentale" (half on each process), then posts 5 messages a second for
``SECONDS`` through the real HTTP form (session, CSRF, confidentiality check, database
write, rendering, channel-layer fan-out). Latency is measured per delivery, from the
moment the POST is sent to the moment a member's socket receives the message.

Without DATABASE_URL it uses a throw-away SQLite file. REDIS_URL defaults to
redis://127.0.0.1:6379/10 (the channel layer needs Redis to span two processes).
"""

from __future__ import annotations

import asyncio
import base64
import http.client
import json
import os
import re
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
TMP = Path(tempfile.mkdtemp(prefix="maillage-bench-"))
os.environ.setdefault("MAILLAGE_VAR_DIR", str(TMP))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.base")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/10")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# the benchmark's single author posts 5/s: no rate limit, no pre-moderation
os.environ["EXCHANGES_MESSAGES_PER_MINUTE"] = "100000"
os.environ["EXCHANGES_PREMODERATED_MESSAGES"] = "0"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from bassins.models import Bassin  # noqa: E402
from exchanges import services  # noqa: E402
from exchanges.models import Member, MemberStatus, Message  # noqa: E402

MEMBERS = 200
RATE = 5.0  # messages per second
SECONDS = int(os.environ.get("BENCH_SECONDS", "30"))
PROCESSES = 2
SLUG = "sud-sante-mentale"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daphne:
    def __init__(self):
        self.port = free_port()

    def __enter__(self):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)])}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-v",
                "0",
                "maillage.asgi:application",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("daphne did not start")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


def prepare() -> tuple[list[str], str]:
    """Members, their session cookies, and the author's cookie."""
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_reference_data", verbosity=0, stdout=devnull)
    sud = Bassin.objects.get(slug="sud")
    Message.objects.filter(channel__slug=SLUG).delete()
    # a previous run's members (their users, which the members belong to)
    get_user_model().objects.filter(email__endswith="@bench.example").delete()
    cookies = []
    for n in range(MEMBERS + 1):
        member = services.register_member(
            email=f"bench-{n}@bench.example",
            password="bench-password-42",
            display_name=f"bench {n}",
            organisation="Bench",
            role="bench",
            bassin_ids=[sud.pk],
            language="fr" if n % 2 else "nl",
        )
        Member.objects.filter(pk=member.pk).update(status=MemberStatus.ACTIVE)
        services.accept_charter(member)
        client = Client()
        client.force_login(member.user)
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return cookies[1:], cookies[0]


def post_messages(port: int, cookie: str, count: int, sent: dict[str, float]) -> None:
    """The author posts ``count`` messages at RATE per second through the HTTP form."""
    path = f"/fr/echanges/canal/{SLUG}/"
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"})
    response = conn.getresponse()
    body = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    cookie_header = f"{settings.SESSION_COOKIE_NAME}={cookie}; csrftoken={csrf_cookie.group(1)}"
    start = time.monotonic()
    for n in range(count):
        target = start + n / RATE
        time.sleep(max(0.0, target - time.monotonic()))
        marker = f"bench-{n:05d}"
        form = f"csrfmiddlewaretoken={token}&body=Message+{marker}+pour+le+banc+d%27essai"
        sent[marker] = time.monotonic()
        conn.request(
            "POST",
            path,
            body=form,
            headers={
                "Cookie": cookie_header,
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{port}{path}",
            },
        )
        reply = conn.getresponse()
        reply.read()
        if reply.status != 302:
            raise RuntimeError(f"post refused: {reply.status}")


# The members' sockets: a minimal RFC 6455 client on asyncio streams. No WebSocket
# client library is installed for asyncio (daphne's autobahn is tied to Twisted once
# Django has loaded daphne), and 200 listeners need nothing more than reading frames.


async def connect(port: int, cookie: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A member's WebSocket on the channel, open (daphne answers 101 only once the
    consumer has accepted, i.e. joined the channel's group)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET /ws/echanges/{SLUG}/?lang=fr HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port}\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: http://127.0.0.1:{port}\r\n"
            f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}\r\n\r\n"
        ).encode()
    )
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=60)
    if not head.startswith(b"HTTP/1.1 101"):
        raise RuntimeError(f"socket refused: {head.splitlines()[0]!r}")
    return reader, writer


def client_frame(opcode: int, payload: bytes) -> bytes:
    """A masked frame (clients must mask) with a short payload."""
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked


async def listen(reader, writer, received: list) -> None:
    """Reads server frames (never masked) until the socket closes; answers pings;
    records when each benchmark message arrives."""
    message = b""
    while True:
        try:
            first, second = await reader.readexactly(2)
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", await reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", await reader.readexactly(8))
        payload = await reader.readexactly(length)
        opcode = first & 0x0F
        if opcode == 0x9:  # ping
            writer.write(client_frame(0xA, payload))
            continue
        if opcode == 0x8:  # close
            return
        message += payload
        if not first & 0x80:  # more fragments follow
            continue
        now = time.monotonic()
        data, message = json.loads(message), b""
        if data.get("type") == "published":
            marker = re.search(r"bench-\d{5}", data["html"])
            if marker:
                received.append((marker.group(), now))


async def run(ports: list[int], cookies: list[str], author: str) -> dict:
    received: list[tuple[str, float]] = []
    sent: dict[str, float] = {}
    sockets = [await connect(ports[i % len(ports)], cookie) for i, cookie in enumerate(cookies)]
    listeners = [asyncio.create_task(listen(r, w, received)) for r, w in sockets]
    count = int(RATE * SECONDS)
    started = time.monotonic()
    await asyncio.to_thread(post_messages, ports[0], author, count, sent)
    posting = time.monotonic() - started
    await asyncio.sleep(5)  # let the last deliveries arrive
    for _reader, writer in sockets:
        writer.close()
    await asyncio.gather(*listeners, return_exceptions=True)
    latencies = sorted(t - sent[marker] for marker, t in received if marker in sent)
    expected = count * len(cookies)
    return {
        "members": len(cookies),
        "processes": len(ports),
        "messages": count,
        "achieved rate (msg/s)": round(count / posting, 2),
        "deliveries": f"{len(latencies)} / {expected}",
        "p50 (ms)": round(1000 * statistics.median(latencies), 1),
        "p95 (ms)": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1),
        "p99 (ms)": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1),
        "max (ms)": round(1000 * latencies[-1], 1),
        "load average after (1, 5, 15 min)": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main() -> None:
    print(
        f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"channel layer: {settings.CHANNEL_LAYERS['default']['BACKEND']}"
    )
    cookies, author = prepare()
    print("load average before (1, 5, 15 min): " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    servers = [Daphne() for _ in range(PROCESSES)]
    for server in servers:
        server.__enter__()
    try:
        figures = asyncio.run(run([s.port for s in servers], cookies, author))
    finally:
        for server in servers:
            server.__exit__()
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    p95 = figures["p95 (ms)"]
    print(f"goal p95 < 1000 ms: {'met' if p95 < 1000 else 'NOT met'}")


if __name__ == "__main__":
    main()
