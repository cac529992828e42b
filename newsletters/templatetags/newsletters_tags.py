"""Filters for the Info Prévention Santé templates (web and e-mail)."""

from django import template

register = template.Library()


@register.filter
def plain(value) -> str:
    """Rich text as plain text (the text part of e-mails)."""
    from ..rendering import plain_text

    return plain_text(value)
