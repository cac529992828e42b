import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask
from wagtail.models import WorkflowPage

from newsletters.models import NewsletterIndexPage, ThemeMonth


def test_reference_data_loads_the_2025_calendar_once(empty_database, capsys):
    call_command("load_reference_data")
    capsys.readouterr()
    call_command("load_reference_data")
    assert "Reference data loaded: 0 change(s)." in capsys.readouterr().out
    assert ThemeMonth.objects.filter(year=2025).count() == 12
    october = ThemeMonth.objects.get(year=2025, month=10)
    assert october.theme.slug == "cancer-sein"
    assert october.occasion_fr == "Octobre rose"
    assert ThemeMonth.objects.get(year=2025, month=1).theme.slug == "cancer-col-uterus"
    assert ThemeMonth.objects.get(year=2025, month=12).theme.slug == "vih-ist"


@pytest.mark.django_db
def test_each_bassin_page_gets_an_archive_page_in_both_locales_with_the_workflow(
    reference_data,
):
    indexes = NewsletterIndexPage.objects.all()
    assert indexes.count() == 10
    assert {i.locale.language_code for i in indexes} == {"fr", "nl"}
    assert WorkflowPage.objects.filter(page__in=indexes).count() == 10
    assert indexes.get(bassin__slug="nord", locale__language_code="fr").url.startswith("/fr/nord/")


@pytest.mark.django_db
def test_beat_drafts_on_the_15th(reference_data):
    task = PeriodicTask.objects.get(task="newsletters.tasks.draft_newsletters")
    assert task.crontab.day_of_month == "15"
    assert PeriodicTask.objects.filter(task="newsletters.tasks.recover_mailings").exists()
