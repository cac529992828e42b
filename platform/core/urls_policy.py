"""Which stored URLs may become a link: http, https, mailto and tel, nothing else.

A URL typed by someone outside the team (an organisation's website from its edit
link, an event's registration link, an imported row) is rendered through
``safe_url`` (the template filter of the same name in ``core_urls``): a
``javascript:``, ``data:`` or ``vbscript:`` value, however it is spelled (upper
case, tabs or newlines inside the scheme, leading spaces), gives an empty string.
"""

from __future__ import annotations

import re

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Browsers drop ASCII whitespace and control characters around and inside a scheme.
_IGNORED = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def safe_url(value) -> str:
    """``value`` when it is an http(s), mailto or tel URL, else ``""``."""
    text = str(value or "").strip()
    match = _SCHEME.match(_IGNORED.sub("", text))
    if match is None or match.group(1).lower() not in ALLOWED_SCHEMES:
        return ""
    return text
