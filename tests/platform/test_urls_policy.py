"""core.urls_policy: only http, https, mailto and tel URLs become links."""

import pytest
from django.template import Context, Template

from core.urls_policy import safe_url


@pytest.mark.parametrize(
    "value",
    [
        "https://example.org/a?b=c",
        "http://example.org",
        "HTTPS://EXAMPLE.ORG",
        "mailto:info@example.org",
        "tel:+3222178805",
    ],
)
def test_web_mail_and_phone_urls_are_kept(value):
    assert safe_url(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://example.org",
        "example.org",
        "//evil.example",
        "",
        None,
    ],
)
def test_every_other_scheme_or_no_scheme_gives_no_link(value):
    assert safe_url(value) == ""


def test_the_template_filter_applies_the_same_rule():
    template = Template('{% load core_urls %}<a href="{{ url|safe_url }}">')
    assert template.render(Context({"url": "javascript:alert(1)"})) == '<a href="">'
    assert template.render(Context({"url": "https://a.example"})) == '<a href="https://a.example">'
