"""core.mail helpers shared by the apps."""

from core.mail import normalise_email


def test_normalise_email_is_the_one_form_every_app_stores_and_compares():
    assert normalise_email("  Marie.Dupont@Example.ORG \n") == "marie.dupont@example.org"
    assert normalise_email("") == "" and normalise_email(None) == ""


def test_apps_use_the_shared_normalisation():
    from events.opendoors import services as opendoors
    from newsletters import subscriptions

    assert opendoors.normalise_email is normalise_email
    assert subscriptions.normalize_email is normalise_email
