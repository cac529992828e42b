"""Admin screens: snippets, send report, issue editor."""

import pytest
from django.contrib.auth import get_user_model

from newsletters import sending, tasks

from .conftest import drafted_issue, make_subscribers, publish


@pytest.fixture
def admin_client(client, reference_data):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_send_report_lists_counts_per_mailing(admin_client, django_assert_max_num_queries):
    subscribers = make_subscribers(4)
    issue = publish(drafted_issue(), send=False)
    tasks.send_issue(issue.pk)
    sending.record_bounce(subscribers[0].email, "hard-bounce")
    with django_assert_max_num_queries(40):
        response = admin_client.get("/admin/newsletter_mailings/")
    assert response.status_code == 200
    html = response.content.decode()
    assert issue.title in html
    assert ">3<" in html.replace(" ", "").replace("\n", "")  # sent
    assert ">1<" in html.replace(" ", "").replace("\n", "")  # bounced


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/newsletters/thememonth/",
        "/admin/snippets/newsletters/themedossier/add/",
        "/admin/newsletter_subscribers/",
    ],
)
def test_admin_screens_open(admin_client, url):
    assert admin_client.get(url).status_code == 200


@pytest.mark.django_db
def test_issue_editor_opens_with_the_agenda_block(admin_client):
    issue = drafted_issue()
    response = admin_client.get(f"/admin/pages/{issue.pk}/edit/")
    assert response.status_code == 200
    assert "Agenda du bassin (automatique)" in response.content.decode()
