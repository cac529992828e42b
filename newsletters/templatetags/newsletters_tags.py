"""Filters for the Info Prévention Santé templates (web and e-mail)."""

from django import template

from newsletters.rendering import plain_text

register = template.Library()


@register.filter
def plain(value) -> str:
    """Rich text as plain text (the text part of e-mails)."""
    return plain_text(value)
