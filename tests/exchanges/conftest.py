"""Fixtures of the exchange space: two bassins, their channels, and one person of
each kind the permission rules know (member of A, member of B, pending member,
moderator, référent, staff)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission

from bassins.models import Bassin, Theme
from bassins.permissions import ensure_team
from exchanges import services
from exchanges.models import Channel, ExchangeSettings, Member, MemberStatus

PASSWORD = "un-mot-de-passe-solide-42"


@pytest.fixture
def bassins(db):
    sud, _ = Bassin.objects.update_or_create(
        slug="sud",
        defaults=dict(
            name_fr="Sud",
            name_nl="Zuid",
            population=319935,
            population_date=datetime.date(2024, 1, 1),
            helpdesk_email="helpdesk-sud@example.org",
            sort_order=4,
        ),
    )
    nord, _ = Bassin.objects.update_or_create(
        slug="nord",
        defaults=dict(
            name_fr="Nord",
            name_nl="Noord",
            population=223509,
            population_date=datetime.date(2024, 1, 1),
            helpdesk_email="helpdesk-nord@example.org",
            sort_order=1,
        ),
    )
    return {"sud": sud, "nord": nord}


@pytest.fixture
def channels(bassins):
    theme, _ = Theme.objects.get_or_create(
        slug="sante-mentale", defaults={"name_fr": "Santé mentale", "name_nl": "GGZ"}
    )
    Channel.objects.all().delete()
    return {
        "sud": Channel.objects.create(
            slug="sud-sante-mentale",
            name_fr="Santé mentale — Sud",
            name_nl="Geestelijke gezondheid — Zuid",
            bassin=bassins["sud"],
            theme=theme,
        ),
        "nord": Channel.objects.create(
            slug="nord-general",
            name_fr="Général — Nord",
            name_nl="Algemeen — Noord",
            bassin=bassins["nord"],
        ),
        "regional": Channel.objects.create(
            slug="regional", name_fr="Échanges régionaux", name_nl="Gewestelijk"
        ),
    }


@pytest.fixture
def charter(db):
    settings_ = ExchangeSettings.load()
    settings_.charter_fr = "<p>Pas de données personnelles.</p>"
    settings_.charter_nl = "<p>Geen persoonsgegevens.</p>"
    settings_.charter_version = 1
    settings_.save()
    return settings_


@pytest.fixture
def make_member(bassins, charter, settings):
    settings.EXCHANGES_PREMODERATED_MESSAGES = 0

    def make(name, bassin="sud", status=MemberStatus.ACTIVE, language="fr", accepted=True):
        member = services.register_member(
            email=f"{name.lower().replace(' ', '.')}@asbl.example",
            password=PASSWORD,
            display_name=name,
            organisation=f"Asbl de {name}",
            role="assistant·e social·e",
            bassin_ids=[bassins[bassin].pk],
            language=language,
        )
        member.status = status
        member.save()
        if accepted:
            services.accept_charter(member)
        return member

    return make


def staff_user(django_user_model, username, bassin, permissions):
    user = django_user_model.objects.create_user(
        username=username, email=f"{username}@brusano.example", password=PASSWORD, is_staff=True
    )
    group, _ = ensure_team(bassin)
    user.groups.add(group)
    # The team group's exchange rights (every bassin team moderates by default) are
    # taken away here: the matrix grants them person by person.
    group.permissions.remove(*Permission.objects.filter(content_type__app_label="exchanges"))
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


@pytest.fixture
def people(make_member, bassins, channels, django_user_model):
    return {
        "member_a": make_member("Amina Sud"),
        "member_a2": make_member("Bruno Sud", language="nl"),
        "member_b": make_member("Chloé Nord", bassin="nord"),
        "pending": make_member("Dora Pending", status=MemberStatus.PENDING),
        "moderator": staff_user(
            django_user_model, "moderatrice-sud", bassins["sud"], ["moderate_message"]
        ),
        "referent": staff_user(
            django_user_model, "referent-sud", bassins["sud"], ["answer_referentrequest"]
        ),
        "staff": staff_user(django_user_model, "staff-sud", bassins["sud"], []),
    }


def login(client, who):
    user = who.user if isinstance(who, Member) else who
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def commit_callbacks_run_at_once(monkeypatch):
    """Tests run inside a transaction that never commits: run what waits for the commit
    (e-mail, live updates) at once, as a committed request would."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
