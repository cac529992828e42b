"""Public proposals: someone without an account proposes something (an event for the
agenda, an organisation for the directory), confirms it through a signed link e-mailed
to them, and only then is the team of its area told, to moderate it.

The steps are written once here. An app describes its proposals with a
``ProposalFlow`` (its model, link, e-mail templates, who proposed, who moderates, and
how it finds, stores and queues one) and calls:

- ``ProposalFormMixin`` on its public form and ``proposal_form_page`` in its view (the
  per-IP rate limit), rendered with the ``components/proposal_form.html`` include;
- ``flow.submit`` in its service: stored once, the signed confirmation link mailed;
- ``proposal_confirmation_page`` in the view of that link: ``flow.confirm`` puts the
  proposal in the moderation queue and tells the team once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, NamedTuple, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation

from .abuse import HoneypotFormMixin, rate_limited, too_many_requests
from .i18n import CONTENT_LANGUAGES, current_content_language
from .links import resolve_signed_link
from .mail import send_transactional
from .signing import make_token
from .text import NoControlCharactersFormMixin

P = TypeVar("P", bound=models.Model)

# The team reads its notifications in the language the moderation admin is written in.
TEAM_LANGUAGE = "fr"


class Proposer(NamedTuple):
    """Who proposed: the address the confirmation link goes to, and their language."""

    email: str
    language: str


class ProposalFormMixin(NoControlCharactersFormMixin, HoneypotFormMixin):
    """Every public proposal form: no control characters, and the honeypot bots fill.

    ``proposal_data()`` is what the app's ``submit`` service receives (the cleaned
    data, unless the form reshapes it)."""

    def proposal_data(self) -> dict[str, Any]:
        return self.cleaned_data


@dataclass(frozen=True)
class ProposalFlow(Generic[P]):
    """One app's proposals.

    ``name`` keys the proposal's pk in the signed link and names it in the e-mail and
    page contexts ("event", "listing"); ``uid_field`` is the public id the link carries
    as well, so a guessed pk is not enough. ``confirm_url`` is the URL name of the
    link's page (one ``token`` argument); ``confirm_mail`` and ``team_mail`` are
    ``core.mail`` templates; ``moderation_path`` is the team's queue in the admin.

    The app's callbacks: ``proposer`` (who gets the link), ``team_addresses`` (who
    moderates: the helpdesk rule of ``bassins.rights``), ``find_duplicate`` (the same
    proposal already sent, from the submitted data), ``store`` (save a new unconfirmed
    proposal from the data, in the proposer's language) and ``enter_moderation_queue``
    (an unconfirmed proposal becomes pending, saved; False when it was not unconfirmed).
    """

    name: str
    purpose: str
    model: type[P]
    uid_field: str
    confirm_url: str
    confirm_mail: str
    team_mail: str
    moderation_path: str
    proposer: Callable[[P], Proposer]
    team_addresses: Callable[[P], list[str]]
    find_duplicate: Callable[[Mapping[str, Any]], P | None]
    store: Callable[[Mapping[str, Any], str], P]
    enter_moderation_queue: Callable[[P], bool]

    @transaction.atomic
    def submit(self, data: Mapping[str, Any], language: str) -> tuple[P, bool]:
        """Store a proposal and mail the confirmation link to its proposer. Returns
        (proposal, created); a double submit returns the first proposal and mails its
        link again."""
        existing = self.find_duplicate(data)
        if existing is not None:
            self.send_confirmation(existing)
            return existing, False
        proposal = self.store(data, language if language in CONTENT_LANGUAGES else "fr")
        self.send_confirmation(proposal)
        return proposal, True

    def token(self, proposal: P) -> str:
        uid = str(getattr(proposal, self.uid_field))
        return make_token(self.purpose, {self.name: proposal.pk, "uid": uid})

    def send_confirmation(self, proposal: P) -> int:
        proposer = self.proposer(proposal)
        with translation.override(proposer.language):
            link = settings.SITE_URL + reverse(
                self.confirm_url, kwargs={"token": self.token(proposal)}
            )
        return send_transactional(
            self.confirm_mail,
            {self.name: proposal, "link": link},
            [proposer.email],
            proposer.language,
        )

    @transaction.atomic
    def confirm(self, payload: Mapping[str, Any]) -> P | None:
        """The proposer confirmed: the proposal enters the moderation queue and the team
        is told. Idempotent (a second confirmation changes nothing); None when the
        proposal is gone."""
        proposal = (
            self.model._default_manager.select_for_update()
            .filter(pk=payload.get(self.name), **{self.uid_field: payload.get("uid")})
            .first()
        )
        if proposal is None:
            return None
        if self.enter_moderation_queue(proposal):
            self.notify_team(proposal)
        return proposal

    def notify_team(self, proposal: P) -> int:
        """Once per proposal: the outbox key is the template's name and the proposal's
        public id (``events.proposal_team:<uid>``)."""
        key = f"{self.team_mail.replace('/email/', '.')}:{getattr(proposal, self.uid_field)}"
        return send_transactional(
            self.team_mail,
            {self.name: proposal, "admin_url": settings.SITE_URL + self.moderation_path},
            self.team_addresses(proposal),
            TEAM_LANGUAGE,
            key=key,
            cap=False,
        )


def proposal_form_page(
    request: HttpRequest,
    form_class: type[ProposalFormMixin],
    template: str,
    *,
    rate_scope: str,
    submit: Callable[[Mapping[str, Any], str], object],
    done_url: str,
    initial: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """The public form's page. A POST over the per-IP rate limit of ``rate_scope`` is a
    429; an invalid one shows the errors (400); a valid one goes to ``submit`` with the
    page's language, then to ``done_url``."""
    if request.method == "POST":
        if rate_limited(request, rate_scope):
            return too_many_requests(request)
        form = form_class(request.POST)
        if form.is_valid():
            submit(form.proposal_data(), current_content_language())
            return redirect(done_url)
        return render(request, template, {"form": form}, status=400)
    return render(request, template, {"form": form_class(initial=initial)})


def proposal_confirmation_page(
    request: HttpRequest, flow: ProposalFlow, token: str, template: str
) -> HttpResponse:
    """The page of the e-mailed link: a GET shows a button, only its POST confirms (mail
    scanners that open links must not confirm for the person). A forged link is a 400,
    an expired one a 410, a proposal that is gone a 404. ``template`` gets ``step``
    ("confirm", then "confirmed" with the proposal under ``flow.name``)."""
    payload, error = resolve_signed_link(request, flow.purpose, token)
    if error:
        return error
    if request.method != "POST":
        return render(request, template, {"step": "confirm"})
    proposal = flow.confirm(payload)
    if proposal is None:
        raise Http404
    return render(request, template, {"step": "confirmed", flow.name: proposal})
