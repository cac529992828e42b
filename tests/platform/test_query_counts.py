"""Public pages run a bounded number of SQL queries, whatever the data size."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bassins.models import Bassin, BassinArea, Commune, TeamMember

# The home page adds the bassin finder's suggestions (postal codes, communes: cached);
# a bassin page adds the hub sections of the agenda, the newsletter, the open-door week
# and the directory (tests/hubs/test_bassin_hub.py grows their data).
PAGES = {
    "/fr/": 14,
    "/nl/": 14,
    "/fr/nord/": 21,
    "/nl/zuidoost/": 21,
    "/fr/a-propos/": 13,
    "/nl/privacy/": 13,
    "/fr/inconnu/": 8,
    "/de/": 8,
}


def count_queries(client, path) -> int:
    cache.clear()  # the worst case: nothing cached yet
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code in (200, 404)
    return len(queries)


def grow_data():
    """More of everything a page lists: bassins, territory, team members."""
    commune = Commune.objects.first()
    for number in range(6):
        extra = Bassin.objects.create(
            slug=f"extra-{number}",
            name_fr=f"Extra {number}",
            name_nl=f"Extra {number}",
            population=1000,
            population_date="2024-01-01",
            sort_order=10 + number,
        )
        BassinArea.objects.create(bassin=extra, commune=commune, part_fr=f"p{number}")
    for bassin in Bassin.objects.all():
        for number in range(15):
            TeamMember.objects.create(bassin=bassin, name=f"Person {number}", role="cpps")
        for number in range(5):
            BassinArea.objects.create(bassin=bassin, commune=commune, part_fr=f"part {number}")


@pytest.mark.django_db
@pytest.mark.parametrize("path, bound", PAGES.items())
def test_page_query_count_is_bounded(
    client, reference_data, django_assert_max_num_queries, path, bound
):
    with django_assert_max_num_queries(bound):
        cache.clear()
        client.get(path)


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_more_bassins_and_team_members(client, reference_data):
    before = {path: count_queries(client, path) for path in PAGES}
    grow_data()
    after = {path: count_queries(client, path) for path in PAGES}
    assert after == before
