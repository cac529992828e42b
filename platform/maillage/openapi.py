"""``/api/openapi.json``: the OpenAPI 3.1 description of the JSON APIs.

The document is hand-maintained next to this module (``openapi.json``): the APIs are a
few plain Django views, and describing them by hand is smaller than adopting a framework
to generate it. tests/platform/test_openapi.py keeps it honest with schemathesis.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.http import HttpResponse
from django.views.decorators.http import require_GET

DOCUMENT = (Path(__file__).resolve().parent / "openapi.json").read_bytes()
json.loads(DOCUMENT)  # a broken document fails at start-up, not at the first request


@require_GET
def openapi_document(request):
    response = HttpResponse(DOCUMENT, content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response
