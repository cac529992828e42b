"""Public views: regional archive, subscription, confirmation, preferences, unsubscribe."""

from __future__ import annotations

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from bassins.models import Bassin
from core.abuse import rate_limited, too_many_requests
from core.i18n import current_content_language
from core.links import link_error_response
from core.signing import ExpiredLink, InvalidLink, read_token

from . import links, subscriptions
from .forms import PreferencesForm, PreferencesLinkForm, SubscribeForm
from .models import ARCHIVE_PAGE_SIZE, Subscriber, SubscriberStatus
from .queries import published_issues


def archive(request):
    """Regional archive: every bassin's published issues in the current language."""
    language = current_content_language()
    bassins = list(Bassin.objects.all())
    selected = request.GET.get("bassin") or ""
    bassin = next((b for b in bassins if b.slug == selected), None)
    if selected and bassin is None:
        return render(
            request,
            "newsletters/archive.html",
            {"bassins": bassins, "unknown_bassin": selected, "page_obj": None},
            status=400,
        )
    issues = published_issues(language, bassin=bassin)
    paginator = Paginator(issues, ARCHIVE_PAGE_SIZE)
    page_number = request.GET.get("page") or 1
    try:
        page_obj = paginator.page(page_number)
    except InvalidPage:
        raise Http404("no such archive page") from None
    return render(
        request,
        "newsletters/archive.html",
        {"bassins": bassins, "bassin": bassin, "page_obj": page_obj, "issues": page_obj},
    )


def _subscribe(request, bassin: Bassin | None):
    language = current_content_language()
    initial_bassins = [bassin] if bassin else list(Bassin.objects.all())
    if request.method == "POST":
        if rate_limited(request, "newsletter-subscribe"):
            return too_many_requests(request)
        form = SubscribeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            subscriptions.request_subscription(
                data["email"], data["language"], data["bassins"], data["digest_bassins"]
            )
            return redirect("newsletters:subscribe_done")
        status = 400
    else:
        form = SubscribeForm(initial={"language": language, "bassins": initial_bassins})
        status = 200
    return render(
        request, "newsletters/subscribe.html", {"form": form, "bassin": bassin}, status=status
    )


@require_http_methods(["GET", "POST"])
def subscribe(request):
    return _subscribe(request, None)


@require_http_methods(["GET", "POST"])
def subscribe_bassin(request, bassin: str):
    return _subscribe(request, get_object_or_404(Bassin, slug=bassin))


def subscribe_done(request):
    return render(request, "newsletters/subscribe_done.html")


def _subscriber_from(request, purpose: str, token: str, max_age=None):
    """(subscriber, None) or (None, 400/410 response)."""
    if len(token) > 500:
        return None, link_error_response(request, expired=False)
    try:
        payload = read_token(purpose, token, max_age=max_age)
    except ExpiredLink:
        return None, link_error_response(request, expired=True)
    except InvalidLink:
        return None, link_error_response(request, expired=False)
    subscriber_id = payload.get("s") if isinstance(payload, dict) else None
    subscriber = None
    if isinstance(subscriber_id, int):
        subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not links.token_matches(payload, subscriber):
        # also the links made before tokens carried ids only (their payload has no "a")
        return None, link_error_response(request, expired=False)
    return subscriber, None


@require_http_methods(["GET"])
def confirm(request, token: str):
    subscriber, error = _subscriber_from(request, links.CONFIRM, token, links.confirm_max_age())
    if error:
        return error
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        # An old confirmation link must not undo a later unsubscription.
        return link_error_response(request, expired=True)
    subscriptions.confirm(subscriber)
    return redirect(
        reverse(
            "newsletters:preferences",
            kwargs={"token": links.subscriber_token(links.PREFERENCES, subscriber)},
        )
        + "?confirmed=1"
    )


@require_http_methods(["GET", "POST"])
def preferences(request, token: str):
    subscriber, error = _subscriber_from(request, links.PREFERENCES, token)
    if error:
        return error
    status = 200
    saved = False
    if request.method == "POST":
        if request.POST.get("action") == "unsubscribe":
            subscriptions.unsubscribe(subscriber)
            return render(request, "newsletters/unsubscribed.html", {"preferences_token": token})
        form = PreferencesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if not data["bassins"] and not data["digest_bassins"]:
                subscriptions.unsubscribe(subscriber)
                return render(
                    request, "newsletters/unsubscribed.html", {"preferences_token": token}
                )
            subscriptions.update_preferences(
                subscriber, data["language"], data["bassins"], data["digest_bassins"]
            )
            saved = True
            if data["language"] != translation.get_language():
                with translation.override(data["language"]):
                    return redirect(
                        reverse("newsletters:preferences", kwargs={"token": token}) + "?saved=1"
                    )
            form = PreferencesForm(initial=_initial(subscriber))
        else:
            status = 400
    else:
        form = PreferencesForm(initial=_initial(subscriber))
    return render(
        request,
        "newsletters/preferences.html",
        {
            "form": form,
            "subscriber": subscriber,
            "saved": saved or request.GET.get("saved") == "1",
            "confirmed": request.GET.get("confirmed") == "1",
            "pending": subscriber.status == SubscriberStatus.PENDING,
        },
        status=status,
    )


def _initial(subscriber: Subscriber) -> dict:
    return {
        "language": subscriber.language,
        "bassins": list(subscriber.bassins.all()),
        "digest_bassins": list(subscriber.digest_bassins.all()),
    }


@require_http_methods(["GET", "POST"])
def preferences_link(request):
    """Forgot the link? Type the address, receive the preferences link (if known)."""
    if request.method == "POST":
        if rate_limited(request, "newsletter-preferences-link"):
            return too_many_requests(request)
        form = PreferencesLinkForm(request.POST)
        if form.is_valid():
            subscriptions.send_preferences_link(form.cleaned_data["email"])
            return render(request, "newsletters/subscribe_done.html", {"link_only": True})
        status = 400
    else:
        form = PreferencesLinkForm()
        status = 200
    return render(request, "newsletters/preferences_link.html", {"form": form}, status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def one_click_unsubscribe(request, token: str):
    """RFC 8058: a POST with ``List-Unsubscribe=One-Click`` (or anything) unsubscribes,
    with no session and no CSRF token. A GET (a person, or a link scanner) only shows a
    button, so prefetching the link never unsubscribes anyone."""
    subscriber, error = _subscriber_from(
        request, links.UNSUBSCRIBE, token, links.unsubscribe_max_age()
    )
    if error:
        return error
    translation.activate(subscriber.language)
    request.LANGUAGE_CODE = subscriber.language
    if request.method == "POST":
        subscriptions.unsubscribe(subscriber)
        return render(
            request,
            "newsletters/unsubscribed.html",
            {
                "preferences_token": links.subscriber_token(links.PREFERENCES, subscriber),
            },
        )
    return render(request, "newsletters/unsubscribe_confirm.html", {"subscriber": subscriber})
