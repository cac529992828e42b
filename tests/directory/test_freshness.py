"""Keeping it fresh: reminders with a signed edit link, moderated diff, history, error reports."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from directory import services
from directory.models import ChangeRequest, Maintainer, Organisation, Service

pytestmark = pytest.mark.django_db


@pytest.fixture
def medimmigrant(directory_data):
    org = Organisation.objects.get(slug="medimmigrant")
    Maintainer.objects.create(organisation=org, email="fiche@medimmigrant.example")
    org.last_verified = datetime.date(2024, 1, 1)
    org.save()
    return org


def edit_path(org):
    return services.edit_url(org, "fr").split("://", 1)[1].split("/", 1)[1]


def test_stale_entries_get_one_reminder_with_a_signed_link(medimmigrant, settings):
    settings.DIRECTORY_VERIFY_AFTER_MONTHS = 12
    sent = services.send_verification_reminders(today=datetime.date(2026, 11, 26))
    assert sent == 1
    message = mail.outbox[0]
    assert message.to == ["fiche@medimmigrant.example"]
    assert "/fr/repertoire/modifier/" in message.body
    assert message.alternatives and "<a href=" in message.alternatives[0][0]
    # Not again within 30 days; fresh entries are not reminded.
    assert services.send_verification_reminders(today=datetime.date(2026, 11, 26)) == 0


def test_flag_follows_the_setting(medimmigrant, settings):
    settings.DIRECTORY_VERIFY_AFTER_MONTHS = 12
    assert medimmigrant.needs_verification(datetime.date(2026, 1, 2))
    settings.DIRECTORY_VERIFY_AFTER_MONTHS = 36
    assert not medimmigrant.needs_verification(datetime.date(2026, 1, 2))


def test_celery_beat_task_is_registered(directory_data):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="directory: verification reminders")
    assert task.task == "directory.tasks.send_verification_reminders"
    from directory.tasks import send_verification_reminders

    assert send_verification_reminders.apply().get() == 0


def test_reloading_reference_data_keeps_an_edited_reminder_schedule(directory_data):
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    from directory.reference import load

    task = PeriodicTask.objects.get(name="directory: verification reminders")
    task.crontab = CrontabSchedule.objects.create(
        minute="30", hour="7", day_of_week="2", timezone="Europe/Brussels"
    )
    task.save()
    load(log=lambda message: None)
    task.refresh_from_db()
    assert (task.crontab.hour, task.crontab.minute, task.crontab.day_of_week) == ("7", "30", "2")


def test_edit_link_produces_a_moderated_diff_then_approval_applies_it(
    client, admin_client, medimmigrant
):
    service = Service.objects.get(slug="medimmigrant-permanence")
    url = "/" + edit_path(medimmigrant)
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: field.initial or "" for name, field in form.fields.items()}
    key = f"service__{service.public_id}__saturation_note_fr".replace("-", "_")
    data[key] = "Délai de rappel d'environ 2 jours"
    data["organisation__description_fr"] = medimmigrant.description_fr + " Nouvelle adresse."
    data["message"] = "Mise à jour annuelle"
    response = client.post(url, data)
    assert response.status_code == 200
    # Double submit stores nothing more.
    client.post(url, data)
    change = ChangeRequest.objects.get(organisation=medimmigrant)
    assert change.status == "pending"
    assert set(change.proposed) == {
        f"service.{service.public_id}.saturation_note_fr",
        "organisation.description_fr",
    }
    # Not public before approval.
    public = client.get("/fr/repertoire/organisation/medimmigrant/").content.decode()
    assert "Délai de rappel" not in public
    # The team sees a diff.
    review = admin_client.get(f"/admin/directory/changes/{change.pk}/")
    assert review.status_code == 200
    html = review.content.decode()
    assert "<ins>Nouvelle adresse.</ins>" in html or "<ins>" in html
    assert "Délai de rappel" in html
    admin_client.post(f"/admin/directory/changes/{change.pk}/", {"action": "approve"})
    change.refresh_from_db()
    assert change.status == "approved"
    assert change.applied[f"service.{service.public_id}.saturation_note_fr"]["after"].startswith(
        "Délai"
    )
    service.refresh_from_db()
    medimmigrant.refresh_from_db()
    assert service.saturation_note_fr == "Délai de rappel d'environ 2 jours"
    assert medimmigrant.last_verified == datetime.date.today()
    public = client.get("/fr/repertoire/organisation/medimmigrant/").content.decode()
    assert "Délai de rappel" in public
    # History is kept.
    history = admin_client.get("/admin/directory/changes/?status=approved").content.decode()
    assert "Medimmigrant" in history


def test_phone_changes_go_through_the_same_review(client, admin_client, medimmigrant):
    service = Service.objects.get(slug="medimmigrant-permanence")
    key = f"service.{service.public_id}.phones"
    change = services.propose_changes(medimmigrant, {key: "0800 14 960\n02 274 14 34"})
    services.approve_change_request(change, None)
    assert list(service.phones.values_list("number", flat=True)) == ["0800 14 960", "02 274 14 34"]


@pytest.mark.parametrize(
    "token",
    ["forged", "eyJvcmciOiIxIn0:1u2v3w:abcdefghijklmnopqrstuvwxyz0", "a" * 300],
)
def test_forged_edit_link_is_refused(client, medimmigrant, token):
    response = client.get(f"/fr/repertoire/modifier/{token}/")
    assert response.status_code == 400
    response = client.post(f"/fr/repertoire/modifier/{token}/", {"message": "x"})
    assert response.status_code == 400
    assert not ChangeRequest.objects.exists()


def test_token_for_another_purpose_is_refused(client, medimmigrant):
    from core.signing import make_token

    token = make_token("newsletter-unsubscribe", {"org": str(medimmigrant.public_id)})
    assert client.get(f"/fr/repertoire/modifier/{token}/").status_code == 400


def test_expired_edit_link_is_410(client, medimmigrant, settings):
    token = services.make_edit_token(medimmigrant)
    settings.SIGNED_LINK_MAX_AGE_DAYS = -1
    assert client.get(f"/fr/repertoire/modifier/{token}/").status_code == 410


def test_confirm_unchanged_refreshes_the_date_after_approval(client, medimmigrant):
    url = "/" + edit_path(medimmigrant)
    client.post(url, {"confirm_unchanged": "1"})
    change = ChangeRequest.objects.get(organisation=medimmigrant)
    assert change.proposed == {}
    services.approve_change_request(change, None)
    medimmigrant.refresh_from_db()
    assert medimmigrant.last_verified == datetime.date.today()


def test_error_report_joins_the_queue(client, directory_data):
    url = "/nl/sociale-kaart/organisatie/brap/melden/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"message": "Het nummer is veranderd.", "email": ""})
    assert response.status_code == 302
    client.post(url, {"message": "Het nummer is veranderd.", "email": ""})
    change = ChangeRequest.objects.get()
    assert change.kind == "error_report" and change.submitter_language == "nl"


@pytest.mark.parametrize(
    "data",
    [
        {"message": "spam", "website_url": "http://bot.example"},
        {"message": ""},
        {"message": "x" * 5000},
        {"message": "ok", "email": "not-an-email"},
    ],
)
def test_bad_error_reports_are_refused_and_nothing_saved(client, directory_data, data):
    response = client.post("/fr/repertoire/organisation/brap/signaler/", data)
    assert response.status_code == 400
    assert not ChangeRequest.objects.exists()


def test_error_reports_are_rate_limited(client, directory_data, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = "2/h"
    url = "/fr/repertoire/organisation/brap/signaler/"
    codes = [client.post(url, {"message": f"erreur {i}"}).status_code for i in range(4)]
    assert codes[:2] == [302, 302]
    assert codes[-1] == 429


def test_bassin_team_sees_only_its_bassin(client, directory_data, django_user_model):
    from bassins.permissions import ensure_team_groups

    ensure_team_groups()
    user = django_user_model.objects.create_user("nord", password="x")
    user.groups.add(Group.objects.get(name="Équipe bassin Nord"))
    nord = Organisation.objects.get(slug="amis-d-accompagner")  # RAQ Koekelberg
    sud = Organisation.objects.get(slug="service-social-juif")  # RAQ Saint-Gilles
    services.report_error(nord, "erreur nord")
    other = services.report_error(sud, "erreur sud")
    client.force_login(user)
    listing = client.get("/admin/directory/changes/").content.decode()
    assert "CAP Les Amis d&#x27;Accompagner" in listing or "Amis d" in listing
    assert "Service social juif" not in listing
    assert client.get(f"/admin/directory/changes/{other.pk}/", follow=True).status_code == 404


def test_reminder_in_the_maintainers_language(medimmigrant, settings):
    medimmigrant.maintainers.update(language="nl")
    services.send_verification_reminders(today=datetime.date(2026, 11, 26))
    assert "/nl/sociale-kaart/wijzigen/" in mail.outbox[0].body


def test_every_maintainer_gets_the_reminder_in_their_own_language(medimmigrant):
    Maintainer.objects.create(
        organisation=medimmigrant, email="Tweede@Medimmigrant.example", language="nl"
    )
    assert services.send_verification_reminders(today=datetime.date(2026, 11, 26)) == 2
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "/fr/repertoire/modifier/" in bodies["fiche@medimmigrant.example"]
    assert "/nl/sociale-kaart/wijzigen/" in bodies["tweede@medimmigrant.example"]
    # One round per entry within 30 days, whatever the number of maintainers.
    assert services.send_verification_reminders(today=datetime.date(2026, 11, 26)) == 0


def test_an_entry_without_maintainer_gets_no_reminder(directory_data):
    Organisation.objects.filter(slug="medimmigrant").update(last_verified=datetime.date(2020, 1, 1))
    assert not Organisation.objects.filter(maintainers__isnull=False).exists()
    assert services.send_verification_reminders(today=datetime.date(2026, 11, 26)) == 0


def test_team_edits_entries_hours_and_phones_in_wagtail(admin_client, directory_data):
    service = Service.objects.get(slug="brap-permanence")
    edit = admin_client.get(f"/admin/snippets/directory/service/edit/{service.pk}/")
    assert edit.status_code == 200
    page = edit.content.decode()
    assert "02 201 76 43" in page and "schedule-TOTAL_FORMS" in page
    assert admin_client.get("/admin/snippets/directory/location/add/").status_code == 200
    assert admin_client.get("/admin/snippets/directory/organisation/").status_code == 200


def test_location_suggests_and_confirms_the_bassin(directory_data):
    from directory.models import Location

    org = Organisation.objects.get(slug="brap")
    jette = Location.objects.create(organisation=org, address="Rue X 1", postal_code="1090")
    assert jette.suggested_bassin.slug == "nord" and jette.bassin.slug == "nord"
    shared = Location.objects.create(organisation=org, address="Rue Y 2", postal_code="1040")
    assert shared.suggested_bassin.slug == "sud-est" and shared.bassin is None
