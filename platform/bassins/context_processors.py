"""Header and footer data for every page: the five bassins and their helpdesks."""

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from core.batched_reads import batched, cached_read

from .models import Bassin

NAV_BASSINS_KEY = batched("maillage:nav-bassins")


def _bassins():
    bassins = cached_read(NAV_BASSINS_KEY)
    if bassins is None:
        bassins = list(Bassin.objects.all())
        cache.set(NAV_BASSINS_KEY, bassins, 300)
    return bassins


def layout_key(bassins) -> str:
    """What the layout shows of the bassins (their links, names and helpdesks): the key
    its kept header and footer vary on (base.html)."""
    return "|".join(f"{b.slug}:{b.name_fr}:{b.name_nl}:{b.helpdesk_phone}" for b in bassins)


def site_navigation(request):
    bassins = SimpleLazyObject(_bassins)
    return {"nav_bassins": bassins, "layout_key": SimpleLazyObject(lambda: layout_key(bassins))}
