"""Who may do what, for every kind of person the exchange space knows."""

import pytest

from exchanges import services

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
    "staff": (403, False, 403, False, False, False),
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
