"""Archives (regional and per bassin), issue page, print view, RSS: FR/NL, bad input,
bounded queries."""

import datetime

import pytest

from newsletters.drafting import draft_newsletters
from newsletters.models import NewsletterIndexPage, NewsletterIssue

from .conftest import publish


def _publish_months(*months):
    for month in months:
        draft_newsletters(month, log=lambda m: None)
        for issue in NewsletterIssue.objects.filter(month=month):
            publish(issue, send=False)


@pytest.mark.django_db
def test_regional_archive_lists_published_issues_in_the_language(client, reference_data):
    _publish_months(datetime.date(2025, 10, 1))
    draft_newsletters(datetime.date(2025, 11, 1), log=lambda m: None)  # drafts stay hidden
    fr = client.get("/fr/info-prevention/").content.decode()
    assert fr.count('class="issue-row"') == 5
    assert "Cancer du sein" in fr and "Diabète" not in fr
    nl = client.get("/nl/info-preventie/").content.decode()
    assert nl.count('class="issue-row"') == 5 and "Borstkanker" in nl
    only_sud = client.get("/fr/info-prevention/?bassin=sud").content.decode()
    assert only_sud.count('class="issue-row"') == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, status",
    [("?bassin=atlantis", 400), ("?page=abc", 404), ("?page=999", 404), ("?page=-1", 404)],
)
def test_regional_archive_bad_input_is_a_clear_4xx(client, reference_data, query, status):
    assert client.get("/fr/info-prevention/" + query).status_code == status


@pytest.mark.django_db
def test_archive_queries_do_not_grow_with_issues(
    client, reference_data, django_assert_max_num_queries
):
    _publish_months(datetime.date(2025, 9, 1))
    with django_assert_max_num_queries(12) as few:
        client.get("/fr/info-prevention/")
    _publish_months(datetime.date(2025, 10, 1), datetime.date(2025, 11, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/fr/info-prevention/").status_code == 200
    index = NewsletterIndexPage.objects.get(bassin__slug="nord", locale__language_code="fr")
    with django_assert_max_num_queries(20):
        response = client.get(index.url)
    assert response.status_code == 200
    assert response.content.decode().count('class="issue-row"') == 3


@pytest.mark.django_db
def test_issue_page_print_view_and_query_bound(
    client, reference_data, django_assert_max_num_queries
):
    _publish_months(datetime.date(2025, 10, 1))
    issue = NewsletterIssue.objects.get(bassin__slug="sud", locale__language_code="nl")
    with django_assert_max_num_queries(25):
        response = client.get(issue.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Borstkanker" in html and "Thema van de maand:" in html
    assert 'lang="nl"' in html
    assert f'href="{issue.url}afdrukken/"' in html  # the print view's word in Dutch
    printable = client.get(issue.url + "afdrukken/")
    assert printable.status_code == 200
    assert "site-header" not in printable.content.decode()


@pytest.mark.django_db
def test_the_print_view_answers_at_its_word_in_the_issues_language(client, reference_data):
    _publish_months(datetime.date(2025, 10, 1))
    nl = NewsletterIssue.objects.get(bassin__slug="sud", locale__language_code="nl")
    fr = NewsletterIssue.objects.get(bassin__slug="sud", locale__language_code="fr")
    assert client.get(fr.url).content.decode().count(f'href="{fr.url}imprimer/"') == 1
    assert client.get(fr.url + "imprimer/").status_code == 200
    old = client.get(nl.url + "imprimer/")
    assert (old.status_code, old["Location"]) == (301, nl.url + "afdrukken/")
    other = client.get(fr.url + "afdrukken/")
    assert (other.status_code, other["Location"]) == (301, fr.url + "imprimer/")


@pytest.mark.django_db
def test_rss_feeds_regional_and_per_bassin(client, reference_data, django_assert_max_num_queries):
    _publish_months(datetime.date(2025, 9, 1), datetime.date(2025, 10, 1))
    with django_assert_max_num_queries(10):
        response = client.get("/info-prevention/fr/rss.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    assert body.count("<item>") == 10 and "Cancer du sein" in body
    nl = client.get("/info-prevention/nl/nord/rss.xml").content.decode()
    assert nl.count("<item>") == 2 and "Borstkanker" in nl
    assert client.get("/info-prevention/de/rss.xml").status_code == 404
    assert client.get("/info-prevention/fr/atlantis/rss.xml").status_code == 404


@pytest.mark.django_db
def test_subscription_pages_render_in_both_languages(client, reference_data):
    fr = client.get("/fr/info-prevention/nord/inscription/")
    nl = client.get("/nl/info-preventie/noord/inschrijving/")
    assert fr.status_code == nl.status_code == 200
    assert "M'abonner" in fr.content.decode()
    assert "Mij abonneren" in nl.content.decode()
    assert client.get("/fr/info-prevention/atlantis/inscription/").status_code == 404
