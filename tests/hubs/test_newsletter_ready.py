"""The newsletter out of the box: demo drafts of this month and one published demo issue
of last month, a dashboard of this month's issues per bassin with their state and a
warning when next month has no theme, a year's theme calendar on one screen, absolute
links from SITE_URL, and a language switch that never lands on a 404."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from wagtail.search.backends import get_search_backend

from bassins.models import Bassin, Theme
from newsletters import demo
from newsletters.dashboard import month_overview
from newsletters.drafting import draft_newsletters, next_month
from newsletters.models import NewsletterIssue, ThemeMonth
from newsletters.rendering import render_issue_message

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 10)


@pytest.fixture
def admin_client(client, reference_data):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def test_demo_drafts_this_month_and_publishes_one_demo_issue_of_last_month(reference_data):
    demo.load(today=TODAY, log=lambda message: None)
    this_month = NewsletterIssue.objects.filter(month=datetime.date(2027, 3, 1))
    assert this_month.count() == Bassin.objects.count() * 2
    assert not this_month.filter(live=True).exists()
    last_month = NewsletterIssue.objects.filter(month=datetime.date(2027, 2, 1))
    assert last_month.count() == 2 and all(issue.live for issue in last_month)
    assert {issue.language for issue in last_month} == {"fr", "nl"}
    for issue in last_month:
        assert issue.title.endswith(("(démo)", "(demo)"))
        assert not issue.send_to_subscribers
    demo.load(today=TODAY, log=lambda message: None)  # idempotent
    assert NewsletterIssue.objects.count() == Bassin.objects.count() * 2 + 2


def test_a_draft_holds_no_placeholder_text_that_could_be_published(reference_data):
    draft_newsletters(datetime.date(2027, 3, 1), log=lambda message: None)
    issue = NewsletterIssue.objects.filter(locale__language_code="fr").first()
    local = [block for block in issue.body if block.block_type == "local_initiatives"]
    assert local and not str(local[0].value).strip()
    assert "Présentez ici" not in str(issue.body)
    assert "Initiatives locales" in issue.editor_note


def test_dashboard_shows_this_months_issues_per_bassin_and_missing_languages(reference_data):
    draft_newsletters(datetime.date(2027, 3, 1), log=lambda message: None)
    nord = NewsletterIssue.objects.get(
        bassin__slug="nord", month="2027-03-01", locale__language_code="nl"
    )
    nord.delete()
    fr = NewsletterIssue.objects.get(
        bassin__slug="sud", month="2027-03-01", locale__language_code="fr"
    )
    fr.save_revision().publish()
    overview = month_overview(TODAY)
    states = {row.bassin.slug: [cell.state for cell in row.cells] for row in overview["rows"]}
    assert states["nord"] == ["draft", "missing"]
    assert states["sud"] == ["live", "draft"]
    assert [row.missing_languages for row in overview["rows"] if row.bassin.slug == "nord"] == [
        ["nl"]
    ]


def test_dashboard_warns_a_month_ahead_when_next_month_has_no_theme(admin_client):
    coming = next_month(timezone.localdate())
    ThemeMonth.objects.filter(year=coming.year, month=coming.month).delete()
    html = admin_client.get("/admin/").content.decode()
    assert 'data-testid="theme-warning"' in html
    assert 'data-testid="month-issues"' in html
    ThemeMonth.objects.create(
        year=coming.year,
        month=coming.month,
        theme=Theme.objects.filter(is_prevention_theme=True).first(),
    )
    assert 'data-testid="theme-warning"' not in admin_client.get("/admin/").content.decode()


def test_the_regional_team_fills_a_years_theme_calendar_on_one_screen(admin_client):
    page = admin_client.get("/admin/info-prevention/calendrier/2028/")
    assert page.status_code == 200
    assert page.content.decode().count("<tr>") >= 12
    tabac = Theme.objects.get(slug="tabac")
    diabete = Theme.objects.get(slug="diabete")
    response = admin_client.post(
        "/admin/info-prevention/calendrier/2028/",
        {"theme_5": tabac.pk, "occasion_fr_5": "Journée sans tabac", "theme_11": diabete.pk},
    )
    assert response.status_code == 302
    assert list(
        ThemeMonth.objects.filter(year=2028).values_list("month", "theme__slug", "occasion_fr")
    ) == [(5, "tabac", "Journée sans tabac"), (11, "diabete", "")]
    assert admin_client.get("/admin/info-prevention/calendrier/1900/").status_code == 404


def test_read_online_and_print_links_use_the_site_url(reference_data, client, settings):
    settings.SITE_URL = "https://maillage.example"
    draft_newsletters(datetime.date(2027, 3, 1), log=lambda message: None)
    issue = NewsletterIssue.objects.get(
        bassin__slug="nord", month="2027-03-01", locale__language_code="fr"
    )
    issue.save_revision().publish()
    issue.refresh_from_db()
    _subject, text, html = render_issue_message(issue, [])
    assert "https://maillage.example/fr/" in html and "localhost" not in html
    printable = client.get(issue.url + "imprimer/").content.decode()
    assert re.search(r"https://maillage\.example/fr/[^<]*2027-03/", printable)


def test_switching_to_an_unpublished_translation_leads_to_the_archive(reference_data, client):
    draft_newsletters(datetime.date(2027, 3, 1), log=lambda message: None)
    issue = NewsletterIssue.objects.get(
        bassin__slug="nord", month="2027-03-01", locale__language_code="fr"
    )
    issue.save_revision().publish()
    issue.refresh_from_db()
    html = client.get(issue.url).content.decode()
    link = re.search(r'href="([^"]+)" lang="nl"', html).group(1)
    assert link == "/nl/noord/info-preventie-gezondheid/"
    assert client.get(link).status_code == 200


def test_the_theme_chooser_is_searchable_in_both_languages(admin_client):
    # Tests don't update the index on save (settings.test): build the themes' entries.
    get_search_backend().add_bulk(Theme, Theme.objects.all())
    url = reverse("wagtailsnippetchoosers_bassins_theme:choose_results")
    html = admin_client.get(url, {"q": "taba"}).content.decode()
    assert "Tabac" in html and "Diabète" not in html
    html = admin_client.get(url, {"q": "Borstkan"}).content.decode()
    assert "Cancer du sein" in html
