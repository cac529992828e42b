"""Issue 9: repeated failed admin logins are throttled per account and per IP (django-axes)."""

import pytest
from django.core.management import call_command

LOGIN = "/admin/login/"


@pytest.fixture
def editor(db, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 3
    return django_user_model.objects.create_user("editrice", "e@example.org", "bon-mot-de-passe")


def attempt(client, username, password, ip="198.51.100.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_an_account_is_locked_after_repeated_failures_with_a_clear_message(client, editor):
    for _ in range(2):
        assert attempt(client, "editrice", "faux").status_code == 200  # the form again
    assert attempt(client, "editrice", "faux").status_code == 429  # the limit: locked
    locked = attempt(client, "editrice", "bon-mot-de-passe", ip="203.0.113.9")
    assert locked.status_code == 429
    assert "Connexion bloquée" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_address_trying_many_accounts_is_locked(client, editor, django_user_model):
    for name in ("a", "b", "c"):
        attempt(client, name, "faux", ip="192.0.2.50")
    assert attempt(client, "editrice", "bon-mot-de-passe", ip="192.0.2.50").status_code == 429
    # Someone else, elsewhere, still logs in.
    other = attempt(client, "editrice", "bon-mot-de-passe", ip="192.0.2.99")
    assert other.status_code == 302


def test_the_documented_unlock_command_lifts_the_lock(client, editor):
    for _ in range(3):
        attempt(client, "editrice", "faux")
    assert attempt(client, "editrice", "bon-mot-de-passe").status_code == 429
    call_command("axes_reset_username", "editrice", verbosity=0)
    call_command("axes_reset_ip", "198.51.100.7", verbosity=0)
    assert attempt(client, "editrice", "bon-mot-de-passe").status_code == 302
