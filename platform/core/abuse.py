"""Spam protection for public forms: a honeypot field and a per-IP rate limit.

The rate limit is django-ratelimit's counter (in the configured cache, so shared
between web processes in production); we only choose the key and the response.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

HONEYPOT_FIELD = "website_url"


class HoneypotFormMixin(forms.Form):
    """Adds a field people never see; bots fill it and the form is refused."""

    website_url = forms.CharField(
        required=False,
        label=_("Laissez ce champ vide"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website_url(self):
        value = self.cleaned_data.get(HONEYPOT_FIELD, "")
        if value:
            raise forms.ValidationError(_("Formulaire refusé."), code="honeypot")
        return value


def rate_limited(request, scope: str, rate: str | None = None) -> bool:
    """Count this POST against ``scope`` for the client IP; True when over the limit."""
    return is_ratelimited(
        request,
        group=f"maillage:{scope}",
        key="ip",
        rate=rate or settings.PUBLIC_FORM_RATE_LIMIT,
        method="POST",
        increment=True,
    )


def too_many_requests(request):
    """429 page in the current language."""
    return render(request, "core/too_many_requests.html", status=429)
