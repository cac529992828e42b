"""Who may do what, for every kind of person the exchange space knows."""

import pytest

from exchanges import services
from exchanges.models import Channel

from .conftest import login

CHANNEL_A = "/fr/echanges/canal/sud-sante-mentale/"
CHANNEL_B = "/fr/echanges/canal/nord-general/"

# who -> (read A, post A, read B, moderate A, admin moderation queue, referent queue)
# Channel pages answer with a status; the admin screens either open (True) or Wagtail
# sends the person away (login, or the dashboard with "permission denied").
MATRIX = {
    "anonymous": (302, False, 302, False, False, False),
    "pending": (403, False, 403, False, False, False),
    "member_a": (200, True, 404, False, False, False),
    "member_b": (404, False, 200, False, False, False),
    "moderator": (200, False, 404, True, True, False),
    "referent": (404, False, 404, False, False, True),
    "referent_b": (404, False, 404, False, False, True),
    "staff": (403, False, 403, False, False, False),
    "team_a": (403, False, 403, False, False, False),
    "regional": (403, False, 403, False, False, False),
}


def status(client, url):
    return client.get(url).status_code


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_permissions_matrix(who, people, channels, client):
    read_a, post_a, read_b, moderate_a, admin_queue, referent_queue = MATRIX[who]
    message = services.post_message(people["member_a2"], channels["sud"], "Message témoin")
    if who != "anonymous":
        login(client, people[who])
    assert status(client, CHANNEL_A) == read_a
    assert status(client, CHANNEL_B) == read_b
    response = client.post(CHANNEL_A, {"body": f"Bonjour de {who}"})
    posted = channels["sud"].messages.filter(body=f"Bonjour de {who}").exists()
    assert posted == post_a, response.status_code
    moderation = client.get(f"/fr/echanges/message/{message.pk}/moderer/")
    assert (moderation.status_code == 200) == moderate_a
    assert (status(client, "/admin/echanges/moderation/") == 200) == admin_queue
    assert (status(client, "/admin/echanges/referent/") == 200) == referent_queue


# who -> requests to which bassins they see in the référent queue (the member: their own)
REFERENT_QUEUE = {
    "anonymous": set(),
    "member_a": {"sud", "nord", "forwarded to sud"},
    "member_b": set(),
    "moderator": set(),
    "referent": {"sud", "forwarded to sud"},
    "referent_b": {"nord"},
    "staff": set(),
    "team_a": set(),
    "regional": set(),
}


@pytest.mark.parametrize("who", sorted(REFERENT_QUEUE))
def test_the_referent_role_is_the_bassin_helpdesk_team(who, people, bassins, client):
    """The référent of a bassin is whoever is in that bassin's helpdesk team
    (``BassinTeam.is_helpdesk``): they see that bassin's requests and those forwarded
    to it, nobody else's; being staff of the bassin or moderating it is not enough."""
    member = people["member_a"]
    subjects = {
        "sud": services.open_referent_request(member, bassins["sud"], "sud", "Quelles pistes ?"),
        "nord": services.open_referent_request(member, bassins["nord"], "nord", "Et au nord ?"),
        "forwarded to sud": services.open_referent_request(
            member, bassins["nord"], "forwarded to sud", "Plutôt au sud"
        ),
    }
    services.forward_referent_request(
        services.queries.viewer_for(people["referent_b"]),
        subjects["forwarded to sud"],
        bassins["sud"],
        "Relève du Sud",
    )
    if who != "anonymous":
        login(client, people[who])
    admin = client.get("/admin/echanges/referent/?status=all")
    page = client.get("/fr/echanges/referent/")
    shown = admin.content.decode() if admin.status_code == 200 else ""
    if page.status_code == 200 and who.startswith("member"):
        shown = page.content.decode()
    seen = {subject for subject in subjects if f">{subject}<" in shown}
    assert seen == REFERENT_QUEUE[who]
    for subject, request in subjects.items():
        detail = client.get(f"/fr/echanges/referent/{request.pk}/").status_code
        assert (detail == 200) == (subject in REFERENT_QUEUE[who]), (subject, detail)


def test_a_bassin_group_not_marked_helpdesk_holds_no_referent_role(people, bassins):
    """The bassin's main team (moderators, staff) is not its helpdesk unless marked."""
    from bassins.models import BassinTeam

    team = BassinTeam.objects.get(group__user=people["staff"])
    viewer = services.queries.viewer_for(people["staff"])
    assert not viewer.is_referent
    team.is_helpdesk = True
    team.save()
    viewer = services.queries.viewer_for(people["staff"])
    assert viewer.is_referent and viewer.can_answer(bassins["sud"].pk)
    assert not viewer.can_answer(bassins["nord"].pk)


# who -> (lists A's channel, lists B's channel, creates in A, creates in B, creates a
# regional channel, edits A's channel, edits B's channel)
CHANNEL_ADMIN = {
    "anonymous": (False, False, False, False, False, False, False),
    "member_a": (False, False, False, False, False, False, False),
    "moderator": (False, False, False, False, False, False, False),
    "referent": (False, False, False, False, False, False, False),
    "staff": (False, False, False, False, False, False, False),
    "team_a": (True, False, True, False, False, True, False),
    "regional": (True, True, True, True, True, True, True),
}


def channel_form(slug, bassin=None, theme=None):
    return {
        "name_fr": f"Canal {slug}",
        "name_nl": f"Kanaal {slug}",
        "slug": slug,
        "description_fr": "",
        "description_nl": "",
        "bassin": bassin.pk if bassin else "",
        "theme": theme.pk if theme else "",
    }


@pytest.mark.parametrize("who", sorted(CHANNEL_ADMIN))
def test_channels_are_created_and_edited_by_their_bassin_team(
    who, people, channels, bassins, client
):
    """A bassin team manages the channels of its bassin only; regional and theme-wide
    channels (no bassin) are the regional team's."""
    expected = CHANNEL_ADMIN[who]
    if who != "anonymous":
        login(client, people[who])
    listing = client.get("/admin/snippets/exchanges/channel/")
    html = listing.content.decode() if listing.status_code == 200 else ""
    assert ("Santé mentale — Sud" in html, "Général — Nord" in html) == expected[:2]

    theme = channels["sud"].theme
    created = []
    for slug, bassin in (("new-a", bassins["sud"]), ("new-b", bassins["nord"]), ("new-r", None)):
        client.post("/admin/snippets/exchanges/channel/add/", channel_form(slug, bassin, theme))
        channel = Channel.objects.filter(slug=slug).first()
        created.append(channel is not None and channel.bassin == bassin)
    assert tuple(created) == expected[2:5]

    edited = []
    for channel in (channels["sud"], channels["nord"]):
        client.post(
            f"/admin/snippets/exchanges/channel/edit/{channel.pk}/",
            {**channel_form(channel.slug, channel.bassin), "name_fr": f"Renommé par {who}"},
        )
        channel.refresh_from_db()
        edited.append(channel.name_fr == f"Renommé par {who}")
    assert tuple(edited) == expected[5:]
