"""Posting in channels: confidentiality first, pre-moderation of new members, rate
limits, threads, mentions, cards, attachments, unread counts and search."""

import io

import pytest
from django.core import mail
from PIL import Image

from exchanges import queries, services
from exchanges.models import Message, MessageStatus

from .conftest import login

CHANNEL = "/fr/echanges/canal/sud-sante-mentale/"


def test_a_national_register_number_is_refused_before_it_is_posted(people, client):
    login(client, people["member_a"])
    response = client.post(CHANNEL, {"body": "Madame a le NN 85.07.30-033.28, une idée ?"})
    assert response.status_code == 400
    assert "registre national" in response.content.decode()
    assert not Message.objects.exists()


def test_a_phone_number_needs_the_member_confirmation(people, client):
    login(client, people["member_a"])
    body = "Le service répond au 02 274 14 33 le matin."
    assert client.post(CHANNEL, {"body": body}).status_code == 400
    assert not Message.objects.exists()
    response = client.post(CHANNEL, {"body": body, "confirm_warnings": "on"})
    assert response.status_code == 302
    assert Message.objects.get().status == MessageStatus.PUBLISHED


def test_the_first_messages_of_a_new_member_wait_for_a_moderator(people, channels, settings):
    settings.EXCHANGES_PREMODERATED_MESSAGES = 1
    member = people["member_a"]
    first = services.post_message(member, channels["sud"], "Premier message")
    assert first.status == MessageStatus.PENDING
    other = queries.Viewer(user=people["member_a2"].user, member=people["member_a2"])
    assert first not in queries.channel_threads(other, channels["sud"])
    moderator = queries.viewer_for(people["moderator"])
    services.moderate_message(moderator, first, "approve", "")
    second = services.post_message(member, channels["sud"], "Deuxième message")
    assert second.status == MessageStatus.PUBLISHED


def test_a_member_who_posts_too_fast_is_slowed_down(people, channels, settings):
    settings.EXCHANGES_MESSAGES_PER_MINUTE = 2
    member = people["member_a"]
    services.post_message(member, channels["sud"], "un")
    services.post_message(member, channels["sud"], "deux")
    with pytest.raises(services.RateLimited):
        services.post_message(member, channels["sud"], "trois")


def test_a_member_cannot_post_in_another_bassin_channel(people, channels):
    with pytest.raises(services.NotAllowed):
        services.post_message(people["member_b"], channels["sud"], "Bonjour")


def test_a_muted_member_reads_but_cannot_post(people, channels):
    moderator = queries.viewer_for(people["moderator"])
    services.moderate_member(moderator, people["member_a"], "mute", "propos répétés")
    with pytest.raises(services.NotAllowed):
        services.post_message(people["member_a"], channels["sud"], "Bonjour")
    viewer = queries.viewer_for(people["member_a"].user)
    assert channels["sud"] in queries.visible_channels(viewer)


def test_a_mention_notifies_the_member_and_a_reply_notifies_the_author(people, channels):
    amina, bruno = people["member_a"], people["member_a2"]
    thread = services.post_message(amina, channels["sud"], "Qui connaît un SSM à Forest ?")
    mail.outbox.clear()
    services.post_message(bruno, channels["sud"], "Oui, voir le répertoire", parent=thread)
    assert [m.to for m in mail.outbox] == [[amina.email]]
    mail.outbox.clear()
    services.post_message(amina, channels["sud"], f"Merci @{bruno.handle} !", parent=thread)
    assert [m.to for m in mail.outbox] == [[bruno.email]]
    # Bruno reads Dutch
    assert "vermeld" in mail.outbox[0].subject.lower()


def test_a_reply_to_a_reply_joins_the_thread(people, channels):
    thread = services.post_message(people["member_a"], channels["sud"], "Question")
    reply = services.post_message(people["member_a2"], channels["sud"], "Réponse", parent=thread)
    again = services.post_message(people["member_a"], channels["sud"], "Merci", parent=reply)
    assert again.parent == thread


def test_unread_counts_follow_the_read_mark(people, channels, client):
    services.post_message(people["member_a"], channels["sud"], "Un")
    services.post_message(people["member_a"], channels["sud"], "Deux")
    viewer = queries.viewer_for(people["member_a2"].user)
    counts = {c.slug: c.unread for c in queries.channels_with_unread(viewer)}
    assert counts["sud-sante-mentale"] == 2 and counts["regional"] == 0
    login(client, people["member_a2"])
    client.get(CHANNEL)
    counts = {c.slug: c.unread for c in queries.channels_with_unread(viewer)}
    assert counts["sud-sante-mentale"] == 0


def test_follow_and_unfollow_without_javascript(people, channels, client):
    login(client, people["member_a"])
    client.post(CHANNEL + "suivre/", {"follow": "1"})
    viewer = queries.viewer_for(people["member_a"].user)
    followed = {c.slug for c in queries.channels_with_unread(viewer) if c.is_followed}
    assert followed == {"sud-sante-mentale"}
    client.post(CHANNEL + "suivre/", {"follow": "0"})
    assert not any(c.is_followed for c in queries.channels_with_unread(viewer))


def test_search_only_finds_messages_of_channels_one_can_see(people, channels, client):
    services.post_message(people["member_a"], channels["sud"], "médiation de dettes à Forest")
    services.post_message(people["member_b"], channels["nord"], "médiation de dettes à Jette")
    login(client, people["member_a2"])
    page = client.get("/fr/echanges/recherche/", {"q": "médiation dettes"}).content.decode()
    assert "Forest" in page and "Jette" not in page


@pytest.mark.parametrize(
    "link",
    ["/fr/repertoire/organisation/ssm-forest/", "/nl/sociale-kaart/organisatie/ssm-forest/"],
)
def test_links_to_events_and_directory_records_render_as_cards(people, channels, client, link):
    from directory.models import Organisation, Service

    org = Organisation.objects.create(slug="ssm-forest", name_fr="SSM de Forest")
    Service.objects.create(
        organisation=org,
        slug="ssm-forest-consultations",
        name_fr="Consultations",
        saturation_note_fr="Liste d'attente de 3 mois",
    )
    services.post_message(people["member_a"], channels["sud"], f"Voir {link}")
    login(client, people["member_a2"])
    page = client.get(CHANNEL).content.decode()
    assert "Consultations" in page and "Liste d&#x27;attente de 3 mois" in page


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_attachments_are_sniffed_and_served_to_members_only(people, channels, client):
    message = services.post_message(
        people["member_a"], channels["sud"], "Affiche", files=[("affiche.png", png_bytes())]
    )
    attachment = message.attachments.get()
    assert attachment.content_type == "image/png"
    login(client, people["member_a2"])
    assert client.get(f"/fr/echanges/piece-jointe/{attachment.pk}/").status_code == 200
    login(client, people["member_b"])
    assert client.get(f"/fr/echanges/piece-jointe/{attachment.pk}/").status_code == 404


@pytest.mark.parametrize(
    "name,data",
    [
        ("script.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("programme.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100),  # an .exe named .pdf
        ("photo.png", b"%PDF-1.4 not an image"),  # a PDF named .png
        ("notes.txt", b"\x00\x01binary"),
    ],
)
def test_attachments_of_the_wrong_type_are_refused_whatever_their_name(
    people, channels, name, data
):
    with pytest.raises(services.ExchangeError, match=name):
        services.post_message(people["member_a"], channels["sud"], "Fichier", files=[(name, data)])
    assert not Message.objects.exists()


def test_attachments_over_the_size_limit_are_refused(people, channels, settings):
    settings.EXCHANGES_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(services.ExchangeError):
        services.post_message(
            people["member_a"], channels["sud"], "Gros", files=[("a.pdf", b"%PDF-1.4" + b"x" * 200)]
        )


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels."""
    import struct
    import zlib

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


@pytest.mark.parametrize(
    "name,data",
    [
        ("photo.png", png_claiming(30000, 30000)),  # a decompression bomb's header
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 32),  # truncated
        ("lettre.docx", b"PK\x03\x04" + b"\x00" * 100),  # not a real document
        ("programme.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100),
    ],
)
def test_a_refused_attachment_is_a_400_with_its_reason_and_nothing_is_posted(
    people, channels, client, name, data
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, people["member_a"])
    response = client.post(
        "/fr/echanges/canal/sud-sante-mentale/",
        {"body": "Voici le document", "files": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 400
    assert name in response.content.decode()
    assert not Message.objects.exists()
