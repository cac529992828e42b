"""``{{ stored_url|safe_url }}``: see ``core.urls_policy``."""

from django import template

from core import urls_policy

register = template.Library()


@register.filter
def safe_url(value) -> str:
    return urls_policy.safe_url(value)
