"""Operations that change the directory: change requests (edit link, error
reports), their review, verification reminders, availability (one-click link and its
monthly e-mail), self-listing requests and their moderation, and the personal list."""

from __future__ import annotations

import copy
import datetime
import decimal
import difflib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify

from bassins.queries import bassins_or_suggested
from bassins.rights import helpdesk_addresses, regional_addresses
from core.mail import send_transactional
from core.proposals import ProposalFlow, Proposer
from core.signing import make_token

from .models import (
    MAX_WAIT_WEEKS,
    Availability,
    ChangeRequest,
    ListingRequest,
    Location,
    Maintainer,
    Organisation,
    Phone,
    Service,
)
from .queries import stale_organisations

EDIT_PURPOSE = "directory-edit"
AVAILABILITY_PURPOSE = "directory-availability"
ORGANISATION_FIELDS = ("name_fr", "name_nl", "description_fr", "description_nl", "website", "email")
SERVICE_FIELDS = (
    "description_fr",
    "description_nl",
    "access_notes_fr",
    "access_notes_nl",
    "saturation_note_fr",
    "saturation_note_nl",
    "temporary_notice_fr",
    "temporary_notice_nl",
    "email",
    "website",
    "phones",
)
# A location's place on the map and its accessibility, editable through the link too.
LOCATION_FIELDS = ("latitude", "longitude", "accessibility_fr", "accessibility_nl")
COORDINATE_FIELDS = ("latitude", "longitude")
MY_LIST_SESSION_KEY = "directory_my_list"
MY_LIST_MAX = 50


# --- Edit link and change sets ---------------------------------------------------------


def make_edit_token(organisation: Organisation) -> str:
    return make_token(EDIT_PURPOSE, {"org": str(organisation.public_id)})


def edit_url(organisation: Organisation, language: str = "fr") -> str:
    with translation.override(language):
        path = reverse("directory:edit_entry", args=[make_edit_token(organisation)])
    return settings.SITE_URL + path


def _service_value(service: Service, name: str) -> str:
    if name == "phones":
        return "\n".join(p.number for p in service.phones.all())
    return getattr(service, name) or ""


def current_values(organisation: Organisation) -> dict[str, str]:
    """The editable values of an organisation and its services, by field key."""
    values = {
        f"organisation.{name}": getattr(organisation, name) or "" for name in ORGANISATION_FIELDS
    }
    for service in organisation.services.prefetch_related("phones"):
        for name in SERVICE_FIELDS:
            values[f"service.{service.public_id}.{name}"] = _service_value(service, name)
    for location in organisation.locations.all():
        for name in LOCATION_FIELDS:
            values[f"location.{location.public_id}.{name}"] = _location_value(location, name)
    return values


def _location_value(location: Location, name: str) -> str:
    value = getattr(location, name)
    if name in COORDINATE_FIELDS:
        return "" if value is None else format(value.normalize(), "f")
    return value or ""


def _location_input(name: str, value: str):
    """A submitted location value as the model holds it ("" coordinates are none; "50,85"
    is read as 50.85)."""
    if name in COORDINATE_FIELDS:
        value = value.strip().replace(",", ".")
        return value or None
    return value


def _clean(value: str) -> str:
    return "\n".join(line.rstrip() for line in str(value).replace("\r\n", "\n").split("\n")).strip()


def changed_values(before: dict[str, str], submitted: dict[str, str]) -> dict[str, str]:
    """The submitted values (cleaned) that differ from ``before``; unknown keys dropped."""
    return {
        key: _clean(value)
        for key, value in submitted.items()
        if key in before and _clean(value) != _clean(before[key])
    }


class InvalidChange(ValueError):
    """A change set the admin form would refuse; ``errors`` maps field keys to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


def _model_errors(instance, values: dict[str, str], prefix: str) -> dict[str, list[str]]:
    """The admin form's validation (the model's ``full_clean``) of ``values`` set on a
    copy of ``instance``; only those fields are judged, old data elsewhere is not."""
    if not values:
        return {}
    candidate = copy.copy(instance)
    for name, value in values.items():
        setattr(candidate, name, value)
    others = [f.name for f in instance._meta.fields if f.name not in values]
    try:
        candidate.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return {prefix + name: messages for name, messages in error.message_dict.items()}
    return {}


def change_errors(organisation: Organisation, proposed: dict[str, str]) -> dict[str, list[str]]:
    """What the admin form would refuse in ``proposed`` (field key -> messages)."""
    services = {str(s.public_id): s for s in organisation.services.all()}
    organisation_values: dict[str, str] = {}
    service_values: dict[str, dict[str, str]] = {}
    errors: dict[str, list[str]] = {}
    for key, value in proposed.items():
        parts = key.split(".")
        if parts[0] == "organisation" and len(parts) == 2 and parts[1] in ORGANISATION_FIELDS:
            organisation_values[parts[1]] = value
        elif len(parts) == 3 and parts[1] in services and parts[2] == "phones":
            service = services[parts[1]]
            for number in (line.strip() for line in value.split("\n")):
                if number:
                    phone_errors = _model_errors(Phone(service=service), {"number": number}, "")
                    if phone_errors:
                        errors.setdefault(key, []).extend(phone_errors["number"])
        elif len(parts) == 3 and parts[1] in services and parts[2] in SERVICE_FIELDS:
            service_values.setdefault(parts[1], {})[parts[2]] = value
    errors.update(_model_errors(organisation, organisation_values, "organisation."))
    for public_id, values in service_values.items():
        errors.update(_model_errors(services[public_id], values, f"service.{public_id}."))
    locations = {str(loc.public_id): loc for loc in organisation.locations.all()}
    location_values: dict[str, dict] = {}
    for key, value in proposed.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "location" and parts[1] in locations:
            name = parts[2]
            if name in LOCATION_FIELDS:
                location_values.setdefault(parts[1], {})[name] = _location_input(name, value)
    for public_id, values in location_values.items():
        errors.update(_model_errors(locations[public_id], values, f"location.{public_id}."))
    return errors


def propose_changes(
    organisation: Organisation, submitted: dict[str, str], message: str = "", language: str = "fr"
) -> ChangeRequest | None:
    """Store what differs from the current entry as a pending change set.

    Returns None when nothing changed and no message was left. A second identical
    submission (double click, reload) returns the pending request already stored.
    Raises ``InvalidChange`` for values the admin form would refuse.
    """
    before = current_values(organisation)
    proposed = changed_values(before, submitted)
    errors = change_errors(organisation, proposed)
    if errors:
        raise InvalidChange(errors)
    message = message.strip()
    if not proposed and not message:
        return None
    previous = {key: before[key] for key in proposed}
    with transaction.atomic():
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        return _pending_or_new(
            organisation,
            ChangeRequest.Kind.PROPOSAL,
            {"proposed": proposed, "message": message},
            previous=previous,
            submitter_language=language,
        )


def report_error(
    organisation: Organisation, message: str, email: str = "", language: str = "fr"
) -> ChangeRequest:
    """An error report from anyone; it joins the same review queue."""
    message = message.strip()
    with transaction.atomic():
        return _pending_or_new(
            organisation,
            ChangeRequest.Kind.ERROR_REPORT,
            {"message": message},
            submitter_email=email,
            submitter_language=language,
        )


def _pending_or_new(organisation: Organisation, kind: str, same: dict, **extra) -> ChangeRequest:
    """The pending request of this kind that says the ``same`` (a double submit), or a new
    one with ``extra`` as well."""
    pending = ChangeRequest.objects.filter(
        organisation=organisation, kind=kind, status=ChangeRequest.Status.PENDING, **same
    ).first()
    return pending or ChangeRequest.objects.create(
        organisation=organisation, kind=kind, **same, **extra
    )


def word_diff(old: str, new: str) -> SafeString:
    """Inline diff of two texts, word by word: ``<del>`` removed, ``<ins>`` added."""
    a, b = (old or "").split(" "), (new or "").split(" ")
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(out).replace("\n", "<br>"))


def describe_key(key: str, services: dict[str, Service]) -> str:
    parts = key.split(".")
    if parts[0] == "organisation":
        return f"Organisation · {parts[1]}"
    service = services.get(parts[1])
    return f"{service.name_fr if service else parts[1]} · {parts[2]}"


def change_rows(change: ChangeRequest) -> list[dict]:
    """Rows for the review screen: field, value then, value now, proposed, diff, conflict."""
    current = current_values(change.organisation)
    services = {str(s.public_id): s for s in change.organisation.services.all()}
    rows = []
    for key, new in change.proposed.items():
        old = change.previous.get(key, "")
        rows.append(
            {
                "key": key,
                "label": describe_key(key, services),
                "old": old,
                "new": new,
                "diff": word_diff(old, new),
                "conflict": key in current and current[key] != old,
                "missing": key not in current,
            }
        )
    return rows


def _set_phones(service: Service, value: str) -> None:
    wanted = [line.strip() for line in value.split("\n") if line.strip()]
    existing = {p.number: p for p in service.phones.all()}
    for number, phone in existing.items():
        if number not in wanted:
            phone.delete()
    for order, number in enumerate(wanted):
        if number in existing:
            if existing[number].sort_order != order:
                existing[number].sort_order = order
                existing[number].save(update_fields=["sort_order"])
        else:
            Phone.objects.create(service=service, number=number[:30], sort_order=order)


@transaction.atomic
def approve_change_request(change: ChangeRequest, user, note: str = "") -> ChangeRequest:
    """Apply a pending change set and mark the entry verified today; keeps it as history.

    A field changed by someone else since the proposal is still applied (the team
    saw the conflict flagged on the review screen), and its overwritten value is
    kept in ``applied`` next to the new one. Values the admin form would refuse
    raise ``InvalidChange`` and nothing is applied.
    """
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if change.status != ChangeRequest.Status.PENDING:
        return change
    organisation = change.organisation
    errors = change_errors(organisation, change.proposed)
    if errors:
        raise InvalidChange(errors)
    services = {str(s.public_id): s for s in organisation.services.all()}
    locations = {str(loc.public_id): loc for loc in organisation.locations.all()}
    current = current_values(organisation)
    applied = {}
    dirty_services: set[str] = set()
    dirty_locations: set[str] = set()
    dirty_org = []
    for key, new in change.proposed.items():
        parts = key.split(".")
        if parts[0] == "organisation" and parts[1] in ORGANISATION_FIELDS:
            setattr(organisation, parts[1], new)
            dirty_org.append(parts[1])
        elif parts[0] == "service" and parts[1] in services and parts[2] in SERVICE_FIELDS:
            service = services[parts[1]]
            if parts[2] == "phones":
                _set_phones(service, new)
            else:
                setattr(service, parts[2], new)
            dirty_services.add(parts[1])
        elif parts[0] == "location" and parts[1] in locations and parts[2] in LOCATION_FIELDS:
            value = _location_input(parts[2], new)
            if parts[2] in COORDINATE_FIELDS and value is not None:
                value = decimal.Decimal(value).quantize(decimal.Decimal("0.000001"))
            setattr(locations[parts[1]], parts[2], value)
            dirty_locations.add(parts[1])
        else:
            continue
        applied[key] = {"before": current.get(key, ""), "after": new}
    for public_id in dirty_locations:
        locations[public_id].save()  # the map point follows the new coordinates
    today = timezone.localdate()
    organisation.last_verified = today
    organisation.save()
    for public_id, service in services.items():
        if public_id in dirty_services or change.kind == ChangeRequest.Kind.PROPOSAL:
            service.last_verified = today
            service.save()
    change.status = ChangeRequest.Status.APPROVED
    change.reviewed_by = user
    change.reviewed_at = timezone.now()
    change.review_note = note
    change.applied = applied
    change.save()
    return change


def reject_change_request(change: ChangeRequest, user, note: str = "") -> ChangeRequest:
    if change.status == ChangeRequest.Status.PENDING:
        change.status = ChangeRequest.Status.REJECTED
        change.reviewed_by = user
        change.reviewed_at = timezone.now()
        change.review_note = note
        change.save()
    return change


def confirm_still_correct(organisation: Organisation, language: str = "fr") -> ChangeRequest:
    """ "Nothing changed": a change set without changes; approving it refreshes the date."""
    existing = ChangeRequest.objects.filter(
        organisation=organisation,
        kind=ChangeRequest.Kind.PROPOSAL,
        status=ChangeRequest.Status.PENDING,
        proposed={},
    ).first()
    return existing or ChangeRequest.objects.create(
        organisation=organisation,
        kind=ChangeRequest.Kind.PROPOSAL,
        message="Aucune modification : la fiche est toujours correcte.",
        submitter_language=language,
    )


# --- Reminders ---------------------------------------------------------------------------


def send_verification_reminders(
    today: datetime.date | None = None, resend_after_days: int = 30
) -> int:
    """E-mail every maintainer of each entry to check, with a signed edit link, each in
    their language.

    An entry gets at most one round of reminders per ``resend_after_days``. Returns the
    number of messages queued.
    """
    now = timezone.now()
    sent = 0
    candidates = (
        stale_organisations(today)
        .filter(maintainers__isnull=False)
        .distinct()
        .prefetch_related("maintainers")
    )
    for organisation in candidates:
        if (
            organisation.reminder_sent_at
            and now - organisation.reminder_sent_at < datetime.timedelta(days=resend_after_days)
        ):
            continue
        for maintainer in organisation.maintainers.all():
            language = maintainer.language or "fr"
            sent += send_transactional(
                "directory/email/verification_reminder",
                {
                    "organisation": organisation,
                    "edit_url": edit_url(organisation, language),
                    "months": settings.DIRECTORY_VERIFY_AFTER_MONTHS,
                },
                to=[maintainer.email],
                language=language,
            )
        Organisation.objects.filter(pk=organisation.pk).update(reminder_sent_at=now)
    return sent


# --- Availability ---------------------------------------------------------------------------


def make_availability_token(organisation: Organisation) -> str:
    return make_token(AVAILABILITY_PURPOSE, {"org": str(organisation.public_id)})


def availability_url(organisation: Organisation, language: str = "fr") -> str:
    with translation.override(language):
        path = reverse("directory:availability", args=[make_availability_token(organisation)])
    return settings.SITE_URL + path


def set_availability(service: Service, value: str, wait_weeks: int | None = None) -> Service:
    """Record that ``service`` is ``value`` today (the date is refreshed even when the
    value is the same: "still accepting" is news too). Idempotent, so a double submit
    changes nothing more. Raises ``ValueError`` for an unknown value or a waiting list
    without a number of weeks in 1..MAX_WAIT_WEEKS."""
    if value not in Availability.values:
        raise ValueError(f"unknown availability {value!r}")
    if value == Availability.WAITING_LIST:
        if wait_weeks is None or not 1 <= wait_weeks <= MAX_WAIT_WEEKS:
            raise ValueError("a waiting list needs its length in weeks")
    else:
        wait_weeks = None
    service.availability = value
    service.availability_wait_weeks = wait_weeks
    service.availability_date = timezone.localdate()
    service.save(update_fields=["availability", "availability_wait_weeks", "availability_date"])
    return service


def send_availability_requests(resend_after_days: int = 25) -> int:
    """The monthly e-mail: every maintainer of each organisation gets one link to say,
    service by service, whether it takes new people, in their language. At most one round
    per ``resend_after_days`` (a re-run of the task sends nothing twice). Returns the
    number sent."""
    now = timezone.now()
    sent = 0
    candidates = (
        Organisation.objects.filter(maintainers__isnull=False, services__isnull=False)
        .distinct()
        .prefetch_related("services", "maintainers")
    )
    for organisation in candidates:
        if organisation.availability_request_sent_at and now - (
            organisation.availability_request_sent_at
        ) < datetime.timedelta(days=resend_after_days):
            continue
        for maintainer in organisation.maintainers.all():
            language = maintainer.language or "fr"
            sent += send_transactional(
                "directory/email/availability_request",
                {
                    "organisation": organisation,
                    "services": list(organisation.services.all()),
                    "availability_url": availability_url(organisation, language),
                },
                to=[maintainer.email],
                language=language,
                key=f"directory-availability:{organisation.public_id}:{now:%Y-%m}",
            )
        Organisation.objects.filter(pk=organisation.pk).update(availability_request_sent_at=now)
    return sent


# --- Self-listing: an organisation asks to be listed ------------------------------------

# The values a listing request stores as typed, besides its maintainers, bassins and
# themes: the public form (ListingRequestForm) asks for exactly these.
LISTING_FIELDS = (
    "name_fr",
    "name_nl",
    "description_fr",
    "description_nl",
    "website",
    "email",
    "phone",
    "address",
    "postal_code",
    "area_whole_region",
)


def _listing_duplicate(data: dict) -> ListingRequest | None:
    """The same request already sent and not yet decided (a double submit)."""
    return (
        ListingRequest.objects.filter(
            status__in=[ListingRequest.Status.UNCONFIRMED, ListingRequest.Status.PENDING],
            name_fr=data["name_fr"],
            maintainer_emails=list(data["maintainer_emails"]),
        )
        .order_by("pk")
        .first()
    )


def _store_listing(data: dict, language: str) -> ListingRequest:
    listing = ListingRequest(**{name: data.get(name) or "" for name in LISTING_FIELDS})
    listing.area_whole_region = bool(data.get("area_whole_region"))
    listing.maintainer_emails = list(data["maintainer_emails"])
    listing.language = language
    listing.save()
    if not listing.area_whole_region:
        listing.bassins.set(bassins_or_suggested(data.get("bassins") or [], listing.postal_code))
    listing.themes.set(data.get("themes") or [])
    return listing


def _queue_listing(listing: ListingRequest) -> bool:
    if listing.status != ListingRequest.Status.UNCONFIRMED:
        return False
    listing.status = ListingRequest.Status.PENDING
    listing.confirmed_at = timezone.now()
    listing.save(update_fields=["status", "confirmed_at"])
    return True


def listing_moderators(listing: ListingRequest) -> list[str]:
    """The helpdesks of its bassins; a region-wide request: the regional team."""
    if listing.area_whole_region:
        return regional_addresses()
    return helpdesk_addresses(listing.bassins.all()) or regional_addresses()


def _listing_requester(listing: ListingRequest) -> Proposer:
    """The first maintainer address is the requester's own (the form asks it first)."""
    first = listing.maintainer_emails[0] if listing.maintainer_emails else ""
    return Proposer(first, listing.language)


# A listing request sent through the public form (core.proposals holds the steps).
LISTINGS = ProposalFlow(
    name="listing",
    purpose="directory-listing",
    model=ListingRequest,
    uid_field="public_id",
    confirm_url="directory:listing_confirm",
    confirm_mail="directory/email/listing_confirm",
    team_mail="directory/email/listing_team",
    moderation_path="/admin/directory/listings/",
    proposer=_listing_requester,
    team_addresses=listing_moderators,
    find_duplicate=_listing_duplicate,
    store=_store_listing,
    enter_moderation_queue=_queue_listing,
)


def request_listing(data: dict, language: str = "fr") -> tuple[ListingRequest, bool]:
    """Store a listing request (``data``: ``LISTING_FIELDS``, ``maintainer_emails`` with the
    requester's address first, ``bassins`` and ``themes``, as the public form cleans
    them) and e-mail the confirmation link to the requester.

    Without bassins the area comes from the postal code. Returns (request, created); a
    double submit returns the first request (and mails the link again)."""
    return LISTINGS.submit(data, language)


def _free_slug(model, name: str) -> str:
    base = slugify(name)[:100] or "organisation"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def approve_listing(listing: ListingRequest, user=None) -> Organisation:
    """Create the organisation, its first service (same name, the requested area,
    themes and contact details), its location when an address was given, and its
    maintainers; verified today. A second approval returns the same organisation."""
    listing = ListingRequest.objects.select_for_update().get(pk=listing.pk)
    if listing.status == ListingRequest.Status.APPROVED and listing.organisation:
        return listing.organisation
    if listing.status != ListingRequest.Status.PENDING:
        raise ValueError("only confirmed, pending listing requests can be approved")
    organisation = Organisation(
        slug=_free_slug(Organisation, listing.name_fr),
        name_fr=listing.name_fr,
        name_nl=listing.name_nl,
        description_fr=listing.description_fr,
        description_nl=listing.description_nl,
        website=listing.website,
        email=listing.email,
        last_verified=timezone.localdate(),
        source_fr="Inscription en ligne",
    )
    organisation.full_clean()
    organisation.save()
    location = None
    if listing.address and listing.postal_code:
        location = Location.objects.create(
            organisation=organisation, address=listing.address, postal_code=listing.postal_code
        )
    service = Service(
        organisation=organisation,
        slug=_free_slug(Service, listing.name_fr),
        name_fr=listing.name_fr,
        name_nl=listing.name_nl,
        description_fr=listing.description_fr,
        description_nl=listing.description_nl,
        website=listing.website,
        email=listing.email,
        location=location,
        area_whole_region=listing.area_whole_region,
        last_verified=timezone.localdate(),
    )
    hidden = [f.name for f in Service._meta.concrete_fields if not f.editable]
    service.full_clean(exclude=[*hidden, "location"])
    service.save()
    service.area_bassins.set(listing.bassins.all())
    service.themes.set(listing.themes.all())
    if listing.phone:
        Phone.objects.create(service=service, number=listing.phone)
    for email in listing.maintainer_emails:
        Maintainer.objects.get_or_create(
            organisation=organisation,
            email=email.strip().lower(),
            defaults={"language": listing.language},
        )
    listing.status = ListingRequest.Status.APPROVED
    listing.organisation = organisation
    listing.reviewed_at = timezone.now()
    listing.reviewed_by = user
    listing.save()
    _mail_requester(listing, "directory/email/listing_approved")
    return organisation


@transaction.atomic
def reject_listing(listing: ListingRequest, reason: str, user=None) -> ListingRequest:
    if not reason.strip():
        raise ValueError("a reason is required")
    listing = ListingRequest.objects.select_for_update().get(pk=listing.pk)
    if listing.status not in (ListingRequest.Status.PENDING, ListingRequest.Status.UNCONFIRMED):
        return listing
    listing.status = ListingRequest.Status.REJECTED
    listing.review_note = reason.strip()
    listing.reviewed_at = timezone.now()
    listing.reviewed_by = user
    listing.save()
    _mail_requester(listing, "directory/email/listing_rejected")
    return listing


def _mail_requester(listing: ListingRequest, template: str) -> int:
    """The decision, once per request and decision."""
    context = {"listing": listing}
    if listing.organisation_id:
        context["edit_url"] = edit_url(listing.organisation, listing.language)
        with translation.override(listing.language):
            context["page_url"] = settings.SITE_URL + reverse(
                "directory:organisation", args=[listing.organisation.slug]
            )
    return send_transactional(
        template,
        context,
        listing.maintainer_emails[:1],
        listing.language,
        key=f"{template}:{listing.public_id}",
    )


# --- My list (kept in the session, no account) ---------------------------------------------


def my_list_ids(session) -> list[str]:
    return list(session.get(MY_LIST_SESSION_KEY, []))


def add_to_my_list(session, service: Service) -> bool:
    ids = my_list_ids(session)
    key = str(service.public_id)
    if key in ids or len(ids) >= MY_LIST_MAX:
        return False
    session[MY_LIST_SESSION_KEY] = ids + [key]
    return True


def remove_from_my_list(session, public_id: str) -> bool:
    ids = my_list_ids(session)
    if public_id not in ids:
        return False
    session[MY_LIST_SESSION_KEY] = [i for i in ids if i != public_id]
    return True
