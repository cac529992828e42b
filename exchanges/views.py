"""Pages of the exchange space (/fr/echanges/, /nl/echanges/). Thin: parse, call a
query or a service, render. Every page works without JavaScript."""

from __future__ import annotations

import functools

from django.contrib import messages as flash
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.abuse import rate_limited, too_many_requests
from core.http import redirect_back
from core.links import link_error_response, resolve_signed_link
from core.signing import make_token

from . import forms, outbox, queries, services
from .models import Attachment, ExchangeSettings, Member, RequestStatus

CONFIRM_PURPOSE = "exchanges-confirm"


def _viewer(request) -> queries.Viewer:
    if not hasattr(request, "_exchange_viewer"):
        request._exchange_viewer = queries.viewer_for(request.user)
    return request._exchange_viewer


def _login_redirect(request):
    return redirect(f"{reverse('exchanges:login')}?next={request.path}")


def _needs_access(request, viewer):
    """Redirect anonymous visitors to log in; tell pending members to wait."""
    if not request.user.is_authenticated:
        return _login_redirect(request)
    if viewer.is_member or viewer.is_moderator or viewer.is_referent:
        return None
    return render(request, "exchanges/no_access.html", {"viewer": viewer}, status=403)


def with_access(view):
    """For the views of the space itself: anonymous visitors log in, people without access
    see why (``_needs_access``); the view receives the viewer after the request."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        viewer = _viewer(request)
        return _needs_access(request, viewer) or view(request, viewer, *args, **kwargs)

    return wrapper


def _files(request) -> list[tuple[str, bytes]]:
    return [(f.name, f.read()) for f in request.FILES.getlist("files")]


# --- home, accounts ---------------------------------------------------------------------


def home(request):
    viewer = _viewer(request)
    context = {"viewer": viewer}
    if viewer.is_member or viewer.is_moderator:
        context["channels"] = queries.channels_with_unread(viewer)
        context["needs_charter"] = viewer.member and services.needs_charter(viewer.member)
    return render(request, "exchanges/home.html", context)


def signup(request):
    if request.user.is_authenticated:
        return redirect("exchanges:home")
    form = forms.SignupForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST":
        if rate_limited(request, "exchanges-signup"):
            return too_many_requests(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                member = services.register_member(
                    email=data["email"],
                    password=data["password"],
                    display_name=data["display_name"],
                    organisation=data["organisation"],
                    role=data["role"],
                    bassin_ids=[b.pk for b in data["bassins"]],
                    language=data["language"],
                )
            except services.ExchangeError as error:
                form.add_error("email", str(error))
            else:
                token = make_token(CONFIRM_PURPOSE, {"member": member.pk})
                outbox.send_to(
                    member.email,
                    member.language,
                    "exchanges/email/confirm",
                    {"member": member, "token": token},
                )
                return render(request, "exchanges/signup_done.html", {"email": member.email})
    return render(
        request, "exchanges/signup.html", {"form": form}, status=400 if form.errors else 200
    )


def confirm(request, token):
    payload, error = resolve_signed_link(request, CONFIRM_PURPOSE, token)
    if error:
        return error
    member = Member.objects.filter(pk=payload.get("member")).first()
    if member is None:
        raise Http404
    if request.method == "POST":
        services.confirm_email(member)
        return render(request, "exchanges/confirmed.html", {"member": member})
    return render(request, "exchanges/confirm.html", {"member": member})


class LoginView(auth_views.LoginView):
    template_name = "exchanges/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("exchanges:home")


@require_POST
def logout_view(request):
    logout(request)
    return redirect("exchanges:home")


password_reset = auth_views.PasswordResetView.as_view(
    template_name="exchanges/password_reset.html",
    email_template_name="exchanges/email/password_reset.txt",
    subject_template_name="exchanges/email/password_reset_subject.txt",
    success_url=reverse_lazy("exchanges:password_reset_done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="exchanges/password_reset_done.html"
)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A forged, used or expired reset link gets the site's page for bad links (400),
    like every other signed link."""

    template_name = "exchanges/password_reset_confirm.html"
    success_url = reverse_lazy("exchanges:password_reset_complete")

    def dispatch(self, *args, **kwargs):
        response = super().dispatch(*args, **kwargs)
        if not self.validlink:
            return link_error_response(self.request, expired=False)
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="exchanges/password_reset_complete.html"
)


def charter(request):
    viewer = _viewer(request)
    settings_ = ExchangeSettings.load(request_or_site=request)
    if request.method == "POST":
        if not viewer.member:
            return _login_redirect(request)
        services.accept_charter(viewer.member)
        flash.success(request, _("Merci, vous avez accepté la charte."))
        return redirect("exchanges:home")
    text = settings_.charter_nl if request.LANGUAGE_CODE == "nl" else settings_.charter_fr
    return render(
        request,
        "exchanges/charter.html",
        {"viewer": viewer, "charter": text or settings_.charter_fr, "settings": settings_},
    )


def preferences(request):
    viewer = _viewer(request)
    if not viewer.member:
        return _login_redirect(request)
    member = viewer.member
    form = forms.PreferencesForm(
        request.POST or None,
        initial={
            "digest": member.digest,
            "notify_mentions": member.notify_mentions,
            "language": member.language,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.update_preferences(member, **form.cleaned_data)
        flash.success(request, _("Préférences enregistrées."))
        return redirect("exchanges:preferences")
    return render(request, "exchanges/preferences.html", {"form": form, "member": member})


def delete_account(request):
    viewer = _viewer(request)
    if not viewer.member:
        return _login_redirect(request)
    form = forms.DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_account(viewer.member)
        logout(request)
        return render(request, "exchanges/account_deleted.html")
    return render(request, "exchanges/delete_account.html", {"form": form})


# --- channels and messages ----------------------------------------------------------------


def _channel_or_404(viewer, slug):
    channel = queries.channel_for(viewer, slug)
    if channel is None:
        raise Http404
    return channel


def _post_problem(form, error):
    if isinstance(error, services.ConfidentialityProblem):
        return error.result
    form.add_error(None, str(error))
    return None


@with_access
def channel_detail(request, viewer, slug):
    channel = _channel_or_404(viewer, slug)
    form = forms.MessageForm(request.POST or None, request.FILES or None)
    check = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                message = services.post_message(
                    viewer.member,
                    channel,
                    form.cleaned_data["body"],
                    files=_files(request),
                    confirmed_warnings=form.cleaned_data["confirm_warnings"],
                )
            except services.ExchangeError as error:
                check = _post_problem(form, error)
                status = 403 if isinstance(error, services.NotAllowed) else 400
                if isinstance(error, services.RateLimited):
                    status = 429
            else:
                if message.status == "pending":
                    flash.info(
                        request, _("Merci : vos premiers messages sont relus avant publication.")
                    )
                return HttpResponseRedirect(f"{channel_url(channel)}#message-{message.pk}")
        else:
            status = 400
    threads = queries.channel_threads(viewer, channel)
    if viewer.member:
        services.mark_read(viewer.member, channel)
    return render(
        request,
        "exchanges/channel.html",
        {
            "viewer": viewer,
            "channel": channel,
            "threads": threads,
            "form": form,
            "check": check,
            "can_moderate": viewer.can_moderate(channel),
            "needs_charter": viewer.member and services.needs_charter(viewer.member),
        },
        status=status,
    )


def channel_url(channel) -> str:
    return reverse("exchanges:channel", kwargs={"slug": channel.slug})


@require_POST
def follow(request, slug):
    viewer = _viewer(request)
    if not viewer.is_member:
        return _needs_access(request, viewer) or redirect("exchanges:home")
    channel = _channel_or_404(viewer, slug)
    if request.POST.get("follow") == "0":
        services.unfollow(viewer.member, channel)
    else:
        services.follow(viewer.member, channel)
    return redirect_back(request, channel_url(channel))


def _message_or_404(viewer, pk):
    message = queries.message_for(viewer, pk)
    if message is None:
        raise Http404
    return message


@with_access
def thread(request, viewer, pk):
    message = _message_or_404(viewer, pk)
    if message.parent_id:
        return redirect("exchanges:thread", pk=message.parent_id)
    form = forms.MessageForm(request.POST or None, request.FILES or None)
    check, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                reply = services.post_message(
                    viewer.member,
                    message.channel,
                    form.cleaned_data["body"],
                    parent=message,
                    files=_files(request),
                    confirmed_warnings=form.cleaned_data["confirm_warnings"],
                )
            except services.ExchangeError as error:
                check = _post_problem(form, error)
                status = 403 if isinstance(error, services.NotAllowed) else 400
            else:
                return HttpResponseRedirect(
                    reverse("exchanges:thread", kwargs={"pk": message.pk}) + f"#message-{reply.pk}"
                )
        else:
            status = 400
    replies = queries.thread_replies(viewer, message)
    return render(
        request,
        "exchanges/thread.html",
        {
            "viewer": viewer,
            "message": message,
            "channel": message.channel,
            "replies": replies,
            "form": form,
            "check": check,
            "can_moderate": viewer.can_moderate(message.channel),
        },
        status=status,
    )


@with_access
def report(request, viewer, pk):
    message = _message_or_404(viewer, pk)
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_message(viewer.member, message, form.cleaned_data["reason"])
        except services.ExchangeError as error:
            form.add_error(None, str(error))
        else:
            flash.success(request, _("Merci : les modérateurs ont reçu votre signalement."))
            return redirect(channel_url(message.channel))
    return render(
        request,
        "exchanges/report.html",
        {"message": message, "form": form},
        status=400 if form.errors else 200,
    )


@with_access
def moderate(request, viewer, pk):
    message = _message_or_404(viewer, pk)
    if not viewer.can_moderate(message.channel):
        raise Http404
    form = forms.ModerationForm(request.POST or None, initial={"body": message.body})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.moderate_message(viewer, message, data["action"], data["reason"], data["body"])
        except services.ExchangeError as error:
            form.add_error(None, str(error))
        else:
            flash.success(request, _("Décision enregistrée."))
            return redirect_back(request, channel_url(message.channel))
    return render(
        request,
        "exchanges/moderate.html",
        {
            "message": message,
            "form": form,
            "reports": message.reports.filter(resolved_at__isnull=True),
        },
        status=400 if form.errors else 200,
    )


@with_access
def attachment(request, viewer, pk):
    item = get_object_or_404(Attachment, pk=pk)
    _message_or_404(viewer, item.message_id)
    response = FileResponse(
        item.file.open("rb"),
        content_type=item.content_type,
        as_attachment=not item.is_image,
        filename=item.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@with_access
def search(request, viewer):
    text = request.GET.get("q", "")[:200]
    results = queries.search_messages(viewer, text)
    return render(request, "exchanges/search.html", {"q": text, "results": results})


# --- référent -----------------------------------------------------------------------------


@with_access
def referent_list(request, viewer):
    return render(
        request,
        "exchanges/referent_list.html",
        {"viewer": viewer, "requests": queries.referent_requests(viewer)},
    )


@with_access
def referent_new(request, viewer):
    initial = {}
    if viewer.member:
        first = viewer.member.bassins.first()
        initial["bassin"] = first.pk if first else None
    form = forms.ReferentRequestForm(request.POST or None, initial=initial)
    check, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.open_referent_request(
                    viewer.member,
                    data["bassin"],
                    data["subject"],
                    data["body"],
                    confirmed_warnings=data["confirm_warnings"],
                )
            except services.ExchangeError as error:
                check = _post_problem(form, error)
                status = 403 if isinstance(error, services.NotAllowed) else 400
            else:
                flash.success(request, _("Votre demande a été transmise au référent du bassin."))
                return redirect("exchanges:referent_detail", pk=created.pk)
        else:
            status = 400
    return render(
        request, "exchanges/referent_new.html", {"form": form, "check": check}, status=status
    )


@with_access
def referent_detail(request, viewer, pk):
    item = queries.referent_request_for(viewer, pk)
    if item is None:
        raise Http404
    as_referent = viewer.can_answer(item.bassin_id)
    suggestions = (
        queries.suggested_services(item.bassin, request.GET.get("services", ""))
        if as_referent
        else []
    )
    form = forms.ReferentReplyForm(request.POST or None, services=suggestions)
    check, status = None, 200
    if request.method == "POST":
        action = request.POST.get("action", "reply")
        try:
            if action == "close":
                services.close_referent_request(viewer, item)
                return redirect("exchanges:referent_detail", pk=item.pk)
            if action == "forward":
                forward = forms.ForwardForm(request.POST)
                if not forward.is_valid():
                    raise services.ExchangeError(_("Choisissez un bassin."))
                services.forward_referent_request(
                    viewer, item, forward.cleaned_data["bassin"], forward.cleaned_data["note"]
                )
                flash.success(request, _("Demande transmise."))
                return redirect("exchanges:referent_list")
            if form.is_valid():
                services.add_referent_message(
                    viewer,
                    item,
                    form.cleaned_data["body"],
                    service_ids=form.cleaned_data["services"],
                    confirmed_warnings=form.cleaned_data["confirm_warnings"],
                )
                return redirect("exchanges:referent_detail", pk=item.pk)
            status = 400
        except services.ExchangeError as error:
            check = _post_problem(form, error)
            status = 403 if isinstance(error, services.NotAllowed) else 400
    return render(
        request,
        "exchanges/referent_detail.html",
        {
            "viewer": viewer,
            "item": item,
            "thread": item.messages.prefetch_related("services__organisation"),
            "as_referent": as_referent,
            "suggestions": suggestions,
            "form": form,
            "forward_form": forms.ForwardForm(),
            "check": check,
            "closed": item.status == RequestStatus.CLOSED,
            "services_query": request.GET.get("services", ""),
        },
        status=status,
    )
