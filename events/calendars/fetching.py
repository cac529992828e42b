"""Fetch a partner's calendar over HTTP, bounded in size, time and redirects.

``requests`` does the HTTP; this module adds what a poller of other people's servers
needs: conditional GET (ETag / If-Modified-Since), a size cap read chunk by chunk (a
lying or absent Content-Length cannot get past it), a total deadline on top of the
connect/read timeouts (a server trickling one byte at a time), redirects followed by
hand so that each hop is counted and its address checked, and no private or loopback
addresses unless ``CALENDARS_ALLOW_PRIVATE_ADDRESSES`` (the worker sits next to Redis
and PostgreSQL).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from django.conf import settings

from .models import ErrorCode


class FetchError(Exception):
    """Why a calendar could not be fetched: a code (translated label) and a detail."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class FetchResult:
    """200 with a body, or 304 (not modified) with none."""

    status: int
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    url: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def normalise_url(url: str) -> str:
    url = url.strip()
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    try:
        parts = urlsplit(url)
        port = parts.port  # out of range (99999) or a broken IPv6 bracket: ValueError
    except ValueError as error:
        raise FetchError(ErrorCode.BAD_URL, f"{url} ({error})") from error
    if parts.scheme not in ("http", "https") or not parts.hostname or port == 0:
        raise FetchError(ErrorCode.BAD_URL, url)
    return url


def _joined(url: str, location: str) -> str:
    """Where a redirect points; a Location that is not an address is a bad address."""
    try:
        return urljoin(url, location)
    except ValueError as error:
        raise FetchError(ErrorCode.BAD_URL, f"{location} ({error})") from error


def _check_address(url: str) -> None:
    if settings.CALENDARS_ALLOW_PRIVATE_ADDRESSES:
        return
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(ErrorCode.UNREACHABLE, f"{parts.hostname}: {error}") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise FetchError(ErrorCode.FORBIDDEN_ADDRESS, f"{parts.hostname} ({address})")


def _headers(etag: str, last_modified: str) -> dict:
    headers = {
        "User-Agent": f"Maillage calendar import (+{settings.SITE_URL})",
        "Accept": "text/calendar, text/plain;q=0.5, */*;q=0.1",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _read_body(response: requests.Response, deadline: float) -> bytes:
    limit = settings.CALENDARS_MAX_BYTES
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(ErrorCode.TOO_LARGE, f"{int(declared)} > {limit} bytes")
    chunks, size = [], 0
    while True:
        # read1: whatever has arrived (iter_content would wait for a full chunk, and a
        # server sending a byte now and then would escape the deadline).
        chunk = response.raw.read1(64 * 1024, decode_content=True)
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise FetchError(ErrorCode.TOO_LARGE, f"> {limit} bytes")
        if time.monotonic() > deadline:
            raise FetchError(ErrorCode.TIMEOUT, f"> {settings.CALENDARS_FETCH_SECONDS} s in total")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch_calendar(url: str, *, etag: str = "", last_modified: str = "") -> FetchResult:
    """GET ``url`` (http, https or webcal) within the CALENDARS_* bounds; FetchError if not."""
    url = normalise_url(url)
    deadline = time.monotonic() + settings.CALENDARS_FETCH_SECONDS
    timeout = (settings.CALENDARS_CONNECT_TIMEOUT, settings.CALENDARS_READ_TIMEOUT)
    with requests.Session() as session:
        for _hop in range(settings.CALENDARS_MAX_REDIRECTS + 1):
            _check_address(url)
            try:
                response = session.get(
                    url,
                    headers=_headers(etag, last_modified),
                    timeout=timeout,
                    stream=True,
                    allow_redirects=False,
                )
            except requests.Timeout as error:
                raise FetchError(ErrorCode.TIMEOUT, str(error)) from error
            except requests.RequestException as error:
                raise FetchError(ErrorCode.UNREACHABLE, str(error)) from error
            except ValueError as error:
                # requests reads a redirect's Location even when not following it: one
                # that is no address (a broken IPv6 bracket) is the server's bad address.
                raise FetchError(ErrorCode.BAD_URL, str(error)) from error
            if not response.is_redirect:
                break
            response.close()
            url = normalise_url(_joined(url, response.headers["Location"]))
        else:
            raise FetchError(ErrorCode.REDIRECTS, f"> {settings.CALENDARS_MAX_REDIRECTS} redirects")
        with response:
            if response.status_code == 304:
                return FetchResult(304, etag=etag, last_modified=last_modified, url=url)
            if response.status_code != 200:
                raise FetchError(ErrorCode.HTTP, f"HTTP {response.status_code}")
            try:
                body = _read_body(response, deadline)
            except urllib3.exceptions.ReadTimeoutError as error:
                raise FetchError(ErrorCode.TIMEOUT, str(error)) from error
            except (urllib3.exceptions.HTTPError, OSError) as error:
                raise FetchError(ErrorCode.UNREACHABLE, str(error)) from error
            return FetchResult(
                200,
                body=body,
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
                url=url,
            )
