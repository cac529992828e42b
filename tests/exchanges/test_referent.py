"""A member asks the référent of a bassin for help on a blocked situation; the
référent answers with directory records, forwards to another bassin, closes."""

import pytest
from django.core import mail

from directory.models import Organisation, Service
from exchanges import queries, services
from exchanges.models import ReferentRequest, RequestStatus

from .conftest import login


@pytest.fixture
def directory_services(bassins):
    org = Organisation.objects.create(slug="maison-accueil", name_fr="Maison d'accueil")
    saturated = Service.objects.create(
        organisation=org,
        slug="hebergement",
        name_fr="Hébergement d'urgence",
        saturation_note_fr="Complet jusqu'en janvier",
    )
    saturated.area_bassins.add(bassins["sud"])
    regional = Service.objects.create(
        organisation=org, slug="ecoute", name_fr="Écoute téléphonique", area_whole_region=True
    )
    elsewhere = Service.objects.create(organisation=org, slug="nord-only", name_fr="Nord seul")
    elsewhere.area_bassins.add(bassins["nord"])
    return {"saturated": saturated, "regional": regional, "elsewhere": elsewhere}


def open_request(people, bassins):
    return services.open_referent_request(
        people["member_a"],
        bassins["sud"],
        "Mère et deux enfants sans hébergement",
        "Toutes les maisons d'accueil contactées sont complètes. Quelles pistes ?",
    )


def test_a_request_that_identifies_the_person_is_refused(people, bassins):
    with pytest.raises(services.ConfidentialityProblem):
        services.open_referent_request(
            people["member_a"], bassins["sud"], "Situation", "NN 85.07.30-033.28, sans logement"
        )
    assert not ReferentRequest.objects.exists()


def test_the_referent_answers_with_directory_records_and_the_member_is_told(
    people, bassins, directory_services, client
):
    request = open_request(people, bassins)
    assert any("helpdesk-sud@example.org" in m.to for m in mail.outbox)
    login(client, people["referent"])
    page = client.get(f"/fr/echanges/referent/{request.pk}/").content.decode()
    # every relevant service, saturated ones included, with their availability
    assert "Hébergement d&#x27;urgence" in page and "Complet jusqu&#x27;en janvier" in page
    assert "Écoute téléphonique" in page and "Nord seul" not in page
    mail.outbox.clear()
    client.post(
        f"/fr/echanges/referent/{request.pk}/",
        {
            "action": "reply",
            "body": "Voici deux pistes.",
            "services": [directory_services["saturated"].pk, directory_services["regional"].pk],
        },
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.ANSWERED
    answer = request.messages.get(from_referent=True)
    assert set(answer.services.all()) == {
        directory_services["saturated"],
        directory_services["regional"],
    }
    assert [m.to for m in mail.outbox] == [[people["member_a"].email]]
    login(client, people["member_a"])
    page = client.get(f"/fr/echanges/referent/{request.pk}/").content.decode()
    assert "Voici deux pistes." in page and "Écoute téléphonique" in page


def test_the_suggestion_list_shows_saturated_services_with_their_note(bassins, directory_services):
    suggested = queries.suggested_services(bassins["sud"])
    assert directory_services["saturated"] in suggested
    assert directory_services["elsewhere"] not in suggested


def test_a_referent_forwards_to_another_bassin(people, bassins):
    request = open_request(people, bassins)
    referent = queries.viewer_for(people["referent"])
    services.forward_referent_request(referent, request, bassins["nord"], "Relève du Nord")
    request.refresh_from_db()
    assert request.bassin == bassins["nord"] and request.status == RequestStatus.OPEN
    assert request not in queries.referent_requests(referent)
    assert request in queries.referent_requests(queries.viewer_for(people["referent_b"]))


def test_only_the_member_and_the_bassin_referent_see_a_request(people, bassins, client):
    request = open_request(people, bassins)
    for who in ("member_a2", "member_b", "moderator", "staff"):
        login(client, people[who])
        response = client.get(f"/fr/echanges/referent/{request.pk}/")
        assert response.status_code in (403, 404), who


def test_closing_a_request_stops_the_thread(people, bassins):
    request = open_request(people, bassins)
    member = queries.viewer_for(people["member_a"].user)
    services.close_referent_request(member, request)
    with pytest.raises(services.ExchangeError):
        services.add_referent_message(member, request, "Encore une question")


def test_the_referent_queue_in_the_admin_lists_open_requests(people, bassins, client):
    open_request(people, bassins)
    login(client, people["referent"])
    page = client.get("/admin/echanges/referent/").content.decode()
    assert "Mère et deux enfants sans hébergement" in page
