"""Browser: the map of a search, its list, the keyboard, a phone, the printed local map.

Tiles come from a local stub server (MAP_TILE_URL points to it) and every request to
another host is aborted and recorded: the maps work without the network, and Leaflet
is served from our static files.
"""

from __future__ import annotations

import base64
import datetime
import http.server
import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from directory.models import Location, Organisation, Service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


class TileStub(http.server.BaseHTTPRequestHandler):
    served: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        TileStub.served.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(PNG)))
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args):
        pass


@pytest.fixture
def tile_stub(settings):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), TileStub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    TileStub.served = []
    settings.MAP_TILE_URL = f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png"
    yield TileStub
    server.shutdown()


@pytest.fixture
def offline(live_server, tile_stub):
    """Abort (and record) any request that leaves the machine."""
    outside = []

    def guard(page):
        def route(route):
            url = route.request.url
            if url.startswith(("http://127.0.0.1", "http://localhost", "data:", "blob:")):
                route.continue_()
            else:
                outside.append(url)
                route.abort()

        page.route("**/*", route)
        return page

    guard.outside = outside
    return guard


def places():
    call_command("load_reference_data", verbosity=0)
    created = []
    for slug, code, coordinates in (
        ("flagey", "1050", (Decimal("50.827500"), Decimal("4.372000"))),
        ("atomium", "1020", (Decimal("50.894941"), Decimal("4.341547"))),
        ("jette", "1090", None),
    ):
        org = Organisation.objects.create(slug=slug, name_fr=f"Asbl {slug}")
        location = Location.objects.create(
            organisation=org,
            address=f"Rue {slug} 1",
            postal_code=code,
            latitude=coordinates[0] if coordinates else None,
            longitude=coordinates[1] if coordinates else None,
        )
        created.append(
            Service.objects.create(
                organisation=org,
                location=location,
                slug=f"{slug}-accueil",
                name_fr=f"Accueil {slug}",
                area_whole_region=True,
                last_verified=datetime.date(2026, 1, 1),
            )
        )
    return created


def test_map_lists_every_marker_and_works_from_the_keyboard(browser_page, offline):
    places()
    page = offline(browser_page)
    page.goto("/fr/repertoire/carte/?near=1050")
    canvas = page.locator('[data-testid="map"]')
    expect(canvas).to_have_attribute("data-ready", "true")
    markers = int(canvas.get_attribute("data-markers"))
    assert markers == 3
    items = page.locator('[data-testid="map-list-item"]')
    expect(items).to_have_count(markers)
    # numbered by distance from 1050: Flagey (Ixelles) first
    expect(items.first).to_contain_text("Asbl flagey")
    expect(page.locator(".map-approx").first).to_be_visible()  # Jette: commune point
    # keyboard: Tab to the first "Voir sur la carte", Enter opens the marker's popup
    button = items.first.locator("button.map-show")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".leaflet-popup")).to_contain_text("Asbl flagey")
    focused = page.evaluate("document.activeElement.classList.contains('leaflet-marker-icon')")
    assert focused
    page.keyboard.press("Escape")
    assert TileStub.served  # the tiles came from the local stub
    assert offline.outside == []


def test_map_and_list_fit_a_phone(chromium, live_server, tile_stub):
    places()
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.goto("/fr/repertoire/carte/")
    canvas = page.locator('[data-testid="map"]')
    expect(canvas).to_have_attribute("data-ready", "true")
    box = canvas.bounding_box()
    assert box["width"] <= 375 and box["height"] >= 300
    first = page.locator('[data-testid="map-list-item"]').first.bounding_box()
    assert first["y"] >= box["y"] + box["height"] - 1  # the list goes under the map
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    context.close()


def test_printed_local_map_numbers_markers_like_the_list(browser_page, offline):
    services = places()
    page = offline(browser_page)
    for service in services[:2]:
        page.goto(f"/fr/repertoire/organisation/{service.organisation.slug}/")
        with page.expect_navigation():
            page.locator('[data-testid="add-to-list"]').first.click()
    page.goto("/fr/repertoire/ma-liste/?print=1")
    canvas = page.locator('[data-testid="print-map"]')
    expect(canvas).to_have_attribute("data-ready", "true")
    assert canvas.get_attribute("data-markers") == "2"
    expect(page.locator(".map-marker")).to_have_count(2)
    expect(page.locator('[data-testid="print-entry"] .list-number')).to_have_text(["1", "2"])
    page.emulate_media(media="print")
    assert page.pdf(format="A4")[:4] == b"%PDF"
    assert offline.outside == []
