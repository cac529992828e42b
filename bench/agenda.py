"""Agenda benchmark: feed req/s cold vs cached vs static, agenda page latency.

    DATABASE_URL=postgres://... REDIS_URL=redis://.../4 python bench/agenda.py

Generates 5 bassins x 2,000 events (10,000), 500 of them monthly recurring series,
with bulk_create (source="bench", is_demo=True; replaced on every run), then starts
gunicorn on this database, with the worker flags of docker-compose.yml's web service
(``BENCH_GUNICORN_ARGS`` to try others), and measures, in one run:

* /feeds/nord.ics requests/s from the cache (cached), and the same bytes served as a
  static file by WhiteNoise in the same gunicorn (static); the cached and static figures are also
  measured with FEED_FAST_PATH=false (cached feed through the whole middleware chain);
* the first feed render with nothing kept, then the cold feed rendered from the kept
  VEVENT fragments (FEED_CACHE_SECONDS=0), one client;
* agenda pages p50/p95 with 10 concurrent clients (after the workers' agenda warm-up,
  events.warmup, has settled), from the page cache (anonymous
  visitors), then 400 distinct random filter combinations (list, month, bassin agenda;
  FR/NL), every request a page-cache miss;
* /api/events for 30 days of random bassins and kinds.

Without DATABASE_URL it uses a throw-away SQLite file (figures then only indicative).
"""

from __future__ import annotations

import collections
import datetime
import functools
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
TMP = Path(tempfile.mkdtemp(prefix="maillage-bench-"))
os.environ.setdefault("MAILLAGE_VAR_DIR", str(TMP))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings.base")
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "bench-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

EVENTS_PER_BASSIN = 2000
SERIES_TOTAL = 500
CLIENTS = 10
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def generate() -> tuple[int, int]:
    import recurrence

    from bassins.models import Bassin
    from events.models import Event, EventKind, EventStatus, Occurrence
    from events.services import new_occurrences

    rng = random.Random(42)
    with transaction.atomic():
        Event.objects.filter(source="bench").delete()
    bassins = list(Bassin.objects.all())
    kinds = list(EventKind.objects.all())
    today = datetime.date.today()
    events = []
    series_per_bassin = SERIES_TOTAL // len(bassins)
    for bassin in bassins:
        for index in range(EVENTS_PER_BASSIN):
            day = today + datetime.timedelta(days=rng.randint(-150, 200))
            hour = rng.choice([9, 10, 13, 14, 18])
            event = Event(
                title_fr=f"Événement {bassin.slug} {index}",
                title_nl=f"Activiteit {bassin.slug} {index}",
                description_fr="Description de banc d'essai.\nDeuxième ligne.",
                kind=rng.choice(kinds),
                start_date=day,
                start_time=datetime.time(hour),
                end_date=day,
                end_time=datetime.time(hour + 2),
                venue_name=f"Lieu {index % 50}",
                status=EventStatus.PUBLISHED,
                published_at=datetime.datetime.now(datetime.UTC),
                is_demo=True,
                source="bench",
                source_key=f"{bassin.slug}-{index}",
            )
            if index < series_per_bassin:
                event.recurrence = recurrence.deserialize(
                    f"RRULE:FREQ=MONTHLY;COUNT=12;BYDAY={1 + index % 4}TU"
                )
            events.append((bassin, event))
    with transaction.atomic():
        Event.objects.bulk_create([e for _, e in events], batch_size=1000)
        through = Event.bassins.through
        through.objects.bulk_create(
            [through(event_id=e.pk, bassin_id=b.pk) for b, e in events], batch_size=2000
        )
        occurrences = [occ for _, event in events for occ in new_occurrences(event)]
        Occurrence.objects.bulk_create(occurrences, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return len(events), len(occurrences)


KINDS = ["portes-ouvertes", "rendez-vous-prevention", "concertation", "cab", "car", "formation"]
THEMES = ["acces-aux-soins", "alimentation", "assuetudes", "sante-mentale", "tabac", "alcool"]
BASSINS = ["nord", "nord-est", "centre-ouest", "sud", "sud-est"]
DUTCH = {
    "nord": "noord",
    "nord-est": "noordoost",
    "centre-ouest": "centrum-west",
    "sud": "zuid",
    "sud-est": "zuidoost",
}


def random_filter_urls(rng: random.Random, count: int) -> list[str]:
    """Distinct agenda URLs (list, month, bassin agenda; FR and NL) with random filters."""
    urls = set()
    today = datetime.date.today()
    while len(urls) < count:
        params = []
        for name, values in (("kind", KINDS), ("theme", THEMES)):
            params += [(name, v) for v in rng.sample(values, rng.choice([0, 0, 1, 2]))]
        if rng.random() < 0.2:
            params.append(("audience", rng.choice(["professionals", "residents"])))
        if rng.random() < 0.2:
            params.append(("q", f"Lieu {rng.randint(0, 49)}"))
        lang = rng.choice(["fr", "nl"])
        view = rng.choice(["list", "list", "bassin", "month"])
        if view == "month":
            month = today.replace(day=1) + datetime.timedelta(days=31 * rng.randint(0, 3))
            params.append(("month", f"{month:%Y-%m}"))
            path = f"/{lang}/agenda/{'mois' if lang == 'fr' else 'maand'}/"
        elif view == "bassin":
            bassin = rng.choice(BASSINS)
            slug = DUTCH.get(bassin, bassin) if lang == "nl" else bassin
            path = f"/{lang}/agenda/{slug}/"
        else:
            params += [("bassin", b) for b in rng.sample(BASSINS, rng.choice([0, 1, 2]))]
            start = today + datetime.timedelta(days=rng.randint(0, 120))
            params += [("start", f"{start}"), ("end", f"{start + datetime.timedelta(days=30)}")]
            if rng.random() < 0.3:
                params.append(("page", "2"))
            path = f"/{lang}/agenda/"
        urls.add(path + "?" + urllib.parse.urlencode(params))
    return sorted(urls, key=lambda _u: rng.random())


def random_api_urls(rng: random.Random, count: int) -> list[str]:
    urls = []
    today = datetime.date.today()
    for _ in range(count):
        start = today + datetime.timedelta(days=rng.randint(0, 150))
        params = [("start", f"{start}"), ("end", f"{start + datetime.timedelta(days=30)}")]
        params += [("bassin", b) for b in rng.sample(BASSINS, rng.choice([1, 1, 2]))]
        params += [("kind", k) for k in rng.sample(KINDS, rng.choice([0, 1]))]
        urls.append("/api/events?" + urllib.parse.urlencode(params))
    return urls


def deployed_server_args() -> list[str]:
    """The worker flags of the web service's gunicorn in docker-compose.yml (workers,
    threads, worker class): the bench serves the agenda as the deployment does."""
    compose = (ROOT / "docker-compose.yml").read_text()
    command = re.search(r"command: gunicorn maillage\.wsgi:application (.*)", compose)
    words = command.group(1).split()
    kept = []
    for flag, value in zip(words, words[1:], strict=False):
        if flag in ("--workers", "--threads", "--worker-class"):
            kept += [flag, value]
    return kept


# BENCH_GUNICORN_ARGS="--workers 2 --threads 4" measures another server layout.
SERVER_ARGS = os.environ.get("BENCH_GUNICORN_ARGS", "").split() or deployed_server_args()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, **env):
        self.port = free_port()
        self.env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
            **env,
        }

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "maillage.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                *SERVER_ARGS,
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = get(self.port, "/healthz")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def settle(self, timeout: float = 120) -> float:
        """Wait until the workers stop using CPU (each warms its agenda index and the
        coming weeks' rows when it starts: events.warmup); returns the seconds waited."""
        started = time.monotonic()
        master = self.process.pid

        def cpu_seconds() -> float:
            with open(f"/proc/{master}/task/{master}/children") as children:
                pids = children.read().split()
            total = 0
            for pid in pids:
                try:
                    with open(f"/proc/{pid}/stat") as stat:
                        fields = stat.read().rsplit(")", 1)[1].split()
                except FileNotFoundError:
                    continue
                total += int(fields[11]) + int(fields[12])  # utime + stime, in ticks
            return total / os.sysconf("SC_CLK_TCK")

        previous = cpu_seconds()
        while time.monotonic() - started < timeout:
            time.sleep(1)
            now = cpu_seconds()
            if now - previous < 0.05:
                break
            previous = now
        return time.monotonic() - started

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


_local = threading.local()


def get(port: int, path: str, retry: bool = True) -> tuple[int, int]:
    """GET over a kept-alive connection per thread (reopened if the server closed it)."""
    conn = getattr(_local, "conn", None)
    if conn is None or getattr(_local, "port", None) != port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        _local.conn, _local.port = conn, port
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        body = response.read()
    except (http.client.HTTPException, OSError):
        _local.conn = None
        if retry:
            return get(port, path, retry=False)
        raise
    return response.status, len(body)


def load(port: int, paths: list[str], requests: int, clients: int) -> dict:
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def worker():
        _local.conn = None
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            started = time.perf_counter()
            status, _size = get(port, paths[index % len(paths)])
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors.append(status)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / total,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "errors": len(errors),
        "statuses": collections.Counter(errors),
    }


print = functools.partial(print, flush=True)  # noqa: A001


def main() -> None:
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    from bassins.models import Bassin
    from events.models import EventKind

    if Bassin.objects.count() < 5 or not EventKind.objects.exists():
        with open(os.devnull, "w") as devnull:
            call_command("load_reference_data", verbosity=0, stdout=devnull)
    events, occurrences = generate()
    print(
        f"database: {connection.vendor}; generated {events} events "
        f"({SERIES_TOTAL} series), {occurrences} occurrences "
        f"in {time.perf_counter() - started:.1f}s"
    )

    feed = "/feeds/nord.ics?lang=fr"
    static_dir = ROOT / "staticfiles" / "bench"
    static_dir.mkdir(parents=True, exist_ok=True)
    cache.clear()  # no feed, no fragment: the first request renders every VEVENT
    # The feed servers do not warm the agenda (events.warmup) while their feeds are timed.
    with Server(FEED_CACHE_SECONDS="0", AGENDA_WARM_DAYS="0") as cold:
        conn = http.client.HTTPConnection("127.0.0.1", cold.port, timeout=120)
        first_started = time.perf_counter()
        conn.request("GET", feed)
        body = conn.getresponse().read()
        first_ms = (time.perf_counter() - first_started) * 1000
        (static_dir / "nord.ics").write_bytes(body)
        print(
            f"feed /feeds/nord.ics: {len(body) / 1024:.0f} KiB, "
            f"{body.count(b'BEGIN:VEVENT')} VEVENTs"
        )
        cold_stats = load(cold.port, [feed], 20, 1)
    # Same cache, FeedFastPathMiddleware off: every cached request goes through the whole
    # middleware chain and URL resolution (the figure before the fast path).
    with Server(FEED_FAST_PATH="false", AGENDA_WARM_DAYS="0") as chain:
        get(chain.port, feed)
        chain_stats = load(chain.port, [feed], 300, CLIENTS)
        chain_static = load(chain.port, ["/static/bench/nord.ics"], 300, CLIENTS)
    with Server() as server:
        warm_up = server.settle()
        get(server.port, feed)  # warm the cache
        cached_stats = load(server.port, [feed], 300, CLIENTS)
        static_stats = load(server.port, ["/static/bench/nord.ics"], 300, CLIENTS)
        pages = [
            "/fr/agenda/",
            "/fr/agenda/nord/",
            "/nl/agenda/zuid/?kind=concertation",
            "/fr/agenda/?bassin=centre-ouest&bassin=sud-est",
            "/fr/agenda/mois/",
            "/fr/agenda/?q=Lieu+7",
        ]
        for path in pages:
            get(server.port, path)
        page_stats = load(server.port, pages, 200, CLIENTS)
        # Every request a cache miss: random filter combinations as professionals build
        # them (bassins, kinds, themes, audience, text, period or month), each URL once.
        uncached = random_filter_urls(random.Random(7), 400)
        uncached_stats = load(server.port, uncached, 400, CLIENTS)
        api_stats = load(server.port, random_api_urls(random.Random(8), 200), 200, CLIENTS)
    ratio = cached_stats["rps"] / static_stats["rps"]
    print(f"gunicorn {' '.join(SERVER_ARGS)}")
    print(f"agenda warm-up at worker start (index, views, rows): settled in {warm_up:.0f}s")
    print(f"feed first render, no fragment kept: {first_ms:.0f} ms")
    print(
        f"feed cold (rendered from kept VEVENTs, FEED_CACHE_SECONDS=0): "
        f"p50 {cold_stats['p50']:.1f} ms, p95 {cold_stats['p95']:.1f} ms (goal <= 500 ms)"
    )
    print(f"feed cached : {cached_stats['rps']:8.1f} req/s  p50 {cached_stats['p50']:7.1f} ms")
    print(f"static file : {static_stats['rps']:8.1f} req/s  p50 {static_stats['p50']:7.1f} ms")
    print(f"cached/static = {ratio:.0%} (goal >= 50%)")
    print(
        f"without the fast path (FEED_FAST_PATH=false): cached {chain_stats['rps']:.1f} req/s, "
        f"static {chain_static['rps']:.1f} req/s, "
        f"cached/static = {chain_stats['rps'] / chain_static['rps']:.0%}"
    )
    print(
        f"agenda pages, {CLIENTS} clients: p50 {page_stats['p50']:.1f} ms, "
        f"p95 {page_stats['p95']:.1f} ms, {page_stats['rps']:.1f} req/s (goal p95 <= 100 ms)"
    )
    print(
        f"agenda pages uncached, {CLIENTS} clients: p50 {uncached_stats['p50']:.1f} ms, "
        f"p95 {uncached_stats['p95']:.1f} ms, {uncached_stats['rps']:.1f} req/s "
        "(random filter combinations; goal p95 <= 100 ms)"
    )
    print(
        f"/api/events 30 days, random bassins and kinds, {CLIENTS} clients: "
        f"p50 {api_stats['p50']:.1f} ms, p95 {api_stats['p95']:.1f} ms (goal p95 <= 100 ms)"
    )
    runs = (
        cold_stats,
        chain_stats,
        chain_static,
        cached_stats,
        static_stats,
        page_stats,
        uncached_stats,
        api_stats,
    )
    errors = sum(s["errors"] for s in runs)
    statuses = sum((s["statuses"] for s in runs), collections.Counter())
    answers = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
    elapsed = time.perf_counter() - started
    print(f"errors: {errors} ({answers or 'every answer 200'}); total {elapsed:.0f}s")


if __name__ == "__main__":
    main()
