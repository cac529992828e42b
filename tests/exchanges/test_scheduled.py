"""Scheduled work: retention deletes idle threads, digests gather followed channels,
and the reference loader declares both in Celery beat."""

import datetime

from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from exchanges import reference, services, tasks
from exchanges.models import Message, ModerationAction, ModerationKind


def age(message, days):
    Message.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_retention_deletes_idle_threads_with_their_replies_and_logs_it(people, channels, settings):
    settings.EXCHANGES_RETENTION_DAYS = 365
    old = services.post_message(people["member_a"], channels["sud"], "Ancien")
    reply = services.post_message(people["member_a2"], channels["sud"], "Réponse", parent=old)
    recent = services.post_message(people["member_a"], channels["sud"], "Récent")
    age(old, 400)
    age(reply, 399)
    Message.objects.filter(pk=old.pk).update(last_reply_at=timezone.now() - datetime.timedelta(399))
    assert tasks.apply_retention.apply().get() == 2
    assert list(Message.objects.all()) == [recent]
    assert ModerationAction.objects.filter(kind=ModerationKind.RETENTION).count() == 1


def test_retention_keeps_an_old_thread_with_a_recent_reply(people, channels, settings):
    settings.EXCHANGES_RETENTION_DAYS = 365
    old = services.post_message(people["member_a"], channels["sud"], "Ancien")
    age(old, 400)
    services.post_message(people["member_a2"], channels["sud"], "Réponse récente", parent=old)
    assert services.apply_retention() == 0


def test_the_digest_gathers_new_messages_of_followed_channels(people, channels):
    amina, bruno = people["member_a"], people["member_a2"]
    bruno.digest = "daily"
    bruno.save()
    services.follow(bruno, channels["sud"])
    services.post_message(amina, channels["sud"], "Nouvelle permanence à Forest")
    services.post_message(amina, channels["regional"], "Pas suivi")
    mail.outbox.clear()
    assert tasks.send_digests.apply(args=["daily"]).get() == 1
    assert mail.outbox[0].to == [bruno.email]
    assert "Nouvelle permanence à Forest" in mail.outbox[0].body
    assert "Pas suivi" not in mail.outbox[0].body
    # nothing new: nothing sent
    mail.outbox.clear()
    assert services.send_digests("daily") == 0


def test_reference_data_declares_channels_and_beat_entries_once(bassins):
    from bassins.models import Theme

    Theme.objects.get_or_create(
        slug="sante-mentale", defaults={"name_fr": "Santé mentale", "name_nl": "GGZ"}
    )
    reference.load(log=lambda _m: None)
    assert reference.load(log=lambda _m: None) == 0
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {"exchanges: retention", "exchanges: daily digest", "exchanges: weekly digest"} <= names
    from exchanges.models import Channel

    assert Channel.objects.get(slug="sud-sante-mentale").theme.slug == "sante-mentale"
